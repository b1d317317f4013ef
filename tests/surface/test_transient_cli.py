"""``hemcell surface run|compare --transient``: outputs and errors."""

from __future__ import annotations

import csv
import json

import numpy as np
import pytest

from tests.surface.conftest import require_fenicsx

COARSE = ["--set", "surface_mesh_size=0.25um", "--set", "far_mesh_size=2.5um"]


def test_run_transient_writes_metrics_timeseries_frames_fields(tmp_path):
    require_fenicsx()
    from typer.testing import CliRunner

    from hemcell.cli.surface import app
    from hemcell.surface.transient import TIMESERIES_COLUMNS

    out = tmp_path / "tr"
    res = CliRunner().invoke(app, ["run", "--case", "bare", "--geometry", "sinusoid",
                                   "--transient", "--duration-s", "30", "--dt-s", "10",
                                   *COARSE, "--out", str(out)])
    assert res.exit_code == 0, res.output
    m = json.loads((out / "metrics.json").read_text())
    assert m["sand_time_s"] is None  # 1 mA/cm2 through 25 um never depletes
    for key in ("amplitude_growth_rate_per_s", "final_amplitude_m", "time_per_step_s"):
        assert np.isfinite(m[key]), key
    assert m["amplitude_growth_rate_per_s"] > 0  # the bare sinusoid grows
    assert m["metal_volume_conservation_error"] < 1e-9
    with (out / "timeseries.csv").open() as fh:
        rows = list(csv.DictReader(fh))
    assert tuple(rows[0]) == TIMESERIES_COLUMNS
    assert float(rows[-1]["time_s"]) == pytest.approx(30.0)
    assert (out / "animation.gif").stat().st_size > 10_000
    assert len(list((out / "frames").glob("frame_*.png"))) >= 3
    assert (out / "fields" / "transient_0.bp").exists()
    run = json.loads((out / "run.json").read_text())
    assert run["parameters"]["transient"]["duration_s"] == 30.0


def test_compare_transient_plots_both_cases(tmp_path):
    require_fenicsx()
    from typer.testing import CliRunner

    from hemcell.cli.surface import app

    out = tmp_path / "cmp"
    res = CliRunner().invoke(app, ["compare", "--geometry", "nucleus", "--transient",
                                   "--duration-s", "20", "--dt-s", "10", *COARSE,
                                   "--out", str(out)])
    assert res.exit_code == 0, res.output
    s = json.loads((out / "comparison.json").read_text())
    assert s["coated"]["amplitude_growth_rate_per_s"] < s["bare"]["amplitude_growth_rate_per_s"]
    assert (out / "amplitude.png").stat().st_size > 10_000
    assert (out / "timeseries_bare.csv").exists() and (out / "timeseries_coated.csv").exists()


def test_transient_rejects_potentiostatic_and_bad_duration(tmp_path):
    from typer.testing import CliRunner

    from hemcell.cli.surface import app
    from hemcell.errors import InputError

    require_fenicsx()
    for extra in (["--control", "potentiostatic"], ["--duration-s", "-1"]):
        res = CliRunner().invoke(app, ["run", "--case", "bare", "--transient", *extra,
                                       "--out", str(tmp_path / "x")])
        assert res.exit_code != 0
        assert isinstance(res.exception, InputError), res.output
