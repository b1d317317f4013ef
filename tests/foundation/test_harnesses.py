"""Validation runner (cases, report, exit codes) and benchmark runner (ratios, files)."""

from __future__ import annotations

import json
import textwrap

import pytest

from hemcell.errors import InputError
from hemcell.validation import load_case, run_validation

CASE = """\
description: {desc}
kind: {kind}
quick: {quick}
command: [params, export, azcnf_coated_li, --set, "coating_thickness={thickness}"]
summary: parameters_si.json
compare:
  - key: coating_thickness
    target: 2.8e-8
    unit: m
    source: "seed 004 L78: 2 min of sputtering gives ~28 nm"
    tolerance: {{relative: 1.0e-9}}
    reason: a unit conversion is exact up to rounding
"""


def _case(folder, name, thickness="28nm", kind="analytic", quick="true"):
    d = folder / name
    d.mkdir(parents=True)
    (d / "case.yaml").write_text(CASE.format(desc=f"case {name}", kind=kind, quick=quick,
                                             thickness=thickness))


def test_validation_pass_fail_report(tmp_path):
    cases = tmp_path / "cases"
    _case(cases, "exact", "28nm")
    _case(cases, "off_by_a_nm", "29nm", kind="held-out", quick="false")
    report = run_validation(tmp_path / "out", cases_dir=cases)
    by_name = {r.case.name: r for r in report.results}
    assert by_name["exact"].passed
    assert not by_name["off_by_a_nm"].passed
    row = by_name["off_by_a_nm"].rows[0]
    assert row["error"] == pytest.approx(1 / 28, rel=1e-6)
    assert not report.all_passed
    md = report.report_path.read_text()
    assert "| exact | analytic | `coating_thickness` m | 2.8e-08 | 2.8e-08 |" in md
    assert "FAIL" in md and "held-out" in md
    # assumed values the result rests on are listed (from run.json)
    assert "Assumed values this result depends on" in md
    assert (tmp_path / "out" / "report.png").is_file()
    data = json.loads((tmp_path / "out" / "report.json").read_text())
    assert {d["case"]: d["passed"] for d in data} == {"exact": True, "off_by_a_nm": False}


def test_quick_and_only_select_cases(tmp_path):
    cases = tmp_path / "cases"
    _case(cases, "a")
    _case(cases, "b", quick="false")
    assert [r.case.name for r in run_validation(tmp_path / "o1", quick=True,
                                                cases_dir=cases).results] == ["a"]
    assert [r.case.name for r in run_validation(tmp_path / "o2", only=["b"],
                                                cases_dir=cases).results] == ["b"]
    with pytest.raises(InputError, match="--case: got 'zzz'"):
        run_validation(tmp_path / "o3", only=["zzz"], cases_dir=cases)


def test_failing_command_is_a_failed_case(tmp_path):
    cases = tmp_path / "cases"
    _case(cases, "bad", "28 GPa")
    r = run_validation(tmp_path / "out", cases_dir=cases).results[0]
    assert not r.passed and "command exited 2" in r.error and "dimension of m" in r.error


@pytest.mark.parametrize(
    ("old", "new", "fragment"),
    [("kind: analytic", "kind: guess", "one of"),
     ("{relative: 1.0e-9}", "{relative: -1}", "a positive number"),
     ("{relative: 1.0e-9}", "{within: 1}", "{relative: x} or {absolute: x}"),
     ("    target: 2.8e-8\n", "", "exactly one of target"),
     ("summary: parameters_si.json", "summary: ../../etc/passwd", "a JSON file name")],
)
def test_bad_case_files(tmp_path, old, new, fragment):
    d = tmp_path / "c"
    d.mkdir()
    text = CASE.format(desc="d", kind="analytic", quick="true", thickness="28nm")
    assert old in text
    (d / "case.yaml").write_text(text.replace(old, new))
    with pytest.raises(InputError, match=None) as info:
        load_case(d / "case.yaml")
    assert fragment in str(info.value)


class _Clock:
    """A stand-in for the ``time`` module the bench runner reads: advances only when told,
    so the ratio does not depend on how busy the machine is."""

    def __init__(self) -> None:
        self.now = 0.0

    def perf_counter(self) -> float:
        return self.now


def test_bench_runner_reports_ratio(tmp_path, monkeypatch):
    from hemcell.cli import bench
    from hemcell.cli.bench import run_benchmarks

    monkeypatch.setattr(bench, "time", _Clock())
    (tmp_path / "bench_toy.py").write_text(textwrap.dedent("""
        from hemcell.cli import bench
        from hemcell.cli.bench import Benchmark

        def _take(seconds):
            bench.time.now += seconds

        def benchmarks():
            return [Benchmark(name="toy", description="20 ms vs 10 ms of clock time",
                              run=lambda: _take(0.02), baseline=lambda: _take(0.01),
                              baseline_name="10 ms")]
    """))
    records = run_benchmarks(tmp_path / "out", repeats=3, folder=tmp_path)
    assert records[0]["ratio"] == pytest.approx(2.0, rel=1e-9)
    assert records[0]["median_s"] == pytest.approx(0.02, rel=1e-9)
    # each run against the baseline just before it: 20 ms / 10 ms in every pair
    assert records[0]["paired_ratio_median"] == pytest.approx(2.0, rel=1e-9)
    assert records[0]["paired_ratio_range"] == pytest.approx([2.0, 2.0], rel=1e-9)
    assert (tmp_path / "out" / "bench.csv").read_text().startswith("name,median_s,baseline")
    data = json.loads((tmp_path / "out" / "bench.json").read_text())
    assert data["benchmarks"][0]["repeats"] == 3


def test_the_users_repeats_win_over_a_benchmarks_own(tmp_path, monkeypatch):
    """`hemcell bench --repeats 7` timed a benchmark that sets its own count (the slow
    anode ones: 3) 3 times, silently; the user's count is used for every benchmark, the
    benchmark's own only when the user gives none."""
    from hemcell.cli import bench
    from hemcell.cli.main import app, run_app

    monkeypatch.setattr(bench, "time", _Clock())
    monkeypatch.setattr(bench, "benchmarks_dir", lambda: tmp_path)
    (tmp_path / "bench_toy.py").write_text(textwrap.dedent("""
        from hemcell.cli import bench
        from hemcell.cli.bench import Benchmark

        def _take(seconds):
            bench.time.now += seconds

        def benchmarks():
            return [Benchmark(name="slow", description="sets 3 repeats", repeats=3,
                              run=lambda: _take(0.02), baseline=lambda: _take(0.01),
                              baseline_name="10 ms"),
                    Benchmark(name="plain", description="sets none",
                              run=lambda: _take(0.02), baseline=lambda: _take(0.01),
                              baseline_name="10 ms")]
    """))

    def repeats(*args):
        out = tmp_path / f"out{len(args)}"
        assert run_app(app, ["bench", *args, "--out", str(out)], "hemcell") == 0
        data = json.loads((out / "bench.json").read_text())["benchmarks"]
        return {r["name"]: (r["repeats"], len(r["times_s"])) for r in data}

    assert repeats("--repeats", "7") == {"slow": (7, 7), "plain": (7, 7)}
    assert repeats() == {"slow": (3, 3), "plain": (bench.DEFAULT_REPEATS,) * 2}


def test_a_failing_benchmark_loses_no_other_result(tmp_path, monkeypatch):
    """A benchmark that raises is reported as failed; the others are still timed and
    written, and the command exits 1 naming the failed one."""
    from hemcell.cli import bench
    from hemcell.cli.main import app, run_app

    monkeypatch.setattr(bench, "time", _Clock())
    monkeypatch.setattr(bench, "benchmarks_dir", lambda: tmp_path)
    (tmp_path / "bench_toy.py").write_text(textwrap.dedent("""
        from hemcell.cli import bench
        from hemcell.cli.bench import Benchmark

        def _take(seconds):
            bench.time.now += seconds

        def _fail():
            raise ValueError("the case is refused")

        def benchmarks():
            return [Benchmark(name="broken", description="raises", run=_fail,
                              baseline=lambda: _take(0.01), baseline_name="10 ms"),
                    Benchmark(name="toy", description="20 ms vs 10 ms of clock time",
                              run=lambda: _take(0.02), baseline=lambda: _take(0.01),
                              baseline_name="10 ms")]
    """))
    out = tmp_path / "out"
    assert run_app(app, ["bench", "--repeats", "2", "--out", str(out)], "hemcell") == 1
    records = {r["name"]: r for r in json.loads((out / "bench.json").read_text())["benchmarks"]}
    assert "the case is refused" in records["broken"]["error"]
    assert records["toy"]["ratio"] == pytest.approx(2.0, rel=1e-9)
    csv = (out / "bench.csv").read_text().splitlines()
    assert csv[0].endswith(",error") and len(csv) == 3


def test_params_benchmark_runs(tmp_path):
    import shutil

    from hemcell.cli.bench import benchmarks_dir, run_benchmarks

    shutil.copy(benchmarks_dir() / "bench_params.py", tmp_path)
    (record,) = run_benchmarks(tmp_path / "out", repeats=1, folder=tmp_path)
    assert record["name"] == "params_load"
    # the figure itself belongs to the benchmark report, not to a timed assertion (one
    # repeat on a loaded machine can go either way); the run must produce a real ratio
    assert 0 < record["ratio"] < float("inf")
    assert record["median_s"] > 0 and record["baseline_median_s"] > 0
