"""``hemcell pybamm cc-discharge --set NAME=...`` refuses a parameter that changes none of
the PyBaMM values the discharge is built from (the user trial: a sweep of
``coating_thickness`` over this command gave 1.73686 mAh/cm2 at every point, exit 0).
Its sweeps are refused at ``--check`` for the same reason; a value that does reach the
PyBaMM values (the LFP particle radius, the Li exchange current) is accepted."""

from __future__ import annotations

import pytest
import yaml

from hemcell.cli.main import main
from hemcell.errors import InputError
from hemcell.workflows.cc_discharge import Setup, base_values


def test_an_unread_set_value_is_refused_naming_it():
    with pytest.raises(InputError) as err:
        base_values(Setup(overrides=("coating_thickness=5um",)))
    assert "coating_thickness" in str(err.value) and "--set" in str(err.value)


def test_a_value_the_sizing_replaces_is_refused():
    """The LFP thickness follows from ``lfp_mass_loading``: a ``--set`` of
    ``lfp_electrode_thickness`` left the discharged cell as it was (29.7 um either way)."""
    with pytest.raises(InputError) as err:
        base_values(Setup(overrides=("lfp_electrode_thickness=150um",)))
    assert "lfp_electrode_thickness" in str(err.value)


@pytest.mark.parametrize("override", ["lfp_particle_radius=100nm", "lfp_mass_loading=8mg/cm**2",
                                      "lfp_max_concentration=20000mol/m**3",
                                      "li_exchange_current_density=50A/m**2"])
def test_values_that_reach_pybamm_are_accepted(override):
    base_values(Setup(overrides=(override,)))


def test_a_sweep_of_an_unread_value_fails_its_check(tmp_path, capsys):
    spec = tmp_path / "s.yaml"
    spec.write_text(yaml.safe_dump({
        "command": "pybamm cc-discharge", "outputs": ["discharge_capacity_mAh_per_cm2"],
        "parameters": {"coating_thickness": {"values": ["14 nm", "28 nm"]}}}))
    assert main(["sweep", str(spec), "--out", str(tmp_path / "o"), "--check"]) == 2
    assert "coating_thickness" in capsys.readouterr().err
