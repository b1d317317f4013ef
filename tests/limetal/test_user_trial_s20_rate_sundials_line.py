"""User trial S20: ``limetal rate --c-rates 0.1,20000`` printed SUNDIALS' raw
"[ERROR][rank 0][.../idas_ic.c:1411][IDAICFailFlag] The linesearch algorithm failed"
line (twice: the all-rates solve and the one-rate check) before hemcell's refusal of the
C-rate the cell cannot start at. The refusal stays and the line is gone; any other
outcome of a solve still writes what the library printed.
"""

from __future__ import annotations

import os

from hemcell.cli.main import main
from hemcell.limetal.halfcell import _held_stderr


def test_impossible_c_rate_refusal_without_the_raw_sundials_line(tmp_path, capfd):
    out = tmp_path / "o"
    code = main(["limetal", "rate", "--c-rates", "0.1,20000", "--no-plots",
                 "--out", str(out)])
    err = capfd.readouterr().err
    assert code == 2
    assert "error: C-rate (--c-rates, --c-rate): got '2e+04C" in err
    assert "starts inside its cut-offs 2.5-4 V" in err
    assert "[ERROR]" not in err and "IDAICFailFlag" not in err


def test_held_stderr_writes_out_unless_dropped(capfd):
    """A real failure keeps the library's line: only the refusal drops it."""
    with _held_stderr():
        os.write(2, b"[ERROR] a real failure\n")
    assert capfd.readouterr().err == "[ERROR] a real failure\n"
    with _held_stderr() as held:
        os.write(2, b"[ERROR] the beyond-cut-off start\n")
        held.drop = True
    assert capfd.readouterr().err == ""
