"""``hemcell limetal zn-symmetric``: Zn‖Zn symmetric cells with hydrogen-evolution loss.

Loads ``zn_bare`` / ``zn_hem_coated`` (:data:`hemcell.params.metal_sets.METAL_SETS`),
applies ``--set`` overrides (only the names :data:`hemcell.limetal.zinc.PARAMETERS`
reads; others exit 2), runs :func:`hemcell.limetal.zinc.symmetric_cell` for each anode and
writes ``summary.json`` (the first anode's results, ``by_anode`` for all, and the
coated/bare ratios), ``run.json`` (the sets with their sources) and, unless
``--no-plots``, ``zn_symmetric.png``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from hemcell.errors import InputError
from hemcell.params.metal_sets import metal_sets
from hemcell.params.uses import override_keys, refuse_unread

ANODES: tuple[str, ...] = ("bare", "coated")


def zn_anode_list(anode: str) -> list[str]:
    """``bare``, ``coated`` or ``both`` → list of anodes."""
    if anode == "both":
        return list(ANODES)
    if anode not in ANODES:
        raise InputError("--anode", anode, "bare | coated | both")
    return [anode]


def check_overrides(overrides: Sequence[str] | None) -> None:
    """Refuse (exit 2) a ``--set`` key the Zn‖Zn cell does not read."""
    from hemcell.limetal.zinc import PARAMETERS

    refuse_unread(override_keys(overrides), [u.key for u in PARAMETERS],
                  "`hemcell limetal zn-symmetric`")


def check_set_keys(kwargs: Mapping[str, Any]) -> None:
    """:func:`check_overrides` of a parsed ``limetal zn-symmetric`` argument list (the
    sweep-spec check, before anything runs)."""
    check_overrides(kwargs.get("set_") or ())


#: Current densities of the CE map in ``zn_symmetric.png`` [A m⁻²]: 0.1–100 mA cm⁻²,
#: the range of Zn‖Zn tests in aqueous ZnSO₄.
CE_MAP_CURRENTS_A_PER_M2: tuple[float, ...] = tuple(10.0 ** (k / 4) for k in range(0, 13))


def sand_time_warnings(anode: str, result: Any) -> list[str]:
    """A warning when the free electrolyte at the plating surface runs out within a
    half-cycle at the mean current (Sand's time below the half-cycle time,
    ``failure_mode`` "short possible"): the cell cannot carry that current by diffusion,
    and the coulombic efficiency and inventory life, which assume it does, are not a real
    cell's."""
    if result.failure_mode != "short possible":
        return []
    return [f"{anode}: Sand's time {result.sand_time_s:.3g} s is shorter than the half "
            f"cycle ({result.half_cycle_time_s:.3g} s) at the mean current: the electrolyte "
            "at the plating surface runs out even without current focusing, so the cell "
            "cannot carry this current; the CE and inventory life assume it does (a lower "
            "--current-density)"]


def zn_symmetric(anodes: Sequence[str], out_dir: Path, overrides: Sequence[str] = (),
                 current_density_A_per_m2: float | None = None,
                 areal_capacity_C_per_m2: float | None = None,
                 plots_on: bool = True) -> dict[str, Any]:
    """Zn‖Zn Coulombic efficiency (HER loss) and inventory life for each anode.

    ``current_density_A_per_m2`` / ``areal_capacity_C_per_m2`` replace the sets'
    ``zn_symmetric_current_density`` / ``zn_symmetric_areal_capacity``. With
    ``plots_on``, ``zn_symmetric.png``: Zn left over time and CE vs current density
    (:data:`CE_MAP_CURRENTS_A_PER_M2`, same plated capacity).
    """
    from dataclasses import asdict, replace

    from hemcell.limetal.zinc import (
        her_current_at_zinc_equilibrium_A_per_m2,
        symmetric_cell,
        zinc_cell_parameters,
        zn_electrolyte_temperature_warnings,
    )
    from hemcell.params import ambient_temperature_K, load_parameter_set
    from hemcell.runinfo import report_warnings, write_run_record, write_summary

    check_overrides(overrides)
    names = metal_sets("Zn")
    psets = {}
    for role, name in names.items():
        ps = load_parameter_set(name)
        psets[role] = ps.with_overrides(list(overrides)) if overrides else ps
    by_anode: dict[str, dict[str, Any]] = {}
    results: dict[str, Any] = {}
    ce_maps: dict[str, tuple[list[float], list[float]]] = {}
    params: dict[str, Any] = {}
    warns: list[str] = []
    for anode in anodes:
        bare_si = psets["bare"].si if anode == "coated" else None
        # the liquid range first: at a few K the Arrhenius i0 underflows to 0 and the
        # parameters' positivity check would name it instead of the temperature
        report_warnings(zn_electrolyte_temperature_warnings(
            ambient_temperature_K(names[anode], overrides)), warns)
        p = zinc_cell_parameters(psets[anode].si, names[anode], bare_si)
        typed = {k: v for k, v in (("current_density_A_per_m2", current_density_A_per_m2),
                                   ("areal_capacity_C_per_m2", areal_capacity_C_per_m2))
                 if v is not None}
        if typed:
            p = replace(p, **typed)
        params[anode] = asdict(p)
        results[anode] = symmetric_cell(p)
        report_warnings(sand_time_warnings(anode, results[anode]), warns)
        by_anode[anode] = {"current_density_mA_per_cm2": p.current_density_A_per_m2 / 10.0,
                           "areal_capacity_mAh_per_cm2": p.areal_capacity_C_per_m2 / 36000.0,
                           **results[anode].summary()}
        if plots_on:  # no point where no Zn is plated (at or below the HER threshold)
            threshold = her_current_at_zinc_equilibrium_A_per_m2(p)
            ce_maps[anode] = (
                [j / 10.0 for j in CE_MAP_CURRENTS_A_PER_M2],
                [symmetric_cell(replace(p, current_density_A_per_m2=j)).coulombic_efficiency
                 if j > threshold else math.nan for j in CE_MAP_CURRENTS_A_PER_M2])
    summary: dict[str, Any] = {"anode": anodes[0], **by_anode[anodes[0]],
                               "by_anode": by_anode}
    if len(by_anode) == 2:
        b, c = by_anode["bare"], by_anode["coated"]
        summary["her_loss_ratio_coated_to_bare"] = (
            (1 - c["coulombic_efficiency"]) / (1 - b["coulombic_efficiency"]))
        summary["life_ratio_coated_to_bare"] = c["life_h"] / b["life_h"]
    if warns:
        summary["warnings"] = warns
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    write_summary(out_dir, summary)
    if plots_on:
        from hemcell.limetal.plots import plot_zinc_symmetric

        plot_zinc_symmetric(out_dir / "zn_symmetric.png", results, ce_maps,
                            by_anode[anodes[0]]["current_density_mA_per_cm2"])
    write_run_record(out_dir, {"metal": "Zn", "overrides": list(overrides),
                               "cell_parameters": params,
                               "parameter_sets": {r: ps.record() for r, ps in psets.items()}},
                     extra={"warnings": warns})
    return summary
