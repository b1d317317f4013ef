"""Hard carbon ‖ cathode-set Na full cells (``cell: hard_carbon_full`` recipes).

The negative electrode is PyBaMM's ``Chayambuka2022`` hard carbon, read from
``pybamm.ParameterValues("Chayambuka2022")`` and never copied (Chayambuka, Mulder,
Danilov, Notten, *Electrochim. Acta* 404 (2022) 139764; PyBaMM's numbers are those of
the COMSOL "1D Isothermal Sodium-Ion Battery" example): OCP table U_n(θ) (1.32 V at
θ = 0.0014, sloping to 0.11 V at θ ≈ 0.4, plateau 0.09 → 0.02 V), D_s(c) and k(c)
tables, i₀ = F k (c_e/c_e0)^½ c_s^½ (c_max − c_s)^½ / 2, c_max, particle radius,
porosity, active fraction, conductivity, Bruggeman exponents. The electrolyte (1 M NaPF₆
in EC:PC), separator and electrode area are the same set's (``carrier_ions.yaml``:
Chayambuka2022 is the Na electrolyte); the positive electrode is the cathode set's
(:func:`hemcell.cell.cathodes.positive_electrode_values`).

Two things are not Chayambuka's cell, both stated:

- **Balancing.** The hard-carbon thickness is chosen so that its capacity at c_max is
  ``n_p_ratio`` times the Na the cathode can give on a charge to its window's top,

      L_n = n/p · c_max,p (max(θ₀, θ_dis) − θ_ch) ε_p L_p / (c_max,n ε_n),

  θ_ch, θ_dis the cathode's stoichiometries at the upper and lower ends of its window
  (:func:`hemcell.cell.cathodes.window_stoichiometries`) and θ₀ its initial one: the first
  charge starts at θ₀, later ones at θ_dis, whichever is fuller gives more
  (:func:`cathode_charge_capacity_C_per_m2`; for the shipped sets θ_dis ≥ θ₀ and this is
  the window capacity; a window whose lower end lies above the cathode's initial
  potential, e.g. ``--set cathode_lower_cutoff_potential=3.2V`` on the O3 oxide, made the
  hard carbon too thin for the first charge, which filled it to its plating end at open
  circuit). n/p is the recipe's (``assumed``: 1.1, a 10 % negative excess that keeps
  the hard carbon below its plating end, θ → 1 at 0 V vs Na⁺/Na, when the cathode empties
  over its whole window; no n/p for these couples is sourced).
- **Initial state.** The cell starts discharged, as the cathode sets are made: the
  cathode at its θ₀ and the hard carbon empty, at the lowest stoichiometry all its
  measured tables cover (:func:`empty_stoichiometry`: θ = 0.0083, where the k(c) table
  starts; U_n = 1.1 V). First-cycle losses of the hard carbon (SEI) are not modelled.

The summary's values per gram of hard carbon take its density from
``data/hard_carbon.yaml`` (``assumed``, 1.5 g cm⁻³: Chayambuka2022 gives none); nothing
the cell solves reads it.

The cell model is PyBaMM's ``lithium_ion.DFN`` run with these Na values (the chemistry
enters only through the values); :func:`chayambuka2022_cell_values` gives the values of
Chayambuka's own cell for the cross-check against ``pybamm.sodium_ion.BasicDFN``
(``validation/cathode_crosscheck_chayambuka2022``).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pybamm

from hemcell.cell.analysis import ANODE_DENSITY, CATHODE_DENSITY
from hemcell.laws import FARADAY_C_PER_MOL

#: PyBaMM's parameter set of the hard carbon (and of the Na electrolyte).
PYBAMM_SET = "Chayambuka2022"

#: Recipe cell type of a hard carbon ‖ cathode-set full cell.
CELL = "hard_carbon_full"

#: The hard-carbon values Chayambuka2022 does not give (value, unit, source).
DATA_FILE = Path(__file__).with_name("data") / "hard_carbon.yaml"

#: Entries of the positive electrode that Chayambuka's NVPF gives as functions or
#: values of its own (OCP table, D_p(c), k_p(c), c_max); the cross-check takes them from
#: PyBaMM's set in place of the cathode set's (:func:`chayambuka2022_cell_values`).
NVPF_KEYS = (
    "Positive electrode OCP [V]",
    "Positive particle diffusivity [m2.s-1]",
    "Positive electrode exchange-current density [A.m-2]",
    "Maximum concentration in positive electrode [mol.m-3]",
)


def active_material_density_kg_per_m3() -> float:
    """The hard carbon's density [kg m⁻³] (``assumed``: :data:`DATA_FILE`), for its active
    mass in the summary only (Chayambuka2022 gives none; nothing solved reads it)."""
    from hemcell.params.yaml_io import safe_load_text
    from hemcell.units import to_si

    entry = safe_load_text(DATA_FILE.read_text(encoding="utf-8"),
                           str(DATA_FILE))["active_material_density"]
    return to_si(float(entry["value"]), entry["unit"], "kg/m**3",
                 f"{DATA_FILE.name}: active_material_density")


def temperature_warnings(temperature_K: float) -> list[str]:
    """The warning of a hard-carbon cell away from 298.15 K: Chayambuka2022's k(c) and
    D_s(c) of the hard carbon are tables of his isothermal cell with no activation energy
    (none is sourced), so only the cathode's exchange current and diffusivity follow T."""
    from hemcell.cell.electrolytes import TABLE_TEMPERATURE_K, TABLE_TEMPERATURE_TOLERANCE_K

    if abs(temperature_K - TABLE_TEMPERATURE_K) <= TABLE_TEMPERATURE_TOLERANCE_K:
        return []
    return [f"the hard carbon's rate constant k(c) and diffusivity D_s(c) ({PYBAMM_SET}) are "
            f"tables at {TABLE_TEMPERATURE_K:g} K with no temperature dependence: at "
            f"{temperature_K:g} K only the cathode's exchange current and diffusivity "
            "follow temperature"]


def chayambuka2022() -> pybamm.ParameterValues:
    """PyBaMM's ``Chayambuka2022`` values (hard carbon | NVPF, 1 M NaPF₆ EC:PC)."""
    return pybamm.ParameterValues(PYBAMM_SET)


def chayambuka2022_tables() -> Any:
    """PyBaMM's ``Chayambuka2022`` module: its data tables as shipped (``U_n_data``,
    ``D_n_data``, ``k_n_data``, ``D_p_data``, ...: ``(name, ((x,), y))``)."""
    import importlib

    return importlib.import_module(f"pybamm.input.parameters.sodium_ion.{PYBAMM_SET}")


def empty_stoichiometry(pv: pybamm.ParameterValues) -> float:
    """The emptiest hard carbon all three of its measured tables cover: the largest of
    the lowest stoichiometries of PyBaMM's U_n(θ), D_n(c) and k_n(c) tables (c over
    c_max; k_n, from 121 mol m⁻³, binds: θ = 0.0083, U_n ≈ 1.1 V)."""
    tables = chayambuka2022_tables()
    c_max = float(pv["Maximum concentration in negative electrode [mol.m-3]"])
    lowest = [float(np.min(tables.U_n_data[1][0]))]
    lowest += [float(np.min(data[1][0])) / c_max for data in (tables.D_n_data, tables.k_n_data)]
    return max(lowest)


def negative_capacity_C_per_m2(pv: pybamm.ParameterValues) -> float:
    """Hard-carbon capacity per area at c_max, c_max,n F ε_n L_n [C m⁻²]."""
    return float(pv["Maximum concentration in negative electrode [mol.m-3]"]
                 * FARADAY_C_PER_MOL
                 * pv["Negative electrode active material volume fraction"]
                 * pv["Negative electrode thickness [m]"])


def cathode_window_capacity_C_per_m2(si: Mapping[str, Any], pv: pybamm.ParameterValues
                                     ) -> float:
    """The cathode's capacity between its window ends, c_max,p (θ_dis − θ_ch) F ε_p L_p
    [C m⁻²] (:func:`hemcell.cell.cathodes.window_stoichiometries`)."""
    from hemcell.cell.cathodes import window_stoichiometries

    th_ch, th_dis = window_stoichiometries(si)
    return float(pv["Maximum concentration in positive electrode [mol.m-3]"] * (th_dis - th_ch)
                 * FARADAY_C_PER_MOL
                 * pv["Positive electrode active material volume fraction"]
                 * pv["Positive electrode thickness [m]"])


def cathode_charge_capacity_C_per_m2(si: Mapping[str, Any], pv: pybamm.ParameterValues
                                     ) -> float:
    """The Na the cathode can give on a charge to its window's top [C m⁻²],
    c_max,p (max(θ₀, θ_dis) − θ_ch) F ε_p L_p: from its initial state on the first charge,
    from its window's lower end on later ones (the balancing's reference, module
    docstring)."""
    from hemcell.cell.cathodes import window_stoichiometries

    th_ch, th_dis = window_stoichiometries(si)
    c_max = float(pv["Maximum concentration in positive electrode [mol.m-3]"])
    th0 = float(pv["Initial concentration in positive electrode [mol.m-3]"]) / c_max
    return float(c_max * (max(th0, th_dis) - th_ch) * FARADAY_C_PER_MOL
                 * pv["Positive electrode active material volume fraction"]
                 * pv["Positive electrode thickness [m]"])


def full_cell_values(name: str, si: Mapping[str, Any], n_p_ratio: float
                     ) -> pybamm.ParameterValues:
    """PyBaMM values of hard carbon ‖ the cathode set ``name`` (module docstring).

    Parameters
    ----------
    name
        Cathode set name or path (for the OCP interpolant's name).
    si
        The set's SI values (with ``--set`` overrides applied).
    n_p_ratio
        Hard-carbon capacity at c_max over the Na the cathode gives on a charge
        (:func:`cathode_charge_capacity_C_per_m2`).

    Returns
    -------
    pybamm.ParameterValues
        Chayambuka2022 with the set's positive electrode and cell temperature (the hard
        carbon and the NaPF₆ electrolyte of Chayambuka2022 do not depend on T), the
        balanced hard-carbon thickness, the discharged initial state, the cut-offs of
        :func:`hemcell.cell.full_cell.full_cell_cut_offs` and the nominal capacity
        c_max,p F ε_p L_p A C-rates refer to (as the cathode half cells).

    Raises
    ------
    InputError
        A cathode set whose carrier is not Na, or whose window top lies at or below its
        initial potential (a charge gives no Na to size the hard carbon on).
    """
    from hemcell.cell.cathodes import (
        cathode_carrier,
        cell_temperature_values,
        nominal_capacity_Ah,
        positive_electrode_values,
    )
    from hemcell.cell.electrolytes import electrolyte_values
    from hemcell.cell.full_cell import full_cell_cut_offs
    from hemcell.errors import InputError

    carrier = cathode_carrier(si)
    if carrier != "Na":
        raise InputError("--params", name, "a cathode set of carrier Na: the hard carbon and "
                         "the NaPF6 electrolyte of Chayambuka2022 are a Na cell",
                         hint=f"this cathode carries {carrier}+ and a Na+ electrolyte lacks "
                         "it; run it against its metal (cathode_half_cell_p2d) or a HEM "
                         f"anode (a hem_full_cell recipe with --ion {carrier})")
    pv = chayambuka2022()
    pv.update(electrolyte_values("Na"), check_already_exists=False)
    pv.update(positive_electrode_values(
        si, pv["Initial concentration in electrolyte [mol.m-3]"], str(name)),
        check_already_exists=False)
    pv.update(cell_temperature_values(si), check_already_exists=False)
    # both electrodes' densities, for their active masses in the summary
    # (hemcell.cell.analysis.electrode_active_masses_g)
    pv.update({CATHODE_DENSITY: si["cathode_active_material_density"],
               ANODE_DENSITY: active_material_density_kg_per_m3()},
              check_already_exists=False)
    q_charge = cathode_charge_capacity_C_per_m2(si, pv)
    if q_charge <= 0.0:
        from hemcell.cell.cathodes import initial_stoichiometry

        theta0 = initial_stoichiometry(si)
        u0 = float(np.ravel(pv.evaluate(pv["Positive electrode OCP [V]"](
            pybamm.Scalar(theta0))))[0])
        raise InputError("cathode_upper_cutoff_potential",
                         f"{float(si['cathode_upper_cutoff_potential']):g} V",
                         f"a window top above the cathode's initial potential {u0:.3f} V vs "
                         f"Na+/Na (θ₀ = {theta0:.4g})",
                         hint="a charge to this top gives no Na, so the hard carbon would "
                         "have no thickness; raise it (the set's own window is its "
                         "source's half-cell window)")
    scale = n_p_ratio * q_charge / negative_capacity_C_per_m2(pv)
    c_n_max = pv["Maximum concentration in negative electrode [mol.m-3]"]
    pv.update({
        "Negative electrode thickness [m]": scale * pv["Negative electrode thickness [m]"],
        "Initial concentration in negative electrode [mol.m-3]":
            empty_stoichiometry(pv) * c_n_max,
    })
    lo, hi = full_cell_cut_offs(pv)
    pv.update({"Lower voltage cut-off [V]": lo, "Upper voltage cut-off [V]": hi})
    nominal = nominal_capacity_Ah(pv)
    pv.update({"Nominal cell capacity [A.h]": nominal, "Current function [A]": nominal})
    return pv


def chayambuka2022_cell_values(name: str, si: Mapping[str, Any]) -> pybamm.ParameterValues:
    """Chayambuka's own cell through hemcell's assembly, for the cross-check.

    :func:`full_cell_values` of the set (electrolyte, separator, area, the set's
    thickness, porosity, active fraction, particle radius, conductivity and Bruggeman
    exponent), then from PyBaMM's set: the NVPF entries :data:`NVPF_KEYS` (a set of
    couples cannot give a measured OCP table, D_p(c) or k_p(c)), Chayambuka's hard-carbon
    thickness (his balancing), both initial concentrations (the cell starts charged),
    his cut-offs and nominal capacity.
    """
    pv = full_cell_values(name, si, 1.0)
    ref = chayambuka2022()
    keys = (*NVPF_KEYS, "Negative electrode thickness [m]",
            "Initial concentration in negative electrode [mol.m-3]",
            "Initial concentration in positive electrode [mol.m-3]",
            "Lower voltage cut-off [V]", "Upper voltage cut-off [V]",
            "Nominal cell capacity [A.h]", "Current function [A]")
    pv.update({k: ref[k] for k in keys})
    return pv


def couple_model_in_chayambuka2022_cell(name: str, si: Mapping[str, Any]
                                        ) -> pybamm.ParameterValues:
    """The cathode set's own model (couple OCP, constant D_s and i₀, c_max = ρ x_max / M)
    in Chayambuka's cell: his hard-carbon thickness and initial hard-carbon state, cut-offs
    and nominal capacity; the cathode starts with his Na content, x₀ = 1 + 2 θ_p0 per
    formula unit (his c_max read as 2 Na per NVPF from Na₁ to Na₃, the reading that gives
    the set's derived density; ``cathode_he_nvpf``), θ₀ = x₀ / x_max."""
    pv = full_cell_values(name, si, 1.0)
    ref = chayambuka2022()
    x0 = 1.0 + 2.0 * float(ref["Initial concentration in positive electrode [mol.m-3]"]
                           / ref["Maximum concentration in positive electrode [mol.m-3]"])
    keys = ("Negative electrode thickness [m]",
            "Initial concentration in negative electrode [mol.m-3]",
            "Lower voltage cut-off [V]", "Upper voltage cut-off [V]",
            "Nominal cell capacity [A.h]", "Current function [A]")
    pv.update({k: ref[k] for k in keys})
    pv.update({"Initial concentration in positive electrode [mol.m-3]":
               x0 / float(si["cathode_carrier_sites_max"])
               * pv["Maximum concentration in positive electrode [mol.m-3]"]})
    return pv


#: θ points of each electrode over which :func:`open_circuit_cycle` follows the cell's
#: open-circuit voltage (numerical: 4000 steps of at most 2.5e-4 in θ, 0.06 mAh g⁻¹ of
#: the O3 oxide; the crossing is interpolated linearly between two points).
OPEN_CIRCUIT_POINTS = 4001


def electrode_ocp_V(pv: pybamm.ParameterValues, domain: str, sto: np.ndarray) -> np.ndarray:
    """OCP [V] of the ``"negative"`` or ``"positive"`` electrode at stoichiometries ``sto``
    as the DFN sees it (PyBaMM's ``U``: the set's OCP, its entropic term at the cell's
    initial temperature and PyBaMM's asymptotes at θ → 0, 1)."""
    p = pybamm.LithiumIonParameters()
    electrode = p.n.prim if domain == "negative" else p.p.prim
    u = electrode.U(pybamm.Vector(np.asarray(sto, dtype=float)),
                    pybamm.Scalar(float(pv["Initial temperature [K]"])))
    return np.ravel(pv.process_symbol(u).evaluate())


def _crossing(theta: np.ndarray, volts: np.ndarray, limit: float, rising: bool
              ) -> tuple[float, bool]:
    """θ where the open-circuit voltage first reaches ``limit`` along ``theta`` (linear
    between grid points), and whether it did (else the path's last θ)."""
    hit = volts >= limit if rising else volts <= limit
    if not hit.any():
        return float(theta[-1]), False
    k = int(np.argmax(hit))
    if k == 0:
        return float(theta[0]), True
    w = (limit - volts[k - 1]) / (volts[k] - volts[k - 1])
    return float(theta[k - 1] + w * (theta[k] - theta[k - 1])), True


def open_circuit_cycle(pv: pybamm.ParameterValues, si: Mapping[str, Any]) -> dict[str, Any]:
    """The first charge and discharge of the cell at vanishing current: the two OCPs at
    the cell's balancing and initial state, no polarisation.

    The cathode gives up what the hard carbon takes, so along the charge

        θ_n = θ_n0 + (θ_p0 − θ_p) c_max,p ε_p L_p / (c_max,n ε_n L_n),

    and the cell's voltage is V(θ_p) = U_p(θ_p) − U_n(θ_n). The charge runs from the
    initial state until V reaches the upper end of the set's window, the discharge back
    until V reaches its lower end; a path also ends where either electrode's OCP table
    ends (the hard carbon's at its measured lowest and highest θ, the cathode's at its
    wall), and says so. Capacities per gram of cathode, Δθ_p c_max,p F / ρ_p. What the
    DFN loses against these numbers at a finite current is polarisation (kinetics, solid
    and electrolyte transport): docs/cathodes.md, "Hard-carbon full cells".

    Returns
    -------
    dict
        ``open_circuit_charge_mAh_per_g``, ``open_circuit_discharge_mAh_per_g``, the mean
        open-circuit discharge voltage, the stoichiometries at the ends, and the end of
        each path (``"cut-off"`` or the table that ended it).
    """
    tables = chayambuka2022_tables()
    n_lo = float(np.min(tables.U_n_data[1][0]))
    n_hi = float(np.max(tables.U_n_data[1][0]))
    from hemcell.cell.cathodes import ocp_table_with_walls

    p_table = ocp_table_with_walls(si)[0]
    p_lo, p_hi = float(p_table[0]), float(p_table[-1])
    c_p = float(pv["Maximum concentration in positive electrode [mol.m-3]"])
    c_n = float(pv["Maximum concentration in negative electrode [mol.m-3]"])
    ratio = (c_p * float(pv["Positive electrode active material volume fraction"])
             * float(pv["Positive electrode thickness [m]"])) / (
        c_n * float(pv["Negative electrode active material volume fraction"])
        * float(pv["Negative electrode thickness [m]"]))
    thp0 = float(pv["Initial concentration in positive electrode [mol.m-3]"]) / c_p
    thn0 = float(pv["Initial concentration in negative electrode [mol.m-3]"]) / c_n
    v_lo = float(si["cathode_lower_cutoff_potential"])
    v_hi = float(si["cathode_upper_cutoff_potential"])

    def volts(thp: np.ndarray, thn: np.ndarray) -> np.ndarray:
        return electrode_ocp_V(pv, "positive", thp) - electrode_ocp_V(pv, "negative", thn)

    # charge: θ_p falls until the cathode's wall or the hard carbon's table top
    end = max(p_lo, thp0 - (n_hi - thn0) / ratio)
    thp = np.linspace(thp0, end, OPEN_CIRCUIT_POINTS)
    thp_ch, hit_ch = _crossing(thp, volts(thp, thn0 + (thp0 - thp) * ratio), v_hi, True)
    thn_ch = thn0 + (thp0 - thp_ch) * ratio
    # discharge: θ_p rises until the cathode's wall or the hard carbon's table bottom
    end = min(p_hi, thp_ch + (thn_ch - n_lo) / ratio)
    thp = np.linspace(thp_ch, end, OPEN_CIRCUIT_POINTS)
    v_dis = volts(thp, thn_ch - (thp - thp_ch) * ratio)
    thp_dis, hit_dis = _crossing(thp, v_dis, v_lo, False)
    thn_dis = thn_ch - (thp_dis - thp_ch) * ratio
    kept = thp <= thp_dis
    mean_v = (float(np.trapezoid(v_dis[kept], thp[kept]) / (thp[kept][-1] - thp_ch))
              if kept.sum() > 1 else float(v_dis[0]))
    per_theta = (c_p * FARADAY_C_PER_MOL / float(si["cathode_active_material_density"])
                 / 3600.0)  # C kg⁻¹ → mAh g⁻¹
    return {
        "open_circuit_definition": "first charge from the initial state to the window's "
                                   "upper end and discharge to its lower end at vanishing "
                                   "current (both OCPs at this balancing, no polarisation)",
        "open_circuit_window_V": [v_lo, v_hi],
        "open_circuit_charge_mAh_per_g": (thp0 - thp_ch) * per_theta,
        "open_circuit_discharge_mAh_per_g": (thp_dis - thp_ch) * per_theta,
        "open_circuit_mean_discharge_voltage_V": mean_v,
        "open_circuit_cathode_stoichiometry": [thp0, thp_ch, thp_dis],
        "open_circuit_negative_stoichiometry": [thn0, thn_ch, thn_dis],
        "open_circuit_ends": ["cut-off" if hit_ch else "a table end (cathode wall or "
                              "hard carbon full)",
                              "cut-off" if hit_dis else "a table end (cathode wall or "
                              "hard carbon empty)"],
    }


def describe(pv: pybamm.ParameterValues, si: Mapping[str, Any], n_p_ratio: float
             ) -> dict[str, Any]:
    """The hard-carbon electrode and its balancing, for ``summary.json``."""
    return {
        "negative_electrode": f"hard carbon, PyBaMM {PYBAMM_SET} (Chayambuka et al., "
                              "Electrochim. Acta 404 (2022) 139764)",
        "n_p_ratio": n_p_ratio,
        "n_p_definition": "hard-carbon capacity at c_max / the Na the cathode gives on a "
                          "charge to its window's top from the fuller of its initial state "
                          "and its window's lower end",
        "negative_thickness_um": float(pv["Negative electrode thickness [m]"]) * 1e6,
        "negative_capacity_Ah_per_m2": negative_capacity_C_per_m2(pv) / 3600,
        "cathode_window_capacity_Ah_per_m2": cathode_window_capacity_C_per_m2(si, pv) / 3600,
        "cathode_charge_capacity_Ah_per_m2": cathode_charge_capacity_C_per_m2(si, pv) / 3600,
        "ocp_table_min_stoichiometry": float(np.min(chayambuka2022_tables().U_n_data[1][0])),
        "ocp_table_max_stoichiometry": float(np.max(chayambuka2022_tables().U_n_data[1][0])),
        "negative_initial_stoichiometry": float(
            pv["Initial concentration in negative electrode [mol.m-3]"]
            / pv["Maximum concentration in negative electrode [mol.m-3]"]),
        **open_circuit_cycle(pv, si),
    }
