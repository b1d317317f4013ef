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
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pybamm

__all__ = ["POTENTIAL_SCALE_V", "STALL_STEPS", "STALL_TIME_S", "StateToleranceSolver",
           "state_atol", "with_stall_guard"]

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
    """PyBaMM's IDAKLU solver with each state's absolute tolerance by :func:`state_atol`.

    IDAKLU's set-up takes ``model.atol`` when the model has one: this solver sets it for
    the set-up of every model it solves (an experiment's step models each get their own
    vector) and takes it off again, so that another solver of the same built model keeps
    its own atol.
    """

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
