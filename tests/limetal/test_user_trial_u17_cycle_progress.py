"""User trial u17: ``hemcell limetal cycle`` reports its cycles on stderr.

``hemcell limetal cycle --anode both --cycles 3000 --no-plots --out DIR > log 2>&1`` ran
for more than 100 s without a line (``cell run`` writes ``[60 s] cycle 136 of 300 done,
ETA 73 s`` once a minute); now the same line per anode, at the end of a cycle once
:data:`hemcell.progress.LINE_INTERVAL_S` of wall time has passed (here every cycle: the
interval set to 0, so the test does not depend on timing).
"""

from __future__ import annotations

import hemcell.progress
from hemcell.cli.main import main
from hemcell.progress import cycle_line


def test_cycle_writes_a_line_per_cycle_once_the_interval_has_passed(monkeypatch, tmp_path,
                                                                  capsys):
    monkeypatch.setattr(hemcell.progress, "LINE_INTERVAL_S", 0.0)
    assert main(["limetal", "cycle", "--anode", "both", "--cycles", "3", "--no-plots",
                 "--out", str(tmp_path / "o")]) == 0
    captured = capsys.readouterr()
    lines = [x for x in captured.err.splitlines() if "done" in x]
    assert [x.split("] ", 1)[1].split(",")[0] for x in lines] == [
        f"{a} Li: cycle {n} of 3 done" for a in ("bare", "coated") for n in (1, 2, 3)]
    assert "ETA" in lines[0] and "ETA" not in lines[2]
    assert "done" not in captured.out  # stdout keeps the results alone


def test_the_line_is_the_cell_runs():
    assert cycle_line(61.2, 40, 1000) == "[61 s] cycle 40 of 1000 done, ETA 1469 s"
    assert cycle_line(61.2, 1000, 1000, "bare Li") == "[61 s] bare Li: cycle 1000 of 1000 done"
