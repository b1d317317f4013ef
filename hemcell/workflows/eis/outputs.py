"""What ``hemcell eis`` reports: summary.json, the terminal lines and the files.

:func:`summarize` gathers a run per case and temperature (R_ct of the fits, the
circuits, the lin-KK residuals, the model's own resistances per mechanism or electrode
and, with three or more temperatures, their activation energies from
:func:`~hemcell.workflows.eis.circuits.activation_energy_J_per_mol`);
:func:`result_lines` gives one terminal line per case (what carries the HEM anode's arc:
:func:`arc_description`; when its activation energy is no law of the model:
:func:`activation_energy_note`; the transmission line's pore resistances:
:func:`pore_text`); :func:`write_outputs` writes impedance.csv, impedance.nc (CF), the
figures (:mod:`hemcell.workflows.eis_plots`), summary.json and the run record.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from hemcell.workflows.eis.circuits import (
    activation_energy_J_per_mol,
    charge_transfer_resistance,
    rct_undetermined,
)
from hemcell.workflows.eis.inputs import EIS_PARAMETERS, EISResult, Spectrum

#: Electrode area of the Li-metal cells: where it comes from (for the summary).
AREA_NOTE = ("li_electrode_area of the sets: 1.911 cm**2, assumed (15.6 mm Li disc of a "
             "CR2032 cell); the seed gives no area, so Ohm values depend on it only through "
             "the ct resistance derived from the seed's 64/44 Ohm (area cancels there).")


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
        else:  # one temperature (named when the summary has it) or none recorded
            line = f"{label}: R_ct " + _rct_text(r, next(iter(fits.values()), None), cell)
            line += "".join(f" at {float(t):.2f} K" for t in by_t)
        pores = summary.get("circuit_pore_resistance_ohm", {}).get(label)
        if pores:
            line += "; " + "; ".join(
                pore_text(p) + (f" at {float(t):.2f} K" if len(pores) > 1 else "")
                for t, p in pores.items())
        arc = arc_description(summary, label)
        if arc:
            line += f" ({'anode ' if summary.get('cell') == 'full' else ''}arc: {arc})"
        by_electrode = summary.get("electrode_charge_transfer_resistance_ohm", {}).get(label)
        if by_electrode:  # at each temperature, as the circuit's R_ct above
            line += "; model R_ct " + "; ".join(
                ", ".join(f"{k} " + (f"{v:.4g} Ohm" if v is not None
                                     else "none (no AC current)") for k, v in at_T.items())
                + (f" at {float(t):.2f} K" if len(by_electrode) > 1 else "")
                for t, at_T in by_electrode.items())
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
