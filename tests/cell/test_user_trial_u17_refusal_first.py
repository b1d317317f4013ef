"""User trial u17: a half cell refused for its molten counter electrode prints one error
line, not the electrolyte's warning first.

``hemcell cell run hem_half_cell_sp ... --set ambient_temperature=1000K`` printed
"warning: cell temperature 1000.00 K ... the electrolyte conductivity and diffusivity are
extrapolated (x1.6 and x5.91 ...)" and then "error: ambient_temperature: got '1000 K';
allowed: below 453.5 K, where the Li counter electrode melts": a warning about a run
that never ran.
"""

from __future__ import annotations

from hemcell.cli.main import main

ARGV = ["cell", "run", "hem_half_cell_sp", "--params", "heo_rocksalt_mgconicuzn",
        "--protocol", "Discharge at 1C until 0.5 V", "--no-plots"]


def test_a_molten_counter_electrode_gives_the_error_alone(tmp_path, capsys):
    code = main([*ARGV, "--set", "ambient_temperature=1000K", "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert code == 2
    assert "where the Li counter electrode melts" in err
    assert "warning:" not in err


def test_a_run_outside_the_electrolyte_range_still_warns(tmp_path, capsys):
    code = main([*ARGV, "--set", "ambient_temperature=340K", "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert code == 0
    assert "warning: cell temperature 340.00 K" in err
