"""Serial and 2-rank MPI runs give the same metrics."""

from __future__ import annotations

import numpy as np
import pytest

from tests.surface.conftest import require_fenicsx, run_mpi_case


@pytest.mark.mpi
def test_serial_and_two_ranks_agree(tmp_path):
    require_fenicsx()
    serial = run_mpi_case("tests.surface.mpi_case", 1, tmp_path / "serial.json")
    parallel = run_mpi_case("tests.surface.mpi_case", 2, tmp_path / "parallel.json")
    for name, ms in serial.items():
        mp = parallel[name]
        assert ms["mpi_ranks"] == 1 and mp["mpi_ranks"] == 2
        assert ms["dofs"] == mp["dofs"]
        for key in ("current_focusing_factor", "mean_current_density_A_per_m2",
                    "min_surface_concentration_mol_per_m3", "coating_potential_drop_V",
                    "max_von_mises_li_Pa", "max_von_mises_coating_Pa", "tip_normal_stress_Pa"):
            np.testing.assert_allclose(mp[key], ms[key], rtol=1e-7, atol=1e-12, err_msg=key)
