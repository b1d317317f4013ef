"""``hemcell surface phasefield`` with odd inputs: refused before any solve, naming what
the user wrote.

An interface width of 1 mm in the 20 um cell ran (27 dofs, mesh cells larger than the
cell, dendrite index 1.038 reported as a result): the interface's 10-90 % width
2 ln 9 l must fit in the metal below it and in the electrolyte above the highest
deposit the run allows. ``--duration-s inf`` was refused naming an internal name."""

from __future__ import annotations

import pytest

from hemcell.cli.main import main


def _err(capsys) -> str:
    captured = capsys.readouterr()
    return captured.out + captured.err


@pytest.mark.parametrize("override", [
    "phasefield_interface_width=1mm",       # wider than everything
    "phasefield_interface_width=0.8um",     # 3.5 um profile > the 3 um of metal
    "phasefield_domain_height=5um",         # 1 um above the highest deposit (0.8 x 5 um)
])
def test_an_interface_that_does_not_fit_the_cell_is_refused(tmp_path, capsys, override):
    assert main(["surface", "phasefield", "--case", "bare", "--duration-s", "0.01",
                 "--set", override, "--out", str(tmp_path / "pf"), "--no-plots"]) == 2
    err = _err(capsys)
    assert "phasefield_interface_width" in err and "2 ln 9" in err and "bug" not in err
    assert not (tmp_path / "pf" / "metrics.json").exists()


def test_an_infinite_duration_names_the_option(tmp_path, capsys):
    assert main(["surface", "phasefield", "--case", "bare", "--duration-s", "inf",
                 "--out", str(tmp_path / "pf"), "--no-plots"]) == 2
    assert "error: --duration-s" in _err(capsys)
