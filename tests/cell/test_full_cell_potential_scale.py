"""The full cell's potential unknowns enter IDA in units of ``POTENTIAL_SCALE_V``, as the
P2D half cell's do (docs/cathodes.md "Solver scale of the potentials"): the solver state
is (φ − reference) / 100 V, and the results are those of the unscaled unknowns within the
solver tolerance, with the charge conserved."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pybamm
import pytest

from hemcell.cell import full_cell
from hemcell.cell.recipes import load_recipe
from hemcell.laws import FARADAY_C_PER_MOL
from hemcell.workflows.anode import run_cell, summarize
from tests.cell.conftest import assert_full_cell_conserves_carrier

PARAMS = "heo_rocksalt_mgconicuzn"
#: The LFP recipe (all five mechanisms, its IDA settings) on a coarse mesh: ~2 s a solve.
COARSE = {"x_n": 5, "x_s": 3, "x_p": 5, "r_n": 5, "r_p": 6}
#: One cycle to Prada2013's 3.6 V upper cut-off and back to 1.0 V.
V_LOW, V_HIGH = 1.0, 3.6
PROTOCOL = (f"Charge at C/5 until {V_HIGH} V; Rest for 10 minutes; "
            f"Discharge at C/5 until {V_LOW} V")
#: The solver unknowns that are potentials (hemcell.cell.full_cell).
POTENTIALS = (
    "Anode electrolyte potential [V]",
    "Separator electrolyte potential [V]",
    "Cathode electrolyte potential [V]",
    "Anode solid potential [V]",
    "Cathode solid potential [V]",
    "Anode double-layer potential [V]",
)
#: The docs' criterion for a solver-only change: each mechanism's capacity within 1e-5
#: relative (docs/anode.md "Numerics"); 1e-9 mA h g⁻¹ absolute for a capacity that is 0.
CAPACITY_RTOL, CAPACITY_ATOL_MAH_PER_G = 1e-5, 1e-9
#: Every mechanism's charge is a state integrated to the recipe's rtol (1e-6) of its
#: size, so their sum meets ∫I dt to that fraction of the charge passed.
CHARGE_BALANCE_RTOL = 1e-6


def _cycle(scale_V: float):
    """The cycle with the full cell's potentials entering the solver as φ / ``scale_V``
    (the constant where hemcell.cell.full_cell reads it)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(full_cell, "POTENTIAL_SCALE_V", scale_V)
        run = run_cell(replace(load_recipe("hem_full_cell_lfp"), mesh=COARSE), PARAMS, PROTOCOL)
    assert run.error is None
    return run


@pytest.fixture(scope="module")
def runs():
    """(scaled, unscaled) runs of the same cycle."""
    return _cycle(full_cell.POTENTIAL_SCALE_V), _cycle(1.0)


def _unknown_scales(run) -> dict[str, float]:
    """Solver scale [V] of each potential unknown of the run's model (its rhs and
    algebraic keys, the variables IDA solves for; a concatenation by its parts)."""
    model = run.model
    unknowns = [part for key in [*model.rhs, *model.algebraic]
                for part in (key.children if isinstance(key, pybamm.Concatenation) else [key])]
    return {v.name: float(v.scale.evaluate()) for v in unknowns if v.name in POTENTIALS}


def _nodes_held_at(run, name: str, scale: float) -> int:
    """How many nodes of the potential ``name`` are a row of the first step's solver
    state y equal to φ / ``scale`` (a potential without a reference)."""
    step = run.solution.cycles[0].steps[0]
    y = np.asarray(step.all_ys[0])
    phi = np.atleast_2d(step[name].entries)
    return sum(any(np.allclose(y[i] * scale, node, rtol=0, atol=1e-12)
                   for i in range(y.shape[0])) for node in phi)


def test_the_solver_holds_every_potential_in_units_of_the_scale(runs):
    scaled, unscaled = runs
    assert _unknown_scales(scaled) == dict.fromkeys(POTENTIALS, full_cell.POTENTIAL_SCALE_V)
    # the comparison run really had unscaled potentials (not a cached model)
    assert _unknown_scales(unscaled) == dict.fromkeys(POTENTIALS, 1.0)
    # the solver state itself: the cathode's solid potential (3-4 V, no reference) / 100 V
    name = "Cathode solid potential [V]"
    nodes = COARSE["x_p"]
    assert _nodes_held_at(scaled, name, full_cell.POTENTIAL_SCALE_V) == nodes
    assert _nodes_held_at(scaled, name, 1.0) == 0
    assert _nodes_held_at(unscaled, name, 1.0) == nodes


def test_capacities_by_mechanism_are_those_of_unscaled_potentials(runs):
    a, b = (summarize(r, timeseries=False)[0] for r in runs)
    for key in ("charge_capacity_mAh_per_g", "discharge_capacity_mAh_per_g"):
        assert a[key][0] == pytest.approx(b[key][0], rel=CAPACITY_RTOL), key
    for key in ("capacity_by_mechanism_mAh_per_g",
                "capacity_by_mechanism_delithiation_mAh_per_g"):
        for mech, q in b[key][0].items():
            assert a[key][0][mech] == pytest.approx(
                q, rel=CAPACITY_RTOL, abs=CAPACITY_ATOL_MAH_PER_G), (key, mech)


def test_charge_is_conserved_with_the_scaled_potentials(runs):
    """Li leaving the cathode = Li stored in the anode = ∫I dt, and the anode's
    mechanisms hold the charge passed, in both runs."""
    for run in runs:
        n_cathode = run.solution["Total lithium in positive electrode [mol]"].entries
        assert_full_cell_conserves_carrier(run.solution, n_cathode * FARADAY_C_PER_MOL / 3600,
                                           V_LOW, V_HIGH)
        summary = summarize(run, timeseries=False)[0]
        assert summary["charge_balance_relative_error"] <= CHARGE_BALANCE_RTOL
