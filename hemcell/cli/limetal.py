"""``hemcell limetal``: lithium-metal cells with bare or HEA-coated Li (seed 004).

Mounted by :mod:`hemcell.cli`. Importing this module is light (no PyBaMM, no DOLFINx);
the commands import what they need. Quantities with units are given as text:
``--current-density 1mA/cm2``, ``--areal-capacity 1mAh/cm2``.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated, Any

import typer

from hemcell.cli.options import (
    NoPlotsOption,
    OutOption,
    OverwriteOption,
    SetOption,
    positive_floats,
)
from hemcell.errors import InputError
from hemcell.limetal.timetext import hours_text

app = typer.Typer(
    help="Li-metal cells, bare vs HEA-coated Li: Li||LFP rate and cycling, Li||Li, Li||Cu.",
    no_args_is_help=True,
)

_Anode = Annotated[str, typer.Option("--anode", help="bare | coated | both")]
_Kinetics = Annotated[str, typer.Option(
    "--kinetics", help="rct: Li i0 from the seed's 64/44 Ohm and the electrode area; "
                       "set: bare_li's li_exchange_current_density (Xu2019), coated Li "
                       "from it by the same 64/44 Ohm rule")]
_Focus = Annotated[bool, typer.Option(
    "--focusing-from-surface",
    help="Run the surface model at the cell's current density, temperature and Li i0 "
         "for the focusing factor (cached); default: the set's current_focusing_factor")]
_Metric = Annotated[str, typer.Option(
    "--focusing-metric",
    help="With --focusing-from-surface: max (max/mean, hot spot) | current-weighted")]


def _quantity(text: str, si_unit: str, option: str) -> float:
    """Parse ``1mA/cm2``-style text into SI, a positive value
    (:func:`hemcell.units.parse_quantity_text`, with its unit shorthand)."""
    from hemcell.units import parse_quantity_text, to_si

    value, unit = parse_quantity_text(text, option)
    if unit == "dimensionless":
        raise InputError(option, text, f"a number with a unit of dimension {si_unit}")
    si = to_si(value, unit, si_unit, option)
    if not si > 0:
        raise InputError(option, text, f"a positive value with a unit of dimension {si_unit} "
                         "(the test sets the direction)")
    return si


def _per_anode(s: dict) -> list[tuple[str, dict]]:
    """(anode, its results) for every anode of a run: the summary's top level holds the
    first anode's, ``by_anode`` each one's (``--anode both``: bare, then coated)."""
    by = s.get("by_anode") or {s["anode"]: {}}
    return [(a, {**s, **r}) for a, r in by.items()]


def _rates(text: str) -> list[float]:
    """The ``--c-rates`` list, each rate once: the results are keyed by the rate, so
    ``--c-rates 1,1`` ran one rate and said nothing of the other."""
    rates = positive_floats(text, "--c-rates", "0.1,0.5,1")
    if len(set(rates)) < len(rates):
        raise InputError("--c-rates", text, "each C-rate once, e.g. 0.1,0.5,1 (the "
                         "capacities are given per C-rate)")
    return rates


def _done(out: Path, summary: dict) -> None:
    typer.echo(f"results in {out}")


@app.command("rate")
def rate_cmd(
    out: OutOption,
    anode: _Anode = "coated",
    c_rates: Annotated[str, typer.Option("--c-rates", help="Comma-separated C-rates")]
    = "0.1,0.5,1,2,3,4",
    set_: SetOption = None,
    kinetics: _Kinetics = "rct",
    focusing_from_surface: _Focus = False,
    focusing_metric: _Metric = "max",
    overwrite: OverwriteOption = False,
    no_plots: NoPlotsOption = False,
) -> None:
    """Li||LFP rate capability: summary.json (discharge_capacity_mAh_per_g by C-rate),
    rate.png, rate_curves_<anode>.csv, run.json."""
    from hemcell.workflows import limetal as run

    s = run.rate(run.anode_list(anode), _rates(c_rates), out, set_ or (), kinetics,
                 focusing_from_surface, focusing_metric, plots_on=not no_plots)
    for a, r in _per_anode(s):
        for k, v in r["discharge_capacity_mAh_per_g"].items():
            typer.echo(f"{a} {k}C: {v:.1f} mAh/g")
    _done(out, s)


@app.command("cycle")
def cycle_cmd(
    out: OutOption,
    anode: _Anode = "coated",
    cycles: Annotated[int, typer.Option("--cycles", help="Number of cycles")] = 300,
    c_rate: Annotated[float, typer.Option("--c-rate", help="C-rate (1C = 170 mA/g)")] = 1.0,
    stride: Annotated[int, typer.Option(
        "--stride", help="Solve every n-th cycle (n cycles of loss per solve), 1 to --cycles; "
                   "1 = all")] = 1,
    high_loading: Annotated[bool, typer.Option(
        "--high-loading", help="LFP loading of the seed's high-loading cell (11.5 mg/cm2, "
                               "L121) instead of the standard one")] = False,
    cv_cutoff_c_rate: Annotated[float | None, typer.Option(
        "--cv-cutoff-c-rate", help="CC-CV charge: after the CC charge hold the upper cut-off "
        "until the current falls to this C-rate (0.05 = C/20, the usual Li||LFP end of "
        "charge). Default: CC charge only (the validated protocol)")] = None,
    set_: SetOption = None,
    kinetics: _Kinetics = "rct",
    focusing_from_surface: _Focus = False,
    focusing_metric: _Metric = "max",
    overwrite: OverwriteOption = False,
    no_plots: NoPlotsOption = False,
) -> None:
    """Li||LFP cycling with Li loss (SEI + dead Li) and interphase growth: capacity_retention,
    final_discharge_capacity_mAh_per_g, mean_coulombic_efficiency (cycles 1 to N; also
    first_cycle_coulombic_efficiency and mean_coulombic_efficiency_from_cycle_2), cycling.png."""
    from hemcell.workflows import limetal as run

    s = run.cycle(run.anode_list(anode), cycles, c_rate, out, set_ or (), stride, kinetics,
                  focusing_from_surface, focusing_metric, high_loading,
                  plots_on=not no_plots, cv_cutoff_c_rate=cv_cutoff_c_rate,
                  progress=lambda line: typer.echo(line, err=True))
    for a, r in _per_anode(s):
        dry = r["dry_out_cycle"]
        later = r["mean_coulombic_efficiency_from_cycle_2"]
        typer.echo(f"{a}: retention {r['capacity_retention']:.3f}, final "
                   f"{r['final_discharge_capacity_mAh_per_g']:.1f} mAh/g, mean CE "
                   f"{r['mean_coulombic_efficiency']:.5f} (cycles 1-{r['cycles']}; cycle 1 "
                   f"{r['first_cycle_coulombic_efficiency']:.5f} from the fully discharged "
                   "LFP" + ("" if later is None else
                            f", cycle{'s 2-' if r['cycles'] > 2 else ' '}{r['cycles']} "
                            f"{later:.5f}")
                   + ")"
                   + ("" if dry is None else f", stopped at cycle {dry}: {r['stop_reason']}"))
    _done(out, s)


_CURRENT_HELP = ("Current density of each plating and stripping half-cycle, with its unit "
                 "(1mA/cm2 = 10A/m**2)")
_CAPACITY_HELP = "Charge plated per half-cycle, with its unit (1mAh/cm2)"


@app.command("symmetric")
def symmetric_cmd(
    out: OutOption,
    anode: _Anode = "coated",
    current_density: Annotated[str | None, typer.Option(
        "--current-density", help=f"{_CURRENT_HELP}; default 1mA/cm2 (not with "
                                  "--rate-steps)")] = None,
    areal_capacity: Annotated[str, typer.Option(
        "--areal-capacity", help=_CAPACITY_HELP)] = "1mAh/cm2",
    hours: Annotated[float, typer.Option("--hours", help="Test duration [h]")] = 1000.0,
    rate_steps: Annotated[str | None, typer.Option(
        "--rate-steps", help="Stepped rate test: comma-separated current densities in "
                             "mA/cm2 (e.g. 0.2,0.5,1,2,3,5); replaces --current-density")] = None,
    cycles_per_step: Annotated[int | None, typer.Option(
        "--cycles-per-step", help="Cycles at each rate step (with --rate-steps; "
                                  "default 10)")] = None,
    set_: SetOption = None,
    kinetics: _Kinetics = "rct",
    focusing_from_surface: _Focus = False,
    focusing_metric: _Metric = "max",
    overwrite: OverwriteOption = False,
    no_plots: NoPlotsOption = False,
) -> None:
    """Li||Li symmetric cell: overpotential_mV per cycle, time_to_failure_h, symmetric.png;
    with --rate-steps the stepped rate test (failure_current_density_mA_per_cm2)."""
    from hemcell.workflows import limetal as run

    if not hours > 0:
        raise InputError("--hours", hours, "a test duration > 0 (hours)")
    steps = None
    if rate_steps is not None:  # each option of the other test was ignored without a word
        if current_density is not None:
            raise InputError("--current-density", current_density, "no --current-density "
                             "with --rate-steps (the steps are the current densities)",
                             hint="one test per run: drop one of the two options")
        steps = [10.0 * x for x in positive_floats(rate_steps, "--rate-steps", "0.2,0.5,1")]
    elif cycles_per_step is not None:
        raise InputError("--cycles-per-step", cycles_per_step,
                         "--cycles-per-step with --rate-steps (the stepped rate test)",
                         hint="a constant-current Li||Li test runs for --hours")
    s = run.symmetric(run.anode_list(anode),
                      _quantity(current_density or "1mA/cm2", "A/m**2", "--current-density"),
                      _quantity(areal_capacity, "C/m**2", "--areal-capacity"), hours, out,
                      set_ or (), kinetics, focusing_from_surface, focusing_metric,
                      steps, 10 if cycles_per_step is None else cycles_per_step,
                      plots_on=not no_plots)
    for a, r in _per_anode(s):
        ttf = r["time_to_failure_h"]
        at = r["failure_current_density_mA_per_cm2"]
        typer.echo(f"{a}: {r['initial_overpotential_mV']:.1f} -> "
                   f"{r['final_overpotential_mV']:.1f} mV, failure: "
                   + ("none" if ttf is None
                      else f"{hours_text(ttf)} at {at:g} mA/cm2 ({r['failure_reason']})"))
    _done(out, s)


@app.command("zn-symmetric")
def zn_symmetric_cmd(
    out: OutOption,
    anode: _Anode = "both",
    current_density: Annotated[str | None, typer.Option(
        "--current-density", help="default: the set's zn_symmetric_current_density")] = None,
    areal_capacity: Annotated[str | None, typer.Option(
        "--areal-capacity", help="default: the set's zn_symmetric_areal_capacity")] = None,
    set_: SetOption = None,
    overwrite: OverwriteOption = False,
    no_plots: NoPlotsOption = False,
) -> None:
    """Zn||Zn in aqueous ZnSO4 (zn_bare / zn_hem_coated): Coulombic efficiency
    (i - i_HER,plating)/(i + i_HER,stripping) (hydrogen evolution) and the life until the
    Zn foil is used up; zn_symmetric.png (Zn left over time, CE vs current density)."""
    from hemcell.workflows import zinc as run

    s = run.zn_symmetric(
        run.zn_anode_list(anode), out, set_ or (),
        None if current_density is None else _quantity(current_density, "A/m**2",
                                                       "--current-density"),
        None if areal_capacity is None else _quantity(areal_capacity, "C/m**2",
                                                      "--areal-capacity"),
        plots_on=not no_plots)
    for a, r in s["by_anode"].items():
        typer.echo(f"{a}: CE {100 * r['coulombic_efficiency']:.3f} %, "
                   f"inventory life {hours_text(r['life_h'])}")
    _done(out, s)


@app.command("nucleation")
def nucleation_cmd(
    out: OutOption,
    anode: _Anode = "coated",
    current_density: Annotated[str, typer.Option(
        "--current-density", help="Plating current density on Cu, with its unit "
                                  "(1mA/cm2 = 10A/m**2)")] = "1mA/cm2",
    areal_capacity: Annotated[str | None, typer.Option(
        "--areal-capacity", help="Plated capacity (default: the set's, 1 mAh/cm2)")] = None,
    set_: SetOption = None,
    kinetics: _Kinetics = "rct",
    overwrite: OverwriteOption = False,
    no_plots: NoPlotsOption = False,
) -> None:
    """First Li plating on Cu: nucleation_overpotential_mV, plateau_overpotential_mV,
    nucleation.png."""
    from hemcell.workflows import limetal as run

    q = None if areal_capacity is None else _quantity(areal_capacity, "C/m**2",
                                                      "--areal-capacity")
    s = run.nucleation(run.anode_list(anode),
                       _quantity(current_density, "A/m**2", "--current-density"), q, out,
                       set_ or (), kinetics, plots_on=not no_plots)
    for a, r in _per_anode(s):
        typer.echo(f"{a}: nucleation {r['nucleation_overpotential_mV']:.1f} mV, plateau "
                   + _plateau_text(r['plateau_overpotential_mV']))
    _done(out, s)


def _plateau_text(plateau_mV: float | None) -> str:
    """The cell's plateau overpotential as printed: in mV, or, when it is infinite (the
    steady salt difference across the separator reaches 2 c0: no steady plateau;
    summary.json holds null), why there is none (it printed "plateau inf mV" at -30 degC,
    where the extrapolated diffusivity is 9e-6 of its 298 K value)."""
    if plateau_mV is not None and math.isfinite(plateau_mV):
        return f"{plateau_mV:.1f} mV"
    return ("none (the salt at the plating surface runs out at this current: it is above "
            "the separator's steady limiting current; summary.json: null)")


@app.command("licu")
def licu_cmd(
    out: OutOption,
    anode: _Anode = "coated",
    cycles: Annotated[int, typer.Option(
        "--cycles", help="Plating/stripping cycles on Cu")] = 280,
    current_density: Annotated[str, typer.Option(
        "--current-density", help=_CURRENT_HELP)] = "2mA/cm2",
    areal_capacity: Annotated[str, typer.Option(
        "--areal-capacity", help=_CAPACITY_HELP)] = "1mAh/cm2",
    set_: SetOption = None,
    kinetics: _Kinetics = "rct",
    focusing_from_surface: _Focus = False,
    focusing_metric: _Metric = "max",
    overwrite: OverwriteOption = False,
    no_plots: NoPlotsOption = False,
) -> None:
    """Li||Cu cycling: mean_coulombic_efficiency, aurbach_coulombic_efficiency,
    overpotential_mV per cycle, licu.png."""
    from hemcell.workflows import limetal as run

    s = run.licu(run.anode_list(anode), _quantity(current_density, "A/m**2",
                                                  "--current-density"),
                 _quantity(areal_capacity, "C/m**2", "--areal-capacity"), cycles, out,
                 set_ or (), kinetics, focusing_from_surface, focusing_metric,
                 plots_on=not no_plots)
    for a, r in _per_anode(s):
        failed = ("" if r.get("failure_cycle") is None else
                  f", failure: cycle {r['failure_cycle']} of {cycles} at "
                  f"{hours_text(r['time_to_failure_h'])} ({r['failure_reason']})")
        typer.echo(f"{a}: mean CE {r['mean_coulombic_efficiency']:.4f}, Aurbach CE "
                   f"{r['aurbach_coulombic_efficiency']:.4f}{failed}")
    _done(out, s)


def _fit_overrides(fit: str, set_: list[str] | None, dry_run: bool) -> list[str]:
    """``--set`` overrides of a fit; refused unless ``--dry-run`` (a value fitted under
    changed assumptions must not land in the shared files), and refused for a key the
    fit's runs do not read."""
    if set_ and not dry_run:
        raise InputError("--set", set_, "only with --dry-run (the written value would not "
                         "match the files' other values)")
    from hemcell.workflows.limetal import check_fit_overrides

    check_fit_overrides(fit, set_)
    return list(set_ or ())


def _wrote(result: dict[str, Any]) -> None:
    """Echo the parameter files a fit wrote."""
    for f in result.get("written", []):
        typer.echo(f"wrote {f}")


@app.command("fit-rate")
def fit_rate_cmd(
    c_rates: Annotated[str, typer.Option("--c-rates", help="Calibration subset")] = "0.1,1,4",
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Fit without writing")] = False,
) -> None:
    """Fit the coated Li||LFP rate capability on a subset of C-rates; write the LFP values
    into both Li sets as calibrated."""
    from hemcell.workflows.limetal_fit import fit_rate

    r = fit_rate(_rates(c_rates), write=not dry_run)
    typer.echo(f"fitted {r['fitted']}; rms error {r['rms_error_mAh_per_g']:.3f} mAh/g")
    _wrote(r)


@app.command("fit-losses")
def fit_losses_cmd(
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Fit without writing")] = False,
) -> None:
    """Fit the shared Li-loss coefficient (coated Aurbach CE) and the dead-Li/SEI layer's
    Bruggeman exponent (bare Li||Li 570 h); write both into both sets as calibrated.
    Runs examples/fits/limetal_fit_losses_*.yaml through `hemcell fit`'s code path."""
    from hemcell.workflows.limetal_fit import fit_losses

    r = fit_losses(write=not dry_run)
    typer.echo(f"k_loss = {r['li_loss_overpotential_coefficient_per_V']:.4g} 1/V, b_dl = "
               f"{r['interphase_layer_bruggeman_coefficient']:.4g} (tortuosity factor "
               f"{r['tortuosity_factor']:.3g})")
    _wrote(r)


@app.command("fit-fade")
def fit_fade_cmd(
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Fit without writing")] = False,
    stride: Annotated[int, typer.Option(
        "--stride", help="Cycle stride of the fitting runs (1 = every cycle)")] = 1,
    set_: SetOption = None,
) -> None:
    """Fit the crosstalk coefficient (LFP sites deactivated per Li lost) to the coated
    Li||LFP retention (88 % after 300 cycles); write it into both sets as calibrated (bare
    is then a prediction). With --set (e.g. lfp_mass_loading=2 mg/cm**2) use --dry-run
    for a sensitivity study. Runs examples/fits/limetal_fit_fade.yaml through `hemcell
    fit`'s code path."""
    from hemcell.workflows.limetal_fit import fit_fade

    r = fit_fade(_fit_overrides("fit-fade", set_, dry_run), write=not dry_run, stride=stride,
                 progress=typer.echo)
    typer.echo(f"LFP deactivation {r['lfp_deactivation_per_lost_li']:.4g} mol/mol per lost Li "
               f"(retention {r['retention']:.4f}; {r['retention_without_crosstalk']:.4f} "
               "without crosstalk)")
    _wrote(r)


@app.command("fit-shuttle")
def fit_shuttle_cmd(
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Fit without writing")] = False,
    stride: Annotated[int, typer.Option(
        "--stride", help="Cycle stride of the fitting run (1 = every cycle)")] = 1,
    set_: SetOption = None,
) -> None:
    """Fit the shuttle charge per lost Li to the bare Li||LFP cell's mean CE (99.4 %);
    write it into both sets as calibrated (the coated CE is then a prediction). Runs
    examples/fits/limetal_fit_shuttle.yaml through `hemcell fit`'s code path."""
    from hemcell.workflows.limetal_fit import fit_shuttle

    r = fit_shuttle(_fit_overrides("fit-shuttle", set_, dry_run), write=not dry_run, stride=stride)
    typer.echo(f"shuttle charge {r['shuttle_charge_per_lost_li']:.4g} per unit of Li lost "
               f"(bare mean CE {r['mean_ce_without_shuttle']:.5f} without it -> "
               f"{r['target_mean_ce']:.4f})")
    _wrote(r)


@app.command("fit-nucleation")
def fit_nucleation_cmd(
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Fit without writing")] = False,
) -> None:
    """Fit each substrate's nucleation shape factor to its nucleation overpotential."""
    from hemcell.workflows.limetal_fit import fit_nucleation

    r = fit_nucleation(write=not dry_run)
    for a, v in r.items():
        typer.echo(f"{a}: shape factor {v['nucleation_shape_factor']:.4g} "
                   f"(contact angle {v['contact_angle_deg']:.1f} deg)")


@app.command("demo")
def demo_cmd(out: OutOption = Path("hemcell-output/limetal"),
             overwrite: OverwriteOption = False) -> None:
    """Bare vs coated side by side: rate, short cycling, symmetric, nucleation."""
    from hemcell.cli.demo_limetal import run_demo

    h = run_demo(out)  # its headline numbers, bare vs coated (it printed only the folder)
    for line in demo_lines(h):
        typer.echo(line)
    typer.echo(f"results in {out}")


def demo_lines(headline: dict[str, Any]) -> list[str]:
    """The demo's headline numbers, one line per test, bare and coated side by side."""
    def both(values: dict[str, Any], fmt: Any) -> str:
        return ", ".join(f"{a} {fmt(v)}" for a, v in values.items())

    rate = headline["rate_discharge_capacity_mAh_per_g"]
    top = max(next(iter(rate.values())), key=float)
    return [
        f"Li||LFP at {top}C: {both({a: v[top] for a, v in rate.items()}, lambda v: f'{v:.1f}')}"
        " mAh/g",
        "Li||LFP retention after 100 cycles: "
        + both(headline["capacity_retention_100_cycles"], lambda v: f"{100 * v:.1f} %"),
        "Li||Li at 1 mA/cm2, failure: " + both(headline["symmetric_time_to_failure_h"],
                                              lambda v: "none" if v is None
                                              else hours_text(v)),
        "Li on Cu, nucleation overpotential: "
        + both(headline["nucleation_overpotential_mV"], lambda v: f"{v:.1f} mV"),
    ]
