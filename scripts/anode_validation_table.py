"""Build the anode validation summary table of docs/anode.md from the case files and a report.

Every ``validation/anode_*`` case gives one row per compared quantity: its kind
(analytic, cross-check, calibrated or held-out), for a calibrated case the one set
constant fitted to (or set from) its target, the target with its source, the
tolerance, and, from a ``hemcell validate`` report (``DIR/report.json``), the model
value and whether it passes::

    hemcell validate --case anode_fes_na_conversion --case ... --out DIR
    python scripts/anode_validation_table.py --report DIR/report.json \
        --commit "$(git rev-parse --short HEAD)" --docs docs/anode.md

Without ``--docs`` the table is printed. With ``--docs`` it replaces the text between
the markers ``<!-- anode-validation-table:start -->`` and ``<!-- ...:end -->`` of that
file. Cases missing from the report get an empty model column ("not run").
``tests/foundation/test_anode_table.py`` checks that the docs table lists exactly the
anode cases that exist, with their kinds, targets and fitted constants.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a file: import the checkout's hemcell
    sys.path.insert(0, str(ROOT))

from hemcell.validation.cases import ValidationCase, discover_cases  # noqa: E402

START = "<!-- anode-validation-table:start -->"
END = "<!-- anode-validation-table:end -->"

#: Calibrated anode case → (parameter set, the one constant fitted to or set from its
#: target). At most one calibrated case per constant (tests/foundation/test_anode_table.py).
FITTED_CONSTANTS: dict[str, tuple[str, str]] = {
    "anode_cv_space_charge_b_value": ("heo_rocksalt_mgconicuzn", "space_charge_relaxation_time"),
    "anode_heo_cycle_life_2500": ("heo_rocksalt_mgconicuzn", "fatigue_paris_coefficient"),
    "anode_heo_dqdv_cu_reconversion_peak": ("heo_rocksalt_mgconicuzn",
                                            "conversion_delithiation_potential_cu"),
    "anode_heo_dqdv_peak_width": ("heo_rocksalt_mgconicuzn", "conversion_branch_potential_spread"),
    "anode_heo_volume_expansion": ("heo_rocksalt_mgconicuzn", "conversion_volume_expansion"),
}

HEADER = ("| case | kind | fitted constant | quantity | target | source | tolerance | model "
          "| outcome |")
RULE = "|---|---|---|---|---|---|---|---|---|"


def anode_cases(folder: Path | None = None) -> list[ValidationCase]:
    """The ``anode_*`` cases of ``folder`` (default: the checkout's ``validation/``)."""
    return [c for c in discover_cases(folder or ROOT / "validation")
            if c.name.startswith("anode_")]


def _num(v: float) -> str:
    return f"{v:.4g}"


def target_text(comp: Any) -> str:
    """The target as the table shows it: ``476 mAh/g`` or ``= <target_key>``."""
    if comp.target_key is not None:
        return f"= `{comp.target_key}`"
    return f"{_num(comp.target)} {comp.unit}".strip()


def tolerance_text(comp: Any) -> str:
    """``±25 %`` (relative) or ``±0.05 V`` (absolute)."""
    if comp.tolerance_kind == "relative":
        return f"±{_num(100 * comp.tolerance)} %"
    return f"±{_num(comp.tolerance)} {comp.unit}".strip()


def fitted_text(case: ValidationCase) -> str:
    """The fitted constant of a calibrated case (``set: key``), ``—`` for the others."""
    if case.kind != "calibrated":
        return "—"
    pset, key = FITTED_CONSTANTS.get(case.name, ("?", "?"))
    return f"`{pset}`: `{key}`"


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def _result(case: ValidationCase, record: dict[str, Any] | None, i: int) -> tuple[str, str]:
    """(model value, outcome) of comparison ``i`` from the case's report record."""
    if record is None:
        return "", "not run"
    if record.get("error"):
        return "", f"error: {record['error']}"
    rows = record.get("comparisons") or []
    if i >= len(rows) or rows[i].get("hemcell") is None:
        return "", "no value"
    row = rows[i]
    model = f"{_num(row['hemcell'])} {row.get('unit') or ''}".strip()
    if row["passed"]:
        # a documented miss whose every comparison now passes is the case's surprise
        all_pass = all(r.get("passed") for r in rows)
        outcome = "UNEXPECTED PASS" if case.expected_miss and all_pass else "pass"
    else:
        outcome = "expected miss" if case.expected_miss else "FAIL"
    return model, outcome


def table_rows(cases: list[ValidationCase],
               report: dict[str, dict[str, Any]] | None = None) -> list[list[str]]:
    """One row (list of cells) per compared quantity of every case."""
    rows = []
    for case in cases:
        record = None if report is None else report.get(case.name)
        for i, comp in enumerate(case.compare):
            model, outcome = _result(case, record, i)
            rows.append([f"`{case.name}`", case.kind, fitted_text(case), f"`{comp.key}`",
                         target_text(comp), _cell(comp.source), tolerance_text(comp),
                         model, outcome])
    return rows


def render(cases: list[ValidationCase], report: dict[str, dict[str, Any]] | None = None,
           commit: str | None = None) -> str:
    """The markdown block written between the markers."""
    lines = [HEADER, RULE]
    lines += ["| " + " | ".join(r) + " |" for r in table_rows(cases, report)]
    counts: dict[str, int] = {}
    for c in cases:
        counts[c.kind] = counts.get(c.kind, 0) + 1
    kinds = ", ".join(f"{n} {k}" for k, n in sorted(counts.items()))
    lines.append("")
    lines.append(f"*{len(cases)} anode cases ({kinds}); model values "
                 + (f"from `hemcell validate` at commit `{commit}`" if commit else
                    "from a `hemcell validate` report")
                 + "; regenerate with `scripts/anode_validation_table.py`.*"
                 + held_out_tally(cases, report))
    return "\n".join(lines)


def held_out_tally(cases: list[ValidationCase],
                   report: dict[str, dict[str, Any]] | None) -> str:
    """`` Held out: n of m cases pass.`` (every comparison of a case within tolerance)."""
    held = [c for c in cases if c.kind == "held-out"]
    if report is None or not held or any(c.name not in report for c in held):
        return ""
    passed = sum(1 for c in held if report[c.name].get("passed"))
    return (f" *Held out: {passed} of {len(held)} cases pass "
            f"({100 * passed / len(held):.0f} %).*")


def read_report(path: Path) -> dict[str, dict[str, Any]]:
    """``report.json`` of ``hemcell validate`` as {case name: record}."""
    return {r["case"]: r for r in json.loads(path.read_text())}


def replace_block(text: str, block: str) -> str:
    """``text`` with the part between the markers replaced by ``block``."""
    if START not in text or END not in text:
        raise SystemExit(f"the markers {START} / {END} are not in the file")
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{START}\n{block}\n{END}{tail}"


def docs_rows(text: str) -> list[list[str]]:
    """The table rows (cells) between the markers of a docs file."""
    if START not in text or END not in text:
        return []
    block = text.split(START, 1)[1].split(END, 1)[0]
    rows = []
    for line in block.splitlines():
        if line.startswith("| `"):
            rows.append([c.strip() for c in line.strip().strip("|").split(" | ")])
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--report", type=Path, help="report.json written by hemcell validate")
    ap.add_argument("--reports", type=Path, nargs="*", default=[],
                    help="further report.json files (later ones win for a case)")
    ap.add_argument("--commit", help="commit the report was made at (shown under the table)")
    ap.add_argument("--docs", type=Path, help="markdown file whose marked block is replaced")
    args = ap.parse_args(argv)
    report = None
    for path in ([args.report] if args.report else []) + list(args.reports):
        report = {**(report or {}), **read_report(path)}
    block = render(anode_cases(), report, args.commit)
    if args.docs is None:
        print(block)
    else:
        args.docs.write_text(replace_block(args.docs.read_text(), block))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
