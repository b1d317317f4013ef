"""The composition inventory against hand calculations (F/3.6 = 26801.48 mAh/mol)."""

from __future__ import annotations

import math

import pytest

from hemcell.materials import JSON_KEYS, composition_inventory
from hemcell.materials.elements import element_data
from hemcell.materials.roles import ROLE_NAMES

F_MAH = 96485.33212 / 3.6  # mAh per mol of electrons


def test_design_worked_example():
    """DESIGN.md §4: (Mg0.2Co0.2Ni0.2Cu0.2Zn0.2)O, M = 70.17 g/mol; Co, Ni, Cu, Zn convert
    with 2 e- each (n = 1.6): 1.6 F/(3.6 M) = 611 mAh/g; Zn -> LiZn (n = 0.2): 76 mAh/g;
    S = ln 5 R = 1.609 R on the cation site: high entropy (>= 1.5 R)."""
    inv = composition_inventory("(Mg0.2Co0.2Ni0.2Cu0.2Zn0.2)O")
    assert inv["molar_mass_g_per_mol"] == pytest.approx(70.17, abs=0.01)
    assert inv["capacity_mAh_per_g"]["conversion"] == pytest.approx(611, abs=1)
    assert inv["capacity_mAh_per_g"]["alloying"] == pytest.approx(76, abs=1)
    assert inv["capacity_mAh_per_g"]["total"] == pytest.approx(
        inv["capacity_mAh_per_g"]["conversion"] + inv["capacity_mAh_per_g"]["alloying"])
    assert inv["config_entropy_per_R"] == pytest.approx({"cation": math.log(5), "anion": 0.0})
    assert inv["config_entropy_per_R"]["cation"] == pytest.approx(1.609, abs=1e-3)
    assert inv["entropy_class"] == "high"
    assert inv["roles"] == {"Mg": ["inactive"], "Co": ["conversion", "space_charge"],
                            "Ni": ["conversion", "space_charge"], "Cu": ["conversion"],
                            "Zn": ["conversion", "alloying"], "O": ["anion"]}
    assert inv["alloy_phases"] == {"Zn": "LiZn"}
    assert inv["space_charge_order"] == ["Co", "Ni"]


def test_spinel_hand_calculation():
    """(LiFeZnNiCoMn)3O4, 0.5 of each cation per formula unit:
    M = 0.5 (6.94 + 55.845 + 65.38 + 58.6934 + 58.933194 + 54.938043) + 4 x 15.999
      = 150.3648 + 63.996 = 214.361 g/mol;
    S = ln 6 = 1.792 R (high). States Li+ Zn2+ Fe3+ Co3+ Ni3+ Mn4+ (charge balance).
    Seed-000 roles (Li inactive, the rest convert): n = 0.5 (3 + 2 + 3 + 3 + 4) = 7.5,
    Q = 7.5 x 26801.48 / 214.361 = 937.7 mAh/g; Zn -> LiZn: 0.5 x 26801.48/214.361 = 62.5.
    With Zn and Mn structural as in that paper (seed 000 L630-632): n = 0.5 (3+3+3) = 4.5,
    Q = 562.6 mAh/g and no alloying."""
    inv = composition_inventory("(LiFeZnNiCoMn)3O4")
    assert inv["molar_mass_g_per_mol"] == pytest.approx(214.361, abs=1e-3)
    assert inv["config_entropy_per_R"]["cation"] == pytest.approx(math.log(6))
    assert inv["entropy_class"] == "high"
    assert inv["capacity_mAh_per_g"]["conversion"] == pytest.approx(937.7, abs=0.1)
    assert inv["capacity_mAh_per_g"]["alloying"] == pytest.approx(62.5, abs=0.1)
    assert inv["space_charge_order"] == ["Fe", "Co", "Ni"]
    structural = composition_inventory("(LiFeZnNiCoMn)3O4", inactive="Zn,Mn")
    assert structural["capacity_mAh_per_g"]["conversion"] == pytest.approx(562.6, abs=0.1)
    assert structural["capacity_mAh_per_g"]["alloying"] == 0
    assert structural["roles"]["Zn"] == ["inactive"] == structural["roles"]["Mn"]


def test_phosphide_hand_calculation():
    """InGeSiP3: M = 114.818 + 72.63 + 28.085 + 3 x 30.973762 = 308.454 g/mol;
    S = ln 3 = 1.099 R: medium, as seed 000 L692 calls it ("ternary medium-entropy").
    Conversion: 3 P3- -> n = 9 -> 9 x 26801.48 / 308.454 = 782.0 mAh/g.
    Alloying with Li: In -> Li13In3 (13/3), Ge -> Li4.4Ge (4.4), Si -> Li15Si4 (3.75):
    n = 12.4833 -> 1084.7 mAh/g; total 1866.7 (seed 000 L697-698 reports 1733 reversible)."""
    inv = composition_inventory("InGeSiP3")
    assert inv["molar_mass_g_per_mol"] == pytest.approx(308.454, abs=1e-3)
    assert inv["config_entropy_per_R"]["cation"] == pytest.approx(math.log(3))
    assert inv["entropy_class"] == "medium"
    assert inv["capacity_mAh_per_g"]["conversion"] == pytest.approx(782.0, abs=0.1)
    assert inv["capacity_mAh_per_g"]["alloying"] == pytest.approx(1084.7, abs=0.1)
    assert inv["alloy_phases"] == {"In": "Li13In3", "Ge": "Li22Ge5", "Si": "Li15Si4"}
    assert inv["capacity_mAh_per_g"]["total"] > 1733


def test_high_entropy_phosphide_with_unplaced_gallium():
    """GaCuZnInGeSiP6: ln 6 R (high); Ga is not in seed 000's planes -> inactive (noted).
    n_conv = 2 + 2 + 3 + 4 + 4 = 15 (Cu, Zn, In, Ge, Si) over M = 600.025 g/mol."""
    inv = composition_inventory("GaCuZnInGeSiP6")
    assert inv["entropy_class"] == "high"
    assert inv["roles"]["Ga"] == ["inactive"]
    assert inv["capacity_mAh_per_g"]["conversion"] == pytest.approx(
        15 * F_MAH / inv["molar_mass_g_per_mol"])
    assert inv["molar_mass_g_per_mol"] == pytest.approx(600.025, abs=1e-3)


def test_sodium_and_potassium_change_alloying_not_conversion():
    """Rock salt: no Na-Zn or K-Zn phase is sourced, so alloying vanishes for Na/K while the
    conversion electrons stay. InGeSiP3 + Na: only In -> Na2In (2 Na, Webb 2014 theoretical):
    2 x 26801.48 / 308.454 = 173.8 mAh/g. Sb1.4Bi0.2Sn0.2Co0.1Mn0.1Te3 + K: K3Sb, K3Bi, KSn
    (seed 000 L361-364): n = 1.4x3 + 0.2x3 + 0.2x1 = 5.0 over M = 630.189 -> 212.6 mAh/g."""
    li = composition_inventory("(Mg0.2Co0.2Ni0.2Cu0.2Zn0.2)O", ion="Li")
    for ion, radius in (("Na", 0.102), ("K", 0.138)):
        other = composition_inventory("(Mg0.2Co0.2Ni0.2Cu0.2Zn0.2)O", ion=ion)
        assert other["ionic_radius_nm"] == radius
        assert other["capacity_mAh_per_g"]["alloying"] == 0
        assert other["capacity_mAh_per_g"]["conversion"] == pytest.approx(
            li["capacity_mAh_per_g"]["conversion"])
        assert other["roles"]["Zn"] == ["conversion"]
    na = composition_inventory("InGeSiP3", ion="na")
    assert na["ion"] == "Na" and na["alloy_phases"] == {"In": "Na2In (theoretical)"}
    assert na["capacity_mAh_per_g"]["alloying"] == pytest.approx(173.8, abs=0.1)
    k = composition_inventory("Sb1.4Bi0.2Sn0.2Co0.1Mn0.1Te3", ion="K")
    assert k["alloy_phases"] == {"Sb": "K3Sb", "Bi": "K3Bi", "Sn": "KSn"}
    assert k["molar_mass_g_per_mol"] == pytest.approx(630.189, abs=1e-3)
    assert k["capacity_mAh_per_g"]["alloying"] == pytest.approx(212.6, abs=0.1)


def test_alloy_without_anion_has_no_conversion():
    """Sn0.5Sb0.5 with Li: 0.5 x 4.4 + 0.5 x 3 = 3.7 Li over M = 120.235 -> 824.8 mAh/g."""
    inv = composition_inventory("Sn0.5Sb0.5")
    assert inv["capacity_mAh_per_g"]["conversion"] == 0
    assert inv["capacity_mAh_per_g"]["alloying"] == pytest.approx(824.8, abs=0.1)
    assert inv["roles"] == {"Sn": ["alloying"], "Sb": ["alloying"]}


def test_layered_oxide_sublattices_and_low_entropy():
    inv = composition_inventory("Li(Ni0.8Co0.1Mn0.1)O2")
    assert set(inv["config_entropy_per_R"]) == {"cation_1", "cation_2", "anion"}
    s = -(0.8 * math.log(0.8) + 2 * 0.1 * math.log(0.1))
    assert inv["config_entropy_per_R"]["cation_1"] == pytest.approx(s)
    assert inv["config_entropy_per_R"]["cation_2"] == 0
    assert inv["entropy_class"] == "low"


def test_json_keys_are_the_issue_keys():
    assert JSON_KEYS == ("molar_mass_g_per_mol", "config_entropy_per_R", "entropy_class",
                         "roles", "capacity_mAh_per_g")
    inv = composition_inventory("(Mg0.2Co0.2Ni0.2Cu0.2Zn0.2)O")
    assert set(inv["capacity_mAh_per_g"]) == {"conversion", "alloying", "total"}


def test_every_element_entry_is_sourced():
    data = element_data()
    for el, entry in data["elements"].items():
        assert entry.get("roles_source"), el
        assert set(entry["roles"]) <= set(ROLE_NAMES), el
        assert entry["oxidation_states"], el
    for el, phases in data["alloy_phases"].items():
        assert "alloying" in data["elements"][el]["roles"], el
        for ion, p in phases.items():
            assert p["source"] and p["ions_per_atom"] > 0, (el, ion)
    assert {k: v["ionic_radius_nm"] for k, v in data["carrier_ions"].items()} == {
        "Li": 0.076, "Na": 0.102, "K": 0.138}


def test_element_without_data_needs_an_explicit_state():
    """PbO: no Pb entry in elements.yaml; with --oxidation Pb=2 it balances, Pb is inactive
    (noted) and M = 207.2 + 15.999 = 223.199 g/mol."""
    inv = composition_inventory("PbO", oxidation="Pb=2")
    assert inv["roles"]["Pb"] == ["inactive"]
    assert inv["molar_mass_g_per_mol"] == pytest.approx(223.199, abs=1e-3)
    assert any("Pb: no element data" in n for n in inv["notes"])
