"""User trial U15 of `hemcell sweep`: a fixed option no point can run with, and outputs
a command writes as null (not defined at that point)."""

from __future__ import annotations

import json

import numpy as np
import pytest
import yaml

from hemcell.cli.main import main
from hemcell.sweep import SpecError, parse_spec

CELL = {"command": "cell run", "arguments": ["hem_half_cell_sp"],
        "options": {"--params": "heo_rocksalt_mgconicuzn",
                    "--protocol": "Discharge at 1C until 0.01 V"},
        "outputs": ["discharge_capacity_mAh_per_g[0]"],
        "parameters": {"ambient_temperature": {"values": ["290 K", "300 K"]}}}


def test_a_fixed_option_every_point_refuses_is_a_spec_error():
    """`options: {--cycles: 5000}` (above cell run's 1000): the fast-path check saw it,
    but every point still ran and failed; it is refused before anything runs."""
    spec = {**CELL, "options": {**CELL["options"], "--cycles": 5000}}
    with pytest.raises(SpecError) as info:
        parse_spec(spec)
    text = info.value.message
    assert "--cycles" in text and "5000" in text and "1000" in text, text
    assert "every point" in text, text


def test_check_refuses_it_with_exit_2(tmp_path, capsys):
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump({**CELL, "options": {**CELL["options"], "--cycles": 5000}}))
    assert main(["sweep", str(path), "--out", str(tmp_path / "o"), "--check"]) == 2
    err = capsys.readouterr().err
    assert "--cycles" in err and "1000" in err
    assert not (tmp_path / "o").exists()


def test_a_spec_whose_points_can_be_prepared_passes():
    returning = "Discharge at 1C until 0.01 V; Charge at 1C until 3 V"
    spec = parse_spec({**CELL, "options": {**CELL["options"], "--protocol": returning,
                                           "--cycles": 2}})
    assert len(spec.points) == 2


def test_repeating_a_protocol_that_never_returns_the_cell_is_a_spec_error():
    """`--cycles 2` of a discharge-only protocol: every point refuses it (repetition 2
    would start at the cut-off; :func:`hemcell.cell.protocols.check_repetitions_return`),
    so the spec is refused before anything runs."""
    with pytest.raises(SpecError) as info:
        parse_spec({**CELL, "options": {**CELL["options"], "--cycles": 2}})
    text = info.value.message
    assert "--cycles" in text and "nothing returns the cell" in text, text


def test_a_swept_value_only_some_points_refuse_is_left_to_those_points():
    """Only an error every probe point shares is the fixed options' (a swept value that
    one point refuses is recorded as that point's failure, as before)."""
    spec = parse_spec({**CELL, "parameters": {"cycles": {"values": [1, 5000]}}})
    assert len(spec.points) == 2


def test_a_null_output_is_nan_in_the_results_and_the_point_is_ok(tmp_path):
    """`active_material_used_up_at_cycle` is null while the material lasts: a sweep asking
    for it failed the point ("not a finite number"). A null (or NaN, which the summary
    files write as null) output is the command's "not defined here": NaN in results.nc,
    the point ok, and the count of such points in the variable's attributes."""
    import xarray as xr

    from hemcell.sweep.gather import gather
    from hemcell.sweep.store import PointStore, output_problem

    assert output_problem({"a": None}, ["a"]) is None
    assert output_problem({"a": float("nan")}, ["a"]) is None
    assert output_problem({"a": "text"}, ["a"]) == "output a is 'text', not a number or null"
    assert output_problem({"a": [1.0]}, ["a"]) == "output a is [1.0], not a number or null"
    spec = parse_spec({"command": "params export", "arguments": ["azcnf_coated_li"],
                       "results_file": "parameters_si.json",
                       "parameters": {"coating_thickness": {"values": ["10 nm", "40 nm"]}},
                       "outputs": ["used_up_at_cycle", "capacity"]})
    store = PointStore(tmp_path)
    store.folder.mkdir(parents=True)
    for point, used in zip(spec.points, [None, 1234], strict=True):
        store.write(point, {"status": "ok", "elapsed_s": 1.0, "error": None,
                            "summary": {"used_up_at_cycle": used, "capacity": 2.0}}, "process")
    assert store.finished(spec.points, spec.outputs)[0] == {p.id for p in spec.points}
    results, _, failed = gather(spec, tmp_path, plots=False)
    assert failed == 0
    ds = xr.load_dataset(results)
    assert list(ds["status"].values) == [1, 1]
    used = ds["used_up_at_cycle"]
    assert np.isnan(used.values[0]) and used.values[1] == 1234
    assert used.attrs["null_points"] == 1 and ds["capacity"].attrs["null_points"] == 0
    assert json.loads((tmp_path / "failures.json").read_text()) == []
