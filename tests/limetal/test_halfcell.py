"""Li||LFP half-cell (PyBaMM DFN): capacity bookkeeping, film shift, charge conservation,
coupling point, short cycling."""

from __future__ import annotations

import numpy as np
import pytest

from hemcell.errors import InputError
from hemcell.limetal.cycling import cycling_summary, li_loss_per_cycle, run_cycling
from hemcell.limetal.halfcell import (
    build_half_cell,
    model_exchange_current_A_per_m2,
    rate_test,
)
from hemcell.limetal.parameters import cell_parameters, load_anode_set
from hemcell.workflows.coupling import with_focusing


@pytest.fixture(scope="module")
def coated_cell():
    pset = load_anode_set("coated")
    return build_half_cell(cell_parameters(pset, "coated"), pset)


def test_lfp_mass_and_thickness_from_the_loading(coated_cell):
    g, p = coated_cell.geometry, coated_cell.params
    # 1C = 170 mA/g and c_max = 22806 mol/m3 give rho = c_max F / (170 mAh/g) = 3.595 g/cm3
    assert g.density_kg_per_m3 == pytest.approx(22806 * 96485.33212 / (170 * 3.6 * 1e3),
                                                rel=1e-9)
    assert g.thickness_m == pytest.approx(0.04 / (g.density_kg_per_m3 * 0.374), rel=1e-9)
    # 170 mA/g x 4 mg/cm2 x 1.131 cm2 = 0.769 mA
    assert g.current_1c_A == pytest.approx(0.170 * 4.0e-3 * p.cathode_area_m2 * 1e4, rel=1e-9)


def test_low_rate_capacity_approaches_the_theoretical_window(coated_cell):
    # from x0 to the 2.5 V cut-off of the OCP (x ~ 0.9996) at C/50
    x0 = 0.02
    r = rate_test(coated_cell, [0.02], x0=x0)
    assert r.capacity_mAh_per_g[0] == pytest.approx((0.9996 - x0) * 170.0, rel=0.01)
    # and the calibrated state with the paper's 0.1C value (calibrated, within 1 %)
    r = rate_test(coated_cell, [0.1])
    assert r.capacity_mAh_per_g[0] == pytest.approx(152.8, rel=0.01)


def test_film_resistance_shifts_the_voltage_by_exactly_i_h_over_kappa(coated_cell):
    import pybamm  # noqa: F401

    cell, p = coated_cell, coated_cell.params
    current = cell.geometry.current_1c_A
    base = cell.solve(cell.inputs(contact_ohm=0.0), 1800.0, "test")
    film = cell.solve(cell.inputs(), 1800.0, "test")  # nominal: the 28 nm film
    i_li = current / p.li_electrode_area_m2
    shift = i_li * 28e-9 / 1e-3
    t = np.linspace(10.0, 1700.0, 20)
    v0, v1 = base["Voltage [V]"](t), film["Voltage [V]"](t)
    np.testing.assert_allclose(v0 - v1, shift, rtol=1e-6, atol=1e-9)


def test_charge_conservation_in_the_lfp_electrode(coated_cell):
    sol = coated_cell.solve(coated_cell.inputs(), 1800.0, "test")
    q_C = sol["Discharge capacity [A.h]"].entries[-1] * 3600.0
    n_li = sol["Total lithium in positive electrode [mol]"].entries
    assert (n_li[-1] - n_li[0]) * 96485.33212 == pytest.approx(q_C, rel=1e-4)
    t = sol.t
    assert q_C == pytest.approx(coated_cell.geometry.current_1c_A * (t[-1] - t[0]), rel=1e-9)


def test_focusing_raises_losses_not_the_cell_averaged_kinetics(coated_cell):
    """The DFN's Li exchange current is the measured-resistance i0 on the cathode area,
    i0 A_Li/A_c, whatever the focusing factor (focusing is in the measurement); the
    focused current raises only the Li loss."""
    p = coated_cell.params
    pf = with_focusing(p, 5.0)
    assert model_exchange_current_A_per_m2(pf) == model_exchange_current_A_per_m2(p)
    assert model_exchange_current_A_per_m2(p) == pytest.approx(
        p.exchange_current_ref_A_per_m2 * p.li_electrode_area_m2 / p.cathode_area_m2,
        rel=1e-12)
    i_li = coated_cell.geometry.current_1c_A / p.li_electrode_area_m2
    assert li_loss_per_cycle(pf, i_li) > li_loss_per_cycle(p, i_li)
    # a slower Li interface (the old i0/f) would cost capacity at 4C
    plain = rate_test(coated_cell, [4.0]).capacity_mAh_per_g[0]
    slow = rate_test(coated_cell, [4.0], i0_li=model_exchange_current_A_per_m2(p) / 5.0)
    assert slow.capacity_mAh_per_g[0] < plain
    with pytest.raises(InputError):
        with_focusing(p, 0.9)


def test_rate_capability_decreases_with_rate_and_rejects_bad_rates(coated_cell):
    r = rate_test(coated_cell, [0.5, 2.0, 4.0])
    assert r.capacity_mAh_per_g[0] > r.capacity_mAh_per_g[1] > r.capacity_mAh_per_g[2]
    with pytest.raises(InputError):
        rate_test(coated_cell, [0.0])


def test_short_cycling_same_code_path(coated_cell):
    rec = run_cycling(coated_cell, 4, c_rate=1.0, stride=1)
    s = cycling_summary(rec)
    assert s["cycles"] == 4
    assert 0 < s["mean_coulombic_efficiency"] <= 1 + 1e-6
    lam = li_loss_per_cycle(coated_cell.params,
                            coated_cell.geometry.current_1c_A
                            / coated_cell.params.li_electrode_area_m2)
    assert s["mean_li_coulombic_efficiency"] == pytest.approx(1 - lam, rel=1e-12)
    # the layer only grows; the capacity cannot grow with it
    assert all(b >= a for a, b in zip(rec.layer_resistance_ohm_cm2,
                                     rec.layer_resistance_ohm_cm2[1:], strict=False))
    assert rec.discharge_mAh_per_g[-1] <= rec.discharge_mAh_per_g[0] + 1e-6
    # a much faster-growing layer fades the cell
    import dataclasses

    fast = dataclasses.replace(coated_cell.params, loss_coefficient_per_V=30.0,
                               layer_bruggeman=12.0)
    saved = coated_cell.params
    try:
        coated_cell.params = fast
        rec_fast = run_cycling(coated_cell, 4, stride=1)
    finally:
        coated_cell.params = saved
    assert rec_fast.discharge_mAh_per_g[-1] < rec.discharge_mAh_per_g[-1]
