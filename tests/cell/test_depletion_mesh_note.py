"""A step ended by the electrolyte running out says that its end is set by the mesh's
resolution of the depletion layer (``hemcell.workflows.anode.DEPLETION_MESH_NOTE``): the
recipe's 20 separator points end a 2 A/g charge of mep_ingesip3 at 273.15 K at 196 mAh/g
where 40-160 points give 440-444 (docs/anode.md, "Limits and open points")."""

from __future__ import annotations

import json

from hemcell.cli.main import main


def test_a_depleted_step_points_to_the_mesh(tmp_path, capsys):
    # FeS with Na at 2 A/g: the discharge ends when the pores' electrolyte runs out
    out = tmp_path / "o"
    assert main(["cell", "run", "hem_half_cell_p2d", "--params", "fes_space_charge",
                 "--ion", "Na", "--protocol", "Discharge at 2 A/g until 0.01 V",
                 "--out", str(out), "--no-plots"]) == 0
    err = capsys.readouterr().err
    assert "Zero electrolyte concentration cut-off" in err
    assert "a moment the mesh sets" in err and "finer x_s and x_p" in err
    summary = json.loads((out / "summary.json").read_text())
    assert "Zero electrolyte" in summary["termination"]


def test_a_step_ended_by_its_own_cut_off_says_nothing_of_it(tmp_path, capsys):
    assert main(["cell", "run", "hem_half_cell_p2d", "--params", "fes_space_charge",
                 "--ion", "Na", "--protocol", "Discharge at 0.5 A/g until 0.5 V",
                 "--out", str(tmp_path / "o"), "--no-plots"]) == 0
    assert "a moment the mesh sets" not in capsys.readouterr().err
