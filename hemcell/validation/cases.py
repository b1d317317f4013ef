"""Validation cases: ``validation/<case>/case.yaml``.

A case runs one hemcell command and compares keys of the summary it writes against
targets with sources and tolerances::

    description: Ohmic drop across a flat 28 nm coating equals i h / kappa_c
    kind: analytic            # analytic | cross-check | calibrated | held-out
    quick: true               # part of `hemcell validate --quick`
    command: [surface, run, --case, coated, --geometry, flat]   # --out is appended
    summary: metrics.json     # default summary.json
    compare:
      - key: coating_potential_drop_V
        target: 2.8e-4                       # a number ...
        # target_key: analytic_drop_V        # ... or another key of the same summary
        unit: V
        source: "analytic: i h / kappa_c with i = 10 A/m2, h = 28 nm, kappa_c = 1e-3 S/m"
        tolerance: {relative: 0.01}          # or {absolute: 1e-4}
        reason: mesh discretisation error of the P1 solution through the layer

``kind`` says what the agreement means: ``analytic`` and ``cross-check`` verify the
numerics, ``calibrated`` targets were used to fit parameters (agreement is expected,
not evidence), ``held-out`` targets were not used in any fit (agreement is a
prediction).

A held-out prediction that misses and is kept missing on purpose (the reason is
understood and documented, and closing the gap would mean fitting the held-out number)
says so::

    expected: miss
    miss_reason: >-
      why the model misses (one or two sentences; the docs have the discussion)

Such a case still runs and is reported, as ``expected miss``; it does not fail
``hemcell validate``, but it does when it starts to pass (``UNEXPECTED PASS``: the
model changed, so the case file and the docs must be updated) or when its command
fails.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hemcell.errors import InputError
from hemcell.params.yaml_io import safe_load_file

CASE_KINDS = ("analytic", "cross-check", "calibrated", "held-out")
_CASE_KEYS = {"description", "kind", "quick", "command", "summary", "compare", "timeout_s",
              "expected", "miss_reason"}
_COMPARE_KEYS = {"key", "target", "target_key", "unit", "source", "tolerance", "reason"}
_SUMMARY_NAME = re.compile(r"^[a-z_]+\.json$")


@dataclass(frozen=True)
class Comparison:
    """One compared quantity of a case."""

    key: str
    source: str
    tolerance_kind: str  # "relative" or "absolute"
    tolerance: float
    reason: str
    target: float | None = None
    target_key: str | None = None
    unit: str = ""

    def evaluate(self, summary: dict[str, Any]) -> tuple[float | None, float | None,
                                                           float | None, bool, str]:
        """Compare against a summary.

        Returns
        -------
        tuple
            ``(hemcell value, target, error, passed, message)``; the error is relative or
            absolute as the tolerance is.
        """
        value = _lookup(summary, self.key)
        target = self.target if self.target_key is None else _lookup(summary, self.target_key)
        if value is None:
            return None, target, None, False, f"key {self.key!r} missing from the summary"
        if target is None:
            return value, None, None, False, f"target key {self.target_key!r} missing"
        if self.tolerance_kind == "relative":
            error = abs(value - target) / abs(target) if target != 0 else float("inf")
        else:
            error = abs(value - target)
        return value, target, error, error <= self.tolerance, ""


@dataclass(frozen=True)
class ValidationCase:
    """A validation case read from ``case.yaml``."""

    name: str
    path: Path
    description: str
    kind: str
    command: tuple[str, ...]
    compare: tuple[Comparison, ...]
    quick: bool = False
    summary: str = "summary.json"
    timeout_s: float = 900.0
    extra: dict[str, Any] = field(default_factory=dict)
    miss_reason: str | None = None

    @property
    def expected_miss(self) -> bool:
        """Whether the case is a documented held-out miss (``expected: miss``)."""
        return self.miss_reason is not None


def _lookup(summary: dict[str, Any], dotted: str) -> float | None:
    """Value of ``key`` or of a ``/``-separated path into nested dicts and lists
    (``discharge_capacity_mAh_per_g/0.1``); ``None`` if absent or not a number."""
    if dotted in summary:
        v = summary[dotted]
    else:
        v: Any = summary
        for part in dotted.split("/"):
            if isinstance(v, dict) and part in v:
                v = v[part]
            elif isinstance(v, list) and part.lstrip("-").isdigit():
                v = v[int(part)]
            else:
                return None
    if isinstance(v, bool) or not isinstance(v, int | float):
        return None
    return float(v)


def load_case(path: Path) -> ValidationCase:
    """Read and check one ``case.yaml``.

    Raises
    ------
    InputError
        Naming the file, key and value that break the format.
    """
    raw = safe_load_file(path)
    where = str(path)
    if not isinstance(raw, dict):
        raise InputError(where, type(raw).__name__, "a mapping")
    for k in raw:
        if k not in _CASE_KEYS:
            raise InputError(f"{where}: {k}", raw[k], f"keys {sorted(_CASE_KEYS)}")
    for k in ("description", "kind", "command", "compare"):
        if k not in raw:
            raise InputError(where, f"missing {k!r}", "description, kind, command, compare")
    if raw["kind"] not in CASE_KINDS:
        raise InputError(f"{where}: kind", raw["kind"], f"one of {list(CASE_KINDS)}")
    cmd = raw["command"]
    if not isinstance(cmd, list) or not cmd or not all(isinstance(c, str | int | float)
                                                      for c in cmd):
        raise InputError(f"{where}: command", cmd, "a list of hemcell arguments")
    if "--out" in cmd:
        raise InputError(f"{where}: command", cmd, "arguments without --out (the runner adds it)")
    expected = raw.get("expected", "pass")
    if expected not in ("pass", "miss"):
        raise InputError(f"{where}: expected", expected, "pass (default) or miss")
    miss_reason = raw.get("miss_reason")
    if expected == "miss":
        if raw["kind"] != "held-out":
            raise InputError(f"{where}: expected", expected,
                             "miss only for held-out cases (the others must pass)")
        if not isinstance(miss_reason, str) or not miss_reason.strip():
            raise InputError(f"{where}: miss_reason", miss_reason,
                             "a non-empty reason why the miss is expected")
    elif miss_reason is not None:
        raise InputError(f"{where}: miss_reason", miss_reason, "nothing without expected: miss")
    summary = raw.get("summary", "summary.json")
    if not isinstance(summary, str) or not _SUMMARY_NAME.match(summary):
        raise InputError(f"{where}: summary", summary, "a JSON file name such as metrics.json")
    comps = []
    if not isinstance(raw["compare"], list) or not raw["compare"]:
        raise InputError(f"{where}: compare", raw["compare"], "a non-empty list")
    for i, c in enumerate(raw["compare"]):
        f = f"{where}: compare[{i}]"
        if not isinstance(c, dict):
            raise InputError(f, c, "a mapping with key, target, source, tolerance, reason")
        for k in c:
            if k not in _COMPARE_KEYS:
                raise InputError(f"{f}.{k}", c[k], f"keys {sorted(_COMPARE_KEYS)}")
        if ("target" in c) == ("target_key" in c):
            raise InputError(f, c, "exactly one of target (a number) or target_key")
        if "target" in c and (isinstance(c["target"], bool)
                              or not isinstance(c["target"], int | float)):
            raise InputError(f"{f}.target", c["target"], "a number")
        tol = c.get("tolerance")
        if not isinstance(tol, dict) or len(tol) != 1 or next(iter(tol)) not in ("relative",
                                                                                 "absolute"):
            raise InputError(f"{f}.tolerance", tol, "{relative: x} or {absolute: x}")
        (tk, tv), = tol.items()
        if isinstance(tv, bool) or not isinstance(tv, int | float) or tv <= 0:
            raise InputError(f"{f}.tolerance.{tk}", tv, "a positive number")
        for k in ("key", "source", "reason"):
            if not isinstance(c.get(k), str) or not c[k].strip():
                raise InputError(f"{f}.{k}", c.get(k), "a non-empty string")
        comps.append(Comparison(key=c["key"], source=c["source"], tolerance_kind=tk,
                                tolerance=float(tv), reason=c["reason"],
                                target=None if "target" not in c else float(c["target"]),
                                target_key=c.get("target_key"), unit=str(c.get("unit", ""))))
    return ValidationCase(name=path.parent.name, path=path, description=str(raw["description"]),
                          kind=raw["kind"], command=tuple(str(x) for x in cmd),
                          compare=tuple(comps), quick=bool(raw.get("quick", False)),
                          summary=summary, timeout_s=float(raw.get("timeout_s", 900.0)),
                          miss_reason=None if expected == "pass" else " ".join(
                              miss_reason.split()))


def discover_cases(folder: Path) -> list[ValidationCase]:
    """All cases below ``folder`` (one sub-folder each, holding ``case.yaml``), by name."""
    return [load_case(p) for p in sorted(folder.glob("*/case.yaml"))]
