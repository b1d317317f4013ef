r"""Steady 3D surface problem (``--dim 3``): transport + kinetics on the 3D cell.

The weak forms are those of the 2D model: :class:`~hemcell.surface.solver.TransportProblem`
is dimension-generic (UFL), so the 3D solve is the same SNES on a tetrahedral mesh
(:mod:`hemcell.surface.geometry3d`). Only the random fields become fields of both
lateral coordinates: the native-SEI field
(:func:`~hemcell.surface.kinetics.sei_heterogeneity_factor_2d`) and a thin coating's
pinholes (:func:`~hemcell.surface.coverage.coverage_indicator` with ``y_m``).
The default linear solver in 3D is the iterative one (GMRES + fieldsplit/GAMG,
:func:`~hemcell.surface.solver.iterative_snes_options`): sparse LU fill-in grows too
fast in 3D.

Mechanics is not solved in 3D: the 2D elasticity (plane strain, growth eigenstrain
mapped from the nearest point of a surface curve) has no 3D counterpart yet, so the
interfacial normal stress is held at the stack pressure, :math:`\sigma_{nn} = -p`
(as in the transient runs), and the mechanics metrics are reported as ``null``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import numpy as np

from hemcell.surface.analytic import refuse_current_above_steady_limit
from hemcell.surface.geometry import Facet, SurfaceMesh
from hemcell.surface.parameters import Case, SurfaceParameters
from hemcell.surface.solver import CoupledResult, SurfaceSamples, TransportProblem
from hemcell.surface.thin_film import check_thin_film

MECHANICS_NOTE = ("not solved in 3D: the elasticity model (plane strain, growth "
                  "eigenstrain from a surface curve) is 2D only; sigma_nn = -p in the kinetics")


def normal_current_function(tr: TransportProblem) -> Any:
    """i_n [A m⁻²] (the Li-surface current of the forms) interpolated at the P1 nodes.

    Exact at the nodes: every factor of the expression is a P1 function there.
    """
    from dolfinx import fem

    f = fem.Function(tr.V1, name="normal_current_density_A_per_m2")
    f.interpolate(fem.Expression(tr.i_n, tr.V1.element.interpolation_points))
    return f


def surface_samples_3d(tr: TransportProblem) -> SurfaceSamples:
    """i_n, c (electrolyte side) and σ_nn at the owned Li-surface nodes, on all ranks.

    The arrays are concatenated over ranks in rank order (each node once); ``x_m`` and
    ``y_m`` are the lateral coordinates.
    """
    from dolfinx import fem

    comm = tr.msh.comm
    ft = tr.sm.transport_facets
    dofs = fem.locate_dofs_topological(tr.V1, tr.msh.topology.dim - 1,
                                       ft.indices[ft.values == Facet.LI_SURFACE])
    dofs = dofs[dofs < tr.V1.dofmap.index_map.size_local]
    xyz = tr.V1.tabulate_dof_coordinates()[dofs]
    i_n = normal_current_function(tr).x.array[dofs]
    c = tr.concentration_hat().x.array[dofs] * tr.c_scale
    snn = tr.stress_field.x.array[dofs]

    def gather(a: Any) -> Any:
        return np.concatenate(comm.allgather(np.asarray(a, dtype=np.float64)))

    return SurfaceSamples(gather(xyz[:, 0]), gather(i_n), gather(c), gather(snn),
                          y_m=gather(xyz[:, 1]))


def solve_steady_3d(
    sm: SurfaceMesh,
    p: SurfaceParameters,
    case: Case,
    progress: Callable[[str], None] | None = None,
    linear_solver: str = "gamg",
) -> CoupledResult:
    """Solve the steady 3D transport + kinetics problem (σ_nn = −p, no mechanics).

    Parameters
    ----------
    sm
        3D meshes (:func:`~hemcell.surface.geometry3d.build_mesh_3d`).
    p
        Parameters.
    case
        ``bare`` or ``coated_thin``.
    progress
        Optional status callback.
    linear_solver
        ``gamg`` (default in 3D) or ``lu``.

    Raises
    ------
    InputError
        A ``coated_thin`` film as thick as the surface's smallest trough radius
        (:func:`~hemcell.surface.thin_film.check_thin_film`; ``hemcell surface`` refuses
        it before meshing), or a current at or above the steady limit.
    """
    if case == "coated_thin":
        check_thin_film(sm.spec, p.coating_thickness_m, dim=3)
    refuse_current_above_steady_limit(p, sm.spec, resolved_coating=False, dim=3)
    t0 = time.perf_counter()
    tr = TransportProblem(sm, p, case, linear_solver=linear_solver, reuse_preconditioner=True)
    its = tr.solve()
    samples = surface_samples_3d(tr)
    if progress:
        progress(f"{case} (3D): Newton iterations {its}, "
                 f"{tr.W.dofmap.index_map.size_global * tr.W.dofmap.index_map_bs} DOFs")
    return CoupledResult(tr, None, samples, 1, [its], time.perf_counter() - t0)
