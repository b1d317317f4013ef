"""User trial S18: a duration or cycle count far beyond the cell's life.

``hemcell limetal symmetric --anode both --hours 1e9`` printed nothing for minutes: the
constant-current schedule was a list of one tuple per cycle (5e8 at 1 mA/cm² and
1 mAh/cm²), built and walked twice before the first cycle, where the cells fail after
570 h (bare) and 7531 h (coated). ``hemcell limetal licu --cycles N`` wrote N rows to
``licu_<anode>.csv`` whatever cycle the cell failed in (cycles 107-3000 of a bare cell
that failed in cycle 106 as empty rows; 1e8 rows for ``--cycles 100000000``), where
``symmetric_<anode>.csv`` holds the cycles that ran.
"""

from __future__ import annotations

import csv

import pytest

from hemcell.cli.main import main
from hemcell.limetal.parameters import cell_parameters, load_anode_set
from hemcell.limetal.symmetric import RepeatedCycle, run_symmetric

I_A_PER_M2, Q_C_PER_M2 = 10.0, 36.0  # 1 mA/cm², 1 mAh/cm²


def test_repeated_cycle_is_a_sequence_of_one_cycle():
    s = RepeatedCycle((10.0, 36.0), 5)
    assert len(s) == 5 and list(s) == [(10.0, 36.0)] * 5
    assert s[0] == s[-5] == (10.0, 36.0) and s[1:3] == [(10.0, 36.0)] * 2 and s[7:] == []
    with pytest.raises(IndexError):
        s[5]


def test_a_duration_beyond_the_failure_gives_the_failure():
    """The same cycles and failure for 1e9 h as for 2e4 h (both beyond the failure). The
    bare cell (fails after 570 h, 11 s for both runs); the coated one (7 531 h) runs the
    same schedule code for 150 s and is left to `hemcell limetal symmetric` trials."""
    anode = "bare"
    p = cell_parameters(load_anode_set(anode), anode)
    long = run_symmetric(p, I_A_PER_M2, Q_C_PER_M2, hours=1e9)
    short = run_symmetric(p, I_A_PER_M2, Q_C_PER_M2, hours=2e4)
    assert long.failure_cycle is not None and long.failure_cycle == short.failure_cycle
    assert long.overpotential_V == short.overpotential_V
    assert long.time_to_failure_h == short.time_to_failure_h


def test_licu_csv_holds_the_cycles_that_ran(tmp_path):
    out = tmp_path / "o"
    main(["limetal", "licu", "--anode", "bare", "--cycles", "3000", "--out", str(out),
          "--no-plots"])
    with (out / "licu_bare.csv").open() as fh:
        rows = list(csv.DictReader(fh))
    ran = len(rows)
    assert ran < 3000 and all(r["coulombic_efficiency"] for r in rows), ran
    assert [int(r["cycle"]) for r in rows] == list(range(1, ran + 1))


def test_too_little_electrolyte_is_named_in_microlitres(tmp_path, capsys):
    """`--set electrolyte_volume=2uL` was refused as 'got 2.0000000000000005e-09'."""
    assert main(["limetal", "cycle", "--anode", "coated", "--cycles", "3", "--set",
                 "electrolyte_volume=2uL", "--out", str(tmp_path / "o"), "--no-plots"]) == 2
    err = capsys.readouterr().err
    assert "electrolyte_volume: got '2 uL'" in err and "3.583 uL" in err, err
