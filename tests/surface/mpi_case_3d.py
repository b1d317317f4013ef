"""Run small 3D surface cases and write their metrics as JSON (test_3d.py under mpiexec)."""

from __future__ import annotations

import sys

from tests.surface.mpi_case import run_cases


def main(out_path: str) -> None:
    run_cases(out_path, (("bare", "nucleus"), ("coated_thin", "random")),
              ["surface_mesh_size_3d=0.5um", "far_mesh_size_3d=2.5um"], dim=3)


if __name__ == "__main__":
    main(sys.argv[1])
