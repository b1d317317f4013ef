"""Coupled solves that keep the linear solvers' set-up (CoupledSolver) equal cold solves.

A :class:`~hemcell.surface.solver.CoupledSolver` hands every new transport and
elasticity problem the Jacobian/operator Mat and KSP of the previous one on the same
meshes, so PETSc repeats only the numeric factorisation (MUMPS analysis skipped) and
keeps the elasticity's Cholesky factors while its operator is unchanged. Checked here:

- solves at two different applied currents through one CoupledSolver give the results
  of cold ``solve_coupled`` calls with the same transport options (the CoupledSolver's
  :func:`~hemcell.surface.solver.repeated_solve_options`; transport unknowns,
  displacement, surface current and σ_nn, metrics) to 1e-12 relative; from the second
  solve on, no symbolic factorisation (PETSc log events ``MatLUFactorSym``,
  ``MatCholFctrSym``) and no elasticity numeric
  factorisation runs (stack pressure and growth strain are right-hand side only);
- a changed Young's modulus re-factorises the elasticity numerically (no analysis) and
  still matches the cold solve;
- bare and thin-layer coated solves on one mesh keep a transport solver each;
- an earlier result is never changed by a later solve, and its problems refuse to
  solve again once their linear solvers have passed on;
- the same on 2 MPI ranks (this module run under mpiexec, :func:`main`);
- a kept transport problem assembles into the kept Jacobian Mat and creates none of
  its own;
- a problem's first elasticity solve with the previous problem's first right-hand side
  (same stack pressure and factors) takes that solution without a back-substitution;
- after :func:`~hemcell.surface.petsc.keep_freed_memory` (a CoupledSolver sets it) a
  freed 64 MB block is allocated again from resident pages, without page faults.
"""

from __future__ import annotations

import gc
import json
import subprocess
import sys

import numpy as np
import pytest

from tests.surface.conftest import (
    coarse_spec,
    example_parameters,
    require_fenicsx,
    run_mpi_case,
)

# growth strain on: several staggered iterations, the elasticity re-solved in each
GROWTH = dict(growth_strain_fraction=0.001, coupling_iterations=20, coupling_tolerance=1e-6,
              coupling_relaxation=1.0)
CURRENTS_A_PER_M2 = (20.0, 35.0)
RTOL = 1e-12
FACTORISATIONS = ("MatLUFactorSym", "MatLUFactorNum", "MatCholFctrSym", "MatCholFctrNum")


def _coated_mesh():
    from hemcell.surface.geometry import build_mesh

    return build_mesh(coarse_spec("nucleus", coating_thickness_m=28e-9,
                                  surface_mesh_size_m=0.3e-6))


def _factorisations() -> dict[str, int]:
    """How many of each factorisation PETSc has logged in this process so far."""
    from petsc4py import PETSc

    PETSc.Log.begin()  # (idempotent) logging on, so that the events are counted
    return {e: int(PETSc.Log.Event(e).getPerfInfo()["count"]) for e in FACTORISATIONS}


def _solve_counted(solve, *args):
    """``solve(*args)`` and the factorisations it did."""
    before = _factorisations()
    result = solve(*args)
    after = _factorisations()
    return result, {e: after[e] - before[e] for e in FACTORISATIONS}


def _largest_differences(a, b) -> dict[str, float]:
    """Largest difference of result b from a, relative to the largest magnitude, for the
    transport unknowns, displacement, surface current and σ_nn; each metric relative to
    itself, a stress [Pa] relative to the larger of itself and the largest |σ_nn| (the
    tip's σ_nn is a small sum of larger stresses, ~1/10 of the largest: its round-off is
    that of the stresses it comes from; on 2 ranks the distributed factorisation's
    round-off differs from run to run)."""
    from hemcell.surface.metrics import compute_metrics

    def rel(x, y):
        scale = np.max(np.abs(x))
        return float(np.max(np.abs(y - x)) / scale) if scale > 0 else float(np.max(np.abs(y)))

    out = {"transport": rel(a.transport.u.x.array, b.transport.u.x.array),
           "displacement": rel(a.mechanics.u.x.array, b.mechanics.u.x.array),
           "current": rel(a.samples.current_density_A_per_m2,
                          b.samples.current_density_A_per_m2),
           "normal_stress": rel(a.samples.normal_stress_Pa, b.samples.normal_stress_Pa)}
    ma, mb = compute_metrics(a), compute_metrics(b)
    stress_Pa = float(np.max(np.abs(a.samples.normal_stress_Pa)))
    out["metrics"] = max(
        abs(mb[k] - v) / max(abs(v), stress_Pa if k.endswith("_Pa") else 0.0)
        for k, v in ma.items() if isinstance(v, float) and v != 0 and k != "solve_time_s")
    return out


def kept_against_cold(sm, parameters, case: str = "coated") -> list[dict]:
    """For each parameter set: the differences of the CoupledSolver's result from a cold
    ``solve_coupled`` one, the factorisations of the kept solve, the iterations of both.

    Each result is freed before the next solve, as a sweep does (a freed problem must not
    take the kept factorisation with it).
    """
    from hemcell.surface.solver import CoupledSolver, solve_coupled

    solver = CoupledSolver(sm)
    rows = []
    for p in parameters:
        cold = solve_coupled(sm, p, case, petsc_options=solver.petsc_options)
        kept, counts = _solve_counted(solver.solve, p, case)
        rows.append({"differences": _largest_differences(cold, kept), "factorisations": counts,
                     "iterations": [[cold.coupling_iterations, cold.newton_iterations],
                                    [kept.coupling_iterations, kept.newton_iterations]],
                     "elasticity": [kept.mechanics.back_substitutions,
                                    kept.mechanics.reused_solutions]})
        del cold, kept
        gc.collect()
    return rows


def _check_kept_rows(rows: list[dict]) -> None:
    for k, row in enumerate(rows):
        assert row["iterations"][0] == row["iterations"][1]
        for key, value in row["differences"].items():
            assert value <= RTOL, (k, key, value)
    first, later = rows[0]["factorisations"], rows[1]["factorisations"]
    assert first["MatLUFactorSym"] >= 1 and first["MatCholFctrSym"] == 1
    assert later["MatLUFactorSym"] == 0 and later["MatCholFctrSym"] == 0  # no analysis
    assert later["MatCholFctrNum"] == 0  # same elasticity operator: factors kept
    assert later["MatLUFactorNum"] >= 1  # the new Jacobians are factorised
    # one elasticity solve per coupling iteration (the last one converged before it);
    # the first (stack pressure alone, the same at both currents) is the first row's
    solves = [row["iterations"][1][0] for row in rows]
    assert rows[0]["elasticity"] == [solves[0], 0]
    assert rows[1]["elasticity"] == [solves[1] - 1, 1]


@pytest.fixture(scope="module")
def coated_mesh():
    require_fenicsx()
    return _coated_mesh()


def test_kept_solvers_give_the_cold_results_without_analysis(coated_mesh):
    ps = [example_parameters(**GROWTH, applied_current_density_A_per_m2=i)
          for i in CURRENTS_A_PER_M2]
    rows = kept_against_cold(coated_mesh, ps)
    assert rows[0]["iterations"][0][0] > 1  # staggered coupling iterations
    _check_kept_rows(rows)


def test_changed_modulus_refactorises_the_elasticity_without_analysis(coated_mesh):
    ps = [example_parameters(**GROWTH, applied_current_density_A_per_m2=20.0),
          example_parameters(**GROWTH, applied_current_density_A_per_m2=20.0,
                             li_youngs_modulus_Pa=5e9)]
    rows = kept_against_cold(coated_mesh, ps)
    for row in rows:
        assert max(row["differences"].values()) <= RTOL, row
    later = rows[1]["factorisations"]
    assert later["MatCholFctrSym"] == 0 and later["MatCholFctrNum"] == 1
    assert later["MatLUFactorSym"] == 0
    assert rows[1]["elasticity"][1] == 0  # new factors: the kept solution is not reused


def test_a_repeated_elasticity_solve_is_the_kept_solution(coated_mesh):
    """A problem's first elasticity solve with the right-hand side of the previous
    problem's first solve (same stack pressure, operator and factors) takes that solution,
    bit for bit, without a back-substitution; another stack pressure is solved and
    matches a problem with factors of its own; a changed operator forgets the solution."""
    from hemcell.surface.mechanics import MechanicsProblem
    from hemcell.surface.petsc import KeptSolvers

    kept = KeptSolvers()
    p = example_parameters(stack_pressure_Pa=1e6)  # (test value; the examples' is 0)
    first = MechanicsProblem(coated_mesh, p, kept=kept)
    first.solve()
    u_first = first.u.x.array.copy()
    again = MechanicsProblem(coated_mesh, p, kept=kept)
    again.solve()
    assert (again.back_substitutions, again.reused_solutions) == (0, 1)
    np.testing.assert_array_equal(again.u.x.array, u_first)
    again.solve()  # a later solve of the same problem is solved, not looked up
    assert (again.back_substitutions, again.reused_solutions) == (1, 1)
    np.testing.assert_array_equal(again.u.x.array, u_first)

    pressed = example_parameters(stack_pressure_Pa=2 * p.stack_pressure_Pa)
    other = MechanicsProblem(coated_mesh, pressed, kept=kept)
    other.solve()
    assert (other.back_substitutions, other.reused_solutions) == (1, 0)
    own = MechanicsProblem(coated_mesh, pressed)
    own.solve()
    scale = np.max(np.abs(own.u.x.array))
    assert np.max(np.abs(other.u.x.array - own.u.x.array)) <= RTOL * scale
    assert np.max(np.abs(other.u.x.array - u_first)) > 0.1 * scale

    # the operator re-assembled: the kept solution goes with the old one
    softer = MechanicsProblem(coated_mesh, example_parameters(
        stack_pressure_Pa=2e6, li_youngs_modulus_Pa=5e9), kept=kept)
    softer.solve()
    assert (softer.back_substitutions, softer.reused_solutions) == (1, 0)


def test_bare_and_thin_layer_keep_a_transport_solver_each():
    require_fenicsx()
    from hemcell.surface.geometry import build_mesh
    from hemcell.surface.solver import CoupledSolver, solve_coupled

    sm = build_mesh(coarse_spec("sinusoid"))
    solver = CoupledSolver(sm)
    runs = [("bare", example_parameters(sei_seed=1)),
            ("coated_thin", example_parameters(sei_seed=1, coating_thickness_m=14e-9)),
            ("bare", example_parameters(sei_seed=2)),
            ("coated_thin", example_parameters(sei_seed=2, coating_thickness_m=28e-9))]
    for k, (case, p) in enumerate(runs):
        kept, counts = _solve_counted(solver.solve, p, case)
        diff = _largest_differences(
            solve_coupled(sm, p, case, petsc_options=solver.petsc_options), kept)
        assert max(diff.values()) <= RTOL, (case, diff)
        if k >= 2:  # each case's pattern analysed once; the elasticity factors once
            assert counts["MatLUFactorSym"] == counts["MatCholFctrSym"] == 0, counts
        del kept
        gc.collect()  # the earlier problems freed, as in a sweep
    assert len(solver.kept) == 3  # transport with 2 and with 3 fields, elasticity


def test_an_earlier_result_stays_and_cannot_solve_again(coated_mesh):
    from hemcell.errors import SimulationError
    from hemcell.surface.solver import CoupledSolver

    solver = CoupledSolver(coated_mesh)
    first = solver.solve(example_parameters(**GROWTH, applied_current_density_A_per_m2=20.0),
                         "coated")
    saved = (first.transport.u.x.array.copy(), first.mechanics.u.x.array.copy(),
             first.samples.current_density_A_per_m2.copy(),
             first.mechanics.stress.x.array.copy())
    second = solver.solve(example_parameters(**GROWTH, applied_current_density_A_per_m2=35.0),
                          "coated")
    after = (first.transport.u.x.array, first.mechanics.u.x.array,
             first.samples.current_density_A_per_m2, first.mechanics.stress.x.array)
    for a, b in zip(saved, after, strict=True):
        np.testing.assert_array_equal(a, b)
    with pytest.raises(SimulationError, match="handed its linear solver"):
        first.transport.solve()
    with pytest.raises(SimulationError, match="linear solver was handed"):
        first.mechanics.solve()
    second.transport.solve()  # the latest problems hold the solvers
    second.mechanics.solve()


def test_a_kept_transport_problem_creates_no_jacobian_matrix(coated_mesh):
    """The second problem's Jacobian Mat is the first one's (DOLFINx's NonlinearProblem
    is handed the kept operator instead of creating a Mat it would never use), also after
    the first result is freed; DOLFINx's create_matrix is left as it was."""
    import dolfinx.fem.petsc as dolfinx_petsc

    from hemcell.surface.solver import CoupledSolver

    create = dolfinx_petsc.create_matrix
    solver = CoupledSolver(coated_mesh)
    first = solver.solve(example_parameters(applied_current_density_A_per_m2=20.0), "coated")
    handle = first.transport.problem.A.handle
    del first
    gc.collect()
    second = solver.solve(example_parameters(applied_current_density_A_per_m2=35.0), "coated")
    assert second.transport.problem.A.handle == handle
    assert dolfinx_petsc.create_matrix is create
    assert second.transport.last_iterations > 0


# In a new process (the setting is process-wide): minor page faults of allocating and
# filling a 64 MB block three times, before and after keep_freed_memory.
_FAULTS_SCRIPT = """
import json, resource
from hemcell.surface.petsc import keep_freed_memory

def faults():
    out = []
    for _ in range(3):
        before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
        block = b"\\x01" * (64 << 20)
        del block
        out.append(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
    return out

default = faults()
print(json.dumps([keep_freed_memory(), default, faults()]))
"""
PAGES_64MB = (64 << 20) // 4096


def test_freed_memory_is_reused_without_page_faults():
    """A 64 MB block is above glibc's mmap threshold: by default each allocation maps
    16 384 new 4 kB pages (one fault each) and freeing it unmaps them; once the process
    keeps its freed memory, the second and third allocations reuse the first one's
    resident pages (MUMPS's factor array at every refactorisation)."""
    out = subprocess.run([sys.executable, "-c", _FAULTS_SCRIPT], capture_output=True,
                         text=True, check=True)
    applied, default, kept = json.loads(out.stdout)
    if not applied:
        pytest.skip("not glibc: mallopt unavailable")
    assert min(default) >= 0.9 * PAGES_64MB  # every allocation faults its pages in
    assert max(kept[1:]) < 0.01 * PAGES_64MB  # the freed block's pages are reused


@pytest.mark.mpi
def test_kept_solvers_on_two_ranks(tmp_path):
    require_fenicsx()
    rows = run_mpi_case("tests.surface.test_coupled_reuse", 2, tmp_path / "reuse.json")
    _check_kept_rows(rows)


def main(out_path: str) -> None:
    """Under mpiexec: :func:`kept_against_cold` at the two currents; rank 0 writes the rows
    (the factorisations counted on rank 0)."""
    import dolfinx_solver  # noqa: F401

    from mpi4py import MPI

    ps = [example_parameters(**GROWTH, applied_current_density_A_per_m2=i)
          for i in CURRENTS_A_PER_M2]
    rows = kept_against_cold(_coated_mesh(), ps)
    if MPI.COMM_WORLD.rank == 0:
        with open(out_path, "w", encoding="utf-8") as fh:
            json.dump(rows, fh)


if __name__ == "__main__":
    main(sys.argv[1])
