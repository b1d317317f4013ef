"""User trial U18: a Zn||Zn current at or below the hydrogen evolution current at the Zn
equilibrium potential is refused (exit 2), and the CE map leaves those currents out.

``hemcell limetal zn-symmetric --current-density 0.001mA/cm2`` and ``--set
electrolyte_ph=0`` (pH 0 is in the allowed 0-14) ended in "unexpected ValueError: f(a) and
f(b) must have different signs" (exit 1): below i_HER(η = 0) the plating balance
i_Zn + i_HER = i has no root at η < 0, since the HER alone carries more than i.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from hemcell.errors import InputError
from hemcell.limetal.zinc import (
    her_current_A_per_m2,
    her_current_at_zinc_equilibrium_A_per_m2,
    plating_state,
    zinc_cell_parameters,
)
from hemcell.params import load_parameter_set
from hemcell.params.metal_sets import metal_sets


def _bare():
    name = metal_sets("Zn")["bare"]
    return zinc_cell_parameters(load_parameter_set(name).si, name, None)


def test_the_threshold_is_the_her_current_at_zero_overpotential():
    p = _bare()
    threshold = her_current_at_zinc_equilibrium_A_per_m2(p)
    assert threshold == her_current_A_per_m2(p, 0.0)
    state = plating_state(p, 1.001 * threshold)  # just above: plates, at η < 0
    assert state.overpotential_V < 0
    assert state.zinc_current_A_per_m2 + state.her_current_A_per_m2 == pytest.approx(
        1.001 * threshold, rel=1e-10)
    with pytest.raises(InputError) as err:
        plating_state(p, threshold)
    assert "--current-density" in err.value.field
    assert "hydrogen evolution current at the Zn equilibrium potential" in err.value.allowed


@pytest.mark.parametrize("args", [["--current-density", "0.001mA/cm2"]])
def test_the_command_exits_2(tmp_path, capsys, args):
    from hemcell.cli.main import main

    code = main(["limetal", "zn-symmetric", "--anode", "both", *args,
                 "--out", str(tmp_path / "o"), "--no-plots"])
    err = capsys.readouterr().err
    assert code == 2 and "unexpected" not in err
    assert "got '0.001 mA/cm**2'" in err and "above 0.002756 mA/cm**2" in err


def test_ph_0_runs_and_its_map_leaves_out_the_currents_below_the_threshold(tmp_path):
    """At pH 0 the bare threshold is 0.276 mA/cm2 (100 x the pH 4 one), above the map's
    lowest currents (0.1 mA/cm2): they are left out of the map, not a crash."""
    import math

    from hemcell.workflows.zinc import CE_MAP_CURRENTS_A_PER_M2, zn_symmetric

    p0 = replace(_bare(), ph=0.0)
    threshold = her_current_at_zinc_equilibrium_A_per_m2(p0)
    assert min(CE_MAP_CURRENTS_A_PER_M2) < threshold < 10.0  # below the default 1 mA/cm2
    s = zn_symmetric(["bare", "coated"], tmp_path / "o", ["electrolyte_ph=0"])
    assert 0 < s["by_anode"]["bare"]["coulombic_efficiency"] < 1
    assert (tmp_path / "o" / "zn_symmetric.png").exists()
    assert not math.isnan(s["by_anode"]["coated"]["coulombic_efficiency"])


def test_an_areal_capacity_above_the_foil_names_the_option_and_unit(tmp_path, capsys):
    """`zn-symmetric --areal-capacity 10mAh/cm2` said 'zn_symmetric_areal_capacity: got
    10.0' (the set's name, no unit) though the option was given."""
    from hemcell.cli.main import main

    code = main(["limetal", "zn-symmetric", "--areal-capacity", "10mAh/cm2", "--out",
                 str(tmp_path / "o"), "--no-plots"])
    err = capsys.readouterr().err
    assert code == 2
    assert "--areal-capacity" in err and "got '10 mAh/cm**2'" in err
    assert "less than the foil's 5.852 mAh/cm**2" in err
