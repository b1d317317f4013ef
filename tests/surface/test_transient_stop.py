"""Transient surface runs that end early stop cleanly and keep their outputs.

A coated flat Li surface plated at 20 mA/cm² grows at v = iΩ/F ≈ 27 nm/s, so it fills
the 25 µm electrolyte gap in well under an hour (by 834 s); a 1 h run must stop when the
crest (plus the coating) passes 0.9 of the electrolyte height (the clearance a geometry
needs to be meshed), write every output, and say why in ``stop_reason``. (It was a 10 h
run until durations over 10 x the fill time were refused.)
"""

from __future__ import annotations

import json
from types import SimpleNamespace

import numpy as np
import pytest

from tests.surface.conftest import require_fenicsx

COARSE = ["--set", "surface_mesh_size=0.5um", "--set", "far_mesh_size=2.5um"]


def test_growth_into_the_top_of_the_electrolyte_stops_cleanly(tmp_path):
    require_fenicsx()
    from hemcell.cli.main import main

    out = tmp_path / "top"
    assert main(["surface", "run", "--case", "coated", "--geometry", "flat", "--transient",
                 "--duration-s", "3600", "--dt-s", "100", "--set",
                 "applied_current_density=20mA/cm^2", *COARSE, "--out", str(out)]) == 0
    m = json.loads((out / "metrics.json").read_text())
    assert m["stop_reason"].startswith("surface reached the top of the electrolyte domain")
    assert m["final_time_s"] < 3600
    assert (out / "run.json").is_file()
    assert m["metal_volume_conservation_error"] < 1e-9
    frames = sorted((out / "frames").glob("frame_*.png"))
    assert frames and all(f.stat().st_size > 0 for f in frames)
    assert (out / "animation.gif").is_file()
    # the last recorded (solved) state is below the clearance limit: crest + coating
    # (28 nm) < 0.9 x 25 um
    import csv

    with (out / "timeseries.csv").open() as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) > 2
    assert float(rows[-1]["time_s"]) == pytest.approx(m["final_time_s"])
    assert float(rows[-1]["crest_height_m"]) + 28e-9 < 0.9 * 25e-6


def test_fixed_surface_omits_the_volume_conservation_metric(tmp_path):
    require_fenicsx()
    from hemcell.cli.main import main

    out = tmp_path / "fixed"
    assert main(["surface", "run", "--case", "bare", "--geometry", "flat", "--transient",
                 "--fixed-surface", "--duration-s", "20", "--dt-s", "10", *COARSE,
                 "--out", str(out)]) == 0
    m = json.loads((out / "metrics.json").read_text())
    assert "metal_volume_conservation_error" not in m
    assert m["stop_reason"] == "duration reached"


def _fake_run(coating_m: float, height_m: float) -> SimpleNamespace:
    spec = SimpleNamespace(coating_thickness_m=coating_m, electrolyte_height_m=height_m)
    return SimpleNamespace(sm=SimpleNamespace(spec=spec))


def test_step_stop_reasons():
    require_fenicsx()
    from hemcell.surface.transient import TOP_CLEARANCE_FRACTION, TransientRun

    x = np.linspace(0.0, 1e-6, 5)
    surf = {"x": x, "y": np.zeros(5), "nodal_current": np.ones(5)}
    run = _fake_run(28e-9, 25e-6)
    stop = TransientRun._step_stop
    assert stop(run, surf, None, 1.0) is None
    assert stop(run, {**surf, "nodal_current": np.array([1, np.nan, 1, 1, 1])}, None, 1.0) \
        .startswith("non-finite surface nodal_current")
    below = TOP_CLEARANCE_FRACTION * 25e-6 - 28e-9 - 1e-9
    assert stop(run, surf, np.column_stack([x, np.full(5, below)]), 1.0) is None
    assert stop(run, surf, np.column_stack([x, np.full(5, below + 2e-9)]), 1.0) \
        .startswith("surface reached the top of the electrolyte domain")
    assert stop(run, surf, np.column_stack([x, [0, 0, np.inf, 0, 0]]), 1.0) \
        .startswith("non-finite surface position")
    folded = np.column_stack([[0.0, 0.5e-6, 0.4e-6, 0.8e-6, 1e-6], np.zeros(5)])
    assert stop(run, surf, folded, 1.0).startswith("surface fold (cusp)")


@pytest.mark.parametrize(("code", "name"), [(-6, "DIVERGED_LINE_SEARCH"),
                                            (-5, "DIVERGED_MAX_IT"),
                                            (3, "CONVERGED_FNORM_RELATIVE"),
                                            (12345, "SNES reason 12345")])
def test_step_rejections_are_named_as_petsc_names_them(code, name):
    require_fenicsx()
    from hemcell.surface.transient import snes_reason_name

    assert snes_reason_name(code) == name
