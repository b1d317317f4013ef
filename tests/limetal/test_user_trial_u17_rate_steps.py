"""User trial u17: the stepped Li‖Li rate test says which steps ran and names
``--rate-steps`` when a step is refused.

``hemcell limetal symmetric --rate-steps 0.2,0.5,1,2,3,5 --hours 10`` ran one cycle at
0.2 mA/cm2 (the six steps take 180.7 h), printed "failure: none" and wrote
``rate_steps_mA_per_cm2: [0.2, ..., 5.0]`` with no word that five steps never ran;
``--rate-steps 0.2,1e6 --hours 1000`` was refused naming ``--current-density``, an option
the user had not given.
"""

from __future__ import annotations

import json

from hemcell.cli.main import main

ARGV = ["limetal", "symmetric", "--anode", "coated", "--no-plots"]


def test_steps_beyond_the_hours_are_named_in_a_warning(tmp_path, capsys):
    out = tmp_path / "o"
    assert main([*ARGV, "--rate-steps", "0.2,0.5,1,2,3,5", "--hours", "10",
                 "--out", str(out)]) == 0
    text = ("--hours 10 ends before the rate steps 0.5, 1, 2, 3, 5 mA/cm2 (the whole stepped "
            "test takes 180.7 h): they did not run")
    assert f"warning: {text}" in capsys.readouterr().err
    assert text in json.loads((out / "summary.json").read_text())["warnings"]


def test_no_warning_when_every_step_runs(tmp_path, capsys):
    assert main([*ARGV, "--rate-steps", "0.2,0.5", "--cycles-per-step", "1", "--hours", "20",
                 "--out", str(tmp_path / "o")]) == 0
    assert "did not run" not in capsys.readouterr().err


def test_a_step_above_the_limiting_current_names_rate_steps(tmp_path, capsys):
    code = main([*ARGV, "--rate-steps", "0.2,1e6", "--hours", "1000",
                 "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert code == 2
    assert "error: --rate-steps: got '1e+06 mA/cm**2" in err
