"""User trial U16 of a sweep's CSV of points: it is read as measurement files are
(:func:`hemcell.measurements.read_table`): a byte-order mark, semicolons with decimal
commas, quoted cells; bytes that are not text are refused with exit 2."""

from __future__ import annotations

import pytest
import yaml

from hemcell.cli.main import main
from hemcell.sweep import SpecError, parse_spec

RATE = {"option": "--protocol", "template": "Discharge at {value} A/g until 0.01 V",
        "unit": "A/g"}


def _spec(tmp_path, data: bytes, columns=None):
    (tmp_path / "points.csv").write_bytes(data)
    spec = {"command": "cell run", "arguments": ["hem_half_cell_sp"],
            "options": {"--params": "heo_rocksalt_mgconicuzn"},
            "points": {"csv": "points.csv",
                       "columns": columns or {"specific_current": RATE}},
            "outputs": ["discharge_capacity_mAh_per_g[0]"]}
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(spec))
    return path


def _axes(path):
    return {a.name: a for a in parse_spec(yaml.safe_load(path.read_text()), path).axes}


def test_a_byte_order_mark_is_not_part_of_the_first_name(tmp_path):
    """The BOM stuck to the first header: '\\ufeffanode_particle_radius' was an unknown
    name ('did you mean anode_particle_radius?')."""
    text = "anode_particle_radius [nm],specific_current\n100,0.2\n300,0.5\n"
    axes = _axes(_spec(tmp_path, b"\xef\xbb\xbf" + text.encode()))
    assert axes["anode_particle_radius"].values == (100.0, 300.0)


def test_semicolons_and_decimal_commas_are_read(tmp_path):
    """'100;0,2' was one cell ('allowed: 1 cells')."""
    text = "anode_particle_radius [nm];specific_current\n100;0,2\n300;0,5\n"
    axes = _axes(_spec(tmp_path, text.encode()))
    assert axes["specific_current"].values == (0.2, 0.5)
    assert axes["anode_particle_radius"].values == (100.0, 300.0)


def test_a_quoted_cell_keeps_its_commas(tmp_path):
    text = 'mechanisms,specific_current\n"intercalation,conversion",0.2\n'
    axes = _axes(_spec(tmp_path, text.encode(), {"specific_current": RATE,
                                                 "mechanisms": {"option": "--mechanisms"}}))
    assert axes["mechanisms"].values == ("intercalation,conversion",)


def test_a_trailing_separator_is_not_a_cell(tmp_path):
    text = "anode_particle_radius [nm],specific_current,\n100,0.2,\n300,0.5\n"
    assert _axes(_spec(tmp_path, text.encode()))["specific_current"].values == (0.2, 0.5)


def test_a_short_row_names_its_line(tmp_path):
    text = "anode_particle_radius [nm],specific_current\n# a comment\n100,0.2\n300\n"
    with pytest.raises(SpecError) as info:
        _axes(_spec(tmp_path, text.encode()))
    assert "points.csv line 4" in info.value.message, info.value.message


def test_bytes_that_are_not_text_exit_2(tmp_path, capsys):
    """A µ in Latin-1 (0xB5) crashed the spec check: 'unexpected UnicodeDecodeError', exit 1."""
    path = _spec(tmp_path, b"anode_particle_radius [\xb5m],specific_current\n0.1,0.2\n")
    assert main(["sweep", str(path), "--out", str(tmp_path / "o"), "--check"]) == 2
    err = capsys.readouterr().err
    assert "points.csv" in err and "UTF-8" in err and "unexpected" not in err, err


def test_a_column_can_be_put_into_option_text_by_a_template(tmp_path):
    """A column of specific currents for `cell run` goes into the protocol text, as an
    axis does (`template:` was refused in `columns:`: 'allowed: keys [option, unit]')."""
    text = "anode_particle_radius [nm],specific_current\n100,0.2\n300,0.5\n"
    path = _spec(tmp_path, text.encode())
    spec = parse_spec(yaml.safe_load(path.read_text()), path)
    args = [p.args for p in spec.points]
    assert ("--protocol", "Discharge at 0.5 A/g until 0.01 V") == args[1][-2:], args
