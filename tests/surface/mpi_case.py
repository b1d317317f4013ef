"""Run surface cases and print their metrics as JSON (used by test_mpi.py under mpiexec)."""

from __future__ import annotations

import json
import sys


def run_cases(out_path: str, cases: tuple[tuple[str, str], ...], overrides: list[str],
              dim: int = 2) -> None:
    """Solve (case, geometry) pairs; rank 0 writes ``{case_geometry: metrics}`` to JSON."""
    import dolfinx_solver  # noqa: F401

    from mpi4py import MPI

    from hemcell.surface.metrics import compute_metrics
    from hemcell.workflows.surface import resolve_case, solve_case

    results = {}
    for case, geometry in cases:
        rc = resolve_case(case, geometry, overrides, dim=dim)
        results[f"{case}_{geometry}"] = compute_metrics(solve_case(rc))
    if MPI.COMM_WORLD.rank == 0:
        with open(out_path, "w", encoding="utf-8") as fh:
            json.dump(results, fh)


def main(out_path: str) -> None:
    run_cases(out_path, (("bare", "sinusoid"), ("coated", "nucleus")),
              ["surface_mesh_size=0.2um", "far_mesh_size=2um"])


if __name__ == "__main__":
    main(sys.argv[1])
