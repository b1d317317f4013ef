"""Under ``mpiexec -n 2`` a Python error that is no hemcell error (a bug) was printed by
every rank that met it ("error: unexpected ..." twice); a rank that met it alone printed it
and then the job hung (the other rank waited in a collective call, the failing one in
MPI_Finalize). Now rank 0 prints it once when every rank met it, every rank exits 1; a rank
that met it alone prints it and ends all ranks (MPI_Abort)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import hemcell.cli.surface as surface_cli
import hemcell.workflows.surface as ws
from hemcell.cli.main import main
from tests.surface.conftest import ROOT

UNEXPECTED = "error: unexpected KeyError: 'an injected bug'"


def _bug(*_args, **_kwargs):
    return {}["an injected bug"]


@pytest.mark.parametrize(("rank", "printed"), [(0, True), (1, False)])
def test_one_process_as_rank_0_or_another(tmp_path, capsys, monkeypatch, rank, printed):
    """One process (every rank failed: there is no other): rank 0 prints, another rank
    exits 1 in silence."""
    monkeypatch.setattr(ws, "run_case", _bug)
    monkeypatch.setattr(surface_cli, "_mpi_rank", lambda: rank)
    code = main(["surface", "run", "--case", "bare", "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert code == 1
    assert (UNEXPECTED in err) is printed and (err == "") is not printed


def _mpiexec(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    pytest.importorskip("mpi4py")
    mpiexec = Path(sys.executable).parent / "mpiexec"
    if not mpiexec.exists():
        pytest.skip("mpiexec not available")
    command = " ".join([sys.executable, "-m", "tests.surface.mpi_unexpected_error_case",
                        *args[:2], str(tmp_path / "o"), *args[2:]])
    return subprocess.run([str(mpiexec), "-n", "2", "sh", "-c", f'{command}; echo "exit=$?"'],
                          cwd=ROOT, env=dict(os.environ, OMP_NUM_THREADS="1"),
                          capture_output=True, text=True, timeout=300)


@pytest.mark.mpi
@pytest.mark.parametrize(("flags", "once"), [((), UNEXPECTED), (("--debug",), "Traceback")])
def test_a_bug_on_every_rank_is_printed_once_and_every_rank_exits_1(tmp_path, flags, once):
    """The ranks tell each other and return as soon as both have heard; the wait is
    raised to 300 s here so that a busy machine, starting one rank well after the other,
    cannot turn this case into "failed alone" (no test may depend on load)."""
    proc = _mpiexec(tmp_path, "0,1", "300", *flags)
    assert proc.stdout.count("exit=1") == 2, (proc.stdout, proc.stderr)
    assert proc.stderr.count(once) == 1, proc.stderr
    assert proc.stderr.count("KeyError") == 1, proc.stderr
    assert "failed alone" not in proc.stderr


@pytest.mark.mpi
@pytest.mark.parametrize("failing", ["0", "1"])
def test_a_bug_on_one_rank_is_printed_once_and_ends_every_rank(tmp_path, failing):
    """The other rank waits in a barrier: after FAILURE_WAIT_S (2 s here) the failing rank
    prints the error and ends the job (before: printed, then the job hung)."""
    proc = _mpiexec(tmp_path, failing, "2")
    assert proc.returncode != 0, (proc.stdout, proc.stderr)
    assert proc.stderr.count(UNEXPECTED) == 1, proc.stderr
    assert f"rank {failing} of 2 failed alone: ending all ranks" in proc.stderr


def test_unread_bytes_of_a_pipe_a_file_and_a_closed_descriptor(tmp_path):
    """What ``mpiexec`` has not yet read from a rank's stdout/stderr pipe: counted on the
    writing end; a file (nothing is lost there) and a bad descriptor count as read."""
    read_end, write_end = os.pipe()
    try:
        os.write(write_end, b"rank 0 of 2 failed alone\n")
        assert surface_cli._unread_bytes(write_end) == 25
        os.read(read_end, 10)
        assert surface_cli._unread_bytes(write_end) == 15
    finally:
        os.close(read_end)
        os.close(write_end)
    with open(tmp_path / "log", "wb") as f:
        f.write(b"kept")
        f.flush()
        assert surface_cli._unread_bytes(f.fileno()) == 0
    assert surface_cli._unread_bytes(write_end) == 0


def test_the_abort_waits_until_the_pipe_is_read_and_no_longer():
    """Before ``MPI_Abort`` the rank waits for its output to be read (a reader that starts
    late still gets every byte), and gives up after the wait when nobody reads."""
    import threading

    read_end, write_end = os.pipe()
    got = bytearray()
    start = threading.Event()

    def reader() -> None:
        start.wait()
        while len(got) < 4096:
            got.extend(os.read(read_end, 4096 - len(got)))

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        os.write(write_end, b"e" * 4096)
        surface_cli._wait_until_read((write_end,), 0.0)
        assert surface_cli._unread_bytes(write_end) == 4096  # nobody read: gave up
        start.set()
        surface_cli._wait_until_read((write_end,), 300.0)
        assert surface_cli._unread_bytes(write_end) == 0
        thread.join(timeout=300)
        assert bytes(got) == b"e" * 4096
    finally:
        start.set()
        os.close(read_end)
        os.close(write_end)
