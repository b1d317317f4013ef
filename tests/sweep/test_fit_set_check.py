"""``--set`` names of ``limetal fit-fade`` / ``fit-shuttle`` in sweeps (user trial).

The fits write no ``--out`` folder, so a sweep spec naming them is refused at ``--check``
(exit 2, nothing runs); their unread-name check is registered with the others
(:data:`hemcell.workflows.PARAMETER_KEY_CHECKS`), so every command that takes ``--set``
has one, except ``params show`` (it prints every name of the set) and ``params export
--format si`` (it writes every name of the set and of ``--set``).
"""

from __future__ import annotations

import importlib

import pytest
import yaml

from hemcell.cli.main import main
from hemcell.errors import InputError
from hemcell.sweep.commands import available_commands, resolve_command
from hemcell.workflows import PARAMETER_KEY_CHECKS


def _check_function(command: str):
    module, name = PARAMETER_KEY_CHECKS[command].split(":")
    return getattr(importlib.import_module(module), name)


def test_every_command_with_set_has_an_unread_name_check():
    missing = [name for name in available_commands()
               if name != "params show" and resolve_command(name).takes("--set")
               and name not in PARAMETER_KEY_CHECKS]
    assert missing == []


@pytest.mark.parametrize("command", ["limetal fit-fade", "limetal fit-shuttle"])
def test_fit_checks_refuse_an_unread_name(command):
    check = _check_function(command)
    with pytest.raises(InputError) as err:
        check({"set_": ["li_surface_energy=1 J/m**2"]})
    assert "li_surface_energy" in str(err.value.value) + err.value.allowed + str(err.value)
    check({"set_": ["lfp_mass_loading=2 mg/cm**2"]})  # read by the fitted cell's runs
    check({"set_": None})


def test_a_fit_sweep_fails_its_check(tmp_path, capsys):
    spec = tmp_path / "s.yaml"
    spec.write_text(yaml.safe_dump({
        "command": "limetal fit-fade",
        "parameters": {"lfp_mass_loading": {"values": ["1 mg/cm**2", "2 mg/cm**2"]}}}))
    assert main(["sweep", str(spec), "--out", str(tmp_path / "o"), "--check"]) == 2
    assert "writes results to --out" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()
