"""User trial U8: counts and seeds take whole numbers only.

`hemcell surface run --set sei_seed=1.5` ran with seed 1 (``int()`` truncated it) and
`surface phasefield --set phasefield_anisotropy_mode=4.5` with a 4-fold anisotropy: the
answer did not move with the input. The registry declares such names ``integer: true``.
"""

from __future__ import annotations

import pytest

from hemcell.errors import InputError, ParameterError

INTEGER_NAMES = ("sei_seed", "roughness_seed", "coating_coverage_seed", "coating_element_layers",
                 "transient_frames", "transient_mechanics_interval",
                 "phasefield_anisotropy_mode", "phasefield_roughness_seed", "phasefield_frames")


@pytest.mark.parametrize("name", INTEGER_NAMES)
def test_counts_and_seeds_are_declared_integer(name):
    from hemcell.params.registry import registry

    spec = registry()[name]
    assert spec.integer
    assert not spec.contains(3.5) and spec.contains(3.0)
    assert "a whole number" in spec.allowed_range()


@pytest.mark.parametrize(("set_name", "override"), [
    ("surface_defaults", "sei_seed=1.5"),
    ("surface_defaults", "coating_element_layers=3.9"),
    ("phasefield_li", "phasefield_anisotropy_mode=4.5"),
])
def test_a_fractional_count_or_seed_is_refused_naming_the_whole_numbers(set_name, override):
    from hemcell.params import load_parameter_set

    with pytest.raises(ParameterError) as err:
        load_parameter_set(set_name).with_overrides([override])
    assert "a whole number" in str(err.value)
    assert override.split("=")[0] in str(err.value)


def test_whole_numbers_still_pass_and_every_shipped_set_loads():
    from hemcell.params import load_parameter_set

    assert load_parameter_set("surface_defaults").with_overrides(["sei_seed=2"]).si[
        "sei_seed"] == 2
    for name in ("surface_defaults", "phasefield_li", "phasefield_zn", "bare_li",
                 "azcnf_coated_li", "zn_bare", "zn_hem_coated"):
        load_parameter_set(name)


def test_the_registry_refuses_a_non_boolean_integer_flag(tmp_path):
    from hemcell.params.registry import load_registry_file

    f = tmp_path / "r.yaml"
    f.write_text("n:\n  unit: dimensionless\n  integer: yes please\n  description: a count\n")
    with pytest.raises(InputError) as err:  # ParameterFileError: each problem listed
        load_registry_file(f)
    assert "n.integer" in str(err.value)
