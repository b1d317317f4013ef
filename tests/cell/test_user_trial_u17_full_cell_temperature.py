"""User trial u17: a Li full cell away from 298.15 K says that its electrolyte's
transport does not follow temperature.

``hemcell cell run hem_full_cell_lfp --params heo_rocksalt_mgconicuzn --protocol "Charge at
C/5 until 3.8 V" --set ambient_temperature=200K`` charged 820.7 mAh/g (826.5 at 298.15 K)
without a word: PyBaMM's Prada2013 (LFP) and Nyman2008 (NMC811) electrolytes are
functions of concentration only, so at -73 degC only the kinetics moved. The Na/K cells
say this for their tables ("only the kinetics follow temperature"); the Li full cells now
say it too.
"""

from __future__ import annotations

import pybamm
import pytest

from hemcell.cell.electrolytes import constant_transport_warnings
from hemcell.workflows.anode import prepare_cell

PROTOCOL = "Charge at C/5 until 3.6 V"


@pytest.mark.parametrize(("recipe", "name"), [("hem_full_cell_lfp", "Prada2013"),
                                              ("hem_full_cell_nmc811", "Nyman2008")])
def test_a_full_cell_at_200_k_warns_that_only_the_kinetics_follow(recipe, name, capsys):
    prepare_cell(recipe, "heo_rocksalt_mgconicuzn", PROTOCOL,
                 overrides=["ambient_temperature=200K"])
    err = capsys.readouterr().err
    assert f"(PyBaMM's {name}) have no temperature dependence: at 200 K only the " \
           "kinetics follow temperature" in err


def test_no_warning_at_the_reference_temperature(capsys):
    prepare_cell("hem_full_cell_lfp", "heo_rocksalt_mgconicuzn", PROTOCOL,
                 overrides=["ambient_temperature=298.15K"])
    assert "temperature dependence" not in capsys.readouterr().err


def test_an_electrolyte_that_follows_temperature_gives_no_warning():
    """PyBaMM's Xu2019 electrolyte (the Valøen & Reimers fits) depends on T."""
    pv = pybamm.ParameterValues("Xu2019")
    pv["Ambient temperature [K]"] = 200.0
    assert constant_transport_warnings(pv) == []
    pv["Electrolyte conductivity [S.m-1]"] = 1.0
    pv["Electrolyte diffusivity [m2.s-1]"] = 2e-10
    assert constant_transport_warnings(pv) == [
        "the electrolyte's conductivity and diffusivity have no temperature dependence: "
        "at 200 K only the kinetics follow temperature"]
