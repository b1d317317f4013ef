"""Parameters owned by who reads them: declared by each submodel, refused when not read,
required all at once when missing, listed by ``hemcell params check --for``."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from hemcell.cell.capacity import reachable_capacity, theoretical_capacity
from hemcell.cell.parameters import (
    ELECTRODE_PARAMETERS,
    MECHANISM_PARAMETERS,
    anode_parameter_uses,
    inventory_from_si,
    load_si,
    pybamm_values,
)
from hemcell.cell.recipes import load_recipe
from hemcell.cli.main import main
from hemcell.errors import InputError
from hemcell.params import registry
from hemcell.params.uses import required
from hemcell.workflows.anode import prepare_cell, resolve_model

SP = "hem_half_cell_sp"
PROTOCOL = "Discharge at 1 A/g until 0.01 V"
SETS = ("heo_rocksalt_mgconicuzn", "heo_spinel_lifeznnicomn", "fes_space_charge",
        "mep_ingesip3")


# ------------------------------------------------------------------ the user's reproductions
@pytest.mark.parametrize("override", ["coating_thickness=70nm", "current_focusing_factor=3"])
def test_cell_run_refuses_a_key_the_model_does_not_read(override, params_name, tmp_path):
    """Li-metal keys on an anode run were accepted and ignored; now exit 2 before solving."""
    with pytest.raises(InputError) as err:
        prepare_cell(SP, params_name, PROTOCOL, overrides=[override])
    key = override.split("=")[0]
    assert err.value.value == key
    assert SP in err.value.allowed and "cell run" in err.value.allowed
    code = main(["cell", "run", SP, "--params", params_name, "--protocol", PROTOCOL,
                 "--set", override, "--out", str(tmp_path / "out")])
    assert code == 2
    assert not (tmp_path / "out" / "summary.json").exists()


def test_refusal_names_close_matches(params_name):
    with pytest.raises(InputError) as err:
        prepare_cell(SP, params_name, PROTOCOL, overrides=["coating_thickness=70nm"])
    assert "did you mean" in err.value.allowed and "anode_thickness" in err.value.allowed


def test_a_mechanism_that_is_off_does_not_read_its_values(params_name):
    """--mechanisms conversion: the alloying exchange current is not an input."""
    with pytest.raises(InputError, match="alloying_exchange_current_density"):
        prepare_cell(SP, params_name, PROTOCOL, mechanisms=["conversion"],
                     overrides=["alloying_exchange_current_density=1 A/m^2"])
    # the inventory keys of an active mechanism are read: 0 switches an element off
    setup = prepare_cell(SP, params_name, PROTOCOL, mechanisms=["conversion"],
                         overrides=["conversion_capacity_ni=0 C/kg"])
    assert "Ni" not in setup.inventory.conversion


def test_sweep_spec_refuses_an_unread_key(tmp_path, params_name):
    from hemcell.sweep.spec import SpecError, load_spec

    spec = tmp_path / "s.yaml"
    spec.write_text(yaml.safe_dump({
        "command": "cell run", "arguments": [SP],
        "options": {"--params": params_name, "--protocol": PROTOCOL},
        "parameters": {"coating_thickness": {"values": [10, 70], "unit": "nm"}},
        "outputs": ["discharge_capacity_mAh_per_g"]}))
    with pytest.raises(SpecError, match="coating_thickness"):
        load_spec(spec)
    spec.write_text(yaml.safe_dump({
        "command": "cell run", "arguments": [SP],
        "options": {"--params": params_name, "--protocol": PROTOCOL},
        "set": {"ambient_temperature": "263.15 K"},
        "parameters": {"anode_particle_radius": {"values": [100, 250], "unit": "nm"}},
        "outputs": ["discharge_capacity_mAh_per_g"]}))
    assert load_spec(spec).shape == (2,)


def test_cycle_life_reads_its_lam_law_and_cell_run_does_not(params_name):
    lam = ["lam_strain_coefficient=0.03"]
    with pytest.raises(InputError, match="lam_strain_coefficient"):
        resolve_model(SP, params_name, overrides=lam)
    resolve_model(SP, params_name, overrides=lam, command="cell cycle-life",
                  also_reads=["lam_strain_coefficient", "lam_strain_exponent"])


# ------------------------------------------------------------------ no defaults in code
@pytest.mark.parametrize("name", SETS)
def test_every_value_read_is_declared(name):
    """pybamm_values, theoretical_capacity and reachable_capacity (the full cells' N/P
    sizing) read only declared names (a recording mapping), and every declared name of
    the shipped sets is present."""
    si, _ = load_si(name)
    inv = inventory_from_si(si)
    mechs = [m for m in load_recipe("hem_half_cell_p2d").mechanisms
             if m not in ("alloying",) or inv.alloying]
    uses = anode_parameter_uses(mechs, inv)

    class Recording(dict):
        def __init__(self, *a):
            super().__init__(*a)
            self.read: set[str] = set()

        def __getitem__(self, k):
            self.read.add(k)
            return super().__getitem__(k)

        def get(self, k, default=None):
            self.read.add(k)
            return super().get(k, default)

        def __contains__(self, k):
            self.read.add(k)
            return super().__contains__(k)

    rec = Recording(si)
    pybamm_values(rec, inv, mechanisms=mechs)
    theoretical_capacity(rec, inv, mechs)
    reachable_capacity(rec, inv, mechs)
    undeclared = {k for k in rec.read if not k.startswith("_")} - set(uses)
    assert not undeclared
    assert not [k for k in required(uses) if k not in si]


def test_declared_units_are_the_registry_units():
    specs = registry()
    groups = [*MECHANISM_PARAMETERS.values(), ELECTRODE_PARAMETERS]
    for uses in groups:
        for u in uses:
            key = u.key.format(el="fe")
            assert key in specs, key
            assert specs[key].unit == u.unit, key


def test_missing_values_are_named_all_at_once(params_name):
    si, _ = load_si(params_name)
    inv = inventory_from_si(si)
    gone = ["anode_double_layer_capacity", "conversion_reversible_fraction_co",
            "spin_polarization_ni", "intercalation_exchange_current_activation_energy"]
    for k in gone:
        si.pop(k)
    with pytest.raises(InputError) as err:
        pybamm_values(si, inv)
    assert all(k in err.value.allowed for k in gone)
    assert err.value.value == f"{len(gone)} missing value(s)"


def _composition_set(tmp_path: Path, fill: dict) -> Path:
    """A composition-written Fe-containing set with the user's additions ``fill``."""
    from hemcell.materials import composition_inventory
    from hemcell.materials.paramset import write_parameter_set

    path = write_parameter_set(composition_inventory("(Mg0.2Co0.2Ni0.2Cu0.2Fe0.2)O"),
                               tmp_path / "heo_fe.yaml")
    doc = yaml.safe_load(path.read_text())
    src = {"assumed": "test value standing in for the user's own addition"}
    for key, (value, unit) in fill.items():
        doc["parameters"][key] = {"value": value, "unit": unit, "source": dict(src)}
    path.write_text(yaml.safe_dump(doc, sort_keys=False))
    return path


def test_composition_set_without_spin_polarisation_is_refused(tmp_path):
    """Was: P = 0 used silently. The writer lists the value; the run names it."""
    path = _composition_set(tmp_path, {
        "conversion_lithiation_potential_fe": (0.8, "V"),
        "conversion_delithiation_potential_fe": (1.6, "V"),
        "conversion_reversible_fraction_fe": (0.9, "dimensionless"),
        "space_charge_areal_capacitance_fe": (0.3, "F/m**2"),
    })
    assert "spin_polarization_fe" in path.read_text().split("notes:")[1]
    with pytest.raises(InputError) as err:
        prepare_cell(SP, str(path), PROTOCOL)
    assert re.search(r"missing: spin_polarization_fe\b", err.value.allowed)
    assert main(["params", "check", str(path), "--for", SP]) == 2


# ------------------------------------------------------------------ params check --for
def test_params_check_for_recipe_lists_missing_and_unused(tmp_path, capsys, params_name):
    path = _composition_set(tmp_path, {})
    assert main(["params", "check", str(path), "--for", SP]) == 2
    err = capsys.readouterr().err
    assert "conversion_lithiation_potential_fe" in err and "missing" in err
    assert main(["params", "check", params_name, "--for",
                 "intercalation_half_cell_p2d"]) == 0
    out = capsys.readouterr().out
    assert "none missing" in out
    unused = out.split("unused by this recipe")[1]
    assert "conversion_capacity_co" in unused and "alloying_exchange_current_density" in unused
    assert "fatigue_paris_coefficient  (read by cell cycle-life)" in unused
    # plain file checks keep working
    assert main(["params", "check", params_name]) == 0


def test_one_particle_radius_for_every_mechanism():
    """The particle radius has one PyBaMM name, "<Domain> particle radius [m]": a PyBaMM
    user who changes it changes the intercalation diffusion length and the surface area
    a = 3ε/R of every mechanism together (there was a second, hemcell-only copy that
    set the area, so changing PyBaMM's value gave an inconsistent electrode)."""
    import pybamm

    from hemcell.cell.model import HEMHalfCell

    model = HEMHalfCell({"x-average": "true"})
    pv = model.default_parameter_values.copy()
    assert not [k for k in pv.keys() if "particle radius" in k and k.startswith("Anode")]
    R = 0.7 * float(pv["Positive particle radius [m]"])
    pv["Positive particle radius [m]"] = R
    sim = pybamm.Simulation(model, parameter_values=pv,
                            experiment=pybamm.Experiment(["Rest for 1 second"]))
    a = sim.solve()["Anode surface area to volume ratio [m-1]"].entries
    eps = float(pv["Positive electrode active material volume fraction"])
    assert a.flat[-1] == pytest.approx(3 * eps / R, rel=1e-12)
