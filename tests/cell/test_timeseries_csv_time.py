"""``timeseries.csv``'s time reads back as the run's times, strictly increasing.

PyBaMM starts a step 4.5 × 10⁻¹³ s after the end of the one before: with 15 significant
digits the two rows at each step change were written with the same time, and the file
could not be read back as a measurement (whose time must increase). The time column now
carries 17 digits (an IEEE 754 double's round trip, :func:`hemcell.netcdf.write_timeseries`).
"""

from __future__ import annotations

import numpy as np
import xarray as xr

CYCLE = "Discharge at 1 A/g until 0.01 V; Rest for 5 minutes; Charge at 1 A/g until 3 V"


def test_cell_run_time_column_round_trips_and_increases(tmp_path):
    from hemcell.workflows.anode import run_cell, write_outputs

    run = run_cell("hem_half_cell_sp", "heo_rocksalt_mgconicuzn", CYCLE)
    write_outputs(run, tmp_path, plots_on=False)
    table = np.genfromtxt(tmp_path / "timeseries.csv", delimiter=",", names=True)
    t = table["time_s"]
    assert np.all(np.diff(t) > 0)
    with xr.open_dataset(tmp_path / "timeseries.nc") as ds:
        np.testing.assert_array_equal(t, ds["time_s"].values)
    # the step changes are where rows 4.5e-13 s apart used to share a time
    assert np.sum(np.diff(t) < 1e-9) == 2


def test_its_curve_is_a_measurement_a_fit_reads(tmp_path):
    """The curve a `cell run` wrote, under a measurement's headers (time and voltage
    cells copied as written), is a valid measurement: its time increases."""
    from hemcell.measurements import read_csv
    from hemcell.workflows.anode import run_cell, write_outputs

    run = run_cell("hem_half_cell_sp", "heo_rocksalt_mgconicuzn", CYCLE)
    write_outputs(run, tmp_path, plots_on=False)
    header, *rows = (tmp_path / "timeseries.csv").read_text().splitlines()
    names = header.split(",")
    it, iv = names.index("time_s"), names.index("voltage_V")
    cells = [r.split(",") for r in rows]
    (tmp_path / "curve.csv").write_text(
        "time [s],voltage [V]\n" + "\n".join(f"{c[it]},{c[iv]}" for c in cells) + "\n")
    meas = read_csv(tmp_path / "curve.csv")
    assert meas is not None
