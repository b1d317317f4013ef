r"""Equivalent circuits of the spectra: circuits, fits, Kramers–Kronig, activation energy.

Owns each cell's circuit and its initial guess from the model (:func:`circuit_for`; a
full cell: :func:`full_cell_circuit`, one R‖C per electrode, or one for both where their
time constants are within :data:`ARC_SEPARATION_FACTOR` = (1 + √2)²; or
:func:`transmission_line_circuit`, one de Levie line per electrode,
:func:`de_levie_impedance_ohm`,
:math:`Z = \sqrt{R_{ion} Z_{int}}\,\coth\sqrt{R_{ion}/Z_{int}}` (R. de Levie,
*Electrochim. Acta* 8 (1963) 751), impedance.py's element ``TL``:
:func:`register_transmission_line_element`); the ``--circuit`` check
(:func:`check_circuit`); the fit (:func:`fit_circuit`: impedance.py
``CustomCircuit.fit``, 1σ from its ``conf_``; the covariance a sum of parameters needs,
:math:`s^2 (J^T J)^{-1}`: :func:`parameter_covariance`); what a full cell's fit tells
apart (:func:`full_cell_arcs`, :func:`pore_resistances`, :func:`determined_by_fit`); R_ct
of a fit (:func:`charge_transfer_resistance`, :func:`rct_undetermined`); the lin-KK check
(:func:`kramers_kronig`, Schönleber et al., *Electrochim. Acta* 131 (2014) 20); and the
activation energy from the slope of :math:`\ln(T/R)` against :math:`1/T`
(:func:`activation_energy_J_per_mol`, exact for :math:`R_{ct} = RT/(F i_0)` with an
Arrhenius :math:`i_0`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from hemcell.errors import InputError
from hemcell.laws import GAS_CONSTANT_J_PER_MOL_K
from hemcell.workflows.eis.inputs import Spectrum
from hemcell.workflows.eis.recipe_cells import STORAGE_DOMINANCE_RATIO


def circuit_for(spectrum: Spectrum, cell: str
                ) -> tuple[str, list[float], dict[str, str], dict[str, float]]:
    """Equivalent circuit, initial guess, element meanings and fixed elements.

    Li||Li: R0 + interface arc(s) + finite-length Warburg in series (the separator
    diffusion is driven by the faradaic current, 0.04 % from the series form here).
    Li||LFP and HEM anode: R0 + counter/Li arc + a Randles arc with the storage
    (finite-space Warburg) behind the charge transfer, in parallel with the double layer.
    """
    f, z = spectrum.frequencies_Hz, spectrum.impedance_ohm
    if cell == "symmetric":
        dc = spectrum.dc_resistance_ohm
        info = spectrum.info
        area = info["electrode_area_m2"]
        c1 = info["double_layer_capacity_F_per_m2"] * area / 2
        p = [dc["electrolyte (Ohmic)"], dc["charge transfer + double layer"], c1]
        meaning = {"R0": "electrolyte (separator) resistance",
                   "R1": "charge-transfer resistance of both interfaces",
                   "C1": "double-layer capacitance of both interfaces in series"}
        circuit = "R0-p(R1,C1)"
        if "coating film" in spectrum.processes:
            circuit += "-p(R2,C2)"
            p += [dc["coating film"], info["film_capacitance_F_per_m2"] * area / 2]
            meaning.update({"R2": "coating film resistance (both films)",
                            "C2": "coating film capacitance (both films in series)"})
        return circuit + "-Ws1", [*p, dc["electrolyte (diffusion)"], 1.0], {
            **meaning, "Ws1": "salt diffusion across the separator (finite-length Warburg)"
        }, {}
    r_hf = float(np.real(z[np.argmax(f)]))
    f_min = float(f.min())
    if cell == "anode":
        # counter electrode arc and the anode's charge-transfer arc: R and C from the
        # model (the dl carries half the AC current where omega R_ct C_dl = 1)
        r1, c1 = spectrum.info["li_counter_electrode_resistance_ohm"], \
            spectrum.info["li_counter_electrode_capacitance_F"]
        c2 = spectrum.info["anode_double_layer_capacitance_F"]
        r_mech = [r for r in spectrum.info["mechanism_charge_transfer_resistance_ohm"].values()
                  if r is not None and r > 0]
        if r_mech:  # the active mechanisms in parallel
            r2 = 1 / sum(1 / r for r in r_mech)
        else:
            dl = np.abs(spectrum.processes["double_layer"])
            order = np.argsort(f)
            f_half = float(np.interp(0.5, dl[order], f[order]))
            r2 = 1 / (2 * np.pi * f_half * c2)
        meaning = {"R0": "Ohmic resistance (electrolyte, solid, contacts)",
                   "R1": "Li counter electrode charge transfer", "C1": "its double layer",
                   "R2": "anode charge transfer (all mechanisms in parallel)",
                   "C2": "anode double layer",
                   "Wo1": "solid-state storage/diffusion (finite-space Warburg)"}
    elif cell == "full":
        return full_cell_circuit(spectrum)
    elif cell == "cathode":
        # the two electrodes' arcs: R from the model's charge-transfer resistances (a
        # rough share of the low-frequency resistance where it has none: an interface
        # that carries no AC current), C from its double layer
        info = spectrum.info
        r_ct = info["electrode_charge_transfer_resistance_ohm"]
        spare = max(float(np.real(z[np.argmin(f)])) - r_hf, 1e-9) / 2
        first = next(k for k in r_ct if k != "cathode")
        r1, r2 = (r_ct[k] if r_ct[k] is not None and r_ct[k] > 0 else spare
                  for k in (first, "cathode"))
        c1 = info.get("counter_electrode_capacitance_F")
        c2 = info["cathode_double_layer_capacitance_F"]
        meaning = {"R0": "Ohmic resistance (electrolyte, solid, contacts)",
                   "R1": f"{first} charge transfer", "C1": "its double layer",
                   "R2": "cathode charge transfer", "C2": "cathode double layer",
                   "Wo1": "solid-state storage/diffusion (finite-space Warburg)"}
    else:
        # the Li and LFP arcs of the model's own process split: R at the lowest
        # frequency, C from the apex frequency of each arc
        arcs = [spectrum.processes[k] for k in ("Li metal charge transfer + double layer",
                                                "LFP charge transfer + double layer")]
        (r1, c1), (r2, c2) = [(float(np.real(a[np.argmin(f)])),
                               1 / (2 * np.pi * f[np.argmax(-a.imag)]
                                    * float(np.real(a[np.argmin(f)])))) for a in arcs]
        meaning = {"R0": "Ohmic resistance (electrolyte, solid, contacts)",
                   "R1": "Li metal charge transfer", "C1": "its double layer",
                   "R2": "LFP charge transfer", "C2": "LFP double layer",
                   "Wo1": "solid-state storage/diffusion (finite-space Warburg)"}
    z_low = float(np.real(z[np.argmin(f)]))
    guess = [max(r_hf, 1e-6), r1, c1, r2, max(z_low - r_hf - r1 - r2, r2),
             1 / (2 * np.pi * f_min), c2]
    if cell == "anode":
        # the counter electrode's arc is known exactly (added by anode_spectrum): fixed
        return ("R0-p(R1,C1)-p(R2-Wo1,C2)", [guess[0], *guess[3:]], meaning,
                {"R1": r1, "C1": c1})
    return "R0-p(R1,C1)-p(R2-Wo1,C2)", guess, meaning, {}


#: Ratio of two R‖C time constants below which their arcs show as one: −Im Z of an
#: R‖C against ln ω is (R/2) sech(ln ωτ), and the sum of two equal ones has two maxima
#: only where their ln τ are more than 2 asinh(1) apart, a ratio (1 + √2)² = 5.83
#: (derived; unequal resistances need more). A full cell's two arcs are told apart
#: only above it (:func:`full_cell_arcs`).
ARC_SEPARATION_FACTOR = (1 + math.sqrt(2)) ** 2

#: The full cell's circuits: one R‖C per electrode (cathode R1‖C1, anode R2‖C2) and the
#: storage tail, a finite-space Warburg, in series; where the model's two time constants
#: are within :data:`ARC_SEPARATION_FACTOR` one R‖C for both arcs (R1: their sum).
FULL_CELL_CIRCUIT = "R0-p(R1,C1)-p(R2,C2)-Wo1"
FULL_CELL_MERGED_CIRCUIT = "R0-p(R1,C1)-Wo1"


def electrode_time_constants_s(spectrum: Spectrum) -> dict[str, float | None]:
    """Each electrode's R_ct C_dl of the model [s] (``None``: its charge transfer carries
    no AC current)."""
    info = spectrum.info
    r_ct = info["electrode_charge_transfer_resistance_ohm"]
    return {k: (r_ct[k] * info[f"{k}_double_layer_capacitance_F"]
                if r_ct[k] is not None and r_ct[k] > 0 else None)
            for k in ("cathode", "anode")}


def arcs_separable(tau_s: Mapping[str, float | None]) -> bool:
    """Whether two arcs of time constants ``tau_s`` show as two: both known and at least
    :data:`ARC_SEPARATION_FACTOR` apart."""
    t = list(tau_s.values())
    return (all(x is not None and x > 0 for x in t)
            and max(t) / min(t) >= ARC_SEPARATION_FACTOR)


def full_cell_circuit(spectrum: Spectrum
                      ) -> tuple[str, list[float], dict[str, str], dict[str, float]]:
    r"""The full cell's circuit, its initial guess and the elements' meanings.

    :data:`FULL_CELL_CIRCUIT` where the model's time constants R_ct C_dl of the two
    electrodes are :func:`arcs_separable`, else :data:`FULL_CELL_MERGED_CIRCUIT`. The
    guess is the model's own: R0 the real part at the highest frequency; R1, C1 and R2,
    C2 each electrode's charge-transfer resistance and double-layer capacitance
    (``info``); merged, R1 their sum and C1 = √(τ_c τ_a)/R1 (two R‖C of one time
    constant τ in series are one R‖C of R1 + R2 and τ); an electrode whose charge
    transfer carries no AC current starts at half of Re Z(f_min) − R0. Wo1 from the
    lowest frequency:
    :math:`R_W \coth\sqrt{i\omega\tau}/\sqrt{i\omega\tau} \to R_W/3 + 1/(i\omega C_W)`
    with :math:`C_W = \tau/R_W`, so :math:`R_W = 3(\mathrm{Re}\,Z - R_0 - R_1 - R_2)`
    (3 R2 where that is not positive: the arcs are not closed at f_min) and
    :math:`\tau = R_W C`, :math:`C = -1/(\omega\,\mathrm{Im}\,Z)` there.
    """
    f, z = spectrum.frequencies_Hz, spectrum.impedance_ohm
    info = spectrum.info
    r_hf = max(float(np.real(z[np.argmax(f)])), 1e-6)
    z_low, w_low = z[np.argmin(f)], 2 * np.pi * float(f.min())
    spare = max(float(z_low.real) - r_hf, 1e-9) / 2
    r_ct = info["electrode_charge_transfer_resistance_ohm"]
    r1, r2 = (r_ct[k] if r_ct[k] is not None and r_ct[k] > 0 else spare
              for k in ("cathode", "anode"))
    r_w = 3 * float(z_low.real - r_hf - r1 - r2)
    r_w = r_w if r_w > 0 else 3 * r2
    c_low = -1 / (w_low * float(z_low.imag)) if z_low.imag < 0 else 1 / (w_low * r_w)
    c1, c2 = (info[f"{k}_double_layer_capacitance_F"] for k in ("cathode", "anode"))
    tail = {"Wo1": "solid-state storage/diffusion of both electrodes (finite-space "
                   "Warburg)"}
    ohmic = {"R0": "Ohmic resistance (electrolyte, solid, contacts)"}
    if arcs_separable(electrode_time_constants_s(spectrum)):
        return FULL_CELL_CIRCUIT, [r_hf, r1, c1, r2, c2, r_w, r_w * c_low], {
            **ohmic, "R1": "cathode charge transfer", "C1": "cathode double layer",
            "R2": "anode charge transfer (all mechanisms in parallel)",
            "C2": "anode double layer", **tail}, {}
    return FULL_CELL_MERGED_CIRCUIT, [r_hf, r1 + r2, math.sqrt(r1 * c1 * r2 * c2) / (r1 + r2),
                                      r_w, r_w * c_low], {
        **ohmic, "R1": "charge transfer of both electrodes (their arcs merged)",
        "C1": "double layers of both electrodes", **tail}, {}


#: ``--circuit`` of ``eis full``: the lumped circuit (:func:`full_cell_circuit`, the
#: default) or one de Levie line per electrode (:func:`transmission_line_circuit`).
FULL_CELL_CIRCUITS = ("lumped", "transmission-line")

#: The full cell's transmission-line circuit: each electrode a de Levie line with an
#: R_ct‖C_dl interface (TL1 cathode, TL2 anode; :func:`de_levie_impedance_ohm`) and the
#: storage tail, a finite-space Warburg, in series.
TRANSMISSION_LINE_CIRCUIT = "R0-TL1-TL2-Wo1"

#: ``|x|`` below which coth x of the de Levie line is its series 1/x + x/3 − x³/45
#: (relative error of the series ≈ 2x⁶/945 < 1e-20 there; the exponential form loses
#: digits as 1 − e^{−2x} → 0).
_COTH_SERIES_BELOW = 1e-3


def de_levie_impedance_ohm(r_ion_ohm: float, r_ct_ohm: float, c_dl_F: float,
                           frequencies_Hz: np.ndarray) -> np.ndarray:
    r"""A porous electrode as a de Levie transmission line with an R_ct‖C_dl interface.

    .. math::

        Z = \sqrt{R_{ion} Z_{int}}\,\coth\sqrt{R_{ion}/Z_{int}}, \qquad
        Z_{int} = \frac{R_{ct}}{1 + i\omega R_{ct} C_{dl}}

    (R. de Levie, *Electrochim. Acta* 8 (1963) 751; Lasia, *Electrochemical Impedance
    Spectroscopy and its Applications*, 2014, ch. 9), with the electrolyte's resistance
    in the pores R_ion (the whole electrode's, L/(κ_eff A)), the solid's taken as zero,
    and the interface of the whole electrode: R_ct and C_dl [F]. Limits: R_ion → 0 gives
    Z_int (the lumped R‖C); a blocking interface (R_ct → ∞) gives the 45° line
    :math:`\sqrt{R_{ion}/(i\omega C_{dl})}` at high frequency and
    :math:`R_{ion}/3 + 1/(i\omega C_{dl})` as ω → 0; ω → 0 with R_ct finite:
    :math:`\sqrt{R_{ion} R_{ct}}\coth\sqrt{R_{ion}/R_{ct}}` (R_ct + R_ion/3 where
    R_ion ≪ R_ct).

    Parameters
    ----------
    r_ion_ohm, r_ct_ohm, c_dl_F
        Pore (ionic) resistance [Ohm], charge-transfer resistance [Ohm] and double-layer
        capacitance [F] of the electrode.
    frequencies_Hz
        Frequencies [Hz].

    Returns
    -------
    numpy.ndarray
        Complex impedance [Ohm].
    """
    w = 2 * np.pi * np.asarray(frequencies_Hz, dtype=float)
    y_int = 1 / r_ct_ohm + 1j * w * c_dl_F  # interface admittance [S]
    x = np.sqrt(r_ion_ohm * y_int + 0j)  # sqrt(R_ion / Z_int), Re x >= 0
    small = np.abs(x) < _COTH_SERIES_BELOW
    xs = np.where(small, 1.0, x)  # placeholder where the series is used
    e = np.exp(-2 * xs)
    coth = np.where(small, 0.0, (1 + e) / (1 - e))
    z_line = np.sqrt(r_ion_ohm / y_int + 0j) * coth
    # series: sqrt(R Z) (1/x + x/3 - x^3/45) = Z + R/3 - R^2/(45 Z)
    z_series = 1 / y_int + r_ion_ohm / 3 - r_ion_ohm ** 2 * y_int / 45
    return np.where(small, z_series, z_line)


def register_transmission_line_element() -> None:
    """Register :func:`de_levie_impedance_ohm` as impedance.py's circuit element ``TL``
    (parameters R_ion [Ohm], R_ct [Ohm], C_dl [F]); idempotent."""
    from impedance.models.circuits import elements

    if "TL" in elements.circuit_elements:
        return

    def TL(p: Sequence[float], f: Sequence[float]) -> np.ndarray:
        """de Levie line with an R_ct||C_dl interface (hemcell's
        ``de_levie_impedance_ohm``): p = [R_ion, R_ct, C_dl]."""
        return de_levie_impedance_ohm(p[0], p[1], p[2], np.asarray(f, dtype=float))

    elements.element(num_params=3, units=["Ohm", "Ohm", "F"])(TL)


def transmission_line_circuit(spectrum: Spectrum
                              ) -> tuple[str, list[float], dict[str, str], dict[str, float]]:
    r"""The full cell's transmission-line circuit (``--circuit transmission-line``), its
    initial guess and the elements' meanings.

    :data:`TRANSMISSION_LINE_CIRCUIT`, started from the model's values: R0 the real part
    at the highest frequency less the lines' part there (each line is
    :math:`\sqrt{R_{ion}/(i\omega C_{dl})}` there); each electrode's R_ion its
    ``electrode_pore_resistance_ohm``, R_ct and C_dl its charge-transfer resistance and
    double-layer capacitance (an electrode whose charge transfer carries no AC current
    starts at half of Re Z(f_min) − R0); Wo1 as in :func:`full_cell_circuit`, less the
    lines' R_ion/3.
    """
    f, z = spectrum.frequencies_Hz, spectrum.impedance_ohm
    info = spectrum.info
    w_max = 2 * np.pi * float(f.max())
    r_ion = info["electrode_pore_resistance_ohm"]
    c_dl = {k: info[f"{k}_double_layer_capacitance_F"] for k in ("cathode", "anode")}
    lines_hf = sum(math.sqrt(r_ion[k] / (2 * w_max * c_dl[k])) for k in c_dl)
    r_hf = max(float(np.real(z[np.argmax(f)])) - lines_hf, 1e-6)
    z_low, w_low = z[np.argmin(f)], 2 * np.pi * float(f.min())
    spare = max(float(z_low.real) - r_hf, 1e-9) / 2
    r_ct = info["electrode_charge_transfer_resistance_ohm"]
    r = {k: r_ct[k] if r_ct[k] is not None and r_ct[k] > 0 else spare for k in c_dl}
    r_w = 3 * float(z_low.real - r_hf - sum(r.values()) - sum(r_ion.values()) / 3)
    r_w = r_w if r_w > 0 else 3 * r["anode"]
    c_low = -1 / (w_low * float(z_low.imag)) if z_low.imag < 0 else 1 / (w_low * r_w)
    guess = [r_hf]
    meaning = {"R0": "Ohmic resistance (separator electrolyte, solid, contacts)"}
    for n, k in ((1, "cathode"), (2, "anode")):
        guess += [r_ion[k], r[k], c_dl[k]]
        meaning.update({f"TL{n}_0": f"{k} pore (electrolyte) resistance R_ion",
                        f"TL{n}_1": f"{k} charge transfer R_ct (whole electrode)",
                        f"TL{n}_2": f"{k} double layer C_dl (whole electrode)"})
    meaning["Wo1"] = "solid-state storage/diffusion of both electrodes (finite-space Warburg)"
    return TRANSMISSION_LINE_CIRCUIT, [*guess, r_w, r_w * c_low], meaning, {}


#: The elements of each electrode's arc in the full cell's circuits: R_ct and C_dl
#: (:func:`full_cell_arcs`), and the transmission line's pore resistance.
FULL_CELL_ARC_ELEMENTS = {
    FULL_CELL_CIRCUIT: {"cathode": ("R1", "C1"), "anode": ("R2", "C2")},
    TRANSMISSION_LINE_CIRCUIT: {"cathode": ("TL1_1", "TL1_2"), "anode": ("TL2_1", "TL2_2")}}
PORE_ELEMENTS = {"cathode": "TL1_0", "anode": "TL2_0"}


def determined_by_fit(parameter: Mapping[str, Any]) -> bool:
    """Whether a fitted circuit parameter (``value``, ``uncertainty``: 1σ) is determined:
    its 1σ below its value (false for a NaN 1σ)."""
    return bool(parameter["uncertainty"] < parameter["value"])


def pore_resistances(fit: Mapping[str, Any], spectrum: Spectrum) -> dict[str, Any]:
    """The transmission-line fit's pore resistances: per electrode ``value``,
    ``uncertainty`` (1σ), ``model`` (``electrode_pore_resistance_ohm``), ``determined``
    and, where not, ``reason``. A pore resistance is determined where the fit tells the
    two electrodes' lines apart (``arcs["resolved"]``, :func:`full_cell_arcs`: lines
    whose interfaces are not told apart can trade their pore resistances too, as the
    thin Li electrodes of ``hem_full_cell_lfp`` do) and its 1σ is below its value.
    Empty for another circuit or a failed fit."""
    if fit.get("circuit") != TRANSMISSION_LINE_CIRCUIT or "parameters" not in fit:
        return {}
    par, model = fit["parameters"], spectrum.info["electrode_pore_resistance_ohm"]
    arcs = fit.get("arcs") or {}
    out = {}
    for k, n in PORE_ELEMENTS.items():
        p = par[n]
        reason = None
        if not arcs.get("resolved"):
            reason = ("the electrodes' lines are not told apart ("
                      f"{arcs.get('short_reason') or 'see circuit_arcs'})")
        elif not determined_by_fit(p):
            reason = "1 sigma at least its value"
        out[k] = {"value": p["value"], "uncertainty": p["uncertainty"], "model": model[k],
                  "determined": reason is None, "reason": reason}
    return out


def parameter_covariance(circuit: str, constants: Mapping[str, float],
                         parameters: Sequence[float], frequencies_Hz: np.ndarray,
                         impedance_ohm: np.ndarray) -> np.ndarray:
    r"""Covariance of fitted circuit parameters, as ``scipy.optimize.curve_fit`` forms
    it for impedance.py's fit (``weight_by_modulus``, relative sigma):
    :math:`s^2 (J^T J)^{-1}` with J the Jacobian of the residuals over |Z| (central
    differences, step 1e-6 of each value) and :math:`s^2` their sum of squares over the
    degrees of freedom. impedance.py keeps only the diagonal (``conf_``); a sum of
    parameters needs the off-diagonal terms (two arcs at nearby frequencies trade their
    resistances: strongly anticorrelated)."""
    from impedance.models.circuits.fitting import wrapCircuit

    register_transmission_line_element()  # a TRANSMISSION_LINE_CIRCUIT's element
    fn = wrapCircuit(circuit, dict(constants))
    f = np.asarray(frequencies_Hz, dtype=float)
    z = np.asarray(impedance_ohm, dtype=complex)
    weight = np.hstack([np.abs(z), np.abs(z)])
    p = np.asarray(parameters, dtype=float)
    res = (np.asarray(fn(f, *p)) - np.hstack([z.real, z.imag])) / weight
    jac = np.empty((res.size, p.size))
    for k in range(p.size):
        h = 1e-6 * max(abs(p[k]), 1e-300)
        up, down = p.copy(), p.copy()
        up[k] += h
        down[k] -= h
        jac[:, k] = (np.asarray(fn(f, *up)) - np.asarray(fn(f, *down))) / (2 * h) / weight
    dof = max(res.size - p.size, 1)
    # (J^T J)^-1 from the SVD of J, singular values below round-off dropped (curve_fit's)
    _, sv, vt = np.linalg.svd(jac, full_matrices=False)
    keep = sv > np.finfo(float).eps * max(jac.shape) * sv[0]
    vt = vt[keep]
    return float(res @ res) / dof * (vt.T / sv[keep] ** 2) @ vt


def full_cell_arcs(fit: Mapping[str, Any], spectrum: Spectrum) -> dict[str, Any]:
    """Whether a full cell's fit tells the two electrodes' arcs apart, and R_ct.

    The arcs are told apart (``resolved``) where the model's time constants R_ct C_dl of
    the two electrodes and the fitted ones R1 C1 (cathode), R2 C2 (anode) each differ by
    at least :data:`ARC_SEPARATION_FACTOR`, the fitted ones lie in the model's order, and
    each resistance's 1σ is below its value; ``by_electrode_ohm`` then holds R1 and R2.
    Otherwise ``reason`` (``short_reason``: for the terminal line) says which test
    failed and only the sum is reported
    (``sum_ohm``: R1 + R2, or R1 of the merged circuit), its 1σ with the covariance of
    R1 and R2 (:func:`parameter_covariance`). A fitted arc whose time constant lies more
    than the factor outside the model's R_ct C_dl of both electrodes is another
    process's (slower: e.g. the storage's, which takes the circuit's R‖C where it
    dominates the spectrum; faster: e.g. the pores' electrolyte): ``charge_transfer`` is
    then false and the fit gives no R_ct. One R‖C whose R and C both have a 1σ at least
    their value is no arc (the fit let it vanish: its R C is no time constant of the
    spectrum) and is left out of that test; the reason then says the fit found no arc of
    that electrode. The transmission-line circuit (:data:`TRANSMISSION_LINE_CIRCUIT`) is
    tested the same way on each line's interface, R_ct = TL1_1 / TL2_1 and C_dl = TL1_2
    / TL2_2 (:data:`FULL_CELL_ARC_ELEMENTS`).
    """
    par = fit["parameters"]
    tau_model = electrode_time_constants_s(spectrum)
    factor = ARC_SEPARATION_FACTOR
    names = list(par)
    cov = np.asarray(fit["covariance"])
    elements = FULL_CELL_ARC_ELEMENTS.get(fit["circuit"], {"merged": ("R1", "C1")})
    arcs = [r for r, _ in elements.values()]
    idx = [names.index(n) for n in arcs]
    var = float(sum(cov[i, j] for i in idx for j in idx))
    out: dict[str, Any] = {
        "resolved": False, "charge_transfer": True, "reason": None, "short_reason": None,
        "by_electrode_ohm": None,
        "sum_ohm": sum(par[n]["value"] for n in arcs),
        "sum_uncertainty_ohm": math.sqrt(var) if var >= 0 else float("nan"),
        "time_constants_s": {"model": tau_model}, "separation_factor": factor}
    known = [t for t in tau_model.values() if t is not None]
    model_text = ", ".join(f"{k} {t:.3g} s" for k, t in tau_model.items() if t is not None)
    ratio = spectrum.info.get("electrode_storage_impedance_ratio", {})
    swamped = {k: x for k, x in ratio.items()
               if x is not None and x >= STORAGE_DOMINANCE_RATIO}
    if swamped:  # that electrode's arc is its storage's, whatever the fit's time constants
        r_model = spectrum.info["electrode_charge_transfer_resistance_ohm"]
        text = ", ".join(f"{k}'s {x:.3g}x its R_ct {r_model[k]:.4g} Ohm" for k, x in
                         swamped.items())
        return {**out, "charge_transfer": False,
                "reason": (f"the storage behind the charge transfer impedes it at least as "
                           f"much as the charge transfer at its own arc frequency "
                           f"1/(2 pi R_ct C_dl) (model: {text}): that electrode has no "
                           "charge-transfer arc of its own, the fitted arc is its storage's"),
                "short_reason": (f"the {' and '.join(swamped)} storage at its arc frequency "
                                 f"{' and '.join(f'{x:.2g}x' for x in swamped.values())} "
                                 "its R_ct: no charge-transfer arc")}

    def storage(which: str, taus: Sequence[float]) -> dict[str, Any]:
        text = " and ".join(f"{t:.3g} s" for t in taus)
        # slower than both: e.g. the storage's; faster: e.g. the pores' (not storage)
        side = ("slower" if min(taus) > max(known) else
                "faster" if max(taus) < min(known) else "slower and faster")
        return {**out, "charge_transfer": False,
                "reason": (f"the fitted time constant {which} {text} is more than a factor "
                           f"{factor:.2f} {side} than the electrodes' R_ct C_dl of the "
                           f"model ({model_text}): another process's arc, not a charge "
                           "transfer"),
                "short_reason": (f"an arc at {text}, {side} than the electrodes' R_ct C_dl "
                                 f"{model_text}: not a charge transfer")}

    if fit["circuit"] == FULL_CELL_MERGED_CIRCUIT:
        missing = [k for k, t in tau_model.items() if t is None]
        tau = par["R1"]["value"] * par["C1"]["value"]
        out["time_constants_s"]["fit"] = {"merged": tau}
        if known and not min(known) / factor <= tau <= max(known) * factor:
            return storage("R1 C1", [tau])
        if missing:
            out["reason"] = (f"the model's {missing[0]} charge transfer carries no AC "
                             "current (no model R_ct): one arc fitted")
            out["short_reason"] = f"one arc: no model R_ct of the {missing[0]}"
        else:
            out["reason"] = (f"the electrodes' time constants R_ct C_dl of the model, "
                             f"{model_text}, are within a factor {factor:.2f}: their arcs "
                             "merge into one, fitted as one R||C")
            out["short_reason"] = (f"one arc: the model's R_ct C_dl {model_text} are within "
                                   f"{factor:.2f}x")
        return out
    tau_fit = {k: par[r]["value"] * par[c]["value"] for k, (r, c) in elements.items()}
    out["time_constants_s"]["fit"] = tau_fit
    fit_text = ", ".join(f"{' '.join(elements[k])} {t:.3g} s" for k, t in tau_fit.items())
    # an R||C whose R and C both have a 1 sigma at least their value is no arc of the
    # spectrum (the fit let it vanish): its R C is no time constant to test (one only)
    vanished = [k for k, pair in elements.items()
                if not any(determined_by_fit(par[n]) for n in pair)]
    vanished = vanished if len(vanished) == 1 else []
    stray = [k for k, t in tau_fit.items() if k not in vanished
             and not min(known) / factor <= t <= max(known) * factor]
    if stray:
        return storage(" and ".join(" ".join(elements[k]) for k in stray),
                       [tau_fit[k] for k in stray])
    reason = short = None
    if vanished:  # that electrode's R||C took no arc: its tau is no test
        k = vanished[0]
        r = elements[k][0]
        value = f"{r} {par[r]['value']:.3g} +- {par[r]['uncertainty']:.2g} Ohm"
        r_model = spectrum.info["electrode_charge_transfer_resistance_ohm"][k]
        reason = (f"the fit found no {k} arc ({value}: 1 sigma at least its value; the "
                  f"model's {k} R_ct {r_model:.4g} Ohm, R_ct C_dl {tau_model[k]:.3g} s)")
        short = f"no {k} arc in the fit, {value}"
    elif not arcs_separable(tau_fit):
        reason = f"the fitted arcs' time constants, {fit_text}, are within a factor {factor:.2f}"
        short = f"the fitted arcs' {fit_text} are within {factor:.2f}x"
    elif (tau_fit["cathode"] > tau_fit["anode"]) != (tau_model["cathode"]
                                                   > tau_model["anode"]):
        reason = (f"the fitted arcs lie in the other order than the model's ({fit_text}; "
                  f"model {model_text})")
        short = "the fitted arcs in the other order than the model's"
    else:
        loose = [f"{r} ({k})" for k, (r, _) in elements.items()
                 if not determined_by_fit(par[r])]
        if loose:
            reason = short = f"1 sigma of {' and '.join(loose)} at least its value"
    out.update(resolved=reason is None, reason=reason, short_reason=short)
    if reason is None:
        out["by_electrode_ohm"] = {k: {"value": par[r]["value"],
                                       "uncertainty": par[r]["uncertainty"]}
                                   for k, (r, _) in elements.items()}
    return out


def check_circuit(cell: str, circuit_type: str) -> None:
    """Refuse a ``--circuit`` that is not one of :data:`FULL_CELL_CIRCUITS`, or the
    transmission line with a cell other than ``full``.

    Raises
    ------
    InputError
        Naming ``--circuit``, the value and the allowed ones.
    """
    if circuit_type not in FULL_CELL_CIRCUITS:
        raise InputError("--circuit", circuit_type, " | ".join(FULL_CELL_CIRCUITS),
                         hint="--circuit transmission-line: CELL full only")
    if circuit_type != "lumped" and cell != "full":
        raise InputError("--circuit", circuit_type, f"lumped with CELL {cell} "
                         "(transmission-line: CELL full only)", hint="leave out --circuit")


#: Largest number of circuit evaluations of one fit (``curve_fit``'s ``maxfev``; a fit
#: that needs more is reported as failed, with the optimiser's message).
FIT_MAX_EVALUATIONS = 5000


def parameter_scales(guess: Sequence[float]) -> np.ndarray:
    """Characteristic scale of each circuit parameter for the optimiser: its starting
    value (1 where that is not positive).

    ``least_squares`` (trust-region reflective, which ``curve_fit`` runs with impedance.py's
    bounds) measures its steps in ``x / x_scale``; with the default scale 1 the trust
    region is one absolute unit for every parameter. The transmission-line circuit of
    ``hem_full_cell_lfp --soc 0.5`` spans 1e-4 Ohm (the anode's pore resistance) to 65 F
    (the cathode's double layer), so its unscaled fit crept along the small parameters and
    ran out of its :data:`FIT_MAX_EVALUATIONS` (1e-2-1e5 Hz at 5/decade, and 1e-2-1e6 Hz at
    10/decade too); scaled by the guess every parameter moves in units of itself.
    """
    g = np.abs(np.asarray(guess, dtype=float))
    return np.where(g > 0, g, 1.0)


def fit_circuit(spectrum: Spectrum, cell: str, circuit_type: str = "lumped"
                ) -> dict[str, Any]:
    """Fit the equivalent circuit with impedance.py; parameters with units and 1σ.

    ``circuit_type``: one of :data:`FULL_CELL_CIRCUITS`; ``transmission-line`` (a full
    cell only) fits :func:`transmission_line_circuit` and adds ``pore_resistance_ohm``
    (:func:`pore_resistances`); its parameters are scaled by their starting values for
    the optimiser (:func:`parameter_scales`). The fit names it (``circuit_type``).
    """
    import warnings

    from impedance.models.circuits import CustomCircuit

    check_circuit(cell, circuit_type)
    if circuit_type == "transmission-line":
        register_transmission_line_element()
        circuit, guess, meaning, fixed = transmission_line_circuit(spectrum)
    else:
        circuit, guess, meaning, fixed = circuit_for(spectrum, cell)
    model = CustomCircuit(circuit, initial_guess=guess, constants=fixed)
    scaling = ({"x_scale": parameter_scales(guess)} if circuit_type == "transmission-line"
               else {})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            model.fit(spectrum.frequencies_Hz, spectrum.impedance_ohm, weight_by_modulus=True,
                      maxfev=FIT_MAX_EVALUATIONS, **scaling)
        except (RuntimeError, ValueError) as exc:
            return {"label": spectrum.label, "temperature_K": spectrum.temperature_K,
                    "circuit": circuit, "circuit_type": circuit_type, "error": str(exc)}
    names, units = model.get_param_names()
    conf = model.conf_ if model.conf_ is not None else [float("nan")] * len(names)
    pred = model.predict(spectrum.frequencies_Hz)
    rel = np.abs(pred - spectrum.impedance_ohm) / np.abs(spectrum.impedance_ohm)
    params = {n: {"value": float(v), "unit": u, "uncertainty": float(s)}
              for n, u, v, s in zip(names, units, model.parameters_, conf, strict=True)}
    for n, v in fixed.items():
        params[n] = {"value": float(v), "unit": "Ohm" if n.startswith("R") else "F",
                     "uncertainty": 0.0, "fixed": "from the model (counter electrode)"}
    fit = {"label": spectrum.label, "temperature_K": spectrum.temperature_K,
           "circuit": circuit, "circuit_type": circuit_type, "parameters": params,
           "meaning": meaning, "fit_relative_residual_max": float(rel.max())}
    if cell == "full":
        fit["covariance"] = parameter_covariance(
            circuit, fixed, model.parameters_, spectrum.frequencies_Hz,
            spectrum.impedance_ohm).tolist()
        fit["arcs"] = full_cell_arcs(fit, spectrum)
    if circuit_type == "transmission-line":
        fit["pore_resistance_ohm"] = pore_resistances(fit, spectrum)
    return fit


def charge_transfer_resistance(fit: Mapping[str, Any], cell: str) -> float | None:
    """R_ct of a fit: both Li interfaces (Li||Li, R1), the HEM anode's arc (R2), the
    cathode's arc (cathode half cell, R2), or both arcs together (Li||LFP: Li + LFP, full
    cell: cathode + anode, R1 + R2).

    ``None``: the fit failed, or it leaves R_ct undetermined (:func:`rct_undetermined`).
    """
    if "parameters" not in fit or rct_undetermined(fit, cell):
        return None
    if "arcs" in fit:  # the full cell (:func:`full_cell_arcs`)
        return fit["arcs"]["sum_ohm"]
    par = fit["parameters"]
    return sum(par[name]["value"] for name in _RCT_ELEMENTS[cell])


#: The circuit elements whose sum is R_ct, per cell (:func:`charge_transfer_resistance`).
_RCT_ELEMENTS = {"symmetric": ("R1",), "anode": ("R2",), "cathode": ("R2",),
                 "li-lfp": ("R1", "R2"), "full": ("R1", "R2")}


def rct_undetermined(fit: Mapping[str, Any], cell: str) -> bool:
    """Whether the fit leaves R_ct undetermined: its 1σ (the elements' in quadrature)
    at least its value. Two arcs at the same frequency (a full cell's cathode and anode
    at 0.1 Hz, ``hem_full_cell_k_pba --soc 0.3``) can be traded against each other and
    against the storage element: the fit there gave R1 + R2 = 0.40 ± 1.8e6 Ohm where
    the model's resistances are 148 and 525 Ohm. A full cell's fit (``arcs``,
    :func:`full_cell_arcs`) uses the 1σ of its sum with R1 and R2's covariance."""
    par = fit.get("parameters")
    if par is None:
        return False
    if "arcs" in fit:  # the full cell: the sum's 1 sigma with R1 and R2's covariance
        arcs = fit["arcs"]
        return (not arcs["charge_transfer"]
                or arcs["sum_uncertainty_ohm"] >= arcs["sum_ohm"])
    names = _RCT_ELEMENTS[cell]
    value = sum(par[n]["value"] for n in names)
    sigma = math.sqrt(sum(par[n]["uncertainty"] ** 2 for n in names))
    return sigma >= value  # NaN (no covariance): not known to be undetermined


def kramers_kronig(spectrum: Spectrum) -> dict[str, Any]:
    """impedance.py lin-KK: residuals of a Voigt-chain fit relative to |Z|.

    Schönleber's μ criterion (``c=0.85``) is meant to stop fitting measurement noise;
    on noise-free simulated spectra spanning many decades it stops at 3-4 elements
    with residuals near 90 %. The number of RC elements is therefore fixed at 5 per
    decade (at most half the points), a complex fit with a series capacitance for
    capacitive low-frequency ends.
    """
    import impedance.validation as kk

    # impedance.py 1.7.1 evaluates its lin-KK circuit from a formatted string; with
    # NumPy 2 the numbers print as ``np.float64(...)``, so the name must be known there.
    kk.circuit_elements.setdefault("np", np)
    order = np.argsort(spectrum.frequencies_Hz)
    f = spectrum.frequencies_Hz[order]
    decades = math.log10(f[-1] / f[0])
    m = int(max(3, min(round(5 * decades), f.size // 2)))
    M, mu, _, res_re, res_im = kk.linKK(f, spectrum.impedance_ohm[order], c=None, max_M=m,
                                        fit_type="complex", add_cap=True)
    return {"label": spectrum.label, "temperature_K": spectrum.temperature_K,
            "rc_elements": int(M), "mu": float(mu),
            "residual_max": float(max(np.max(np.abs(res_re)), np.max(np.abs(res_im))))}


def activation_energy_J_per_mol(temperatures_K: Sequence[float],
                                resistances_ohm: Sequence[float]) -> tuple[float, float]:
    """Ea from ``ln(T/R)`` vs ``1/T`` (exact for R = RT/(F i0)), and from ``ln(1/R)``.

    Returns
    -------
    tuple
        ``(Ea from ln(T/R), apparent Ea from ln(1/R))`` [J/mol].
    """
    T = np.asarray(temperatures_K, dtype=float)
    R = np.asarray(resistances_ohm, dtype=float)
    slope_t = np.polyfit(1 / T, np.log(T / R), 1)[0]
    slope_1 = np.polyfit(1 / T, np.log(1 / R), 1)[0]
    return -slope_t * GAS_CONSTANT_J_PER_MOL_K, -slope_1 * GAS_CONSTANT_J_PER_MOL_K
