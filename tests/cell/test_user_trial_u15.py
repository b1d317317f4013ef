"""User trial U15 of `hemcell cell`: output periods, Celsius in --set, cycle-life tables."""

from __future__ import annotations

import pytest

from hemcell.errors import InputError

PARAMS = "heo_rocksalt_mgconicuzn"


def test_a_period_giving_more_output_points_than_a_run_holds_is_refused():
    """`cell run --period "0.001 seconds"` on a 1C discharge took 4.6 GB of memory and
    wrote 1.27 GB of files. The steps' durations bound the points: a 1C discharge until a
    cut-off runs for at most 2 Q/I + 1 h = 3 h here (to_amps), 10 800 s."""
    from hemcell.cell.protocols import MAX_OUTPUT_POINTS, build_experiment

    assert MAX_OUTPUT_POINTS == 10**6
    with pytest.raises(InputError) as exc:
        build_experiment("Discharge at 1C until 0.01 V", mass_g=0.015,
                         nominal_capacity_Ah=0.014, duration_capacity_Ah=0.014,
                         period="0.001 seconds")
    assert exc.value.field == "--period" and exc.value.value == "0.001 seconds"
    # the smallest period allowed: 10 800 s / 10^6 points, rounded up to 3 digits
    assert "at least 0.0109 s" in exc.value.allowed
    # the same period is allowed for a protocol short enough
    build_experiment("Rest for 10 minutes", mass_g=0.015, period="0.001 seconds")
    build_experiment("Discharge at 1C until 0.01 V", mass_g=0.015,
                     nominal_capacity_Ah=0.014, duration_capacity_Ah=0.014,
                     period="0.0109 seconds")


def test_the_bound_counts_every_cycle():
    """10 cycles of a 10-minute rest at 1 ms: 6·10^6 points; 6000 s / 10^6 points."""
    from hemcell.cell.protocols import build_experiment

    with pytest.raises(InputError) as exc:
        build_experiment("Rest for 10 minutes", mass_g=0.015, period="1 ms", cycles=10)
    assert exc.value.field == "--period" and "at least 0.00601 s" in exc.value.allowed


@pytest.mark.parametrize(("period", "seconds"), [
    ("1 ms", 1e-3), ("250 ms", 0.25), ("2 milliseconds", 2e-3), ("1 millisecond", 1e-3),
    ("30 seconds", 30.0), ("2 minutes", 120.0), ("0.5 hours", 1800.0),
])
def test_a_period_in_milliseconds_is_read(period, seconds):
    """`--period "1 ms"` was refused by PyBaMM's parser (it reads s, min, h only)."""
    from hemcell.cell.protocols import build_experiment, period_seconds

    assert period_seconds(period) == pytest.approx(seconds, rel=1e-12)
    experiment, _ = build_experiment("Rest for 1 minute", mass_g=0.015, period=period)
    assert experiment.steps[0].period == pytest.approx(seconds, rel=1e-12)


def test_a_period_in_unknown_units_says_which_are_read():
    from hemcell.cell.protocols import period_seconds

    with pytest.raises(InputError) as exc:
        period_seconds("1 fortnight")
    assert exc.value.field == "--period"
    assert all(u in exc.value.allowed for u in ("ms", "seconds", "minutes", "hours"))


def test_cli_refuses_a_too_fine_period_with_exit_2_before_solving(tmp_path, monkeypatch,
                                                                   capsys):
    from hemcell.cli.main import main
    from hemcell.workflows import anode

    def no_build(*args, **kwargs):
        raise AssertionError("the simulation was built")

    monkeypatch.setattr(anode, "build_simulation", no_build)
    code = main(["cell", "run", "hem_half_cell_sp", "--params", PARAMS, "--protocol",
                 "Discharge at 1C until 0.01 V", "--period", "0.001 seconds",
                 "--out", str(tmp_path / "x")])
    assert code == 2
    err = capsys.readouterr().err
    assert "--period" in err and "0.001 seconds" in err and "at least" in err


@pytest.mark.parametrize("text", ["25C", "25 C", "-10 C"])
def test_a_temperature_in_C_is_celsius(text):
    """`--set ambient_temperature=25C` read C as the coulomb and was refused, while
    `eis --temperatures 25C` read it as Celsius: one rule now, C is Celsius where a
    temperature is meant (hemcell.units.temperature_unit), kept as degC."""
    from hemcell.params.parameter_set import load_parameter_set

    ps = load_parameter_set(PARAMS)
    number = float(text.replace("C", ""))
    ok = ps.with_overrides([f"ambient_temperature={text}"])
    assert ok.si["ambient_temperature"] == pytest.approx(number + 273.15, rel=1e-12)
    assert ok.parameters["ambient_temperature"].unit == "degC"


def test_a_charge_in_C_has_no_temperature_hint():
    """C stays the coulomb where a charge is meant (or a length: refused)."""
    from hemcell.units import to_si

    assert to_si(3.6, "C", "A*h", "x") == pytest.approx(1e-3)
    with pytest.raises(InputError):
        to_si(3.0, "C", "m", "x")


def test_cycle_life_table_holds_no_efficiency_where_no_active_material_is_left(tmp_path):
    """`cell cycle-life` with a huge --cycles: the φ = 0 row of cycle_life.csv and the CE
    list of summary.json repeated the last evaluated CE (0.988 here) while
    `coulombic_efficiency_at_cycle` was null: no charge passes, the CE is undefined (as
    the strain amplitude of no particle); both are NaN in the table, null in the JSON."""
    import json
    import math

    import numpy as np

    from hemcell.workflows.anode_cycle_life import write_cycle_life_outputs
    from tests.cell.test_user_trial_u14 import _used_up_run

    res = _used_up_run(10**12)
    assert res.active_fraction[-1] == 0.0
    s = write_cycle_life_outputs(res, tmp_path, plots_on=False)
    assert s["coulombic_efficiency"][:-1] == pytest.approx([0.988] * (len(res.cycles) - 1))
    assert math.isnan(s["coulombic_efficiency"][-1])
    assert math.isnan(s["strain_amplitude"][-1])
    written = json.loads((tmp_path / "summary.json").read_text())
    assert written["coulombic_efficiency"][-1] is None
    assert written["strain_amplitude"][-1] is None
    assert written["coulombic_efficiency"][-2] == pytest.approx(0.988)
    lines = (tmp_path / "cycle_life.csv").read_text().splitlines()
    header = lines[0].split(",")
    last = dict(zip(header, lines[-1].split(","), strict=True))
    assert last["active_fraction"] == "0" and last["charge_capacity_mAh_per_g"] == "0"
    assert last["coulombic_efficiency"] == "nan" and last["particle_strain_amplitude"] == "nan"
    table = np.genfromtxt(tmp_path / "cycle_life.csv", delimiter=",", names=True)
    assert np.isnan(table["coulombic_efficiency"][-1])
    assert np.all(np.isfinite(table["coulombic_efficiency"][:-1]))
