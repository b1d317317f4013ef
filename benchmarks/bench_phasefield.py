"""Phase-field electrodeposition: time per step vs a scalar Poisson solve, 2-rank speed-up.

The benchmark times a 2D phase-field run at >= 100k DOFs against a scalar Poisson
solve on the same mesh, and the speed-up on 2 MPI ranks.

- ``phasefield_steps_100k``: five backward-Euler steps (fixed Δt = 0.05 s; one Newton
  solve of the coupled ξ, c, φ system with MUMPS LU each) of the bare Li set on a
  50 µm × 50 µm cell with 4 cells per interface width (~102k DOFs, 3 fields) vs a P1
  Poisson CG + GAMG solve on the same mesh. Time per step = run / 5. The model (mesh,
  forms) is built once, outside the timing; each repeat restarts from the initial state.
- MPI speed-up (not part of the in-process harness)::

      mpiexec -n 1 python benchmarks/bench_phasefield.py
      mpiexec -n 2 python benchmarks/bench_phasefield.py

  prints the time per step and the Poisson time on that many ranks.
"""

from __future__ import annotations

import importlib.util
import time
from pathlib import Path
from typing import Any

STEPS = 5
DT_S = 0.05
#: Cell, mesh rule: (50 um)^2 at N = 4 -> 184 x 184 vertices x 3 fields ~ 102k DOFs. The
#: current is below the 45 um electrolyte gap's limiting current (111 mA/cm2 at 298.15 K,
#: which every galvanostatic run checks; the set's 200 mA/cm2 is for its 17 um gap).
OVERRIDES = ["phasefield_domain_width=50um", "phasefield_domain_height=50um",
             "phasefield_initial_metal_height=5um", "phasefield_cells_per_interface_width=4",
             "applied_current_density=100mA/cm2"]


def _poisson_solver(msh: Any) -> Any:
    """The scalar Poisson baseline of the surface benchmark (CG + GAMG), same mesh."""
    path = Path(__file__).with_name("bench_surface.py")
    spec = importlib.util.spec_from_file_location("hemcell_bench_surface_poisson", path)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module.poisson_solver(msh)


class _Case:
    """Model and baseline built on first use (the harness's untimed warm-up call)."""

    def __init__(self) -> None:
        self._ready: tuple[Any, Any, Any] | None = None

    def _setup(self) -> tuple[Any, Any, Any]:
        if self._ready is None:
            from hemcell.surface.phasefield import PhaseFieldModel
            from hemcell.workflows.phasefield import resolve_phasefield

            p, _ = resolve_phasefield("bare", "Li", OVERRIDES)
            model = PhaseFieldModel(p)
            poisson, _ = _poisson_solver(model.msh)
            self._ready = (model, model.u_n.x.array.copy(), poisson)
        return self._ready

    def steps(self) -> Any:
        model, x0, _ = self._setup()
        model.u_n.x.array[:] = x0
        for _ in range(STEPS):
            ok, _, reason = model.solve_step(DT_S)
            if not ok:
                raise RuntimeError(f"phase-field step failed: {reason}")
            model.accept()
        return model

    def poisson(self) -> None:
        self._setup()[2]()


def benchmarks() -> list[Any]:
    """Phase-field steps at ~100k DOFs vs a GAMG Poisson solve on the same mesh."""
    from hemcell.cli.bench import Benchmark

    case = _Case()
    return [Benchmark(
        name="phasefield_steps_100k",
        description=(f"{STEPS} phase-field steps (bare Li, 50 um cell, 4 cells per interface "
                     f"width, ~102k DOFs, dt = {DT_S} s, Newton + MUMPS; divide by {STEPS} for "
                     "the time per step) vs P1 Poisson CG+GAMG on the same mesh"),
        run=case.steps, baseline=case.poisson,
        baseline_name="scalar Poisson, CG + GAMG, same mesh", repeats=2,
    )]


def _main() -> None:
    """Print the time per step and of the Poisson solve on this many ranks."""
    from mpi4py import MPI

    comm = MPI.COMM_WORLD
    case = _Case()
    case.steps()  # warm-up: mesh, form compilation, first factorisation
    case.poisson()

    def timed(fn: Any) -> float:
        comm.Barrier()
        t = time.perf_counter()
        fn()
        comm.Barrier()
        return time.perf_counter() - t

    t_steps = timed(case.steps)
    t_poisson = timed(case.poisson)
    model = case._setup()[0]
    if comm.rank == 0:
        print(f"phasefield: ranks={comm.size} dofs={model.dofs} per_step={t_steps / STEPS:.3f} s "
              f"poisson={t_poisson:.3f} s ratio={t_steps / STEPS / t_poisson:.1f}", flush=True)


if __name__ == "__main__":
    _main()
