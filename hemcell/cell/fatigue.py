"""Fatigue crack growth in the particles and the active material it cuts off, per cycle.

**Mechanism.** Every conversion cycle swells and shrinks the particles; the mismatch
between the converted surface and the particle's interior puts the surface in tension on
one half-cycle, and a surface flaw grows a little each cycle (mechanical fatigue). Crack
growth per cycle follows Paris' law, as in PyBaMM's particle-cracking submodel
(``crack_propagation.py``: Ai et al., J. Electrochem. Soc. 167 (2020) 013512, for the
stress; Deshpande, Verbrugge, Cheng, Wang & Liu, J. Electrochem. Soc. 159 (2012) A1730,
for the cracking):

    Δσ = E Δε_v / (3 (1 − ν)),                                                   (2)
    ΔK = Y Δσ √(π a),                                                            (3)
    da/dN = C (ΔK / K_u)^n,       K_u = 1 MPa m^½,                               (4)

with E, ν the particle's Young's modulus and Poisson ratio, Δε_v the cycle's volumetric
strain amplitude (max − min of the particle volumetric strain, from the full model), Y the
geometry factor of a surface crack and a the crack depth (a = a₀ at the first cycle after
formation). Eq. (2) is PyBaMM's surface tangential stress σ_t = E Ω (c̄ − c_surf) /
(3(1 − ν)) with the volumetric-strain difference between the particle's mean and its
surface, Ω (c̄ − c_surf), taken as the cycle's whole amplitude Δε_v: the converted shell
against the unconverted core of a shrinking-core conversion (an upper estimate). C is the
crack growth per cycle at ΔK = K_u, the unit in which ΔK is customarily stated (so that C
is a length whatever n). E, ν, Y and C enter eqs. (2)–(4) only through the product
C (Y E/(1 − ν))^n: with C calibrated, the prediction rests on n, a₀/R and eq. (5).

**Loss rule.** A crack of depth a with a straight front (the edge-crack geometry of
Y = 1.12) is taken to cut off the spherical cap of height a beyond its front, which loses
contact with the particle's core and through it with the conducting network. The cap of
height a of a sphere of radius R holds the volume fraction

    g(x) = x² (3 − x) / 4,        x = a/R ∈ [0, 2],                              (5)

(g(1) = ½: a crack through the centre halves the particle; g(2) = 1). The set's active
material ε_s,0 is the material connected at the first cycle after formation (flaw depth
a₀), so the active fraction is

    φ = ε_s / ε_s,0 = (1 − g(a/R)) / (1 − g(a₀/R)).                               (6)

**Integration over a jump.** With Δσ held at the evaluated cycle's value, eq. (4) is
da/dN = k a^(n/2), k = C (Y Δσ √π / K_u)^n, whose solution over ΔN cycles is

    a^(1 − n/2) = a_i^(1 − n/2) − (n/2 − 1) k ΔN      (n ≠ 2),
    a = a_i exp(k ΔN)                                 (n = 2),                   (7)

(for n > 2 the crack runs away after ΔN* = a_i^(1 − n/2) / ((n/2 − 1) k) cycles: φ = 0).
:class:`FatigueCrackLaw` advances a exactly by eq. (7) and sizes each jump so that φ
falls by the integrator's tolerance (:func:`hemcell.cell.active_material_loss.integrate_damage`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from hemcell.errors import InputError
from hemcell.params.uses import ParameterUse

#: ΔK unit of the Paris coefficient C in eq. (4) [Pa m^½] (1 MPa m^½).
STRESS_INTENSITY_UNIT_PA_SQRT_M = 1.0e6

_ABSENT = "the set uses the strain-driven LAM law (lam_strain_*) instead"

#: Registry names the fatigue law of eqs. (2)–(6) reads (the particle radius R is the
#: cell model's ``anode_particle_radius``).
PARAMETERS: tuple[ParameterUse, ...] = (
    ParameterUse("fatigue_paris_coefficient", "m", absent=_ABSENT),
    ParameterUse("fatigue_paris_exponent", "dimensionless", absent=_ABSENT),
    ParameterUse("fatigue_crack_geometry_factor", "dimensionless", absent=_ABSENT),
    ParameterUse("fatigue_initial_crack_length", "m", absent=_ABSENT),
    ParameterUse("anode_youngs_modulus", "Pa", absent=_ABSENT),
    ParameterUse("anode_poisson_ratio", "dimensionless", absent=_ABSENT),
)


def stress_amplitude_Pa(strain_amplitude: float, youngs_modulus_Pa: float,
                        poisson_ratio: float) -> float:
    """Δσ = E Δε_v / (3 (1 − ν)), eq. (2) [Pa]."""
    return youngs_modulus_Pa * abs(strain_amplitude) / (3.0 * (1.0 - poisson_ratio))


def stress_intensity_range_Pa_sqrt_m(stress_Pa: float, crack_length_m: float,
                                     geometry_factor: float) -> float:
    """ΔK = Y Δσ √(π a), eq. (3) [Pa m^½]."""
    return geometry_factor * stress_Pa * math.sqrt(math.pi * crack_length_m)


def crack_growth_per_cycle_m(stress_intensity_Pa_sqrt_m: float, coefficient_m: float,
                             exponent: float) -> float:
    """da/dN = C (ΔK/K_u)^n, eq. (4) [m/cycle]."""
    ratio = stress_intensity_Pa_sqrt_m / STRESS_INTENSITY_UNIT_PA_SQRT_M
    return coefficient_m * ratio**exponent


def cap_volume_fraction(relative_depth: float) -> float:
    """g(x) = x² (3 − x)/4, eq. (5): the volume fraction of a sphere beyond a plane at depth
    x R below its surface (x clipped to [0, 2])."""
    x = min(max(relative_depth, 0.0), 2.0)
    return x * x * (3.0 - x) / 4.0


def cap_depth(volume_fraction: float) -> float:
    """x with g(x) = y, the inverse of eq. (5) on [0, 2].

    With x = 1 − u, g(x) = y reads u³ − 3u = 4y − 2; u = 2 cos θ gives cos 3θ = 2y − 1,
    and the branch with x rising from 0 to 2 as y goes from 0 to 1 is
    3θ = 2π − arccos(2y − 1).
    """
    y = min(max(volume_fraction, 0.0), 1.0)
    theta = (2.0 * math.pi - math.acos(2.0 * y - 1.0)) / 3.0
    return 1.0 - 2.0 * math.cos(theta)


@dataclass(frozen=True)
class FatigueCrackLaw:
    """Paris-law crack growth with the cap loss rule, eqs. (2)–(7); state: crack depth a [m].

    Attributes
    ----------
    coefficient_m
        C of eq. (4) [m/cycle at ΔK = 1 MPa m^½].
    exponent
        n of eq. (4).
    geometry_factor
        Y of eq. (3).
    initial_crack_length_m
        a₀ [m], the flaw depth at the first cycle after formation.
    youngs_modulus_Pa, poisson_ratio
        E [Pa] and ν of eq. (2).
    particle_radius_m
        R [m] of eq. (5).
    """

    coefficient_m: float
    exponent: float
    geometry_factor: float
    initial_crack_length_m: float
    youngs_modulus_Pa: float
    poisson_ratio: float
    particle_radius_m: float

    name = "fatigue"
    state_name = "crack_depth_m"

    def __post_init__(self) -> None:
        if not 0 < self.initial_crack_length_m < 2 * self.particle_radius_m:
            raise InputError("fatigue_initial_crack_length", self.initial_crack_length_m,
                             f"a depth between 0 and the particle diameter "
                             f"{2 * self.particle_radius_m:.3g} m")
        if not -1 < self.poisson_ratio < 0.5:
            raise InputError("anode_poisson_ratio", self.poisson_ratio, "-1 < nu < 0.5")

    @classmethod
    def from_set(cls, si: Mapping[str, Any]) -> FatigueCrackLaw:
        """The law from a set's SI values (registry names)."""
        return cls(
            coefficient_m=float(si["fatigue_paris_coefficient"]),
            exponent=float(si["fatigue_paris_exponent"]),
            geometry_factor=float(si["fatigue_crack_geometry_factor"]),
            initial_crack_length_m=float(si["fatigue_initial_crack_length"]),
            youngs_modulus_Pa=float(si["anode_youngs_modulus"]),
            poisson_ratio=float(si["anode_poisson_ratio"]),
            particle_radius_m=float(si["anode_particle_radius"]),
        )

    def parameters(self) -> dict[str, float]:
        """Registry name → SI value, for the run's summary."""
        return {
            "fatigue_paris_coefficient": self.coefficient_m,
            "fatigue_paris_exponent": self.exponent,
            "fatigue_crack_geometry_factor": self.geometry_factor,
            "fatigue_initial_crack_length": self.initial_crack_length_m,
            "anode_youngs_modulus": self.youngs_modulus_Pa,
            "anode_poisson_ratio": self.poisson_ratio,
            "anode_particle_radius": self.particle_radius_m,
        }

    # ----------------------------------------------------------- the integrator's interface
    def start(self) -> float:
        """a at the first cycle after formation, a₀ [m]."""
        return self.initial_crack_length_m

    def active_fraction(self, crack_length_m: float) -> float:
        """φ of eq. (6)."""
        r = self.particle_radius_m
        lost = cap_volume_fraction(crack_length_m / r)
        return max((1.0 - lost) / (1.0 - cap_volume_fraction(self.initial_crack_length_m / r)),
                   0.0)

    def _rate_constant(self, strain_amplitude: float) -> float:
        """k of da/dN = k a^(n/2) at constant Δσ [m^(1 − n/2)/cycle] (eqs. 2–4)."""
        dsigma = stress_amplitude_Pa(strain_amplitude, self.youngs_modulus_Pa,
                                     self.poisson_ratio)
        dk_unit_depth = stress_intensity_range_Pa_sqrt_m(dsigma, 1.0, self.geometry_factor)
        return crack_growth_per_cycle_m(dk_unit_depth, self.coefficient_m, self.exponent)

    def advance(self, crack_length_m: float, strain_amplitude: float, n_cycles: float) -> float:
        """a after ``n_cycles`` more cycles at constant Δσ, eq. (7) [m], at most 2R (the
        crack through the particle, φ = 0; also when it runs away)."""
        through = 2.0 * self.particle_radius_m
        k = self._rate_constant(strain_amplitude)
        if k == 0.0 or n_cycles == 0:
            return crack_length_m
        p = self.exponent / 2.0 - 1.0
        if p == 0.0:
            growth = k * n_cycles
            return through if growth > 700.0 else min(crack_length_m * math.exp(growth),
                                                      through)
        rest = crack_length_m ** (-p) - p * k * n_cycles
        if rest <= 0.0:
            return through
        return min(rest ** (-1.0 / p), through)

    def cycles_between(self, a_from_m: float, a_to_m: float, strain_amplitude: float) -> float:
        """ΔN for the crack to grow from ``a_from_m`` to ``a_to_m`` at constant Δσ, the
        inverse of eq. (7) (inf without stress)."""
        k = self._rate_constant(strain_amplitude)
        if k == 0.0:
            return math.inf
        p = self.exponent / 2.0 - 1.0
        if p == 0.0:
            return math.log(a_to_m / a_from_m) / k
        return (a_from_m ** (-p) - a_to_m ** (-p)) / (p * k)

    def cycles_for(self, crack_length_m: float, strain_amplitude: float, tol: float) -> float:
        """Cycles until φ has fallen by ``tol`` from its value at ``crack_length_m`` (to 0 at
        most: the crack through the particle, a = 2R)."""
        r = self.particle_radius_m
        phi = self.active_fraction(crack_length_m)
        kept_0 = 1.0 - cap_volume_fraction(self.initial_crack_length_m / r)
        phi_target = phi - tol
        a_target = (2.0 * r if phi_target <= 0.0
                    else r * cap_depth(1.0 - phi_target * kept_0))
        return self.cycles_between(crack_length_m, a_target, strain_amplitude)
