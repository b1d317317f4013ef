"""``hemcell params export NAME --set KEY=VALUE`` writes the set's values: a ``KEY`` the
set does not hold (a typo, or a registry name of another model) is refused (exit 2),
naming ``--set``, the key and the set's closest names, before anything is written
(:func:`hemcell.params.export.check_export_set_keys`, through
:func:`hemcell.params.uses.refuse_unread`)."""

from __future__ import annotations

import json

import pytest

from hemcell.cli.main import main
from hemcell.errors import InputError
from hemcell.params import load_parameter_set
from hemcell.params.export import check_export_set_keys


def _export(out, *extra):
    return main(["params", "export", "bare_li", "--out", str(out), *extra])


@pytest.mark.parametrize("key, close", [
    ("separator_thicknes", "separator_thickness"),  # a typo
    ("coating_thickness", "li_foil_thickness"),     # a registry name bare_li does not hold
])
def test_a_name_the_set_does_not_hold_is_refused(tmp_path, capsys, key, close):
    assert key not in load_parameter_set("bare_li").parameters
    out = tmp_path / "o"
    assert _export(out, "--set", f"{key}=1um") == 2
    err = capsys.readouterr().err
    assert "--set" in err and key in err and close in err and "bare_li" in err
    assert not out.exists()


def test_the_check_names_field_value_and_close_matches():
    pset = load_parameter_set("bare_li")
    with pytest.raises(InputError) as e:
        check_export_set_keys(pset, ["li_molar_volum=1.3e-5 m**3/mol"])
    assert e.value.field == "--set" and e.value.value == "li_molar_volum"
    assert "li_molar_volume" in e.value.allowed
    check_export_set_keys(pset, ["li_molar_volume=1.3e-5 m**3/mol"])
    check_export_set_keys(pset, None)


@pytest.mark.parametrize("fmt", ["pybamm", "bpx-partial"])
def test_the_other_formats_refuse_it_too(tmp_path, capsys, fmt):
    assert _export(tmp_path / "o", "--format", fmt, "--set", "coating_thickness=1nm") == 2
    assert "coating_thickness" in capsys.readouterr().err


def test_a_name_the_set_holds_is_exported(tmp_path):
    out = tmp_path / "o"
    assert _export(out, "--set", "separator_thickness=30um") == 0
    si = json.loads((out / "parameters_si.json").read_text())
    assert si["separator_thickness"] == pytest.approx(30e-6)
