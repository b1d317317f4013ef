"""``hemcell surface phasefield``: phase-field dendrite morphology, bare vs coated metal.

Parameter resolution (later wins): the surface model's sets for the metal
(``surface_defaults`` → bare/coated material set of ``--metal``, see
:func:`hemcell.workflows.surface.resolve_case`) give the metal, electrolyte, kinetics,
native-SEI field and coating; the phase-field set of the metal
(:data:`PHASEFIELD_SETS`) gives the interface, mobility, anisotropy, domain, loading and
time stepping; ``--set`` overrides apply to all of them, and a key the phase-field case
does not read is refused (exit 2) before anything is meshed
(:func:`hemcell.surface.phasefield.phasefield_parameter_uses`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from hemcell.errors import InputError
from hemcell.params.metal_sets import metal_sets
from hemcell.params.uses import expand, override_keys, refuse_unread

#: Metal (``--metal``) → the phase-field set.
PHASEFIELD_SETS: dict[str, str] = {"Li": "phasefield_li", "Zn": "phasefield_zn"}
READER = "`hemcell surface phasefield`"
#: ``--control``: plating at the set's current, or at the surface sets' applied potential.
CONTROLS: tuple[str, ...] = ("galvanostatic", "potentiostatic")


def phasefield_read_keys(case: str, control: str = "galvanostatic") -> list[str]:
    """Registry names one phase-field case reads (``both``: those either case reads)."""
    from hemcell.surface.phasefield import phasefield_parameter_uses

    cases = ("bare", "coated") if case == "both" else (case,)
    return list({k: None for c in cases for k in expand(phasefield_parameter_uses(c, control))})


#: Shape of the anisotropy a(θ) = 1 + δ cos m(θ − θ₀): read only when δ > 0.
ANISOTROPY_SHAPE_KEYS = ("phasefield_anisotropy_mode", "phasefield_anisotropy_angle")


def check_phasefield_overrides(case: str, overrides: Sequence[str] | None,
                               control: str = "galvanostatic") -> None:
    """Refuse (exit 2) a ``--set`` key the case does not read, naming close ones."""
    keys = override_keys(overrides)
    if keys:
        refuse_unread(keys, phasefield_read_keys(case, control), f"{READER} (case {case})")


def check_phasefield_set_keys(kwargs: Mapping[str, Any]) -> None:
    """:func:`check_phasefield_overrides` on a parsed argument list (sweep specs)."""
    check_phasefield_overrides(kwargs.get("case") or "bare", kwargs.get("set_") or [])


def flat_fill_time_s(p: Any) -> float | None:
    """Time a flat deposit of the applied current takes to reach
    ``max_height_fraction`` of the cell [s]: (f H − s₀) zF/(i V_m)
    (:func:`hemcell.surface.analytic.flat_fill_time_s`, all of the current plating);
    ``None`` under potentiostatic control (the current is the answer)."""
    from hemcell.laws import FARADAY_C_PER_MOL
    from hemcell.surface.analytic import flat_fill_time_s as fill_time_s

    if p.control != "galvanostatic":
        return None
    return fill_time_s(p.max_height_fraction * p.domain_height_m - p.initial_metal_height_m,
                       p.applied_current_density_A_per_m2,
                       p.charge_number * FARADAY_C_PER_MOL, p.metal_molar_volume_m3_per_mol)


def _check_fill_time(p: Any, field: str) -> None:
    """Refuse a duration over :data:`~hemcell.surface.analytic.FILL_TIME_FACTOR` ×
    :func:`flat_fill_time_s` (:func:`~hemcell.surface.analytic.refuse_duration_past_fill`)."""
    from hemcell.surface.analytic import refuse_duration_past_fill

    fill_s = flat_fill_time_s(p)
    if fill_s is None:
        return
    refuse_duration_past_fill(
        p.duration_s, fill_s, field,
        f"of {p.applied_current_density_A_per_m2 / 10:.4g} mA/cm2 reaches "
        f"phasefield_max_height_fraction {p.max_height_fraction:g} of the "
        f"{p.domain_height_m * 1e6:.3g} um cell",
        hint=f"--duration-s {fill_s:.3g} (or less) runs until the cell fills; a taller cell: "
             "--set phasefield_domain_height=...")


def resolve_phasefield(case: str, metal: str = "Li", overrides: Sequence[str] = (),
                       duration_s: float | None = None,
                       control: str = "galvanostatic",
                       coating_model: str | None = None,
                       checked_as: str | None = None) -> tuple[Any, dict[str, Any]]:
    """Parameters and provenance record of one phase-field case.

    ``coating_model`` (``--coating-model``), when given, replaces the set's
    ``phasefield_coating_region`` for the coated case. ``checked_as="both"``: the
    ``--set`` names are checked against what either case reads (``--case both``: a
    bare-only name is given to the coated case too, where it changes nothing).
    ``phasefield_anisotropy_mode``/``_angle`` are refused while the anisotropy strength
    is 0 (they would change nothing).

    Raises
    ------
    InputError
        Unknown case, metal, control or coating model, a coating model for the bare
        case, an unread ``--set`` key, a non-positive duration, a region coating thinner
        than the region rule.
    """
    from hemcell.params import load_parameter_set
    from hemcell.surface.phasefield import (
        COATING_MODELS,
        PHASEFIELD_CASES,
        phasefield_parameters,
    )
    from hemcell.workflows.surface import resolve_case

    if case not in PHASEFIELD_CASES:
        raise InputError("--case", case, " | ".join(PHASEFIELD_CASES))
    if control not in CONTROLS:
        raise InputError("--control", control, " | ".join(CONTROLS))
    if coating_model is not None:
        if coating_model not in COATING_MODELS:
            raise InputError("--coating-model", coating_model, " | ".join(COATING_MODELS))
        if case == "bare":
            raise InputError("--coating-model", coating_model, "only with --case coated|both",
                             hint="the bare metal has no coating")
    metal_sets(metal)
    if metal not in PHASEFIELD_SETS:
        raise InputError("--metal", metal, " | ".join(PHASEFIELD_SETS))
    if duration_s is not None and not 0 < duration_s < float("inf"):
        raise InputError("--duration-s", duration_s, "a positive, finite time [s]")
    check_phasefield_overrides(checked_as or case, overrides, control)
    rc = resolve_case(case, "flat", overrides, control, metal=metal,  # type: ignore[arg-type]
                      stack_pressure=False)
    pf = load_parameter_set(PHASEFIELD_SETS[metal])
    if overrides:
        pf = pf.with_overrides(list(overrides))
    p = phasefield_parameters(rc.parameters, pf.si, case, coating_model)
    if p.anisotropy_strength == 0:
        for key in override_keys(overrides):
            if key in ANISOTROPY_SHAPE_KEYS:
                raise InputError(f"--set {key}", "with phasefield_anisotropy_strength 0",
                                 "only with phasefield_anisotropy_strength > 0 (the "
                                 "anisotropy is off, so its symmetry and angle change "
                                 "nothing)",
                                 hint=f"--set phasefield_anisotropy_strength=... as well, "
                                      f"or leave out {key}")
    if duration_s is not None:
        p = p.replace(duration_s=float(duration_s))
    _check_fill_time(p, "--duration-s" if duration_s is not None else "phasefield_duration")
    record = {
        "command": "surface phasefield",
        "case": case,
        "metal": metal,
        "control": control,
        "coating_model": p.coating_model if case == "coated" else None,
        "overrides": list(overrides),
        "duration_s": duration_s,
        "phasefield_parameters": asdict(p),
        "parameter_sets": {**rc.record["parameter_sets"], "phasefield": pf.record()},
        "warnings": rc.record.get("warnings", []),
    }
    return p, record


def run_phasefield_case(case: str, out_dir: Path, metal: str = "Li",
                        overrides: Sequence[str] = (), duration_s: float | None = None,
                        progress: Callable[[str, float], None] | None = None,
                        plots_on: bool = True, control: str = "galvanostatic",
                        coating_model: str | None = None,
                        checked_as: str | None = None) -> dict[str, Any]:
    """Run one case and write ``metrics.json``, ``run.json``, ``timeseries.csv``,
    ``fields/`` and (``plots_on``) ``frames/`` + ``animation.gif`` to ``out_dir``
    (:mod:`hemcell.surface.phasefield_output`); ``checked_as``: :func:`resolve_phasefield`."""
    from mpi4py import MPI

    from hemcell.runinfo import write_run_record, write_summary
    from hemcell.surface.phasefield import run_phasefield
    from hemcell.surface.phasefield_output import (
        FieldSeries,
        phasefield_metrics,
        write_frames,
        write_timeseries,
    )

    p, record = resolve_phasefield(case, metal, overrides, duration_s, control, coating_model,
                                   checked_as)
    out_dir = Path(out_dir)
    comm = MPI.COMM_WORLD
    if comm.rank == 0:
        out_dir.mkdir(parents=True, exist_ok=True)
    comm.Barrier()
    fields = FieldSeries(out_dir)
    try:
        result = run_phasefield(p, case, progress=progress, on_snapshot=fields)
    finally:
        fields.close()
    metrics = {"metal": metal, **phasefield_metrics(result)}
    if comm.rank == 0:
        write_timeseries(result, out_dir / "timeseries.csv")
        if plots_on:
            write_frames(result, out_dir, f"{metal}, {case}")
        write_summary(out_dir, metrics, filename="metrics.json")
        write_run_record(out_dir, record)
    return metrics


def compare_phasefield_cases(out_dir: Path, metal: str = "Li", overrides: Sequence[str] = (),
                             duration_s: float | None = None,
                             progress: Callable[[str, float], None] | None = None,
                             plots_on: bool = True, control: str = "galvanostatic",
                             coating_model: str | None = None) -> dict[str, Any]:
    """``--case both``: bare and coated from the same surface at the same current.

    Each case writes its files to ``out_dir/bare`` and ``out_dir/coated``
    (:func:`run_phasefield_case`); ``out_dir/comparison.json`` holds both metric sets and
    ``dendrite_excess_ratio_coated_to_bare`` = (DI_coated − 1)/(DI_bare − 1), the coated
    deposit's excess interface length relative to the bare one (< 1: smoother);
    ``comparison.png`` (``plots_on``) the final deposits and the dendrite index vs time.
    ``coating_model`` applies to the coated case.
    """
    from mpi4py import MPI

    from hemcell.runinfo import write_summary

    models = {"bare": None, "coated": coating_model}
    for case in ("bare", "coated"):  # refuse bad input for either before solving
        resolve_phasefield(case, metal, overrides, duration_s, control, models[case], "both")
    out_dir = Path(out_dir)
    metrics = {}
    for case in ("bare", "coated"):
        metrics[case] = run_phasefield_case(case, out_dir / case, metal, overrides, duration_s,
                                            progress, plots_on, control, models[case], "both")
    excess_bare = metrics["bare"]["dendrite_index"] - 1.0
    summary = {
        "metal": metal,
        "bare": metrics["bare"],
        "coated": metrics["coated"],
        "dendrite_excess_ratio_coated_to_bare": (
            (metrics["coated"]["dendrite_index"] - 1.0) / excess_bare
            if excess_bare > 0 else None),
    }
    if MPI.COMM_WORLD.rank == 0:
        write_summary(out_dir, summary, filename="comparison.json")
        if plots_on:
            _comparison_figure(out_dir, metal)
    return summary


def _comparison_figure(out_dir: Path, metal: str) -> None:
    """comparison.png from the two cases' time series and final frames (rank 0)."""
    import csv

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from hemcell.figures import save_figure

    fig, ax = plt.subplots(figsize=(5.5, 4))
    for case in ("bare", "coated"):
        with open(out_dir / case / "timeseries.csv", encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
        ax.plot([float(r["time_s"]) for r in rows], [float(r["dendrite_index"]) for r in rows],
                label=case)
    ax.set_xlabel("time [s]")
    ax.set_ylabel("dendrite index (interface / projected length)")
    ax.set_title(f"{metal}: bare vs coated")
    ax.legend()
    save_figure(fig, out_dir / "comparison.png", dpi=110)
