"""``hemcell surface``: the coated vs bare lithium surface model (FEniCSx).

Mounted by :mod:`hemcell.cli` as ``hemcell surface``. Importing this module does not
import DOLFINx, gmsh or PETSc; the commands do, and report a missing installation as
a :class:`~hemcell.errors.DependencyError`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from hemcell.errors import DependencyError, InputError

app = typer.Typer(
    help="Coated vs bare Li surface (2D FEniCSx): Li⁺ transport, deposition kinetics, stress.",
    no_args_is_help=True,
)

_Geometry = Annotated[str, typer.Option("--geometry", help="flat | sinusoid | nucleus")]
_Set = Annotated[list[str] | None, typer.Option(
    "--set", help="Override a parameter, e.g. --set coating_thickness=14nm (repeatable)")]
_Out = Annotated[Path, typer.Option("--out", help="Output folder")]
_Control = Annotated[str, typer.Option(
    "--control", help="galvanostatic (applied_current_density) | potentiostatic "
                      "(applied_potential)")]


def _require_fenicsx() -> None:
    try:
        import dolfinx_solver  # noqa: F401

        import dolfinx  # noqa: F401
        import gmsh  # noqa: F401
    except ImportError as exc:
        raise DependencyError(
            f"the surface model needs DOLFINx and gmsh ({exc})",
            hint="pip install 'hemcell[fem]' (Python >= 3.12)",
        ) from exc


def _control(value: str) -> str:
    if value not in ("galvanostatic", "potentiostatic"):
        raise InputError("--control", value, "galvanostatic, potentiostatic")
    return value


def _progress() -> tuple[object, object]:
    from mpi4py import MPI
    from rich.console import Console

    console = Console(stderr=True)
    if MPI.COMM_WORLD.rank != 0:
        return None, None
    status = console.status("starting", spinner="dots")
    status.start()

    def update(msg: str) -> None:
        status.update(msg)
        console.log(msg)

    return status, update


@app.command()
def run(
    case: Annotated[str, typer.Option("--case", help="bare | coated | coated_thin")],
    out: _Out,
    geometry: _Geometry = "sinusoid",
    set_: _Set = None,
    control: _Control = "galvanostatic",
) -> None:
    """Solve one case; write metrics.json, run.json, fields/ and PNG maps to --out."""
    _require_fenicsx()
    from hemcell.surface.run import run_case

    status, update = _progress()
    try:
        metrics = run_case(case, geometry, set_ or [], out, _control(control),
                           progress=update)  # type: ignore[arg-type]
    finally:
        if status is not None:
            status.stop()  # type: ignore[attr-defined]
    if update is not None:
        typer.echo(f"current_focusing_factor = {metrics['current_focusing_factor']:.4g}; "
                   f"results in {out}")


@app.command()
def compare(
    out: _Out,
    geometry: _Geometry = "sinusoid",
    set_: _Set = None,
    control: _Control = "galvanostatic",
) -> None:
    """Bare and coated on the same geometry, mesh and loading: comparison.json/.png."""
    _require_fenicsx()
    from hemcell.surface.run import compare_cases

    status, update = _progress()
    try:
        summary = compare_cases(geometry, set_ or [], out, _control(control),
                                progress=update)  # type: ignore[arg-type]
    finally:
        if status is not None:
            status.stop()  # type: ignore[attr-defined]
    if update is not None:
        typer.echo(
            f"focusing factor bare {summary['bare']['current_focusing_factor']:.4g}, "
            f"coated {summary['coated']['current_focusing_factor']:.4g}; results in {out}")
