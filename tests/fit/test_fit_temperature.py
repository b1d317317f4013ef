"""A temperature per data set in a `cell run` fit, with hemcell's own files as data.

The data are SYNTHETIC and made by hemcell itself: ``hemcell cell run --out`` of the
single-particle HEM anode with the shipped ``heo_rocksalt_mgconicuzn`` values (the truth:
``conversion_exchange_current_density`` 1e-3 A/m² at the set's reference_temperature
298.15 K, its activation energy 35 kJ/mol), discharged at 0.5 A/g to 0.5 V at 0, 10 and
45 degC; the fit reads each run's ``timeseries.csv`` as it was written (headers
``time_s``, ``voltage_V``, ...). Before, the data set key ``temperature`` was refused
(every data set ran at the set's ambient_temperature) and a ``timeseries.csv`` was
refused as a measurement (``column 1 'time_s': a header 'quantity [unit]'``).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import yaml

from hemcell.cli.main import main
from hemcell.errors import InputError
from hemcell.measurements import read_csv
from hemcell.resources import repo_root
from hemcell.workflows.fit import FitProblem, fit, load_spec, write_outputs

BASE = "heo_rocksalt_mgconicuzn"
MECHANISMS = ["intercalation", "conversion", "alloying", "space_charge"]
MODEL = {"command": "cell run", "recipe": "hem_half_cell_sp", "params": BASE,
         "mechanisms": MECHANISMS}
PROTOCOL = "Discharge at 0.5 A/g until 0.5 V"
J0 = "conversion_exchange_current_density"
EA = "conversion_exchange_current_activation_energy"
J0_TRUE, EA_TRUE = 1e-3, 35e3  # A/m**2, J/mol (the set's values)
#: starts 3x and 2x off the truth
J0_FIT = {"initial": "3e-3 A/m**2", "bounds": ["1e-5 A/m**2", "1e-1 A/m**2"]}
EA_FIT = {"initial": "70 kJ/mol", "bounds": ["5 kJ/mol", "150 kJ/mol"]}
#: Noise added to the fitted curves [V]
SIGMA_V = 0.003
CELSIUS = (0, 10, 45)


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """``hemcell cell run --out`` at 0, 10 and 45 degC: {degC: timeseries.csv}."""
    out = tmp_path_factory.mktemp("runs")
    files = {}
    for c in CELSIUS:
        folder = out / f"T{c}"
        assert main(["cell", "run", "hem_half_cell_sp", "--params", BASE, "--mechanisms",
                     ",".join(MECHANISMS), "--protocol", PROTOCOL, "--set",
                     f"ambient_temperature={c}degC", "--out", str(folder), "--no-plots"]) == 0
        files[c] = folder / "timeseries.csv"
    return files


def _noisy(path, seed, out):
    """The run's timeseries.csv with Gaussian noise (SIGMA_V) on its voltage column,
    headers and everything else as hemcell wrote them."""
    header = path.read_text().splitlines()[0]
    table = np.loadtxt(path, delimiter=",", skiprows=1)
    j = header.split(",").index("voltage_V")
    table[:, j] += np.random.default_rng(seed).normal(0.0, SIGMA_V, len(table))
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savetxt(out, table, delimiter=",", header=header, comments="", fmt="%.17g")
    return out


def _spec(tmp_path, data, parameters=None, model=None, noise="3 mV"):
    spec = {"model": model or MODEL, "data": data,
            "fit": {"parameters": parameters or {J0: J0_FIT, EA: EA_FIT},
                    "multistart": 1, "profile": False},
            "objective": {"noise": {"sigma": noise}}}
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False))
    return path


def _voltage(path):
    m = read_csv(path)
    return m["time"], m["voltage"]


def test_hemcells_time_series_reads_as_a_measurement(runs):
    """The columns the fit needs, per gram; the model outputs beside them left out."""
    m = read_csv(runs[45])
    assert set(m.columns) == {"time", "voltage", "current", "capacity", "cycle", "step"}
    assert m.columns["current"].header == "specific_current_A_per_g"  # not current_A
    assert np.allclose(m["current"], 500.0)  # 0.5 A/g in A/kg
    assert m.columns["capacity"].per_mass and m["capacity"][-1] > 0
    assert m["voltage"][0] > 1.5 and m["voltage"][-1] == pytest.approx(0.5, abs=1e-6)


@pytest.mark.parametrize(("header", "message"), [
    ("time,voltage", "quantity [unit]"),   # a quantity needs its unit, bare or not
    ("Time,Voltage", "quantity [unit]"),
    ("time_s,voltage_V,voltage_mV", "each quantity once"),
])
def test_bare_headers_still_need_units_and_one_column_each(tmp_path, header, message):
    path = tmp_path / "bare.csv"
    n = header.count(",") + 1
    path.write_text(header + "\n" + ",".join(["0"] + ["2"] * (n - 1)) + "\n"
                    + ",".join(["1"] + ["1.9"] * (n - 1)) + "\n")
    with pytest.raises(InputError) as exc:
        read_csv(path)
    assert message in str(exc.value.allowed), exc.value


def test_run_file_fit_recovers_the_exchange_current(tmp_path, runs):
    """run -> file -> fit, by the commands: the 45 degC run's own timeseries.csv, its
    temperature given, j0 from 3x off back to the truth (noise-free data: within the
    solver's tolerance, 0.1 %)."""
    spec = _spec(tmp_path, [{"file": str(runs[45]), "temperature": "45 degC"}],
                 parameters={J0: J0_FIT}, noise="1 mV")
    out = tmp_path / "fit"
    assert main(["fit", str(spec), "--out", str(out), "--no-plots"]) == 0
    record = yaml.safe_load((out / "fit.json").read_text())
    assert record["parameters"][J0]["value"] == pytest.approx(J0_TRUE, rel=1e-3)


def test_joint_fit_over_two_temperatures_predicts_the_third(tmp_path, runs):
    """0 and 45 degC (3 mV noise) fitted together, each simulated at its own ambient
    temperature: j0 and its activation energy from starts 3x and 2x off come back
    within 3 % (0.8 % and 0.2 % off; their 95 % intervals are about ±0.9 % wide); the
    fitted set run by `cell run` at 10 degC (never in the fit) gives the noise-free
    10 degC curve within 1 mV rms, a third of the noise (0.32 mV)."""
    data = [{"file": str(_noisy(runs[0], 1, tmp_path / "T0" / "timeseries.csv")),
             "temperature": "0 degC"},
            {"file": str(_noisy(runs[45], 2, tmp_path / "T45" / "timeseries.csv")),
             "temperature": "318.15 K"}]
    spec = load_spec(_spec(tmp_path, data))
    assert [d.name for d in spec.data] == ["T0/timeseries", "T45/timeseries"]
    res = fit(spec, profiles=False)
    values = dict(zip([p.name for p in res.problem.params],
                      [float(p.from_x(x)) for p, x in zip(res.problem.params, res.x,
                                                          strict=True)], strict=True))
    assert values[J0] == pytest.approx(J0_TRUE, rel=0.03)
    assert values[EA] == pytest.approx(EA_TRUE, rel=0.03)
    record = write_outputs(res, tmp_path / "fit", plots_on=False)
    assert record["rmse"] == pytest.approx(SIGMA_V, rel=0.1)
    assert [d["temperature_K"] for d in record["data"]] == [273.15, 318.15]
    written = yaml.safe_load((tmp_path / "fit" / "fitted_parameters.yaml").read_text())
    assert "timeseries.csv at 273.15 K, timeseries.csv at 318.15 K" in written["description"]
    predicted = tmp_path / "pred10"
    assert main(["cell", "run", "hem_half_cell_sp", "--params",
                 str(tmp_path / "fit" / "fitted_parameters.yaml"), "--mechanisms",
                 ",".join(MECHANISMS), "--protocol", PROTOCOL, "--set",
                 "ambient_temperature=10degC", "--out", str(predicted), "--no-plots"]) == 0
    t_true, v_true = _voltage(runs[10])
    t_pred, v_pred = _voltage(predicted / "timeseries.csv")
    end = min(t_true[-1], t_pred[-1])
    grid = np.linspace(0.0, end, 400)
    rms = math.sqrt(np.mean((np.interp(grid, t_pred, v_pred)
                             - np.interp(grid, t_true, v_true)) ** 2))
    assert rms < 1e-3, rms
    assert t_pred[-1] == pytest.approx(t_true[-1], rel=0.01)  # the capacity to 0.5 V


def test_each_data_set_runs_at_its_own_temperature(tmp_path, runs):
    """At the truth the fit's model reproduces each run's curve (within 0.1 mV) at the
    temperature its data set names; the same file at the set's 25 degC does not."""
    data = [{"file": str(runs[c]), "temperature": f"{c} degC"} for c in (0, 45)]
    problem = FitProblem(load_spec(_spec(tmp_path, data)))
    x_true = np.array([math.log10(J0_TRUE), math.log10(EA_TRUE)])
    for model, ds in zip(problem.model_signals(x_true), problem.datasets, strict=True):
        assert np.sqrt(np.mean((model - ds.observed) ** 2)) < 1e-4
    plain = FitProblem(load_spec(_spec(tmp_path, [{"file": str(runs[0])}],
                                       parameters={J0: J0_FIT})))
    model = plain.model_signals(np.array([math.log10(J0_TRUE)]))[0]
    assert np.sqrt(np.mean((model - plain.datasets[0].observed) ** 2)) > 0.01


RATE_CURVE = repo_root() / "examples" / "data" / "synthetic_rate_0.1Ag.csv"
RATE = "Discharge at 0.1 A/g until 0.01 V"


@pytest.mark.parametrize(("entry", "field", "says"), [
    ({"temperature": 25}, "data[0].temperature", "degC or K"),     # no unit
    ({"temperature": "298.15"}, "data[0].temperature", "degC or K"),
    ({"temperature": ["0 degC", "25 degC"]}, "data[0].temperature", "one temperature"),
    ({"temperature": None}, "data[0].temperature", "with its unit"),
    ({"temperature": "room"}, "data[0].temperature", "25 degC or 298.15 K"),
    ({"temperature": "-300 degC"}, "data[0].temperature", "above 0 K"),
    ({"temprature": "0 degC"}, "data[0].temprature", "did you mean temperature"),
])
def test_bad_temperature_entries_name_the_key(tmp_path, entry, field, says):
    spec = _spec(tmp_path, [{"file": str(RATE_CURVE), "protocol": RATE, **entry}])
    with pytest.raises(InputError) as exc:
        load_spec(spec)
    assert exc.value.field == field
    assert says in f"{exc.value.allowed} {exc.value.hint}", exc.value


def test_temperature_outside_the_electrolytes_range_names_range_and_source(tmp_path):
    """70 degC: outside -10..60 degC, the range assumed for the Valoen & Reimers fits
    (`cell run` runs there with a warning; a fit would put the extrapolation into j0)."""
    spec = _spec(tmp_path, [{"file": str(RATE_CURVE), "protocol": RATE,
                             "temperature": "70 degC"}], parameters={J0: J0_FIT})
    with pytest.raises(InputError) as exc:
        FitProblem(load_spec(spec))
    assert exc.value.field == "data[0].temperature"
    assert "-10 to 60 degC" in exc.value.allowed and "Valoen" in exc.value.allowed
    assert "assumed" in exc.value.allowed


@pytest.mark.parametrize("temperatures", [(None, None), ("45 degC", "45 degC"),
                                          ("25 degC", None)])
def test_activation_energy_needs_two_temperatures(tmp_path, temperatures):
    """Two data sets at one temperature (also the set's 25 degC, given or not) are fine
    for j0, not for its activation energy (exit 2 naming it)."""
    data = [{"file": str(RATE_CURVE), "protocol": RATE, "name": f"d{k}",
             **({"temperature": t} if t else {})} for k, t in enumerate(temperatures)]
    FitProblem(load_spec(_spec(tmp_path, data, parameters={J0: J0_FIT})))
    with pytest.raises(InputError) as exc:
        FitProblem(load_spec(_spec(tmp_path, data)))
    assert exc.value.field == f"fit.parameters.{EA}"
    assert "two or more temperatures" in exc.value.allowed


def test_temperature_refused_where_it_cannot_be_honoured(tmp_path):
    """A command that runs every data set at one temperature; ambient_temperature held
    in model.set besides a data set's own; a Na half cell away from its electrolyte
    table's 298.15 K."""
    spec = _spec(tmp_path, [{"file": str(RATE_CURVE), "temperature": "0 degC"}],
                 model={"command": "limetal rate", "anode": "coated"})
    with pytest.raises(InputError) as exc:
        load_spec(spec)
    assert exc.value.field == "data[0].temperature" and "cell run" in exc.value.allowed
    spec = _spec(tmp_path, [{"file": str(RATE_CURVE), "protocol": RATE,
                             "temperature": "0 degC"}], parameters={J0: J0_FIT},
                 model={**MODEL, "set": ["ambient_temperature=10 degC"]})
    with pytest.raises(InputError) as exc:
        load_spec(spec)
    assert exc.value.field == "model.set"
    spec = _spec(tmp_path, [{"file": str(RATE_CURVE), "protocol": RATE,
                             "temperature": "45 degC"}], parameters={f"{J0}_na": J0_FIT},
                 model={**MODEL, "ion": "Na"})
    with pytest.raises(InputError) as exc:
        FitProblem(load_spec(spec))
    assert exc.value.field == "data[0].temperature" and "298.15 K" in exc.value.allowed


def test_fit_at_a_set_temperature_of_0_degC_solves(tmp_path, runs):
    """`model.set: [ambient_temperature=0 degC]` on the 0 degC run: the compiled
    single-particle model failed at t = 0 ("the model cannot be solved at the initial
    parameter values", exit 1) where the interpreted one solves; the data set now runs
    interpreted (said in the notes) and j0 comes back (noise-free: 0.1 %)."""
    spec = load_spec(_spec(tmp_path, [{"file": str(runs[0])}], parameters={J0: J0_FIT},
                           model={**MODEL, "set": ["ambient_temperature=0 degC"]},
                           noise="1 mV"))
    res = fit(spec, profiles=False)
    assert float(res.problem.params[0].from_x(res.x[0])) == pytest.approx(J0_TRUE, rel=1e-3)


def test_a_failing_compiled_model_falls_back_to_the_interpreted_one(tmp_path, runs,
                                                                     monkeypatch):
    """A compiled solve that fails is retried interpreted: the same voltages, a note, and
    the data set stays interpreted; where the interpreted model fails too, the solve
    fails as before and the compiled model is kept."""
    import pybamm

    problem = FitProblem(load_spec(_spec(tmp_path, [{"file": str(runs[45]),
                                                     "temperature": "45 degC"}],
                                         parameters={J0: J0_FIT})))
    expected = problem.solve(problem.x0, 0)[0]
    compiled = problem._simulation(0, False)
    assert compiled.hemcell_compiled  # its failure is retried, so SUNDIALS says nothing
    assert compiled.solver.options["silence_sundials_errors"]
    problem._sims.clear()
    real_solve = pybamm.Simulation.solve

    def solve(sim, *args, **kwargs):
        if getattr(sim, "hemcell_compiled", False):
            raise pybamm.SolverError("compiled failure (test)")
        return real_solve(sim, *args, **kwargs)

    monkeypatch.setattr(pybamm.Simulation, "solve", solve)
    voltage = problem.solve(problem.x0, 0)[0]
    assert np.max(np.abs(voltage - expected)) < 1e-5  # compiled vs interpreted: µV
    assert any("runs interpreted" in n for n in problem.notes)
    interpreted = problem._simulation(0, False)
    assert not interpreted.hemcell_compiled
    assert not interpreted.solver.options["silence_sundials_errors"]  # the recipe's

    other = FitProblem(load_spec(_spec(tmp_path, [{"file": str(runs[45]),
                                                   "temperature": "45 degC"}],
                                       parameters={J0: J0_FIT})))
    monkeypatch.setattr(pybamm.Simulation, "solve", lambda *a, **k: (_ for _ in ()).throw(
        pybamm.SolverError("fails everywhere (test)")))
    with pytest.raises(pybamm.SolverError):
        other.solve(other.x0, 0)
    assert other._simulation(0, False).hemcell_compiled and not other.notes
    retry = other._retry_sims[(-1, other.spec.data[0].temperature_K), False]
    with pytest.raises(pybamm.SolverError):  # the next failure retries the same model
        other.solve(other.x0, 0)
    assert other._retry_sims[(-1, other.spec.data[0].temperature_K), False] is retry


def test_cycle_life_runs_once_per_temperature(tmp_path, monkeypatch):
    """`cell cycle-life`: one cycle-life run per temperature of the data sets, each with
    that ambient_temperature, each data set compared with its own temperature's run."""
    from types import SimpleNamespace

    import hemcell.workflows.anode_cycle_life as cycle_life
    from hemcell.workflows.fit import make_problem

    data = tmp_path / "cap.csv"
    data.write_text("cycle [1],capacity [mAh/g]\n1,800\n3,780\n")
    calls = []

    def fake_run(recipe, params, protocol, n_cycles, overrides=(), ion=None, tol=0.02,
                 models=None, probe_sets=None):
        ambient = [o for o in overrides if o.startswith("ambient_temperature=")]
        calls.append(ambient)
        capacity = 700.0 if ambient else 800.0
        return SimpleNamespace(error=None, cycles=[1, n_cycles],
                               charge_capacity_mAh_per_g=[capacity, capacity - 10],
                               coulombic_efficiency=[0.99, 0.99])

    monkeypatch.setattr(cycle_life, "run_cycle_life", fake_run)
    spec = {"model": {"command": "cell cycle-life", "recipe": "hem_half_cell_sp",
                      "params": BASE, "protocol": "Discharge at 0.1 A/g until 0.01 V; "
                      "Charge at 0.1 A/g until 3.0 V"},
            "data": [{"file": str(data), "name": "a"},
                     {"file": str(data), "name": "b", "temperature": "0 degC"},
                     {"file": str(data), "name": "c", "temperature": "0 degC"}],
            "fit": {"parameters": {"fatigue_paris_coefficient": {
                "initial": "1e-11 m", "bounds": ["1e-14 m", "1e-8 m"]}}},
            "objective": {"signal": "capacity_per_cycle", "noise": {"sigma": "1 mAh/g"}}}
    path = tmp_path / "cl.yaml"
    path.write_text(yaml.safe_dump(spec))
    problem = make_problem(load_spec(path))
    values = problem.model_signals(problem.x0)
    assert calls == [[], ["ambient_temperature=273.15 K"]]
    assert values[0][0] == pytest.approx(800 * 3.6e3)  # C/kg
    assert values[1][0] == values[2][0] == pytest.approx(700 * 3.6e3)
    spec["data"] = spec["data"][1:]
    spec["fit"]["parameters"]["conversion_exchange_current_activation_energy"] = EA_FIT
    path.write_text(yaml.safe_dump(spec))
    with pytest.raises(InputError) as exc:  # both at 0 degC
        make_problem(load_spec(path))
    assert exc.value.field == f"fit.parameters.{EA}"


def test_capacity_axis_is_in_mAh_per_g(tmp_path, runs):
    """`voltage_vs_capacity`: fit.png's capacity axis, labelled mAh/g, was the capacity
    in mAh/kg (A s/kg divided by 3.6: the 45 degC run's 132 mAh/g drawn at 132000)."""
    spec = _spec(tmp_path, [{"file": str(runs[45]), "temperature": "45 degC"}],
                 parameters={J0: J0_FIT})
    raw = yaml.safe_load(spec.read_text())
    raw["objective"]["signal"] = "voltage_vs_capacity"
    spec.write_text(yaml.safe_dump(raw))
    ds = FitProblem(load_spec(spec)).datasets[0]
    written = np.loadtxt(runs[45], delimiter=",", skiprows=1, usecols=6)  # capacity_mAh_per_g
    assert ds.x_label == "capacity (mAh/g)"
    assert np.allclose(ds.x_axis, written, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize(("model", "data", "field"), [
    ({"recipe": "hem_full_cell_sp"}, {}, "model.recipe"),  # named RECIPE before
    ({"params": "heo_rocksalt_mgconicuz"}, {}, "model.params"),  # 'parameter set'
    ({"mechanisms": ["conversionn"]}, {}, "model.mechanisms"),  # --mechanisms
    ({"ion": "Xx"}, {}, "model.ion"),  # --ion
    ({}, {"protocol": "Dischrge at 0.1 A/g until 0.01 V"}, "data[0].protocol step"),
])
def test_model_refusals_name_the_spec_key_not_the_commands_argument(tmp_path, model, data,
                                                                     field):
    spec = _spec(tmp_path, [{"file": str(RATE_CURVE), "protocol": RATE, **data}],
                 parameters={J0: J0_FIT}, model={**MODEL, **model})
    with pytest.raises(InputError) as exc:
        FitProblem(load_spec(spec))
    assert exc.value.field == field


def test_a_protocol_step_temperature_points_to_the_data_sets_key(tmp_path):
    """`... until 0.01 V at 45oC` in a data set's protocol: the hint named `--set
    ambient_temperature=0degC`, an option a spec does not have."""
    spec = _spec(tmp_path, [{"file": str(RATE_CURVE),
                             "protocol": "Discharge at 0.1 A/g until 0.01 V at 45oC"}],
                 parameters={J0: J0_FIT})
    with pytest.raises(InputError) as exc:
        FitProblem(load_spec(spec))
    assert exc.value.field == "data[0].protocol step"
    assert "data[0].temperature: 0 degC" in exc.value.hint and "--set" not in exc.value.hint


def test_full_cell_temperature_refused_away_from_its_tables(tmp_path):
    """The NMC811 full cell's Nyman2008 electrolyte has no temperature dependence: a
    data set at 45 degC is refused naming the 298.15 K it was tabulated at."""
    spec = _spec(tmp_path, [{"file": str(RATE_CURVE), "protocol": RATE,
                             "temperature": "45 degC"}], parameters={J0: J0_FIT},
                 model={"command": "cell run", "recipe": "hem_full_cell_nmc811",
                        "params": BASE})
    with pytest.raises(InputError) as exc:
        FitProblem(load_spec(spec))
    assert exc.value.field == "data[0].temperature"
    assert "within 1 K of 298.15 K" in exc.value.allowed and "Nyman2008" in exc.value.allowed
