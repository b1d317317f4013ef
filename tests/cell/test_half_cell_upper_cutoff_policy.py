"""A HEM half-cell protocol above the anode set's ``upper_voltage_cutoff`` is not refused
(docs/cathodes.md, "Voltage limits: refused or warned").

The decision rests on the physics of the values: a cathode set's window is the measured
window of its source, so a voltage outside it is refused (exit 2,
``hemcell.cell.cathodes.check_cathode_cell``); the anode sets' upper cut-off is an
``assumed`` protocol convention ("common upper cut-off of oxide conversion anodes in
half-cells"), not a sourced stability limit, and the model holds almost no charge above
it. Checks: every shipped anode set's upper cut-off is still ``assumed`` (a set that
sources it as a stability limit must be refused instead: this test then fails); a charge
to 3.5 V runs to 3.5 V and adds < 0.1 % to the 3.0 V charge; a charge to 4.9 V, which
the model's own event at the cut-off + 1 V would end (PyBaMM moves a model's voltage
events 1 V outwards inside an experiment), is refused before solving
(``hemcell.cell.protocols.check_voltages_reachable``).
"""

from __future__ import annotations

import json

import numpy as np
import pytest

pytest.importorskip("pybamm")

from hemcell.cli.main import main
from hemcell.params import load_parameter_set

PARAMS = "heo_rocksalt_mgconicuzn"
ANODE_SETS = (PARAMS, "heo_spinel_lifeznnicomn", "fes_space_charge", "mep_ingesip3")


@pytest.mark.parametrize("name", ANODE_SETS)
def test_the_anode_sets_upper_cut_off_is_assumed(name):
    par = load_parameter_set(name).parameters["upper_voltage_cutoff"]
    assert set(par.source) == {"assumed"}, par.source
    assert par.value == 3.0


def _charge(tmp_path, volts: str, capsys):
    out = tmp_path / volts
    code = main(["cell", "run", "hem_half_cell_sp", "--params", PARAMS, "--protocol",
                 f"Discharge at 0.1 A/g until 0.01 V; Charge at 0.1 A/g until {volts} V",
                 "--out", str(out), "--no-plots"])
    summary = json.loads((out / "summary.json").read_text())
    v = np.loadtxt(out / "timeseries.csv", delimiter=",", skiprows=1,
                   usecols=[(out / "timeseries.csv").read_text().splitlines()[0]
                            .split(",").index("voltage_V")])
    return code, summary, float(v.max()), capsys.readouterr().err


def test_a_charge_above_the_cut_off_runs_and_holds_almost_nothing_more(tmp_path, capsys):
    code, at_3, top_3, _ = _charge(tmp_path, "3.0", capsys)
    assert code == 0 and top_3 == pytest.approx(3.0, abs=1e-3)
    code, at_35, top_35, err = _charge(tmp_path, "3.5", capsys)
    assert code == 0 and top_35 == pytest.approx(3.5, abs=1e-3)
    assert "ended step" not in err
    q3, q35 = at_3["charge_capacity_mAh_per_g"][0], at_35["charge_capacity_mAh_per_g"][0]
    assert q3 < q35 < 1.001 * q3


def test_far_above_the_model_event_is_refused(tmp_path, capsys):
    # the model's own event at the cut-off + 1 V would end the step there (it had, with a
    # warning): a voltage it never lets the step reach is refused before solving
    code = main(["cell", "run", "hem_half_cell_sp", "--params", PARAMS, "--protocol",
                 "Discharge at 0.1 A/g until 0.01 V; Charge at 0.1 A/g until 4.9 V",
                 "--out", str(tmp_path / "o"), "--no-plots"])
    err = capsys.readouterr().err
    assert code == 2 and "voltages between 0 and 4 V" in err and "4.9 V is never reached" in err
    assert not (tmp_path / "o").exists()
