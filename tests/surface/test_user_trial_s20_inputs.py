"""User trial S20 (surface): inputs a new user typed.

`hemcell surface thickness --thicknesses 28,28` was refused with
"got [2.8000000000000003e-08, 2.8000000000000003e-08]; allowed: distinct thicknesses":
metres with round-off for an option typed in nm.
"""

from __future__ import annotations


def test_a_thickness_given_twice_is_named_in_nm_as_typed(tmp_path, capsys):
    from hemcell.cli.main import main

    code = main(["surface", "thickness", "--thicknesses", "28,14,28", "--out",
                 str(tmp_path / "o"), "--no-plots"])
    err = capsys.readouterr().err
    assert code == 2
    assert "--thicknesses: got '28,14,28'" in err
    assert "distinct thicknesses (28 nm given more than once)" in err
    assert "e-08" not in err
    assert not (tmp_path / "o").exists()
