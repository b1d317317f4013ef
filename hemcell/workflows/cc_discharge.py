"""Constant-current discharge of a PyBaMM half-cell, and its fast sweep path.

The command ``hemcell pybamm cc-discharge`` (:mod:`hemcell.cli.pybamm`) discharges a
Li‖positive-electrode half-cell
(``pybamm.lithium_ion.DFN/SPMe/SPM({"working electrode": "positive"})``) built from a
hemcell parameter set (e.g. ``bare_li``: Li metal against Prada2013's LFP) sized as the
set's Li‖LFP cell: LFP thickness and capacity from ``lfp_mass_loading``, the cathode
area, the cell temperature (:func:`hemcell.workflows.exchange.li_lfp_values`, the values
``params export --format pybamm`` writes), at a constant C-rate from a given initial
stoichiometry down to the lower cut-off voltage, and writes ``summary.json``. The
current is ``c_rate × "Nominal cell capacity [A.h]"`` (PyBaMM's convention for "1C",
here the LFP's theoretical capacity).

Its fast path (:class:`CCDischargeFastPath`) builds the model once with every swept
quantity as a PyBaMM ``[input]`` and solves all points with IDAKLU's multi-input
solve. The particle radius sets the particle mesh, so it cannot be an input directly;
the fast path keeps the mesh at the set's radius ``R0`` and rescales instead::

    D_eff  = D  · (R0 / R)²     (diffusion time R²/D is kept)
    j0_eff = j0 · (R0 / R)      (a·j is kept: a = 3 ε_s / R0 on the fixed mesh)

which is exact for Fickian particles with Butler–Volmer kinetics and no other use of
the surface area (no SEI, double layer or mechanics); the tests compare it with a
model rebuilt at each radius.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from hemcell.errors import InputError, SimulationError

if TYPE_CHECKING:
    from hemcell.sweep.spec import Point, SweepSpec

COMMAND = "pybamm cc-discharge"
MODELS = ("DFN", "SPMe", "SPM")
CURRENT = "Current function [A]"
RADIUS = "Positive particle radius [m]"
DIFFUSIVITY = "Positive particle diffusivity [m2.s-1]"
EXCHANGE = "Positive electrode exchange-current density [A.m-2]"
C_MAX = "Maximum concentration in positive electrode [mol.m-3]"
C_INIT = "Initial concentration in positive electrode [mol.m-3]"
STO_INPUT = "Initial positive stoichiometry"
#: PyBaMM parameters that shape the mesh or the cell's extent: never inputs.
GEOMETRY = ("Positive electrode thickness [m]", "Negative electrode thickness [m]",
            "Separator thickness [m]", "Electrode height [m]", "Electrode width [m]")
#: PyBaMM parameters the Li‖LFP sizing derives other values from (thickness and capacity
#: from c_max, the active fraction and the porosity) or replaces (carried to the cell
#: temperature): an input would not follow through the sizing, so never inputs.
SIZED = (C_MAX, "Positive electrode active material volume fraction",
         "Positive electrode porosity", "Nominal cell capacity [A.h]",
         "Ambient temperature [K]", "Initial temperature [K]",
         "Electrolyte conductivity [S.m-1]", "Electrolyte diffusivity [m2.s-1]", DIFFUSIVITY)
OUTPUT_VARIABLES = ["Voltage [V]", "Discharge capacity [A.h]", "Discharge energy [W.h]"]
SUMMARY_KEYS = ("c_rate", "current_A", "discharge_capacity_Ah", "discharge_capacity_mAh_per_cm2",
                "average_voltage_V", "discharge_energy_Wh", "end_time_s", "reached_cutoff")


@dataclass(frozen=True)
class Setup:
    """The fixed part of a discharge: parameter set, overrides, model, initial state."""

    params: str = "bare_li"
    model: str = "DFN"
    initial_stoichiometry: float = 0.01
    overrides: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        """``model`` in any case, as ``--ion`` is read: ``spme`` is PyBaMM's SPMe (one
        setup, one cache key); an unknown name is kept for :func:`base_values` to refuse."""
        canonical = {m.lower(): m for m in MODELS}.get(str(self.model).lower())
        if canonical is not None:
            object.__setattr__(self, "model", canonical)


DEFAULT = Setup()
C_RATE = 1.0  # default --c-rate


def base_values(setup: Setup) -> Any:
    """``pybamm.ParameterValues`` of the setup (set + overrides + initial state).

    Raises
    ------
    InputError
        Unknown model or parameter set, bad override.
    """
    from hemcell.params import load_parameter_set

    if setup.model not in MODELS:
        raise InputError("--model", setup.model, f"one of {MODELS}")
    if not 0.0 <= setup.initial_stoichiometry < 1.0:
        raise InputError("--initial-stoichiometry", setup.initial_stoichiometry,
                         "a value in [0, 1) (1 is a fully lithiated, already discharged LFP)")
    base = load_parameter_set(setup.params)
    p = base.with_overrides(list(setup.overrides)) if setup.overrides else base
    pv = p.to_pybamm_parameter_values() if p.kind == "surface" else None
    if pv is None or C_MAX not in pv.keys():  # an anode, cathode or phase-field set
        raise InputError("--params", setup.params, "a Li-metal cell set with its positive "
                         "electrode: bare_li, azcnf_coated_li or a set that extends one",
                         hint=f"this set (kind: {p.kind}) describes no Li | positive-electrode "
                              "half-cell; HEM anode and cathode sets run in `hemcell cell run`")
    from hemcell.cell.electrolytes import J0_METAL  # imports PyBaMM: not at `hemcell --help`

    if J0_METAL not in pv.keys():  # azcnf_coated_li: its Li kinetics are the 64/44 Ohm rule
        raise InputError("--params", setup.params, "a Li-metal cell set with its positive "
                         "electrode and a Li exchange current density (bare_li)",
                         hint="this set gives no li_exchange_current_density (the coated Li's "
                              "kinetics come from its charge-transfer resistance in "
                              "`hemcell limetal`); give one, e.g. --set "
                              "li_exchange_current_density=103.4A/m**2 (bare_li's 70.6 A/m**2 "
                              "by the 64/44 Ohm rule, docs/limetal.md)")
    _check_overrides_read(base, setup)
    pv = _cell_values(p, _anode(base))
    pv.update({C_INIT: setup.initial_stoichiometry * float(pv[C_MAX])})
    return pv


def _anode(base: Any) -> str:
    """The Li electrode of a set as it is, before any ``--set``: a coating thickness given
    by ``--set`` on a bare set does not make its Li coated."""
    return "coated" if "coating_thickness" in base.si else "bare"


def _cell_values(pset: Any, anode: str) -> Any:
    """The set's PyBaMM values sized as its Li‖LFP cell with the ``anode`` Li electrode
    (the values ``params export --format pybamm`` writes)."""
    from hemcell.workflows.exchange import li_lfp_values

    return li_lfp_values(pset, anode)[0]


def _check_overrides_read(base: Any, setup: Setup) -> None:
    """Refuse a ``--set`` value that changes none of the PyBaMM values of the cell: the
    discharge is built from those values alone, so it would change nothing (a sweep of
    ``coating_thickness`` gave the same capacity at every point).

    A name is read when its registry PyBaMM name is among the values and the sizing does
    not replace it, or when setting it (to the value given, or 0.1 % away from it: the
    value given may be the set's own) changes them (``lfp_mass_loading``: the LFP thickness
    and capacity). A name whose PyBaMM value the sizing replaces (:data:`GEOMETRY`,
    :data:`SIZED`: ``lfp_electrode_thickness``, which follows from the loading) counts
    only by that change.
    """
    from hemcell.errors import ParameterError
    from hemcell.params import registry
    from hemcell.params.uses import override_keys

    if not setup.overrides:
        return
    specs = registry()
    anode = _anode(base)
    reference = _cell_values(base, anode)
    for override, key in zip(setup.overrides, override_keys(setup.overrides), strict=True):
        pyname = specs[key].pybamm
        if pyname in reference.keys() and pyname not in GEOMETRY + SIZED:
            continue
        given = base.with_overrides([override])
        tries = [lambda given=given: _cell_values(given, anode)]
        value = given.si.get(key)
        if isinstance(value, int | float) and value != 0:
            for factor in (1.001, 0.999):
                try:
                    moved = base.with_overrides(
                        [f"{key}={value * factor!r} {specs[key].unit}"])
                except (InputError, ParameterError):  # outside the name's bounds
                    continue
                tries.append(lambda moved=moved: _sized_or_none(moved, anode))
        if all(_same_values(reference, values) for values in (t() for t in tries)
               if values is not None):
            raise InputError("--set", key, "a parameter that changes the PyBaMM values of the "
                             f"Li half-cell `pybamm cc-discharge` builds from {setup.params}",
                             hint=f"{key} changes none of them, so setting it would change "
                                  "nothing; the Li-metal commands (`hemcell limetal`, "
                                  "`hemcell surface`) read the rest of the set")


def _sized_or_none(pset: Any, anode: str) -> Any:
    """:func:`_cell_values`, or ``None`` where the sizing refuses the set (a loading moved
    0.1 % past the LFP thickness bound): such a value is skipped like one outside the
    name's registry bounds."""
    try:
        return _cell_values(pset, anode)
    except InputError:
        return None


def _same_values(a: Any, b: Any) -> bool:
    """Whether two ``pybamm.ParameterValues`` hold the same entries (functions by repr,
    which shows a bound value of a ``functools.partial``)."""
    if set(a.keys()) != set(b.keys()):
        return False
    for key in a.keys():
        x, y = a[key], b[key]
        if x is y:
            continue
        if isinstance(x, int | float) and isinstance(y, int | float):
            if x != y:
                return False
        elif repr(x) != repr(y):
            return False
    return True


def check_set_keys(kwargs: Mapping[str, Any]) -> None:
    """The sweep-spec check of a parsed ``pybamm cc-discharge`` argument list: the set and
    its ``--set`` values resolve (:func:`base_values`), each changing the PyBaMM values."""
    base_values(Setup(str(kwargs.get("params") or DEFAULT.params),
                      str(kwargs.get("model") or DEFAULT.model),
                      float(kwargs.get("initial_stoichiometry", DEFAULT.initial_stoichiometry)),
                      tuple(kwargs.get("set_") or ())))


def _model(name: str) -> Any:
    import pybamm

    return getattr(pybamm.lithium_ion, name)({"working electrode": "positive",
                                              "calculate discharge energy": "true"})


def _solver(threads: int = 1) -> Any:
    import pybamm

    return pybamm.IDAKLUSolver(output_variables=OUTPUT_VARIABLES,
                               options={"num_threads": max(1, threads)})


def _end_time(values: Mapping[str, float], current_A: float, sto0: float) -> float:
    """A time by which the cut-off must have been reached: 1.2 × theoretical capacity / I."""
    try:
        q_as = (96485.33212 * values[C_MAX] * values["Positive electrode active material "
                                                    "volume fraction"]
                * values["Positive electrode thickness [m]"] * values["Electrode height [m]"]
                * values["Electrode width [m]"] * (1.0 - sto0))
        return 1.2 * float(q_as) / current_A
    except (TypeError, KeyError, ValueError):
        return 3.0 * 3600.0 * values["Nominal cell capacity [A.h]"] / current_A


def summarise(solution: Any, c_rate: float, current_A: float, area_m2: float) -> dict[str, Any]:
    """The summary of one discharge (keys :data:`SUMMARY_KEYS`)."""
    q = float(solution["Discharge capacity [A.h]"].entries[-1])
    energy_wh = float(solution["Discharge energy [W.h]"].entries[-1])  # integrated in the model
    return {
        "c_rate": c_rate, "current_A": current_A, "discharge_capacity_Ah": q,
        "discharge_capacity_mAh_per_cm2": q * 1000.0 / (area_m2 * 1e4),
        "average_voltage_V": energy_wh / q if q > 0 else float("nan"),
        "discharge_energy_Wh": energy_wh, "end_time_s": float(solution.t[-1]),
        "reached_cutoff": str(solution.termination).startswith("event"),
    }


def discharge(setup: Setup, c_rate: float) -> dict[str, Any]:
    """Build a simulation and discharge it at ``c_rate`` (the one-point, rebuild path).

    Raises
    ------
    InputError
        A C-rate that is not finite and positive, or at which the cell starts below its
        lower cut-off.
    SimulationError
        If the solver fails.
    """
    import pybamm

    if not 0 < c_rate < float("inf"):
        raise InputError("--c-rate", c_rate, "a finite C-rate > 0")
    pv = base_values(setup)
    current = c_rate * float(pv["Nominal cell capacity [A.h]"])
    pv.update({CURRENT: current})
    sim = pybamm.Simulation(_model(setup.model), parameter_values=pv, solver=_solver())
    t_end = _end_time(pv, current, setup.initial_stoichiometry)
    try:
        sol = sim.solve([0.0, t_end])
    except pybamm.SolverError as exc:
        if "Minimum voltage" in str(exc) and "non-positive at initial conditions" in str(exc):
            cutoff = float(pv["Lower voltage cut-off [V]"])
            raise InputError(  # exit 2: the C-rate, not the solver (it was exit 1)
                "--c-rate", c_rate,
                f"a C-rate at which the cell starts above its lower cut-off {cutoff:g} V: at "
                f"{c_rate:g}C the open-circuit voltage less the drop at that current is "
                "already below it at t = 0", hint="a lower --c-rate") from None
        raise SimulationError(f"PyBaMM failed: {exc}", step=f"{c_rate:g}C discharge") from None
    area = float(pv["Electrode height [m]"]) * float(pv["Electrode width [m]"])
    return summarise(sol, c_rate, current, area)


# ------------------------------------------------------------------------------- fast path

@dataclass(frozen=True)
class _Plan:
    """How a spec's axes map onto PyBaMM inputs."""

    setup: Setup
    c_rate_axis: str | None
    sto_axis: str | None
    inputs: tuple[tuple[str, str, str | None], ...]  # (axis name, PyBaMM name, PyBaMM unit)


def _plan(spec: SweepSpec) -> _Plan | str:
    """The input plan of a spec, or why it cannot have one."""
    from hemcell.params import registry

    options = dict(spec.options)
    setup = Setup(str(options.get("--params", DEFAULT.params)),
                  str(options.get("--model", DEFAULT.model)),
                  float(options.get("--initial-stoichiometry", DEFAULT.initial_stoichiometry)),
                  tuple(f"{k}={v}" for k, v in spec.set))
    c_axis = sto_axis = None
    inputs = []
    specs = registry()
    for axis in spec.axes:
        if axis.option == "--c-rate":
            c_axis = axis.name
        elif axis.option == "--initial-stoichiometry":
            sto_axis = axis.name
        elif axis.option is not None:
            return f"{axis.option} is swept (only --c-rate, --initial-stoichiometry and " \
                   "--set parameters can be inputs)"
        else:
            pyname = specs[axis.name].pybamm
            if pyname is None:
                return f"{axis.name} has no PyBaMM name"
            if pyname in GEOMETRY:
                return f"{axis.name} ({pyname}) shapes the mesh"
            if pyname in SIZED:
                return f"{axis.name} ({pyname}) enters the sizing of the Li-LFP cell"
            inputs.append((axis.name, pyname, specs[axis.name].pybamm_unit))
    if spec.seed is not None or spec.mpi_ranks != 1:
        return "seed or mpi_ranks given"
    return _Plan(setup, c_axis, sto_axis, tuple(inputs))


def _scaled(value: Any, factor: Any) -> Any:
    """A PyBaMM parameter (number or function) multiplied by ``factor``."""
    if callable(value):
        return lambda *args: value(*args) * factor
    return value * factor


@lru_cache(maxsize=4)
def _built(plan: _Plan, threads: int) -> tuple[Any, Any]:
    """One simulation with every swept quantity as an input (cached per process)."""
    import pybamm

    pv = base_values(plan.setup)
    base = pv.copy()
    names = {name for _, name, _ in plan.inputs}
    for name in names - {RADIUS}:
        pv.update({name: pybamm.InputParameter(name)}, check_already_exists=False)
    if RADIUS in names:
        r0 = float(base[RADIUS])
        ratio = r0 / pybamm.InputParameter(RADIUS)
        diffusivity = pv[DIFFUSIVITY]
        pv.update({DIFFUSIVITY: _scaled(diffusivity, ratio**2),
                   EXCHANGE: _scaled(pv[EXCHANGE], ratio)})
    if plan.sto_axis is not None:
        c_max = pv[C_MAX]
        pv.update({C_INIT: pybamm.InputParameter(STO_INPUT) * c_max})
    pv.update({CURRENT: "[input]"})
    sim = pybamm.Simulation(_model(plan.setup.model), parameter_values=pv,
                            solver=_solver(threads))
    return sim, base


class CCDischargeFastPath:
    """All points of a ``pybamm cc-discharge`` sweep from one model and one solve."""

    def unsupported(self, spec: SweepSpec) -> str | None:
        """Why ``spec`` cannot take the fast path (``None``: it can)."""
        plan = _plan(spec)
        return plan if isinstance(plan, str) else None

    def solve(self, spec: SweepSpec, points: Sequence[Point], threads: int
              ) -> list[dict[str, Any] | BaseException]:
        """Summaries of ``points``, from one built model and IDAKLU's multi-input solve."""
        import pybamm

        from hemcell.params import registry
        from hemcell.units import to_si

        plan = _plan(spec)
        if isinstance(plan, str):
            raise InputError("fast path", spec.command, plan)
        sim, base = _built(plan, threads)
        axes = {a.name: a for a in spec.axes}
        specs = registry()
        nominal = float(base["Nominal cell capacity [A.h]"])
        area = float(base["Electrode height [m]"]) * float(base["Electrode width [m]"])
        inputs, rates, t_ends = [], [], []
        for p in points:
            c_rate = float(p.values[plan.c_rate_axis]) if plan.c_rate_axis else \
                float(dict(spec.options).get("--c-rate", C_RATE))
            sto = float(p.values[plan.sto_axis]) if plan.sto_axis else \
                plan.setup.initial_stoichiometry
            point_inputs: dict[str, float] = {CURRENT: c_rate * nominal}
            for axis_name, pyname, pyunit in plan.inputs:
                si = axes[axis_name].to_si(p.values[axis_name])
                spec_unit = specs[axis_name].unit
                point_inputs[pyname] = to_si(si, spec_unit, pyunit, axis_name) if pyunit else si
            if plan.sto_axis is not None:
                point_inputs[STO_INPUT] = sto
            values = {k: float(point_inputs.get(k, base[k])) for k in
                      (C_MAX, "Positive electrode active material volume fraction",
                       "Positive electrode thickness [m]", "Electrode height [m]",
                       "Electrode width [m]", "Nominal cell capacity [A.h]")}
            inputs.append(point_inputs)
            rates.append(c_rate)
            t_ends.append(_end_time(values, c_rate * nominal, sto))
        t_eval = [0.0, max(t_ends)]
        try:
            solutions: list[Any] = sim.solve(t_eval, inputs=inputs)
        except pybamm.SolverError:  # one bad point fails the batch: solve one by one
            solutions = []
            for i in inputs:
                try:
                    solutions.append(sim.solve(t_eval, inputs=i))
                except pybamm.SolverError as exc:
                    solutions.append(SimulationError(f"PyBaMM failed: {exc}"))
        return [s if isinstance(s, BaseException) else summarise(s, c, i[CURRENT], area)
                for s, c, i in zip(solutions, rates, inputs, strict=True)]


def sweep_fast_path(command: str, parse_args: Callable[[Sequence[str]], dict[str, Any]]
                    ) -> CCDischargeFastPath | None:
    """The fast path of ``pybamm cc-discharge`` sweeps (``parse_args`` is not needed: the
    spec's axes map onto inputs directly)."""
    return CCDischargeFastPath() if command == COMMAND else None
