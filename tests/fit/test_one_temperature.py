"""A fit spec's temperatures (`data[k].temperature`, `model.temperature`) are read by the
one parser of temperatures, `hemcell.units.parse_temperatures_K` (`hemcell eis
--temperatures`), so they take the same spellings; each field takes one temperature and
its refusals name the field, not `--temperatures`."""

from __future__ import annotations

import pytest

from hemcell.errors import InputError
from hemcell.units import parse_temperatures_K
from hemcell.workflows.fit import one_temperature_K


@pytest.mark.parametrize("text", ["25 degC", "25degC", "25C", "25 °C", "298.15 K", "298.15K"])
def test_a_temperature_reads_as_the_eis_option_reads_it(text):
    assert one_temperature_K(text, "data[0].temperature", "") == \
        pytest.approx(parse_temperatures_K(text, "--temperatures")[0])


@pytest.mark.parametrize(("text", "says", "hint"), [
    ("25", "with its unit", "degC or K"),          # a bare number: degC or K?
    (298.15, "with its unit", "degC or K"),
    ("room", "25 degC or 298.15 K", None),
    ("-300 degC", "above 0 K", None),
    ("25 kg", "with its unit", None),
    ("25,35 degC", "one temperature", "one data set each"),  # a list in the text
    (["0 degC", "25 degC"], "one temperature", "one data set each"),
    (None, "with its unit", None),
    (True, "with its unit", None),
])
def test_a_bad_temperature_names_its_field(text, says, hint):
    with pytest.raises(InputError) as exc:
        one_temperature_K(text, "data[3].temperature", "one data set each")
    assert exc.value.field == "data[3].temperature"
    assert says in exc.value.allowed and "comma-separated" not in exc.value.allowed
    assert (exc.value.hint is None) if hint is None else hint in exc.value.hint
