"""``hemcell cell``: simulate the multi-mechanism HEM anode (mounted by ``hemcell.cli``)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from hemcell.cli.options import (
    NoPlotsOption,
    OutOption,
    OverwriteOption,
    SetOption,
    number_list,
)

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
    out: OutOption,
    mechanisms: Annotated[
        str | None,
        typer.Option(
            "--mechanisms",
            help="Comma-separated subset of: intercalation, "
            "conversion, alloying, space_charge, irreversible, gel_sei (default: the recipe's).",
        ),
    ] = None,
    set_: SetOption = None,
    cycles: Annotated[int, typer.Option("--cycles", help="Repeat the protocol N times.")] = 1,
    period: Annotated[
        str | None, typer.Option("--period", help="Output period per step, e.g. '30 seconds'.")
    ] = None,
    ion: Annotated[
        str | None,
        typer.Option(
            "--ion",
            help="Carrier ion Li, Na or K: its electrolyte, metal counter electrode and "
            "conversion branches; its own kinetics, product sizes and space-charge bound "
            "(docs/anode.md).",
        ),
    ] = None,
    overwrite: OverwriteOption = False,
    no_plots: NoPlotsOption = False,
) -> None:
    """Run a protocol on a HEM anode cell, or on a cathode set vs its metal (recipes
    cathode_half_cell_*: --params names the cathode set); write summary.json,
    timeseries.csv and figures."""
    from hemcell.workflows.anode import run_cell, write_outputs
    from hemcell.workflows.cathode_half_cell import is_cathode_half_cell

    if is_cathode_half_cell(recipe):
        from hemcell.workflows.cathode_half_cell import run_cell, write_outputs

    mechs = mechanisms.split(",") if mechanisms is not None else None
    result = run_cell(
        recipe,
        params,
        protocol,
        mechanisms=mechs,
        overrides=set_ or [],
        cycles=cycles,
        period=period,
        ion=ion,
        progress=lambda line: typer.echo(line, err=True),
    )
    summary = write_outputs(result, out, command=sys.argv, plots_on=not no_plots)
    _echo_cathode_ion(summary, ion)
    _echo_absolute_currents(protocol, summary)
    dis = _numbers(summary["discharge_capacity_mAh_per_g"]) or ""
    cha = _numbers(summary["charge_capacity_mAh_per_g"]) or ""
    # per gram of the working electrode's active material: the anode's in a HEM full cell
    per = {"full": " of anode", "cathode_half": " of cathode",
           "hard_carbon_full": " of cathode"}.get(summary.get("cell"), "")
    typer.echo(f"discharge capacity [mAh/g{per}]: {dis}")
    typer.echo(f"charge capacity    [mAh/g{per}]: {cha}")
    _echo_other_electrode(summary, per)
    _echo_open_circuit(summary)
    typer.echo(f"charge balance error: {summary['charge_balance_relative_error']:.2e}")
    figures = "" if no_plots else ", voltage_profile.png, mechanism_contributions.png, dqdv.png"
    if summary.get("cell") in ("cathode_half", "hard_carbon_full"):
        figures = "" if no_plots else ", voltage_profile.png, couple_contributions.png"
    typer.echo(f"wrote {out}/summary.json, run.json, timeseries.csv, timeseries.nc{figures}")


def _numbers(values: list, digits: int = 1) -> str | None:
    """``'165.8, 160.2'`` of a per-cycle list, ``None`` when it holds no number."""
    if not values or all(v is None for v in values):
        return None
    return ", ".join("n/a" if v is None else f"{v:.{digits}f}" for v in values)


def _echo_other_electrode(summary: dict, per: str) -> None:
    """A full cell's capacities per gram of the other electrode's active material and its
    discharge energy per kg of active material (summary keys of
    hemcell.cell.analysis.electrode_specific_capacities; absent for half cells)."""
    for side in ("cathode", "anode"):
        if side in per:
            continue
        for what, pad in (("discharge", ""), ("charge", "   ")):
            text = _numbers(summary.get(f"{what}_capacity_mAh_per_g_{side}", []))
            if text is not None:
                typer.echo(f"{what} capacity {pad}[mAh/g of {side}]: {text}")
    for key, label in (("discharge_energy_Wh_per_kg_cathode", "cathode active material"),
                       ("discharge_energy_Wh_per_kg_electrodes",
                        "both electrodes' active material")):
        text = _numbers(summary.get(key, []))
        if text is not None:
            typer.echo(f"discharge energy [Wh/kg of {label}]: {text}")


def _echo_open_circuit(summary: dict) -> None:
    """A hard-carbon full cell's first cycle at vanishing current over the set's window
    (summary ``hard_carbon.open_circuit_*``, hemcell.cell.hard_carbon.open_circuit_cycle):
    what a run over the same window lost against it is polarisation."""
    hc = summary.get("hard_carbon", {})
    if "open_circuit_charge_mAh_per_g" in hc:
        lo, hi = hc["open_circuit_window_V"]
        typer.echo(f"open-circuit first cycle {lo:g}-{hi:g} V [mAh/g of cathode]: "
                   f"charge {hc['open_circuit_charge_mAh_per_g']:.1f}, "
                   f"discharge {hc['open_circuit_discharge_mAh_per_g']:.1f}")


def _echo_absolute_currents(protocol: str, summary: dict) -> None:
    """Say which active mass absolute currents (mA) act on: the model's, not the user's."""
    from hemcell.cell.protocols import absolute_currents

    found = absolute_currents(protocol)
    mass_g = summary.get("active_mass_g")
    if found and mass_g:
        typer.echo(f"note: absolute currents ({', '.join(found)}) act on the model's "
                   f"{mass_g * 1e3:.4g} mg of active material; for a cell of another mass "
                   "give A/g or a C-rate")


def _echo_cathode_ion(summary: dict, ion: str | None) -> None:
    """Say which carrier ion a full cell took from its cathode set when --ion was not
    given (hemcell.workflows.anode.cathode_carrier_ion)."""
    if ion is None and summary.get("cell") == "full" and summary.get("carrier_ion") != "Li":
        typer.echo(f"carrier ion {summary['carrier_ion']}: the one the cathode set "
                   f"{summary['cathode']} carries (--ion not given)")


@app.command("cv")
def cv(
    recipe: Annotated[
        str, typer.Argument(help="Half-cell recipe: name in models/ or a YAML path.")
    ],
    params: Annotated[str, typer.Option("--params", help="Parameter set name or YAML path.")],
    out: OutOption,
    scan_rates: Annotated[
        str, typer.Option("--scan-rates", help="Scan rates in mV/s, comma-separated.")
    ] = "0.1,0.2,0.5,1,2",
    window: Annotated[
        str, typer.Option("--window", help="V_low,V_high of the sweep [V].")
    ] = "0.01,3.0",
    cycles: Annotated[
        int, typer.Option("--cycles", help="CV cycles; the analyses use the last one.")
    ] = 2,
    at_voltage: Annotated[
        float | None,
        typer.Option("--at-voltage", help="Take the b-value at this voltage instead of the peaks."),
    ] = None,
    mechanisms: Annotated[
        str | None,
        typer.Option("--mechanisms", help="Comma-separated subset of the mechanisms."),
    ] = None,
    set_: SetOption = None,
    ion: Annotated[str | None, typer.Option("--ion", help="Carrier ion Li, Na or K.")] = None,
    mesh: Annotated[
        list[str] | None,
        typer.Option("--mesh", help="Mesh points, e.g. r_p=100 (repeatable; default: recipe's)."),
    ] = None,
    overwrite: OverwriteOption = False,
    no_plots: NoPlotsOption = False,
) -> None:
    """Cyclic voltammetry: b-values (i = a v^b), capacitive fraction (k1 v + k2 v^1/2) and
    each mechanism's true share; writes summary.json, cv.csv, cv.png, b_value.png."""
    from hemcell.workflows.anode_cv import check_at_voltage, run_cv, write_cv_outputs

    rates = number_list(scan_rates, "--scan-rates", "0.1,0.2,0.5")
    lo, hi = number_list(window, "--window", "0.01,3.0", count=2, positive=False)
    check_at_voltage(at_voltage, (lo, hi))
    mechs = mechanisms.split(",") if mechanisms is not None else None
    mesh_pts = {}
    for item in mesh or []:
        key, _, val = item.partition("=")
        if not key.strip() or not val.strip().isdigit():
            from hemcell.errors import InputError

            raise InputError("--mesh", item, "NAME=INTEGER, e.g. r_p=100")
        mesh_pts[key.strip()] = int(val)
    res = run_cv(recipe, params, rates, (lo, hi), cycles, mechs, set_ or [], ion=ion,
                 mesh=mesh_pts, progress=lambda line: typer.echo(line, err=True))
    s = write_cv_outputs(res, out, at_voltage=at_voltage, command=sys.argv,
                         plots_on=not no_plots)
    b = s["b_value"]
    fmt = lambda x: "n/a" if x is None else f"{x:.3f}"  # noqa: E731
    typer.echo(f"b-value: cathodic {fmt(b.get('cathodic'))}, anodic {fmt(b.get('anodic'))}")
    cf = ", ".join(fmt(x) for x in s["capacitive_fraction"])
    tc = ", ".join(fmt(x) for x in s["true_capacitive_fraction"])
    typer.echo(f"capacitive fraction (k1/k2): {cf}")
    typer.echo(f"true capacitive share:       {tc}")
    for warning in [*s["b_value_warnings"], *s["capacitive_fraction_warnings"]]:
        typer.echo(f"warning: {warning}", err=True)
    typer.echo(f"wrote {out}/summary.json, run.json, cv.csv"
               + ("" if no_plots else ", cv.png, b_value.png"))


@app.command("cycle-life")
def cycle_life(
    recipe: Annotated[
        str, typer.Argument(help="Half-cell recipe: name in models/ or a YAML path.")
    ],
    params: Annotated[str, typer.Option("--params", help="Parameter set name or YAML path.")],
    protocol: Annotated[
        str,
        typer.Option(
            "--protocol",
            help="One cycle, e.g. 'Discharge at 1 A/g until 0.01 V; Charge at 1 A/g until 3 V'; "
            "per-gram currents refer to the initial active mass.",
        ),
    ],
    out: OutOption,
    cycles: Annotated[int, typer.Option(
        "--cycles", help="Last cycle, numbered as `cell run` numbers them (cycle 1: the "
        "formation cycle; at least 2).")],
    report: Annotated[
        str, typer.Option("--report-cycles", help="Cycles to report in summary.json.")
    ] = "",
    tolerance: Annotated[
        float,
        typer.Option("--tolerance", help="Largest change of the active fraction per cycle jump."),
    ] = 0.02,
    set_: SetOption = None,
    ion: Annotated[str | None, typer.Option("--ion", help="Carrier ion Li, Na or K.")] = None,
    overwrite: OverwriteOption = False,
    no_plots: NoPlotsOption = False,
) -> None:
    """Capacity over many cycles with strain-driven loss of active material (cycle-resolved:
    the full model every few cycles, docs/anode.md); writes summary.json, cycle_life.csv,
    cycle_life.png."""
    from hemcell.workflows.anode_cycle_life import (
        check_report_cycles,
        run_cycle_life,
        write_cycle_life_outputs,
    )

    report_cycles = (check_report_cycles(number_list(report, "--report-cycles", "70,1000,2500"),
                                         cycles) if report else [])
    res = run_cycle_life(
        recipe, params, protocol, cycles, set_ or [], ion=ion, tol=tolerance, progress=typer.echo
    )
    s = write_cycle_life_outputs(res, out, report_cycles, command=sys.argv,
                                 plots_on=not no_plots)
    if s["active_material_used_up_at_cycle"] is not None:
        typer.echo(f"active material used up at cycle {s['active_material_used_up_at_cycle']}"
                   " (no active material left)")
    for n, r in s["retention_at_cycle"].items():
        q = s["charge_capacity_at_cycle_mAh_per_g"][n]
        typer.echo(f"cycle {n}: " + ("n/a" if q is None or r is None
                                     else f"{q:.1f} mAh/g, retention {r:.3f}"))
    typer.echo(f"wrote {out}/summary.json, run.json, cycle_life.csv"
               + ("" if no_plots else ", cycle_life.png"))


@app.command("recipes")
def recipes() -> None:
    """List the shipped model recipes."""
    from hemcell.cell.recipes import list_recipes, load_recipe

    for name in list_recipes():
        r = load_recipe(name)
        typer.echo(f"{name:40s} {r.geometry:4s} {','.join(r.mechanisms)}")


@app.command("crosscheck")
def crosscheck(
    out: OutOption,
    c_rate: Annotated[float, typer.Option("--c-rate", help="C-rate of the DFN comparison.")] = 1.0,
    overwrite: OverwriteOption = False,
) -> None:
    """Numerical cross-checks: intercalation-only limit vs PyBaMM's DFN half-cells (Xu2019),
    and the single-particle reduction vs P2D at 0.02 A/g (HEO set)."""
    from hemcell.workflows.anode_crosscheck import run_crosschecks

    summary = run_crosschecks(out, c_rate=c_rate)
    for k, v in summary.items():
        if isinstance(v, float):
            typer.echo(f"{k}: {v:.4g}")


@app.command("crosscheck-na")
def crosscheck_na(
    out: OutOption,
    c_rate: Annotated[float, typer.Option("--c-rate", help="C-rate of the discharge "
                                          "(of Chayambuka's 3 mAh).")] = 0.5,
    overwrite: OverwriteOption = False,
    no_plots: NoPlotsOption = False,
) -> None:
    """Cross-check of the hard carbon ‖ cathode-set Na cell against PyBaMM's
    sodium_ion.BasicDFN with Chayambuka2022 (hard carbon | NVPF), discharged from the
    charged state to 2.0 V."""
    from hemcell.workflows.cathode_crosscheck import run_crosscheck

    summary = run_crosscheck(out, c_rate=c_rate, command=sys.argv, plots_on=not no_plots)
    for k, v in summary.items():
        if isinstance(v, float):
            typer.echo(f"{k}: {v:.4g}")
