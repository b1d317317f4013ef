"""``hemcell surface``: the coated vs bare lithium surface model (FEniCSx).

Mounted by :mod:`hemcell.cli` as ``hemcell surface``. Importing this module does not
import DOLFINx, gmsh or PETSc; the commands do, and report a missing installation as
a :class:`~hemcell.errors.DependencyError`.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from hemcell.cli.options import NoPlotsOption, OutOption, OverwriteOption, SetOption
from hemcell.errors import DependencyError, HemcellError, InputError


def _mpi_rank() -> int:
    """This process's rank in ``MPI.COMM_WORLD`` (0 without mpi4py)."""
    try:
        from mpi4py import MPI
    except ImportError:
        return 0
    return int(MPI.COMM_WORLD.rank)


def _mpi_size() -> int:
    """The number of ranks in ``MPI.COMM_WORLD`` (1 without mpi4py)."""
    try:
        from mpi4py import MPI
    except ImportError:
        return 1
    return int(MPI.COMM_WORLD.size)


#: Tag of the message a rank sends every other rank when a ``surface`` command fails on it
#: with an error that is no hemcell error (:func:`_every_rank_failed`).
_FAILED_TAG = 7219
#: How long [s] a rank that met such an error waits for word from every other rank that it
#: met one too. The ranks run the same code on the same inputs and meet a bug at about the
#: same point; a rank not heard from by then is taken to be elsewhere (computing, or
#: waiting in a collective call for this one).
FAILURE_WAIT_S = 30.0


def _every_rank_failed(wait_s: float) -> bool:
    """Tell every other rank of ``MPI.COMM_WORLD`` that this one failed; True if each other
    rank says the same within ``wait_s`` seconds.

    Point-to-point messages with their own tag (:data:`_FAILED_TAG`), polled with a
    deadline: a collective call here would hang on a rank that did not fail.
    """
    import time

    from mpi4py import MPI

    comm = MPI.COMM_WORLD
    others = [r for r in range(comm.size) if r != comm.rank]
    sent = [comm.isend(comm.rank, dest=r, tag=_FAILED_TAG) for r in others]
    heard: set[int] = set()
    deadline = time.monotonic() + wait_s
    while True:
        for r in others:
            if r not in heard and comm.iprobe(source=r, tag=_FAILED_TAG):
                comm.recv(source=r, tag=_FAILED_TAG)
                heard.add(r)
        done = MPI.Request.Testall(sent)
        if len(heard) == len(others) and done:
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)


#: The longest [s] a rank that ends all ranks waits for ``mpiexec`` to read what it wrote
#: to stdout and stderr (:func:`_wait_until_read`).
OUTPUT_READ_WAIT_S = 30.0


def _unread_bytes(fd: int) -> int:
    """Bytes written to the pipe ``fd`` and not yet read from it (0 if ``fd`` is no pipe:
    a terminal or a file keeps what was written)."""
    import fcntl
    import os
    import stat
    import struct
    import termios

    try:
        if not stat.S_ISFIFO(os.fstat(fd).st_mode):
            return 0
        return int(struct.unpack("i", fcntl.ioctl(fd, termios.FIONREAD, b"\0" * 4))[0])
    except OSError:
        return 0


def _wait_until_read(fds: tuple[int, ...], wait_s: float) -> None:
    """Return once ``mpiexec`` has read everything written to the pipes ``fds`` (or after
    ``wait_s`` seconds). ``MPI_Abort`` has the process manager end every process and stop
    forwarding their output: lines still in the pipe then are lost (seen on a busy
    machine: the error and the "failed alone" line never reached the terminal)."""
    import time

    deadline = time.monotonic() + wait_s
    while any(_unread_bytes(fd) for fd in fds) and time.monotonic() < deadline:
        time.sleep(0.01)


def _abort_at_exit(rank: int, size: int) -> None:
    """After this rank's error is printed, end every rank (``MPI_Abort``; the others
    wait in a collective call that this rank will not join, and ``MPI_Finalize`` at exit
    would wait for them): registered after mpi4py's own exit handler, so it runs first.
    What this rank printed is read by ``mpiexec`` before the abort
    (:func:`_wait_until_read`)."""
    import atexit
    import sys

    from mpi4py import MPI

    def abort() -> None:
        print(f"rank {rank} of {size} failed alone: ending all ranks", file=sys.stderr,
              flush=True)
        sys.stdout.flush()
        _wait_until_read((sys.stdout.fileno(), sys.stderr.fileno()), OUTPUT_READ_WAIT_S)
        MPI.COMM_WORLD.Abort(1)

    atexit.register(abort)


class _ReportOnRankZero(TyperGroup):
    """The ``surface`` commands, which run on every rank under ``mpiexec -n N``: a
    refusal, a failed run or a usage error is reported by rank 0 alone, and every rank
    exits with its code (2 for bad input). Each rank meets the same error: the inputs are
    the same on all ranks, and the model raises its errors from collective checks (global
    reductions, PETSc's converged reason).

    A Python error that is no hemcell error (a bug, an unwrapped library error) need not
    be met by every rank, so the ranks that meet one tell each other
    (:func:`_every_rank_failed`): if every rank did, rank 0 alone reports it (the
    "unexpected" line, or the traceback with ``--debug``) and every rank exits with 1; a
    rank that met it alone (the others not heard from within :data:`FAILURE_WAIT_S`)
    reports it and ends all ranks, which would otherwise wait for it forever.
    """

    def invoke(self, ctx: typer.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (HemcellError, typer.exceptions.TyperException) as exc:
            if _mpi_rank() == 0:
                raise
            raise typer.Exit(int(getattr(exc, "exit_code", 2))) from exc
        except (typer.Exit, typer.Abort):
            raise
        except Exception as exc:
            rank, size = _mpi_rank(), _mpi_size()
            if size > 1 and not _every_rank_failed(FAILURE_WAIT_S):
                _abort_at_exit(rank, size)
                raise
            if rank == 0:
                raise
            raise typer.Exit(1) from exc


app = typer.Typer(
    help="Coated vs bare Li surface (2D FEniCSx): Li⁺ transport, deposition kinetics, stress.",
    no_args_is_help=True,
    cls=_ReportOnRankZero,
)

_Geometry = Annotated[str, typer.Option("--geometry", help="flat | sinusoid | nucleus | random")]
_GeometryRun = Annotated[str | None, typer.Option(
    "--geometry", help="flat | sinusoid | nucleus | random (default sinusoid; nucleus in 3D)")]
_Control = Annotated[str, typer.Option(
    "--control", help="galvanostatic (applied_current_density) | potentiostatic "
                      "(applied_potential)")]
_Transient = Annotated[bool, typer.Option(
    "--transient", help="Integrate in time (galvanostatic): Sand's time, moving surface")]
_Duration = Annotated[float | None, typer.Option(
    "--duration-s", help="End time of a transient run [s] (default transient_duration)")]
_Dt = Annotated[float | None, typer.Option(
    "--dt-s", help="Largest time step [s] (default transient_time_step)")]
_Fixed = Annotated[bool, typer.Option(
    "--fixed-surface", help="Transient transport only: the Li surface does not move")]
_Dim = Annotated[int, typer.Option(
    "--dim", help="2 | 3 (3D: flat | nucleus | random; bare | coated_thin; steady)")]
_Metal = Annotated[str, typer.Option(
    "--metal", help="Li (bare_li / azcnf_coated_li) | Zn (zn_bare / zn_hem_coated, "
    "aqueous ZnSO4 with hydrogen evolution)")]
_Solver = Annotated[str, typer.Option(
    "--linear-solver", help="auto (MUMPS LU in 2D, GMRES + fieldsplit/GAMG in 3D) | lu | gamg")]


def _require_fenicsx() -> None:
    try:
        import dolfinx_solver  # noqa: F401

        import dolfinx  # noqa: F401
        import gmsh  # noqa: F401
    except ImportError as exc:
        raise DependencyError(
            f"the surface model needs DOLFINx and gmsh ({exc})",
            hint="pip install 'hemcell[fem]' (Python >= 3.12)",
        ) from exc


def _refuse_zero_coating(set_: list[str] | None, case: str | None = None) -> None:
    """Refuse ``--set coating_thickness=0`` (in any unit, or none) saying that a zero coating
    is the bare case, ``--case bare`` (for ``case`` ``bare``: that it has no coating).

    The coated case is not the bare one at h → 0: its Li (or Zn) interface keeps the coated
    set's kinetics, the coated-interface rule i₀ = bare i₀ · r_bare / (r_coated − h/κ_c)
    (64/44 Ω for Li at h = 0) with the coated activation energy (docs/surface.md,
    "Parameters"), so a zero-thickness coating is not run as bare.
    """
    from hemcell.params import registry
    from hemcell.params.uses import override_items
    from hemcell.units import parse_quantity_text

    for key, text in override_items(set_):
        if key != "coating_thickness" or parse_quantity_text(text, f"--set {key}")[0] != 0.0:
            continue
        hint = ("--case bare has no coating: leave out --set coating_thickness"
                if case == "bare" else
                "a zero coating is the bare case: run --case bare (compare solves it next to "
                "the coated case). The coated case at h = 0 is not bare: its interface keeps "
                "the coated kinetics (i0 by the coated-interface rule, x 64/44 for Li, and the "
                "coated activation energy)")
        raise InputError("--set coating_thickness", text, "a coating thickness in "
                         f"{registry()[key].allowed_range()}, with its unit", hint=hint)


def _control(value: str) -> str:
    if value not in ("galvanostatic", "potentiostatic"):
        raise InputError("--control", value, "galvanostatic, potentiostatic")
    return value


def _progress() -> tuple[object, object]:
    from mpi4py import MPI
    from rich.console import Console

    console = Console(stderr=True)
    if MPI.COMM_WORLD.rank != 0:
        return None, None
    status = console.status("starting", spinner="dots")
    status.start()

    def update(msg: str) -> None:
        status.update(msg)
        console.log(msg)

    return status, update


def _time_progress(duration: float | None) -> tuple[object, object]:
    """Progress over simulated time on stderr (rank 0): a bar on a terminal, lines off it
    (:class:`hemcell.progress.TimeProgress`); (it, its ``update(message, t)``)."""
    from mpi4py import MPI

    from hemcell.progress import TimeProgress

    if MPI.COMM_WORLD.rank != 0:
        return None, None
    progress = TimeProgress(duration)
    return progress, progress.update


def _transient_end_s(case: str, geometry: str, set_: list[str], duration_s: float | None,
                     metal: str) -> float | None:
    """End time of a transient run for its progress: ``--duration-s``, else the case's
    ``transient_duration`` (``None`` if the input is bad: the run itself says why)."""
    if duration_s is not None:
        return duration_s
    from hemcell.workflows.surface import resolve_case, transient_settings

    try:
        return transient_settings(resolve_case(case, geometry, set_, metal=metal)).duration_s
    except InputError:
        return None


def _dim(dim: int, transient: bool, geometry: str | None) -> str:
    """Check ``--dim``; return the geometry (default sinusoid in 2D, nucleus in 3D)."""
    from hemcell.workflows.surface import DIMS

    if dim not in DIMS:
        raise InputError("--dim", dim, ", ".join(map(str, DIMS)))
    if dim == 3 and transient:
        raise InputError("--transient", "with --dim 3", "steady runs only in 3D (omit --transient)")
    if geometry is None:
        return "nucleus" if dim == 3 else "sinusoid"
    return geometry


def _positive_time(option: str, value: float | None) -> float | None:
    if value is not None and not value > 0:
        raise InputError(option, value, "a positive time [s]")
    return value


def _transient_options(transient: bool, duration: float | None, dt: float | None,
                       fixed_surface: bool, linear_solver: str) -> float | None:
    """Check the options that only a transient run reads; return ``--duration-s``.

    Without ``--transient`` a steady state is solved, which reads none of
    ``--duration-s``, ``--dt-s``, ``--fixed-surface``: given there, they would change
    nothing, so they are refused like a ``--set`` name the model does not read. The
    transient solver is MUMPS LU only, so ``--linear-solver`` other than ``auto``/``lu``
    is refused with ``--transient``.
    """
    if not transient:
        given = [name for name, value in (("--duration-s", duration), ("--dt-s", dt))
                 if value is not None]
        if fixed_surface:
            given.append("--fixed-surface")
        if given:
            raise InputError(given[0], "without --transient",
                             "only with --transient (a steady run has no time)",
                             hint="add --transient, or leave out "
                                  + ", ".join(given))
        return None
    _positive_time("--dt-s", dt)
    if linear_solver not in ("auto", "lu"):
        raise InputError("--linear-solver", linear_solver,
                         "auto or lu with --transient (transient runs use MUMPS LU)")
    return _positive_time("--duration-s", duration)


@app.command()
def run(
    case: Annotated[str, typer.Option("--case", help="bare | coated | coated_thin")],
    out: OutOption,
    geometry: _GeometryRun = None,
    set_: SetOption = None,
    control: _Control = "galvanostatic",
    transient: _Transient = False,
    duration_s: _Duration = None,
    dt_s: _Dt = None,
    fixed_surface: _Fixed = False,
    dim: _Dim = 2,
    linear_solver: _Solver = "auto",
    overwrite: OverwriteOption = False,
    no_plots: NoPlotsOption = False,
    metal: _Metal = "Li",
) -> None:
    """Solve one case; write metrics.json, run.json, fields/ and PNG maps to --out.

    With --transient: integrate in time; metrics.json gains sand_time_s,
    amplitude_growth_rate_per_s and final_amplitude_m; timeseries.csv, frames/,
    animation.gif and fields/transient_*.bp are written.

    With --dim 3: the 3D cell (steady; mechanics metrics null).
    """
    _refuse_zero_coating(set_, case)
    _require_fenicsx()
    geometry = _dim(dim, transient, geometry)
    duration_s = _transient_options(transient, duration_s, dt_s, fixed_surface, linear_solver)
    if transient:
        from hemcell.workflows.surface import run_transient_case

        if _control(control) != "galvanostatic":
            raise InputError("--control", control, "galvanostatic (with --transient)")
        bar, tick = _time_progress(_transient_end_s(case, geometry, set_ or [], duration_s,
                                                    metal))
        try:
            metrics = run_transient_case(case, geometry, set_ or [], out, duration_s, dt_s,
                                         progress=tick,  # type: ignore[arg-type]
                                         moving_boundary=not fixed_surface,
                                         plots_on=not no_plots, metal=metal)
        finally:
            if bar is not None:
                bar.stop()  # type: ignore[attr-defined]
        if tick is not None:
            typer.echo(f"{_transient_line(metrics)}; results in {out}")
        return
    from hemcell.workflows.surface import run_case

    status, update = _progress()
    try:
        metrics = run_case(case, geometry, set_ or [], out, _control(control),
                           progress=update, dim=dim,  # type: ignore[arg-type]
                           linear_solver=linear_solver, plots_on=not no_plots, metal=metal)
    finally:
        if status is not None:
            status.stop()  # type: ignore[attr-defined]
    if update is not None:
        typer.echo(f"current_focusing_factor = {metrics['current_focusing_factor']:.4g}; "
                   f"results in {out}")


@app.command()
def compare(
    out: OutOption,
    geometry: _GeometryRun = None,
    set_: SetOption = None,
    control: _Control = "galvanostatic",
    transient: _Transient = False,
    duration_s: _Duration = None,
    dt_s: _Dt = None,
    fixed_surface: _Fixed = False,
    dim: _Dim = 2,
    linear_solver: _Solver = "auto",
    overwrite: OverwriteOption = False,
    no_plots: NoPlotsOption = False,
    metal: _Metal = "Li",
) -> None:
    """Bare and coated on the same geometry, mesh and loading: comparison.json/.png.

    With --transient: both integrated in time; amplitude.png shows amplitude vs time
    for bare and coated together. With --dim 3: bare vs coated_thin on the 3D cell.
    """
    _refuse_zero_coating(set_)
    _require_fenicsx()
    geometry = _dim(dim, transient, geometry)
    duration_s = _transient_options(transient, duration_s, dt_s, fixed_surface, linear_solver)
    if transient:
        from hemcell.workflows.surface import compare_transient_cases

        if _control(control) != "galvanostatic":
            raise InputError("--control", control, "galvanostatic (with --transient)")
        bar, tick = _time_progress(_transient_end_s("coated", geometry, set_ or [],
                                                    duration_s, metal))
        try:
            summary = compare_transient_cases(geometry, set_ or [], out, duration_s, dt_s,
                                              progress=tick,  # type: ignore[arg-type]
                                              moving_boundary=not fixed_surface,
                                              plots_on=not no_plots, metal=metal)
        finally:
            if bar is not None:
                bar.stop()  # type: ignore[attr-defined]
        if tick is not None:
            typer.echo(f"bare: {_transient_line(summary['bare'])}")
            typer.echo(f"coated: {_transient_line(summary['coated'])}; results in {out}")
        return
    from hemcell.workflows.surface import compare_cases

    status, update = _progress()
    try:
        summary = compare_cases(geometry, set_ or [], out, _control(control),
                                progress=update, dim=dim,  # type: ignore[arg-type]
                                linear_solver=linear_solver, plots_on=not no_plots,
                                metal=metal)
    finally:
        if status is not None:
            status.stop()  # type: ignore[attr-defined]
    if update is not None:
        typer.echo(
            f"focusing factor bare {summary['bare']['current_focusing_factor']:.4g}, "
            f"coated {summary['coated']['current_focusing_factor']:.4g}; results in {out}")


def _transient_line(metrics: dict) -> str:
    """One line of a transient run: where it stopped, Sand's time, the amplitude."""
    sand = metrics["sand_time_s"]
    factor = metrics["amplitude_growth_factor"]
    growth = ("from a flat surface" if factor is None else f"x{factor:.4g}, "
              f"d ln A/dt = {metrics['amplitude_growth_rate_per_s']:.3g} 1/s")
    return (f"{metrics['stop_reason']} at t = {metrics['final_time_s']:.4g} s, Sand's time "
            + ("not reached" if sand is None else f"{sand:.4g} s")
            + f", amplitude {metrics['final_amplitude_m'] * 1e6:.4g} um ({growth})")


@app.command()
def seeds(
    out: OutOption,
    geometry: _Geometry = "random",
    set_: SetOption = None,
    n_seeds: Annotated[int, typer.Option("--n-seeds", help="Number of realisations")] = 8,
    first_seed: Annotated[int, typer.Option("--first-seed", help="First seed")] = 1,
    overwrite: OverwriteOption = False,
) -> None:
    """Bare vs coated over seeds (roughness_seed = sei_seed = k): seeds.json/.csv."""
    _refuse_zero_coating(set_)
    _check_seeds(n_seeds, first_seed)
    _require_fenicsx()
    from hemcell.workflows.surface import seed_statistics

    status, update = _progress()
    try:
        summary = seed_statistics(geometry, set_ or [], out, n_seeds, first_seed,
                                  progress=update)  # type: ignore[arg-type]
    finally:
        if status is not None:
            status.stop()  # type: ignore[attr-defined]
    if update is not None:
        r = summary["statistics"]["focusing_ratio_coated_to_bare"]
        n = summary["n_seeds"]
        spread = f" +/- {r['std']:.2g} over {n} seeds" if n > 1 else " (one seed: no spread)"
        typer.echo(f"coated/bare focusing ratio {r['mean']:.4g}{spread}; results in {out}")


def _check_seeds(n_seeds: int, first_seed: int) -> None:
    """``--n-seeds`` >= 1 and ``--first-seed`` >= 0, named as the options (a negative first
    seed was refused as ``--set roughness_seed``, an option not given)."""
    if n_seeds < 1:
        raise InputError("--n-seeds", n_seeds, ">= 1")
    if first_seed < 0:
        raise InputError("--first-seed", first_seed, ">= 0 (realisation k = first ... "
                         "first + n - 1 sets the random fields' seeds to k, whole numbers "
                         ">= 0)")


@app.command()
def thickness(
    out: OutOption,
    thicknesses: Annotated[str, typer.Option(
        "--thicknesses", help="Coating thicknesses in nm, comma-separated, without the "
                              "unit (bare Li, 0 nm, is always solved)")] = "14,28,70",
    geometry: _Geometry = "flat",
    set_: SetOption = None,
    n_seeds: Annotated[int, typer.Option("--n-seeds", help="Number of realisations")] = 4,
    first_seed: Annotated[int, typer.Option("--first-seed", help="First seed")] = 1,
    overwrite: OverwriteOption = False,
    no_plots: NoPlotsOption = False,
) -> None:
    """Coverage vs coating drop over thickness (thin layer with pinholes): thickness.json/.png."""
    from hemcell.cli.options import positive_floats

    h_nm = positive_floats(thicknesses, "--thicknesses",
                           "14,28,70 (nm, without the unit; bare Li, 0 nm, is always solved)")
    twice = sorted({h for h in h_nm if h_nm.count(h) > 1})
    if twice:  # in nm as typed (the study's own check names metres)
        raise InputError("--thicknesses", thicknesses,
                         f"distinct thicknesses ({', '.join(f'{h:g}' for h in twice)} nm "
                         "given more than once)")
    from hemcell.params import registry

    bounds = registry()["coating_thickness"]  # the values become coating_thickness
    outside = [h for h in h_nm if not bounds.contains(h * 1e-9)]
    if outside:
        raise InputError("--thicknesses", thicknesses,
                         f"thicknesses in nm within coating_thickness's range "
                         f"{bounds.allowed_range()} ({', '.join(f'{h:g}' for h in outside)} "
                         "nm is outside)", hint=bounds.description)
    _check_seeds(n_seeds, first_seed)
    _require_fenicsx()
    from hemcell.workflows.surface_thickness import thickness_study, write_thickness_study

    status, update = _progress()
    try:
        summary, rows, record = thickness_study(
            [h * 1e-9 for h in h_nm], geometry, set_ or [],
            range(first_seed, first_seed + n_seeds), progress=update)  # type: ignore[arg-type]
        write_thickness_study(summary, rows, record, out, plots_on=not no_plots)
    finally:
        if status is not None:
            status.stop()  # type: ignore[attr-defined]
    if update is not None:
        t = summary["trade_off"]
        typer.echo(f"chosen thickness {t['chosen_thickness_nm']:g} nm (thinnest with focusing "
                   f"within {100 * t['focusing_tolerance']:g} % of the best); results in {out}")


@app.command()
def phasefield(
    case: Annotated[str, typer.Option(
        "--case", help="bare | coated | both (comparison.json: same surface and current)")],
    out: OutOption,
    metal: _Metal = "Li",
    duration_s: Annotated[float | None, typer.Option(
        "--duration-s", help="End time [s] (default phasefield_duration)")] = None,
    set_: SetOption = None,
    overwrite: OverwriteOption = False,
    no_plots: NoPlotsOption = False,
    control: _Control = "galvanostatic",
    coating_model: Annotated[str | None, typer.Option(
        "--coating-model", help="interface | region: the coated case's coating as an "
        "interface property or a resolved layer (default phasefield_coating_region)")] = None,
) -> None:
    """Phase-field dendrite morphology (Chen/Hong form): metrics.json, timeseries.csv,
    fields/, frames/ and animation.gif in --out.

    Plating of the metal from its electrolyte into a 2D cell (galvanostatic or
    potentiostatic); the dendrite index is the interface length over the projected
    length. --case both runs bare and coated into --out/bare and --out/coated and writes
    comparison.json.
    """
    from hemcell.workflows.phasefield import resolve_phasefield

    if case not in ("bare", "coated", "both"):
        raise InputError("--case", case, "bare | coated | both")
    both = case == "both"
    _refuse_zero_coating(set_, case)
    control = _control(control)
    for c in (("bare", "coated") if both else (case,)):  # exit 2 before anything runs
        p, _ = resolve_phasefield(c, metal, set_ or [], _positive_time("--duration-s", duration_s),
                                  control, None if c == "bare" and both else coating_model,
                                  "both" if both else None)
    _require_fenicsx()
    from hemcell.workflows.phasefield import compare_phasefield_cases, run_phasefield_case

    bar, tick = _time_progress(p.duration_s)
    options = {"progress": tick, "plots_on": not no_plots, "control": control,
               "coating_model": coating_model}
    try:
        if both:
            result = compare_phasefield_cases(out, metal, set_ or [], duration_s, **options)
        else:
            result = run_phasefield_case(case, out, metal, set_ or [], duration_s, **options)
    finally:
        if bar is not None:
            bar.stop()  # type: ignore[attr-defined]
    if tick is None:
        return
    if both:
        typer.echo(f"dendrite index bare {result['bare']['dendrite_index']:.4g}, coated "
                   f"{result['coated']['dendrite_index']:.4g}; results in {out}")
    else:
        typer.echo(f"dendrite_index = {result['dendrite_index']:.4g}, branches = "
                   f"{result['branches']}, t = {result['final_time_s']:.4g} s; results in {out}")
