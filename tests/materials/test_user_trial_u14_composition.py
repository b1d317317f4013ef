"""User trial U14 of `hemcell composition --role cathode`: the carrier from the formula."""

from __future__ import annotations

import json

import pytest

from hemcell.cli.main import main


@pytest.mark.parametrize(("formula", "ion"), [
    ("LiNi0.8Mn0.1Co0.1O2", "Li"), ("K1.47Fe0.5Mn0.5[Fe(CN)6]1.26·H2O", "K"),
    ("Na3V2(PO4)2F3", "Na")])
def test_a_cathode_without_ion_takes_the_carrier_it_is_written_with(capsys, formula, ion):
    """`composition LiNi0.8Mn0.1Co0.1O2 --role cathode` exited 2 with "--ion: got 'Na'"
    though no --ion was given: the cathode default was Na whatever the formula."""
    assert main(["composition", formula, "--role", "cathode", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["capacity_mAh_per_g"]["carrier_limit"] > 0
    assert main(["composition", formula, "--role", "cathode"]) == 0
    assert f"{ion}+ carrier" in capsys.readouterr().out


def test_a_given_ion_that_is_not_the_formulas_is_still_refused(capsys):
    assert main(["composition", "LiNi0.8Mn0.1Co0.1O2", "--role", "cathode", "--ion", "Na"]) == 2
    assert "--ion: got 'Na'" in capsys.readouterr().err
