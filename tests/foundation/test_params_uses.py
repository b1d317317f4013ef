"""Declarations of the parameters a submodel reads (hemcell.params.uses)."""

from __future__ import annotations

import pytest

from hemcell.errors import InputError
from hemcell.params import ParameterUse
from hemcell.params.uses import (
    expand,
    override_keys,
    refuse_unread,
    require_parameters,
    required,
)

USES = (
    ParameterUse("conversion_exchange_current_density", "A/m**2"),
    ParameterUse("conversion_capacity_{el}", "C/kg", "conversion"),
    ParameterUse("alloying_capacity_{el}", "C/kg", "registry", absent="not in the material"),
)


def test_patterns_expand_over_their_group():
    uses = expand(USES, {"conversion": ["Co", "Ni"], "registry": ["zn"]})
    assert list(uses) == ["conversion_exchange_current_density", "conversion_capacity_co",
                          "conversion_capacity_ni", "alloying_capacity_zn"]
    assert required(uses) == list(uses)[:3]
    assert list(expand(USES)) == ["conversion_exchange_current_density"]


def test_all_missing_values_in_one_error():
    with pytest.raises(InputError) as err:
        require_parameters({"conversion_capacity_co": 1.0},
                           ["conversion_capacity_co", "a_b", "c_d"], "model X")
    assert err.value.value == "2 missing value(s)"
    assert "missing: a_b, c_d" in err.value.allowed and "model X" in err.value.field
    require_parameters({"a": 1}, ["a"], "model X")


def test_override_keys_and_refusal_with_close_matches():
    assert override_keys(["a=1 m", "b = 2"]) == ["a", "b"]
    assert override_keys({"c": "1 m"}) == ["c"] and override_keys(None) == []
    reads = ["anode_thickness", "anode_porosity"]
    refuse_unread(["anode_thickness"], reads, "model X")
    with pytest.raises(InputError) as err:
        refuse_unread(["anode_thickness", "coating_thickness"], reads, "model X")
    assert err.value.field == "--set" and err.value.value == "coating_thickness"
    assert "model X" in err.value.allowed and "anode_thickness" in err.value.allowed


def test_a_derived_value_replaces_the_users_entry_of_its_key():
    """A workflow value computed from the set (and so from the user's --set of it)
    replaces that entry instead of being a second value of the same key."""
    from hemcell.params.uses import replace_overrides

    user = ["anode_porosity=0.3", "anode_active_material_volume_fraction=0.5"]
    out = replace_overrides(user, "anode_active_material_volume_fraction=0.45")
    assert out == ["anode_porosity=0.3", "anode_active_material_volume_fraction=0.45"]
    assert replace_overrides(None, "a=1 m") == ["a=1 m"]
    assert replace_overrides(user) == user
