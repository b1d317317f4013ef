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


@pytest.fixture(autouse=True)
def _cli_app_as_a_fresh_process_has_it():
    """Each test sees the ``hemcell`` typer app as the test before it found it.

    ``hemcell.cli.main.main`` mounts the command group it needs on the module's app at
    every call, and the mounts add up (one ``hemcell`` process calls it once): after n
    in-process calls each further call built a click command of n groups, ~10 ms per
    earlier call (200 calls: 2.1 s a call), so late in a test worker a refusal test took
    5-7 s. The registrations a test adds are dropped after it.
    """
    module = sys.modules.get("hemcell.cli.main")
    before = None if module is None else (list(module.app.registered_groups),
                                          list(module.app.registered_commands))
    yield
    if before is not None:
        module.app.registered_groups[:] = before[0]
        module.app.registered_commands[:] = before[1]


@pytest.fixture
def python_exe() -> str:
    """The interpreter running the tests (the .venv one)."""
    return sys.executable
