"""User trial S20 (eis): inputs and terminal lines found wrong by a new user.

`hemcell eis cathode --params cathode_hepba_femnnicuco --soc 0.5 --temperatures
15,25,35degC` printed ``R_ct 199.4 Ohm at 288.15 K, 160.5 Ohm at 298.15 K, 131.2 Ohm at
308.15 K; model R_ct cathode 200.5 Ohm, Na metal 3.182 Ohm``: the model's values were the
first temperature's (15 degC) with no temperature named, read as the 25 degC state's.
"""

from __future__ import annotations

import pytest

from hemcell.workflows.eis import result_lines

#: that run's summary.json (the keys result_lines reads), 15/25/35 degC
BY_T = {"288.15": 199.4, "298.15": 160.5, "308.15": 131.2}
MODEL = {"288.15": {"cathode": 200.47851870315617, "Na metal": 3.1817732346442975},
         "298.15": {"cathode": 161.68209196866815, "Na metal": 2.1841549309144948},
         "308.15": {"cathode": 132.3704837908052, "Na metal": 1.5380652180536367}}


def _summary(model: dict) -> dict:
    return {"cell": "cathode", "charge_transfer_resistance_ohm": {"pba": 199.4},
            "charge_transfer_resistance_by_temperature_ohm": {
                "pba": {t: BY_T[t] for t in model}},
            "electrode_charge_transfer_resistance_ohm": {"pba": model}}


def test_model_r_ct_is_given_at_each_temperature_with_the_temperature():
    (line,) = result_lines(_summary(MODEL))
    assert ("model R_ct cathode 200.5 Ohm, Na metal 3.182 Ohm at 288.15 K; "
            "cathode 161.7 Ohm, Na metal 2.184 Ohm at 298.15 K; "
            "cathode 132.4 Ohm, Na metal 1.538 Ohm at 308.15 K") in line


def test_one_temperature_keeps_the_short_line():
    one = {"298.15": MODEL["298.15"]}
    (line,) = result_lines(_summary(one))
    assert line.endswith("model R_ct cathode 161.7 Ohm, Na metal 2.184 Ohm")


# `--frequencies 10mHz:1MHz:10/decade` (units, as an instrument's sweep is written) was
# refused as malformed, and `1e-2:1e6:0.5/decade` without saying N must be whole.

def test_frequencies_with_hertz_units_are_the_plain_numbers_in_hz():
    import numpy as np

    from hemcell.workflows.eis import parse_frequencies

    np.testing.assert_array_equal(parse_frequencies("10mHz:1MHz:10/decade"),
                                  parse_frequencies("1e-2:1e6:10/decade"))
    np.testing.assert_allclose(parse_frequencies("1 kHz,0.1Hz,2e3,5MHz,1uHz"),
                               [1e-6, 0.1, 1e3, 2e3, 5e6], rtol=1e-15)


def test_an_angular_frequency_or_a_fractional_density_exits_2(tmp_path, capsys):
    """rad/s would pass a 1/s dimension check and be 2 pi off: only hertz is read."""
    from hemcell.cli.main import main

    for text in ("10rad/s,1,2,3,4,5", "1e-2:1e6:0.5/decade"):
        assert main(["eis", "symmetric", "--anode", "bare", "--no-plots", "--frequencies",
                     text, "--out", str(tmp_path / "o")]) == 2
        err = capsys.readouterr().err
        assert f"--frequencies: got '{text}'" in err
        assert "N a whole number >= 1" in err and "10mHz:1MHz:10/decade" in err
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize(("argv", "command"), [
    (["eis", "anode", "--recipe", "hem_half_cell_sp", "--set", "separator_thickness=30um"],
     "eis anode"),
    (["eis", "full", "--recipe", "hem_full_cell_na_nvpf", "--soc", "0.5", "--set",
      "cathode_thickness=30um"], "eis full")])
def test_an_unread_set_key_names_the_eis_command(tmp_path, capsys, argv, command):
    """`eis anode --set separator_thickness=30um` was refused as "not an input of
    `hemcell cell run` with hem_half_cell_sp", a command the user had not run."""
    from hemcell.cli.main import main

    assert main([*argv, "--no-plots", "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert f"a parameter `hemcell {command}` with" in err
    assert "cell run" not in err


def test_a_single_temperature_line_names_its_temperature():
    """With one --temperatures value the R_ct line did not say at which temperature it
    was (with several it names each): now it does, as the several-temperature lines."""
    from hemcell.workflows.eis import result_lines

    summary = {"charge_transfer_resistance_ohm": {"heo": 8.47},
               "charge_transfer_resistance_by_temperature_ohm": {"heo": {"288.15": 8.47}}}
    (line,) = result_lines(summary)
    assert line.startswith("heo: R_ct 8.47 Ohm at 288.15 K")
