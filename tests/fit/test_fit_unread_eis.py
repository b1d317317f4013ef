"""A fit of a spectrum refuses values its cell's model does not read (they only gave a
singular Jacobian): hemcell.workflows.fit.load_spec via eis.check_overrides."""

from __future__ import annotations

import pytest

from hemcell.errors import InputError
from hemcell.resources import repo_root
from hemcell.workflows.fit import load_spec

DATA = repo_root() / "examples" / "data" / "synthetic_eis_li_li_bare.csv"
RCT = "symmetric_cell_charge_transfer_resistance"


def _spec(tmp_path, fitted: str, unit: str, sets: list[str] | None = None):
    text = (f"model:\n  command: eis symmetric\n  anode: bare\n"
            f"  set: {sets or []}\n"
            f"data:\n  - file: {DATA}\n"
            f"fit:\n  parameters:\n"
            f"    {RCT}: {{initial: 40 ohm, bounds: [5 ohm, 500 ohm], scale: log}}\n"
            f"    {fitted}: {{initial: 1 {unit}, bounds: [0.1 {unit}, 10 {unit}]}}\n"
            f"objective:\n  signal: impedance\n")
    path = tmp_path / "spec.yaml"
    path.write_text(text)
    return path


def test_a_coating_value_fitted_on_bare_li_is_refused(tmp_path):
    """coating_thickness on bare Li||Li: refused naming fit.parameters (it ran to a singular
    Jacobian); the shipped two-value spec still loads."""
    with pytest.raises(InputError, match=r"fit\.parameters") as err:
        load_spec(_spec(tmp_path, "coating_thickness", "nm"))
    assert "coating_thickness" in str(err.value)
    spec = load_spec(repo_root() / "examples" / "fits" / "eis_li_li_2param.yaml")
    assert spec.parameters[0].name == RCT


def test_a_fixed_value_the_model_does_not_read_is_refused(tmp_path):
    """model.set coating_thickness on bare Li||Li: refused (held fixed, never read)."""
    with pytest.raises(InputError, match="coating_thickness"):
        load_spec(_spec(tmp_path, "li_double_layer_capacity", "F/m**2",
                        sets=["coating_thickness=20 nm"]))
