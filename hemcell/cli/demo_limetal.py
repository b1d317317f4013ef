"""Bare vs HEA-coated Li side by side (the Li-metal part of ``hemcell demo``).

Runs, for both anodes: the Li‖LFP rate test, a shortened cycling run (100 cycles,
stride 5), Li‖Li at 1 mA/cm**2 for 2000 h and the first plating on Cu, each into its
own sub-folder of ``out_dir`` (figures ``rate.png``, ``cycling.png``, ``symmetric.png``,
``nucleation.png``). ``hemcell limetal cycle --anode both --cycles 300`` gives the full
cycling run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


def run_demo(out_dir: Path) -> dict[str, Any]:
    """Run the bare vs coated comparison; return the headline numbers."""
    from hemcell.workflows import limetal as run

    both = ["bare", "coated"]
    out_dir = Path(out_dir)
    rate = run.rate(both, run.RATES_DEFAULT, out_dir / "rate")
    cyc = run.cycle(both, 100, 1.0, out_dir / "cycle", stride=5)
    sym = run.symmetric(both, 10.0, 36000.0, 2000.0, out_dir / "symmetric")
    nuc = run.nucleation(both, 10.0, None, out_dir / "nucleation")
    return {
        "rate_discharge_capacity_mAh_per_g": {
            a: v["discharge_capacity_mAh_per_g"] for a, v in rate["by_anode"].items()},
        "capacity_retention_100_cycles": {a: v["capacity_retention"]
                                          for a, v in cyc["by_anode"].items()},
        "symmetric_time_to_failure_h": {a: v["time_to_failure_h"]
                                        for a, v in sym["by_anode"].items()},
        "nucleation_overpotential_mV": {a: v["nucleation_overpotential_mV"]
                                        for a, v in nuc["by_anode"].items()},
        "figures": ["rate/rate.png", "cycle/cycling.png", "symmetric/symmetric.png",
                    "nucleation/nucleation.png"],
    }
