"""The commands that repeat a geometry mesh it once (mesh cache and in-process reuse).

Counted, never timed: the gmsh model builds (``_build_gmsh_model_3d`` / ``_gmsh_arrays``)
and the DOLFINx constructions (``mesh_from_arrays``) of ``surface compare --dim 3``, a
rerun, ``surface seeds`` reruns, and the mesh keys of sweep points (each point is its
own process, so a sweep reuses the mesh through the file cache when the keys agree).
"""

from __future__ import annotations

import pytest

from tests.surface.conftest import require_fenicsx

pytestmark = pytest.mark.usefixtures("fenicsx")

COARSE_3D = ["surface_mesh_size_3d=0.8um", "far_mesh_size_3d=4um"]
COARSE_2D = ["surface_mesh_size=0.2um", "far_mesh_size=4um"]


@pytest.fixture
def counted(tmp_path, monkeypatch):
    """A private cache folder and counters of gmsh builds and DOLFINx constructions."""
    require_fenicsx()
    from hemcell.surface import geometry, geometry3d, mesh_cache

    monkeypatch.setenv("HEMCELL_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("HEMCELL_MESH_CACHE", raising=False)
    mesh_cache.forget()
    calls = {"gmsh": 0, "gmsh_3d": 0, "dolfinx": 0}

    def counting(module, name, key):
        original = getattr(module, name)

        def wrapper(*args, **kwargs):
            calls[key] += 1
            return original(*args, **kwargs)

        monkeypatch.setattr(module, name, wrapper)

    counting(geometry, "_gmsh_arrays", "gmsh")
    counting(geometry3d, "_build_gmsh_model_3d", "gmsh_3d")
    counting(geometry, "mesh_from_arrays", "dolfinx")
    yield calls
    mesh_cache.forget()


def test_compare_3d_meshes_once_and_a_rerun_hits_the_file(counted, tmp_path):
    """``compare --dim 3``: one gmsh run and one DOLFINx mesh for both cases; a rerun
    in a new process (in-process mesh dropped) reads the file: no gmsh."""
    from hemcell.surface import mesh_cache
    from hemcell.workflows.surface import compare_cases, run_case

    compare_cases("nucleus", COARSE_3D, tmp_path / "cmp", dim=3, plots_on=False)
    assert counted == {"gmsh": 1, "gmsh_3d": 1, "dolfinx": 1}
    assert len(list((tmp_path / "cache" / "meshes").glob("*.npz"))) == 1
    mesh_cache.forget()
    run_case("coated_thin", "nucleus", COARSE_3D, tmp_path / "run", dim=3,
             write_outputs=False)
    assert counted == {"gmsh": 1, "gmsh_3d": 1, "dolfinx": 2}


def test_seeds_rerun_hits_the_file(counted, tmp_path):
    """``surface seeds`` (2D): two meshes per seed (bare with the band as electrolyte,
    coated); the same seeds again: no gmsh."""
    from hemcell.surface import mesh_cache
    from hemcell.workflows.surface import seed_statistics

    seed_statistics("random", COARSE_2D, tmp_path / "a", n_seeds=1)
    assert counted["gmsh"] == 2
    mesh_cache.forget()
    seed_statistics("random", COARSE_2D, tmp_path / "b", n_seeds=1)
    assert counted["gmsh"] == 2 and counted["dolfinx"] == 4


def test_sweep_points_share_the_mesh_key_unless_the_geometry_changes():
    """A sweep over loading, kinetics or pressure keeps the 3D mesh key (every point
    after the first is a file hit); a geometric parameter changes it."""
    require_fenicsx()
    from hemcell.surface.geometry3d import FACETS_3D, REGIONS_3D
    from hemcell.surface.mesh_cache import mesh_key
    from hemcell.workflows.surface import resolve_case

    def key(*sets: str) -> str:
        given = {s.split("=", 1)[0] for s in sets}  # a --set key is given once
        coarse = [s for s in COARSE_3D if s.split("=", 1)[0] not in given]
        spec = resolve_case("bare", "random", [*coarse, *sets], dim=3).geometry
        return mesh_key("3d", spec, facets=FACETS_3D, regions=REGIONS_3D)

    same = {key(), key("applied_current_density=2mA/cm^2"), key("sei_seed=7"),
            key("stack_pressure=2MPa")}
    assert len(same) == 1
    assert key("roughness_seed=7") not in same
    assert key("surface_mesh_size_3d=0.7um") not in same
