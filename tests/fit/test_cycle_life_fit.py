"""`cell cycle-life` as a fit's model: its cycle numbers are a cycler's (and `cell run`'s),
and the fit re-solves one built model per temperature instead of rebuilding it."""

from __future__ import annotations

import numpy as np
import pytest
import yaml

from hemcell.cli.main import main

BASE = "heo_rocksalt_mgconicuzn"
CYCLE = "Discharge at 1 A/g until 0.01 V; Charge at 1 A/g until 3 V"
I0 = "conversion_exchange_current_density"


def _problem(tmp_path, data_file, parameters):
    from hemcell.workflows.fit import load_spec, make_problem

    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump({
        "model": {"command": "cell cycle-life", "recipe": "hem_half_cell_sp", "params": BASE,
                  "protocol": CYCLE, "tol": 0.05},
        "data": [{"file": str(data_file)}],
        "fit": {"parameters": parameters, "multistart": 1, "profile": False},
        "objective": {"signal": "capacity_per_cycle", "noise": {"sigma": "0.5 mAh/g"}}}))
    return make_problem(load_spec(path))


def test_a_cell_run_record_is_the_cycle_life_model_at_its_cycle_numbers(tmp_path):
    """A cycler's record numbers its first (formation) cycle 1; `cell run --cycles 2`'s
    time series, as such a record, gives the charge capacity of cycles 1 and 2, and the
    cycle-life model of a fit gives the same at the same cycle numbers (1e-5 relative,
    ten times the solver's rtol). Before, the model's cycle 1 was the run's cycle 2: a
    fit compared 400.7 mAh/g measured with 420.7 modelled."""
    run = tmp_path / "run"
    assert main(["cell", "run", "hem_half_cell_sp", "--params", BASE, "--protocol", CYCLE,
                 "--cycles", "2", "--out", str(run), "--no-plots"]) == 0
    problem = _problem(tmp_path, run / "timeseries.csv",
                       {"fatigue_paris_coefficient": {"initial": "1.72e-11 m",
                                                      "bounds": ["1e-12 m", "1e-8 m"]}})
    ds = problem.datasets[0]
    assert list(ds.x_axis) == [1, 2]
    model = problem.model_signals(problem.x0)[0]
    assert model == pytest.approx(ds.observed, rel=1e-5)
    assert ds.observed[1] / ds.observed[0] == pytest.approx(420.7 / 400.7, rel=1e-3)


def test_the_fit_builds_one_model_per_temperature(tmp_path, monkeypatch):
    """Fit evaluations re-solve the cycle-life model: one build at the first evaluation,
    with the active fraction and the fitted PyBaMM value inputs from the start (prepared
    at another φ and at the value's bounds), none after; before, every one of the ~2
    evaluations of each run built it."""
    import hemcell.workflows.anode as anode
    import hemcell.workflows.anode_sweep as sweep

    data = tmp_path / "cycle_life.csv"
    data.write_text("cycle,charge_capacity_mAh_per_g\n1,400\n2,420\n300,410\n")
    problem = _problem(tmp_path, data, {I0: {"initial": "1e-3 A/m**2",
                                             "bounds": ["1e-5 A/m**2", "1e-1 A/m**2"]}})
    builds = []
    build = anode.build_simulation

    def counted(*args, **kwargs):
        builds.append(kwargs.get("expected_solves"))
        return build(*args, **kwargs)

    monkeypatch.setattr(anode, "build_simulation", counted)
    monkeypatch.setattr(sweep, "_BUILT", {})
    monkeypatch.setattr(sweep, "_MESH_PARAMETERS", {})
    values = [problem.model_signals(problem.x0 + dx)[0] for dx in (0.0, 0.1, -0.2)]
    shared = [b for b in builds if b is not None]  # the others: the mesh parameters' read
    assert len(shared) == 1 and len(builds) == 2
    assert problem.evaluations == 3
    assert not np.allclose(values[0], values[1], rtol=1e-6)  # the input moves the model
