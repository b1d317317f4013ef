"""Premises of the re-solve cost analysis (docs/anode.md "Numerics", "What else a re-solve
spends, and where the steps go"); no timing is asserted: PyBaMM's DFN half-cell run with
one model for the protocol (``unified``, the like-with-like baseline of
``anode_p2d_cycle_same_mode``) gives the solution of one model per step (PyBaMM's
default, the baseline of ``anode_p2d_cycle``) within the solver tolerance.

That a gel film without capacity (the rock-salt set) changes nothing but the cost is
tests/cell/test_gel_sei.py::test_no_film_without_areal_capacity.
"""

from __future__ import annotations

import numpy as np
import pybamm
import pytest


def _dfn_cycle(mode: str) -> pybamm.Solution:
    # the bench's baseline protocol at 1C on a coarse mesh (same machinery, cheaper)
    model = pybamm.lithium_ion.DFN({"working electrode": "positive"})
    var_pts = {**model.default_var_pts, "x_s": 5, "x_p": 5, "r_p": 5}
    exp = pybamm.Experiment([("Discharge at 1C until 3.5 V", "Rest for 5 minutes",
                              "Charge at 1C until 4.2 V")])
    return pybamm.Simulation(model, parameter_values=pybamm.ParameterValues("Xu2019"),
                             experiment=exp, var_pts=var_pts,
                             solver=pybamm.IDAKLUSolver(rtol=1e-6, atol=1e-8),
                             experiment_model_mode=mode).solve()


def test_dfn_baseline_same_cycle_in_either_experiment_mode() -> None:
    """Discharge capacity of each step, and the voltage inside the steps, agree between
    one model per step and one model for the protocol (rtol 1e-6: 1e-6 relative on
    the capacities, 0.5 mV on the voltage)."""
    legacy, unified = _dfn_cycle("legacy"), _dfn_cycle("unified")
    assert len(legacy.sub_solutions) == len(unified.sub_solutions) == 3
    for a, b in zip(legacy.sub_solutions, unified.sub_solutions, strict=True):
        qa = a["Discharge capacity [A.h]"].entries
        qb = b["Discharge capacity [A.h]"].entries
        assert qb[-1] - qb[0] == pytest.approx(qa[-1] - qa[0], rel=1e-6, abs=1e-9)
        t = a.t[1:-1]
        t = t[t < b.t[-1]]
        np.testing.assert_allclose(b["Voltage [V]"](t), a["Voltage [V]"](t), atol=5e-4)
