"""Physics checks of the multi-mechanism HEM anode."""

from __future__ import annotations

import numpy as np
import pytest

from hemcell.workflows.anode import run_cell, summarize

PARAMS = "heo_rocksalt_mgconicuzn"
CYCLE = "Discharge at 0.1 A/g until 0.01 V; Rest for 10 minutes; Charge at 0.1 A/g until 3 V"


@pytest.fixture(scope="module")
def p2d_cycle():
    """One full cycle of the four-mechanism P2D half-cell."""
    run = run_cell("hem_half_cell_p2d", PARAMS, CYCLE)
    return run, *summarize(run)


def test_p2d_cycle_runs_and_conserves_charge(p2d_cycle):
    run, summary, _, _ = p2d_cycle
    assert run.error is None
    assert summary["charge_balance_relative_error"] <= 1e-3
    assert summary["n_cycles"] == 1
    by = summary["capacity_by_mechanism_mAh_per_g"][0]
    # the mechanism split adds up to the capacity passed
    assert sum(by.values()) == pytest.approx(summary["discharge_capacity_mAh_per_g"][0], rel=1e-3)
    for m in ("intercalation", "conversion", "alloying", "space_charge", "irreversible"):
        assert by[m] > 0, m


def test_first_cycle_efficiency_and_irreversible_loss(p2d_cycle):
    _, summary, _, _ = p2d_cycle
    ce = summary["coulombic_efficiency"][0]
    assert 0.3 < ce < 0.9
    # the SEI loss is irreversible: nothing comes back on delithiation
    # (up to round-off of the consumed fraction s = 1: 10⁻¹³ mAh/g of 150)
    assert summary["capacity_by_mechanism_delithiation_mAh_per_g"][0]["irreversible"] == (
        pytest.approx(0, abs=1e-9))
    # space charge is reversible
    sc_l = summary["capacity_by_mechanism_mAh_per_g"][0]["space_charge"]
    sc_d = summary["capacity_by_mechanism_delithiation_mAh_per_g"][0]["space_charge"]
    assert sc_d == pytest.approx(sc_l, rel=0.05)


def test_magnetisation_follows_seed_eqn5(p2d_cycle):
    run, summary, _steps, _ = p2d_cycle
    # Delta M = 3.6 Q_s P mu_B / e: with P_Co, P_Ni from the set and Q_s <= Q_sc
    p_max = max(run.si["spin_polarization_co"], run.si["spin_polarization_ni"])
    q_sc = summary["capacity_by_mechanism_mAh_per_g"][0]["space_charge"]
    dm = summary["magnetization_change_emu_per_g"][0]
    assert 0 < dm <= 3.6 * q_sc * p_max * 9.2740100783e-21 / 1.602176634e-19 * 1.001
    assert summary["max_electrode_volumetric_strain"][0] > 0


def test_low_rate_capacity_equals_theoretical():
    """At 0.005 A/g every active mechanism fills: capacity = Σ theoretical (SP)."""
    run = run_cell("hem_half_cell_sp", PARAMS, "Discharge at 0.005 A/g until 0.01 V")
    summary, _, _ = summarize(run)
    theo = summary["theoretical_capacity_mAh_per_g"]
    got = summary["capacity_by_mechanism_mAh_per_g"][0]
    assert summary["discharge_capacity_mAh_per_g"][0] == pytest.approx(
        summary["theoretical_capacity_total_mAh_per_g"], rel=2e-3
    )
    for m in ("intercalation", "conversion", "alloying", "irreversible"):
        assert got[m] == pytest.approx(theo[m], rel=2e-3), m
    # space charge: the window edge is smoothed over 30 mV, so within 3 %
    assert got["space_charge"] == pytest.approx(theo["space_charge"], rel=0.03)


def test_low_rate_capacity_with_a_subset():
    run = run_cell(
        "hem_half_cell_sp",
        PARAMS,
        "Discharge at 0.005 A/g until 0.01 V",
        mechanisms=["conversion", "alloying"],
    )
    summary, _, _ = summarize(run)
    assert summary["discharge_capacity_mAh_per_g"][0] == pytest.approx(
        summary["theoretical_capacity_total_mAh_per_g"], rel=2e-3
    )
    assert set(summary["capacity_by_mechanism_mAh_per_g"][0]) == {
        "conversion",
        "alloying",
        "double_layer",
    }


def _second_lithiation_share(rate: float) -> float:
    prot = (
        "Discharge at 0.05 A/g until 0.01 V; Charge at 0.05 A/g until 3 V; "
        f"Discharge at {rate} A/g until 0.01 V"
    )
    summary, _, _ = summarize(run_cell("hem_half_cell_sp", PARAMS, prot))
    by = summary["capacity_by_mechanism_mAh_per_g"][1]
    return by["space_charge"] / summary["discharge_capacity_mAh_per_g"][1]


def test_space_charge_share_grows_with_rate():
    shares = [_second_lithiation_share(r) for r in (0.05, 0.5, 2.0)]
    assert shares[0] < shares[1] < shares[2]


def _conversion_hysteresis(rate: float) -> float:
    """Voltage gap between the delithiation and lithiation branches at mid conversion."""
    prot = f"Discharge at {rate} A/g until 0.3 V; Charge at {rate} A/g until 3 V"
    run = run_cell("hem_half_cell_sp", PARAMS, prot, mechanisms=["intercalation", "conversion"])
    _, steps, _ = summarize(run)
    lith = next(s for s in steps if s.kind == "lithiation").data
    deli = next(s for s in steps if s.kind == "delithiation").data
    q_l = lith["conversion_capacity_mAh_per_g"]
    q_d = deli["conversion_capacity_mAh_per_g"]
    mid_l = q_l[0] + 0.5 * (q_l[-1] - q_l[0])
    mid_d = q_d[0] - 0.5 * (q_d[0] - q_d[-1])
    v_l = np.interp(mid_l, q_l, lith["voltage_V"])
    v_d = np.interp(mid_d, q_d[::-1], deli["voltage_V"][::-1])
    return float(v_d - v_l)


def test_conversion_hysteresis_persists_at_tenfold_lower_rate():
    h_fast = _conversion_hysteresis(0.1)
    h_slow = _conversion_hysteresis(0.01)
    assert h_slow > 0.8  # the branch potentials are >= 0.8 V apart
    assert h_slow > 0.75 * h_fast


def test_single_particle_agrees_with_p2d_at_low_rate():
    prot = "Discharge at 0.02 A/g until 0.01 V"
    out = {}
    for rec in ("hem_half_cell_sp", "hem_half_cell_p2d"):
        summary, steps, _ = summarize(run_cell(rec, PARAMS, prot))
        d = steps[0].data
        out[rec] = (d["capacity_mAh_per_g"], d["voltage_V"], summary)
    q_sp, v_sp, s_sp = out["hem_half_cell_sp"]
    q_p2, v_p2, s_p2 = out["hem_half_cell_p2d"]
    assert s_sp["discharge_capacity_mAh_per_g"][0] == pytest.approx(
        s_p2["discharge_capacity_mAh_per_g"][0], rel=5e-3
    )
    grid = np.linspace(0.05, 0.9, 200) * min(q_sp[-1], q_p2[-1])
    dv = np.interp(grid, q_sp, v_sp) - np.interp(grid, q_p2, v_p2)
    assert np.median(np.abs(dv)) < 0.01  # V
