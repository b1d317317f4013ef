"""User trial U16 of fit specs: values the model does not read are refused in the spec's
own words (`fit.parameters`, `model.set`; not `--set`) for every command, and a data
file that is a folder or missing is named by its key."""

from __future__ import annotations

import pytest
import yaml

from hemcell.errors import InputError
from hemcell.resources import repo_root
from hemcell.workflows.fit import load_spec, make_problem

DATA = repo_root() / "examples" / "data"
SHIPPED = repo_root() / "examples" / "fits"


def _rate_spec(tmp_path, fitted: dict, sets=()):
    spec = {"model": {"command": "limetal rate", "anode": "coated", "set": list(sets)},
            "data": [{"file": str(DATA / "azcnf_li_lfp_rate_capability.csv")}],
            "fit": {"parameters": {
                "lfp_particle_diffusivity": {"initial": "7e-19 m**2/s",
                                             "bounds": ["1e-21 m**2/s", "1e-16 m**2/s"]},
                **fitted}, "multistart": 1, "profile": False},
            "objective": {"signal": "capacity_vs_rate"}}
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(spec))
    return path


def _cell_spec(tmp_path, fitted: str, initial: str, bounds: list[str], sets=(), file=None):
    spec = {"model": {"command": "cell run", "recipe": "hem_half_cell_sp",
                      "params": "heo_rocksalt_mgconicuzn",
                      "mechanisms": ["intercalation", "conversion", "alloying", "space_charge"],
                      "set": list(sets)},
            "data": [{"file": str(file or DATA / "synthetic_rate_0.2Ag.csv"),
                      "protocol": "Discharge at 0.2 A/g until 0.01 V"}],
            "fit": {"parameters": {fitted: {"initial": initial, "bounds": bounds}},
                    "multistart": 1, "profile": False}}
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(spec))
    return path


def test_a_limetal_fit_of_a_value_the_cell_does_not_read_is_refused(tmp_path):
    """`anode_particle_radius` fitted on the Li||LFP rate test: it ran, rebuilt the cell at
    every evaluation, and ended on a singular Jacobian (with numpy's divide-by-zero
    warning on the terminal)."""
    radius = {"anode_particle_radius": {"initial": "100 nm", "bounds": ["10 nm", "1000 nm"]}}
    with pytest.raises(InputError) as exc:
        load_spec(_rate_spec(tmp_path, radius))
    assert exc.value.field == "fit.parameters", exc.value
    assert "anode_particle_radius" in str(exc.value) and "limetal rate" in str(exc.value)


def test_a_limetal_fixed_value_the_cell_does_not_read_is_refused(tmp_path):
    with pytest.raises(InputError) as exc:
        load_spec(_rate_spec(tmp_path, {}, sets=["anode_particle_radius=100 nm"]))
    assert exc.value.field == "model.set" and "anode_particle_radius" in str(exc.value)


def test_the_shipped_li_metal_specs_still_load():
    for name in ("limetal_fit_rate", "limetal_fit_fade", "limetal_fit_shuttle",
                 "limetal_fit_losses_aurbach", "limetal_fit_losses_symmetric",
                 "limetal_fit_nucleation_bare", "limetal_fit_nucleation_coated"):
        assert load_spec(SHIPPED / f"{name}.yaml").parameters, name


def test_a_cell_run_fit_of_a_value_the_recipe_does_not_read_names_fit_parameters(tmp_path):
    """The recipe's own check refused it naming `--set`, an option the user never gave."""
    path = _cell_spec(tmp_path, "irreversible_exchange_current_density", "1e-3 A/m**2",
                      ["1e-5 A/m**2", "1e-1 A/m**2"])
    with pytest.raises(InputError) as exc:
        make_problem(load_spec(path))
    assert exc.value.field == "fit.parameters", exc.value
    assert "irreversible_exchange_current_density" in str(exc.value)


def test_a_cell_run_fixed_value_the_recipe_does_not_read_names_model_set(tmp_path):
    path = _cell_spec(tmp_path, "conversion_exchange_current_density", "3e-3 A/m**2",
                      ["1e-5 A/m**2", "1e-1 A/m**2"], sets=["coating_thickness=20 nm"])
    with pytest.raises(InputError) as exc:
        make_problem(load_spec(path))
    assert exc.value.field == "model.set" and "coating_thickness" in str(exc.value)


@pytest.mark.parametrize("kind", ["folder", "missing"])
def test_a_data_file_that_is_a_folder_or_missing_names_its_key(tmp_path, kind):
    """It said `data file: got 'adir'; allowed: an existing CSV or instrument file`."""
    target = tmp_path / "measurements"
    if kind == "folder":
        target.mkdir()
    path = _cell_spec(tmp_path, "conversion_exchange_current_density", "3e-3 A/m**2",
                      ["1e-5 A/m**2", "1e-1 A/m**2"], file=target)
    with pytest.raises(InputError) as exc:
        load_spec(path)
    assert exc.value.field == "data[0].file", exc.value
    assert ("a folder" in str(exc.value)) == (kind == "folder"), exc.value


def test_a_singular_jacobian_prints_no_numpy_warning():
    """A value that does not move the model (a zero Jacobian column): `statistics` leaked
    numpy's 'divide by zero encountered in divide' onto the terminal before the fit's own
    singular-Jacobian warning."""
    import warnings
    from types import SimpleNamespace

    import numpy as np

    from hemcell.workflows.fit import statistics

    jac = np.array([[1.0, 0.0], [2.0, 0.0], [0.5, 0.0]])
    problem = SimpleNamespace(residuals=lambda x: np.array([0.1, -0.2, 0.1]),
                              jacobian=lambda x: jac, n_points=lambda: 3,
                              spec=SimpleNamespace(sigma=1.0))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        st = statistics(problem, np.zeros(2))
    assert st["singular"] and not np.isfinite(st["ci"]).all()


def test_an_impedance_misfit_names_the_sign_of_z_imag_not_an_active_mass(tmp_path):
    """A spectrum given as −Z'' under `z_imag [ohm]` fitted POOR with the advice 'a wrong
    active mass or current, a missing mechanism' (no mass or current in a spectrum)."""
    import numpy as np

    from hemcell.workflows.fit import fit_quality

    spec = {"model": {"command": "eis symmetric", "anode": "bare"},
            "data": [{"file": str(DATA / "synthetic_eis_li_li_bare.csv")}],
            "fit": {"parameters": {"symmetric_cell_charge_transfer_resistance": {
                "initial": "40 ohm", "bounds": ["5 ohm", "500 ohm"]}}, "multistart": 1,
                "profile": False},
            "objective": {"signal": "impedance", "noise": {"sigma": "0.2 ohm"}}}
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(spec))
    problem = make_problem(load_spec(path))
    n = problem.n_points()
    quality = fit_quality(problem, problem.lower.copy(), np.full(n, 50.0))
    text = " ".join(quality["warnings"])
    assert "-z_imag [ohm]" in text and "active mass" not in text, text


def _parsed(command: str, args: list[str]) -> dict:
    from hemcell.sweep.commands import resolve_command

    return resolve_command(command).parse_args([*args, "--out", "OUT"])


def test_use_with_runs_a_cell_command_on_the_fitted_set(tmp_path):
    """fitting.md said the new set 'runs with --params DIR/fitted_parameters.yaml'; a
    prediction also needs the fit's recipe and mechanisms (the synthetic curves use four
    of six): fit.json's `use_with` and the terminal's 'predict with:' line give them."""
    from hemcell.workflows.fit import use_with

    path = _cell_spec(tmp_path, "conversion_exchange_current_density", "3e-3 A/m**2",
                      ["1e-5 A/m**2", "1e-1 A/m**2"])
    record = {"parameters": {"conversion_exchange_current_density": {
        "value": 1.0e-3, "unit": "A/m**2"}}}
    args = use_with(load_spec(path), record, tmp_path / "out")
    assert args == ["hem_half_cell_sp", "--mechanisms",
                    "intercalation,conversion,alloying,space_charge",
                    "--params", str(tmp_path / "out" / "fitted_parameters.yaml")]
    kwargs = _parsed("cell run", [*args, "--protocol", "Discharge at 1 A/g until 0.01 V"])
    assert kwargs["params"].endswith("fitted_parameters.yaml")


def test_use_with_gives_li_metal_commands_their_values_as_set(tmp_path):
    """`limetal` and `eis symmetric` take no --params: the fitted set could not be run."""
    from hemcell.workflows.fit import use_with

    path = _rate_spec(tmp_path, {}, sets=["lfp_charged_stoichiometry=0.09"])
    record = {"parameters": {"lfp_particle_diffusivity": {"value": 8.29e-19,
                                                         "unit": "m**2/s"}}}
    args = use_with(load_spec(path), record, tmp_path)
    assert args == ["--anode", "coated", "--set", "lfp_charged_stoichiometry=0.09",
                    "--set", "lfp_particle_diffusivity=8.29e-19 m**2/s"]
    assert _parsed("limetal rate", args)["set_"] == args[3::2]


def _eis_spec(tmp_path, model: dict):
    spec = {"model": model, "data": [{"file": str(DATA / "synthetic_eis_li_li_bare.csv")}],
            "fit": {"parameters": {"li_double_layer_capacity": {
                "initial": "0.05 F/m**2", "bounds": ["1e-3 F/m**2", "10 F/m**2"]}},
                "multistart": 1, "profile": False},
            "objective": {"signal": "impedance", "noise": {"sigma": "0.2 ohm"}}}
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(spec))
    return path


def test_the_state_of_charge_range_is_the_command_s():
    """`hemcell eis li-lfp --soc 0` (LiFePO4) runs; a fit spec's `soc: 0` was refused by a
    second check of its own ('0 < soc <= 1'). The anode's fresh state is without soc."""
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        lfp = {"command": "eis li-lfp", "anode": "coated"}
        assert make_problem(load_spec(_eis_spec(Path(tmp), {**lfp, "soc": 0}))).soc == 0.0
        for model in ({**lfp, "soc": 1.5}, {**lfp, "soc": "full"},
                      {"command": "eis anode", "recipe": "hem_half_cell_sp",
                       "params": "heo_rocksalt_mgconicuzn", "soc": 0}):
            with pytest.raises(InputError) as exc:
                make_problem(load_spec(_eis_spec(Path(tmp), model)))
            assert exc.value.field == "model.soc", exc.value


@pytest.mark.parametrize(("bounds", "hint"), [(["1e-1 A/m**2", "1e-5 A/m**2"], "swap"),
                                              (["1e-3 A/m**2", "1e-3 A/m**2"], "model.set")])
def test_inverted_or_equal_bounds_are_named_as_such(tmp_path, bounds, hint):
    """Inverted bounds were refused as 'allowed: lower < initial < upper', which reads as
    a fault of the initial value."""
    path = _cell_spec(tmp_path, "conversion_exchange_current_density", "3e-3 A/m**2", bounds)
    with pytest.raises(InputError) as exc:
        load_spec(path)
    assert exc.value.field == "fit.parameters.conversion_exchange_current_density.bounds"
    assert "lower < upper" in exc.value.allowed and hint in exc.value.hint


def test_a_list_of_temperatures_is_refused_as_one_spectrum_per_data_set(tmp_path):
    """`temperature: [25 degC, 35 degC]` was answered with `hemcell eis`'s 'allowed:
    comma-separated temperatures ...', which the fit does not take either."""
    path = _eis_spec(tmp_path, {"command": "eis symmetric", "anode": "bare",
                                "temperature": ["25 degC", "35 degC"]})
    with pytest.raises(InputError) as exc:
        make_problem(load_spec(path))
    assert exc.value.field == "model.temperature" and "one temperature" in exc.value.allowed


def test_a_data_file_given_as_the_spec_gets_a_hint(tmp_path, capsys):
    """`hemcell fit measured.csv` answered 'allowed: a mapping with keys [...]' with the
    file's text echoed, and no word that the data file belongs inside a spec."""
    from hemcell.cli.main import main

    (tmp_path / "measured.csv").write_text("time [s],voltage [V]\n0,2\n10,1.9\n")
    assert main(["fit", str(tmp_path / "measured.csv"), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "a fit spec" in err and "hint:" in err and "data: [{file:" in err, err
