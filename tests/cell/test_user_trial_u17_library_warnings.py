"""User trial u17: a library's Python warning is one ``warning:`` line on stderr.

``hemcell cell run cathode_half_cell_p2d --params cathode_hepba_femnnicuco --protocol
"Charge at 2C until 4.2 V"`` printed PyBaMM's warning in Python's raw display, two lines
with the installation path and the source line::

    /work/main/.venv/lib/python3.12/site-packages/pybamm/solvers/base_solver.py:1641:
    SolverWarning: While solving ... extrapolation occurred for [...]
      self.check_extrapolation(solution, model.events)

among hemcell's own ``warning:`` lines.
"""

from __future__ import annotations

import warnings

import typer

from hemcell.cli.main import run_app


class FakeSolverWarning(UserWarning):
    pass


def _app() -> typer.Typer:
    app = typer.Typer()

    @app.command()
    def go() -> None:
        for _ in range(3):  # the same warning from a loop: said once
            warnings.warn("extrapolation occurred for ['sigma_e upper bound']",
                          FakeSolverWarning, stacklevel=1)
        warnings.warn("another one", RuntimeWarning, stacklevel=1)

    @app.command()
    def other() -> None:
        pass

    return app


def test_a_library_warning_is_one_line_once(capsys):
    assert run_app(_app(), ["go"], "hemcell") == 0
    err = capsys.readouterr().err.splitlines()
    assert err == ["warning: FakeSolverWarning: extrapolation occurred for "
                   "['sigma_e upper bound']",
                   "warning: RuntimeWarning: another one"]


def test_the_display_is_restored_after_the_command():
    before = warnings.showwarning
    run_app(_app(), ["go"], "hemcell")
    assert warnings.showwarning is before
