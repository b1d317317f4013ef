"""What a battery researcher with a cycler tries on the cell side.

Each test pins a defect met in such a trial: an electrode value a full cell overwrites
(its anode is sized from the recipe's N/P ratio) was accepted and changed nothing.
"""

from __future__ import annotations

import pytest

from hemcell.errors import InputError

PARAMS = "heo_rocksalt_mgconicuzn"
LFP = "hem_full_cell_lfp"
CHARGE = "Charge at C/10 until 3.6 V"


def test_a_full_cell_refuses_the_anode_thickness_its_n_p_ratio_sets():
    """--set anode_thickness=80um on hem_full_cell_lfp gave the same cell as without it
    (405.6 mAh/g): the thickness is L_n = N/P · q_cathode / (q_anode ρ ε_s)."""
    from hemcell.workflows.anode import prepare_cell

    with pytest.raises(InputError) as exc:
        prepare_cell(LFP, PARAMS, CHARGE, overrides=["anode_thickness=80um"])
    assert exc.value.field == "--set" and exc.value.value == "anode_thickness"
    assert "n_p_ratio" in exc.value.hint


def test_the_half_cell_still_reads_the_anode_thickness():
    from hemcell.workflows.anode import prepare_cell

    thin = prepare_cell("hem_half_cell_sp", PARAMS, "Discharge at 1C until 0.01 V",
                        overrides=["anode_thickness=20um"])
    assert thin.parameter_values["Positive electrode thickness [m]"] == pytest.approx(20e-6)


def test_params_check_lists_the_anode_thickness_as_unused_by_a_full_cell():
    from hemcell.cell.parameters import anode_parameter_uses, inventory_from_si
    from hemcell.params import load_parameter_set

    si = load_parameter_set(PARAMS).si
    inv = inventory_from_si(si)
    assert "anode_thickness" in anode_parameter_uses(["conversion"], inv, "half")
    assert "anode_thickness" not in anode_parameter_uses(["conversion"], inv, "full")


def test_timeseries_csv_keeps_the_time_of_every_point(tmp_path):
    """Written with 8 significant digits, the times after a step change (double-layer
    transient, points 2e-7 s apart at t = 1.4e4 s) came out as up to 18 rows of one time
    with different voltages: the table's time did not increase within a step."""
    import numpy as np

    from hemcell.workflows.anode import run_cell, write_outputs

    run = run_cell("hem_half_cell_sp", PARAMS, "Discharge at 1C for 20 minutes; "
                   "Rest for 10 minutes; Charge at 1C for 10 minutes",
                   mechanisms=["intercalation", "conversion"])
    write_outputs(run, tmp_path, plots_on=False)
    data = np.genfromtxt(tmp_path / "timeseries.csv", delimiter=",", names=True)
    same_step = data["step"][1:] == data["step"][:-1]
    assert np.all(np.diff(data["time_s"])[same_step] > 0)
    t_solution = np.concatenate([s.t for s in run.solution.cycles[0].steps])
    np.testing.assert_allclose(data["time_s"], t_solution, rtol=1e-14, atol=0)


@pytest.mark.parametrize(("written", "per_gram"), [
    ("Discharge at 0.1 A g-1 until 0.01 V", "Discharge at 0.1 A/g until 0.01 V"),
    ("Discharge at 100 mA g^-1 until 0.01 V", "Discharge at 100 mA/g until 0.01 V"),
    ("Charge at 50 mA g⁻¹ until 3 V", "Charge at 50 mA/g until 3 V"),
    ("Hold at 3 V until 50 µA g-1", "Hold at 3 V until 50 µA/g"),
])
def test_currents_per_gram_as_papers_write_them(written, per_gram):
    """'0.1 A g-1' (the journals' notation) was refused with PyBaMM's 'units must be A, V,
    W, Ohm or C', although '0.1 A/g' is read."""
    from hemcell.cell.protocols import to_amps

    assert to_amps(written, 0.0153) == to_amps(per_gram, 0.0153)


def test_a_current_in_microamps_is_read():
    """A coin cell of 1.5 mg at 100 mA/g draws 150 µA: 'µA' and 'uA' were refused while
    'mA' and 'µA/g' are read."""
    from hemcell.cell.protocols import build_experiment

    _, steps = build_experiment("Discharge at 150 µA until 0.01 V; Rest for 1 minute; "
                                "Charge at 150 uA until 3 V", mass_g=1.5e-3)
    assert steps[0].startswith("Discharge at 0.00015 A") and "until 0.01 V" in steps[0]
    assert steps[2].startswith("Charge at 0.00015 A")


def test_a_simulation_saves_and_loads_with_pybamm(tmp_path):
    """`sim.save` (PyBaMM's pickle) failed: "Can't pickle local object
    'arrhenius_exchange_current.<locals>.j0'" (and the intercalation OCP, j₀, D_s)."""
    import pickle

    import numpy as np
    import pybamm

    from hemcell.cell.full_cell import HEMFullCell
    from hemcell.cell.model import HEMHalfCell

    model = HEMHalfCell({"mechanisms": ("intercalation", "conversion"), "x-average": "true"})
    sim = pybamm.Simulation(model)
    sol = sim.solve([0, 600])
    sim.save(str(tmp_path / "sim.pkl"))
    again = pybamm.load(str(tmp_path / "sim.pkl")).solve([0, 600])
    np.testing.assert_array_equal(again["Voltage [V]"].entries, sol["Voltage [V]"].entries)
    for cathode in ("LFP", "cathode_he_nvpf"):  # a cathode set's OCP, j0, D_s; Na metal
        for value in HEMFullCell({"cathode": cathode}).default_parameter_values.values():
            pickle.dumps(value)


def test_a_cycle_without_delithiation_has_no_coulombic_efficiency():
    """A GITT lithiation (pulses and rests, no charge) reported a Coulombic efficiency of
    0.0; with no delithiation step the ratio is undefined (null, as its mean charge
    voltage already was)."""
    from hemcell.workflows.anode import run_cell, summarize

    run = run_cell("hem_half_cell_sp", PARAMS, "Discharge at 1C for 5 minutes; "
                   "Rest for 5 minutes", cycles=2, mechanisms=["intercalation", "conversion"])
    summary, _, _ = summarize(run, timeseries=False)
    assert summary["discharge_capacity_mAh_per_g"][0] > 0
    assert summary["coulombic_efficiency"] == [None]
    assert summary["mean_charge_voltage_V"] == [None]


@pytest.mark.parametrize("protocol", ["Discharge at 1 A/g until 0.01 V",
                                      "Charge at 1 A/g until 3 V; Rest for 1 hour"])
def test_cycle_life_refuses_a_protocol_that_is_not_a_cycle(protocol, tmp_path):
    """`cell cycle-life --protocol "Discharge at 1 A/g until 0.01 V"` ended in
    'unexpected IndexError' (exit 1): one direction makes no two cycles to read."""
    from hemcell.cli.main import main

    code = main(["cell", "cycle-life", "hem_half_cell_sp", "--params", PARAMS, "--cycles",
                 "10", "--protocol", protocol, "--out", str(tmp_path / "out")])
    assert code == 2
    assert not (tmp_path / "out" / "summary.json").exists()


def test_absolute_currents_are_found_and_per_gram_ones_are_not():
    """A researcher's 0.12 mA (0.1 A/g for 1.2 mg) runs the model's 15.3 mg electrode at
    7.9 mA/g: `cell run` says which mass absolute currents act on."""
    from hemcell.cell.protocols import absolute_currents

    assert absolute_currents("Discharge at 0.12 mA until 0.01 V; Hold at 0.01 V until "
                             "5 µA; Charge at 0.1 A g-1 until 3 V; Rest for 1 hour; "
                             "Charge at 1C until 3 V; Discharge at 100 mA/g for 2 hours"
                             ) == ["0.12 mA", "5 µA"]
    assert absolute_currents("Discharge at C/10 until 0.01 V; Charge at 2 A/g until 3 V") == []


def test_a_step_in_milliamps_gets_the_duration_its_cut_off_needs():
    """'Discharge at 0.12 mA until 0.01 V' stopped at PyBaMM's 24 h default (188.5 of
    ~918 mAh/g, exit 0): only per-gram and C-rate steps got twice their theoretical time."""
    from hemcell.cell.protocols import to_amps

    step = to_amps("Discharge at 0.12 mA until 0.01 V", 0.0153, duration_capacity_Ah=0.0142)
    assert step == "Discharge at 0.12 mA for 237.667 hours or until 0.01 V"


def test_a_cathode_value_set_on_a_full_cell_says_where_the_cathode_comes_from():
    from hemcell.workflows.anode import prepare_cell

    with pytest.raises(InputError) as exc:
        prepare_cell("hem_full_cell_na_pba", PARAMS, "Charge at C/10 until 4.0 V",
                     overrides=["cathode_thickness=100um"])
    assert exc.value.value == "cathode_thickness" and "extends:" in exc.value.hint


def test_cv_refuses_a_scan_rate_given_twice(tmp_path):
    """`cell cv --scan-rates 1,1` ended in 'unexpected LinAlgError: SVD did not converge'
    (exit 1) after solving both sweeps: the b-value fit needs distinct rates."""
    from hemcell.cli.main import main

    code = main(["cell", "cv", "hem_half_cell_sp", "--params", PARAMS, "--scan-rates", "1,1",
                 "--out", str(tmp_path / "out")])
    assert code == 2


def test_cv_refuses_a_b_value_voltage_outside_the_window(tmp_path):
    """`--at-voltage 5` with the 0.01-3 V window gave b-values of the current held at
    3 V (np.interp's end value), labelled 5 V."""
    from hemcell.cli.main import main

    code = main(["cell", "cv", "hem_half_cell_sp", "--params", PARAMS, "--scan-rates", "0.5,1",
                 "--at-voltage", "5", "--out", str(tmp_path / "out")])
    assert code == 2
    assert not (tmp_path / "out" / "summary.json").exists()


@pytest.mark.parametrize("report", ["50,500", "1.5"])
def test_cycle_life_refuses_report_cycles_outside_the_run(report, tmp_path):
    """`--cycles 100 --report-cycles 50,500` ran, then failed printing cycle 500
    ('unexpected TypeError: unsupported format string passed to NoneType', exit 1);
    1.5 was read as cycle 1."""
    from hemcell.cli.main import main

    code = main(["cell", "cycle-life", "hem_half_cell_sp", "--params", PARAMS, "--cycles",
                 "100", "--report-cycles", report, "--protocol",
                 "Discharge at 1 A/g until 0.01 V; Charge at 1 A/g until 3 V",
                 "--out", str(tmp_path / "out")])
    assert code == 2
    assert not (tmp_path / "out" / "summary.json").exists()


def test_a_na_full_cell_runs_from_pybamm_with_its_default_values():
    """`pybamm.Simulation(HEMFullCell({"cathode": "cathode_he_nvpf"}))` stopped with a
    ZeroDivisionError: its default elements were the Li ones (Zn alloys with Li, not with
    Na), so the Zn alloying of the model met a zero Na alloying capacity. The defaults now
    follow the cathode's carrier, as `cell run` does (no alloying for Na)."""
    import numpy as np
    import pybamm

    from hemcell.cell.full_cell import HEMFullCell

    model = HEMFullCell({"cathode": "cathode_he_nvpf"})
    assert "alloying" not in model.mechanisms and "conversion" in model.mechanisms
    sim = pybamm.Simulation(model, experiment=pybamm.Experiment(["Charge at C/5 for 10 minutes"]))
    sol = sim.solve()  # the cell starts discharged
    q = sol["Discharge capacity [A.h]"].entries
    nominal = model.default_parameter_values["Nominal cell capacity [A.h]"]
    assert np.all(np.isfinite(q))
    np.testing.assert_allclose(q[-1], -nominal / 5 / 6, rtol=1e-6)


@pytest.mark.parametrize("step", ["Discharge at 1C until 0.01 V at 0oC",
                                  "Charge at 0.1 A/g for 1 hour at 273.15K",
                                  "Rest for 10 minutes at -10 °C",
                                  "Discharge at 0.1 A/g until 0.01 V at 25C",
                                  "Charge at 1C until 3 V at 0 C"])
def test_a_step_temperature_is_refused_naming_ambient_temperature(step):
    """PyBaMM's hint was 'Temperature must be specified as a keyword argument' (no such
    thing on the command line) or 'units must be A, V, W, Ohm or C'."""
    from hemcell.cell.protocols import build_experiment

    with pytest.raises(InputError) as exc:
        build_experiment(step, mass_g=0.015, nominal_capacity_Ah=0.014)
    assert "ambient_temperature" in exc.value.hint


def test_a_cathode_half_cell_recipe_outside_cell_run_says_so(tmp_path):
    """`cell cycle-life` or `hemcell fit` with cathode_half_cell_sp and its cathode set
    said 'a cathode set runs vs its metal in cathode_half_cell_p2d / _sp', the recipe
    given: those commands run the HEM anode model only."""
    from hemcell.workflows.anode import prepare_cell

    with pytest.raises(InputError) as exc:
        prepare_cell("cathode_half_cell_sp", "cathode_hepba_femnnicuco",
                     "Charge at C/5 until 4.2 V")
    assert exc.value.field == "recipe" and "cell run" in exc.value.hint


def test_a_c_rate_step_without_termination_is_not_taken_for_a_temperature():
    """'Discharge at 1C' lacks 'for'/'until': it is refused for that, not as a step
    temperature ('25C' is Celsius only after the step's own termination)."""
    from hemcell.cell.protocols import build_experiment

    with pytest.raises(InputError) as exc:
        build_experiment("Discharge at 1C", mass_g=0.015, nominal_capacity_Ah=0.014)
    assert "ambient_temperature" not in (exc.value.hint or "")
