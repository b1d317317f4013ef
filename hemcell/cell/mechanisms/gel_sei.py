"""Reversible polymeric/gel-like film on the converted metal nanoparticles ("gel SEI").

Conversion oxides store charge beyond their Faraday conversion capacity at low potential.
Laruelle et al. (J. Electrochem. Soc. 149 (2002) A627; seed 000 L383–399) tied this extra
capacity to a polymeric or gel-like film growing around the M⁰ nanoparticles in the
low-voltage window: voltage-window cycling confines it there, ex situ TEM shows the film
appearing on discharge and vanishing on charge in step with the extra capacity, and its
CV response is capacitive-like. XPS of CoO/Li confirms the reversible growth of an organic
(oligo-ethylene-oxide) layer next to the reversible CoO ⇌ Co + Li₂O conversion
("Contribution of X-ray photoelectron spectroscopy to the study of the electrochemical
reactivity of CoO toward lithium", hal-01560707), and the electrolyte reactivity at the
end of the CoO discharge is recovered on the following oxidation ("Experimental evidence
for electrolyte involvement in the reversible reactivity of CoO toward Li at low
potential", J. Electrochem. Soc. (2001)). Unlike the first-lithiation loss
(:mod:`~hemcell.cell.mechanisms.irreversible`) the film's charge comes back on charge, and
unlike space charge (:mod:`~hemcell.cell.mechanisms.space_charge`) it is a Faradaic
film reaction with its own onset potentials, not a capacitance over a window.

The film grows on the converted metal/Li₂O nanocomposite, so its capacity is an areal
capacity Γ_g [C m⁻²] times the metal-nanoparticle surface the conversion has made:

    A_g = ε_s Σ_k n_k V_m,k ξ_k · 6/d          converted interface area [m² m⁻³]
    n_k = ρ Q_k / (F z_k)                      metal of element k [mol m⁻³ particle]
    q_max = Γ_g A_g                            film capacity [C m⁻³]

with Q_k, z_k, V_m,k and ξ_k the conversion capacity, electrons per metal atom, molar
volume and conversion extent of element k, and d the metal-nanoparticle diameter (as in
:mod:`~hemcell.cell.mechanisms.space_charge`, without its size cut-off). The film charge
q_g [C m⁻³ of electrode] forms below U_form on discharge and decomposes above U_dec on
charge, two one-directional first-order branches (two-branch, rate-independent
hysteresis as for conversion, docs/theory.md eq. 2.3):

    a j_form = − k_g (q_max − q_g)₊ [exp(−α F (Δφ − U_form)/RT) − 1]₊
    a j_dec  = + k_g q_g [exp((1 − α) F (Δφ − U_dec)/RT) − 1]₊
    dq_g/dt = −(a j_form + a j_dec)

with k_g [s⁻¹] Arrhenius in the cell temperature. Between U_form and U_dec the film is
frozen. Heat (docs/theory.md eq. 2.9): a j (Δφ − U_eq) with U_eq = (U_form + U_dec)/2,
of which a j_form (U_form − U_eq) + a j_dec (U_dec − U_eq) is the hysteresis part
(PyBaMM's split Q_hys = a j (U − U_eq); Wycisk et al., J. Energy Storage 61 (2023)
106817); both are ≥ 0 on either branch. Without convertible elements, or with Γ_g = 0,
the film stores nothing.

**Growth over cycles (electrochemical milling).** Each conversion cycle breaks the
metal/Li₂O nanocomposite up further, so the metal surface the film covers grows with the
cycle number N while the film charge per area stays Γ_g. With s_N the milled metal
surface relative to the as-converted one (s = 1 at the first cycle after formation,
N = 1) relaxing towards the surface of fully milled particles s_∞ = d/d_min,

    ds/dN = (s_∞ − s)/N_m,     s_N = s_∞ − (s_∞ − 1) exp(−(N − 1)/N_m),
    q_max,N = s_N Γ_g A_g,

with N_m [cycles] the milling constant. Between two full-model evaluations the cycle-life
integration (:mod:`hemcell.workflows.anode_cycle_life`) advances s exactly over a jump ΔN,
s ← s_∞ − (s_∞ − s) exp(−ΔN/N_m) (:func:`advance_milled_area_ratio`), and evaluates the
next cycle with Γ_g s in place of Γ_g. Loss of active material scales A_g with ε_s, so it
removes milled film surface in proportion. With Γ_g = 0 nothing grows.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import pybamm

from hemcell.cell.mechanisms.base import (
    R_GAS,
    BaseMechanism,
    ElectrodeContext,
    F,
    arrhenius,
    param,
    positive_part_exp,
)
from hemcell.cell.mechanisms.conversion import Conversion
from hemcell.laws import FARADAY_C_PER_MOL
from hemcell.params.uses import ParameterUse

#: Registry names the gel-film mechanism reads; ``{el}`` runs over the convertible
#: elements (their metal makes the interface the film grows on).
PARAMETERS: tuple[ParameterUse, ...] = (
    ParameterUse("gel_sei_areal_capacity", "C/m**2"),
    ParameterUse("gel_sei_formation_potential", "V"),
    ParameterUse("gel_sei_decomposition_potential", "V"),
    ParameterUse("gel_sei_rate_constant", "1/s"),
    ParameterUse("gel_sei_rate_activation_energy", "J/mol"),
    ParameterUse("gel_sei_charge_transfer_coefficient", "dimensionless"),
    ParameterUse("metal_nanoparticle_diameter", "m"),
    ParameterUse("conversion_capacity_{el}", "C/kg", "conversion"),
    ParameterUse("electrons_per_metal_atom_{el}", "dimensionless", "conversion"),
    ParameterUse("metal_molar_volume_{el}", "m**3/mol", "conversion"),
)

#: Registry names of the film's growth over cycles (read by ``cell cycle-life`` when the
#: set's film has a capacity, Γ_g > 0).
GROWTH_PARAMETERS: tuple[ParameterUse, ...] = (
    ParameterUse("gel_sei_milled_area_ratio_limit", "dimensionless"),
    ParameterUse("gel_sei_milling_cycle_constant", "dimensionless"),
)


def milled_area_ratio(n_cycle: float, ratio_limit: float, cycle_constant: float) -> float:
    """s_N = s_∞ − (s_∞ − 1) exp(−(N − 1)/N_m): milled film surface relative to cycle 1."""
    return ratio_limit - (ratio_limit - 1.0) * math.exp(-(n_cycle - 1.0) / cycle_constant)


def advance_milled_area_ratio(ratio: float, n_jump: float, ratio_limit: float,
                              cycle_constant: float) -> float:
    """s after ΔN more cycles, s_∞ − (s_∞ − s) exp(−ΔN/N_m) (exact for ds/dN = (s_∞ − s)/N_m)."""
    return ratio_limit - (ratio_limit - ratio) * math.exp(-n_jump / cycle_constant)


def film_grows(si: Mapping[str, Any]) -> bool:
    """Whether the set's film has a capacity that milling can grow (Γ_g > 0)."""
    return float(si.get("gel_sei_areal_capacity", 0.0)) > 0.0


def film_capacity_C_per_kg(si: Mapping[str, Any], converted: Sequence[str]) -> float:
    """Film capacity at full conversion, Γ_g Σ_k (Q_k/(F z_k)) V_m,k (6/d) [C kg⁻¹].

    The capacity per mass of active material of ``q_max / (ε_s ρ)`` with every ξ_k = 1,
    from the set's SI values (registry names).
    """
    v_metal = sum(si[f"conversion_capacity_{el.lower()}"] / FARADAY_C_PER_MOL
                  / si[f"electrons_per_metal_atom_{el.lower()}"]
                  * si[f"metal_molar_volume_{el.lower()}"] for el in converted)
    return si["gel_sei_areal_capacity"] * v_metal * 6 / si["metal_nanoparticle_diameter"]


#: State: film charge per electrode volume [C m⁻³].
FILM_CHARGE = "Anode gel-SEI film charge density [C.m-3]"


class GelSEI(BaseMechanism):
    """Reversible polymeric/gel-like film on the metal/Li₂O nanocomposite.

    Parameters
    ----------
    ctx
        Where the anode sits.
    converted
        Convertible elements (their conversion extent sets the interface area); empty
        when the conversion mechanism is off, and then the film stores nothing.
    """

    mechanism = "gel_sei"

    def __init__(self, ctx: ElectrodeContext, converted: Sequence[str] = ()) -> None:
        super().__init__(ctx)
        self.converted = list(converted)

    def get_fundamental_variables(self) -> dict:
        """Film charge density q_g [C m⁻³]."""
        self._q = self.ctx.state(FILM_CHARGE, scale=1e8)
        return {FILM_CHARGE: self._q}

    def interface_area(self, variables: dict) -> pybamm.Symbol:
        """Converted metal-nanoparticle surface per electrode volume A_g [m² m⁻³]."""
        _, _, _, _, eps_s, rho = self._common(variables)
        v_metal = pybamm.Scalar(0)
        for el in self.converted:
            n_metal = rho * Conversion.capacity(el) / F / param(
                f"Anode {el} electrons per metal atom")
            xi = pybamm.maximum(variables[self.n.conversion_extent(el)], 0)
            v_metal = v_metal + n_metal * param(f"Anode {el} metal molar volume [m3.mol-1]") * xi
        return eps_s * v_metal * 6 / param("Anode metal nanoparticle diameter [m]")

    def get_coupled_variables(self, variables: dict) -> dict:
        """Formation and decomposition currents, film capacity and heats."""
        dphi, _, T, _, _, _ = self._common(variables)
        f_rt = F / (R_GAS * T)
        alpha = param("Anode gel-SEI charge transfer coefficient")
        k = param("Anode gel-SEI rate constant [s-1]") * arrhenius(
            "Anode gel-SEI rate activation energy [J.mol-1]", T)
        U_form = param("Anode gel-SEI formation potential [V]")
        U_dec = param("Anode gel-SEI decomposition potential [V]")
        area = self.interface_area(variables)
        q_max = param("Anode gel-SEI areal capacity [C.m-2]") * area
        q = self._q
        aj_form = -k * pybamm.maximum(q_max - q, 0) * positive_part_exp(
            -alpha * f_rt * (dphi - U_form))
        aj_dec = k * pybamm.maximum(q, 0) * positive_part_exp(
            (1 - alpha) * f_rt * (dphi - U_dec))
        aj = aj_form + aj_dec
        self._rate = -aj
        U_eq = (U_form + U_dec) / 2
        out = self._publish(aj, q, aj * (dphi - U_eq))
        out[self.n.hysteresis_heat(self.mechanism)] = (
            aj_form * (U_form - U_eq) + aj_dec * (U_dec - U_eq))
        out["Anode gel-SEI interface area [m-1]"] = area
        out["Anode gel-SEI capacity density [C.m-3]"] = q_max
        return out

    def set_rhs(self, variables: dict) -> None:
        """dq_g/dt = −a j_g."""
        self.rhs[self._q] = self._rate

    def set_initial_conditions(self, variables: dict) -> None:
        """No film on the fresh electrode."""
        self.initial_conditions[self._q] = pybamm.Scalar(0)
