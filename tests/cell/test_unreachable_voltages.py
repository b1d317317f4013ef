"""A cut-off or hold voltage beyond the model's own voltage events is refused
(:func:`hemcell.cell.protocols.check_voltages_reachable`): inside an experiment PyBaMM moves
them 1 V outside the cell's cut-offs, and ``Charge ... until 4.9 V`` of a HEM half cell
(upper cut-off 3 V) had stopped at 4.0 V with a warning, exit 0."""

from __future__ import annotations

import numpy as np
import pytest

from hemcell.errors import InputError
from hemcell.workflows.anode import prepare_cell, run_cell

SET = "heo_rocksalt_mgconicuzn"
DISCHARGE = "Discharge at 1 A/g until 0.01 V"


@pytest.mark.parametrize("step", ["Charge at 1 A/g until 4.9 V", "Hold at 4.5 V for 1 minute",
                                  "Charge at 1 A/g until 4 V"])
def test_a_voltage_past_the_event_is_refused(step):
    with pytest.raises(InputError, match="voltages between 0 and 4 V") as err:
        prepare_cell("hem_half_cell_sp", SET, f"{DISCHARGE}; {step}")
    assert f"got '{step}'" in str(err.value)


def test_the_bound_follows_the_cut_off_set():
    prepare_cell("hem_half_cell_sp", SET, f"{DISCHARGE}; Charge at 1 A/g until 4.9 V",
                 overrides=["upper_voltage_cutoff=4.5 V"])


def test_a_voltage_between_cut_off_and_event_is_reached():
    # 3.9 V lies above the set's 3 V cut-off but below the event at 4 V: run to it
    run = run_cell("hem_half_cell_sp", SET, f"{DISCHARGE}; Charge at 1 A/g until 3.9 V")
    assert run.error is None
    assert float(np.max(run.solution["Voltage [V]"].entries)) == pytest.approx(3.9, abs=1e-3)
