"""Absolute tolerance of the solver's potential states, in every model a recipe runs.

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
hard-carbon full cells) keep their potentials in volts (scale 1), where the same atol is
10 nV: finer than their algebraic equations can be solved at a low current (the Newton
corrections stagnate at 0.6–7.5 nV of round-off from C/10 to C/1000, docs/cathodes.md
"Slow rates"). The recipe solver (:class:`StateToleranceSolver`) therefore holds every
potential state of every model to

    atol_φ = POTENTIAL_SCALE_V · atol   volts                                       (1)

and every other state to the recipe's atol, unchanged: a HEM model's potentials keep
their tolerance exactly (their scale already is POTENTIAL_SCALE_V), PyBaMM's models' get
the same one in volts.

A relative rule for every state (atolᵢ = rtol × the state's magnitude: 10⁻⁶ on fractions
and concentrations scaled to 1) was measured and not taken: the HEM half cell's benchmark
cycle took 1 245 instead of 1 615 steps (−8 … −12 % CPU), but mechanism capacities of
runs that agree in the equations moved apart by up to 1.6 × 10⁻⁵ (against ≤ 10⁻⁶ with the
scalar atol), and a full cell's Re Z at 10⁻⁵ Hz by 1.4 × 10⁻³ (docs/anode.md "Absolute
tolerance of the states").
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pybamm

__all__ = ["POTENTIAL_SCALE_V", "StateToleranceSolver", "state_atol"]

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
        The recipe's absolute tolerance of the scaled states.
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
