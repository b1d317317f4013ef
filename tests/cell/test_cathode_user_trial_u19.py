"""User trial u19: cathode half cells and full cells as a battery researcher runs them.

Each test is a defect the trial found, checked through the command a user types.
"""

from __future__ import annotations

import pytest

from hemcell.cli.main import main

HALF = ["cell", "run", "cathode_half_cell_sp", "--params", "cathode_hepba_femnnicuco",
        "--protocol", "Charge at C/5 until 4.2 V", "--no-plots"]


def test_a_mistyped_set_name_on_a_cathode_half_cell_names_the_closest(tmp_path, capsys):
    """``--set ambient_temprature=298K`` listed all 26 names the half cell reads without
    saying which was meant (the anode runs answer with the closest names)."""
    code = main([*HALF, "--set", "ambient_temprature=298K", "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert code == 2
    assert "got 'ambient_temprature'" in err
    assert "did you mean ambient_temperature" in err
    assert not (tmp_path / "o").exists()


def test_a_foreign_set_name_on_a_cathode_half_cell_says_it_changes_nothing(tmp_path, capsys):
    code = main([*HALF, "--set", "coating_thickness=28nm", "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert code == 2
    assert "got 'coating_thickness'" in err
    assert "setting it would change nothing" in err


def test_the_hard_carbon_summary_says_when_its_ocp_table_was_left_below(tmp_path):
    """``hc_full_cell_na_nvpf`` at C/10 to 2.0 V printed PyBaMM's "extrapolation occurred
    for Interpolant 'U_n' lower bound" while summary.json said nothing of it (it gave only
    the fullest surface): the emptiest surface and the table's lowest point are now there.
    The surface at the separator leaves the table (θ 0.00144) at the 2.0 V cut-off."""
    import json

    out = tmp_path / "o"
    code = main(["cell", "run", "hc_full_cell_na_nvpf", "--params", "cathode_he_nvpf",
                 "--protocol", "Charge at C/10 until 4.3 V; Discharge at C/10 until 2.0 V",
                 "--no-plots", "--out", str(out)])
    assert code == 0
    hc = json.loads((out / "summary.json").read_text())["hard_carbon"]
    assert hc["ocp_table_min_stoichiometry"] == pytest.approx(0.001436794, rel=1e-6)
    # below the table by about 1e-5 at the cut-off (0.001425 on the recipe's mesh)
    assert 0.0013 < hc["min_surface_stoichiometry"] < hc["ocp_table_min_stoichiometry"]
