"""``hemcell limetal`` commands: outputs, summary keys, bad input (exit 2), light import."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from hemcell.cli.main import main


def _summary(out):
    return json.loads((out / "summary.json").read_text())


def test_rate_command_writes_summary_curves_figure_and_record(tmp_path):
    out = tmp_path / "rate"
    assert main(["limetal", "rate", "--anode", "coated", "--c-rates", "0.5,2",
                 "--out", str(out)]) == 0
    s = _summary(out)
    assert set(s["discharge_capacity_mAh_per_g"]) == {"0.5", "2"}
    assert s["discharge_capacity_mAh_per_g"]["0.5"] > s["discharge_capacity_mAh_per_g"]["2"]
    for f in ("rate.png", "rate_curves_coated.csv", "run.json"):
        assert (out / f).is_file()
    record = json.loads((out / "run.json").read_text())
    params = record["parameters"]["parameter_sets"]["coated"]["parameters"]
    assert "assumed" in params["li_electrode_area"]["source"]
    assert "calibrated" in params["lfp_particle_diffusivity"]["source"]


def test_symmetric_nucleation_licu_commands(tmp_path):
    assert main(["limetal", "symmetric", "--anode", "both", "--current-density", "1mA/cm2",
                 "--areal-capacity", "1mAh/cm2", "--hours", "100",
                 "--out", str(tmp_path / "s")]) == 0
    s = _summary(tmp_path / "s")
    assert len(s["overpotential_mV"]) == 50 and s["time_to_failure_h"] is None
    assert (s["by_anode"]["coated"]["initial_overpotential_mV"]
            < s["by_anode"]["bare"]["initial_overpotential_mV"])
    assert (tmp_path / "s" / "symmetric.png").is_file()
    assert main(["limetal", "nucleation", "--anode", "coated", "--areal-capacity",
                 "0.1mAh/cm2", "--out", str(tmp_path / "n")]) == 0
    n = _summary(tmp_path / "n")
    assert n["nucleation_overpotential_mV"] > 0 and n["plateau_overpotential_mV"] > 0
    assert (tmp_path / "n" / "nucleation.png").is_file()
    assert main(["limetal", "licu", "--anode", "coated", "--cycles", "10",
                 "--out", str(tmp_path / "c")]) == 0
    c = _summary(tmp_path / "c")
    assert 0.9 < c["mean_coulombic_efficiency"] < 1.0


@pytest.mark.parametrize("args", [
    ["rate", "--anode", "gold"],
    ["rate", "--c-rates", "0.1,-1"],
    ["rate", "--c-rates", "fast"],
    ["rate", "--set", "no_such_parameter=1"],
    ["rate", "--set", "coating_thickness=1GPa"],
    ["cycle", "--cycles", "0"],
    ["symmetric", "--current-density", "1mV"],
    ["symmetric", "--current-density", "1000mA/cm2"],
    ["licu", "--cycles", "0"],
    # a metric only a surface run reads: it used to change nothing, silently
    ["symmetric", "--focusing-metric", "current-weighted"],
    ["rate", "--focusing-metric", "current-weighted"],
])
def test_bad_input_exits_2(tmp_path, args, capsys):
    assert main(["limetal", *args, "--out", str(tmp_path / "x")]) == 2
    assert "error:" in capsys.readouterr().err


def test_cli_module_import_is_light():
    code = ("import sys, hemcell.cli.limetal; "
            "print(','.join(m for m in ('pybamm', 'dolfinx', 'casadi') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, timeout=120).stdout.strip()
    assert out == ""


def test_validation_cases_load_and_name_summary_keys_the_commands_write():
    from hemcell.resources import data_dir
    from hemcell.validation.cases import discover_cases

    cases = [c for c in discover_cases(data_dir("validation")) if c.name.startswith("limetal_")]
    assert len(cases) >= 12
    kinds = {c.kind for c in cases}
    assert {"calibrated", "held-out", "analytic"} <= kinds
    known = {"discharge_capacity_mAh_per_g", "capacity_retention",
             "final_discharge_capacity_mAh_per_g", "mean_coulombic_efficiency",
             "time_to_failure_h", "time_without_failure_h", "nucleation_overpotential_mV",
             "aurbach_coulombic_efficiency", "cycles", "overpotential_after_150_cycles_mV",
             "initial_overpotential_terms_mV", "failure_current_density_mA_per_cm2"}
    for c in cases:
        assert c.command[0] == "limetal"
        for comp in c.compare:
            assert comp.key.split("/")[0] in known, (c.name, comp.key)


@pytest.mark.parametrize(("text", "si_unit", "si"), [
    ("1e-3A/cm2", "A/m**2", 10.0), ("1E-3 A/cm2", "A/m**2", 10.0), (".5mA/cm2", "A/m**2", 5.0),
    ("1mA/cm^2", "A/m**2", 10.0), ("1 mA cm-2", "A/m**2", 10.0), ("1mAh/cm2", "C/m**2", 3.6e4),
])
def test_cm2_shorthand_keeps_a_number_exponent(text, si_unit, si):
    """``cm2`` → ``cm**2`` applies to the unit: ``1e-3A/cm2`` used to become
    ``A/cm**2/e**3`` (exit 2, a unit "with the dimension" error)."""
    from hemcell.cli.limetal import _quantity

    assert _quantity(text, si_unit, "--current-density") == pytest.approx(si, rel=1e-12)


def test_licu_says_when_and_why_it_failed(tmp_path, capsys):
    """200 mAh/cm2 per cycle is more than the 450 um foil holds (92.8 mAh/cm2): the cell
    fails in cycle 1. The summary held failure_cycle only and the command printed a mean
    CE as if all cycles had run."""
    out = tmp_path / "licu"
    assert main(["limetal", "licu", "--anode", "coated", "--cycles", "3", "--areal-capacity",
                 "200mAh/cm2", "--current-density", "1mA/cm2", "--out", str(out),
                 "--no-plots"]) == 0
    # stripped bare within cycle 1, at Q_f / i = 92.77 mAh/cm2 / (1 mA/cm2) = 92.77 h
    assert "failure: cycle 1 of 3 at 92.77 h (Li inventory exhausted)" in capsys.readouterr().out
    s = json.loads((out / "summary.json").read_text())
    assert s["time_to_failure_h"] == pytest.approx(92.77, abs=0.005)
    assert (s["failure_cycle"], s["failure_reason"], s["cycles"]) == (
        1, "Li inventory exhausted", 1)
