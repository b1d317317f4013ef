"""Performance changes of the surface solver leave the results unchanged.

- Reusing the preconditioner (MUMPS factors or the fieldsplit/GAMG set-up) across
  Newton steps and staggered coupling iterations (``reuse_preconditioner``) gives the
  same coupled solution as a fresh factorisation at every Newton step, to the SNES
  tolerance (rtol 1e-10), with fewer factorisations.
- The fieldsplit/GAMG solver with reuse equals MUMPS with reuse.
"""

from __future__ import annotations

import numpy as np
import pytest

from tests.surface.conftest import (
    assert_same_coupled_solution,
    coarse_spec,
    example_parameters,
    require_fenicsx,
)

pytestmark = pytest.mark.usefixtures("fenicsx")

# growth strain on (beta = 0.001 and full relaxation, the values of the coated nucleus
# set, resolve_case("coated", "nucleus")): several staggered coupling iterations
GROWTH = dict(growth_strain_fraction=0.001, coupling_iterations=20, coupling_tolerance=1e-6,
              coupling_relaxation=1.0, applied_current_density_A_per_m2=20.0)


@pytest.fixture(scope="module")
def coated_mesh():
    require_fenicsx()
    from hemcell.surface.geometry import build_mesh

    return build_mesh(coarse_spec("nucleus", coating_thickness_m=28e-9,
                                  surface_mesh_size_m=0.3e-6))


def _coupled(sm, p, reuse: bool, linear_solver: str = "lu"):
    """solve_coupled with the preconditioner reuse forced on or off."""
    from hemcell.surface import solver

    base = solver.TransportProblem

    class Transport(base):
        def __init__(self, *args, **kwargs):
            kwargs["reuse_preconditioner"] = reuse
            super().__init__(*args, **kwargs)

    solver.TransportProblem = Transport
    try:
        return solver.solve_coupled(sm, p, "coated", linear_solver=linear_solver)
    finally:
        solver.TransportProblem = base


def test_reused_factorisation_equals_fresh_factorisations(coated_mesh):
    p = example_parameters(**GROWTH)
    fresh = _coupled(coated_mesh, p, reuse=False)
    reused = _coupled(coated_mesh, p, reuse=True)
    assert fresh.coupling_iterations == reused.coupling_iterations > 1
    newton_steps = sum(reused.newton_iterations)
    assert reused.transport.preconditioner_builds < newton_steps
    assert fresh.transport.problem.solver.getKSP().getType() == "preonly"
    # solve_coupled's chord steps keep J with its own factors: one back-substitution
    assert reused.transport.lag_jacobian
    assert reused.transport.problem.solver.getKSP().getType() == "preonly"
    assert_same_coupled_solution(reused, fresh)


def test_fieldsplit_with_reuse_equals_direct(coated_mesh):
    p = example_parameters(**GROWTH)
    direct = _coupled(coated_mesh, p, reuse=True, linear_solver="lu")
    split = _coupled(coated_mesh, p, reuse=True, linear_solver="gamg")
    assert split.transport.problem.solver.getKSP().getPC().getType() == "fieldsplit"
    assert split.transport.preconditioner_builds < sum(split.newton_iterations)
    np.testing.assert_allclose(split.samples.current_density_A_per_m2,
                               direct.samples.current_density_A_per_m2, rtol=1e-8)
