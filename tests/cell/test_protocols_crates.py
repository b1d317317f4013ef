"""C-rates from one path (Ah = mAh g⁻¹ × g / 1000) and steps that cannot make progress.

A user found ``Discharge at 1C`` on a ~925 mAh/g half-cell applying 0.000925 A/g (the
capacity was divided by 1e6 instead of 1e3). These tests compare the current of a C-rate
step with a hand value, and check that a step which cannot make progress is refused
(exit 2) before anything is solved.
"""

from __future__ import annotations

import pytest

from hemcell.cell.protocols import build_experiment, period_seconds, to_amps
from hemcell.errors import InputError

PARAMS = "heo_rocksalt_mgconicuzn"


def _amps(step: str) -> float:
    return float(step.split(" at ")[1].split(" A")[0])


def test_c_rate_and_per_gram_currents_by_hand():
    # 0.02 g at 500 mAh/g = 10 mAh = 0.01 A h: 1C = 0.01 A, C/10 = 0.001 A, 2 C = 0.02 A
    cap = 500 * 0.02 / 1000
    assert _amps(to_amps("Discharge at 1C until 0.01 V", 0.02, cap)) == pytest.approx(0.01)
    assert _amps(to_amps("Discharge at C/10 until 0.01 V", 0.02, cap)) == pytest.approx(1e-3)
    assert _amps(to_amps("Charge at 2 C until 3 V", 0.02, cap)) == pytest.approx(0.02)
    assert _amps(to_amps("Charge at 0.5 A/g until 3 V", 0.02, cap)) == pytest.approx(0.01)
    # a C-rate termination of a hold is converted too
    assert to_amps("Hold at 3 V until C/50", 0.02, cap) == "Hold at 3 V until 0.0002 A"
    # words with a capital C are not C-rates
    assert to_amps("Charge at 1 A until 3 V", 0.02, cap) == "Charge at 1 A until 3 V"


def test_half_cell_one_c_is_the_theoretical_capacity_per_hour():
    from hemcell.params import load_parameter_set
    from hemcell.workflows.anode import prepare_cell

    setup = prepare_cell("hem_half_cell_sp", PARAMS, "Discharge at 1C until 0.01 V")
    si = load_parameter_set(PARAMS).si
    # hand value: m = rho eps_s L A (kg -> g), Ah = mAh/g x g / 1000
    area = (setup.parameter_values["Electrode height [m]"]
            * setup.parameter_values["Electrode width [m]"])
    mass_g = (si["anode_active_material_density"] * si["anode_active_material_volume_fraction"]
              * si["anode_thickness"] * area * 1000)
    assert setup.mass_g == pytest.approx(mass_g, rel=1e-12)
    hand_A = setup.theoretical_capacity_mAh_per_g * mass_g / 1000
    assert _amps(setup.steps_A[0]) == pytest.approx(hand_A, rel=1e-9)
    assert 800 < setup.theoretical_capacity_mAh_per_g < 1000  # the HEO's ~925 mAh/g
    # the same current written per gram
    per_g = prepare_cell("hem_half_cell_sp", PARAMS,
                         f"Discharge at {setup.theoretical_capacity_mAh_per_g:.12g} mA/g "
                         "until 0.01 V")
    assert _amps(per_g.steps_A[0]) == pytest.approx(hand_A, rel=1e-9)


def test_full_cell_one_c_is_the_cathode_capacity_per_hour():
    from hemcell.workflows.anode import prepare_cell

    setup = prepare_cell("hem_full_cell_lfp", PARAMS, "Charge at 1C until 3.6 V")
    pv = setup.parameter_values
    q_cathode_Ah = (pv["Maximum concentration in positive electrode [mol.m-3]"] * 96485.33212
                    * pv["Positive electrode active material volume fraction"]
                    * pv["Positive electrode thickness [m]"] * pv["Electrode height [m]"]
                    * pv["Electrode width [m]"] / 3600)
    assert _amps(setup.steps_A[0]) == pytest.approx(q_cathode_Ah, rel=1e-6)


@pytest.mark.parametrize("protocol, what", [
    ("Discharge at 0 A/g until 0.01 V", "non-zero current"),
    ("Discharge at 0C until 0.01 V", "non-zero current"),
    ("Discharge at -0.1 A/g until 0.01 V", "positive magnitude"),
    ("Charge at -1C until 3 V", "positive magnitude"),
    ("Rest for 0 minutes", "duration > 0"),
    ("Discharge at C/10 for -1 hours", "duration > 0"),
    ("Discharge at 0.1 A/g until 3 V", "already meets 3 V"),
    ("Charge at 0.1 A/g until 2 V", "already meets 2 V"),
])
def test_steps_that_cannot_make_progress_are_refused(protocol, what):
    from hemcell.workflows.anode import prepare_cell

    with pytest.raises(InputError) as exc:
        prepare_cell("hem_half_cell_sp", PARAMS, protocol)
    assert exc.value.field == "--protocol step"
    assert what in exc.value.message


@pytest.mark.parametrize("period", ["0 seconds", "banana", "-5 minutes", ""])
def test_bad_period_names_the_period_option(period):
    with pytest.raises(InputError) as exc:
        build_experiment("Rest for 1 hour", 0.01, period=period)
    assert exc.value.field == "--period"
    assert period_seconds("30 seconds") == 30.0


def test_cli_refuses_before_solving_with_exit_2(tmp_path, monkeypatch, capsys):
    from hemcell.cli.main import main
    from hemcell.workflows import anode

    def no_build(*args, **kwargs):
        raise AssertionError("the simulation was built")

    monkeypatch.setattr(anode, "build_simulation", no_build)
    code = main(["cell", "run", "hem_half_cell_sp", "--params", PARAMS, "--protocol",
                 "Discharge at 0 A/g until 0.01 V", "--out", str(tmp_path / "x")])
    assert code == 2
    err = capsys.readouterr().err
    assert "--protocol step" in err and "Rest for" in err
    code = main(["cell", "run", "hem_half_cell_sp", "--params", PARAMS, "--protocol",
                 "Rest for 1 hour", "--period", "0 seconds", "--out", str(tmp_path / "y")])
    assert code == 2
    assert "--period" in capsys.readouterr().err
