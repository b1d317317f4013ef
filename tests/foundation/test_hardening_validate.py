"""``hemcell validate``: documented held-out misses (``expected: miss``) and exit codes.

A documented miss that still misses does not fail the run; one that starts to pass, a
case whose command fails, and any other miss do.
"""

from __future__ import annotations

import json

import pytest

from hemcell.errors import InputError
from hemcell.validation import load_case, run_validation
from tests.foundation.test_harnesses import CASE

MISS = "expected: miss\nmiss_reason: the set holds 29 nm on purpose (a test of the runner)\n"


def _case(folder, name, thickness, kind="held-out", expected=MISS):
    d = folder / name
    d.mkdir(parents=True)
    text = CASE.format(desc="coating thickness through params export", kind=kind,
                       quick="true", thickness=thickness)
    (d / "case.yaml").write_text(text.replace(f"kind: {kind}\n", f"kind: {kind}\n{expected}"))
    return d / "case.yaml"


def test_a_documented_miss_does_not_fail_validate(tmp_path):
    cases = tmp_path / "cases"
    _case(cases, "exact", "28nm", kind="analytic", expected="")
    _case(cases, "known_miss", "29nm")
    report = run_validation(tmp_path / "out", cases_dir=cases)
    outcome = {r.case.name: r.outcome for r in report.results}
    assert outcome == {"exact": "pass", "known_miss": "expected miss"}
    assert report.all_passed
    md = report.report_path.read_text()
    assert "expected miss" in md and "the set holds 29 nm on purpose" in md
    data = {d["case"]: d for d in json.loads((tmp_path / "out" / "report.json").read_text())}
    assert data["known_miss"]["outcome"] == "expected miss"
    assert data["known_miss"]["passed"] is False


@pytest.mark.parametrize(("thickness", "outcome"), [("28nm", "UNEXPECTED PASS"),
                                                    ("28 GPa", "FAIL")])
def test_a_documented_miss_that_passes_or_crashes_fails_validate(tmp_path, thickness, outcome):
    cases = tmp_path / "cases"
    _case(cases, "known_miss", thickness)
    report = run_validation(tmp_path / "out", cases_dir=cases)
    assert report.results[0].outcome == outcome
    assert not report.all_passed


def test_an_undocumented_miss_fails_validate(tmp_path):
    cases = tmp_path / "cases"
    _case(cases, "miss", "29nm", expected="")
    report = run_validation(tmp_path / "out", cases_dir=cases)
    assert report.results[0].outcome == "FAIL" and not report.all_passed


@pytest.mark.parametrize(("kind", "expected", "fragment"), [
    ("analytic", MISS, "miss only for held-out cases"),
    ("held-out", "expected: miss\n", "miss_reason"),
    ("held-out", "expected: maybe\n", "pass (default) or miss"),
    ("held-out", "miss_reason: why\n", "nothing without expected: miss"),
])
def test_expected_miss_needs_a_held_out_case_and_a_reason(tmp_path, kind, expected, fragment):
    path = _case(tmp_path, "c", "29nm", kind=kind, expected=expected)
    with pytest.raises(InputError) as info:
        load_case(path)
    assert fragment in str(info.value)


def test_shipped_expected_misses_are_held_out_with_reasons():
    from hemcell.resources import data_dir
    from hemcell.validation import discover_cases

    misses = [c for c in discover_cases(data_dir("validation")) if c.expected_miss]
    assert misses, "the documented held-out misses are marked in their case files"
    for c in misses:
        assert c.kind == "held-out" and len(c.miss_reason) > 40, c.name


def test_the_runner_reruns_into_its_own_folder(tmp_path):
    """The runner passes --overwrite: a second run writes into the same case folders."""
    cases = tmp_path / "cases"
    _case(cases, "exact", "28nm", kind="analytic", expected="")
    assert run_validation(tmp_path / "out", cases_dir=cases).all_passed
    assert run_validation(tmp_path / "out", cases_dir=cases).all_passed
