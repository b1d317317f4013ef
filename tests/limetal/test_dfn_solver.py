"""The Li‖LFP DFN's solver is hemcell's IDAKLU solver (hemcell.idaklu): potentials held to
1 µV as in every other model, the stall guard, one thread; and its capacities agree with a
solve 100 times tighter to within its rtol."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from hemcell.idaklu import (
    STALL_STEPS,
    STALL_TIME_S,
    StateToleranceSolver,
    state_atol,
    with_stall_guard,
)
from hemcell.limetal.cycling import run_cycling
from hemcell.limetal.halfcell import DFN_ATOL, DFN_RTOL, build_half_cell, rate_test
from hemcell.limetal.parameters import cell_parameters, load_anode_set


def _cell(anode: str = "coated"):
    pset = load_anode_set(anode)
    return build_half_cell(cell_parameters(pset, anode), pset)


def _check_solver(solver, model) -> None:
    assert isinstance(solver, StateToleranceSolver)
    assert solver.rtol == DFN_RTOL
    assert solver.options["num_threads"] == 1
    assert solver.options["num_steps_no_progress"] == STALL_STEPS
    assert solver.options["t_no_progress"] == STALL_TIME_S
    atol = state_atol(model, solver.atol)
    potentials = np.zeros(atol.size, dtype=bool)
    for var, slices in model.y_slices.items():
        if var.name.endswith(" potential [V]"):
            for sl in slices:
                potentials[sl] = True
    # the DFN keeps its potentials in volts: 1 uV; concentrations (scaled) and A h: atol
    assert potentials.sum() == 40  # electrolyte on x_s 10 + x_p 15 cells, solid on x_p 15
    np.testing.assert_allclose(atol[potentials], 1e-6, rtol=1e-12)
    np.testing.assert_allclose(atol[~potentials], DFN_ATOL, rtol=1e-12)


def test_the_dfn_and_its_voltage_hold_run_hemcells_solver():
    cell = _cell()
    rec = run_cycling(cell, 1, cv_cutoff_c_rate=0.05)  # CC-CV: builds the held model too
    assert rec.cycle == [1]
    _check_solver(cell.simulation.solver, cell.simulation.built_model)
    _check_solver(cell._hold.solver, cell._hold.built_model)


@pytest.mark.parametrize("anode", ["coated"])
def test_capacities_agree_with_a_tighter_solve_within_rtol(anode):
    """1C and 4C discharge capacities against the same DFN solved at rtol 1e-8 and atol
    1e-10 (potentials to 10 nV): within the shipped rtol 1e-6, relative (measured 2e-8 at
    1C and 1.5e-7 at 4C; rtol 1e-8 is within 5e-10 of rtol 1e-9)."""
    import pybamm

    rates = (1.0, 4.0)
    shipped = rate_test(_cell(anode), rates).capacity_mAh_per_g
    cell = _cell(anode)
    sim = cell.simulation
    tight = replace(cell, simulation=pybamm.Simulation(
        sim.model, parameter_values=sim.parameter_values, var_pts=sim.var_pts,
        solver=StateToleranceSolver(rtol=1e-8, atol=1e-10, options=with_stall_guard({}))))
    reference = rate_test(tight, rates).capacity_mAh_per_g
    np.testing.assert_allclose(shipped, reference, rtol=DFN_RTOL, atol=0.0)
