"""User trial s21: the drift warning of a strided ``limetal cycle`` named one cycle.

With ``--stride 3`` a row of ``cycling_<anode>.csv`` stands for three cycles (``cycle``
to ``cycle_last``). ``--cycles 7 --stride 3`` at 253.15 K warned "the discharge capacity
still rose after cycle 2 (5.49 to 8.61 mAh/g)": 5.49 mAh/g is the solve standing for
cycles 2-4, 8.61 that for cycles 5-7. The warning now names both rows' cycles.
"""

from __future__ import annotations

import csv
import json

from hemcell.cli.main import main

DRIFT = "is state-of-charge drift, not a capacity gain"


def test_the_drift_warning_names_the_cycles_of_strided_rows(tmp_path, capsys):
    out = tmp_path / "stride"
    assert main(["limetal", "cycle", "--anode", "coated", "--cycles", "7", "--stride", "3",
                 "--no-plots", "--set", "ambient_temperature=253.15 K",
                 "--out", str(out)]) == 0
    err = capsys.readouterr().err
    with open(out / "cycling_coated.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [(int(r["cycle"]), int(r["cycle_last"])) for r in rows] == [(1, 1), (2, 4), (5, 7)]
    q = [float(r["discharge_capacity_mAh_per_g"]) for r in rows]
    drift = [w for w in json.loads((out / "summary.json").read_text())["warnings"]
             if DRIFT in w]
    assert len(drift) == 1 and drift[0] in err
    assert (f"from {q[1]:.3g} mAh/g in cycles 2-4 to {q[2]:.3g} mAh/g in cycles 5-7"
            in drift[0])
    assert "with --stride 3 one solve stands for the cycles of its row" in drift[0]
    assert "after cycle 2 (" not in drift[0]
