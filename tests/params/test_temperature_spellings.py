"""One rule for temperatures written by hand: `25 degC`, `25degC`, `25 °C`, `25 ℃`, `25C`
and `298.15 K` are the same temperature in every input (`--set`, a parameter file, a
sweep value, a temperature list). `--set ambient_temperature=25C` was refused (C read as
the coulomb) while `hemcell eis --temperatures 25C` read it as Celsius."""

from __future__ import annotations

import pytest

from hemcell.errors import InputError
from hemcell.units import parse_temperatures_K, temperature_unit, to_si

PARAMS = "heo_rocksalt_mgconicuzn"
SPELLINGS = ["25 degC", "25degC", "25 °C", "25°C", "25 ℃", "25C", "25 C", "298.15 K",
             "298.15K"]


@pytest.mark.parametrize("text", SPELLINGS)
def test_every_spelling_is_298_15_K_in_set_and_in_a_list(text):
    from hemcell.params.parameter_set import load_parameter_set

    ps = load_parameter_set(PARAMS).with_overrides([f"ambient_temperature={text}"])
    assert ps.si["ambient_temperature"] == pytest.approx(298.15, rel=1e-12)
    assert ps["ambient_temperature"].unit != "C"  # kept as Celsius, not the coulomb
    assert parse_temperatures_K(text, "--temperatures") == pytest.approx([298.15],
                                                                         rel=1e-12)


def test_a_list_takes_the_last_unit_for_bare_numbers_and_one_unit_per_item():
    assert parse_temperatures_K("25,35,45C", "x") == pytest.approx([298.15, 308.15, 318.15])
    assert parse_temperatures_K("25 °C, 308.15 K", "x") == pytest.approx([298.15, 308.15])


@pytest.mark.parametrize("text", ["25", "25,35", "25C,25 degC", "-300 degC", "25C,", "25 V",
                                  "", "warm"])
def test_a_list_without_a_unit_twice_at_0_K_or_not_a_temperature_is_refused(text):
    with pytest.raises(InputError) as err:
        parse_temperatures_K(text, "--temperatures")
    assert err.value.field == "--temperatures"


def test_C_is_the_coulomb_wherever_a_temperature_is_not_meant():
    assert temperature_unit("C", "A*h") == "C"
    assert to_si(3.6, "C", "A*h", "x") == pytest.approx(1e-3)
    assert temperature_unit("C", "J/mol/K") == "C"  # a temperature in a compound: no
    with pytest.raises(InputError):
        to_si(25.0, "C", "J/mol/K", "x")


def test_a_parameter_file_reads_C_as_celsius(tmp_path):
    from hemcell.params.parameter_set import load_parameter_set

    path = tmp_path / "warm.yaml"
    path.write_text(f"name: warm\nkind: anode\ndescription: {PARAMS} at 45 C\n"
                    f"extends: {PARAMS}\n"
                    "parameters:\n  ambient_temperature: {value: 45, unit: C, "
                    "source: {assumed: a warm chamber}}\n")
    ps = load_parameter_set(path)
    assert ps.si["ambient_temperature"] == pytest.approx(318.15, rel=1e-12)
    assert ps["ambient_temperature"].unit == "degC"
