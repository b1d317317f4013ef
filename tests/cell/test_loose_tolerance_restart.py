"""The four-mechanism P2D anode's benchmark cycle at rtol 1e-4, atol 1e-6 (the loosest of
the tolerances the recipe is meant to run at) runs to its end, without a restart, in
``cell run`` and in a plain ``sim.solve()``, close to a tight reference.

With the intercalation current as 2 j0 sinh(F eta / 2RT) and PyBaMM's j0 proportional to
(theta (1 - theta))^1/2, it failed with IDA_CONV_FAIL at t = 743 s of the discharge: the
particles are full there (surface stoichiometry 0.9998), rtol 1e-4 lets the stoichiometry
err by half its distance to 1, where that j0 has an unbounded slope (and is 0 past 1). The
solver's restart (:class:`hemcell.idaklu.StateToleranceSolver`) got it through, but with
the charge capacity 4.1e-3 low. The mass-action form of the same current
(:mod:`hemcell.cell.mechanisms.intercalation`) is smooth through theta = 1 (docs/anode.md
"Numerics", "A convergence failure at loose tolerance").
"""

from __future__ import annotations

import logging
from dataclasses import replace

import pytest

from hemcell.workflows.anode import build_simulation, prepare_cell, solve_cell, summarize

PROTOCOL = "Discharge at 0.5 A/g until 0.01 V; Rest for 10 minutes; Charge at 0.5 A/g until 3 V"
LOOSE = {"rtol": 1e-4, "atol": 1e-6}
#: rtol 1e-7, atol 1e-9 (measured: 838.757038 / 462.168587 mAh/g); the loose run measured
#: +3.1e-6 / +2.9e-5 from it. Bound: rtol itself, 1e-4 relative.
REFERENCE = {"rtol": 1e-7, "atol": 1e-9}
BOUND = 1e-4


@pytest.fixture(scope="module")
def setup():
    """The benchmark cycle as ``cell run`` resolves it (benchmarks/bench_anode.py)."""
    return prepare_cell("hem_half_cell_p2d", "heo_rocksalt_mgconicuzn", PROTOCOL)


def _sim(setup, **solver):
    rec = replace(setup.recipe, solver={**setup.recipe.solver, **solver})
    return build_simulation(rec, setup.parameter_values, setup.inventory, setup.experiment)


def _capacities(setup, **solver) -> tuple[float, float]:
    run = solve_cell(replace(setup, recipe=replace(
        setup.recipe, solver={**setup.recipe.solver, **solver})), _sim(setup, **solver))
    assert run.error is None
    summary, _, _ = summarize(run, timeseries=False)
    return summary["discharge_capacity_mAh_per_g"][0], summary["charge_capacity_mAh_per_g"][0]


def test_a_plain_pybamm_solve_at_rtol_1e_4_completes_the_cycle_without_a_restart(setup, caplog):
    """``pybamm.Simulation.solve`` with the recipe's solver: all three steps end as they
    should (cut-off, duration, cut-off), and the solver never restarts."""
    with caplog.at_level(logging.WARNING, logger="pybamm.logger"):
        sol = _sim(setup, **LOOSE).solve()
    assert [str(step.termination) for step in sol.cycles[0].steps] == [
        "event: Voltage < 0.01 [V] [experiment]", "final time",
        "event: Voltage > 3.0 [V] [experiment]"]
    assert not [r for r in caplog.records if "restarted from the last state" in r.getMessage()]


def test_cell_run_at_rtol_1e_4_is_within_rtol_of_a_tight_reference(setup):
    """``solve_cell`` (every ``cell run``): no error, capacities within 1e-4 of rtol 1e-7's."""
    loose, tight = _capacities(setup, **LOOSE), _capacities(setup, **REFERENCE)
    assert loose[0] == pytest.approx(tight[0], rel=BOUND)
    assert loose[1] == pytest.approx(tight[1], rel=BOUND)
