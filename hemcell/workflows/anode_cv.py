"""Cyclic voltammetry of the HEM anode model, with the b-value and k₁/k₂ analyses.

A CV is a voltage-driven experiment: the cell voltage follows a triangle wave
V(t) between ``window = (V_low, V_high)`` at a scan rate v [mV s⁻¹], starting at the
model's rest potential and going cathodic (lithiation) first. It is one PyBaMM step,
``pybamm.step.voltage(np.column_stack([t, V]))`` (a sweep placed after a "Hold at … V"
step is skipped by PyBaMM 26.10, so the sweep is always the first step).

Sign convention of the voltammograms: the IUPAC one, i = −I/m (cathodic = lithiation
current negative), in A g⁻¹ of active material; each mechanism's current is the model's
own ("Anode <mechanism> current [A]"), so Σ_k i_k = i.

Analyses (on the last cycle of every scan rate):

- **b-value** (power law i = a·v^b): the cathodic and anodic peak currents (or the
  currents at a chosen voltage) against v, fitted in log–log by least squares. b = 1 is
  a surface-controlled (capacitive) current, b = ½ a semi-infinite-diffusion-controlled
  one (Randles–Ševčík). Seed 000 L466–469: b = 1 for the space charge of Fe₃O₄ in
  0.01–1 V.
- **k₁/k₂ split** (Liu et al., J. Phys. Chem. C 2007; Wang, Polleux, Lim & Dunn,
  J. Phys. Chem. C 111 (2007) 14925): at each voltage of each branch,
  i(V) = k₁(V) v + k₂(V) v^½ is fitted across the scan rates (least squares); the
  capacitive fraction at rate v is ∫|k₁ v| dV / ∫|i| dV over both branches. Its fit
  quality is reported per voltage (R² across the rates, k₁, k₂); a fraction outside
  [0, 1] is flagged with its reason, never clamped: above 1 the fitted diffusive part
  k₂ v^½ opposes the current somewhere (k₂ of the opposite sign), so |k₁ v| > |i| there —
  the currents do not follow k₁ v + k₂ v^½ (for an all-capacitive current k₂ ≈ 0 and its
  sign is the solver's noise).
- **True shares**: the charge each mechanism passes over the cycle, ∫|i_k| dt / Σ∫|i_k| dt,
  and the true capacitive fraction (space charge + double layer).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from hemcell.errors import InputError, SimulationError

#: mechanisms whose current is capacitive by construction (surface-controlled)
CAPACITIVE = ("space_charge", "double_layer")


# ---------------------------------------------------------------------------- analysis
def power_law_fit(v: Sequence[float], i: Sequence[float]) -> dict[str, float]:
    """Fit |i| = a·v^b by linear least squares in log–log.

    Returns
    -------
    dict
        ``b``, ``a`` (in the units of ``i`` at v = 1) and ``r2`` of the log–log fit.
    """
    v = np.asarray(v, dtype=float)
    i = np.abs(np.asarray(i, dtype=float))
    if v.size < 2 or np.any(v <= 0) or np.any(i <= 0):
        raise InputError("b-value fit", f"{v.size} scan rates", "two or more positive rates")
    x, y = np.log(v), np.log(i)
    b, ln_a = np.polyfit(x, y, 1)
    res = y - (b * x + ln_a)
    ss = float(np.sum((y - y.mean()) ** 2))
    r2 = 1.0 - float(np.sum(res**2)) / ss if ss > 0 else 1.0
    return {"b": float(b), "a": float(np.exp(ln_a)), "r2": r2}


def k1k2_fit(v: Sequence[float], i: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Fit i(V) = k₁ v + k₂ v^½ across scan rates at every voltage.

    Parameters
    ----------
    v
        Scan rates (n_rates,), any consistent unit.
    i
        Currents (n_rates, n_voltages) on a common voltage grid.

    Returns
    -------
    (k1, k2)
        Arrays (n_voltages,); exact for two rates, least squares for more.
    """
    v = np.asarray(v, dtype=float)
    i = np.atleast_2d(np.asarray(i, dtype=float))
    if v.size < 2 or i.shape[0] != v.size:
        raise InputError("k1/k2 fit", f"{v.size} scan rates", "two or more, one row per rate")
    A = np.column_stack([v, np.sqrt(v)])
    coef, *_ = np.linalg.lstsq(A, i, rcond=None)
    return coef[0], coef[1]


def k1k2_quality(v: Sequence[float], i: np.ndarray, k1: np.ndarray, k2: np.ndarray
                 ) -> dict[str, Any]:
    """Fit quality of i(V) = k₁ v + k₂ v^½ at every voltage.

    Parameters
    ----------
    v, i
        As for :func:`k1k2_fit`; ``k1``, ``k2`` its result.

    Returns
    -------
    dict
        ``r2`` (n_voltages,): 1 − Σ_rates res² / Σ_rates (i − ī)² at each voltage
        (None with two rates: the fit is exact, nothing to judge; 1 where the current
        does not vary with the rate); ``opposing`` (n_voltages,) bool: k₂ v^½ and the
        current of opposite signs at the fastest rate (the diffusive part subtracts, so
        |k₁ v| exceeds |i|).
    """
    v = np.asarray(v, dtype=float)
    i = np.atleast_2d(np.asarray(i, dtype=float))
    model = np.outer(v, k1) + np.outer(np.sqrt(v), k2)
    if v.size > 2:
        ss_res = np.sum((i - model) ** 2, axis=0)
        ss_tot = np.sum((i - i.mean(axis=0)) ** 2, axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            r2 = np.where(ss_tot > 0, 1.0 - ss_res / ss_tot, 1.0)
        r2_list: list[float | None] = [float(x) for x in r2]
    else:
        r2_list = [None] * i.shape[1]
    opposing = np.sign(k2) * np.sign(i[int(np.argmax(v))]) < 0
    return {"r2": r2_list, "opposing": opposing}


#: Least R² of the log-log fit log|i| = log a + b log v for a b-value to describe the
#: peak currents (assumed: a power law that explains less than half of the variance of
#: log|i| over the scan rates is no law of them; the K-ion FeS anodic peak gave b = 0.049
#: at R² 0.22, the rock-salt's branches R² ≥ 0.87).
B_VALUE_MIN_R2 = 0.5


def b_value_warnings(b: dict[str, Any]) -> list[str]:
    """One warning per branch whose b-value is not positive or whose log-log fit has an
    R² below :data:`B_VALUE_MIN_R2`.

    |i| = a v^b reads b = 0.5 as semi-infinite diffusion (Randles–Ševčík) and b = 1 as a
    surface-controlled current (seed 000 L466–469); a peak current that does not grow
    with the scan rate (b ≤ 0), or that the power law does not follow, is neither, and
    the number is not a b-value of a process (e.g. an anodic peak that moves to another
    process as the rate rises).

    Parameters
    ----------
    b
        ``summary.json``'s ``b_value``: per branch ``kind`` the fitted b (or None) and
        ``<kind>_r2``.
    """
    out = []
    for kind in ("cathodic", "anodic"):
        value = b.get(kind)
        r2 = b.get(f"{kind}_r2")
        fit = f" (R² {r2:.2f} of the log-log fit)" if r2 is not None else ""
        if value is None:
            continue
        if not value > 0:
            why = "does not grow with the scan rate"
        elif r2 is not None and r2 < B_VALUE_MIN_R2:
            why = "does not follow a power law of the scan rate"
        else:
            continue
        out.append(f"{kind} b-value {value:.3f}{fit}: the {kind} peak current {why}, so "
                   "|i| = a v^b describes no diffusion (0.5) or surface (1) process here; "
                   "see the peaks in summary.json or give --at-voltage")
    return out


def capacitive_fraction_warnings(rates: Sequence[float], fractions: Sequence[float | None],
                                 grid: np.ndarray, quality: dict[str, dict[str, Any]]
                                 ) -> list[str]:
    """One warning per rate whose k₁/k₂ capacitive fraction lies outside [0, 1], with
    the reason (``quality``: per branch, :func:`k1k2_quality`)."""
    out = []
    bad = [(r, f) for r, f in zip(rates, fractions, strict=True)
           if f is not None and not 0.0 <= f <= 1.0]
    if not bad:
        return out
    n_opp = {k: int(np.sum(q["opposing"])) for k, q in quality.items()}
    r2 = [(x, grid[j], k) for k, q in quality.items() for j, x in enumerate(q["r2"])
          if x is not None]
    worst = (f"; lowest R² across the rates {min(r2)[0]:.4g} at {min(r2)[1]:.3f} V "
             f"({min(r2)[2]})" if r2 else "; two rates: the fit is exact (no R²)")
    for rate, f in bad:
        out.append(
            f"capacitive fraction {f:.4f} at {rate:g} mV/s is outside [0, 1] (not clamped): "
            "the diffusive part k2 v^1/2 has the opposite sign to the current at "
            f"{n_opp.get('cathodic', 0)} cathodic and {n_opp.get('anodic', 0)} anodic of "
            f"{len(grid)} voltages, where |k1 v| exceeds |i|{worst}: the currents do not "
            "follow k1 v + k2 v^1/2 there (a nearly all-capacitive current has k2 ~ 0, its "
            "sign is noise: read the fraction as ~1)")
    return out


def capacitive_fractions(
    v: Sequence[float], grid: np.ndarray, i: np.ndarray, k1: np.ndarray
) -> list[float]:
    """Capacitive fraction ∫|k₁ v| dV / ∫|i| dV for every rate (one voltage grid)."""
    out = []
    for n, vn in enumerate(np.asarray(v, dtype=float)):
        tot = np.trapezoid(np.abs(i[n]), grid)
        cap = np.trapezoid(np.abs(k1 * vn), grid)
        out.append(float(cap / tot) if tot > 0 else float("nan"))
    return out


# ---------------------------------------------------------------------------- drive
def triangle_drive(
    v0: float,
    window: tuple[float, float],
    rate_V_per_s: float,
    cycles: int,
    points_per_segment: int = 400,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Voltage drive of a CV: v0 → V_low, then (V_low → V_high → V_low) ... .

    Each cycle is one cathodic sweep (to V_low) and one anodic sweep (to V_high); the
    first cathodic sweep starts at the rest potential ``v0``.

    Returns
    -------
    (t, V, segment)
        Times [s], voltages [V] and the segment index of each point (0, 1 = cycle 1
        cathodic, anodic; 2, 3 = cycle 2; ...).
    """
    lo, hi = window
    vertices = [v0]
    for _ in range(cycles):
        vertices += [lo, hi]
    ts, Vs, seg = [np.array([0.0])], [np.array([v0])], [np.array([0])]
    t_now = 0.0
    for k in range(len(vertices) - 1):
        a, b = vertices[k], vertices[k + 1]
        dur = abs(b - a) / rate_V_per_s
        if dur <= 0:
            continue
        n = max(int(points_per_segment * abs(b - a) / (hi - lo)), 20)
        s = np.linspace(0, 1, n + 1)[1:]
        ts.append(t_now + s * dur)
        Vs.append(a + s * (b - a))
        seg.append(np.full(s.size, k))
        t_now += dur
    return np.concatenate(ts), np.concatenate(Vs), np.concatenate(seg)


#: Smallest start of the drive below the rest potential [V] (:func:`start_offset_V`).
START_OFFSET_MIN_V = 1e-4
#: Time the drive's start offset corresponds to at fast scans [s] (:func:`start_offset_V`).
START_OFFSET_TIME_S = 5e-4
#: Largest start offset [V]: well below RT/F (25.7 mV at 298 K), so that the start
#: stays a small-signal step of the kinetics (assumed; :func:`start_offset_V`).
START_OFFSET_MAX_V = 1e-2


def start_offset_V(rate_V_per_s: float) -> float:
    """How far below the rest potential the drive of a scan at ``rate_V_per_s`` starts [V]:
    v · :data:`START_OFFSET_TIME_S` within [:data:`START_OFFSET_MIN_V`,
    :data:`START_OFFSET_MAX_V`].

    PyBaMM 26.10's voltage-drive step fails (IDA_BAD_K at t = 0) when the drive starts at
    a current too small against the one the sweep builds within IDA's first steps: at
    exactly the rest potential (zero current) at any rate, and 0.1 mV below it from about
    500 mV s⁻¹ (``hem_half_cell_sp``, rock-salt HEO: 200 mV s⁻¹ ran, 500 and 1000 failed).
    The sweep's double-layer current C v grows with the rate, so the offset does too,
    as the voltage the drive covers in 0.5 ms (found by trial, not derived: 0.25, 0.5,
    2.5 and 10 mV at 500, 1000, 5000, 20 000 mV s⁻¹ run, SP and P2D); up to 200 mV s⁻¹
    it stays 0.1 mV, as before. The charge of the start step, C_dl times the offset, is
    negligible (and with ``--cycles`` ≥ 2 the analyses use the last cycle). Above
    20 V s⁻¹ the offset stays 10 mV (a larger jump would no longer be a small step of
    the kinetics) and a scan that fails at its start is reported as before.
    """
    return min(START_OFFSET_MAX_V,
               max(START_OFFSET_MIN_V, float(rate_V_per_s) * START_OFFSET_TIME_S))


def drive_with_end_hold(t: np.ndarray, V: np.ndarray) -> np.ndarray:
    """The drive's (t, V) table with its last voltage held for as long again after its end.

    The step still ends at ``t[-1]`` (its duration), but IDA steps past the end of the
    step and interpolates back, and PyBaMM's interpolant extrapolates the drive linearly:
    past a fast sweep's last vertex the voltage kept rising at the scan rate, and at
    2e5 mV s⁻¹ (``hem_half_cell_sp``, rock-salt HEO) the solver failed at t = 30 ms of a
    25 ms sweep. Held, the drive inside the step is unchanged (1e5 mV s⁻¹ gives the same
    currents either way) and the rates up to :func:`check_scan_rates_followed`'s bound run.
    """
    return np.vstack([np.column_stack([t, V]), [2.0 * t[-1], V[-1]]])


# ---------------------------------------------------------------------------- running
@dataclass
class CVCurve:
    """One simulated voltammogram (all cycles) at one scan rate."""

    scan_rate_mV_per_s: float
    time_s: np.ndarray
    voltage_V: np.ndarray
    current_A_per_g: np.ndarray  # i = −I/m: cathodic (lithiation) negative
    mechanism_current_A_per_g: dict[str, np.ndarray]
    segment: np.ndarray  # 2(c−1) cathodic, 2(c−1)+1 anodic of cycle c
    solve_time_s: float
    completed: bool = True
    error: str | None = None
    start_voltage_V: float | None = None  # the drive's start, :func:`start_offset_V`

    def branch(self, cycle: int, kind: str) -> dict[str, np.ndarray]:
        """Arrays of one branch (``cathodic``/``anodic``) of ``cycle`` (1-based),
        sorted by increasing voltage."""
        seg = 2 * (cycle - 1) + (0 if kind == "cathodic" else 1)
        k = self.segment == seg
        order = np.argsort(self.voltage_V[k])
        out = {
            "voltage_V": self.voltage_V[k][order],
            "current_A_per_g": self.current_A_per_g[k][order],
            "time_s": self.time_s[k][order],
        }
        for m, im in self.mechanism_current_A_per_g.items():
            out[m] = im[k][order]
        return out


@dataclass
class CVResult:
    """All scan rates of a CV run."""

    recipe: Any
    parameter_set: Any
    si: dict[str, Any]
    mechanisms: tuple[str, ...]
    window: tuple[float, float]
    cycles: int
    start_voltage_V: float
    mass_g: float
    curves: list[CVCurve] = field(default_factory=list)


def _rest_state(rec: Any, pv: Any, inv: Any) -> tuple[float, float]:
    """The model's own cell voltage at zero current at t = 0 (where the sweep starts) [V]
    and its electrode's double-layer capacitance there [F].

    Solved rather than computed, so that the drive starts exactly at the initial state
    (a jump of a few mV would give a large double-layer/Butler–Volmer spike). The
    capacitance is C_dl a L A: the areal double-layer capacity times the model's own
    active surface area per volume at t = 0, the electrode thickness and its area."""
    from hemcell.cell.mechanisms.base import AnodeNames
    from hemcell.workflows.anode import build_simulation

    pv0 = pv.copy()
    pv0.update({"Current function [A]": 0.0}, check_already_exists=False)
    sol = build_simulation(rec, pv0, inv).solve([0.0, 1e-3])
    a_s = np.asarray(sol[AnodeNames.a_s].entries)
    a_s_per_m = float(np.mean(a_s.reshape(-1, a_s.shape[-1])[:, 0]))  # t = 0
    area_m2 = (float(pv["Electrode width [m]"]) * float(pv["Electrode height [m]"])
               * float(pv["Number of electrodes connected in parallel to make a cell"]))
    c_F = (float(pv["Anode double-layer capacity [F.m-2]"]) * a_s_per_m
           * float(pv["Positive electrode thickness [m]"]) * area_m2)
    return float(np.asarray(sol["Voltage [V]"].entries).reshape(-1)[0]), c_F


def check_scan_rates_followed(rates_mV_per_s: Sequence[float], window: tuple[float, float],
                              separator_resistance_ohm: float, capacitance_F: float,
                              relaxation_time_s: float) -> None:
    r"""Refuse scan rates at which the electrode's interface cannot follow the drive.

    The double layer (capacitance :math:`C`, relaxation time :math:`\tau_{dl}`: a
    resistance :math:`\tau_{dl}/C` in series) charges through at least the separator's
    electrolyte :math:`R_s` (the faradaic currents in parallel only add current, hence
    drop): under a sweep at rate v its voltage lags the drive by at least
    :math:`v\,\tau` with :math:`\tau = R_s C + \tau_{dl}`, the drop of its charging
    current :math:`C v` across both. When :math:`v\,\tau > V_{high} - V_{low}` the
    sweep crosses the window before the interface has moved across it: the
    voltammogram is the cell's RC lag, not the electrode's mechanisms (and the solver
    fails at the start of the sweep). The bound is :math:`v < (V_{high} - V_{low})/\tau`;
    the electrode's electrolyte, kinetics and counter electrode add to τ, so a rate
    below it may still lag by much of the window (``hem_half_cell_sp``, rock-salt HEO:
    C = 5.9 mF, R_s = 0.56 Ω, τ_dl = 10 ms, so τ = 13.3 ms and the bound 2.25e5 mV s⁻¹;
    2.2e5 runs, its voltammogram already mostly the lag: 0.25 mAh g⁻¹ pass).
    """
    if not (0 < separator_resistance_ohm < np.inf and capacitance_F > 0):
        return  # no conducting electrolyte or no double layer: no finite RC lag
    tau_s = separator_resistance_ohm * capacitance_F + relaxation_time_s
    span_V = window[1] - window[0]
    max_mV_per_s = span_V / tau_s * 1e3
    fast = [r for r in rates_mV_per_s if r >= max_mV_per_s]
    if fast:
        raise InputError(
            "--scan-rates", ",".join(f"{r:g}" for r in fast),
            f"scan rates below {max_mV_per_s:.3g} mV/s: the double layer's charging "
            f"current C v (C = {capacitance_F:.3g} F) through the separator's electrolyte "
            f"(R = {separator_resistance_ohm:.3g} Ohm) and its own relaxation "
            f"({relaxation_time_s:.3g} s) lags the drive by v x {tau_s * 1e3:.3g} ms, more "
            f"than the {window[0]:g}-{window[1]:g} V window at these rates: the interface "
            "never follows the sweep",
            hint="a narrower --window lowers the bound; lower the scan rate, or look at the "
            "electrode's fast response with `hemcell eis`")


def run_cv(
    recipe: str,
    params: str,
    scan_rates_mV_per_s: Sequence[float],
    window: tuple[float, float] = (0.01, 3.0),
    cycles: int = 1,
    mechanisms: Sequence[str] | None = None,
    overrides: Sequence[str] | None = None,
    ion: str | None = None,
    points_per_segment: int = 400,
    mesh: dict[str, int] | None = None,
    progress: Callable[[str], None] | None = None,
) -> CVResult:
    """Simulate linear-sweep cyclic voltammetry at each scan rate.

    Parameters
    ----------
    recipe, params, mechanisms, overrides
        As :func:`hemcell.workflows.anode.run_cell` (half cells only).
    scan_rates_mV_per_s
        Scan rates [mV s⁻¹].
    window
        (V_low, V_high) [V] vs the counter electrode.
    cycles
        Number of cathodic + anodic cycles (analyses use the last one).
    ion
        Carrier ion (``Li``, ``Na``, ``K``), see :mod:`hemcell.cell.carriers`.
    points_per_segment
        Output points per full-window sweep.
    mesh
        Mesh points overriding the recipe's (e.g. ``{"r_p": 100}`` to resolve a thin
        diffusion layer in the particles).
    progress
        Called with one line per finished scan rate (a P2D run of five rates takes
        minutes).

    Raises
    ------
    InputError
        Bad window, rates, cycles, recipe or parameters.
    SimulationError
        If no scan rate could be solved.
    """
    import pybamm

    from hemcell.cell.capacity import active_mass_g
    from hemcell.cell.electrolytes import separator_resistance_ohm
    from hemcell.cell.parameters import pybamm_values
    from hemcell.cell.protocols import check_cycles
    from hemcell.cell.recipes import Recipe, load_recipe
    from hemcell.workflows.anode import ExperimentCallback, build_simulation, resolve_model

    lo, hi = (float(window[0]), float(window[1]))
    if not (0 <= lo < hi):
        raise InputError("--window", window, "V_low,V_high with 0 <= V_low < V_high")
    rates = [float(r) for r in scan_rates_mV_per_s]
    if not rates or any(not (r > 0) for r in rates):
        raise InputError("--scan-rates", scan_rates_mV_per_s, "positive scan rates in mV/s")
    if len(set(rates)) < len(rates):
        raise InputError("--scan-rates", scan_rates_mV_per_s, "each scan rate once (the "
                         "b-value and k1/k2 fits need distinct rates)")
    check_cycles(cycles)
    rec = recipe if isinstance(recipe, Recipe) else load_recipe(recipe)
    rec = rec.with_mechanisms(list(mechanisms) if mechanisms else None)
    if mesh:
        import dataclasses

        rec = dataclasses.replace(rec, mesh={**rec.mesh, **{k: int(v) for k, v in mesh.items()}})
    if rec.cell != "half":
        from hemcell.cell.recipes import list_recipes

        anodes = [n for n in list_recipes() if load_recipe(n).cell == "half"]
        raise InputError(
            "RECIPE", rec.name, f"a HEM anode half-cell recipe (CV vs the metal counter "
            f"electrode): one of {anodes} or a YAML path",
            hint="cell cv models the HEM anode's mechanisms; a cathode half cell or a full "
            "cell has no CV here")
    rec, si, ps, inv = resolve_model(rec, params, mechanisms, overrides, ion, command="cell cv")
    pv = pybamm_values(si, inv, mechanisms=rec.mechanisms, reader=f"recipe {rec.name}")
    # the cell's temperature as `cell run` checks it (a CV at 380 K vs Na metal, molten
    # at 370.9 K, ran and said nothing): a solid counter electrode (refused otherwise),
    # then the electrolytes' temperature warnings
    from hemcell.cell.electrolytes import half_cell_temperature_warnings
    from hemcell.materials.lipf6_electrolyte import valoen_electrolyte_warnings
    from hemcell.runinfo import report_warnings

    table = half_cell_temperature_warnings(si.get("_carrier_ion", "Li"),
                                           float(pv["Ambient temperature [K]"]))
    report_warnings(valoen_electrolyte_warnings(pv))
    report_warnings(table)
    if "conversion" in rec.mechanisms:
        # as `cell run` warns, with the sweep's lower end as the cut-off (the rock salt
        # swept vs Na showed no conversion peak without a word)
        from hemcell.cell.mechanisms.conversion import onset_below_cutoff_warnings

        pv.update({"Lower voltage cut-off [V]": lo}, check_already_exists=False)
        report_warnings(onset_below_cutoff_warnings(pv, inv.conversion))
    # the drive touches the window edges: keep the voltage events outside them
    pv.update(
        {"Lower voltage cut-off [V]": lo - 0.5, "Upper voltage cut-off [V]": hi + 0.5},
        check_already_exists=False,
    )
    mass = active_mass_g(pv)
    pv.update(
        {"Current function [A]": 0.0},
        check_already_exists=False,
    )
    rest, c_dl_F = _rest_state(rec, pv, inv)
    check_scan_rates_followed(rates, (lo, hi), separator_resistance_ohm(pv), c_dl_F,
                              float(pv["Anode double-layer relaxation time [s]"]))
    res = CVResult(rec, ps, si, rec.mechanisms, (lo, hi), cycles,
                   rest - start_offset_V(min(rates) * 1e-3), mass)
    mechs = [*rec.mechanisms, "double_layer"]
    def report(curve: CVCurve) -> None:
        if progress is not None:
            progress(f"scan rate {len(res.curves)} of {len(rates)}, "
                     f"{curve.scan_rate_mV_per_s:g} mV/s: " + (
                         f"solved in {curve.solve_time_s:.1f} s" if curve.completed
                         else f"not completed ({curve.error})"))

    for r in rates:
        v0 = rest - start_offset_V(r * 1e-3)
        t, V, seg = triangle_drive(v0, (lo, hi), r * 1e-3, cycles, points_per_segment)
        step = pybamm.step.voltage(drive_with_end_hold(t, V), duration=float(t[-1]))
        sim = build_simulation(rec, pv, inv, pybamm.Experiment([step]))
        t0 = time.perf_counter()
        err = None
        try:  # the rate's failure is reported by hemcell, not also by PyBaMM's logger
            sol = sim.solve(callbacks=[ExperimentCallback(recipe_name=rec.name)])
        except Exception as exc:  # solver failures are reported per rate
            res.curves.append(
                CVCurve(r, t, V, np.full_like(t, np.nan), {}, seg, 0.0, False, str(exc), v0)
            )
            report(res.curves[-1])
            continue
        el = time.perf_counter() - t0
        ts = np.asarray(sol["Time [s]"].entries).reshape(-1)
        # evaluate on the drive's own time points (the solver's are adaptive)
        t_use = t[t <= ts[-1] + 1e-9]
        if ts[-1] < t[-1] * (1 - 1e-6):
            err = f"sweep stopped at t = {ts[-1]:.1f} s of {t[-1]:.1f} s ({sol.termination})"

        def ev(name: str, _sol=sol, _t=t_use) -> np.ndarray:
            return np.interp(
                _t,
                np.asarray(_sol["Time [s]"].entries).reshape(-1),
                np.asarray(_sol[name].entries).reshape(-1),
            )

        i = -ev("Current [A]") / mass
        im = {m: ev(f"Anode {m.replace('_', '-')} current [A]") / mass for m in mechs}
        n = t_use.size
        res.curves.append(
            CVCurve(r, t_use, ev("Voltage [V]"), i, im, seg[:n], el, err is None, err, v0)
        )
        report(res.curves[-1])
    if not any(c.completed for c in res.curves):
        raise SimulationError(
            "no scan rate could be solved: " + "; ".join(str(c.error) for c in res.curves),
            step=f"CV {lo}-{hi} V",
            time_s=0.0,
            hint="try a narrower window, fewer mechanisms or lower scan rates",
        )
    return res


# ---------------------------------------------------------------------------- summary
def _grid(window: tuple[float, float], n: int = 300) -> np.ndarray:
    lo, hi = window
    pad = 0.02 * (hi - lo)  # stay away from the vertices (double-layer switching)
    return np.linspace(lo + pad, hi - pad, n)


def _on_grid(br: dict[str, np.ndarray], grid: np.ndarray, key: str) -> np.ndarray:
    v, y = br["voltage_V"], br[key]
    return np.interp(grid, v, y)


def check_at_voltage(at_voltage: float | None, window: Sequence[float]) -> None:
    """Refuse a b-value voltage outside the sweep's window (the current there would be
    the one at the window's end: np.interp holds it)."""
    lo, hi = float(window[0]), float(window[1])
    if at_voltage is not None and not lo < float(at_voltage) < hi:
        raise InputError("--at-voltage", at_voltage, f"a voltage inside the window "
                         f"{lo:g}-{hi:g} V")


def analyse(res: CVResult, at_voltage: float | None = None) -> dict[str, Any]:
    """b-values, k₁/k₂ capacitive fractions and true mechanism shares (last cycle)."""
    check_at_voltage(at_voltage, res.window)
    curves = [c for c in res.curves if c.completed]
    rates = np.array([c.scan_rate_mV_per_s for c in curves])
    cyc = res.cycles
    grid = _grid(res.window)
    mechs = [*res.mechanisms, "double_layer"]
    out: dict[str, Any] = {
        "scan_rates_mV_per_s": rates.tolist(),
        "analysis_cycle": cyc,
        "b_value_method": "voltage" if at_voltage is not None else "peak",
    }
    peaks: dict[str, dict[str, list[float]]] = {}
    b: dict[str, Any] = {}
    branch_i: dict[str, np.ndarray] = {}
    for kind in ("cathodic", "anodic"):
        pk_v, pk_i = [], []
        rows = []
        for c in curves:
            br = c.branch(cyc, kind)
            ig = _on_grid(br, grid, "current_A_per_g")
            rows.append(ig)
            if at_voltage is not None:
                pk_v.append(float(at_voltage))
                pk_i.append(float(np.interp(at_voltage, br["voltage_V"], br["current_A_per_g"])))
            else:
                j = int(np.argmin(ig)) if kind == "cathodic" else int(np.argmax(ig))
                pk_v.append(float(grid[j]))
                pk_i.append(float(ig[j]))
        branch_i[kind] = np.array(rows)
        peaks[kind] = {"voltage_V": pk_v, "current_A_per_g": pk_i}
        ok = len(rates) >= 2 and all((x < 0) if kind == "cathodic" else (x > 0) for x in pk_i)
        if ok:
            fit = power_law_fit(rates, pk_i)
            b[kind] = fit["b"]
            b[f"{kind}_r2"] = fit["r2"]
            b[f"{kind}_a_A_per_g"] = fit["a"]
        else:
            b[kind] = None
    out["b_value"] = b
    out["b_value_warnings"] = b_value_warnings(b)
    out["peaks"] = peaks
    if len(rates) >= 2:
        cap = np.zeros(len(rates))
        tot = np.zeros(len(rates))
        quality: dict[str, dict[str, Any]] = {}
        for kind in ("cathodic", "anodic"):
            k1, k2 = k1k2_fit(rates, branch_i[kind])
            quality[kind] = k1k2_quality(rates, branch_i[kind], k1, k2)
            quality[kind].update(k1=k1.tolist(), k2=k2.tolist())
            for n, vn in enumerate(rates):
                cap[n] += np.trapezoid(np.abs(k1 * vn), grid)
                tot[n] += np.trapezoid(np.abs(branch_i[kind][n]), grid)
        out["capacitive_fraction"] = [
            float(c / t) if t > 0 else None for c, t in zip(cap, tot, strict=True)
        ]
        out["capacitive_fraction_warnings"] = capacitive_fraction_warnings(
            rates.tolist(), out["capacitive_fraction"], grid, quality)
        out["k1k2_fit"] = {"voltage_V": grid.tolist(),
                           "units": {"k1": "A/g per (mV/s)", "k2": "A/g per (mV/s)^0.5"},
                           **{k: {"r2": q["r2"], "k2_opposes_current": q["opposing"].tolist(),
                                  "k1": q["k1"], "k2": q["k2"]}
                              for k, q in quality.items()}}
    else:
        out["capacitive_fraction"] = [None] * len(rates)
        out["capacitive_fraction_warnings"] = []
    # true shares over the whole analysed cycle
    shares, true_cap, charge = [], [], []
    for c in curves:
        k = (c.segment == 2 * (cyc - 1)) | (c.segment == 2 * (cyc - 1) + 1)
        t = c.time_s[k]
        q = {m: float(np.trapezoid(np.abs(c.mechanism_current_A_per_g[m][k]), t)) for m in mechs}
        tot = sum(q.values())
        shares.append({m: (qm / tot if tot > 0 else None) for m, qm in q.items()})
        true_cap.append(sum(q[m] for m in CAPACITIVE if m in q) / tot if tot > 0 else None)
        charge.append(float(np.trapezoid(np.abs(c.current_A_per_g[k]), t)) / 3.6)
    out["true_share_by_mechanism"] = shares
    out["true_capacitive_fraction"] = true_cap
    out["charge_passed_mAh_per_g"] = charge
    return out


def summarize_cv(res: CVResult, at_voltage: float | None = None) -> dict[str, Any]:
    """The ``summary.json`` content of a CV run."""
    s: dict[str, Any] = {
        "recipe": res.recipe.name,
        "parameter_set": getattr(res.parameter_set, "name", str(res.parameter_set)),
        "mechanisms": list(res.mechanisms),
        "window_V": list(res.window),
        "cycles": res.cycles,
        "start_voltage_V": res.start_voltage_V,
        "start_voltage_by_scan_rate_V": [c.start_voltage_V for c in res.curves],
        "active_mass_g": res.mass_g,
        "carrier_ion": res.si.get("_carrier_ion", "Li"),
        "current_sign": "i = -I/m: cathodic (lithiation) negative, A/g of active material",
    }
    s.update(analyse(res, at_voltage))
    s["at_voltage_V"] = at_voltage
    s["solve_time_s"] = [c.solve_time_s for c in res.curves]
    s["completed"] = all(c.completed for c in res.curves)
    errs = [f"{c.scan_rate_mV_per_s} mV/s: {c.error}" for c in res.curves if c.error]
    if errs:
        s["errors"] = errs
    return s


def write_cv_outputs(
    res: CVResult,
    out_dir: str | Path,
    at_voltage: float | None = None,
    command: Sequence[str] | None = None,
    plots_on: bool = True,
) -> dict[str, Any]:
    """Write ``summary.json``, ``cv.csv``, ``cv.png``, ``b_value.png`` and ``run.json``
    (no figures with ``plots_on=False``)."""
    from hemcell.cell import plots
    from hemcell.runinfo import write_run_record, write_summary

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    summary = summarize_cv(res, at_voltage)
    mechs = [*res.mechanisms, "double_layer"]
    cols = ["scan_rate_mV_per_s", "cycle", "branch", "time_s", "voltage_V", "current_A_per_g"]
    cols += [f"{m}_current_A_per_g" for m in mechs]
    rows = []
    for c in res.curves:
        if not c.completed and not c.mechanism_current_A_per_g:
            continue
        n = c.time_s.size
        cols_data = [
            np.full(n, c.scan_rate_mV_per_s),
            c.segment // 2 + 1,
            c.segment % 2,
            c.time_s,
            c.voltage_V,
            c.current_A_per_g,
        ] + [c.mechanism_current_A_per_g[m] for m in mechs]
        rows.append(np.column_stack(cols_data))
    if rows:
        np.savetxt(
            out / "cv.csv",
            np.vstack(rows),
            delimiter=",",
            header=",".join(cols),
            comments="",  # a first line that is not the header breaks pandas.read_csv
            fmt="%.8g",
        )
    if plots_on:
        title = f"{summary['parameter_set']} — {res.recipe.name}"
        plots.cv_plot(res, summary, out / "cv.png", title,
                      vlabel=plots.voltage_label(summary["carrier_ion"]))
        plots.b_value_plot(summary, out / "b_value.png", title)
    write_summary(out, summary)
    try:
        record = {n: p.record() for n, p in res.parameter_set.parameters.items()}
    except Exception:
        record = {k: v for k, v in res.si.items() if not k.startswith("_")}
    write_run_record(
        out,
        record,
        command=command,
        extra={"recipe": res.recipe.__dict__, "window_V": list(res.window), "cycles": res.cycles},
    )
    if not summary["completed"]:
        raise SimulationError(
            "; ".join(summary.get("errors", ["a scan rate did not finish"])),
            step="CV sweep",
            time_s=0.0,
            hint="the finished scan rates were written to --out",
        )
    return summary
