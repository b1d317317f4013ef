"""Active mass, theoretical capacity and the capacity C-rates refer to.

One path for every cell: a C-rate ``n C`` is the current that passes the nominal capacity
in 1/n hours, with the nominal capacity of a half-cell the anode's theoretical
first-lithiation capacity (mAh g⁻¹ × g / 1000 = A h) and that of a full cell the
cathode's. :mod:`hemcell.cell.protocols` turns C-rates and per-gram currents into amperes
with these numbers.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pybamm

from hemcell.cell.inventory import Inventory
from hemcell.cell.mechanisms.gel_sei import film_capacity_C_per_kg
from hemcell.cell.mechanisms.space_charge import effective_capacitance_F_per_m2
from hemcell.errors import InputError
from hemcell.laws import FARADAY_C_PER_MOL


def active_mass_g(pv: pybamm.ParameterValues, cell: str = "half") -> float:
    """Active mass of the anode [g] = ρ ε_s L A (anode = "Positive" domain in a half-cell)."""
    dom = "Positive" if cell == "half" else "Negative"
    return float(
        pv["Anode active material density [kg.m-3]"]
        * pv[f"{dom} electrode active material volume fraction"]
        * pv[f"{dom} electrode thickness [m]"]
        * pv["Electrode height [m]"]
        * pv["Electrode width [m]"]
        * 1000
    )


def capacity_Ah(specific_capacity_mAh_per_g: float, mass_g: float) -> float:
    """Capacity [A h] of ``mass_g`` grams at ``specific_capacity_mAh_per_g``:
    Ah = mAh g⁻¹ × g / 1000."""
    return specific_capacity_mAh_per_g * mass_g / 1000.0


def nominal_capacity_Ah(pv: pybamm.ParameterValues, cell: str, theo: float, mass: float) -> float:
    """Capacity that C-rates refer to (PyBaMM's "Nominal cell capacity [A.h]").

    Half-cell: the anode's theoretical first-lithiation capacity ``theo`` [mAh g⁻¹] times
    its active mass [g] (:func:`capacity_Ah`). Full cell: the cathode's capacity from its
    maximum concentration, c_max F ε_s L A / 3600.
    """
    if cell == "half":
        if theo <= 0:
            raise InputError("theoretical capacity", theo,
                             "> 0 mAh/g (the mechanisms chosen store no charge)")
        return capacity_Ah(theo, mass)
    return float(
        pv["Maximum concentration in positive electrode [mol.m-3]"]
        * FARADAY_C_PER_MOL
        * pv["Positive electrode active material volume fraction"]
        * pv["Positive electrode thickness [m]"]
        * pv["Electrode height [m]"]
        * pv["Electrode width [m]"]
        / 3600
    )


def theoretical_capacity(
    si: Mapping[str, Any], inventory: Inventory, mechanisms: Sequence[str]
) -> dict[str, float]:
    """Theoretical capacity of each active mechanism [mAh g⁻¹ of active material].

    Intercalation: Q_int (1 − θ₀); conversion: Σ_k Q_k; alloying: Σ_e Q_alloy,e;
    space charge at full conversion over the whole window: Σ_k C_k(d) v_k (6/d) S(d) ΔU / ρ
    (C_k(d) the set's flat-interface value at the particles' curvature);
    irreversible: Q_irr; gel film at full conversion: Γ_g Σ_k n_k V_m,k (6/d) / ρ. Every
    value comes from the set (checked complete by
    :func:`hemcell.cell.parameters.pybamm_values`); none is defaulted here.
    """
    to_mah = 1 / 3600  # C/kg -> mAh/g
    out: dict[str, float] = {}
    if "intercalation" in mechanisms:
        out["intercalation"] = (
            si["intercalation_capacity"]
            * (1 - si["intercalation_initial_stoichiometry"])
            * to_mah
        )
    if "conversion" in mechanisms:
        out["conversion"] = (
            sum(si[f"conversion_capacity_{el.lower()}"] for el in inventory.conversion) * to_mah
        )
    if "alloying" in mechanisms:
        out["alloying"] = (
            sum(si[f"alloying_capacity_{el.lower()}"] for el in inventory.alloying) * to_mah
        )
    if "space_charge" in mechanisms:
        rho = si["anode_active_material_density"]
        d = si["metal_nanoparticle_diameter"]
        s = 1 / (
            1
            + math.exp(
                (d - si["space_charge_critical_diameter"]) / si["space_charge_size_factor_width"]
            )
        )
        du = si["space_charge_upper_potential"] - si["space_charge_lower_potential"]
        tot = 0.0
        for el in inventory.space_charge:
            e = el.lower()
            conv = "conversion" in mechanisms and el in inventory.conversion
            f0 = si[f"initial_metallic_fraction_{e}"]
            c_k = rho * si[f"conversion_capacity_{e}"] / FARADAY_C_PER_MOL
            n_metal = c_k / si[f"electrons_per_metal_atom_{e}"]
            metal = n_metal if conv else f0 * n_metal
            v = metal * si[f"metal_molar_volume_{e}"]
            tot += effective_capacitance_F_per_m2(si, el) * v * 6 / d * s * du / rho
        out["space_charge"] = tot * to_mah
    if "irreversible" in mechanisms:
        out["irreversible"] = si["irreversible_capacity"] * to_mah
    if "gel_sei" in mechanisms:
        conv = inventory.conversion if "conversion" in mechanisms else ()
        out["gel_sei"] = film_capacity_C_per_kg(si, conv) * to_mah
    return out


def rate_cell(pv: pybamm.ParameterValues, cell: str, theoretical_mAh_per_g: float) -> float:
    """Set the capacity C-rates refer to, and a 1C "Current function [A]", on ``pv``.

    Returns the nominal capacity [A h] (:func:`nominal_capacity_Ah` with the anode's
    active mass from ``pv``).
    """
    nominal = nominal_capacity_Ah(pv, cell, theoretical_mAh_per_g, active_mass_g(pv, cell))
    pv.update({"Nominal cell capacity [A.h]": nominal, "Current function [A]": nominal},
              check_already_exists=False)
    return nominal


def initial_voltage_V(pv: pybamm.ParameterValues, cell: str) -> float:
    """The cell's voltage before the first step [V], as the models start.

    Half-cell: the anode's initial open-circuit potential U₀ against the metal. Full cell:
    the cathode's OCP at its initial stoichiometry minus U₀ (the initial conditions of
    :class:`hemcell.cell.model.HEMHalfCell` and :class:`hemcell.cell.full_cell.HEMFullCell`).
    """
    u0 = float(pv["Anode initial open-circuit potential [V]"])
    if cell == "half":
        return u0
    prim = pybamm.LithiumIonParameters().p.prim
    sto = pybamm.Scalar(float(pv["Initial concentration in positive electrode [mol.m-3]"])
                        / float(pv["Maximum concentration in positive electrode [mol.m-3]"]))
    t_ref = pybamm.Scalar(float(pv["Ambient temperature [K]"]))
    # an interpolated OCP (cathode sets) evaluates to a 1-element array
    return float(np.ravel(pv.evaluate(prim.U(sto, t_ref)))[0]) - u0
