"""User trial of `hemcell sweep` (session 13): a 10⁶-point grid passed `--check` with no
word on its run time; `[28 nm, 0.028 um]` passed as two points (27.999999999999996 nm);
`--check --executor dask --scheduler nonsense` said ok; a misspelt key had no "did you
mean"."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from hemcell.cli.main import main
from hemcell.sweep import SpecError, parse_spec
from hemcell.sweep.estimate import LARGE_SWEEP_POINTS, MODEL_COSTS, POINT_COSTS, duration_text

EXPORT = {"command": "params export", "arguments": ["azcnf_coated_li"],
          "results_file": "parameters_si.json", "outputs": ["coating_thickness"],
          "parameters": {"coating_thickness": {"values": ["14 nm", "28 nm"]}}}


def _spec(tmp_path: Path, raw: dict) -> Path:
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(raw))
    return path


def test_check_gives_an_estimate_and_how_it_was_obtained(tmp_path, capsys):
    code = main(["sweep", str(_spec(tmp_path, EXPORT)), "--out", str(tmp_path / "o"),
                 "--check", "--workers", "1"])
    assert code == 0
    out = capsys.readouterr().out
    per = POINT_COSTS[("params export", "process")].seconds
    assert f"estimate: 2 points × {per:.2g} s per point (process path)" in out, out
    assert "stated:" in out and "params_quick.yaml" in out, out
    assert "warning" not in out


def test_check_counts_the_models_of_a_temperature_sweep(tmp_path, capsys):
    """A `cell run` sweep over 3 temperatures takes the fast path with a model per
    temperature: the note says so and the estimate adds the two models beyond the
    first (it was estimated, and run, as 12 processes)."""
    raw = {"command": "cell run", "arguments": ["hem_half_cell_sp"],
           "options": {"--params": "heo_rocksalt_mgconicuzn"},
           "parameters": {"ambient_temperature": {"values": [10, 25, 45], "unit": "degC"},
                          "specific_current": {
                              "option": "--protocol", "values": [0.1, 0.5, 1.0, 2.0],
                              "unit": "A/g",
                              "template": "Discharge at {value} A/g until 0.01 V"}},
           "outputs": ["discharge_capacity_mAh_per_g[0]"]}
    assert main(["sweep", str(_spec(tmp_path, raw)), "--out", str(tmp_path / "o"),
                 "--check"]) == 0
    out = capsys.readouterr().out
    assert "fast path: 3 models for the 12 points, one per value of ambient_temperature" in out
    point, model = POINT_COSTS[("cell run", "fast")].seconds, MODEL_COSTS["cell run"].seconds
    assert (f"estimate: 12 points × {point:.2g} s per point + 2 more models × {model:.2g} s "
            "(fast path, 3 models) ≈ ") in out, out


def test_a_large_grid_passes_check_with_a_clear_warning(tmp_path, capsys):
    """Legal, so not refused; but above LARGE_SWEEP_POINTS points --check says so."""
    raw = {**EXPORT, "parameters": {
        "coating_thickness": {"linspace": ["10 nm", "100 nm", 101]},
        "li_exchange_current_density": {"linspace": [0.5, 5.0, 101], "unit": "mA/cm**2"}}}
    code = main(["sweep", str(_spec(tmp_path, raw)), "--out", str(tmp_path / "o"),
                 "--check", "--workers", "2"])
    assert code == 0
    out = capsys.readouterr().out
    n = 101 * 101
    assert n > LARGE_SWEEP_POINTS
    wall = n * POINT_COSTS[("params export", "process")].seconds / 2
    assert f"estimate: {n} points" in out and "2 at once" in out, out
    assert f"≈ {duration_text(wall)} of wall time" in out, out
    assert f"warning: a large sweep: {n} points" in out, out


def test_check_after_a_run_measures_the_points_it_finished(tmp_path, capsys):
    spec, out_dir = _spec(tmp_path, EXPORT), tmp_path / "o"
    assert main(["sweep", str(spec), "--out", str(out_dir), "--no-plots"]) == 0
    capsys.readouterr()
    assert main(["sweep", str(spec), "--out", str(out_dir), "--check", "--resume"]) == 0
    out = capsys.readouterr().out
    assert "measured: the median wall time of 2 point(s) of this spec" in out, out


@pytest.mark.parametrize(("args", "field"), [
    (["--executor", "dask", "--scheduler", "nonsense"], "--scheduler"),
    (["--scheduler", "tcp://127.0.0.1:8786"], "--scheduler"),
    (["--executor", "daks"], "--executor")])
def test_check_refuses_the_executor_options_the_run_refuses(tmp_path, capsys, args, field):
    code = main(["sweep", str(_spec(tmp_path, EXPORT)), "--out", str(tmp_path / "o"),
                 "--check", *args])
    assert code == 2
    assert f"error: {field}" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_values_in_mixed_units_are_the_same_number_and_duplicates_are_found():
    axis = {"values": ["14 nm", "0.028 um"]}
    spec = parse_spec({**EXPORT, "parameters": {"coating_thickness": axis}})
    assert spec.axes[0].values == (14.0, 28.0)
    with pytest.raises(SpecError, match="each point once"):
        parse_spec({**EXPORT, "parameters": {"coating_thickness": {
            "values": ["28 nm", "0.028 um"]}}})


def test_a_misspelt_key_gets_a_did_you_mean():
    raw = {k: v for k, v in EXPORT.items() if k != "parameters"}
    with pytest.raises(SpecError) as err:
        parse_spec({**raw, "parameter": EXPORT["parameters"]})
    assert "did you mean parameters?" in str(err.value.hint), err.value.hint
    with pytest.raises(SpecError) as err:
        parse_spec({**EXPORT, "parameters": {"coating_thickness": {"valeus": ["14 nm"]}}})
    assert "did you mean values?" in str(err.value.hint), err.value.hint


def test_an_axis_of_more_values_than_a_sweep_holds_is_refused_before_it_is_made():
    """`linspace: [0.1, 2.0, 100000000]` made 10⁸ values (and ran out of memory) before
    the total was checked against MAX_POINTS."""
    from hemcell.sweep.spec import MAX_POINTS

    axis = {"linspace": ["10 nm", "20 nm", 100 * MAX_POINTS]}
    with pytest.raises(SpecError) as err:
        parse_spec({**EXPORT, "parameters": {"coating_thickness": axis}})
    assert "linspace[2]" in str(err.value) and f"at most {MAX_POINTS}" in str(err.value)
