"""``hemcell demo``: the main job, showing everything hemcell can do, with figures.

Parts run in order; each writes into its own sub-folder of ``--out`` and returns a
small dict for ``demo.json``. A part whose package is not built yet is listed as such.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hemcell.runinfo import write_json

# (title, module, function): function(out_dir: Path) -> dict
DEMO_PARTS: list[tuple[str, str, str]] = [
    ("Bare vs HEA-coated lithium: measured properties (seed 004)", "hemcell.cli.demo",
     "coating_property_overview"),
    ("Multi-mechanism high-entropy anode: half-cell cycle and mechanism split",
     "hemcell.cli.demo_cell", "run_demo"),
    ("Bare vs HEA-coated lithium surface: current focusing and stress (FEniCSx)",
     "hemcell.cli.demo_surface", "run_demo"),
    ("Bare vs HEA-coated Li cells: Li||LFP, Li||Li, Li||Cu (PyBaMM)",
     "hemcell.cli.demo_limetal", "run_demo"),
]


def coating_property_overview(out_dir: Path) -> dict[str, Any]:
    """Figure and table of every quantity that the bare and coated Li sets both give.

    Plots coated/bare ratios (log scale) for the shared parameters of ``bare_li`` and
    ``azcnf_coated_li``, labelled with their sources.
    """
    import matplotlib
    import matplotlib.ticker

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from hemcell.params import load_parameter_set

    bare = load_parameter_set("bare_li")
    coated = load_parameter_set("azcnf_coated_li")
    rows = []
    for name in coated:
        if name not in bare:
            continue
        b, c = bare[name], coated[name]
        if isinstance(b.si_value, list) or isinstance(c.si_value, list):
            continue
        if b.si_value == c.si_value or b.si_value == 0:
            continue
        rows.append({"name": name, "unit": b.spec.unit, "bare": b.si_value,
                     "coated": c.si_value, "ratio_coated_to_bare": c.si_value / b.si_value,
                     "source_bare": b.describe_source(bare.references),
                     "source_coated": c.describe_source(coated.references)})
    out_dir.mkdir(parents=True, exist_ok=True)
    write_json(out_dir / "coating_properties.json", rows)
    if rows:
        fig, ax = plt.subplots(figsize=(7, 0.4 * len(rows) + 1.5))
        ratios = [r["ratio_coated_to_bare"] for r in rows]
        ax.barh(range(len(rows)), ratios,
                color=["tab:blue" if x < 1 else "tab:orange" for x in ratios])
        ax.axvline(1.0, color="k", lw=1)
        ax.set_xscale("log")
        ax.xaxis.set_major_locator(matplotlib.ticker.LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
        ax.xaxis.set_major_formatter(matplotlib.ticker.FormatStrFormatter("%g"))
        ax.xaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
        for i, r in enumerate(rows):
            tag = " (assumed)" if "assumed" in r["source_coated"] else ""
            ax.annotate(f"×{r['ratio_coated_to_bare']:.3g}{tag}", (r["ratio_coated_to_bare"], i),
                        xytext=(3, 0), textcoords="offset points", va="center", fontsize=7)
        ax.set_yticks(range(len(rows)), [r["name"] for r in rows], fontsize=8)
        ax.set_xlabel("AZCNF-coated / bare Li (seed 004 and cited literature)")
        ax.set_title("What the HEA coating changes")
        from hemcell.figures import save_figure

        save_figure(fig, out_dir / "coating_properties.png", dpi=130)
    return {"shared_quantities": len(rows), "figure": "coating_properties.png"}


def _resolve(module: str, function: str) -> Callable[[Path], dict[str, Any]] | None:
    try:
        mod = importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name is not None and module.startswith(exc.name):
            return None
        raise
    return getattr(mod, function, None)


def run_demo(out: Path) -> dict[str, Any]:
    """Run every demo part into ``out`` and write ``out/demo.json``.

    Returns
    -------
    dict
        Title → the part's result (or ``"not built yet"``).
    """
    from rich.console import Console

    console = Console()
    results: dict[str, Any] = {}
    for i, (title, module, function) in enumerate(DEMO_PARTS, start=1):
        fn = _resolve(module, function)
        if fn is None:
            console.print(f"[{i}/{len(DEMO_PARTS)}] {title}: not built yet")
            results[title] = "not built yet"
            continue
        console.print(f"[{i}/{len(DEMO_PARTS)}] {title} ...")
        part = function if module == __name__ else module.rsplit(".", 1)[1].removeprefix("demo_")
        part_dir = out / f"{i}_{part}"
        results[title] = fn(part_dir)
        console.print(f"    -> {part_dir}")
    write_json(out / "demo.json", results)
    console.print(f"demo written to {out}")
    return results
