r"""Zn‖Zn symmetric cells in aqueous ZnSO₄: hydrogen evolution as the Coulombic loss.

The Li-metal loss law (:mod:`hemcell.limetal.losses`: SEI and dead Li growing with the
deposition overpotential) does not carry over to Zn in water: the loss the Zn review
names first is hydrogen evolution on the Zn surface, which "will spontaneously occur"
and competes with Zn deposition (seed 001, L95–99, L1427–1432). This module keeps that
one loss.

**Partial currents.** On each electrode two reactions share the interface potential
(the metal minus the adjacent electrolyte, measured against Zn/Zn²⁺ at its standard
potential :math:`E^0`, so the electrode potential is :math:`E = E^0 + \eta`):

.. math::

    i_{Zn}(\eta) = i_0\left[e^{-\alpha_c F\eta/RT} - e^{\alpha_a F\eta/RT}\right],
    \qquad
    i_{HER}(\eta) = i_{0,H}\,e^{-\alpha_H F (E^0 + \eta - E_{HER})/RT},

with :math:`\alpha_a = \alpha_c = z\beta` (two-electron couple, symmetry factor β) and
:math:`E_{HER} = -(RT\ln10/F)\,\mathrm{pH}` (:mod:`hemcell.laws`). Positive currents are
cathodic (deposition, H₂ evolution). Galvanostatic at :math:`i` [A m⁻²]:

- plating electrode: :math:`i_{Zn}(\eta_p) + i_{HER}(\eta_p) = i` (η_p < 0): the HER
  share :math:`i_{HER}/i` is charge that plates no Zn;
- stripping electrode: :math:`-i_{Zn}(\eta_s) - i_{HER}(\eta_s) = i` (η_s > 0): HER
  continues as corrosion, so Zn dissolves at :math:`i + i_{HER}(\eta_s)`.

**Coulombic efficiency and inventory.** Per cycle each electrode plates and strips the
charge :math:`q = i\,t_h` once. Its Zn inventory :math:`Q` [C m⁻²] then falls by

.. math:: \Delta Q = Q_{HER} = \left[i_{HER}(\eta_p) + i_{HER}(\eta_s)\right] t_h,

the charge that went to H₂ instead of Zn. The Coulombic efficiency is that of a Zn‖Cu
plating/stripping test at the same currents: the half-cycle plates
:math:`(i - i_{HER}(\eta_p))\,t_h` of Zn, which stripping at :math:`i` dissolves at
:math:`i + i_{HER}(\eta_s)` (HER corrodes it meanwhile), so the charge recovered over the
charge plated is

.. math:: CE = \frac{i - i_{HER}(\eta_p)}{i + i_{HER}(\eta_s)}
          = 1 - \frac{Q_{HER}}{q} + O\!\left(\left(\frac{Q_{HER}}{q}\right)^2\right),

in (0, 1) at every current the plating electrode plates at (:func:`plating_state`).
Its first-order form :math:`1 - Q_{HER}/q`, used before, went negative where HER takes
more than the current passed (near the HER current at the Zn equilibrium potential:
−10 % at 0.005 mA cm⁻², −71 % at pH 1 and 0.1 mA cm⁻²); the inventory loss
:math:`Q_{HER}` is the same in both. The foil holds
:math:`Q_0 = zF\,h_{foil}/V_m`; the cell fails at the first cycle that cannot strip
:math:`q` from an electrode, after :math:`N = \lfloor (Q_0 - q)/\Delta Q \rfloor`
completed cycles (life :math:`2 N t_h`). Dendrite shorting, by-product passivation and
the local pH rise that HER causes (seed 001, L95–99) are not modelled: this is the
inventory (HER) bound on life. For the dendrite short the cell reports the necessary
condition of :mod:`hemcell.limetal.short`: Sand's time of the free electrolyte at the
plating current, :math:`\tau_S = \pi D (z c_0 F)^2/(4(i(1-t_+))^2)`, and the focusing
factor :math:`(\tau_S/t_h)^{1/2}` a tip needs to be depleted within a half-cycle (the Zn
sets carry no separator or focusing factor).

**Temperature.** Both exchange currents follow Arrhenius from ``reference_temperature``
(:func:`zinc_cell_parameters`). At a fixed electrode potential E the HER current's
apparent activation energy is :math:`E_{a,H} + \alpha_H F E` (the pH term of
:math:`E_{HER}` is temperature-free in the Tafel exponent): with the sets' assumed
25 kJ/mol it is −11.8 kJ/mol at the Zn potential, so HER there falls as T rises and the
CE rises; above 38.4 kJ/mol it would fall (``docs/zinc.md``, Temperature).

**Coated Zn.** The coating adds its film drop :math:`i h/\kappa_c` to the cell voltage,
changes the Zn exchange current by the coated-interface rule
(:func:`hemcell.laws.coated_exchange_current`) and carries its own HER exchange current
(the HEM layer's HER suppression).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from scipy.optimize import brentq

from hemcell.errors import InputError
from hemcell.laws import (
    FARADAY_C_PER_MOL,
    arrhenius_factor,
    butler_volmer_current_density,
    coated_exchange_current,
    film_area_resistance_ohm_m2,
    hydrogen_evolution_current_density,
)
from hemcell.limetal.short import sand_time_s
from hemcell.params.uses import ParameterUse

#: Field → (registry name, SI unit) read from a Zn set (``zn_bare``, ``zn_hem_coated``).
_NAMES: dict[str, ParameterUse] = {
    "temperature_K": ParameterUse("ambient_temperature", "K"),
    "reference_temperature_K": ParameterUse("reference_temperature", "K"),
    "charge_number": ParameterUse("cation_charge_number", "dimensionless"),
    "exchange_current_A_per_m2": ParameterUse("li_exchange_current_density", "A/m**2"),
    "symmetry_factor": ParameterUse("li_transfer_coefficient", "dimensionless"),
    "activation_energy_J_per_mol": ParameterUse("li_migration_activation_energy", "J/mol"),
    "her_exchange_current_A_per_m2": ParameterUse("her_exchange_current_density", "A/m**2"),
    "her_transfer_coefficient": ParameterUse("her_transfer_coefficient", "dimensionless"),
    "her_activation_energy_J_per_mol": ParameterUse("her_activation_energy", "J/mol"),
    "ph": ParameterUse("electrolyte_ph", "dimensionless"),
    "standard_potential_V": ParameterUse("metal_standard_potential", "V"),
    "molar_volume_m3_per_mol": ParameterUse("li_molar_volume", "m**3/mol"),
    "foil_thickness_m": ParameterUse("zn_foil_thickness", "m"),
    "electrolyte_concentration_mol_per_m3": ParameterUse("initial_electrolyte_concentration",
                                                         "mol/m**3"),
    "electrolyte_diffusivity_m2_per_s": ParameterUse("electrolyte_diffusivity", "m**2/s"),
    "cation_transference_number": ParameterUse("cation_transference_number", "dimensionless"),
    "current_density_A_per_m2": ParameterUse("zn_symmetric_current_density", "A/m**2"),
    "areal_capacity_C_per_m2": ParameterUse("zn_symmetric_areal_capacity", "C/m**2"),
}
#: The coated anode adds the film and the coated-interface rule.
_COATED_NAMES: dict[str, ParameterUse] = {
    "coating_thickness_m": ParameterUse("coating_thickness", "m"),
    "coating_conductivity_S_per_m": ParameterUse("coating_ionic_conductivity", "S/m"),
    "charge_transfer_resistance_ohm": ParameterUse(
        "symmetric_cell_charge_transfer_resistance", "ohm"),
    "electrode_area_m2": ParameterUse("li_electrode_area", "m**2"),
}
#: Everything the Zn‖Zn cell reads (bare: the first group; coated: both, and the bare
#: set's resistance for the coated-interface rule).
PARAMETERS: tuple[ParameterUse, ...] = (*_NAMES.values(), *_COATED_NAMES.values())


#: Cell temperatures [K] at which hemcell runs the aqueous ZnSO₄ electrolyte, at 1 atm:
#: from the freezing to the boiling point of pure water. ``assumed``: no freezing or
#: boiling point of the sets' 2 M ZnSO₄ was found in the sources
#: (literature-phasefield-zn-eis.md B2 lists no ZnSO₄ phase data). A dissolved salt
#: lowers the freezing point and raises the boiling point (colligative), so the
#: electrolyte is liquid across this range whatever its unsourced shifts; outside it
#: hemcell cannot tell whether it is liquid, and the Zn review names water's freezing
#: and boiling as the aqueous cell's limits (seed 001, L91–93, L1722–1725).
ZN_ELECTROLYTE_TEMPERATURE_RANGE_K = (273.15, 373.15)
ZN_ELECTROLYTE_TEMPERATURE_RANGE_SOURCE = {"assumed": (
    "273.15-373.15 K, the liquid range of pure water at 1 atm: no freezing or boiling point "
    "of 2 M ZnSO4 was found (literature-phasefield-zn-eis.md B2); the salt lowers the "
    "freezing and raises the boiling point, so the solution is liquid across this range "
    "(seed 001 L91-93, L1722-1725: water's freezing and boiling bound aqueous Zn cells).")}


def zn_electrolyte_temperature_warnings(temperature_K: float) -> list[str]:
    """The aqueous Zn electrolyte's temperature policy: no warning inside
    :data:`ZN_ELECTROLYTE_TEMPERATURE_RANGE_K`, refused outside it.

    Raises
    ------
    InputError
        Naming ``ambient_temperature`` (exit 2) below water's freezing or above its
        boiling point, where hemcell cannot tell whether the electrolyte is liquid.
    """
    t_min, t_max = ZN_ELECTROLYTE_TEMPERATURE_RANGE_K
    if t_min - 1e-9 <= temperature_K <= t_max + 1e-9:
        return []
    raise InputError(
        "ambient_temperature", f"{temperature_K:.2f} K ({temperature_K - 273.15:.1f} degC)",
        f"{t_min:.2f} to {t_max:.2f} K for the aqueous ZnSO4 electrolyte",
        hint="water's freezing and boiling points at 1 atm (assumed: the 2 M ZnSO4 "
             "electrolyte's own are not in the sources; the salt widens the liquid range "
             "by an unknown amount); outside them the electrolyte may be frozen or boiling "
             "and no antifreeze or pressurised electrolyte is modelled")


@dataclass(frozen=True)
class ZincCellParameters:
    """Inputs of one Zn electrode in a Zn‖Zn cell, SI units (see the module docstring)."""

    temperature_K: float
    charge_number: float
    exchange_current_A_per_m2: float
    symmetry_factor: float
    her_exchange_current_A_per_m2: float
    her_transfer_coefficient: float
    ph: float
    standard_potential_V: float
    molar_volume_m3_per_mol: float
    foil_thickness_m: float
    current_density_A_per_m2: float
    areal_capacity_C_per_m2: float
    electrolyte_concentration_mol_per_m3: float
    electrolyte_diffusivity_m2_per_s: float
    cation_transference_number: float
    film_resistance_ohm_m2: float = 0.0

    def __post_init__(self) -> None:
        """Reject non-positive inputs where the physics needs them positive."""
        for name in ("temperature_K", "charge_number", "exchange_current_A_per_m2",
                     "symmetry_factor", "her_transfer_coefficient", "molar_volume_m3_per_mol",
                     "foil_thickness_m", "current_density_A_per_m2", "areal_capacity_C_per_m2",
                     "electrolyte_concentration_mol_per_m3",
                     "electrolyte_diffusivity_m2_per_s"):
            v = getattr(self, name)
            if not (math.isfinite(v) and v > 0):
                raise InputError(f"Zn cell parameter {name}", v, "a finite number > 0")
        if self.her_exchange_current_A_per_m2 < 0:
            raise InputError("her_exchange_current_density", self.her_exchange_current_A_per_m2,
                             ">= 0 A/m**2")

    @property
    def transfer_coefficient(self) -> float:
        """α_a = α_c = zβ of the z-electron couple."""
        return self.charge_number * self.symmetry_factor

    @property
    def foil_charge_C_per_m2(self) -> float:
        """Zn inventory of one foil, zF h/V_m [C m⁻²]."""
        return (self.charge_number * FARADAY_C_PER_MOL * self.foil_thickness_m
                / self.molar_volume_m3_per_mol)


def _value(si: Mapping[str, Any], use: ParameterUse, set_name: str) -> float:
    if use.key not in si:
        raise InputError(f"parameter set {set_name}", f"no {use.key}",
                         "a value for every parameter the Zn||Zn cell reads",
                         hint=f"add {use.key} to the set or pass --set {use.key}=...")
    v = si[use.key]
    return float(v[0] if isinstance(v, list | tuple) else v)


def zinc_cell_parameters(si: Mapping[str, Any], set_name: str,
                         bare_si: Mapping[str, Any] | None = None) -> ZincCellParameters:
    """Build :class:`ZincCellParameters` from a set's SI values.

    Parameters
    ----------
    si
        ``.si`` of ``zn_bare`` or ``zn_hem_coated``.
    set_name
        For messages.
    bare_si
        ``.si`` of the bare set when ``si`` is a coated one: the coated Zn i₀ follows from
        the bare i₀ and the two sets' symmetric-cell resistances
        (:func:`hemcell.laws.coated_exchange_current`), and the film adds h/κ_c.
    """
    v = {f: _value(si, u, set_name) for f, u in _NAMES.items()}
    t_ref = v.pop("reference_temperature_K")
    ea = v.pop("activation_energy_J_per_mol")
    ea_her = v.pop("her_activation_energy_J_per_mol")
    v["her_exchange_current_A_per_m2"] *= arrhenius_factor(ea_her, v["temperature_K"], t_ref)
    film = 0.0
    if bare_si is not None:
        c = {f: _value(si, u, set_name) for f, u in _COATED_NAMES.items()}
        film = film_area_resistance_ohm_m2(c["coating_thickness_m"],
                                           c["coating_conductivity_S_per_m"])
        v["exchange_current_A_per_m2"] = coated_exchange_current(
            _value(bare_si, _NAMES["exchange_current_A_per_m2"], "bare set"),
            _value(bare_si, _COATED_NAMES["charge_transfer_resistance_ohm"], "bare set"),
            c["charge_transfer_resistance_ohm"], c["electrode_area_m2"], film)
    v["exchange_current_A_per_m2"] *= arrhenius_factor(ea, v["temperature_K"], t_ref)
    return ZincCellParameters(film_resistance_ohm_m2=film, **v)


def zinc_current_A_per_m2(p: ZincCellParameters, eta_V: float) -> float:
    """Zn deposition current (Butler–Volmer, deposition positive) at η [A m⁻²]."""
    a = p.transfer_coefficient
    return float(butler_volmer_current_density(p.exchange_current_A_per_m2, eta_V, a, a,
                                               p.temperature_K))


def her_current_A_per_m2(p: ZincCellParameters, eta_V: float) -> float:
    """HER current (cathodic Tafel, positive) at the Zn overpotential η [A m⁻²]."""
    return float(hydrogen_evolution_current_density(
        p.her_exchange_current_A_per_m2, p.standard_potential_V + eta_V, p.ph,
        p.her_transfer_coefficient, p.temperature_K))


@dataclass(frozen=True)
class ElectrodeState:
    """One electrode at the galvanostatic current: overpotential and partial currents."""

    overpotential_V: float
    zinc_current_A_per_m2: float
    her_current_A_per_m2: float


def her_current_at_zinc_equilibrium_A_per_m2(p: ZincCellParameters) -> float:
    """HER current at the Zn equilibrium potential (η = 0) [A m⁻²]: the smallest cathodic
    current at which the electrode plates Zn.

    Below it i_Zn + i_HER = i holds only at η > 0, where Zn dissolves while the HER
    takes the whole current and more (the electrode corrodes; it does not plate)."""
    return her_current_A_per_m2(p, 0.0)


def plating_state(p: ZincCellParameters, current_A_per_m2: float) -> ElectrodeState:
    """Plating electrode: η_p < 0 with i_Zn + i_HER = i (both cathodic).

    Raises
    ------
    InputError
        If ``current_A_per_m2`` is not above
        :func:`her_current_at_zinc_equilibrium_A_per_m2` (no Zn is plated).
    """
    threshold = her_current_at_zinc_equilibrium_A_per_m2(p)
    if not current_A_per_m2 > threshold:
        raise InputError(
            "current density (--current-density, zn_symmetric_current_density)",
            f"{current_A_per_m2 / 10:.4g} mA/cm**2",
            f"above {threshold / 10:.4g} mA/cm**2, the hydrogen evolution current at the Zn "
            f"equilibrium potential at pH {p.ph:g} and {p.temperature_K:.5g} K: below it "
            "the electrode evolves hydrogen and corrodes instead of plating Zn",
            hint="raise the current density or electrolyte_ph")

    def residual(eta: float) -> float:
        return zinc_current_A_per_m2(p, eta) + her_current_A_per_m2(p, eta) - current_A_per_m2

    eta = brentq(residual, -2.0, 0.0, xtol=1e-14, rtol=1e-14)
    return ElectrodeState(eta, zinc_current_A_per_m2(p, eta), her_current_A_per_m2(p, eta))


def stripping_state(p: ZincCellParameters, current_A_per_m2: float) -> ElectrodeState:
    """Stripping electrode: η_s > 0 with −i_Zn − i_HER = i (Zn dissolves at i + i_HER)."""
    def residual(eta: float) -> float:
        return -zinc_current_A_per_m2(p, eta) - her_current_A_per_m2(p, eta) - current_A_per_m2

    eta = brentq(residual, 0.0, 2.0, xtol=1e-14, rtol=1e-14)
    return ElectrodeState(eta, zinc_current_A_per_m2(p, eta), her_current_A_per_m2(p, eta))


@dataclass(frozen=True)
class ZincSymmetricResult:
    """Per-cycle balance and inventory life of a Zn‖Zn cell (see the module docstring)."""

    plating: ElectrodeState
    stripping: ElectrodeState
    half_cycle_time_s: float
    her_charge_per_cycle_C_per_m2: float
    coulombic_efficiency: float
    her_fraction_plating: float
    cell_voltage_V: float
    foil_charge_C_per_m2: float
    cycles_to_inventory_end: int
    life_s: float
    sand_time_s: float

    @property
    def short_focusing_threshold(self) -> float:
        """Focusing factor a tip needs to reach Sand's time within a half-cycle,
        ``(tau_S / t_h)**0.5`` (:mod:`hemcell.limetal.short`; tau_S ∝ 1/i²)."""
        return math.sqrt(self.sand_time_s / self.half_cycle_time_s)

    @property
    def failure_mode(self) -> str:
        """``inventory`` (the HER bound), or ``short possible`` when even the mean current
        reaches Sand's time within a half-cycle."""
        return "inventory" if self.short_focusing_threshold > 1.0 else "short possible"

    def summary(self) -> dict[str, Any]:
        """Scalar results in the units of the summary files."""
        return {
            "coulombic_efficiency": self.coulombic_efficiency,
            "her_fraction_plating": self.her_fraction_plating,
            "her_charge_per_cycle_mAh_per_cm2": self.her_charge_per_cycle_C_per_m2 / 36000.0,
            "plating_overpotential_mV": 1e3 * self.plating.overpotential_V,
            "stripping_overpotential_mV": 1e3 * self.stripping.overpotential_V,
            "plating_her_current_mA_per_cm2": self.plating.her_current_A_per_m2 / 10.0,
            "stripping_her_current_mA_per_cm2": self.stripping.her_current_A_per_m2 / 10.0,
            "cell_voltage_mV": 1e3 * self.cell_voltage_V,
            "foil_capacity_mAh_per_cm2": self.foil_charge_C_per_m2 / 36000.0,
            "cycles_to_inventory_end": self.cycles_to_inventory_end,
            "life_h": self.life_s / 3600.0,
            "failure_mode": self.failure_mode,
            "sand_time_h": self.sand_time_s / 3600.0,
            "short_focusing_threshold": self.short_focusing_threshold,
        }


def symmetric_cell(p: ZincCellParameters) -> ZincSymmetricResult:
    """Zn‖Zn at ``p.current_density_A_per_m2`` and ``p.areal_capacity_C_per_m2``.

    Raises
    ------
    InputError
        If the half-cycle charge exceeds the foil's Zn.
    """
    i, q = p.current_density_A_per_m2, p.areal_capacity_C_per_m2
    q0 = p.foil_charge_C_per_m2
    if q >= q0:
        raise InputError("areal capacity (--areal-capacity, zn_symmetric_areal_capacity)",
                         f"{q / 36000.0:.4g} mAh/cm**2",
                         f"less than the foil's {q0 / 36000.0:.4g} mAh/cm**2 (the Zn of "
                         "zn_foil_thickness)", hint="a smaller --areal-capacity")
    t_h = q / i
    plate, strip = plating_state(p, i), stripping_state(p, i)
    q_her = (plate.her_current_A_per_m2 + strip.her_current_A_per_m2) * t_h
    cycles = math.floor((q0 - q) / q_her) if q_her > 0 else -1
    life = 2 * t_h * cycles if cycles >= 0 else math.inf
    voltage = strip.overpotential_V - plate.overpotential_V + 2 * i * p.film_resistance_ohm_m2
    return ZincSymmetricResult(
        plating=plate, stripping=strip, half_cycle_time_s=t_h,
        her_charge_per_cycle_C_per_m2=q_her,
        coulombic_efficiency=plate.zinc_current_A_per_m2 / (i + strip.her_current_A_per_m2),
        her_fraction_plating=plate.her_current_A_per_m2 / i, cell_voltage_V=voltage,
        foil_charge_C_per_m2=q0, cycles_to_inventory_end=cycles, life_s=life,
        sand_time_s=sand_time_s(i, p.electrolyte_concentration_mol_per_m3,
                                p.electrolyte_diffusivity_m2_per_s,
                                p.cation_transference_number, p.charge_number))
