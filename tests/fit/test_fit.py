"""``hemcell fit``: synthetic recovery and coverage, identifiability, bad data, outputs.

The data are synthetic (examples/data/README.md): the HEM anode's single-particle model
with the shipped ``heo_rocksalt_mgconicuzn`` values (the truth) plus Gaussian noise.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
import yaml

from hemcell.errors import InputError
from hemcell.params import load_parameter_set
from hemcell.resources import repo_root
from hemcell.workflows.fit import (
    FitProblem,
    least_squares_from,
    load_spec,
    statistics,
)

EXAMPLES = repo_root() / "examples"
DATA = EXAMPLES / "data" / "synthetic_rate_0.1Ag.csv"
BASE = "heo_rocksalt_mgconicuzn"
MODEL = {"command": "cell run", "recipe": "hem_half_cell_sp", "params": BASE,
         "mechanisms": ["intercalation", "conversion", "alloying", "space_charge"]}
J0 = {"initial": "3e-3 A/m**2", "bounds": ["1e-5 A/m**2", "1e-1 A/m**2"], "scale": "log"}
D_CONV = {"initial": "3e-17 m**2/s", "bounds": ["1e-20 m**2/s", "1e-14 m**2/s"],
          "scale": "log"}


def write_spec(tmp_path, parameters, data=None, objective=None, fit=None, name="spec.yaml"):
    """A fit spec in tmp_path (data default: the 0.1 A/g synthetic curve)."""
    spec = {"model": MODEL,
            "data": data or [{"file": str(DATA), "protocol": "Discharge at 0.1 A/g until 0.01 V"}],
            "fit": {"parameters": parameters, "multistart": 1, "profile": False, **(fit or {})},
            "objective": objective or {"noise": {"sigma": "5 mV"}}}
    path = tmp_path / name
    path.write_text(yaml.safe_dump(spec, sort_keys=False))
    return path


def truth_x(problem):
    si = load_parameter_set(BASE).si
    return np.array([p.to_x(si[p.name]) for p in problem.params])


def coverage(problem, seeds, sigma_V=0.005):
    """Re-fit noise draws around the model at the truth: (covered [seed, param], x̂)."""
    x_true = truth_x(problem)
    clean = problem.model_signals(x_true)
    covered, estimates = [], []
    for seed in seeds:
        rng = np.random.default_rng(seed)
        for k, v in enumerate(clean):
            problem.replace_observed(k, v + rng.normal(0.0, sigma_V, v.size))
        res = least_squares_from(problem, problem.x0)
        ci = statistics(problem, res.x)["ci"]
        covered.append((ci[:, 0] <= x_true) & (x_true <= ci[:, 1]))
        estimates.append(res.x)
    return np.array(covered), np.array(estimates)


def test_synthetic_recovery_small(tmp_path):
    """One parameter, four noise draws: estimates within a few standard errors of the
    truth, and the 95 % interval covers it in at least 3 of 4 (P = 0.986 if the
    intervals are right)."""
    spec = write_spec(tmp_path, {"conversion_exchange_current_density": J0})
    problem = FitProblem(load_spec(spec))
    covered, est = coverage(problem, seeds=[1, 2, 3, 4])
    assert covered.sum() >= 3
    assert np.all(np.abs(est[:, 0] - math.log10(1e-3)) < 0.05)


@pytest.mark.slow
def test_synthetic_coverage_study(tmp_path):
    """Two parameters, 40 noise draws: each interval covers the truth in 34-40 of 40
    (the central 98 % of Binomial(40, 0.95))."""
    problem = FitProblem(load_spec(write_spec(
        tmp_path, {"conversion_exchange_current_density": J0,
                   "conversion_product_diffusivity": D_CONV})))
    covered, _ = coverage(problem, seeds=range(100, 140))
    assert np.all(covered.sum(axis=0) >= 34), covered.sum(axis=0)


def test_sensitivities_match_central_differences(tmp_path):
    """The solver's forward sensitivities (chain rule through the parameter mapping)
    against central differences of the residuals at 0.003 decade: within 2 % (the
    differences' own truncation error is ~1 % there: 4.8 %, 2.1 %, 1.3 % at 0.03, 0.01,
    0.003 decade for the exchange current, shrinking toward the sensitivities)."""
    problem = FitProblem(load_spec(write_spec(
        tmp_path, {"conversion_exchange_current_density": J0,
                   "conversion_product_diffusivity": D_CONV})))
    x = np.array([-3.0, -17.0])
    j_sens = problem.jacobian_sens(x)
    for j in range(2):
        h = np.zeros(2)
        h[j] = 3e-3
        central = (problem.residuals(x + h) - problem.residuals(x - h)) / 6e-3
        assert np.linalg.norm(central - j_sens[:, j]) < 0.02 * np.linalg.norm(central)


def test_product_pair_is_flagged(tmp_path):
    """The space-charge charge of Co depends on C_Co × V_m,Co only (area ∝ molar volume):
    the two cannot be told apart, |ρ| → 1, and fit.json says so."""
    from hemcell.workflows.fit import fit, result_record

    spec = load_spec(write_spec(tmp_path, {
        "space_charge_areal_capacitance_co": {"initial": "0.5 F/m**2",
                                              "bounds": ["0.01 F/m**2", "2.52 F/m**2"]},
        "metal_molar_volume_co": {"initial": "1e-5 m**3/mol",
                                  "bounds": ["1e-6 m**3/mol", "1e-4 m**3/mol"]}}))
    res = fit(spec, profiles=False)
    record = result_record(res)
    assert abs(record["correlation"]["matrix"][0][1]) > 0.95
    assert record["identifiable"] is False
    assert any("space_charge_areal_capacitance_co and metal_molar_volume_co" in w
               for w in record["warnings"])
    # the product is what the data fix: C V_m at the truth 2.523 F/m² × 6.62e-6 m³/mol
    product = (record["parameters"]["space_charge_areal_capacitance_co"]["value"]
               * record["parameters"]["metal_molar_volume_co"]["value"])
    assert product == pytest.approx(2.523 * 6.62e-6, rel=0.1)


def test_cli_fit_writes_outputs_and_a_loadable_set(tmp_path):
    """The example spec end to end: truth inside the intervals, a new set extending the
    base set with the data file's hash as source, profiles, run.json."""
    from hemcell.cli.main import main
    from hemcell.measurements import file_sha256

    out = tmp_path / "fit"
    assert main(["fit", str(EXAMPLES / "fits" / "rate_curve_2param.yaml"), "--out", str(out)]) == 0
    for f in ("fit.json", "fitted_parameters.yaml", "fit.png", "profiles.png", "run.json"):
        assert (out / f).is_file(), f
    record = json.loads((out / "fit.json").read_text())
    assert {"parameters", "rmse", "correlation", "converged", "evaluations"} <= set(record)
    assert record["converged"] and record["evaluations"] > 0
    assert 0.004 < record["rmse"] < 0.006  # noise of the synthetic data: 5 mV
    truth = {"conversion_exchange_current_density": 1e-3, "conversion_product_diffusivity": 1e-17}
    for name, value in truth.items():
        entry = record["parameters"][name]
        lo, hi = entry["ci95"]
        assert lo <= value <= hi, (name, entry)
        plo, phi = entry["ci95_profile"]
        assert plo is not None and phi is not None and plo < entry["value"] < phi
    assert record["parameters"]["conversion_exchange_current_density"]["profile_agrees"]
    pset = load_parameter_set(out / "fitted_parameters.yaml")
    raw = yaml.safe_load((out / "fitted_parameters.yaml").read_text())
    assert raw["extends"] == BASE
    for name in truth:
        p = pset[name]
        assert p.value == pytest.approx(record["parameters"][name]["value"], rel=1e-5)
        data = EXAMPLES / "data" / "synthetic_rate_0.2Ag.csv"  # the example's curve
        assert p.source["calibrated"] == (f"fitted: {data.name} sha256 {file_sha256(data)}")
        assert list(p.range) == pytest.approx(record["parameters"][name]["ci95"], rel=1e-5)
    # values it did not fit come from the base set
    assert pset.si["intercalation_diffusivity"] == load_parameter_set(BASE).si[
        "intercalation_diffusivity"]


def _bad(tmp_path, csv_text, protocol="Discharge at 0.1 A/g until 0.01 V"):
    data = tmp_path / "bad.csv"
    data.write_text(csv_text)
    return write_spec(tmp_path, {"conversion_exchange_current_density": J0},
                      data=[{"file": str(data), "protocol": protocol}])


@pytest.mark.parametrize(("text", "expected"), [
    ("time [s],current [mA/g],voltage [V]\n0,100,2.0\n10,100,1.9\n5,100,1.8\n",
     ["bad.csv", "time [s]", "row 3"]),
    ("time [s],current [mA/g],voltage [V]\n0,100,2.0\n10,100,nan\n20,100,1.8\n",
     ["bad.csv", "voltage [V]", "row 2"]),
    ("time [s],current [mA/g],voltage [volts-ish]\n0,100,2.0\n10,100,1.9\n",
     ["bad.csv", "voltage [volts-ish]"]),
    ("time [s],current,voltage [V]\n0,100,2.0\n10,100,1.9\n", ["bad.csv", "current"]),
    ("", ["bad.csv", "empty"]),
    ("time [s],current [mA/g],voltage [V]\n0,-100,2.0\n10,-100,1.9\n",
     ["bad.csv", "current [mA/g]", "row 1", "protocol"]),
    ("time [s],current [mA/g],voltage [V]\n0,100,2.0\n10,100,1.9\n20,100,-0.2\n",
     ["bad.csv", "voltage [V]", "row 3", "window"]),
])
def test_bad_data_exit_2_naming_file_column_row(tmp_path, capsys, text, expected):
    from hemcell.cli.main import main

    spec = _bad(tmp_path, text)
    assert main(["fit", str(spec), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    for part in expected:
        assert part in err, (part, err)


@pytest.mark.parametrize(("change", "field"), [
    ({"model": {**MODEL, "command": "limetal demo"}}, "model.command"),
    ({"fit": {"parameters": {"no_such_parameter": J0}}}, "fit.parameters"),
    ({"fit": {"parameters": {"conversion_exchange_current_density": {
        **J0, "bounds": ["1e-5", "1e-1"]}}}}, "bounds[0]"),
    ({"fit": {"parameters": {"conversion_charge_transfer_coefficient": {
        "initial": 0.5, "bounds": [0.1, 1.5], "scale": "linear"}}}}, "bounds[1]"),
    ({"objective": {"signal": "capacity_per_cycle"}}, "objective.signal"),
    ({"surprise": 1}, "spec.yaml.surprise"),
])
def test_spec_errors_name_the_key(tmp_path, change, field):
    path = write_spec(tmp_path, {"conversion_exchange_current_density": J0})
    spec = {**yaml.safe_load(path.read_text()), **change}
    path.write_text(yaml.safe_dump(spec))
    with pytest.raises(InputError) as exc:
        load_spec(path)
    assert field in exc.value.field


def test_capacity_signal_maps_charge_to_model_time(tmp_path):
    """voltage_vs_capacity: each point's capacity (mAh/g) becomes the model time at which
    the applied current (per gram × the set's active mass) has passed it; for the
    constant-current synthetic curve that is the measured time again."""
    spec = write_spec(tmp_path, {"conversion_exchange_current_density": J0},
                      objective={"signal": "voltage_vs_capacity", "noise": {"sigma": "5 mV"}})
    problem = FitProblem(load_spec(spec))
    ds = problem.datasets[0]
    assert np.allclose(ds.model_times_s, ds.data_times_s, rtol=1e-5, atol=1e-2)
    r = problem.residuals(truth_x(problem))
    assert 0.8 < np.sqrt(np.mean(r ** 2)) < 1.2  # residuals at the truth: the 5 mV noise


def test_current_trace_drives_the_model_like_cell_run(tmp_path):
    """A data set without a protocol: the model follows the measured current (a step
    from 0.05 to 0.2 A/g) and reproduces `cell run` of that two-step protocol at the
    truth within 2 mV rms. Rows as a cycler writes them: the first step's last row, and
    the second step's first row at its start (7200 s, sampled 1 ms after the switch)."""
    from hemcell.workflows.anode import run_cell

    run = run_cell(MODEL["recipe"], BASE, "Discharge at 0.05 A/g for 2 hours; "
                   "Discharge at 0.2 A/g until 0.01 V", mechanisms=MODEL["mechanisms"])
    t, v = run.solution.t, run.solution["Voltage [V]"].entries
    current = run.solution["Current [A]"].entries
    keep = v >= 0.05
    times = np.unique(np.concatenate([np.linspace(0, t[keep][-1], 150), [7199.5, 7200.0]]))
    at = times + np.where(times == 7200.0, 1e-3, 0.0)
    rows = "".join(f"{a:.3f},{np.interp(b, t, current) * 1e3:.9g},{np.interp(b, t, v):.6f}\n"
                   for a, b in zip(times, at, strict=True))
    data = tmp_path / "two_rates.csv"
    data.write_text("# synthetic: cell run, two constant-current steps\n"
                    "time [s],current [mA],voltage [V]\n" + rows)
    spec = write_spec(tmp_path, {"conversion_exchange_current_density": J0},
                      data=[{"file": str(data), "active_mass": "recipe"}],
                      objective={"noise": {"sigma": "1 mV"}})
    problem = FitProblem(load_spec(spec))
    assert not problem.datasets[0].constant
    r = problem.residuals(truth_x(problem))  # in units of 1 mV
    assert np.sqrt(np.mean(r ** 2)) < 2.0


@pytest.mark.slow
def test_multistart_in_worker_processes(tmp_path):
    """--workers 2: the starts run in two processes and give the same optimum as here."""
    from hemcell.workflows.fit import run_starts, start_points

    spec = write_spec(tmp_path, {"conversion_exchange_current_density": J0},
                      fit={"multistart": 2})
    problem = FitProblem(load_spec(spec))
    starts = start_points(problem, 2, 0)
    here = run_starts(problem, starts)
    there = run_starts(problem, starts, workers=2, executor="local")
    for a, b in zip(here, there, strict=True):
        assert b.x == pytest.approx(a.x, abs=1e-6)


@pytest.mark.slow
def test_limetal_fit_rate_spec_reproduces_the_calibrated_values(tmp_path):
    """`hemcell limetal fit-rate` as a fit spec (examples/fits/limetal_fit_rate.yaml):
    the same optimum as the shipped calibrated values, within the tolerances of the
    fit-rate test (tests/limetal/test_slow.py: 1e-3 and 1e-2 relative), rms 0.22 mAh/g."""
    from hemcell.workflows.fit import fit, result_record

    spec = load_spec(EXAMPLES / "fits" / "limetal_fit_rate.yaml")
    record = result_record(fit(spec, profiles=False))
    stored = load_parameter_set("azcnf_coated_li").si
    fitted = record["parameters"]
    assert fitted["lfp_charged_stoichiometry"]["value"] == pytest.approx(
        stored["lfp_charged_stoichiometry"], rel=1e-3)
    assert fitted["lfp_particle_diffusivity"]["value"] == pytest.approx(
        stored["lfp_particle_diffusivity"], rel=1e-2)
    assert record["rmse_unit"] == "mAh/g" and record["rmse"] < 1.0


def test_limetal_rate_spec_is_checked(tmp_path):
    """A limetal rate spec needs its anode and a rate table; a voltage signal is refused."""
    spec = {"model": {"command": "limetal rate"}, "data": [{"file": "x.csv"}],
            "fit": {"parameters": {"lfp_charged_stoichiometry": {
                "initial": 0.08, "bounds": [0.001, 0.4], "scale": "linear"}}}}
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(spec))
    with pytest.raises(InputError) as exc:
        load_spec(path)
    assert exc.value.field == "model" and "anode" in str(exc.value.value)
    spec["model"]["anode"] = "coated"
    spec["objective"] = {"signal": "voltage_vs_time"}
    path.write_text(yaml.safe_dump(spec))
    with pytest.raises(InputError) as exc:
        load_spec(path)
    assert exc.value.field == "objective.signal" and "capacity_vs_rate" in exc.value.allowed


def test_rate_table_is_read_in_c_rate_per_hour(tmp_path):
    from hemcell.measurements import read_measurement

    m = read_measurement(EXAMPLES / "data" / "azcnf_li_lfp_rate_capability.csv",
                         required=("c_rate", "capacity"))
    assert np.allclose(m["c_rate"] * 3600, [0.1, 1, 4])
    assert np.allclose(m["capacity"] / 3600, [152.8, 143.6, 115.5])  # C/kg -> mAh/g
    with pytest.raises(InputError) as exc:
        read_measurement(EXAMPLES / "data" / "azcnf_li_lfp_rate_capability.csv")
    assert "missing: time, voltage" in exc.value.allowed


def test_sensitivity_and_difference_jacobians_reach_the_same_optimum(tmp_path):
    """`jacobian: sensitivities` (IDAKLU forward sensitivities) and
    `jacobian: finite_differences` find the same optimum (within 1e-3 decade) and
    report which they used."""
    from hemcell.workflows.fit import fit, result_record

    values = {}
    for method in ("sensitivities", "finite_differences"):
        spec = load_spec(write_spec(
            tmp_path, {"conversion_exchange_current_density": J0},
            objective={"noise": {"sigma": "5 mV"}, "jacobian": method}, name=f"{method}.yaml"))
        record = result_record(fit(spec, profiles=False))
        assert record["jacobian"]["method"] == method
        values[method] = record["parameters"]["conversion_exchange_current_density"]["value"]
    assert math.log10(values["sensitivities"]) == pytest.approx(
        math.log10(values["finite_differences"]), abs=1e-3)


@pytest.mark.parametrize(("anode", "set_name"), [("coated", "azcnf_coated_li"),
                                                 ("bare", "bare_li")])
def test_limetal_fit_nucleation_specs_reproduce_the_calibrated_values(anode, set_name):
    """`hemcell limetal fit-nucleation` as fit specs: one published overpotential (seed
    004 L76), one shape factor; the fit lands on the shipped value within the
    fit-nucleation test's tolerance (1e-4 relative) and matches the target exactly."""
    from hemcell.workflows.fit import fit, result_record

    spec = load_spec(EXAMPLES / "fits" / f"limetal_fit_nucleation_{anode}.yaml")
    record = result_record(fit(spec, profiles=False))
    value = record["parameters"]["nucleation_shape_factor"]["value"]
    assert value == pytest.approx(load_parameter_set(set_name).si["nucleation_shape_factor"],
                                  rel=1e-4)
    assert record["rmse"] < 1e-6  # V: the target is met
    lo, hi = record["parameters"]["nucleation_shape_factor"]["ci95"]
    assert lo < value < hi


def test_noise_cannot_be_estimated_without_spare_points(tmp_path):
    """One target, one parameter and `noise: estimate` leave no degree of freedom."""
    from hemcell.workflows.fit import fit

    path = tmp_path / "nuc.yaml"
    spec = yaml.safe_load((EXAMPLES / "fits" / "limetal_fit_nucleation_bare.yaml").read_text())
    spec["data"][0]["file"] = str(EXAMPLES / "data" / "li_cu_nucleation_bare.csv")
    spec["objective"]["noise"] = "estimate"
    path.write_text(yaml.safe_dump(spec))
    with pytest.raises(InputError) as exc:
        fit(load_spec(path))
    assert exc.value.field == "objective.noise"


def test_compiled_single_particle_model_solves_like_the_interpreted_one(tmp_path, monkeypatch):
    """The single-particle model a fit builds once runs compiled (IDAKLU ``compile``):
    the same voltages as the interpreted functions to within 10 µV (the two differ by
    floating-point rounding carried through the solver's rtol 1e-6; measured ≤ 2.5 µV at
    13 points across the 3-parameter example's bounds), 500x below the 5 mV noise."""
    import shutil

    from hemcell.workflows import fit as fit_module

    if shutil.which("gcc") is None:
        pytest.skip("no C compiler: PyBaMM runs the functions uncompiled")
    path = write_spec(tmp_path, {"conversion_exchange_current_density": J0})
    compiled = FitProblem(load_spec(path))
    v_compiled = compiled.model_signals(compiled.x0)[0]
    sim = compiled._simulation(0, False)
    assert sim.solver._setup["rootfn_casadi"].class_name() == "External"
    monkeypatch.setattr(fit_module, "COMPILED_GEOMETRIES", ())
    interpreted = FitProblem(load_spec(path))
    v_interpreted = interpreted.model_signals(interpreted.x0)[0]
    assert interpreted._simulation(0, False).solver._setup["rootfn_casadi"].class_name() \
        != "External"
    assert np.max(np.abs(v_compiled - v_interpreted)) < 1e-5


def test_the_fits_solver_takes_the_recipes_settings(tmp_path):
    """One owner of the solver settings: the fit's model is solved with the recipe's
    tolerances and IDAKLU options (the Newton convergence coefficient of `cell run`), not
    PyBaMM's defaults, compiled or not, with or without sensitivities."""
    from hemcell.cell.recipes import load_recipe

    recipe = load_recipe(MODEL["recipe"])
    problem = FitProblem(load_spec(write_spec(
        tmp_path, {"conversion_exchange_current_density": J0})))
    for sensitivities in (False, True):
        solver = problem._simulation(0, sensitivities).solver
        assert solver.rtol == recipe.solver["rtol"] and solver.atol == recipe.solver["atol"]
        assert (solver.options["nonlinear_convergence_coefficient"]
                == recipe.solver["nonlinear_convergence_coefficient"])


def test_auto_jacobian_tries_sensitivities_once_differences_cost_the_setup(tmp_path):
    """``jacobian: auto`` uses forward differences until they have cost as much as the
    model's set-up, then times one sensitivity solve against a plain one, keeps the
    cheaper, and never tries again; the statistics at the optimum re-solve nothing
    (residuals and Jacobian remembered from least squares)."""
    problem = FitProblem(load_spec(write_spec(
        tmp_path, {"conversion_exchange_current_density": J0})))
    assert problem.try_sensitivities and problem.jacobian_method == "finite_differences"
    res = least_squares_from(problem, problem.x0)
    before = problem.evaluations
    statistics(problem, res.x)
    assert problem.evaluations == before
    if problem.try_sensitivities:  # not tried yet (the differences cost less than the set-up)
        assert not problem.jacobian_timing_s
        problem.setup_s = 0.0
        problem.jacobian(res.x + 0.01)
    timing = problem.jacobian_timing_s
    assert not problem.try_sensitivities
    assert set(timing) == {"finite_differences", "sensitivities"}
    assert problem.jacobian_method == min(timing, key=timing.__getitem__)


def test_compile_cache_key_changes_with_what_the_library_depends_on():
    """The compiled-library directory is keyed by the -march=native target, compiler,
    PyBaMM and CasADi versions and machine: two CPUs sharing a home directory never load
    each other's libraries (no compilation here)."""
    from hemcell.cell.compiled import compile_cache_key

    args = dict(native_target="-march= cooperlake\n-mavx512f [enabled]",
                compiler_version="gcc (Debian 12.2.0-14) 12.2.0", pybamm_version="26.10.1",
                casadi_version="3.7.2", machine="x86_64")
    key = compile_cache_key(**args)
    assert key == compile_cache_key(**args) and len(key) == 16
    for field, other in (("native_target", "-march= znver3\n-mavx512f [disabled]"),
                         ("native_target", "-march= cooperlake\n-mavx512f [disabled]"),
                         ("compiler_version", "gcc (Debian 13.1.0) 13.1.0"),
                         ("pybamm_version", "26.11.0"), ("casadi_version", "3.7.3"),
                         ("machine", "aarch64")):
        assert compile_cache_key(**{**args, field: other}) != key, field


def test_fit_compiles_into_a_directory_of_its_own_build_target(tmp_path, monkeypatch):
    """use_keyed_compile_cache: <user's base>/hemcell-<key>; a worker that inherits a
    hemcell-<other key> value (another CPU) moves to its own key under the same base."""
    import os

    from hemcell.workflows import fit as fit_module

    monkeypatch.setattr(fit_module, "native_compile_cache_key", lambda: "0123456789abcdef")
    monkeypatch.setenv(fit_module.AOT_CACHE_ENV, str(tmp_path))
    keyed = fit_module.use_keyed_compile_cache()
    assert keyed == tmp_path / "hemcell-0123456789abcdef"
    assert fit_module.use_keyed_compile_cache() == keyed  # idempotent
    monkeypatch.setenv(fit_module.AOT_CACHE_ENV, str(tmp_path / "hemcell-fedcba9876543210"))
    assert fit_module.use_keyed_compile_cache() == keyed
    assert os.environ[fit_module.AOT_CACHE_ENV] == str(keyed)
