"""Transient moving-boundary runs: serial and 2 MPI ranks give the same metrics."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from tests.surface.conftest import require_fenicsx

ROOT = Path(__file__).resolve().parents[2]


def _run(n: int, out: Path) -> dict:
    mpiexec = Path(sys.executable).parent / "mpiexec"
    cmd = [str(mpiexec), "-n", str(n), sys.executable, "-m", "tests.surface.mpi_transient_case",
           str(out)]
    env = dict(os.environ, OMP_NUM_THREADS="1")
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(out.read_text())


@pytest.mark.mpi
def test_transient_serial_and_two_ranks_agree(tmp_path):
    """60 s of growth (bare sinusoid, coated nucleus; no remeshing in this window)."""
    require_fenicsx()
    if not (Path(sys.executable).parent / "mpiexec").exists():
        if os.environ.get("CI") == "true":
            pytest.fail("mpiexec not found next to the Python interpreter")
        pytest.skip("mpiexec not available")
    serial = _run(1, tmp_path / "serial.json")
    parallel = _run(2, tmp_path / "parallel.json")
    for name, ms in serial.items():
        mp = parallel[name]
        assert ms["mpi_ranks"] == 1 and mp["mpi_ranks"] == 2
        assert ms["steps"] == mp["steps"] and ms["remeshes"] == mp["remeshes"] == 0
        for key in ("amplitude_growth_rate_per_s", "final_amplitude_m",
                    "final_current_focusing_factor",
                    "final_min_surface_concentration_mol_per_m3"):
            np.testing.assert_allclose(mp[key], ms[key], rtol=1e-7, err_msg=key)
        assert mp["li_volume_conservation_error"] < 1e-10
