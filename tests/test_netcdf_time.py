"""A table's time coordinate is CF-conformant and reads back as seconds.

CF §5.1 (as the IOOS compliance checker 6.1, ``--test=cf:1.10``, applies it): a
dimension named ``time`` must have ``standard_name = "time"``, and a ``time`` coordinate
needs reference-time units ``"<unit> since <date>"`` (§4.4), which xarray decodes to
datetimes. A run's simulated time has no calendar date, so a table's time is the
non-calendar elapsed time of CF §4.4 without ``standard_name``: the coordinate keeps its
column's name (``time_s``, as ``timeseries.csv`` and as ``impedance.nc``'s
``frequency_Hz``), ``units = "s"``, and xarray reads float seconds. ``timeseries.nc``
had a dimension ``time`` without ``standard_name``: the checker's one error."""

from __future__ import annotations

import numpy as np
import pytest

xr = pytest.importorskip("xarray")

from hemcell.netcdf import write_table  # noqa: E402

#: Dimension names CF §5.1 ties to a standard_name (the compliance checker's list).
CF_AXIS_NAMES = {"time", "lat", "latitude", "lon", "longitude", "height", "depth",
                 "altitude", "pressure"}


def _table(tmp_path):
    table = np.array([[0.0, 1, 3.10], [1e-7, 1, 3.05], [3600.0, 2, 3.00]])
    return write_table(tmp_path / "timeseries.nc", ["time_s", "step", "voltage_V"], table,
                       as_variables=("step",), title="test")


def test_time_reads_back_as_float_seconds(tmp_path):
    with xr.open_dataset(_table(tmp_path)) as ds:
        assert tuple(ds.sizes) == ("time_s",) and "time" not in ds.variables
        t = ds["time_s"]
        assert t.dtype == np.float64  # neither datetime64 nor timedelta64
        np.testing.assert_array_equal(t.values, [0.0, 1e-7, 3600.0])
        assert t.attrs["units"] == "s"
        assert t.attrs["long_name"] == "time since the start of the run"
        assert ds["voltage_V"].dims == ("time_s",)
        assert float(ds["voltage_V"].sel(time_s=3600.0)) == 3.0


def test_time_follows_cf_as_an_elapsed_time(tmp_path):
    """No dimension with a CF axis name (each would need its standard_name), no
    reference-time units, no standard_name or axis that would ask for them."""
    with xr.open_dataset(_table(tmp_path), decode_cf=False) as ds:
        assert not CF_AXIS_NAMES & set(ds.dims)
        attrs = ds["time_s"].attrs
        assert "since" not in attrs["units"]
        assert "standard_name" not in attrs and "axis" not in attrs
        assert "_FillValue" not in attrs
        assert ds.attrs["Conventions"] == "CF-1.10"


def test_the_compliance_checker_passes_it(tmp_path):
    """The IOOS compliance checker (a development dependency, pyproject.toml ``dev``) finds
    no error or warning but the missing ``title`` (here given)."""
    from compliance_checker.runner import CheckSuite, ComplianceChecker

    CheckSuite.load_all_available_checkers()
    out = tmp_path / "report.txt"
    passed, errors = ComplianceChecker.run_checker(
        str(_table(tmp_path)), ["cf:1.10"], 0, "normal", str(out), "text")
    assert passed and not errors
