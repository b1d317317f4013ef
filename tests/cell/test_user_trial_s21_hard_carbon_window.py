"""User trial s21: hard-carbon full cells refused a cut-off below the cathode's window.

``cell run hc_full_cell_na_nvpf --params cathode_he_nvpf --protocol "Charge at C/2 until
4.3 V; Discharge at C/2 until 1.5 V"`` exited 2 ("voltages inside the window 2–4.3 V of
the cathode set"): the half-cell rule, where the cell's voltage is the cathode's. Against
hard carbon, as against a HEM anode, the cathode stands at the cell's voltage plus the
anode's potential (and, on discharge, the electrolyte's drop), so only a cut-off above the
window's top is refused; the run reports the cathode's potential vs Na (PyBaMM's
x-averaged Δφ of the positive electrode) as the HEM full cells do. Discharged to 1.5 V at
C/2 the cathode ends at 3.48 V vs Na: the hard carbon emptied, the cathode did not.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest

from hemcell.cli.main import main

ARGS = ["cell", "run", "hc_full_cell_na_nvpf", "--params", "cathode_he_nvpf", "--no-plots"]


def test_a_cut_off_below_the_window_runs_and_reports_the_cathode(tmp_path):
    out = tmp_path / "hc"
    assert main([*ARGS, "--protocol", "Charge at C/2 until 4.3 V; Discharge at C/2 until 1.5 V",
                 "--out", str(out)]) == 0
    s = json.loads((out / "summary.json").read_text())
    # discharging, the cathode stands above the cell's voltage: it never reaches 1.5 V
    assert 1.5 < s["cathode_min_potential_vs_metal_V"] < s["cathode_max_potential_vs_metal_V"]
    assert (s["cathode_min_potential_cycle"], s["cathode_min_potential_step"]) == (1, 2)
    assert s["cathode_max_potential_step"] == 1
    ts = pd.read_csv(out / "timeseries.csv")
    dis = ts[ts["step"] == 2]
    assert (dis["cathode_potential_vs_metal_V"] > dis["voltage_V"]).all()
    # the CSV holds 8 significant digits
    assert ts["cathode_potential_vs_metal_V"].min() == pytest.approx(
        s["cathode_min_potential_vs_metal_V"], rel=1e-7)


def test_a_cut_off_above_the_window_top_is_still_refused(tmp_path, capsys):
    out = tmp_path / "top"
    assert main([*ARGS, "--protocol", "Charge at C/2 until 4.5 V", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "--protocol: got '4.5 V'" in err and "up to the top 4.3 V" in err
    assert not out.exists()
