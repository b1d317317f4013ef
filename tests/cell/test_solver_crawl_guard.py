"""The crawl guard of :class:`hemcell.idaklu.StateToleranceSolver` (module docstring,
"Crawl guard"; docs/anode.md "Numerics", "Solves that crawl").

A solve whose steps stay far too short for the time left ran without end: IDAKLU's stall
guard (1 000 steps within 1 ms) does not see steps of 0.25 ms, and its ``max_num_steps``
never counts (one step per ``IDASolve`` call). The constructed crawl is an oscillation of
period 10 ms driven over 200 s: IDA resolves every period (about 40 steps each, 810 000
steps in all). Every check counts steps or simulated time, never wall-clock time.
"""

from __future__ import annotations

import logging

import numpy as np
import pybamm
import pytest

import hemcell.idaklu as idaklu
from hemcell.idaklu import (
    CRAWL_FACTOR,
    CRAWL_STEPS,
    STALL_STEPS,
    STALL_TIME_S,
    StateToleranceSolver,
    with_stall_guard,
)

#: The constructed crawl: period [s] of the driven oscillation and the solve's span [s].
CRAWL_PERIOD_S, CRAWL_SPAN_S = 1e-2, 200.0


def _oscillator(period_s: float) -> pybamm.BaseModel:
    """dy/dt = cos(2 pi t / P), z = y (one differential, one algebraic state), y(0) = 0:
    y = P / (2 pi) sin(2 pi t / P)."""
    model = pybamm.BaseModel("driven oscillation")
    y, z = pybamm.Variable("y"), pybamm.Variable("z")
    model.rhs = {y: pybamm.cos(2 * np.pi * pybamm.t / period_s)}
    model.algebraic = {z: z - y}
    model.initial_conditions = {y: 0.0, z: 0.0}
    model.variables = {"y": y}
    pybamm.Discretisation().process_model(model)
    return model


def _exact(t: np.ndarray, period_s: float) -> np.ndarray:
    return period_s / (2 * np.pi) * np.sin(2 * np.pi * t / period_s)


def _solve(period_s: float, span_s: float, rtol: float = 1e-6, atol: float = 1e-8):
    solver = StateToleranceSolver(rtol=rtol, atol=atol, options=with_stall_guard({}),
                                  on_failure="warn")
    return solver, solver.solve(_oscillator(period_s), [0.0, span_s])


def test_a_crawl_fails_after_one_budget_naming_its_time_and_pace():
    with pytest.warns(UserWarning, match="the solve crawled") as caught:
        solver, sol = _solve(CRAWL_PERIOD_S, CRAWL_SPAN_S)
    text = next(str(w.message) for w in caught if "crawled" in str(w.message))
    assert sol.termination == "failure"
    assert sol.solver_statistics.number_of_steps == CRAWL_STEPS
    t_fail = float(sol.t[-1])
    assert 0.0 < t_fail < CRAWL_SPAN_S / CRAWL_FACTOR
    assert f"to {t_fail:.6g} s" in text and f"to t = {CRAWL_SPAN_S:.6g} s" in text
    # the steps kept are the solution up to there
    y = sol["y"].entries
    assert np.abs(y - _exact(sol.t, CRAWL_PERIOD_S)).max() < 1e-6  # 1.1e-7 measured
    # the solver's options still read the stall guard it was given
    assert solver.options["num_steps_no_progress"] == STALL_STEPS
    assert solver.options["t_no_progress"] == STALL_TIME_S


def test_the_stall_guard_alone_lets_that_crawl_run_to_its_end():
    """Without the budget (PyBaMM's IDAKLU with the stall guard only) the same oscillation
    over a quarter of the span runs to its end: about 200 000 steps, none stalled."""
    solver = pybamm.IDAKLUSolver(rtol=1e-6, atol=1e-8, options=with_stall_guard({}))
    sol = solver.solve(_oscillator(CRAWL_PERIOD_S), [0.0, CRAWL_SPAN_S / 4])
    assert sol.termination == "final time"
    assert sol.solver_statistics.number_of_steps > 10 * CRAWL_STEPS


def test_a_solve_over_budget_that_keeps_its_pace_goes_on(monkeypatch, caplog):
    """A budget of 500 steps on a smooth solve that needs about 3 000 (period 10 s over
    200 s at rtol 1e-8): each segment advances more than a tenth of what is left, so the
    solve goes on from its last state and ends at its final time, as accurate as without
    the budget (its error: 2.2e-7 of the amplitude 1.6)."""
    period = 10.0
    _, whole = _solve(period, 200.0, rtol=1e-8, atol=1e-10)
    err_whole = np.abs(whole["y"].entries - _exact(whole.t, period)).max()
    monkeypatch.setattr(idaklu, "CRAWL_STEPS", 500)
    with caplog.at_level(logging.WARNING, logger=pybamm.logger.name):
        _, sol = _solve(period, 200.0, rtol=1e-8, atol=1e-10)
    assert sol.termination == "final time" and float(sol.t[-1]) == pytest.approx(200.0)
    went_on = [r for r in caplog.records if "step budget" in r.getMessage()]
    assert 1 <= len(went_on) < CRAWL_FACTOR
    err = np.abs(sol["y"].entries - _exact(sol.t, period)).max()
    assert err < 1e-6 and err_whole < 1e-6


def test_a_recipe_s_own_window_reaches_idaklu_as_given():
    """A window other than the stall guard's default is IDAKLU's, without the budget."""
    solver = StateToleranceSolver(rtol=1e-6, atol=1e-8,
                                  options={"num_steps_no_progress": 20, "t_no_progress": 1000.0},
                                  on_failure="warn")
    with pytest.warns(UserWarning, match="IDA_ERR_FAIL"):
        sol = solver.solve(_oscillator(CRAWL_PERIOD_S), [0.0, CRAWL_SPAN_S])
    assert sol.solver_statistics.number_of_steps == 20


def test_the_verdict_on_a_segment():
    """A segment that advanced a tenth of what is left or more goes on; one that advanced
    less has crawled; one that advanced nothing (a stall) has crawled without end."""
    assert idaklu._crawl(0.0, 10.0, 110.0) is None  # 100 s left = 10 x 10 s
    crawled = idaklu._crawl(0.0, 10.0, 111.0)
    assert crawled is not None and "about 1.01e+05 more steps" in crawled
    assert "steps without end" in idaklu._crawl(5.0, 5.0, 6.0)
