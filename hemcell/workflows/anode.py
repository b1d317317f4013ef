"""Run the HEM anode model: recipe + parameter set + protocol → solution and outputs.

Python API::

    from hemcell.workflows.anode import run_cell, write_outputs
    run = run_cell("hem_half_cell_p2d", "heo_rocksalt_mgconicuzn",
                   "Discharge at 0.1 A/g until 0.01 V; Charge at 0.1 A/g until 3 V")
    summary = write_outputs(run, "out/")
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pybamm

from hemcell.cell import analysis, plots
from hemcell.cell.capacity import (
    active_mass_g,
    capacity_Ah,
    initial_voltage_V,
    rate_cell,
    theoretical_capacity,
)
from hemcell.cell.compiled import compile_plan
from hemcell.cell.electrolytes import (
    DEPLETION_EVENT,
    add_depletion_event,
    measured_range_report,
    polarisation_report,
    separator_resistance_ohm,
)
from hemcell.cell.electrolytes import describe as describe_half_cell
from hemcell.cell.model import HEMHalfCell, Inventory
from hemcell.cell.options import model_options
from hemcell.cell.parameters import check_overrides, inventory_from_si, load_si, pybamm_values
from hemcell.cell.protocols import build_experiment
from hemcell.cell.recipes import (
    Recipe,
    graded_submesh_types,
    idaklu_options,
    load_recipe,
    mesh_points,
    recipe_solver,
    refuse_recipe_keys,
)
from hemcell.errors import InputError, SimulationError
from hemcell.params.uses import ParameterUse


@dataclass
class CellRun:
    """Everything a run produced (solution may be partial if ``error`` is set)."""

    recipe: Recipe
    parameter_set: Any
    si: dict[str, Any]
    inventory: Inventory
    model: HEMHalfCell
    parameter_values: pybamm.ParameterValues
    protocol: str
    steps_A: list[str]
    mass_g: float
    solution: Any
    solve_time_s: float
    error: SimulationError | None = None


def drop_absent_mechanisms(rec: Recipe, inventory: Inventory) -> Recipe:
    """The recipe without the mechanisms the material has no element for.

    Used when the mechanism list comes from the recipe (not from ``--mechanisms``, where an
    impossible mechanism stays an error): a material without alloying elements (FeS)
    runs the all-mechanism recipes without alloying.
    """
    have = {
        "conversion": bool(inventory.conversion),
        "alloying": bool(inventory.alloying),
        "space_charge": bool(inventory.space_charge),
    }
    keep = [m for m in rec.mechanisms if have.get(m, True)]
    return rec if tuple(keep) == tuple(rec.mechanisms) else rec.with_mechanisms(keep)


def build_simulation(
    recipe: Recipe,
    pv: pybamm.ParameterValues,
    inventory: Inventory,
    experiment: pybamm.Experiment | None = None,
    submesh_types: Mapping[str, Any] | None = None,
    expected_solves: int | None = None,
) -> pybamm.Simulation:
    """A :class:`pybamm.Simulation` of the recipe's model (IDAKLU solver).

    ``submesh_types`` replaces the model's submesh for the named domains (the sweep
    fast path meshes the particle with ``pybamm.SymbolicUniform1DSubMesh`` so that
    its radius can be an input). ``expected_solves``: how often the caller re-solves the
    model (a fit, a sweep's shared model); its residual and Jacobian then run compiled
    where that repays gcc or their library is cached (:func:`hemcell.cell.compiled.
    compile_plan`). ``None`` (a single run): compiled only as the recipe asks.
    """
    if recipe.cell == "full":
        from hemcell.cell.full_cell import HEMFullCell

        model: HEMHalfCell = HEMFullCell(model_options(
            recipe.mechanisms, inventory, cathode=recipe.cathode, thermal=recipe.thermal))
    else:
        model = HEMHalfCell(
            model_options(recipe.mechanisms, inventory, x_average=recipe.geometry == "sp"))
    add_depletion_event(model)
    model.compiled_functions = compile_plan(recipe.geometry, expected_solves, recipe.compiled)
    var_pts = mesh_points(model.default_var_pts, recipe)
    submeshes = {**graded_submesh_types(model.default_submesh_types, recipe),
                 **(submesh_types or {})}
    # recipe solver keys other than rtol/atol are IDAKLU options (nonlinear_convergence_coefficient)
    solver = recipe_solver(recipe.solver, experiment_model=recipe.experiment_model)
    return pybamm.Simulation(
        model,
        parameter_values=pv,
        experiment=experiment,
        solver=solver,
        var_pts=var_pts,
        submesh_types=submeshes,
        experiment_model_mode=recipe.experiment_model,  # legacy | unified (recipe key)
    )


@dataclass
class CellSetup:
    """A recipe, parameter set and protocol resolved for PyBaMM: everything but the solve."""

    recipe: Recipe
    parameter_set: Any
    si: dict[str, Any]
    inventory: Inventory
    parameter_values: pybamm.ParameterValues
    mass_g: float
    theoretical_capacity_mAh_per_g: float
    protocol: str
    cycles: int
    experiment: pybamm.Experiment
    steps_A: list[str]


def resolve_model(
    recipe: str | Recipe,
    params: str,
    mechanisms: Sequence[str] | None = None,
    overrides: Sequence[str] | None = None,
    ion: str | None = None,
    command: str = "cell run",
    also_reads: Sequence[str] = (),
) -> tuple[Recipe, dict[str, Any], Any, Inventory]:
    """Recipe (with its mechanisms for the material), SI values, set and inventory.

    Without ``ion`` a full cell whose cathode is a cathode set runs with that set's
    carrier ion (:func:`cathode_carrier_ion`), otherwise with the anode set's own.
    ``--set`` keys the model and ``command`` do not read are refused (exit 2), naming
    the model and the closest names it reads (:func:`hemcell.cell.parameters.check_overrides`);
    ``also_reads`` are names the command reads besides the model.
    """
    rec = recipe if isinstance(recipe, Recipe) else load_recipe(recipe)
    if rec.cell not in ("half", "full"):  # cathode_half, hard_carbon_full: no HEM anode
        raise InputError("recipe", rec.name, "a recipe with a HEM anode (hem_half_cell_*, "
                         "hem_full_cell_*): this runs the HEM anode model",
                         hint=f"{rec.name} ({rec.cell}) runs in `hemcell cell run` and its "
                         "sweeps only, not in cell cv, cell cycle-life, eis anode or fit")
    rec = rec.with_mechanisms(list(mechanisms) if mechanisms else None)
    if ion is None:
        ion = cathode_carrier_ion(rec)
    if overrides:
        from hemcell.params.uses import override_keys

        refuse_recipe_keys(override_keys(overrides), rec.name)
    si, ps = load_si(params, list(overrides or []), ion=ion)
    _refuse_other_kind(ps, params, rec.name)
    inv = inventory_from_si(si)
    if not mechanisms:
        rec = drop_absent_mechanisms(rec, inv)
    check_overrides(overrides, si, rec.name, rec.mechanisms, inv, rec.cell, command,
                    [*also_reads, *_thermal_reads(rec)])
    return rec, si, ps, inv


def cathode_carrier_ion(recipe: str | Recipe) -> str | None:
    """The carrier ion a full-cell recipe's cathode set carries (``Na`` for
    ``hem_full_cell_na_pba``), or ``None`` (a half cell, PyBaMM's LFP/NMC811 or an
    imported partner: the anode set's ion).

    A cathode set holds one carrier, so a full cell with it has exactly one possible ion:
    the one ``--ion`` would have to name.
    """
    from hemcell.cell.cathodes import cathode_carrier, cathode_set_si, is_cathode_set

    rec = recipe if isinstance(recipe, Recipe) else load_recipe(recipe)
    if rec.cell != "full" or not is_cathode_set(str(rec.cathode)):
        return None
    return str(cathode_carrier(cathode_set_si(str(rec.cathode))))


#: Where a set that is not an anode set runs, by its ``kind``.
_RUNS_IN = {
    "cathode": "a cathode set runs vs its metal in cathode_half_cell_p2d / _sp and vs hard "
               "carbon in hc_full_cell_na_*; a HEM full cell takes an anode set and names "
               "its cathode in the recipe (`hemcell cell recipes`)",
    "surface": "a metal-surface set runs in `hemcell limetal ...` (Li, Zn cells) or "
               "`hemcell surface ...`",
}


def _refuse_other_kind(ps: Any, params: str, recipe_name: str) -> None:
    """A cathode or surface set on an anode recipe: say where it runs (instead of a list
    of the anode values it lacks)."""
    kind = getattr(ps, "kind", "anode")
    if kind in _RUNS_IN:
        raise InputError("--params", params,
                         f"an anode parameter set (kind: anode) for the recipe {recipe_name}; "
                         f"this one is kind: {kind}", hint=_RUNS_IN[kind])


def _thermal_reads(rec: Recipe) -> list[str]:
    """The anode set's names a recipe's thermal option reads (lumped full cells)."""
    from hemcell.cell import thermal

    return [u.key for u in thermal.PARAMETERS] if rec.thermal == "lumped" else []


def check_set_keys(kwargs: Mapping[str, Any], command: str = "cell run",
                   also_reads: Sequence[str] = ()) -> None:
    """Refuse the ``--set`` keys of a parsed ``cell run`` (``cell cv``, ``cell cycle-life``)
    argument list that the model does not read (the sweep-spec check, before anything
    runs)."""
    mechanisms = kwargs["mechanisms"].split(",") if kwargs.get("mechanisms") else None
    resolve_model(kwargs["recipe"], kwargs["params"], mechanisms, kwargs.get("set_") or [],
                  kwargs.get("ion"), command, also_reads)


def check_cv_set_keys(kwargs: Mapping[str, Any]) -> None:
    """:func:`check_set_keys` for ``cell cv``."""
    check_set_keys(kwargs, "cell cv")


def cycle_life_uses() -> tuple[ParameterUse, ...]:
    """What ``cell cycle-life`` reads beyond the cell: its loss-of-active-material law and
    the reversible film's growth over cycles (:mod:`hemcell.cell.mechanisms.gel_sei`)."""
    from hemcell.cell.active_material_loss import PARAMETERS
    from hemcell.cell.mechanisms.gel_sei import GROWTH_PARAMETERS

    return (*PARAMETERS, *GROWTH_PARAMETERS)


def check_cycle_life_set_keys(kwargs: Mapping[str, Any]) -> None:
    """:func:`check_set_keys` for ``cell cycle-life`` (:func:`cycle_life_uses` too)."""
    check_set_keys(kwargs, "cell cycle-life", [u.key for u in cycle_life_uses()])


def parameter_usage(params: str, recipe: str | Recipe, ion: str | None = None
                    ) -> dict[str, Any]:
    """Which values of a set a recipe reads, which it misses and which it does not read.

    Used by ``hemcell params check SET --for RECIPE``.

    Returns
    -------
    dict
        ``reads`` (names the model reads), ``missing`` (read but not in the set),
        ``unused`` (in the set, not read) and ``read_elsewhere`` (unused name → the
        command or option that reads it: ``cell cycle-life``, ``--ion Na``, ...).
    """
    from hemcell.cell.carriers import IONIC_RADII_M, reference_ion
    from hemcell.cell.parameters import anode_parameter_uses
    from hemcell.params.uses import missing_parameters, required

    rec = recipe if isinstance(recipe, Recipe) else load_recipe(recipe)
    if ion is None:
        ion = cathode_carrier_ion(rec)  # the anode's branches
    si, ps = load_si(params, ion=ion)
    inv = inventory_from_si(si)
    rec = drop_absent_mechanisms(rec, inv)
    ref = reference_ion(si) if "reference_ion_radius" in si else "Li"
    simulated = si.get("_carrier_ion") or ref
    reads = anode_parameter_uses(rec.mechanisms, inv, rec.cell, simulated, ref)
    if rec.thermal == "lumped":
        from hemcell.cell import thermal
        from hemcell.params.uses import expand

        reads.update(expand(thermal.PARAMETERS))
    elsewhere: dict[str, str] = {u.key: "cell cycle-life" for u in cycle_life_uses()}
    for other in IONIC_RADII_M:
        if other != simulated and rec.cell == "half":
            for key in anode_parameter_uses(rec.mechanisms, inv, rec.cell, other, ref):
                elsewhere.setdefault(key, f"--ion {other}")
    unused = [k for k in ps.parameters if k not in reads]
    return {
        "recipe": rec.name,
        "mechanisms": list(rec.mechanisms),
        "reads": list(reads),
        "missing": missing_parameters(si, required(reads)),
        "unused": unused,
        "read_elsewhere": {k: elsewhere[k] for k in unused if k in elsewhere},
    }


def prepare_cell(recipe: str | Recipe, params: str, protocol: str, **options: Any) -> CellSetup:
    """Resolve recipe, parameters and protocol: everything :func:`run_cell` does but solve.

    Parameters
    ----------
    recipe, params, protocol
        As :func:`run_cell`.
    **options
        ``mechanisms``, ``overrides``, ``cycles``, ``period``, ``ion`` as :func:`run_cell`;
        ``command``, the command an unread ``--set`` key is refused for (default
        ``cell run``; ``eis anode`` / ``eis full``).

    Raises
    ------
    InputError
        Unknown recipe, parameter set or mechanism, bad override or protocol step.
    """
    unknown = set(options) - {"mechanisms", "overrides", "cycles", "period", "ion", "command"}
    if unknown:
        raise TypeError(f"prepare_cell() got unexpected options {sorted(unknown)}")
    cycles, period = options.get("cycles", 1), options.get("period")
    ion = options.get("ion")
    rec, si, ps, inv = resolve_model(recipe, params, options.get("mechanisms"),
                                     options.get("overrides"), ion,
                                     command=options.get("command", "cell run"))
    if rec.cell == "full":
        from hemcell.cell.full_cell import check_full_cell, full_cell_values

        check_full_cell(rec.cathode, si.get("_carrier_ion", "Li"), protocol)
        pv = full_cell_values(si, inv, rec.cathode, rec.mechanisms, rec.n_p_ratio,
                              rec.thermal)
    else:
        pv = pybamm_values(si, inv, mechanisms=rec.mechanisms, reader=f"recipe {rec.name}")
    from hemcell.materials.lipf6_electrolyte import valoen_electrolyte_warnings
    from hemcell.runinfo import report_warnings

    # the refusals first (a molten counter electrode), then the warnings: a refused run
    # printed the electrolyte's extrapolation warning before its one error line
    if rec.cell == "half":  # a solid metal counter electrode; Na/K electrolyte tables
        from hemcell.cell.electrolytes import half_cell_temperature_warnings

        table = half_cell_temperature_warnings(si.get("_carrier_ion", "Li"),
                                               float(pv["Ambient temperature [K]"]))
    else:  # a full cell in the Na/K electrolyte tables, or the cathode set's (Li)
        from hemcell.cell.electrolytes import (
            constant_transport_warnings,
            electrolyte_table_warnings,
        )

        table = (electrolyte_table_warnings(si.get("_carrier_ion", "Li"),
                                            float(pv["Ambient temperature [K]"]))
                 or constant_transport_warnings(pv))
    report_warnings(valoen_electrolyte_warnings(pv))  # Xu2019 electrolyte: T policy
    report_warnings(table)
    report_warnings(_onset_warnings(rec, inv, pv))
    mass = active_mass_g(pv, rec.cell)
    theo = sum(theoretical_capacity(si, inv, rec.mechanisms).values())
    nominal = rate_cell(pv, rec.cell, theo)
    experiment, steps_A = build_experiment(
        protocol, mass, cycles, period, nominal_capacity_Ah=nominal,
        duration_capacity_Ah=max(nominal, capacity_Ah(theo, mass)),
        initial_voltage_V=initial_voltage_V(pv, rec.cell),
        window_V=(float(pv["Lower voltage cut-off [V]"]), float(pv["Upper voltage cut-off [V]"])),
        ohmic_resistance_ohm=separator_resistance_ohm(pv))
    return CellSetup(rec, ps, si, inv, pv, mass, theo, protocol, cycles, experiment, steps_A)


def _onset_warnings(rec: Recipe, inv: Inventory, pv: Any) -> list[str]:
    """Half-cells: conversion elements that cannot start above the cut-off."""
    if rec.cell != "half" or "conversion" not in rec.mechanisms:
        return []
    from hemcell.cell.mechanisms.conversion import onset_below_cutoff_warnings

    return onset_below_cutoff_warnings(pv, inv.conversion)


def run_cell(
    recipe: str | Recipe,
    params: str,
    protocol: str,
    mechanisms: Sequence[str] | None = None,
    overrides: Sequence[str] | None = None,
    cycles: int = 1,
    period: str | None = None,
    ion: str | None = None,
    progress: Callable[[str], None] | None = None,
) -> CellRun:
    """Simulate a protocol on a recipe with a parameter set.

    Parameters
    ----------
    recipe
        Recipe name (``models/<name>.yaml``), path or :class:`Recipe`.
    params
        Parameter-set name or path.
    protocol
        PyBaMM steps separated by ``;``; currents may be per gram ("0.1 A/g").
    mechanisms
        Override the recipe's mechanism list.
    overrides
        ``KEY=VALUE`` overrides (``--set``), validated against the registry.
    cycles
        Repetitions of the protocol.
    period
        Output period of every step, e.g. ``"30 seconds"``.
    ion
        Carrier ion (``Li``, ``Na``, ``K``; :mod:`hemcell.cell.carriers`).
    progress
        Called with a line per cycle of a long run (:class:`ExperimentCallback`).

    Returns
    -------
    CellRun
        With ``error`` set (and a partial solution) if the solver failed after the
        first step; raises :class:`SimulationError` if nothing could be solved.
    """
    setup = prepare_cell(recipe, params, protocol, mechanisms=mechanisms, overrides=overrides,
                         cycles=cycles, period=period, ion=ion)
    sim = build_simulation(
        setup.recipe, setup.parameter_values, setup.inventory, setup.experiment
    )
    return solve_cell(setup, sim, progress=progress)


#: Added to the warning of a step ended by the electrolyte running out (Sand's time): when
#: depends on how finely the mesh resolves the depletion layer where it runs out. Measured
#: with hem_half_cell_p2d's mesh (docs/anode.md, "Limits and open points"): in the pores
#: (a fast lithiation; FeS with Na at 2 A/g) its 20 electrode cells end the step 1.4-2.4 %
#: earlier than 160 do; at the Li metal surface (a fast charge; mep_ingesip3 at 5 A/g and
#: 273.15 K) its graded separator is within 0.34 % of 160 uniform cells. (The 2 A/g charge
#: of mep_ingesip3 at 273.15 K that ended at 196 mAh/g here had lost 39 % of its salt
#: through the metal surface's flux; it now charges to 3 V.)
DEPLETION_MESH_NOTE = (
    "; the electrolyte ran out (Sand's time), a moment the mesh moves (hem_half_cell_p2d: "
    "its 20 electrode cells end a step where the pores run out up to 2.5 % early, its "
    "separator one at the metal surface within 0.5 %): check the capacity with a copy of "
    "the recipe at finer x_p (pores) or x_s (metal surface) (docs/anode.md, 'Limits and "
    "open points')")


def depletion_mesh_note(recipe_name: str) -> str:
    """The note added to a step ended by the electrolyte running out, for ``recipe_name``.

    The measured mesh errors of :data:`DEPLETION_MESH_NOTE` are hem_half_cell_p2d's; any
    other recipe gets the same advice without numbers that were not measured for it.
    """
    if recipe_name == "hem_half_cell_p2d":
        return DEPLETION_MESH_NOTE
    return ("; the electrolyte ran out (Sand's time), a moment the mesh moves: check the "
            f"capacity with a copy of the recipe {recipe_name} at finer x_p (pores) or x_s "
            "(metal surface) (docs/anode.md, 'Limits and open points')")


class ExperimentCallback(pybamm.callbacks.LoggingCallback):
    """The PyBaMM callback of every hemcell experiment solve (``sim.solve(callbacks=
    [ExperimentCallback(...)])``; cell run, cathode half cells, cell cv).

    Keeps the solver error PyBaMM reports when it stops an experiment early, and
    reports the cycles of a long run (``progress``): at the end of a cycle (one
    repetition of the protocol) once :data:`hemcell.progress.LINE_INTERVAL_S` of wall
    time has passed since the last line, ``[61 s] cycle 40 of 1000 done, ETA 1464 s``
    (a quick run writes none). It is PyBaMM's logging callback of the run, so PyBaMM
    adds none of its own: a failed step is said once, by hemcell's error line (PyBaMM's
    logger had written "<date> - [ERROR] callbacks.on_experiment_error(226): Simulation
    error: ..." before it).

    Parameters
    ----------
    progress
        Called with each progress line; ``None`` writes none.
    clock
        Wall clock in seconds (a fake one in tests).
    recipe_name
        The run's recipe: names the mesh to refine when the electrolyte runs out
        (:func:`depletion_mesh_note`).

    Attributes
    ----------
    error : BaseException or None
        The error of the step that stopped the experiment, ``None`` if none did.
    """

    def __init__(self, progress: Callable[[str], None] | None = None,
                 clock: Callable[[], float] = time.perf_counter,
                 recipe_name: str = "hem_half_cell_p2d") -> None:
        from hemcell.progress import LineInterval

        super().__init__()
        self.error: BaseException | None = None
        self.depletion_note = depletion_mesh_note(recipe_name)
        self.progress = progress
        self.interval = LineInterval(clock)

    def on_cycle_end(self, logs: dict) -> None:
        """PyBaMM calls this after every cycle with ``logs["cycle number"]`` = (n, N)."""
        from hemcell.progress import cycle_line

        if self.progress is None:
            return
        now = self.interval.due()
        if now is None:
            return
        n, total = logs["cycle number"]
        self.progress(cycle_line(now - self.interval.start_s, n, total))

    def on_experiment_error(self, logs: dict) -> None:
        """PyBaMM calls this with ``logs["error"]`` when a step's solve fails."""
        self.error = logs.get("error")

    def on_experiment_infeasible_event(self, logs: dict) -> None:
        """PyBaMM calls this when a model event (not the step's own cut-off) ended a step
        and the experiment stops there; said as hemcell's one-line warning (PyBaMM's
        logger wrote "<date> - [WARNING] callbacks.on_experiment_infeasible_event(245):"
        and the message over three lines: ``cell run hem_half_cell_sp`` with "Charge at 1C
        until 6 V", ended at the set's 3 V cut-off)."""
        from hemcell.runinfo import report_warnings

        if str(logs["termination"]) == "failure":  # a solve that failed part-way, not an
            return  # event: hemcell's error line names the step and time (check_completion)
        depleted = DEPLETION_EVENT in str(logs["termination"])
        report_warnings([f"'{logs['termination']}' ended step {logs['step number'][0]} of "
                         f"cycle {logs['cycle number'][0]} "
                         f"('{logs['step operating conditions']}') before its own cut-off "
                         "or duration: the experiment stops there"
                         + (self.depletion_note if depleted else "")])

    def on_experiment_infeasible_time(self, logs: dict) -> None:
        """PyBaMM calls this when a step reached its default duration before its cut-off;
        said as hemcell's one-line warning (as :meth:`on_experiment_infeasible_event`)."""
        from hemcell.runinfo import report_warnings

        report_warnings([f"step {logs['step number'][0]} of cycle {logs['cycle number'][0]} "
                         f"('{logs['step operating conditions']}') reached its duration "
                         f"({logs['step duration']} s) before its cut-off: the experiment "
                         "stops there"])


#: End of IDAKLU's warning for a solve that failed part-way (``on_failure="warn"``).
_PARTIAL_SOLUTION = ", returning a partial solution."


def _solve_keeping_partial(sim: pybamm.Simulation, inputs: dict[str, float],
                           errors: ExperimentCallback) -> Any:
    """``sim.solve`` with IDAKLU's ``on_failure="warn"``: a step whose solve fails
    part-way keeps its solution up to the failure, with termination ``"failure"`` (PyBaMM
    then ends the experiment), instead of being dropped. IDAKLU reports the failure as a
    warning; it is recorded in ``errors`` as PyBaMM's ``SolverError`` is (other warnings
    are passed on).
    """
    import warnings

    built = [sim.solver, getattr(sim, "_built_experiment_solver", None),
             *(getattr(sim, "steps_to_built_solvers", None) or {}).values()]
    for solver in built:
        if isinstance(solver, pybamm.IDAKLUSolver):
            solver.on_failure = "warn"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        sol = sim.solve(inputs=inputs, callbacks=[errors])
    for w in caught:
        text = str(w.message)
        if not text.endswith(_PARTIAL_SOLUTION):
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
        elif errors.error is None:
            errors.error = pybamm.SolverError(text[: -len(_PARTIAL_SOLUTION)])
    return sol


def solve_cell(
    setup: CellSetup, sim: pybamm.Simulation, inputs: Mapping[str, float] | None = None,
    progress: Callable[[str], None] | None = None,
) -> CellRun:
    """Solve ``sim`` (built for ``setup``) and check that every protocol step ran.

    Parameters
    ----------
    setup
        From :func:`prepare_cell`.
    sim
        A simulation of the setup's model and experiment (:func:`build_simulation`),
        possibly one shared by many setups with the differing values as ``inputs``.
    inputs
        PyBaMM input-parameter values.
    progress
        Called with a line per cycle of a long run (:class:`ExperimentCallback`).

    Returns
    -------
    CellRun
        With ``error`` set if a step did not finish: the finished steps are kept, and a
        step whose solve failed part-way is kept up to the failure (its termination
        ``"failure"``, :func:`_solve_keeping_partial`).

    Raises
    ------
    SimulationError
        If nothing ran: the first step could not start or its solve failed at its
        start, naming that step.
    """
    from hemcell.cell.protocols import solver_failure_hint, split_steps

    first = split_steps(setup.protocol)[0]
    errors = ExperimentCallback(progress, recipe_name=setup.recipe.name)
    t0 = time.perf_counter()
    try:
        sol = _solve_keeping_partial(sim, dict(inputs or {}), errors)
    except pybamm.SolverError as exc:
        if "infeasible due to exceeded bounds at initial conditions" in str(exc):
            raise SimulationError(
                "no step could start: each step's voltage is past its cut-off the moment "
                "its current flows (PyBaMM: every step infeasible at its initial "
                "conditions); nothing ran, so no results were kept",
                step=first,
                time_s=0.0,
                hint="a smaller current: the cell's ohmic and kinetic drops at this one "
                "exceed the distance from its voltage to the cut-off",
            ) from None
        raise SimulationError(
            f"solver failed in the first step, before any step finished, so no results "
            f"were kept (PyBaMM returns no partial solution then): {exc}",
            step=first,
            time_s=0.0,
            hint=solver_failure_hint(first),
        ) from None
    except (ValueError, pybamm.ModelError) as exc:
        raise SimulationError(f"could not solve: {exc}", step=first) from None
    elapsed = time.perf_counter() - t0
    if sol is None or type(sol).__name__ == "EmptySolution":
        why = str(getattr(sol, "termination", "")) or "the solver returned no solution"
        raise SimulationError(
            f"the first step could not start ({why}); nothing finished, so no results "
            "were kept",
            step=first,
            time_s=0.0,
            hint="check the step's current and cut-off (a step whose cut-off is already "
            "crossed cannot start)",
        )
    err = check_completion(sol, setup.protocol, setup.cycles, errors.error,
                           setup.recipe.solver)
    return CellRun(
        setup.recipe,
        setup.parameter_set,
        setup.si,
        setup.inventory,
        sim.model,
        setup.parameter_values,
        setup.protocol,
        setup.steps_A,
        setup.mass_g,
        sol,
        elapsed,
        err,
    )


def check_completion(
    sol: Any, protocol: str, cycles: int, solver_error: BaseException | None = None,
    solver: Mapping[str, Any] | None = None,
) -> SimulationError | None:
    """A :class:`SimulationError` naming the first step that did not run, or ``None``.

    PyBaMM returns an ``EmptySolution`` for a step that is infeasible from its start (an
    event already crossed) or whose solve failed, and stops the experiment there; the
    finished steps are kept in the solution. ``solver_error`` is the error PyBaMM
    reported for the failed solve, if any (its text goes into the message); the time
    is the end of the last finished step. ``solver``: the recipe's solver settings, whose
    stall guard (:func:`hemcell.cell.recipes.idaklu_options`) says whether a failed step
    had stalled.
    """
    from hemcell.cell.protocols import solver_failure_hint, split_steps

    raw = split_steps(protocol)
    n_expected = len(raw) * cycles
    steps = [s for c in sol.cycles for s in c.steps] if sol.cycles else [sol]
    # a step whose solve failed at its start holds nothing: as a dropped step
    steps = [s for s in steps if not (_failed(s) and s.t[-1] <= s.t[0])]
    for k, st in enumerate([*steps, *([None] * (n_expected - len(steps)))]):
        if st is not None and _failed(st):
            step = raw[k % len(raw)]
            why = f"solver failed: {solver_error}" if solver_error is not None else "solver failed"
            n_stall, t_stall = _stall_guard(solver or {})
            if _stalled(st, n_stall, t_stall):
                why += (f"; it had stalled: {n_stall} time steps in a row advanced about "
                        f"{t_stall:g} s in all")
            return SimulationError(
                f"protocol stopped in step {k + 1} of {n_expected} ({why}); {k} finished "
                "step(s) and this step up to the failure were kept (summary.json: "
                "termination 'failure')",
                step=step,
                time_s=float(st.t[-1]),
                hint=f"the results up to the failure were written to --out; "
                f"{solver_failure_hint(step)}",
            )
        if st is None or type(st).__name__ == "EmptySolution":
            done = [s for s in steps[:k] if type(s).__name__ != "EmptySolution"]
            t_fail = float(done[-1].t[-1]) if done else 0.0
            stopped = _stopped_by_model_event(done, raw, n_expected) if st is None else None
            if stopped is not None:
                return stopped
            if st is not None:
                why = str(getattr(st, "termination", ""))
            elif solver_error is not None:
                why = f"solver failed: {solver_error}"
            else:
                why = "no solution: the solver failed or the step could not start"
            step = raw[k % len(raw)]
            what = (solver_failure_hint(step) if st is None and solver_error is not None
                    else "check the step's current and cut-off (a step whose cut-off is "
                    "already crossed cannot start)")
            return SimulationError(
                f"protocol stopped at step {k + 1} of {n_expected} ({why or 'infeasible'}); "
                f"{len(done)} finished step(s) were kept",
                step=step,
                time_s=t_fail,
                hint=f"finished cycles were written to --out; {what}",
            )
    if "fail" in str(getattr(sol, "termination", "")).lower():
        return SimulationError(
            f"solver failed ({sol.termination})", step=raw[-1], time_s=float(sol.t[-1])
        )
    # every step ran; a last step ended by a model event (the pores' electrolyte) keeps its
    # result: summary.json's termination names the event (the cathode rate-capacity
    # validation cases read the capacity up to it)
    return None


def _stall_guard(solver: Mapping[str, Any]) -> tuple[int, float]:
    """The stall guard's steps and time [s] the solver ran with."""
    options = idaklu_options(solver)
    return int(options["num_steps_no_progress"]), float(options["t_no_progress"])


def _stalled(step: Any, n_steps: int, time_s: float) -> bool:
    """Whether a failed step had stalled: its last half ``n_steps`` time steps advanced
    less than ``time_s`` in all (IDAKLU's stall guard counts ``n_steps`` from its last
    point of progress, so the whole count can span a little more)."""
    t = np.asarray(step.t)
    n = max(n_steps // 2, 1)
    return n_steps > 0 and t.size > n and float(t[-1] - t[-1 - n]) < time_s


def _failed(step_solution: Any) -> bool:
    """Whether a step's solve failed part-way (IDAKLU's partial solution,
    :func:`_solve_keeping_partial`)."""
    return str(getattr(step_solution, "termination", "")) == "failure"


def _stopped_by_model_event(done: Sequence[Any], raw: Sequence[str], n_expected: int
                            ) -> SimulationError | None:
    """The error for a protocol whose last kept step was ended by a model event (e.g. the
    electrolyte's zero concentration), not by the step's own cut-off or duration, with
    steps left to run; ``None`` otherwise (PyBaMM then stops the experiment: "Experiment
    is infeasible")."""
    last = str(getattr(done[-1], "termination", "")) if done else ""
    if not last.startswith("event:") or "[experiment]" in last:
        return None
    return SimulationError(
        f"protocol stopped in step {len(done)} of {n_expected} ({last}); "
        f"{len(done)} step(s) were kept, the last one up to that event",
        step=raw[(len(done) - 1) % len(raw)], time_s=float(done[-1].t[-1]),
        hint="the electrolyte in an electrode's pores runs out at this current: a lower "
        "current, a higher temperature (where the electrolyte's transport follows it: the "
        "Na and K tables are at 298.15 K only), or a thinner or more porous electrode (half "
        "cells: --set anode_thickness=... / cathode_thickness=..., anode_porosity=... / "
        "cathode_porosity=...; a full cell's cathode: a set that extends the recipe's)"
        if "electrolyte" in last.lower() else None)


def summarize(run: CellRun, timeseries: bool = True
              ) -> tuple[dict[str, Any], list[analysis.StepData], list]:
    """Summary dict (keys documented in docs/anode.md, "Outputs") plus the step data and cycles.

    ``timeseries=False`` reads only the variables the summary needs (the step data then
    lack the columns only ``timeseries.csv`` writes: :func:`analysis.observed_variables`).
    """
    mechs = list(run.recipe.mechanisms)
    steps = analysis.step_data(run.solution, mechs, timeseries)
    cycles = analysis.split_cycles(steps)
    cyc = analysis.cycle_summary(cycles, mechs, cell=run.recipe.cell)
    theo = theoretical_capacity(run.si, run.inventory, mechs)
    summary: dict[str, Any] = {
        "recipe": run.recipe.name,
        "parameter_set": getattr(run.parameter_set, "name", str(run.parameter_set)),
        "mechanisms": mechs,
        "geometry": run.recipe.geometry,
        "cell": run.recipe.cell,
        "cathode": run.recipe.cathode,
        "n_cycles": len(cycles),
        **cyc,
        "charge_balance_relative_error": analysis.charge_balance_error(steps, mechs),
        **analysis.dqdv_peak_summary(cycles),
        "theoretical_capacity_mAh_per_g": theo,
        "theoretical_capacity_total_mAh_per_g": float(sum(theo.values())),
        "active_mass_g": run.mass_g,
        **analysis.cell_capacities(cyc, run.mass_g, run.parameter_values),
        "solve_time_s": run.solve_time_s,
        "termination": str(getattr(run.solution, "termination", "")),
        "completed": run.error is None,
        "carrier_ion": run.si.get("_carrier_ion", "Li"),
        "half_cell": (
            describe_half_cell(run.si.get("_carrier_ion", "Li"))
            if run.recipe.cell == "half"
            else None
        ),
    }
    if run.recipe.cell == "full":  # the capacities its anode is sized on (theoretical, > 0 V)
        from hemcell.cell.full_cell import anode_sizing

        summary["anode_sizing"] = anode_sizing(run.si, run.inventory, mechs,
                                               run.recipe.n_p_ratio)
    if run.error is not None:
        summary["error"] = str(run.error)
    from hemcell.materials.lipf6_electrolyte import valoen_electrolyte_warnings

    warnings = [*valoen_electrolyte_warnings(run.parameter_values),
                *_onset_warnings(run.recipe, run.inventory, run.parameter_values)]
    if run.recipe.thermal == "lumped":  # flag a cell above its electrolyte's stability
        from hemcell.cell.thermal import T_NAME, temperature_check
        from hemcell.runinfo import report_warnings

        pv = run.parameter_values
        keys, hot = temperature_check(run.solution[T_NAME].entries,
                                      float(pv["Total heat transfer coefficient [W.m-2.K-1]"]),
                                      float(pv["Cell cooling surface area [m2]"]))
        summary.update(keys)
        warnings = [*warnings, *report_warnings(hot)]
    from hemcell.runinfo import report_warnings

    keys, below = measured_range_report(run.parameter_values, run.solution)
    summary.update(keys)
    warnings = [*warnings, *report_warnings(below)]
    keys, limited = polarisation_report(analysis.solved_steps(run.solution))
    summary.update(keys)
    warnings = [*warnings, *report_warnings(limited)]
    # a full cell's lowest anode potential vs the carrier metal (below 0 V: plating)
    keys, plating = analysis.anode_potential_minimum(steps, cycles,
                                                     run.si.get("_carrier_ion", "Li"))
    summary.update(keys)
    warnings = [*warnings, *report_warnings(plating)]
    # and its cathode's highest and lowest potential; a hemcell cathode set's window is
    # vs the metal (its half cell's), so past it the cathode is outside its data (a
    # PyBaMM base set's cut-offs are a graphite cell's, not a window vs the metal: none)
    from hemcell.cell.cathodes import cathode_set_si, is_cathode_set

    cathode = getattr(run.recipe, "cathode", None)
    window_V = (-float("inf"), float("inf"))
    if cathode and is_cathode_set(cathode):
        cs = cathode_set_si(cathode)
        window_V = (float(cs["cathode_lower_cutoff_potential"]),
                    float(cs["cathode_upper_cutoff_potential"]))
    keys, outside = analysis.cathode_potential_extremes(
        steps, cycles, run.si.get("_carrier_ion", "Li"), window_V)
    summary.update(keys)
    warnings = [*warnings, *report_warnings(outside)]
    if warnings:  # outside the electrolyte fits' range (also written to stderr)
        summary["warnings"] = warnings
    return summary, steps, cycles


def write_outputs(
    run: CellRun, out_dir: str | Path, command: Sequence[str] | str | None = None,
    plots_on: bool = True,
) -> dict[str, Any]:
    """Write summary.json, run.json, timeseries.csv (and the same as CF netCDF,
    timeseries.nc: dimension time_s, cycle and step as variables) and the three figures
    (not with ``plots_on=False``: the data files are the same either way).

    Raises
    ------
    SimulationError
        After writing, if the run did not finish (the finished part is kept).
    """
    from hemcell.runinfo import write_run_record, write_summary

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    summary, steps, cycles = summarize(run)
    cols, table = analysis.timeseries_table(steps, cycles, run.recipe.mechanisms)
    from hemcell.netcdf import write_timeseries

    write_timeseries(out, cols, table, as_variables=("cycle", "step"),
                     title=f"hemcell cell run: {run.recipe.name}",
                     attrs={"recipe": run.recipe.name, "protocol": run.protocol,
                            "parameter_set": str(summary["parameter_set"])})
    if plots_on:
        title = f"{summary['parameter_set']} — {run.recipe.name}"
        vlabel = ("Cell voltage (V)" if run.recipe.cell == "full"
                  else plots.voltage_label(run.si.get("_carrier_ion", "Li")))
        # a full cell's capacities are per gram of its anode, as the summary's
        per = "anode active material" if run.recipe.cell == "full" else plots.ACTIVE_MATERIAL
        plots.voltage_profile(cycles, out / "voltage_profile.png", title, ylabel=vlabel,
                              per_gram_of=per)
        plots.mechanism_contributions(
            cycles, run.recipe.mechanisms, out / "mechanism_contributions.png", title,
            ylabel=vlabel, per_gram_of=per
        )
        plots.dqdv_plot(cycles, out / "dqdv.png", title, xlabel=vlabel)
    write_summary(out, summary)
    record = {}
    try:
        record = {n: p.record() for n, p in run.parameter_set.parameters.items()}
    except Exception:
        record = dict(run.si)
    write_run_record(
        out,
        record,
        command=command,
        extra={
            "recipe": run.recipe.__dict__,
            "protocol": run.protocol,
            "protocol_steps_A": run.steps_A,
            "anode_sizing": summary.get("anode_sizing"),
            "warnings": summary.get("warnings", []),
            "inventory": {
                "conversion": list(run.inventory.conversion),
                "alloying": dict(run.inventory.alloying),
                "space_charge": list(run.inventory.space_charge),
            },
        },
    )
    if run.error is not None:
        raise run.error
    return summary
