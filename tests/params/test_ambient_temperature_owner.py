"""One owner for "the set's ambient temperature with `--set`": `hemcell fit`'s data-set
temperature (``_Problem.simulated_temperature_K``) and its impedance model's temperature
(``ImpedanceProblem._model_case_and_temperature``) each loaded the set, applied
``model.set`` and read ``ambient_temperature`` themselves; `hemcell eis` needs the same
value for the temperature a ``--soc`` state is set at. They now call
:func:`hemcell.params.ambient_temperature_K`.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

import hemcell.params
from hemcell.params import ambient_temperature_K
from hemcell.workflows.fit import ImpedanceProblem, _Problem


def test_the_set_value_with_overrides():
    assert ambient_temperature_K("heo_rocksalt_mgconicuzn") == pytest.approx(298.15)
    assert ambient_temperature_K("heo_rocksalt_mgconicuzn",
                                 ["ambient_temperature=10 degC"]) == pytest.approx(283.15)
    assert ambient_temperature_K("bare_li", ["ambient_temperature=300 K"]) == 300.0


def test_the_fit_reads_it_through_the_one_owner(monkeypatch):
    calls = []

    def spy(name, overrides=()):
        calls.append((name, list(overrides)))
        return 301.0

    monkeypatch.setattr(hemcell.params, "ambient_temperature_K", spy)
    sets = ["coating_thickness=20 nm"]
    data = SimpleNamespace(temperature_K=None)
    problem = SimpleNamespace(base_set_name="azcnf_coated_li", spec=SimpleNamespace(
        model={"set": sets}))
    assert _Problem.simulated_temperature_K(problem, data) == 301.0
    assert _Problem.simulated_temperature_K(problem, SimpleNamespace(temperature_K=280.0)) \
        == 280.0
    li = SimpleNamespace(spec=SimpleNamespace(model={"set": sets}), recipe_cell=False,
                         anode="coated", temperature_K=None)
    assert ImpedanceProblem._model_case_and_temperature(li) == ("coated", 301.0)
    cell = SimpleNamespace(spec=SimpleNamespace(model={"set": [], "params": "cathode_he_nvpf"}),
                           recipe_cell=True, temperature_K=None)
    assert ImpedanceProblem._model_case_and_temperature(cell) == ("cathode_he_nvpf", 301.0)
    assert cell.case_kind == "cathode"
    assert calls == [("azcnf_coated_li", sets), ("azcnf_coated_li", sets),
                     ("cathode_he_nvpf", [])]
