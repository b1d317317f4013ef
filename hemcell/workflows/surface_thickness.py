r"""Coating thickness study: coverage against Ohmic drop (``hemcell surface thickness``).

Seed 004 (L78) tried 1, 2 and 5 min of sputtering (≈ 14, 28, 70 nm) and kept 2 min:
fully covered (Fig. S9), best EIS conductivity, planar plating. The study solves the
thin-layer coated case (:mod:`hemcell.surface.coverage`: pinholes where an
island-grown film has not closed) at each thickness, and bare lithium, on **one mesh**
with the same loading, for several realisations k of the random fields
(``sei_seed = coating_coverage_seed = k``: common random numbers, so a thicker film
covers a subset of the pinholes of a thinner one and the differences between
thicknesses come from the thickness alone). The solves share one
:class:`~hemcell.surface.solver.CoupledSolver`, which keeps the factorisations' set-up
(MUMPS analysis once per case, the elasticity's Cholesky factors once: the moduli do not
change) from solve to solve.

The trade-off it quantifies: a film too thin leaves bare, heterogeneous lithium exposed
(current focusing); every nanometre more adds the coating drop :math:`i h/\kappa_c`
(energy loss, ∝ h for a complete film). ``trade_off`` in ``thickness.json`` gives the
thinnest thickness whose mean focusing factor is within ``focusing_tolerance``
(relative) of the lowest one — the thickness a researcher would pick — and the drop
ratios between thicknesses.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from hemcell.errors import InputError, SimulationError

#: Per-run metrics kept for every (thickness, seed) and for bare lithium.
STUDY_METRICS = ("current_focusing_factor", "coating_potential_drop_V",
                 "min_surface_concentration_mol_per_m3", "mean_current_density_A_per_m2")


def _label(thickness_m: float) -> str:
    """Key of a thickness in ``by_thickness`` (nm, shortest form: ``"14"``, ``"28.5"``)."""
    return f"{thickness_m * 1e9:g}"


def thickness_study(
    thicknesses_m: Sequence[float],
    geometry: str = "flat",
    overrides: Sequence[str] = (),
    seeds: Sequence[int] = range(1, 5),
    focusing_tolerance: float = 0.01,
    progress: Callable[[str], None] | None = None,
) -> tuple[dict[str, Any], list[dict[str, Any]], dict[str, Any]]:
    """Solve bare and thin-layer coated lithium at several coating thicknesses.

    Parameters
    ----------
    thicknesses_m
        Coating thicknesses h [m] (each > 0 and below the surface's smallest trough
        radius, :func:`~hemcell.surface.thin_film.check_thin_film`).
    geometry
        Surface geometry (``flat`` isolates the coverage effect).
    overrides
        ``KEY=VALUE`` parameter overrides (``--set``), applied to every run.
    seeds
        Realisations k (``sei_seed = coating_coverage_seed = k``).
    focusing_tolerance
        Relative margin on the focusing factor that defines the chosen thickness.
    progress
        Optional one-line status callback.

    Returns
    -------
    tuple
        ``(summary, rows, record)``: the ``thickness.json`` content, one row per
        (thickness, seed) and per bare seed, and the run record. When a seed's solve
        fails after others finished, those are returned with ``completed`` false and the
        ``error`` (:func:`write_thickness_study` writes them and raises it); a failure at
        the first seed is raised here.
    """
    from hemcell.surface.coverage import island_density_per_m2, kjma_coverage
    from hemcell.surface.geometry import Facet, build_mesh
    from hemcell.surface.metrics import compute_metrics
    from hemcell.surface.solver import CoupledSolver
    from hemcell.surface.thin_film import check_thin_film
    from hemcell.workflows.seed_runs import finished_seeds_hint, solve_seeds
    from hemcell.workflows.surface import check_overrides, resolve_case, sample_statistics

    seeds_asked = list(seeds)
    thick = [float(h) for h in thicknesses_m]
    if not thick or any(not np.isfinite(h) or h <= 0 for h in thick):
        raise InputError("--thicknesses", thicknesses_m, "one or more thicknesses > 0 (nm)")
    if len(set(map(_label, thick))) != len(thick):
        raise InputError("--thicknesses", thicknesses_m, "distinct thicknesses")
    if not seeds:
        raise InputError("--n-seeds", 0, ">= 1")
    if not 0 <= focusing_tolerance < 1:
        raise InputError("focusing_tolerance", focusing_tolerance, "[0, 1)")
    thick.sort()
    check_overrides("thickness", overrides, geometry=geometry)
    rc_bare = resolve_case("bare", geometry, overrides)
    for h in thick:  # before meshing: each film thinner than the troughs' radius
        check_thin_film(rc_bare.geometry, h, field="--thicknesses")
    rc_thin = resolve_case("coated_thin", geometry, overrides, coating_thickness_m=thick[0])
    if progress:
        progress(f"meshing {geometry} geometry")
    sm = build_mesh(rc_thin.geometry)  # thin layer: no coating band; the bare mesh too
    solver = CoupledSolver(sm)

    what = "bare lithium"  # the stage of the seed being solved, named if it fails
    m: dict[str, Any] = {}  # the metrics of the last solve

    def solve_seed(k: int) -> list[dict[str, Any]]:
        nonlocal what, m
        seed_rows: list[dict[str, Any]] = []
        what = "bare lithium"
        if progress:
            progress(f"seed {k}: {what}")
        m = compute_metrics(solver.solve(rc_bare.parameters.replace(sei_seed=k), "bare"))
        seed_rows.append({"case": "bare", "seed": k, "thickness_nm": 0.0, "coverage": 0.0,
                          **{key: m[key] for key in STUDY_METRICS}})
        for h in thick:
            p = rc_thin.parameters.replace(coating_thickness_m=h, sei_seed=k,
                                           coating_coverage_seed=k)
            what = f"coated, h = {_label(h)} nm"
            if progress:
                progress(f"seed {k}: {what}")
            result = solver.solve(p, "coated_thin")
            m = compute_metrics(result)
            tr = result.transport
            length = tr.integral(1.0, tr.ds(Facet.LI_SURFACE))
            realised = tr.integral(tr.coverage_field, tr.ds(Facet.LI_SURFACE)) / length
            seed_rows.append({"case": "coated_thin", "seed": k,
                              "thickness_nm": round(h * 1e9, 9),
                              "coverage": kjma_coverage(h, p.coating_closure_thickness_m),
                              "realised_coverage": realised,
                              **{key: m[key] for key in STUDY_METRICS}})
        return seed_rows

    finished, failure = solve_seeds(
        seeds, solve_seed,
        lambda k: f"seed {k} (sei_seed = coating_coverage_seed = {k}), {what}")
    rows = [r for seed_rows in finished for r in seed_rows]
    if failure is not None and not rows:  # as `surface seeds` says it
        raise SimulationError(failure.message, hint=finished_seeds_hint(0, "", failure.hint))
    seeds = sorted({r["seed"] for r in rows})

    by_thickness: dict[str, Any] = {}
    for h in thick:
        sel = [r for r in rows if r["case"] == "coated_thin"
               and r["thickness_nm"] == round(h * 1e9, 9)]
        entry: dict[str, Any] = {"thickness_m": h, "coverage": sel[0]["coverage"],
                                 "realised_coverage_mean": sample_statistics(
                                     [r["realised_coverage"] for r in sel])["mean"]}
        for key in STUDY_METRICS:
            s = sample_statistics([r[key] for r in sel])
            entry[f"{key}_mean"], entry[f"{key}_std"] = s["mean"], s["std"]
        by_thickness[_label(h)] = entry
    bare_rows = [r for r in rows if r["case"] == "bare"]
    bare: dict[str, Any] = {}
    for key in STUDY_METRICS:
        s = sample_statistics([r[key] for r in bare_rows])
        bare[f"{key}_mean"], bare[f"{key}_std"] = s["mean"], s["std"]

    focusing = np.array([by_thickness[_label(h)]["current_focusing_factor_mean"]
                         for h in thick])
    drop = np.array([by_thickness[_label(h)]["coating_potential_drop_V_mean"] for h in thick])
    ok = focusing <= focusing.min() * (1 + focusing_tolerance)
    chosen = int(np.argmax(ok))  # the thinnest within the tolerance of the best
    p0 = rc_thin.parameters
    summary: dict[str, Any] = {
        "geometry": geometry,
        "seeds": list(seeds),
        "applied_current_density_A_per_m2": p0.applied_current_density_A_per_m2,
        "coating_conductivity_S_per_m": p0.coating_conductivity_S_per_m,
        "coating_closure_thickness_m": p0.coating_closure_thickness_m,
        "implied_island_density_per_m2": (island_density_per_m2(p0.coating_closure_thickness_m)
                                          if p0.coating_closure_thickness_m > 0 else None),
        "thickness_nm": [round(h * 1e9, 9) for h in thick],
        "by_thickness": by_thickness,
        "bare": bare,
        "trade_off": {
            "focusing_tolerance": focusing_tolerance,
            "chosen_thickness_nm": round(thick[chosen] * 1e9, 9),
            "thinnest_focusing_excess": float(focusing[0] / focusing.min() - 1),
            "drop_ratio_thickest_to_chosen": float(drop[-1] / drop[chosen]),
            "thickness_ratio_thickest_to_chosen": thick[-1] / thick[chosen],
            "drop_ratio_chosen_to_thinnest": float(drop[chosen] / drop[0]),
        },
        "dofs": int(m["dofs"]),
        "mpi_ranks": int(m["mpi_ranks"]),
    }
    summary["completed"] = failure is None
    if failure is not None:  # :func:`write_thickness_study` writes them, then raises it
        summary.update(seeds_asked=list(seeds_asked), error=failure.message,
                       error_hint=failure.hint)
    record = {"thin_layer": rc_thin.record, "bare": rc_bare.record,
              "thicknesses_m": thick, "seeds": list(seeds)}
    return summary, rows, record


def write_thickness_study(summary: dict[str, Any], rows: list[dict[str, Any]],
                          record: dict[str, Any], out_dir: Path, plots_on: bool = True) -> None:
    """Write ``thickness.json``, ``thickness.csv``, ``run.json`` and ``thickness.png`` (rank 0;
    no figure with ``plots_on=False``); then, for a study that stopped at a failed seed
    (``completed`` false: the seeds finished before it), raise its
    :class:`~hemcell.errors.SimulationError` on every rank."""
    import csv

    from mpi4py import MPI

    from hemcell.runinfo import write_json, write_run_record
    from hemcell.workflows.seed_runs import finished_seeds_hint

    out_dir = Path(out_dir)
    if MPI.COMM_WORLD.rank == 0:
        out_dir.mkdir(parents=True, exist_ok=True)
        write_json(out_dir / "thickness.json", summary)
        fields = ["case", "seed", "thickness_nm", "coverage", "realised_coverage",
                  *STUDY_METRICS]
        with (out_dir / "thickness.csv").open("w", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=fields, restval="")
            w.writeheader()
            w.writerows(rows)
        write_run_record(out_dir, record)
        if plots_on:
            plot_thickness_study(summary, out_dir / "thickness.png")
    if not summary.get("completed", True):  # every rank: the command fails on all
        raise SimulationError(summary["error"], hint=finished_seeds_hint(
            len(summary["seeds"]), out_dir, summary.get("error_hint")))


def plot_thickness_study(summary: dict[str, Any], path: Path) -> None:
    """Pinhole fraction, focusing (± std over seeds; bare at h = 0) and coating drop vs h."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from hemcell.surface.coverage import kjma_coverage

    h_nm = np.array(summary["thickness_nm"])
    ent = [summary["by_thickness"][f"{h:g}"] for h in h_nm]
    fig, ax = plt.subplots(1, 3, figsize=(12, 3.6), constrained_layout=True)
    grid = np.linspace(0.2, 1.2 * h_nm.max(), 300)
    h0 = summary["coating_closure_thickness_m"]
    ax[0].semilogy(grid, [max(1 - kjma_coverage(g * 1e-9, h0), 1e-12) for g in grid], "k-", lw=1,
                   label="KJMA 1 − θ(h)")
    ax[0].semilogy(h_nm, [max(1 - e["coverage"], 1e-12) for e in ent], "o", label="studied")
    ax[0].semilogy(h_nm, [max(1 - e["realised_coverage_mean"], 1e-12) for e in ent], "x",
                   label="resolved by the mesh")
    ax[0].set(xlabel="coating thickness h [nm]", ylabel="uncovered fraction 1 − θ [-]",
              title=f"pinholes, h₀ = {h0 * 1e9:.3g} nm", ylim=(1e-7, 1))
    ax[0].legend(fontsize=8)
    b = summary["bare"]
    x = np.concatenate([[0.0], h_nm])
    f_mean = np.array([b["current_focusing_factor_mean"]]
                      + [e["current_focusing_factor_mean"] for e in ent])
    f_std = np.array([b["current_focusing_factor_std"]]
                     + [e["current_focusing_factor_std"] for e in ent])
    excess = np.maximum(f_mean - 1, 1e-6)
    ax[1].errorbar(x, excess, yerr=np.minimum(f_std, 0.9 * excess), fmt="o-", capsize=3)
    ax[1].annotate("bare Li", (0, excess[0]), textcoords="offset points", xytext=(6, -4),
                   fontsize=8)
    ax[1].axvline(summary["trade_off"]["chosen_thickness_nm"], color="C2", ls="--",
                  label="chosen (thinnest near-best)")
    ax[1].set_yscale("log")
    ax[1].set(xlabel="coating thickness h [nm] (0 = bare)",
              ylabel="current focusing factor − 1 [-]",
              title=f"mean ± std over {len(summary['seeds'])} seeds, {summary['geometry']}")
    ax[1].legend(fontsize=8)
    ax[2].plot(h_nm, 1e3 * np.array([e["coating_potential_drop_V_mean"] for e in ent]), "s-")
    ax[2].set(xlabel="coating thickness h [nm]", ylabel="coating potential drop [mV]",
              title=f"κ_c = {summary['coating_conductivity_S_per_m']:.3g} S/m, "
                    f"i = {summary['applied_current_density_A_per_m2'] / 10:.3g} mA/cm²")
    from hemcell.figures import save_figure

    save_figure(fig, path, dpi=130, tight=False)
