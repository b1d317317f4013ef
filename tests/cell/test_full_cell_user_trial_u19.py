"""User trial u19: HEM-anode full cells with PyBaMM's Li cathodes, as a user runs them.

Each test is a defect the trial found, checked through the command a user types.
"""

from __future__ import annotations

import pytest

from hemcell.cli.main import main

ANODE = "heo_rocksalt_mgconicuzn"


@pytest.mark.parametrize(("recipe", "volts", "upper", "source"), [
    ("hem_full_cell_lfp", "4.5", "3.6", "Prada2013"),
    ("hem_full_cell_nmc811", "4.3", "4.2", "Chen2020"),
])
def test_a_charge_above_the_li_cathodes_cut_off_is_refused(recipe, volts, upper, source,
                                                           tmp_path, capsys):
    """``hem_full_cell_lfp --protocol "Charge at C/10 until 4.5 V"`` charged LFP to 4.5 V
    without a word (Prada2013's window ends at 3.6 V), while a cathode set's window is
    enforced; the cell's voltage above the cathode's cut-off puts the cathode above it."""
    code = main(["cell", "run", recipe, "--params", ANODE, "--protocol",
                 f"Charge at C/10 until {volts} V", "--no-plots", "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert code == 2
    assert f"got '{volts} V'" in err and f"up to {upper} V" in err and source in err
    assert not (tmp_path / "o").exists()


def test_k_with_a_li_cathode_names_the_k_recipe(tmp_path, capsys):
    """``hem_full_cell_nmc811 --ion K`` was told 'a Na full cell takes a cathode set'."""
    code = main(["cell", "run", "hem_full_cell_nmc811", "--params", ANODE, "--ion", "K",
                 "--protocol", "Charge at C/10 until 4.2 V", "--no-plots",
                 "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert code == 2
    assert "a K full cell takes a cathode set" in err and "hem_full_cell_k_pba" in err
