"""CF long names of hemcell's netCDF files carry no unit (CF 1.8 §3.1-3.2: the unit is
``units``): timeseries.nc named ``voltage_V`` "voltage V" and ``capacity_mAh_per_g``
"capacity mAh per g", as sweep results did before their own fix; one function now names
both (:func:`hemcell.netcdf.long_name`)."""

from __future__ import annotations

import numpy as np
import xarray as xr

from hemcell.netcdf import cf_dataset, long_name
from hemcell.sweep.gather import output_attrs


def test_long_names_leave_the_unit_to_units():
    ds = xr.Dataset({"voltage_V": ("time", np.zeros(3)),
                     "discharge_capacity_mAh_per_g": ("time", np.zeros(3)),
                     "current_focusing_factor": ("time", np.zeros(3))},
                    coords={"time": ("time", np.arange(3.0), {"units": "s"})})
    out = cf_dataset(ds, units={"voltage_V": "V", "discharge_capacity_mAh_per_g": "mAh/g",
                                "current_focusing_factor": None})
    assert out["voltage_V"].attrs["long_name"] == "voltage"
    assert out["voltage_V"].attrs["units"] == "V"
    assert out["discharge_capacity_mAh_per_g"].attrs["long_name"] == "discharge capacity"
    assert out["current_focusing_factor"].attrs["long_name"] == "current focusing factor"


def test_sweep_outputs_and_files_share_the_wording():
    assert output_attrs("discharge_capacity_mAh_per_g[0]")[0] == (
        long_name("discharge_capacity_mAh_per_g") + ", item 0")
    assert long_name("V") == "V"  # a name that is only a unit keeps it
