"""Zn||Zn cells with hydrogen evolution (hemcell.limetal.zinc): partial-current balance,
the inventory HER drains and the Zn||Cu Coulombic efficiency, the HER Tafel law, the foil capacity
against the review's volumetric capacity, and coated vs bare."""

from __future__ import annotations

import json
import math

import pytest

from hemcell.laws import FARADAY_C_PER_MOL, GAS_CONSTANT_J_PER_MOL_K
from hemcell.limetal import zinc
from hemcell.params import load_parameter_set


@pytest.fixture(scope="module")
def cells():
    b = load_parameter_set("zn_bare").si
    c = load_parameter_set("zn_hem_coated").si
    return {"bare": zinc.zinc_cell_parameters(b, "zn_bare"),
            "coated": zinc.zinc_cell_parameters(c, "zn_hem_coated", b)}


def test_partial_currents_add_up_to_the_applied_current(cells):
    p = cells["bare"]
    i = p.current_density_A_per_m2
    plate, strip = zinc.plating_state(p, i), zinc.stripping_state(p, i)
    assert plate.zinc_current_A_per_m2 + plate.her_current_A_per_m2 == pytest.approx(i, rel=1e-12)
    # stripping: Zn dissolves at i + i_HER (HER is local corrosion)
    assert -strip.zinc_current_A_per_m2 == pytest.approx(i + strip.her_current_A_per_m2,
                                                         rel=1e-12)
    assert plate.overpotential_V < 0 < strip.overpotential_V


def test_her_drains_the_inventory_and_ce_is_the_zn_cu_efficiency(cells):
    """Conservation: the Zn an electrode loses per cycle is exactly Q_HER, and the life is
    the number of such losses the foil holds beyond one half-cycle. CE is a Zn||Cu test's
    at the same currents: the Zn plated in a half-cycle, stripped at the current passed
    while it also corrodes, gives back i t_strip; to first order 1 - Q_HER/q."""
    p = cells["bare"]
    r = zinc.symmetric_cell(p)
    q = p.areal_capacity_C_per_m2
    i = p.current_density_A_per_m2
    plated = (r.plating.zinc_current_A_per_m2) * r.half_cycle_time_s
    stripped = -r.stripping.zinc_current_A_per_m2 * r.half_cycle_time_s
    assert r.her_charge_per_cycle_C_per_m2 == pytest.approx(stripped - plated, rel=1e-10)
    t_strip = plated / -r.stripping.zinc_current_A_per_m2  # until the plated Zn is gone
    assert r.coulombic_efficiency == pytest.approx(i * t_strip / q, rel=1e-12)
    loss = r.her_charge_per_cycle_C_per_m2 / q
    assert abs(r.coulombic_efficiency - (1 - loss)) <= loss**2
    n = r.cycles_to_inventory_end
    q0 = r.foil_charge_C_per_m2
    assert q0 - n * (stripped - plated) >= q > q0 - (n + 1) * (stripped - plated)
    assert r.life_s == pytest.approx(2 * n * q / p.current_density_A_per_m2)


def test_her_tafel_slope_and_ph(cells):
    """One Tafel slope b = RT ln10/(alpha_H F) of extra cathodic overpotential multiplies
    i_HER by ten; one pH unit lowers E_HER by the same RT ln10/F as in Nernst (-59.2 mV
    per pH at 298.15 K)."""
    p = cells["bare"]
    f = FARADAY_C_PER_MOL / (GAS_CONSTANT_J_PER_MOL_K * p.temperature_K)
    b = math.log(10) / (p.her_transfer_coefficient * f)
    assert b == pytest.approx(0.1183, abs=2e-4)  # 118 mV/dec at alpha_H = 0.5
    i1 = zinc.her_current_A_per_m2(p, -0.01)
    assert zinc.her_current_A_per_m2(p, -0.01 - b) / i1 == pytest.approx(10.0, rel=1e-12)
    # E_HER - E0 at pH 4: 0.762 - 4 x 0.05916 = 0.5254 V; at eta = 0 the HER overpotential
    # is -0.5254 V
    eta_h = p.standard_potential_V - (-math.log(10) / f * p.ph)
    assert eta_h == pytest.approx(-0.5254, abs=2e-4)
    assert zinc.her_current_A_per_m2(p, 0.0) == pytest.approx(
        p.her_exchange_current_A_per_m2 * math.exp(-p.her_transfer_coefficient * f * eta_h))
    from dataclasses import replace
    acid = replace(p, ph=p.ph - 1)  # one pH unit more acidic: E_HER up by RT ln10/F
    assert zinc.her_current_A_per_m2(acid, -0.01) / i1 == pytest.approx(
        10 ** (p.her_transfer_coefficient), rel=1e-12)


def test_foil_capacity_matches_the_reviews_volumetric_capacity(cells):
    """zF/V_m of Zn against seed 001 L49: 5855 mAh/cm**3 (a 10 um foil: 5.855 mAh/cm**2)."""
    p = cells["bare"]
    mAh_per_cm3 = p.foil_charge_C_per_m2 / 36000.0 / (p.foil_thickness_m * 100)
    assert mAh_per_cm3 == pytest.approx(5855, rel=2e-3)


def test_coated_loses_less_to_hydrogen_and_lives_longer(cells):
    rb, rc = (zinc.symmetric_cell(cells[a]) for a in ("bare", "coated"))
    assert rc.coulombic_efficiency > rb.coulombic_efficiency
    assert rc.life_s > rb.life_s
    assert rc.her_fraction_plating < rb.her_fraction_plating


def test_cli_writes_summary_and_refuses_unread_keys(tmp_path, capsys):
    from hemcell.cli.main import main

    out = tmp_path / "zn"
    assert main(["limetal", "zn-symmetric", "--out", str(out)]) == 0
    s = json.loads((out / "summary.json").read_text())
    assert set(s["by_anode"]) == {"bare", "coated"}
    assert 0 < s["her_loss_ratio_coated_to_bare"] < 1
    code = main(["limetal", "zn-symmetric", "--out", str(tmp_path / "x"), "--set",
                 "sei_seed=3"])
    assert code == 2 and "sei_seed" in capsys.readouterr().err
    assert main(["limetal", "zn-symmetric", "--out", str(tmp_path / "y"), "--set",
                 "electrolyte_ph=5"]) == 0
    s5 = json.loads((tmp_path / "y" / "summary.json").read_text())
    assert s5["coulombic_efficiency"] > s["coulombic_efficiency"]  # less acid, less HER


def test_her_and_zn_exchange_currents_follow_arrhenius():
    """Both exchange currents move with temperature by their own activation energies
    (hemcell.laws.arrhenius_factor), in the Zn‖Zn cell and in the surface model alike:
    i0(T)/i0(T_ref) = exp(-Ea/R (1/T - 1/T_ref))."""
    from hemcell.surface.kinetics import hydrogen_evolution_current_density
    from hemcell.workflows import surface as ws

    si = load_parameter_set("zn_bare").si
    t_ref, t = si["reference_temperature"], 283.15
    cold = load_parameter_set("zn_bare").with_overrides([f"ambient_temperature={t} K"]).si
    p_ref = zinc.zinc_cell_parameters(si, "zn_bare")
    p_cold = zinc.zinc_cell_parameters(cold, "zn_bare")

    def factor(ea):
        return math.exp(-ea / GAS_CONSTANT_J_PER_MOL_K * (1 / t - 1 / t_ref))

    assert si["ambient_temperature"] == pytest.approx(t_ref)
    assert p_cold.her_exchange_current_A_per_m2 / p_ref.her_exchange_current_A_per_m2 == (
        pytest.approx(factor(si["her_activation_energy"]), rel=1e-12))
    assert p_cold.exchange_current_A_per_m2 / p_ref.exchange_current_A_per_m2 == (
        pytest.approx(factor(si["li_migration_activation_energy"]), rel=1e-12))
    # the surface model's HER at the same metal overpotential: the i0 ratio times the
    # Tafel factor exp(-alpha_H F eta_H/RT), with E_HER = -(RT ln10/F) pH at each T
    s_ref = ws.resolve_case("bare", "flat", metal="Zn").parameters
    s_cold = ws.resolve_case("bare", "flat", [f"ambient_temperature={t} K"],
                             metal="Zn").parameters
    eta = -0.05

    def tafel(temp):
        e_her = -math.log(10) * GAS_CONSTANT_J_PER_MOL_K * temp / FARADAY_C_PER_MOL \
            * s_ref.electrolyte_ph
        eta_h = s_ref.metal_standard_potential_V + eta - e_her
        return math.exp(-s_ref.her_transfer_coefficient * FARADAY_C_PER_MOL * eta_h
                        / (GAS_CONSTANT_J_PER_MOL_K * temp))

    ratio = (hydrogen_evolution_current_density(s_cold, eta)
             / hydrogen_evolution_current_density(s_ref, eta))
    assert ratio == pytest.approx(
        factor(si["her_activation_energy"]) * tafel(t) / tafel(t_ref), rel=1e-9)
