"""User trial S20 (cathodes): `hemcell cell run cathode_half_cell_sp --params
cathode_hepba_femnnicuco --set cathode_thickness=1nm` ran a 1 nm electrode of 0.59 um
particles and printed the 68 um electrode's 115.4 mAh/g (per gram nothing moved); the
anode's particle-fit check (hemcell.cell.parameters.check_particle_fits) had no cathode
counterpart."""

from __future__ import annotations

import pytest

from hemcell.cli.main import main
from hemcell.errors import InputError
from hemcell.workflows.cathode_half_cell import cathode_values

PROTOCOL = "Charge at C/5 until 4.2 V; Discharge at C/5 until 2.0 V"


@pytest.mark.parametrize("argv", [
    ["cell", "run", "cathode_half_cell_sp", "--params", "cathode_hepba_femnnicuco",
     "--protocol", PROTOCOL, "--set", "cathode_thickness=1nm"],
    ["cell", "run", "hc_full_cell_na_nvpf", "--params", "cathode_he_nvpf", "--protocol",
     "Charge at C/10 until 4.2 V", "--set", "cathode_particle_radius=1mm"],
    ["eis", "cathode", "--set", "cathode_thickness=1um"]])
def test_a_cathode_thinner_than_its_particles_exits_2(tmp_path, capsys, argv):
    assert main([*argv, "--no-plots", "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "cathode_thickness: got '" in err
    assert "at least the particle diameter 2 x cathode_particle_radius" in err
    assert not (tmp_path / "o").exists()


def test_the_bound_is_the_particle_diameter():
    """0.59 um particles: 1.2 um of electrode is enough, 1.17 um is not."""
    cathode_values("cathode_hepba_femnnicuco", ["cathode_thickness=1.2um"],
                   "cathode_half_cell_sp")
    with pytest.raises(InputError, match=r"1\.18e-06 m"):
        cathode_values("cathode_hepba_femnnicuco", ["cathode_thickness=1.17um"],
                       "cathode_half_cell_sp")
