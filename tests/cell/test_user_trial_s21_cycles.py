"""User trial s21: ``cell run --cycles 3`` with a discharge-only protocol.

``hemcell cell run hem_half_cell_sp --params heo_rocksalt_mgconicuzn --protocol
"Discharge at 1 A/g until 0.01 V" --cycles 3`` discharged the cell once, then failed at
step 2 (exit 1, "protocol stopped at step 2 of 3 ..."): repetition 2 starts at the
0.01 V where repetition 1 ended. Nothing in the protocol returns the cell, so the
repetition is refused before any solve (exit 2, naming ``--cycles`` and the protocol),
as PyBaMM refuses the same experiment at its second cycle. Protocols that do return it
(a charge, a rest) or never aim at a cut-off (time-limited pulses) still repeat.
"""

from __future__ import annotations

import pytest

from hemcell.cell.protocols import build_experiment
from hemcell.errors import InputError

MASS_G = 0.001
WINDOW_V = (0.01, 3.0)


def _build(protocol: str, cycles: int) -> None:
    build_experiment(protocol, MASS_G, cycles, nominal_capacity_Ah=1e-3, window_V=WINDOW_V)


@pytest.mark.parametrize("protocol, direction", [
    ("Discharge at 1 A/g until 0.01 V", "discharge"),
    ("Discharge at 1 A/g until 0.01 V; Discharge at 0.1 A/g until 0.01 V", "discharge"),
    ("Discharge at 1 A/g until 0.01 V; Hold at 0.01 V until 10 mA/g", "discharge"),
    ("Charge at 1C until 3 V", "charge"),
])
def test_a_protocol_that_never_returns_the_cell_is_not_repeated(protocol, direction):
    with pytest.raises(InputError) as err:
        _build(protocol, 3)
    text = str(err.value)
    assert err.value.field == "--cycles" and err.value.value == 3
    assert protocol in text and f"only {direction} steps and no rest" in text
    assert "--cycles 1" in (err.value.hint or "")
    _build(protocol, 1)  # once is fine


@pytest.mark.parametrize("protocol", [
    "Discharge at 1 A/g until 0.01 V; Charge at 1 A/g until 3 V",     # cycles the cell
    "Discharge at 1 A/g until 0.01 V; Rest for 10 minutes",            # relaxes between
    "Discharge at 0.05 A/g for 10 minutes; Rest for 1 hour",           # GITT
    "Discharge at 0.1 A/g for 1 hour",                                  # staircase, on time
])
def test_protocols_that_return_the_cell_or_end_on_time_repeat(protocol):
    _build(protocol, 3)


def test_cell_run_refuses_before_any_solve_and_writes_no_folder(tmp_path, capsys):
    from hemcell.cli.main import main

    out = tmp_path / "dis3"
    code = main(["cell", "run", "hem_half_cell_sp", "--params", "heo_rocksalt_mgconicuzn",
                 "--protocol", "Discharge at 1 A/g until 0.01 V", "--cycles", "3",
                 "--no-plots", "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2
    assert "--cycles: got 3" in err and "'Discharge at 1 A/g until 0.01 V'" in err
    assert not out.exists()
