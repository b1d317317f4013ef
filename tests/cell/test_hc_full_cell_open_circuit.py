"""The hard-carbon full cell at vanishing current (hemcell.cell.hard_carbon.open_circuit_cycle)
and what polarisation takes from it.

Checks: the open-circuit cycle ends on the window's cut-offs with the Na the cathode gave
up stored in the hard carbon (two electrodes' own accounts); the DFN with kinetics and
transport made ideal reproduces it (an independent calculation: the solved cell against
the two OCPs); the real DFN stays below it and approaches it as the current falls; the
O3 oxide's open-circuit discharge against the review's hard-carbon full cell (seed 002
L180, 90.4 mA h g⁻¹).
"""

from __future__ import annotations

import numpy as np
import pytest

pybamm = pytest.importorskip("pybamm")

from hemcell.cell.cathodes import cathode_mass_g, cathode_set_si  # noqa: E402
from hemcell.cell.hard_carbon import (  # noqa: E402
    cathode_charge_capacity_C_per_m2,
    cathode_window_capacity_C_per_m2,
    electrode_ocp_V,
    full_cell_values,
    negative_capacity_C_per_m2,
    open_circuit_cycle,
)

O3 = "cathode_he_o3_fecontisnli"
SETS = (O3, "cathode_he_nvpf", "cathode_hepba_femnnicuco")
COARSE = {"x_n": 6, "x_s": 4, "x_p": 6, "r_n": 6, "r_p": 6}
#: Every kinetic and transport entry of the cell (functions of the state).
POLARISATION = ("Positive electrode exchange-current density [A.m-2]",
                "Negative electrode exchange-current density [A.m-2]",
                "Positive particle diffusivity [m2.s-1]",
                "Negative particle diffusivity [m2.s-1]",
                "Electrolyte diffusivity [m2.s-1]",
                "Electrolyte conductivity [S.m-1]")


def _scaled(function, factor: float):
    def scaled(*args):
        return factor * function(*args)
    return scaled


def _cycle(name: str, rate: str, ideal: float = 1.0) -> list[float]:
    """Charge/discharge capacities [mAh per g of cathode] of the recipe's cell (n/p 1.1) at
    ``rate`` over the set's window, every kinetic and transport entry times ``ideal``."""
    si = cathode_set_si(name)
    pv = full_cell_values(name, si, 1.1)
    if ideal != 1.0:
        pv.update({k: _scaled(pv[k], ideal) for k in POLARISATION})
    lo, hi = si["cathode_lower_cutoff_potential"], si["cathode_upper_cutoff_potential"]
    experiment = pybamm.Experiment([(f"Charge at {rate} until {hi} V",
                                     f"Discharge at {rate} until {lo} V")])
    sim = pybamm.Simulation(pybamm.lithium_ion.DFN(), parameter_values=pv,
                            experiment=experiment, var_pts=COARSE,
                            solver=pybamm.IDAKLUSolver(rtol=1e-6, atol=1e-8))
    sol = sim.solve()
    mass = cathode_mass_g(si, pv)
    return [abs(float(st["Discharge capacity [A.h]"].entries[-1]
                      - st["Discharge capacity [A.h]"].entries[0])) * 1000 / mass
            for st in sol.cycles[0].steps]


@pytest.mark.parametrize("name", SETS)
def test_open_circuit_cycle_ends_on_the_cut_offs_with_sodium_kept(name):
    """U_p − U_n equals the window's upper end after the charge and its lower end after
    the discharge (1 mV: linear between 4001 θ points), and the capacity the cathode
    gave up per gram equals what the hard carbon stored, Δθ_n c_max,n F ε_n L_n over the
    cathode's areal mass (1e-9)."""
    si = cathode_set_si(name)
    pv = full_cell_values(name, si, 1.1)
    oc = open_circuit_cycle(pv, si)
    assert oc["open_circuit_ends"] == ["cut-off", "cut-off"]
    thp, thn = oc["open_circuit_cathode_stoichiometry"], oc["open_circuit_negative_stoichiometry"]
    volts = (electrode_ocp_V(pv, "positive", np.array(thp))
             - electrode_ocp_V(pv, "negative", np.array(thn)))
    assert volts[1] == pytest.approx(si["cathode_upper_cutoff_potential"], abs=1e-3)
    assert volts[2] == pytest.approx(si["cathode_lower_cutoff_potential"], abs=1e-3)
    area = float(pv["Electrode height [m]"] * pv["Electrode width [m]"])
    per_g = negative_capacity_C_per_m2(pv) * area / 3.6 / cathode_mass_g(si, pv)
    assert oc["open_circuit_charge_mAh_per_g"] == pytest.approx((thn[1] - thn[0]) * per_g,
                                                                rel=1e-9)
    assert oc["open_circuit_discharge_mAh_per_g"] == pytest.approx((thn[1] - thn[2]) * per_g,
                                                                   rel=1e-9)


def test_dfn_without_polarisation_reproduces_the_open_circuit_cycle():
    """The O3 cell at C/10 with every exchange current, diffusivity and the electrolyte
    conductivity 10⁴ times larger charges and discharges what the two OCPs give (1e-3;
    measured 4e-5 and 1e-4 on the coarse mesh: the remaining overpotential, about 1e-4 of
    the real one, and the grid of the open-circuit path)."""
    si = cathode_set_si(O3)
    oc = open_circuit_cycle(full_cell_values(O3, si, 1.1), si)
    charge, discharge = _cycle(O3, "C/10", ideal=1e4)
    assert charge == pytest.approx(oc["open_circuit_charge_mAh_per_g"], rel=1e-3)
    assert discharge == pytest.approx(oc["open_circuit_discharge_mAh_per_g"], rel=1e-3)


def test_polarisation_only_takes_and_vanishes_with_the_current():
    """With the cell's own kinetics and transport the O3 cell gives less than at open
    circuit, and the shortfall of the discharge falls as the current falls from C/10 to
    C/50 and C/200 (measured on the recipe mesh: 41.4, 13.2, 4.0 mAh g⁻¹)."""
    si = cathode_set_si(O3)
    oc = open_circuit_cycle(full_cell_values(O3, si, 1.1), si)
    gaps = []
    for rate in ("C/10", "C/50", "C/200"):
        charge, discharge = _cycle(O3, rate)
        assert charge < oc["open_circuit_charge_mAh_per_g"]
        gaps.append(oc["open_circuit_discharge_mAh_per_g"] - discharge)
    assert gaps[0] > gaps[1] > gaps[2] > 0
    assert gaps[2] < 0.5 * gaps[1] < 0.25 * gaps[0]


def test_o3_open_circuit_discharge_against_the_reviews_full_cell():
    """Seed 002 L180 (ref. 116): the O3 oxide against hard carbon gives 90.4 mA h g⁻¹. The
    review states no rate, N/P, loading, window or cycle of that cell, so the comparison
    the model can make without them is the one at vanishing current, at the recipe's
    n/p and the half cell's 2.0–4.1 V (Table 1 row 11, L268). Tolerance ±20 %, the one of
    the composition-only initial-capacity cases (couple ranges known to 0.2–0.3 V,
    first-cycle losses): 93.4 mAh g⁻¹, +3.3 %. The finite-current comparison is the
    validation case cathode_full_cell_hc_o3_capacity (an expected miss)."""
    si = cathode_set_si(O3)
    oc = open_circuit_cycle(full_cell_values(O3, si, 1.1), si)
    assert oc["open_circuit_discharge_mAh_per_g"] == pytest.approx(90.4, rel=0.2)


def test_a_hard_carbon_cell_away_from_298_k_says_the_hard_carbon_does_not_follow(capsys):
    """At 45 °C the O3 cell moved only 66.2/52.0 → 66.7/52.5 mAh g⁻¹ at C/10: Chayambuka's
    hard-carbon k(c) and D_s(c), the largest loss, have no temperature dependence. The run
    says so beside the electrolyte's warning; at 298.15 K it says nothing."""
    from hemcell.workflows.cathode_half_cell import run_cell

    step = "Charge at C/10 for 60 seconds"
    run_cell("hc_full_cell_na_o3", O3, step, overrides=["ambient_temperature=45 degC"])
    err = capsys.readouterr().err
    assert "the hard carbon's rate constant k(c) and diffusivity D_s(c) (Chayambuka2022)" in err
    assert "at 318.15 K only the cathode's exchange current and diffusivity follow" in err
    run_cell("hc_full_cell_na_o3", O3, step)
    assert "hard carbon" not in capsys.readouterr().err


def test_cell_run_prints_the_open_circuit_cycle(tmp_path, capsys):
    """``cell run`` on a hard-carbon full cell prints the open-circuit first cycle beside
    the run's capacities (the reference its polarisation is measured against)."""
    import json

    from hemcell.cli.main import main

    out = tmp_path / "o3"
    assert main(["cell", "run", "hc_full_cell_na_o3", "--params", O3, "--protocol",
                 "Charge at C/10 for 60 seconds", "--out", str(out), "--no-plots"]) == 0
    hc = json.loads((out / "summary.json").read_text())["hard_carbon"]
    assert ("open-circuit first cycle 2-4.1 V [mAh/g of cathode]: charge "
            f"{hc['open_circuit_charge_mAh_per_g']:.1f}, discharge "
            f"{hc['open_circuit_discharge_mAh_per_g']:.1f}") in capsys.readouterr().out


@pytest.mark.parametrize("name", SETS)
def test_shipped_sets_balance_on_their_window(name):
    """For every shipped set the window's discharged end is at least as full as the
    cathode is made (θ_dis ≥ θ₀), so the Na a charge gives is the window capacity and
    the hard carbon is n/p times it (1e-12): the recipes' cells are unchanged."""
    si = cathode_set_si(name)
    pv = full_cell_values(name, si, 1.1)
    assert cathode_charge_capacity_C_per_m2(si, pv) == pytest.approx(
        cathode_window_capacity_C_per_m2(si, pv), rel=1e-12)
    assert negative_capacity_C_per_m2(pv) == pytest.approx(
        1.1 * cathode_window_capacity_C_per_m2(si, pv), rel=1e-12)


def test_a_window_above_the_initial_potential_keeps_the_hard_carbon_off_its_plating_end():
    """The O3 oxide with its lower cut-off at 3.2 V: the window's discharged end
    (θ_dis ≈ 0.88) is emptier than the cathode as made (θ₀ = 0.993), and its first charge
    gives c_max (θ₀ − θ_ch). Balanced on the window capacity, the hard carbon was filled to
    the end of its OCP table (0.9958, towards plating) at open circuit before the cell
    reached 4.1 V; balanced on the first charge it ends the charge at the cut-off, at
    θ_n = 0.961."""
    si = {**cathode_set_si(O3), "cathode_lower_cutoff_potential": 3.2}
    pv = full_cell_values(O3, si, 1.1)
    charge, window = (cathode_charge_capacity_C_per_m2(si, pv),
                      cathode_window_capacity_C_per_m2(si, pv))
    assert charge > 1.15 * window
    assert negative_capacity_C_per_m2(pv) == pytest.approx(1.1 * charge, rel=1e-12)
    oc = open_circuit_cycle(pv, si)
    assert oc["open_circuit_ends"][0] == "cut-off"
    assert oc["open_circuit_negative_stoichiometry"][1] < 0.97


def test_a_window_top_below_the_initial_potential_is_refused(tmp_path, capsys):
    """The O3 oxide with its window's top at 2.5 V, below its initial 2.987 V: a charge
    gives no Na and the hard carbon had no thickness; a first discharge then failed in
    the solver (exit 1, SUNDIALS lines). Now exit 2 naming the value and the bound."""
    from hemcell.cli.main import main

    code = main(["cell", "run", "hc_full_cell_na_o3", "--params", O3, "--set",
                 "cathode_upper_cutoff_potential=2.5 V", "--protocol",
                 "Discharge at C/10 for 10 minutes", "--out", str(tmp_path / "o"),
                 "--no-plots"])
    err = capsys.readouterr().err
    assert code == 2
    assert "cathode_upper_cutoff_potential: got '2.5 V'" in err
    assert "above the cathode's initial potential 2.987 V" in err
