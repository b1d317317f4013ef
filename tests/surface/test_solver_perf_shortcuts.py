"""Shortcuts of the coupled surface solve give the values of the long way round.

- The elasticity's stress and von Mises fields are interpolated when read after a solve;
  the staggered loop evaluates the stress only in the Li cells at the surface. Both give
  the values of an interpolation over the whole mesh, bit for bit, and the fields
  follow every solve.
- P1 dof coordinates come from the geometry nodes (``dof_vertices``) instead of
  ``tabulate_dof_coordinates``: the same points to round-off, also after the mesh moved
  (moving-boundary runs).
- The P1 interface fields (native-SEI exchange current; coverage, exchange current and
  film conductance of a film with pinholes) are evaluated once per node at the dof
  coordinates instead of by ``Function.interpolate`` at every cell's vertices: the same
  values on 2D and 3D meshes, to the round-off of the random-field sums (the pinhole
  indicator bit for bit).
- A coarser lithium far field (``li_far_mesh_size``/``li_far_mesh_depth``) changes
  only the Li mesh: the transport mesh has the same nodes; the Li size is the coarser of
  the common grading and its own (a finer "far" size leaves the mesh as it was).
- Chord steps in the staggered loop (``lag_jacobian``: the kept Jacobian and factors,
  no assembly while each step reduces the residual 20-fold) reach the same coupled
  solution as a Newton step with a fresh Jacobian every time, to the SNES tolerance
  (rtol 1e-10), with one Jacobian assembly instead of one per Newton step.
- The MUMPS controls are set on the factor matrix, none is left in the options database.
  The transport's MUMPS analysis on blocks of as many unknowns as fields (ICNTL(15))
  gives the solution of the analysis without blocks, to round-off.

Coarse coated nucleus (surface mesh 0.2 µm, the mechanics case of
``tests/surface/mpi_mechanics_case.py``): about 3 s; the interface fields on coarse 2D
and 3D nuclei (~4k and ~5k nodes): about 2 s.
"""

from __future__ import annotations

import numpy as np
import pytest

from tests.surface.conftest import assert_same_coupled_solution, require_fenicsx

ROUND_OFF = 1e-15  # relative to the cell width: coordinates from two exact formulas
# relative: a random-field value is a 64-mode sum (BLAS, blocking set by the number of
# points) at points that differ by the push-forward's round-off (~1e-21 m); the worst-case
# round-off of an n-term sum, n·ε·Σ|terms|, is ~2e-14 here; 20 ε (4.4e-15) seen
FIELD_ROUND_OFF = 1e-14


@pytest.fixture(scope="module")
def loaded():
    require_fenicsx()
    from tests.surface.mpi_mechanics_case import loaded_mechanics

    mech, sm, p = loaded_mechanics("direct")
    return mech, sm, p


def _interpolated(mech, expr, space):
    from dolfinx import fem

    f = fem.Function(space)
    f.interpolate(expr)
    return f.x.array


def test_surface_stress_equals_the_whole_mesh_interpolation(loaded):
    mech, _, _ = loaded
    assert mech._stale  # solved, nothing read yet
    x_fast, snn_fast = mech.surface_normal_stress()  # surface cells only
    assert mech._stale
    full = _interpolated(mech, mech._stress_expr, mech.T1)
    np.testing.assert_array_equal(mech.stress.x.array, full)
    assert not mech._stale
    x_full, snn_full = mech.surface_normal_stress()  # from the whole-mesh field
    np.testing.assert_array_equal(x_fast, x_full)
    np.testing.assert_array_equal(snn_fast, snn_full)
    assert np.ptp(snn_full) > 0  # the growth strain makes σ_nn non-uniform


def test_stress_fields_follow_each_solve(loaded):
    mech, _, _ = loaded
    before = (mech.stress.x.array.copy(), mech.von_mises.x.array.copy())
    x_m = np.linspace(-5e-6, 5e-6, 101)
    mech.set_growth_current(x_m, 12.0 + 4.0 * np.cos(x_m / 1e-6))  # A/m², a new load
    mech.solve()
    for field, expr, space, old in ((mech.von_mises, mech._vm_expr, mech.D1, before[1]),
                                    (mech.stress, mech._stress_expr, mech.T1, before[0])):
        np.testing.assert_array_equal(field.x.array, _interpolated(mech, expr, space))
        assert np.max(np.abs(field.x.array - old)) > 1e-3 * np.max(np.abs(old))


def test_dof_vertices_are_the_dof_coordinates_after_the_mesh_moved(loaded):
    from dolfinx import fem

    from hemcell.surface.mechanics import dof_vertices
    from hemcell.surface.solver import TransportProblem
    from tests.surface.conftest import example_parameters

    _, sm, _ = loaded
    tr = TransportProblem(sm, example_parameters(), "coated")
    spaces = {-1: tr.V1, 0: tr._fields[0][0], 1: tr._fields[1][0]}
    G1 = fem.functionspace(sm.mechanics, ("DG", 1))
    tol = ROUND_OFF * sm.spec.width_m
    x0 = sm.transport.geometry.x.copy()
    try:
        for shift in (0.0, 0.1):  # then a smooth displacement of the transport mesh
            x = sm.transport.geometry.x
            x[:, 1] = x0[:, 1] + shift * 1e-6 * np.sin(x0[:, 0] / 1e-6)
            for key, V in spaces.items():
                np.testing.assert_allclose(tr._coordinates(key), V.tabulate_dof_coordinates(),
                                           rtol=0, atol=tol)
    finally:
        sm.transport.geometry.x[:] = x0
    node = dof_vertices(G1)
    np.testing.assert_allclose(sm.mechanics.geometry.x[node], G1.tabulate_dof_coordinates(),
                               rtol=0, atol=tol)
    P2 = fem.functionspace(sm.mechanics, ("Lagrange", 2))
    assert dof_vertices(P2) is None  # not on the vertices: the caller tabulates


def test_chord_steps_reach_the_newton_solution(loaded):
    from dataclasses import replace

    from hemcell.surface import solver
    from tests.surface.test_solver_perf_equivalence import GROWTH

    _, sm, p = loaded
    p = replace(p, **GROWTH)  # several staggered coupling iterations
    base = solver.TransportProblem
    results = {}
    for lag in (False, True):
        class Transport(base):  # solve_coupled with the chord steps forced on or off
            def __init__(self, *args, lag=lag, **kwargs):
                kwargs["lag_jacobian"] = lag
                super().__init__(*args, **kwargs)

        solver.TransportProblem = Transport
        try:
            results[lag] = solver.solve_coupled(sm, p, "coated")
        finally:
            solver.TransportProblem = base
    newton, chord = results[False], results[True]
    assert newton.coupling_iterations == chord.coupling_iterations > 2
    assert newton.transport.jacobian_assemblies == sum(newton.newton_iterations)
    assert chord.transport.jacobian_assemblies < newton.transport.jacobian_assemblies
    assert_same_coupled_solution(chord, newton)


def test_mumps_controls_are_set_on_the_factor_matrix(loaded):
    """The MUMPS controls (AMF ordering, analysis on blocks of two unknowns) are set on the
    factor matrix when the problem is built, not
    left in the options database until a factorisation reads it (a problem that is never
    solved left it there, and PETSc warned of an unused option at exit). A reused
    factorisation of an earlier Jacobian is wrapped in GMRES; chord steps, whose factors
    are those of the kept Jacobian itself, solve with them directly."""
    from petsc4py import PETSc

    from hemcell.surface.petsc import MUMPS_ORDERING_AMF
    from hemcell.surface.solver import (
        MUMPS_BLOCK_ANALYSIS,
        TransportProblem,
        default_snes_options,
    )

    _, sm, p = loaded
    for kwargs, ksp_type in (({}, "preonly"), ({"reuse_preconditioner": True}, "gmres"),
                             ({"reuse_preconditioner": True, "lag_jacobian": True},
                              "preonly")):
        tr = TransportProblem(sm, p, "coated", prefix="hemcell_test_controls_", **kwargs)
        ksp = tr.problem.solver.getKSP()
        assert ksp.getType() == ksp_type
        factor = ksp.getPC().getFactorMatrix()
        assert factor.getMumpsIcntl(7) == MUMPS_ORDERING_AMF
        assert factor.getMumpsIcntl(15) == -2  # analysis on (c, φ)-sized blocks
        assert not PETSc.Options().hasName("hemcell_test_controls_mat_mumps_icntl_7")
    # the block analysis only groups the elimination order: the same solution to round-off
    plain = TransportProblem(sm, p, "coated", prefix="hemcell_test_plain_",
                             petsc_options={**default_snes_options(), MUMPS_BLOCK_ANALYSIS: 0})
    blocks = TransportProblem(sm, p, "coated", prefix="hemcell_test_blocks_")
    for tr in (plain, blocks):
        tr.solve()
    np.testing.assert_allclose(blocks.u.x.array, plain.u.x.array, rtol=1e-12, atol=1e-12)


def _interface_fields_by_interpolation(tr, sm, p):
    """The interface fields the long way round: ``Function.interpolate`` of the callables."""
    from dolfinx import fem

    from hemcell.surface import coverage, kinetics

    tdim = sm.transport.topology.dim
    width = sm.spec.width_m
    i0_mean = kinetics.mean_exchange_current_density(p, tr.case)
    fields = {name: fem.Function(tr.V1) for name in ("i0", "coverage", "conductance")}
    if tr.case == "bare" and tdim == 3:
        fields["i0"].interpolate(lambda x: i0_mean * kinetics.sei_heterogeneity_factor_2d(
            x[0], x[1], p.sei_heterogeneity_amplitude, p.sei_correlation_length_m, width,
            p.sei_seed))
    elif tr.case == "bare":
        fields["i0"].interpolate(lambda x: i0_mean * kinetics.sei_heterogeneity_factor(
            x[0], p.sei_heterogeneity_amplitude, p.sei_correlation_length_m, width,
            p.sei_seed))
    else:
        for name, k in (("coverage", 0), ("i0", 1), ("conductance", 2)):
            fields[name].interpolate(lambda x, k=k: coverage.thin_layer_fields(
                x[0], p, width, x[1] if tdim == 3 else None)[k])
    return {k: f.x.array for k, f in fields.items()}


@pytest.mark.parametrize("dim", [2, 3])
def test_interface_fields_equal_the_interpolated_callables(dim):
    from hemcell.surface.geometry import build_mesh
    from hemcell.surface.geometry3d import build_mesh_3d
    from hemcell.surface.solver import TransportProblem
    from tests.surface.conftest import coarse_spec, example_parameters

    require_fenicsx()
    # a film with pinholes (θ ≈ 0.6) over a heterogeneous native SEI (s = 0.5)
    p = example_parameters(coating_closure_thickness_m=20e-9)
    if dim == 2:
        sm = build_mesh(coarse_spec("nucleus"))
    else:
        sm = build_mesh_3d(coarse_spec("nucleus", electrolyte_height_m=20e-6,
                                       surface_mesh_size_m=0.5e-6, far_mesh_size_m=2.5e-6))
    for case in ("bare", "coated_thin"):
        tr = TransportProblem(sm, p, case)
        ref = _interface_fields_by_interpolation(tr, sm, p)
        np.testing.assert_allclose(tr.i0_field.x.array, ref["i0"], rtol=FIELD_ROUND_OFF,
                                   atol=0, err_msg=case)
        assert np.ptp(ref["i0"]) > 0.5 * np.mean(ref["i0"])  # a field, not a constant
        if case == "coated_thin":
            np.testing.assert_array_equal(tr.coverage_field.x.array, ref["coverage"])
            np.testing.assert_array_equal(tr.film_conductance.x.array, ref["conductance"])
            assert np.ptp(tr.film_conductance.x.array) > 0
            assert 0 < np.mean(ref["coverage"]) < 1  # covered nodes and pinholes


def _sorted_rows(x):
    return x[np.lexsort(x.T[::-1])]


def test_li_far_field_coarsens_only_the_lithium(monkeypatch):
    from dataclasses import replace

    from hemcell.errors import InputError
    from hemcell.surface.geometry import Cell, build_mesh
    from tests.surface.conftest import coarse_spec

    require_fenicsx()
    monkeypatch.setenv("HEMCELL_MESH_CACHE", "off")  # what gmsh builds, not the cache
    spec = coarse_spec("nucleus", coating_thickness_m=28e-9, surface_mesh_size_m=0.1e-6)
    base = build_mesh(spec)
    coarse = build_mesh(replace(spec, li_far_mesh_size_m=1.5e-6, li_far_mesh_depth_m=1e-6))
    finer = build_mesh(replace(spec, li_far_mesh_size_m=0.2e-6, li_far_mesh_depth_m=1e-6))

    def cells(m):
        return m.topology.index_map(m.topology.dim).size_global

    np.testing.assert_array_equal(_sorted_rows(coarse.transport.geometry.x),
                                  _sorted_rows(base.transport.geometry.x))
    assert cells(coarse.transport) == cells(base.transport)
    def li_cells(sm):
        return int(np.sum(sm.mechanics_cells.values == Cell.LI))

    assert li_cells(coarse) < 0.6 * li_cells(base)
    assert cells(coarse.mechanics) - li_cells(coarse) == cells(base.mechanics) - li_cells(base)
    # 1.5 µm reached 1 µm deep is coarser than the common grading (2 µm at 5 µm) down to
    # ~3.5 µm; below, the common grading is the coarser and stays
    np.testing.assert_array_equal(finer.mesh.geometry.x, base.mesh.geometry.x)
    # named as --set takes them (U18: they named the dataclass fields, in metres)
    with pytest.raises(InputError, match="li_far_mesh_depth"):
        replace(spec, li_far_mesh_size_m=0.6e-6)
    with pytest.raises(InputError, match=r"li_far_mesh_depth: got '-1e\+06 um'"):
        replace(spec, li_far_mesh_size_m=0.6e-6, li_far_mesh_depth_m=-1.0)
