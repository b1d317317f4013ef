"""``hemcell params export NAME --format pybamm|bpx-partial --set KEY=VALUE``: a ``KEY``
the set does not hold (a typo, or a registry name of another model) is refused (exit 2),
naming ``--set``, the key and the set's closest names, before anything is written
(:func:`hemcell.params.export.check_export_set_keys`, through
:func:`hemcell.params.uses.refuse_unread`); before, it changed nothing or, as
``coating_thickness`` on ``bare_li``, made the export a coated Li electrode's. ``--format si``
writes every value, so a registry name the set lacks is written with ``--set`` as its
source (the sweeps read values back through it) and a typo is refused by the registry."""

from __future__ import annotations

import json

import pytest

from hemcell.cli.main import main
from hemcell.errors import InputError
from hemcell.params import load_parameter_set
from hemcell.params.export import check_export_set_keys


def _export(out, *extra):
    return main(["params", "export", "bare_li", "--out", str(out), *extra])


@pytest.mark.parametrize("fmt", ["pybamm", "bpx-partial"])
@pytest.mark.parametrize("key, close", [
    ("separator_thicknes", "separator_thickness"),  # a typo
    ("coating_thickness", "li_foil_thickness"),     # a registry name bare_li does not hold
])
def test_a_name_the_set_does_not_hold_is_refused(tmp_path, capsys, fmt, key, close):
    assert key not in load_parameter_set("bare_li").parameters
    out = tmp_path / "o"
    assert _export(out, "--format", fmt, "--set", f"{key}=1um") == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: --set: got '{key}'")
    assert close in err and "bare_li" in err and f"--format {fmt}" in err
    assert not out.exists()


def test_the_check_names_field_value_and_close_matches():
    pset = load_parameter_set("bare_li")
    with pytest.raises(InputError) as e:
        check_export_set_keys(pset, ["li_molar_volum=1.3e-5 m**3/mol"], "pybamm")
    assert e.value.field == "--set" and e.value.value == "li_molar_volum"
    assert "li_molar_volume" in e.value.allowed
    check_export_set_keys(pset, ["li_molar_volume=1.3e-5 m**3/mol"], "pybamm")
    check_export_set_keys(pset, ["coating_thickness=10nm"], "si")
    check_export_set_keys(pset, None, "bpx-partial")


def test_si_writes_a_registry_name_and_refuses_a_typo(tmp_path, capsys):
    out = tmp_path / "o"
    assert _export(out, "--set", "separator_thickness=30um", "--set",
                   "coating_thickness=10nm") == 0
    si = json.loads((out / "parameters_si.json").read_text())
    assert si["separator_thickness"] == pytest.approx(30e-6)
    assert si["coating_thickness"] == pytest.approx(10e-9)
    assert _export(tmp_path / "p", "--set", "separator_thicknes=30um") == 2
    assert "separator_thickness" in capsys.readouterr().err


def test_a_name_the_set_holds_is_exported_as_pybamm(tmp_path):
    out = tmp_path / "o"
    assert _export(out, "--format", "pybamm", "--set", "separator_thickness=30um") == 0
    import pybamm

    pv = pybamm.ParameterValues.from_json(str(out / "bare_li.pybamm.json"))
    assert float(pv["Separator thickness [m]"]) == pytest.approx(30e-6)
