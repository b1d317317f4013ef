"""Intercalation-only limit vs PyBaMM, inputs and errors, CLI outputs."""

from __future__ import annotations

import json

import pytest

from hemcell.errors import InputError


def test_intercalation_limit_matches_pybamm_basic_dfn_half_cell():
    from hemcell.workflows.anode_crosscheck import compare_with_pybamm_dfn

    r = compare_with_pybamm_dfn(1.0, reference="BasicDFNHalfCell")
    # BasicDFNHalfCell evaluates the Li-metal exchange current at the working electrode's
    # c_max instead of 1/V_Li: a constant ~2 mV counter-electrode offset
    assert r["max_abs_voltage_difference_mV"] < 5.0
    assert r["capacity_relative_difference"] < 2e-3


def test_intercalation_limit_matches_pybamm_dfn(capfd):
    """... and prints no SUNDIALS error: `cell crosscheck` printed '[ERROR] ...
    IDAICFailFlag: The linesearch algorithm failed' from the initial-condition search of
    PyBaMM's DFN (5 backtracks at rtol 1e-8) in a run that ended fine."""
    from hemcell.workflows.anode_crosscheck import compare_with_pybamm_dfn

    r = compare_with_pybamm_dfn(1.0, reference="DFN")
    assert r["max_abs_voltage_difference_mV"] < 1.0
    assert r["capacity_relative_difference"] < 1e-4
    assert "ERROR" not in capfd.readouterr().err


def test_inventory_of_the_heo_set():
    from hemcell.cell.parameters import inventory_from_si, load_si

    si, _ = load_si("heo_rocksalt_mgconicuzn")
    inv = inventory_from_si(si)
    assert inv.conversion == ("Co", "Ni", "Cu", "Zn")
    assert dict(inv.alloying) == {"Zn": 3}
    assert inv.space_charge == ("Co", "Ni")
    # 611 mAh/g conversion, 76 mAh/g Zn alloying (DESIGN.md section 4)
    conv = sum(si[f"conversion_capacity_{e}"] for e in ("co", "ni", "cu", "zn")) / 3600
    assert conv == pytest.approx(611, abs=1)
    assert si["alloying_capacity_zn"] / 3600 == pytest.approx(76.4, abs=0.1)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"mechanisms": ["intercalation", "plating"]}, "--mechanisms"),
        ({"protocol": "Discharge at lots until 0.01 V"}, "--protocol step"),
        ({"recipe": "no_such_recipe"}, "RECIPE"),
        ({"overrides": ["no_such_parameter=1"]}, "--set"),
        ({"overrides": ["anode_porosity=1.5"]}, None),
    ],
)
def test_bad_input_raises_input_error(kwargs, field):
    from hemcell.workflows.anode import run_cell

    args = {
        "recipe": "hem_half_cell_sp",
        "params": "heo_rocksalt_mgconicuzn",
        "protocol": "Discharge at 0.1 A/g until 0.01 V",
    }
    args.update(kwargs)
    with pytest.raises(InputError) as info:
        run_cell(**args)
    assert info.value.exit_code == 2
    if field:
        assert field in str(info.value)


def test_mechanism_needs_material(tmp_path):
    from hemcell.cell.model import HEMHalfCell, Inventory
    from hemcell.cell.options import model_options

    with pytest.raises(InputError):
        HEMHalfCell(model_options(["alloying"], Inventory(conversion=("Co",))))


def test_protocol_per_gram_conversion():
    from hemcell.cell.protocols import build_experiment, to_amps

    assert to_amps("Discharge at 0.1 A/g until 0.01 V", 0.02) == (
        "Discharge at 0.002 A until 0.01 V"
    )
    assert to_amps("Charge at 100 mA/g until 3 V", 0.02) == "Charge at 0.002 A until 3 V"
    # 1000 mAh/g x 0.02 g = 0.02 A h at 0.002 A: 10 h, twice that plus one hour
    s = to_amps("Discharge at 0.1 A/g until 0.01 V", 0.02, duration_capacity_Ah=0.02)
    assert "for 21 hours or until 0.01 V" in s
    exp, steps = build_experiment("Discharge at 0.1 A/g until 0.01 V; Rest for 1 hour", 0.01, 3)
    assert len(exp.cycles) == 3 and len(steps) == 2


def test_cli_run_writes_outputs(tmp_path):
    from typer.testing import CliRunner

    from hemcell.cli.cell import app

    out = tmp_path / "run"
    res = CliRunner().invoke(
        app,
        [
            "run",
            "hem_half_cell_sp",
            "--params",
            "heo_rocksalt_mgconicuzn",
            "--protocol",
            "Discharge at 0.2 A/g until 0.01 V; Charge at 0.2 A/g until 3 V",
            "--mechanisms",
            "intercalation,conversion,alloying,space_charge,irreversible",
            "--set",
            "metal_nanoparticle_diameter=4 nm",
            "--out",
            str(out),
        ],
    )
    assert res.exit_code == 0, res.output
    for f in (
        "summary.json",
        "run.json",
        "timeseries.csv",
        "voltage_profile.png",
        "mechanism_contributions.png",
        "dqdv.png",
    ):
        assert (out / f).is_file(), f
    s = json.loads((out / "summary.json").read_text())
    for key in (
        "discharge_capacity_mAh_per_g",
        "charge_capacity_mAh_per_g",
        "coulombic_efficiency",
        "capacity_by_mechanism_mAh_per_g",
        "charge_balance_relative_error",
        "magnetization_change_emu_per_g",
    ):
        assert key in s, key
    assert set(s["capacity_by_mechanism_mAh_per_g"][0]) >= {
        "intercalation",
        "conversion",
        "alloying",
        "space_charge",
        "irreversible",
    }
    assert s["charge_balance_relative_error"] <= 1e-3
    header = (out / "timeseries.csv").read_text().splitlines()[0].split(",")
    assert {
        "time_s",
        "voltage_V",
        "capacity_mAh_per_g",
        "space_charge_current_A",
        "magnetization_change_emu_per_g",
        "electrode_volumetric_strain",
    } <= set(header)


def test_cli_bad_mechanism_exit_code(tmp_path):
    from typer.testing import CliRunner

    from hemcell.cli.cell import app

    res = CliRunner().invoke(
        app,
        [
            "run",
            "hem_half_cell_sp",
            "--params",
            "heo_rocksalt_mgconicuzn",
            "--protocol",
            "Discharge at 0.2 A/g until 0.01 V",
            "--mechanisms",
            "bogus",
            "--out",
            str(tmp_path),
        ],
    )
    assert res.exit_code != 0
    assert isinstance(res.exception, InputError)
