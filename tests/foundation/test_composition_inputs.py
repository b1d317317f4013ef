"""``hemcell composition`` with odd formulas: the messages name what the user wrote.

A formula of anions only (``O``) was refused naming ``--oxidation`` (an option the user
had not given); a layered cathode that cannot balance (``NaO2``) said "the formula is
needs more oxidation"."""

from __future__ import annotations

import pytest

from hemcell.cli.main import main


def _err(capsys) -> str:
    captured = capsys.readouterr()
    return captured.out + captured.err


@pytest.mark.parametrize("formula", ["O", "S2", "OF2"])
def test_a_formula_of_anions_only_names_the_formula(capsys, formula):
    assert main(["composition", formula]) == 2
    err = _err(capsys)
    assert f"formula '{formula}'" in err and "--oxidation" not in err.split("hint")[0]
    assert "cation" in err


def test_explicit_states_that_do_not_balance_still_name_the_option(capsys):
    assert main(["composition", "O", "--oxidation", "O=-1"]) == 2
    assert "error: --oxidation" in _err(capsys)


def test_an_unbalanced_layered_cathode_reads_as_a_sentence(capsys):
    assert main(["composition", "NaO2", "--role", "cathode", "--window", "2,4"]) == 2
    err = _err(capsys)
    assert "the formula needs more oxidation" in err and "is needs" not in err
