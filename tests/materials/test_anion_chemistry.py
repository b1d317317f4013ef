"""Electron inventory for every anion chemistry, checked against hand Faraday capacities.

Q = n F / (3.6 M) mAh g⁻¹ with n the electrons per formula unit of full conversion to the
metal and the lithium compound of each anion (Li₂O, Li₂S, Li₂Se, Li₃P, LiF). Anions bonded
to each other (persulfide S₂²⁻, polyphosphide P⁻¹) take the bond electrons too, so FeS₂
stores 4 e⁻ (Fe²⁺ → Fe and S₂²⁻ → 2 S²⁻), not the 2 e⁻ of its cation alone.
Atomic masses by hand: IUPAC standard atomic weights (abridged).
"""

from __future__ import annotations

import pytest

from hemcell.errors import InputError
from hemcell.materials.formula import parse_formula
from hemcell.materials.inventory import composition_inventory
from hemcell.materials.oxidation import infer_oxidation_states

F_MAH = 96485.33212 / 3.6  # mAh per mol of electrons
M = {"Fe": 55.845, "Co": 58.933, "Ni": 58.693, "Cu": 63.546, "O": 15.999, "S": 32.06,
     "Se": 78.971, "P": 30.974, "F": 18.998}


def _hand(electrons: float, **atoms: float) -> float:
    return electrons * F_MAH / sum(M[el] * n for el, n in atoms.items())


@pytest.mark.parametrize("formula, electrons, atoms, kind", [
    ("CoO", 2, {"Co": 1, "O": 1}, "oxide"),
    ("FeS", 2, {"Fe": 1, "S": 1}, "sulfide"),
    ("FeS2", 4, {"Fe": 1, "S": 2}, "persulfide (S2 2- dimers)"),
    ("FeSe2", 4, {"Fe": 1, "Se": 2}, "diselenide"),
    ("Cu3P", 3, {"Cu": 3, "P": 1}, "phosphide"),
    ("CoP3", 9, {"Co": 1, "P": 3}, "polyphosphide (P4 rings)"),
    ("NiP2", 6, {"Ni": 1, "P": 2}, "polyphosphide (P chains)"),
    ("FeF3", 3, {"Fe": 1, "F": 3}, "fluoride"),
    ("FeOF", 3, {"Fe": 1, "O": 1, "F": 1}, "mixed anion (oxyfluoride)"),
])
def test_conversion_capacity_of_every_anion_class(formula, electrons, atoms, kind):
    inv = composition_inventory(formula)
    assert inv["capacity_mAh_per_g"]["conversion"] == pytest.approx(
        _hand(electrons, **atoms), rel=2e-4), kind


def test_persulfide_states_and_bond_electrons():
    ox = infer_oxidation_states({"Fe": 1, "S": 2})
    assert ox.states == {"Fe": 2.0, "S": -1.0}
    assert "Zintl" in ox.rule
    inv = composition_inventory("FeS2")
    assert inv["electrons_per_formula_unit"]["anion_bonds"] == pytest.approx(2.0)
    # the same capacity when the user gives the persulfide states
    given = composition_inventory("FeS2", oxidation="Fe=2,S=-1")
    assert given["capacity_mAh_per_g"]["conversion"] == pytest.approx(
        inv["capacity_mAh_per_g"]["conversion"])


def test_isolated_anions_are_kept_when_they_balance():
    # pyrrhotite-like FeS and magnetite keep S2- / O2- (no bonds invented)
    assert infer_oxidation_states({"Fe": 1, "S": 1}).states["S"] == -2.0
    fe3o4 = infer_oxidation_states({"Fe": 3, "O": 4})
    assert fe3o4.states["O"] == -2.0 and fe3o4.states["Fe"] == pytest.approx(8 / 3)


def test_an_over_full_site_is_refused_and_a_partly_filled_one_noted():
    with pytest.raises(InputError) as exc:
        parse_formula("(Mg0.3Co0.3Ni0.2Cu0.2Zn0.2)O")
    assert "at most 1" in exc.value.allowed and "1.2" in str(exc.value.value)
    inv = composition_inventory("(Mg0.2Co0.2Ni0.2Cu0.2)O")
    assert any("0.8 occupied" in n for n in inv["notes"])
    # the rock-salt HEO is exactly full: no note
    assert not parse_formula("(Mg0.2Co0.2Ni0.2Cu0.2Zn0.2)O").notes


def test_cli_exit_2_for_an_over_full_site(capsys):
    from hemcell.cli.main import main

    assert main(["composition", "(Mg0.5Co0.5Ni0.5)O", "--json"]) == 2
    assert "at most 1" in capsys.readouterr().err
