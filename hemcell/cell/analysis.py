"""Post-processing of HEM anode runs: cycles, capacities by mechanism, CE, ΔM, dQ/dV.

Conventions: capacities are in mAh g⁻¹ of active material; "discharge" lithiates the
anode (half-cell), "charge" delithiates it. A *cycle* starts at a lithiating step that
follows a delithiating one (or at the first lithiating step), so any protocol text
(one cycle per repetition or several cycles written out) is split the same way.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

import numpy as np

#: mechanism key used in summaries → name part of the model variables
MECH_VAR = {
    "intercalation": "intercalation",
    "conversion": "conversion",
    "alloying": "alloying",
    "space_charge": "space-charge",
    "irreversible": "irreversible",
    "gel_sei": "gel-sei",
    "double_layer": "double-layer",
}
#: Columns of lumped-thermal runs (full cells, :mod:`hemcell.cell.thermal`) → variables
THERMAL_COLUMNS = {
    "cell_temperature_K": "Volume-averaged cell temperature [K]",
    "total_heating_W": "Total heating [W]",
}
#: A full cell's electrode potentials vs the carrier metal (each electrode's
#: Δφ = φ_s − φ_e, :func:`hemcell.cell.full_cell.electrode_potential_variables`)
ANODE_POTENTIAL = "Anode potential vs carrier metal [V]"
ANODE_MIN_POTENTIAL = "Anode minimum potential vs carrier metal [V]"
CATHODE_POTENTIAL = "Cathode potential vs carrier metal [V]"
#: Their columns (full cells: read when the model has them) → variables
ELECTRODE_POTENTIAL_COLUMNS = {
    "anode_potential_vs_metal_V": ANODE_POTENTIAL,
    "anode_min_potential_vs_metal_V": ANODE_MIN_POTENTIAL,
    "cathode_potential_vs_metal_V": CATHODE_POTENTIAL,
}
#: ΔM per mAh g⁻¹ at P = 1 [emu g⁻¹] (seed 000 eqn 5: 3.6 μ_B / e)
EMU_PER_MAH_PER_G = 3.6 * 9.2740100783e-21 / 1.602176634e-19


@dataclass
class StepData:
    """Arrays of one experiment step."""

    index: int
    description: str
    kind: str  # "lithiation", "delithiation" or "rest"
    data: dict[str, np.ndarray] = field(default_factory=dict)


def _entries(sol: Any, name: str) -> np.ndarray:
    return np.asarray(sol[name].entries, dtype=float).reshape(-1)


def observed_variables(mechanisms: Sequence[str], available: Any = (),
                       timeseries: bool = True) -> dict[str, str]:
    """The model variables a run reads, by the column they fill: everything the summary,
    ``timeseries.csv`` and the figures use, and nothing else.

    Parameters
    ----------
    mechanisms
        The recipe's mechanisms (the double layer is added).
    available
        Names of the model's variables; the :data:`THERMAL_COLUMNS` are read when the
        model has them (lumped-thermal full cells).
    timeseries
        ``False``: only what the summary reads (without the currents, which only
        ``timeseries.csv`` writes; a sweep's fast path writes no time series; the time
        only for a full cell's :func:`anode_potential_minimum`).

    Returns
    -------
    dict
        Column (``StepData.data`` key) → PyBaMM variable name, in column order.
    """
    cols = {
        "time_s": "Time [s]",
        "voltage_V": "Voltage [V]",
        "current_A": "Current [A]",
        "specific_current_A_per_g": "Anode specific current [A.g-1]",
        "capacity_mAh_per_g": "Anode specific capacity [mA.h.g-1]",
        "particle_volumetric_strain": "Anode particle volumetric strain",
        "electrode_volumetric_strain": "Anode electrode volumetric strain",
        "magnetization_change_emu_per_g": "Anode magnetisation change [emu.g-1]",
    }
    for m in [*mechanisms, "double_layer"]:
        v = MECH_VAR[m]
        cols[f"{m}_capacity_mAh_per_g"] = f"Anode {v} specific capacity [mA.h.g-1]"
        cols[f"{m}_current_A"] = f"Anode {v} current [A]"
        cols[f"{m}_charge_Ah"] = f"Anode {v} charge [A.h]"
    cols["charge_passed_Ah"] = "Anode charge passed [A.h]"
    cols.update({c: name for c, name in THERMAL_COLUMNS.items() if name in available})
    cols.update({c: name for c, name in ELECTRODE_POTENTIAL_COLUMNS.items()
                 if name in available})
    if not timeseries:  # (a full cell's summary gives the time of its anode's minimum)
        cols = {c: n for c, n in cols.items() if not _timeseries_only(c)
                or (c == "time_s" and ANODE_MIN_POTENTIAL in available)}
    return cols


def _timeseries_only(column: str) -> bool:
    """Whether only ``timeseries.csv`` writes a column (time, currents, temperature, the
    electrode potentials but the anode's minimum, which the summary reads)."""
    return (column == "time_s" or column.endswith(("current_A", "current_A_per_g"))
            or column in THERMAL_COLUMNS
            or column in ("anode_potential_vs_metal_V", "cathode_potential_vs_metal_V"))


def solved_steps(solution: Any) -> list[Any]:
    """The step solutions of an experiment (the solution itself without cycles), in
    order, without the ``EmptySolution`` of a step that could not run."""
    steps = [s for cyc in solution.cycles for s in cyc.steps] if solution.cycles else [solution]
    return [s for s in steps if type(s).__name__ != "EmptySolution"]


def _observe_by_step(solution: Any, steps: Sequence[Any], names: dict[str, str]
                     ) -> list[dict[str, np.ndarray]]:
    """Every variable of ``names`` of every step, column → array per step.

    Each variable is read once over the whole solution and sliced at the step
    boundaries when the whole solution is the steps laid end to end (the same output
    times); otherwise (a single solve, or a solution whose times differ) step by step.
    """
    lengths = [len(st.t) for st in steps]
    whole = len(steps) > 1 and np.array_equal(
        np.concatenate([st.t for st in steps]), np.asarray(solution.t))
    if not whole:
        return [{c: _entries(st, n) for c, n in names.items()} for st in steps]
    read = {c: _entries(solution, n) for c, n in names.items()}
    bounds = np.cumsum([0, *lengths])
    return [{c: a[b0:b1] for c, a in read.items()} for b0, b1 in pairwise(bounds)]


def step_data(solution: Any, mechanisms: Sequence[str], timeseries: bool = True
              ) -> list[StepData]:
    """Per-step arrays of the :func:`observed_variables` (time, voltage, current,
    capacity, per-mechanism charge/current, ...; ``timeseries=False``: only the
    summary's)."""
    steps = solved_steps(solution)
    if not steps:
        return []
    names = observed_variables(mechanisms, steps[-1].all_models[-1].variables, timeseries)
    out: list[StepData] = []
    for i, (st, d) in enumerate(zip(steps, _observe_by_step(solution, steps, names),
                                    strict=True)):
        dq = d["capacity_mAh_per_g"][-1] - d["capacity_mAh_per_g"][0]
        kind = "lithiation" if dq > 1e-6 else "delithiation" if dq < -1e-6 else "rest"
        desc = str(getattr(st, "description", "")) or f"step {i}"
        out.append(StepData(i, desc, kind, d))
    return out


def split_cycles(steps: Sequence[StepData]) -> list[list[StepData]]:
    """Group steps into lithiation/delithiation cycles."""
    cycles: list[list[StepData]] = []
    current: list[StepData] = []
    seen_delith = False
    for st in steps:
        if st.kind == "lithiation" and (not current or seen_delith):
            if current:
                cycles.append(current)
            current, seen_delith = [], False
        current.append(st)
        if st.kind == "delithiation":
            seen_delith = True
    if current:
        cycles.append(current)
    return cycles


def cycle_summary(
    cycles: Sequence[Sequence[StepData]], mechanisms: Sequence[str], cell: str = "half"
) -> dict[str, list]:
    """Discharge/charge capacity, CE, capacity by mechanism, ΔM and strain per cycle.

    Capacities are per gram of anode active material. In a half-cell "discharge" is the
    anode's lithiation; in a full cell it is the anode's delithiation (the cell's
    discharge), so the two keys swap while ``capacity_by_mechanism_mAh_per_g`` always
    splits the anode's lithiation. CE = delithiation / lithiation in both.
    """
    mechs = [*mechanisms, "double_layer"]
    dis, cha, ce, by_l, by_d, dm, strain_e, strain_p = [], [], [], [], [], [], [], []
    v_dis, v_cha = [], []
    for cyc in cycles:
        q_l = sum(
            max(s.data["capacity_mAh_per_g"][-1] - s.data["capacity_mAh_per_g"][0], 0.0)
            for s in cyc
            if s.kind == "lithiation"
        )
        q_d = sum(
            max(s.data["capacity_mAh_per_g"][0] - s.data["capacity_mAh_per_g"][-1], 0.0)
            for s in cyc
            if s.kind == "delithiation"
        )
        dis.append(q_l)
        cha.append(q_d)
        v_dis.append(_mean_voltage([s for s in cyc if s.kind == "lithiation"]))
        v_cha.append(_mean_voltage([s for s in cyc if s.kind == "delithiation"]))
        # a cycle without a delithiation step (a GITT lithiation) has no CE
        has_delith = any(s.kind == "delithiation" for s in cyc)
        ce.append(q_d / q_l if q_l > 0 and has_delith else None)
        lith, delith = {}, {}
        for m in mechs:
            k = f"{m}_capacity_mAh_per_g"
            lith[m] = float(
                sum(s.data[k][-1] - s.data[k][0] for s in cyc if s.kind == "lithiation")
            )
            delith[m] = float(
                sum(s.data[k][0] - s.data[k][-1] for s in cyc if s.kind == "delithiation")
            )
        by_l.append(lith)
        by_d.append(delith)
        mag = np.concatenate([s.data["magnetization_change_emu_per_g"] for s in cyc])
        dm.append(float(mag.max() - mag.min()))
        strain_e.append(
            float(np.concatenate([s.data["electrode_volumetric_strain"] for s in cyc]).max())
        )
        strain_p.append(
            float(np.concatenate([s.data["particle_volumetric_strain"] for s in cyc]).max())
        )
    if cell == "full":
        dis, cha = cha, dis
        v_dis, v_cha = v_cha, v_dis
    return {
        "discharge_capacity_mAh_per_g": dis,
        "charge_capacity_mAh_per_g": cha,
        "coulombic_efficiency": ce,
        "capacity_by_mechanism_mAh_per_g": by_l,
        "capacity_by_mechanism_delithiation_mAh_per_g": by_d,
        "magnetization_change_emu_per_g": dm,
        "mean_discharge_voltage_V": v_dis,
        "mean_charge_voltage_V": v_cha,
        "mean_working_voltage_V": [
            0.5 * (a + b) if a is not None and b is not None else None
            for a, b in zip(v_dis, v_cha, strict=True)
        ],
        "max_electrode_volumetric_strain": strain_e,
        "max_particle_volumetric_strain": strain_p,
    }


def cell_capacities(cyc: Mapping[str, Any], mass_g: float, pv: Any) -> dict[str, Any]:
    """Each cycle's capacities as the cell delivers them: mAh (the specific capacity times
    the working electrode's active mass, ``mass_g``) and mAh cm⁻² of electrode area (PyBaMM's
    electrode width × height): what a full cell or a coin cell is reported in.

    ``cyc`` holds ``discharge_capacity_mAh_per_g`` and ``charge_capacity_mAh_per_g`` (one
    value per cycle); ``pv`` is the run's ``pybamm.ParameterValues``. A full cell (its
    values give its cathode's density: :func:`electrode_active_masses_g`) also gets its
    capacities per gram of each electrode and its specific energy
    (:func:`electrode_specific_capacities`; ``cyc`` then holds
    ``mean_discharge_voltage_V`` per cycle).
    """
    area_cm2 = float(pv["Electrode width [m]"]) * float(pv["Electrode height [m]"]) * 1e4
    out: dict[str, Any] = {"electrode_area_cm2": area_cm2}
    for kind in ("discharge", "charge"):
        mah = [q * mass_g for q in cyc[f"{kind}_capacity_mAh_per_g"]]
        out[f"{kind}_capacity_mAh"] = mah
        out[f"{kind}_capacity_mAh_per_cm2"] = [q / area_cm2 for q in mah]
    masses = electrode_active_masses_g(pv)
    if masses:
        out.update(electrode_specific_capacities({**cyc, **out}, masses))
    return out


#: The full cells' own values of their cathode's active-material density (``pv`` entry
#: written by :func:`hemcell.cell.full_cell.full_cell_values` and
#: :func:`hemcell.cell.hard_carbon.full_cell_values`; with the anode's,
#: ``Anode active material density [kg.m-3]``, where it has one).
CATHODE_DENSITY = "Cathode active material density [kg.m-3]"
ANODE_DENSITY = "Anode active material density [kg.m-3]"


def electrode_active_masses_g(pv: Any) -> dict[str, float | None]:
    """Active masses of a full cell's electrodes [g], ρ ε_s L A of each, from the run's
    values: the cathode (PyBaMM's positive electrode) with :data:`CATHODE_DENSITY`, the
    anode (negative electrode) with :data:`ANODE_DENSITY`, ``None`` if its values give
    none (the HEM anode's set and the hard carbon's data file do). Empty for a cell without
    a cathode density in its values: the half cells (their summaries are per gram of
    their one electrode already) and a HEM anode against an imported BPX partner (BPX
    has no active-material density; such a cell is built from Python, not a recipe)."""
    if CATHODE_DENSITY not in pv.keys():
        return {}
    area_m2 = float(pv["Electrode width [m]"]) * float(pv["Electrode height [m]"])

    def mass(density: str, domain: str) -> float | None:
        if density not in pv.keys():
            return None
        return float(pv[density]) * float(
            pv[f"{domain} electrode active material volume fraction"]) * float(
            pv[f"{domain} electrode thickness [m]"]) * area_m2 * 1000

    return {"cathode": mass(CATHODE_DENSITY, "Positive"),
            "anode": mass(ANODE_DENSITY, "Negative")}


def electrode_specific_capacities(cyc: Mapping[str, Any], masses_g: Mapping[str, float | None]
                                  ) -> dict[str, Any]:
    """A full cell's capacities per gram of each electrode's active material and its
    specific energy, per cycle, for comparison with half cells and with published cells:

        Q_e = Q / m_e  [mAh g⁻¹],    E = Q_dis V̄_dis / m  [Wh kg⁻¹],

    Q the cell's capacity [mAh], m_e the active mass of electrode e (``masses_g``:
    ``cathode``, ``anode``; :func:`electrode_active_masses_g`), V̄_dis the cycle's
    capacity-weighted mean discharge voltage ∫V dQ / ∫dQ, so Q_dis V̄_dis is the
    discharge energy [mWh], and m the cathode's active mass or both electrodes' (mWh g⁻¹
    = Wh kg⁻¹). Inactive components (binder, carbon, current collectors, electrolyte,
    casing) are not counted: a cell's specific energy is lower.

    ``cyc`` holds ``discharge_capacity_mAh``, ``charge_capacity_mAh`` (:func:`cell_capacities`)
    and ``mean_discharge_voltage_V``, one value per cycle (``None`` for a cycle without a
    discharge). Values of an electrode whose mass is ``None`` are ``None``.
    """
    m_c, m_a = masses_g.get("cathode"), masses_g.get("anode")
    out: dict[str, Any] = {"cathode_active_mass_g": m_c, "anode_active_mass_g": m_a}
    for kind in ("discharge", "charge"):
        for name, m in (("cathode", m_c), ("anode", m_a)):
            out[f"{kind}_capacity_mAh_per_g_{name}"] = [
                None if m is None else q / m for q in cyc[f"{kind}_capacity_mAh"]]
    energy_mWh = [None if v is None else q * v for q, v in
                  zip(cyc["discharge_capacity_mAh"], cyc["mean_discharge_voltage_V"],
                      strict=True)]
    both = None if m_c is None or m_a is None else m_c + m_a
    for name, m in (("cathode", m_c), ("electrodes", both)):
        out[f"discharge_energy_Wh_per_kg_{name}"] = [
            None if e is None or m is None else e / m for e in energy_mWh]
    return out


def _mean_voltage(steps: Sequence[StepData]) -> float | None:
    """Capacity-weighted mean voltage ∫V dQ / ∫dQ over the given steps."""
    num = den = 0.0
    for s in steps:
        q, v = s.data["capacity_mAh_per_g"], s.data["voltage_V"]
        dq = np.abs(np.diff(q))
        num += float(np.sum(0.5 * (v[1:] + v[:-1]) * dq))
        den += float(np.sum(dq))
    return num / den if den > 0 else None


def charge_balance_error(steps: Sequence[StepData], mechanisms: Sequence[str]) -> float:
    """max_t |Q_passed(t) − Σ_m Q_m(t)| / max_t |Q_passed(t)| over the whole run."""
    mechs = [*mechanisms, "double_layer"]
    q = np.concatenate([s.data["charge_passed_Ah"] for s in steps])
    stored = sum(np.concatenate([s.data[f"{m}_charge_Ah"] for s in steps]) for m in mechs)
    scale = float(np.max(np.abs(q)))
    if scale == 0:
        return 0.0
    return float(np.max(np.abs(q - stored)) / scale)


def timeseries_table(
    steps: Sequence[StepData], cycles: Sequence[Sequence[StepData]], mechanisms: Sequence[str]
) -> tuple[list[str], np.ndarray]:
    """Columns and rows of ``timeseries.csv`` (one row per output time)."""
    mechs = [*mechanisms, "double_layer"]
    cycle_of = {id(s): i + 1 for i, cyc in enumerate(cycles) for s in cyc}
    cols = [
        "time_s",
        "cycle",
        "step",
        "voltage_V",
        "current_A",
        "specific_current_A_per_g",
        "capacity_mAh_per_g",
    ]
    cols += [f"{m}_capacity_mAh_per_g" for m in mechs]
    cols += [f"{m}_current_A" for m in mechs]
    cols += [
        "particle_volumetric_strain",
        "electrode_volumetric_strain",
        "magnetization_change_emu_per_g",
    ]
    cols += [c for c in THERMAL_COLUMNS if steps and c in steps[0].data]
    cols += [c for c in ELECTRODE_POTENTIAL_COLUMNS if steps and c in steps[0].data]
    blocks = []
    for s in steps:
        n = len(s.data["time_s"])
        block = []
        for c in cols:
            if c == "cycle":
                block.append(np.full(n, cycle_of.get(id(s), 0)))
            elif c == "step":
                block.append(np.full(n, s.index + 1))
            else:
                block.append(s.data[c])
        blocks.append(np.column_stack(block))
    return cols, np.vstack(blocks)


def _column_extreme(steps: Sequence[StepData], cycles: Sequence[Sequence[StepData]],
                    col: str, lowest: bool) -> tuple[float, float, int, int] | None:
    """The lowest (``lowest``) or highest value of column ``col`` over the run's steps:
    (value, time [s], cycle, step), numbered from 1; ``None`` without the column."""
    pick = (np.argmin if lowest else np.argmax)
    found = [(float(s.data[col][int(pick(s.data[col]))]), s) for s in steps
             if col in s.data and len(s.data[col])]
    if not found:
        return None
    value, st = (min if lowest else max)(found, key=lambda f: f[0])
    i = int(pick(st.data[col]))
    cycle = next((k + 1 for k, cyc in enumerate(cycles) if any(s is st for s in cyc)), 0)
    return value, float(st.data["time_s"][i]), cycle, st.index + 1


def anode_potential_minimum(steps: Sequence[StepData], cycles: Sequence[Sequence[StepData]],
                            ion: str) -> tuple[dict[str, Any], list[str]]:
    """A full cell's lowest anode potential vs the carrier metal over the run, for
    ``summary.json``, and a warning when it is below 0 V (where a real cell would plate the
    metal; the model has no plating).

    Returns
    -------
    tuple
        ``anode_min_potential_vs_metal_V`` (the minimum over the anode's mesh points and
        the output times), ``anode_min_potential_time_s``, ``..._cycle`` and
        ``..._step`` (empty without the column: half cells), and the warnings.
    """
    col = "anode_min_potential_vs_metal_V"
    found = _column_extreme(steps, cycles, col, lowest=True)
    if found is None:
        return {}, []
    v_min, t_s, cycle, step = found
    keys = {col: v_min, "anode_min_potential_time_s": t_s,
            "anode_min_potential_cycle": cycle, "anode_min_potential_step": step}
    warn = []
    if v_min < 0:
        warn.append(
            f"the anode's potential fell to {v_min:.4g} V vs {ion} at t = {t_s:.6g} s "
            f"(cycle {cycle}, step "
            f"{step}): below 0 V a real cell plates {ion} metal on the anode, which "
            "the model does not include (its capacities past that point are not a real "
            f"cell's); a larger n_p_ratio or a lower charge voltage keeps it above 0 V")
    return keys, warn


def cathode_potential_extremes(steps: Sequence[StepData], cycles: Sequence[Sequence[StepData]],
                               ion: str, window_V: tuple[float, float]
                               ) -> tuple[dict[str, Any], list[str]]:
    """A full cell's highest and lowest cathode potential vs the carrier metal over the
    run, for ``summary.json``, and a warning for each side of the cathode's window
    ``window_V`` = (bottom, top) it went past (a hemcell cathode set's window: where its
    OCP and kinetics were measured; ``(-inf, inf)``: no check). The cathode sits at the
    cell's voltage plus the anode's potential vs the metal: above the top of the window
    at the cell's top voltage when the anode is above 0 V (the HEM anode's film and
    intercalation hold it near 0.5 V), and below its bottom only if the anode is still
    low when the cell reaches its lower cut-off.

    Returns
    -------
    tuple
        ``cathode_max_potential_vs_metal_V`` (x-averaged), ``cathode_max_potential_time_s``,
        ``..._cycle`` and ``..._step``, the same for ``cathode_min_potential_...`` (empty
        without the column), and the warnings.
    """
    col = "cathode_potential_vs_metal_V"
    keys: dict[str, Any] = {}
    warn = []
    bottom_V, top_V = window_V
    for side, lowest in (("max", False), ("min", True)):
        found = _column_extreme(steps, cycles, col, lowest=lowest)
        if found is None:
            return {}, []
        v, t_s, cycle, step = found
        keys.update({f"cathode_{side}_potential_vs_metal_V": v,
                     f"cathode_{side}_potential_time_s": t_s,
                     f"cathode_{side}_potential_cycle": cycle,
                     f"cathode_{side}_potential_step": step})
        past = v < bottom_V if lowest else v > top_V
        if past:
            where = (f"below the bottom of its window, {bottom_V:g} V" if lowest
                     else f"above the top of its window, {top_V:g} V")
            fix = ("a higher discharge voltage" if lowest else "a lower charge voltage")
            warn.append(
                f"the cathode's potential {'fell' if lowest else 'rose'} to {v:.4g} V vs "
                f"{ion} at t = {t_s:.6g} s (cycle {cycle}, step {step}), {where}, where "
                "its open-circuit potential and kinetics were taken: the cell's voltage "
                f"plus the anode's potential; {fix} keeps the cathode in its window "
                "(cathode_potential_vs_metal_V in timeseries.csv)")
    return keys, warn


def dqdv(
    voltage: np.ndarray, capacity: np.ndarray, dv: float = 0.005
) -> tuple[np.ndarray, np.ndarray]:
    """dQ/dV [mAh g⁻¹ V⁻¹] of one monotonic branch on a uniform voltage grid.

    The branch is resampled on a grid of spacing ``dv`` (capacity interpolated as a
    function of voltage after sorting) and differentiated by central differences.
    """
    v = np.asarray(voltage, float)
    q = np.asarray(capacity, float)
    if v.size < 3 or np.ptp(v) < 2 * dv:
        return np.array([]), np.array([])
    order = np.argsort(v)
    v_s, q_s = v[order], q[order]
    v_u, idx = np.unique(v_s, return_index=True)
    q_u = q_s[idx]
    grid = np.arange(v_u[0], v_u[-1], dv)
    if grid.size < 3:
        return np.array([]), np.array([])
    qg = np.interp(grid, v_u, q_u)
    return grid, np.abs(np.gradient(qg, grid))


def dqdv_peaks(
    voltage: np.ndarray, capacity: np.ndarray, dv: float = 0.005, prominence: float = 0.1
) -> list[tuple[float, float]]:
    """Peaks of :func:`dqdv` as (voltage [V], full width at half maximum [V]), by voltage.

    A peak counts when its prominence is at least ``prominence`` times the largest
    dQ/dV of the branch (:func:`scipy.signal.find_peaks`; the width is taken at half
    the peak's prominence).
    """
    from scipy.signal import find_peaks

    grid, d = dqdv(voltage, capacity, dv)
    if grid.size < 3 or not np.any(d > 0):
        return []
    idx, props = find_peaks(d, prominence=prominence * float(d.max()), width=0, rel_height=0.5)
    return [(float(grid[i]), float(w * dv)) for i, w in zip(idx, props["widths"], strict=True)]


def dqdv_peak_summary(cycles: Sequence[Sequence[StepData]]) -> dict[str, list]:
    """dQ/dV peaks of every cycle's lithiation and delithiation (docs/anode.md, "Curve
    shapes"): all peak voltages and widths, and the voltage and width of the largest, of
    the whole electrode and of its conversion alone (``conversion_`` keys)."""
    out: dict[str, list] = {}
    for kind in ("lithiation", "delithiation"):
        for part, column in (("", "capacity_mAh_per_g"),
                             ("conversion_", "conversion_capacity_mAh_per_g")):
            peaks_v, widths, main_v, main_w = [], [], [], []
            for cyc in cycles:
                steps = [s for s in cyc if s.kind == kind and column in s.data]
                peaks: list[tuple[float, float]] = []
                if steps:
                    v = np.concatenate([s.data["voltage_V"] for s in steps])
                    q = np.concatenate([s.data[column] for s in steps])
                    peaks = dqdv_peaks(v, q)
                peaks_v.append([p[0] for p in peaks])
                widths.append([p[1] for p in peaks])
                if peaks:
                    grid, d = dqdv(v, q)
                    top = max(peaks, key=lambda p, g=grid, dd=d: float(np.interp(p[0], g, dd)))
                main_v.append(top[0] if peaks else None)
                main_w.append(top[1] if peaks else None)
            out[f"{kind}_{part}dqdv_peaks_V"] = peaks_v
            out[f"{kind}_{part}dqdv_peak_widths_V"] = widths
            out[f"{kind}_{part}dqdv_main_peak_V"] = main_v
            out[f"{kind}_{part}dqdv_main_peak_width_V"] = main_w
    return out
