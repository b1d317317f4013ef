"""Measured data: CSV headers with units, row-by-row checks, an EC-Lab file via galvani."""

from __future__ import annotations

import numpy as np
import pytest

from hemcell.errors import InputError
from hemcell.measurements import (
    check_current_sign,
    check_voltage_window,
    read_csv,
    read_instrument,
    read_measurement,
)

GOOD = ("# synthetic test data\n"
        "time [min],current [mA/g],voltage [V],capacity [mAh/g]\n"
        "0,100,2.1,0\n1,100,1.5,1.6667\n2,100,1.2,3.3333\n")


def _write(tmp_path, text, name="data.csv"):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_csv_values_are_converted_to_si(tmp_path):
    m = read_csv(_write(tmp_path, GOOD))
    assert np.allclose(m["time"], [0, 60, 120])
    # 100 mA/g = 100 A/kg; 1.6667 mAh/g = 1.6667 * 3.6 C/g = 6000 C/kg
    assert m.columns["current"].si_unit == "A/kg" and np.allclose(m["current"], 100)
    assert m.columns["capacity"].per_mass and np.isclose(m["capacity"][1], 6000.12)
    assert len(m) == 3 and len(m.sha256) == 64


def _error(tmp_path, text) -> InputError:
    with pytest.raises(InputError) as exc:
        read_csv(_write(tmp_path, text))
    return exc.value


def test_non_monotonic_time_names_file_column_and_row(tmp_path):
    err = _error(tmp_path, "time [s],voltage [V]\n0,2\n10,1.9\n10,1.8\n20,1.7\n")
    assert "data.csv" in err.field and "time [s]" in err.field and "row 3" in err.field
    assert "line 4" in err.field


def test_nan_names_file_column_and_row(tmp_path):
    err = _error(tmp_path, "time [s],voltage [V]\n0,2\n10,nan\n20,1.7\n")
    assert "voltage [V]" in err.field and "row 2" in err.field
    err = _error(tmp_path, "time [s],voltage [V]\n0,2\n10,\n20,1.7\n")
    assert "row 2" in err.field


def test_unknown_and_missing_units(tmp_path):
    err = _error(tmp_path, "time [s],voltage [furlongs]\n0,2\n10,1.9\n")
    assert "column 2 'voltage [furlongs]'" in err.field
    err = _error(tmp_path, "time [s],voltage\n0,2\n10,1.9\n")
    assert "column 2 'voltage'" in err.field and "quantity [unit]" in err.allowed
    err = _error(tmp_path, "time [s],voltage [mA]\n0,2\n10,1.9\n")  # wrong dimension
    assert "unit of voltage" in err.allowed


def test_empty_file_and_header_only(tmp_path):
    err = _error(tmp_path, "")
    assert err.field == "data.csv" and "empty" in str(err.value)
    err = _error(tmp_path, "# only a comment\ntime [s],voltage [V]\n")
    assert "0 data row" in str(err.value) and "at least 2" in err.allowed


def test_current_sign_against_protocol(tmp_path):
    m = read_csv(_write(tmp_path, "time [s],current [mA],voltage [V]\n0,1,2\n10,1,1.9\n"
                                  "20,1,1.8\n"))
    check_current_sign(m, +1, "Discharge at 1 mA until 0.01 V")
    with pytest.raises(InputError) as exc:
        check_current_sign(m, -1, "Charge at 1 mA until 3 V")
    assert "current [mA]" in exc.value.field and "row 1" in exc.value.field
    assert exc.value.value == "1 mA"
    m = read_csv(_write(tmp_path, "time [s],current [mA],voltage [V]\n0,1,2\n10,1,1.9\n"
                                  "20,-1,1.8\n"))
    with pytest.raises(InputError) as exc:
        check_current_sign(m, +1, "Discharge at 1 mA until 0.01 V")
    assert "row 3" in exc.value.field and exc.value.value == "-1 mA"


def test_voltage_window(tmp_path):
    m = read_csv(_write(tmp_path, "time [s],voltage [V]\n0,3.2\n10,1.9\n"))
    check_voltage_window(m, 0.0, 3.5)
    with pytest.raises(InputError) as exc:
        check_voltage_window(m, 0.01, 3.0)
    assert "voltage [V]" in exc.value.field and "row 1" in exc.value.field


def _eclab_text(rows):
    """An EC-Lab ASCII export (.mpt) as the instrument software writes it (CRLF lines)."""
    header = "time/s\tEwe/V\tI/mA\t(Q-Qo)/mA.h\tcycle number"
    lines = ["EC-Lab ASCII FILE", "Nb header lines : 5", "", "Galvanostatic Cycling", header]
    lines += ["\t".join(f"{v:.6g}" for v in r) for r in rows]
    return ("\r\n".join(lines) + "\r\n").encode("ascii")


def test_eclab_mpt_through_galvani(tmp_path):
    """EC-Lab counts oxidation of the working electrode as positive: a lithiation of the
    anode (reduction) is negative there and a positive 'discharge' in hemcell."""
    path = tmp_path / "cell.mpt"
    path.write_bytes(_eclab_text([(0, 2.1, -0.5, 0, 1), (60, 1.2, -0.5, -0.00833, 1),
                                  (120, 0.9, -0.5, -0.01667, 1)]))
    m = read_measurement(path)
    assert np.allclose(m["time"], [0, 60, 120]) and np.allclose(m["voltage"], [2.1, 1.2, 0.9])
    assert np.allclose(m["current"], 0.5e-3)  # A, sign flipped to hemcell's
    assert np.allclose(m["capacity"], [0, 0.03, 0.06], rtol=1e-3)  # 1 mAh = 3.6 C
    assert m.columns["current"].header == "I/mA"


def test_eclab_bad_row_names_file_column_and_row(tmp_path):
    path = tmp_path / "cell.mpt"
    path.write_bytes(_eclab_text([(0, 2.1, -0.5, 0, 1), (60, 1.2, -0.5, 0, 1),
                                  (30, 0.9, -0.5, 0, 1)]))
    with pytest.raises(InputError) as exc:
        read_instrument(path)
    assert "cell.mpt" in exc.value.field and "time/s" in exc.value.field
    assert "row 3" in exc.value.field


def test_unreadable_instrument_file(tmp_path):
    path = tmp_path / "junk.mpr"
    path.write_bytes(b"not a BioLogic file")
    with pytest.raises(InputError) as exc:
        read_measurement(path)
    assert exc.value.field == "junk.mpr"
