"""The ``hemcell`` command line.

Conventions shared by every command:

- simulation commands take ``--out DIR`` and write ``summary.json``/``metrics.json``,
  data files, PNG figures and ``run.json`` (see :mod:`hemcell.runinfo`);
- ``--set KEY=VALUE`` overrides a parameter with units, validated like a file;
- errors print one line (plus a hint) and exit with 2 for bad input, 1 for a failed
  simulation; ``hemcell --debug ...`` shows the traceback instead.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from hemcell.cli.options import OutOption, OverwriteOption, SetOption
from hemcell.errors import HemcellError

app = typer.Typer(
    name="hemcell",
    help="Continuum simulation of batteries made of high-entropy materials.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
params_app = typer.Typer(help="Parameter sets: list, show, check.", no_args_is_help=True)
app.add_typer(params_app, name="params")

_STATE = {"debug": False}
_CORE_COMMANDS = ("params", "demo", "validate", "bench")

# Sub-command groups that live in their own packages; each module defines ``app``.
_SUBAPPS = {
    "cell": "hemcell.cli.cell",
    "surface": "hemcell.cli.surface",
    "limetal": "hemcell.cli.limetal",
    "sweep": "hemcell.cli.sweep",
    "composition": "hemcell.cli.composition",
    "pybamm": "hemcell.cli.pybamm",
    "fit": "hemcell.cli.fit",
    "eis": "hemcell.cli.eis",
}


def _mount_subapps(names: list[str] | None = None) -> None:
    """Register sub-command groups (all, or only ``names``) on the app.

    Each group is imported only when mounted, so ``hemcell params ...`` does not pay for
    importing the simulation packages. A group already on the app is not mounted again:
    :func:`main` mounts at every call, and in one process (a notebook, a test run) the
    mounts added up, each call building a command of all earlier ones (~10 ms more per
    earlier call).
    """
    mounted = ({g.name for g in app.registered_groups}
               | {c.name for c in app.registered_commands})
    for name in names if names is not None else list(_SUBAPPS):
        if name in mounted:
            continue
        module = _SUBAPPS[name]
        try:
            mod = importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name is not None and module.startswith(exc.name):
                continue  # that part of hemcell is not built yet
            raise
        sub = mod.app
        if isinstance(sub, typer.Typer):
            app.add_typer(sub, name=name)
        else:  # a single command
            app.command(name)(sub)


def _groups_needed(args: list[str]) -> list[str] | None:
    """Which sub-command groups a command line needs: ``[]`` for a core command, one
    group for a group's command, ``None`` (all) for help or an unknown command."""
    first = next((a for a in args if not a.startswith("-")), None)
    if first in _SUBAPPS:
        return [first]
    if first in _CORE_COMMANDS:
        return []
    return None


@app.callback()
def _main(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")] = False,
) -> None:
    """Continuum simulation of batteries made of high-entropy materials."""
    _STATE["debug"] = debug


def _console():
    """A rich console; wide when the output is a file or pipe so tables are not squeezed."""
    from rich.console import Console

    return Console(width=None if sys.stdout.isatty() else 240)




@params_app.command("list")
def params_list() -> None:
    """List the shipped parameter sets."""
    from rich.table import Table

    from hemcell.params import list_parameter_sets, load_parameter_set

    table = Table("name", "kind", "values", "assumed", "description")
    for name in list_parameter_sets():
        p = load_parameter_set(name)
        table.add_row(name, p.kind, str(len(p)), str(len(p.assumed())),
                      p.description.strip().splitlines()[0][:70])
    _console().print(table)


@params_app.command("show")
def params_show(
    name: Annotated[str, typer.Argument(help="Set name or path to a YAML file.")],
    set_: SetOption = None,
) -> None:
    """Show a parameter set: values, units, SI values and sources."""
    from rich.table import Table

    from hemcell.params import load_parameter_set
    from hemcell.params.export import read_bpx_partner

    partner = read_bpx_partner(name)
    if partner is not None:
        _show_bpx_partner(name, partner, set_)
        return
    p = load_parameter_set(name)
    if set_:
        p = p.with_overrides(set_)
    console = _console()
    console.print(f"[bold]{p.name}[/bold] ({p.kind}) {p.path}\n{p.description.strip()}")
    if p.pybamm_base:
        console.print(f"PyBaMM base set: {p.pybamm_base}")
    table = Table("name", "value", "unit", "SI", "source")
    for par in p.parameters.values():
        table.add_row(par.name, str(par.value), par.unit, f"{par.si_value} {par.spec.unit}",
                      par.describe_source(p.references))
    console.print(table)
    for note in p.notes:
        console.print(f"note: {note}")


#: What a set written by ``hemcell params import`` is for (``params show``/``check``).
BPX_PARTNER_USE = ("a full-cell partner: params export ANODE_SET --format pybamm --cathode "
                   "{path}, HEMFullCell({{'cathode': '{path}'}}); its values keep their BPX "
                   "names, so it is no registry set (cell run --params does not take it)")


def _show_bpx_partner(path: str, data: dict, set_: list[str] | None) -> None:
    """``params show`` of an imported BPX file: its values as written (tables by their
    length), units and sources; ``--set`` is refused (its names are BPX's)."""
    from rich.markup import escape
    from rich.table import Table

    from hemcell.errors import InputError

    if set_:
        raise InputError("--set", set_[0], "no --set for an imported BPX file (its values "
                         "keep BPX's names)", hint="edit the file, or show a registry set")
    console = _console()
    console.print(f"[bold]{escape(str(data.get('name', path)))}[/bold] (bpx, "
                  f"{escape(str(data.get('bpx_model', '')))} from "
                  f"{escape(str(data.get('bpx_file', '?')))}) {escape(str(path))}\n"
                  f"{escape(str(data.get('description', '')).strip())}")
    table = Table("name", "value", "unit", "source")
    for key, entry in (data.get("parameters") or {}).items():
        value = entry.get("value")
        if isinstance(value, dict) and "x" in value:
            value = f"table of {len(value['x'])} points"
        source = entry.get("source") or {}
        # BPX names carry units in brackets, which rich would read as markup ('[m2]')
        table.add_row(escape(key), escape(str(value)), escape(str(entry.get("unit", ""))),
                      escape(str(source.get("ref", source))))
    console.print(table)
    console.print("note: " + escape(BPX_PARTNER_USE.format(path=path)))


@params_app.command("export")
def params_export(
    name: Annotated[str, typer.Argument(help="Set name or path to a YAML file.")],
    out: OutOption,
    set_: SetOption = None,
    overwrite: OverwriteOption = False,
    format_: Annotated[str, typer.Option("--format", help="si (JSON + CSV of SI values), "
                                         "pybamm (ParameterValues JSON; a cathode set: "
                                         "its half cell vs its metal) or bpx-partial "
                                         "(BPX 'Partial' file of a Li||LFP cell set's or "
                                         "a cathode set's cathode, electrolyte and "
                                         "separator).")] = "si",
    cathode: Annotated[str | None, typer.Option(help="--format pybamm of an anode set: "
                                                "the full cell against LFP, NMC811 or an "
                                                "imported BPX partner (YAML).")] = None,
) -> None:
    """Write a set's resolved SI values for other tools.

    Writes ``parameters_si.json`` (name → SI value), ``parameters.csv`` (name, value, unit,
    SI value, SI unit, source) and ``run.json`` (full record with sources); with
    ``--format pybamm`` ``NAME.pybamm.json`` (``pybamm.ParameterValues.from_json`` loads
    it, a HEM model runs with it), with ``--format bpx-partial`` ``NAME.bpx.json``.
    """
    import csv

    from hemcell.params import load_parameter_set
    from hemcell.params.export import check_export_set_keys
    from hemcell.runinfo import write_json, write_run_record

    format_ = format_.strip().lower()  # 'PyBaMM', 'SI' (as --ion takes 'na') were refused
    p = load_parameter_set(name)
    if set_:
        check_export_set_keys(p, set_, format_)
        p = p.with_overrides(set_)
        if p.kind == "cathode":  # its couples are on its carrier's scale
            from hemcell.cell.cathodes import check_carrier_kept

            check_carrier_kept(name, p.si)
    if format_ != "si":
        from hemcell.workflows.exchange import export_parameters

        path = export_parameters(p, format_, out, cathode=cathode)  # makes out on success
        write_run_record(out, {"parameter_set": p.record()})
        typer.echo(f"wrote {path}")
        return
    out.mkdir(parents=True, exist_ok=True)
    write_json(out / "parameters_si.json", p.si)
    with (out / "parameters.csv").open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["name", "value", "unit", "si_value", "si_unit", "source"])
        for par in p.parameters.values():
            writer.writerow([par.name, par.value, par.unit, par.si_value, par.spec.unit,
                             par.describe_source(p.references)])
    write_run_record(out, {"parameter_set": p.record()})
    typer.echo(f"wrote {len(p)} values to {out}")


@params_app.command("import")
def params_import(
    file: Annotated[Path, typer.Argument(help="A BPX JSON file.")],
    out: OutOption,
    overwrite: OverwriteOption = False,
) -> None:
    """Import a BPX file as a hemcell parameter-set YAML (units and sources kept).

    The set (kind ``bpx``) holds the file's cell, electrolyte, electrode and separator
    values under their BPX names, with the file as source: a full-cell partner
    (``HEMFullCell({"cathode": "DIR/NAME.yaml"})``, ``params export --cathode``).
    """
    from hemcell.workflows.exchange import import_bpx

    typer.echo(f"wrote {import_bpx(file, out)}")


@params_app.command("check")
def params_check(
    files: Annotated[list[Path], typer.Argument(help="Parameter YAML files to check.")],
    seeds: Annotated[bool, typer.Option(help="Also check seed citations against the seed "
                                             "documents (HEMCELL_SEEDS_DIR).")] = True,
    for_recipe: Annotated[str | None, typer.Option(
        "--for", help="Anode recipe (models/): list the values it reads that the set misses "
                      "(exit 2 if any) and the set's values it does not read.")] = None,
    ion: Annotated[str | None, typer.Option("--ion", help="With --for: carrier ion Li, Na "
                                                           "or K of the run.")] = None,
) -> None:
    """Validate parameter files (names or paths); exit 2 with the list of errors if any is
    bad. With --for RECIPE, also the missing and unused values for that recipe."""
    from hemcell.errors import InputError, ParameterFileError
    from hemcell.params import load_parameter_set
    from hemcell.params.export import read_bpx_partner
    from hemcell.params.seeds import check_seed_citations
    from hemcell.resources import seeds_dir

    if ion is not None and for_recipe is None:  # it was ignored without a word
        raise InputError("--ion", ion, "--ion together with --for RECIPE (the carrier ion of "
                         "the run the set is checked for)",
                         hint=f"hemcell params check ... --for hem_half_cell_sp --ion {ion}")
    failed = False
    seed_folder = seeds_dir() if seeds else None
    for f in files:
        partner = read_bpx_partner(f)
        if partner is not None:  # what `params import` wrote: no registry set
            failed |= _check_bpx_partner(f, partner, for_recipe)
            continue
        try:
            p = load_parameter_set(f)
        except ParameterFileError as exc:
            typer.echo(f"FAIL {exc.message}", err=True)
            failed = True
            continue
        except InputError as exc:
            typer.echo(f"FAIL {f}: {exc.message}", err=True)
            failed = True
            continue
        problems = check_seed_citations(p, seed_folder) if seed_folder else []
        for prob in problems:
            typer.echo(f"FAIL {f}: seed citation {prob}", err=True)
        failed = failed or bool(problems)
        if not problems:
            note = "" if seed_folder else " (seed lines not checked: no seeds folder)"
            typer.echo(f"ok   {f}: {len(p)} values, {len(p.assumed())} assumed{note}")
        if for_recipe is not None:
            failed = _check_for_recipe(str(f), for_recipe, ion) or failed
    if failed:
        raise typer.Exit(2)


def _check_bpx_partner(path: Path, data: dict[str, Any], for_recipe: str | None) -> bool:
    """``params check`` of an imported BPX file (``data``, its YAML as
    :func:`hemcell.params.export.read_bpx_partner` read it): its values read as the full
    cell reads a partner (:func:`hemcell.cell.full_cell.cathode_partner`). ``True`` if it
    failed: a value the partner needs is missing, or ``--for`` was given (a partner is a
    full cell's ``--cathode``, not a set a recipe reads)."""
    if for_recipe is not None:
        typer.echo(f"FAIL {path}: --for {for_recipe}: an imported BPX file is not checked "
                   "against a recipe: it is " + BPX_PARTNER_USE.format(path=path), err=True)
        return True
    from hemcell.cell.full_cell import cathode_partner

    try:
        cathode_partner(str(path))
    except KeyError as exc:
        typer.echo(f"FAIL {path}: a BPX partner needs {exc}", err=True)
        return True
    typer.echo(f"ok   {path}: imported BPX file ({data.get('bpx_model', '')}), "
               f"{len(data.get('parameters') or {})} values; "
               + BPX_PARTNER_USE.format(path=path))
    return False


def _check_for_recipe(params: str, recipe: str, ion: str | None) -> bool:
    """Print what ``recipe`` reads of ``params``; ``True`` if values are missing."""
    from hemcell.workflows.cathode_half_cell import parameter_usage

    u = parameter_usage(params, recipe, ion)
    # a cathode cell has no anode mechanisms to list
    mechanisms = f" ({', '.join(u['mechanisms'])})" if u["mechanisms"] else ""
    where = f"{params} for {u['recipe']}{mechanisms}"
    if u["missing"]:
        typer.echo(f"FAIL {where}: {len(u['missing'])} missing: {', '.join(u['missing'])}",
                   err=True)
    else:
        typer.echo(f"ok   {where}: reads {len(u['reads'])} values, none missing")
    if u["unused"]:
        typer.echo(f"     unused by this recipe ({len(u['unused'])}):")
        for key in u["unused"]:
            also = u["read_elsewhere"].get(key)
            typer.echo(f"       {key}" + (f"  (read by {also})" if also else ""))
    return bool(u["missing"])


@app.command("demo")
def demo(out: OutOption = Path("hemcell-output/demo"),
         overwrite: OverwriteOption = False) -> None:
    """Run the main job: everything hemcell can show, with figures, into --out."""
    from hemcell.cli.demo import run_demo

    run_demo(out)


@app.command("validate")
def validate(
    out: OutOption = Path("hemcell-output/validation"),
    quick: Annotated[bool, typer.Option("--quick", help="Only the cases marked quick.")] = False,
    case: Annotated[list[str] | None, typer.Option("--case", help="Run only these cases.")] = None,
    jobs: Annotated[int, typer.Option(
        "--jobs", min=1, help="Cases run at once, each in its own process (the report is "
                              "the same for any N; use at most the number of cores).")] = 1,
    overwrite: OverwriteOption = False,
) -> None:
    """Run the validation cases in validation/ and write report.md; exit 1 if any fails."""
    from hemcell.validation import run_validation

    report = run_validation(out, quick=quick, only=case, jobs=jobs)
    typer.echo(f"report: {report.report_path}")
    if not report.all_passed:
        raise typer.Exit(1)


@app.command("bench")
def bench(
    out: OutOption = Path("hemcell-output/bench"),
    only: Annotated[list[str] | None, typer.Option("--only", help="Benchmark names.")] = None,
    repeats: Annotated[int | None, typer.Option(
        min=1, help="Timed repeats of every benchmark (default: 5, fewer for the slow ones "
        "that set their own).")] = None,
    overwrite: OverwriteOption = False,
) -> None:
    """Time the benchmarks in benchmarks/ against baselines measured in the same run."""
    from hemcell.cli.bench import run_benchmarks
    from hemcell.errors import SimulationError

    failed = [r for r in run_benchmarks(out, only=only, repeats=repeats) if r.get("error")]
    if failed:  # the others are timed and written (bench.json, bench.csv)
        raise SimulationError(f"{len(failed)} benchmark(s) failed: " + "; ".join(
            f"{r['name']} ({r['error'][:120]})" for r in failed))


def _usage_hint(exc: Exception) -> str | None:
    """A hint for an option a command does not have but a user would try: a temperature
    option where the temperature is the set's ``ambient_temperature`` (unless click
    suggests a temperature option itself, e.g. ``--temperatures`` of ``hemcell eis``)."""
    # typer's own copy of click's NoSuchOption (typer._click): read by its attributes
    option = getattr(exc, "option_name", None)
    if (type(exc).__name__ == "NoSuchOption" and isinstance(option, str)
            and "temp" in option.lower()
            and not any("temp" in p for p in getattr(exc, "possibilities", None) or ())):
        return ("the temperature is a parameter of the set: --set ambient_temperature=25degC "
                "(or 298.15K; `hemcell params check SET` lists what a command reads)")
    return None


def run_app(typer_app: typer.Typer, args: list[str], prog_name: str) -> int:
    """Run a typer app with hemcell's error conventions and return the exit code.

    Hemcell errors print one line (plus a hint) and exit 2 (bad input) or 1 (failed
    simulation); usage errors exit 2; anything unexpected still prints one line and
    exits 1. ``--debug`` among ``args`` re-raises instead, showing the traceback.
    """
    from hemcell.runinfo import one_command

    debug = "--debug" in args
    try:
        # with standalone_mode=False click returns the code of a typer.Exit instead of raising
        with one_command():  # each distinct warning on stderr once
            code = typer_app(args=args, prog_name=prog_name, standalone_mode=False)
    except HemcellError as exc:
        if debug:
            raise
        typer.echo(f"error: {exc.message}", err=True)
        if exc.hint:
            typer.echo(f"hint: {exc.hint}", err=True)
        return exc.exit_code
    except typer.Exit as exc:
        return exc.exit_code
    except typer.Abort:
        typer.echo("aborted", err=True)
        return 1
    except typer.exceptions.TyperException as exc:  # usage errors: bad option, no such command
        show = getattr(exc, "show", None)
        if show is not None:
            show()
        else:
            typer.echo(f"error: {exc}", err=True)
        hint = _usage_hint(exc)
        if hint:
            typer.echo(f"hint: {hint}", err=True)
        return int(getattr(exc, "exit_code", 2))
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        return 130
    except Exception as exc:  # a bug or an unwrapped library error: still one line
        if debug:
            raise
        from hemcell.errors import shorten

        typer.echo(f"error: unexpected {type(exc).__name__}: {shorten(str(exc))}", err=True)
        typer.echo("hint: this is a hemcell bug or an unhandled solver failure; rerun with "
                   "`hemcell --debug ...` and report the traceback", err=True)
        return 1
    return code if isinstance(code, int) else 0


def full_command() -> Any:
    """The ``hemcell`` click command with every command group mounted (for introspection,
    e.g. sweeps checking a command's options)."""
    mounted = {g.name for g in app.registered_groups} | {c.name for c in app.registered_commands}
    _mount_subapps([name for name in _SUBAPPS if name not in mounted])
    return typer.main.get_command(app)


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the CLI, turning hemcell errors into one line and an exit code."""
    args = sys.argv[1:] if argv is None else argv
    _mount_subapps(_groups_needed(args))
    return run_app(app, args, "hemcell")


if __name__ == "__main__":
    sys.exit(main())
