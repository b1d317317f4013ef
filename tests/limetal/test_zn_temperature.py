"""``limetal zn-symmetric`` runs only where its aqueous ZnSO₄ electrolyte is liquid.

It accepted any ``--set ambient_temperature``: 253 K (ice) ran with a warning and 400 K
(above boiling at 1 atm) without a word. The range is water's 273.15–373.15 K
(:data:`hemcell.limetal.zinc.ZN_ELECTROLYTE_TEMPERATURE_RANGE_K`, assumed: the salt only
widens it); outside it the command exits 2 naming ``ambient_temperature``. Inside it the
temperature is not ignored: both exchange currents follow it (Arrhenius), so the HER loss
moves.
"""

from __future__ import annotations

import json

import pytest

from hemcell.cli.main import main


def _run(tmp_path, temperature: str, name: str) -> int:
    return main(["limetal", "zn-symmetric", "--anode", "bare", "--no-plots", "--set",
                 f"ambient_temperature={temperature}", "--out", str(tmp_path / name)])


@pytest.mark.parametrize("temperature", ["253.15K", "272K", "374K", "400K"])
def test_outside_the_liquid_range_exits_2_naming_the_parameter(tmp_path, capsys, temperature):
    assert _run(tmp_path, temperature, "x") == 2
    err = capsys.readouterr().err
    assert "ambient_temperature" in err and "273.15 to 373.15 K" in err
    assert "Traceback" not in err
    assert not (tmp_path / "x" / "summary.json").exists()


def test_inside_the_range_runs_and_the_temperature_acts(tmp_path, capsys):
    """At the bounds the run goes on without a warning, and a colder cell is not the
    25 degC cell: HER's share of the plating charge changes (its i0 and the Zn i0 follow
    their own activation energies)."""
    summaries = {}
    for t in ("273.15K", "298.15K", "373.15K"):
        assert _run(tmp_path, t, t) == 0
        summaries[t] = json.loads((tmp_path / t / "summary.json").read_text())
        assert "warnings" not in summaries[t]
    assert "warning" not in capsys.readouterr().err
    ce = {t: s["coulombic_efficiency"] for t, s in summaries.items()}
    assert ce["273.15K"] != pytest.approx(ce["298.15K"], rel=1e-9)
    assert ce["373.15K"] != pytest.approx(ce["298.15K"], rel=1e-9)
