"""Kinetics functions (NumPy path; the UFL path uses the same expressions)."""

from __future__ import annotations

import numpy as np
import pytest

from hemcell.laws import (
    FARADAY_C_PER_MOL,
    GAS_CONSTANT_J_PER_MOL_K,
    arrhenius_factor,
    butler_volmer_current_density,
)
from hemcell.surface import kinetics
from tests.surface.conftest import example_parameters


def test_butler_volmer_symmetric_is_sinh_and_plating_positive():
    T = 298.15
    f = FARADAY_C_PER_MOL / (GAS_CONSTANT_J_PER_MOL_K * T)
    eta = np.linspace(-0.1, 0.1, 11)
    i = butler_volmer_current_density(5.0, eta, 0.5, 0.5, T)
    np.testing.assert_allclose(i, -2 * 5.0 * np.sinh(0.5 * f * eta), rtol=1e-12)
    assert i[0] > 0 > i[-1]  # cathodic overpotential plates lithium
    # linear regime: i = -i0 (alpha_a + alpha_c) f eta
    np.testing.assert_allclose(butler_volmer_current_density(5.0, 1e-7, 0.3, 0.7, T),
                               -5.0 * f * 1e-7, rtol=1e-6)


def test_coated_exchange_current_follows_the_coated_interface_rule_and_arrhenius():
    """Coated i0 = i0_bare r_bare/(r_coated - h/kappa_c), r = R A/2 (hemcell.laws), the
    same rule as the Li-metal cells; Arrhenius with each interface's activation energy."""
    p = example_parameters()
    area = p.li_electrode_area_m2
    r_film = p.coating_thickness_m / p.coating_conductivity_S_per_m  # 2.8e-5 Ohm m2
    rule = (64 * area / 2) / (44 * area / 2 - r_film)
    ratio = (kinetics.mean_exchange_current_density(p, "coated")
             / kinetics.mean_exchange_current_density(p, "bare"))
    np.testing.assert_allclose(ratio, rule, rtol=1e-12)  # at T = T_ref
    assert ratio > 64 / 44  # the film's share is not charge transfer
    assert kinetics.mean_exchange_current_density(p, "coated_thin") == \
        kinetics.mean_exchange_current_density(p, "coated")
    hot = p.replace(temperature_K=318.15)
    ratio_hot = (kinetics.mean_exchange_current_density(hot, "coated")
                 / kinetics.mean_exchange_current_density(hot, "bare"))
    d_ea = 27.82e3 - 29.31e3
    expected = rule * np.exp(-d_ea / GAS_CONSTANT_J_PER_MOL_K * (1 / 318.15 - 1 / 298.15))
    np.testing.assert_allclose(ratio_hot, expected, rtol=1e-12)
    assert ratio_hot < ratio  # the bare interface has the larger activation energy
    assert arrhenius_factor(29.31e3, 318.15, 298.15) == pytest.approx(
        np.exp(29.31e3 / GAS_CONSTANT_J_PER_MOL_K * (1 / 298.15 - 1 / 318.15)))


def test_coated_surface_i0_equals_the_cell_rule_when_bare_comes_from_rct():
    """Starting from the cell's bare i0 = RT/(F R_bare A/2), the surface model's coated
    i0 is the cell's coated i0 = RT/(F (R_coated A/2 - h/kappa_c)): one rule."""
    from hemcell.laws import exchange_current_from_resistance

    p0 = example_parameters()
    T, area = p0.reference_temperature_K, p0.li_electrode_area_m2
    r_film = p0.coating_thickness_m / p0.coating_conductivity_S_per_m
    p = p0.replace(exchange_current_density_A_per_m2=exchange_current_from_resistance(
        64.0, area, T))
    np.testing.assert_allclose(kinetics.mean_exchange_current_density(p, "coated"),
                               exchange_current_from_resistance(44.0, area, T, r_film),
                               rtol=1e-12)


@pytest.mark.parametrize("case", ["bare", "coated", "coated_thin"])
def test_bare_reference_exchange_current_inverts_the_case_rule(case):
    p = example_parameters(temperature_K=263.15)
    i0_ref = kinetics.bare_reference_exchange_current(p, case, 6.0)
    np.testing.assert_allclose(kinetics.mean_exchange_current_density(
        p.replace(exchange_current_density_A_per_m2=i0_ref), case), 6.0, rtol=1e-12)


def test_linear_charge_transfer_resistance_is_rt_over_alpha_sum_f_i0():
    p = example_parameters(anodic_transfer_coefficient=0.3, cathodic_transfer_coefficient=0.5)
    np.testing.assert_allclose(kinetics.linear_charge_transfer_resistance_ohm_m2(p, 4.0),
                               GAS_CONSTANT_J_PER_MOL_K * 298.15 / (0.8 * FARADAY_C_PER_MOL * 4.0),
                               rtol=1e-12)


def test_sei_field_is_seeded_periodic_log_normal_with_mean_one():
    W, ell = 10e-6, 1e-6
    x = np.linspace(0, W, 4001)
    g1 = kinetics.sei_heterogeneity_factor(x, 0.5, ell, W, seed=3)
    np.testing.assert_array_equal(g1, kinetics.sei_heterogeneity_factor(x, 0.5, ell, W, seed=3))
    assert not np.allclose(g1, kinetics.sei_heterogeneity_factor(x, 0.5, ell, W, seed=4))
    np.testing.assert_allclose(g1[0], g1[-1], rtol=1e-10)  # periodic in W
    assert np.all(g1 > 0)
    np.testing.assert_array_equal(kinetics.sei_heterogeneity_factor(x, 0.0, ell, W, 3), 1.0)
    # ensemble: E[g] = 1 and std(ln g) = amplitude
    logs = np.array([np.log(kinetics.sei_heterogeneity_factor(x[::40], 0.5, ell, W, s))
                     for s in range(400)])
    np.testing.assert_allclose(np.mean(np.exp(logs)), 1.0, atol=0.03)
    np.testing.assert_allclose(np.std(logs), 0.5, rtol=0.05)


def test_mechanical_shift_sign():
    # compression (sigma_nn = -p < 0) lowers the equilibrium potential by p Omega / F
    assert kinetics.mechanical_potential_shift_V(-1e6, 1.3e-5) == pytest.approx(
        -1e6 * 1.3e-5 / FARADAY_C_PER_MOL)
