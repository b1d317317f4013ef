"""`hemcell limetal` options a user mistypes: the message shows what was typed."""

from __future__ import annotations

import pytest

from hemcell.cli.main import main


@pytest.mark.parametrize(("option", "value"), [("--current-density", "-1mA/cm2"),
                                               ("--current-density", "0mA/cm2"),
                                               ("--areal-capacity", "-1mAh/cm2")])
def test_non_positive_current_or_capacity_names_the_option(tmp_path, capsys, option, value):
    argv = ["limetal", "symmetric", "--anode", "coated", "--current-density", "1mA/cm2",
            "--areal-capacity", "1mAh/cm2", "--hours", "10", "--out", str(tmp_path / "o")]
    argv[argv.index(option) + 1] = value
    assert main(argv) == 2
    captured = capsys.readouterr()
    err = captured.out + captured.err
    assert f"{option}: got '{value}'" in err and "positive" in err
