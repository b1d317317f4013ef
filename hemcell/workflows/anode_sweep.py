"""Fast path of ``hemcell cell run`` sweeps: built models shared by the points, re-solved.

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

What may differ between the points of one model:

* numeric PyBaMM parameters: kinetic constants, capacities, potentials, particle radii,
  ... (not those that set the x-mesh, such as electrode thicknesses);
* the particle radius, which sets the particle mesh: that domain is meshed with
  ``pybamm.SymbolicUniform1DSubMesh`` (nodes on [0, 1] scaled by the radius, the same
  uniform mesh as ``cell run`` uses), so the radius can be an input;
* the current or C-rate of ``Current``/``CRate`` steps and every step's duration and
  output period.

Everything else is the model's *structure* (:class:`Structure`): the recipe, mechanisms
and element inventory, the carrier ion, the cell temperature (PyBaMM sets it from the
experiment, never as an input), the number and kind of protocol steps and their
cut-offs, the parameters that set the x-mesh, parameters given as functions (an OCP or
an exchange-current function whose constants differ), and non-numeric values. Points are
grouped by structure and each group gets its own model (:class:`ModelPlan` predicts the
groups from the probe points, one per value of every axis, so the sweep hands the
points over group by group; :meth:`CellRunFastPath.solve` groups what it is given by the
structure of each prepared point): a temperature × current sweep builds one model per
temperature, and a point whose structure no other point shares is built and solved on
its own, in the same process. Only what cannot run in this process at all takes the
process path (:meth:`CellRunFastPath.unsupported`).
"""

from __future__ import annotations

import itertools
import math
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
    from hemcell.workflows.cathode_half_cell import CathodeCellSetup

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
#: ``ambient_temperature`` builds one model per temperature.
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


def point_setup(spec: SweepSpec, point: Point, parse_args: ParseArgs
                ) -> CellSetup | CathodeCellSetup:
    """Prepare one point exactly as ``hemcell cell run`` would with its arguments (a
    cathode half-cell or hard-carbon recipe as its workflow prepares it: the spec check
    refused every such sweep as "a recipe with a HEM anode"; they run on the process
    path, :meth:`CellRunFastPath.unsupported`).

    Raises
    ------
    InputError
        A bad recipe, parameter set, override or protocol (as the command would).
    """
    from hemcell.workflows.anode import prepare_cell

    args = [*point.args, "--out", "-"]
    kw = parse_args(args)
    mechanisms = kw["mechanisms"].split(",") if kw["mechanisms"] else None
    from hemcell.workflows.cathode_half_cell import is_cathode_half_cell

    if is_cathode_half_cell(kw["recipe"]):
        from hemcell.workflows.cathode_half_cell import prepare_cell as prepare_cathode

        return prepare_cathode(kw["recipe"], kw["params"], kw["protocol"],
                               mechanisms=mechanisms, overrides=kw["set_"] or [],
                               cycles=kw["cycles"], period=kw["period"], ion=kw["ion"],
                               warn=False)
    return prepare_cell(kw["recipe"], kw["params"], kw["protocol"], mechanisms=mechanisms,
                        overrides=kw["set_"] or [], cycles=kw["cycles"], period=kw["period"],
                        ion=kw["ion"])


_MESH_PARAMETERS: dict[Hashable, set[str]] = {}
#: Built models a process keeps, the most recently used (a bounded cache) [-]. The sweep
#: hands the points over group by group (:meth:`CellRunFastPath.groups`), so the chunks
#: of one group find their model with one kept; the others serve Dask workers, whose
#: chunks arrive in any order. Memory, measured (resident set growth per model built
#: and solved, rock-salt HEO set, a discharge and a charge step): ~11 MB for the SP
#: recipe, ~55 MB for the P2D one, so four kept P2D models hold ~220 MB.
MODELS_KEPT = 4
_BUILT: dict[Hashable, tuple[tuple[str, ...], pybamm.Simulation]] = {}
#: Model plans of recent specs (their probe points' argument lists → plan).
_PLANS: dict[tuple[tuple[str, ...], ...], ModelPlan] = {}
#: Points tried in place of a probe point refused as input, per position, when a sweep's
#: models are planned [-] (assumed: a refusal is one value's, such as a current whose
#: ohmic drop spans the voltage window, so the next point at that position, with another
#: value of that axis, is prepared; each try costs a point's preparation, ~0.1-0.3 s).
PLAN_TRIES = 8
#: Prepared probe points of recent specs (argument lists → setups): the structure check
#: and every chunk of a sweep read the same probes, which only the parse and the
#: parameter files they are prepared from (~0.3 s each) could change.
_PROBES: dict[tuple[tuple[str, ...], ...], list[tuple[Point, CellSetup]]] = {}


def probe_pairs(spec: SweepSpec, parse_args: ParseArgs) -> list[tuple[Point, CellSetup]]:
    """The probe points of ``spec`` that can be prepared, with their :func:`point_setup`
    (cached per process; read only).

    A probe refused as input (a current whose ohmic drop spans the voltage window, say)
    is left out: the process path would refuse that point alone, and the points the fast
    path solves are grouped by their own structure (:meth:`CellRunFastPath.solve`).

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
    """The setups of :func:`probe_pairs`."""
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


def structure_of(setup: CellSetup) -> Structure:
    """The :class:`Structure` of a prepared point (with its own model's mesh parameters)."""
    return Structure.of(setup, mesh_parameters(setup))


def differing_parameters(setups: Sequence[CellSetup]) -> tuple[str, ...]:
    """Numeric PyBaMM parameters whose values are not the same in every setup (setups of
    one :class:`Structure`: the same parameter names)."""
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


def _baked_values(setup: CellSetup, inputs: Sequence[str]) -> tuple[tuple[str, float], ...]:
    """The numeric PyBaMM values a model built from ``setup`` holds as constants."""
    pv = setup.parameter_values
    return tuple((name, _number(pv[name])) for name in sorted(pv.keys())
                 if name not in inputs and name not in EXPERIMENT_CONTROLLED
                 and _is_number(pv[name]))


def shared_simulation(base: CellSetup, inputs: Sequence[str], expected_solves: int = 1
                      ) -> pybamm.Simulation:
    """One simulation of ``base`` with ``inputs`` (and the step values) as inputs.

    Cached per process (the :data:`MODELS_KEPT` most recently used), keyed by the
    structure, the inputs and every value built in as a constant, so chunks of one sweep
    build a model once and a point is never solved on a model built with another value.
    Its residual and Jacobian run compiled to C where ``expected_solves`` (the points
    sharing it) repay gcc, or their library is already cached
    (:mod:`hemcell.cell.compiled`, :func:`~hemcell.cell.compiled.pays_to_compile`); a
    kept model that runs compiled serves fewer solves too.
    """
    from hemcell.workflows.anode import build_simulation

    paying = tuple(role for role in BREAK_EVEN_SOLVES
                   if pays_to_compile(base.recipe.geometry, expected_solves, role))
    key = (structure_of(base), tuple(inputs), _baked_values(base, inputs))
    kept = _BUILT.pop(key, None)
    if kept is None or not set(paying) <= set(kept[0]):
        while len(_BUILT) >= MODELS_KEPT:
            _BUILT.pop(next(iter(_BUILT)))
        pv = base.parameter_values.copy()
        pv.update({n: pybamm.InputParameter(n) for n in inputs})
        experiment, _ = input_protocol(base)
        submeshes = {PARTICLE_RADII[n]: pybamm.SymbolicUniform1DSubMesh
                     for n in inputs if n in PARTICLE_RADII}
        kept = (paying, build_simulation(base.recipe, pv, base.inventory, experiment,
                                         submeshes, expected_solves=expected_solves))
    _BUILT[key] = kept  # the most recently used last
    return kept[1]


def _changed_axes(spec: SweepSpec, p0: Point, p: Point) -> str:
    """The swept values of ``p`` that differ from ``p0``'s (``ambient_temperature=25.0
    °C``)."""
    changed = [f"{a.name}={p.values[a.name]}"
               + (f" {a.unit}" if a.unit and not isinstance(p.values[a.name], str) else "")
               for a in spec.axes if p0.values.get(a.name) != p.values.get(a.name)]
    return ", ".join(changed) or "a point"


@dataclass(frozen=True)
class ModelPlan:
    """Which points of a sweep share a built model, predicted from its probe points.

    Attributes
    ----------
    classes
        Per dimension of the spec, the model class of each position along it: positions
        whose probe points (that position, every other dimension at its first) have the
        same :class:`Structure` share a class; a position none of whose points tried could
        be prepared (they are refused as input) counts as the first prepared one's.
    causes
        Per dimension, what its first value of another class changes, e.g.
        ``ambient_temperature=25.0 °C changes the model's temperature 'Ambient
        temperature [K]'`` (``None``: every value of the dimension is an input of one model).
    names
        Per dimension, its axis (``ambient_temperature``; empty for a zip's or a CSV's
        several axes, whose models are named by structure).
    """

    classes: tuple[tuple[int, ...], ...]
    causes: tuple[str | None, ...]
    names: tuple[str, ...]

    @classmethod
    def of(cls, spec: SweepSpec,
           representatives: Sequence[Sequence[tuple[Point, Structure] | None]]) -> ModelPlan:
        """The plan of ``spec`` from a prepared point per position of every dimension
        (``None``: none could be prepared; :meth:`CellRunFastPath.plan`)."""
        classes, causes = [], []
        for along in representatives:
            prepared = [rep for rep in along if rep is not None]
            seen: dict[Structure | None, int] = {None: 0}  # None: as the first prepared
            cause = None
            for rep in prepared:
                seen.setdefault(rep[1], len(seen) - 1)
                ref = prepared[0]
                if cause is None and rep[1] != ref[1]:
                    cause = (f"{_changed_axes(spec, ref[0], rep[0])} changes the model's "
                             f"{ref[1].difference(rep[1])}")
            classes.append(tuple(seen[rep[1] if rep else None] for rep in along))
            causes.append(cause)
        names = tuple(b.axes[0].name if len(b.axes) == 1 else "" for b in spec.blocks)
        return cls(tuple(classes), tuple(causes), names)

    def key(self, point: Point) -> tuple[int, ...]:
        """The model class of ``point`` (equal keys: one model)."""
        return tuple(c[i] for c, i in zip(self.classes, point.index, strict=True))

    def groups(self, points: Sequence[Point]) -> list[list[Point]]:
        """``points`` grouped by model, groups in the order of their first point."""
        out: dict[tuple[int, ...], list[Point]] = {}
        for p in points:
            out.setdefault(self.key(p), []).append(p)
        return list(out.values())

    def note(self, n_points: int, n_models: int) -> str:
        """What the sweep's note says: how many models for how many points, and why."""
        if n_models == 1:
            return (f"fast path: one model for the {n_points} points (the values that "
                    "differ are PyBaMM inputs)")
        structural = [k for k, c in enumerate(self.causes) if c is not None]
        axes = [self.names[k] for k in structural]
        per = (f"{'combination' if len(axes) > 1 else 'value'} of {' × '.join(axes)}"
               if axes and all(axes) else "structure")
        causes = "; ".join(str(self.causes[k]) for k in structural)
        return (f"fast path: {n_models} models for the {n_points} points, one per {per}"
                + (f" ({causes})" if causes else "")
                + "; each is built once and solved for its points one after another")


class CellRunFastPath:
    """The points of a ``cell run`` sweep on shared built models (see the module doc).

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

        Not taken: a seed (every point's own random numbers) or ``mpi_ranks`` (the
        points run under mpiexec), and a spec none of whose probe points (one per value of
        every axis) can be prepared (the process path records each point's error). A
        point refused as input is left to be refused alone (:func:`probe_pairs`); a
        change of structure is a model of its own (:meth:`plan`).
        """
        if spec.seed is not None or spec.mpi_ranks != 1:
            return "a seed or mpi_ranks is given"
        from hemcell.workflows.cathode_half_cell import is_cathode_half_cell

        if any(is_cathode_half_cell(self.parse_args([*p.args, "--out", "-"])["recipe"])
               for p in spec.probe_points()):
            return "a cathode half-cell or hard-carbon recipe (the process path runs it)"
        try:
            probe_pairs(spec, self.parse_args)
        except InputError as exc:  # the process path records it per point
            return f"no point can be prepared ({exc.message})"
        return None

    def plan(self, spec: SweepSpec) -> ModelPlan:
        """Which points share a model (:class:`ModelPlan`; cached per process).

        Each position of every dimension is represented by its probe point (that
        position, the other dimensions at their first) or, where that one is refused as
        input (a current whose ohmic drop spans the voltage window, at the first
        position of a temperature axis's probes, say), by the first of the next
        :data:`PLAN_TRIES` points at that position that can be prepared.

        Raises
        ------
        InputError
            No probe point can be prepared (:func:`probe_pairs`).
        """
        key = tuple(p.args for p in spec.probe_points())
        if key not in _PLANS:
            known = {p.id: (p, structure_of(s))
                     for p, s in probe_pairs(spec, self.parse_args)}
            representatives = []
            for k, n in enumerate(spec.shape):
                stride = math.prod(spec.shape[k + 1:])
                representatives.append([
                    known.get(spec.points[i * stride].id) or self._prepared_at(spec, k, i)
                    for i in range(n)])
            while len(_PLANS) >= 2:
                _PLANS.pop(next(iter(_PLANS)))
            _PLANS[key] = ModelPlan.of(spec, representatives)
        return _PLANS[key]

    def _prepared_at(self, spec: SweepSpec, dim: int, position: int
                     ) -> tuple[Point, Structure] | None:
        """The first point at ``position`` of dimension ``dim`` that can be prepared
        (after its probe, within :data:`PLAN_TRIES`), with its structure."""
        at = (p for p in spec.points if p.index[dim] == position)
        for p in itertools.islice(at, 1, 1 + PLAN_TRIES):
            try:
                return p, structure_of(point_setup(spec, p, self.parse_args))
            except InputError:
                continue
        return None

    def groups(self, spec: SweepSpec, points: Sequence[Point]) -> list[list[Point]]:
        """``points`` grouped by the model they share (the sweep solves them group by
        group, so each model is built once)."""
        return self.plan(spec).groups(points)

    def note(self, spec: SweepSpec) -> str:
        """The sweep's note: how many models for how many points, and why."""
        plan = self.plan(spec)
        return plan.note(len(spec.points), len(plan.groups(spec.points)))

    def solve(self, spec: SweepSpec, points: Sequence[Point], threads: int
              ) -> list[dict[str, Any] | BaseException]:
        """Summaries (as ``cell run`` writes them) or the error, one per point.

        The points are prepared as ``cell run`` prepares them (a refusal is that point's
        error) and grouped by :class:`Structure`; each group is solved on one model
        (:func:`shared_simulation`, built from the group's first probe point if one has
        its structure, else from its first point), the values that differ within the
        group and its probes being inputs. ``threads`` is not used: PyBaMM solves an
        experiment for one input set at a time, so the points are solved one after
        another.
        """
        from hemcell.errors import SimulationError
        from hemcell.workflows.anode import solve_cell, summarize

        results: list[dict[str, Any] | BaseException] = []
        groups: dict[Structure, list[tuple[int, CellSetup]]] = {}
        for i, p in enumerate(points):
            try:
                setup = point_setup(spec, p, self.parse_args)
                results.append({})
                groups.setdefault(structure_of(setup), []).append((i, setup))
            except InputError as exc:
                results.append(exc)
        probes: dict[Structure, list[CellSetup]] = {}
        for setup in (probe_setups(spec, self.parse_args) if groups else ()):
            probes.setdefault(structure_of(setup), []).append(setup)
        for structure, members in groups.items():
            same = probes.get(structure, [])
            base = same[0] if same else members[0][1]
            inputs = differing_parameters([base, *same, *(s for _, s in members)])
            for i, setup in members:
                t0 = time.perf_counter()
                try:
                    sim = shared_simulation(base, inputs, len(members))
                    sim.experiment, values = input_protocol(setup)
                    values.update({n: _number(setup.parameter_values[n]) for n in inputs})
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
