"""Formula parsing: equal-share groups, subscripts, nested groups and clear errors."""

from __future__ import annotations

import pytest

from hemcell.errors import InputError
from hemcell.materials.formula import parse_formula


def approx_dict(d: dict[str, float]) -> dict[str, float]:
    return {k: pytest.approx(v) for k, v in d.items()}


def test_rock_salt_subscripts_and_group():
    f = parse_formula("(Mg0.2Co0.2Ni0.2Cu0.2Zn0.2)O")
    assert f.amounts == approx_dict({"Mg": 0.2, "Co": 0.2, "Ni": 0.2, "Cu": 0.2, "Zn": 0.2,
                                     "O": 1.0})
    assert len(f.groups) == 1 and set(f.groups[0]) == {"Mg", "Co", "Ni", "Cu", "Zn"}
    assert f.outside == {"O": 1.0}


def test_spinel_equal_shares():
    """(LiFeZnNiCoMn)3O4: no subscripts inside, so six equal shares of 3 cations: 0.5 each."""
    f = parse_formula("(LiFeZnNiCoMn)3O4")
    assert f.amounts == approx_dict({el: 0.5 for el in ("Li", "Fe", "Zn", "Ni", "Co", "Mn")}
                                    | {"O": 4.0})
    assert f.elements == ["Li", "Fe", "Zn", "Ni", "Co", "Mn", "O"]


def test_comma_notation_is_equal_shares():
    assert parse_formula("(Co,Cr,Fe,Mn,Ni)3O4").amounts == approx_dict(
        {"Co": 0.6, "Cr": 0.6, "Fe": 0.6, "Mn": 0.6, "Ni": 0.6, "O": 4.0})


def test_phosphides_without_groups():
    assert parse_formula("InGeSiP3").amounts == {"In": 1, "Ge": 1, "Si": 1, "P": 3}
    f = parse_formula("GaCuZnInGeSiP6")
    assert f.amounts["P"] == 6 and sum(v for k, v in f.amounts.items() if k != "P") == 6
    assert f.groups == () and f.outside == f.amounts


def test_sulfide_selenide_fractional_subscripts():
    f = parse_formula("Cu0.88Sn0.02Sb0.02Bi0.02Mn0.02S0.9Se0.1")
    assert f.amounts == approx_dict({"Cu": 0.88, "Sn": 0.02, "Sb": 0.02, "Bi": 0.02,
                                     "Mn": 0.02, "S": 0.9, "Se": 0.1})
    assert parse_formula("Fe.5Co.5O").amounts == {"Fe": 0.5, "Co": 0.5, "O": 1.0}


def test_nested_groups():
    # an equal-share pair nested in a subscripted group: same as the rock salt
    f = parse_formula("(Mg0.2Co0.2Ni0.2(CuZn)0.4)O")
    assert f.amounts == approx_dict({"Mg": 0.2, "Co": 0.2, "Ni": 0.2, "Cu": 0.2, "Zn": 0.2,
                                     "O": 1.0})
    assert parse_formula("Li[Ni0.8Co0.1Mn0.1]O2").groups[0] == approx_dict(
        {"Ni": 0.8, "Co": 0.1, "Mn": 0.1})


def test_molecular_groups_multiply_out():
    """(OH), (SO4): ordinary chemistry, not equal shares."""
    assert parse_formula("Ca(OH)2").amounts == {"Ca": 1, "O": 2, "H": 2}
    assert parse_formula("Fe2(SO4)3").amounts == {"Fe": 2, "S": 3, "O": 12}


def test_whitespace_is_ignored():
    assert parse_formula(" (Mg0.5 Co0.5) O ").amounts == {"Mg": 0.5, "Co": 0.5, "O": 1.0}


@pytest.mark.parametrize(("text", "where", "what"), [
    ("(Mg0.2Co0.2", "position 12", "')' to close the '(' at position 1"),
    ("MgO)", "position 4", "no closing bracket"),
    ("Mg0.2Xx", "position 6", "element symbol"),
    ("mgO", "position 1", "capital letter"),
    ("Mg..2O", "position 3", "a number"),
    ("MgO0", "position 4", "greater than zero"),
    ("()O", "position 1", "at least one element"),
    ("(Co,Ni0.5)O", "position 1", "comma list"),
    ("(FeFe)O", "position 1", "each element once"),
    ("", "position 1", "non-empty"),
    ("Mg,O", "position 3", "commas only inside a group"),
    ("Fe3O4·", "position 6", "crystal water after"),
    ("Fe3O4·H2O)", "position 10", "element symbols of the crystal water"),
])
def test_bad_formulas_name_the_position(text, where, what):
    with pytest.raises(InputError) as err:
        parse_formula(text)
    msg = err.value.message
    assert where in msg and what in msg
    assert "\n" not in msg
