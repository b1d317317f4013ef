"""User trial S21: `hemcell params check CATHODE_SET --for CATHODE_RECIPE` printed an empty
"()" after the recipe: the list of the HEM anode's mechanisms, which a cathode cell has
none of. The line names the mechanisms only where there are some."""

from __future__ import annotations


def test_a_cathode_recipe_line_has_no_empty_mechanism_list(capsys):
    from hemcell.cli.main import main

    assert main(["params", "check", "cathode_he_nvpf", "--for", "cathode_half_cell_p2d"]) == 0
    out = capsys.readouterr().out
    assert "cathode_he_nvpf for cathode_half_cell_p2d: reads" in out
    assert "()" not in out


def test_an_anode_recipe_line_still_names_its_mechanisms(capsys):
    from hemcell.cli.main import main

    assert main(["params", "check", "heo_rocksalt_mgconicuzn", "--for", "hem_half_cell_sp"]) == 0
    out = capsys.readouterr().out
    assert "for hem_half_cell_sp (intercalation, conversion, alloying, space_charge" in out
