"""The ``points/`` folder of a sweep: one JSON record per finished point.

Written atomically as each point finishes, read back on ``--resume`` and by
:mod:`hemcell.sweep.gather`. Nothing read back is trusted: a file is reused only if it
is a valid record of that very point with every requested output a number or null
(:func:`record_problem`); anything else is recomputed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from hemcell.errors import InputError, echo
from hemcell.runinfo import write_json
from hemcell.sweep.spec import Point, SweepSpec

#: Largest point file read back [bytes]; a record is a few kB (a summary with a few
#: curves at most), anything far bigger is not one.
MAX_RECORD_BYTES = 64 * 1024 * 1024


def now_utc() -> str:
    """The current UTC time, ISO 8601 to the second."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def pick_output(summary: Mapping[str, Any], key: str) -> Any:
    """The value of output ``key`` in a summary.

    ``key`` is a summary key, optionally followed by ``[i]`` (an item of a list, e.g.
    ``discharge_capacity_mAh_per_g[0]`` for the first cycle) and ``.name`` (an entry of
    a mapping, e.g. ``capacity_by_mechanism_mAh_per_g.conversion[0]``).

    Raises
    ------
    KeyError
        If the summary has no such entry.
    """
    head, *rest = re.findall(r"[^.\[\]]+|\[-?\d+\]", key)
    value: Any = summary[head]
    for part in rest:
        try:
            value = value[int(part[1:-1])] if part.startswith("[") else value[part]
        except (IndexError, KeyError, TypeError, ValueError):
            raise KeyError(key) from None
    return value


def output_problem(summary: Any, outputs: Iterable[str]) -> str | None:
    """Why ``summary`` does not hold every output as a number or null, or ``None``.

    A null output is the command's "not defined at this point" (e.g. cycle-life's
    ``active_material_used_up_at_cycle`` while material is left, the Coulombic efficiency
    of a cycle that passed no charge); NaN and ±inf are written as null in the summary
    files, so they count as null too. Such a point is finished: the output is NaN in
    ``results.nc`` (:mod:`hemcell.sweep.gather`). Text, lists and mappings are not.

    Parameters
    ----------
    summary
        A point's summary as read back (any JSON value).
    outputs
        The outputs the spec asks for (empty: nothing is required beyond a mapping).
    """
    if not isinstance(summary, dict):
        return f"its summary is {echo(summary, 60)}, not a mapping"
    for key in outputs:
        try:
            value = pick_output(summary, key)
        except KeyError:
            return f"output {key} is missing"
        if value is None or isinstance(value, bool | int | float):
            continue
        return f"output {key} is {echo(value, 60)}, not a number or null"
    return None


def record_problem(record: Any, point: Point, outputs: Iterable[str]) -> str | None:
    """Why a point file cannot be reused as a finished point, or ``None`` if it can.

    A reusable record is a mapping with ``status: ok``, the point's own id and argument
    list (the parameters the spec gives that point) and a summary holding every
    requested output as a number or null (:func:`output_problem`). A ``failed`` record
    is not reusable either (the failure may have been a killed worker); its reason is
    ``"failed"``.
    """
    if not isinstance(record, dict):
        return "unreadable (not a point record)"
    status = record.get("status")
    if status not in ("ok", "failed"):
        return f"its status is {echo(status, 60)}, not ok or failed"
    if record.get("id") != point.id or record.get("args") != list(point.args):
        return "its parameters are not this point's"
    if status == "failed":
        return "failed"
    return output_problem(record.get("summary"), outputs)


class PointStore:
    """The ``points/`` folder: one JSON file per finished point.

    Parameters
    ----------
    out
        The sweep's output folder.
    """

    def __init__(self, out: Path) -> None:
        self.folder = out / "points"

    def path(self, pid: str) -> Path:
        """The file of point ``pid``."""
        return self.folder / f"{pid}.json"

    def load(self, pid: str) -> Any:
        """The parsed file of point ``pid``; ``None`` if it is missing or unreadable.

        Anything that is not JSON text (binary garbage, a truncated write, a folder in
        its place) reads as ``None``: a resumed sweep recomputes the point.
        """
        try:
            with self.path(pid).open("rb") as fh:
                data = fh.read(MAX_RECORD_BYTES + 1)
            if len(data) > MAX_RECORD_BYTES:
                return None
            return json.loads(data.decode("utf-8"))
        except (OSError, UnicodeDecodeError, ValueError, RecursionError):
            return None

    def record(self, point: Point, outputs: Iterable[str]) -> dict[str, Any] | None:
        """The point's record if it is a valid ``ok`` or ``failed`` record, else ``None``."""
        rec = self.load(point.id)
        problem = record_problem(rec, point, outputs)
        return rec if problem is None or problem == "failed" else None

    def finished(self, points: Iterable[Point], outputs: Iterable[str] = ()
                 ) -> tuple[set[str], dict[str, str]]:
        """Points that can be reused, and why other existing files cannot.

        Returns
        -------
        (set of str, dict)
            Ids of the points whose file is a valid ``ok`` record (:func:`record_problem`),
            and id → reason for every file that exists but is not reusable (a failed
            point is retried without a note).
        """
        outputs = tuple(outputs)
        done: set[str] = set()
        notes: dict[str, str] = {}
        for p in points:
            if not self.path(p.id).exists():
                continue
            problem = record_problem(self.load(p.id), p, outputs)
            if problem is None:
                done.add(p.id)
            elif problem != "failed":
                notes[p.id] = problem
        return done, notes

    def write(self, point: Point, outcome: dict[str, Any], path: str) -> dict[str, Any]:
        """Write a point's record atomically; returns it."""
        record = {"id": point.id, "status": outcome["status"], "values": dict(point.values),
                  "index": list(point.index), "args": list(point.args), "path": path,
                  "elapsed_s": outcome["elapsed_s"], "finished_utc": now_utc(),
                  "summary": outcome["summary"], "error": outcome["error"]}
        write_json(self.path(point.id), record)
        return record


def check_outputs(spec: SweepSpec, summary: dict[str, Any]) -> None:
    """Raise :class:`InputError` if ``summary`` lacks an output the spec asks for, or
    holds a mapping there (one number per case, e.g. ``hemcell eis``'s
    ``charge_transfer_resistance_ohm``: the spec must pick an entry, ``key.bare``)."""
    missing = []
    for o in spec.outputs:
        try:
            value = pick_output(summary, o)
        except KeyError:
            missing.append(o)
            continue
        if isinstance(value, dict) and value:
            entries = ", ".join(f"{o}.{k}" for k in list(value)[:4])
            raise InputError(f"{spec.path or 'sweep spec'}: outputs", o,
                             f"a key that holds a number; {o} holds one per entry: "
                             f"{entries}")
    if missing:
        raise InputError(f"{spec.path or 'sweep spec'}: outputs", missing[0],
                         f"keys the command writes: {sorted(summary)}",
                         hint=_output_hint(summary, missing[0]))


def _output_hint(summary: Mapping[str, Any], key: str) -> str | None:
    """What the deepest resolvable part of a missing output ``key`` holds: the entries
    of a mapping (``key.name``) or the items of a list (``key[i]``); ``/`` is read as
    ``.`` here (a validation case's ``retention_at_cycle/1000`` is the sweep's
    ``retention_at_cycle.1000``)."""
    parts = re.findall(r"[^./\[\]]+|\[-?\d+\]", key)
    value: Any = summary
    path = ""
    for part in parts:
        try:
            value = value[int(part[1:-1])] if part.startswith("[") else value[part]
        except (IndexError, KeyError, TypeError, ValueError):
            break
        path += part if part.startswith("[") or not path else f".{part}"
    else:
        return f"write it {path}" if path != key else None
    if not path:
        return None
    if isinstance(value, dict) and value:
        return f"{path} holds one value per entry: " + ", ".join(
            f"{path}.{k}" for k in list(value)[:6])
    if isinstance(value, list) and value:
        return f"{path} is a list of {len(value)}: {path}[0] to {path}[{len(value) - 1}]"
    return None
