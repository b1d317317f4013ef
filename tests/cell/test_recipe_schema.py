"""Recipe keys are required or have a stated default (hemcell.cell.recipes.RECIPE_KEYS).

`load_recipe` filled a missing `cell:` (half), `geometry:` (p2d), `mechanisms:` (all) and
`n_p_ratio` (1.1, no source) from code: a copied recipe without `geometry:` ran as a P2D
and said nothing. Now those keys are required of the cells that read them (exit 2 naming
the file, the key and what is allowed); the optional keys' defaults are in the schema and
docs/anode.md "Recipes"."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
import yaml

from hemcell.cell.recipes import (
    CATHODE_CELLS,
    CELLS,
    RECIPE_KEYS,
    list_recipes,
    load_recipe,
    models_dir,
)
from hemcell.cli.main import main
from hemcell.errors import InputError

#: One shipped recipe of each cell.
BY_CELL = {"half": "hem_half_cell_sp", "full": "hem_full_cell_lfp",
           "cathode_half": "cathode_half_cell_sp", "hard_carbon_full": "hc_full_cell_na_pba"}
CASES = [(cell, key) for cell in BY_CELL for key, spec in RECIPE_KEYS.items()
         if cell in spec.required_for]
DOCS = Path(__file__).resolve().parents[2] / "docs" / "anode.md"


def _copy_without(tmp_path: Path, name: str, key: str) -> Path:
    data = yaml.safe_load((models_dir() / f"{name}.yaml").read_text())
    del data[key]
    path = tmp_path / "my_recipe.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


def test_every_cell_requires_cell_and_geometry_and_its_own_keys():
    assert sorted(CASES) == sorted(
        [(c, "cell") for c in BY_CELL] + [(c, "geometry") for c in BY_CELL]
        + [("half", "mechanisms"), ("full", "mechanisms")]
        + [(c, k) for c in CATHODE_CELLS for k in ("cathode", "n_p_ratio")])


@pytest.mark.parametrize(("cell", "key"), CASES)
def test_a_recipe_missing_a_required_key_exits_2_naming_file_key_and_values(
        tmp_path, capsys, cell, key):
    path = _copy_without(tmp_path, BY_CELL[cell], key)
    with pytest.raises(InputError) as err:
        load_recipe(str(path))
    assert err.value.field == f"{path}: {key}"
    assert err.value.allowed == RECIPE_KEYS[key].allowed
    assert "missing" in err.value.hint
    code = main(["cell", "run", str(path), "--params", "heo_rocksalt_mgconicuzn",
                 "--protocol", "Discharge at 1C until 0.01 V", "--out", str(tmp_path / "o")])
    assert code == 2
    assert f"error: {path}: {key}: got None; allowed: {RECIPE_KEYS[key].allowed}" in \
        capsys.readouterr().err


def test_a_copied_recipe_without_geometry_exits_2_from_cell_run(tmp_path, capsys):
    """docs/anode.md tells users to copy a recipe: the copy without `geometry:` ran P2D."""
    path = _copy_without(tmp_path, "hem_half_cell_sp", "geometry")
    code = main(["cell", "run", str(path), "--params", "heo_rocksalt_mgconicuzn",
                 "--protocol", "Discharge at 1C until 0.01 V", "--out", str(tmp_path / "o")])
    assert code == 2
    err = capsys.readouterr().err
    assert f"{path}: geometry" in err and "p2d" in err and "sp" in err, err


#: The shipped recipes that grade their separator towards the Li metal (separator_grading,
#: added after bac9771; docs/anode.md "Electrode mesh"), and their stretch.
GRADED = {"hem_half_cell_p2d": 2.3, "hem_half_cell_conversion_space_charge": 2.3}
#: The shipped recipes whose IDA BDF order is capped at 4 (solver.max_order_bdf, added
#: after bac9771; docs/anode.md "Numerics", "The mass-action form").
BDF_ORDER_4 = ("hem_half_cell_p2d", "hem_half_cell_sp")


def test_the_shipped_recipes_load_as_before():
    """The Recipe of every shipped recipe is the one loaded at bac9771 (before the schema),
    except n_p_ratio of a cell without a cathode: None, not the unread 1.1, the
    separator grading added since (0 = uniform, as before, but in GRADED) and the BDF
    order cap (BDF_ORDER_4)."""
    before = json.loads((Path(__file__).with_name("shipped_recipes_bac9771.json")).read_text())
    assert sorted(before) == list_recipes()
    for name, old in before.items():
        rec = load_recipe(name)
        now = json.loads(json.dumps(dataclasses.asdict(rec)))
        if rec.cell not in CATHODE_CELLS:
            assert now["n_p_ratio"] is None
            now["n_p_ratio"] = old["n_p_ratio"]
        assert now.pop("separator_grading") == GRADED.get(name, 0.0), name
        assert now["solver"].pop("max_order_bdf", None) == (4 if name in BDF_ORDER_4
                                                            else None), name
        assert now == old, name


#: How docs/anode.md writes each optional key's default (YAML), and the value it means.
DOCUMENTED_DEFAULTS = {"thermal": ("isothermal", "isothermal"),
                       "experiment_model": ("legacy", "legacy"),
                       "compiled": ("false", False),
                       "separator_grading": ("0", 0.0),
                       "solver": ("{rtol: 1.0e-6, atol: 1.0e-8}", {"rtol": 1e-6, "atol": 1e-8})}


def test_the_docs_list_every_key_and_every_default():
    """docs/anode.md "Recipes" has a row per key: required for which cells, or the default."""
    text = DOCS.read_text(encoding="utf-8")
    start = text.index("### Recipes")
    section = text[start:text.index("\n#", start + 1)]
    rows = {line.split("|")[1].strip().strip("`"): line for line in section.splitlines()
            if line.startswith("| `")}
    assert set(rows) == set(RECIPE_KEYS)
    for key, spec in RECIPE_KEYS.items():
        if spec.required_for == CELLS:
            assert "every recipe" in rows[key], key
        for cell in () if spec.required_for == CELLS else spec.required_for:
            assert f"`{cell}`" in rows[key], (key, cell)
    for key, (written, value) in DOCUMENTED_DEFAULTS.items():
        assert RECIPE_KEYS[key].default == value
        assert yaml.safe_load(written) == value
        assert f"`{written}`" in rows[key], (key, written)
