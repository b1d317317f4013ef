"""User trial s21 (H5): ``params show`` / ``params check`` of a file ``params import`` wrote.

``hemcell params import cathode_he_nvpf.bpx.json --out sets`` writes ``sets/
cathode_he_nvpf.yaml`` (kind ``bpx``, BPX names); ``hemcell params show`` and ``params
check`` of it stopped with "38 error(s)": "kind: got 'bpx'", "cell: Electrode area [m2]:
... a known parameter name", as if it were a registry set. They now read it as what it is,
a full-cell partner: ``show`` lists its values as written (tables by their length) and
says how it is used; ``check`` reads it as the full cell does (exit 0) and refuses
``--for RECIPE`` (exit 2: no recipe reads it as a set).
"""

import pytest

from hemcell.cli.main import main

pytest.importorskip("bpx")


@pytest.fixture
def partner(tmp_path):
    assert main(["params", "export", "cathode_he_nvpf", "--format", "bpx-partial",
                 "--out", str(tmp_path / "bpx")]) == 0
    assert main(["params", "import", str(tmp_path / "bpx" / "cathode_he_nvpf.bpx.json"),
                 "--out", str(tmp_path / "sets")]) == 0
    return tmp_path / "sets" / "cathode_he_nvpf.yaml"


def test_show_lists_the_partners_values(partner, capsys):
    capsys.readouterr()
    assert main(["params", "show", str(partner)]) == 0
    out = capsys.readouterr().out
    assert "cell: Electrode area [m2]" in out  # units in brackets survive rich's markup
    assert "table of 201 points" in out  # the OCP table
    assert "a full-cell partner" in out and "--cathode" in out


def test_check_reads_it_as_a_partner(partner, capsys):
    capsys.readouterr()
    assert main(["params", "check", str(partner)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"ok   {partner}: imported BPX file (Partial)")


def test_check_for_a_recipe_is_refused(partner, capsys):
    capsys.readouterr()
    assert main(["params", "check", str(partner), "--for", "cathode_half_cell_sp"]) == 2
    err = capsys.readouterr().err
    assert "an imported BPX file is not checked against a recipe" in err


def test_cell_run_with_the_partner_as_params_names_its_use(partner, tmp_path, capsys):
    capsys.readouterr()
    assert main(["cell", "run", "cathode_half_cell_sp", "--params", str(partner),
                 "--protocol", "Charge at C/5 until 4.3 V", "--no-plots",
                 "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "an imported BPX file is a HEM full cell's partner" in err
    assert f"--cathode {partner}" in err
