"""The P2D half-cell's potential unknowns enter IDA in units of ``POTENTIAL_SCALE_V``
(docs/anode.md "Numerics", "Which states hold the steps"): the solver state is φ / 100 V,
and the results are those of the unscaled unknowns within the solver tolerance."""

from __future__ import annotations

import numpy as np
import pytest

from hemcell.cell import model as cell_model
from hemcell.workflows.anode import run_cell, summarize

RECIPE = "hem_half_cell_p2d"
PARAMS = "heo_rocksalt_mgconicuzn"
#: The benchmark cycle (benchmarks/bench_anode.py ``PROTOCOL``).
PROTOCOL = (
    "Discharge at 0.5 A/g until 0.01 V; Rest for 10 minutes; Charge at 0.5 A/g until 3 V"
)
#: The docs' criterion for a solver-only change: each mechanism's capacity within 1e-5
#: relative (docs/anode.md "Numerics").
CAPACITY_RTOL = 1e-5


def _run():
    run = run_cell(RECIPE, PARAMS, PROTOCOL)
    assert run.error is None
    return run


@pytest.fixture(scope="module")
def runs():
    scaled = _run()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(cell_model, "POTENTIAL_SCALE_V", 1.0)
        unscaled = _run()
    return scaled, unscaled


def _nodes_held_at(run, scale: float) -> int:
    """How many electrode nodes' double-layer potential u is a solver state (a row of
    the first step's y) equal to u / ``scale``."""
    step = run.solution.cycles[0].steps[0]
    y = np.asarray(step.all_ys[0])
    u = np.atleast_2d(step["Anode double-layer potential [V]"].entries)
    return sum(any(np.allclose(y[i] * scale, node, rtol=0, atol=1e-12)
                   for i in range(y.shape[0])) for node in u)


def test_the_solver_holds_the_potentials_in_units_of_the_scale(runs):
    scaled, unscaled = runs
    nodes = np.atleast_2d(
        scaled.solution.cycles[0].steps[0]["Anode double-layer potential [V]"].entries).shape[0]
    assert _nodes_held_at(scaled, cell_model.POTENTIAL_SCALE_V) == nodes
    assert _nodes_held_at(scaled, 1.0) == 0
    # the comparison run really had unscaled potentials (not a cached model)
    assert _nodes_held_at(unscaled, 1.0) == nodes


def test_capacities_by_mechanism_are_those_of_unscaled_potentials(runs):
    a, b = (summarize(r, timeseries=False)[0] for r in runs)
    for key in ("capacity_by_mechanism_mAh_per_g",
                "capacity_by_mechanism_delithiation_mAh_per_g"):
        for mech, q in b[key][0].items():
            assert a[key][0][mech] == pytest.approx(q, rel=CAPACITY_RTOL, abs=1e-9), (key, mech)
