"""User trial u19: a step ended by a model event is said in hemcell's words.

``hemcell cell run hem_half_cell_sp --params heo_rocksalt_mgconicuzn --protocol "Discharge
at 1C until 0.01 V; Charge at 1C until 6 V"`` printed PyBaMM's log line "<date> -
[WARNING] callbacks.on_experiment_infeasible_event(245):" and its message over three lines
(the charge ended at the set's upper cut-off, the model's "Maximum voltage [V]" event).
"""

from __future__ import annotations

import logging

import pybamm

from hemcell.cli.main import main


def test_a_step_ended_by_a_model_event_is_one_hemcell_warning(tmp_path, capsys):
    records: list[logging.LogRecord] = []
    handler = logging.Handler(logging.WARNING)
    handler.emit = records.append  # type: ignore[method-assign]
    pybamm.logger.addHandler(handler)
    try:
        # (a charge "until 6 V", past the voltage event, is refused before solving now;
        # the pores' electrolyte running out is a model event that ends a step)
        assert main(["cell", "run", "hem_half_cell_p2d", "--params", "fes_space_charge",
                     "--ion", "Na", "--protocol", "Discharge at 2 A/g until 0.01 V",
                     "--no-plots", "--out", str(tmp_path / "o")]) == 0
    finally:
        pybamm.logger.removeHandler(handler)
    err = capsys.readouterr().err
    assert [r.getMessage() for r in records] == []
    assert ("warning: 'event: Zero electrolyte concentration cut-off' ended step 1 of cycle "
            "1 ('Discharge at " in err and "the experiment stops there" in err)
