"""Conversion: MₐX_b + (b·n) Li⁺ + (b·n) e⁻ ⇌ b LiₙX + a M (seed 000 eqn 2).

One state per convertible element k, the conversion extent ξ_k(x, t) ∈ [0, 1], and a
second state ξ̂_k, the largest extent reached so far (a running maximum), which fixes
how much of the metal can be re-oxidised: only a fraction r_k of what was converted
reconverts (seed 000 L315–319: in (Mg,Co,Ni,Cu,Zn)O, Co and Ni re-oxidise only
partly, Zn fully).

Kinetics: two one-directional Butler–Volmer branches with *their own* equilibrium
potentials U_lith,k < U_delith,k (two-branch hysteresis, docs/theory.md eq. 2.3). Lithiation runs
only below U_lith, reconversion only above U_delith, and between them the phase
composition is frozen. The voltage gap therefore stays when the rate → 0: the
hysteresis is rate-independent, as observed for conversion oxides (e.g. NiO ≈1.2 V,
Ma et al., Front. Mater. Sci. 16 (2022) 220624). Each branch carries a shrinking-core
front factor and a product-shell transport limit in series:

    j_lith,k   = − j₀ (c_e/c_e,ref)^½ (1−ξ_k)^{2/3} [exp(−α F η_l/RT) − 1]₊
    j_delith,k = + j₀ (c_e/c_e,ref)^½ (ξ_k − ξ_irr,k − θ_k)^{2/3} [exp((1−α) F η_d/RT) − 1]₊
    η_l = Δφ − U_lith,k,   η_d = Δφ − U_delith,k
    j_k = j_kin / (1 + |j_kin| / j_shell),  j_shell = F D_conv c_k / (R g(ξ)),
    g(ξ) = (1−ξ)^{−1/3} − 1   (product-layer diffusion, Levenspiel 1999 ch. 25)
    dξ_k/dt = − 3 j_k / (R F c_k)

The first conversion of the pristine crystalline host needs an extra overpotential
ΔU₁ (U_lith,k − ΔU₁ while ξ_k = ξ̂_k): first-discharge plateaus of conversion oxides lie
lower than later ones (CoO: plateau and CV peak shift up after cycle 1, J. Power
Sources 159 (2006) 323; seed 003 L770-771: the rock-salt HE phase is lost on the first
lithiation and later cycles run on the nanocomposite).

Heat (docs/theory.md eq. 2.9): each branch dissipates a j (Δφ − U_branch) (kinetic)
plus a j (U_branch − U_eq) (hysteresis), with U_eq,k = (U_lith,k + U_delith,k)/2, PyBaMM's
split of hysteresis heat (Q_hys = a j (U − U_eq); Wycisk et al., J. Energy Storage 61
(2023) 106817): in sum a j (Δφ − U_eq) ≥ 0 on either branch.

j₀ and D_conv are Arrhenius in the cell temperature T (activation energies of the set,
:func:`hemcell.cell.mechanisms.base.arrhenius`), with c_k [mol e⁻ per m³ of particle]
= ρ Q_k / F from the element's Faraday capacity Q_k, ξ_irr,k = (1 − r_k) ξ̂_k the metal
that stays metallic, and θ_k the part of the metal that is alloyed (it cannot reconvert
until it has de-alloyed).
"""

from __future__ import annotations

from collections.abc import Sequence

import pybamm

from hemcell.cell.mechanisms.base import (
    R_GAS,
    BaseMechanism,
    ElectrodeContext,
    F,
    arrhenius,
    front_factor,
    param,
    positive_part_exp,
    shell_limited,
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
    ParameterUse("conversion_capacity_{el}", "C/kg", "conversion"),
    ParameterUse("conversion_lithiation_potential_{el}", "V", "conversion"),
    ParameterUse("conversion_delithiation_potential_{el}", "V", "conversion"),
    ParameterUse("conversion_reversible_fraction_{el}", "dimensionless", "conversion"),
)


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
        self._xi_max: dict[str, pybamm.Variable] = {}

    @staticmethod
    def capacity(el: str) -> pybamm.Parameter:
        """Faraday capacity of converting element ``el`` [C kg⁻¹ of active material]."""
        return param(f"Anode {el} conversion capacity [C.kg-1]")

    def get_fundamental_variables(self) -> dict:
        """ξ_k and its running maximum ξ̂_k for every convertible element."""
        out = {}
        for el in self.elements:
            xi = self.ctx.state(self.n.conversion_extent(el))
            xi_max = self.ctx.state(f"Anode {el} maximum conversion extent")
            self._xi[el], self._xi_max[el] = xi, xi_max
            out[self.n.conversion_extent(el)] = xi
            out[f"Anode {el} maximum conversion extent"] = xi_max
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
        R = param("Anode particle radius [m]")
        c_ref = param("Initial concentration in electrolyte [mol.m-3]")
        ce_factor = (pybamm.maximum(c_e, 1e-3) / c_ref) ** 0.5
        j_tot = 0
        q_tot = 0
        heat = 0
        hyst = 0
        out: dict = {}
        self._rates: dict[str, tuple[pybamm.Symbol, pybamm.Symbol]] = {}
        for el in self.elements:
            xi, xi_max = self._xi[el], self._xi_max[el]
            c_k = rho * self.capacity(el) / F  # mol e- per m3 of particle
            theta = variables.get(self.n.alloyed_fraction(el), pybamm.Scalar(0))
            r_k = param(f"Anode {el} conversion reversible fraction")
            xi_free = xi - (1 - r_k) * xi_max - theta
            # Pristine (never converted) material needs an extra first-lithiation
            # overpotential dU_1 (nucleation in the crystalline host; later lithiations of
            # the nanocomposite run at U_lith): applied while xi is at its running maximum.
            at_max = self._at_max(xi, xi_max)
            U_l = (
                param(f"Anode {el} conversion lithiation potential [V]")
                - param("Anode conversion first-lithiation overpotential [V]") * at_max
            )
            U_d = param(f"Anode {el} conversion delithiation potential [V]")
            # Product-shell transport limit (shrinking core): thin shell -> large limit.
            core = pybamm.maximum(1 - xi, 0) + 1e-3
            g_l = core ** (-1 / 3) - 1 + 1e-3
            shell = pybamm.maximum(xi, 0) + 1e-3
            g_d = shell ** (-1 / 3) - 1 + 1e-3
            j_scale = F * D * c_k / R
            j_l_kin = (
                -j0
                * ce_factor
                * front_factor(1 - xi)
                * positive_part_exp(-alpha * f_rt * (dphi - U_l))
            )
            j_d_kin = (
                j0
                * ce_factor
                * front_factor(xi_free)
                * positive_part_exp((1 - alpha) * f_rt * (dphi - U_d))
            )
            j_l = shell_limited(j_l_kin, j_scale / g_l)
            j_d = shell_limited(j_d_kin, j_scale / g_d)
            j_k = j_l + j_d
            self._rates[el] = (-3 * j_l / (R * F * c_k), -3 * j_k / (R * F * c_k))
            # heat a j (Δφ − U_eq), U_eq = (U_lith + U_delith)/2: kinetic (against the
            # branch) plus hysteresis a j (U_branch − U_eq), with ΔU₁ while fresh
            U_eq = (param(f"Anode {el} conversion lithiation potential [V]") + U_d) / 2
            heat = heat + a_s * j_k * (dphi - U_eq)
            hyst = hyst + a_s * (j_l * (U_l - U_eq) + j_d * (U_d - U_eq))
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

    @staticmethod
    def _at_max(xi: pybamm.Symbol, xi_max: pybamm.Symbol) -> pybamm.Symbol:
        """Smooth indicator (≈1) that ξ is at its running maximum ξ̂ (fresh material)."""
        return 0.5 * (1 + pybamm.tanh((xi - xi_max + 2e-3) / 1e-3))

    def set_rhs(self, variables: dict) -> None:
        """dξ/dt from the branch currents; ξ̂ follows ξ while ξ is at its maximum."""
        for el in self.elements:
            xi, xi_max = self._xi[el], self._xi_max[el]
            rate_lith, rate = self._rates[el]
            at_max = self._at_max(xi, xi_max)
            self.rhs[xi] = rate
            self.rhs[xi_max] = rate_lith * at_max

    def set_initial_conditions(self, variables: dict) -> None:
        """Pristine oxide (ξ = 0) unless a pre-converted state is given."""
        for el in self.elements:
            xi0 = param(f"Anode {el} initial conversion extent")
            self.initial_conditions[self._xi[el]] = xi0
            self.initial_conditions[self._xi_max[el]] = xi0
