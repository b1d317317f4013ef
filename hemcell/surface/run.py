"""Running surface cases from parameter sets: ``run`` and ``compare``.

Parameter resolution (later wins): ``surface_defaults`` → the material sets
``bare_li`` and ``azcnf_coated_li`` → ``--set`` overrides (applied to every set; a
name must be in the registry). Geometry lengths come from ``surface_defaults``; the
coating thickness from the coated set.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from hemcell.errors import InputError
from hemcell.surface.geometry import GEOMETRIES, GeometryKind, GeometrySpec
from hemcell.surface.parameters import (
    CASES,
    Case,
    Control,
    SurfaceParameters,
    geometry_from_si,
    surface_parameters_from_sets,
)

DEFAULT_SETS = {"defaults": "surface_defaults", "bare": "bare_li", "coated": "azcnf_coated_li"}


@dataclass(frozen=True)
class ResolvedCase:
    """Parameters, geometry and provenance of one case."""

    case: Case
    parameters: SurfaceParameters
    geometry: GeometrySpec
    record: dict[str, Any]


def resolve_case(
    case: str,
    geometry: str = "sinusoid",
    overrides: Sequence[str] = (),
    control: Control = "galvanostatic",
    sets: dict[str, str] | None = None,
) -> ResolvedCase:
    """Load the parameter sets, apply overrides and build parameters and geometry.

    Parameters
    ----------
    case
        ``bare``, ``coated`` (resolved coating) or ``coated_thin`` (thin-layer).
    geometry
        ``flat``, ``sinusoid`` or ``nucleus``.
    overrides
        ``KEY=VALUE`` strings (``--set``).
    control
        ``galvanostatic`` or ``potentiostatic``.
    sets
        Names or paths of the ``defaults``, ``bare`` and ``coated`` sets.
    """
    from hemcell.params import load_parameter_set

    if case not in CASES:
        raise InputError("--case", case, ", ".join(CASES))
    if geometry not in GEOMETRIES:
        raise InputError("--geometry", geometry, ", ".join(GEOMETRIES))
    names = dict(DEFAULT_SETS, **(sets or {}))
    loaded = {}
    for role, name in names.items():
        ps = load_parameter_set(name)
        if overrides:
            ps = ps.with_overrides(list(overrides))
        loaded[role] = ps
    si = {role: ps.si for role, ps in loaded.items()}
    params = surface_parameters_from_sets(si["defaults"], si["bare"], si["coated"],
                                          case, control)  # type: ignore[arg-type]
    h = params.coating_thickness_m if case == "coated" else 0.0
    geo: GeometryKind = geometry  # type: ignore[assignment]
    spec = geometry_from_si(si["defaults"], geo, h)
    record = {
        "case": case,
        "geometry": asdict(spec),
        "control": control,
        "overrides": list(overrides),
        "surface_parameters": asdict(params),
        "parameter_sets": {role: ps.record() for role, ps in loaded.items()},
    }
    return ResolvedCase(case, params, spec, record)  # type: ignore[arg-type]


def solve_case(
    rc: ResolvedCase,
    progress: Callable[[str], None] | None = None,
    band_is_electrolyte: bool = False,
    spec: GeometrySpec | None = None,
) -> Any:
    """Mesh and solve one resolved case; return the :class:`CoupledResult`."""
    from hemcell.surface.geometry import build_mesh
    from hemcell.surface.solver import solve_coupled

    spec = rc.geometry if spec is None else spec
    if progress:
        progress(f"{rc.case}: meshing {spec.kind} geometry")
    sm = build_mesh(spec, band_is_electrolyte=band_is_electrolyte)
    return solve_coupled(sm, rc.parameters, rc.case, progress=progress)


def run_case(
    case: str,
    geometry: str,
    overrides: Sequence[str],
    out_dir: Path,
    control: Control = "galvanostatic",
    progress: Callable[[str], None] | None = None,
    write_outputs: bool = True,
) -> dict[str, Any]:
    """``hemcell surface run``: solve one case and write metrics, run record, fields, maps."""
    from mpi4py import MPI

    from hemcell.runinfo import write_run_record, write_summary
    from hemcell.surface.metrics import compute_metrics
    from hemcell.surface.output import write_fields, write_maps

    rc = resolve_case(case, geometry, overrides, control)
    result = solve_case(rc, progress)
    metrics = compute_metrics(result)
    out_dir = Path(out_dir)
    comm = MPI.COMM_WORLD
    if comm.rank == 0:
        out_dir.mkdir(parents=True, exist_ok=True)
    comm.Barrier()
    if write_outputs:
        if progress:
            progress(f"{case}: writing fields and maps")
        write_fields(result, out_dir)
        write_maps(result, out_dir, title=f"{case} ({geometry})")
    if comm.rank == 0:
        write_summary(out_dir, metrics, filename="metrics.json")
        write_run_record(out_dir, rc.record)
    return metrics


def compare_cases(
    geometry: str,
    overrides: Sequence[str],
    out_dir: Path,
    control: Control = "galvanostatic",
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """``hemcell surface compare``: bare and coated on the same mesh and loading.

    The coated geometry (with its coating band) is meshed once per case with identical
    settings; for the bare case the band is electrolyte, so both cases use the same
    nodes and cells.
    """
    from mpi4py import MPI

    from hemcell.runinfo import write_json, write_run_record
    from hemcell.surface.metrics import compute_metrics
    from hemcell.surface.output import write_comparison_figure

    cases = {c: resolve_case(c, geometry, overrides, control) for c in ("bare", "coated")}
    spec = cases["coated"].geometry
    results = {
        "bare": solve_case(cases["bare"], progress, band_is_electrolyte=True, spec=spec),
        "coated": solve_case(cases["coated"], progress),
    }
    metrics = {c: compute_metrics(r) for c, r in results.items()}
    out_dir = Path(out_dir)
    comm = MPI.COMM_WORLD
    if comm.rank == 0:
        out_dir.mkdir(parents=True, exist_ok=True)
    comm.Barrier()
    if progress:
        progress("writing comparison figure")
    write_comparison_figure(results, out_dir)
    summary = {
        "geometry": geometry,
        "bare": metrics["bare"],
        "coated": metrics["coated"],
        "focusing_ratio_coated_to_bare": metrics["coated"]["current_focusing_factor"]
        / metrics["bare"]["current_focusing_factor"],
        "min_concentration_coated_minus_bare_mol_per_m3":
            metrics["coated"]["min_surface_concentration_mol_per_m3"]
            - metrics["bare"]["min_surface_concentration_mol_per_m3"],
    }
    if comm.rank == 0:
        write_json(out_dir / "comparison.json", summary)
        write_run_record(out_dir, {c: rc.record for c, rc in cases.items()})
    return summary
