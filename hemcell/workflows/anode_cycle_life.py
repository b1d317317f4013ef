"""Capacity over hundreds to thousands of cycles: ``hemcell cell cycle-life``.

The loss of active material per cycle and its integration by cycle jumping are
:mod:`hemcell.cell.active_material_loss`: the set selects the strain-driven law
dφ/dN = −β_N (Δε_v)^m (eq. 1 there) or Paris-law fatigue cracks that cut particle caps
off (:mod:`hemcell.cell.fatigue`), whose crack depth is a state carried across the
jumps. This workflow
evaluates a cycle at a given φ with the full model: two cycles of the recipe (e.g.
``hem_half_cell_sp``) with ε_s = φ ε_s,0, of which the second (the cycling state: the first
carries the formation losses) gives the capacity, the CE and the strain amplitude Δε_v.
The evaluations share one built model, re-solved with φ as a PyBaMM input
(:class:`CycleModels`).

Cycles are numbered as ``hemcell cell run --cycles`` and a cycler number them: cycle 1 is
the fresh electrode's formation cycle (:data:`FORMATION_CYCLE`), reported from the first
evaluation (φ = 1, the same two cycles as ``cell run --cycles 2``); the loss law starts at
cycle 2 (:data:`LAW_START_CYCLE`), the reference of the retention.
Currents given per gram keep referring to the *initial* active mass (the tester's
setting): the remaining material sees m₀/m times the nominal specific current
(:func:`hemcell.cell.protocols.scale_per_gram`). Capacities are reported per gram of
initial active material, Q_N = φ_N Q(φ_N).

The reversible gel film grows over cycles as electrochemical milling enlarges the metal
surface it covers (:mod:`hemcell.cell.mechanisms.gel_sei`, s_N): its milled-surface ratio
is a state carried across the jumps, and each evaluation runs with Γ_g s_N.

Not included: SEI growth (in a half-cell the Li, Na or K metal supplies what the SEI
consumes, so it lowers the CE but not the capacity), electrolyte loss and the counter
electrode's own ageing.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from hemcell.cell.active_material_loss import PARAMETERS, damage_law, integrate_damage
from hemcell.cell.mechanisms.gel_sei import (
    GROWTH_PARAMETERS,
    advance_milled_area_ratio,
    film_grows,
)
from hemcell.errors import InputError, SimulationError
from hemcell.params.uses import override_keys, replace_overrides, require_parameters


@dataclass
class CycleLife:
    """Result of :func:`run_cycle_life` (lists are per evaluated cycle)."""

    recipe: str
    params: str
    protocol: str
    n_cycles: int
    lam_law: str
    lam_parameters: dict[str, float]
    lam_state_name: str
    initial_active_fraction: float
    cycles: list[int] = field(default_factory=list)
    active_fraction: list[float] = field(default_factory=list)
    charge_capacity_mAh_per_g: list[float] = field(default_factory=list)
    discharge_capacity_mAh_per_g: list[float] = field(default_factory=list)
    coulombic_efficiency: list[float] = field(default_factory=list)
    strain_amplitude: list[float] = field(default_factory=list)
    film_area_ratio: list[float] = field(default_factory=list)
    film_capacity_mAh_per_g: list[float] = field(default_factory=list)
    lam_state: list[float] = field(default_factory=list)
    solve_time_s: float = 0.0
    carrier_ion: str = "Li"
    error: SimulationError | None = None
    si: dict[str, Any] = field(default_factory=dict)


#: Cycle numbers are the cell's, as ``hemcell cell run --cycles`` and a cycler count them:
#: cycle 1 is the fresh electrode's first (formation) cycle. The first evaluation (φ = 1)
#: runs cycles 1 and 2 exactly as ``cell run --cycles 2`` does and reports both; the loss
#: law starts at :data:`LAW_START_CYCLE`, the second cycle every evaluation reads.
FORMATION_CYCLE = 1
#: The first cycle of the cycling state (the one after formation): the loss law's start
#: (φ = 1) and the reference of ``retention_at_cycle`` (Q_N / Q_2; the formation cycle's
#: charge capacity holds the first lithiation's irreversible losses: 400.7 against
#: 420.7 mAh/g for the HEO at 1 A/g).
LAW_START_CYCLE = FORMATION_CYCLE + 1


class CycleModels:
    """Built models the evaluations of cycle-life runs share, re-solved with inputs.

    Every evaluation is ``cell run --cycles 2`` of the recipe at another active fraction φ
    (and gel-film capacity, and in a fit other fitted values): numbers only, so one built
    model per :class:`~hemcell.workflows.anode_sweep.Structure` serves them all, with
    every PyBaMM value that differs from the first evaluation's as a
    ``pybamm.InputParameter`` and the step currents as inputs, as the ``cell run`` sweep's
    fast path does (:func:`~hemcell.workflows.anode_sweep.shared_simulation`,
    :func:`~hemcell.workflows.anode.solve_cell`: the same solve and checks as ``cell
    run``). A value found to differ later makes the inputs grow and builds the model once
    more; a value that changes the structure (the temperature, a mesh) gets a model of
    its own.

    Parameters
    ----------
    expected_solves
        Solves each model will serve (whether its residual pays to compile,
        :func:`hemcell.cell.compiled.pays_to_compile`).
    """

    #: Structures remembered (their first evaluation and inputs): a fit at a few
    #: temperatures needs one each.
    KEPT = 8

    def __init__(self, expected_solves: int = 1) -> None:
        self.expected_solves = expected_solves
        self._bases: dict[Any, tuple[Any, tuple[str, ...]]] = {}

    def run(self, setup: Any, probes: Sequence[Any] = ()) -> Any:
        """``setup`` (:func:`hemcell.workflows.anode.prepare_cell`) solved on its shared
        model: a :class:`hemcell.workflows.anode.CellRun`. The values in which ``probes``
        (setups of later evaluations) differ are inputs from the start."""
        from hemcell.workflows.anode import solve_cell
        from hemcell.workflows.anode_sweep import (
            _number,
            differing_parameters,
            input_protocol,
            shared_simulation,
            structure_of,
        )

        structure = structure_of(setup)
        base, inputs = self._bases.pop(structure, (setup, ()))
        alike = [p for p in probes if structure_of(p) == structure]  # others: own models
        new = set(differing_parameters([base, setup, *alike])) - set(inputs)
        inputs = tuple(sorted({*inputs, *new}))
        while len(self._bases) >= self.KEPT:
            self._bases.pop(next(iter(self._bases)))
        self._bases[structure] = (base, inputs)
        sim = shared_simulation(base, inputs, self.expected_solves)
        sim.experiment, values = input_protocol(setup)
        values.update({n: _number(setup.parameter_values[n]) for n in inputs})
        return solve_cell(setup, sim, values)


#: An active fraction the first evaluation prepares (not solves) beside its own: the
#: values that move with φ are the shared model's inputs from the start (otherwise the
#: second evaluation builds the model again). Any φ < 1 does.
PROBE_ACTIVE_FRACTION = 0.5
#: The models of this process's cycle-life runs (a fit runs many with other values).
_MODELS = CycleModels()


def _evaluate_cycle(
    recipe: str,
    params: str,
    protocol: str,
    overrides: Sequence[str],
    ion: str | None,
    eps0: float,
    phi: float,
    models: CycleModels | None = None,
    probe_sets: Sequence[Sequence[str]] | None = None,
) -> tuple[dict[str, float], dict[str, float]]:
    """Two cycles of the full model at φ (the formation cycle and the cycling state):
    each one's capacity (per initial gram), CE and particle strain amplitude.

    ``probe_sets`` (the first evaluation of a run): the values that move between this
    evaluation and one at :data:`PROBE_ACTIVE_FRACTION`, or one with each of these
    ``--set`` lists in place of ``overrides``, are the shared model's inputs from the
    start (prepared, not solved)."""
    from hemcell.cell.protocols import scale_per_gram
    from hemcell.workflows.anode import prepare_cell, summarize

    def setup(phi: float, sets: Sequence[str] = overrides) -> Any:
        return prepare_cell(
            recipe,
            params,
            scale_per_gram(protocol, 1.0 / phi),
            overrides=replace_overrides(
                sets, f"anode_active_material_volume_fraction={eps0 * phi:.12g}"),
            cycles=2,
            ion=ion,
        )

    probes = ([] if probe_sets is None else
              [setup(PROBE_ACTIVE_FRACTION), *(setup(phi, sets) for sets in probe_sets)])
    run = (models or _MODELS).run(setup(phi), probes)
    if run.error is not None:
        raise run.error
    s, _, cycles = summarize(run, timeseries=False)

    def cycle(k: int) -> dict[str, float]:
        strain = np.concatenate([st.data["particle_volumetric_strain"] for st in cycles[k]])
        return {
            "film_capacity": float(
                s["capacity_by_mechanism_delithiation_mAh_per_g"][k].get("gel_sei", 0.0)) * phi,
            "film_discharge_capacity": float(
                s["capacity_by_mechanism_mAh_per_g"][k].get("gel_sei", 0.0)) * phi,
            "charge_balance_relative_error": float(s["charge_balance_relative_error"]),
            "charge_capacity": float(s["charge_capacity_mAh_per_g"][k]) * phi,
            "discharge_capacity": float(s["discharge_capacity_mAh_per_g"][k]) * phi,
            "coulombic_efficiency": float(s["coulombic_efficiency"][k]),
            "strain_amplitude": float(strain.max() - strain.min()),
            "solve_time_s": float(s["solve_time_s"]),
        }

    return cycle(0), cycle(1)


def _check_one_cycle(protocol: str) -> None:
    """Refuse a protocol that is not a cycle: it needs a 'Discharge' and a 'Charge' step.

    Each evaluation reads the second of two cycles; without both directions the steps do
    not make two cycles (a discharge-only protocol ended in an IndexError).
    """
    from hemcell.cell.protocols import split_steps

    words = {step.split()[0].lower() for step in split_steps(protocol)}
    if not {"discharge", "charge"} <= words:
        raise InputError("--protocol", protocol, "one cycle: a 'Discharge' step and a "
                         "'Charge' step (the anode lithiated and delithiated)",
                         hint="cycle-life follows the capacity and Coulombic efficiency "
                         "cycle by cycle; for a lithiation alone use `hemcell cell run`")


def run_cycle_life(
    recipe: str,
    params: str,
    protocol: str,
    n_cycles: int,
    overrides: Sequence[str] | None = None,
    ion: str | None = None,
    tol: float = 0.02,
    progress: Callable[[str], None] | None = None,
    models: CycleModels | None = None,
    probe_sets: Sequence[Sequence[str]] = (),
) -> CycleLife:
    """Capacity over ``n_cycles`` cycles of ``protocol`` with loss of active material (the
    set's law, :func:`hemcell.cell.active_material_loss.damage_law`).

    Parameters
    ----------
    recipe, params, protocol, overrides, ion
        As :func:`hemcell.workflows.anode.run_cell`; the protocol is one cycle.
    n_cycles
        The last cycle, numbered as ``cell run`` numbers them (:data:`FORMATION_CYCLE`
        is cycle 1): at least :data:`LAW_START_CYCLE`.
    tol
        Largest change of the active fraction per jump (accuracy vs cost).
    progress
        Called with one line per evaluation.
    models
        The built models the evaluations share (:class:`CycleModels`; ``None``: this
        process's).
    probe_sets
        ``--set`` lists of later runs on the same ``models`` (a fit's other values of the
        fitted parameters): the values they move are the shared model's inputs from the
        first evaluation on (else the model is built again when one first moves).

    Returns
    -------
    CycleLife
        With ``error`` set and the finished evaluations kept if the solver failed.
    """
    from hemcell.cell.carriers import check_ion
    from hemcell.workflows.anode import resolve_model

    _check_one_cycle(protocol)
    check_last_cycle(n_cycles)
    lam_keys = [u.key for u in PARAMETERS]
    growth_keys = [u.key for u in GROWTH_PARAMETERS]
    rec, si, _, _ = resolve_model(recipe, params, None, list(overrides or []), ion,
                                  command="cell cycle-life",
                                  also_reads=[*lam_keys, *growth_keys])
    if rec.cell != "half":
        # the loss law lowers ε_s, and a full cell sizes its anode's thickness to the N/P
        # ratio from ε_s: the anode came back whole (same mass and capacity) and the
        # reported capacity was φ times the fresh cell's
        raise InputError("RECIPE", rec.name, "a half-cell recipe (hem_half_cell_*): the "
                         "loss of active material acts on the anode's volume fraction, "
                         "which a full cell's N/P sizing restores",
                         hint="run cycle-life on the anode's half cell (hem_half_cell_sp "
                         "or _p2d, with --ion for Na/K)")
    law = damage_law(si, params)
    grows = film_grows(si)
    if grows:
        require_parameters(si, growth_keys, "`hemcell cell cycle-life` (gel film milling)")
    # the cell model reads the rest; the LAM and milling values are this command's own
    def cell_reads(sets: Sequence[str]) -> list[str]:
        return [o for o, k in zip(sets, override_keys(sets), strict=True)
                if k not in (*lam_keys, *growth_keys)]

    overrides = cell_reads(overrides or [])
    film = {"ratio": 1.0}  # milled film surface s_N, carried across the jumps
    res = CycleLife(
        recipe=recipe,
        params=params,
        protocol=protocol,
        n_cycles=n_cycles,
        lam_law=law.name,
        lam_parameters=law.parameters(),
        lam_state_name=law.state_name,
        initial_active_fraction=float(si["anode_active_material_volume_fraction"]),
        carrier_ion=check_ion(ion) if ion else "Li",
        si=si,
    )
    t0 = time.perf_counter()

    def grown(ratio: float) -> list[str]:
        """The overrides with the film grown to ``ratio`` times the set's Γ_g."""
        return replace_overrides(overrides, *(
            [f"gel_sei_areal_capacity={si['gel_sei_areal_capacity'] * ratio:.12g} C/m**2"]
            if grows else []))

    # what later evaluations move: a grown film, the other runs' values
    probes = [*([grown(2.0)] if grows else []), *(cell_reads(p) for p in probe_sets)]

    def evaluate(phi: float) -> tuple[dict[str, float], dict[str, float]]:
        first, r = _evaluate_cycle(
            recipe, params, protocol, grown(film["ratio"]), ion,
            res.initial_active_fraction, phi, models,
            probe_sets=None if res.cycles else probes,
        )
        first["film_area_ratio"] = r["film_area_ratio"] = film["ratio"]
        if progress:
            progress(
                f"active fraction {phi:.4f}: charge capacity {r['charge_capacity']:.1f} mAh/g "
                f"(per initial gram), strain amplitude {r['strain_amplitude']:.4f}"
            )
        return first, r

    def advance_film(n_jump: int) -> None:
        film["ratio"] = advance_milled_area_ratio(
            film["ratio"], n_jump, si["gel_sei_milled_area_ratio_limit"],
            si["gel_sei_milling_cycle_constant"])

    try:
        integrate_cell_cycles(evaluate, law, tol, res, on_jump=advance_film if grows else None)
    except SimulationError as exc:
        done = res.cycles[-1] if res.cycles else 0
        # the step and time are in str(exc) already (they were said twice); its hint kept
        res.error = SimulationError(f"cycle-life evaluation after cycle {done} failed: {exc}",
                                    hint=exc.hint)
        res.error.step, res.error.time_s = exc.step, exc.time_s
    res.solve_time_s = time.perf_counter() - t0
    return res


def check_last_cycle(n_cycles: int) -> None:
    """Refuse a last cycle (``--cycles``) before :data:`LAW_START_CYCLE`.

    Raises
    ------
    InputError
        Naming ``--cycles`` and the numbering.
    """
    if isinstance(n_cycles, bool) or not isinstance(n_cycles, int) \
            or n_cycles < LAW_START_CYCLE:
        raise InputError("--cycles", n_cycles, f"a whole number >= {LAW_START_CYCLE}: the "
                         "last cycle, counted as `cell run` counts them (cycle "
                         f"{FORMATION_CYCLE} is the formation cycle, the loss law starts at "
                         f"cycle {LAW_START_CYCLE})",
                         hint="for the formation cycle alone use `hemcell cell run`")


def integrate_cell_cycles(
    evaluate: Callable[[float], tuple[dict[str, float], dict[str, float]]],
    law: Any,
    tol: float,
    res: CycleLife,
    on_jump: Callable[[int], None] | None = None,
) -> None:
    """:func:`~hemcell.cell.active_material_loss.integrate_damage` up to ``res.n_cycles``
    in the cell's cycle numbers (the one place that numbers them), recorded in ``res``.

    ``evaluate`` gives the two cycles of an evaluation at φ (the formation cycle, the
    cycling state). The first evaluation's first cycle is :data:`FORMATION_CYCLE` (1);
    every evaluation's second cycle is the law's cycle, the law counting from
    :data:`LAW_START_CYCLE` (2): its cycle k is the cell's k + 1.

    Raises
    ------
    InputError
        ``res.n_cycles`` before :data:`LAW_START_CYCLE` (:func:`check_last_cycle`).
    SimulationError
        From ``evaluate`` (the finished cycles are in ``res``).
    """
    check_last_cycle(res.n_cycles)
    offset = LAW_START_CYCLE - 1

    def cycling_state(phi: float) -> dict[str, float]:
        first, r = evaluate(phi)
        if not res.cycles:  # the fresh electrode's formation cycle, as `cell run`'s cycle 1
            _record(res, FORMATION_CYCLE, phi, {**first, "lam_state": law.start()})
        return r

    integrate_damage(cycling_state, res.n_cycles - offset, law, tol,
                     on_step=lambda n, phi, r: _record(res, n + offset, phi, r),
                     on_jump=on_jump)


def _record(res: CycleLife, n: int, phi: float, r: dict[str, float]) -> None:
    """Append one evaluated cycle. Where no active material is left (φ = 0) no charge
    passes: the Coulombic efficiency and the particle strain amplitude are undefined and
    recorded as NaN (null in summary.json, ``nan`` in cycle_life.csv), not the last
    evaluated cycle's values the loss integration carries."""
    used_up = phi <= 0.0
    res.cycles.append(n)
    res.active_fraction.append(phi)
    res.charge_capacity_mAh_per_g.append(r["charge_capacity"])
    res.discharge_capacity_mAh_per_g.append(r["discharge_capacity"])
    res.coulombic_efficiency.append(math.nan if used_up else r["coulombic_efficiency"])
    res.strain_amplitude.append(math.nan if used_up else r["strain_amplitude"])
    res.film_area_ratio.append(r.get("film_area_ratio", 1.0))
    res.film_capacity_mAh_per_g.append(r.get("film_capacity", 0.0))
    res.lam_state.append(r["lam_state"])


def check_report_cycles(report_cycles: Sequence[float], n_cycles: int) -> list[int]:
    """The cycles to report as integers in 1..``n_cycles`` (``--report-cycles``).

    Raises
    ------
    InputError
        A cycle that is not a whole number or lies outside the run (there is no value
        to report there: the summary held null and the command failed printing it).
    """
    bad = [c for c in report_cycles if c != int(c) or not 1 <= c <= n_cycles]
    if bad:
        raise InputError("--report-cycles", ",".join(f"{c:g}" for c in bad),
                         f"whole cycle numbers from 1 to --cycles ({n_cycles})")
    return [int(c) for c in report_cycles]


def used_up_at_cycle(res: CycleLife) -> int | None:
    """The cycle at which the loss law has taken all active material (φ = 0: fatigue
    cracks cut through the particles; the cycle jumping stops there, before
    ``n_cycles``), or ``None`` if φ stayed above 0."""
    return res.cycles[-1] if res.active_fraction and res.active_fraction[-1] <= 0.0 else None


def at_cycle(res: CycleLife, values: Sequence[float], n: int,
             used_up: float | None = None) -> float | None:
    """``values`` at cycle ``n``, linear in N between evaluations; ``used_up`` from the
    cycle the active material is used up (:func:`used_up_at_cycle`) on; None outside."""
    end = used_up_at_cycle(res)
    if end is not None and n >= end:
        return used_up
    if not res.cycles or n < res.cycles[0] or n > res.cycles[-1]:
        return None
    return float(np.interp(n, res.cycles, values))


def summarize_cycle_life(res: CycleLife, report_cycles: Sequence[int] = ()) -> dict[str, Any]:
    """The summary.json of a cycle-life run.

    Cycles are numbered as ``cell run`` numbers them (cycle 1: the formation cycle,
    :data:`FORMATION_CYCLE`). ``retention_at_cycle`` is Q_N / Q_2 (charge capacity per
    initial gram; cycle 2 = :data:`LAW_START_CYCLE`, the first cycle after formation);
    ``*_at_cycle`` are keyed by the cycle number as text.
    Once the loss law has taken all active material (``active_material_used_up_at_cycle``,
    else null) the capacity and retention are 0 and the Coulombic efficiency (no charge
    passed) is null.
    ``lam_law`` (``strain`` or ``fatigue``) and ``lam_parameters`` name the loss law and its
    constants; ``lam_state_crack_depth_m`` (fatigue) or ``lam_state_active_fraction``
    (strain) is the law's state at each evaluated cycle.
    """
    q = res.charge_capacity_mAh_per_g
    q1 = at_cycle(res, q, LAW_START_CYCLE, used_up=0.0)
    report = sorted({*report_cycles, res.n_cycles})
    cap = {str(n): at_cycle(res, q, n, used_up=0.0) for n in report}
    out: dict[str, Any] = {
        "recipe": res.recipe,
        "parameter_set": res.params,
        "protocol": res.protocol,
        "carrier_ion": res.carrier_ion,
        "n_cycles": res.n_cycles,
        "retention_reference_cycle": LAW_START_CYCLE,
        "lam_law": res.lam_law,
        "lam_parameters": dict(res.lam_parameters),
        f"lam_state_{res.lam_state_name}": list(res.lam_state),
        "evaluated_cycles": list(res.cycles),
        "active_fraction": list(res.active_fraction),
        "charge_capacity_mAh_per_g": list(q),
        "discharge_capacity_mAh_per_g": list(res.discharge_capacity_mAh_per_g),
        "coulombic_efficiency": list(res.coulombic_efficiency),
        "strain_amplitude": list(res.strain_amplitude),
        "gel_sei_milled_area_ratio": list(res.film_area_ratio),
        "gel_sei_capacity_mAh_per_g": list(res.film_capacity_mAh_per_g),
        "charge_capacity_at_cycle_mAh_per_g": cap,
        "retention_at_cycle": {
            k: (None if v is None or not q1 else v / q1) for k, v in cap.items()
        },
        "coulombic_efficiency_at_cycle": {
            str(n): at_cycle(res, res.coulombic_efficiency, n) for n in report
        },
        "active_material_used_up_at_cycle": used_up_at_cycle(res),
        "solve_time_s": res.solve_time_s,
        "completed": res.error is None,
    }
    if res.error is not None:
        out["error"] = str(res.error)
    return out


def write_cycle_life_outputs(
    res: CycleLife,
    out_dir: str | Path,
    report_cycles: Sequence[int] = (),
    command: Sequence[str] | str | None = None,
    plots_on: bool = True,
) -> dict[str, Any]:
    """Write summary.json, cycle_life.csv, cycle_life.png (not with ``plots_on=False``)
    and run.json.

    Raises
    ------
    SimulationError
        After writing, if the run did not finish (the finished evaluations are kept).
    """
    from hemcell.cell import plots
    from hemcell.runinfo import write_run_record, write_summary

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    summary = summarize_cycle_life(res, report_cycles)
    cols = [
        "cycle",
        "active_fraction",
        "charge_capacity_mAh_per_g",
        "discharge_capacity_mAh_per_g",
        "coulombic_efficiency",
        "particle_strain_amplitude",
    ]
    table = (
        np.column_stack(
            [
                res.cycles,
                res.active_fraction,
                res.charge_capacity_mAh_per_g,
                res.discharge_capacity_mAh_per_g,
                res.coulombic_efficiency,
                res.strain_amplitude,
            ]
        )
        if res.cycles
        else np.empty((0, len(cols)))
    )
    np.savetxt(
        out / "cycle_life.csv",
        table,
        delimiter=",",
        header=",".join(cols),
        comments="",
        fmt="%.8g",
    )
    if plots_on:
        plots.cycle_life_plot(res, out / "cycle_life.png", f"{res.params} — {res.protocol}")
    write_summary(out, summary)
    write_run_record(
        out,
        dict(res.si),
        command=command,
        extra={"recipe": res.recipe, "protocol": res.protocol, "n_cycles": res.n_cycles},
    )
    if res.error is not None:
        raise res.error
    return summary
