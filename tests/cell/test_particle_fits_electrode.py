"""A particle wider than the anode is refused (exit 2, naming anode_particle_radius and
the bound): ``--set anode_particle_radius=1m`` ran into IDA_BAD_K (exit 1) with a hint
that a solver failure is no limit of the cell."""

from __future__ import annotations

import pytest

from hemcell.errors import InputError
from hemcell.workflows.anode import prepare_cell

PROTOCOL = "Discharge at 0.5 A/g until 0.01 V"


def test_a_particle_wider_than_the_electrode_is_refused():
    with pytest.raises(InputError) as err:
        prepare_cell("hem_half_cell_sp", "heo_rocksalt_mgconicuzn", PROTOCOL,
                     overrides=["anode_particle_radius=1m"])
    assert err.value.field == "anode_particle_radius"
    assert "half the anode thickness (2e-05 m)" in err.value.allowed


def test_a_particle_half_as_wide_as_the_electrode_runs_its_setup():
    setup = prepare_cell("hem_half_cell_sp", "heo_rocksalt_mgconicuzn", PROTOCOL,
                         overrides=["anode_particle_radius=20um"])
    assert float(setup.parameter_values["Positive particle radius [m]"]) == pytest.approx(2e-5)


def test_a_full_cell_anode_particle_wider_than_its_sized_anode_is_refused():
    """A full cell's anode thickness is set by its N/P ratio against the cathode's loading
    (8.72 µm for hem_full_cell_lfp with the rock salt): a 5 µm radius no longer fits, and
    the refusal names the bound and what sets it."""
    with pytest.raises(InputError) as err:
        prepare_cell("hem_full_cell_lfp", "heo_rocksalt_mgconicuzn", "Charge at C/5 until 3.6 V",
                     overrides=["anode_particle_radius=5um"])
    assert err.value.field == "anode_particle_radius"
    assert "N/P ratio 1.1" in err.value.allowed and "(4.36233e-06 m)" in err.value.allowed
    setup = prepare_cell("hem_full_cell_lfp", "heo_rocksalt_mgconicuzn",
                         "Charge at C/5 until 3.6 V", overrides=["anode_particle_radius=4um"])
    assert 2 * float(setup.parameter_values["Negative particle radius [m]"]) <= float(
        setup.parameter_values["Negative electrode thickness [m]"])
