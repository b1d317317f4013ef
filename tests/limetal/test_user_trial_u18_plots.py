"""User trial U18: the Li-metal figures' log axes read in plain numbers.

``rate.png`` labelled its C-rate axis 10⁻¹, 10⁰ (no label at 2, 3 or 4C),
``nucleation.png`` its time axis 10⁻⁴ ... 10³ s, ``zn_symmetric.png`` its current axis
10⁻¹ ... 10² mA/cm².
"""

from __future__ import annotations

from pathlib import Path

import pytest

import hemcell.figures
from hemcell.limetal import plots


@pytest.fixture
def saved(monkeypatch):
    out = {}

    def keep(fig, path, **kw):
        fig.canvas.draw()
        out["fig"] = fig
        return Path(path)

    monkeypatch.setattr(hemcell.figures, "save_figure", keep)
    return out


def _labels(axis):
    return [t.get_text() for t in axis.get_ticklabels() if t.get_text()]


def test_rate_axis_is_labelled_at_the_c_rates(saved, tmp_path):
    rates = [0.1, 0.5, 1.0, 2.0, 3.0, 4.0]
    curve = {"capacity_mAh_per_g": [0.0, 100.0], "voltage_V": [3.4, 2.5]}
    plots.plot_rate(tmp_path / "rate.png", {"bare": [curve] * 6}, {"bare": rates},
                    {"bare": [150.0, 148, 143, 134, 124, 115]})
    a2 = saved["fig"].axes[1]
    assert _labels(a2.xaxis) == ["0.1", "0.5", "1", "2", "3", "4"]


def test_nucleation_time_axis_is_plain(saved, tmp_path):
    from types import SimpleNamespace

    r = SimpleNamespace(t_s=[0.0, 1e-4, 1e-2, 1.0, 100.0, 3600.0],
                        overpotential_V=[0.0, -0.05, -0.3, -0.1, -0.1, -0.1],
                        nuclei_per_m2=[0.0, 1.0, 1e15, 1e16, 1e16, 1e16])
    plots.plot_nucleation(tmp_path / "n.png", {"bare": r}, {"bare": 0.0})
    labels = _labels(saved["fig"].axes[0].xaxis)
    assert "1" in labels and "100" in labels
    assert not any("10^" in t or "mathdefault" in t for t in labels)
    assert saved["fig"].axes[1].get_ylabel() == "nuclei per m²"
