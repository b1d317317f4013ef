"""Li||Li symmetric cells, Li||Cu and nucleation: analytic limits and calibration consistency."""

from __future__ import annotations

import dataclasses
import math

import pytest

from hemcell.errors import InputError
from hemcell.laws import FARADAY_C_PER_MOL, butler_volmer_overpotential_V
from hemcell.limetal.licu import first_plating, run_licu
from hemcell.limetal.losses import layer_diffusion_resistance_s_per_m
from hemcell.limetal.nucleation import (
    contact_angle_from_shape_factor,
    nucleation_barrier_V2,
    shape_factor_from_contact_angle,
    simulate_nucleation,
)
from hemcell.limetal.parameters import cell_parameters, load_anode_set
from hemcell.limetal.symmetric import (
    concentration_overpotential_V,
    run_symmetric,
    salt_difference_mol_per_m3,
    separator_diffusion_resistance_s_per_m,
)

MA_CM2 = 10.0  # A/m2
MAH_CM2 = 36000.0  # C/m2


@pytest.fixture(scope="module")
def params():
    return {a: cell_parameters(load_anode_set(a), a) for a in ("bare", "coated")}


def test_first_cycle_is_the_sum_of_the_series_terms(params):
    p = params["coated"]
    i = 1 * MA_CM2
    r = run_symmetric(p, i, 1 * MAH_CM2, hours=2.0)
    eta = butler_volmer_overpotential_V(i, p.exchange_current_A_per_m2, p.temperature_K)
    t = r.initial_terms_V
    assert t["charge_transfer_V"] == pytest.approx(2 * eta, rel=1e-12)
    assert t["coating_film_V"] == pytest.approx(2 * i * 28e-9 / 1e-3, rel=1e-9)
    assert t["separator_V"] == pytest.approx(
        i * 25e-6 / (p.electrolyte_conductivity_S_per_m * 0.45 ** 1.5), rel=1e-9)
    # cycle 1 already carries one plating's layer, so it sits just above the fresh sum
    fresh = sum(t.values())
    assert fresh < r.overpotential_V[0] < fresh * 1.05


@pytest.mark.parametrize("anode, measured_ohm", [("bare", 64.0), ("coated", 44.0)])
def test_small_current_interface_resistance_is_the_measured_one(tmp_path, params, anode,
                                                                measured_ohm):
    """The i0 comes from the measured Li||Li resistance (seed 004 L86), which already holds
    the real surface's current focusing: at 0.1 uA/cm2 (i/2i0 <= 1.2e-4, Butler-Volmer
    linear to 3e-9) the model's interface terms, 2 eta_ct + 2 i h/kappa_c, over the cell
    current give back 64 / 44 Ohm, through ``hemcell limetal symmetric``; a focusing factor
    changes only the Li loss, not that resistance."""
    from hemcell.workflows import limetal
    from hemcell.workflows.coupling import with_focusing

    i = 1e-3  # A/m**2
    s = limetal.symmetric([anode], i, 3.6, 2.0, tmp_path)
    terms = s["initial_overpotential_terms_mV"]
    area = params[anode].li_electrode_area_m2
    r_cell = 1e-3 * (terms["charge_transfer"] + terms["coating_film"]) / (i * area)
    assert r_cell == pytest.approx(measured_ohm, rel=1e-6)
    p = params[anode]
    focused = with_focusing(p, 3.0)
    plain, hot = run_symmetric(p, i, 3.6, 2.0), run_symmetric(focused, i, 3.6, 2.0)
    assert hot.initial_terms_V == plain.initial_terms_V
    assert hot.loss_fraction > plain.loss_fraction


def test_licu_counter_electrode_and_nucleation_use_the_mean_current(params):
    """Li||Cu first plating: the Li counter electrode is cell-averaged (no focusing) and
    the nucleation on Cu runs at the mean current, so the focusing factor changes neither."""
    from hemcell.workflows.coupling import with_focusing

    p = params["bare"]
    i, q = 1 * MA_CM2, 0.02 * MAH_CM2
    res, series = first_plating(p, i, q)
    res_f, series_f = first_plating(with_focusing(p, 3.0), i, q)
    assert series_f == series
    assert res_f.tip_V == res.tip_V and res_f.plateau_V == res.plateau_V
    eta_li = butler_volmer_overpotential_V(i, p.exchange_current_A_per_m2, p.temperature_K)
    assert series == pytest.approx(eta_li + i / p.separator_conductance_S_per_m2
                                   + concentration_overpotential_V(p, i), rel=1e-12)


def test_concentration_overpotential_linear_limit_and_depletion(params):
    p = params["bare"]
    i = 1e-3
    # small current: eta_c -> 2(1-t+) RT/F * dc/c0
    dc = salt_difference_mol_per_m3(p, i, separator_diffusion_resistance_s_per_m(p))
    rt_f = 8.314462618 * p.temperature_K / FARADAY_C_PER_MOL
    assert concentration_overpotential_V(p, i) == pytest.approx(
        2 * (1 - p.cation_transference_number) * rt_f * dc / p.electrolyte_concentration_mol_per_m3,
        rel=1e-6)
    i_lim = 2 * p.electrolyte_concentration_mol_per_m3 * FARADAY_C_PER_MOL / (
        (1 - p.cation_transference_number) * separator_diffusion_resistance_s_per_m(p))
    assert math.isinf(concentration_overpotential_V(p, 1.0001 * i_lim))
    with pytest.raises(InputError):
        run_symmetric(p, 1.01 * i_lim, MAH_CM2, 10.0)
    with pytest.raises(InputError):
        run_symmetric(p, -1.0, MAH_CM2, 10.0)


def test_failure_is_salt_depletion_and_matches_the_calibration(params):
    """fit-losses solved b_dl in closed form for 570 h; the simulation must fail there."""
    p = params["bare"]
    r = run_symmetric(p, 1 * MA_CM2, 1 * MAH_CM2, hours=4000)
    assert r.time_to_failure_h == pytest.approx(570.0, abs=r.cycle_time_s / 3600)
    # at the failure cycle the layers make the salt difference reach 2 c0
    lost = r.failure_cycle * r.loss_fraction * MAH_CM2
    d = layer_diffusion_resistance_s_per_m(lost, p.li_molar_volume_m3_per_mol, p.layer_porosity,
                                           p.layer_bruggeman, p.electrolyte_diffusivity_m2_per_s)
    dc = salt_difference_mol_per_m3(p, 1 * MA_CM2,
                                    separator_diffusion_resistance_s_per_m(p) + 2 * d)
    assert dc >= 2 * p.electrolyte_concentration_mol_per_m3
    assert all(b > a for a, b in zip(r.overpotential_V, r.overpotential_V[1:], strict=False))
    assert r.failure_reason == "salt depletion at the plating surface"


def test_thin_foil_fails_when_its_li_is_used_up(params):
    """Each electrode loses lambda q per cycle: after n - 1 cycles it holds
    Q_f - (n-1) lambda q, and the electrode stripping first in cycle n runs out in the
    first cycle where that is < q, after stripping what it holds: at
    t = (n-1) 2q/i + (Q_f - (n-1) lambda q)/i (the compact coated layer stays far from salt
    depletion that early). The failure was timed at the end of cycle n before, with the
    loss of cycle n counted before its first half-cycle."""
    p = dataclasses.replace(params["coated"], li_foil_thickness_m=10e-6)
    q, i = 1 * MAH_CM2, 1 * MA_CM2
    r = run_symmetric(p, i, q, hours=4000)
    foil = 10e-6 / p.li_molar_volume_m3_per_mol * FARADAY_C_PER_MOL
    n = math.floor((foil - q) / (r.loss_fraction * q)) + 2
    assert r.failure_cycle == n and r.failure_reason == "Li inventory exhausted"
    left = foil - (n - 1) * r.loss_fraction * q
    assert 0 < left < q
    assert r.time_to_failure_h * 3600 == pytest.approx((n - 1) * 2 * q / i + left / i,
                                                       rel=1e-12)


def test_foil_thinner_than_one_half_cycle_runs_out_within_it(params):
    """A 1 um Li foil holds Q_f = L F / V_Li = 1e-6 m * 96485 C/mol / 1.3e-5 m**3/mol
    = 7422 C/m**2 (0.206 mAh/cm2): at 1 mA/cm2 with 1 mAh/cm2 per half-cycle it is
    stripped bare after Q_f / i = 0.206 h, in cycle 1 (it failed at 2 h, the cycle's end)."""
    p = dataclasses.replace(params["bare"], li_foil_thickness_m=1e-6)
    r = run_symmetric(p, 1 * MA_CM2, 1 * MAH_CM2, hours=10)
    q_foil = 1e-6 / p.li_molar_volume_m3_per_mol * FARADAY_C_PER_MOL
    assert p.li_molar_volume_m3_per_mol == pytest.approx(1.3e-5, rel=1e-3)
    assert (r.failure_cycle, r.failure_reason) == (1, "Li inventory exhausted")
    assert r.time_to_failure_h == pytest.approx(q_foil / (1 * MA_CM2) / 3600, rel=1e-12)
    assert r.time_to_failure_h == pytest.approx(0.2061, abs=1e-3)


def test_lower_loss_lives_longer(params):
    p = params["bare"]
    base = run_symmetric(p, 1 * MA_CM2, MAH_CM2, 4000).time_to_failure_h
    half = dataclasses.replace(p, loss_coefficient_per_V=p.loss_coefficient_per_V / 2)
    longer = run_symmetric(half, 1 * MA_CM2, MAH_CM2, 4000).time_to_failure_h
    assert longer == pytest.approx(2 * base, rel=0.02)


def test_nucleation_barrier_and_contact_angle():
    # B = 16 pi gamma^3 Omega^2 phi / (3 e^2 k T)
    omega = 1.3e-5 / 6.02214076e23
    b = 16 * math.pi * 0.5 ** 3 * omega ** 2 * 0.1 / (3 * (1.602176634e-19) ** 2
                                                      * 1.380649e-23 * 298.15)
    assert nucleation_barrier_V2(0.5, 1.3e-5, 0.1, 298.15) == pytest.approx(b, rel=1e-12)
    assert shape_factor_from_contact_angle(math.pi) == pytest.approx(1.0)
    assert shape_factor_from_contact_angle(math.pi / 2) == pytest.approx(0.5)
    for phi in (0.02, 0.13, 0.7):
        assert shape_factor_from_contact_angle(contact_angle_from_shape_factor(phi)) == \
            pytest.approx(phi, rel=1e-9)


def test_nucleation_tip_plateau_and_monotonic_barrier():
    args = dict(current_density_A_per_m2=10.0, exchange_current_A_per_m2=4.2,
                temperature_K=298.15, surface_energy_J_per_m2=0.5,
                molar_volume_m3_per_mol=1.3e-5, rate_prefactor_per_m2_s=1e25,
                double_layer_F_per_m2=0.2, duration_s=600.0)
    low = simulate_nucleation(shape_factor=0.03, **args)
    high = simulate_nucleation(shape_factor=0.15, **args)
    assert high.nucleation_overpotential_V > low.nucleation_overpotential_V > 0
    # once the surface is covered the plateau is Butler-Volmer at the applied current
    plateau = butler_volmer_overpotential_V(10.0, 4.2, 298.15)
    assert low.plateau_V == pytest.approx(plateau, rel=1e-3)
    assert low.coverage[-1] == pytest.approx(1.0, abs=1e-6)


def test_calibrated_nucleation_overpotentials(params):
    for anode, target_mV in (("coated", 80.3), ("bare", 237.8)):
        p = params[anode]
        r, series = first_plating(p, 1 * MA_CM2, 1 * MAH_CM2)
        assert r.nucleation_overpotential_V * 1e3 == pytest.approx(target_mV, abs=0.5)
        assert series > 0


def test_licu_efficiency_is_one_minus_loss(params):
    p = params["coated"]
    r = run_licu(p, 2 * MA_CM2, MAH_CM2, 20)
    assert len(r.coulombic_efficiency) == 20
    sym = run_symmetric(p, 2 * MA_CM2, MAH_CM2, 40.0)
    assert r.coulombic_efficiency[0] == pytest.approx(1 - sym.loss_fraction, rel=1e-12)
    assert r.aurbach_coulombic_efficiency == pytest.approx(0.987, abs=1e-6)  # calibrated


def test_licu_foil_runs_out_within_the_cycle_as_li_li(params):
    """Li‖Cu plates q from the Li foil onto Cu each cycle and plates the (1-λ)q stripped
    from the Cu back onto the foil, which loses λ(1-λ)q of it: after n-1 cycles the foil
    holds Q_f - (n-1)λ(2-λ)q (it counted (n-1)λq, one Li‖Li electrode, before) and runs
    out in the cycle where that is < q, at t = (n-1) 2q/i + (Q_f - (n-1)λ(2-λ)q)/i (the
    Li‖Li rule, one helper), not at the end of that cycle. 1 um foil:
    Q_f = 7422 C/m2 < q = 1 mAh/cm2 = 36000 C/m2, so cycle 1 at Q_f/i = 0.2061 h
    (2 mA/cm2: 0.1031 h)."""
    from hemcell.limetal.licu import licu_summary
    from hemcell.limetal.symmetric import inventory_runout_s

    i, q = 2 * MA_CM2, 1 * MAH_CM2
    assert inventory_runout_s(q, i, q) is None  # exactly enough lasts the cycle
    assert inventory_runout_s(0.25 * q, i, q) == pytest.approx(0.25 * q / i, rel=1e-15)
    assert inventory_runout_s(-1.0, i, q) == 0.0
    p = dataclasses.replace(params["coated"], li_foil_thickness_m=1e-6)
    q_foil = 1e-6 / p.li_molar_volume_m3_per_mol * FARADAY_C_PER_MOL
    r = run_licu(p, i, q, 5)
    assert (r.failure_cycle, r.failure_reason) == (1, "Li inventory exhausted")
    assert r.time_to_failure_h == pytest.approx(q_foil / i / 3600, rel=1e-12)
    assert r.time_to_failure_h == pytest.approx(0.1031, abs=1e-3)
    p = dataclasses.replace(params["coated"], li_foil_thickness_m=10e-6)
    r = run_licu(p, i, q, 400)
    lam = 1 - r.coulombic_efficiency[0]
    foil = 10e-6 / p.li_molar_volume_m3_per_mol * FARADAY_C_PER_MOL
    per_cycle = lam * (2 - lam) * q
    n = math.floor((foil - q) / per_cycle) + 2
    assert (r.failure_cycle, r.failure_reason) == (n, "Li inventory exhausted")
    left = foil - (n - 1) * per_cycle
    assert 0 < left < q
    s = licu_summary(r)
    assert s["time_to_failure_h"] * 3600 == pytest.approx((n - 1) * 2 * q / i + left / i,
                                                          rel=1e-12)
    assert s["cycles"] == n - 1
