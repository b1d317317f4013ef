"""User trial U14 of `hemcell fit`: a spectrum fit's model.temperature."""

from __future__ import annotations

import pytest

from hemcell.errors import InputError
from hemcell.resources import repo_root
from hemcell.workflows.fit import load_spec, make_problem

DATA = repo_root() / "examples" / "data" / "synthetic_eis_li_li_bare.csv"


def _spec(tmp_path, temperature: str):
    text = (f"model:\n  command: eis symmetric\n  anode: bare\n"
            f"  temperature: {temperature}\n"
            f"data:\n  - file: {DATA}\n"
            f"fit:\n  parameters:\n"
            f"    symmetric_cell_charge_transfer_resistance:\n"
            f"      {{initial: 40 ohm, bounds: [5 ohm, 500 ohm]}}\n"
            f"objective:\n  signal: impedance\n")
    path = tmp_path / "spec.yaml"
    path.write_text(text)
    return load_spec(path)


@pytest.mark.parametrize("temperature", ["45", "'25,35degC'", "-300 degC"])
def test_a_bad_model_temperature_names_the_spec_key(tmp_path, temperature):
    """`model: {temperature: 45}` exited 2 naming `--temperatures`, an option of
    `hemcell eis` the user never gave; `25,35degC` fitted at 25 degC without a word."""
    with pytest.raises(InputError) as exc:
        make_problem(_spec(tmp_path, temperature))
    assert exc.value.field == "model.temperature"


@pytest.mark.parametrize(("temperature", "kelvin"), [("45 degC", 318.15), ("318.15K", 318.15)])
def test_a_model_temperature_with_a_unit_is_read(tmp_path, temperature, kelvin):
    assert make_problem(_spec(tmp_path, temperature)).temperature_K == pytest.approx(kelvin)
