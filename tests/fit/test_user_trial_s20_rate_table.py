"""User trial S20: a `limetal rate` fit's C-rate column as users write it.

- ``C-rate (C)`` / ``c_rate [C]``, as papers and cyclers label a C-rate, was refused ("a
  unit of c_rate: one convertible to 1/s"): a coulomb cannot be a C-rate, so in a
  ``c_rate`` column ``C`` is read as the C-rate (1C = 1/h), as ``C`` is read as degC
  where a temperature is meant.
- ``c_rate [1/s]`` for values meant per hour ran the cell at 3600C: the model's refusal
  named ``C-rate (--c-rates, --c-rate)`` (options of another command) after a SUNDIALS
  error line. It now names the data file's column.
"""

from __future__ import annotations

import numpy as np
import pytest
import yaml

from hemcell.errors import InputError
from hemcell.measurements import read_measurement
from hemcell.resources import repo_root
from hemcell.workflows.fit import load_spec, make_problem

SPEC = repo_root() / "examples" / "fits" / "limetal_fit_rate.yaml"


def _spec(tmp_path, header):
    (tmp_path / "rate.csv").write_text(f"{header},capacity [mAh/g]\n0.1,152.8\n1,143.6\n4,115.5\n")
    raw = yaml.safe_load(SPEC.read_text())
    raw["data"][0]["file"] = "rate.csv"
    raw["fit"]["profile"] = False
    (tmp_path / "spec.yaml").write_text(yaml.safe_dump(raw))
    return load_spec(tmp_path / "spec.yaml")


@pytest.mark.parametrize("header", ["c_rate [C]", "C-rate (C)", "C_rate [C]"])
def test_a_c_rate_column_in_C_is_read_per_hour(tmp_path, header):
    (tmp_path / "t.csv").write_text(f"{header},capacity [mAh/g]\n0.1,152.8\n4,115.5\n")
    meas = read_measurement(tmp_path / "t.csv", required=("c_rate", "capacity"))
    assert np.allclose(meas["c_rate"] * 3600.0, [0.1, 4.0])


def test_a_coulomb_is_still_no_unit_of_other_columns(tmp_path):
    (tmp_path / "t.csv").write_text("time [C],voltage [V]\n0,3\n1,3.1\n")
    with pytest.raises(InputError):
        read_measurement(tmp_path / "t.csv", required=("time", "voltage"))


def test_the_rate_problem_takes_the_C_column_as_the_1_per_h_one(tmp_path):
    assert make_problem(_spec(tmp_path, "c_rate [C]")).c_rates == [0.1, 1.0, 4.0]


def test_a_c_rate_the_cell_cannot_start_at_names_the_data_column(tmp_path):
    problem = make_problem(_spec(tmp_path, "c_rate [1/s]"))  # 360, 3600, 14400 C
    with pytest.raises(InputError) as exc:
        problem.model_signals(problem.x0)
    err = exc.value
    assert err.field == "rate.csv: column 'c_rate [1/s]'"
    assert "--c-rate" not in err.field and "3600C" in str(err.value)
    assert "[1/h]" in (err.hint or "")
