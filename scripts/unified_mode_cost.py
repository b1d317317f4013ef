"""Why a re-solve of the P2D recipe costs more with one model for the protocol (docs/anode.md
"Numerics", "One model for the protocol").

The benchmark cycle of benchmarks/bench_anode.py (HEO rock salt, 0.5 A/g to 0.01 V, rest
10 min, 0.5 A/g to 3 V) on ``hem_half_cell_p2d``, built as the fit builds it (the residual
compiled, the bench's own library cache), in three variants:

- ``unified``: the recipe (``experiment_model: unified``), as it runs;
- ``unified, IC line search 5``: the same with PyBaMM's ``max_linesearch_backtracks_ic`` 5
  instead of :data:`hemcell.cell.recipes.UNIFIED_IC_LINESEARCH_BACKTRACKS`;
- ``unified, ambient temperature fixed``: a diagnostic, the recipe with the ambient
  temperature left a constant of the model (PyBaMM's unified set-up makes it an input,
  as a step may set its own temperature; the benchmark's steps do not);
- ``legacy``: one model per step.

For each: the iterations of IDAKLU's Newton on the algebraic states at each step start
(PyBaMM's DEBUG log, "Newton converged in N iterations"), IDA's counters (steps, Newton
iterations = residual evaluations, Jacobian evaluations), the CPU time of ``--runs``
interleaved re-solves in this process (``time.process_time``; medians, and the median of
the per-round ratios to ``unified``), and the results against ``unified``: the step
durations and the voltage on a common grid of each step (max difference), and the
capacity of each storage mechanism (largest relative change; ``hemcell.workflows.anode.
summarize``). Also the page faults of a re-solve (median; ``ru_minflt``) and the scalar
instructions of the Jacobian IDAKLU evaluates.

``--keep-freed-memory`` calls :func:`hemcell.surface.petsc.keep_freed_memory` first (glibc
keeps freed memory: no page faults in a re-solve; process-wide, so a before/after
comparison alternates processes). ``--dfn`` measures PyBaMM's DFN half-cell of the
benchmark instead (``bench_anode._dfn_sim``): legacy, unified and, a diagnostic, unified
with the Jacobian by plain AD (``casadi.jacobian`` of the whole residual in place of
``pybamm.BaseModel.build_casadi_jacobian``, which differentiates the control row apart
and re-assembles the rows): the Jacobian's instructions, its non-zeros, the CPU of one
call (in isolation) and of a re-solve, and the end voltage and discharge capacity.

Usage::

    .venv/bin/python scripts/unified_mode_cost.py [--runs 9] [--json OUT]
        [--keep-freed-memory] [--dfn]
"""

from __future__ import annotations

import argparse
import io
import json
import logging
import re
import resource
import sys
import time
import timeit
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
for _p in (ROOT, ROOT / "benchmarks"):
    if str(_p) not in sys.path:  # run as a file: the checkout's hemcell and benchmarks
        sys.path.insert(0, str(_p))

#: PyBaMM's default of IDAKLU's ``max_linesearch_backtracks_ic`` (pybamm.IDAKLUSolver).
PYBAMM_IC_BACKTRACKS = 5
#: Points of the common time grid per step on which two runs' voltages are compared [-].
GRID_POINTS = 2000
#: A mechanism capacity [mAh/g] below which a relative change is not formed (as
#: scripts/anode_step_attribution.py: a capacity 0 in the equations comes out as round-off).
ZERO_CAPACITY_MAH_PER_G = 1e-6
#: Calls per timing of one Jacobian evaluation in isolation (``--dfn``) [-].
JACOBIAN_CALLS = 2000
#: PyBaMM's input that unified mode makes of the ambient temperature.
AMBIENT_TEMPERATURE = "Ambient temperature [K]"


def _ambient_temperature_kept() -> Any:
    """A replacement of ``pybamm.ParameterValues.__setitem__`` that ignores the unified
    set-up's making the ambient temperature an input (diagnostic only)."""
    import pybamm

    original = pybamm.ParameterValues.__setitem__

    def setitem(self: Any, key: str, value: Any) -> None:
        if key == AMBIENT_TEMPERATURE and isinstance(value, str) and value == "[input]":
            return
        original(self, key, value)

    return original, setitem


def build(variant: str) -> tuple[Any, Any]:
    """The benchmark cycle's setup and simulation of one variant, solved once."""
    import bench_anode as bench
    import pybamm

    from hemcell.workflows.anode import build_simulation, prepare_cell
    from hemcell.workflows.fit import FIT_SOLVES_EXPECTED

    setup = prepare_cell(bench.RECIPE, "heo_rocksalt_mgconicuzn", bench.PROTOCOL)
    rec = setup.recipe
    if variant == "legacy":
        rec = replace(rec, experiment_model="legacy")
    elif variant == "unified, IC line search 5":
        rec = replace(rec, solver={**rec.solver,
                                   "max_linesearch_backtracks_ic": PYBAMM_IC_BACKTRACKS})
    setup = replace(setup, recipe=rec)
    sim = build_simulation(rec, setup.parameter_values, setup.inventory, setup.experiment,
                           expected_solves=FIT_SOLVES_EXPECTED)
    original, setitem = _ambient_temperature_kept()
    if variant == "unified, ambient temperature fixed":
        pybamm.ParameterValues.__setitem__ = setitem
    try:
        with bench._library_cache(bench._first_runs_cache()):
            sim.solve()
    finally:
        pybamm.ParameterValues.__setitem__ = original
    return setup, sim


def built_model(sim: Any) -> Any:
    """The model IDAKLU solves (unified mode), or that of the protocol's last step
    (legacy)."""
    if sim._experiment_uses_unified_model:
        return sim._built_experiment_model
    return sim.steps_to_built_models[sim.experiment.steps[-1].basic_repr()]


def jacobian_instructions(sim: Any) -> int:
    """Instructions of the Jacobian IDAKLU evaluates (of the scalar function it calls,
    for hemcell's)."""
    f = built_model(sim).jac_rhs_algebraic_eval
    inner = [g for g in f.find_functions() if g.is_a("SXFunction")]
    return int(sum(g.n_instructions() for g in inner) or f.n_instructions())


def ic_newton_iterations(sim: Any) -> list[int]:
    """Iterations of IDAKLU's initialisation Newton at each step start of one re-solve."""
    import pybamm

    buf = io.StringIO()
    handler = logging.StreamHandler(buf)
    level, handlers = pybamm.logger.level, list(pybamm.logger.handlers)
    pybamm.logger.handlers = [handler]
    pybamm.set_logging_level("DEBUG")
    try:
        sim.solve()
    finally:
        pybamm.logger.handlers = handlers
        pybamm.logger.setLevel(level)
    return [int(n) for n in re.findall(r"Newton converged in (\d+) iterations", buf.getvalue())]


def counters(sim: Any) -> dict[str, int]:
    """IDA's counters of the last solve, summed over the steps."""
    import pybamm

    stats: dict[str, int] = {}
    original = pybamm.IDAKLUSolver._post_process_solution

    def record(self: Any, sol: Any, *args: Any, **kwargs: Any) -> Any:
        for name in ("number_of_steps", "number_of_nonlinear_solver_iterations",
                     "number_of_residual_evaluations", "number_of_jacobian_evaluations"):
            stats[name] = stats.get(name, 0) + int(getattr(sol.stats, name))
        return original(self, sol, *args, **kwargs)

    pybamm.IDAKLUSolver._post_process_solution = record
    try:
        sim.solve()
    finally:
        pybamm.IDAKLUSolver._post_process_solution = original
    return stats


def capacities(setup: Any, sim: Any) -> dict[str, float]:
    """Capacity of each storage mechanism [mAh/g], lithiation and delithiation."""
    from hemcell.workflows.anode import solve_cell, summarize

    summary, _, _ = summarize(solve_cell(setup, sim), timeseries=False)
    out = {}
    for key in ("capacity_by_mechanism_mAh_per_g",
                "capacity_by_mechanism_delithiation_mAh_per_g"):
        for mech, value in summary[key][0].items():
            out[f"{key.split('_mAh')[0]}.{mech}"] = float(value)
    return out


def compare(ref: Any, other: Any) -> dict[str, list[float]]:
    """Step durations [s] of ``other`` and its largest voltage difference [mV] from
    ``ref`` on each step's common time grid."""
    durations, dv = [], []
    for a, b in zip(ref.solution.sub_solutions, other.solution.sub_solutions, strict=True):
        durations.append(float(b.t[-1] - b.t[0]))
        grid = np.linspace(max(a.t[0], b.t[0]), min(a.t[-1], b.t[-1]), GRID_POINTS)
        dv.append(1e3 * float(np.max(np.abs(a["Voltage [V]"](grid) - b["Voltage [V]"](grid)))))
    return {"step_duration_s": durations, "max_voltage_difference_mV": dv}


def main(argv: list[str] | None = None) -> None:
    """Measure and print (and with ``--json`` write) the comparison."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=9, help="interleaved re-solves per variant")
    ap.add_argument("--json", type=Path, help="write the numbers here")
    ap.add_argument("--keep-freed-memory", action="store_true",
                    help="call hemcell.surface.petsc.keep_freed_memory first")
    ap.add_argument("--dfn", action="store_true", help="PyBaMM's DFN half-cell instead")
    args = ap.parse_args(argv)
    if args.dfn:
        out = dfn_cost(args.runs)
        if args.json:
            args.json.write_text(json.dumps(out, indent=1))
        return
    if args.keep_freed_memory:
        from hemcell.surface.petsc import keep_freed_memory

        keep_freed_memory()

    variants = ("unified", "unified, IC line search 5", "unified, ambient temperature fixed",
                "legacy")
    built = {v: build(v) for v in variants}
    out: dict[str, Any] = {}
    for v, (setup, sim) in built.items():
        out[v] = {"ic_newton_iterations": ic_newton_iterations(sim), **counters(sim),
                  "capacities_mAh_per_g": capacities(setup, sim),
                  "jacobian_instructions": jacobian_instructions(sim)}
    cpu: dict[str, list[float]] = {v: [] for v in variants}
    faults: dict[str, list[int]] = {v: [] for v in variants}
    for _ in range(args.runs):
        for v, (_, sim) in built.items():
            f0 = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
            c0 = time.process_time()
            sim.solve()
            cpu[v].append(time.process_time() - c0)
            faults[v].append(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - f0)
    ref_sim = built["unified"][1]
    ref_cap = out["unified"]["capacities_mAh_per_g"]
    for v, (_, sim) in built.items():
        ratio = np.array(cpu[v]) / np.array(cpu["unified"])
        rel = [abs(c - ref_cap[k]) / abs(ref_cap[k])
               for k, c in out[v]["capacities_mAh_per_g"].items()
               if abs(ref_cap[k]) > ZERO_CAPACITY_MAH_PER_G]
        out[v].update({"cpu_median_s": float(np.median(cpu[v])),
                       "cpu_min_s": float(np.min(cpu[v])),
                       "cpu_paired_ratio_to_unified": float(np.median(ratio)),
                       "largest_relative_capacity_change": float(max(rel)),
                       "page_faults_per_resolve": int(np.median(faults[v])),
                       **compare(ref_sim, sim)})
    for v, r in out.items():
        print(f"{v}: IC Newton iterations {r['ic_newton_iterations']}, steps "
              f"{r['number_of_steps']}, Newton {r['number_of_nonlinear_solver_iterations']}, "
              f"Jacobians {r['number_of_jacobian_evaluations']} ({r['jacobian_instructions']} "
              f"instructions); page faults {r['page_faults_per_resolve']}; CPU median "
              f"{r['cpu_median_s']:.4f} s (min {r['cpu_min_s']:.4f}), paired ratio to unified "
              f"{r['cpu_paired_ratio_to_unified']:.3f}; vs unified: capacities "
              f"{r['largest_relative_capacity_change']:.1e}, voltage "
              f"{[round(x, 4) for x in r['max_voltage_difference_mV']]} mV")
    if args.json:
        args.json.write_text(json.dumps(out, indent=1))


def dfn_cost(runs: int) -> dict[str, Any]:
    """PyBaMM's DFN half-cell of the benchmark in legacy mode, unified mode and unified
    mode with the Jacobian by plain AD (see the module docstring); printed and returned."""
    import bench_anode as bench
    import casadi
    import pybamm

    original = pybamm.BaseModel.build_casadi_jacobian

    def plain(self: Any, expression: Any, y: Any) -> Any:
        return casadi.jacobian(expression, y)

    variants = ("legacy", "unified", "unified, Jacobian by plain AD")
    sims, out = {}, {}
    for v in variants:
        if v == "unified, Jacobian by plain AD":
            pybamm.BaseModel.build_casadi_jacobian = plain
        try:
            sim = bench._dfn_sim(v.split(",")[0])
            sim.solve()
        finally:
            pybamm.BaseModel.build_casadi_jacobian = original
        sims[v] = sim
        sol = sim.solution
        last = sol.sub_solutions[-1]
        i = len(last.t) // 2
        inputs = last.all_inputs[0]
        p = (np.concatenate([np.ravel(x) for x in inputs.values()]) if inputs
             else np.zeros(0))
        jac = built_model(sim).jac_rhs_algebraic_eval
        t, y = last.t[i], last.y[:, i]
        call_s = timeit.timeit(lambda jac=jac, t=t, y=y, p=p: jac(t, y, p),
                               number=JACOBIAN_CALLS) / JACOBIAN_CALLS
        out[v] = {"jacobian_instructions": int(jac.n_instructions()),
                  "jacobian_nonzeros": int(jac.nnz_out(0)),
                  "jacobian_call_us": 1e6 * call_s,
                  "end_voltage_V": float(sol["Voltage [V]"].entries[-1]),
                  "discharge_capacity_Ah": float(
                      sol["Discharge capacity [A.h]"].entries[-1])}
    cpu: dict[str, list[float]] = {v: [] for v in variants}
    for _ in range(runs):
        for v, sim in sims.items():
            c0 = time.process_time()
            sim.solve()
            cpu[v].append(time.process_time() - c0)
    for v, r in out.items():
        r.update({"cpu_median_s": float(np.median(cpu[v])),
                  "cpu_paired_ratio_to_legacy": float(
                      np.median(np.array(cpu[v]) / np.array(cpu["legacy"])))})
        print(f"DFN {v}: Jacobian {r['jacobian_instructions']} instructions, "
              f"{r['jacobian_nonzeros']} non-zeros, {r['jacobian_call_us']:.0f} us a call "
              f"(isolated, with Python's call); re-solve CPU median {r['cpu_median_s']:.4f} s, "
              f"paired ratio to legacy {r['cpu_paired_ratio_to_legacy']:.3f}; end voltage "
              f"{r['end_voltage_V']:.9f} V, discharge capacity "
              f"{r['discharge_capacity_Ah']:.6e} A.h")
    return out


if __name__ == "__main__":
    main()
