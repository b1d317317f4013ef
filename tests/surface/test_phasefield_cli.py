"""``hemcell surface phasefield``: outputs, pyvista-readable fields, errors (exit 2)."""

from __future__ import annotations

import csv
import json

import pytest

from tests.surface.conftest import require_fenicsx

SMALL = ["--set", "phasefield_domain_width=4um", "--set", "phasefield_domain_height=6um",
         "--set", "phasefield_frames=3"]


def test_phasefield_writes_metrics_timeseries_frames_fields(tmp_path):
    require_fenicsx()
    from typer.testing import CliRunner

    from hemcell.cli.surface import app
    from hemcell.surface.phasefield import TIMESERIES_COLUMNS

    out = tmp_path / "pf"
    res = CliRunner().invoke(app, ["phasefield", "--case", "bare", "--duration-s", "0.2",
                                   *SMALL, "--out", str(out)])
    assert res.exit_code == 0, res.output
    m = json.loads((out / "metrics.json").read_text())
    assert m["metal"] == "Li" and m["case"] == "bare"
    assert m["final_time_s"] == pytest.approx(0.2)
    assert m["metal_volume_conservation_error"] < 1e-8
    assert m["dendrite_index"] >= 1.0
    assert m["mesh_size_m"] == pytest.approx(4.394449 * 0.25e-6 / 3, rel=1e-6)
    with (out / "timeseries.csv").open() as fh:
        rows = list(csv.DictReader(fh))
    assert tuple(rows[0]) == TIMESERIES_COLUMNS and len(rows) == m["steps"] + 1
    assert len(list((out / "frames").glob("frame_*.png"))) == 3
    assert (out / "animation.gif").exists()
    assert (out / "fields" / "phasefield.bp").exists()
    run = json.loads((out / "run.json").read_text())
    assert "phasefield" in json.dumps(run)
    pv = pytest.importorskip("pyvista")
    grid = pv.read(out / "fields" / "phasefield000002.pvtu")
    assert {"order_parameter", "concentration_mol_per_m3", "potential_V"} <= set(
        grid.point_data.keys())


@pytest.mark.parametrize(("args", "field"), [
    (["--case", "coated_thin"], "--case"),
    (["--case", "bare", "--metal", "Na"], "--metal"),
    (["--case", "bare", "--duration-s", "-1"], "--duration-s"),
    (["--case", "coated", "--set", "sei_seed=3"], "--set"),  # no native SEI under the film
    (["--case", "bare", "--set", "phasefield_cells_per_interface_width=2"],
     "phasefield_cells_per_interface_width"),
])
def test_phasefield_input_errors_exit_2(tmp_path, args, field):
    from typer.testing import CliRunner

    from hemcell.cli.surface import app
    from hemcell.errors import InputError

    res = CliRunner().invoke(app, ["phasefield", *args, "--out", str(tmp_path / "x")])
    assert isinstance(res.exception, InputError) and res.exception.exit_code == 2
    assert field in str(res.exception)
    assert not (tmp_path / "x").exists()  # refused before anything is meshed or written
