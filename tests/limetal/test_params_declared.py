"""Li-metal commands: the values each model reads are declared next to it, ``--set`` and
sweeps refuse the others (exit 2), every accepted key moves the result, and a set missing
values names all of them at once."""

from __future__ import annotations

import dataclasses
import json
import math

import pytest
import yaml

from hemcell.cli.main import main
from hemcell.errors import InputError
from hemcell.limetal import halfcell
from hemcell.limetal.halfcell import build_half_cell, rate_test
from hemcell.limetal.licu import first_plating, licu_summary, run_licu
from hemcell.limetal.parameters import (
    FIELD_USES,
    LiMetalParameters,
    cell_parameters,
    load_anode_set,
    load_cell_parameters,
    reference_exchange_current_A_per_m2,
)
from hemcell.limetal.symmetric import run_symmetric, symmetric_summary
from hemcell.params import registry
from hemcell.params.uses import expand
from hemcell.workflows import limetal as wf

CHEAP = ("symmetric", "licu", "nucleation")
#: a temperature away from the reference, so that activation energies are read
COLD = "ambient_temperature=283.15 K"


def _override(key: str, factor: float, anode: str) -> str:
    """``KEY=VALUE`` with the set's value times ``factor`` (registry unit)."""
    v = float(load_anode_set(anode).si[key]) * factor
    unit = registry()[key].unit
    return f"{key}={v!r}" + ("" if unit == "dimensionless" else f" {unit}")


def _cheap_result(command: str, anode: str, overrides: list[str], kinetics: str = "rct"
                  ) -> dict:
    """The command's model on its default protocol, as the workflow builds it."""
    uses = wf.model_uses(command, anode, kinetics)
    _, p = load_cell_parameters(anode, overrides, kinetics, uses=uses)  # type: ignore[arg-type]
    return _run_cheap(command, p)


def _run_cheap(command: str, p: LiMetalParameters) -> dict:
    if command == "symmetric":
        return symmetric_summary(run_symmetric(p, 10.0, 36000.0, 1000.0))
    if command == "licu":
        return licu_summary(run_licu(p, 20.0, 36000.0, 50))
    res, series = first_plating(p, 10.0, 36000.0)
    return {"nucleation_V": res.nucleation_overpotential_V, "plateau_V": res.plateau_V + series,
            "tip_V": res.tip_V}


def _same(a: dict, b: dict) -> bool:
    return json.dumps(a, sort_keys=True, default=str) == json.dumps(b, sort_keys=True,
                                                                    default=str)


# ------------------------------------------------------------------ refused, with exit 2
@pytest.mark.parametrize(("command", "override"), [
    ("rate", "intercalation_capacity=100mAh/g"),
    ("cycle", "conversion_capacity_co=1mAh/g"),
    ("symmetric", "lfp_mass_loading=2mg/cm**2"),
    ("nucleation", "shuttle_charge_per_lost_li=0.1"),
    ("licu", "lfp_particle_radius=1um"),
])
def test_unread_key_is_refused_with_exit_2(command, override, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["limetal", command, "--out", str(out), "--set", override]) == 2
    err = capsys.readouterr().err
    assert f"`hemcell limetal {command}`" in err and override.split("=")[0] in err
    assert not out.exists()


def test_refusal_names_close_matches_and_depends_on_anode_and_kinetics():
    with pytest.raises(InputError) as err:
        wf.check_overrides("rate", ["bare"], ["coating_thickness=70nm"])
    assert "did you mean" in err.value.allowed and "bare Li" in err.value.allowed
    wf.check_overrides("rate", ["coated"], ["coating_thickness=70nm"])
    wf.check_overrides("rate", ["bare", "coated"], ["coating_thickness=70nm"])
    # the bare set's exchange current: read with --kinetics set only
    with pytest.raises(InputError, match="li_exchange_current_density"):
        wf.check_overrides("rate", ["bare"], ["li_exchange_current_density=1 A/m**2"])
    wf.check_overrides("rate", ["bare"], ["li_exchange_current_density=1 A/m**2"], "set")
    # the set's focusing factor is not read when the surface model gives it; the surface
    # model's own inputs are
    wf.check_overrides("symmetric", ["coated"], ["current_focusing_factor=2"])
    with pytest.raises(InputError, match="current_focusing_factor"):
        wf.check_overrides("symmetric", ["coated"], ["current_focusing_factor=2"],
                          focusing_from_surface=True)
    with pytest.raises(InputError, match="stack_pressure"):
        wf.check_overrides("symmetric", ["coated"], ["stack_pressure=1 MPa"])
    wf.check_overrides("symmetric", ["coated"], ["stack_pressure=1 MPa"],
                      focusing_from_surface=True)
    # nucleation reads the set's plated capacity only without --areal-capacity
    cap = ["li_cu_nucleation_areal_capacity=2 mA*h/cm**2"]
    wf.check_overrides("nucleation", ["coated"], cap, areal_capacity_given=False)
    with pytest.raises(InputError):
        wf.check_overrides("nucleation", ["coated"], cap)


def test_fits_refuse_the_value_they_fit(capsys):
    assert main(["limetal", "fit-fade", "--dry-run", "--set",
                 "lfp_deactivation_per_lost_li=0.1"]) == 2
    err = capsys.readouterr().err
    assert "lfp_deactivation_per_lost_li is the parameter the fit determines" in err
    assert main(["limetal", "fit-shuttle", "--dry-run", "--set",
                 "nucleation_shape_factor=0.1"]) == 2
    wf.check_fit_overrides("fit-fade", ["lfp_mass_loading=2 mg/cm**2"])
    wf.check_fit_overrides("fit-shuttle", ["lfp_average_coulombic_efficiency=0.99"])


@pytest.mark.parametrize("command", ["limetal symmetric", "limetal rate"])
def test_sweep_spec_refuses_an_unread_key(command, tmp_path):
    from hemcell.sweep.spec import SpecError, load_spec

    spec = tmp_path / "s.yaml"
    doc = {"command": command, "options": {"--anode": "bare"},
           "parameters": {"coating_thickness": {"values": [10, 70], "unit": "nm"}},
           "outputs": ["li_exchange_current_mA_per_cm2"]}
    spec.write_text(yaml.safe_dump(doc))
    with pytest.raises(SpecError, match="coating_thickness"):
        load_spec(spec)
    doc["options"] = {"--anode": "coated"}
    spec.write_text(yaml.safe_dump(doc))
    assert load_spec(spec).shape == (2,)


# ------------------------------------------------------------------ accepted keys move results
@pytest.mark.parametrize("command", CHEAP)
@pytest.mark.parametrize("anode", ["bare", "coated"])
def test_every_declared_key_moves_the_result(command, anode):
    """Each key the model declares, changed by 20 %, changes the model's output; at
    283.15 K so the activation energy acts. The Li foil and the electrolyte reservoir
    act only once they run out: they are cut (and the consumption raised) until they do."""
    base = _cheap_result(command, anode, [COLD])
    run_out = {"li_foil_thickness": 0.01, "electrolyte_volume": 0.05,
               "electrolyte_consumption_per_lost_li": 1e3}
    for key in expand(wf.model_uses(command, anode)):
        if key == "ambient_temperature":
            changed = _cheap_result(command, anode, [])
        else:
            factor = run_out.get(key, 1.2)
            changed = _cheap_result(command, anode, [COLD, _override(key, factor, anode)])
        assert not _same(changed, base), key


def test_rate_reads_coating_thickness_and_temperature():
    """Coated Li||LFP at 4C: the film (h/kappa_c) and the temperature move the capacity."""
    def capacity(overrides):
        uses = wf.model_uses("rate", "coated")
        pset, p = load_cell_parameters("coated", overrides, uses=uses)
        return rate_test(build_half_cell(p, pset), [4.0]).capacity_mAh_per_g[0]

    base = capacity([])
    assert capacity(["coating_thickness=70nm"]) != base
    assert capacity(["ambient_temperature=283.15K"]) < base - 0.1


def test_rate_declared_keys_are_what_the_dfn_reads():
    """Every key ``limetal rate`` declares moves the 4C capacity; the set's other values
    with a PyBaMM name (read by nothing, or replaced by the builder) do not."""
    anode = "coated"
    declared = expand(wf.model_uses("rate", anode))

    def capacity(overrides):
        pset = load_anode_set(anode, overrides)
        p = cell_parameters(pset, anode, uses=declared.values())
        return rate_test(build_half_cell(p, pset), [4.0]).capacity_mAh_per_g[0]

    base = capacity([COLD])
    for key in declared:
        if key == "ambient_temperature":
            assert capacity([]) != base
            continue
        if key == "cell_upper_cutoff_voltage":
            # a model event (the charge of `limetal cycle` ends on it); a discharge from the
            # charged state never reaches it
            continue
        # a stoichiometry must stay in (0, 1); the others scale by 20 %
        factor = 0.9 if key == "lfp_charged_stoichiometry" else 1.2
        assert capacity([COLD, _override(key, factor, anode)]) != base, key
    specs = registry()
    others = [k for k in load_anode_set(anode) if specs[k].pybamm and k not in declared]
    assert "lfp_electrode_thickness" in others and "li_molar_volume" in others
    for key in others:
        assert capacity([COLD, _override(key, 1.2, anode)]) == base, key


# ------------------------------------------------------------------ declared == read
def _recording(p: LiMetalParameters) -> tuple[LiMetalParameters, set[str]]:
    """A copy of ``p`` that records which fields the model reads."""
    read: set[str] = set()

    class Recording(LiMetalParameters):
        def __getattribute__(self, name):
            if name in FIELD_USES:
                read.add(name)
            return super().__getattribute__(name)

    return Recording(**{f.name: getattr(p, f.name) for f in dataclasses.fields(p)}), read


class _RecordingSet:
    """A parameter set whose ``si`` records the names read."""

    def __init__(self, pset):
        self._pset, self.name = pset, pset.name
        self.read: set[str] = set()
        outer = self

        class Si(dict):
            def __getitem__(self, k):
                outer.read.add(k)
                return super().__getitem__(k)

            def __contains__(self, k):
                outer.read.add(k)
                return super().__contains__(k)

        self.si = Si(pset.si)

    def to_pybamm_parameter_values(self):
        return self._pset.to_pybamm_parameter_values()


@pytest.mark.parametrize("kinetics", ["rct", "set"])
@pytest.mark.parametrize("anode", ["bare", "coated"])
@pytest.mark.parametrize("command", [*CHEAP, "rate"])
def test_declared_keys_are_the_keys_read(command, anode, kinetics):
    """Recording the Li exchange current's derivation (the set's names) and the model's
    reads of :class:`LiMetalParameters` fields (mapped to their names) gives exactly the
    declared names; the DFN's other names (PyBaMM-named LFP, electrolyte, separator
    values) are checked by their effect in test_rate_declared_keys_are_what_the_dfn_reads.
    """
    declared = expand(wf.model_uses(command, anode, kinetics))
    pset = load_anode_set(anode)
    rec_set = _RecordingSet(pset)
    rec_bare = _RecordingSet(load_anode_set("bare"))
    reference_exchange_current_A_per_m2(rec_set, anode, kinetics,  # type: ignore[arg-type]
                                        rec_bare)
    p = cell_parameters(pset, anode, kinetics, uses=declared.values(),  # type: ignore[arg-type]
                        bare_set=load_anode_set("bare"))
    rec, fields = _recording(p)
    if command == "rate":
        rec_cell_set = _RecordingSet(pset)
        rate_test(build_half_cell(rec, rec_cell_set), [1.0])
        set_reads = rec_cell_set.read
    else:
        _run_cheap(command, rec)
        set_reads = set()
    if anode == "bare":  # no film: h = 0 and kappa_c = inf are not the set's values
        fields -= {"coating_thickness_m", "coating_conductivity_S_per_m"}
    read = ({FIELD_USES[f].key for f in fields} | rec_set.read | rec_bare.read | set_reads)
    # the DFN reads these through their PyBaMM names (the effect test covers them)
    pybamm_named = ({u.key for u in halfcell.PARAMETERS if registry()[u.key].pybamm} - read
                    if command == "rate" else set())
    assert read == set(declared) - pybamm_named
    # and nothing else is a number: unread fields are nan
    unread = [f for f, u in FIELD_USES.items() if u.key not in declared]
    assert all(math.isnan(getattr(p, f)) for f in unread
               if not (anode == "bare" and f.startswith("coating_")))


def test_declared_units_are_the_registry_units():
    specs = registry()
    for command in wf.COMMANDS:
        for anode in ("bare", "coated"):
            for kinetics in ("rct", "set"):
                for key, use in expand(wf.model_uses(command, anode, kinetics, False,
                                                    False)).items():
                    assert specs[key].unit == use.unit, key


def test_shipped_sets_give_every_value_their_models_read():
    for command in wf.COMMANDS:
        for anode in ("bare", "coated"):
            uses = wf.model_uses(command, anode, areal_capacity_given=False)
            load_cell_parameters(anode, uses=uses)


# ------------------------------------------------------------------ missing: one error
def test_missing_values_are_named_all_at_once():
    pset = load_anode_set("coated")
    gone = ["separator_porosity", "li_loss_overpotential_coefficient", "coating_thickness"]
    short = dataclasses.replace(pset, parameters={k: v for k, v in pset.parameters.items()
                                                  if k not in gone})
    uses = wf.model_uses("symmetric", "coated")
    with pytest.raises(InputError) as err:
        cell_parameters(short, "coated", uses=uses, reader="`hemcell limetal symmetric`")
    assert all(k in err.value.allowed for k in gone)
    assert err.value.value == f"{len(gone)} missing value(s)"
    assert "limetal symmetric" in err.value.field
    # a value the model does not read may be missing
    rate_only = dataclasses.replace(pset, parameters={
        k: v for k, v in pset.parameters.items() if k != "nucleation_shape_factor"})
    cell_parameters(rate_only, "coated", uses=wf.model_uses("rate", "coated"))
