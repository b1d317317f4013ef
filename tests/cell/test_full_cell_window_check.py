"""A full cell's cut-offs against its cathode set's window, and the cathode's potential
range over a run.

Found in a user trial: ``hem_full_cell_k_pba ... Discharge until 1.0 V`` was refused
because 1.0 V lies below the K-PBA set's 1.5-4.2 V window (vs K). But a full cell's
voltage is the cathode's potential minus the anode's, and the anode sits above the metal:
the cathode stands at least at the cell's voltage, so only a cell voltage above the
window's top drives it out of its window. At the lower cut-off the anode's potential
decides, and the run reports the cathode's lowest potential (and warns below the window).
"""

from __future__ import annotations

import pytest

from hemcell.cell import analysis
from hemcell.cell.cathodes import cathode_set_si, check_cathode_cell
from hemcell.errors import InputError
from hemcell.workflows.anode import run_cell, summarize

K_PBA = "cathode_k_pba_femn"


def test_a_full_cell_is_refused_above_the_window_only():
    si = cathode_set_si(K_PBA)
    window = (si["cathode_lower_cutoff_potential"], si["cathode_upper_cutoff_potential"])
    assert tuple(map(float, window)) == (1.5, 4.2)
    low = "Charge at C/5 until 4.0 V; Discharge at C/5 until 1.0 V"
    check_cathode_cell(K_PBA, si, "K", low, full_cell=True)  # no refusal
    with pytest.raises(InputError, match="1 V"):  # a half cell's voltage is the cathode's
        check_cathode_cell(K_PBA, si, "K", low)
    with pytest.raises(InputError, match=r"4\.4 V.*up to the top 4\.2 V"):
        check_cathode_cell(K_PBA, si, "K", "Charge at C/5 until 4.4 V", full_cell=True)


def test_the_run_reports_the_cathodes_range_and_warns_past_either_end():
    """Charged to 4.0 V the cathode goes to 4.52 V vs K (the anode's film holds it near
    0.5 V): above the window, a warning; discharged to 1.0 V it stays at 3.62 V (the
    anode's potential rose, not the cathode's fell): no warning below. The same steps with
    a window whose bottom lies above that minimum warn below it, naming the step."""
    run = run_cell("hem_full_cell_k_pba", "heo_rocksalt_mgconicuzn",
                   "Charge at C/5 until 4.0 V; Discharge at C/5 until 1.0 V", ion="K")
    s, steps, cycles = summarize(run)
    v_max, v_min = s["cathode_max_potential_vs_metal_V"], s["cathode_min_potential_vs_metal_V"]
    assert 4.2 < v_max < 4.6 and 1.5 < v_min < v_max
    assert (s["cathode_max_potential_step"], s["cathode_min_potential_step"]) == (1, 2)
    warned = [w for w in s["warnings"] if "cathode's potential" in w]
    assert len(warned) == 1 and "above the top of its window, 4.2 V" in warned[0]
    cathode = [v for st in steps for v in st.data["cathode_potential_vs_metal_V"]]
    assert (max(cathode), min(cathode)) == (v_max, v_min)
    _, warned = analysis.cathode_potential_extremes(steps, cycles, "K", (v_min + 0.1, 5.0))
    assert len(warned) == 1 and "below the bottom of its window" in warned[0]
    assert "(cycle 1, step 2)" in warned[0]
