"""Odd ranges a user may write (the user trial of sweeps): each is a spec error naming
the field and what is allowed, before anything runs."""

from __future__ import annotations

import pytest

from hemcell.errors import InputError
from hemcell.sweep import parse_spec

BASE = {"command": "params export", "arguments": ["azcnf_coated_li"],
        "results_file": "parameters_si.json"}


@pytest.mark.parametrize(("axis", "expected"), [
    ({"coating_thicknezz": {"values": ["14 nm"]}}, "registry parameter name"),
    ({"coating_thickness": {"values": []}}, "non-empty list"),
    ({"coating_thickness": {"linspace": ["14 nm", "28 nm", 0]}}, "whole number of points"),
    ({"coating_thickness": {"linspace": ["14 nm", "28 nm", 2.5]}}, "whole number of points"),
    ({"coating_thickness": {"linspace": ["14 nm", "14 nm", 3]}}, "each point once"),
    ({"coating_thickness": {"logspace": ["-1 nm", "28 nm", 3]}}, "positive start and stop"),
    ({"coating_thickness": {"values": ["14 mA", "28 mA"]}}, "[length]"),
    ({"coating_thickness": {"values": [14, 28], "unit": "V"}}, "dimension"),
    ({"coating_thickness": {"values": ["thin", "thick"]}}, "a number with a unit"),
])
def test_odd_ranges_are_spec_errors(axis, expected):
    with pytest.raises(InputError) as err:
        parse_spec({**BASE, "parameters": axis})
    assert expected in str(err.value), str(err.value)


def test_zip_of_unequal_lengths_is_refused():
    with pytest.raises(InputError, match="same number of values"):
        parse_spec({**BASE, "combine": "zip", "parameters": {
            "coating_thickness": {"values": ["14 nm", "28 nm"]},
            "li_exchange_current_density": {"values": ["1 mA/cm**2"]}}})
