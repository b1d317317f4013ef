"""``--set`` with a recipe key (n_p_ratio, ...) says it belongs to the recipe file: on a
HEM full cell ``--set n_p_ratio=2`` was answered "did you mean pouch_np_ratio,
anode_poisson_ratio, li_poisson_ratio?" (one check, :func:`hemcell.cell.recipes.refuse_recipe_keys`,
for the HEM and the cathode-set cells)."""

from __future__ import annotations

import pytest

from hemcell.cli.main import main


@pytest.mark.parametrize("recipe,params,step", [
    ("hem_full_cell_lfp", "heo_rocksalt_mgconicuzn", "Charge at C/5 until 3.6 V"),
    ("hem_half_cell_sp", "heo_rocksalt_mgconicuzn", "Discharge at 1C until 0.01 V"),
    ("hc_full_cell_na_pba", "cathode_hepba_femnnicuco", "Charge at C/10 until 4.2 V"),
])
def test_a_recipe_key_in_set_points_to_the_recipe(tmp_path, capsys, recipe, params, step):
    code = main(["cell", "run", recipe, "--params", params, "--protocol", step,
                 "--set", "n_p_ratio=2", "--out", str(tmp_path / "o"), "--no-plots"])
    err = capsys.readouterr().err
    assert code == 2
    assert "got 'n_p_ratio'" in err and f"key of the recipe {recipe}" in err
    assert "pouch_np_ratio" not in err and "copy the recipe" in err
    assert not (tmp_path / "o").exists()
