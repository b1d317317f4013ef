"""User trial s21 (H5): ``params export --format`` spellings.

``hemcell params export cathode_he_o3_fecontisnli --format PyBaMM`` was refused ("got
'PyBaMM'; allowed: si, pybamm, bpx-partial") while ``--ion na`` is taken as Na; the
format is now read in any case. A near miss (``bpx_partial``) is named with the format it
resembles.
"""

from hemcell.cli.main import main

SET = "cathode_he_o3_fecontisnli"


def test_the_format_is_read_in_any_case(tmp_path):
    assert main(["params", "export", SET, "--format", "PyBaMM", "--out",
                 str(tmp_path / "p")]) == 0
    assert (tmp_path / "p" / f"{SET}.pybamm.json").is_file()
    assert main(["params", "export", SET, "--format", "SI", "--out", str(tmp_path / "s")]) == 0
    assert (tmp_path / "s" / "parameters_si.json").is_file()


def test_a_near_miss_names_the_format(tmp_path, capsys):
    assert main(["params", "export", SET, "--format", "bpx_partial", "--out",
                 str(tmp_path / "b")]) == 2
    err = capsys.readouterr().err
    assert "--format: got 'bpx_partial'; allowed: si, pybamm, bpx-partial" in err
    assert "did you mean bpx-partial?" in err
    assert not (tmp_path / "b").exists()
