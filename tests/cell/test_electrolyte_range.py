"""Tabulated electrolytes below their table (hemcell.cell.electrolytes.continued_below_table).

Chayambuka2022's NaPF₆ conductivity is measured from 150 mol m⁻³ up; below it the
conductivity is the dilute limit κ = Λ_low c with the molar conductivity of the lowest
point held, the salt diffusivity is held at its table's lowest point, and a step ends only
at depletion. Checks: unchanged inside the table, continuous at c_low, zero at c = 0, Λ
held below; Li's formulas untouched; a discharge whose pores fall below 150 mol m⁻³ early
(the old stop) now runs on and says how far below the table it went.
"""

from __future__ import annotations

import numpy as np
import pybamm
import pytest

from hemcell.cell.electrolytes import (
    continued_below_table,
    electrolyte_values,
    lowest_tabulated_concentration,
)

KAPPA = "Electrolyte conductivity [S.m-1]"
D_E = "Electrolyte diffusivity [m2.s-1]"
T_K = 298.15


def _at(function, c_e: float) -> float:
    return float(np.asarray(function(pybamm.Scalar(c_e), pybamm.Scalar(T_K)).evaluate()).item())


@pytest.fixture(scope="module")
def tables():
    """PyBaMM's shipped Chayambuka2022 functions and hemcell's Na electrolyte."""
    return pybamm.ParameterValues("Chayambuka2022"), electrolyte_values("Na")


def test_inside_the_table_nothing_changes(tables):
    shipped, na = tables
    for c_e in (150.0, 151.0, 400.0, 1000.0, 1500.0, 2000.0):
        assert _at(na[KAPPA], c_e) == pytest.approx(_at(shipped[KAPPA], c_e), rel=1e-14)
    for c_e in (1.131153, 10.0, 500.0, 2400.0):
        assert _at(na[D_E], c_e) == pytest.approx(_at(shipped[D_E], c_e), rel=1e-14)


def test_conductivity_is_the_dilute_limit_below_the_table(tables):
    """κ continuous at c_low = 150 mol m⁻³ (0.404 S m⁻¹), κ/c = κ(c_low)/c_low below it,
    κ(0) = 0; D_e held at its own lowest point (1.131 mol m⁻³) below that."""
    shipped, na = tables
    c_low = lowest_tabulated_concentration(shipped)
    assert c_low == 150.0
    kappa_low = _at(shipped[KAPPA], c_low)
    assert kappa_low == pytest.approx(0.404, rel=1e-12)
    for eps in (1e-6, 1e-9):
        assert _at(na[KAPPA], c_low - eps) == pytest.approx(kappa_low, rel=1e-8)
    for c_e in (1e-3, 1.0, 37.5, 75.0, 149.0):
        assert _at(na[KAPPA], c_e) / c_e == pytest.approx(kappa_low / c_low, rel=1e-12)
    assert _at(na[KAPPA], 0.0) == 0.0
    # the held molar conductivity lies below the table's linear extrapolation there
    assert _at(na[KAPPA], 75.0) < _at(shipped[KAPPA], 75.0)
    d_floor = _at(shipped[D_E], 1.131153)
    assert _at(na[D_E], 0.5) == pytest.approx(d_floor, rel=1e-14)
    assert _at(na[D_E], 0.0) == pytest.approx(d_floor, rel=1e-14)


def test_formulas_and_numbers_are_left_alone():
    """Xu2019's LiPF₆ is a formula (no table): the entries come back as they were."""
    li = electrolyte_values("Li")
    again = continued_below_table(li)
    assert all(again[k] is li[k] for k in li)
    assert lowest_tabulated_concentration(pybamm.ParameterValues("Xu2019")) is None


def test_a_discharge_below_the_old_floor_runs_on(tmp_path):
    """O3 oxide at 0.17 A/g on a coarse mesh: the pores dip below 150 mol m⁻³ (where the
    step used to stop) before half the discharge, and the step runs on to depletion at
    its end (θ near its filled end), more than twice the capacity of the old stop. The
    summary gives the lowest concentration against the table's and the run warns."""
    from hemcell.workflows.cathode_half_cell import run_cell, summarize

    recipe = tmp_path / "cathode_half_cell_coarse.yaml"
    recipe.write_text("name: cathode_half_cell_coarse\ncell: cathode_half\ngeometry: p2d\n"
                      "mesh: {x_s: 5, x_p: 8, r_p: 8}\nsolver: {rtol: 1.0e-6, atol: 1.0e-8}\n")
    run = run_cell(str(recipe), "cathode_he_o3_fecontisnli",
                   "Charge at C/5 until 4.1 V; Discharge at 0.17 A/g until 2.0 V")
    summary = summarize(run)
    assert run.error is None and summary["completed"]
    assert summary["step_terminations"][1] == "event: Zero electrolyte concentration cut-off"
    step = [s for c in run.solution.cycles for s in c.steps][1]
    t = step.t - step.t[0]
    c_min = np.min(step["Electrolyte concentration [mol.m-3]"].entries, axis=0)
    first = np.flatnonzero(c_min < 150.0)[0]
    assert t[first] < 0.5 * t[-1]
    capacity = step["Discharge capacity [A.h]"].entries
    old_stop = (capacity[first] - capacity[0]) * 1e3 / run.mass_g
    assert summary["discharge_capacity_by_step_mAh_per_g"][0] > 2 * old_stop
    assert np.mean(step["Positive electrode stoichiometry"].entries[-1]) > 0.95
    assert summary["electrolyte_lowest_measured_concentration_mol_per_m3"] == 150.0
    assert summary["electrolyte_min_concentration_mol_per_m3"] == pytest.approx(0.002, rel=1e-3)
    assert any("below the lowest concentration its conductivity was measured at" in w
               for w in summary["warnings"])
    assert summary["charge_balance_relative_error"] < 1e-6


def test_a_run_above_the_table_says_so():
    """FeS with K at 1 A/g (P2D): on the lithiation the salt the K metal releases piles up
    at its surface above the NaPF₆ table's 2000 mol m⁻³ (the K set uses the Na tables),
    where PyBaMM extrapolates the conductivity linearly. The summary gives the highest
    concentration against the table's and the run warns with the conductivity there,
    which is the table's straight line through its last two points."""
    from hemcell.cell.electrolytes import highest_tabulated_concentration
    from hemcell.workflows.anode import run_cell, summarize

    run = run_cell("hem_half_cell_p2d", "fes_space_charge", "Discharge at 1 A/g until 0.01 V",
                   ion="K")
    s, _, _ = summarize(run)
    assert highest_tabulated_concentration(run.parameter_values) == 2000.0
    assert s["electrolyte_highest_measured_concentration_mol_per_m3"] == 2000.0
    c_max = s["electrolyte_max_concentration_mol_per_m3"]
    c_e = run.solution["Electrolyte concentration [mol.m-3]"].entries
    assert c_max == pytest.approx(float(c_e.max())) and c_max > 2000.0
    (above,) = [w for w in s["warnings"] if "above the highest concentration" in w]
    kappa = electrolyte_values("K")[KAPPA]
    slope = (_at(kappa, 2000.0) - _at(kappa, 1500.0)) / 500.0  # the table's last segment
    assert _at(kappa, c_max) == pytest.approx(_at(kappa, 2000.0) + slope * (c_max - 2000.0))
    assert f"{_at(kappa, c_max):.3g} S/m" in above
