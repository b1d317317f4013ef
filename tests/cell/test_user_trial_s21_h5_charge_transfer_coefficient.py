"""User trial s21 (H5): ``--set cathode_charge_transfer_coefficient`` changed nothing.

``hemcell cell run cathode_half_cell_p2d --params cathode_he_nvpf --set
cathode_charge_transfer_coefficient=0.75`` ran and gave the 0.5 cell's capacities and mean
voltages to the last digit: every cell of a cathode set uses PyBaMM's symmetric
Butler-Volmer 2 j0 sinh(F eta/2RT) (its default kinetics; the HEM full cell's own cathode
reaction is the same), which ignores the "Positive electrode charge transfer coefficient"
it was handed. A value other than 0.5 is refused (exit 2) before anything runs or is
written, in the half cell, vs hard carbon, vs a HEM anode (its cathode set's file) and in
the PyBaMM export; 0.5 runs as before.
"""

import pytest

from hemcell.cli.main import main

NVPF = "cathode_he_nvpf"


@pytest.mark.parametrize("argv", [
    ["cell", "run", "cathode_half_cell_sp", "--params", NVPF, "--protocol",
     "Charge at 1C until 4.3 V", "--no-plots"],
    ["cell", "run", "hc_full_cell_na_nvpf", "--params", NVPF, "--protocol",
     "Charge at 1C until 4.3 V", "--no-plots"],
    ["params", "export", NVPF, "--format", "pybamm"],
])
def test_another_alpha_is_refused(tmp_path, capsys, argv):
    assert main([*argv, "--set", "cathode_charge_transfer_coefficient=0.75",
                 "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "cathode_charge_transfer_coefficient: got '0.75'; allowed: 0.5" in err
    assert "symmetric Butler-Volmer" in err
    assert not (tmp_path / "o").exists()


def test_a_hem_full_cell_refuses_a_cathode_file_with_another_alpha(tmp_path, capsys):
    from pathlib import Path

    import yaml

    from hemcell.params import load_parameter_set

    src = Path(load_parameter_set("cathode_hepba_femnnicuco").path)
    data = yaml.safe_load(src.read_text())
    data["name"] = "pba_alpha"
    data["parameters"]["cathode_charge_transfer_coefficient"]["value"] = 0.3
    path = tmp_path / "pba_alpha.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    from hemcell.cell.recipes import models_dir

    recipe = yaml.safe_load((models_dir() / "hem_full_cell_na_pba.yaml").read_text())
    recipe["cathode"] = str(path)
    recipe_path = tmp_path / "recipe.yaml"
    recipe_path.write_text(yaml.safe_dump(recipe))
    assert main(["cell", "run", str(recipe_path), "--params", "heo_rocksalt_mgconicuzn",
                 "--ion", "Na", "--protocol", "Charge at C/5 until 4.0 V", "--no-plots",
                 "--out", str(tmp_path / "o")]) == 2
    assert "cathode_charge_transfer_coefficient: got '0.3'" in capsys.readouterr().err


def test_one_half_runs(tmp_path):
    assert main(["cell", "run", "cathode_half_cell_sp", "--params", NVPF, "--protocol",
                 "Charge at 1C until 4.3 V", "--no-plots", "--set",
                 "cathode_charge_transfer_coefficient=0.5", "--out", str(tmp_path / "o")]) == 0
