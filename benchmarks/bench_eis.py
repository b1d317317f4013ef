"""Impedance spectra: the linearised model against brute-force sine simulations.

- ``eis_symmetric_60``: the bare Li||Li model (hemcell.workflows.eis_models), 60
  frequencies 0.01 Hz - 10 kHz from one linearisation (sparse LU per frequency), vs 60
  time-domain simulations of the same built model with a sine current (5 periods each,
  Fourier projection of the last one).
- ``eis_anode_p2d_60``: the same for the P2D HEM anode half-cell (rock-salt HEO,
  hem_half_cell_p2d) at its fresh rested state.

Both include building the model once (and, for the linearisation, the CasADi Jacobians
at the operating point; for the sine runs, the solver set-up in the first solve); the
target is at least 50x faster (ratio <= 0.02). The ``*_solves`` variants time only what
is repeated per spectrum on an already built and linearised / set-up model: 60 sparse LU
solves against 60 sine simulations.
"""

from __future__ import annotations

import numpy as np

from hemcell.cli.bench import Benchmark

FREQUENCIES_HZ = np.logspace(-2, 4, 60)


def _symmetric():
    from hemcell.limetal.parameters import cell_parameters, load_anode_set
    from hemcell.workflows import eis_models as em

    p = cell_parameters(load_anode_set("bare"), "bare")
    sim = em.symmetric_simulation(em.symmetric_values(p, p.temperature_K, 0.01))
    return sim, 1e-2 * p.li_electrode_area_m2


def _anode():
    from hemcell.workflows import eis_models as em
    from hemcell.workflows.anode import build_simulation, prepare_cell

    setup = prepare_cell("hem_half_cell_p2d", "heo_rocksalt_mgconicuzn", "Rest for 1 minute",
                         overrides=["anode_double_layer_relaxation_time=1e-9 s"])
    pv = setup.parameter_values
    pv.update({"Current function [A]": em.applied_current}, check_already_exists=False)
    return build_simulation(setup.recipe, pv, setup.inventory), 1e-4 * setup.mass_g


def _linearised(make) -> None:
    from hemcell.smallsignal import linearise
    from hemcell.workflows import eis_models as em

    sim, _ = make()
    inputs = {em.IN_CURRENT: 0.0, **em.SINE_INPUTS}
    sim.build(inputs=inputs)
    model = sim.built_model
    y0 = model.concatenated_initial_conditions.evaluate(0, inputs=inputs).reshape(-1)
    linearise(model, y0, inputs, em.IN_CURRENT, ["Voltage [V]"]).transfer(FREQUENCIES_HZ)


def _time_domain(make) -> None:
    from hemcell.workflows import eis_models as em
    from hemcell.workflows.eis import time_domain_impedance

    sim, amplitude = make()
    for f in FREQUENCIES_HZ:
        time_domain_impedance(sim, float(f), amplitude, {em.IN_CURRENT: 0.0})


_READY: dict[str, tuple] = {}


def _ready(which: str) -> tuple:
    """(linearised model, simulation already solved once, amplitude), built on first use."""
    if which not in _READY:
        from hemcell.smallsignal import linearise
        from hemcell.workflows import eis_models as em
        from hemcell.workflows.eis import time_domain_impedance

        sim, amplitude = (_symmetric if which == "symmetric" else _anode)()
        inputs = {em.IN_CURRENT: 0.0, **em.SINE_INPUTS}
        sim.build(inputs=inputs)
        model = sim.built_model
        y0 = model.concatenated_initial_conditions.evaluate(0, inputs=inputs).reshape(-1)
        lin = linearise(model, y0, inputs, em.IN_CURRENT, ["Voltage [V]"])
        time_domain_impedance(sim, 1.0, amplitude, {em.IN_CURRENT: 0.0})  # solver set-up
        _READY[which] = (lin, sim, amplitude)
    return _READY[which]


def _solves_linear(which: str) -> None:
    _ready(which)[0].transfer(FREQUENCIES_HZ)


def _solves_sine(which: str) -> None:
    from hemcell.workflows import eis_models as em
    from hemcell.workflows.eis import time_domain_impedance

    _, sim, amplitude = _ready(which)
    for f in FREQUENCIES_HZ:
        time_domain_impedance(sim, float(f), amplitude, {em.IN_CURRENT: 0.0})


def benchmarks() -> list[Benchmark]:
    """The impedance benchmarks (with and without the one-off build)."""
    solves = [
        Benchmark(name=f"eis_{which}_60_solves",
                  description=f"{which}: 60 sparse LU solves of the linearised model",
                  run=lambda w=which: _solves_linear(w),
                  baseline=lambda w=which: _solves_sine(w),
                  baseline_name="60 sine simulations of the built, set-up model",
                  target_ratio=0.02, repeats=3)
        for which in ("symmetric", "anode")]
    return [*solves,
        Benchmark(name="eis_symmetric_60",
                  description="bare Li||Li: build + linearise + 60 frequencies (0.01 Hz-10 kHz)",
                  run=lambda: _linearised(_symmetric),
                  baseline=lambda: _time_domain(_symmetric),
                  baseline_name="60 sine simulations of the same model (5 periods each)",
                  target_ratio=0.02, repeats=1, warm_up_baseline=False),
        Benchmark(name="eis_anode_p2d_60",
                  description="P2D HEM anode half-cell: build + linearise + 60 frequencies",
                  run=lambda: _linearised(_anode),
                  baseline=lambda: _time_domain(_anode),
                  baseline_name="60 sine simulations of the same model (5 periods each)",
                  target_ratio=0.02, repeats=1, warm_up_baseline=False),
    ]
