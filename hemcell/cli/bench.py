"""Benchmark runner: each benchmark is timed against a baseline measured in the same run.

Benchmarks live in ``benchmarks/bench_*.py``; each module defines
``benchmarks() -> list[Benchmark]``. The runner calls each function and its baseline
once untimed (warm-up: JIT/form compilation, caches), then alternates timed repeats of
baseline and benchmark, and reports medians and the ratio benchmark/baseline. Ratios,
not absolute times, are what carry over between machines.
"""

from __future__ import annotations

import importlib.util
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hemcell.errors import InputError, select_by_name
from hemcell.resources import repo_root
from hemcell.runinfo import package_versions, write_json


@dataclass(frozen=True)
class Benchmark:
    """One timed task and the baseline it is compared with.

    Attributes
    ----------
    name
        Short identifier (``--only`` selects by it).
    description
        What is timed, and what a good ratio is.
    run
        The hemcell task.
    baseline
        The reference task measured in the same run (PyBaMM's DFN, a naive loop, a scalar
        Poisson solve on the same mesh, ...).
    baseline_name
        What the baseline is.
    target_ratio
        Optional aim for ``run / baseline`` (reported, not asserted).
    repeats
        Timed repeats when the user gives none (``--repeats``); replaces the runner's
        default :data:`DEFAULT_REPEATS` (fewer for slow benchmarks).
    warm_up_baseline
        Call the baseline once untimed before timing. Turn off for a baseline that is
        slow and has nothing to warm up beyond what the task's warm-up already did (a
        naive loop that rebuilds everything each time).
    """

    name: str
    description: str
    run: Callable[[], Any]
    baseline: Callable[[], Any]
    baseline_name: str
    target_ratio: float | None = None
    repeats: int | None = None
    warm_up_baseline: bool = True


def benchmarks_dir() -> Path:
    """The ``benchmarks/`` folder of the source checkout.

    Raises
    ------
    InputError
        When running from an installed wheel (benchmarks are not shipped).
    """
    root = repo_root()
    if root is None or not (root / "benchmarks").is_dir():
        raise InputError("benchmarks", "not found", "a hemcell source checkout with benchmarks/")
    return root / "benchmarks"


def discover(folder: Path) -> list[Benchmark]:
    """Collect the benchmarks defined by ``folder/bench_*.py``."""
    found: list[Benchmark] = []
    for path in sorted(folder.glob("bench_*.py")):
        spec = importlib.util.spec_from_file_location(f"hemcell_bench_{path.stem}", path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        found.extend(module.benchmarks())
    return found


def _time(fn: Callable[[], Any]) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


#: Timed repeats of a benchmark that sets none, when the user gives none.
DEFAULT_REPEATS = 5


def time_benchmark(b: Benchmark, repeats: int | None = None) -> dict[str, Any]:
    """Warm up, then alternate timed repeats of baseline and task; return medians, their
    ratio (the one compared with the aim) and the median and range of the per-pair ratios.

    ``repeats``: the user's count, used for every benchmark; ``None``: the benchmark's own
    (:attr:`Benchmark.repeats`) or :data:`DEFAULT_REPEATS`."""
    if b.warm_up_baseline:
        b.baseline()
    b.run()
    n = repeats if repeats is not None else (b.repeats or DEFAULT_REPEATS)
    t_base, t_run = [], []
    for _ in range(n):
        t_base.append(_time(b.baseline))
        t_run.append(_time(b.run))
    med_base, med_run = statistics.median(t_base), statistics.median(t_run)
    # each task repeat against the baseline repeat just before it: a machine whose speed
    # drifts between repeats moves both sides of a pair alike
    pairs = [r / b_ for b_, r in zip(t_base, t_run, strict=True) if b_ > 0]
    return {
        "name": b.name, "description": b.description, "baseline": b.baseline_name,
        "repeats": n, "median_s": med_run, "baseline_median_s": med_base,
        "ratio": med_run / med_base if med_base > 0 else float("inf"),
        "paired_ratio_median": statistics.median(pairs) if pairs else None,
        "paired_ratio_range": [min(pairs), max(pairs)] if pairs else None,
        "target_ratio": b.target_ratio, "times_s": t_run, "baseline_times_s": t_base,
    }


def run_benchmarks(out: Path, only: list[str] | None = None, repeats: int | None = None,
                   folder: Path | None = None) -> list[dict[str, Any]]:
    """Run benchmarks, print a table of ratios, write ``bench.json`` and ``bench.csv``.

    Parameters
    ----------
    out
        Output folder.
    only
        Names to run (default all).
    repeats
        Timed repeats of every benchmark (median reported); ``None``: each benchmark's
        own count or :data:`DEFAULT_REPEATS` (:func:`time_benchmark`).
    folder
        Where the ``bench_*.py`` files are (default ``benchmarks/``).

    Returns
    -------
    list of dict
        One record per benchmark.
    """
    from rich.console import Console
    from rich.table import Table

    found = select_by_name(discover(folder or benchmarks_dir()), only, "--only")
    console = Console()
    records = []
    for b in found:
        console.print(f"[bold]{b.name}[/bold]: {b.description}")
        try:
            records.append(time_benchmark(b, repeats))
        except Exception as exc:  # one failing benchmark must not lose the others
            error = f"{type(exc).__name__}: {exc}"
            console.print(f"[red]{b.name} failed[/red]: {error}")
            records.append({"name": b.name, "description": b.description,
                            "baseline": b.baseline_name, "repeats": 0, "median_s": None,
                            "baseline_median_s": None, "ratio": None,
                            "target_ratio": b.target_ratio, "error": error})
    table = Table("benchmark", "median [s]", "baseline", "baseline median [s]", "ratio", "aim")
    for r in records:
        aim = "" if r["target_ratio"] is None else f"≤ {r['target_ratio']:g}"
        if r.get("error"):
            table.add_row(r["name"], "failed", r["baseline"], "", "", aim)
            continue
        table.add_row(r["name"], f"{r['median_s']:.4g}", r["baseline"],
                      f"{r['baseline_median_s']:.4g}", f"{r['ratio']:.3g}", aim)
    console.print(table)
    out.mkdir(parents=True, exist_ok=True)
    write_json(out / "bench.json", {"versions": package_versions(), "benchmarks": records})

    def number(value: float | None) -> str:
        return "" if value is None else f"{value:.6g}"

    lines = ["name,median_s,baseline,baseline_median_s,ratio,target_ratio,repeats,"
             "paired_ratio_median,error"]
    lines += [f"{r['name']},{number(r['median_s'])},\"{r['baseline']}\","
              f"{number(r['baseline_median_s'])},{number(r['ratio'])},"
              f"{'' if r['target_ratio'] is None else r['target_ratio']},{r['repeats']},"
              f"{number(r.get('paired_ratio_median'))},"
              f"\"{(r.get('error') or '').replace(chr(34), chr(39))}\"" for r in records]
    (out / "bench.csv").write_text("\n".join(lines) + "\n")
    return records
