"""User trial U4: `hemcell eis anode --soc 0.5 --temperatures 25,45degC` printed one R_ct
(5.93 Ohm) and named the space-charge arc without saying why R_ct hardly moves."""

from __future__ import annotations

from hemcell.workflows.eis import arc_description, result_lines

#: the per-mechanism resistances of that run (summary.json), 25 and 45 degC
R_K = {"298.15": {"intercalation": None, "conversion": None, "space_charge": 6.182,
                  "gel_sei": None},
       "318.15": {"intercalation": 225.3, "conversion": None, "space_charge": 6.155,
                  "gel_sei": None}}
SUMMARY = {"charge_transfer_resistance_ohm": {"heo": 5.934},
           "charge_transfer_resistance_by_temperature_ohm": {
               "heo": {"298.15": 5.934, "318.15": 5.888}},
           "mechanism_charge_transfer_resistance_ohm": {"heo": R_K}}


def test_the_line_gives_r_ct_at_every_temperature_and_what_carries_the_arc():
    (line,) = result_lines(SUMMARY)
    assert line.startswith("heo: R_ct 5.934 Ohm at 298.15 K, 5.888 Ohm at 318.15 K")
    # space charge: 100 % of the arc's conductance at 25 degC, 6.155^-1 / (6.155^-1 +
    # 225.3^-1) = 97 % at 45 degC; it has no temperature law, intercalation has one
    assert "space_charge 100 % → 97 % (no temperature law)" in line
    assert "intercalation 0 % → 3 %" in line
    assert "intercalation 0 % → 3 % (no" not in line


def test_mechanisms_without_ac_current_are_named():
    """Conversion at rest inside its hysteresis gap carries no AC current (R_k null):
    named, so its Arrhenius law is seen not to enter the arc."""
    text = arc_description(SUMMARY, "heo")
    assert text is not None and text.endswith("no AC current: conversion, gel_sei")
