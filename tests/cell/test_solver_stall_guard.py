"""IDAKLU's stall guard and the recipe's solver keys (hemcell.cell.recipes).

A step whose time steps collapse ran without end (IDAKLU takes one step per IDASolve
call, so its ``max_num_steps`` never counts them): ``hem_half_cell_p2d`` at (80, 40, 20)
cells, FeS with Na at 318.15 K, the rest after a 0.5 A/g discharge, held 3 GB after three
minutes. Every recipe's solver now carries IDAKLU's no-progress guard, the failure says
the step had stalled, and a misspelt solver key is refused before anything is built (it
ended in "unexpected SolverError", exit 1).
"""

from __future__ import annotations

import subprocess
import sys
from types import SimpleNamespace

import numpy as np
import pytest

from hemcell.cell.recipes import (
    idaklu_options,
    load_recipe,
    models_dir,
)
from hemcell.errors import InputError
from hemcell.idaklu import STALL_STEPS, STALL_TIME_S
from hemcell.workflows.anode import build_simulation, check_completion, prepare_cell, solve_cell


def _copy(tmp_path, name: str, line: str, new: str) -> str:
    text = (models_dir() / f"{name}.yaml").read_text()
    assert line in text
    path = tmp_path / f"{name}_copy.yaml"
    path.write_text(text.replace(line, new))
    return str(path)


def test_every_recipe_solver_carries_the_stall_guard():
    options = idaklu_options({"rtol": 1e-6, "atol": 1e-8, "max_nonlinear_iterations": 4})
    assert options == {"max_nonlinear_iterations": 4, "num_steps_no_progress": STALL_STEPS,
                       "t_no_progress": STALL_TIME_S}
    own = idaklu_options({"rtol": 1e-6, "num_steps_no_progress": 50, "t_no_progress": 2.0})
    assert own["num_steps_no_progress"] == 50 and own["t_no_progress"] == 2.0
    sim = build_simulation(*_setup_parts(prepare_cell("hem_half_cell_sp",
                                                      "heo_rocksalt_mgconicuzn",
                                                      "Rest for 1 minute")))
    assert sim.solver.options["num_steps_no_progress"] == STALL_STEPS
    assert sim.solver.options["t_no_progress"] == STALL_TIME_S


def _setup_parts(setup):
    return setup.recipe, setup.parameter_values, setup.inventory, setup.experiment


def test_a_misspelt_solver_key_is_refused_naming_it(tmp_path):
    path = _copy(tmp_path, "hem_half_cell_sp", "solver: {", "solver: {max_num_stepz: 5, ")
    with pytest.raises(InputError) as err:
        load_recipe(path)
    assert err.value.field.endswith("solver.max_num_stepz")
    assert "IDAKLU option" in err.value.allowed and "max_num_steps" in err.value.hint
    out = subprocess.run(
        [sys.executable, "-m", "hemcell", "cell", "run", path, "--params",
         "heo_rocksalt_mgconicuzn", "--protocol", "Rest for 1 minute", "--out",
         str(tmp_path / "out"), "--no-plots"], capture_output=True, text=True, timeout=300)
    assert out.returncode == 2, out.stderr
    assert "solver.max_num_stepz" in out.stderr and "Traceback" not in out.stderr


def test_the_guard_reaches_idaklu_and_ends_a_step_that_makes_no_progress(tmp_path):
    """A guard asking 1 000 s in 20 steps ends the first step at its start (no step of a
    discharge start goes that far): the run's error names the step, the time and the
    stall, with the recipe's own guard values."""
    path = _copy(tmp_path, "hem_half_cell_sp", "solver: {",
                 "solver: {num_steps_no_progress: 20, t_no_progress: 1000.0, ")
    setup = prepare_cell(path, "heo_rocksalt_mgconicuzn", "Discharge at 0.5 A/g for 1 hour")
    run = solve_cell(setup, build_simulation(*_setup_parts(setup)))
    assert run.error is not None
    assert "step 1 of 1" in str(run.error) and run.error.time_s < 10.0
    assert "it had stalled: 20 time steps in a row advanced about 1000 s" in str(run.error)


def _step(t: np.ndarray, termination: str) -> SimpleNamespace:
    return SimpleNamespace(t=t, termination=termination)


def test_a_failed_step_that_had_stalled_says_so():
    """The failure names the stall where the step's last time steps advanced less than the
    guard's time, and not where the step failed while still moving."""
    done = _step(np.linspace(0.0, 100.0, 50), "event: Voltage < 0.01 [V] [experiment]")
    stalled = _step(np.concatenate([np.linspace(100.0, 150.0, 200),
                                    150.0 + np.arange(1, 1200) * 5e-7]), "failure")
    moving = _step(np.linspace(100.0, 150.0, 2000), "failure")
    solver = {"rtol": 1e-6, "atol": 1e-8}
    for step, said in ((stalled, True), (moving, False)):
        sol = SimpleNamespace(cycles=[SimpleNamespace(steps=[done, step])], termination="")
        err = check_completion(sol, "Discharge at 1C until 0.01 V; Rest for 1 hour", 1,
                               RuntimeError("IDA_ERR_FAIL"), solver)
        assert err is not None and "step 2 of 2" in str(err)
        assert ("it had stalled" in str(err)) is said
