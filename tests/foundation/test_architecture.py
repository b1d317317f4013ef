"""The layers of hemcell (docs/architecture.md): contracts that fail when broken.

- import-linter's layer contract in ``pyproject.toml`` (``cli`` → ``sweep|validation`` →
  ``workflows`` → ``cell|surface|limetal`` → ``materials`` → ``params`` → shared laws and
  helpers → ``errors``), run through import-linter's own API;
- no import cycles between hemcell's modules, imports inside functions included (an AST
  walk; imports under ``if TYPE_CHECKING:`` are annotations, not imports);
- the repository explains itself: no docstring or comment cites the design notes that
  live outside it, nor an issue number.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "hemcell"


def _modules() -> dict[str, Path]:
    mods = {}
    for p in PACKAGE.rglob("*.py"):
        parts = list(p.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        mods[".".join(parts)] = p
    return mods


def _type_checking_nodes(tree: ast.AST) -> set[int]:
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for sub in node.body:
                skip.update(id(n) for n in ast.walk(sub))
    return skip


def import_graph() -> dict[str, set[str]]:
    """Module → hemcell modules it imports (anywhere in the file, but TYPE_CHECKING)."""
    mods = _modules()
    graph: dict[str, set[str]] = {m: set() for m in mods}
    for mod, path in mods.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skip = _type_checking_nodes(tree)
        pkg = mod.split(".") if path.name == "__init__.py" else mod.split(".")[:-1]
        for node in ast.walk(tree):
            if id(node) in skip:
                continue
            targets: list[str] = []
            if isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    base = ".".join(pkg[: len(pkg) - node.level + 1]
                                    + ([node.module] if node.module else []))
                for alias in node.names:
                    full = f"{base}.{alias.name}"
                    targets.append(full if full in mods else base)
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            for t in targets:
                if t in mods and t != mod and not mod.startswith(t + "."):
                    graph[mod].add(t)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_cycle_detector_finds_a_planted_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycles():
    assert cycles(import_graph()) == []


def test_layer_contracts_hold():
    """import-linter with the contracts of pyproject.toml (its exit code is 0 when kept)."""
    pytest.importorskip("importlinter")
    proc = subprocess.run([sys.executable, "-c",
                           "import sys; from importlinter.cli import lint_imports; "
                           "sys.exit(lint_imports(config_filename='pyproject.toml'))"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    assert "BROKEN" not in proc.stdout


def test_physics_packages_do_not_import_each_other_or_above():
    """The same rule as the contract, stated directly for the three physics packages."""
    graph = import_graph()
    physics = ("hemcell.cell", "hemcell.surface", "hemcell.limetal")
    above = ("hemcell.cli", "hemcell.sweep", "hemcell.validation", "hemcell.workflows")
    bad = []
    for mod, deps in graph.items():
        own = next((p for p in physics if mod == p or mod.startswith(p + ".")), None)
        if own is None:
            continue
        for d in deps:
            if d.startswith(above) or (d.startswith(physics) and not d.startswith(own)):
                bad.append(f"{mod} -> {d}")
    assert bad == []


_CITES = re.compile(r"DESIGN(\.md)?\s*(§|section)|\bissue\s*#?\d+|\(#\d+\)", re.IGNORECASE)


def test_code_cites_no_outside_design_notes_or_issue_numbers():
    """Equations are cited from docs/theory.md, never from notes outside the repository."""
    hits = []
    files = [*PACKAGE.rglob("*.py"), *PACKAGE.rglob("*.yaml"), *(ROOT / "docs").glob("*.md"),
             *(ROOT / "parameters").rglob("*.yaml"), *(ROOT / "validation").rglob("*.yaml"),
             *(ROOT / "models").glob("*.yaml"), ROOT / "README.md"]
    for path in files:
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if _CITES.search(line):
                hits.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()[:80]}")
    assert hits == []
