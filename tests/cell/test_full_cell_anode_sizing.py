"""A full cell's anode is sized on the first-lithiation capacity it stores at equilibrium
above 0 V vs the carrier metal (hemcell.cell.capacity.reachable_capacity; docs/anode.md,
full cells).

For Li every mechanism of the shipped sets lies above 0 V and the sizing is the
theoretical capacity's, bit for bit. For Na and K the rock salt's conversion branches open
below 0 V vs Na/K (their pristine sites at U_lith - 0.2 V + 2.5 sigma, -0.007 V for Co with
Na), so neither conversion nor the space charge on its metal counts, and the anode is
841.66 / 187.81 = 4.48 times heavier: charged to 4.0 V (C/5) it stays at >= 0.50 V vs Na,
where the anode sized on the theoretical 841.66 mAh/g went to -0.54 V.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pybamm
import pytest

from hemcell.cell.capacity import (
    intercalation_stoichiometry_at,
    reachable_capacity,
    theoretical_capacity,
)
from hemcell.cell.mechanisms.base import SPREAD_TRUNCATION, lithiated_fraction_at, site_shift
from hemcell.cell.mechanisms.conversion import first_lithiation_extent
from hemcell.laws import FARADAY_C_PER_MOL

ROCK_SALT = "heo_rocksalt_mgconicuzn"
LI_SETS = (ROCK_SALT, "heo_spinel_lifeznnicomn", "mep_ingesip3", "fes_space_charge")


def _model(recipe: str, params: str, ion: str | None):
    from hemcell.workflows.anode import resolve_model

    rec, si, _, inv = resolve_model(recipe, params, None, None, ion)
    return rec, si, inv


# ----------------------------------------------------------------- the laws at a potential
@pytest.mark.parametrize("potential", [0.15, 0.25, 0.3, 0.35, 0.45])
def test_lithiated_fraction_inverts_the_site_shift(potential):
    """At the returned fraction the next site's shift u(remaining) (site_shift, evaluated
    by PyBaMM) is the potential minus the branch: the branch stops there (to 1e-12 V)."""
    spread, branch = 0.1, 0.3
    reacted = lithiated_fraction_at(spread, branch, potential)
    assert 0 < reacted < 1
    u = site_shift(pybamm.Scalar(spread), pybamm.Scalar(1 - reacted)).evaluate()
    assert float(u) == pytest.approx(potential - branch, abs=1e-12)


def test_lithiated_fraction_limits():
    """Half the pool at the branch potential; none above the highest site (branch +
    s ln((1 + eps)/eps)), all below the lowest; a step without spread."""
    s = 0.1 * math.sqrt(3) / math.pi
    top = s * math.log((1 + SPREAD_TRUNCATION) / SPREAD_TRUNCATION)
    assert lithiated_fraction_at(0.1, 0.3, 0.3) == pytest.approx(0.5, abs=1e-15)
    assert lithiated_fraction_at(0.1, 0.3, 0.3 + top + 1e-9) == 0.0
    assert lithiated_fraction_at(0.1, 0.3, 0.3 - top - 1e-9) == 1.0
    assert lithiated_fraction_at(0.0, 0.3, 0.3) == 1.0
    assert lithiated_fraction_at(0.0, 0.3, 0.30001) == 0.0


def test_intercalation_stoichiometry_at_the_ocp():
    """U(0.5) = U_mid = 1.5 V for the rock salt (slope and ideal terms vanish); at 1.0 V
    the OCP at the root (theta 0.93) is 1.0 V to 1e-9 V; at 0 V the root is closer to 1
    than a double resolves (1 - theta ~ 1e-17: U(1 - 2^-53) = +0.06 V), so 1."""
    from hemcell.cell.parameters import intercalation_ocp_value

    _, si, _ = _model("hem_full_cell_lfp", ROCK_SALT, None)
    assert intercalation_stoichiometry_at(si, 1.5) == pytest.approx(0.5, abs=1e-12)
    th = intercalation_stoichiometry_at(si, 1.0)
    assert intercalation_ocp_value(si["intercalation_ocp_midpoint"], si["intercalation_ocp_slope"],
                                   th, si["ambient_temperature"]) == pytest.approx(1.0, abs=1e-9)
    assert intercalation_stoichiometry_at(si, 0.0) == 1.0


# ----------------------------------------------------------------- the sizing rule
@pytest.mark.parametrize("params", LI_SETS)
def test_li_sets_are_sized_on_their_theoretical_capacity(params):
    """With Li every mechanism of every shipped anode set lies above 0 V: the capacity
    the full cell is sized on is the theoretical one, exactly (the Li full cells are
    unchanged)."""
    rec, si, inv = _model("hem_full_cell_lfp", params, None)
    assert reachable_capacity(si, inv, rec.mechanisms) == theoretical_capacity(
        si, inv, rec.mechanisms)


def test_li_alloying_stages_count_by_their_potentials():
    """Above 0.1 V vs Li the rock salt's Zn stages at 0.2 and 0.12 V (fractions 0.25 +
    0.25) alloy and the one at 0.05 V does not (no stage spread): half of 76.39 mAh/g."""
    rec, si, inv = _model("hem_full_cell_lfp", ROCK_SALT, None)
    full = theoretical_capacity(si, inv, rec.mechanisms)["alloying"]
    assert full == pytest.approx(76.39, abs=1e-9)
    assert reachable_capacity(si, inv, rec.mechanisms, 0.1)["alloying"] == pytest.approx(
        0.5 * full, rel=1e-14)


@pytest.mark.parametrize("recipe,ion", [("hem_full_cell_na_pba", "Na"),
                                        ("hem_full_cell_k_pba", "K")])
def test_na_k_conversion_below_0V_is_excluded(recipe, ion):
    """Rock salt with Na/K: every pristine conversion branch opens below 0 V (U_lith -
    dU_1 + s ln((1 + eps)/eps) < 0, by hand from the set), so conversion and the space
    charge on its metal store nothing above 0 V; intercalation Q_int (1 - theta_0) and the
    film (onset 0.8 V) count in full: 37.8081 + 150 = 187.8081 mAh/g of the theoretical
    841.66 (Na), 836.30 (K)."""
    rec, si, inv = _model(recipe, ROCK_SALT, ion)
    s = si["conversion_branch_potential_spread"] * math.sqrt(3) / math.pi
    top = s * math.log((1 + SPREAD_TRUNCATION) / SPREAD_TRUNCATION)
    for el in inv.conversion:
        onset = (si[f"conversion_lithiation_potential_{el.lower()}"]
                 - si["conversion_first_lithiation_overpotential"] + top)
        assert onset < 0
        assert first_lithiation_extent(si, el, 0.0) == 0.0
    held = reachable_capacity(si, inv, rec.mechanisms)
    hand = {"intercalation": si["intercalation_capacity"]
            * (1 - si["intercalation_initial_stoichiometry"]) / 3600,
            "conversion": 0.0, "space_charge": 0.0,
            "irreversible": si["irreversible_capacity"] / 3600}
    assert held == pytest.approx(hand, rel=1e-14)
    assert sum(held.values()) == pytest.approx(187.8081, abs=1e-9)
    theo = sum(theoretical_capacity(si, inv, rec.mechanisms).values())
    assert theo == pytest.approx({"Na": 841.6631, "K": 836.3047}[ion], abs=1e-3)


def test_na_spread_counts_the_sites_above_0V():
    """The spinel's Fe with Na (U_lith 0.2394 V, dU_1 0.2 V, sigma 0.1 V): the pristine
    branch 0.0394 V is above 0 V, and the logistic spread puts 0.6749 of its sites above
    0 V (by hand: E = exp(-0.0394/s), remaining ((1 + eps)E - eps)/(1 + E) = 0.3251)."""
    _, si, _ = _model("hem_full_cell_na_pba", "heo_spinel_lifeznnicomn", "Na")
    branch = (si["conversion_lithiation_potential_fe"]
              - si["conversion_first_lithiation_overpotential"])
    e = math.exp(-branch / (si["conversion_branch_potential_spread"] * math.sqrt(3) / math.pi))
    hand = 1 - ((1 + SPREAD_TRUNCATION) * e - SPREAD_TRUNCATION) / (1 + e)
    assert first_lithiation_extent(si, "Fe", 0.0) == pytest.approx(hand, rel=1e-14)
    assert hand == pytest.approx(0.6749, abs=1e-4)


@pytest.mark.parametrize("recipe,ion", [("hem_full_cell_lfp", None),
                                        ("hem_full_cell_na_pba", "Na")])
def test_anode_thickness_is_n_p_times_the_cathode_over_the_reachable_capacity(recipe, ion):
    """L_n = N/P q_cath / (Q_reach rho eps_s), q_cath = c_max F eps_p L_p: 8.7247 um for LFP
    (Q_reach = theoretical 929.44 mAh/g, as before), 55.259 um for the Na PBA cell (187.81
    of the theoretical 841.66 mAh/g: 12.331 um before)."""
    from hemcell.cell.full_cell import full_cell_values

    rec, si, inv = _model(recipe, ROCK_SALT, ion)
    pv = full_cell_values(si, inv, rec.cathode, rec.mechanisms, rec.n_p_ratio)
    q_cath = (pv["Maximum concentration in positive electrode [mol.m-3]"] * FARADAY_C_PER_MOL
              * pv["Positive electrode active material volume fraction"]
              * pv["Positive electrode thickness [m]"])
    reach = sum(reachable_capacity(si, inv, rec.mechanisms).values()) * 3600
    hand = rec.n_p_ratio * q_cath / (reach * si["anode_active_material_density"]
                                     * pv["Negative electrode active material volume fraction"])
    L_n = pv["Negative electrode thickness [m]"]
    assert L_n == pytest.approx(hand, rel=1e-14)
    assert L_n * 1e6 == pytest.approx({None: 8.7247, "Na": 55.2593}[ion], abs=1e-4)


# ----------------------------------------------------------------- the charged Na cell
def test_charged_na_full_cell_anode_stays_above_0V(tmp_path):
    """hem_full_cell_na_pba charged at C/5 to 4.0 V (the protocol that drove the anode sized
    on its theoretical capacity to -0.54 V vs Na, where a real cell plates Na): the
    anode's local potential phi_s - phi_e stays above 0 V everywhere (measured minimum
    0.4998 V: the film forms at 0.8 V, the intercalation fills to theta ~ 0.6); the
    summary and run.json record both capacities."""
    from hemcell.workflows.anode import run_cell, write_outputs

    run = run_cell("hem_full_cell_na_pba", ROCK_SALT, "Charge at C/5 until 4.0 V", ion="Na")
    assert run.error is None
    dphi = run.solution["Anode solid potential [V]"].entries \
        - run.solution["Anode electrolyte potential [V]"].entries
    assert np.min(dphi) > 0.0
    summary = write_outputs(run, tmp_path, command="test", plots_on=False)
    sizing = summary["anode_sizing"]
    assert sizing["sized_on_capacity_total_mAh_per_g"] == pytest.approx(187.8081, abs=1e-9)
    assert sizing["theoretical_capacity_total_mAh_per_g"] == pytest.approx(841.6631, abs=1e-3)
    assert sizing["sizing_potential_V"] == 0.0 and sizing["n_p_ratio"] == 1.1
    record = json.loads((tmp_path / "run.json").read_text(encoding="utf-8"))
    assert record["anode_sizing"]["sized_on_capacity_mAh_per_g"]["conversion"] == 0.0


def test_na_full_cell_anode_keeps_its_charge_transfer_arc_at_soc():
    """eis --soc 0.3 of hem_full_cell_na_o3: the anode sized above 0 V vs Na no longer fills
    its intercalation (sized on the theoretical capacity it did, to 0.9994, and solid
    diffusion behind its R_ct took its arc: storage ratio 1.80, R_ct 273.4 Ohm,
    tests/eis/test_storage_arc.py); its storage ratio is below 0.03 as the Li cell's 0.024
    (measured 0.0172), its R_ct 3.11 Ohm (4.48 times the mass and area)."""
    from hemcell.workflows import eis

    s = eis.full_spectrum("hem_full_cell_na_o3", ROCK_SALT, None, np.logspace(-2, 6, 41), 0.3)
    assert s.info["electrode_storage_impedance_ratio"]["anode"] < 0.03
    assert s.info["electrode_charge_transfer_resistance_ohm"]["anode"] < 10
