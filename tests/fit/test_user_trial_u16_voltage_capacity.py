"""User trial U16: a voltage-capacity curve without a time column (a paper's figure, a
cycler's V-Q export) is fitted with `voltage_vs_capacity` at its one-step constant-current
protocol: the charge Q is passed at t = Q / |I|. It was refused ('missing: time')."""

from __future__ import annotations

import numpy as np
import pytest
import yaml

from hemcell.errors import InputError
from hemcell.resources import repo_root
from hemcell.workflows.fit import fit, load_spec, make_problem

CURVE = repo_root() / "examples" / "data" / "synthetic_rate_0.2Ag.csv"


def _without_time(tmp_path, name="vq.csv", protocol=True):
    lines = [ln for ln in CURVE.read_text().splitlines() if not ln.startswith("#")]
    rows = [ln.split(",") for ln in lines]
    (tmp_path / name).write_text("\n".join(f"{r[3]},{r[2]}" for r in rows) + "\n")
    spec = {"model": {"command": "cell run", "recipe": "hem_half_cell_sp",
                      "params": "heo_rocksalt_mgconicuzn",
                      "mechanisms": ["intercalation", "conversion", "alloying", "space_charge"]},
            "data": [{"file": name, **({"protocol": "Discharge at 0.2 A/g until 0.01 V"}
                                       if protocol else {})}],
            "fit": {"parameters": {"conversion_exchange_current_density": {
                "initial": "3e-3 A/m**2", "bounds": ["1e-5 A/m**2", "1e-1 A/m**2"]}},
                "multistart": 1, "profile": False},
            "objective": {"signal": "voltage_vs_capacity", "noise": {"sigma": "5 mV"}}}
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump(spec))
    return path


def test_the_model_times_are_those_of_the_curve_with_its_times(tmp_path):
    with_time = _without_time(tmp_path)
    spec = yaml.safe_load(with_time.read_text())
    spec["data"][0]["file"] = str(CURVE)
    (tmp_path / "timed.yaml").write_text(yaml.safe_dump(spec))
    plain = make_problem(load_spec(with_time)).datasets[0]
    timed = make_problem(load_spec(tmp_path / "timed.yaml")).datasets[0]
    # the file's capacities are written to 1e-5 mAh/g: 5e-6 of 2 mAh/g at the 2nd row
    assert np.allclose(plain.model_times_s, timed.model_times_s, rtol=1e-5, atol=1e-3)
    assert np.array_equal(plain.observed, timed.observed)


def test_it_fits_back_the_exchange_current(tmp_path):
    """Synthetic curve of the shipped value 1e-3 A/m**2 with 5 mV noise (the with-time fit
    of the same curve: docs/fitting.md examples)."""
    res = fit(load_spec(_without_time(tmp_path)), profiles=False)
    value = float(res.problem.params[0].from_x(res.x[0]))
    assert abs(np.log10(value / 1e-3)) < 0.05, value


def test_without_a_constant_current_it_is_refused(tmp_path):
    with pytest.raises(InputError) as exc:
        make_problem(load_spec(_without_time(tmp_path, protocol=False)))
    assert "vq.csv" in exc.value.field and "constant-current protocol" in exc.value.allowed
