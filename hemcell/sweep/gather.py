"""Gather a sweep's point files into a labelled dataset, a failure list and a figure.

``results.nc`` (xarray; netCDF4 via h5netcdf, or netCDF3 when h5py is missing) has one
dimension per swept parameter (``point`` for a zip, ``row`` for a CSV of points, with
the parameters as coordinates), the outputs as data variables with their unit in ``attrs["units"]``
(taken from the registry for parameter names, else from the key's unit suffix:
``capacity_mAh_per_g`` → ``mAh/g``) and a ``long_name`` without it (``discharge
capacity, item 0`` for ``discharge_capacity_mAh_per_g[0]``), ``NaN`` where a point
failed or has not run or its summary holds null there (the command's "not defined at
this point"; counted in the variable's ``null_points`` attribute, the point is ok), and
``status`` (1 ok, 0 failed, -1 not run) and ``point_id`` variables to find each
point's files. A point file that is not a valid record of its point counts as not run.
``results.nc`` and ``results.png`` are written to temporary files and moved into
place, so a run killed while writing leaves the previous files (or none), never a
truncated one; leftover temporary files are removed by the next gather.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hemcell.errors import shorten
from hemcell.netcdf import long_name, write_netcdf
from hemcell.runinfo import write_json
from hemcell.sweep.spec import Axis, SweepSpec
from hemcell.sweep.store import PointStore, pick_output

if TYPE_CHECKING:
    import xarray as xr

STATUS = {"ok": 1, "failed": 0, "missing": -1}


@lru_cache(maxsize=512)
def unit_from_key(key: str) -> str | None:
    """The unit a summary key names by its suffix, or ``None``.

    ``tip_normal_stress_Pa`` → ``Pa``; ``mean_current_density_A_per_m2`` → ``A/m**2``;
    ``capacity_mAh_per_g`` → ``mAh/g``; a registry parameter name → its SI unit;
    ``current_focusing_factor`` → ``None``.
    """
    from hemcell.params import registry

    specs = registry()
    if key in specs:
        unit = specs[key].unit
        return None if unit in ("dimensionless", "1", "") else unit
    from hemcell.units import unit_from_name_suffix

    return unit_from_name_suffix(key)


def output_name(spec: SweepSpec, key: str) -> str:
    """Dataset name of output ``key``: ``a.b[0]`` → ``a_b_0``; ``<key>_result`` if a
    swept parameter has the same name."""
    name = re.sub(r"[.\[\]]+", "_", key).strip("_")
    return f"{name}_result" if name in {a.name for a in spec.axes} | set(spec.dims) else name


def _key_parts(key: str) -> list[tuple[str, bool]]:
    """``a.b[0]`` → ``[('a', False), ('b', False), ('0', True)]``: each name or list
    index (True) of an output key."""
    parts = [(m.group(1), True) if m.group(1) is not None else (m.group(2), False)
             for m in re.finditer(r"\[(\d+)\]|([^.\[\]]+)", key)]
    return parts or [(key, False)]


def output_attrs(key: str) -> tuple[str, str | None]:
    """CF ``long_name`` and pint unit of output ``key`` (CF §3.1, §3.2: the unit in
    ``units``, not in the name).

    ``discharge_capacity_mAh_per_g[0]`` → (``discharge capacity, item 0``, ``mAh/g``);
    ``charge_transfer_resistance_ohm.bare`` → (``charge transfer resistance, bare``,
    ``ohm``); ``bare.min_surface_concentration_mol_per_m3`` → (``bare, min surface
    concentration``, ``mol/m**3``): the unit is the key's, else its last entry's.
    """
    parts = _key_parts(key)
    unit = unit_from_key(parts[0][0])
    if unit is None and len(parts) > 1 and not parts[-1][1]:
        unit = unit_from_key(parts[-1][0])
    words = [f"item {p}" if index else long_name(p) for p, index in parts]
    return ", ".join(words), unit


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _coord_attrs(axis: Axis) -> dict[str, str]:
    attrs = {"long_name": long_name(axis.name)}
    if axis.unit:
        attrs["units"] = axis.unit
    if axis.si_unit:
        attrs["si_units"] = axis.si_unit
        attrs["passed_as"] = "--set"
    if axis.option:
        attrs["passed_as"] = axis.option
    if axis.description:
        attrs["description"] = " ".join(axis.description.split())
    return attrs


def failure_log(out: Path, pid: str) -> str:
    """Where a failed point's full output is, relative to ``out``: the command's
    ``runs/<id>/log.txt`` (stdout and stderr of its process), or, when the point had no
    process of its own (the fast path solves points in the sweep's process, whose stderr
    holds their warnings), its record ``points/<id>.json`` with the whole error
    (``failures.json`` shortens it to 1000 characters)."""
    log = f"runs/{pid}/log.txt"
    return log if (Path(out) / log).is_file() else f"points/{pid}.json"


def collect(spec: SweepSpec, out: Path) -> tuple[xr.Dataset, list[dict[str, Any]]]:
    """Read the point files of ``out`` into a dataset; also return the failures.

    Parameters
    ----------
    spec
        The sweep's spec (its points say which files to read).
    out
        The sweep's output folder.

    Returns
    -------
    (xarray.Dataset, list of dict)
        The dataset (see module docstring) and one record per failed point.
    """
    import numpy as np
    import xarray as xr

    store = PointStore(out)
    shape = spec.shape
    records = {p.id: store.record(p, spec.outputs) for p in spec.points}
    keys: list[str] = list(spec.outputs)
    if not keys:
        for rec in records.values():
            if rec and rec.get("status") == "ok":
                keys.extend(k for k, v in (rec["summary"] or {}).items()
                            if _is_number(v) and k not in keys)
    data = {k: np.full(shape, np.nan) for k in keys}
    nulls = dict.fromkeys(keys, 0)
    status = np.full(shape, STATUS["missing"], dtype=np.int8)
    ids = np.empty(shape, dtype=object)
    failures = []
    for p in spec.points:
        ids[p.index] = p.id
        rec = records[p.id]
        if rec is None:
            continue
        status[p.index] = STATUS["ok"] if rec["status"] == "ok" else STATUS["failed"]
        if rec["status"] != "ok":
            failures.append({"id": p.id, "values": dict(p.values),
                             "error": shorten(str(rec.get("error")), 1000),
                             "args": list(p.args), "log": failure_log(out, p.id)})
            continue
        summary = rec["summary"] or {}
        for k in keys:
            try:
                v = pick_output(summary, k)
            except KeyError:
                continue
            if _is_number(v) or isinstance(v, bool):
                data[k][p.index] = float(v)
            nulls[k] += int(v is None or (_is_number(v) and not math.isfinite(v)))

    dims = spec.dims
    coords: dict[str, Any] = {}
    for block in spec.blocks:
        if len(block.axes) == 1 and block.dim == block.axes[0].name:
            a = block.axes[0]
            coords[a.name] = xr.Variable(block.dim, list(a.values), attrs=_coord_attrs(a))
        else:
            coords[block.dim] = np.arange(len(block))
            for a in block.axes:
                coords[a.name] = xr.Variable(block.dim, list(a.values), attrs=_coord_attrs(a))
    variables: dict[str, Any] = {}
    for k in keys:
        name, unit = output_attrs(k)
        attrs = {"long_name": name, "summary_key": k, **({"units": unit} if unit else {}),
                 "null_points": nulls[k]}
        variables[output_name(spec, k)] = xr.Variable(dims, data[k], attrs=attrs)
    variables["status"] = xr.Variable(dims, status, attrs={
        "description": "1 ok, 0 failed (see failures.json), -1 not run"})
    variables["point_id"] = xr.Variable(dims, ids.astype(str), attrs={
        "description": "points/<id>.json and runs/<id>/ hold the point's record and files"})
    ds = xr.Dataset(variables, coords=coords, attrs={
        "command": spec.command, "description": spec.description or "",
        "spec": str(spec.path or ""), "points": len(spec.points),
        # what every point ran with besides its coordinates (the file alone says it)
        "fixed_arguments": " ".join(spec.fixed_args()),
        "failed": len(failures), "created_by": "hemcell sweep"})
    return ds, failures


def plot_summary(ds: xr.Dataset, outputs: list[str], path: Path) -> Path | None:
    """The summary figure: lines (1 parameter), heatmaps (2), small multiples (more).

    One row per output (at most four). Returns ``None`` when there is nothing to plot.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    outputs = [o for o in outputs if o in ds and np.isfinite(ds[o].values).any()][:4]
    if not outputs:
        return None
    dims = list(ds[outputs[0]].dims)
    extra = dims[2:]
    panels = [dict(zip(extra, idx, strict=True))
              for idx in np.ndindex(*(ds.sizes[d] for d in extra))][:6] if extra else [{}]
    fig, axes = plt.subplots(len(outputs), len(panels), squeeze=False,
                             figsize=(5.0 * len(panels) + 1.0, 3.4 * len(outputs)))
    for r, name in enumerate(outputs):
        for c, sel in enumerate(panels):
            ax = axes[r][c]
            da = ds[name].isel(sel)
            label = _label(ds[name], name)
            title = ", ".join(f"{d}={_fmt(ds[d].values[i])} {ds[d].attrs.get('units', '')}"
                              .strip() for d, i in sel.items())
            if len(dims) == 1:
                _line(ax, ds, da, dims[0], label)
                if title:
                    ax.set_title(title, fontsize=9)
            else:
                unit = ds[name].attrs.get("units")
                limits = (float(ds[name].min()), float(ds[name].max()))  # one scale per row
                _heatmap(fig, ax, ds, da, dims[0], dims[1], f"[{unit}]" if unit else "", limits)
                what = ds[name].attrs.get("long_name") or name
                ax.set_title(f"{what}\n{title}" if title else what, fontsize=9)
    if len(extra) and math.prod(ds.sizes[d] for d in extra) > len(panels):
        fig.suptitle(f"first {len(panels)} of {math.prod(ds.sizes[d] for d in extra)} "
                     f"combinations of {', '.join(extra)}", fontsize=9)
    from hemcell.figures import save_figure

    return save_figure(fig, path, dpi=120)


def _fmt(v: Any) -> str:
    return f"{v:.4g}" if _is_number(v) or (hasattr(v, "dtype") and v.dtype.kind in "fi") else str(v)


def _label(da: Any, name: str) -> str:
    """``long_name [units]`` (the variable's name where it has no long_name)."""
    text = da.attrs.get("long_name") or name
    unit = da.attrs.get("units")
    return f"{text} [{unit}]" if unit else text


def _axis_values(ds: Any, dim: str) -> tuple[Any, list[str] | None, str]:
    """Plot positions, tick labels (categorical/zip) and axis label for a dimension."""
    import numpy as np

    names = [c for c in ds.coords if ds[c].dims == (dim,) and c != dim]
    if names:  # a zip / CSV: label ticks with every parameter's value
        labels = ["\n".join(_fmt(ds[c].values[i]) for c in names) for i in range(ds.sizes[dim])]
        return np.arange(ds.sizes[dim]), labels, "\n".join(_label(ds[c], c) for c in names)
    if dim in ds.coords and ds[dim].dtype.kind in "fi":
        return ds[dim].values, None, _label(ds[dim], dim)
    labels = [str(v) for v in ds[dim].values] if dim in ds.coords else None
    return np.arange(ds.sizes[dim]), labels, dim


def _line(ax: Any, ds: Any, da: Any, dim: str, label: str) -> None:
    x, ticks, xlabel = _axis_values(ds, dim)
    ax.plot(x, da.values, "o-")
    if ticks is not None:
        ax.set_xticks(x, ticks, fontsize=7)
    elif len(x) > 2 and x.min() > 0 and x.max() / x.min() > 50:
        ax.set_xscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(label)
    ax.grid(alpha=0.3)


def _heatmap(fig: Any, ax: Any, ds: Any, da: Any, ydim: str, xdim: str, label: str,
             limits: tuple[float, float]) -> None:
    import numpy as np

    values = da.transpose(ydim, xdim).values
    mesh = ax.imshow(np.ma.masked_invalid(values), origin="lower", aspect="auto",
                     cmap="viridis", vmin=limits[0], vmax=limits[1])
    for dim, setter, lab in ((xdim, ax.set_xticks, ax.set_xlabel),
                             (ydim, ax.set_yticks, ax.set_ylabel)):
        x, ticks, text = _axis_values(ds, dim)
        n = len(x)
        step = max(1, n // 8)
        pos = np.arange(0, n, step)
        setter(pos, [ticks[i] if ticks else _fmt(x[i]) for i in pos], fontsize=7)
        lab(text)
    bad = ~np.isfinite(values)
    for i, j in zip(*np.nonzero(bad), strict=True):
        ax.text(j, i, "×", ha="center", va="center", color="red", fontsize=8)
    fig.colorbar(mesh, ax=ax, label=label)


def gather(spec: SweepSpec, out: Path, plots: bool = True) -> tuple[Path, Path | None, int]:
    """Write ``results.nc``, ``failures.json`` and ``results.png`` (not with
    ``plots=False``) from the point files.

    Returns
    -------
    (Path, Path or None, int)
        The dataset file, the figure (``None`` if nothing finished) and the number of
        failed points.
    """
    for stale in out.glob(".results.*"):  # temporary files of a run killed while writing
        stale.unlink(missing_ok=True)
    ds, failures = collect(spec, out)
    write_json(out / "failures.json", failures)
    write_netcdf(ds, out / "results.nc", title=f"hemcell sweep: {spec.command}")
    outputs = [k for k in ds.data_vars if k not in ("status", "point_id")]
    figure = plot_summary(ds, outputs, out / "results.png") if plots else None
    if figure is None:  # nothing finished, or no plots: no figure of an earlier run left
        (out / "results.png").unlink(missing_ok=True)
    return out / "results.nc", figure, len(failures)
