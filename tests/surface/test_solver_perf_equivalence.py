"""Performance changes of the surface solver leave the results unchanged.

- Reusing the preconditioner (MUMPS factors or the fieldsplit/GAMG set-up) across
  Newton steps and staggered coupling iterations (``reuse_preconditioner``) gives the
  same coupled solution as a fresh factorisation at every Newton step, to the SNES
  tolerance (rtol 1e-10), with fewer factorisations.
- The fieldsplit/GAMG solver with reuse equals MUMPS with reuse.
- Repeated solves on one mesh (``CoupledSolver``) factorise with METIS and no scaling
  (``repeated_solve_options``): the same Newton steps and the results of the default
  options (AMF, scaled) within the SNES tolerance (rtol 1e-10), on 1 and 2 ranks.
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


# The SNES relative tolerance of the transport (default_snes_options: snes_rtol): two
# orderings of the same factorisation give results that differ by round-off, far inside it
SNES_RTOL = 1e-10


def repeated_against_default(sm, p) -> dict:
    """The CoupledSolver's solve (repeated-solve options) against ``solve_coupled`` with
    the default options: the options' controls and the largest relative differences."""
    from hemcell.surface.metrics import compute_metrics
    from hemcell.surface.solver import CoupledSolver, solve_coupled

    default = solve_coupled(sm, p, "coated")
    solver = CoupledSolver(sm)
    repeated = [solver.solve(p, "coated") for _ in range(2)][-1]  # the kept path
    factor = repeated.transport._kept_ksp.getPC().getFactorMatrix()

    def rel(x, y):
        return float(np.max(np.abs(y - x)) / np.max(np.abs(x)))

    ma, mb = compute_metrics(default), compute_metrics(repeated)
    stress_Pa = float(np.max(np.abs(default.samples.normal_stress_Pa)))
    return {
        "controls": [factor.getMumpsIcntl(7), factor.getMumpsIcntl(8)],
        "iterations": [[default.coupling_iterations, default.newton_iterations],
                       [repeated.coupling_iterations, repeated.newton_iterations]],
        "transport": rel(default.transport.u.x.array, repeated.transport.u.x.array),
        "current": rel(default.samples.current_density_A_per_m2,
                       repeated.samples.current_density_A_per_m2),
        "normal_stress": rel(default.samples.normal_stress_Pa,
                             repeated.samples.normal_stress_Pa),
        "metrics": max(abs(mb[k] - v) / max(abs(v), stress_Pa if k.endswith("_Pa") else 0.0)
                       for k, v in ma.items()
                       if isinstance(v, float) and v != 0 and k != "solve_time_s"),
    }


def _check_repeated(row: dict) -> None:
    from hemcell.surface.petsc import MUMPS_NO_SCALING, MUMPS_ORDERING_METIS

    assert row["controls"] == [MUMPS_ORDERING_METIS, MUMPS_NO_SCALING]
    assert row["iterations"][0] == row["iterations"][1]
    for key in ("transport", "current", "normal_stress", "metrics"):
        assert row[key] <= SNES_RTOL, (key, row[key])


def test_repeated_solve_options_give_the_default_results(coated_mesh):
    _check_repeated(repeated_against_default(coated_mesh, example_parameters(**GROWTH)))


@pytest.mark.mpi
def test_repeated_solve_options_on_two_ranks(tmp_path):
    from tests.surface.conftest import run_mpi_case

    _check_repeated(run_mpi_case("tests.surface.test_solver_perf_equivalence", 2,
                                 tmp_path / "repeated.json"))


def main(out_path: str) -> None:
    """Under mpiexec: :func:`repeated_against_default`; rank 0 writes the row."""
    import json

    import dolfinx_solver  # noqa: F401

    from mpi4py import MPI

    from hemcell.surface.geometry import build_mesh

    sm = build_mesh(coarse_spec("nucleus", coating_thickness_m=28e-9,
                                surface_mesh_size_m=0.3e-6))
    row = repeated_against_default(sm, example_parameters(**GROWTH))
    if MPI.COMM_WORLD.rank == 0:
        with open(out_path, "w", encoding="utf-8") as fh:
            json.dump(row, fh)


if __name__ == "__main__":
    import sys

    main(sys.argv[1])
