"""Registry ↔ PyBaMM: every declared PyBaMM name is one a PyBaMM model actually reads, and
the conversion to ``pybamm.ParameterValues`` carries the SI values across."""

from __future__ import annotations

import itertools

import pytest

from hemcell.params import list_parameter_sets, load_parameter_set, registry

pybamm = pytest.importorskip("pybamm")


@pytest.fixture(scope="module")
def names_pybamm_reads() -> set[str]:
    names: set[str] = set()
    variants = [{}, {"surface form": "differential"},
                {"intercalation kinetics": "asymmetric Butler-Volmer"}]
    for half, extra in itertools.product([{"working electrode": "positive"}, {}], variants):
        names |= set(pybamm.lithium_ion.DFN({**half, **extra}).get_parameter_info())
    return names


def test_registry_pybamm_names_exist(names_pybamm_reads):
    unknown = {s.name: s.pybamm for s in registry().values()
               if s.pybamm and s.pybamm not in names_pybamm_reads}
    assert not unknown, f"PyBaMM does not read these names (typo?): {unknown}"


@pytest.mark.parametrize("name", [n for n in list_parameter_sets()
                                  if load_parameter_set(n).pybamm_base])
def test_parameter_values_carry_si_values(name):
    pset = load_parameter_set(name)
    values = pset.to_pybamm_parameter_values()
    assert set(pset.to_pybamm()) <= set(values.keys())
    for par in pset.parameters.values():
        if par.spec.pybamm and not par.spec.pybamm_unit:
            assert values[par.spec.pybamm] == pytest.approx(par.si_value), par.name
