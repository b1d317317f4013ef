"""Transient moving-boundary runs: serial and 2 MPI ranks give the same metrics."""

from __future__ import annotations

import numpy as np
import pytest

from tests.surface.conftest import require_fenicsx, run_mpi_case


@pytest.mark.mpi
def test_transient_serial_and_two_ranks_agree(tmp_path):
    """60 s of growth (bare sinusoid, coated nucleus; no remeshing in this window)."""
    require_fenicsx()
    serial = run_mpi_case("tests.surface.mpi_transient_case", 1, tmp_path / "serial.json")
    parallel = run_mpi_case("tests.surface.mpi_transient_case", 2, tmp_path / "parallel.json")
    for name, ms in serial.items():
        mp = parallel[name]
        assert ms["mpi_ranks"] == 1 and mp["mpi_ranks"] == 2
        assert ms["steps"] == mp["steps"] and ms["remeshes"] == mp["remeshes"] == 0
        for key in ("amplitude_growth_rate_per_s", "final_amplitude_m",
                    "final_current_focusing_factor",
                    "final_min_surface_concentration_mol_per_m3"):
            np.testing.assert_allclose(mp[key], ms[key], rtol=1e-7, err_msg=key)
        assert mp["li_volume_conservation_error"] < 1e-10
