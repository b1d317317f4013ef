r"""Geometry and mesh of the lithium surface cell (gmsh → DOLFINx).

The 2D domain is a periodic cell of width :math:`W` (one wavelength):

.. code-block:: text

      y = H      ┌──────────────── TOP (counter boundary) ───────────────┐
                 │                                                       │
                 │                 ELECTROLYTE (cell tag 1)              │ SIDE_ELECTROLYTE
                 │                                                       │
      y ≈ s(x)+h ├~~~~~~~~~~~~~~ COATING_SURFACE (coating/electrolyte) ~~┤
                 │             COATING (cell tag 3), thickness h         │ SIDE_COATING
      y = s(x)   ├~~~~~~~~~~~~~~ LI_SURFACE (Li/electrolyte or Li/coating)┤
                 │                    LI (cell tag 2)                    │ SIDE_LI
      y = -H_Li  └──────────────────── BOTTOM ───────────────────────────┘

The Li surface is the curve :math:`y = s(x)`:

- ``flat``: :math:`s = 0`;
- ``sinusoid``: :math:`s = -A\cos(2\pi x/\lambda)` (a crest of height :math:`A` at the
  centre, troughs on the sides, zero slope at the sides);
- ``nucleus``: a hemispherical cap of radius :math:`R` centred at :math:`x = W/2`,
  joined to the flat surface by a concave fillet of radius :math:`r_f` so that the
  surface is :math:`C^1` and its conformal offset (the coating) is well defined;
- ``random``: seeded random roughness, a cosine series
  :math:`s = \sum_m a_m\cos(\pi m x/W)` (zero slope at the symmetry planes x = 0, W)
  with independent Gaussian :math:`a_m` of variance
  :math:`\propto\exp(-(k_m\ell)^2/4)`, :math:`k_m = \pi m/W` (a Gaussian spectrum of
  correlation length ℓ), rescaled so that the rms height over the cell is exactly
  :math:`A` (``amplitude_m``).

The coating is the band between the Li curve and its normal offset by :math:`h`,
meshed as a structured (transfinite) band of ``coating_layers`` element layers.
Away from the surface the mesh is graded with a gmsh distance field.

gmsh works in micrometres (its geometric tolerance is absolute, 1e-8); the DOLFINx
mesh is rescaled to metres. The full mesh is split into two sub-meshes that share
nodes along the interfaces: a *transport* mesh (electrolyte + coating) and a
*mechanics* mesh (Li + coating).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from dataclasses import InitVar, dataclass
from enum import IntEnum
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import numpy.typing as npt

from hemcell.errors import InputError

if TYPE_CHECKING:  # pragma: no cover
    from mpi4py import MPI

GeometryKind = Literal["flat", "sinusoid", "nucleus", "random"]
#: Least number of elements of ``surface_mesh_size`` across the electrolyte above the
#: crest (and a resolved coating) [-] (assumed, as ``coating_element_layers``: three
#: element layers resolve a linear profile; flat bare Li with the default 0.08 um mesh
#: gave a focusing factor 2.306 at H = 25 um, 2.302 at 0.3 um (3.75 elements), 2.288 at
#: 0.1 um, 2.16 at 10 nm and 1.70 at 1 nm, where the mesh no longer changed).
GAP_ELEMENT_LAYERS = 3
#: The ``--set`` (registry) name of each :class:`GeometrySpec` field read from the sets
#: (``hemcell.surface.parameters`` reads them by these names; the errors name them).
SET_NAMES: dict[str, str] = {
    "width_m": "surface_width", "electrolyte_height_m": "electrolyte_height",
    "li_thickness_m": "li_domain_thickness", "amplitude_m": "perturbation_amplitude",
    "nucleus_radius_m": "nucleus_radius", "fillet_radius_m": "nucleus_fillet_radius",
    "coating_layers": "coating_element_layers", "surface_mesh_size_m": "surface_mesh_size",
    "far_mesh_size_m": "far_mesh_size", "grading_distance_m": "mesh_grading_distance",
    "li_far_mesh_size_m": "li_far_mesh_size", "li_far_mesh_depth_m": "li_far_mesh_depth",
    "roughness_correlation_length_m": "roughness_correlation_length"}


def _um(length_m: float | None) -> str:
    """A length as the errors echo it: ``1.5 um``."""
    return f"{length_m}" if length_m is None else f"{length_m * 1e6:.4g} um"
GEOMETRIES: tuple[str, ...] = ("flat", "sinusoid", "nucleus", "random")

_UM = 1.0e-6  # metres per micrometre


class Cell(IntEnum):
    """Cell (region) tags."""

    ELECTROLYTE = 1
    LI = 2
    COATING = 3


class Facet(IntEnum):
    """Facet tags.

    ``LI_SURFACE`` is where lithium is deposited: Li/electrolyte (bare) or Li/coating
    (coated). ``COATING_SURFACE`` is the coating/electrolyte interface.
    """

    LI_SURFACE = 11
    COATING_SURFACE = 12
    TOP = 13
    BOTTOM = 14
    SIDE_ELECTROLYTE = 15
    SIDE_LI = 16
    SIDE_COATING = 17


@dataclass(frozen=True)
class GeometrySpec:
    """Geometry and mesh-size data (all lengths in metres).

    Parameters
    ----------
    kind
        ``flat``, ``sinusoid`` or ``nucleus``.
    width_m
        Width :math:`W` of the periodic cell.
    electrolyte_height_m
        Height :math:`H` of the electrolyte above :math:`y = 0` (diffusion-layer
        thickness).
    li_thickness_m
        Depth :math:`H_{Li}` of the lithium below :math:`y = 0`.
    amplitude_m
        Sinusoid amplitude :math:`A`; rms height of the ``random`` surface.
    nucleus_radius_m
        Radius :math:`R` of the hemispherical nucleus.
    fillet_radius_m
        Radius :math:`r_f` of the concave fillet at the foot of the nucleus.
    coating_thickness_m
        Coating thickness :math:`h`; 0 for bare lithium.
    coating_layers
        Number of element layers across the coating.
    surface_mesh_size_m
        Element size along the Li surface.
    far_mesh_size_m
        Element size far from the surface.
    grading_distance_m
        Distance over which the size grows from the surface to the far size.
    li_far_mesh_size_m
        Element size in the lithium from ``li_far_mesh_depth_m`` below the surface on,
        where it is coarser than the common grading (the lithium carries only the
        elasticity, whose stress concentrates at the surface); None: the lithium is
        graded like the electrolyte.
    li_far_mesh_depth_m
        Depth below the surface over which the lithium's size grows to
        ``li_far_mesh_size_m`` (both or neither given).
    roughness_correlation_length_m
        Correlation length ℓ of the ``random`` surface.
    roughness_seed
        Seed of the ``random`` surface.
    roughness_modes
        Number of cosine modes of the ``random`` surface.
    set_names
        Field → the ``--set`` name the errors give, where it is not :data:`SET_NAMES`'
        (a 3D cell reads its mesh sizes from ``surface_mesh_size_3d`` /
        ``far_mesh_size_3d``: :func:`hemcell.surface.geometry3d.check_spec_3d`). Only
        for the checks; not stored.
    """

    kind: GeometryKind = "flat"
    width_m: float = 10e-6
    electrolyte_height_m: float = 20e-6
    li_thickness_m: float = 10e-6
    amplitude_m: float = 1e-6
    nucleus_radius_m: float = 2e-6
    fillet_radius_m: float = 0.5e-6
    coating_thickness_m: float = 0.0
    coating_layers: int = 3
    surface_mesh_size_m: float = 0.1e-6
    far_mesh_size_m: float = 1.0e-6
    grading_distance_m: float = 5e-6
    roughness_correlation_length_m: float = 1e-6
    roughness_seed: int = 0
    roughness_modes: int = 64
    li_far_mesh_size_m: float | None = None
    li_far_mesh_depth_m: float | None = None
    set_names: InitVar[Mapping[str, str] | None] = None

    def __post_init__(self, set_names: Mapping[str, str] | None) -> None:
        """Check the geometry is realisable; errors name the ``--set`` parameter
        (:data:`SET_NAMES`, updated by ``set_names``) and echo lengths in µm (they named
        the field and gave metres: ``geometry: electrolyte_height_m: got 1e-06``)."""
        names = {**SET_NAMES, **(set_names or {})}
        if self.kind not in GEOMETRIES:
            raise InputError("geometry", self.kind, ", ".join(GEOMETRIES))
        positive = {
            "width_m": self.width_m,
            "electrolyte_height_m": self.electrolyte_height_m,
            "li_thickness_m": self.li_thickness_m,
            "surface_mesh_size_m": self.surface_mesh_size_m,
            "far_mesh_size_m": self.far_mesh_size_m,
            "grading_distance_m": self.grading_distance_m,
        }
        if (self.li_far_mesh_size_m is None) != (self.li_far_mesh_depth_m is None):
            raise InputError(names["li_far_mesh_size_m"], _um(self.li_far_mesh_size_m),
                             f"given together with {names['li_far_mesh_depth_m']} (both "
                             "or neither)")
        if self.li_far_mesh_size_m is not None and self.li_far_mesh_depth_m is not None:
            positive["li_far_mesh_size_m"] = self.li_far_mesh_size_m
            positive["li_far_mesh_depth_m"] = self.li_far_mesh_depth_m
        for key, val in positive.items():
            if not (math.isfinite(val) and val > 0):
                raise InputError(names[key], _um(val), "a positive length")
        if self.coating_thickness_m < 0:
            raise InputError("coating_thickness", _um(self.coating_thickness_m), ">= 0")
        if self.coating_layers < 1:
            raise InputError(names["coating_layers"], self.coating_layers, ">= 1")
        top = float(np.max(self.profile(np.linspace(0, self.width_m, 65))[1]))  # with W/2
        if top + self.coating_thickness_m >= 0.9 * self.electrolyte_height_m:
            raise InputError(
                names["electrolyte_height_m"], _um(self.electrolyte_height_m),
                f"above {_um((top + self.coating_thickness_m) / 0.9)}, the crest "
                f"{_um(top)} plus the coating {_um(self.coating_thickness_m)} over 0.9 "
                "(room to mesh the electrolyte above the crest)",
                hint=f"raise {names['electrolyte_height_m']}, or lower the crest")
        least = top + self.coating_thickness_m + GAP_ELEMENT_LAYERS * self.surface_mesh_size_m
        if self.electrolyte_height_m < least:
            raise InputError(
                names["electrolyte_height_m"], _um(self.electrolyte_height_m),
                f"at least {_um(least)}: the electrolyte above the crest {_um(top)} and the "
                f"coating {_um(self.coating_thickness_m)} holds {GAP_ELEMENT_LAYERS} elements "
                f"of {names['surface_mesh_size_m']} {_um(self.surface_mesh_size_m)} "
                "(fewer do not resolve it: flat bare Li gave a focusing factor 2.306 at 25 "
                "um, 2.302 at 0.3 um, 2.16 at 10 nm and 1.70 at 1 nm)",
                hint=f"raise {names['electrolyte_height_m']}, or lower "
                f"{names['surface_mesh_size_m']}")
        if self.kind == "sinusoid" and not 0 <= self.amplitude_m < self.li_thickness_m:
            raise InputError(names["amplitude_m"], _um(self.amplitude_m),
                             f">= 0 and below {names['li_thickness_m']} "
                             f"{_um(self.li_thickness_m)}")
        if self.kind == "random":
            if not self.roughness_correlation_length_m > 0:
                raise InputError(names["roughness_correlation_length_m"],
                                 _um(self.roughness_correlation_length_m), "> 0")
            low = float(np.min(self.profile(np.linspace(0, self.width_m, 512))[1]))
            if not (self.amplitude_m >= 0 and -low < self.li_thickness_m):
                raise InputError(names["amplitude_m"], _um(self.amplitude_m),
                                 "a roughness whose valleys stay inside the Li domain "
                                 f"({names['li_thickness_m']} {_um(self.li_thickness_m)}"
                                 f"; the deepest valley is {_um(-low)})")
        if self.kind == "nucleus":
            if self.nucleus_radius_m + self.fillet_radius_m >= 0.5 * self.width_m:
                raise InputError(
                    names["nucleus_radius_m"], _um(self.nucleus_radius_m),
                    f"below {_um(0.5 * self.width_m - self.fillet_radius_m)}: R + r_f < W/2 "
                    f"with {names['fillet_radius_m']} {_um(self.fillet_radius_m)} and "
                    f"{names['width_m']} {_um(self.width_m)} (the nucleus must fit in "
                    "the cell)")
            if self.fillet_radius_m <= 0:
                raise InputError(names["fillet_radius_m"], _um(self.fillet_radius_m), "> 0")
            if self.coating_thickness_m >= self.fillet_radius_m:
                raise InputError(
                    "coating_thickness", _um(self.coating_thickness_m),
                    f"below {names['fillet_radius_m']} {_um(self.fillet_radius_m)} (in "
                    "the concave fillet the coating's outer surface has radius r_f - h)",
                    hint="raise nucleus_fillet_radius (--set nucleus_fillet_radius=...)")
        if self.kind in ("sinusoid", "random") and self.coating_thickness_m > 0:
            radius = self.smallest_trough_radius_m()
            if self.coating_thickness_m >= radius:
                raise InputError(
                    "coating_thickness", _um(self.coating_thickness_m),
                    f"below {_um(radius)}, the smallest radius of curvature of the surface's "
                    "troughs (the coating's outer surface, the metal surface moved by h along "
                    "its normal, folds over itself where h reaches it"
                    + (": W²/(4π² A) for the sinusoid" if self.kind == "sinusoid" else "")
                    + ")",
                    hint=f"lower coating_thickness, or {names['amplitude_m']}, or raise "
                    f"{names['width_m']}" if self.kind == "sinusoid" else
                    f"lower coating_thickness or {names['amplitude_m']}")

    def smallest_trough_radius_m(self) -> float:
        """Smallest radius of curvature [m] where the surface is concave seen from the
        electrolyte (a trough: centre of curvature above it), from κ = y'' / (1 + y'²)^(3/2)
        on 2049 points; the fillet radius r_f for ``nucleus`` (exact: the cap is convex,
        the fillet an arc of radius r_f; the sampled κ jumps at its ends); ``inf`` where
        there is none (flat). A coating thicker than it has an outer surface that folds
        over itself (gmsh then hung or DOLFINx aborted)."""
        if self.kind == "nucleus":
            return self.fillet_radius_m
        x = np.linspace(0.0, self.width_m, 2049)
        _, _, nx, ny = self.profile(x)
        dy = -nx / ny
        curvature = np.gradient(dy, x) * ny**3
        peak = float(np.max(curvature))
        return 1.0 / peak if peak > 0 else math.inf

    @property
    def coated(self) -> bool:
        """True if a resolved coating is part of the geometry."""
        return self.coating_thickness_m > 0

    # ------------------------------------------------------------------ profile
    def profile(self, x_m: npt.ArrayLike) -> tuple[npt.NDArray[np.float64], ...]:
        """Li surface :math:`y = s(x)` and its unit normal (pointing into the electrolyte).

        Parameters
        ----------
        x_m
            Lateral positions [m], within ``[0, W]``.

        Returns
        -------
        x, y, nx, ny
            Positions [m] and unit-normal components.
        """
        x = np.asarray(x_m, dtype=np.float64)
        if self.kind == "flat":
            y = np.zeros_like(x)
            dy = np.zeros_like(x)
        elif self.kind == "sinusoid":
            k = 2 * np.pi / self.width_m
            y = -self.amplitude_m * np.cos(k * x)
            dy = self.amplitude_m * k * np.sin(k * x)
        elif self.kind == "random":
            k, a = self._random_modes()
            y = np.cos(np.multiply.outer(x, k)) @ a
            dy = -np.sin(np.multiply.outer(x, k)) @ (a * k)
        else:
            y, dy = _nucleus_profile(x - 0.5 * self.width_m, self.nucleus_radius_m,
                                     self.fillet_radius_m)
        norm = np.sqrt(1 + dy**2)
        return x, y, -dy / norm, 1 / norm

    def surface_points(self, n: int) -> npt.NDArray[np.float64]:
        """``n`` points on the Li surface, evenly spaced in arc length, shape (n, 2) [m]."""
        xs = np.linspace(0.0, self.width_m, 20 * n)
        _, ys, _, _ = self.profile(xs)
        seg = np.hypot(np.diff(xs), np.diff(ys))
        s = np.concatenate([[0.0], np.cumsum(seg)])
        x = np.interp(np.linspace(0, s[-1], n), s, xs)
        x[0], x[-1] = 0.0, self.width_m
        _, y, _, _ = self.profile(x)
        return np.column_stack([x, y])

    def surface_length_m(self) -> float:
        """Arc length of the Li surface [m]."""
        p = self.surface_points(4000)
        return float(np.sum(np.hypot(*np.diff(p, axis=0).T)))

    def _random_modes(self) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        """Wavenumbers k_m = πm/W and amplitudes a_m of the ``random`` surface."""
        m = np.arange(1, self.roughness_modes + 1)
        k = np.pi * m / self.width_m
        var = np.exp(-((k * self.roughness_correlation_length_m) ** 2) / 4)
        a = np.random.default_rng(self.roughness_seed).standard_normal(m.size) * np.sqrt(var)
        rms = math.sqrt(0.5 * float(np.sum(a**2)))  # rms of Σ a_m cos(k_m x) over [0, W]
        return k, a * (self.amplitude_m / rms if rms > 0 else 0.0)

    def tip_x_m(self) -> float:
        """Lateral position of the crest of the surface [m] (the centre; the highest
        point of a ``random`` surface)."""
        if self.kind == "random":
            x = np.linspace(0.0, self.width_m, 2001)
            return float(x[np.argmax(self.profile(x)[1])])
        return 0.5 * self.width_m


def _nucleus_profile(
    x: npt.NDArray[np.float64], R: float, rf: float
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Hemispherical cap of radius ``R`` with a concave fillet of radius ``rf``.

    The cap circle is centred at the origin; the fillet circle of radius ``rf`` is
    tangent to the cap and to the flat surface :math:`y = 0`, with centre at
    :math:`(x_f, r_f)`, :math:`x_f = \\sqrt{(R + r_f)^2 - r_f^2}`.
    """
    ax = np.abs(x)
    xf = math.sqrt((R + rf) ** 2 - rf**2)
    x_tan = xf * R / (R + rf)  # where the cap meets the fillet
    y = np.zeros_like(x)
    dy = np.zeros_like(x)
    cap = ax <= x_tan
    y[cap] = np.sqrt(R**2 - ax[cap] ** 2)
    dy[cap] = -ax[cap] / y[cap]
    fil = (ax > x_tan) & (ax < xf)
    dx = xf - ax[fil]
    y[fil] = rf - np.sqrt(np.maximum(rf**2 - dx**2, 0.0))
    dy[fil] = -dx / np.sqrt(np.maximum(rf**2 - dx**2, 1e-300))
    dy *= np.sign(x) + (x == 0)
    return y, dy


@dataclass
class SurfaceMesh:
    """The meshes of one geometry.

    Attributes
    ----------
    spec
        The geometry it was built from.
    mesh, cell_tags, facet_tags
        The full mesh (all regions) and its tags.
    transport, transport_cells, transport_facets
        Electrolyte (+ coating) sub-mesh and its tags.
    mechanics, mechanics_cells, mechanics_facets
        Li (+ coating) sub-mesh and its tags.
    """

    spec: GeometrySpec
    mesh: Any
    cell_tags: Any
    facet_tags: Any
    transport: Any
    transport_cells: Any
    transport_facets: Any
    mechanics: Any
    mechanics_cells: Any
    mechanics_facets: Any
    has_coating: bool = False
    transport_nodes: Any = None
    mechanics_nodes: Any = None

    def num_cells(self) -> int:
        """Global number of cells of the full mesh."""
        imap = self.mesh.topology.index_map(self.mesh.topology.dim)
        return int(imap.size_global)


def curve_points(curve_m: npt.NDArray[np.float64], n: int,
                 ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Resample a surface polyline (m) to ``n`` points evenly spaced in arc length.

    Returns the points, shape (n, 2), and unit normals pointing into the electrolyte
    (central differences; vertical at the two ends, the symmetry planes of the cell).
    """
    c = np.asarray(curve_m, dtype=np.float64)
    seg = np.hypot(*np.diff(c, axis=0).T)
    s = np.concatenate([[0.0], np.cumsum(seg)])
    t = np.linspace(0.0, s[-1], n)
    pts = np.column_stack([np.interp(t, s, c[:, 0]), np.interp(t, s, c[:, 1])])
    pts[0, 0], pts[-1, 0] = c[0, 0], c[-1, 0]
    return pts, polyline_normals(pts)


def polyline_normals(pts: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Unit vertex normals of a polyline ordered in x, pointing up (into the electrolyte).

    Central differences; vertical at the two ends (the symmetry planes of the cell).
    """
    tang = np.gradient(np.asarray(pts, dtype=np.float64), axis=0)
    tang[0], tang[-1] = (1.0, 0.0), (1.0, 0.0)
    tang /= np.hypot(tang[:, 0], tang[:, 1])[:, None]
    return np.column_stack([-tang[:, 1], tang[:, 0]])


def _build_gmsh_model(spec: GeometrySpec, gmsh: Any, band_is_electrolyte: bool,
                      surface_curve: npt.NDArray[np.float64] | None = None) -> None:
    """Create geometry, physical groups and mesh in the current gmsh model (µm).

    ``surface_curve`` (m, shape (n, 2), ordered from x = 0 to x = W) replaces the
    analytic profile of ``spec`` (remeshing of a moving surface); its points are used
    as given, as the surface nodes (resample it with :func:`curve_points`).
    """
    geo = gmsh.model.geo
    W = spec.width_m / _UM
    H = spec.electrolyte_height_m / _UM
    HL = spec.li_thickness_m / _UM
    h = spec.coating_thickness_m / _UM
    hs = spec.surface_mesh_size_m / _UM
    hf = spec.far_mesh_size_m / _UM

    length = spec.surface_length_m() / _UM
    n_surf = max(8, math.ceil(length / hs)) + 1
    # The surface is a polyline through nodes on the exact curve, evenly spaced in arc
    # length; each segment is one element edge. The coating is built from quadrilateral
    # patches P_i P_i+1 Q_i+1 Q_i with Q_i = P_i + h n_i, so every element layer is
    # exactly normal to the surface (skewed elements in an nm-thin band violate the
    # maximum-angle condition and spoil the solution).
    if surface_curve is None:
        pts = spec.surface_points(n_surf) / _UM
        _, _, nx, ny = spec.profile(pts[:, 0] * _UM)
    else:
        normals = polyline_normals(surface_curve)
        pts, nx, ny = surface_curve / _UM, normals[:, 0], normals[:, 1]

    def polyline(points: npt.NDArray[np.float64]) -> tuple[list[int], list[int]]:
        tags = [geo.addPoint(float(px), float(py), 0.0) for px, py in points]
        segs = [geo.addLine(a, b) for a, b in itertools.pairwise(tags)]
        return tags, segs

    li_pts, li_segs = polyline(pts)
    li_left, li_right = li_pts[0], li_pts[-1]
    p_bl = geo.addPoint(0.0, -HL, 0.0)
    p_br = geo.addPoint(W, -HL, 0.0)
    bottom = geo.addLine(p_bl, p_br)
    li_side_r = geo.addLine(p_br, li_right)
    li_side_l = geo.addLine(li_left, p_bl)
    li_loop = geo.addCurveLoop([bottom, li_side_r, *[-c for c in reversed(li_segs)], li_side_l])
    li_surf = geo.addPlaneSurface([li_loop])

    co_surfs: list[int] = []
    radial: list[int] = []
    co_segs: list[int] = []
    if spec.coated:
        outer = pts + h * np.column_stack([nx, ny])
        co_pts, co_segs = polyline(outer)
        radial = [geo.addLine(a, b) for a, b in zip(li_pts, co_pts, strict=True)]
        for i, seg in enumerate(li_segs):
            loop = geo.addCurveLoop([seg, radial[i + 1], -co_segs[i], -radial[i]])
            co_surfs.append(geo.addPlaneSurface([loop]))
        co_side_l, co_side_r = radial[0], radial[-1]
        el_segs, el_left, el_right = co_segs, co_pts[0], co_pts[-1]
    else:
        el_segs, el_left, el_right = li_segs, li_left, li_right

    p_tl = geo.addPoint(0.0, H, 0.0)
    p_tr = geo.addPoint(W, H, 0.0)
    el_side_r = geo.addLine(el_right, p_tr)
    top = geo.addLine(p_tr, p_tl)
    el_side_l = geo.addLine(p_tl, el_left)
    el_loop = geo.addCurveLoop([*el_segs, el_side_r, top, el_side_l])
    el_surf = geo.addPlaneSurface([el_loop])
    geo.synchronize()

    # One element edge per surface segment; coating_layers elements across the coating.
    for c in [*li_segs, *co_segs]:
        gmsh.model.mesh.setTransfiniteCurve(c, 2)
    for c in radial:
        gmsh.model.mesh.setTransfiniteCurve(c, spec.coating_layers + 1)
    for sf in co_surfs:
        gmsh.model.mesh.setTransfiniteSurface(sf)

    # Grading away from the surface by a distance field.
    fld = gmsh.model.mesh.field
    dist = fld.add("Distance")
    fld.setNumbers(dist, "CurvesList", [*li_segs, *co_segs])
    fld.setNumber(dist, "Sampling", 4)

    def graded(far_size_um: float, depth_um: float) -> int:
        """Size hs within hs/2 of the surface, growing linearly to ``far_size_um`` at
        ``depth_um`` from it, constant beyond (gmsh Threshold field)."""
        thr = fld.add("Threshold")
        fld.setNumber(thr, "InField", dist)
        fld.setNumber(thr, "SizeMin", hs)
        fld.setNumber(thr, "SizeMax", far_size_um)
        fld.setNumber(thr, "DistMin", 0.5 * hs)
        fld.setNumber(thr, "DistMax", depth_um)
        return thr

    common = graded(hf, spec.grading_distance_m / _UM)
    if spec.li_far_mesh_size_m is None or spec.li_far_mesh_depth_m is None:
        fld.setAsBackgroundMesh(common)
    else:
        # the lithium: the coarser of the common grading and its own (to li_far_mesh_size
        # at li_far_mesh_depth); the other regions keep the common grading. A Restrict
        # field is "infinite" outside its surfaces (and on their boundary curves it
        # applies too), so the minimum of the two is each region's own size, and on the
        # Li surface (distance 0) both give hs.
        li_size = fld.add("Max")
        fld.setNumbers(li_size, "FieldsList", [
            common, graded(spec.li_far_mesh_size_m / _UM, spec.li_far_mesh_depth_m / _UM)])
        in_li = fld.add("Restrict")
        fld.setNumber(in_li, "InField", li_size)
        fld.setNumbers(in_li, "SurfacesList", [li_surf])
        elsewhere = fld.add("Restrict")
        fld.setNumber(elsewhere, "InField", common)
        fld.setNumbers(elsewhere, "SurfacesList", [el_surf, *co_surfs])
        size = fld.add("Min")
        fld.setNumbers(size, "FieldsList", [in_li, elsewhere])
        fld.setAsBackgroundMesh(size)
    gmsh.option.setNumber("Mesh.MeshSizeExtendFromBoundary", 0)
    gmsh.option.setNumber("Mesh.MeshSizeFromPoints", 0)
    gmsh.option.setNumber("Mesh.MeshSizeFromCurvature", 0)
    gmsh.option.setNumber("Mesh.Algorithm", 6)  # Frontal-Delaunay

    pg = gmsh.model.addPhysicalGroup
    merge = spec.coated and band_is_electrolyte
    pg(2, [el_surf, *co_surfs] if merge else [el_surf], Cell.ELECTROLYTE, name="electrolyte")
    pg(2, [li_surf], Cell.LI, name="li")
    pg(1, li_segs, Facet.LI_SURFACE, name="li_surface")
    pg(1, [top], Facet.TOP, name="top")
    pg(1, [bottom], Facet.BOTTOM, name="bottom")
    el_sides = [el_side_l, el_side_r] + ([co_side_l, co_side_r] if merge else [])
    pg(1, el_sides, Facet.SIDE_ELECTROLYTE, name="side_electrolyte")
    pg(1, [li_side_l, li_side_r], Facet.SIDE_LI, name="side_li")
    if spec.coated and not merge:
        pg(2, co_surfs, Cell.COATING, name="coating")
        pg(1, co_segs, Facet.COATING_SURFACE, name="coating_surface")
        pg(1, [co_side_l, co_side_r], Facet.SIDE_COATING, name="side_coating")
    gmsh.model.mesh.generate(2)


def build_mesh(spec: GeometrySpec, comm: MPI.Comm | None = None,
               band_is_electrolyte: bool = False,
               surface_curve: npt.NDArray[np.float64] | None = None) -> SurfaceMesh:
    """Mesh the geometry with gmsh on rank 0 and distribute it with DOLFINx.

    Parameters
    ----------
    spec
        The geometry.
    comm
        MPI communicator (default ``COMM_WORLD``).
    band_is_electrolyte
        Mesh the coating band but tag it as electrolyte: the bare surface on exactly the
        mesh of the coated one (used by ``compare``).
    surface_curve
        Optional Li-surface polyline [m] (ordered in x, used as given) replacing the
        analytic profile: remeshing a surface that has moved (see
        :mod:`hemcell.surface.transient`).

    Returns
    -------
    SurfaceMesh
        Full mesh, transport and mechanics sub-meshes, with tags (see :class:`Cell`,
        :class:`Facet`).
    """
    from hemcell.surface.mesh_cache import mesh_key

    key = None if surface_curve is not None else mesh_key(
        "2d", spec, band_is_electrolyte=band_is_electrolyte)
    return mesh_from_gmsh(
        spec, lambda gmsh: _build_gmsh_model(spec, gmsh, band_is_electrolyte, surface_curve),
        comm, gdim=2, has_coating=spec.coated and not band_is_electrolyte, cache_key=key)


def mesh_from_gmsh(spec: Any, build: Any, comm: MPI.Comm | None, gdim: int,
                   has_coating: bool, transform: Any = None,
                   facets: tuple[int, ...] | None = None,
                   cache_key: str | None = None, with_mechanics: bool = True,
                   regions: tuple[int, ...] | None = None) -> SurfaceMesh:
    """Run ``build(gmsh)`` on rank 0, distribute the mesh and split it into sub-meshes.

    Shared by the 2D and 3D geometries. ``build`` creates the model (in µm) with the
    physical groups of :class:`Cell` and :class:`Facet` and generates the mesh;
    ``transform`` (optional) maps the node coordinates [m] in place after scaling
    (e.g. a surface height field), before the sub-meshes are extracted. ``facets``
    limits the facet tags to these groups (None: all); ``with_mechanics=False`` skips the
    mechanics sub-mesh (see :func:`split_mesh`). With ``cache_key`` the gmsh
    output is taken from, or stored in, the mesh cache (:mod:`hemcell.surface.mesh_cache`);
    a cached mesh is identical to a fresh one. ``regions`` (transport cell tags, with
    ``with_mechanics=False``) keeps only the cells of these regions
    (:func:`~hemcell.surface.mesh_cache.keep_regions`): the distributed mesh is then the
    transport mesh itself, with no sub-mesh extraction.
    """
    import dolfinx_solver  # noqa: F401  (must precede dolfinx)

    from mpi4py import MPI

    from hemcell.surface import mesh_cache

    comm = MPI.COMM_WORLD if comm is None else comm
    arrays, error = None, None
    if comm.rank == 0:
        try:
            arrays = mesh_cache.load(cache_key) if cache_key else None
            if arrays is None:
                arrays = _gmsh_arrays(build, facets)
                if regions is not None:
                    arrays = mesh_cache.keep_regions(arrays, regions)
                if cache_key:
                    mesh_cache.store(cache_key, arrays)
        except Exception as exc:  # raised on every rank below (no rank left waiting)
            error = exc
    failed = comm.bcast(error is not None, root=0)
    if failed:
        if error is not None:
            raise error
        raise RuntimeError("meshing failed on rank 0")
    msh, cell_tags, facet_tags = mesh_from_arrays(comm, arrays, gdim)
    msh.geometry.x[:] *= _UM
    if transform is not None:
        transform(msh.geometry.x)
    if regions is not None and not with_mechanics:  # the mesh is the transport mesh
        return SurfaceMesh(spec, msh, cell_tags, facet_tags, msh, cell_tags, facet_tags,
                           None, None, None, has_coating=has_coating,
                           transport_nodes=np.arange(len(msh.geometry.x), dtype=np.int32))
    return split_mesh(spec, msh, cell_tags, facet_tags, has_coating, with_mechanics)


def _gmsh_arrays(build: Any, facets: tuple[int, ...] | None) -> dict[str, npt.NDArray[Any]]:
    """Build the gmsh model and return its mesh as arrays (rank 0; see :mod:`mesh_cache`).

    Nodes (µm), the cells of the highest dimension in DOLFINx vertex order with their
    physical tags, and the facets of the groups ``facets`` (None: all) with theirs.
    """
    import gmsh
    from dolfinx.io.gmsh import extract_geometry

    initialized_here = False
    if not gmsh.isInitialized():
        gmsh.initialize(interruptible=False)
        initialized_here = True
    gmsh.option.setNumber("General.Terminal", 0)
    gmsh.model.add("hemcell_surface")
    try:
        build(gmsh)
        x = extract_geometry(gmsh.model)
        groups = gmsh.model.getPhysicalGroups()
        tdim = max(d for d, _ in groups)
        parts: dict[int, list[tuple[npt.NDArray[np.int64], int]]] = {tdim: [], tdim - 1: []}
        cell_type = -1
        for dim, tag in groups:
            if dim < tdim - 1 or (dim == tdim - 1 and facets is not None and tag not in facets):
                continue
            for entity in gmsh.model.getEntitiesForPhysicalGroup(dim, tag):
                types, _, nodes = gmsh.model.mesh.getElements(dim, tag=entity)
                for etype, enodes in zip(types, nodes, strict=True):
                    n = gmsh.model.mesh.getElementProperties(etype)[3]
                    parts[dim].append((np.asarray(enodes, dtype=np.int64).reshape(-1, n) - 1,
                                       tag))
                    if dim == tdim:
                        cell_type = int(etype)
    finally:
        gmsh.model.remove()
        if initialized_here:
            gmsh.finalize()

    def stack(dim: int, width: int) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int32]]:
        if not parts[dim]:
            return np.empty((0, width), dtype=np.int64), np.empty(0, dtype=np.int32)
        return (np.concatenate([a for a, _ in parts[dim]]),
                np.concatenate([np.full(len(a), t, dtype=np.int32) for a, t in parts[dim]]))

    cells, cell_values = stack(tdim, tdim + 1)
    facet_arr, facet_values = stack(tdim - 1, tdim)
    return {"x": x, "cells": cells, "cell_values": cell_values, "facets": facet_arr,
            "facet_values": facet_values, "gmsh_cell_type": np.array(cell_type)}


def mesh_from_arrays(comm: Any, arrays: dict[str, npt.NDArray[Any]] | None,
                     gdim: int) -> tuple[Any, Any, Any]:
    """Distributed DOLFINx mesh, cell tags and facet tags from gmsh arrays on rank 0.

    The same construction as ``dolfinx.io.gmsh.model_to_mesh`` (same cells; on one
    rank the same mesh), except that the cell tags are carried by the input cell index
    (``original_cell_index``) instead of being matched vertex by vertex, only the
    facets present in ``arrays`` are tagged, and on several ranks the partition is a
    slab partition in x instead of a graph partition: rank 0 orders the cells by the x
    of their centroid and hands each rank a contiguous block (and a block of the tagged
    facets), which the rank keeps. The cut planes x = const cross the graded mesh where
    any balanced partition must; at 2.9M cells on 2 ranks this takes ``create_mesh``
    from 34 s (graph partition on rank 0) to 13 s plus a 1 s sort. The partition
    differs from a graph partitioner's, the mesh does not.
    """
    import dolfinx_solver  # noqa: F401

    from dolfinx import cpp as _cpp
    from dolfinx.graph import adjacencylist
    from dolfinx.io import distribute_entity_data
    from dolfinx.io.gmsh import cell_perm_array, ufl_mesh
    from dolfinx.mesh import create_mesh, meshtags, meshtags_from_entities

    root = comm.rank == 0
    gmsh_cell = comm.bcast(int(arrays["gmsh_cell_type"]) if root else None, root=0)
    domain = ufl_mesh(gmsh_cell, gdim, dtype=np.float64)
    n_nodes = domain.ufl_coordinate_element().basix_element.dim
    tdim = domain.topological_dimension
    if root:
        perm = cell_perm_array(_cpp.mesh.to_type(str(domain.ufl_cell())), n_nodes)
        cells = np.ascontiguousarray(arrays["cells"][:, perm])
        x = np.ascontiguousarray(arrays["x"][:, :gdim], dtype=np.float64)
        facet_arr, facet_values = arrays["facets"], arrays["facet_values"]
        cell_values = np.asarray(arrays["cell_values"], dtype=np.int32)
    else:
        cells = np.empty((0, n_nodes), dtype=np.int64)
        x = np.empty((0, gdim), dtype=np.float64)
        facet_arr = np.empty((0, tdim), dtype=np.int64)
        facet_values = np.empty(0, dtype=np.int32)
        cell_values = None
    partitioner = None
    if comm.size > 1:  # slab partition (input index = block offset + local index)
        if root:
            order = np.argsort(x[cells, 0].mean(axis=1), kind="stable")
            cells, cell_values = cells[order], cell_values[order]
        cells = comm.scatter(np.array_split(cells, comm.size) if root else None, root=0)
        facet_arr, facet_values = comm.scatter(
            list(zip(np.array_split(facet_arr, comm.size),
                     np.array_split(facet_values, comm.size), strict=True)) if root else None,
            root=0)
        partitioner = _keep_on_rank(comm.rank, tdim + 1)
    msh = create_mesh(comm, cells, domain, x, partitioner=partitioner)
    cell_values = comm.bcast(cell_values, root=0)
    imap = msh.topology.index_map(tdim)
    n_cells = imap.size_local + imap.num_ghosts
    original = np.asarray(msh.topology.original_cell_index)[:n_cells]
    cell_tags = meshtags(msh, tdim, np.arange(n_cells, dtype=np.int32), cell_values[original])
    cell_tags.name = "cell_tags"
    local, values = distribute_entity_data(msh, tdim - 1, facet_arr, facet_values)
    msh.topology.create_connectivity(tdim - 1, tdim)
    facet_tags = meshtags_from_entities(msh, tdim - 1, adjacencylist(local),
                                        values.astype(np.int32, copy=False))
    facet_tags.name = "facet_tags"
    return msh, cell_tags, facet_tags


def _keep_on_rank(rank: int, vertices_per_cell: int) -> Any:
    """A DOLFINx cell partitioner that leaves every cell on the rank that holds it."""
    from dolfinx.graph import adjacencylist

    def partition(_comm: Any, _n_parts: int, _cell_types: Any, cells: Any) -> Any:
        n_cells = sum(c.size for c in cells) // vertices_per_cell
        return adjacencylist(np.full(n_cells, rank, dtype=np.int32))._cpp_object

    return partition


def split_mesh(spec: Any, msh: Any, cell_tags: Any, facet_tags: Any,
               has_coating: bool, with_mechanics: bool = True) -> SurfaceMesh:
    """Split the full mesh into the transport and mechanics sub-meshes (with tags).

    ``with_mechanics=False`` leaves the mechanics sub-mesh out (its fields are None): the
    3D runs solve no mechanics.
    """
    import dolfinx_solver  # noqa: F401

    import dolfinx.mesh

    tdim = msh.topology.dim
    msh.topology.create_connectivity(tdim - 1, tdim)

    def sub(regions: tuple[int, ...]) -> tuple[Any, Any, Any, Any]:
        cells = cell_tags.indices[np.isin(cell_tags.values, regions)]
        submsh, cmap, vmap, nodes = dolfinx.mesh.create_submesh(msh, tdim, cells)
        ct = dolfinx.mesh.transfer_meshtags_to_submesh(cell_tags, submsh, vmap, cmap)
        ft = dolfinx.mesh.transfer_meshtags_to_submesh(facet_tags, submsh, vmap, cmap)
        submsh.topology.create_connectivity(tdim - 1, tdim)
        return submsh, ct, ft, np.asarray(nodes, dtype=np.int32)

    tr = sub((Cell.ELECTROLYTE, Cell.COATING))
    me = sub((Cell.LI, Cell.COATING)) if with_mechanics else (None,) * 4
    return SurfaceMesh(spec, msh, cell_tags, facet_tags, *tr[:3], *me[:3],
                       has_coating=has_coating, transport_nodes=tr[3], mechanics_nodes=me[3])
