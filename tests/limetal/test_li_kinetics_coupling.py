"""One Li exchange-current rule, typed surface coupling, temperature in Li-metal runs.

- The coupled commands hand the surface run the cell's own Li exchange current at the
  cell's temperature, as floats (a spy replaces the surface solve).
- ``--kinetics set`` derives the coated value from the bare set by the coated-interface
  rule (:func:`hemcell.laws.coated_exchange_current`), like the surface model.
- Temperature: the Li‖Li charge-transfer overpotential at a small current is
  i·RT/(F i0(T)) per interface, so between two temperatures it scales as
  (T₂/T₁) exp[E_a/R (1/T₂ − 1/T₁)]; the constant-property concentration term scales as T.
"""

from __future__ import annotations

import json
import math

import pytest

from hemcell.errors import InputError
from hemcell.laws import GAS_CONSTANT_J_PER_MOL_K, arrhenius_factor, coated_exchange_current
from hemcell.limetal.parameters import cell_parameters, load_anode_set, load_cell_parameters
from hemcell.params.li_sets import LI_ANODE_SETS, li_anode_set_name

COLD = ["ambient_temperature=283.15 K"]


@pytest.fixture
def surface_spy(monkeypatch):
    """Replace the surface solve by a recorder that answers f = 1.5 (f_w = 1.2)."""
    from hemcell.workflows import coupling

    requests = []

    def fake(request, use_cache):
        requests.append(request)
        return {"current_focusing_factor": 1.5, "current_weighted_focusing_factor": 1.2,
                "parameters_hash": "spy", "cached": False, "metrics": {}}

    monkeypatch.setattr(coupling, "_solve_surface", fake)
    return requests


def test_coupled_rate_and_cycle_hand_the_cells_i0_to_the_surface_run(surface_spy, tmp_path):
    from hemcell.workflows import limetal

    cell = cell_parameters(load_anode_set("coated", COLD), "coated")
    limetal.rate(["coated"], [1.0], tmp_path / "rate", COLD, focusing_from_surface=True)
    limetal.cycle(["coated"], 1, 1.0, tmp_path / "cycle", COLD, focusing_from_surface=True)
    limetal.symmetric(["coated"], 10.0, 36000.0, 4.0, tmp_path / "sym", COLD,
                      focusing_from_surface=True)
    limetal.licu(["coated"], 20.0, 36000.0, 2, tmp_path / "licu", COLD,
                 focusing_from_surface=True)
    assert len(surface_spy) == 4
    rate_req, cycle_req = surface_spy[0], surface_spy[1]
    # rate and cycle at 1C: same anode, current, temperature and exchange current
    assert rate_req == cycle_req
    for req in surface_spy:
        assert req.anode == "coated"
        assert req.exchange_current_A_per_m2 == cell.exchange_current_A_per_m2
        assert req.temperature_K == 283.15
        assert req.overrides == tuple(COLD)
    # the cell's i0 at 283.15 K: Arrhenius from the 298.15 K value of the seed's 44 Ohm
    assert cell.exchange_current_A_per_m2 == pytest.approx(
        cell.exchange_current_ref_A_per_m2 * arrhenius_factor(27.82e3, 283.15, 298.15),
        rel=1e-12)
    # the returned factor is the one the cells use, and run.json records the request
    focusing = _find(json.loads((tmp_path / "cycle" / "run.json").read_text()), "focusing")
    assert focusing["coated"]["request"]["exchange_current_A_per_m2"] == \
        cell.exchange_current_A_per_m2
    summary = json.loads((tmp_path / "sym" / "summary.json").read_text())
    assert "overpotential_mV" in summary
    sym_run = json.dumps(json.loads((tmp_path / "sym" / "run.json").read_text()))
    assert '"focusing_factor": 1.5' in sym_run


def _find(tree, key):
    """The first value stored under ``key`` in nested dicts."""
    if isinstance(tree, dict):
        if key in tree:
            return tree[key]
        for v in tree.values():
            found = _find(v, key)
            if found is not None:
                return found
    return None


def test_current_weighted_metric_reaches_the_cell(surface_spy, tmp_path):
    from hemcell.workflows import limetal

    limetal.symmetric(["bare"], 10.0, 36000.0, 4.0, tmp_path, focusing_from_surface=True,
                      focusing_metric="current-weighted")
    run = json.loads((tmp_path / "run.json").read_text())
    assert '"focusing_factor": 1.2' in json.dumps(run)
    with pytest.raises(InputError):
        limetal.symmetric(["bare"], 10.0, 36000.0, 4.0, tmp_path, focusing_from_surface=True,
                          focusing_metric="mean")


def test_kinetics_set_coated_follows_the_coated_interface_rule():
    bare_set = load_anode_set("bare")
    _, bare = load_cell_parameters("bare", kinetics="set")
    _, coated = load_cell_parameters("coated", kinetics="set")
    assert bare.exchange_current_ref_A_per_m2 == float(bare_set.si["li_exchange_current_density"])
    a = coated.li_electrode_area_m2
    rule = bare.exchange_current_ref_A_per_m2 * (64 * a / 2) / (
        44 * a / 2 - coated.film_resistance_ohm_m2)
    assert coated.exchange_current_ref_A_per_m2 == pytest.approx(rule, rel=1e-12)
    assert coated.exchange_current_ref_A_per_m2 == coated_exchange_current(
        bare.exchange_current_ref_A_per_m2, 64.0, 44.0, a, coated.film_resistance_ohm_m2)
    # the rct kinetics are the same rule with i0_bare from R_bare: equal ratios
    _, bare_rct = load_cell_parameters("bare")
    _, coated_rct = load_cell_parameters("coated")
    assert (coated_rct.exchange_current_ref_A_per_m2 / bare_rct.exchange_current_ref_A_per_m2
            == pytest.approx(rule / bare.exchange_current_ref_A_per_m2, rel=1e-12))
    with pytest.raises(InputError):  # the coated set alone cannot give it
        cell_parameters(load_anode_set("coated"), "coated", "set")
    with pytest.raises(InputError):
        load_cell_parameters("coated", kinetics="fast")  # type: ignore[arg-type]


def test_one_owner_of_the_anode_set_names():
    assert LI_ANODE_SETS == {"bare": "bare_li", "coated": "azcnf_coated_li"}
    assert li_anode_set_name("coated") == "azcnf_coated_li"
    with pytest.raises(InputError):
        li_anode_set_name("gold")


@pytest.mark.parametrize("anode, ea", [("bare", 29.31e3), ("coated", 27.82e3)])
def test_symmetric_overpotential_scales_like_rct_of_t(tmp_path, anode, ea):
    """1e-3 A/m² (f i/2i0 ≤ 1.4e-3 at 263 K: linear to 3e-7): 2η_ct ∝ T exp(E_a/RT),
    concentration ∝ T/D(T), separator ∝ 1/κ(T) (the electrolyte by Valøen & Reimers,
    :func:`hemcell.materials.lipf6_electrolyte.valoen_reimers_ratio`; before, the electrolyte kept
    its 298.15 K values and only T moved the concentration term)."""
    from hemcell.materials.lipf6_electrolyte import valoen_reimers_ratio
    from hemcell.workflows import limetal

    t1, t2 = 298.15, 263.15
    terms = {}
    for t in (t1, t2):
        s = limetal.symmetric([anode], 1e-3, 3.6, 2.0, tmp_path / f"{t}",
                              [f"ambient_temperature={t} K"])
        terms[t] = s["initial_overpotential_terms_mV"]
    expected = t2 / t1 * math.exp(ea / GAS_CONSTANT_J_PER_MOL_K * (1 / t2 - 1 / t1))
    assert terms[t2]["charge_transfer"] / terms[t1]["charge_transfer"] == pytest.approx(
        expected, rel=1e-5)
    k_ratio, d_ratio = valoen_reimers_ratio(t2, 1000.0)
    assert terms[t2]["concentration"] / terms[t1]["concentration"] == pytest.approx(
        t2 / t1 / d_ratio, rel=1e-9)
    assert terms[t2]["separator"] == pytest.approx(terms[t1]["separator"] / k_ratio, rel=1e-12)


def test_half_cell_li_exchange_current_follows_arrhenius():
    """The DFN's Li exchange-current function at c_e = c_ref is the input times the
    Arrhenius factor at its temperature (laws.arrhenius_factor)."""
    import pybamm

    from hemcell.limetal.halfcell import IN_I0_LI, build_half_cell

    pset, p = load_cell_parameters("coated", COLD)
    cell = build_half_cell(p, pset)
    fn = cell.simulation.parameter_values[
        "Exchange-current density for lithium metal electrode [A.m-2]"]
    c_ref = p.electrolyte_concentration_mol_per_m3
    for t in (263.15, 283.15, 318.15):
        value = fn(pybamm.Scalar(c_ref), pybamm.Scalar(1.0), pybamm.Scalar(t)).evaluate(
            inputs={IN_I0_LI: 2.0})
        assert float(value) == pytest.approx(2.0 * arrhenius_factor(27.82e3, t, 298.15),
                                             rel=1e-12)
    assert cell.simulation.parameter_values["Ambient temperature [K]"] == 283.15
