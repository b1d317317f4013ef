"""netCDF files that follow the CF conventions: one helper for every writer in hemcell.

Every netCDF file hemcell writes goes through :func:`cf_dataset` (or :func:`write_netcdf`,
which also writes atomically), so that

- the file says ``Conventions = "CF-1.10"`` (CF metadata conventions, version 1.10,
  https://cfconventions.org);
- every numeric variable and coordinate has ``units`` in UDUNITS-2 syntax (CF §3.1):
  pint's ``mAh/cm**2`` becomes ``mA h cm-2``, ``m**2/s`` becomes ``m2 s-1``, and a
  dimensionless quantity has ``units = "1"``; units UDUNITS does not define are written
  in SI with their factor (``emu`` → ``1e-3 A m2``);
- every variable and coordinate has a ``long_name`` (CF §3.2);
- no coordinate has a ``_FillValue`` (CF §2.5.1; xarray gives every float variable
  ``NaN`` unless told not to), while data variables keep ``NaN`` as theirs;
- the file has a ``history`` attribute (CF §2.6.2: the hemcell version that wrote it);
- a table's time (:func:`write_table`) is a non-calendar elapsed time (CF §4.4): the
  coordinate ``time_s``, ``units = "s"``, no ``standard_name``. A coordinate named
  ``time`` must have ``standard_name = "time"`` (CF §5.1, as the IOOS compliance checker
  applies it) and then reference-time units ``"s since <date>"``, which xarray decodes
  to datetimes; a run's simulated time has no calendar date, and xarray reads
  ``time_s`` as float seconds.

The pint text a value was given in is kept as ``hemcell_units`` when it differs from the
UDUNITS string, so nothing is lost.
"""

from __future__ import annotations

import importlib.util
import os
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hemcell.runinfo import FILE_MODE

if TYPE_CHECKING:
    import numpy as np
    import xarray as xr

#: The CF version the files follow.
CONVENTIONS = "CF-1.10"

#: pint unit symbols that UDUNITS-2 spells differently (or does not define).
_UDUNITS_SYMBOL = {"°C": "degC", "%": "percent", "emu": "1e-3 A m2", "Δ°C": "K"}
#: pint texts of a dimensionless quantity.
_DIMENSIONLESS = {"", "1", "dimensionless", "-", "none"}


def udunits(unit: str | None) -> str:
    """A pint unit text in UDUNITS-2 syntax (CF §3.1); ``"1"`` if dimensionless.

    ``mAh/cm**2`` → ``mA h cm-2``; ``A/m**2`` → ``A m-2``; ``kJ/mol`` → ``kJ mol-1``;
    ``emu/g`` → ``1e-3 A m2 g-1``; ``None`` or ``dimensionless`` → ``1``.

    Raises
    ------
    hemcell.errors.InputError
        If pint does not know the unit.
    """
    if unit is None or str(unit).strip().lower() in _DIMENSIONLESS:
        return "1"
    from hemcell.units import parse_unit, unit_registry

    parsed = parse_unit(str(unit), "units")
    ureg = unit_registry()
    parts = []
    for name, power in parsed._units.items():
        if name.endswith("_hour") and name != "hour":  # mAh, Wh: product of two units
            sym = f"{ureg.get_symbol(name[: -len('_hour')])} h"
        else:
            sym = _UDUNITS_SYMBOL.get(ureg.get_symbol(name), ureg.get_symbol(name))
        # ASCII spellings UDUNITS-2 parses in any locale: ohm, u (micro)
        sym = sym.replace("Ω", "ohm").replace("μ", "u").replace("µ", "u")
        exp = int(power) if float(power).is_integer() else power
        for j, token in enumerate(sym.split(" ")):
            numeric = j == 0 and token[0].isdigit()
            if numeric:
                parts.append(token if exp == 1 else f"{token}^{exp}")
            else:
                parts.append(token if exp == 1 else f"{token}{exp}")
    return " ".join(parts) or "1"


def long_name(name: str) -> str:
    """A readable ``long_name`` from a variable name, without its unit suffix (CF §3.1,
    §3.2: the unit goes to ``units``): ``capacity_mAh_per_g`` → ``capacity``,
    ``voltage_V`` → ``voltage``, ``current_focusing_factor`` → ``current focusing factor``
    (:func:`hemcell.units.split_unit_suffix`)."""
    from hemcell.units import split_unit_suffix

    name = str(name)
    return split_unit_suffix(name)[0].replace("_", " ").strip() or name


def cf_dataset(
    ds: xr.Dataset,
    units: Mapping[str, str | None] | None = None,
    long_names: Mapping[str, str] | None = None,
    title: str | None = None,
) -> xr.Dataset:
    """A copy of ``ds`` with CF attributes on the file, every variable and coordinate.

    Parameters
    ----------
    ds
        The dataset; a variable's ``attrs["units"]`` (pint text) is used when ``units``
        does not name it.
    units
        Variable name → pint unit text (``None`` for dimensionless).
    long_names
        Variable name → ``long_name``; else an existing ``long_name`` attribute, else
        the name with spaces.
    title
        The file's ``title`` attribute.

    Returns
    -------
    xarray.Dataset
        With ``Conventions``, UDUNITS ``units`` on every numeric variable and coordinate
        (``"1"`` when dimensionless) and ``long_name`` on all of them.
    """
    out = ds.copy()
    units = dict(units or {})
    long_names = dict(long_names or {})
    for name in [*out.coords, *out.data_vars]:
        var = out[name]
        attrs = dict(var.attrs)
        attrs["long_name"] = long_names.get(name, attrs.get("long_name") or long_name(name))
        if var.dtype.kind in "biuf":
            given = units[name] if name in units else attrs.get("units")
            attrs["units"] = udunits(given)
            if given is not None and str(given) != attrs["units"]:
                attrs["hemcell_units"] = str(given)
        else:
            attrs.pop("units", None)
        out[name].attrs = attrs
        if name in out.coords and var.dtype.kind == "f":  # CF §2.5.1: no missing coordinates
            out[name].encoding["_FillValue"] = None
    out.attrs["Conventions"] = CONVENTIONS
    if not out.attrs.get("history"):  # CF §2.6.2: what wrote the file
        from hemcell import __version__

        out.attrs["history"] = f"written by hemcell {__version__}"
    if title:
        out.attrs["title"] = title
    return out


def engine() -> str:
    """``h5netcdf`` (netCDF4) when h5py is installed, else ``scipy`` (netCDF3 classic)."""
    return "h5netcdf" if importlib.util.find_spec("h5py") is not None else "scipy"


def write_netcdf(ds: xr.Dataset, path: str | Path, **cf: Any) -> Path:
    """Write ``cf_dataset(ds, **cf)`` to ``path`` atomically (temporary file, rename)."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        cf_dataset(ds, **cf).to_netcdf(tmp, engine=engine())
        os.chmod(tmp, FILE_MODE)
        os.replace(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)
    return path


def unit_from_suffix(column: str) -> str | None:
    """The pint unit a column name ends with (:func:`hemcell.units.unit_from_name_suffix`)."""
    from hemcell.units import unit_from_name_suffix

    return unit_from_name_suffix(column)


def write_table(
    path: str | Path,
    columns: Sequence[str],
    table: np.ndarray,
    dim: str = "time",
    as_variables: Sequence[str] = (),
    attrs: Mapping[str, Any] | None = None,
    title: str | None = None,
) -> Path:
    """Write a table (one row per ``dim`` point) as a CF netCDF file.

    The column ``<dim>_<unit>`` (e.g. ``time_s``) becomes the coordinate and dimension
    of that name, with its unit (a non-calendar elapsed time, module docstring); without
    one the dimension ``dim`` holds the row index. ``as_variables`` (e.g. ``cycle``,
    ``step``) are integer variables along it; every other column is a variable named as
    the column, with the unit its name ends with (:func:`unit_from_suffix`,
    dimensionless otherwise).
    """
    import numpy as np
    import xarray as xr

    cols = list(columns)
    coord = next((c for c in cols if c == dim or c.startswith(f"{dim}_")), None)
    t = table[:, cols.index(coord)] if coord else np.arange(len(table))
    name = coord or dim
    data_vars, units = {}, {}
    for j, c in enumerate(cols):
        if c == coord:
            continue
        values = table[:, j].astype(int) if c in as_variables else table[:, j]
        data_vars[c] = ((name,), values)
        units[c] = unit_from_suffix(c) if c not in as_variables else None
    units[name] = unit_from_suffix(coord) if coord else None
    ds = xr.Dataset(data_vars, coords={name: t}, attrs=dict(attrs or {}))
    names = {name: f"{dim} since the start of the run"} if coord else {}
    return write_netcdf(ds, path, units=units, long_names=names, title=title)


def write_timeseries(
    out_dir: str | Path,
    columns: Sequence[str],
    table: np.ndarray,
    as_variables: Sequence[str] = (),
    attrs: Mapping[str, Any] | None = None,
    title: str | None = None,
) -> tuple[Path, Path]:
    """A run's time series as ``timeseries.csv`` and ``timeseries.nc`` in ``out_dir``.

    The netCDF file is :func:`write_table`'s. The CSV has the columns as its header; its
    first column (the time) carries 17 significant digits, which read back as the same
    double (IEEE 754 round trip): PyBaMM starts a step 4.5 × 10⁻¹³ s after the end of
    the one before, and the points of a step's first transient are 10⁻⁷ s apart at
    10⁴ s, so fewer digits write equal times (a file that cannot be read back as a
    measurement, whose time must increase). The other columns carry 8 digits.
    """
    import numpy as np

    out = Path(out_dir)
    csv = out / "timeseries.csv"
    np.savetxt(csv, table, delimiter=",", header=",".join(columns), comments="",
               fmt=["%.17g"] + ["%.8g"] * (len(columns) - 1))
    return csv, write_table(out / "timeseries.nc", columns, table, as_variables=as_variables,
                            attrs=attrs, title=title)
