"""Check that every ``seed``-cited value stands on the cited line of its source document.

A ``seed`` source names a file in the seeds folder and a 1-based line. The number (or
the ``text`` literal given with the source) must appear on that line, so a citation
cannot drift from what the paper prints.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from hemcell.params.parameter_set import Parameter, ParameterSet


@dataclass(frozen=True)
class SeedCitationProblem:
    """A seed citation that does not match its line."""

    parameter: str
    seed: str
    line: int
    expected: str
    line_text: str

    def __str__(self) -> str:
        return (f"{self.parameter}: {self.expected!r} not found on {self.seed} "
                f"L{self.line}: {self.line_text[:160]!r}")


@lru_cache(maxsize=16)
def _lines(path: Path) -> tuple[str, ...]:
    return tuple(path.read_text(encoding="utf-8", errors="replace").splitlines())


def _number_forms(v: float) -> list[str]:
    """Ways a number may be printed: 28, 28.0, 27.82, 0.127, 1e-10 ..."""
    forms = {f"{v:g}", repr(v)}
    if float(v).is_integer():
        forms.add(str(int(v)))
    return sorted(forms)


def _contains_number(line: str, v: float) -> bool:
    for form in _number_forms(v):
        # not part of a longer number: 28 must not match 280 or 1.28
        if re.search(rf"(?<![\d.]){re.escape(form)}(?![\d])", line):
            return True
    return False


def check_seed_citation(p: Parameter, seeds: Path) -> SeedCitationProblem | None:
    """Check one parameter's seed citation.

    Parameters
    ----------
    p
        A parameter whose source kind is ``seed``.
    seeds
        Folder holding the seed files.

    Returns
    -------
    SeedCitationProblem or None
        ``None`` if the ``text`` (or every number of the value) is on the cited line.
    """
    src = p.source
    path = seeds / src["seed"]
    line_no = int(src["line"])
    if not path.is_file():
        return SeedCitationProblem(p.name, src["seed"], line_no, "<file exists>", "missing file")
    lines = _lines(path)
    if line_no > len(lines):
        return SeedCitationProblem(p.name, src["seed"], line_no, "<line exists>",
                                   f"file has {len(lines)} lines")
    line = lines[line_no - 1]
    if "text" in src:
        expected = str(src["text"])
        ok = expected in line
    else:
        values = p.value if isinstance(p.value, list) else [p.value]
        expected = ", ".join(f"{v:g}" for v in values)
        ok = all(_contains_number(line, v) for v in values)
    return None if ok else SeedCitationProblem(p.name, src["seed"], line_no, expected, line)


def check_seed_citations(pset: ParameterSet, seeds: Path) -> list[SeedCitationProblem]:
    """Check every seed-cited value of a parameter set (see :func:`check_seed_citation`)."""
    problems = []
    for p in pset.parameters.values():
        if p.source_kind == "seed":
            problem = check_seed_citation(p, seeds)
            if problem is not None:
                problems.append(problem)
    return problems
