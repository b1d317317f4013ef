"""The Jacobians the model hands PyBaMM's solver set-up (hemcell.cell.model.HEMHalfCell.
build_casadi_jacobian; docs/anode.md "Numerics", "Build time of a run").

PyBaMM's set-up asks for three: of the whole residual (IDAKLU's steps), of the algebraic
rows (IDAKLU's consistent initial state) and of the differential rows (read by no
IDAKLU code). The first is built on CasADi's scalar graph, the other two are PyBaMM's
own derivative on the matrix graph, cheaper to build:

- each equals CasADi's derivative of the residual PyBaMM converts, to round-off, for the
  P2D and the single-particle half cell, one model per step and one for the protocol;
- the whole residual's is the scalar-graph derivative of its request, bit for bit (so
  the steps are those of before), the algebraic and differential rows' are PyBaMM's
  matrix-graph derivatives bit for bit;
- which request is the whole residual is told by its number of rows.
"""

from __future__ import annotations

from dataclasses import replace
from types import SimpleNamespace

import casadi
import numpy as np
import pybamm
import pytest

from hemcell.cell.model import HEMHalfCell
from hemcell.workflows.anode import build_simulation, prepare_cell

PARAMS = "heo_rocksalt_mgconicuzn"
#: Short enough to solve in a second, two steps so that one model per step gives two.
PROTOCOL = "Discharge at 0.5 A/g for 5 minutes; Rest for 2 minutes"
#: Largest difference from PyBaMM's derivative relative to the row's largest entry
#: (the expansion to scalars reorders sums).
ROUND_OFF = 1e-12
#: The P2D recipe on 6 points a domain (its own: 20): which derivative each Jacobian is
#: does not depend on the mesh, and evaluating the 822-state matrices five times a model
#: was most of the file's time (dense evaluations of a P2D model's Jacobians: 5.0 s on the
#: recipe's mesh, 0.2 s on this; the file 28.8 s -> 10.3 s with -n 0, load 1.5-2).
P2D_MESH = {"x_s": 6, "x_p": 6, "r_p": 6}


@pytest.fixture(scope="module", params=[("hem_half_cell_p2d", "unified"),
                                        ("hem_half_cell_p2d", "legacy"),
                                        ("hem_half_cell_sp", "unified"),
                                        ("hem_half_cell_sp", "legacy")],
                ids=lambda p: f"{p[0]}-{p[1]}")
def solution(request) -> pybamm.Solution:
    recipe, mode = request.param
    setup = prepare_cell(recipe, PARAMS, PROTOCOL)
    rec = replace(setup.recipe, experiment_model=mode)
    if recipe == "hem_half_cell_p2d":
        rec = replace(rec, mesh=dict(P2D_MESH))
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


def _expanded_jacobian(expression: casadi.MX, y: casadi.MX) -> casadi.MX:
    """∂F/∂y as the model built it before (the residual's function expanded with
    CasADi's ``Function.expand``, then differentiated on scalars)."""
    symbols = casadi.symvar(expression)
    symbols += [s for s in y.primitives() if s.name() not in {q.name() for q in symbols}]
    scalar = casadi.Function("residual_scalar", symbols, [expression]).expand()
    args = scalar.sx_in()
    by_name = {s.name(): a for s, a in zip(symbols, args, strict=True)}
    state = casadi.vertcat(*[by_name[s.name()] for s in y.primitives()])
    jacobian = casadi.jacobian(scalar(*args), state)
    return casadi.Function("jacobian_scalar", args, [jacobian])(*symbols)


def _dense(function, t: float, y: np.ndarray, p: casadi.DM) -> np.ndarray:
    return np.asarray(casadi.densify(function(t, casadi.DM(y), p)))


def _states(sol: pybamm.Solution):
    """(model, inputs, [(t, y)]) of each model of the solution, at five of its states."""
    for model, ys, ts, inputs in zip(sol.all_models, sol.all_ys, sol.all_ts, sol.all_inputs,
                                     strict=True):
        ys = np.asarray(ys)
        picks = np.linspace(0, ys.shape[1] - 1, 5).astype(int)
        yield model, inputs, [(float(ts[k]), ys[:, k]) for k in picks]


@pytest.fixture(scope="module")
def jacobians(solution) -> list[tuple[str, np.ndarray, np.ndarray, np.ndarray | None]]:
    """Each of the solver's three Jacobians of each model of the solution, at five of its
    states: (part, the solver's, CasADi's derivative on PyBaMM's matrix graph of the
    residual PyBaMM converts for it, the scalar-graph derivative of that residual
    (:func:`_expanded_jacobian`; the whole residual's only, else None)).

    Both tests below read these: each matrix is evaluated once (the evaluations are most
    of the tests' time: on the P2D recipe's own mesh the two tests evaluating them each
    took 15.3-15.5 s a case at load ~3.5, evaluating them once 8.2-10.0 s)."""
    evaluated = []
    for model, inputs, states in _states(solution):
        s = Symbols(model, inputs)
        solver_jacobians = {"rhs": model.jac_rhs_eval, "algebraic": model.jac_algebraic_eval,
                            "whole": model.jac_rhs_algebraic_eval}
        for part, got in solver_jacobians.items():
            expression = s.converted(part)
            matrix_graph = s.function(casadi.jacobian(expression, s.y))
            scalar_graph = (s.function(_expanded_jacobian(expression, s.y))
                            if part == "whole" else None)
            for t, y in states:
                evaluated.append((
                    part, _dense(got, t, y, s.values_p),
                    _dense(matrix_graph, t, y, s.values_p),
                    None if scalar_graph is None else _dense(scalar_graph, t, y, s.values_p)))
    return evaluated


def test_the_three_jacobians_are_pybamms_derivatives(jacobians):
    """Each of the solver's Jacobians equals CasADi's derivative (on PyBaMM's matrix
    graph) of the residual PyBaMM converts for it, to round-off row by row."""
    assert {part for part, *_ in jacobians} == {"rhs", "algebraic", "whole"}
    for part, g, e, _ in jacobians:
        scale = np.max(np.abs(e), axis=1, keepdims=True) + 1e-300
        assert np.max(np.abs(g - e) / scale) < ROUND_OFF, part


def test_each_jacobian_is_the_derivative_it_is_built_as_bit_for_bit(jacobians):
    """The Jacobian IDAKLU evaluates at its steps (the whole residual's) is the
    scalar-graph derivative of its request, as the model built it before
    (:func:`_expanded_jacobian`: the same steps); the algebraic and the differential
    rows' are CasADi's derivatives on the matrix graph."""
    for part, got, matrix_graph, scalar_graph in jacobians:
        expected = scalar_graph if part == "whole" else matrix_graph
        assert np.array_equal(got, expected), part


@pytest.mark.parametrize(("len_rhs", "len_alg", "rows", "on_scalars"), [
    (761, 61, 761, False),  # a DAE's differential rows
    (761, 61, 61, False),  # its algebraic rows
    (761, 61, 822, True),  # its whole residual
    (5, 5, 5, False),  # differential or algebraic rows, as many
    (5, 0, 5, True),  # an ODE: its differential rows are the whole residual
])
def test_only_the_whole_residual_goes_to_the_scalar_graph(len_rhs, len_alg, rows,
                                                               on_scalars):
    model = SimpleNamespace(len_rhs=len_rhs, len_alg=len_alg)
    expression = casadi.MX.sym("F", rows)
    assert HEMHalfCell.differentiates_on_scalars(model, expression) is on_scalars
