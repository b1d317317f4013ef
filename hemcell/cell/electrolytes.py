"""The carrier ion's own electrolyte and metal counter electrode in the half-cell.

A half-cell of the HEM anode against Na or K metal has a Na⁺ or K⁺ electrolyte and a Na
or K counter electrode, not the Li ones of the set's PyBaMM base. This module writes the
PyBaMM entries of both for an ion, from ``hemcell/cell/data/carrier_ions.yaml`` (every
value with its source there):

- electrolyte transport: conductivity κ(c_e), salt diffusivity D_e(c_e), cation
  transference number t₊, thermodynamic factor and the initial concentration, taken
  from a PyBaMM set for that electrolyte (Na⁺: 1 M NaPF₆ in EC:PC, Chayambuka et al.
  2022; K⁺: the same, an assumption stated in the data file), tables continued below
  their lowest concentration by the dilute limit (:func:`continued_below_table`);
- metal counter electrode: Butler–Volmer with the Xu et al. (2019) exchange current

      j₀ = k F c_M^0.7 c_e^0.3,        c_M = 1 / V̄_M = ρ_M / M_M,

  where V̄_M is the molar volume of the ion's metal (CRC density and CIAAW mass via
  ``periodictable``) and k is the data file's rate constant. The model uses PyBaMM's
  Li-metal names ("Exchange-current density for lithium metal electrode [A.m-2]",
  "Lithium metal partial molar volume [m3.mol-1]") for whatever metal the ion is.

For the reference ion of a set (Li) nothing changes: the set's ``pybamm_base`` already
holds its electrolyte and counter electrode.

Temperature: the electrolyte functions of the PyBaMM sets take T (Xu2019's Valøen &
Reimers 2005 conductivity and diffusivity); the counter electrode's exchange current is
made Arrhenius in T with the set's ``li_migration_activation_energy``
(:func:`arrhenius_exchange_current`; the same value is used for a Na or K metal counter
electrode, for want of their own).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache, partial
from pathlib import Path
from typing import Any

import numpy as np
import pybamm

from hemcell.laws import arrhenius_factor
from hemcell.materials.elements import (
    atomic_mass_g_per_mol,
    metal_density_g_per_cm3,
    refuse_molten_metal,
)
from hemcell.params.uses import ParameterUse

#: Registry names the metal counter electrode of a half-cell reads.
PARAMETERS: tuple[ParameterUse, ...] = (ParameterUse("li_migration_activation_energy", "J/mol"),)

DATA_FILE = Path(__file__).with_name("data") / "carrier_ions.yaml"

#: PyBaMM entries that describe the electrolyte
ELECTROLYTE_KEYS = (
    "Electrolyte conductivity [S.m-1]",
    "Electrolyte diffusivity [m2.s-1]",
    "Cation transference number",
    "Thermodynamic factor",
    "Initial concentration in electrolyte [mol.m-3]",
)
#: Temperature of the tabulated electrolytes without a temperature dependence [K]
#: (Chayambuka2022: "Reference temperature [K]" 298.15).
TABLE_TEMPERATURE_K = 298.15
#: Distance from it below which no warning is given [K] (assumed: a thermostat's
#: setting of 25 C to within a kelvin).
TABLE_TEMPERATURE_TOLERANCE_K = 1.0
J0_METAL = "Exchange-current density for lithium metal electrode [A.m-2]"
V_METAL = "Lithium metal partial molar volume [m3.mol-1]"


@lru_cache(maxsize=1)
def carrier_ion_data() -> dict[str, Any]:
    """The parsed ``carrier_ions.yaml`` (sources, ions)."""
    from hemcell.params.yaml_io import safe_load_text

    return safe_load_text(DATA_FILE.read_text(encoding="utf-8"), str(DATA_FILE))


def metal_molar_volume_m3_per_mol(metal: str) -> float:
    """Molar volume V̄ = M/ρ of an alkali metal [m³ mol⁻¹] (CRC density, CIAAW mass)."""
    rho = metal_density_g_per_cm3(metal)
    return atomic_mass_g_per_mol(metal) / rho * 1e-6


def metal_exchange_current(rate_constant: float):
    """j₀(c_e, c_M, T) = k F c_M^0.7 c_e^0.3 [A m⁻²] (Xu et al. 2019 form, as in PyBaMM)."""
    return partial(_metal_exchange_current, m_ref=rate_constant * pybamm.constants.F)


# Module functions bound with functools.partial (not closures), so parameter values and
# simulations pickle (`Simulation.save`).
def _metal_exchange_current(c_e, c_M, T, *, m_ref):
    return m_ref * c_M**0.7 * c_e**0.3


def arrhenius_exchange_current(j0_ref, activation_energy_J_per_mol: float,
                               reference_temperature_K: float):
    """j₀(c_e, c_M, T) = j₀,ref(c_e, c_M, T) · exp[−E_a/R (1/T − 1/T_ref)] [A m⁻²].

    ``j0_ref`` is the PyBaMM function (or number) of the set, valid at T_ref.
    """

    return partial(_arrhenius_exchange_current, j0_ref=j0_ref,
                             activation_energy_J_per_mol=activation_energy_J_per_mol,
                             reference_temperature_K=reference_temperature_K)


def _arrhenius_exchange_current(c_e, c_M, T, *, j0_ref, activation_energy_J_per_mol: float,
                                reference_temperature_K: float):
    base = j0_ref(c_e, c_M, T) if callable(j0_ref) else j0_ref
    return base * arrhenius_factor(activation_energy_J_per_mol, T, reference_temperature_K,
                                   exp=pybamm.exp)


def electrolyte_values(ion: str) -> dict[str, Any]:
    """PyBaMM entries of the electrolyte and metal counter electrode of ``ion``.

    Parameters
    ----------
    ion
        ``Li``, ``Na`` or ``K`` (already checked by :func:`hemcell.cell.carriers.check_ion`).

    Returns
    -------
    dict
        PyBaMM name → value; apply with ``ParameterValues.update(...,
        check_already_exists=False)``.
    """
    entry = carrier_ion_data()["ions"][ion]
    source = pybamm.ParameterValues(entry["electrolyte"]["pybamm_set"])
    out = continued_below_table({k: source[k] for k in ELECTROLYTE_KEYS})
    ce = entry["counter_electrode"]
    out[J0_METAL] = metal_exchange_current(float(ce["exchange_rate_constant"]["value"]))
    out[V_METAL] = metal_molar_volume_m3_per_mol(ce["metal"])
    return out


def half_cell_temperature_warnings(ion: str, temperature_K: float) -> list[str]:
    """What a half cell against the ``ion`` metal at ``temperature_K`` must say.

    The metal counter electrode must be solid: at or above its melting point
    (:func:`hemcell.materials.elements.melting_point`, with its source) the cell is
    refused. An electrolyte whose transport does not follow temperature
    (``temperature_dependent: false``: Chayambuka2022's NaPF₆ tables, also standing in for
    K) gives a warning away from 298.15 K: the kinetics move with temperature, its
    conductivity and diffusivity do not. The LiPF₆ electrolyte's own range and policy are
    :func:`hemcell.materials.lipf6_electrolyte.valoen_electrolyte_warnings`.

    Raises
    ------
    InputError
        ``temperature_K`` at or above the counter electrode's melting point.
    """
    entry = carrier_ion_data()["ions"][ion]
    refuse_molten_metal(entry["counter_electrode"]["metal"], temperature_K,
                        "counter electrode",
                        hint="a half cell needs a solid metal counter electrode")
    return electrolyte_table_warnings(ion, temperature_K)


def electrolyte_table_warnings(ion: str, temperature_K: float) -> list[str]:
    """The warning of a cell in the ``ion``'s electrolyte away from 298.15 K when its
    transport does not follow temperature (``temperature_dependent: false``:
    Chayambuka2022's NaPF₆ tables, also standing in for K): half cells
    (:func:`half_cell_temperature_warnings`) and full cells in that electrolyte (hard
    carbon or a HEM anode against a Na or K cathode) alike."""
    entry = carrier_ion_data()["ions"][ion]
    if not entry["electrolyte"].get("temperature_dependent", True) and abs(
            temperature_K - TABLE_TEMPERATURE_K) > TABLE_TEMPERATURE_TOLERANCE_K:
        return [f"the {entry['electrolyte']['name']} electrolyte's conductivity and "
                f"diffusivity are tables at {TABLE_TEMPERATURE_K:g} K with no temperature "
                f"dependence: at {temperature_K:g} K only the kinetics follow temperature"]
    return []


def _transport_at(function: Any, concentration_mol_per_m3: float, temperature_K: float
                  ) -> float:
    """A PyBaMM electrolyte entry (a number or ``f(c_e, T)``) evaluated at ``(c, T)``."""
    if not callable(function):
        return float(function)
    value = function(pybamm.Scalar(concentration_mol_per_m3), pybamm.Scalar(temperature_K))
    if isinstance(value, pybamm.Symbol):  # a table (Interpolant) evaluates to a 1 x 1 array
        return float(np.asarray(value.evaluate()).item())
    return float(value)


def separator_resistance_ohm(pv: pybamm.ParameterValues) -> float:
    r"""Ohmic resistance of the separator's electrolyte at the start of a run [Ω].

    .. math:: R_s = \frac{L_s}{\kappa(c_0, T)\,\varepsilon_s^{b_s}\,A\,n}

    with the separator thickness :math:`L_s`, porosity :math:`\varepsilon_s` and
    Bruggeman exponent :math:`b_s` (the effective conductivity of a porous medium,
    κ ε^b: Bruggeman, Ann. Phys. 416 (1935) 636; the model's own separator law), the
    electrolyte conductivity κ at its initial concentration :math:`c_0` and the ambient
    temperature, the electrode area A (width × height) and n electrodes in parallel.
    Any current I drops at least I R_s across the separator before a concentration
    gradient forms (the electrodes' electrolyte, solid, kinetics and depletion add to it).
    """
    c0 = float(pv["Initial concentration in electrolyte [mol.m-3]"])
    kappa_S_per_m = _transport_at(pv["Electrolyte conductivity [S.m-1]"], c0,
                                  float(pv["Ambient temperature [K]"]))
    area_m2 = (float(pv["Electrode width [m]"]) * float(pv["Electrode height [m]"])
               * float(pv["Number of electrodes connected in parallel to make a cell"]))
    porosity = float(pv["Separator porosity"])
    bruggeman = float(pv["Separator Bruggeman coefficient (electrolyte)"])
    conductance_S_per_m = kappa_S_per_m * porosity**bruggeman * area_m2
    if not conductance_S_per_m > 0:  # no conducting electrolyte: no finite resistance
        return math.inf
    return float(pv["Separator thickness [m]"]) / conductance_S_per_m


def constant_transport_warnings(pv: pybamm.ParameterValues) -> list[str]:
    """The warning of a cell away from 298.15 K whose PyBaMM electrolyte conductivity and
    diffusivity do not depend on temperature at all (the full cells' Prada2013 and
    Nyman2008 electrolytes of PyBaMM's LFP and NMC811 sets), as
    :func:`electrolyte_table_warnings` says for the Na/K tables: only the kinetics follow
    the temperature. ``[]`` near 298.15 K or when either entry follows temperature (the
    Valøen & Reimers fits: :mod:`hemcell.materials.lipf6_electrolyte`)."""
    temperature_K = float(pv["Ambient temperature [K]"])
    if abs(temperature_K - TABLE_TEMPERATURE_K) <= TABLE_TEMPERATURE_TOLERANCE_K:
        return []
    c0 = float(pv["Initial concentration in electrolyte [mol.m-3]"])
    entries = [pv[k] for k in ELECTROLYTE_KEYS[:2]]
    if any(_transport_at(f, c0, temperature_K) != _transport_at(f, c0, TABLE_TEMPERATURE_K)
           for f in entries):
        return []
    names = sorted({getattr(f, "__name__", "").rsplit("_", 1)[-1] for f in entries
                    if callable(f)} - {""})
    which = f" (PyBaMM's {', '.join(names)})" if names else ""
    return [f"the electrolyte's conductivity and diffusivity{which} have no temperature "
            f"dependence: at {temperature_K:g} K only the kinetics follow temperature"]


def describe(ion: str) -> dict[str, str]:
    """Names and sources of the electrolyte and counter electrode of ``ion`` (for run.json)."""
    data = carrier_ion_data()
    entry = data["ions"][ion]
    ce = entry["counter_electrode"]

    def src(s: str) -> str:
        return data["sources"].get(s, s)

    return {
        "electrolyte": entry["electrolyte"]["name"],
        "electrolyte_source": src(entry["electrolyte"]["source"]),
        "counter_electrode": f"{ce['metal']} metal",
        "counter_electrode_exchange_source": src(ce["exchange_rate_constant"]["source"]),
    }


def _table_range(function) -> tuple[float, float] | None:
    """The lowest and highest concentration of the tables in a PyBaMM electrolyte function
    ``f(c_e, T)`` [mol m⁻³], or ``None`` for a number or a formula without a table."""
    if not callable(function):
        return None
    # a symbolic concentration: a table of a number is evaluated away
    expr = function(pybamm.Variable("c_e"), pybamm.Scalar(TABLE_TEMPERATURE_K))
    if not isinstance(expr, pybamm.Symbol):
        return None
    tables = [n for n in expr.pre_order() if isinstance(n, pybamm.Interpolant)]
    if not tables:
        return None
    return (float(min(np.min(t.x[0]) for t in tables)),
            float(max(np.max(t.x[0]) for t in tables)))


def _table_floor(function) -> float | None:
    """The lowest concentration of :func:`_table_range` (``None`` without a table)."""
    found = _table_range(function)
    return None if found is None else found[0]


def highest_tabulated_concentration(pv: pybamm.ParameterValues) -> float | None:
    """The highest concentration of the electrolyte's conductivity table [mol m⁻³]
    (Chayambuka2022's NaPF₆: 2000), or ``None`` for a conductivity given as a formula.
    Above it PyBaMM extrapolates the table linearly (NaPF₆: κ falls 0.20 S m⁻¹ per
    1000 mol m⁻³ from 0.76 S m⁻¹ and would reach zero near 5 800 mol m⁻³)."""
    found = _table_range(pv["Electrolyte conductivity [S.m-1]"])
    return None if found is None else found[1]


def lowest_tabulated_concentration(pv: pybamm.ParameterValues) -> float | None:
    """The lowest concentration of the electrolyte's conductivity table [mol m⁻³]
    (Chayambuka2022's NaPF₆: 150), or ``None`` for a conductivity given as a formula."""
    return _table_floor(pv["Electrolyte conductivity [S.m-1]"])


def continued_below_table(values: dict[str, Any]) -> dict[str, Any]:
    """The electrolyte entries of ``values`` with tabulated transport continued below the
    lowest tabulated concentration c_low (a copy; formulas and numbers unchanged).

    Conductivity, dilute limit with the molar conductivity Λ = κ/c of the lowest
    tabulated point held:

        κ(c) = κ_tab(c)                      for c ≥ c_low,
        κ(c) = Λ_low c,  Λ_low = κ_tab(c_low)/c_low     for c < c_low,

    continuous at c_low and zero at c = 0. Kohlrausch's law for a strong electrolyte,
    Λ = Λ⁰ − K √c (Kohlrausch; Newman & Thomas-Alyea, *Electrochemical Systems*, 3rd ed.,
    ch. 4), and ion pairs dissociating on dilution both make Λ *rise* as c falls, so
    holding Λ_low gives the lower conductivity of the two: the conservative side. The
    continuation has the smoothness of the table's own linear interpolation (a change of
    slope at c_low as at every tabulated point). Salt diffusivity: held at its table's
    lowest point (a dilute binary salt tends to the finite Nernst–Hartley value). The
    transference number and thermodynamic factor are left as given (Chayambuka2022:
    constants 0.45 and 1; the dilute limit of the thermodynamic factor is 1).

    Below c_low the result rests on this continuation, not on a measurement: a run says
    how far its electrolyte went below c_low (:func:`measured_range_report`). A step ends
    only at depletion (:func:`add_depletion_event`).
    """
    out = dict(values)
    kappa = values.get("Electrolyte conductivity [S.m-1]")
    c_low = _table_floor(kappa)
    if c_low is not None:
        out["Electrolyte conductivity [S.m-1]"] = partial(
            _dilute_conductivity, table=kappa, c_low=c_low)
    diffusivity = values.get("Electrolyte diffusivity [m2.s-1]")
    c_low_d = _table_floor(diffusivity)
    if c_low_d is not None:
        out["Electrolyte diffusivity [m2.s-1]"] = partial(
            _held_below_table, table=diffusivity, c_low=c_low_d)
    return out


# module functions bound with functools.partial (pickle, as above)
def _dilute_conductivity(c_e, T, *, table, c_low: float):
    return table(pybamm.maximum(c_e, c_low), T) * pybamm.minimum(c_e, c_low) / c_low


def _held_below_table(c_e, T, *, table, c_low: float):
    return table(pybamm.maximum(c_e, c_low), T)


#: Name of the event that ends a step where the electrolyte is used up (PyBaMM's).
DEPLETION_EVENT = "Zero electrolyte concentration cut-off"
#: Electrolyte concentration at which that event ends a step [mol m⁻³] (PyBaMM's basic
#: DFN's value).
DEPLETION_FLOOR_MOL_PER_M3 = 0.002


def depletion_event(c_e_min: pybamm.Symbol) -> pybamm.Event:
    """The event that ends a step when ``c_e_min``, the least electrolyte concentration
    the model watches, reaches :data:`DEPLETION_FLOOR_MOL_PER_M3`."""
    return pybamm.Event(DEPLETION_EVENT, c_e_min - DEPLETION_FLOOR_MOL_PER_M3)


def add_depletion_event(model: pybamm.BaseModel) -> None:
    """End a step where the electrolyte is used up somewhere in the cell
    (:func:`depletion_event` of min c_e, as in PyBaMM's basic DFN), if the model does not
    have that event already (the HEM models do)."""
    if ("Electrolyte concentration [mol.m-3]" not in model.variables
            or any(e.name == DEPLETION_EVENT for e in model.events)):
        return
    c_e = model.variables["Electrolyte concentration [mol.m-3]"]
    model.events.append(depletion_event(pybamm.min(c_e)))


def measured_range_report(pv: pybamm.ParameterValues, solution: Any
                          ) -> tuple[dict[str, float], list[str]]:
    """How far a solved run's electrolyte went below or above its conductivity table.

    Returns
    -------
    keys, warnings
        ``electrolyte_lowest_measured_concentration_mol_per_m3`` (c_low) and
        ``electrolyte_min_concentration_mol_per_m3`` (the lowest value anywhere in the
        cell over the run), ``electrolyte_highest_measured_concentration_mol_per_m3``
        (c_high) and ``electrolyte_max_concentration_mol_per_m3`` (the highest) for a
        tabulated electrolyte, nothing for a formula; a warning if the run went below
        c_low (the result there rests on :func:`continued_below_table`) and one if it went
        above c_high (PyBaMM's linear extrapolation of the table, with the conductivity
        it gives at the highest concentration reached).
    """
    c_low = lowest_tabulated_concentration(pv)
    c_high = highest_tabulated_concentration(pv)
    name = "Electrolyte concentration [mol.m-3]"
    models = getattr(solution, "all_models", None)
    if c_low is None or not models or name not in models[0].variables:
        return {}, []
    c_e = np.asarray(solution[name].entries, dtype=float)
    c_min, c_max = float(np.min(c_e)), float(np.max(c_e))
    keys = {"electrolyte_lowest_measured_concentration_mol_per_m3": c_low,
            "electrolyte_min_concentration_mol_per_m3": c_min,
            "electrolyte_highest_measured_concentration_mol_per_m3": c_high,
            "electrolyte_max_concentration_mol_per_m3": c_max}
    warnings = []
    if c_min < c_low:
        warnings.append(f"the electrolyte fell to {c_min:.3g} mol/m3, below the lowest "
                        f"concentration its conductivity was measured at ({c_low:g} "
                        "mol/m3): there the result rests on the dilute-limit continuation "
                        "(molar conductivity held)")
    if c_high is not None and c_max > c_high:
        kappa = _transport_at(pv["Electrolyte conductivity [S.m-1]"], c_max,
                              float(pv["Ambient temperature [K]"]))
        warnings.append(f"the electrolyte rose to {c_max:.4g} mol/m3, above the highest "
                        f"concentration its conductivity was measured at ({c_high:g} "
                        "mol/m3): there the result rests on the table's linear "
                        f"extrapolation (conductivity {kappa:.3g} S/m at {c_max:.4g} "
                        "mol/m3)")
    return keys, warnings


#: A step that ends at its voltage cut-off with more than this share of its voltage change
#: across the electrolyte is reported as limited by the electrolyte
#: (:func:`polarisation_report`). A classification ("most of the polarisation"), not a
#: physical parameter.
ELECTROLYTE_LIMITED_SHARE = 0.5

_ANODE_PHI_E = "Anode electrolyte potential [V]"
_METAL_ETA = "Lithium counter electrode reaction overpotential [V]"
_C_E = "Electrolyte concentration [mol.m-3]"


def electrolyte_potential_drop_V(step: Any) -> np.ndarray:
    r"""The potential a half cell loses across its electrolyte over a solved step [V].

    The metal counter electrode is the potential reference (φ_s = 0), and the electrolyte
    at its surface sits at φ_e(0) = −Δφ_s,M − η_M (the metal's ohmic drop and reaction
    overpotential; :class:`hemcell.cell.model.HEMHalfCell`), so from the metal surface to
    the anode the electrolyte (ohmic and diffusion potential, Newman's
    i_e = −κ∇φ_e + (2RT/F)κ(1 − t₊)(1 + ∂ln f/∂ln c)∇ln c_e) takes

        Δφ_e = −⟨φ_e⟩_anode − η_M

    (⟨·⟩: the mean over the anode's nodes; Δφ_s,M, the metal's own ohmic drop, is included
    and negligible). Positive on a lithiation, negative on a delithiation.
    """
    phi_e = np.asarray(step[_ANODE_PHI_E].entries, dtype=float)
    eta = np.asarray(step[_METAL_ETA].entries, dtype=float)
    return -phi_e.mean(axis=0) - eta


def polarisation_report(steps: Sequence[Any]) -> tuple[dict[str, Any], list[str]]:
    """Steps of a P2D half cell that ended at their voltage cut-off because of the
    electrolyte.

    ``steps``: the run's solved steps in order
    (:func:`hemcell.cell.analysis.solved_steps`). For each step that ended on a voltage
    event, the electrolyte's potential drop at the end
    (:func:`electrolyte_potential_drop_V`) against the step's voltage change; above
    :data:`ELECTROLYTE_LIMITED_SHARE` the step is listed with the electrolyte
    concentration's range over it: the electrolyte's transport (a salt build-up at the
    metal, pores running dry), not the anode's storage, set where the step stopped, and
    its capacity says little about the anode.

    Returns
    -------
    keys, warnings
        ``electrolyte_limited_steps``: a list of ``{step, time_s, electrolyte_drop_V,
        voltage_change_V, c_e_min_mol_per_m3, c_e_max_mol_per_m3}`` (``step`` numbered
        from 1 over the run, as ``timeseries.csv``); one warning per such step. Nothing
        for a model without an electrolyte (single particle) or a full cell.
    """
    if not steps or not all(n in steps[0].all_models[-1].variables
                            for n in (_ANODE_PHI_E, _METAL_ETA)):
        return {}, []
    limited, warnings = [], []
    for k, step in enumerate(steps, start=1):
        if "Voltage" not in str(getattr(step, "termination", "")):
            continue
        v = np.asarray(step["Voltage [V]"].entries, dtype=float)
        drop = float(electrolyte_potential_drop_V(step)[-1])
        change = float(abs(v[-1] - v[0]))
        if change <= 0 or abs(drop) <= ELECTROLYTE_LIMITED_SHARE * change:
            continue
        c_e = np.asarray(step[_C_E].entries, dtype=float)
        t_s = float(step["Time [s]"].entries[-1])
        limited.append({"step": k, "time_s": t_s, "electrolyte_drop_V": drop,
                        "voltage_change_V": change,
                        "c_e_min_mol_per_m3": float(c_e.min()),
                        "c_e_max_mol_per_m3": float(c_e.max())})
        warnings.append(
            f"step {k} reached its voltage cut-off at t = {t_s:.4g} s with {abs(drop):.3g} V "
            f"of its {change:.3g} V change across the electrolyte (c_e "
            f"{c_e.min():.4g}-{c_e.max():.4g} mol/m3 in the step): the electrolyte's "
            "transport, not the anode, ended it, and the step's capacity says little about "
            "the anode (a lower rate, a higher temperature or a thinner electrode move the "
            "limit; docs/anode.md 'Electrolyte-limited steps')")
    return ({"electrolyte_limited_steps": limited} if limited else {}), warnings
