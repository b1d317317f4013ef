"""User trial S20: ``limetal rate --c-rates 0.1,20000`` printed SUNDIALS' raw
"[ERROR][rank 0][.../idas_ic.c:1411][IDAICFailFlag] The linesearch algorithm failed"
line (twice: the all-rates solve and the one-rate check) before hemcell's refusal of the
C-rate the cell cannot start at. The refusal stays and the line is gone. (Session 21:
SUNDIALS' error lines go to the null device through its own setting,
``SUNLOGGER_ERROR_FILENAME``, instead of holding file descriptor 2 during the solve;
tests/limetal/test_user_trial_s21_c_rate_start.py.)
"""

from __future__ import annotations

from hemcell.cli.main import main


def test_impossible_c_rate_refusal_without_the_raw_sundials_line(tmp_path, capfd):
    out = tmp_path / "o"
    code = main(["limetal", "rate", "--c-rates", "0.1,20000", "--no-plots",
                 "--out", str(out)])
    err = capfd.readouterr().err
    assert code == 2
    assert "error: C-rate (--c-rates, --c-rate): got '2e+04C" in err
    assert "starts inside its cut-offs 2.5-4 V" in err
    assert "[ERROR]" not in err and "IDAICFailFlag" not in err
