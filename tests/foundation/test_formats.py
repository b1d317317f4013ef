"""netCDF files follow the CF conventions; the docs' netCDF snippet runs.

Checked of every file hemcell writes with ``to_netcdf``: the sweep's ``results.nc`` and
a cell run's ``timeseries.nc``: a ``Conventions`` attribute, UDUNITS unit strings
(``1`` for dimensionless) on every numeric variable and coordinate, ``long_name`` on
every variable and coordinate.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

xr = pytest.importorskip("xarray")

from hemcell.netcdf import CONVENTIONS, cf_dataset, udunits, unit_from_suffix  # noqa: E402
from hemcell.resources import repo_root  # noqa: E402

#: UDUNITS-2 syntax as CF writes it: products of space-separated symbols with integer
#: exponents, an optional leading number (no pint ``**``, ``/`` or ``·``).
UDUNITS = re.compile(r"^(1|([0-9.eE+-]+ )?[A-Za-z%]+-?\d*( [A-Za-z]+-?\d*)*)$")


@pytest.mark.parametrize(("pint", "expected"), [
    ("mAh/cm**2", "mA h cm-2"),
    ("mAh/g", "mA h g-1"),
    ("A/m**2", "A m-2"),
    ("m**2/s", "m2 s-1"),
    ("kJ/mol", "kJ mol-1"),
    ("mol/m**3", "mol m-3"),
    ("emu/g", "1e-3 A m2 g-1"),
    ("degC", "degC"),
    ("ohm", "ohm"),
    ("uA/cm**2", "uA cm-2"),
    ("dimensionless", "1"),
    (None, "1"),
])
def test_udunits_strings(pint, expected):
    assert udunits(pint) == expected


@pytest.mark.parametrize(("column", "unit"), [
    ("time_s", "s"), ("voltage_V", "V"), ("specific_current_A_per_g", "A/g"),
    ("space_charge_capacity_mAh_per_g", "mAh/g"), ("magnetization_change_emu_per_g", "emu/g"),
    ("particle_volumetric_strain", None), ("cycle", None),
])
def test_unit_from_column_suffix(column, unit):
    assert unit_from_suffix(column) == unit


def assert_cf(path: Path) -> xr.Dataset:
    """Open ``path`` and check the CF attributes the module docstring lists."""
    with xr.open_dataset(path, decode_cf=False) as ds:
        ds = ds.load()
    assert ds.attrs["Conventions"] == CONVENTIONS
    for name in [*ds.coords, *ds.data_vars]:
        attrs = ds[name].attrs
        assert attrs.get("long_name"), name
        if ds[name].dtype.kind in "biuf":
            assert UDUNITS.match(attrs["units"]), (name, attrs["units"])
    return ds


def test_cf_dataset_keeps_the_given_unit_text(tmp_path):
    ds = xr.Dataset({"q": (("x",), np.ones(2), {"units": "mAh/cm**2"}),
                     "f": (("x",), np.zeros(2)), "label": (("x",), np.array(["a", "b"]))},
                    coords={"x": ("x", [1.0, 2.0], {"units": "nm"})})
    path = tmp_path / "t.nc"
    cf_dataset(ds, title="test").to_netcdf(path)
    out = assert_cf(path)
    assert out["q"].attrs["units"] == "mA h cm-2"
    assert out["q"].attrs["hemcell_units"] == "mAh/cm**2"
    assert out["f"].attrs["units"] == "1"
    assert "units" not in out["label"].attrs
    assert out["x"].attrs["units"] == "nm"


def _docs_snippet() -> str:
    text = (repo_root() / "docs" / "sweeps.md").read_text()
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    return next(b for b in blocks if "open_dataset" in b)


def test_sweep_results_follow_cf_and_docs_snippet_runs(tmp_path, monkeypatch):
    """The quick sweep of the docs (params export over two parameters), gathered."""
    if repo_root() is None:
        pytest.skip("docs/ and examples/ ship with the source checkout only")
    from hemcell.sweep import load_spec, run_sweep

    spec = load_spec(repo_root() / "examples" / "sweeps" / "params_quick.yaml")
    out = tmp_path / "hemcell-output" / "sweep-quick"
    report = run_sweep(spec, out, workers=2, progress=False)
    assert report.failed == 0
    ds = assert_cf(out / "results.nc")
    assert ds["coating_thickness"].attrs["units"] == "nm"
    assert ds["li_exchange_current_density"].attrs["units"] == "mA cm-2"
    assert ds["coating_thickness_result"].attrs["units"] == "m"
    monkeypatch.chdir(tmp_path)
    import matplotlib

    matplotlib.use("Agg")
    namespace: dict = {}
    exec(compile(_docs_snippet(), "docs/sweeps.md", "exec"), namespace)
    assert namespace["ds"].attrs["Conventions"] == CONVENTIONS


@pytest.mark.filterwarnings("ignore::UserWarning")
def test_cell_run_writes_cf_timeseries(tmp_path):
    """A cell run's timeseries.nc: dimension time_s (seconds, CF elapsed time:
    tests/test_netcdf_time.py), cycle/step as variables, same values as timeseries.csv."""
    pytest.importorskip("pybamm")
    from hemcell.workflows.anode import run_cell, write_outputs

    run = run_cell("hem_half_cell_sp", "heo_rocksalt_mgconicuzn",
                   "Discharge at 0.5 A/g for 10 minutes; Charge at 0.5 A/g for 5 minutes",
                   mechanisms=["intercalation", "conversion"])
    write_outputs(run, tmp_path)
    ds = assert_cf(tmp_path / "timeseries.nc")
    csv = np.genfromtxt(tmp_path / "timeseries.csv", delimiter=",", names=True)
    assert list(ds.dims) == ["time_s"]
    assert ds["time_s"].attrs["units"] == "s"
    # the CSV keeps 8 significant digits (%.8g): relative rounding below 1e-7
    np.testing.assert_allclose(ds["time_s"].values, csv["time_s"], rtol=1e-7)
    assert ds["cycle"].dtype.kind == "i" and ds["step"].dtype.kind == "i"
    assert sorted(set(ds["step"].values.tolist())) == [1, 2]
    assert ds["voltage_V"].attrs["units"] == "V"
    assert ds["capacity_mAh_per_g"].attrs["units"] == "mA h g-1"
    assert ds["particle_volumetric_strain"].attrs["units"] == "1"
    np.testing.assert_allclose(ds["voltage_V"].values, csv["voltage_V"], rtol=1e-7)


def test_eis_impedance_file_follows_cf(tmp_path):
    """``hemcell eis``'s impedance.nc (a small symmetric-cell spectrum)."""
    pytest.importorskip("pybamm")
    from hemcell.workflows import eis

    req = eis.EISRequest(cell="symmetric", anodes=("bare",),
                         frequencies_Hz=tuple(np.logspace(-1, 5, 7)), temperatures_K=(298.15,))
    eis.write_outputs(eis.run_eis(req), tmp_path)
    ds = assert_cf(tmp_path / "impedance.nc")
    assert ds["z_real_ohm"].attrs["units"] == "ohm"
    assert ds["frequency_Hz"].attrs["units"] == "Hz"
