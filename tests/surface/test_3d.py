"""3D surface runs (``--dim 3``) and the iterative (fieldsplit/GAMG) linear solver.

- flat 3D cell = the 1D solution (depletion, far-boundary potential, thin-layer drop);
- nucleus: geometric focusing at the crest, coated (thin layer) below bare;
- GMRES + fieldsplit/GAMG = MUMPS (2D bare/thin/resolved coating, 3D);
- serial = 2 MPI ranks in 3D;
- the random height field and the 2D native-SEI field: rms, symmetry, seeding;
- bad ``--dim`` and 3D-only restrictions raise InputError.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from hemcell.errors import InputError
from hemcell.surface import kinetics
from tests.surface.conftest import coarse_spec, example_parameters, require_fenicsx, run_mpi_case

H_M = 20e-6
W3D_M = 10e-6  # coarse_spec width
FLAT_FOCUSING_ATOL = 3e-2


def spec3d(kind: str = "flat", **changes):
    """A coarse 3D mesh (0.5 µm on the surface, 2.5 µm far away; ~3-5k DOFs)."""
    base = dict(electrolyte_height_m=H_M, surface_mesh_size_m=0.5e-6, far_mesh_size_m=2.5e-6)
    base.update(changes)
    return coarse_spec(kind, **base)


def solve3d(spec, p, case, linear_solver="gamg"):
    from hemcell.surface.geometry3d import build_mesh_3d
    from hemcell.surface.metrics import compute_metrics
    from hemcell.surface.solver3d import solve_steady_3d

    result = solve_steady_3d(build_mesh_3d(spec), p, case, linear_solver=linear_solver)
    return result, compute_metrics(result)


def test_flat_3d_matches_1d_solution():
    """Flat 3D cell at 0.9 i_lim (χ = 2.2): depletion to 5e-4, far potential to 2e-3."""
    require_fenicsx()
    from hemcell.surface.solver import uniform_overpotential_V

    p0 = example_parameters(thermodynamic_factor=2.2, sei_heterogeneity_amplitude=0.0)
    i_lim = p0.limiting_current_density_A_per_m2(H_M)
    i = 0.9 * i_lim
    p = p0.replace(applied_current_density_A_per_m2=i)
    _, m = solve3d(spec3d("flat"), p, "bare")
    cb = p.bulk_concentration_mol_per_m3
    c0 = cb * 0.1
    assert m["dim"] == 3 and m["max_von_mises_li_Pa"] is None and "mechanics" in m
    # O(h²) error of P1 for the non-linear (ln c) profile: 2.1e-4 on this coarse mesh
    np.testing.assert_allclose(cb - m["min_surface_concentration_mol_per_m3"], cb - c0, rtol=5e-4)
    np.testing.assert_allclose(m["mean_current_density_A_per_m2"], i, rtol=1e-9)
    # nodal i_n at 0.9 i_lim is uniform to the O(h²) error: 1.8e-2 here, 4.1e-3 at h/2
    np.testing.assert_allclose(m["current_focusing_factor"], 1.0, atol=FLAT_FOCUSING_ATOL)
    i0 = kinetics.mean_exchange_current_density(p, "bare") * 0.1 ** (
        p.exchange_current_concentration_exponent)
    phi_top = (-uniform_overpotential_V(i, i0, p) + i * H_M / p.electrolyte_conductivity_S_per_m
               + 2 * p.thermal_voltage_V * (1 - p.cation_transference_number)
               * p.thermodynamic_factor * np.log(cb / c0))
    # O(h²): 1.2e-3 relative on this mesh (the 2D test's finer mesh gives 5e-4)
    np.testing.assert_allclose(m["far_boundary_potential_V"], phi_top, rtol=2e-3)


def test_flat_3d_thin_coating_ohmic_drop():
    """Thin-layer coating on the flat 3D cell: drop = i h/κ_c to 1e-6."""
    require_fenicsx()
    p = example_parameters(coating_conductivity_S_per_m=2e-4, applied_current_density_A_per_m2=20.0)
    _, m = solve3d(spec3d("flat"), p, "coated_thin")
    np.testing.assert_allclose(m["coating_potential_drop_V"], 20.0 * p.coating_thickness_m / 2e-4,
                               rtol=1e-6)


def test_flat_3d_thin_coating_pinholes_are_patches_with_the_coverage():
    """An incompletely covering film in 3D: covered area fraction θ and pinholes that vary
    along both lateral directions (not stripes of the 2D field)."""
    require_fenicsx()
    from hemcell.surface import coverage
    from hemcell.surface.geometry import Facet

    p = example_parameters(coating_closure_thickness_m=8e-9)  # θ(28 nm) = 0.90
    theta = coverage.kjma_coverage(p.coating_thickness_m, p.coating_closure_thickness_m)
    result, _ = solve3d(spec3d("flat"), p, "coated_thin")
    tr = result.transport
    ds = tr.ds(Facet.LI_SURFACE)
    covered = tr.integral(tr.coverage_field, ds) / tr.integral(1.0 + 0 * tr.coverage_field, ds)
    assert covered == pytest.approx(theta, abs=0.06)  # P1 on 0.5 µm vs 1 µm patches
    xyz = tr.V1.tabulate_dof_coordinates()
    on = np.isclose(xyz[:, 2], xyz[:, 2].min())  # the flat Li surface, z = 0
    x, y = xyz[on, 0], xyz[on, 1]
    chi = tr.coverage_field.x.array[: len(xyz)][on]
    args = (theta, p.coating_coverage_correlation_length_m, W3D_M, p.coating_coverage_seed)
    np.testing.assert_array_equal(chi, coverage.coverage_indicator(x, *args, y_m=y))
    stripes = coverage.coverage_indicator(x, *args)  # the x-only field of 2D runs
    assert np.mean(chi != stripes) > 0.01


def test_nucleus_3d_focuses_at_the_crest_and_coating_levels():
    """Uniform kinetics: i_n peaks on the nucleus (focusing > 1); with the native-SEI
    heterogeneity, bare focuses more than the thin-layer coated surface."""
    require_fenicsx()
    from hemcell.surface.geometry3d import build_mesh_3d
    from hemcell.surface.metrics import compute_metrics
    from hemcell.surface.solver3d import solve_steady_3d

    spec = spec3d("nucleus")
    sm = build_mesh_3d(spec)
    uniform = solve_steady_3d(sm, example_parameters(sei_heterogeneity_amplitude=0.0), "bare")
    m_u = compute_metrics(uniform)
    s = uniform.samples
    k = int(np.argmax(s.current_density_A_per_m2))
    r_max = np.hypot(s.x_m[k] - 5e-6, s.y_m[k] - 5e-6)
    # Wagner number κR_ct/R ≈ 200 at 1 mA/cm²: kinetics dominate, the geometric
    # focusing is small (0.75 %) but its maximum is on the cap
    assert m_u["current_focusing_factor"] > 1.003
    assert r_max < spec.nucleus_radius_m  # the hot spot is on the nucleus cap
    p = example_parameters()
    m_bare = compute_metrics(solve_steady_3d(sm, p, "bare"))
    m_coat = compute_metrics(solve_steady_3d(sm, p, "coated_thin"))
    assert m_coat["current_focusing_factor"] < m_bare["current_focusing_factor"]
    assert (m_coat["min_surface_concentration_mol_per_m3"]
            > m_bare["min_surface_concentration_mol_per_m3"])
    np.testing.assert_allclose(m_bare["surface_area_m2"], m_coat["surface_area_m2"], rtol=1e-12)


@pytest.mark.parametrize("case,kind,h", [("bare", "sinusoid", 0.0),
                                         ("coated_thin", "nucleus", 0.0),
                                         ("coated", "nucleus", 28e-9)])
def test_iterative_solver_equals_mumps_2d(case, kind, h):
    """GMRES + fieldsplit/GAMG (ksp_rtol 1e-10) = MUMPS LU to 1e-8 relative (2D)."""
    require_fenicsx()
    from hemcell.surface.geometry import build_mesh
    from hemcell.surface.metrics import compute_metrics
    from hemcell.surface.solver import solve_coupled

    p = example_parameters(applied_current_density_A_per_m2=20.0)
    spec = coarse_spec(kind, coating_thickness_m=h, surface_mesh_size_m=0.4e-6)
    sm = build_mesh(spec)
    lu = solve_coupled(sm, p, case, linear_solver="lu")
    it = solve_coupled(sm, p, case, linear_solver="gamg")
    assert it.transport.problem.solver.getKSP().getPC().getType() == "fieldsplit"
    np.testing.assert_allclose(it.transport.u.x.array, lu.transport.u.x.array, rtol=1e-8,
                               atol=1e-9)
    ml, mi = compute_metrics(lu), compute_metrics(it)
    for key in ("current_focusing_factor", "min_surface_concentration_mol_per_m3",
                "far_boundary_potential_V"):
        np.testing.assert_allclose(mi[key], ml[key], rtol=1e-8, err_msg=key)


def test_iterative_solver_equals_mumps_3d():
    """3D bare random surface: fieldsplit/GAMG = MUMPS to 1e-8 relative."""
    require_fenicsx()
    p = example_parameters()
    spec = spec3d("random", amplitude_m=0.3e-6)
    _, ml = solve3d(spec, p, "bare", linear_solver="lu")
    _, mi = solve3d(spec, p, "bare", linear_solver="gamg")
    for key in ("current_focusing_factor", "min_surface_concentration_mol_per_m3",
                "far_boundary_potential_V", "mean_current_density_A_per_m2"):
        np.testing.assert_allclose(mi[key], ml[key], rtol=1e-8, err_msg=key)


@pytest.mark.mpi
def test_3d_serial_and_two_ranks_agree(tmp_path):
    """3D bare nucleus and thin-layer random surface: 2 MPI ranks = serial to 1e-7."""
    require_fenicsx()
    serial = run_mpi_case("tests.surface.mpi_case_3d", 1, tmp_path / "serial.json")
    parallel = run_mpi_case("tests.surface.mpi_case_3d", 2, tmp_path / "parallel.json")
    for name, ms in serial.items():
        mp = parallel[name]
        assert ms["mpi_ranks"] == 1 and mp["mpi_ranks"] == 2 and ms["dim"] == 3
        assert ms["dofs"] == mp["dofs"]
        for key in ("current_focusing_factor", "mean_current_density_A_per_m2",
                    "min_surface_concentration_mol_per_m3", "coating_potential_drop_V",
                    "far_boundary_potential_V", "surface_area_m2"):
            np.testing.assert_allclose(mp[key], ms[key], rtol=1e-7, atol=1e-12, err_msg=key)


def test_random_height_field_3d():
    """rms height = A, zero slope across the symmetry planes, seeded."""
    from hemcell.surface.geometry3d import height_m

    spec = coarse_spec("random", amplitude_m=0.4e-6, roughness_seed=3)
    n = 256
    x = (np.arange(n) + 0.5) * spec.width_m / n  # midpoint rule: exact for the cosines
    X, Y = np.meshgrid(x, x)
    s = height_m(spec, X, Y)
    np.testing.assert_allclose(np.sqrt(np.mean(s**2)), 0.4e-6, rtol=1e-10)
    eps = 1e-9 * spec.width_m
    for edge in (0.0, spec.width_m):
        ys = np.linspace(0, spec.width_m, 7)
        ds_dx = (height_m(spec, np.full(7, edge + eps), ys)
                 - height_m(spec, np.full(7, edge - eps), ys)) / (2 * eps)
        assert np.max(np.abs(ds_dx)) < 1e-6
    other = height_m(coarse_spec("random", amplitude_m=0.4e-6, roughness_seed=4), X, Y)
    assert not np.allclose(s, other)
    np.testing.assert_array_equal(s, height_m(spec, X, Y))


def test_sei_field_2d_is_mean_one_periodic_and_seeded():
    """ln g has variance s² (unit-variance G), g is periodic in W and set by the seed."""
    W, ell, s_amp = 10e-6, 1e-6, 0.5
    n = 64  # > 2 × 16 modes: the grid sums are exact
    x = np.arange(n) * W / n
    X, Y = np.meshgrid(x, x)
    g = kinetics.sei_heterogeneity_factor_2d(X, Y, s_amp, ell, W, seed=1)
    lng = np.log(g) + 0.5 * s_amp**2
    np.testing.assert_allclose(np.mean(lng), 0.0, atol=1e-12)  # no k = 0 mode
    # ensemble variance of ln g = s² (one realisation scatters by ~25 %): 40 seeds
    var = np.mean([np.var(np.log(kinetics.sei_heterogeneity_factor_2d(X, Y, s_amp, ell, W, k)))
                   for k in range(40)])
    np.testing.assert_allclose(var, s_amp**2, rtol=0.1)
    np.testing.assert_allclose(kinetics.sei_heterogeneity_factor_2d(X + W, Y - W, s_amp, ell, W, 1),
                               g, rtol=1e-9)
    assert not np.allclose(g, kinetics.sei_heterogeneity_factor_2d(X, Y, s_amp, ell, W, 2))


def test_bad_dim_and_3d_restrictions_raise_input_error(tmp_path):
    from typer.testing import CliRunner

    from hemcell.cli.surface import app
    from hemcell.workflows.surface import resolve_case

    with pytest.raises(InputError, match="--dim"):
        resolve_case("bare", "nucleus", [], dim=4)
    with pytest.raises(InputError, match="coated_thin"):
        resolve_case("coated", "nucleus", [], dim=3)
    with pytest.raises(InputError, match="random"):
        resolve_case("bare", "sinusoid", [], dim=3)
    for extra in (["--dim", "4"], ["--dim", "3", "--transient"],
                  ["--dim", "3", "--linear-solver", "ilu"]):
        res = CliRunner().invoke(app, ["run", "--case", "bare", "--geometry", "flat", *extra,
                                       "--out", str(tmp_path)])
        assert res.exit_code != 0
        assert isinstance(res.exception, InputError) or "InputError" in repr(res.exception) \
            or "--" in res.output, (extra, res.output)


def test_cli_run_and_compare_3d(tmp_path):
    """``surface run/compare --dim 3`` write metrics, fields and the PNG maps."""
    require_fenicsx()
    from typer.testing import CliRunner

    from hemcell.cli.surface import app

    coarse = ["--set", "surface_mesh_size_3d=0.8um", "--set", "far_mesh_size_3d=4um"]
    out = tmp_path / "run"
    res = CliRunner().invoke(app, ["run", "--case", "bare", "--dim", "3", *coarse,
                                   "--out", str(out)])  # default 3D geometry: nucleus
    assert res.exit_code == 0, res.output
    m = json.loads((out / "metrics.json").read_text())
    assert json.loads((out / "run.json").read_text())["parameters"]["geometry"]["kind"] == "nucleus"
    assert m["dim"] == 3 and m["linear_solver"] == "gamg" and m["current_focusing_factor"] > 1
    assert (out / "fields" / "transport.bp").exists()
    for png in ("concentration.png", "current_density.png"):
        assert (out / png).stat().st_size > 10_000
    out = tmp_path / "cmp"
    res = CliRunner().invoke(app, ["compare", "--geometry", "flat", "--dim", "3", *coarse,
                                   "--out", str(out)])
    assert res.exit_code == 0, res.output
    cmp = json.loads((out / "comparison.json").read_text())
    assert cmp["coated_case"] == "coated_thin" and cmp["focusing_ratio_coated_to_bare"] < 1
    assert (out / "comparison.png").stat().st_size > 10_000


def test_slice_evaluation_respects_the_surface():
    """Point evaluation for the slice map: z itself above the random surface, NaN below."""
    require_fenicsx()
    from dolfinx import fem

    from hemcell.surface.geometry3d import build_mesh_3d, height_m
    from hemcell.surface.output3d import evaluate_points

    spec = spec3d("random", amplitude_m=0.3e-6)
    sm = build_mesh_3d(spec)
    f = fem.Function(fem.functionspace(sm.transport, ("Lagrange", 1)))
    f.interpolate(lambda x: x[2])
    rng = np.random.default_rng(0)
    pts = np.column_stack([rng.uniform(0, spec.width_m, (400, 2)),
                           rng.uniform(-3e-6, 3e-6, 400)])
    vals = evaluate_points(f, pts)
    if sm.transport.comm.rank == 0:
        s = height_m(spec, pts[:, 0], pts[:, 1])
        # the P1 surface deviates from s between nodes (≤ 0.014 µm here): skip ±0.05 µm
        above, below = pts[:, 2] > s + 5e-8, pts[:, 2] < s - 5e-8
        assert np.all(np.isnan(vals[below])) and below.sum() > 50
        np.testing.assert_allclose(vals[above], pts[above, 2], rtol=1e-9, atol=1e-15)
