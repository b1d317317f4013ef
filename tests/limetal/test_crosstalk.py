"""Crosstalk fade of the Li||LFP cell: the LFP active fraction follows the Li lost."""

from __future__ import annotations

import itertools

import pytest

from hemcell.errors import InputError
from hemcell.laws import FARADAY_C_PER_MOL
from hemcell.limetal.crosstalk import lfp_active_fraction, shuttle_charge_Ah
from hemcell.limetal.cycling import cycling_summary, run_cycling
from hemcell.limetal.halfcell import build_half_cell
from hemcell.limetal.parameters import cell_parameters, load_anode_set


def test_active_fraction_is_linear_in_the_lost_li_and_floored_at_zero():
    assert lfp_active_fraction(0.0, 2e-5, 0.04) == 1.0
    assert lfp_active_fraction(1e-4, 2e-5, 0.04) == pytest.approx(1 - 0.04 * 5, rel=1e-12)
    assert lfp_active_fraction(1e-4, 2e-5, 0.0) == 1.0
    assert lfp_active_fraction(1.0, 2e-5, 0.04) == 0.0


@pytest.mark.parametrize("args", [(1e-4, 2e-5, -0.1), (-1e-6, 2e-5, 0.04), (1e-4, 0.0, 0.04)])
def test_active_fraction_rejects_bad_amounts(args):
    with pytest.raises(InputError):
        lfp_active_fraction(*args)


@pytest.fixture(scope="module")
def strong_crosstalk():
    """Coated cell whose crosstalk is 100x the calibrated one: it fades within cycles."""
    pset = load_anode_set("coated", ["lfp_deactivation_per_lost_li=4"])
    return build_half_cell(cell_parameters(pset, "coated"), pset)


def test_cycling_applies_the_active_fraction_of_the_li_lost_so_far(strong_crosstalk):
    cell = strong_crosstalk
    p = cell.params
    rec = run_cycling(cell, 5, c_rate=0.2)
    a = rec.lfp_active_fraction
    assert a[0] == 1.0 and all(y < x for x, y in itertools.pairwise(a))
    assert rec.cathode_wetted_fraction == [1.0] * 5  # the reservoir is untouched
    # a of cycle n is 1 - beta n_lost / n_sites with the Li lost before cycle n, which
    # the layer thickness after cycle n - 1 records (V_Li q_lost / (F (1 - eps_dl)))
    sites = cell.geometry.theoretical_capacity_Ah * 3600.0 / FARADAY_C_PER_MOL  # = lfp_sites_mol
    for n in range(1, 5):
        lost = (rec.layer_thickness_um[n - 1] * 1e-6 * (1 - p.layer_porosity)
                * p.li_electrode_area_m2 / p.li_molar_volume_m3_per_mol)
        assert a[n] == pytest.approx(1 - 4 * lost / sites, rel=1e-9)
    # at 0.2C the active part delivers nearly its full share: Q_n / a_n ~ Q_1
    per_active = [q / f for q, f in zip(rec.discharge_mAh_per_g, a, strict=True)]
    assert max(per_active) / min(per_active) == pytest.approx(1.0, abs=0.02)


def test_no_crosstalk_no_fade_and_the_stop_reason_names_the_mechanism(strong_crosstalk):
    pset = load_anode_set("coated", ["lfp_deactivation_per_lost_li=0"])
    plain = build_half_cell(cell_parameters(pset, "coated"), pset)
    s0 = cycling_summary(run_cycling(plain, 20, stride=5))
    assert s0["capacity_retention"] == pytest.approx(1.0, abs=2e-3)
    # beta = 400 deactivates the LFP within a few cycles: the run stops and says why
    dead = load_anode_set("coated", ["lfp_deactivation_per_lost_li=400"])
    cell = build_half_cell(cell_parameters(dead, "coated"), dead)
    s = cycling_summary(run_cycling(cell, 40, stride=2))
    assert s["dry_out_cycle"] is not None and s["capacity_retention"] == 0.0
    assert s["stop_reason"] == "LFP deactivated by crosstalk"


def test_shuttle_charge_is_sigma_lambda_q_and_rejects_bad_input():
    assert shuttle_charge_Ah(2e-3, 0.03, 0.2) == pytest.approx(0.2 * 0.03 * 2e-3, rel=1e-12)
    assert shuttle_charge_Ah(2e-3, 0.03, 0.0) == 0.0
    for args in [(2e-3, 0.03, -0.1), (-1e-3, 0.03, 0.2), (2e-3, -0.01, 0.2)]:
        with pytest.raises(InputError):
            shuttle_charge_Ah(*args)


def test_shuttle_lowers_the_cell_ce_by_its_charge_only():
    """Same solves with and without the shuttle: capacities and fade agree, the charge grows
    by sigma lambda Q_ch and the CE is Q_dis / (Q_ch + Q_par)."""
    runs = {}
    for sigma in (0.0, 0.5):
        pset = load_anode_set("bare", [f"shuttle_charge_per_lost_li={sigma}"])
        runs[sigma] = run_cycling(build_half_cell(cell_parameters(pset, "bare"), pset), 4)
    plain, shuttle = runs[0.0], runs[0.5]
    assert shuttle.discharge_mAh_per_g == pytest.approx(plain.discharge_mAh_per_g, rel=1e-9)
    assert plain.shuttle_charge_mAh_per_g == [0.0] * 4
    for n in range(4):
        lam = 1 - shuttle.li_ce[n]
        assert shuttle.charge_mAh_per_g[n] == pytest.approx(
            plain.charge_mAh_per_g[n] * (1 + 0.5 * lam), rel=1e-9)
        assert shuttle.cell_ce[n] == pytest.approx(
            shuttle.discharge_mAh_per_g[n] / shuttle.charge_mAh_per_g[n], rel=1e-12)


def test_fit_shuttle_hits_its_target_on_a_quick_run():
    from hemcell.workflows.limetal_fit import fit_shuttle

    r = fit_shuttle(write=False, stride=30)
    sigma = r["shuttle_charge_per_lost_li"]
    pset = load_anode_set("bare", [f"shuttle_charge_per_lost_li={sigma!r}"])
    rec = run_cycling(build_half_cell(cell_parameters(pset, "bare"), pset), 300, stride=30)
    assert cycling_summary(rec)["mean_coulombic_efficiency"] == pytest.approx(
        r["target_mean_ce"], abs=1e-9)
    assert r["mean_ce_without_shuttle"] > r["target_mean_ce"]
