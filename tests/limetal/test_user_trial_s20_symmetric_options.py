"""User trial S20: options of the other Li||Li test are refused, not ignored.

``limetal symmetric --current-density 1mA/cm2 ... --cycles-per-step 5`` (no
``--rate-steps``) ran the constant-current test and said nothing of the option, and with
``--rate-steps`` a given ``--current-density`` was replaced by the steps without a word.
Both now exit 2 naming the option; the defaults (1 mA/cm2, 10 cycles per step) are those
of before.
"""

from __future__ import annotations

import json

import pytest

from hemcell.cli.main import main

ARGV = ["limetal", "symmetric", "--anode", "coated", "--no-plots"]


@pytest.mark.parametrize(("extra", "option", "allowed"), [
    (["--current-density", "1mA/cm2", "--hours", "4", "--cycles-per-step", "5"],
     "--cycles-per-step", "with --rate-steps"),
    (["--rate-steps", "0.2,0.5", "--current-density", "2mA/cm2", "--hours", "20"],
     "--current-density", "no --current-density with --rate-steps"),
])
def test_an_option_of_the_other_test_is_refused(tmp_path, capsys, extra, option, allowed):
    out = tmp_path / "o"
    assert main([*ARGV, *extra, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert f"error: {option}:" in err and allowed in err
    assert not out.exists()


def test_the_defaults_are_those_of_before(tmp_path, capsys):
    """Without --current-density: 1 mA/cm2 (the first cycle's overpotential is the
    explicit run's); without --cycles-per-step: 10 cycles at each step."""
    plain, given = tmp_path / "a", tmp_path / "b"
    assert main([*ARGV, "--hours", "4", "--out", str(plain)]) == 0
    assert main([*ARGV, "--hours", "4", "--current-density", "1mA/cm2", "--out", str(given)]) == 0
    a, b = (json.loads((d / "summary.json").read_text()) for d in (plain, given))
    assert a["overpotential_mV"] == b["overpotential_mV"]
    steps = tmp_path / "c"
    assert main([*ARGV, "--rate-steps", "0.2,0.5", "--areal-capacity", "0.1mAh/cm2",
                 "--hours", "12", "--out", str(steps)]) == 0
    c = json.loads((steps / "summary.json").read_text())
    assert c["cycles_per_step"] == 10
    rows = (steps / "symmetric_coated.csv").read_text().splitlines()[1:]
    currents = [float(r.split(",")[2]) for r in rows]  # current_density_mA_per_cm2
    assert currents[:11] == [0.2] * 10 + [0.5]
