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


def test_the_figure_labels_are_the_long_names_with_units(monkeypatch, tmp_path):
    """results.png titled its panels 'discharge_capacity_mAh_per_g_0' and labelled its
    axes 'anode_particle_radius [nm]'."""
    import numpy as np
    import xarray as xr

    import hemcell.figures
    from hemcell.sweep.gather import plot_summary

    figures = []
    monkeypatch.setattr(hemcell.figures, "save_figure",
                        lambda fig, path, dpi=None: figures.append(fig) or path)
    name, unit = output_attrs("discharge_capacity_mAh_per_g[0]")
    ds = xr.Dataset(
        {"discharge_capacity_mAh_per_g_0": (("anode_particle_radius", "c_rate"),
                                            np.ones((2, 2)),
                                            {"long_name": name, "units": unit})},
        coords={"anode_particle_radius": ("anode_particle_radius", [100.0, 250.0],
                                          {"long_name": "anode particle radius",
                                           "units": "nm"}),
                "c_rate": ("c_rate", [0.5, 1.0], {"long_name": "c rate"})})
    plot_summary(ds, ["discharge_capacity_mAh_per_g_0"], tmp_path / "r.png")
    ax = figures[0].axes[0]
    assert ax.get_title() == "discharge capacity, item 0"
    assert ax.get_ylabel() == "anode particle radius [nm]" and ax.get_xlabel() == "c rate"
