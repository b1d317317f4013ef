"""User trial U18: a C-rate at which the Li||LFP cell starts beyond a cut-off is refused.

``hemcell limetal rate --c-rates 1000`` and ``cycle --c-rate 1000`` ended in "Li||LFP DFN
solve failed: Events ['Minimum voltage [V]'] are non-positive at initial conditions with
inputs {...}" (exit 1): at 1000C the voltage at t = 0 is already below 2.5 V.
"""

from __future__ import annotations

import pytest

from hemcell.cli.main import main


@pytest.mark.parametrize(("command", "text"), [
    (["rate", "--c-rates", "0.1,1000"], "got '1000C (discharge, rate discharge, initial voltage)'"),
    (["cycle", "--cycles", "2", "--c-rate", "1000"], "got '1000C (charge, cycle 1 charge)'"),
])
def test_a_c_rate_beyond_the_cut_offs_exits_2(tmp_path, capsys, command, text):
    code = main(["limetal", *command, "--anode", "bare", "--out", str(tmp_path / "o"),
                 "--no-plots"])
    err = capsys.readouterr().err
    assert code == 2, err
    assert text in err and "cut-offs 2.5-4 V" in err and "DFN solve failed" not in err


def test_a_high_c_rate_inside_the_cut_offs_still_runs(tmp_path):
    """300C starts above 2.5 V and is solved (13.1 mAh/g): only the start is checked."""
    assert main(["limetal", "rate", "--anode", "bare", "--c-rates", "300", "--out",
                 str(tmp_path / "o"), "--no-plots"]) == 0


def test_cc_discharge_refuses_a_c_rate_below_the_cut_off_at_the_start(tmp_path, capsys):
    """`hemcell pybamm cc-discharge --params bare_li --c-rate 1000` ended in 'PyBaMM
    failed: Events ['Minimum voltage [V]'] are non-positive at initial conditions with
    inputs {}' (exit 1)."""
    code = main(["pybamm", "cc-discharge", "--params", "bare_li", "--c-rate", "1000",
                 "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert code == 2 and "--c-rate: got 1000.0" in err and "lower cut-off 2.5 V" in err
