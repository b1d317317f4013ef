"""Elasticity of the coated nucleus with a growth strain, direct and CG + GAMG.

Run under mpiexec by test_mechanics_iterative.py; rank 0 writes the surface normal
stress and the maximum von Mises stresses of both solvers as JSON.
"""

from __future__ import annotations

import json
import sys

OVERRIDES = ["surface_mesh_size=0.2um", "far_mesh_size=2um"]


def loaded_mechanics(linear_solver: str, sm=None, p=None):
    """The coarse coated nucleus under stack pressure and a non-uniform growth strain."""
    import dolfinx_solver  # noqa: F401

    import numpy as np

    from hemcell.surface.geometry import build_mesh
    from hemcell.surface.mechanics import MechanicsProblem
    from hemcell.workflows.surface import resolve_case

    if sm is None:
        rc = resolve_case("coated", "nucleus", OVERRIDES)
        sm, p = build_mesh(rc.geometry), rc.parameters
    mech = MechanicsProblem(sm, p, linear_solver=linear_solver)
    mech.solve()
    x_m = np.linspace(-5e-6, 5e-6, 201)
    # a focused deposition current (A/m²): 2× the mean at the tip, falling off over 1 µm
    current = 10.0 * (1.0 + np.exp(-(x_m / 1e-6) ** 2))
    mech.set_growth_current(x_m, current)
    mech.solve()
    return mech, sm, p


def main(out_path: str) -> None:
    from mpi4py import MPI

    from hemcell.surface.geometry import Cell

    out = {}
    sm = p = None
    for solver in ("direct", "gamg"):
        mech, sm, p = loaded_mechanics(solver, sm, p)
        x, snn = mech.surface_normal_stress()
        out[solver] = {"x_m": x.tolist(), "sigma_nn_Pa": snn.tolist(),
                       "max_von_mises_li_Pa": mech.max_von_mises(Cell.LI),
                       "max_von_mises_coating_Pa": mech.max_von_mises(Cell.COATING)}
    if MPI.COMM_WORLD.rank == 0:
        with open(out_path, "w", encoding="utf-8") as fh:
            json.dump(out, fh)


if __name__ == "__main__":
    main(sys.argv[1])
