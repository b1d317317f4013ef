"""CF §2.5.1: a coordinate variable must not have a ``_FillValue`` (coordinates have no
missing values). xarray writes ``_FillValue = NaN`` on every float variable unless told
not to, so the sweep's ``results.nc`` (swept values as coordinates) and every table
written by :func:`hemcell.netcdf.write_table` (``time``) carried one; the IOOS
compliance checker (cf:1.10) reported it as an error. Data variables keep their NaN
fill value (a failed sweep point is NaN)."""

from __future__ import annotations

import numpy as np
import xarray as xr

from hemcell.netcdf import write_netcdf, write_table


def _raw_attrs(path):
    with xr.open_dataset(path, decode_cf=False, mask_and_scale=False) as ds:
        return {name: dict(ds[name].attrs) for name in [*ds.coords, *ds.data_vars]}


def test_coordinates_have_no_fill_value_data_variables_keep_theirs(tmp_path):
    ds = xr.Dataset({"capacity_mAh_per_g": (("c_rate",), [700.0, np.nan])},
                    coords={"c_rate": [0.5, 1.0]})
    attrs = _raw_attrs(write_netcdf(ds, tmp_path / "r.nc", units={"c_rate": "1/h"}))
    assert "_FillValue" not in attrs["c_rate"]
    assert "_FillValue" in attrs["capacity_mAh_per_g"]
    with xr.open_dataset(tmp_path / "r.nc") as back:
        assert back.attrs["history"].startswith("written by hemcell")


def test_a_table_time_coordinate_has_no_fill_value(tmp_path):
    table = np.array([[0.0, 3.1], [1.0, 3.0]])
    attrs = _raw_attrs(write_table(tmp_path / "t.nc", ["time_s", "voltage_V"], table))
    assert "_FillValue" not in attrs["time_s"] and attrs["time_s"]["units"] == "s"
