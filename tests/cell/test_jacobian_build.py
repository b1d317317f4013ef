"""The solver's Jacobians built from one expansion of the whole residual
(hemcell.cell.model.ResidualJacobian, docs/anode.md "Numerics", "Build time of a run").

PyBaMM's solver set-up asks the model for three Jacobians: of the differential rows, of
the algebraic rows and of the whole residual. The model differentiates the whole
residual once and hands out row blocks:

- each equals CasADi's derivative of the residual PyBaMM converts, to round-off, for the
  P2D and the single-particle half cell, one model per step and one for the protocol;
- the algebraic rows' and the whole residual's Jacobians are the very functions the
  model built before, differentiating each request on its own: equal bit for bit, so
  IDAKLU's initial states and steps do not change;
- a request that is not a row block of the whole residual (other values, other symbols)
  is differentiated on its own;
- nothing of the build stays on the model after the solver's set-up.
"""

from __future__ import annotations

from dataclasses import replace

import casadi
import numpy as np
import pybamm
import pytest

from hemcell.cell.model import ResidualJacobian, scalar_jacobian
from hemcell.workflows.anode import build_simulation, prepare_cell

PARAMS = "heo_rocksalt_mgconicuzn"
#: Short enough to solve in a second, two steps so that one model per step gives two.
PROTOCOL = "Discharge at 0.5 A/g for 5 minutes; Rest for 2 minutes"
#: Largest difference from PyBaMM's derivative relative to the row's largest entry
#: (the expansion to scalars reorders sums).
ROUND_OFF = 1e-12


@pytest.fixture(scope="module", params=[("hem_half_cell_p2d", "unified"),
                                        ("hem_half_cell_p2d", "legacy"),
                                        ("hem_half_cell_sp", "unified"),
                                        ("hem_half_cell_sp", "legacy")],
                ids=lambda p: f"{p[0]}-{p[1]}")
def solution(request) -> pybamm.Solution:
    recipe, mode = request.param
    setup = prepare_cell(recipe, PARAMS, PROTOCOL)
    rec = replace(setup.recipe, experiment_model=mode)
    return build_simulation(rec, setup.parameter_values, setup.inventory,
                            setup.experiment).solve()


class Symbols:
    """The solver's symbols of time, state (its two parts) and inputs, as PyBaMM's set-up
    makes them, and the model's residuals converted on them."""

    def __init__(self, model: pybamm.BaseModel, inputs: dict) -> None:
        self.t = casadi.MX.sym("t")
        self.y = casadi.vertcat(casadi.MX.sym("y_diff", model.len_rhs),
                                casadi.MX.sym("y_alg", model.len_alg))
        self.inputs = {k: casadi.MX.sym(k, np.size(v)) for k, v in inputs.items()}
        self.p = casadi.vertcat(*self.inputs.values())
        self.values_p = casadi.DM(np.vstack([np.reshape(v, (-1, 1)) for v in inputs.values()])
                                  if inputs else np.zeros((0, 1)))
        self.residuals = {
            "rhs": model.concatenated_rhs,
            "algebraic": model.concatenated_algebraic,
            "whole": pybamm.NumpyConcatenation(model.concatenated_rhs,
                                               model.concatenated_algebraic),
        }

    def converted(self, part: str) -> casadi.MX:
        """The part of the residual converted as PyBaMM's set-up converts it."""
        return self.residuals[part].to_casadi(self.t, self.y, inputs=self.inputs)

    def function(self, jacobian: casadi.MX) -> casadi.Function:
        return casadi.Function("J", [self.t, self.y, self.p], [jacobian])


def _dense(function, t: float, y: np.ndarray, p: casadi.DM) -> np.ndarray:
    return np.asarray(casadi.densify(function(t, casadi.DM(y), p)))


def _states(sol: pybamm.Solution):
    """(model, inputs, [(t, y)]) of each model of the solution, at five of its states."""
    for model, ys, ts, inputs in zip(sol.all_models, sol.all_ys, sol.all_ts, sol.all_inputs,
                                     strict=True):
        ys = np.asarray(ys)
        picks = np.linspace(0, ys.shape[1] - 1, 5).astype(int)
        yield model, inputs, [(float(ts[k]), ys[:, k]) for k in picks]


def test_the_three_jacobians_are_pybamms_derivatives(solution):
    """Each of the solver's Jacobians equals CasADi's derivative (on PyBaMM's matrix
    graph) of the residual PyBaMM converts for it, to round-off row by row."""
    for model, inputs, states in _states(solution):
        s = Symbols(model, inputs)
        solver_jacobians = {"rhs": model.jac_rhs_eval, "algebraic": model.jac_algebraic_eval,
                            "whole": model.jac_rhs_algebraic_eval}
        for part, got in solver_jacobians.items():
            expected = s.function(casadi.jacobian(s.converted(part), s.y))
            for t, y in states:
                e, g = _dense(expected, t, y, s.values_p), _dense(got, t, y, s.values_p)
                scale = np.max(np.abs(e), axis=1, keepdims=True) + 1e-300
                assert np.max(np.abs(g - e) / scale) < ROUND_OFF, part


def test_algebraic_and_whole_jacobians_are_unchanged_bit_for_bit(solution):
    """The Jacobians IDAKLU evaluates (the whole residual's for its steps, the algebraic
    rows' for its consistent initial state) are those of each request differentiated on
    its own on the scalar graph, equal bit for bit; the differential rows' (which IDAKLU
    does not read) to round-off."""
    for model, inputs, states in _states(solution):
        s = Symbols(model, inputs)
        solver_jacobians = {"rhs": model.jac_rhs_eval, "algebraic": model.jac_algebraic_eval,
                            "whole": model.jac_rhs_algebraic_eval}
        for part, got in solver_jacobians.items():
            own = s.function(scalar_jacobian(s.converted(part), s.y))
            for t, y in states:
                e, g = _dense(own, t, y, s.values_p), _dense(got, t, y, s.values_p)
                if part == "rhs":
                    scale = np.max(np.abs(e), axis=1, keepdims=True) + 1e-300
                    assert np.max(np.abs(g - e) / scale) < ROUND_OFF
                else:
                    assert np.array_equal(g, e), part


def test_the_build_is_not_kept_on_the_model(solution):
    for model in solution.all_models:
        assert "_residual_jacobian" not in model.__dict__


def test_a_request_that_is_no_row_block_is_differentiated_on_its_own(solution):
    """Another function of the same size (the algebraic rows doubled, the differential
    rows in another order), or a residual in a symbol the whole one does not have, is
    refused by the shared build and gets its own derivative from the model."""
    model, inputs, states = next(_states(solution))
    s = Symbols(model, inputs)
    shared = ResidualJacobian.build(model, s.y)
    assert shared is not None
    algebraic, rhs = s.converted("algebraic"), s.converted("rhs")
    for part in ("rhs", "algebraic", "whole"):
        assert shared.block(s.converted(part), s.y) is not None, part
    other_symbol = casadi.MX.sym("Not an input of the model")
    others = {
        "doubled": 2 * algebraic,
        "other order": casadi.vertcat(rhs[1:], rhs[0]),
        "unknown symbol": algebraic * (1 + other_symbol),
    }
    for name, expression in others.items():
        assert shared.block(expression, s.y) is None, name
    t, y = states[-1]
    for name in ("doubled", "other order"):
        expression = others[name]
        got = s.function(model.build_casadi_jacobian(expression, s.y))
        expected = s.function(casadi.jacobian(expression, s.y))
        e, g = _dense(expected, t, y, s.values_p), _dense(got, t, y, s.values_p)
        scale = np.max(np.abs(e), axis=1, keepdims=True) + 1e-300
        assert np.max(np.abs(g - e) / scale) < ROUND_OFF, name
    model.__dict__.pop("_residual_jacobian", None)


def test_the_residual_check_is_bit_for_bit():
    """A request's residual passes the check only equal bit for bit to the whole one's
    rows, not finite in the same entries, and finite in some."""
    same = ResidualJacobian._same_values
    a = np.array([1.0, -2.0, np.nan, np.inf])
    assert same(a.copy(), a)
    assert not same(a + np.array([1e-15, 0, 0, 0]), a)
    assert not same(np.array([1.0, -2.0, 0.0, np.inf]), a)
    assert not same(np.full(2, np.nan), np.full(2, np.nan))
