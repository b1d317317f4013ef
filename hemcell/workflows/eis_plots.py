"""Figures of ``hemcell eis``: Nyquist, Bode, per-process split and Arrhenius."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from hemcell.figures import save_figure


def _label(s: Any) -> str:
    return f"{s.label}, {s.temperature_K - 273.15:.0f} °C"


def nyquist(spectra: Sequence[Any], path: Path) -> Path:
    """-Im Z vs Re Z, equal axes."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 5))
    for s in spectra:
        ax.plot(s.impedance_ohm.real, -s.impedance_ohm.imag, ".-", ms=3, label=_label(s))
    ax.set_xlabel("Re Z [Ω]")
    ax.set_ylabel("−Im Z [Ω]")
    ax.set_aspect("equal", adjustable="datalim")
    ax.legend(fontsize=7)
    ax.grid(alpha=0.3)
    return save_figure(fig, path)


def bode(spectra: Sequence[Any], path: Path) -> Path:
    """|Z| and phase vs frequency."""
    import matplotlib.pyplot as plt

    fig, (a1, a2) = plt.subplots(2, 1, figsize=(6, 6), sharex=True)
    for s in spectra:
        a1.loglog(s.frequencies_Hz, np.abs(s.impedance_ohm), label=_label(s))
        a2.semilogx(s.frequencies_Hz, np.degrees(np.angle(s.impedance_ohm)))
    a1.set_ylabel("|Z| [Ω]")
    a2.set_ylabel("phase [°]")
    a2.set_xlabel("frequency [Hz]")
    a1.legend(fontsize=7)
    for a in (a1, a2):
        a.grid(alpha=0.3, which="both")
    return save_figure(fig, path)


def processes(spectra: Sequence[Any], path: Path) -> Path:
    """Which process makes each arc: −Im of each process term (Li-metal cells) or the
    AC current fraction of each mechanism (HEM anode), vs frequency (first temperature
    of each case)."""
    import matplotlib.pyplot as plt

    seen: dict[str, Any] = {}
    for s in spectra:
        seen.setdefault(s.label, s)
    cases = list(seen.values())
    fig, axes = plt.subplots(len(cases), 1, figsize=(6, 3 * len(cases)), squeeze=False)
    for ax, s in zip(axes[:, 0], cases, strict=True):
        for name, h in s.processes.items():
            if s.process_kind == "current_fraction":
                ax.semilogx(s.frequencies_Hz, np.abs(h), label=name)
                ax.set_ylabel("|I_k / I|")
            elif np.any(-h.imag > 0):  # a purely resistive term has no arc to show
                ax.loglog(s.frequencies_Hz, np.maximum(-h.imag, 1e-12), label=name)
                ax.set_ylabel("−Im Z_k [Ω]")
        if s.process_kind != "current_fraction":
            ax.loglog(s.frequencies_Hz, np.maximum(-s.impedance_ohm.imag, 1e-12), "k:",
                      label="cell")
            # four decades below the cell's largest -Im Z: what makes an arc is visible
            top = float(np.max(-s.impedance_ohm.imag))
            if top > 0:
                ax.set_ylim(bottom=1e-4 * top)
        ax.set_title(_label(s), fontsize=9)
        ax.legend(fontsize=7)
        ax.grid(alpha=0.3, which="both")
    axes[-1, 0].set_xlabel("frequency [Hz]")
    return save_figure(fig, path)


def arrhenius(result: Any, summary: Mapping[str, Any], path: Path) -> Path:
    """ln(T/R_ct) vs 1000/T with the fitted lines."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5, 4))
    for label, by_t in summary["charge_transfer_resistance_by_temperature_ohm"].items():
        if label not in summary.get("activation_energy_kJ_per_mol", {}):
            continue
        T = np.array([float(k) for k in by_t])
        R = np.array(list(by_t.values()), dtype=float)
        y = np.log(T / R)
        fit = np.polyfit(1 / T, y, 1)
        ea = summary["activation_energy_kJ_per_mol"][label]
        ax.plot(1000 / T, y, "o", label=f"{label}: Ea = {ea:.2f} kJ/mol")
        ax.plot(1000 / T, np.polyval(fit, 1 / T), "-", color=ax.lines[-1].get_color())
    ax.set_xlabel("1000 / T [1/K]")
    ax.set_ylabel("ln(T / R_ct) [ln(K/Ω)]")
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    return save_figure(fig, path)
