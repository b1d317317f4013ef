"""Run surface cases and print their metrics as JSON (used by test_mpi.py under mpiexec)."""

from __future__ import annotations

import json
import sys


def main(out_path: str) -> None:
    import dolfinx_solver  # noqa: F401

    from mpi4py import MPI

    from hemcell.surface.metrics import compute_metrics
    from hemcell.surface.run import resolve_case, solve_case

    coarse = ["surface_mesh_size=0.2um", "far_mesh_size=2um"]
    results = {}
    for case, geometry in (("bare", "sinusoid"), ("coated", "nucleus")):
        rc = resolve_case(case, geometry, coarse)
        results[f"{case}_{geometry}"] = compute_metrics(solve_case(rc))
    if MPI.COMM_WORLD.rank == 0:
        with open(out_path, "w", encoding="utf-8") as fh:
            json.dump(results, fh)


if __name__ == "__main__":
    main(sys.argv[1])
