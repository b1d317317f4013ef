"""A first-step solver failure of a cathode half cell gets the hint of its step kind."""

from __future__ import annotations

import pytest

pybamm = pytest.importorskip("pybamm")

from hemcell.cell.protocols import solver_failure_hint  # noqa: E402
from hemcell.errors import SimulationError  # noqa: E402
from hemcell.workflows.cathode_half_cell import run_cell  # noqa: E402

PBA = "cathode_hepba_femnnicuco"


@pytest.fixture
def failing_solver(monkeypatch):
    """Every solve fails as IDAKLU does when a step cannot proceed (no solve is run)."""
    def fail(self, *args, **kwargs):
        raise pybamm.SolverError("IDA_CONV_FAIL (fake)")

    monkeypatch.setattr(pybamm.Simulation, "solve", fail)


@pytest.mark.parametrize("first", ["Discharge at 0.5 mW until 2.0 V",
                                   "Discharge at C/20 until 2.0 V"])
def test_a_first_step_failure_gives_the_steps_own_hint(failing_solver, first):
    with pytest.raises(SimulationError) as info:
        run_cell("cathode_half_cell_sp", PBA, first)
    assert info.value.hint == solver_failure_hint(first)
    if "mW" in first:
        assert "constant-power discharge" in str(info.value.hint)
