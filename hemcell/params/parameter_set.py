"""Parameter sets: load, validate, convert (SI floats, PyBaMM names) and override.

The file format is documented in ``docs/parameters.md``. In short, every value has a
``value``, a ``unit`` (checked against the registry's dimension with pint) and a
``source`` of exactly one kind: ``seed``, ``ref``, ``calibrated``, ``derived`` or
``assumed``. Problems are collected and reported together, each naming the file, the
key, the value and what is allowed.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from hemcell.errors import InputError, ParameterError, ParameterFileError, did_you_mean
from hemcell.params.registry import ParameterSpec, registry
from hemcell.params.uses import override_items
from hemcell.params.yaml_io import safe_load_file
from hemcell.resources import data_dir

TOP_LEVEL_KEYS = {"name", "kind", "description", "extends", "pybamm_base", "references",
                  "parameters", "notes"}
REQUIRED_TOP_LEVEL = ("name", "kind", "description", "parameters")
KINDS = ("material", "anode", "cell", "surface", "electrolyte", "cathode")
ENTRY_KEYS = {"value", "unit", "source", "uncertainty", "range", "note"}
REFERENCE_KEYS = {"authors", "title", "journal", "year", "doi", "url", "page", "volume",
                  "pages", "publisher", "note", "code"}
SOURCE_KINDS: dict[str, tuple[set[str], set[str]]] = {
    # kind: (required keys, optional keys)
    "seed": ({"seed", "line"}, {"text", "note"}),
    "ref": ({"ref"}, {"page", "table", "equation", "figure", "note"}),
    "calibrated": ({"calibrated", "command"}, {"note"}),
    "derived": ({"derived"}, {"from", "note"}),
    "assumed": ({"assumed"}, {"note"}),
}
_SEED_FILE = re.compile(r"^\d{3}_[0-9a-f]{16}\.txt$")
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")

Number = float | list[float]


@dataclass(frozen=True)
class Parameter:
    """One sourced value.

    Attributes
    ----------
    name
        Registry name.
    value
        The number (or list of numbers) as written.
    unit
        The unit as written.
    si_value
        The value converted to the registry's SI unit.
    spec
        The registry declaration.
    source
        The source mapping (``{"seed": ..., "line": ...}``, ``{"ref": ...}``, ...).
    uncertainty
        Optional uncertainty, as written (same dimension).
    range
        Optional ``[min, max]`` in ``unit``.
    note
        Optional remark.
    """

    name: str
    value: Number
    unit: str
    si_value: Number
    spec: ParameterSpec
    source: Mapping[str, Any]
    uncertainty: str | None = None
    range: tuple[float, float] | None = None
    note: str | None = None

    @property
    def source_kind(self) -> str:
        """``seed``, ``ref``, ``calibrated``, ``derived``, ``assumed`` or ``override``."""
        for kind in (*SOURCE_KINDS, "override"):
            if kind in self.source:
                return kind
        return "unknown"

    @property
    def quantity(self) -> Any:
        """The value as written, as a pint Quantity."""
        from hemcell.units import unit_registry

        return unit_registry().Quantity(self.value, self.unit)

    def describe_source(self, references: Mapping[str, Mapping[str, Any]] | None = None) -> str:
        """One-line human description of the source."""
        s = self.source
        kind = self.source_kind
        if kind == "seed":
            return f"seed {s['seed']} L{s['line']}"
        if kind == "ref":
            ref = (references or {}).get(s["ref"], {})
            cite = f"{ref.get('authors', s['ref'])} ({ref.get('year', '?')})"
            extra = ", ".join(f"{k} {s[k]}" for k in ("table", "equation", "figure", "page")
                              if k in s)
            return f"ref {cite}" + (f", {extra}" if extra else "")
        if kind == "calibrated":
            return f"calibrated to {s['calibrated']} (by `{s['command']}`)"
        if kind == "derived":
            return f"derived: {s['derived']}"
        if kind == "assumed":
            return f"assumed: {s['assumed']}"
        if kind == "override":
            return f"override: {s['override']}"
        return "unknown source"

    def record(self) -> dict[str, Any]:
        """JSON-ready record: value, unit, SI value and unit, source."""
        out: dict[str, Any] = {"value": self.value, "unit": self.unit, "si_value": self.si_value,
                               "si_unit": self.spec.unit, "source": dict(self.source)}
        if self.uncertainty is not None:
            out["uncertainty"] = self.uncertainty
        return out


@dataclass(frozen=True)
class ParameterSet:
    """A validated parameter set.

    Use :func:`load_parameter_set` to create one.

    Attributes
    ----------
    name, kind, description
        From the file.
    path
        The YAML file (``None`` for sets built in memory).
    parameters
        Name → :class:`Parameter`.
    references
        Reference key → bibliographic mapping.
    pybamm_base
        Name of a PyBaMM parameter set this set starts from, if any.
    notes
        Free-text notes (inconsistencies in the sources, caveats).
    extends
        Name of the set this one extends (its values are inherited), if any.
    """

    name: str
    kind: str
    description: str
    path: Path | None
    parameters: Mapping[str, Parameter]
    references: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    pybamm_base: str | None = None
    notes: tuple[str, ...] = ()
    extends: str | None = None

    def __getitem__(self, name: str) -> Parameter:
        try:
            return self.parameters[name]
        except KeyError:
            raise InputError(f"parameter set {self.name!r}", name,
                             suggest_parameter(name, self.parameters)) from None

    def __contains__(self, name: object) -> bool:
        return name in self.parameters

    def __iter__(self) -> Iterator[str]:
        return iter(self.parameters)

    def __len__(self) -> int:
        return len(self.parameters)

    @property
    def si(self) -> dict[str, Number]:
        """Name → value in the registry's SI unit (float, or list of floats)."""
        return {n: p.si_value for n, p in self.parameters.items()}

    def to_pybamm(self) -> dict[str, Number]:
        """PyBaMM name → value in PyBaMM's unit, for every parameter that has a PyBaMM name."""
        from hemcell.units import to_si

        out: dict[str, Number] = {}
        for p in self.parameters.values():
            if not p.spec.pybamm:
                continue
            if p.spec.pybamm_unit:
                conv = [to_si(v, p.spec.unit, p.spec.pybamm_unit, p.name)
                        for v in _as_list(p.si_value)]
                out[p.spec.pybamm] = conv if isinstance(p.si_value, list) else conv[0]
            else:
                out[p.spec.pybamm] = p.si_value
        return out

    def to_pybamm_parameter_values(self) -> Any:
        """A ``pybamm.ParameterValues``: ``pybamm_base`` updated with :meth:`to_pybamm`.

        Raises
        ------
        InputError
            If ``pybamm_base`` is not a PyBaMM parameter set.
        """
        import pybamm

        if self.pybamm_base is not None:
            if self.pybamm_base not in pybamm.parameter_sets:
                raise InputError(f"{self.path or self.name}: pybamm_base", self.pybamm_base,
                                 f"one of PyBaMM's sets {sorted(pybamm.parameter_sets)}")
            values = pybamm.ParameterValues(self.pybamm_base)
        else:
            values = pybamm.ParameterValues({})
        values.update(self.to_pybamm(), check_already_exists=False)
        return values

    def with_overrides(self, overrides: Iterable[str] | Mapping[str, str]) -> ParameterSet:
        """A copy with ``KEY=VALUE`` overrides applied (the ``--set`` option).

        Parameters
        ----------
        overrides
            ``["coating_thickness=14nm", ...]`` or ``{"coating_thickness": "14 nm"}``.
            Values need a unit unless the parameter is dimensionless. Names must be in the
            registry; a name not yet in the set is added.

        Raises
        ------
        InputError
            Naming the override, the value and what is allowed.
        """
        items = override_items(overrides)
        params = dict(self.parameters)
        specs = registry()
        for key, text in items:
            from hemcell.units import parse_quantity_text

            field_name = f"--set {key}"
            if key not in specs:
                raise InputError("--set", key, suggest_parameter(key, specs))
            value, unit = parse_quantity_text(str(text), field_name)
            spec = specs[key]
            if unit == "dimensionless" and spec.unit not in ("dimensionless", "1", ""):
                raise InputError(field_name, text, f"a number with a unit of dimension {spec.unit}",
                                 hint=f"e.g. --set {key}=1.0{spec.unit.replace('**', '^')}")
            old = params.get(key)
            was = None if old is None else f"was {old.value} {old.unit}"
            params[key] = _make_parameter(key, value, unit, spec,
                                          {"override": f"--set {key}={text}"}, field_name,
                                          note=was)
        errors = volume_fraction_errors(params, "--set ")
        if errors:
            raise errors[0]
        return replace(self, parameters=params)

    def record(self) -> dict[str, Any]:
        """JSON-ready record of every value with units and sources (for ``run.json``)."""
        return {"name": self.name, "path": str(self.path) if self.path else None,
                "extends": self.extends, "pybamm_base": self.pybamm_base,
                "parameters": {n: p.record() for n, p in self.parameters.items()}}

    def assumed(self) -> list[Parameter]:
        """The values that rest on an assumption (listed in validation reports)."""
        return [p for p in self.parameters.values() if p.source_kind == "assumed"]


_SOLID_FRACTION = "_active_material_volume_fraction"


def volume_fraction_errors(parameters: Mapping[str, Parameter], where: str = ""
                           ) -> list[ParameterError]:
    """A porous electrode's volume fractions must fit in it: ε + ε_s ≤ 1.

    The electrolyte (porosity ε, ``<stem>_porosity`` or ``<stem>_electrode_porosity``)
    and the active material (``<stem>_active_material_volume_fraction``, ε_s) share the
    electrode's volume with the binder and carbon, 1 − ε − ε_s ≥ 0. Each bound alone is
    in the registry; their sum is checked here, for a file and for ``--set``.
    """
    errors = []
    for name, solid in parameters.items():
        if not name.endswith(_SOLID_FRACTION):
            continue
        stem = name[: -len(_SOLID_FRACTION)]
        for pname in (f"{stem}_porosity", f"{stem}_electrode_porosity"):
            pore = parameters.get(pname)
            if pore is None or not all(isinstance(p.si_value, int | float)
                                       for p in (pore, solid)):
                continue
            total = float(pore.si_value) + float(solid.si_value)
            if total > 1.0:
                errors.append(ParameterError(
                    f"{where}{pname} + {name}",
                    f"{pore.si_value:g} + {solid.si_value:g} = {total:g}",
                    "a sum <= 1: porosity and active material share the electrode's volume "
                    "with its binder and carbon",
                    hint=f"lower {pname} or {name} (--set {pname}=... --set {name}=...)"))
    return errors


def _as_list(v: Number) -> list[float]:
    return list(v) if isinstance(v, list) else [v]


def suggest_parameter(name: str, known: Iterable[str]) -> str:
    """What is allowed instead of the unknown parameter ``name``: up to three close names
    of ``known`` (:func:`hemcell.errors.did_you_mean`)."""
    close = did_you_mean(name, list(known))
    if close:
        return f"a known parameter name ({close})"
    return "a parameter name declared in parameters/registry/*.yaml (see `hemcell params show`)"


def _as_number(raw: Any) -> float | None:
    """Float from a YAML scalar; PyYAML reads ``1e-10`` (no dot) as text, so accept that."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int | float):
        return float(raw)
    if isinstance(raw, str):
        try:
            return float(raw)
        except ValueError:
            return None
    return None


def _make_parameter(name: str, value: Number, unit: str, spec: ParameterSpec,
                    source: Mapping[str, Any], field_name: str, uncertainty: str | None = None,
                    range_: tuple[float, float] | None = None, note: str | None = None
                    ) -> Parameter:
    """Convert to SI, check finiteness and bounds; raise ParameterError on failure.

    A temperature written in ``C`` keeps the unit ``degC`` (:func:`hemcell.units.temperature_unit`),
    so the value's quantity and ``run.json`` say Celsius, not coulomb.
    """
    from hemcell.units import temperature_unit, to_si

    unit = temperature_unit(unit, spec.unit)
    si_values = []
    for v in _as_list(value):
        if not math.isfinite(v):
            raise ParameterError(f"{field_name}.value", v, "a finite number")
        try:
            si = to_si(v, unit, spec.unit, field_name)
        except InputError as exc:
            raise ParameterError(exc.field, exc.value, exc.allowed, hint=exc.hint) from None
        if not spec.contains(si):
            raise ParameterError(f"{field_name}.value", _as_given(v, unit, si, spec.unit),
                                 f"a value in {spec.allowed_range()} ({spec.description})")
        si_values.append(si)
    si_value: Number = si_values if isinstance(value, list) else si_values[0]
    return Parameter(name=name, value=value, unit=unit, si_value=si_value, spec=spec,
                     source=dict(source), uncertainty=uncertainty, range=range_, note=note)


def _as_given(value: float, unit: str, si_value: float, si_unit: str) -> str:
    """A refused value as written, with its SI value where the unit differs: ``'15'``
    (a pH), ``'0.5 mm'``, ``'1e+06 mA/cm**2 (= 1e+07 A/m**2)'``."""
    shown = f"{value:g}" if unit in ("", "dimensionless") else f"{value:g} {unit}"
    if unit == si_unit and value == si_value:
        return shown
    return f"{shown} (= {si_value:g} {si_unit})"


def _check_source(src: Any, field_name: str, references: Mapping[str, Any],
                  names: set[str]) -> list[ParameterError]:
    if not isinstance(src, dict):
        return [ParameterError(f"{field_name}.source", src,
                               f"a mapping with one source kind of {list(SOURCE_KINDS)}")]
    kinds = [k for k in SOURCE_KINDS if k in src]
    if len(kinds) != 1:
        return [ParameterError(f"{field_name}.source", src,
                               f"exactly one source kind of {list(SOURCE_KINDS)}")]
    kind = kinds[0]
    required, optional = SOURCE_KINDS[kind]
    errors = []
    for key in src:
        if key not in required | optional:
            errors.append(ParameterError(f"{field_name}.source.{key}", src[key],
                                         f"keys {sorted(required | optional)} for a {kind} source"))
    for key in sorted(required - set(src)):
        errors.append(ParameterError(f"{field_name}.source", src,
                                     f"a {kind} source with key {key!r}"))
    if errors:
        return errors
    if kind == "seed":
        if not isinstance(src["seed"], str) or not _SEED_FILE.match(src["seed"]):
            errors.append(ParameterError(f"{field_name}.source.seed", src["seed"],
                                         "a seed file name like 004_f1ec79e91fb2534a.txt"))
        line = src["line"]
        if isinstance(line, bool) or not isinstance(line, int) or line < 1:
            errors.append(ParameterError(f"{field_name}.source.line", line,
                                         "a line number >= 1"))
        if "text" in src and not isinstance(src["text"], str | int | float):
            errors.append(ParameterError(f"{field_name}.source.text", src["text"],
                                         "the literal as printed on that line"))
    elif kind == "ref":
        if src["ref"] not in references:
            errors.append(ParameterError(f"{field_name}.source.ref", src["ref"],
                                         f"a key of references: {sorted(references)}"))
    else:
        for key in required:
            if not isinstance(src[key], str) or len(src[key].strip()) < 8:
                errors.append(ParameterError(f"{field_name}.source.{key}", src[key],
                                             "a sentence saying what/why (at least 8 characters)"))
        if kind == "derived" and "from" in src:
            frm = src["from"]
            frm_list = frm if isinstance(frm, list) else [frm]
            for n in frm_list:
                if n not in names:
                    errors.append(ParameterError(f"{field_name}.source.from", n,
                                                 "names of parameters in this file"))
    return errors


def _check_reference(key: str, ref: Any, path: str) -> list[ParameterError]:
    field_name = f"{path}: references.{key}"
    if not isinstance(ref, dict):
        return [ParameterError(field_name, ref, "a mapping with authors, year, title/journal, "
                                                "doi/url/page")]
    errors = [ParameterError(f"{field_name}.{k}", ref[k], f"keys {sorted(REFERENCE_KEYS)}")
              for k in ref if k not in REFERENCE_KEYS]
    if not isinstance(ref.get("authors"), str) or not ref["authors"].strip():
        errors.append(ParameterError(f"{field_name}.authors", ref.get("authors"),
                                     "the authors as a string"))
    year = ref.get("year")
    if isinstance(year, bool) or not isinstance(year, int) or not 1800 <= year <= 2100:
        errors.append(ParameterError(f"{field_name}.year", year, "a four-digit year"))
    if not (ref.get("title") or ref.get("journal")):
        errors.append(ParameterError(field_name, ref, "a title or a journal"))
    if not (ref.get("doi") or ref.get("url") or ref.get("page") or ref.get("pages")
            or ref.get("code")):
        errors.append(ParameterError(field_name, ref, "a doi, url, page(s) or code location"))
    return errors


def parse_parameter_set(raw: Any, path: Path, specs: Mapping[str, ParameterSpec] | None = None,
                        parent: ParameterSet | None = None) -> ParameterSet:
    """Validate an already-parsed YAML document as a parameter set.

    Parameters
    ----------
    raw
        The parsed YAML.
    path
        The file it came from (names errors; the set's name must equal its stem).
    specs
        Registry to check names against (default: the shipped registry).
    parent
        The set named by ``extends:``, already loaded: its values, references and
        ``pybamm_base`` are inherited, and this file's values override them.

    Raises
    ------
    ParameterFileError
        With every problem found, each naming the file, the key, the value and what is
        allowed.
    """
    specs = registry() if specs is None else specs
    where = str(path)
    if not isinstance(raw, dict):
        raise ParameterFileError(where, [ParameterError(where, type(raw).__name__,
                                                         "a YAML mapping at the top level")])
    if not any(key in TOP_LEVEL_KEYS for key in raw):  # not a parameter set: echo none of it
        raise ParameterFileError(where, [ParameterError(
            where, f"a mapping of {len(raw)} key(s), none of them a parameter-set key",
            f"a parameter set with top-level keys {list(REQUIRED_TOP_LEVEL)}")])
    errors: list[ParameterError] = []
    for key in raw:
        if key not in TOP_LEVEL_KEYS:
            errors.append(ParameterError(f"{where}: {key}", raw[key],
                                         f"top-level keys {sorted(TOP_LEVEL_KEYS)}"))
    for key in REQUIRED_TOP_LEVEL:
        if key not in raw:
            errors.append(ParameterError(where, f"missing {key!r}",
                                         f"required keys {list(REQUIRED_TOP_LEVEL)}"))
    name = raw.get("name")
    if "name" in raw and name != path.stem:
        errors.append(ParameterError(f"{where}: name", name, f"the file stem {path.stem!r}"))
    if "kind" in raw and raw["kind"] not in KINDS:
        errors.append(ParameterError(f"{where}: kind", raw["kind"], f"one of {list(KINDS)}"))
    if "pybamm_base" in raw and not isinstance(raw["pybamm_base"], str):
        errors.append(ParameterError(f"{where}: pybamm_base", raw["pybamm_base"],
                                     "the name of a PyBaMM parameter set, e.g. Xu2019"))
    references = raw.get("references") or {}
    if not isinstance(references, dict):
        errors.append(ParameterError(f"{where}: references", references,
                                     "a mapping of reference keys"))
        references = {}
    for key, ref in references.items():
        errors.extend(_check_reference(str(key), ref, where))
    if parent is not None:
        references = {**parent.references, **references}
    notes = raw.get("notes") or []
    if isinstance(notes, str):
        notes = [notes]
    if not isinstance(notes, list) or not all(isinstance(n, str) for n in notes):
        errors.append(ParameterError(f"{where}: notes", notes, "a list of strings"))
        notes = []

    entries = raw.get("parameters") or {}
    if not isinstance(entries, dict):
        errors.append(ParameterError(f"{where}: parameters", entries,
                                     "a mapping of parameter names to entries"))
        entries = {}
    names = set(map(str, entries)) | (set(parent.parameters) if parent is not None else set())
    parameters: dict[str, Parameter] = {}
    for pname, entry in entries.items():
        pname = str(pname)
        fname = f"{where}: {pname}"
        if pname not in specs:
            errors.append(ParameterError(fname, pname, suggest_parameter(pname, specs)))
            continue
        if not isinstance(entry, dict):
            errors.append(ParameterError(fname, entry, "a mapping with value, unit and source"))
            continue
        bad = [k for k in entry if k not in ENTRY_KEYS]
        for k in bad:
            errors.append(ParameterError(f"{fname}.{k}", entry[k], f"keys {sorted(ENTRY_KEYS)}"))
        missing = [k for k in ("value", "unit", "source") if k not in entry]
        for k in missing:
            errors.append(ParameterError(fname, f"missing {k!r}",
                                         "every value needs 'value', 'unit' and 'source'"))
        if missing:
            continue
        errs = _check_source(entry["source"], fname, references, names)
        errors.extend(errs)
        raw_value = entry["value"]
        if isinstance(raw_value, list):
            nums = [_as_number(v) for v in raw_value]
            value: Number | None = None if (not nums or None in nums) else nums  # type: ignore[assignment]
        else:
            value = _as_number(raw_value)
        if value is None:
            errors.append(ParameterError(f"{fname}.value", raw_value,
                                         "a number or a non-empty list of numbers"))
            continue
        unit = entry["unit"]
        if not isinstance(unit, str) or not unit.strip():
            errors.append(ParameterError(f"{fname}.unit", unit,
                                         f"a unit with the dimension of {specs[pname].unit}"))
            continue
        range_ = entry.get("range")
        if range_ is not None:
            rng = [_as_number(v) for v in range_] if isinstance(range_, list) else []
            if len(rng) != 2 or None in rng or rng[0] > rng[1]:  # type: ignore[operator]
                errors.append(ParameterError(f"{fname}.range", range_, "[min, max] in the unit"))
                range_ = None
            else:
                range_ = (rng[0], rng[1])
        unc = entry.get("uncertainty")
        if unc is not None:
            unc = str(unc)
        note = entry.get("note")
        if errs:  # a source that is not a mapping cannot be stored (reported above)
            continue
        try:
            parameters[pname] = _make_parameter(pname, value, unit, specs[pname], entry["source"],
                                                fname, uncertainty=unc, range_=range_,
                                                note=None if note is None else str(note))
        except ParameterError as exc:
            errors.append(exc)
            continue
        if unc is not None:
            from hemcell.units import parse_quantity_text, to_si

            try:
                u_val, u_unit = parse_quantity_text(unc, f"{fname}.uncertainty")
                if u_unit == "dimensionless":
                    u_unit = unit
                to_si(u_val, u_unit, specs[pname].unit, f"{fname}.uncertainty")
            except InputError as exc:
                errors.append(ParameterError(exc.field, exc.value, exc.allowed))
    if errors:
        raise ParameterFileError(where, errors)
    if parent is not None:
        parameters = {**parent.parameters, **parameters}
        notes = [*parent.notes, *notes]
    errors = volume_fraction_errors(parameters, f"{where}: ")
    if errors:
        raise ParameterFileError(where, errors)
    pybamm_base = raw.get("pybamm_base", parent.pybamm_base if parent is not None else None)
    return ParameterSet(name=str(name), kind=raw["kind"], description=str(raw["description"]),
                        path=path, parameters=parameters, references=references,
                        pybamm_base=pybamm_base, notes=tuple(notes),
                        extends=None if parent is None else parent.name)


def parameters_dir() -> Path:
    """The folder of shipped parameter sets."""
    return data_dir("parameters")


def list_parameter_sets() -> list[str]:
    """Names of the shipped parameter sets, sorted."""
    return sorted(p.stem for p in parameters_dir().glob("*.yaml"))


def resolve_parameter_path(name_or_path: str | Path) -> Path:
    """Path of a set given by shipped name (``bare_li``) or by a path to a YAML file.

    Raises
    ------
    InputError
        If no such set exists, with the list of shipped names.
    """
    text = str(name_or_path)
    candidate = Path(text)
    if candidate.suffix in (".yaml", ".yml") or candidate.is_file():
        if not candidate.is_file():
            raise InputError("parameter file", text, "an existing YAML file")
        return candidate
    path = parameters_dir() / f"{text}.yaml"
    if not _NAME.match(text) or not path.is_file():
        known = list_parameter_sets()
        raise InputError("parameter set", text, f"one of {known} or a YAML path",
                         hint=did_you_mean(text, known))
    return path


def load_parameter_set(name_or_path: str | Path) -> ParameterSet:
    """Load and validate a parameter set.

    Parameters
    ----------
    name_or_path
        A shipped set's name (see :func:`list_parameter_sets`) or a path to a YAML file.

    Returns
    -------
    ParameterSet
        Validated, with SI values available through :attr:`ParameterSet.si`.

    Raises
    ------
    InputError
        Unknown name.
    ParameterFileError
        The file breaks the schema; every problem is listed.

    Examples
    --------
    >>> from hemcell.params import load_parameter_set
    >>> p = load_parameter_set("bare_li")  # doctest: +SKIP
    >>> p.si["coating_thickness"]  # doctest: +SKIP
    """
    return _load(resolve_parameter_path(name_or_path), ())


def ambient_temperature_K(name_or_path: str | Path,
                          overrides: Iterable[str] | Mapping[str, str] = ()) -> float:
    """The ``ambient_temperature`` [K] of a parameter set with ``--set`` ``overrides``:
    the temperature an (isothermal) model of the set runs at when no other is given.

    The one reading of it for the commands that take a temperature besides the set's
    (``hemcell fit``'s data sets and ``model.temperature``; ``hemcell eis --temperatures``,
    whose ``--soc``/``--protocol`` state is set at this one).

    Raises
    ------
    InputError
        Unknown set, or a bad override.
    KeyError
        The set has no ``ambient_temperature``.
    """
    pset = load_parameter_set(name_or_path)
    if overrides:
        pset = pset.with_overrides(overrides)
    return float(pset.si["ambient_temperature"])


def _load(path: Path, chain: tuple[Path, ...]) -> ParameterSet:
    """Load ``path``, first loading the set it ``extends`` (looked up next to it, then among
    the shipped sets); ``chain`` detects cycles."""
    if path.resolve() in chain:
        names = " -> ".join(p.stem for p in (*chain, path.resolve()))
        raise ParameterError(f"{path}: extends", names, "a chain of sets without a cycle")
    raw = safe_load_file(path)
    parent = None
    if isinstance(raw, dict) and "extends" in raw:
        base = raw["extends"]
        if not isinstance(base, str) or not _NAME.match(base):
            raise ParameterError(f"{path}: extends", base, "the name of another parameter set")
        sibling = path.parent / f"{base}.yaml"
        try:
            parent_path = sibling if sibling.is_file() else resolve_parameter_path(base)
        except InputError:
            raise ParameterError(f"{path}: extends", base,
                                 f"a set next to this file or one of {list_parameter_sets()}"
                                 ) from None
        parent = _load(parent_path, (*chain, path.resolve()))
    return parse_parameter_set(raw, path, parent=parent)
