"""`results.nc` of a sweep named its outputs "discharge capacity mAh per g 0": the unit
(and the list index) in the CF long_name. The unit belongs in `units` (CF §3.1), the
long_name says what the quantity is (CF §3.2)."""

from __future__ import annotations

import pytest
import yaml

from hemcell.cli.main import main
from hemcell.sweep.gather import output_attrs

EXPORT = {"command": "params export", "arguments": ["azcnf_coated_li"],
          "results_file": "parameters_si.json",
          "outputs": ["coating_thickness", "separator_thickness"],
          "parameters": {"coating_thickness": {"values": ["14 nm", "28 nm"]}}}


@pytest.mark.parametrize(("key", "long_name", "unit"), [
    ("discharge_capacity_mAh_per_g[0]", "discharge capacity, item 0", "mAh/g"),
    ("mean_discharge_voltage_V[1]", "mean discharge voltage, item 1", "V"),
    ("charge_transfer_resistance_ohm.bare", "charge transfer resistance, bare", "ohm"),
    ("bare.min_surface_concentration_mol_per_m3", "bare, min surface concentration",
     "mol/m**3"),
    ("retention_at_cycle.1000", "retention at cycle, 1000", None),
    ("coating_thickness", "coating thickness", "m"),
    ("current_focusing_factor", "current focusing factor", None)])
def test_an_output_s_unit_is_in_units_not_in_its_long_name(key, long_name, unit):
    assert output_attrs(key) == (long_name, unit)


def test_results_nc_long_names_carry_no_unit(tmp_path):
    import xarray as xr

    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(EXPORT))
    assert main(["sweep", str(path), "--out", str(tmp_path / "o"), "--no-plots"]) == 0
    with xr.open_dataset(tmp_path / "o" / "results.nc") as ds:
        var = ds["coating_thickness_result"]
        assert var.attrs["long_name"] == "coating thickness" and var.attrs["units"] == "m"
        assert ds["separator_thickness"].attrs["long_name"] == "separator thickness"
        assert ds["coating_thickness"].attrs["long_name"] == "coating thickness"
        assert ds["coating_thickness"].attrs["units"] == "nm"
