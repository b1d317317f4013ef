"""The parameter registry: every parameter name hemcell knows, with its SI unit and bounds.

Names are declared once, in ``parameters/registry/*.yaml`` (one file per domain:
``li_metal.yaml``, ``surface.yaml``, ``anode.yaml``, ...). A declaration fixes

- ``unit``: the SI unit used inside the code; it defines the dimension a value must have;
- ``min`` / ``max`` (SI, optional), exclusive unless ``min_inclusive`` / ``max_inclusive``;
- ``integer`` (optional, ``true``): a count or seed, only whole numbers are values (a
  ``--set`` of 1.5 is refused, not truncated);
- ``description``: what the quantity is (symbol and meaning);
- ``pybamm`` (optional): PyBaMM's parameter name, and ``pybamm_unit`` if PyBaMM wants a
  unit other than ``unit`` (``A.h`` for capacities).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from hemcell.errors import ParameterError, ParameterFileError
from hemcell.resources import data_dir

_SPEC_KEYS = {
    "unit", "min", "max", "min_inclusive", "max_inclusive", "integer", "description",
    "pybamm", "pybamm_unit",
}


@dataclass(frozen=True)
class ParameterSpec:
    """Declaration of one parameter name.

    Attributes
    ----------
    name
        snake_case name used in parameter files and ``--set``.
    unit
        SI unit used inside the code (pint expression).
    description
        Meaning and symbol.
    min, max
        Bounds in ``unit``; ``None`` for unbounded.
    min_inclusive, max_inclusive
        Whether the bounds are allowed values.
    integer
        Only whole numbers are values (counts, seeds).
    pybamm
        PyBaMM parameter name, if one exists.
    pybamm_unit
        Unit PyBaMM expects, if different from ``unit``.
    origin
        Registry file that declares it.
    """

    name: str
    unit: str
    description: str
    min: float | None = None
    max: float | None = None
    min_inclusive: bool = False
    max_inclusive: bool = False
    integer: bool = False
    pybamm: str | None = None
    pybamm_unit: str | None = None
    origin: str = ""

    def allowed_range(self) -> str:
        """Human-readable allowed interval, e.g. ``(0, 1) dimensionless``."""
        lo = "-inf" if self.min is None else f"{self.min:g}"
        hi = "inf" if self.max is None else f"{self.max:g}"
        left = "[" if (self.min is not None and self.min_inclusive) else "("
        right = "]" if (self.max is not None and self.max_inclusive) else ")"
        whole = ", a whole number" if self.integer else ""
        return f"{left}{lo}, {hi}{right} {self.unit}{whole}"

    def contains(self, si_value: float) -> bool:
        """Whether ``si_value`` (finite, in ``unit``) lies within the bounds (and is a
        whole number if the name is ``integer``)."""
        if not math.isfinite(si_value) or (self.integer and not float(si_value).is_integer()):
            return False
        if self.min is not None and (
            si_value < self.min or (si_value == self.min and not self.min_inclusive)
        ):
            return False
        return not (
            self.max is not None
            and (si_value > self.max or (si_value == self.max and not self.max_inclusive))
        )


def _spec_from_mapping(name: str, raw: Any, origin: str) -> tuple[ParameterSpec | None,
                                                                   list[ParameterError]]:
    from hemcell.units import parse_unit

    errors: list[ParameterError] = []
    field = f"{origin}: {name}"
    if not isinstance(raw, dict):
        return None, [ParameterError(field, raw, "a mapping with unit, description, min, max")]
    for key in raw:
        if key not in _SPEC_KEYS:
            errors.append(ParameterError(f"{field}.{key}", raw[key], f"keys {sorted(_SPEC_KEYS)}"))
    unit = raw.get("unit")
    try:
        parse_unit(unit, f"{field}.unit")
    except ParameterError as exc:
        errors.append(exc)
    except Exception as exc:  # InputError from parse_unit
        errors.append(ParameterError(f"{field}.unit", unit, str(getattr(exc, "allowed", exc))))
    if not isinstance(raw.get("description"), str) or not raw["description"].strip():
        errors.append(ParameterError(f"{field}.description", raw.get("description"),
                                     "a non-empty description"))
    bounds: dict[str, float | None] = {}
    for b in ("min", "max"):
        v = raw.get(b)
        if v is not None and (isinstance(v, bool) or not isinstance(v, int | float)):
            errors.append(ParameterError(f"{field}.{b}", v, "a number in the SI unit"))
            v = None
        bounds[b] = None if v is None else float(v)
    if not isinstance(raw.get("integer", False), bool):
        errors.append(ParameterError(f"{field}.integer", raw["integer"], "true or false"))
    if errors:
        return None, errors
    return ParameterSpec(
        name=name,
        unit=unit,
        description=raw["description"].strip(),
        min=bounds["min"],
        max=bounds["max"],
        min_inclusive=bool(raw.get("min_inclusive", False)),
        max_inclusive=bool(raw.get("max_inclusive", False)),
        integer=raw.get("integer", False),
        pybamm=raw.get("pybamm"),
        pybamm_unit=raw.get("pybamm_unit"),
        origin=origin,
    ), []


def load_registry_file(path: Path) -> dict[str, ParameterSpec]:
    """Read one registry file.

    Raises
    ------
    ParameterFileError
        Listing every malformed declaration.
    """
    from hemcell.params.yaml_io import safe_load_file

    raw = safe_load_file(path)
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ParameterFileError(str(path), [ParameterError(str(path), type(raw).__name__,
                                                             "a mapping of parameter names")])
    specs: dict[str, ParameterSpec] = {}
    errors: list[ParameterError] = []
    for name, body in raw.items():
        spec, errs = _spec_from_mapping(str(name), body, path.name)
        errors.extend(errs)
        if spec is not None:
            specs[spec.name] = spec
    if errors:
        raise ParameterFileError(str(path), errors)
    return specs


@lru_cache(maxsize=4)
def _load_registry(folder: str) -> dict[str, ParameterSpec]:
    specs: dict[str, ParameterSpec] = {}
    errors: list[ParameterError] = []
    for path in sorted(Path(folder).glob("*.yaml")):
        for name, spec in load_registry_file(path).items():
            if name in specs:
                first = specs[name].origin
                errors.append(ParameterError(f"{path.name}: {name}", name,
                                             f"a name not already declared in {first}"))
            specs[name] = spec
    if errors:
        raise ParameterFileError(folder, errors)
    return specs


def registry(folder: Path | None = None) -> dict[str, ParameterSpec]:
    """All declared parameter names (cached).

    Parameters
    ----------
    folder
        Registry folder; defaults to the shipped ``parameters/registry``.
    """
    folder = folder or data_dir("parameters") / "registry"
    return _load_registry(str(folder))
