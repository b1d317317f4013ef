"""``limetal zn-symmetric`` at a temperature far below the aqueous electrolyte's liquid
range names ``ambient_temperature``, not a parameter computed from it.

At 1 K the Zn exchange current's Arrhenius factor, exp(-Ea/R (1/T - 1/T_ref)), underflows
to 0.0, and the run stopped on the cell parameters' positivity check ("Zn cell parameter
exchange_current_A_per_m2: got 0.0"), exit 2 but naming the wrong field; the liquid-range
check (273.15-373.15 K, assumed: water's) now runs before the parameters are built.
"""

from __future__ import annotations

import pytest

from hemcell.cli.main import main


@pytest.mark.parametrize("temperature_K", [1.0, 250.0])
def test_zn_symmetric_far_below_freezing_names_the_temperature(tmp_path, capsys,
                                                              temperature_K):
    code = main(["limetal", "zn-symmetric", "--anode", "both", "--no-plots",
                 "--set", f"ambient_temperature={temperature_K}K",
                 "--out", str(tmp_path / "zn")])
    err = capsys.readouterr().err
    assert code == 2
    assert "error: ambient_temperature:" in err
    assert f"{temperature_K:.2f} K" in err and "273.15 to 373.15 K" in err
    assert "exchange_current" not in err
