"""Electrolyte consumption and LFP dry-out; the stepped Li||Li rate test; high loading."""

from __future__ import annotations

import itertools
import json
import math

import pytest

from hemcell.cli.main import main
from hemcell.errors import InputError
from hemcell.limetal.cycling import cycling_summary, electrolyte_budget, run_cycling
from hemcell.limetal.electrolyte import ElectrolyteBudget, layer_uptake_m3_per_mol
from hemcell.limetal.halfcell import build_half_cell
from hemcell.limetal.losses import layer_thickness_m
from hemcell.limetal.parameters import cell_parameters, load_anode_set
from hemcell.limetal.symmetric import (
    rate_test_schedule,
    run_schedule,
    run_symmetric,
    salt_difference_mol_per_m3,
    separator_diffusion_resistance_s_per_m,
)

MA_CM2 = 10.0  # A/m2
MAH_CM2 = 36000.0  # C/m2
UL = 1e-9  # m3


def _budget(**changes: float) -> ElectrolyteBudget:
    values = {"initial_volume_m3": 50 * UL, "separator_pore_volume_m3": 2 * UL,
              "cathode_pore_volume_m3": 1.5 * UL, "consumption_m3_per_mol": 4e-4,
              "layer_uptake_m3_per_mol": 1.3e-5}
    values.update(changes)
    return ElectrolyteBudget(**values)


def test_wetted_fraction_is_one_until_the_reservoir_is_used_then_linear_to_zero():
    b = _budget()
    n_dry = b.lost_li_at_dry_out_mol()
    assert n_dry == pytest.approx(46.5 * UL / (4e-4 + 1.3e-5), rel=1e-12)
    assert b.cathode_wetted_fraction(0.0) == 1.0
    assert b.cathode_wetted_fraction(0.999 * n_dry) == 1.0
    # the LFP pores then drain linearly: half of them after V_cat / 2 more sink
    half = n_dry + 0.5 * b.cathode_pore_volume_m3 / b.sink_m3_per_mol
    assert b.cathode_wetted_fraction(half) == pytest.approx(0.5, rel=1e-9)
    assert b.cathode_wetted_fraction(2 * half) == 0.0
    assert _budget(consumption_m3_per_mol=0.0, layer_uptake_m3_per_mol=0.0
                   ).lost_li_at_dry_out_mol() == math.inf


def test_layer_uptake_is_the_pore_volume_of_the_dead_li_layer():
    v_li, eps, area = 1.3e-5, 0.5, 1.9e-4
    q_lost = 5e4  # C/m2
    pores = eps * layer_thickness_m(q_lost, v_li, eps) * area
    assert layer_uptake_m3_per_mol(v_li, eps) * q_lost * area / 96485.33212 == pytest.approx(
        pores, rel=1e-12)


def test_budget_rejects_too_little_electrolyte_and_negative_consumption():
    with pytest.raises(InputError):
        _budget(initial_volume_m3=3 * UL)
    with pytest.raises(InputError):
        _budget(consumption_m3_per_mol=-1.0)


@pytest.fixture(scope="module")
def lean_cell():
    """Coated cell with almost no reservoir and a large consumption: dries in a few cycles."""
    pset = load_anode_set("coated")
    probe = build_half_cell(cell_parameters(pset, "coated"), pset)
    b = electrolyte_budget(probe)
    pores = b.separator_pore_volume_m3 + b.cathode_pore_volume_m3
    lean = load_anode_set("coated", [f"electrolyte_volume={1.001 * pores!r} m**3",
                                     "electrolyte_consumption_per_lost_li=1500 cm**3/mol",
                                     "lfp_deactivation_per_lost_li=0"])
    return build_half_cell(cell_parameters(lean, "coated"), lean)


def test_dry_out_scales_the_low_rate_capacity_with_the_wetted_fraction(lean_cell):
    rec = run_cycling(lean_cell, 6, c_rate=0.2)
    s = rec.cathode_wetted_fraction
    assert s[0] == 1.0 and s[-1] < 0.8 and all(b < a for a, b in itertools.pairwise(s[1:]))
    # at 0.2C the wetted part delivers nearly its full share: Q_n / s_n ~ Q_1
    per_wetted = [q / f for q, f in zip(rec.discharge_mAh_per_g, s, strict=True)]
    assert max(per_wetted) / min(per_wetted) == pytest.approx(1.0, abs=0.02)
    # the free volume recorded after each cycle is the budget's for the Li lost so far:
    # the sink per cycle is (v_e + layer uptake) x the Li lost in that cycle
    b = electrolyte_budget(lean_cell)
    lost_1 = (rec.layer_thickness_um[0] * 1e-6 * (1 - lean_cell.params.layer_porosity)
              * lean_cell.params.li_electrode_area_m2 / lean_cell.params.li_molar_volume_m3_per_mol)
    assert rec.free_electrolyte_uL[0] == pytest.approx(1e9 * b.free_volume_m3(lost_1), rel=1e-9)


def test_the_cell_reports_dry_out_and_zero_final_capacity(lean_cell):
    rec = run_cycling(lean_cell, 40, c_rate=1.0, stride=4)
    assert rec.dry_out_cycle is not None and rec.dry_out_cycle <= 40
    summary = cycling_summary(rec)
    assert summary["final_discharge_capacity_mAh_per_g"] == 0.0
    assert summary["capacity_retention"] == 0.0


def test_constant_schedule_equals_the_constant_current_cell():
    p = cell_parameters(load_anode_set("bare"), "bare")
    a = run_symmetric(p, 1 * MA_CM2, MAH_CM2, hours=4000)
    b = run_schedule(p, [(1 * MA_CM2, MAH_CM2)] * 2000)
    assert a.failure_cycle == b.failure_cycle and a.overpotential_V == b.overpotential_V
    assert b.time_to_failure_h == pytest.approx(2 * b.failure_cycle, rel=1e-12)


def test_rate_test_fails_where_the_accumulated_layer_depletes_the_salt():
    p = cell_parameters(load_anode_set("bare"), "bare")
    steps = [0.2 * MA_CM2, 0.5 * MA_CM2, 1 * MA_CM2, 2 * MA_CM2, 3 * MA_CM2, 5 * MA_CM2]
    sched = rate_test_schedule(steps, 10, MAH_CM2)
    r = run_schedule(p, sched)
    # the same criterion evaluated by hand: first cycle with (1-t+) i/F sum(L/D_eff) >= 2 c0
    lam = {i: run_symmetric(p, i, MAH_CM2, 2 * MAH_CM2 / i / 3600).loss_fraction for i in steps}
    lost, t, expected = 0.0, 0.0, None
    for n, (i, q) in enumerate(sched, start=1):
        lost += lam[i] * q
        t += 2 * q / i
        l_dl = layer_thickness_m(lost, p.li_molar_volume_m3_per_mol, p.layer_porosity)
        d = separator_diffusion_resistance_s_per_m(p) + 2 * l_dl / (
            p.electrolyte_diffusivity_m2_per_s * p.layer_porosity ** p.layer_bruggeman)
        if salt_difference_mol_per_m3(p, i, d) >= 2 * p.electrolyte_concentration_mol_per_m3:
            expected = (n, t / 3600, i)
            break
    assert expected is not None
    assert (r.failure_cycle, r.time_to_failure_h, r.failure_current_density_A_per_m2) == (
        expected[0], pytest.approx(expected[1], rel=1e-12), expected[2])


def test_rate_test_schedule_rejects_bad_steps():
    with pytest.raises(InputError):
        rate_test_schedule([], 10, MAH_CM2)
    with pytest.raises(InputError):
        rate_test_schedule([1.0, -2.0], 10, MAH_CM2)
    with pytest.raises(InputError):
        rate_test_schedule([1.0], 0, MAH_CM2)


def test_symmetric_rate_steps_and_high_loading_commands(tmp_path):
    out = tmp_path / "rt"
    assert main(["limetal", "symmetric", "--anode", "coated", "--rate-steps", "0.2,1,5",
                 "--cycles-per-step", "2", "--hours", "4000", "--out", str(out)]) == 0
    s = json.loads((out / "summary.json").read_text())
    # 2 cycles x 2 half-cycles x (1/0.2 + 1/1 + 1/5) h at 1 mAh/cm2
    assert s["time_without_failure_h"] == pytest.approx(4 * 6.2, rel=1e-12)
    assert s["rate_steps_mA_per_cm2"] == [0.2, 1.0, 5.0] and len(s["overpotential_mV"]) == 6
    assert s["overpotential_mV"][-1] > s["overpotential_mV"][0]
    assert main(["limetal", "symmetric", "--rate-steps", "0.2,x", "--out",
                 str(tmp_path / "bad")]) == 2
    hl = tmp_path / "hl"
    assert main(["limetal", "cycle", "--anode", "coated", "--cycles", "1", "--high-loading",
                 "--out", str(hl)]) == 0
    s = json.loads((hl / "summary.json").read_text())
    assert s["lfp_mass_loading_mg_per_cm2"] == pytest.approx(11.5, rel=1e-12)
    assert s["final_cathode_wetted_fraction"] == 1.0


def test_fit_fade_with_overrides_refuses_to_write(capsys):
    # a value fitted under changed assumptions must not land in the shared files
    assert main(["limetal", "fit-fade", "--set", "electrolyte_volume=75 uL"]) == 2
    assert "--dry-run" in capsys.readouterr().err


def test_symmetric_electrolyte_exhaustion_diagnostic_closed_form():
    from hemcell.limetal.symmetric import electrolyte_budget as symmetric_budget

    p = cell_parameters(load_anode_set("coated"), "coated")
    r = run_symmetric(p, 1 * MA_CM2, MAH_CM2, hours=4000)
    b = symmetric_budget(p)
    # both electrodes lose lambda q per cycle; the reservoir is V_e0 - V_sep
    per_cycle_mol = 2 * r.loss_fraction * MAH_CM2 * p.li_electrode_area_m2 / 96485.33212
    n = math.floor(b.free_volume_m3(0.0) / (b.sink_m3_per_mol * per_cycle_mol)) + 1
    assert r.electrolyte_exhausted_h == pytest.approx(2.0 * n, rel=1e-12)
    assert b.cathode_wetted_fraction(0.0) == 1.0  # no cathode: wet while the reservoir lasts
