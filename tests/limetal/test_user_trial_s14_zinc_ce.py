"""User trial (session 14): the Zn||Zn Coulombic efficiency went negative at low current
or pH (``--current-density 0.005mA/cm2``: -10 %; ``electrolyte_ph=1`` at 0.1 mA/cm2: -71 %).
It was the first-order form 1 - Q_HER/q, extrapolated to where hydrogen evolution takes
more charge than the current passes; the Zn||Cu efficiency (i - i_HER,p)/(i + i_HER,s)
stays in (0, 1) down to the HER current at the Zn equilibrium potential, where it
vanishes."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from hemcell.cli.main import main
from hemcell.limetal import zinc
from hemcell.params import load_parameter_set


@pytest.fixture(scope="module")
def bare():
    return zinc.zinc_cell_parameters(load_parameter_set("zn_bare").si, "zn_bare")


@pytest.mark.parametrize("ph", [0.0, 1.0, 4.0, 7.0])
def test_ce_stays_in_0_1_down_to_the_plating_threshold_and_rises_with_current(bare, ph):
    p = replace(bare, ph=ph)
    threshold = zinc.her_current_at_zinc_equilibrium_A_per_m2(p)
    ces = [zinc.symmetric_cell(replace(p, current_density_A_per_m2=threshold * f))
           .coulombic_efficiency for f in (1.0001, 1.01, 1.5, 2.0, 10.0, 1e3)]
    assert all(0.0 < ce < 1.0 for ce in ces), ces
    assert ces == sorted(ces)  # HER's share falls as the current rises
    assert ces[0] < 1e-3  # at the threshold the electrode plates (almost) nothing


def test_the_command_prints_a_positive_ce_at_low_current(tmp_path, capsys):
    out = tmp_path / "zn"
    assert main(["limetal", "zn-symmetric", "--anode", "bare", "--current-density",
                 "0.005mA/cm2", "--no-plots", "--out", str(out)]) == 0
    s = json.loads((out / "summary.json").read_text())
    assert 0 < s["coulombic_efficiency"] < 1
    assert s["her_charge_per_cycle_mAh_per_cm2"] > s["areal_capacity_mAh_per_cm2"]  # > q
    assert "CE -" not in capsys.readouterr().out


def test_the_figure_titles_the_ce_it_plots(tmp_path, monkeypatch):
    """The CE panel was titled 'CE = 1 - Q_HER/Q', the form it no longer plots."""
    import hemcell.figures
    from hemcell.limetal.plots import plot_zinc_symmetric

    titles: list[str] = []
    monkeypatch.setattr(hemcell.figures, "save_figure", lambda fig, path, **kw: titles.extend(
        a.get_title() for a in fig.axes))
    r = zinc.symmetric_cell(zinc.zinc_cell_parameters(load_parameter_set("zn_bare").si,
                                                      "zn_bare"))
    plot_zinc_symmetric(tmp_path / "zn.png", {"bare": r}, {"bare": ([1.0], [0.99])}, 1.0)
    assert "CE = (i − i_HER,plating)/(i + i_HER,stripping) (dot: this run)" in titles
