"""A recipe's ``solver: {rtol, atol}`` must be finite and >= 0: a negative or NaN
tolerance was taken as "a number" and failed only inside IDA (rtol -1e-6:
``IDA_BAD_K`` at t = 0, exit 1, with the hint "a solver failure is no limit of the
cell"); it is now bad input, exit 2, naming the field. A zero rtol (pure absolute
tolerance, allowed by IDA) and the shipped values still load."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from hemcell.cell.recipes import load_recipe
from hemcell.errors import InputError

MODELS = Path(__file__).resolve().parents[2] / "models"


def _copy(tmp_path: Path, **solver: object) -> Path:
    data = yaml.safe_load((MODELS / "hem_half_cell_sp.yaml").read_text())
    data["solver"] = {**data["solver"], **solver}
    data["name"] = "tolerance_trial"
    path = tmp_path / "tolerance_trial.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


@pytest.mark.parametrize(("key", "value"), [("rtol", -1e-6), ("rtol", float("nan")),
                                            ("atol", -1.0), ("atol", float("inf"))])
def test_negative_or_non_finite_tolerance_is_bad_input(tmp_path, key, value):
    with pytest.raises(InputError) as e:
        load_recipe(str(_copy(tmp_path, **{key: value})))
    assert e.value.field.endswith(f"solver.{key}")
    assert "a finite number >= 0" in str(e.value)


def test_zero_rtol_and_the_shipped_tolerances_load(tmp_path):
    assert load_recipe(str(_copy(tmp_path, rtol=0.0))).solver["rtol"] == 0.0
    assert load_recipe("hem_half_cell_sp").solver["rtol"] == pytest.approx(1e-6, rel=0)
