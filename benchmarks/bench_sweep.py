"""Sweep fast paths: one model for many points against a model built per point.

``sweep_fast_path``: a 200-point C-rate × particle-radius sweep, one model vs one per point.

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

``sweep_cell_fast_path``: the HEM anode (``cell run``, single-particle recipe,
rock-salt HEO set), 3 particle radii × 3 specific currents, protocol "Discharge at I
A/g until 0.01 V; Charge at I A/g until 3 V". The fast path
(:mod:`hemcell.workflows.anode_sweep`) builds one model with the radius and the step currents
as inputs and re-solves it per point (PyBaMM takes no input lists with an
``Experiment``); the baseline is ``run_cell`` per point in the same process, i.e. the
per-process path without its process start-up, imports and figure writing (so the
real gain of a sweep is larger: 6.8 s against 95 s for 6 points with 2 workers). Aim:
ratio ≤ 0.5; measured 0.36-0.66 on a loaded 2-core machine.

``sweep_cell_temperature``: the same comparison for the sweep researchers run most, 3
ambient temperatures × 4 specific currents (one discharge each): the temperature is
structure (PyBaMM takes it from the experiment), so the fast path builds one model per
temperature and re-solves it for the 4 currents (it used to take the process path).
Aim: ratio ≤ 0.5.

``sweep_surface_fast_path`` / ``sweep_surface_process_path``: a 6-point ``surface run``
sweep (coated Li on the sinusoid, default mesh, coating modulus × current density, all
with ``--no-plots``) as a user runs it: ``hemcell sweep`` on the fast path
(:mod:`hemcell.workflows.surface_sweep`, one kept process, one mesh) and on the process
path (``--no-fast-path``), each against a plain shell loop over ``hemcell surface run``
in the same benchmark run; all sequential (``--workers 1``). Aim: fast path ≤ 0.5 of the
shell loop. The load average is printed with each timing (2 cores shared).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from hemcell.cli.bench import Benchmark
from hemcell.sweep import parse_spec
from hemcell.sweep.commands import ArgParser

SPEC = {
    "command": "pybamm cc-discharge",
    "options": {"--params": "bare_li", "--model": "SPMe"},
    "parameters": {
        "c_rate": {"option": "--c-rate", "logspace": [0.1, 10, 20]},
        "lfp_particle_radius": {"logspace": ["20 nm", "500 nm", 10]},
    },
    "outputs": ["discharge_capacity_Ah"],
}


CELL_PROTOCOL = "Discharge at {value} A/g until 0.01 V; Charge at {value} A/g until 3 V"
CELL_SPEC = {
    "command": "cell run",
    "arguments": ["hem_half_cell_sp"],
    "options": {"--params": "heo_rocksalt_mgconicuzn"},
    "parameters": {
        "anode_particle_radius": {"values": ["100 nm", "250 nm", "1000 nm"]},
        "specific_current": {"option": "--protocol", "template": CELL_PROTOCOL,
                             "values": [0.1, 0.5, 2.0], "unit": "A/g"},
    },
    "outputs": ["discharge_capacity_mAh_per_g[0]"],
}
#: The researcher's rate × temperature sweep: 3 temperatures × 4 currents, one discharge
#: (a model per temperature: PyBaMM takes the temperature from the experiment).
CELL_TEMPERATURE_SPEC = {**CELL_SPEC, "parameters": {
    "ambient_temperature": {"values": [10, 25, 45], "unit": "degC"},
    "specific_current": {"option": "--protocol", "unit": "A/g", "values": [0.1, 0.5, 1.0, 2.0],
                         "template": "Discharge at {value} A/g until 0.01 V"}}}


def cell_benchmark(name: str, raw: dict, what: str, aim: float, repeats: int | None = 1
                   ) -> Benchmark:
    """A ``cell run`` sweep: the fast path's shared models re-solved per point vs
    ``run_cell`` per point in-process (prepare, build, solve; each point's arguments
    parsed as the command parses them)."""
    from hemcell.workflows import anode_sweep as sweep_fast
    from hemcell.workflows.anode import build_simulation, solve_cell

    spec = parse_spec(raw)
    parse = ArgParser("cell run")
    fast = sweep_fast.CellRunFastPath(parse)
    models = len(fast.groups(spec, spec.points))

    def fast_path() -> None:
        sweep_fast._BUILT.clear()  # include building the models, as the baseline does
        results = fast.solve(spec, spec.points, 1)
        assert not any(isinstance(r, BaseException) for r in results)

    def per_point() -> None:  # what run_cell does, from the point's parsed arguments
        for p in spec.points:
            setup = sweep_fast.point_setup(spec, p, parse)
            run = solve_cell(setup, build_simulation(setup.recipe, setup.parameter_values,
                                                     setup.inventory, setup.experiment))
            assert run.error is None

    return Benchmark(
        name=name,
        description=f"{len(spec.points)}-point {what} sweep of the HEM anode (cell run, SP "
                    f"recipe): {models} model(s) re-solved per point vs run_cell per point "
                    f"in-process (aim ≤ {aim})",
        run=fast_path, baseline=per_point,
        baseline_name="run_cell per point (model built and discretised per point)",
        target_ratio=aim, repeats=repeats,
    )


SURFACE_SPEC = {
    "command": "surface run",
    "options": {"--case": "coated", "--geometry": "sinusoid", "--no-plots": True},
    "parameters": {
        "coating_youngs_modulus": {"values": ["6.39 GPa", "20 GPa"]},
        "applied_current_density": {"values": [0.5, 1, 2], "unit": "mA/cm**2"},
    },
    "outputs": ["current_focusing_factor", "max_von_mises_coating_Pa"],
}


def _hemcell(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "hemcell", *args], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _load(label: str) -> None:
    one, five, _ = os.getloadavg()
    print(f"  {label}: load average {one:.2f} (1 min), {five:.2f} (5 min)", file=sys.stderr)


def surface_benchmarks() -> list[Benchmark]:
    """``surface run`` sweeps: fast path and process path, each against a shell loop."""
    import yaml

    spec = parse_spec(SURFACE_SPEC)
    work = Path(tempfile.mkdtemp(prefix="hemcell-bench-sweep-"))
    spec_file = work / "spec.yaml"
    spec_file.write_text(yaml.safe_dump(SURFACE_SPEC), encoding="utf-8")

    def sweep(*extra: str) -> None:
        _load("hemcell sweep " + " ".join(extra))
        out = Path(tempfile.mkdtemp(dir=work))
        _hemcell("sweep", str(spec_file), "--out", str(out), "--workers", "1", "--overwrite",
                 "--no-plots", *extra)

    def shell_loop() -> None:
        _load("shell loop")
        for p in spec.points:
            _hemcell(*spec.command_argv[2:], *p.args, "--out",
                     tempfile.mkdtemp(dir=work))

    n = len(spec.points)
    return [
        Benchmark(
            name="sweep_surface_fast_path",
            description=f"{n}-point surface run sweep (coated sinusoid, default mesh, "
                        "--no-plots): hemcell sweep on the fast path (kept process, one "
                        "mesh) vs a shell loop over hemcell surface run (aim ≤ 0.5)",
            run=sweep, baseline=shell_loop, baseline_name="shell loop over surface run",
            target_ratio=0.5, repeats=1, warm_up_baseline=False),
        Benchmark(
            name="sweep_surface_process_path",
            description=f"the same {n}-point sweep with --no-fast-path (one process per "
                        "point) vs the shell loop",
            run=lambda: sweep("--no-fast-path"), baseline=shell_loop,
            baseline_name="shell loop over surface run", repeats=1, warm_up_baseline=False),
    ]


def benchmarks() -> list[Benchmark]:
    """The fast paths against rebuilding per point, on the same points."""
    import pybamm

    from hemcell.workflows import cc_discharge as cc

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
    ), cell_benchmark("sweep_cell_fast_path", CELL_SPEC,
                      "particle radius × current (discharge + charge)", 0.5),
        cell_benchmark("sweep_cell_temperature", CELL_TEMPERATURE_SPEC,
                       "temperature × current (one discharge)", 0.5, repeats=None),
        *surface_benchmarks()]
