"""Carrier ions Li/Na/K and the issue-4 parameter sets (spinel, phosphide, FeS)."""

from __future__ import annotations

import pytest

from hemcell.cell.carriers import IONIC_RADII_M, apply_carrier_ion, ion_factors
from hemcell.errors import InputError
from hemcell.workflows.anode import run_cell, summarize

FIRST_LITHIATION = "Discharge at 0.1 A/g until 0.01 V"


def test_carrier_relations_rescale_kinetics_size_and_capacitance():
    si = {
        "reference_ion_radius": 0.076e-9,
        "ion_kinetic_exponent": 3.0,
        "conversion_exchange_current_density": 1e-3,
        "conversion_product_diffusivity": 1e-17,
        "metal_nanoparticle_diameter": 2e-9,
        "space_charge_areal_capacitance_fe": 9.0,
        "anode_thickness": 4e-5,
    }
    k = apply_carrier_ion(si, "K")
    kappa = (0.076 / 0.138) ** 3
    assert k["conversion_exchange_current_density"] == pytest.approx(1e-3 * kappa)
    assert k["conversion_product_diffusivity"] == pytest.approx(1e-17 * kappa)
    assert k["metal_nanoparticle_diameter"] == pytest.approx(2e-9 * kappa ** (-1 / 3))
    assert k["space_charge_areal_capacitance_fe"] == pytest.approx(9.0 * (0.076 / 0.138) ** 2)
    assert k["anode_thickness"] == si["anode_thickness"]
    # the reference ion changes nothing; m = 0 changes kinetics and size by nothing
    assert {kk: v for kk, v in apply_carrier_ion(si, "Li").items() if kk[0] != "_"} == si
    assert ion_factors({**si, "ion_kinetic_exponent": 0.0}, "Na")["kinetic_factor"] == 1.0
    assert IONIC_RADII_M["Na"] == pytest.approx(0.102e-9)  # seed 000 L752


def test_unknown_ion_and_missing_exponent_are_input_errors():
    with pytest.raises(InputError):
        apply_carrier_ion({}, "Mg")
    with pytest.raises(InputError):
        apply_carrier_ion({"conversion_exchange_current_density": 1e-3}, "Na")


def test_fes_li_na_k_ordering_and_calibration():
    """Seed 000 L966-975: Li > Na > K for conversion and space charge; Li space charge and
    the Na/Li space-charge ratio are the calibration targets of fes_space_charge."""
    out = {}
    for ion in ("Li", "Na", "K"):
        s, _, _ = summarize(
            run_cell("hem_half_cell_sp", "fes_space_charge", FIRST_LITHIATION, ion=ion)
        )
        assert s["carrier_ion"] == ion
        assert "alloying" not in s["mechanisms"]  # FeS has no alloying element
        out[ion] = s["capacity_by_mechanism_mAh_per_g"][0]
    assert out["Li"]["space_charge"] == pytest.approx(714.2, rel=0.01)
    assert out["Na"]["space_charge"] / out["Li"]["space_charge"] == pytest.approx(0.228, abs=0.01)
    assert out["Li"]["space_charge"] > out["Na"]["space_charge"] > out["K"]["space_charge"]
    assert out["Li"]["conversion"] >= out["Na"]["conversion"] > out["K"]["conversion"]


@pytest.mark.parametrize("params", ["heo_spinel_lifeznnicomn", "mep_ingesip3"])
def test_new_sets_run_and_conserve_charge(params):
    run = run_cell("hem_half_cell_sp", params, FIRST_LITHIATION)
    s, _, _ = summarize(run)
    assert run.error is None
    assert s["charge_balance_relative_error"] <= 1e-3
    assert s["discharge_capacity_mAh_per_g"][0] > 500


def test_explicit_impossible_mechanism_is_still_an_error():
    with pytest.raises(InputError):
        run_cell("hem_half_cell_sp", "fes_space_charge", FIRST_LITHIATION, mechanisms=["alloying"])
