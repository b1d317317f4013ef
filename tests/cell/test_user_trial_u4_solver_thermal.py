"""User trial U4: a Na/K SP run that failed in the solver, the lumped cell's heat.

Each test pins a defect met in the trial (docs/anode.md "Numerics", "Thermal").
"""

from __future__ import annotations

import numpy as np
import pytest

PARAMS = "heo_rocksalt_mgconicuzn"
CYCLE = "Discharge at 0.1 A/g until 0.01 V; Rest for 10 minutes; Charge at 0.1 A/g until 3 V"


@pytest.mark.parametrize("ion", ["Na", "K"])
@pytest.mark.parametrize("potential_scale_V", [1.0, None])
def test_a_na_or_k_conversion_space_charge_sp_cycle_runs_and_conserves_charge(
        ion, potential_scale_V, caplog, monkeypatch):
    """`cell run hem_half_cell_sp --ion Na --mechanisms conversion,space_charge` failed at
    t = 9.18 s with IDA_CONV_FAIL (100 convergence failures, h → 1e-59) while nothing
    reacted. Restarted from its last state by the solver (hemcell.idaklu, saying so; it
    was solved again with dense LU by the workflow before) the cycle runs, and the charge
    passed equals the sum of what the mechanisms and the double layer store. With the
    potentials at the model's solver scale (``POTENTIAL_SCALE_V``) the cycle runs without
    a restart; with the former scale of 1 V and the recipe's atol on it, 10 nV
    (``potential_scale_V=1.0``), the failure comes back and the restart answers it."""
    from hemcell import idaklu
    from hemcell.cell import model as cell_model
    from hemcell.workflows.anode import run_cell, summarize

    if potential_scale_V is not None:
        monkeypatch.setattr(cell_model, "POTENTIAL_SCALE_V", potential_scale_V)
        monkeypatch.setattr(idaklu, "POTENTIAL_SCALE_V", potential_scale_V)
    run = run_cell("hem_half_cell_sp", PARAMS, CYCLE, mechanisms=["conversion", "space_charge"],
                   ion=ion)
    assert run.error is None
    retried = any("restarted from the last state" in r.getMessage() for r in caplog.records)
    assert retried == (potential_scale_V == 1.0)
    sol = run.solution
    passed = sol["Anode charge passed [A.h]"].entries
    stored = sum(sol[f"Anode {m} charge [A.h]"].entries
                 for m in ("conversion", "space-charge", "double-layer"))
    scale = np.max(np.abs(passed))
    assert scale > 0
    np.testing.assert_allclose(stored, passed, rtol=0, atol=1e-9 * scale)
    # the ion-shifted conversion branches lie below the 0.01 V cut-off (docs/anode.md
    # "Numerics"): nothing converts, only the double layer is charged (~0.3 mAh/g), and
    # the run says so
    assert np.max(np.abs(sol["Anode conversion charge [A.h]"].entries)) < 1e-9 * scale
    summary, _, _ = summarize(run, timeseries=False)
    assert any("cannot start above the 0.01 V cut-off" in w and "no conversion capacity" in w
               for w in summary["warnings"])


#: A recipe's ``solver:`` keys for dense LU, with IDA's Newton convergence test at 1e-4
#: (the options of the workflow's former dense-LU retry; docs/anode.md "Numerics").
DENSE_LU = {"linear_solver": "SUNLinSol_Dense", "jacobian": "dense",
            "nonlinear_convergence_coefficient": 1e-4}


def test_the_dense_retry_is_as_accurate_as_klu():
    """Dense LU with the recipe's Newton coefficient 0.01 stopped Newton early: the
    four-storage-mechanism SP run was 35 mV off. With the coefficient at 1e-4 it stays
    within 0.1 mV of a reference at rtol 1e-9, as KLU does (0.02 mV each)."""
    from dataclasses import replace

    from hemcell.workflows.anode import build_simulation, prepare_cell

    setup = prepare_cell("hem_half_cell_sp", PARAMS, "Discharge at 0.05 A/g for 20 minutes",
                         mechanisms=["intercalation", "conversion", "alloying", "space_charge"])

    def voltage(update):
        rec = replace(setup.recipe, solver={**setup.recipe.solver, **update})
        sol = build_simulation(rec, setup.parameter_values, setup.inventory,
                               setup.experiment).solve()
        t = np.linspace(30.0, 1200.0, 40)
        return np.interp(t, sol.t, sol["Voltage [V]"].entries)

    reference = voltage({"rtol": 1e-9, "atol": 1e-11})
    assert np.max(np.abs(voltage({}) - reference)) < 1e-4
    assert np.max(np.abs(voltage(DENSE_LU) - reference)) < 1e-4


def test_conversion_onsets_by_hand():
    """U_lith − ΔU₁ + s ln(101), s = σ√3/π: Co with Li 0.9 − 0.2 + 0.254 = 0.954 V (no
    warning); with Na the branch is shifted by −0.961 V (docs/anode.md, Carrier ions)."""
    from hemcell.cell.mechanisms.conversion import (
        first_lithiation_onset_V,
        onset_below_cutoff_warnings,
    )
    from hemcell.workflows.anode import prepare_cell

    u_max = 0.1 * np.sqrt(3) / np.pi * np.log(101)
    li = prepare_cell("hem_half_cell_sp", PARAMS, CYCLE).parameter_values
    assert first_lithiation_onset_V(li, ["Co"])["Co"] == pytest.approx(0.9 - 0.2 + u_max)
    assert onset_below_cutoff_warnings(li, ["Co", "Ni", "Cu", "Zn"]) == []
    na = prepare_cell("hem_half_cell_sp", PARAMS, CYCLE, ion="Na").parameter_values
    assert first_lithiation_onset_V(na, ["Co"])["Co"] == pytest.approx(
        0.9 - 0.961 - 0.2 + u_max, abs=2e-3)


def test_a_recipe_may_name_the_linear_solver(tmp_path):
    from hemcell.cell.recipes import load_recipe, models_dir
    from hemcell.errors import InputError

    text = (models_dir() / "hem_half_cell_sp.yaml").read_text().replace(
        "nonlinear_convergence_coefficient: 0.01}",
        "nonlinear_convergence_coefficient: 0.01, linear_solver: SUNLinSol_Dense, "
        "jacobian: dense}")
    (tmp_path / "dense.yaml").write_text(text)
    rec = load_recipe(str(tmp_path / "dense.yaml"))
    assert rec.solver["linear_solver"] == "SUNLinSol_Dense" and rec.solver["jacobian"] == "dense"
    (tmp_path / "bad.yaml").write_text(text.replace("SUNLinSol_Dense", "SuperLU"))
    with pytest.raises(InputError) as exc:
        load_recipe(str(tmp_path / "bad.yaml"))
    assert exc.value.field.endswith("solver.linear_solver")
