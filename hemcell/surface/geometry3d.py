r"""3D geometry and mesh of the lithium surface cell (gmsh → DOLFINx), ``--dim 3``.

The 3D cell is the square column :math:`[0, W]^2` of the 2D cell (same
:class:`~hemcell.surface.geometry.GeometrySpec` lengths): electrolyte of height
:math:`H` above the Li surface :math:`z = s(x, y)`, lithium of depth :math:`H_{Li}`
below. The four sides are symmetry planes (zero flux), as the sides of the 2D cell.

- ``flat``: :math:`s = 0`.
- ``nucleus``: the 2D nucleus profile (hemispherical cap of radius :math:`R` with a
  concave fillet of radius :math:`r_f`) revolved about the vertical axis through the
  cell centre, :math:`s = s_{2D}(r)`, :math:`r = |(x, y) - (W/2, W/2)|`; built with the
  OpenCASCADE kernel (a revolved solid fused with the Li slab).
- ``random``: a seeded random height field with the spectrum of the 2D ``random``
  surface: :math:`s = \sum_{m,n} a_{mn}\cos(\pi m x/W)\cos(\pi n y/W)`,
  :math:`0 \le m, n \le M` (not both 0), independent Gaussian :math:`a_{mn}` of variance
  :math:`\propto\exp(-(|k|\ell)^2/4)`, :math:`|k| = \pi\sqrt{m^2 + n^2}/W`, rescaled to
  an rms height of exactly :math:`A` (``amplitude_m``); zero slope across the four
  symmetry planes. The flat cell is meshed and its nodes are moved vertically,
  :math:`z' = z + s(x, y)(1 - z/H)` above and :math:`z' = z + s(x, y)(1 + z/H_{Li})`
  below the surface, so the surface nodes lie on :math:`s` and the graded layers
  follow it.

The resolved coating (an nm-thin band) is not meshed in 3D: the coated case is the
thin-layer condition (``coated_thin``). Tags are those of the 2D mesh
(:class:`~hemcell.surface.geometry.Cell`, :class:`~hemcell.surface.geometry.Facet`);
the mesh is graded by a gmsh distance field from the Li surface, as in 2D.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from hemcell.errors import InputError
from hemcell.surface.geometry import (
    _UM,
    SET_NAMES,
    Cell,
    Facet,
    GeometrySpec,
    SurfaceMesh,
    _nucleus_profile,
    _um,
    mesh_from_gmsh,
)

if TYPE_CHECKING:  # pragma: no cover
    from mpi4py import MPI

GEOMETRIES_3D: tuple[str, ...] = ("flat", "nucleus", "random")
# Facets the 3D run reads (the transport boundary conditions, the surface output and
# metrics); the side planes are zero-flux (natural) and, like the Li bottom, untagged.
FACETS_3D: tuple[int, ...] = (Facet.LI_SURFACE, Facet.TOP)
# Cells the 3D run reads: the electrolyte (the transport domain; no mechanics in 3D).
REGIONS_3D: tuple[int, ...] = (Cell.ELECTROLYTE,)


def check_spec_3d(spec: GeometrySpec, mesh_sizes_m: Mapping[str, float] | None = None,
                  set_names: Mapping[str, str] | None = None) -> GeometrySpec:
    """The 3D cell's geometry, checked: ``spec`` with ``mesh_sizes_m`` (field → value [m],
    the 3D mesh sizes) in place of its own; :class:`InputError` if it cannot be meshed in
    3D.

    ``set_names`` (field → the ``--set`` name a 3D run reads it from, e.g.
    ``surface_mesh_size_m`` → ``surface_mesh_size_3d``) are the names every check gives,
    the 2D geometry's (:class:`~hemcell.surface.geometry.GeometrySpec`) included: a 3D
    run refuses the 2D mesh sizes as unread, so a message naming them pointed at a value
    the run does not read.
    """
    names = {**SET_NAMES, **(set_names or {})}
    if mesh_sizes_m or set_names:
        spec = dataclasses.replace(spec, **(mesh_sizes_m or {}), set_names=set_names)
    if spec.kind not in GEOMETRIES_3D:
        raise InputError("--geometry (with --dim 3)", spec.kind, ", ".join(GEOMETRIES_3D))
    if spec.coated:
        raise InputError("--case (with --dim 3)", "coated",
                         "bare, coated_thin (the resolved nm coating is 2D only)")
    if spec.kind == "random":
        x = np.linspace(0.0, spec.width_m, 65)
        X, Y = np.meshgrid(x, x)
        s = height_m(spec, X.ravel(), Y.ravel())
        if not (s.min() > -spec.li_thickness_m and s.max() < 0.9 * spec.electrolyte_height_m):
            raise InputError(names["amplitude_m"], _um(spec.amplitude_m),
                             "a roughness inside the Li domain and well below the top")
    return spec


#: Points per side of the grid on which the 3D ``random`` surface's principal curvatures
#: are evaluated (:func:`smallest_trough_radius_3d_m`): 1025² points, spacing W/1024; on the
#: default surface (W = 10 um, l = 1 um, seeds 0-3) the radius moves by < 0.7 % from 1025
#: to 2049 points.
CURVATURE_GRID_POINTS = 1025


def smallest_trough_radius_3d_m(spec: GeometrySpec) -> float:
    r"""Smallest principal radius of curvature [m] of the 3D metal surface where it is concave
    seen from the electrolyte (a trough), ``inf`` where it is nowhere concave (``flat``);
    :class:`~hemcell.errors.InputError` for a geometry that has no 3D cell.

    For the graph :math:`z = s(x, y)` with the normal into the electrolyte, the principal
    curvatures are the eigenvalues of the shape operator :math:`I^{-1} II`, with Gaussian
    and mean curvature (do Carmo, *Differential Geometry of Curves and Surfaces*, §3-3)

    .. math::

        K = \frac{s_{xx}s_{yy} - s_{xy}^2}{w^4},\qquad
        H = \frac{(1 + s_y^2)s_{xx} - 2s_x s_y s_{xy} + (1 + s_x^2)s_{yy}}{2w^3},\qquad
        w = \sqrt{1 + s_x^2 + s_y^2},

    the larger :math:`\kappa_1 = H + \sqrt{H^2 - K}` (positive in a trough, the sign of
    the 2D :math:`\kappa = y''/(1 + y'^2)^{3/2}`,
    :meth:`~hemcell.surface.geometry.GeometrySpec.smallest_trough_radius_m`). ``random``:
    the derivatives of the cosine series, exact, on a grid of
    :data:`CURVATURE_GRID_POINTS`² points. ``nucleus``: the fillet's radius :math:`r_f`
    (its meridional curvature; the azimuthal one, :math:`s'(r)/(r w)`, is convex there,
    :math:`s' < 0`, and the cap is convex).
    """
    if spec.kind == "flat":
        return math.inf
    if spec.kind == "nucleus":
        return spec.fillet_radius_m
    if spec.kind != "random":
        raise InputError("--geometry (with --dim 3)", spec.kind, ", ".join(GEOMETRIES_3D))
    k, a = random_modes_3d(spec)
    x = np.linspace(0.0, spec.width_m, CURVATURE_GRID_POINTS)
    c, s = np.cos(np.multiply.outer(x, k)), np.sin(np.multiply.outer(x, k))
    sk, ckk = s * k, c * k**2
    sx, sy = -sk @ a @ c.T, -c @ a @ sk.T  # rows x, columns y
    sxx, syy, sxy = -ckk @ a @ c.T, -c @ a @ ckk.T, sk @ a @ sk.T
    w2 = 1.0 + sx**2 + sy**2
    gauss = (sxx * syy - sxy**2) / w2**2
    mean = ((1.0 + sy**2) * sxx - 2.0 * sx * sy * sxy + (1.0 + sx**2) * syy) / (2.0 * w2**1.5)
    peak = float(np.max(mean + np.sqrt(np.maximum(mean**2 - gauss, 0.0))))
    return 1.0 / peak if peak > 0 else math.inf


def random_modes_3d(spec: GeometrySpec) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Wavenumbers k_m = πm/W (m = 0…M) and amplitudes a_mn of the 3D ``random`` surface.

    ``M`` is ``roughness_modes``; the rms of the field over the cell is ``amplitude_m``
    (mean square of a_mn cos cos is a_mn² f_m f_n with f_0 = 1, f_m = 1/2).
    """
    m = np.arange(spec.roughness_modes + 1)
    k = np.pi * m / spec.width_m
    kk = np.hypot.outer(k, k)
    var = np.exp(-((kk * spec.roughness_correlation_length_m) ** 2) / 4)
    var[0, 0] = 0.0
    a = np.random.default_rng(spec.roughness_seed).standard_normal(kk.shape) * np.sqrt(var)
    f = np.where(m == 0, 1.0, 0.5)
    rms = math.sqrt(float(np.sum(a**2 * np.multiply.outer(f, f))))
    return k, a * (spec.amplitude_m / rms if rms > 0 else 0.0)


def height_m(spec: GeometrySpec, x_m: npt.ArrayLike, y_m: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """Height :math:`s(x, y)` [m] of the Li surface (``flat``, ``nucleus``, ``random``)."""
    x = np.asarray(x_m, dtype=np.float64)
    y = np.asarray(y_m, dtype=np.float64)
    if spec.kind == "flat":
        return np.zeros_like(x)
    if spec.kind == "nucleus":
        r = np.hypot(x - 0.5 * spec.width_m, y - 0.5 * spec.width_m)
        return _nucleus_profile(r, spec.nucleus_radius_m, spec.fillet_radius_m)[0]
    if spec.kind == "random":
        k, a = random_modes_3d(spec)
        out = np.empty(x.shape)
        xf, yf, of = x.ravel(), y.ravel(), out.ravel()
        for i in range(0, xf.size, 50_000):  # bounded memory on large meshes
            sl = slice(i, i + 50_000)
            cx = np.cos(np.multiply.outer(xf[sl], k))
            cy = np.cos(np.multiply.outer(yf[sl], k))
            of[sl] = np.sum((cx @ a) * cy, axis=1)
        return out
    raise InputError("--geometry (with --dim 3)", spec.kind, ", ".join(GEOMETRIES_3D))


def tip_xy_m(spec: GeometrySpec) -> tuple[float, float]:
    """Lateral position of the crest: the cell centre, or the highest point of ``random``."""
    if spec.kind == "random":
        x = np.linspace(0.0, spec.width_m, 201)
        X, Y = np.meshgrid(x, x)
        s = height_m(spec, X.ravel(), Y.ravel())
        j = int(np.argmax(s))
        return float(X.ravel()[j]), float(Y.ravel()[j])
    return 0.5 * spec.width_m, 0.5 * spec.width_m


def projected_area_m2(spec: GeometrySpec) -> float:
    """Projected (plan) area W² of the cell [m²]."""
    return spec.width_m**2


def _nucleus_solid(spec: GeometrySpec, occ: Any) -> list[tuple[int, int]]:
    """The revolved nucleus (cap + fillet) as an OCC solid, centred in the cell (µm)."""
    R = spec.nucleus_radius_m / _UM
    rf = spec.fillet_radius_m / _UM
    xf = math.sqrt((R + rf) ** 2 - rf**2)
    x_tan = xf * R / (R + rf)
    z_tan = math.sqrt(R**2 - x_tan**2)
    origin = occ.addPoint(0, 0, 0)
    top = occ.addPoint(0, 0, R)
    tangent = occ.addPoint(x_tan, 0, z_tan)
    centre_f = occ.addPoint(xf, 0, rf)
    foot = occ.addPoint(xf, 0, 0)
    cap = occ.addCircleArc(top, origin, tangent)
    fillet = occ.addCircleArc(tangent, centre_f, foot)
    base = occ.addLine(foot, origin)
    axis = occ.addLine(origin, top)
    face = occ.addPlaneSurface([occ.addCurveLoop([cap, fillet, base, axis])])
    solid = [d for d in occ.revolve([(2, face)], 0, 0, 0, 0, 0, 1, 2 * math.pi) if d[0] == 3]
    half = 0.5 * spec.width_m / _UM
    occ.translate(solid, half, half, 0)
    return solid


def _build_gmsh_model_3d(spec: GeometrySpec, gmsh: Any) -> None:
    """OCC model of the 3D cell with physical groups, meshed (µm)."""
    occ = gmsh.model.occ
    W = spec.width_m / _UM
    H = spec.electrolyte_height_m / _UM
    HL = spec.li_thickness_m / _UM
    li = [(3, occ.addBox(0, 0, -HL, W, W, HL))]
    if spec.kind == "nucleus":
        li += _nucleus_solid(spec, occ)  # a separate Li volume, conforming after fragment
    el = [(3, occ.addBox(0, 0, 0, W, W, H))]
    occ.fragment(li, el)
    occ.synchronize()
    vols = [t for _, t in gmsh.model.getEntities(3)]
    # the electrolyte is the volume that reaches the top; the slab and nucleus are Li
    el_vols = [v for v in vols if gmsh.model.getBoundingBox(3, v)[5] > 0.99 * H]
    li_vols = [v for v in vols if v not in el_vols]

    def boundary(volumes: list[int]) -> set[int]:
        return {abs(t) for _, t in gmsh.model.getBoundary([(3, v) for v in volumes],
                                                          combined=False, oriented=False)}

    b_li, b_el = boundary(li_vols), boundary(el_vols)
    interface = sorted(b_li & b_el)
    b_li = b_li - (boundary(li_vols[:1]) & boundary(li_vols[1:]))  # slab/nucleus face
    tol = 1e-6 * max(W, H)

    def where(surfs: set[int], test: Any) -> list[int]:
        out = []
        for s in sorted(surfs):
            x0, y0, z0, x1, y1, z1 = gmsh.model.getBoundingBox(2, s)
            if test(x0, y0, z0, x1, y1, z1):
                out.append(s)
        return out

    def side(x0: float, y0: float, z0: float, x1: float, y1: float, z1: float) -> bool:
        return any(abs(a - b) < tol and (abs(a) < tol or abs(a - W) < tol)
                   for a, b in ((x0, x1), (y0, y1)))

    top = where(b_el, lambda x0, y0, z0, x1, y1, z1: abs(z0 - H) < tol and abs(z1 - H) < tol)
    bottom = where(b_li, lambda x0, y0, z0, x1, y1, z1: abs(z0 + HL) < tol and abs(z1 + HL) < tol)
    side_el = where(b_el - set(interface), side)
    side_li = where(b_li - set(interface), side)

    fld = gmsh.model.mesh.field
    dist = fld.add("Distance")
    fld.setNumbers(dist, "SurfacesList", interface)
    fld.setNumber(dist, "Sampling", 30)
    thr = fld.add("Threshold")
    fld.setNumber(thr, "InField", dist)
    fld.setNumber(thr, "SizeMin", spec.surface_mesh_size_m / _UM)
    fld.setNumber(thr, "SizeMax", spec.far_mesh_size_m / _UM)
    fld.setNumber(thr, "DistMin", 0.5 * spec.surface_mesh_size_m / _UM)
    fld.setNumber(thr, "DistMax", spec.grading_distance_m / _UM)
    fld.setAsBackgroundMesh(thr)
    gmsh.option.setNumber("Mesh.MeshSizeExtendFromBoundary", 0)
    gmsh.option.setNumber("Mesh.MeshSizeFromPoints", 0)
    gmsh.option.setNumber("Mesh.MeshSizeFromCurvature", 0)
    gmsh.option.setNumber("Mesh.Algorithm", 6)
    gmsh.option.setNumber("Mesh.Algorithm3D", 10)  # HXT (fast Delaunay)

    pg = gmsh.model.addPhysicalGroup
    pg(3, el_vols, Cell.ELECTROLYTE, name="electrolyte")
    pg(3, li_vols, Cell.LI, name="li")
    pg(2, interface, Facet.LI_SURFACE, name="li_surface")
    pg(2, top, Facet.TOP, name="top")
    pg(2, bottom, Facet.BOTTOM, name="bottom")
    pg(2, side_el, Facet.SIDE_ELECTROLYTE, name="side_electrolyte")
    pg(2, side_li, Facet.SIDE_LI, name="side_li")
    gmsh.model.mesh.generate(3)


def build_mesh_3d(spec: GeometrySpec, comm: MPI.Comm | None = None) -> SurfaceMesh:
    """Mesh the 3D cell with gmsh on rank 0 and distribute it with DOLFINx.

    gmsh meshes the whole cell (Li and electrolyte, so the electrolyte tetrahedra are
    those of the conforming two-region mesh), but only the electrolyte cells are kept
    and distributed: the returned mesh is the transport mesh itself (``mesh`` and
    ``transport`` are the same object), with the 2D tags (facets: :data:`FACETS_3D`
    only; no mechanics sub-mesh: mechanics is 2D only). The kept gmsh arrays are cached
    (:mod:`hemcell.surface.mesh_cache`), and on ``MPI.COMM_WORLD`` (``comm`` None) the
    last mesh built is reused in the process (the same object: 3D runs never move it).
    ``random`` surfaces are applied by moving the nodes of the flat cell (see the module
    docstring); the map does not depend on the partition.
    """
    from hemcell.surface import mesh_cache

    check_spec_3d(spec)
    key = mesh_cache.mesh_key("3d", spec, facets=FACETS_3D, regions=REGIONS_3D)
    sm = mesh_cache.recall(key) if comm is None else None
    if sm is not None:
        return sm
    H, HL = spec.electrolyte_height_m, spec.li_thickness_m

    def lift(x: npt.NDArray[np.float64]) -> None:
        s = height_m(spec, x[:, 0], x[:, 1])
        z = x[:, 2]
        x[:, 2] = np.where(z >= 0, z + s * (1 - z / H), z + s * (1 + z / HL))

    sm = mesh_from_gmsh(spec, lambda gmsh: _build_gmsh_model_3d(spec, gmsh), comm, gdim=3,
                        has_coating=False, transform=lift if spec.kind == "random" else None,
                        facets=FACETS_3D, with_mechanics=False, regions=REGIONS_3D,
                        cache_key=key)
    if comm is None:
        mesh_cache.remember(key, sm)
    return sm
