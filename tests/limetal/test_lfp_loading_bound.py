"""An LFP loading whose electrode would be thicker than ``lfp_electrode_thickness``'s
300 um bound is refused naming ``lfp_mass_loading`` (the name the user typed), not the
thickness that follows from it: the registry bounds the loading at 40 mg/cm**2 (a 300 um
electrode of the sets' Prada2013 LFP), and the sizing
(:func:`hemcell.limetal.halfcell.lfp_geometry`) refuses a loading whose electrode, with
the set's LFP density and active fraction, exceeds the thickness bound."""

from __future__ import annotations

import pytest

from hemcell.cli.main import main
from hemcell.errors import InputError, ParameterError
from hemcell.laws import FARADAY_C_PER_MOL
from hemcell.limetal.halfcell import lfp_geometry
from hemcell.limetal.parameters import cell_parameters
from hemcell.params import load_parameter_set
from hemcell.params.registry import registry
from hemcell.workflows.cc_discharge import check_set_keys


def _loading_at_thickness_bound(pset) -> float:
    """Loading [kg/m**2] of an electrode exactly at the thickness bound:
    L_max rho eps_AM, rho = c_max F / (1C specific current x 1 h)."""
    si = pset.si
    rho = si["lfp_max_concentration"] * FARADAY_C_PER_MOL / (si["lfp_specific_current_1c"]
                                                             * 3600.0)
    return registry()["lfp_electrode_thickness"].max * rho * si[
        "lfp_active_material_volume_fraction"]


def test_the_loading_has_an_upper_bound_with_its_reason():
    spec = registry()["lfp_mass_loading"]
    assert spec.max == pytest.approx(0.40) and spec.max_inclusive  # 40 mg/cm**2
    assert "Upper bound 40 mg/cm**2" in spec.description
    for name in ("bare_li", "azcnf_coated_li"):
        pset = load_parameter_set(name)
        # the registry bound is inside the sets' 300 um electrode (40.34 mg/cm**2)
        assert 0.40 <= _loading_at_thickness_bound(pset) < 0.41
        assert spec.contains(0.115) and spec.contains(pset.si["lfp_mass_loading"])


def test_a_loading_above_the_bound_is_refused_naming_the_loading(tmp_path, capsys):
    out = tmp_path / "o"
    assert main(["pybamm", "cc-discharge", "--out", str(out),
                 "--set", "lfp_mass_loading=100mg/cm**2"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: --set lfp_mass_loading.value: got '100 mg/cm**2")
    assert "0.4] kg/m**2" in err
    assert not out.exists()


def test_the_sizing_refuses_a_loading_too_thick_for_the_set_s_active_fraction(
        tmp_path, capsys):
    """30 mg/cm**2 is inside the registry bound, but at eps_AM = 0.2 it makes a 417 um
    electrode: refused by the sizing, naming the loading and the thickness it makes."""
    pset = load_parameter_set("bare_li").with_overrides(
        ["lfp_active_material_volume_fraction=0.2", "lfp_mass_loading=30mg/cm**2"])
    p = cell_parameters(pset, "bare")
    with pytest.raises(InputError) as e:
        lfp_geometry(p, pset.si["lfp_max_concentration"], 0.2,
                     pset.si["lfp_electrode_porosity"])
    assert e.value.field == "lfp_mass_loading"
    assert "30" in str(e.value.value) and "mg/cm**2" in str(e.value.value)
    assert "300 um" in e.value.allowed and "417" in e.value.hint
    for command in (["pybamm", "cc-discharge"], ["params", "export", "bare_li", "--format",
                                                  "pybamm"]):
        out = tmp_path / command[1]
        assert main([*command, "--out", str(out),
                     "--set", "lfp_active_material_volume_fraction=0.2",
                     "--set", "lfp_mass_loading=30mg/cm**2"]) == 2
        err = capsys.readouterr().err
        assert err.startswith("error: lfp_mass_loading: got") and "300 um" in err
        assert not out.exists()


def test_a_set_s_own_loading_just_inside_the_bound_passes_the_read_check(tmp_path):
    """cc-discharge's unread-name check sizes the cell 0.1 % either side of a ``--set``
    value equal to the set's own; for a set whose electrode is within 0.1 % of the
    thickness bound, the value above is skipped (as one outside the registry bounds),
    not refused naming a loading the user did not give."""
    thin = load_parameter_set("bare_li").with_overrides(
        ["lfp_active_material_volume_fraction=0.3"])
    loading_mg_per_cm2 = round(0.9995 * _loading_at_thickness_bound(thin) * 100.0, 4)
    set_file = tmp_path / "thin_lfp.yaml"
    set_file.write_text(
        "name: thin_lfp\nkind: surface\ndescription: bare_li, less active material\n"
        "extends: bare_li\nparameters:\n  lfp_active_material_volume_fraction:\n"
        "    {value: 0.3, unit: dimensionless, source: {assumed: a test electrode}}\n"
        f"  lfp_mass_loading:\n    {{value: {loading_mg_per_cm2}, unit: mg/cm**2, "
        "source: {assumed: a test electrode}}\n")
    check_set_keys({"params": str(set_file),
                    "set_": [f"lfp_mass_loading={loading_mg_per_cm2} mg/cm**2"]})
    with pytest.raises(InputError) as e:
        check_set_keys({"params": str(set_file),
                        "set_": [f"lfp_mass_loading={1.002 * loading_mg_per_cm2} mg/cm**2"]})
    assert e.value.field == "lfp_mass_loading"


def test_high_loading_has_the_same_bound():
    """``limetal cycle --high-loading`` runs with ``lfp_high_mass_loading`` as its
    ``lfp_mass_loading``, so the registry bounds both alike."""
    coated = load_parameter_set("azcnf_coated_li")
    coated.with_overrides(["lfp_high_mass_loading=40 mg/cm**2"])
    with pytest.raises(ParameterError) as e:
        coated.with_overrides(["lfp_high_mass_loading=41 mg/cm**2"])
    assert "lfp_high_mass_loading" in str(e.value)
