"""Transient moving-boundary runs: serial and 2 MPI ranks give the same metrics.

Includes mechanics during growth, capillarity and a run with remeshing (the field
transfer between non-matching meshes is exact on any number of ranks).
"""

from __future__ import annotations

import numpy as np
import pytest

from tests.surface.conftest import require_fenicsx, run_mpi_case


@pytest.mark.mpi
def test_transient_serial_and_two_ranks_agree(tmp_path):
    """Bare sinusoid, coated nucleus (mechanics + capillarity) and a remeshed sinusoid."""
    require_fenicsx()
    serial = run_mpi_case("tests.surface.mpi_transient_case", 1, tmp_path / "serial.json")
    parallel = run_mpi_case("tests.surface.mpi_transient_case", 2, tmp_path / "parallel.json")
    for name, ms in serial.items():
        mp = parallel[name]
        assert ms["mpi_ranks"] == 1 and mp["mpi_ranks"] == 2
        assert ms["steps"] == mp["steps"] and ms["remeshes"] == mp["remeshes"]
        assert ms["remeshes"] >= (1 if name.endswith("remeshed") else 0)
        assert ms["mechanics_updates"] == mp["mechanics_updates"] > 0
        for key in ("amplitude_growth_rate_per_s", "final_amplitude_m",
                    "final_current_focusing_factor",
                    "final_min_surface_concentration_mol_per_m3",
                    "final_max_von_mises_li_Pa", "final_tip_normal_stress_Pa"):
            # 1e-14 without remeshing; with it ~1e-7 (measured 7.6e-8 on c_min): dofs of the
            # new mesh just outside the old one (by the sagitta of the resampled chords)
            # are extrapolated from the closest cell, which may be a neighbouring cell on
            # another partition
            rtol = 1e-6 if name.endswith("remeshed") else 1e-9
            np.testing.assert_allclose(mp[key], ms[key], rtol=rtol, err_msg=f"{name}: {key}")
        assert mp["metal_volume_conservation_error"] < 1e-10
