"""User trial u17: the log axes of ``b_value.png`` are labelled with plain numbers.

``hemcell cell cv ... --scan-rates 0.1,0.2,0.5,1,2`` drew the peak currents (0.3-4 A/g,
less than two decades) with the labels ``3×10⁻¹, 4×10⁻¹, 6×10⁻¹, 10⁰, 2×10⁰, 3×10⁰,
4×10⁰`` and the scan rates as ``10⁻¹, 10⁰``: hard to read on a slide. Now 1, 2 and 5 of
each decade as plain numbers (``hemcell.figures.plain_log_ticks``).
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest

import hemcell.figures
from hemcell.cell import plots
from hemcell.figures import plain_log_ticks


def _shown(axis) -> list[str]:
    """The labels drawn inside the axis's view (major, then minor)."""
    lo, hi = sorted(axis.get_view_interval())
    out = []
    for minor in (False, True):
        locs = axis.get_minorticklocs() if minor else axis.get_majorticklocs()
        labels = axis.get_ticklabels(minor=minor)
        out += [t.get_text() for x, t in zip(locs, labels, strict=False)
                if lo * (1 - 1e-9) <= x <= hi * (1 + 1e-9) and t.get_text()]
    return out


def _labels(lo: float, hi: float) -> list[str]:
    fig, ax = plt.subplots()
    ax.loglog([lo, hi], [1, 2])
    ax.set_xlim(lo, hi)
    plain_log_ticks(ax.xaxis)
    fig.canvas.draw()
    texts = _shown(ax.xaxis)
    plt.close(fig)
    return texts


@pytest.mark.parametrize(("lo", "hi", "expected"), [
    (0.1, 2.0, ["0.1", "0.2", "0.5", "1", "2"]),
    (0.28, 4.4, ["0.5", "1", "2"]),
    (1e-3, 1e3, ["0.001", "0.01", "0.1", "1", "10", "100", "1000"]),  # decades only
])
def test_plain_numbers_at_one_two_five(lo, hi, expected):
    assert _labels(lo, hi) == expected


def test_an_axis_narrower_than_two_one_two_five_ticks_still_gets_plain_labels():
    texts = _labels(0.55, 0.95)
    assert len(texts) >= 2 and all(float(t) == pytest.approx(float(t)) for t in texts)
    assert all("e" not in t for t in texts)


def test_the_b_value_figure_has_no_power_of_ten_labels(monkeypatch, tmp_path):
    saved = {}
    monkeypatch.setattr(hemcell.figures, "save_figure",
                        lambda fig, path, **kw: saved.setdefault("fig", fig))
    summary = {
        "scan_rates_mV_per_s": [0.1, 0.2, 0.5, 1.0, 2.0],
        "peaks": {"cathodic": {"current_A_per_g": [-0.31, -0.55, -1.2, -2.3, -3.9]},
                  "anodic": {"current_A_per_g": [0.32, 0.40, 0.88, 1.4, 1.8]}},
        "b_value": {"cathodic": 0.845, "cathodic_a_A_per_g": 2.2,
                    "anodic": 0.629, "anodic_a_A_per_g": 1.3},
        "capacitive_fraction": [0.39, 0.41, 0.48, 0.59, 0.77],
        "true_capacitive_fraction": [0.10, 0.10, 0.11, 0.11, 0.11],
    }
    plots.b_value_plot(summary, tmp_path / "b.png")
    fig = saved["fig"]
    fig.canvas.draw()
    texts = [t.get_text() for ax in fig.axes for axis in (ax.xaxis, ax.yaxis)
             for t in [*axis.get_ticklabels(), *axis.get_ticklabels(minor=True)]]
    assert not any("10^" in t or "times" in t or "×" in t for t in texts)
    assert _shown(fig.axes[0].xaxis) == ["0.1", "0.2", "0.5", "1", "2"]
    assert _shown(fig.axes[0].yaxis) == ["0.5", "1", "2"]
