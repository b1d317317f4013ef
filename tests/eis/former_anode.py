"""The Na/K full-cell recipes with the anode they had until session 19, for the eis tests
whose cases were found on it.

Until then a full cell's anode was sized on its theoretical first-lithiation capacity;
now on what it stores above 0 V vs the carrier metal (docs/anode.md, full cells;
tests/cell/test_full_cell_anode_sizing.py). For Na/K the rock salt's conversion lies
below 0 V, so the shipped anodes are 4.48 times heavier than the ones the eis user trials
ran: those filled their intercalation at ``--soc 0.3`` (storage-dominated anode arc,
R_ct 273-805 Ohm), the new ones do not (R_ct 3-20 Ohm). A copy of the recipe with
N/P 1.1 x (capacity above 0 V)/(theoretical capacity) has the former anode's thickness
exactly, so these tests keep exercising the cases they were written for.
"""

from __future__ import annotations

from pathlib import Path

MODELS = Path(__file__).resolve().parents[2] / "models"


def former_anode_recipe(recipe: str, ion: str, directory: Path,
                        params: str = "heo_rocksalt_mgconicuzn") -> str:
    """Path of a copy of ``recipe`` in ``directory`` whose N/P ratio gives the anode the
    thickness it had when sized on its theoretical capacity."""
    from hemcell.cell.full_cell import anode_sizing
    from hemcell.workflows.anode import resolve_model

    rec, si, _, inv = resolve_model(recipe, params, None, None, ion)
    z = anode_sizing(si, inv, rec.mechanisms, rec.n_p_ratio)
    n_p = rec.n_p_ratio * (z["sized_on_capacity_total_mAh_per_g"]
                           / z["theoretical_capacity_total_mAh_per_g"])
    text = (MODELS / f"{recipe}.yaml").read_text(encoding="utf-8")
    assert "n_p_ratio: 1.1" in text
    path = Path(directory) / f"{recipe}.yaml"
    path.write_text(text.replace("n_p_ratio: 1.1", f"n_p_ratio: {n_p!r}"), encoding="utf-8")
    return str(path)
