"""Temperature in the anode models: isothermal at ``ambient_temperature``, Arrhenius rate
constants, the OCP's ideal-solution term and the Li counter electrode at the cell T."""

from __future__ import annotations

import math

import numpy as np
import pybamm
import pytest

from hemcell.cell import electrolytes
from hemcell.cell.mechanisms.base import arrhenius, front_factor
from hemcell.cell.parameters import (
    intercalation_diffusivity,
    intercalation_j0,
    intercalation_ocp_value,
    load_si,
    pybamm_values,
)
from hemcell.laws import FARADAY_C_PER_MOL as F
from hemcell.laws import GAS_CONSTANT_J_PER_MOL_K as R
from hemcell.laws import arrhenius_factor
from hemcell.workflows.anode import prepare_cell, run_cell

SP = "hem_half_cell_sp"
T_REF, T_COLD = 298.15, 263.15


def _eval(pv: pybamm.ParameterValues, symbol: pybamm.Symbol) -> float:
    return float(pv.evaluate(symbol))


# ------------------------------------------------------------------ Arrhenius limits
def test_arrhenius_symbol_limits():
    """T = T_ref gives the reference value; E_a = 0 gives no change; else exp(...)."""
    ea = "Anode conversion exchange-current activation energy [J.mol-1]"
    for T, Ea, want in ((T_REF, 35e3, 1.0), (T_COLD, 0.0, 1.0),
                        (T_COLD, 35e3, math.exp(-35e3 / R * (1 / T_COLD - 1 / T_REF)))):
        pv = pybamm.ParameterValues({ea: Ea, "Reference temperature [K]": T_REF})
        assert _eval(pv, arrhenius(ea, pybamm.Scalar(T))) == pytest.approx(want, rel=1e-14)


def test_intercalation_functions_at_the_reference_and_without_activation():
    c_e, c_s, c_max = 1000.0, 300.0, 1000.0
    ref = 0.1 * 2 * math.sqrt(0.3 * 0.7)
    j0 = intercalation_j0(0.1, 1000.0, 35e3, T_REF)
    assert j0(c_e, c_s, c_max, pybamm.Scalar(T_REF)).evaluate() == pytest.approx(ref, rel=1e-14)
    j0_flat = intercalation_j0(0.1, 1000.0, 0.0, T_REF)
    assert j0_flat(c_e, c_s, c_max, pybamm.Scalar(T_COLD)).evaluate() == pytest.approx(ref)
    D = intercalation_diffusivity(1e-16, 5e3, T_REF)
    assert D(0.3, pybamm.Scalar(T_REF)).evaluate() == pytest.approx(1e-16, rel=1e-14)
    assert D(0.3, pybamm.Scalar(T_COLD)).evaluate() == pytest.approx(
        1e-16 * arrhenius_factor(5e3, T_COLD, T_REF), rel=1e-12)


def test_li_counter_electrode_exchange_current_is_arrhenius(params_name):
    si, _ = load_si(params_name)
    pv = pybamm_values(si)
    base = pybamm.ParameterValues("Xu2019")[electrolytes.J0_METAL]
    args = (1000.0, 1 / 1.3e-5)
    j0 = pv[electrolytes.J0_METAL]
    at_ref = j0(*args, pybamm.Scalar(T_REF)).evaluate()
    assert at_ref == pytest.approx(base(*args, T_REF).evaluate(), rel=1e-14)
    cold = j0(*args, pybamm.Scalar(T_COLD)).evaluate()
    assert cold / at_ref == pytest.approx(
        arrhenius_factor(si["li_migration_activation_energy"], T_COLD, T_REF), rel=1e-12)


# ------------------------------------------------------------------ the cell temperature
def test_ambient_temperature_reaches_pybamm_and_the_ocp(params_name):
    """--set ambient_temperature was ignored (results bit-identical to 298 K)."""
    setup = prepare_cell(SP, params_name, "Discharge at 1 A/g until 0.01 V",
                         overrides=[f"ambient_temperature={T_COLD} K"])
    pv, si = setup.parameter_values, setup.si
    for name in ("Ambient temperature [K]", "Initial temperature [K]"):
        assert pv[name] == T_COLD
    assert pv["Reference temperature [K]"] == T_REF
    # intercalation OCP: U_mid − S(θ − ½) + (RT/F) ln((1 − θ)/θ) at the cell temperature
    prim = pybamm.LithiumIonParameters({"working electrode": "positive"}).p.prim
    theta = 0.2
    u = _eval(pv, prim.U(pybamm.Scalar(theta), pybamm.Scalar(T_COLD)))
    want = intercalation_ocp_value(si["intercalation_ocp_midpoint"],
                                   si["intercalation_ocp_slope"], theta, T_COLD)
    assert want == pytest.approx(si["intercalation_ocp_midpoint"] + 0.3
                                 * si["intercalation_ocp_slope"]
                                 + R * T_COLD / F * math.log(4))
    assert u == pytest.approx(want, abs=1e-6)  # PyBaMM's OCP asymptote terms: < 1 µV here


def test_full_cell_runs_at_the_set_temperature(params_name):
    setup = prepare_cell("hem_full_cell_lfp", params_name, "Charge at 0.1 A/g until 3.6 V",
                         overrides=[f"ambient_temperature={T_COLD} K"])
    assert setup.parameter_values["Ambient temperature [K]"] == T_COLD
    assert setup.parameter_values["Initial temperature [K]"] == T_COLD
    with pytest.raises(Exception, match="li_migration_activation_energy"):
        prepare_cell("hem_full_cell_lfp", params_name, "Charge at 0.1 A/g until 3.6 V",
                     overrides=["li_migration_activation_energy=20 kJ/mol"])


# ------------------------------------------------------------------ the operating point
def _front(x: float) -> float:
    """The regularised shrinking-core factor of hemcell.cell.mechanisms.base.front_factor."""
    return float(front_factor(pybamm.Scalar(x)).evaluate())


def _conversion_overpotential(pv: pybamm.ParameterValues, mass_g: float, T: float,
                              xi: float) -> float:
    """η of the Co lithiation branch carrying 1 A/g at extent ξ and temperature T [V].

    Uniform reaction (SP): j = i_cell/(a L), a = 3ε/R. The branch is the product-shell
    limit in series with Butler–Volmer, j = j_kin/(1 + j_kin/j_lim), with
    j_kin = j₀ A_j (1−ξ)^{2/3} (e^{−αFη/RT} − 1) and j_lim = F D A_D c_k / (R g(ξ)), where
    A_j, A_D are the Arrhenius factors of the set's activation energies:
    η = −(RT/αF) ln(1 + j_kin/(j₀ A_j (1−ξ)^{2/3})), j_kin = j/(1 − j/j_lim).
    """
    g = lambda k: float(pv[k])  # noqa: E731
    i_cell = 1.0 * mass_g / (g("Electrode height [m]") * g("Electrode width [m]"))
    radius = g("Positive particle radius [m]")
    a = 3 * g("Positive electrode active material volume fraction") / radius
    j = i_cell / (a * g("Positive electrode thickness [m]"))
    t_ref = g("Reference temperature [K]")
    j0 = g("Anode conversion exchange-current density [A.m-2]") * arrhenius_factor(
        g("Anode conversion exchange-current activation energy [J.mol-1]"), T, t_ref)
    D = g("Anode conversion product diffusivity [m2.s-1]") * arrhenius_factor(
        g("Anode conversion product diffusivity activation energy [J.mol-1]"), T, t_ref)
    alpha = g("Anode conversion charge transfer coefficient")
    rho = g("Anode active material density [kg.m-3]")
    c_k = rho * g("Anode Co conversion capacity [C.kg-1]") / F
    g_shell = (max(1 - xi, 0) + 1e-3) ** (-1 / 3) - 1 + 1e-3
    j_lim = F * D * c_k / radius / g_shell
    j_kin = j / (1 - j / j_lim)
    return -math.log(1 + j_kin / (j0 * _front(1 - xi))) * R * T / (alpha * F)


def test_cold_cell_lowers_the_lithiation_voltage_by_the_kinetics(params_name):
    """At 1 A/g, 263 K lowers the anode's lithiation potential by what the activation
    energies predict at the operating point.

    Co-only conversion (the other elements switched off, other mechanisms off) so that
    one branch carries the current; the anode potential Δφ at the same extents ξ at 298
    and 263 K differs by η(263 K) − η(298 K) of :func:`_conversion_overpotential`
    (the branch potential and first-lithiation offset do not depend on T). Tolerance
    0.5 mV: the model also charges the double layer (µV here) and ξ is interpolated.
    """
    xis = np.array([0.05, 0.1, 0.2, 0.3])
    off = ["conversion_capacity_ni=0 C/kg", "conversion_capacity_cu=0 C/kg",
           "conversion_capacity_zn=0 C/kg"]
    dphi, eta, volts = {}, {}, {}
    for T in (T_REF, T_COLD):
        run = run_cell(SP, params_name, "Discharge at 1 A/g until 0.01 V",
                       mechanisms=["conversion"], overrides=[*off, f"ambient_temperature={T} K"])
        assert run.error is None
        sol = run.solution
        xi = sol["Anode Co conversion extent"].entries.ravel()
        assert xi[-1] > xis[-1]
        dphi[T] = np.interp(xis, xi, sol["Anode mean surface potential difference [V]"]
                            .entries.ravel())
        volts[T] = np.interp(xis, xi, sol["Voltage [V]"].entries.ravel())
        eta[T] = np.array([_conversion_overpotential(run.parameter_values, run.mass_g, T, x)
                           for x in xis])
    shift = dphi[T_COLD] - dphi[T_REF]
    expected = eta[T_COLD] - eta[T_REF]
    assert np.all(expected < -0.04)  # tens of mV lower: the test has teeth
    np.testing.assert_allclose(shift, expected, atol=5e-4)
    assert np.mean(shift) == pytest.approx(np.mean(expected), abs=5e-4)
    # the terminal voltage drops further (Li counter electrode, electrolyte also slower)
    assert np.all(volts[T_COLD] - volts[T_REF] < shift)


def test_another_temperature_is_not_bit_identical(params_name):
    protocol = "Discharge at 1 A/g until 0.01 V"
    caps = {}
    for T in (T_REF, 273.15):
        run = run_cell(SP, params_name, protocol, overrides=[f"ambient_temperature={T} K"])
        caps[T] = float(run.solution["Anode specific capacity [mA.h.g-1]"].entries[-1])
    assert caps[273.15] < caps[T_REF] - 10.0


def test_a_temperature_sweep_builds_a_model_per_temperature(tmp_path, params_name):
    """PyBaMM refuses the temperature as an input of an experiment: points at different
    temperatures need their own model (it used to fail every point of the fast path, then
    sent the sweep to one process per point); the fast path builds one per temperature."""
    import yaml

    from hemcell.sweep.commands import resolve_command
    from hemcell.sweep.spec import load_spec

    spec_file = tmp_path / "t.yaml"
    spec_file.write_text(yaml.safe_dump({
        "command": "cell run", "arguments": [SP],
        "options": {"--params": params_name, "--protocol": "Discharge at 1 A/g until 0.01 V"},
        "parameters": {"ambient_temperature": {"values": [T_COLD, T_REF], "unit": "K"}},
        "outputs": ["discharge_capacity_mAh_per_g[0]"]}))
    spec = load_spec(spec_file)
    fast = resolve_command(spec.command).fast_path()
    assert fast.unsupported(spec) is None
    note = fast.note(spec)
    assert note.startswith("fast path: 2 models") and "Ambient temperature [K]" in note


def test_a_pybamm_users_ambient_temperature_is_the_cells():
    """PyBaMM's isothermal convention: the cell is at "Ambient temperature [K]". A plain
    PyBaMM script that sets only that value must see it; the initial temperature, which
    an isothermal model has no state for, must not change the run."""
    from hemcell.cell.model import HEMHalfCell

    model = HEMHalfCell({"mechanisms": ("intercalation", "conversion"), "x-average": "true"})
    experiment = pybamm.Experiment(["Discharge at 1C until 0.01 V"])

    def capacity_Ah(**temperatures: float) -> float:
        pv = model.default_parameter_values.copy()
        pv.update({f"{k.capitalize()} temperature [K]": v for k, v in temperatures.items()})
        sol = pybamm.Simulation(model, parameter_values=pv, experiment=experiment).solve()
        return float(sol["Discharge capacity [A.h]"].entries[-1])

    warm = capacity_Ah()
    assert capacity_Ah(ambient=T_COLD) < 0.95 * warm
    assert capacity_Ah(initial=T_COLD) == pytest.approx(warm, rel=1e-6)
