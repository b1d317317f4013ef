"""The four-mechanism P2D anode's benchmark cycle at rtol 1e-4, atol 1e-6 (the loosest of
issue #18's range) runs to its end, in ``cell run`` and in a plain ``sim.solve()``.

It failed with IDA_CONV_FAIL at t = 743 s of the discharge: the intercalation particles
are full there (surface stoichiometry 0.9998), rtol 1e-4 lets the stoichiometry err by
half its distance to 1, and IDA's accepted states drifted up to 34 mV off the solution of
their algebraic equations until no step size brought its Newton iteration back. Dense LU
with the same Newton settings fails at the same time, so it is not KLU's pivot order.
The solver (:class:`hemcell.idaklu.StateToleranceSolver`) restarts such a solve from its
last state with consistent initial conditions (docs/anode.md "Numerics", "A convergence
failure at loose tolerance").
"""

from __future__ import annotations

import logging
from dataclasses import replace

import pybamm
import pytest

from hemcell import idaklu
from hemcell.workflows.anode import build_simulation, prepare_cell, solve_cell

PROTOCOL = "Discharge at 0.5 A/g until 0.01 V; Rest for 10 minutes; Charge at 0.5 A/g until 3 V"
LOOSE = {"rtol": 1e-4, "atol": 1e-6}


@pytest.fixture(scope="module")
def setup():
    """The benchmark cycle as ``cell run`` resolves it (benchmarks/bench_anode.py)."""
    return prepare_cell("hem_half_cell_p2d", "heo_rocksalt_mgconicuzn", PROTOCOL)


def _sim(setup, **solver):
    rec = replace(setup.recipe, solver={**setup.recipe.solver, **solver})
    return build_simulation(rec, setup.parameter_values, setup.inventory, setup.experiment)


def _terminations(sol) -> list[str]:
    return [str(step.termination) for step in sol.cycles[0].steps]


def test_a_plain_pybamm_solve_at_rtol_1e_4_completes_the_cycle(setup, caplog):
    """``pybamm.Simulation.solve`` with the recipe's solver: all three steps end as they
    should (cut-off, duration, cut-off), after a restart."""
    with caplog.at_level(logging.WARNING, logger="pybamm.logger"):
        sol = _sim(setup, **LOOSE).solve()
    assert _terminations(sol) == ["event: Voltage < 0.01 [V] [experiment]", "final time",
                                  "event: Voltage > 3.0 [V] [experiment]"]
    restarts = [r.getMessage() for r in caplog.records if "restarted from the last state" in
                r.getMessage()]
    assert 1 <= len(restarts) <= idaklu.RESTARTS  # one in CasADi's VM, two compiled
    assert any(failure in restarts[0] for failure in idaklu._RESTARTED_FAILURES)


def test_cell_run_at_rtol_1e_4_completes_close_to_the_recipe_tolerance(setup):
    """``solve_cell`` (every ``cell run``): no error, and the capacities near those at the
    recipe's rtol 1e-6. Measured at 1e-4: discharge +3.9e-5, charge -4.1e-3 relative (the
    loose tolerance's own error: rtol 1e-4 holds the full particles' surface stoichiometry
    only to half its distance from 1; docs/anode.md); bounds 1e-3 and 1e-2."""
    from hemcell.workflows.anode import summarize

    def capacities(**solver):
        run = solve_cell(replace(setup, recipe=replace(
            setup.recipe, solver={**setup.recipe.solver, **solver})), _sim(setup, **solver))
        assert run.error is None
        summary, _, _ = summarize(run, timeseries=False)
        return (summary["discharge_capacity_mAh_per_g"][0],
                summary["charge_capacity_mAh_per_g"][0])

    loose, tight = capacities(**LOOSE), capacities()
    assert loose[0] == pytest.approx(tight[0], rel=1e-3)
    assert loose[1] == pytest.approx(tight[1], rel=1e-2)


@pytest.mark.parametrize("linear_solver", [{}, {"linear_solver": "SUNLinSol_Dense",
                                                "jacobian": "dense"}])
def test_without_the_restart_the_discharge_fails_with_klu_and_with_dense_lu(
        setup, monkeypatch, linear_solver):
    """The failure the restart answers, with KLU and with dense LU at the recipe's Newton
    settings alike: a convergence failure (or, KLU, a failed factorisation of the Newton
    matrix) part-way into the discharge."""
    monkeypatch.setattr(idaklu, "RESTARTS", 0)
    sim = _sim(setup, **LOOSE, **linear_solver)
    with pytest.warns(UserWarning, match="|".join(idaklu._RESTARTED_FAILURES)):
        sim.build_for_experiment()
        sim._built_experiment_solver.on_failure = "warn"
        sol = sim.solve()
    discharge = sol.cycles[0].steps[0]
    assert str(discharge.termination) == "failure"
    assert 100.0 < float(discharge.t[-1]) < 5000.0
    assert isinstance(sol, pybamm.Solution) and len(sol.cycles[0].steps) == 1
