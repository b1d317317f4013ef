"""The reversible gel-like film (hemcell.cell.mechanisms.gel_sei): charge conservation,
onset potentials, reversibility over a cycle, heat sign, and nothing when switched off."""

from __future__ import annotations

import numpy as np
import pytest

from hemcell.cell.mechanisms.gel_sei import film_capacity_C_per_kg
from hemcell.cell.parameters import load_si
from hemcell.workflows.anode import run_cell, summarize

SPINEL = "heo_spinel_lifeznnicomn"
CYCLE = "Discharge at 0.2 A/g until 0.01 V; Rest for 10 minutes; Charge at 0.2 A/g until 3 V"
MECHS = ["conversion", "gel_sei"]


@pytest.fixture(scope="module")
def spinel_cycle():
    """One cycle of the spinel with conversion and the film only (SP)."""
    run = run_cell("hem_half_cell_sp", SPINEL, CYCLE, mechanisms=MECHS)
    assert run.error is None
    return run, *summarize(run)


def test_film_capacity_is_areal_capacity_times_converted_metal_surface():
    """Γ_g · 6 Σ_k n_k V_m,k / d by hand for Fe, Co, Ni of the spinel (187.545 mAh/g each,
    3 e⁻ per atom; V_m 7.0923, 6.62, 6.59 cm³/mol; d = 3 nm; Γ_g = 7.79 C/m²)."""
    si = load_si(SPINEL)[0]
    F = 96485.33212
    n_each = 187.545 * 3.6 / F / 3  # mol metal per g
    area_m2_per_g = 6 * n_each * (7.0923 + 6.62 + 6.59) * 1e-6 / 3e-9
    want_mAh_per_g = 7.79 * area_m2_per_g / 3.6
    got = film_capacity_C_per_kg(si, ("Fe", "Co", "Ni")) / 3600
    assert got == pytest.approx(want_mAh_per_g, rel=1e-4)
    assert area_m2_per_g == pytest.approx(94.71, rel=1e-3)


def test_film_charge_conserved_and_fully_formed_on_discharge(spinel_cycle):
    """∫I dt equals the stored charges; the film reaches Γ_g·A_g at full conversion."""
    run, summary, _, _ = spinel_cycle
    assert summary["charge_balance_relative_error"] < 1e-6
    sol = run.solution
    t = sol["Time [s]"].entries
    i_g = sol["Anode gel-sei current [A]"].entries  # < 0 while the film forms
    q_g = sol["Anode gel-sei charge [A.h]"].entries
    passed = -np.concatenate([[0], np.cumsum(np.diff(t) * 0.5 * (i_g[1:] + i_g[:-1]))]) / 3600
    assert np.max(np.abs(q_g - passed)) < 5e-3 * np.max(q_g)
    # end of the first discharge: the film fills the interface conversion has made
    end = int(np.argmin(sol["Voltage [V]"].entries))
    q_film = sol["Anode gel-SEI film charge density [C.m-3]"].entries.ravel()[end]
    q_max = sol["Anode gel-SEI capacity density [C.m-3]"].entries.ravel()[end]
    assert q_film == pytest.approx(q_max, rel=1e-3)
    xi = sol["Anode mean conversion extent"].entries.ravel()[end]
    theo = summary["theoretical_capacity_mAh_per_g"]["gel_sei"]
    assert summary["capacity_by_mechanism_mAh_per_g"][0]["gel_sei"] == pytest.approx(
        theo * xi, rel=1e-3)


def test_film_reversible_over_a_cycle(spinel_cycle):
    """Everything formed on discharge comes back on the charge to 3 V."""
    _, summary, steps, _ = spinel_cycle
    deli = [s for s in steps if s.kind == "delithiation"][-1].data
    formed = summary["capacity_by_mechanism_mAh_per_g"][0]["gel_sei"]
    assert deli["gel_sei_capacity_mAh_per_g"][-1] < 1e-3 * formed
    assert summary["capacity_by_mechanism_delithiation_mAh_per_g"][0]["gel_sei"] == (
        pytest.approx(formed, rel=1e-3))


def test_film_runs_only_beyond_its_onsets_and_heats(spinel_cycle):
    """No film current between U_form = 0.8 V and U_dec = 2.0 V (frozen, two-branch
    hysteresis); formation only below U_form, decomposition only above U_dec; its heat
    a j (Δφ − U_eq) is never negative."""
    run, *_ = spinel_cycle
    sol = run.solution
    dphi = sol["Anode mean surface potential difference [V]"].entries
    i_g = sol["Anode gel-sei current [A]"].entries
    q_dot = sol["Anode gel-SEI film charge density [C.m-3]"].entries
    heat = sol["Anode gel-sei irreversible heating [W.m-3]"].entries
    scale = np.max(np.abs(i_g))
    assert scale > 0
    between = (dphi > 0.8 + 0.05) & (dphi < 2.0 - 0.05)
    assert np.max(np.abs(i_g[between])) < 1e-6 * scale
    assert np.all(i_g[dphi > 0.8 + 0.05] >= -1e-6 * scale)  # no formation above U_form
    assert np.all(i_g[dphi < 2.0 - 0.05] <= 1e-6 * scale)  # no decomposition below U_dec
    assert np.min(heat) >= -1e-9 * np.max(np.abs(heat))
    assert np.max(q_dot) > 0


def test_no_film_without_areal_capacity():
    """Γ_g = 0 (the rock-salt set): the film stores nothing and the run equals one
    without the mechanism."""
    prot = "Discharge at 0.5 A/g until 0.01 V; Charge at 0.5 A/g until 3 V"
    on = summarize(run_cell("hem_half_cell_sp", "heo_rocksalt_mgconicuzn", prot,
                            mechanisms=["conversion", "gel_sei"]))[0]
    off = summarize(run_cell("hem_half_cell_sp", "heo_rocksalt_mgconicuzn", prot,
                             mechanisms=["conversion"]))[0]
    assert on["capacity_by_mechanism_mAh_per_g"][0]["gel_sei"] == pytest.approx(0, abs=1e-9)
    assert on["theoretical_capacity_mAh_per_g"]["gel_sei"] == 0
    assert on["charge_capacity_mAh_per_g"][0] == pytest.approx(
        off["charge_capacity_mAh_per_g"][0], rel=1e-6)
