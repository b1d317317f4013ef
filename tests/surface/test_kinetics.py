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


def test_coated_exchange_current_from_rct_ratio_and_arrhenius():
    p = example_parameters()
    ratio = (kinetics.mean_exchange_current_density(p, "coated")
             / kinetics.mean_exchange_current_density(p, "bare"))
    np.testing.assert_allclose(ratio, 64 / 44, rtol=1e-12)  # at T = T_ref
    hot = p.replace(temperature_K=318.15)
    ratio_hot = (kinetics.mean_exchange_current_density(hot, "coated")
                 / kinetics.mean_exchange_current_density(hot, "bare"))
    d_ea = 27.82e3 - 29.31e3
    expected = 64 / 44 * np.exp(-d_ea / GAS_CONSTANT_J_PER_MOL_K * (1 / 318.15 - 1 / 298.15))
    np.testing.assert_allclose(ratio_hot, expected, rtol=1e-12)
    assert ratio_hot < ratio  # the bare interface has the larger activation energy
    assert arrhenius_factor(29.31e3, 318.15, 298.15) == pytest.approx(
        np.exp(29.31e3 / GAS_CONSTANT_J_PER_MOL_K * (1 / 298.15 - 1 / 318.15)))


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
