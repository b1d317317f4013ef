"""Oxidation states from charge balance, explicit states and the documented tie rules."""

from __future__ import annotations

import pytest

from hemcell.errors import InputError
from hemcell.materials.formula import parse_formula
from hemcell.materials.oxidation import (
    anion_elements,
    infer_oxidation_states,
    parse_oxidation_option,
)


def states(text: str, explicit=None) -> dict[str, float]:
    return infer_oxidation_states(parse_formula(text).amounts, explicit).states


def test_rock_salt_takes_the_preferred_states():
    res = infer_oxidation_states(parse_formula("(Mg0.2Co0.2Ni0.2Cu0.2Zn0.2)O").amounts)
    assert res.rule == "preferred"
    assert res.states == {"Mg": 2, "Co": 2, "Ni": 2, "Cu": 2, "Zn": 2, "O": -2}


def test_spinel_mixed_valence_by_integer_balance():
    """(LiFeZnNiCoMn)3O4: Li+ and Zn2+ are fixed, so 0.5 (Fe+Co+Ni+Mn) = 8 - 0.5 - 1 = 6.5,
    Fe+Co+Ni+Mn = 13 = the top of every listed range: Fe3+, Co3+, Ni3+, Mn4+ (unique)."""
    assert states("(LiFeZnNiCoMn)3O4") == {"Li": 1, "Fe": 3, "Zn": 2, "Ni": 3, "Co": 3,
                                           "Mn": 4, "O": -2}


def test_magnetite_gets_the_average_state():
    res = infer_oxidation_states({"Fe": 3, "O": 4})
    assert res.rule == "average (mixed valence)"
    assert res.states["Fe"] == pytest.approx(8 / 3)


def test_phosphide_tie_is_broken_by_electronegativity_and_reported():
    """InGeSiP3: 3 P3- need +9; In3+Ge2+Si4+ and In+Ge4+Si4+ are equally good; the lower
    state goes to the more electronegative Ge (2.01 > In 1.78)."""
    res = infer_oxidation_states(parse_formula("InGeSiP3").amounts)
    assert res.states == {"In": 3, "Ge": 2, "Si": 4, "P": -3}
    assert any("2 assignments" in n for n in res.notes)


def test_p_is_a_cation_next_to_oxygen():
    assert anion_elements({"Fe": 1, "P": 1, "O": 4}) == ["O"]
    assert states("FePO4") == {"Fe": 3, "P": 5, "O": -2}
    assert anion_elements({"In": 1, "P": 1}) == ["P"]


def test_explicit_states_are_kept_and_the_rest_balanced():
    assert states("(Co,Fe)3O4", {"Fe": 3}) == pytest.approx({"Co": 7 / 3, "Fe": 3, "O": -2})
    # a persulfide is found by charge balance with S-S bonds, or given by hand
    assert states("FeS2") == {"Fe": 2, "S": -1}
    assert states("FeS2", {"Fe": 2, "S": -1}) == {"Fe": 2, "S": -1}
    # oxygen forms no such bonds here: FeO3 cannot balance within Fe's listed states
    with pytest.raises(InputError, match="balance") as err:
        states("FeO3")
    assert "--oxidation" in (err.value.hint or "")
    with pytest.raises(InputError, match="neutral"):
        states("FeS2", {"Fe": 3, "S": -1})


def test_alloy_without_anion_is_metallic():
    res = infer_oxidation_states({"Sn": 0.5, "Sb": 0.5})
    assert res.states == {"Sn": 0, "Sb": 0} and res.anions == ()


def test_oxidation_option_parsing():
    assert parse_oxidation_option("Fe=3, Co=2") == {"Fe": 3.0, "Co": 2.0}
    assert parse_oxidation_option(None) == {}
    for bad in ("Fe3", "Fe=three"):
        with pytest.raises(InputError):
            parse_oxidation_option(bad)
    with pytest.raises(InputError, match="an element of the formula"):
        states("MgO", {"Fe": 3})
