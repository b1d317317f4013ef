r"""Transient transport, Sand's time and moving-boundary growth of the Li surface.

Transport
---------
The electrolyte is the one of :mod:`hemcell.surface.electrolyte` with the storage term
of the salt balance added (:class:`~hemcell.surface.solver.TransportProblem` with
``transient=True``; the steady problem is the same residual without it):

.. math::
    \frac{\partial c}{\partial t} + \nabla\cdot\mathbf N_+ = 0, \qquad
    \nabla\cdot\mathbf i = 0,

with the same Butler–Volmer (and coating) interface conditions. Charge stays
quasi-static (electroneutral, no double-layer charging): the current distribution
follows the concentration field instantly. Time discretisation: variable-step BDF2
(backward Euler for the first step, or throughout with ``scheme="euler"``); the step
starts at ``initial_time_step_s`` and grows by ``step_growth`` per step up to
``time_step_s``. Galvanostatic control only (the counter-boundary flux carries
``i_app``). Initial state: uniform :math:`c = c_b`.

Sand's time
-----------
The surface concentration on the electrolyte side (the coating/electrolyte interface
when coated) is tracked every step. When a linear extrapolation of its minimum
predicts zero within the next step, the step is shortened (to half the predicted
time); once the minimum is below ``sand_concentration_fraction`` × c_b, the Sand's
time is the linear extrapolation of the last two steps to zero ("interpolated within
the step"), and the run stops: a galvanostatic current cannot be carried beyond it.
For a flat surface and a diffusion layer much thicker than :math:`\sqrt{Dt}` the
model reduces exactly to 1D diffusion with a constant surface flux
:math:`D\,\partial c/\partial y = (1-t_+)i/(zF)` (the migration term is
divergence-free), whose depletion time is
:math:`t_S = \pi D (c_b zF)^2 / (4 (i(1-t_+))^2)` (:func:`hemcell.surface.analytic.sand_time_s`).

Moving boundary
---------------
After each step the Li surface advances with the local deposition rate
:math:`v_n = i_n\Omega/(zF)` (z = 1 for Li, 2 for Zn). The nodal deposition rates are
the consistent (P1-weighted) ones, :math:`Q_j = \int_{\Gamma_{Li}} i_n\varphi_j\,ds`; node
:math:`j` moves along the area-weighted vertex normal
:math:`\mathbf N_j = \tfrac12 J(\mathbf P_{j+1}-\mathbf P_{j-1})`
(:math:`J` the rotation by +90°) by
:math:`\mathbf d_j = Q_j\Omega\Delta t/(zF)\;\mathbf N_j/|\mathbf N_j|^2`, so that the
swept area is :math:`\Omega\Delta t/(zF)\sum_j Q_j` to first order; a global
factor :math:`1 + O(d/R)` (reported) makes the polygon's swept area equal to the
deposited volume exactly. The end nodes move vertically (symmetry planes). The
coating nodes move with their Li-surface node (the coating follows the surface). The
displacement is extended into the electrolyte and the lithium by a Laplace solve,
:math:`\nabla\cdot(|K|^{-1}\nabla\mathbf d) = 0` (stiffened where elements are small),
with :math:`\mathbf d = 0` on the top and bottom and :math:`d_x = 0` on the sides. The
transport is written in ALE form (the mesh velocity enters the storage term). When
the minimum element quality (:math:`4\sqrt3|K|/\sum\ell^2`, 1 for an equilateral
triangle) drops below ``remesh_quality_ratio`` times that of the freshly generated
mesh, or a surface segment below that fraction of the surface mesh size (surface nodes
crowd in concave regions), gmsh regenerates the mesh from the current surface polyline and the
concentration history is carried over by P1 interpolation between the non-matching
meshes (``fem.create_interpolation_data`` + ``Function.interpolate_nonmatching``), which
gives the same result on any number of MPI ranks.

Mechanics during growth
-----------------------
Every ``mechanics_update_interval`` steps (:class:`SurfaceParameters`; 0 = off, σ_nn
held at −p) the elasticity of Li and coating (:mod:`hemcell.surface.mechanics`) is
re-assembled and solved on the moved mesh, with (i) the stack pressure on the wetted
surface, (ii) the growth eigenstrain of the steady closure from the present surface
current, its depth measured below the current surface polyline, and (iii) the
coating's membrane prestrain: the coating material is attached to the Li-surface
nodes, each segment keeps its stress-free (reference) length ℓ₀ (carried over a remesh
by interpolation in arc length) and gets the tangential eigenstrain
:math:`-e\,\mathbf t\otimes\mathbf t`, :math:`e = \ell/\ell_0 - 1`. The normal stress
σ_nn in the Li at the surface is fed back into the kinetics for the next steps
(explicit, lagged by one step; the Monroe–Newman metal-side term
ΔU = σ_nnΩ/F of :mod:`hemcell.surface.kinetics`).

Surface energy
--------------
The Gibbs–Thomson shift −γΩκ/F
(:func:`hemcell.surface.kinetics.capillary_potential_shift_V`) is added every step with
κ the Menger curvature of the surface polyline (:func:`polyline_curvature`, positive at
crests). It enters the kinetics as the equivalent normal stress −γκ
(ΔU = (σ_nn − γκ)Ω/F). Being explicit, it limits the step to
Δt ≤ F²R_ct/(γΩ²k_max²), k_max = π/(shortest surface segment)
(:meth:`TransientRun.capillary_time_step_limit_s`).

Stopping early
--------------
A run ends before ``duration_s`` (``stop_reason`` says why; the steps done so far, the
frames and the fields are written as usual) when

- the surface concentration reaches Sand's time (above);
- a step would fold the surface: it must stay a graph y(x) (no overhangs);
- a step would bring the crest (plus the coating) above
  :data:`TOP_CLEARANCE_FRACTION` of the electrolyte height, the clearance a geometry
  needs to be built at all: the deposit has filled the electrolyte gap;
- a step gives a non-finite surface position or current.

The step that triggers a stop is undone, so every recorded state is a solved one. A
step whose Newton solve fails is retried with half the step; the progress line names
PETSc's reason (:func:`snes_reason_name`, e.g. ``DIVERGED_LINE_SEARCH``).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from hemcell.errors import InputError, SimulationError
from hemcell.surface import forms, kinetics
from hemcell.surface.geometry import (
    Cell,
    Facet,
    SurfaceMesh,
    build_mesh,
    curve_points,
    polyline_normals,
)
from hemcell.surface.parameters import Case, SurfaceParameters
from hemcell.surface.petsc import hold_options

#: Highest crest (plus coating thickness) a run continues with, as a fraction of the
#: electrolyte height: the clearance :class:`~hemcell.surface.geometry.SurfaceMeshSpec`
#: requires of a geometry before it is meshed.
TOP_CLEARANCE_FRACTION = 0.9


def snes_reason_name(reason: int) -> str:
    """PETSc's name of a SNES converged/diverged reason (``-6`` → ``DIVERGED_LINE_SEARCH``).

    Names come from ``petsc4py.PETSc.SNES.ConvergedReason``; an unknown code is
    returned as ``SNES reason <code>``.
    """
    from petsc4py import PETSc

    names = {v: k for k, v in vars(PETSc.SNES.ConvergedReason).items()
             if k.isupper() and isinstance(v, int)}
    return names.get(int(reason), f"SNES reason {reason}")

Scheme = Literal["bdf2", "euler"]

TIMESERIES_COLUMNS: tuple[str, ...] = (
    "time_s",
    "time_step_s",
    "min_surface_concentration_mol_per_m3",
    "min_concentration_x_m",
    "mean_current_density_A_per_m2",
    "max_current_density_A_per_m2",
    "current_focusing_factor",
    "amplitude_m",
    "crest_height_m",
    "li_area_m2_per_m",
    "deposited_area_from_charge_m2_per_m",
    "charge_passed_C_per_m",
    "salt_mol_per_m",
    "newton_iterations",
    "remeshes",
    "max_von_mises_li_Pa",
    "max_von_mises_coating_Pa",
    "tip_normal_stress_Pa",
    "max_abs_coating_membrane_strain",
    "max_capillary_shift_V",
)


@dataclass(frozen=True)
class TransientSettings:
    """Time integration and moving-boundary settings.

    Attributes
    ----------
    duration_s
        End time T.
    time_step_s
        Largest time step.
    initial_time_step_s
        First time step (the step grows by ``step_growth`` per step).
    step_growth
        Growth factor of the step.
    scheme
        ``bdf2`` (variable step) or ``euler``.
    moving_boundary
        Advance the Li surface with the deposition rate.
    remesh_quality_ratio
        Remesh when min quality < ratio × the min quality of the fresh mesh.
    sand_concentration_fraction
        Stop (Sand's time reached) when min surface c < fraction × c_b.
    min_time_step_s
        Smallest step before giving up (SNES failures are retried with halved steps).
    frames
        Number of field snapshots kept for output (0: none; 1: the final state; more:
        evenly spaced from the start to the end). A frame is the first step at or after
        its time; a step that would pass two frame times is cut to end at the first, so
        every frame time has its step (steps shorter than the spacing are not changed).
    """

    duration_s: float
    time_step_s: float
    initial_time_step_s: float
    step_growth: float = 1.5
    scheme: Scheme = "bdf2"
    moving_boundary: bool = True
    remesh_quality_ratio: float = 0.5
    sand_concentration_fraction: float = 1e-3
    min_time_step_s: float = 1e-9
    frames: int = 0

    def __post_init__(self) -> None:
        """Check the settings."""
        for name in ("duration_s", "time_step_s", "initial_time_step_s", "min_time_step_s"):
            v = getattr(self, name)
            if not (math.isfinite(v) and v > 0):
                raise InputError(f"transient {name}", v, "a positive time")
        if self.step_growth < 1:
            raise InputError("transient step_growth", self.step_growth, ">= 1")
        if self.scheme not in ("bdf2", "euler"):
            raise InputError("transient scheme", self.scheme, "bdf2, euler")
        if not 0 < self.remesh_quality_ratio < 1:
            raise InputError("remesh_quality_ratio", self.remesh_quality_ratio, "(0, 1)")
        if not 0 < self.sand_concentration_fraction < 0.5:
            raise InputError("sand_concentration_fraction", self.sand_concentration_fraction,
                             "(0, 0.5)")


@dataclass
class Frame:
    """A snapshot for pictures: surface, concentration samples and current."""

    time_s: float
    surface_x_m: npt.NDArray[np.float64]
    surface_y_m: npt.NDArray[np.float64]
    current_density_A_per_m2: npt.NDArray[np.float64]
    points_m: npt.NDArray[np.float64]
    concentration_mol_per_m3: npt.NDArray[np.float64]


@dataclass
class TransientResult:
    """Time series and summary of a transient run."""

    case: Case
    rows: list[dict[str, float]]
    sand_time_s: float | None
    sand_location_m: tuple[float, float] | None
    final_time_s: float
    steps: int
    remeshes: int
    solve_time_s: float
    dofs: int
    area_correction_max: float
    frames: list[Frame] = field(default_factory=list)
    transport: Any = None
    mesh: SurfaceMesh | None = None
    stop_reason: str = "duration reached"
    mechanics_updates: int = 0
    moving_surface: bool = True

    def column(self, name: str) -> npt.NDArray[np.float64]:
        """One time-series column as an array."""
        return np.array([r[name] for r in self.rows], dtype=np.float64)

    def amplitude_rates(self, skip_fraction: float = 0.2) -> tuple[float, float]:
        """Least-squares d(ln A)/dt [1/s] and dA/dt [m/s] over the run.

        The first ``skip_fraction`` of the duration (the start-up transient of the
        diffusion layer) is left out when enough points remain.
        """
        t, a = self.column("time_s"), self.column("amplitude_m")
        keep = t >= skip_fraction * t[-1]
        if keep.sum() < 3:
            keep = np.ones_like(t, dtype=bool)
        if keep.sum() < 2 or np.any(a[keep] <= 0):
            return 0.0, 0.0
        rate_abs = float(np.polyfit(t[keep], a[keep], 1)[0])
        rate_rel = float(np.polyfit(t[keep], np.log(a[keep]), 1)[0])
        return rate_rel, rate_abs


# ---------------------------------------------------------------------- helpers
def _gather(comm: Any, *arrays: npt.NDArray[np.float64]) -> list[npt.NDArray[np.float64]]:
    """Concatenate per-rank arrays on all ranks."""
    return [np.concatenate(comm.allgather(np.asarray(a, dtype=np.float64))) for a in arrays]


def _node2dof(V: Any) -> npt.NDArray[np.int32]:
    """Map local geometry nodes to the (block) dofs of a P1 space on a P1 mesh."""
    msh = V.mesh
    gdm = msh.geometry.dofmaps[0]
    out = np.full(msh.geometry.x.shape[0], -1, dtype=np.int32)
    out[gdm.ravel()] = V.dofmap.list.ravel()
    return out


def _signed_areas_and_quality(msh: Any) -> tuple[npt.NDArray[np.float64],
                                                  npt.NDArray[np.float64]]:
    """Signed area and shape quality 4√3|K|/Σℓ² (1 = equilateral) of the owned cells."""
    x = msh.geometry.x[:, :2]
    n_owned = msh.topology.index_map(msh.topology.dim).size_local
    tri = x[msh.geometry.dofmaps[0][:n_owned]]
    a, b, c = tri[:, 0], tri[:, 1], tri[:, 2]
    area = 0.5 * ((b[:, 0] - a[:, 0]) * (c[:, 1] - a[:, 1])
                  - (b[:, 1] - a[:, 1]) * (c[:, 0] - a[:, 0]))
    l2 = (np.sum((b - a) ** 2, axis=1) + np.sum((c - b) ** 2, axis=1)
          + np.sum((a - c) ** 2, axis=1))
    return area, 4 * math.sqrt(3) * np.abs(area) / l2


def min_triangle_quality(msh: Any, reference_sign: npt.NDArray[np.float64] | None = None,
                         ) -> float:
    """Minimum over cells of 4√3|K|/Σℓ² (1 = equilateral), global.

    With ``reference_sign`` (the signs of the cells' signed areas on the fresh mesh) an
    inverted cell counts as quality 0.
    """
    from mpi4py import MPI

    area, q = _signed_areas_and_quality(msh)
    if reference_sign is not None:
        q = np.where(np.sign(area) == reference_sign, q, 0.0)
    qmin = float(np.min(q)) if len(q) else 1.0
    return float(msh.comm.allreduce(qmin, op=MPI.MIN))


def polygon_area_under(curve: npt.NDArray[np.float64], bottom_y: float) -> float:
    """Area enclosed by the polyline (x from 0 to W) and the line y = bottom_y."""
    x, y = curve[:, 0], curve[:, 1]
    px = np.concatenate([x, [x[-1], x[0]]])
    py = np.concatenate([y, [bottom_y, bottom_y]])
    return float(0.5 * abs(np.dot(px, np.roll(py, -1)) - np.dot(py, np.roll(px, -1))))


def polyline_curvature(curve: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    r"""Curvature κ [1/m] at the nodes of the Li-surface polyline, positive where the Li
    is convex (a crest), negative in notches.

    Menger curvature of three consecutive nodes (exact for points on a circle; O(h²) on
    a smooth curve with even spacing h),
    :math:`\kappa_j = -2\,(\mathbf a\times\mathbf b)/(|\mathbf a||\mathbf b||\mathbf a+\mathbf b|)`,
    :math:`\mathbf a = P_j - P_{j-1}`, :math:`\mathbf b = P_{j+1} - P_j`; the end nodes
    use their mirror images across the symmetry planes x = 0, W.
    """
    P = np.asarray(curve, dtype=np.float64)
    left = (2 * P[0, 0] - P[1, 0], P[1, 1])
    right = (2 * P[-1, 0] - P[-2, 0], P[-2, 1])
    Q = np.vstack([left, P, right])
    a, b = Q[1:-1] - Q[:-2], Q[2:] - Q[1:-1]
    c = a + b
    cross = a[:, 0] * b[:, 1] - a[:, 1] * b[:, 0]
    norm = np.hypot(*a.T) * np.hypot(*b.T) * np.hypot(*c.T)
    return -2.0 * cross / norm


def arc_length(curve: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Cumulative arc length [m] at the nodes of a polyline (0 at the first node)."""
    return np.concatenate([[0.0], np.cumsum(np.hypot(*np.diff(curve, axis=0).T))])


def surface_displacements(curve: npt.NDArray[np.float64], volumes: npt.NDArray[np.float64],
                          bottom_y: float) -> tuple[npt.NDArray[np.float64], float]:
    """Nodal displacements that sweep the nodal deposited areas ``volumes`` [m²/m].

    Returns the displacements (n, 2) and the global correction factor applied so the
    polygon's area grows by exactly ``volumes.sum()`` (see module docstring).
    """
    P = curve
    N = np.empty_like(P)
    d = np.zeros_like(P)
    N[1:-1] = 0.5 * (P[2:] - P[:-2])
    N[1:-1] = np.column_stack([-N[1:-1, 1], N[1:-1, 0]])
    d[1:-1] = (volumes[1:-1] / np.sum(N[1:-1] ** 2, axis=1))[:, None] * N[1:-1]
    d[0] = (0.0, volumes[0] / (0.5 * (P[1, 0] - P[0, 0])))
    d[-1] = (0.0, volumes[-1] / (0.5 * (P[-1, 0] - P[-2, 0])))
    target = float(volumes.sum())
    a0 = polygon_area_under(P, bottom_y)
    # Area(P + λd) − Area(P) = a1 λ + a2 λ² (exactly quadratic): fit from 3 values.
    f1 = polygon_area_under(P + d, bottom_y) - a0
    fm = polygon_area_under(P - d, bottom_y) - a0
    a1, a2 = 0.5 * (f1 - fm), 0.5 * (f1 + fm)
    if target == 0.0 or a1 == 0.0:
        return d, 1.0
    if abs(a2) < 1e-14 * abs(a1):
        lam = target / a1
    else:
        disc = a1**2 + 4 * a2 * target
        lam = (-a1 + math.copysign(math.sqrt(max(disc, 0.0)), a1)) / (2 * a2)
    return lam * d, lam


# ---------------------------------------------------------------------- mesh motion
class MeshMover:
    """Moves the full mesh (and its two sub-meshes) with a prescribed surface motion."""

    def __init__(self, sm: SurfaceMesh, prefix: str = "hemcell_meshmotion_") -> None:
        import dolfinx_solver  # noqa: F401

        import ufl
        from dolfinx import fem
        from dolfinx.fem.petsc import LinearProblem

        self.sm = sm
        msh = sm.mesh
        tdim = msh.topology.dim
        self.V = fem.functionspace(msh, ("Lagrange", 1, (2,)))
        self.node2dof = _node2dof(self.V)
        self.d = fem.Function(self.V, name="mesh_displacement_m")
        self.d_bc = fem.Function(self.V)
        ft, ct = sm.facet_tags, sm.cell_tags
        msh.topology.create_connectivity(tdim, 0)
        msh.topology.create_connectivity(tdim - 1, 0)
        surf = fem.locate_dofs_topological(self.V, tdim - 1,
                                           ft.indices[ft.values == Facet.LI_SURFACE])
        band = fem.locate_dofs_topological(self.V, tdim, ct.indices[ct.values == Cell.COATING])
        self.moving = np.unique(np.concatenate([surf, band])).astype(np.int32)
        fixed = fem.locate_dofs_topological(
            self.V, tdim - 1, ft.indices[np.isin(ft.values, (Facet.TOP, Facet.BOTTOM))])
        zero = fem.Function(self.V)
        bcs = [fem.dirichletbc(self.d_bc, self.moving), fem.dirichletbc(zero, fixed)]
        Vx, _ = self.V.sub(0).collapse()
        sides = ft.indices[np.isin(ft.values, (Facet.SIDE_ELECTROLYTE, Facet.SIDE_LI,
                                               Facet.SIDE_COATING))]
        side_dofs = fem.locate_dofs_topological((self.V.sub(0), Vx), tdim - 1, sides)
        zx = fem.Function(Vx)
        bcs.append(fem.dirichletbc(zx, side_dofs, self.V.sub(0)))
        self.bcs = bcs
        u, w = ufl.TrialFunction(self.V), ufl.TestFunction(self.V)
        k = 1.0 / ufl.CellVolume(msh)
        a = k * ufl.inner(ufl.grad(u), ufl.grad(w)) * ufl.dx
        L = ufl.inner(fem.Constant(msh, np.zeros(2)), w) * ufl.dx
        options = {"ksp_type": "preonly", "pc_type": "lu", "pc_factor_mat_solver_type": "mumps"}
        self.problem = LinearProblem(a, L, bcs=bcs, u=self.d, petsc_options_prefix=prefix,
                                     petsc_options=options)
        hold_options(self.problem, prefix, options)  # they leave with the problem
        self.coords = self.V.tabulate_dof_coordinates()[:, :2]
        self.reference_sign = np.sign(_signed_areas_and_quality(msh)[0])
        self.reference_quality = min_triangle_quality(msh)
        li_dx = ufl.Measure("dx", domain=msh, subdomain_data=ct)(Cell.LI)
        self._li_area = forms.form(1.0 * li_dx)

    def li_area(self) -> float:
        """Area of the lithium region per unit depth [m²/m] (assembled on the mesh)."""
        from dolfinx import fem
        from mpi4py import MPI

        return float(self.sm.mesh.comm.allreduce(fem.assemble_scalar(self._li_area), op=MPI.SUM))

    def move(self, curve: npt.NDArray[np.float64], disp: npt.NDArray[np.float64],
             dt_s: float, transport: Any) -> None:
        """Move the surface nodes by ``disp`` (given at the polyline ``curve``), extend
        into the domain, update the sub-meshes and the transport mesh velocity."""
        from scipy.spatial import cKDTree

        _, nearest = cKDTree(curve).query(self.coords[self.moving])
        arr = self.d_bc.x.array.reshape(-1, 2)
        arr[:] = 0.0
        arr[self.moving] = disp[nearest]
        self.problem.solve()
        self.d.x.scatter_forward()
        d_nodes = self.d.x.array.reshape(-1, 2)[self.node2dof]
        sm = self.sm
        sm.mesh.geometry.x[:, :2] += d_nodes
        sm.transport.geometry.x[:, :2] = sm.mesh.geometry.x[sm.transport_nodes, :2]
        sm.mechanics.geometry.x[:, :2] = sm.mesh.geometry.x[sm.mechanics_nodes, :2]
        self.coords = self.V.tabulate_dof_coordinates()[:, :2]
        if transport is not None and getattr(transport, "transient", False):
            w = transport.mesh_velocity
            n2d = _node2dof(w.function_space)
            warr = w.x.array.reshape(-1, 2)
            warr[n2d] = d_nodes[sm.transport_nodes] / dt_s
            w.x.scatter_forward()

    def quality_ratio(self) -> float:
        """Current minimum quality relative to the fresh mesh."""
        return (min_triangle_quality(self.sm.mesh, self.reference_sign)
                / self.reference_quality)


# ---------------------------------------------------------------------- the run
class TransientRun:
    """Galvanostatic transient run of one case (see the module docstring)."""

    def __init__(self, sm: SurfaceMesh, p: SurfaceParameters, case: Case,
                 settings: TransientSettings, band_is_electrolyte: bool = False,
                 progress: Callable[[str, float], None] | None = None,
                 on_frame: Callable[[float, Any], None] | None = None) -> None:
        if p.control != "galvanostatic":
            raise InputError("--control", p.control, "galvanostatic (transient runs)")
        self.sm, self.p, self.case, self.s = sm, p, case, settings
        self.band_is_electrolyte = band_is_electrolyte
        self.progress = progress
        self.on_frame = on_frame
        self.remeshes = 0
        self.mechanics_updates = 0
        # coating reference (stress-free) arc length at the Li-surface nodes, sorted by x
        self._ref_arc: npt.NDArray[np.float64] | None = None
        self._membrane = np.zeros(0)
        self._snn_mech: tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]] | None = None
        self._interface: dict[str, npt.NDArray[np.float64]] = {}
        self._setup(sm)

    # -------------------------------------------------------------- set-up
    def _setup(self, sm: SurfaceMesh, previous: Any = None) -> None:
        import ufl

        from hemcell.surface.solver import TransportProblem

        self.sm = sm
        tr = TransportProblem(sm, self.p, self.case, transient=True,
                              prefix=f"hemcell_transient_{self.remeshes}_",
                              reuse_preconditioner=True)  # kept across time steps
        if previous is not None:
            self._transfer(previous, tr)
        self.tr = tr
        self.mover = MeshMover(sm, prefix=f"hemcell_meshmotion_{self.remeshes}_") \
            if self.s.moving_boundary else None
        self.mech = None
        if self.p.mechanics_update_interval > 0:
            from hemcell.surface.mechanics import MechanicsProblem

            self.mech = MechanicsProblem(sm, self.p)
        self._li_area_form = None
        if self.mover is None:
            ct = sm.cell_tags
            li_dx = ufl.Measure("dx", domain=sm.mesh, subdomain_data=ct)(Cell.LI)
            self._li_area_form = forms.form(1.0 * li_dx)
        v = ufl.TestFunction(tr.V1)
        self._nodal_current = forms.form(tr.i_n * v * tr.ds_li)
        # the metal's current (the thin layer's film current also carries H2 evolution)
        self._total_current = forms.form(tr.i_bv * tr.ds_li)
        # aqueous metals: the hydrogen-evolution current beside the metal's
        self._her_current = (forms.form(tr.i_her * tr.ds_li) if tr.i_her is not None
                             else None)
        self._salt = forms.form(ufl.split(tr.u)[0] * tr.c_scale * tr.dx(Cell.ELECTROLYTE))
        self._n2d_tr = _node2dof(tr.V1)

    def _transfer(self, old: Any, new: Any) -> None:
        """Interpolate the concentration history and the current state onto a new mesh.

        P1 interpolation between the non-matching meshes
        (``fem.create_interpolation_data`` + ``Function.interpolate_nonmatching``): each
        new dof position is located in the old mesh on whichever rank owns it, so the
        transfer is the same on any number of ranks. New positions just outside the old
        mesh (the resampled surface cuts convex corners by a sagitta of a few nm) are
        found within a padding of one surface mesh size and take the value of the
        nearest old cell, extended linearly.
        """
        from dolfinx import fem
        from mpi4py import MPI

        from hemcell.surface.solver import collapse

        padding = self.sm.spec.surface_mesh_size_m
        msh = new.msh
        cmap = msh.topology.index_map(msh.topology.dim)
        cells = np.arange(cmap.size_local + cmap.num_ghosts, dtype=np.int32)

        # The interpolation data (the costly search of the old mesh for every new dof
        # position) depend only on the two meshes and the elements, so they are found
        # once per pair of elements, not once per field (the same P1 pair for all).
        found: dict[tuple[Any, Any], Any] = {}

        def interpolate(f_new: Any, f_old: Any) -> None:
            key = (f_new.function_space.ufl_element(), f_old.function_space.ufl_element())
            if key not in found:
                found[key] = fem.create_interpolation_data(
                    f_new.function_space, f_old.function_space, cells, padding=padding)
            f_new.interpolate_nonmatching(f_old, cells, found[key])
            f_new.x.scatter_forward()

        for f_new, f_old in zip(new.c_history, old.c_history, strict=True):
            interpolate(f_new, f_old)
        for sub in range(new.W.num_sub_spaces):
            Vo, po = collapse(old.W.sub(sub))
            Vn, pn = collapse(new.W.sub(sub))
            fo, fn = fem.Function(Vo), fem.Function(Vn)
            fo.x.array[:] = old.u.x.array[po]
            interpolate(fn, fo)
            new.u.x.array[pn] = fn.x.array
        new.u.x.scatter_forward()
        c_new = [new.c_history[0].x.array, new.u.x.array[collapse(new.W.sub(0))[1]]]
        ok = all(bool(np.all(np.isfinite(c)) and np.all(c > 0)) for c in c_new)
        if not msh.comm.allreduce(ok, op=MPI.LAND):
            raise SimulationError("field transfer after remeshing left points without a "
                                  "value (outside the old mesh)", step="remesh")

    # ------------------------------------------------------- interface stress
    def _membrane_strain(self, curve: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        """Membrane strain e = ℓ/ℓ₀ − 1 of the coating per surface segment [-]."""
        s = arc_length(curve)
        if self._ref_arc is None:
            self._ref_arc = s.copy()
        elif len(self._ref_arc) != len(s):  # node count changed: map by arc fraction
            r = self._ref_arc
            self._ref_arc = np.interp(s / s[-1], r / r[-1], r)
        return np.diff(s) / np.diff(self._ref_arc) - 1.0

    def _solve_mechanics(self, curve: npt.NDArray[np.float64], x_m: npt.NDArray[np.float64],
                         current_A_per_m2: npt.NDArray[np.float64]) -> None:
        """Elasticity of Li + coating on the current mesh; keeps σ_nn(x) at the surface."""
        mech = self.mech
        assert mech is not None
        if self.mover is not None:
            mech.update_geometry(curve)
            if self.sm.has_coating:
                self._membrane = self._membrane_strain(curve)
                mech.set_coating_membrane_strain(curve, self._membrane)
        mech.set_growth_current(x_m, current_A_per_m2)
        mech.solve()
        self._snn_mech = mech.surface_normal_stress()
        self.mechanics_updates += 1

    def _update_interface(self, surf: dict[str, Any], step: int, start: bool = False) -> None:
        """Feed σ_nn − γκ into the kinetics: ΔU = σ_nnΩ/F − γΩκ/F at the surface nodes.

        σ_nn comes from the last mechanics solve (re-solved here every
        ``mechanics_update_interval`` steps on the moved mesh; −p without mechanics),
        κ from the current surface polyline (every step).
        """
        p = self.p
        x = surf["x"]
        curve = np.column_stack([x, surf["y"]])
        if self.mech is not None and (start or step % p.mechanics_update_interval == 0):
            # at t = 0 nothing has been deposited: no growth strain yet
            current = np.zeros_like(x) if step == 0 else surf["current_density"]
            self._solve_mechanics(curve, x, current)
        snn = (np.full_like(x, -p.stack_pressure_Pa) if self._snn_mech is None
               else np.interp(x, *self._snn_mech))
        kappa = polyline_curvature(curve)
        omega = p.li_molar_volume_m3_per_mol
        zF = p.charge_per_mole_C_per_mol
        capillary_V = kinetics.capillary_potential_shift_V(kappa, p.surface_energy_J_per_m2,
                                                           omega, zF)
        # the kinetics take ΔU = σΩ/(zF): the capillary shift as an equivalent normal stress
        self.tr.set_normal_stress(x, snn + capillary_V * zF / omega)
        self._interface = {"sigma_nn_Pa": snn, "capillary_shift_V": capillary_V}

    def _stress_columns(self, surf: dict[str, Any]) -> dict[str, float]:
        """Time-series entries of the mechanics and capillarity (collective)."""
        nan = float("nan")
        mech = self.mech
        snn = self._interface.get("sigma_nn_Pa")
        cap = self._interface.get("capillary_shift_V")
        return {
            "max_von_mises_li_Pa": mech.max_von_mises(Cell.LI) if mech else nan,
            "max_von_mises_coating_Pa": (
                mech.max_von_mises(Cell.COATING) if mech and self.sm.has_coating
                else (0.0 if mech else nan)),
            "tip_normal_stress_Pa": (float(snn[int(np.argmax(surf["y"]))])
                                     if snn is not None and len(snn) == len(surf["y"])
                                     else nan),
            "max_abs_coating_membrane_strain": (float(np.max(np.abs(self._membrane)))
                                                if self._membrane.size else 0.0),
            "max_capillary_shift_V": (float(np.max(np.abs(cap))) if cap is not None
                                      and cap.size else 0.0),
        }

    def capillary_time_step_limit_s(self, surf: dict[str, Any]) -> float:
        r"""Largest step for which the explicit (lagged) curvature stays stable [s].

        A surface mode of wavenumber k decays by capillarity at most at
        :math:`\gamma\Omega^2k^2/(F^2R_{ct})` (kinetics-limited, the short-wave limit of
        the linear theory); the step keeps rate × Δt ≤ 1 for the shortest mode the
        polyline carries, k = π/min(segment length).
        """
        p = self.p
        if p.surface_energy_J_per_m2 == 0 or self.mover is None:
            return math.inf
        from mpi4py import MPI

        h = float(np.min(np.hypot(np.diff(surf["x"]), np.diff(surf["y"]))))
        arr = self.tr.i0_field.x.array
        i0_max = self.tr.msh.comm.allreduce(float(np.max(arr)) if arr.size else 0.0,
                                            op=MPI.MAX)
        r_ct = kinetics.linear_charge_transfer_resistance_ohm_m2(p, i0_max)
        rate = (p.surface_energy_J_per_m2 * (p.li_molar_volume_m3_per_mol * math.pi / h) ** 2
                / (p.charge_per_mole_C_per_mol**2 * r_ct))
        return 1.0 / rate

    # -------------------------------------------------------------- observables
    def _assemble(self, form: Any) -> float:
        from dolfinx import fem
        from mpi4py import MPI

        return float(self.tr.msh.comm.allreduce(fem.assemble_scalar(form), op=MPI.SUM))

    def surface_state(self) -> dict[str, npt.NDArray[np.float64]]:
        """Li-surface nodes sorted by x: position, nodal current Q_j [A/m], current density."""
        from dolfinx import fem

        tr = self.tr
        b = fem.assemble_vector(self._nodal_current)
        b.scatter_reverse(_add_mode())
        ft = self.sm.transport_facets
        dofs = fem.locate_dofs_topological(tr.V1, tr.msh.topology.dim - 1,
                                           ft.indices[ft.values == Facet.LI_SURFACE])
        dofs = dofs[dofs < tr.V1.dofmap.index_map.size_local]
        xy = tr.V1.tabulate_dof_coordinates()[dofs, :2]
        x, y, q = _gather(tr.msh.comm, xy[:, 0], xy[:, 1], b.array[dofs])
        order = np.argsort(x, kind="stable")
        x, y, q = x[order], y[order], q[order]
        seg = np.hypot(np.diff(x), np.diff(y))
        w = np.zeros_like(x)
        w[:-1] += 0.5 * seg
        w[1:] += 0.5 * seg
        return {"x": x, "y": y, "nodal_current": q, "current_density": q / w}

    def min_surface_concentration(self) -> tuple[float, float, float]:
        """Minimum electrolyte-side surface concentration [mol/m³] and its (x, y)."""
        tag = Facet.COATING_SURFACE if self.case == "coated" else Facet.LI_SURFACE
        x, y, c = self.tr.surface_nodal(0, tag)
        xg, yg, cg = _gather(self.tr.msh.comm, x, y, c)
        k = int(np.argmin(cg))
        return float(cg[k]), float(xg[k]), float(yg[k])

    def li_area(self) -> float:
        """Li region area per unit depth [m²/m]."""
        if self.mover is not None:
            return self.mover.li_area()
        from dolfinx import fem
        from mpi4py import MPI

        return float(self.sm.mesh.comm.allreduce(fem.assemble_scalar(self._li_area_form),
                                                 op=MPI.SUM))

    def _snapshot(self, t: float, surf: dict[str, Any]) -> Frame:
        tr = self.tr
        from hemcell.surface.solver import collapse

        Vc, parent = collapse(tr.W.sub(0))
        n = Vc.dofmap.index_map.size_local
        xy = Vc.tabulate_dof_coordinates()[:n, :2]
        c = tr.u.x.array[parent[:n]] * tr.c_scale
        if self.case == "coated":  # c is inactive in the coating
            ct = self.sm.transport_cells
            from dolfinx import fem

            coat = fem.locate_dofs_topological(
                Vc, 2, ct.indices[ct.values == Cell.COATING])
            keep = np.ones(n, dtype=bool)
            keep[coat[coat < n]] = False
            xy, c = xy[keep], c[keep]
        px, py, pc = _gather(tr.msh.comm, xy[:, 0], xy[:, 1], c)
        return Frame(t, surf["x"], surf["y"], surf["current_density"],
                     np.column_stack([px, py]), pc)

    def _frame(self, t: float, surf: dict[str, Any]) -> Frame:
        if self.on_frame is not None:
            self.on_frame(t, self.tr)
        return self._snapshot(t, surf)

    # -------------------------------------------------------------- time loop
    def run(self) -> TransientResult:
        """Integrate to ``duration_s`` or to Sand's time, whichever comes first."""
        p, s = self.p, self.s
        t0 = time.perf_counter()
        cb = p.bulk_concentration_mol_per_m3
        omega = p.li_molar_volume_m3_per_mol
        bottom = -self.sm.spec.li_thickness_m
        area0 = self.li_area()
        surf = self.surface_state()
        rows: list[dict[str, float]] = []
        frames: list[Frame] = []
        # frames >= 2: evenly from t = 0 to the end; one frame: the final state
        frame_times = np.linspace(0, s.duration_s, s.frames) if s.frames > 1 else \
            np.array([s.duration_s] if s.frames == 1 else [])
        next_frame = 0
        charge = 0.0
        t, dt, dt_prev = 0.0, s.initial_time_step_s, None
        last: tuple[float, float] | None = None  # (t, c_min) of the previous step
        sand_t: float | None = None
        sand_xy: tuple[float, float] | None = None
        steps, corr_max = 0, 0.0
        stop_reason = "duration reached"

        def record(t_now: float, dt_now: float, its: int) -> None:
            nonlocal surf
            cmin, xmin, _ = self.min_surface_concentration()
            i_tot = self._assemble(self._total_current)
            length = float(np.sum(np.hypot(np.diff(surf["x"]), np.diff(surf["y"]))))
            mean_i = i_tot / length
            # nodal Butler–Volmer values, as in the steady metrics
            i_nodes = self.tr.surface_samples().current_density_A_per_m2
            rows.append({
                "time_s": t_now, "time_step_s": dt_now,
                "min_surface_concentration_mol_per_m3": cmin, "min_concentration_x_m": xmin,
                "mean_current_density_A_per_m2": mean_i,
                "max_current_density_A_per_m2": float(np.max(i_nodes)),
                "current_focusing_factor": (float(np.max(i_nodes)) / mean_i if mean_i != 0
                                            else float("nan")),
                "amplitude_m": 0.5 * float(np.ptp(surf["y"])),
                "crest_height_m": float(np.max(surf["y"])),
                "li_area_m2_per_m": self.li_area(),
                "deposited_area_from_charge_m2_per_m":
                    area0 + charge * omega / p.charge_per_mole_C_per_mol,
                "charge_passed_C_per_m": charge,
                "salt_mol_per_m": self._assemble(self._salt),
                "newton_iterations": float(its), "remeshes": float(self.remeshes),
                **self._stress_columns(surf),
            })
            if self._her_current is not None:
                i_her = self._assemble(self._her_current)
                rows[-1]["her_current_fraction"] = i_her / (i_her + i_tot)

        # t = 0: geometry and concentration only (the current columns of this row come
        # from the initial guess, uniform Butler–Volmer at c_b).
        surf = self.surface_state()
        self._update_interface(surf, 0, start=True)
        record(0.0, 0.0, 0)
        dt = min(dt, self.capillary_time_step_limit_s(surf))
        if s.frames > 1:
            frames.append(self._frame(0.0, surf))
            next_frame = 1
        while t < s.duration_s * (1 - 1e-12):
            dt = min(dt, s.duration_s - t)
            if next_frame + 1 < frame_times.size \
                    and t + dt >= frame_times[next_frame + 1] - 1e-9 * s.duration_s:
                dt = frame_times[next_frame] - t  # reach one frame time per step at most
            saved = self.tr.u.x.array.copy()
            bdf2 = s.scheme == "bdf2" and dt_prev is not None
            self.tr.set_time_step(dt, dt_prev if bdf2 else None)
            reason, its = self.tr._snes_solve()
            if reason <= 0:
                self.tr.u.x.array[:] = saved
                self.tr.u.x.scatter_forward()
                dt *= 0.5
                if self.progress:
                    self.progress(f"{self.case}: step failed at t = {t:.6g} s "
                                  f"({snes_reason_name(reason)}); retrying with "
                                  f"dt = {dt:.3g} s", float("nan"))
                if dt < s.min_time_step_s:
                    if last is not None and last[1] < 0.05 * cb:
                        sand_t, sand_xy = self._extrapolate_sand(rows), self._sand_xy()
                        stop_reason = "Sand's time"
                        break
                    raise SimulationError(
                        f"transient transport step failed at t = {t:.6g} s "
                        f"({snes_reason_name(reason)}) with a step below "
                        f"{s.min_time_step_s:g} s",
                        step="transient", hint="the surface may be depleted: lower the "
                        "current or check the mesh resolution near the surface")
                continue
            steps += 1
            t += dt
            surf = self.surface_state()
            i_total = float(np.sum(surf["nodal_current"]))
            charge += i_total * dt
            stop = self._step_stop(surf, None, t)
            if stop is None and self.mover is not None:
                vols = surf["nodal_current"] * omega * dt / p.charge_per_mole_C_per_mol
                curve = np.column_stack([surf["x"], surf["y"]])
                disp, lam = surface_displacements(curve, vols, bottom)
                stop = self._step_stop(surf, curve + disp, t)
            if stop is not None:  # undo the step: every recorded state is a solved one
                stop_reason = stop
                t -= dt
                steps -= 1
                charge -= i_total * dt
                self.tr.u.x.array[:] = saved
                self.tr.u.x.scatter_forward()
                surf = self.surface_state()
                if self.progress:
                    self.progress(f"{self.case}: stopped, {stop_reason}", float("nan"))
                break
            if self.mover is not None:
                corr_max = max(corr_max, abs(lam - 1.0))
                self.mover.move(curve, disp, dt, self.tr)
                surf = self.surface_state()
            self._update_interface(surf, steps)
            self.tr.push_history()
            record(t, dt, its)
            cmin = rows[-1]["min_surface_concentration_mol_per_m3"]
            if self.progress:
                self.progress(f"{self.case}: t = {t:.4g} s, c_min = {cmin:.4g} mol/m3, "
                              f"amplitude = {rows[-1]['amplitude_m'] * 1e6:.4g} um", t)
            if frame_times.size and next_frame < frame_times.size \
                    and t >= frame_times[next_frame] - 1e-9 * s.duration_s:
                frames.append(self._frame(t, surf))
                while next_frame < frame_times.size and frame_times[next_frame] <= t * (1 + 1e-9):
                    next_frame += 1
            if cmin < s.sand_concentration_fraction * cb:
                sand_t, sand_xy = self._extrapolate_sand(rows), self._sand_xy()
                stop_reason = "Sand's time"
                break
            dt_prev = dt
            dt = min(dt * s.step_growth, s.time_step_s, self.capillary_time_step_limit_s(surf))
            if last is not None and cmin < last[1]:
                slope = (cmin - last[1]) / (t - last[0])
                to_zero = cmin / -slope
                if to_zero < dt:
                    dt = max(0.5 * to_zero, s.min_time_step_s)
            last = (t, cmin)
            trigger = self._remesh_trigger(surf) if self.mover is not None else None
            if trigger is not None:
                reason = self._remesh(surf, trigger)
                if reason is not None:
                    stop_reason = f"{reason} (t = {t:.4g} s)"
                    if self.progress:
                        self.progress(f"{self.case}: stopped, {stop_reason}", float("nan"))
                    break
                surf = self.surface_state()
                self._update_interface(surf, steps, start=True)
        tr = self.tr
        dofs = tr.W.dofmap.index_map.size_global * tr.W.dofmap.index_map_bs
        if frame_times.size and (not frames or frames[-1].time_s < t):
            frames.append(self._frame(t, surf))
        return TransientResult(self.case, rows, sand_t, sand_xy, t, steps, self.remeshes,
                               time.perf_counter() - t0, int(dofs), corr_max, frames,
                               tr, self.sm, stop_reason, self.mechanics_updates,
                               moving_surface=self.s.moving_boundary)

    def _step_stop(self, surf: dict[str, Any], moved: npt.NDArray[np.float64] | None,
                   t: float) -> str | None:
        """Why the run must stop at this step (see "Stopping early"), or ``None``.

        Parameters
        ----------
        surf
            The surface state after the transport solve (:meth:`surface_state`).
        moved
            The surface polyline after this step's motion, or ``None`` (not moved yet,
            or a fixed surface).
        t
            Time at the end of the step [s].
        """
        if moved is None:
            bad = [k for k in ("x", "y", "nodal_current") if not np.all(np.isfinite(surf[k]))]
            return (f"non-finite surface {', '.join(bad)} in the step to t = {t:.4g} s"
                    if bad else None)
        if not np.all(np.isfinite(moved)):
            return f"non-finite surface position in the step to t = {t:.4g} s"
        if np.any(np.diff(moved[:, 0]) <= 0):
            # Normal motion has driven a concave notch into a cusp: the surface would
            # fold over itself (no surface energy in the model).
            k = int(np.argmin(np.diff(moved[:, 0])))
            return f"surface fold (cusp) at x = {surf['x'][k] * 1e6:.3f} um, t = {t:.4g} s"
        spec = self.sm.spec
        crest = float(np.max(moved[:, 1])) + spec.coating_thickness_m
        limit = TOP_CLEARANCE_FRACTION * spec.electrolyte_height_m
        if crest >= limit:
            return (f"surface reached the top of the electrolyte domain: crest + coating "
                    f"{crest * 1e6:.4g} um >= {limit * 1e6:.4g} um "
                    f"({TOP_CLEARANCE_FRACTION:g} of the {spec.electrolyte_height_m * 1e6:.4g}"
                    f" um electrolyte height) in the step to t = {t:.4g} s")
        return None

    def _sand_xy(self) -> tuple[float, float]:
        _, x, y = self.min_surface_concentration()
        return (x, y)

    @staticmethod
    def _extrapolate_sand(rows: list[dict[str, float]]) -> float:
        """Linear extrapolation of the minimum surface concentration to zero."""
        key = "min_surface_concentration_mol_per_m3"
        if len(rows) < 2:
            return rows[-1]["time_s"]
        (t1, c1), (t2, c2) = ((r["time_s"], r[key]) for r in rows[-2:])
        if c2 >= c1:
            return t2
        return t2 + c2 * (t2 - t1) / (c1 - c2)

    def _remesh_trigger(self, surf: dict[str, Any]) -> str | None:
        """Why the moved mesh must be rebuilt, for the progress line, or ``None``.

        Either the worst triangle's quality fell below ``remesh_quality_ratio`` of the
        fresh mesh's, or a surface segment shrank below ``remesh_quality_ratio`` ×
        ``surface_mesh_size`` (nodes crowd in a deepening trough while the triangles stay
        good: the default sinusoid at 1 mA/cm² remeshed at quality ratio 0.621 after
        585 s, and the line said only "quality ratio 0.621"). Both are named when both hold.
        """
        ratio = self.s.remesh_quality_ratio
        quality = self.mover.quality_ratio()
        size_m = self.sm.spec.surface_mesh_size_m
        shortest_m = float(np.min(np.hypot(np.diff(surf["x"]), np.diff(surf["y"]))))
        why = []
        if quality < ratio:
            why.append(f"quality ratio {quality:.3g} < remesh_quality_ratio {ratio:g}")
        if shortest_m < ratio * size_m:
            why.append(f"shortest surface segment {shortest_m * 1e6:.3g} um < "
                       f"remesh_quality_ratio {ratio:g} x surface_mesh_size "
                       f"{size_m * 1e6:.3g} um")
        return "; ".join(why) or None

    def _remesh(self, surf: dict[str, Any], trigger: str) -> str | None:
        """Regenerate the mesh from the current surface polyline; carry the fields over.

        ``trigger`` (:meth:`_remesh_trigger`) is named in the progress line. Returns a
        stop reason instead when the coating band cannot be built (its normal offset folds
        over itself at a cusp sharper than the coating thickness).
        """
        curve = np.column_stack([surf["x"], surf["y"]])
        # Resample as gmsh will (evenly in arc length) and shift the new polyline
        # vertically so that the Li area, i.e. the deposited volume, is unchanged
        # (chords of a resampled curve cut its convex corners).
        spec = self.sm.spec
        length = float(np.sum(np.hypot(*np.diff(curve, axis=0).T)))
        n = max(8, math.ceil(length / spec.surface_mesh_size_m)) + 1
        bottom = -spec.li_thickness_m
        new_curve, _ = curve_points(curve, n)
        if self._ref_arc is not None:  # the coating's reference length moves with it
            s_old = arc_length(curve)
            self._ref_arc = np.interp(np.linspace(0.0, s_old[-1], n), s_old, self._ref_arc)
        new_curve[:, 1] += (polygon_area_under(curve, bottom)
                            - polygon_area_under(new_curve, bottom)) / spec.width_m
        curve = new_curve
        h = spec.coating_thickness_m
        if h > 0:
            outer = curve + h * polyline_normals(curve)
            quad = _quad_areas(curve, outer)
            if np.any(np.diff(outer[:, 0]) <= 0) or np.any(quad <= 0):
                k = int(np.argmin(quad))
                if not self.band_is_electrolyte:
                    return (f"cusp sharper than the coating thickness at x = "
                            f"{curve[k, 0] * 1e6:.3f} um: the coating band cannot be "
                            "remeshed")
                # Bare Li on the coated case's mesh: the band is only electrolyte, so
                # drop it from here on.
                import dataclasses

                spec = dataclasses.replace(spec, coating_thickness_m=0.0)
                self.band_is_electrolyte = False
                if self.progress:
                    self.progress(f"{self.case}: cusp at x = {curve[k, 0] * 1e6:.3f} um; "
                                  "meshing without the (electrolyte) coating band",
                                  float("nan"))
        if self.progress:
            self.progress(f"{self.case}: remeshing ({trigger})", float("nan"))
        new = build_mesh(spec, self.sm.mesh.comm,
                         band_is_electrolyte=self.band_is_electrolyte, surface_curve=curve)
        old = self.tr
        self.remeshes += 1
        self._setup(new, previous=old)
        return None


def _quad_areas(inner: npt.NDArray[np.float64], outer: npt.NDArray[np.float64],
                ) -> npt.NDArray[np.float64]:
    """Signed areas of the quadrilaterals P_i P_i+1 Q_i+1 Q_i (positive when valid)."""
    p0, p1, q1, q0 = inner[:-1], inner[1:], outer[1:], outer[:-1]
    xs = np.stack([p0[:, 0], p1[:, 0], q1[:, 0], q0[:, 0]], axis=1)
    ys = np.stack([p0[:, 1], p1[:, 1], q1[:, 1], q0[:, 1]], axis=1)
    return 0.5 * np.sum(xs * np.roll(ys, -1, axis=1) - ys * np.roll(xs, -1, axis=1), axis=1)


def _add_mode() -> Any:
    from dolfinx.la import InsertMode

    return InsertMode.add


def run_transient(sm: SurfaceMesh, p: SurfaceParameters, case: Case, settings: TransientSettings,
                  band_is_electrolyte: bool = False,
                  progress: Callable[[str, float], None] | None = None,
                  on_frame: Callable[[float, Any], None] | None = None) -> TransientResult:
    """Convenience wrapper: :class:`TransientRun` ``(...).run()``.

    ``progress(message, t)`` is called after every step; ``on_frame(t, transport)`` at
    the ``settings.frames`` snapshot times (e.g. to write VTX fields).
    """
    return TransientRun(sm, p, case, settings, band_is_electrolyte, progress, on_frame).run()
