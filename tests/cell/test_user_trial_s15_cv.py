"""User trial s15: `hemcell cell cv` at scan rates the electrode cannot follow.

``hemcell cell cv hem_half_cell_sp --params heo_rocksalt_mgconicuzn --scan-rates 1e6``
ended in SUNDIALS error lines and exit 1; 2e5 mV/s failed the same way at t = 30 ms of
a 25 ms sweep (IDA stepped past the step's end into the linearly extrapolated drive).
"""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from hemcell.errors import InputError
from hemcell.workflows.anode_cv import (
    check_scan_rates_followed,
    drive_with_end_hold,
    run_cv,
    triangle_drive,
)


def test_the_scan_rate_bound_is_the_window_over_the_rc_lag():
    """v < ΔV/(R_s C + τ_dl): R = 1 Ω, C = 10 mF, τ_dl = 10 ms give τ = 20 ms, and a
    1 V window 50 V/s."""
    check_scan_rates_followed([4.99e4], (0.0, 1.0), 1.0, 0.01, 0.01)
    with pytest.raises(InputError) as err:
        check_scan_rates_followed([1.0, 5.01e4], (0.0, 1.0), 1.0, 0.01, 0.01)
    assert err.value.field == "--scan-rates" and err.value.value == "50100"
    assert "below 5e+04 mV/s" in err.value.allowed and "20 ms" in err.value.allowed
    # a narrower window lowers it in proportion
    with pytest.raises(InputError, match=r"below 2\.5e\+04 mV/s"):
        check_scan_rates_followed([3e4], (0.5, 1.0), 1.0, 0.01, 0.01)


def test_no_conducting_electrolyte_gives_no_bound():
    """Without electrolyte (R_s = inf, ``separator_resistance_ohm``) nothing is refused."""
    check_scan_rates_followed([1e9], (0.0, 1.0), float("inf"), 0.01, 0.01)


def test_the_hold_leaves_the_drive_inside_the_step_unchanged():
    t, V, _ = triangle_drive(2.0, (0.01, 3.0), 200.0, 1, 50)
    held = drive_with_end_hold(t, V)
    np.testing.assert_array_equal(held[:-1], np.column_stack([t, V]))
    assert held[-1, 0] == 2 * t[-1] and held[-1, 1] == V[-1] == 3.0


def test_an_absurd_scan_rate_is_refused_before_any_sweep(tmp_path):
    """Exit 2, the field, the value and the bound; no solver lines."""
    r = subprocess.run(
        [sys.executable, "-m", "hemcell", "cell", "cv", "hem_half_cell_sp", "--params",
         "heo_rocksalt_mgconicuzn", "--scan-rates", "1,1e6", "--no-plots", "--out",
         str(tmp_path / "cv")], capture_output=True, text=True, timeout=300)
    assert r.returncode == 2, r.stderr
    assert "--scan-rates: got '1e+06'" in r.stderr
    # C = 0.2 F/m2 x 3 eps/R x L x A = 5.9 mF, R_s = 0.558 Ohm, tau_dl = 10 ms
    assert "below 2.25e+05 mV/s" in r.stderr and "C = 0.00591 F" in r.stderr
    assert not (tmp_path / "cv" / "summary.json").exists()
    assert "SUNDIALS" not in r.stderr and "IDA" not in r.stderr and "Traceback" not in r.stderr


def test_a_scan_just_below_the_bound_runs():
    """2.2e5 mV/s (bound 2.25e5) failed past the sweep's end before the drive was held."""
    res = run_cv("hem_half_cell_sp", "heo_rocksalt_mgconicuzn", [2.2e5], (0.01, 3.0), 1,
                 points_per_segment=50)
    (curve,) = res.curves
    assert curve.completed and curve.error is None
    assert curve.time_s[-1] == pytest.approx((res.start_voltage_V - 0.01 + 2.99) / 220.0)
