"""User trial s15: `hemcell limetal nucleation` at -30 degC printed "plateau inf mV".

At 243.15 K the Valoen & Reimers diffusivity, extrapolated below its range (warned),
is 9e-6 of its 298 K value, so 1 mA/cm2 is above the separator's steady limiting
current: the steady salt difference reaches 2 c0 and the cell has no plateau
(``symmetric.concentration_overpotential_V`` is inf, summary.json null).
"""

from __future__ import annotations

import json

from hemcell.cli.main import main


def test_a_plateau_the_salt_cannot_sustain_is_said_not_printed_as_inf(tmp_path, capsys):
    out = tmp_path / "nuc"
    assert main(["limetal", "nucleation", "--anode", "bare", "--set",
                 "ambient_temperature=-30degC", "--no-plots", "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert "inf" not in text
    assert "plateau none (the salt at the plating surface runs out" in text
    assert json.loads((out / "summary.json").read_text())["plateau_overpotential_mV"] is None


def test_a_finite_plateau_is_printed_in_mV(tmp_path, capsys):
    out = tmp_path / "nuc"
    assert main(["limetal", "nucleation", "--anode", "coated", "--no-plots", "--out",
                 str(out)]) == 0
    s = json.loads((out / "summary.json").read_text())
    assert (f"coated: nucleation {s['nucleation_overpotential_mV']:.1f} mV, plateau "
            f"{s['plateau_overpotential_mV']:.1f} mV") in capsys.readouterr().out


def test_a_c_rate_given_twice_is_refused(tmp_path, capsys):
    """``limetal rate --c-rates 1,1`` ran 1C once (results are keyed by the rate)."""
    assert main(["limetal", "rate", "--anode", "bare", "--c-rates", "1,1", "--no-plots",
                 "--out", str(tmp_path / "r")]) == 2
    assert "--c-rates: got '1,1'; allowed: each C-rate once" in capsys.readouterr().err
    assert not (tmp_path / "r" / "summary.json").exists()
