"""Neware .nda/.ndax files read natively through NewareNDA (hemcell.measurements).

Fixtures: tests/fixtures/cycler/test.nda (a test channel at ±0.05 mA, 0.1-10 s records)
and test.ndax (a cell charged CCCV to 4.4 V and discharged CCCV to 1.5 V at 0.12 mA,
30 s records), from navani 0.1.22's source distribution (MIT; README.md there).
"""

from __future__ import annotations

import numpy as np
import pytest
import yaml

from hemcell.errors import InputError
from hemcell.measurements import (
    capacity_per_cycle,
    held_charge,
    neware_total_time,
    read_csv,
    read_measurement,
    read_neware_table,
)
from hemcell.resources import repo_root

pytest.importorskip("NewareNDA")

CYCLER = repo_root() / "tests" / "fixtures" / "cycler"
FILES = ("test.nda", "test.ndax")
MAH = 3.6  # A s per mAh
#: Beyond the charge of a step's first record interval (below): the recorded current's
#: resolution (0.1 µA of 120 µA: 0.08 %) and a CV step's current decaying within a 30 s
#: record period (forward hold, Σ|ΔI|Δt/Q = 0.13 % in test.ndax's discharge) sum to
#: 0.21 %; measured 0.25 % (test.ndax discharge), 0.09 % (test.nda charge).
HOLD_RTOL = 5e-3


def _step_bound(t, current, charge):
    """How far the held charge of one step may miss the cycler's capacity [A s]: the
    step's first record is written before its current is on (0 A in test.nda's steps)
    and is held for one record interval (10 s of a 500 s step: 2 %), plus HOLD_RTOL."""
    return float(np.max(np.abs(current)) * (t[1] - t[0]) + HOLD_RTOL * abs(charge))


@pytest.fixture(scope="module", params=FILES)
def neware(request):
    path = CYCLER / request.param
    return path, read_measurement(path, required=()), read_neware_table(path)


def test_total_time_sums_step_times():
    """Analytic: a step's first record (step time 0) is at the previous step's end."""
    t = neware_total_time(np.array([0, 1, 2, 0, 5, 0, 3.5]), np.array([1, 1, 1, 2, 2, 3, 3]))
    assert t.tolist() == [0, 1, 2, 2, 7, 7, 10.5]


def test_columns_units_and_time(neware):
    path, meas, table = neware
    assert {q: c.header for q, c in meas.columns.items()} == {
        "cycle": "Cycle", "step": "Step", "voltage": "Voltage", "current": "Current(mA)",
        "time": "Total Time", "capacity": "Capacity(mAh)"}
    assert meas.columns["current"].si_unit == "A" and meas.columns["capacity"].si_unit == "A*s"
    t = meas["time"]
    assert t[0] == 0 and np.all(np.diff(t) > 0)
    # the step times' sum: 5 + 25 + 50 + 100 + 500 + 41.6 s; 300 + 6 h + 6 h + 300 s
    total = {"test.nda": 721.6, "test.ndax": 43800.0}[path.name]
    assert t[-1] == pytest.approx(total, abs=1e-3)  # a step's end is moved back 1 ms at most
    # against the clock: its Timestamp is written to whole seconds
    clock = table["Timestamp"] - table["Timestamp"][0]
    assert np.max(np.abs(table["Total Time"] - clock)) <= 1.0
    assert np.allclose(meas["current"], -1e-3 * table["Current(mA)"], rtol=0, atol=0)


def test_voltages_in_the_tests_range(neware):
    path, meas, _ = neware
    v = meas["voltage"]
    if path.name == "test.ndax":  # charged to 4.4 V, discharged to 1.5 V (0.1 mV records)
        assert v.min() >= 1.5 - 1e-3 and v.max() <= 4.4 + 1e-3
        assert v.max() > 4.399 and v.min() < 1.5005
    else:  # a test channel, not a battery: -0.101 to -0.085 V
        assert -0.102 < v.min() and v.max() < -0.084


def test_neware_discharge_is_hemcells_positive_current(neware):
    """Neware's DChg rows carry a negative current: positive (a discharge) in hemcell, in
    both formats; a rest none."""
    _, meas, table = neware
    status, i = table["Status"], meas["current"]
    dchg = np.char.endswith(status.astype(str), "_DChg")
    chg = np.char.endswith(status.astype(str), "_Chg")
    rest = status == "Rest"
    assert dchg.any() and chg.any() and rest.any()
    assert np.all(i[dchg] >= 0) and np.all(i[chg] <= 0) and np.all(i[rest] == 0)
    assert np.count_nonzero(i[dchg]) > 0.9 * dchg.sum()
    # the voltage falls in a discharge, rises in a charge (the sign check passes)
    from hemcell.measurements import check_sign_by_voltage

    check_sign_by_voltage(meas)


def test_held_charge_matches_the_files_capacity_per_step(neware):
    """hemcell's reading of the current (held until the next record) against the charge
    and discharge capacity Neware integrates, step by step."""
    path, meas, table = neware
    t, i, step = meas["time"], meas["current"], meas["step"]
    # the file's columns, in hemcell's sign (a discharge positive), each from 0 in a step
    cap = (table["Discharge_Capacity(mAh)"] - table["Charge_Capacity(mAh)"]) * MAH
    assert np.allclose(meas["capacity"], cap, rtol=1e-12, atol=0)
    checked = 0
    for s in np.unique(step):
        rows = np.flatnonzero(step == s)
        q_file = cap[rows[-1]]
        if q_file == 0:
            continue  # a rest
        q_held = held_charge(t[rows], i[rows])[-1]
        bound = _step_bound(t[rows], i[rows], q_file)
        assert abs(q_held - q_file) <= bound, (path.name, s, q_held / MAH, q_file / MAH)
        checked += 1
    assert checked == {"test.nda": 3, "test.ndax": 2}[path.name]


def test_capacity_per_cycle_against_the_file(neware):
    """Cycles as NewareNDA numbers them with cycle_mode 'auto': test.nda (discharge
    first) has two (discharge, rest, charge, rest | discharge, rest), test.ndax one
    (rest, charge, discharge, rest). The per-cycle capacities are the steps' held charge,
    against the file's capacity columns."""
    path, meas, table = neware
    cycles = {"test.nda": [1, 2], "test.ndax": [1]}[path.name]
    assert list(dict.fromkeys(meas["cycle"].tolist())) == cycles
    for direction, column in (("discharge", "Discharge_Capacity(mAh)"),
                              ("charge", "Charge_Capacity(mAh)")):
        if path.name == "test.nda" and direction == "charge":
            with pytest.raises(InputError, match="cycles that each hold a charge"):
                capacity_per_cycle(meas, direction)  # its cycle 2 has no charge
            continue
        numbers, caps, per_mass = capacity_per_cycle(meas, direction)
        assert numbers.tolist() == cycles and not per_mass
        for n, q in zip(cycles, caps, strict=True):
            expected = bound = 0.0
            for s in np.unique(meas["step"][meas["cycle"] == n]):
                rows = np.flatnonzero(meas["step"] == s)
                q_step = table[column][rows[-1]] * MAH
                if q_step > 0:
                    expected += q_step
                    bound += _step_bound(meas["time"][rows], meas["current"][rows], q_step)
            assert abs(q - expected) <= bound, (path.name, direction, n, q, expected)


def _neware_csv(table, path):
    """The file as Neware's CSV export holds it: the current and capacity as Neware
    counts them (charge positive), read with a minus before the name."""
    cols = [("Cycle Index", "Cycle"), ("Step", "Step"), ("Total Time (s)", "Total Time"),
            ("-Current(mA)", "Current(mA)"), ("Voltage(V)", "Voltage"),
            ("-Capacity(mAh)", "Capacity(mAh)")]
    lines = [",".join(h for h, _ in cols)]
    lines += [",".join(repr(float(table[c][k])) for _, c in cols)
              for k in range(len(table["Index"]))]
    path.write_text("\n".join(lines) + "\n")
    return path


def test_same_measurement_as_its_csv_export(neware, tmp_path):
    """Everything downstream reads the .nda/.ndax as it reads the CSV export of it."""
    path, meas, table = neware
    csv = read_csv(_neware_csv(table, tmp_path / f"{path.stem}.csv"), required=())
    assert set(csv.columns) == set(meas.columns)
    for q in meas.columns:
        np.testing.assert_allclose(csv[q], meas[q], rtol=1e-12, atol=0, err_msg=q)
    for direction in ("discharge", "charge"):
        if path.name == "test.nda" and direction == "charge":
            continue
        assert np.allclose(capacity_per_cycle(csv, direction)[1],
                           capacity_per_cycle(meas, direction)[1], rtol=1e-12, atol=0)


def _fit_spec(tmp_path, data_file):
    spec = {"model": {"command": "cell run", "recipe": "hem_half_cell_sp",
                      "params": "heo_rocksalt_mgconicuzn"},
            "data": [{"file": str(data_file)}],
            "fit": {"parameters": {"conversion_exchange_current_density": {
                "initial": "3e-3 A/m**2", "bounds": ["1e-5 A/m**2", "1e-1 A/m**2"],
                "scale": "log"}}, "multistart": 1, "profile": False},
            "objective": {"signal": "voltage_vs_time", "noise": {"sigma": "5 mV"}}}
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False))
    return path


def _fit_exit_2(tmp_path, data_file, capsys):
    from hemcell.cli.main import main

    code = main(["fit", str(_fit_spec(tmp_path, data_file)), "--out", str(tmp_path / "out"),
                 "--no-plots"])
    err = capsys.readouterr().err
    assert code == 2, err
    assert "Traceback" not in err
    return err


@pytest.mark.parametrize("name", FILES)
def test_hemcell_fit_reads_the_file(tmp_path, capsys, name):
    """The CLI's reading path: the file is read and checked against the HEM anode's
    window [0.01, 3] V, which neither sample's chemistry lies in (exit 2 at its first
    record, named by file, column and record)."""
    err = _fit_exit_2(tmp_path, CYCLER / name, capsys)
    value = {"test.nda": "-0.0911 V", "test.ndax": "3.4666 V"}[name]
    assert f"{name}: column 'Voltage', row 1 (line 1): got '{value}'" in err


def _corrupt(tmp_path, kind):
    nda = (CYCLER / "test.nda").read_bytes()
    ndax = (CYCLER / "test.ndax").read_bytes()
    files = {"few_bytes.nda": b"NEWARE\x00\x01",  # its header cut after 8 bytes
             "cut.nda": nda[:2000],  # the header without records
             "export.nda": b"time [s],voltage [V]\n0,1.2\n1,1.1\n",  # not a Neware file
             "empty.nda": b"",
             "cut.ndax": ndax[: len(ndax) // 2],  # a zip without its directory
             "export.ndax": b"Total Time,Voltage\n0,3.4\n"}
    path = tmp_path / kind
    path.write_bytes(files[kind])
    return path


@pytest.mark.parametrize("kind", ["few_bytes.nda", "export.nda"])
def test_corrupt_or_foreign_file_exits_2_in_the_cli(tmp_path, capsys, kind):
    err = _fit_exit_2(tmp_path, _corrupt(tmp_path, kind), capsys)
    assert f"error: {kind}: got '" in err
    assert "a Neware .nda file NewareNDA can read" in err
    hint = "not a Neware file" if kind == "export.nda" else "damaged or cut short"
    assert hint in err


@pytest.mark.parametrize(("kind", "message"), [
    ("cut.nda", "EOFError: File does not contain any valid records."),
    ("empty.nda", "ValueError: cannot mmap an empty file"),
    ("cut.ndax", "BadZipFile: File is not a zip file"),
    ("export.ndax", "BadZipFile: File is not a zip file"),
])
def test_corrupt_or_foreign_file_is_input_error(tmp_path, kind, message):
    path = _corrupt(tmp_path, kind)
    with pytest.raises(InputError) as exc:
        read_measurement(path)
    assert exc.value.field == kind and message in str(exc.value)
    assert path.suffix in exc.value.allowed


def test_without_newarenda_installed(tmp_path, monkeypatch):
    """Without the optional reader: exit 2 naming how to install it, no ImportError."""
    import sys

    monkeypatch.setitem(sys.modules, "NewareNDA.NewareNDA", None)
    with pytest.raises(InputError) as exc:
        read_measurement(CYCLER / "test.nda")
    assert "hemcell[instruments]" in exc.value.hint
