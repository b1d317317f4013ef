"""From a hemcell anode parameter set (SI, registry names) to PyBaMM parameter values.

The set (``parameters/<name>.yaml``, names in ``parameters/registry/anode.yaml``) is
loaded and validated by :func:`hemcell.params.load_parameter_set`; this module

- infers the mechanism :class:`~hemcell.cell.model.Inventory` (which elements convert,
  alloy, store space charge) from which element-resolved entries the set gives, and
- writes the :class:`pybamm.ParameterValues` the model needs, starting from the set's
  ``pybamm_base`` (separator, electrolyte, Li-metal counter electrode, area).

Which registry names a model reads is declared by its parts, next to their equations:
each mechanism module's ``PARAMETERS``, :data:`ELECTRODE_PARAMETERS` (electrode, double
layer, temperature), :data:`HALF_CELL_PARAMETERS`, :data:`hemcell.cell.electrolytes.PARAMETERS`
(the metal counter electrode) and :data:`hemcell.cell.carriers.PARAMETERS`;
:func:`anode_parameter_uses` collects them for a recipe, :func:`pybamm_values` refuses a
set that misses any of them (naming all), and :func:`check_overrides` refuses a ``--set``
key the model does not read. No value is defaulted in code.

Temperature: the cell is isothermal at ``ambient_temperature`` (PyBaMM's "Ambient" and
"Initial temperature [K]"); every rate constant of the set applies at
``reference_temperature`` and is Arrhenius in T with its activation energy; the
electrolyte's own functions of T (PyBaMM's base set) see the same T.

The anode is PyBaMM's "positive" electrode in a half-cell (PyBaMM's convention), so
geometry and intercalation entries are written under "Positive ..." names there.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pybamm

from hemcell.cell import carriers, electrolytes
from hemcell.cell.carriers import reference_ion
from hemcell.cell.electrolytes import electrolyte_values
from hemcell.cell.inventory import Inventory
from hemcell.cell.mechanisms import (
    MECHANISMS,
    alloying,
    conversion,
    gel_sei,
    intercalation,
    irreversible,
)
from hemcell.cell.mechanisms import space_charge as space_charge_mech
from hemcell.errors import InputError
from hemcell.laws import FARADAY_C_PER_MOL, GAS_CONSTANT_J_PER_MOL_K, arrhenius_factor
from hemcell.params.uses import (
    ParameterUse,
    expand,
    override_keys,
    refuse_unread,
    require_parameters,
    required,
)

#: Registry names the electrode, its double layer and the cell temperature read
#: (:class:`hemcell.cell.model.HEMHalfCell`, both cells).
ELECTRODE_PARAMETERS: tuple[ParameterUse, ...] = (
    ParameterUse("anode_porosity", "dimensionless"),
    ParameterUse("anode_active_material_volume_fraction", "dimensionless"),
    ParameterUse("anode_particle_radius", "m"),
    ParameterUse("anode_active_material_density", "kg/m**3"),
    ParameterUse("anode_electronic_conductivity", "S/m"),
    ParameterUse("anode_bruggeman_coefficient", "dimensionless"),
    ParameterUse("anode_double_layer_capacity", "F/m**2"),
    ParameterUse("anode_double_layer_relaxation_time", "s"),
    ParameterUse("ambient_temperature", "K"),
    ParameterUse("reference_temperature", "K"),
)
#: Read when no intercalation OCP fixes the initial potential.
INITIAL_POTENTIAL_PARAMETERS: tuple[ParameterUse, ...] = (
    ParameterUse("anode_initial_open_circuit_potential", "V"),
)
#: The half-cell's electrode thickness and voltage cut-offs. A full cell uses its
#: cathode's window, and sizes its anode to the recipe's ``n_p_ratio`` times the cathode's
#: capacity (:func:`hemcell.cell.full_cell.full_cell_values`), so it reads no thickness.
HALF_CELL_PARAMETERS: tuple[ParameterUse, ...] = (
    ParameterUse("anode_thickness", "m"),
    ParameterUse("lower_voltage_cutoff", "V"),
    ParameterUse("upper_voltage_cutoff", "V"),
)
#: Names that decide the model's structure (:func:`inventory_from_si`), read for every
#: element of the registry while the mechanism is active: setting one to 0 switches the
#: element off, so ``--set conversion_capacity_ni=0 C/kg`` is honoured.
_NOT_IN_MATERIAL = "the element takes no part in this mechanism"
INVENTORY_PARAMETERS: dict[str, tuple[ParameterUse, ...]] = {
    "conversion": (
        ParameterUse("conversion_capacity_{el}", "C/kg", "registry", _NOT_IN_MATERIAL),
    ),
    "alloying": (ParameterUse("alloying_capacity_{el}", "C/kg", "registry", _NOT_IN_MATERIAL),),
    "space_charge": (
        ParameterUse("space_charge_areal_capacitance_{el}", "F/m**2", "registry",
                     _NOT_IN_MATERIAL),
    ),
}
#: mechanism name → the registry names its module declares
MECHANISM_PARAMETERS: dict[str, tuple[ParameterUse, ...]] = {
    "intercalation": intercalation.PARAMETERS,
    "conversion": conversion.PARAMETERS,
    "alloying": alloying.PARAMETERS,
    "space_charge": space_charge_mech.PARAMETERS,
    "irreversible": irreversible.PARAMETERS,
    "gel_sei": gel_sei.PARAMETERS,
}

_EL = re.compile(r"^(?P<stem>[a-z_]+)_(?P<el>[a-z]{1,2})$")


def _element_keys(si: Mapping[str, Any], stem: str) -> dict[str, Any]:
    """Element symbol (capitalised) → value for every ``<stem>_<el>`` key."""
    out = {}
    for key, value in si.items():
        if key.startswith(stem + "_"):
            el = key[len(stem) + 1 :]
            if 1 <= len(el) <= 2 and el.isalpha():
                out[el.capitalize()] = value
    return out


def inventory_from_si(si: Mapping[str, Any]) -> Inventory:
    """Which elements convert, alloy and store space charge, from the set's entries.

    An element converts if ``conversion_capacity_<el>`` > 0, alloys if
    ``alloying_capacity_<el>`` > 0 (with as many stages as
    ``alloying_stage_fractions_<el>`` lists), and stores space charge if
    ``space_charge_areal_capacitance_<el>`` > 0.
    """
    conv = tuple(el for el, v in _element_keys(si, "conversion_capacity").items() if v > 0)
    alloy = {}
    for el, v in _element_keys(si, "alloying_capacity").items():
        if v > 0:
            # one stage per listed fraction (a missing list is named by pybamm_values)
            fr = si.get(f"alloying_stage_fractions_{el.lower()}")
            alloy[el] = len(fr) if isinstance(fr, list | tuple) else 1
    sc = tuple(el for el, v in _element_keys(si, "space_charge_areal_capacitance").items() if v > 0)
    return Inventory(conversion=conv, alloying=alloy, space_charge=sc)


def intercalation_ocp(u_mid: float, slope: float, reference_temperature_K: float):
    """Sloping intercalation OCP at T_ref, U(θ) = U_mid − S(θ − ½) + (RT_ref/F) ln((1 − θ)/θ) [V].

    An ideal-solution (Nernst) term plus a linear slope: the simplest OCP with a finite
    sloping region (e.g. Newman & Thomas-Alyea, *Electrochemical Systems*, 3rd ed., ch. 2).
    PyBaMM adds (T − T_ref)·∂U/∂T (:func:`intercalation_entropic_change`), so the
    ideal-solution term is taken at the cell temperature T.
    """
    rt_f = GAS_CONSTANT_J_PER_MOL_K * reference_temperature_K / FARADAY_C_PER_MOL
    return functools.partial(_intercalation_ocp, u_mid=u_mid, slope=slope, rt_f=rt_f)


# The PyBaMM functions below are module functions bound with functools.partial (not
# closures), so parameter values and simulations pickle (`Simulation.save`).
def _intercalation_ocp(sto, *, u_mid: float, slope: float, rt_f: float):
    return u_mid - slope * (sto - 0.5) + rt_f * pybamm.log((1 - sto) / sto)


def intercalation_entropic_change(sto):
    """∂U/∂T = (R/F) ln((1 − θ)/θ) [V K⁻¹] of the ideal-solution term of the OCP."""
    return GAS_CONSTANT_J_PER_MOL_K / FARADAY_C_PER_MOL * pybamm.log((1 - sto) / sto)


def intercalation_ocp_value(u_mid: float, slope: float, sto: float, temperature_K: float
                            ) -> float:
    """U(θ, T) = U_mid − S(θ − ½) + (RT/F) ln((1 − θ)/θ) as a number [V]."""
    rt_f = GAS_CONSTANT_J_PER_MOL_K * temperature_K / FARADAY_C_PER_MOL
    return u_mid - slope * (sto - 0.5) + rt_f * math.log((1 - sto) / sto)


def intercalation_j0(j0_ref: float, c_e_ref: float, activation_energy_J_per_mol: float,
                     reference_temperature_K: float):
    """j₀ = j₀,ref (c_e/c_e,ref)^½ · 2 (θ(1−θ))^½ · exp[−E_a/R (1/T − 1/T_ref)] [A m⁻²].

    Symmetric Butler–Volmer with an Arrhenius rate constant
    (:func:`hemcell.laws.arrhenius_factor`).
    """

    return functools.partial(_intercalation_j0, j0_ref=j0_ref, c_e_ref=c_e_ref,
                             activation_energy_J_per_mol=activation_energy_J_per_mol,
                             reference_temperature_K=reference_temperature_K)


def _intercalation_j0(c_e, c_s_surf, c_s_max, T, *, j0_ref: float, c_e_ref: float,
                      activation_energy_J_per_mol: float, reference_temperature_K: float):
    sto = c_s_surf / c_s_max
    return (j0_ref * (c_e / c_e_ref) ** 0.5 * 2 * (sto * (1 - sto)) ** 0.5
            * arrhenius_factor(activation_energy_J_per_mol, T, reference_temperature_K,
                               exp=pybamm.exp))


def intercalation_diffusivity(D_ref: float, activation_energy_J_per_mol: float,
                              reference_temperature_K: float):
    """D(θ, T) = D_ref · exp[−E_a/R (1/T − 1/T_ref)] [m² s⁻¹] (independent of θ)."""

    return functools.partial(_intercalation_diffusivity, D_ref=D_ref,
                             activation_energy_J_per_mol=activation_energy_J_per_mol,
                             reference_temperature_K=reference_temperature_K)


def _intercalation_diffusivity(sto, T, *, D_ref: float, activation_energy_J_per_mol: float,
                               reference_temperature_K: float):
    return D_ref * arrhenius_factor(activation_energy_J_per_mol, T, reference_temperature_K,
                                    exp=pybamm.exp)


def element_groups(inventory: Inventory, mechanisms: Iterable[str],
                   ion: str | None = None) -> dict[str, tuple[str, ...]]:
    """The elements each ``{el}`` pattern runs over, for the active mechanisms.

    ``carrier_ion`` holds the simulated ion when it differs from the set's reference
    ion (its conversion-branch shift is read then).
    """
    mechs = set(mechanisms)
    return {
        "conversion": tuple(inventory.conversion) if "conversion" in mechs else (),
        "alloying": tuple(inventory.alloying) if "alloying" in mechs else (),
        "space_charge": tuple(inventory.space_charge) if "space_charge" in mechs else (),
        "carrier_ion": (ion,) if ion else (),
        "registry": registry_elements(),
    }


def registry_elements() -> tuple[str, ...]:
    """Element symbols (lower case) with element-resolved names in the registry."""
    from hemcell.params import registry

    stem = "conversion_capacity_"
    return tuple(k[len(stem):] for k in registry() if k.startswith(stem))


def anode_parameter_uses(
    mechanisms: Iterable[str],
    inventory: Inventory,
    cell: str = "half",
    ion: str | None = None,
    reference: str = "Li",
) -> dict[str, ParameterUse]:
    """Registry name → declaration of every parameter the anode model reads.

    Parameters
    ----------
    mechanisms
        Active mechanisms.
    inventory
        Elements per mechanism.
    cell
        ``"half"`` (adds the cut-offs and the metal counter electrode) or ``"full"``.
    ion
        Simulated carrier ion (``None``: the set's reference ion).
    reference
        The set's reference ion; another ``ion`` reads the carrier-ion values.
    """
    mechs = tuple(mechanisms)
    uses: list[ParameterUse] = [*ELECTRODE_PARAMETERS, *carriers.PARAMETERS]
    if "intercalation" not in mechs:
        uses += INITIAL_POTENTIAL_PARAMETERS
    if cell == "half":
        uses += [*HALF_CELL_PARAMETERS, *electrolytes.PARAMETERS]
    for m in MECHANISMS:
        if m in mechs:
            uses += MECHANISM_PARAMETERS[m]
    for m in MECHANISMS:
        if m in mechs:
            uses += INVENTORY_PARAMETERS.get(m, ())
    other_ion = ion is not None and ion != reference
    if other_ion:
        uses += carriers.ion_parameters(mechs)
    groups = element_groups(inventory, mechs, ion.lower() if other_ion and ion else None)
    return expand(uses, groups)


def _reader(recipe_name: str, mechanisms: Sequence[str], command: str) -> str:
    return f"`hemcell {command}` with {recipe_name} (mechanisms: {', '.join(mechanisms)})"


def check_overrides(
    overrides: Iterable[str] | Mapping[str, Any] | None,
    si: Mapping[str, Any],
    recipe_name: str,
    mechanisms: Sequence[str],
    inventory: Inventory,
    cell: str = "half",
    command: str = "cell run",
    also_reads: Iterable[str] = (),
) -> None:
    """Refuse (exit 2) a ``--set`` key the model and command do not read.

    Parameters
    ----------
    overrides
        ``KEY=VALUE`` strings or a mapping.
    si
        The set's SI values (after :func:`hemcell.cell.carriers.apply_carrier_ion`: the
        simulated and the reference ion decide whether the carrier-ion values are read).
    recipe_name, mechanisms, inventory, cell
        The model, as :func:`anode_parameter_uses`.
    command
        The command, for the message.
    also_reads
        Names the command itself reads besides the model (``cell cycle-life``: the LAM
        law).

    Raises
    ------
    InputError
        Naming the key, the model and the closest names it reads.
    """
    keys = override_keys(overrides)
    if not keys:
        return
    ion = si.get("_carrier_ion")
    ref = reference_ion(dict(si)) if "reference_ion_radius" in si else ion
    reads = [*anode_parameter_uses(mechanisms, inventory, cell, ion or ref, ref or "Li"),
             *also_reads]
    if ion is not None and ref is not None and ion != ref:
        replaced = [k for k in keys if k in carriers.ION_KEYS and k not in
                    carriers.REFERENCE_ION_READS]
        if replaced:
            k = replaced[0]
            raise InputError("--set", k, f"the {ion} value {k}_{ion.lower()}: with --ion "
                             f"{ion} the model reads it in place of {k}, the {ref} value",
                             hint=f"--set {k}_{ion.lower()}=... (setting {k} would change "
                             "nothing)")
    if cell == "full":
        for key in keys:
            hint = _FULL_CELL_HINTS.get("cathode_" if key.startswith("cathode_") else key)
            if hint and key not in reads:
                raise InputError("--set", key, f"a parameter {_reader(
                    recipe_name, mechanisms, command)} reads (--params is the anode's set)",
                    hint=hint)
    refuse_unread(keys, reads, _reader(recipe_name, mechanisms, command))


#: Why a full cell does not read a name a user sets, and how to change it instead.
_FULL_CELL_HINTS = {
    "anode_thickness": "a full cell sizes its anode to the recipe's n_p_ratio times the "
    "cathode's capacity: copy the recipe (models/*.yaml) with another n_p_ratio and pass "
    "its path as the recipe",
    "cathode_": "the cathode's values come from the recipe's `cathode:` set: write a set "
    "that `extends:` it with your values (docs/parameters.md) and name its path as the "
    "`cathode:` of a copy of the recipe",
}


def _number_list(value: Any) -> list[float]:
    return [float(v) for v in np.atleast_1d(value)]


def particle_fits(radius_m: float, thickness_m: float) -> bool:
    """Whether a particle of ``radius_m`` fits across an electrode ``thickness_m`` thick
    (2r ≤ L): a porous electrode holds many particles across its thickness (Newman &
    Thomas-Alyea, ch. 22); one wider than the electrode is no porous electrode."""
    return 2 * radius_m <= thickness_m


def check_particle_fits(radius_m: float, thickness_m: float, thickness_is: str) -> None:
    """Refuse an anode particle wider than its electrode (exit 2, naming
    ``anode_particle_radius``; :func:`particle_fits`): the solver met it as IDA_BAD_K
    (``--set anode_particle_radius=1m``).

    Parameters
    ----------
    radius_m, thickness_m
        Particle radius and electrode thickness [m].
    thickness_is
        What sets the thickness, for the message ("the anode thickness"; a full cell's
        anode is sized by its N/P ratio against the cathode's loading).
    """
    if not particle_fits(radius_m, thickness_m):
        raise InputError("anode_particle_radius", f"{radius_m:g} m",
                         f"at most half {thickness_is} ({thickness_m / 2:g} m): a particle "
                         "must fit in the electrode")


def pybamm_values(
    si: Mapping[str, Any],
    inventory: Inventory | None = None,
    base: str | None = "Xu2019",
    cell: str = "half",
    mechanisms: Sequence[str] = MECHANISMS,
    reader: str = "the HEM anode model",
) -> pybamm.ParameterValues:
    """PyBaMM parameter values of the HEM anode (half-cell naming).

    Parameters
    ----------
    si
        Registry name → SI value (``load_parameter_set(...).si``, after
        :func:`hemcell.cell.carriers.apply_carrier_ion`).
    inventory
        Elements per mechanism (default: inferred from ``si``).
    base
        PyBaMM set providing separator, electrolyte, Li-metal counter electrode, area.
    cell
        ``"half"``: the anode is PyBaMM's "positive" domain against the metal counter
        electrode. ``"full"``: the anode's entries only, still named as in the half-cell
        (:func:`hemcell.cell.full_cell.full_cell_values` moves them to the negative
        domain); the counter electrode and the half-cell cut-offs are not read.
    mechanisms
        Active mechanisms: only their parameters are read and written.
    reader
        The model, for the message naming missing values.

    Returns
    -------
    pybamm.ParameterValues

    Raises
    ------
    InputError
        Naming every parameter the model reads that the set does not give.
    """
    if cell not in ("half", "full"):
        raise InputError("cell", cell, "half or full")
    inv = inventory or inventory_from_si(si)
    mechs = tuple(m for m in MECHANISMS if m in mechanisms)
    ion = si.get("_carrier_ion")
    require_parameters(si, ["reference_ion_radius"], reader)
    ref_ion = reference_ion(dict(si))
    uses = anode_parameter_uses(mechs, inv, cell, ion or ref_ion, ref_ion)
    require_parameters(si, required(uses), reader)
    pv = pybamm.ParameterValues(base) if base else pybamm.ParameterValues({})
    ion = ion or ref_ion
    if ion != "Li":
        # the base sets (Xu2019) are Li half-cells: the ion's own electrolyte and metal
        # counter electrode replace theirs
        pv.update(electrolyte_values(ion), check_already_exists=False)
    D = "Positive"
    rho = si["anode_active_material_density"]
    T_amb, T_ref = si["ambient_temperature"], si["reference_temperature"]
    upd: dict[str, Any] = {
        # isothermal cell at the ambient temperature; rate constants apply at T_ref
        "Ambient temperature [K]": T_amb,
        "Initial temperature [K]": T_amb,
        "Reference temperature [K]": T_ref,
        f"{D} electrode porosity": si["anode_porosity"],
        f"{D} electrode active material volume fraction": si[
            "anode_active_material_volume_fraction"
        ],
        f"{D} particle radius [m]": si["anode_particle_radius"],
        f"{D} electrode conductivity [S.m-1]": si["anode_electronic_conductivity"],
        f"{D} electrode Bruggeman coefficient (electrolyte)": si["anode_bruggeman_coefficient"],
        f"{D} electrode Bruggeman coefficient (electrode)": si["anode_bruggeman_coefficient"],
        # hemcell anode names
        "Anode active material density [kg.m-3]": rho,
        "Anode double-layer capacity [F.m-2]": si["anode_double_layer_capacity"],
        "Anode double-layer relaxation time [s]": si["anode_double_layer_relaxation_time"],
    }
    if cell == "half":
        check_particle_fits(si["anode_particle_radius"], si["anode_thickness"],
                            "the anode thickness")
        upd.update(
            {
                f"{D} electrode thickness [m]": si["anode_thickness"],
                "Lower voltage cut-off [V]": si["lower_voltage_cutoff"],
                "Upper voltage cut-off [V]": si["upper_voltage_cutoff"],
                "Open-circuit voltage at 0% SOC [V]": si["lower_voltage_cutoff"],
                "Open-circuit voltage at 100% SOC [V]": si["upper_voltage_cutoff"],
            }
        )
        # metal counter electrode: Arrhenius on its exchange current
        upd[electrolytes.J0_METAL] = electrolytes.arrhenius_exchange_current(
            pv[electrolytes.J0_METAL], si["li_migration_activation_energy"], T_ref
        )
    if "intercalation" in mechs:
        c_e0 = pv["Initial concentration in electrolyte [mol.m-3]"]
        upd.update(_intercalation_values(si, D, c_e0))
    else:
        upd["Anode initial open-circuit potential [V]"] = si["anode_initial_open_circuit_potential"]
    if "conversion" in mechs:
        upd.update(_conversion_values(si, inv.conversion))
    if "alloying" in mechs:
        upd.update(_alloying_values(si, inv.alloying))
    if "space_charge" in mechs:
        upd.update(_space_charge_values(si, inv.space_charge, rho))
    if "irreversible" in mechs:
        upd.update(
            {
                "Anode irreversible capacity [C.kg-1]": max(si["irreversible_capacity"], 1e-9),
                "Anode irreversible onset potential [V]": si["irreversible_onset_potential"],
                "Anode irreversible exchange-current density [A.m-2]": si[
                    "irreversible_exchange_current_density"
                ],
                "Anode irreversible exchange-current activation energy [J.mol-1]": si[
                    "irreversible_exchange_current_activation_energy"
                ],
                "Anode irreversible charge transfer coefficient": si[
                    "irreversible_charge_transfer_coefficient"
                ],
                "Anode irreversible initial consumed fraction": 0.0,
            }
        )
    if "gel_sei" in mechs:
        upd.update(_gel_sei_values(si, inv.conversion if "conversion" in mechs else ()))
    pv.update(upd, check_already_exists=False)
    return pv


def _intercalation_values(si: Mapping[str, Any], D: str, c_e0: float) -> dict[str, Any]:
    """PyBaMM particle entries of the intercalation host (c_max from its capacity)."""
    c_max = max(si["intercalation_capacity"] * si["anode_active_material_density"]
                / FARADAY_C_PER_MOL, 1.0)
    th0 = si["intercalation_initial_stoichiometry"]
    T_ref, T_amb = si["reference_temperature"], si["ambient_temperature"]
    u_mid, slope = si["intercalation_ocp_midpoint"], si["intercalation_ocp_slope"]
    return {
        f"Maximum concentration in {D.lower()} electrode [mol.m-3]": c_max,
        f"Initial concentration in {D.lower()} electrode [mol.m-3]": th0 * c_max,
        f"{D} particle diffusivity [m2.s-1]": intercalation_diffusivity(
            si["intercalation_diffusivity"], si["intercalation_diffusivity_activation_energy"],
            T_ref,
        ),
        f"{D} electrode OCP [V]": intercalation_ocp(u_mid, slope, T_ref),
        f"{D} electrode OCP entropic change [V.K-1]": intercalation_entropic_change,
        f"{D} electrode exchange-current density [A.m-2]": intercalation_j0(
            si["intercalation_exchange_current_density"], c_e0,
            si["intercalation_exchange_current_activation_energy"], T_ref,
        ),
        # the potential the model starts from: U(θ₀) at the cell temperature
        "Anode initial open-circuit potential [V]": intercalation_ocp_value(
            u_mid, slope, th0, T_amb
        ),
        "Anode intercalation volume expansion": si["intercalation_volume_expansion"],
    }


def _conversion_values(si: Mapping[str, Any], elements: Sequence[str]) -> dict[str, Any]:
    upd: dict[str, Any] = {
        "Anode conversion exchange-current density [A.m-2]": si[
            "conversion_exchange_current_density"
        ],
        "Anode conversion exchange-current activation energy [J.mol-1]": si[
            "conversion_exchange_current_activation_energy"
        ],
        "Anode conversion product diffusivity [m2.s-1]": si["conversion_product_diffusivity"],
        "Anode conversion product diffusivity activation energy [J.mol-1]": si[
            "conversion_product_diffusivity_activation_energy"
        ],
        "Anode conversion charge transfer coefficient": si[
            "conversion_charge_transfer_coefficient"
        ],
        "Anode conversion volume expansion": si["conversion_volume_expansion"],
        "Anode conversion first-lithiation overpotential [V]": si[
            "conversion_first_lithiation_overpotential"
        ],
        # absent: sharp branches (hemcell.cell.mechanisms.conversion.PARAMETERS)
        "Anode conversion branch-potential spread [V]": si.get(
            "conversion_branch_potential_spread", 0.0
        ),
    }
    for el in elements:
        s = el.lower()
        upd.update(
            {
                f"Anode {el} conversion capacity [C.kg-1]": si[f"conversion_capacity_{s}"],
                f"Anode {el} conversion lithiation potential [V]": si[
                    f"conversion_lithiation_potential_{s}"
                ],
                f"Anode {el} conversion delithiation potential [V]": si[
                    f"conversion_delithiation_potential_{s}"
                ],
                f"Anode {el} conversion reversible fraction": si[
                    f"conversion_reversible_fraction_{s}"
                ],
                f"Anode {el} initial conversion extent": 0.0,
            }
        )
    return upd


def _alloying_values(si: Mapping[str, Any], hosts: Mapping[str, int]) -> dict[str, Any]:
    upd: dict[str, Any] = {
        "Anode alloying exchange-current density [A.m-2]": si["alloying_exchange_current_density"],
        "Anode alloying exchange-current activation energy [J.mol-1]": si[
            "alloying_exchange_current_activation_energy"
        ],
        "Anode alloying charge transfer coefficient": si["alloying_charge_transfer_coefficient"],
        # absent: sharp stages (hemcell.cell.mechanisms.alloying.PARAMETERS)
        "Anode alloying stage-potential spread [V]": si.get(
            "alloying_stage_potential_spread", 0.0
        ),
    }
    for el, n_st in hosts.items():
        s = el.lower()
        fr = _number_list(si[f"alloying_stage_fractions_{s}"])
        ul = _number_list(si[f"alloying_lithiation_potentials_{s}"])
        ud = _number_list(si[f"alloying_delithiation_potentials_{s}"])
        if not (len(fr) == len(ul) == len(ud) == n_st):
            raise InputError(
                f"alloying_*_{s}",
                f"{len(fr)}/{len(ul)}/{len(ud)} entries",
                "the same number of stage fractions, lithiation and delithiation "
                f"potentials ({n_st})",
            )
        upd[f"Anode {el} alloying capacity [C.kg-1]"] = si[f"alloying_capacity_{s}"]
        upd[f"Anode {el} alloying volume expansion"] = si[f"alloying_volume_expansion_{s}"]
        upd[f"Anode {el} initial metallic fraction"] = si[f"initial_metallic_fraction_{s}"]
        for m in range(n_st):
            upd[f"Anode {el} alloying stage {m + 1} capacity fraction"] = fr[m]
            upd[f"Anode {el} alloying stage {m + 1} lithiation potential [V]"] = ul[m]
            upd[f"Anode {el} alloying stage {m + 1} delithiation potential [V]"] = ud[m]
    return upd


def _gel_sei_values(si: Mapping[str, Any], converted: Sequence[str]) -> dict[str, Any]:
    """Entries of the reversible gel-like film (:mod:`hemcell.cell.mechanisms.gel_sei`)."""
    upd: dict[str, Any] = {
        "Anode gel-SEI areal capacity [C.m-2]": si["gel_sei_areal_capacity"],
        "Anode gel-SEI formation potential [V]": si["gel_sei_formation_potential"],
        "Anode gel-SEI decomposition potential [V]": si["gel_sei_decomposition_potential"],
        "Anode gel-SEI rate constant [s-1]": si["gel_sei_rate_constant"],
        "Anode gel-SEI rate activation energy [J.mol-1]": si["gel_sei_rate_activation_energy"],
        "Anode gel-SEI charge transfer coefficient": si["gel_sei_charge_transfer_coefficient"],
        "Anode metal nanoparticle diameter [m]": si["metal_nanoparticle_diameter"],
    }
    for el in converted:
        s = el.lower()
        upd[f"Anode {el} metal molar volume [m3.mol-1]"] = si[f"metal_molar_volume_{s}"]
        upd[f"Anode {el} electrons per metal atom"] = si[f"electrons_per_metal_atom_{s}"]
    return upd


def _space_charge_values(si: Mapping[str, Any], elements: Sequence[str],
                         rho: float) -> dict[str, Any]:
    space_charge_mech.check_physical_bounds(si, elements)
    upd: dict[str, Any] = {
        "Anode metal nanoparticle diameter [m]": si["metal_nanoparticle_diameter"],
        "Anode space-charge critical diameter [m]": si["space_charge_critical_diameter"],
        "Anode space-charge size-factor width [m]": si["space_charge_size_factor_width"],
        "Anode space-charge upper potential [V]": si["space_charge_upper_potential"],
        "Anode space-charge lower potential [V]": si["space_charge_lower_potential"],
        "Anode space-charge window smoothing [V]": si["space_charge_window_smoothing"],
        "Anode space-charge relaxation time [s]": si["space_charge_relaxation_time"],
    }
    for el in elements:
        s = el.lower()
        z_el = si[f"electrons_per_metal_atom_{s}"]
        upd.update(
            {
                # the set's flat-interface value at the particle's curvature
                f"Anode {el} space-charge areal capacitance [F.m-2]": (
                    space_charge_mech.effective_capacitance_F_per_m2(si, el)
                ),
                f"Anode {el} metal molar volume [m3.mol-1]": si[f"metal_molar_volume_{s}"],
                f"Anode {el} electrons per metal atom": z_el,
                # moles of the element per m3 of particle (from its conversion capacity,
                # which counts the element even when the conversion mechanism is off)
                f"Anode {el} metal content [mol.m-3]": (
                    rho * si[f"conversion_capacity_{s}"] / FARADAY_C_PER_MOL / z_el
                ),
                f"Anode {el} initial metallic fraction": si[f"initial_metallic_fraction_{s}"],
                f"Anode {el} spin polarisation": si[f"spin_polarization_{s}"],
            }
        )
    return upd


def load_si(
    name_or_path: str, overrides: list[str] | None = None, ion: str | None = None
) -> tuple[dict[str, Any], Any]:
    """Load and validate a parameter set; returns (SI dict, the ParameterSet).

    ``ion`` (``Li``/``Na``/``K``) rescales the kinetic, size and space-charge values, shifts
    the conversion branches and sets the alloy capacities for that carrier ion
    (:func:`hemcell.cell.carriers.apply_carrier_ion`); :func:`pybamm_values` then uses
    the ion's electrolyte and metal counter electrode (:mod:`hemcell.cell.electrolytes`).
    """
    from hemcell.cell.carriers import apply_carrier_ion
    from hemcell.params import load_parameter_set

    ps = load_parameter_set(name_or_path)
    if overrides:
        ps = ps.with_overrides(list(overrides))
    return apply_carrier_ion(dict(ps.si), ion), ps
