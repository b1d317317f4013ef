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


def test_n_p_ratio_on_a_hard_carbon_cell_points_to_the_recipe(tmp_path, capsys):
    """``hc_full_cell_na_pba --set n_p_ratio=2`` was told it is not an input of "the
    cathode half cell" (a full cell; n/p is a recipe key)."""
    code = main(["cell", "run", "hc_full_cell_na_pba", "--params", "cathode_hepba_femnnicuco",
                 "--protocol", "Charge at C/10 until 4.2 V", "--set", "n_p_ratio=2",
                 "--no-plots", "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert code == 2
    assert "got 'n_p_ratio'" in err and "recipe" in err and "half cell" not in err


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


def test_the_capacity_of_each_couple_adds_up_to_the_cells(tmp_path):
    """A cathode half cell said how much charge the cell held, not which redox couple held
    it. Checks: the couples' capacities add up to the step's capacity (carrier
    conservation, to the solver's 1e-6, the discharge's last 0.1 % on the wall past the
    reachable range excepted); the N-site Fe2+/Fe3+ couple (0.2 e, 2.7-3.3 V) is emptied
    by a charge to 4.2 V: 0.2 F / (3.6 M) = 19.56 mAh/g (M = 274.09 g/mol); the
    timeseries columns add up to its capacity column."""
    import json

    import numpy as np

    from hemcell.laws import FARADAY_C_PER_MOL

    out = tmp_path / "o"
    assert main(["cell", "run", "cathode_half_cell_sp", "--params", "cathode_hepba_femnnicuco",
                 "--protocol", "Charge at C/5 until 4.2 V; Discharge at C/5 until 2.0 V",
                 "--out", str(out)]) == 0
    s = json.loads((out / "summary.json").read_text())
    assert s["couples"] == ["Fe2+/Fe3+", "Co2+/Co3+", "Fe(C)2+/Fe(C)3+", "Mn2+/Mn3+"]
    charge, discharge = s["capacity_by_couple_by_step_mAh_per_g"]
    assert sum(charge.values()) == pytest.approx(s["charge_capacity_by_step_mAh_per_g"][0],
                                                 rel=1e-6)
    assert sum(discharge.values()) == pytest.approx(
        s["discharge_capacity_by_step_mAh_per_g"][0], rel=1e-3)
    assert charge["Fe2+/Fe3+"] == pytest.approx(
        0.2 * FARADAY_C_PER_MOL / (3.6 * 274.0892), rel=1e-4)
    assert all(v >= 0 for v in (*charge.values(), *discharge.values()))
    table = np.genfromtxt(out / "timeseries.csv", delimiter=",", names=True)
    couples = sum(table[f"couple_{k}_capacity_mAh_per_g"] for k in range(1, 5))
    charging = table["step"] == 1
    np.testing.assert_allclose(couples[charging], table["capacity_mAh_per_g"][charging],
                               atol=1e-4)
    assert (out / "couple_contributions.png").is_file()


def test_a_rest_only_run_has_a_finite_charge_balance(tmp_path):
    """``--protocol "Rest for 1 hour"`` on a cathode half cell reported a charge-balance
    error of 2.5e284 (solver noise over a throughput of 0, floored at 1e-300)."""
    import json

    out = tmp_path / "o"
    assert main(["cell", "run", "cathode_half_cell_sp", "--params", "cathode_hepba_femnnicuco",
                 "--protocol", "Rest for 1 hour", "--no-plots", "--out", str(out)]) == 0
    s = json.loads((out / "summary.json").read_text())
    assert s["charge_balance_relative_error"] < 1e-9
