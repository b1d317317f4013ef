"""User trial U9 of `hemcell cell run`: protocol steps that cannot end as written."""

from __future__ import annotations

import pytest

from hemcell.errors import InputError


@pytest.mark.parametrize("step", ["Discharge at 0.1 V until 0.01 V",
                                  "Hold at 0.01 V until 0.5 V"])
def test_a_voltage_cut_off_on_a_voltage_step_is_refused(step):
    """A voltage step holds the voltage, so its "until ... V" can never be met:
    "Discharge at 0.1 V until 0.01 V" (a typo for 0.1 A/g) held 0.1 V for PyBaMM's
    default day and exited 0 with the capacity of a full discharge."""
    from hemcell.cell.protocols import build_experiment

    with pytest.raises(InputError) as exc:
        build_experiment(step, mass_g=0.015, nominal_capacity_Ah=0.014)
    assert exc.value.value == step
    assert "current" in exc.value.allowed and "for 1 hour" in exc.value.allowed


@pytest.mark.parametrize("step", ["Hold at 0.01 V until 10 mA/g",
                                  "Hold at 3 V for 10 minutes",
                                  "Discharge at 0.1 A/g until 0.01 V"])
def test_steps_that_end_as_written_still_run(step):
    from hemcell.cell.protocols import build_experiment

    experiment, steps = build_experiment(step, mass_g=0.015, nominal_capacity_Ah=0.014)
    assert len(steps) == 1 and len(experiment.steps) == 1
