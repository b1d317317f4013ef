"""PNG maps of 3D surface runs (``--dim 3``).

- ``current_density.png``: the normal current density i_n on the Li surface seen from
  above (the surface triangles projected on the x–y plane), with the height contours;
- ``concentration.png``: c on the vertical x–z slice through the crest (y = y_tip);
- ``comparison.png`` (``compare --dim 3``): both maps for bare and coated side by side
  on common colour scales, and i_n along the line y = y_tip.

Fields for ParaView are written by :func:`hemcell.surface.output.write_fields`
(``fields/transport.bp``; the mesh is 3D).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from hemcell.figures import save_figure
from hemcell.surface.geometry import Facet
from hemcell.surface.solver import CoupledResult

_UM = 1e6  # µm per m, for axis labels


def surface_triangles(result: CoupledResult) -> tuple[Any, Any] | None:
    """Li-surface triangles [m] (n, 3, 3) and nodal i_n [A m⁻²] (n, 3) on rank 0.

    Each owned surface facet contributes its three vertices; values are those of the P1
    interpolant of i_n (exact at the nodes). Collective; ``None`` on other ranks.
    """
    import dolfinx.mesh

    from hemcell.surface.solver3d import normal_current_function

    tr = result.transport
    msh, V1 = tr.msh, tr.V1
    fdim = msh.topology.dim - 1
    ft = tr.sm.transport_facets
    facets = ft.indices[ft.values == Facet.LI_SURFACE]
    facets = facets[facets < msh.topology.index_map(fdim).size_local]
    msh.topology.create_connectivity(fdim, fdim + 1)
    f2c = msh.topology.connectivity(fdim, fdim + 1)
    nodes = dolfinx.mesh.entities_to_geometry(msh, fdim, facets)
    cells = np.array([f2c.links(f)[0] for f in facets], dtype=np.int32)
    cell_nodes = msh.geometry.dofmaps[0][cells]
    # P1 dofs follow the cell's geometry-node order (degree-1 geometry)
    where = np.argmax(nodes[:, :, None] == cell_nodes[:, None, :], axis=2)
    dofs = np.take_along_axis(V1.dofmap.list[cells], where, axis=1)
    i_n = normal_current_function(tr).x.array
    parts = msh.comm.gather((msh.geometry.x[nodes], i_n[dofs]), root=0)
    if msh.comm.rank != 0:
        return None
    return (np.concatenate([p[0] for p in parts]).reshape(-1, 3, 3),
            np.concatenate([p[1] for p in parts]).reshape(-1, 3))


def evaluate_points(func: Any, points_m: npt.NDArray[np.float64]) -> npt.NDArray[np.float64] | None:
    """Values of a scalar function at points (n, 3) [m]; NaN outside the mesh; rank 0.

    Each rank evaluates the points inside its own (affine tetrahedral) cells; rank 0
    takes the first value found. Collective; ``None`` on other ranks. Containment is
    decided by barycentric coordinates (tolerance 1e-10): DOLFINx's
    ``compute_colliding_cells`` uses an absolute distance tolerance that accepts every
    nearby cell when lengths are in metres. The search tree holds only the cells whose
    bounding box meets the points' bounding box (for a slice map, the cells cut by the
    slice plane: a few % of a large 3D mesh).
    """
    from dolfinx import geometry

    msh = func.function_space.mesh
    tdim = msh.topology.dim
    n_cells = msh.topology.index_map(tdim).size_local
    corners = msh.geometry.x[msh.geometry.dofmaps[0][:n_cells]]  # (cells, nodes, 3)
    lo, hi = points_m.min(axis=0), points_m.max(axis=0)
    near = np.flatnonzero(np.all((corners.min(axis=1) <= hi) & (corners.max(axis=1) >= lo),
                                 axis=1)).astype(np.int32)
    tree = geometry.bb_tree(msh, tdim, entities=near)
    cand = geometry.compute_collisions_points(tree, points_m)
    offsets, cells = np.asarray(cand.offsets), np.asarray(cand.array)
    point = np.repeat(np.arange(len(points_m)), np.diff(offsets))
    X = msh.geometry.x[msh.geometry.dofmaps[0][cells][:, :4]]  # (m, 4, 3) vertices
    edges = np.transpose(X[:, 1:] - X[:, :1], (0, 2, 1))
    lam = np.linalg.solve(edges, (points_m[point] - X[:, 0])[..., None])[..., 0]
    inside = (lam.min(axis=1) >= -1e-10) & (lam.sum(axis=1) <= 1 + 1e-10)
    idx, first = np.unique(point[inside], return_index=True)
    vals = np.full(len(points_m), np.nan)
    if idx.size:
        vals[idx] = func.eval(points_m[idx], cells[inside][first].astype(np.int32)).ravel()
    parts = msh.comm.gather(vals, root=0)
    if msh.comm.rank != 0:
        return None
    out = np.full(len(points_m), np.nan)
    for p in parts:
        out = np.where(np.isnan(out), p, out)
    return out


def map_data_3d(result: CoupledResult, n: int = 101) -> dict[str, Any]:
    """Data of the 3D maps on rank 0 (collective; ``{}`` on other ranks)."""
    from hemcell.surface.geometry3d import height_m, tip_xy_m

    tr = result.transport
    spec = tr.sm.spec
    tri = surface_triangles(result)
    _, y_tip = tip_xy_m(spec)
    x = np.linspace(0.0, spec.width_m, n)
    s_line = height_m(spec, x, np.full_like(x, y_tip))
    z = np.linspace(float(s_line.min()), float(s_line.max()) + spec.width_m, n)
    X, Z = np.meshgrid(x, z)
    pts = np.column_stack([X.ravel(), np.full(X.size, y_tip), Z.ravel()])
    c = tr.fields()["concentration_mol_per_m3"]
    c_slice = evaluate_points(c, pts)
    if tr.msh.comm.rank != 0:
        return {}
    assert tri is not None and c_slice is not None
    return {"triangles": tri, "slice": (X, Z, c_slice.reshape(X.shape)), "y_tip": y_tip,
            "line": (x, s_line), "spec": spec}


def _top_view(ax: Any, d: dict[str, Any], vmin: float | None = None,
              vmax: float | None = None) -> None:
    import matplotlib.tri as mtri

    xyz, vals = d["triangles"]
    pts = xyz.reshape(-1, 3)
    t = mtri.Triangulation(pts[:, 0] * _UM, pts[:, 1] * _UM, np.arange(len(pts)).reshape(-1, 3))
    pc = ax.tripcolor(t, vals.ravel(), cmap="magma", shading="gouraud", vmin=vmin, vmax=vmax)
    z_um = pts[:, 2] * _UM
    if np.ptp(z_um) > 0:  # height contours at round heights, named in the legend
        from matplotlib.ticker import MaxNLocator

        levels = [v for v in MaxNLocator(nbins=6).tick_values(z_um.min(), z_um.max())
                  if z_um.min() < v < z_um.max()]
        if levels:
            ax.tricontour(t, z_um, levels=levels, colors="w", linewidths=0.4, alpha=0.6)
            ax.plot([], [], "w-", lw=0.8, label="height " + ", ".join(f"{v:g}" for v in levels)
                    + " µm")
    ax.axhline(d["y_tip"] * _UM, color="c", lw=0.6, ls="--", label="slice of the c map")
    ax.legend(loc="upper right", fontsize=7, facecolor="0.5", framealpha=0.6)
    ax.set_aspect("equal")
    ax.set_xlabel("x [µm]")
    ax.set_ylabel("y [µm]")
    ax.figure.colorbar(pc, ax=ax, label="i_n on the Li surface [A m⁻²]", shrink=0.85)


def _slice(ax: Any, d: dict[str, Any], vmin: float | None = None,
           vmax: float | None = None) -> None:
    X, Z, C = d["slice"]
    pc = ax.pcolormesh(X * _UM, Z * _UM, np.ma.masked_invalid(C), cmap="viridis",
                       shading="auto", vmin=vmin, vmax=vmax)
    x, s = d["line"]
    ax.plot(x * _UM, s * _UM, "k", lw=1)
    ax.set_aspect("equal")
    ax.set_xlabel("x [µm]")
    ax.set_ylabel("z [µm]")
    ax.set_title(f"slice y = {d['y_tip'] * _UM:.2f} µm", fontsize=9)
    ax.figure.colorbar(pc, ax=ax, label="c [mol m⁻³]", shrink=0.85)


def write_maps_3d(result: CoupledResult, out_dir: Path, title: str = "") -> list[Path]:
    """``current_density.png`` (top view of i_n) and ``concentration.png`` (slice of c)."""
    d = map_data_3d(result)
    if not d:
        return []
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out = []
    for fname, draw, label in (("current_density.png", _top_view, "i_n from above"),
                               ("concentration.png", _slice, "c")):
        fig, ax = plt.subplots(figsize=(6, 5.5))
        draw(ax, d)
        ax.set_title(f"{title} {label}".strip())
        out.append(save_figure(fig, Path(out_dir) / fname, dpi=130))
    return out


def write_comparison_figure_3d(results: dict[str, CoupledResult], out_dir: Path) -> Path | None:
    """Bare | coated top views and slices on common scales, and i_n along y = y_tip."""
    data = {case: map_data_3d(r) for case, r in results.items()}
    if not all(data.values()):
        return None
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    cases = list(results)
    i_all = np.concatenate([d["triangles"][1].ravel() for d in data.values()])
    c_all = np.concatenate([d["slice"][2].ravel() for d in data.values()])
    fig, axes = plt.subplots(2, len(cases) + 1, figsize=(5.5 * (len(cases) + 1), 10))
    for j, case in enumerate(cases):
        _top_view(axes[0, j], data[case], float(i_all.min()), float(i_all.max()))
        _slice(axes[1, j], data[case], float(np.nanmin(c_all)), float(np.nanmax(c_all)))
        axes[0, j].set_title(case)
    ax = axes[0, -1]
    for case in cases:
        xyz, vals = data[case]["triangles"]
        pts, v = xyz.reshape(-1, 3), vals.ravel()
        # surface nodes within half an element of the line y = y_tip
        near = (np.abs(pts[:, 1] - data[case]["y_tip"])
                < 0.5 * data[case]["spec"].surface_mesh_size_m)
        order = np.argsort(pts[near, 0])
        ax.plot(pts[near, 0][order] * _UM, v[near][order], ".-", ms=2, label=case)
    ax.set_xlabel("x [µm]")
    ax.set_ylabel("i_n on the Li surface near y = y_tip [A m⁻²]")
    ax.legend()
    axes[1, -1].axis("off")
    return save_figure(fig, Path(out_dir) / "comparison.png", dpi=110)
