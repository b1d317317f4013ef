"""Sweep specs: the YAML format, its validation, and the points it expands to.

A spec names a command and its fixed options, the swept parameters and their values,
how they combine, and the outputs to collect (format in ``docs/sweeps.md``)::

    command: params export
    arguments: [bare_li]
    set: {ambient_temperature: 298.15 K}
    parameters:
      coating_thickness: {linspace: [10 nm, 100 nm, 4]}
      c_rate: {option: --c-rate, values: [0.5, 1, 2]}
    combine: grid
    outputs: [coating_thickness]

A swept name that is a registry parameter is passed as ``--set NAME=VALUE UNIT`` and
checked like a parameter file (dimension, bounds); any other swept name must be an
option of the command (``option: --c-rate``, or inferred from the name). Every point's
argument list is parsed by the command's own option parser before anything runs, so a
bad spec fails at once, naming the field, the value and what is allowed.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

from hemcell.errors import InputError, did_you_mean, joined_hints, list_errors
from hemcell.runinfo import parameter_hash
from hemcell.sweep.commands import Command, resolve_command

TOP_LEVEL_KEYS = {"description", "command", "arguments", "options", "set", "parameters",
                  "points", "combine", "outputs", "results_file", "seed", "timeout_s",
                  "mpi_ranks"}
AXIS_KEYS = {"values", "linspace", "logspace", "unit", "option", "template"}
POINTS_KEYS = {"csv", "columns"}
COLUMN_KEYS = {"unit", "option", "template"}
SEED_KEYS = {"parameter", "option", "value", "per_point"}
RESULTS_FILES = ("summary.json", "metrics.json", "parameters_si.json", "comparison.json")
#: commands whose results are in one file other than ``summary.json`` / ``metrics.json``
#: (``surface compare`` writes both cases' metrics and their ratios to ``comparison.json``;
#: ``fit``, ``surface seeds`` and ``surface thickness`` write only their own: a sweep of them
#: ran every point and failed it, "the command wrote none of summary.json, metrics.json")
COMMAND_RESULTS_FILES = {"surface compare": "comparison.json", "fit": "fit.json",
                         "surface seeds": "seeds.json", "surface thickness": "thickness.json"}
#: commands whose usual results file is not ``summary.json`` / ``metrics.json``, used when
#: the spec gives none (``params export`` writes ``parameters_si.json`` in its default
#: ``--format si``)
COMMAND_DEFAULT_RESULTS_FILES = {"params export": "parameters_si.json"}
#: Most points of one sweep [-]: every point is held in memory with its arguments and
#: id (measured: `--check` of a 10⁶-point `cell run` grid, 1.0 GB resident and 28 s of
#: CPU) and writes a record file; more is refused, and so is an axis asking for more
#: values (before they are made: linspace's n of 10⁸ ran out of memory instead).
MAX_POINTS = 1_000_000

Value = float | int | str


class SpecError(InputError):
    """A sweep spec with one or more problems, all reported together (exit code 2).

    Parameters
    ----------
    path
        The spec file.
    errors
        Each problem found.
    """

    def __init__(self, path: str, errors: Sequence[InputError]) -> None:
        self.path = path
        self.errors = list(errors)
        lines = list_errors([e.message for e in self.errors])
        super().__init__(path, f"{len(self.errors)} error(s)", "a valid sweep spec",
                         joined_hints(self.errors))
        self.message = f"{path}: {len(self.errors)} error(s)\n{lines}"
        self.args = (self.message,)


@dataclass(frozen=True)
class Axis:
    """One swept quantity.

    Attributes
    ----------
    name
        Registry parameter name or a label for a command option.
    values
        The values, in ``unit`` (numbers) or as given (text, for categorical options).
    unit
        Unit of the numeric values (``None`` when dimensionless or categorical).
    option
        The command option that receives the value, or ``None`` for ``--set NAME=...``.
    template
        Option text with ``{value}`` standing for the number (without unit), e.g.
        ``"Discharge at {value} A/g until 0.01 V"``; ``None`` passes the value itself.
    si_unit
        The registry's SI unit (``--set`` parameters only).
    description
        What the quantity is (registry description or the option's help).
    """

    name: str
    values: tuple[Value, ...]
    unit: str | None = None
    option: str | None = None
    si_unit: str | None = None
    description: str = ""
    template: str | None = None

    def text(self, value: Value) -> str:
        """The value as passed on the command line (``10.0 nm``, ``2``, ``coated``)."""
        if isinstance(value, str):
            return value if self.template is None else self.template.replace("{value}", value)
        number = _format_number(value)
        if self.template is not None:
            return self.template.replace("{value}", number)
        return number if self.unit is None else f"{number} {self.unit}"

    def args(self, value: Value) -> list[str]:
        """Command-line arguments that set this axis to ``value``."""
        if self.option is not None:
            return [self.option, self.text(value)]
        return ["--set", f"{self.name}={self.text(value)}"]

    def to_si(self, value: Value) -> float:
        """``value`` in the registry's SI unit (``--set`` parameters only)."""
        from hemcell.units import to_si

        if self.si_unit is None or isinstance(value, str):
            raise TypeError(f"{self.name} has no SI unit")
        return to_si(float(value), self.unit or "dimensionless", self.si_unit, self.name)

    @property
    def categorical(self) -> bool:
        """Whether the values are text (categories) rather than numbers."""
        return any(isinstance(v, str) for v in self.values)


@dataclass(frozen=True)
class Block:
    """Axes that vary together (a zip, or the columns of a CSV): one result dimension.

    Attributes
    ----------
    dim
        Dimension name: the axis name for a single axis, ``point`` for a zip, ``row``
        for a CSV of points.
    axes
        The axes; all have the same number of values.
    """

    dim: str
    axes: tuple[Axis, ...]

    def __len__(self) -> int:
        return len(self.axes[0].values)


@dataclass(frozen=True)
class Seed:
    """How a deterministic random seed reaches the command.

    Attributes
    ----------
    value
        The base seed.
    parameter
        Registry parameter that carries it (``sei_seed``), or ``None``.
    option
        Command option that carries it (``--seed``), or ``None``.
    per_point
        ``False``: every point uses ``value`` (common random numbers, the usual choice
        for comparing points); ``True``: each point gets its own seed derived from
        ``value`` and the point's arguments, the same in every run.
    """

    value: int
    parameter: str | None = None
    option: str | None = None
    per_point: bool = False

    def args(self, point_args: Sequence[str]) -> list[str]:
        """Arguments carrying the seed for a point with arguments ``point_args``."""
        seed = self.value
        if self.per_point:
            seed = (self.value + int(parameter_hash({"args": list(point_args)}), 16)) % 2**31
        if self.option is not None:
            return [self.option, str(seed)]
        return ["--set", f"{self.parameter}={seed}"]


@dataclass(frozen=True)
class Point:
    """One point of a sweep.

    Attributes
    ----------
    index
        Position along each block's dimension.
    values
        Axis name → value (in the axis unit).
    args
        Command-line arguments after the command name, without ``--out``.
    id
        Hash of the command and ``args``: names the point's files; same spec, same id.
    """

    index: tuple[int, ...]
    values: Mapping[str, Value]
    args: tuple[str, ...]
    id: str


@dataclass(frozen=True)
class SweepSpec:
    """A validated sweep spec. Create with :func:`load_spec` or :func:`parse_spec`.

    Attributes
    ----------
    command
        The command name (``params export``).
    command_argv
        What follows the Python executable to run it.
    arguments, options, set
        Fixed positional arguments, options and ``--set`` overrides.
    blocks
        The swept axes, grouped into result dimensions.
    outputs
        Summary keys to collect (empty: every numeric key).
    results_file
        File the command writes its results to (``None``: ``summary.json`` or
        ``metrics.json``, whichever exists; a command of :data:`COMMAND_RESULTS_FILES`
        has its own file, one of :data:`COMMAND_DEFAULT_RESULTS_FILES` its usual one).
    seed, timeout_s, mpi_ranks
        Seed handling, per-point time limit, MPI ranks per point.
    description, path
        From the file.
    raw
        The parsed YAML (kept in ``sweep.json``).
    """

    command: str
    command_argv: tuple[str, ...]
    arguments: tuple[str, ...]
    options: tuple[tuple[str, str | bool], ...]
    set: tuple[tuple[str, str], ...]
    blocks: tuple[Block, ...]
    outputs: tuple[str, ...] = ()
    results_file: str | None = None
    seed: Seed | None = None
    timeout_s: float | None = None
    mpi_ranks: int = 1
    description: str = ""
    path: Path | None = None
    raw: Mapping[str, Any] = field(default_factory=dict)

    @property
    def axes(self) -> list[Axis]:
        """Every swept axis, in spec order."""
        return [a for b in self.blocks for a in b.axes]

    @property
    def dims(self) -> tuple[str, ...]:
        """Result dimension names."""
        return tuple(b.dim for b in self.blocks)

    @property
    def shape(self) -> tuple[int, ...]:
        """Result shape: points along each dimension."""
        return tuple(len(b) for b in self.blocks)

    def fixed_args(self) -> list[str]:
        """Arguments shared by every point (positional arguments, options, ``--set``)."""
        args = list(self.arguments)
        for opt, val in self.options:
            if val is True:
                args.append(opt)
            elif val is not False:
                args.extend([opt, str(val)])
        for name, text in self.set:
            args.extend(["--set", f"{name}={text}"])
        return args

    @cached_property
    def points(self) -> list[Point]:
        """Every point, in C order over :attr:`dims`."""
        fixed = self.fixed_args()
        out: list[Point] = []
        for index in itertools.product(*(range(len(b)) for b in self.blocks)):
            values: dict[str, Value] = {}
            args = list(fixed)
            for b, i in zip(self.blocks, index, strict=True):
                for a in b.axes:
                    values[a.name] = a.values[i]
                    args.extend(a.args(a.values[i]))
            if self.seed is not None:
                args.extend(self.seed.args(args))
            pid = parameter_hash({"command": self.command, "args": args,
                                  "results_file": self.results_file, "mpi_ranks": self.mpi_ranks})
            out.append(Point(index=index, values=values, args=tuple(args), id=pid))
        return out

    def probe_points(self) -> list[Point]:
        """The first point and one point per value of every dimension (the others at
        their first value): every value of every axis, in few points."""
        strides = [math.prod(self.shape[k + 1:]) for k in range(len(self.shape))]
        picked = sorted({i * strides[k] for k, n in enumerate(self.shape) for i in range(n)})
        return [self.points[i] for i in picked]

    def record(self) -> dict[str, Any]:
        """JSON-ready description for ``sweep.json``."""
        return {
            "spec_path": str(self.path) if self.path else None,
            "command": self.command, "dims": list(self.dims), "shape": list(self.shape),
            "points": len(self.points), "spec": dict(self.raw),
            "axes": [{"name": a.name, "unit": a.unit, "option": a.option, "si_unit": a.si_unit,
                      "values": list(a.values)} for a in self.axes],
        }


# ----------------------------------------------------------------------------------- parsing

def _format_number(value: float | int) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return repr(float(value))


def _clean(x: float) -> float:
    """Round a generated value to the report's significant digits
    (``0.30000000000000004`` → 0.3; :func:`hemcell.units.from_si` at scale 1)."""
    from hemcell.units import from_si

    return from_si(x, 1.0)


def _quantity(raw: Any, unit: str | None, field: str) -> tuple[float, str | None]:
    """(number, unit) from ``28``, ``'28 nm'`` or ``'1e-10'``; ``unit`` applies to bare numbers."""
    from hemcell.units import parse_quantity_text

    if isinstance(raw, bool):
        raise InputError(field, raw, "a number, or a number with a unit such as '28 nm'")
    if isinstance(raw, int | float):
        if not math.isfinite(raw):
            raise InputError(field, raw, "a finite number")
        return raw, unit
    if not isinstance(raw, str):
        raise InputError(field, raw, "a number, or a number with a unit such as '28 nm'")
    number, written = parse_quantity_text(raw, field)
    if written == "dimensionless":
        return number, unit
    if unit is None:
        return number, written
    from hemcell.units import to_si

    # converted to the axis's unit to the report's digits: 0.028 um is 28 nm (it was
    # 27.999999999999996 nm, and [28 nm, 0.028 um] passed as two points)
    return _clean(to_si(number, written, unit, field)), unit


def _expand_values(raw: Mapping[str, Any], field: str, numeric_only: bool
                   ) -> tuple[list[Value], str | None]:
    """Values and unit of an axis from ``values`` / ``linspace`` / ``logspace``."""
    import numpy as np

    kinds = [k for k in ("values", "linspace", "logspace") if k in raw]
    if len(kinds) != 1:
        raise InputError(field, dict(raw), "exactly one of values, linspace, logspace")
    kind = kinds[0]
    unit = raw.get("unit")
    if unit is not None:
        from hemcell.units import parse_unit

        parse_unit(unit, f"{field}.unit")
    items = raw[kind]
    if kind == "values":
        if not isinstance(items, list) or not items:
            raise InputError(f"{field}.values", items, "a non-empty list")
        words = [i for i, v in enumerate(items) if not _looks_numeric(v)]
        if words and unit is not None:  # a unit makes the axis numeric: a word is a typo
            i = words[0]
            raise InputError(f"{field}.values[{i}]", items[i], f"a number (the axis has "
                             f"unit: {unit}), or no unit: for an axis of words")
        if not numeric_only and words:
            return [_categorical(v, f"{field}.values[{i}]") for i, v in enumerate(items)], None
        values: list[Value] = []
        for i, v in enumerate(items):
            number, unit = _quantity(v, unit, f"{field}.values[{i}]")
            values.append(number)
    else:
        if not isinstance(items, list) or len(items) != 3:
            raise InputError(f"{field}.{kind}", items, "[start, stop, number of points]")
        num = items[2]
        if isinstance(num, bool) or not isinstance(num, int) or num < 1:
            raise InputError(f"{field}.{kind}[2]", num, "a whole number of points >= 1")
        if num > MAX_POINTS:
            raise InputError(f"{field}.{kind}[2]", num, f"at most {MAX_POINTS} points (the "
                             "most a sweep holds)")
        start, unit = _quantity(items[0], unit, f"{field}.{kind}[0]")
        stop, unit = _quantity(items[1], unit, f"{field}.{kind}[1]")
        if kind == "logspace" and (start <= 0 or stop <= 0):
            raise InputError(f"{field}.logspace", items, "positive start and stop (the values "
                                                          "themselves, spaced geometrically)")
        space = np.linspace if kind == "linspace" else np.geomspace
        values = [_clean(float(x)) for x in space(start, stop, num)]
        items = items[:2]
    if raw.get("unit") is None and unit is not None and any(
            isinstance(v, int | float) or _is_number_text(str(v)) for v in items):
        raise InputError(f"{field}.{kind}", items, f"a unit on every value (or unit: {unit})")
    return values, unit


def _categorical(v: Any, field: str) -> str:
    if isinstance(v, bool) or not isinstance(v, str | int | float):
        raise InputError(field, v, "a number, a number with a unit, or a word")
    return str(v)


def _is_number_text(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _looks_numeric(v: Any) -> bool:
    """A number, or text starting like one (``'28 nm'``); anything else is a category."""
    if isinstance(v, bool):
        return False
    if isinstance(v, int | float):
        return True
    text = str(v).strip()
    return bool(text) and (text[0].isdigit() or text[0] in "+-.")


def _make_axis(name: str, values: list[Value], unit: str | None, option: str | None,
               command: Command, field: str, template: str | None = None) -> Axis:
    """Decide how the axis reaches the command and check its values."""
    from hemcell.params import ParameterSet, registry

    specs = registry()
    if option is None and name not in specs:
        inferred = "--" + name.replace("_", "-")
        if command.takes(inferred):
            option = inferred
        else:
            options = {o.removeprefix("--").replace("-", "_"): o for o in command.option_names()}
            close = did_you_mean(name, [*specs, *options])
            guess = f" ({close})" if close else ""
            raise InputError(field, name, "a registry parameter name (passed with --set) or an "
                                          f"option of `{command.name}`: "
                                          f"{command.option_names()} (give it as option: ...)"
                                          f"{guess}")
    if option is not None:
        if not command.takes(option):
            raise InputError(f"{field}.option", option,
                             f"an option of `{command.name}`: {command.option_names()}")
        description = next((p.help or "" for p in command.click_command.params
                            if option in p.opts), "")
        return Axis(name, tuple(values), unit, option, None, description, template)
    spec = specs[name]
    if template is not None:
        raise InputError(f"{field}.template", template, "nothing: templates are for options")
    if not command.takes("--set"):
        raise InputError(field, name, f"options of `{command.name}` (it takes no --set)")
    if any(isinstance(v, str) for v in values):
        raise InputError(f"{field}.values", values, f"numbers with units of {spec.unit}")
    if unit is None and spec.unit not in ("dimensionless", "1", ""):
        raise InputError(f"{field}.values", values,
                         f"numbers with a unit of the dimension of {spec.unit} (e.g. give "
                         "unit: or write '28 nm')")
    from hemcell.units import temperature_unit

    # '25 C' on a temperature axis is Celsius: its coordinate's unit is degC, not coulomb
    unit = None if unit is None else temperature_unit(unit, spec.unit)
    axis = Axis(name, tuple(values), unit, None, spec.unit, spec.description)
    empty = ParameterSet(name="sweep", kind="cell", description="sweep spec", path=None,
                         parameters={})
    for i, v in enumerate(values):
        try:
            empty.with_overrides({name: axis.text(v)})
        except InputError as exc:
            raise InputError(f"{field}.values[{i}]", axis.text(v), exc.allowed,
                             hint=exc.hint) from None
    return axis


def _parse_axis(name: str, raw: Any, command: Command, field: str) -> Axis:
    if isinstance(raw, list):
        raw = {"values": raw}
    if not isinstance(raw, dict):
        raise InputError(field, raw, "a mapping with values/linspace/logspace (and unit, option)")
    bad = sorted(set(raw) - AXIS_KEYS)
    if bad:
        raise InputError(f"{field}.{bad[0]}", raw[bad[0]], f"keys {sorted(AXIS_KEYS)}",
                         hint=did_you_mean(bad[0], sorted(AXIS_KEYS)))
    option = raw.get("option")
    if option is not None and (not isinstance(option, str) or not option.startswith("--")):
        raise InputError(f"{field}.option", option, "an option name such as --c-rate")
    template = raw.get("template")
    if template is not None and (not isinstance(template, str) or "{value}" not in template):
        raise InputError(f"{field}.template", template, "text containing {value}")
    from hemcell.params import registry

    numeric_only = option is None and name in registry()
    values, unit = _expand_values(raw, field, numeric_only)
    if template is not None and unit is not None and raw.get("unit") is None:
        # the template gets the bare number: in the first value's unit, not the text's
        raise InputError(f"{field}.unit", None, f"the unit the template's {{value}} is written "
                         f"in, e.g. unit: A/g for '{template}': values written with units "
                         f"({unit}) are converted to it")
    return _make_axis(name, values, unit, option, command, field, template)


def _parse_points(raw: Any, command: Command, base: Path, field: str) -> Block:
    """A block of points from a CSV: header ``name [unit]``, one row per point."""
    if isinstance(raw, str):
        raw = {"csv": raw}
    if not isinstance(raw, dict) or "csv" not in raw:
        raise InputError(field, raw, "a mapping with csv: FILE (and optional columns:)")
    bad = sorted(set(raw) - POINTS_KEYS)
    if bad:
        raise InputError(f"{field}.{bad[0]}", raw[bad[0]], f"keys {sorted(POINTS_KEYS)}",
                         hint=did_you_mean(bad[0], sorted(POINTS_KEYS)))
    path = Path(raw["csv"])
    path = path if path.is_absolute() else base / path
    if not path.is_file():
        raise InputError(f"{field}.csv", raw["csv"], f"an existing CSV file (looked in {base})")
    columns = raw.get("columns") or {}
    if not isinstance(columns, dict):
        raise InputError(f"{field}.columns", columns, "a mapping of column name to unit/option")
    from hemcell.measurements import read_table

    table = read_table(path)  # the measurement files' reading: BOM, ';' and decimal comma
    if not table.rows:
        raise InputError(f"{field}.csv", str(path), "a header row and at least one point")
    header, body = table.header, table.rows

    def item(cell: str) -> Any:
        try:
            return table.number(cell) if cell else cell
        except ValueError:
            return cell

    axes = []
    for j, head in enumerate(header):
        name, _, rest = head.strip().partition("[")
        name = name.strip()
        col = columns.get(name) or {}
        if not isinstance(col, dict) or set(col) - COLUMN_KEYS:
            raise InputError(f"{field}.columns.{name}", col, f"keys {sorted(COLUMN_KEYS)}")
        unit = col.get("unit") or (rest.rstrip("] ").strip() or None)
        cells = []
        for row, line in zip(body, table.lines, strict=True):
            if len(row) != len(header):
                raise InputError(f"{path.name} line {line}", row, f"{len(header)} cells")
            cells.append(row[j].strip())
        items: list[Any] = [item(c) for c in cells]
        sub = {"values": items, **({"unit": unit} if unit else {}),
               **{k: col[k] for k in ("option", "template") if k in col}}
        axes.append(_parse_axis(name, sub, command, f"{path.name}: column {name}"))
    return Block("row", tuple(axes))


def _parse_seed(raw: Any, command: Command, field: str) -> Seed:
    if not isinstance(raw, dict) or set(raw) - SEED_KEYS:
        raise InputError(field, raw, f"a mapping with keys {sorted(SEED_KEYS)}")
    if ("parameter" in raw) == ("option" in raw):
        raise InputError(field, raw, "exactly one of parameter: (a registry name such as "
                                     "sei_seed) or option: (such as --seed)")
    value = raw.get("value", 0)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InputError(f"{field}.value", value, "a whole number >= 0")
    per_point = raw.get("per_point", False)
    if not isinstance(per_point, bool):
        raise InputError(f"{field}.per_point", per_point, "true or false")
    if "option" in raw:
        if not command.takes(str(raw["option"])):
            raise InputError(f"{field}.option", raw["option"],
                             f"an option of `{command.name}`: {command.option_names()}")
        return Seed(value, option=str(raw["option"]), per_point=per_point)
    from hemcell.params import registry

    if raw["parameter"] not in registry():
        raise InputError(f"{field}.parameter", raw["parameter"], "a registry parameter name")
    if not command.takes("--set"):
        raise InputError(f"{field}.parameter", raw["parameter"],
                         f"options of `{command.name}` (it takes no --set)")
    return Seed(value, parameter=str(raw["parameter"]), per_point=per_point)


def _parse_blocks(raw: Mapping[str, Any], command: Command, base: Path, where: str,
                  errors: list[InputError], check: Callable[..., Any]) -> list[Block]:
    """The swept axes grouped into result dimensions (grid, zip, CSV of points)."""
    blocks: list[Block] = []
    parameters = raw.get("parameters") or {}
    if not isinstance(parameters, dict):
        errors.append(InputError(f"{where}: parameters", parameters, "a mapping name: values"))
        parameters = {}
    axes = [check(_parse_axis, str(n), body, command, f"{where}: parameters.{n}")
            for n, body in parameters.items()]
    axes = [a for a in axes if a is not None]
    combine: Literal["grid", "zip"] = raw.get("combine", "grid")
    if combine not in ("grid", "zip"):
        errors.append(InputError(f"{where}: combine", combine, "grid or zip"))
    elif combine == "zip" and axes:
        lengths = {a.name: len(a.values) for a in axes}
        if len(set(lengths.values())) > 1:
            errors.append(InputError(f"{where}: parameters", lengths,
                                     "the same number of values for every parameter (zip)"))
        else:
            blocks.append(Block("point" if len(axes) > 1 else axes[0].name, tuple(axes)))
    else:
        blocks.extend(Block(a.name, (a,)) for a in axes)
    if "points" in raw:
        block = check(_parse_points, raw["points"], command, base, f"{where}: points")
        if block is not None:
            blocks.append(block)
    for block in blocks:
        seen: set[tuple[Value, ...]] = set()
        for row in zip(*(a.values for a in block.axes), strict=True):
            if row in seen:
                errors.append(InputError(f"{where}: {block.dim}", dict(zip(
                    (a.name for a in block.axes), row, strict=True)), "each point once"))
                break
            seen.add(row)
    names = [a.name for b in blocks for a in b.axes]
    for dup in sorted({n for n in names if names.count(n) > 1}):
        errors.append(InputError(f"{where}: parameters", dup, "each parameter swept once"))
    if not blocks and not errors:
        errors.append(InputError(f"{where}: parameters", parameters,
                                 "at least one swept parameter (or points: CSV)"))
    return blocks


def _fixed_and_swept(blocks: Sequence[Block], sets: Mapping[str, str],
                     options: Mapping[str, str | bool], where: str) -> list[InputError]:
    """A swept name also fixed in ``set:`` (or a swept option also in ``options:``).

    Every point would pass the name twice; which value was meant cannot be told.
    """
    errors = []
    for axis in (a for b in blocks for a in b.axes):
        swept = [axis.text(v) for v in axis.values]
        if axis.option is None and axis.name in sets:
            errors.append(InputError(
                f"{where}: parameters.{axis.name}", f"swept {swept}, set: {sets[axis.name]}",
                f"{axis.name} in parameters: or in set:, not both",
                hint="remove it from set: to sweep it, or from parameters: to fix it"))
        elif axis.option is not None and axis.option in options:
            errors.append(InputError(
                f"{where}: parameters.{axis.name}",
                f"swept {swept}, options: {axis.option}={options[axis.option]}",
                f"{axis.option} in parameters: or in options:, not both",
                hint="remove it from options: to sweep it, or from parameters: to fix it"))
    return errors


def parse_spec(raw: Any, path: Path | None = None) -> SweepSpec:
    """Validate a parsed YAML document as a sweep spec.

    Parameters
    ----------
    raw
        The document (a mapping).
    path
        The file it came from (names errors; CSV paths are relative to its folder).

    Returns
    -------
    SweepSpec
        With every point's arguments checked by the command's parser.

    Raises
    ------
    SpecError
        Listing every problem found (field, value, what is allowed).
    """
    where = str(path) if path else "sweep spec"
    base = path.parent if path else Path.cwd()
    if not isinstance(raw, dict):
        raise SpecError(where, [InputError(where, type(raw).__name__, "a YAML mapping")])
    errors: list[InputError] = []

    def check(fn: Any, *args: Any) -> Any:
        try:
            return fn(*args)
        except SpecError as exc:
            errors.extend(exc.errors)
        except InputError as exc:
            errors.append(exc)
        return None

    for key in raw:
        if key not in TOP_LEVEL_KEYS:
            errors.append(InputError(f"{where}: {key}", raw[key], f"keys {sorted(TOP_LEVEL_KEYS)}",
                                     hint=did_you_mean(key, sorted(TOP_LEVEL_KEYS))))
    if "command" not in raw or not isinstance(raw["command"], str):
        errors.append(InputError(f"{where}: command", raw.get("command"),
                                 "the command to run, e.g. 'surface run'"))
        raise SpecError(where, errors)
    command: Command | None = check(resolve_command, raw["command"], f"{where}: command")
    if command is None:
        raise SpecError(where, errors)
    if not command.takes("--out"):
        errors.append(InputError(f"{where}: command", raw["command"],
                                 "a command that writes results to --out DIR"))

    arguments = raw.get("arguments") or []
    if not isinstance(arguments, list) or not all(isinstance(a, str | int | float)
                                                  for a in arguments):
        errors.append(InputError(f"{where}: arguments", arguments, "a list of words"))
        arguments = []
    options = raw.get("options") or {}
    if not isinstance(options, dict):
        errors.append(InputError(f"{where}: options", options, "a mapping --option: value"))
        options = {}
    fixed_options: list[tuple[str, str | bool]] = []
    for opt, val in options.items():
        if opt in ("--out", "--set") or not command.takes(str(opt)):
            allowed = [o for o in command.option_names() if o not in ("--out", "--set")]
            errors.append(InputError(f"{where}: options.{opt}", val,
                                     f"options of `{command.name}`: {allowed} (--out is set "
                                     "by the sweep; use set: for parameters)"))
            continue
        fixed_options.append((str(opt), val if isinstance(val, bool) else str(val)))
    sets = raw.get("set") or {}
    fixed_sets: list[tuple[str, str]] = []
    if not isinstance(sets, dict):
        errors.append(InputError(f"{where}: set", sets, "a mapping name: value with unit"))
    elif sets:
        if not command.takes("--set"):
            errors.append(InputError(f"{where}: set", sets, f"nothing: `{command.name}` "
                                                            "takes no --set"))
        from hemcell.params import ParameterSet

        empty = ParameterSet(name="sweep", kind="cell", description="", path=None, parameters={})
        for name, text in sets.items():
            if check(empty.with_overrides, {str(name): str(text)}) is not None:
                fixed_sets.append((str(name), str(text)))

    blocks = _parse_blocks(raw, command, base, where, errors, check)
    errors.extend(_fixed_and_swept(blocks, dict(fixed_sets), dict(fixed_options), where))

    outputs = raw.get("outputs") or []
    if isinstance(outputs, str):
        outputs = [outputs]
    if not isinstance(outputs, list) or not all(isinstance(o, str) for o in outputs):
        errors.append(InputError(f"{where}: outputs", outputs, "a list of summary keys"))
        outputs = []
    results_file = raw.get("results_file")
    own_file = COMMAND_RESULTS_FILES.get(command.name)
    if own_file is not None and results_file not in (None, own_file):
        errors.append(InputError(f"{where}: results_file", results_file,
                                 f"{own_file} (the only results file `{command.name}` writes)"))
    elif results_file is not None and results_file not in RESULTS_FILES:
        errors.append(InputError(f"{where}: results_file", results_file, f"one of {RESULTS_FILES}"))
    results_file = results_file or own_file or COMMAND_DEFAULT_RESULTS_FILES.get(command.name)
    seed = check(_parse_seed, raw["seed"], command, f"{where}: seed") if "seed" in raw else None
    timeout = raw.get("timeout_s")
    if timeout is not None and (isinstance(timeout, bool) or not isinstance(timeout, int | float)
                                or timeout <= 0):
        errors.append(InputError(f"{where}: timeout_s", timeout, "a positive number of seconds"))
    ranks = raw.get("mpi_ranks", 1)
    if isinstance(ranks, bool) or not isinstance(ranks, int) or ranks < 1:
        errors.append(InputError(f"{where}: mpi_ranks", ranks, "a whole number >= 1"))
    if errors:
        raise SpecError(where, errors)

    total = math.prod(len(b) for b in blocks)
    if total > MAX_POINTS:
        raise SpecError(where, [InputError(f"{where}: parameters", f"{total} points",
                                           f"at most {MAX_POINTS} points")])
    spec = SweepSpec(command=command.name, command_argv=command.argv,
                     arguments=tuple(str(a) for a in arguments), options=tuple(fixed_options),
                     set=tuple(fixed_sets), blocks=tuple(blocks), outputs=tuple(outputs),
                     results_file=results_file, seed=seed,
                     timeout_s=None if timeout is None else float(timeout), mpi_ranks=ranks,
                     description=str(raw.get("description", "")).strip(), path=path, raw=raw)
    _check_arguments(spec, command, where)
    _check_parameter_keys(spec, command, where)
    _check_prepared(spec, command, where)
    return spec


def _check_prepared(spec: SweepSpec, command: Command, where: str) -> None:
    """Refuse a spec none of whose probe points the command can prepare.

    Where the command's fast-path module offers ``point_setup(spec, point, parse_args)``
    (prepare a point as the command would, without solving; :data:`FastPath`), each
    probe point (one per value of every axis) is prepared until one succeeds. If none
    does, the error lies in what every point shares (``options:``, ``set:``,
    ``arguments:``, e.g. ``--cycles: 5000`` above ``cell run``'s 1000): every point would
    fail, so the spec is refused with the errors. A swept value that only some points
    refuse is left to those points (each records its error).
    """
    import importlib

    from hemcell.workflows import FAST_PATHS

    module = FAST_PATHS.get(command.name)
    prepare = getattr(importlib.import_module(module), "point_setup", None) if module else None
    if prepare is None:
        return
    errors: dict[str, InputError] = {}
    for point in spec.probe_points():
        try:
            prepare(spec, point, command.parse_args)
        except InputError as exc:
            errors.setdefault(exc.message, exc)
            continue
        return
    raise SpecError(where, [InputError(f"{where}: every point: {e.field}", e.value, e.allowed,
                                       hint=e.hint) for e in errors.values()])


def _check_parameter_keys(spec: SweepSpec, command: Command, where: str) -> None:
    """Refuse ``set:`` and swept registry names the command's model does not read.

    The command's workflow names the check (:data:`hemcell.workflows.PARAMETER_KEY_CHECKS`);
    it runs on the argument list of every probe point (each value of every axis), so a
    swept option that changes the model (``--mechanisms``, ``--ion``) is covered, and so is
    one that names it: a ``--params`` axis with a set that does not exist is refused here,
    with or without ``set:`` (it failed at every point of that value; the check resolves
    the set and the model, a few ms per point once the first is loaded).
    """
    from hemcell.workflows import parameter_key_check

    check = parameter_key_check(command.name)
    if check is None:
        return
    seen: set[tuple[str, ...]] = set()
    for point in spec.probe_points():
        args = [*point.args, "--out", "OUT"]
        key = tuple(a.split("=", 1)[0] for a in args)
        if key in seen:
            continue
        seen.add(key)
        try:
            check(command.parse_args(args))
        except InputError as exc:
            raise SpecError(where, [exc]) from None


def _check_arguments(spec: SweepSpec, command: Command, where: str) -> None:
    """Parse, with the command's own parser, one point per value of every axis."""
    import tempfile

    # a folder that does not exist: the command's --out check passes without touching it
    probe_out = str(Path(tempfile.gettempdir()) / "hemcell-sweep-spec-check" / "out")
    errors: list[InputError] = []
    for point in spec.probe_points():
        try:
            command.check_args([*point.args, "--out", probe_out],
                               f"{where}: point {point.values}")
        except InputError as exc:
            errors.append(exc)
            if len(errors) >= 5:
                raise SpecError(where, errors) from None
    if errors:
        raise SpecError(where, errors)


def load_spec(path: str | Path) -> SweepSpec:
    """Read and validate a sweep spec file.

    Parameters
    ----------
    path
        A YAML file (see ``docs/sweeps.md`` and ``examples/sweeps/``).

    Raises
    ------
    SpecError
        With every problem found, before anything runs.

    Examples
    --------
    >>> from hemcell.sweep import load_spec
    >>> spec = load_spec("examples/sweeps/params_quick.yaml")  # doctest: +SKIP
    >>> spec.dims, spec.shape  # doctest: +SKIP
    """
    from hemcell.params.yaml_io import safe_load_file

    path = Path(path)
    return parse_spec(safe_load_file(path), path)
