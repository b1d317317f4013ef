"""Li||LFP cell temperature: the electrolyte (Valøen & Reimers 2005) and the LFP particle
diffusivity (Arrhenius) follow the cell temperature; the 2C capacity falls in the cold.

Until this build the Li||LFP DFN kept the set's 298.15 K electrolyte and LFP diffusivity at
every temperature, so the 2C capacity moved only through the exchange currents
(coated: 133.2 mAh/g at 253.15 K, 134.4 at 318.15 K).
"""

from __future__ import annotations

import dataclasses
import math

import pytest

from hemcell.laws import GAS_CONSTANT_J_PER_MOL_K
from hemcell.limetal.halfcell import build_half_cell, rate_test, sized_values
from hemcell.limetal.parameters import cell_parameters, load_anode_set

T_COLD_K, T_REF_K, T_WARM_K = 253.15, 298.15, 318.15


def valoen_conductivity_S_per_m(c_mol_per_L: float, T: float) -> float:
    """Valøen & Reimers 2005, eq. 17 (mS/cm, c in mol/L), written out here in S/m."""
    return 0.1 * c_mol_per_L * ((-10.5 + 0.0740 * T - 6.96e-5 * T**2)
                                + c_mol_per_L * (0.668 - 0.0178 * T + 2.80e-5 * T**2)
                                + c_mol_per_L**2 * (0.494 - 8.86e-4 * T)) ** 2


def valoen_diffusivity_m2_per_s(c_mol_per_L: float, T: float) -> float:
    """Valøen & Reimers 2005, eq. 14: log10 D[cm2/s] = -4.43 - 54/(T - 229 - 5c) - 0.22c."""
    return 10 ** (-4.43 - 54.0 / (T - 229.0 - 5.0 * c_mol_per_L) - 0.22 * c_mol_per_L) * 1e-4


@pytest.fixture(scope="module")
def coated():
    pset = load_anode_set("coated")
    return pset, cell_parameters(pset, "coated")


@pytest.mark.parametrize("T", [T_COLD_K, T_REF_K, T_WARM_K])
def test_sized_values_carry_transport_to_the_cell_temperature(coated, T):
    pset, p = coated
    values, _ = sized_values(dataclasses.replace(p, temperature_K=T), pset)
    c = p.electrolyte_concentration_mol_per_m3 / 1000.0
    k_ratio = valoen_conductivity_S_per_m(c, T) / valoen_conductivity_S_per_m(c, T_REF_K)
    d_ratio = valoen_diffusivity_m2_per_s(c, T) / valoen_diffusivity_m2_per_s(c, T_REF_K)
    assert values["Electrolyte conductivity [S.m-1]"] == pytest.approx(
        p.electrolyte_conductivity_S_per_m * k_ratio, rel=1e-12)
    assert values["Electrolyte diffusivity [m2.s-1]"] == pytest.approx(
        p.electrolyte_diffusivity_m2_per_s * d_ratio, rel=1e-12)
    e_a = p.lfp_diffusivity_activation_energy_J_per_mol
    assert e_a == pytest.approx(35e3)
    arrhenius = math.exp(-e_a / GAS_CONSTANT_J_PER_MOL_K * (1 / T - 1 / T_REF_K))
    assert values["Positive particle diffusivity [m2.s-1]"] == pytest.approx(
        pset.si["lfp_particle_diffusivity"] * arrhenius, rel=1e-12)
    if T == T_REF_K:  # the calibration temperature: the set's values, unchanged
        assert values["Electrolyte conductivity [S.m-1]"] == p.electrolyte_conductivity_S_per_m
        assert values["Positive particle diffusivity [m2.s-1]"] == pset.si[
            "lfp_particle_diffusivity"]


def test_2c_capacity_falls_from_318_to_253_K(coated):
    """Low rate: the capacity is the OCP window's (no entropic term), nearly the same at
    every temperature (152.6 / 141.7 mAh/g at 318 / 253 K: the cold 0.1C discharge is
    already transport-limited near the end). 2C: 145.6 at 318.15 K, 134.3 at 298.15 K, 28.9
    at 253.15 K (LFP D_s x 1/30, electrolyte D x 1/150 and kappa x 1/4 from 318 to 253 K).
    """
    pset, p = coated
    caps = {}
    for T in (T_COLD_K, T_REF_K, T_WARM_K):
        cell = build_half_cell(dataclasses.replace(p, temperature_K=T), pset)
        caps[T] = rate_test(cell, [0.1, 2.0]).capacity_mAh_per_g
    low = {T: c[0] for T, c in caps.items()}
    high = {T: c[1] for T, c in caps.items()}
    assert high[T_WARM_K] > high[T_REF_K] > high[T_COLD_K]
    assert high[T_COLD_K] < 0.5 * high[T_WARM_K]
    assert low[T_COLD_K] > 0.9 * low[T_WARM_K]
    assert high[T_REF_K] == pytest.approx(134.28, abs=0.01)  # the 298.15 K cell: unchanged


@pytest.mark.parametrize("T", [150.0, 234.0])
def test_a_cell_below_the_electrolyte_fit_singularity_is_refused(T, tmp_path, capsys):
    """The Valøen & Reimers diffusivity diverges at 229 + 5c K (234 K at 1 M); at 233 K it
    gave D_e = 1e49 m2/s and a capacity, at 150 K an IDA failure (exit 1)."""
    from hemcell.cli.main import main

    assert main(["limetal", "rate", "--anode", "bare", "--c-rates", "1", "--set",
                 f"ambient_temperature={T}K", "--out", str(tmp_path / "x"), "--no-plots"]) == 2
    assert "234.00 K" in capsys.readouterr().err


def test_li_li_separator_follows_the_cell_temperature():
    """Li||Li / Li||Cu / layer: the separator's conductance and diffusion resistance use the
    electrolyte at the cell temperature (they kept the 298.15 K values before: a bare
    Li||Li at 1 mA/cm2 and 253.15 K ran 20 h without failure, now salt depletion at 2 h)."""
    from hemcell.limetal.symmetric import separator_diffusion_resistance_s_per_m

    pset = load_anode_set("bare")
    p = cell_parameters(pset, "bare")
    cold = dataclasses.replace(p, temperature_K=T_COLD_K)
    c = p.electrolyte_concentration_mol_per_m3 / 1000.0
    k_ratio = valoen_conductivity_S_per_m(c, T_COLD_K) / valoen_conductivity_S_per_m(c, T_REF_K)
    d_ratio = valoen_diffusivity_m2_per_s(c, T_COLD_K) / valoen_diffusivity_m2_per_s(c, T_REF_K)
    assert cold.separator_conductance_S_per_m2 == pytest.approx(
        p.separator_conductance_S_per_m2 * k_ratio, rel=1e-12)
    assert separator_diffusion_resistance_s_per_m(cold) == pytest.approx(
        separator_diffusion_resistance_s_per_m(p) / d_ratio, rel=1e-12)
    assert cold.layer_resistance_ohm_m2(10.0) == pytest.approx(
        p.layer_resistance_ohm_m2(10.0) / k_ratio, rel=1e-12)
    assert p.cell_electrolyte_conductivity_S_per_m == p.electrolyte_conductivity_S_per_m
