"""User trial U16 of `hemcell sweep`: an axis with `unit:` and a word among its values, and
a Celsius temperature written `C`."""

from __future__ import annotations

import pytest
import yaml

from hemcell.cli.main import main
from hemcell.sweep import SpecError, parse_spec

CELL = {"command": "cell run", "arguments": ["hem_half_cell_sp"],
        "options": {"--params": "heo_rocksalt_mgconicuzn",
                    "--protocol": "Discharge at 1C until 0.01 V"},
        "outputs": ["discharge_capacity_mAh_per_g[0]"]}
RATE = {"option": "--protocol", "template": "Discharge at {value} A/g until 0.01 V",
        "unit": "A/g"}


def test_a_word_on_an_axis_with_a_unit_is_refused_not_made_categorical():
    """`values: [0.2, fast]` with `unit: A/g`: the axis became categorical (the unit
    dropped, coordinates '0.2' and 'fast'), passed --check, and the 'fast' point ran
    and failed ('Discharge at fast A/g')."""
    spec = {**CELL, "options": {"--params": "heo_rocksalt_mgconicuzn"},
            "parameters": {"specific_current": {**RATE, "values": [0.2, "fast"]}}}
    with pytest.raises(SpecError) as info:
        parse_spec(spec)
    text = info.value.message
    assert "parameters.specific_current.values[1]" in text and "'fast'" in text, text
    assert "A/g" in text, text


def test_numbers_with_a_unit_still_make_a_numeric_axis():
    spec = {**CELL, "options": {"--params": "heo_rocksalt_mgconicuzn"},
            "parameters": {"specific_current": {**RATE, "values": [0.2, "0.5"]}}}
    axis = parse_spec(spec).axes[0]
    assert axis.values == (0.2, 0.5) and axis.unit == "A/g" and not axis.categorical


def test_words_without_a_unit_are_still_a_categorical_axis():
    spec = {**CELL, "parameters": {"params": {"option": "--params",
                                              "values": ["heo_rocksalt_mgconicuzn"]}},
            "options": {"--protocol": "Discharge at 1C until 0.01 V"}}
    assert parse_spec(spec).axes[0].categorical


def test_a_temperature_in_C_is_celsius_on_a_sweep_axis(tmp_path, capsys):
    """`ambient_temperature: [25 C, 45 C]` reads Celsius, as `--set
    ambient_temperature=25C` and `eis --temperatures 25C` do (C is refused nowhere where a
    temperature is meant: hemcell.units.temperature_unit)."""
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump({**CELL, "parameters": {
        "ambient_temperature": {"values": ["25 C", "45 C"]}}}))
    assert main(["sweep", str(path), "--out", str(tmp_path / "o"), "--check"]) == 0
    axis = parse_spec(yaml.safe_load(path.read_text())).axes[0]
    assert [axis.to_si(v) for v in axis.values] == pytest.approx([298.15, 318.15])


def test_values_with_units_in_a_template_need_the_template_s_unit():
    """`values: [500 mA/g, 1 A/g]` into 'Discharge at {value} A/g': the template got the
    bare numbers in the first value's unit, 'Discharge at 500.0 A/g' (1000 times the
    current), and --check said ok."""
    axis = {"option": "--protocol", "template": "Discharge at {value} A/g until 0.01 V",
            "values": ["500 mA/g", "1 A/g"]}
    spec = {**CELL, "options": {"--params": "heo_rocksalt_mgconicuzn"},
            "parameters": {"specific_current": axis}}
    with pytest.raises(SpecError) as info:
        parse_spec(spec)
    assert "parameters.specific_current.unit" in info.value.message, info.value.message
    spec["parameters"]["specific_current"] = {**axis, "unit": "A/g"}
    points = parse_spec(spec).points
    assert [p.args[-1] for p in points] == ["Discharge at 0.5 A/g until 0.01 V",
                                            "Discharge at 1.0 A/g until 0.01 V"]



@pytest.mark.parametrize(("command", "written"), [("surface seeds", "seeds.json"),
                                                  ("surface thickness", "thickness.json")])
def test_surface_studies_are_read_from_their_own_results_file(command, written):
    """They write no summary.json or metrics.json: every point ran and failed ('the
    command wrote none of [summary.json, metrics.json]')."""
    spec = parse_spec({"command": command, "parameters": {
        "ambient_temperature": {"values": ["298.15 K", "308.15 K"]}}})
    assert spec.results_file == written


def test_a_sweep_of_fits_reads_fit_json(tmp_path, capsys):
    """`hemcell fit` over --active-mass (how much the fitted value depends on an assumed
    mass) passed --check, ran every fit and failed every point. The data here are per
    gram, so the mass does not enter: both points give the same fitted value."""
    from hemcell.resources import repo_root

    fit_spec = yaml.safe_load((repo_root() / "examples" / "fits" / "rate_curve_2param.yaml"
                               ).read_text())
    fit_spec["data"][0]["file"] = str(repo_root() / "examples" / "data"
                                      / "synthetic_rate_0.2Ag.csv")
    fit_spec["fit"] = {"parameters": {"conversion_exchange_current_density":
                                      fit_spec["fit"]["parameters"][
                                          "conversion_exchange_current_density"]},
                       "multistart": 1, "profile": False}
    (tmp_path / "fit.yaml").write_text(yaml.safe_dump(fit_spec))
    key = "parameters.conversion_exchange_current_density.value"
    sweep = {"command": "fit", "arguments": [str(tmp_path / "fit.yaml")],
             "options": {"--no-plots": True},
             "parameters": {"active_mass": {"option": "--active-mass",
                                            "values": ["1.2 mg", "2.4 mg"]}},
             "outputs": [key, "rmse"]}
    path = tmp_path / "sweep.yaml"
    path.write_text(yaml.safe_dump(sweep))
    assert parse_spec(sweep, path).results_file == "fit.json"
    out = tmp_path / "out"
    assert main(["sweep", str(path), "--out", str(out), "--workers", "1", "--no-plots"]) == 0
    import xarray as xr

    with xr.open_dataset(out / "results.nc") as ds:
        values = ds[key.replace(".", "_")].values
    assert values[0] == pytest.approx(values[1], rel=1e-9)
    assert values[0] == pytest.approx(1e-3, rel=0.1)


def test_a_point_without_the_results_file_names_the_files_it_wrote(tmp_path):
    """`surface phasefield --case both` writes comparison.json: each point failed with
    only 'the command wrote none of [summary.json, metrics.json]'."""
    from hemcell.sweep.run import read_results

    (tmp_path / "comparison.json").write_text("{}")
    (tmp_path / "run.json").write_text("{}")
    with pytest.raises(FileNotFoundError, match=r"it wrote comparison\.json: name it in the "
                                                r"spec, results_file: comparison\.json"):
        read_results(tmp_path, None)


def test_check_prints_the_commands_of_the_first_points(tmp_path, capsys):
    """--help said '--check: print its points'; it printed their number only, so what a
    template puts into the protocol ('Discharge at 500.0 A/g') could not be seen."""
    spec = {**CELL, "options": {"--params": "heo_rocksalt_mgconicuzn"},
            "parameters": {"specific_current": {**RATE, "values": [0.1, 0.2, 0.5, 1, 2, 5]}}}
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(spec))
    assert main(["sweep", str(path), "--out", str(tmp_path / "o"), "--check"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("ok ") and "6 points" in lines[0]
    assert lines[1] == ("  hemcell cell run hem_half_cell_sp --params heo_rocksalt_mgconicuzn "
                        "--protocol 'Discharge at 0.1 A/g until 0.01 V'"), lines
    assert lines[6] == "  ... and 1 more" and lines[8].startswith("estimate: 6 points")
    assert lines[7] == ("fast path: one model for the 6 points (the values that differ are "
                        "PyBaMM inputs)")
