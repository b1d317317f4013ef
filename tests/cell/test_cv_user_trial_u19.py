"""User trial u19: `hemcell cell cv` at fast scan rates.

``hemcell cell cv hem_half_cell_sp --params heo_rocksalt_mgconicuzn --scan-rates 1000``
(1 V/s) exited 1, "no scan rate could be solved: IDA_BAD_K ... t = 0 s", and so did
500 mV/s (200 ran): the drive started 0.1 mV below the rest potential at every rate, a
start current too small against the double-layer current of a fast sweep.
"""

from __future__ import annotations

import pytest

from hemcell.workflows.anode_cv import START_OFFSET_MIN_V, run_cv, start_offset_V


def test_a_one_volt_per_second_scan_is_solved():
    res = run_cv("hem_half_cell_sp", "heo_rocksalt_mgconicuzn", [200.0, 1000.0], (0.01, 3.0),
                 1, points_per_segment=100)
    slow, fast = res.curves
    assert fast.completed and fast.error is None and slow.completed
    # the drive starts below the rest potential by the voltage it covers in 0.5 ms, at
    # least 0.1 mV (the summary's start_voltage_V: the slowest rate's)
    assert slow.start_voltage_V - fast.start_voltage_V == pytest.approx(0.5e-3 - 1e-4,
                                                                       abs=1e-12)
    assert res.start_voltage_V == slow.start_voltage_V


@pytest.mark.parametrize("rate_mV_per_s", [0.1, 2.0, 200.0])
def test_slow_scans_start_where_they_did(rate_mV_per_s):
    """Up to 200 mV/s the start offset is the former 0.1 mV (results unchanged)."""
    assert start_offset_V(rate_mV_per_s * 1e-3) == START_OFFSET_MIN_V == 1e-4


def test_a_cv_against_molten_sodium_is_refused():
    """``cell cv ... --ion Na --set ambient_temperature=380K`` ran (exit 0) against a Na
    counter electrode that melts at 370.9 K; ``cell run`` refused it."""
    from hemcell.errors import InputError

    with pytest.raises(InputError) as err:
        run_cv("hem_half_cell_sp", "heo_rocksalt_mgconicuzn", [1.0], (0.01, 3.0), 1,
               overrides=["ambient_temperature=380K"], ion="Na")
    assert err.value.field == "ambient_temperature" and "370.9 K" in err.value.allowed


def test_a_cv_outside_the_electrolyte_range_says_so(capsys):
    """At 70 degC the Li CV said nothing of its extrapolated Valoen & Reimers electrolyte
    (``cell run`` warns)."""
    run_cv("hem_half_cell_sp", "heo_rocksalt_mgconicuzn", [100.0], (0.01, 3.0), 1,
           overrides=["ambient_temperature=70degC"], points_per_segment=50)
    assert "343.15 K (70.0 degC) is outside 263.15-333.15 K" in capsys.readouterr().err


def test_the_start_offset_is_at_most_10_mV():
    """Beyond 20 V/s the start stays 10 mV below the rest potential (below RT/F)."""
    assert start_offset_V(20.0) == pytest.approx(1e-2)
    assert start_offset_V(1e3) == 1e-2
