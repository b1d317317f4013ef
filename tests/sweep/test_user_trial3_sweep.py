"""Sweep specs: a parameter both fixed and swept, and sweeps of ``surface compare``."""

from __future__ import annotations

import json

import pytest

from hemcell.sweep import SpecError, parse_spec

EXPORT = {"command": "params export", "arguments": ["bare_li"],
          "results_file": "parameters_si.json"}


def test_a_parameter_fixed_in_set_and_swept_is_refused_when_the_spec_is_loaded():
    with pytest.raises(SpecError) as info:
        parse_spec({**EXPORT, "set": {"coating_thickness": "28 nm"},
                    "parameters": {"coating_thickness": ["10 nm", "50 nm"]}})
    message = info.value.message
    assert info.value.exit_code == 2
    assert "coating_thickness" in message
    assert "28 nm" in message                      # the set value
    assert "10.0 nm" in message and "50.0 nm" in message   # the swept values
    assert "set:" in message and "parameters:" in message


def test_an_option_fixed_in_options_and_swept_is_refused():
    with pytest.raises(SpecError) as info:
        parse_spec({"command": "pybamm cc-discharge", "options": {"--c-rate": 1},
                    "parameters": {"c_rate": [0.5, 2]}})
    message = info.value.message
    assert "--c-rate" in message and "0.5" in message and "options:" in message


def test_a_surface_compare_sweep_reads_comparison_json(tmp_path):
    from hemcell.sweep.commands import available_commands
    from hemcell.sweep.run import read_results
    from hemcell.sweep.store import pick_output

    if "surface compare" not in available_commands():
        pytest.skip("surface commands need DOLFINx")
    spec = parse_spec({"command": "surface compare", "options": {"--geometry": "sinusoid"},
                       "parameters": {"coating_thickness": ["14 nm", "28 nm"]},
                       "outputs": ["focusing_ratio_coated_to_bare",
                                   "bare.current_focusing_factor"]})
    assert spec.results_file == "comparison.json"
    # a point folder as `surface compare` leaves it: comparison.json with nested metrics
    (tmp_path / "comparison.json").write_text(json.dumps({
        "geometry": "sinusoid", "bare": {"current_focusing_factor": 2.0},
        "coated": {"current_focusing_factor": 1.5}, "focusing_ratio_coated_to_bare": 0.75}))
    summary = read_results(tmp_path, spec.results_file)
    assert pick_output(summary, "focusing_ratio_coated_to_bare") == 0.75
    assert pick_output(summary, "bare.current_focusing_factor") == 2.0


def test_a_surface_compare_sweep_refuses_another_results_file():
    from hemcell.sweep.commands import available_commands

    if "surface compare" not in available_commands():
        pytest.skip("surface commands need DOLFINx")
    with pytest.raises(SpecError) as info:
        parse_spec({"command": "surface compare", "results_file": "metrics.json",
                    "parameters": {"coating_thickness": ["14 nm"]}})
    assert "comparison.json" in info.value.message
