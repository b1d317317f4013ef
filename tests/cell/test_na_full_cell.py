"""Na full cells: HEM anode (Na branches) vs a high-entropy cathode set (hemcell.cell.cathodes).

Coarse meshes and two anode mechanisms keep every solve to a few seconds; the checks are
conservation (cathode charge = anode charge = ∫I dt), the cut-offs, the cathode OCP at
rest against the couple table it is built from, and the refusals."""

from __future__ import annotations

import numpy as np
import pytest

from hemcell.cell.recipes import Recipe, load_recipe
from hemcell.errors import InputError
from hemcell.laws import FARADAY_C_PER_MOL
from tests.cell.conftest import assert_full_cell_conserves_carrier

PARAMS = "heo_rocksalt_mgconicuzn"
SETS = ("cathode_he_nvpf", "cathode_he_o3_fecontisnli", "cathode_hepba_femnnicuco")
COARSE = {"x_n": 5, "x_s": 3, "x_p": 5, "r_n": 5, "r_p": 6}


def _recipe(cathode: str) -> Recipe:
    return Recipe(f"test_na_{cathode}", cell="full", geometry="p2d",
                  mechanisms=("intercalation", "conversion"), mesh=COARSE,
                  solver={"rtol": 1e-7, "atol": 1e-9}, cathode=cathode, n_p_ratio=1.1)


def _run(cathode: str, protocol: str):
    from hemcell.workflows.anode import run_cell

    run = run_cell(_recipe(cathode), PARAMS, protocol, ion="Na")
    assert run.error is None
    return run


def _cathode_Ah(run) -> tuple[np.ndarray, float]:
    """Na in the cathode [A h] over time and the cathode's c_max capacity [A h]."""
    pv = run.parameter_values
    q_max = float(pv["Maximum concentration in positive electrode [mol.m-3]"]
                  * pv["Positive electrode active material volume fraction"]
                  * pv["Positive electrode thickness [m]"] * pv["Electrode height [m]"]
                  * pv["Electrode width [m]"]) * FARADAY_C_PER_MOL / 3600
    n = run.solution["Total lithium in positive electrode [mol]"].entries
    return n * FARADAY_C_PER_MOL / 3600, q_max


@pytest.mark.parametrize("cathode", SETS)
def test_charge_is_conserved_and_voltage_stays_in_the_window(cathode):
    """Charge to the window's top and back: Na leaving the cathode = Na stored in the
    anode = ∫I dt (the discharge capacity), to 1e-4 of the charge passed."""
    from hemcell.cell.cathodes import cathode_set_si

    si = cathode_set_si(cathode)
    lo, hi = si["cathode_lower_cutoff_potential"], si["cathode_upper_cutoff_potential"]
    run = _run(cathode, f"Charge at C/10 until {hi:g} V; Discharge at C/10 until {lo:g} V")
    q_cath, _ = _cathode_Ah(run)
    assert_full_cell_conserves_carrier(run.solution, q_cath, lo, hi)


def test_cathode_ocp_at_rest_reproduces_the_couple_table():
    """GITT-like: after each C/10 pulse and a rest of ~4 diffusion times R²/D, the
    cathode's electrode potential (φ_s − φ_e) equals the couple table at the coulomb-
    counted filling θ = θ₀ − Q/Q_max, to 2 mV (linear interpolation on a 201-point table)."""
    from hemcell.cell.cathodes import cathode_set_si, initial_stoichiometry
    from hemcell.materials.cathode import couple_ocp_table

    cathode = "cathode_he_o3_fecontisnli"
    si = cathode_set_si(cathode)
    rest_h = 4 * si["cathode_particle_radius"] ** 2 / si["cathode_solid_diffusivity"] / 3600
    pulse = f"Charge at C/10 for 30 minutes; Rest for {max(rest_h, 0.5):.2f} hours"
    run = _run(cathode, "; ".join([pulse] * 3))
    theta_tab, u_tab = couple_ocp_table(si)
    _, q_max = _cathode_Ah(run)
    theta0 = initial_stoichiometry(si)
    checked = []
    for step in run.solution.cycles[0].steps[1::2]:  # the rests
        dphi = (step["Positive electrode potential [V]"].entries
                - step["Positive electrolyte potential [V]"].entries)[:, -1]
        theta = theta0 + step["Discharge capacity [A.h]"].entries[-1] / q_max
        expected = float(np.interp(theta, theta_tab, u_tab))
        assert float(np.mean(dphi)) == pytest.approx(expected, abs=2e-3)
        checked.append(theta)
    # three distinct states along the sloping layered OCP
    assert np.all(np.diff(checked) < -0.04)


def test_initial_state_and_capacity_of_the_sets():
    """c_max = ρ x_max / M and θ₀ = x_A / x_max, capped at the couples' reachable top
    (the PBA: 1.19 Na on 2 sites → 0.595)."""
    from hemcell.cell.cathodes import (
        cathode_set_si,
        initial_stoichiometry,
        positive_electrode_values,
    )

    pba = cathode_set_si("cathode_hepba_femnnicuco")
    assert initial_stoichiometry(pba) == pytest.approx(0.595)
    values = positive_electrode_values(pba, 1000.0)
    assert values["Maximum concentration in positive electrode [mol.m-3]"] == pytest.approx(
        3200 * 2 / 0.2740892, rel=1e-6)
    # every site full (x_A = x_max): the table's top inside its wall, two couple-table
    # steps below 1 (PyBaMM's OCP clipping and asymptote at θ = 1)
    assert initial_stoichiometry(cathode_set_si("cathode_he_nvpf")) == pytest.approx(0.9938)


def test_recipes_name_the_cathode_sets():
    for short, cathode in (("nvpf", SETS[0]), ("o3", SETS[1]), ("pba", SETS[2])):
        rec = load_recipe(f"hem_full_cell_na_{short}")
        assert rec.cell == "full" and rec.cathode == cathode


@pytest.mark.parametrize(
    ("recipe", "ion", "protocol", "field"),
    [
        ("hem_full_cell_na_nvpf", "K", "Charge at C/10 until 4.2 V", "--ion"),
        ("hem_full_cell_na_nvpf", "Li", "Charge at C/10 until 4.2 V", "--ion"),
        ("hem_full_cell_na_nvpf", "Na", "Charge at C/10 until 4.5 V", "--protocol"),
        # above the PBA's 4.2 V top (a cell voltage below its 2.0 V bottom is allowed:
        # the cathode stands at the cell's voltage plus the anode's potential;
        # tests/cell/test_full_cell_window_check.py)
        ("hem_full_cell_na_pba", "Na", "Charge at C/10 until 4.3 V; Discharge at C/10 "
         "until 1.5 V", "--protocol"),
        ("hem_full_cell_lfp", "Na", "Charge at C/10 until 3.6 V", "--ion"),
    ],
)
def test_wrong_carrier_or_window_is_refused(recipe, ion, protocol, field):
    from hemcell.workflows.anode import prepare_cell

    with pytest.raises(InputError) as err:
        prepare_cell(recipe, PARAMS, protocol, ion=ion)
    assert err.value.field == field


def test_cli_refuses_a_cathode_of_another_carrier(tmp_path):
    from typer.testing import CliRunner

    from hemcell.cli.cell import app

    res = CliRunner().invoke(app, ["run", "hem_full_cell_na_nvpf", "--params", PARAMS,
                                   "--ion", "K", "--protocol", "Charge at C/10 until 4.2 V",
                                   "--out", str(tmp_path / "x")])
    assert isinstance(res.exception, InputError)
    assert res.exception.exit_code == 2  # the command line's exit status for bad input
    assert "carries Na+" in res.exception.hint


def test_pybamm_native_na_full_cell():
    """The model with a cathode set as its option is a PyBaMM model: its default values
    carry the anode's Na branches and the set's cathode, and a PyBaMM experiment runs."""
    import pybamm

    from hemcell.cell.full_cell import HEMFullCell

    model = HEMFullCell({"cathode": "cathode_he_nvpf",
                         "mechanisms": ("intercalation", "conversion")})
    pv = model.default_parameter_values
    assert pv["Upper voltage cut-off [V]"] == pytest.approx(4.3)
    assert pv["Cation transference number"] == pytest.approx(0.45)  # NaPF6 (Chayambuka2022)
    sim = pybamm.Simulation(model, parameter_values=pv, var_pts=dict(model.default_var_pts),
                            experiment=pybamm.Experiment(["Charge at C/10 for 2 hours"]),
                            solver=pybamm.IDAKLUSolver())
    sol = sim.solve()
    assert sol["Cathode average stoichiometry"].entries[-1] == pytest.approx(0.8, abs=0.01)
