"""``limetal nucleation`` away from the calibration current says its nucleation
overpotential is not a prediction there (docs/limetal.md, current density); at the
calibration's 1 mA/cm² (seed 004 L76) it says nothing of it."""

from __future__ import annotations

import json

import pytest

from hemcell.cli.main import main

PHRASE = "is not a prediction of the measured one"


@pytest.mark.parametrize("current, warned", [("1", False), ("2", True), ("0.5", True)])
def test_the_warning_follows_the_current(tmp_path, capsys, current, warned):
    out = tmp_path / "o"
    assert main(["limetal", "nucleation", "--current-density", f"{current} mA/cm2",
                 "--out", str(out), "--no-plots"]) == 0
    err = capsys.readouterr().err
    summary = json.loads((out / "summary.json").read_text())
    assert (PHRASE in err) is warned
    assert any(PHRASE in w for w in summary.get("warnings", [])) is warned
    if warned:
        assert f"at {current} mA/cm2" in err and "calibrated at 1 mA/cm2" in err
