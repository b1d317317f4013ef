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

Crawl guard
-----------
A solve can also crawl: steps that do not collapse but stay far too short for the time
left. ``mep_ingesip3`` at 0.05 A/g, rtol 10⁻⁴ (with the sinh form of the intercalation
current, before its mass-action form) took 500 steps for the discharge's first 139 000 s,
then steps alternating between 8.7 and 17.4 ms at 0.073 V (the intercalation particles
full, θ = 0.99994; the electrolyte concentration and the solid potential held the steps):
no stall for the guard above (1 000 such steps advance 13 s), and after 8 minutes and
4 GB no end. IDAKLU has one no-progress window and takes one step per ``IDASolve`` call
(``max_num_steps`` never counts), so :class:`StateToleranceSolver` makes that window a
step budget: at most :data:`CRAWL_STEPS` steps per solve segment (counted from the
segment's start or its last output time ``t_eval``), where IDAKLU returns its partial
solution and the solver judges the segment. If the time left to the solve's end exceeds
:data:`CRAWL_FACTOR` times what the segment advanced (at its pace the rest would take more
than :data:`CRAWL_FACTOR` more segments), the solve has crawled and fails with its time,
the segment's span and the steps the rest would take; otherwise it goes on from its last
state as a restart does (below), at most :data:`CRAWL_FACTOR` segments in all. That crawl
goes on at 139 282 s (its segment started at 0 s) and the fresh start ends it: the
discharge reaches its cut-off at 145 671 s in 10 070 steps, the cycle in 21 s of CPU; a
crawl that outlasts the fresh start is caught one segment later. A stall is a crawl too
(its segment advances almost nothing): with the budget it ends after :data:`CRAWL_STEPS`
steps instead of :data:`STALL_STEPS` (``cell run`` names a stall where the last steps
show one). The budget counts steps, never wall-clock time. It applies where the
no-progress window is
the default stall guard (:func:`with_stall_guard`) or unset; a solver given other
``num_steps_no_progress`` / ``t_no_progress`` gets IDAKLU's window as given, and a solve
with sensitivities or output variables only keeps the stall guard (it is not continued).

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

__all__ = ["CRAWL_FACTOR", "CRAWL_STEPS", "POTENTIAL_SCALE_V", "RESTARTS", "STALL_STEPS",
           "STALL_TIME_S", "StateToleranceSolver", "state_atol", "with_stall_guard"]

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

#: Steps of one solve segment (module docstring, "Crawl guard") [-]: IDAKLU's no-progress
#: window with an unbounded time (:data:`_BUDGET_TIME_S`), i.e. a step budget. Assumed:
#: about five times the most steps one protocol step took in the runs of docs/anode.md
#: "Numerics", "Solves that crawl" (2 102: InGeSiP3's 40 h discharge at 0.05 A/g, rtol
#: 10⁻⁷), so that a legitimate solve is not cut.
CRAWL_STEPS = 10_000
#: A segment of :data:`CRAWL_STEPS` steps has crawled when the time left to the solve's
#: end exceeds this many times the time it advanced; at most this many segments per solve
#: [-]. Assumed: a legitimate segment that long (none measured) still advances a tenth of
#: what is left; the crawl above, 13 ms per step, advances 130 s per 10 000 steps with
#: 156 000 s left (×1 200).
CRAWL_FACTOR = 10
#: ``t_no_progress`` of the step budget [s]: finite (IDAKLU disables its window at
#: infinity) and beyond any solve's span, so that the window counts steps only.
_BUDGET_TIME_S = 1e300

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


def _budgets_steps(options: Mapping[str, Any]) -> bool:
    """Whether a solver with these IDAKLU options runs the crawl guard's step budget: its
    no-progress window is the default stall guard (:func:`with_stall_guard`) or unset."""
    window = (int(options.get("num_steps_no_progress", 0)),
              float(options.get("t_no_progress", 0.0)))
    return window[0] == 0 or window == (STALL_STEPS, STALL_TIME_S)


def _crawl(t_start: float, t_fail: float, t_end: float) -> str | None:
    """The crawl guard's verdict on a segment of :data:`CRAWL_STEPS` steps from
    ``t_start`` to ``t_fail`` [s] of a solve that ends at ``t_end`` [s]: the failure
    message if it crawled (module docstring), ``None`` if it may go on."""
    advanced, left = t_fail - t_start, t_end - t_fail
    if left <= CRAWL_FACTOR * advanced:
        return None
    more = (f"about {left / advanced * CRAWL_STEPS:.3g} more steps" if advanced > 0
            else "steps without end")
    return (f"IDA_ERR_FAIL: the solve crawled (hemcell.idaklu crawl guard): "
            f"{CRAWL_STEPS} time steps advanced it from t = {t_start:.6g} to {t_fail:.6g} s, "
            f"and at that pace the {left:.6g} s left to t = {t_end:.6g} s would take {more} "
            f"(the guard allows {CRAWL_FACTOR} x {CRAWL_STEPS})")


class StateToleranceSolver(pybamm.IDAKLUSolver):
    """PyBaMM's IDAKLU solver with each state's absolute tolerance by :func:`state_atol`,
    restarted from its last state after a convergence failure, and with the crawl guard's
    step budget (module docstring).

    IDAKLU's set-up takes ``model.atol`` when the model has one: this solver sets it for
    the set-up of every model it solves (an experiment's step models each get their own
    vector) and takes it off again, so that another solver of the same built model keeps
    its own atol. The step budget is set the same way, for the set-up only: ``options``
    keep the values the solver was given.
    """

    #: Whether the model set up last runs the step budget (:meth:`set_up`).
    _step_budget = False

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
            for i in range(len(sols)):
                sols[i], failures[i] = self._carry_on(model, sols[i], failures[i], i,
                                                      t_eval, inputs_list[i], t_interp)
        finally:
            self._on_failure = policy
        left = [f for f in failures if f is not None]
        if left and policy == "error":
            raise pybamm.SolverError("; ".join(left))
        if policy == "warn":
            for failure in left:
                warnings.warn(failure + _PARTIAL, stacklevel=2)
        return sols

    def _carry_on(self, model: pybamm.BaseModel, sol: pybamm.Solution, failure: str | None,
                  i: int, t_eval: Any, inputs: dict, t_interp: Any
                  ) -> tuple[pybamm.Solution, str | None]:
        """One input set's solve carried past its stops: restarted after one of
        :data:`_RESTARTED_FAILURES` (at most :data:`RESTARTS` times), continued after a
        segment that used up the step budget unless it crawled (at most
        :data:`CRAWL_FACTOR` segments); the joined solution and the failure left over."""
        t_all = np.asarray(t_eval, dtype=float)
        restarts, segments, segment = 0, 1, sol
        t_start = float(sol.t[0])
        while failure is not None:
            t_fail = float(sol.t[-1])
            if any(f in failure for f in _RESTARTED_FAILURES) and restarts < RESTARTS:
                restarts += 1
                why = failure
            elif self._step_budget and "IDA_ERR_FAIL" in failure and (
                    segment.solver_statistics.number_of_steps >= CRAWL_STEPS):
                # the segment's steps count from its last output time (IDAKLU re-initialises
                # IDA there), as the budget does
                t_from = max(t_start, float(t_all[t_all <= t_fail].max(initial=t_start)))
                crawled = _crawl(t_from, t_fail, float(t_all[-1]))
                if crawled is not None or segments >= CRAWL_FACTOR:
                    failure = f"input set {i}: " + (crawled or (
                        f"IDA_ERR_FAIL: the solve took {segments} x {CRAWL_STEPS} time steps "
                        f"up to t = {t_fail:.6g} s (hemcell.idaklu crawl guard)"))
                    break
                segments += 1
                why = f"input set {i}: {CRAWL_STEPS} time steps (hemcell.idaklu step budget)"
            else:
                break
            rest, again = self._restart(model, sol, t_eval, inputs, t_interp)
            if rest is None:
                break
            then = (f"failed again at t = {rest.t[-1]:.6g} s" if again
                    else f"reached t = {rest.t[-1]:.6g} s")
            pybamm.logger.warning(
                f"{why} at t = {t_fail:.6g} s; restarted from the last state with "
                f"consistent initial conditions (hemcell.idaklu): {then}")
            sol, segment, t_start = sol + rest, rest, t_fail
            failure = None if again is None else f"input set {i}: {again}"
        return sol, failure

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
        """IDAKLU's set-up with ``model.atol`` = :func:`state_atol` and, where the crawl
        guard applies (module docstring), the step budget as IDAKLU's no-progress window
        while it runs."""
        missing = object()
        before = model.__dict__.get("atol", missing)
        model.atol = state_atol(model, float(np.max(self.atol)))
        window = {k: self._options[k] for k in ("num_steps_no_progress", "t_no_progress")}
        self._step_budget = (_budgets_steps(window) and not self.output_variables
                             and not getattr(model, "calculate_sensitivities", None))
        if self._step_budget:
            self._options.update(num_steps_no_progress=CRAWL_STEPS,
                                 t_no_progress=_BUDGET_TIME_S)
        try:
            return super().set_up(model, inputs=inputs, t_eval=t_eval, ics_only=ics_only)
        finally:
            self._options.update(window)
            if before is missing:
                del model.atol
            else:
                model.atol = before
