"""``hemcell composition FORMULA``: the mechanism inventory of a high-entropy material.

``--role anode`` (default): conversion/alloying inventory (:mod:`hemcell.materials.inventory`);
``--role cathode``: intercalation-cathode inventory with redox couples and a voltage window
(:mod:`hemcell.materials.cathode`); ``--review TABLE --out DIR``: the cathode inventory of
every row of the sodium-ion review's tables against their reported initial capacity.

Mounted by :mod:`hemcell.cli` as a single command (``app`` is a plain function). Heavy
imports (periodictable, the parameter machinery) happen inside the command.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from hemcell.cli.options import OutOption, OverwriteOption


def composition(
    formula: Annotated[str | None, typer.Argument(
        help="Formula, e.g. '(Mg0.2Co0.2Ni0.2Cu0.2Zn0.2)O', '(LiFeZnNiCoMn)3O4', InGeSiP3; "
             "cathodes carrier first: 'Na2/3Li1/6Fe1/6Co1/6Ni1/6Mn1/3O2', "
             "'Na1.19(Fe0.2Mn0.2Ni0.2Cu0.2Co0.2)[Fe(CN)6]0.79□0.21·1.16H2O'.")] = None,
    ion: Annotated[str | None, typer.Option(
        "--ion", help="Carrier ion: Li, Na or K (default Li for anodes; for cathodes the "
                "formula's carrier, LiNiO2: Li).")] = None,
    role: Annotated[str, typer.Option(
        "--role", help="anode (conversion/alloying inventory) or cathode (redox couples).")
    ] = "anode",
    window: Annotated[str | None, typer.Option(
        "--window", help="Cathode voltage window LO,HI in V vs the carrier's metal, e.g. "
                         "2.0,4.2: adds the first-discharge capacity inside it.")] = None,
    review: Annotated[str | None, typer.Option(
        "--review", help="Cathode review table instead of a formula: layered, pba, polyanion "
                         "or all (needs --out).")] = None,
    out: Annotated[Path | None, OutOption.__metadata__[0]] = None,
    overwrite: OverwriteOption = False,
    oxidation: Annotated[str | None, typer.Option(
        "--oxidation", help="Impose oxidation states, e.g. Fe=3,Co=2 (anions too: S=-1).")] = None,
    inactive: Annotated[str | None, typer.Option(
        "--inactive", help="Elements structural in this material, e.g. Zn,Mn.")] = None,
    json_: Annotated[bool, typer.Option(
        "--json", help="Print only the JSON keys: molar mass, entropy per sublattice, "
                       "entropy class, roles, capacities.")] = False,
    write_params: Annotated[Path | None, typer.Option(
        "--write-params", metavar="FILE",
        help="Write a starting anode parameter set (YAML) for this composition.")] = None,
) -> None:
    """Composition -> inventory: entropy, element roles or redox couples, capacities.

    Capacities are Faraday limits Q = n F / (3.6 M) per gram of material as written.
    Anodes: conversion from charge-balanced oxidation states, alloying from the final
    alloy phase with the chosen ion (seed 000's element planes). Cathodes (--role
    cathode): carrier limit, redox limit of the sourced couples, and the first discharge
    inside --window (docs/cathodes.md).
    """
    from hemcell.errors import InputError

    if role not in ("anode", "cathode"):
        raise InputError("--role", role, "anode or cathode")
    if review is not None:
        _review(review, formula, out)
        return
    if formula is None:
        raise InputError("FORMULA", "nothing", "a formula (or --review TABLE --out DIR)")
    if out is not None:
        raise InputError("--out", str(out), "only with --review")
    if role == "cathode":
        for name, value in (("--oxidation", oxidation), ("--inactive", inactive),
                            ("--write-params", write_params)):
            if value is not None:
                raise InputError(name, str(value), "nothing with --role cathode (couples and "
                                                   "pillars come from couples.yaml)")
        if ion is None:
            from hemcell.materials.cathode import formula_carrier

            ion = formula_carrier(formula)
        _cathode(formula, ion, window, json_)
        return
    if window is not None:
        raise InputError("--window", window, "only with --role cathode")
    ion = ion or "Li"
    from hemcell.materials.inventory import composition_inventory, json_summary

    if write_params is not None:
        from hemcell.cli.options import check_out_file
        from hemcell.materials.paramset import check_output_path

        check_output_path(write_params)
        check_out_file(write_params, "--write-params", overwrite)
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


def _cathode(formula: str, ion: str, window: str | None, json_: bool) -> None:
    from hemcell.materials.cathode import JSON_KEYS, cathode_inventory
    from hemcell.materials.inventory import json_summary

    inv = cathode_inventory(formula, ion=ion, window=window, strict=True)
    if json_:
        typer.echo(json.dumps(json_summary(inv, keys=JSON_KEYS), indent=2))
        return
    q = inv["capacity_mAh_per_g"]
    lines = [
        f"{inv['formula']}  ({inv['structure']} cathode, {inv['ion']}+ carrier)",
        f"  molar mass        {inv['molar_mass_g_per_mol']:.3f} g/mol"
        + (f" (incl. {inv['crystal_water_per_formula_unit']:g} H2O)"
           if inv["crystal_water_per_formula_unit"] else ""),
        "  oxidation states  " + ", ".join(f"{el} {s:+.4g}" for el, s in
                                          inv["oxidation_states"].items()),
        "  entropy (R)       " + ", ".join(f"{k} {v:.3f}" for k, v in
                                          inv["config_entropy_per_R"].items())
        + f"; classed (without carrier) {inv['config_entropy_total_per_R']:.3f} -> "
          f"{inv['entropy_class']}",
        "  pillars           " + (", ".join(f"{el}{p['state']:+g}" for el, p in
                                           inv["pillars"].items()) or "none"),
        "  couples           " + "; ".join(
            f"{c['couple']} {c['electrons_per_formula_unit']:.3g} e {c['range_V'][0]:g}-"
            f"{c['range_V'][1]:g} V" for c in inv["couples"]),
        f"  capacity (mAh/g)  carrier limit {q['carrier_limit']:.1f}, redox limit "
        f"{q['redox_limit']:.1f}"
        + ("" if q["window"] is None else
           f", window {inv['window']['window_V'][0]:g}-{inv['window']['window_V'][1]:g} V: "
           f"first charge {q['window_first_charge']:.1f}, first discharge {q['window']:.1f} "
           f"(active: {', '.join(inv['active_couples'])})"),
    ]
    lines += [f"  flag: {f}" for f in inv["flags"]]
    lines += [f"  note: {n}" for n in inv["notes"]]
    typer.echo("\n".join(lines))


def _review(table: str, formula: str | None, out: Path | None) -> None:
    """Predict every row of one review table (or all) and write summary.json (+ figure)."""
    from hemcell.errors import InputError
    from hemcell.materials.cathode import (
        REVIEW_TABLES,
        REVIEW_TOLERANCE_RELATIVE,
        plot_review_comparison,
        review_predictions,
    )
    from hemcell.runinfo import write_json

    if formula is not None:
        raise InputError("FORMULA", formula, "no formula with --review (the table has them)")
    tables = REVIEW_TABLES if table == "all" else (table,)
    if table != "all" and table not in REVIEW_TABLES:
        raise InputError("--review", table, f"one of {', '.join(REVIEW_TABLES)} or all")
    if out is None:
        raise InputError("--out", "nothing", "an output folder for summary.json")
    results = {t: review_predictions(t) for t in tables}
    summary = results[table] if table != "all" else {
        "tables": results, "rows": {k: v for r in results.values() for k, v in r["rows"].items()}}
    write_json(out / "summary.json", summary)
    figure = plot_review_comparison(out / "cathode_capacity_vs_review.png", results,
                                    tolerance=REVIEW_TOLERANCE_RELATIVE)
    for t, r in results.items():
        for rid, row in r["rows"].items():
            pred = row.get("predicted_mAh_per_g")
            shown = "—" if pred is None else f"{pred:.1f}"
            typer.echo(f"{rid}  {t:9s}  reported {row['reported_mAh_per_g']:6.1f}  predicted "
                       f"{shown:>6s}  {row['status']}")
    typer.echo(f"wrote {out / 'summary.json'} and {figure}")


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
