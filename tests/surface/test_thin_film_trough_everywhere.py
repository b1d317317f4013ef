"""The thin-layer film (``coated_thin``) must be thinner than the surface's smallest trough
radius in 2D as in 3D, and every caller refuses a thicker one before meshing.

In 2D the thin film was not checked at all (``surface run --case coated_thin --geometry
random --set coating_thickness=200nm`` ran, exit 0, on a surface whose finest trough has
a radius of 188.5 nm); in 3D only ``surface run|compare`` checked it before meshing, other
callers of the workflow (``run_case``, sweeps, the Li-metal coupling) met it at the 3D
solve, after meshing. The radii: test_geometry_refusals_trough.py (2D) and
test_geometry3d_trough.py (3D)."""

from __future__ import annotations

import json
import math

import pytest

from hemcell.cli.main import main
from hemcell.errors import InputError
from hemcell.surface.geometry import GeometrySpec
from hemcell.surface.thin_film import check_thin_film
from tests.surface.conftest import require_fenicsx

# test inputs: a coarse mesh (the refusals come before any mesh)
COARSE = ["surface_mesh_size=0.25um", "far_mesh_size=2.5um"]


def _no_meshing(*_args, **_kwargs):
    raise AssertionError("meshed a geometry that should have been refused")


@pytest.fixture
def no_meshing(monkeypatch):
    """Every mesh builder raises: a refusal must come before any of them."""
    import hemcell.surface.geometry as geometry
    import hemcell.surface.geometry3d as geometry3d
    import hemcell.workflows.surface_sweep as surface_sweep

    monkeypatch.setattr(geometry, "build_mesh", _no_meshing)
    monkeypatch.setattr(geometry3d, "build_mesh_3d", _no_meshing)
    monkeypatch.setattr(surface_sweep, "_mesh", _no_meshing)


@pytest.mark.parametrize(("spec", "radius_m"), [
    (GeometrySpec(kind="sinusoid", electrolyte_height_m=25e-6), (10e-6) ** 2 / (4 * math.pi**2
                                                                                * 1e-6)),
    (GeometrySpec(kind="nucleus", electrolyte_height_m=25e-6, fillet_radius_m=0.4e-6), 0.4e-6),
], ids=["sinusoid", "nucleus"])
def test_a_2d_thin_film_is_refused_at_the_trough_radius(spec, radius_m):
    """Sinusoid: W²/(4π²A) (2.533 um); nucleus: its fillet radius r_f, exactly (the sampled
    curvature gave 0.478 um for r_f = 0.5 um: it jumps at the fillet's ends)."""
    assert spec.smallest_trough_radius_m() == pytest.approx(radius_m, rel=1e-5)
    check_thin_film(spec, 0.99 * radius_m)
    with pytest.raises(InputError) as exc:
        check_thin_film(spec, 1.01 * radius_m)
    assert exc.value.field == "coating_thickness"
    assert f"below {radius_m * 1e6:.4g} um" in exc.value.allowed
    assert "folds over itself" in exc.value.allowed
    assert exc.value.hint.startswith("lower coating_thickness")


def test_a_flat_surface_takes_any_thin_film():
    check_thin_film(GeometrySpec(kind="flat"), 10e-6)
    check_thin_film(GeometrySpec(kind="flat"), 10e-6, dim=3)


@pytest.mark.parametrize(("geometry", "film", "dim", "radius"), [
    ("random", "200nm", 2, "0.1885 um"),
    ("nucleus", "0.6um", 2, "0.5 um"),
    ("sinusoid", "3um", 2, "2.533 um"),
    ("random", "100nm", 3, "0.06539 um"),
])
def test_resolving_the_case_refuses_it(geometry, film, dim, radius):
    """resolve_case is the one place every caller passes (run, compare, transient runs,
    sweeps, the Li-metal coupling)."""
    from hemcell.workflows.surface import resolve_case

    with pytest.raises(InputError) as exc:
        resolve_case("coated_thin", geometry, [f"coating_thickness={film}"], dim=dim)
    assert exc.value.field == "coating_thickness"
    assert f"below {radius}" in exc.value.allowed
    # the bare case has no film; the resolved coating has its own (2D) check
    resolve_case("bare", geometry, [f"coating_thickness={film}"], dim=dim)


def test_the_random_radius_matches_the_series_second_derivative():
    """The default random surface (W 10 um, A 1 um, l 1 um, seed 1): the radius from the
    sampled slope (np.gradient on 2049 points) against κ = s''/(1 + s'²)^(3/2) from the
    cosine series' exact derivatives on 20001 points; 0.1 % (observed 1e-4)."""
    import numpy as np

    from hemcell.workflows.surface import resolve_case

    spec = resolve_case("bare", "random").geometry
    k, a = spec._random_modes()
    x = np.linspace(0.0, spec.width_m, 20001)
    c, s = np.cos(np.multiply.outer(x, k)), np.sin(np.multiply.outer(x, k))
    slope, second = -s @ (a * k), -c @ (a * k**2)
    kappa = second / (1 + slope**2) ** 1.5
    assert spec.smallest_trough_radius_m() == pytest.approx(1 / kappa.max(), rel=1e-3)
    assert f"{spec.smallest_trough_radius_m() * 1e6:.4g}" == "0.1885"  # the messages below
    resolve_case("coated_thin", "random")  # the set's 28 nm film is thinner


@pytest.mark.parametrize(("dim", "geometry", "film"), [
    (2, "random", "200nm"), (3, "random", "100nm"), (2, "nucleus", "0.6um")])
def test_run_case_refuses_it_before_meshing(tmp_path, no_meshing, dim, geometry, film):
    from hemcell.workflows.surface import run_case

    with pytest.raises(InputError, match="folds over itself"):
        run_case("coated_thin", geometry, [f"coating_thickness={film}"],
                 tmp_path / "o", dim=dim, plots_on=False)
    assert not (tmp_path / "o").exists()


def test_a_sweep_point_is_refused_before_meshing(tmp_path, no_meshing):
    """The sweep's fast path (points in this process) records the point's refusal; it
    does not reach the mesh."""
    require_fenicsx()
    from hemcell.sweep import parse_spec, run_sweep

    spec = parse_spec({"command": "surface run",
                       "options": {"--case": "coated_thin", "--geometry": "random",
                                   "--no-plots": True},
                       "set": dict(s.split("=") for s in COARSE),
                       "parameters": {"coating_thickness": {"values": ["200 nm"]}},
                       "outputs": ["current_focusing_factor"]})
    result = run_sweep(spec, tmp_path / "sweep", workers=1, progress=False, plots=False)
    assert result.path == "fast" and result.failed == 1
    (failure,) = json.loads((tmp_path / "sweep" / "failures.json").read_text())
    assert failure["error"].startswith("InputError: coating_thickness: got '0.2 um'")
    assert "below 0.1885 um" in failure["error"]


def test_the_cli_refuses_a_2d_thin_film(tmp_path, capsys, no_meshing):
    code = main(["surface", "run", "--case", "coated_thin", "--geometry", "random",
                 "--set", "coating_thickness=200nm", "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert code == 2, err
    assert "error: coating_thickness: got '0.2 um'; allowed: below 0.1885 um" in err
    assert "hint: lower coating_thickness or perturbation_amplitude" in err
    assert not (tmp_path / "o").exists()


def test_the_thickness_study_refuses_a_thickness_at_the_radius(no_meshing):
    from hemcell.workflows.surface_thickness import thickness_study

    with pytest.raises(InputError) as exc:
        thickness_study([14e-9, 300e-9], "random")
    assert exc.value.field == "--thicknesses"
    assert "below 0.1885 um" in exc.value.allowed
    assert exc.value.hint.startswith("lower --thicknesses")


def test_the_thickness_study_checks_its_thicknesses_not_the_sets(monkeypatch):
    """A rough surface (l = 0.5 um: radius 20.4 nm) below the set's 28 nm film: 5 and
    10 nm films are studied (the set's thickness is not, so it is not what is checked)."""
    import hemcell.surface.geometry as geometry
    from hemcell.workflows.surface_thickness import thickness_study

    class MeshedError(Exception):
        pass

    def meshed(*_args, **_kwargs):
        raise MeshedError

    monkeypatch.setattr(geometry, "build_mesh", meshed)
    rough = ["roughness_correlation_length=0.5um"]
    spec = GeometrySpec(kind="random", electrolyte_height_m=25e-6,
                        roughness_correlation_length_m=0.5e-6, roughness_seed=1)
    assert 10e-9 < spec.smallest_trough_radius_m() < 28e-9
    with pytest.raises(MeshedError):  # past every check
        thickness_study([5e-9, 10e-9], "random", rough)
    with pytest.raises(InputError, match="--thicknesses"):
        thickness_study([5e-9, 25e-9], "random", rough)


def test_the_2d_solver_checks_it_too():
    """Direct callers of the 2D solve (not through resolve_case) are refused as well, before
    any problem is assembled."""
    require_fenicsx()
    from hemcell.surface.geometry import build_mesh
    from hemcell.surface.solver import solve_coupled
    from hemcell.workflows.surface import resolve_case

    rc = resolve_case("coated_thin", "sinusoid", COARSE)
    sm = build_mesh(rc.geometry)
    with pytest.raises(InputError, match="folds over itself"):
        solve_coupled(sm, rc.parameters.replace(coating_thickness_m=3e-6), "coated_thin")


def test_seeds_refuses_a_later_seed_before_solving_the_first(no_meshing):
    """``surface seeds`` resolves every realisation first: a 150 nm resolved coating fits
    the troughs of seeds 1-4 (>= 156 nm) but not seed 5's (118.6 nm); it solved seeds 1-4
    (minutes at the default mesh) and then stopped with no output and no seed named."""
    from hemcell.workflows.surface import seed_statistics

    with pytest.raises(InputError) as exc:
        seed_statistics("random", ["coating_thickness=150nm"], "unused", n_seeds=5)
    assert exc.value.field == "coating_thickness" and "below 0.1186 um" in exc.value.allowed
    assert exc.value.hint.endswith("refused at seed 5 (roughness_seed = sei_seed = 5), "
                                   "before any solve")
