"""A cell run reads each observed variable once over the whole solution, and its summary
and ``timeseries.csv`` equal those of reading every variable step by step."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from hemcell.cell import analysis
from hemcell.workflows.anode import run_cell, summarize

PARAMS = "heo_rocksalt_mgconicuzn"
#: Two short cycles (four steps) of the single-particle recipe.
PROTOCOL = "Discharge at 1 A/g until 0.01 V; Charge at 1 A/g until 3 V"


@pytest.fixture(scope="module")
def run():
    return run_cell("hem_half_cell_sp", PARAMS, PROTOCOL, cycles=2)


def _step_by_step(solution, mechanisms):
    """The step data as every variable read on every step solution (the reference)."""
    steps = analysis.solved_steps(solution)
    names = analysis.observed_variables(mechanisms, steps[-1].all_models[-1].variables)
    out = []
    for i, st in enumerate(steps):
        d = {c: analysis._entries(st, n) for c, n in names.items()}
        dq = d["capacity_mAh_per_g"][-1] - d["capacity_mAh_per_g"][0]
        kind = "lithiation" if dq > 1e-6 else "delithiation" if dq < -1e-6 else "rest"
        out.append(analysis.StepData(i, f"step {i}", kind, d))
    return out


def _close(a, b, rel=1e-10):
    """Equal JSON-like values, numbers to ``rel`` relative."""
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_close(a[k], b[k], rel) for k in a)
    if isinstance(a, list | tuple):
        return len(a) == len(b) and all(_close(x, y, rel) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=rel, abs_tol=0.0) or a == b
    return a == b


def test_each_variable_is_read_once(run, monkeypatch):
    """One read per observed variable over the whole run, not one per step."""
    mechs = list(run.recipe.mechanisms)
    reads = []
    entries = analysis._entries
    monkeypatch.setattr(analysis, "_entries",
                        lambda sol, name: reads.append(name) or entries(sol, name))
    steps = analysis.step_data(run.solution, mechs)
    names = analysis.observed_variables(mechs, run.solution.all_models[-1].variables)
    assert len(steps) == 4
    assert sorted(reads) == sorted(names.values())


def test_summary_and_timeseries_equal_step_by_step(run):
    mechs = list(run.recipe.mechanisms)
    summary, steps, cycles = summarize(run)
    ref_steps = _step_by_step(run.solution, mechs)
    ref_cycles = analysis.split_cycles(ref_steps)
    assert [s.kind for s in steps] == [s.kind for s in ref_steps]
    ref = {
        "n_cycles": len(ref_cycles),
        **analysis.cycle_summary(ref_cycles, mechs, cell=run.recipe.cell),
        "charge_balance_relative_error": analysis.charge_balance_error(ref_steps, mechs),
        **analysis.dqdv_peak_summary(ref_cycles),
    }
    # as written to summary.json
    got = json.loads(json.dumps({k: summary[k] for k in ref}))
    assert _close(got, json.loads(json.dumps(ref)))
    cols, table = analysis.timeseries_table(steps, cycles, mechs)
    ref_cols, ref_table = analysis.timeseries_table(ref_steps, ref_cycles, mechs)
    assert cols == ref_cols
    np.testing.assert_array_equal(table, ref_table)
    assert summary["n_cycles"] == 2 and table.shape[0] == len(run.solution.t)


def test_summary_only_reads_fewer_variables_and_gives_the_same_summary(run):
    """The sweep fast path's summary (no time series): the same summary without reading
    the currents, time and temperature."""
    mechs = list(run.recipe.mechanisms)
    full, _, _ = summarize(run)
    only, steps, _ = summarize(run, timeseries=False)
    names = analysis.observed_variables(mechs, run.solution.all_models[-1].variables,
                                        timeseries=False)
    assert not any("current" in n for n in names.values()) and "Time [s]" not in names.values()
    assert set(steps[0].data) == set(names)
    assert _close(only, full, rel=0.0)


def test_steps_that_are_not_the_whole_solution_are_read_one_by_one(run):
    """When the steps laid end to end are not the solution's output times (here: only
    the first cycle's steps), each step is read on its own, with the same arrays."""
    mechs = list(run.recipe.mechanisms)
    steps = analysis.solved_steps(run.solution)
    names = analysis.observed_variables(mechs, run.solution.all_models[-1].variables)
    first_cycle = analysis._observe_by_step(run.solution, steps[:2], names)
    whole = analysis.step_data(run.solution, mechs)
    for got, ref in zip(first_cycle, whole[:2], strict=True):
        assert got.keys() == ref.data.keys()
        for c in got:
            np.testing.assert_array_equal(got[c], ref.data[c])
