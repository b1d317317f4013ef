"""``hemcell sweep SPEC --out DIR``: run a parameter sweep (mounted by :mod:`hemcell.cli`).

Importing this module stays light: the sweep machinery (and Dask, xarray, PyBaMM)
is imported when the command runs.
"""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from hemcell.cli.options import NoPlotsOption, OutOption, OverwriteOption

if TYPE_CHECKING:
    from hemcell.sweep import SweepSpec

#: Points ``--check`` prints as the command each runs (the rest are counted).
CHECK_SHOWN = 5


def app(
    spec: Annotated[Path, typer.Argument(help="Sweep spec (YAML), e.g. examples/sweeps/*.yaml.")],
    out: OutOption,
    workers: Annotated[int | None, typer.Option(
        "--workers", min=1, help="Points at once (fast path: solver threads); default: CPUs.")
    ] = None,
    executor: Annotated[str, typer.Option("--executor", help="local | dask")] = "local",
    scheduler: Annotated[str | None, typer.Option(
        "--scheduler", help="Dask scheduler address (default: a LocalCluster).")] = None,
    resume: Annotated[bool, typer.Option(
        "--resume", is_eager=True,
        help="Continue the sweep in --out; finished points are not recomputed.")
    ] = False,
    fast_path: Annotated[bool, typer.Option(
        "--fast-path/--no-fast-path",
        help="Use the command's in-process fast path (built models shared by the points) "
        "if it has one.")
    ] = True,
    check: Annotated[bool, typer.Option(
        "--check", help="Only validate the spec (and the executor options) and print its "
        f"points (the first {CHECK_SHOWN} as the commands they run) and an estimate of the "
        "sweep's time.")] = False,
    overwrite: OverwriteOption = False,
    no_plots: NoPlotsOption = False,
) -> None:
    """Run a parameter sweep: points/, results.nc, results.png, failures.json in --out.

    Exit code 2 for a bad spec (nothing runs), 1 if any point failed (results are
    still written, failed points as NaN), 0 otherwise.
    """
    from hemcell.errors import SimulationError
    from hemcell.sweep import load_spec, run_sweep

    sweep_spec = load_spec(spec)
    shape = " × ".join(f"{d} {n}" for d, n in zip(sweep_spec.dims, sweep_spec.shape, strict=True))
    if check:
        _check(sweep_spec, spec, out, shape, workers, executor, scheduler, fast_path)
        return
    report = run_sweep(sweep_spec, out, workers=workers, executor=executor,  # type: ignore[arg-type]
                       scheduler=scheduler, resume=resume, fast_path=fast_path,
                       overwrite=overwrite, plots=not no_plots)
    if report.note:
        typer.echo(report.note)
    for line in report.recomputed:
        typer.echo(f"note: {line}")
    typer.echo(f"{report.total} points ({shape}), {report.path} path: {report.computed} computed, "
               f"{report.reused} reused, {report.failed} failed in {report.elapsed_s:.1f} s; "
               f"results in {report.results}")
    if report.failed:
        raise SimulationError(f"{report.failed} of {report.total} points failed",
                              hint=f"errors in {out / 'failures.json'}; rerun with --resume "
                                   "to retry them")


def _check(sweep_spec: SweepSpec, spec: Path, out: Path, shape: str, workers: int | None,
           executor: str, scheduler: str | None, fast_path: bool) -> None:
    """``--check``: the spec's points (the first as commands), the executor options
    checked as the run checks them (a ``--scheduler`` is connected to and left), the path
    the sweep would take, and the estimate of its time (:mod:`hemcell.sweep.estimate`)."""
    from hemcell.sweep.estimate import estimate_lines, model_count
    from hemcell.sweep.run import check_executor, check_scheduler, choose_path

    n_workers = check_executor(executor, scheduler, workers)
    if scheduler is not None:
        check_scheduler(scheduler)
    points = sweep_spec.points
    typer.echo(f"ok {spec}: `{sweep_spec.command}`, {len(points)} points ({shape})")
    for point in points[:CHECK_SHOWN]:  # what reaches the command (a template's text)
        typer.echo(f"  hemcell {sweep_spec.command} {shlex.join(point.args)}")
    if len(points) > CHECK_SHOWN:
        typer.echo(f"  ... and {len(points) - CHECK_SHOWN} more")
    path, fast, note = choose_path(sweep_spec, fast_path)
    if note:
        typer.echo(note)
    models = model_count(sweep_spec, fast)
    for line in estimate_lines(sweep_spec, path, n_workers, executor, out, models):
        typer.echo(line)
