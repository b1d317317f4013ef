"""A unified-mode simulation makes the process keep the memory it frees
(hemcell.workflows.anode.build_simulation; docs/anode.md "Numerics").

With one model for the protocol, glibc returned the pages of each step's output arrays to
the kernel after the step, and the next step faulted them in again: about 2 000 page
faults per re-solve of the P2D benchmark cycle, none with one model per step
(scripts/unified_mode_cost.py). ``build_simulation`` therefore calls
:func:`hemcell.surface.petsc.keep_freed_memory` in unified mode, and only there.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

import hemcell.workflows.anode as anode
from hemcell.workflows.anode import build_simulation, prepare_cell

PROTOCOL = "Discharge at 0.5 A/g for 20 minutes; Rest for 5 minutes"


@pytest.mark.parametrize(("mode", "calls"), [("unified", 1), ("legacy", 0)])
def test_building_a_unified_mode_simulation_keeps_freed_memory(monkeypatch, mode, calls):
    made = []
    monkeypatch.setattr(anode, "keep_freed_memory", lambda: made.append(1) or True)
    setup = prepare_cell("hem_half_cell_sp", "heo_rocksalt_mgconicuzn", PROTOCOL)
    rec = replace(setup.recipe, experiment_model=mode)
    sim = build_simulation(rec, setup.parameter_values, setup.inventory, setup.experiment)
    assert sim._experiment_model_mode == mode
    assert len(made) == calls
