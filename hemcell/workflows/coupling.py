"""Coupling to the surface model: the current focusing factor f.

This is the one place where the cell models meet the FEniCSx surface model
(``hemcell.surface``). The surface model solves the Li⁺ transport, Butler–Volmer
kinetics and mechanics near a perturbed bare or coated Li surface at a given mean
current density and reports ``current_focusing_factor`` f = max/mean of the normal
current on the Li surface. The cell models use f in two places
(:mod:`hemcell.limetal.kinetics`):

- the deposition overpotential that drives Li loss is evaluated at f times the mean
  current density (:mod:`hemcell.limetal.losses`);
- the cell-averaged Li kinetics use the effective exchange current i0/f.

Which focusing measure is f: ``max`` (default; max/mean, the hot spot, what the sets'
``current_focusing_factor`` holds) or ``current-weighted`` (f_w, the mean local current
seen by the plated charge; exact for a loss linear in the local current). On the default
bare sinusoid at 1 mA/cm**2 they are 2.30 and 1.18 (coated: 1.0006 and 1.0000001).

**Same kinetics on both sides.** The surface model's Li exchange current defaults to the
sets' ``li_exchange_current_density`` (Xu2019's carbonate fit, 7 mA/cm**2), the cell's to
the seed's charge-transfer resistance (0.42 mA/cm**2 bare). The coupling passes the
cell's bare exchange current to the surface run (the surface model derives the coated one
from it with the same 64/44 Ω ratio and activation energies), so f is computed with the
kinetics the cell uses. The bare focusing comes mostly from the native-SEI heterogeneity
of i0 and hardly depends on its mean (2.2945 vs 2.2977 at 1 mA/cm**2 for 7 vs 0.42
mA/cm**2); the coated one drops from 1.0067 to 1.0006.

Without ``--focusing-from-surface`` the set's ``current_focusing_factor`` is used (values
from one surface run at 1 mA/cm**2, recorded in the sets as ``derived``). With it,
:func:`focusing_from_surface` runs the surface case at the cell's own current density,
so f follows the current density. Results are cached on disk, keyed by the hash of the
fully resolved surface inputs (parameters, geometry, case), in ``$HEMCELL_CACHE_DIR``
or ``~/.cache/hemcell/focusing``.
"""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from hemcell.errors import InputError
from hemcell.limetal.parameters import LiMetalParameters

SURFACE_CASE = {"bare": "bare", "coated": "coated"}
#: Which focusing measure feeds the cell: ``max`` = max/mean (the surface model's
#: ``current_focusing_factor``, the hot spot), ``current-weighted`` = the mean local current
#: density seen by the plated charge, f_w = (integral i^2 ds) / (mean(i) integral i ds).
FOCUSING_METRICS = {"max": "current_focusing_factor",
                    "current-weighted": "current_weighted_focusing_factor"}


def current_weighted_focusing(x_m: Any, y_m: Any, current_density: Any) -> float:
    r"""f_w = ∫ i² ds / (ī ∫ i ds), ī = ∫ i ds / ∫ ds, on a sampled surface curve y(x).

    The average local current density weighted by the charge deposited there. For a loss
    that is linear in the local current (linear kinetics), the surface-averaged loss equals
    the loss at :math:`f_w \bar i`; max/mean is the hot spot alone and overstates it.
    """
    import numpy as np

    o = np.argsort(np.asarray(x_m))
    x, y, i = (np.asarray(v, dtype=float)[o] for v in (x_m, y_m, current_density))
    seg = np.hypot(np.diff(x), np.diff(y))
    w = 0.5 * (np.concatenate([[0.0], seg]) + np.concatenate([seg, [0.0]]))
    mean = float(np.sum(w * i) / np.sum(w))
    return float(np.sum(w * i * i) / np.sum(w * i) / mean)


def with_focusing(p: LiMetalParameters, focusing_factor: float) -> LiMetalParameters:
    """The coupling point: cell parameters with the focusing factor ``f`` set.

    Raises
    ------
    InputError
        If ``f < 1`` (max/mean cannot be below 1).
    """
    if not focusing_factor >= 1.0:
        raise InputError("current_focusing_factor", focusing_factor, "a factor >= 1")
    return dataclasses.replace(p, focusing_factor=float(focusing_factor))


def cache_dir() -> Path:
    """Folder of cached surface results."""
    root = os.environ.get("HEMCELL_CACHE_DIR")
    base = Path(root) if root else Path.home() / ".cache" / "hemcell"
    return base / "focusing"


def focusing_from_surface(anode: str, current_density_A_per_m2: float,
                          overrides: Sequence[str] = (), geometry: str = "sinusoid",
                          use_cache: bool = True,
                          exchange_current_ref_A_per_m2: float | None = None
                          ) -> dict[str, Any]:
    """Run (or read from cache) the surface model at a mean current density.

    Parameters
    ----------
    anode
        ``bare`` or ``coated``.
    current_density_A_per_m2
        Mean plating current density on the Li surface.
    overrides
        ``--set`` overrides, applied to the surface sets as well.
    geometry
        Surface geometry (``sinusoid`` by default, the one the sets' values come from).
    use_cache
        Read and write the cache.
    exchange_current_ref_A_per_m2
        Bare Li exchange current at the reference temperature for the surface run (the
        cell's); None keeps the surface set's value.

    Returns
    -------
    dict
        ``current_focusing_factor``, ``parameters_hash``, ``cached`` and the surface
        metrics.
    """
    from hemcell.runinfo import parameter_hash, write_json

    if anode not in SURFACE_CASE:
        raise InputError("--anode", anode, "bare | coated")
    if not current_density_A_per_m2 > 0:
        raise InputError("current density", current_density_A_per_m2, "> 0 A/m**2")
    from hemcell.workflows.surface import resolve_case

    sets = [*overrides, f"applied_current_density={current_density_A_per_m2!r} A/m**2"]
    if exchange_current_ref_A_per_m2 is not None:
        if not exchange_current_ref_A_per_m2 > 0:
            raise InputError("exchange current for the surface run",
                             exchange_current_ref_A_per_m2, "> 0 A/m**2")
        sets.append(f"li_exchange_current_density={exchange_current_ref_A_per_m2!r} A/m**2")
    rc = resolve_case(SURFACE_CASE[anode], geometry, sets)
    key = parameter_hash({"record": rc.record, "model": "hemcell.surface sinusoid v2"})
    path = cache_dir() / f"{key}.json"
    if use_cache and path.is_file():
        data = json.loads(path.read_text())
        data["cached"] = True
        return data
    from hemcell.surface.metrics import compute_metrics
    from hemcell.workflows.surface import solve_case

    result = solve_case(rc)
    metrics = compute_metrics(result)
    s = result.samples
    f_w = current_weighted_focusing(
        s.x_m, result.transport.sm.spec.profile(s.x_m)[1], s.current_density_A_per_m2)
    data = {"current_focusing_factor": float(metrics["current_focusing_factor"]),
            "current_weighted_focusing_factor": f_w,
            "parameters_hash": key, "anode": anode, "geometry": geometry,
            "current_density_A_per_m2": current_density_A_per_m2,
            "exchange_current_ref_A_per_m2": exchange_current_ref_A_per_m2,
            "metrics": metrics}
    if use_cache:
        write_json(path, data)
    data["cached"] = False
    return data
