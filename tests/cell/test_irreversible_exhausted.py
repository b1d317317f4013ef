"""The irreversible first-lithiation loss is one-directional also past exhaustion: a
consumed fraction s a hair above 1 (a solver overshoot) carries no current, where the
factor (1 − s) made it run backwards (an oxidation current amplified by the reduction
branch's exponential at low potential; the consumed fraction fell below 1 again)."""

from __future__ import annotations

import numpy as np
import pybamm

from hemcell.cell.model import HEMHalfCell


def test_an_overshoot_past_exhaustion_carries_no_current():
    model = HEMHalfCell({"x-average": "true"})
    pv = model.default_parameter_values.copy()
    pv["Anode irreversible initial consumed fraction"] = 1 + 1e-6
    sim = pybamm.Simulation(model, parameter_values=pv,
                            experiment=pybamm.Experiment(["Discharge at C/5 until 0.01 V"]))
    sol = sim.solve()
    j = sol["Anode irreversible volumetric current density [A.m-3]"].entries
    s = sol["Anode irreversible consumed fraction"].entries
    assert np.all(j == 0.0)
    assert np.all(s == 1 + 1e-6)
