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
