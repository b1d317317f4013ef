"""User trial s21 (H5): a cathode cell's warnings reach its records.

``hemcell cell run cathode_half_cell_sp --params cathode_he_nvpf --set
ambient_temperature=263.15K`` printed "warning: the 1 M NaPF6 in EC:PC (1:1) electrolyte's
conductivity and diffusivity are tables at 298.15 K ...: at 263.15 K only the kinetics
follow temperature", but ``summary.json`` had no ``warnings`` (the warning was printed
before the solve and dropped), and ``run.json`` held none of a cathode cell's warnings,
not even the electrolyte-range one its summary has. Both now carry every warning of
the run, as a HEM anode run's do.
"""

import json

import pytest

from hemcell.cli.main import main

COLD = "only the kinetics follow temperature"


@pytest.mark.parametrize("recipe, protocol", [
    ("cathode_half_cell_sp", "Charge at 1C until 4.3 V"),
    ("hc_full_cell_na_nvpf", "Charge at 1C until 4.3 V"),
])
def test_the_temperature_warning_is_in_summary_and_run_record(tmp_path, capsys, recipe,
                                                               protocol):
    out = tmp_path / "o"
    assert main(["cell", "run", recipe, "--params", "cathode_he_nvpf", "--protocol",
                 protocol, "--set", "ambient_temperature=263.15K", "--no-plots",
                 "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert err.count(COLD) == 1  # printed once
    for name in ("summary.json", "run.json"):
        record = json.loads((out / name).read_text())
        assert any(COLD in w for w in record.get("warnings", [])), name


def test_a_run_at_the_tables_temperature_has_no_warnings(tmp_path):
    out = tmp_path / "o"
    assert main(["cell", "run", "cathode_half_cell_sp", "--params", "cathode_he_nvpf",
                 "--protocol", "Charge at 1C until 4.3 V", "--no-plots",
                 "--out", str(out)]) == 0
    for name in ("summary.json", "run.json"):
        assert "warnings" not in json.loads((out / name).read_text()), name


def test_the_electrolyte_range_warning_is_in_the_run_record(tmp_path):
    """The O3 oxide at 5C from rest (P2D) drains its pores below the conductivity table."""
    out = tmp_path / "o"
    assert main(["cell", "run", "cathode_half_cell_p2d", "--params",
                 "cathode_he_o3_fecontisnli", "--protocol", "Charge at 5C until 4.1 V",
                 "--no-plots", "--out", str(out)]) == 0
    summary = json.loads((out / "summary.json").read_text())
    run = json.loads((out / "run.json").read_text())
    assert summary.get("warnings")
    assert run.get("warnings") == summary["warnings"]
