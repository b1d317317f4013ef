"""A fast-path chunk run as a Dask task (``run_fast_chunk(..., worker=True)``) is outside
the ``hemcell sweep`` command's :func:`hemcell.runinfo.one_command`, so it opens its own:
each distinct warning once per chunk, and a library's Python warning as one
``warning: <Category>: <message>`` line. Before, a 4-point ``hem_full_cell_na_pba`` sweep
(2 temperatures x 2 rates, ``--executor dask --workers 2``) printed the electrolyte's
temperature warning 12 times and PyBaMM's ``SolverWarning`` with its file, line number
and source line; the local executor, inside the command's scope, printed it twice."""

from __future__ import annotations

import warnings
from types import SimpleNamespace

import pytest

import hemcell.sweep.commands as commands
from hemcell.runinfo import report_warnings
from hemcell.sweep.run import run_fast_chunk


class _Fast:
    def solve(self, spec, points, threads):
        for _ in points:  # every point says the same, as a model's points do
            report_warnings(["the electrolyte table is at 298.15 K"])
            warnings.warn("extrapolation occurred", UserWarning, stacklevel=1)
        return [{"x": 1.0} for _ in points]


@pytest.fixture
def fast_command(monkeypatch):
    monkeypatch.setattr(commands, "resolve_command",
                        lambda name, field="command": SimpleNamespace(fast_path=_Fast))


def test_worker_chunk_says_each_warning_once_on_one_line(fast_command, capsys):
    out = run_fast_chunk(SimpleNamespace(command="fake"), [1, 2, 3], 1, worker=True)
    assert [o["status"] for o in out] == ["ok"] * 3
    err = capsys.readouterr().err.splitlines()
    assert err == ["warning: the electrolyte table is at 298.15 K",
                   "warning: UserWarning: extrapolation occurred"]


@pytest.mark.filterwarnings("ignore:extrapolation occurred:UserWarning")
def test_local_chunk_leaves_the_scope_to_the_command(fast_command, capsys):
    """Without ``worker`` (the local executor, inside the command's scope) the chunk
    opens none: outside any scope each report is printed, as before."""
    run_fast_chunk(SimpleNamespace(command="fake"), [1, 2], 1)
    err = capsys.readouterr().err
    assert err.count("warning: the electrolyte table is at 298.15 K") == 2
