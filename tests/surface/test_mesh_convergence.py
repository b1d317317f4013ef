"""Mesh convergence of the surface metrics at the default resolution (slow)."""

from __future__ import annotations

import numpy as np
import pytest

from tests.surface.conftest import require_fenicsx


@pytest.mark.slow
@pytest.mark.parametrize("case", ["bare", "coated"])
def test_default_mesh_is_converged(case):
    """Halving the default mesh sizes changes the surface metrics by < 0.5 % (von Mises
    maximum in Li < 5 %): the basis of the surface_mesh_size default."""
    require_fenicsx()
    from hemcell.surface.metrics import compute_metrics
    from hemcell.workflows.surface import resolve_case, solve_case

    coarse = compute_metrics(solve_case(resolve_case(case, "nucleus")))
    fine = compute_metrics(solve_case(resolve_case(
        case, "nucleus", ["surface_mesh_size=0.04um", "far_mesh_size=0.5um"])))
    for key in ("current_focusing_factor", "min_surface_concentration_mol_per_m3",
                "tip_normal_stress_Pa", "mean_current_density_A_per_m2"):
        np.testing.assert_allclose(coarse[key], fine[key], rtol=5e-3, err_msg=key)
    np.testing.assert_allclose(coarse["max_von_mises_li_Pa"], fine["max_von_mises_li_Pa"],
                               rtol=5e-2)
