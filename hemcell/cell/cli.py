"""``hemcell cell``: simulate the multi-mechanism HEM anode (mounted by ``hemcell.cli``)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(
    help="Multi-mechanism high-entropy-material anode cells (PyBaMM).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


@app.command("run")
def run(
    recipe: Annotated[str, typer.Argument(help="Model recipe: name in models/ or a YAML path.")],
    params: Annotated[str, typer.Option("--params", help="Parameter set name or YAML path.")],
    protocol: Annotated[
        str,
        typer.Option(
            "--protocol",
            help="PyBaMM experiment steps separated by ';'. Currents may be per gram of "
            "active material, e.g. 'Discharge at 0.1 A/g until 0.01 V; Rest for 10 minutes; "
            "Charge at 0.1 A/g until 3 V'. Discharge lithiates the anode.",
        ),
    ],
    out: Annotated[Path, typer.Option("--out", help="Output folder (created if missing).")],
    mechanisms: Annotated[
        str | None,
        typer.Option(
            "--mechanisms",
            help="Comma-separated subset of: intercalation, "
            "conversion, alloying, space_charge, irreversible (default: the recipe's).",
        ),
    ] = None,
    set_: Annotated[
        list[str] | None, typer.Option("--set", help="KEY=VALUE parameter override (repeatable).")
    ] = None,
    cycles: Annotated[int, typer.Option("--cycles", help="Repeat the protocol N times.")] = 1,
    period: Annotated[
        str | None, typer.Option("--period", help="Output period per step, e.g. '30 seconds'.")
    ] = None,
) -> None:
    """Run a protocol on a HEM anode cell; write summary.json, timeseries.csv and figures."""
    from hemcell.cell.simulate import run_cell, write_outputs

    mechs = [m for m in mechanisms.split(",")] if mechanisms else None
    result = run_cell(
        recipe,
        params,
        protocol,
        mechanisms=mechs,
        overrides=set_ or [],
        cycles=cycles,
        period=period,
    )
    summary = write_outputs(result, out, command=sys.argv)
    dis = ", ".join(f"{q:.1f}" for q in summary["discharge_capacity_mAh_per_g"])
    cha = ", ".join(f"{q:.1f}" for q in summary["charge_capacity_mAh_per_g"])
    typer.echo(f"discharge capacity [mAh/g]: {dis}")
    typer.echo(f"charge capacity    [mAh/g]: {cha}")
    typer.echo(f"charge balance error: {summary['charge_balance_relative_error']:.2e}")
    typer.echo(
        f"wrote {out}/summary.json, timeseries.csv, voltage_profile.png, "
        "mechanism_contributions.png, dqdv.png"
    )


@app.command("recipes")
def recipes() -> None:
    """List the shipped model recipes."""
    from hemcell.cell.recipes import list_recipes, load_recipe

    for name in list_recipes():
        r = load_recipe(name)
        typer.echo(f"{name:40s} {r.geometry:4s} {','.join(r.mechanisms)}")


@app.command("crosscheck")
def crosscheck(
    out: Annotated[Path, typer.Option("--out", help="Output folder (created if missing).")],
    c_rate: Annotated[float, typer.Option("--c-rate", help="C-rate of the DFN comparison.")] = 1.0,
) -> None:
    """Numerical cross-checks: intercalation-only limit vs PyBaMM's DFN half-cells (Xu2019),
    and the single-particle reduction vs P2D at 0.02 A/g (HEO set)."""
    from hemcell.cell.crosscheck import run_crosschecks

    summary = run_crosschecks(out, c_rate=c_rate)
    for k, v in summary.items():
        if isinstance(v, float):
            typer.echo(f"{k}: {v:.4g}")
