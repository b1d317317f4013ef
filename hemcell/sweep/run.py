"""Run a sweep: local processes or Dask, one atomic file per finished point, resume.

Layout of the output folder::

    DIR/sweep.json          the spec as run, its dimensions and point count
    DIR/points/<id>.json    one per finished point (status ok or failed), written
                            atomically as soon as the point finishes
    DIR/runs/<id>/          the command's own --out folder for that point (+ log.txt)
    DIR/failures.json       id, values and error of every failed point
    DIR/results.nc          the gathered results (see :mod:`hemcell.sweep.gather`)
    DIR/results.png         the summary figure
    DIR/run.json            run record

A point's id hashes the command and its full argument list, so a resumed sweep
recognises finished points whatever order they ran in; ``resume=True`` skips points
whose file is a valid ``ok`` record of that point (its id and arguments, every
requested output a finite number: :func:`~hemcell.sweep.store.record_problem`) and
retries the rest (failed points too: a failure may have been a killed worker; files
that are unreadable or invalid are recomputed with a note). A point whose command
succeeds but whose summary lacks a finite requested output is recorded as failed.
Points run as separate processes (``python -m hemcell ...``),
so a crashing solver takes down one point, not the sweep; on Linux those processes
are killed with the sweep (``PR_SET_PDEATHSIG``), so a killed sweep leaves no orphans.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TextIO

from hemcell.errors import InputError, shorten
from hemcell.progress import eta_s, writes_lines
from hemcell.runinfo import package_versions, write_json, write_run_record
from hemcell.sweep.spec import Point, SweepSpec
from hemcell.sweep.store import PointStore, check_outputs, now_utc, output_problem

if TYPE_CHECKING:
    from hemcell.sweep.commands import FastPath

Executor = Literal["local", "dask"]

# Sets PR_SET_PDEATHSIG so the point's process dies with the process that started it,
# checks that parent is still alive, then replaces itself with the real command.
_LAUNCHER = (
    "import ctypes, os, signal, sys\n"
    "ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGKILL))\n"
    "os.getppid() == int(sys.argv[1]) or sys.exit(70)\n"
    "os.execvp(sys.argv[2], sys.argv[2:])\n"
)
_LOG_TAIL = 2000


@dataclass(frozen=True)
class PointJob:
    """Everything a worker needs to run one point as a process.

    Attributes
    ----------
    id
        The point id.
    argv
        The full command line, ending with ``--out run_dir``.
    run_dir
        The command's output folder.
    results_file
        The file to read results from (``None``: ``summary.json`` or ``metrics.json``).
    timeout_s
        Time limit, or ``None``.
    """

    id: str
    argv: tuple[str, ...]
    run_dir: str
    results_file: str | None
    timeout_s: float | None


@dataclass(frozen=True)
class SweepReport:
    """What a sweep did.

    Attributes
    ----------
    out
        The output folder.
    total, computed, reused, failed
        Points in the spec, computed in this run, reused from a previous run (resume),
        and failed.
    path
        ``fast`` (one model, many inputs) or ``process`` (one process per point).
    note
        Why the fast path was not taken, if it was not; else what the fast path says of
        itself (``cell run``: how many built models for how many points, and why).
    recomputed
        One line per point file of a previous run that could not be reused (resume).
    elapsed_s
        Wall time of this run.
    results, figure
        ``results.nc`` and the summary PNG.
    """

    out: Path
    total: int
    computed: int
    reused: int
    failed: int
    path: str
    note: str
    elapsed_s: float
    results: Path
    figure: Path | None
    recomputed: tuple[str, ...] = ()


def _error_line(stderr: str, returncode: int) -> str:
    """The command's one-line error (``error: ...``), else the last line of its output."""
    lines = [ln.strip() for ln in stderr.splitlines() if ln.strip()]
    errors = [ln for ln in lines if ln.startswith("error:")]
    last = errors[-1] if errors else (lines[-1] if lines else "no output")
    return f"exit code {returncode}: {shorten(last, 1000)}"


def read_results(run_dir: Path, results_file: str | None) -> dict[str, Any]:
    """The summary a command wrote to ``run_dir``.

    Raises
    ------
    FileNotFoundError
        If the command wrote no results file.
    """
    names = [results_file] if results_file else ["summary.json", "metrics.json"]
    for name in names:
        path = run_dir / name
        if path.is_file():
            data = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(data, dict):
                raise ValueError(f"{path} holds {type(data).__name__}, not a mapping")
            return data
    written = sorted(p.name for p in run_dir.glob("*.json") if p.name != "run.json")
    raise FileNotFoundError(f"the command wrote none of {names} in {run_dir}" + (
        f"; it wrote {', '.join(written)}: name it in the spec, results_file: {written[0]}"
        if written else ""))


#: How often a running point checks its time limit and whether its Dask worker is
#: closing [s].
_POLL_S = 0.5
#: Output folders of sweeps in this process that stopped early (a spec error found at the
#: first finished point, Ctrl-C): their points' processes still running are killed.
_STOPPING: set[str] = set()


def _worker_closing() -> bool:
    """Whether this code runs on a Dask worker that is shutting down."""
    if "distributed" not in sys.modules:  # not on a Dask worker: never import Dask here
        return False
    from distributed import get_worker

    try:
        status = get_worker().status.name
    except ValueError:  # not in a worker
        return False
    return status in ("closing", "closing_gracefully", "closed", "failed")


def _wait(proc: subprocess.Popen[str], timeout_s: float | None,
          stopping: str | None = None) -> tuple[str, str, str | None]:
    """Wait for a point's process; kill it at its time limit, when the Dask worker
    running it shuts down, or when its sweep (output folder ``stopping``) stops early
    in this process, so no worker is kept busy and nothing writes after the stop.

    Returns
    -------
    (str, str, str or None)
        stdout, stderr and the error if the process was killed.
    """
    deadline = None if timeout_s is None else time.monotonic() + timeout_s
    while True:
        try:
            stdout, stderr = proc.communicate(timeout=_POLL_S)
            return stdout, stderr, None
        except subprocess.TimeoutExpired:
            if deadline is not None and time.monotonic() > deadline:
                error = f"timed out after {timeout_s:g} s (timeout_s in the spec)"
            elif _worker_closing():
                error = "stopped: the Dask worker shut down"
            elif stopping is not None and stopping in _STOPPING:
                error = "stopped: the sweep stopped early"
            else:
                continue
            proc.kill()
            stdout, stderr = proc.communicate()
            return stdout, stderr, error


def run_point(job: PointJob) -> dict[str, Any]:
    """Run one point's command in its own process and read its results.

    Runs in a worker (a thread of the sweep, or a Dask worker); never raises for a
    failed point: the outcome says ``ok`` or ``failed`` with the error.

    Returns
    -------
    dict
        ``status``, ``summary`` (or ``None``), ``error`` (or ``None``), ``elapsed_s``.
    """
    run_dir = Path(job.run_dir)
    shutil.rmtree(run_dir, ignore_errors=True)  # files of an earlier attempt are stale
    run_dir.mkdir(parents=True)
    argv = list(job.argv)
    if sys.platform == "linux":
        argv = [sys.executable, "-c", _LAUNCHER, str(os.getpid()), *argv]
    t0 = time.perf_counter()
    error: str | None = None
    summary: dict[str, Any] | None = None
    env = {**os.environ, "PYTHONHASHSEED": "0", "HEMCELL_SWEEP_POINT": job.id}
    try:
        proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True, env=env)
        stdout, stderr, error = _wait(proc, job.timeout_s, str(run_dir.parent.parent))
        (run_dir / "log.txt").write_text(stdout + stderr, encoding="utf-8")
        if error is None and proc.returncode != 0:
            error = _error_line(stderr, proc.returncode)
        elif error is None:
            summary = read_results(run_dir, job.results_file)
    except (OSError, ValueError) as exc:
        error = f"{type(exc).__name__}: {exc}"
    return {"status": "ok" if error is None else "failed", "summary": summary, "error": error,
            "elapsed_s": time.perf_counter() - t0}


def run_fast_chunk(spec: SweepSpec, points: Sequence[Point], threads: int,
                   worker: bool = False) -> list[dict[str, Any]]:
    """Solve a chunk of points with the command's fast path (in this process).

    ``worker``: the chunk runs as a Dask task, outside the ``hemcell sweep`` command's
    scope, so it opens its own :func:`hemcell.runinfo.one_command`: each distinct warning
    once per chunk, library warnings as one ``warning:`` line (without it a 4-point Na
    full-cell sweep on 2 workers printed the electrolyte's temperature warning 12 times
    and PyBaMM's ``SolverWarning`` with its file, line and source).

    Returns
    -------
    list of dict
        One outcome per point, as :func:`run_point` returns them.
    """
    from contextlib import nullcontext

    from hemcell.runinfo import one_command
    from hemcell.sweep.commands import resolve_command

    t0 = time.perf_counter()
    fast = resolve_command(spec.command).fast_path()
    if fast is None:
        raise RuntimeError(f"`{spec.command}` offers no fast path")
    try:
        with one_command() if worker else nullcontext():
            results: list[Any] = fast.solve(spec, points, threads)
    except Exception as exc:  # the whole chunk failed: record it on every point
        results = [exc] * len(points)
    each = (time.perf_counter() - t0) / max(len(points), 1)
    out = []
    for r in results:
        if isinstance(r, BaseException):
            out.append({"status": "failed", "summary": None,
                        "error": f"{type(r).__name__}: {r}", "elapsed_s": each})
        else:
            out.append({"status": "ok", "summary": r, "error": None, "elapsed_s": each})
    return out


class _Progress:
    """Progress of a sweep on stderr (silent if disabled).

    On a terminal: a rich bar with points done, failed and the ETA, redrawn in place.
    Elsewhere (a batch job's log, a pipe), where a redrawn bar shows only its final
    state: one line per finished point, ``[done/total] ok|failed`` with the point's
    values, its id, the failures so far, the elapsed time and the ETA (and the first
    line of a failed point's error).
    """

    def __init__(self, total: int, reused: int, label: str, enabled: bool,
                 stream: TextIO | None = None) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self.stream = sys.stderr if stream is None else stream
        self.enabled = enabled
        self.lines = enabled and writes_lines(self.stream)
        self.total, self.done, self.reused, self.failed = total, reused, reused, 0
        self.start = time.perf_counter()
        self.progress = Progress(
            TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
            TextColumn("failed {task.fields[failed]}"), TimeElapsedColumn(),
            TextColumn("ETA"), TimeRemainingColumn(),
            console=Console(file=self.stream), disable=not enabled or self.lines,
        )
        self.task = self.progress.add_task(label, total=total, completed=reused, failed=0)

    def __enter__(self) -> _Progress:
        self.progress.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.__exit__(*exc)

    def advance(self, failed: bool, point: Point, spec: SweepSpec,
                error: str | None = None) -> None:
        """Count a finished point (and, off a terminal, write its line)."""
        self.failed += int(failed)
        self.done += 1
        self.progress.update(self.task, advance=1, failed=self.failed)
        if self.lines:
            self.stream.write(self._line(failed, point, spec, error) + "\n")
            self.stream.flush()

    def _line(self, failed: bool, point: Point, spec: SweepSpec, error: str | None) -> str:
        elapsed = time.perf_counter() - self.start
        values = ", ".join(_value_text(a.name, point.values[a.name], a.unit)
                           for a in spec.axes if a.name in point.values)
        text = (f"[{self.done}/{self.total}] {'failed' if failed else 'ok'} {values} "
                f"(point {point.id}; failed {self.failed}; {elapsed:.0f} s")
        eta = eta_s(elapsed, self.done - self.reused, self.total - self.reused)
        if eta is not None:
            text += f", ETA {eta:.0f} s"
        text += ")"
        if failed and error:
            text += f": {error.strip().splitlines()[0][:200]}"
        return text


def _value_text(name: str, value: Any, unit: str | None) -> str:
    """``name=value unit`` for a progress line (numbers as %g)."""
    if isinstance(value, str):
        return f"{name}={value}"
    return f"{name}={float(value):g}" + (f" {unit}" if unit else "")


def _chunks(items: Sequence[Point], size: int) -> list[Sequence[Point]]:
    return [items[i:i + size] for i in range(0, len(items), size)]


def mpiexec_prefix(n_ranks: int, bind_to_core: bool = False) -> list[str]:
    """``mpiexec [-bind-to core] -n N``: the mpiexec next to the interpreter (the venv's
    MPI, the one mpi4py and DOLFINx were built with), else the first on PATH.

    ``bind_to_core`` pins rank k to core k (MPICH/Open MPI ``-bind-to core``), so the
    scheduler never migrates a rank: the standard set-up for timing one job on a
    dedicated machine (the MPI benchmarks). Sweep points must not bind: several
    concurrent mpiexec jobs would all be pinned to cores 0..N-1 and share them while the
    other cores idle.
    """
    mpiexec = Path(sys.executable).parent / "mpiexec"
    exe = str(mpiexec) if mpiexec.exists() else (shutil.which("mpiexec") or "mpiexec")
    return [exe, *(["-bind-to", "core"] if bind_to_core else []), "-n", str(n_ranks)]


def _jobs(spec: SweepSpec, out: Path, points: Sequence[Point]) -> list[PointJob]:
    out = out.resolve()  # workers may run elsewhere (Dask)
    prefix = [sys.executable, *spec.command_argv]
    if spec.mpi_ranks > 1:
        prefix = [*mpiexec_prefix(spec.mpi_ranks), *prefix]
    return [PointJob(p.id, (*prefix, *p.args, "--out", str(out / "runs" / p.id)),
                     str(out / "runs" / p.id), spec.results_file, spec.timeout_s)
            for p in points]


def _fast_chunks(fast: FastPath, spec: SweepSpec, todo: Sequence[Point], size: int
                 ) -> list[Sequence[Point]]:
    """``todo`` in chunks of at most ``size`` points for ``fast``, group by group where
    the fast path groups its points by the model they share (``groups``), so the chunks
    of one model follow each other and find it built."""
    groups = getattr(fast, "groups", None)
    grouped = groups(spec, todo) if groups is not None else [todo]
    return [chunk for group in grouped for chunk in _chunks(group, size)]


def _execute_local(spec: SweepSpec, out: Path, todo: Sequence[Point], workers: int,
                   fast: FastPath | None, on_done: Callable[[Point, dict[str, Any]], None]
                   ) -> None:
    if fast is not None:
        for chunk in _fast_chunks(fast, spec, todo, max(4 * workers, 25)):
            for p, outcome in zip(chunk, run_fast_chunk(spec, chunk, workers), strict=True):
                on_done(p, outcome)
        return
    from concurrent.futures import ThreadPoolExecutor, as_completed

    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="hemcell-sweep")
    try:
        futures = {pool.submit(run_point, job): p
                   for p, job in zip(todo, _jobs(spec, out, todo), strict=True)}
        for fut in as_completed(futures):
            on_done(futures[fut], fut.result())
    except BaseException:  # stopped early: kill the points still running, then wait
        _STOPPING.add(str(out))
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    finally:
        _STOPPING.discard(str(out))
        pool.shutdown(wait=False, cancel_futures=True)


#: Time allowed to reach a Dask scheduler given by address [s].
DASK_CONNECT_TIMEOUT_S = 20.0


def _connect_dask(scheduler: str | None, workers: int) -> tuple[Any, Any]:
    """A Dask client (and the LocalCluster started for it, or ``None``).

    Called before the sweep writes anything, so an unreachable scheduler leaves the
    output folder as it was.

    Raises
    ------
    InputError
        The scheduler address is malformed or nothing answers there.
    """
    from dask.distributed import Client, LocalCluster

    from hemcell.sweep.dask_quiet import QuietClosingHeartbeats, quiet_closing_heartbeats

    quiet_closing_heartbeats()  # workers of an in-process cluster log here
    if scheduler is None:
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1,
                               dashboard_address=None)
        client = Client(cluster)
        client.register_plugin(QuietClosingHeartbeats())
        return client, cluster
    allowed = "the address of a running Dask scheduler, e.g. tcp://127.0.0.1:8786"
    try:
        from distributed.comm import get_address_host_port, parse_address

        protocol, _ = parse_address(scheduler)
        if protocol in ("tcp", "tls"):  # fail at once when nothing listens there
            import socket

            host, port = get_address_host_port(scheduler)
            socket.create_connection((host, port), timeout=DASK_CONNECT_TIMEOUT_S).close()
        client = Client(scheduler, timeout=f"{DASK_CONNECT_TIMEOUT_S}s")
    except (OSError, ValueError, TypeError) as exc:
        raise InputError("--scheduler", scheduler, allowed,
                         hint=f"could not connect ({type(exc).__name__}: "
                              f"{shorten(str(exc), 200)}); nothing was written") from None
    return client, None


def _execute_dask(spec: SweepSpec, out: Path, todo: Sequence[Point], workers: int,
                  fast: FastPath | None, client: Any, cluster: Any,
                  on_done: Callable[[Point, dict[str, Any]], None]) -> None:
    """Run the points as Dask tasks; shut down quietly even when stopped early.

    Shutdown order: cancel the tasks that have not finished (a sweep stopped by an
    error or Ctrl-C), close the client, then the LocalCluster started for this sweep
    (``cluster``, or ``None``). Closing a cluster whose workers still run tasks makes
    Dask wait for them and then time out, which can leave ``TimeoutError``/
    ``CancelledError`` noise on stderr.
    """
    from dask.distributed import as_completed

    futures: dict[Any, Sequence[Point]] = {}
    try:
        if fast is not None:
            size = max(25, len(todo) // max(workers, 1) + 1)
            for chunk in _fast_chunks(fast, spec, todo, size):
                futures[client.submit(run_fast_chunk, spec, list(chunk), 1, True,
                                      pure=False)] = chunk
        else:
            for p, job in zip(todo, _jobs(spec, out, todo), strict=True):
                futures[client.submit(run_point, job, key=f"hemcell-point-{p.id}",
                                      pure=False)] = [p]
        for fut in as_completed(futures):
            pts = futures[fut]
            try:
                outcomes = fut.result()
                outcomes = outcomes if isinstance(outcomes, list) else [outcomes]
            except Exception as exc:  # the worker died or the task could not run
                outcomes = [{"status": "failed", "summary": None, "elapsed_s": 0.0,
                             "error": f"dask: {type(exc).__name__}: {exc}"}] * len(pts)
            for p, outcome in zip(pts, outcomes, strict=True):
                on_done(p, outcome)
    finally:
        pending = [f for f in futures if not f.done()]
        if pending:
            client.cancel(pending)
        futures.clear()  # release the results before the client goes
        client.close()
        if cluster is not None:
            cluster.close()


def check_executor(executor: str, scheduler: str | None, workers: int | None) -> int:
    """The number of workers a sweep runs with, after checking ``--executor``,
    ``--scheduler`` and ``--workers`` together (``run_sweep`` and ``--check`` alike).

    Raises
    ------
    InputError
        An unknown executor, a scheduler without ``--executor dask``, workers < 1.
    """
    if executor not in ("local", "dask"):
        raise InputError("--executor", executor, "local or dask")
    if scheduler is not None and executor != "dask":
        raise InputError("--scheduler", scheduler, "only with --executor dask")
    workers = workers or os.cpu_count() or 1
    if workers < 1:
        raise InputError("--workers", workers, "a whole number >= 1")
    return workers


def check_scheduler(scheduler: str) -> None:
    """Connect to the Dask scheduler ``--scheduler`` names and disconnect (``--check``):
    a malformed or unreachable address is refused as the run would refuse it.

    Raises
    ------
    InputError
        As :func:`_connect_dask`.
    """
    client, _ = _connect_dask(scheduler, 1)
    client.close()


def choose_path(spec: SweepSpec, fast_path: bool) -> tuple[str, FastPath | None, str]:
    """(``fast`` or ``process``, the command's fast path or ``None``, a note).

    The fast path is taken when ``fast_path`` is on, the command offers one and it
    accepts the spec. The note says why it was not taken, or, from a fast path that
    shares built models among the points (``note``), how many models for how many
    points and why.
    """
    from hemcell.sweep.commands import resolve_command

    fast = resolve_command(spec.command).fast_path() if fast_path else None
    note = "" if fast_path else "fast path switched off"
    if fast is not None:
        reason = fast.unsupported(spec)
        if reason:
            note, fast = f"fast path not taken: {reason}", None
        elif hasattr(fast, "note"):
            note = fast.note(spec)
    return ("fast" if fast is not None else "process"), fast, note


def run_sweep(spec: SweepSpec, out: str | os.PathLike[str], *, workers: int | None = None,
              executor: Executor = "local", scheduler: str | None = None,
              resume: bool = False, fast_path: bool = True, progress: bool = True,
              overwrite: bool = False, plots: bool = True) -> SweepReport:
    """Run every point of a sweep, then gather the results.

    Parameters
    ----------
    spec
        A validated spec (:func:`~hemcell.sweep.load_spec`).
    out
        Output folder (layout in the module docstring).
    workers
        Points run at once (process path) or solver threads (fast path); default: the
        number of CPUs.
    executor
        ``local`` (processes on this machine) or ``dask`` (Dask distributed).
    scheduler
        Dask scheduler address; ``None`` with ``executor="dask"`` starts a LocalCluster
        of ``workers`` workers.
    resume
        Continue a sweep in ``out``: finished points whose files pass
        :func:`~hemcell.sweep.store.record_problem` are kept, not recomputed.
    fast_path
        Use the command's fast path when it offers one and accepts the spec.
    progress
        Show the progress bar (on stderr).
    overwrite
        Run into ``out`` even though it holds a sweep (every point is recomputed).
    plots
        Draw ``results.png`` (``--no-plots``: not; ``results.nc`` is the same).

    Returns
    -------
    SweepReport

    Raises
    ------
    InputError
        ``out`` holds a sweep and neither ``resume`` nor ``overwrite`` is set; an unknown
        executor; an unreachable Dask scheduler (before anything is written); an output
        key the command does not write (found at the first finished point, which stops
        the sweep).
    """
    from hemcell.sweep.gather import gather

    out = Path(out)
    workers = check_executor(executor, scheduler, workers)
    if (out / "sweep.json").exists() and not (resume or overwrite):
        raise InputError("--out", str(out), "a folder without a sweep in it",
                         hint="pass --resume to continue that sweep, --overwrite to start "
                              "it again, or choose another --out")
    t0 = time.perf_counter()
    existed = out.exists()
    fresh = not (resume or overwrite) and not (existed and any(out.iterdir()))
    store = PointStore(out)
    done, invalid = store.finished(spec.points, spec.outputs) if resume else (set(), {})
    recomputed = tuple(f"point {pid}: {why}; recomputed" for pid, why in invalid.items())
    todo = [p for p in spec.points if p.id not in done]

    path, fast, note = choose_path(spec, fast_path)
    client = cluster = None
    if todo and executor == "dask":  # before anything is written: a bad address leaves no trace
        client, cluster = _connect_dask(scheduler, workers)
    write_json(out / "sweep.json", {**spec.record(), "created_utc": now_utc(), "path": path,
                                    "executor": executor, "workers": workers,
                                    "versions": package_versions()})
    counts = {"computed": 0, "failed": 0, "checked": 0}

    try:
        _run_points(spec, out, todo, done, path, workers, executor, fast, client,
                    cluster, progress, store, counts)
    except InputError:  # a spec error found at the first finished point
        if fresh and scheduler is None:  # nothing else can still write into out
            _clear_new_folder(out, existed)
        raise

    results, figure, failed = gather(spec, out, plots=plots)
    write_run_record(out, spec.record(), extra={"sweep_path": path, "executor": executor})
    return SweepReport(out=out, total=len(spec.points), computed=counts["computed"],
                       reused=len(done), failed=failed, path=path, note=note,
                       elapsed_s=time.perf_counter() - t0, results=results, figure=figure,
                       recomputed=recomputed)


def _clear_new_folder(out: Path, existed: bool) -> None:
    """Leave ``out`` as a sweep stopped by a spec error found it: new (removed) or
    empty (emptied), so the corrected command runs without ``--overwrite``."""
    if not existed:
        shutil.rmtree(out, ignore_errors=True)
        return
    for child in out.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child, ignore_errors=True)
        else:
            child.unlink(missing_ok=True)


def _run_points(spec: SweepSpec, out: Path, todo: Sequence[Point], done: set[str], path: str,
                workers: int, executor: str, fast: FastPath | None, client: Any, cluster: Any,
                progress: bool, store: PointStore, counts: dict[str, int]) -> None:
    """Run the points still to do, writing each point's file as it finishes."""
    with _Progress(len(spec.points), len(done), f"sweep {spec.command} ({path})",
                   progress) as bar:
        def on_done(point: Point, outcome: dict[str, Any]) -> None:
            if outcome["status"] == "ok":
                if not counts["checked"]:  # a key the command never writes: a spec error
                    counts["checked"] = 1
                    check_outputs(spec, outcome["summary"])
                problem = output_problem(outcome["summary"], spec.outputs)
                if problem is not None:
                    outcome = {**outcome, "status": "failed", "error": problem}
            store.write(point, outcome, path)
            counts["computed"] += 1
            failed = outcome["status"] != "ok"
            counts["failed"] += int(failed)
            bar.advance(failed, point, spec, outcome.get("error"))

        if todo and executor == "local":
            _execute_local(spec, out, todo, workers, fast, on_done)
        elif todo:
            _execute_dask(spec, out, todo, workers, fast, client, cluster, on_done)
