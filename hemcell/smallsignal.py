r"""Small-signal (impedance) response of a discretised PyBaMM model.

A discretised model is the differential-algebraic system

.. math:: M\,\dot y = F(t, y, u), \qquad v = g(t, y, u),

with mass matrix :math:`M` (identity on the differential rows, zero on the algebraic
ones), states :math:`y`, a driving input :math:`u` (the applied current) and outputs
:math:`v` (the voltage, or any other variable). Linearising about a state
:math:`y^*` at :math:`u^*` and writing :math:`u = u^* + \hat u e^{i\omega t}` gives

.. math::

    (i\omega M - J)\,\hat y = b\,\hat u, \qquad \hat v = c\,\hat y + d\,\hat u,

    J = \partial F/\partial y, \quad b = \partial F/\partial u, \quad
    c = \partial g/\partial y, \quad d = \partial g/\partial u,

so the transfer function is :math:`H(\omega) = c\,(i\omega M - J)^{-1} b + d`, one sparse
LU factorisation per frequency (SuperLU; LAPACK's banded LU when a reverse
Cuthill–McKee ordering leaves at most a few off-diagonals, as in 1D models). This is
the frequency-domain method of PyBaMM's
``EISSimulation`` and of ``pybammeis`` (Hallemans et al., *Phil. Trans. R. Soc. A*
2025, as cited by PyBaMM), taken here about any state (not only the initial
conditions) and with the current an input parameter rather than an extra algebraic
state, so the model needs no surgery. :math:`y^*` must be a (near) steady state;
:attr:`LinearisedModel.drift` reports :math:`\lVert F(y^*)\rVert_\infty`.

All derivatives are exact (CasADi automatic differentiation of the model's expression
tree). The module knows nothing of batteries: names of the input and outputs are given
by the caller.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["LinearisedModel", "Lineariser", "linearise"]


@dataclass(frozen=True)
class LinearisedModel:
    """``M, J, b`` and output rows ``c, d`` of a model linearised about one state.

    Attributes
    ----------
    mass, jacobian
        Sparse ``M`` and ``J = dF/dy`` (CSC).
    forcing
        ``b = dF/du``, shape ``(n,)``.
    output_names
        Names of the outputs, one per row of ``output_state``.
    output_state
        ``c = dg/dy``, dense, shape ``(n_outputs, n)``.
    output_feedthrough
        ``d = dg/du``, shape ``(n_outputs,)``.
    drift
        ``max |F(y*)|``: zero at a steady state.
    """

    mass: Any
    jacobian: Any
    forcing: np.ndarray
    output_names: tuple[str, ...]
    output_state: np.ndarray
    output_feedthrough: np.ndarray
    drift: float

    def transfer(self, frequencies_Hz: Sequence[float]) -> dict[str, np.ndarray]:
        """``H_k(f) = c_k (i 2 pi f M - J)^-1 b + d_k`` for every output ``k``.

        Parameters
        ----------
        frequencies_Hz
            Frequencies [Hz], each > 0.

        Returns
        -------
        dict
            Output name → complex array over the frequencies (output unit per input unit).
        """
        f = np.asarray(frequencies_Hz, dtype=float)
        banded = self._banded()
        solve = self._banded_solver(*banded) if banded else self._sparse_solver()
        b = self.forcing.astype(complex)
        out = np.empty((len(self.output_names), f.size), dtype=complex)
        for k, fk in enumerate(f):
            out[:, k] = self.output_state @ solve(2 * np.pi * fk, b) + self.output_feedthrough
        return {name: out[i] for i, name in enumerate(self.output_names)}


    #: Banded LU (LAPACK gbsv) when the reordered matrix has at most this many
    #: off-diagonals (1D models); SuperLU otherwise.
    BANDED_MAX_OFF_DIAGONALS = 8

    def _banded(self) -> tuple[np.ndarray, int, int] | None:
        """Reverse Cuthill–McKee order and the lower/upper bandwidths of ``iwM - J``, if
        narrow enough for a banded LU."""
        from scipy.sparse.csgraph import reverse_cuthill_mckee

        pattern = (abs(self.mass) + abs(self.jacobian)).tocsr()
        pattern.eliminate_zeros()
        perm = reverse_cuthill_mckee((pattern + pattern.T).tocsr(), symmetric_mode=True)
        p = pattern[perm][:, perm].tocoo()
        if p.nnz == 0:
            return None
        lower, upper = int(np.max(p.row - p.col)), int(np.max(p.col - p.row))
        if lower + upper > self.BANDED_MAX_OFF_DIAGONALS:
            return None
        return np.asarray(perm), lower, upper

    def _banded_solver(self, perm: np.ndarray, lower: int, upper: int) -> Any:
        """``x(w) = (iwM - J)^-1 b`` by a banded LU in the reordered unknowns."""
        from scipy.linalg import solve_banded

        n = perm.size

        def band(matrix: Any) -> np.ndarray:
            m = matrix.tocsr()[perm][:, perm].tocoo()
            m.eliminate_zeros()
            ab = np.zeros((lower + upper + 1, n))
            np.add.at(ab, (upper + m.row - m.col, m.col), m.data)
            return ab

        mass_band, jac_band = band(self.mass), band(self.jacobian)
        inverse = np.argsort(perm)

        def solve(omega: float, rhs: np.ndarray) -> np.ndarray:
            x = solve_banded((lower, upper), 1j * omega * mass_band - jac_band, rhs[perm],
                             check_finite=False)
            return x[inverse]

        return solve

    def _sparse_solver(self) -> Any:
        """``x(w) = (iwM - J)^-1 b`` by SuperLU, on one sparsity pattern for all w."""
        from scipy.sparse import csc_matrix
        from scipy.sparse.linalg import splu

        # i w M - J on the union pattern (M, J real: no cancellation between the real
        # and imaginary parts), so each frequency only rescales the mass entries
        a1 = (1j * self.mass - self.jacobian).tocsc()
        a1.sort_indices()
        a2 = (2j * self.mass - self.jacobian).tocsc()
        a2.sort_indices()
        mass_data = (a2.data - a1.data).imag
        neg_jac_data = a1.data.real

        def solve(omega: float, rhs: np.ndarray) -> np.ndarray:
            a = csc_matrix((1j * omega * mass_data + neg_jac_data, a1.indices, a1.indptr),
                           shape=a1.shape)
            return splu(a).solve(rhs)

        return solve


class Lineariser:
    """The linearisation of one discretised model, converted to CasADi once.

    ``Lineariser(built_model, input_name, output_names)(state, inputs)`` is
    :func:`linearise`; a model solved about many states or input values (a fit that
    passes the fitted values as input parameters) converts it once and evaluates the
    exact derivatives per call.

    Parameters
    ----------
    built_model, input_name, output_names
        As :func:`linearise`.

    Raises
    ------
    KeyError
        If ``input_name`` is not an input of the model.
    """

    def __init__(self, built_model: Any, input_name: str, output_names: Sequence[str]
                 ) -> None:
        import casadi

        names = [p.name for p in built_model.input_parameters]
        if input_name not in names:
            raise KeyError(f"{input_name!r} is not an input of the model (inputs: {names})")
        # PyBaMM's export converts the discretised model to CasADi once and already holds
        # the exact sparse Jacobians dF/dy of the rhs and algebraic parts: they are used
        # as they are; only the few columns dF/du and the output rows are added.
        obj = built_model.export_casadi_objects(list(output_names),
                                                input_parameter_order=names)
        y = casadi.vertcat(obj["x"], obj["z"])
        rhs_alg = casadi.vertcat(obj["rhs"], obj["algebraic"])
        g = casadi.vertcat(*obj["variables"].values())
        p_sym = obj["inputs"]
        self._fn = casadi.Function("linearise", [obj["t"], y, p_sym], [
            rhs_alg, casadi.vertcat(obj["jac_rhs"], obj["jac_algebraic"]),
            casadi.jacobian(rhs_alg, p_sym), casadi.jacobian(g, y), casadi.jacobian(g, p_sym)])
        self._names = names
        self._input_name = input_name
        self._size = int(y.shape[0])
        self.output_names = tuple(output_names)
        self._mass = built_model.mass_matrix.entries

    def __call__(self, state: np.ndarray, inputs: Mapping[str, float], time_s: float = 0.0
                 ) -> LinearisedModel:
        """The model linearised about ``state`` at input values ``inputs``.

        Raises
        ------
        ValueError
            If ``state`` does not match the model's state vector.
        """
        from scipy.sparse import csc_matrix

        names = self._names
        y_star = np.asarray(state, dtype=float).reshape(-1)
        if y_star.size != self._size:
            raise ValueError(f"state has {y_star.size} entries, the model {self._size}")
        sizes = [int(np.prod(np.shape(inputs[n]))) or 1 for n in names]
        column = int(sum(sizes[:names.index(self._input_name)]))
        p_values = np.concatenate([np.atleast_1d(np.asarray(inputs[n], dtype=float))
                                   for n in names]) if names else np.zeros(0)
        F, J, dF_dp, c, dg_dp = self._fn(time_s, y_star, p_values)
        b = np.asarray(dF_dp.full())[:, column]
        d = np.asarray(dg_dp.full())[:, column]
        return LinearisedModel(
            mass=csc_matrix(self._mass),
            jacobian=csc_matrix(J.sparse()),
            forcing=b,
            output_names=self.output_names,
            output_state=np.asarray(c.full()).reshape(len(self.output_names), -1),
            output_feedthrough=d,
            drift=float(np.max(np.abs(np.asarray(F.full())))) if y_star.size else 0.0,
        )


def linearise(built_model: Any, state: np.ndarray, inputs: Mapping[str, float],
              input_name: str, output_names: Sequence[str], time_s: float = 0.0
              ) -> LinearisedModel:
    """Linearise a discretised PyBaMM model about ``state`` (exact CasADi derivatives).

    Parameters
    ----------
    built_model
        A discretised model (``Simulation.built_model`` after ``build``).
    state
        The operating point ``y*`` (length of the model's state vector).
    inputs
        Values of all the model's input parameters at the operating point.
    input_name
        The input that drives the response (e.g. ``"Current function [A]"``).
    output_names
        Model variables to return (e.g. ``"Voltage [V]"``).
    time_s
        Time at which the expressions are evaluated (for explicitly time-dependent
        parameters).

    Raises
    ------
    KeyError
        If ``input_name`` is not an input of the model.
    ValueError
        If ``state`` does not match the model's state vector.
    """
    return Lineariser(built_model, input_name, output_names)(state, inputs, time_s)
