"""``limetal licu``'s figure shows the dendrite tip per cycle against the separator
thickness, as the symmetric cell's does: Li‖Cu runs the same short-circuit law
(:mod:`hemcell.limetal.short`) and its result carries the separator thickness."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from hemcell.limetal.licu import run_licu
from hemcell.limetal.parameters import load_cell_parameters

MA_PER_CM2 = 10.0  # A/m**2
MAH_PER_CM2 = 36000.0  # C/m**2


def _figure(monkeypatch):
    from hemcell import figures

    saved = {}

    def keep(fig, path, *args, **kwargs):
        saved["fig"] = fig
        return Path(path)

    monkeypatch.setattr(figures, "save_figure", keep)
    return saved


@pytest.fixture(scope="module")
def shorted():
    """Bare Li at f = 20 on Cu, 5 mA/cm**2, 1 mAh/cm**2: the tip reaches the separator."""
    _, p = load_cell_parameters("bare")
    p = dataclasses.replace(p, focusing_factor=20.0)
    return p, run_licu(p, 5 * MA_PER_CM2, 1 * MAH_PER_CM2, 50)


def test_the_licu_result_carries_the_separator_thickness(shorted):
    p, r = shorted
    assert r.separator_thickness_um == pytest.approx(1e6 * p.separator_thickness_m, rel=1e-12)
    assert r.failure_mode == "short"
    assert max(r.protrusion_um) == pytest.approx(r.separator_thickness_um)


def test_plot_licu_has_a_tip_panel_against_the_separator(tmp_path, monkeypatch, shorted):
    from hemcell.limetal.plots import plot_licu

    _, r = shorted
    saved = _figure(monkeypatch)
    plot_licu(tmp_path / "licu.png", {"bare": r})
    axes = saved["fig"].axes
    assert len(axes) == 3
    tip = axes[2]
    assert tip.get_xlabel() == "cycle" and tip.get_ylabel() == "protrusion length (µm)"
    assert "separator" in tip.get_title()
    curve, separator = tip.get_lines()
    assert list(curve.get_xdata()) == list(range(1, len(r.protrusion_um) + 1))
    assert list(curve.get_ydata()) == pytest.approx(r.protrusion_um)
    assert list(separator.get_ydata()) == pytest.approx([r.separator_thickness_um] * 2)
    assert "bare (short)" in [t.get_text() for t in tip.get_legend().get_texts()]
    # the same colour as the result's other panels
    assert curve.get_color() == axes[0].get_lines()[0].get_color()
