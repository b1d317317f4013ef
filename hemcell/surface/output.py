"""Output of surface runs: VTX/XDMF fields for ParaView and PNG maps.

Fields go to ``DIR/fields/``:

- ``transport.bp``: concentration [mol m⁻³], potential [V] (and the Li/coating
  interface potential for the thin-layer case), current-density magnitude [A m⁻²];
- ``mechanics.bp``: displacement [m] (P2);
- ``von_mises.bp``: von Mises stress [Pa] (DG1).

When ADIOS2 is missing, XDMF files with P1/DG0 fields are written instead.

The same fields are also written as VTK unstructured grids (DOLFINx ``VTKFile``:
``transport.pvd`` → ``transport000000.pvtu`` + one ``transport_p<rank>_000000.vtu`` per
MPI rank; likewise ``mechanics.pvd``, ``von_mises.pvd``), which pyvista and ParaView
open. Each piece carries the units of its fields as VTK field data
(``"<field> units"``: a UDUNITS string, :func:`hemcell.netcdf.udunits`), e.g.
``pyvista.read("fields/transport000000.pvtu").field_data["potential_V units"]``.
PNG maps (rank 0): ``concentration.png``, ``current_density.png``, ``von_mises.png``.
3D runs write ``transport.bp`` only (no mechanics) and the maps of
:mod:`hemcell.surface.output3d`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from hemcell.figures import save_figure
from hemcell.surface.solver import CoupledResult


def current_magnitude_expression(result: CoupledResult, c: Any, phi: Any) -> Any:
    """|i| [A m⁻²]: electrolyte law in the electrolyte, −κ_c∇φ in the coating."""
    import ufl
    from dolfinx import fem

    from hemcell.surface import coating, electrolyte
    from hemcell.surface.geometry import Cell

    tr = result.transport
    Q0 = fem.functionspace(tr.msh, ("DG", 0))
    in_coating = fem.Function(Q0)
    ct = tr.sm.transport_cells
    in_coating.x.array[ct.indices[ct.values == Cell.COATING]] = 1.0
    i_e = electrolyte.current_density(c, phi, tr.p)
    i_c = coating.coating_current_density(phi, tr.p)
    i_vec = (1 - in_coating) * i_e + in_coating * i_c
    return ufl.sqrt(ufl.inner(i_vec, i_vec))


def write_fields(result: CoupledResult, out_dir: Path) -> list[Path]:
    """Write the solution fields for ParaView; return the written paths."""
    import dolfinx_solver  # noqa: F401

    import dolfinx
    from dolfinx import fem


    tr, mech = result.transport, result.mechanics
    fields_dir = Path(out_dir) / "fields"
    if tr.msh.comm.rank == 0:
        fields_dir.mkdir(parents=True, exist_ok=True)
    tr.msh.comm.Barrier()
    tf = tr.fields()
    V1 = tf["concentration_mol_per_m3"].function_space
    imag = fem.Function(V1, name="current_density_magnitude_A_per_m2")
    expr = current_magnitude_expression(result, tf["concentration_mol_per_m3"], tf["potential_V"])
    imag.interpolate(fem.Expression(expr, V1.element.interpolation_points))
    transport_fields = [*tf.values(), imag]
    written = []
    if dolfinx.has_adios2:
        from dolfinx.io import VTXWriter

        outputs = [("transport.bp", tr.msh, transport_fields)]
        if mech is not None:  # (no mechanics in 3D runs)
            outputs += [("mechanics.bp", mech.sm.mechanics, [mech.u]),
                        ("von_mises.bp", mech.sm.mechanics, [mech.von_mises])]
        for name, msh, funcs in outputs:
            with VTXWriter(msh.comm, fields_dir / name, funcs, engine="BP4") as w:
                w.write(0.0)
            written.append(fields_dir / name)
    else:  # pragma: no cover - the shipped wheel has ADIOS2
        from dolfinx.io import XDMFFile

        with XDMFFile(tr.msh.comm, fields_dir / "transport.xdmf", "w") as xf:
            xf.write_mesh(tr.msh)
            for f in transport_fields:
                xf.write_function(f)
        written.append(fields_dir / "transport.xdmf")
    vtk_outputs = [("transport.pvd", tr.msh, transport_fields)]
    if mech is not None:
        vtk_outputs += [("mechanics.pvd", mech.sm.mechanics, [mech.u]),
                        ("von_mises.pvd", mech.sm.mechanics, [mech.von_mises])]
    for name, msh, funcs in vtk_outputs:
        written.append(write_vtk(msh, fields_dir / name, funcs))
    return written


def field_units(name: str) -> str:
    """UDUNITS string of a field named with its unit (``potential_V`` → ``V``,
    ``concentration_mol_per_m3`` → ``mol m-3``; ``1`` if the name has none)."""
    from hemcell.netcdf import udunits, unit_from_suffix

    return udunits(unit_from_suffix(name))


class VTKSeries:
    """DOLFINx ``VTKFile`` output over time, with the fields' units in every piece.

    Collective. Each write adds ``<stem><step>.pvtu`` and one piece
    ``<stem>_p<rank>_<step>.vtu`` per rank (listed in ``<stem>.pvd``); every piece gets a
    ``FieldData`` block with one string array ``"<name> units"`` per field, which VTK
    readers (pyvista's ``field_data``) expose.
    """

    def __init__(self, msh: Any, path: Path) -> None:
        from dolfinx.io import VTKFile

        self.msh, self.path, self.steps = msh, Path(path), 0
        self._file = VTKFile(msh.comm, str(path), "w")

    def write(self, funcs: list[Any], t: float) -> None:
        """Write ``funcs`` at time ``t`` [s]."""
        self._file.write_function(funcs, float(t))
        self.msh.comm.Barrier()
        piece = self.path.parent / f"{self.path.stem}_p{self.msh.comm.rank}_{self.steps:06d}.vtu"
        add_vtk_units(piece, {f.name: field_units(f.name) for f in funcs})
        self.steps += 1

    def close(self) -> None:
        """Close the ``.pvd`` file."""
        self._file.close()


def write_vtk(msh: Any, path: Path, funcs: list[Any], t: float = 0.0) -> Path:
    """Write ``funcs`` at time ``t`` as one :class:`VTKSeries` step; returns the ``.pvd``."""
    series = VTKSeries(msh, path)
    series.write(funcs, t)
    series.close()
    return path


def _vtk_string_array(name: str, text: str) -> str:
    """A VTK XML ``String`` array of one value (ASCII: byte codes, each string ended by 0)."""
    codes = " ".join(str(b) for b in text.encode()) + " 0"
    return (f'<DataArray type="String" Name="{name}" NumberOfTuples="1" '
            f'format="ascii">{codes}</DataArray>')


def add_vtk_units(vtu: Path, units: dict[str, str]) -> None:
    """Insert ``"<field> units"`` string arrays as ``FieldData`` into a ``.vtu`` file."""
    text = vtu.read_text()
    block = "<FieldData>" + "".join(_vtk_string_array(f"{n} units", u)
                                    for n, u in units.items()) + "</FieldData>"
    vtu.write_text(text.replace("<UnstructuredGrid>", f"<UnstructuredGrid>\n    {block}", 1))


def _gather_triangles(
    func: Any,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.int64], npt.NDArray[np.float64]] | None:
    """Per-cell vertex coordinates, triangles and values of a P1 or DG0 function on rank 0.

    Each owned cell contributes its three geometry nodes (duplicated), so the result
    can be drawn with ``tripcolor`` (gouraud for P1, flat face colours for DG0).
    """
    V = func.function_space
    msh = V.mesh
    n_cells = msh.topology.index_map(msh.topology.dim).size_local
    nodes = msh.geometry.dofmaps[0][:n_cells]
    xy = msh.geometry.x[nodes.ravel(), :2]
    if V.dofmap.dof_layout.num_dofs == 1:  # DG0: one value per cell
        vals = func.x.array[V.dofmap.list[:n_cells, 0]]
    else:  # P1: local dof order follows the reference vertex order
        vals = func.x.array[V.dofmap.list[:n_cells].ravel()]
    comm = msh.comm
    parts = comm.gather((xy, vals), root=0)
    if comm.rank != 0:
        return None
    xy_all = np.concatenate([p[0] for p in parts])
    vals_all = np.concatenate([p[1] for p in parts])
    tri = np.arange(len(xy_all)).reshape(-1, 3)
    return xy_all, tri, vals_all


#: Factor from a gathered field's SI unit to the unit its map is drawn in: von Mises in
#: MPa, as σ_nn along the surface (in Pa, the colour bar read "1e6" over 0.5 ... 2.0).
MAP_SCALE = {"vm": 1e-6}
VON_MISES_LABEL = "von Mises [MPa]"


def _map(ax: Any, data: Any, label: str, cmap: str, flat: bool = False,
         ylim_um: tuple[float, float] | None = None,
         clim: tuple[float, float] | None = None, scale: float = 1.0) -> None:
    """A map of one gathered field times ``scale`` (the unit of ``label``: 1e-6 for a
    stress in Pa drawn in MPa); ``clim`` fixes its colour scale in the drawn unit
    (default: its range)."""
    import matplotlib.tri as mtri

    xy, tri, vals = data
    vals = np.asarray(vals) * scale
    t = mtri.Triangulation(xy[:, 0] * 1e6, xy[:, 1] * 1e6, tri)
    vmin, vmax = clim if clim is not None else (None, None)
    if flat:
        pc = ax.tripcolor(t, facecolors=vals, cmap=cmap, shading="flat", vmin=vmin, vmax=vmax)
    else:
        pc = ax.tripcolor(t, vals, cmap=cmap, shading="gouraud", vmin=vmin, vmax=vmax)
    ax.set_aspect("equal")
    if ylim_um is not None:
        ax.set_ylim(*ylim_um)
    ax.set_xlabel("x [µm]")
    ax.set_ylabel("y [µm]")
    ax.figure.colorbar(pc, ax=ax, label=label, shrink=0.85)


def map_data(result: CoupledResult) -> dict[str, Any]:
    """Gather the data of the PNG maps on rank 0 (collective; ``{}`` elsewhere)."""
    import dolfinx_solver  # noqa: F401

    from dolfinx import fem


    tr, mech = result.transport, result.mechanics
    tf = tr.fields()
    c = tf["concentration_mol_per_m3"]
    Q0 = fem.functionspace(tr.msh, ("DG", 0))
    imag = fem.Function(Q0)
    expr = current_magnitude_expression(result, c, tf["potential_V"])
    imag.interpolate(fem.Expression(expr, Q0.element.interpolation_points))
    M0 = fem.functionspace(mech.sm.mechanics, ("DG", 0))
    vm = fem.Function(M0)
    from hemcell.surface.mechanics import von_mises

    vm.interpolate(fem.Expression(von_mises(mech.u, mech.lam, mech.mu, mech.growth_strain),
                                  M0.element.interpolation_points))
    data = {"c": _gather_triangles(c), "i": _gather_triangles(imag),
            "vm": _gather_triangles(vm)}
    if tr.msh.comm.rank != 0:
        return {}
    data["samples"] = result.samples
    spec = tr.sm.spec
    _, ys, _, _ = spec.profile(np.linspace(0, spec.width_m, 512))
    w = spec.width_m * 1e6
    lo, hi = float(ys.min()) * 1e6, float(ys.max()) * 1e6
    data["zoom_electrolyte"] = (lo - 0.05 * w, hi + 0.6 * w)
    data["zoom_solid"] = (max(lo - 0.6 * w, -spec.li_thickness_m * 1e6), hi + 0.05 * w)
    return data


def write_maps(result: CoupledResult, out_dir: Path, title: str = "") -> list[Path]:
    """Write concentration, current-density and von Mises PNG maps (collective).

    3D runs: ``current_density.png`` (i_n on the Li surface seen from above) and
    ``concentration.png`` (c on the vertical slice through the crest), see
    :mod:`hemcell.surface.output3d`.
    """
    if result.transport.msh.topology.dim == 3:
        from hemcell.surface.output3d import write_maps_3d

        return write_maps_3d(result, out_dir, title)
    data = map_data(result)
    if not data:
        return []
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out = []
    specs = (("concentration.png", "c", "c [mol m⁻³]", "viridis", False, None),
             ("current_density.png", "i", "|i| [A m⁻²]", "magma", True, "zoom_electrolyte"),
             ("von_mises.png", "vm", VON_MISES_LABEL, "inferno", True, "zoom_solid"))
    for fname, key, label, cmap, flat, zoom in specs:
        fig, ax = plt.subplots(figsize=(6, 5.5))
        _map(ax, data[key], label, cmap, flat, data[zoom] if zoom else None,
             scale=MAP_SCALE.get(key, 1.0))
        if key == "i":
            s = data["samples"]
            ax2 = ax.inset_axes((0.12, 0.62, 0.5, 0.28))
            ax2.plot(s.x_m * 1e6, s.current_density_A_per_m2, lw=1)
            ax2.set_xlabel("x [µm]", fontsize=7)
            # a title: a y label of the small inset ran into its tick labels
            ax2.set_title("i_n along the Li surface [A m⁻²]", fontsize=7)
            ax2.tick_params(labelsize=6)
        ax.set_title(f"{title} {label}".strip())
        out.append(save_figure(fig, Path(out_dir) / fname, dpi=130))
    return out


def write_comparison_figure(results: dict[str, CoupledResult], out_dir: Path) -> Path | None:
    """Side-by-side maps (bare | coated) and the surface current density (collective)."""
    if next(iter(results.values())).transport.msh.topology.dim == 3:
        from hemcell.surface.output3d import write_comparison_figure_3d

        return write_comparison_figure_3d(results, out_dir)
    data = {case: map_data(r) for case, r in results.items()}
    if not all(data.values()):
        return None
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    cases = list(results)
    # one colour scale per field across the cases, so bare and coated compare by colour
    clim = {key: (MAP_SCALE.get(key, 1.0) * min(float(np.min(data[c][key][2])) for c in cases),
                  MAP_SCALE.get(key, 1.0) * max(float(np.max(data[c][key][2])) for c in cases))
            for key in ("c", "i", "vm")}
    fig, axes = plt.subplots(3, len(cases) + 1, figsize=(5 * (len(cases) + 1), 13))
    for j, case in enumerate(cases):
        d = data[case]
        _map(axes[0, j], d["c"], "c [mol m⁻³]", "viridis", ylim_um=d["zoom_electrolyte"],
             clim=clim["c"])
        _map(axes[1, j], d["i"], "|i| [A m⁻²]", "magma", flat=True,
             ylim_um=d["zoom_electrolyte"], clim=clim["i"])
        _map(axes[2, j], d["vm"], VON_MISES_LABEL, "inferno", flat=True,
             ylim_um=d["zoom_solid"], clim=clim["vm"], scale=MAP_SCALE["vm"])
        axes[0, j].set_title(case)
    ax = axes[0, -1]
    for case in cases:
        s = data[case]["samples"]
        ax.plot(s.x_m * 1e6, s.current_density_A_per_m2, label=case)
    ax.set_xlabel("x [µm]")
    ax.set_ylabel("i_n on the Li surface [A m⁻²]")
    ax.legend()
    ax.set_title("current density along the surface")
    ax = axes[1, -1]
    for case in cases:
        s = data[case]["samples"]
        ax.plot(s.x_m * 1e6, s.concentration_mol_per_m3, label=case)
    ax.set_xlabel("x [µm]")
    ax.set_ylabel("surface concentration [mol m⁻³]")
    ax.legend()
    ax = axes[2, -1]
    for case in cases:
        s = data[case]["samples"]
        ax.plot(s.x_m * 1e6, s.normal_stress_Pa / 1e6, label=case)
    ax.set_xlabel("x [µm]")
    ax.set_ylabel("σ_nn in Li at the surface [MPa]")
    ax.legend()
    fig.tight_layout()
    path = Path(out_dir) / "comparison.png"
    from hemcell.figures import save_figure

    save_figure(fig, path, dpi=110, tight=False)
    return path
