"""User trial U18: ``limetal symmetric`` refuses ``--hours`` shorter than one cycle.

``--areal-capacity 100mAh/cm2 --hours 10`` (a 200 h cycle at 1 mA/cm²) ran the whole
first cycle and reported "failure: 92.77 h ... (Li inventory exhausted)" for a 10 h test;
``--hours 1`` at the defaults ran a 2 h cycle. The cell is evaluated cycle by cycle.
"""

from __future__ import annotations

import pytest

from hemcell.cli.main import main


@pytest.mark.parametrize(("args", "cycle"), [
    (["--areal-capacity", "100mAh/cm2", "--hours", "10"], "200 h (2 x 100 mAh/cm2 at 1 mA/cm2)"),
    (["--hours", "1"], "2 h (2 x 1 mAh/cm2 at 1 mA/cm2)"),
    (["--rate-steps", "0.2,0.5", "--hours", "5"], "10 h (2 x 1 mAh/cm2 at 0.2 mA/cm2)"),
])
def test_hours_below_one_cycle_are_refused(tmp_path, capsys, args, cycle):
    code = main(["limetal", "symmetric", "--anode", "both", *args, "--out",
                 str(tmp_path / "o"), "--no-plots"])
    err = capsys.readouterr().err
    assert code == 2
    assert f"--hours: got {float(args[-1])}; allowed: at least one cycle, {cycle}" in err
    assert not (tmp_path / "o").exists()


def test_exactly_one_cycle_runs(tmp_path):
    assert main(["limetal", "symmetric", "--anode", "coated", "--hours", "2", "--out",
                 str(tmp_path / "o"), "--no-plots"]) == 0
