"""The thin-layer film's geometric bound, in 2D and 3D (``coated_thin``).

The thin-layer coating (:mod:`hemcell.surface.coating`) is a film of thickness h along the
metal surface's normal that the mesh does not carry. Its outer surface, the metal surface
moved by h along the normal, folds over itself where h reaches the radius of a trough (a
concave part seen from the electrolyte), as the resolved coating's does; there the law
describes no film. :func:`check_thin_film` refuses such a film with the surface's smallest
trough radius in 2D (:meth:`~hemcell.surface.geometry.GeometrySpec.smallest_trough_radius_m`)
or 3D (:func:`~hemcell.surface.geometry3d.smallest_trough_radius_3d_m`).
"""

from __future__ import annotations

from hemcell.errors import InputError
from hemcell.surface.geometry import SET_NAMES, GeometrySpec, _um
from hemcell.surface.geometry3d import smallest_trough_radius_3d_m


def check_thin_film(spec: GeometrySpec, coating_thickness_m: float, dim: int = 2,
                    field: str = "coating_thickness") -> None:
    """Refuse a thin-layer film (``coated_thin``) as thick as the surface's smallest trough
    radius: :meth:`~hemcell.surface.geometry.GeometrySpec.smallest_trough_radius_m` in 2D,
    :func:`~hemcell.surface.geometry3d.smallest_trough_radius_3d_m` in 3D.

    The film's outer surface, the metal surface moved by h along its normal, folds over
    itself where h reaches a trough's radius, as the resolved coating's does
    (:class:`~hemcell.surface.geometry.GeometrySpec` refuses that one); the thin-layer law
    (the drop i h/κ_c across a film along the normal) then describes no film. The
    thin-layer mesh carries no coating, so nothing fails: a run would give numbers for a
    film that cannot exist.

    Parameters
    ----------
    spec
        The geometry (its own ``coating_thickness_m`` is 0 for ``coated_thin``).
    coating_thickness_m
        Film thickness h [m].
    dim
        2 or 3.
    field
        What the error names (``coating_thickness``, or the option that gave h).

    Raises
    ------
    InputError
        ``field``, with the radius and what to change.
    """
    radius = smallest_trough_radius_3d_m(spec) if dim == 3 else spec.smallest_trough_radius_m()
    if coating_thickness_m < radius:
        return
    lower = f"lower {field}"
    hint = {"sinusoid": f"{lower} or {SET_NAMES['amplitude_m']}, or raise "
                        f"{SET_NAMES['width_m']}",
            "nucleus": f"{lower} or raise {SET_NAMES['fillet_radius_m']}",
            "random": f"{lower} or {SET_NAMES['amplitude_m']}, or raise "
                      f"{SET_NAMES['roughness_correlation_length_m']}"}[spec.kind]
    where = {"sinusoid": "the radius of curvature of the sinusoid's troughs, W²/(4π² A)",
             "nucleus": "the nucleus's fillet radius",
             "random": "the smallest radius of curvature of the surface's troughs" if dim == 2
             else "the smallest principal radius of curvature of the surface's troughs in 3D"
             }[spec.kind]
    raise InputError(
        field, _um(coating_thickness_m),
        f"below {_um(radius)}, {where} (the thin film's outer surface, the metal "
        "surface moved by h along its normal, folds over itself where h reaches it: the "
        "thin-layer law describes no film there)", hint=hint)
