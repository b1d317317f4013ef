"""Surface model: coupled electro-chemo-mechanical solve vs a scalar Poisson solve.

The benchmark times the 2D coupled solve at >= 100k DOFs against a scalar Poisson
solve (CG + GAMG) on the same mesh in the same run, the time growth when the DOFs
double, and the speed-up on 2 MPI ranks.

- ``surface_coupled_100k`` / ``surface_coupled_200k``: ``solve_coupled`` (coated
  nucleus, stack pressure and growth strain on: transport SNES + MUMPS, P2 elasticity,
  staggered coupling to 1e-6) vs the Poisson baseline on the transport mesh. The mesh is
  built once, outside the timing. The absolute medians of the two give the growth
  with DOF count.
- ``surface_mechanics_gamg_100k``: the same coupled solve with the elasticity by CG +
  GAMG (rigid-body near-nullspace) vs the default MUMPS Cholesky elasticity.
- MPI speed-up (not part of the in-process harness)::

      mpiexec -n 1 python benchmarks/bench_surface.py
      mpiexec -n 2 python benchmarks/bench_surface.py

  prints the coupled (direct and GAMG elasticity) and Poisson CPU (summed over the
  ranks) and wall times on that many ranks. ``[mpiexec -n 2] python
  benchmarks/bench_surface.py --profile`` prints where one coupled solve spends its time
  at the three sizes (cProfile stages and PETSc log events: factorisations, triangular
  solves, residual and Jacobian evaluations; one column per rank, and the cells and
  DOFs of each rank).
- ``surface_coupled_245k_2ranks``: the same coupled solve at ~245k DOFs
  (surface mesh 0.0101 um with the set's Li far field: 148 026 transport + 97 480
  elasticity DOFs) on 2 MPI ranks vs on 1 rank, same run, alternating. Each rank count
  is a worker process (``mpiexec -bind-to core -n N python benchmarks/bench_surface.py
  --worker``: ranks pinned to cores, as for any timing on a dedicated machine) that
  meshes once and then solves on request, so only the solve is timed. A repeated solve
  on one mesh is the reuse path of a sweep: the worker solves through one
  ``CoupledSolver``, which keeps the MUMPS analyses of the transport and elasticity
  factorisations and the elasticity's Cholesky factors from the first (warm-up) solve,
  so the timed solves factorise only the transport Jacobians. Aim: ratio ≤ 1/1.4
  (2 ranks ≥ 1.4× faster). ``python benchmarks/bench_surface.py --ranks`` prints every
  repeat, the medians, the speed-up, the ratio of each 2-rank solve to the 1-rank solve
  just before it, the load average, the page faults per solve, the largest relative
  difference of the 2-rank results from the 1-rank ones, and the same for cold solves
  (``solve_coupled``: new factorisations, analysis included) with the symbolic and
  numeric factorisations each kind of solve did (PETSc log events); ``--ranks --idle``
  starts each pair only once both cores have been idle for a second (other jobs
  paused; at most a minute's wait, the pairs started without are counted).
  ``--profile --kept`` prints the stages of the repeated solve per rank. The timed
  solve factorises with the repeated-solve options of ``CoupledSolver`` (METIS, no
  scaling: ``hemcell.surface.solver.repeated_solve_options``).
- ``surface_transient_steps``: ten moving-boundary transient steps (Δt = 10 s,
  BDF2, transport SNES + mesh-motion Laplace solve per step) of the coated nucleus on
  the default mesh vs one steady coupled solve (``solve_coupled``) on the same mesh.
  Time per step = run / 10; the mesh is reset to its initial coordinates before each
  repeat.
- ``surface_iterative_100k``: the transport Newton solve alone (coated
  nucleus, ~100k DOFs) with GMRES + fieldsplit/GAMG vs MUMPS LU on the same mesh.
- ``surface_3d_500k`` / ``surface_3d_1m``: steady 3D transport + kinetics
  (bare nucleus, GMRES + fieldsplit/GAMG) at ~0.5M / ~1M DOFs vs a P1 Poisson CG+GAMG
  solve on the same 3D transport mesh (meshing outside the timing). MPI::

      mpiexec -n 1|2 python benchmarks/bench_surface.py --iterative   # 2D, LU vs GAMG
      mpiexec -n 1|2 python benchmarks/bench_surface.py --3d          # 3D sizes
- ``surface_3d_1m_end_to_end`` / ``surface_3d_1m_end_to_end_warm``:
  ``mpiexec -n 2 python -m hemcell surface run --dim 3`` at ~1M DOFs (bare nucleus,
  surface/far mesh 0.035/0.35 um, PNG maps and fields included) from the command line,
  with an empty mesh cache (cold: gmsh runs) and with the cache holding the mesh (warm).
  The targets are absolute wall times on 2 cores: < 180 s cold, < 120 s warm. Baseline:
  the scalar P1 Poisson CG+GAMG solve on the same 3D transport mesh (in process), for
  scale only.
- ``surface_mesh_cache_3d``: building the 3D mesh of the bare nucleus
  (~160k DOFs) from the mesh cache (a hit: no gmsh) vs with the cache switched off
  (gmsh + DOLFINx construction). ``python benchmarks/bench_surface.py --mesh`` prints
  the miss/hit times at the 3D sizes.

Every printed line carries the ranks, the DOFs and the 1-minute load average, since
absolute times on a shared machine vary with the load.
"""

from __future__ import annotations

import os
import time
from typing import Any

# (the Li far field of the surface set, li_far_mesh_size/_depth: ~113k and ~200k DOFs)
SIZES_UM = {"100k": 0.017, "200k": 0.012}
# 1 vs 2 ranks: surface mesh size [um] for ~245k DOFs (148 026 + 97 480 = 245 506 with
# the set's Li far field)
SIZE_RANKS_UM = 0.0101
RANKS_TARGET_SPEEDUP = 1.4
# 2D transport-only solves (LU vs GAMG): surface mesh sizes [um] for ~100k / ~200k DOFs
SIZES_ITERATIVE_UM = {"100k": 0.012, "200k": 0.0085}
# 3D (surface, far) element sizes [um] of the bare nucleus for ~0.5M and ~1M DOFs
SIZES_3D_UM = {"500k": (0.045, 0.45), "1m": (0.035, 0.35)}
# 3D mesh-cache benchmark: ~160k DOFs (quick enough for repeated misses)
SIZE_3D_CACHE_UM = (0.07, 0.7)


def _load() -> str:
    """The 1-minute load average, for the printed lines."""
    return f"load={os.getloadavg()[0]:.1f}"


def _parameters() -> Any:
    from hemcell.workflows.surface import resolve_case

    return resolve_case("coated", "nucleus", []).parameters


def _mesh(surface_um: float) -> Any:
    from hemcell.surface.geometry import GeometrySpec, build_mesh
    from hemcell.workflows.surface import resolve_case

    li = resolve_case("coated", "nucleus", []).geometry  # the set's Li far field
    spec = GeometrySpec(kind="nucleus", coating_thickness_m=28e-9, electrolyte_height_m=25e-6,
                        surface_mesh_size_m=surface_um * 1e-6,
                        far_mesh_size_m=12.5 * surface_um * 1e-6,
                        li_far_mesh_size_m=li.li_far_mesh_size_m,
                        li_far_mesh_depth_m=li.li_far_mesh_depth_m)
    return build_mesh(spec)


def poisson_solver(msh: Any) -> Any:
    """A P1 Poisson problem (-Δu = 1, u = 0 on the boundary) solved by CG + GAMG."""
    import dolfinx_solver  # noqa: F401

    import numpy as np
    import ufl
    from dolfinx import fem, mesh
    from dolfinx.fem.petsc import LinearProblem

    V = fem.functionspace(msh, ("Lagrange", 1))
    u, v = ufl.TrialFunction(V), ufl.TestFunction(V)
    scale = 1e-5  # lengths are in metres; keep the right-hand side O(1)
    a = ufl.inner(ufl.grad(u), ufl.grad(v)) * ufl.dx
    L = fem.Constant(msh, 1.0 / scale**2) * v * ufl.dx
    fdim = msh.topology.dim - 1
    msh.topology.create_connectivity(fdim, fdim + 1)
    dofs = fem.locate_dofs_topological(V, fdim, mesh.exterior_facet_indices(msh.topology))
    bc = fem.dirichletbc(np.float64(0.0), dofs, V)

    def solve() -> None:
        LinearProblem(a, L, bcs=[bc], petsc_options_prefix="bench_poisson_",
                      petsc_options={"ksp_type": "cg", "pc_type": "gamg", "ksp_rtol": 1e-8,
                                     "ksp_error_if_not_converged": True}).solve()

    return solve, V.dofmap.index_map.size_global


class _Case:
    """Mesh and solvers built on first use (the harness's untimed warm-up call)."""

    def __init__(self, size_um: float) -> None:
        self.size_um = size_um
        self._ready: tuple[Any, Any, Any] | None = None
        self._solver: Any = None

    def _make(self) -> tuple[Any, Any]:
        """The mesh and the parameters."""
        return _mesh(self.size_um), _parameters()

    def _setup(self) -> tuple[Any, Any, Any]:
        if self._ready is None:
            sm, p = self._make()
            poisson, _ = poisson_solver(sm.transport)
            self._ready = (sm, p, poisson)
        return self._ready

    def coupled(self, mechanics_solver: str = "direct") -> Any:
        from hemcell.surface.solver import solve_coupled

        sm, p, _ = self._setup()
        return solve_coupled(sm, p, "coated", mechanics_solver=mechanics_solver)

    def coupled_kept(self) -> Any:
        """The coupled solve through one ``CoupledSolver`` of this mesh (the linear
        solvers' set-up kept from the previous call)."""
        from hemcell.surface.solver import CoupledSolver

        sm, p, _ = self._setup()
        if self._solver is None:
            self._solver = CoupledSolver(sm)
        return self._solver.solve(p, "coated")

    def coupled_gamg_mechanics(self) -> Any:
        return self.coupled("gamg")

    def poisson(self) -> None:
        self._setup()[2]()


TRANSIENT_STEPS = 10


class _TransientCase:
    """Default coated nucleus mesh; transient steps vs one steady coupled solve."""

    def __init__(self) -> None:
        self._ready: tuple[Any, Any, Any, Any] | None = None

    def _setup(self) -> tuple[Any, Any, Any, Any]:
        if self._ready is None:
            from hemcell.surface.geometry import build_mesh
            from hemcell.workflows.surface import resolve_case

            rc = resolve_case("coated", "nucleus", [])
            sm = build_mesh(rc.geometry)
            x0 = [m.geometry.x.copy() for m in (sm.mesh, sm.transport, sm.mechanics)]
            self._ready = (sm, rc.parameters, x0, rc)
        return self._ready

    def transient(self) -> Any:
        from hemcell.surface.transient import TransientSettings, run_transient

        sm, p, x0, _ = self._setup()
        for m, x in zip((sm.mesh, sm.transport, sm.mechanics), x0, strict=True):
            m.geometry.x[:] = x
        settings = TransientSettings(duration_s=10.0 * TRANSIENT_STEPS, time_step_s=10.0,
                                     initial_time_step_s=10.0, step_growth=1.0)
        return run_transient(sm, p, "coated", settings)

    def steady(self) -> Any:
        from hemcell.surface.solver import solve_coupled

        sm, p, x0, _ = self._setup()
        for m, x in zip((sm.mesh, sm.transport, sm.mechanics), x0, strict=True):
            m.geometry.x[:] = x
        return solve_coupled(sm, p, "coated")


class _Iterative2D:
    """Transport Newton solve (coated nucleus, ~100k DOFs): fieldsplit/GAMG vs MUMPS."""

    def __init__(self, size_um: float) -> None:
        self.size_um = size_um
        self._ready: tuple[Any, Any] | None = None

    def _setup(self) -> tuple[Any, Any]:
        if self._ready is None:
            self._ready = (_mesh(self.size_um), _parameters())
        return self._ready

    def problem(self, linear_solver: str) -> Any:
        from hemcell.surface.solver import TransportProblem

        sm, p = self._setup()
        return TransportProblem(sm, p, "coated", linear_solver=linear_solver)

    def solve(self, linear_solver: str) -> Any:
        tr = self.problem(linear_solver)
        tr.solve()
        return tr

    def gamg(self) -> None:
        self.solve("gamg")

    def lu(self) -> None:
        self.solve("lu")


def _mesh_3d(sizes_um: tuple[float, float]) -> Any:
    from dataclasses import replace

    from hemcell.surface.geometry3d import build_mesh_3d
    from hemcell.workflows.surface import resolve_case

    spec = resolve_case("bare", "nucleus", [], dim=3).geometry
    return build_mesh_3d(replace(spec, surface_mesh_size_m=sizes_um[0] * 1e-6,
                                 far_mesh_size_m=sizes_um[1] * 1e-6))


class _Case3D(_Case):
    """3D bare nucleus: steady GAMG solve vs Poisson GAMG on the same transport mesh."""

    def __init__(self, sizes_um: tuple[float, float]) -> None:
        super().__init__(sizes_um[0])
        self.sizes_um = sizes_um

    def _make(self) -> tuple[Any, Any]:
        from hemcell.workflows.surface import resolve_case

        return _mesh_3d(self.sizes_um), resolve_case("bare", "nucleus", [], dim=3).parameters

    def steady(self) -> Any:
        from hemcell.surface.solver3d import solve_steady_3d

        sm, p, _ = self._setup()
        return solve_steady_3d(sm, p, "bare", linear_solver="gamg")


class _MeshCache3D:
    """3D meshing from the mesh cache (hit) vs with the cache switched off (gmsh)."""

    def __init__(self, sizes_um: tuple[float, float]) -> None:
        self.sizes_um = sizes_um
        self._dir: Any = None

    def _build(self, cache: bool) -> Any:
        import tempfile

        from hemcell.surface import mesh_cache

        mesh_cache.forget()  # from the file (a hit) or gmsh, not the mesh kept in process
        if self._dir is None:  # a private cache folder: the first hit is ours
            self._dir = tempfile.TemporaryDirectory(prefix="hemcell_bench_meshes_")
        saved = {k: os.environ.get(k) for k in ("HEMCELL_CACHE_DIR", "HEMCELL_MESH_CACHE")}
        os.environ["HEMCELL_CACHE_DIR"] = self._dir.name
        os.environ["HEMCELL_MESH_CACHE"] = "on" if cache else "off"
        try:
            return _mesh_3d(self.sizes_um)
        finally:
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v

    def hit(self) -> Any:
        return self._build(cache=True)

    def miss(self) -> Any:
        return self._build(cache=False)


def mpiexec_command(n_ranks: int, args: list[str], bind_to_core: bool = False) -> list[str]:
    """``mpiexec [-bind-to core] -n N python ARGS`` (:func:`hemcell.sweep.run.mpiexec_prefix`)."""
    import sys

    from hemcell.sweep.run import mpiexec_prefix

    return [*mpiexec_prefix(n_ranks, bind_to_core=bind_to_core), sys.executable, *args]


def mpi_environment(**extra: str) -> dict[str, str]:
    """The environment of an MPI benchmark process: one thread per rank."""
    return dict(os.environ, OMP_NUM_THREADS="1", **extra)


#: the line prefix of a worker's replies (rank 0, one JSON object per line)
WORKER_REPLY = "hemcell-bench-worker: "
_WORKER_COMMAND_TAG = 77


class _RanksWorker:
    """A coupled-solve worker on ``n_ranks`` MPI ranks, as a process (see :func:`_main_worker`).

    Started on first use: it meshes the benchmark case and then solves it whenever asked,
    so a timed call is the solve alone (plus a pipe round trip). ``env`` adds to the
    environment of the process. Its ranks are bound to cores (``-bind-to core``, 1 and 2
    ranks alike): unbound, the scheduler migrates them and the 1-rank times alone
    scattered by 30 % on an idle machine.
    """

    def __init__(self, n_ranks: int, size_um: float, env: dict[str, str] | None = None) -> None:
        self.n_ranks, self.size_um, self.env = n_ranks, size_um, env or {}
        self._process: Any = None

    def _ask(self, command: str) -> dict[str, Any]:
        import atexit
        import json
        import subprocess

        if self._process is None:
            self._process = subprocess.Popen(
                mpiexec_command(self.n_ranks, [__file__, "--worker", str(self.size_um)],
                                bind_to_core=True),
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                env=mpi_environment(**self.env))
            atexit.register(self.close)
        self._process.stdin.write(command + "\n")
        self._process.stdin.flush()
        for line in self._process.stdout:
            if line.startswith(WORKER_REPLY):
                return dict(json.loads(line[len(WORKER_REPLY):]))
        raise RuntimeError(f"the {self.n_ranks}-rank benchmark worker ended "
                           f"(exit code {self._process.wait()})")

    def solve(self) -> dict[str, Any]:
        """One coupled solve with the kept linear solvers (the reuse path): its wall time
        (``wall_s``), DOFs and factorisations (:data:`FACTORISATION_EVENTS`)."""
        return self._ask("solve")

    def cold(self) -> dict[str, Any]:
        """One cold coupled solve (``solve_coupled``), replied as :meth:`solve`."""
        return self._ask("cold")

    def results(self) -> dict[str, Any]:
        """Surface current, σ_nn and metrics of the last solve."""
        return self._ask("results")

    def close(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.stdin.close()
            self._process.wait()
        self._process = None


class _EndToEnd3D:
    """``hemcell surface run --dim 3`` on 2 ranks as a process, cold or warm mesh cache."""

    def __init__(self, sizes_um: tuple[float, float], warm: bool) -> None:
        self.sizes_um = sizes_um
        self.warm = warm
        self._cache: Any = None

    def command(self, out: str) -> list[str]:
        """The command line (``mpiexec -n 2`` next to the interpreter)."""
        return mpiexec_command(2, [
            "-m", "hemcell", "surface", "run", "--dim", "3", "--case", "bare",
            "--geometry", "nucleus", "--set", f"surface_mesh_size_3d={self.sizes_um[0]}um",
            "--set", f"far_mesh_size_3d={self.sizes_um[1]}um", "--out", out])

    def run(self) -> None:
        import subprocess
        import tempfile

        if self._cache is None or not self.warm:  # cold: a new, empty cache folder
            self._cache = tempfile.TemporaryDirectory(prefix="hemcell_bench_e2e_")
        env = mpi_environment(HEMCELL_CACHE_DIR=self._cache.name)
        env.pop("HEMCELL_MESH_CACHE", None)
        with tempfile.TemporaryDirectory(prefix="hemcell_bench_e2e_out_") as out:
            subprocess.run(self.command(out), env=env, check=True, capture_output=True)


def benchmarks() -> list[Any]:
    """Coupled solve at ~100k and ~200k DOFs vs a GAMG Poisson solve on the same mesh."""
    from hemcell.cli.bench import Benchmark

    out = []
    for label, size in SIZES_UM.items():
        case = _Case(size)
        out.append(Benchmark(
            name=f"surface_coupled_{label}",
            description=(f"coupled transport+kinetics+mechanics solve (coated nucleus, surface "
                         f"mesh {size} um, ~{label} DOFs) vs P1 Poisson CG+GAMG on the same "
                         "transport mesh"),
            run=case.coupled, baseline=case.poisson,
            baseline_name="scalar Poisson, CG + GAMG, same mesh",
            repeats=2, target_ratio=10.0,
        ))
    mech = _Case(SIZES_UM["100k"])
    out.append(Benchmark(
        name="surface_mechanics_gamg_100k",
        description=("coupled solve as surface_coupled_100k with the elasticity by CG + GAMG "
                     "(rigid-body near-nullspace, rtol 1e-12) vs the same solve with the "
                     "MUMPS Cholesky elasticity (the default)"),
        run=mech.coupled_gamg_mechanics, baseline=mech.coupled,
        baseline_name="same coupled solve, direct elasticity", repeats=2,
    ))
    one, two = _RanksWorker(1, SIZE_RANKS_UM), _RanksWorker(2, SIZE_RANKS_UM)
    out.append(Benchmark(
        name="surface_coupled_245k_2ranks",
        description=(f"coupled solve as surface_coupled_100k at ~245k DOFs (surface mesh "
                     f"{SIZE_RANKS_UM} um) on 2 MPI ranks vs 1 rank (worker processes "
                     "meshed beforehand; the solve alone is timed, repeated on one mesh "
                     "through a CoupledSolver: the reuse path, MUMPS analyses and "
                     "elasticity factors kept from the warm-up); aim: ratio ≤ "
                     f"1/{RANKS_TARGET_SPEEDUP:g}"),
        run=two.solve, baseline=one.solve,
        baseline_name="same solve on 1 rank", repeats=5,
        target_ratio=round(1 / RANKS_TARGET_SPEEDUP, 3),
    ))
    tc = _TransientCase()
    out.append(Benchmark(
        name="surface_transient_steps",
        description=(f"{TRANSIENT_STEPS} moving-boundary transient steps (coated nucleus, "
                     "default mesh, dt = 10 s, BDF2; divide by 10 for the time per step) vs "
                     "one steady coupled solve on the same mesh"),
        run=tc.transient, baseline=tc.steady,
        baseline_name="one steady coupled solve (solve_coupled), same mesh",
        repeats=2,
    ))
    it = _Iterative2D(SIZES_ITERATIVE_UM["100k"])
    out.append(Benchmark(
        name="surface_iterative_100k",
        description="2D transport Newton solve (coated nucleus, ~100k transport DOFs) with GMRES + "
                    "fieldsplit/GAMG vs MUMPS LU on the same mesh",
        run=it.gamg, baseline=it.lu, baseline_name="same solve with MUMPS LU", repeats=2,
    ))
    for label, sizes in SIZES_3D_UM.items():
        c3 = _Case3D(sizes)
        out.append(Benchmark(
            name=f"surface_3d_{label}",
            description=(f"3D steady transport+kinetics (bare nucleus, surface/far mesh "
                         f"{sizes[0]}/{sizes[1]} um, ~{label} DOFs, GMRES + fieldsplit/GAMG) "
                         "vs P1 Poisson CG+GAMG on the same transport mesh"),
            run=c3.steady, baseline=c3.poisson,
            baseline_name="scalar Poisson, CG + GAMG, same 3D mesh", repeats=1,
        ))
    poisson_1m = _Case3D(SIZES_3D_UM["1m"]).poisson
    for suffix, warm in (("", False), ("_warm", True)):
        e2e = _EndToEnd3D(SIZES_3D_UM["1m"], warm)
        out.append(Benchmark(
            name=f"surface_3d_1m_end_to_end{suffix}",
            description=("`mpiexec -n 2 hemcell surface run --dim 3` (bare nucleus, surface/far "
                         f"mesh {SIZES_3D_UM['1m'][0]}/{SIZES_3D_UM['1m'][1]} um, ~1M DOFs, "
                         "fields and PNG maps) from the command line, "
                         + ("mesh cache holding the mesh; target < 120 s" if warm else
                            "empty mesh cache (gmsh runs); target < 180 s")
                         + " wall on 2 cores (absolute)"),
            run=e2e.run, baseline=poisson_1m,
            baseline_name="scalar Poisson, CG + GAMG, same 3D mesh (in process, for scale)",
            repeats=1,
        ))
    mc = _MeshCache3D(SIZE_3D_CACHE_UM)
    out.append(Benchmark(
        name="surface_mesh_cache_3d",
        description=(f"3D mesh of the bare nucleus (surface/far {SIZE_3D_CACHE_UM[0]}/"
                     f"{SIZE_3D_CACHE_UM[1]} um, ~160k DOFs) from the mesh cache (no gmsh) "
                     "vs built with the cache off"),
        run=mc.hit, baseline=mc.miss,
        baseline_name="same mesh, cache off (gmsh + DOLFINx construction)", repeats=2,
    ))
    return out


def _cpu_and_wall(comm: Any, fn: Any) -> tuple[float, float, Any]:
    """CPU time summed over the ranks and wall time [s] of ``fn()``, and its result."""
    from mpi4py import MPI

    comm.Barrier()
    c, t = time.process_time(), time.perf_counter()
    out = fn()
    c = time.process_time() - c
    comm.Barrier()
    return comm.allreduce(c, op=MPI.SUM), time.perf_counter() - t, out


def _main() -> None:
    """Coupled solve (direct and GAMG elasticity) vs Poisson: CPU and wall, this many ranks."""
    import dolfinx_solver  # noqa: F401

    import numpy as np
    from mpi4py import MPI

    from hemcell.surface.metrics import compute_metrics

    comm = MPI.COMM_WORLD
    for label, size in SIZES_UM.items():
        case = _Case(size)
        case.poisson()  # mesh, warm-up
        case.coupled()  # warm-up (form compilation)
        c_poisson, w_poisson, _ = _cpu_and_wall(comm, case.poisson)
        reference = None
        for mechanics_solver in ("direct", "gamg"):
            run = case.coupled_gamg_mechanics if mechanics_solver == "gamg" else case.coupled
            c, w, result = _cpu_and_wall(comm, run)
            m = compute_metrics(result)
            tr = result.transport
            i_n = result.samples.current_density_A_per_m2
            reference = i_n if reference is None else reference
            change = float(np.max(np.abs(i_n - reference)) / np.max(np.abs(reference)))
            transport_dofs = tr.W.dofmap.index_map.size_global * tr.W.dofmap.index_map_bs
            if comm.rank == 0:
                print(f"{label}: ranks={comm.size} mechanics={mechanics_solver} "
                      f"dofs={m['dofs']} (transport {transport_dofs}) "
                      f"coupled cpu={c:.2f} s wall={w:.2f} s, poisson cpu={c_poisson:.3f} s "
                      f"wall={w_poisson:.3f} s, ratio cpu={c / c_poisson:.1f} "
                      f"wall={w / w_poisson:.1f} "
                      f"coupling_iterations={m['coupling_iterations']} "
                      f"newton={result.newton_iterations} "
                      f"factorisations={tr.preconditioner_builds} "
                      f"jacobians={tr.jacobian_assemblies} "
                      f"max_rel_change_i_n={change:.1e} {_load()}", flush=True)


def _timed(comm: Any, fn: Any) -> tuple[float, Any]:
    comm.Barrier()
    t = time.perf_counter()
    out = fn()
    comm.Barrier()
    return time.perf_counter() - t, out


def _next_command(comm: Any) -> str:
    """The next worker command: rank 0 reads it from stdin (``quit`` at its end) and sends
    it on; the other ranks wait for it by polling (an MPI receive would spin on a core
    the other worker needs)."""
    import sys

    if comm.rank == 0:
        command = sys.stdin.readline().strip() or "quit"
        for rank in range(1, comm.size):
            comm.send(command, dest=rank, tag=_WORKER_COMMAND_TAG)
        return command
    while not comm.Iprobe(source=0, tag=_WORKER_COMMAND_TAG):
        time.sleep(0.001)
    return str(comm.recv(source=0, tag=_WORKER_COMMAND_TAG))


#: PETSc log events of the factorisations (transport LU, elasticity Cholesky), symbolic
#: (the MUMPS analysis) and numeric, counted per solve by the ``--ranks`` workers
FACTORISATION_EVENTS = ("MatLUFactorSym", "MatLUFactorNum", "MatCholFctrSym",
                        "MatCholFctrNum")


def _main_worker(size_um: float) -> None:
    """Mesh the coupled case, then answer ``solve`` / ``cold`` / ``results`` until ``quit``.

    Replies (rank 0, a line :data:`WORKER_REPLY` + JSON): ``solve`` the wall time of one
    coupled solve through the worker's ``CoupledSolver`` (kept linear solvers) between
    barriers, the DOFs and the count and time of each :data:`FACTORISATION_EVENTS` in it
    (rank 0), the minor page faults of rank 0's process during the solve (memory newly
    mapped: :func:`hemcell.surface.petsc.keep_freed_memory`) and the elasticity
    back-substitutions and reused kept solutions (``MechanicsProblem.back_substitutions``,
    ``reused_solutions``); ``cold`` the same for
    ``solve_coupled``; ``results`` the surface current
    and σ_nn samples and the metrics of the last solve.
    """
    import json
    import resource

    import dolfinx_solver  # noqa: F401

    from mpi4py import MPI
    from petsc4py import PETSc

    from hemcell.surface.metrics import compute_metrics

    comm = MPI.COMM_WORLD
    PETSc.Log.begin()
    events = {e: PETSc.Log.Event(e) for e in FACTORISATION_EVENTS}
    case = _Case(size_um)
    case._setup()
    last = None
    while (command := _next_command(comm)) != "quit":
        if command in ("solve", "cold"):
            before = {e: ev.getPerfInfo() for e, ev in events.items()}
            faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
            wall, last = _timed(comm, case.coupled_kept if command == "solve" else case.coupled)
            faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt - faults
            tr, mech = last.transport, last.mechanics
            dofs = (tr.W.dofmap.index_map.size_global * tr.W.dofmap.index_map_bs,
                    mech.V.dofmap.index_map.size_global * mech.V.dofmap.index_map_bs)
            reply: dict[str, Any] = {"wall_s": wall, "ranks": comm.size,
                                     "transport_dofs": dofs[0], "elasticity_dofs": dofs[1],
                                     "page_faults": faults,
                                     "elasticity_solves": [mech.back_substitutions,
                                                           mech.reused_solutions]}
            for e, ev in events.items():
                info = ev.getPerfInfo()
                reply[e] = [int(info["count"] - before[e]["count"]),
                            info["time"] - before[e]["time"]]
        else:
            assert last is not None
            metrics = compute_metrics(last)
            reply = {"x_m": last.samples.x_m.tolist(),
                     "current_density_A_per_m2":
                         last.samples.current_density_A_per_m2.tolist(),
                     "normal_stress_Pa": last.samples.normal_stress_Pa.tolist(),
                     "metrics": {k: v for k, v in metrics.items()
                                 if isinstance(v, float) and k != "solve_time_s"}}
        if comm.rank == 0:
            print(WORKER_REPLY + json.dumps(reply), flush=True)


def _max_relative_change(a: dict[str, Any], b: dict[str, Any]) -> dict[str, float]:
    """Largest difference of b from a: surface current and σ_nn relative to their largest
    magnitude, every metric relative to itself."""
    import numpy as np

    out = {}
    for key in ("current_density_A_per_m2", "normal_stress_Pa"):
        x, y = np.asarray(a[key]), np.asarray(b[key])
        out[key] = float(np.max(np.abs(y - x)) / np.max(np.abs(x)))
    metrics = [abs(b["metrics"][k] - v) / abs(v) for k, v in a["metrics"].items()
               if v != 0 and k in b["metrics"]]
    out["metrics"] = max(metrics, default=0.0)
    return out


def _cores_idle(interval_s: float) -> list[float]:
    """The idle fraction of each core over ``interval_s`` (``/proc/stat``: idle + iowait
    jiffies over all)."""
    def snapshot() -> list[tuple[int, int]]:
        out = []
        with open("/proc/stat", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("cpu") and line[3].isdigit():
                    v = [int(x) for x in line.split()[1:]]
                    out.append((v[3] + v[4], sum(v)))
        return out

    a = snapshot()
    time.sleep(interval_s)
    b = snapshot()
    return [(bi[0] - ai[0]) / max(1, bi[1] - ai[1]) for ai, bi in zip(a, b, strict=True)]


#: ``--ranks --idle``: a pair of solves starts once every core has been at least this
#: idle for a second (other jobs paused), after at most IDLE_WAIT_S of waiting
IDLE_FRACTION = 0.85
IDLE_WAIT_S = 60.0


def _wait_for_idle_cores() -> bool:
    """Wait until every core is :data:`IDLE_FRACTION` idle over 1 s (at most
    :data:`IDLE_WAIT_S`); whether it was."""
    start = time.monotonic()
    while time.monotonic() - start < IDLE_WAIT_S:
        if min(_cores_idle(1.0)) >= IDLE_FRACTION:
            return True
    return False


def _main_ranks(repeats: int = 5, cold_repeats: int = 3, idle: bool = False) -> None:
    """The coupled solve at ~245k DOFs on 1 and 2 ranks, alternating: the repeated solve
    on one mesh (the reuse path, kept linear solvers) and, for comparison, the cold solve
    (``solve_coupled``). Prints the times, medians, speed-ups, load average, the
    factorisations per solve and the largest changes of the results (2 ranks vs 1, and
    kept vs cold). With ``idle`` (``--ranks --idle``) each pair starts only when the
    cores are idle (:func:`_wait_for_idle_cores`; other jobs on a shared machine slow a
    2-rank solve far more than a 1-rank one), and the pairs started without are
    counted; ``hemcell bench`` does not wait."""
    import statistics

    workers = {n: _RanksWorker(n, SIZE_RANKS_UM) for n in (1, 2)}
    for w in workers.values():
        w.solve()  # warm-up: meshing, forms, the first (cold) set-up of the kept solvers
    times: dict[str, dict[int, list[float]]] = {"kept": {1: [], 2: []}, "cold": {1: [], 2: []}}
    last: dict[str, dict[int, dict[str, Any]]] = {"kept": {}, "cold": {}}
    results: dict[str, dict[int, dict[str, Any]]] = {"kept": {}, "cold": {}}
    loads = []
    not_idle = 0
    for kind, count in (("kept", repeats), ("cold", cold_repeats)):
        for _ in range(count):
            if idle and not _wait_for_idle_cores():
                not_idle += 1
            for n, w in workers.items():
                loads.append(os.getloadavg()[0])
                last[kind][n] = w.solve() if kind == "kept" else w.cold()
                times[kind][n].append(last[kind][n]["wall_s"])
        for n, w in workers.items():
            results[kind][n] = w.results()
    for w in workers.values():
        w.close()
    reply = last["kept"][1]
    print(f"coupled 2D, dofs={reply['transport_dofs'] + reply['elasticity_dofs']} "
          f"(transport {reply['transport_dofs']}, elasticity {reply['elasticity_dofs']})")
    for kind, label in (("kept", "repeated solve on one mesh (CoupledSolver, kept linear "
                                 "solvers)"),
                        ("cold", "cold solve (solve_coupled: new factorisations)")):
        med = {n: statistics.median(t) for n, t in times[kind].items()}
        print(f" {label}:")
        for n, t in times[kind].items():
            f = last[kind][n]
            print(f"  {n} rank{'s' if n > 1 else ' '}: " + " ".join(f"{x:.3f}" for x in t)
                  + f" s, median {med[n]:.3f} s; per solve LU symbolic+numeric "
                  f"{f['MatLUFactorSym'][0]}+{f['MatLUFactorNum'][0]} "
                  f"({f['MatLUFactorSym'][1]:.3f}+{f['MatLUFactorNum'][1]:.3f} s), Cholesky "
                  f"{f['MatCholFctrSym'][0]}+{f['MatCholFctrNum'][0]} "
                  f"({f['MatCholFctrSym'][1]:.3f}+{f['MatCholFctrNum'][1]:.3f} s), elasticity "
                  f"back-substitutions {f['elasticity_solves'][0]} (+{f['elasticity_solves'][1]} "
                  f"kept solution reused), page faults {f['page_faults']} (rank 0)")
        print(f"  speed-up (median 1 rank / median 2 ranks) = {med[1] / med[2]:.2f}"
              + (f" (aim >= {RANKS_TARGET_SPEEDUP:g})" if kind == "kept" else ""))
        # each 2-rank solve against the 1-rank solve just before it: the machine's speed
        # drifts between minutes (the same factorisation on 1 rank varies up to 2x on an
        # idle guest), less within a pair
        paired = sorted(b / a for a, b in zip(times[kind][1], times[kind][2], strict=True))
        print(f"  per pair (2-rank time / 1-rank time just before): median "
              f"{statistics.median(paired):.3f}, {paired[0]:.3f}-{paired[-1]:.3f}")
        change = _max_relative_change(results[kind][1], results[kind][2])
        print("  2 ranks vs 1, max relative change: " + ", ".join(
            f"{k} {v:.1e}" for k, v in change.items()))
    for n in (1, 2):
        change = _max_relative_change(results["cold"][n], results["kept"][n])
        print(f" kept vs cold on {n} rank{'s' if n > 1 else ''}, max relative change: "
              + ", ".join(f"{k} {v:.1e}" for k, v in change.items()))
    print(f" load {min(loads):.1f}-{max(loads):.1f}" + (
        f"; pairs started on idle cores: {repeats + cold_repeats - not_idle} of "
        f"{repeats + cold_repeats} (>= {IDLE_FRACTION:.0%} idle for 1 s)" if idle else ""),
        flush=True)


def _main_iterative() -> None:
    """Print LU and GAMG transport-solve times in 2D on this many ranks."""
    from mpi4py import MPI

    comm = MPI.COMM_WORLD
    for label, size in SIZES_ITERATIVE_UM.items():
        it = _Iterative2D(size)
        it.lu()  # warm-up (meshing, form compilation)
        t_lu, _ = _timed(comm, it.problem("lu").solve)
        tr = it.problem("gamg")
        t_it, _ = _timed(comm, tr.solve)
        ksp = tr.problem.solver.getKSP()
        if comm.rank == 0:
            dofs = tr.W.dofmap.index_map.size_global * tr.W.dofmap.index_map_bs
            print(f"2D {label}: ranks={comm.size} transport_dofs={dofs} "
                  f"lu={t_lu:.2f} s gamg={t_it:.2f} s "
                  f"last_ksp_iterations={ksp.getIterationNumber()} {_load()}", flush=True)


def _main_3d() -> None:
    """Print 3D steady (GAMG) and Poisson times on this many ranks."""
    from mpi4py import MPI

    comm = MPI.COMM_WORLD
    for label, sizes in SIZES_3D_UM.items():
        case = _Case3D(sizes)
        t_mesh, _ = _timed(comm, case._setup)
        case.poisson()  # warm-up
        t_poisson, _ = _timed(comm, case.poisson)
        t_steady, r = _timed(comm, case.steady)
        ksp = r.transport.problem.solver.getKSP()
        dofs = r.transport.W.dofmap.index_map.size_global * r.transport.W.dofmap.index_map_bs
        if comm.rank == 0:
            print(f"3D {label}: ranks={comm.size} dofs={dofs} mesh={t_mesh:.1f} s "
                  f"steady={t_steady:.2f} s poisson={t_poisson:.3f} s "
                  f"ratio={t_steady / t_poisson:.1f} newton={r.newton_iterations[0]} "
                  f"last_ksp_iterations={ksp.getIterationNumber()} "
                  f"max_i_n={r.samples.current_density_A_per_m2.max():.6g} {_load()}",
                  flush=True)


#: ``--profile``: stages of one coupled solve as (module file, function) under cProfile
#: (cumulative, nested stages included in their parents) ...
PROFILE_FUNCTIONS = {
    "mechanics set-up (P2 assembly, growth-strain map, forms)": ("surface/mechanics.py",
                                                                 "__init__"),
    "mechanics solves (right-hand side, factorisation, back-solves)": ("surface/mechanics.py",
                                                                       "solve"),
    "mechanics surface sampling (surface-cell stress, σ_nn)": ("surface/mechanics.py",
                                                              "surface_normal_stress"),
    "transport set-up (forms, matrices, fields)": ("surface/solver.py", "__init__"),
    "transport Newton solves": ("surface/solver.py", "solve"),
    "  of which Jacobian assembly": ("surface/solver.py", "_assemble_jacobian"),
    "transport surface sampling": ("surface/solver.py", "surface_samples"),
    "stress → transport (set_normal_stress)": ("surface/solver.py", "set_normal_stress"),
    "gathers of surface samples (allgather, waits included)": ("surface/mechanics.py",
                                                               "_gather_sorted"),
    "forms from the JIT cache (rank 0 first, then the others)": ("dolfinx/jit.py", "mpi_jit"),
    "forms bound to the compiled code kept in the process": ("surface/forms.py", "form"),
    "expressions bound to the kept compiled code": ("surface/forms.py", "expression"),
}
#: ... and PETSc log events (seconds, counts).
PROFILE_EVENTS = {
    "elasticity Cholesky: symbolic (MUMPS analysis) + numeric": ("MatCholFctrSym",
                                                                "MatCholFctrNum"),
    "transport LU: symbolic (MUMPS analysis) + numeric": ("MatLUFactorSym", "MatLUFactorNum"),
    "triangular solves (both)": ("MatSolve",),
    "SNES residual evaluations": ("SNESFunctionEval",),
    "SNES Jacobian evaluations": ("SNESJacobianEval",),
}


def _profiled_solve(comm: Any, run: Any) -> tuple[Any, float, float, list[Any]]:
    """One coupled solve ``run()`` under cProfile and the PETSc log: its result, wall
    and CPU time (summed over the ranks) and this rank's rows (stage, seconds, calls,
    source) of :data:`PROFILE_FUNCTIONS` and :data:`PROFILE_EVENTS`."""
    import cProfile
    import pstats

    from mpi4py import MPI
    from petsc4py import PETSc

    before = {e: PETSc.Log.Event(e).getPerfInfo() for ev in PROFILE_EVENTS.values()
              for e in ev}
    profile = cProfile.Profile()
    comm.Barrier()
    c, t = time.process_time(), time.perf_counter()
    profile.enable()
    r = run()
    profile.disable()
    cpu = comm.allreduce(time.process_time() - c, op=MPI.SUM)
    comm.Barrier()
    wall = time.perf_counter() - t
    stats = pstats.Stats(profile).stats  # type: ignore[attr-defined]
    rows = []
    for name, (path, func) in PROFILE_FUNCTIONS.items():
        hits = [(v[1], v[3]) for k, v in stats.items() if k[0].endswith(path) and k[2] == func]
        rows.append((name, sum(h[1] for h in hits), str(sum(h[0] for h in hits)), ""))
    for name, events in PROFILE_EVENTS.items():
        info = [(PETSc.Log.Event(e).getPerfInfo(), before[e]) for e in events]
        rows.append((name, sum(a["time"] - b["time"] for a, b in info),
                     "+".join(str(int(a["count"] - b["count"])) for a, b in info),
                     " (PETSc log)"))
    return r, wall, cpu, rows


def _main_profile(kept_repeats: int = 0) -> None:
    """Print where the time of one coupled solve goes, at each benchmark size.

    Under ``mpiexec -n N`` one column per rank, and each rank's cells and DOFs of the two
    meshes (load balance). With ``kept_repeats`` > 0 (``--profile --kept``): the
    repeated solve of ``surface_coupled_245k_2ranks`` instead (one ``CoupledSolver``,
    warmed up once), that many times, each stage's smallest time over the repeats and
    the wall times of all of them.
    """
    import dolfinx_solver  # noqa: F401  (must precede petsc4py)

    from mpi4py import MPI
    from petsc4py import PETSc

    comm = MPI.COMM_WORLD
    PETSc.Log.begin()
    sizes = {"245k kept": SIZE_RANKS_UM} if kept_repeats else {**SIZES_UM,
                                                                "245k": SIZE_RANKS_UM}
    for label, size in sizes.items():
        case = _Case(size)
        case.poisson()
        run = case.coupled_kept if kept_repeats else case.coupled
        r = run()  # warm-up: forms compiled and cached (kept: the solvers' first set-up)
        c_poisson, _, _ = _cpu_and_wall(comm, case.poisson)
        repeats = [_profiled_solve(comm, run) for _ in range(max(1, kept_repeats))]
        r, _, c_coupled, rows = repeats[-1]
        rows = [(name, min(rep[3][i][1] for rep in repeats), calls, source)
                for i, (name, _, calls, source) in enumerate(rows)]
        walls = " ".join(f"{rep[1]:.3f}" for rep in repeats)
        tr, mech = r.transport, r.mechanics
        local = [(m.topology.index_map(2).size_local, V.dofmap.index_map.size_local
                  * V.dofmap.index_map_bs) for m, V in ((tr.msh, tr.W), (mech.sm.mechanics,
                                                                          mech.V))]
        every = comm.gather((rows, local), root=0)
        if comm.rank != 0:
            continue
        dofs_t = tr.W.dofmap.index_map.size_global * tr.W.dofmap.index_map_bs
        dofs_m = mech.V.dofmap.index_map.size_global * mech.V.dofmap.index_map_bs
        print(f"{label}: ranks={comm.size} dofs={dofs_t + dofs_m} (transport {dofs_t}, "
              f"elasticity {dofs_m}) coupled wall={walls} s cpu={c_coupled:.3f} s (under "
              f"cProfile) poisson cpu={c_poisson:.3f} s "
              f"coupling_iterations={r.coupling_iterations} newton={r.newton_iterations} "
              f"{_load()}")
        if comm.size > 1:
            print("  cells/DOFs per rank: transport " + ", ".join(
                f"{loc[0][0]}/{loc[0][1]}" for _, loc in every) + "; elasticity " + ", ".join(
                f"{loc[1][0]}/{loc[1][1]}" for _, loc in every))
        for i, (name, _, calls, source) in enumerate(rows):
            times = " ".join(f"{rk[0][i][1]:7.3f}" for rk in every)
            print(f"  {name:62s} {times} s  {calls} calls{source}")


def _main_transient() -> None:
    """Print the time per transient step and of one steady solve (default coated nucleus)."""
    tc = _TransientCase()
    tc.steady()  # warm-up: meshing and form compilation
    tc.transient()
    t = time.perf_counter()
    tc.steady()
    t_steady = time.perf_counter() - t
    t = time.perf_counter()
    r = tc.transient()
    t_tr = time.perf_counter() - t
    print(f"transient: dofs={r.dofs} steps={r.steps} per_step={t_tr / r.steps:.3f} s "
          f"steady_coupled={t_steady:.3f} s ratio={t_tr / r.steps / t_steady:.2f} {_load()}",
          flush=True)


def _main_mesh() -> None:
    """Print 3D meshing times with the cache off (gmsh), on a miss and on a hit."""
    from mpi4py import MPI

    comm = MPI.COMM_WORLD
    for label, sizes in {"160k": SIZE_3D_CACHE_UM, **SIZES_3D_UM}.items():
        mc = _MeshCache3D(sizes)
        t_off, sm = _timed(comm, mc.miss)
        t_miss, _ = _timed(comm, mc.hit)  # first use of the private folder: a miss
        t_hit, _ = _timed(comm, mc.hit)
        cells = sm.mesh.topology.index_map(3).size_global
        if comm.rank == 0:
            print(f"3D mesh {label}: ranks={comm.size} cells={cells} off={t_off:.1f} s "
                  f"miss={t_miss:.1f} s hit={t_hit:.1f} s {_load()}", flush=True)


if __name__ == "__main__":
    import sys

    if "--worker" in sys.argv:
        _main_worker(float(sys.argv[sys.argv.index("--worker") + 1]))
    elif "--ranks" in sys.argv:
        _main_ranks(idle="--idle" in sys.argv)
    elif "--mesh" in sys.argv:
        _main_mesh()
    elif "--profile" in sys.argv:
        _main_profile(kept_repeats=5 if "--kept" in sys.argv else 0)
    elif "--transient" in sys.argv:
        _main_transient()
    elif "--iterative" in sys.argv:
        _main_iterative()
    elif "--3d" in sys.argv:
        _main_3d()
    else:
        _main()
