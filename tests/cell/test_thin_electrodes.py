"""Thin cathode electrodes at low current (hemcell.workflows.cathode_half_cell.electrode_mesh).

A cathode's finite-volume cells are kept at least one particle diameter thick: thinner
cells resolve nothing porous-electrode theory holds and ill-condition the algebraic system
(the solid potential's σ/Δx² against the reaction's a ∂j/∂η, smallest at a low current).
Checks: the sets' 68 µm electrodes keep the recipe's mesh; 10 µm ones get ⌊L/2R⌋ cells
and their C/20 first charge (which failed in the first step) runs to the composition's
window capacity.
"""

from __future__ import annotations

import pytest

pybamm = pytest.importorskip("pybamm")

from hemcell.cell.recipes import load_recipe  # noqa: E402
from hemcell.workflows.cathode_half_cell import (  # noqa: E402
    MIN_CELLS,
    electrode_mesh,
    run_cell,
    summarize,
)

RECIPE = "cathode_half_cell_p2d"
NVPF = "cathode_he_nvpf"
NVPF_FORMULA = "Na3V1.9Ca0.02Mg0.02Al0.02Cr0.02Mn0.02(PO4)2F3"


def _mesh(params: str, thickness: str) -> dict[str, int]:
    from hemcell.cell.cathodes import cathode_set_values, half_cell_values

    si, _ = cathode_set_values(params, [f"cathode_thickness={thickness}"],
                               metal_counter_electrode=True)
    model = pybamm.lithium_ion.DFN({"working electrode": "positive"})
    return electrode_mesh(model, load_recipe(RECIPE), half_cell_values(params, si))


@pytest.mark.parametrize(("thickness", "cells"), [("68um", 20), ("20um", 16), ("10um", 8),
                                                  ("5um", 4), ("1um", MIN_CELLS)])
def test_cathode_cells_are_at_least_a_particle_diameter(thickness, cells):
    """NVPF, R = 0.59 µm: N = min(20, max(3, ⌊L / 1.18 µm⌋)); other domains as the recipe."""
    mesh = _mesh(NVPF, thickness)
    assert mesh["x_p"] == cells
    assert (mesh["x_s"], mesh["r_p"]) == (10, 10)


def test_thin_nvpf_charges_at_c20_to_the_window_capacity():
    """10 µm NVPF at C/20 (0.17 A m⁻²; failed in the first step with 20 cells): the first
    charge to 4.3 V gives the composition's window capacity (119.6 mAh g⁻¹) to 2 %, as the
    68 µm electrode does (the rest: overpotential and the OCP wall inside θ = 1)."""
    from hemcell.materials.cathode import cathode_inventory

    run = run_cell(RECIPE, NVPF, "Charge at C/20 until 4.3 V", overrides=["cathode_thickness=10um"])
    summary = summarize(run)
    assert run.error is None, run.error
    assert summary["mesh"]["x_p"] == 8
    expected = cathode_inventory(NVPF_FORMULA, ion="Na", window=(2.0, 4.3))[
        "capacity_mAh_per_g"]["window_first_charge"]
    assert summary["charge_capacity_by_step_mAh_per_g"][0] == pytest.approx(expected, rel=0.02)
    assert summary["charge_balance_relative_error"] < 1e-6


def test_thin_pba_runs_with_the_recipe_mesh_and_step_duration():
    """The HE-PBA at 10 µm and 0.01 A/g failed in its first step (IDA corrector failure at
    121 s) with the recipe's 20 cells and the duration `cell run` adds; with 8 cells the
    charge and discharge run and return the same capacity."""
    run = run_cell(RECIPE, "cathode_hepba_femnnicuco",
                   "Charge at 0.01 A/g until 4.2 V; Discharge at 0.01 A/g until 2.0 V",
                   overrides=["cathode_thickness=10um"])
    summary = summarize(run)
    assert run.error is None, run.error
    ch, dis = (summary["charge_capacity_by_step_mAh_per_g"][0],
               summary["discharge_capacity_by_step_mAh_per_g"][0])
    assert dis == pytest.approx(ch, rel=0.01)
    assert summary["charge_balance_relative_error"] < 1e-6
