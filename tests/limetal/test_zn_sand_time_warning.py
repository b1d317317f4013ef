"""``limetal zn-symmetric`` at a current the free electrolyte cannot carry says so.

At 1e6 mA/cm² (bare and coated Zn, 1 mAh/cm²) Sand's time of the free electrolyte,
π D (z c₀ F)² / (4 (i (1 − t₊))²), is 2.8 µs against a 3.6 ms half cycle: the surface runs
out even without focusing (``failure_mode`` "short possible"), yet the run printed CE
100.000 % and an inventory life of 3.5 h without a word. At the set's 1 mA/cm² it says
nothing of it."""

from __future__ import annotations

import json
import math

import pytest

from hemcell.cli.main import main

PHRASE = "the electrolyte at the plating surface runs out even without current focusing"


@pytest.mark.parametrize("current, warned", [("1e6 mA/cm2", True), ("1 mA/cm2", False)])
def test_the_warning_is_the_summary_s_failure_mode(tmp_path, capsys, current, warned):
    out = tmp_path / "zn"
    assert main(["limetal", "zn-symmetric", "--anode", "both", "--current-density", current,
                 "--out", str(out), "--no-plots"]) == 0
    err = capsys.readouterr().err
    summary = json.loads((out / "summary.json").read_text())
    for anode in ("bare", "coated"):
        s = summary["by_anode"][anode]
        assert (f"{anode}: Sand's time" in err) is warned
        assert (s["failure_mode"] == "short possible") is warned
        # the criterion: Sand's time below the half cycle <=> focusing threshold below 1
        t_half_h = s["areal_capacity_mAh_per_cm2"] / s["current_density_mA_per_cm2"]
        assert (s["sand_time_h"] < t_half_h) is warned
        assert s["short_focusing_threshold"] == pytest.approx(
            math.sqrt(s["sand_time_h"] / t_half_h), rel=1e-9)
    assert (PHRASE in err) is warned
