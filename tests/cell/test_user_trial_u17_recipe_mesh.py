"""User trial u17: a recipe's ``mesh:`` (and ``cell cv --mesh``) is checked.

A copy of ``models/hem_half_cell_sp.yaml`` with ``mesh: {rp: 10}`` (a typo of r_p) ran on
the default mesh without a word; ``mesh: {r_p: 0}`` ended in "unexpected IndexError:
index 1 is out of bounds" (exit 1) and ``mesh: {r_p: ten}`` in a ValueError.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from hemcell.cell.recipes import MIN_CELLS, load_recipe, models_dir
from hemcell.cli.main import main

RUN = ["--params", "heo_rocksalt_mgconicuzn", "--protocol", "Discharge at 2C until 0.5 V",
       "--no-plots"]


def _recipe(tmp_path: Path, mesh: str) -> Path:
    text = (models_dir() / "hem_half_cell_sp.yaml").read_text()
    path = tmp_path / "my_sp.yaml"
    path.write_text(text.replace("mesh: {r_p: 10}", f"mesh: {mesh}"))
    return path


@pytest.mark.parametrize(("mesh", "expected"), [
    ("{rp: 10}", "got 'rp'; allowed: one of the model's domains"),
    ("{r_p: 0}", f"got 0; allowed: a whole number of cells >= {MIN_CELLS}"),
    ("{r_p: 2}", f"got 2; allowed: a whole number of cells >= {MIN_CELLS}"),
    ("{r_p: ten}", "got 'ten'; allowed: a whole number of cells"),
    ("{r_p: 2.5}", "got 2.5; allowed: a whole number of cells"),
    ("[10]", "allowed: a mapping of mesh domains to numbers of cells"),
])
def test_a_bad_recipe_mesh_is_refused_naming_it(tmp_path, capsys, mesh, expected):
    recipe = _recipe(tmp_path, mesh)
    code = main(["cell", "run", str(recipe), *RUN, "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert code == 2, err
    assert expected in err and "mesh" in err
    assert "unexpected" not in err


def test_a_mistyped_domain_gets_the_closest_name(tmp_path, capsys):
    code = main(["cell", "run", str(_recipe(tmp_path, "{rp: 10}")), *RUN,
                 "--out", str(tmp_path / "o")])
    assert code == 2
    assert "hint: did you mean r_p?" in capsys.readouterr().err


def test_cv_mesh_option_is_checked_the_same_way(tmp_path, capsys):
    code = main(["cell", "cv", "hem_half_cell_sp", "--params", "heo_rocksalt_mgconicuzn",
                 "--scan-rates", "2", "--cycles", "1", "--mesh", "rp=100", "--no-plots",
                 "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert code == 2 and "got 'rp'" in err


def test_a_good_mesh_is_used(tmp_path):
    recipe = load_recipe(str(_recipe(tmp_path, "{r_p: 12}")))
    assert recipe.mesh == {"r_p": 12}
