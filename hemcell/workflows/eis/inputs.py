"""Inputs of ``hemcell eis``: the checks of a request and the request and result types.

Owns the cells (:data:`CELLS`, :data:`RECIPE_CELLS`, :data:`DEFAULT_MODEL`), the values
the impedance models need that the parameter sets do not hold (:data:`EIS_PARAMETERS`,
each with its unit and source; which cell reads which: :data:`EIS_PARAMETER_READERS`),
the frequencies (:func:`parse_frequencies`, :data:`MIN_FREQUENCIES`,
:data:`MAX_FREQUENCIES`), the ``--set`` checks (:func:`split_overrides`,
:func:`check_overrides`; :func:`check_set_keys`, the sweep spec's), the recipe and
state-of-charge checks (:func:`check_recipe`, :func:`check_anode_soc`,
:func:`check_cell_soc`) and the types :class:`Spectrum`, :class:`EISRequest` and
:class:`EISResult`. A refusal is an :class:`~hemcell.errors.InputError` (exit 2) naming
the option, the value and what is allowed. Nothing here builds a model, and this module
imports no other module of :mod:`hemcell.workflows.eis`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from hemcell.errors import InputError

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

#: Fewest distinct frequencies ``hemcell eis`` simulates, fits and checks: the lumped
#: circuits have up to 7 free parameters, the full cell's transmission line 9 (two real
#: values per frequency: >= 5 frequencies; it converged on 6, docs/eis.md), and
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

#: Most frequencies one spectrum may ask for: a guard against a mistyped density
#: (``1e-2:1e6:100000/decade`` asked for 800 001 solves and ran for minutes); 200 per
#: decade over 10 decades, while measured spectra hold 10-100 points (assumed bound).
MAX_FREQUENCIES = 2001


#: A frequency's unit, if one is typed: the hertz and its SI prefixes (``mHz``, ``kHz``,
#: ``MHz``). An angular frequency (``rad/s``) would pass pint's dimension check as 1/s and
#: be 2 pi off, so only hertz is read.
_HERTZ = re.compile(r"\s*([-+0-9.eE]+)\s*(|[munkMG]?Hz)\s*")
_HERTZ_PREFIX = {"": 1.0, "u": 1e-6, "m": 1e-3, "k": 1e3, "M": 1e6, "G": 1e9}


def _hertz(text: str) -> float:
    """One frequency of ``--frequencies`` in Hz: ``0.01``, ``10mHz``, ``1 kHz``, ``1MHz``.

    Raises
    ------
    ValueError
        Not a number, alone or followed by Hz with an SI prefix.
    """
    m = _HERTZ.fullmatch(text)
    if m is None:
        raise ValueError(text)
    return float(m.group(1)) * _HERTZ_PREFIX[m.group(2)[:-2] if m.group(2) else ""]


def parse_frequencies(text: str) -> np.ndarray:
    """``START:STOP:N/decade`` (log spaced, both ends included) or a comma list [Hz].

    Each frequency is a number in Hz or carries a hertz unit (``10mHz:1MHz:10/decade``,
    ``0.1Hz,1kHz``); N is a whole number of points per decade.

    START may be above STOP, as an instrument sweeps (``1e6:1e-2:10/decade``, high to
    low): the same frequencies, in increasing order as every spectrum here.

    Raises
    ------
    InputError
        Malformed text, a frequency <= 0, START = STOP, or more than
        :data:`MAX_FREQUENCIES` frequencies.
    """
    allowed = "START:STOP:N/decade with START, STOP > 0 and START != STOP and N a whole " \
              "number >= 1 (e.g. 1e-2:1e6:10/decade, 1e6:1e-2:10/decade or " \
              "10mHz:1MHz:10/decade), or comma-separated frequencies > 0 Hz; a number " \
              "without a unit is in Hz"
    m = re.fullmatch(r"\s*([^:]+):([^:]+):\s*(\d+)\s*/\s*decade\s*", text)
    try:
        if m:
            lo, hi, per = _hertz(m.group(1)), _hertz(m.group(2)), int(m.group(3))
            lo, hi = min(lo, hi), max(lo, hi)
            if not (lo > 0 and hi > lo and per > 0 and math.isfinite(hi)):
                raise InputError("--frequencies", text, allowed)
            n = max(2, round(per * math.log10(hi / lo)) + 1)
            if n > MAX_FREQUENCIES:
                raise InputError("--frequencies", text, f"at most {MAX_FREQUENCIES} "
                                 f"frequencies (this asks for {n})",
                                 hint="fewer points per decade, e.g. 10/decade")
            return np.logspace(math.log10(lo), math.log10(hi), n)
        f = np.array([_hertz(x) for x in text.split(",") if x.strip()])
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


def check_anode_soc(soc: float, field: str = "--soc") -> None:
    """Refuse a HEM anode state of charge outside 0 < soc <= 1 (the lithiated fraction of
    the theoretical capacity; the fresh state is the one without ``--soc``)."""
    if not 0 < soc <= 1:
        raise InputError(field, soc, "a lithiated fraction 0 < soc <= 1 of the theoretical "
                         "capacity")


def check_cell_soc(soc: float, field: str = "--soc") -> None:
    """Refuse a cathode half cell's or full cell's state of charge outside 0 < soc < 1
    (the charged fraction from the as-made state to the upper cut-off, :func:`soc_protocol`;
    the as-made state is the one without ``--soc``, the charged end a cut-off event)."""
    if isinstance(soc, bool) or not (isinstance(soc, int | float) and 0 < soc < 1):
        raise InputError(field, soc, "a state of charge 0 < soc < 1 (the charged fraction "
                         "between the as-made state and the upper cut-off)",
                         hint="leave out --soc for the as-made (discharged) state")


def _positive_frequencies(frequencies_Hz: Sequence[float]) -> np.ndarray:
    """The frequencies as a flat array; InputError unless each is finite and > 0."""
    f = np.asarray(frequencies_Hz, dtype=float).reshape(-1)
    if f.size == 0 or np.any(~np.isfinite(f)) or np.any(f <= 0):
        bad = f[~(np.isfinite(f) & (f > 0))]
        raise InputError("--frequencies", f"{bad[0] if bad.size else 'none'}",
                         "frequencies > 0 Hz")
    return f
