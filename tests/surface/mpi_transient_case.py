"""Transient surface runs, metrics as JSON (used by test_transient_mpi.py under mpiexec)."""

from __future__ import annotations

import json
import sys


def main(out_path: str) -> None:
    import dolfinx_solver  # noqa: F401

    from mpi4py import MPI

    from hemcell.surface.run import resolve_case, solve_transient_case, transient_settings
    from hemcell.surface.transient_output import transient_metrics

    coarse = ["surface_mesh_size=0.2um", "far_mesh_size=2um"]
    results = {}
    for case, geometry in (("bare", "sinusoid"), ("coated", "nucleus")):
        rc = resolve_case(case, geometry, coarse)
        settings = transient_settings(rc, duration_s=60.0, dt_s=10.0, frames=0)
        results[f"{case}_{geometry}"] = transient_metrics(solve_transient_case(rc, settings))
    if MPI.COMM_WORLD.rank == 0:
        with open(out_path, "w", encoding="utf-8") as fh:
            json.dump(results, fh)


if __name__ == "__main__":
    main(sys.argv[1])
