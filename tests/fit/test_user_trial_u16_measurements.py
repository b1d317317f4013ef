"""User trial U16 of measured data files (`hemcell fit`): an angular frequency column,
rows with more cells than the header, and tables whose values must be magnitudes."""

from __future__ import annotations

import math

import numpy as np
import pytest

from hemcell.errors import InputError
from hemcell.measurements import read_csv

SPECTRUM = ((1000.0, 1.0, -0.5), (10.0, 3.0, -2.0), (0.1, 5.0, -1.0))


def _write(tmp_path, text, name="data.csv"):
    path = tmp_path / name
    path.write_text(text)
    return path


def _spectrum(tmp_path, unit, scale):
    rows = "".join(f"{f * scale:.12g},{zr},{zi}\n" for f, zr, zi in SPECTRUM)
    return read_csv(_write(tmp_path, f"frequency [{unit}],z_real [ohm],z_imag [ohm]\n{rows}"),
                    required=("frequency", "z_real", "z_imag"))


@pytest.mark.parametrize(("unit", "scale"), [("Hz", 1.0), ("kHz", 1e-3), ("rad/s", 2 * math.pi),
                                             ("1/s", 1.0), ("turn/s", 1.0)])
def test_an_angular_frequency_is_read_as_hertz(tmp_path, unit, scale):
    """pint counts the radian as dimensionless, so `frequency [rad/s]` was read as Hz: a
    spectrum given as ω was fitted 2π off in every time constant (the Li double-layer
    capacity 0.0319 F/m² for the truth 0.2)."""
    m = _spectrum(tmp_path, unit, scale)
    assert np.allclose(m["frequency"], [f for f, _, _ in SPECTRUM], rtol=1e-12)


def test_an_angle_in_another_quantity_is_refused(tmp_path):
    with pytest.raises(InputError) as exc:
        read_csv(_write(tmp_path, "time [rad*s],voltage [V]\n0,2\n1,1.9\n"))
    assert "time [rad*s]" in exc.value.field and "angle" in exc.value.allowed


def test_a_row_with_more_cells_than_the_header_is_refused(tmp_path):
    """Decimal commas in a comma-separated file: '2,09' became two cells, the extra cells
    were dropped and the voltage column read the current (refused as '200 V outside the
    model's window')."""
    with pytest.raises(InputError) as exc:
        read_csv(_write(tmp_path, "time [s],current [mA/g],voltage [V]\n"
                                  "0,200,2,09\n10,200,1,95\n"))
    assert exc.value.field == "data.csv: row 1 (line 2)", exc.value
    assert "at most 3 cells" in exc.value.allowed and "decimal comma" in exc.value.hint
    with pytest.raises(InputError) as exc:  # a rate table with a stray third cell
        read_csv(_write(tmp_path, "c_rate [1/h],capacity [mAh/g]\n0.1,152.8,7\n1,143.6\n"),
                 required=("c_rate", "capacity"))
    assert "row 1 (line 2)" in exc.value.field


def test_trailing_separators_quoted_headers_and_comment_lines_are_read(tmp_path):
    m = read_csv(_write(tmp_path, '"time [s]","voltage [V]",\n0,2.0,\n# pause\n10,1.9,\n'))
    assert np.allclose(m["voltage"], [2.0, 1.9])
    with pytest.raises(InputError) as exc:  # the line of a row after a comment line
        read_csv(_write(tmp_path, "time [s],voltage [V]\n0,2\n# pause\n10,x\n"))
    assert "row 2 (line 4)" in exc.value.field
    with pytest.raises(InputError) as exc:
        read_csv(_write(tmp_path, "time [s],voltage [V]\n0,2\n# pause\n10,nan\n"))
    assert "row 2 (line 4)" in exc.value.field


def test_semicolons_with_decimal_commas_and_a_bom_are_read(tmp_path):
    path = tmp_path / "eu.csv"
    path.write_bytes("\ufefftime [s];voltage [V]\n0;2,05\n10;1,95\n".encode("utf-8"))
    assert np.allclose(read_csv(path)["voltage"], [2.05, 1.95])


@pytest.mark.parametrize(("text", "required", "column", "row"), [
    # negative capacities of a rate table were fitted (both values at their bounds)
    ("c_rate [1/h],capacity [mAh/g]\n0.1,-152.8\n1,-143.6\n", ("c_rate", "capacity"),
     "capacity [mAh/g]", 1),
    # a C-rate of 0 was refused as `--c-rates: got [0.0, 1.0]`, not naming the file
    ("c_rate [1/h],capacity [mAh/g]\n0.1,152.8\n0,150\n", ("c_rate", "capacity"),
     "c_rate [1/h]", 2),
    # a current density of 0 crashed a nucleation fit (ZeroDivisionError, exit 1)
    ("current_density [mA/cm**2],areal_capacity [mAh/cm**2],overpotential [mV]\n0,1,237.8\n",
     ("current_density", "areal_capacity", "overpotential"), "current_density [mA/cm**2]", 1),
    # a negative overpotential was fitted to the shape factor's bound
    ("current_density [mA/cm**2],areal_capacity [mAh/cm**2],overpotential [mV]\n1,1,-237.8\n",
     ("current_density", "areal_capacity", "overpotential"), "overpotential [mV]", 1),
    # refused as `symmetric cell: got (10.0, 36000.0, 0.0)`, in SI, naming no file
    ("current_density [mA/cm**2],areal_capacity [mAh/cm**2],time_to_failure [h]\n1,1,0\n",
     ("current_density", "areal_capacity", "time_to_failure"), "time_to_failure [h]", 1),
    ("cycle [1],capacity [mAh/g]\n1,140\n5,-139\n", ("cycle", "capacity"),
     "capacity [mAh/g]", 2),
    ("cycle [1],retention [%]\n1,100\n300,-88\n", ("cycle", "retention"), "retention [%]", 2),
])
def test_a_table_value_that_must_be_a_magnitude_names_file_column_and_row(
        tmp_path, text, required, column, row):
    with pytest.raises(InputError) as exc:
        read_csv(_write(tmp_path, text), required=required)
    assert exc.value.field == f"data.csv: column '{column}', row {row} (line {row + 1})"
    assert "a magnitude" in exc.value.allowed
    negative = exc.value.value.startswith("-")
    assert (exc.value.hint is not None and "minus before its name" in exc.value.hint) == negative


def test_a_negated_table_column_and_a_curve_s_negative_capacity_are_read(tmp_path):
    m = read_csv(_write(tmp_path, "c_rate [1/h],-capacity [mAh/g]\n0.1,-152.8\n"),
                 required=("c_rate", "capacity"))
    assert m["capacity"][0] > 0
    m = read_csv(_write(tmp_path, "time [s],voltage [V],capacity [mAh/g]\n0,3,0\n10,3.1,-1\n"))
    assert m["capacity"][1] < 0  # a charge on a curve: its sign is the curve's direction
    m = read_csv(_write(tmp_path, "cycle [1],capacity [mAh/g]\n1,140\n400,0\n"),
                 required=("cycle", "capacity"))
    assert m["capacity"][1] == 0  # a dried-out cell's cycles hold nothing


def test_units_in_parentheses_or_after_a_slash_as_cyclers_write_them(tmp_path):
    """'Time (s)', 'Voltage (V)', 'Capacity (mAh/g)' and 'time/s' were refused ('allowed:
    a header quantity [unit]'): the cycler's own export had to be rewritten by hand."""
    text = ("Time (min),Current (mA/g),Voltage (V),Capacity (mAh/g)\n"
            "0,100,2.1,0\n1,100,1.5,1.6667\n")
    m = read_csv(_write(tmp_path, text))
    assert np.allclose(m["time"], [0, 60]) and np.allclose(m["current"], 100)
    m = read_csv(_write(tmp_path, "time/s,voltage/V,capacity/mAh/g\n0,2.1,0\n60,1.5,1.6667\n"))
    assert np.allclose(m["time"], [0, 60]) and m.columns["capacity"].per_mass
    m = read_csv(_write(tmp_path, "C-rate (1/h),Coulombic efficiency [%],-Z imag (ohm)\n"
                                  "1,99,2\n"), required=("c_rate",))
    assert np.isclose(m["c_rate"][0], 1 / 3600) and m["z_imag"][0] == -2


@pytest.mark.parametrize(("header", "written"), [("Ewe/V", "voltage [V]"),
                                                 ("I/mA", "-current [mA]")])
def test_an_eclab_column_name_in_a_csv_gets_its_hemcell_header(tmp_path, header, written):
    """EC-Lab's impedance names (``freq/Hz``, ``Re(Z)/Ohm``, ``-Im(Z)/Ohm``) are read as
    they are since session 18 (their sign is in the name;
    tests/fit/test_user_trial_s18_measurements.py); its current counts oxidation as
    positive, so ``I/mA`` still gets the header to write."""
    with pytest.raises(InputError) as exc:
        read_csv(_write(tmp_path, f"time [s],{header}\n0,1\n1,1\n"))
    assert header in exc.value.field and f"write '{written}'" in exc.value.hint


@pytest.mark.parametrize(("header", "advice"), [
    ("current [mA/cm**2]", "multiply it by the electrode area"),
    ("capacity [mAh/cm**2]", "loading (mg/cm²)"),
    ("z_real [ohm*cm**2]", "divide it by the electrode area for the cell's ohm"),
    # session 20: the cell's capacity where one per area is read got the resistance's words
    # ("an area-specific areal_capacity: divide it by the electrode area for the cell's ohm")
    ("areal_capacity [mAh]", "areal capacity is read per electrode area, e.g. [mAh/cm**2]"),
    ("current_density [mA]", "current density is read per electrode area, e.g. [mA/cm**2]")])
def test_an_areal_value_gets_advice_on_how_to_give_it(tmp_path, header, advice):
    """`current [mA/cm**2]` was refused as 'a unit of current: one convertible to A or
    A/kg' with no word on what to do with a per-area value."""
    with pytest.raises(InputError) as exc:
        read_csv(_write(tmp_path, f"time [s],voltage [V],{header}\n0,2,1\n1,1.9,1\n"))
    assert header in exc.value.field and advice in exc.value.hint
