"""User trial u19: `hemcell eis` as a battery researcher runs it.

Each test is a defect the trial found, checked through the command a user types.
"""

from __future__ import annotations

import pytest

from hemcell.cli.main import main


@pytest.mark.parametrize("recipe", ["hem_full_cell_na_pba", "hem_full_cell_lfp"])
def test_eis_anode_with_a_full_cell_recipe_is_refused(recipe, tmp_path, capsys):
    """``hemcell eis anode --recipe hem_full_cell_na_pba --ion Na`` exited 1 with
    "unexpected KeyError: 'Lithium counter electrode reaction overpotential [V]'": the
    spectrum is of the anode against its metal, which a full cell has not."""
    code = main(["eis", "anode", "--recipe", recipe, "--no-plots",
                 "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert code == 2
    assert f"--recipe: got '{recipe}'" in err and "half-cell recipe" in err
    assert "KeyError" not in err


def test_a_sweep_of_eis_anode_refuses_a_full_cell_recipe_before_running():
    from hemcell.errors import InputError
    from hemcell.workflows.eis import check_set_keys

    with pytest.raises(InputError) as err:
        check_set_keys({"cell": "anode", "recipe": "hem_full_cell_lfp", "set_": []})
    assert err.value.field == "--recipe"


def test_a_temperature_at_the_electrolyte_divergence_is_named_as_given(tmp_path, capsys):
    """``--temperatures=-40,25,45degC`` was refused as "temperature: got
    233.14999999999998" (the electrolyte fit's field and a float's repr)."""
    code = main(["eis", "symmetric", "--temperatures=-40,25,45degC", "--no-plots",
                 "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert code == 2
    assert "--temperatures: got '-40 degC = 233.15 K'" in err and "above 234.00 K" in err


def test_a_soc_the_anode_cannot_reach_is_refused(tmp_path, capsys):
    """``eis anode --recipe hem_half_cell_sp --ion Na --soc 0.3`` asked 252.5 of the
    841.7 mAh/g theoretical (Na conversion cannot start above the 0.01 V cut-off); the
    lithiation stopped at the cut-off after 188.0 mAh/g (soc 0.223) and the spectrum was
    taken there without a word."""
    code = main(["eis", "anode", "--recipe", "hem_half_cell_sp", "--ion", "Na",
                 "--soc", "0.3", "--no-plots", "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert code == 2
    assert "--soc: got 0.3" in err and "at most 0.223" in err and "188.0 of the 252.5" in err
    assert not (tmp_path / "o").exists()
