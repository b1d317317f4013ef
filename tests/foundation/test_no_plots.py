"""``--no-plots``: no figure or animation is written, and nothing else changes.

Every command that draws figures accepts the flag; on a quick ``cell run`` and a quick
``surface run`` the summary written with it equals, key by key and number by number,
the summary written without it (the flag only skips drawing), and no PNG, GIF or MP4
is left in the output folder.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hemcell.cli.main import main

#: Commands that write figures, hence take ``--no-plots``.
FIGURE_COMMANDS = [
    ["cell", "run"], ["cell", "cv"], ["cell", "cycle-life"],
    ["surface", "run"], ["surface", "compare"], ["surface", "thickness"],
    ["surface", "phasefield"],
    ["limetal", "rate"], ["limetal", "cycle"], ["limetal", "symmetric"],
    ["limetal", "nucleation"], ["limetal", "licu"], ["limetal", "zn-symmetric"],
    ["sweep"], ["eis"], ["fit"],
]
PICTURES = ("*.png", "*.gif", "*.mp4")
#: Summary keys that record the run rather than its result.
RUN_KEYS = {"solve_time_s", "time_per_step_s", "wall_time_s", "runtime_s", "created", "timestamp",
            "command"}


def _pictures(folder: Path) -> list[Path]:
    return [p for pattern in PICTURES for p in folder.rglob(pattern)]


def _result(path: Path) -> dict:
    return {k: v for k, v in json.loads(path.read_text()).items() if k not in RUN_KEYS}


@pytest.mark.parametrize("command", FIGURE_COMMANDS, ids=" ".join)
def test_every_figure_command_takes_no_plots(command):
    from hemcell.cli.main import full_command

    cmd = full_command()
    for name in command:
        cmd = cmd.commands[name]
    options = {opt for param in cmd.params for opt in getattr(param, "opts", [])}
    assert "--no-plots" in options


def test_cell_run_summary_is_the_same_without_figures(tmp_path):
    args = ["cell", "run", "hem_half_cell_sp", "--params", "heo_rocksalt_mgconicuzn",
            "--protocol", "Discharge at 1 A/g until 0.01 V; Charge at 1 A/g until 3 V"]
    with_, without = tmp_path / "with", tmp_path / "without"
    assert main([*args, "--out", str(with_)]) == 0
    assert main([*args, "--out", str(without), "--no-plots"]) == 0
    assert {p.name for p in _pictures(with_)} == {
        "voltage_profile.png", "mechanism_contributions.png", "dqdv.png"}
    assert _pictures(without) == []
    assert _result(without / "summary.json") == _result(with_ / "summary.json")
    assert (without / "timeseries.csv").read_text() == (with_ / "timeseries.csv").read_text()


def test_surface_run_metrics_are_the_same_without_maps(tmp_path):
    from tests.surface.conftest import require_fenicsx

    require_fenicsx()
    args = ["surface", "run", "--case", "coated", "--geometry", "flat",
            "--set", "surface_mesh_size=0.5um", "--set", "far_mesh_size=2.5um"]
    with_, without = tmp_path / "with", tmp_path / "without"
    assert main([*args, "--out", str(with_)]) == 0
    assert main([*args, "--out", str(without), "--no-plots"]) == 0
    assert _pictures(with_)
    assert _pictures(without) == []
    assert _result(without / "metrics.json") == _result(with_ / "metrics.json")
    assert {p.relative_to(without) for p in (without / "fields").rglob("*")} == {
        p.relative_to(with_) for p in (with_ / "fields").rglob("*")}


def test_validation_cases_pass_no_plots_only_to_commands_that_take_it():
    """The shipped cases compare summary values only, so they skip the figures."""
    from hemcell.cli.main import full_command
    from hemcell.resources import data_dir
    from hemcell.validation.cases import discover_cases

    root = full_command()
    for case in discover_cases(data_dir("validation")):
        if "--no-plots" not in case.command:
            continue
        cmd, words = root, list(case.command)
        while words and hasattr(cmd, "commands") and words[0] in cmd.commands:
            cmd = cmd.commands[words.pop(0)]
        options = {opt for param in cmd.params for opt in getattr(param, "opts", [])}
        assert "--no-plots" in options, case.name


def test_transient_surface_run_without_frames_or_animation(tmp_path):
    """Frames are still taken (for the VTX fields) but not drawn; numbers unchanged."""
    from tests.surface.conftest import require_fenicsx

    require_fenicsx()
    args = ["surface", "run", "--case", "bare", "--geometry", "flat", "--transient",
            "--duration-s", "20", "--dt-s", "10",
            "--set", "surface_mesh_size=0.5um", "--set", "far_mesh_size=2.5um"]
    with_, without = tmp_path / "with", tmp_path / "without"
    assert main([*args, "--out", str(with_)]) == 0
    assert main([*args, "--out", str(without), "--no-plots"]) == 0
    assert (with_ / "animation.gif").is_file()
    assert _pictures(without) == [] and not (without / "frames").exists()
    assert _result(without / "metrics.json") == _result(with_ / "metrics.json")
    assert (without / "timeseries.csv").read_text() == (with_ / "timeseries.csv").read_text()
