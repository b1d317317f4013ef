"""User trial u17: a full cell's capacity axes say "per gram of anode".

``hemcell cell run hem_full_cell_lfp ...`` printed "discharge capacity [mAh/g of anode]"
but its ``voltage_profile.png`` said "Capacity (mAh g⁻¹ active material)" and
``mechanism_contributions.png`` "Capacity stored (mAh g⁻¹)": in a cell of two active
materials, which gram was not said.
"""

from __future__ import annotations

import pytest

import hemcell.figures
from hemcell.cli.main import main

CELLS = {
    "full": (["hem_full_cell_lfp"], "Charge at 1C for 6 minutes", "anode active material"),
    "half": (["hem_half_cell_sp"], "Discharge at 2C until 0.5 V", "active material"),
}


@pytest.mark.parametrize("cell", list(CELLS))
def test_the_capacity_axes_name_the_gram(monkeypatch, tmp_path, cell):
    recipe, protocol, per = CELLS[cell]
    labels: dict[str, list[str]] = {}
    save = hemcell.figures.save_figure

    def keep(fig, path, **kwargs):
        labels[path.name] = [ax.get_xlabel() for ax in fig.axes if ax.get_visible()]
        return save(fig, path, **kwargs)

    monkeypatch.setattr(hemcell.figures, "save_figure", keep)
    assert main(["cell", "run", *recipe, "--params", "heo_rocksalt_mgconicuzn", "--protocol",
                 protocol, "--out", str(tmp_path / "o")]) == 0
    profile = labels["voltage_profile.png"][0]
    assert profile == f"Capacity (mAh g$^{{-1}}$ {per})"
    for label in labels["mechanism_contributions.png"]:
        assert label.endswith(f"(mAh g$^{{-1}}$ {per})")
    if cell == "half":
        assert "anode" not in profile
