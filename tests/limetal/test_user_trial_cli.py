"""`hemcell limetal` options a user mistypes: the message shows what was typed."""

from __future__ import annotations

import pytest

from hemcell.cli.main import main


@pytest.mark.parametrize(("option", "value"), [("--current-density", "-1mA/cm2"),
                                               ("--current-density", "0mA/cm2"),
                                               ("--areal-capacity", "-1mAh/cm2"),
                                               ("--hours", "0")])
def test_non_positive_current_or_capacity_names_the_option(tmp_path, capsys, option, value):
    argv = ["limetal", "symmetric", "--anode", "coated", "--current-density", "1mA/cm2",
            "--areal-capacity", "1mAh/cm2", "--hours", "10", "--out", str(tmp_path / "o")]
    argv[argv.index(option) + 1] = value
    assert main(argv) == 2
    captured = capsys.readouterr()
    err = captured.out + captured.err
    assert f"{option}: got " in err and value in err and ("positive" in err or "> 0" in err)


@pytest.mark.parametrize("argv", [
    ["nucleation"],
    ["symmetric", "--current-density", "1mA/cm2", "--areal-capacity", "1mAh/cm2",
     "--hours", "2"],
])
def test_anode_both_prints_both_anodes(tmp_path, capsys, argv):
    """`--anode both` printed the bare cell's line only (the coated one was in
    summary.json, not on the terminal)."""
    import json

    assert main(["limetal", *argv, "--anode", "both", "--no-plots",
                 "--out", str(tmp_path / "o")]) == 0
    out = capsys.readouterr().out
    lines = [ln for ln in out.splitlines() if ln.startswith(("bare:", "coated:"))]
    assert [ln.split(":")[0] for ln in lines] == ["bare", "coated"]
    summary = json.loads((tmp_path / "o" / "summary.json").read_text())
    if argv[0] == "nucleation":
        coated = summary["by_anode"]["coated"]["nucleation_overpotential_mV"]
        assert f"nucleation {coated:.1f} mV" in lines[1]
