"""User trial U8: sweeps of `hemcell eis` and `params export`.

- a sweep of `eis symmetric --anode bare` over `coating_thickness` (not read by bare Li)
  passed `--check` and ran every point to the same spectrum;
- `outputs: [charge_transfer_resistance_ohm]` (one number per case in eis's summary)
  failed every point with "not a finite number" instead of stopping at the first;
- a `params export` sweep without `results_file:` failed every point (it looked for
  summary.json / metrics.json).
"""

from __future__ import annotations

import pytest

from hemcell.errors import InputError
from hemcell.sweep import SpecError, parse_spec

EIS = {"command": "eis", "arguments": ["symmetric"], "options": {"--anode": "bare"}}


@pytest.mark.parametrize(("spec", "needle"), [
    ({**EIS, "parameters": {"coating_thickness": ["14 nm", "28 nm"]}},
     "`hemcell eis symmetric` (bare Li)"),
    ({**EIS, "set": {"film_capacitance": "2 uF/cm**2"},
      "parameters": {"li_double_layer_capacity": ["0.1 F/m**2", "0.2 F/m**2"]}},
     "film_capacitance"),
    ({"command": "eis", "arguments": ["anode"], "options": {"--recipe": "hem_half_cell_sp"},
      "parameters": {"coating_thickness": ["14 nm", "28 nm"]}}, "`hemcell eis anode`"),
])
def test_an_eis_sweep_over_a_value_its_model_does_not_read_is_a_spec_error(spec, needle):
    with pytest.raises(SpecError) as info:
        parse_spec(spec)
    assert needle in info.value.message


def test_an_eis_sweep_over_a_value_its_model_reads_is_accepted():
    spec = parse_spec({**EIS, "parameters": {"li_double_layer_capacity":
                                             ["0.1 F/m**2", "0.2 F/m**2"]}})
    assert len(spec.points) == 2


def test_an_output_that_holds_one_number_per_case_stops_the_sweep_naming_the_entries():
    from hemcell.sweep.store import check_outputs

    spec = parse_spec({**EIS, "outputs": ["charge_transfer_resistance_ohm"],
                       "parameters": {"li_double_layer_capacity": ["0.1 F/m**2"]}})
    with pytest.raises(InputError) as info:
        check_outputs(spec, {"charge_transfer_resistance_ohm": {"bare": 64.0}})
    assert "charge_transfer_resistance_ohm.bare" in str(info.value)
    check_outputs(parse_spec({**EIS, "outputs": ["charge_transfer_resistance_ohm.bare"],
                              "parameters": {"li_double_layer_capacity": ["0.1 F/m**2"]}}),
                  {"charge_transfer_resistance_ohm": {"bare": 64.0}})


def test_params_export_sweeps_read_parameters_si_json_by_default():
    spec = parse_spec({"command": "params export", "arguments": ["bare_li"],
                       "parameters": {"separator_thickness": ["20 um", "25 um"]}})
    assert spec.results_file == "parameters_si.json"
    explicit = parse_spec({"command": "params export", "arguments": ["bare_li"],
                           "results_file": "summary.json",
                           "parameters": {"separator_thickness": ["20 um", "25 um"]}})
    assert explicit.results_file == "summary.json"


def test_results_nc_names_the_fixed_arguments_of_every_point(tmp_path):
    """results.nc held the swept values only: which case, geometry or fixed --set the
    points ran with was in sweep.json and the spec file, not in the data file."""
    import xarray as xr
    import yaml

    from hemcell.cli.main import main

    spec = tmp_path / "export.yaml"
    spec.write_text(yaml.safe_dump({
        "command": "params export", "arguments": ["azcnf_coated_li"],
        "set": {"separator_thickness": "20 um"},
        "parameters": {"coating_thickness": ["14 nm"]},
        "outputs": ["coating_thickness", "separator_thickness"]}))
    assert main(["sweep", str(spec), "--no-plots", "--workers", "1",
                 "--out", str(tmp_path / "o")]) == 0
    with xr.open_dataset(tmp_path / "o" / "results.nc") as ds:
        assert ds.attrs["fixed_arguments"] == \
            "azcnf_coated_li --set separator_thickness=20 um"
        assert float(ds["separator_thickness"].values[0]) == pytest.approx(20e-6)
