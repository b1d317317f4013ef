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

Modules, each importing only those listed before it::

    inputs        the checks of a request; Spectrum, EISRequest, EISResult; EIS_PARAMETERS
    spectra       Li‖Li and Li‖LFP spectra; the passivity and time-domain checks
    recipe_cells  HEM anode half cell, cathode half cell, full cell (CellSpectrumModel)
    circuits      equivalent circuits and their fits, full-cell arcs, lin-KK, Arrhenius
    run           cell_spectrum (one spectrum), run_eis (a request: spectra and fits)
    outputs       summary.json, terminal lines, impedance.csv/.nc, figures

This package exposes every public name of those modules (``from hemcell.workflows.eis
import cell_spectrum``); code that replaces a function for a test patches the module that
owns it, where its callers look it up.
"""

from __future__ import annotations

from hemcell.workflows.eis.circuits import (
    ARC_SEPARATION_FACTOR,
    FULL_CELL_ARC_ELEMENTS,
    FULL_CELL_CIRCUIT,
    FULL_CELL_CIRCUITS,
    FULL_CELL_MERGED_CIRCUIT,
    PORE_ELEMENTS,
    TRANSMISSION_LINE_CIRCUIT,
    activation_energy_J_per_mol,
    arcs_separable,
    charge_transfer_resistance,
    check_circuit,
    circuit_for,
    de_levie_impedance_ohm,
    determined_by_fit,
    electrode_time_constants_s,
    fit_circuit,
    full_cell_arcs,
    full_cell_circuit,
    kramers_kronig,
    parameter_covariance,
    pore_resistances,
    rct_undetermined,
    register_transmission_line_element,
    transmission_line_circuit,
)
from hemcell.workflows.eis.inputs import (
    CELLS,
    DEFAULT_MODEL,
    EIS_PARAMETER_READERS,
    EIS_PARAMETERS,
    MAX_FREQUENCIES,
    MIN_FREQUENCIES,
    RECIPE_CELLS,
    RECIPE_KIND,
    EISRequest,
    EISResult,
    Spectrum,
    check_anode_recipe,
    check_anode_soc,
    check_cell_soc,
    check_overrides,
    check_recipe,
    check_set_keys,
    eis_values,
    parse_frequencies,
    refuse_ambient_with_temperature,
    split_overrides,
)
from hemcell.workflows.eis.outputs import (
    AREA_NOTE,
    activation_energy_note,
    arc_description,
    arc_mechanisms,
    mechanisms_with_temperature_law,
    pore_text,
    result_lines,
    summarize,
    write_outputs,
)
from hemcell.workflows.eis.recipe_cells import (
    ANODE_DPHI,
    ANODE_SURFACE_AREA,
    CATHODE_ETA,
    CATHODE_FARADAIC,
    CURRENT_SHARE_FLOOR,
    KINETIC_LIMIT_FREQUENCIES_HZ,
    METAL_ETA,
    METAL_FARADAIC,
    REST_RESISTANCE_FREQUENCIES_HZ,
    SETTLE_STEP,
    SOC_CHARGE_HOURS,
    SOC_REST_MINUTES,
    STORAGE_DOMINANCE_RATIO,
    CellSpectrumModel,
    OperatingPoint,
    anode_cell_simulation,
    anode_spectrum,
    cathode_half_cell_simulation,
    cathode_half_cell_values,
    cathode_operating_point,
    cathode_spectrum,
    full_cell_simulation,
    full_operating_point,
    full_spectrum,
    kinetic_resistance_ohm,
    mechanism_charge_transfer_resistance_ohm,
    model_value,
    soc_protocol,
    storage_impedance_ratio,
)
from hemcell.workflows.eis.run import (
    cell_spectrum,
    run_eis,
)
from hemcell.workflows.eis.spectra import (
    LFP_PROCESSES,
    VOLTAGE,
    half_cell_processes,
    lfp_spectrum,
    passivity_warning,
    symmetric_spectrum,
    time_domain_impedance,
)

__all__ = [
    "ANODE_DPHI",
    "ANODE_SURFACE_AREA",
    "ARC_SEPARATION_FACTOR",
    "AREA_NOTE",
    "CATHODE_ETA",
    "CATHODE_FARADAIC",
    "CELLS",
    "CURRENT_SHARE_FLOOR",
    "DEFAULT_MODEL",
    "EIS_PARAMETERS",
    "EIS_PARAMETER_READERS",
    "FULL_CELL_ARC_ELEMENTS",
    "FULL_CELL_CIRCUIT",
    "FULL_CELL_CIRCUITS",
    "FULL_CELL_MERGED_CIRCUIT",
    "KINETIC_LIMIT_FREQUENCIES_HZ",
    "LFP_PROCESSES",
    "MAX_FREQUENCIES",
    "METAL_ETA",
    "METAL_FARADAIC",
    "MIN_FREQUENCIES",
    "PORE_ELEMENTS",
    "RECIPE_CELLS",
    "RECIPE_KIND",
    "REST_RESISTANCE_FREQUENCIES_HZ",
    "SETTLE_STEP",
    "SOC_CHARGE_HOURS",
    "SOC_REST_MINUTES",
    "STORAGE_DOMINANCE_RATIO",
    "TRANSMISSION_LINE_CIRCUIT",
    "VOLTAGE",
    "CellSpectrumModel",
    "EISRequest",
    "EISResult",
    "OperatingPoint",
    "Spectrum",
    "activation_energy_J_per_mol",
    "activation_energy_note",
    "anode_cell_simulation",
    "anode_spectrum",
    "arc_description",
    "arc_mechanisms",
    "arcs_separable",
    "cathode_half_cell_simulation",
    "cathode_half_cell_values",
    "cathode_operating_point",
    "cathode_spectrum",
    "cell_spectrum",
    "charge_transfer_resistance",
    "check_anode_recipe",
    "check_anode_soc",
    "check_cell_soc",
    "check_circuit",
    "check_overrides",
    "check_recipe",
    "check_set_keys",
    "circuit_for",
    "de_levie_impedance_ohm",
    "determined_by_fit",
    "eis_values",
    "electrode_time_constants_s",
    "fit_circuit",
    "full_cell_arcs",
    "full_cell_circuit",
    "full_cell_simulation",
    "full_operating_point",
    "full_spectrum",
    "half_cell_processes",
    "kinetic_resistance_ohm",
    "kramers_kronig",
    "lfp_spectrum",
    "mechanism_charge_transfer_resistance_ohm",
    "mechanisms_with_temperature_law",
    "model_value",
    "parameter_covariance",
    "parse_frequencies",
    "passivity_warning",
    "pore_resistances",
    "pore_text",
    "rct_undetermined",
    "refuse_ambient_with_temperature",
    "register_transmission_line_element",
    "result_lines",
    "run_eis",
    "soc_protocol",
    "split_overrides",
    "storage_impedance_ratio",
    "summarize",
    "symmetric_spectrum",
    "time_domain_impedance",
    "transmission_line_circuit",
    "write_outputs",
]
