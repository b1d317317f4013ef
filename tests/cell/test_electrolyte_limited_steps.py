"""Steps that the electrolyte ends: a P2D half cell reports a step that reached its
voltage cut-off with most of its voltage change across the electrolyte
(:func:`hemcell.cell.electrolytes.polarisation_report`).

Found as a user: the rock-salt HEO at 1C and 263.15 K (P2D) gave 1.6 mAh/g against 769 at
298.15 K without a word. The salt that the Li metal releases piles up in the separator,
where the Valøen & Reimers conductivity falls (0.55 S/m at 1 M, 0.069 at 2.6 M, 263 K) and
the cut-off was reached after 6 s with 1.6 V of the 1.95 V across the electrolyte.
"""

from __future__ import annotations

import numpy as np
import pytest

from hemcell.cell.electrolytes import (
    ELECTROLYTE_LIMITED_SHARE,
    _transport_at,
    electrolyte_potential_drop_V,
    separator_resistance_ohm,
)
from hemcell.workflows.anode import run_cell, summarize

RECIPE, SET = "hem_half_cell_p2d", "heo_rocksalt_mgconicuzn"


def test_the_drop_starts_as_ohms_law_across_separator_and_pores():
    """Before a concentration gradient forms (the first 10 ms of 1C), the electrolyte's
    drop is ohmic: at least I R_sep (the separator, κ ε^b) and at most I (R_sep + R_pore)
    (the pores' L/(κ ε^b A) if the whole current crossed the electrode), with the sign of
    the current (positive on lithiation, negative on delithiation)."""
    for direction, sign in (("Discharge", 1.0), ("Charge", -1.0)):
        run = run_cell(RECIPE, SET, f"{direction} at 1C for 0.01 seconds")
        pv = run.parameter_values
        step = run.solution.cycles[0].steps[0]
        current_A = abs(float(step["Current [A]"].entries[-1]))
        drop = electrolyte_potential_drop_V(step)[-1]
        r_sep = separator_resistance_ohm(pv)
        kappa = _transport_at(pv["Electrolyte conductivity [S.m-1]"],
                              float(pv["Initial concentration in electrolyte [mol.m-3]"]),
                              float(pv["Ambient temperature [K]"]))
        area = float(pv["Electrode width [m]"]) * float(pv["Electrode height [m]"])
        r_pore = float(pv["Positive electrode thickness [m]"]) / (
            kappa * float(pv["Positive electrode porosity"])
            ** float(pv["Positive electrode Bruggeman coefficient (electrolyte)"]) * area)
        assert np.sign(drop) == sign
        assert current_A * r_sep <= abs(drop) <= current_A * (r_sep + r_pore)


def test_a_cold_fast_lithiation_is_reported_as_ended_by_the_electrolyte():
    """1C at 263.15 K: the step ends within seconds with most of its change across the
    electrolyte, and the summary says so (key and warning); at 298.15 K the same step
    stores 769 mAh/g and is not reported."""
    cold = run_cell(RECIPE, SET, "Discharge at 1C until 0.01 V",
                    overrides=["ambient_temperature=263.15K"])
    s, _, _ = summarize(cold)
    (limited,) = s["electrolyte_limited_steps"]
    assert limited["step"] == 1
    assert limited["electrolyte_drop_V"] > ELECTROLYTE_LIMITED_SHARE * limited[
        "voltage_change_V"]
    assert limited["time_s"] < 60
    assert limited["c_e_max_mol_per_m3"] > 2000  # the salt at the metal, from 1000
    assert any("not the anode, ended it" in w for w in s["warnings"])

    warm = run_cell(RECIPE, SET, "Discharge at 1C until 0.01 V")
    s, _, _ = summarize(warm)
    assert "electrolyte_limited_steps" not in s
    assert not any("not the anode" in w for w in s.get("warnings", []))
    assert s["discharge_capacity_mAh_per_g"][0] == pytest.approx(769, rel=0.01)


def test_steps_are_numbered_over_the_run_as_in_the_time_series():
    """Two repetitions of a cold 1C lithiation and a rest: both lithiations are reported,
    as steps 1 and 3 (the numbering of timeseries.csv's step column), at their own
    times."""
    from hemcell.cell import analysis

    run = run_cell(RECIPE, SET, "Discharge at 1C until 0.01 V; Rest for 1 minute", cycles=2,
                   overrides=["ambient_temperature=263.15K"])
    s, steps, cycles = summarize(run)
    limited = s["electrolyte_limited_steps"]
    assert [x["step"] for x in limited] == [1, 3]
    cols, table = analysis.timeseries_table(steps, cycles, run.recipe.mechanisms)
    t, step = table[:, cols.index("time_s")], table[:, cols.index("step")]
    for x in limited:
        assert step[np.argmin(abs(t - x["time_s"]))] == x["step"]


def test_a_single_particle_run_has_no_electrolyte_to_report():
    run = run_cell("hem_half_cell_sp", SET, "Discharge at 1C until 0.01 V",
                   overrides=["ambient_temperature=263.15K"])
    s, _, _ = summarize(run)
    assert "electrolyte_limited_steps" not in s
