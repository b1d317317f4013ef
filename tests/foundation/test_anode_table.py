"""The anode validation summary of docs/anode.md lists exactly the anode cases that exist.

The table (section "Validation summary", written by ``scripts/anode_validation_table.py``)
must carry every ``validation/anode_*`` case with its kind (calibrated, held-out, ...),
its targets, sources and tolerances as in the case files, and for each calibrated case
the one set constant fitted to it; no constant may be fitted to two cases. The model
values need runs and are not checked here.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from hemcell.params import load_parameter_set

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs" / "anode.md"


@pytest.fixture(scope="module")
def table():
    spec = importlib.util.spec_from_file_location(
        "anode_validation_table", ROOT / "scripts" / "anode_validation_table.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def cases(table):
    return table.anode_cases()


#: Columns compared: case, kind, fitted constant, quantity, target, source, tolerance.
STATIC = slice(0, 7)


def test_docs_table_lists_every_anode_case_with_its_targets(table, cases):
    documented = [row[STATIC] for row in table.docs_rows(DOCS.read_text())]
    expected = [row[STATIC] for row in table.table_rows(cases)]
    assert documented, "docs/anode.md has no table between the anode-validation-table markers"
    missing = [r for r in expected if r not in documented]
    extra = [r for r in documented if r not in expected]
    assert not missing and not extra, (
        "docs/anode.md 'Validation summary' is out of date; regenerate it with "
        f"scripts/anode_validation_table.py --docs docs/anode.md\nmissing: {missing}\n"
        f"extra: {extra}")
    assert {c.name for c in cases} == {r[0].strip("`") for r in documented}


def test_each_calibrated_case_names_one_fitted_constant_of_its_own(table, cases):
    calibrated = {c.name for c in cases if c.kind == "calibrated"}
    assert calibrated == set(table.FITTED_CONSTANTS), (
        "every calibrated anode case (and only those) names the constant fitted to it")
    constants = list(table.FITTED_CONSTANTS.values())
    assert len(constants) == len(set(constants)), "a constant is fitted to two cases"


@pytest.mark.parametrize("case_name", ["anode_heo_cycle_life_2500"])
def test_fitted_constants_are_marked_calibrated_in_their_sets(table, case_name):
    pset, key = table.FITTED_CONSTANTS[case_name]
    assert load_parameter_set(pset).parameters[key].source_kind == "calibrated"


def test_fitted_constants_exist_in_their_sets(table):
    for pset, key in table.FITTED_CONSTANTS.values():
        assert key in load_parameter_set(pset).parameters, (pset, key)


def test_held_out_cases_name_no_fitted_constant(table, cases):
    for row in table.table_rows(cases):
        if row[1] != "calibrated":
            assert row[2] == "—", row
