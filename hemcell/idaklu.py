"""PyBaMM's IDAKLU solver as every hemcell model runs it: the absolute tolerance of each
state (the potentials at 1 µV) and the guard against a stalled solve.

One owner for the cell models' recipes (:func:`hemcell.cell.recipes.recipe_solver`) and
the Li-metal cells' DFN (:func:`hemcell.limetal.halfcell.build_half_cell`): the two
physics packages do not import each other, so the rule lives below both.

Absolute tolerances
-------------------
IDA accepts a step when the weighted RMS norm of its local error estimate E is at most 1,

    ‖E‖_WRMS = √( (1/N) Σᵢ (wᵢ Eᵢ)² ),    wᵢ = 1 / (rtol |yᵢ| + atolᵢ)

(Hindmarsh et al., ACM TOMS 31 (2005) 363, eqs. (2.7)–(2.9); the IDA user guide,
section 2.1), and its Newton iteration is tested in the same norm. yᵢ is the state as
the solver holds it, the model variable divided by its scale (:attr:`pybamm.Variable.
scale`), so a state's absolute tolerance in its own unit is atol × scale.

A potential's zero is a reference (Li/Li⁺, the open-circuit potential at the start), not
a magnitude. The HEM models scale their potentials by :data:`POTENTIAL_SCALE_V` = 100 V,
so the recipes' atol 10⁻⁸ holds a potential to 1 µV — what their rtol 10⁻⁶ allows a
potential of 1 V. PyBaMM's own models (the DFN and SPM of the cathode half cells and
hard-carbon full cells, the Li‖LFP DFN of :mod:`hemcell.limetal.halfcell`) keep their
potentials in volts (scale 1), where the same atol is 10 nV: finer than their algebraic
equations can be solved at a low current (the Newton corrections stagnate at 0.6–7.5 nV
of round-off from C/10 to C/1000, docs/cathodes.md "Slow rates"). The solver
(:class:`StateToleranceSolver`) therefore holds every potential state of every model to

    atol_φ = POTENTIAL_SCALE_V · atol   volts                                       (1)

and every other state to the given atol, unchanged: a HEM model's potentials keep
their tolerance exactly (their scale already is POTENTIAL_SCALE_V), PyBaMM's models' get
the same one in volts.

A relative rule for every state (atolᵢ = rtol × the state's magnitude: 10⁻⁶ on fractions
and concentrations scaled to 1) was measured and not taken: the HEM half cell's benchmark
cycle took 1 245 instead of 1 615 steps (−8 … −12 % CPU), but mechanism capacities of
runs that agree in the equations moved apart by up to 1.6 × 10⁻⁵ (against ≤ 10⁻⁶ with the
scalar atol), and a full cell's Re Z at 10⁻⁵ Hz by 1.4 × 10⁻³ (docs/anode.md "Absolute
tolerance of the states").

Stall guard
-----------
IDAKLU's options ``num_steps_no_progress`` = :data:`STALL_STEPS` and ``t_no_progress`` =
:data:`STALL_TIME_S` (:func:`with_stall_guard`): a solve whose time steps collapse fails
with its step and time instead of running without end.

Restart after a convergence failure
-----------------------------------
IDA accepts a step once its Newton correction passes the convergence test, so an
accepted state can carry algebraic residue; IDA never re-solves the algebraic equations
of an accepted state. When that residue grows, IDA's modified Newton (one Jacobian per
attempt, ``max_nonlinear_iterations`` iterations) can no longer return to the algebraic
solution at any step size and the solve ends with IDA_CONV_FAIL (h → 10⁻⁶⁰). The HEM
anode's benchmark cycle at rtol 10⁻⁴, atol 10⁻⁶ (docs/anode.md "Numerics", "A
convergence failure at loose tolerance") failed so at t = 743 s: the intercalation
particles are full there (surface stoichiometry 0.9998, the OCP on its logarithmic
asymptote, 128 V per unit of stoichiometry), rtol 10⁻⁴ lets the surface stoichiometry
err by 10⁻⁴ — half its distance to 1 — and the accepted states' potentials drifted up to
34 mV off the solution of their algebraic equations (dense LU fails at the same time with
the same Newton settings: not KLU's pivots). That cause is gone (the intercalation
current's mass-action form, :mod:`hemcell.cell.mechanisms.intercalation`, is smooth
through θ = 1: the cycle completes at rtol 10⁻⁴ without a restart), but any such drift
ends a solve the same way, so :class:`StateToleranceSolver` restarts a solve that
failed part-way with IDA_CONV_FAIL (or IDA_LSETUP_FAIL, a Newton matrix KLU could not
factorise) from its last accepted state: IDAKLU's consistent
initialisation solves the algebraic equations there afresh, the matrix is factorised
anew and IDA starts again at order 1 (at most :data:`RESTARTS` times per solve, each only
if the failed segment advanced). A solve that completes is not touched; a restart is
logged (``pybamm.logger`` at warning level), and a solve that still fails is reported as
before. The restart replaced ``cell run``'s dense-LU retry (``hemcell.workflows.anode``),
which only ``cell run`` had; it also answers that retry's case (the SP Na/K cycle with
the potentials at a 1 V scale, IDA_CONV_FAIL at 9.18 s).
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from typing import Any

import numpy as np
import pybamm

__all__ = ["POTENTIAL_SCALE_V", "RESTARTS", "STALL_STEPS", "STALL_TIME_S",
           "StateToleranceSolver", "state_atol", "with_stall_guard"]

#: Solver scale of the HEM models' potential unknowns [V] (P2D half cell: electrolyte and
#: solid potentials; single particle: Δφ; both: the double layer's u; the full cells'
#: potentials, hemcell.cell.full_cell), and the factor of eq. (1) for the potentials of
#: every model; numerical, not physical (assumed: IDA keeps the scaled unknown φ / 100 V
#: to rtol |φ| + atol × 100 V, i.e. the recipes' atol 10⁻⁸ becomes 1 µV on a potential,
#: what their rtol 10⁻⁶ allows a potential of 1 V). With scale 1 V the anode's potentials
#: at 0.01–0.3 V (alloying stages, the rest after the discharge) were held to 2 × 10⁻⁸ –
#: 3 × 10⁻⁷ V, tighter than anywhere else in the cycle. Same results within the solver
#: tolerance, fewer steps and Newton iterations (docs/anode.md "Numerics", "Which states
#: hold the steps"; docs/cathodes.md "Solver scale of the potentials", "Slow rates").
POTENTIAL_SCALE_V = 100.0

#: IDAKLU's guard against a solve that stalls: the solve fails (``IDA_ERR_FAIL``, reported
#: with its step and time, the finished steps kept) when this many consecutive steps
#: advance the time by less than :data:`STALL_TIME_S` in all. Without it a step whose
#: time steps collapse runs without end: IDAKLU takes one step per ``IDASolve`` call, so
#: ``max_num_steps`` never counts them (``hem_half_cell_p2d`` at (x_s, x_p, r_p) = (80, 40,
#: 20), ``fes_space_charge`` with Na at 318.15 K, the rest after a 0.5 A/g discharge:
#: 20 221 steps over 157 s of rest, then no progress, and 3 GB of stored steps after three
#: minutes; with the guard it fails after 29 s). Assumed: a legitimate step start takes
#: about 40 steps to its first 0.2 s (docs/anode.md "Numerics"), and the fastest shipped
#: drive, a 25 ms voltammetry sweep, advances by more than 1 ms in 1 000 steps; a recipe
#: may set either option itself.
STALL_STEPS = 1000
#: Least time [s] :data:`STALL_STEPS` consecutive steps must advance (assumed, see there).
STALL_TIME_S = 1e-3

#: Restarts of one solve that failed part-way with IDA_CONV_FAIL (module docstring,
#: "Restart after a convergence failure") [-]. Assumed: the benchmark cycle at rtol 10⁻⁴
#: needed one with the former sinh form of the intercalation current; a solve that fails
#: again after three fresh starts, each of which advanced, is taken to fail for a reason a
#: restart does not remove, and is reported.
RESTARTS = 3

#: IDAKLU's messages of the failures a restart answers (``idaklu.sundials_error_message``):
#: Newton's convergence failure, and a failed factorisation of the Newton matrix (a
#: restart factorises it afresh, with a new pivot order).
_RESTARTED_FAILURES = ("IDA_CONV_FAIL", "IDA_LSETUP_FAIL")
#: End of IDAKLU's warning for a solve that failed part-way (``on_failure="warn"``).
_PARTIAL = ", returning a partial solution."


def with_stall_guard(options: Mapping[str, Any]) -> dict[str, Any]:
    """IDAKLU options with the stall guard (:data:`STALL_STEPS`, :data:`STALL_TIME_S`)
    added, unless ``options`` set it themselves."""
    out = dict(options)
    out.setdefault("num_steps_no_progress", STALL_STEPS)
    out.setdefault("t_no_progress", STALL_TIME_S)
    return out


def _scale(var: pybamm.Variable) -> float:
    """The variable's solver scale as a number (PyBaMM keeps it as a Symbol)."""
    scale = var.scale
    return abs(float(scale.evaluate() if isinstance(scale, pybamm.Symbol) else scale))


def state_atol(model: pybamm.BaseModel, atol: float) -> np.ndarray:
    """One absolute tolerance per state of a discretised model: eq. (1) of the module on
    each potential state (a variable named ``... potential [V]``, divided by its scale), ``atol``
    on every other state.

    Parameters
    ----------
    model
        A discretised PyBaMM model (its ``y_slices`` and ``len_rhs_and_alg``).
    atol
        The absolute tolerance of the scaled states.
    """
    out = np.full(int(model.len_rhs_and_alg), float(atol))
    for var, slices in model.y_slices.items():
        if var.name.endswith(" potential [V]"):
            for sl in slices:
                out[sl] = POTENTIAL_SCALE_V * float(atol) / _scale(var)
    return out


class StateToleranceSolver(pybamm.IDAKLUSolver):
    """PyBaMM's IDAKLU solver with each state's absolute tolerance by :func:`state_atol`,
    restarted from its last state after a convergence failure (module docstring).

    IDAKLU's set-up takes ``model.atol`` when the model has one: this solver sets it for
    the set-up of every model it solves (an experiment's step models each get their own
    vector) and takes it off again, so that another solver of the same built model keeps
    its own atol.
    """

    def _integrate(self, model: pybamm.BaseModel, t_eval: Any, inputs_list: Any = None,
                   t_interp: Any = None, nproc: Any = None) -> list:
        """IDAKLU's integration; an input set that fails part-way with one of
        :data:`_RESTARTED_FAILURES` is restarted from its last state (:meth:`_restart`, at
        most :data:`RESTARTS` times) and its segments joined. Failures left over are
        reported as IDAKLU reports them (``on_failure``). Solves with sensitivities or
        output variables only are not restarted (a restart would lose the sensitivities'
        or states' continuity)."""
        inputs_list = list(inputs_list or [{}])
        if self._setup["sensitivity_names"] or self.output_variables:
            return super()._integrate(model, t_eval, inputs_list, t_interp, nproc)
        policy = self._on_failure
        self._on_failure = "warn"
        try:
            sols, failures = self._integrate_recorded(model, t_eval, inputs_list, t_interp,
                                                      nproc)
            for i, sol in enumerate(sols):
                for _ in range(RESTARTS):
                    if failures[i] is None or not any(
                            f in failures[i] for f in _RESTARTED_FAILURES):
                        break
                    rest, failure = self._restart(model, sol, t_eval, inputs_list[i],
                                                  t_interp)
                    if rest is None:
                        break
                    then = (f"failed again at t = {rest.t[-1]:.6g} s" if failure
                            else f"reached t = {rest.t[-1]:.6g} s")
                    pybamm.logger.warning(
                        f"{failures[i]} at t = {sol.t[-1]:.6g} s; restarted from the last "
                        f"state with consistent initial conditions (hemcell.idaklu): {then}")
                    sols[i] = sol = sol + rest
                    failures[i] = None if failure is None else f"input set {i}: {failure}"
        finally:
            self._on_failure = policy
        left = [f for f in failures if f is not None]
        if left and policy == "error":
            raise pybamm.SolverError("; ".join(left))
        if policy == "warn":
            for failure in left:
                warnings.warn(failure + _PARTIAL, stacklevel=2)
        return sols

    def _integrate_recorded(self, model: pybamm.BaseModel, t_eval: Any, inputs_list: list,
                            t_interp: Any, nproc: Any = None) -> tuple[list, list]:
        """IDAKLU's integration with ``on_failure="warn"``: the solutions and, per input
        set, IDAKLU's failure message (``None`` if it completed)."""
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            sols = super()._integrate(model, t_eval, inputs_list, t_interp, nproc)
        failures: list[str | None] = [None] * len(sols)
        for w in caught:
            text = str(w.message)
            if not (text.startswith("input set ") and text.endswith(_PARTIAL)):
                warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
                continue
            index, message = text[len("input set "):-len(_PARTIAL)].split(": ", 1)
            failures[int(index)] = f"input set {index}: {message}"
        return sols, failures

    def _restart(self, model: pybamm.BaseModel, sol: pybamm.Solution, t_eval: Any,
                 inputs: dict, t_interp: Any) -> tuple[pybamm.Solution | None, str | None]:
        """The rest of a failed solve from its last state: IDAKLU's consistent
        initialisation (``calc_ic``) there, then the remaining output times.

        Returns
        -------
        tuple
            The solution from the failure time on and IDAKLU's message if it failed too
            (without the input set's index); ``(None, None)`` if the restart could not
            start or did not advance.
        """
        t_fail = float(sol.t[-1])
        t_eval = np.asarray(t_eval, dtype=float)
        t_rest = np.concatenate([[t_fail], t_eval[t_eval > t_fail]])
        if t_rest.size < 2:
            return None, None
        if t_interp is not None and np.size(t_interp):
            t_interp = np.asarray(t_interp, dtype=float)
            t_interp = np.concatenate([[t_fail], t_interp[t_interp > t_fail]])
        y_last = sol.all_ys[-1][:, -1]
        yp = sol.all_yps[-1] if sol.all_yps is not None else None
        yp_last = yp[:, -1] if yp is not None else np.zeros_like(y_last)
        before = model.y0full, model.ydot0full
        model.y0full, model.ydot0full = [y_last], [yp_last]
        try:
            rests, failures = self._integrate_recorded(model, t_rest, [inputs], t_interp)
        except pybamm.SolverError:
            return None, None
        finally:
            model.y0full, model.ydot0full = before
        rest = rests[0]
        if float(rest.t[-1]) <= t_fail:
            return None, None
        failure = failures[0]
        return rest, None if failure is None else failure.split(": ", 1)[1]

    def set_up(self, model: pybamm.BaseModel, inputs: Any = None, t_eval: Any = None,
               ics_only: bool = False) -> Any:
        """IDAKLU's set-up with ``model.atol`` = :func:`state_atol` while it runs."""
        missing = object()
        before = model.__dict__.get("atol", missing)
        model.atol = state_atol(model, float(np.max(self.atol)))
        try:
            return super().set_up(model, inputs=inputs, t_eval=t_eval, ics_only=ics_only)
        finally:
            if before is missing:
                del model.atol
            else:
                model.atol = before
