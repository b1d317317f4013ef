"""User trial S20: ``limetal cycle --high-loading --set lfp_mass_loading=6mg/cm2``.

It was refused as "--set: got 'lfp_mass_loading=0.115 kg/m**2 and
lfp_mass_loading=6mg/cm2'; allowed: each parameter once ... which value was meant cannot
be told": the first value, in SI, was not one the user typed but the one --high-loading
puts in, and the option was not named. It now names --high-loading and the two ways to
give the loading, and leaves no --out folder.
"""

from __future__ import annotations

from hemcell.cli.main import main


def test_high_loading_with_a_set_loading_names_the_option(tmp_path, capsys):
    out = tmp_path / "o"
    code = main(["limetal", "cycle", "--anode", "coated", "--cycles", "2", "--high-loading",
                 "--set", "lfp_mass_loading=6mg/cm2", "--no-plots", "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2
    assert "error: --high-loading: got 'with --set lfp_mass_loading=6mg/cm2'" in err
    assert "lfp_high_mass_loading, 11.5 mg/cm2) or --set lfp_mass_loading=" in err
    assert "0.115 kg/m**2" not in err
    assert not out.exists()
