"""Intercalation-cathode parameter sets (``parameters/cathode_*.yaml``) as PyBaMM cathodes.

A cathode set (kind ``cathode``, registry ``parameters/registry/cathode.yaml``) holds the
composition values of :mod:`hemcell.materials.cathode` (molar mass, carrier sites,
couples), the electrode and transport values, the carrier ion (``reference_ion_radius``,
seed 000 L752) and the measured voltage window. This module writes the PyBaMM entries
of the full cell's positive electrode from them:

- maximum concentration c_max = ρ x_max / M (ρ the density of the material as written,
  x_max its carrier sites per formula unit, M the molar mass);
- initial stoichiometry θ₀ = x_A / x_max, capped at the top of the couples' reachable
  range (a PBA with x_A = 1.19 on 2 sites starts at 0.595) and kept on the table inside
  its walls: PyBaMM adds to every OCP the asymptotes ``U_asymptotes(θ)``
  (``pybamm.parameters.lithium_ion_parameters``), +1.0 V at θ = 0 and −1.0 V at θ = 1,
  below 1e-9 V one table step inside. A set with every carrier site full (NVPF, the O3
  oxide: x_A = x_max) would otherwise start 1 V below its OCP;
- open-circuit potential: a linear :class:`pybamm.Interpolant` over
  :func:`hemcell.materials.cathode.couple_ocp_table`, which covers only the reachable
  range [θ_lo, θ_hi]. Outside it the couple model holds no charge, so x(E) is flat and
  U(θ) leaves the table vertically. That wall is regularised on the table's own grid:
  :data:`WALL_STEPS` table steps Δθ beyond each end the potential has moved by the width
  of the set's voltage window (up beyond θ_lo, down beyond θ_hi), and the interpolant
  continues linearly with that slope. A cut-off inside the window is then reached within
  :data:`WALL_STEPS` table steps of the reachable end, whatever the anode. Where a
  reachable end is a site limit (θ_hi = 1: NVPF, the O3 oxide), the table is cut so that
  the wall lies inside [Δθ, 1 − Δθ] (:func:`_kept_table`), clear of the θ clipping and
  asymptotes PyBaMM adds to every OCP;
- exchange current (symmetric Butler–Volmer, the form of PyBaMM's Chayambuka2022 NVPF)

      j₀ = i₀ (c_e / c_e0)^½ (θ (1 − θ))^½ / ½,

  with i₀ the set's value at half filling and c_e0 the electrolyte's initial
  concentration. θ in the filling factor is kept at least one OCP-table step inside
  (0, 1): a numerical floor (assumed) that lets a cathode made with every carrier site
  full (NVPF, x_A = x_max) start its first charge, and keeps j₀ real on the wall;
  with i₀ moved from the set's ``reference_temperature`` to the cell temperature T by
  Arrhenius (``cathode_exchange_current_activation_energy``,
  :func:`hemcell.laws.arrhenius_factor`); the reaction is PyBaMM's symmetric
  Butler–Volmer j = 2 j₀ sinh(Fη/2RT) in every cell of a cathode set (half cells and
  hard-carbon cells: PyBaMM's default kinetics; HEM full cells:
  :mod:`hemcell.cell.full_cell`), which is α = 0.5, so the set's charge-transfer
  coefficient must be 0.5 (:data:`SYMMETRIC_CHARGE_TRANSFER_COEFFICIENT`);
- solid diffusivity: the set's value at ``reference_temperature``, Arrhenius in T
  (``cathode_diffusivity_activation_energy``);
- conductivity, Bruggeman exponent, geometry: the set's values.

The cell temperature is the set's ``ambient_temperature`` where the cathode set is the
cell's ``--params`` (cathode half cells, hard-carbon full cells: :func:`half_cell_values`)
and the anode set's in a HEM-anode full cell.

The carrier of the set must be the cell's ion, and a full cell's voltage cut-offs must lie
inside the set's window (:func:`check_cathode_cell`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import lru_cache, partial
from typing import Any

import pybamm

from hemcell.cell.carriers import check_ion, reference_ion
from hemcell.cell.electrolytes import PARAMETERS as METAL_PARAMETERS
from hemcell.errors import InputError
from hemcell.laws import arrhenius_factor
from hemcell.params.uses import ParameterUse

#: Registry names a full cell reads from a cathode set.
PARAMETERS: tuple[ParameterUse, ...] = tuple(
    ParameterUse(k, u) for k, u in (
        ("cathode_thickness", "m"),
        ("cathode_porosity", "dimensionless"),
        ("cathode_active_material_volume_fraction", "dimensionless"),
        ("cathode_particle_radius", "m"),
        ("cathode_active_material_density", "kg/m**3"),
        ("cathode_electronic_conductivity", "S/m"),
        ("cathode_bruggeman_coefficient", "dimensionless"),
        ("cathode_solid_diffusivity", "m**2/s"),
        ("cathode_diffusivity_activation_energy", "J/mol"),
        ("cathode_exchange_current_density", "A/m**2"),
        ("cathode_exchange_current_activation_energy", "J/mol"),
        ("cathode_charge_transfer_coefficient", "dimensionless"),
        ("reference_temperature", "K"),
        ("cathode_molar_mass", "kg/mol"),
        ("cathode_carrier_sites_min", "dimensionless"),
        ("cathode_carrier_sites_max", "dimensionless"),
        ("cathode_initial_carrier_content", "dimensionless"),
        ("cathode_carrier_content_all_reduced", "dimensionless"),
        ("cathode_couple_electrons", "dimensionless"),
        ("cathode_couple_potential_low", "V"),
        ("cathode_couple_potential_high", "V"),
        ("cathode_lower_cutoff_potential", "V"),
        ("cathode_upper_cutoff_potential", "V"),
        ("reference_ion_radius", "m"),
    )
)
#: What a cell with the cathode set as its ``--params`` (a cathode half cell, a
#: hard-carbon full cell) reads besides: the set's cell temperature. In a HEM-anode full
#: cell the anode set gives the cell temperature.
CELL_PARAMETERS: tuple[ParameterUse, ...] = (ParameterUse("ambient_temperature", "K"),)
#: What a cathode half cell reads besides: its metal counter electrode's activation energy
#: (:data:`hemcell.cell.electrolytes.PARAMETERS`, the HEM anode half cell's too).
HALF_CELL_PARAMETERS: tuple[ParameterUse, ...] = METAL_PARAMETERS

#: Table steps over which the OCP wall beyond a reachable end falls by the window's width
#: (assumed, numerical: one step, the table's own resolution; the wall holds at most
#: WALL_STEPS·Δθ/2 of c_max, 0.16 % for NVPF). Walls are kept inside [Δθ, 1 − Δθ]
#: (:func:`_kept_table`): drawn beyond θ = 1, where PyBaMM clips θ, the wall was flat and
#: IDAKLU failed (IDA_CONV_FAIL) on the step after the charge once the particle surface
#: reached it.
WALL_STEPS = 1

_UNTIL_VOLTS = re.compile(r"\buntil\s+(?P<v>[-+]?\d+(?:\.\d*)?(?:[eE][-+]?\d+)?)\s*V\b",
                          re.IGNORECASE)


@lru_cache(maxsize=16)
def _set(name: str):
    from hemcell.params import load_parameter_set

    return load_parameter_set(name)


def is_cathode_set(name: str) -> bool:
    """Whether ``name`` is a parameter set of kind ``cathode`` (shipped name or path)."""
    try:
        return _set(str(name)).kind == "cathode"
    except Exception:
        return False


def cathode_set_si(name: str) -> dict[str, Any]:
    """SI values of a cathode set, checked complete.

    Raises
    ------
    InputError
        Not a cathode set, or a value the full cell reads is missing (all named).
    """
    if not is_cathode_set(name):
        raise InputError("cathode", name, "a parameter set of kind cathode "
                         "(parameters/registry/cathode.yaml)")
    return require_values(name, dict(_set(str(name)).si), PARAMETERS, "the full cell")


def cathode_set_values(name: str, overrides: Sequence[str], *, metal_counter_electrode: bool
                       ) -> tuple[dict[str, Any], Any]:
    """SI values of a cathode set with ``--set`` overrides, for a cell of that set (its
    cathode half cell, a hard-carbon full cell, its impedance model).

    Parameters
    ----------
    name
        The cathode set (shipped name or path).
    overrides
        ``NAME=VALUE UNIT`` entries: the set's values (:data:`PARAMETERS`) and
        :data:`CELL_PARAMETERS`, ``cathode_volume_change``, and with
        ``metal_counter_electrode`` :data:`HALF_CELL_PARAMETERS`.
    metal_counter_electrode
        The cell has a metal counter electrode (a cathode half cell; not a hard-carbon
        full cell, which is refused a value only the metal reads).
    Returns
    -------
    tuple
        ``(si, parameter_set)``: the SI values (checked complete without overrides) and
        the :class:`~hemcell.params.parameter_set.ParameterSet` they came from.

    Raises
    ------
    InputError
        Not a cathode set (named ``--params``) or a name the cell does not read (named
        ``--set``; recipe keys among them are refused by the caller, which knows the
        recipe: :func:`hemcell.workflows.cathode_half_cell.cathode_values`).
    """
    from hemcell.params import load_parameter_set

    if not is_cathode_set(name):
        # a hard-carbon recipe was told it was a cathode half cell
        cell, kind = (("a cathode half cell", "cathode_half") if metal_counter_electrode
                      else ("a hard-carbon full cell", "hard_carbon_full"))
        from hemcell.params.export import read_bpx_partner

        hint = (f"the recipe's cell is {kind}: --params names the cathode (an anode set "
                "runs in the hem_half_cell_* and hem_full_cell_* recipes)")
        if read_bpx_partner(name) is not None:  # what `params import` wrote
            hint = ("an imported BPX file is a HEM full cell's partner: params export "
                    f"ANODE_SET --format pybamm --cathode {name}, or HEMFullCell"
                    f"({{'cathode': '{name}'}}); the cathode set it came from runs here")
        raise InputError("--params", name, "a cathode parameter set "
                         f"(parameters/registry/cathode.yaml) for {cell}", hint=hint)
    ps = load_parameter_set(name)
    if overrides:
        from hemcell.params.uses import override_keys, refuse_unread

        read = {u.key for u in (*PARAMETERS, *CELL_PARAMETERS)} | {"cathode_volume_change"}
        if metal_counter_electrode:
            read |= {u.key for u in HALF_CELL_PARAMETERS}
        keys = override_keys(overrides)
        refuse_unread(keys, sorted(read),
                      f"a cathode half cell of the cathode set {name}"
                      if metal_counter_electrode else
                      f"a hard-carbon full cell of the cathode set {name} (no metal "
                      "counter electrode)")
        ps = ps.with_overrides(list(overrides))
    si = dict(ps.si) if overrides else cathode_set_si(name)
    check_carrier_kept(name, si)
    return si, ps


def require_values(name: str, si: dict[str, Any], uses: tuple[ParameterUse, ...],
                   reader: str) -> dict[str, Any]:
    """``si`` if it holds every value of ``uses`` (:data:`PARAMETERS`, with
    :data:`CELL_PARAMETERS` for a cell whose ``--params`` is the set).

    Raises
    ------
    InputError
        Naming the set and every missing value, and what reads them (``reader``).
    """
    missing = [u.key for u in uses if u.key not in si]
    if missing:
        raise InputError(f"cathode set {name}", ", ".join(missing), f"every value {reader} "
                         "reads", hint="add them to the set with their sources")
    return si


def cathode_carrier(si: Mapping[str, Any]) -> str:
    """The carrier ion of a cathode set (``Li``, ``Na``, ``K``, from its ion radius)."""
    return reference_ion(dict(si))


def check_carrier_kept(name: str, si: Mapping[str, Any]) -> None:
    """Refuse values (``--set reference_ion_radius``) that make a cathode set's carrier
    another ion (exit 2). A set's couple potentials are on its own carrier's scale (vs
    Na⁺/Na, or K⁺/K for the K-PBA; docs/cathodes.md "Limits"): ``--set
    reference_ion_radius=0.076nm`` on the NVPF ran a Li half cell (Li metal, LiPF₆) on
    the Na scale's potentials without a word, where ``--ion Li`` is refused."""
    own = cathode_carrier(_set(str(name)).si)
    carrier = cathode_carrier(si)
    if carrier != own:
        raise InputError("--set reference_ion_radius", f"{float(si['reference_ion_radius']):g} m",
                         f"the radius of {own}+, the carrier of the cathode set {name}: its "
                         f"couple potentials are on the {own}+/{own} scale, not {carrier}'s",
                         hint="a cathode of another carrier is a set of its own, its couples "
                              "on that ion's scale (docs/cathodes.md, Parameter sets)")


def _kept_table(si: Mapping[str, Any]) -> tuple[list[float], list[float], float]:
    """The couple table's points whose wall fits inside [Δθ, 1 − Δθ], and Δθ.

    PyBaMM clips θ to (0, 1) in every OCP and adds its asymptotes there
    (``U_asymptotes``: ±1.0 V at θ = 0 and 1), so a wall beyond 0 or 1 would be flat: a
    set whose reachable range ends at a site limit (NVPF, the O3 oxide: θ_hi = 1) could
    not reach a lower cut-off more than 1 V below its last couple. Its table is cut
    :data:`WALL_STEPS` + 1 steps before that end and the wall drawn inside.
    """
    from hemcell.materials.cathode import couple_ocp_table

    theta, volts = couple_ocp_table(si)
    step = theta[1] - theta[0]
    wall = WALL_STEPS * step
    keep = [k for k, t in enumerate(theta) if step + wall <= t + 1e-12
            and t - 1e-12 <= 1.0 - step - wall]
    return [theta[k] for k in keep], [volts[k] for k in keep], step


def ocp_table_with_walls(si: Mapping[str, Any]) -> tuple[list[float], list[float]]:
    """U(θ) of the couples with one wall point beyond each reachable end (module
    docstring), the walls inside [Δθ, 1 − Δθ] (:func:`_kept_table`)."""
    theta, volts, step = _kept_table(si)
    wall = WALL_STEPS * step
    width = float(si["cathode_upper_cutoff_potential"]) - float(
        si["cathode_lower_cutoff_potential"])
    return ([theta[0] - wall, *theta, theta[-1] + wall],
            [volts[0] + width, *volts, volts[-1] - width])


def _ocp(theta: list[float], volts: list[float], name: str):
    import numpy as np

    return partial(_ocp_of, x=np.asarray(theta), y=np.asarray(volts), name=name)


# The PyBaMM functions are module functions bound with functools.partial (not closures),
# so parameter values and simulations pickle (`Simulation.save`).
def _ocp_of(sto, *, x, y, name: str):
    return pybamm.Interpolant(x, y, sto, name=f"{name} OCP", interpolator="linear")


def _exchange_current(i0_half: float, c_e0: float, floor: float, ea_J_per_mol: float,
                      t_ref_K: float):
    return partial(_j0, i0_half=i0_half, c_e0=c_e0, floor=floor,
                             ea_J_per_mol=ea_J_per_mol, t_ref_K=t_ref_K)


def _j0(c_e, c_s_surf, c_s_max, T, *, i0_half: float, c_e0: float, floor: float,
        ea_J_per_mol: float, t_ref_K: float):
    sto = pybamm.minimum(pybamm.maximum(c_s_surf / c_s_max, floor), 1 - floor)
    return (i0_half * (c_e / c_e0) ** 0.5 * (sto * (1 - sto)) ** 0.5 / 0.5
            * arrhenius_factor(ea_J_per_mol, T, t_ref_K, exp=pybamm.exp))


def _diffusivity(d_ref: float, ea_J_per_mol: float, t_ref_K: float):
    return partial(_d_s, d_ref=d_ref, ea_J_per_mol=ea_J_per_mol, t_ref_K=t_ref_K)


def _d_s(sto, T, *, d_ref: float, ea_J_per_mol: float, t_ref_K: float):
    return d_ref * arrhenius_factor(ea_J_per_mol, T, t_ref_K, exp=pybamm.exp)


def initial_stoichiometry(si: Mapping[str, Any]) -> float:
    """θ₀ = x_A / x_max, at most the top of the reachable range min(x_max, x_red) / x_max,
    kept on the OCP table inside its walls (:func:`_kept_table`: PyBaMM's OCP
    asymptotes, module docstring)."""
    theta, _, _ = _kept_table(si)
    x_max = float(si["cathode_carrier_sites_max"])
    x_top = min(x_max, float(si["cathode_carrier_content_all_reduced"]))
    theta0 = min(float(si["cathode_initial_carrier_content"]), x_top) / x_max
    return min(max(theta0, theta[0]), theta[-1])


#: The charge-transfer coefficient every cell of a cathode set implements: PyBaMM's
#: symmetric Butler–Volmer 2 j₀ sinh(Fη/2RT) = j₀ [exp(αFη/RT) − exp(−(1 − α)Fη/RT)] at
#: α = 0.5 (module docstring). ``--set cathode_charge_transfer_coefficient=0.3`` ran and
#: gave the 0.5 cell's numbers to the last digit; another α is refused.
SYMMETRIC_CHARGE_TRANSFER_COEFFICIENT = 0.5


def check_charge_transfer_coefficient(si: Mapping[str, Any]) -> None:
    """Refuse a set's ``cathode_charge_transfer_coefficient`` other than 0.5 (exit 2): the
    cells' kinetics are symmetric (:data:`SYMMETRIC_CHARGE_TRANSFER_COEFFICIENT`), and
    another α would change nothing."""
    alpha = float(si["cathode_charge_transfer_coefficient"])
    if alpha != SYMMETRIC_CHARGE_TRANSFER_COEFFICIENT:
        raise InputError("cathode_charge_transfer_coefficient", f"{alpha:g}",
                         "0.5: a cathode set's cells use the symmetric Butler-Volmer "
                         "j = 2 j0 sinh(F eta/2RT) (PyBaMM's default kinetics, as "
                         "Chayambuka2022), which is alpha = 0.5; another alpha would "
                         "change nothing",
                         hint="the exchange current (cathode_exchange_current_density) "
                              "sets the cathode's kinetics")


def positive_electrode_values(si: Mapping[str, Any], c_e0_mol_per_m3: float,
                              name: str = "cathode") -> dict[str, Any]:
    """PyBaMM positive-electrode entries of a cathode set (module docstring).

    Parameters
    ----------
    si
        The set's SI values (:func:`cathode_set_si`).
    c_e0_mol_per_m3
        The electrolyte's initial concentration (reference of the exchange current).
    name
        Set name, for the interpolant's name.
    """
    def number(key: str) -> Any:
        # a pybamm.InputParameter (an impedance fit's model built once) is kept as it is
        value = si[key]
        return value if isinstance(value, pybamm.Symbol) else float(value)

    check_charge_transfer_coefficient(si)
    c_max = (float(si["cathode_active_material_density"]) * float(si["cathode_carrier_sites_max"])
             / float(si["cathode_molar_mass"]))
    theta, volts = ocp_table_with_walls(si)
    step = theta[2] - theta[1]  # one step of the couple table (inside the walls)
    b = float(si["cathode_bruggeman_coefficient"])
    t_ref = float(si["reference_temperature"])
    return {
        "Positive electrode thickness [m]": si["cathode_thickness"],
        "Positive electrode porosity": si["cathode_porosity"],
        "Positive electrode active material volume fraction":
            si["cathode_active_material_volume_fraction"],
        "Positive particle radius [m]": si["cathode_particle_radius"],
        "Positive electrode conductivity [S.m-1]": si["cathode_electronic_conductivity"],
        "Positive electrode Bruggeman coefficient (electrolyte)": b,
        "Positive electrode Bruggeman coefficient (electrode)": b,
        "Positive particle diffusivity [m2.s-1]": _diffusivity(
            number("cathode_solid_diffusivity"),
            number("cathode_diffusivity_activation_energy"), t_ref),
        "Maximum concentration in positive electrode [mol.m-3]": c_max,
        "Initial concentration in positive electrode [mol.m-3]":
            initial_stoichiometry(si) * c_max,
        "Positive electrode OCP [V]": _ocp(theta, volts, name),
        "Positive electrode OCP entropic change [V.K-1]": 0.0,
        "Positive electrode charge transfer coefficient":
            si["cathode_charge_transfer_coefficient"],
        "Positive electrode exchange-current density [A.m-2]": _exchange_current(
            number("cathode_exchange_current_density"), c_e0_mol_per_m3, step,
            number("cathode_exchange_current_activation_energy"), t_ref),
        "Lower voltage cut-off [V]": si["cathode_lower_cutoff_potential"],
        "Upper voltage cut-off [V]": si["cathode_upper_cutoff_potential"],
    }


def protocol_voltages(protocol: str) -> list[float]:
    """The voltages of the protocol's ``until ... V`` terminations and holds [V]."""
    volts = [float(m.group("v")) for m in _UNTIL_VOLTS.finditer(protocol)]
    volts += [float(v) for v in re.findall(r"\bhold at\s+([-+]?\d+(?:\.\d*)?)\s*V\b",
                                           protocol, flags=re.IGNORECASE)]
    return volts


def check_cathode_cell(name: str, si: Mapping[str, Any], ion: str,
                       protocol: str | None = None, full_cell: bool = False) -> None:
    """Refuse a cathode set whose carrier is not ``ion``, or a protocol voltage outside
    the set's window: in a half cell (``full_cell=False``) any voltage outside it, the
    cell's voltage being the cathode's potential vs the metal; in a full cell a voltage
    above its top only. A full cell's voltage is the cathode's potential minus the
    anode's, which is positive vs the metal, so the cathode stands at least at the cell's
    voltage: a cell voltage above the window's top drives the cathode above it, one below
    its bottom does not (the anode's potential at the lower cut-off decides; the run
    reports the cathode's lowest potential and warns below the window,
    :func:`hemcell.cell.analysis.cathode_potential_extremes`).

    Raises
    ------
    InputError
        Naming the carrier or the voltage and the window.
    """
    carrier = cathode_carrier(si)
    ion = check_ion(ion)  # 'na', 'Na+' are Na, as for the HEM cells; 'Xe' is no carrier
    if carrier != ion:
        raise InputError("--ion", ion, f"{carrier} for the cathode set {name}",
                         hint=f"this cathode carries {carrier}+ and an electrolyte of "
                         f"{ion}+ lacks it; run with --ion {carrier}")
    lo = float(si["cathode_lower_cutoff_potential"])
    hi = float(si["cathode_upper_cutoff_potential"])
    for v in protocol_voltages(protocol or ""):
        if full_cell and v > hi:
            raise InputError("--protocol", f"{v:g} V", f"full-cell voltages up to the top "
                             f"{hi:g} V of the window {lo:g}–{hi:g} V (vs the metal) of the "
                             f"cathode set {name}",
                             hint="the cathode stands at the cell's voltage plus the "
                             "anode's potential vs the metal, so above it at any cell "
                             "voltage above the window's top")
        if not full_cell and not lo <= v <= hi:
            raise InputError("--protocol", f"{v:g} V", f"voltages inside the window "
                             f"{lo:g}–{hi:g} V of the cathode set {name}",
                             hint="the set's window is the half-cell window of its source")


def half_cell_values(name: str, si: Mapping[str, Any] | None = None) -> pybamm.ParameterValues:
    """PyBaMM values of a cathode set against its carrier's metal (a half cell).

    For ``pybamm.lithium_ion.DFN/SPM({"working electrode": "positive"})``: the PyBaMM cell
    of the carrier's electrolyte (``carrier_ions.yaml``: separator, electrode area), that
    electrolyte and the metal counter electrode with its own exchange current
    (:func:`hemcell.cell.electrolytes.electrolyte_values`) made Arrhenius in T with the
    set's ``li_migration_activation_energy`` from its ``reference_temperature``, as in the
    HEM anode half cell (:func:`hemcell.cell.electrolytes.arrhenius_exchange_current`),
    the set's positive electrode
    (:func:`positive_electrode_values`), its window as the voltage cut-offs, the set's
    ``ambient_temperature`` as the (isothermal) cell temperature, and the capacity
    C-rates refer to, c_max F ε_s L A (as the full cells).

    Parameters
    ----------
    name
        Cathode set name or path.
    si
        The set's SI values with ``--set`` overrides applied (default: the set's own).
    """
    from hemcell.cell.electrolytes import (
        J0_METAL,
        arrhenius_exchange_current,
        carrier_ion_data,
        electrolyte_values,
    )

    cs = dict(si) if si is not None else cathode_set_si(name)
    require_values(str(name), cs, HALF_CELL_PARAMETERS, "the cathode half cell")
    ion = cathode_carrier(cs)
    pv = pybamm.ParameterValues(carrier_ion_data()["ions"][ion]["electrolyte"]["pybamm_set"])
    metal = electrolyte_values(ion)
    metal[J0_METAL] = arrhenius_exchange_current(
        metal[J0_METAL], cs["li_migration_activation_energy"], float(cs["reference_temperature"]))
    pv.update(metal, check_already_exists=False)
    pv.update(positive_electrode_values(
        cs, pv["Initial concentration in electrolyte [mol.m-3]"], str(name)),
        check_already_exists=False)
    pv.update(cell_temperature_values(cs), check_already_exists=False)
    nominal = nominal_capacity_Ah(pv)
    pv.update({"Nominal cell capacity [A.h]": nominal, "Current function [A]": nominal},
              check_already_exists=False)
    return pv


def cell_temperature_values(si: Mapping[str, Any]) -> dict[str, float]:
    """PyBaMM temperatures of a cell whose ``--params`` is the cathode set: isothermal at
    its ``ambient_temperature``, with its ``reference_temperature`` as PyBaMM's."""
    t = float(si["ambient_temperature"])
    return {"Ambient temperature [K]": t, "Initial temperature [K]": t,
            "Reference temperature [K]": float(si["reference_temperature"])}


def nominal_capacity_Ah(pv: pybamm.ParameterValues) -> float:
    """The capacity C-rates refer to in cells with a cathode set, c_max F ε_s L A [A h]
    (every carrier site of the positive electrode)."""
    from hemcell.laws import FARADAY_C_PER_MOL

    return float(pv["Maximum concentration in positive electrode [mol.m-3]"]
                 * FARADAY_C_PER_MOL
                 * pv["Positive electrode active material volume fraction"]
                 * pv["Positive electrode thickness [m]"] * pv["Electrode height [m]"]
                 * pv["Electrode width [m]"] / 3600)


def cathode_mass_g(si: Mapping[str, Any], pv: pybamm.ParameterValues) -> float:
    """Active cathode mass [g] = ρ ε_s L A · 1000."""
    return float(si["cathode_active_material_density"]
                 * pv["Positive electrode active material volume fraction"]
                 * pv["Positive electrode thickness [m]"] * pv["Electrode height [m]"]
                 * pv["Electrode width [m]"] * 1000)


def window_stoichiometries(si: Mapping[str, Any]) -> tuple[float, float]:
    """(θ_charged, θ_discharged): the couple table's θ at the window's upper and lower
    potentials, clamped to the reachable range (the states the volume change spans)."""
    import numpy as np

    from hemcell.materials.cathode import couple_ocp_table

    theta, volts = (np.asarray(a, dtype=float) for a in couple_ocp_table(si))
    order = np.argsort(volts)  # U falls with θ: interpolate θ(U) on rising U
    u, th = volts[order], theta[order]
    return (float(np.interp(float(si["cathode_upper_cutoff_potential"]), u, th)),
            float(np.interp(float(si["cathode_lower_cutoff_potential"]), u, th)))


def couple_labels(params: str, si: Mapping[str, Any]) -> list[str]:
    """Names of a cathode set's couples, in the order of its ``cathode_couple_*`` arrays.

    From the note the composition writes on ``cathode_couple_electrons`` ("couples in
    order: Fe2+/Fe3+, ..."); a set without it (or with another count) gets each couple's
    potential range, e.g. ``"2.7-3.3 V"``.
    """
    from hemcell.params import load_parameter_set

    ranges = [f"{lo:g}-{hi:g} V" for lo, hi in zip(si["cathode_couple_potential_low"],
                                                   si["cathode_couple_potential_high"],
                                                   strict=True)]
    try:
        note = load_parameter_set(params).parameters["cathode_couple_electrons"].note or ""
    except (KeyError, AttributeError):
        return ranges
    prefix = "couples in order:"
    names = [n.strip() for n in note.split(prefix, 1)[1].split(",")] \
        if note.startswith(prefix) else []
    return names if len(names) == len(ranges) else ranges


def couple_table(si: Mapping[str, Any]) -> tuple[list[float], list[list[float]]]:
    """The couple table's θ points and, per couple k, e_k f_k(U(θ_i)) there (electrons
    per formula unit given up; f_k of :meth:`hemcell.materials.cathode.Couple.
    oxidised_fraction` at the table's potential, :func:`hemcell.materials.cathode.
    couple_ocp_table`), for :func:`couple_oxidised_electrons`."""
    from hemcell.materials.cathode import Couple, couple_ocp_table

    table_theta, table_V = couple_ocp_table(si)
    couples = [Couple("", "M", 0.0, 1.0, float(e), float(lo), float(hi), "")
               for e, lo, hi in zip(si["cathode_couple_electrons"],
                                    si["cathode_couple_potential_low"],
                                    si["cathode_couple_potential_high"], strict=True)]
    return table_theta, [[c.electrons * c.oxidised_fraction(v) for v in table_V]
                         for c in couples]


def couple_oxidised_electrons(si: Mapping[str, Any], theta,
                              table: tuple[list[float], list[list[float]]] | None = None):
    """Electrons per formula unit each couple has given up at carrier-site filling θ,
    e_k f_k(U(θ)) (couple k's share of x_red − x), shape ``(n_couples, *theta.shape)``.

    Exact at the couple table's points (:func:`couple_table`, or ``table`` computed
    once by the caller) and linear in θ between them, so that Σ_k e_k f_k =
    x_red − x_max θ holds at every θ inside the reachable range, as the table does; θ
    beyond it (the walls) counts as the nearest end (the walls hold no couple's charge).
    """
    import numpy as np

    table_theta, held = table if table is not None else couple_table(si)
    th = np.clip(np.asarray(theta, dtype=float), table_theta[0], table_theta[-1])
    return np.stack([np.interp(th, table_theta, h) for h in held])


def volume_strain(si: Mapping[str, Any], theta):
    """Volumetric strain of the active material relative to the discharged state,

        ΔV/V(θ) = δ_V (θ_dis − θ) / (θ_dis − θ_ch),

    linear in the carrier content (the registry's definition of ``cathode_volume_change``
    δ_V, the change between the window's discharged and charged states;
    :func:`window_stoichiometries`). ``theta`` may be an array."""
    th_ch, th_dis = window_stoichiometries(si)
    return float(si["cathode_volume_change"]) * (th_dis - theta) / (th_dis - th_ch)
