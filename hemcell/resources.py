"""Where hemcell's shipped data lives: ``models/``, ``parameters/``, ``validation/``.

In a source checkout (editable install) these are the top-level folders of the
repository; in an installed wheel they are copied to ``hemcell/_data/`` (hatch
``force-include``). :func:`data_dir` finds whichever exists.
"""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent
_KINDS = ("models", "parameters", "validation")


def data_dir(kind: str) -> Path:
    """Folder of shipped ``models``, ``parameters`` or ``validation`` files.

    Parameters
    ----------
    kind
        One of ``"models"``, ``"parameters"``, ``"validation"``.

    Returns
    -------
    Path
        ``hemcell/_data/<kind>`` in an installed wheel, else ``<repo>/<kind>``.
    """
    if kind not in _KINDS:
        raise ValueError(f"kind must be one of {_KINDS}, got {kind!r}")
    installed = _PACKAGE_DIR / "_data" / kind
    if installed.is_dir():
        return installed
    return _PACKAGE_DIR.parent / kind


def repo_root() -> Path | None:
    """The source checkout's root, or ``None`` when running from an installed wheel."""
    root = _PACKAGE_DIR.parent
    return root if (root / "pyproject.toml").is_file() else None


def seeds_dir() -> Path | None:
    """Folder of the source documents (``HEMCELL_SEEDS_DIR`` or ``<repo>/../shared/seeds``).

    Returns
    -------
    Path or None
        The folder if it exists, else ``None``.
    """
    env = os.environ.get("HEMCELL_SEEDS_DIR")
    candidates = [Path(env)] if env else []
    root = repo_root()
    if root is not None:
        candidates.append(root.parent / "shared" / "seeds")
    for c in candidates:
        if c.is_dir():
            return c
    return None


def cache_root() -> Path:
    """hemcell's cache folder: ``$HEMCELL_CACHE_DIR`` or ``~/.cache/hemcell``.

    Each cache keeps its own sub-folder (surface focusing results, meshes).
    """
    root = os.environ.get("HEMCELL_CACHE_DIR")
    return Path(root) if root else Path.home() / ".cache" / "hemcell"
