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
