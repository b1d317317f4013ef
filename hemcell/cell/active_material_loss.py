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

**Two laws, chosen by the set.** Eq. (1) (:class:`StrainLAMLaw`, keys ``lam_strain_*``)
loses the same fraction every cycle at a constant strain amplitude, linear in N. The
fatigue law of :mod:`hemcell.cell.fatigue` (:class:`~hemcell.cell.fatigue.FatigueCrackLaw`,
keys ``fatigue_*``, ``anode_youngs_modulus``, ``anode_poisson_ratio``) grows a surface crack
by Paris' law and loses the particle cap it cuts off: slow at first, accelerating as the
crack deepens. A set gives the keys of exactly one (:func:`damage_law`). Both go through
:func:`integrate_damage`, which carries the law's state (φ, or the crack depth a) across
the jumps and advances it exactly for the strain amplitude of the last evaluation.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from hemcell.cell import fatigue
from hemcell.errors import InputError
from hemcell.params.uses import ParameterUse

_ABSENT = "the set uses the fatigue-crack LAM law (fatigue_*) instead"

#: Registry names the strain-driven LAM law of eq. (1) reads.
STRAIN_PARAMETERS: tuple[ParameterUse, ...] = (
    ParameterUse("lam_strain_coefficient", "dimensionless", absent=_ABSENT),
    ParameterUse("lam_strain_exponent", "dimensionless", absent=_ABSENT),
)

#: Registry names ``cell cycle-life`` reads for its loss of active material (either law).
PARAMETERS: tuple[ParameterUse, ...] = (*STRAIN_PARAMETERS, *fatigue.PARAMETERS)


class DamageLaw(Protocol):
    """What :func:`integrate_damage` needs of a LAM law (state: one float)."""

    name: str
    #: What the state is (``active_fraction``, ``crack_depth_m``): a summary key.
    state_name: str

    def start(self) -> float:
        """The state at the first cycle after formation (N = 1)."""

    def active_fraction(self, state: float) -> float:
        """φ = ε_s/ε_s,0 in ``state``."""

    def advance(self, state: float, strain_amplitude: float, n_cycles: float) -> float:
        """The state after ``n_cycles`` more cycles at a constant strain amplitude."""

    def cycles_for(self, state: float, strain_amplitude: float, tol: float) -> float:
        """Cycles until φ has fallen by ``tol`` at this strain amplitude (inf: never)."""

    def parameters(self) -> dict[str, float]:
        """Registry name → SI value of the law's constants."""


def lam_rate_per_cycle(strain_amplitude: float, beta: float, m: float) -> float:
    """dφ/dN = −β_N (Δε_v)^m, eq. (1) [1/cycle]."""
    return -beta * abs(strain_amplitude) ** m


@dataclass(frozen=True)
class StrainLAMLaw:
    """Eq. (1); state: φ. Explicit Euler in N is exact at a constant strain amplitude."""

    coefficient: float
    exponent: float

    name = "strain"
    state_name = "active_fraction"

    def start(self) -> float:
        return 1.0

    def active_fraction(self, state: float) -> float:
        return state

    def advance(self, state: float, strain_amplitude: float, n_cycles: float) -> float:
        return max(state + lam_rate_per_cycle(strain_amplitude, self.coefficient,
                                              self.exponent) * n_cycles, 0.0)

    def cycles_for(self, state: float, strain_amplitude: float, tol: float) -> float:
        rate = lam_rate_per_cycle(strain_amplitude, self.coefficient, self.exponent)
        return math.inf if rate == 0 else tol / -rate

    def parameters(self) -> dict[str, float]:
        return {"lam_strain_coefficient": self.coefficient,
                "lam_strain_exponent": self.exponent}


def damage_law(si: Mapping[str, Any], set_name: str = "parameter set") -> DamageLaw:
    """The LAM law a set selects by its keys: ``lam_strain_*`` (eq. 1) or the fatigue law
    (:mod:`hemcell.cell.fatigue`).

    Raises
    ------
    InputError
        The set gives keys of both laws, or neither law completely (names what is missing).
    """
    strain = [u.key for u in STRAIN_PARAMETERS]
    crack = [u.key for u in fatigue.PARAMETERS]
    has_strain = [k for k in strain if k in si]
    has_crack = [k for k in crack if k in si]
    if has_strain and has_crack:
        raise InputError(
            f"{set_name} for `hemcell cell cycle-life` (LAM law)",
            ", ".join(has_strain + has_crack),
            "the keys of one loss-of-active-material law: lam_strain_* (strain-driven) or "
            "fatigue_* with anode_youngs_modulus, anode_poisson_ratio (fatigue cracks)",
            hint="a --set of one law's key on a set that uses the other is not honoured: "
            "fatigue_paris_coefficient=0 (or lam_strain_coefficient=0) switches the set's "
            "own law off")
    if has_crack:
        missing = [k for k in crack if k not in si]
        if missing:
            raise InputError(
                f"{set_name} for `hemcell cell cycle-life` (fatigue LAM law)",
                f"{len(missing)} missing value(s)",
                f"a value (with unit and source) for each of {', '.join(crack)}; "
                f"missing: {', '.join(missing)}",
                hint="add them to the parameter file (docs/anode.md, Cycle life)")
        return fatigue.FatigueCrackLaw.from_set(si)
    missing = [k for k in strain if k not in si]
    if missing:
        raise InputError(
            f"{set_name} for `hemcell cell cycle-life` (LAM law)",
            f"{len(missing)} missing value(s)",
            "the keys of one loss-of-active-material law: lam_strain_coefficient and "
            "lam_strain_exponent, or " + ", ".join(crack) + f"; missing: {', '.join(missing)}",
            hint="add them to the parameter file (docs/anode.md, Cycle life)")
    return StrainLAMLaw(float(si["lam_strain_coefficient"]), float(si["lam_strain_exponent"]))


def integrate_damage(
    evaluate: Callable[[float], dict[str, float]],
    n_cycles: int,
    law: DamageLaw,
    tol: float = 0.02,
    on_step: Callable[[int, float, dict[str, float]], None] | None = None,
    on_jump: Callable[[int], None] | None = None,
) -> list[tuple[int, float, dict[str, float]]]:
    """Cycle jumping with a LAM law: evaluate a cycle, jump, advance the law's state.

    Each jump holds the strain amplitude of the last evaluation; it lasts until φ has
    fallen by ``tol`` (at least 1 cycle, at most to ``n_cycles``), over which the law
    advances its state exactly for that strain amplitude.

    Parameters
    ----------
    evaluate
        φ → cycle result with at least ``strain_amplitude`` (one full-model evaluation).
    n_cycles
        Last cycle N to reach (the first evaluation is cycle 1).
    law
        :class:`StrainLAMLaw`, :class:`~hemcell.cell.fatigue.FatigueCrackLaw` (:func:`damage_law`).
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
        One entry per evaluation, N increasing, ending at ``n_cycles``; each result also
        holds the law's state at N as ``lam_state``.
    """
    if n_cycles < 1:
        raise InputError("--cycles", n_cycles, "an integer >= 1")
    if not 0 < tol < 1:
        raise InputError("--tolerance", tol, "a number between 0 and 1")
    n, state = 1, law.start()
    out: list[tuple[int, float, dict[str, float]]] = []

    def keep(n: int, phi: float, res: dict[str, float]) -> None:
        out.append((n, phi, res))
        if on_step:
            on_step(n, phi, res)

    while True:
        res = {**evaluate(law.active_fraction(state)), "lam_state": state}
        keep(n, law.active_fraction(state), res)
        if n >= n_cycles:
            return out
        strain = res["strain_amplitude"]
        span = law.cycles_for(state, strain, tol)
        jump = (n_cycles - n if not math.isfinite(span)
                else min(n_cycles - n, max(1, math.ceil(span))))
        state = law.advance(state, strain, jump)
        n += jump
        if on_jump:
            on_jump(jump)
        if law.active_fraction(state) <= 0.0:
            keep(n, 0.0, {**res, "charge_capacity": 0.0, "discharge_capacity": 0.0,
                          "lam_state": state})
            return out
