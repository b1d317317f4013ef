"""Growth of the reversible gel film over cycles by electrochemical milling
(hemcell.cell.mechanisms.gel_sei, s_N; carried across the jumps of `cell cycle-life`)."""

from __future__ import annotations

import pytest

from hemcell.cell.active_material_loss import StrainLAMLaw, integrate_damage
from hemcell.cell.mechanisms.gel_sei import advance_milled_area_ratio, milled_area_ratio
from hemcell.cell.parameters import load_si
from hemcell.workflows import anode_cycle_life
from hemcell.workflows.anode_cycle_life import run_cycle_life

SPINEL = "heo_spinel_lifeznnicomn"
ROCKSALT = "heo_rocksalt_mgconicuzn"
CYCLE = "Discharge at 0.2 A/g until 0.01 V; Rest for 10 minutes; Charge at 0.2 A/g until 3 V"
N_LAST = 40


def test_milling_constants_reproduce_the_nio_capacity_rise():
    """The set's s_∞ and N_m give the NiO film capacity 382 → 782 mAh/g from cycle 2 to 30
    (1100 and 1500 mAh/g less 718 Faraday; Caballero et al. 2013), i.e. s = 2.047 after
    28 cycles; s_∞ = 3 nm / 1 nm (Poizot et al. 2001)."""
    si = load_si(SPINEL)[0]
    s_inf, n_m = si["gel_sei_milled_area_ratio_limit"], si["gel_sei_milling_cycle_constant"]
    assert s_inf == pytest.approx(3.0 / 1.0)
    assert milled_area_ratio(29, s_inf, n_m) == pytest.approx((1500 - 718) / (1100 - 718),
                                                              rel=1e-3)
    assert milled_area_ratio(1, s_inf, n_m) == 1.0
    assert milled_area_ratio(1e6, s_inf, n_m) == pytest.approx(s_inf, rel=1e-12)


@pytest.mark.parametrize("tol", [0.3, 0.05, 0.011])
def test_jumped_growth_equals_the_closed_form_for_any_jumps(tol):
    """s advanced jump by jump (on_jump of the cycle integrator) equals
    s_∞ − (s_∞ − 1) exp(−(N − 1)/N_m) at every evaluated N, whatever the jumps."""
    s_inf, n_m = 3.0, 37.77
    state = {"s": 1.0}

    def jump(dn: int) -> None:
        state["s"] = advance_milled_area_ratio(state["s"], dn, s_inf, n_m)

    # Δε_v = 0.5: dφ/dN = −0.008, jumps of 38, 7 and 2 cycles; φ(100) = 0.21
    steps = integrate_damage(lambda phi: {"strain_amplitude": 0.5, "s": state["s"]},
                             100, StrainLAMLaw(0.032, 2.0), tol, on_jump=jump)
    assert len(steps) > 2
    for n, _, r in steps:
        assert r["s"] == pytest.approx(milled_area_ratio(n, s_inf, n_m), rel=1e-12)
    # ds/dN = (s_∞ − s)/N_m by a centred difference of the closed form
    n, h = 50.0, 1e-3
    ds = (milled_area_ratio(n + h, s_inf, n_m) - milled_area_ratio(n - h, s_inf, n_m)) / (2 * h)
    assert ds == pytest.approx((s_inf - milled_area_ratio(n, s_inf, n_m)) / n_m, rel=1e-6)


def _capture(monkeypatch) -> list[dict[str, float]]:
    """Record every full-model evaluation of a cycle-life run (its kept, second cycle)."""
    seen: list[dict[str, float]] = []
    evaluate = anode_cycle_life._evaluate_cycle

    def wrapped(*args, **kwargs):
        r = evaluate(*args, **kwargs)
        seen.append(r[1])
        return r

    monkeypatch.setattr(anode_cycle_life, "_evaluate_cycle", wrapped)
    return seen


@pytest.fixture(scope="module")
def spinel_life():
    """Spinel, cycles 1-2 and cycle 40 (one jump: no LAM), full model (SP)."""
    mp = pytest.MonkeyPatch()
    seen = _capture(mp)
    try:
        res = run_cycle_life("hem_half_cell_sp", SPINEL, CYCLE, N_LAST,
                             overrides=["fatigue_paris_coefficient=0 m"])
    finally:
        mp.undo()
    assert res.error is None
    return res, seen


def test_solver_film_capacity_follows_the_growth_law(spinel_life):
    """The full model's film capacity at cycle 40 is s_N times cycle 2's (same φ, same
    current, same conversion extent: only Γ_g s_N changes). The milling law counts N
    from the first cycle after formation (N = 1 at cycle 2, the cycle Γ_g describes):
    cycle 40 is N = 39."""
    res, _ = spinel_life
    si = res.si
    s40 = milled_area_ratio(N_LAST - 1, si["gel_sei_milled_area_ratio_limit"],
                            si["gel_sei_milling_cycle_constant"])
    assert res.cycles == [1, 2, N_LAST]
    assert res.film_area_ratio == pytest.approx([1.0, 1.0, s40], rel=1e-12)
    _, q2, q40 = res.film_capacity_mAh_per_g
    assert q2 > 150  # the spinel's film (~204 mAh/g at cycle 2)
    assert q40 / q2 == pytest.approx(s40, rel=1e-3)
    # the rest of the capacity does not change
    _, c2, c40 = res.charge_capacity_mAh_per_g
    assert c40 - q40 == pytest.approx(c2 - q2, rel=1e-3)


def test_charge_conserved_and_film_reversible_in_every_evaluated_cycle(spinel_life):
    """∫I dt equals the stored charges in each evaluation, at the grown film as at the
    first. Formation and decomposition are first order in (q_max − q_g) and q_g, so the
    film's history scales with q_max ∝ s_N: the film's charge/discharge ratio of the kept
    cycle (above 1 by what the formation cycle left undecomposed at 3 V, 0.3–0.4 %) is the
    same at cycle 2 and 40 up to the small shift of the conversion by the film's share of
    the current (measured 8e-4)."""
    _, seen = spinel_life
    assert len(seen) == 2
    for r in seen:
        assert r["charge_balance_relative_error"] < 1e-6
    ratio = [r["film_capacity"] / r["film_discharge_capacity"] for r in seen]
    assert all(1 <= x < 1.01 for x in ratio)
    assert ratio[1] == pytest.approx(ratio[0], rel=2e-3)


def _fake_cycles(monkeypatch) -> list[list[str]]:
    """Replace the full-model evaluation by a stub that records its overrides."""
    calls: list[list[str]] = []

    def fake(recipe, params, protocol, overrides, ion, eps0, phi, models=None,
             probe_sets=None):
        calls.append(list(overrides))
        cycle = {"charge_capacity": 500.0 * phi, "discharge_capacity": 500.0 * phi,
                 "coulombic_efficiency": 1.0, "strain_amplitude": 0.08, "film_capacity": 0.0}
        return cycle, cycle

    monkeypatch.setattr(anode_cycle_life, "_evaluate_cycle", fake)
    return calls


def test_no_film_no_growth(monkeypatch):
    """Rock salt (Γ_g = 0, no milling constants in its set): no cycle runs with a grown
    film, the milled ratio stays 1 and the set needs no growth constants. (That Γ_g = 0
    stores nothing in the full model: tests/cell/test_gel_sei.py.)"""
    si = load_si(ROCKSALT)[0]
    assert si["gel_sei_areal_capacity"] == 0
    assert "gel_sei_milling_cycle_constant" not in si
    calls = _fake_cycles(monkeypatch)
    res = run_cycle_life("hem_half_cell_sp", ROCKSALT, CYCLE, 300, tol=0.0005)
    assert res.error is None and len(res.cycles) > 2
    assert res.film_area_ratio == [1.0] * len(res.cycles)
    assert not any(o.startswith("gel_sei") for c in calls for o in c)


def test_grown_areal_capacity_passed_to_each_evaluation(monkeypatch):
    """Spinel: each evaluation runs with Γ_g s_N (the set's 7.79 C/m² at N = 1, cycle 2;
    the first evaluation also gives the formation cycle 1)."""
    si = load_si(SPINEL)[0]
    calls = _fake_cycles(monkeypatch)
    res = run_cycle_life("hem_half_cell_sp", SPINEL, CYCLE, 300, tol=0.0005)
    assert len(res.cycles) > 3 and res.cycles[:2] == [1, 2]
    for n, c in zip([c - 1 for c in res.cycles[1:]], calls, strict=True):
        grown = [o for o in c if o.startswith("gel_sei_areal_capacity=")]
        value = float(grown[-1].split("=")[1].split()[0])
        s_n = milled_area_ratio(n, si["gel_sei_milled_area_ratio_limit"],
                                si["gel_sei_milling_cycle_constant"])
        assert value == pytest.approx(7.79 * s_n, rel=1e-10)
