"""``hemcell fit``: fit a model to measured curves (mounted by ``hemcell.cli``)."""

from __future__ import annotations

import math
import shlex
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from hemcell.cli.options import NoPlotsOption, OutOption, OverwriteOption

if TYPE_CHECKING:
    from hemcell.workflows.fit import FitSpec


def with_active_mass(spec: FitSpec, text: str | None) -> FitSpec:
    """``spec`` with ``--active-mass`` (a mass such as ``1.2 mg``, or ``recipe``) as the
    ``active_mass`` of every data set that gives none (also in the spec that run.json
    records); a data set's own key wins.

    Raises
    ------
    InputError
        A value that is not a positive mass or ``recipe``, or a model command without
        absolute currents and capacities (the spec key's rules), naming ``--active-mass``.
    """
    from hemcell.errors import InputError
    from hemcell.workflows.fit import _active_mass

    if text is None:
        return spec
    try:
        mass = _active_mass({"active_mass": text}, 0, spec.model["command"])
    except InputError as exc:
        raise InputError("--active-mass", text, exc.allowed, hint=exc.hint) from None
    for d, entry in zip(spec.data, spec.raw["data"], strict=True):
        if d.active_mass is None:
            d.active_mass = mass
            entry["active_mass"] = text  # the spec as run, for run.json
    return spec


def app(
    spec: Annotated[Path, typer.Argument(help="Fit spec (YAML): model, data, fit, objective.")],
    out: OutOption,
    workers: Annotated[int, typer.Option(
        "--workers", min=1, help="Multistart runs at once (processes).")] = 1,
    executor: Annotated[str, typer.Option("--executor", help="local | dask")] = "local",
    active_mass: Annotated[str | None, typer.Option(
        "--active-mass", help="Active mass that absolute currents and capacities (mA, mAh) "
        "act on, e.g. '1.2 mg', or 'recipe' (the model's electrode): the active_mass of "
        "every data set that gives none.")] = None,
    overwrite: OverwriteOption = False,
    no_plots: NoPlotsOption = False,
) -> None:
    """Fit parameters to measured data; write fit.json, fitted_parameters.yaml, fit.png,
    profiles.png (unless the spec says profile: false) and run.json (docs/fitting.md)."""
    from hemcell.errors import InputError
    from hemcell.workflows.fit import FitProgress, fit, load_spec, write_outputs

    if executor not in ("local", "dask"):
        raise InputError("--executor", executor, "local or dask")
    result = fit(with_active_mass(load_spec(spec), active_mass), workers=workers,
                 executor=executor, progress=FitProgress())
    record = write_outputs(result, out, command=sys.argv, plots_on=not no_plots)
    for name, e in record["parameters"].items():
        lo, hi = e["ci95"]
        ends = [f"{v:.4g}" + (" (bound)" if math.isclose(v, b, rel_tol=1e-9) else "")
                for v, b in zip((lo, hi), e["bounds"], strict=True)] if None not in (lo, hi) \
            else None
        ci = f"[{ends[0]}, {ends[1]}]" if ends else "[not bounded]"
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
    command = result.problem.spec.model["command"]
    typer.echo(f"predict with: hemcell {command} {shlex.join(record['use_with'])} (and the "
               "protocol, temperature or rate to predict at)")
