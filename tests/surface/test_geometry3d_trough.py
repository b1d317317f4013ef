"""The 3D surface's smallest trough radius (principal curvature) and the refusal of a
thin-layer film as thick as it (the 3D runs' coating, ``coated_thin``): its outer surface
would fold over itself, as the resolved coating's in 2D (test_geometry_refusals_trough.py)."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from hemcell.cli.main import main
from hemcell.errors import InputError
from hemcell.surface.geometry import GeometrySpec
from hemcell.surface.geometry3d import height_m, smallest_trough_radius_3d_m
from hemcell.surface.thin_film import check_thin_film
from tests.surface.conftest import require_fenicsx

RANDOM = GeometrySpec(kind="random", width_m=10e-6, amplitude_m=1e-6,
                      electrolyte_height_m=25e-6, roughness_seed=1)


def test_the_nucleus_trough_radius_is_its_fillet_radius_and_flat_has_none():
    nucleus = GeometrySpec(kind="nucleus", electrolyte_height_m=25e-6, fillet_radius_m=0.4e-6)
    assert smallest_trough_radius_3d_m(nucleus) == 0.4e-6
    assert smallest_trough_radius_3d_m(GeometrySpec(kind="flat")) == math.inf
    with pytest.raises(InputError):  # no 3D sinusoid
        smallest_trough_radius_3d_m(GeometrySpec(kind="sinusoid", electrolyte_height_m=25e-6))


def test_the_random_radius_scales_with_the_surface():
    """All lengths x2 (W, l, A; same seed, so the same shape): the radius doubles."""
    big = dataclasses.replace(RANDOM, width_m=2 * RANDOM.width_m,
                              amplitude_m=2 * RANDOM.amplitude_m,
                              roughness_correlation_length_m=2e-6, electrolyte_height_m=50e-6,
                              li_thickness_m=20e-6)
    assert smallest_trough_radius_3d_m(big) == pytest.approx(
        2 * smallest_trough_radius_3d_m(RANDOM), rel=1e-9)


def test_the_random_radius_matches_finite_differences_and_euler_normal_curvatures():
    """Independent of the closed form: central differences of the height field (mirrored
    at the symmetry planes) and the largest normal curvature II(t,t)/I(t,t) over 180
    tangent directions; agreement to 0.1 % (observed 5e-5: difference and direction
    sampling errors)."""
    n = 1025
    x = np.linspace(0.0, RANDOM.width_m, n)
    d = x[1] - x[0]
    X, Y = np.meshgrid(x, x, indexing="ij")
    s = np.pad(height_m(RANDOM, X.ravel(), Y.ravel()).reshape(n, n), 1, mode="reflect")
    sx = (s[2:, 1:-1] - s[:-2, 1:-1]) / (2 * d)
    sy = (s[1:-1, 2:] - s[1:-1, :-2]) / (2 * d)
    sxx = (s[2:, 1:-1] - 2 * s[1:-1, 1:-1] + s[:-2, 1:-1]) / d**2
    syy = (s[1:-1, 2:] - 2 * s[1:-1, 1:-1] + s[1:-1, :-2]) / d**2
    sxy = (s[2:, 2:] - s[2:, :-2] - s[:-2, 2:] + s[:-2, :-2]) / (4 * d**2)
    w = np.sqrt(1 + sx**2 + sy**2)
    kappa = np.full(sx.shape, -np.inf)
    for theta in np.linspace(0.0, np.pi, 180, endpoint=False):
        tx, ty = math.cos(theta), math.sin(theta)
        second = (sxx * tx**2 + 2 * sxy * tx * ty + syy * ty**2) / w
        first = (1 + sx**2) * tx**2 + 2 * sx * sy * tx * ty + (1 + sy**2) * ty**2
        kappa = np.maximum(kappa, second / first)
    assert smallest_trough_radius_3d_m(RANDOM) == pytest.approx(1 / kappa.max(), rel=1e-3)


@pytest.mark.parametrize("spec", [
    RANDOM, GeometrySpec(kind="nucleus", electrolyte_height_m=25e-6)], ids=["random", "nucleus"])
def test_a_thin_film_as_thick_as_the_trough_radius_is_refused(spec):
    radius = smallest_trough_radius_3d_m(spec)
    check_thin_film(spec, 0.99 * radius, dim=3)
    check_thin_film(GeometrySpec(kind="flat"), 10e-6, dim=3)
    with pytest.raises(InputError) as exc:
        check_thin_film(spec, 1.01 * radius, dim=3)
    assert exc.value.field == "coating_thickness"
    assert "folds over itself" in exc.value.allowed
    assert f"{radius * 1e6:.4g} um" in exc.value.allowed


@pytest.mark.parametrize("args", [
    ["run", "--case", "coated_thin", "--geometry", "random", "--set", "coating_thickness=100nm"],
    ["compare", "--geometry", "nucleus", "--set", "coating_thickness=0.6um"],
])
def test_the_command_refuses_it_before_meshing(tmp_path, capsys, args):
    require_fenicsx()
    code = main(["surface", *args, "--dim", "3", "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert code == 2, err
    assert "coating_thickness: got" in err and "folds over itself" in err
    assert "meshing" not in err and not (tmp_path / "o").exists()
