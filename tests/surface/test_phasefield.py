"""Phase-field electrodeposition: Faraday volume, equilibrium profile, linear growth rate
against the sharp-interface (Wagner) result, coated vs bare trend, mesh rule."""

from __future__ import annotations

import math

import numpy as np
import pytest

from tests.surface.conftest import example_parameters, require_fenicsx
from tests.surface.phasefield_case import pf_parameters


@pytest.fixture(scope="module")
def planar():
    """Flat front, uniform kinetics, 0.5 s at 200 mA/cm2."""
    require_fenicsx()
    from hemcell.surface.phasefield import run_phasefield

    p = pf_parameters(roughness_amplitude_m=0.0, sei_heterogeneity_amplitude=0.0,
                      domain_width_m=2e-6, duration_s=2.0, frames=5)
    return run_phasefield(p, "bare")


def test_planar_growth_deposits_the_faraday_volume(planar):
    from hemcell.laws import FARADAY_C_PER_MOL

    p = planar.parameters
    rows = planar.rows
    grown = rows[-1]["metal_area_m2_per_m"] - rows[0]["metal_area_m2_per_m"]
    faraday = (p.applied_current_density_A_per_m2 * rows[-1]["time_s"] * p.domain_width_m
               * p.metal_molar_volume_m3_per_mol / (p.charge_number * FARADAY_C_PER_MOL))
    # every step: the charge row tested with v = 1 (exact up to the Newton tolerance)
    assert grown == pytest.approx(faraday, rel=1e-8)
    # after the start-up (the initial profile is the equilibrium one, not the travelling
    # one) the ξ = ½ front moves at the Faraday velocity iΩ/(zF), to a quarter mesh cell
    # (the contour interpolates a tanh linearly between nodes)
    a = next(r for r in rows if r["time_s"] >= 0.5)
    moved = rows[-1]["mean_height_m"] - a["mean_height_m"]
    expected = faraday / p.domain_width_m * (rows[-1]["time_s"] - a["time_s"]) / rows[-1]["time_s"]
    assert moved == pytest.approx(expected, abs=0.25 * p.mesh_size_m)
    assert rows[-1]["dendrite_index"] == pytest.approx(1.0, abs=1e-3)  # flat to 0.1 %


def test_equilibrium_profile_has_the_tanh_width():
    """Potentiostatic at 0 V, c = c_b: no reaction; a too-wide front relaxes to the
    equilibrium ξ = [1 + exp(n/ℓ)]⁻¹ (logit slope −1/ℓ), within 3 % at N = 3 cells per
    10–90 % width (the mesh rule of the sets)."""
    require_fenicsx()
    p = pf_parameters(control="potentiostatic", applied_potential_V=0.0,
                      roughness_amplitude_m=0.0, domain_width_m=1e-6, domain_height_m=6e-6,
                      curvature_mobility_m2_per_s=1e-13)
    from hemcell.surface.phasefield import PhaseFieldModel, equilibrium_profile

    model = PhaseFieldModel(p)
    s0, ell = p.initial_metal_height_m, p.interface_width_m
    model.set_order_parameter(lambda x, y: equilibrium_profile(y - s0, 2 * ell))
    for _ in range(40):  # 40 × 0.1 s ≫ the relaxation time 2ℓ²/M_K = 1.25 s
        ok, _, reason = model.solve_step(0.1)
        assert ok, reason
        model.accept()
    xi = model.gather()[0]
    _, y = model.grid()
    col = xi[:, xi.shape[1] // 2]
    sel = (col > 0.05) & (col < 0.95)
    slope = np.polyfit(y[sel], np.log(col[sel] / (1 - col[sel])), 1)[0]
    assert -1.0 / slope == pytest.approx(ell, rel=0.03)


def _mode_amplitude(xi, x, y, k):
    """Amplitude of cos(kx) in the column integral ∫ξ dy (= the surface height s(x) + const
    for a translated profile; smooth, unlike the interpolated ξ = ½ contour)."""
    height = np.trapezoid(xi, y, axis=0)
    return -2.0 / (x[-1] - x[0]) * np.trapezoid(height * np.cos(k * x), x)


def test_perturbation_growth_rate_matches_the_sharp_interface_model():
    """s(x) = s₀ − A cos kx on uniform kinetics at Wagner number ~0.3 (κ = 0.01 S/m,
    i₀ = 700 A/m², 100 A/m²; D large so the salt stays uniform, β → 0).

    Sharp-interface limit of the model: the BV part gives the current modulation ε of
    :func:`hemcell.surface.analytic.sinusoid_current_amplitude` (the sharp model's linear
    theory), the curvature flow M_K K carries ionic current (the charge equation ties
    every ∂ξ/∂t to it), so the electrolyte screens it by w/(1+w), w = κkR_ct:

        dA/dt = ε v̄ − M_K k² A w/(1+w),   v̄ = ī Ω/(zF).

    Tolerance 10 %: diffuse-interface corrections O(kℓ) = 0.16 at ℓ = 0.2 µm and
    second-order terms in kA = 0.31 (+4 % at N = 3 cells per interface width, +0.6 % at N = 6).
    """
    require_fenicsx()
    from hemcell.laws import FARADAY_C_PER_MOL
    from hemcell.surface.analytic import sinusoid_current_amplitude
    from hemcell.surface.kinetics import linear_charge_transfer_resistance_ohm_m2
    from hemcell.surface.phasefield import run_phasefield

    W, A, s0, i0 = 8e-6, 0.4e-6, 2e-6, 700.0
    kappa, D, M_K, i_app = 0.01, 1e-7, 1e-14, 100.0
    p = pf_parameters(domain_width_m=W, domain_height_m=6e-6, initial_metal_height_m=s0,
                      interface_width_m=0.2e-6, electrolyte_conductivity_S_per_m=kappa,
                      exchange_current_density_A_per_m2=i0, electrolyte_diffusivity_m2_per_s=D,
                      applied_current_density_A_per_m2=i_app, curvature_mobility_m2_per_s=M_K,
                      sei_heterogeneity_amplitude=0.0, duration_s=3.0, frames=7,
                      max_time_step_s=0.2)
    k = 2 * math.pi / W
    r = run_phasefield(p, "bare", initial_surface=lambda x: s0 - A * np.cos(k * x))
    t = np.array([s.time_s for s in r.snapshots])
    amp = np.array([_mode_amplitude(s.order_parameter, r.x_m, r.y_m, k) for s in r.snapshots])
    late = t >= 1.0  # after the start-up of the travelling profile
    rate = np.polyfit(t[late], amp[late], 1)[0]
    sp = example_parameters(electrolyte_conductivity_S_per_m=kappa,
                            electrolyte_diffusivity_m2_per_s=D,
                            exchange_current_density_A_per_m2=i0)
    a_mean = float(amp[late].mean())
    eps = sinusoid_current_amplitude(sp, a_mean, W, i0)
    v_mean = i_app * p.metal_molar_volume_m3_per_mol / (p.charge_number * FARADAY_C_PER_MOL)
    w = kappa * k * linear_charge_transfer_resistance_ohm_m2(sp, i0)
    expected = eps * v_mean - M_K * k**2 * a_mean * w / (1 + w)
    assert rate == pytest.approx(expected, rel=0.10)


def test_coated_deposit_is_smoother_than_bare_at_the_same_current():
    """Same cell, initial surface and current (200 mA/cm²): bare Li with the native-SEI
    field vs coated Li (uniform, coated-interface i₀ = 1.464 × bare; membrane tension of
    the 28 nm, 6.39 GPa film). The bare deposit roughens, the coated one flattens."""
    require_fenicsx()
    from hemcell.surface.phasefield import run_phasefield

    bare = run_phasefield(pf_parameters(duration_s=2.0), "bare")
    coated = run_phasefield(pf_parameters(duration_s=2.0, coating_thickness_m=28e-9,
                                          exchange_current_density_A_per_m2=70.6 * 1.464),
                            "coated")
    b, c = bare.rows[-1], coated.rows[-1]
    assert c["dendrite_index"] < b["dendrite_index"]
    assert c["roughness_rms_m"] < 0.5 * b["roughness_rms_m"]
    assert c["dendrite_index"] < coated.rows[0]["dendrite_index"]  # flattened
    assert c["coating_tension_N_per_m"] > 0 and b["coating_tension_N_per_m"] == 0


def test_mesh_rule_and_parameter_checks():
    from hemcell.errors import InputError
    from hemcell.surface.phasefield import (
        PROFILE_WIDTH_PER_ELL,
        reaction_constant_per_s,
    )

    p = pf_parameters()
    assert p.mesh_size_m == pytest.approx(PROFILE_WIDTH_PER_ELL * 0.25e-6 / 3)
    # L_eta * 5 l * zF c_s = i0 (the sharp-interface Butler-Volmer current)
    from hemcell.laws import FARADAY_C_PER_MOL
    assert (reaction_constant_per_s(p) * 5 * p.interface_width_m * FARADAY_C_PER_MOL
            / p.metal_molar_volume_m3_per_mol) == pytest.approx(70.6)
    with pytest.raises(InputError, match="phasefield_cells_per_interface_width"):
        pf_parameters(cells_per_interface_width=2.0)
    with pytest.raises(InputError, match="phasefield_initial_metal_height"):
        pf_parameters(initial_metal_height_m=20e-6)


@pytest.mark.parametrize("m", [4, 6])
def test_anisotropy_harmonics_are_cos_and_sin_of_m_theta(m):
    from hemcell.surface.phasefield import angular_harmonics

    theta = np.linspace(-np.pi, np.pi, 37)
    nx, ny = 2.5 * np.cos(theta), 2.5 * np.sin(theta)
    c, s = angular_harmonics(nx, ny, m, eps=0.0)
    np.testing.assert_allclose(c, np.cos(m * theta), atol=1e-12)
    np.testing.assert_allclose(s, np.sin(m * theta), atol=1e-12)


def test_phasefield_options_leave_with_its_problem():
    """The phase-field problem's SNES/KSP options go from the PETSc options database
    with the last problem holding them (DOLFINx leaves them under the prefix), and its
    forms are compiled once per process: a second model of the same case compiles
    nothing. (Another test's model may still be alive in this process: counted.)"""
    import gc

    require_fenicsx()
    from petsc4py import PETSc

    from hemcell.surface import forms, petsc
    from hemcell.surface.phasefield import PhaseFieldModel

    p = pf_parameters(roughness_amplitude_m=0.0, sei_heterogeneity_amplitude=0.0,
                      domain_width_m=2e-6, duration_s=2.0, frames=5)
    db = PETSc.Options()
    prefix = "hemcell_phasefield_"

    def holders() -> dict[str, int]:
        return {k: n for k, n in petsc._OPTION_HOLDERS.items() if k.startswith(prefix)}

    gc.collect()
    before = holders()
    first = PhaseFieldModel(p)
    compiled = forms.compilation_counts()["compilations"]
    second = PhaseFieldModel(p)
    assert forms.compilation_counts()["compilations"] == compiled
    during = holders()
    assert during and all(n == before.get(k, 0) + 2 for k, n in during.items())
    del first, second
    gc.collect()
    assert holders() == before
    in_db = {k for k in db.getAll() if k.startswith(prefix)}
    assert in_db == set(before)  # nothing left behind that no live problem holds
