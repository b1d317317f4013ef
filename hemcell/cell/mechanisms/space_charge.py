"""Space-charge (interfacial, "job-sharing") storage at metal/AₙX interfaces.

Li⁺ (Na⁺, K⁺) is stored on the AₙX side and electrons on the metal side of the interfaces
made by conversion (Jamnik & Maier, Phys. Chem. Chem. Phys. 5 (2003) 5215; Maier, Faraday
Discuss. 134 (2007) 51; seed 000 L401–411). For every space-charge-active metal k:

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

**Physical bound of C_k** (:func:`interfacial_charge_C_per_m2`). The job-sharing
interface stores a carrier ion on a site of the first AₙX layer for every electron it puts
in the metal's first atomic layer, so the charge per metal-surface area at the bottom of
the window is limited by whichever side runs out first:

    q_max,k(d) = e · min( Γ_A f₊(ℓ_A, d),  (m_k/μ_B) Γ_M,k f₋(ℓ_M,k, d) )
    Γ_A = n_A^{2/3},  ℓ_A = n_A^{−1/3},  n_A = ν ρ_AX N_A / M_AX     one AₙX monolayer
    Γ_M = n_M^{2/3},  ℓ_M = n_M^{−1/3},  n_M = ρ_M N_A / M_M          one metal monolayer
    f±(ℓ, d) = 1 ± 2ℓ/d + 4ℓ²/(3d²)                                     spherical shell

- **ion side: one monolayer per interface.** DFT finds that the Cu|LiF(001) interface takes
  one monolayer of extra Li (Zhukovskii, Balaya, Dolle, Kotomin, Maier, Phys. Rev. B 76
  (2007) 235414). The monolayer is the layer of the carrier sublattice that touches the
  particle: the sites in a shell one layer spacing ℓ_A thick around a sphere of diameter
  d, n_A·(π/6)[(d+2ℓ_A)³ − d³] = Γ_A πd² f₊. ℓ_A is the ion side's screening length in
  this saturated (site-limited) limit, and it carries the size and the carrier-ion
  dependence: K₂S has fewer, farther-apart sites than Li₂S (``space_charge_site_density``
  per ion, from the product density: :mod:`hemcell.materials.interfaces`).
- **metal side: the moment.** The electrons go into empty minority-spin d states of the
  metal's first atomic layer (Thomas–Fermi screening, seed 000 L440–446, L475–480), each
  lowering the moment by one μ_B (L451, L456–459); an interfacial atom takes at most
  m_k/μ_B of them (its moment, sourced per metal in ``interfacial_storage.yaml``). This is
  the element dependence: Ni (0.60 μ_B) limits below an oxide monolayer, Fe (2.2 μ_B) and
  Co (1.7 μ_B) do not. A metal without a moment (Cu, Zn) stores no spin-polarised charge.

A set's ``space_charge_areal_capacitance_<el>`` is the value of a flat interface; the
mechanism uses C_k(d) = C_k · q_max,k(d)/q_flat,k with q_flat,k = e · min(Γ_A, (m_k/μ_B)
Γ_M,k) (:func:`effective_capacitance_F_per_m2`), so a change of d keeps the filled fraction
of the bound. A set's value is refused above q_flat/(U_top − U_bot)
(:func:`check_physical_bounds`, called for every run), and so is one whose stored
electrons per metal atom present, each changing the moment by up to one μ_B, exceed the
moment m_k of that metal (:func:`stored_electrons_per_metal_atom`): ΔM ≤ m_k N_k.
The shipped sets take C_k = q_flat/(U_top − U_bot): the interface fills to its bound
at the bottom of the window. For another carrier ion the set's C_k is rescaled by
q_flat(ion)/q_flat(reference) at the ion's own site density (:func:`rescale_for_ion`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import pybamm
from scipy import constants as _c

from hemcell.cell.mechanisms.base import BaseMechanism, ElectrodeContext, param
from hemcell.cell.mechanisms.conversion import Conversion
from hemcell.errors import InputError
from hemcell.materials.interfaces import (
    AVOGADRO_PER_MOL,
    metal_site_density_per_m2,
    moment_bohr_magnetons,
)
from hemcell.params.uses import ParameterUse

#: Elementary charge e [C] (CODATA via scipy).
ELEMENTARY_CHARGE_C: float = float(_c.e)

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
    ParameterUse("space_charge_site_density", "1/m**2", "",
                 "no space-charge metal: nothing is stored (named by check_physical_bounds "
                 "when one is)"),
    ParameterUse("space_charge_areal_capacitance_{el}", "F/m**2", "space_charge"),
    ParameterUse("metal_molar_volume_{el}", "m**3/mol", "space_charge"),
    ParameterUse("electrons_per_metal_atom_{el}", "dimensionless", "space_charge"),
    ParameterUse("conversion_capacity_{el}", "C/kg", "space_charge"),
    ParameterUse("initial_metallic_fraction_{el}", "dimensionless", "space_charge"),
    ParameterUse("spin_polarization_{el}", "dimensionless", "space_charge"),
)

_CAPACITANCE = "space_charge_areal_capacitance_"

#: Scale of the interfacial charge densities q_k as solver unknowns [C m⁻³]: the shipped
#: sets reach 1.1e8-1.2e9 C m⁻³ at the bottom of the window, so q_k/1e8 is O(1-10) like
#: the other unknowns, and IDA's error weights 1/(rtol|y| + atol) treat it alike (at 1e6
#: it was the one unknown out of line with its scale: 1 612 -> 1 529 steps of the
#: benchmark cycle, capacities by mechanism within 6e-7; docs/anode.md "Numerics",
#: "Which states hold the steps").
CHARGE_DENSITY_SCALE_C_PER_M3: float = 1e8


# ----------------------------------------------------------------- interfacial bound
def shell_factor(layer_m: float, diameter_m: float, outward: bool) -> float:
    """f± = 1 ± 2ℓ/d + 4ℓ²/(3d²): sites in a shell one layer ℓ thick around (+) or inside
    (−) a sphere of diameter d, per flat-monolayer site of its surface πd²."""
    x = layer_m / diameter_m
    return 1 + (2 * x if outward else -2 * x) + 4 * x * x / 3


def interfacial_charge_C_per_m2(element: str, site_density_per_m2: float,
                                diameter_m: float) -> float:
    """q_max,k(d) = e · min(Γ_A f₊(ℓ_A, d), (m_k/μ_B) Γ_M f₋(ℓ_M, d)) [C per m² of metal
    surface]: the most charge one interface can store (module docstring).

    Parameters
    ----------
    element
        The space-charge metal k.
    site_density_per_m2
        Γ_A of the carrier's conversion product (``space_charge_site_density``).
    diameter_m
        Metal nanoparticle diameter d.
    """
    if not site_density_per_m2 > 0 or not diameter_m > 0:
        raise InputError("space_charge_site_density / metal_nanoparticle_diameter",
                         f"{site_density_per_m2:g} m-2 / {diameter_m:g} m", "positive values")
    ions = site_density_per_m2 * shell_factor(site_density_per_m2 ** -0.5, diameter_m, True)
    gamma_m = metal_site_density_per_m2(element)
    electrons = (moment_bohr_magnetons(element) * gamma_m
                 * shell_factor(gamma_m ** -0.5, diameter_m, False))
    return ELEMENTARY_CHARGE_C * min(ions, electrons)


def _window_V(si: Mapping[str, Any]) -> float:
    return float(si["space_charge_upper_potential"]) - float(si["space_charge_lower_potential"])


def flat_charge_C_per_m2(element: str, site_density_per_m2: float) -> float:
    """q_flat,k = e · min(Γ_A, (m_k/μ_B) Γ_M): the bound of a flat interface (d → ∞)
    [C m⁻²]."""
    return ELEMENTARY_CHARGE_C * min(
        site_density_per_m2, moment_bohr_magnetons(element) * metal_site_density_per_m2(element))


def bound_capacitance_F_per_m2(si: Mapping[str, Any], element: str) -> float:
    """C_max,k = q_flat,k / (U_top − U_bot) [F m⁻²]: the most a set's
    ``space_charge_areal_capacitance_<el>`` (a flat-interface value) may be."""
    return flat_charge_C_per_m2(element, float(si["space_charge_site_density"])) / _window_V(si)


def curvature_factor(si: Mapping[str, Any], element: str) -> float:
    """q_max,k(d)/q_flat,k: what the particle's curvature does to the bound at the set's d
    (the shell one layer thick around and inside the sphere; module docstring)."""
    site = float(si["space_charge_site_density"])
    return (interfacial_charge_C_per_m2(element, site, float(si["metal_nanoparticle_diameter"]))
            / flat_charge_C_per_m2(element, site))


def effective_capacitance_F_per_m2(si: Mapping[str, Any], element: str) -> Any:
    """C_k(d) = C_k,flat · q_max,k(d)/q_flat,k [F m⁻²]: the areal capacitance the mechanism
    uses at the particle diameter d (the set's value may be a fit's input parameter)."""
    return si[f"{_CAPACITANCE}{element.lower()}"] * curvature_factor(si, element)


def size_factor(si: Mapping[str, Any]) -> float:
    """S(d) = 1/(1 + exp((d − d_c)/w)) of the set's values (module docstring)."""
    z = ((float(si["metal_nanoparticle_diameter"]) - float(si["space_charge_critical_diameter"]))
         / float(si["space_charge_size_factor_width"]))
    return 1.0 / (1.0 + math.exp(min(z, 700.0)))


def stored_electrons_per_metal_atom(capacitance_F_per_m2: float, window_V: float,
                                    diameter_m: float, molar_volume_m3_per_mol: float,
                                    size_factor_: float) -> float:
    """Electrons stored per metal atom present at the bottom of the window,
    C ΔU (6 V_m/d) S / (e N_A): the most the moment can change per atom [μ_B], since
    each stored electron changes it by at most one μ_B (seed 000 L456–459)."""
    area_m2_per_mol = 6 * molar_volume_m3_per_mol / diameter_m * size_factor_
    return (capacitance_F_per_m2 * window_V * area_m2_per_mol
            / (ELEMENTARY_CHARGE_C * AVOGADRO_PER_MOL))


def magnetisation_change_bohr_magnetons_per_atom(
    capacitance_F_per_m2: float, window_V: float, diameter_m: float,
    molar_volume_m3_per_mol: float, size_factor_: float, spin_polarization: float,
) -> float:
    """ΔM per metal atom at the bottom of the window, P × stored electrons [μ_B]
    (seed 000 eqn (5): ΔM = 3.6 Q_extra P μ_B / e)."""
    return spin_polarization * stored_electrons_per_metal_atom(
        capacitance_F_per_m2, window_V, diameter_m, molar_volume_m3_per_mol, size_factor_)


def _numbers(si: Mapping[str, Any], keys: Sequence[str]) -> bool:
    return all(isinstance(si.get(k), int | float) for k in keys)


def check_physical_bounds(si: Mapping[str, Any], elements: Sequence[str]) -> None:
    """Refuse an areal capacitance above the interfacial bound or a stored charge whose
    moment change exceeds the moment of the metal present (module docstring).

    Values that are not numbers (a fit's input parameters) are skipped here; the fit
    refuses its bounds when it probes them.

    Raises
    ------
    InputError
        Naming ``space_charge_areal_capacitance_<el>``, its value, the bound and why.
    """
    common = ("space_charge_site_density", "metal_nanoparticle_diameter",
              "space_charge_upper_potential", "space_charge_lower_potential",
              "space_charge_critical_diameter", "space_charge_size_factor_width")
    if not elements:
        return
    if "space_charge_site_density" not in si:
        raise InputError("parameter set", "no space_charge_site_density",
                         f"the carrier-ion sites per area of one monolayer of the conversion "
                         f"product, needed with the space-charge metals {', '.join(elements)}",
                         hint="hemcell.materials.interfaces.product_site_density_per_m2 "
                              "gives it for a sourced product (docs/anode.md, Interfacial "
                              "space-charge storage)")
    if not _numbers(si, common):
        return
    window = _window_V(si)
    d = float(si["metal_nanoparticle_diameter"])
    for el in elements:
        s = el.lower()
        key = f"{_CAPACITANCE}{s}"
        if not _numbers(si, (key, f"metal_molar_volume_{s}")):
            continue
        c = float(si[key])
        c_max = bound_capacitance_F_per_m2(si, el)
        if c > c_max * (1 + 1e-6):
            raise InputError(
                key, f"{c:.4g} F/m2",
                f"at most {c_max:.4g} F/m2 = q_flat/(U_top - U_bot): one carrier-ion "
                f"monolayer per flat {el} interface ({c_max * window:.3g} C/m2), fewer if "
                f"{el}'s moment ({moment_bohr_magnetons(el):.3g} mu_B/atom) runs out first",
                hint=f"{c / c_max:.2g} monolayers is not interfacial storage; capacity "
                     "beyond it needs another mechanism (docs/anode.md, Interfacial "
                     "space-charge storage)")
        c_d = c * curvature_factor(si, el)
        n_e = stored_electrons_per_metal_atom(c_d, window, d,
                                              float(si[f"metal_molar_volume_{s}"]),
                                              size_factor(si))
        m = moment_bohr_magnetons(el)
        if n_e > m * (1 + 1e-6):
            raise InputError(
                key, f"{c:.4g} F/m2",
                f"a charge whose moment change stays within the moment of the {el} "
                f"present ({m:.3g} mu_B per atom)",
                hint=f"it stores {n_e:.3g} electrons per {el} atom, each changing the "
                     "moment by up to one mu_B (seed 000 L456-459)")


def rescale_for_ion(si_reference: Mapping[str, Any], si_ion: dict[str, Any]) -> None:
    """C_k → C_k · q_flat,k(ion)/q_flat,k(reference), in place on ``si_ion``.

    ``si_ion`` holds the simulated ion's site density; the fraction of the bound the set's
    C_k fills is kept (the ion's particle diameter enters through
    :func:`effective_capacitance_F_per_m2`).

    Raises
    ------
    InputError
        When the set gives no ``space_charge_site_density`` or particle diameter.
    """
    if "space_charge_site_density" not in si_reference:
        raise InputError("parameter set", "no space_charge_site_density",
                         "a set with space charge gives the site density of its reference "
                         "ion's conversion product",
                         hint="docs/anode.md, Interfacial space-charge storage")
    for key, c in list(si_ion.items()):
        if not key.startswith(_CAPACITANCE) or not isinstance(c, int | float) or c <= 0:
            continue
        el = key[len(_CAPACITANCE):]
        q_ref = flat_charge_C_per_m2(el, float(si_reference["space_charge_site_density"]))
        q_ion = flat_charge_C_per_m2(el, float(si_ion["space_charge_site_density"]))
        si_ion[key] = c * q_ion / q_ref


# ----------------------------------------------------------------- PyBaMM mechanism
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
            q = self.ctx.state(self.n.space_charge(el), scale=CHARGE_DENSITY_SCALE_C_PER_M3)
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
