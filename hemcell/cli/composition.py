"""``hemcell composition FORMULA``: the mechanism inventory of a high-entropy material.

Mounted by :mod:`hemcell.cli` as a single command (``app`` is a plain function). Heavy
imports (periodictable, the parameter machinery) happen inside the command.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer


def composition(
    formula: Annotated[str, typer.Argument(
        help="Formula, e.g. '(Mg0.2Co0.2Ni0.2Cu0.2Zn0.2)O', '(LiFeZnNiCoMn)3O4', InGeSiP3.")],
    ion: Annotated[str, typer.Option("--ion", help="Carrier ion: Li, Na or K.")] = "Li",
    oxidation: Annotated[str | None, typer.Option(
        "--oxidation", help="Impose oxidation states, e.g. Fe=3,Co=2 (anions too: S=-1).")] = None,
    inactive: Annotated[str | None, typer.Option(
        "--inactive", help="Elements structural in this material, e.g. Zn,Mn.")] = None,
    json_: Annotated[bool, typer.Option(
        "--json", help="Print the issue-4 JSON keys only (molar mass, entropy per sublattice, "
                       "entropy class, roles, capacities).")] = False,
    write_params: Annotated[Path | None, typer.Option(
        "--write-params", metavar="FILE",
        help="Write a starting anode parameter set (YAML) for this composition.")] = None,
) -> None:
    """Composition -> mechanism inventory: entropy, element roles, theoretical capacities.

    Capacities are Faraday limits Q = n F / (3.6 M) per gram of pristine material:
    conversion from charge-balanced oxidation states, alloying from the final alloy phase
    with the chosen ion. Element roles follow seed 000's element planes.
    """
    from hemcell.materials.inventory import composition_inventory, json_summary

    if write_params is not None:
        from hemcell.materials.paramset import check_output_path

        check_output_path(write_params)
    inv = composition_inventory(formula, ion=ion, oxidation=oxidation, inactive=inactive)
    written = None
    if write_params is not None:
        from hemcell.materials.paramset import write_parameter_set

        written = write_parameter_set(inv, write_params)
    if json_:
        typer.echo(json.dumps(json_summary(inv), indent=2))
    else:
        typer.echo(_report(inv))
    if written is not None:
        typer.echo(f"wrote {written}", err=json_)


def _report(inv: dict) -> str:
    q = inv["capacity_mAh_per_g"]
    lines = [
        f"{inv['formula']}  ({inv['ion']}+ carriers, ionic radius {inv['ionic_radius_nm']} nm)",
        f"  molar mass        {inv['molar_mass_g_per_mol']:.3f} g/mol",
        "  oxidation states  " + ", ".join(f"{el} {s:+.4g}" for el, s in
                                          inv["oxidation_states"].items())
        + f"  [{inv['oxidation_rule']}]",
        "  entropy (R)       " + ", ".join(f"{k} {v:.3f}" for k, v in
                                          inv["config_entropy_per_R"].items())
        + f"; total {inv['config_entropy_total_per_R']:.3f} -> {inv['entropy_class']}",
        "  roles             " + "; ".join(f"{el}: {'+'.join(r)}" for el, r in
                                          inv["roles"].items()),
    ]
    if inv["alloy_phases"]:
        lines.append("  alloy phases      " + ", ".join(f"{el} -> {p}" for el, p in
                                                     inv["alloy_phases"].items()))
    if inv["space_charge_order"]:
        lines.append("  space charge      " + " > ".join(inv["space_charge_order"]))
    lines.append(f"  capacity (mAh/g)  conversion {q['conversion']:.1f}, alloying "
                 f"{q['alloying']:.1f}, total {q['total']:.1f}")
    lines += [f"  note: {n}" for n in inv["notes"]]
    return "\n".join(lines)


app = composition
