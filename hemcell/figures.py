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


#: Most decades a log axis labels at 1, 2 and 5 of each; a wider axis is labelled at the
#: decades alone (assumed: ~10 labels at most on a 4-inch axis).
PLAIN_LOG_DECADES_MAX = 3


def plain_log_ticks(axis: Any) -> None:
    """Label a log-scaled matplotlib ``axis`` with plain numbers at 1, 2 and 5 of each
    decade (``0.1, 0.2, 0.5, 1, 2``) instead of matplotlib's ``10⁻¹`` and, on an axis of
    less than a decade, ``2×10⁻¹, 3×10⁻¹, 4×10⁰``. Call it after the data are drawn (it
    reads the axis's view interval); an axis narrower than two 1-2-5 ticks is labelled at
    every integer multiple of its decade, one wider than :data:`PLAIN_LOG_DECADES_MAX`
    decades at the decades."""
    import math

    from matplotlib import ticker

    lo, hi = sorted(axis.get_view_interval())
    if not 0 < lo < hi < math.inf:
        return
    if math.log10(hi / lo) > PLAIN_LOG_DECADES_MAX:
        subs: tuple[float, ...] = (1.0,)
    else:
        subs = (1.0, 2.0, 5.0)
        inside = [t for t in ticker.LogLocator(subs=subs).tick_values(lo, hi) if lo <= t <= hi]
        if len(inside) < 2:
            subs = tuple(float(k) for k in range(1, 10))
    axis.set_major_locator(ticker.LogLocator(base=10, subs=subs))
    axis.set_major_formatter(ticker.FuncFormatter(lambda x, _pos: f"{x:g}"))
    axis.set_minor_formatter(ticker.NullFormatter())
