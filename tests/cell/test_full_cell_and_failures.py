"""Full cells (HEM anode vs LFP / NMC811) and solver/protocol failures."""

from __future__ import annotations

import json

import pytest

from hemcell.errors import SimulationError

PARAMS = "heo_rocksalt_mgconicuzn"


@pytest.mark.parametrize(
    ("recipe", "v_max"), [("hem_full_cell_lfp", 3.6), ("hem_full_cell_nmc811", 4.2)]
)
def test_full_cell_cycle(recipe, v_max):
    from hemcell.workflows.anode import run_cell, summarize

    prot = f"Charge at C/5 until {v_max} V; Rest for 10 minutes; Discharge at C/5 until 1.0 V"
    run = run_cell(recipe, PARAMS, prot)
    summary, _, _ = summarize(run)
    assert run.error is None
    assert summary["cell"] == "full"
    assert summary["charge_balance_relative_error"] <= 1e-3
    # the cell's charge lithiates the anode: the mechanism split adds up to it
    by = summary["capacity_by_mechanism_mAh_per_g"][0]
    assert sum(by.values()) == pytest.approx(summary["charge_capacity_mAh_per_g"][0], rel=1e-3)
    # first-cycle loss (SEI + metal that is not re-oxidised) shows up as CE < 1
    assert 0.2 < summary["coulombic_efficiency"][0] < 0.9
    # the HEM anode's high working potential lowers the full-cell voltage (seed 000 L816-819)
    assert summary["mean_discharge_voltage_V"][0] < v_max - 1.0


def test_infeasible_step_keeps_finished_cycles(tmp_path):
    from hemcell.workflows.anode import run_cell, write_outputs

    prot = (
        "Discharge at 0.2 A/g until 0.01 V; Charge at 0.2 A/g until 3 V; "
        "Discharge at 300 A/g until 0.01 V"  # its drops pass the cut-off at its start
    )
    run = run_cell("hem_half_cell_sp", PARAMS, prot)
    assert isinstance(run.error, SimulationError)
    assert run.error.step == "Discharge at 300 A/g until 0.01 V"
    assert run.error.time_s > 0
    with pytest.raises(SimulationError):
        write_outputs(run, tmp_path)
    s = json.loads((tmp_path / "summary.json").read_text())
    assert s["completed"] is False
    assert len(s["discharge_capacity_mAh_per_g"]) == 1
    assert s["charge_capacity_mAh_per_g"][0] > 0
    assert (tmp_path / "timeseries.csv").is_file()
