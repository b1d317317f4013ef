"""Which parameters a model reads: declarations by the reader, checks against a set.

Every submodel declares the registry names it reads next to its equations, as a
module-level ``PARAMETERS: tuple[ParameterUse, ...]``. Element-resolved names are
patterns (``conversion_capacity_{el}``) that expand over the elements of one group of
the model's inventory (the convertible elements, the alloying hosts, ...). From these
declarations a workflow knows, for the model and command it runs,

- which values a set must give (a run with missing values names all of them at once:
  :func:`require_parameters`), and
- which ``--set`` keys it honours: any other key is refused, naming the model and the
  closest names it does read (:func:`refuse_unread`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from hemcell.errors import InputError, did_you_mean


@dataclass(frozen=True)
class ParameterUse:
    """One parameter a submodel reads.

    Attributes
    ----------
    key
        Registry name, or a pattern with ``{el}`` (lower-case element symbol).
    unit
        SI unit the reader expects (the registry's unit of ``key``).
    elements
        For a pattern: the inventory group ``{el}`` ranges over (``"conversion"``,
        ``"alloying"``, ``"space_charge"``, ...); empty for a plain name.
    absent
        Empty for a value every set must give. Otherwise what a set that does not give
        it means (``"the element is not in the material"``): the name is read (a
        ``--set`` of it is honoured) but not required.
    """

    key: str
    unit: str
    elements: str = ""
    absent: str = ""

    def keys(self, groups: Mapping[str, Iterable[str]]) -> tuple[str, ...]:
        """The registry names this use stands for, given the elements of each group."""
        if not self.elements:
            return (self.key,)
        return tuple(self.key.format(el=el.lower()) for el in groups.get(self.elements, ()))


def expand(uses: Iterable[ParameterUse],
           groups: Mapping[str, Iterable[str]] | None = None) -> dict[str, ParameterUse]:
    """Registry name → declaration for every name the ``uses`` stand for (in order)."""
    groups = {k: tuple(v) for k, v in (groups or {}).items()}
    out: dict[str, ParameterUse] = {}
    for use in uses:
        for key in use.keys(groups):
            out.setdefault(key, use)
    return out


def required(uses: Mapping[str, ParameterUse]) -> list[str]:
    """The names of ``uses`` (from :func:`expand`) every set must give."""
    return [k for k, u in uses.items() if not u.absent]


def missing_parameters(values: Mapping[str, Any], keys: Iterable[str]) -> list[str]:
    """The ``keys`` without a value in ``values``, in order."""
    return [k for k in keys if k not in values]


def require_parameters(values: Mapping[str, Any], keys: Iterable[str], reader: str,
                       set_name: str = "parameter set") -> None:
    """Raise one :class:`InputError` naming every key of ``keys`` missing in ``values``.

    Parameters
    ----------
    values
        Registry name → value (a set's SI values).
    keys
        Names the model reads.
    reader
        The model (and command), for the message.
    set_name
        The set, for the message.
    """
    missing = missing_parameters(values, keys)
    if missing:
        raise InputError(
            f"{set_name} for {reader}",
            f"{len(missing)} missing value(s)",
            "a value (with unit and source) for every parameter the model reads; "
            f"missing: {', '.join(missing)}",
            hint="add them to the parameter file (docs/parameters.md) or pass "
            f"--set {missing[0]}=...; `hemcell params check SET --for RECIPE` lists them",
        )


def override_items(overrides: Iterable[str] | Mapping[str, Any] | None,
                   field: str = "--set") -> list[tuple[str, str]]:
    """``KEY=VALUE`` overrides (``--set``, a fit spec's ``model.set``) as (key, value text).

    The one parser of override lists: every command's ``--set`` goes through it.

    Raises
    ------
    InputError
        An entry without ``=`` or without a key, or a key given twice (which value was
        meant cannot be told; naming ``field``, the key and both values).
    """
    if not overrides:
        return []
    if isinstance(overrides, Mapping):
        return [(str(k), str(v)) for k, v in overrides.items()]
    items: list[tuple[str, str]] = []
    seen: dict[str, str] = {}
    for text in overrides:
        if "=" not in str(text):
            raise InputError(field, text, "KEY=VALUE with a unit, e.g. coating_thickness=28nm")
        key, value = (part.strip() for part in str(text).split("=", 1))
        if not key:
            raise InputError(field, text, "KEY=VALUE with a unit, e.g. coating_thickness=28nm "
                             "(a parameter name before '=')")
        if key in seen:
            raise InputError(field, f"{key}={seen[key]} and {key}={value}",
                             f"each parameter once ({key} is given twice)",
                             hint="which value was meant cannot be told; keep one")
        seen[key] = value
        items.append((key, value))
    return items


def replace_overrides(overrides: Iterable[str] | None, *derived: str) -> list[str]:
    """``overrides`` with the ``derived`` ``KEY=VALUE`` entries in place of any of the same
    key: for a workflow that computes a value from the set (and so from the user's own
    ``--set`` of it), e.g. the cycle-life loop's active fraction ε₀·φ."""
    keys = {key for key, _ in override_items(derived)}
    kept = [f"{k}={v}" for k, v in override_items(overrides) if k not in keys]
    return [*kept, *derived]


def override_keys(overrides: Iterable[str] | Mapping[str, Any] | None) -> list[str]:
    """The keys of ``KEY=VALUE`` overrides (``--set``), in order (:func:`override_items`)."""
    return [key for key, _ in override_items(overrides)]


def refuse_unread(keys: Sequence[str], reads: Iterable[str], reader: str,
                  field: str = "--set") -> None:
    """Refuse (exit 2) the first key of ``keys`` that ``reader`` does not read.

    The message names the model and up to three of the names it reads that are closest
    to the key (:func:`hemcell.errors.did_you_mean`).
    """
    known = list(reads)
    for key in keys:
        if key in known:
            continue
        close = did_you_mean(key, known, cutoff=0.5)
        allowed = f"a parameter {reader} reads" + (f" ({close})" if close else "")
        where = ("`hemcell params check SET --for RECIPE` lists the inputs"
                 if "hemcell cell" in reader else
                 "docs/parameters.md (\"Which values a model reads\") says where each "
                 "command declares its inputs")
        raise InputError(field, key, allowed,
                         hint=f"{key} is not an input of {reader}: setting it would change "
                         f"nothing; {where}")
