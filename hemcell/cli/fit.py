"""``hemcell fit``: fit a model to measured curves (mounted by ``hemcell.cli``)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from hemcell.cli.options import NoPlotsOption, OutOption, OverwriteOption


def app(
    spec: Annotated[Path, typer.Argument(help="Fit spec (YAML): model, data, fit, objective.")],
    out: OutOption,
    workers: Annotated[int, typer.Option(
        "--workers", min=1, help="Multistart runs at once (processes).")] = 1,
    executor: Annotated[str, typer.Option("--executor", help="local | dask")] = "local",
    overwrite: OverwriteOption = False,
    no_plots: NoPlotsOption = False,
) -> None:
    """Fit parameters to measured data; write fit.json, fitted_parameters.yaml, fit.png,
    profiles.png (unless the spec says profile: false) and run.json (docs/fitting.md)."""
    from hemcell.errors import InputError
    from hemcell.workflows.fit import fit, load_spec, write_outputs

    if executor not in ("local", "dask"):
        raise InputError("--executor", executor, "local or dask")
    result = fit(load_spec(spec), workers=workers, executor=executor)
    record = write_outputs(result, out, command=sys.argv, plots_on=not no_plots)
    for name, e in record["parameters"].items():
        lo, hi = e["ci95"]
        ci = f"[{lo:.4g}, {hi:.4g}]" if lo is not None and hi is not None else "[not bounded]"
        typer.echo(f"{name} = {e['value']:.4g} {e['unit']}  95 % {ci}")
    quality = record["fit_quality"]
    if quality["acceptable"]:
        verdict = f"converged {record['converged']}"
    else:  # the optimizer may have stopped on its tolerance: that is not a good fit
        verdict = (f"optimizer stopped ({'converged' if record['converged'] else 'not converged'})"
                   f" but the fit is POOR: {len(quality['warnings'])} fit-quality warning(s)")
    typer.echo(f"rmse {record['rmse']:.4g} {record['rmse_unit']}, {verdict}, "
               f"{record['evaluations']} evaluations")
    for warning in record["warnings"]:
        typer.echo(f"warning: {warning}", err=True)
    figures = "" if no_plots else " fit.png," + (" profiles.png," if result.profiles else "")
    typer.echo(f"wrote {out}/fit.json, fitted_parameters.yaml,{figures} run.json")
