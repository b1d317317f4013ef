"""PyBaMM's lumped thermal option for the HEM full cell (:mod:`hemcell.cell.thermal`).

Checks: the lumped balance conserves energy (h = 0: C ΔT = ∫Q dt to solver tolerance),
Newton cooling at open circuit (no heat, exponential decay with time constant C/(hA)),
the isothermal limit (large h), the second law (every irreversible heat ≥ 0), a 1C
discharge against the hand estimate I (U_ocv − V) t / (m c_p), the Joule heat's
integration by parts (second order in the mesh), serialisation, and the refusals
(half-cell, unknown value, base sets and anode sets without thermal values).
"""

from __future__ import annotations

import json

import numpy as np
import pytest

pybamm = pytest.importorskip("pybamm")

from hemcell.cell.capacity import rate_cell, theoretical_capacity  # noqa: E402
from hemcell.cell.full_cell import HEMFullCell, full_cell_values  # noqa: E402
from hemcell.cell.model import HEMHalfCell  # noqa: E402
from hemcell.cell.parameters import load_si  # noqa: E402
from hemcell.cell.recipes import load_recipe, models_dir  # noqa: E402
from hemcell.cli.main import main  # noqa: E402
from hemcell.errors import InputError  # noqa: E402
from hemcell.workflows.anode import prepare_cell  # noqa: E402

SET = "heo_rocksalt_mgconicuzn"
VAR_PTS = {"x_n": 8, "x_s": 5, "x_p": 8, "r_n": 6, "r_p": 6}
#: Three points a domain, for the checks that hold on any mesh: the energy balance (exact
#: in the equations), the signs of the heats, the h -> infinity limit (both models on
#: one mesh) and the save/load round trip (bit for bit). Building, solving and writing
#: grow with the mesh: the energy-balance solve took 7.4-7.8 s with ``VAR_PTS``, 3.2-4.4
#: s with this (idle machine); the round trip 13.0 s of CPU, 8.6-10.5 s (load ~4).
COARSE_VAR_PTS = {"x_n": 3, "x_s": 3, "x_p": 3, "r_n": 3, "r_p": 3}
H = "Total heat transfer coefficient [W.m-2.K-1]"
T_AV = "Volume-averaged cell temperature [K]"
#: the first lithiation of the HEM anode (conversion, its first-lithiation overpotential
#: and hysteresis), a rest and part of the delithiation
HEM_STEPS = ["Charge at 1C for 10 minutes", "Rest for 5 minutes",
             "Discharge at 1C for 5 minutes"]


def _lumped(mechanisms=None):
    options = {"cathode": "NMC811", "thermal": "lumped"}
    if mechanisms:
        options["mechanisms"] = mechanisms
    return HEMFullCell(options)


def _solve(model, pv, steps, var_pts=VAR_PTS, solver=None):
    sim = pybamm.Simulation(model, parameter_values=pv, var_pts=var_pts,
                            experiment=pybamm.Experiment(steps), solver=solver)
    return sim.solve()


# ------------------------------------------------------------------ options and refusals
def test_options_and_recipe_route():
    assert _lumped().options["thermal"] == "lumped"
    assert HEMFullCell({"cathode": "NMC811"}).options["thermal"] == "isothermal"
    with pytest.raises(InputError) as err:
        HEMHalfCell({"thermal": "lumped"})
    assert "options['thermal']" in str(err.value)
    with pytest.raises(InputError) as err:  # PyBaMM's value, not implemented here
        HEMFullCell({"thermal": "x-full"})
    assert "the HEM models do not implement" in str(err.value)
    with pytest.raises(pybamm.OptionError):  # not a PyBaMM value
        HEMFullCell({"thermal": "lumpy"})
    rec = load_recipe("hem_full_cell_nmc811_lumped")
    assert (rec.cell, rec.cathode, rec.thermal) == ("full", "NMC811", "lumped")
    assert rec.with_mechanisms(["intercalation"]).thermal == "lumped"
    assert load_recipe("hem_full_cell_nmc811").thermal == "isothermal"


def _recipe(tmp_path, **changes):
    import yaml

    data = yaml.safe_load((models_dir() / "hem_full_cell_nmc811.yaml").read_text())
    data.update(changes)
    path = tmp_path / f"{data['name']}.yaml"
    path.write_text(yaml.safe_dump(data))
    return str(path)


def test_unknown_thermal_value_in_a_recipe_exits_2(tmp_path):
    path = _recipe(tmp_path, name="bad_thermal", thermal="lumpy")
    with pytest.raises(InputError) as err:
        load_recipe(path)
    assert "thermal" in err.value.field and err.value.value == "lumpy"
    code = main(["cell", "run", path, "--params", SET, "--protocol",
                 "Charge at 1C for 1 minute", "--out", str(tmp_path / "out")])
    assert code == 2


def test_lfp_base_set_without_thermal_values_is_refused_naming_them(tmp_path):
    """Prada2013 (PyBaMM's LFP set) has no thermal data: exit 2 naming every value."""
    with pytest.raises(InputError) as err:
        _ = HEMFullCell({"cathode": "LFP", "thermal": "lumped"}).default_parameter_values
    text = str(err.value)
    for name in ("Cell volume [m3]", "Cell cooling surface area [m2]", H,
                 "Positive electrode specific heat capacity [J.kg-1.K-1]"):
        assert name in text
    assert "Prada2013" in text
    path = _recipe(tmp_path, name="lfp_lumped", cathode="LFP", thermal="lumped")
    with pytest.raises(InputError):
        prepare_cell(path, SET, "Charge at 1C for 1 minute")
    code = main(["cell", "run", path, "--params", SET, "--protocol",
                 "Charge at 1C for 1 minute", "--out", str(tmp_path / "out")])
    assert code == 2


def test_anode_set_without_thermal_values_is_refused_naming_them():
    si, _ = load_si(SET)
    inv = HEMFullCell({"cathode": "NMC811"}).inventory
    for key in ("anode_electrode_density", "anode_electrode_specific_heat_capacity"):
        del si[key]
    full_cell_values(si, inv, "NMC811", ("intercalation",), 1.1)  # isothermal: not read
    with pytest.raises(InputError) as err:
        full_cell_values(si, inv, "NMC811", ("intercalation",), 1.1, thermal="lumped")
    assert "anode_electrode_density" in str(err.value)
    assert "anode_electrode_specific_heat_capacity" in str(err.value)


def test_lumped_recipe_reads_the_anode_thermal_keys():
    """--set of the anode's thermal values is honoured by the lumped recipe only."""
    setup = prepare_cell("hem_full_cell_nmc811_lumped", SET, "Charge at 1C for 1 minute",
                         overrides=["anode_electrode_specific_heat_capacity=600 J/kg/K"])
    assert setup.parameter_values[
        "Negative electrode specific heat capacity [J.kg-1.K-1]"] == pytest.approx(600)
    with pytest.raises(InputError):
        prepare_cell("hem_full_cell_nmc811", SET, "Charge at 1C for 1 minute",
                     overrides=["anode_electrode_specific_heat_capacity=600 J/kg/K"])


# ------------------------------------------------------------------ energy balance
def test_energy_conservation_without_cooling_and_the_second_law():
    """h = 0: C ΔT(t) = ∫₀ᵗ Q dt at every output (an extra state integrates Q), to the
    solver's tolerance; every irreversible heat is ≥ 0 (second law) and the hysteresis
    heat is positive while the conversion branches run; the anode's Arrhenius terms see
    the lumped T(t). On ``COARSE_VAR_PTS``: none of these depends on the mesh."""
    model = _lumped()
    E = pybamm.Variable("Integrated heat [J]")
    model.rhs[E] = model.variables["Total heating [W]"]
    model.initial_conditions[E] = pybamm.Scalar(0)
    model.variables["Integrated heat [J]"] = E
    pv = model.default_parameter_values
    pv[H] = 0.0
    sol = _solve(model, pv, HEM_STEPS, var_pts=COARSE_VAR_PTS)
    T = sol[T_AV].entries
    C = sol["Cell heat capacity [J.K-1]"].entries
    assert np.ptp(C) == 0  # the sets' heat capacities do not depend on T
    heat = sol["Integrated heat [J]"].entries
    assert T[-1] - T[0] > 1.0  # the first lithiation heats the cell
    np.testing.assert_allclose(C * (T - T[0]), heat, rtol=1e-5, atol=1e-6 * heat.max())
    np.testing.assert_array_equal(sol["Anode temperature [K]"].entries, T)
    scale = sol["Total heating [W]"].entries.max()
    for name in ("Irreversible electrochemical heating [W]",
                 "Hysteresis electrochemical heating [W]",
                 *(f"Anode {m} heating [W]" for m in
                   ("conversion", "alloying", "irreversible", "intercalation",
                    "double-layer"))):
        assert sol[name].entries.min() > -1e-6 * scale, name
    assert sol["Hysteresis electrochemical heating [W]"].entries.max() > 0.1 * scale


def test_newton_cooling_at_open_circuit():
    """At rest from equilibrium nothing reacts (Q ≈ 0) and a cell 10 K above ambient
    cools as T − T_amb = 10 K · exp(−hA t / (ρc_p V)) (the lumped balance's solution).

    The solver runs at rtol 1e-9 (the default 1e-6 of a ~300 K state is 3e-4 K). The
    only heat is the reversible one of the anode's intercalation, whose OCP follows T
    (entropic term) and re-equilibrates with the double layer: far below the cooling.
    """
    model = _lumped()
    pv = model.default_parameter_values
    T_amb = pv["Ambient temperature [K]"]
    pv["Initial temperature [K]"] = T_amb + 10.0
    sol = _solve(model, pv, ["Rest for 2 hours (60 second period)"],
                 solver=pybamm.IDAKLUSolver(rtol=1e-9, atol=1e-12))
    t = sol["Time [s]"].entries
    C = sol["Cell heat capacity [J.K-1]"].entries[0]
    hA = pv[H] * pv["Cell cooling surface area [m2]"]
    expected = 10.0 * np.exp(-hA * t / C)
    heat = sol["Total heating [W]"].entries
    assert np.abs(heat - sol["Reversible heating [W]"].entries).max() < 1e-9
    assert np.abs(heat).max() < 1e-5 * hA * 10.0
    # the heat can move T by at most its integral over C
    step_max = np.maximum(np.abs(heat[1:]), np.abs(heat[:-1]))
    bound = np.concatenate([[0], np.cumsum(np.diff(t) * step_max)]) / C
    np.testing.assert_array_less(np.abs(sol[T_AV].entries - T_amb - expected),
                                 bound + 1e-6 * 10.0)


def test_large_heat_transfer_gives_the_isothermal_model():
    """h → ∞: T stays at T_amb within the quasi-steady rise Q/(hA), and voltage and
    anode state equal the isothermal model's. Both are solved at rtol 1e-8: at the
    default 1e-6 the isothermal solution alone is 0.4 mV from its own tighter solve
    near the end of the step, more than the 0.1 mV compared here. Both on
    ``COARSE_VAR_PTS`` (the limit holds on any mesh the two share)."""
    steps = ["Charge at 1C for 10 minutes"]
    iso = HEMFullCell({"cathode": "NMC811"})
    sol_iso = _solve(iso, iso.default_parameter_values, steps, var_pts=COARSE_VAR_PTS,
                     solver=pybamm.IDAKLUSolver(rtol=1e-8, atol=1e-10))
    model = _lumped()
    pv = model.default_parameter_values
    pv[H] = 1e6
    sol = _solve(model, pv, steps, var_pts=COARSE_VAR_PTS,
                 solver=pybamm.IDAKLUSolver(rtol=1e-8, atol=1e-10))
    hA = pv[H] * pv["Cell cooling surface area [m2]"]
    rise = sol[T_AV].entries - pv["Ambient temperature [K]"]
    q_max = sol["Total heating [W]"].entries.max()
    assert np.abs(rise).max() <= 1.01 * q_max / hA  # < 5 mK
    t = sol_iso["Time [s]"].entries
    np.testing.assert_allclose(sol["Voltage [V]"](t), sol_iso["Voltage [V]"].entries,
                               atol=1e-4)
    np.testing.assert_allclose(sol["Anode total stored charge [A.h]"](t),
                               sol_iso["Anode total stored charge [A.h]"].entries,
                               rtol=1e-4, atol=1e-6)


# ------------------------------------------------------------------ against hand values
def _intercalation_cell(var_pts=VAR_PTS):
    """The HEM anode's intercalation alone, with a graphite-like capacity (381.9 mAh/g)
    so that the anode is as thin as the cathode (the set's 38 mAh/g needs a 1 mm anode
    that empties its electrolyte at 1C), the entropic term off and h = 0."""
    mechs = ("intercalation",)
    model = _lumped(mechs)
    si, _ = load_si(SET, ["intercalation_capacity=381.9 mAh/g"])
    pv = full_cell_values(si, model.inventory, "NMC811", mechs, 1.1, "lumped")
    rate_cell(pv, "full", sum(theoretical_capacity(si, model.inventory, mechs).values()))
    pv.update({H: 0.0, "Negative electrode OCP entropic change [V.K-1]": 0.0})
    return model, pv


def test_1C_discharge_heats_as_the_hand_estimate():
    """ΔT of a 1C discharge (h = 0) against I ∫(U_ocv − V) dt / (m c_p).

    With U_ocv from the x-averaged particle-surface stoichiometries the estimate differs
    from the model only by the spread of the reaction across the electrodes (the model
    weighs U by the local current) and the O(Δx²) of the Joule heat: 3 %. With the bulk
    stoichiometries (the OCV the cell relaxes to) it is larger by the dissipation of the
    particles' concentration gradients, which the model (as PyBaMM without "heat of
    mixing") does not count as heat.
    """
    model, pv = _intercalation_cell()
    sol = _solve(model, pv, ["Charge at 1C for 20 minutes", "Rest for 1 hour",
                             "Discharge at 1C for 10 minutes (5 second period)"])
    step = sol.cycles[2]
    t, current, V = (step[k].entries for k in ("Time [s]", "Current [A]", "Voltage [V]"))
    T = step[T_AV].entries
    mcp = step["Cell heat capacity [J.K-1]"].entries[0]
    assert current.min() > 0 and np.ptp(current) < 1e-9 * current.max()  # constant 1C

    def ocv(neg, pos):
        def U(name, sto):
            return np.array([float(pv.evaluate(pv[name](pybamm.Scalar(s)))) for s in sto])

        return U("Positive electrode OCP [V]", pos) - U("Negative electrode OCP [V]", neg)

    def x_mean(name, c_max):
        a = step[name].entries
        return (a.mean(axis=0) if a.ndim == 2 else a) / c_max

    c_n = pv["Maximum concentration in negative electrode [mol.m-3]"]
    c_p = pv["Maximum concentration in positive electrode [mol.m-3]"]
    surface = ocv(x_mean("Negative particle surface concentration [mol.m-3]", c_n),
                  x_mean("Positive particle surface concentration [mol.m-3]", c_p))
    bulk = ocv(x_mean("Anode intercalation average stoichiometry", 1.0),
               step["Cathode average stoichiometry"].entries)
    hand = np.trapezoid(current * (surface - V), t) / mcp
    hand_bulk = np.trapezoid(current * (bulk - V), t) / mcp
    rise = T[-1] - T[0]
    assert rise > 1.0
    assert rise == pytest.approx(hand, rel=0.03)
    assert rise < hand_bulk


def test_joule_heat_is_second_order_in_the_mesh():
    """∫(−i_s·∇φ_s − i_e·∇φ_e) dx equals (integrating by parts with the charge balance)
    −I V − A ∫ a j Δφ dx over both electrodes; PyBaMM's finite-volume inner product
    makes the difference O(Δx²): it falls four-fold when the mesh is halved. Compared at
    the end of the step, where the solver stops (between stops it interpolates its
    states, which holds the algebraic charge balance only approximately). The heat is a
    difference of two numbers 20x its size (16.6 − 15.8 W), so the solver runs at
    rtol 1e-8 / atol 1e-10: at the model's default tolerances the solver's error in it is
    of the order of the O(Δx²) error measured here (ratio 1.6-5.3 for small changes of
    rtol/atol, docs/cathodes.md "Solver scale of the potentials")."""
    errors = []
    for n in (10, 20):
        model, pv = _intercalation_cell()
        v = model.variables

        def integral(q):
            return pybamm.Integral(q, pybamm.SpatialVariable("x", domain=q.domain))

        d_n = v["Anode solid potential [V]"] - v["Anode electrolyte potential [V]"]
        d_p = v["Cathode solid potential [V]"] - v["Cathode electrolyte potential [V]"]
        a_j_p = v["Positive electrode volumetric interfacial current density [A.m-3]"]
        model.variables["Interfacial power [W]"] = model.param.A_cc * (
            integral(v["Anode total volumetric current density [A.m-3]"] * d_n)
            + integral(a_j_p * d_p))
        sol = _solve(model, pv, ["Charge at 1C for 5 minutes (30 second period)"],
                     {**VAR_PTS, "x_n": n, "x_s": n, "x_p": n},
                     solver=pybamm.IDAKLUSolver(rtol=1e-8, atol=1e-10))
        joule = sol["Ohmic heating [W]"].entries
        balance = (-sol["Current [A]"].entries * sol["Voltage [V]"].entries
                   - sol["Interfacial power [W]"].entries)
        errors.append(abs(joule[-1] - balance[-1]) / joule[-1])
    assert errors[0] < 0.01
    assert 3.0 < errors[0] / errors[1] < 5.0


# ------------------------------------------------------------------ serialisation
def test_serialise_and_reload_lumped(tmp_path):
    """save_model → pybamm.load_model keeps the option and gives the same T(t), on a
    coarse mesh (``COARSE_VAR_PTS``)."""
    model = _lumped()
    sim = pybamm.Simulation(model, parameter_values=model.default_parameter_values,
                            var_pts=COARSE_VAR_PTS)
    sim.build()
    sim.save_model(str(tmp_path / "model"), mesh=True, variables=True)
    saved = json.loads((tmp_path / "model.json").read_text())
    assert saved["options"]["thermal"] == "lumped"
    loaded = pybamm.load_model(str(tmp_path / "model.json"))
    assert type(loaded) is type(model) and loaded.options["thermal"] == "lumped"
    t_eval = [0, 300]
    ref = pybamm.IDAKLUSolver(rtol=1e-6, atol=1e-8).solve(sim.built_model, t_eval)
    new = pybamm.IDAKLUSolver(rtol=1e-6, atol=1e-8).solve(loaded, t_eval)
    for name in ("Voltage [V]", T_AV):
        np.testing.assert_array_equal(new[name].entries, ref[name].entries)
    assert ref[T_AV].entries[-1] != ref[T_AV].entries[0]


def test_cell_run_writes_the_temperature(tmp_path):
    """The lumped cell's temperature in timeseries.csv and summary.json. Without figures
    (none shows the temperature; the full cell's are drawn in
    ``test_user_trial_u17_full_cell_axis.py``): 2.4 s less of this test's 8.2 s."""
    code = main(["cell", "run", "hem_full_cell_nmc811_lumped", "--params", SET,
                 "--protocol", "Charge at 1C for 2 minutes", "--out", str(tmp_path),
                 "--no-plots"])
    assert code == 0
    data = np.genfromtxt(tmp_path / "timeseries.csv", delimiter=",", names=True)
    T = data["cell_temperature_K"]
    assert T[0] == pytest.approx(298.15) and T[-1] > T[0]
    assert data["total_heating_W"].min() >= 0
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["max_cell_temperature_K"] == pytest.approx(T.max(), rel=1e-6)
    assert summary["above_electrolyte_stability_limit"] is False


def test_a_cell_above_the_electrolyte_stability_limit_is_flagged():
    """User trial U4: the lumped NMC811 cell reached 412 K at 1C and was reported as an
    ordinary result. Above 358.15 K (LiPF6 carbonate electrolytes shown stable up to
    there, Yang, Zhuang & Ross 2006) the run warns, naming the set's cooling h A."""
    from hemcell.cell.thermal import ELECTROLYTE_STABILITY_LIMIT_K, temperature_check

    lim = ELECTROLYTE_STABILITY_LIMIT_K
    keys, warnings = temperature_check(np.array([298.15, lim]), 10.0, 0.00531)
    assert keys == {"max_cell_temperature_K": lim, "above_electrolyte_stability_limit": False}
    assert warnings == []
    keys, warnings = temperature_check(np.array([298.15, 411.66, 400.0]), 10.0, 0.00531)
    assert keys["above_electrolyte_stability_limit"] is True
    assert keys["max_cell_temperature_K"] == pytest.approx(411.66)
    [w] = warnings
    assert "411.7 K" in w and "358.15 K" in w and "0.0531 W/K" in w


# ------------------------------------------------------------------ cooling from the CLI
def test_a_cooled_cell_is_a_set_key_and_runs_cooler():
    """h and A of the lumped balance are --set keys (default: Chen2020's still air, h = 10
    W m-2 K-1 on 0.00531 m2, hA = 0.053 W/K). With h = 1000 W m-2 K-1 (hA = 5.31 W/K,
    τ = C/(hA) ≈ 10 s) a 10-minute 1C charge stays within Q_max/(hA) of ambient, well
    below the still-air rise of the same charge."""
    cooled = ["cell_heat_transfer_coefficient=1000 W/m^2/K"]
    setup = prepare_cell("hem_full_cell_nmc811_lumped", SET, "Charge at 1C for 1 minute")
    assert setup.parameter_values[H] == pytest.approx(10.0)  # Chen2020
    assert setup.parameter_values["Cell cooling surface area [m2]"] == pytest.approx(0.00531)
    setup = prepare_cell("hem_full_cell_nmc811_lumped", SET, "Charge at 1C for 1 minute",
                         overrides=[*cooled, "cell_cooling_surface_area=0.01 m^2"])
    assert setup.parameter_values[H] == pytest.approx(1000.0)
    assert setup.parameter_values["Cell cooling surface area [m2]"] == pytest.approx(0.01)
    mechs = ("intercalation", "conversion")
    model = _lumped(mechs)
    rises = {}
    for name, overrides in (("still air", []), ("cooled", cooled)):
        si, _ = load_si(SET, overrides)
        pv = full_cell_values(si, model.inventory, "NMC811", mechs, 1.1, "lumped")
        sol = _solve(model, pv, ["Charge at 1C for 10 minutes"])
        hA = pv[H] * pv["Cell cooling surface area [m2]"]
        rises[name] = sol[T_AV].entries.max() - pv["Ambient temperature [K]"]
        q_max = sol["Total heating [W]"].entries.max()
    assert hA == pytest.approx(5.31, rel=1e-12)
    assert 0 < rises["cooled"] <= q_max / hA
    assert rises["still air"] > 5 * rises["cooled"]


@pytest.mark.parametrize("value", ["0 W/m^2/K", "-5 W/m^2/K"])
def test_a_non_positive_heat_transfer_coefficient_exits_2(tmp_path, value):
    code = main(["cell", "run", "hem_full_cell_nmc811_lumped", "--params", SET, "--protocol",
                 "Charge at 1C for 1 minute", "--set", f"cell_heat_transfer_coefficient={value}",
                 "--out", str(tmp_path)])
    assert code == 2
    code = main(["cell", "run", "hem_full_cell_nmc811_lumped", "--params", SET, "--protocol",
                 "Charge at 1C for 1 minute", "--set", "cell_cooling_surface_area=0 m^2",
                 "--out", str(tmp_path)])
    assert code == 2


def test_the_cooling_keys_are_read_by_the_lumped_recipe_only():
    from hemcell.workflows.anode import parameter_usage

    usage = parameter_usage(SET, "hem_full_cell_nmc811_lumped")
    for key in ("cell_heat_transfer_coefficient", "cell_cooling_surface_area"):
        assert key in usage["reads"] and key not in usage["missing"]
    with pytest.raises(InputError):  # an isothermal cell has no cooling
        prepare_cell("hem_full_cell_nmc811", SET, "Charge at 1C for 1 minute",
                     overrides=["cell_heat_transfer_coefficient=1000 W/m^2/K"])
