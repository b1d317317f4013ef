r"""Spectra of the Li-metal cells (Li‖Li, Li‖LFP) and the checks of any spectrum.

:func:`symmetric_spectrum` and :func:`lfp_spectrum` linearise the models of
:mod:`hemcell.workflows.eis_models` about their rested state
(:func:`hemcell.smallsignal.linearise`:
:math:`Z(\omega) = -[c\,(i\omega M - J)^{-1} b + d]`, docs/eis.md *Method*) and split Z
by process. The half-cell voltage breakdown (:func:`half_cell_processes`,
:data:`LFP_PROCESSES`: V is the sum of its terms, each with its sign) is also the cathode
half cell's (:mod:`hemcell.workflows.eis.recipe_cells`). Checks of a spectrum:
:func:`passivity_warning` (a cell at rest has Re Z >= 0) and :func:`time_domain_impedance`
(Z from a sine current through the time-domain model, least squares on an offset, a
drift, the sine and the cosine: the cross-check of the linearisation).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from hemcell.errors import SimulationError
from hemcell.workflows.eis.inputs import Spectrum, eis_values

VOLTAGE = "Voltage [V]"


def symmetric_spectrum(anode: str, temperature_K: float | None, frequencies_Hz: np.ndarray,
                       overrides: Sequence[str] = (), extra: Mapping[str, float] | None = None,
                       var_pts: Mapping[str, int] | None = None) -> Spectrum:
    """Li‖Li spectrum of a bare or coated cell from the limetal parameter set."""
    from hemcell.limetal.parameters import cell_parameters, load_anode_set
    from hemcell.materials.lipf6_electrolyte import electrolyte_temperature_warnings
    from hemcell.smallsignal import linearise
    from hemcell.workflows import eis_models as em

    p = cell_parameters(load_anode_set(anode, list(overrides)), anode)
    T = p.temperature_K if temperature_K is None else temperature_K
    warnings = electrolyte_temperature_warnings(T, p.electrolyte_concentration_mol_per_m3)
    values = em.symmetric_values(p, T, eis_values(extra)["film_capacitance"])
    sim = em.symmetric_simulation(values, var_pts)
    inputs = {em.IN_CURRENT: 0.0, **em.SINE_INPUTS}
    sim.build(inputs=inputs)
    model = sim.built_model
    y0 = model.concatenated_initial_conditions.evaluate(0, inputs=inputs).reshape(-1)
    outputs = [VOLTAGE, *em.SYMMETRIC_PROCESSES.values()]
    lin = linearise(model, y0, inputs, em.IN_CURRENT, outputs)
    H = lin.transfer(frequencies_Hz)
    procs = {name: -H[var] for name, var in em.SYMMETRIC_PROCESSES.items()}
    if p.film_resistance_ohm_m2 == 0:
        procs.pop("coating film")
    return Spectrum(anode, T, np.asarray(frequencies_Hz), -H[VOLTAGE], procs,
                    dc_resistance_ohm=em.symmetric_dc_resistance_ohm(values), drift=lin.drift,
                    info={"exchange_current_A_per_m2": values.exchange_current_A_per_m2,
                          "focusing_factor": p.focusing_factor,
                          "electrode_area_m2": p.li_electrode_area_m2,
                          "double_layer_capacity_F_per_m2": p.li_double_layer_capacity_F_per_m2,
                          "film_capacitance_F_per_m2": values.film_capacitance_F_per_m2,
                          "seed_resistance_ohm": p.symmetric_cell_resistance_ohm},
                    warnings=warnings)


def lfp_spectrum(anode: str, temperature_K: float | None, frequencies_Hz: np.ndarray,
                 soc: float | None, overrides: Sequence[str] = ()) -> Spectrum:
    """Li‖LFP spectrum (DFN with double layers) at a state of charge (default: charged)."""
    from hemcell.limetal.halfcell import IN_X0, build_half_cell
    from hemcell.limetal.parameters import cell_parameters, load_anode_set
    from hemcell.materials.lipf6_electrolyte import electrolyte_temperature_warnings
    from hemcell.smallsignal import linearise
    from hemcell.workflows import eis_models as em

    pset = load_anode_set(anode, list(overrides))
    p = cell_parameters(pset, anode)
    warnings = electrolyte_temperature_warnings(
        p.temperature_K if temperature_K is None else temperature_K,
        p.electrolyte_concentration_mol_per_m3)
    cell = build_half_cell(p, pset)
    sim = em.lfp_differential_simulation(cell)
    if temperature_K is not None:
        pv = sim.parameter_values
        k_ratio, d_ratio = em.valoen_reimers_ratio(temperature_K,
                                                   p.electrolyte_concentration_mol_per_m3)
        pv.update({"Ambient temperature [K]": temperature_K,
                   "Initial temperature [K]": temperature_K,
                   "Electrolyte conductivity [S.m-1]":
                       p.electrolyte_conductivity_S_per_m * k_ratio,
                   "Electrolyte diffusivity [m2.s-1]":
                       p.electrolyte_diffusivity_m2_per_s * d_ratio})
    x0 = em.lfp_stoichiometry(p.lfp_charged_stoichiometry, 1.0 if soc is None else soc)
    inputs = cell.inputs(current_A=0.0, x0=x0)
    sim.build(inputs=inputs)
    model = sim.built_model
    y0 = model.concatenated_initial_conditions.evaluate(0, inputs=inputs).reshape(-1)
    lin = linearise(model, y0, inputs, em.IN_CURRENT, [VOLTAGE, *LFP_PROCESSES.values()])
    em.check_state(lin.drift, 1e-6, "Li||LFP initial state")
    H = lin.transfer(frequencies_Hz)
    T = p.temperature_K if temperature_K is None else temperature_K
    z = -H[VOLTAGE]
    procs = {name: sign * -H[var] for name, (sign, var) in _lfp_terms().items()}
    closure = np.abs(z - sum(procs.values())) / np.abs(z)
    procs = {k: v for k, v in procs.items() if np.any(np.abs(v) > 1e-12 * np.abs(z))}
    return Spectrum(anode, T, np.asarray(frequencies_Hz), z, procs, drift=lin.drift,
                    info={"lfp_stoichiometry": x0 / 1.0, "inputs": {IN_X0: inputs[IN_X0]},
                          "electrode_area_m2": p.cathode_area_m2,
                          "process_split_unattributed_max": float(closure.max())},
                    warnings=warnings)


#: Li||LFP process terms: PyBaMM's voltage breakdown of the DFN (x-averaged over the LFP
#: electrode), V = U_bulk + eta_particle + (eta_r,LFP - eta_r,Li) + eta_c,e + dphi_e
#: + dphi_s - eta_contact. The Li interface is split off the x-averaged reaction term;
#: the contact term is the coating film and interphase layer (Ohmic, hemcell.limetal).
def half_cell_processes(metal: str, electrode: str) -> dict[str, str]:
    """Process → PyBaMM variable of a half cell's voltage breakdown (the ``metal``
    counter electrode, the working ``electrode``; PyBaMM names the metal "Lithium" for
    any carrier)."""
    return {
        f"{metal} metal charge transfer + double layer":
            "Lithium metal interface reaction overpotential [V]",
        f"{electrode} charge transfer + double layer":
            "X-averaged positive electrode reaction overpotential [V]",
        f"{electrode} solid diffusion": "Particle concentration overpotential [V]",
        f"{electrode} storage (open-circuit voltage)": "Bulk open-circuit voltage [V]",
        "electrolyte (Ohmic)": "X-averaged electrolyte ohmic losses [V]",
        "electrolyte (concentration)": "X-averaged concentration overpotential [V]",
        "electrodes (solid Ohmic)": "X-averaged solid phase ohmic losses [V]",
        "contact": "Contact overpotential [V]",
    }


LFP_PROCESSES = half_cell_processes("Li", "LFP")


def _half_cell_terms(processes: Mapping[str, str]) -> dict[str, tuple[float, str]]:
    """Process → (sign, variable) with V = sum(sign * variable): the metal's reaction
    overpotential (PyBaMM: eta_r = eta_r,p - eta_r,Li) and the contact overpotential
    (V = ... - I R_c) enter V with a minus sign."""
    minus = ("Lithium metal interface reaction overpotential [V]", "Contact overpotential [V]")
    return {name: (-1.0 if var in minus else 1.0, var) for name, var in processes.items()}


def _lfp_terms() -> dict[str, tuple[float, str]]:
    """:func:`_half_cell_terms` of Li‖LFP."""
    return _half_cell_terms(LFP_PROCESSES)


def time_domain_impedance(sim: Any, frequency_Hz: float, amplitude_A: float,
                          inputs: Mapping[str, float], periods: int = 5,
                          points_per_period: int = 64, settle_rtol: float | None = None,
                          max_periods: int = 20480) -> complex:
    """Impedance by brute force: a sine current through the time-domain model.

    Solves ``periods`` periods of ``I = amplitude sin(2 pi f t)`` from the built
    simulation's initial state and fits the voltage of the last period with an offset, a
    linear drift (what is left of slow start-up transients) and the sine and cosine at
    ``f`` (least squares): ``Z = -V_hat / I_hat``. Transients faster than a period but
    slower than the simulated time remain in the result.

    With ``settle_rtol``, the way a time-domain user reaches the periodic state without
    knowing the model's time constants: the last two periods are projected, and while
    they differ by more than ``settle_rtol`` (relative) the run is repeated with twice
    the periods (up to ``max_periods``).

    Raises
    ------
    SimulationError
        If the periodic state is not reached within ``max_periods``.
    """
    n = periods
    while True:
        z_prev, z_last = _sine_run(sim, frequency_Hz, amplitude_A, inputs, n,
                                   points_per_period)
        if settle_rtol is None or abs(z_last - z_prev) <= settle_rtol * abs(z_last):
            return z_last
        if 2 * n > max_periods:
            raise SimulationError(f"no periodic state within {n} periods at "
                                  f"{frequency_Hz:g} Hz", step="sine")
        n *= 2


def _sine_run(sim: Any, frequency_Hz: float, amplitude_A: float,
              inputs: Mapping[str, float], periods: int, points_per_period: int
              ) -> tuple[complex, complex]:
    """``Z`` projected on the second-to-last and on the last of ``periods`` periods."""
    from hemcell.workflows import eis_models as em

    period = 1.0 / frequency_Hz
    t_end = periods * period
    n = points_per_period
    t_two = t_end - 2 * period + np.arange(2 * n) * period / n
    sol = sim.solve([0.0, t_end], inputs={**inputs, em.IN_SINE_AMPLITUDE: amplitude_A,
                                          em.IN_SINE_FREQUENCY: frequency_Hz},
                    t_interp=np.concatenate(([0.0], t_two[t_two > 0], [t_end])))
    out = []
    for t in (t_two[:n], t_two[n:]):
        v = np.interp(t, sol.t, sol["Voltage [V]"].entries)
        # least squares on offset, linear drift (the slow start-up transient), sin, cos
        wt = 2 * np.pi * frequency_Hz * t
        basis = np.column_stack([np.ones_like(t), (t - t.mean()) / period, np.sin(wt),
                                 np.cos(wt)])
        _, _, a_sin, a_cos = np.linalg.lstsq(basis, v, rcond=None)[0]
        # I = A sin(wt) -> V = Re(V_hat e^{iwt}) with V_hat = a_cos - i a_sin; I_hat = -i A
        out.append(complex(-(a_cos - 1j * a_sin) / (-1j * amplitude_A)))
    return out[0], out[1]


def passivity_warning(spectrum: Spectrum) -> str | None:
    """A warning naming the frequencies where Re Z < 0, or ``None``.

    A cell at rest is passive, Re Z(ω) ≥ 0 at every frequency; a negative real part is
    not the model's impedance there: the rested state still drifts (the linearisation
    holds for periods short against that drift) or iωM − J is singular to round-off
    (a full cell at --soc 0.2 below 1e-5 Hz, docs/eis.md).
    """
    negative = spectrum.frequencies_Hz[spectrum.impedance_ohm.real < 0]
    if negative.size == 0:
        return None
    return (f"{spectrum.label} at {spectrum.temperature_K:.2f} K: Re Z < 0 at "
            f"{negative.size} frequencies ({negative.min():.3g}-{negative.max():.3g} Hz); "
            "a cell at rest has Re Z >= 0, so these points are not its impedance (the "
            "state still drifts on that time scale, operating_point_drift_max "
            f"{spectrum.drift:.2g}, or the system is singular to round-off there)")
