"""User trial s21 (H5): which couple is ``couple_1`` in timeseries.nc?

Opened with xarray, a cathode run's ``timeseries.nc`` had ``couple_1_capacity_mAh_per_g``
... with the long name "couple 1 capacity": the couples' names were only in
``summary.json``. The file's global attribute ``couples`` now names them in the order of
the summary's ``couples``.
"""

import json

import pytest

from hemcell.cli.main import main

xr = pytest.importorskip("xarray")


def test_the_netcdf_file_names_each_couple(tmp_path):
    out = tmp_path / "o"
    assert main(["cell", "run", "cathode_half_cell_sp", "--params",
                 "cathode_hepba_femnnicuco", "--protocol", "Charge at 1C until 4.2 V",
                 "--no-plots", "--out", str(out)]) == 0
    names = json.loads((out / "summary.json").read_text())["couples"]
    with xr.open_dataset(out / "timeseries.nc") as ds:
        listed = ds.attrs["couples"].split("; ")
        assert listed == [f"couple_{k + 1}: {n}" for k, n in enumerate(names)]
        assert all(f"couple_{k + 1}_capacity_mAh_per_g" in ds for k in range(len(names)))
    assert names[0] == "Fe2+/Fe3+"
