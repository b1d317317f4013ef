"""Mesh cache (hemcell.surface.mesh_cache) and the gmsh → DOLFINx construction.

A cached mesh must be the mesh gmsh would have produced: same coordinates, cells and
tags (so every result is identical), and the construction from the gmsh arrays must
equal DOLFINx's own ``model_to_mesh`` (the tags transferred by cell index, not by
vertex matching).
"""

from __future__ import annotations

import numpy as np
import pytest

from tests.surface.conftest import example_parameters, require_fenicsx

pytestmark = pytest.mark.usefixtures("fenicsx")


def _spec(**changes):
    from hemcell.surface.geometry import GeometrySpec

    base = dict(kind="nucleus", coating_thickness_m=28e-9, surface_mesh_size_m=0.2e-6,
                far_mesh_size_m=2e-6)
    return GeometrySpec(**{**base, **changes})


def _same_mesh(a, b) -> None:
    """Coordinates, cell-node lists and all tags of two SurfaceMeshes are equal."""
    for m1, m2 in ((a.mesh, b.mesh), (a.transport, b.transport), (a.mechanics, b.mechanics)):
        np.testing.assert_array_equal(m1.geometry.x, m2.geometry.x)
        np.testing.assert_array_equal(m1.geometry.dofmaps[0], m2.geometry.dofmaps[0])
    for t1, t2 in ((a.cell_tags, b.cell_tags), (a.facet_tags, b.facet_tags),
                   (a.transport_facets, b.transport_facets),
                   (a.mechanics_facets, b.mechanics_facets)):
        np.testing.assert_array_equal(t1.indices, t2.indices)
        np.testing.assert_array_equal(t1.values, t2.values)


def test_cache_hit_gives_the_identical_mesh_and_solution(tmp_path, monkeypatch):
    """Miss stores one file; the hit skips gmsh and yields the same mesh and currents."""
    require_fenicsx()
    from hemcell.surface import geometry
    from hemcell.surface.solver import TransportProblem

    monkeypatch.setenv("HEMCELL_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("HEMCELL_MESH_CACHE", raising=False)
    spec = _spec()
    fresh = geometry.build_mesh(spec)
    files = list((tmp_path / "meshes").glob("*.npz"))
    assert len(files) == 1

    def no_gmsh(*_args, **_kwargs):
        raise AssertionError("gmsh ran on a cache hit")

    monkeypatch.setattr(geometry, "_gmsh_arrays", no_gmsh)
    cached = geometry.build_mesh(spec)
    _same_mesh(fresh, cached)

    p = example_parameters()
    currents = []
    for sm in (fresh, cached):
        tr = TransportProblem(sm, p, "coated")
        tr.solve()
        currents.append(tr.surface_samples().current_density_A_per_m2)
    np.testing.assert_array_equal(currents[0], currents[1])


def test_key_follows_every_geometry_field_and_the_builder(tmp_path, monkeypatch):
    from hemcell.surface.mesh_cache import mesh_key

    spec = _spec()
    assert mesh_key("2d", spec, band_is_electrolyte=False) == mesh_key(
        "2d", _spec(), band_is_electrolyte=False)
    others = {mesh_key("2d", spec, band_is_electrolyte=True), mesh_key("3d", spec),
              mesh_key("2d", _spec(surface_mesh_size_m=0.21e-6), band_is_electrolyte=False),
              mesh_key("2d", _spec(coating_layers=4), band_is_electrolyte=False),
              mesh_key("2d", spec, band_is_electrolyte=False)}
    assert len(others) == 5


def test_switched_off_or_damaged_cache_rebuilds(tmp_path, monkeypatch):
    """``HEMCELL_MESH_CACHE=off`` writes nothing; a damaged entry is a miss, overwritten."""
    require_fenicsx()
    from hemcell.surface import mesh_cache
    from hemcell.surface.geometry import build_mesh

    monkeypatch.setenv("HEMCELL_CACHE_DIR", str(tmp_path))
    monkeypatch.setenv("HEMCELL_MESH_CACHE", "off")
    spec = _spec(coating_thickness_m=0.0, kind="sinusoid")
    reference = build_mesh(spec)
    assert not (tmp_path / "meshes").exists()

    monkeypatch.delenv("HEMCELL_MESH_CACHE")
    key = mesh_cache.mesh_key("2d", spec, band_is_electrolyte=False)
    (tmp_path / "meshes").mkdir()
    (tmp_path / "meshes" / f"{key}.npz").write_bytes(b"not a zip file")
    assert mesh_cache.load(key) is None
    rebuilt = build_mesh(spec)
    _same_mesh(reference, rebuilt)
    assert mesh_cache.load(key) is not None


def test_arrays_construction_equals_model_to_mesh_2d_and_3d(tmp_path, monkeypatch):
    """Same cells, coordinates and tags as ``dolfinx.io.gmsh.model_to_mesh`` (3D: the
    facet groups the run reads only)."""
    require_fenicsx()
    import dolfinx.io.gmsh
    import gmsh
    from mpi4py import MPI

    from hemcell.surface import geometry, geometry3d
    from hemcell.surface.geometry import _gmsh_arrays, mesh_from_arrays

    monkeypatch.setenv("HEMCELL_MESH_CACHE", "off")
    comm = MPI.COMM_SELF
    spec2 = _spec()
    spec3 = _spec(kind="flat", coating_thickness_m=0.0, surface_mesh_size_m=1.5e-6,
                  far_mesh_size_m=5e-6)
    cases = [(lambda g: geometry._build_gmsh_model(spec2, g, False), 2, None),
             (lambda g: geometry3d._build_gmsh_model_3d(spec3, g), 3, geometry3d.FACETS_3D)]
    for build, gdim, facets in cases:
        msh, ct, ft = mesh_from_arrays(comm, _gmsh_arrays(build, facets), gdim)
        gmsh.initialize(interruptible=False)
        try:
            gmsh.option.setNumber("General.Terminal", 0)
            build(gmsh)
            ref = dolfinx.io.gmsh.model_to_mesh(gmsh.model, comm, 0, gdim=gdim)
        finally:
            gmsh.finalize()
        np.testing.assert_array_equal(msh.geometry.x, ref.mesh.geometry.x)
        np.testing.assert_array_equal(msh.geometry.dofmaps[0], ref.mesh.geometry.dofmaps[0])
        np.testing.assert_array_equal(ct.indices, ref.cell_tags.indices)
        np.testing.assert_array_equal(ct.values, ref.cell_tags.values)
        keep = np.isin(ref.facet_tags.values, facets) if facets else slice(None)
        np.testing.assert_array_equal(ft.indices, ref.facet_tags.indices[keep])
        np.testing.assert_array_equal(ft.values, ref.facet_tags.values[keep])
        if facets:
            assert set(np.unique(ft.values)) == set(facets)
