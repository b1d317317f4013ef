"""User trial u17: a failed step is said once, by hemcell's error line.

``hemcell cell run hem_half_cell_sp --params heo_rocksalt_mgconicuzn --protocol "Discharge at
1e6 A/g until 0.01 V"`` (and ``cell cv --scan-rates 1e6``) printed PyBaMM's log line
"2026-12-07 01:49:18.456 - [ERROR] callbacks.on_experiment_error(226): Simulation error:
..." before hemcell's "error: solver failed in the first step ...": PyBaMM adds its own
logging callback to a run that has none.
"""

from __future__ import annotations

import logging

import pybamm
import pytest

from hemcell.cli.main import main

SET = ["hem_half_cell_sp", "--params", "heo_rocksalt_mgconicuzn", "--no-plots"]


@pytest.mark.parametrize("argv", [
    # (1e6 A/g is refused as input now: its ohmic drop alone spans the window)
    ["cell", "run", *SET, "--protocol", "Discharge at 10 W until 0.01 V"],
    # 1e6 mV/s failed at its start until the drive's start offset grew with the rate
    # (anode_cv.start_offset_V); a window to 6 V fails the solve at 2 mV/s
    ["cell", "cv", *SET, "--scan-rates", "2", "--window", "0.01,6", "--cycles", "1"],
], ids=["run", "cv"])
def test_no_pybamm_log_line_besides_the_error(tmp_path, capsys, argv):
    records: list[logging.LogRecord] = []
    handler = logging.Handler(logging.WARNING)
    handler.emit = records.append  # type: ignore[method-assign]
    pybamm.logger.addHandler(handler)  # PyBaMM's logger writes to the stderr of its import
    try:
        assert main([*argv, "--out", str(tmp_path / "o")]) == 1
    finally:
        pybamm.logger.removeHandler(handler)
    assert "error: " in capsys.readouterr().err
    assert [r.getMessage() for r in records if r.levelno >= logging.ERROR] == []
