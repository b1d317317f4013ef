"""User trial S20: a curve whose capacity column contradicts its current and time columns.

The synthetic 0.2 A/g curve with its capacity column doubled (a unit or active-mass slip
in that column alone) fitted without a word on it: each capacity was mapped to the model
time at which the current had passed it, and ``np.interp`` put every capacity beyond the
curve's end at its last time. The fit stopped at its bound (0.1 A/m**2 against the truth
1e-3, rmse 117 mV, "POOR"). Where a data set has times, the capacity column is now
checked against the charge its current (column or protocol) passed by each row.

With `voltage_vs_time` the capacity column is not compared, but it is the data's record of
the charge: a current column in A/kg that meant A/g (no protocol to check it against) ran
the model at a thousandth of the current, rmse 1.7 V, POOR at a bound. It is checked too,
from its first row, where it is one running count.
"""

from __future__ import annotations

import numpy as np
import pytest
import yaml

from hemcell.errors import InputError
from hemcell.resources import repo_root
from hemcell.workflows.fit import load_spec, make_problem

CURVE = repo_root() / "examples" / "data" / "synthetic_rate_0.2Ag.csv"


def _spec(tmp_path, capacity_factor=1.0, capacity_offset=0.0, current=True,
          signal="voltage_vs_capacity", current_header="current [mA/g]", current_factor=1.0,
          protocol=True):
    lines = [ln for ln in CURVE.read_text().splitlines() if not ln.startswith("#")]
    rows = [ln.split(",") for ln in lines[1:]]
    header = f"time [s],{current_header},voltage [V],capacity [mAh/g]" if current else \
        "time [s],voltage [V],capacity [mAh/g]"
    body = [[t, *([f"{float(i) * current_factor:g}"] if current else []), v,
             f"{float(q) * capacity_factor + capacity_offset:.5f}"] for t, i, v, q in rows]
    (tmp_path / "curve.csv").write_text(header + "\n" + "\n".join(map(",".join, body)) + "\n")
    spec = {"model": {"command": "cell run", "recipe": "hem_half_cell_sp",
                      "params": "heo_rocksalt_mgconicuzn",
                      "mechanisms": ["intercalation", "conversion", "alloying", "space_charge"]},
            "data": [{"file": "curve.csv",
                      **({"protocol": "Discharge at 0.2 A/g until 0.01 V"} if protocol else {})}],
            "fit": {"parameters": {"conversion_exchange_current_density": {
                "initial": "3e-3 A/m**2", "bounds": ["1e-5 A/m**2", "1e-1 A/m**2"]}},
                "multistart": 1, "profile": False},
            "objective": {"signal": signal, "noise": {"sigma": "5 mV"}}}
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(spec))
    return load_spec(path)


@pytest.mark.parametrize("current", [True, False])
def test_a_capacity_column_twice_the_charge_passed_is_refused(tmp_path, current):
    with pytest.raises(InputError) as exc:
        make_problem(_spec(tmp_path, capacity_factor=2.0, current=current))
    err = exc.value
    assert "curve.csv" in err.field and "capacity [mAh/g]" in err.field
    # the first row more than 2 % of the curve's 690 mAh/g (13.8) off: 34.79 against 17.4
    assert "row 4 " in err.field
    assert "34.79 mAh/g" in str(err.value) and "17.4 mAh/g" in err.allowed
    assert "within 2% of the curve's 690 mAh/g" in err.allowed
    assert "active_mass" in (err.hint or "")


def test_a_capacity_carried_over_from_an_earlier_step_is_refused(tmp_path):
    """A cycler's capacity that counts on from the step before (here +50 mAh/g) was mapped
    50 mAh/g (~15 min) late."""
    with pytest.raises(InputError) as exc:
        make_problem(_spec(tmp_path, capacity_offset=50.0))
    assert "row 1 " in exc.value.field and "first row" in (exc.value.hint or "")


def test_the_consistent_curve_is_read_as_before(tmp_path):
    """The shipped curve's capacities are the charge passed to its 5 written digits."""
    data = make_problem(_spec(tmp_path)).datasets[0]
    assert np.allclose(data.model_times_s, data.data_times_s, rtol=1e-5, atol=1e-3)


def test_voltage_vs_time_a_current_column_a_thousand_times_off_is_refused(tmp_path):
    with pytest.raises(InputError) as exc:
        make_problem(_spec(tmp_path, signal="voltage_vs_time", protocol=False,
                           current_header="current [A/kg]", current_factor=1e-3))
    err = exc.value
    assert "capacity [mAh/g]" in err.field and "since the first row" in str(err.value)
    assert "the column 'current [A/kg]' passed" in err.allowed
    assert "units of the current and capacity columns" in (err.hint or "")


def test_voltage_vs_time_a_doubled_capacity_column_is_refused(tmp_path):
    with pytest.raises(InputError) as exc:
        make_problem(_spec(tmp_path, signal="voltage_vs_time", capacity_factor=2.0))
    assert "row 4 " in exc.value.field


def test_voltage_vs_time_a_capacity_counted_on_from_an_earlier_step_is_read(tmp_path):
    """The model is driven by time and current: a capacity offset changes nothing."""
    data = make_problem(_spec(tmp_path, signal="voltage_vs_time", capacity_offset=50.0))
    assert np.array_equal(data.datasets[0].model_times_s, data.datasets[0].data_times_s)


def test_voltage_vs_time_a_discharge_and_charge_file_is_not_checked(tmp_path):
    """hemcell's own timeseries.csv of a discharge and a charge: the capacity column's
    convention over two directions differs between cyclers; the file is read."""
    lines = [ln for ln in CURVE.read_text().splitlines() if not ln.startswith("#")]
    rows = [ln.split(",") for ln in lines[1:]]
    t_end = float(rows[-1][0])
    back = [[f"{t_end + float(t) + 1:.3f}", f"-{i}", r[2], f"{999.0 - float(q):.5f}"]
            for (t, i, _, q), r in zip(rows, rows[::-1], strict=True)]  # the voltage walked back
    (tmp_path / "both.csv").write_text(
        "time [s],current [mA/g],voltage [V],capacity [mAh/g]\n"
        + "\n".join(map(",".join, [*rows, *back])) + "\n")
    spec = _spec(tmp_path, signal="voltage_vs_time", protocol=False)
    spec.data[0].file = tmp_path / "both.csv"
    problem = make_problem(spec)
    assert len(problem.datasets[0].data_times_s) == 2 * len(rows)
