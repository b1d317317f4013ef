"""Conversion: MₐX_b + (b·n) Li⁺ + (b·n) e⁻ ⇌ b LiₙX + a M (seed 000 eqn 2).

Two states per convertible element k: the conversion extent ξ_k(x, t) ∈ [0, 1] (the
fraction of the element that is metal) and the pristine fraction p_k, the part of the
crystalline host that has never converted. Pristine host only converts, it never
re-forms (seed 003 L770-771: the rock-salt HE phase is lost on the first lithiation),
so ξ̂_k = 1 − p_k is the largest extent reached so far. Only a fraction r_k of the
metal made re-oxidises (seed 000 L315–319: in (Mg,Co,Ni,Cu,Zn)O, Co and Ni re-oxidise
only partly, Zn fully); what re-oxidises is the nanocomposite oxide n_k = 1 − ξ_k − p_k.

Kinetics: one-directional Butler–Volmer branches with *their own* equilibrium
potentials U_lith,k < U_delith,k (two-branch hysteresis, docs/theory.md eq. 2.3).
Lithiation runs only below U_lith, reconversion only above U_delith, and between them
the phase composition is frozen. The voltage gap therefore stays when the rate → 0:
the hysteresis is rate-independent, as observed for conversion oxides (e.g. NiO ≈1.2 V,
Ma et al., Front. Mater. Sci. 16 (2022) 220624). Each branch carries a shrinking-core
front factor and a product-shell transport limit in series:

    j_lith,p,k = − j₀ (c_e/c_e,ref)^½ f(p_k) [exp(−α F (Δφ − U_lith,k + ΔU₁ − u_p)/RT) − 1]₊
    j_lith,n,k = − j₀ (c_e/c_e,ref)^½ f(n_k) [exp(−α F (Δφ − U_lith,k − u_r)/RT) − 1]₊
    j_delith,k = + j₀ (c_e/c_e,ref)^½ f(ξ_free,k,₊) [exp((1−α) F (Δφ − U_delith,k − u_r)/RT) − 1]₊
    j = j_kin / (1 + |j_kin| / j_shell),  j_shell = F D_conv c_k / (R g(ξ)),
    g(ξ) = (1−ξ)^{−1/3} − 1   (product-layer diffusion, Levenspiel 1999 ch. 25)
    dξ_k/dt = − 3 (j_lith,p + j_lith,n + j_delith) / (R F c_k),  dp_k/dt = 3 j_lith,p / (R F c_k)

with f(y) ≈ y^{2/3} the shrinking-core front factor (:func:`.base.front_factor`), u the
branch-potential shifts (:func:`.base.site_shift`). The delithiation branch reads the free
metal's positive part ξ_free,₊ = max(ξ_free, 0): the same law wherever there is metal to
re-oxidise, no current where there is none. ξ_free is a difference of states (ξ − (1 −
r)ξ̂ − θ) that a solver leaves ~10⁻¹² below zero once a charge has re-oxidised it all;
the odd f turned that into a lithiating current at potentials up to 3 V, 10¹³× amplified
by the open branch and saturated at the product shell's limit (of the order of the
applied current at 0.05 A/g), so ξ_free chattered about zero and IDA failed
(docs/anode.md "Numerics", "Completion"). The lithiation branches keep the odd f (their
exponents stay below ~20 above the 0.01 V cut-off, against the cap of 40). The first
conversion of the pristine host needs an extra overpotential ΔU₁: first-discharge
plateaus of conversion oxides lie
lower than later ones (CoO: plateau and CV peak shift up after cycle 1, J.
Power Sources 159 (2006) 323).

Heterogeneity (docs/anode.md "Curve shapes"): particle size, strain and local
composition spread the branch potentials of the sites of one element. Sites convert in
the order of their shift u (highest first on lithiation, lowest first on
reconversion, the same u on both branches so that each site keeps the branch gap); with
a logistic distribution of standard deviation σ (scale s = σ√3/π) the shift of the next
site to react is

    u_p = s ln[(p + ε)/(1 − p + ε)]             (pristine host, converted fraction 1 − p)
    u_r = s ln[(1 − z + ε)/(z + ε)],  z = ξ_free / (r ξ̂ + ε)   (reversible pool)

so that the rate-independent limit is a sloping plateau whose dQ/dV is a logistic peak of
standard deviation σ at the branch potential (FWHM = 2 s ln(3 + 2√2) ≈ 1.94 σ);
ε = 0.01 truncates the distribution at ±ln(101) s ≈ ±2.5 σ. σ = 0 gives one flat plateau
per element.

Heat (docs/theory.md eq. 2.9): each branch dissipates a j (Δφ − U_branch) (kinetic)
plus a j (U_branch − U_eq) (hysteresis), with U_eq the mid-gap potential of the sites
reacting, (U_lith,k + U_delith,k)/2 + u, PyBaMM's split of hysteresis heat (Q_hys =
a j (U − U_eq); Wycisk et al., J. Energy Storage 61 (2023) 106817): in sum
a j (Δφ − U_eq) ≥ 0 on every branch.

j₀ and D_conv are Arrhenius in the cell temperature T (activation energies of the set,
:func:`hemcell.cell.mechanisms.base.arrhenius`), with c_k [mol e⁻ per m³ of particle]
= ρ Q_k / F from the element's Faraday capacity Q_k, ξ_free,k = ξ_k − (1 − r_k) ξ̂_k − θ_k
the metal that can re-oxidise, and θ_k the part of the metal that is alloyed (it cannot
reconvert until it has de-alloyed).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import pybamm

from hemcell.cell.mechanisms.base import (
    R_GAS,
    SPREAD_TRUNCATION,
    BaseMechanism,
    ElectrodeContext,
    F,
    arrhenius,
    front_factor,
    lithiated_fraction_at,
    param,
    positive_part_exp,
    shell_limited,
    site_shift,
)
from hemcell.params.uses import ParameterUse

#: Registry names the conversion mechanism reads; ``{el}`` runs over the convertible
#: elements.
PARAMETERS: tuple[ParameterUse, ...] = (
    ParameterUse("conversion_exchange_current_density", "A/m**2"),
    ParameterUse("conversion_exchange_current_activation_energy", "J/mol"),
    ParameterUse("conversion_product_diffusivity", "m**2/s"),
    ParameterUse("conversion_product_diffusivity_activation_energy", "J/mol"),
    ParameterUse("conversion_charge_transfer_coefficient", "dimensionless"),
    ParameterUse("conversion_volume_expansion", "dimensionless"),
    ParameterUse("conversion_first_lithiation_overpotential", "V"),
    ParameterUse("conversion_branch_potential_spread", "V",
                 absent="no heterogeneity: one sharp branch potential per element"),
    ParameterUse("conversion_capacity_{el}", "C/kg", "conversion"),
    ParameterUse("conversion_lithiation_potential_{el}", "V", "conversion"),
    ParameterUse("conversion_delithiation_potential_{el}", "V", "conversion"),
    ParameterUse("conversion_reversible_fraction_{el}", "dimensionless", "conversion"),
)


#: Regularisation of the reversible-pool fraction z = ξ_free/(r ξ̂ + ε) before any metal is
#: made (the fraction is then irrelevant: its front factor f(ξ_free) is zero).
POOL_REGULARISATION = 1e-3


def first_lithiation_onset_V(values: Mapping[str, Any], elements: Sequence[str]
                             ) -> dict[str, float]:
    """Highest electrode potential [V] at which each element's pristine host converts.

    The first site of the pristine pool reacts below U_lith,k − ΔU₁ + u_max, with u_max =
    s ln[(1 + ε)/ε] the largest site shift (:func:`.base.site_shift` at p = 1, ≈ 2.5 σ).
    ``values`` are the model's PyBaMM values; elements whose values are not numbers (a
    fit's input parameters) are left out.
    """
    out = {}
    try:
        dU_1 = float(values["Anode conversion first-lithiation overpotential [V]"])
        spread = float(values["Anode conversion branch-potential spread [V]"])
    except (KeyError, TypeError, ValueError):
        return out
    eps = SPREAD_TRUNCATION
    u_max = spread * math.sqrt(3.0) / math.pi * math.log((1 + eps) / eps)
    for el in elements:
        try:
            out[el] = float(values[f"Anode {el} conversion lithiation potential [V]"]) \
                - dU_1 + u_max
        except (KeyError, TypeError, ValueError):
            continue
    return out


def first_lithiation_extent(si: Mapping[str, Any], element: str, potential_V: float) -> float:
    """Conversion extent ξ_k of a pristine element at equilibrium at ``potential_V`` [V]
    on its first lithiation (the set's SI values, registry names).

    The pristine branch U_lith,k − ΔU₁ + u_p runs while Δφ is below it; at equilibrium its
    sites have converted down to the shift u_p = Δφ − U_lith,k + ΔU₁ of the branch-potential
    spread σ (:func:`.base.lithiated_fraction_at`; σ absent: 0, one sharp plateau). E.g.
    Co of the rock-salt set with Na (U_lith −0.061 V, ΔU₁ 0.2 V, σ 0.1 V) at 0 V: 0, its
    first sites open at −0.007 V; with Li (U_lith 0.900 V): 1.
    """
    el = element.lower()
    branch = si[f"conversion_lithiation_potential_{el}"] \
        - si["conversion_first_lithiation_overpotential"]
    spread = si.get("conversion_branch_potential_spread", 0.0)
    return lithiated_fraction_at(spread, branch, potential_V)


def onset_below_cutoff_warnings(values: Mapping[str, Any], elements: Sequence[str]
                                ) -> list[str]:
    """A warning naming the pristine elements that cannot convert above the half-cell's
    lower voltage cut-off (:func:`first_lithiation_onset_V`; e.g. the rock-salt HEO with
    Na or K, whose branches the ion shifts by −0.96 and −1.24 V), or ``[]``."""
    try:
        cutoff = float(values["Lower voltage cut-off [V]"])
    except (KeyError, TypeError, ValueError):
        return []
    onset = {el: u for el, u in first_lithiation_onset_V(values, elements).items()
             if u < cutoff and not values.get(f"Anode {el} initial conversion extent", 0)}
    if not onset:
        return []
    none_left = len(onset) == len(elements)
    return [f"conversion of {', '.join(onset)} cannot start above the {cutoff:g} V cut-off: "
            "the first-lithiation branches open only below "
            + ", ".join(f"{u:.3f} V ({el})" for el, u in onset.items())
            + " (U_lith - first-lithiation overpotential + 2.5 sigma)"
            + ("; the run stores no conversion capacity" if none_left else "")]


class Conversion(BaseMechanism):
    """Conversion of the metal-oxide (sulfide, ...) host into metal + LiₙX.

    Parameters
    ----------
    ctx
        Where the anode sits.
    elements
        Convertible elements, e.g. ``["Co", "Ni", "Cu", "Zn"]``. Each has its own
        capacity, branch potentials and reversible fraction.
    """

    mechanism = "conversion"

    def __init__(self, ctx: ElectrodeContext, elements: Sequence[str]) -> None:
        super().__init__(ctx)
        self.elements = list(elements)
        self._xi: dict[str, pybamm.Variable] = {}
        self._pristine: dict[str, pybamm.Variable] = {}

    @staticmethod
    def capacity(el: str) -> pybamm.Parameter:
        """Faraday capacity of converting element ``el`` [C kg⁻¹ of active material]."""
        return param(f"Anode {el} conversion capacity [C.kg-1]")

    def get_fundamental_variables(self) -> dict:
        """ξ_k, the pristine fraction p_k and ξ̂_k = 1 − p_k for every convertible element."""
        out = {}
        for el in self.elements:
            xi = self.ctx.state(self.n.conversion_extent(el))
            pristine = self.ctx.state(f"Anode {el} pristine fraction")
            self._xi[el], self._pristine[el] = xi, pristine
            out[self.n.conversion_extent(el)] = xi
            out[f"Anode {el} pristine fraction"] = pristine
            out[f"Anode {el} maximum conversion extent"] = 1 - pristine
        return out

    def get_coupled_variables(self, variables: dict) -> dict:
        """Branch currents, stored charge and strain."""
        dphi, c_e, T, a_s, eps_s, rho = self._common(variables)
        f_rt = F / (R_GAS * T)
        alpha = param("Anode conversion charge transfer coefficient")
        j0 = param("Anode conversion exchange-current density [A.m-2]") * arrhenius(
            "Anode conversion exchange-current activation energy [J.mol-1]", T
        )
        D = param("Anode conversion product diffusivity [m2.s-1]") * arrhenius(
            "Anode conversion product diffusivity activation energy [J.mol-1]", T
        )
        R = self.ctx.particle_radius
        c_ref = param("Initial concentration in electrolyte [mol.m-3]")
        dU_1 = param("Anode conversion first-lithiation overpotential [V]")
        spread = param("Anode conversion branch-potential spread [V]")
        k0 = j0 * (pybamm.maximum(c_e, 1e-3) / c_ref) ** 0.5
        j_tot = 0
        q_tot = 0
        heat = 0
        hyst = 0
        out: dict = {}
        self._rates: dict[str, tuple[pybamm.Symbol, pybamm.Symbol]] = {}
        for el in self.elements:
            xi, p = self._xi[el], self._pristine[el]
            c_k = rho * self.capacity(el) / F  # mol e- per m3 of particle
            theta = variables.get(self.n.alloyed_fraction(el), pybamm.Scalar(0))
            r_k = param(f"Anode {el} conversion reversible fraction")
            made = 1 - p  # ξ̂: all metal made so far
            xi_free = xi - (1 - r_k) * made - theta
            nano = 1 - xi - p  # re-formed nanocomposite oxide
            # branch potentials of the next sites to react (heterogeneity, docstring)
            u_p = site_shift(spread, p)
            z = xi_free / (r_k * made + POOL_REGULARISATION)
            u_r = site_shift(spread, 1 - z)
            U_l0 = param(f"Anode {el} conversion lithiation potential [V]")
            U_d0 = param(f"Anode {el} conversion delithiation potential [V]")
            U_lp = U_l0 - dU_1 + u_p
            U_ln = U_l0 + u_r
            U_d = U_d0 + u_r
            # product-shell transport limit (shrinking core): thin shell -> large limit
            core = pybamm.maximum(1 - xi, 0) + 1e-3
            g_l = core ** (-1 / 3) - 1 + 1e-3
            shell = pybamm.maximum(xi, 0) + 1e-3
            g_d = shell ** (-1 / 3) - 1 + 1e-3
            j_scale = F * D * c_k / R
            lith = positive_part_exp
            j_lp = shell_limited(
                -k0 * front_factor(p) * lith(-alpha * f_rt * (dphi - U_lp)), j_scale / g_l)
            j_ln = shell_limited(
                -k0 * front_factor(nano) * lith(-alpha * f_rt * (dphi - U_ln)), j_scale / g_l)
            j_d = shell_limited(
                k0 * front_factor(pybamm.maximum(xi_free, 0)) * lith(
                    (1 - alpha) * f_rt * (dphi - U_d)),
                j_scale / g_d)
            j_k = j_lp + j_ln + j_d
            to_rate = -3 / (R * F * c_k)
            self._rates[el] = (to_rate * j_lp, to_rate * j_k)
            # heat a j (Δφ − U_eq) with U_eq the mid-gap potential of the reacting sites:
            # kinetic (against the branch) plus hysteresis a j (U_branch − U_eq)
            U_mid = (U_l0 + U_d0) / 2
            U_eq_p, U_eq_r = U_mid + u_p, U_mid + u_r
            heat = heat + a_s * (j_lp * (dphi - U_eq_p) + (j_ln + j_d) * (dphi - U_eq_r))
            hyst = hyst + a_s * (
                j_lp * (U_lp - U_eq_p) + j_ln * (U_ln - U_eq_r) + j_d * (U_d - U_eq_r))
            q_k = F * eps_s * c_k * xi
            j_tot = j_tot + a_s * j_k
            q_tot = q_tot + q_k
            out[f"Anode {el} conversion volumetric current density [A.m-3]"] = a_s * j_k
            out[f"Anode {el} conversion stored charge density [C.m-3]"] = q_k
            out[f"Anode {el} free metal fraction"] = xi_free
        out.update(self._publish(j_tot, q_tot, heat))
        out[self.n.hysteresis_heat(self.mechanism)] = hyst
        # Particle volume change: linear in the converted fraction, full-conversion
        # expansion as a parameter (seed 000 L916-921: ~7 % for (MgCoNiCuZn)O).
        cap_tot = sum(self.capacity(el) for el in self.elements)
        xi_mean = sum(self.capacity(el) * self._xi[el] for el in self.elements) / cap_tot
        out[self.n.strain(self.mechanism)] = param("Anode conversion volume expansion") * xi_mean
        out["Anode mean conversion extent"] = xi_mean
        return out

    def set_rhs(self, variables: dict) -> None:
        """dξ/dt from all branch currents; dp/dt = −(pristine lithiation rate)."""
        for el in self.elements:
            rate_pristine, rate = self._rates[el]
            self.rhs[self._xi[el]] = rate
            self.rhs[self._pristine[el]] = -rate_pristine

    def set_initial_conditions(self, variables: dict) -> None:
        """Pristine oxide (ξ = 0, p = 1) unless a pre-converted state is given."""
        for el in self.elements:
            xi0 = param(f"Anode {el} initial conversion extent")
            self.initial_conditions[self._xi[el]] = xi0
            self.initial_conditions[self._pristine[el]] = 1 - xi0
