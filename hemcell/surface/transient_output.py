"""Output of transient surface runs: metrics, time series, frames, VTX fields over time.

- ``metrics.json`` keys (:func:`transient_metrics`): ``sand_time_s`` (null if not
  reached), ``sand_location_x_m``/``_y_m``, ``amplitude_growth_rate_per_s``
  (least-squares d ln A/dt after the first 20 % of the run; negative = flattening),
  ``amplitude_growth_rate_m_per_s`` (dA/dt), ``initial_amplitude_m``,
  ``final_amplitude_m``, ``amplitude_growth_factor`` (final/initial; this and the
  relative rate are null for a flat surface, :data:`FLAT_SURFACE_AMPLITUDE_M`), ``final_time_s``,
  ``stop_reason`` (duration reached, Sand's time, surface fold, surface reached the
  top of the electrolyte domain, or a non-finite surface: see
  :mod:`hemcell.surface.transient`, "Stopping early"), ``steps``, ``remeshes``,
  ``metal_volume_conservation_error`` (relative: metal (Li, Zn) area grown vs charge ×
  Ω/(zF); only when the surface moves, omitted with ``--fixed-surface``; named as the
  phase field's),
  ``final_current_focusing_factor``, ``final_min_surface_concentration_mol_per_m3``,
  ``dofs``, ``mpi_ranks``, ``solve_time_s``, ``time_per_step_s``. The amplitude is
  half the peak-to-valley height of the Li surface. Mechanics during growth (null when
  ``mechanics_update_interval`` = 0): ``final_max_von_mises_li_Pa``,
  ``final_max_von_mises_coating_Pa``, ``final_tip_normal_stress_Pa`` (σ_nn in the Li at
  the crest, tension positive), ``max_von_mises_li_Pa``/``max_von_mises_coating_Pa``
  (maxima over the run), ``final_max_abs_coating_membrane_strain``,
  ``mechanics_updates``; capillarity: ``final_max_capillary_shift_V`` (max |γΩκ/F|).
- ``timeseries.csv``: the columns of :data:`hemcell.surface.transient.TIMESERIES_COLUMNS`
  (units in the names).
- ``frames/frame_NNN.png`` and ``animation.gif``: concentration map with the surface,
  and the surface current, at the snapshot times.
- ``fields/transient_K.bp`` (VTX, one file per mesh K = 0, 1, ... after each remesh):
  concentration and potential at the snapshot times, on the moving mesh; the same as
  ``fields/transient_K.pvd`` (VTK pieces pyvista opens, units as field data, see
  :class:`hemcell.surface.output.VTKSeries`).
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from hemcell.surface.transient import TIMESERIES_COLUMNS, TransientResult

#: Initial amplitude below which a surface counts as flat [m]: a flat profile's amplitude
#: is round-off (1.8e-24 m), a physical perturbation at least atomic (1e-10 m). A flat
#: surface has no relative growth: its d ln A/dt and final/initial amplitude are null.
FLAT_SURFACE_AMPLITUDE_M = 1e-15


def transient_metrics(result: TransientResult) -> dict[str, Any]:
    """Scalar summary of a transient run (the ``metrics.json`` entries)."""
    rel, absolute = result.amplitude_rates()
    rows = result.rows
    flat = not rows[0]["amplitude_m"] >= FLAT_SURFACE_AMPLITUDE_M
    li0 = rows[0]["li_area_m2_per_m"]
    grown = rows[-1]["li_area_m2_per_m"] - li0
    expected = rows[-1]["deposited_area_from_charge_m2_per_m"] - li0
    # a fixed surface does not grow by construction: the check does not apply
    cons = (abs(grown - expected) / expected if expected > 0 else 0.0) \
        if result.moving_surface else None
    comm = result.transport.msh.comm if result.transport is not None else None
    sand_xy = result.sand_location_m
    return {
        "sand_time_s": result.sand_time_s,
        "sand_location_x_m": None if sand_xy is None else sand_xy[0],
        "sand_location_y_m": None if sand_xy is None else sand_xy[1],
        "amplitude_growth_rate_per_s": None if flat else rel,
        "amplitude_growth_rate_m_per_s": absolute,
        "initial_amplitude_m": rows[0]["amplitude_m"],
        "final_amplitude_m": rows[-1]["amplitude_m"],
        "amplitude_growth_factor": (None if flat
                                    else rows[-1]["amplitude_m"] / rows[0]["amplitude_m"]),
        "final_time_s": result.final_time_s,
        "stop_reason": result.stop_reason,
        "steps": result.steps,
        "remeshes": result.remeshes,
        **({"metal_volume_conservation_error": cons} if cons is not None else {}),
        "final_current_focusing_factor": rows[-1]["current_focusing_factor"],
        "final_min_surface_concentration_mol_per_m3":
            rows[-1]["min_surface_concentration_mol_per_m3"],
        "dofs": result.dofs,
        "mpi_ranks": 1 if comm is None else int(comm.size),
        "solve_time_s": result.solve_time_s,
        "time_per_step_s": result.solve_time_s / max(result.steps, 1),
        "final_max_von_mises_li_Pa": _finite(rows[-1]["max_von_mises_li_Pa"]),
        "final_max_von_mises_coating_Pa": _finite(rows[-1]["max_von_mises_coating_Pa"]),
        "final_tip_normal_stress_Pa": _finite(rows[-1]["tip_normal_stress_Pa"]),
        "max_von_mises_li_Pa": _finite(max(r["max_von_mises_li_Pa"] for r in rows)),
        "max_von_mises_coating_Pa": _finite(max(r["max_von_mises_coating_Pa"] for r in rows)),
        "final_max_abs_coating_membrane_strain": rows[-1]["max_abs_coating_membrane_strain"],
        "final_max_capillary_shift_V": rows[-1]["max_capillary_shift_V"],
        "mechanics_updates": result.mechanics_updates,
        **({"final_her_current_fraction": rows[-1]["her_current_fraction"]}
           if "her_current_fraction" in rows[-1] else {}),
    }


def _finite(value: float) -> float | None:
    """The value, or None (JSON null) when it is NaN (quantity not computed)."""
    return None if not np.isfinite(value) else float(value)


def write_timeseries(result: TransientResult, path: Path) -> Path:
    """Write ``timeseries.csv`` (one row per step, units in the column names)."""
    path = Path(path)
    with path.open("w", newline="") as fh:
        w = csv.writer(fh)
        columns = TIMESERIES_COLUMNS + (
            ("her_current_fraction",) if result.rows and "her_current_fraction" in result.rows[0]
            else ())
        w.writerow(columns)
        for r in result.rows:
            w.writerow([f"{r[k]:.10g}" for k in columns])
    return path


class FieldWriter:
    """VTX and VTK (pyvista-readable, units as field data) output over time; new files
    per mesh (after each remesh). Collective."""

    def __init__(self, out_dir: Path) -> None:
        self.dir = Path(out_dir) / "fields"
        self._writer: Any = None
        self._vtk: Any = None
        self._msh: Any = None
        self._funcs: list[Any] = []
        self.files: list[Path] = []

    def __call__(self, t: float, tr: Any) -> None:
        import dolfinx_solver  # noqa: F401

        import dolfinx.io
        from dolfinx import fem

        if tr.msh is not self._msh:
            self.close()
            if tr.msh.comm.rank == 0:
                self.dir.mkdir(parents=True, exist_ok=True)
            tr.msh.comm.Barrier()
            self._msh = tr.msh
            c = fem.Function(tr.V1, name="concentration_mol_per_m3")
            phi = fem.Function(tr.V1, name="potential_V")
            self._funcs = [c, phi]
            path = self.dir / f"transient_{len(self.files)}.bp"
            self.files.append(path)
            self._writer = dolfinx.io.VTXWriter(tr.msh.comm, str(path), self._funcs)
            from hemcell.surface.output import VTKSeries

            self._vtk = VTKSeries(tr.msh, path.with_suffix(".pvd"))
        for i, (f, scale) in enumerate(zip(self._funcs, (tr.c_scale, tr.phi_scale),
                                           strict=True)):
            f.interpolate(tr.u.sub(i))
            f.x.array[:] *= scale
            f.x.scatter_forward()
        self._writer.write(float(t))
        self._vtk.write(self._funcs, t)

    def close(self) -> None:
        """Close the current files."""
        if self._writer is not None:
            self._writer.close()
            self._writer = None
        if self._vtk is not None:
            self._vtk.close()
            self._vtk = None


#: Most filled contour bands of a frame's concentration map.
FRAME_CONTOUR_BANDS = 20


def frame_contour_levels(c_min: float, c_max: float) -> npt.NDArray[np.float64]:
    """Contour levels of the frames' concentration maps [mol m⁻³]: round numbers (1, 2,
    2.5, 5 × a power of ten) from at or below ``c_min`` to at or above ``c_max``, about
    :data:`FRAME_CONTOUR_BANDS` bands; the colour bar is labelled at them (levels spaced
    evenly from the minimum gave ticks such as 994.881, 995.649, 996.417). A uniform field
    gets a band of ±1e-6 of its value around it."""
    from matplotlib.ticker import MaxNLocator

    pad = 1e-6 * max(abs(c_min), abs(c_max), 1.0)
    if c_max - c_min < pad:
        c_min, c_max = c_min - pad, c_max + pad
    locator = MaxNLocator(nbins=FRAME_CONTOUR_BANDS, steps=[1, 2, 2.5, 5, 10])
    levels = np.asarray(locator.tick_values(c_min, c_max), dtype=np.float64)
    step = levels[1] - levels[0]  # the end levels must hold the extremes (round-off)
    if levels[0] > c_min:
        levels = np.concatenate([[levels[0] - step], levels])
    if levels[-1] < c_max:
        levels = np.concatenate([levels, [levels[-1] + step]])
    return levels


def _frame_figure(frame: Any, title: str, c_range: tuple[float, float],
                  i_range: tuple[float, float], y_range: tuple[float, float]) -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import matplotlib.tri as mtri
    from matplotlib.ticker import MaxNLocator

    um = 1e6
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4.2))
    pts = frame.points_m
    tri = mtri.Triangulation(pts[:, 0] * um, pts[:, 1] * um)
    cx = pts[tri.triangles, 0].mean(axis=1)
    cy = pts[tri.triangles, 1].mean(axis=1)
    tri.set_mask(cy < np.interp(cx, frame.surface_x_m, frame.surface_y_m))
    cs = ax1.tricontourf(tri, frame.concentration_mol_per_m3,
                         levels=frame_contour_levels(*c_range), cmap="viridis")
    ax1.plot(frame.surface_x_m * um, frame.surface_y_m * um, "k-", lw=1.2)
    ax1.set_xlabel("x [µm]")
    ax1.set_ylabel("y [µm]")
    ax1.set_ylim(y_range[0] * um - 0.5, y_range[1] * um + 3)
    ax1.set_title("salt concentration [mol/m³]")
    fig.colorbar(cs, ax=ax1, ticks=MaxNLocator(nbins=6, steps=[1, 2, 2.5, 5, 10]))
    ax2.plot(frame.surface_x_m * um, frame.current_density_A_per_m2, "C3-")
    ax2.set_ylim(*i_range)
    ax2.set_xlabel("x [µm]")
    ax2.set_ylabel("deposition current density [A/m²]", color="C3")
    ax3 = ax2.twinx()
    ax3.plot(frame.surface_x_m * um, frame.surface_y_m * um, "k--", lw=1)
    ax3.set_ylim(y_range[0] * um, y_range[1] * um)
    ax3.set_ylabel("surface height [µm]")
    fig.suptitle(f"{title}, t = {frame.time_s:.4g} s")
    fig.tight_layout()
    return fig


def write_frames(result: TransientResult, out_dir: Path, title: str) -> list[Path]:
    """Frame PNGs and an animated GIF (rank 0; no-op without frames)."""
    from hemcell.figures import save_figure

    frames = [f for f in result.frames  # a picture needs finite data throughout
              if all(np.all(np.isfinite(a)) for a in (
                  f.surface_x_m, f.surface_y_m, f.current_density_A_per_m2, f.points_m,
                  f.concentration_mol_per_m3))]
    if not frames:
        return []
    out_dir = Path(out_dir)
    fdir = out_dir / "frames"
    fdir.mkdir(parents=True, exist_ok=True)
    c_all = np.concatenate([f.concentration_mol_per_m3 for f in frames])
    i_all = np.concatenate([f.current_density_A_per_m2 for f in frames])
    y_all = np.concatenate([f.surface_y_m for f in frames])
    c_range = (float(c_all.min()), float(c_all.max()))
    pad = 0.05 * (i_all.max() - i_all.min()) + 1e-12
    i_range = (float(i_all.min() - pad), float(i_all.max() + pad))
    y_range = (float(y_all.min()), float(y_all.max()) + 1e-12)
    paths = []
    for k, fr in enumerate(frames):
        fig = _frame_figure(fr, title, c_range, i_range, y_range)
        path = fdir / f"frame_{k:03d}.png"
        save_figure(fig, path, dpi=90, tight=False)
        paths.append(path)
    try:
        from PIL import Image

        images = [Image.open(p_).convert("P", palette=Image.Palette.ADAPTIVE) for p_ in paths]
        images[0].save(out_dir / "animation.gif", save_all=True, append_images=images[1:],
                       duration=400, loop=0)
        paths.append(out_dir / "animation.gif")
    except ImportError:  # pragma: no cover - pillow comes with matplotlib
        pass
    return paths


def write_amplitude_comparison(results: dict[str, TransientResult], path: Path,
                               title: str) -> Path:
    """Amplitude vs time (and minimum surface concentration) for several cases."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 4))
    for k, (name, r) in enumerate(results.items()):
        t = r.column("time_s")
        ax1.plot(t, r.column("amplitude_m") * 1e6, f"C{k}-", label=name)
        ax2.plot(t, r.column("min_surface_concentration_mol_per_m3"), f"C{k}-", label=name)
        if r.sand_time_s is not None:
            ax2.axvline(r.sand_time_s, color=f"C{k}", ls=":")
    ax1.set_xlabel("time [s]")
    ax1.set_ylabel("perturbation amplitude [µm]")
    ax2.set_xlabel("time [s]")
    ax2.set_ylabel("min surface concentration [mol/m³]")
    ax1.legend()
    ax2.legend()
    fig.suptitle(title)
    from hemcell.figures import save_figure

    save_figure(fig, path, dpi=110)
    return Path(path)
