"""User trial S18 of measured data files: a European cycler export (BOM, CRLF,
semicolons, decimal commas, hours, amperes, ``mAh g-1``, a ``°C`` column), rows written
at one time at a step change, and a temperature column that the fit ignored."""

from __future__ import annotations

import numpy as np
import pytest
import yaml

from hemcell.cli.main import main
from hemcell.errors import InputError
from hemcell.measurements import STEP_ROW_OFFSET_S, read_csv


def _write(tmp_path, text, name="data.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_a_european_cycler_export_is_read_in_si(tmp_path):
    """Every part of this header was refused or misread before: ``mAh g-1`` (pint read
    'g - 1': "Cannot add or subtract units", the message showing 'mA*h g-1') and the
    ``°C`` column ("an absolute temperature unit")."""
    text = ("Time (h);Step (1);Current (A);Voltage (V);Capacity/mAh g-1;Temperature (°C)\r\n"
            "0;1;0,0015;2,1;0;25,1\r\n0,5;1;0,0015;1,8;50,25;25,3\r\n")
    m = read_csv(_write(tmp_path, "\ufeff" + text))
    assert np.allclose(m["time"], [0.0, 1800.0], rtol=1e-12)
    assert np.allclose(m["current"], [1.5e-3, 1.5e-3], rtol=1e-12)
    assert np.allclose(m["capacity"], [0.0, 50.25 * 3.6e3], rtol=1e-12)  # A s/kg
    assert np.allclose(m["temperature"], [298.25, 298.45], rtol=1e-12)  # offset, not factor


@pytest.mark.parametrize(("unit", "si"), [("mAh g-1", 3.6e3), ("mAh g⁻¹", 3.6e3),
                                          ("mA h g-1", 3.6e3), ("Ah kg-1", 3.6e3),
                                          ("mAh cm-2", None)])
def test_exponents_written_after_the_unit(tmp_path, unit, si):
    """``g-1``, ``g⁻¹`` as papers write them; a capacity per area is refused (its hint)."""
    path = _write(tmp_path, f"cycle [1],capacity [{unit}]\n1,1\n")
    if si is None:
        with pytest.raises(InputError) as exc:
            read_csv(path, required=("cycle", "capacity"))
        assert exc.value.value == unit and "per electrode area" in exc.value.hint
        return
    assert read_csv(path, required=("cycle", "capacity"))["capacity"][0] == pytest.approx(si)


def test_an_unknown_unit_is_named_as_written(tmp_path):
    with pytest.raises(InputError) as exc:
        read_csv(_write(tmp_path, "time [s],voltage [Vlt]\n0,2\n1,1.9\n"))
    assert exc.value.value == "Vlt", exc.value


def test_a_repeated_time_at_a_step_change_is_the_previous_step_end(tmp_path):
    """A cycler (and hemcell's own timeseries.csv, rounded) writes a step's last row and
    the next step's first at one time; it was refused ('a strictly increasing time'), so a
    user's multi-step file could not be fitted without editing. The earlier row is read
    STEP_ROW_OFFSET_S before, at most half the gap to the row before."""
    m = read_csv(_write(tmp_path, "time [s],current [mA],voltage [V]\n0,1,2\n10,1,1.5\n"
                                  "10,0,1.6\n10.0015,-1,1.7\n10.0015,0,1.65\n20,0,1.6\n"))
    assert np.allclose(m["time"], [0, 10 - STEP_ROW_OFFSET_S, 10, 10.0015 - 0.00075,
                                   10.0015, 20], rtol=0, atol=1e-12)
    with pytest.raises(InputError) as exc:  # one time, no step change: a repeated row
        read_csv(_write(tmp_path, "time [s],current [mA],voltage [V]\n0,1,2\n10,1,1.5\n"
                                  "10,1,1.5\n20,1,1.4\n"))
    assert "row 3 (line 4)" in exc.value.field and "remove the repeated row" in exc.value.hint
    m = read_csv(_write(tmp_path, "time [s],step [1],voltage [V]\n0,1,2\n10,1,1.5\n"
                                  "10,2,1.6\n20,2,1.6\n"))  # the step counter changes
    assert m["time"][1] == 10 - STEP_ROW_OFFSET_S


def _spec(tmp_path, data, entry=None, model_set=()):
    spec = {"model": {"command": "cell run", "recipe": "hem_half_cell_sp",
                      "params": "heo_rocksalt_mgconicuzn", "set": list(model_set)},
            "data": [{"file": str(data), "protocol": "Discharge at 0.1 A/g until 0.01 V",
                      **(entry or {})}],
            "fit": {"parameters": {"conversion_exchange_current_density": {
                "initial": "3e-3 A/m**2", "bounds": ["1e-5 A/m**2", "1e-1 A/m**2"]}},
                "multistart": 1, "profile": False},
            "objective": {"noise": {"sigma": "3 mV"}}}
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(spec))
    return path


def _curve(tmp_path, temperature_header, value):
    rows = "".join(f"{600 * k},100,{2.0 - 0.1 * k},{value}\n" for k in range(5))
    return _write(tmp_path, f"time [s],current [mA/g],voltage [V],{temperature_header}\n{rows}")


@pytest.mark.parametrize(("header", "value", "says"), [
    ("temperature [K]", 318.15, ["'temperature [K]', row 1 (line 2)", "got '318.15 K'",
                                 "298.15 K (the parameter set's ambient_temperature)",
                                 "data[0].temperature: 318.15 K"]),
    ("Temperature (°C)", 45, ["got '45 °C'", "data[0].temperature: 318.15 K"]),
])
def test_a_temperature_column_off_the_simulated_one_exits_2(tmp_path, capsys, header, value,
                                                            says):
    """A curve whose file says 45 degC was fitted at the set's 25 degC, the column read
    and ignored: the fitted exchange current carried the Arrhenius factor and the written
    set claimed it at 25 degC."""
    spec = _spec(tmp_path, _curve(tmp_path, header, value))
    assert main(["fit", str(spec), "--out", str(tmp_path / "o"), "--no-plots"]) == 2
    err = capsys.readouterr().err
    for part in says:
        assert part in err, (part, err)


def test_a_temperature_column_at_the_simulated_one_is_accepted(tmp_path):
    """At the data set's own temperature (and within 1 K of it) the column agrees."""
    from hemcell.workflows.fit import load_spec, make_problem

    for entry, value in (({"temperature": "45 degC"}, 318.6), ({}, 25.4)):
        header = "temperature [K]" if value > 200 else "temperature [degC]"
        problem = make_problem(load_spec(_spec(tmp_path, _curve(tmp_path, header, value),
                                               entry)))
        assert problem.datasets[0].measurement["temperature"][0] == pytest.approx(
            value if value > 200 else value + 273.15)


#: A spectrum (f [Hz], Re Z [ohm], Im Z [ohm]): a capacitive arc.
ARC = ((1e4, 1.0, -0.2), (10.0, 30.0, -25.0), (0.01, 64.0, -0.5))


@pytest.mark.parametrize("form", ["gamry", "autolab", "eclab_text", "polar_deg", "polar_rad"])
def test_impedance_headers_as_eis_software_writes_them(tmp_path, form):
    """'Freq (Hz)', "Z' (Ohm)", "-Z'' (Ohm)" (Autolab, ZView), 'Zreal'/'Zimag' (Gamry)
    and a spectrum as modulus and phase were refused ("one of the quantities"; 'Ohm'
    "is not defined in the unit registry")."""
    import math

    head, row = {
        "gamry": ("Freq (Hz),Zreal (ohm),Zimag (ohm)", lambda f, r, i: (f, r, i)),
        "autolab": ("Frequency (Hz);Z' (Ω);-Z'' (Ω)", lambda f, r, i: (f, r, -i)),
        "eclab_text": ("freq/Hz,Re(Z)/Ohm,-Im(Z)/Ohm", lambda f, r, i: (f, r, -i)),
        "polar_deg": ("Freq (Hz),|Z| (kOhm),Phase (°)",
                      lambda f, r, i: (f, math.hypot(r, i) / 1e3,
                                       math.degrees(math.atan2(i, r)))),
        "polar_rad": ("frequency [Hz],Zmod [ohm],-phase [rad]",
                      lambda f, r, i: (f, math.hypot(r, i), -math.atan2(i, r))),
    }[form]
    sep = ";" if ";" in head else ","
    text = head + "\n" + "".join(sep.join(f"{v:.15g}" for v in row(*p)).replace(
        ".", "," if sep == ";" else ".") + "\n" for p in ARC)
    m = read_csv(_write(tmp_path, text), required=("frequency", "z_real", "z_imag"))
    assert np.allclose(m["frequency"], [p[0] for p in ARC], rtol=1e-12)
    assert np.allclose(m["z_real"], [p[1] for p in ARC], rtol=1e-12)
    assert np.allclose(m["z_imag"], [p[2] for p in ARC], rtol=1e-12)


@pytest.mark.parametrize(("head", "says"), [
    ("frequency [Hz],|Z| [ohm]", "one form of the impedance"),
    ("frequency [Hz],z_real [ohm],z_imag [ohm],phase [deg]", "one form of the impedance"),
    ("frequency [Hz],|Z| [ohm],phase [1]", "an angle"),
])
def test_a_half_polar_or_mixed_spectrum_is_refused(tmp_path, head, says):
    cells = ",".join(["1"] * (head.count(",") + 1))
    with pytest.raises(InputError) as exc:
        read_csv(_write(tmp_path, f"{head}\n{cells}\n{cells}\n"),
                 required=("frequency", "z_real", "z_imag"))
    assert says in exc.value.allowed, exc.value


def test_curve_columns_as_cyclers_name_them(tmp_path):
    """Arbin's 'Test_Time(s)', 'Specific Capacity (mAh g-1)', 'Potential (V)' were refused
    ("one of the quantities"); a step's own time is still no quantity (refused, named)."""
    m = read_csv(_write(tmp_path, "Test_Time(s),Potential (V),Specific Capacity (mAh g-1)\n"
                                  "0,2.1,0\n60,1.9,1.5\n"))
    assert np.allclose(m["time"], [0, 60]) and np.allclose(m["voltage"], [2.1, 1.9])
    assert m.columns["capacity"].per_mass and m["capacity"][1] == pytest.approx(5.4e3)
    m = read_csv(_write(tmp_path, "Total Time (h),Voltage (V)\n0,2.1\n0.5,1.9\n"))
    assert np.allclose(m["time"], [0, 1800])
    with pytest.raises(InputError) as exc:
        read_csv(_write(tmp_path, "Test_Time(s),Step_Time(s),Voltage(V)\n0,0,2\n1,1,1.9\n"))
    assert "column 2 'Step_Time(s)'" in exc.value.field and exc.value.value == "step_time"


def test_counters_without_a_unit(tmp_path):
    """Arbin's 'Cycle_Index' and 'Step_Index' and EC-Lab's 'cycle number' have no unit:
    refused ("a header 'quantity [unit]'"); a counter is read in [1]."""
    m = read_csv(_write(tmp_path, "Cycle_Index,Step_Index,Discharge_Capacity(mAh g-1)\n"
                                  "1,2,150\n2,2,149\n"), required=("cycle",))
    assert np.array_equal(m["cycle"], [1, 2]) and np.array_equal(m["step"], [2, 2])
    assert np.allclose(m["discharge_capacity"], [540e3, 536.4e3])
    m = read_csv(_write(tmp_path, "cycle number,retention [%]\n1,100\n"), required=("cycle",))
    assert m["cycle"][0] == 1
    with pytest.raises(InputError) as exc:  # a quantity with a unit still needs it
        read_csv(_write(tmp_path, "time,voltage [V]\n0,2\n1,1.9\n"))
    assert "a header 'quantity [unit]'" in exc.value.allowed


def _cycler_series(sign):
    """Two Li‖LFP cycles at 150 mA/g: charge (voltage up), rest, discharge (voltage
    down); ``sign`` +1 in hemcell's convention, -1 as Arbin, Neware, Maccor count."""
    lines, t = ["Test_Time(s),Cycle_Index,Current(mA/g),Voltage(V)"], 0.0
    for n, (qc, qd) in enumerate(((160.0, 150.0), (151.0, 150.5)), start=1):
        for k in range(5):
            lines.append(f"{t + k * qc / 150 * 900:.3f},{n},{-150 * sign},{3.4 + 0.05 * k}")
        t += qc / 150 * 3600
        lines.append(f"{t:.3f},{n},0,3.6")
        t += 600
        for k in range(5):
            lines.append(f"{t + k * qd / 150 * 900:.3f},{n},{150 * sign},{3.4 - 0.05 * k}")
        t += qd / 150 * 3600
        lines.append(f"{t:.3f},{n},0,3.0")
        t += 600
    return "\n".join(lines) + "\n"


def test_a_current_counted_the_other_way_is_refused(tmp_path):
    """A cycler time series with discharge counted negative gave its charge capacities
    as the per-cycle discharge capacity (160 for 150 mAh/g) without a word."""
    from hemcell.measurements import capacity_per_cycle

    good = read_csv(_write(tmp_path, _cycler_series(+1)), required=("time",))
    _, q, _ = capacity_per_cycle(good, "discharge")
    assert np.allclose(q / 3.6e3, [150.0, 150.5], rtol=1e-9)
    arbin = read_csv(_write(tmp_path, _cycler_series(-1)), required=("time",))
    with pytest.raises(InputError) as exc:
        capacity_per_cycle(arbin, "discharge")
    assert exc.value.field == "data.csv: column 'Current(mA/g)', row 1 (line 2)"
    assert "the voltage rises from 3.4 to 3.6 V" in str(exc.value.value)
    assert "'-Current(mA/g)'" in exc.value.hint
    negated = read_csv(_write(tmp_path, _cycler_series(-1).replace("Current(", "-Current(")),
                       required=("time",))
    assert np.allclose(capacity_per_cycle(negated, "discharge")[1], q)


def test_a_curve_with_its_discharge_counted_negative_exits_2(tmp_path, capsys):
    """Without a protocol the fit drove the model as a charge from the fresh state and
    reported a POOR fit (rmse 2.2 V) instead of the sign."""
    rows = "".join(f"{600 * k},-100,{2.0 - 0.1 * k}\n" for k in range(5))
    data = _write(tmp_path, f"time [s],current [mA/g],voltage [V]\n{rows}")
    spec = yaml.safe_load(_spec(tmp_path, data).read_text())
    del spec["data"][0]["protocol"]
    (tmp_path / "spec.yaml").write_text(yaml.safe_dump(spec))
    assert main(["fit", str(tmp_path / "spec.yaml"), "--out", str(tmp_path / "o"),
                 "--no-plots"]) == 2
    err = capsys.readouterr().err
    assert "column 'current [mA/g]', row 1 (line 2)" in err and "'-current [mA/g]'" in err


def test_a_clock_time_column(tmp_path):
    """Neware's and LAND's 'Total Time (h:min:s.ms)' was refused ("unknown operator ':'")."""
    m = read_csv(_write(tmp_path, "Total Time (h:min:s.ms);Current (mA);Voltage (V)\n"
                                  "0:00:00;1,5;2,1\n0:10:00,5;1,5;1,8\n25:00:01;1,5;1,7\n"))
    assert np.allclose(m["time"], [0.0, 600.5, 90001.0], rtol=0, atol=1e-9)
    m = read_csv(_write(tmp_path, 'Time (hh:mm:ss),Voltage (V)\n00:00:00,2\n'
                                  '"1 day, 00:00:05",1.9\n'))
    assert np.allclose(m["time"], [0.0, 86405.0])
    with pytest.raises(InputError) as exc:
        read_csv(_write(tmp_path, "Time (hh:mm:ss),Voltage (V)\n00:00:00,2\n00:61:00,1.9\n"))
    assert "row 2 (line 3)" in exc.value.field and "a clock time h:mm:ss" in exc.value.allowed


def test_a_spectrum_at_another_temperature_names_its_column(tmp_path, capsys):
    """The refusal named hemcell's own column 'temperature_K' whatever the file's was."""
    rows = "".join(f"45;{f:g};{r:g};{-i:g}\n".replace(".", ",") for f, r, i in ARC)
    data = _write(tmp_path, "Temperature (°C);Freq (Hz);Z' (Ohm);-Z'' (Ohm)\n" + rows)
    spec = {"model": {"command": "eis symmetric", "anode": "bare"},
            "data": [{"file": str(data)}],
            "fit": {"parameters": {"li_double_layer_capacity": {
                "initial": "0.05 F/m**2", "bounds": ["1e-3 F/m**2", "10 F/m**2"]}},
                "multistart": 1, "profile": False},
            "objective": {"signal": "impedance", "noise": {"sigma": "0.2 ohm"}}}
    (tmp_path / "spec.yaml").write_text(yaml.safe_dump(spec))
    assert main(["fit", str(tmp_path / "spec.yaml"), "--out", str(tmp_path / "o"),
                 "--no-plots"]) == 2
    err = capsys.readouterr().err
    assert "spectra at 318.15 K (column 'Temperature (°C)')" in err, err


def test_table_columns_as_papers_name_them(tmp_path):
    """'Nucleation overpotential (mV)', 'CE (%)' and 'Capacity retention (%)' were refused."""
    m = read_csv(_write(tmp_path, "Current density (mA cm-2),Areal capacity (mAh cm-2),"
                                  "Nucleation overpotential (mV)\n1,1,80.3\n"),
                 required=("current_density", "areal_capacity", "overpotential"))
    assert (m["current_density"][0], m["areal_capacity"][0], m["overpotential"][0]) == \
        pytest.approx((10.0, 3.6e4, 0.0803))
    m = read_csv(_write(tmp_path, "Cycle,CE (%),Capacity retention (%)\n300,99.4,88\n"),
                 required=("cycle", "coulombic_efficiency", "retention"))
    assert (m["coulombic_efficiency"][0], m["retention"][0]) == pytest.approx((0.994, 0.88))
