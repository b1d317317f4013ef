"""User trial S20 (eis): inputs and terminal lines found wrong by a new user.

`hemcell eis cathode --params cathode_hepba_femnnicuco --soc 0.5 --temperatures
15,25,35degC` printed ``R_ct 199.4 Ohm at 288.15 K, 160.5 Ohm at 298.15 K, 131.2 Ohm at
308.15 K; model R_ct cathode 200.5 Ohm, Na metal 3.182 Ohm``: the model's values were the
first temperature's (15 degC) with no temperature named, read as the 25 degC state's.
"""

from __future__ import annotations

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
