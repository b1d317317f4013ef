"""Lengths in a summary read as they were written: ``limetal symmetric`` reported the
25 um separator as ``separator_thickness_um: 24.999999999999996`` (25 um parses to
2.4999999999999998e-05 m, times 1e6). :func:`hemcell.units.from_si` converts an SI value
to a report unit at 12 significant digits, well above the 1e-16 relative round-off of the
two conversions and below any physical digit."""

from __future__ import annotations

import json

import pytest

from hemcell.cli.main import main
from hemcell.params import load_parameter_set
from hemcell.units import REPORT_SIGNIFICANT_DIGITS, from_si, to_si


@pytest.mark.parametrize("um", [25.0, 20.0, 17.3, 0.1, 675.0])
def test_a_length_written_in_um_reads_back_exactly(um):
    metres = to_si(um, "um", "m", "separator_thickness")
    assert from_si(metres, 1e6) == um


def test_the_sets_separator_carries_the_round_off():
    """The set's 25 um times 1e6 is not 25.0: what the summary showed before."""
    assert 1e6 * load_parameter_set("bare_li").si["separator_thickness"] != 25.0


def test_twelve_significant_digits_are_kept():
    assert REPORT_SIGNIFICANT_DIGITS == 12
    assert from_si(1.23456789012345e-5, 1e6) == 12.3456789012
    assert from_si(0.1 + 0.2, 1.0) == 0.3


@pytest.mark.parametrize(("overrides", "um"), [((), 25.0), (("separator_thickness=20 um",), 20.0)])
def test_symmetric_summary_reports_the_separator_as_written(tmp_path, overrides, um):
    args = [a for o in overrides for a in ("--set", o)]
    assert main(["limetal", "symmetric", "--anode", "bare", "--hours", "2", "--no-plots",
                 *args, "--out", str(tmp_path / "s")]) == 0
    summary = json.loads((tmp_path / "s" / "summary.json").read_text())
    assert summary["separator_thickness_um"] == um
    assert json.dumps(summary["separator_thickness_um"]) == f"{um}"
