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


def test_the_3d_top_view_names_its_contours_and_slice_line():
    """The white height contours of `--dim 3`'s current_density.png had no levels and the
    dashed line no meaning on the figure; the legend gives both (a flat surface: no
    contours)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from hemcell.surface.output3d import _top_view

    g = np.linspace(0.0, 10e-6, 11)
    X, Y = np.meshgrid(g, g)
    Z = 2e-6 * np.exp(-((X - 5e-6) ** 2 + (Y - 5e-6) ** 2) / (2e-6) ** 2)
    tris = []
    for i in range(10):
        for j in range(10):
            a, b, c, d = (i, j), (i + 1, j), (i, j + 1), (i + 1, j + 1)
            tris += [[a, b, d], [a, d, c]]
    xyz = np.array([[[X[p], Y[p], Z[p]] for p in t] for t in tris])
    for z_scale, expect_heights in ((1.0, True), (0.0, False)):
        pts = xyz.copy()
        pts[..., 2] *= z_scale
        fig, ax = plt.subplots()
        _top_view(ax, {"triangles": (pts, np.ones(pts.shape[:2])), "y_tip": 5e-6})
        labels = [t.get_text() for t in ax.get_legend().get_texts()]
        assert "slice of the c map" in labels
        assert any(t.startswith("height ") and t.endswith(" µm") for t in labels) \
            == expect_heights, labels
        plt.close(fig)
