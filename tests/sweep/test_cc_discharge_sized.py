"""``pybamm cc-discharge`` discharges the set's Li‖LFP cell, sized from its LFP loading as
``params export --format pybamm`` writes it (user trial: the export was documented as
sized from the loading while the discharge ran Prada2013's 0.6 m x 0.3 m, 80 um
electrode and refused ``--set lfp_mass_loading``)."""

from __future__ import annotations

import pytest

from hemcell.params import load_parameter_set
from hemcell.workflows.cc_discharge import Setup, base_values, discharge
from hemcell.workflows.exchange import li_lfp_values

SIZE = ("Positive electrode thickness [m]", "Electrode height [m]", "Electrode width [m]",
        "Nominal cell capacity [A.h]", "Ambient temperature [K]")


def test_the_discharged_cell_is_the_exported_cell():
    exported, geo, _ = li_lfp_values(load_parameter_set("bare_li"))
    pv = base_values(Setup())
    for name in SIZE:
        assert float(pv[name]) == pytest.approx(float(exported[name]), rel=1e-12), name
    # 1C = the LFP's theoretical capacity: 170 mAh/g times the loading over the cathode area
    assert float(pv["Nominal cell capacity [A.h]"]) == pytest.approx(
        geo.theoretical_capacity_Ah, rel=1e-12)


def test_the_loading_sizes_the_discharge():
    """Loading x 2: thickness and 1C current x 2 (exactly); at C/10 from x = 0.01 the
    capacity per area follows within 2 % (the thicker electrode polarises a little more)."""
    base = load_parameter_set("bare_li")
    m = float(base.si["lfp_mass_loading"])  # kg/m**2
    double = (f"lfp_mass_loading={2 * m!r} kg/m**2",)
    one, two = base_values(Setup(model="SPM")), base_values(Setup(model="SPM", overrides=double))
    for name in ("Positive electrode thickness [m]", "Nominal cell capacity [A.h]"):
        assert float(two[name]) == pytest.approx(2 * float(one[name]), rel=1e-12)
    q1 = discharge(Setup(model="SPM"), 0.1)["discharge_capacity_mAh_per_cm2"]
    q2 = discharge(Setup(model="SPM", overrides=double), 0.1)["discharge_capacity_mAh_per_cm2"]
    assert q2 / q1 == pytest.approx(2.0, rel=0.02)
