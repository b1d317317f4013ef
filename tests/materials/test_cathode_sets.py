"""Cathode parameter sets (parameters/cathode_*.yaml): they load, their composition values
are what the cathode inventory derives, and the couple OCP is monotone with the sourced
plateaus."""

from __future__ import annotations

import itertools

import pytest

from hemcell.materials.cathode import cathode_inventory, couple_ocp_table
from hemcell.params import load_parameter_set

SETS = {
    "cathode_he_o3_fecontisnli": "Na(Fe0.2Co0.2Ni0.2Ti0.2Sn0.1Li0.1)O2",
    "cathode_hepba_femnnicuco": "Na1.19(Fe0.2Mn0.2Ni0.2Cu0.2Co0.2)[Fe(CN)6]0.79□0.21·1.16H2O",
    "cathode_he_nvpf": "Na3V1.9Ca0.02Mg0.02Al0.02Cr0.02Mn0.02(PO4)2F3",
}


@pytest.mark.parametrize(("name", "formula"), SETS.items())
def test_set_holds_the_inventory_of_its_formula(name, formula):
    pset = load_parameter_set(name)
    si = pset.si
    inv = cathode_inventory(formula)
    assert pset.kind == "cathode"
    assert si["cathode_molar_mass"] == pytest.approx(inv["molar_mass_g_per_mol"] / 1000,
                                                     rel=1e-6)
    assert si["cathode_couple_electrons"] == pytest.approx(
        [c["electrons_per_formula_unit"] for c in inv["couples"]], abs=1e-6)
    assert si["cathode_couple_potential_low"] == [c["range_V"][0] for c in inv["couples"]]
    assert si["cathode_carrier_sites_max"] == inv["carrier_sites"]["max"]


@pytest.mark.parametrize("name", SETS)
def test_couple_ocp_falls_as_the_carrier_sites_fill(name):
    theta, volts = couple_ocp_table(load_parameter_set(name).si)
    assert all(b > a for a, b in itertools.pairwise(theta))
    assert all(b <= a + 1e-9 for a, b in itertools.pairwise(volts))


def test_nvpf_ocp_has_the_two_vanadium_plateaus():
    """Upper plateau 4.14-4.17 V, lower 3.65-3.70 V (PyBaMM Chayambuka2022; Yan 2019).

    The Ca2+/Mg2+ dopants leave V at +3.02 in the pristine Na3 material, so reducing every
    couple would need x_red = 3.04 Na on 3 sites: the table spans x = 3.04 − 1.9 = 1.14 to
    3 (Δθ x_max = 1.86), the upper plateau 1.14-2.09."""
    si = load_parameter_set("cathode_he_nvpf").si
    theta, volts = couple_ocp_table(si, points=401)
    x_max = si["cathode_carrier_sites_max"]
    assert (theta[-1] - theta[0]) * x_max == pytest.approx(1.86, abs=1e-6)
    upper = [u for t, u in zip(theta, volts, strict=True) if t * x_max < 1.14 + 0.9]
    lower = [u for t, u in zip(theta, volts, strict=True) if t * x_max > 1.14 + 1.0]
    assert all(4.14 - 1e-6 <= u <= 4.17 + 1e-6 for u in upper)
    assert all(3.65 - 1e-6 <= u <= 3.70 + 1e-6 for u in lower)
