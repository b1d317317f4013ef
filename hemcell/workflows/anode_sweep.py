"""Fast path of ``hemcell cell run`` sweeps: one built model, re-solved for every point.

A sweep of ``cell run`` (``docs/sweeps.md``) normally starts one process per point,
and each builds and discretises the HEM anode model again. Points that differ only in
*numbers* can share one model: every PyBaMM parameter whose value differs between the
points becomes a ``pybamm.InputParameter``, every constant-current (or C-rate) step of
the protocol takes its value from an input (``Protocol step k value``), and the one
:class:`pybamm.Simulation` is solved once per point with that point's inputs and
step durations (:func:`hemcell.workflows.anode.solve_cell`, the same solve and checks as
``cell run``). PyBaMM refuses a *list* of inputs with an ``Experiment``, so the points
are solved one after another; the saving is the model build and discretisation. Each
point's experiment (its own step durations) is set on the shared simulation: PyBaMM
keeps the built step models keyed by ``step.basic_repr()`` (type, value, cut-offs,
temperature, direction; not the duration), which is the same for every point because
the values are inputs. A voltage cut-off keeps its direction explicitly, since PyBaMM
cannot infer it from the sign of an input.

What may differ between points (everything else is *structure* and sends the sweep
to the process path, with a note naming the parameter):

* numeric PyBaMM parameters: kinetic constants, capacities, potentials, particle radii,
  ... (not those that set the x-mesh, such as electrode thicknesses);
* the particle radius, which sets the particle mesh: that domain is meshed with
  ``pybamm.SymbolicUniform1DSubMesh`` (nodes on [0, 1] scaled by the radius, the same
  uniform mesh as ``cell run`` uses), so the radius can be an input;
* the current or C-rate of ``Current``/``CRate`` steps and every step's duration and
  output period.

Structure: the recipe, mechanisms and element inventory, the carrier ion, the cell
temperature (PyBaMM sets it from the experiment, never as an input), the number
and kind of protocol steps and their cut-offs, parameters given as functions (an OCP
or an exchange-current function whose constants differ), and non-numeric values.
"""

from __future__ import annotations

import numbers
import time
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pybamm

from hemcell.cell.compiled import BREAK_EVEN_SOLVES, pays_to_compile
from hemcell.errors import InputError

if TYPE_CHECKING:
    from hemcell.sweep.spec import Point, SweepSpec
    from hemcell.workflows.anode import CellSetup

COMMAND = "cell run"
#: Input name of the value (current [A] or C-rate) of step ``k`` (1-based) of one cycle.
STEP_INPUT = "Protocol step {k} value"
#: Parameters that set a particle mesh, and the domain they set: they can be inputs
#: because that domain gets a symbolic mesh.
PARTICLE_RADII = {
    "Positive particle radius [m]": "positive particle",
    "Negative particle radius [m]": "negative particle",
}
#: Set by the experiment's current steps, never an input (PyBaMM refuses it).
EXPERIMENT_CONTROLLED = ("Current function [A]",)
#: Set by the experiment too (PyBaMM refuses them as inputs): structure, so a sweep over
#: ``ambient_temperature`` takes the process path.
EXPERIMENT_TEMPERATURES = ("Ambient temperature [K]", "Initial temperature [K]")
#: Step types whose value becomes an input.
VALUE_STEPS = (pybamm.step.Current, pybamm.step.CRate)


def _is_number(value: Any) -> bool:
    return isinstance(value, numbers.Real | pybamm.Scalar) and not isinstance(value, bool)


def _number(value: Any) -> float:
    return float(value.value) if isinstance(value, pybamm.Scalar) else float(value)


def _function_key(fn: Any) -> Hashable:
    """What makes a function-valued parameter what it is: its code and captured values."""
    code = getattr(fn, "__code__", None)
    if code is None:
        return ("object", repr(fn))
    cells = tuple(_constant_key(c.cell_contents) for c in (fn.__closure__ or ()))
    defaults = tuple(_constant_key(d) for d in (fn.__defaults__ or ()))
    return (fn.__module__, fn.__qualname__, code.co_code, cells, defaults)


def _constant_key(value: Any) -> Hashable:
    if callable(value):
        return _function_key(value)
    if _is_number(value):
        return _number(value)
    try:
        hash(value)
        return value
    except TypeError:
        return repr(value)


def _mesh_parameters(geometry: Any) -> set[str]:
    """Names of the parameters in a PyBaMM geometry (they set the mesh)."""
    names: set[str] = set()
    stack = [geometry]
    while stack:
        item = stack.pop()
        if isinstance(item, Mapping):
            stack.extend(item.values())
        elif isinstance(item, pybamm.Symbol):
            names |= {s.name for s in item.pre_order()
                      if isinstance(s, pybamm.Parameter | pybamm.FunctionParameter)}
    return names


def _step_key(step: Any) -> Hashable:
    """A protocol step without the numbers that may differ (value, duration, period)."""
    from pybamm.experiment.step.step_termination import VoltageTermination

    terms = []
    for term in step.termination:
        if isinstance(term, VoltageTermination):
            terms.append(("voltage", term._get_operator(step), term.value))
        else:
            terms.append((type(term).__name__, repr(term)))
    value = "input" if type(step) in VALUE_STEPS and _is_number(step.value) else repr(step.value)
    return (type(step).__name__, value, tuple(terms), step.temperature)


@dataclass(frozen=True)
class Structure:
    """Everything about a prepared point that one built model must share.

    Attributes
    ----------
    parts
        Named components (recipe, inventory, protocol steps, function-valued and
        non-numeric parameters, mesh parameters); two points can share a model when
        every component is equal.
    """

    parts: tuple[tuple[str, Hashable], ...]

    @classmethod
    def of(cls, setup: CellSetup, mesh_parameters: set[str]) -> Structure:
        """The structure of a prepared point."""
        rec = setup.recipe
        pv = setup.parameter_values
        parts: list[tuple[str, Hashable]] = [
            ("recipe", (rec.name, rec.cell, rec.geometry, rec.cathode, tuple(rec.mechanisms),
                        tuple(sorted(rec.mesh.items())), tuple(sorted(rec.solver.items())))),
            ("element inventory", (setup.inventory.conversion,
                                   tuple(sorted(setup.inventory.alloying.items())),
                                   setup.inventory.space_charge)),
            ("carrier ion", setup.si.get("_carrier_ion", "Li")),
            ("protocol steps", (tuple(setup.experiment.cycle_lengths),
                                tuple(_step_key(s) for s in setup.experiment.steps))),
            ("parameter names", tuple(sorted(pv.keys()))),
        ]
        for name in sorted(pv.keys()):
            value = pv[name]
            if name in EXPERIMENT_CONTROLLED:
                continue
            if _is_number(value):
                if name in mesh_parameters and name not in PARTICLE_RADII:
                    parts.append((f"mesh parameter '{name}'", _number(value)))
                elif name in EXPERIMENT_TEMPERATURES:
                    parts.append((f"temperature '{name}'", _number(value)))
            elif callable(value):
                parts.append((f"function-valued parameter '{name}'", _function_key(value)))
            else:
                parts.append((f"parameter '{name}'", _constant_key(value)))
        return cls(tuple(parts))

    def difference(self, other: Structure) -> str | None:
        """The first component that differs from ``other`` (``None``: same structure)."""
        mine, theirs = dict(self.parts), dict(other.parts)
        for name in [*mine, *(k for k in theirs if k not in mine)]:
            if mine.get(name) != theirs.get(name):
                return name
        return None


ParseArgs = Callable[[Sequence[str]], dict[str, Any]]


def point_setup(spec: SweepSpec, point: Point, parse_args: ParseArgs) -> CellSetup:
    """Prepare one point exactly as ``hemcell cell run`` would with its arguments.

    Raises
    ------
    InputError
        A bad recipe, parameter set, override or protocol (as the command would).
    """
    from hemcell.workflows.anode import prepare_cell

    args = [*point.args, "--out", "-"]
    kw = parse_args(args)
    mechanisms = kw["mechanisms"].split(",") if kw["mechanisms"] else None
    return prepare_cell(kw["recipe"], kw["params"], kw["protocol"], mechanisms=mechanisms,
                        overrides=kw["set_"] or [], cycles=kw["cycles"], period=kw["period"],
                        ion=kw["ion"])


_MESH_PARAMETERS: dict[Hashable, set[str]] = {}
_BUILT: dict[Hashable, pybamm.Simulation] = {}
#: Prepared probe points of recent specs (argument lists → setups): the structure check
#: and every chunk of a sweep read the same probes, which only the parse and the
#: parameter files they are prepared from (~0.3 s each) could change.
_PROBES: dict[tuple[tuple[str, ...], ...], list[tuple[Point, CellSetup]]] = {}


def probe_pairs(spec: SweepSpec, parse_args: ParseArgs) -> list[tuple[Point, CellSetup]]:
    """The probe points of ``spec`` that can be prepared, with their :func:`point_setup`
    (cached per process; read only).

    A probe refused as input (a current whose ohmic drop spans the voltage window, say)
    is left out: the process path would refuse that point alone, and the points the fast
    path solves are checked against the structure one by one (:meth:`CellRunFastPath.solve`).

    Raises
    ------
    InputError
        No probe point can be prepared (the first one's refusal).
    """
    probes = spec.probe_points()
    key = tuple(p.args for p in probes)
    if key not in _PROBES:
        pairs: list[tuple[Point, CellSetup]] = []
        first: InputError | None = None
        for p in probes:
            try:
                pairs.append((p, point_setup(spec, p, parse_args)))
            except InputError as exc:
                first = first or exc
        if not pairs and first is not None:
            raise first
        while len(_PROBES) >= 2:
            _PROBES.pop(next(iter(_PROBES)))
        _PROBES[key] = pairs
    return _PROBES[key]


def probe_setups(spec: SweepSpec, parse_args: ParseArgs) -> list[CellSetup]:
    """The setups of :func:`probe_pairs` (the first is the fast path's base)."""
    return [setup for _, setup in probe_pairs(spec, parse_args)]


def mesh_parameters(setup: CellSetup) -> set[str]:
    """Parameters that appear in the geometry of the setup's model (cached per model)."""
    from hemcell.workflows.anode import build_simulation

    rec, inv = setup.recipe, setup.inventory
    key = (rec.cell, rec.geometry, tuple(rec.mechanisms), inv.conversion,
           tuple(sorted(inv.alloying.items())), inv.space_charge)
    if key not in _MESH_PARAMETERS:
        sim = build_simulation(rec, setup.parameter_values, inv)
        _MESH_PARAMETERS[key] = _mesh_parameters(sim.geometry)
    return _MESH_PARAMETERS[key]


def differing_parameters(setups: Sequence[CellSetup]) -> tuple[str, ...]:
    """Numeric PyBaMM parameters whose values are not the same in every setup."""
    first = setups[0].parameter_values
    out = []
    for name in sorted(first.keys()):
        value = first[name]
        if name in EXPERIMENT_CONTROLLED + EXPERIMENT_TEMPERATURES or not _is_number(value):
            continue
        if any(_number(s.parameter_values[name]) != _number(value) for s in setups[1:]):
            out.append(name)
    return tuple(out)


def input_protocol(setup: CellSetup) -> tuple[pybamm.Experiment, dict[str, float]]:
    """The setup's experiment with every current/C-rate step value as an input.

    Returns
    -------
    (experiment, inputs)
        Steps keep their durations, periods and cut-offs; a voltage cut-off keeps the
        direction PyBaMM inferred from the step's sign (it cannot infer it from an
        input). ``inputs`` holds the values, named :data:`STEP_INPUT`.
    """
    from pybamm.experiment.step.step_termination import VoltageTermination

    cycles, inputs, start = [], {}, 0
    steps = setup.experiment.steps
    for length in setup.experiment.cycle_lengths:
        cycle = []
        for k, step in enumerate(steps[start:start + length], start=1):
            if type(step) in VALUE_STEPS and _is_number(step.value):
                name = STEP_INPUT.format(k=k)
                inputs[name] = _number(step.value)
                terms = [VoltageTermination(t.value, operator=t._get_operator(step))
                         if isinstance(t, VoltageTermination) else t for t in step.termination]
                step = type(step)(pybamm.InputParameter(name), duration=step.duration,
                                  termination=terms, period=step.period,
                                  temperature=step.temperature, tags=step.tags,
                                  description=step.description)
            cycle.append(step)
        cycles.append(tuple(cycle))
        start += length
    return pybamm.Experiment(cycles), inputs


def shared_simulation(base: CellSetup, inputs: Sequence[str], expected_solves: int = 1
                      ) -> pybamm.Simulation:
    """One simulation of ``base`` with ``inputs`` (and the step values) as inputs.

    Cached per process (a few recent models), so chunks of one sweep build it once. Its
    residual and Jacobian run compiled to C where ``expected_solves`` (the points sharing
    it) repay gcc, or their library is already cached (:mod:`hemcell.cell.compiled`,
    :func:`~hemcell.cell.compiled.pays_to_compile`).
    """
    from hemcell.workflows.anode import build_simulation

    paying = tuple(role for role in BREAK_EVEN_SOLVES
                   if pays_to_compile(base.recipe.geometry, expected_solves, role))
    key = (Structure.of(base, mesh_parameters(base)), tuple(inputs), paying)
    if key not in _BUILT:
        while len(_BUILT) >= 2:
            _BUILT.pop(next(iter(_BUILT)))
        pv = base.parameter_values.copy()
        pv.update({n: pybamm.InputParameter(n) for n in inputs})
        experiment, _ = input_protocol(base)
        submeshes = {PARTICLE_RADII[n]: pybamm.SymbolicUniform1DSubMesh
                     for n in inputs if n in PARTICLE_RADII}
        _BUILT[key] = build_simulation(base.recipe, pv, base.inventory, experiment, submeshes,
                                       expected_solves=expected_solves)
    return _BUILT[key]


def _changed_axes(p0: Point, p: Point) -> str:
    changed = [f"{k}={v}" for k, v in p.values.items() if p0.values.get(k) != v]
    return ", ".join(changed) or "a point"


class CellRunFastPath:
    """All points of a ``cell run`` sweep from one built model (see the module doc).

    Parameters
    ----------
    parse_args
        Turns a point's argument list into ``cell run``'s keyword arguments, exactly as
        the command parses them (given by the sweep, which knows the command line).
    """

    def __init__(self, parse_args: ParseArgs) -> None:
        self.parse_args = parse_args

    def unsupported(self, spec: SweepSpec) -> str | None:
        """Why ``spec`` cannot take the fast path (``None``: it can).

        Prepares one point per value of every axis (no solve; a point refused as input
        is left to be refused alone, :func:`probe_pairs`) and compares their
        :class:`Structure`.
        """
        if spec.seed is not None or spec.mpi_ranks != 1:
            return "a seed or mpi_ranks is given"
        try:
            pairs = probe_pairs(spec, self.parse_args)
        except InputError as exc:  # the process path records it per point
            return f"no point can be prepared ({exc.message})"
        (p0, s0), *others = pairs
        mesh = mesh_parameters(s0)
        base = Structure.of(s0, mesh)
        for p, s in others:
            diff = base.difference(Structure.of(s, mesh))
            if diff:
                return (f"{_changed_axes(p0, p)} changes the model's {diff}, so each "
                        "point needs its own model")
        return None

    def solve(self, spec: SweepSpec, points: Sequence[Point], threads: int
              ) -> list[dict[str, Any] | BaseException]:
        """Summaries (as ``cell run`` writes them) or the error, one per point.

        ``threads`` is not used: PyBaMM solves an experiment for one input set at a
        time, so the points are solved one after another on the shared model.
        """
        from hemcell.errors import SimulationError
        from hemcell.workflows.anode import build_simulation, solve_cell, summarize

        results: list[dict[str, Any] | BaseException] = []
        setups: dict[int, CellSetup] = {}
        for i, p in enumerate(points):
            try:
                setups[i] = point_setup(spec, p, self.parse_args)
                results.append({})
            except InputError as exc:
                results.append(exc)
        if not setups:
            return results
        probes = probe_setups(spec, self.parse_args)
        base = probes[0]
        mesh = mesh_parameters(base)
        structure = Structure.of(base, mesh)
        inputs = differing_parameters([*probes, *setups.values()])
        shared = [i for i, setup in setups.items()
                  if structure.difference(Structure.of(setup, mesh)) is None]
        for i, setup in setups.items():
            t0 = time.perf_counter()
            try:
                if i in shared:
                    sim = shared_simulation(base, inputs, len(shared))
                    sim.experiment, values = input_protocol(setup)
                    values.update({n: _number(setup.parameter_values[n]) for n in inputs})
                else:  # not seen in the probes: build this point's own model
                    sim, values = build_simulation(setup.recipe, setup.parameter_values,
                                                   setup.inventory, setup.experiment), {}
                run = solve_cell(setup, sim, values)
            except (SimulationError, InputError, pybamm.SolverError) as exc:
                results[i] = exc
                continue
            summary, _, _ = summarize(run, timeseries=False)  # no timeseries.csv here
            summary["solve_time_s"] = time.perf_counter() - t0
            results[i] = run.error if run.error is not None else summary
        return results


def sweep_fast_path(command: str, parse_args: ParseArgs) -> CellRunFastPath | None:
    """The fast path ``hemcell sweep`` uses for ``cell run``."""
    return CellRunFastPath(parse_args) if command == COMMAND else None
