"""The phase-field model gives the same metrics on 1 and 2 MPI ranks."""

from __future__ import annotations

import numpy as np
import pytest

from tests.surface.conftest import require_fenicsx, run_mpi_case


@pytest.mark.mpi
def test_phasefield_serial_and_two_ranks_agree(tmp_path):
    require_fenicsx()
    import json

    from tests.surface.phasefield_case import main

    main(str(tmp_path / "serial.json"))  # in this process: one rank
    serial = json.loads((tmp_path / "serial.json").read_text())
    parallel = run_mpi_case("tests.surface.phasefield_case", 2, tmp_path / "parallel.json")
    for case, ms in serial.items():
        mp = parallel[case]
        assert ms["mpi_ranks"] == 1 and mp["mpi_ranks"] == 2
        assert ms["dofs"] == mp["dofs"] and ms["steps"] == mp["steps"]
        assert mp["branches"] == ms["branches"]
        for key in ("dendrite_index", "max_height_m", "mean_height_m", "roughness_rms_m",
                    "min_concentration_mol_per_m3", "far_potential_V",
                    "coating_tension_N_per_m"):
            np.testing.assert_allclose(mp[key], ms[key], rtol=1e-7, atol=1e-14, err_msg=key)
        assert ms["metal_volume_conservation_error"] < 1e-8
