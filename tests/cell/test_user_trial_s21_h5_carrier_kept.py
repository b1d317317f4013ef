"""User trial s21 (H5): ``--set reference_ion_radius`` made a Na cathode a Li one.

``hemcell cell run cathode_half_cell_sp --params cathode_he_nvpf --set
reference_ion_radius=0.076nm`` ran a Li half cell (Li metal, 1 M LiPF6) with the NVPF's
couple potentials, which are on the Na+/Na scale (docs/cathodes.md "Limits": nothing on
the Li+/Li scale): 118.4 mAh/g at a mean 4.09 V "vs Li", without a word, where ``--ion
Li`` is refused. A value that makes the set's carrier another ion is refused (exit 2) in
every cell of the set and in ``params export``; the carrier's own radius still runs.
"""

import pytest

from hemcell.cli.main import main

NVPF = "cathode_he_nvpf"
LI = "reference_ion_radius=0.076nm"


@pytest.mark.parametrize("argv", [
    ["cell", "run", "cathode_half_cell_sp", "--params", NVPF, "--protocol",
     "Charge at 1C until 4.3 V", "--no-plots"],
    ["cell", "run", "hc_full_cell_na_nvpf", "--params", NVPF, "--protocol",
     "Charge at 1C until 4.3 V", "--no-plots"],
    ["params", "export", NVPF, "--format", "pybamm"],
    ["params", "export", NVPF, "--format", "bpx-partial"],
])
def test_another_carrier_by_radius_is_refused(tmp_path, capsys, argv):
    assert main([*argv, "--set", LI, "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "--set reference_ion_radius: got '7.6e-11 m'; allowed: the radius of Na+" in err
    assert "on the Na+/Na scale" in err
    assert not (tmp_path / "o").exists()


def test_the_carriers_own_radius_runs(tmp_path):
    assert main(["cell", "run", "cathode_half_cell_sp", "--params", NVPF, "--protocol",
                 "Charge at 1C until 4.3 V", "--no-plots", "--set",
                 "reference_ion_radius=0.102nm", "--out", str(tmp_path / "o")]) == 0
