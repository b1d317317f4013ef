"""On-disk cache of gmsh meshes, keyed by the geometry parameters.

Meshing (gmsh on rank 0) is the slowest stage of a large 3D run and is repeated
unchanged by ``surface compare``, ``seeds``, sweeps over non-geometric parameters and
reruns. The cache keeps what gmsh produces, before any distribution: node coordinates
(gmsh units, µm), the cells (DOLFINx vertex order) with their region tags, and the
tagged facets. A hit skips gmsh and feeds the same arrays to the same DOLFINx mesh
construction (:func:`hemcell.surface.geometry.mesh_from_arrays`), so a cached mesh is
identical to a fresh one, on any number of ranks.

Key: SHA-256 of the geometry specification (every field), the builder (2D/3D, band
tagging, the facet groups kept), the versions of gmsh and DOLFINx, the cache format and
the source text of the geometry modules (a change to the meshing code is a miss).

In the process, the last mesh built from a key is also kept (:func:`recall`,
:func:`remember`): ``surface compare --dim 3`` solves its two cases on one distributed
mesh instead of constructing it twice from the file.

Location: ``$HEMCELL_CACHE_DIR/meshes`` (default ``~/.cache/hemcell/meshes``), one
``<key>.npz`` per mesh, written to a temporary file and renamed (atomic: concurrent runs
never read a partial file). ``HEMCELL_MESH_CACHE=off`` disables the cache. Delete the
folder to reclaim the space.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from hemcell.resources import cache_root

CACHE_FORMAT = 1
ARRAYS: tuple[str, ...] = ("x", "cells", "cell_values", "facets", "facet_values",
                           "gmsh_cell_type")
_OFF = ("0", "off", "no", "false")


def cache_dir() -> Path | None:
    """Folder of cached meshes, or None when caching is switched off."""
    if os.environ.get("HEMCELL_MESH_CACHE", "").strip().lower() in _OFF:
        return None
    return cache_root() / "meshes"


MESHING_SOURCES: tuple[str, ...] = ("geometry.py", "geometry3d.py", "mesh_cache.py")


def _source_digest() -> str:
    """Digest of the meshing code (the geometry modules and this one, next to it)."""
    h = hashlib.sha256()
    for name in MESHING_SOURCES:
        h.update((Path(__file__).parent / name).read_bytes())
    return h.hexdigest()


def mesh_key(builder: str, spec: Any, **options: Any) -> str:
    """Cache key of the mesh of ``spec`` built by ``builder`` with ``options``.

    Parameters
    ----------
    builder
        Which model builder (``2d`` or ``3d``).
    spec
        The :class:`~hemcell.surface.geometry.GeometrySpec` (a dataclass).
    options
        Further builder options (JSON-serialisable), e.g. the band tagging or the facet
        groups kept.
    """
    import dolfinx_solver  # noqa: F401  (must precede dolfinx)

    import dolfinx
    import gmsh

    payload = {
        "format": CACHE_FORMAT,
        "builder": builder,
        "spec": dataclasses.asdict(spec),
        "options": options,
        "gmsh": gmsh.__version__,
        "dolfinx": dolfinx.__version__,
        "source": _source_digest(),
    }
    text = json.dumps(payload, sort_keys=True, default=repr)
    return hashlib.sha256(text.encode()).hexdigest()[:40]


# the last mesh built in this process: (key, mesh)
_LAST: dict[str, Any] = {}


def recall(key: str) -> Any:
    """The mesh last built in this process under ``key`` (None: another key, cache off)."""
    if cache_dir() is None:
        return None
    return _LAST.get(key)


def remember(key: str, mesh: Any) -> None:
    """Keep ``mesh`` as the last mesh built under ``key`` (one mesh: bounded memory)."""
    _LAST.clear()
    if cache_dir() is not None:
        _LAST[key] = mesh


def forget() -> None:
    """Drop the mesh kept in this process."""
    _LAST.clear()


def keep_regions(arrays: dict[str, npt.NDArray[Any]],
                 regions: tuple[int, ...]) -> dict[str, npt.NDArray[Any]]:
    """The gmsh arrays restricted to the cells tagged ``regions``.

    Nodes no kept cell uses are dropped (the others keep their order) and so are the
    facets with a dropped node; the kept cells, their tags and coordinates are unchanged.
    A 3D run reads the electrolyte only (no mechanics in 3D): the Li cells, about half
    of a graded 3D mesh, need not be distributed.
    """
    keep = np.isin(arrays["cell_values"], regions)
    cells = arrays["cells"][keep]
    used = np.zeros(len(arrays["x"]), dtype=bool)
    used[cells.ravel()] = True
    new_index = np.cumsum(used) - 1
    facets = arrays["facets"]
    on_kept = used[facets].all(axis=1) if facets.size else np.zeros(len(facets), dtype=bool)
    return {"x": arrays["x"][used], "cells": new_index[cells],
            "cell_values": arrays["cell_values"][keep],
            "facets": new_index[facets[on_kept]], "facet_values": arrays["facet_values"][on_kept],
            "gmsh_cell_type": arrays["gmsh_cell_type"]}


def load(key: str) -> dict[str, npt.NDArray[Any]] | None:
    """The cached arrays of ``key``, or None (no cache, a miss, or an unreadable file)."""
    folder = cache_dir()
    if folder is None:
        return None
    path = folder / f"{key}.npz"
    if not path.is_file():
        return None
    try:
        with np.load(path, allow_pickle=False) as data:
            arrays = {name: data[name] for name in ARRAYS}
    except (OSError, KeyError, ValueError):
        return None  # a damaged entry is a miss (and is overwritten by the store)
    return arrays


def store(key: str, arrays: dict[str, npt.NDArray[Any]]) -> Path | None:
    """Write ``arrays`` under ``key`` atomically; return the path (None if switched off).

    A cache that cannot be written (read-only or full disk) is skipped silently: the run
    has its mesh either way.
    """
    folder = cache_dir()
    if folder is None:
        return None
    path = folder / f"{key}.npz"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{key}.", suffix=".npz", dir=folder)
        try:
            with os.fdopen(fd, "wb") as fh:
                np.savez(fh, **{name: arrays[name] for name in ARRAYS})
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    except OSError:
        return None
    return path
