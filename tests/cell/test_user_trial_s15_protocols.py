"""User trial s15: a slow per-gram current was refused as an unreadable step.

``cell run ... --protocol "Discharge at 1e-6 A/g until 0.01 V"`` exited 2 ("time units
must be 'seconds', 'minutes' or 'hours'"): the duration hemcell adds to a step with a
cut-off, 2 Q/I + 1 h, was written "for 1.86e+06 hours", and PyBaMM reads no exponent
in a duration. (The current itself, 1.5e-08 A, PyBaMM reads.)
"""

from __future__ import annotations

import pybamm
import pytest

from hemcell.cell.protocols import to_amps


@pytest.mark.parametrize("per_gram", [1e-6, 1e-3, 0.1])
def test_the_added_duration_is_twice_the_capacity_time_plus_an_hour(per_gram):
    mass_g, capacity_Ah = 0.015, 0.0139
    step = to_amps(f"Discharge at {per_gram:g} A/g until 0.01 V", mass_g,
                   duration_capacity_Ah=capacity_Ah)
    parsed = pybamm.step.string(step)
    hours = 2 * capacity_Ah / (per_gram * mass_g) + 1
    assert parsed.duration == pytest.approx(hours * 3600, rel=1e-5)
    assert float(parsed.value) == pytest.approx(per_gram * mass_g, rel=1e-9)


def _logs(termination: str) -> dict:
    return {"termination": termination, "step number": (1, 1), "cycle number": (1, 1),
            "step operating conditions": "Discharge at 0.01 W until 0.01 V"}


def test_a_failed_solve_is_not_also_called_an_event(capsys):
    """``Discharge at 0.01 W until 0.01 V`` (P/V grows without bound towards 0.01 V) printed
    "warning: 'failure' ended step 1 of cycle 1 ... before its own cut-off" above hemcell's
    error, which names the failed solve, the step and the time."""
    from hemcell.workflows.anode import ExperimentCallback

    ExperimentCallback().on_experiment_infeasible_event(_logs("failure"))
    assert capsys.readouterr().err == ""
    ExperimentCallback().on_experiment_infeasible_event(
        _logs("event: Zero electrolyte concentration cut-off"))
    assert "'event: Zero electrolyte concentration cut-off' ended step 1 of cycle 1" in \
        capsys.readouterr().err
