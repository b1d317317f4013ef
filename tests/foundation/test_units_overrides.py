"""Unit parsing/conversion and ``--set`` overrides."""

from __future__ import annotations

import pytest

from hemcell.errors import InputError
from hemcell.units import parse_quantity_text, to_si


@pytest.mark.parametrize(
    ("value", "unit", "si_unit", "expected"),
    [
        (28, "nm", "m", 2.8e-8),
        (1, "mA/cm**2", "A/m**2", 10.0),
        (27.82, "kJ/mol", "J/mol", 27820.0),
        (6.39, "GPa", "Pa", 6.39e9),
        (1, "mA*h/g", "C/kg", 3600.0),
        (88, "percent", "dimensionless", 0.88),
        (21.52, "emu/g", "A*m**2/kg", 21.52),  # 1 emu/g = 1 A m2/kg
        (25, "degC", "K", 298.15),
        (570, "h", "s", 570 * 3600.0),
        (14.4, "mS/cm", "S/m", 1.44),
    ],
)
def test_to_si(value, unit, si_unit, expected):
    assert to_si(value, unit, si_unit, "f") == pytest.approx(expected, rel=1e-12)


def test_wrong_dimension_names_field_and_dimension():
    with pytest.raises(InputError) as info:
        to_si(1, "GPa", "m**2/s", "file.yaml: electrolyte_diffusivity")
    msg = str(info.value)
    assert "file.yaml: electrolyte_diffusivity.unit" in msg and "'GPa'" in msg
    assert "[length] ** 2 / [time]" in msg


def test_unknown_unit():
    with pytest.raises(InputError, match="a unit pint understands"):
        to_si(1, "furlongs_per_blob", "m", "f")


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [("28nm", 28.0, "nm"), ("28 nm", 28.0, "nm"), ("1e-10 m**2/s", 1e-10, "m**2/s"),
     ("0.5", 0.5, "dimensionless"), ("2 mA/cm**2", 2.0, "mA/cm**2")],
)
def test_parse_quantity_text(text, value, unit):
    v, u = parse_quantity_text(text, "f")
    assert v == pytest.approx(value)
    assert to_si(v, u, unit, "f") == pytest.approx(value)


@pytest.mark.parametrize("text", ["", "abc def", "nan m", "28 furlongs_per_blob"])
def test_parse_quantity_text_rejects(text):
    with pytest.raises(InputError):
        parse_quantity_text(text, "--set x")


def test_overrides_convert_and_keep_provenance():
    from hemcell.params import load_parameter_set

    p = load_parameter_set("azcnf_coated_li")
    q = p.with_overrides(["coating_thickness=14nm"])
    assert q.si["coating_thickness"] == pytest.approx(14e-9)
    assert p.si["coating_thickness"] == pytest.approx(28e-9)  # original untouched
    assert q["coating_thickness"].source_kind == "override"
    assert "--set coating_thickness=14nm" in q["coating_thickness"].describe_source()
    assert q.with_overrides({"coating_thickness": "0.07 um"}).si["coating_thickness"] == \
        pytest.approx(70e-9)


@pytest.mark.parametrize(
    ("override", "fragment"),
    [
        ("coating_thickness=28 GPa", "dimension of m"),
        ("coating_thicknes=28nm", "did you mean coating_thickness"),
        ("coating_thickness", "KEY=VALUE"),
        ("coating_thickness=28", "a number with a unit"),
        ("coating_thickness=-5nm", "(0, 1e-05] m"),
    ],
)
def test_bad_overrides(override, fragment):
    from hemcell.params import load_parameter_set

    p = load_parameter_set("azcnf_coated_li")
    with pytest.raises(InputError) as info:
        p.with_overrides([override])
    assert fragment in str(info.value)
