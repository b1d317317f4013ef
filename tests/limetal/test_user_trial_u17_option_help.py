"""User trial u17: every option of every command says what it is in ``--help``.

``hemcell limetal symmetric --help`` listed ``--current-density`` and
``--areal-capacity`` with only their defaults (``1mA/cm2``, ``1mAh/cm2``), as did
``limetal nucleation --current-density`` and ``limetal licu --cycles / --current-density /
--areal-capacity``.
"""

from __future__ import annotations

import importlib

import typer


def _commands():
    main = importlib.import_module("hemcell.cli.main")
    main._mount_subapps()
    group = typer.main.get_command(main.app)
    for gname, g in group.commands.items():
        for name, cmd in getattr(g, "commands", {gname: g}).items():
            yield f"{gname} {name}" if name != gname else gname, cmd


def test_every_option_has_a_help_text():
    missing = {name: [p.name for p in cmd.params
                      if p.param_type_name == "option" and not getattr(p, "help", None)]
               for name, cmd in _commands()}
    assert {k: v for k, v in missing.items() if v} == {}


def test_the_limetal_current_density_help_names_its_unit():
    cmds = dict(_commands())
    for name in ("limetal symmetric", "limetal licu", "limetal nucleation"):
        opt = next(p for p in cmds[name].params if p.name == "current_density")
        assert "unit" in opt.help and "mA/cm2" in opt.help
