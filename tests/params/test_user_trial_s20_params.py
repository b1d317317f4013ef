"""User trial S20: a parameter file whose ``source`` is not a mapping.

A user writing a set by hand gave ``source: assumed`` (a string, not ``{assumed: why}``);
`hemcell params check my_set.yaml` stopped with "unexpected ValueError: dictionary update
sequence element #0 has length 1; 2 is required" and exit 1, a hemcell bug in the words
of its own hint. The file is bad input: exit 2 naming the entry's ``source`` and the
allowed source kinds, as for every other error of the file.
"""

from __future__ import annotations

import pytest

from hemcell.errors import InputError


@pytest.mark.parametrize("source", ["assumed", "[assumed, guess]", "3"])
def test_a_source_that_is_not_a_mapping_is_a_file_error(tmp_path, source):
    from hemcell.params import load_parameter_set

    path = tmp_path / "my_set.yaml"
    path.write_text("name: my_set\nkind: surface\ndescription: a hand-written set\n"
                    "parameters:\n"
                    f"  ambient_temperature: {{value: 300, unit: K, source: {source}}}\n")
    with pytest.raises(InputError) as err:
        load_parameter_set(str(path))
    text = str(err.value)
    assert "ambient_temperature.source" in text
    assert "a mapping with one source kind of" in text and "'assumed'" in text


def test_params_check_exits_2_on_a_string_source(tmp_path, capsys):
    from hemcell.cli.main import main

    path = tmp_path / "my_set.yaml"
    path.write_text("name: my_set\nkind: surface\ndescription: a hand-written set\n"
                    "parameters:\n"
                    "  ambient_temperature: {value: 300, unit: K, source: assumed}\n")
    assert main(["params", "check", str(path)]) == 2
    out = capsys.readouterr()
    text = out.out + out.err
    assert "ambient_temperature.source" in text
    assert "unexpected" not in text


@pytest.mark.parametrize("content", ["{}", "", "time [s],voltage [V]\n0,3\n"])
def test_params_import_of_a_bad_file_leaves_no_out_folder(tmp_path, capsys, content):
    """`params import` made its --out folder before reading the file: a file that is no
    BPX (empty, ``{}``, a CSV) exited 2 and left an empty folder, which other commands
    do not (a bad input writes nothing)."""
    from hemcell.cli.main import main

    path = tmp_path / "cell.json"
    path.write_text(content)
    out = tmp_path / "sets"
    assert main(["params", "import", str(path), "--out", str(out)]) == 2
    assert "BPX" in capsys.readouterr().err
    assert not out.exists()


def test_params_check_ion_without_for_is_refused(capsys):
    """`params check heo_rocksalt_mgconicuzn --ion K` printed the plain check and exit 0:
    the ion, read only with --for, was ignored without a word."""
    from hemcell.cli.main import main

    assert main(["params", "check", "heo_rocksalt_mgconicuzn", "--ion", "K"]) == 2
    err = capsys.readouterr().err
    assert "--ion" in err and "--for RECIPE" in err


def test_params_check_ion_with_for_still_runs(capsys):
    from hemcell.cli.main import main

    assert main(["params", "check", "heo_rocksalt_mgconicuzn", "--for", "hem_half_cell_sp",
                 "--ion", "K"]) == 0
    assert "ok   heo_rocksalt_mgconicuzn for hem_half_cell_sp" in capsys.readouterr().out


@pytest.mark.parametrize(("setting", "shown"), [
    ("electrolyte_ph=15", "got '15';"),  # was '15 dimensionless (= 15 dimensionless)'
    ("anode_thickness=-5um", "got '-5 μm (= -5e-06 m)';"),
    ("anode_porosity=1.5", "got '1.5';"),
])
def test_a_value_out_of_range_is_named_as_written(tmp_path, capsys, setting, shown):
    """A refused value is shown as the user wrote it, its SI value added only where the
    unit differs (a pH read "15 dimensionless (= 15 dimensionless)")."""
    from hemcell.cli.main import main

    name = setting.split("=")[0]
    command = (["surface", "run", "--metal", "Zn", "--case", "bare"] if name == "electrolyte_ph"
               else ["cell", "run", "hem_half_cell_sp", "--params", "heo_rocksalt_mgconicuzn",
                     "--protocol", "Discharge at 1C until 0.01 V"])
    assert main([*command, "--set", setting, "--no-plots", "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert f"{name}.value: {shown}" in err and "dimensionless (=" not in err
