"""Impedance spectra: the linearised model against brute-force sine simulations.

60 frequencies, 0.01 Hz - 10 kHz, of the bare Li||Li model
(hemcell.workflows.eis_models) and of the P2D HEM anode half-cell (rock-salt HEO,
hem_half_cell_p2d, fresh rested state):

- linearised: one linearisation (exact CasADi Jacobian, mass matrix), one sparse LU per
  frequency (hemcell.smallsignal);
- brute force, set up the way a time-domain user gets a spectrum: a sine current of
  about 0.1 mV (Li||Li) / 1 mV (anode) response through the same built model with its own
  solver and tolerances, from rest, at least 5 periods and twice as many until the last
  two periods agree to 0.1 % (the periodic state), the last period fitted with offset,
  drift, sine and cosine (hemcell.workflows.eis.time_domain_impedance). Against the
  linearisation it agrees to 0.15 % (Li||Li) and 0.7 % (anode, worst at 0.01 Hz).

``eis_*_60`` time everything from the parameter set: preparing and discretising the
model (common to both), then the linearisation and the 60 solves, or the solver set-up
(CasADi conversion and Jacobian, as for the linearisation) and the 60 sine runs.
``eis_*_60_solves`` time only what is repeated per spectrum once both are set up: 60
sparse LU solves against 60 sine runs. The target is at least 50x (ratio <= 0.02).
"""

from __future__ import annotations

import numpy as np

from hemcell.cli.bench import Benchmark

FREQUENCIES_HZ = np.logspace(-2, 4, 60)
#: Periodic state reached when two consecutive periods give Z within this (relative).
SETTLE_RTOL = 1e-3
#: Absolute tolerance of the anode's brute-force sine runs (potentials to 10 nV).
SINE_ATOL = 1e-10


def _symmetric():
    """Built-ready Li||Li simulation, sine amplitude [A] (1 uA/cm2: ~0.1 mV)."""
    from hemcell.limetal.parameters import cell_parameters, load_anode_set
    from hemcell.workflows import eis_models as em

    p = cell_parameters(load_anode_set("bare"), "bare")
    sim = em.symmetric_simulation(em.symmetric_values(p, p.temperature_K, 0.01))
    return sim, 1e-2 * p.li_electrode_area_m2


def _anode():
    """Built-ready P2D HEM anode simulation, sine amplitude [A] (10 uA: ~1 mV on the
    ~100 Ohm low-frequency impedance of the 15 mg electrode)."""
    from dataclasses import replace

    from hemcell.workflows import eis_models as em
    from hemcell.workflows.anode import build_simulation, prepare_cell

    setup = prepare_cell("hem_half_cell_p2d", "heo_rocksalt_mgconicuzn", "Rest for 1 minute",
                         overrides=["anode_double_layer_relaxation_time=1e-9 s"])
    pv = setup.parameter_values
    pv.update({"Current function [A]": em.applied_current}, check_already_exists=False)
    # The recipe's atol (1e-8) holds the potentials, which enter IDA as phi / 100 V
    # (hemcell.cell.model.POTENTIAL_SCALE_V), to 1 uV: 1 % of the ~0.1 mV response above
    # ~10 Hz, too coarse for two periods to agree to SETTLE_RTOL. A time-domain user
    # resolves the perturbation: atol SINE_ATOL holds them to 10 nV, as 1e-8 did on
    # unscaled potentials.
    recipe = replace(setup.recipe, solver={**setup.recipe.solver, "atol": SINE_ATOL})
    return build_simulation(recipe, pv, setup.inventory), 1e-5


MAKERS = {"symmetric": _symmetric, "anode": _anode}


def _built(which: str):
    from hemcell.workflows import eis_models as em

    sim, amplitude = MAKERS[which]()
    inputs = {em.IN_CURRENT: 0.0, **em.SINE_INPUTS}
    sim.build(inputs=inputs)
    return sim, amplitude, inputs


def _linearise(sim, inputs):
    from hemcell.smallsignal import linearise
    from hemcell.workflows import eis_models as em

    model = sim.built_model
    y0 = model.concatenated_initial_conditions.evaluate(0, inputs=inputs).reshape(-1)
    return linearise(model, y0, inputs, em.IN_CURRENT, ["Voltage [V]"])


def _sines(sim, amplitude) -> np.ndarray:
    from hemcell.workflows import eis_models as em
    from hemcell.workflows.eis import time_domain_impedance

    return np.array([time_domain_impedance(sim, float(f), amplitude, {em.IN_CURRENT: 0.0},
                                           settle_rtol=SETTLE_RTOL) for f in FREQUENCIES_HZ])


def _linearised_from_scratch(which: str) -> None:
    sim, _, inputs = _built(which)
    _linearise(sim, inputs).transfer(FREQUENCIES_HZ)


def _sines_from_scratch(which: str) -> None:
    sim, amplitude, _ = _built(which)
    _sines(sim, amplitude)


_READY: dict[str, tuple] = {}


def _ready(which: str) -> tuple:
    """(linearised model, simulation with its solver set up, amplitude), on first use."""
    if which not in _READY:
        from hemcell.workflows import eis_models as em
        from hemcell.workflows.eis import time_domain_impedance

        sim, amplitude, inputs = _built(which)
        lin = _linearise(sim, inputs)
        time_domain_impedance(sim, 1.0, amplitude, {em.IN_CURRENT: 0.0})  # solver set-up
        _READY[which] = (lin, sim, amplitude)
    return _READY[which]


def baseline_deviation(which: str) -> float:
    """Largest relative difference of the brute-force spectrum from the linearised one."""
    lin, sim, amplitude = _ready(which)
    z = -lin.transfer(FREQUENCIES_HZ)["Voltage [V]"]
    return float(np.max(np.abs(_sines(sim, amplitude) - z) / np.abs(z)))


def benchmarks() -> list[Benchmark]:
    """The impedance benchmarks (from the parameter set, and per spectrum)."""
    what = {"symmetric": "bare Li||Li", "anode": "P2D HEM anode half-cell"}
    out = []
    for which in ("symmetric", "anode"):
        out.append(Benchmark(
            name=f"eis_{which}_60",
            description=f"{what[which]}: prepare + discretise + linearise + 60 LU solves "
                        "(0.01 Hz-10 kHz)",
            run=lambda w=which: _linearised_from_scratch(w),
            baseline=lambda w=which: _sines_from_scratch(w),
            baseline_name="prepare + discretise + solver set-up + 60 sine runs to the "
                          "periodic state",
            target_ratio=0.02, repeats=1, warm_up_baseline=False))
        out.append(Benchmark(
            name=f"eis_{which}_60_solves",
            description=f"{what[which]}: 60 sparse LU solves of the linearised model",
            run=lambda w=which: _ready(w)[0].transfer(FREQUENCIES_HZ),
            baseline=lambda w=which: _sines(*_ready(w)[1:]),
            baseline_name="60 sine runs to the periodic state on the set-up model",
            target_ratio=0.02, repeats=3, warm_up_baseline=False))
    return out
