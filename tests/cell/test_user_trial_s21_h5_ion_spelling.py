"""User trial s21 (H5): ``--ion`` spellings in cathode cells.

``hemcell cell run cathode_half_cell_sp --params cathode_hepba_femnnicuco --ion na`` was
refused, "--ion: got 'na'; allowed: Na ... an electrolyte of na+ lacks it; run with --ion
Na", while the HEM anode and full cells take ``na`` and ``Na+`` as Na
(:func:`hemcell.cell.carriers.check_ion`); ``--ion Xe`` was told "an electrolyte of Xe+"
lacks Na+. The cathode check now normalises the name first: ``na``/``Na+`` run, an ion
that is none of Li, Na, K is named as such, and another real ion keeps the carrier hint.
"""

import pytest

from hemcell.cli.main import main

ARGS = ["cell", "run", "cathode_half_cell_sp", "--params", "cathode_hepba_femnnicuco",
        "--protocol", "Charge at 1C until 4.2 V", "--no-plots"]


@pytest.mark.parametrize("ion", ["na", "Na+", " NA "])
def test_spellings_of_the_carrier_run(tmp_path, ion):
    assert main([*ARGS, "--ion", ion, "--out", str(tmp_path / "o")]) == 0


def test_an_unknown_ion_is_named_as_such(tmp_path, capsys):
    assert main([*ARGS, "--ion", "Xe", "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "--ion: got 'Xe'; allowed: Li, Na or K" in err
    assert not (tmp_path / "o").exists()


def test_another_carrier_keeps_the_hint(tmp_path, capsys):
    assert main([*ARGS, "--ion", "k", "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "allowed: Na for the cathode set cathode_hepba_femnnicuco" in err
    assert "an electrolyte of K+ lacks it; run with --ion Na" in err


@pytest.mark.parametrize("recipe, cell", [("hc_full_cell_na_nvpf", "a hard-carbon full cell"),
                                          ("cathode_half_cell_sp", "a cathode half cell")])
def test_an_anode_set_is_refused_naming_the_recipes_cell(tmp_path, capsys, recipe, cell):
    """``hc_full_cell_na_nvpf --params heo_rocksalt_mgconicuzn`` was told "for a cathode
    half cell ... the recipe's cell is cathode_half"."""
    assert main(["cell", "run", recipe, "--params", "heo_rocksalt_mgconicuzn", "--protocol",
                 "Charge at C/5 until 4.0 V", "--no-plots", "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert f"allowed: a cathode parameter set (parameters/registry/cathode.yaml) for {cell}" in err
    assert "hem_full_cell_*" in err
