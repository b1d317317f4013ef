"""User trial S18: a decimal comma in a quantity was read as nothing.

pint drops a comma inside a number: `--active-mass "1,2 mg"` ran at 12 mg (a POOR fit,
rmse 1.1 V), `limetal symmetric --current-density 0,5mA/cm2` at 5 mA/cm2 and `--set
coating_thickness=2,8 nm` set 28 nm, all without a word. Every quantity typed as text
goes through `hemcell.units.parse_quantity_text`, which now refuses the comma.
"""

from __future__ import annotations

import pytest

from hemcell.cli.main import main
from hemcell.errors import InputError
from hemcell.units import parse_quantity_text


@pytest.mark.parametrize("text", ["1,2 mg", "0,5mA/cm2", "1,200 mg", "2,8e1 nm"])
def test_a_comma_in_a_quantity_is_refused(text):
    with pytest.raises(InputError) as exc:
        parse_quantity_text(text, "--x")
    assert exc.value.field == "--x" and "decimal point" in exc.value.allowed
    assert text.replace(",", ".") in exc.value.hint


def test_a_decimal_point_is_read():
    assert parse_quantity_text("1.2 mg", "--x") == (1.2, "mg")


def test_set_and_options_name_the_comma(tmp_path, capsys):
    assert main(["params", "show", "azcnf_coated_li", "--set", "coating_thickness=2,8 nm"]) == 2
    assert "--set coating_thickness: got '2,8 nm'" in capsys.readouterr().err
    assert main(["limetal", "symmetric", "--anode", "bare", "--current-density", "0,5mA/cm2",
                 "--hours", "10", "--out", str(tmp_path / "o"), "--no-plots"]) == 2
    assert "--current-density: got '0,5mA/cm2'" in capsys.readouterr().err
