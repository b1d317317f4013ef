"""User trial u19: cathode half cells and full cells as a battery researcher runs them.

Each test is a defect the trial found, checked through the command a user types.
"""

from __future__ import annotations

from hemcell.cli.main import main

HALF = ["cell", "run", "cathode_half_cell_sp", "--params", "cathode_hepba_femnnicuco",
        "--protocol", "Charge at C/5 until 4.2 V", "--no-plots"]


def test_a_mistyped_set_name_on_a_cathode_half_cell_names_the_closest(tmp_path, capsys):
    """``--set ambient_temprature=298K`` listed all 26 names the half cell reads without
    saying which was meant (the anode runs answer with the closest names)."""
    code = main([*HALF, "--set", "ambient_temprature=298K", "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert code == 2
    assert "got 'ambient_temprature'" in err
    assert "did you mean ambient_temperature" in err
    assert not (tmp_path / "o").exists()


def test_a_foreign_set_name_on_a_cathode_half_cell_says_it_changes_nothing(tmp_path, capsys):
    code = main([*HALF, "--set", "coating_thickness=28nm", "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert code == 2
    assert "got 'coating_thickness'" in err
    assert "setting it would change nothing" in err
