"""The FEniCSx stack is installed and usable (a failure, not a skip, in CI)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from tests.conftest import require_fem


def test_dolfinx_stack_present():
    require_fem()
    import dolfinx_solver  # noqa: F401

    import dolfinx
    import gmsh

    assert dolfinx.__version__.startswith("0.11"), dolfinx.__version__
    assert gmsh.__version__.startswith("4.")
    from petsc4py import PETSc

    assert PETSc.ScalarType().dtype.kind == "f"  # real build


def test_mpiexec_available():
    require_fem()
    mpiexec = Path(sys.executable).parent / "mpiexec"
    assert mpiexec.exists() or shutil.which("mpiexec"), "mpiexec not found next to python"
