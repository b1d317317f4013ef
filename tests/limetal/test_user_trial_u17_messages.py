"""User trial u17: `hemcell limetal` errors name the one option at fault, with units.

``limetal symmetric --current-density 1e6mA/cm2`` said "got 10000000.0" (the SI number,
no unit, not what was typed), and ``limetal cycle --cycles 0`` said
"--cycles/--stride/--c-rate: got (0, 1, 1.0)" (three options, one of them wrong).
"""

from __future__ import annotations

import pytest

from hemcell.cli.main import main


def _err(argv, tmp_path, capsys):
    code = main([*argv, "--no-plots", "--out", str(tmp_path / "o")])
    captured = capsys.readouterr()
    return code, captured.err + captured.out


def test_a_current_above_the_limiting_current_is_echoed_with_units(tmp_path, capsys):
    code, err = _err(["limetal", "symmetric", "--current-density", "1e6mA/cm2",
                      "--hours", "10"], tmp_path, capsys)
    assert code == 2
    assert "--current-density: got '1e+06 mA/cm**2 (= 1e+07 A/m**2)'" in err
    assert "10000000.0" not in err
    assert "mA/cm**2) of the separator" in err  # the limit in the unit typed as well


@pytest.mark.parametrize(("option", "value", "allowed"), [
    ("--cycles", "0", "an integer >= 1"),
    ("--stride", "0", "an integer from 1 to the number of cycles (3)"),
    ("--c-rate", "0", "a finite C-rate > 0"),
])
def test_cycle_names_the_one_option_at_fault(tmp_path, capsys, option, value, allowed):
    argv = ["limetal", "cycle", "--cycles", "3", option, value]
    code, err = _err(argv, tmp_path, capsys)
    assert code == 2
    assert f"error: {option}: got {float(value) if option == '--c-rate' else int(value)}; " \
           f"allowed: {allowed}" in err
    assert "--cycles/--stride" not in err
