"""How long a sweep will take: points × a per-point cost (``hemcell sweep --check``).

The per-point cost is, in this order of preference:

1. *measured*: the median wall time of the spec's points already finished in ``--out``
   (the ``elapsed_s`` of their records: a sweep stopped and checked before ``--resume``);
2. *stated*: the wall time per point of a shipped example spec of the command on the
   path the sweep will take (:data:`POINT_COSTS`, measured as said there);
3. *stated, a floor*: a point of the cheapest command on the process path
   (:data:`PROCESS_POINT_FLOOR`): every point is a new Python process that imports
   hemcell, reads the parameter set and writes its files, before any model is built.

A point's cost depends on what it runs (protocol, cycles, recipe, mesh), so a stated
cost is a guide, said as such; a sweep above :data:`LARGE_SWEEP_POINTS` points or
:data:`LONG_SWEEP_S` of estimated wall time gets a warning. Nothing legal is refused.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from hemcell.sweep.spec import SweepSpec

if TYPE_CHECKING:
    from hemcell.sweep.commands import FastPath


@dataclass(frozen=True)
class PointCost:
    """Wall seconds one point (or one built model) takes on one worker, and how that
    number was obtained (``measured``: from this spec's finished points)."""

    seconds: float
    source: str
    measured: bool = False


#: Wall seconds per point of the shipped example specs, by (command, path): ``hemcell
#: sweep examples/sweeps/SPEC --workers 1 --no-plots``, the median over 3 interleaved
#: runs of the median ``elapsed_s`` of the run's points (2 cores, hemcell 2026-12-07;
#: load average 2.7–3.5, the ``cell run`` process path 4.9–5.8 with 3 of the 9 points of
#: anode_size_rate.yaml, ~5.5 s of CPU per point with its figures).
POINT_COSTS: dict[tuple[str, str], PointCost] = {
    ("cell run", "fast"): PointCost(
        0.15, "a point of examples/sweeps/anode_size_rate.yaml (SP recipe, one "
              "discharge) on the cell run fast path; more steps, cycles or a P2D recipe "
              "cost more"),
    ("cell run", "process"): PointCost(
        14.0, "a point of examples/sweeps/anode_size_rate.yaml (SP recipe, one "
              "discharge, its figures drawn) as its own cell run process; more steps, "
              "cycles or a P2D recipe cost more"),
    ("pybamm cc-discharge", "fast"): PointCost(
        0.045, "a point of examples/sweeps/lfp_rate_radius.yaml (DFN, one discharge) on "
               "the cc-discharge fast path"),
    ("params export", "process"): PointCost(
        0.9, "a point of examples/sweeps/params_quick.yaml as its own params export "
             "process"),
    # from docs/sweeps.md "Performance" (`hemcell bench --only sweep_surface_fast_path
    # --only sweep_surface_process_path`): the 6-point coated-sinusoid benchmark sweep
    # (default mesh, --workers 1), CPU seconds per point
    ("surface run", "fast"): PointCost(
        0.3, "CPU time of a point of the 6-point coated-sinusoid benchmark sweep on the "
             "surface run fast path (docs/sweeps.md \"Performance\"); a 3D or finer mesh "
             "costs more"),
    ("surface run", "process"): PointCost(
        2.5, "CPU time of a point of the same sweep, each point its own surface run "
             "process (docs/sweeps.md \"Performance\", 14.8 s for 6 points)"),
}

#: Seconds each built model beyond the first adds on a fast path that shares several
#: among the points (``groups``: ``cell run``, one model per temperature, mechanism set,
#: ...), by command; a stated point cost (:data:`POINT_COSTS`) includes its example's
#: one model. ``cell run``: CPU time of the fast path's solve of a 3 temperatures × 4
#: currents sweep (SP recipe, rock-salt HEO set, "Discharge at I A/g until 0.01 V") with
#: its 3 models built, less the same solve on the kept models, per model; median of 3
#: interleaved pairs (1.2, 0.95, 1.2 s against 0.20-0.24 s; load average 5.2-6.5).
MODEL_COSTS: dict[str, PointCost] = {
    "cell run": PointCost(
        0.32, "CPU time to build and discretise a model of the SP recipe and set up its "
              "protocol's steps (a P2D recipe or more steps cost more)"),
}

#: The least a point on the process path costs [s]: a point of ``params export``, the
#: cheapest command (Python start, hemcell's imports, a parameter set read and
#: written), measured as :data:`POINT_COSTS`.
PROCESS_POINT_FLOOR = PointCost(
    POINT_COSTS[("params export", "process")].seconds,
    "at least: a process per point costs what a point of params export does (Python "
    "start, imports, the parameter set; examples/sweeps/params_quick.yaml), before "
    "this command builds or solves anything")

#: Points above which ``--check`` warns [-] (assumed: every point writes a record file,
#: and a run folder on the process path; 10⁴ files and hours of solving are where a
#: sweep is worth a second look; nothing is refused).
LARGE_SWEEP_POINTS = 10_000
#: Estimated wall time above which ``--check`` warns [s] (assumed: one day).
LONG_SWEEP_S = 24 * 3600.0
#: Finished point records read for a measured cost (their median; a sample suffices).
MEASURED_SAMPLE = 200


def point_cost(spec: SweepSpec, path: str, out: Path | None = None) -> PointCost:
    """The wall time of one point of ``spec`` on ``path`` (``fast`` or ``process``).

    Parameters
    ----------
    spec
        The checked spec.
    path
        The path the sweep will take (:func:`hemcell.sweep.run.choose_path`).
    out
        The ``--out`` folder: finished records of this spec there give a measured cost.
    """
    if out is not None:
        measured = _measured(spec, out)
        if measured is not None:
            return measured
    stated = POINT_COSTS.get((spec.command, path))
    if stated is not None:
        return PointCost(stated.seconds, f"stated: {stated.source}")
    if path == "process":
        return PROCESS_POINT_FLOOR
    return PointCost(float("nan"), f"no stated cost for the {spec.command} {path} path")


def _measured(spec: SweepSpec, out: Path) -> PointCost | None:
    """The median ``elapsed_s`` of up to :data:`MEASURED_SAMPLE` finished points of
    ``spec`` in ``out``, or ``None`` if there are none."""
    from hemcell.sweep.store import PointStore

    folder = out / "points"
    if not folder.is_dir():
        return None
    store = PointStore(out)
    ids = {p.id: p for p in spec.points}
    times = []
    for file in folder.glob("*.json"):
        point = ids.get(file.stem)
        if point is None:
            continue
        rec = store.record(point, spec.outputs)
        if rec is not None and rec.get("status") == "ok":
            elapsed = rec.get("elapsed_s")
            if isinstance(elapsed, int | float) and elapsed >= 0:
                times.append(float(elapsed))
        if len(times) >= MEASURED_SAMPLE:
            break
    if not times:
        return None
    return PointCost(statistics.median(times), f"measured: the median wall time of "
                     f"{len(times)} point(s) of this spec finished in {out}", measured=True)


def duration_text(seconds: float) -> str:
    """``42 s``, ``3.5 min``, ``2.1 h``, ``4.6 days``."""
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.1f} min"
    if seconds < 2 * 86400:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.1f} days"


def model_count(spec: SweepSpec, fast: FastPath | None) -> int:
    """The models a fast path builds for ``spec`` (its ``groups``; one without them)."""
    groups = getattr(fast, "groups", None)
    return len(groups(spec, spec.points)) if groups is not None else 1


def estimate_lines(spec: SweepSpec, path: str, workers: int, executor: str,
                   out: Path | None = None, models: int = 1) -> list[str]:
    """The ``--check`` lines: the estimate and how it was obtained, and a warning for a
    sweep above :data:`LARGE_SWEEP_POINTS` points or :data:`LONG_SWEEP_S`.

    The process path and Dask run ``workers`` points at once; a local fast path solves
    them one after another in one process (its own threads aside), so its estimate is
    not divided. ``models``: the models the fast path builds (:func:`model_count`); each
    beyond the first adds :data:`MODEL_COSTS` to a stated cost (a measured one holds
    them).
    """
    n = len(spec.points)
    cost = point_cost(spec, path, out)
    more = models - 1 if path == "fast" and not cost.measured else 0
    model_cost = MODEL_COSTS.get(spec.command) if more > 0 else None
    if cost.seconds != cost.seconds:  # NaN: nothing to multiply
        lines = [f"estimate: {n} points; {cost.source}"]
        wall = None
    else:
        at_once = workers if (path == "process" or executor == "dask") else 1
        extra = more * model_cost.seconds if model_cost is not None else 0.0
        wall = (n * cost.seconds + extra) / at_once
        per = f"{cost.seconds:.2g} s"
        lines = [f"estimate: {n} points × {per} per point"
                 + (f" + {more} more model{'s' if more > 1 else ''} × "
                    f"{model_cost.seconds:.2g} s"
                    if model_cost is not None else "")
                 + f" ({path} path"
                 + (f", {models} models" if path == "fast" and models > 1 else "")
                 + (f", {at_once} at once" if at_once > 1 else "")
                 + f") ≈ {duration_text(wall)} of wall time; per point: {cost.source}"
                 + (f"; per model: stated: {model_cost.source}"
                    if model_cost is not None else "")]
    if n > LARGE_SWEEP_POINTS or (wall is not None and wall > LONG_SWEEP_S):
        lines.append(
            f"warning: a large sweep: {n} points"
            + (f", about {duration_text(wall)}" if wall is not None else "")
            + f" (more than {LARGE_SWEEP_POINTS} points or "
            f"{duration_text(LONG_SWEEP_S)}); it runs if you start it, each point writing "
            "a record file" + (" and a run folder" if path == "process" else "")
            + "; fewer values (linspace's n), a zip instead of a grid or a CSV of points "
            "make it smaller")
    return lines
