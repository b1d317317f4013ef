"""Errors raised by hemcell.

The command line turns every :class:`HemcellError` into one clear line (plus a hint)
and an exit code: 2 for bad input (:class:`InputError` and its subclasses), 1 for a
simulation that failed (:class:`SimulationError`). A raw traceback is shown only with
``--debug``.
"""

from __future__ import annotations

import difflib
import reprlib
from collections.abc import Sequence
from typing import Any, Protocol

#: Longest echo of a user-given value (or field) in an error message [characters]; a
#: value read from a hostile or mistaken file can be megabytes long.
MAX_ECHO_CHARS = 200
#: Most individual problems listed in one multi-error message; the rest are counted.
MAX_LISTED_ERRORS = 20

_REPR = reprlib.Repr(maxlevel=3, maxtuple=10, maxlist=10, maxarray=10, maxdict=10,
                     maxset=10, maxfrozenset=10, maxdeque=10, maxstring=MAX_ECHO_CHARS,
                     maxlong=40, maxother=MAX_ECHO_CHARS)


def shorten(text: str, limit: int = MAX_ECHO_CHARS) -> str:
    """``text`` cut to ``limit`` characters, saying how long it was when cut."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text)} characters)"


def echo(value: Any, limit: int = MAX_ECHO_CHARS) -> str:
    """A bounded ``repr`` of a user-given value for an error message or a log line.

    The work is bounded too (containers through :mod:`reprlib`, which stops at a depth
    and a length), so echoing a huge value costs no more than echoing a short one.
    """
    if isinstance(value, str | bytes):
        text = repr(value[:limit])
        return text if len(value) <= limit else f"{text}… ({len(value)} characters)"
    if value is None or isinstance(value, bool | int | float):
        return shorten(repr(value), limit)
    return shorten(_REPR.repr(value), limit)


def list_errors(messages: Sequence[str]) -> str:
    """Indented ``  - message`` lines, at most :data:`MAX_LISTED_ERRORS`, then a count."""
    lines = [f"  - {shorten(m, 5 * MAX_ECHO_CHARS)}" for m in messages[:MAX_LISTED_ERRORS]]
    if len(messages) > MAX_LISTED_ERRORS:
        lines.append(f"  ... and {len(messages) - MAX_LISTED_ERRORS} more")
    return "\n".join(lines)


def joined_hints(errors: Sequence[HemcellError]) -> str | None:
    """The distinct hints of several errors reported together, in order, joined by
    ``"; "`` (``None`` when none has one): a list of errors keeps each one's advice."""
    hints = list(dict.fromkeys(e.hint for e in errors if e.hint))
    return "; ".join(hints) or None


def did_you_mean(value: str, known: Sequence[str], n: int = 3, cutoff: float = 0.6,
                 quote: bool = False) -> str | None:
    """A hint naming up to ``n`` of ``known`` close to the mistyped ``value``
    (:func:`difflib.get_close_matches` with ``cutoff``), ``"did you mean a, b?"`` (with
    ``quote``: ``"did you mean 'a'?"``), or ``None``: the one wording of every such hint."""
    close = difflib.get_close_matches(str(value), list(known), n=n, cutoff=cutoff)
    if not close:
        return None
    return "did you mean " + ", ".join(f"'{c}'" if quote else c for c in close) + "?"


class HemcellError(Exception):
    """Base class of all errors hemcell raises on purpose.

    Parameters
    ----------
    message
        One line saying what went wrong.
    hint
        Optional second line saying what to do about it.
    """

    exit_code: int = 1

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message


class InputError(HemcellError):
    """Bad user input: a field, the value given and what is allowed (exit code 2).

    Parameters
    ----------
    field
        Where the bad value sits (``file: key``, option name, ...).
    value
        The value that was given.
    allowed
        What would have been accepted.
    hint
        Optional advice.
    """

    exit_code = 2

    def __init__(self, field: str, value: Any, allowed: str, hint: str | None = None) -> None:
        self.field = field
        self.value = value
        self.allowed = allowed
        super().__init__(f"{shorten(str(field))}: got {echo(value)}; allowed: {allowed}", hint)


class ParameterError(InputError):
    """A parameter file or override that fails the schema (exit code 2)."""


class ParameterFileError(InputError):
    """Several schema errors found in one parameter file, reported together.

    Parameters
    ----------
    path
        The file that was checked.
    errors
        Each individual :class:`ParameterError`.
    """

    def __init__(self, path: str, errors: list[ParameterError]) -> None:
        self.path = path
        self.errors = errors
        lines = list_errors([e.message for e in errors])
        HemcellError.__init__(self, f"{shorten(str(path))}: {len(errors)} error(s)\n{lines}",
                              joined_hints(errors))
        self.field, self.value, self.allowed = path, None, "a valid parameter file"


class DependencyError(HemcellError):
    """An optional dependency (DOLFINx, gmsh, ...) is missing (exit code 2)."""

    exit_code = 2


class SimulationError(HemcellError):
    """A solver failed: says which step and which time (exit code 1).

    Parameters
    ----------
    message
        What failed.
    step
        The protocol step or solver stage that failed, if known.
    time_s
        Simulation time at failure in seconds, if known.
    hint
        Optional advice.
    """

    exit_code = 1

    def __init__(
        self,
        message: str,
        step: str | None = None,
        time_s: float | None = None,
        hint: str | None = None,
    ) -> None:
        self.step = step
        self.time_s = time_s
        where = []
        if step is not None:
            where.append(f"step {step}")
        if time_s is not None:
            where.append(f"t = {time_s:.6g} s")
        suffix = f" (at {', '.join(where)})" if where else ""
        super().__init__(f"{message}{suffix}", hint)


def require_finite_and_positive(values: Any, label: str, positive: Sequence[str]) -> None:
    """Refuse a dataclass of physical inputs with a non-finite float field or a
    non-positive ``positive`` field: :class:`InputError` naming ``label`` and the field
    (``"a finite number"`` / ``"> 0"``)."""
    import dataclasses
    import math

    for f in dataclasses.fields(values):
        v = getattr(values, f.name)
        if isinstance(v, float) and not math.isfinite(v):
            raise InputError(f"{label} {f.name}", v, "a finite number")
    for name in positive:
        if not getattr(values, name) > 0:
            raise InputError(f"{label} {name}", getattr(values, name), "> 0")


class _Named(Protocol):
    name: str


def select_by_name[T: _Named](items: Sequence[T], only: Sequence[str] | None,
                              option: str) -> list[T]:
    """Keep the items named in ``only`` (all when ``only`` is empty).

    Parameters
    ----------
    items
        Objects with a ``name`` attribute (benchmarks, validation cases, ...).
    only
        Names the user asked for.
    option
        The command-line option that gave them, for the error message.

    Raises
    ------
    InputError
        If a requested name does not exist, listing the names that do.
    """
    names = [i.name for i in items]
    for n in only or ():
        if n not in names:
            raise InputError(option, n, f"one of {names}")
    return [i for i in items if not only or i.name in only]
