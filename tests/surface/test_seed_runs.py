"""The one owner of "keep the finished seeds when a seed fails" (``surface seeds`` and
``surface thickness``): :mod:`hemcell.workflows.seed_runs`, without a solver."""

from __future__ import annotations

import pytest

from hemcell.errors import InputError, SimulationError
from hemcell.workflows.seed_runs import finished_seeds_hint, solve_seeds


def test_every_seed_finishes():
    finished, failure = solve_seeds([3, 1, 2], lambda k: 10 * k, lambda k: f"seed {k}")
    assert finished == [30, 10, 20] and failure is None


def test_a_failed_seed_keeps_the_finished_ones_and_stops():
    solved = []
    stage = {"now": ""}

    def solve_seed(k):
        solved.append(k)
        stage["now"] = "bare"
        if k == 2:
            stage["now"] = "coated"  # part of seed 2 ran: none of it is kept
            raise SimulationError("did not converge", step="transport", hint="a smaller load")
        return {"seed": k}

    finished, failure = solve_seeds(range(1, 5), solve_seed,
                                    lambda k: f"seed {k} (sei_seed = {k}), {stage['now']}")
    assert finished == [{"seed": 1}] and solved == [1, 2]  # seeds 3, 4 not tried
    assert failure.message == ("seed 2 (sei_seed = 2), coated: did not converge "
                               "(at step transport)")
    assert failure.hint == "a smaller load" and failure.exit_code == 1


def test_a_failure_at_the_first_seed_keeps_nothing():
    def fail(k):
        raise SimulationError("did not converge")

    finished, failure = solve_seeds([7, 8], fail, lambda k: f"seed {k}")
    assert finished == [] and failure.message == "seed 7: did not converge"
    assert failure.hint is None


def test_other_errors_are_not_caught():
    def refuse(k):
        raise InputError("x", k, "> 0")

    with pytest.raises(InputError):
        solve_seeds([1], refuse, lambda k: f"seed {k}")


def test_the_hint_says_what_was_written():
    assert finished_seeds_hint(3, "out", None) == "the 3 finished seed(s) were written to out"
    assert finished_seeds_hint(1, "out", "a smaller load") == (
        "the 1 finished seed(s) were written to out; a smaller load")
    assert finished_seeds_hint(0, "out", "") == "no seed finished, nothing was written"
    assert finished_seeds_hint(0, "out", "x") == "no seed finished, nothing was written; x"
