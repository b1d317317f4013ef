"""User trial u17: a recipe with a full cell's keys but no ``cell: full`` is refused.

A copy of ``models/hem_full_cell_lfp.yaml`` without its ``cell: full`` line ran as a HEM
half cell vs Li (the default ``cell``), its ``cathode: LFP`` and ``n_p_ratio: 1.1``
unread, and exited 0.
"""

from __future__ import annotations

import pytest

from hemcell.cell.recipes import load_recipe, models_dir
from hemcell.errors import InputError


def _without(tmp_path, name: str, line: str, replace: str = ""):
    text = (models_dir() / f"{name}.yaml").read_text()
    assert line in text
    path = tmp_path / "r.yaml"
    path.write_text(text.replace(line, replace))
    return str(path)


def test_a_full_cell_recipe_without_its_cell_is_refused(tmp_path):
    """Without its `cell:` line a full cell's recipe is refused for the missing key (cell
    is required: it was `half` by default and ran the copy as a half cell)."""
    with pytest.raises(InputError) as err:
        load_recipe(_without(tmp_path, "hem_full_cell_lfp", "cell: full\n"))
    assert err.value.field.endswith(": cell") and "full" in err.value.allowed
    assert "missing" in err.value.hint


def test_a_full_cell_s_keys_with_another_cell_are_refused(tmp_path):
    path = _without(tmp_path, "hem_full_cell_lfp", "cell: full\n", "cell: half\n")
    with pytest.raises(InputError) as err:
        load_recipe(path)
    assert "cathode, n_p_ratio" in err.value.field
    assert err.value.value == "with cell: half"
    assert "cell: full" in err.value.hint


def test_a_half_cell_naming_a_cathode_is_refused(tmp_path):
    path = _without(tmp_path, "hem_half_cell_sp", "cell: half\n", "cell: half\ncathode: LFP\n")
    with pytest.raises(InputError, match="cathode"):
        load_recipe(path)


@pytest.mark.parametrize("name", ["hem_full_cell_lfp", "hc_full_cell_na_nvpf",
                                  "hem_half_cell_sp", "cathode_half_cell_p2d"])
def test_the_shipped_recipes_still_load(name):
    assert load_recipe(name).name == name
