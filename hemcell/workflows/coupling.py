"""Coupling to the surface model: the current focusing factor f.

This is the one place where the cell models meet the FEniCSx surface model
(``hemcell.surface``). The surface model solves the Li⁺ transport, Butler–Volmer
kinetics and mechanics near a perturbed bare or coated Li surface at a given mean
current density and reports ``current_focusing_factor`` f = max/mean of the normal
current on the Li surface. The cell models use f in one place only
(:mod:`hemcell.limetal.kinetics`): the deposition overpotential that drives Li loss is
evaluated at f times the mean current density (:mod:`hemcell.limetal.losses`). The
cell-averaged Li kinetics use the i0 of the measured resistance at the mean current: the
measurement already holds the real surface's focusing.

Which focusing measure is f: ``max`` (default; max/mean, the hot spot, what the sets'
``current_focusing_factor`` holds) or ``current-weighted`` (f_w, the mean local current
seen by the plated charge; exact for a loss linear in the local current). On the default
bare sinusoid at 1 mA/cm**2 they are 2.30 and 1.18 (coated: 1.0006 and 1.0000001).

**Same kinetics on both sides.** The cell hands the surface run a typed
:class:`SurfaceRequest` built from its own parameters (:meth:`SurfaceRequest.from_cell`):
the anode, the mean Li current density, the cell temperature and the cell's Li exchange
current at that temperature (``LiMetalParameters.exchange_current_A_per_m2``: from the
seed's 64/44 Ω by default, or the set's value with ``--kinetics set``).
:func:`hemcell.workflows.surface.resolve_case` takes these as floats and sets the
surface model's kinetics so that its mean exchange current of the case equals the cell's
(coated Li through the same coated-interface rule, :func:`hemcell.laws.coated_exchange_current`).
Stand-alone ``hemcell surface`` runs keep the sets' ``li_exchange_current_density``
(Xu2019's carbonate fit, 7 mA/cm**2). The bare focusing comes mostly from the native-SEI
heterogeneity of i0 and hardly depends on its mean (2.2945 vs 2.2977 at 1 mA/cm**2 for 7
vs 0.42 mA/cm**2); the coated one drops from 1.0067 to 1.0006.

Without ``--focusing-from-surface`` the set's ``current_focusing_factor`` is used (values
from one surface run at 1 mA/cm**2, recorded in the sets as ``derived``). With it,
:func:`focusing_from_surface` (the one function every coupled command calls) runs the
surface case at the cell's own current density, so f follows the current density.
Results are cached on disk, keyed by the hash of the fully resolved surface inputs
(parameters, geometry, case), in ``$HEMCELL_CACHE_DIR`` or ``~/.cache/hemcell/focusing``.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from hemcell.errors import InputError
from hemcell.limetal.parameters import LiMetalParameters
from hemcell.resources import cache_root

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
    return cache_root() / "focusing"


@dataclass(frozen=True)
class SurfaceRequest:
    """What a Li-metal cell asks of the surface model (typed, SI).

    Attributes
    ----------
    anode
        ``bare`` or ``coated`` (the surface case of the same name).
    current_density_A_per_m2
        Mean plating current density on the Li surface [A/m**2].
    temperature_K
        Cell temperature [K].
    exchange_current_A_per_m2
        The cell's Li exchange current density of this anode at ``temperature_K``
        [A/m**2] (unfocused).
    geometry
        Surface geometry (``sinusoid``: the one the sets' focusing factors come from).
    overrides
        The user's ``--set`` strings, applied to the surface sets as well (the cell and
        the surface read the same ``bare_li`` / ``azcnf_coated_li`` sets).
    """

    anode: str
    current_density_A_per_m2: float
    temperature_K: float
    exchange_current_A_per_m2: float
    geometry: str = "sinusoid"
    overrides: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        """Reject an unknown anode and non-positive numbers."""
        if self.anode not in SURFACE_CASE:
            raise InputError("--anode", self.anode, " | ".join(SURFACE_CASE))
        for name in ("current_density_A_per_m2", "temperature_K", "exchange_current_A_per_m2"):
            v = getattr(self, name)
            if not v > 0:
                raise InputError(f"surface request: {name}", v, "a number > 0")

    @classmethod
    def from_cell(cls, p: LiMetalParameters, current_density_A_per_m2: float,
                  overrides: Sequence[str] = (), geometry: str = "sinusoid"
                  ) -> SurfaceRequest:
        """The request of a cell: its anode, temperature and Li kinetics at a current."""
        return cls(p.anode, float(current_density_A_per_m2), p.temperature_K,
                   p.exchange_current_A_per_m2, geometry, tuple(overrides))


@dataclass(frozen=True)
class FocusingResult:
    """The surface model's answer to a :class:`SurfaceRequest`.

    Attributes
    ----------
    focusing_factor
        The factor the cell uses (the chosen ``metric``).
    metric
        ``max`` or ``current-weighted`` (:data:`FOCUSING_METRICS`).
    current_focusing_factor, current_weighted_focusing_factor
        max/mean and f_w of the surface current.
    request
        The request answered (what the surface run was given).
    parameters_hash
        Hash of the fully resolved surface inputs (the cache key).
    cached
        Whether the value came from the cache.
    metrics
        All surface metrics of the run.
    """

    focusing_factor: float
    metric: str
    current_focusing_factor: float
    current_weighted_focusing_factor: float
    request: SurfaceRequest
    parameters_hash: str
    cached: bool
    metrics: dict[str, Any] = field(default_factory=dict, compare=False)

    def record(self) -> dict[str, Any]:
        """Provenance for run.json (without the full surface metrics)."""
        return {"source": "hemcell.surface", "metric": self.metric,
                "current_focusing_factor": self.focusing_factor,
                "max_over_mean": self.current_focusing_factor,
                "current_weighted": self.current_weighted_focusing_factor,
                "request": asdict(self.request),
                "parameters_hash": self.parameters_hash, "cached": self.cached}


def focusing_from_surface(p: LiMetalParameters, current_density_A_per_m2: float,
                          overrides: Sequence[str] = (), metric: str = "max",
                          geometry: str = "sinusoid", use_cache: bool = True
                          ) -> FocusingResult:
    """Current focusing from the surface model, with the cell's Li kinetics.

    The one coupling function: every coupled command (``rate``, ``cycle``,
    ``symmetric``, ``licu``) calls it with its cell parameters ``p``; the surface run
    gets the cell's anode, temperature and exchange current
    (:meth:`SurfaceRequest.from_cell`) as typed values.

    Parameters
    ----------
    p
        The cell parameters (their focusing factor is not used).
    current_density_A_per_m2
        Mean plating current density on the Li surface.
    overrides
        The user's ``--set`` overrides, applied to the surface sets as well.
    metric
        ``max`` or ``current-weighted``.
    geometry
        Surface geometry.
    use_cache
        Read and write the cache.

    Raises
    ------
    InputError
        Unknown metric or anode, non-positive current density.
    """
    if metric not in FOCUSING_METRICS:
        raise InputError("--focusing-metric", metric, " | ".join(FOCUSING_METRICS))
    request = SurfaceRequest.from_cell(p, current_density_A_per_m2, overrides, geometry)
    data = _solve_surface(request, use_cache)
    return FocusingResult(
        focusing_factor=float(data[FOCUSING_METRICS[metric]]), metric=metric,
        current_focusing_factor=float(data["current_focusing_factor"]),
        current_weighted_focusing_factor=float(data["current_weighted_focusing_factor"]),
        request=request, parameters_hash=data["parameters_hash"], cached=data["cached"],
        metrics=data["metrics"])


def _solve_surface(request: SurfaceRequest, use_cache: bool) -> dict[str, Any]:
    """Run (or read from the cache) the surface case of a request."""
    from hemcell.runinfo import parameter_hash, write_json
    from hemcell.workflows.surface import resolve_case

    rc = resolve_case(SURFACE_CASE[request.anode], request.geometry, request.overrides,
                      current_density_A_per_m2=request.current_density_A_per_m2,
                      temperature_K=request.temperature_K,
                      exchange_current_A_per_m2=request.exchange_current_A_per_m2)
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
            "parameters_hash": key, "request": asdict(request), "metrics": metrics}
    if use_cache:
        write_json(path, data)
    data["cached"] = False
    return data
