"""Surface commands: the values each solve reads are declared (case, geometry, steady or
transient, control), ``--set`` and sweeps refuse the others (exit 2), an accepted key
moves the result, and missing values are named at once."""

from __future__ import annotations

import dataclasses

import pytest
import yaml

from hemcell.errors import InputError
from hemcell.params import registry
from hemcell.params.uses import expand
from hemcell.surface.parameters import (
    _FIELD_SOURCES,
    SurfaceParameters,
    surface_parameter_uses,
    surface_parameters_from_sets,
)
from hemcell.workflows import surface as ws
from tests.surface.conftest import require_fenicsx


# ------------------------------------------------------------------ refused, with exit 2
def test_unread_key_is_refused_with_exit_2(tmp_path, capsys):
    from hemcell.cli.main import main

    require_fenicsx()
    out = tmp_path / "out"
    code = main(["surface", "run", "--case", "bare", "--out", str(out), "--set",
                 "conversion_capacity_co=1mAh/g"])
    assert code == 2
    err = capsys.readouterr().err
    assert "`hemcell surface run`" in err and "conversion_capacity_co" in err
    assert not out.exists()


@pytest.mark.parametrize(("command", "model", "key"), [
    ("run", {"case": "bare", "geometry": "flat"}, "coating_thickness"),
    ("run", {"case": "coated", "geometry": "flat"}, "sei_seed"),
    ("run", {"case": "bare", "geometry": "flat", "transient": True}, "growth_time"),
    ("run", {"case": "bare", "geometry": "flat"}, "li_surface_energy"),
    ("run", {"case": "bare", "geometry": "flat"}, "perturbation_amplitude"),
    ("run", {"case": "bare", "geometry": "flat", "dim": 3}, "surface_mesh_size"),
    ("run", {"case": "bare", "geometry": "flat"}, "applied_potential"),
    ("seeds", {"geometry": "random"}, "roughness_seed"),
    ("thickness", {"geometry": "flat"}, "coating_thickness"),
    ("compare", {"geometry": "flat", "transient": True}, "transient_frames"),
])
def test_refused_where_not_read(command, model, key):
    with pytest.raises(InputError) as err:
        ws.check_overrides(command, [f"{key}=1"], **model)
    assert err.value.value == key and f"`hemcell surface {command}`" in err.value.allowed


@pytest.mark.parametrize(("command", "model", "key"), [
    ("run", {"case": "coated", "geometry": "flat"}, "coating_thickness"),
    ("run", {"case": "bare", "geometry": "flat"}, "ambient_temperature"),
    ("run", {"case": "bare", "geometry": "flat", "transient": True}, "li_surface_energy"),
    ("run", {"case": "bare", "geometry": "sinusoid"}, "perturbation_amplitude"),
    ("run", {"case": "bare", "geometry": "flat", "dim": 3}, "surface_mesh_size_3d"),
    ("run", {"case": "bare", "geometry": "flat", "control": "potentiostatic"},
     "applied_potential"),
    ("thickness", {"geometry": "flat"}, "coating_closure_thickness"),
    ("compare", {"geometry": "flat"}, "coating_element_layers"),
])
def test_accepted_where_read(command, model, key):
    ws.check_overrides(command, [f"{key}=1"], **model)


def test_transient_reads_elasticity_only_with_mechanics():
    model = {"case": "bare", "geometry": "flat", "transient": True}
    with pytest.raises(InputError, match="li_youngs_modulus"):
        ws.check_overrides("run", ["li_youngs_modulus=5 GPa"], **model)
    ws.check_overrides("run", ["li_youngs_modulus=5 GPa", "transient_mechanics_interval=5"],
                       **model)


def test_sweep_spec_refuses_an_unread_key(tmp_path):
    from hemcell.sweep.spec import SpecError, load_spec

    spec = tmp_path / "s.yaml"
    doc = {"command": "surface run", "options": {"--case": "bare", "--geometry": "flat"},
           "parameters": {"conversion_capacity_co": {"values": [1, 2], "unit": "mA*h/g"}},
           "outputs": ["current_focusing_factor"]}
    spec.write_text(yaml.safe_dump(doc))
    with pytest.raises(SpecError, match="conversion_capacity_co"):
        load_spec(spec)
    doc["parameters"] = {"ambient_temperature": {"values": [283.15, 298.15], "unit": "K"}}
    spec.write_text(yaml.safe_dump(doc))
    assert load_spec(spec).shape == (2,)


# ------------------------------------------------------------------ accepted keys move results
def test_coating_thickness_moves_the_coated_run():
    from hemcell.surface.metrics import compute_metrics

    require_fenicsx()

    def metrics(overrides):
        rc = ws.resolve_case("coated", "flat", overrides)
        return compute_metrics(ws.solve_case(rc))

    base, thick = metrics([]), metrics(["coating_thickness=70nm"])
    assert thick["coating_potential_drop_V"] > base["coating_potential_drop_V"]


# ------------------------------------------------------------------ declared == read
VARIANTS = [
    ("bare", "flat", False, "galvanostatic"),
    ("coated", "flat", False, "galvanostatic"),
    ("coated_thin", "flat", False, "galvanostatic"),
    ("bare", "flat", False, "potentiostatic"),
    ("bare", "flat", True, "galvanostatic"),
    ("coated", "flat", True, "galvanostatic"),
]


@pytest.mark.parametrize(("case", "geometry", "transient", "control"), VARIANTS)
def test_declared_fields_are_the_fields_read(case, geometry, transient, control):
    """Recording the solve's reads of :class:`SurfaceParameters` fields gives exactly the
    declared names (fields without a registry name are numerical settings)."""
    require_fenicsx()
    rc = ws.resolve_case(case, geometry, control=control)  # type: ignore[arg-type]
    read: set[str] = set()
    on = [False]

    class Recording(SurfaceParameters):
        def __getattribute__(self, name):
            if on[0] and name in _FIELD_SOURCES:
                read.add(name)
            return super().__getattribute__(name)

    p = rc.parameters
    rec = Recording(**{f.name: getattr(p, f.name) for f in dataclasses.fields(p)})
    rc = dataclasses.replace(rc, parameters=rec)
    on[0] = True
    if transient:
        ws.solve_transient_case(rc, ws.transient_settings(rc, duration_s=2.0, frames=0))
    else:
        ws.solve_case(rc)
    on[0] = False
    declared = {u.key for u in surface_parameter_uses(case, geometry, 2, transient, control,
                                                      mechanics=False)}
    field_keys = {use.key for _, use in _FIELD_SOURCES.values()}
    assert {_FIELD_SOURCES[f][1].key for f in read} == declared & field_keys


def test_declared_units_are_the_registry_units():
    specs = registry()
    for case in ("bare", "coated", "coated_thin"):
        for geometry in ("flat", "sinusoid", "nucleus", "random"):
            for transient in (False, True):
                for key, use in ws.case_parameter_uses(case, geometry, 2, transient,
                                                       "potentiostatic").items():
                    assert specs[key].unit == use.unit, key
    for key, use in expand(surface_parameter_uses("bare", "flat", 3)).items():
        assert specs[key].unit == use.unit, key


# ------------------------------------------------------------------ missing: one error
def test_missing_values_are_named_all_at_once():
    from hemcell.params import load_parameter_set

    si = {role: dict(load_parameter_set(name).si) for role, name in ws.DEFAULT_SETS.items()}
    si["defaults"].pop("stack_pressure")
    si["coated"].pop("coating_ionic_conductivity")
    with pytest.raises(InputError) as err:
        surface_parameters_from_sets(si["defaults"], si["bare"], si["coated"], "coated")
    assert "stack_pressure" in err.value.allowed
    assert "coating_ionic_conductivity" in err.value.allowed
