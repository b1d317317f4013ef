"""A full cell's capacities per gram of each electrode's active material and its specific
energy (hemcell.cell.analysis.electrode_active_masses_g, electrode_specific_capacities).

Checks: the active masses ρ ε_s L A by hand from the parameter files (a cathode set's
density, PyBaMM's LFP as c_max M of LiFePO4); the per-gram values by hand for given
numbers; in runs, per gram of cathode × the cathode's mass = the cell's mAh, the mAh cm⁻²
over the cathode's loading = the same per gram, per gram of anode = the HEM summary's own
per-gram capacity, and the specific energy = ∫V I dt of the discharge (the solution's
own, not the summary's mean voltage) over the masses. A half cell gets none of it; the
hard carbon takes its assumed density (hemcell/cell/data/hard_carbon.yaml).
"""

from __future__ import annotations

import numpy as np
import pytest

pybamm = pytest.importorskip("pybamm")

from hemcell.cell.analysis import (  # noqa: E402
    electrode_active_masses_g,
    electrode_specific_capacities,
)

NVPF = "cathode_he_nvpf"


def test_specific_values_by_hand():
    """Q = 3 / 2.4 mAh, V̄ = 3.2 V, m_c = 0.02 g, m_a = 0.005 g: 150 / 120 mAh g⁻¹ of
    cathode, 600 / 480 of anode, 3 × 3.2 / 0.02 = 480 Wh kg⁻¹ of cathode, 384 of both; a
    cycle without a discharge has no energy; a missing mass gives None."""
    cyc = {"discharge_capacity_mAh": [3.0, 0.0], "charge_capacity_mAh": [2.4, 1.0],
           "mean_discharge_voltage_V": [3.2, None]}
    out = electrode_specific_capacities(cyc, {"cathode": 0.02, "anode": 0.005})
    assert out["discharge_capacity_mAh_per_g_cathode"] == pytest.approx([150.0, 0.0])
    assert out["charge_capacity_mAh_per_g_cathode"] == pytest.approx([120.0, 50.0])
    assert out["discharge_capacity_mAh_per_g_anode"] == pytest.approx([600.0, 0.0])
    assert out["charge_capacity_mAh_per_g_anode"] == pytest.approx([480.0, 200.0])
    assert out["discharge_energy_Wh_per_kg_cathode"] == [pytest.approx(480.0), None]
    assert out["discharge_energy_Wh_per_kg_electrodes"] == [pytest.approx(384.0), None]
    half = electrode_specific_capacities(cyc, {"cathode": 0.02, "anode": None})
    assert half["discharge_capacity_mAh_per_g_anode"] == [None, None]
    assert half["discharge_energy_Wh_per_kg_electrodes"] == [None, None]
    assert half["discharge_energy_Wh_per_kg_cathode"][0] == pytest.approx(480.0)


def _hem_full_values(cathode: str):
    from hemcell.cell.carriers import apply_carrier_ion
    from hemcell.cell.full_cell import HEMFullCell
    from hemcell.cell.options import model_options
    from hemcell.cell.parameters import inventory_from_si
    from hemcell.params import load_parameter_set

    si = apply_carrier_ion(dict(load_parameter_set("heo_rocksalt_mgconicuzn").si), None)
    inv = inventory_from_si(si)
    model = HEMFullCell(model_options(["intercalation", "conversion"], inv, cathode=cathode))
    return model.parameter_values_for(si)


def test_cathode_set_mass_by_hand():
    """HEM ‖ HE-NVPF: m_c = ρ ε_s L A from parameters/cathode_he_nvpf.yaml and the area of
    Chayambuka2022 (the Na cell); m_a = the anode's ρ ε_s L A (the HEM's active mass)."""
    from hemcell.cell.capacity import active_mass_g
    from hemcell.params import load_parameter_set

    pv = _hem_full_values(NVPF)
    si = load_parameter_set(NVPF).si
    ref = pybamm.ParameterValues("Chayambuka2022")
    by_hand = (si["cathode_active_material_density"]
               * si["cathode_active_material_volume_fraction"] * si["cathode_thickness"]
               * ref["Electrode width [m]"] * ref["Electrode height [m]"] * 1000)
    masses = electrode_active_masses_g(pv)
    assert masses["cathode"] == pytest.approx(by_hand, rel=1e-12)
    assert masses["anode"] == pytest.approx(active_mass_g(pv, "full"), rel=1e-12)


def test_lfp_mass_by_hand():
    """PyBaMM's LFP (Prada2013 gives no density): c_max × M(LiFePO4) = 22 806 mol m⁻³ ×
    157.757 g mol⁻¹ = 3.598 g cm⁻³ (olivine's crystallographic 3.60), times ε_s L A."""
    pv = _hem_full_values("LFP")
    ref = pybamm.ParameterValues("Prada2013")
    m_lifepo4 = (6.94 + 55.845 + 30.973762 + 4 * 15.999) / 1000  # kg/mol, by hand
    rho = ref["Maximum concentration in positive electrode [mol.m-3]"] * m_lifepo4
    assert rho == pytest.approx(3598, rel=1e-3)
    by_hand = (rho * ref["Positive electrode active material volume fraction"]
               * ref["Positive electrode thickness [m]"] * ref["Electrode width [m]"]
               * ref["Electrode height [m]"] * 1000)
    assert electrode_active_masses_g(pv)["cathode"] == pytest.approx(by_hand, rel=1e-4)


def _discharge_energy_mWh(steps) -> float:
    """∫V I dt over the steps that discharge the cell (I > 0) [mWh]."""
    total = 0.0
    for st in steps:
        i, v, t = (np.asarray(st[n].entries) for n in ("Current [A]", "Voltage [V]", "Time [s]"))
        if np.trapezoid(i, t) > 0:
            total += float(np.trapezoid(v * i, t)) / 3.6
    return total


def test_hem_full_cell_summary():
    """HEM ‖ LFP, C/2 charge and discharge: per gram of cathode × m_c = mAh; mAh cm⁻² /
    loading = per gram of cathode; per gram of anode = the summary's per-gram capacity;
    specific energy = ∫V I dt / m to 1e-3 (trapezoids of the same output points)."""
    from hemcell.workflows.anode import build_simulation, prepare_cell, solve_cell, summarize

    setup = prepare_cell("hem_full_cell_lfp", "heo_rocksalt_mgconicuzn",
                         "Charge at C/2 until 3.6 V; Discharge at C/2 until 2.5 V",
                         mechanisms=["intercalation", "conversion"])
    sim = build_simulation(setup.recipe, setup.parameter_values, setup.inventory,
                           setup.experiment)
    run = solve_cell(setup, sim)
    assert run.error is None, run.error
    s, _, _ = summarize(run, timeseries=False)
    m_c, m_a = s["cathode_active_mass_g"], s["anode_active_mass_g"]
    assert m_a == pytest.approx(s["active_mass_g"], rel=1e-12)
    loading_mg_per_cm2 = m_c * 1000 / s["electrode_area_cm2"]
    for kind in ("discharge", "charge"):
        per_c = s[f"{kind}_capacity_mAh_per_g_cathode"][0]
        assert per_c > 0
        assert per_c * m_c == pytest.approx(s[f"{kind}_capacity_mAh"][0], rel=1e-12)
        assert s[f"{kind}_capacity_mAh_per_cm2"][0] / loading_mg_per_cm2 * 1000 == \
            pytest.approx(per_c, rel=1e-12)
        assert s[f"{kind}_capacity_mAh_per_g_anode"][0] == pytest.approx(
            s[f"{kind}_capacity_mAh_per_g"][0], rel=1e-12)
    energy = _discharge_energy_mWh(run.solution.cycles[0].steps)
    assert s["discharge_energy_Wh_per_kg_cathode"][0] == pytest.approx(energy / m_c, rel=1e-3)
    assert s["discharge_energy_Wh_per_kg_electrodes"][0] == pytest.approx(
        energy / (m_c + m_a), rel=1e-3)


def test_hard_carbon_full_cell_and_half_cell_summaries():
    """Hard carbon ‖ HE-NVPF: per gram of cathode = the summary's per-gram capacity (its
    cathode's); the hard carbon's mass = 1.5 g cm⁻³ (hemcell/cell/data/hard_carbon.yaml)
    × ε_n L_n A of the run; specific energies = ∫V I dt / m. The NVPF half cell has none
    of the keys (it is per gram of its one electrode)."""
    from hemcell.workflows.cathode_half_cell import run_cell, summarize

    run = run_cell("hc_full_cell_na_nvpf", NVPF,
                   "Charge at C/2 until 4.3 V; Discharge at C/2 until 2.0 V")
    assert run.error is None, run.error
    s = summarize(run)
    pv = run.parameter_values
    assert s["cathode_active_mass_g"] == pytest.approx(s["active_mass_g"], rel=1e-12)
    m_a = (1500 * pv["Negative electrode active material volume fraction"]
           * pv["Negative electrode thickness [m]"] * pv["Electrode width [m]"]
           * pv["Electrode height [m]"] * 1000)
    assert s["anode_active_mass_g"] == pytest.approx(m_a, rel=1e-12)
    assert s["discharge_capacity_mAh_per_g_cathode"] == pytest.approx(
        s["discharge_capacity_mAh_per_g"], rel=1e-12)
    assert s["discharge_capacity_mAh_per_g_anode"][0] == pytest.approx(
        s["discharge_capacity_mAh"][0] / m_a, rel=1e-12)
    energy = _discharge_energy_mWh([st for c in run.solution.cycles for st in c.steps])
    assert s["discharge_energy_Wh_per_kg_cathode"][0] == pytest.approx(
        energy / s["cathode_active_mass_g"], rel=1e-3)
    assert s["discharge_energy_Wh_per_kg_electrodes"][0] == pytest.approx(
        energy / (s["cathode_active_mass_g"] + m_a), rel=1e-3)
    half = summarize(run_cell("cathode_half_cell_sp", NVPF, "Charge at 1C until 4.3 V"))
    assert "cathode_active_mass_g" not in half
