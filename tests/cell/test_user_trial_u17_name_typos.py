"""User trial u17: a mistyped parameter-set or recipe name gets a "did you mean" hint.

``hemcell cell run hem_half_cell_sp --params heo_rocksalt_mgconicuzm ...`` listed the 15
shipped sets and ``hemcell cell run hem_half_cel_sp ...`` the 16 recipes without saying
which one was meant, while a mistyped ``--set`` name, protocol word or mechanism is
answered with the closest names.
"""

from __future__ import annotations

import pytest

from hemcell.cell.recipes import load_recipe
from hemcell.cli.main import main
from hemcell.errors import InputError, did_you_mean
from hemcell.params import load_parameter_set


def test_a_mistyped_set_name_names_the_closest_set():
    with pytest.raises(InputError) as err:
        load_parameter_set("heo_rocksalt_mgconicuzm")
    assert err.value.field == "parameter set"
    assert err.value.hint == "did you mean heo_rocksalt_mgconicuzn?"


def test_a_mistyped_recipe_names_the_closest_recipes():
    with pytest.raises(InputError) as err:
        load_recipe("hem_half_cel_sp")
    assert err.value.hint is not None and "hem_half_cell_sp" in err.value.hint


def test_a_name_like_none_gives_no_hint():
    with pytest.raises(InputError) as err:
        load_parameter_set("zzzzzz")
    assert err.value.hint is None
    assert did_you_mean("zzzzzz", ["bare_li", "zn_bare"]) is None


def test_the_command_prints_the_hint(tmp_path, capsys):
    code = main(["cell", "run", "hem_half_cell_sp", "--params", "heo_rocksalt_mgconicuzm",
                 "--protocol", "Discharge at 1C until 0.01 V", "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert code == 2
    assert "hint: did you mean heo_rocksalt_mgconicuzn?" in err
