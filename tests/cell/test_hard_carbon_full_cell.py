"""Hard carbon ‖ cathode-set Na full cells (hemcell.cell.hard_carbon) and the cross-check
against PyBaMM's own Na-ion DFN (hemcell.workflows.cathode_crosscheck).

Checks: the hard carbon is PyBaMM's Chayambuka2022 (every negative-electrode entry read
from the set, the balanced thickness and the empty initial state excepted); the balance
n/p = Q_n / Q_p,window holds exactly; Na is conserved between the electrodes and equals
∫I dt over a charge/discharge; the cell stays inside its cut-offs and the hard carbon below
its plating end; hemcell's cell with Chayambuka's NVPF functions reproduces
``pybamm.sodium_ion.BasicDFN`` with ``Chayambuka2022`` on a coarse mesh; PyBaMM's shipped
NVPF diffusivity uses the positive c_max; refusals.
"""

from __future__ import annotations

import numpy as np
import pytest

pybamm = pytest.importorskip("pybamm")

from hemcell.cell.cathodes import cathode_set_si  # noqa: E402
from hemcell.cell.hard_carbon import (  # noqa: E402
    cathode_window_capacity_C_per_m2,
    chayambuka2022,
    chayambuka2022_tables,
    empty_stoichiometry,
    full_cell_values,
    negative_capacity_C_per_m2,
)
from hemcell.errors import InputError  # noqa: E402

PBA = "cathode_hepba_femnnicuco"
NVPF = "cathode_he_nvpf"
COARSE = {"x_n": 6, "x_s": 4, "x_p": 6, "r_n": 6, "r_p": 6}


@pytest.fixture(scope="module")
def coarse_recipe(tmp_path_factory):
    """hc_full_cell_na_pba on a coarse mesh (the test budget)."""
    path = tmp_path_factory.mktemp("recipe") / "hc_full_cell_coarse.yaml"
    path.write_text("name: hc_full_cell_coarse\ncell: hard_carbon_full\n"
                    f"cathode: {PBA}\nn_p_ratio: 1.1\ngeometry: p2d\n"
                    "mesh: {x_n: 6, x_s: 4, x_p: 6, r_n: 6, r_p: 6}\n"
                    "solver: {rtol: 1.0e-6, atol: 1.0e-8}\n")
    return str(path)


@pytest.fixture(scope="module")
def pba_run(coarse_recipe):
    from hemcell.workflows.cathode_half_cell import run_cell, summarize

    run = run_cell(coarse_recipe, PBA, "Charge at C/5 until 4.2 V; Discharge at C/5 until 2.0 V")
    return run, summarize(run)


def test_hard_carbon_is_pybamms_chayambuka2022():
    """Every negative-electrode entry is the set's own (same object or value), except the
    balanced thickness and the initial concentration."""
    pv = full_cell_values(PBA, cathode_set_si(PBA), 1.1)
    ref = chayambuka2022()
    changed = {"Negative electrode thickness [m]",
               "Initial concentration in negative electrode [mol.m-3]"}
    keys = [k for k in ref.keys() if "egative" in k and k not in changed]
    assert len(keys) >= 12
    for k in keys:
        assert pv[k] is ref[k] or pv[k] == ref[k], k


def test_balance_and_empty_start():
    """c_max,n F ε_n L_n = n/p · c_max,p (θ_dis − θ_ch) F ε_p L_p exactly; the hard carbon
    starts at the lowest θ its OCP, D_s and k tables all cover (k's 121 mol m⁻³ binds)."""
    for n_p in (1.0, 1.1, 1.3):
        si = cathode_set_si(NVPF)
        pv = full_cell_values(NVPF, si, n_p)
        assert negative_capacity_C_per_m2(pv) == pytest.approx(
            n_p * cathode_window_capacity_C_per_m2(si, pv), rel=1e-12)
    tables = chayambuka2022_tables()
    c_max = float(pv["Maximum concentration in negative electrode [mol.m-3]"])
    theta0 = empty_stoichiometry(pv)
    assert theta0 == pytest.approx(float(np.min(tables.k_n_data[1][0][0])) / c_max)
    assert theta0 >= float(np.min(tables.U_n_data[1][0][0]))
    assert theta0 >= float(np.min(tables.D_n_data[1][0][0])) / c_max
    assert pv["Initial concentration in negative electrode [mol.m-3]"] == pytest.approx(
        theta0 * c_max)


def test_pba_cell_conserves_sodium_and_stays_in_window(pba_run):
    """Na in both electrodes constant to 1e-6 of the throughput; carrier entering the
    cathode = ∫I dt / F to 1e-6; voltage inside the cut-offs (to the events' overshoot);
    the hard carbon stays below θ = 1 (n/p > 1: no plating end reached)."""
    run, summary = pba_run
    assert summary["completed"], summary.get("error")
    assert summary["cell"] == "hard_carbon_full"
    assert summary["charge_balance_relative_error"] < 1e-6
    sol = run.solution
    n_total = np.asarray(sol["Total lithium in particles [mol]"].entries)
    throughput = (sum(float(np.trapezoid(np.abs(np.asarray(s["Current [A]"].entries)),
                                         np.asarray(s.t)))
                      for c in sol.cycles for s in c.steps) / 96485.33212)
    assert np.max(np.abs(n_total - n_total[0])) < 1e-6 * throughput
    v = np.asarray(sol["Voltage [V]"].entries)
    assert v.max() < 4.2 + 1e-3 and v[-1] == pytest.approx(2.0, abs=1e-3)
    hc = summary["hard_carbon"]
    assert max(hc["stoichiometry_end_of_step"]) < 1.0
    assert max(hc["stoichiometry_end_of_step"]) <= hc["max_surface_stoichiometry"] < 1.0
    assert hc["n_p_ratio"] == 1.1
    assert summary["charge_capacity_mAh_per_g"][0] > summary["discharge_capacity_mAh_per_g"][0] > 0


def test_crosscheck_against_pybamm_sodium_ion_basic_dfn():
    """hemcell's cell with Chayambuka's NVPF functions vs sodium_ion.BasicDFN with
    Chayambuka2022, C/2 from the charged state to 2.0 V, coarse mesh: within 1 mV (same
    equations; the set's solid Bruggeman exponent adds ≈ 0.01 mV) and 1e-4 in capacity;
    PyBaMM's shipped D_p looks its table up at θ c_max,p."""
    from hemcell.workflows.cathode_crosscheck import compare_with_chayambuka2022

    res = compare_with_chayambuka2022(0.5, COARSE, couple_model=False)
    assert res["max_abs_voltage_difference_mV"] < 1.0
    assert res["capacity_relative_difference"] < 1e-4
    assert res["capacity_pybamm_mAh"] > 2.0  # a real discharge, not a first-step stop
    assert res["nvpf_diffusivity_shipped_m2_per_s"] == pytest.approx(
        res["nvpf_diffusivity_table_at_c_max_m2_per_s"], rel=1e-9)


def test_refusals(coarse_recipe, tmp_path):
    """A K run of a Na set, a voltage outside the set's window, --mechanisms, a recipe
    without a cathode set or with mechanisms, a --set name the cell does not read."""
    from hemcell.cell.recipes import load_recipe
    from hemcell.workflows.cathode_half_cell import check_set_keys, run_cell

    with pytest.raises(InputError, match="Na for the cathode set"):
        run_cell(coarse_recipe, PBA, "Charge at C/5 until 4.2 V", ion="K")
    with pytest.raises(InputError, match="window"):
        run_cell(coarse_recipe, PBA, "Charge at C/5 until 4.4 V")
    with pytest.raises(InputError, match="--mechanisms"):
        run_cell(coarse_recipe, PBA, "Charge at C/5 until 4.2 V", mechanisms=["conversion"])
    for extra in ("cathode: LFP\n", f"cathode: {PBA}\nmechanisms: [intercalation]\n"):
        bad = tmp_path / "bad.yaml"
        bad.write_text(f"name: bad\ncell: hard_carbon_full\n{extra}")
        with pytest.raises(InputError):
            load_recipe(str(bad))
    with pytest.raises(InputError, match="--set"):
        check_set_keys({"recipe": "hc_full_cell_na_pba", "params": PBA,
                        "set_": ["anode_thickness=1 um"]})
    for name in ("hc_full_cell_na_nvpf", "hc_full_cell_na_o3", "hc_full_cell_na_pba"):
        assert load_recipe(name).cell == "hard_carbon_full"
