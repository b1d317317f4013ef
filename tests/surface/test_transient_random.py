"""Seeded random roughness (geometry ``random``), statistics over seeds, growth on it."""

from __future__ import annotations

import json

import numpy as np
import pytest

from tests.surface.conftest import coarse_spec, example_parameters, require_fenicsx

COARSE = ["--set", "surface_mesh_size=0.25um", "--set", "far_mesh_size=2.5um"]


def test_random_profile_rms_slope_and_seed():
    """rms height = A exactly, zero slope at the symmetry planes, seeded, dy = d(y)/dx."""
    from hemcell.surface.geometry import GeometrySpec

    spec = GeometrySpec(kind="random", amplitude_m=0.5e-6, roughness_seed=3)
    x = np.linspace(0, spec.width_m, 20001)
    _, y, nx, ny = spec.profile(x)
    np.testing.assert_allclose(np.sqrt(np.mean(y**2)), 0.5e-6, rtol=1e-3)
    assert abs(np.mean(y)) < 1e-3 * 0.5e-6
    np.testing.assert_allclose(nx[[0, -1]], 0.0, atol=1e-12)  # symmetry planes
    dy_fd = np.gradient(y, x)
    np.testing.assert_allclose(-nx / ny, dy_fd, atol=2e-3 * np.max(np.abs(dy_fd)))
    same = GeometrySpec(kind="random", amplitude_m=0.5e-6, roughness_seed=3).profile(x)[1]
    other = GeometrySpec(kind="random", amplitude_m=0.5e-6, roughness_seed=4).profile(x)[1]
    np.testing.assert_array_equal(y, same)
    assert np.max(np.abs(y - other)) > 0.1e-6
    assert spec.profile(np.array([spec.tip_x_m()]))[1][0] == pytest.approx(np.max(y), rel=1e-4)


def test_random_roughness_deeper_than_li_is_rejected():
    from hemcell.errors import InputError
    from hemcell.surface.geometry import GeometrySpec

    with pytest.raises(InputError):
        GeometrySpec(kind="random", amplitude_m=8e-6, li_thickness_m=5e-6,
                     electrolyte_height_m=60e-6)


def test_seeds_command_statistics(tmp_path):
    """``hemcell surface seeds``: coated focuses less than bare on every realisation."""
    require_fenicsx()
    from typer.testing import CliRunner

    from hemcell.cli.surface import app

    out = tmp_path / "seeds"
    res = CliRunner().invoke(app, ["seeds", "--n-seeds", "2", *COARSE, "--out", str(out)])
    assert res.exit_code == 0, res.output
    s = json.loads((out / "seeds.json").read_text())
    assert s["n_seeds"] == 2 and len(s["seeds"]) == 2
    assert s["statistics"]["fraction_coated_below_bare_current_focusing_factor"] == 1.0
    r = s["statistics"]["focusing_ratio_coated_to_bare"]
    assert r["min"] <= r["mean"] <= r["max"] < 1.0
    assert (out / "seeds.csv").read_text().count("\n") == 3


def test_growth_on_random_surface_conserves_li():
    """Moving boundary on a coated random surface: Li area grows by charge × Ω/F."""
    require_fenicsx()
    from hemcell.surface.geometry import build_mesh
    from hemcell.surface.transient import TransientSettings, run_transient

    p = example_parameters()
    spec = coarse_spec("random", amplitude_m=0.3e-6, coating_thickness_m=p.coating_thickness_m,
                       roughness_seed=2)
    r = run_transient(build_mesh(spec), p, "coated",
                      TransientSettings(duration_s=60.0, time_step_s=10.0,
                                        initial_time_step_s=0.1))
    li = r.column("li_area_m2_per_m")
    dep = r.column("deposited_area_from_charge_m2_per_m")
    np.testing.assert_allclose(li[-1] - li[0], dep[-1] - dep[0], rtol=1e-9)
    assert r.stop_reason == "duration reached"
