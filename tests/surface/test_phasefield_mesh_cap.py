"""Phase-field mesh cap (user trial): a 10 nm interface on the default 20 um cell is a
1366 x 1366 mesh (5.6e6 DOFs, 3.7e6 triangles), ~9 min per step on this machine and days
for a run. It is refused before anything runs (exit 2, naming phasefield_interface_width,
the mesh and the DOF cap with the measured cost); the default mesh is unchanged.

The cap is per MPI rank (each process holds its share of the mesh, Jacobian and
factors): on N ranks a mesh of up to N x 1e6 DOFs starts, and the refusal names the
ranks, the cap per rank and the time per step divided by N. Before, the cap and the
message were one rank's on any number of ranks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from hemcell.cli.main import main
from hemcell.errors import InputError
from hemcell.surface import phasefield
from hemcell.surface.phasefield import MAX_DOFS_PER_RANK, mesh_dof_cap
from hemcell.workflows.phasefield import resolve_phasefield


def test_the_default_mesh_is_unchanged_and_below_the_cap():
    p, _ = resolve_phasefield("bare")
    assert p.mesh_divisions == (55, 55)
    assert p.dofs == 9408  # docs/phasefield.md example: 9 408 DOFs
    assert p.dofs < MAX_DOFS_PER_RANK


def test_a_10_nm_interface_is_refused_with_the_mesh_it_would_need(tmp_path, capsys):
    code = main(["surface", "phasefield", "--case", "bare", "--out", str(tmp_path / "pf"),
                 "--set", "phasefield_interface_width=10nm"])
    err = capsys.readouterr().err
    assert code == 2
    assert "phasefield_interface_width" in err and "1366 x 1366" in err
    assert "5.61e+06 DOFs" in err and "at most 1e+06 DOFs on one rank" in err
    assert not (tmp_path / "pf").exists()


def test_the_width_named_in_the_hint_fits():
    """The smallest width the hint names is accepted; 5 % narrower is refused."""
    p, _ = resolve_phasefield("bare")
    w = p._smallest_width_m(1)
    assert p.replace(interface_width_m=w).dofs <= MAX_DOFS_PER_RANK
    with pytest.raises(InputError) as err:
        p.replace(interface_width_m=0.95 * w)
    assert err.value.field == "phasefield_interface_width"


def test_the_cap_is_per_rank(monkeypatch):
    """On 2 ranks a 20 nm interface (683 x 683 squares, 1.4e6 DOFs) starts; 10 nm (5.6e6)
    is refused naming the 2 ranks, the cap per rank, the DOFs per rank and the one-rank
    time per step halved; the width the hint names fits on 2 ranks, 5 % narrower not."""
    assert mesh_dof_cap(1) == MAX_DOFS_PER_RANK and mesh_dof_cap(2) == 2 * MAX_DOFS_PER_RANK
    p, _ = resolve_phasefield("bare")
    with pytest.raises(InputError):
        p.replace(interface_width_m=20e-9)  # one rank: 1.4e6 > 1e6
    monkeypatch.setattr(phasefield, "mpi_world_ranks", lambda: 2)
    q = p.replace(interface_width_m=20e-9)
    assert q.mesh_divisions == (683, 683) and MAX_DOFS_PER_RANK < q.dofs <= mesh_dof_cap(2)
    with pytest.raises(InputError) as err:
        p.replace(interface_width_m=10e-9)
    msg = str(err.value)
    assert "at most 2e+06 DOFs on 2 MPI ranks (1e+06 per rank)" in msg
    assert "5.61e+06 DOFs, 2.8e+06 per rank" in msg
    dofs = 3 * 1367**2  # 1366 x 1366 squares
    assert f"about {phasefield.STEP_TIME_PER_DOF_S * dofs / 2:.3g} s per step" in msg  # 273 s
    assert "divided by 2" in msg
    w = p._smallest_width_m(2)
    assert w == pytest.approx(p._smallest_width_m(1) / 2**0.5)
    assert f"{w:.3g} m" in err.value.hint
    assert p.replace(interface_width_m=w).dofs <= mesh_dof_cap(2)
    with pytest.raises(InputError):
        p.replace(interface_width_m=0.95 * w)


@pytest.mark.mpi
def test_the_refusal_under_mpiexec_names_the_ranks(tmp_path):
    """``mpiexec -n 2 hemcell surface phasefield --set phasefield_interface_width=10nm``:
    exit 2 before anything is meshed, the message on 2 ranks."""
    mpiexec = Path(sys.executable).parent / "mpiexec"
    if not mpiexec.exists():
        pytest.skip("mpiexec not available")
    out = tmp_path / "pf"
    proc = subprocess.run(
        [str(mpiexec), "-n", "2", sys.executable, "-m", "hemcell", "surface", "phasefield",
         "--case", "bare", "--out", str(out), "--set", "phasefield_interface_width=10nm"],
        capture_output=True, text=True, timeout=300,
        env=dict(os.environ, OMP_NUM_THREADS="1"))
    assert proc.returncode == 2, proc.stderr[-2000:]
    assert "at most 2e+06 DOFs on 2 MPI ranks (1e+06 per rank)" in proc.stderr
    assert not out.exists()
