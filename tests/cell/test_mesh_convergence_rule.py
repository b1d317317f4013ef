"""The electrode-mesh selection rule as scripts/anode_mesh_convergence.py applies it
(docs/anode.md "Numerics", "Electrode mesh"), on made-up runs: the criteria's arithmetic,
conditions the reference does not complete left out, a failed run counted, and step (i)'s
coarsest value."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "anode_mesh_convergence.py"


@pytest.fixture(scope="module")
def rule():
    spec = importlib.util.spec_from_file_location("anode_mesh_convergence", SCRIPT)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _run(q_l=1000.0, q_d=500.0, conv=600.0, v_d=0.5, v_c=1.2, completed=True):
    return {"completed": completed, "lithiation_mAh_per_g": q_l, "delithiation_mAh_per_g": q_d,
            "mechanisms_lithiation": {"conversion": conv, "double_layer": 0.2},
            "mechanisms_delithiation": {"conversion": conv / 2, "double_layer": 0.2},
            "mean_discharge_V": v_d, "mean_charge_V": v_c}


def test_criteria_are_relative_capacity_mechanism_over_the_cycle_and_mean_voltage(rule):
    """(b) 1e-3 of each capacity, (c) a mechanism's change over the cycle's lithiation
    capacity (not its own), (d) 1 mV on either mean voltage."""
    ref = _run()
    d = rule.deviations(_run(q_d=500.4, conv=600.9, v_c=1.2009), ref)
    assert d["capacity"] == pytest.approx(0.4 / 500)
    assert d["mechanism"] == pytest.approx(0.9 / 1000)  # 1.5e-3 of its own 600
    assert d["mechanism_own"] == pytest.approx(0.9 / 600)
    assert d["voltage_V"] == pytest.approx(0.9e-3)
    assert d["meets"]
    assert not rule.deviations(_run(q_l=1001.1), ref)["meets"]
    assert not rule.deviations(_run(conv=601.1), ref)["meets"]
    assert not rule.deviations(_run(v_d=0.5011), ref)["meets"]


def test_assess_leaves_out_conditions_the_reference_fails_and_counts_failed_runs(rule):
    conds = [("s", "Li", "1 A/g", 298.15), ("s", "Li", "2 A/g", 298.15)]
    ref, coarse = rule.REFERENCE, (5, 4, 5)
    runs = {rule._key("hem", conds[0], ref): _run(),
            rule._key("hem", conds[1], ref): _run(completed=False),
            rule._key("hem", conds[0], coarse): _run(q_l=1000.5),
            rule._key("hem", conds[1], coarse): _run(q_l=2000.0)}
    a = rule.assess(runs, "hem", coarse, conds)
    assert (a["meets"], a["compared"], a["capacity"]) == (True, 1, pytest.approx(5e-4))
    runs[rule._key("hem", conds[0], coarse)] = _run(completed=False)
    a = rule.assess(runs, "hem", coarse, conds)
    assert not a["meets"] and a["failed"] == [conds[0]]
    assert rule.assess(runs, "hem", (10, 10, 10), conds) is None  # not run


def test_step_one_takes_the_coarsest_value_from_which_every_finer_one_meets(rule, monkeypatch):
    """x_p = 8 meets, 6 does not, 5 meets again by chance: step (i) takes 8."""
    cond = ("s", "Li", "1 A/g", 298.15)
    monkeypatch.setattr(rule, "conditions", lambda model: [cond])
    s0, p0, r0 = rule.REFERENCE
    runs = {}
    for xs in rule.X_S:
        runs[rule._key("hem", cond, (xs, p0, r0))] = _run()
    for rp in rule.R_P:
        runs[rule._key("hem", cond, (s0, p0, rp))] = _run(v_d=0.5 if rp == 20 else 0.51)
    for xp in rule.X_P:
        runs[rule._key("hem", cond, (s0, xp, r0))] = _run(q_l=1010.0 if xp in (4, 6) else 1000.0)
    assert rule.ofat_choice(runs, "hem") == (rule.X_S[0], 8, 20)
