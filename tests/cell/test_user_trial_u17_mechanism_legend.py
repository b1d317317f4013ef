"""User trial u17: the legend of ``mechanism_contributions.png`` does not cover the bands.

In a full cell (``hem_full_cell_lfp``) the first lithiation is the cell's charge: the
voltage rises to the top cut-off and the stacked bands fill the top of the panel, where
the legend was always put ("upper right"), over the conversion/space-charge/alloying
bands and the end of the curve. The half cell's lithiation (voltage falling) leaves the
upper right empty.
"""

from __future__ import annotations

import numpy as np
import pytest

import hemcell.figures
from hemcell.cell import plots
from hemcell.cell.analysis import StepData

MECHS = ["intercalation", "conversion", "alloying"]


def _lithiation(v_start: float, v_end: float) -> StepData:
    """A lithiation with a plateau: three mechanisms sharing 800 mAh/g."""
    s = np.linspace(0.0, 1.0, 200)
    shape = np.tanh(6 * (s - 0.5)) / np.tanh(3.0)  # -1 .. 1 with a flat middle
    v = v_start + (v_end - v_start) * (0.5 + 0.5 * np.sign(shape) * np.abs(shape) ** 3)
    data = {"voltage_V": v}
    for k, m in enumerate(MECHS):
        data[f"{m}_capacity_mAh_per_g"] = 800.0 / len(MECHS) * np.clip(3 * s - k, 0, 1)
    return StepData(1, "lithiation", "lithiation", data)


def _legend_over_bands(monkeypatch, tmp_path, v_start: float, v_end: float) -> bool:
    saved = {}

    def keep(fig, path, **kwargs):
        saved["fig"] = fig
        return path

    monkeypatch.setattr(hemcell.figures, "save_figure", keep)
    plots.mechanism_contributions([[_lithiation(v_start, v_end)]], MECHS,
                                  tmp_path / "m.png")
    fig = saved["fig"]
    fig.canvas.draw()
    ax = fig.axes[0]
    box = ax.get_legend().get_window_extent().transformed(ax.transData.inverted())
    q, v = ax.lines[0].get_xdata(), ax.lines[0].get_ydata()  # the stack's outer curve
    # at a voltage inside the legend's height the bands span 0 .. q(v)
    inside = (v >= box.y0) & (v <= box.y1)
    return bool(np.any(q[inside] > box.x0))


@pytest.mark.parametrize(("v_start", "v_end"), [(2.0, 0.01), (0.8, 3.8)],
                         ids=["half cell (voltage falls)", "full cell (voltage rises)"])
def test_the_legend_is_put_where_no_band_is(monkeypatch, tmp_path, v_start, v_end):
    assert not _legend_over_bands(monkeypatch, tmp_path, v_start, v_end)
