"""Zn‖Zn Coulombic efficiency versus temperature: what sets its sign.

The HER current at a fixed electrode potential E has the apparent activation energy
E_a,H + α_H F E (the pH term of E_HER drops out of the Tafel exponent), so at the Zn
potential (E⁰ = -0.762 V) the set's assumed 25 kJ/mol gives HER that falls as T rises
and a CE that rises; the trend turns near 38.4 kJ/mol (docs/zinc.md, Temperature).
"""

from __future__ import annotations

import math

import pytest
from scipy.optimize import brentq

from hemcell.laws import FARADAY_C_PER_MOL, GAS_CONSTANT_J_PER_MOL_K
from hemcell.limetal import zinc
from hemcell.params import load_parameter_set

T_COLD_K, T_WARM_K = 278.15, 338.15


def _cell(temperature_K: float, her_activation_energy_kJ: float | None = None,
          anode: str = "bare") -> zinc.ZincCellParameters:
    overrides = [f"ambient_temperature={temperature_K}K"]
    if her_activation_energy_kJ is not None:
        overrides.append(f"her_activation_energy={her_activation_energy_kJ}kJ/mol")
    bare = load_parameter_set("zn_bare").with_overrides(overrides)
    if anode == "bare":
        return zinc.zinc_cell_parameters(bare.si, "zn_bare")
    coated = load_parameter_set("zn_hem_coated").with_overrides(overrides)
    return zinc.zinc_cell_parameters(coated.si, "zn_hem_coated", bare_si=bare.si)


def _ce(temperature_K: float, her_activation_energy_kJ: float | None = None,
        anode: str = "bare") -> float:
    return zinc.symmetric_cell(_cell(temperature_K, her_activation_energy_kJ, anode)
                               ).coulombic_efficiency


def test_her_at_a_fixed_potential_has_the_apparent_activation_energy_ea_plus_alpha_f_e():
    """ln(i2/i1) = -(E_a,H + α_H F E)/R (1/T2 - 1/T1) exactly (Arrhenius i0 times the
    Tafel factor; E fixed vs SHE), here at the Zn equilibrium potential (η = 0)."""
    cold, warm = _cell(T_COLD_K), _cell(T_WARM_K)
    ratio = (zinc.her_current_A_per_m2(warm, 0.0) / zinc.her_current_A_per_m2(cold, 0.0))
    apparent_J_per_mol = (-GAS_CONSTANT_J_PER_MOL_K * math.log(ratio)
                          / (1 / T_WARM_K - 1 / T_COLD_K))
    si = load_parameter_set("zn_bare").si
    expected = (si["her_activation_energy"]
                + si["her_transfer_coefficient"] * FARADAY_C_PER_MOL
                * si["metal_standard_potential"])
    assert apparent_J_per_mol == pytest.approx(expected, rel=1e-9)
    assert expected / 1e3 == pytest.approx(-11.76, abs=0.01)  # docs/zinc.md


@pytest.mark.parametrize("anode", ["bare", "coated"])
def test_with_the_assumed_25_kj_the_ce_rises_with_temperature(anode):
    """The documented numbers (docs/zinc.md), to 0.001 percentage points."""
    documented = {"bare": (99.130, 99.434, 99.589, 99.685),
                  "coated": (99.913, 99.943, 99.959, 99.969)}[anode]
    ce = [100 * _ce(t, anode=anode) for t in (278.15, 298.15, 318.15, 338.15)]
    assert ce == pytest.approx(documented, abs=1e-3)
    assert ce == sorted(ce)


@pytest.mark.parametrize("anode", ["bare", "coated"])
def test_the_trend_turns_above_alpha_f_e0(anode):
    """The CE is flat at 298 K for E_a,H a little above α_H F |E⁰| = 36.76 kJ/mol (the
    plating side's shrinking |η_p| adds the rest): 38.4 kJ/mol, documented to 0.1; above
    it the CE falls with temperature."""
    si = load_parameter_set("zn_bare").si
    alpha_f_e0_kJ = (si["her_transfer_coefficient"] * FARADAY_C_PER_MOL
                     * abs(si["metal_standard_potential"]) / 1e3)
    turn = brentq(lambda ea: _ce(308.15, ea, anode) - _ce(288.15, ea, anode), 20.0, 60.0,
                  xtol=1e-3)
    assert alpha_f_e0_kJ < turn == pytest.approx(38.4, abs=0.1)
    assert _ce(T_WARM_K, turn + 5.0, anode) < _ce(T_COLD_K, turn + 5.0, anode)
