"""Incomplete coating coverage (pinholes) and the thickness study.

Checks: the KJMA coverage law and its inverse; the pinhole indicator has exactly the
uncovered fraction, nests with thickness and is independent of the native-SEI field;
limits of the thin-layer interface with pinholes (no film = bare lithium, complete
film = uniform current, charge conservation); the lumped interface law keeps a
pinhole's low activity from leaking into its neighbours; the thickness study's Ohmic
drop ratio for complete films and its outputs and input errors.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from hemcell.errors import InputError
from hemcell.surface import coverage, kinetics
from tests.surface.conftest import coarse_spec, example_parameters, require_fenicsx, solve

W_M = 10e-6  # coarse_spec width


def test_kjma_coverage_law_and_inverse():
    """θ(h₀) = 1 − 1/e, θ(0) = 0, h₀ = 0 is a complete film; the inverse and N(h₀) agree."""
    h0 = 2e-9
    assert coverage.kjma_coverage(h0, h0) == pytest.approx(1 - math.exp(-1), rel=1e-14)
    assert coverage.kjma_coverage(0.0, h0) == 0.0
    assert coverage.kjma_coverage(28e-9, 0.0) == 1.0
    hs = np.linspace(0.5e-9, 100e-9, 50)
    theta = [coverage.kjma_coverage(h, h0) for h in hs]
    assert np.all(np.diff(theta) > 0)
    for target in (0.5, 0.99, 0.999):
        h0_fit = coverage.closure_thickness_for(target, 28e-9)
        assert coverage.kjma_coverage(28e-9, h0_fit) == pytest.approx(target, rel=1e-12)
    # hemispherical caps: h0 = 2 / (3 sqrt(pi N))
    n = coverage.island_density_per_m2(h0)
    assert 2 / (3 * math.sqrt(math.pi * n)) == pytest.approx(h0, rel=1e-12)
    with pytest.raises(ValueError):
        coverage.closure_thickness_for(1.0, 28e-9)


@pytest.mark.parametrize("theta", [0.3, 0.9, 0.99])
def test_pinhole_indicator_has_the_coverage_and_nests(theta):
    """Uncovered fraction = 1 − θ on the quantile grid; thicker films cover a subset."""
    x = np.arange(coverage.QUANTILE_SAMPLES) * W_M / coverage.QUANTILE_SAMPLES
    chi = coverage.coverage_indicator(x, theta, 1e-6, W_M, seed=3)
    assert set(np.unique(chi)) <= {0.0, 1.0}
    assert abs(chi.mean() - theta) <= 1.5 / coverage.QUANTILE_SAMPLES
    thicker = coverage.coverage_indicator(x, min(theta + 0.05, 1.0), 1e-6, W_M, seed=3)
    assert np.all(thicker >= chi)  # common random numbers: pinholes only close


def test_3d_pinholes_cover_the_area_fraction_and_vary_in_both_directions():
    """On the surface of a 3D run the pinholes are patches, not stripes along y."""
    n = coverage.QUANTILE_GRID_2D
    g = np.arange(n) * W_M / n
    gx, gy = np.meshgrid(g, g)
    chi = coverage.coverage_indicator(gx.ravel(), 0.8, 1e-6, W_M, seed=3, y_m=gy.ravel())
    assert abs(chi.mean() - 0.8) <= 1.5 / n**2
    chi = chi.reshape(n, n)  # rows: fixed y, columns: fixed x
    assert (chi.min(axis=0) < chi.max(axis=0)).any()  # changes along y at some x
    assert (chi.min(axis=1) < chi.max(axis=1)).any()  # changes along x at some y
    p = example_parameters(coating_closure_thickness_m=5e-9)
    f = coverage.thin_layer_fields(gx.ravel(), p, W_M, gy.ravel())
    off = f.coverage == 0
    g_sei = kinetics.sei_heterogeneity_factor_2d(gx.ravel(), gy.ravel(),
                                                 p.sei_heterogeneity_amplitude,
                                                 p.sei_correlation_length_m, W_M, p.sei_seed)
    np.testing.assert_allclose(f.exchange_current_density_A_per_m2[off],
                               kinetics.mean_exchange_current_density(p, "bare") * g_sei[off])


def test_pinhole_field_is_independent_of_the_sei_field_for_equal_seeds():
    """Equal seeds must not put the pinholes on the slowest SEI patches."""
    x = np.linspace(0, W_M, 2000, endpoint=False)
    g_sei = kinetics.gaussian_random_field(x, 1e-6, W_M, 5)
    g_pin = kinetics.gaussian_random_field(x, 1e-6, W_M, (5, coverage.PINHOLE_STREAM))
    assert abs(np.corrcoef(g_sei, g_pin)[0, 1]) < 0.5
    assert not np.allclose(g_sei, g_pin)


def test_thin_layer_fields_mix_film_and_bare_kinetics():
    """Covered points: coated i0 and κ_c/h; pinholes: bare i0·g(x) and κ/h."""
    p = example_parameters(coating_closure_thickness_m=5e-9)
    x = np.linspace(0, W_M, 500, endpoint=False)
    f = coverage.thin_layer_fields(x, p, W_M)
    on, off = f.coverage == 1, f.coverage == 0
    assert on.any() and off.any()
    np.testing.assert_allclose(f.exchange_current_density_A_per_m2[on],
                               kinetics.mean_exchange_current_density(p, "coated_thin"))
    g = kinetics.sei_heterogeneity_factor(x, p.sei_heterogeneity_amplitude,
                                          p.sei_correlation_length_m, W_M, p.sei_seed)
    np.testing.assert_allclose(f.exchange_current_density_A_per_m2[off],
                               kinetics.mean_exchange_current_density(p, "bare") * g[off])
    np.testing.assert_allclose(f.film_conductance_S_per_m2[on],
                               p.coating_conductivity_S_per_m / p.coating_thickness_m)
    np.testing.assert_allclose(f.film_conductance_S_per_m2[off],
                               p.electrolyte_conductivity_S_per_m / p.coating_thickness_m)


def test_film_without_coverage_is_bare_lithium():
    """θ → 0 (h₀ ≫ h): the thin-layer case reproduces bare Li (pinhole drop i h/κ ~ 1e-7 V)."""
    require_fenicsx()
    spec = coarse_spec("flat", electrolyte_height_m=20e-6)
    p = example_parameters(coating_closure_thickness_m=1e3)
    thin, m_thin = solve(spec, p, "coated_thin")
    bare, m_bare = solve(spec, p, "bare")
    tr = thin.transport
    from hemcell.surface.geometry import Facet

    assert tr.integral(tr.coverage_field, tr.ds(Facet.LI_SURFACE)) == 0.0
    np.testing.assert_allclose(thin.samples.current_density_A_per_m2,
                               bare.samples.current_density_A_per_m2, rtol=1e-4)
    assert m_thin["current_focusing_factor"] == pytest.approx(
        m_bare["current_focusing_factor"], rel=1e-4)
    assert m_thin["current_focusing_factor"] > 1.2  # the bare heterogeneity is there


def test_pinholes_conserve_charge_and_do_not_leak_into_neighbours():
    """Galvanostatic: mean current = applied; covered nodes stay uniform next to pinholes.

    The flat electrolyte's Wagner length κR_ct (~0.3 mm) dwarfs the 10 µm domain, so a
    slow pinhole's missing current spreads evenly over the covered surface; a consistent
    surface mass matrix would raise the current at the pinhole rims by ~10 % (tested:
    ≤ 0.5 % between covered nodes with the lumped law).
    """
    require_fenicsx()
    p = example_parameters(coating_closure_thickness_m=5e-9, sei_heterogeneity_amplitude=0.0)
    theta = coverage.kjma_coverage(p.coating_thickness_m, p.coating_closure_thickness_m)
    res, m = solve(coarse_spec("flat", electrolyte_height_m=20e-6), p, "coated_thin")
    assert m["mean_current_density_A_per_m2"] == pytest.approx(10.0, rel=1e-9)
    s = res.samples
    chi = coverage.coverage_indicator(s.x_m, theta, p.coating_coverage_correlation_length_m,
                                      W_M, p.coating_coverage_seed)
    assert 0 < chi.mean() < 1
    covered = s.current_density_A_per_m2[chi == 1]
    pinholes = s.current_density_A_per_m2[chi == 0]
    assert covered.max() / covered.min() < 1.005
    # uniform bare kinetics (1/(1.45·1.82) of the film's i0) carry less current
    assert pinholes.max() < covered.min()


def test_thickness_study_drop_ratio_and_outputs(tmp_path):
    """Complete films (θ ≈ 1 at 28 and 70 nm): coating drop ∝ h; files written; bad input."""
    require_fenicsx()
    from hemcell.workflows.surface_thickness import thickness_study, write_thickness_study

    overrides = ["surface_mesh_size=0.2 um", "far_mesh_size=2 um", "surface_width=10 um"]
    summary, rows, record = thickness_study([70e-9, 14e-9, 28e-9], "flat", overrides,
                                            seeds=[1])
    by = summary["by_thickness"]
    assert list(by) == ["14", "28", "70"]
    assert by["28"]["realised_coverage_mean"] == by["70"]["realised_coverage_mean"] == 1.0
    drops = {k: e["coating_potential_drop_V_mean"] for k, e in by.items()}
    drop_ratio = drops["70"] / drops["28"]
    assert drop_ratio == pytest.approx(2.5, rel=1e-6)
    # pinholes can only add bare (heterogeneous) patches to a uniform film
    focusing = {k: e["current_focusing_factor_mean"] for k, e in by.items()}
    assert focusing["14"] >= focusing["28"] - 1e-6
    assert summary["bare"]["current_focusing_factor_mean"] > focusing["14"]
    for e in by.values():
        assert e["mean_current_density_A_per_m2_mean"] == pytest.approx(10.0, rel=1e-9)
    write_thickness_study(summary, rows, record, tmp_path)
    assert json.loads((tmp_path / "thickness.json").read_text())["trade_off"]
    assert (tmp_path / "thickness.png").stat().st_size > 10_000
    assert len((tmp_path / "thickness.csv").read_text().splitlines()) == 1 + 4
    with pytest.raises(InputError, match="--thicknesses"):
        thickness_study([28e-9, -1e-9])
    with pytest.raises(InputError, match="--thicknesses"):
        thickness_study([28e-9, 28e-9])


@pytest.mark.parametrize("args, field", [
    (["--thicknesses", "14,abc"], "--thicknesses"),
    (["--thicknesses", "0,28"], "--thicknesses"),
    (["--n-seeds", "0"], "--n-seeds"),
])
def test_thickness_command_rejects_bad_input(tmp_path, capsys, args, field):
    """One-line error naming the option, exit code 2, nothing solved or written."""
    from hemcell.cli.main import main

    out = tmp_path / "t"
    code = main(["surface", "thickness", *args, "--out", str(out)])
    assert code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith(f"error: {field}"), err
    assert not out.exists()
