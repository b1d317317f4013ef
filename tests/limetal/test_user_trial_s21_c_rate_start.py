"""User trial s21: ``limetal cycle --c-rate 2000`` ended with IDA's raw lines, exit 1.

The cycle starts with a charge from the fully discharged LFP. At 2000C IDA could not
find the cell's state at t = 0 ("[ERROR][rank 0][.../idas_ic.c:1411][IDAICFailFlag] The
linesearch algorithm failed ...", then "At t = 0 and h = 6.6e-68, the corrector
convergence failed ...") and the run ended "Li||LFP DFN solve failed: input set 0:
IDAGetDky: IDA_BAD_K", exit 1, before PyBaMM's cut-off check that refuses 1000C
(`limetal rate` refuses with the same check). The start is now checked at lower
currents: the voltage at t = 0 moves monotonically with the current, so a start
beyond a cut-off at 1000C is beyond it at 2000C; the run is refused with the cut-off
check's message, exit 2. SUNDIALS' error lines go to the null device by its own
setting (``SUNLOGGER_ERROR_FILENAME``), so file descriptor 2 is no longer held during a
solve (anything written to stderr then appeared only after the solve).
"""

from __future__ import annotations

import json
import os

import pytest

from hemcell.cli.main import main
from hemcell.errors import InputError
from hemcell.limetal.cycling import run_cycling
from hemcell.limetal.halfcell import (
    IN_CURRENT,
    SUNDIALS_ERROR_FILE_VARIABLE,
    _sundials_errors_unprinted,
    build_half_cell,
)
from hemcell.limetal.parameters import load_cell_parameters


@pytest.fixture(scope="module")
def cell():
    pset, p = load_cell_parameters("coated")
    return build_half_cell(p, pset)


def test_cycle_at_2000c_is_refused_by_the_cut_off_check_without_raw_lines(tmp_path, capfd):
    code = main(["limetal", "cycle", "--anode", "coated", "--cycles", "1", "--c-rate", "2000",
                 "--no-plots", "--out", str(tmp_path / "o")])
    err = capfd.readouterr().err
    assert code == 2
    assert "error: C-rate (--c-rates, --c-rate): got '2000C (charge, cycle 1 charge)'" in err
    assert "is already above 4 V" in err
    assert "at 1000C the cell already starts above 4 V" in err
    assert "[ERROR]" not in err and "IDA" not in err


def test_a_start_found_by_bisection_between_inside_and_unsolved(cell):
    """5000C: 2500C and 1250C do not solve at t = 0, 625C starts inside the cut-offs;
    between them a current that starts above 4 V is found (below 1000C, which does)."""
    with pytest.raises(InputError) as err:
        run_cycling(cell, 1, 5000.0)
    text = str(err.value)
    assert "got '5000C (charge, cycle 1 charge)'" in text
    probe = float(text.split("at this C-rate the start could not even be solved; at ")[1]
                  .split("C the cell")[0])
    assert 625.0 < probe <= 1000.0


def test_a_rate_beyond_the_loss_law_names_the_c_rate(cell):
    """1e300C: the Li loss law's fraction reaches 1 before any solve; it named
    ``li_loss_overpotential_coefficient * eta_loc``."""
    with pytest.raises(InputError) as err:
        run_cycling(cell, 1, 1e300)
    assert err.value.field == "--c-rate" and "lambda = k_loss eta_loc below 1" in str(err.value)


def test_stderr_is_not_held_during_a_solve(cell, monkeypatch):
    """Descriptor 2 is the same file during a solve as before it, and SUNDIALS' error
    file is the null device while the solver is set up, unset after."""
    monkeypatch.delenv(SUNDIALS_ERROR_FILE_VARIABLE, raising=False)
    before = os.fstat(2)
    seen = {}
    solve = cell.simulation.solve

    def spy(*args, **kwargs):
        now = os.fstat(2)
        seen["fd2"] = (now.st_dev, now.st_ino) == (before.st_dev, before.st_ino)
        seen["env"] = os.environ.get(SUNDIALS_ERROR_FILE_VARIABLE)
        return solve(*args, **kwargs)

    monkeypatch.setattr(cell.simulation, "solve", spy)
    inputs = cell.inputs(current_A=cell.geometry.current_1c_A)
    cell.solve(inputs, 1.0, step="probe")
    assert seen == {"fd2": True, "env": os.devnull}
    assert SUNDIALS_ERROR_FILE_VARIABLE not in os.environ
    assert inputs[IN_CURRENT] > 0


def test_a_user_choice_of_the_sundials_error_file_is_kept(monkeypatch):
    monkeypatch.setenv(SUNDIALS_ERROR_FILE_VARIABLE, "stderr")
    with _sundials_errors_unprinted():
        assert os.environ[SUNDIALS_ERROR_FILE_VARIABLE] == "stderr"
    assert os.environ[SUNDIALS_ERROR_FILE_VARIABLE] == "stderr"


def test_a_later_cycle_that_starts_past_a_cut_off_keeps_the_finished_cycles(
        tmp_path, capsys, monkeypatch):
    """The start check can now refuse (exit 2) where IDA failed (exit 1, finished cycles
    kept): in a cycle after the first the refusal ends the run as a failure does."""
    from hemcell.limetal.halfcell import LFPHalfCell

    solve = LFPHalfCell.solve

    def refusing(self, inputs, t_end_s, step, t_interp=None):
        if step == "cycle 2 discharge":
            raise self._beyond_cutoff(inputs, True, step, probe_c_rate=0.5)
        return solve(self, inputs, t_end_s, step, t_interp)

    monkeypatch.setattr(LFPHalfCell, "solve", refusing)
    out = tmp_path / "o"
    code = main(["limetal", "cycle", "--anode", "coated", "--cycles", "3", "--no-plots",
                 "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 1 and "cycles 1-1 of 3 finished" in err
    summary = json.loads((out / "summary.json").read_text())
    assert summary["cycles"] == 1
    assert summary["stop_reason"].startswith("cut-off at the start of a step: C-rate")
    assert "cycle 2 discharge" in summary["stop_reason"]
