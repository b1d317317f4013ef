"""Conversion thermodynamics (hemcell.materials.thermo): ΔfG from ΔfH and S°, emfs per ion
and per anion, cross-checked against independent sources."""

from __future__ import annotations

import pytest

from hemcell.errors import InputError
from hemcell.laws import FARADAY_C_PER_MOL
from hemcell.materials import thermo


@pytest.mark.parametrize(
    ("formula", "independent_kJ_per_mol"),
    # Wikipedia infoboxes (Li2O also chemister.ru / Rabinovich & Khavin 1977), the values
    # hemcell used before the NASA Glenn rows: independent of the Gurvich data
    [("Li2O", -562.1), ("Na2O", -377.1), ("K2O", -322.1)],
)
def test_oxide_gibbs_energies_agree_with_an_independent_source(formula, independent_kJ_per_mol):
    """ΔfG = ΔfH − TΔfS from the Gurvich rows within 2 kJ/mol (0.4 %) of the tertiary
    tabulated Gibbs energies."""
    assert thermo.gibbs_formation_kJ_per_mol(formula) == pytest.approx(
        independent_kJ_per_mol, abs=2.0)


def test_na2s_enthalpy_agrees_with_emf_measurement():
    """JANAF ΔfH(Na2S) = −366.1 kJ/mol vs the third-law value of solid-state EMF cells,
    −369.0 ± 1.0 kJ/mol (J. Chem. Thermodyn. 39 (2007) 44): within 1 %."""
    row = thermo.formation_data()["compounds"]["Na2S"]
    assert row["dfH_kJ_per_mol"] == pytest.approx(-369.0, rel=0.01)


def test_elements_are_zero_and_gibbs_follows_enthalpy_minus_t_entropy():
    assert thermo.gibbs_formation_kJ_per_mol("Li") == 0.0
    # analytic: ΔfG(T2) − ΔfG(T1) = −(T2 − T1) ΔfS, with ΔfS of Li2O from the table
    s = thermo.formation_data()
    dfs = (s["compounds"]["Li2O"]["S_J_per_mol_K"] - 2 * s["elements"]["Li"]["S_J_per_mol_K"]
           - s["elements"]["O"]["S_J_per_mol_K"]) * 1e-3
    g1 = thermo.gibbs_formation_kJ_per_mol("Li2O", 298.15)
    g2 = thermo.gibbs_formation_kJ_per_mol("Li2O", 348.15)
    assert g2 - g1 == pytest.approx(-50.0 * dfs, rel=1e-12)


def test_shift_is_the_same_for_every_compound_of_an_anion():
    """Eq. (4): E_A(MX) − E_Li(MX) does not depend on M, a, b (FeS vs Li2S itself,
    CuO vs Li2O, CuF2 vs LiF)."""
    for compound, anion in (("FeS", "S"), ("CuO", "O"), ("CuF2", "F")):
        for ion in ("Na", "K"):
            e_a = thermo.conversion_emf_V(compound, ion)
            e_li = thermo.conversion_emf_V(compound, "Li")
            assert e_a - e_li == pytest.approx(
                thermo.conversion_potential_shift_V(anion, ion), abs=1e-12)
    assert thermo.conversion_potential_shift_V("S", "Li") == 0.0


def test_fes_emf_per_ion_by_hand():
    """FeS + 2A → Fe + A2S: E = [ΔfG(FeS) − ΔfG(A2S)]/(2F), by hand from the rows."""
    g = thermo.gibbs_formation_kJ_per_mol
    for ion in ("Li", "Na", "K"):
        by_hand = (g("FeS") - g(f"{ion}2S")) * 1e3 / (2 * FARADAY_C_PER_MOL)
        assert thermo.conversion_emf_V("FeS", ion) == pytest.approx(by_hand, rel=1e-12)
    # several tenths of a volt: Na and K sulfide branches lie 0.39-0.44 V below Li's
    assert -0.45 < thermo.conversion_potential_shift_V("S", "Na") < -0.42
    assert -0.41 < thermo.conversion_potential_shift_V("S", "K") < -0.38
    # Na is not Li: FeS converts at a lower emf vs Na/Na+ than vs Li/Li+
    assert thermo.conversion_emf_V("FeS", "Na") < thermo.conversion_emf_V("FeS", "Li") - 0.4


def test_products_and_refusals():
    assert thermo.conversion_product("P", "Na") == "Na3P"
    assert thermo.conversion_product("F", "K") == "KF"
    with pytest.raises(InputError):
        thermo.conversion_potential_shift_V("P", "Na")  # no sourced phosphide rows
    with pytest.raises(InputError):
        thermo.conversion_potential_shift_V("Se", "K")
    with pytest.raises(InputError):
        thermo.conversion_product("O", "Cs")
    with pytest.raises(InputError):
        thermo.conversion_emf_V("FeS2O", "Li")  # not binary
    with pytest.raises(InputError):
        thermo.gibbs_formation_kJ_per_mol("Li2O", 0.0)
