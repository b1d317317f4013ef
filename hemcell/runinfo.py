"""Run conventions: ``summary.json``/``metrics.json`` and ``run.json`` in every ``--out DIR``.

Every simulation command writes

- a summary (``summary.json`` or ``metrics.json``): flat results whose keys are
  snake_case and end with a unit suffix where they carry a unit
  (``capacity_mAh_per_g``, ``solve_time_s``); dimensionless keys need no suffix;
- ``run.json``: the command, the versions of hemcell, PyBaMM and DOLFINx, the resolved
  parameters and a hash of them, so two runs can be told apart or matched.

Files are written atomically (temporary file + rename), so a killed run never leaves
a half-written JSON behind, with mode 0644 (:data:`FILE_MODE`).
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import os
import platform
import re
import sys
import tempfile
import warnings
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from hemcell.errors import InputError

_SNAKE = re.compile(r"^[a-z][a-zA-Z0-9_]*$")
#: Permissions of every file a run writes (rw-r--r--, as ``open`` gives under umask 022).
FILE_MODE = 0o644


def package_versions() -> dict[str, str | None]:
    """Versions of hemcell and the solvers it drives, read without importing them.

    Returns
    -------
    dict
        ``{"hemcell": ..., "pybamm": ..., "dolfinx": ..., "python": ...}``; ``None``
        for a package that is not installed.
    """
    out: dict[str, str | None] = {}
    for dist, key in (
        ("hemcell", "hemcell"),
        ("pybamm", "pybamm"),
        ("dolfinx-solver-real", "dolfinx"),
        ("gmsh", "gmsh"),
    ):
        try:
            out[key] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            out[key] = None
    out["python"] = platform.python_version()
    return out


def _jsonable(obj: Any) -> Any:
    """Convert numpy scalars/arrays, paths and non-finite floats to plain JSON."""
    if isinstance(obj, Mapping):
        return {str(k): _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, str | bytes):
        return obj if isinstance(obj, str) else obj.decode()
    if isinstance(obj, Path):
        return str(obj)
    if hasattr(obj, "tolist"):
        return _jsonable(obj.tolist())
    if isinstance(obj, Sequence):
        return [_jsonable(v) for v in obj]
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    return obj


def write_json(path: str | os.PathLike[str], data: Any) -> Path:
    """Write ``data`` as indented JSON, atomically.

    Parameters
    ----------
    path
        Destination file; its folder is created if missing.
    data
        JSON-serialisable data (numpy values are converted; NaN/inf become null).

    Returns
    -------
    Path
        The written file.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(_jsonable(data), indent=2, sort_keys=False, allow_nan=False)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text + "\n")
        os.chmod(tmp, FILE_MODE)  # mkstemp creates 0600; results are meant to be shared
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def parameter_hash(parameters: Mapping[str, Any]) -> str:
    """SHA-256 (first 16 hex digits) of the resolved parameters, key order independent."""
    text = json.dumps(_jsonable(parameters), sort_keys=True, allow_nan=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def check_summary_keys(summary: Mapping[str, Any]) -> None:
    """Refuse summary keys that are not snake_case identifiers.

    Raises
    ------
    InputError
        Naming the offending key.
    """
    for key in summary:
        if not _SNAKE.match(key):
            raise InputError(
                "summary key", key, "snake_case names with a unit suffix, e.g. capacity_mAh_per_g"
            )


def write_summary(
    out_dir: str | os.PathLike[str],
    summary: Mapping[str, Any],
    filename: str = "summary.json",
) -> Path:
    """Write the results summary of a run (``summary.json`` or ``metrics.json``).

    Parameters
    ----------
    out_dir
        The run's output folder.
    summary
        Flat mapping of snake_case keys (with unit suffixes) to values.
    filename
        ``summary.json`` for cell commands, ``metrics.json`` for surface commands.

    Returns
    -------
    Path
        The written file.
    """
    check_summary_keys(summary)
    return write_json(Path(out_dir) / filename, summary)


#: The warnings already written to stderr by the command under way (:func:`one_command`);
#: ``None`` outside a command.
_PRINTED: ContextVar[set[str] | None] = ContextVar("hemcell_printed_warnings", default=None)


@contextmanager
def one_command() -> Iterator[None]:
    """The scope of one command: inside it :func:`report_warnings` writes each distinct
    warning to stderr once, however many cases, anodes or seeds report it. A library's
    Python warning (PyBaMM's ``SolverWarning`` of an extrapolated table, ...) goes the
    same way, as one ``warning:`` line without the file, line number and source line
    Python's default display adds."""
    token = _PRINTED.set(set())
    pybamm_logger = logging.getLogger(PYBAMM_LOGGER)  # not PyBaMM's import: a name
    pybamm_logger.addFilter(_said_by_hemcell)
    try:
        with warnings.catch_warnings():  # restores the display on the way out
            warnings.showwarning = _one_line_warning
            yield
    finally:
        pybamm_logger.removeFilter(_said_by_hemcell)
        _PRINTED.reset(token)


#: Name of PyBaMM's logger (``pybamm.logger``).
PYBAMM_LOGGER = "pybamm.logger"
#: End of PyBaMM's log line for an experiment's one step that is infeasible at its start
#: (``Simulation._check_infeasible_steps``); hemcell's own error names that step and
#: that nothing finished, so inside a command the line is not written too.
_SKIPPED_STEP = "is infeasible at initial conditions, but skip_ok is True. Skipping step."


def _said_by_hemcell(record: logging.LogRecord) -> bool:
    """Filter of PyBaMM's logger inside :func:`one_command`: ``False`` (drop) for the log
    records hemcell's own error says (``cell run ... "Discharge at 200 A/g until 0.01 V"``
    wrote "<date> - [WARNING] simulation._check_infeasible_steps(707): Step ... Skipping
    step." before "error: the first step could not start ..."); the rest pass."""
    return not record.getMessage().endswith(_SKIPPED_STEP)


def _one_line_warning(message: Warning | str, category: type[Warning], filename: str,
                      lineno: int, file: Any = None, line: str | None = None) -> None:
    """:func:`warnings.showwarning` inside :func:`one_command`."""
    report_warnings([f"{category.__name__}: {message}"])


def report_warnings(new: Sequence[str], seen: list[str] | None = None) -> list[str]:
    """Append each warning of ``new`` not yet in ``seen`` there, and write it to stderr
    unless the command under way (:func:`one_command`) already has.

    Returns
    -------
    list of str
        ``seen`` (a new list when ``None``): the run's ``warnings`` for its summary and
        ``run.json``.
    """
    seen = [] if seen is None else seen
    printed = _PRINTED.get()
    for w in new:
        if w not in seen:
            seen.append(w)
        if printed is None or w not in printed:
            print(f"warning: {w}", file=sys.stderr)
            if printed is not None:
                printed.add(w)
    return seen


def _without_warnings(value: Any, found: list[str]) -> Any:
    """``value`` with every ``"warnings"`` list of its nested records taken out (a copy)
    and their texts appended to ``found`` (each distinct text once)."""
    if isinstance(value, Mapping):
        for w in value.get("warnings", None) or ():
            if isinstance(w, str) and w not in found:
                found.append(w)
        return {k: _without_warnings(v, found) for k, v in value.items()
                if not (k == "warnings" and isinstance(v, list))}
    return value


def write_run_record(
    out_dir: str | os.PathLike[str],
    parameters: Mapping[str, Any],
    command: Sequence[str] | str | None = None,
    extra: Mapping[str, Any] | None = None,
) -> Path:
    """Write ``run.json``: command, versions, resolved parameters and their hash.

    Parameters
    ----------
    out_dir
        The run's output folder.
    parameters
        The resolved parameters as used (SI values, or a richer record with units and
        sources).
    command
        The command line; defaults to ``sys.argv``.
    extra
        Anything else worth keeping (mesh size, solver options, ...).

    Returns
    -------
    Path
        The written ``run.json``.

    Notes
    -----
    The ``warnings`` of ``extra`` and the ``warnings`` lists of the records in
    ``parameters`` (one per case or seed of a surface ``compare``/``seeds``) become one
    top-level ``warnings``: each distinct text once.
    """
    if command is None:
        command = sys.argv
    warnings: list[str] = []
    parameters = _without_warnings(parameters, warnings)
    extra = dict(extra or {})
    for w in extra.pop("warnings", None) or ():
        if w not in warnings:
            warnings.append(w)
    if warnings:
        extra["warnings"] = warnings
    record = {
        "command": command if isinstance(command, str) else " ".join(map(str, command)),
        "created_utc": datetime.now(UTC).isoformat(timespec="seconds"),
        "versions": package_versions(),
        "parameters_hash": parameter_hash(parameters),
        "parameters": parameters,
    }
    if extra:
        record.update(extra)
    return write_json(Path(out_dir) / "run.json", record)
