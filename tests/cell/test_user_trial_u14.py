"""User trial U14 of `hemcell cell`: odd inputs, long runs, outputs and the PyBaMM models."""

from __future__ import annotations

import numpy as np
import pytest

from hemcell.errors import InputError

#: A fatigue law with the HEO set's constants (tests/cell/test_cycle_life.py) whose
#: crack runs through the particle within ~2e5 cycles at a 4.6 % strain amplitude.
_STRAIN = 0.0463


def _used_up_run(n_cycles: int):
    """A cycle-life result whose particles are cut through (φ = 0) before ``n_cycles``:
    constant strain, capacity ∝ φ (no PyBaMM), numbered as `cell cycle-life` numbers
    its cycles (the formation cycle 1 as the cycling state here)."""
    from hemcell.cell import fatigue
    from hemcell.workflows.anode_cycle_life import CycleLife, integrate_cell_cycles

    law = fatigue.FatigueCrackLaw(coefficient_m=2e-11, exponent=2.2, geometry_factor=1.12,
                                  initial_crack_length_m=20e-9, youngs_modulus_Pa=137.9e9,
                                  poisson_ratio=0.347, particle_radius_m=250e-9)
    res = CycleLife(recipe="hem_half_cell_sp", params="heo_rocksalt_mgconicuzn",
                    protocol="Discharge at 1 A/g until 0.01 V; Charge at 1 A/g until 3 V",
                    n_cycles=n_cycles, lam_law="fatigue", lam_parameters={},
                    lam_state_name="crack_depth_m", initial_active_fraction=0.6)

    def evaluate(phi: float) -> tuple[dict[str, float], dict[str, float]]:
        cycle = {"strain_amplitude": _STRAIN, "charge_capacity": 420.0 * phi,
                 "discharge_capacity": 425.0 * phi, "coulombic_efficiency": 0.988}
        return cycle, cycle

    integrate_cell_cycles(evaluate, law, 0.05, res)
    return res


def test_cycles_after_the_active_material_is_used_up_hold_no_capacity():
    """`cell cycle-life --cycles 1000000000000` ran, then crashed printing the summary
    ("unexpected TypeError: unsupported format string passed to NoneType.__format__"):
    the cracks cut through the particles at cycle ~2e5, the loop stopped there and the
    capacity at the last cycle was null in summary.json. After φ = 0 nothing is left:
    capacity and retention are 0; the Coulombic efficiency of no charge is undefined."""
    from hemcell.workflows.anode_cycle_life import summarize_cycle_life

    res = _used_up_run(10**12)
    assert res.active_fraction[-1] == 0.0 and res.cycles[-1] < 10**12
    s = summarize_cycle_life(res, [1, res.cycles[-1], 10**9])
    last = str(10**12)
    assert s["charge_capacity_at_cycle_mAh_per_g"][last] == 0.0
    assert s["retention_at_cycle"][last] == 0.0
    assert s["retention_at_cycle"][str(10**9)] == 0.0
    assert s["coulombic_efficiency_at_cycle"][last] is None
    assert s["coulombic_efficiency_at_cycle"][str(res.cycles[-1])] is None
    assert s["retention_at_cycle"]["1"] == 1.0  # the stand-in's formation cycle is as cycle 2
    assert s["coulombic_efficiency_at_cycle"]["1"] == pytest.approx(0.988)
    assert s["active_material_used_up_at_cycle"] == res.cycles[-1]
    assert summarize_cycle_life(_used_up_run(1000))["active_material_used_up_at_cycle"] is None


def test_cycle_life_cli_prints_a_used_up_electrode(tmp_path, monkeypatch):
    """The command prints the used-up cycle and the zero capacity, exit 0."""
    from typer.testing import CliRunner

    from hemcell.cli.cell import app
    from hemcell.workflows import anode_cycle_life

    n = 10**12
    monkeypatch.setattr(anode_cycle_life, "run_cycle_life",
                        lambda *a, **k: _used_up_run(n))
    out = tmp_path / "life"
    r = CliRunner().invoke(app, ["cycle-life", "hem_half_cell_sp", "--params",
                                 "heo_rocksalt_mgconicuzn", "--protocol",
                                 "Discharge at 1 A/g until 0.01 V; Charge at 1 A/g until 3 V",
                                 "--cycles", str(n), "--no-plots", "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert f"cycle {n}: 0.0 mAh/g, retention 0.000" in r.output
    assert "active material used up at cycle" in r.output


@pytest.mark.parametrize("cycles", [10**8, 1001])
def test_a_cycle_count_beyond_what_one_run_can_hold_is_refused(cycles):
    """`cell run --cycles 100000000` was killed by the kernel (out of memory) without a
    word: every cycle's time series is kept and written (1.5 MB of memory, 0.6 MB of
    files per cycle measured on hem_half_cell_sp)."""
    from hemcell.cell.protocols import MAX_CYCLES, build_experiment

    assert MAX_CYCLES == 1000
    cycle = "Discharge at 1C until 0.01 V; Charge at 1C until 3 V"
    with pytest.raises(InputError) as exc:
        build_experiment(cycle, mass_g=0.015, nominal_capacity_Ah=0.014, cycles=cycles)
    assert exc.value.field == "--cycles" and exc.value.value == cycles
    assert "1000" in exc.value.allowed and "cycle-life" in exc.value.hint
    experiment, _ = build_experiment(cycle, mass_g=0.015, nominal_capacity_Ah=0.014,
                                     cycles=MAX_CYCLES)
    assert len(experiment.steps) == 2 * MAX_CYCLES


def test_cv_refuses_a_cycle_count_beyond_what_one_run_can_hold():
    """`cell cv --cycles 100000000` builds the triangle drive of every cycle in memory."""
    from hemcell.workflows.anode_cv import run_cv

    with pytest.raises(InputError) as exc:
        run_cv("hem_half_cell_sp", "heo_rocksalt_mgconicuzn", [0.1, 0.2], (0.01, 3.0),
               10**8)
    assert exc.value.field == "--cycles" and "1000" in exc.value.allowed


@pytest.mark.parametrize(("written", "per_gram"), [
    ("Discharge at 500 A/kg until 0.01 V", "Discharge at 0.5 A/g until 0.01 V"),
    ("Discharge at 500 mA/kg until 0.01 V", "Discharge at 0.5 mA/g until 0.01 V"),
    ("Discharge at 0.5 mA/mg until 0.01 V", "Discharge at 0.5 A/g until 0.01 V"),
    ("Charge at 500 A kg-1 until 3 V", "Charge at 0.5 A/g until 3 V"),
    ("Charge at 2 uA/mg for 1 hour", "Charge at 2 mA/g for 1 hour"),
])
def test_a_current_per_kg_or_mg_is_a_current_per_gram(written, per_gram):
    """`Discharge at 500 A/kg until 0.01 V` exited 2 ("a current in A/kg is not read"),
    though A/kg is a current per mass of active material (1 A/kg = 1 mA/g) and
    `hemcell fit` reads a `current [A/kg]` column."""
    from hemcell.cell.protocols import build_experiment

    mass_g = 0.015281728
    _, steps = build_experiment(written, mass_g=mass_g, nominal_capacity_Ah=0.014)
    _, expected = build_experiment(per_gram, mass_g=mass_g, nominal_capacity_Ah=0.014)
    assert steps == expected


def test_cycle_life_keeps_the_mass_unit_when_it_scales_a_current():
    """Loss of active material scales per-mass currents by m0/m in the unit written."""
    from hemcell.cell.protocols import scale_per_gram

    assert scale_per_gram("Discharge at 500 A/kg until 0.01 V; Charge at 1 mA/mg until 3 V",
                          2.0) == ("Discharge at 1000 A/kg until 0.01 V; "
                                   "Charge at 2 mA/mg until 3 V")


def test_a_current_per_area_is_still_refused_naming_the_units_read():
    from hemcell.cell.protocols import build_experiment

    with pytest.raises(InputError) as exc:
        build_experiment("Discharge at 500 uA/cm2 until 0.01 V", mass_g=0.015,
                         nominal_capacity_Ah=0.014)
    assert "A/kg" in exc.value.allowed and "uA/cm2" in exc.value.hint


@pytest.mark.parametrize("recipe", ["cathode_half_cell_p2d", "hem_full_cell_lfp"])
def test_cv_of_a_recipe_that_is_no_hem_anode_half_cell_names_the_ones_it_takes(recipe):
    """`cell cv cathode_half_cell_p2d` said "allowed: a half-cell recipe" of a half cell."""
    from hemcell.workflows.anode_cv import run_cv

    with pytest.raises(InputError) as exc:
        run_cv(recipe, "cathode_hepba_femnnicuco", [0.1, 0.2], (0.01, 3.0))
    assert exc.value.field == "RECIPE" and "HEM anode half-cell" in exc.value.allowed
    assert "hem_half_cell_sp" in exc.value.allowed and "cathode" not in exc.value.allowed


def test_parameter_values_for_a_set_without_the_models_elements_names_them():
    """`HEMHalfCell({"x-average": "true"}).parameter_values_for(load_si("fes_space_charge")[0])`
    then `Simulation(...).solve()` ended in PyBaMM's bare ZeroDivisionError: the model
    converts the rock-salt's Co, Ni, Cu, Zn, of which the FeS set holds none."""
    import pybamm

    from hemcell.cell.model import HEMHalfCell
    from hemcell.cell.options import model_options
    from hemcell.cell.parameters import inventory_from_si, load_si

    si = load_si("fes_space_charge")[0]
    with pytest.raises(InputError) as exc:
        HEMHalfCell({"x-average": "true"}).parameter_values_for(si)
    text = str(exc.value) + str(exc.value.hint)
    for el in ("Co", "Ni", "Cu", "Zn"):
        assert el in text
    assert "'convertible elements': ('Fe',)" in exc.value.hint
    # the model built as the hint says runs
    model = HEMHalfCell(model_options(("conversion", "space_charge"), inventory_from_si(si),
                                      x_average=True))
    sim = pybamm.Simulation(model, parameter_values=model.parameter_values_for(si),
                            experiment=pybamm.Experiment(["Discharge at 1C for 10 minutes"]))
    assert sim.solve()["Anode specific capacity [mA.h.g-1]"].entries.max() > 0


def test_cv_reports_each_scan_rate_as_it_finishes():
    """`cell cv hem_half_cell_p2d` with five scan rates ran 2 min without a line."""
    from hemcell.workflows.anode_cv import run_cv

    lines: list[str] = []
    res = run_cv("hem_half_cell_sp", "heo_rocksalt_mgconicuzn", [1.0, 2.0], (0.5, 3.0),
                 mechanisms=["intercalation", "space_charge"], points_per_segment=40,
                 progress=lines.append)
    assert [c.completed for c in res.curves] == [True, True]
    assert len(lines) == 2
    assert lines[0].startswith("scan rate 1 of 2, 1 mV/s: solved in ")
    assert lines[1].startswith("scan rate 2 of 2, 2 mV/s: solved in ")


def test_a_long_cell_run_reports_its_cycles(monkeypatch):
    """`cell run hem_half_cell_p2d --cycles 1000` runs minutes (20 P2D cycles at 0.2 A/g:
    8 s) without a line; now a line per cycle once a minute of wall time has passed
    (here: every cycle, the interval set to 0)."""
    import hemcell.progress
    from hemcell.workflows.anode import run_cell

    monkeypatch.setattr(hemcell.progress, "LINE_INTERVAL_S", 0.0)
    lines: list[str] = []
    run = run_cell("hem_half_cell_sp", "heo_rocksalt_mgconicuzn",
                   "Discharge at 2 A/g for 5 minutes; Charge at 2 A/g for 5 minutes",
                   mechanisms=["intercalation", "space_charge"], cycles=3,
                   progress=lines.append)
    assert run.error is None
    assert [x.split("] ", 1)[1].split(",")[0] for x in lines] == [
        "cycle 1 of 3 done", "cycle 2 of 3 done", "cycle 3 of 3 done"]
    assert "ETA" in lines[0] and "ETA" not in lines[-1]


def test_a_quick_cell_run_writes_no_progress_line():
    from hemcell.workflows.anode import ExperimentCallback

    lines: list[str] = []
    clock = iter(range(0, 1000, 5)).__next__  # 5 s per reading: under the minute
    errors = ExperimentCallback(lines.append, clock=clock)
    for n in range(1, 6):
        errors.on_cycle_end({"cycle number": (n, 5)})
    assert lines == []


def test_a_cathode_half_cell_writes_the_timeseries_as_netcdf_too(tmp_path):
    """`cell run cathode_half_cell_p2d` (and the hard-carbon full cells) wrote
    timeseries.csv only, while the README promises CF netCDF of every cell run and
    the HEM anode runs write timeseries.nc."""
    import xarray as xr

    from hemcell.workflows.cathode_half_cell import run_cell, write_outputs

    run = run_cell("cathode_half_cell_sp", "cathode_hepba_femnnicuco",
                   "Charge at 1C for 10 minutes; Rest for 5 minutes")
    write_outputs(run, tmp_path, plots_on=False)
    with xr.open_dataset(tmp_path / "timeseries.nc") as ds:
        assert ds["voltage_V"].attrs["units"] == "V"
        assert ds["time_s"].attrs["units"] == "s"
        assert sorted(set(ds["step"].values.tolist())) == [1, 2]
        csv = np.loadtxt(tmp_path / "timeseries.csv", delimiter=",", skiprows=1)
        assert np.allclose(ds["voltage_V"].values, csv[:, 3], rtol=1e-7)


@pytest.mark.parametrize("protocol", ["discharge at 1C until 0.01 V; REST for 1 hour; "
                                      "charge at 1C until 3 V; hold at 3 V for 1 minute"])
def test_instruction_words_in_any_case_are_read(protocol):
    """`discharge at 1C until 0.01 V` exited 2 with PyBaMM's "Instruction must be
    'discharge', 'charge', 'rest', or 'hold'" (PyBaMM reads them capitalised only);
    `rest for 1 hour` with "not enough values to unpack"."""
    from hemcell.cell.protocols import build_experiment

    _, steps = build_experiment(protocol, mass_g=0.015, nominal_capacity_Ah=0.014)
    assert [s.split()[0] for s in steps] == ["Discharge", "Rest", "Charge", "Hold"]


@pytest.mark.parametrize(("recipe", "params", "ion"), [
    ("hc_full_cell_na_nvpf", "cathode_he_nvpf", None),
    ("hem_full_cell_na_pba", "heo_rocksalt_mgconicuzn", "Na"),
    ("hem_full_cell_k_pba", "heo_rocksalt_mgconicuzn", "K"),
])
def test_a_full_cell_in_the_na_electrolyte_tables_warns_away_from_298_k(capsys, recipe,
                                                                         params, ion):
    """`cell run hc_full_cell_na_nvpf --set ambient_temperature=250K` said nothing (the
    half cells warn): its NaPF6 conductivity and diffusivity are 298.15 K tables, so
    from 250 to 350 K at 1C the discharge stayed at 28.3-27.9 mAh/g."""
    from hemcell.workflows import anode, cathode_half_cell

    sets = ["ambient_temperature=263.15 K"]
    protocol = "Charge at 1C for 1 minute"
    if recipe.startswith("hc_"):
        cathode_half_cell.run_cell(recipe, params, protocol, overrides=sets)
    else:
        anode.prepare_cell(recipe, params, protocol, overrides=sets, ion=ion)
    err = capsys.readouterr().err
    assert "electrolyte's conductivity and diffusivity are tables at 298.15 K" in err
    assert "at 263.15 K only the kinetics follow temperature" in err
    anode.prepare_cell("hem_full_cell_lfp", "heo_rocksalt_mgconicuzn", protocol,
                       overrides=sets)
    assert "tables at 298.15 K" not in capsys.readouterr().err


def test_a_b_value_the_power_law_does_not_describe_gets_a_warning():
    """`cell cv hem_half_cell_sp --params fes_space_charge --ion K --scan-rates 0.1,0.5,1`
    printed "anodic 0.049" without a word: R² 0.22 of the log-log fit (the peak currents
    do not follow |i| = a v^b; only b <= 0 was warned)."""
    from hemcell.workflows.anode_cv import B_VALUE_MIN_R2, b_value_warnings

    assert B_VALUE_MIN_R2 == 0.5
    warnings = b_value_warnings({"cathodic": 0.621, "cathodic_r2": 0.997,
                                 "anodic": 0.049, "anodic_r2": 0.216})
    assert len(warnings) == 1
    assert warnings[0].startswith("anodic b-value 0.049 (R² 0.22 of the log-log fit): the "
                                  "anodic peak current does not follow a power law")
    # the rock-salt at 330 K: anodic b 0.321 at R² 0.868 stands
    assert b_value_warnings({"cathodic": 0.807, "cathodic_r2": 1.0,
                             "anodic": 0.321, "anodic_r2": 0.868}) == []


def test_set_of_the_reference_ion_value_under_another_ion_is_refused():
    """`cell run --params fes_space_charge --ion Na --set
    conversion_exchange_current_density=1e-1 A/m**2` ran to the same 797.9 mAh/g as
    without it: with Na the model reads conversion_exchange_current_density_na (624.2 /
    797.9 / 859.2 mAh/g at 1e-5 / 1e-3 / 1e-1 A/m**2)."""
    from hemcell.workflows.anode import prepare_cell

    protocol = "Discharge at 0.2 A/g until 0.01 V"
    with pytest.raises(InputError) as exc:
        prepare_cell("hem_half_cell_sp", "fes_space_charge", protocol, ion="Na",
                     overrides=["conversion_exchange_current_density=1e-1 A/m**2"])
    assert exc.value.field == "--set"
    assert "conversion_exchange_current_density_na" in exc.value.hint
    for ion, key in ((None, "conversion_exchange_current_density"),
                     ("Na", "conversion_exchange_current_density_na"),
                     ("Na", "space_charge_site_density")):
        prepare_cell("hem_half_cell_sp", "fes_space_charge", protocol, ion=ion,
                     overrides=[f"{key}=" + ("1e-3 A/m**2" if "exchange" in key
                                             else "1.3e19 1/m**2")])
