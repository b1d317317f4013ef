"""Shared test helpers.

FEniCSx tests use :func:`require_fem`: where DOLFINx/gmsh are missing they are skipped
on a developer machine but *fail* in CI (``CI=true``), so CI can never pass by skipping
the surface model.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
IN_CI = os.environ.get("CI", "").lower() == "true"


def require_fem() -> None:
    """Import DOLFINx and gmsh or skip (locally) / fail (in CI)."""
    try:
        import dolfinx_solver  # noqa: F401  (must come before dolfinx)

        import dolfinx  # noqa: F401
        import gmsh  # noqa: F401
    except ImportError as exc:
        if IN_CI:
            pytest.fail(f"DOLFINx/gmsh missing in CI: {exc}")
        pytest.skip(f"DOLFINx/gmsh not installed: {exc}")


def seeds_folder() -> Path:
    """The seeds folder, or skip (locally) / fail (in CI) when absent."""
    from hemcell.resources import seeds_dir

    folder = seeds_dir()
    if folder is None:
        if IN_CI:
            pytest.fail("seed documents not found (../shared/seeds or HEMCELL_SEEDS_DIR)")
        pytest.skip("seed documents not found")
    return folder


@pytest.fixture
def python_exe() -> str:
    """The interpreter running the tests (the .venv one)."""
    return sys.executable
