"""User trial U8: options of `hemcell surface run|compare` that a run would not read."""

from __future__ import annotations

import pytest

from hemcell.errors import InputError


@pytest.mark.parametrize("command", ["run", "compare"])
@pytest.mark.parametrize("option", [["--duration-s", "10"], ["--dt-s", "5"],
                                    ["--fixed-surface"]])
def test_transient_only_options_without_transient_are_refused(tmp_path, command, option):
    """A steady run has no time: `--duration-s 10` used to be dropped silently and the
    steady answer written as if the user's 10 s had been run."""
    from typer.testing import CliRunner

    from hemcell.cli.surface import app

    case = ["--case", "bare"] if command == "run" else []
    res = CliRunner().invoke(app, [command, *case, "--geometry", "flat", *option,
                                   "--out", str(tmp_path / "o")])
    assert isinstance(res.exception, InputError), res.output
    assert res.exception.field == option[0]
    assert "--transient" in str(res.exception)
    assert not (tmp_path / "o").exists()  # refused before anything is written


@pytest.mark.parametrize(("option", "value"), [("--dt-s", "0"), ("--dt-s", "nan"),
                                               ("--duration-s", "-1"),
                                               ("--linear-solver", "gamg")])
def test_bad_transient_options_are_refused_before_meshing(tmp_path, option, value):
    """`--dt-s 0` was refused only after meshing; `--linear-solver gamg` was ignored
    (transient runs are MUMPS LU)."""
    from typer.testing import CliRunner

    from hemcell.cli.surface import app

    res = CliRunner().invoke(app, ["run", "--case", "bare", "--transient", option, value,
                                   "--out", str(tmp_path / "o")])
    assert isinstance(res.exception, InputError), res.output
    assert res.exception.field == option


def test_phasefield_unknown_case_names_both():
    """`--case shiny` listed `bare | coated` only, though `both` is a case."""
    from typer.testing import CliRunner

    from hemcell.cli.surface import app

    res = CliRunner().invoke(app, ["phasefield", "--case", "shiny", "--out", "unused"])
    assert isinstance(res.exception, InputError)
    assert res.exception.allowed == "bare | coated | both"


def test_one_transient_frame_is_the_final_state(tmp_path):
    """`--set transient_frames=1` wrote no frame and no field (only >= 2 were placed);
    one frame is now the state at the end of the run."""
    import json

    from typer.testing import CliRunner

    from hemcell.cli.surface import app
    from tests.surface.conftest import require_fenicsx

    require_fenicsx()
    out = tmp_path / "tr"
    res = CliRunner().invoke(app, ["run", "--case", "bare", "--geometry", "sinusoid",
                                   "--transient", "--duration-s", "5", "--no-plots",
                                   "--set", "transient_frames=1",
                                   "--set", "surface_mesh_size=0.25um",
                                   "--set", "far_mesh_size=2.5um", "--out", str(out)])
    assert res.exit_code == 0, res.output
    pvd = (out / "fields" / "transient_0.pvd").read_text()
    assert pvd.count("<DataSet") == 1
    assert json.loads((out / "metrics.json").read_text())["final_time_s"] == 5.0
    assert 'timestep="5"' in pvd
