r"""Impedance spectra of the cell models (``hemcell eis``): spectra, circuit fits, Arrhenius.

Python API::

    from hemcell.workflows.eis import EISRequest, cell_spectrum, run_eis, write_outputs
    result = run_eis(EISRequest(cell="symmetric", anodes=("bare", "coated"),
                                temperatures_K=(298.15, 308.15, 318.15, 328.15)))
    summary = write_outputs(result, "out/")
    # one model spectrum for given parameters (what a fit of measured spectra calls)
    s = cell_spectrum("symmetric", [0.1, 1.0, 10.0], anode="coated",
                      overrides=["film_capacitance=2 uF/cm**2"])
    s.impedance_ohm  # complex [Ohm], Z = -dV/dI

Method. Each spectrum is the small-signal response of the same model that runs the DC
tests, linearised about a rested state (:mod:`hemcell.smallsignal`: exact Jacobian and
mass matrix, one sparse LU per frequency), :math:`Z = -\mathrm{d}V/\mathrm{d}I`. The
models are those of :mod:`hemcell.workflows.eis_models` (Li‖Li, Li‖LFP with double
layers, the HEM anode half-cell). Per-process contributions are read from the same
linear solve: for Li‖Li the voltage is a sum of process terms (interfaces, films,
electrolyte Ohmic and diffusion), for the HEM anode the AC current splits between
the mechanisms and the double layer.

Circuit fits use impedance.py (``CustomCircuit.fit``, ``scipy.optimize.curve_fit``;
uncertainties are its 1σ ``conf_``; a full cell: one R‖C per electrode started from the
model's R_ct and C_dl, or one for both where their time constants are within
:data:`ARC_SEPARATION_FACTOR`, :func:`full_cell_arcs`), the Kramers–Kronig check is
impedance.py's lin-KK (Schönleber et al., *Electrochim. Acta* 131 (2014) 20). The
activation energy of a resistance is the slope of :math:`\ln(T/R_{ct})` against
:math:`1/T`, which is exact for :math:`R_{ct} = RT/(F i_0)` with an Arrhenius
:math:`i_0`; the common :math:`\ln(1/R_{ct})` plot underestimates it by about
:math:`RT` (2.5 kJ/mol at 298 K) and is reported beside it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from hemcell.errors import InputError, SimulationError
from hemcell.laws import GAS_CONSTANT_J_PER_MOL_K

CELLS = ("symmetric", "li-lfp", "anode", "cathode", "full")
#: The cells whose model is a recipe with a parameter set (``--recipe``, ``--params``),
#: and what they are.
RECIPE_CELLS = {"anode": "HEM half-cell", "cathode": "cathode half cell",
                "full": "HEM full cell"}
#: Default recipe and parameter set of the cells that take them: ``anode`` (HEM half
#: cell: ``--params`` is the anode set), ``cathode`` (a cathode set against its carrier's
#: metal: ``--params`` is the cathode set) and ``full`` (HEM anode | cathode of the recipe:
#: ``--params`` is the anode set).
DEFAULT_MODEL = {"anode": ("hem_half_cell_p2d", "heo_rocksalt_mgconicuzn"),
                 "cathode": ("cathode_half_cell_p2d", "cathode_he_nvpf"),
                 "full": ("hem_full_cell_lfp", "heo_rocksalt_mgconicuzn")}
VOLTAGE = "Voltage [V]"

#: Values the impedance models need that the parameter sets do not hold (SI), each with
#: its unit and source; ``--set NAME=VALUE`` replaces them like a set entry.
EIS_PARAMETERS: dict[str, dict[str, Any]] = {
    "film_capacitance": {
        "value": 1.0, "unit": "uF/cm**2", "si_unit": "F/m**2",
        "source": {"assumed": (
            "Capacitance of the coating film in its R||C. Not reported for the AZCNF film; "
            "1 uF/cm**2 is inside the 0.1-2 uF/cm**2 range of SEI films on Li in the "
            "Handbook of Battery Materials, ch. 16, p. 512 (literature-phasefield-zn-eis.md "
            "C4). Only places the film arc in frequency (~0.6 MHz with h/kappa_c of the "
            "set); it does not change any resistance.")},
    },
    "anode_double_layer_relaxation_time": {
        "value": 1.0e-9, "unit": "s", "si_unit": "s",
        "source": {"assumed": (
            "The set's 0.01 s is 'any value much shorter than a protocol step'; for a "
            "spectrum the shortest step is the period at the highest frequency (1 us at "
            "1 MHz), so the double layer's series RC time must be shorter than that.")},
    },
    **{name: {"value": value, "unit": unit, "si_unit": unit, "source": source}
       for name, value, unit, source in (
           ("cathode_double_layer_capacity", 0.2, "F/m**2", {"ref": "xu2019", "note": (
               "PyBaMM Xu2019 'Positive electrode double-layer capacity [F.m-2]': 0.2, the "
               "generic PyBaMM value (also Prada2013, Chen2020), as the HEM anode sets' "
               "anode_double_layer_capacity; not a measurement of any cathode. Per particle "
               "surface a = 3 eps_s/R; the cathode sets give none.")}),
           ("counter_electrode_double_layer_capacity", 0.2, "F/m**2", {"ref": "xu2019",
            "note": ("PyBaMM Xu2019 'Negative electrode double-layer capacity [F.m-2]': 0.2 "
                     "(as li_double_layer_capacity of the Li-metal sets), used for the Li, "
                     "Na or K metal counter electrode of a cathode half cell; not a Na or K "
                     "measurement.")}),
           ("cathode_double_layer_relaxation_time", 1.0e-9, "s", {"assumed": (
               "Series RC time of the cathode double layer added to the HEM full cell for "
               "its spectrum (the anode's element, eis_models.add_cathode_double_layer); as "
               "anode_double_layer_relaxation_time: shorter than the 1 us period at 1 MHz.")}),
       )},
}

#: Fewest distinct frequencies ``hemcell eis`` simulates, fits and checks: the circuits
#: have up to 7 free parameters (two real values per frequency: >= 4 frequencies), and
#: lin-KK fits at least 3 RC elements with at most one per two frequencies (>= 6).
#: :func:`cell_spectrum` alone takes any number (a fit of measured data calls it).
MIN_FREQUENCIES = 6

#: Which of :data:`EIS_PARAMETERS` each cell's model reads (``symmetric``: only a coated
#: Li electrode has a film).
EIS_PARAMETER_READERS = {"film_capacitance": {("symmetric", "coated")},
                         "anode_double_layer_relaxation_time": {("anode", None),
                                                                ("full", None)},
                         "cathode_double_layer_capacity": {("cathode", None), ("full", None)},
                         "counter_electrode_double_layer_capacity": {("cathode", None)},
                         "cathode_double_layer_relaxation_time": {("full", None)}}

#: Electrode area of the Li-metal cells: where it comes from (for the summary).
AREA_NOTE = ("li_electrode_area of the sets: 1.911 cm**2, assumed (15.6 mm Li disc of a "
             "CR2032 cell); the seed gives no area, so Ohm values depend on it only through "
             "the ct resistance derived from the seed's 64/44 Ohm (area cancels there).")


# ---------------------------------------------------------------------- input parsing
#: Most frequencies one spectrum may ask for: a guard against a mistyped density
#: (``1e-2:1e6:100000/decade`` asked for 800 001 solves and ran for minutes); 200 per
#: decade over 10 decades, while measured spectra hold 10-100 points (assumed bound).
MAX_FREQUENCIES = 2001


def parse_frequencies(text: str) -> np.ndarray:
    """``START:STOP:N/decade`` (log spaced, both ends included) or a comma list [Hz].

    START may be above STOP, as an instrument sweeps (``1e6:1e-2:10/decade``, high to
    low): the same frequencies, in increasing order as every spectrum here.

    Raises
    ------
    InputError
        Malformed text, a frequency <= 0, START = STOP, or more than
        :data:`MAX_FREQUENCIES` frequencies.
    """
    allowed = "START:STOP:N/decade with START, STOP > 0 and START != STOP (e.g. " \
              "1e-2:1e6:10/decade or 1e6:1e-2:10/decade), or comma-separated frequencies > 0 Hz"
    m = re.fullmatch(r"\s*([^:]+):([^:]+):\s*(\d+)\s*/\s*decade\s*", text)
    try:
        if m:
            lo, hi, per = float(m.group(1)), float(m.group(2)), int(m.group(3))
            lo, hi = min(lo, hi), max(lo, hi)
            if not (lo > 0 and hi > lo and per > 0 and math.isfinite(hi)):
                raise InputError("--frequencies", text, allowed)
            n = max(2, round(per * math.log10(hi / lo)) + 1)
            if n > MAX_FREQUENCIES:
                raise InputError("--frequencies", text, f"at most {MAX_FREQUENCIES} "
                                 f"frequencies (this asks for {n})",
                                 hint="fewer points per decade, e.g. 10/decade")
            return np.logspace(math.log10(lo), math.log10(hi), n)
        f = np.array([float(x) for x in text.split(",") if x.strip()])
    except ValueError:
        raise InputError("--frequencies", text, allowed) from None
    if f.size == 0 or np.any(~np.isfinite(f)) or np.any(f <= 0):
        raise InputError("--frequencies", text, allowed)
    if f.size > MAX_FREQUENCIES:
        raise InputError("--frequencies", text, f"at most {MAX_FREQUENCIES} frequencies")
    return np.unique(f)


def split_overrides(overrides: Sequence[str]) -> tuple[dict[str, float], list[str]]:
    """Separate ``--set`` entries of :data:`EIS_PARAMETERS` (returned in SI) from set ones.

    Raises
    ------
    InputError
        A malformed or non-positive value of an EIS parameter; a key given twice
        (:func:`hemcell.params.uses.override_items`).
    """
    from hemcell.params.uses import override_items
    from hemcell.units import parse_quantity_text, to_si

    mine: dict[str, float] = {}
    rest: list[str] = []
    for item, (key, value) in zip(overrides, override_items(overrides), strict=True):
        if key in EIS_PARAMETERS:
            spec = EIS_PARAMETERS[key]
            number, unit = parse_quantity_text(value, f"--set {key}")
            mine[key] = to_si(number, unit, spec["si_unit"], f"--set {key}")
            if not (math.isfinite(mine[key]) and mine[key] > 0):  # a capacitance, a time
                raise InputError(f"--set {key}", value, f"a value > 0 {spec['unit']}")
        else:
            rest.append(item)
    return mine, rest


def eis_values(extra: Mapping[str, float] | None = None) -> dict[str, float]:
    """:data:`EIS_PARAMETERS` in SI, with ``--set`` replacements."""
    from hemcell.units import to_si

    out = {k: to_si(s["value"], s["unit"], s["si_unit"], k) for k, s in EIS_PARAMETERS.items()}
    out.update(extra or {})
    return out


def refuse_ambient_with_temperature(overrides: Sequence[str]) -> None:
    """Refuse ``--set ambient_temperature`` together with ``--temperatures`` (the latter
    sets each spectrum's temperature; which one was meant cannot be told)."""
    from hemcell.params.uses import override_keys

    if "ambient_temperature" in override_keys(overrides):
        raise InputError("--set ambient_temperature", "with --temperatures",
                         "one of them: --temperatures sets each spectrum's "
                         "ambient_temperature")


def check_overrides(cell: str, anodes: Sequence[str], overrides: Sequence[str],
                    temperatures_given: bool = False) -> None:
    """Refuse (exit 2) a ``--set`` key no model of the request reads.

    ``symmetric`` and ``li-lfp``: the registry names of
    :func:`hemcell.workflows.eis_models.model_parameter_uses` over ``anodes`` (a key read
    by one of them is accepted) and the :data:`EIS_PARAMETERS` of
    :data:`EIS_PARAMETER_READERS`; ``anode``: the EIS values here, the set's names when
    the recipe is prepared (:func:`hemcell.workflows.anode.prepare_cell`).

    Raises
    ------
    InputError
        A key not read, or ``ambient_temperature`` with ``temperatures_given``.
    """
    from hemcell.params.uses import expand, override_keys, refuse_unread
    from hemcell.workflows import eis_models as em

    keys = override_keys(overrides)
    if temperatures_given:
        refuse_ambient_with_temperature(overrides)
    if not keys:
        return
    cases = [(cell, None)] if cell in RECIPE_CELLS else [(cell, a) for a in anodes]
    eis_reads = [k for k, readers in EIS_PARAMETER_READERS.items()
                 if any(case in readers for case in cases)]
    if cell in RECIPE_CELLS:
        keys = [k for k in keys if k in EIS_PARAMETERS]  # the rest: the set's check
        reader = f"`hemcell eis {cell}` ({RECIPE_CELLS[cell]})"
        reads: list[str] = eis_reads
    else:
        reader = f"`hemcell eis {cell}` ({' and '.join(anodes)} Li)"
        reads = [*{k: None for a in anodes
                   for k in expand(em.model_parameter_uses(cell, a))}, *eis_reads]
    refuse_unread(keys, reads, reader)


#: The recipe ``cell:`` each recipe cell of ``hemcell eis`` linearises.
RECIPE_KIND = {"anode": "half", "cathode": "cathode_half", "full": "full"}


def check_recipe(cell: str, recipe: str) -> None:
    """Refuse a recipe of another kind than the cell's: ``anode`` takes a HEM anode half
    cell (``cell: half``), ``cathode`` a cathode half cell (``cell: cathode_half``),
    ``full`` a HEM full cell (``cell: full``).

    Raises
    ------
    InputError
        A recipe of another kind (a full-cell recipe with ``anode`` failed with a KeyError
        on the counter electrode's overpotential), or an unknown one
        (:func:`hemcell.cell.recipes.load_recipe`).
    """
    from hemcell.cell.recipes import list_recipes, load_recipe

    rec = load_recipe(recipe)
    if rec.cell != RECIPE_KIND[cell]:
        kind = RECIPE_KIND[cell]
        names = [n for n in list_recipes() if load_recipe(n).cell == kind]
        raise InputError("--recipe", recipe, f"a {RECIPE_CELLS[cell]} recipe (cell: {kind}) "
                         f"for eis {cell}: {', '.join(names)}",
                         hint=f"the recipe's cell is {rec.cell}; "
                         + {"half": "`hemcell eis anode` takes it",
                            "cathode_half": "`hemcell eis cathode` takes it",
                            "full": "`hemcell eis full` takes it"}.get(
                                rec.cell, "no impedance spectrum of it is offered"))


def check_anode_recipe(recipe: str) -> None:
    """:func:`check_recipe` of ``hemcell eis anode``."""
    check_recipe("anode", recipe)


def check_set_keys(kwargs: Mapping[str, Any]) -> None:
    """:func:`check_overrides` on a parsed ``hemcell eis`` argument list (the sweep-spec
    check, before anything runs); the recipe cells: also the recipe's kind and the set's
    names (:func:`hemcell.workflows.anode.check_set_keys`,
    :func:`hemcell.workflows.cathode_half_cell.check_set_keys`)."""
    cell = kwargs["cell"]
    overrides = kwargs.get("set_") or []
    anode = "both" if kwargs.get("anode") is None else kwargs["anode"]
    anodes = ("bare", "coated") if anode == "both" else (anode,)
    check_overrides(cell, anodes, overrides, bool(kwargs.get("temperatures")))
    if cell in RECIPE_CELLS:
        recipe = kwargs.get("recipe") or DEFAULT_MODEL[cell][0]  # "" refused by the CLI
        params = kwargs.get("params") or DEFAULT_MODEL[cell][1]
        check_recipe(cell, recipe)
        entries = {"recipe": recipe, "params": params, "set_": split_overrides(overrides)[1]}
        if cell == "cathode":
            from hemcell.workflows.cathode_half_cell import check_set_keys as check_cathode

            check_cathode(entries)
        else:
            from hemcell.workflows.anode import check_set_keys as check_anode_keys

            check_anode_keys(entries, f"eis {cell}")


# ---------------------------------------------------------------------- spectra
@dataclass
class Spectrum:
    """One simulated spectrum.

    Attributes
    ----------
    label
        Case name (``bare``, ``coated``, or the anode's parameter set).
    temperature_K
        Cell temperature.
    frequencies_Hz, impedance_ohm
        The spectrum (``Z = -dV/dI``).
    processes
        Per-process split: impedances [Ohm] (Li-metal cells) or AC current fractions
        (HEM anode), each over the frequencies.
    process_kind
        ``impedance_ohm`` or ``current_fraction``.
    dc_resistance_ohm
        Closed-form zero-frequency resistance per process (Li||Li), else empty.
    drift
        ``max |F(y*)|`` of the operating point.
    info
        Anything else for the summary.
    warnings
        The electrolyte's temperature warnings at this spectrum's temperature.
    """

    label: str
    temperature_K: float
    frequencies_Hz: np.ndarray
    impedance_ohm: np.ndarray
    processes: dict[str, np.ndarray] = field(default_factory=dict)
    process_kind: str = "impedance_ohm"
    dc_resistance_ohm: dict[str, float] = field(default_factory=dict)
    drift: float = 0.0
    info: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class EISRequest:
    """What to simulate (the ``hemcell eis`` options, parsed).

    ``temperatures_K`` empty: the set's ambient temperature.
    """

    cell: str
    anodes: tuple[str, ...] = ("bare",)
    frequencies_Hz: tuple[float, ...] = tuple(np.logspace(-2, 6, 81))
    temperatures_K: tuple[float, ...] = ()
    overrides: tuple[str, ...] = ()
    #: ``anode``, ``cathode``, ``full``: the recipe and parameter set (``None``: the
    #: cell's :data:`DEFAULT_MODEL`).
    recipe: str | None = None
    params: str | None = None
    soc: float | None = None
    protocol: str | None = None
    #: ``anode``, ``cathode``, ``full``: carrier ion Li, Na or K (``None``: the set's own;
    #: a full cell with a cathode set: the cathode's).
    ion: str | None = None
    #: ``full``: the circuit fitted, one of :data:`FULL_CELL_CIRCUITS` (``lumped``: one
    #: R‖C per electrode, :func:`full_cell_circuit`; ``transmission-line``: one de Levie
    #: line per electrode, :func:`transmission_line_circuit`). Other cells: ``lumped``.
    circuit: str = "lumped"

    def __post_init__(self) -> None:
        """Fill the recipe and the set of a recipe cell with its defaults."""
        recipe, params = DEFAULT_MODEL.get(self.cell, (None, None))
        object.__setattr__(self, "recipe", recipe if self.recipe is None else self.recipe)
        object.__setattr__(self, "params", params if self.params is None else self.params)


@dataclass
class EISResult:
    """Spectra and fits of one request."""

    request: EISRequest
    spectra: list[Spectrum]
    fits: list[dict[str, Any]]
    kk: list[dict[str, Any]]
    eis_parameters: dict[str, float]


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


def check_anode_soc(soc: float, field: str = "--soc") -> None:
    """Refuse a HEM anode state of charge outside 0 < soc <= 1 (the lithiated fraction of
    the theoretical capacity; the fresh state is the one without ``--soc``)."""
    if not 0 < soc <= 1:
        raise InputError(field, soc, "a lithiated fraction 0 < soc <= 1 of the theoretical "
                         "capacity")


def anode_spectrum(recipe: str, params: str, temperature_K: float | None,
                   frequencies_Hz: np.ndarray, soc: float | None, protocol: str | None,
                   overrides: Sequence[str] = (), extra: Mapping[str, float] | None = None,
                   ion: str | None = None) -> Spectrum:
    """HEM anode half-cell spectrum, fresh or after a protocol, per-mechanism current split.

    ``soc`` (fraction of the theoretical capacity) becomes the protocol "lithiate at
    0.1 A/g for soc x capacity, rest 30 min"; ``protocol`` is any PyBaMM step list.
    ``ion`` (Li, Na, K) brings the carrier's electrolyte, metal counter electrode and
    conversion branches, as ``hemcell cell run --ion`` (:mod:`hemcell.cell.carriers`).
    Built for this one spectrum (:class:`CellSpectrumModel`).
    """
    return CellSpectrumModel("anode", recipe, params, temperature_K, soc, overrides, extra,
                             ion, protocol=protocol).spectrum(frequencies_Hz)


def anode_cell_simulation(recipe: str, params: str, temperature_K: float | None,
                          soc: float | None, protocol: str | None,
                          overrides: Sequence[str] = (),
                          extra: Mapping[str, float] | None = None, ion: str | None = None,
                          input_names: Sequence[str] = ()
                          ) -> tuple[Any, dict[str, Any], Any, Any, str | None, list[str]]:
    """The built impedance model of :func:`anode_spectrum` (at its fresh state).

    ``input_names``: set entries and :data:`EIS_PARAMETERS` that enter the model as
    ``pybamm.InputParameter`` (:class:`CellSpectrumModel`), at their values of
    ``overrides``/``extra`` in ``inputs``.

    Returns
    -------
    tuple
        ``(simulation, inputs, setup, parameter_values, steps, warnings)``: the
        :class:`pybamm.Simulation` of the recipe's ``HEMHalfCell`` built with ``inputs``
        (the applied current an input, 0 A), the
        :class:`hemcell.workflows.anode.CellSetup` of the steps that reach the state
        (``soc``: lithiate at 0.1 A/g, rest 30 min; or ``protocol``; ``None``: fresh),
        the model's parameter values and the electrolyte's temperature warnings.

    Raises
    ------
    InputError
        Not a half-cell recipe, ``soc`` and ``protocol`` together, a bad ``soc``, a
        protocol that does not end with a rest, a bad ``--set`` entry.
    """
    import pybamm

    from hemcell.materials.lipf6_electrolyte import valoen_electrolyte_warnings
    from hemcell.workflows import eis_models as em
    from hemcell.workflows.anode import build_simulation, prepare_cell

    check_anode_recipe(recipe)
    ev = eis_values(extra)
    sets = _recipe_overrides(overrides, ev, temperature_K)
    steps = protocol
    if soc is not None:
        if protocol:
            raise InputError("--soc/--protocol", (soc, protocol), "one of them, not both")
        check_anode_soc(soc)
    setup = prepare_cell(recipe, params, steps or "Rest for 1 minute", overrides=sets, ion=ion)
    if protocol and not isinstance(setup.experiment.steps[-1], pybamm.step.Rest):
        # the spectrum is linearised about the state the protocol ends in: under current
        # that state is not stationary (max |F(y*)| ~ 10 after a discharge, 0.08 after
        # one minute of rest, 0.002 after an hour)
        raise InputError("--protocol", protocol, "PyBaMM steps that end with a rest "
                         "(the spectrum is taken about a rested state)",
                         hint=f"e.g. --protocol '{protocol}; Rest for 1 hour'")
    if soc is not None:
        hours = soc * setup.theoretical_capacity_mAh_per_g / 100.0  # at 0.1 A/g = 100 mA/g
        setup = prepare_cell(recipe, params, f"Discharge at 0.1 A/g for {hours:.6g} hours; "
                             "Rest for 30 minutes", overrides=sets, ion=ion)
        steps = setup.protocol
    values, si_in, _ = _input_parameters(input_names, setup.si, ev)
    pv = _cell_values(setup, si_in) if input_names else setup.parameter_values
    warnings = valoen_electrolyte_warnings(pv)  # the Li half-cell's Xu2019 electrolyte
    pv.update({"Current function [A]": em.applied_current}, check_already_exists=False)
    sim = build_simulation(setup.recipe, pv, setup.inventory,
                           submesh_types=em.HALF_CELL_SUBMESHES)
    inputs = {em.IN_CURRENT: 0.0, **em.SINE_INPUTS, **values}
    sim.build(inputs=inputs)
    return sim, inputs, setup, pv, steps, warnings


def _recipe_overrides(overrides: Sequence[str], ev: Mapping[str, float],
                      temperature_K: float | None) -> list[str]:
    """The ``--set`` entries an anode half cell or a full cell is prepared with: the
    user's, the EIS double-layer relaxation time (``ev``) and, at ``temperature_K``, the
    ambient temperature (``None``: the set's own)."""
    sets = [*overrides,
            f"anode_double_layer_relaxation_time={ev['anode_double_layer_relaxation_time']} s"]
    if temperature_K is not None:
        refuse_ambient_with_temperature(overrides)
        sets.append(f"ambient_temperature={temperature_K} K")
    return sets


def _cell_values(setup: Any, si: Mapping[str, Any]) -> Any:
    """The PyBaMM values of :func:`hemcell.workflows.anode.prepare_cell` (its parameter
    mapping and the capacity C-rates refer to) from SI values ``si`` that hold input
    parameters: a value the mapping needs as a number raises (TypeError: ``float()`` of a
    symbol), so no number is taken from ``setup``."""
    from hemcell.cell.capacity import rate_cell, theoretical_capacity
    from hemcell.cell.full_cell import full_cell_values
    from hemcell.cell.parameters import pybamm_values

    rec, inv = setup.recipe, setup.inventory
    if rec.cell == "full":
        pv = full_cell_values(si, inv, rec.cathode, rec.mechanisms, rec.n_p_ratio,
                              rec.thermal)
    else:
        pv = pybamm_values(dict(si), inv, mechanisms=rec.mechanisms,
                           reader=f"recipe {rec.name}")
    rate_cell(pv, rec.cell, sum(theoretical_capacity(si, inv, rec.mechanisms).values()))
    return pv


def check_cell_soc(soc: float, field: str = "--soc") -> None:
    """Refuse a cathode half cell's or full cell's state of charge outside 0 < soc < 1
    (the charged fraction from the as-made state to the upper cut-off, :func:`soc_protocol`;
    the as-made state is the one without ``--soc``, the charged end a cut-off event)."""
    if isinstance(soc, bool) or not (isinstance(soc, int | float) and 0 < soc < 1):
        raise InputError(field, soc, "a state of charge 0 < soc < 1 (the charged fraction "
                         "between the as-made state and the upper cut-off)",
                         hint="leave out --soc for the as-made (discharged) state")


#: C-rate of the charge that sets ``--soc`` of a cathode half cell or full cell: C/10 of
#: the charge between the as-made state and the upper cut-off (assumed: as the anode's
#: 0.1 A/g, slow enough that the rest after it leaves little to relax; the state is the
#: charge passed, not the rate).
SOC_CHARGE_HOURS = 10.0
#: Rest after that charge [min] (assumed): the particles and the electrolyte relax
#: (the drift max |F(y*)| of the state is reported in summary.json).
SOC_REST_MINUTES = 60


def soc_protocol(pv: Any, soc: float) -> tuple[str, float]:
    r"""The charge that takes a cathode-set or full cell from its as-made (discharged)
    state to ``soc``, and the charge it passes [A h].

    ``soc`` is the fraction of the cathode's charge between its as-made stoichiometry
    :math:`\theta_0` and :math:`\theta_{ch}`, where its OCP is the upper cut-off
    (:func:`hemcell.workflows.eis_models.charged_stoichiometry`):
    :math:`Q = \mathrm{soc}\,(\theta_0 - \theta_{ch})\,c_{max} F \varepsilon_s L A`,
    passed at C/:data:`SOC_CHARGE_HOURS` of :math:`(\theta_0 - \theta_{ch}) c_{max} F
    \varepsilon_s L A`, then :data:`SOC_REST_MINUTES` of rest. In a full cell the same
    charge leaves the cathode (whatever the anode's first-lithiation losses).
    """
    from hemcell.cell.cathodes import nominal_capacity_Ah
    from hemcell.workflows import eis_models as em

    check_cell_soc(soc)
    theta0 = float(pv["Initial concentration in positive electrode [mol.m-3]"]
                   / pv["Maximum concentration in positive electrode [mol.m-3]"])
    window_Ah = (theta0 - em.charged_stoichiometry(pv)) * nominal_capacity_Ah(pv)
    if window_Ah <= 0:
        raise InputError("--soc", soc, "a cell whose as-made cathode is below its upper "
                         "cut-off (this one starts charged)")
    current_A = window_Ah / SOC_CHARGE_HOURS
    hours = soc * SOC_CHARGE_HOURS
    return (f"Charge at {current_A:.10g} A for {hours * 3600:.10g} seconds; "
            f"Rest for {SOC_REST_MINUTES} minutes", soc * window_Ah)


def _check_charge_passed(solution: Any, charge_Ah: float, soc: float) -> None:
    """Refuse an ``--soc`` whose charge ended at the upper cut-off before its time."""
    passed = -float(solution["Discharge capacity [A.h]"].entries[-1])
    if abs(passed - charge_Ah) > 1e-3 * charge_Ah:
        raise InputError("--soc", soc, "a state of charge the cell reaches before its "
                         f"upper cut-off (the charge stopped at {passed / charge_Ah * soc:.3g})",
                         hint="a smaller --soc")


#: The step that takes a state set at the state-of-charge temperature (the set's
#: ``ambient_temperature``, where ``--soc``/``--protocol`` run) to a spectrum's other
#: ``--temperatures``: a rest of 1 ms on the model at the new temperature, which makes the
#: potentials consistent with it (PyBaMM's consistent initialisation) and lets the
#: double layers' 1 ns relaxation settle, while the composition stays the state's
#: (assumed: 1e6 times the double layers' series RC time; the stored charges move by
#: <= 8e-8 in it, measured: docs/eis.md *Temperature of the state*).
SETTLE_STEP = "Rest for 0.001 seconds"

#: Frequencies [Hz] at which the charge-transfer resistance of an intercalation electrode
#: or a metal at rest is read (:func:`kinetic_resistance_ohm`). At rest (η = 0) the
#: linearised Butler–Volmer current is ĵ = j₀ nF/(RT) η̂ at every frequency (the term in
#: ĵ₀ carries sinh 0 = 0), so any frequency gives it; these are where the faradaic current
#: is well above round-off (at 1e4 Hz a cathode's double layer carries all but 1e-6 of it).
REST_RESISTANCE_FREQUENCIES_HZ = (0.1, 1.0)
#: Outputs of the cathode half cell read for the charge-transfer resistances: the
#: x-averaged cathode reaction overpotential and faradaic current, the metal's.
CATHODE_ETA = "X-averaged positive electrode reaction overpotential [V]"
CATHODE_FARADAIC = "X-averaged positive electrode volumetric interfacial current density [A.m-3]"
METAL_ETA = "Lithium metal interface reaction overpotential [V]"
METAL_FARADAIC = "Lithium metal plating current density [A.m-2]"


def cathode_half_cell_simulation(recipe: str, params: str, temperature_K: float | None,
                                 overrides: Sequence[str] = (),
                                 extra: Mapping[str, float] | None = None,
                                 ion: str | None = None, input_names: Sequence[str] = ()
                                 ) -> tuple[Any, dict[str, Any], Any, str, list[str]]:
    """The built impedance model of :func:`cathode_spectrum` at its as-made state.

    ``input_names``: set entries and :data:`EIS_PARAMETERS` that enter the model as
    ``pybamm.InputParameter`` (:class:`CellSpectrumModel`), at their values of
    ``overrides``/``extra`` in ``inputs``.

    Returns
    -------
    tuple
        ``(simulation, inputs, recipe, carrier, warnings)``: a :class:`pybamm.Simulation`
        built with ``inputs`` (the applied current
        :data:`~hemcell.workflows.eis_models.IN_CURRENT` an input, 0 A), its
        :class:`~hemcell.cell.recipes.Recipe`, the set's carrier ion and the temperature
        warnings. Its parameter values hold the set's cathode as ``cell run`` does.

    Raises
    ------
    InputError
        Not a cathode half-cell recipe or cathode set, another ion than the set's, an
        unread ``--set`` key, a molten counter electrode.
    """
    import pybamm

    from hemcell.workflows import eis_models as em
    from hemcell.workflows.cathode_half_cell import electrode_mesh

    pv, values, rec, carrier, warnings = cathode_half_cell_values(
        recipe, params, temperature_K, overrides, extra, ion, input_names)
    model = em.cathode_half_cell_model(rec.geometry)
    var_pts = {**model.default_var_pts, **electrode_mesh(model, rec, pv)}  # as cell run
    inputs = {em.IN_CURRENT: 0.0, **em.SINE_INPUTS, **values}
    sim = pybamm.Simulation(model, parameter_values=pv, var_pts=var_pts)
    sim.build(inputs=inputs)
    return sim, inputs, rec, carrier, warnings


def cathode_half_cell_values(recipe: str, params: str, temperature_K: float | None,
                             overrides: Sequence[str] = (),
                             extra: Mapping[str, float] | None = None,
                             ion: str | None = None, input_names: Sequence[str] = ()
                             ) -> tuple[Any, dict[str, float], Any, str, list[str]]:
    """The PyBaMM values of :func:`cathode_half_cell_simulation` at ``temperature_K``
    (``None``: the set's ambient temperature), with the EIS double layers and the applied
    current an input.

    Returns
    -------
    tuple
        ``(parameter_values, input_values, recipe, carrier, warnings)``.

    Raises
    ------
    InputError
        As :func:`cathode_half_cell_simulation`.
    """
    from hemcell.cell.cathodes import cathode_carrier, check_cathode_cell, half_cell_values
    from hemcell.cell.electrolytes import half_cell_temperature_warnings
    from hemcell.cell.recipes import load_recipe
    from hemcell.materials.lipf6_electrolyte import valoen_electrolyte_warnings
    from hemcell.workflows import eis_models as em
    from hemcell.workflows.cathode_half_cell import cathode_values

    check_recipe("cathode", recipe)
    rec = load_recipe(recipe)
    sets = list(overrides)
    if temperature_K is not None:
        refuse_ambient_with_temperature(overrides)
        sets.append(f"ambient_temperature={temperature_K} K")
    si, _ = cathode_values(params, sets, rec)
    carrier = cathode_carrier(si)
    check_cathode_cell(params, si, ion or carrier)
    ev = eis_values(extra)
    values, si_in, ev_in = _input_parameters(input_names, si, ev)
    pv = half_cell_values(params, si_in)
    T = float(pv["Ambient temperature [K]"])
    warnings = [*half_cell_temperature_warnings(carrier, T), *valoen_electrolyte_warnings(pv)]
    pv.update({"Positive electrode double-layer capacity [F.m-2]":
               ev_in["cathode_double_layer_capacity"],
               "Negative electrode double-layer capacity [F.m-2]":
               ev_in["counter_electrode_double_layer_capacity"],
               "Current function [A]": em.applied_current}, check_already_exists=False)
    return pv, values, rec, carrier, warnings


def _input_parameters(names: Sequence[str], si: Mapping[str, Any], ev: Mapping[str, float]
                      ) -> tuple[dict[str, float], dict[str, Any], dict[str, Any]]:
    """``names`` as ``pybamm.InputParameter``: their values (from ``si``, the set's SI
    values, or ``ev``, :data:`EIS_PARAMETERS`) and ``si``/``ev`` with the symbols."""
    import pybamm

    from hemcell.cell.carriers import carrier_substituted

    values, si_in, ev_in = {}, dict(si), dict(ev)
    if carrier_substituted(dict(si), names):
        raise ValueError("a value of the carrier-ion substitution cannot be an input")
    for name in names:
        where = ev_in if name in EIS_PARAMETERS else si_in
        if name not in where:
            raise ValueError(f"{name} is not a value of the cell's parameter set")
        values[name] = float(where[name])
        where[name] = pybamm.InputParameter(name)
    return values, si_in, ev_in


@dataclass
class OperatingPoint:
    """A built impedance model and the rested state it is linearised about.

    Attributes
    ----------
    simulation
        The :class:`pybamm.Simulation`, built with ``inputs`` (the applied current
        :data:`~hemcell.workflows.eis_models.IN_CURRENT` an input, 0 A).
    inputs
        Its input values at the state.
    state
        The state vector y*.
    protocol
        The steps run to reach it (``None``: the model's as-made state).
    recipe, carrier
        Recipe name and carrier ion.
    warnings
        The temperature warnings of the cell (those :func:`prepare_cell
        <hemcell.workflows.anode.prepare_cell>` has not written).
    setup
        A full cell's :class:`hemcell.workflows.anode.CellSetup` (``None``: cathode cell).
    """

    simulation: Any
    inputs: dict[str, Any]
    state: np.ndarray
    protocol: str | None
    recipe: str
    carrier: str
    warnings: list[str] = field(default_factory=list)
    setup: Any = None


class CellSpectrumModel:
    """The impedance model of a HEM anode half cell, a cathode half cell or a full cell,
    built once.

    What :func:`anode_spectrum`, :func:`cathode_spectrum` and :func:`full_spectrum`
    compute, split into what is built once (the discretised impedance model, the model of
    the ``soc`` charge or the ``protocol``, the CasADi form of the linearisation) and what
    is done per spectrum (the operating point, the linearisation about it, one LU per
    frequency). ``input_names`` (set
    entries and :data:`EIS_PARAMETERS`) enter both models as ``pybamm.InputParameter``:
    :meth:`spectrum` takes their values, so a fit evaluates the spectrum at new values
    without building anything (``hemcell fit``, :class:`hemcell.workflows.fit.
    ImpedanceProblem`). Without ``input_names`` it is the spectrum of the command.

    Parameters
    ----------
    cell
        ``anode``, ``cathode`` or ``full``.
    recipe, params, temperature_K, soc, overrides, extra, ion
        As :func:`anode_spectrum` / :func:`cathode_spectrum` / :func:`full_spectrum`;
        ``overrides``/``extra`` also give the values of ``input_names`` the model is
        built at.
    input_names
        Values that may change between spectra.
    protocol
        ``anode``: PyBaMM steps run first (as :func:`anode_spectrum`).

    Raises
    ------
    InputError
        As :func:`anode_spectrum` / :func:`cathode_spectrum` / :func:`full_spectrum`.
    TypeError, ValueError
        A value of ``input_names`` is needed as a number to build the model (it sets the
        mesh, the cell's sizing or the ``soc`` charge): such a value cannot be an input.
    """

    def __init__(self, cell: str, recipe: str, params: str, temperature_K: float | None,
                 soc: float | None, overrides: Sequence[str] = (),
                 extra: Mapping[str, float] | None = None, ion: str | None = None,
                 input_names: Sequence[str] = (), protocol: str | None = None) -> None:
        import pybamm

        from hemcell.cell.recipes import recipe_solver
        from hemcell.workflows import eis_models as em

        if cell not in ("anode", "cathode", "full"):
            raise InputError("CELL", cell, "anode | cathode | full")
        self.cell, self.soc, self.params = cell, soc, params
        self._recipe_source = recipe  # as given (a path too): _prepare reloads it
        self.input_names = tuple(input_names)
        if soc is not None and cell != "anode":
            check_cell_soc(soc)
        self.eis_values = eis_values(extra)
        self.protocol: str | None = None
        self._charge_Ah = 0.0
        self.setup: Any = None
        self._u_slice: slice | None = None
        #: the temperature the ``soc``/``protocol`` state is set at (None: no such state)
        self.state_temperature_K: float | None = None
        self._settle: Any = None
        if soc is not None or protocol:
            from hemcell.params import ambient_temperature_K

            self.state_temperature_K = ambient_temperature_K(params, list(overrides))
        other_T = temperature_K is not None and temperature_K != self.state_temperature_K
        if cell == "anode":
            sim, inputs, self.setup, pv, self.protocol, self.warnings = \
                anode_cell_simulation(recipe, params, temperature_K, soc, protocol,
                                      overrides, extra, ion, input_names)
            self.recipe = self.setup.recipe.name
            self.carrier = self.setup.si.get("_carrier_ion", "Li")
            self._charge_setup, charge_pv = self.setup, pv
            if self.protocol and other_T:
                self._charge_setup = self._prepare(params, self.protocol, overrides, None, ion)
                charge_pv = self._values(self._charge_setup)
                self._settle = _protocol_simulation(
                    self._prepare(params, SETTLE_STEP, overrides, temperature_K, ion),
                    em.HALF_CELL_SUBMESHES, pv)
            if self.protocol:
                self._charge = _protocol_simulation(self._charge_setup, em.HALF_CELL_SUBMESHES,
                                                    charge_pv)
        elif cell == "cathode":
            sim, inputs, rec, carrier, warnings = cathode_half_cell_simulation(
                recipe, params, temperature_K, overrides, extra, ion, input_names)
            self.recipe, self.carrier, self.warnings = rec.name, carrier, warnings
            if soc is not None:
                charge_pv = sim.parameter_values
                if other_T:
                    charge_pv = cathode_half_cell_values(recipe, params, None, overrides, extra,
                                                         ion, input_names)[0]
                    self._settle = pybamm.Simulation(
                        em.cathode_half_cell_model(rec.geometry),
                        parameter_values=sim.parameter_values, var_pts=sim.var_pts,
                        experiment=pybamm.Experiment([SETTLE_STEP]),
                        solver=recipe_solver(rec.solver))
                self.protocol, self._charge_Ah = soc_protocol(charge_pv, soc)
                self._charge = pybamm.Simulation(
                    em.cathode_half_cell_model(rec.geometry),
                    parameter_values=charge_pv, var_pts=sim.var_pts,
                    experiment=pybamm.Experiment([x.strip()
                                                  for x in self.protocol.split(";")]),
                    solver=recipe_solver(rec.solver))
        else:
            from hemcell.workflows.anode import cathode_carrier_ion

            sim, inputs, self.setup, pv = full_cell_simulation(
                recipe, params, temperature_K, soc, overrides, extra, ion, input_names)
            self.recipe = self.setup.recipe.name
            self.carrier, self.warnings = self.setup.si.get("_carrier_ion", "Li"), []
            model = sim.built_model
            u = next(v for v in model.y_slices if v.name == em.CATHODE_DOUBLE_LAYER_POTENTIAL)
            self._u_slice = model.y_slices[u][0]
            if soc is not None:
                self._charge_setup, charge_pv = self.setup, pv
                if other_T:
                    ion = ion or cathode_carrier_ion(recipe)
                    charge_pv = self._values(self._prepare(params, "Rest for 1 minute",
                                                           overrides, None, ion))
                    self._settle = _protocol_simulation(
                        self._prepare(params, SETTLE_STEP, overrides, temperature_K, ion),
                        em.FULL_CELL_SUBMESHES, pv)
                self.protocol, self._charge_Ah = soc_protocol(charge_pv, soc)
                if other_T:
                    self._charge_setup = self._prepare(params, self.protocol, overrides, None,
                                                       ion)
                    charge_pv = self._values(self._charge_setup)
                self._charge = _protocol_simulation(self._charge_setup, em.FULL_CELL_SUBMESHES,
                                                    charge_pv)
        self.simulation, self.inputs = sim, inputs
        self._lineariser: Any = None
        built = {p.name for p in sim.built_model.input_parameters}
        absent = [n for n in self.input_names if n not in built]
        if absent:  # its value would not move the spectrum of this model
            raise ValueError(f"{', '.join(absent)} is not an input of the built model")

    def _prepare(self, params: str, steps: str, overrides: Sequence[str],
                 temperature_K: float | None, ion: str | None) -> Any:
        """:func:`hemcell.workflows.anode.prepare_cell` of this anode half cell or full
        cell for ``steps`` at ``temperature_K`` (``None``: the set's own)."""
        from hemcell.workflows.anode import prepare_cell

        return prepare_cell(self._recipe_source, params, steps, ion=ion,
                            overrides=_recipe_overrides(overrides, self.eis_values,
                                                        temperature_K))

    def _values(self, setup: Any) -> Any:
        """The PyBaMM values of ``setup`` with :attr:`input_names` as input parameters."""
        if not self.input_names:
            return setup.parameter_values
        return _cell_values(setup, _input_parameters(self.input_names, setup.si,
                                                     self.eis_values)[1])

    def _settled(self, solution: Any, inputs: Mapping[str, Any], size: int) -> np.ndarray:
        """The state at the end of ``solution`` (set at :attr:`state_temperature_K`) after
        :data:`SETTLE_STEP` at rest at the spectrum's temperature."""
        import pybamm

        T = self.value("Ambient temperature [K]", self.inputs)
        try:
            sol = self._settle.solve(starting_solution=solution, inputs=dict(inputs))
        except pybamm.SolverError as exc:
            raise SimulationError(f"the state set at {self.state_temperature_K:.2f} K could "
                                  f"not be taken to {T:.2f} K: {exc}", step=SETTLE_STEP
                                  ) from None
        y = np.asarray(sol.last_state.y).reshape(-1)
        if y.size != size:
            raise SimulationError(f"settled state has {y.size} unknowns, the impedance model "
                                  f"{size}", step=SETTLE_STEP)
        return y

    def _inputs(self, values: Mapping[str, float] | None) -> dict[str, Any]:
        unknown = set(values or {}) - set(self.inputs)
        if unknown:
            raise InputError("values", sorted(unknown)[0], "an input of the built model: "
                             + ", ".join(sorted(set(self.inputs) - {"Current function [A]"})))
        return {**self.inputs, **(values or {})}

    def operating_point(self, values: Mapping[str, float] | None = None) -> OperatingPoint:
        """The rested state at ``values`` of the inputs: the as-made state, or the end of
        the ``soc`` charge and rest (run on the model of ``cell run``).

        Raises
        ------
        InputError
            The charge ended at the upper cut-off before it had passed its charge.
        SimulationError
            The charge failed.
        """
        import pybamm

        inputs = self._inputs(values)
        model = self.simulation.built_model
        y0 = model.concatenated_initial_conditions.evaluate(0, inputs=inputs).reshape(-1)
        named = {k: inputs[k] for k in self.input_names}
        if self.protocol and self.cell == "anode":
            y0, run = _state_after(self._charge_setup, self.protocol, y0.size,
                                   sim=self._charge, inputs=named)
            if self.soc is not None:
                _check_soc_reached(run, self.soc, self.setup.theoretical_capacity_mAh_per_g)
            if self._settle is not None:
                y0 = self._settled(run.solution, named, y0.size)
        elif self.protocol is not None and self.cell == "cathode":
            try:
                sol = self._charge.solve(inputs=inputs)
            except pybamm.SolverError as exc:
                raise SimulationError(f"the charge to --soc {self.soc:g} failed: {exc}",
                                      step=self.protocol) from None
            _check_charge_passed(sol.cycles[0].steps[0], self._charge_Ah, self.soc)
            y0 = (np.asarray(sol.last_state.y).reshape(-1) if self._settle is None
                  else self._settled(sol, inputs, y0.size))
        elif self.protocol is not None:
            u_slice = self._u_slice
            y_run, run = _state_after(self._charge_setup, self.protocol,
                                      y0.size - (u_slice.stop - u_slice.start),
                                      sim=self._charge, inputs=named)
            _check_charge_passed(run.solution.cycles[0].steps[0], self._charge_Ah, self.soc)
            if self._settle is not None:
                y_run = self._settled(run.solution, named, y_run.size)
            y0 = np.concatenate([y_run[:u_slice.start], y0[u_slice], y_run[u_slice.start:]])
            y0[u_slice] = (model.get_processed_variable("Cathode solid potential [V]").evaluate(
                0.0, y0, inputs=inputs) - model.get_processed_variable(
                "Cathode electrolyte potential [V]").evaluate(0.0, y0, inputs=inputs)
            ).reshape(-1)
        return OperatingPoint(self.simulation, inputs, y0, self.protocol, self.recipe,
                              self.carrier, list(self.warnings), self.setup)

    def _linearise(self, op: OperatingPoint, outputs: Sequence[str]) -> Any:
        """The model linearised about ``op`` (its CasADi form converted once)."""
        from hemcell.smallsignal import Lineariser
        from hemcell.workflows import eis_models as em

        if self._lineariser is None:
            self._lineariser = Lineariser(self.simulation.built_model, em.IN_CURRENT,
                                          outputs)
        return self._lineariser(op.state, op.inputs)

    def value(self, name: str, inputs: Mapping[str, Any]) -> float:
        """A PyBaMM value of the built model at input values ``inputs``."""
        import pybamm

        v = self.simulation.parameter_values[name]
        return float(v.evaluate(inputs=inputs)) if isinstance(v, pybamm.Symbol) else float(v)

    def spectrum(self, frequencies_Hz: np.ndarray, values: Mapping[str, float] | None = None
                 ) -> Spectrum:
        """The spectrum at ``values`` of the inputs (``None``: those it was built at)."""
        op = self.operating_point(values)
        ev = {**self.eis_values,
              **{k: v for k, v in op.inputs.items() if k in EIS_PARAMETERS}}
        f = np.asarray(frequencies_Hz)
        spectrum = {"anode": self._anode_spectrum, "cathode": self._cathode_spectrum,
                    "full": self._full_spectrum}[self.cell](op, f, ev)
        if self.state_temperature_K is not None:
            spectrum.info["state_temperature_K"] = self.state_temperature_K
        return spectrum

    def _anode_spectrum(self, op: OperatingPoint, f: np.ndarray, ev: Mapping[str, float]
                        ) -> Spectrum:
        setup, inputs, model = op.setup, op.inputs, self.simulation.built_model
        mechs = [*setup.recipe.mechanisms, "double_layer"]
        current_vars = {m: f"Anode {m.replace('_', '-')} current [A]" for m in mechs}
        li_eta = "Lithium counter electrode reaction overpotential [V]"
        outputs = [VOLTAGE, li_eta, ANODE_DPHI, *current_vars.values()]
        lin = self._linearise(op, outputs)
        H = lin.transfer(f)
        silent: list[str] = []
        r_mech = mechanism_charge_transfer_resistance_ohm(
            lin, {m: current_vars[m] for m in setup.recipe.mechanisms}, silent)
        w = 2 * np.pi * f
        r_li = float(np.real(H[li_eta][0]))
        area = self.value("Electrode height [m]", inputs) * self.value("Electrode width [m]",
                                                                      inputs)
        c_li_name = "Negative electrode double-layer capacity [F.m-2]"
        c_li = (self.value(c_li_name, inputs) if c_li_name in
                self.simulation.parameter_values.keys() else 0.0) * area
        z = -H[VOLTAGE]
        if c_li > 0 and r_li > 0:
            z = z - r_li + r_li / (1 + 1j * w * r_li * c_li)
        # the model counts mechanism currents opposite to the applied (lithiating) current
        shares = {m: -H[v] for m, v in current_vars.items()}
        # the model's own surface area a (the one every mechanism's current uses)
        a_s = model_value(model, ANODE_SURFACE_AREA, op.state, inputs)
        c_dl = self.value("Anode double-layer capacity [F.m-2]", inputs) * a_s * self.value(
            "Positive electrode thickness [m]", inputs) * area
        return Spectrum(f"{setup.parameter_set.name}",
                        self.value("Ambient temperature [K]", inputs), f, z, shares,
                        process_kind="current_fraction", drift=lin.drift,
                        info={"recipe": setup.recipe.name, "protocol": op.protocol,
                              "carrier_ion": op.carrier,
                              "li_counter_electrode_resistance_ohm": r_li,
                              "li_counter_electrode_capacitance_F": c_li,
                              "anode_double_layer_capacitance_F": c_dl,
                              "mechanism_charge_transfer_resistance_ohm": r_mech,
                              "mechanisms_without_ac_current": silent,
                              "mass_g": setup.mass_g},
                        warnings=op.warnings)

    def _cathode_spectrum(self, op: OperatingPoint, f: np.ndarray, ev: Mapping[str, float]
                          ) -> Spectrum:
        from hemcell.params import load_parameter_set

        carrier, inputs = op.carrier, op.inputs
        T = self.value("Ambient temperature [K]", inputs)
        terms = _half_cell_terms(half_cell_processes(carrier, "cathode"))
        outputs = list(dict.fromkeys([VOLTAGE, *(v for _, v in terms.values()), CATHODE_ETA,
                                      CATHODE_FARADAIC, METAL_ETA, METAL_FARADAIC]))
        lin = self._linearise(op, outputs)
        H = lin.transfer(f)
        z = -H[VOLTAGE]
        procs = {name: sign * -H[var] for name, (sign, var) in terms.items()}
        closure = np.abs(z - sum(procs.values())) / np.abs(z)
        procs = {k: v for k, v in procs.items() if np.any(np.abs(v) > 1e-12 * np.abs(z))}
        area = self.value("Electrode height [m]", inputs) * self.value("Electrode width [m]",
                                                                      inputs)
        L_p = self.value("Positive electrode thickness [m]", inputs)
        a_p = 3 * self.value("Positive electrode active material volume fraction",
                             inputs) / self.value("Positive particle radius [m]", inputs)
        h = lin.transfer(REST_RESISTANCE_FREQUENCIES_HZ)
        r_ct = {"cathode": kinetic_resistance_ohm(h[CATHODE_ETA],
                                                  h[CATHODE_FARADAIC] * L_p * area),
                f"{carrier} metal": kinetic_resistance_ohm(h[METAL_ETA],
                                                           h[METAL_FARADAIC] * area)}
        return Spectrum(load_parameter_set(self.params).name, T, f, z, procs,
                        drift=lin.drift,
                        info={"recipe": op.recipe, "protocol": op.protocol,
                              "carrier_ion": carrier, "electrode_area_m2": area,
                              "electrode_charge_transfer_resistance_ohm": r_ct,
                              "cathode_double_layer_capacitance_F":
                                  ev["cathode_double_layer_capacity"] * a_p * L_p * area,
                              "counter_electrode_capacitance_F":
                                  ev["counter_electrode_double_layer_capacity"] * area,
                              "process_split_unattributed_max": float(closure.max())},
                        warnings=op.warnings)

    def pore_resistance_ohm(self, inputs: Mapping[str, Any]) -> dict[str, float]:
        r"""Each electrode's ionic resistance of the electrolyte in its pores [Ohm],
        :math:`R_{ion} = L/(\kappa \varepsilon^{b} A)`: thickness L, the electrolyte's
        conductivity κ at the set's initial concentration and the cell's temperature
        (the rested state's mean concentration), porosity ε with the Bruggeman
        exponent b of the electrolyte, electrode area A (the values of the built model;
        the solid's resistance, in parallel, is left out). The guess of the
        transmission-line circuit (:func:`transmission_line_circuit`)."""
        import pybamm

        pv = self.simulation.parameter_values
        c0 = self.value("Initial concentration in electrolyte [mol.m-3]", inputs)
        T = self.value("Ambient temperature [K]", inputs)
        kappa = pv["Electrolyte conductivity [S.m-1]"]
        if callable(kappa):
            kappa = pv.process_symbol(kappa(pybamm.Scalar(c0), pybamm.Scalar(T)))
        kappa = (float(np.ravel(kappa.evaluate(inputs=dict(inputs)))[0])
                 if isinstance(kappa, pybamm.Symbol) else float(kappa))
        area = self.value("Electrode height [m]", inputs) * self.value("Electrode width [m]",
                                                                      inputs)
        return {name: self.value(f"{side} electrode thickness [m]", inputs) / (
            kappa * self.value(f"{side} electrode porosity", inputs) ** self.value(
                f"{side} electrode Bruggeman coefficient (electrolyte)", inputs) * area)
            for name, side in (("cathode", "Positive"), ("anode", "Negative"))}

    def _full_spectrum(self, op: OperatingPoint, f: np.ndarray, ev: Mapping[str, float]
                       ) -> Spectrum:
        from hemcell.workflows import eis_models as em

        setup, inputs, model = op.setup, op.inputs, self.simulation.built_model
        anode_currents = {f"anode {m.replace('_', ' ')}":
                          f"Anode {m.replace('_', '-')} current [A]"
                          for m in [*setup.recipe.mechanisms, "double_layer"]}
        cathode_currents = {"cathode charge transfer": em.CATHODE_FARADAIC_CURRENT,
                            "cathode double layer": em.CATHODE_DOUBLE_LAYER_CURRENT}
        outputs = [VOLTAGE, ANODE_DPHI, em.CATHODE_MEAN_OVERPOTENTIAL,
                   em.CATHODE_MEAN_SURFACE_POTENTIAL,
                   *anode_currents.values(), *cathode_currents.values()]
        lin = self._linearise(op, outputs)
        H = lin.transfer(f)
        silent: list[str] = []
        r_mech = mechanism_charge_transfer_resistance_ohm(
            lin, {m: f"Anode {m.replace('_', '-')} current [A]"
                  for m in setup.recipe.mechanisms}, silent)
        h = lin.transfer(REST_RESISTANCE_FREQUENCIES_HZ)
        r_anode = [r for r in r_mech.values() if r is not None and r > 0]
        # a discharge (+I) drives the cathode's overpotential negative: R = -eta / I_F
        r_ct = {"cathode": kinetic_resistance_ohm(-h[em.CATHODE_MEAN_OVERPOTENTIAL],
                                                  h[em.CATHODE_FARADAIC_CURRENT]),
                "anode": 1 / sum(1 / r for r in r_anode) if r_anode else None}
        # the full cell counts the anode's currents as delithiating (a discharge): +I
        shares = {k: H[v] for k, v in {**anode_currents, **cathode_currents}.items()}
        area = self.value("Electrode height [m]", inputs) * self.value("Electrode width [m]",
                                                                      inputs)
        a_s = model_value(model, ANODE_SURFACE_AREA, op.state, inputs)
        eps_p = self.value("Positive electrode active material volume fraction", inputs)
        L_p = self.value("Positive electrode thickness [m]", inputs)
        a_p = 3 * eps_p / self.value("Positive particle radius [m]", inputs)
        c_dl = {"cathode": ev["cathode_double_layer_capacity"] * a_p * L_p * area,
                "anode": self.value("Anode double-layer capacity [F.m-2]", inputs) * a_s
                * self.value("Negative electrode thickness [m]", inputs) * area}
        faradaic = {"cathode": (em.CATHODE_MEAN_SURFACE_POTENTIAL,
                                [em.CATHODE_FARADAIC_CURRENT]),
                    "anode": (ANODE_DPHI, [f"Anode {m.replace('_', '-')} current [A]"
                                           for m in setup.recipe.mechanisms])}
        storage = {k: storage_impedance_ratio(lin, r_ct[k], c_dl[k], *faradaic[k])
                   for k in ("cathode", "anode")}
        return Spectrum(setup.parameter_set.name, self.value("Ambient temperature [K]", inputs),
                        f, -H[VOLTAGE], shares,
                        process_kind="current_fraction", drift=lin.drift,
                        info={"recipe": setup.recipe.name, "cathode": str(setup.recipe.cathode),
                              "protocol": op.protocol, "carrier_ion": op.carrier,
                              "electrode_area_m2": area,
                              "electrode_charge_transfer_resistance_ohm": r_ct,
                              "electrode_storage_impedance_ratio": storage,
                              "mechanism_charge_transfer_resistance_ohm": r_mech,
                              "mechanisms_without_ac_current": silent,
                              "anode_double_layer_capacitance_F": c_dl["anode"],
                              "cathode_double_layer_capacitance_F": c_dl["cathode"],
                              "electrode_pore_resistance_ohm":
                                  self.pore_resistance_ohm(inputs),
                              "mass_g": setup.mass_g},
                        warnings=[])


def cathode_operating_point(recipe: str, params: str, temperature_K: float | None,
                            soc: float | None, overrides: Sequence[str] = (),
                            extra: Mapping[str, float] | None = None,
                            ion: str | None = None) -> OperatingPoint:
    """The cathode half cell of :func:`cathode_spectrum` at its as-made state or after the
    charge of :func:`soc_protocol` (run on the same model, PyBaMM's experiment).

    Raises
    ------
    InputError
        As :func:`cathode_half_cell_simulation`; ``soc`` outside (0, 1) or beyond the
        upper cut-off.
    SimulationError
        The charge failed.
    """
    return CellSpectrumModel("cathode", recipe, params, temperature_K, soc, overrides, extra,
                             ion).operating_point()


def cathode_spectrum(recipe: str, params: str, temperature_K: float | None,
                     frequencies_Hz: np.ndarray, soc: float | None,
                     overrides: Sequence[str] = (), extra: Mapping[str, float] | None = None,
                     ion: str | None = None) -> Spectrum:
    """Spectrum of a cathode set against its carrier's metal, as-made or at ``soc``.

    The cathode half cell of ``hemcell cell run`` (PyBaMM's DFN/SPM, ``"working
    electrode": "positive"``, the set's values, :func:`hemcell.cell.cathodes.half_cell_values`)
    with double layers on the cathode and at the metal
    (:func:`hemcell.workflows.eis_models.cathode_half_cell_model`). ``soc``: the charge of
    :func:`soc_protocol` run on the same model first. The process split is PyBaMM's voltage
    breakdown (as Li‖LFP); ``info`` holds each electrode's charge-transfer resistance
    (:func:`kinetic_resistance_ohm`). Built for this one spectrum
    (:class:`CellSpectrumModel`).
    """
    return CellSpectrumModel("cathode", recipe, params, temperature_K, soc, overrides, extra,
                             ion).spectrum(frequencies_Hz)


def full_cell_simulation(recipe: str, params: str, temperature_K: float | None,
                         soc: float | None, overrides: Sequence[str] = (),
                         extra: Mapping[str, float] | None = None, ion: str | None = None,
                         input_names: Sequence[str] = ()
                         ) -> tuple[Any, dict[str, Any], Any, Any]:
    """The built impedance model of :func:`full_spectrum` (at its as-made state).

    ``input_names``: set entries and :data:`EIS_PARAMETERS` that enter the model as
    ``pybamm.InputParameter`` (:class:`CellSpectrumModel`), at their values of
    ``overrides``/``extra`` in ``inputs``.

    Returns
    -------
    tuple
        ``(simulation, inputs, setup, parameter_values)``: the :class:`pybamm.Simulation`
        of the recipe's :class:`~hemcell.cell.full_cell.HEMFullCell` with the cathode
        double layer, built with ``inputs`` (the applied current an input, 0 A); the
        :class:`hemcell.workflows.anode.CellSetup` of the protocol of :func:`soc_protocol`
        that reaches ``soc`` (``Rest for 1 minute`` without ``soc``); the model's
        parameter values (with the inputs' symbols).

    Raises
    ------
    InputError
        Not a full-cell recipe, an ion the cathode does not carry, a bad ``soc`` or
        ``--set`` entry.
    """
    from hemcell.workflows import eis_models as em
    from hemcell.workflows.anode import build_simulation, cathode_carrier_ion, prepare_cell

    check_recipe("full", recipe)
    ev = eis_values(extra)
    sets = _recipe_overrides(overrides, ev, temperature_K)
    ion = ion or cathode_carrier_ion(recipe)
    if soc is not None:
        check_cell_soc(soc)
    setup = prepare_cell(recipe, params, "Rest for 1 minute", overrides=sets, ion=ion)
    values, si_in, ev_in = _input_parameters(input_names, setup.si, ev)
    rec = setup.recipe
    pv = _cell_values(setup, si_in) if input_names else setup.parameter_values
    if soc is not None:
        steps = soc_protocol(pv, soc)[0]
        setup = prepare_cell(recipe, params, steps, overrides=sets, ion=ion)
        if not input_names:
            pv = setup.parameter_values
    pv.update({"Current function [A]": em.applied_current}, check_already_exists=False)
    sim = build_simulation(rec, pv, setup.inventory, submesh_types=em.FULL_CELL_SUBMESHES)
    em.add_cathode_double_layer(sim.model, ev_in["cathode_double_layer_capacity"],
                                ev_in["cathode_double_layer_relaxation_time"])
    inputs = {em.IN_CURRENT: 0.0, **em.SINE_INPUTS, **values}
    sim.build(inputs=inputs)
    return sim, inputs, setup, pv


def full_operating_point(recipe: str, params: str, temperature_K: float | None,
                         soc: float | None, overrides: Sequence[str] = (),
                         extra: Mapping[str, float] | None = None, ion: str | None = None
                         ) -> OperatingPoint:
    """The full cell of :func:`full_spectrum` at its as-made state, or after the charge of
    :func:`soc_protocol` run on the model of ``cell run`` (one model per step), with the
    added cathode double layer at rest there (u = Δφ_p: the state has one more block
    than that model, inserted where the impedance model holds it).

    Raises
    ------
    InputError
        As :func:`full_cell_simulation`; ``soc`` beyond the upper cut-off.
    """
    return CellSpectrumModel("full", recipe, params, temperature_K, soc, overrides, extra,
                             ion).operating_point()


def full_spectrum(recipe: str, params: str, temperature_K: float | None,
                  frequencies_Hz: np.ndarray, soc: float | None,
                  overrides: Sequence[str] = (), extra: Mapping[str, float] | None = None,
                  ion: str | None = None) -> Spectrum:
    """Spectrum of a HEM anode | cathode full cell, as-made (discharged) or at ``soc``.

    :class:`hemcell.cell.full_cell.HEMFullCell` as ``hemcell cell run`` builds it
    (``params``: the anode set; the cathode: the recipe's), its anode double layer at
    ``anode_double_layer_relaxation_time`` (as ``eis anode``), with a double layer added
    to the cathode (:func:`hemcell.workflows.eis_models.add_cathode_double_layer`).
    ``soc``: the charge of :func:`soc_protocol`, run on the model of ``cell run``; its end
    state, with the cathode double layer at rest (u = Δφ), is the operating point. The
    split is of the AC current: each anode mechanism and the anode double layer (shares
    of the anode's current), the cathode's faradaic and double-layer current. Built for
    this one spectrum (:class:`CellSpectrumModel`).
    """
    return CellSpectrumModel("full", recipe, params, temperature_K, soc, overrides, extra,
                             ion).spectrum(frequencies_Hz)


#: Storage impedance behind an electrode's charge transfer, at that electrode's own arc
#: frequency 1/(2π R_ct C_dl) and relative to R_ct, from which on the electrode has no
#: charge-transfer arc of its own (:func:`storage_impedance_ratio`,
#: :func:`full_cell_arcs`). Derived for a storage capacitor C_st behind R_ct (Randles):
#: Z = 1/(iωC_tot) + R_ct (C_st/C_tot)²/(1 + iωR_ct C_s), C_tot = C_st + C_dl,
#: C_s = C_st C_dl/C_tot, and the ratio is C_dl/C_st. At 1 (C_st = C_dl) the arc's
#: resistance is R_ct/4 and its −Im Z peak half the storage's there: the arc is no
#: longer the charge transfer's.
STORAGE_DOMINANCE_RATIO = 1.0


def storage_impedance_ratio(lin: Any, r_ct_ohm: float | None, c_dl_F: float,
                            potential: str, faradaic_currents: Sequence[str]
                            ) -> float | None:
    r"""|Z_F − R_ct|/R_ct of an electrode at its arc frequency ω = 1/(R_ct C_dl): how
    much the storage behind the charge transfer (solid diffusion, the OCP's capacitance)
    impedes the faradaic branch where the arc would be, relative to the charge transfer.

    Z_F = Δφ̂/Î_F is the electrode's (x-averaged) interface potential over its faradaic
    AC current (``faradaic_currents`` summed) of the linearisation ``lin``; its real part
    tends to R_ct where the storage is a large capacitor. ``None`` without an R_ct.
    See :data:`STORAGE_DOMINANCE_RATIO`.
    """
    if r_ct_ohm is None or not r_ct_ohm > 0:
        return None
    h = lin.transfer([1 / (2 * math.pi * r_ct_ohm * c_dl_F)])
    i_f = sum(h[name][0] for name in faradaic_currents)
    if i_f == 0:
        return None
    z_f = h[potential][0] / i_f
    z_f = z_f if z_f.real >= 0 else -z_f  # the sign of the electrode's current
    return float(abs(z_f - r_ct_ohm) / r_ct_ohm)


def kinetic_resistance_ohm(potential: np.ndarray, current: np.ndarray) -> float | None:
    r"""Charge-transfer resistance :math:`\mathrm{Re}(\hat\eta/\hat I_F)` [Ω] of an
    interface from its overpotential and faradaic current (both per ampere applied) at
    two frequencies (the HEM anode's mechanisms: :data:`KINETIC_LIMIT_FREQUENCIES_HZ`,
    where the composition is frozen; an electrode at rest:
    :data:`REST_RESISTANCE_FREQUENCIES_HZ`): the inverse of the interface's faradaic
    conductance :math:`\partial I_F/\partial\eta`, :math:`RT/(n F i_0 S)` for
    Butler–Volmer at rest.

    ``None`` where the interface carries no AC current (below
    :data:`CURRENT_SHARE_FLOOR`) or the two frequencies differ by more than 0.1 % (a
    relaxation slower than them).
    """
    if np.min(np.abs(current)) < CURRENT_SHARE_FLOOR:
        return None
    r = np.real(potential / current)
    return float(r[1]) if abs(r[0] - r[1]) <= 1e-3 * abs(r[1]) else None


#: Electrode-averaged potential difference of the HEM anode (the mechanisms' driving force).
ANODE_DPHI = "Anode mean surface potential difference [V]"
#: Active-material surface area per electrode volume a = 3 eps_act/R of the HEM anode
#: (:class:`hemcell.cell.model.HEMHalfCell`), which carries the double layer's capacitance.
ANODE_SURFACE_AREA = "Anode surface area to volume ratio [m-1]"


def model_value(built_model: Any, name: str, state: np.ndarray,
                inputs: Mapping[str, Any]) -> float:
    """Electrode average of a discretised model's variable at a state (its mean over the
    finite volumes; the variables read here are uniform in the electrode)."""
    symbol = built_model.get_processed_variable(name)
    return float(np.mean(symbol.evaluate(0.0, state, inputs=inputs)))
#: Frequencies [Hz] at which the composition of the anode is frozen (particle and
#: electrolyte concentrations, conversion and alloying extents move by a vanishing part of
#: their low-frequency amplitude) while the potentials follow: the kinetic limit of
#: :func:`mechanism_charge_transfer_resistance_ohm`, taken at both and checked to agree.
KINETIC_LIMIT_FREQUENCIES_HZ = (1e4, 1e5)
#: AC current [A per A applied] below which an interface counts as carrying none: the
#: round-off of the solve, not a physical share. A reaction closed at the state (inside
#: its hysteresis gap, an empty alloy) has an output of exactly 0 or of round-off, 1e-30
#: to 4e-16 of the applied current, its "resistance" of either sign and different at the
#: two frequencies (`hem_half_cell_sp`, fresh: conversion, alloying). An open mechanism's
#: share where the composition is frozen is 1/(omega R_k C_dl), which falls with its
#: resistance and the double layer: the NVPF full cell's intercalation at 15 degC (--soc
#: 0.3, 805 Ohm, C_dl 3 mF) carries 6.7e-7 at 1e5 Hz, and the former floor of 1e-6 called
#: it "no AC current" (at 25 degC, 471 Ohm, it carried 1.1e-6 and was kept). 1e-12 (about
#: 1e4 machine epsilons of the applied current) resolves any R_k below ~1/(omega C_dl
#: 1e-12), 5e8 Ohm there.
CURRENT_SHARE_FLOOR = 1e-12


def mechanism_charge_transfer_resistance_ohm(lin: Any, current_outputs: Mapping[str, str],
                                             without_current: list[str] | None = None
                                             ) -> dict[str, float | None]:
    r"""Charge-transfer resistance of each HEM-anode mechanism at the operating point [Ω].

    :math:`R_{ct,k} = -\hat{\Delta\phi}/\hat I_k` (both per ampere of applied
    lithiating AC current) where the composition is frozen
    (:data:`KINETIC_LIMIT_FREQUENCIES_HZ`): the inverse of the mechanism's faradaic
    conductance :math:`\partial I_k/\partial\Delta\phi`. For a Butler–Volmer
    mechanism at rest this is :math:`RT/(F\,i_{0,k}(T)\,S_k)` (:math:`S_k` its
    reacting surface) with the mechanism's own Arrhenius law, so a temperature series
    moves each mechanism's arc through its own activation energy. With a uniform state
    (P2D at rest) the local conductance is uniform and the electrode-averaged
    :math:`\Delta\phi` gives it exactly.

    Returns
    -------
    dict
        Mechanism → resistance [Ω], or ``None`` where the mechanism carries no AC current
        (a reaction resting inside its hysteresis gap, an empty alloy) or its response is
        not yet frozen at these frequencies (the two differ by more than 0.1 %). The
        former are appended to ``without_current`` (when given): the latter carry AC
        current.
    """
    h = lin.transfer(KINETIC_LIMIT_FREQUENCIES_HZ)
    dphi = h[ANODE_DPHI]
    out: dict[str, float | None] = {}
    for mech, var in current_outputs.items():
        # the model counts mechanism currents opposite to the applied (lithiating)
        # current, which lowers the anode potential: R_k = -dphi / (-I_k)
        out[mech] = kinetic_resistance_ohm(dphi, h[var])
        if without_current is not None and np.min(np.abs(h[var])) < CURRENT_SHARE_FLOOR:
            without_current.append(mech)
    return out


def _check_soc_reached(run: Any, soc: float, theoretical_mAh_per_g: float) -> None:
    """Refuse an ``--soc`` whose lithiation ended at the cut-off before its time.

    Raises
    ------
    InputError
        ``--soc`` above what the anode stores before its lower cut-off (``--ion Na
        --soc 0.3`` asked 252.5 mAh/g of the 841.7 theoretical, stopped at 0.01 V after
        188.0, and the spectrum was taken there without a word).
    """
    first = run.solution.cycles[0].steps[0]
    if "final time" in str(getattr(first, "termination", "")):
        return
    t = np.asarray(first.t)
    stored = abs(float(np.trapezoid(np.asarray(first["Current [A]"].entries), t))) \
        / 3.6 / run.mass_g
    raise InputError("--soc", soc, f"at most {stored / theoretical_mAh_per_g:.3g} for this "
                     f"cell: the lithiation at 0.1 A/g reaches its cut-off "
                     f"({first.termination}) after {stored:.1f} of the "
                     f"{soc * theoretical_mAh_per_g:.1f} mAh/g asked "
                     f"({theoretical_mAh_per_g:.1f} theoretical)",
                     hint="mechanisms that cannot run above the cut-off count in the "
                     "theoretical capacity; a lower --soc, or --protocol with the steps "
                     "you want")


def _protocol_simulation(setup: Any, submesh_types: Mapping[str, Any] | None = None,
                         parameter_values: Any = None) -> Any:
    """The simulation of the setup's protocol on the impedance model's mesh
    (``parameter_values``: the setup's, or the same with input parameters)."""
    from hemcell.workflows.anode import build_simulation

    # one PyBaMM model per step: a protocol-wide model (recipe experiment_model: unified)
    # carries its step control as one more unknown, which the impedance model has not
    recipe = replace(setup.recipe, experiment_model="legacy")
    pv = setup.parameter_values if parameter_values is None else parameter_values
    return build_simulation(recipe, pv, setup.inventory, setup.experiment,
                            submesh_types=submesh_types)


def _state_after(setup: Any, protocol: str, size: int,
                 submesh_types: Mapping[str, Any] | None = None, sim: Any = None,
                 inputs: Mapping[str, Any] | None = None) -> tuple[np.ndarray, Any]:
    """Final state vector of the protocol run on the same model and mesh (ends with a
    rest), and the run (:class:`hemcell.workflows.anode.CellRun`); ``sim``: a built
    :func:`_protocol_simulation` solved at ``inputs``."""
    from hemcell.workflows.anode import solve_cell

    if sim is None:
        sim = _protocol_simulation(setup, submesh_types)
    run = solve_cell(setup, sim, inputs)
    if run.error is not None:
        raise run.error
    y = np.asarray(run.solution.last_state.y).reshape(-1)
    if y.size != size:
        raise SimulationError(f"protocol state has {y.size} unknowns, the impedance model "
                              f"{size}", step=protocol)
    return y, run


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


# ---------------------------------------------------------------------- fits
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


def fit_circuit(spectrum: Spectrum, cell: str, circuit_type: str = "lumped"
                ) -> dict[str, Any]:
    """Fit the equivalent circuit with impedance.py; parameters with units and 1σ.

    ``circuit_type``: one of :data:`FULL_CELL_CIRCUITS`; ``transmission-line`` (a full
    cell only) fits :func:`transmission_line_circuit` and adds ``pore_resistance_ohm``
    (:func:`pore_resistances`). The fit names it (``circuit_type``).
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
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            model.fit(spectrum.frequencies_Hz, spectrum.impedance_ohm, weight_by_modulus=True,
                      maxfev=5000)
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


# ---------------------------------------------------------------------- run
def _positive_frequencies(frequencies_Hz: Sequence[float]) -> np.ndarray:
    """The frequencies as a flat array; InputError unless each is finite and > 0."""
    f = np.asarray(frequencies_Hz, dtype=float).reshape(-1)
    if f.size == 0 or np.any(~np.isfinite(f)) or np.any(f <= 0):
        bad = f[~(np.isfinite(f) & (f > 0))]
        raise InputError("--frequencies", f"{bad[0] if bad.size else 'none'}",
                         "frequencies > 0 Hz")
    return f


def cell_spectrum(cell: str, frequencies_Hz: Sequence[float], *, anode: str = "bare",
                  recipe: str | None = None, params: str | None = None,
                  temperature_K: float | None = None, soc: float | None = None,
                  protocol: str | None = None, overrides: Sequence[str] = (),
                  ion: str | None = None) -> Spectrum:
    """Impedance spectrum of one cell model for given parameters at given frequencies.

    The one entry point for code that needs a model spectrum (``hemcell eis``, and a fit
    of measured spectra, which calls it at the data's frequencies with the parameters
    being fitted as ``overrides``). The model is built for each call (parameters are
    baked into the discretised model), linearised about its rested state and solved
    once per frequency.

    Parameters
    ----------
    cell
        ``symmetric`` (Li‖Li), ``li-lfp``, ``anode`` (HEM half-cell), ``cathode`` (a
        cathode set against its carrier's metal) or ``full`` (HEM anode | cathode).
    frequencies_Hz
        Frequencies [Hz], each > 0, any order (the spectrum keeps it).
    anode
        Li electrode of ``symmetric`` and ``li-lfp``: ``bare`` or ``coated``.
    recipe, params
        ``anode``, ``cathode``, ``full``: model recipe and parameter set (the anode set;
        ``cathode``: the cathode set); ``None``: :data:`DEFAULT_MODEL`.
    temperature_K
        Cell temperature [K] (outside the electrolyte fits' range: a warning in the
        spectrum's ``warnings``; at the diffusivity fit's divergence: InputError);
        ``None``: the set's ambient temperature.
    soc
        ``li-lfp``: state of charge (1 = the set's charged state, default);
        ``anode``: lithiated fraction of the theoretical capacity (0.1 A/g, 30 min rest);
        ``cathode``, ``full``: 0 < soc < 1, the charged fraction from the as-made state
        to the upper cut-off (:func:`soc_protocol`).
    protocol
        ``anode``: PyBaMM steps run first (end with a rest); not with ``soc``.
    overrides
        ``NAME=VALUE UNIT`` strings: parameter-set entries and :data:`EIS_PARAMETERS`.
    ion
        ``anode``: carrier ion Li, Na or K (``None``: Li); refused for the Li cells.

    Returns
    -------
    Spectrum
        ``impedance_ohm`` (``Z = -dV/dI``, Im Z < 0 on a capacitive arc) and the
        per-process split.

    Raises
    ------
    InputError
        Unknown cell or anode, a frequency <= 0, a temperature at or below the
        electrolyte fit's divergence, ``soc``/``protocol`` where the cell has none, a bad
        override, an override the cell's model does not read (:func:`check_overrides`).
    """
    if cell not in CELLS:
        raise InputError("CELL", cell, " | ".join(CELLS))
    f = _positive_frequencies(frequencies_Hz)
    if cell != "anode" and anode not in ("bare", "coated"):
        raise InputError("--anode", anode, "bare | coated | both")
    check_overrides(cell, (anode,), overrides, temperature_K is not None)
    default_recipe, default_params = DEFAULT_MODEL.get(cell, (None, None))
    return _spectrum(cell, f, anode, recipe or default_recipe, params or default_params,
                     temperature_K, soc, protocol, overrides, ion)


def _spectrum(cell: str, f: np.ndarray, anode: str, recipe: str, params: str,
              temperature_K: float | None, soc: float | None, protocol: str | None,
              overrides: Sequence[str], ion: str | None = None) -> Spectrum:
    """:func:`cell_spectrum` after its checks of the frequencies and the overrides, with
    a warning where Re Z < 0 (:func:`passivity_warning`)."""
    spectrum = _model_spectrum(cell, f, anode, recipe, params, temperature_K, soc, protocol,
                               overrides, ion)
    warning = passivity_warning(spectrum)
    if warning:
        spectrum.warnings.append(warning)
    return spectrum


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


def _model_spectrum(cell: str, f: np.ndarray, anode: str, recipe: str, params: str,
                    temperature_K: float | None, soc: float | None, protocol: str | None,
                    overrides: Sequence[str], ion: str | None = None) -> Spectrum:
    """The spectrum of the cell's model (:func:`_spectrum`)."""
    extra, set_overrides = split_overrides(overrides)
    if cell == "anode":
        return anode_spectrum(recipe, params, temperature_K, f, soc, protocol, set_overrides,
                              extra, ion=ion)
    if cell in ("cathode", "full"):
        if protocol:
            raise InputError("--protocol", protocol, f"nothing for eis {cell}: its state "
                             "is --soc (the charge of soc_protocol) or the as-made one",
                             hint="--soc S with 0 < S < 1")
        spectrum = cathode_spectrum if cell == "cathode" else full_spectrum
        return spectrum(recipe, params, temperature_K, f, soc, set_overrides, extra, ion=ion)
    if ion is not None:
        raise InputError("--ion", ion, "only for the HEM anode (CELL anode): the "
                         f"{cell} cell is Li metal in a Li electrolyte")
    if protocol:
        raise InputError("--protocol", protocol, "only for the HEM anode (CELL anode)")
    if cell == "symmetric":
        if soc is not None:
            raise InputError("--soc", soc, "nothing for a symmetric Li||Li cell (no state "
                             "of charge)")
        return symmetric_spectrum(anode, temperature_K, f, set_overrides, extra)
    return lfp_spectrum(anode, temperature_K, f, soc, set_overrides)


def run_eis(req: EISRequest) -> EISResult:
    """Simulate, fit and check every (case, temperature) of a request.

    Raises
    ------
    InputError
        Unknown cell or anode, bad frequencies, temperatures or overrides.
    """
    if req.cell not in CELLS:
        raise InputError("CELL", req.cell, " | ".join(CELLS))
    f = _positive_frequencies(req.frequencies_Hz)
    if np.unique(f).size < MIN_FREQUENCIES:
        raise InputError("--frequencies", f"{np.unique(f).size} distinct frequencies",
                         f"at least {MIN_FREQUENCIES} distinct frequencies > 0 Hz (the circuit "
                         "fit has up to 7 parameters; lin-KK needs 2 frequencies per RC "
                         "element, at least 3 elements)",
                         hint="e.g. --frequencies 1e-2:1e6:10/decade; a model spectrum at "
                              "fewer frequencies: hemcell.workflows.eis.cell_spectrum")
    if req.cell not in RECIPE_CELLS:
        for a in req.anodes:
            if a not in ("bare", "coated"):
                raise InputError("--anode", a, "bare | coated | both")
    check_overrides(req.cell, req.anodes, req.overrides, bool(req.temperatures_K))
    check_circuit(req.cell, req.circuit)
    temps: Sequence[float | None] = req.temperatures_K or (None,)
    cases = (req.params,) if req.cell in RECIPE_CELLS else req.anodes
    from hemcell.runinfo import report_warnings

    spectra: list[Spectrum] = []
    warnings: list[str] = []
    for case in cases:
        for T in temps:
            try:
                spectra.append(_spectrum(req.cell, f, case, req.recipe, req.params, T,
                                         req.soc, req.protocol, req.overrides, req.ion))
            except InputError as exc:
                if exc.field not in ("temperature", "ambient_temperature") or T is None:
                    raise
                # the electrolyte's or the metal's refusal, named as the user wrote it (it
                # said "temperature: got 233.14999999999998"; a molten K counter electrode
                # "ambient_temperature: got '343.15 K'": the recipe cells take T as that
                # set entry, which --set cannot give with --temperatures)
                raise InputError("--temperatures", f"{T - 273.15:.6g} degC = {T:.6g} K",
                                 exc.allowed, hint=exc.hint) from exc
            new = spectra[-1].warnings
            if req.cell in ("anode", "full"):  # their prepare_cell wrote the others
                new = [w for w in new if w == passivity_warning(spectra[-1])]
            report_warnings(new, warnings)
    fits = [fit_circuit(s, req.cell, req.circuit) for s in spectra]
    kk = [kramers_kronig(s) for s in spectra]
    return EISResult(req, spectra, fits, kk, eis_values(split_overrides(req.overrides)[0]))


def summarize(result: EISResult) -> dict[str, Any]:
    """``summary.json`` of a run (keys per case label)."""
    req = result.request
    labels = list(dict.fromkeys(s.label for s in result.spectra))
    by_label: dict[str, list[tuple[Spectrum, dict]]] = {k: [] for k in labels}
    for s, fit in zip(result.spectra, result.fits, strict=True):
        by_label[s.label].append((s, fit))
    f = result.spectra[0].frequencies_Hz
    summary: dict[str, Any] = {
        "cell": req.cell,
        "cases": labels,
        "temperatures_K": sorted({s.temperature_K for s in result.spectra}),
        "frequency_min_Hz": float(f.min()), "frequency_max_Hz": float(f.max()),
        "frequency_count": int(f.size),
        "charge_transfer_resistance_ohm": {},
        "charge_transfer_resistance_by_temperature_ohm": {},
        "low_frequency_resistance_ohm": {},
        "circuit": {},
        "circuit_type": req.circuit,
        "kk_residual_max": float(max(k["residual_max"] for k in result.kk)),
        "kk": result.kk,
        "operating_point_drift_max": float(max(s.drift for s in result.spectra)),
    }
    warnings = list(dict.fromkeys(w for s in result.spectra for w in s.warnings))
    if warnings:
        summary["warnings"] = warnings
    state_K = [s.info["state_temperature_K"] for s in result.spectra
               if "state_temperature_K" in s.info]
    if state_K:  # one value: the set's ambient_temperature (with --set)
        summary["state_temperature_K"] = state_K[0]
    for label, items in by_label.items():
        s0, fit0 = items[0]
        rct = {f"{s.temperature_K:.2f}": charge_transfer_resistance(fit, req.cell)
               for s, fit in items}
        summary["charge_transfer_resistance_ohm"][label] = charge_transfer_resistance(
            fit0, req.cell)
        summary["charge_transfer_resistance_by_temperature_ohm"][label] = rct
        summary["low_frequency_resistance_ohm"][label] = float(
            np.real(s0.impedance_ohm[np.argmin(s0.frequencies_Hz)]))
        summary["circuit"][label] = {f"{s.temperature_K:.2f}": fit for s, fit in items}
        if req.cell == "symmetric" and "parameters" in fit0:
            par = fit0["parameters"]
            summary.setdefault("interface_resistance_ohm", {})[label] = par["R1"]["value"] + (
                par["R2"]["value"] if "R2" in par else 0.0)
        if s0.dc_resistance_ohm:
            summary.setdefault("process_resistance_ohm", {})[label] = s0.dc_resistance_ohm
            summary.setdefault("model_interface_resistance_ohm", {})[label] = (
                s0.dc_resistance_ohm["charge transfer + double layer"]
                + s0.dc_resistance_ohm["coating film"])
        if s0.info:
            summary.setdefault("model_info", {})[label] = {
                k: v for k, v in s0.info.items() if not isinstance(v, dict)}
        temps = [s.temperature_K for s, _ in items]
        if "mechanism_charge_transfer_resistance_ohm" in s0.info:
            _mechanism_summary(summary, label, [s for s, _ in items])
        if "electrode_charge_transfer_resistance_ohm" in s0.info:
            _electrode_summary(summary, label, [s for s, _ in items])
        if "electrode_storage_impedance_ratio" in s0.info:
            summary.setdefault("electrode_storage_impedance_ratio", {})[label] = {
                f"{s.temperature_K:.2f}": s.info["electrode_storage_impedance_ratio"]
                for s, _ in items}
        if req.cell == "full":
            arcs = {f"{s.temperature_K:.2f}": fit.get("arcs") for s, fit in items}
            summary.setdefault("circuit_arcs", {})[label] = arcs
            summary.setdefault("circuit_charge_transfer_resistance_by_electrode_ohm", {})[
                label] = {t: a["by_electrode_ohm"] if a else None for t, a in arcs.items()}
        if req.circuit == "transmission-line":
            summary.setdefault("circuit_pore_resistance_ohm", {})[label] = {
                f"{s.temperature_K:.2f}": fit.get("pore_resistance_ohm") for s, fit in items}
        r = [charge_transfer_resistance(fit, req.cell) for _, fit in items]
        if len(set(temps)) >= 3 and all(x is not None and x > 0 for x in r):
            ea, ea_app = activation_energy_J_per_mol(temps, r)
            summary.setdefault("activation_energy_kJ_per_mol", {})[label] = ea / 1e3
            note = activation_energy_note(summary, label)
            if note is not None:
                summary.setdefault("activation_energy_note", {})[label] = note
            summary.setdefault("activation_energy_ln_inverse_r_kJ_per_mol", {})[label] = \
                ea_app / 1e3
            if req.cell == "symmetric" and "coating film" in s0.processes:
                r_tot = [fit["parameters"]["R1"]["value"] + fit["parameters"]["R2"]["value"]
                         for _, fit in items]
                summary.setdefault("activation_energy_interface_total_kJ_per_mol", {})[
                    label] = activation_energy_J_per_mol(temps, r_tot)[0] / 1e3
    if req.cell in ("symmetric", "li-lfp"):
        summary["electrode_area"] = AREA_NOTE
    summary["eis_parameters"] = {k: {"value": EIS_PARAMETERS[k]["value"],
                                     "unit": EIS_PARAMETERS[k]["unit"],
                                     "si_value": result.eis_parameters[k],
                                     "source": EIS_PARAMETERS[k]["source"]}
                                 for k in EIS_PARAMETERS}
    return summary


def _resistance_summary(summary: dict[str, Any], label: str, spectra: Sequence[Spectrum],
                        key: str, ea_key: str) -> None:
    """Each resistance of the spectra's ``info[key]`` (a mechanism's, an electrode's) per
    temperature under ``key`` and, with three or more temperatures, its activation energy
    from ln(T/R) vs 1/T under ``ea_key`` (where it is positive at every temperature)."""
    summary.setdefault(key, {})[label] = {f"{s.temperature_K:.2f}": s.info[key]
                                          for s in spectra}
    temps = [s.temperature_K for s in spectra]
    if len(set(temps)) < 3:
        return
    for name in spectra[0].info[key]:
        r = [s.info[key][name] for s in spectra]
        if all(x is not None and x > 0 for x in r):
            summary.setdefault(ea_key, {}).setdefault(label, {})[name] = \
                activation_energy_J_per_mol(temps, r)[0] / 1e3


def _mechanism_summary(summary: dict[str, Any], label: str, spectra: Sequence[Spectrum]
                       ) -> None:
    """HEM anode: each mechanism's charge-transfer resistance per temperature and, with
    three or more temperatures, its activation energy from ln(T/R_k) vs 1/T; the
    mechanisms without AC current per temperature."""
    _resistance_summary(summary, label, spectra, "mechanism_charge_transfer_resistance_ohm",
                        "mechanism_activation_energy_kJ_per_mol")
    if all("mechanisms_without_ac_current" in s.info for s in spectra):
        summary.setdefault("mechanism_without_ac_current", {})[label] = {
            f"{s.temperature_K:.2f}": s.info["mechanisms_without_ac_current"]
            for s in spectra}


def _electrode_summary(summary: dict[str, Any], label: str, spectra: Sequence[Spectrum]
                       ) -> None:
    """Cathode half cell, full cell: each electrode's charge-transfer resistance of the
    model per temperature and its activation energy (the cathode's: the set's
    cathode_exchange_current_activation_energy, its exchange current's law)."""
    _resistance_summary(summary, label, spectra, "electrode_charge_transfer_resistance_ohm",
                        "electrode_activation_energy_kJ_per_mol")


def mechanisms_with_temperature_law() -> tuple[str, ...]:
    """The anode mechanisms whose rate constants carry an activation energy in the model
    (``*_activation_energy`` among their parameters, :mod:`hemcell.cell.parameters`):
    the others (the space-charge relaxation) do not change with temperature."""
    from hemcell.cell.parameters import MECHANISM_PARAMETERS

    return tuple(m for m, uses in MECHANISM_PARAMETERS.items()
                 if any(u.key.endswith("_activation_energy") for u in uses))


def arc_mechanisms(summary: Mapping[str, Any], label: str) -> list[str]:
    """HEM anode: the mechanism that carries most of the arc's AC current at each
    temperature (the smallest of the parallel charge-transfer resistances that are not
    ``null``), each named once."""
    by_t = summary.get("mechanism_charge_transfer_resistance_ohm", {}).get(label, {})
    main = [min((r, m) for m, r in rk.items() if r is not None)[1]
            for rk in by_t.values() if any(r is not None for r in rk.values())]
    return list(dict.fromkeys(main))


def activation_energy_note(summary: Mapping[str, Any], label: str) -> str | None:
    """Why the activation energy of ``label``'s arc is not a law of the model, or ``None``.

    The fitted R_ct of the HEM anode is the arc of the mechanisms that carry the AC
    current; if none of them has a temperature law, ln(T/R) vs 1/T returns what the
    state and the electrolyte do with temperature, not an activation energy of the model.
    """
    if summary.get("cell", "anode") != "anode":  # a full cell's R_ct holds the cathode's
        return None
    arc = arc_mechanisms(summary, label)
    with_law = mechanisms_with_temperature_law()
    if not arc or any(m in with_law for m in arc):
        return None
    return (f"{', '.join(arc)} has no temperature law in the model: the arc's Ea is not a "
            "law of the model")


def arc_description(summary: Mapping[str, Any], label: str) -> str | None:
    """HEM anode: what carries the charge-transfer arc, e.g. ``space_charge 100 % → 97 %
    (no temperature law), intercalation 0 % → 3 %; no AC current: conversion``.

    Each mechanism's share of the arc's conductance Σ_k 1/R_k at each temperature (the
    mechanisms with at least 1 % at one of them, largest first), whether it has a
    temperature law (:func:`mechanisms_with_temperature_law`), and the mechanisms with
    a temperature law that carry no AC current at any temperature (a reaction resting
    inside its hysteresis gap, an empty alloy: ``null`` R_k); if none carries any,
    ``no mechanism carries AC current (...)``. Where the summary lists the mechanisms
    without AC current (``mechanism_without_ac_current``), a ``null`` R_k of one that
    carries some (its response not frozen between 10 and 100 kHz) is named apart:
    ``AC current, R not resolved: ...``. ``None`` without mechanism resistances.
    """
    by_t = summary.get("mechanism_charge_transfer_resistance_ohm", {}).get(label, {})
    if not by_t:
        return None
    with_law = mechanisms_with_temperature_law()
    shares: dict[str, list[float]] = {}
    for rk in by_t.values():
        g = {m: 1 / r for m, r in rk.items() if r is not None and r > 0}
        for m in rk:
            shares.setdefault(m, []).append(g.get(m, 0.0) / sum(g.values()) if g else 0.0)
    carrying = sorted((m for m, x in shares.items() if max(x) >= 0.01),
                      key=lambda m: -max(shares[m]))
    parts = [f"{m} {' → '.join(f'{100 * x:.0f} %' for x in shares[m])}"
             + ("" if m in with_law else " (no temperature law)") for m in carrying]
    if not carrying:  # the arc's R_ct is no mechanism's (a double layer alone)
        return f"no mechanism carries AC current ({', '.join(shares)})"
    silent = [m for m, x in shares.items() if max(x) == 0 and m in with_law]
    no_current = summary.get("mechanism_without_ac_current", {}).get(label)
    unresolved = ([] if no_current is None else
                  [m for m in silent if any(m not in ms for ms in no_current.values())])
    silent = [m for m in silent if m not in unresolved]
    text = ", ".join(parts)
    if silent:
        text += f"; no AC current: {', '.join(silent)}"
    if unresolved:
        text += f"; AC current, R not resolved: {', '.join(unresolved)}"
    return text or None


def result_lines(summary: Mapping[str, Any]) -> list[str]:
    """One terminal line per case: R_ct (at each temperature), what carries the arc (HEM
    anode: :func:`arc_description`) and the activation energy when it is a law of the
    model (the number is in summary.json either way)."""
    lines = []
    for label, r in summary["charge_transfer_resistance_ohm"].items():
        by_t = summary.get("charge_transfer_resistance_by_temperature_ohm", {}).get(label, {})
        fits, cell = summary.get("circuit", {}).get(label, {}), summary.get("cell")
        texts = {t: _rct_text(v, fits.get(t), cell) for t, v in by_t.items()}
        if len(by_t) > 1 and len(set(texts.values())) == 1 and r is None:
            line = f"{label}: R_ct {next(iter(texts.values()))} at " + ", ".join(
                f"{float(t):.2f}" for t in texts) + " K"
        elif len(by_t) > 1:
            line = f"{label}: R_ct " + ", ".join(f"{x} at {float(t):.2f} K"
                                                 for t, x in texts.items())
        else:
            line = f"{label}: R_ct " + _rct_text(r, next(iter(fits.values()), None), cell)
        pores = summary.get("circuit_pore_resistance_ohm", {}).get(label)
        if pores:
            line += "; " + pore_text(next(iter(pores.values())))
        arc = arc_description(summary, label)
        if arc:
            line += f" ({'anode ' if summary.get('cell') == 'full' else ''}arc: {arc})"
        by_electrode = summary.get("electrode_charge_transfer_resistance_ohm", {}).get(label)
        if by_electrode:
            first = next(iter(by_electrode.values()))
            line += "; model R_ct " + ", ".join(
                f"{k} " + (f"{v:.4g} Ohm" if v is not None else "none (no AC current)")
                for k, v in first.items())
        ea = summary.get("activation_energy_kJ_per_mol", {}).get(label)
        note = activation_energy_note(summary, label)
        if ea is not None and note is not None:
            # the arc description already says which mechanism has no temperature law
            line += "; the arc's Ea is not a law of the model (the fitted value is in " \
                "summary.json)"
        elif ea is not None:
            line += f", Ea {ea:.2f} kJ/mol"
        lines.append(line)
    state_K = summary.get("state_temperature_K")
    if state_K is not None and any(abs(float(T) - state_K) > 1e-9
                                   for T in summary.get("temperatures_K", ())):
        lines.append(f"state (--soc/--protocol) set once at {state_K:.2f} K (the set's "
                     "ambient_temperature), the same at every temperature")
    return lines


def pore_text(pores: Mapping[str, Any] | None) -> str:
    """The transmission-line fit's pore resistances for the terminal line (one
    temperature's :func:`pore_resistances`), e.g. ``pore R_ion cathode 2.81 +- 0.1 Ohm
    (model 2.75), anode 0.675 +- 0.053 Ohm (model 0.961)``, or ``pore R_ion not determined
    by the fit (the electrodes' lines are not told apart; model cathode 0.000842, anode
    0.000101 Ohm)`` (each reason's first clause: the line gives the arcs' reason)."""
    if not pores:
        return "pore R_ion: fit failed"
    model = ", ".join(f"{k} {p['model']:.3g}" for k, p in pores.items())
    # the arcs' own reason is on the line already: its first clause only
    reasons = {p["reason"].split(" (")[0] for p in pores.values() if not p["determined"]}
    if len(reasons) == 1 and all(not p["determined"] for p in pores.values()):
        return f"pore R_ion not determined by the fit ({reasons.pop()}; model {model} Ohm)"
    return "pore R_ion " + ", ".join(
        f"{k} {p['value']:.3g} +- {p['uncertainty']:.2g} Ohm (model {p['model']:.3g})"
        if p["determined"] else f"{k} not determined by the fit "
        f"({p['reason'].split(' (')[0]}; model {p['model']:.3g} Ohm)"
        for k, p in pores.items())


def _rct_text(r: float | None, fit: Mapping[str, Any] | None, cell: str | None) -> str:
    """R_ct of one fit for the terminal line, or why there is none; a full cell's with
    each electrode's arc or why only their sum (:func:`full_cell_arcs`)."""
    arcs = (fit or {}).get("arcs")
    if r is not None and arcs is not None and arcs["resolved"]:
        by = arcs["by_electrode_ohm"]
        return f"{r:.4g} Ohm (circuit: " + ", ".join(
            f"{k} {v['value']:.4g} +- {v['uncertainty']:.2g} Ohm" for k, v in by.items()) + ")"
    if r is not None and arcs is not None:
        return (f"{r:.4g} +- {arcs['sum_uncertainty_ohm']:.2g} Ohm, both electrodes "
                f"({arcs['short_reason']})")
    if r is not None:
        return f"{r:.4g} Ohm"
    if arcs is not None and not arcs["charge_transfer"]:
        return f"not determined by the circuit fit ({arcs['short_reason']})"
    if fit is not None and cell is not None and rct_undetermined(fit, cell):
        return "not determined by the circuit fit (1 sigma >= value)"
    return "fit failed"


def write_outputs(result: EISResult, out: str | Path, plots_on: bool = True) -> dict[str, Any]:
    """Write impedance.csv/.nc, nyquist.png, bode.png, processes.png, arrhenius.png
    (≥ 3 temperatures) and summary.json; return the summary. ``plots_on=False`` skips
    the figures (the data files and the summary are the same)."""
    from hemcell.runinfo import write_run_record, write_summary
    from hemcell.workflows import eis_plots

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    summary = summarize(result)
    _write_table(result, out)
    _write_netcdf(result, out)
    if plots_on:
        eis_plots.nyquist(result.spectra, out / "nyquist.png")
        eis_plots.bode(result.spectra, out / "bode.png")
        eis_plots.processes(result.spectra, out / "processes.png")
        if "activation_energy_kJ_per_mol" in summary:
            eis_plots.arrhenius(result, summary, out / "arrhenius.png")
    write_summary(out, summary)
    req = result.request
    write_run_record(out, {"request": req.__dict__, "eis_parameters": result.eis_parameters,
                           "state_temperature_K": summary.get("state_temperature_K")},
                     extra={"warnings": summary.get("warnings", [])})
    return summary


def _write_table(result: EISResult, out: Path) -> None:
    import csv

    with (out / "impedance.csv").open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["case", "temperature_K", "frequency_Hz", "z_real_ohm", "z_imag_ohm"])
        for s in result.spectra:
            for fk, zk in zip(s.frequencies_Hz, s.impedance_ohm, strict=True):
                w.writerow([s.label, f"{s.temperature_K:.2f}", f"{fk:.8g}", f"{zk.real:.10g}",
                            f"{zk.imag:.10g}"])


def _write_netcdf(result: EISResult, out: Path) -> None:
    import xarray as xr

    labels = list(dict.fromkeys(s.label for s in result.spectra))
    temps = sorted({s.temperature_K for s in result.spectra})
    f = result.spectra[0].frequencies_Hz
    z = np.full((len(labels), len(temps), f.size), np.nan, dtype=complex)
    for s in result.spectra:
        z[labels.index(s.label), temps.index(s.temperature_K)] = s.impedance_ohm
    # frequency_Hz is the dimension's coordinate variable (CF 5.1): ds.sel(frequency_Hz=...)
    dims = ("case", "temperature", "frequency_Hz")
    ds = xr.Dataset(
        {"z_real_ohm": (dims, z.real, {"units": "ohm", "long_name": "real part of impedance"}),
         "z_imag_ohm": (dims, z.imag, {"units": "ohm",
                                       "long_name": "imaginary part of impedance"})},
        coords={"case": ("case", labels, {"long_name": "simulated case"}),
                "temperature": ("temperature", temps, {"units": "K",
                                                       "long_name": "cell temperature"}),
                "frequency_Hz": ("frequency_Hz", f, {"units": "Hz", "long_name": "frequency"})},
        attrs={"comment": "Z = -dV/dI of the linearised model (PyBaMM sign convention)"})
    from hemcell.netcdf import write_netcdf

    write_netcdf(ds, out / "impedance.nc", title=f"hemcell eis {result.request.cell}")
