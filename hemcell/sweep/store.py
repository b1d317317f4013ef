"""The ``points/`` folder of a sweep: one JSON record per finished point.

Written atomically as each point finishes, read back on ``--resume`` and by
:mod:`hemcell.sweep.gather`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from hemcell.errors import InputError
from hemcell.runinfo import write_json
from hemcell.sweep.spec import Point, SweepSpec


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

    def load(self, pid: str) -> dict[str, Any] | None:
        """The record of point ``pid``, or ``None`` if it has not finished."""
        try:
            return json.loads(self.path(pid).read_text(encoding="utf-8"))
        except (FileNotFoundError, json.JSONDecodeError):
            return None

    def finished(self, points: Iterable[Point]) -> set[str]:
        """Ids of the points that finished with status ``ok``."""
        out = set()
        for p in points:
            rec = self.load(p.id)
            if rec is not None and rec.get("status") == "ok":
                out.add(p.id)
        return out

    def write(self, point: Point, outcome: dict[str, Any], path: str) -> dict[str, Any]:
        """Write a point's record atomically; returns it."""
        record = {"id": point.id, "status": outcome["status"], "values": dict(point.values),
                  "index": list(point.index), "args": list(point.args), "path": path,
                  "elapsed_s": outcome["elapsed_s"], "finished_utc": now_utc(),
                  "summary": outcome["summary"], "error": outcome["error"]}
        write_json(self.path(point.id), record)
        return record


def check_outputs(spec: SweepSpec, summary: dict[str, Any]) -> None:
    """Raise :class:`InputError` if ``summary`` lacks an output the spec asks for."""
    missing = []
    for o in spec.outputs:
        try:
            pick_output(summary, o)
        except KeyError:
            missing.append(o)
    if missing:
        raise InputError(f"{spec.path or 'sweep spec'}: outputs", missing[0],
                         f"keys the command writes: {sorted(summary)}")
