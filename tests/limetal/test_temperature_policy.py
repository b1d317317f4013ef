"""One temperature policy for the electrolytes, and small input defects.

The Li electrolyte (LiPF6 carbonate, Valøen & Reimers 2005 fits) has one owner of its
range, :data:`hemcell.materials.lipf6_electrolyte.VALOEN_TEMPERATURE_RANGE_K` (-10 to 60 degC,
assumed): inside it a run is as before; outside it (above the diffusivity fit's
divergence, 229 + 5c K = 234 K at 1 M) the run goes on with a warning on stderr and in the
run's ``warnings``; at or below the divergence it stops (exit 2). EIS refused anything
outside -10..60 degC; limetal and surface ran a 253 K cell (D_e / 95) without a word. The
aqueous Zn electrolyte (2 M ZnSO4) ran at 253 K as if liquid: it is now refused outside
the assumed 273.15-373.15 K (water's liquid range).
"""

from __future__ import annotations

import json

import pytest

from hemcell.cli.main import main
from hemcell.errors import InputError
from hemcell.limetal.zinc import (
    ZN_ELECTROLYTE_TEMPERATURE_RANGE_K,
    zn_electrolyte_temperature_warnings,
)
from hemcell.materials.lipf6_electrolyte import (
    VALOEN_TEMPERATURE_RANGE_K,
    electrolyte_temperature_warnings,
    valoen_divergence_temperature_K,
)

C_E = 1000.0  # mol/m**3, the sets' 1 M LiPF6
EXTRAPOLATED = "the electrolyte conductivity and diffusivity are extrapolated"


# ---------------------------------------------------------------------- one owner
#: The law's own names (``workflows.surface`` has a wrapper named
#: ``electrolyte_temperature_warnings`` that picks the Li or the Zn policy).
_LAW_NAMES = {"valoen_reimers_ratio", "valoen_electrolyte_warnings", "valoen_electrolyte_state",
              "check_above_divergence", "valoen_divergence_temperature_K",
              "VALOEN_TEMPERATURE_RANGE_K", "VALOEN_DIFFUSIVITY_T0_K"}


def test_the_law_has_one_owner_below_the_physics_packages():
    """The Valøen & Reimers law and its policy are defined once, in
    :mod:`hemcell.materials.lipf6_electrolyte` (below ``cell``, ``surface`` and
    ``limetal``, which all use it), and no module outside ``hemcell.limetal`` reaches into
    the Li-metal package for them (the anode cell did: a Li-metal module owned a law the
    HEM anode half-cell uses)."""
    import ast
    from pathlib import Path

    import hemcell

    root = Path(hemcell.__file__).parent
    owners, reach_in = set(), []
    for path in root.rglob("*.py"):
        rel = path.relative_to(root.parent).with_suffix("").as_posix().replace("/", ".")
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and node.name in _LAW_NAMES:
                owners.add(rel)
            elif isinstance(node, ast.Assign) and any(
                    isinstance(t, ast.Name) and t.id in _LAW_NAMES for t in node.targets):
                owners.add(rel)
            elif (isinstance(node, ast.ImportFrom) and node.module == "hemcell.limetal.electrolyte"
                  and not rel.startswith("hemcell.limetal")):
                reach_in.append(rel)
            if (isinstance(node, ast.ImportFrom) and node.module == "hemcell.limetal.electrolyte"
                    and {a.name for a in node.names}
                    & (_LAW_NAMES | {"electrolyte_temperature_warnings"})):
                reach_in.append(rel)
    assert owners == {"hemcell.materials.lipf6_electrolyte"}
    assert reach_in == []


# ---------------------------------------------------------------------- the policy
def test_range_and_divergence():
    """-10 to 60 degC; the VTF temperature 229 + 5c K of eq. 14 is 234 K at 1 M."""
    assert VALOEN_TEMPERATURE_RANGE_K == (263.15, 333.15)
    assert valoen_divergence_temperature_K(C_E) == pytest.approx(234.0, rel=1e-12)


@pytest.mark.parametrize("T", [263.15, 298.15, 333.15])
def test_no_warning_inside_the_range(T):
    assert electrolyte_temperature_warnings(T, C_E) == []


@pytest.mark.parametrize("T", [253.15, 240.0, 340.0])
def test_a_warning_outside_names_temperature_range_and_extrapolation(T):
    (w,) = electrolyte_temperature_warnings(T, C_E)
    assert f"{T:.2f} K" in w and "263.15-333.15 K" in w and EXTRAPOLATED in w


@pytest.mark.parametrize("T", [150.0, 234.0])
def test_at_or_below_the_divergence_is_refused(T):
    with pytest.raises(InputError, match=r"234\.00 K"):
        electrolyte_temperature_warnings(T, C_E)


def test_zn_aqueous_electrolyte_bound():
    """No sourced freezing or boiling point of 2 M ZnSO4: the assumed range is water's
    273.15-373.15 K; outside it the run is refused naming ambient_temperature."""
    assert ZN_ELECTROLYTE_TEMPERATURE_RANGE_K == (273.15, 373.15)
    assert zn_electrolyte_temperature_warnings(298.15) == []
    assert zn_electrolyte_temperature_warnings(273.15) == []
    assert zn_electrolyte_temperature_warnings(373.15) == []
    for t in (253.15, 383.15):
        with pytest.raises(InputError) as e:
            zn_electrolyte_temperature_warnings(t)
        assert e.value.field == "ambient_temperature" and "373.15" in str(e.value)


# ---------------------------------------------------------------------- per family
def _nucleation(tmp_path, T_K: float, name: str) -> tuple[int, str, dict]:
    out = tmp_path / name
    code = main(["limetal", "nucleation", "--anode", "bare", "--areal-capacity", "0.1mAh/cm2",
                 "--set", f"ambient_temperature={T_K}K", "--out", str(out), "--no-plots"])
    return code, out


def test_limetal_warns_outside_and_not_inside(tmp_path, capsys):
    """``limetal nucleation`` (the cheapest Li-metal command; all five share the loader
    that applies the policy): summary.json and run.json carry the warning."""
    code, out = _nucleation(tmp_path, 253.15, "cold")
    err = capsys.readouterr().err
    assert code == 0
    assert "warning: cell temperature 253.15 K" in err and EXTRAPOLATED in err
    summary = json.loads((out / "summary.json").read_text())
    run = json.loads((out / "run.json").read_text())
    assert len(summary["warnings"]) == 1 and summary["warnings"][0] in err
    assert run["warnings"] == summary["warnings"]
    code, out = _nucleation(tmp_path, 298.15, "room")
    assert code == 0 and "warning" not in capsys.readouterr().err
    assert "warnings" not in json.loads((out / "summary.json").read_text())


def test_limetal_exit_2_at_the_divergence(tmp_path, capsys):
    code, _ = _nucleation(tmp_path, 234.0, "frozen")
    assert code == 2 and "234.00 K" in capsys.readouterr().err


def test_surface_case_warns_outside_and_not_inside(capsys):
    """surface run/compare/transient/seeds/3D and the phase field resolve every case here
    (no solve needed to see the policy): the warning goes to stderr and run.json."""
    from hemcell.workflows.surface import resolve_case

    rc = resolve_case("bare", "flat", ["ambient_temperature=253.15K"])
    err = capsys.readouterr().err
    assert rc.record["warnings"] and rc.record["warnings"][0] in err and EXTRAPOLATED in err
    rc = resolve_case("bare", "flat", ["ambient_temperature=25degC"])
    assert "warnings" not in rc.record and "warning" not in capsys.readouterr().err
    with pytest.raises(InputError, match=r"234\.00 K"):
        resolve_case("bare", "flat", ["ambient_temperature=230K"])


def test_phasefield_li_record_carries_the_warning(capsys):
    from hemcell.workflows.phasefield import resolve_phasefield

    _, record = resolve_phasefield("bare", "Li", ["ambient_temperature=340K"])
    assert record["warnings"] and record["warnings"][0] in capsys.readouterr().err


def test_surface_zn_refused_below_freezing():
    from hemcell.workflows.surface import resolve_case

    with pytest.raises(InputError) as e:
        resolve_case("bare", "flat", ["ambient_temperature=253.15K"], metal="Zn")
    assert e.value.field == "ambient_temperature"


def test_eis_follows_the_same_policy(tmp_path, capsys):
    """EIS refused -20 degC (outside its own -10..60 degC parameters); it now runs with the
    warning, like the other commands, and still refuses the divergence (test_eis.py)."""
    out = tmp_path / "eis"
    assert main(["eis", "symmetric", "--anode", "bare", "--frequencies", "1e-1:1e5:2/decade",
                 "--temperatures", "-20degC", "--out", str(out), "--no-plots"]) == 0
    err = capsys.readouterr().err
    summary = json.loads((out / "summary.json").read_text())
    assert summary["warnings"][0] in err and "253.15 K" in err
    assert "electrolyte_temperature_min" not in summary["eis_parameters"]


# ---------------------------------------------------------------------- units, lists
@pytest.mark.parametrize("text, si", [("10mA/cm2", 100.0), ("1 mA/cm2", 10.0),
                                      ("1e-3A/cm2", 10.0)])
def test_set_accepts_the_cm2_shorthand(text, si):
    """``--set applied_current_density=10mA/cm2`` was refused ("'cm2' is not defined")
    while ``--current-density 10mA/cm2`` was accepted: one shorthand, in
    :func:`hemcell.units.parse_quantity_text`."""
    from hemcell.params import load_parameter_set

    ps = load_parameter_set("surface_defaults").with_overrides(
        [f"applied_current_density={text}"])
    assert ps.si["applied_current_density"] == pytest.approx(si, rel=1e-12)


@pytest.mark.parametrize("text", ["0.2,,1", "0.2,1,", ",1"])
def test_empty_list_items_are_refused(tmp_path, capsys, text):
    """``--rate-steps 0.2,,1`` ran two steps."""
    code = main(["limetal", "symmetric", "--rate-steps", text, "--out", str(tmp_path / "x"),
                 "--no-plots"])
    err = capsys.readouterr().err
    assert code == 2 and "--rate-steps" in err and "empty items" in err


# ---------------------------------------------------------------------- HEM anode cell
def test_anode_cell_xu2019_electrolyte_follows_the_same_policy(capsys):
    """The HEM anode half-cell's electrolyte is PyBaMM's Xu2019 set, i.e. the same
    Valøen & Reimers functions: same range, same policy (the README's cold run, 263 K,
    is inside: 263.15 K)."""
    from hemcell.workflows.anode import prepare_cell, run_cell, summarize

    recipe, params = "hem_half_cell_p2d", "heo_rocksalt_mgconicuzn"
    prepare_cell(recipe, params, "Rest for 1 minute", overrides=["ambient_temperature=263.15K"])
    assert "warning" not in capsys.readouterr().err
    run = run_cell(recipe, params, "Rest for 1 minute", overrides=["ambient_temperature=250K"])
    err = capsys.readouterr().err
    (w,) = summarize(run, timeseries=False)[0]["warnings"]
    assert w in err and "250.00 K" in w and EXTRAPOLATED in w
    with pytest.raises(InputError, match=r"234\.00 K"):
        prepare_cell(recipe, params, "Rest for 1 minute", overrides=["ambient_temperature=230K"])
