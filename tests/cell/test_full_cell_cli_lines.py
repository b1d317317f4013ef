"""``cell run`` on a full cell prints the capacities per gram of the other electrode and
the discharge energy per kg of active material (the summary had them, the terminal said
only "mAh/g of anode"); a half cell prints neither."""

from __future__ import annotations

import json

from hemcell.cli.main import main

SET = "heo_rocksalt_mgconicuzn"


def _run(tmp_path, capsys, recipe: str, protocol: str) -> tuple[str, dict]:
    out = tmp_path / recipe
    assert main(["cell", "run", recipe, "--params", SET, "--protocol", protocol,
                 "--out", str(out), "--no-plots"]) == 0
    return capsys.readouterr().out, json.loads((out / "summary.json").read_text())


def test_full_cell_prints_per_gram_of_cathode_and_energy(tmp_path, capsys):
    text, s = _run(tmp_path, capsys, "hem_full_cell_lfp",
                   "Charge at 1C for 6 minutes; Discharge at 1C for 3 minutes")
    q_c = s["charge_capacity_mAh_per_g_cathode"][0]
    e = s["discharge_energy_Wh_per_kg_electrodes"][0]
    assert q_c > 0 and e > 0
    assert f"charge capacity    [mAh/g of cathode]: {q_c:.1f}" in text
    assert f"discharge energy [Wh/kg of both electrodes' active material]: {e:.1f}" in text
    assert "[mAh/g of anode]" in text  # the working electrode's line stays first


def test_half_cell_prints_no_other_electrode(tmp_path, capsys):
    text, s = _run(tmp_path, capsys, "hem_half_cell_sp", "Discharge at 2C for 3 minutes")
    assert "of cathode" not in text and "Wh/kg" not in text
    assert "charge_capacity_mAh_per_g_cathode" not in s
