"""A sweep of ``params export --format pybamm`` refuses, at ``--check``, a ``set:`` name the
set does not hold (the command refuses it per point; the spec check must catch it before
anything runs), and ``--format si`` keeps writing registry names the set lacks."""

from __future__ import annotations

import yaml

from hemcell.cli.main import main


def _spec(tmp_path, fmt: str, name: str) -> str:
    spec = tmp_path / "s.yaml"
    spec.write_text(yaml.safe_dump({
        "command": "params export", "arguments": ["bare_li", "--format", fmt],
        "parameters": {name: {"values": ["14 nm", "28 nm"]}},
        "results_file": "parameters_si.json"}))
    return str(spec)


def test_pybamm_export_sweep_refuses_a_name_the_set_lacks(tmp_path, capsys):
    spec = _spec(tmp_path, "pybamm", "coating_thickness")
    assert main(["sweep", spec, "--out", str(tmp_path / "o"), "--check"]) == 2
    err = capsys.readouterr().err
    assert "coating_thickness" in err
    assert not (tmp_path / "o").exists()


def test_si_export_sweep_accepts_a_registry_name(tmp_path):
    spec = _spec(tmp_path, "si", "coating_thickness")
    assert main(["sweep", spec, "--out", str(tmp_path / "o"), "--check"]) == 0
