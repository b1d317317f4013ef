"""Run records: run.json contents, parameter hashes, atomic writes, summary keys."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from hemcell.errors import InputError
from hemcell.runinfo import parameter_hash, write_json, write_run_record, write_summary


def test_run_record_has_command_versions_parameters_and_hash(tmp_path):
    params = {"coating_thickness": 2.8e-8, "temperature": 298.15}
    path = write_run_record(tmp_path, params, command=["hemcell", "surface", "run"])
    rec = json.loads(path.read_text())
    assert rec["command"] == "hemcell surface run"
    assert rec["versions"]["hemcell"] is not None
    assert rec["versions"]["pybamm"].startswith("26.")
    assert rec["parameters"] == params
    assert rec["parameters_hash"] == parameter_hash(params)


def test_hash_ignores_key_order_and_sees_values():
    a = {"x": 1.0, "y": [1, 2]}
    assert parameter_hash(a) == parameter_hash({"y": [1, 2], "x": 1.0})
    assert parameter_hash(a) != parameter_hash({"x": 1.0000001, "y": [1, 2]})


def test_write_json_converts_numpy_and_nonfinite(tmp_path):
    path = write_json(tmp_path / "a" / "b.json", {"v": np.float64(1.5), "arr": np.arange(3),
                                                  "bad": math.nan})
    data = json.loads(path.read_text())
    assert data == {"v": 1.5, "arr": [0, 1, 2], "bad": None}
    assert [p.name for p in path.parent.iterdir()] == ["b.json"]  # no temp file left


def test_failed_write_keeps_old_file(tmp_path):
    path = write_json(tmp_path / "s.json", {"ok": 1})
    with pytest.raises(TypeError):
        write_json(path, {"bad": object()})
    assert json.loads(path.read_text()) == {"ok": 1}
    assert len(list(tmp_path.iterdir())) == 1


@pytest.mark.parametrize("key", ["Capacity", "capacity mAh", "1st_cycle", "a-b"])
def test_summary_keys_must_be_snake_case(tmp_path, key):
    with pytest.raises(InputError, match="snake_case"):
        write_summary(tmp_path, {key: 1.0})


def test_summary_written(tmp_path):
    path = write_summary(tmp_path, {"capacity_mAh_per_g": 611.0}, filename="metrics.json")
    assert json.loads(path.read_text()) == {"capacity_mAh_per_g": 611.0}


# ------------------------------------------------------------------ warnings once
def test_a_warning_is_printed_once_per_command(capfd):
    """Each case, anode or seed of a command reports its warnings with its own list (kept
    for its record); stderr gets each distinct text once per command."""
    from hemcell.runinfo import one_command, report_warnings

    with one_command():
        bare = report_warnings(["cold", "cold"])
        coated = report_warnings(["cold", "dry"])
    assert (bare, coated) == (["cold"], ["cold", "dry"])
    assert capfd.readouterr().err == "warning: cold\nwarning: dry\n"
    with one_command():  # the next command says it again
        report_warnings(["cold"])
    report_warnings(["cold"])  # outside a command (library use): every time
    assert capfd.readouterr().err == "warning: cold\nwarning: cold\n"


def test_run_json_holds_each_distinct_warning_once(tmp_path):
    """surface compare/seeds write one record per case (per seed): their warnings, and the
    extra's, become one top-level list of distinct texts; the records lose theirs."""
    import json

    from hemcell.runinfo import write_run_record

    case = {"case": "bare", "warnings": ["cold"]}
    records = {"seed_0": {"bare": case, "coated": {"case": "coated", "warnings": ["cold"]}},
               "seed_1": {"bare": {"case": "bare", "warnings": ["cold", "dry"]}}}
    run = json.loads(write_run_record(tmp_path, records, "x",
                                      extra={"warnings": ["dry", "hot"]}).read_text())
    assert run["warnings"] == ["cold", "dry", "hot"]
    assert "warnings" not in json.dumps(run["parameters"])
    assert case["warnings"] == ["cold"]  # the caller's record is not changed
    run = json.loads(write_run_record(tmp_path, {"case": "bare"}, "x").read_text())
    assert "warnings" not in run


def test_eis_with_both_anodes_warns_once(tmp_path, capfd):
    """``eis symmetric --anode both`` at -20 degC: the electrolyte-temperature warning
    (one text, both anodes) appears once on stderr and once in the summary."""
    from hemcell.cli.main import main

    out = tmp_path / "eis"
    assert main(["eis", "symmetric", "--anode", "both", "--frequencies", "1e-1:1e5:2/decade",
                 "--temperatures", "-20degC", "--out", str(out), "--no-plots"]) == 0
    err = capfd.readouterr().err
    assert err.count("warning: ") == 1 and "253.15 K" in err
    run = json.loads((out / "run.json").read_text())
    assert len(run["warnings"]) == 1
