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


def test_a_peak_current_that_does_not_grow_with_the_scan_rate_gets_a_b_value_warning():
    """`cell cv --params fes_space_charge --ion Na` printed "anodic -0.055" (R² 0.45)
    as a b-value without a word: the anodic peak current 0.32, 0.36, 0.32, 0.29 A/g at
    0.1-1 mV/s does not follow |i| = a v^b of any process (0.5 diffusion, 1 surface)."""
    from hemcell.workflows.anode_cv import b_value_warnings, power_law_fit

    rates = [0.1, 0.2, 0.5, 1.0]
    falling = [0.3232, 0.3567, 0.3215, 0.2909]
    rising = [0.1 * v**0.5 for v in rates]
    b = {}
    for kind, i in (("anodic", falling), ("cathodic", [-x for x in rising])):
        fit = power_law_fit(rates, i)
        b.update({kind: fit["b"], f"{kind}_r2": fit["r2"]})
    warnings = b_value_warnings(b)
    assert b["cathodic"] == pytest.approx(0.5) and b["anodic"] < 0
    assert len(warnings) == 1 and warnings[0].startswith("anodic b-value -0.0")
    assert "does not grow with the scan rate" in warnings[0] and "R² 0.4" in warnings[0]
    assert b_value_warnings({"cathodic": None, "anodic": None}) == []
