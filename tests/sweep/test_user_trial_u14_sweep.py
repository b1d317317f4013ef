"""User trial U14 of `hemcell sweep`: a misspelt axis name gets close matches."""

from __future__ import annotations

import pytest

from hemcell.errors import InputError
from hemcell.sweep import parse_spec

BASE = {"command": "cell run", "arguments": ["hem_half_cell_sp"],
        "options": {"--params": "heo_rocksalt_mgconicuzn",
                    "--protocol": "Discharge at 1C until 0.01 V"},
        "outputs": ["discharge_capacity_mAh_per_g[0]"]}


@pytest.mark.parametrize(("name", "meant"), [("ambiant_temperature", "ambient_temperature"),
                                             ("cycle", "cycles")])
def test_a_misspelt_axis_name_gets_did_you_mean(name, meant):
    """`ambiant_temperature` listed the command's options but not the registry name
    meant; `--set ambiant_temperature=...` on the command line says "did you mean"."""
    with pytest.raises(InputError) as err:
        parse_spec({**BASE, "parameters": {name: {"values": [1, 2]}}})
    assert f"parameters.{name}: got '{name}'" in str(err.value), str(err.value)
    assert f"did you mean {meant}" in str(err.value), str(err.value)


def test_a_name_far_from_every_known_one_gets_no_guess():
    with pytest.raises(InputError) as err:
        parse_spec({**BASE, "parameters": {"zzzz_qqqq": {"values": [1, 2]}}})
    assert "did you mean" not in str(err.value)
    assert "registry parameter name" in str(err.value)


SUMMARY = {"retention_at_cycle": {"1000": 0.98, "2500": 0.8},
           "discharge_capacity_mAh_per_g": [773.8],
           "solve_time_s": 1.0}


@pytest.mark.parametrize(("output", "hint"), [
    ("retention_at_cycle/1000", "write it retention_at_cycle.1000"),
    ("retention_at_cycle.100", "retention_at_cycle holds one value per entry: "
                               "retention_at_cycle.1000, retention_at_cycle.2500"),
    ("discharge_capacity_mAh_per_g[5]", "discharge_capacity_mAh_per_g is a list of 1: "
                                        "discharge_capacity_mAh_per_g[0] to "
                                        "discharge_capacity_mAh_per_g[0]"),
])
def test_a_missing_output_says_what_its_key_holds(output, hint):
    """A cycle-life sweep asked for `retention_at_cycle/1000000` (a validation case's
    spelling) and `discharge_capacity_mAh_per_g[5]` of one cycle: both stopped after the
    first point (57 s) with the top-level keys only."""
    from hemcell.sweep.store import check_outputs

    spec = parse_spec({**BASE, "outputs": [output],
                       "parameters": {"ambient_temperature": {"values": ["300 K"]}}})
    with pytest.raises(InputError) as err:
        check_outputs(spec, SUMMARY)
    assert err.value.hint == hint


def test_an_unknown_top_level_output_gets_no_hint():
    from hemcell.sweep.store import check_outputs

    spec = parse_spec({**BASE, "outputs": ["retention"],
                       "parameters": {"ambient_temperature": {"values": ["300 K"]}}})
    with pytest.raises(InputError) as err:
        check_outputs(spec, SUMMARY)
    assert err.value.hint is None and "retention_at_cycle" in err.value.allowed
