"""Surface model: coupled electro-chemo-mechanical solve vs a scalar Poisson solve.

Issue 5 asks for the 2D coupled solve at >= 100k DOFs timed against a scalar Poisson
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
  ranks) and wall times on that many ranks. ``python benchmarks/bench_surface.py
  --profile`` prints where one coupled solve spends its time at both sizes (cProfile
  stages and PETSc log events: factorisations, triangular solves, residual and
  Jacobian evaluations).
- ``surface_transient_steps`` (issue 6): ten moving-boundary transient steps (Δt = 10 s,
  BDF2, transport SNES + mesh-motion Laplace solve per step) of the coated nucleus on
  the default mesh vs one steady coupled solve (``solve_coupled``) on the same mesh.
  Time per step = run / 10; the mesh is reset to its initial coordinates before each
  repeat.
- ``surface_iterative_100k`` (issue 6): the transport Newton solve alone (coated
  nucleus, ~100k DOFs) with GMRES + fieldsplit/GAMG vs MUMPS LU on the same mesh.
- ``surface_3d_500k`` / ``surface_3d_1m`` (issue 6): steady 3D transport + kinetics
  (bare nucleus, GMRES + fieldsplit/GAMG) at ~0.5M / ~1M DOFs vs a P1 Poisson CG+GAMG
  solve on the same 3D transport mesh (meshing outside the timing). MPI::

      mpiexec -n 1|2 python benchmarks/bench_surface.py --iterative   # 2D, LU vs GAMG
      mpiexec -n 1|2 python benchmarks/bench_surface.py --3d          # 3D sizes
- ``surface_3d_1m_end_to_end`` / ``surface_3d_1m_end_to_end_warm`` (issue 18):
  ``mpiexec -n 2 python -m hemcell surface run --dim 3`` at ~1M DOFs (bare nucleus,
  surface/far mesh 0.035/0.35 um, PNG maps and fields included) from the command line,
  with an empty mesh cache (cold: gmsh runs) and with the cache holding the mesh (warm).
  The targets are absolute wall times on 2 cores: < 180 s cold, < 120 s warm. Baseline:
  the scalar P1 Poisson CG+GAMG solve on the same 3D transport mesh (in process), for
  scale only.
- ``surface_mesh_cache_3d`` (issue 18): building the 3D mesh of the bare nucleus
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


class _EndToEnd3D:
    """``hemcell surface run --dim 3`` on 2 ranks as a process, cold or warm mesh cache."""

    def __init__(self, sizes_um: tuple[float, float], warm: bool) -> None:
        self.sizes_um = sizes_um
        self.warm = warm
        self._cache: Any = None

    def command(self, out: str) -> list[str]:
        """The command line (``mpiexec -n 2`` next to the interpreter)."""
        import sys
        from pathlib import Path

        mpiexec = Path(sys.executable).parent / "mpiexec"
        return [str(mpiexec), "-n", "2", sys.executable, "-m", "hemcell", "surface", "run",
                "--dim", "3", "--case", "bare", "--geometry", "nucleus",
                "--set", f"surface_mesh_size_3d={self.sizes_um[0]}um",
                "--set", f"far_mesh_size_3d={self.sizes_um[1]}um", "--out", out]

    def run(self) -> None:
        import subprocess
        import tempfile

        if self._cache is None or not self.warm:  # cold: a new, empty cache folder
            self._cache = tempfile.TemporaryDirectory(prefix="hemcell_bench_e2e_")
        env = dict(os.environ, HEMCELL_CACHE_DIR=self._cache.name, OMP_NUM_THREADS="1")
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
#: (cumulative CPU, nested stages included in their parents) ...
PROFILE_FUNCTIONS = {
    "mechanics set-up (P2 assembly, growth-strain map, forms)": ("mechanics.py", "__init__"),
    "mechanics solves (right-hand side, factorisation, back-solves)": ("mechanics.py", "solve"),
    "mechanics surface sampling (surface-cell stress, σ_nn)": ("mechanics.py",
                                                              "surface_normal_stress"),
    "transport set-up (forms, matrices, fields)": ("solver.py", "__init__"),
    "transport Newton solves": ("solver.py", "solve"),
    "  of which Jacobian assembly": ("solver.py", "_assemble_jacobian"),
    "transport surface sampling": ("solver.py", "surface_samples"),
    "stress → transport (set_normal_stress)": ("solver.py", "set_normal_stress"),
}
#: ... and PETSc log events (wall seconds, counts).
PROFILE_EVENTS = {
    "elasticity Cholesky: symbolic + numeric": ("MatCholFctrSym", "MatCholFctrNum"),
    "transport LU: symbolic + numeric": ("MatLUFactorSym", "MatLUFactorNum"),
    "triangular solves (both)": ("MatSolve",),
    "SNES residual evaluations": ("SNESFunctionEval",),
    "SNES Jacobian evaluations": ("SNESJacobianEval",),
}


def _main_profile() -> None:
    """Print where the time of one coupled solve goes (1 rank), at each benchmark size."""
    import cProfile
    import pstats

    import dolfinx_solver  # noqa: F401  (must precede petsc4py)

    from petsc4py import PETSc

    PETSc.Log.begin()
    for label, size in SIZES_UM.items():
        case = _Case(size)
        case.poisson()
        r = case.coupled()  # warm-up: forms compiled and cached
        c = time.process_time()
        case.poisson()
        c_poisson = time.process_time() - c
        before = {e: PETSc.Log.Event(e).getPerfInfo() for ev in PROFILE_EVENTS.values()
                  for e in ev}
        profile = cProfile.Profile()
        c = time.process_time()
        profile.enable()
        r = case.coupled()
        profile.disable()
        c_coupled = time.process_time() - c
        stats = pstats.Stats(profile).stats  # type: ignore[attr-defined]
        tr, mech = r.transport, r.mechanics
        dofs_t = tr.W.dofmap.index_map.size_global * tr.W.dofmap.index_map_bs
        dofs_m = mech.V.dofmap.index_map.size_global * mech.V.dofmap.index_map_bs
        print(f"{label}: dofs={dofs_t + dofs_m} (transport {dofs_t}, elasticity {dofs_m}) "
              f"coupled cpu={c_coupled:.3f} s (under cProfile) poisson cpu={c_poisson:.3f} s "
              f"coupling_iterations={r.coupling_iterations} newton={r.newton_iterations} "
              f"{_load()}")
        for name, (path, func) in PROFILE_FUNCTIONS.items():
            hits = [(v[1], v[3]) for k, v in stats.items()
                    if k[0].endswith("surface/" + path) and k[2] == func]
            calls, cum = sum(h[0] for h in hits), sum(h[1] for h in hits)
            print(f"  {name:62s} {cum:7.3f} s  {calls} calls")
        for name, events in PROFILE_EVENTS.items():
            info = [(PETSc.Log.Event(e).getPerfInfo(), before[e]) for e in events]
            t = sum(a["time"] - b["time"] for a, b in info)
            n = [int(a["count"] - b["count"]) for a, b in info]
            print(f"  {name:62s} {t:7.3f} s  {'+'.join(map(str, n))} calls (PETSc log, wall)")


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

    if "--mesh" in sys.argv:
        _main_mesh()
    elif "--profile" in sys.argv:
        _main_profile()
    elif "--transient" in sys.argv:
        _main_transient()
    elif "--iterative" in sys.argv:
        _main_iterative()
    elif "--3d" in sys.argv:
        _main_3d()
    else:
        _main()
