"""Saving figures: one helper for every package, written atomically.

A figure is drawn into a temporary file in the target folder and moved into place with
:func:`os.replace`, so a run killed while saving never leaves a truncated PNG under the
final name; the temporary file is removed if saving fails.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from hemcell.runinfo import FILE_MODE


def save_figure(fig: Any, path: str | os.PathLike[str], dpi: int = 130,
                tight: bool = True) -> Path:
    """Lay out, save (atomically) and close a matplotlib figure; return the path.

    Parameters
    ----------
    fig
        A :class:`matplotlib.figure.Figure`.
    path
        Target file; its suffix chooses the format (``.png``, ``.pdf``, ``.svg``).
    dpi
        Resolution of raster formats [dots per inch].
    tight
        Call ``fig.tight_layout()`` first.
    """
    import matplotlib.pyplot as plt

    target = Path(path)
    if tight:
        fig.tight_layout()
    fd, tmp = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=target.suffix,
                               dir=target.parent)
    os.close(fd)
    try:
        fig.savefig(tmp, dpi=dpi, format=target.suffix.lstrip(".") or "png")
        os.chmod(tmp, FILE_MODE)
        os.replace(tmp, target)
    finally:
        plt.close(fig)
        if os.path.exists(tmp):
            os.unlink(tmp)
    return target
