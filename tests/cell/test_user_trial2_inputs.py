"""Second user trial: what a user typed is what runs, or the message says why not.

A ``--set`` key given twice, a Na/K full-cell recipe without ``--ion``, a constant-power
discharge to a cut-off near 0 V, and the activation energy of an impedance arc whose
process has no temperature law.
"""

from __future__ import annotations

import pytest

from hemcell.cli.main import main
from hemcell.errors import InputError

PARAMS = "heo_rocksalt_mgconicuzn"


def test_a_set_key_given_twice_is_refused_naming_both_values():
    """`--set k=a --set k=b` kept b without a word; the one parser refuses it."""
    from hemcell.params import load_parameter_set

    with pytest.raises(InputError) as exc:
        load_parameter_set(PARAMS).with_overrides(["anode_porosity=0.3",
                                                   "anode_porosity = 0.35"])
    assert exc.value.field == "--set"
    text = str(exc.value)
    assert "anode_porosity" in text and "0.3" in text and "0.35" in text


@pytest.mark.parametrize(("argv", "key"), [
    (["cell", "run", "hem_half_cell_sp", "--params", PARAMS,
      "--protocol", "Discharge at 1C until 0.01 V"], "anode_porosity"),
    (["limetal", "rate", "--anode", "coated"], "lfp_particle_diffusivity"),
    (["surface", "run", "--case", "coated", "--geometry", "nucleus"], "coating_thickness"),
])
def test_every_command_refuses_a_set_key_given_twice(tmp_path, capsys, argv, key):
    values = {"anode_porosity": ("0.3", "0.35"), "lfp_particle_diffusivity":
              ("1e-18m^2/s", "2e-18m^2/s"), "coating_thickness": ("14nm", "28nm")}[key]
    argv = [*argv, "--set", f"{key}={values[0]}", "--set", f"{key}={values[1]}",
            "--no-plots", "--out", str(tmp_path / "o")]
    assert main(argv) == 2
    captured = capsys.readouterr()
    err = captured.out + captured.err
    assert "--set" in err and key in err and values[0] in err and values[1] in err
    assert not (tmp_path / "o").exists() or not any((tmp_path / "o").iterdir())


@pytest.mark.parametrize(("recipe", "ion"), [("hem_full_cell_na_pba", "Na"),
                                             ("hem_full_cell_k_pba", "K")])
def test_a_na_or_k_full_cell_recipe_takes_its_cathode_ion(recipe, ion):
    """Without --ion the recipe ran as Li and was refused with "--ion: got 'Li'"
    although no --ion was typed: the cathode set carries exactly one ion, so it is the
    cell's; a different --ion typed is still refused naming the cathode's."""
    from hemcell.workflows.anode import resolve_model

    _, si, _, _ = resolve_model(recipe, PARAMS)
    assert si["_carrier_ion"] == ion
    with pytest.raises(InputError) as exc:
        from hemcell.workflows.anode import prepare_cell

        prepare_cell(recipe, PARAMS, "Charge at C/10 until 4.0 V", ion="Li")
    assert exc.value.field == "--ion" and f"--ion {ion}" in str(exc.value.hint)


def test_cell_run_says_which_ion_it_took_from_the_cathode(tmp_path, capsys):
    assert main(["cell", "run", "hem_full_cell_na_pba", "--params", PARAMS, "--protocol",
                 "Rest for 1 second", "--no-plots", "--out", str(tmp_path / "o")]) == 0
    out = capsys.readouterr().out
    assert "carrier ion Na" in out and "cathode_hepba_femnnicuco" in out


def test_power_discharge_to_zero_volts_does_not_blame_the_current(tmp_path, capsys):
    """'Discharge at 1 mW until 0.01 V' fails in IDA: the current P/V grows without bound
    as V falls; the hint says so and suggests a higher cut-off (it said 'try a smaller
    current')."""
    assert main(["cell", "run", "hem_half_cell_sp", "--params", PARAMS, "--protocol",
                 "Discharge at 1 mW until 0.01 V", "--no-plots",
                 "--out", str(tmp_path / "o")]) == 1
    captured = capsys.readouterr()
    err = captured.out + captured.err
    assert "smaller current" not in err
    assert "P/V" in err and "higher cut-off" in err


@pytest.mark.parametrize(("active", "law"), [
    ({"space_charge": 8.9, "intercalation": None}, False),
    ({"space_charge": 8.9, "intercalation": 168.6}, False),  # carries 5 % of the current
    ({"space_charge": None, "intercalation": 43.8}, True),
])
def test_an_arc_without_a_temperature_law_gets_no_activation_energy_line(active, law):
    """`hemcell eis anode --temperatures ...` printed 'Ea 2.98 kJ/mol' for the
    space-charge arc, which has no temperature law in the model: the line names the
    arc's process and says its Ea is not a law of the model (the number stays in
    summary.json)."""
    from hemcell.workflows.eis import result_lines

    summary = {"charge_transfer_resistance_ohm": {"heo": 8.47},
               "activation_energy_kJ_per_mol": {"heo": 3.20},
               "mechanism_charge_transfer_resistance_ohm": {"heo": {
                   "298.15": active, "308.15": active, "318.15": active}}}
    (line,) = result_lines(summary)
    arc = "space_charge" if not law else "intercalation"
    assert line.startswith("heo: R_ct 8.47 Ohm") and arc in line
    if law:
        assert "Ea 3.20 kJ/mol" in line
    else:
        assert "3.20" not in line and "not a law of the model" in line
