"""User trial (session 14): ``hemcell surface`` under ``mpiexec -n 2`` printed each
refusal once per rank; ``--case coated --set coating_thickness=0`` was refused by the
registry's bound alone, without saying that a zero coating is the bare case."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

import hemcell.cli.surface as surface_cli
from hemcell.cli.main import main
from tests.surface.conftest import ROOT


@pytest.mark.parametrize("args", [
    ["run", "--case", "coated", "--set", "coating_thickness=0"],
    ["run", "--case", "coated_thin", "--set", "coating_thickness=0nm"],
    ["compare", "--set", "coating_thickness=0um"],
    ["seeds", "--set", "coating_thickness=0 nm"],
    ["phasefield", "--case", "both", "--set", "coating_thickness=0nm"],
])
def test_a_zero_coating_is_refused_as_the_bare_case(tmp_path, capsys, args):
    code = main(["surface", *args, "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert code == 2
    assert "--set coating_thickness: got" in err and "(0, 1e-05] m" in err
    assert "a zero coating is the bare case: run --case bare" in err
    assert not (tmp_path / "o").exists()


def test_a_zero_coating_on_the_bare_case_says_it_has_none(tmp_path, capsys):
    code = main(["surface", "run", "--case", "bare", "--set", "coating_thickness=0nm",
                 "--out", str(tmp_path / "o")])
    assert code == 2
    assert "--case bare has no coating" in capsys.readouterr().err


def test_a_positive_coating_is_not_refused_by_the_zero_check():
    surface_cli._refuse_zero_coating(["coating_thickness=28nm", "ambient_temperature=0degC"])
    surface_cli._refuse_zero_coating(None)


def test_a_rank_other_than_0_exits_with_the_code_and_prints_nothing(tmp_path, capsys,
                                                                      monkeypatch):
    monkeypatch.setattr(surface_cli, "_mpi_rank", lambda: 1)
    for args in (["run", "--case", "nope"], ["rn"],
                 ["run", "--case", "coated", "--set", "coating_thickness=0"]):
        assert main(["surface", *args, "--out", str(tmp_path / "o")]) == 2
        captured = capsys.readouterr()
        assert captured.err == "" and captured.out == ""
    monkeypatch.setattr(surface_cli, "_mpi_rank", lambda: 0)
    assert main(["surface", "run", "--case", "nope", "--out", str(tmp_path / "o")]) == 2
    assert "--case: got 'nope'" in capsys.readouterr().err


@pytest.mark.mpi
@pytest.mark.parametrize("args", [
    ["run", "--case", "coated", "--set", "coating_thickness=0um"],
    ["run", "--case", "coated", "--set", "coating_thickness=5um"],  # the trough fold
    ["rn"],
])
def test_under_mpiexec_a_refusal_is_printed_once_and_every_rank_exits_2(tmp_path, args):
    pytest.importorskip("mpi4py")
    mpiexec = Path(sys.executable).parent / "mpiexec"
    if not mpiexec.exists():
        pytest.skip("mpiexec not available")
    command = shlex.join([sys.executable, "-m", "hemcell", "surface", *args,
                          "--out", str(tmp_path / "o")])
    proc = subprocess.run([str(mpiexec), "-n", "2", "sh", "-c", f'{command}; echo "exit=$?"'],
                          cwd=ROOT, env=dict(os.environ, OMP_NUM_THREADS="1"),
                          capture_output=True, text=True, timeout=300)
    assert proc.stdout.count("exit=2") == 2, (proc.stdout, proc.stderr)
    assert proc.stderr.count("rror") == 1, proc.stderr  # 'error:' or click's 'Error:'
