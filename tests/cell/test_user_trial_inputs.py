"""Inputs a new user tries on `hemcell cell run` / `cell cv` and parameter sets.

Each test pins a defect met while using the commands as documented: electrode volume
fractions that add up to more than the electrode, empty or misspelt options, currents
per area, negative voltages, timed steps past the voltage window, mislabelled figures,
sets of another kind, and a CSV pandas could not read.
"""

from __future__ import annotations

import pytest

from hemcell.errors import InputError

PARAMS = "heo_rocksalt_mgconicuzn"


@pytest.mark.parametrize("override", ["anode_porosity=0.7",
                                      "anode_active_material_volume_fraction=0.7"])
def test_porosity_and_active_fraction_cannot_exceed_the_electrode(override):
    """ε + ε_s ≤ 1 (the set has ε = ε_s = 0.4): either raised to 0.7 overfills it."""
    from hemcell.params import load_parameter_set

    with pytest.raises(InputError) as exc:
        load_parameter_set(PARAMS).with_overrides([override])
    assert "anode_porosity" in str(exc.value)
    assert "anode_active_material_volume_fraction" in str(exc.value)


def test_a_file_that_overfills_its_electrode_is_refused(tmp_path):
    from hemcell.errors import ParameterFileError
    from hemcell.params import load_parameter_set

    path = tmp_path / "dense.yaml"
    path.write_text(
        "name: dense\nkind: anode\ndescription: calendered too far\n"
        "extends: heo_rocksalt_mgconicuzn\nparameters:\n"
        "  anode_active_material_volume_fraction:\n"
        "    {value: 0.65, unit: dimensionless, source: {assumed: a user's denser electrode}}\n",
        encoding="utf-8")
    with pytest.raises(ParameterFileError, match=r"0\.4 \+ 0\.65 = 1\.05"):
        load_parameter_set(path)
    path.write_text(path.read_text().replace("0.65", "0.55"), encoding="utf-8")
    assert load_parameter_set(path).si["anode_active_material_volume_fraction"] == 0.55


@pytest.mark.parametrize("command", ["run", "cv"])
def test_an_empty_mechanism_list_is_refused_not_read_as_all(tmp_path, capsys, command):
    """`--mechanisms ""` (a shell variable left empty) ran every mechanism."""
    from hemcell.cli.main import main

    argv = ["cell", command, "hem_half_cell_sp", "--params", PARAMS, "--mechanisms", "",
            "--out", str(tmp_path / "out")]
    if command == "run":
        argv += ["--protocol", "Discharge at 1C until 0.01 V"]
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert "--mechanisms" in captured.out + captured.err
    assert not (tmp_path / "out" / "summary.json").exists()


@pytest.mark.parametrize("step", ["Discharge at 1 mA/cm2 until 0.01 V",
                                  "Charge at 2 mA/cm^2 for 1 hour"])
def test_a_current_per_area_names_the_units_hemcell_reads(step):
    """PyBaMM's own message ("units must be 'A', 'V', 'W', 'Ohm', or 'C'") hides that
    hemcell reads A/g and mA/g; a per-area current needs the electrode area. (A current
    per kg is a current per mass: tests/cell/test_user_trial_u14.py.)"""
    from hemcell.cell.protocols import build_experiment

    with pytest.raises(InputError) as exc:
        build_experiment(step, mass_g=0.015, nominal_capacity_Ah=0.014)
    assert exc.value.value == step
    assert "A/g" in exc.value.allowed and "C/10" in exc.value.allowed
    assert step.split()[3] in exc.value.hint


@pytest.mark.parametrize("step", ["Discharge at 1C until -0.5 V",
                                  "Hold at -0.1 V for 10 minutes"])
def test_a_voltage_below_the_metal_is_refused(step):
    """Below 0 V vs Li/Li⁺ lithium plates on the electrode, which no model here has:
    "until -0.5 V" ran on to 866 mAh/g at -0.5 V."""
    from hemcell.cell.protocols import build_experiment

    with pytest.raises(InputError) as exc:
        build_experiment(step, mass_g=0.015, nominal_capacity_Ah=0.014)
    assert exc.value.value == step and ">= 0 V" in exc.value.allowed


def test_a_misspelt_instruction_gets_a_suggestion():
    from hemcell.cell.protocols import build_experiment

    with pytest.raises(InputError) as exc:
        build_experiment("Discharge at 1C until 0.01 V; Chrage at 1C until 3 V",
                         mass_g=0.015, nominal_capacity_Ah=0.014)
    assert exc.value.value == "Chrage at 1C until 3 V"
    assert "did you mean 'Charge'" in exc.value.hint


def test_na_half_cell_figures_are_labelled_vs_na(tmp_path, monkeypatch):
    """`--ion Na` plotted its voltages as "Voltage vs Li/Li⁺"."""
    from hemcell.cell import plots
    from hemcell.workflows.anode import run_cell, write_outputs

    labels = []
    monkeypatch.setattr(plots, "voltage_profile",
                        lambda *a, ylabel=None, **k: labels.append(ylabel))
    monkeypatch.setattr(plots, "mechanism_contributions",
                        lambda *a, ylabel=None, **k: labels.append(ylabel))
    monkeypatch.setattr(plots, "dqdv_plot", lambda *a, xlabel=None, **k: labels.append(xlabel))
    run = run_cell("hem_half_cell_sp", PARAMS, "Discharge at 1 A/g until 0.5 V", ion="Na")
    write_outputs(run, tmp_path)
    assert labels == [plots.voltage_label("Na")] * 3
    assert "Na/Na" in labels[0]


def test_a_timed_step_stops_at_the_cells_voltage_window():
    """PyBaMM widens a model's own voltage events by 1 V inside an Experiment, so a step
    without "until" ran past 0.01 V towards -0.99 V vs Li and the solver failed
    ("Discharge at 1C for 70 minutes": exit 1, nothing kept). It now ends at the set's
    cut-off, like "... for 70 minutes or until 0.01 V"."""
    from hemcell.workflows.anode import run_cell, summarize

    run = run_cell("hem_half_cell_sp", PARAMS, "Discharge at 1C for 70 minutes")
    assert run.error is None
    assert "Voltage < 0.01 [V] [experiment]" in str(run.solution.termination)
    timed = summarize(run, timeseries=False)[0]["discharge_capacity_mAh_per_g"][0]
    cut = run_cell("hem_half_cell_sp", PARAMS, "Discharge at 1C until 0.01 V")
    assert timed == pytest.approx(
        summarize(cut, timeseries=False)[0]["discharge_capacity_mAh_per_g"][0], rel=1e-6)
    # a step that ends first by its own duration is unchanged: 40 min at 1C = 2/3 of 1C·h
    short = summarize(run_cell("hem_half_cell_sp", PARAMS, "Discharge at 1C for 40 minutes"),
                      timeseries=False)[0]
    assert short["discharge_capacity_mAh_per_g"][0] == pytest.approx(
        short["theoretical_capacity_total_mAh_per_g"] * 40 / 60, rel=1e-6)


@pytest.mark.parametrize(("params", "says"), [("cathode_he_nvpf", "cathode_half_cell_p2d"),
                                              ("bare_li", "hemcell limetal")])
def test_a_set_of_another_kind_names_the_commands_it_runs_in(params, says):
    """A cathode set on an anode recipe was "33 missing value(s) ... pass --set
    anode_thickness=..."; bare_li was "missing: reference_ion_radius"."""
    from hemcell.workflows.anode import prepare_cell

    with pytest.raises(InputError) as exc:
        prepare_cell("hem_half_cell_sp", params, "Discharge at 1C until 0.01 V")
    assert exc.value.field == "--params" and exc.value.value == params
    assert "anode" in exc.value.allowed and says in exc.value.hint


def test_cv_csv_opens_in_pandas_with_its_header(tmp_path):
    """cv.csv began with a comment line, which pandas.read_csv took as a two-column
    header ('# branch: 0 cathodic', ' 1 anodic'): a 2-column table, no error."""
    import pandas as pd

    from hemcell.cli.main import main

    assert main(["cell", "cv", "hem_half_cell_sp", "--params", PARAMS, "--scan-rates", "2",
                 "--mechanisms", "intercalation", "--no-plots",
                 "--out", str(tmp_path / "cv")]) == 0
    df = pd.read_csv(tmp_path / "cv" / "cv.csv")
    assert {"scan_rate_mV_per_s", "branch", "voltage_V", "current_A_per_g"} <= set(df.columns)
    assert set(df["branch"]) <= {0, 1} and len(df) > 10
