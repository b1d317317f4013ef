"""The ``hemcell eis`` job: one model spectrum, or every spectrum of a request with its fits.

:func:`cell_spectrum` is the one entry point for a model spectrum of any cell (the
command's, and ``hemcell fit``'s of measured spectra at the data's frequencies): it
checks the cell, the frequencies and the ``--set`` keys, runs the cell's model
(:mod:`hemcell.workflows.eis.spectra`, :mod:`hemcell.workflows.eis.recipe_cells`) and
adds a warning where Re Z < 0. :func:`run_eis` does so for every (case, temperature) of
an :class:`~hemcell.workflows.eis.inputs.EISRequest`, then fits and checks each spectrum
(:mod:`hemcell.workflows.eis.circuits`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from hemcell.errors import InputError
from hemcell.workflows.eis.circuits import check_circuit, fit_circuit, kramers_kronig
from hemcell.workflows.eis.inputs import (
    CELLS,
    DEFAULT_MODEL,
    MIN_FREQUENCIES,
    RECIPE_CELLS,
    EISRequest,
    EISResult,
    Spectrum,
    _positive_frequencies,
    check_overrides,
    eis_values,
    split_overrides,
)
from hemcell.workflows.eis.recipe_cells import anode_spectrum, cathode_spectrum, full_spectrum
from hemcell.workflows.eis.spectra import lfp_spectrum, passivity_warning, symmetric_spectrum


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
