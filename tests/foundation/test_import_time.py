"""``import hemcell`` (and the CLI's start-up) must not load DOLFINx, gmsh, PETSc or PyBaMM."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("dolfinx", "gmsh", "petsc4py", "ufl", "basix", "ffcx", "pybamm", "casadi")

PROBE = """
import sys
{imports}
heavy = sorted(m for m in sys.modules if m.split('.')[0] in {heavy!r})
print(','.join(heavy))
"""


def _loaded(imports: str) -> list[str]:
    code = PROBE.format(imports=imports, heavy=HEAVY)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, timeout=120).stdout.strip()
    return [m for m in out.split(",") if m]


def test_import_hemcell_is_light():
    assert _loaded("import hemcell, hemcell.params, hemcell.runinfo, hemcell.units") == []


def test_cli_startup_is_light():
    # mounting every sub-command group (what `hemcell --help` does) must not import the
    # solvers or PyBaMM either: each command imports its workflow when it runs
    assert _loaded("from hemcell.cli.main import _mount_subapps; _mount_subapps()") == []


def test_loading_parameters_is_light():
    assert _loaded("from hemcell.params import load_parameter_set; "
                   "load_parameter_set('bare_li').si") == []
