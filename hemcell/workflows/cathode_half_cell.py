"""Cathode half cells: a cathode parameter set against its carrier's metal (``cell run``).

A recipe with ``cell: cathode_half`` (``models/cathode_half_cell_p2d.yaml``,
``models/cathode_half_cell_sp.yaml``) runs the cathode set named by ``--params``
(``parameters/cathode_*.yaml``) in PyBaMM's half cell,
``pybamm.lithium_ion.DFN({"working electrode": "positive"})`` (geometry ``p2d``) or
``SPM`` (``sp``): the counter electrode is the metal of the set's carrier ion (Na, K,
Li) with its own exchange current, in that ion's electrolyte
(:func:`hemcell.cell.cathodes.half_cell_values`). PyBaMM's sign convention holds:
"Discharge" inserts the carrier into the cathode (voltage falls), "Charge" extracts it.
Currents per gram refer to the active cathode mass ρ ε_s L A; C-rates to c_max F ε_s L A.

Summary (``summary.json``): per cycle and per step the charge and discharge capacities
[mAh g⁻¹ of cathode], the mean voltage of every charge and discharge step, the carrier
balance (carrier leaving the cathode against ∫I dt), the cathode stoichiometry at the
end of every step, the lowest electrolyte concentration of the run against the lowest of
its conductivity table (:func:`hemcell.cell.electrolytes.measured_range_report`, with a
warning below it) and, for a set with a ``cathode_volume_change`` δ_V, the particle
volume strain ΔV/V(θ̄) = δ_V (θ_dis − θ̄)/(θ_dis − θ_ch)
(:func:`hemcell.cell.cathodes.volume_strain`) and the electrode thickness change
ΔL = L ε_s ΔV/V — assumed: the electrode swells only through its thickness (held
in-plane by the current collector) and its pores keep their volume, so the particles'
added volume ε_s L A ΔV/V spreads over the area A. A hard-carbon full cell's summary also
gives its capacities per gram of each electrode and its specific energy
(:func:`hemcell.cell.analysis.electrode_specific_capacities`); ``mesh`` names the domains
the model's equations are on (:func:`solved_mesh_names`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pybamm

from hemcell.cell.analysis import cell_capacities
from hemcell.cell.cathodes import cathode_set_values
from hemcell.cell.electrolytes import add_depletion_event, separator_resistance_ohm
from hemcell.cell.recipes import (
    FAR_START_IC_LINESEARCH_BACKTRACKS,
    MIN_CELLS,
    Recipe,
    load_recipe,
    mesh_points,
    recipe_solver,
    refuse_recipe_keys,
)
from hemcell.errors import InputError, SimulationError

CELL = "cathode_half"
#: Recipe cells this workflow runs: a cathode set vs its metal, or vs hard carbon
#: (:mod:`hemcell.cell.hard_carbon`, PyBaMM's DFN with Chayambuka2022's hard carbon).
CELLS = (CELL, "hard_carbon_full")
MODELS = {"p2d": "DFN", "sp": "SPM"}
#: IDAKLU options of every cathode half cell and hard-carbon full cell unless the recipe's
#: ``solver:`` sets them: 100 line-search backtracks in IDA's consistent-initial-condition
#: search (:data:`hemcell.cell.recipes.FAR_START_IC_LINESEARCH_BACKTRACKS`; PyBaMM's
#: default 5). A fast step from rest (O3 at 5C, NVPF at 10C or 2 A/g, in
#: the P2D half cell and vs hard carbon) failed at t = 0 with IDA_BAD_K after "The
#: linesearch algorithm failed": the Newton from rest (every overpotential 0) towards the
#: step's exponential kinetics ran out of backtracks, while the same step started after
#: one second at 1C ran. As the anode cross-check's reference model
#: (:data:`hemcell.workflows.anode_crosscheck.REFERENCE_IC_OPTIONS`); a search that
#: converged within 5 backtracks is unchanged, a real failure still raises.
START_IC_OPTIONS = {"max_linesearch_backtracks_ic": FAR_START_IC_LINESEARCH_BACKTRACKS}


def is_cathode_half_cell(recipe: str | Recipe) -> bool:
    """Whether ``recipe`` (name, path or :class:`Recipe`) is a cathode half cell or a
    hard carbon ‖ cathode-set full cell (``--params`` names the cathode set in both)."""
    try:
        rec = recipe if isinstance(recipe, Recipe) else load_recipe(recipe)
    except InputError:
        return False
    return rec.cell in CELLS


@dataclass
class CathodeHalfCellRun:
    """A solved cathode half cell (``solution`` partial if ``error`` is set)."""

    recipe: Recipe
    params: str
    si: dict[str, Any]
    parameter_values: pybamm.ParameterValues
    protocol: str
    steps_A: list[str]
    mass_g: float
    solution: Any
    solve_time_s: float
    error: SimulationError | None = None
    #: points per domain the model was solved on (:func:`electrode_mesh`)
    var_pts: dict[str, int] | None = None
    #: per step, the charge each couple holds (:func:`couple_charge_mAh_per_g`)
    couple_charge: list[np.ndarray] | None = None
    #: the warnings given before the solve (the electrolyte's or the hard carbon's
    #: temperature): the summary and run.json keep them with the run's own
    warnings: list[str] | None = None


def cathode_values(name: str, overrides: Sequence[str], recipe: str | Recipe
                   ) -> tuple[dict[str, Any], Any]:
    """A cathode set's SI values with ``--set`` overrides for a cell of ``recipe`` (name,
    path or :class:`Recipe`; :func:`hemcell.cell.cathodes.cathode_set_values`: a value
    only the metal counter electrode reads is refused on a hard-carbon cell), recipe keys
    among the overrides refused first (:func:`hemcell.cell.recipes.refuse_recipe_keys`:
    the N/P ratio, the mesh or the solver belong to the recipe file)."""
    from hemcell.params.uses import override_keys

    rec = recipe if isinstance(recipe, Recipe) else load_recipe(recipe)
    if overrides:
        refuse_recipe_keys(override_keys(overrides), rec.name)
    si, record = cathode_set_values(name, overrides, metal_counter_electrode=rec.cell == CELL)
    _check_particle_fits(si)
    return si, record


def _check_particle_fits(si: dict[str, Any]) -> None:
    """Refuse a cathode thinner than one particle (exit 2;
    :func:`hemcell.cell.parameters.particle_fits`, as the anode's check):
    ``--set cathode_thickness=1nm`` with 0.59 um particles ran and printed the 68 um
    electrode's 115.4 mAh/g."""
    from hemcell.cell.parameters import particle_fits

    radius_m, thickness_m = float(si["cathode_particle_radius"]), float(si["cathode_thickness"])
    if not particle_fits(radius_m, thickness_m):
        raise InputError("cathode_thickness", f"{thickness_m:g} m",
                         f"at least the particle diameter 2 x cathode_particle_radius = "
                         f"{2 * radius_m:g} m: a particle must fit in the electrode",
                         hint="raise cathode_thickness or lower cathode_particle_radius")


def check_set_keys(kwargs: dict[str, Any]) -> None:
    """Refuse the ``--set`` keys of a parsed ``cell run`` argument list that the recipe's
    model does not read (the sweep-spec check, before anything runs): a cathode half
    cell's names, else :func:`hemcell.workflows.anode.check_set_keys`."""
    if is_cathode_half_cell(kwargs["recipe"]):
        recipe = kwargs["recipe"]
        cathode_values(kwargs["params"], kwargs.get("set_") or [], recipe)
    else:
        from hemcell.workflows.anode import check_set_keys as check_anode_keys

        check_anode_keys(kwargs)


def parameter_usage(params: str, recipe: str | Recipe, ion: str | None = None
                    ) -> dict[str, Any]:
    """What ``recipe`` reads of ``params`` (``hemcell params check SET --for RECIPE``): a
    cathode set's (:func:`cathode_parameter_usage`), else
    :func:`hemcell.workflows.anode.parameter_usage`."""
    from hemcell.cell.cathodes import is_cathode_set

    if is_cathode_set(params):
        return cathode_parameter_usage(params, recipe)
    if is_cathode_half_cell(recipe):
        raise InputError("SET", params, "a cathode parameter set (parameters/registry/"
                         "cathode.yaml) for a cathode half-cell or hard-carbon recipe",
                         hint="the recipe's cell is cathode_half or hard_carbon_full: it "
                         "reads a cathode set")
    from hemcell.workflows.anode import parameter_usage as anode_parameter_usage

    return anode_parameter_usage(params, recipe, ion)


@dataclass
class CathodeCellSetup:
    """A cathode cell prepared as ``cell run`` prepares it, not yet solved
    (:func:`prepare_cell`)."""

    recipe: Recipe
    si: dict[str, Any]
    parameter_values: pybamm.ParameterValues
    experiment: pybamm.Experiment
    steps_A: list[str]
    mass_g: float
    model: pybamm.BaseModel
    var_pts: dict[str, int]
    #: the warnings of the preparation (the electrolyte's or hard carbon's temperature)
    warnings: list[str]


def prepare_cell(
    recipe: str | Recipe,
    params: str,
    protocol: str,
    mechanisms: Sequence[str] | None = None,
    overrides: Sequence[str] | None = None,
    cycles: int = 1,
    period: str | None = None,
    ion: str | None = None,
    warn: bool = True,
) -> CathodeCellSetup:
    """Everything :func:`run_cell` does before the solve: values, the checks of the
    input, the experiment, the model and its mesh (the sweep's check of a spec's points,
    ``hemcell.workflows.anode_sweep.point_setup``, prepares them so). ``warn``: write
    the preparation's warnings to stderr (they are in the setup either way).

    Raises
    ------
    InputError
        As :func:`run_cell`.
    """
    from hemcell.cell.cathodes import (
        cathode_carrier,
        cathode_mass_g,
        check_cathode_cell,
        half_cell_values,
    )
    from hemcell.cell.protocols import build_experiment
    from hemcell.runinfo import report_warnings

    rec = recipe if isinstance(recipe, Recipe) else load_recipe(recipe)
    if rec.cell not in CELLS:
        raise InputError("RECIPE", rec.name, f"a recipe with cell: {' or '.join(CELLS)}")
    if mechanisms:
        raise InputError("--mechanisms", ",".join(mechanisms), "none for a cathode half cell "
                         "(the mechanisms are the HEM anode's)")
    si, _ = cathode_values(params, overrides or [], rec)
    # vs hard carbon the cell's voltage is not the cathode's: only a voltage above the
    # window's top is refused, the run reports the cathode's potential
    check_cathode_cell(params, si, ion or cathode_carrier(si), protocol,
                       full_cell=rec.cell != CELL)
    if rec.cell == CELL:
        from hemcell.cell.electrolytes import half_cell_temperature_warnings

        pv = half_cell_values(params, si)
        start_warnings = half_cell_temperature_warnings(
            cathode_carrier(si), float(pv["Ambient temperature [K]"]))
    else:
        from hemcell.cell.electrolytes import electrolyte_table_warnings
        from hemcell.cell.hard_carbon import full_cell_values, temperature_warnings

        pv = full_cell_values(params, si, rec.n_p_ratio)
        cell_K = float(pv["Ambient temperature [K]"])
        start_warnings = (electrolyte_table_warnings(cathode_carrier(si), cell_K)
                          + temperature_warnings(cell_K))
    start_warnings = report_warnings(start_warnings) if warn else list(start_warnings)
    mass = cathode_mass_g(si, pv)
    nominal = float(pv["Nominal cell capacity [A.h]"])
    sto0 = (pv["Initial concentration in positive electrode [mol.m-3]"]
            / pv["Maximum concentration in positive electrode [mol.m-3]"])
    u0 = float(np.ravel(pv.evaluate(pv["Positive electrode OCP [V]"](pybamm.Scalar(sto0))))[0])
    experiment, steps_A = build_experiment(protocol, mass, cycles, period,
                                           nominal_capacity_Ah=nominal,
                                           duration_capacity_Ah=nominal, initial_voltage_V=u0,
                                           window_V=(float(pv["Lower voltage cut-off [V]"]),
                                                     float(pv["Upper voltage cut-off [V]"])),
                                           ohmic_resistance_ohm=separator_resistance_ohm(pv))
    model = cell_model(rec.geometry, rec.cell)
    add_depletion_event(model)
    var_pts = electrode_mesh(model, rec, pv)
    return CathodeCellSetup(rec, si, pv, experiment, steps_A, mass, model, var_pts,
                            start_warnings)


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
) -> CathodeHalfCellRun:
    """Run ``protocol`` on the cathode set ``params`` against its metal.

    Parameters
    ----------
    recipe
        A ``cell: cathode_half`` recipe (name, path or :class:`Recipe`).
    params
        Cathode set name or path.
    protocol
        PyBaMM steps separated by ``;``; currents per gram of cathode or C-rates.
    mechanisms
        Refused: the anode's mechanisms do not apply.
    overrides
        ``KEY=VALUE`` values of the cathode set (``--set``).
    cycles, period
        As :func:`hemcell.workflows.anode.run_cell`.
    ion
        Carrier ion; must be the set's (default: the set's).
    progress
        As :func:`hemcell.workflows.anode.run_cell`.

    Raises
    ------
    InputError
        Not a cathode half-cell recipe or cathode set, an ion the set does not carry, a
        protocol voltage outside the set's window.
    SimulationError
        Nothing could be solved.
    """
    from hemcell.cell.protocols import solver_failure_hint

    setup = prepare_cell(recipe, params, protocol, mechanisms, overrides, cycles, period, ion)
    rec = setup.recipe
    sim = pybamm.Simulation(setup.model, parameter_values=setup.parameter_values,
                            experiment=setup.experiment,
                            solver=recipe_solver({**START_IC_OPTIONS, **rec.solver}),
                            var_pts={**setup.model.default_var_pts, **setup.var_pts})
    from hemcell.workflows.anode import ExperimentCallback, check_completion

    errors = ExperimentCallback(progress, recipe_name=rec.name)
    first = protocol.split(";")[0].strip()
    t0 = time.perf_counter()
    try:
        sol = sim.solve(callbacks=[errors])
    except pybamm.SolverError as exc:
        raise SimulationError(f"solver failed in the first step: {exc}", step=first,
                              time_s=0.0, hint=solver_failure_hint(first)) from None
    elapsed = time.perf_counter() - t0
    if sol is None or type(sol).__name__ == "EmptySolution":
        raise SimulationError("the first step could not start", step=first, time_s=0.0,
                              hint="check the step's current and cut-off")
    err = check_completion(sol, protocol, cycles, errors.error, rec.solver)
    return CathodeHalfCellRun(rec, str(params), setup.si, setup.parameter_values, protocol,
                              setup.steps_A, setup.mass_g, sol, elapsed, err, setup.var_pts,
                              warnings=setup.warnings)


def cell_model(geometry: str, cell: str) -> pybamm.BaseModel:
    """The PyBaMM model of a cathode half cell (``cell`` :data:`CELL`: the DFN with the
    exact salt flux at the metal face, :class:`hemcell.cell.metal_face.MetalFaceDFN`, or
    PyBaMM's SPM, both with ``"working electrode": "positive"``) or of a hard-carbon full
    cell (PyBaMM's DFN or SPM)."""
    if cell == CELL and MODELS[geometry] == "DFN":
        from hemcell.cell.metal_face import MetalFaceDFN

        return MetalFaceDFN({"working electrode": "positive"})
    return getattr(pybamm.lithium_ion, MODELS[geometry])(
        {"working electrode": "positive"} if cell == CELL else {})


#: The electrode whose cells :func:`electrode_mesh` keeps at least a particle diameter
#: thick: the cathode set's (``--set cathode_thickness``). A hard-carbon anode keeps the
#: recipe's mesh (64 µm of 3.48 µm particles: the rule would coarsen the shipped cells).
ELECTRODE_MESH = {"x_p": "Positive"}


def electrode_mesh(model: pybamm.BaseModel, recipe: Recipe, pv: pybamm.ParameterValues
                   ) -> dict[str, int]:
    """The model's points per domain: the recipe's, with the cathode's cells no thinner
    than one particle diameter, N ≤ max(3, ⌊L / 2R⌋) (PyBaMM's finite volumes
    need three).

    Porous-electrode theory averages over a volume holding many particles (Newman &
    Thomas-Alyea, ch. 22); a cell thinner than a particle resolves nothing the model holds,
    and it makes the algebraic system ill-conditioned: the solid potential's σ/Δx²
    against the reaction's a ∂j/∂η = a (2 j₀ F/2RT) cosh(Fη/2RT), smallest at a low
    current. A 10 µm NVPF electrode (R = 0.59 µm, j₀ = 5.7e-4 A m⁻² at θ₀ = 0.994) with
    40 cells (Δx = 0.25 µm): condition 1.5e10 of the algebraic Jacobian at C/20, 3e8 at
    1C; IDA's initial-condition line search fails at C/20 and the step does not start. The
    cause is Δx, not L: the sets' 68 µm electrode fails the same way with 272 cells and
    runs with 136; at 10 µm 20 cells fail at the start or at the first couple step of the
    OCP, 10 and fewer run. The sets' 68 µm electrodes (39–57 diameters) keep the
    recipe's 20 cells.

    Only the domains the model's equations are on (:func:`solved_mesh_names`) are
    returned, and a recipe ``mesh:`` entry of another domain is refused (exit 2):
    PyBaMM's half cell keeps a negative-electrode x domain and the defaults of domains
    it never solves on (``r_n``, ``R_p``, ``y``, ...), and a cathode half cell's
    ``mesh: {x_n: 5}`` or an SPM's ``x_p`` changed nothing without a word.
    """
    solved = solved_mesh_names(model)
    var_pts = mesh_points({k: v for k, v in model.default_var_pts.items() if k in solved},
                          recipe)
    for key, electrode in ELECTRODE_MESH.items():
        thickness = f"{electrode} electrode thickness [m]"
        radius = f"{electrode} particle radius [m]"
        if key in var_pts and thickness in pv.keys() and radius in pv.keys():
            diameters = float(pv[thickness]) / (2 * float(pv[radius]))
            var_pts[key] = min(var_pts[key], max(MIN_CELLS, int(diameters)))
    return var_pts


def solved_mesh_names(model: pybamm.BaseModel) -> list[str]:
    """Names of the spatial variables (``x_s``, ``x_p``, ``r_p``, ...) of the domains the
    model's equations are on: the domains, primary or auxiliary, of its differential and
    algebraic variables, each with a range in the model's geometry (the current
    collector of a 1D cell is a point and has none).

    PyBaMM's half cell (``{"working electrode": "positive"}``) keeps a negative-electrode
    domain in its geometry and mesh (its x coordinate starts at the base set's
    negative-electrode thickness) with no equation on it; an SPM solves on its particles
    only (its electrode-x outputs are broadcasts).
    """
    domains: set[str] = set()
    for var in (*model.rhs, *model.algebraic):
        for names in var.domains.values():
            domains.update(names)
    geometry = model.default_geometry
    return [str(name) for domain in geometry if domain in domains
            for name, extent in geometry[domain].items()
            if isinstance(extent, dict) and "min" in extent]


def _steps(sol: Any) -> list[Any]:
    return [s for c in sol.cycles for s in c.steps
            if type(s).__name__ != "EmptySolution"] if sol.cycles else [sol]


def couple_charge_mAh_per_g(run: CathodeHalfCellRun) -> list[np.ndarray]:
    """Charge each couple holds oxidised over each step (:func:`_steps`), electrode
    average, [mAh/g of cathode], shape ``(n_couples, n_t)`` per step (computed once per
    run, for the summary and the timeseries):

        Q_k(t) = F ⟨e_k f_k(U(θ(r, x, t)))⟩ / (3.6 M),

    with θ the local filling of the particles (``Positive particle stoichiometry``, on
    each particle's uniform radial mesh weighted by shell volume r_{i+1}³ − r_i³ and
    uniformly over the electrode's x cells) and e_k f_k of
    :func:`hemcell.cell.cathodes.couple_oxidised_electrons`. Σ_k Q_k(t) = F (x_red −
    x_max ⟨θ⟩) / (3.6 M): its change is the carrier that left the cathode.
    """
    from hemcell.cell.cathodes import couple_oxidised_electrons, couple_table
    from hemcell.laws import FARADAY_C_PER_MOL

    if run.couple_charge is None:
        table = couple_table(run.si)
        per_electron = FARADAY_C_PER_MOL / (3.6 * float(run.si["cathode_molar_mass"]) * 1e3)
        run.couple_charge = []
        for step in _steps(run.solution):
            theta = np.asarray(step["Positive particle stoichiometry"].entries)  # (r, x, t)
            w_r = np.diff(np.linspace(0.0, 1.0, theta.shape[0] + 1) ** 3)
            ox = couple_oxidised_electrons(run.si, theta, table)  # (couple, r, x, t)
            mean = np.einsum("krxt,r->kt", ox, w_r) / (w_r.sum() * theta.shape[1])
            run.couple_charge.append(mean * per_electron)
    return run.couple_charge


def summarize(run: CathodeHalfCellRun) -> dict[str, Any]:
    """The summary of a cathode half-cell run (module docstring)."""
    from hemcell.cell.cathodes import cathode_carrier, couple_labels, volume_strain
    from hemcell.cell.electrolytes import describe
    from hemcell.laws import FARADAY_C_PER_MOL

    pv = run.parameter_values
    per_cycle = max(1, len(run.solution.cycles[0].steps)) if run.solution.cycles else 1
    charge, discharge, v_ch, v_dis, theta_end, strain_end = [], [], [], [], [], []
    cycle_ch: list[float] = []
    cycle_dis: list[float] = []
    cycle_dis_v: list[float] = []  # mean voltage of each of the cycle's discharge steps
    v_dis_cycle: list[float | None] = []  # capacity-weighted over the cycle's discharges
    ch_steps: list[float] = []
    dis_steps: list[float] = []
    steps = _steps(run.solution)
    names = couple_labels(run.params, run.si)
    by_couple: list[dict[str, float]] = []
    for k, st in enumerate(steps):
        t = np.asarray(st.t)
        current = np.asarray(st["Current [A]"].entries)
        q_ah = float(np.trapezoid(current, t)) / 3600  # > 0: discharge (carrier in)
        volts = np.asarray(st["Voltage [V]"].entries)
        q_mah_g = abs(q_ah) * 1000 / run.mass_g
        mean_v = float(np.trapezoid(volts * np.abs(current), t)
                       / max(np.trapezoid(np.abs(current), t), 1e-300))
        theta = float(st["Positive electrode stoichiometry"].entries[-1])
        theta_end.append(theta)
        q_couple = couple_charge_mAh_per_g(run)[k]
        direction = -1.0 if q_ah > 0 else 1.0  # discharge: the charge the couples took
        by_couple.append({name: float(direction * (q[-1] - q[0]))
                          for name, q in zip(names, q_couple, strict=True)})
        if "cathode_volume_change" in run.si:
            strain_end.append(float(volume_strain(run.si, theta)))
        (dis_steps if q_ah > 0 else ch_steps if q_ah < 0 else []).append(q_mah_g)
        if q_ah > 0:
            cycle_dis.append(q_mah_g)
            cycle_dis_v.append(mean_v)
            v_dis.append(mean_v)
        elif q_ah < 0:
            cycle_ch.append(q_mah_g)
            v_ch.append(mean_v)
        if (k + 1) % per_cycle == 0 or k == len(steps) - 1:
            charge.append(sum(cycle_ch))
            discharge.append(sum(cycle_dis))
            v_dis_cycle.append(float(np.dot(cycle_dis, cycle_dis_v) / sum(cycle_dis))
                               if sum(cycle_dis) > 0 else None)
            cycle_ch, cycle_dis, cycle_dis_v = [], [], []
    # carrier balance: carrier entering the cathode = ∫ I dt / F
    first, last = steps[0], steps[-1]
    n_in = (float(last["Total lithium in positive electrode [mol]"].entries[-1])
            - float(first["Total lithium in positive electrode [mol]"].entries[0]))
    q_passed = sum(float(np.trapezoid(np.asarray(s["Current [A]"].entries), np.asarray(s.t)))
                   for s in steps) / FARADAY_C_PER_MOL
    throughput = sum(float(np.trapezoid(np.abs(np.asarray(s["Current [A]"].entries)),
                                        np.asarray(s.t))) for s in steps) / FARADAY_C_PER_MOL
    summary: dict[str, Any] = {
        "recipe": run.recipe.name,
        "parameter_set": run.params,
        "cell": run.recipe.cell,
        "model": MODELS[run.recipe.geometry],
        "geometry": run.recipe.geometry,
        "carrier_ion": cathode_carrier(run.si),
        "half_cell": describe(cathode_carrier(run.si)),
        "n_cycles": len(charge),
        "charge_capacity_mAh_per_g": charge,
        "discharge_capacity_mAh_per_g": discharge,
        "charge_capacity_by_step_mAh_per_g": ch_steps,
        "discharge_capacity_by_step_mAh_per_g": dis_steps,
        "mean_charge_voltage_V": v_ch,
        "mean_discharge_voltage_V": v_dis,
        "couples": names,
        "capacity_by_couple_by_step_mAh_per_g": by_couple,
        # relative to the charge passed; with none passed (rests only), to the capacity
        # C-rates refer to (it was divided by 1e-300: 2.5e284 for 'Rest for 1 hour')
        "charge_balance_relative_error": abs(n_in - q_passed) / (
            throughput if throughput > 0 else
            float(pv["Nominal cell capacity [A.h]"]) * 3600 / FARADAY_C_PER_MOL),
        "cathode_stoichiometry_end_of_step": theta_end,
        "step_terminations": [str(getattr(st, "termination", "")) for st in steps],
        "active_mass_g": run.mass_g,
        **cell_capacities({"discharge_capacity_mAh_per_g": discharge,
                           "charge_capacity_mAh_per_g": charge,
                           "mean_discharge_voltage_V": v_dis_cycle}, run.mass_g, pv),
        "nominal_capacity_Ah": float(pv["Nominal cell capacity [A.h]"]),
        "window_V": [float(run.si["cathode_lower_cutoff_potential"]),
                     float(run.si["cathode_upper_cutoff_potential"])],
        "solve_time_s": run.solve_time_s,
        "mesh": dict(run.var_pts or {}),
        "termination": str(getattr(run.solution, "termination", "")),
        "completed": run.error is None,
    }
    if run.recipe.cell != CELL:  # no metal counter electrode: the electrolyte only
        from hemcell.cell.hard_carbon import describe as describe_hard_carbon

        summary["electrolyte"] = {k: v for k, v in summary.pop("half_cell").items()
                                  if k.startswith("electrolyte")}

        summary["hard_carbon"] = describe_hard_carbon(pv, run.si, run.recipe.n_p_ratio)
        summary["hard_carbon"]["stoichiometry_end_of_step"] = [
            float(st["Negative electrode stoichiometry"].entries[-1]) for st in steps]
        surface = [st["Negative particle surface stoichiometry"].entries for st in steps]
        summary["hard_carbon"]["max_surface_stoichiometry"] = max(
            float(np.max(s)) for s in surface)
        summary["hard_carbon"]["min_surface_stoichiometry"] = min(
            float(np.min(s)) for s in surface)
    if strain_end:
        eps_s = float(pv["Positive electrode active material volume fraction"])
        thick = float(pv["Positive electrode thickness [m]"])
        summary["cathode_volume_strain_end_of_step"] = strain_end
        summary["cathode_thickness_change_um_end_of_step"] = [
            thick * eps_s * s * 1e6 for s in strain_end]
    from hemcell.cell.electrolytes import measured_range_report
    from hemcell.runinfo import report_warnings

    keys, below = measured_range_report(pv, run.solution)
    summary.update(keys)
    warnings = report_warnings(below, list(run.warnings or []))
    if run.recipe.cell != CELL:  # the cathode's potential vs the metal, and its window
        keys, outside = _cathode_potential_extremes(run, steps, per_cycle)
        summary.update(keys)
        warnings += report_warnings(outside)
    if warnings:
        summary["warnings"] = warnings
    if run.error is not None:
        summary["error"] = str(run.error)
    return summary


#: PyBaMM's x-averaged Δφ = φ_s − φ_e of the positive electrode [V]: in a hard-carbon full
#: cell the cathode's potential vs the carrier metal, as the HEM full cells'
#: ``Cathode potential vs carrier metal [V]``
#: (:func:`hemcell.cell.full_cell.electrode_potential_variables`).
CATHODE_DELTA_PHI = "X-averaged positive electrode surface potential difference [V]"


def _cathode_potential_extremes(run: CathodeHalfCellRun, steps: Sequence[Any],
                                per_cycle: int) -> tuple[dict[str, Any], list[str]]:
    """A hard-carbon full cell's highest and lowest cathode potential vs the metal
    (:data:`CATHODE_DELTA_PHI`) and the warnings past the set's window, by the HEM full
    cells' rule (:func:`hemcell.cell.analysis.cathode_potential_extremes`)."""
    from hemcell.cell.analysis import StepData, cathode_potential_extremes
    from hemcell.cell.cathodes import cathode_carrier

    data = [StepData(k, "", "", {"time_s": np.asarray(st.t, dtype=float),
                                 "cathode_potential_vs_metal_V":
                                     np.asarray(st[CATHODE_DELTA_PHI].entries, dtype=float)})
            for k, st in enumerate(steps)]
    cycles = [data[i:i + per_cycle] for i in range(0, len(data), per_cycle)]
    window_V = (float(run.si["cathode_lower_cutoff_potential"]),
                float(run.si["cathode_upper_cutoff_potential"]))
    return cathode_potential_extremes(data, cycles, cathode_carrier(run.si), window_V)


def write_outputs(run: CathodeHalfCellRun, out_dir: str | Path,
                  command: Sequence[str] | str | None = None, plots_on: bool = True
                  ) -> dict[str, Any]:
    """Write summary.json, run.json, timeseries.csv (and the same as CF netCDF,
    timeseries.nc, as `cell run` of a HEM anode writes it) and (``plots_on``)
    voltage_profile.png.

    Raises
    ------
    SimulationError
        After writing, if the run did not finish (the finished part is kept).
    """
    from hemcell.runinfo import write_run_record, write_summary

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    summary = summarize(run)
    cols = ["time_s", "step", "current_A", "voltage_V", "capacity_mAh_per_g",
            "cathode_stoichiometry"]
    cols += [f"couple_{k + 1}_capacity_mAh_per_g" for k in range(len(summary["couples"]))]
    if run.recipe.cell != CELL:
        cols.append("cathode_potential_vs_metal_V")
    rows, q0, oxidised0 = [], 0.0, None
    for k, st in enumerate(_steps(run.solution)):
        t = np.asarray(st.t)
        i = np.asarray(st["Current [A]"].entries)
        q = q0 + np.concatenate([[0.0], np.cumsum(np.diff(t) * 0.5 * (i[1:] + i[:-1]))]) \
            / 3.6 / run.mass_g
        oxidised = couple_charge_mAh_per_g(run)[k]
        oxidised0 = oxidised[:, 0] if oxidised0 is None else oxidised0
        # carrier inserted since the start, as capacity_mAh_per_g: the couples' reduction
        rows.append(np.column_stack([t, np.full_like(t, k + 1), i,
                                     st["Voltage [V]"].entries, q,
                                     st["Positive electrode stoichiometry"].entries,
                                     *(oxidised0[:, None] - oxidised),
                                     *([st[CATHODE_DELTA_PHI].entries]
                                       if run.recipe.cell != CELL else [])]))
        q0 = float(q[-1])
    table = np.vstack(rows)
    from hemcell.netcdf import write_timeseries

    write_timeseries(out, cols, table, as_variables=("step",),
                     title=f"hemcell cell run: {run.recipe.name}",
                     attrs={"recipe": run.recipe.name, "protocol": run.protocol,
                            "parameter_set": str(run.params),
                            # which couple each couple_<k> column is (it was only in
                            # summary.json: the netCDF file said 'couple 1 capacity')
                            "couples": "; ".join(
                                f"couple_{k + 1}: {name}"
                                for k, name in enumerate(summary["couples"]))})
    if plots_on:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        from hemcell.cell.protocols import split_steps
        from hemcell.figures import save_figure

        texts = split_steps(run.protocol)  # the legend names each step as the protocol
        fig, ax = plt.subplots(figsize=(6, 4))
        for k in np.unique(table[:, 1]):
            m = table[:, 1] == k
            ax.plot(np.abs(table[m, 4] - table[m, 4][0]), table[m, 3],
                    label=f"{int(k)}: {texts[(int(k) - 1) % len(texts)]}")
        ax.set_xlabel("Capacity (mAh/g of cathode)")
        ax.set_ylabel(f"Voltage vs {summary['carrier_ion']} (V)" if run.recipe.cell == CELL
                      else "Cell voltage vs hard carbon (V)")
        ax.set_title(f"{run.params} — {run.recipe.name}")
        ax.legend(fontsize=7)
        save_figure(fig, out / "voltage_profile.png")
        plt.close(fig)
        _plot_couples(table, cols, summary, run, out / "couple_contributions.png")
    write_summary(out, summary)
    write_run_record(out, dict(run.si), command=command,
                     extra={"recipe": run.recipe.__dict__, "protocol": run.protocol,
                            "protocol_steps_A": run.steps_A,
                            "warnings": summary.get("warnings", [])})
    if run.error is not None:
        raise run.error
    return summary


def _plot_couples(table: np.ndarray, cols: Sequence[str], summary: dict[str, Any],
                  run: CathodeHalfCellRun, path: Path) -> None:
    """Capacity held by each couple vs voltage, each step from its start
    (``couple_contributions.png``): solid charge, dashed discharge."""
    import matplotlib.pyplot as plt

    from hemcell.figures import save_figure

    first = cols.index("couple_1_capacity_mAh_per_g")
    fig, ax = plt.subplots(figsize=(6, 4))
    colours = plt.get_cmap("tab10").colors
    for step in np.unique(table[:, 1]):
        m = table[:, 1] == step
        charging = table[m, 2].mean() < 0
        for k, name in enumerate(summary["couples"]):
            q = np.abs(table[m, first + k] - table[m, first + k][0])
            ax.plot(table[m, 3], q, color=colours[k % 10], ls="-" if charging else "--",
                    label=name if step == table[0, 1] else None)
    ax.set_xlabel(f"Voltage vs {summary['carrier_ion']} (V)" if run.recipe.cell == CELL
                  else "Cell voltage vs hard carbon (V)")
    ax.set_ylabel("Capacity by couple (mAh/g of cathode)")
    ax.set_title(f"{run.params}: charge (solid), discharge (dashed)", fontsize=9)
    ax.legend(fontsize=7, title="couple", title_fontsize=7)
    save_figure(fig, path)
    plt.close(fig)


def cathode_parameter_usage(params: str, recipe: str | Recipe) -> dict[str, Any]:
    """Which values of a cathode set a recipe reads (``hemcell params check SET --for``).

    A cathode half cell reads the values of :data:`hemcell.cell.cathodes.PARAMETERS`,
    its cell temperature (:data:`hemcell.cell.cathodes.CELL_PARAMETERS`),
    ``cathode_volume_change`` (strain and thickness change in its summary) and its metal's
    activation energy (:data:`hemcell.cell.cathodes.HALF_CELL_PARAMETERS`); a hard-carbon
    full cell the same but the volume change; a HEM-anode full cell (``hem_full_cell_*``)
    only :data:`~hemcell.cell.cathodes.PARAMETERS` (the anode set gives the temperature).

    Returns
    -------
    dict
        As :func:`hemcell.workflows.anode.parameter_usage`: ``recipe``, ``mechanisms``
        (none), ``reads``, ``missing``, ``unused``, ``read_elsewhere``.
    """
    from hemcell.cell.cathodes import CELL_PARAMETERS, HALF_CELL_PARAMETERS, PARAMETERS
    from hemcell.params import load_parameter_set

    rec = recipe if isinstance(recipe, Recipe) else load_recipe(recipe)
    if rec.cell not in (*CELLS, "full"):
        raise InputError("--for", rec.name, "a cathode half-cell or full-cell recipe for a "
                         "cathode set", hint="an anode half cell reads an anode set")
    ps = load_parameter_set(params)
    reads = [u.key for u in PARAMETERS]
    if rec.cell in CELLS:
        reads += [u.key for u in CELL_PARAMETERS]
    elsewhere = {}
    if rec.cell == CELL:
        reads.append("cathode_volume_change")
        reads += [u.key for u in HALF_CELL_PARAMETERS]
    else:
        elsewhere["cathode_volume_change"] = "cell run cathode_half_cell_*"
        elsewhere.update({u.key: "cell run cathode_half_cell_* (its metal counter electrode)"
                          for u in HALF_CELL_PARAMETERS})
    unused = [k for k in ps.parameters if k not in reads]
    return {"recipe": rec.name, "mechanisms": [], "reads": reads,
            "missing": [k for k in reads if k not in ps.parameters
                        and k != "cathode_volume_change"],
            "unused": unused,
            "read_elsewhere": {k: elsewhere[k] for k in unused if k in elsewhere}}
