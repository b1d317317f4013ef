"""Surface fields open in pyvista (VTK pieces next to VTX): names, units, sizes.

2D and 3D, serial and on 2 MPI ranks: ``fields/transport000000.pvtu`` (and the
mechanics and von Mises files in 2D) read with ``pyvista.read``; each field's unit is
the UDUNITS string in ``field_data["<name> units"]``; the non-ghost cells add up to the
mesh's global cell count; a transient run writes one step per snapshot.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests.surface.conftest import require_fenicsx, run_mpi_case

pv = pytest.importorskip("pyvista")

TRANSPORT_UNITS = {"concentration_mol_per_m3": "mol m-3", "potential_V": "V",
                   "current_density_magnitude_A_per_m2": "A m-2"}


def owned_cells(grid) -> int:
    """Cells that are not ghosts (VTK marks ghosts with vtkGhostType != 0)."""
    ghost = grid.cell_data.get("vtkGhostType")
    return grid.n_cells if ghost is None else int(np.count_nonzero(np.asarray(ghost) == 0))


def check_fields(path: Path, units: dict[str, str], cells: int | None = None) -> None:
    grid = pv.read(path)
    for name, unit in units.items():
        assert name in grid.point_data, (path, name)
        assert len(grid.point_data[name]) == grid.n_points
        assert str(grid.field_data[f"{name} units"][0]) == unit
    if cells is not None:
        assert owned_cells(grid) == cells


def test_2d_serial_run_writes_vtk_with_units(tmp_path):
    require_fenicsx()
    from typer.testing import CliRunner

    from hemcell.cli.surface import app

    out = tmp_path / "run"
    res = CliRunner().invoke(app, ["run", "--case", "coated", "--geometry", "nucleus",
                                   "--set", "surface_mesh_size=0.25um", "--set",
                                   "far_mesh_size=2.5um", "--out", str(out)])
    assert res.exit_code == 0, res.output
    fields = out / "fields"
    check_fields(fields / "transport000000.pvtu", TRANSPORT_UNITS)
    check_fields(fields / "mechanics000000.pvtu", {"displacement_m": "m"})
    check_fields(fields / "von_mises000000.pvtu", {"von_mises_Pa": "Pa"})
    assert pv.read(fields / "mechanics000000.pvtu").point_data["displacement_m"].shape[1] == 3
    assert isinstance(pv.read(fields / "transport.pvd"), pv.MultiBlock)


def test_3d_serial_and_2d_3d_on_two_ranks(tmp_path):
    """The MPI case: pieces of both ranks together hold every cell once."""
    require_fenicsx()
    sizes = run_mpi_case("tests.surface.mpi_fields_case", 2, tmp_path / "sizes.json")
    for dim in (2, 3):
        fields = tmp_path / f"d{dim}" / "fields"
        assert len(list(fields.glob("transport_p*_000000.vtu"))) == sizes[f"d{dim}"]["ranks"] == 2
        check_fields(fields / "transport000000.pvtu", TRANSPORT_UNITS, sizes[f"d{dim}"]["cells"])
        piece = pv.read(fields / "transport_p1_000000.vtu")
        assert str(piece.field_data["potential_V units"][0]) == "V"
    # serial 3D: the same writer on one rank
    from hemcell.surface.output import write_fields
    from hemcell.workflows.surface import resolve_case, solve_case

    rc = resolve_case("bare", "flat", ["surface_mesh_size=0.5um", "far_mesh_size=2.5um"], dim=3)
    result = solve_case(rc)
    write_fields(result, tmp_path / "serial3d")
    msh = result.transport.msh
    cells = msh.topology.index_map(msh.topology.dim).size_global
    assert cells == sizes["d3"]["cells"]
    check_fields(tmp_path / "serial3d" / "fields" / "transport000000.pvtu", TRANSPORT_UNITS, cells)


def test_transient_fields_one_vtk_step_per_snapshot(tmp_path):
    require_fenicsx()
    from typer.testing import CliRunner

    from hemcell.cli.surface import app

    out = tmp_path / "tr"
    res = CliRunner().invoke(app, ["run", "--case", "bare", "--geometry", "sinusoid",
                                   "--transient", "--duration-s", "30", "--dt-s", "10",
                                   "--set", "surface_mesh_size=0.25um", "--set",
                                   "far_mesh_size=2.5um", "--out", str(out)])
    assert res.exit_code == 0, res.output
    fields = out / "fields"
    steps = sorted(fields.glob("transient_0_p0_*.vtu"))
    reader = pv.get_reader(fields / "transient_0.pvd")
    assert len(reader.time_values) == len(steps) >= 2
    assert reader.time_values[-1] == pytest.approx(30.0)
    for step in sorted(fields.glob("transient_0*.pvtu")):
        check_fields(step, {"concentration_mol_per_m3": "mol m-3", "potential_V": "V"})
