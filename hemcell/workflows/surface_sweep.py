"""Fast path of ``hemcell surface run`` sweeps: points solved in long-lived processes.

On the process path (``docs/sweeps.md``) every point of a ``surface run`` sweep is a
new Python process: it starts the interpreter, imports DOLFINx, PETSc, gmsh and
matplotlib, meshes the geometry, JIT-loads the compiled forms, solves, and writes
fields and maps. Only the solve depends on the point. The fast path runs the points in
worker processes that stay alive for the whole chunk of points, so per point it pays
only for

* resolving the parameter sets with the point's ``--set`` values (as the command does);
* the mesh, built once per distinct geometry in each worker (the gmsh model and
  DOLFINx meshes are kept in memory, keyed by the :class:`~hemcell.surface.geometry.
  GeometrySpec` and the dimension; a steady solve never moves the mesh, so reusing it
  is exact); the compiled forms are JIT-cached in memory by DOLFINx after the first
  point;
* the coupled solve and :func:`~hemcell.surface.metrics.compute_metrics`. The 2D
  solves of one mesh go through one :class:`~hemcell.surface.solver.CoupledSolver`
  (per linear solver), which keeps the transport and elasticity factorisations' set-up
  from point to point: the MUMPS analysis (ordering, symbolic factorisation) is done at
  the first point only, and the elasticity's Cholesky factors are reused while the
  moduli do not change (results as a cold solve's, to round-off).

It writes the point records only (no ``runs/<id>/`` fields, maps or run record), the
same ``metrics.json`` values ``surface run`` writes (the same functions on the same
mesh; ``tests/sweep/test_surface_fast.py`` compares one point both ways).

``threads`` (the sweep's ``--workers``) > 1 runs the points on that many worker
processes (``spawn``: a fresh interpreter, since MPI and PETSc do not survive a fork);
each worker solves a contiguous share of the points, so neighbouring points of the grid
(which usually share the geometry) share a mesh. A worker is killed with the sweep
(``PR_SET_PDEATHSIG`` on Linux). With one thread the points are solved in the sweep's
own process.

Not taken (the sweep uses the process path, with a note): transient runs (the mesh
moves with the surface and each run writes its time series), MPI ranks > 1, and a
``results_file`` other than ``metrics.json``. ``timeout_s`` is not enforced per point.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hemcell.sweep.spec import Point, SweepSpec

COMMAND = "surface run"
#: The file ``surface run`` writes its metrics to.
RESULTS_FILE = "metrics.json"

ParseArgs = Callable[[Sequence[str]], dict[str, Any]]

#: Meshes built in this process: (geometry spec, dimension) → mesh. Steady solves never
#: move a mesh, so every point with that geometry can use it.
_MESHES: dict[tuple[Any, int], Any] = {}
#: Distinct meshes kept per process (a sweep over a mesh-shaping value builds one per
#: value; the oldest is dropped beyond this).
MAX_MESHES = 4
#: Coupled solvers of the kept 2D meshes: (geometry spec, dimension, linear solver) →
#: CoupledSolver (its kept factorisations go with its mesh).
_SOLVERS: dict[tuple[Any, int, str], Any] = {}


def _mesh(spec: Any, dim: int) -> Any:
    """The mesh of ``spec`` in ``dim`` dimensions, built once per process."""
    key = (spec, dim)
    if key not in _MESHES:
        while len(_MESHES) >= MAX_MESHES:
            old = next(iter(_MESHES))
            _MESHES.pop(old)
            for k in [k for k in _SOLVERS if k[:2] == old]:
                del _SOLVERS[k]
        if dim == 3:
            from hemcell.surface.geometry3d import build_mesh_3d

            _MESHES[key] = build_mesh_3d(spec)
        else:
            from hemcell.surface.geometry import build_mesh

            _MESHES[key] = build_mesh(spec)
    return _MESHES[key]


def _coupled_solver(spec: Any, linear_solver: str) -> Any:
    """The :class:`~hemcell.surface.solver.CoupledSolver` of the 2D mesh of ``spec``,
    one per process and linear solver."""
    from hemcell.surface.solver import CoupledSolver

    sm = _mesh(spec, 2)
    key = (spec, 2, linear_solver)
    if key not in _SOLVERS or _SOLVERS[key].sm is not sm:
        _SOLVERS[key] = CoupledSolver(sm, linear_solver=linear_solver)
    return _SOLVERS[key]


def _geometry(kw: dict[str, Any]) -> str:
    """The geometry ``surface run`` uses: ``--geometry``, else sinusoid (2D) or nucleus
    (3D)."""
    if kw.get("geometry") is not None:
        return str(kw["geometry"])
    return "nucleus" if int(kw.get("dim") or 2) == 3 else "sinusoid"


def run_point(kw: dict[str, Any]) -> dict[str, Any]:
    """The metrics ``hemcell surface run`` writes, for parsed arguments ``kw``.

    The same checks, parameter resolution, solve and metrics as
    :func:`hemcell.workflows.surface.run_case`, on a mesh kept across points.

    Raises
    ------
    InputError
        A bad option value or override (as the command would).
    SimulationError
        The solve failed.
    """
    import dolfinx_solver  # noqa: F401  (before DOLFINx, as `surface run` imports it)

    from hemcell.surface.metrics import compute_metrics
    from hemcell.workflows.surface import (
        _linear_solver,
        check_overrides,
        resolve_case,
    )

    dim = int(kw.get("dim") or 2)
    control = kw.get("control") or "galvanostatic"
    metal = kw.get("metal") or "Li"
    case, geometry, overrides = kw["case"], _geometry(kw), list(kw.get("set_") or [])
    check_overrides("run", overrides, case=case, geometry=geometry, dim=dim, control=control,
                    metal=metal)
    rc = resolve_case(case, geometry, overrides, control, dim=dim, metal=metal)
    solver = _linear_solver(rc.dim, kw.get("linear_solver"))
    if rc.dim == 3:
        from hemcell.surface.solver3d import solve_steady_3d

        result = solve_steady_3d(_mesh(rc.geometry, 3), rc.parameters, rc.case, None, solver)
    else:
        result = _coupled_solver(rc.geometry, solver).solve(rc.parameters, rc.case)
    return compute_metrics(result)


def solve_points(parse_args: ParseArgs, args: Sequence[Sequence[str]]
                 ) -> list[dict[str, Any] | BaseException]:
    """Metrics or the error for each argument list, solved one after another here."""
    out: list[dict[str, Any] | BaseException] = []
    for a in args:
        try:
            out.append(run_point(parse_args([*a, "--out", "-"])))
        except Exception as exc:  # a failed point, recorded with its error: not the sweep
            out.append(exc)
    return out


def _solve_share(parse_args: ParseArgs, args: Sequence[Sequence[str]]
                 ) -> list[dict[str, Any] | tuple[str, str]]:
    """:func:`solve_points` in a worker process; an error goes back as (class name,
    message), since not every exception class survives pickling."""
    return [(type(r).__name__, str(r)) if isinstance(r, BaseException) else r
            for r in solve_points(parse_args, args)]


def _error(name: str, message: str) -> Exception:
    """An exception named ``name`` with ``message`` (an error sent back by a worker)."""
    return type(name, (Exception,), {})(message)


def _die_with_parent(parent: int) -> None:
    """Pool initializer: this worker is killed when the sweep dies (Linux)."""
    if sys.platform == "linux":
        import ctypes
        import signal

        ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGKILL))
        if os.getppid() != parent:
            os._exit(70)


def _shares(n: int, parts: int) -> list[range]:
    """``parts`` contiguous index ranges covering ``range(n)``, sizes differing by ≤ 1."""
    base, extra = divmod(n, parts)
    out, start = [], 0
    for k in range(parts):
        size = base + (k < extra)
        out.append(range(start, start + size))
        start += size
    return [r for r in out if len(r)]


class SurfaceRunFastPath:
    """``surface run`` points in long-lived processes (see the module doc).

    Parameters
    ----------
    parse_args
        Turns a point's argument list into ``surface run``'s keyword arguments, exactly
        as the command parses them (given by the sweep, which knows the command line).
    """

    def __init__(self, parse_args: ParseArgs) -> None:
        self.parse_args = parse_args

    def unsupported(self, spec: SweepSpec) -> str | None:
        """Why ``spec`` cannot take the fast path (``None``: it can)."""
        if spec.mpi_ranks != 1:
            return "mpi_ranks > 1 (each point runs under mpiexec)"
        if spec.results_file not in (None, RESULTS_FILE):
            return f"results_file {spec.results_file} (the fast path gives {RESULTS_FILE})"
        for p in spec.probe_points():
            if self.parse_args([*p.args, "--out", "-"]).get("transient"):
                return ("a transient run (--transient) moves its mesh and writes a time "
                        "series, so each point runs as its own command")
        return None

    def solve(self, spec: SweepSpec, points: Sequence[Point], threads: int
              ) -> list[dict[str, Any] | BaseException]:
        """Metrics (as ``surface run`` writes them) or the error, one per point.

        ``threads`` > 1: that many worker processes, each solving a contiguous share.
        """
        args = [p.args for p in points]
        workers = min(max(threads, 1), len(args))
        if workers <= 1:
            return solve_points(self.parse_args, args)
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor
        from concurrent.futures.process import BrokenProcessPool

        shares = _shares(len(args), workers)
        results: list[dict[str, Any] | BaseException] = []
        with ProcessPoolExecutor(max_workers=workers,
                                 mp_context=multiprocessing.get_context("spawn"),
                                 initializer=_die_with_parent,
                                 initargs=(os.getpid(),)) as pool:
            futures = [pool.submit(_solve_share, self.parse_args, [args[i] for i in share])
                       for share in shares]
            for fut, share in zip(futures, shares, strict=True):
                try:
                    results.extend(_error(*r) if isinstance(r, tuple) else r
                                   for r in fut.result())
                except BrokenProcessPool as exc:
                    results.extend([RuntimeError(
                        f"the fast-path worker process died ({exc}); rerun with --resume "
                        "(or --no-fast-path: one process per point)")] * len(share))
        return results


def sweep_fast_path(command: str, parse_args: ParseArgs) -> SurfaceRunFastPath | None:
    """The fast path ``hemcell sweep`` uses for ``surface run``."""
    return SurfaceRunFastPath(parse_args) if command == COMMAND else None
