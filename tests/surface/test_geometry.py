"""Geometry and mesh: tags, conformal coating, sub-meshes."""

from __future__ import annotations

import numpy as np
import pytest

from hemcell.errors import InputError
from hemcell.surface.geometry import Cell, Facet, GeometrySpec
from tests.surface.conftest import coarse_spec, require_fenicsx


def test_profiles_are_smooth_graphs_with_unit_normals():
    for kind in ("flat", "sinusoid", "nucleus"):
        spec = GeometrySpec(kind=kind)
        x = np.linspace(0, spec.width_m, 2001)
        _, y, nx, ny = spec.profile(x)
        np.testing.assert_allclose(nx**2 + ny**2, 1.0, rtol=1e-12)
        assert np.all(ny > 0)  # normal points into the electrolyte
        assert np.all(np.abs(np.diff(y)) < 0.05 * spec.width_m)  # continuous
        np.testing.assert_allclose(nx[[0, -1]], 0.0, atol=1e-12)  # vertical sides
    s = GeometrySpec(kind="nucleus", nucleus_radius_m=2e-6)
    assert s.profile([s.width_m / 2])[1][0] == pytest.approx(2e-6)
    s = GeometrySpec(kind="sinusoid", amplitude_m=1e-6)
    assert s.profile([s.width_m / 2])[1][0] == pytest.approx(1e-6)


@pytest.mark.parametrize("kwargs", [
    {"kind": "cone"},
    {"kind": "nucleus", "nucleus_radius_m": 6e-6},
    {"width_m": -1.0},
    {"coating_thickness_m": -1e-9},
    {"kind": "sinusoid", "amplitude_m": 30e-6},
])
def test_bad_geometry_raises_input_error(kwargs):
    with pytest.raises(InputError):
        GeometrySpec(**kwargs)


@pytest.mark.parametrize("kind", ["flat", "sinusoid", "nucleus"])
def test_coated_mesh_tags_and_conformal_coating(kind):
    """Coating band: all layers present, thickness h along the normal everywhere."""
    require_fenicsx()
    from hemcell.surface.geometry import build_mesh

    h = 28e-9
    sm = build_mesh(coarse_spec(kind, coating_thickness_m=h))
    assert sm.has_coating
    ft, ct = sm.transport_facets, sm.transport_cells
    for tag in (Facet.LI_SURFACE, Facet.COATING_SURFACE, Facet.TOP, Facet.SIDE_ELECTROLYTE,
                Facet.SIDE_COATING):
        assert sm.mesh.comm.allreduce(int(np.sum(ft.values == tag))) > 0, tag
    for tag in (Facet.LI_SURFACE, Facet.BOTTOM, Facet.SIDE_LI):
        assert sm.mesh.comm.allreduce(int(np.sum(sm.mechanics_facets.values == tag))) > 0
    assert set(np.unique(ct.values)) <= {Cell.ELECTROLYTE, Cell.COATING}
    assert set(np.unique(sm.mechanics_cells.values)) <= {Cell.LI, Cell.COATING}
    # Coating/electrolyte nodes lie at distance h from the Li curve along its normal.
    import dolfinx.mesh

    msh = sm.transport
    facets = ft.indices[ft.values == Facet.COATING_SURFACE]
    nodes = dolfinx.mesh.entities_to_geometry(msh, 1, facets).ravel()
    X = msh.geometry.x[nodes]
    dense = sm.spec.surface_points(20001)
    d = np.min(np.hypot(X[:, None, 0] - dense[None, :, 0], X[:, None, 1] - dense[None, :, 1]),
               axis=1)
    np.testing.assert_allclose(d, h, rtol=2e-2)
    # band cells are thin: every coating cell lies near the Li curve (chords on the
    # 0.5 µm fillet sag by up to ~10 nm at this coarse surface resolution)
    cells = ct.indices[ct.values == Cell.COATING]
    mid = dolfinx.mesh.compute_midpoints(msh, 2, cells)
    dm = np.min(np.hypot(mid[:, None, 0] - dense[None, :, 0],
                         mid[:, None, 1] - dense[None, :, 1]), axis=1)
    assert np.all(dm < 1.5 * h)


def test_band_as_electrolyte_gives_same_nodes():
    """compare: the bare mesh is the coated mesh with the band tagged electrolyte."""
    require_fenicsx()
    from hemcell.surface.geometry import build_mesh

    spec = coarse_spec("sinusoid", coating_thickness_m=28e-9)
    a = build_mesh(spec)
    b = build_mesh(spec, band_is_electrolyte=True)
    assert not b.has_coating
    assert a.num_cells() == b.num_cells()
    xa = np.sort(a.mesh.geometry.x[:, 0] + 7 * a.mesh.geometry.x[:, 1])
    xb = np.sort(b.mesh.geometry.x[:, 0] + 7 * b.mesh.geometry.x[:, 1])
    if a.mesh.comm.size == 1:
        np.testing.assert_allclose(xa, xb, rtol=0, atol=1e-15)
    assert np.sum(b.transport_cells.values == Cell.COATING) == 0
