"""Transient surface runs, metrics as JSON (used by test_transient_mpi.py under mpiexec).

Cases (default sets, capillarity on, mechanics re-solved after every step): bare
sinusoid (60 s), coated nucleus (30 s; the stretched coating's Laplace pressure acts on
the cap) and a bare sinusoid at 10 mA/cm² with forced remeshing (quality ratio 0.97,
20 s), whose fields are carried over by non-matching interpolation on every rank.
"""

from __future__ import annotations

import dataclasses
import json
import sys


def main(out_path: str) -> None:
    import dolfinx_solver  # noqa: F401

    from mpi4py import MPI

    from hemcell.surface.transient_output import transient_metrics
    from hemcell.workflows.surface import resolve_case, solve_transient_case, transient_settings

    coarse = ["surface_mesh_size=0.2um", "far_mesh_size=2um", "transient_mechanics_interval=1"]
    results = {}
    for case, geometry, duration in (("bare", "sinusoid", 60.0), ("coated", "nucleus", 30.0)):
        rc = resolve_case(case, geometry, coarse)
        settings = transient_settings(rc, duration_s=duration, dt_s=10.0, frames=0)
        results[f"{case}_{geometry}"] = transient_metrics(solve_transient_case(rc, settings))
    rc = resolve_case("bare", "sinusoid", [*coarse, "applied_current_density=10mA/cm**2"])
    settings = dataclasses.replace(transient_settings(rc, duration_s=20.0, dt_s=10.0, frames=0),
                                   remesh_quality_ratio=0.97)
    results["bare_sinusoid_remeshed"] = transient_metrics(solve_transient_case(rc, settings))
    if MPI.COMM_WORLD.rank == 0:
        with open(out_path, "w", encoding="utf-8") as fh:
            json.dump(results, fh)


if __name__ == "__main__":
    main(sys.argv[1])
