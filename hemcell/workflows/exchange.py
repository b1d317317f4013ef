"""``hemcell params export --format pybamm|bpx-partial`` and ``hemcell params import``.

The formats themselves are written by :mod:`hemcell.params.export`; this module builds
the PyBaMM values each kind of set stands for:

- an anode set (kind ``anode``): the HEM half-cell's values, exactly as the models'
  ``default_parameter_values`` build them (:meth:`HEMHalfCell.parameter_values_for`:
  PyBaMM base set plus the anode, "Nominal cell capacity [A.h]" the anode's theoretical
  capacity, "Current function [A]" its 1C current); with ``cathode`` the full cell's;
- a Li‖LFP cell set (``bare_li``, ``azcnf_coated_li``): PyBaMM's ``pybamm_base``
  (Prada2013) with the set's values, sized as the Li‖LFP cell model sizes it
  (:func:`hemcell.limetal.halfcell.lfp_geometry`: thickness and capacity from the LFP
  loading and its 1C specific current);
- a cathode set (kind ``cathode``): the cathode half cell against its carrier's metal,
  exactly as ``cell run cathode_half_cell_*`` builds it
  (:func:`hemcell.cell.cathodes.half_cell_values`), for PyBaMM's
  ``lithium_ion.DFN({"working electrode": "positive"})`` (or SPM); ``bpx-partial`` writes
  its cathode, electrolyte and separator (:func:`cathode_bpx`; what BPX cannot hold:
  :data:`CATHODE_BPX_UNMAPPED`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hemcell.errors import InputError
from hemcell.params.export import (
    bpx_from_pybamm,
    bpx_to_parameter_set,
    write_bpx,
    write_pybamm_json,
)

FORMATS = ("si", "pybamm", "bpx-partial")
#: Why no set exports as a full BPX file (``--format bpx`` is refused with this).
BPX_REFUSAL = {
    "li_metal": "BPX has no lithium-metal electrode (its 'Negative electrode' is a porous "
                "particle electrode), so a Li-metal cell is no BPX file PyBaMM's "
                "ParameterValues.create_from_bpx loads (it needs both electrodes)",
    "anode": "BPX has no section for a multi-mechanism (conversion, alloying, "
             "space-charge) electrode",
    "cathode": "a cathode set runs against its carrier's metal, and BPX has no metal "
               "electrode (its 'Negative electrode' is a porous particle electrode), so the "
               "half cell is no BPX file PyBaMM's ParameterValues.create_from_bpx loads",
}
#: What a cathode set's BPX file (``bpx-partial``) cannot hold, and why; the values BPX
#: has no field for go to its ``User-defined`` section (:func:`cathode_bpx`).
CATHODE_BPX_UNMAPPED = {
    "carrier ion": "BPX is written for Li-ion cells and names no ion: a Na or K set's "
                   "numbers are written under BPX's names and are the Na or K cell's",
    "metal counter electrode": "BPX has no metal electrode: its exchange-rate constant and "
                               "molar volume are User-defined",
    "composition (molar mass, carrier sites, couples)": "BPX has no composition fields: "
                               "the OCP table is their result (the couples' U(theta) with "
                               "one-step walls); density, molar mass and sites are "
                               "User-defined",
    "exchange-current floor": "hemcell keeps theta one OCP-table step inside (0, 1) in "
                              "j0's filling factor; BPX's j0 = F k (c_e c_s (c_max - "
                              "c_s))^0.5 has no floor, so j0 differs within one step of "
                              "an empty or full particle",
    "cathode_volume_change": "BPX has no strain field (hemcell's summary strain)",
    "ambient_temperature": "BPX's State gives the initial temperature; hemcell's cell is "
                           "isothermal at it",
}


def _is_li_lfp_cell(pset: Any) -> bool:
    return "lfp_mass_loading" in pset.si and "li_electrode_area" in pset.si


def anode_values(pset: Any, cathode: str | None = None) -> Any:
    """PyBaMM values of the HEM half-cell (or full cell with ``cathode``) of an anode set."""
    from hemcell.cell.carriers import apply_carrier_ion
    from hemcell.cell.full_cell import HEMFullCell
    from hemcell.cell.mechanisms import MECHANISMS
    from hemcell.cell.model import HEMHalfCell
    from hemcell.cell.options import model_options
    from hemcell.cell.parameters import inventory_from_si

    si = apply_carrier_ion(dict(pset.si), None)
    inv = inventory_from_si(si)
    have = {"conversion": inv.conversion, "alloying": inv.alloying,
            "space_charge": inv.space_charge}
    mechs = [m for m in MECHANISMS if have.get(m, True)]
    if cathode:
        model = HEMFullCell(model_options(mechs, inv, cathode=cathode))
    else:
        model = HEMHalfCell(model_options(mechs, inv))
    return model.parameter_values_for(si)


def li_lfp_values(pset: Any, anode: str | None = None) -> tuple[Any, Any, Any]:
    """(PyBaMM values, geometry, Li-metal cell parameters) of a Li‖LFP cell set, sized as
    the Li‖LFP model does; ``anode`` ``bare`` | ``coated`` (default: coated if the set
    gives a coating thickness)."""
    from hemcell.limetal.halfcell import sized_values
    from hemcell.limetal.parameters import cell_parameters

    if anode is None:
        anode = "coated" if "coating_thickness" in pset.si else "bare"
    p = cell_parameters(pset, anode)
    values, geo = sized_values(p, pset)
    values.update({
        "Current function [A]": geo.current_1c_A,
        "Initial concentration in positive electrode [mol.m-3]":
            p.lfp_charged_stoichiometry * geo.c_max_mol_per_m3,
    }, check_already_exists=False)
    return values, geo, p


def cathode_set_values(pset: Any) -> Any:
    """PyBaMM values of a cathode set against its carrier's metal: the cathode half cell
    of ``cell run cathode_half_cell_*`` (:func:`hemcell.cell.cathodes.half_cell_values`),
    ``--set`` values applied, for ``lithium_ion.DFN({"working electrode": "positive"})``.

    The half cell's temperature is checked as ``cell run`` checks it
    (:func:`hemcell.cell.electrolytes.half_cell_temperature_warnings`: refused at or above
    the metal's melting point, a warning where the electrolyte tables hold no
    temperature dependence).

    Raises
    ------
    InputError
        A value the half cell reads is missing (all named); an ``ambient_temperature`` at
        which the counter electrode melts.
    """
    from hemcell.cell.cathodes import (
        CELL_PARAMETERS,
        PARAMETERS,
        cathode_carrier,
        half_cell_values,
        require_values,
    )
    from hemcell.cell.electrolytes import half_cell_temperature_warnings
    from hemcell.runinfo import report_warnings

    si = require_values(pset.name, dict(pset.si), (*PARAMETERS, *CELL_PARAMETERS),
                        "the cathode half cell")
    report_warnings(half_cell_temperature_warnings(cathode_carrier(si),
                                                   float(si["ambient_temperature"])))
    return half_cell_values(pset.name, si)


def cathode_bpx(pset: Any) -> dict[str, Any]:
    """The BPX ``Partial`` object of a cathode set's half cell: its cathode, electrolyte
    and separator (:func:`hemcell.params.export.bpx_from_pybamm` of
    :func:`cathode_set_values`), with the set's own OCP table (walls included), its
    window's stoichiometries as the minimum and maximum (θ where that table reaches the
    window's upper and lower cut-offs: inside its walls), both activation energies, and
    in ``User-defined`` the values BPX has no field for (:data:`CATHODE_BPX_UNMAPPED`)."""
    import numpy as np

    from hemcell.cell.cathodes import (
        cathode_carrier,
        initial_stoichiometry,
        ocp_table_with_walls,
    )
    from hemcell.cell.electrolytes import V_METAL, carrier_ion_data

    values = cathode_set_values(pset)
    si = pset.si
    ion = cathode_carrier(si)
    theta, volts = ocp_table_with_walls(si)  # U falls with θ: θ(U) on rising U
    window = [float(np.interp(float(si[f"cathode_{end}_cutoff_potential"]), volts[::-1],
                              theta[::-1])) for end in ("upper", "lower")]
    metal = carrier_ion_data()["ions"][ion]["counter_electrode"]
    user = {
        f"{ion} metal exchange-rate constant [m2.5.mol-0.5.s-1] (j0 = k F c_M^0.7 c_e^0.3)":
            float(metal["exchange_rate_constant"]["value"]),
        f"{ion} metal partial molar volume [m3.mol-1]": float(values[V_METAL]),
        "Positive electrode active material density [kg.m-3]":
            float(si["cathode_active_material_density"]),
        "Positive electrode molar mass [kg.mol-1]": float(si["cathode_molar_mass"]),
        "Positive electrode carrier sites per formula unit": float(
            si["cathode_carrier_sites_max"]),
        "Positive electrode initial stoichiometry": initial_stoichiometry(si),
    }
    unmapped = "; ".join(f"{k}: {v}" for k, v in CATHODE_BPX_UNMAPPED.items())
    return bpx_from_pybamm(
        values,
        title=f"hemcell {pset.name}: {ion}-ion cathode set vs {ion} metal (half cell)",
        description=f"{' '.join(pset.description.split())} Not held by BPX: {unmapped}.",
        references=_references(pset),
        capacity_Ah=float(values["Nominal cell capacity [A.h]"]),
        stoichiometry=(window[0], window[1]),
        user_defined=user,
        ocp_table=(theta, volts),
        positive_extra={
            "Diffusivity activation energy [J.mol-1]":
                si["cathode_diffusivity_activation_energy"],
            "Reaction rate constant activation energy [J.mol-1]":
                si["cathode_exchange_current_activation_energy"],
        },
    )


def _references(pset: Any) -> str:
    refs = []
    for key, ref in pset.references.items():
        text = ", ".join(str(ref.get(k)) for k in ("authors", "title", "journal", "year", "doi")
                         if ref.get(k))
        refs.append(f"[{key}] {text}")
    return "; ".join(refs)


def export_parameters(pset: Any, fmt: str, out: Path, cathode: str | None = None) -> Path:
    """Write ``pset`` as PyBaMM JSON (``<name>.pybamm.json``) or a BPX ``Partial`` file
    of a Li‖LFP cell's or a cathode set's half cell's cathode, electrolyte and separator
    (``<name>.bpx.json``).

    Raises
    ------
    InputError
        An unknown format; ``bpx`` (no set is a full BPX cell: :data:`BPX_REFUSAL`, the
        message names the formats that hold it); a set the format cannot hold
        (``bpx-partial``: Li‖LFP cell and cathode sets; ``pybamm``: anode, Li‖LFP cell and
        cathode sets); ``cathode`` with a set that is not an anode set.
    """
    if cathode and pset.kind != "anode":
        raise InputError("--cathode", cathode, "no --cathode for this set: it names the "
                         "cathode of an anode set's full cell",
                         hint=f"{pset.name} is exported as it runs"
                         + (" (a cathode set: vs its carrier's metal; its full cell is an "
                            f"anode set's: params export ANODE_SET --cathode {pset.name})"
                            if pset.kind == "cathode" else ""))
    if fmt == "bpx":
        kind = ("li_metal" if _is_li_lfp_cell(pset) else
                "cathode" if pset.kind == "cathode" else "anode")
        partial = ("; bpx-partial for the cathode, electrolyte and separator alone (bpx "
                   "validates it, hemcell params import reads it, PyBaMM does not)"
                   if kind != "anode" else "")
        raise InputError("--format", fmt,
                         f"pybamm ({pset.name}.pybamm.json: pybamm.ParameterValues."
                         f"from_json loads it) or si (parameters_si.json){partial}",
                         hint=BPX_REFUSAL[kind])
    if fmt not in FORMATS[1:]:
        from hemcell.errors import did_you_mean

        raise InputError("--format", fmt, ", ".join(FORMATS),
                         hint=did_you_mean(fmt.replace("_", "-"), FORMATS))
    if fmt == "pybamm":
        if pset.kind == "anode":
            values = anode_values(pset, cathode)
        elif pset.kind == "cathode":
            values = cathode_set_values(pset)
        elif _is_li_lfp_cell(pset):
            values = li_lfp_values(pset)[0]
        else:
            raise InputError("NAME", pset.name, "an anode set, a cathode set or a Li||LFP "
                             "cell set for --format pybamm")
        out.mkdir(parents=True, exist_ok=True)
        return write_pybamm_json(values, out / f"{pset.name}.pybamm.json")
    if pset.kind == "cathode":
        obj = cathode_bpx(pset)
        out.mkdir(parents=True, exist_ok=True)
        return write_bpx(obj, out / f"{pset.name}.bpx.json")
    if not _is_li_lfp_cell(pset):
        raise InputError("NAME", pset.name, "a Li||LFP cell set (bare_li, azcnf_coated_li) "
                         "or a cathode set for --format bpx-partial",
                         hint=BPX_REFUSAL["anode"])
    values, geo, p = li_lfp_values(pset)
    si = pset.si
    # the Li-metal electrode as the Li||LFP cell model carries it (hemcell.limetal)
    user = {
        "Lithium metal exchange-current density [A.m-2]": p.exchange_current_ref_A_per_m2,
        "Lithium metal transfer coefficient": si["li_transfer_coefficient"],
        "Lithium metal activation energy [J.mol-1]": p.activation_energy_J_per_mol,
        "Lithium metal electrode area [m2]": p.li_electrode_area_m2,
        "Lithium foil thickness [m]": p.li_foil_thickness_m,
        "Lithium metal partial molar volume [m3.mol-1]": p.li_molar_volume_m3_per_mol,
        "Coating thickness [m]": p.coating_thickness_m,
    }
    if p.coating_thickness_m > 0:
        user["Coating ionic conductivity [S.m-1]"] = p.coating_conductivity_S_per_m
    obj = bpx_from_pybamm(
        values,
        title=f"hemcell {pset.name}: Li metal || LFP cell",
        description=" ".join(pset.description.split()),
        references=_references(pset),
        capacity_Ah=geo.theoretical_capacity_Ah,
        stoichiometry=(float(si["lfp_charged_stoichiometry"]), None),
        user_defined=user,
    )
    out.mkdir(parents=True, exist_ok=True)
    return write_bpx(obj, out / f"{pset.name}.bpx.json")


def import_bpx(path: Path, out: Path) -> Path:
    """Write the hemcell parameter-set YAML of a BPX file (:func:`bpx_to_parameter_set`)."""
    import yaml

    data = bpx_to_parameter_set(path)
    out.mkdir(parents=True, exist_ok=True)  # only once the file was read: bad input writes nothing
    target = out / f"{data['name']}.yaml"
    target.write_text("# Imported from a BPX file by `hemcell params import`; values keep\n"
                      "# their BPX names and units, the file is their source.\n"
                      + yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    return target
