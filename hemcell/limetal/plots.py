"""Figures of the Li-metal cell commands (matplotlib, Agg backend)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from hemcell.limetal.timetext import hours_text


def _plt() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def plot_rate(path: Path, curves: Mapping[str, Sequence[Mapping[str, Any]]],
              rates: Mapping[str, Sequence[float]],
              capacities: Mapping[str, Sequence[float]],
              paper: tuple[Sequence[float], Sequence[float]] | None = None,
              temperature_K: float | None = None) -> None:
    """Voltage vs capacity at each C-rate, and capacity vs C-rate with the paper's values
    (measured at room temperature; the title gives the run's ``temperature_K``)."""
    plt = _plt()
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(10, 4))
    styles = ["-", "--", ":"]
    for k, (label, cs) in enumerate(curves.items()):
        cmap = plt.get_cmap("viridis")
        for j, (c, cur) in enumerate(zip(rates[label], cs, strict=True)):
            a1.plot(cur["capacity_mAh_per_g"], cur["voltage_V"], styles[k % 3],
                    color=cmap(j / max(1, len(cs) - 1)),
                    label=f"{label} {c:g}C" if k == 0 or j == 0 else None)
        a2.plot(rates[label], capacities[label], "o" + styles[k % 3], label=f"hemcell {label}")
    if paper is not None:
        a2.plot(paper[0], paper[1], "ks", mfc="none",
                label="seed 004 (AZCNF-Li, room temperature)")
    a1.set_xlabel("capacity (mAh/g LFP)")
    a1.set_ylabel("voltage vs Li (V)")
    a1.set_title("Li||LFP discharge" + ("" if temperature_K is None
                                        else f" at {temperature_K:.2f} K"))
    a1.legend(fontsize=7)
    a2.set_xscale("log")
    a2.set_xlabel("C-rate (1C = 170 mA/g)")
    a2.set_ylabel("discharge capacity (mAh/g)")
    a2.legend(fontsize=8)
    from matplotlib import ticker

    from hemcell.figures import save_figure

    # ticks at the C-rates run, in plain numbers (was 10⁻¹, 10⁰ and no label at 3C, 4C)
    a2.xaxis.set_major_locator(ticker.FixedLocator(sorted({c for r in rates.values()
                                                           for c in r})))
    a2.xaxis.set_major_formatter(ticker.FuncFormatter(lambda x, _pos: f"{x:g}"))
    a2.xaxis.set_minor_formatter(ticker.NullFormatter())
    save_figure(fig, path, dpi=120)


def plot_cycling(path: Path, records: Mapping[str, Any],
                 targets: Mapping[str, tuple[int, float]] | None = None) -> None:
    """Discharge capacity, Coulombic efficiencies, layer resistance, the LFP's active
    (crosstalk) and wetted fractions and the electrolyte left vs cycle; ``targets`` maps a
    label to (cycle, paper capacity in mAh/g). A solved row is drawn at its last cycle
    (``cycle_last``): with ``stride`` > 1 its values hold after the cycles it stands for
    (the last point of ``--cycles 300 --stride 10`` sat at cycle 292, not 300)."""
    plt = _plt()
    fig, axs = plt.subplots(2, 2, figsize=(11, 7))
    axs = axs.ravel()
    frac = axs[3].twinx()
    for label, rec in records.items():
        x = rec.cycle_last
        cycles = list(x)
        caps = list(rec.discharge_mAh_per_g)
        if rec.dry_out_cycle is not None:  # show the dried-out cell at zero capacity
            cycles.append(rec.dry_out_cycle)
            caps.append(0.0)
        line, = axs[0].plot(cycles, caps, label=label)
        if targets and label in targets:
            axs[0].plot([targets[label][0]], [targets[label][1]], "s", mfc="none",
                        color=line.get_color(), label=f"seed 004 {label}")
        axs[1].plot(x, [100 * c for c in rec.cell_ce], color=line.get_color(),
                    label=f"{label} cell")
        axs[1].plot(x, [100 * c for c in rec.li_ce], "--", color=line.get_color(),
                    label=f"{label} Li electrode")
        axs[2].plot(x, rec.layer_resistance_ohm_cm2, color=line.get_color(), label=label)
        axs[3].plot(x, rec.free_electrolyte_uL, color=line.get_color(),
                    label=f"{label} free electrolyte")
        frac.plot(x, rec.lfp_active_fraction, "-.", color=line.get_color(),
                  label=f"{label} LFP active")
        frac.plot(x, rec.cathode_wetted_fraction, ":", color=line.get_color(),
                  label=f"{label} LFP wetted")
    axs[0].set_ylabel("discharge capacity (mAh/g)")
    axs[1].set_ylabel("Coulombic efficiency (%)")
    axs[2].set_ylabel("dead-Li/SEI layer resistance (Ohm cm2)")
    axs[3].axhline(0.0, color="k", lw=0.5)
    axs[3].set_ylabel("free electrolyte after the cycle (uL)\n(< 0: LFP pores draining)")
    frac.set_ylabel("LFP fraction active (crosstalk) / wetted")
    frac.set_ylim(0.0, 1.05)
    frac.legend(fontsize=7, loc="lower left")
    for a in axs:
        a.set_xlabel("cycle")
        a.legend(fontsize=7)
    from hemcell.figures import save_figure

    save_figure(fig, path, dpi=120)


def _tip_panel(ax: Any, results: Mapping[str, Any], x_of: Any, x_label: str,
               colors: Mapping[str, Any]) -> None:
    """Dendrite-tip (protrusion) length per cycle of each result against its separator
    thickness (dashed), the short-circuit law's quantities (:mod:`hemcell.limetal.short`).

    Parameters
    ----------
    ax
        Matplotlib axes.
    results
        Label → result with ``protrusion_um`` (per cycle, may be ``None``),
        ``separator_thickness_um`` and ``failure_mode``.
    x_of
        ``x_of(result, n)``: the x values of a result's first ``n`` cycles.
    x_label
        The x axis' label.
    colors
        Label → line colour (that of the result's other panels).
    """
    for label, r in results.items():
        tips = r.protrusion_um or []
        ax.plot(x_of(r, len(tips)), tips, color=colors.get(label),
                label=f"{label} ({r.failure_mode or 'no failure'})")
    separators = {r.separator_thickness_um for r in results.values()
                  if r.separator_thickness_um is not None}
    for s_um in separators:
        ax.axhline(s_um, ls="--", color="grey")
    ax.set_xlabel(x_label)
    ax.set_ylabel("protrusion length (µm)")
    ax.set_title("dendrite tip per cycle (dashed: separator)")
    ax.legend()


def plot_symmetric(path: Path, results: Mapping[str, Any]) -> None:
    """Overpotential per cycle vs time, the voltage trace of the first cycles, and the
    protrusion length per cycle against the separator thickness (:func:`_tip_panel`)."""
    plt = _plt()
    fig, (a1, a2, a3) = plt.subplots(1, 3, figsize=(15, 4))
    colors = {}
    for label, r in results.items():
        t_h = [t / 3600 for t in r.cycle_end_time_s[:len(r.overpotential_V)]]
        line, = a1.plot(t_h, [1e3 * v for v in r.overpotential_V], label=label)
        colors[label] = line.get_color()
        if r.time_to_failure_h is not None:
            a1.axvline(r.time_to_failure_h, ls=":", color=line.get_color())
        ts, vs = [], []
        for n, v in enumerate(r.overpotential_V[:5]):
            t0 = (r.cycle_end_time_s[n - 1] if n else 0.0) / 3600
            th = (r.cycle_end_time_s[n] / 3600 - t0) / 2
            ts += [t0, t0 + th, t0 + th, t0 + 2 * th]
            vs += [v, v, -v, -v]
        a2.plot(ts, [1e3 * v for v in vs], color=line.get_color(), label=label)
    a1.set_xlabel("time (h)")
    a1.set_ylabel("overpotential (mV)")
    a1.set_title("Li||Li overpotential per cycle (dotted: failure)")
    a1.legend()
    a2.set_xlabel("time (h)")
    a2.set_ylabel("cell voltage (mV)")
    a2.set_title("first cycles")
    _tip_panel(a3, results, lambda r, n: [t / 3600 for t in r.cycle_end_time_s[:n]],
               "time (h)", colors)
    from hemcell.figures import save_figure

    save_figure(fig, path, dpi=120)


def plot_nucleation(path: Path, results: Mapping[str, Any], series: Mapping[str, float]
                    ) -> None:
    """Cell voltage of the first plating on Cu (log time) and nuclei density."""
    plt = _plt()
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(10, 4))
    for label, r in results.items():
        t = r.t_s[1:]
        v = [-1e3 * (e + series[label]) for e in r.overpotential_V[1:]]
        a1.semilogx(t, v, label=label)
        a2.loglog(t, [max(n, 1.0) for n in r.nuclei_per_m2[1:]], label=label)
    a1.set_xlabel("time (s)")
    a1.set_ylabel("cell voltage Cu vs Li (mV)")
    a1.set_title("Li plating on Cu")
    a1.legend()
    a2.set_xlabel("time (s)")
    a2.set_ylabel("nuclei per m²")
    a2.legend()
    from hemcell.figures import plain_log_ticks, save_figure

    plain_log_ticks(a1.xaxis)  # time in plain seconds (was 10⁻², 10⁰, ...)
    save_figure(fig, path, dpi=120)


def plot_licu(path: Path, results: Mapping[str, Any]) -> None:
    """Coulombic efficiency and overpotential per cycle of Li‖Cu cells, and the dendrite
    tip per cycle against the separator thickness (:func:`_tip_panel`)."""
    plt = _plt()
    fig, (a1, a2, a3) = plt.subplots(1, 3, figsize=(15, 4))
    colors = {}
    for label, r in results.items():
        n = list(range(1, len(r.coulombic_efficiency) + 1))
        line, = a1.plot(n, [100 * c for c in r.coulombic_efficiency], label=label)
        colors[label] = line.get_color()
        a2.plot(n, [1e3 * v for v in r.overpotential_V], color=line.get_color(), label=label)
    a1.set_xlabel("cycle")
    a1.set_ylabel("Coulombic efficiency (%)")
    a2.set_xlabel("cycle")
    a2.set_ylabel("overpotential (mV)")
    a1.legend()
    a2.legend()
    _tip_panel(a3, results, lambda r, n: list(range(1, n + 1)), "cycle", colors)
    from hemcell.figures import save_figure

    save_figure(fig, path, dpi=120)


def plot_zinc_symmetric(path: Path, results: Mapping[str, Any],
                        ce_vs_current: Mapping[str, tuple[Sequence[float], Sequence[float]]],
                        operating_mA_per_cm2: float) -> None:
    """Zn‖Zn: Zn left in the foil over time, and Coulombic efficiency vs current density.

    ``results`` maps the anode to its :class:`hemcell.limetal.zinc.ZincSymmetricResult`;
    ``ce_vs_current`` maps it to (current densities [mA cm⁻²], CE [–]) at the same
    plated capacity.
    """
    plt = _plt()
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(10, 4))
    for label, r in results.items():
        q0 = r.foil_charge_C_per_m2
        life_h = r.life_s / 3600.0
        cycle_h = 2 * r.half_cycle_time_s / 3600.0
        loss = r.her_charge_per_cycle_C_per_m2
        line, = a1.plot([0.0, life_h], [q0 / 36000.0, (q0 - loss * life_h / cycle_h) / 36000.0],
                        label=f"{label}: {hours_text(life_h)}")
        a1.axvline(life_h, ls=":", color=line.get_color())
        j, ce = ce_vs_current[label]
        a2.semilogx(j, [100 * c for c in ce], color=line.get_color(), label=label)
        a2.plot([operating_mA_per_cm2], [100 * r.coulombic_efficiency], "o",
                color=line.get_color())
    a1.set_xlabel("time (h)")
    a1.set_ylabel("Zn left in the foil (mAh/cm²)")
    a1.set_title("Zn||Zn inventory (HER loss only; dotted: used up)")
    a1.legend()
    a2.set_xlabel("current density (mA/cm²)")
    a2.set_ylabel("Coulombic efficiency (%)")
    a2.set_title("CE = (i − i_HER,plating)/(i + i_HER,stripping) (dot: this run)",
                 fontsize="medium")
    a2.legend()
    from hemcell.figures import plain_log_ticks, save_figure

    plain_log_ticks(a2.xaxis)  # 0.1, 1, 10, 100 (was 10⁻¹, 10⁰, ...)
    save_figure(fig, path, dpi=120)
