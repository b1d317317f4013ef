"""User trial U18: durations in hours are printed without an exponent.

``hemcell limetal zn-symmetric --anode both`` printed ``coated: ... inventory life
1.711e+04 h`` (``f"{h:.4g} h"``), also in the figure's legend; the same format was used
for symmetric and Li||Cu failure times and for the stepped rate test's warning.
"""

from __future__ import annotations

import pytest

from hemcell.limetal.timetext import hours_text, plain_number


@pytest.mark.parametrize(("hours", "text"), [
    (17113.6, "17110 h (1.95 years)"),
    (1712.04, "1712 h"),
    (570.23, "570.2 h"),
    (0.25, "0.25 h"),
    (0.000123456, "0.0001235 h"),
    (9.9996, "10 h"),
    (0.0, "0 h"),
    (8766.0, "8766 h (1 year)"),
    (123456789.0, "123500000 h (14100 years)"),
])
def test_hours_have_four_significant_digits_and_no_exponent(hours, text):
    assert hours_text(hours) == text


def test_plain_number_round_trips_to_the_significant_digits():
    for v in (1.23456e-7, 3.14159, 2.71828e5, 6.02214e23):
        assert float(plain_number(v)) == pytest.approx(v, rel=5e-4)
        assert "e" not in plain_number(v)


def test_zn_symmetric_prints_the_life_without_exponent(tmp_path, capsys):
    from hemcell.cli.main import main

    code = main(["limetal", "zn-symmetric", "--anode", "both", "--out", str(tmp_path / "o"),
                 "--no-plots"])
    out = capsys.readouterr().out
    assert code == 0
    assert "e+0" not in out
    assert "coated: CE 99.943 %, inventory life 17110 h (1.95 years)" in out


def test_the_demo_prints_its_headline_numbers():
    """`hemcell limetal demo` printed only 'results in DIR' though it computes the bare
    and coated headline numbers."""
    from hemcell.cli.limetal import demo_lines

    lines = demo_lines({
        "rate_discharge_capacity_mAh_per_g": {"bare": {"0.1": 152.6, "4": 115.3},
                                              "coated": {"0.1": 152.7, "4": 115.4}},
        "capacity_retention_100_cycles": {"bare": 0.885, "coated": 0.96},
        "symmetric_time_to_failure_h": {"bare": 570.0, "coated": None},
        "nucleation_overpotential_mV": {"bare": 237.8, "coated": 80.3}})
    assert lines == ["Li||LFP at 4C: bare 115.3, coated 115.4 mAh/g",
                     "Li||LFP retention after 100 cycles: bare 88.5 %, coated 96.0 %",
                     "Li||Li at 1 mA/cm2, failure: bare 570 h, coated none",
                     "Li on Cu, nucleation overpotential: bare 237.8 mV, coated 80.3 mV"]
