"""Impedance spectra from the models (hemcell.smallsignal, hemcell.workflows.eis).

Analytic checks: the Randles limit, the zero-frequency limit against DC runs of the same
model and against the limetal DC model, Kramers–Kronig, the Warburg region, and the
activation energy recovered from fitted resistances.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pybamm
import pytest

from hemcell.laws import FARADAY_C_PER_MOL, GAS_CONSTANT_J_PER_MOL_K, thermal_voltage_V
from hemcell.limetal.parameters import cell_parameters, load_anode_set
from hemcell.smallsignal import linearise
from hemcell.workflows import eis
from hemcell.workflows import eis_models as em

F_LOG = np.logspace(-2, 6, 81)


def _values(anode="bare", **changes):
    p = cell_parameters(load_anode_set(anode), anode)
    if changes:
        p = dataclasses.replace(p, **changes)
    return em.symmetric_values(p, p.temperature_K, 0.01)


def _linearised(values, outputs, var_pts=None):
    sim = em.symmetric_simulation(values, var_pts)
    inputs = {em.IN_CURRENT: 0.0, **em.SINE_INPUTS}
    sim.build(inputs=inputs)
    m = sim.built_model
    y0 = m.concatenated_initial_conditions.evaluate(0, inputs=inputs).reshape(-1)
    return sim, linearise(m, y0, inputs, em.IN_CURRENT, outputs)


def test_randles_limit_of_one_butler_volmer_interface():
    """One BV interface + double layer + series resistor, a hand-built PyBaMM model:
    a semicircle of diameter RT/(F i0 A) with its apex at 1/(2 pi R_ct C_dl A)."""
    i0, area, c_dl, r_s, T = 4.2, 1.911e-4, 0.2, 0.5, 298.15
    model = pybamm.BaseModel("Randles")
    eta = pybamm.Variable("eta")
    current = pybamm.InputParameter("I")
    j = 2 * i0 * pybamm.sinh(FARADAY_C_PER_MOL * eta / (2 * GAS_CONSTANT_J_PER_MOL_K * T))
    model.rhs = {eta: (current / area - j) / c_dl}
    model.initial_conditions = {eta: pybamm.Scalar(0)}
    model.variables = {"V": -(eta + r_s * current)}
    pybamm.Discretisation().process_model(model)
    lin = linearise(model, np.zeros(1), {"I": 0.0}, "I", ["V"])
    r_ct = thermal_voltage_V(T) / (i0 * area)
    f_apex = 1 / (2 * math.pi * r_ct * c_dl * area)
    f = np.logspace(-2, 2, 401) * f_apex
    z = -lin.transfer(f)["V"]
    z_ends = -lin.transfer([1e-5 * f_apex, 1e5 * f_apex])["V"]
    assert z_ends[0].real == pytest.approx(r_s + r_ct, rel=1e-9)
    assert z_ends[1].real == pytest.approx(r_s, rel=1e-8)
    k = int(np.argmax(-z.imag))
    assert f[k] == pytest.approx(f_apex, rel=0.012)  # grid step 2.3 %
    assert -z.imag[k] == pytest.approx(r_ct / 2, rel=1e-4)
    exact = r_s + r_ct / (1 + 1j * 2 * np.pi * f * r_ct * c_dl * area)
    assert np.max(np.abs(z - exact) / np.abs(exact)) < 1e-10


def test_symmetric_interfaces_are_two_randles_arcs():
    """The Li||Li interface term is two identical R_ct || C_dl (R_ct from the DC model's
    cell-averaged i0), exactly."""
    v = _values("bare")
    _, lin = _linearised(v, ["Interface overpotentials [V]"])
    area = v.params.li_electrode_area_m2
    r_ct = thermal_voltage_V(v.temperature_K) / (v.exchange_current_A_per_m2 * area)
    z = -lin.transfer(F_LOG)["Interface overpotentials [V]"]
    c_dl = v.params.li_double_layer_capacity_F_per_m2 * area
    exact = 2 * r_ct / (1 + 1j * 2 * np.pi * F_LOG * r_ct * c_dl)
    assert np.max(np.abs(z - exact) / np.abs(exact)) < 1e-9


def test_banded_and_sparse_lu_give_the_same_spectrum():
    """The Li||Li model is reordered to a banded matrix (1D separator): the banded LU and
    SuperLU solve the same system to round-off."""
    _, lin = _linearised(_values("coated"), ["Voltage [V]"])
    banded = lin._banded()
    assert banded is not None
    b = lin.forcing.astype(complex)
    for f in (1e-3, 1.0, 1e5):
        x_band = lin._banded_solver(*banded)(2 * np.pi * f, b)
        x_lu = lin._sparse_solver()(2 * np.pi * f, b)
        assert np.max(np.abs(x_band - x_lu)) <= 1e-10 * np.max(np.abs(x_lu))


def test_zero_frequency_equals_dc_slope_of_the_same_model_and_of_limetal():
    """Re Z(1e-4 Hz) = dV/dI of steady DC runs (+-I, same model), and = the small-current
    slope of hemcell.limetal.symmetric.run_schedule's plateau voltage."""
    from hemcell.limetal.symmetric import run_schedule

    v = _values("coated")
    sim, lin = _linearised(v, ["Voltage [V]"])
    z0 = -lin.transfer([1e-4])["Voltage [V]"][0]
    area = v.params.li_electrode_area_m2
    i_small = 1e-3 * area  # 0.1 uA/cm2: the BV sinh is linear to 1e-9
    volts = []
    for sign in (1.0, -1.0):
        sol = sim.solve([0, 200.0], inputs={em.IN_CURRENT: sign * i_small, **em.SINE_INPUTS})
        volts.append(float(sol["Voltage [V]"].entries[-1]))
    slope = -(volts[0] - volts[1]) / (2 * i_small)
    assert z0.real == pytest.approx(slope, rel=1e-5)
    dc = run_schedule(v.params, [(1e-3, 1.0)])
    assert z0.real == pytest.approx(dc.overpotential_V[0] / i_small, rel=1e-5)
    assert z0.real == pytest.approx(sum(em.symmetric_dc_resistance_ohm(v).values()), rel=1e-6)


def test_kramers_kronig_residuals_are_small():
    s = eis.symmetric_spectrum("coated", None, F_LOG)
    kk = eis.kramers_kronig(s)
    assert kk["residual_max"] < 1e-3


def test_warburg_region_slope_and_coefficient():
    """Diffusion-limited Li||Li (fast kinetics): the diffusion term has a -45 deg phase and
    the analytic Warburg coefficient where k L_s >> 1, and equals the finite-length form."""
    v = _values("bare", exchange_current_ref_A_per_m2=1e4, focusing_factor=1.0)
    name = "Electrolyte diffusion potential [V]"
    _, lin = _linearised(v, [name])
    # |k L_s / 2| from 6.7 (tanh = 1 - 3e-6) to 15; the 125 nm cells keep the phase
    # within 0.5 deg up to 50 Hz (1.7 deg at 200 Hz)
    f = np.logspace(1, np.log10(50), 8)
    z = -lin.transfer(f)[name]
    assert np.max(np.abs(np.degrees(np.angle(z)) + 45)) < 0.5
    a_w = em.warburg_coefficient_ohm_s_half(v)
    assert np.real(z) * np.sqrt(2 * np.pi * f) == pytest.approx(np.full(f.size, a_w), rel=0.01)
    exact = em.diffusion_impedance_ohm(v, F_LOG)
    z_all = -lin.transfer(F_LOG)[name]
    low = F_LOG <= 50
    assert np.max(np.abs(z_all[low] - exact[low]) / np.abs(exact[low])) < 0.01


def test_activation_energy_from_ln_t_over_r():
    """R_ct = RT/(F i0), i0 Arrhenius: ln(T/R) vs 1/T returns Ea exactly; ln(1/R) is
    low by about R T."""
    ea = 29310.0
    T = np.array([298.15, 308.15, 318.15, 328.15])
    r = GAS_CONSTANT_J_PER_MOL_K * T / (FARADAY_C_PER_MOL * np.exp(-ea / (GAS_CONSTANT_J_PER_MOL_K
                                                                         * T)))
    e_true, e_app = eis.activation_energy_J_per_mol(T, r)
    assert e_true == pytest.approx(ea, rel=1e-9)
    assert ea - e_app == pytest.approx(GAS_CONSTANT_J_PER_MOL_K * T.mean(), rel=0.01)


def test_symmetric_run_recovers_seed_activation_energies(tmp_path):
    """Seed 004 (calibrated inputs): fitted R_ct of simulated spectra at 25-55 degC gives
    back the sets' 29.31 / 27.82 kJ/mol; the coated interface total (with the
    temperature-independent film) is lower."""
    req = eis.EISRequest(cell="symmetric", anodes=("bare", "coated"),
                         frequencies_Hz=tuple(np.logspace(-2, 6, 41)),
                         temperatures_K=(298.15, 308.15, 318.15, 328.15))
    s = eis.write_outputs(eis.run_eis(req), tmp_path)
    ea = s["activation_energy_kJ_per_mol"]
    assert ea["bare"] == pytest.approx(29.31, abs=0.02)
    assert ea["coated"] == pytest.approx(27.82, abs=0.02)
    assert s["activation_energy_interface_total_kJ_per_mol"]["coated"] < ea["coated"]
    # the model's own small-signal interface resistance at 25 degC is the measured one it
    # was derived from (no focusing factor on top: it is already in the measurement)
    assert s["model_interface_resistance_ohm"]["coated"] == pytest.approx(44.0, rel=1e-6)
    assert s["model_interface_resistance_ohm"]["bare"] == pytest.approx(64.0, rel=1e-6)
    for name in ("impedance.csv", "impedance.nc", "nyquist.png", "bode.png", "arrhenius.png",
                 "summary.json"):
        assert (tmp_path / name).is_file()
    import xarray as xr

    ds = xr.open_dataset(tmp_path / "impedance.nc", engine="h5netcdf")
    assert ds.attrs["Conventions"].startswith("CF")
    assert ds["z_real_ohm"].attrs["units"] == "ohm"


@pytest.mark.parametrize("args, field", [
    (["eis", "cylinder"], "CELL"),
    (["eis", "symmetric", "--frequencies", "0:1e3:10/decade"], "--frequencies"),
    (["eis", "symmetric", "--frequencies", "-5,10"], "--frequencies"),
    (["eis", "symmetric", "--temperatures", "-300degC"], "--temperatures"),
    (["eis", "symmetric", "--temperatures", "-40degC"], "temperature"),
])
def test_bad_input_exits_2_with_allowed_range(tmp_path, capsys, args, field):
    from hemcell.cli.main import main

    code = main([*args, "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert code == 2
    assert field in err
    if field == "temperature":  # at the electrolyte fit's divergence, 234 K at 1 M
        assert "234.00 K" in err


def test_anode_mechanism_currents_add_up_to_the_cell_current():
    """HEM anode half-cell after a short lithiation: the AC currents of the mechanisms and
    the double layer sum to the applied AC current at every frequency (charge balance of
    the linearised P2D model), and the double layer takes it all at high frequency."""
    f = np.logspace(-2, 6, 41)
    s = eis.anode_spectrum("hem_half_cell_p2d", "heo_rocksalt_mgconicuzn", None, f, 0.05,
                           None)
    total = sum(s.processes.values())
    assert np.max(np.abs(total - 1)) < 1e-6
    assert abs(s.processes["double_layer"][-1]) == pytest.approx(1, abs=1e-3)
    assert s.drift < 1e-3
    assert eis.kramers_kronig(s)["residual_max"] < 0.05


def test_time_domain_sine_agrees_with_the_linearisation():
    """Brute force on the same Li||Li model: a small sine current, Fourier projection of
    the last period, where the start-up transients (R_ct C_dl = 2.8 ms, diffusion 0.7 s)
    have decayed."""
    v = _values("bare")
    sim, lin = _linearised(v, ["Voltage [V]"])
    amp = 1e-2 * v.params.li_electrode_area_m2  # 1 uA/cm2: eta ~ 0.1 mV
    for f, periods in ((0.05, 4), (0.5, 8), (100.0, 100)):
        z_lin = -lin.transfer([f])["Voltage [V]"][0]
        z_td = eis.time_domain_impedance(sim, f, amp, {em.IN_CURRENT: 0.0}, periods)
        assert abs(z_td - z_lin) / abs(z_lin) < 2e-3, f


def test_lfp_process_split_adds_up_and_the_li_arc_is_randles():
    """Li||LFP (DFN with double layers): PyBaMM's voltage breakdown, linearised, splits the
    spectrum into processes that add up to the cell's (x-averaging over the porous LFP
    electrode leaves < 0.1 %), and the Li metal term is exactly one R_ct || C_dl with
    R_ct = RT/(F i0 A) of the model's Li exchange current."""
    from hemcell.limetal.halfcell import IN_I0_LI, build_half_cell

    f = np.logspace(-3, 5, 33)
    for anode in ("coated", "bare"):  # coated: the film as an Ohmic contact term
        s = eis.lfp_spectrum(anode, None, f, 0.5)
        assert s.info["process_split_unattributed_max"] < 1e-3
        total = sum(s.processes.values())
        assert np.max(np.abs(total - s.impedance_ohm) / np.abs(s.impedance_ohm)) < 1e-3
    assert "contact" not in s.processes  # bare: no film, no contact term
    pset = load_anode_set("bare")
    p = cell_parameters(pset, "bare")
    cell = build_half_cell(p, pset)
    area = p.cathode_area_m2  # the 1D model's electrode area (height x 1 m)
    r_ct = thermal_voltage_V(p.temperature_K) / (cell.inputs(current_A=0.0)[IN_I0_LI] * area)
    # the Li electrode's double layer over the Li area (1.911 cm2, not the cathode's)
    c_dl = p.li_double_layer_capacity_F_per_m2 * p.li_electrode_area_m2
    exact = r_ct / (1 + 1j * 2 * np.pi * f * r_ct * c_dl)
    z_li = s.processes["Li metal charge transfer + double layer"]
    assert np.max(np.abs(z_li - exact) / np.abs(exact)) < 1e-6
    # the LFP charge transfer, solid diffusion and storage all show up
    for name in ("LFP charge transfer + double layer", "LFP solid diffusion",
                 "LFP storage (open-circuit voltage)", "electrolyte (Ohmic)"):
        assert np.max(np.abs(s.processes[name])) > 1e-3 * np.max(np.abs(s.impedance_ohm))


def test_anode_temperature_moves_each_mechanism_arc_by_its_own_arrhenius_law():
    """HEM anode (single-particle recipe, fresh rested state) at 25, 35, 45 degC: the
    intercalation charge-transfer resistance of the linearised model is RT/(F i0(T) S), so
    ln(T/R) vs 1/T returns the set's intercalation_exchange_current_activation_energy
    exactly; with that energy set to 0 only RT/F is left (Ea = 0), and the spectrum at
    1 Hz then moves less."""
    from hemcell.params.parameter_set import load_parameter_set

    key = "intercalation_exchange_current_activation_energy"
    ea_set = load_parameter_set("heo_rocksalt_mgconicuzn").si[key] / 1e3  # kJ/mol
    temps = (298.15, 308.15, 318.15)
    f = (0.1, 1.0, 10.0, 100.0, 1e3, 1e4)  # hemcell eis fits >= MIN_FREQUENCIES
    runs = {}
    for label, overrides in (("set", ()), ("no Ea", (f"{key}=0 J/mol",))):
        req = eis.EISRequest(cell="anode", recipe="hem_half_cell_sp", frequencies_Hz=f,
                             temperatures_K=temps, overrides=overrides)
        result = eis.run_eis(req)
        runs[label] = (eis.summarize(result), result.spectra)
    s_set, spectra_set = runs["set"]
    s_off, spectra_off = runs["no Ea"]
    name = "heo_rocksalt_mgconicuzn"
    assert s_set["mechanism_activation_energy_kJ_per_mol"][name]["intercalation"] == \
        pytest.approx(ea_set, rel=1e-6)
    assert s_off["mechanism_activation_energy_kJ_per_mol"][name]["intercalation"] == \
        pytest.approx(0.0, abs=1e-6)
    r = s_set["mechanism_charge_transfer_resistance_ohm"][name]
    r_off = s_off["mechanism_charge_transfer_resistance_ohm"][name]
    # at the reference temperature (25 degC) the two sets agree
    assert r_off["298.15"]["intercalation"] == pytest.approx(r["298.15"]["intercalation"],
                                                             rel=1e-9)
    assert r_off["318.15"]["intercalation"] / r_off["298.15"]["intercalation"] == \
        pytest.approx(318.15 / 298.15, rel=1e-6)
    shift = [abs(s[-1].impedance_ohm[1] - s[0].impedance_ohm[1]) for s in (spectra_set,
                                                                           spectra_off)]
    assert shift[0] > 2 * shift[1]


def test_cell_spectrum_is_the_public_model_spectrum():
    """cell_spectrum (what a fit of measured spectra calls): the command's spectrum at the
    given frequencies in their order, EIS-only values as overrides, bad input refused."""
    from hemcell.errors import InputError

    f = [10.0, 0.1, 1e5]
    s = eis.cell_spectrum("symmetric", f, anode="coated",
                          overrides=["film_capacitance=2 uF/cm**2"])
    ref = eis.symmetric_spectrum("coated", None, np.array(f), (),
                                 {"film_capacitance": 2e-2})
    assert np.array_equal(s.frequencies_Hz, f)
    assert np.allclose(s.impedance_ohm, ref.impedance_ohm, rtol=1e-12, atol=0)
    # a film capacitance moves the film arc (high frequency) only
    base = eis.cell_spectrum("symmetric", f, anode="coated")
    assert base.impedance_ohm[1] == pytest.approx(s.impedance_ohm[1], rel=1e-6)
    assert abs(base.impedance_ohm[2] - s.impedance_ohm[2]) > 1e-3 * abs(s.impedance_ohm[2])
    for kwargs, field in (({"cell": "cylinder"}, "CELL"),
                          ({"frequencies_Hz": [1.0, -1.0]}, "--frequencies"),
                          ({"temperature_K": 230.0}, "temperature"),  # <= 234 K
                          ({"protocol": "Rest for 1 hour"}, "--protocol"),
                          ({"soc": 0.5}, "--soc"),
                          ({"anode": "copper"}, "--anode")):
        args = {"cell": "symmetric", "frequencies_Hz": f, **kwargs}
        with pytest.raises(InputError) as err:
            eis.cell_spectrum(args.pop("cell"), args.pop("frequencies_Hz"), **args)
        assert err.value.field == field


def test_anode_double_layer_uses_the_models_surface_area():
    """The HEM anode's double-layer capacitance C_dl a L A reads the model's published
    surface area a (one owner): a set with another particle radius and active fraction
    gives a = 3 eps_act/R of those values in the spectrum as in the model."""
    from hemcell.workflows.anode import build_simulation, prepare_cell

    overrides = ["anode_particle_radius=0.4 um", "anode_active_material_volume_fraction=0.3",
                 "anode_porosity=0.5"]
    s = eis.anode_spectrum("hem_half_cell_sp", "heo_rocksalt_mgconicuzn", None, [1.0, 1e3],
                           None, None, overrides)
    setup = prepare_cell("hem_half_cell_sp", "heo_rocksalt_mgconicuzn", "Rest for 1 minute",
                         overrides=overrides)
    pv = setup.parameter_values
    sim = build_simulation(setup.recipe, pv, setup.inventory)
    sim.build()
    model = sim.built_model
    y0 = model.concatenated_initial_conditions.evaluate(0).reshape(-1)
    a_model = eis.model_value(model, eis.ANODE_SURFACE_AREA, y0, {})
    assert a_model == pytest.approx(3 * 0.3 / 0.4e-6, rel=1e-12)
    area = pv["Electrode height [m]"] * pv["Electrode width [m]"]
    a_eis = s.info["anode_double_layer_capacitance_F"] / (
        pv["Anode double-layer capacity [F.m-2]"] * pv["Positive electrode thickness [m]"] * area)
    assert a_eis == pytest.approx(a_model, rel=1e-12)


def test_anode_high_frequency_impedance_is_the_transmission_line_by_hand():
    """The anode half cell above its double layers' frequencies: the separator's
    electrolyte, the anode as a two-phase transmission line (electrolyte κ ε^b, solid σ
    ε_act^b_s, interface its double layer a C_dl iω/(1 + iωτ) per volume; the current
    crosses between the phases within tens of nm of each face) and the Li counter
    electrode's R ∥ C, within 1e-3 at 1e7 and 1e9 Hz. The impedance model's face-refined
    cells resolve those layers (:data:`hemcell.workflows.eis_models.HALF_CELL_SUBMESHES`):
    on the recipe's cells Re Z(1e7 Hz) was 0.6714 Ω, 3.2 % above."""
    from hemcell.workflows.anode import prepare_cell
    from tests.eis.test_cathode_full_eis import _transmission_line_ohm_m2, _value

    recipe, params = "hem_half_cell_p2d", "heo_rocksalt_mgconicuzn"
    f = np.array([1e7, 1e9])
    s = eis.anode_spectrum(recipe, params, None, f, None, None)
    pv = prepare_cell(recipe, params, "Rest for 1 minute").parameter_values
    c0 = float(pv["Initial concentration in electrolyte [mol.m-3]"])
    kappa = _value(pv, "Electrolyte conductivity [S.m-1]", c0,
                   float(pv["Ambient temperature [K]"]))
    area = float(pv["Electrode height [m]"]) * float(pv["Electrode width [m]"])
    length = float(pv["Positive electrode thickness [m]"])
    r_e = 1 / (kappa * float(pv["Positive electrode porosity"]) ** float(
        pv["Positive electrode Bruggeman coefficient (electrolyte)"]))
    r_s = 1 / (float(pv["Positive electrode conductivity [S.m-1]"]) * float(
        pv["Positive electrode active material volume fraction"]) ** float(
        pv["Positive electrode Bruggeman coefficient (electrode)"]))
    w = 2 * np.pi * f
    c_per_volume = s.info["anode_double_layer_capacitance_F"] / (length * area)
    tau = eis.eis_values()["anode_double_layer_relaxation_time"]
    zeta = (1 + 1j * w * tau) / (1j * w * c_per_volume)
    separator = float(pv["Separator thickness [m]"]) / (kappa * float(
        pv["Separator porosity"]) ** float(pv["Separator Bruggeman coefficient (electrolyte)"]))
    r_li = s.info["li_counter_electrode_resistance_ohm"]
    c_li = s.info["li_counter_electrode_capacitance_F"]
    z = ((separator + _transmission_line_ohm_m2(length, r_e, r_s, zeta)) / area
         + r_li / (1 + 1j * w * r_li * c_li))
    np.testing.assert_allclose(s.impedance_ohm, z, rtol=1e-3)
