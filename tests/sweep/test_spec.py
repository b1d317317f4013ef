"""Sweep specs: validation before anything runs, point expansion, ids, seeds, units."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from hemcell.errors import InputError
from hemcell.sweep import SpecError, load_spec, parse_spec

REPO = Path(__file__).resolve().parents[2]
EXPORT = {"command": "params export", "arguments": ["bare_li"],
          "results_file": "parameters_si.json"}


def spec_errors(raw: dict) -> str:
    with pytest.raises(SpecError) as info:
        parse_spec(raw)
    assert info.value.exit_code == 2
    return info.value.message


@pytest.mark.parametrize(("raw", "expected"), [
    ({"command": "surface rnu", "parameters": {"coating_thickness": ["1 nm"]}},
     "did you mean surface run"),
    ({**EXPORT, "parameters": {"coating_thicknes": ["10 nm"]}}, "coating_thicknes"),
    ({**EXPORT, "parameters": {"coating_thickness": ["10 GPa"]}}, "dimension"),
    ({**EXPORT, "parameters": {"coating_thickness": ["-5 nm"]}}, "values[0]"),
    ({**EXPORT, "parameters": {"coating_thickness": [10, 20]}}, "with a unit"),
    ({**EXPORT, "parameters": {"coating_thickness": {"linspace": ["1 nm", "5 nm"]}}},
     "[start, stop, number of points]"),
    ({**EXPORT, "parameters": {"coating_thickness": {"logspace": ["0 nm", "5 nm", 3]}}},
     "positive start and stop"),
    ({**EXPORT, "parameters": {"coating_thickness": ["1 nm", "2 nm"],
                               "li_transfer_coefficient": [0.4, 0.5, 0.6]}, "combine": "zip"},
     "the same number of values"),
    ({**EXPORT, "parameters": {"coating_thickness": ["1 nm"]}, "colour": "red"}, "colour"),
    ({**EXPORT, "parameters": {"coating_thickness": ["1 nm"]}, "options": {"--geometry": "x"}},
     "options of `params export`"),
    ({**EXPORT, "parameters": {"coating_thickness": ["1 nm"]}, "set": {"li_poisson_ratio": "7"}},
     "li_poisson_ratio"),
    ({"command": "pybamm cc-discharge", "parameters": {"c_rate": [1, "fast"]}},
     "Invalid value for '--c-rate'"),
    ({"command": "pybamm cc-discharge", "parameters": {"c_rate": [-1, 1]}}, "--c-rate"),
    ({"command": "pybamm cc-discharge", "parameters": {"rate": {"option": "--rate",
                                                                "values": [1]}}},
     "an option of `pybamm cc-discharge`"),
    ({**EXPORT, "parameters": {"coating_thickness": ["1 nm"]}, "seed": {"parameter": "nope"}},
     "seed.parameter"),
])
def test_bad_specs_fail_naming_field_value_and_allowed(raw, expected):
    assert expected in spec_errors(raw)


def test_every_problem_is_reported_at_once():
    message = spec_errors({**EXPORT, "parameters": {"coating_thickness": ["1 GPa"],
                                                    "nonsense_name": [1]}, "combine": "diagonal"})
    assert "3 error(s)" in message
    assert "coating_thickness" in message and "nonsense_name" in message
    assert "diagonal" in message


def test_yaml_tags_and_duplicate_keys_are_refused(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text("command: params export\ncommand: params export\n")
    with pytest.raises(InputError, match="duplicate key"):
        load_spec(path)
    path.write_text("command: !!python/object/apply:os.system ['true']\n")
    with pytest.raises(InputError, match="refused"):
        load_spec(path)


def test_grid_points_units_and_ids():
    spec = parse_spec({**EXPORT, "parameters": {
        "coating_thickness": {"linspace": ["10 nm", "30 nm", 3]},
        "li_exchange_current_density": {"values": [5, 10], "unit": "A/m**2"}}})
    assert spec.dims == ("coating_thickness", "li_exchange_current_density")
    assert spec.shape == (3, 2)
    assert spec.axes[0].values == (10.0, 20.0, 30.0) and spec.axes[0].unit == "nm"
    assert spec.axes[0].to_si(20.0) == pytest.approx(2e-8)
    p = spec.points[3]
    assert p.index == (1, 1)
    assert p.args == ("bare_li", "--set", "coating_thickness=20.0 nm",
                      "--set", "li_exchange_current_density=10 A/m**2")  # ints stay ints
    ids = [q.id for q in spec.points]
    assert len(set(ids)) == 6
    again = parse_spec({**EXPORT, "parameters": {
        "coating_thickness": {"linspace": ["10 nm", "30 nm", 3]},
        "li_exchange_current_density": {"values": [5, 10], "unit": "A/m**2"}}})
    assert [q.id for q in again.points] == ids


def test_mixed_units_convert_to_the_first_and_logspace_is_geometric():
    spec = parse_spec({**EXPORT, "parameters": {
        "coating_thickness": {"values": ["28 nm", "0.1 um"]},
        "li_exchange_current_density": {"logspace": ["0.1 mA/cm**2", "10 mA/cm**2", 3]}}})
    assert spec.axes[0].values == (28.0, 100.0)
    assert spec.axes[1].values == (0.1, 1.0, 10.0)


def test_zip_and_csv_points(tmp_path):
    spec = parse_spec({**EXPORT, "combine": "zip", "parameters": {
        "coating_thickness": ["10 nm", "20 nm"], "li_transfer_coefficient": [0.4, 0.6]}})
    assert spec.dims == ("point",) and spec.shape == (2,)
    assert spec.points[1].values == {"coating_thickness": 20.0, "li_transfer_coefficient": 0.6}
    csv = tmp_path / "pts.csv"
    csv.write_text("# thickness and rate\nlfp_particle_radius [nm],c_rate,--model\n"
                   "30,0.5,SPM\n300,2,DFN\n")
    path = tmp_path / "s.yaml"
    path.write_text("command: pybamm cc-discharge\npoints:\n  csv: pts.csv\n"
                    "  columns: {--model: {option: --model}}\n")
    spec = load_spec(path)
    assert spec.dims == ("row",) and spec.shape == (2,)
    assert spec.points[1].args == ("--set", "lfp_particle_radius=300.0 nm",
                                   "--c-rate", "2.0", "--model", "DFN")


def test_categorical_option_values_and_templates():
    spec = parse_spec({"command": "pybamm cc-discharge", "parameters": {
        "--model": {"option": "--model", "values": ["SPM", "DFN"]},
        "c_rate": {"option": "--c-rate", "values": [1, 2], "template": "{value}"}}})
    assert spec.axes[0].categorical and spec.axes[0].values == ("SPM", "DFN")
    assert spec.points[1].args == ("--model", "SPM", "--c-rate", "2")


def test_seeds_are_deterministic_and_per_point_when_asked():
    base = {**EXPORT, "parameters": {"coating_thickness": ["10 nm", "20 nm", "30 nm"]}}
    same = parse_spec({**base, "seed": {"parameter": "sei_seed", "value": 7}})
    assert all(p.args[-1] == "sei_seed=7" for p in same.points)
    per = parse_spec({**base, "seed": {"parameter": "sei_seed", "value": 7, "per_point": True}})
    seeds = [p.args[-1] for p in per.points]
    assert len(set(seeds)) == 3
    again = parse_spec({**base, "seed": {"parameter": "sei_seed", "value": 7,
                                         "per_point": True}})
    assert [p.args[-1] for p in again.points] == seeds


def test_unit_from_summary_keys():
    from hemcell.sweep.gather import unit_from_key

    assert unit_from_key("tip_normal_stress_Pa") == "Pa"
    assert unit_from_key("mean_current_density_A_per_m2") == "A/m**2"
    assert unit_from_key("specific_capacity_mAh_per_g") == "mAh/g"
    assert unit_from_key("coating_thickness") == "m"  # a registry name: its SI unit
    assert unit_from_key("current_focusing_factor") is None
    assert unit_from_key("voltage_min") is None
    assert unit_from_key("li_cu_ce_stable_cycles") is None


def test_cli_bad_spec_exits_2_with_one_error_block(tmp_path):
    from hemcell.cli.main import main

    path = tmp_path / "bad.yaml"
    path.write_text("command: params export\narguments: [bare_li]\n"
                    "parameters: {coating_thickness: [10 GPa]}\n")
    assert main(["sweep", str(path), "--out", str(tmp_path / "out")]) == 2
    assert not (tmp_path / "out").exists()  # nothing ran


def test_sweep_cli_import_stays_light():
    code = ("import sys, hemcell.cli, hemcell.cli.sweep, hemcell.sweep; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('dask', 'distributed', 'xarray', 'pybamm', 'dolfinx', 'matplotlib')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "[]"


EXAMPLES = sorted((REPO / "examples" / "sweeps").glob("*.yaml"))


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_shipped_examples_validate_when_their_command_exists(path):
    from hemcell.params.yaml_io import safe_load_file
    from hemcell.sweep.commands import available_commands

    command = " ".join(str(safe_load_file(path)["command"]).split())
    if command not in available_commands():
        pytest.skip(f"`{command}` is not built yet")
    spec = load_spec(path)
    assert len(spec.points) >= 2


def test_bare_numbers_mixed_with_quantities_are_refused():
    assert "a unit on every value" in spec_errors(
        {**EXPORT, "parameters": {"coating_thickness": [5, "10 nm"]}})


def test_a_point_listed_twice_is_refused():
    assert "each point once" in spec_errors({**EXPORT, "parameters": {
        "coating_thickness": ["10 nm", "10 nm"]}})


def test_outputs_pick_list_items_and_mapping_entries():
    from hemcell.sweep.gather import output_name
    from hemcell.sweep.store import pick_output

    summary = {"discharge_capacity_mAh_per_g": [911.9, 870.2],
               "capacity_by_mechanism_mAh_per_g": {"conversion": [500.0]}, "dofs": 12}
    assert pick_output(summary, "discharge_capacity_mAh_per_g[1]") == 870.2
    assert pick_output(summary, "capacity_by_mechanism_mAh_per_g.conversion[0]") == 500.0
    with pytest.raises(KeyError):
        pick_output(summary, "discharge_capacity_mAh_per_g[5]")
    spec = parse_spec({**EXPORT, "parameters": {"coating_thickness": ["10 nm", "20 nm"]}})
    assert output_name(spec, "discharge_capacity_mAh_per_g[0]") == "discharge_capacity_mAh_per_g_0"
    assert output_name(spec, "coating_thickness") == "coating_thickness_result"
