"""Write the 2D and 3D surface fields under MPI (used by test_fields_formats.py).

``python -m tests.surface.mpi_fields_case OUT.json``: solves a coarse 2D (coated nucleus,
with mechanics) and 3D (bare flat) case, writes their fields next to ``OUT.json`` and
records the global numbers of cells and vertices of each mesh (rank 0).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def main(out_path: str) -> None:
    import dolfinx_solver  # noqa: F401

    from mpi4py import MPI

    from hemcell.surface.output import write_fields
    from hemcell.workflows.surface import resolve_case, solve_case

    out = Path(out_path).parent
    sizes = {}
    for dim, case, geometry in ((2, "coated", "nucleus"), (3, "bare", "flat")):
        rc = resolve_case(case, geometry, ["surface_mesh_size=0.5um", "far_mesh_size=2.5um"],
                          dim=dim)
        result = solve_case(rc)
        write_fields(result, out / f"d{dim}")
        msh = result.transport.msh
        tdim = msh.topology.dim
        sizes[f"d{dim}"] = {"cells": msh.topology.index_map(tdim).size_global,
                            "vertices": msh.topology.index_map(0).size_global,
                            "ranks": msh.comm.size}
    if MPI.COMM_WORLD.rank == 0:
        Path(out_path).write_text(json.dumps(sizes))


if __name__ == "__main__":
    main(sys.argv[1])
