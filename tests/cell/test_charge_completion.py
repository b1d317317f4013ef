"""Charges of the anode half-cell that used to end in IDA_ERR_FAIL, run to their end.

- Conversion's delithiation branch reads the free metal ξ_free only where there is some
  (the shrinking-core factor of max(ξ_free, 0)): a solver overshoot ξ_free < 0 of
  ~10⁻¹² drove the branch *backwards* (lithiating at 2.9 V), saturated at the product
  shell's limit, so ξ_free chattered about zero and IDA failed on the last rise to 3 V of
  a 0.05 A/g charge of InGeSiP3 (docs/anode.md "Numerics", "Completion").
- The electrolyte cut-off watches the Li metal surface (the extrapolated concentration
  the counter electrode's kinetics read): a 5 A/g charge at 273 K empties it within
  seconds (Sand's time) while every node still holds electrolyte, and IDA failed with
  j0_Li → 0.
- The metal surface passes the current as Li⁺ only, exactly: the 2 A/g cycle at 273 K
  keeps the electrolyte's salt (it lost 39 % and the charge ended at the surface's
  cut-off after 196 mAh/g instead of reaching 3 V).
- The single-particle recipe runs with PyBaMM's unified experiment model: its voltage is
  a scalar, not a field on the zero-dimensional current collector.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

pybamm = pytest.importorskip("pybamm")

from hemcell.workflows.anode import (  # noqa: E402
    build_simulation,
    prepare_cell,
    run_cell,
    solve_cell,
    summarize,
)

CYCLE = "Discharge at {I} until 0.01 V; Rest for 10 minutes; Charge at {I} until 3 V"


def test_ingesip3_slow_charge_reaches_3_V_with_no_reaction_against_its_driving_force():
    run = run_cell("hem_half_cell_p2d", "mep_ingesip3", CYCLE.format(I="0.05 A/g"))
    assert run.error is None, run.error
    charge = run.solution.cycles[0].steps[-1]
    assert "Voltage > 3" in str(charge.termination)
    v = charge["Voltage [V]"].entries
    assert v[-1] == pytest.approx(3.0, abs=1e-6)
    # above 2 V every conversion branch is either delithiating or closed: the conversion
    # current (lithiation < 0) never runs backwards (it reached -2.7e4 A/m3 at 2.86 V)
    j = charge["Anode conversion volumetric current density [A.m-3]"].entries
    high = v > 2.0
    assert high.sum() > 5
    assert j[:, high].min() >= 0.0
    summary, _, _ = summarize(run, timeseries=False)
    # charge conservation over the completed cycle (exact in the equations)
    assert abs(summary["charge_balance_relative_error"]) < 1e-8
    # the charge returns all but the irreversible part of the first lithiation
    assert 1800 < summary["charge_capacity_mAh_per_g"][0] < 1900


@pytest.mark.parametrize("params", ["heo_rocksalt_mgconicuzn", "mep_ingesip3"])
def test_fast_cold_cycle_keeps_the_electrolyte_salt_and_charges_to_3_V(params):
    setup = prepare_cell("hem_half_cell_p2d", params, CYCLE.format(I="2 A/g"),
                         overrides=["ambient_temperature=273.15 K"])
    sim = build_simulation(setup.recipe, setup.parameter_values, setup.inventory,
                           setup.experiment)
    run = solve_cell(setup, sim)
    assert run.error is None, run.error
    assert "Voltage > 3" in str(run.solution.cycles[0].steps[-1].termination)
    # the anions never leave the electrolyte and the Li+ the metal gives equals what the
    # anode takes: its salt is constant (exact in the equations; the solver's rtol 1e-6
    # holds it to ~4e-10; the metal surface's flux as 1/(tor D_e) extrapolated lost 39 %)
    n_e = run.solution["Total lithium in electrolyte [mol]"].entries
    assert np.abs(n_e / n_e[0] - 1).max() < 1e-8


def test_fast_cold_charge_ends_where_the_li_surface_runs_out_of_electrolyte():
    setup = prepare_cell("hem_half_cell_p2d", "mep_ingesip3",
                         "Discharge at 2 A/g until 0.01 V; Rest for 10 minutes; "
                         "Charge at 5 A/g until 3 V", overrides=["ambient_temperature=273.15 K"])
    sim = build_simulation(setup.recipe, setup.parameter_values, setup.inventory,
                           setup.experiment)
    run = solve_cell(setup, sim)
    assert run.error is None, run.error
    charge = run.solution.cycles[0].steps[-1]
    assert str(charge.termination) == "event: Zero electrolyte concentration cut-off"
    # every node still holds electrolyte; the surface value (linearly extrapolated from
    # the first two nodes onto x = 0) is used up
    c_nodes = charge["Electrolyte concentration [mol.m-3]"].entries[:, -1]
    assert c_nodes.min() > 1.0
    x0, x1 = sim.mesh["separator"].nodes[:2] - sim.mesh["separator"].edges[0]
    c_surface = c_nodes[0] - (c_nodes[1] - c_nodes[0]) * x0 / (x1 - x0)
    assert c_surface == pytest.approx(0.002, abs=1e-3)


def test_single_particle_recipe_runs_in_unified_experiment_mode_as_in_legacy_mode():
    protocol = CYCLE.format(I="0.5 A/g")
    caps = {}
    for mode in ("legacy", "unified"):
        setup = prepare_cell("hem_half_cell_sp", "heo_rocksalt_mgconicuzn", protocol)
        rec = replace(setup.recipe, experiment_model=mode)
        sim = build_simulation(rec, setup.parameter_values, setup.inventory, setup.experiment)
        run = solve_cell(replace(setup, recipe=rec), sim)
        assert run.error is None, run.error
        s, _, _ = summarize(run, timeseries=False)
        caps[mode] = np.array([s["discharge_capacity_mAh_per_g"][0],
                               s["charge_capacity_mAh_per_g"][0],
                               s["mean_discharge_voltage_V"][0], s["mean_charge_voltage_V"][0]])
    np.testing.assert_allclose(caps["unified"], caps["legacy"], rtol=1e-5)


def test_solver_failure_hint_of_a_current_step_does_not_blame_the_current_first():
    from hemcell.cell.protocols import solver_failure_hint

    hint = solver_failure_hint("Charge at 0.05 A/g until 3 V")
    assert "cut-off slightly inside" in hint
    assert not hint.startswith("try a smaller current")


def test_a_step_that_fails_part_way_keeps_its_results_up_to_the_failure(tmp_path, monkeypatch):
    """IDA allowed one convergence failure per step (KLU, then the dense-LU retry) fails
    part-way into a current step: that part of the step is kept and written, marked. (The
    failure is provoked with the potentials at the former solver scale of 1 V and the
    recipe's atol on them, 10 nV: at the model's ``POTENTIAL_SCALE_V`` (1 µV) the dense-LU
    retry gets through this cycle.)"""
    import json

    from hemcell import idaklu
    from hemcell.cell import model as cell_model
    from hemcell.errors import SimulationError
    from hemcell.workflows.anode import write_outputs

    monkeypatch.setattr(cell_model, "POTENTIAL_SCALE_V", 1.0)
    monkeypatch.setattr(idaklu, "POTENTIAL_SCALE_V", 1.0)
    monkeypatch.setattr(idaklu, "RESTARTS", 0)  # the solver's restart would get through
    setup = prepare_cell("hem_half_cell_sp", "heo_rocksalt_mgconicuzn",
                         CYCLE.format(I="0.5 A/g"))
    rec = replace(setup.recipe, solver={**setup.recipe.solver, "max_convergence_failures": 1})
    sim = build_simulation(rec, setup.parameter_values, setup.inventory, setup.experiment)
    run = solve_cell(replace(setup, recipe=rec), sim)
    err = run.error
    assert isinstance(err, SimulationError) and "IDA_CONV_FAIL" in err.message
    assert err.step in ("Discharge at 0.5 A/g until 0.01 V", "Charge at 0.5 A/g until 3 V")
    failed = run.solution.cycles[-1].steps[-1]
    assert str(failed.termination) == "failure" and len(failed.t) > 10
    assert err.time_s == pytest.approx(float(failed.t[-1]))
    assert err.time_s - float(failed.t[0]) > 100
    with pytest.raises(SimulationError):
        write_outputs(run, tmp_path, plots_on=False)
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["completed"] is False and summary["termination"] == "failure"
    # the capacity the failed step passed up to the failure, from the kept curve: I t / m
    key = ("discharge" if err.step.startswith("Discharge") else "charge") + \
        "_capacity_mAh_per_g"
    q = summary[key][0]
    assert q == pytest.approx(0.5 * (err.time_s - float(failed.t[0])) / 3.6, rel=1e-6)
    table = np.genfromtxt(tmp_path / "timeseries.csv", delimiter=",", names=True)
    assert table["time_s"][-1] == pytest.approx(err.time_s)
