"""The ``cell run`` sweep fast path (one built model) against ``cell run`` itself.

``cell run`` builds and discretises the HEM anode model per point; the fast path builds
it once with the differing values as PyBaMM inputs (particle radius on a symbolic
particle mesh, a conversion rate constant, the protocol's step currents). Both solve
with IDAKLU at the recipe's rtol 1e-6 / atol 1e-8; inputs instead of constants change
the expression graph and so the solver's steps, which moves the results by up to
~2e-5 relative (measured). The comparison uses rtol 1e-4.

Also: ``run_cell``'s solver errors name the step and the time reached (issue item 3).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
import xarray as xr

from hemcell.errors import SimulationError
from hemcell.sweep import parse_spec
from hemcell.sweep.commands import ArgParser
from hemcell.workflows.anode import run_cell, summarize, write_outputs
from hemcell.workflows.anode_sweep import CellRunFastPath

RECIPE, PARAMS = "hem_half_cell_sp", "heo_rocksalt_mgconicuzn"
PROTOCOL = "Discharge at {value} A/g until 0.01 V; Charge at {value} A/g until 3 V"
# Sweep values (test inputs, not model parameters): around the set's 250 nm and
# 1e-3 A/m2, and rates from 0.1 to 2 A/g.
ZIP_SPEC = {
    "command": "cell run", "arguments": [RECIPE], "options": {"--params": PARAMS},
    "parameters": {
        "anode_particle_radius": {"values": ["100 nm", "1000 nm", "250 nm"]},
        "conversion_exchange_current_density": {"values": [1e-3, 3e-3, 3e-4],
                                                "unit": "A/m**2"},
        "specific_current": {"option": "--protocol", "template": PROTOCOL,
                             "values": [0.1, 2.0, 0.5], "unit": "A/g"},
    },
    "combine": "zip",
    "outputs": ["discharge_capacity_mAh_per_g[0]", "charge_capacity_mAh_per_g[0]"],
}
RTOL = 1e-4
#: Voltage grid of the dQ/dV peaks (the default ``dv`` of hemcell.cell.analysis.dqdv).
DQDV_GRID_V = 0.005
NOT_COMPARED = {"solve_time_s", "charge_balance_relative_error"}  # timing; solver noise


def _compared(name: str) -> bool:
    """Every summary entry but timing and solver noise. The lists of *all* dQ/dV peaks
    (``..._dqdv_peaks_V``, ``..._dqdv_peak_widths_V``) are left out: a shoulder whose
    prominence sits at the detection threshold (a fraction of the largest peak,
    hemcell.cell.analysis.dqdv_peaks) comes and goes with solver noise; the main peak's
    voltage and width are compared."""
    return name not in NOT_COMPARED and not name.endswith(
        ("_dqdv_peaks_V", "_dqdv_peak_widths_V"))


def _leaves(value: Any, key: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _leaves(v, f"{key}.{k}")
    elif isinstance(value, list | tuple):
        for i, v in enumerate(value):
            yield from _leaves(v, f"{key}[{i}]")
    else:
        yield key, value


def _assert_same_summary(fast: dict[str, Any], rebuilt: dict[str, Any]) -> None:
    assert fast.keys() == rebuilt.keys()
    for name in filter(_compared, fast.keys()):
        a, b = dict(_leaves(fast[name], name)), dict(_leaves(rebuilt[name], name))
        assert a.keys() == b.keys(), name
        for k, x in a.items():
            if isinstance(x, float | np.floating) and not isinstance(x, bool):
                y = float(b[k])
                # 1e-6 mAh/g, V or emu/g of absolute slack for entries that are ~0; dQ/dV
                # peaks are read on a voltage grid (hemcell.cell.analysis.dqdv): within
                # one grid step, as solver noise can move a maximum to the next point
                if "dqdv" in k:  # at most one grid step apart (a step is 5e-3 V up to
                    # the float rounding of the grid's points: compare in steps)
                    assert round(abs(float(x) - y) / DQDV_GRID_V, 6) <= 1, (k, x, y)
                    continue
                assert math.isclose(float(x), y, rel_tol=RTOL, abs_tol=1e-6), (k, x, y)
            else:
                assert x == b[k], k


def test_fast_sweep_matches_cell_run_rebuilt_per_point(tmp_path):
    """Three points (radius, conversion j0 and current all differ) against ``run_cell``;
    a fourth at an absurd current fails alone, naming its step."""
    from hemcell.sweep import run_sweep

    raw = {**ZIP_SPEC, "parameters": {k: {**a, "values": [*a["values"], a["values"][-1]]}
                                      for k, a in ZIP_SPEC["parameters"].items()}}
    raw["parameters"]["specific_current"]["values"][-1] = 1e4
    spec = parse_spec(raw)
    assert CellRunFastPath(ArgParser("cell run")).unsupported(spec) is None
    report = run_sweep(spec, tmp_path / "out", workers=1, progress=False)
    assert (report.path, report.computed, report.failed) == ("fast", 4, 1)
    records = [json.loads((tmp_path / "out" / "points" / f"{p.id}.json").read_text())
               for p in spec.points]
    for point, record in zip(spec.points[:3], records[:3], strict=True):
        assert record["status"] == "ok", record["error"]
        v = point.values
        run = run_cell(RECIPE, PARAMS, PROTOCOL.format(value=v["specific_current"]),
                       overrides=[f"anode_particle_radius={v['anode_particle_radius']} nm",
                                  "conversion_exchange_current_density="
                                  f"{v['conversion_exchange_current_density']} A/m**2"])
        assert run.error is None
        rebuilt, _, _ = summarize(run)
        _assert_same_summary(record["summary"], json.loads(json.dumps(rebuilt)))
    # the swept values matter: 1000 nm at 2 A/g stores far less than 100 nm at 0.1 A/g
    q = [r["summary"]["discharge_capacity_mAh_per_g"][0] for r in records[:2]]
    assert q[1] < 0.5 * q[0]
    assert records[3]["status"] == "failed"
    assert "Discharge at 10000.0 A/g" in records[3]["error"]  # refused as input: its ohmic
    assert "across the separator's electrolyte alone" in records[3]["error"]  # drop alone
    with xr.open_dataset(report.results) as ds:
        assert ds["status"].values.tolist() == [1, 1, 1, 0]


def _spec_with(axis: dict[str, Any]) -> dict[str, Any]:
    return {**ZIP_SPEC, "combine": "grid", "parameters": {
        **axis, "specific_current": {"option": "--protocol", "template": PROTOCOL,
                                     "values": [0.5], "unit": "A/g"}}}


@pytest.mark.parametrize(("axis", "named"), [
    ({"mechanisms": {"option": "--mechanisms",
                     "values": ["intercalation,conversion", "intercalation"]}}, "recipe"),
    ({"intercalation_exchange_current_density": {"values": [0.1, 0.3], "unit": "A/m**2"}},
     "function-valued parameter 'Positive electrode exchange-current density [A.m-2]'"),
    ({"anode_thickness": {"values": ["20 um", "40 um"]}},
     "mesh parameter 'Positive electrode thickness [m]'"),
    ({"ambient_temperature": {"values": ["0 degC", "45 degC"]}},
     "temperature 'Ambient temperature [K]'"),
])
def test_a_structure_change_is_a_model_of_its_own_named_in_the_note(axis, named):
    """Each value that changes the model's structure gets its own model in the same
    process (they used to send the whole sweep to one process per point)."""
    fast = CellRunFastPath(ArgParser("cell run"))
    spec = parse_spec(_spec_with(axis))
    assert fast.unsupported(spec) is None
    note = fast.note(spec)
    assert note.startswith("fast path: 2 models for the 2 points, one per value of "), note
    assert named in note and next(iter(axis)) in note  # the cause and the swept quantity
    assert [len(g) for g in fast.groups(spec, spec.points)] == [1, 1]


def test_a_refused_first_probe_does_not_split_the_models():
    """The temperature axis's probes all run at the first current, which every
    temperature refuses: the next current at each temperature stands in for them (they
    counted as one class with the refused one, and the plan said 4 models for 2)."""
    spec = parse_spec({**ZIP_SPEC, "combine": "grid", "parameters": {
        "specific_current": {"option": "--protocol", "template": SHORT, "unit": "A/g",
                             "values": [REFUSED_A_PER_G, 0.5]},
        "ambient_temperature": {"values": T_DEGC, "unit": "degC"}}})
    fast = CellRunFastPath(ArgParser("cell run"))
    assert fast.note(spec).startswith("fast path: 2 models for the 4 points, one per value "
                                      "of ambient_temperature (ambient_temperature=45.0")
    assert [[p.values["ambient_temperature"] for p in g]
            for g in fast.groups(spec, spec.points)] == [[0.0, 0.0], [45.0, 45.0]]


def test_the_sweep_hands_over_the_points_model_by_model():
    """Chunks never mix models, whatever the order of the spec's points (the current
    axis first: the temperatures alternate), so a model's chunks follow each other."""
    from hemcell.sweep.run import _fast_chunks

    spec = parse_spec({**ZIP_SPEC, "combine": "grid", "parameters": {
        "specific_current": {"option": "--protocol", "template": SHORT, "unit": "A/g",
                             "values": [0.2, 0.5, 1.0]},
        "ambient_temperature": {"values": T_DEGC, "unit": "degC"}}})
    chunks = _fast_chunks(CellRunFastPath(ArgParser("cell run")), spec, spec.points, 2)
    temperatures = [[p.values["ambient_temperature"] for p in c] for c in chunks]
    assert temperatures == [[0.0, 0.0], [0.0], [45.0, 45.0], [45.0]]


def test_a_protocol_that_changes_the_steps_is_structure():
    spec = _spec_with({})
    spec["parameters"]["specific_current"] = {
        "option": "--protocol", "values": ["Discharge at 0.5 A/g until 0.01 V",
                                           "Discharge at 0.5 A/g until 0.5 V"]}
    note = CellRunFastPath(ArgParser("cell run")).note(parse_spec(spec))
    assert "2 models" in note and "protocol steps" in note


def test_numbers_alone_share_one_model():
    note = CellRunFastPath(ArgParser("cell run")).note(parse_spec(ZIP_SPEC))
    assert note == "fast path: one model for the 3 points (the values that differ are " \
                   "PyBaMM inputs)"


def test_mpi_ranks_still_take_the_process_path():
    spec = parse_spec({**ZIP_SPEC, "mpi_ranks": 2})
    assert "mpi_ranks" in CellRunFastPath(ArgParser("cell run")).unsupported(spec)


#: Temperatures [°C] and specific currents [A/g] of the temperature sweeps (test inputs):
#: 0 and 45 °C around the sets' 25 °C; 10⁴ A/g is refused by every temperature's ohmic
#: drop (hemcell.cell.protocols.check_ohmic_drop).
T_DEGC, CURRENTS_A_PER_G, REFUSED_A_PER_G = [0.0, 45.0], [0.5, 2.0], 1e4
SHORT = "Discharge at {value} A/g until 0.01 V"


def _counting_builds(monkeypatch) -> list[Any]:
    """Record the built models of experiments (the fast path's shared models)."""
    import hemcell.workflows.anode as anode

    built: list[Any] = []
    real = anode.build_simulation

    def counting(recipe, pv, inventory, experiment=None, *args, **kw):
        if experiment is not None:
            built.append(recipe.mechanisms)
        return real(recipe, pv, inventory, experiment, *args, **kw)

    monkeypatch.setattr(anode, "build_simulation", counting)
    return built


def test_temperature_x_current_builds_one_model_per_temperature(tmp_path, monkeypatch):
    """A 2 temperatures × 3 currents grid in one process, against ``run_cell`` rebuilt
    per point: one model per temperature, the temperature moves the capacity, and the
    current whose ohmic drop spans the voltage window fails alone at each temperature."""
    from hemcell.sweep import run_sweep
    from hemcell.workflows import anode_sweep

    raw = {**ZIP_SPEC, "combine": "grid", "parameters": {
        "specific_current": {"option": "--protocol", "template": SHORT, "unit": "A/g",
                             "values": [*CURRENTS_A_PER_G, REFUSED_A_PER_G]},
        "ambient_temperature": {"values": T_DEGC, "unit": "degC"}}}
    spec = parse_spec(raw)
    anode_sweep._BUILT.clear()
    built = _counting_builds(monkeypatch)
    report = run_sweep(spec, tmp_path / "out", workers=1, progress=False)
    assert (report.path, report.computed, report.failed) == ("fast", 6, 2)
    assert len(built) == 2 and report.note.startswith("fast path: 2 models for the 6 points")
    assert "ambient_temperature=45.0 degC changes the model's temperature" in report.note
    capacity: dict[tuple[float, float], float] = {}
    for point in spec.points:
        record = json.loads((tmp_path / "out" / "points" / f"{point.id}.json").read_text())
        current, T = point.values["specific_current"], point.values["ambient_temperature"]
        if current == REFUSED_A_PER_G:
            assert record["status"] == "failed"
            assert "across the separator's electrolyte alone" in record["error"]
            continue
        assert record["status"] == "ok", record["error"]
        run = run_cell(RECIPE, PARAMS, SHORT.format(value=current),
                       overrides=[f"ambient_temperature={T} degC"])
        assert run.error is None
        rebuilt, _, _ = summarize(run)
        _assert_same_summary(record["summary"], json.loads(json.dumps(rebuilt)))
        capacity[current, T] = record["summary"]["discharge_capacity_mAh_per_g"][0]
    for current in CURRENTS_A_PER_G:  # warmer stores more (faster kinetics, transport)
        cold, warm = (capacity[current, T] for T in T_DEGC)
        assert warm > cold * (1 + 100 * RTOL), (current, cold, warm)


def test_a_mechanisms_axis_builds_one_model_per_mechanism_set(tmp_path, monkeypatch):
    from hemcell.sweep import run_sweep
    from hemcell.workflows import anode_sweep

    sets = ["intercalation,conversion", "intercalation"]
    raw = {**ZIP_SPEC, "combine": "grid", "parameters": {
        "mechanisms": {"option": "--mechanisms", "values": sets},
        "specific_current": {"option": "--protocol", "template": SHORT, "unit": "A/g",
                             "values": CURRENTS_A_PER_G}}}
    spec = parse_spec(raw)
    anode_sweep._BUILT.clear()
    built = _counting_builds(monkeypatch)
    report = run_sweep(spec, tmp_path / "out", workers=1, progress=False)
    assert (report.path, report.failed) == ("fast", 0)
    assert sorted(map(tuple, built)) == sorted(tuple(m.split(",")) for m in sets)
    capacity = {}
    for point in spec.points:
        record = json.loads((tmp_path / "out" / "points" / f"{point.id}.json").read_text())
        mechanisms, current = point.values["mechanisms"], point.values["specific_current"]
        run = run_cell(RECIPE, PARAMS, SHORT.format(value=current),
                       mechanisms=mechanisms.split(","))
        rebuilt, _, _ = summarize(run)
        _assert_same_summary(record["summary"], json.loads(json.dumps(rebuilt)))
        capacity[mechanisms, current] = record["summary"]["discharge_capacity_mAh_per_g"][0]
    for current in CURRENTS_A_PER_G:  # conversion adds capacity
        assert capacity[sets[0], current] > 2 * capacity[sets[1], current]


# ------------------------------------------------------------------ solver errors (item 3)

def test_solver_failure_after_a_finished_step_names_the_step_and_keeps_results(tmp_path):
    # 10 W draws > 3.3 A (> 200 A/g): below the ohmic refusal, the solver fails at once
    run = run_cell(RECIPE, PARAMS, "Discharge at 0.5 A/g until 0.01 V; "
                                   "Charge at 10 W until 3 V")
    err = run.error
    assert isinstance(err, SimulationError)
    assert err.step == "Charge at 10 W until 3 V" and "solver failed" in err.message
    discharge_end_s = float(run.solution.cycles[0].steps[0].t[-1])
    assert err.time_s == pytest.approx(discharge_end_s) and err.time_s > 0
    with pytest.raises(SimulationError):
        write_outputs(run, tmp_path)
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["completed"] is False and summary["discharge_capacity_mAh_per_g"][0] > 100


@pytest.mark.parametrize("step", ["Discharge at 10 W until 0.01 V",  # solver failure
                                  "Discharge at 300 A/g until 0.01 V"])  # cut-off at t=0
def test_first_step_failure_says_that_nothing_finished(step):
    with pytest.raises(SimulationError, match="no results were kept") as info:
        run_cell(RECIPE, PARAMS, step)
    assert info.value.step == step and info.value.time_s == 0.0


#: The slow comparisons with the process path: 2 radii × 3 rates (one model), and
#: 2 temperatures × 2 currents (a model per temperature).
PROCESS_PATH_GRIDS = {
    "radius x rate": {"anode_particle_radius": {"values": ["100 nm", "1000 nm"]},
                      "specific_current": ZIP_SPEC["parameters"]["specific_current"]},
    "temperature x current": {
        "ambient_temperature": {"values": T_DEGC, "unit": "degC"},
        "specific_current": {"option": "--protocol", "template": SHORT, "unit": "A/g",
                             "values": CURRENTS_A_PER_G}},
}


@pytest.mark.slow
@pytest.mark.parametrize("grid", PROCESS_PATH_GRIDS)
def test_fast_path_matches_one_process_per_point(tmp_path, grid):
    """The whole sweep both ways: one process per point vs the fast path's models."""
    from hemcell.sweep import run_sweep

    spec = parse_spec({**ZIP_SPEC, "combine": "grid", "parameters": PROCESS_PATH_GRIDS[grid]})
    fast = run_sweep(spec, tmp_path / "fast", workers=2, progress=False)
    slow = run_sweep(spec, tmp_path / "slow", workers=2, progress=False, fast_path=False)
    assert (fast.path, slow.path, fast.failed, slow.failed) == ("fast", "process", 0, 0)
    for p in spec.points:
        a = json.loads((tmp_path / "fast" / "points" / f"{p.id}.json").read_text())
        b = json.loads((tmp_path / "slow" / "points" / f"{p.id}.json").read_text())
        assert a.keys() == b.keys()
        _assert_same_summary(a["summary"], b["summary"])
