"""Manufactured solutions: optimal convergence of the transport and elasticity forms.

The residuals are built from the same constitutive functions the surface model uses
(:mod:`hemcell.surface.electrolyte`, :mod:`hemcell.surface.coating`,
:mod:`hemcell.surface.mechanics`), with a source term from the exact solution and
Dirichlet data on the whole boundary, on a 10 µm square (the model's length scale).
"""

from __future__ import annotations

import numpy as np
import pytest

from tests.surface.conftest import example_parameters, require_fenicsx

L_M = 10e-6


def _errors_transport(n: int, p) -> tuple[float, float, float]:
    import dolfinx_solver  # noqa: F401

    import basix.ufl
    import ufl
    from dolfinx import fem, mesh
    from dolfinx.fem.petsc import NonlinearProblem
    from mpi4py import MPI

    from hemcell.surface import electrolyte
    from hemcell.surface.solver import collapse, default_snes_options

    msh = mesh.create_rectangle(MPI.COMM_WORLD, [[0, 0], [L_M, L_M]], [n, n])
    P1 = basix.ufl.element("Lagrange", msh.basix_cell(), 1)
    W = fem.functionspace(msh, basix.ufl.mixed_element([P1, P1]))
    u = fem.Function(W)
    c_hat, phi_hat = ufl.split(u)
    q, v = ufl.TestFunctions(W)
    cb, VT = p.bulk_concentration_mol_per_m3, p.thermal_voltage_V
    c, phi = cb * c_hat, VT * phi_hat
    x = ufl.SpatialCoordinate(msh)
    X, Y = x[0] / L_M, x[1] / L_M
    c_ex = cb * (1 + 0.3 * ufl.sin(np.pi * X) * ufl.cos(np.pi * Y))
    phi_ex = VT * (ufl.cos(np.pi * X) * ufl.exp(Y) + X * Y)
    dx = ufl.dx(metadata={"quadrature_degree": 6})
    # Strong form: div i = f_phi, div N+ = f_c, with the sources of the exact solution.
    f_phi = ufl.div(electrolyte.current_density(c_ex, phi_ex, p))
    f_c = ufl.div(electrolyte.cation_flux(c_ex, phi_ex, p))
    F_phi = electrolyte.charge_balance_volume(c, phi, v, p, dx) + f_phi * v * dx
    F_c = electrolyte.cation_balance_volume(c, phi, q, p, dx) - f_c * q * dx
    F = (1 / (p.electrolyte_conductivity_S_per_m * VT)) * F_phi + (
        1 / (p.electrolyte_diffusivity_m2_per_s * cb)) * F_c
    fdim = msh.topology.dim - 1
    msh.topology.create_connectivity(fdim, fdim + 1)
    bfacets = mesh.exterior_facet_indices(msh.topology)
    bcs = []
    for i, ex, scale in ((0, c_ex, cb), (1, phi_ex, VT)):
        Vi, _ = collapse(W.sub(i))
        g = fem.Function(Vi)
        g.interpolate(fem.Expression(ex / scale, Vi.element.interpolation_points))
        dofs = fem.locate_dofs_topological((W.sub(i), Vi), fdim, bfacets)
        bcs.append(fem.dirichletbc(g, dofs, W.sub(i)))
    _, d0 = collapse(W.sub(0))
    u.x.array[d0] = 1.0
    prob = NonlinearProblem(F, u, bcs=bcs, petsc_options_prefix=f"mms_tr_{n}_",
                            petsc_options=default_snes_options())
    prob.solve()
    assert prob.solver.getConvergedReason() > 0
    comm = msh.comm

    def norm(e):
        return np.sqrt(comm.allreduce(fem.assemble_scalar(fem.form(e * dx)), op=MPI.SUM))

    ec = c - c_ex
    ep = phi - phi_ex
    # Relative RMS errors (divide by the domain size L_M and the field scales).
    l2_c = norm(ec**2) / (cb * L_M)
    h1_c = norm(ufl.inner(ufl.grad(ec), ufl.grad(ec))) / cb
    l2_p = norm(ep**2) / (VT * L_M)
    return l2_c, h1_c, l2_p


def test_transport_mms_convergence_orders():
    """P1 transport: L2 errors of c and φ fall as h², the H1 error of c as h."""
    require_fenicsx()
    p = example_parameters(thermodynamic_factor=2.2)  # exercise the diffusion-potential term
    ns = [8, 16, 32]
    errs = np.array([_errors_transport(n, p) for n in ns])
    rates = np.log2(errs[:-1] / errs[1:])
    assert np.all(rates[:, 0] > 1.9), rates
    assert np.all(rates[:, 1] > 0.95), rates
    assert np.all(rates[:, 2] > 1.9), rates
    assert errs[-1, 0] < 5e-3 and errs[-1, 2] < 5e-3, errs


def _errors_elasticity(n: int, degree: int) -> tuple[float, float]:
    import dolfinx_solver  # noqa: F401

    import ufl
    from dolfinx import fem, mesh
    from dolfinx.fem.petsc import LinearProblem
    from mpi4py import MPI

    from hemcell.surface import mechanics

    msh = mesh.create_rectangle(MPI.COMM_WORLD, [[0, 0], [L_M, L_M]], [n, n])
    V = fem.functionspace(msh, ("Lagrange", degree, (2,)))
    lam, mu = mechanics.lame_parameters(8.2e9, 0.36)
    x = ufl.SpatialCoordinate(msh)
    X, Y = x[0] / L_M, x[1] / L_M
    scale = 1e-9  # m
    u_ex = scale * ufl.as_vector([ufl.sin(np.pi * X) * Y**2, ufl.cos(np.pi * Y) * X])
    eps_g = 1e-4 * ufl.sin(2 * X + Y)  # a smooth growth eigenstrain
    sigma_ex = mechanics.stress_in_plane(u_ex, lam, mu, eps_g)
    f = -ufl.div(sigma_ex)
    u, w = ufl.TrialFunction(V), ufl.TestFunction(V)
    dx = ufl.dx(metadata={"quadrature_degree": 8})
    a = ufl.inner(mechanics.elastic_stress(u, lam, mu), mechanics.strain(w)) * dx
    Lf = ufl.inner(f, w) * dx + (3 * lam + 2 * mu) * eps_g * ufl.div(w) * dx
    fdim = msh.topology.dim - 1
    msh.topology.create_connectivity(fdim, fdim + 1)
    g = fem.Function(V)
    g.interpolate(fem.Expression(u_ex, V.element.interpolation_points))
    bc = fem.dirichletbc(g, fem.locate_dofs_topological(
        V, fdim, mesh.exterior_facet_indices(msh.topology)))
    uh = fem.Function(V)
    LinearProblem(a, Lf, u=uh, bcs=[bc], petsc_options_prefix=f"mms_el_{n}_{degree}_",
                  petsc_options={"ksp_type": "preonly", "pc_type": "lu",
                                 "pc_factor_mat_solver_type": "mumps"}).solve()
    e = uh - u_ex
    comm = msh.comm
    l2 = np.sqrt(comm.allreduce(fem.assemble_scalar(fem.form(ufl.inner(e, e) * dx)), op=MPI.SUM))
    h1 = np.sqrt(comm.allreduce(fem.assemble_scalar(fem.form(
        ufl.inner(ufl.grad(e), ufl.grad(e)) * dx)), op=MPI.SUM))
    return l2 / (scale * L_M), h1 / scale


@pytest.mark.parametrize("degree", [1, 2])
def test_elasticity_mms_convergence_orders(degree):
    """Pk elasticity with eigenstrain: L2 error ∝ h^(k+1), H1 error ∝ h^k."""
    require_fenicsx()
    ns = [8, 16, 32]
    errs = np.array([_errors_elasticity(n, degree) for n in ns])
    rates = np.log2(errs[:-1] / errs[1:])
    assert np.all(np.abs(rates[:, 0] - (degree + 1)) < 0.15), rates
    assert np.all(np.abs(rates[:, 1] - degree) < 0.15), rates
