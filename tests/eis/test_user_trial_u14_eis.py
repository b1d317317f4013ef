"""User trial U14 of `hemcell eis`: the HEM anode with Na or K, and an arc no mechanism
carries."""

from __future__ import annotations

import numpy as np
import pytest

from hemcell.errors import InputError
from hemcell.workflows import eis


def test_the_anode_spectrum_takes_the_carrier_ion():
    """`hemcell eis anode --ion Na` was "No such option: --ion" while `cell run`, `cell
    cv` and `cell cycle-life` take it: the Na cell (its electrolyte and Na counter
    electrode) has another spectrum than the Li one."""
    f = np.logspace(-1, 5, 13)
    li = eis.cell_spectrum("anode", f, recipe="hem_half_cell_sp")
    na = eis.cell_spectrum("anode", f, recipe="hem_half_cell_sp", ion="Na")
    assert li.info["carrier_ion"] == "Li" and na.info["carrier_ion"] == "Na"
    assert not np.allclose(li.impedance_ohm, na.impedance_ohm, rtol=1e-3)
    assert na.info["li_counter_electrode_resistance_ohm"] != pytest.approx(
        li.info["li_counter_electrode_resistance_ohm"], rel=1e-3)


def test_ion_is_refused_for_the_li_metal_cells():
    with pytest.raises(InputError) as exc:
        eis.cell_spectrum("symmetric", [1.0, 10.0], ion="Na")
    assert exc.value.field == "--ion"


def test_cli_refuses_ion_without_cell_anode(tmp_path, capsys):
    from hemcell.cli.main import main

    assert main(["eis", "symmetric", "--ion", "K", "--out", str(tmp_path / "x")]) == 2
    err = capsys.readouterr().err
    assert "--ion" in err and "only with CELL anode" in err


def test_an_arc_no_mechanism_carries_is_said_so():
    """`eis anode --ion Na --soc 0.3` printed "(arc: ; no AC current: intercalation,
    ...)": every mechanism's R_k was null and space charge (no temperature law) was in
    neither list."""
    summary = {"mechanism_charge_transfer_resistance_ohm": {"heo": {"298.15": {
        "intercalation": None, "conversion": None, "space_charge": None,
        "irreversible": None, "gel_sei": None}}}}
    assert eis.arc_description(summary, "heo") == (
        "no mechanism carries AC current (intercalation, conversion, space_charge, "
        "irreversible, gel_sei)")


def test_a_fit_of_an_anode_spectrum_takes_the_ion(tmp_path):
    """`model: {command: eis anode, ion: Na}` in a fit spec: the same spectrum model."""
    from hemcell.resources import repo_root
    from hemcell.workflows.fit import load_spec

    data = repo_root() / "examples" / "data" / "synthetic_eis_li_li_bare.csv"
    path = tmp_path / "spec.yaml"
    path.write_text("model:\n  command: eis anode\n  recipe: hem_half_cell_sp\n"
                    "  params: heo_rocksalt_mgconicuzn\n  ion: Na\n"
                    f"data:\n  - file: {data}\n"
                    "fit:\n  parameters:\n    anode_double_layer_capacity:\n"
                    "      {initial: 0.1 F/m**2, bounds: [0.01 F/m**2, 1 F/m**2]}\n"
                    "objective:\n  signal: impedance\n")
    assert load_spec(path).model["ion"] == "Na"


def test_a_frequency_range_written_high_to_low_is_the_same_range():
    """`--frequencies 1e6:1e-2:10/decade` (an instrument's sweep, high to low) was refused
    ("0 < START < STOP") while a fit reads spectra in any order."""
    assert np.array_equal(eis.parse_frequencies("1e6:1e-2:10/decade"),
                          eis.parse_frequencies("1e-2:1e6:10/decade"))
    for text in ("1:1:10/decade", "-1:1e3:10/decade", "1e6:0:10/decade"):
        with pytest.raises(InputError):
            eis.parse_frequencies(text)
