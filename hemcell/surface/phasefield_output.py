"""Output of phase-field runs: metrics, time series, frames/animation, fields for ParaView.

- ``metrics.json`` (:func:`phasefield_metrics`): the morphology at the end of the run —
  ``dendrite_index`` (ξ = ½ contour length / projected length W; 1 for a flat deposit),
  ``tip_to_mean_height_ratio`` (highest deposit over the mean deposit thickness, both
  from the initial mean surface; null before one interface width has deposited),
  ``branches`` (metal arms cut halfway between the mean and the highest deposit),
  ``max_height_m``, ``mean_height_m``, ``roughness_rms_m`` (of the deposit height along
  x) — and the checks and run data: ``metal_volume_conservation_error`` (relative: metal
  area grown vs the Faraday area i W t Ω/(zF); galvanostatic), ``final_time_s``,
  ``stop_reason``, ``steps``, ``rejected_steps``, ``dofs``, ``mpi_ranks``,
  ``solve_time_s``, ``time_per_step_s``, ``mesh_size_m``, ``interface_width_m``,
  ``cells_per_interface_width``, ``min_concentration_mol_per_m3`` (lowest over the run, in
  the electrolyte ξ < ½),
  ``far_potential_V`` (electrolyte potential at the far boundary vs the metal, end),
  ``coating_tension_N_per_m`` (end; 0 bare and in the region form),
  ``coating_pressure_max_Pa`` (largest load of a resolved layer on the deposit, end; 0
  otherwise), ``coating_model`` (``interface`` | ``region``; null bare), ``control``,
  ``initial_dendrite_index``.
- ``timeseries.csv``: :data:`hemcell.surface.phasefield.TIMESERIES_COLUMNS`, one row per
  accepted step (units in the names).
- ``frames/frame_NNN.png`` and ``animation.gif``: concentration map with the ξ = ½
  contour (the deposit in grey) at the snapshot times.
- ``fields/phasefield.bp`` (VTX, ADIOS2) and ``fields/phasefield.pvd`` (VTK pieces,
  pyvista): ``order_parameter``, ``concentration_mol_per_m3``, ``potential_V`` (and
  ``coating_layer``, the indicator χ of a resolved coating) at the snapshot times. Mesh
  coordinates are in µm.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import numpy as np

from hemcell.surface.phasefield import (
    LENGTH_UNIT_M,
    TIMESERIES_COLUMNS,
    PhaseFieldModel,
    PhaseFieldResult,
)


def phasefield_metrics(result: PhaseFieldResult) -> dict[str, Any]:
    """Scalar summary of a run (the ``metrics.json`` entries, module docstring)."""
    rows, p = result.rows, result.parameters
    last, first = rows[-1], rows[0]
    expected = last["metal_area_from_charge_m2_per_m"] - first["metal_area_m2_per_m"]
    grown = last["metal_area_m2_per_m"] - first["metal_area_m2_per_m"]
    cons = abs(grown - expected) / expected if (
        p.control == "galvanostatic" and expected > 0) else None
    return {
        "case": result.case,
        "dendrite_index": last["dendrite_index"],
        "initial_dendrite_index": first["dendrite_index"],
        "tip_to_mean_height_ratio": last["tip_to_mean_height_ratio"],
        "branches": last["branches"],
        "max_height_m": last["max_height_m"],
        "mean_height_m": last["mean_height_m"],
        "roughness_rms_m": last["roughness_rms_m"],
        "metal_volume_conservation_error": None if cons is None else float(cons),
        "final_time_s": last["time_s"],
        "stop_reason": result.stop_reason,
        "steps": result.steps,
        "rejected_steps": result.rejected_steps,
        "dofs": result.dofs,
        "mpi_ranks": result.mpi_ranks,
        "solve_time_s": result.solve_time_s,
        "time_per_step_s": result.solve_time_s / max(result.steps, 1),
        "mesh_size_m": p.mesh_size_m,
        "interface_width_m": p.interface_width_m,
        "cells_per_interface_width": p.cells_per_interface_width,
        "applied_current_density_A_per_m2": (p.applied_current_density_A_per_m2
                                             if p.control == "galvanostatic" else None),
        "min_concentration_mol_per_m3": min(r["min_concentration_mol_per_m3"] for r in rows),
        "far_potential_V": last["far_potential_V"],
        "coating_tension_N_per_m": last["coating_tension_N_per_m"],
        "coating_pressure_max_Pa": last["coating_pressure_max_Pa"],
        "coating_model": p.coating_model if p.coated else None,
        "control": p.control,
    }


def write_timeseries(result: PhaseFieldResult, path: Path) -> Path:
    """One row per recorded step (rank 0)."""
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(TIMESERIES_COLUMNS), extrasaction="ignore")
        w.writeheader()
        for row in result.rows:
            w.writerow({k: ("" if row.get(k) is None else row.get(k))
                        for k in TIMESERIES_COLUMNS})
    return path


class FieldSeries:
    """ξ, c, φ at the snapshot times as VTX (``.bp``) and VTK (``.pvd``); collective.

    Use as ``on_snapshot`` of :func:`hemcell.surface.phasefield.run_phasefield`; the
    writers open at the first call (when the mesh exists) and :meth:`close` ends them.
    """

    def __init__(self, out_dir: Path) -> None:
        self.dir = Path(out_dir) / "fields"
        self._vtx: Any = None
        self._vtk: Any = None
        self._funcs: list[Any] = []

    def __call__(self, model: PhaseFieldModel, t_s: float) -> None:
        """Write the present state at time ``t_s``."""
        from dolfinx import fem
        from dolfinx.io import VTXWriter

        from hemcell.surface.output import VTKSeries

        p = model.p
        if self._vtx is None:
            if model.msh.comm.rank == 0:
                self.dir.mkdir(parents=True, exist_ok=True)
            model.msh.comm.Barrier()
            self._funcs = [fem.Function(model.V1, name=n) for n in (
                "order_parameter", "concentration_mol_per_m3", "potential_V")]
            if p.coating_region:
                self._funcs.append(fem.Function(model.V1, name="coating_layer"))
            self._vtx = VTXWriter(model.msh.comm, self.dir / "phasefield.bp", self._funcs,
                                  engine="BP4")
            self._vtk = VTKSeries(model.msh, self.dir / "phasefield.pvd")
        scales = (1.0, p.bulk_concentration_mol_per_m3, p.thermal_voltage_V)
        for i, (f, s) in enumerate(zip(self._funcs[:3], scales, strict=True)):
            f.interpolate(model.u.sub(i))
            f.x.array[:] *= s
            f.x.scatter_forward()
        if p.coating_region:  # χ of the layer the next step uses
            self._funcs[3].x.array[:] = model.layer.x.array
        self._vtx.write(float(t_s))
        self._vtk.write(self._funcs, float(t_s))

    def close(self) -> list[Path]:
        """Close the files; return their paths."""
        if self._vtx is None:
            return []
        self._vtx.close()
        self._vtk.close()
        return [self.dir / "phasefield.bp", self.dir / "phasefield.pvd"]


def _frame(snap: Any, x_m: Any, y_m: Any, title: str, c_range: tuple[float, float]) -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    um = 1.0 / LENGTH_UNIT_M
    fig, ax = plt.subplots(figsize=(5.2, 4.6))
    im = ax.pcolormesh(x_m * um, y_m * um, snap.concentration_mol_per_m3, shading="gouraud",
                       cmap="viridis",
                       vmin=c_range[0], vmax=c_range[1])
    ax.contourf(x_m * um, y_m * um, snap.order_parameter, levels=[0.5, 2.0], colors=["0.6"])
    ax.contour(x_m * um, y_m * um, snap.order_parameter, levels=[0.5], colors="k",
               linewidths=0.8)
    fig.colorbar(im, ax=ax, label="salt concentration [mol/m³]")
    ax.set_aspect("equal")
    ax.set_xlabel("x [µm]")
    ax.set_ylabel("y [µm]")
    ax.set_title(f"{title}, t = {snap.time_s:.3g} s")
    return fig


def write_frames(result: PhaseFieldResult, out_dir: Path, title: str) -> list[Path]:
    """``frames/frame_NNN.png`` and ``animation.gif`` (rank 0)."""
    from hemcell.figures import save_figure

    snaps = result.snapshots
    if not snaps:
        return []
    fdir = Path(out_dir) / "frames"
    fdir.mkdir(parents=True, exist_ok=True)
    c_all = np.concatenate([s.concentration_mol_per_m3[s.order_parameter < 0.5] for s in snaps])
    c_range = (float(np.min(c_all)), float(np.max(c_all)) + 1e-9)
    paths = []
    for k, snap in enumerate(snaps):
        path = fdir / f"frame_{k:03d}.png"
        save_figure(_frame(snap, result.x_m, result.y_m, title, c_range), path, dpi=90)
        paths.append(path)
    from PIL import Image

    images = [Image.open(p_).convert("P", palette=Image.Palette.ADAPTIVE) for p_ in paths]
    images[0].save(Path(out_dir) / "animation.gif", save_all=True, append_images=images[1:],
                   duration=400, loop=0)
    paths.append(Path(out_dir) / "animation.gif")
    return paths
