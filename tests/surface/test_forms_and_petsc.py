"""Compiled forms kept in the process, the MUMPS controls and the PETSc options database.

- ``forms.form`` binds a form to the compiled code kept for its signature: the same
  assembled residual and Jacobian, bit for bit, as ``dolfinx.fem.form`` (and
  ``forms.expression`` the same stress values as ``dolfinx.fem.Expression``); a second coupled
  solve on the same mesh compiles nothing (a counter of JIT calls, not a timing), shares
  the function spaces of the first (``forms.per_mesh``) and gives the first solve's
  results bit for bit.
- ``surface.petsc`` is the one owner of the MUMPS controls: set on the factor matrix of a
  direct solve (transport LU and elasticity Cholesky), never left in the database.
- The SNES/KSP options a transport problem puts into the database under its prefix stay
  while a problem with that prefix lives (a fieldsplit/GAMG preconditioner reads its
  blocks' options when it is built) and leave with the last one.
- ``mpiexec_prefix`` binds ranks to cores only when asked (the MPI benchmarks), never for
  sweep points.

Coarse coated nucleus (surface mesh 0.2 µm, as ``tests/surface/mpi_mechanics_case.py``):
about 3 s in all.
"""

from __future__ import annotations

import gc

import numpy as np
import pytest

from tests.surface.conftest import require_fenicsx


@pytest.fixture(scope="module")
def coarse():
    require_fenicsx()
    from hemcell.surface.geometry import build_mesh
    from hemcell.workflows.surface import resolve_case
    from tests.surface.mpi_mechanics_case import OVERRIDES

    rc = resolve_case("coated", "nucleus", OVERRIDES)
    return build_mesh(rc.geometry), rc.parameters


def test_kept_forms_assemble_as_dolfinx_forms(coarse):
    """The residual and Jacobian bound by ``forms.form`` (compiled code reused) assemble to
    the vectors and matrices of ``dolfinx.fem.form`` (compiled for the call), bit for bit,
    at a converged, non-uniform state."""
    from dolfinx import fem
    from dolfinx.fem.petsc import assemble_matrix, assemble_vector

    from hemcell.surface import forms
    from hemcell.surface.solver import TransportProblem

    sm, p = coarse
    tr = TransportProblem(sm, p, "coated", prefix="hemcell_test_forms_")
    tr.solve()
    forms.form(tr.residual)  # held from here on
    before = forms.compilation_counts()
    kept = forms.form(tr.residual)
    assert forms.compilation_counts()["compilations"] == before["compilations"]
    fresh = fem.form(tr.residual)
    b_kept, b_fresh = assemble_vector(kept), assemble_vector(fresh)
    assert np.linalg.norm(b_fresh.array) > 0
    np.testing.assert_array_equal(b_kept.array, b_fresh.array)
    import ufl

    J = ufl.derivative(tr.residual, tr.u)
    A_kept, A_fresh = assemble_matrix(forms.form(J)), assemble_matrix(fem.form(J))
    A_kept.assemble()
    A_fresh.assemble()
    A_kept.axpy(-1.0, A_fresh)
    assert A_fresh.norm() > 0 and A_kept.norm() == 0.0


def test_kept_expressions_evaluate_as_dolfinx_expressions(coarse):
    """The stress and von Mises expressions bound by ``forms.expression`` evaluate to the
    values of ``dolfinx.fem.Expression``, bit for bit, on a loaded elasticity solution; a
    kept expression is reused."""
    from dolfinx import fem

    from hemcell.surface import forms
    from hemcell.surface.mechanics import stress_in_plane, von_mises
    from tests.surface.mpi_mechanics_case import loaded_mechanics

    sm, p = coarse
    mech, _, _ = loaded_mechanics("direct", sm, p)
    cells = np.arange(sm.mechanics.topology.index_map(2).size_local, dtype=np.int32)
    for expr, space in ((stress_in_plane(mech.u, mech.lam, mech.mu, mech.growth_strain,
                                         mech.coating_eigenstrain), mech.T1),
                        (von_mises(mech.u, mech.lam, mech.mu, mech.growth_strain,
                                   mech.coating_eigenstrain), mech.D1)):
        X = space.element.interpolation_points
        forms.expression(expr, X)  # held from here on
        before = forms.compilation_counts()
        kept = forms.expression(expr, X)
        assert forms.compilation_counts()["compilations"] == before["compilations"]
        values = kept.eval(sm.mechanics, cells)
        assert np.max(np.abs(values)) > 0
        np.testing.assert_array_equal(values, fem.Expression(expr, X).eval(sm.mechanics, cells))


def test_second_coupled_solve_compiles_nothing(coarse):
    """A second ``solve_coupled`` on the same mesh and parameters builds new problems but
    compiles no form or expression (all reused) and gives the same results bit for bit."""
    from hemcell.surface import forms
    from hemcell.surface.solver import solve_coupled

    sm, p = coarse
    first = solve_coupled(sm, p, "coated")
    before = forms.compilation_counts()
    second = solve_coupled(sm, p, "coated")
    after = forms.compilation_counts()
    assert after["compilations"] == before["compilations"]
    # residual, Jacobian, elasticity a and L, the stress and von Mises expressions
    assert after["reuses"] - before["reuses"] >= 6
    # the spaces of the meshes are built once (per_mesh)
    assert second.transport.W is first.transport.W
    assert second.mechanics.V is first.mechanics.V
    np.testing.assert_array_equal(second.transport.u.x.array, first.transport.u.x.array)
    for key in ("current_density_A_per_m2", "normal_stress_Pa"):
        np.testing.assert_array_equal(getattr(second.samples, key), getattr(first.samples, key))


def test_per_mesh_data_is_built_once_and_goes_with_its_mesh():
    """``per_mesh`` builds a value once per owner and key and drops it with the owner."""
    from hemcell.surface import forms

    class Owner:  # stands for a SurfaceMesh
        pass

    builds = []

    def build():
        builds.append(1)
        return np.arange(3)

    owner = Owner()
    first = forms.per_mesh(owner, "dofs", build)
    assert forms.per_mesh(owner, "dofs", build) is first and len(builds) == 1
    forms.per_mesh(owner, "other dofs", build)
    assert len(builds) == 2
    gc.collect()  # meshes of earlier tests in this process, held in reference cycles,
    n_owners = len(forms._PER_MESH)  # go first, so that only this owner's drop is counted
    del owner
    gc.collect()
    assert len(forms._PER_MESH) == n_owners - 1


def test_mumps_controls_one_owner(coarse):
    """``split_mumps_controls`` takes the MUMPS controls of a direct MUMPS solve only;
    ``set_mumps_controls`` sets them on the factor matrix (elasticity Cholesky: AMF
    ordering) and refuses anything else."""
    from petsc4py import PETSc

    from hemcell.surface.mechanics import MechanicsProblem
    from hemcell.surface.petsc import (
        MUMPS_ORDERING_AMF,
        set_mumps_controls,
        split_mumps_controls,
    )

    direct = {"pc_type": "lu", "pc_factor_mat_solver_type": "mumps", "ksp_type": "preonly",
              "mat_mumps_icntl_7": 2, "mat_mumps_cntl_1": 0.01}
    rest, controls = split_mumps_controls(direct)
    assert controls == {"mat_mumps_icntl_7": 2, "mat_mumps_cntl_1": 0.01}
    assert set(rest) == {"pc_type", "pc_factor_mat_solver_type", "ksp_type"}
    iterative = {"pc_type": "gamg", "mat_mumps_icntl_7": 2}
    assert split_mumps_controls(iterative) == (iterative, None)

    A = PETSc.Mat().createAIJ([2, 2], nnz=1, comm=PETSc.COMM_SELF)
    A.setValue(0, 0, 2.0)
    A.setValue(1, 1, 3.0)
    A.assemble()
    ksp = PETSc.KSP().create(PETSc.COMM_SELF)
    ksp.setOperators(A)
    ksp.getPC().setType("lu")
    ksp.getPC().setFactorSolverType("mumps")
    set_mumps_controls(ksp, controls)
    factor = ksp.getPC().getFactorMatrix()
    assert factor.getMumpsIcntl(7) == 2 and factor.getMumpsCntl(1) == pytest.approx(0.01)
    with pytest.raises(ValueError, match="not a MUMPS control"):
        set_mumps_controls(ksp, {"ksp_rtol": 1e-8})

    sm, p = coarse
    mech = MechanicsProblem(sm, p)
    assert mech._ksp.getPC().getFactorMatrix().getMumpsIcntl(7) == MUMPS_ORDERING_AMF


def test_problem_options_leave_with_the_last_problem(coarse):
    """DOLFINx's NonlinearProblem leaves its options in the database under its prefix; they
    stay while a problem with that prefix lives and go with the last one."""
    from petsc4py import PETSc

    from hemcell.surface.solver import TransportProblem

    sm, p = coarse
    prefix = "hemcell_test_release_"
    db = PETSc.Options()

    def held() -> set[str]:
        return {k for k in db.getAll() if k.startswith(prefix)}

    first = TransportProblem(sm, p, "coated", prefix=prefix, linear_solver="gamg")
    names = held()
    assert {prefix + "ksp_type", prefix + "fieldsplit_c_pc_type"} <= names
    second = TransportProblem(sm, p, "coated", prefix=prefix, linear_solver="gamg")
    del first
    gc.collect()
    assert held() == names  # the second problem reads them when its preconditioner is built
    assert second.solve() > 0
    del second
    gc.collect()
    assert held() == set()


def test_mpiexec_prefix_binds_only_when_asked():
    """Sweep points (several concurrent jobs) are never bound to cores; the benchmarks ask."""
    from hemcell.sweep.run import mpiexec_prefix

    plain = mpiexec_prefix(2)
    assert plain[1:] == ["-n", "2"]
    bound = mpiexec_prefix(2, bind_to_core=True)
    assert bound[0] == plain[0] and bound[1:] == ["-bind-to", "core", "-n", "2"]
