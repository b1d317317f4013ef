"""Per-ion (Na, K) values of the FeS anode from the literature rule of
docs/literature-anode-ions.md: each loads with its unit and source, the Na/Li and K/Li
ratios are the sourced ones (no scaling exponent), and the Na conversion responds to the
Na product-shell diffusivity in the direction of the shell-transport limit
j_shell = F D c / (R g(ξ)) (hemcell/cell/mechanisms/conversion.py)."""

from __future__ import annotations

import pytest

from hemcell.cell.carriers import ION_KEYS
from hemcell.cell.parameters import load_si
from hemcell.params.parameter_set import load_parameter_set
from hemcell.workflows.anode import run_cell, summarize

#: Ratio of the solid-state Na diffusivities to Li's: the Na phase boundary in MoS2 moves
#: "1 order smaller than" Li (Gao et al., ACS Nano 2015; docs/literature-anode-ions.md row 1).
NA_OVER_LI_SOLID_DIFFUSION = 0.1
SOLID_DIFFUSIVITIES = ("conversion_product_diffusivity", "intercalation_diffusivity")


@pytest.fixture(scope="module")
def fes():
    return load_parameter_set("fes_space_charge")


def test_per_ion_values_load_with_units_and_sources(fes):
    for key in ION_KEYS:
        if key not in fes:
            continue
        for ion in ("na", "k"):
            p = fes[f"{key}_{ion}"]
            assert p.spec.unit == ION_KEYS[key][0]
            assert p.source_kind in ("ref", "assumed", "derived", "seed")
    for key in SOLID_DIFFUSIVITIES:  # sourced for Na (a reference), bounded for K
        assert fes[f"{key}_na"].source["ref"] == "gao2015_mos2_na"
        assert fes[f"{key}_k"].source_kind == "assumed"
    assert fes["metal_nanoparticle_diameter_na"].source["ref"] == "he2014_fef2_na"
    for ref in ("gao2015_mos2_na", "he2014_fef2_na"):
        assert {"authors", "year", "doi", "url"} <= set(fes.references[ref])


def test_na_k_kinetics_differ_from_li_as_the_sources_say():
    si = {ion: load_si("fes_space_charge", ion=ion)[0] for ion in ("Li", "Na", "K")}
    for key in SOLID_DIFFUSIVITIES:
        assert si["Na"][key] == pytest.approx(NA_OVER_LI_SOLID_DIFFUSION * si["Li"][key])
        assert si["K"][key] == pytest.approx(si["Na"][key])  # rule 6: K at Na's bound
    # no exchange-current ratio was found: Li's value for both ions (assumed)
    for ion in ("Na", "K"):
        assert si[ion]["conversion_exchange_current_density"] == pytest.approx(
            si["Li"]["conversion_exchange_current_density"])
    # FeF2 sodiation: Fe of 1-4 nm, geometric mean 2 nm = the Li size (seed 000 L941)
    assert si["Na"]["metal_nanoparticle_diameter"] == pytest.approx(2e-9)
    assert si["Na"]["metal_nanoparticle_diameter"] >= si["Li"]["metal_nanoparticle_diameter"]


def test_na_conversion_falls_monotonically_with_the_na_shell_diffusivity():
    """Slower transport through the Na₂S shell stops the conversion earlier: the first
    sodiation's conversion capacity rises with D_Na (three runs, a decade apart)."""
    conversion = []
    for d in ("1e-19", "1e-18", "1e-17"):
        s, _, _ = summarize(run_cell(
            "hem_half_cell_sp", "fes_space_charge", "Discharge at 0.1 A/g until 0.01 V",
            ion="Na", overrides=[f"conversion_product_diffusivity_na={d} m**2/s"]))
        conversion.append(s["capacity_by_mechanism_mAh_per_g"][0]["conversion"])
    assert conversion[0] < conversion[1] < conversion[2] <= 609.8 + 0.1
