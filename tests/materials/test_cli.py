"""``hemcell composition``: JSON output, exit code 2 with one clear line for bad input, and
the starting parameter set (loads, passes ``params check``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hemcell.cli.main import main
from hemcell.materials import JSON_KEYS
from hemcell.params import load_parameter_set

ROCK_SALT = "(Mg0.2Co0.2Ni0.2Cu0.2Zn0.2)O"


def test_json_prints_exactly_the_issue_keys(capsys):
    assert main(["composition", ROCK_SALT, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert tuple(out) == JSON_KEYS
    assert out["capacity_mAh_per_g"]["conversion"] == pytest.approx(611, abs=1)
    assert out["entropy_class"] == "high"


def test_text_report_and_options(capsys):
    assert main(["composition", "(LiFeZnNiCoMn)3O4", "--ion", "Na", "--inactive", "Zn,Mn",
                 "--oxidation", "Fe=3"]) == 0
    out = capsys.readouterr().out
    assert "Na+ carriers" in out and "Zn: inactive" in out and "Fe > Co > Ni" in out


@pytest.mark.parametrize(("args", "expected"), [
    (["(Mg0.2Co0.2"], "formula '(Mg0.2Co0.2' at position 12"),
    (["Mg0.2Xx"], "at position 6: got 'Xx'"),
    (["MgO", "--ion", "Ca"], "--ion: got 'Ca'; allowed: one of Li, Na, K"),
    (["MgO", "--oxidation", "Mg"], "--oxidation: got 'Mg'"),
    (["FeO3"], "oxidation states of Fe1O3"),
    (["MgO", "--inactive", "Zn"], "--inactive: got 'Zn'"),
    (["PbO"], "formula element: got 'Pb'"),
    (["MgO", "--write-params", "out.txt"], "--write-params: got 'out.txt'"),
])
def test_bad_input_exits_2_with_one_clear_line(capsys, args, expected):
    assert main(["composition", *args]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[0].startswith("error: ") and expected in err[0]
    assert all(line.startswith(("error: ", "hint: ")) for line in err)
    assert "Traceback" not in "\n".join(err)


FORMULAS = {"rock_salt": ROCK_SALT, "spinel": "(LiFeZnNiCoMn)3O4", "phosphide": "InGeSiP3"}


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> dict[str, Path]:
    """The three example formulas written once with --write-params."""
    folder = tmp_path_factory.mktemp("composition_sets")
    paths = {}
    for stem, formula in FORMULAS.items():
        paths[stem] = folder / f"{stem}.yaml"
        assert main(["composition", formula, "--json", "--write-params", str(paths[stem])]) == 0
    return paths


@pytest.mark.parametrize("stem", list(FORMULAS))
def test_written_parameter_set_loads_and_checks(written, capsys, stem):
    path = written[stem]
    p = load_parameter_set(path)
    assert p.kind == "anode" and p.name == stem
    capsys.readouterr()
    assert main(["params", "check", str(path), "--no-seeds"]) == 0
    assert capsys.readouterr().out.startswith("ok ")
    derived = [par for par in p.parameters.values() if par.source_kind == "derived"]
    assert any(par.name.startswith("conversion_capacity_") for par in derived)


def test_rock_salt_set_reproduces_the_shipped_capacities(written):
    """The written set's composition-derived capacities equal the hand-made rock-salt set."""
    written_set = load_parameter_set(written["rock_salt"])
    shipped = load_parameter_set("heo_rocksalt_mgconicuzn")
    for name in ("conversion_capacity_co", "conversion_capacity_zn", "alloying_capacity_zn",
                 "electrons_per_metal_atom_ni"):
        assert written_set.si[name] == pytest.approx(shipped.si[name], rel=1e-4)
    assert (written_set.si["anode_active_material_density"]
            == shipped.si["anode_active_material_density"])
    assert set(shipped.parameters) <= set(written_set.parameters)


def test_spinel_set_lists_what_is_missing(written):
    p = load_parameter_set(written["spinel"])
    assert "conversion_capacity_fe" in p and "metal_molar_volume_fe" in p
    assert p["anode_active_material_density"].source_kind == "assumed"
    assert any("conversion_lithiation_potential_fe" in n for n in p.notes)


def test_write_params_needs_a_set_name(tmp_path):
    assert main(["composition", ROCK_SALT, "--write-params", str(tmp_path / "Bad-Name.yaml")]) == 2


def test_written_seed_citations_check_when_seeds_are_present(written):
    from tests.conftest import seeds_folder

    seeds_folder()
    assert main(["params", "check", str(written["rock_salt"])]) == 0


@pytest.mark.slow
def test_written_rock_salt_set_runs_in_the_anode_model(written, tmp_path, capsys):
    """End to end: the written set drives the single-particle HEM half-cell, and the
    model's conversion capacity equals the inventory's 611.1 mAh/g."""
    out = tmp_path / "run"
    assert main(["cell", "run", "hem_half_cell_sp", "--params", str(written["rock_salt"]),
                 "--protocol", "Discharge at 0.1 A/g until 0.01 V", "--out", str(out)]) == 0
    summary = json.loads((out / "summary.json").read_text())
    conversion = summary["capacity_by_mechanism_mAh_per_g"][0]["conversion"]
    assert conversion == pytest.approx(611.1, abs=0.5)
