"""User trial s15: a full cell whose anode mechanisms hold none of the carrier ion.

``cell run hem_full_cell_k_pba --ion K --mechanisms alloying`` (or ``space_charge``)
ended in "unexpected ZeroDivisionError" (exit 1): the anode is sized to hold N/P times
the cathode's capacity, m = (N/P) q_cathode / Q_theoretical, and with K those mechanisms'
theoretical capacity is 0 (no metal from conversion to alloy or to charge).
"""

from __future__ import annotations

import pytest

from hemcell.cli.main import main


@pytest.mark.parametrize("mechanisms", ["alloying", "space_charge"])
def test_an_anode_that_holds_no_carrier_is_refused(tmp_path, capsys, mechanisms):
    code = main(["cell", "run", "hem_full_cell_k_pba", "--params", "heo_rocksalt_mgconicuzn",
                 "--ion", "K", "--mechanisms", mechanisms, "--protocol",
                 "Charge at C/5 until 4.0 V", "--no-plots", "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert code == 2, err
    assert f"--mechanisms: got '{mechanisms}'" in err
    assert f"{mechanisms} 0 mAh/g" in err and "N/P ratio 1.1" in err
    assert "ZeroDivisionError" not in err


def test_the_depletion_hint_does_not_promise_a_warmer_na_or_k_cell():
    """A K full cell's pores ran out at 2C; the hint offered "a higher temperature", which
    moves nothing in the Na/K electrolyte tables (298.15 K only, warned by the run)."""
    from types import SimpleNamespace

    import numpy as np

    from hemcell.workflows.anode import _stopped_by_model_event

    step = SimpleNamespace(termination="event: Zero electrolyte concentration cut-off",
                           t=np.array([0.0, 169.8]))
    err = _stopped_by_model_event([step], ["Charge at 2C until 4.0 V", "Discharge"], 2)
    assert err is not None and "t = 169.8 s" in str(err)
    assert "the Na and K tables are at 298.15 K only" in err.hint
