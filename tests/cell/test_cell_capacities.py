"""The summary's cell-level capacities (mAh and mAh cm⁻²) are the charge the cell passed:
the specific capacity times the active mass equals PyBaMM's own discharge capacity
[A.h] over the step, and the areal one divides it by the electrode width × height."""

from __future__ import annotations

import numpy as np
import pytest

from hemcell.workflows.anode import build_simulation, prepare_cell, solve_cell, summarize


@pytest.mark.parametrize("recipe,protocol", [
    ("hem_half_cell_sp", "Discharge at 0.5 A/g until 0.3 V; Charge at 0.5 A/g until 2 V"),
    ("hem_full_cell_lfp", "Charge at 1C until 3.6 V; Discharge at 1C until 2.5 V"),
])
def test_cell_capacities_are_the_charge_passed(recipe, protocol):
    setup = prepare_cell(recipe, "heo_rocksalt_mgconicuzn", protocol)
    sim = build_simulation(setup.recipe, setup.parameter_values, setup.inventory,
                           setup.experiment)
    run = solve_cell(setup, sim)
    s, _, _ = summarize(run, timeseries=False)
    pv = run.parameter_values
    area_cm2 = float(pv["Electrode width [m]"]) * float(pv["Electrode height [m]"]) * 1e4
    assert s["electrode_area_cm2"] == pytest.approx(area_cm2, rel=1e-12)
    steps = run.solution.cycles[0].steps
    passed_mAh = [abs(np.ptp(st["Discharge capacity [A.h]"].entries)) * 1e3 for st in steps]
    # the anode's lithiation: a half cell's discharge, a full cell's charge
    first, second = (("discharge", "charge") if recipe.startswith("hem_half")
                     else ("charge", "discharge"))
    assert s[f"{first}_capacity_mAh"][0] == pytest.approx(passed_mAh[0], rel=1e-6)
    assert s[f"{second}_capacity_mAh"][0] == pytest.approx(passed_mAh[1], rel=1e-6)
    for kind in ("discharge", "charge"):
        assert s[f"{kind}_capacity_mAh_per_cm2"][0] == pytest.approx(
            s[f"{kind}_capacity_mAh"][0] / area_cm2, rel=1e-12)


def test_a_cathode_half_cell_reports_them_too():
    """The cathode half cell's summary (its own writer) carries the same keys: mAh is the
    specific capacity times the cathode's active mass, as PyBaMM's discharge capacity."""
    from hemcell.workflows.cathode_half_cell import run_cell as run_cathode_cell
    from hemcell.workflows.cathode_half_cell import summarize as summarize_cathode

    run = run_cathode_cell("cathode_half_cell_sp", "cathode_hepba_femnnicuco",
                           "Charge at 1C until 4 V")
    s = summarize_cathode(run)
    passed = abs(np.ptp(run.solution["Discharge capacity [A.h]"].entries)) * 1e3
    assert s["charge_capacity_mAh"][0] == pytest.approx(passed, rel=1e-6)
    assert s["charge_capacity_mAh_per_cm2"][0] == pytest.approx(
        s["charge_capacity_mAh"][0] / s["electrode_area_cm2"], rel=1e-12)
