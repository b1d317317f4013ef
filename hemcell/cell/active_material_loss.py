"""Loss of active material (LAM) driven by the volume change of conversion, per cycle.

**Mechanism.** Conversion and alloying swell and shrink the particles every cycle (the
model's particle volumetric strain, ~7–8 % for the rock-salt HEO, seed 000 L917). The
resulting stress cracks particles and detaches material from the conducting network,
so the active volume fraction ε_s falls. PyBaMM's stress-driven LAM (as cited there:
Reniers, Mulder & Howey, J. Electrochem. Soc. 166 (2019) A3189; exponent m = 2 in the
Ai et al. set, J. Electrochem. Soc. 167 (2019) 013512) is

    dε_s/dt = −β (σ_h / σ_c)^m ,

with the hydrostatic surface stress of a freely swelling particle σ_h ∝ E Δε_v. Summed
over one cycle this gives a loss per cycle that depends on the cycle's strain amplitude
Δε_v (max − min of the particle volumetric strain over the cycle):

    dφ/dN = −β_N (Δε_v)^m ,        φ = ε_s / ε_s,0 ,                         (1)

``lam_strain_coefficient`` β_N and ``lam_strain_exponent`` m are parameters of the set.
A slower or shallower cycle converts less, strains less and loses less.

**Cycle-resolved solution ("cycle jumping").** A caller evaluates one cycle of the
full model at a given φ (:mod:`hemcell.workflows.anode_cycle_life` does it for
``hemcell cell cycle-life``), which gives the strain amplitude Δε_v. Eq. (1) is integrated
by explicit Euler in N with jumps ΔN = ⌈tol / |dφ/dN|⌉ (at most to the last cycle), so φ
changes by ≤ ``tol`` per jump and ~1/tol evaluations cover any number of cycles.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from hemcell.errors import InputError
from hemcell.params.uses import ParameterUse

#: Registry names the LAM law of eq. (1) reads (besides the cell model's own).
PARAMETERS: tuple[ParameterUse, ...] = (
    ParameterUse("lam_strain_coefficient", "dimensionless"),
    ParameterUse("lam_strain_exponent", "dimensionless"),
)


def lam_rate_per_cycle(strain_amplitude: float, beta: float, m: float) -> float:
    """dφ/dN = −β_N (Δε_v)^m, eq. (1) [1/cycle]."""
    return -beta * abs(strain_amplitude) ** m


def integrate_cycles(
    evaluate: Callable[[float], dict[str, float]],
    n_cycles: int,
    beta: float,
    m: float,
    tol: float = 0.02,
    on_step: Callable[[int, float, dict[str, float]], None] | None = None,
    on_jump: Callable[[int], None] | None = None,
) -> list[tuple[int, float, dict[str, float]]]:
    """Euler integration of eq. (1) over cycles with adaptive jumps.

    Parameters
    ----------
    evaluate
        φ → cycle result with at least ``strain_amplitude`` (one full-model evaluation).
    n_cycles
        Last cycle N to reach (the first evaluation is cycle 1).
    beta, m
        β_N and m of eq. (1).
    tol
        Largest change of φ per jump.
    on_step
        Called with (N, φ, result) after every evaluation (keeps finished results if a
        later evaluation fails).
    on_jump
        Called with ΔN before the evaluation after a jump: advances states the caller
        carries across cycles (the gel film's milled surface,
        :func:`hemcell.cell.mechanisms.gel_sei.advance_milled_area_ratio`).

    Returns
    -------
    list of (N, φ, result)
        One entry per evaluation, N increasing, ending at ``n_cycles``.
    """
    if n_cycles < 1:
        raise InputError("--cycles", n_cycles, "an integer >= 1")
    if not 0 < tol < 1:
        raise InputError("--tolerance", tol, "a number between 0 and 1")
    n, phi = 1, 1.0
    out: list[tuple[int, float, dict[str, float]]] = []

    def keep(n: int, phi: float, res: dict[str, float]) -> None:
        out.append((n, phi, res))
        if on_step:
            on_step(n, phi, res)

    while True:
        res = evaluate(phi)
        keep(n, phi, res)
        if n >= n_cycles:
            return out
        rate = lam_rate_per_cycle(res["strain_amplitude"], beta, m)
        jump = n_cycles - n if rate == 0 else min(n_cycles - n, max(1, math.ceil(tol / -rate)))
        phi = max(phi + rate * jump, 0.0)
        n += jump
        if on_jump:
            on_jump(jump)
        if phi <= 0.0:
            keep(n, 0.0, {**res, "charge_capacity": 0.0, "discharge_capacity": 0.0})
            return out
