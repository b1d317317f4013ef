"""User trial u17: ``hemcell pybamm cc-discharge --model`` is read in any case.

``--model spme`` was refused (exit 2, "one of ('DFN', 'SPMe', 'SPM')") although SPMe is
one of the allowed models, while ``hemcell cell run --ion na`` reads the ion in any case.
"""

from __future__ import annotations

import json

import pytest

from hemcell.cli.main import main
from hemcell.workflows.cc_discharge import MODELS, Setup


@pytest.mark.parametrize(("typed", "model"), [("spme", "SPMe"), ("dfn", "DFN"),
                                               ("Spm", "SPM"), ("SPMe", "SPMe")])
def test_the_model_name_is_read_in_any_case(typed, model):
    assert Setup(model=typed).model == model
    assert Setup(model=typed) == Setup(model=model)  # one cache key per model


def test_an_unknown_model_is_still_refused_naming_the_models(tmp_path, capsys):
    code = main(["pybamm", "cc-discharge", "--model", "P2D", "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert code == 2
    assert "--model: got 'P2D'" in err and all(m in err for m in MODELS)


def test_a_lower_case_model_runs_the_same_discharge(tmp_path):
    results = []
    for typed in ("spm", "SPM"):
        out = tmp_path / typed
        assert main(["pybamm", "cc-discharge", "--model", typed, "--out", str(out)]) == 0
        results.append(json.loads((out / "summary.json").read_text()))
    assert results[0] == results[1]
