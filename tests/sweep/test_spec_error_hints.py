"""A sweep spec's errors keep their advice: the hint of each error found (e.g. cell run's
``--cycles`` bound pointing at ``cell cycle-life``) is printed with the list, as a
single command's error prints its own."""

from __future__ import annotations

import yaml

from hemcell.cli.main import main
from hemcell.errors import InputError, ParameterError, ParameterFileError, joined_hints
from hemcell.sweep import SpecError

CELL = {"command": "cell run", "arguments": ["hem_half_cell_sp"],
        "options": {"--params": "heo_rocksalt_mgconicuzn",
                    "--protocol": "Discharge at 1C until 0.01 V", "--cycles": 5000},
        "outputs": ["discharge_capacity_mAh_per_g[0]"],
        "parameters": {"ambient_temperature": {"values": ["290 K", "300 K"]}}}


def test_joined_hints_keeps_each_distinct_hint_in_order():
    errors = [InputError("a", 1, "x", "do A"), InputError("b", 2, "y"),
              InputError("c", 3, "z", "do B"), InputError("d", 4, "w", "do A")]
    assert joined_hints(errors) == "do A; do B"
    assert joined_hints([InputError("a", 1, "x")]) is None
    assert SpecError("s.yaml", errors).hint == "do A; do B"
    assert ParameterFileError("p.yaml", [ParameterError("a", 1, "x", "do C")]).hint == "do C"


def test_sweep_check_prints_the_hint_of_its_error(tmp_path, capsys):
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(CELL))
    assert main(["sweep", str(path), "--out", str(tmp_path / "o"), "--check"]) == 2
    err = capsys.readouterr().err
    assert "hint:" in err and "cycle-life" in err, err
