"""The ``hemcell limetal`` commands as functions: run, write summary/CSV/figure/run.json.

Each function takes SI inputs, writes into ``out_dir`` and returns the summary dict.
``run.json`` carries every parameter set used with its sources (the validation report
lists the ``assumed`` ones), the derived cell parameters and the focusing provenance.

Which values a command reads (:func:`model_uses`): its model's declarations
(``PARAMETERS`` of :mod:`hemcell.limetal.halfcell`, :mod:`~hemcell.limetal.cycling`,
:mod:`~hemcell.limetal.symmetric`, :mod:`~hemcell.limetal.licu`) and the Li electrode's
(:func:`hemcell.limetal.parameters.li_electrode_uses`: by anode and ``--kinetics``; the
set's focusing factor only where a Li loss law reads it and the surface model does not
give it); with ``--focusing-from-surface`` also
what the surface run reads (:func:`hemcell.workflows.surface.case_parameter_uses`). A
``--set`` key outside these is refused (exit 2) before anything runs, naming the command
and the closest names it reads; a set missing values the model reads names all of them.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from hemcell.limetal.parameters import (
    LiMetalParameters,
    li_electrode_uses,
    load_anode_set,
    load_cell_parameters,
)
from hemcell.limetal.timetext import hours_text
from hemcell.params.li_sets import LI_ANODE_SETS
from hemcell.params.uses import ParameterUse, expand, override_keys, refuse_unread

RATES_DEFAULT = (0.1, 0.5, 1.0, 2.0, 3.0, 4.0)
COMMANDS: tuple[str, ...] = ("rate", "cycle", "symmetric", "nucleation", "licu")
#: ``limetal nucleation`` without ``--areal-capacity`` plates the set's capacity.
NUCLEATION_CAPACITY_PARAMETERS = (ParameterUse("li_cu_nucleation_areal_capacity", "C/m**2"),)


def model_uses(command: str, anode: str, kinetics: str = "rct",
               focusing_from_surface: bool = False, areal_capacity_given: bool = True
               ) -> tuple[ParameterUse, ...]:
    """What the model of ``hemcell limetal COMMAND`` reads from the anode's set.

    Parameters
    ----------
    command
        One of :data:`COMMANDS`.
    anode
        ``bare`` or ``coated``.
    kinetics
        ``rct`` or ``set``.
    focusing_from_surface
        The focusing factor comes from the surface model, not the set.
    areal_capacity_given
        ``nucleation``: ``--areal-capacity`` given (else the set's is read).
    """
    from hemcell.errors import InputError
    from hemcell.limetal import cycling, halfcell, licu, symmetric

    models: dict[str, tuple[ParameterUse, ...]] = {
        "rate": halfcell.PARAMETERS,
        "cycle": (*halfcell.PARAMETERS, *cycling.PARAMETERS),
        "symmetric": symmetric.PARAMETERS,
        "nucleation": (*licu.FIRST_PLATING_PARAMETERS,
                       *(() if areal_capacity_given else NUCLEATION_CAPACITY_PARAMETERS)),
        "licu": licu.PARAMETERS,
    }
    if command not in models:
        raise InputError("limetal command", command, " | ".join(COMMANDS))
    uses = (*li_electrode_uses(anode, kinetics), *models[command])
    if focusing_from_surface:  # the surface model gives the focusing factor
        uses = tuple(u for u in uses if u.key != "current_focusing_factor")
    return uses


def _reader(command: str, anodes: Sequence[str], kinetics: str, focusing: bool) -> str:
    return (f"`hemcell limetal {command}` ({' and '.join(anodes)} Li, --kinetics {kinetics}"
            + (", --focusing-from-surface" if focusing else "") + ")")


def read_keys(command: str, anodes: Sequence[str], kinetics: str = "rct",
              focusing_from_surface: bool = False, areal_capacity_given: bool = True
              ) -> list[str]:
    """Registry names ``hemcell limetal COMMAND`` reads (all anodes; with the surface
    model's when it runs for the focusing factor)."""
    from hemcell.workflows.coupling import SURFACE_CASE

    keys: dict[str, ParameterUse] = {}
    for anode in anodes:
        keys.update(expand(model_uses(command, anode, kinetics, focusing_from_surface,
                                      areal_capacity_given)))
        if focusing_from_surface and command != "nucleation":
            from hemcell.workflows.surface import case_parameter_uses

            keys.update(case_parameter_uses(SURFACE_CASE[anode], "sinusoid",
                                            typed_current=True, typed_temperature=True,
                                            typed_exchange_current=True))
    return list(keys)


def check_overrides(command: str, anodes: Sequence[str], overrides: Sequence[str] | None,
                    kinetics: str = "rct", focusing_from_surface: bool = False,
                    areal_capacity_given: bool = True) -> None:
    """Refuse (exit 2) a ``--set`` key the command's model does not read."""
    keys = override_keys(overrides)
    if keys:
        refuse_unread(keys, read_keys(command, anodes, kinetics, focusing_from_surface,
                                      areal_capacity_given),
                      _reader(command, anodes, kinetics, focusing_from_surface))


def check_set_keys(kwargs: Mapping[str, Any], command: str) -> None:
    """:func:`check_overrides` on a parsed ``hemcell limetal COMMAND`` argument list (the
    sweep-spec check, before anything runs)."""
    check_overrides(command, anode_list(kwargs.get("anode") or "coated"),
                    kwargs.get("set_") or [], kwargs.get("kinetics") or "rct",
                    bool(kwargs.get("focusing_from_surface")),
                    kwargs.get("areal_capacity") is not None)


def check_rate_set_keys(kwargs: Mapping[str, Any]) -> None:
    """:func:`check_set_keys` for ``limetal rate``."""
    check_set_keys(kwargs, "rate")


def check_cycle_set_keys(kwargs: Mapping[str, Any]) -> None:
    """:func:`check_set_keys` for ``limetal cycle``."""
    check_set_keys(kwargs, "cycle")


def check_symmetric_set_keys(kwargs: Mapping[str, Any]) -> None:
    """:func:`check_set_keys` for ``limetal symmetric``."""
    check_set_keys(kwargs, "symmetric")


def check_nucleation_set_keys(kwargs: Mapping[str, Any]) -> None:
    """:func:`check_set_keys` for ``limetal nucleation``."""
    check_set_keys(kwargs, "nucleation")


def check_licu_set_keys(kwargs: Mapping[str, Any]) -> None:
    """:func:`check_set_keys` for ``limetal licu``."""
    check_set_keys(kwargs, "licu")


def check_fit_overrides(fit: str, overrides: Sequence[str] | None) -> None:
    """Refuse a ``--set`` key of ``fit-fade`` / ``fit-shuttle`` their runs do not read (the
    cycling model of the fitted cell and the fit's targets; the fitted value is not read)."""
    from hemcell.errors import InputError
    from hemcell.workflows.limetal_fit import FADE_PARAMETERS, SHUTTLE_PARAMETERS, refuse_fitted

    fits = {"fit-fade": ("coated", FADE_PARAMETERS, "lfp_deactivation_per_lost_li"),
            "fit-shuttle": ("bare", SHUTTLE_PARAMETERS, "shuttle_charge_per_lost_li")}
    if fit not in fits:
        raise InputError("limetal fit", fit, " | ".join(fits))
    anode, targets, fitted = fits[fit]
    refuse_fitted(overrides, (fitted,), f"hemcell limetal {fit}")
    keys = override_keys(overrides)
    if keys:
        reads = [k for k in expand((*model_uses("cycle", anode), *targets)) if k != fitted]
        refuse_unread(keys, reads, f"`hemcell limetal {fit}` ({anode} Li; it fits {fitted})")


def check_fit_fade_set_keys(kwargs: Mapping[str, Any]) -> None:
    """:func:`check_fit_overrides` of a parsed ``limetal fit-fade`` argument list."""
    check_fit_overrides("fit-fade", kwargs.get("set_") or ())


def check_fit_shuttle_set_keys(kwargs: Mapping[str, Any]) -> None:
    """:func:`check_fit_overrides` of a parsed ``limetal fit-shuttle`` argument list."""
    check_fit_overrides("fit-shuttle", kwargs.get("set_") or ())


def electrolyte_warnings(temperature_K: float, concentration_mol_per_m3: float,
                         seen: list[str] | None = None) -> list[str]:
    """The Li electrolyte's temperature policy for a run
    (:func:`hemcell.materials.lipf6_electrolyte.electrolyte_temperature_warnings`), reported by
    :func:`hemcell.runinfo.report_warnings`.

    Raises
    ------
    InputError
        A temperature at or below the diffusivity fit's divergence.
    """
    from hemcell.materials.lipf6_electrolyte import electrolyte_temperature_warnings
    from hemcell.runinfo import report_warnings

    return report_warnings(
        electrolyte_temperature_warnings(temperature_K, concentration_mol_per_m3), seen)


def _with_warnings(summary: dict[str, Any], warnings: list[str]) -> dict[str, Any]:
    """``summary`` with a ``warnings`` list when there is any (also for run.json)."""
    if warnings:
        summary["warnings"] = list(warnings)
    return summary


def _rate_key(c: float) -> str:
    return f"{c:g}"


def _write_csv(path: Path, columns: dict[str, Sequence[Any]]) -> None:
    keys = list(columns)
    n = max(len(v) for v in columns.values())
    with path.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(keys)
        for j in range(n):
            w.writerow([columns[k][j] if j < len(columns[k]) else "" for k in keys])


def _record(psets: dict[str, Any], params: dict[str, LiMetalParameters],
            focusing: dict[str, Any]) -> dict[str, Any]:
    return {"parameter_sets": {a: ps.record() for a, ps in psets.items()},
            "cell_parameters": {a: p.as_dict() for a, p in params.items()},
            "focusing": focusing}


def _params(command: str, anode: str, overrides: Sequence[str], kinetics: str,
            focusing_from_surface: bool = False, areal_capacity_given: bool = True,
            warnings: list[str] | None = None
            ) -> tuple[Any, LiMetalParameters, dict[str, Any]]:
    """The anode's set and the cell parameters the command's model reads (all missing
    values named at once), with the set's focusing factor; the electrolyte's temperature
    warnings (:func:`electrolyte_warnings`) are added to ``warnings``."""
    uses = model_uses(command, anode, kinetics, focusing_from_surface, areal_capacity_given)
    pset, p = load_cell_parameters(
        anode, overrides, kinetics,  # type: ignore[arg-type]
        uses=uses,
        reader=_reader(command, [anode], kinetics, focusing_from_surface))
    electrolyte_warnings(p.temperature_K, p.electrolyte_concentration_mol_per_m3, warnings)
    return pset, p, {"source": "parameter set", "current_focusing_factor": p.focusing_factor}


def _focused(p: LiMetalParameters, current_density_A_per_m2: float,
             overrides: Sequence[str], focusing_metric: str
             ) -> tuple[LiMetalParameters, dict[str, Any]]:
    """Cell parameters with the focusing factor from the surface model at a current
    density (:func:`hemcell.workflows.coupling.focusing_from_surface`, the cell's own Li
    kinetics and temperature), and its provenance."""
    from hemcell.workflows.coupling import focusing_from_surface, with_focusing

    res = focusing_from_surface(p, current_density_A_per_m2, overrides, focusing_metric)
    return with_focusing(p, res.focusing_factor), res.record()


def _check_metric(focusing_metric: str, focusing_from_surface: bool) -> None:
    """A known metric, and one other than the default only where a surface run reads it."""
    from hemcell.errors import InputError
    from hemcell.workflows.coupling import FOCUSING_METRICS

    if focusing_metric not in FOCUSING_METRICS:
        raise InputError("--focusing-metric", focusing_metric, " | ".join(FOCUSING_METRICS))
    if focusing_metric != "max" and not focusing_from_surface:
        raise InputError("--focusing-metric", focusing_metric,
                         "max (the default) without --focusing-from-surface",
                         hint="the metric chooses what the surface run hands to the cell; "
                         "without --focusing-from-surface the set's current_focusing_factor "
                         "(max/mean) is used and the metric would change nothing")


def rate(anodes: Sequence[str], c_rates: Sequence[float], out_dir: Path,
         overrides: Sequence[str] = (), kinetics: str = "rct",
         focusing_from_surface: bool = False, focusing_metric: str = "max",
         plots_on: bool = True) -> dict[str, Any]:
    """``hemcell limetal rate``: Li‖LFP discharge capacity vs C-rate.

    Every command here writes its figure unless ``plots_on=False`` (``--no-plots``);
    the summary and the data files are the same either way.

    With several anodes the summary keys are nested by anode
    (``discharge_capacity_mAh_per_g`` holds the first anode's values).
    """
    from hemcell.limetal.halfcell import build_half_cell, model_exchange_current_A_per_m2, rate_test
    from hemcell.limetal.plots import plot_rate
    from hemcell.runinfo import write_run_record, write_summary
    from hemcell.units import from_si

    _check_metric(focusing_metric, focusing_from_surface)
    check_overrides("rate", anodes, overrides, kinetics, focusing_from_surface)
    out_dir.mkdir(parents=True, exist_ok=True)
    results, psets, params, focus = {}, {}, {}, {}
    warns: list[str] = []
    for anode in anodes:
        pset, p, info = _params("rate", anode, overrides, kinetics, focusing_from_surface,
                                warnings=warns)
        cell = build_half_cell(p, pset)
        changes: list[dict[str, float]] = [{} for _ in c_rates]
        if focusing_from_surface:  # per C-rate, at the Li current density of that rate
            info = {"source": "hemcell.surface", "metric": focusing_metric, "per_c_rate": {}}
            for j, c in enumerate(c_rates):
                i_li = c * cell.geometry.current_1c_A / p.li_electrode_area_m2
                pf, info["per_c_rate"][_rate_key(c)] = _focused(p, i_li, overrides,
                                                                focusing_metric)
                changes[j] = {"i0_li": model_exchange_current_A_per_m2(pf)}
        if any(changes):
            parts = [rate_test(cell, [c], **ch) for c, ch in zip(c_rates, changes, strict=True)]
            res = type(parts[0])([c for r in parts for c in r.c_rates],
                                 [q for r in parts for q in r.capacity_mAh_per_g],
                                 [cv for r in parts for cv in r.curves],
                                 [t for r in parts for t in r.terminations])
        else:
            res = rate_test(cell, c_rates)
        results[anode], psets[anode], params[anode], focus[anode] = res, pset, p, info
        cols: dict[str, list[Any]] = {}
        for c, cur in zip(res.c_rates, res.curves, strict=True):
            cols[f"capacity_mAh_per_g_{_rate_key(c)}C"] = cur["capacity_mAh_per_g"]
            cols[f"voltage_V_{_rate_key(c)}C"] = cur["voltage_V"]
        _write_csv(out_dir / f"rate_curves_{anode}.csv", cols)
    first = anodes[0]
    summary: dict[str, Any] = {
        "anode": first,
        "discharge_capacity_mAh_per_g": {_rate_key(c): q for c, q in zip(
            results[first].c_rates, results[first].capacity_mAh_per_g, strict=True)},
    }
    if len(anodes) > 1:
        summary["by_anode"] = {a: {"discharge_capacity_mAh_per_g": {
            _rate_key(c): q for c, q in zip(r.c_rates, r.capacity_mAh_per_g, strict=True)}}
            for a, r in results.items()}
    summary["li_exchange_current_mA_per_cm2"] = {a: p.exchange_current_A_per_m2 / 10
                                                 for a, p in params.items()}
    summary["current_focusing_factor"] = {  # per C-rate when the surface model gives it
        a: ({c: r["current_focusing_factor"] for c, r in focus[a]["per_c_rate"].items()}
            if focusing_from_surface else p.focusing_factor) for a, p in params.items()}
    summary["lfp_electrode_thickness_um"] = from_si(cell.geometry.thickness_m, 1e6)
    coated = load_anode_set("coated")
    paper = ([float(c) for c in coated.si["lfp_rate_c_rates"]],
             [float(q) / 3600 for q in coated.si["lfp_rate_capacity"]])
    if plots_on:
        plot_rate(out_dir / "rate.png", {a: r.curves for a, r in results.items()},
                  {a: r.c_rates for a, r in results.items()},
                  {a: r.capacity_mAh_per_g for a, r in results.items()}, paper,
                  temperature_K=next(iter(params.values())).temperature_K)
    write_summary(out_dir, _with_warnings(summary, warns))
    write_run_record(out_dir, _record(psets, params, focus),
                     extra={"c_rates": list(c_rates), "kinetics": kinetics, "warnings": warns})
    return summary


def _cycle_progress(progress: Callable[[str], None] | None, total: int, anode: str
                    ) -> Callable[[int], None] | None:
    """``run_cycling``'s per-cycle callback writing :func:`hemcell.progress.cycle_line`
    to ``progress`` once a :data:`~hemcell.progress.LINE_INTERVAL_S` (``None``: none)."""
    if progress is None:
        return None
    from hemcell.progress import LineInterval, cycle_line

    interval = LineInterval()

    def tick(n: int) -> None:
        now = interval.due()
        if now is not None:
            progress(cycle_line(now - interval.start_s, n, total, f"{anode} Li"))

    return tick


def cycle(anodes: Sequence[str], cycles: int, c_rate: float, out_dir: Path,
          overrides: Sequence[str] = (), stride: int = 1, kinetics: str = "rct",
          focusing_from_surface: bool = False, focusing_metric: str = "max",
          high_loading: bool = False, plots_on: bool = True,
          cv_cutoff_c_rate: float | None = None,
          progress: Callable[[str], None] | None = None) -> dict[str, Any]:
    """``hemcell limetal cycle``: Li‖LFP cycling with Li loss and interphase growth.

    ``high_loading`` uses the set's ``lfp_high_mass_loading`` (11.5 mg/cm**2, seed 004
    L121) as the LFP loading (an override applied before any ``--set``).
    ``cv_cutoff_c_rate``: CC-CV charge to that C-rate (``None``: CC only,
    :func:`hemcell.limetal.cycling.run_cycling`). ``progress`` gets a line
    (:func:`hemcell.progress.cycle_line`) at the end of a cycle once
    :data:`hemcell.progress.LINE_INTERVAL_S` of wall time has passed since the last.
    """
    from hemcell.errors import InputError, SimulationError
    from hemcell.limetal.cycling import (
        check_stride,
        cycling_summary,
        cycling_warnings,
        run_cycling,
    )
    from hemcell.limetal.halfcell import build_half_cell, lfp_geometry
    from hemcell.limetal.plots import plot_cycling
    from hemcell.runinfo import report_warnings, write_run_record, write_summary

    if cycles < 1:
        raise InputError("--cycles", cycles, "an integer >= 1")
    check_stride(cycles, stride)
    if not 0 < c_rate < float("inf"):
        raise InputError("--c-rate", c_rate, "a finite C-rate > 0")
    _check_metric(focusing_metric, focusing_from_surface)
    check_overrides("cycle", anodes, overrides, kinetics, focusing_from_surface)
    if high_loading:
        m = float(load_anode_set("coated").si["lfp_high_mass_loading"])
        given = [o for o in overrides if str(o).split("=", 1)[0].strip() == "lfp_mass_loading"]
        if given:  # it was "--set: lfp_mass_loading=0.115 kg/m**2 and ... given twice"
            raise InputError("--high-loading", f"with --set {given[0]}",
                             f"one LFP loading: --high-loading (the set's lfp_high_mass_loading, "
                             f"{m * 100:g} mg/cm2) or --set lfp_mass_loading=...",
                             hint="drop --high-loading to run at the --set loading")
        overrides = [f"lfp_mass_loading={m!r} kg/m**2", *overrides]
    out_dir.mkdir(parents=True, exist_ok=True)
    recs, psets, params, focus, sums = {}, {}, {}, {}, {}
    warns: list[str] = []
    for anode in anodes:
        pset, p, info = _params("cycle", anode, overrides, kinetics, focusing_from_surface,
                                warnings=warns)
        if focusing_from_surface:  # the surface runs at the cycling current density
            pv = pset.to_pybamm_parameter_values()
            geo = lfp_geometry(p, float(pv["Maximum concentration in positive electrode "
                                           "[mol.m-3]"]),
                               float(pv["Positive electrode active material volume fraction"]),
                               float(pv["Positive electrode porosity"]))
            p, info = _focused(p, c_rate * geo.current_1c_A / p.li_electrode_area_m2,
                               overrides, focusing_metric)
        cell = build_half_cell(p, pset)
        rec = run_cycling(cell, cycles, c_rate, stride, cv_cutoff_c_rate=cv_cutoff_c_rate,
                          progress=_cycle_progress(progress, cycles, anode))
        recs[anode], psets[anode], params[anode], focus[anode] = rec, pset, p, info
        sums[anode] = cycling_summary(rec)
        report_warnings(cycling_warnings(sums[anode], rec, anode), warns)
        _write_csv(out_dir / f"cycling_{anode}.csv", rec.as_columns())
        if rec.failure is not None:
            report_warnings([f"{anode}: the run stopped after cycle {rec.cycle_last[-1]}: "
                             f"{rec.failure}"], warns)
    first = anodes[0]
    summary: dict[str, Any] = {"anode": first, "c_rate": c_rate, **sums[first],
                               "lfp_mass_loading_mg_per_cm2":
                                   params[first].lfp_mass_loading_kg_per_m2 * 100.0}
    if len(anodes) > 1:
        summary["by_anode"] = sums
    targets = {}
    for a in anodes:
        ps = load_anode_set(a)
        if "lfp_capacity_after_300_cycles" in ps and cycles >= 300 and not high_loading:
            targets[a] = (300, float(ps.si["lfp_capacity_after_300_cycles"]) / 3600)
    if plots_on:
        plot_cycling(out_dir / "cycling.png", recs, targets)
    write_summary(out_dir, _with_warnings(summary, warns))
    write_run_record(out_dir, _record(psets, params, focus),
                     extra={"cycles": cycles, "c_rate": c_rate, "stride": stride,
                            "high_loading": high_loading,
                            "cv_cutoff_c_rate": cv_cutoff_c_rate, "warnings": warns})
    failed = {a: r for a, r in recs.items() if r.failure is not None}
    if failed:  # written above: the finished cycles are kept; the exit says what failed
        a, r = next(iter(failed.items()))
        raise SimulationError(
            f"{a}: {r.failure}; cycles 1-{r.cycle_last[-1]} of {cycles} finished and are "
            f"written to {out_dir} (summary.json stop_reason, cycling_{a}.csv)",
            hint="a charge current above the cell's limiting current depletes the "
                 "electrolyte at the Li surface (1C, 253 K, 11.5 mg/cm2: the first hold "
                 "fails); a lower --c-rate (0.2 runs there with the C/20 hold), a higher "
                 "temperature, or CC charge only (no --cv-cutoff-c-rate)")
    return summary


def _refuse_hours_below_one_cycle(hours: float, current_density_A_per_m2: float,
                                  areal_capacity_C_per_m2: float) -> None:
    """Refuse ``--hours`` shorter than the first cycle, 2q/i: the cell is evaluated per
    cycle, and such a run went on to the end of that cycle (``--areal-capacity
    100mAh/cm2 --hours 10`` reported a failure at 92.77 h)."""
    from hemcell.errors import InputError

    i, q = current_density_A_per_m2, areal_capacity_C_per_m2
    if not (i > 0 and q > 0 and hours > 0):
        return  # refused with the values themselves (run_symmetric, run_schedule)
    cycle_h = 2.0 * q / i / 3600.0
    if hours < cycle_h * (1 - 1e-9):
        raise InputError(
            "--hours", hours,
            f"at least one cycle, {hours_text(cycle_h)} (2 x {q / 36000.0:g} mAh/cm2 at "
            f"{i / 10.0:g} mA/cm2): the cell is evaluated cycle by cycle",
            hint="raise --hours, or lower --areal-capacity")


def symmetric(anodes: Sequence[str], current_density_A_per_m2: float,
              areal_capacity_C_per_m2: float, hours: float, out_dir: Path,
              overrides: Sequence[str] = (), kinetics: str = "rct",
              focusing_from_surface: bool = False, focusing_metric: str = "max",
              rate_steps_A_per_m2: Sequence[float] | None = None, cycles_per_step: int = 10,
              plots_on: bool = True) -> dict[str, Any]:
    """``hemcell limetal symmetric``: Li‖Li overpotential per cycle and failure.

    With ``rate_steps_A_per_m2`` the cell runs the stepped rate test
    (``cycles_per_step`` cycles of the areal capacity at each current density in turn,
    stopped after ``hours``) instead of a constant current; the surface coupling then
    runs at the first step's current density.
    """
    from hemcell.limetal.plots import plot_symmetric
    from hemcell.limetal.symmetric import (
        rate_test_schedule,
        run_schedule,
        run_symmetric,
        symmetric_summary,
    )
    from hemcell.runinfo import report_warnings, write_run_record, write_summary

    schedule = None
    unrun: list[str] = []
    if rate_steps_A_per_m2:
        schedule = rate_test_schedule(rate_steps_A_per_m2, cycles_per_step,
                                      areal_capacity_C_per_m2)
        t, n = 0.0, 0
        while n < len(schedule) and t < hours * 3600.0:
            t += 2.0 * schedule[n][1] / schedule[n][0]
            n += 1
        run_steps = {i for i, _ in schedule[:max(n, 1)]}
        left = [i for i in dict.fromkeys(i for i, _ in schedule) if i not in run_steps]
        if left:  # the summary lists every step: say which did not run
            whole_h = sum(2.0 * q / i for i, q in schedule) / 3600.0
            unrun = [f"--hours {hours:g} ends before the rate steps "
                     f"{', '.join(f'{i / 10:g}' for i in left)} mA/cm2 (the whole stepped test "
                     f"takes {hours_text(whole_h)}): they did not run"]
        schedule = schedule[:max(n, 1)]
        current_density_A_per_m2 = schedule[0][0]
    _refuse_hours_below_one_cycle(hours, current_density_A_per_m2, areal_capacity_C_per_m2)
    _check_metric(focusing_metric, focusing_from_surface)
    check_overrides("symmetric", anodes, overrides, kinetics, focusing_from_surface)
    out_dir.mkdir(parents=True, exist_ok=True)
    res, psets, params, focus, sums = {}, {}, {}, {}, {}
    warns: list[str] = report_warnings(unrun)
    for anode in anodes:
        pset, p, info = _params("symmetric", anode, overrides, kinetics, focusing_from_surface,
                                warnings=warns)
        if focusing_from_surface:
            p, info = _focused(p, current_density_A_per_m2, overrides, focusing_metric)
        r = (run_schedule(p, schedule, field="--rate-steps") if schedule is not None else
             run_symmetric(p, current_density_A_per_m2, areal_capacity_C_per_m2, hours))
        res[anode], psets[anode], params[anode], focus[anode] = r, pset, p, info
        sums[anode] = symmetric_summary(r)
        _write_csv(out_dir / f"symmetric_{anode}.csv", {
            "cycle": list(range(1, len(r.overpotential_V) + 1)),
            "time_h": [t / 3600 for t in r.cycle_end_time_s[:len(r.overpotential_V)]],
            "current_density_mA_per_cm2": [
                i / 10 for i in r.cycle_current_density_A_per_m2[:len(r.overpotential_V)]],
            "overpotential_mV": [1e3 * v for v in r.overpotential_V],
            "protrusion_um": (r.protrusion_um or [])[:len(r.overpotential_V)]})
    first = anodes[0]
    summary: dict[str, Any] = {"anode": first, "hours": hours, **sums[first]}
    if schedule is not None:
        summary["rate_steps_mA_per_cm2"] = [i / 10 for i in rate_steps_A_per_m2 or ()]
        summary["cycles_per_step"] = cycles_per_step
    if len(anodes) > 1:
        summary["by_anode"] = {a: {k: v for k, v in s.items() if k != "overpotential_mV"}
                               for a, s in sums.items()}
    if plots_on:
        plot_symmetric(out_dir / "symmetric.png", res)
    write_summary(out_dir, _with_warnings(summary, warns))
    write_run_record(out_dir, _record(psets, params, focus), extra={"warnings": warns})
    return summary


#: Relative distance from the calibration current below which a run is at that current.
CALIBRATION_CURRENT_RTOL = 1e-6


def nucleation_calibration_warnings(anode: str, current_density_A_per_m2: float,
                                    calibration_A_per_m2: float) -> list[str]:
    """A warning when the first plating runs at a current other than the one its
    ``nucleation_shape_factor`` was calibrated at (``li_cu_nucleation_current_density``,
    seed 004 L76).

    The calibrated overpotential is tip minus plateau; the tip follows the nucleation
    barrier and the plateau the growth kinetics, and no source splits the seed's
    interphase resistance between them, so the overpotential's change with current is
    not a prediction (docs/limetal.md, "nucleation overpotential and current").
    """
    if abs(current_density_A_per_m2 / calibration_A_per_m2 - 1) <= CALIBRATION_CURRENT_RTOL:
        return []
    return [f"{anode}: the nucleation overpotential is calibrated at "
            f"{calibration_A_per_m2 / 10:g} mA/cm2 (nucleation_shape_factor, seed 004 L76); "
            f"at {current_density_A_per_m2 / 10:g} mA/cm2 it is not a prediction of the "
            "measured one (how it changes with current depends on how the seed's interphase "
            "resistance splits between nucleation and growth, which no source gives; "
            "docs/limetal.md); the plateau and nuclei density follow the model"]


#: Least tip-minus-plateau overpotential read as a nucleation spike [V]. Assumed: the
#: precision a spike is read from a measured plating curve, the noise the nucleation fit
#: specs take (examples/fits/limetal_fit_nucleation_*.yaml, sigma 1 mV).
SPIKE_READ_V = 1e-3


def no_spike_warnings(anode: str, current_density_A_per_m2: float,
                      nucleation_overpotential_V: float) -> list[str]:
    """A warning when the first plating shows no readable nucleation spike (tip minus
    plateau below :data:`SPIKE_READ_V`): at high currents the growth overpotential
    reaches the nucleation barrier's, and the Cu-side voltage rises to its plateau without
    a dip, so the reported value is not a spike."""
    if nucleation_overpotential_V >= SPIKE_READ_V:
        return []
    return [f"{anode}: no nucleation spike at {current_density_A_per_m2 / 10:g} mA/cm2: tip "
            f"minus plateau is {1e3 * nucleation_overpotential_V:.3g} mV, below the "
            f"{1e3 * SPIKE_READ_V:g} mV a spike is read to on a plating curve (the growth "
            "overpotential has reached the nucleation barrier's)"]


def nucleation(anodes: Sequence[str], current_density_A_per_m2: float,
               areal_capacity_C_per_m2: float | None, out_dir: Path,
               overrides: Sequence[str] = (), kinetics: str = "rct",
               plots_on: bool = True) -> dict[str, Any]:
    """``hemcell limetal nucleation``: first Li plating on Cu."""
    from hemcell.limetal.licu import first_plating
    from hemcell.limetal.plots import plot_nucleation
    from hemcell.runinfo import report_warnings, write_run_record, write_summary

    given = areal_capacity_C_per_m2 is not None
    check_overrides("nucleation", anodes, overrides, kinetics, areal_capacity_given=given)
    out_dir.mkdir(parents=True, exist_ok=True)
    res, series, psets, params, sums = {}, {}, {}, {}, {}
    warns: list[str] = []
    for anode in anodes:
        pset, p, _info = _params("nucleation", anode, overrides, kinetics,
                                 areal_capacity_given=given, warnings=warns)
        q = (float(pset.si["li_cu_nucleation_areal_capacity"]) if areal_capacity_C_per_m2
             is None else areal_capacity_C_per_m2)
        report_warnings(nucleation_calibration_warnings(
            anode, current_density_A_per_m2, float(pset.si["li_cu_nucleation_current_density"])),
            warns)
        r, s = first_plating(p, current_density_A_per_m2, q)
        report_warnings(no_spike_warnings(anode, current_density_A_per_m2,
                                          r.nucleation_overpotential_V), warns)
        res[anode], series[anode], psets[anode], params[anode] = r, s, pset, p
        import numpy as np

        k = int(np.argmax(r.overpotential_V))
        sums[anode] = {
            "nucleation_overpotential_mV": 1e3 * r.nucleation_overpotential_V,
            "plateau_overpotential_mV": 1e3 * (r.plateau_V + s),
            "cu_side_tip_overpotential_mV": 1e3 * r.tip_V,
            "cu_side_plateau_overpotential_mV": 1e3 * r.plateau_V,
            "time_of_tip_s": r.t_s[k],
            "final_nuclei_per_cm2": r.nuclei_per_m2[-1] * 1e-4,
            "nucleation_shape_factor": p.nucleation_shape_factor,
        }
        _write_csv(out_dir / f"nucleation_{anode}.csv", {
            "time_s": r.t_s, "cu_overpotential_V": r.overpotential_V,
            "cell_voltage_V": [-(e + s) for e in r.overpotential_V],
            "nuclei_per_m2": r.nuclei_per_m2, "coverage": r.coverage})
    first = anodes[0]
    summary: dict[str, Any] = {"anode": first,
                               "current_density_mA_per_cm2": current_density_A_per_m2 / 10,
                               **sums[first]}
    if len(anodes) > 1:
        summary["by_anode"] = sums
    if plots_on:
        plot_nucleation(out_dir / "nucleation.png", res, series)
    write_summary(out_dir, _with_warnings(summary, warns))
    write_run_record(out_dir, _record(psets, params, {}), extra={"warnings": warns})
    return summary


def licu(anodes: Sequence[str], current_density_A_per_m2: float,
         areal_capacity_C_per_m2: float, cycles: int, out_dir: Path,
         overrides: Sequence[str] = (), kinetics: str = "rct",
         focusing_from_surface: bool = False, focusing_metric: str = "max",
         plots_on: bool = True) -> dict[str, Any]:
    """``hemcell limetal licu``: Li‖Cu Coulombic efficiency and overpotential over cycles."""
    from hemcell.errors import InputError
    from hemcell.limetal.licu import licu_summary, run_licu
    from hemcell.limetal.plots import plot_licu
    from hemcell.runinfo import write_run_record, write_summary

    if cycles < 1:
        raise InputError("--cycles", cycles, "an integer >= 1")
    _check_metric(focusing_metric, focusing_from_surface)
    check_overrides("licu", anodes, overrides, kinetics, focusing_from_surface)
    out_dir.mkdir(parents=True, exist_ok=True)
    res, psets, params, focus, sums = {}, {}, {}, {}, {}
    warns: list[str] = []
    for anode in anodes:
        pset, p, info = _params("licu", anode, overrides, kinetics, focusing_from_surface,
                                warnings=warns)
        if focusing_from_surface:
            p, info = _focused(p, current_density_A_per_m2, overrides, focusing_metric)
        r = run_licu(p, current_density_A_per_m2, areal_capacity_C_per_m2, cycles)
        res[anode], psets[anode], params[anode], focus[anode] = r, pset, p, info
        sums[anode] = licu_summary(r)
        _write_csv(out_dir / f"licu_{anode}.csv", {  # the cycles that ran, as symmetric
            "cycle": list(range(1, len(r.overpotential_V) + 1)),
            "coulombic_efficiency": r.coulombic_efficiency,
            "overpotential_mV": [1e3 * v for v in r.overpotential_V],
            "protrusion_um": (r.protrusion_um or [])[:len(r.overpotential_V)]})
    first = anodes[0]
    summary: dict[str, Any] = {"anode": first, **sums[first]}
    if len(anodes) > 1:
        summary["by_anode"] = {a: {k: v for k, v in s.items() if k != "overpotential_mV"}
                               for a, s in sums.items()}
    if plots_on:
        plot_licu(out_dir / "licu.png", res)
    write_summary(out_dir, _with_warnings(summary, warns))
    write_run_record(out_dir, _record(psets, params, focus), extra={"warnings": warns})
    return summary


def anode_list(anode: str) -> list[str]:
    """``bare``, ``coated`` or ``both`` → list of anodes."""
    from hemcell.errors import InputError

    if anode == "both":
        return ["bare", "coated"]
    if anode not in LI_ANODE_SETS:
        raise InputError("--anode", anode, "bare | coated | both")
    return [anode]
