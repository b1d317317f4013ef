"""User trial (session 14): ``hemcell pybamm cc-discharge`` printed its capacity as
``0.000717518 A.h``; it prints mAh and mAh/cm2 of electrode area, as the other cell
commands report a cell, and the mean voltage."""

from __future__ import annotations

import json
import re

import pytest

from hemcell.cli.main import main


def test_the_capacity_is_printed_in_mah_and_mah_per_cm2(tmp_path, capsys):
    out = tmp_path / "o"
    assert main(["pybamm", "cc-discharge", "--model", "SPM", "--out", str(out)]) == 0
    line = capsys.readouterr().out
    summary = json.loads((out / "summary.json").read_text())
    assert "A.h" not in line
    m = re.search(r"discharge capacity (\S+) mAh \((\S+) mAh/cm2\), mean voltage (\S+) V",
                  line)
    assert m is not None, line
    # the printed numbers are the summary's, to the 4 digits printed
    assert float(m[1]) == pytest.approx(summary["discharge_capacity_Ah"] * 1e3, rel=5e-4)
    assert float(m[2]) == pytest.approx(summary["discharge_capacity_mAh_per_cm2"], rel=5e-4)
    assert float(m[3]) == pytest.approx(summary["average_voltage_V"], rel=5e-4)
