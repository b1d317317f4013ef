"""User trial U18: the colour bar of a transient frame is labelled at round numbers.

The frames' concentration map had 21 levels spaced evenly from the lowest concentration of
the run, and its colour bar was labelled at them: 994.881, 995.649, 996.417, ... mol/m³
(`hemcell surface run --case bare --transient --duration-s 60`).
"""

from __future__ import annotations

import numpy as np
import pytest

from hemcell.surface.transient_output import FRAME_CONTOUR_BANDS, frame_contour_levels


@pytest.mark.parametrize(("lo", "hi"), [(994.8806, 1000.0), (0.013, 1000.0),
                                        (12.3456, 12.3457), (1000.0, 1000.0)])
def test_levels_are_round_and_cover_the_range(lo, hi):
    levels = frame_contour_levels(lo, hi)
    step = levels[1] - levels[0]
    assert levels[0] <= lo and levels[-1] >= hi
    assert np.all(np.diff(levels) > 0)
    assert len(levels) - 1 <= FRAME_CONTOUR_BANDS + 2  # one band more at either end
    mantissa = step / 10 ** np.floor(np.log10(step))
    assert min(abs(mantissa - m) for m in (1, 2, 2.5, 5, 10)) < 1e-6  # round-off of step
    assert np.allclose(levels / step, np.round(levels / step), atol=1e-6)


def test_the_colour_bar_ticks_are_round_numbers():
    from hemcell.surface.transient import Frame
    from hemcell.surface.transient_output import _frame_figure

    x = np.linspace(0, 10e-6, 21)
    X, Y = np.meshgrid(x, np.linspace(0, 20e-6, 21))
    pts = np.column_stack([X.ravel(), Y.ravel()])
    c = 994.8806 + (1000 - 994.8806) * pts[:, 1] / 20e-6
    frame = Frame(60.0, x, np.zeros_like(x), np.full_like(x, 10.0), pts, c)
    fig = _frame_figure(frame, "bare", (float(c.min()), float(c.max())), (9.0, 11.0),
                        (0.0, 1e-6))
    cbar, = (a for a in fig.axes if a.get_label() == "<colorbar>")
    labels = [t.get_text().replace("\u2212", "-") for t in cbar.get_yticklabels()]
    ticks = [float(t) for t in labels if t]
    assert len(ticks) >= 3
    assert all(abs(t - round(t)) < 1e-9 for t in ticks), labels
    import matplotlib.pyplot as plt

    plt.close(fig)
