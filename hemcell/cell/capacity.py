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
    return _first_lithiation_capacity(si, inventory, mechanisms, None)


def reachable_capacity(
    si: Mapping[str, Any], inventory: Inventory, mechanisms: Sequence[str],
    potential_V: float = 0.0,
) -> dict[str, float]:
    """First-lithiation capacity each active mechanism stores at equilibrium above
    ``potential_V`` vs the carrier metal [mAh g⁻¹ of active material]; 0 V: above the
    metal's plating potential, what a full cell can charge into its anode.

    Each term of :func:`theoretical_capacity` times the part of it the mechanism's own
    law holds at equilibrium at ``potential_V``:

    - intercalation: Q_int (θ_eq − θ₀)₊, θ_eq where the OCP U(θ, T_amb) equals
      ``potential_V`` (:func:`intercalation_stoichiometry_at`);
    - conversion: Σ_k Q_k ξ_k, ξ_k the pristine branch's equilibrium extent
      (:func:`hemcell.cell.mechanisms.conversion.first_lithiation_extent`, with its
      branch-potential spread);
    - alloying: Σ_e Q_alloy,e a_e Σ_m X_m y_m, a_e = f₀ + (1 − f₀) ξ_e the metal present
      (ξ_e only for an element that converts here), y_m the stage's equilibrium fraction
      (:func:`hemcell.cell.mechanisms.base.lithiated_fraction_at`, stage spread σ);
    - space charge: the metal a_e of each element over the part of the window
      [max(U_bot, V), U_top] above ``potential_V``;
    - irreversible: Q_irr if its onset potential is at or above ``potential_V``, else 0;
    - gel film: on the converted metal Σ_k ξ_k if its formation potential is at or above
      ``potential_V``, else 0.

    With every mechanism above ``potential_V`` (the Li sets at 0 V) this is
    :func:`theoretical_capacity`.
    """
    return _first_lithiation_capacity(si, inventory, mechanisms, float(potential_V))


def intercalation_stoichiometry_at(si: Mapping[str, Any], potential_V: float) -> float:
    """Stoichiometry θ at which the intercalation OCP (:func:`hemcell.cell.parameters.
    intercalation_ocp_value` at the set's ambient temperature) equals ``potential_V`` [V],
    in [θ₀, 1]: θ₀ if the OCP at θ₀ is already at or below it, 1 if the root lies closer
    to 1 than a double resolves (the rock salt at 0 V: 1 − θ ≈ 10⁻¹⁷)."""
    from scipy.optimize import brentq

    from hemcell.cell.parameters import intercalation_ocp_value

    th0 = float(si["intercalation_initial_stoichiometry"])

    def excess(theta: float) -> float:
        return intercalation_ocp_value(si["intercalation_ocp_midpoint"],
                                       si["intercalation_ocp_slope"], theta,
                                       si["ambient_temperature"]) - potential_V

    top = math.nextafter(1.0, 0.0)
    if excess(th0) <= 0:
        return th0
    if excess(top) >= 0:
        return 1.0
    return float(brentq(excess, th0, top, xtol=1e-16, rtol=4 * np.finfo(float).eps))


def _first_lithiation_capacity(
    si: Mapping[str, Any], inventory: Inventory, mechanisms: Sequence[str],
    potential_V: float | None,
) -> dict[str, float]:
    """:func:`theoretical_capacity` (``potential_V`` None) or :func:`reachable_capacity`."""
    from hemcell.cell.mechanisms.base import lithiated_fraction_at
    from hemcell.cell.mechanisms.conversion import first_lithiation_extent

    to_mah = 1 / 3600  # C/kg -> mAh/g
    full = potential_V is None
    converts = set(inventory.conversion) if "conversion" in mechanisms else set()
    # conversion extent of each convertible element (1: the theoretical's full conversion)
    xi = {el: 1.0 if full else first_lithiation_extent(si, el, potential_V)
          for el in inventory.conversion}

    def reached(branch_V: float) -> float:  # a one-directional film: all above its onset
        return 1.0 if full or branch_V >= potential_V else 0.0

    out: dict[str, float] = {}
    if "intercalation" in mechanisms:
        th0 = si["intercalation_initial_stoichiometry"]
        th_end = 1.0 if full else intercalation_stoichiometry_at(si, potential_V)
        out["intercalation"] = si["intercalation_capacity"] * max(th_end - th0, 0.0) * to_mah
    if "conversion" in mechanisms:
        out["conversion"] = sum(si[f"conversion_capacity_{el.lower()}"] * xi[el]
                                for el in inventory.conversion) * to_mah
    if "alloying" in mechanisms:
        tot = 0.0
        for el in inventory.alloying:
            e = el.lower()
            if full:  # the theoretical: every host all metal, every stage alloyed
                tot += si[f"alloying_capacity_{e}"]
                continue
            f0 = si[f"initial_metallic_fraction_{e}"]
            metal = f0 + (1 - f0) * xi[el] if el in converts else f0
            spread = si.get("alloying_stage_potential_spread", 0.0)
            stages = sum(x * lithiated_fraction_at(spread, u, potential_V) for x, u in zip(
                si[f"alloying_stage_fractions_{e}"], si[f"alloying_lithiation_potentials_{e}"],
                strict=True))
            tot += si[f"alloying_capacity_{e}"] * metal * stages
        out["alloying"] = tot * to_mah
    if "space_charge" in mechanisms:
        rho = si["anode_active_material_density"]
        d = si["metal_nanoparticle_diameter"]
        s = 1 / (
            1
            + math.exp(
                (d - si["space_charge_critical_diameter"]) / si["space_charge_size_factor_width"]
            )
        )
        u_top, u_bot = si["space_charge_upper_potential"], si["space_charge_lower_potential"]
        du = u_top - (u_bot if full else max(u_bot, potential_V))
        du = max(du, 0.0)
        tot = 0.0
        for el in inventory.space_charge:
            e = el.lower()
            f0 = si[f"initial_metallic_fraction_{e}"]
            c_k = rho * si[f"conversion_capacity_{e}"] / FARADAY_C_PER_MOL
            n_metal = c_k / si[f"electrons_per_metal_atom_{e}"]
            if el not in converts:
                metal = f0 * n_metal
            else:  # (the theoretical's full conversion: all of it metal)
                metal = n_metal if full else (f0 + (1 - f0) * xi[el]) * n_metal
            v = metal * si[f"metal_molar_volume_{e}"]
            tot += effective_capacitance_F_per_m2(si, el) * v * 6 / d * s * du / rho
        out["space_charge"] = tot * to_mah
    if "irreversible" in mechanisms:
        out["irreversible"] = (si["irreversible_capacity"]
                               * reached(si["irreversible_onset_potential"]) * to_mah)
    if "gel_sei" in mechanisms:
        conv = [el for el in inventory.conversion if el in converts]
        film = film_capacity_C_per_kg(si, conv) if full else sum(
            film_capacity_C_per_kg(si, [el]) * xi[el] for el in conv)
        out["gel_sei"] = film * reached(si["gel_sei_formation_potential"]) * to_mah
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
