"""Film resistance, Li kinetics (R_ct -> i0, Arrhenius, Butler-Volmer) and losses: closed forms."""

from __future__ import annotations

import math

import pytest

from hemcell.errors import InputError
from hemcell.laws import (
    FARADAY_C_PER_MOL,
    GAS_CONSTANT_J_PER_MOL_K,
    arrhenius_factor,
    butler_volmer_current_A_per_m2,
    butler_volmer_overpotential_V,
    exchange_current_from_resistance,
    film_area_resistance_ohm_m2,
    film_ohmic_drop_V,
)
from hemcell.limetal.kinetics import interface_overpotential_V, local_deposition_overpotential_V
from hemcell.limetal.losses import (
    LiInventory,
    layer_diffusion_resistance_s_per_m,
    layer_resistance_ohm_m2,
    layer_thickness_m,
    loss_fraction,
)
from hemcell.limetal.parameters import cell_parameters, load_anode_set


def test_film_ohmic_drop_is_i_h_over_kappa():
    # 28 nm at 1e-3 S/m carrying 1 mA/cm2 (10 A/m2): 10 * 28e-9 / 1e-3 = 2.8e-4 V
    assert film_ohmic_drop_V(10.0, 28e-9, 1e-3) == pytest.approx(2.8e-4, rel=1e-12)
    assert film_area_resistance_ohm_m2(70e-9, 2e-3) == pytest.approx(3.5e-5, rel=1e-12)
    assert film_area_resistance_ohm_m2(0.0, 0.0) == 0.0  # bare Li: no film
    with pytest.raises(InputError):
        film_area_resistance_ohm_m2(-1e-9, 1e-3)
    with pytest.raises(InputError):
        film_area_resistance_ohm_m2(28e-9, 0.0)


def test_arrhenius_ratio_of_the_seed_activation_energies():
    t_ref, t = 298.15, 318.15
    assert arrhenius_factor(29.31e3, t_ref, t_ref) == 1.0
    bare, coated = arrhenius_factor(29.31e3, t, t_ref), arrhenius_factor(27.82e3, t, t_ref)
    expected = math.exp(-(29.31e3 - 27.82e3) / GAS_CONSTANT_J_PER_MOL_K * (1 / t - 1 / t_ref))
    assert bare / coated == pytest.approx(expected, rel=1e-12)
    assert bare > coated > 1.0  # both speed up on heating, bare (higher Ea) more
    with pytest.raises(InputError):
        arrhenius_factor(29.31e3, 0.0, t_ref)


def test_exchange_current_from_resistance_round_trip():
    T, area = 298.15, 1.911e-4
    i0 = exchange_current_from_resistance(64.0, area, T)
    r_ct = GAS_CONSTANT_J_PER_MOL_K * T / (FARADAY_C_PER_MOL * i0)
    assert r_ct == pytest.approx(64.0 * area / 2, rel=1e-12)  # two interfaces in series
    # the film share is taken out of the measured resistance
    i0_f = exchange_current_from_resistance(44.0, area, T, film_resistance_ohm_m2=2.8e-5)
    r_ct_f = GAS_CONSTANT_J_PER_MOL_K * T / (FARADAY_C_PER_MOL * i0_f)
    assert r_ct_f + 2.8e-5 == pytest.approx(44.0 * area / 2, rel=1e-12)
    with pytest.raises(InputError):
        exchange_current_from_resistance(44.0, area, T, film_resistance_ohm_m2=1.0)


def test_butler_volmer_inverse_and_linear_limit():
    T, i0 = 298.15, 4.2
    for i in (0.1, 5.0, 40.0, -7.0):
        eta = butler_volmer_overpotential_V(i, i0, T)
        assert butler_volmer_current_A_per_m2(eta, i0, T) == pytest.approx(i, rel=1e-12)
    # small current: eta = i R_ct with R_ct = RT/(F i0)
    i = 1e-4
    assert butler_volmer_overpotential_V(i, i0, T) == pytest.approx(
        i * GAS_CONSTANT_J_PER_MOL_K * T / (FARADAY_C_PER_MOL * i0), rel=1e-8)
    # cell-averaged: BV at the mean current (magnitude); focusing: the local overpotential
    # is the BV value at f times the mean current
    assert interface_overpotential_V(-10.0, i0, T) == butler_volmer_overpotential_V(10.0, i0, T)
    assert local_deposition_overpotential_V(10.0, i0, 2.5, T) == pytest.approx(
        butler_volmer_overpotential_V(25.0, i0, T), rel=1e-12)
    assert local_deposition_overpotential_V(10.0, i0, 1.0, T) == interface_overpotential_V(
        10.0, i0, T)
    with pytest.raises(InputError):
        local_deposition_overpotential_V(10.0, i0, 0.5, T)


def test_cell_parameters_coated_kinetics_from_the_seed_ratio():
    bare = cell_parameters(load_anode_set("bare"), "bare")
    coated = cell_parameters(load_anode_set("coated"), "coated")
    assert bare.film_resistance_ohm_m2 == 0.0
    assert coated.film_resistance_ohm_m2 == pytest.approx(28e-9 / 1e-3, rel=1e-9)
    a = bare.li_electrode_area_m2
    ratio = (64 * a / 2) / (44 * a / 2 - coated.film_resistance_ohm_m2)
    assert (coated.exchange_current_ref_A_per_m2 / bare.exchange_current_ref_A_per_m2
            == pytest.approx(ratio, rel=1e-12))
    # a thicker coating moves resistance from charge transfer into the film
    thick = cell_parameters(load_anode_set("coated", ["coating_thickness=70nm"]), "coated")
    assert thick.exchange_current_ref_A_per_m2 > coated.exchange_current_ref_A_per_m2
    hot = cell_parameters(load_anode_set("bare", ["ambient_temperature=318.15K"]), "bare")
    assert hot.exchange_current_A_per_m2 / bare.exchange_current_A_per_m2 == pytest.approx(
        arrhenius_factor(29.31e3, 318.15, 298.15), rel=1e-12)
    with pytest.raises(InputError):
        load_anode_set("gold")


def test_inventory_conserves_charge_and_layer_geometry():
    inv = LiInventory(active_C_per_m2=1e5)
    total = inv.active_C_per_m2
    for _ in range(50):
        lost = inv.plate(3.6e4, 0.02)
        assert lost == pytest.approx(720.0)
        inv.strip(3.6e4)
    assert inv.active_C_per_m2 + inv.lost_C_per_m2 == pytest.approx(total, rel=1e-12)
    assert inv.lost_C_per_m2 == pytest.approx(50 * 720.0)
    # 1 mAh/cm2 of dense Li (V = 13.0 cm3/mol) is 4.85 um; porosity 0.5 doubles it
    q = 36000.0
    assert layer_thickness_m(q, 1.3e-5, 0.0) == pytest.approx(4.850e-6, rel=1e-3)
    assert layer_thickness_m(q, 1.3e-5, 0.5) == pytest.approx(2 * 4.850e-6, rel=1e-3)
    L = layer_thickness_m(q, 1.3e-5, 0.5)
    assert layer_resistance_ohm_m2(q, 1.3e-5, 0.5, 1.5, 1.19) == pytest.approx(
        L / (1.19 * 0.5 ** 1.5), rel=1e-12)
    assert layer_diffusion_resistance_s_per_m(q, 1.3e-5, 0.5, 1.5, 3.2e-10) == pytest.approx(
        L / (3.2e-10 * 0.5 ** 1.5), rel=1e-12)
    assert loss_fraction(0.02, 0.5) == pytest.approx(0.01)
    with pytest.raises(InputError):
        loss_fraction(3.0, 0.5)
