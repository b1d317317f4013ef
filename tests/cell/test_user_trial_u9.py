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


@pytest.mark.parametrize("params", ["heo_rocksalt_mgconicuzn", "phasefield_li",
                                    "cathode_he_nvpf"])
def test_pybamm_cc_discharge_refuses_a_set_without_a_li_lfp_cell(params):
    """`hemcell pybamm cc-discharge --params heo_rocksalt_mgconicuzn` exited 1 with
    PyBaMM's "Events ['Maximum voltage [V]'] are non-positive"; phasefield_li and a
    cathode set with "unexpected KeyError: ... Maximum concentration in positive
    electrode"."""
    from hemcell.workflows.cc_discharge import Setup, discharge

    with pytest.raises(InputError) as exc:
        discharge(Setup(params=params), 1.0)
    assert exc.value.field == "--params" and "bare_li" in exc.value.allowed


def test_pybamm_cc_discharge_names_the_missing_li_exchange_current_of_the_coated_set():
    """`--params azcnf_coated_li` exited 1 with "unexpected KeyError: Exchange-current
    density for lithium metal electrode"; with the value given it runs."""
    from hemcell.workflows.cc_discharge import Setup, base_values, discharge

    with pytest.raises(InputError) as exc:
        discharge(Setup(params="azcnf_coated_li"), 1.0)
    assert exc.value.field == "--params" and "li_exchange_current_density" in exc.value.hint
    pv = base_values(Setup(params="azcnf_coated_li",
                           overrides=("li_exchange_current_density=103.4A/m**2",)))
    assert pv["Exchange-current density for lithium metal electrode [A.m-2]"] == 103.4


@pytest.mark.parametrize("c_rate", [float("inf"), float("nan"), 0.0])
def test_pybamm_cc_discharge_refuses_a_c_rate_that_is_not_finite_and_positive(c_rate):
    """`--c-rate inf` exited 1 with "PyBaMM failed: t_eval must have at least 2 entries"."""
    from hemcell.workflows.cc_discharge import Setup, discharge

    with pytest.raises(InputError) as exc:
        discharge(Setup(), c_rate)
    assert exc.value.field == "--c-rate" and "finite" in exc.value.allowed
