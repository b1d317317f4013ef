"""A ``limetal zn-symmetric`` sweep whose ``set:`` or swept name the Zn||Zn cell does not
read fails its spec check (exit 2, nothing runs), as for the other Li/Zn-metal commands;
it used to pass ``--check`` and fail every point with the command's own refusal."""

from __future__ import annotations

import yaml

from hemcell.cli.main import main


def _check(tmp_path, name: str) -> int:
    spec = tmp_path / "s.yaml"
    spec.write_text(yaml.safe_dump({"command": "limetal zn-symmetric",
                                    "parameters": {name: {"values": ["1 J/m**2", "2 J/m**2"]}}}))
    return main(["sweep", str(spec), "--out", str(tmp_path / "o"), "--check"])


def test_an_unread_name_fails_the_check(tmp_path, capsys):
    assert _check(tmp_path, "li_surface_energy") == 2
    err = capsys.readouterr().err
    assert "li_surface_energy" in err and "zn-symmetric" in err
