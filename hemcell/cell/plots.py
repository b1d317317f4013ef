"""Figures of a HEM anode run (matplotlib, Agg backend; no display needed)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from hemcell.cell.analysis import StepData, dqdv

COLORS = {
    "intercalation": "#4C72B0",
    "conversion": "#DD8452",
    "alloying": "#55A868",
    "space_charge": "#C44E52",
    "irreversible": "#8172B3",
    "gel_sei": "#DA8BC3",
    "double_layer": "#937860",
}


def voltage_label(ion: str = "Li") -> str:
    """Axis label of a half-cell voltage against the carrier ion's metal."""
    return f"Voltage vs {ion}/{ion}$^+$ (V)"


VOLTAGE_LABEL = voltage_label("Li")


def _legend(ax, **kwargs) -> None:
    """A legend if anything was labelled (a rest-only or charge-only protocol draws no
    lithiation curve; matplotlib would warn about an empty legend)."""
    if ax.get_legend_handles_labels()[0]:
        ax.legend(**kwargs)


LABELS = {
    "intercalation": "intercalation",
    "conversion": "conversion",
    "alloying": "alloying",
    "space_charge": "space charge",
    "irreversible": "irreversible (SEI)",
    "gel_sei": "gel film (reversible SEI)",
    "double_layer": "double layer",
}


def _plt():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


#: What the capacities are per gram of: the anode's active material (a HEM full cell's
#: capacities are per gram of anode, :func:`capacity_label`).
ACTIVE_MATERIAL = "active material"


def capacity_label(what: str = "Capacity", per_gram_of: str = ACTIVE_MATERIAL) -> str:
    """Axis label of a capacity per gram, ``Capacity (mAh g⁻¹ active material)``."""
    return f"{what} (mAh g$^{{-1}}$ {per_gram_of})"


def voltage_profile(
    cycles: Sequence[Sequence[StepData]], path: Path, title: str = "", ylabel: str | None = None,
    per_gram_of: str = ACTIVE_MATERIAL,
) -> Path:
    """Voltage vs specific capacity, one colour per cycle (lithiation and delithiation)."""
    plt = _plt()
    fig, ax = plt.subplots(figsize=(6, 4.2))
    cmap = plt.get_cmap("viridis")
    for i, cyc in enumerate(cycles):
        c = cmap(i / max(len(cycles) - 1, 1))
        q0 = cyc[0].data["capacity_mAh_per_g"][0]
        for s in cyc:
            if s.kind == "rest":
                continue
            q = s.data["capacity_mAh_per_g"] - q0
            ax.plot(
                q, s.data["voltage_V"], color=c, label=f"cycle {i + 1}" if s is cyc[0] else None
            )
    ax.set_xlabel(capacity_label(per_gram_of=per_gram_of))
    ax.set_ylabel(ylabel or VOLTAGE_LABEL)
    ax.set_title(title or "HEM anode half-cell")
    _legend(ax, frameon=False, fontsize=8)
    from hemcell.figures import save_figure

    save_figure(fig, path, dpi=150)
    return path


def _half_index(q: np.ndarray) -> int:
    """Index where a cumulative curve first reaches half its final value (len if ~0)."""
    if q[-1] <= 1e-9:
        return len(q)
    return int(np.argmax(q >= 0.5 * q[-1]))


def mechanism_contributions(
    cycles: Sequence[Sequence[StepData]],
    mechanisms: Sequence[str],
    path: Path,
    title: str = "",
    ylabel: str | None = None,
    per_gram_of: str = ACTIVE_MATERIAL,
) -> Path:
    """Stacked capacity by mechanism vs voltage for the first lithiation and delithiation.

    Left panel: charge each mechanism has stored since the start of the first lithiation,
    stacked, against the voltage as the anode is lithiated (read right to left). Right
    panel: the charge each mechanism has released during the following delithiation.
    In each panel the mechanisms are stacked in the order they act (the one that reaches
    half of its share first is innermost), so a band's width grows where it is active.
    """
    plt = _plt()
    mechs = [m for m in [*mechanisms, "double_layer"] if m != "double_layer"]
    fig, axes = plt.subplots(1, 2, figsize=(10, 4.2), sharey=True)
    cyc = cycles[0]
    legend_loc = "upper right"
    for ax, kind, sign in ((axes[0], "lithiation", 1.0), (axes[1], "delithiation", -1.0)):
        segs = [s for s in cyc if s.kind == kind]
        if not segs:
            ax.set_visible(False)
            continue
        v = np.concatenate([s.data["voltage_V"] for s in segs])
        if kind == "lithiation" and v[-1] > v[0]:
            # a full cell's charge: the voltage rises and the bands fill the top of the
            # panel, the corner left empty is the lower right (a half cell's: upper right)
            legend_loc = "lower right"
        base = np.zeros_like(v)
        curves = {}
        for m in mechs:
            q = np.concatenate([s.data[f"{m}_capacity_mAh_per_g"] for s in segs])
            curves[m] = sign * (q - q[0])

        for m in sorted(mechs, key=lambda m, c=curves: _half_index(c[m])):
            q = curves[m]
            ax.fill_betweenx(
                v, base, base + q, color=COLORS[m], alpha=0.8, label=LABELS[m], linewidth=0
            )
            base = base + q
        ax.plot(base, v, color="k", lw=0.8)
        ax.set_xlabel(capacity_label(f"Capacity {'stored' if sign > 0 else 'released'}",
                                     per_gram_of))
        ax.set_title(f"cycle 1 {kind}")
    axes[0].set_ylabel(ylabel or VOLTAGE_LABEL)
    _legend(axes[0], frameon=False, fontsize=8, loc=legend_loc)
    fig.suptitle(title or "Capacity by mechanism")
    from hemcell.figures import save_figure

    save_figure(fig, path, dpi=150)
    return path


def dqdv_plot(
    cycles: Sequence[Sequence[StepData]], path: Path, title: str = "", xlabel: str | None = None
) -> Path:
    """dQ/dV of the first and last cycle (lithiation negative, delithiation positive)."""
    plt = _plt()
    fig, ax = plt.subplots(figsize=(6, 4.2))
    picks = [0] if len(cycles) == 1 else [0, len(cycles) - 1]
    for i in picks:
        for s in cycles[i]:
            if s.kind == "rest" or "Hold" in s.description:
                continue
            v, d = dqdv(s.data["voltage_V"], s.data["capacity_mAh_per_g"])
            if v.size == 0:
                continue
            sign = -1 if s.kind == "lithiation" else 1
            ax.plot(v, sign * d, label=f"cycle {i + 1} {s.kind}")
    ax.axhline(0, color="k", lw=0.5)
    ax.set_xlabel(xlabel or VOLTAGE_LABEL)
    ax.set_ylabel("dQ/dV (mAh g$^{-1}$ V$^{-1}$)")
    ax.set_title(title or "Differential capacity")
    _legend(ax, frameon=False, fontsize=8)
    from hemcell.figures import save_figure

    save_figure(fig, path, dpi=150)
    return path


def cv_plot(res, summary: dict, path: Path, title: str = "", vlabel: str | None = None
            ) -> None:
    """Voltammograms of the analysed cycle at every scan rate (left) and the mechanism
    currents at the fastest rate (right); ``vlabel`` labels the voltage axes."""
    plt = _plt()
    curves = [c for c in res.curves if c.completed]
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.2))
    cmap = plt.get_cmap("viridis")
    cyc = res.cycles
    for n, c in enumerate(curves):
        k = (c.segment == 2 * (cyc - 1)) | (c.segment == 2 * (cyc - 1) + 1)
        axes[0].plot(
            c.voltage_V[k],
            c.current_A_per_g[k],
            color=cmap(n / max(len(curves) - 1, 1)),
            label=f"{c.scan_rate_mV_per_s:g} mV/s",
        )
    axes[0].axhline(0, color="0.6", lw=0.6)
    axes[0].set_xlabel(vlabel or VOLTAGE_LABEL)
    axes[0].set_ylabel("Current (A/g), cathodic < 0")
    axes[0].legend(fontsize=8)
    axes[0].set_title(f"cycle {cyc}")
    if curves:
        c = curves[-1]
        k = (c.segment == 2 * (cyc - 1)) | (c.segment == 2 * (cyc - 1) + 1)
        for m, im in c.mechanism_current_A_per_g.items():
            if np.nanmax(np.abs(im[k])) > 1e-3 * np.nanmax(np.abs(c.current_A_per_g[k])):
                axes[1].plot(c.voltage_V[k], im[k], color=COLORS.get(m), label=LABELS.get(m, m))
        axes[1].plot(
            c.voltage_V[k], c.current_A_per_g[k], color="k", lw=0.8, ls="--", label="total"
        )
        axes[1].axhline(0, color="0.6", lw=0.6)
        axes[1].set_xlabel(vlabel or VOLTAGE_LABEL)
        axes[1].set_ylabel("Current by mechanism (A/g)")
        axes[1].set_title(f"{c.scan_rate_mV_per_s:g} mV/s, true mechanism currents")
        axes[1].legend(fontsize=8)
    fig.suptitle(title, fontsize=10)
    from hemcell.figures import save_figure

    save_figure(fig, path, dpi=130)


def b_value_plot(summary: dict, path: Path, title: str = "") -> None:
    """log|i_peak| vs log v with the power-law fits (left); capacitive fraction from the
    k₁/k₂ split vs the model's true capacitive share (right)."""
    plt = _plt()
    v = np.asarray(summary["scan_rates_mV_per_s"], dtype=float)
    fig, axes = plt.subplots(1, 2, figsize=(10, 4))
    for kind, col in (("cathodic", "#4C72B0"), ("anodic", "#C44E52")):
        i = np.abs(np.asarray(summary["peaks"][kind]["current_A_per_g"], dtype=float))
        axes[0].loglog(v, i, "o", color=col, label=kind)
        b = summary["b_value"].get(kind)
        if b is not None and v.size >= 2:
            a = summary["b_value"][f"{kind}_a_A_per_g"]
            vv = np.geomspace(v.min(), v.max(), 50)
            axes[0].loglog(vv, a * vv**b, "-", color=col, label=f"b = {b:.3f}")
    where = (
        f"at {summary['at_voltage_V']} V" if summary.get("at_voltage_V") is not None else "peaks"
    )
    axes[0].set_xlabel("Scan rate (mV/s)")
    axes[0].set_ylabel(f"|i| {where} (A/g)")
    axes[0].legend(fontsize=8)
    cf = [np.nan if x is None else x for x in summary["capacitive_fraction"]]
    tc = [np.nan if x is None else x for x in summary["true_capacitive_fraction"]]
    axes[1].semilogx(v, cf, "o-", label="k$_1$v / i (Dunn/Liu split)")
    axes[1].semilogx(v, tc, "s--", label="true: space charge + double layer")
    axes[1].set_ylim(0, 1.05)
    axes[1].set_xlabel("Scan rate (mV/s)")
    axes[1].set_ylabel("Capacitive fraction")
    axes[1].legend(fontsize=8)
    fig.suptitle(title, fontsize=10)
    from hemcell.figures import plain_log_ticks, save_figure

    for axis in (axes[0].xaxis, axes[0].yaxis, axes[1].xaxis):
        plain_log_ticks(axis)
    save_figure(fig, path, dpi=130)


def cycle_life_plot(res, path: Path, title: str = "") -> Path:
    """Charge capacity per initial gram and active fraction vs cycle (cycling.CycleLife)."""
    plt = _plt()
    fig, ax = plt.subplots(figsize=(6, 4.2))
    ax.plot(res.cycles, res.charge_capacity_mAh_per_g, "o-", color="C0", ms=4,
            label="charge capacity (evaluated cycles)")
    ax.set_xlabel("Cycle")
    ax.set_ylabel("Capacity (mAh g$^{-1}$ initial active material)")
    ax.set_ylim(bottom=0)
    ax2 = ax.twinx()
    ax2.plot(res.cycles, res.active_fraction, "--", color="C3", label="active fraction")
    ax2.set_ylabel("Active fraction ε$_s$/ε$_{s,0}$", color="C3")
    ax2.set_ylim(0, 1.05)
    ax.set_title(title or "Cycle life", fontsize=9)
    h1, l1 = ax.get_legend_handles_labels()
    h2, l2 = ax2.get_legend_handles_labels()
    ax.legend(h1 + h2, l1 + l2, frameon=False, fontsize=8, loc="lower left")
    from hemcell.figures import save_figure

    save_figure(fig, path, dpi=150)
    return path
