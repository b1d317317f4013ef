r"""Assembling and solving the coupled surface problem.

Transport (c, φ, and ψ for the thin-layer coating) is one nonlinear system on the
transport sub-mesh, solved by PETSc SNES (Newton with backtracking line search;
MUMPS LU for the linearised systems, or GMRES with a fieldsplit/GAMG preconditioner,
:func:`iterative_snes_options`, for large and 3D meshes). Mechanics is linear (see
:mod:`hemcell.surface.mechanics`). The two are coupled by a staggered
(fixed-point) loop, which converges in a few iterations because the stress shift
:math:`\sigma_{nn}\Omega/F` is small against the overpotential:

1. mechanics with stack pressure (and the growth strain of the previous current);
2. transport with the interfacial stress in the kinetics;
3. growth strain from the new surface current; repeat until the surface current
   changes by less than ``coupling_tolerance`` (relative).

Scaling: unknowns are :math:`\hat c = c/c_b` and :math:`\hat\phi = \phi F/(RT)`;
the charge balance is divided by :math:`\kappa RT/F` and the cation balance by
:math:`D c_b`, so all rows are O(1) for SNES's tolerances.
"""

from __future__ import annotations

import contextlib
import math
import time
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import ufl

from hemcell.errors import InputError, SimulationError
from hemcell.laws import (
    butler_volmer_current_density,
    film_area_resistance_ohm_m2,
)
from hemcell.surface import analytic, coating, coverage, electrolyte, forms, kinetics
from hemcell.surface.geometry import Cell, Facet, SurfaceMesh
from hemcell.surface.mechanics import MechanicsProblem, _gather_sorted, dof_vertices
from hemcell.surface.parameters import Case, SurfaceParameters
from hemcell.surface.petsc import (
    MUMPS_NO_SCALING,
    MUMPS_ORDERING_AMF,
    MUMPS_ORDERING_METIS,
    KeptSolvers,
    hold_options,
    keep_freed_memory,
    set_mumps_controls,
    split_mumps_controls,
)
from hemcell.surface.thin_film import check_thin_film

SNES_REASONS = {
    -1: "DIVERGED_FUNCTION_DOMAIN", -2: "DIVERGED_FUNCTION_COUNT",
    -3: "DIVERGED_LINEAR_SOLVE", -4: "DIVERGED_FNORM_NAN", -5: "DIVERGED_MAX_IT",
    -6: "DIVERGED_LINE_SEARCH", -7: "DIVERGED_INNER", -8: "DIVERGED_LOCAL_MIN",
    -9: "DIVERGED_DTOL", -10: "DIVERGED_JACOBIAN_DOMAIN", -11: "DIVERGED_TR_DELTA",
}


def default_snes_options() -> dict[str, Any]:
    """SNES options: Newton + backtracking, MUMPS LU, tight tolerances.

    MUMPS orders with approximate minimum fill (AMF), which factorises the 2D transport
    Jacobians in about 0.7× the time of its default (METIS) ordering.
    """
    return {
        "snes_type": "newtonls",
        "snes_linesearch_type": "bt",
        "snes_rtol": 1e-10,
        "snes_atol": 1e-12,
        "snes_stol": 1e-14,
        "snes_max_it": 60,
        "ksp_type": "preonly",
        "pc_type": "lu",
        "pc_factor_mat_solver_type": "mumps",
        "mat_mumps_icntl_7": MUMPS_ORDERING_AMF,
    }


def repeated_solve_options() -> dict[str, Any]:
    """SNES options of the transport in repeated solves on one mesh (:class:`CoupledSolver`):
    :func:`default_snes_options` with the MUMPS factorisation ordered by METIS (nested
    dissection) and without scaling.

    A repeated solve repeats only the numeric factorisation and the triangular solves
    (the analysis, which computes the ordering, is kept from the first solve), so what
    counts is the factors, not the cost of the ordering (148 026 transport DOFs, the
    Jacobian factorised on its own, MUMPS's timers, load 5–6 from other jobs):

    - METIS leaves 8 % fewer entries in the factors than AMF and 22 % fewer flops
      (22.9M against 24.9M entries, 3.6 against 4.6 GFlop); its analysis costs
      ~0.1–0.3 s more on one rank. On one rank its numeric factorisation and triangular
      solves take the time of PORD's (3.5 GFlop; 169–175 / 168 ms, 39 / 37.5 ms); on
      two ranks its triangular solves are faster than PORD's (56–61 against 76–100 ms,
      the backward step 28 against 40–48 ms): its tree splits at a top separator, one
      half per rank;
    - the scaling (MUMPS's default for a distributed matrix, iterative row and column
      equilibration) is computed again at every numeric factorisation and costs more on
      two ranks than on one (18 ms on 1 rank, 40–48 ms on 2). The Jacobian is already
      nondimensional (c/c_b, φ/(RT/F)); without the scaling MUMPS takes the same pivots
      (none delayed, none off the diagonal, with and without it) and the Newton
      iterations are the same; every iterate is still checked by the SNES tolerances.

    Kept solves at 245 506 DOFs: the same Newton steps; surface current within 1.5e-13,
    σ_nn 1.5e-12 and every metric 3e-12 of the AMF/scaled solve (relative), i.e. the
    round-off of a different pivot order. A single solve (:func:`solve_coupled`) keeps
    AMF with scaling (its analysis runs once per solve, and AMF's is the cheapest).
    """
    return {**default_snes_options(), "mat_mumps_icntl_7": MUMPS_ORDERING_METIS,
            "mat_mumps_icntl_8": MUMPS_NO_SCALING}


LINEAR_SOLVERS: tuple[str, ...] = ("lu", "gamg")

# Krylov solve around reused LU factors of an earlier Jacobian: a few GMRES iterations
# close the gap to the current Jacobian (same linear tolerance as the iterative solver).
REUSED_FACTORISATION_KSP_OPTIONS: dict[str, Any] = {
    "ksp_type": "gmres",
    "ksp_gmres_restart": 100,
    "ksp_rtol": 1e-10,
    "ksp_atol": 1e-14,
    "ksp_max_it": 100,
}
FIELD_NAMES: tuple[str, ...] = ("c", "phi", "psi")
# MUMPS ICNTL(15) = -k: the analysis (AMF ordering, symbolic factorisation) works on the
# graph compressed into blocks of k consecutive unknowns. With k = the number of fields
# the transport graph shrinks k-fold (consecutive dofs belong to one cell, so each block
# is a clique of neighbours) and its analysis takes about half the time, with the same
# fill within 1 %; the factors are exact either way (the blocks only group the
# elimination order). PETSc sets it by itself from the block size of a blocked matrix
# (the elasticity); the mixed transport space has none.
MUMPS_BLOCK_ANALYSIS = "mat_mumps_icntl_15"
# Chord steps (the kept Jacobian and its factors, no assembly) go on while each reduces
# the residual norm by at least this factor. A chord step costs ~1/4 of a Newton step
# (a residual and a back-substitution instead of a Jacobian assembly, a residual and
# 2-3 GMRES iterations); below 0.05 per step it reaches the SNES tolerances in fewer
# than 8 steps, about the cost of 2 Newton steps.
CHORD_CONTRACTION = 0.05


def iterative_snes_options(n_fields: int = 2) -> dict[str, Any]:
    """SNES options with a scalable Krylov solver for the Newton systems.

    GMRES (restart 200) preconditioned by a multiplicative field split (block
    Gauss–Seidel: c, then φ[, then ψ]); the c and φ blocks (scalar
    diffusion/conduction operators plus the Butler–Volmer Robin terms) get one V-cycle
    of smoothed-aggregation AMG (PETSc GAMG; no hypre here), the ψ block (a surface mass
    matrix with identity rows off the surface) Jacobi. Linear tolerance 1e-10 relative, so
    the Newton iterates match those of the direct solver (:func:`default_snes_options`).
    The field index sets are attached by :func:`set_field_splits`.
    """
    opts = {k: v for k, v in default_snes_options().items()
            if not k.startswith(("ksp_", "pc_", "mat_mumps_"))}
    opts.update({
        "ksp_type": "gmres",
        "ksp_gmres_restart": 200,
        "ksp_rtol": 1e-10,
        "ksp_atol": 1e-14,
        "ksp_max_it": 1000,
        "pc_type": "fieldsplit",
        "pc_fieldsplit_type": "multiplicative",
    })
    for name in FIELD_NAMES[:min(n_fields, 2)]:
        opts.update({
            f"fieldsplit_{name}_ksp_type": "preonly",
            f"fieldsplit_{name}_pc_type": "gamg",
            f"fieldsplit_{name}_pc_gamg_threshold": 0.02,
            f"fieldsplit_{name}_mg_levels_ksp_type": "chebyshev",
            f"fieldsplit_{name}_mg_levels_pc_type": "jacobi",
        })
    if n_fields == 3:
        opts.update({"fieldsplit_psi_ksp_type": "preonly", "fieldsplit_psi_pc_type": "jacobi"})
    return opts


def set_field_splits(pc: Any, W: Any, n_fields: int) -> None:
    """Attach the index sets of the fields (c, φ[, ψ]) of ``W`` to a fieldsplit PC.

    The sets hold the global indices of each rank's owned dofs of the sub-space.
    """
    from petsc4py import PETSc

    imap = W.dofmap.index_map
    bs = W.dofmap.index_map_bs
    n_owned, offset = imap.size_local * bs, imap.local_range[0] * bs
    splits = []
    for i in range(n_fields):
        dofs = collapse(W.sub(i))[1]
        dofs = np.sort(dofs[dofs < n_owned]) + offset
        splits.append((FIELD_NAMES[i], PETSc.IS().createGeneral(
            dofs.astype(PETSc.IntType), comm=W.mesh.comm)))
    pc.setFieldSplitIS(*splits)
    pc.setFromOptions()


def _pattern_key(form: Any) -> tuple[tuple[int, ...], ...]:
    """The subdomain ids of each integral type of a compiled form: with its function
    spaces and the meshes' tags, what fixes the sparsity pattern DOLFINx builds for it
    (every pair of dofs of a cell or facet of an integration domain, whatever the
    integrand)."""
    from dolfinx.fem import IntegralType

    ufcx = form.ufcx_form
    offsets = ufcx.form_integral_offsets
    return tuple(tuple(int(ufcx.form_integral_ids[j]) for j in range(offsets[i], offsets[i + 1]))
                 for i in range(len(IntegralType)))  # the UFCx integral types, in order


@contextlib.contextmanager
def _jacobian_matrix_from(jacobian: Any, ksp: Any) -> Iterator[None]:
    """While a DOLFINx ``NonlinearProblem`` of the compiled Jacobian form ``jacobian`` is
    built, its Jacobian Mat is the operator of the kept ``ksp`` (a reference of its own,
    which the problem destroys with itself); None: a new Mat, as DOLFINx makes it.

    ``NonlinearProblem`` always creates the Mat of its Jacobian form (its sparsity
    pattern: ~0.1 s of CPU at 148k transport DOFs on one rank, 7 % of a kept solve),
    with ``dolfinx.fem.petsc.create_matrix`` looked up when it is built. A problem handed
    a kept KSP assembles into that KSP's operator, which has the same pattern (the kept
    solvers are keyed by it), so a Mat of its own would never be used.
    """
    if ksp is None:
        yield
        return
    import dolfinx.fem.petsc as dolfinx_petsc

    create = dolfinx_petsc.create_matrix

    def kept_or_new(form: Any, *args: Any, **kwargs: Any) -> Any:
        if form is jacobian:
            return ksp.getOperators()[0]
        return create(form, *args, **kwargs)

    dolfinx_petsc.create_matrix = kept_or_new
    try:
        yield
    finally:
        dolfinx_petsc.create_matrix = create


#: Lowest concentration, as a fraction of the bulk's, at which a state that the
#: transport solve reached before failing counts as at its limiting current: on a flat
#: surface c(0)/c_b = 1 - i/i_lim, so below 5 % the current is within 5 % of the
#: surface's limit (assumed to carry over to the local limit of a rough surface).
DEPLETED_FRACTION = 0.05


def _mpi_land() -> Any:
    from mpi4py import MPI

    return MPI.LAND


def collapse(space: Any) -> tuple[Any, npt.NDArray[np.int32]]:
    """Collapse a scalar sub-space; return it and its parent dof indices (one array)."""
    V, parent = space.collapse()
    if isinstance(parent, list | tuple):
        parent = parent[0] if len(parent) == 1 else np.concatenate(parent)
    return V, np.asarray(parent, dtype=np.int32)


def uniform_overpotential_V(current_A_per_m2: float, i0: float, p: SurfaceParameters) -> float:
    """Overpotential η < 0 [V] at which Butler–Volmer with uniform i₀ gives ``current``."""
    lo, hi = -5.0, 5.0
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        i = butler_volmer_current_density(i0, mid, p.anodic_transfer_coefficient,
                                   p.cathodic_transfer_coefficient, p.temperature_K)
        if i > current_A_per_m2:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


@dataclass
class SurfaceSamples:
    """Surface quantities at the Li-surface nodes, gathered and sorted by x."""

    x_m: npt.NDArray[np.float64]
    current_density_A_per_m2: npt.NDArray[np.float64]
    concentration_mol_per_m3: npt.NDArray[np.float64]
    normal_stress_Pa: npt.NDArray[np.float64]
    y_m: npt.NDArray[np.float64] | None = None  # second lateral coordinate (3D, unsorted)


class TransportProblem:
    """Electrolyte (+ coating) transport with interfacial kinetics on the transport mesh.

    Parameters
    ----------
    sm
        Meshes. For ``case="coated"`` the geometry must contain the coating; for
        ``bare`` and ``coated_thin`` it must not.
    p
        Parameters.
    case
        ``bare`` (heterogeneous native SEI), ``coated`` (resolved coating) or
        ``coated_thin`` (thin-layer interface condition).
    petsc_options
        SNES/KSP options (default :func:`default_snes_options`).
    prefix
        PETSc options prefix of the SNES and its objects.
    transient
        Add the storage term of the salt balance (the only difference between the
        steady and the transient problem; see :mod:`hemcell.surface.transient`):
        ∫_Ωe (∂c/∂t − **w**·∇c) q dx, with the time derivative by backward Euler or
        variable-step BDF2, ∂c/∂t ≈ m₀c^{n+1} + m₁c^n + m₂c^{n−1} (the
        constants ``mass_coefficients``), and **w** the mesh velocity (ALE form on a
        moving mesh; zero on a fixed mesh). Charge conservation stays quasi-static
        (electroneutrality, no double-layer charging).
    linear_solver
        ``lu`` (MUMPS, robust; the default) or ``gamg`` (GMRES + fieldsplit/GAMG,
        :func:`iterative_snes_options`; scales to large and 3D meshes). Ignored when
        ``petsc_options`` is given.
    reuse_preconditioner
        Keep the preconditioner (MUMPS factors, or the fieldsplit/GAMG set-up) of an
        earlier Jacobian across Newton steps and repeated :meth:`solve` calls, and
        rebuild it only when the Krylov iterations grow (see
        :meth:`_assemble_jacobian`). A direct solve then becomes GMRES preconditioned by
        the old factors (:data:`REUSED_FACTORISATION_KSP_OPTIONS`); the Newton iterates
        still meet the same SNES tolerances, so results agree to solver tolerance.
    lag_jacobian
        With ``reuse_preconditioner`` (ignored without): keep the Jacobian too and take
        chord steps with it (no assembly) while each reduces the residual norm by
        :data:`CHORD_CONTRACTION` or more; otherwise (and at the first Jacobian and
        after a failed solve) assemble the Jacobian and rebuild the preconditioner.
        For sequences of nearby solves (the staggered coupling iterations). The
        iterates meet the same SNES tolerances. The factors are those of the kept J
        itself, so a direct solve stays direct (``preonly``: one back-substitution per
        step instead of the two of a GMRES iteration around them).
    kept
        Linear solvers kept across problems on these meshes (a
        :class:`~hemcell.surface.petsc.KeptSolvers`; needs ``lag_jacobian``, where the
        Jacobian is its own preconditioner matrix). The problem solves with the Jacobian
        Mat and KSP that an earlier problem with the same sparsity pattern (the same
        space and integration domains of the Jacobian form, and the same solver options)
        left there, and keeps its own there otherwise. Its first Jacobian is assembled
        into that Mat, so the KSP repeats only the numeric factorisation (MUMPS: no
        analysis). The earlier problem can then no longer :meth:`solve`; its solution
        stays as it was.
    """

    def __init__(self, sm: SurfaceMesh, p: SurfaceParameters, case: Case,
                 petsc_options: dict[str, Any] | None = None,
                 prefix: str = "hemcell_transport_", transient: bool = False,
                 linear_solver: str = "lu", reuse_preconditioner: bool = False,
                 lag_jacobian: bool = False, kept: KeptSolvers | None = None) -> None:
        import dolfinx_solver  # noqa: F401

        import basix.ufl
        from dolfinx import fem
        from dolfinx.fem.petsc import NonlinearProblem, create_matrix
        from petsc4py import PETSc

        if (case == "coated") != sm.has_coating:
            raise InputError(
                "case", case,
                "'coated' on a mesh with a coating, 'bare'/'coated_thin' on one without")
        self.sm, self.p, self.case = sm, p, case
        msh = sm.transport
        self.msh = msh
        tdim = msh.topology.dim
        fdim = tdim - 1
        P1 = basix.ufl.element("Lagrange", msh.basix_cell(), 1)
        n_fields = 3 if case == "coated_thin" else 2
        # the spaces, collapsed field spaces and their dofs in W, built once per mesh (the
        # dofmaps do not change when a moving-boundary run moves the mesh)
        self.W = forms.per_mesh(sm, ("transport", n_fields), lambda: fem.functionspace(
            msh, basix.ufl.mixed_element([P1] * n_fields)))
        self._fields = forms.per_mesh(sm, ("transport fields", n_fields), lambda: [
            collapse(self.W.sub(i)) for i in range(n_fields)])
        self.u = fem.Function(self.W, name="transport")
        parts = ufl.split(self.u)
        tests = ufl.TestFunctions(self.W)
        c_hat, phi_hat = parts[0], parts[1]
        q, v = tests[0], tests[1]

        self.c_scale = p.bulk_concentration_mol_per_m3
        self.phi_scale = p.thermal_voltage_V
        c = self.c_scale * c_hat
        phi = self.phi_scale * phi_hat

        ct, ft = sm.transport_cells, sm.transport_facets
        dx = ufl.Measure("dx", domain=msh, subdomain_data=ct)
        ds = ufl.Measure("ds", domain=msh, subdomain_data=ft)
        self.dx, self.ds = dx, ds

        # Scalar interface fields (P1): exchange-current factor and normal stress.
        self.V1 = forms.per_mesh(sm, "transport P1", lambda: fem.functionspace(
            msh, ("Lagrange", 1)))
        self.i0_field = fem.Function(self.V1, name="exchange_current_density_A_per_m2")
        self.stress_field = fem.Function(self.V1, name="normal_stress_Pa")
        i0_mean = kinetics.mean_exchange_current_density(p, case)
        self.i0_mean = i0_mean
        # The P1 interface fields are their nodal values: each is evaluated once per node
        # (at the dof coordinates), not at every cell's vertices as Function.interpolate
        # of a callable does (the same values; ~27x fewer evaluations on a 3D mesh).
        node_xyz = self._coordinates(-1)
        if case == "bare" and tdim == 3:  # a field g(x, y) on the 3D surface
            self.i0_field.x.array[:] = i0_mean * kinetics.sei_heterogeneity_factor_2d(
                node_xyz[:, 0], node_xyz[:, 1], p.sei_heterogeneity_amplitude,
                p.sei_correlation_length_m, sm.spec.width_m, p.sei_seed)
        elif case == "bare":
            self.i0_field.x.array[:] = i0_mean * kinetics.sei_heterogeneity_factor(
                node_xyz[:, 0], p.sei_heterogeneity_amplitude, p.sei_correlation_length_m,
                sm.spec.width_m, p.sei_seed)
        elif case == "coated_thin":
            # pinholes of an incompletely covering film (hemcell.surface.coverage)
            self.coverage_field = fem.Function(self.V1, name="coating_coverage")
            self.film_conductance = fem.Function(self.V1, name="film_conductance_S_per_m2")
            thin = coverage.thin_layer_fields(node_xyz[:, 0], p, sm.spec.width_m,
                                              node_xyz[:, 1] if tdim == 3 else None)
            self.coverage_field.x.array[:] = thin.coverage
            self.i0_field.x.array[:] = thin.exchange_current_density_A_per_m2
            self.film_conductance.x.array[:] = thin.film_conductance_S_per_m2
        else:
            self.i0_field.x.array[:] = i0_mean
        self.stress_field.x.array[:] = -p.stack_pressure_Pa

        # --- kinetics at the Li surface -------------------------------------------
        shift = kinetics.mechanical_potential_shift_V(self.stress_field,
                                                      p.li_molar_volume_m3_per_mol,
                                                      p.charge_per_mole_C_per_mol)
        if case == "bare":
            c_pos = ufl.max_value(c_hat, 1e-12)
            i0 = self.i0_field * c_pos ** p.exchange_current_concentration_exponent
            eta = -phi - shift
        elif case == "coated":
            i0 = self.i0_field
            eta = -phi - shift
        else:
            psi = self.phi_scale * parts[2]
            chi = self.coverage_field
            c_pos = ufl.max_value(c_hat, 1e-12)
            gamma = p.exchange_current_concentration_exponent
            i0 = self.i0_field * (chi + (1 - chi) * c_pos**gamma)
            eta = -psi - shift
        i_bv = butler_volmer_current_density(i0, eta, p.anodic_transfer_coefficient,
                                      p.cathodic_transfer_coefficient, p.temperature_K, ufl.exp)
        self.i_bv = i_bv
        # Aqueous metals: hydrogen evolution in parallel at the metal surface (charge only;
        # it moves no metal cation and no interface).
        self.i_her = (kinetics.hydrogen_evolution_current_density(
            p, -(psi if case == "coated_thin" else phi), ufl.exp)
            if p.hydrogen_evolution else None)

        # --- residual ---------------------------------------------------------------
        el = Cell.ELECTROLYTE
        s_phi = 1.0 / (p.electrolyte_conductivity_S_per_m * self.phi_scale)
        s_c = 1.0 / (p.electrolyte_diffusivity_m2_per_s * self.c_scale)
        F_phi = electrolyte.charge_balance_volume(c, phi, v, p, dx(el))
        F_c = electrolyte.cation_balance_volume(c, phi, q, p, dx(el))
        if case == "coated":
            F_phi += coating.charge_balance_volume(phi, v, p, dx(Cell.COATING))
            F_c += coating.cation_balance_volume(phi, q, p, dx(Cell.COATING))
        ds_li = ds(Facet.LI_SURFACE)
        if case == "coated_thin":
            # Vertex (lumped) quadrature: the interface law holds node by node, so the
            # pinhole/film contrast of G_f (κ/κ_c ~ 1e3) does not leak into neighbouring
            # nodes through a consistent surface mass matrix.
            ds_li = ds(Facet.LI_SURFACE, metadata={"quadrature_rule": "vertex",
                                                   "quadrature_degree": 1})
            i_n = coating.film_current_density(phi, psi, self.film_conductance)
            w = tests[2]
            s_psi = film_area_resistance_ohm_m2(p.coating_thickness_m,
                                                p.coating_conductivity_S_per_m) / self.phi_scale
            F_psi = s_psi * (i_n - i_bv - (self.i_her or 0)) * w * ds_li
        else:
            i_n = i_bv
        self.i_n = i_n
        self.ds_li = ds_li  # the measure of the Li-surface terms (integrate i_n with it)
        # Metal surface: i·n = i_n (the metal's current, plus hydrogen evolution's for an
        # aqueous metal: in the thin layer i_n carries both through the film), and
        # N+·n = i_M/(zF) with i_M = i_bv the metal's own current alone (bare and thin
        # layer): hydrogen evolution moves no metal cation. For the resolved coating the
        # surface is the coating's inner boundary, where c is inactive.
        F_phi += -i_n * v * ds_li
        if self.i_her is not None and case != "coated_thin":
            F_phi += -self.i_her * v * ds_li
        if case != "coated":
            F_c += (i_bv / p.charge_per_mole_C_per_mol) * q * ds_li
        galvanostatic = p.control == "galvanostatic"
        self.i_app = fem.Constant(msh, float(p.applied_current_density_A_per_m2)
                                  if galvanostatic else 0.0)  # potentiostatic: unread
        if galvanostatic:
            F_phi += self.i_app * v * ds(Facet.TOP)
        self.transient = transient
        if transient:
            F_c += self._storage_term(c_hat, q, dx(el))
        F = s_phi * F_phi + s_c * F_c
        if case == "coated_thin":
            F += F_psi
        self.residual = F

        # --- Dirichlet conditions ---------------------------------------------------
        top = ft.indices[ft.values == Facet.TOP]
        bcs = []
        Wc = self._fields[0][0]
        one = fem.Function(Wc)
        one.x.array[:] = 1.0
        bcs.append(fem.dirichletbc(one, forms.per_mesh(
            sm, ("transport top dofs", n_fields, 0),
            lambda: fem.locate_dofs_topological((self.W.sub(0), Wc), fdim, top)),
            self.W.sub(0)))
        if p.control == "potentiostatic":
            Wp = self._fields[1][0]
            phi_top = fem.Function(Wp)
            phi_top.x.array[:] = p.applied_potential_V / self.phi_scale
            self._phi_top = phi_top
            bcs.append(fem.dirichletbc(phi_top, forms.per_mesh(
                sm, ("transport top dofs", n_fields, 1),
                lambda: fem.locate_dofs_topological((self.W.sub(1), Wp), fdim, top)),
                self.W.sub(1)))
        if case == "coated":
            # c is inactive inside the coating: fix it off the coating/electrolyte interface.
            bcs.append(self._pin_off(0, Cell.ELECTROLYTE, cells_dim=True, value=1.0))
        if case == "coated_thin":
            bcs.append(self._pin_off(2, Facet.LI_SURFACE, cells_dim=False, value=0.0))
        self.bcs = bcs

        # --- initial guess ----------------------------------------------------------
        eta0 = uniform_overpotential_V(p.applied_current_density_A_per_m2 if galvanostatic
                                       else self._potentiostatic_current_guess(), i0_mean, p)
        self.u.x.array[:] = 0.0
        self._set_sub(0, 1.0)
        self._set_sub(1, -eta0 / self.phi_scale)
        if case == "coated_thin":
            self._set_sub(2, -eta0 / self.phi_scale)

        if linear_solver not in LINEAR_SOLVERS:
            raise InputError("linear_solver", linear_solver, ", ".join(LINEAR_SOLVERS))
        self.linear_solver = linear_solver
        if petsc_options is not None:
            opts = petsc_options
        elif linear_solver == "gamg":
            opts = iterative_snes_options(n_fields)
        else:
            opts = default_snes_options()
        self.reuse_preconditioner = reuse_preconditioner
        self.lag_jacobian = lag_jacobian and reuse_preconditioner
        if (reuse_preconditioner and not self.lag_jacobian
                and opts.get("ksp_type") == "preonly"):
            # a factorisation of an earlier Jacobian is a preconditioner, not a solver (a
            # chord step keeps J itself, whose factors solve it: one back-substitution)
            opts = {**opts, **REUSED_FACTORISATION_KSP_OPTIONS}
        opts, mumps_controls = split_mumps_controls(opts)
        if mumps_controls is not None:  # direct MUMPS: analysis on pairs (triples) of dofs
            mumps_controls.setdefault(MUMPS_BLOCK_ANALYSIS, -n_fields)
        # the residual and its Jacobian compiled once per process (hemcell.surface.forms)
        jacobian_form = forms.form(ufl.derivative(F, self.u))
        self._kept, self._kept_key, taken = kept, None, None
        if kept is not None:
            if not self.lag_jacobian or opts.get("snes_ksp_ew"):
                raise ValueError("kept solvers need lag_jacobian (J its own preconditioner) "
                                 "and no Eisenstat-Walker tolerances (snes_ksp_ew)")
            self._kept_key = ("transport", id(self.W), prefix, _pattern_key(jacobian_form),
                              tuple(sorted((k, str(v)) for k, v in opts.items())),
                              tuple(sorted((mumps_controls or {}).items())))
            taken = kept.take(self._kept_key, self)
        with _jacobian_matrix_from(jacobian_form, None if taken is None else taken[1]):
            self.problem = NonlinearProblem(
                forms.form(F), self.u, J=jacobian_form, bcs=bcs,
                petsc_options_prefix=prefix, petsc_options=opts)
        # DOLFINx leaves the options in the database under the prefix; the fieldsplit
        # blocks and GAMG levels read theirs when the preconditioner is built, so they go
        # when the problem does
        hold_options(self.problem, prefix, opts)
        if opts.get("pc_type") == "fieldsplit":
            set_field_splits(self.problem.solver.getKSP().getPC(), self.W, n_fields)
        self._P = None
        self._refresh_next = True
        self._fresh_ksp_iterations = -1
        self.preconditioner_builds = 0
        self.jacobian_assemblies = 0
        self._chord_norm: float | None = None  # residual norm before the last chord step
        snes = self.problem.solver
        A, ksp = self.problem.A, snes.getKSP()  # the Jacobian Mat and the linear solver
        if kept is not None:
            if taken is None:  # (references of their own: the problem destroys its A)
                A = snes.getJacobian()[0]
                # the SNES's Eisenstat-Walker hooks (off here) point to this SNES, which
                # goes with this problem: the kept KSP must not call them
                ksp.setPreSolve(None)
                ksp.setPostSolve(None)
                kept.keep(self._kept_key, self, A, ksp)
            else:  # an earlier problem's Mat (same pattern) and KSP (its factorisation)
                A, ksp, _ = taken
            # The SNES holds the kept KSP only while it solves (_snes_solve_once), an idle
            # one otherwise: a destroyed SNES resets its KSP (SNESDestroy -> KSPReset),
            # which would drop the kept factorisation when this problem is freed.
            self._kept_ksp, self._idle_ksp = ksp, PETSc.KSP().create(msh.comm)
            snes.setKSP(self._idle_ksp)
        if self.lag_jacobian:
            # J is assembled only when the preconditioner is rebuilt: it is its own
            # preconditioner matrix (the KSP refactors it when its values change)
            self._P = A
        elif reuse_preconditioner:
            self._P = create_matrix(self.problem.J)
            self._P.assemble()  # empty until the first copy of J
        if reuse_preconditioner:
            # through a weak reference: a bound method held by PETSc is a reference cycle
            # the garbage collector cannot see, so the problem, its mesh and their MPI
            # communicators were never freed (a transient run aborted with "Too many
            # communicators" after ~70 remeshes)
            jacobian = weakref.WeakMethod(self._assemble_jacobian)
            self.problem.solver.setJacobian(
                lambda snes, x, J, P: jacobian()(snes, x, J, P),  # type: ignore[misc]
                A, self._P)
        if mumps_controls is not None and taken is None:  # (a taken KSP has them)
            P = self._P if self._P is not None else self.problem.P_mat
            ksp.setOperators(A, A if P is None else P)
            set_mumps_controls(ksp, mumps_controls)
        self.last_iterations = 0

    # ------------------------------------------------------- preconditioner reuse
    def _assemble_jacobian(self, snes: Any, x: Any, J: Any, P: Any) -> None:
        """SNES Jacobian callback: assemble J; copy it into P only when P must be rebuilt.

        The KSP rebuilds its preconditioner (LU factors or the GAMG hierarchies) only when
        P changes, so a P left untouched is reused: across Newton steps, staggered
        coupling iterations and time steps. P is rebuilt at the first Jacobian, after a
        failed solve, and when the last Krylov solve took more than
        ``max(2 k₀, k₀ + 10)`` iterations (k₀: iterations right after the last rebuild).
        With ``lag_jacobian`` see :meth:`_lagged_jacobian`.
        """
        from dolfinx.fem.petsc import assemble_jacobian
        from petsc4py import PETSc

        if self.lag_jacobian:
            self._lagged_jacobian(snes, x, J)
            return
        its = snes.getKSP().getIterationNumber()  # of the last linear solve
        if self._fresh_ksp_iterations < 0:  # the first solve after a rebuild
            self._fresh_ksp_iterations = its
        k0 = self._fresh_ksp_iterations
        rebuild = self._refresh_next or its > max(2 * k0, k0 + 10)
        assemble_jacobian(snes, x, J, P, u=self.u, jacobian=self.problem.J,
                          preconditioner=None, bcs=self.bcs)
        self.jacobian_assemblies += 1
        if rebuild:
            pattern = PETSc.Mat.Structure  # P takes J's pattern at the first copy
            J.copy(P, structure=pattern.SAME_NONZERO_PATTERN if self.preconditioner_builds
                   else pattern.DIFFERENT_NONZERO_PATTERN)
            self.preconditioner_builds += 1
            self._refresh_next = False
            self._fresh_ksp_iterations = -1

    def _lagged_jacobian(self, snes: Any, x: Any, J: Any) -> None:
        """Chord step with the kept J (its own preconditioner matrix), or a new Jacobian.

        J is left as it is (no assembly; the KSP keeps its factors, a chord step) unless
        this is the first Jacobian, the last solve failed, or the last chord step reduced
        the residual norm by less than :data:`CHORD_CONTRACTION`; then J is assembled,
        and the KSP, seeing it changed, rebuilds the preconditioner.
        """
        from dolfinx.fem.petsc import assemble_jacobian

        norm = snes.getFunctionNorm()  # at the state the Jacobian is asked for
        slow = (self._chord_norm is not None and snes.getIterationNumber() > 0
                and norm > CHORD_CONTRACTION * self._chord_norm)
        if not (self._refresh_next or slow):
            self._chord_norm = norm
            return
        self._chord_norm = None
        assemble_jacobian(snes, x, J, J, u=self.u, jacobian=self.problem.J,
                          preconditioner=None, bcs=self.bcs)
        self.jacobian_assemblies += 1
        self.preconditioner_builds += 1
        self._refresh_next = False

    # ------------------------------------------------------------------ transient
    def _storage_term(self, c_hat: Any, q: Any, dx: Any) -> Any:
        """Storage (and ALE) term of the salt balance in physical units [mol m⁻³ s⁻¹]·q."""
        from dolfinx import fem

        msh = self.msh
        self.c_history = [fem.Function(self.V1, name="c_hat_n"),
                          fem.Function(self.V1, name="c_hat_n_minus_1")]
        for f in self.c_history:
            f.x.array[:] = 1.0
        self.mass_coefficients = [fem.Constant(msh, 0.0) for _ in range(3)]
        Vw = fem.functionspace(msh, ("Lagrange", 1, (msh.geometry.dim,)))
        self.mesh_velocity = fem.Function(Vw, name="mesh_velocity_m_per_s")
        m0, m1, m2 = self.mass_coefficients
        dcdt = m0 * c_hat + m1 * self.c_history[0] + m2 * self.c_history[1]
        ale = ufl.inner(self.mesh_velocity, ufl.grad(c_hat))
        return self.c_scale * (dcdt - ale) * q * dx

    def set_time_step(self, dt_s: float, dt_previous_s: float | None) -> None:
        """Set the time-derivative weights: backward Euler, or BDF2 with variable step.

        BDF2 with ω = Δt_n/Δt_{n−1}: ∂c/∂t ≈ [(1+2ω)/(1+ω) c^{n+1} − (1+ω) c^n
        + ω²/(1+ω) c^{n−1}]/Δt_n. ``dt_previous_s=None`` selects backward Euler.
        """
        if not self.transient:
            raise InputError("set_time_step", "steady problem", "a transient TransportProblem")
        if dt_previous_s is None:
            w = (1.0 / dt_s, -1.0 / dt_s, 0.0)
        else:
            om = dt_s / dt_previous_s
            w = ((1 + 2 * om) / (1 + om) / dt_s, -(1 + om) / dt_s, om**2 / (1 + om) / dt_s)
        for const, val in zip(self.mass_coefficients, w, strict=True):
            const.value = val

    def concentration_hat(self) -> Any:
        """The scaled concentration c/c_b as a P1 function on the transport mesh."""
        from dolfinx import fem

        f = fem.Function(self.V1)
        f.interpolate(self.u.sub(0))
        return f

    def push_history(self) -> None:
        """Shift the stored time levels: c^{n−1} ← c^n ← current solution."""
        self.c_history[1].x.array[:] = self.c_history[0].x.array
        self.c_history[0].interpolate(self.u.sub(0))
        self.c_history[0].x.scatter_forward()
        self.c_history[1].x.scatter_forward()

    # ------------------------------------------------------------------ helpers
    def _set_sub(self, i: int, value: float) -> None:
        self.u.x.array[self._fields[i][1]] = value

    def _pin_off(self, sub: int, tag: int, cells_dim: bool, value: float) -> Any:
        """Dirichlet condition on the dofs of field ``sub`` that are NOT on the tagged set."""
        from dolfinx import fem

        Vs, parent = self._fields[sub]

        def pinned() -> tuple[npt.NDArray[np.int32], npt.NDArray[np.int32]]:
            tdim = self.msh.topology.dim
            if cells_dim:
                ents = self.sm.transport_cells.indices[self.sm.transport_cells.values == tag]
                keep = fem.locate_dofs_topological(Vs, tdim, ents)
            else:
                ft = self.sm.transport_facets
                keep = fem.locate_dofs_topological(Vs, tdim - 1, ft.indices[ft.values == tag])
            n_local = Vs.dofmap.index_map.size_local + Vs.dofmap.index_map.num_ghosts
            mask = np.ones(n_local, dtype=bool)
            mask[keep] = False
            collapsed = np.flatnonzero(mask).astype(np.int32)
            return np.asarray(parent, dtype=np.int32)[collapsed], collapsed

        parent_dofs, collapsed = forms.per_mesh(
            self.sm, ("transport pinned dofs", len(self._fields), sub, tag, cells_dim), pinned)
        val = fem.Function(Vs)
        val.x.array[:] = value
        return fem.dirichletbc(val, [parent_dofs, collapsed], self.W.sub(sub))

    def set_normal_stress(self, x_m: npt.NDArray[np.float64],
                          sigma_nn_Pa: npt.NDArray[np.float64]) -> None:
        """Set the interfacial normal stress (tension positive) from samples σ_nn(x)."""
        x = self._coordinates(-1)[:, 0]  # P1: the nodal values are the interpolant
        self.stress_field.x.array[:] = np.interp(x, x_m, sigma_nn_Pa)
        self.stress_field.x.scatter_forward()

    # ------------------------------------------------------------------ solve
    def _set_load(self, fraction: float) -> None:
        """Scale the applied current (galvanostatic) or potential (potentiostatic)."""
        if self.p.control == "galvanostatic":
            self.i_app.value = fraction * self.p.applied_current_density_A_per_m2
        else:
            self._phi_top.x.array[:] = fraction * self.p.applied_potential_V / self.phi_scale

    def _snes_solve(self) -> tuple[int, int]:
        """One SNES solve from the current state: (converged reason, Newton iterations).

        With a reused preconditioner a failed solve that started from a kept
        preconditioner is repeated once from the same start with it rebuilt, so that a
        stale preconditioner never shows as a failure (and never changes a caller's step
        control); after a failure the next solve starts with a rebuilt one.
        """
        if not self.reuse_preconditioner:
            return self._snes_solve_once()
        start = self.u.x.array.copy()
        kept = not self._refresh_next  # starts with a preconditioner of an earlier state
        reason, its = self._snes_solve_once()
        if reason <= 0 and kept:
            self.u.x.array[:] = start
            self._refresh_next = True
            reason, more = self._snes_solve_once()
            its += more
        if reason <= 0:  # the caller's next attempt starts from a fresh preconditioner
            self._refresh_next = True
        return reason, its

    def _snes_solve_once(self) -> tuple[int, int]:
        snes = self.problem.solver
        if self._kept is not None:
            if not self._kept.holds(self._kept_key, self):
                raise SimulationError(
                    f"this transport problem ({self.case}) handed its linear solver to a "
                    "later problem on the same meshes (kept solvers); its results stay "
                    "valid, but it cannot solve again", step="transport")
            snes.setKSP(self._kept_ksp)
        try:
            self.problem.solve()
        except Exception as exc:
            raise SimulationError(f"surface transport solve ({self.case}) raised: {exc}",
                                  step="transport") from exc
        finally:
            if self._kept is not None:
                snes.setKSP(self._idle_ksp)
        reason = int(snes.getConvergedReason())
        if reason > 0:
            c_hat = self.u.x.array[self._fields[0][1]]
            ok = bool(np.all(np.isfinite(self.u.x.array)) and np.all(c_hat > 0))
            if not self.msh.comm.allreduce(ok, op=_mpi_land()):
                reason = -4  # a non-physical (negative or NaN) concentration
        return reason, int(snes.getIterationNumber())

    def solve(self, max_cuts: int = 12) -> int:
        """Solve with SNES; on failure, continue in the applied load with smaller steps.

        The first attempt uses the full load from the current state. If SNES fails,
        the state is restored and the load is ramped from the last converged value
        with step halving (at most ``max_cuts`` halvings).

        Returns
        -------
        int
            Total number of Newton iterations.

        Raises
        ------
        SimulationError
            With the SNES converged reason, when even the smallest step fails.
        """
        start = self.u.x.array.copy()
        reason, its = self._snes_solve()
        total = its
        if reason <= 0:
            self.u.x.array[:] = start
            done, step, cuts = 0.0, 0.25, 0
            while done < 1.0:
                target = min(1.0, done + step)
                self._set_load(target)
                saved = self.u.x.array.copy()
                reason, its = self._snes_solve()
                total += its
                if reason > 0:
                    done = target
                    step *= 1.5
                    continue
                self.u.x.array[:] = saved
                step *= 0.5
                cuts += 1
                if cuts > max_cuts:
                    self._set_load(1.0)
                    raise SimulationError(
                        f"surface transport solve ({self.case}, {self.p.control}) did not "
                        f"converge: SNES reason {reason} "
                        f"({SNES_REASONS.get(reason, 'unknown')}) at {target:.3g} of the "
                        f"applied load after {max_cuts} step reductions"
                        + self._last_converged_text(done),
                        step="transport",
                        hint="the applied current may exceed the limiting current (at "
                             "most zF D c_b/((1-t+) g) = "
                             f"{self._limiting_current_bound():.4g} A/m2, g the electrolyte "
                             "gap above the crest; current focusing lowers it); try a "
                             "smaller load, a finer mesh near the surface, or check the "
                             "parameters",
                    )
        self.u.x.scatter_forward()
        self.last_iterations = total
        return total

    def _potentiostatic_current_guess(self) -> float:
        """Current density of the Newton start under potentiostatic control [A m⁻²]: the
        far-boundary potential over the linearised charge-transfer and the electrolyte's
        Ohmic resistance of a flat cell, at most half the limiting current (the applied
        current, which the galvanostatic start uses, is not an input here)."""
        r_ct = kinetics.linear_charge_transfer_resistance_ohm_m2(self.p, self.i0_mean)
        h = self.sm.spec.electrolyte_height_m
        ohmic = r_ct + h / self.p.electrolyte_conductivity_S_per_m
        return min(max(self.p.applied_potential_V, 0.0) / ohmic,
                   0.5 * self.p.limiting_current_density_A_per_m2(h))

    def _last_converged_text(self, load: float) -> str:
        """What the state at the last converged load fraction says (the state in ``u``):
        the load as a current under galvanostatic control, the lowest concentration, and,
        when that is below :data:`DEPLETED_FRACTION` of the bulk, that this surface's own
        limiting current lies between that load and the applied one. ``""`` when no step
        converged (``u`` then holds the start, not a solution)."""
        if load <= 0.0:
            return ""
        from mpi4py import MPI

        c_hat = self.u.x.array[self._fields[0][1]]
        c_min = self.msh.comm.allreduce(float(np.min(c_hat)) if c_hat.size else np.inf,
                                        op=MPI.MIN)
        i = self.p.applied_current_density_A_per_m2
        at = (f" ({analytic.current_density_text(load * i)})"
              if self.p.control == "galvanostatic" else "")
        text = (f"; it converged up to {load:.3g} of the load{at}, where the lowest "
                f"concentration was {c_min:.2%} of the bulk")
        if c_min < DEPLETED_FRACTION and self.p.control == "galvanostatic":
            text += (": the salt at the surface runs out, so this surface's own limiting "
                     "current lies between that and the applied current, below the bound "
                     f"refused before solving ({self._limiting_current_bound() / 10:.4g} "
                     "mA/cm**2) by its current focusing")
        return text

    def _limiting_current_bound(self) -> float:
        """:func:`~hemcell.surface.analytic.steady_limiting_current_bound` of this mesh."""
        return analytic.steady_limiting_current_bound(
            self.p, self.sm.spec, self.sm.has_coating, self.msh.topology.dim)[0]

    # ------------------------------------------------------------------ output
    def fields(self) -> dict[str, Any]:
        """Physical fields (P1): concentration [mol m⁻³] and potential [V] (and ψ)."""
        out = {}
        names = ["concentration_mol_per_m3", "potential_V", "interface_potential_V"]
        scales = [self.c_scale, self.phi_scale, self.phi_scale]
        for i in range(self.W.num_sub_spaces):
            f = self.u.sub(i).collapse()
            f.x.array[:] *= scales[i]
            f.name = names[i]
            out[names[i]] = f
        return out

    def surface_nodal(self, sub: int, tag: int) -> tuple[npt.NDArray[np.float64], ...]:
        """Physical values of field ``sub`` at owned nodes of facets ``tag`` (local)."""
        Vs, parent = self._fields[sub]
        dofs = self._owned_surface_dofs(Vs, sub, tag)
        xyz = self._coordinates(sub, dofs)
        scale = [self.c_scale, self.phi_scale, self.phi_scale][sub]
        vals = self.u.x.array[parent[dofs]] * scale
        return xyz[:, 0], xyz[:, 1], vals

    def _coordinates(self, key: int,
                     dofs: npt.NDArray[np.int32] | None = None) -> npt.NDArray[np.float64]:
        """Current coordinates of the local dofs of field ``key`` (``-1``: ``V1``), or of
        its ``dofs`` only.

        The values of ``tabulate_dof_coordinates`` (:func:`dof_vertices`) without the
        push-forward of every cell; they follow a moved mesh (the dofs' vertices are
        found once per mesh).
        """
        V = self.V1 if key < 0 else self._fields[key][0]
        node = forms.per_mesh(self.sm, ("transport dof vertices", len(self._fields), key),
                              lambda: dof_vertices(V))
        if node is None:
            xyz = V.tabulate_dof_coordinates()
            return xyz if dofs is None else xyz[dofs]
        return self.msh.geometry.x[node if dofs is None else node[dofs]]

    def _owned_surface_dofs(self, V: Any, key: int, tag: int) -> npt.NDArray[np.int32]:
        """Owned dofs of the P1 space ``V`` (field ``key``, ``-1``: ``V1``) on the facets
        ``tag`` (located once per mesh)."""
        from dolfinx import fem

        def owned() -> npt.NDArray[np.int32]:
            ft = self.sm.transport_facets
            dofs = fem.locate_dofs_topological(V, self.msh.topology.dim - 1,
                                               ft.indices[ft.values == tag])
            return dofs[dofs < V.dofmap.index_map.size_local]

        return forms.per_mesh(
            self.sm, ("transport surface dofs", len(self._fields), key, tag), owned)

    def surface_samples(self) -> SurfaceSamples:
        """Current density, concentration and stress at the Li-surface nodes."""
        p = self.p
        comm = self.msh.comm
        x, _, phi = self.surface_nodal(1, Facet.LI_SURFACE)
        # i0 and stress fields are P1 on the same mesh: same dof coordinates.
        dofs1 = self._owned_surface_dofs(self.V1, -1, Facet.LI_SURFACE)
        x1 = self._coordinates(-1, dofs1)[:, 0]
        order1, order = np.argsort(x1), np.argsort(x)
        i0 = np.empty_like(x)
        snn = np.empty_like(x)
        i0[order] = self.i0_field.x.array[dofs1][order1]
        chi = np.ones_like(x)
        if self.case == "coated_thin":
            chi[order] = self.coverage_field.x.array[dofs1][order1]
        snn[order] = self.stress_field.x.array[dofs1][order1]
        shift = kinetics.mechanical_potential_shift_V(snn, p.li_molar_volume_m3_per_mol,
                                                      p.charge_per_mole_C_per_mol)
        if self.case == "bare":
            _, _, c = self.surface_nodal(0, Facet.LI_SURFACE)
            gamma = p.exchange_current_concentration_exponent
            i0 = i0 * np.maximum(c / self.c_scale, 1e-12) ** gamma
            eta = -phi - shift
        elif self.case == "coated":
            xs, _, cs = self.surface_nodal(0, Facet.COATING_SURFACE)
            xs_all, cs_all = _gather_sorted(comm, xs, cs)
            c = np.interp(x, xs_all, cs_all)
            eta = -phi - shift
        else:
            _, _, c = self.surface_nodal(0, Facet.LI_SURFACE)
            _, _, psi = self.surface_nodal(2, Facet.LI_SURFACE)
            gamma = p.exchange_current_concentration_exponent
            i0 = i0 * (chi + (1 - chi) * np.maximum(c / self.c_scale, 1e-12) ** gamma)
            eta = -psi - shift
        i_n = butler_volmer_current_density(i0, eta, p.anodic_transfer_coefficient,
                                     p.cathodic_transfer_coefficient, p.temperature_K)
        return SurfaceSamples(*_gather_sorted(comm, x, i_n, c, snn))  # one allgather

    def integral(self, expr: Any, measure: Any) -> float:
        """Global integral of a UFL expression over a measure."""
        from dolfinx import fem
        from mpi4py import MPI

        val = fem.assemble_scalar(forms.form(expr * measure))
        return float(self.msh.comm.allreduce(val, op=MPI.SUM))


@dataclass
class CoupledResult:
    """Everything a run produces before post-processing."""

    transport: TransportProblem
    mechanics: MechanicsProblem | None  # None: mechanics not solved (3D)
    samples: SurfaceSamples
    coupling_iterations: int
    newton_iterations: list[int]
    solve_time_s: float


class CoupledSolver:
    """Coupled solves on one mesh that keep the linear solvers' set-up between solves.

    For callers that solve again and again on the same meshes (a sweep over currents,
    temperatures, coating thicknesses, seeds; a benchmark). Each :meth:`solve` builds new
    transport and mechanics problems from its parameters, exactly as :func:`solve_coupled`
    does (new forms, constants and fields: nothing of an earlier solve's parameters
    reaches a later one), and hands them the PETSc objects that the earlier problems left
    in :attr:`kept` (:class:`~hemcell.surface.petsc.KeptSolvers`): the transport Jacobian
    Mat and its KSP, one per sparsity pattern (``bare`` and ``coated_thin`` differ), and
    the elasticity operator and its KSP. From the second solve on, PETSc skips the MUMPS
    analysis (ordering and symbolic factorisation, from the sparsity pattern alone) of
    both, and the elasticity's numeric Cholesky factorisation too when its operator
    (moduli and Poisson ratios of the cells, coordinates) is unchanged: the stack
    pressure and the growth strain enter only its right-hand side; the elasticity's first
    solve (stack pressure alone) takes the previous solve's first solution when its
    right-hand side is the same bit for bit (no back-substitution). The results are those
    of a cold :func:`solve_coupled` to round-off (the same equations, Newton steps and
    tolerances; only the pivot order of a factorisation may come from an earlier
    matrix).

    The process keeps the memory it frees from then on
    (:func:`~hemcell.surface.petsc.keep_freed_memory`), so that the factors of each
    numeric factorisation go into the resident pages of the previous one's.

    Each result keeps its own problems, whose solution, fields and stresses a later solve
    never touches; only their linear solvers pass on, so once a later solve has taken
    them a result's problems cannot solve again (they raise
    :class:`~hemcell.errors.SimulationError`).

    Parameters
    ----------
    sm
        Meshes.
    linear_solver
        ``lu`` or ``gamg`` (see :class:`TransportProblem`).
    mechanics_solver
        ``direct`` or ``gamg`` (see :class:`MechanicsProblem`).
    petsc_options
        SNES/KSP options for the transport solves; default with ``lu``:
        :func:`repeated_solve_options` (the factors' size, not the ordering's cost,
        decides a repeated solve), so a result differs from that of
        :func:`solve_coupled` by round-off (a different pivot order), far inside the
        SNES tolerances.
    """

    def __init__(self, sm: SurfaceMesh, linear_solver: str = "lu",
                 mechanics_solver: str = "direct",
                 petsc_options: dict[str, Any] | None = None) -> None:
        self.sm = sm
        self.linear_solver, self.mechanics_solver = linear_solver, mechanics_solver
        if petsc_options is None and linear_solver == "lu":
            petsc_options = repeated_solve_options()
        self.petsc_options = petsc_options
        self.kept = KeptSolvers()
        keep_freed_memory()  # each refactorisation reuses the pages of the last one

    def solve(self, p: SurfaceParameters, case: Case,
              progress: Callable[[str], None] | None = None) -> CoupledResult:
        """Solve transport + kinetics + mechanics with the staggered coupling loop (see
        :func:`solve_coupled`), with the linear solvers kept from earlier solves.

        A solve that fails (raises) discards the kept solvers: a factorisation that
        failed part-way leaves nothing to the next solve, which starts cold.
        """
        try:
            return _solve_coupled(self.sm, p, case, progress, self.petsc_options,
                                  self.linear_solver, self.mechanics_solver, self.kept)
        except Exception:
            self.kept = KeptSolvers()
            raise


def solve_coupled(
    sm: SurfaceMesh,
    p: SurfaceParameters,
    case: Case,
    progress: Callable[[str], None] | None = None,
    petsc_options: dict[str, Any] | None = None,
    linear_solver: str = "lu",
    mechanics_solver: str = "direct",
) -> CoupledResult:
    """Solve transport + kinetics + mechanics with the staggered coupling loop.

    Parameters
    ----------
    sm
        Meshes.
    p
        Parameters.
    case
        ``bare``, ``coated`` or ``coated_thin``.
    progress
        Optional callback receiving a one-line status after each stage.
    petsc_options
        SNES/KSP options for the transport solve.
    linear_solver
        ``lu`` or ``gamg`` (see :class:`TransportProblem`).
    mechanics_solver
        ``direct`` or ``gamg`` (see :class:`MechanicsProblem`).

    Raises
    ------
    InputError
        A ``coated_thin`` film as thick as the surface's smallest trough radius
        (:func:`~hemcell.surface.thin_film.check_thin_film`), or a current at or above the
        steady limit.

    See Also
    --------
    CoupledSolver : repeated solves on one mesh, keeping the linear solvers' set-up.
    """
    return _solve_coupled(sm, p, case, progress, petsc_options, linear_solver,
                          mechanics_solver, None)


def _stiff_kinetics_note(p: SurfaceParameters, case: Case) -> str:
    """Why a staggered coupling may diverge: the charge-transfer resistance of the case
    (a small one makes the current follow the stress shift σΩ/(zF) closely), and for
    coated Li how close the film's resistance h/κ_c is to the measured interface
    resistance the coated-interface rule subtracts it from (the exchange current grows
    without bound as they meet)."""
    i0 = kinetics.mean_exchange_current_density(p, case)
    r_ct = kinetics.linear_charge_transfer_resistance_ohm_m2(p, i0)
    note = (f"; the Li exchange current is {i0:.4g} A/m2 (R_ct = {r_ct * 1e4:.3g} Ohm cm2), "
            "and the smaller R_ct, the more the current follows the stress shift")
    if case == "bare":
        return note
    film = film_area_resistance_ohm_m2(p.coating_thickness_m, p.coating_conductivity_S_per_m)
    measured = p.charge_transfer_resistance_coated_ohm * p.li_electrode_area_m2 / 2
    return (note + f": the coated-interface rule's, with the film's h/kappa_c = "
            f"{film * 1e4:.3g} Ohm cm2 taken out of the measured coated interface "
            f"{measured * 1e4:.3g} Ohm cm2; a thinner or more conductive coating "
            "(coating_thickness, coating_ionic_conductivity) is further from that limit")


def _solve_coupled(sm: SurfaceMesh, p: SurfaceParameters, case: Case,
                   progress: Callable[[str], None] | None,
                   petsc_options: dict[str, Any] | None, linear_solver: str,
                   mechanics_solver: str, kept: KeptSolvers | None) -> CoupledResult:
    """:func:`solve_coupled` with linear solvers kept in ``kept`` (None: none kept)."""
    if case == "coated_thin":  # resolve_case refuses it before meshing; direct callers here
        check_thin_film(sm.spec, p.coating_thickness_m)
    analytic.refuse_current_above_steady_limit(p, sm.spec, sm.has_coating)
    t0 = time.perf_counter()
    tr = TransportProblem(sm, p, case, petsc_options=petsc_options,
                          linear_solver=linear_solver, reuse_preconditioner=True,
                          lag_jacobian=True, kept=kept)
    mech = MechanicsProblem(sm, p, linear_solver=mechanics_solver, kept=kept)
    mech.solve()
    x_s, snn = mech.surface_normal_stress()
    tr.set_normal_stress(x_s, snn)
    growth = p.growth_strain_fraction > 0 and p.growth_time_s > 0
    newton: list[int] = []
    previous: npt.NDArray[np.float64] | None = None
    samples = None
    k = 0
    for k in range(1, max(1, p.coupling_iterations) + 1):
        try:
            newton.append(tr.solve())
        except SimulationError as exc:
            if k == 1:
                raise
            smax = float(np.max(np.abs(snn)))
            raise SimulationError(
                f"transport solve failed in staggered coupling iteration {k} ({case}): the "
                f"interfacial stress reached {smax / 1e6:.4g} MPa (σΩ/F = "
                f"{1e3 * smax * p.li_molar_volume_m3_per_mol / p.charge_per_mole_C_per_mol:.3g}"
                " mV); "
                f"{exc.message}",
                step="coupling",
                hint="the growth-stress feedback is too strong: lower growth_strain_fraction "
                     "or coupling_relaxation",
            ) from exc
        samples = tr.surface_samples()
        change = math.inf
        if previous is not None:
            change = float(np.max(np.abs(samples.current_density_A_per_m2 - previous))
                           / max(np.max(np.abs(previous)), 1e-300))
        if progress:
            progress(f"{case}: coupling iteration {k}, Newton iterations {newton[-1]}, "
                     f"max relative change of surface current {change:.2e}")
        if not growth or change < p.coupling_tolerance:
            break
        previous = samples.current_density_A_per_m2
        mech.set_growth_current(samples.x_m, samples.current_density_A_per_m2)
        mech.solve()
        x_new, snn_new = mech.surface_normal_stress()
        snn = snn + p.coupling_relaxation * (np.interp(x_s, x_new, snn_new) - snn)
        tr.set_normal_stress(x_s, snn)
    else:
        if growth:
            raise SimulationError(
                f"staggered transport-mechanics coupling ({case}) did not converge in "
                f"{p.coupling_iterations} iterations", step="coupling",
                hint="lower coupling_relaxation or growth_strain_fraction"
                     + _stiff_kinetics_note(p, case))
    assert samples is not None
    return CoupledResult(tr, mech, samples, k, newton, time.perf_counter() - t0)
