"""Space-charge (interfacial, "job-sharing") storage at metal/LiₙX interfaces.

Li⁺ is stored on the LiₙX side and electrons on the metal side of the interfaces made
by conversion (Jamnik & Maier, Phys. Chem. Chem. Phys. 5 (2003) 5215; seed 000
L401–411). For every space-charge-active metal k (Fe, Co, Ni; strength Fe > Co > Ni,
seed 000 L700–704):

    A_k = ε_s · v_k · a_k · (6 / d_NP) · S(d_NP)     interface area [m² m⁻³]
    v_k = c_k V_m,k / z_k                             metal volume per particle volume at ξ=1
    a_k = ξ_k − θ_k                                   metallic, non-alloyed fraction
    S(d) = 1 / (1 + exp((d − d_c)/w))                 size factor, ≈0 above d_c ≈ 10 nm
                                                      (seed 000 L890–893, L942–945)
    q_eq,k = C_k · A_k · W(Δφ)                        equilibrium interfacial charge
    W(Δφ) = δ ln(1+e^{(U_top−Δφ)/δ})
            − δ ln(1+e^{(U_bot−Δφ)/δ})                ramp over the window [U_bot, U_top]
    dq_k/dt = (q_eq,k − q_k) / τ_sc                   fast relaxation
    a j_sc = − Σ_k dq_k/dt

A constant areal capacitance C_k over the window gives the rectangular CV and b = 1
of seed 000 L466–469 whenever τ_sc is short against the sweep. Heat: the charge is taken as
stored at the local Δφ (no irreversible heat); the relaxation dissipates
τ_sc (dq_k/dt)²/(C_k A_k) inside the window, a fraction ≈ τ_sc |dΔφ/dt| / |Δφ − U_eq| of
the other reactions' heat per coulomb, which the lumped thermal model leaves out. The stored charge
drives the synthetic magnetometry signal of seed 000 eqn (5),
ΔM = −3.6 · Q_sc[mAh g⁻¹] · P · μ_B / e (computed in :mod:`hemcell.cell.analysis`).
"""

from __future__ import annotations

from collections.abc import Sequence

import pybamm

from hemcell.cell.mechanisms.base import BaseMechanism, ElectrodeContext, param
from hemcell.cell.mechanisms.conversion import Conversion
from hemcell.params.uses import ParameterUse

#: Registry names the space-charge mechanism reads; ``{el}`` runs over the
#: space-charge metals (their conversion capacity counts the metal atoms).
PARAMETERS: tuple[ParameterUse, ...] = (
    ParameterUse("metal_nanoparticle_diameter", "m"),
    ParameterUse("space_charge_critical_diameter", "m"),
    ParameterUse("space_charge_size_factor_width", "m"),
    ParameterUse("space_charge_upper_potential", "V"),
    ParameterUse("space_charge_lower_potential", "V"),
    ParameterUse("space_charge_window_smoothing", "V"),
    ParameterUse("space_charge_relaxation_time", "s"),
    ParameterUse("space_charge_areal_capacitance_{el}", "F/m**2", "space_charge"),
    ParameterUse("metal_molar_volume_{el}", "m**3/mol", "space_charge"),
    ParameterUse("electrons_per_metal_atom_{el}", "dimensionless", "space_charge"),
    ParameterUse("conversion_capacity_{el}", "C/kg", "space_charge"),
    ParameterUse("initial_metallic_fraction_{el}", "dimensionless", "space_charge"),
    ParameterUse("spin_polarization_{el}", "dimensionless", "space_charge"),
)


def window(
    dphi: pybamm.Symbol, u_top: pybamm.Symbol, u_bot: pybamm.Symbol, delta: pybamm.Symbol
) -> pybamm.Symbol:
    """Smoothed ramp W(Δφ) = clip(U_top − Δφ, 0, U_top − U_bot) [V]."""

    def softplus(z: pybamm.Symbol) -> pybamm.Symbol:
        zz = z / delta
        # log(1 + e^z) written stably for large |z|
        return delta * (
            pybamm.maximum(zz, 0) + pybamm.log(1 + pybamm.exp(-pybamm.AbsoluteValue(zz)))
        )

    return softplus(u_top - dphi) - softplus(u_bot - dphi)


class SpaceCharge(BaseMechanism):
    """Interfacial space-charge storage on conversion-made metal nanoparticles.

    Parameters
    ----------
    ctx
        Where the anode sits.
    elements
        Space-charge-active metals (each must also be a convertible element, or have
        an initial metallic fraction).
    converted
        Convertible elements (their ξ sets the metal present).
    """

    mechanism = "space_charge"

    def __init__(
        self, ctx: ElectrodeContext, elements: Sequence[str], converted: Sequence[str] = ()
    ) -> None:
        super().__init__(ctx)
        self.elements = list(elements)
        self.converted = set(converted)
        self._q: dict[str, pybamm.Variable] = {}

    def get_fundamental_variables(self) -> dict:
        """Interfacial charge density q_k [C m⁻³] per active metal."""
        out = {}
        for el in self.elements:
            q = self.ctx.state(self.n.space_charge(el), scale=1e6)
            self._q[el] = q
            out[self.n.space_charge(el)] = q
        return out

    def get_coupled_variables(self, variables: dict) -> dict:
        """Interface area, equilibrium charge, relaxation current."""
        dphi, _, _, _, eps_s, rho = self._common(variables)
        d = param("Anode metal nanoparticle diameter [m]")
        d_c = param("Anode space-charge critical diameter [m]")
        w = param("Anode space-charge size-factor width [m]")
        size_factor = 1 / (1 + pybamm.exp((d - d_c) / w))
        W = window(
            dphi,
            param("Anode space-charge upper potential [V]"),
            param("Anode space-charge lower potential [V]"),
            param("Anode space-charge window smoothing [V]"),
        )
        tau = param("Anode space-charge relaxation time [s]")
        q_tot, j_tot, area_tot, q_spin = 0, 0, 0, 0
        out: dict = {"Anode space-charge size factor": size_factor}
        self._dq: dict[str, pybamm.Symbol] = {}
        for el in self.elements:
            f0 = param(f"Anode {el} initial metallic fraction")
            if el in self.converted:
                xi = variables[self.n.conversion_extent(el)]
                c_k = rho * Conversion.capacity(el) / pybamm.constants.F
                z_k = param(f"Anode {el} electrons per metal atom")
                n_metal = c_k / z_k  # mol metal per m3 particle at full conversion
                metal = f0 * n_metal + (1 - f0) * n_metal * xi
            else:
                n_metal = param(f"Anode {el} metal content [mol.m-3]")
                metal = f0 * n_metal
            metal = metal - variables.get(self.n.alloyed_fraction(el), pybamm.Scalar(0)) * n_metal
            v_metal = pybamm.maximum(metal, 0) * param(f"Anode {el} metal molar volume [m3.mol-1]")
            area = eps_s * v_metal * 6 / d * size_factor
            C_k = param(f"Anode {el} space-charge areal capacitance [F.m-2]")
            q_eq = C_k * area * W
            q = self._q[el]
            dq = (q_eq - q) / tau
            self._dq[el] = dq
            q_tot = q_tot + q
            q_spin = q_spin + param(f"Anode {el} spin polarisation") * q
            j_tot = j_tot - dq
            area_tot = area_tot + area
            out[f"Anode {el} space-charge interface area [m-1]"] = area
            out[f"Anode {el} space-charge volumetric current density [A.m-3]"] = -dq
        # stored at the local Δφ (relaxation heat τ_sc (dq/dt)²/C_diff left out: see
        # docs/anode.md, thermal section)
        out.update(self._publish(j_tot, q_tot, pybamm.zeros_like(j_tot)))
        out["Anode space-charge interface area [m-1]"] = area_tot
        # Σ_k P_k q_k: spin-weighted interfacial charge for seed 000 eqn (5)
        out["Anode space-charge spin-weighted density [C.m-3]"] = q_spin
        out["Anode space-charge window function [V]"] = W
        return out

    def set_rhs(self, variables: dict) -> None:
        """First-order relaxation toward the equilibrium interfacial charge."""
        for el, q in self._q.items():
            self.rhs[q] = self._dq[el]

    def set_initial_conditions(self, variables: dict) -> None:
        """No interfacial charge at the start."""
        for q in self._q.values():
            self.initial_conditions[q] = pybamm.Scalar(0)
