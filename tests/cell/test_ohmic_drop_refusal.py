"""A constant current whose ohmic drop across the separator alone spans the voltage window
is refused before anything is solved (:func:`hemcell.cell.protocols.check_ohmic_drop`):
``Discharge at 1e6 A/g`` had ended in SUNDIALS error lines and "solver failed in the first
step" (exit 1). A current the check lets through must drop at least I R_s in the model
itself, or the bound would refuse runs the model can do."""

from __future__ import annotations

import numpy as np
import pybamm
import pytest

from hemcell.cell.capacity import initial_voltage_V
from hemcell.cell.electrolytes import separator_resistance_ohm
from hemcell.cli.main import main
from hemcell.errors import InputError
from hemcell.workflows.anode import build_simulation, prepare_cell, solve_cell

SET = "heo_rocksalt_mgconicuzn"


def _values(**changes: float) -> pybamm.ParameterValues:
    values = {
        "Initial concentration in electrolyte [mol.m-3]": 1000.0,
        "Electrolyte conductivity [S.m-1]": 1.0,
        "Ambient temperature [K]": 298.15,
        "Electrode width [m]": 0.02,
        "Electrode height [m]": 0.01,
        "Number of electrodes connected in parallel to make a cell": 1.0,
        "Separator porosity": 0.25,
        "Separator Bruggeman coefficient (electrolyte)": 1.5,
        "Separator thickness [m]": 25e-6,
    }
    values.update(changes)
    return pybamm.ParameterValues(values)


def test_separator_resistance_is_thickness_over_effective_conductivity_and_area():
    # 25 um / (1 S/m * 0.25**1.5 * 2 cm2) = 25e-6 / (0.125 * 2e-4) Ohm = 1 Ohm
    assert separator_resistance_ohm(_values()) == pytest.approx(1.0, rel=1e-12)
    assert separator_resistance_ohm(
        _values(**{"Number of electrodes connected in parallel to make a cell": 2.0})
    ) == pytest.approx(0.5, rel=1e-12)


def test_separator_resistance_follows_the_temperature_of_the_set():
    cold = prepare_cell("hem_half_cell_sp", SET, "Discharge at 1 A/g until 0.01 V",
                        overrides=["ambient_temperature=0degC"])
    warm = prepare_cell("hem_half_cell_sp", SET, "Discharge at 1 A/g until 0.01 V",
                        overrides=["ambient_temperature=45degC"])
    # Valoen & Reimers: the conductivity of 1 M LiPF6 roughly doubles from 0 to 45 degC
    assert (separator_resistance_ohm(cold.parameter_values)
            > 1.5 * separator_resistance_ohm(warm.parameter_values))


@pytest.mark.parametrize("current", ["1e6 A/g", "1000 A/g", "20 A"])
def test_a_current_whose_drop_spans_the_window_is_refused(current):
    protocol = f"Rest for 1 minute; Discharge at {current} until 0.01 V"
    with pytest.raises(InputError) as err:
        prepare_cell("hem_half_cell_p2d", SET, protocol)
    msg = str(err.value)
    assert f"got 'Discharge at {current} until 0.01 V'" in msg
    assert "across the separator's electrolyte alone" in msg and "0.01-3 V window" in msg


def test_the_refusal_bound_is_window_over_resistance():
    setup = prepare_cell("hem_half_cell_p2d", SET, "Discharge at 1 A/g until 0.01 V")
    r_ohm = separator_resistance_ohm(setup.parameter_values)
    max_A = (3.0 - 0.01) / r_ohm
    below, above = 0.99 * max_A / setup.mass_g, 1.01 * max_A / setup.mass_g
    prepare_cell("hem_half_cell_p2d", SET, f"Charge at {below:.6g} A/g for 1 second")
    with pytest.raises(InputError, match=f"a current below {max_A:.3g} A"):
        prepare_cell("hem_half_cell_p2d", SET, f"Charge at {above:.6g} A/g for 1 second")


def test_the_model_drops_at_least_the_separator_bound():
    # a current the check lets through: the model's voltage at the step's start lies at
    # least I R_s below the open-circuit voltage (the electrodes' drops add to it)
    setup = prepare_cell("hem_half_cell_p2d", SET, "Discharge at 20 A/g for 1 second")
    sim = build_simulation(setup.recipe, setup.parameter_values, setup.inventory,
                           setup.experiment)
    run = solve_cell(setup, sim)
    assert run.error is None
    current_A = 20 * setup.mass_g
    drop_V = (initial_voltage_V(setup.parameter_values, "half")
              - float(np.asarray(run.solution["Voltage [V]"].entries)[0]))
    assert drop_V >= current_A * separator_resistance_ohm(setup.parameter_values)


def test_cli_exits_2_before_solving(tmp_path, capsys):
    code = main(["cell", "run", "hem_half_cell_p2d", "--params", SET, "--protocol",
                 "Discharge at 1e6 A/g until 0.01 V", "--out", str(tmp_path / "o"),
                 "--no-plots"])
    err = capsys.readouterr().err
    assert code == 2
    assert "allowed: a current below" in err and "[ERROR]" not in err
    assert not (tmp_path / "o").exists()


def test_a_power_that_draws_such_a_current_is_refused():
    # P / V_high is the least current a power step draws inside the window
    setup = prepare_cell("hem_half_cell_p2d", SET, "Discharge at 1 A/g until 0.01 V")
    max_W = (3.0 - 0.01) / separator_resistance_ohm(setup.parameter_values) * 3.0
    prepare_cell("hem_half_cell_p2d", SET, f"Discharge at {0.99 * max_W:.6g} W until 0.01 V")
    with pytest.raises(InputError, match=f"a power below {max_W:.3g} W"):
        prepare_cell("hem_half_cell_p2d", SET, f"Discharge at {1.01 * max_W:.6g} W until 0.01 V")


@pytest.mark.parametrize("ion", ["Na", "K"])
def test_separator_resistance_of_a_tabulated_electrolyte(ion):
    # the Na/K electrolytes are tables (PyBaMM Interpolants evaluate to 1 x 1 arrays): a
    # Na half cell at 45 degC had ended in "unexpected TypeError" before solving
    setup = prepare_cell("hem_half_cell_sp", SET, "Discharge at 0.2 A/g until 0.01 V",
                         overrides=["ambient_temperature=45degC"], ion=ion)
    r_ohm = separator_resistance_ohm(setup.parameter_values)
    # 25 um at porosity 0.39 (Bruggeman 1.5) over 1.54 cm2, 1 M NaPF6 in EC:PC: 0.75 Ohm
    assert 0.1 < r_ohm < 10


@pytest.mark.parametrize("recipe,step", [
    ("cathode_half_cell_sp", "Charge at 1e5 A/g until 4.2 V"),  # had: "could not start"
    ("hc_full_cell_na_pba", "Charge at 1e4C until 4.2 V"),
])
def test_cathode_set_cells_refuse_it_too(tmp_path, capsys, recipe, step):
    code = main(["cell", "run", recipe, "--params", "cathode_hepba_femnnicuco", "--protocol",
                 step, "--out", str(tmp_path / "o"), "--no-plots"])
    err = capsys.readouterr().err
    assert code == 2
    assert f"got '{step}'" in err and "across the separator's electrolyte alone" in err


def test_no_conducting_electrolyte_gives_no_bound():
    # kappa = 0: no finite resistance, and the check refuses nothing (other checks and the
    # solver meet such a cell) instead of dividing by zero
    assert separator_resistance_ohm(
        _values(**{"Electrolyte conductivity [S.m-1]": 0.0})) == float("inf")
    from hemcell.cell.protocols import check_ohmic_drop

    step = pybamm.step.string("Discharge at 1000 A until 0.01 V")
    check_ohmic_drop([step], ["Discharge at 1000 A until 0.01 V"], (0.01, 3.0),
                     float("inf"), 1e-3)
