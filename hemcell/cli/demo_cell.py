"""Demo part for ``hemcell demo``: a half-cell cycle of the rock-salt HEO with its
mechanism split (P2D, all mechanisms, 0.1 A g⁻¹, two cycles)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

DEMO_PROTOCOL = (
    "Discharge at 0.1 A/g until 0.01 V; Rest for 10 minutes; Charge at 0.1 A/g until 3 V; "
    "Rest for 10 minutes"
)


def run_demo(out_dir: str | Path, cycles: int = 2) -> dict[str, Any]:
    """Simulate the HEO half-cell and write figures and summary into ``out_dir``.

    Returns
    -------
    dict
        Headline numbers (capacities, CE, mechanism split of the first lithiation) and
        the figure names.
    """
    from hemcell.workflows.anode import run_cell, write_outputs

    run = run_cell("hem_half_cell_p2d", "heo_rocksalt_mgconicuzn", DEMO_PROTOCOL, cycles=cycles)
    summary = write_outputs(run, out_dir, command="hemcell demo (cell part)")
    return {
        "parameter_set": summary["parameter_set"],
        "protocol": DEMO_PROTOCOL,
        "discharge_capacity_mAh_per_g": summary["discharge_capacity_mAh_per_g"],
        "charge_capacity_mAh_per_g": summary["charge_capacity_mAh_per_g"],
        "coulombic_efficiency": summary["coulombic_efficiency"],
        "capacity_by_mechanism_mAh_per_g": summary["capacity_by_mechanism_mAh_per_g"][0],
        "charge_balance_relative_error": summary["charge_balance_relative_error"],
        "figures": ["voltage_profile.png", "mechanism_contributions.png", "dqdv.png"],
    }
