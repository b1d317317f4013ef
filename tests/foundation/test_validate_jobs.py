"""``hemcell validate --jobs N``: cases in N processes at once, the same report as one.

Each case has its own folder and its own process, so running two at once changes only
the order they finish in: the report lists the cases in discovery order with the same
statuses and values as ``--jobs 1``, and the exit rule (a documented held-out miss
that still misses does not fail the run; anything else that misses does) is unchanged.
"""

from __future__ import annotations

import json
import re
from types import SimpleNamespace

import pytest

from hemcell.errors import InputError
from hemcell.validation import run_validation
from hemcell.validation.runner import case_slots
from tests.foundation.test_hardening_validate import _case

#: Quick shipped cases of two commands, an expected miss (the layered review) and a pass
#: (the bare first plating): two composition reviews (~2 s a process) and a first-plating
#: cell (~4 s). With the coated first plating in place of the PBA review the two-jobs
#: test took 29.2 s at load ~3.7, with this 16.0 s.
SHIPPED = ["cathode_layered_initial_capacity", "cathode_pba_initial_capacity",
           "limetal_nucleation_bare"]


def _report(out):
    """report.json without the run times; report.md without the times in its headings."""
    data = json.loads((out / "report.json").read_text())
    for entry in data:
        entry.pop("runtime_s")
    md = re.sub(r", [0-9.]+ s\)", ")", (out / "report.md").read_text())
    return data, md


def test_two_jobs_write_the_same_report_as_one(tmp_path):
    one = run_validation(tmp_path / "one", only=SHIPPED, jobs=1)
    two = run_validation(tmp_path / "two", only=SHIPPED, jobs=2)
    assert [r.case.name for r in two.results] == [r.case.name for r in one.results]
    assert [r.outcome for r in two.results] == [r.outcome for r in one.results]
    assert _report(tmp_path / "two") == _report(tmp_path / "one")
    assert two.all_passed == one.all_passed
    for name in SHIPPED:  # each case wrote into its own folder
        assert (tmp_path / "two" / "cases" / name / "command.log").is_file()


def test_the_exit_rule_is_the_same_with_two_jobs(tmp_path):
    cases = tmp_path / "cases"
    _case(cases, "exact", "28nm", kind="analytic", expected="")
    _case(cases, "known_miss", "29nm")
    _case(cases, "miss", "29nm", expected="")
    reports = {jobs: run_validation(tmp_path / f"out{jobs}", cases_dir=cases, jobs=jobs)
               for jobs in (1, 2)}
    for report in reports.values():
        assert {r.case.name: r.outcome for r in report.results} == {
            "exact": "pass", "known_miss": "expected miss", "miss": "FAIL"}
        assert not report.all_passed
    assert _report(tmp_path / "out2") == _report(tmp_path / "out1")


def test_a_case_on_several_mpi_ranks_counts_as_that_many_jobs():
    assert case_slots(SimpleNamespace(), jobs=2) == 1
    assert case_slots(SimpleNamespace(mpi_ranks=2), jobs=4) == 2
    assert case_slots(SimpleNamespace(mpi_ranks=4), jobs=2) == 2  # never more than all


def test_jobs_below_one_are_refused(tmp_path):
    with pytest.raises(InputError, match="--jobs"):
        run_validation(tmp_path / "out", only=SHIPPED[:1], jobs=0)


def test_validate_command_takes_jobs(tmp_path, capsys):
    from hemcell.cli.main import main

    assert main(["validate", "--jobs", "2", "--case", SHIPPED[0], "--out",
                 str(tmp_path / "out")]) == 0
    out = capsys.readouterr().out  # a progress line as the case finishes, then the list
    assert re.search(rf"^\[1/1\] (pass|expected miss) {SHIPPED[0]} \(", out, re.MULTILINE)
