"""hemcell: continuum simulation of batteries made of high-entropy materials.

Two sides share one parameter system (:mod:`hemcell.params`):

- the cell side (PyBaMM): multi-mechanism high-entropy anodes and lithium-metal cells;
- the surface side (FEniCSx): Li⁺ transport, deposition kinetics and stress at bare and
  HEA-coated lithium surfaces.

``import hemcell`` is light: it imports neither DOLFINx, gmsh, PETSc nor PyBaMM. The
sides load their solvers when they are used.
"""

from importlib import metadata as _metadata

from hemcell.errors import (
    DependencyError,
    HemcellError,
    InputError,
    ParameterError,
    SimulationError,
)

try:
    __version__ = _metadata.version("hemcell")
except _metadata.PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0+unknown"

__all__ = [
    "DependencyError",
    "HemcellError",
    "InputError",
    "ParameterError",
    "SimulationError",
    "__version__",
]
