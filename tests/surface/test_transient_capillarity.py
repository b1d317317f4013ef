"""Surface energy (capillarity) in the moving-boundary runs.

Linear stability of a small sinusoid with the Gibbs–Thomson shift ΔU = −γΩκ/F
-----------------------------------------------------------------------------
The linear theory of :func:`hemcell.surface.analytic.sinusoid_current_amplitude`
(surface y = −A cos kx, effective conductivity κ_e = κ/(1+β), linear kinetics R_ct)
with the capillary shift added to the surface overpotential gives the current
perturbation i₁ = κ_e k (G A + ΔU₁)/(1 + kκ_eR_ct), G = ī/κ_e, ΔU₁ = −γΩk²A/F at the crest:

    σ(k) = (dA/dt)/A = (Ω ī/F) ε(k)/A · (1 − k²/k_c²),   k_c² = F ī/(γΩκ_e),

i.e. sinusoids shorter than λ_c = 2π/k_c flatten. With the test electrolyte, ī = 10 A/m²
and γ = 0.5 J/m² (the Li sets' value) λ_c = 13.4 µm: λ = 10 µm flattens
(σ/σ₀ = −0.80), λ = 20 µm grows (σ/σ₀ = +0.55). The transient runs (A = 0.2 µm, 60 s)
reproduce σ(k) within 1.5 % of σ₀ (measured Nov 2026: λ = 10 µm −5.634e-5 vs −5.686e-5 1/s,
0.73 % of σ₀; λ = 20 µm 3.614e-5 vs 3.596e-5 1/s, 0.27 %; without capillarity the same runs
are 0.18 % / 0.20 % from σ₀).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from hemcell.surface import analytic
from tests.surface.conftest import coarse_spec, example_parameters, require_fenicsx

F = 96485.33212
GAMMA = 0.5


def test_polyline_curvature_exact_on_a_circle_and_signed():
    """Menger curvature: 1/R on points of a circle (crest positive, notch negative)."""
    from hemcell.surface.transient import polyline_curvature

    R = 2e-6
    th = np.linspace(0.25 * np.pi, 0.75 * np.pi, 41)[::-1]  # left to right over the top
    cap = np.column_stack([R * np.cos(th) + 5e-6, R * np.sin(th)])
    np.testing.assert_allclose(polyline_curvature(cap)[1:-1], 1 / R, rtol=1e-10)
    notch = cap * [1.0, -1.0]
    np.testing.assert_allclose(polyline_curvature(notch)[1:-1], -1 / R, rtol=1e-10)
    # a sinusoid y = −A cos kx: κ = −y''/(1+y'^2)^1.5 to O(h²), mirrored ends included
    W, A = 10e-6, 0.2e-6
    x = np.linspace(0, W, 201)
    k = 2 * np.pi / W
    y = -A * np.cos(k * x)
    exact = -A * k**2 * np.cos(k * x) / (1 + (A * k * np.sin(k * x)) ** 2) ** 1.5
    np.testing.assert_allclose(polyline_curvature(np.column_stack([x, y])), exact,
                               atol=1e-3 * A * k**2)


def _rate(width_m: float, gamma: float):
    from hemcell.surface.geometry import build_mesh
    from hemcell.surface.transient import TransientSettings, run_transient

    p = example_parameters(sei_heterogeneity_amplitude=0.0, applied_current_density_A_per_m2=10.0,
                           exchange_current_density_A_per_m2=1e3, surface_energy_J_per_m2=gamma)
    spec = coarse_spec("sinusoid", amplitude_m=0.2e-6, width_m=width_m)
    settings = TransientSettings(duration_s=60.0, time_step_s=3.0, initial_time_step_s=0.03)
    r = run_transient(build_mesh(spec), p, "bare", settings)
    return p, r


@pytest.mark.parametrize("width_m", [10e-6, 20e-6])
def test_small_sinusoid_growth_rate_with_capillarity_matches_linear_theory(width_m):
    """σ(k) = σ₀(k)(1 − k²/k_c²): λ = 10 µm flattens, 20 µm grows (cutoff 13.4 µm)."""
    require_fenicsx()
    p, r = _rate(width_m, GAMMA)
    k = 2 * math.pi / width_m
    beta = analytic.diffusion_resistance_ratio(p)
    kappa_e = p.electrolyte_conductivity_S_per_m / (1 + beta)
    i = p.applied_current_density_A_per_m2
    kc2 = F * i / (GAMMA * p.li_molar_volume_m3_per_mol * kappa_e)
    A = r.rows[0]["amplitude_m"]
    eps = analytic.sinusoid_current_amplitude(p, A, width_m, p.exchange_current_density_A_per_m2)
    sigma0 = p.li_molar_volume_m3_per_mol * i * eps / (F * A)
    expected = sigma0 * (1 - k**2 / kc2)
    rel, _ = r.amplitude_rates()
    assert np.sign(rel) == np.sign(expected)
    assert abs(rel - expected) < 0.015 * sigma0, (rel, expected, sigma0)
    assert r.rows[-1]["max_capillary_shift_V"] > 0
