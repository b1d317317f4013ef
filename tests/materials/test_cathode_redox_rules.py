"""Redox-inventory rules of ``couples.yaml`` checked on hand-computed Faraday capacities:
Mn⁴⁺ beside Ni keeps its pristine state (layered ``rules.pristine_kept``) and the NASICON
V²⁺/V³⁺ couple over 1.4-1.6 V (docs/cathodes.md, Redox inventory from the literature)."""

from __future__ import annotations

import pytest

from hemcell.laws import FARADAY_C_PER_MOL
from hemcell.materials.cathode import cathode_inventory
from hemcell.materials.elements import atomic_mass_g_per_mol


def mAh_per_g(electrons: float, molar_mass: float) -> float:
    """Q = n F / (3.6 M)."""
    return electrons * FARADAY_C_PER_MOL / 3.6 / molar_mass


def molar_mass(**atoms: float) -> float:
    return sum(n * atomic_mass_g_per_mol(el) for el, n in atoms.items())


def test_p2_ni_mn_oxide_discharge_stops_at_the_pristine_mn4():
    """P2-Na2/3Ni1/3Mn2/3O2 over 2.0-4.5 V (Mn stays 4+ over 1.5-4.5 V, Risthaus 2018).

    By hand: pristine Ni2+ and Mn4+ (f⁰ = 1: Mn a pillar). Charge to 4.5 V empties
    Ni2+/Ni3+ and Ni3+/Ni4+ (1/3 + 1/3 e = all 2/3 Na). Discharge to 2.0 V returns both
    Ni couples (2/3 e) and nothing from Mn: Q = (2/3) F / 3.6 M ≈ 172 mAh/g, the
    theoretical capacity. Without the rule Mn⁴⁺ would be reduced to f(2.0 V) = 1/3 and
    refill the host to its 1 Na per MO2 (1 e, ≈ 258 mAh/g).
    """
    inv = cathode_inventory("Na2/3Ni1/3Mn2/3O2", window="2.0,4.5")
    m = molar_mass(Na=2 / 3, Ni=1 / 3, Mn=2 / 3, O=2)
    assert inv["roles"]["Mn"] == ["inactive"]
    assert inv["oxidation_states"]["Mn"] == pytest.approx(4.0)
    assert inv["window"]["charge_e"] == pytest.approx(2 / 3, rel=1e-9)
    assert inv["window"]["discharge_e"] == pytest.approx(2 / 3, rel=1e-9)
    q = inv["capacity_mAh_per_g"]["window"]
    assert q == pytest.approx(mAh_per_g(2 / 3, m), rel=1e-9)
    assert q == pytest.approx(172, abs=1)
    assert any("pristine_kept" in n for n in inv["notes"])


def test_mn3_present_in_the_pristine_oxide_stays_active_beside_ni():
    """Na0.8Ni0.2Mn0.8O2 over 2.0-4.0 V: the rule keeps only the pristine Mn4+.

    By hand: Ni2+ (0.4) + Mn3+ (2.4) leave 0.4 e to find; Mn3+/Mn4+ (lowest) takes them:
    f⁰ = 0.5, Mn3.5+. Kept: 0.4 e of Mn4+; the couple left is Mn3.5+/Mn4+, 0.4 e over
    1.5 + 0.5·1.5 = 2.25 to 3.0 V. Charge to 4.0 V: Mn 0.4 + Ni2+/Ni3+ 0.2 +
    Ni3+/Ni4+ 0.2·(4.0 − 3.8)/0.7 = 0.657 e (< 0.8 Na). Discharge to 2.0 V returns all
    of it (Ni2+/Ni3+ from 2.0 V, Mn down to 2.25 V), inside the 1 − (0.8 − 0.657) sites.
    """
    inv = cathode_inventory("Na0.8Ni0.2Mn0.8O2", window="2.0,4.0")
    m = molar_mass(Na=0.8, Ni=0.2, Mn=0.8, O=2)
    e = 0.4 + 0.2 + 0.2 * 0.2 / 0.7
    assert inv["oxidation_states"]["Mn"] == pytest.approx(3.5)
    mn = [c for c in inv["couples"] if c["couple"].startswith("Mn")]
    assert len(mn) == 1
    assert mn[0]["electrons_per_formula_unit"] == pytest.approx(0.4)
    assert mn[0]["range_V"] == pytest.approx([2.25, 3.0])
    assert inv["window"]["charge_e"] == pytest.approx(e, rel=1e-9)
    assert inv["window"]["discharge_e"] == pytest.approx(e, rel=1e-9)
    assert inv["capacity_mAh_per_g"]["window"] == pytest.approx(mAh_per_g(e, m), rel=1e-9)


def test_without_ni_mn4_is_reduced_below_its_pristine_state():
    """P2-Na2/3Fe1/2Mn1/2O2 over 2.0-4.2 V, no Ni: the rule does not apply.

    By hand: Fe3+ (1.5) + Mn3+ (1.5) leave 1/3 e; Mn3+/Mn4+ takes it, f⁰ = 2/3. Charge
    to 4.2 V: Mn 0.5·(1/3) + Fe3+/Fe4+ 0.5·(4.2 − 3.0)/2.2 = 0.439 e. Discharge to 2.0 V:
    Fe back (0.273 e) and Mn from 1 to f(2.0) = 1/3: 0.5·(2/3) e, below its pristine
    2/3 (Mn3+/4+ in the low-voltage region of NaFe1/2Mn1/2O2, Yabuuchi); the 0.606 e fit
    in the 1 − (2/3 − 0.439) sites.
    """
    inv = cathode_inventory("Na2/3Fe1/2Mn1/2O2", window="2.0,4.2")
    m = molar_mass(Na=2 / 3, Fe=0.5, Mn=0.5, O=2)
    fe = 0.5 * 1.2 / 2.2
    assert inv["oxidation_states"]["Mn"] == pytest.approx(3 + 2 / 3)
    assert inv["window"]["charge_e"] == pytest.approx(0.5 / 3 + fe, rel=1e-9)
    assert inv["window"]["discharge_e"] == pytest.approx(fe + 0.5 * 2 / 3, rel=1e-9)
    assert inv["capacity_mAh_per_g"]["window"] == pytest.approx(
        mAh_per_g(fe + 0.5 * 2 / 3, m), rel=1e-9)
    assert not any("pristine_kept" in n for n in inv["notes"])


@pytest.mark.parametrize(("low_V", "electrons"), [(1.6, 2.0), (1.55, 2.5), (1.5, 3.0)])
def test_nvp_v2_v3_couple_between_its_two_plateau_values(low_V, electrons):
    """Na3V2(PO4)3 discharged to 1.6 / 1.55 / 1.5 V after a charge to 3.8 V.

    By hand: charge V3+ -> V4+ removes 2 Na (1 stays). V2+/V3+ spans 1.4-1.6 V (the NVP
    plateau at 1.4 V and at 1.6 V): at 1.6 V none of it, at 1.55 V a quarter of its 2 e,
    at 1.5 V half. Q = 2, 2.5, 3 e; 3 e fill the 4 Na sites exactly (117.6 + 58.8 mAh/g).
    """
    inv = cathode_inventory("Na3V2(PO4)3", window=(low_V, 3.8))
    m = molar_mass(Na=3, V=2, P=3, O=12)
    assert inv["window"]["discharge_e"] == pytest.approx(electrons, rel=1e-9)
    assert inv["capacity_mAh_per_g"]["window"] == pytest.approx(mAh_per_g(electrons, m),
                                                                rel=1e-9)
