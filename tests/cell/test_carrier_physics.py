"""Carrier ions from physics (hemcell.cell.carriers): kinetics and product size per ion
from the set (no scaling exponent), conversion shifts from formation data per anion
(hemcell.materials.thermo), capacitance by the ion footprint."""

from __future__ import annotations

import pytest

from hemcell.cell.carriers import ION_KEYS, apply_carrier_ion, ion_parameters, ion_properties
from hemcell.cell.mechanisms.space_charge import flat_charge_C_per_m2
from hemcell.cell.parameters import load_si
from hemcell.errors import InputError
from hemcell.materials.thermo import conversion_potential_shift_V
from hemcell.params.registry import registry

#: Shipped anode sets written for Li and the anion of their conversion products.
SET_ANIONS = {
    "heo_rocksalt_mgconicuzn": "O",
    "heo_spinel_lifeznnicomn": "O",
    "fes_space_charge": "S",
    "mep_ingesip3": "P",
}


def _si() -> dict[str, float]:
    si: dict[str, float] = {"reference_ion_radius": 0.076e-9, "anode_thickness": 4e-5,
                            "space_charge_areal_capacitance_fe": 9.0}
    for i, key in enumerate(ION_KEYS):
        si[key] = 1.0 + i
        si[f"{key}_na"] = 10.0 + i
        si[f"{key}_k"] = 100.0 + i
    return si


def test_per_ion_values_replace_the_reference_values_and_nothing_else():
    si = _si()
    for ion, base in (("Na", 10.0), ("K", 100.0)):
        out = apply_carrier_ion(si, ion)
        for i, key in enumerate(ION_KEYS):
            assert out[key] == base + i
        assert out["anode_thickness"] == si["anode_thickness"]
        # C_k keeps its fraction of the interfacial bound at the ion's own site density
        # (hemcell.cell.mechanisms.space_charge.rescale_for_ion)
        q = [flat_charge_C_per_m2("Fe", s["space_charge_site_density"]) for s in (si, out)]
        assert out["space_charge_areal_capacitance_fe"] == pytest.approx(9.0 * q[1] / q[0])
    assert {k: v for k, v in apply_carrier_ion(si, "Li").items() if k[0] != "_"} == si


def test_a_missing_per_ion_value_names_the_key():
    si = _si()
    del si["metal_nanoparticle_diameter_k"]
    apply_carrier_ion(si, "Na")  # Na is complete
    with pytest.raises(InputError) as exc:
        apply_carrier_ion(si, "K")
    assert "metal_nanoparticle_diameter_k" in exc.value.hint


def test_ion_properties_and_declared_uses():
    na, li = ion_properties("na+"), ion_properties("Li")
    assert na.name == "Na" and na.ionic_radius_m == pytest.approx(0.102e-9)
    assert na.footprint_ratio(li) == pytest.approx((0.076 / 0.102) ** 2)
    keys = {u.key for u in ion_parameters(["intercalation"])}
    assert keys == {"intercalation_diffusivity_{el}", "intercalation_exchange_current_density_{el}"}
    conv = {u.key for u in ion_parameters(["conversion"])}
    assert "conversion_potential_shift_{el}" in conv
    assert "metal_nanoparticle_diameter_{el}" in conv


def test_no_scaling_exponent_left_and_per_ion_keys_registered():
    reg = registry()
    assert "ion_kinetic_exponent" not in reg
    for key in ION_KEYS:
        for ion in ("na", "k"):
            assert f"{key}_{ion}" in reg


@pytest.mark.parametrize(("name", "anion"), sorted(SET_ANIONS.items()))
def test_sets_state_the_thermodynamic_shift_of_their_anion(name, anion):
    """The stated conversion_potential_shift_<ion> of each set is eq. (4) of
    hemcell.materials.thermo for its anion; where thermo has no sourced product (K3P) the
    set states 0 as an assumption and thermo refuses."""
    li, ps = load_si(name)
    for ion in ("Na", "K"):
        key = f"conversion_potential_shift_{ion.lower()}"
        stated = li[key]
        try:
            derived = conversion_potential_shift_V(anion, ion)
        except InputError:
            assert (anion, ion) == ("P", "K")  # the one product not found (formation_energies.yaml)
            assert stated == 0.0 and "assumed" in ps.parameters[key].source
            continue
        assert stated == pytest.approx(derived, abs=1e-4)
        assert "derived" in ps.parameters[key].source
        si, _ = load_si(name, ion=ion)  # every per-ion value is given
        for k in ION_KEYS:
            if k in li:
                assert si[k] == li[f"{k}_{ion.lower()}"]


def test_phosphide_na_branches_move_by_the_dft_li3p_na3p_shift():
    """mep_ingesip3 converts to A3P; its Na branches lie ΔE_Na = 4·(−0.707413 + 0.351031)/3
    = −0.4752 V below the Li ones (OQMD rows Li3P, Na3P, named in the set's source); K keeps
    the Li branches (no K3P)."""
    li, ps = load_si("mep_ingesip3")
    assert {"Li3P", "Na3P"} <= set(ps.parameters["conversion_potential_shift_na"].source[
        "derived"].replace(",", " ").split())
    na, _ = load_si("mep_ingesip3", ion="Na")
    k, _ = load_si("mep_ingesip3", ion="K")
    for el in ("in", "ge", "si"):
        for step in ("lithiation", "delithiation"):
            key = f"conversion_{step}_potential_{el}"
            assert na[key] - li[key] == pytest.approx(-0.4752, abs=1e-12)
            assert k[key] == li[key]


def test_fes_sulfide_branches_move_by_several_tenths_of_a_volt():
    """Na conversion is no longer Li's: the FeS branches move by the Na2S/K2S shifts."""
    li, _ = load_si("fes_space_charge")
    for ion, lo, hi in (("Na", -0.45, -0.42), ("K", -0.41, -0.38)):
        si, _ = load_si("fes_space_charge", ion=ion)
        d = si["conversion_lithiation_potential_fe"] - li["conversion_lithiation_potential_fe"]
        assert lo < d < hi
