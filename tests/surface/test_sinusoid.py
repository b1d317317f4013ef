"""Wavy surfaces: linear theory, thin-layer vs resolved coating, coated vs bare."""

from __future__ import annotations

import numpy as np
import pytest

from hemcell.surface import analytic
from tests.surface.conftest import coarse_spec, example_parameters, require_fenicsx, solve


@pytest.mark.parametrize("i0", [1e3, 1e4])
def test_small_sinusoid_matches_linear_wagner_result(i0):
    """Current modulation on a slightly wavy surface vs ε = kA/(1 + 2π Wa)."""
    require_fenicsx()
    p = example_parameters(sei_heterogeneity_amplitude=0.0, exchange_current_density_A_per_m2=i0,
                           applied_current_density_A_per_m2=1.0)
    A = 0.05e-6
    spec = coarse_spec("sinusoid", amplitude_m=A, surface_mesh_size_m=0.1e-6,
                       far_mesh_size_m=1e-6)
    result, _ = solve(spec, p, "bare")
    i = result.samples.current_density_A_per_m2
    eps = (i.max() - i.min()) / (i.max() + i.min())
    expected = analytic.sinusoid_current_amplitude(p, A, spec.width_m, i0)
    np.testing.assert_allclose(eps, expected, rtol=1e-2)
    # The concentration-polarisation correction is not negligible here (β ≈ 0.76):
    # the uncorrected formula would be off by far more than the tolerance.
    k = 2 * np.pi / spec.width_m
    naive = k * A / (1 + k * p.electrolyte_conductivity_S_per_m * p.thermal_voltage_V / i0)
    assert abs(eps / naive - 1) > 0.2
    # crest (x = W/2) gets the most current
    x = result.samples.x_m
    assert abs(x[np.argmax(i)] - spec.width_m / 2) < 0.3e-6


def test_thin_layer_condition_matches_resolved_coating():
    """Thin-layer interface condition vs the resolved 28 nm coating on a sinusoid.

    The thin-layer condition neglects the curvature of the coating: on a convex crest
    the current lines converge across the coating and the Li-side current density is
    larger by ~(1 + h/R_curv). The two must agree to that order, h κ_max (here
    2.8e-3), while the coating's series resistance, made comparable to the
    charge-transfer resistance (h/κ_c = R_ct), changes the focusing by much more.
    Electrical comparison only: no stack pressure or growth strain (the thin-layer
    variant has no coating in the mechanics).
    """
    require_fenicsx()
    i0 = 1e4
    p = example_parameters(exchange_current_density_A_per_m2=i0 * 44 / 64,  # coated i0 = 1e4
                           coating_conductivity_S_per_m=28e-9 * i0 / 0.025693)
    A = 0.25e-6
    resolved, mr = solve(coarse_spec("sinusoid", amplitude_m=A,
                                     coating_thickness_m=p.coating_thickness_m), p, "coated")
    thin, mt = solve(coarse_spec("sinusoid", amplitude_m=A), p, "coated_thin")
    no_film = p.replace(exchange_current_density_A_per_m2=i0, sei_heterogeneity_amplitude=0.0)
    _, mb = solve(coarse_spec("sinusoid", amplitude_m=A), no_film, "bare")
    k = 2 * np.pi / 10e-6
    h_curv = p.coating_thickness_m * k**2 * A
    diff = abs(mt["current_focusing_factor"] - mr["current_focusing_factor"])
    assert diff < 1.5 * h_curv, (mt["current_focusing_factor"], mr["current_focusing_factor"])
    film_effect = mb["current_focusing_factor"] - mt["current_focusing_factor"]
    assert film_effect > 5 * diff, (mb["current_focusing_factor"], mt["current_focusing_factor"])
    np.testing.assert_allclose(mt["mean_current_density_A_per_m2"],
                               mr["mean_current_density_A_per_m2"], rtol=1e-3)
    np.testing.assert_allclose(mt["coating_potential_drop_V"], mr["coating_potential_drop_V"],
                               rtol=5e-3)
    i_r = np.interp(thin.samples.x_m, resolved.samples.x_m,
                    resolved.samples.current_density_A_per_m2)
    np.testing.assert_allclose(thin.samples.current_density_A_per_m2, i_r, rtol=2 * h_curv)


def test_coated_focuses_less_than_bare_on_identical_mesh():
    """Same mesh (coating band as electrolyte for bare): coated has less focusing."""
    require_fenicsx()
    p = example_parameters(stack_pressure_Pa=1e6, growth_strain_fraction=1e-3)
    spec = coarse_spec("nucleus", coating_thickness_m=p.coating_thickness_m)
    _rb, mb = solve(spec, p, "bare", band_is_electrolyte=True)
    _rc, mc = solve(spec, p, "coated")
    assert mc["current_focusing_factor"] < mb["current_focusing_factor"]
    assert mc["min_surface_concentration_mol_per_m3"] > mb["min_surface_concentration_mol_per_m3"]
    assert mb["coating_potential_drop_V"] == 0.0
    assert mc["coating_potential_drop_V"] > 0.0
    assert mc["max_von_mises_coating_Pa"] > 0.0
    # same applied current, same surface: same mean current density
    np.testing.assert_allclose(mc["mean_current_density_A_per_m2"],
                               mb["mean_current_density_A_per_m2"], rtol=1e-6)
