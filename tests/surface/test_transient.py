"""Transient transport: Sand's time, salt balance, steady limit.

Sand's time on a flat surface
-----------------------------
i = 1000 A/m² with the example electrolyte (D = 3.22e-10 m²/s, c_b = 1000 mol/m³,
t₊ = 0.38) gives t_S = πD(c_bF)²/(4(i(1−t₊))²) = 6.1247 s and a diffusion length
√(D t_S) = 44 µm; the electrolyte is 6√(D t_S) = 266 µm high (semi-infinite to
~1e-12), 2 µm wide. Time steps start at 1e-4 t_S and grow ×1.5 up to Δt_max.
Refinement study (relative error of the computed Sand's time, by hand, Nov 2026):

=========================  ===========  ===========
surface size h, Δt_max      BDF2         backward Euler
=========================  ===========  ===========
2 µm, 0.1 t_S               +2.6e-3
1 µm, 0.05 t_S              +9.2e-4      +1.1e-2
0.5 µm, 0.02 t_S            +1.8e-4      +5.0e-3
0.25 µm, 0.01 t_S           −8.5e-6
=========================  ===========  ===========

BDF2 converges at second order in (h, Δt) together; backward Euler at first order
in Δt. The test uses the 1 µm / 0.05 t_S row (BDF2) and asks for 2 %, plus 0.5 %
for the tighter row.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from hemcell.surface import analytic
from tests.surface.conftest import coarse_spec, example_parameters, require_fenicsx

I_SAND = 1000.0


def _sand_run(h_m: float, dt_fraction: float, scheme: str = "bdf2"):
    from hemcell.surface.geometry import build_mesh
    from hemcell.surface.transient import TransientSettings, run_transient

    p = example_parameters(sei_heterogeneity_amplitude=0.0,
                           applied_current_density_A_per_m2=I_SAND)
    t_s = analytic.sand_time_s(p, I_SAND)
    length = math.sqrt(p.electrolyte_diffusivity_m2_per_s * t_s)
    spec = coarse_spec("flat", width_m=2e-6, electrolyte_height_m=6 * length,
                       surface_mesh_size_m=h_m, far_mesh_size_m=20 * h_m,
                       grading_distance_m=2 * length)
    settings = TransientSettings(duration_s=2 * t_s, time_step_s=dt_fraction * t_s,
                                 initial_time_step_s=1e-4 * t_s, scheme=scheme,
                                 moving_boundary=False)
    return p, t_s, run_transient(build_mesh(spec), p, "bare", settings)


def test_sand_time_flat_matches_analytic():
    """Flat surface, semi-infinite electrolyte: Sand's time within 2 % (see module doc)."""
    require_fenicsx()
    p, t_s, r = _sand_run(1e-6, 0.05)
    assert r.sand_time_s is not None
    assert abs(r.sand_time_s / t_s - 1) < 0.02, (r.sand_time_s, t_s)
    assert r.final_time_s < 1.01 * t_s  # the run stops at Sand's time
    # the surface concentration follows c_b − 2G√(t/(πD)) along the way
    t, c = r.column("time_s"), r.column("min_surface_concentration_mol_per_m3")
    mid = (t > 0.2 * t_s) & (t < 0.9 * t_s)
    expected = np.array([analytic.semi_infinite_surface_concentration(p, I_SAND, tt)
                         for tt in t[mid]])
    np.testing.assert_allclose(c[mid], expected, atol=5e-3 * p.bulk_concentration_mol_per_m3)


def test_salt_balance_semi_infinite():
    """Salt lost from the electrolyte = (1 − t₊) i W t / F while the top sees no gradient.

    The cation flux into the metal is i/F; at the far boundary the current is carried
    in by migration (t₊ i/F) and the diffusive flux is zero before the diffusion
    front arrives, so the salt content falls at (1 − t₊) i W/F.
    """
    require_fenicsx()
    p, _t_s, r = _sand_run(1e-6, 0.05)
    t, salt = r.column("time_s"), r.column("salt_mol_per_m")
    loss = salt[0] - salt
    expected = (1 - p.cation_transference_number) * I_SAND * 2e-6 * t / 96485.33212
    np.testing.assert_allclose(loss[1:], expected[1:], rtol=1e-5)
    # the charge passed equals the applied current (galvanostatic control)
    np.testing.assert_allclose(r.column("charge_passed_C_per_m")[-1],
                               I_SAND * 2e-6 * t[-1], rtol=1e-9)


@pytest.mark.slow
def test_sand_time_refinement():
    """Finer mesh and steps (0.5 µm, 0.02 t_S): Sand's time within 0.05 %."""
    require_fenicsx()
    _, t_s, r = _sand_run(0.5e-6, 0.02)
    assert abs(r.sand_time_s / t_s - 1) < 5e-4


def test_transient_reaches_the_steady_solution():
    """Long times: the transient flat solution tends to the steady solver's.

    H = 20 µm, diffusion time H²/D ≈ 1.2 s; after 30 s the surface concentration and
    the current equal those of the steady problem (same forms without the storage term).
    """
    require_fenicsx()
    from hemcell.surface.geometry import build_mesh
    from hemcell.surface.metrics import compute_metrics
    from hemcell.surface.solver import solve_coupled
    from hemcell.surface.transient import TransientSettings, run_transient

    p = example_parameters(sei_heterogeneity_amplitude=0.5, applied_current_density_A_per_m2=100.0)
    spec = coarse_spec("flat", electrolyte_height_m=20e-6, surface_mesh_size_m=0.4e-6)
    steady = compute_metrics(solve_coupled(build_mesh(spec), p, "bare"))
    r = run_transient(build_mesh(spec), p, "bare",
                      TransientSettings(duration_s=30.0, time_step_s=3.0,
                                        initial_time_step_s=0.01, moving_boundary=False))
    last = r.rows[-1]
    np.testing.assert_allclose(last["min_surface_concentration_mol_per_m3"],
                               steady["min_surface_concentration_mol_per_m3"], rtol=1e-6)
    np.testing.assert_allclose(last["current_focusing_factor"],
                               steady["current_focusing_factor"], rtol=1e-3)
    assert r.sand_time_s is None


def test_transient_settings_reject_bad_values():
    """Non-positive times and unknown schemes are input errors."""
    from hemcell.errors import InputError
    from hemcell.surface.transient import TransientSettings

    with pytest.raises(InputError):
        TransientSettings(duration_s=0.0, time_step_s=1.0, initial_time_step_s=0.1)
    with pytest.raises(InputError):
        TransientSettings(duration_s=1.0, time_step_s=1.0, initial_time_step_s=0.1,
                          scheme="rk4")  # type: ignore[arg-type]
