r"""Small-strain linear elasticity of lithium and coating (plane strain).

Strong form
-----------
In the solid :math:`\Omega_s = \Omega_{Li}\cup\Omega_c`, with displacement
:math:`\mathbf u` [m]:

.. math::
    -\nabla\cdot\boldsymbol\sigma = \mathbf 0, \qquad
    \boldsymbol\sigma = \lambda\,\mathrm{tr}(\boldsymbol\varepsilon
        - \boldsymbol\varepsilon^*)\mathbf I
        + 2\mu(\boldsymbol\varepsilon - \boldsymbol\varepsilon^*), \qquad
    \boldsymbol\varepsilon = \tfrac12(\nabla\mathbf u + \nabla\mathbf u^T),

in plane strain (:math:`\varepsilon_{zz} = 0`), with Lamé constants from (E, ν) of
each region. **Stress is tension positive.** The growth eigenstrain is isotropic,
:math:`\boldsymbol\varepsilon^* = \varepsilon_g\mathbf I_3`, in the lithium near the
surface: lithium deposited over a time :math:`t_{dep}` has local thickness
:math:`\delta = \Omega\, i_n t_{dep}/F`; a fraction β of it is taken up below the
surface (e.g. at grain boundaries), distributed over a depth :math:`\ell_g`:

.. math::
    \varepsilon_g(\mathbf x) = \frac{\beta\,\delta(s)}{\ell_g}\,e^{-d/\ell_g},

with :math:`d` the distance to the surface and :math:`s` the nearest surface point, so
that :math:`\int_0^\infty \varepsilon_g\,dd = \beta\delta` (an assumed, simple
closure; the non-uniform part of :math:`i_n` makes the stress non-uniform). Then

.. math::
    \sigma_{zz} = \lambda(\mathrm{tr}\,\boldsymbol\varepsilon - 3\varepsilon_g)
        - 2\mu\varepsilon_g .

In moving-boundary runs (:mod:`hemcell.surface.transient`) the coating also carries an
in-plane membrane eigenstrain :math:`\boldsymbol\varepsilon^*_c = -e\,\mathbf t\otimes\mathbf t`
(stretch :math:`e` of the coating along the surface, tangent :math:`\mathbf t`;
:meth:`MechanicsProblem.set_coating_membrane_strain`), which adds
:math:`\int \boldsymbol\sigma(\boldsymbol\varepsilon^*_c):\boldsymbol\varepsilon(\mathbf w)\,dx`
to the right-hand side below (zero otherwise).

Boundary conditions: stack pressure :math:`p` on the solid surface wetted by the
electrolyte, :math:`\boldsymbol\sigma\mathbf n = -p\,\mathbf n`; bottom
:math:`u_y = 0`; sides :math:`u_x = 0` (symmetry of the periodic cell).

Weak form
---------
Find :math:`\mathbf u` with :math:`u_y = 0` on the bottom and :math:`u_x = 0` on the
sides such that for all admissible :math:`\mathbf w`

.. math::
    \int_{\Omega_s} \boldsymbol\sigma_e(\mathbf u) : \boldsymbol\varepsilon(\mathbf w)\,dx
    = \int_{\Omega_s} (3\lambda + 2\mu)\,\varepsilon_g\,\nabla\cdot\mathbf w\,dx
      - \int_{\Gamma_{wet}} p\,\mathbf n\cdot\mathbf w\,ds,

with the elastic part
:math:`\boldsymbol\sigma_e(\mathbf u) = \lambda\,\mathrm{tr}\,\boldsymbol\varepsilon(\mathbf u)
\mathbf I + 2\mu\boldsymbol\varepsilon(\mathbf u)`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
import ufl

from hemcell.surface import forms
from hemcell.surface.geometry import Cell, Facet, SurfaceMesh, polyline_normals
from hemcell.surface.parameters import SurfaceParameters
from hemcell.surface.petsc import (
    MUMPS_ORDERING_AMF,
    KeptSolvers,
    set_mumps_controls,
    set_prefixed_options,
)

GROWTH_WEIGHT_CUTOFF = 1e-8  # growth strain below this fraction of its surface value: 0

MECHANICS_SOLVERS: tuple[str, ...] = ("direct", "gamg")
# The default is the direct solver: in 2D the MUMPS Cholesky factorisation (once per
# problem) plus back-substitutions beats CG + GAMG at every size measured, 99 674 and
# 189 844 P2 DOFs (docs/surface.md, Performance): the GAMG set-up alone costs about as
# much as the factorisation, and each of the staggered re-solves needs ~30 CG iterations
# (~2 s) against one back-substitution (~0.05 s).
# CG stops at ||b - A u|| <= rtol ||b|| (unpreconditioned 2-norm). 1e-12 keeps the
# displacements, stresses and surface σ_nn within ~1e-9 relative of the direct solve
# (tests/surface/test_mechanics_iterative.py), below the staggered-coupling tolerance.
GAMG_RTOL = 1e-12
GAMG_MAX_ITERATIONS = 500
# AMG settings (solver settings only): drop weak couplings below 0.02 in the aggregation
# graph and smooth with SOR on every level; 34 CG iterations to 1e-12 at 99 674 P2 DOFs
# instead of 65 with the PETSc defaults (Chebyshev/Jacobi, threshold 0).
GAMG_OPTIONS: dict[str, Any] = {
    "pc_gamg_threshold": 0.02,
    "mg_levels_ksp_type": "richardson",
    "mg_levels_pc_type": "sor",
}


def lame_parameters(E_Pa: Any, nu: Any) -> tuple[Any, Any]:
    """Lamé constants (λ, μ) [Pa] from Young's modulus and Poisson's ratio."""
    mu = E_Pa / (2 * (1 + nu))
    lam = E_Pa * nu / ((1 + nu) * (1 - 2 * nu))
    return lam, mu


def strain(u: Any) -> Any:
    """Small strain ε(u) = sym ∇u [-]."""
    return ufl.sym(ufl.grad(u))


def elastic_stress(u: Any, lam: Any, mu: Any) -> Any:
    """σ_e(u) = λ tr ε(u) I + 2μ ε(u) [Pa] (no eigenstrain)."""
    eps = strain(u)
    return lam * ufl.tr(eps) * ufl.Identity(len(u)) + 2 * mu * eps


def eigenstress(eigenstrain: Any, lam: Any, mu: Any) -> Any:
    """λ tr ε* I + 2μ ε* [Pa] of an in-plane eigenstrain tensor ε* (ε*_zz = 0)."""
    return lam * ufl.tr(eigenstrain) * ufl.Identity(eigenstrain.ufl_shape[0]) + 2 * mu * eigenstrain


def stress_in_plane(u: Any, lam: Any, mu: Any, growth_strain: Any,
                    eigenstrain: Any = None) -> Any:
    """In-plane stress σ = σ_e(u) − (3λ + 2μ) ε_g I [Pa] (plane strain, ε* = ε_g I₃).

    An optional in-plane eigenstrain tensor ε*_c (the coating's membrane prestrain,
    ε*_zz = 0) subtracts λ tr ε*_c I + 2μ ε*_c.
    """
    s = elastic_stress(u, lam, mu) - (3 * lam + 2 * mu) * growth_strain * ufl.Identity(len(u))
    return s if eigenstrain is None else s - eigenstress(eigenstrain, lam, mu)


def stress_out_of_plane(u: Any, lam: Any, mu: Any, growth_strain: Any,
                        eigenstrain: Any = None) -> Any:
    """σ_zz [Pa] in plane strain with eigenstrain ε_g (and optional in-plane ε*_c)."""
    tr_star = 0 if eigenstrain is None else ufl.tr(eigenstrain)
    return lam * (ufl.tr(strain(u)) - 3 * growth_strain - tr_star) - 2 * mu * growth_strain


def von_mises(u: Any, lam: Any, mu: Any, growth_strain: Any, eigenstrain: Any = None) -> Any:
    """von Mises stress [Pa] of the 3D plane-strain stress state."""
    s = stress_in_plane(u, lam, mu, growth_strain, eigenstrain)
    szz = stress_out_of_plane(u, lam, mu, growth_strain, eigenstrain)
    sxx, syy, sxy = s[0, 0], s[1, 1], s[0, 1]
    return ufl.sqrt(0.5 * ((sxx - syy) ** 2 + (syy - szz) ** 2 + (szz - sxx) ** 2) + 3 * sxy**2)


def growth_strain_from_current(
    current_density_A_per_m2: npt.ArrayLike, p: SurfaceParameters
) -> npt.NDArray[np.float64]:
    """ε_g = β Ω i_n t_dep / (zF ℓ_g) [-] for a local deposition current i_n."""
    i = np.asarray(current_density_A_per_m2, dtype=np.float64)
    thickness_m = p.li_molar_volume_m3_per_mol * i * p.growth_time_s / p.charge_per_mole_C_per_mol
    return p.growth_strain_fraction * thickness_m / p.growth_layer_thickness_m


class MechanicsProblem:
    """Elasticity of Li (+ coating) on the mechanics sub-mesh, P2 displacements.

    Parameters
    ----------
    sm
        The meshes.
    p
        Parameters (moduli, stack pressure, growth closure).
    degree
        Lagrange degree of the displacement.
    linear_solver
        ``direct`` (MUMPS Cholesky, factorised once), ``gamg`` (CG preconditioned by
        smoothed-aggregation AMG with the rigid-body modes as near-nullspace, the AMG
        hierarchy built once, the last displacement as initial guess); see
        :data:`MECHANICS_SOLVERS` for why ``direct`` is the default.
    kept
        Linear solvers kept across problems on these meshes (a
        :class:`~hemcell.surface.petsc.KeptSolvers`, e.g. of a
        :class:`~hemcell.surface.solver.CoupledSolver`). The problem takes the operator
        Mat and KSP an earlier problem left there: if its operator (moduli, Poisson
        ratios, coordinates) is the same, the Cholesky factors (or AMG hierarchy) are
        reused as they are; otherwise it is assembled into the kept Mat, whose nonzero
        pattern is the same, so only the numeric factorisation is repeated (no MUMPS
        analysis). The earlier problem can then no longer :meth:`solve`; its displacement
        and stresses stay as they were.
    """

    def __init__(self, sm: SurfaceMesh, p: SurfaceParameters, degree: int = 2,
                 linear_solver: str = "direct", kept: KeptSolvers | None = None) -> None:
        import dolfinx_solver  # noqa: F401

        import dolfinx.fem.petsc as fem_petsc
        from dolfinx import fem

        self.sm, self.p = sm, p
        msh = sm.mechanics
        tdim = msh.topology.dim
        # the spaces and located dofs, built once per mesh (hemcell.surface.forms.per_mesh)
        def space(element: tuple[Any, ...]) -> Any:
            return forms.per_mesh(sm, ("mechanics", element),
                                  lambda: fem.functionspace(msh, element))

        self.V = space(("Lagrange", degree, (tdim,)))
        self.Q0 = space(("DG", 0))
        cells = sm.mechanics_cells
        E = fem.Function(self.Q0, name="youngs_modulus_Pa")
        nu = fem.Function(self.Q0, name="poisson_ratio")
        E.x.array[:] = p.li_youngs_modulus_Pa
        nu.x.array[:] = p.li_poisson_ratio
        if sm.has_coating:  # a resolved coating band: its own elasticity
            coat = cells.indices[cells.values == Cell.COATING]
            E.x.array[coat] = p.coating_youngs_modulus_Pa
            nu.x.array[coat] = p.coating_poisson_ratio
        self.lam, self.mu = lame_parameters(E, nu)
        # Growth strain: discontinuous P1 (zero in the coating, exact at the vertices of
        # Li cells), decaying with the depth d below the surface as exp(-d/l_g); each
        # degree of freedom takes the current of its nearest surface point.
        self.G1 = space(("DG", 1))
        self.growth_strain = fem.Function(self.G1, name="growth_strain")

        def li_growth_dofs() -> tuple[npt.NDArray[np.int32], npt.NDArray[np.int64]]:
            li_cells = cells.indices[cells.values == Cell.LI]
            dofs = np.unique(self.G1.dofmap.list[li_cells].ravel())
            vertex = dof_vertices(self.G1)  # the DG1 dofs sit on the vertices of a P1 mesh
            assert vertex is not None
            return dofs, vertex[dofs]

        self._li_growth_dofs, self._li_growth_nodes = forms.per_mesh(
            sm, "mechanics Li growth dofs", li_growth_dofs)
        self._set_growth_support(sm.spec.surface_points(4001))
        # In-plane eigenstrain of the coating (DG0 tensor; zero unless a moving-boundary
        # run stretches the coating, see set_coating_membrane_strain).
        self.E0 = space(("DG", 0, (tdim, tdim)))
        self.coating_eigenstrain = fem.Function(self.E0, name="coating_eigenstrain")
        self._coating_cells = cells.indices[cells.values == Cell.COATING]
        self._curve: npt.NDArray[np.float64] | None = None
        self._patch: tuple[Any, ...] | None = None

        facets = sm.mechanics_facets
        wet = Facet.COATING_SURFACE if sm.has_coating else Facet.LI_SURFACE
        ds = ufl.Measure("ds", domain=msh, subdomain_data=facets)
        dx = ufl.Measure("dx", domain=msh)
        n = ufl.FacetNormal(msh)
        self.pressure = fem.Constant(msh, float(p.stack_pressure_Pa))
        u, w = ufl.TrialFunction(self.V), ufl.TestFunction(self.V)
        a = ufl.inner(elastic_stress(u, self.lam, self.mu), strain(w)) * dx
        L = (3 * self.lam + 2 * self.mu) * self.growth_strain * ufl.div(w) * dx - ufl.inner(
            self.pressure * n, w) * ds(wet) + ufl.inner(
            eigenstress(self.coating_eigenstrain, self.lam, self.mu), strain(w)) * dx

        fdim = tdim - 1
        bottom = facets.indices[facets.values == Facet.BOTTOM]
        sides = facets.indices[np.isin(facets.values, (Facet.SIDE_LI, Facet.SIDE_COATING))]
        bottom_dofs = forms.per_mesh(sm, ("mechanics bottom dofs", degree), lambda: (
            fem.locate_dofs_topological(self.V.sub(1), fdim, bottom)))
        side_dofs = forms.per_mesh(sm, ("mechanics side dofs", degree), lambda: (
            fem.locate_dofs_topological(self.V.sub(0), fdim, sides)))
        bcs = [
            fem.dirichletbc(np.float64(0.0), bottom_dofs, self.V.sub(1)),  # u_y = 0
            fem.dirichletbc(np.float64(0.0), side_dofs, self.V.sub(0)),  # u_x = 0
        ]
        self.u = fem.Function(self.V, name="displacement_m")
        # The operator does not change between staggered iterations: assemble it and
        # build its factors (or AMG hierarchy) once, re-assemble only the right-hand side.
        from petsc4py import PETSc

        from hemcell.errors import InputError

        if linear_solver not in MECHANICS_SOLVERS:
            raise InputError("linear_solver", linear_solver, ", ".join(MECHANICS_SOLVERS))
        self.linear_solver = linear_solver
        self._a = forms.form(a)  # compiled once per process (hemcell.surface.forms)
        self._L = forms.form(L)
        self._bcs = bcs
        # GAMG: Dirichlet rows get a diagonal of the size of the stiffness (E) instead of
        # 1, so that they do not distort the AMG strength of connection; all the
        # prescribed displacements are zero, so the right-hand side is unchanged.
        self._bc_diag = float(p.li_youngs_modulus_Pa) if linear_solver == "gamg" else 1.0
        self._b = fem_petsc.create_vector(self.V)
        self._kept, self._kept_key = kept, ("elasticity", id(self.V), linear_solver)
        self._E, self._nu = E, nu
        self.back_substitutions = 0  # linear solves done (the others reused, see solve)
        self.reused_solutions = 0
        taken = None if kept is None else kept.take(self._kept_key, self)
        if taken is not None:  # an earlier problem's Mat (same pattern) and KSP
            self._A, self._ksp, assembled = taken
            if not _same_operator(assembled, self._operator_state()):
                self._assemble_operator()
        else:
            self._A = fem_petsc.assemble_matrix(self._a, bcs=bcs, diag=self._bc_diag)
            self._A.assemble()
            # symmetric (the Dirichlet rows and columns are zeroed alike): Cholesky / CG
            self._A.setOption(PETSc.Mat.Option.SYMMETRIC, True)
            self._A.setOption(PETSc.Mat.Option.SYMMETRY_ETERNAL, True)
            self._ksp = PETSc.KSP().create(msh.comm)
            self._ksp.setOperators(self._A)
            pc = self._ksp.getPC()
            if linear_solver == "gamg":
                self._A.setNearNullSpace(rigid_body_modes(self.V))
                self._ksp.setType("cg")
                self._ksp.setNormType(PETSc.KSP.NormType.UNPRECONDITIONED)
                self._ksp.setTolerances(rtol=GAMG_RTOL, atol=0.0, max_it=GAMG_MAX_ITERATIONS)
                self._ksp.setInitialGuessNonzero(True)
                pc.setType("gamg")
                # every mechanics solver uses the same values, so one prefix serves all
                set_prefixed_options(self._ksp, "hemcell_mechanics_", GAMG_OPTIONS)
            else:
                self._ksp.setType("preonly")
                pc.setType("cholesky")
                pc.setFactorSolverType("mumps")
                # AMF fill-reducing ordering: half the factorisation time of the default
                # (METIS) on the 2D P2 meshes (solver setting, no effect beyond round-off)
                set_mumps_controls(self._ksp, {"mat_mumps_icntl_7": MUMPS_ORDERING_AMF})
            self._ksp.setErrorIfNotConverged(True)
            if kept is not None:
                kept.keep(self._kept_key, self, self._A, self._ksp, self._operator_state())
        # Stress fields for output and sampling (DG1 is exact for P2 displacements),
        # interpolated when read after a solve (:attr:`stress`, :attr:`von_mises`); the
        # staggered loop reads only the surface cells' stress (:meth:`_surface_stress`).
        self.T1 = space(("DG", degree - 1, (tdim, tdim)))
        self.D1 = space(("DG", degree - 1))
        self._stress = fem.Function(self.T1, name="stress_Pa")
        self._von_mises = fem.Function(self.D1, name="von_mises_Pa")
        self._stale = False  # the stress fields lag the displacement
        self._stress_expr = forms.expression(
            stress_in_plane(self.u, self.lam, self.mu, self.growth_strain,
                            self.coating_eigenstrain),
            self.T1.element.interpolation_points)
        self._vm_expr = forms.expression(
            von_mises(self.u, self.lam, self.mu, self.growth_strain, self.coating_eigenstrain),
            self.D1.element.interpolation_points)
        self._surface = _surface_vertex_cells(sm)

    @property
    def stress(self) -> Any:
        """In-plane stress σ [Pa] (DG, tension positive) of the last solve."""
        self._update_stress_fields()
        return self._stress

    @property
    def von_mises(self) -> Any:
        """von Mises stress [Pa] (DG) of the last solve."""
        self._update_stress_fields()
        return self._von_mises

    def _update_stress_fields(self) -> None:
        if self._stale:
            self._stress.interpolate(self._stress_expr)
            self._von_mises.interpolate(self._vm_expr)
            self._stale = False

    def _surface_stress(self, cells: npt.NDArray[np.int32]) -> Any:
        """The stress function, up to date at least in ``cells`` (the others may lag).

        Evaluates the stress expression at the DG interpolation points of ``cells`` only:
        the same values as the interpolation over the whole mesh, for a few hundred
        surface cells instead of all of them.
        """
        if self._stale and len(cells):
            cells = np.unique(cells)
            values = self._stress_expr.eval(self.sm.mechanics, cells)
            bs = self.T1.dofmap.index_map_bs
            self._stress.x.array.reshape(-1, bs)[self.T1.dofmap.list[cells].ravel()] = (
                values.reshape(-1, bs))
        return self._stress

    def set_growth_current(self, x_m: npt.NDArray[np.float64],
                           current_A_per_m2: npt.NDArray[np.float64]) -> None:
        """Set ε_g(x, d) = ε_g(i_n(x)) exp(−d/ℓ_g) from surface current samples (sorted x)."""
        i = np.interp(self._growth_x, x_m, current_A_per_m2)
        self.growth_strain.x.array[:] = 0.0
        self.growth_strain.x.array[self._growth_dofs] = (
            growth_strain_from_current(i, self.p) * self._growth_weight)
        self.growth_strain.x.scatter_forward()

    def update_geometry(self, curve_m: npt.NDArray[np.float64]) -> None:
        """Follow a moved mesh whose Li surface is the polyline ``curve_m`` (n, 2) [m].

        Re-assembles (and so re-factorises) the operator on the current coordinates,
        re-locates the surface vertices, takes the surface normals from the polyline and
        measures the depth of the growth strain below the polyline (moving-boundary runs,
        :mod:`hemcell.surface.transient`).
        """
        from hemcell.surface.geometry import curve_points

        self._check_holds_solver()
        self._curve = np.asarray(curve_m, dtype=np.float64)
        if self._patch is None:  # the topology does not change when the mesh moves
            self._patch = _surface_vertex_patches(self.sm)
        self._assemble_operator()
        self._surface = _surface_vertex_cells(self.sm)
        fine, _ = curve_points(self._curve, 4001)
        self._set_growth_support(fine)

    def _operator_state(self) -> tuple[Any, ...]:
        """What the assembled operator depends on beyond the meshes' topology: the moduli
        and Poisson ratios of the cells, the coordinates and the Dirichlet diagonal."""
        return (self._E.x.array.copy(), self._nu.x.array.copy(),
                self.sm.mechanics.geometry.x.copy(), self._bc_diag)

    def _assemble_operator(self) -> None:
        """Assemble the operator into its Mat (same nonzero pattern: the KSP repeats only
        the numeric factorisation, or rebuilds the AMG hierarchy, at the next solve)."""
        import dolfinx.fem.petsc as fem_petsc

        self._A.zeroEntries()
        fem_petsc.assemble_matrix(self._A, self._a, bcs=self._bcs, diag=self._bc_diag)
        self._A.assemble()
        if self.linear_solver == "gamg":  # the rotation mode follows the (moved) nodes
            self._A.setNearNullSpace(rigid_body_modes(self.V))
        self._ksp.setOperators(self._A)
        if self._kept is not None:
            self._kept.set_state(self._kept_key, self._operator_state())

    def _check_holds_solver(self) -> None:
        """Raise if the kept linear solver has been handed to a later problem."""
        from hemcell.errors import SimulationError

        if self._kept is not None and not self._kept.holds(self._kept_key, self):
            raise SimulationError(
                "this elasticity problem's linear solver was handed to a later problem on "
                "the same meshes (kept solvers); its results stay valid, but it cannot "
                "solve again", step="mechanics")

    def _set_growth_support(self, curve_m: npt.NDArray[np.float64]) -> None:
        """Li growth-strain dofs with exp(−d/ℓ_g) > 1e-8, their surface point and weight.

        d is the distance of a dof (its vertex, at the current coordinates) to the
        nearest point of ``curve_m``. The DG1 dofs repeat a vertex in every cell around
        it: the search runs once per vertex, half the time of the tree query on the 2D
        meshes.
        """
        from scipy.spatial import cKDTree

        vertices, back = np.unique(self._li_growth_nodes, return_inverse=True)
        depth, j = cKDTree(curve_m).query(self.sm.mechanics.geometry.x[vertices, :2])
        depth, j = depth[back], j[back]
        weight = np.exp(-depth / self.p.growth_layer_thickness_m)
        keep = weight > GROWTH_WEIGHT_CUTOFF
        self._growth_dofs = self._li_growth_dofs[keep]
        self._growth_x = curve_m[j[keep], 0]
        self._growth_weight = weight[keep]

    def set_coating_membrane_strain(self, curve_m: npt.NDArray[np.float64],
                                    strain_per_segment: npt.NDArray[np.float64]) -> None:
        r"""Prestretch the coating by its membrane strain e along the surface [-].

        The coating was stress-free at its reference length; a segment stretched by
        :math:`e = \ell/\ell_0 - 1` is given the in-plane eigenstrain
        :math:`\boldsymbol\varepsilon^*_c = -e\,\mathbf t\otimes\mathbf t`
        (t the unit tangent of the nearest segment of ``curve_m``), so that a flat film on
        a laterally constrained substrate carries :math:`\sigma_{tt} = E e/(1-\nu^2)`
        (plane strain, free top).
        """
        from dolfinx.mesh import compute_midpoints
        from scipy.spatial import cKDTree

        arr = self.coating_eigenstrain.x.array
        arr[:] = 0.0
        cells = self._coating_cells
        if len(cells):
            c = np.asarray(curve_m, dtype=np.float64)
            seg = np.diff(c, axis=0)
            t = seg / np.hypot(seg[:, 0], seg[:, 1])[:, None]
            mid = compute_midpoints(self.sm.mechanics, self.sm.mechanics.topology.dim, cells)
            _, j = cKDTree(0.5 * (c[1:] + c[:-1])).query(mid[:, :2])
            e = np.asarray(strain_per_segment, dtype=np.float64)[j]
            tens = -e[:, None, None] * np.einsum("ki,kj->kij", t[j], t[j])
            bs = self.E0.dofmap.index_map_bs
            dofs = self.E0.dofmap.list[cells, 0]
            arr.reshape(-1, bs)[dofs] = tens.reshape(len(cells), -1)
        self.coating_eigenstrain.x.scatter_forward()

    def solve(self) -> None:
        """Solve the elasticity problem (stress and von Mises follow when read)."""
        import dolfinx.fem.petsc as fem_petsc
        from petsc4py import PETSc

        from hemcell.errors import SimulationError

        self._check_holds_solver()
        b = self._b
        with b.localForm() as loc:
            loc.set(0.0)
        fem_petsc.assemble_vector(b, self._L)
        fem_petsc.apply_lifting(b, [self._a], bcs=[self._bcs])
        b.ghostUpdate(addv=PETSc.InsertMode.ADD, mode=PETSc.ScatterMode.REVERSE)
        fem_petsc.set_bc(b, self._bcs)
        x = self.u.x.petsc_vec
        # A problem's first solve (stack pressure, no growth strain yet) repeats the first
        # solve of the problem before it on these meshes when the pressure and the kept
        # factors are the same: its kept solution is the one the factors would give.
        first = (self._kept is not None and self.linear_solver == "direct"
                 and self.back_substitutions + self.reused_solutions == 0)
        known = self._kept.solution_for(self._kept_key, b) if first else None
        try:
            if known is not None:
                known.copy(x)
                self.reused_solutions += 1
            elif self.linear_solver == "gamg" and b.norm() == 0.0:
                x.set(0.0)  # no load: CG cannot reach rtol·‖b‖ = 0
            else:
                self._ksp.solve(b, x)
                self.back_substitutions += 1
                if first:
                    self._kept.remember_solution(self._kept_key, b, x)
        except Exception as exc:  # PETSc raises on a failed factorisation
            raise SimulationError(f"mechanics solve failed: {exc}", step="mechanics") from exc
        self.u.x.scatter_forward()
        self._stale = True

    def surface_normal_stress(self) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        """σ_nn [Pa] in the lithium at the Li surface nodes, gathered on all ranks.

        After :meth:`update_geometry` (moved mesh) the vertex-patch average with the
        polyline normals (:meth:`_patch_normal_stress`); otherwise the value in the Li
        cells of the two surface facets at the vertex with the exact profile normals.

        Returns
        -------
        x, sigma_nn
            Sorted lateral positions [m] and the normal stress (tension positive).
        """
        if self._curve is not None:
            return self._patch_normal_stress()
        pts, cells = self._surface
        vals = np.zeros((0, 4))
        if len(cells):
            vals = self._surface_stress(cells).eval(pts, cells)
        _, _, nx, ny = self.sm.spec.profile(pts[:, 0])
        snn = nx * nx * vals[:, 0] + 2 * nx * ny * vals[:, 1] + ny * ny * vals[:, 3] \
            if len(cells) else np.zeros(0)
        return _gather_sorted(self.sm.mechanics.comm, pts[:, 0], snn)

    def _patch_normal_stress(self) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        """σ_nn at the surface vertices of a moved mesh, averaged over the vertex patch.

        n·σn (n the polyline normal at the vertex) is evaluated at the vertex in every
        Li cell that touches it and averaged; the sums are accumulated on a P1 vector
        and reduced over the ranks (partition-independent). On a curved polygonal
        surface this converges markedly faster than the one- or two-cell value (the
        Laplace pressure of a stretched coating on a sinusoid: 1.22, 1.09, 1.06 × −Tκ at
        surface mesh sizes 0.2, 0.1, 0.05 µm, against 0.52, 0.67, 0.75).
        """
        from dolfinx.la import InsertMode
        from scipy.spatial import cKDTree

        assert self._curve is not None and self._patch is not None
        total, count, cells, dofs, surface_dofs = self._patch
        total.x.array[:] = 0.0
        count.x.array[:] = 0.0
        if len(cells):
            xy = total.function_space.tabulate_dof_coordinates()
            pts = xy[dofs]
            vals = self._surface_stress(cells).eval(pts, cells)
            normals = polyline_normals(self._curve)
            _, j = cKDTree(self._curve).query(pts[:, :2])
            nx, ny = normals[j, 0], normals[j, 1]
            snn = nx * nx * vals[:, 0] + 2 * nx * ny * vals[:, 1] + ny * ny * vals[:, 3]
            np.add.at(total.x.array, dofs, snn)
            np.add.at(count.x.array, dofs, 1.0)
        for f in (total, count):
            f.x.scatter_reverse(InsertMode.add)
        xs = total.function_space.tabulate_dof_coordinates()[surface_dofs, 0]
        mean = total.x.array[surface_dofs] / np.maximum(count.x.array[surface_dofs], 1.0)
        return _gather_sorted(self.sm.mechanics.comm, xs, mean)

    def max_von_mises(self, region: Cell) -> float:
        """Maximum von Mises stress [Pa] over a region (``Cell.LI`` or ``Cell.COATING``)."""
        from mpi4py import MPI

        cells = self.sm.mechanics_cells
        region_cells = cells.indices[cells.values == region]
        local = 0.0
        if len(region_cells):
            dofs = self.D1.dofmap.list[region_cells].ravel()
            local = float(np.max(self.von_mises.x.array[dofs]))
        return float(self.sm.mechanics.comm.allreduce(local, op=MPI.MAX))


def _same_operator(a: tuple[Any, ...] | None, b: tuple[Any, ...]) -> bool:
    """Whether two :meth:`MechanicsProblem._operator_state` records are equal (None: an
    operator of unknown values)."""
    return a is not None and all(
        np.array_equal(x, y) if isinstance(x, np.ndarray) else x == y
        for x, y in zip(a, b, strict=True))


def dof_vertices(V: Any) -> npt.NDArray[np.int64] | None:
    """Geometry node of each local dof of a scalar (C or DG) P1 space; None if not P1 on a P1 mesh.

    On a P1 (affine) mesh the P1 dofs sit on the vertices and both dofmaps number a
    cell's nodes in the reference vertex order, so dof ``V.dofmap.list[c, k]`` is at
    geometry node ``geometry.dofmaps[0][c, k]``: ``geometry.x[node]`` are the dof
    coordinates (those of ``tabulate_dof_coordinates`` to round-off, without the
    push-forward of every cell) and follow a moved mesh.
    """
    geometry = V.mesh.geometry
    if geometry.cmaps[0].degree != 1 or V.element.basix_element.degree != 1:
        return None
    imap = V.dofmap.index_map
    node = np.zeros(imap.size_local + imap.num_ghosts, dtype=np.int64)
    node[V.dofmap.list] = geometry.dofmaps[0]
    return node


def rigid_body_modes(V: Any) -> Any:
    r"""PETSc near-nullspace of 2D elasticity on the vector space ``V``: the rigid motions.

    The two translations :math:`(1, 0)`, :math:`(0, 1)` and the in-plane rotation
    :math:`(-(y - y_0), x - x_0)` about the centroid of the dofs (centred so that the
    three vectors are well conditioned in metres), orthonormalised. Smoothed-aggregation
    AMG interpolates these exactly on every level, which is what makes it converge in a
    mesh-independent number of iterations for elasticity (Vaněk, Mandel & Brezina,
    Computing 56 (1996) 179).
    """
    from dolfinx import la
    from mpi4py import MPI
    from petsc4py import PETSc

    imap, bs = V.dofmap.index_map, V.dofmap.index_map_bs
    basis = [la.vector(imap, bs=bs, dtype=PETSc.ScalarType) for _ in range(3)]
    x = V.tabulate_dof_coordinates()
    n_owned = imap.size_local
    comm = V.mesh.comm
    centre = np.array([comm.allreduce(float(np.sum(x[:n_owned, k])), op=MPI.SUM)
                       for k in range(2)]) / max(imap.size_global, 1)
    for k in range(2):
        basis[k].array.reshape(-1, bs)[:, k] = 1.0
    rot = basis[2].array.reshape(-1, bs)
    rot[:, 0] = -(x[:, 1] - centre[1])
    rot[:, 1] = x[:, 0] - centre[0]
    la.orthonormalize(basis)
    vecs = [PETSc.Vec().createWithArray(b.array[: bs * n_owned].copy(), bsize=bs,
                                       comm=comm)
            for b in basis]
    return PETSc.NullSpace().create(vectors=vecs, comm=comm)


def _surface_vertex_cells(sm: SurfaceMesh) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.int32]]:
    """Coordinates of the Li-surface vertices and, for each, an adjacent Li cell (owned facets).

    The nodes of each owned Li-surface facet that touches a Li cell, in facet order, each
    with the first Li cell of its facet (one array operation per step, no loop over the
    facets).
    """
    import dolfinx.mesh

    msh = sm.mechanics
    tdim = msh.topology.dim
    ft, ct = sm.mechanics_facets, sm.mechanics_cells
    msh.topology.create_connectivity(tdim - 1, tdim)
    msh.topology.create_connectivity(tdim - 1, 0)
    f2c = msh.topology.connectivity(tdim - 1, tdim)
    n_owned = msh.topology.index_map(tdim - 1).size_local
    facets = ft.indices[(ft.values == Facet.LI_SURFACE) & (ft.indices < n_owned)]
    is_li = np.zeros(msh.topology.index_map(tdim).size_local
                     + msh.topology.index_map(tdim).num_ghosts, dtype=bool)
    is_li[ct.indices[ct.values == Cell.LI]] = True
    # a facet has one or two cells: its first Li cell, or -1
    start, n_cells = f2c.offsets[facets], np.diff(f2c.offsets)[facets]
    first, second = f2c.array[start], f2c.array[start + (n_cells > 1)]
    li = np.where(is_li[first], first, np.where((n_cells > 1) & is_li[second], second, -1))
    keep = li >= 0
    if not np.any(keep):
        return np.zeros((0, 3)), np.zeros(0, dtype=np.int32)
    facets, li = facets[keep], li[keep]
    nodes = dolfinx.mesh.entities_to_geometry(msh, tdim - 1, facets.astype(np.int32))
    pts = msh.geometry.x[nodes.ravel()].astype(np.float64)
    return pts, np.repeat(li, nodes.shape[1]).astype(np.int32)


def _surface_vertex_patches(sm: SurfaceMesh) -> tuple[Any, ...]:
    """P1 accumulators and the (owned Li cell, surface vertex dof) pairs of the patches.

    Returns ``(total, count, cells, dofs, surface_dofs)``: two P1 functions on the
    mechanics mesh, the owned Li cells and the local dof of each surface vertex they
    touch (one row per pair), and the owned dofs on the Li surface.
    """
    from dolfinx import fem

    msh = sm.mechanics
    tdim = msh.topology.dim
    V = fem.functionspace(msh, ("Lagrange", 1))
    ft, ct = sm.mechanics_facets, sm.mechanics_cells
    surf = fem.locate_dofs_topological(V, tdim - 1, ft.indices[ft.values == Facet.LI_SURFACE])
    n_cells = msh.topology.index_map(tdim).size_local
    li = ct.indices[(ct.values == Cell.LI) & (ct.indices < n_cells)]
    n_dofs = V.dofmap.index_map.size_local + V.dofmap.index_map.num_ghosts
    on_surface = np.zeros(n_dofs, dtype=bool)
    on_surface[surf] = True
    cell_dofs = V.dofmap.list[li]
    rows, cols = np.nonzero(on_surface[cell_dofs])
    owned = surf[surf < V.dofmap.index_map.size_local]
    return (fem.Function(V), fem.Function(V), li[rows].astype(np.int32),
            cell_dofs[rows, cols].astype(np.int32), owned)


def _gather_sorted(comm: Any, x: npt.NDArray[np.float64],
                   *values: npt.NDArray[np.float64]) -> tuple[npt.NDArray[np.float64], ...]:
    """Gather (x, value, ...) samples on all ranks, sort by x and average duplicates.

    Any number of value arrays at the same points go in one allgather (each array of
    ``values`` gives one of the returned ones, after the sorted x).
    """
    local = np.empty((1 + len(values), len(x)), dtype=np.float64)
    local[0] = x
    for k, v in enumerate(values, start=1):
        local[k] = v
    every = np.concatenate(comm.allgather(local), axis=1)
    xs = every[0]
    key = np.round(xs / max(np.max(np.abs(xs)), 1e-30) * 1e12).astype(np.int64) \
        if xs.size else np.zeros(0, dtype=np.int64)
    _, inv = np.unique(key, return_inverse=True)
    count = np.bincount(inv)
    xu = np.bincount(inv, weights=xs) / count
    order = np.argsort(xu)
    return (xu[order], *((np.bincount(inv, weights=vs) / count)[order] for vs in every[1:]))
