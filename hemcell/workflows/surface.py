"""Running surface cases from parameter sets: ``run`` and ``compare``.

Parameter resolution (later wins): ``surface_defaults`` → the material sets
``bare_li`` and ``azcnf_coated_li`` (:data:`hemcell.params.li_sets.LI_ANODE_SETS`) →
``--set`` overrides (applied to every set; a name must be in the registry) → typed
values from a caller (:func:`resolve_case`'s ``current_density_A_per_m2``,
``temperature_K``, ``exchange_current_A_per_m2``: the Li-metal cells hand over their
own current, temperature and Li kinetics this way, see
:mod:`hemcell.workflows.coupling`; ``coating_thickness_m``: the thickness study's
thicknesses). Geometry lengths come from ``surface_defaults``; the coating thickness from
the coated set.

Temperature: the run is isothermal at ``ambient_temperature`` (or the typed
``temperature_K``); the Li exchange current follows by Arrhenius with the sets'
activation energies (:func:`hemcell.surface.kinetics.mean_exchange_current_density`).
The Li sets' electrolyte transport values (evaluated at 298.15 K) are carried to the
run's temperature by the Valøen & Reimers fits; outside their assumed range the run goes on
with a warning (stderr and run.json ``warnings``), at the fit's divergence it stops
(:func:`electrolyte_temperature_warnings`). The aqueous Zn electrolyte keeps its values,
with a warning below its assumed lower bound.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from hemcell.errors import InputError, SimulationError
from hemcell.materials.elements import refuse_molten_metal
from hemcell.params.li_sets import LI_ANODE_SETS
from hemcell.params.metal_sets import AQUEOUS_METALS, metal_sets
from hemcell.params.uses import ParameterUse, expand, override_keys, refuse_unread
from hemcell.surface.geometry import GEOMETRIES, GeometryKind, GeometrySpec
from hemcell.surface.parameters import (
    CASES,
    Case,
    Control,
    SurfaceParameters,
    geometry_from_si,
    surface_parameters_from_sets,
)
from hemcell.surface.thin_film import check_thin_film

DIMS: tuple[int, ...] = (2, 3)
DEFAULT_SETS = {"defaults": "surface_defaults", **LI_ANODE_SETS}


@dataclass(frozen=True)
class ResolvedCase:
    """Parameters, geometry and provenance of one case."""

    case: Case
    parameters: SurfaceParameters
    geometry: GeometrySpec
    record: dict[str, Any]
    defaults_si: dict[str, Any] = field(default_factory=dict)
    dim: int = 2


def resolve_case(
    case: str,
    geometry: str = "sinusoid",
    overrides: Sequence[str] = (),
    control: Control = "galvanostatic",
    sets: dict[str, str] | None = None,
    dim: int = 2,
    *,
    current_density_A_per_m2: float | None = None,
    temperature_K: float | None = None,
    exchange_current_A_per_m2: float | None = None,
    coating_thickness_m: float | None = None,
    metal: str = "Li",
    stack_pressure: bool = True,
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
    dim
        2, or 3 (``flat``/``nucleus``/``random``, cases ``bare``/``coated_thin``, mesh
        sizes ``surface_mesh_size_3d``/``far_mesh_size_3d``).
    current_density_A_per_m2
        Mean plating current density [A/m**2] instead of ``applied_current_density``.
    temperature_K
        Temperature [K] instead of ``ambient_temperature``.
    exchange_current_A_per_m2
        The case's mean Li exchange current density at ``temperature_K`` [A/m**2]
        instead of the one the sets give; the bare reference value is set so that
        :func:`~hemcell.surface.kinetics.mean_exchange_current_density` returns it
        (coated Li: through the coated-interface rule).
    coating_thickness_m
        Coating thickness h [m] instead of ``coating_thickness`` (before the
        coated-interface rule inverts a typed exchange current).
    metal
        ``Li`` (``bare_li``/``azcnf_coated_li``) or ``Zn`` (``zn_bare``/``zn_hem_coated``:
        Zn²⁺, z = 2, in aqueous ZnSO₄ with hydrogen evolution); :data:`METAL_SETS`.
        ``sets`` entries replace the metal's.
    stack_pressure
        The model presses the metal with ``stack_pressure`` (the surface model; the phase
        field, which has none, passes False): a potentiostatic ``applied_potential`` at
        or below its shift of the equilibrium is refused
        (:func:`~hemcell.surface.analytic.refuse_potential_below_stress_shift`).

    Raises
    ------
    InputError
        Unknown case, geometry or dimension; a typed value that is not positive; a Li
        surface at or above Li's melting point
        (:func:`hemcell.materials.elements.refuse_molten_metal`, as the Li-metal cells);
        a geometry that cannot be meshed (:class:`~hemcell.surface.geometry.GeometrySpec`);
        a ``coated_thin`` film as thick as the surface's smallest trough radius
        (:func:`~hemcell.surface.thin_film.check_thin_film`, 2D and 3D), so that every
        caller (``surface run|compare``, steady or ``--transient``, ``surface run``
        sweeps) refuses it before meshing.
    """
    from hemcell.params import load_parameter_set

    if dim not in DIMS:
        raise InputError("--dim", dim, ", ".join(map(str, DIMS)))
    if case not in CASES:
        raise InputError("--case", case, ", ".join(CASES))
    if geometry not in GEOMETRIES:
        raise InputError("--geometry", geometry, ", ".join(GEOMETRIES))
    if dim == 3 and case == "coated":
        raise InputError("--case (with --dim 3)", case,
                         "bare, coated_thin (the resolved nm coating is meshed in 2D only)")
    names = dict(DEFAULT_SETS, **metal_sets(metal), **(sets or {}))
    loaded = {}
    for role, name in names.items():
        ps = load_parameter_set(name)
        if overrides:
            ps = ps.with_overrides(list(overrides))
        loaded[role] = ps
    si = {role: ps.si for role, ps in loaded.items()}
    params = surface_parameters_from_sets(si["defaults"], si["bare"], si["coated"],
                                          case, control)  # type: ignore[arg-type]
    typed = {"current_density_A_per_m2": current_density_A_per_m2,
             "temperature_K": temperature_K,
             "exchange_current_A_per_m2": exchange_current_A_per_m2,
             "coating_thickness_m": coating_thickness_m}
    params = _with_typed_values(params, case, **typed)  # type: ignore[arg-type]
    if stack_pressure:
        from hemcell.surface.analytic import refuse_potential_below_stress_shift

        refuse_potential_below_stress_shift(params)
    if metal not in AQUEOUS_METALS:  # Zn: the aqueous electrolyte's range is far below
        refuse_molten_metal(metal, params.temperature_K, "electrode",
                            hint="the surface and phase-field models plate on a solid "
                                 "metal (set ambient_temperature with --set "
                                 "ambient_temperature=...)")
    warnings = electrolyte_temperature_warnings(params, metal)
    if metal not in AQUEOUS_METALS:
        params = _electrolyte_at_temperature(params)
    h = params.coating_thickness_m if case == "coated" else 0.0
    geo: GeometryKind = geometry  # type: ignore[assignment]
    spec = geometry_from_si(si["defaults"], geo, h)
    if dim == 3:
        spec = _spec_3d(spec, si["defaults"])
    if case == "coated_thin":  # before anything is meshed (the solvers check it again)
        check_thin_film(spec, params.coating_thickness_m, dim)
    record = {
        "case": case,
        "metal": metal,
        "dim": dim,
        "geometry": asdict(spec),
        "control": control,
        "overrides": list(overrides),
        "typed_inputs": {k: v for k, v in typed.items() if v is not None},
        "surface_parameters": asdict(params),
        "parameter_sets": {role: ps.record() for role, ps in loaded.items()},
    }
    if warnings:
        record["warnings"] = warnings
    return ResolvedCase(case, params, spec, record, dict(si["defaults"]),  # type: ignore[arg-type]
                        dim=dim)


def _with_typed_values(params: SurfaceParameters, case: Case,
                       current_density_A_per_m2: float | None,
                       temperature_K: float | None,
                       exchange_current_A_per_m2: float | None,
                       coating_thickness_m: float | None) -> SurfaceParameters:
    """The parameters with a caller's typed current, temperature, coating thickness and Li
    kinetics."""
    from hemcell.surface.kinetics import bare_reference_exchange_current

    names = {"current_density_A_per_m2": current_density_A_per_m2,
             "temperature_K": temperature_K,
             "exchange_current_A_per_m2": exchange_current_A_per_m2,
             "coating_thickness_m": coating_thickness_m}
    for name, value in names.items():
        if value is not None and not value > 0:
            raise InputError(f"surface run: {name}", value, "a number > 0")
    changes: dict[str, float] = {}
    if current_density_A_per_m2 is not None:
        changes["applied_current_density_A_per_m2"] = float(current_density_A_per_m2)
    if temperature_K is not None:
        changes["temperature_K"] = float(temperature_K)
    if coating_thickness_m is not None:
        changes["coating_thickness_m"] = float(coating_thickness_m)
    if changes:
        params = params.replace(**changes)
    if exchange_current_A_per_m2 is not None:
        params = params.replace(exchange_current_density_A_per_m2=bare_reference_exchange_current(
            params, case, float(exchange_current_A_per_m2)))
    return params


def electrolyte_temperature_warnings(params: SurfaceParameters, metal: str) -> list[str]:
    """The electrolyte's temperature policy at the run's temperature, written to stderr
    by MPI rank 0 (:func:`hemcell.runinfo.report_warnings`): Li, the Valøen & Reimers range
    (:func:`hemcell.materials.lipf6_electrolyte.electrolyte_temperature_warnings`, exit 2 at the
    fit's divergence); Zn, the aqueous electrolyte's liquid range (exit 2 outside it)
    (:func:`hemcell.limetal.zinc.zn_electrolyte_temperature_warnings`)."""
    from mpi4py import MPI

    from hemcell.limetal.zinc import zn_electrolyte_temperature_warnings
    from hemcell.materials.lipf6_electrolyte import electrolyte_temperature_warnings as li_warnings
    from hemcell.runinfo import report_warnings

    if metal in AQUEOUS_METALS:
        new = zn_electrolyte_temperature_warnings(params.temperature_K)
    else:
        new = li_warnings(params.temperature_K, params.bulk_concentration_mol_per_m3)
    return report_warnings(new) if MPI.COMM_WORLD.rank == 0 else new  # one line per run


def _electrolyte_at_temperature(params: SurfaceParameters) -> SurfaceParameters:
    """The Li sets' electrolyte (LiPF6 carbonate, Valøen & Reimers values at 298.15 K)
    carried to the run's temperature by the same fits, as the Li-metal cells do
    (:func:`hemcell.materials.lipf6_electrolyte.valoen_reimers_ratio`). The aqueous Zn electrolyte
    has no sourced temperature law and keeps its values."""
    from hemcell.materials.lipf6_electrolyte import valoen_reimers_ratio

    k_ratio, d_ratio = valoen_reimers_ratio(params.temperature_K,
                                            params.bulk_concentration_mol_per_m3)
    return params.replace(
        electrolyte_conductivity_S_per_m=params.electrolyte_conductivity_S_per_m * k_ratio,
        electrolyte_diffusivity_m2_per_s=params.electrolyte_diffusivity_m2_per_s * d_ratio)


def _spec_3d(spec: GeometrySpec, defaults_si: dict[str, Any]) -> GeometrySpec:
    """The geometry with the 3D mesh sizes (``*_3d`` in ``surface_defaults``), checked
    under their names (:func:`~hemcell.surface.geometry3d.check_spec_3d`)."""
    from hemcell.surface.geometry3d import check_spec_3d
    from hemcell.surface.parameters import MESH_3D_NAMES, _pick

    sizes = {}
    for fld, use in MESH_3D_NAMES.items():
        v = _pick(defaults_si, (use.key,))
        if v is not None:
            sizes[fld] = float(v)
    return check_spec_3d(spec, sizes, {fld: use.key for fld, use in MESH_3D_NAMES.items()})


def case_parameter_uses(case: str, geometry: str, dim: int = 2, transient: bool = False,
                        control: str = "galvanostatic", mechanics: bool = True,
                        coating_band: bool | None = None, *, typed_current: bool = False,
                        typed_temperature: bool = False, typed_exchange_current: bool = False,
                        transient_options: Sequence[str] = (),
                        metal: str = "Li") -> dict[str, ParameterUse]:
    """Registry name → declaration of what one surface case reads from the sets.

    :func:`hemcell.surface.parameters.surface_parameter_uses` for the solve, the transient
    settings of a transient run (less those ``transient_options`` replace: ``duration_s``,
    ``time_step_s``, ``frames``), less the values a caller hands over typed
    (:func:`resolve_case`: ``applied_current_density``, ``ambient_temperature``,
    ``li_exchange_current_density``; the coated-interface rule that inverts a typed i0
    reads what the case reads anyway).
    """
    from hemcell.surface.parameters import surface_parameter_uses

    uses = [*surface_parameter_uses(case, geometry, dim, transient, control, mechanics,
                                    coating_band, hydrogen_evolution=metal in AQUEOUS_METALS)]
    if transient:
        uses += [u for k, u in _TRANSIENT_NAMES.items() if k not in transient_options]
    typed = {"applied_current_density": typed_current, "ambient_temperature": typed_temperature,
             "li_exchange_current_density": typed_exchange_current}
    return {k: u for k, u in expand(uses).items() if not typed.get(k)}


def _transient_mechanics(overrides: Sequence[str]) -> bool:
    """Whether a transient run solves the elasticity (``transient_mechanics_interval`` > 0
    in ``surface_defaults`` after the overrides)."""
    from hemcell.params import load_parameter_set

    mine = [o for o, k in zip(overrides, override_keys(overrides), strict=True)
            if k == "transient_mechanics_interval"]
    ps = load_parameter_set(DEFAULT_SETS["defaults"])
    if mine:
        ps = ps.with_overrides(mine)
    return "transient_mechanics_interval" in ps and float(ps.si[
        "transient_mechanics_interval"]) > 0  # type: ignore[arg-type]


#: What each ``hemcell surface`` command replaces itself (per seed, per thickness).
COMMAND_SETS_ITSELF: dict[str, tuple[str, ...]] = {
    "seeds": ("roughness_seed", "sei_seed"),
    "thickness": ("coating_thickness", "sei_seed", "coating_coverage_seed"),
}


def command_read_keys(command: str, overrides: Sequence[str] = (), *, case: str = "bare",
                      geometry: str = "sinusoid", dim: int = 2, transient: bool = False,
                      control: str = "galvanostatic",
                      transient_options: Sequence[str] = (), metal: str = "Li") -> list[str]:
    """Registry names ``hemcell surface COMMAND`` reads (``run``, ``compare``, ``seeds``,
    ``thickness``; ``case`` only for ``run``)."""
    mech = _transient_mechanics(overrides) if transient else True
    opts = dict(dim=dim, transient=transient, control=control, mechanics=mech,
                transient_options=transient_options, metal=metal)
    if command == "run":
        runs = [(case, geometry, None)]
    elif command == "compare":
        runs = [("bare", geometry, dim == 2), ("coated_thin" if dim == 3 else "coated",
                                               geometry, None)]
        opts["transient_options"] = (*transient_options, "frames")
    elif command in ("seeds", "thickness"):
        runs = [("bare", geometry, None),
                ("coated" if command == "seeds" else "coated_thin", geometry, None)]
        opts = dict(dim=2, metal=metal)
    else:
        raise InputError("surface command", command, "run | compare | seeds | thickness")
    keys: dict[str, ParameterUse] = {}
    for c, g, band in runs:
        keys.update(case_parameter_uses(c, g, coating_band=band, **opts))  # type: ignore[arg-type]
    own = COMMAND_SETS_ITSELF.get(command, ())
    return [k for k in keys if k not in own]


def check_overrides(command: str, overrides: Sequence[str] | None, **model: Any) -> None:
    """Refuse (exit 2) a ``--set`` key ``hemcell surface COMMAND`` does not read, naming the
    command, its case(s) and geometry, and the closest names it reads."""
    keys = override_keys(overrides)
    if not keys:
        return
    reads = command_read_keys(command, list(overrides or []), **model)
    what = ", ".join(f"{k} {v}" for k, v in model.items() if k != "transient_options")
    try:
        refuse_unread(keys, reads, f"`hemcell surface {command}` ({what})")
    except InputError as exc:
        elsewhere = _options_that_read(command, str(exc.value), list(overrides or []), model)
        if not elsewhere:
            raise
        raise InputError(exc.field, exc.value, exc.allowed,
                         hint=f"{exc.hint}; it is read with {' or '.join(elsewhere)}"
                         ) from None


#: The options of ``hemcell surface run|compare`` that change what a solve reads, with
#: their values (the first is the default).
_READ_OPTIONS: dict[str, tuple[Any, ...]] = {
    "case": CASES, "geometry": GEOMETRIES, "control": ("galvanostatic", "potentiostatic"),
    "transient": (False, True), "dim": DIMS, "metal": ("Li", "Zn")}


def _options_that_read(command: str, key: str, overrides: Sequence[str],
                       model: Mapping[str, Any]) -> list[str]:
    """The single option changes (``--case coated``, ``--geometry nucleus``,
    ``--transient``, ...) under which ``hemcell surface COMMAND`` reads ``key``."""
    found = []
    for option, values in _READ_OPTIONS.items():
        if option not in model and option not in ("metal", "transient", "control", "dim"):
            continue  # e.g. --case of compare, seeds, thickness
        if command in ("seeds", "thickness") and option != "geometry":
            continue
        for value in values:
            if model.get(option, values[0]) == value:
                continue
            try:
                reads = command_read_keys(command, overrides, **{**model, option: value})
            except InputError:  # not a combination the command takes
                continue
            if key in reads:
                flag = f"--{option.replace('_', '-')}"
                found.append(flag if value is True else f"{flag} {value}")
    return found[:4]


def _kwargs_model(kwargs: Mapping[str, Any], command: str) -> dict[str, Any]:
    """The model options of a parsed ``hemcell surface COMMAND`` argument list."""
    transient = bool(kwargs.get("transient"))
    dim = int(kwargs.get("dim") or 2)
    geometry = kwargs.get("geometry") or ("flat" if command == "thickness" else
                                          "random" if command == "seeds" else
                                          "flat" if dim == 3 else "sinusoid")
    model: dict[str, Any] = {"geometry": geometry}
    if command in ("run", "compare"):
        model.update(dim=dim, transient=transient, control=kwargs.get("control")
                     or "galvanostatic",
                     transient_options=tuple(k for k, opt in (("duration_s", "duration_s"),
                                                              ("time_step_s", "dt_s"))
                                             if kwargs.get(opt) is not None))
    if command == "run":
        model["case"] = kwargs["case"]
    if kwargs.get("metal") not in (None, "Li"):
        model["metal"] = kwargs["metal"]
    return model


def check_set_keys(kwargs: Mapping[str, Any], command: str) -> None:
    """:func:`check_overrides` on a parsed argument list (the sweep-spec check)."""
    check_overrides(command, kwargs.get("set_") or [], **_kwargs_model(kwargs, command))


def check_run_set_keys(kwargs: Mapping[str, Any]) -> None:
    """:func:`check_set_keys` for ``surface run``."""
    check_set_keys(kwargs, "run")


def check_compare_set_keys(kwargs: Mapping[str, Any]) -> None:
    """:func:`check_set_keys` for ``surface compare``."""
    check_set_keys(kwargs, "compare")


def check_seeds_set_keys(kwargs: Mapping[str, Any]) -> None:
    """:func:`check_set_keys` for ``surface seeds``."""
    check_set_keys(kwargs, "seeds")


def check_thickness_set_keys(kwargs: Mapping[str, Any]) -> None:
    """:func:`check_set_keys` for ``surface thickness``."""
    check_set_keys(kwargs, "thickness")


def _linear_solver(dim: int, linear_solver: str | None) -> str:
    """``auto`` (None) → MUMPS LU in 2D, GMRES + fieldsplit/GAMG in 3D."""
    from hemcell.surface.solver import LINEAR_SOLVERS

    if linear_solver in (None, "auto"):
        return "gamg" if dim == 3 else "lu"
    if linear_solver not in LINEAR_SOLVERS:
        raise InputError("--linear-solver", linear_solver, ", ".join(("auto", *LINEAR_SOLVERS)))
    return linear_solver


def solve_case(
    rc: ResolvedCase,
    progress: Callable[[str], None] | None = None,
    band_is_electrolyte: bool = False,
    spec: GeometrySpec | None = None,
    linear_solver: str | None = None,
) -> Any:
    """Mesh and solve one resolved case; return the :class:`CoupledResult`.

    ``linear_solver``: ``lu``, ``gamg`` or None (MUMPS in 2D, GAMG in 3D).
    """
    from hemcell.surface.analytic import refuse_current_above_steady_limit
    from hemcell.surface.geometry import build_mesh
    from hemcell.surface.solver import solve_coupled

    spec = rc.geometry if spec is None else spec
    solver = _linear_solver(rc.dim, linear_solver)
    refuse_current_above_steady_limit(rc.parameters, spec, spec.coated and not band_is_electrolyte,
                                      rc.dim)  # before meshing; the solvers check again
    if progress:
        progress(f"{rc.case}: meshing {spec.kind} geometry ({rc.dim}D)")
    if rc.dim == 3:
        from hemcell.surface.geometry3d import build_mesh_3d
        from hemcell.surface.solver3d import solve_steady_3d

        return solve_steady_3d(build_mesh_3d(spec), rc.parameters, rc.case, progress, solver)
    sm = build_mesh(spec, band_is_electrolyte=band_is_electrolyte)
    return solve_coupled(sm, rc.parameters, rc.case, progress=progress, linear_solver=solver)


def run_case(
    case: str,
    geometry: str,
    overrides: Sequence[str],
    out_dir: Path,
    control: Control = "galvanostatic",
    progress: Callable[[str], None] | None = None,
    write_outputs: bool = True,
    dim: int = 2,
    linear_solver: str | None = None,
    plots_on: bool = True,
    metal: str = "Li",
) -> dict[str, Any]:
    """``hemcell surface run``: solve one case and write metrics, run record, fields, maps
    (the PNG maps not with ``plots_on=False``)."""
    from mpi4py import MPI

    from hemcell.runinfo import write_run_record, write_summary
    from hemcell.surface.metrics import compute_metrics
    from hemcell.surface.output import write_fields, write_maps

    check_overrides("run", overrides, case=case, geometry=geometry, dim=dim, control=control,
                    metal=metal)
    rc = resolve_case(case, geometry, overrides, control, dim=dim, metal=metal)
    result = solve_case(rc, progress, linear_solver=linear_solver)
    metrics = compute_metrics(result)
    out_dir = Path(out_dir)
    comm = MPI.COMM_WORLD
    if comm.rank == 0:
        out_dir.mkdir(parents=True, exist_ok=True)
    comm.Barrier()
    if write_outputs:
        if progress:
            progress(f"{case}: writing fields" + (" and maps" if plots_on else ""))
        write_fields(result, out_dir)
        if plots_on:
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
    dim: int = 2,
    linear_solver: str | None = None,
    plots_on: bool = True,
    metal: str = "Li",
) -> dict[str, Any]:
    """``hemcell surface compare``: bare and coated on the same mesh and loading.

    The coated geometry (with its coating band) is meshed once per case with identical
    settings; for the bare case the band is electrolyte, so both cases use the same
    nodes and cells. In 3D the coated case is the thin-layer one (``coated_thin``) on
    the bare mesh.
    """
    from mpi4py import MPI

    from hemcell.runinfo import write_json, write_run_record
    from hemcell.surface.analytic import refuse_current_above_steady_limit
    from hemcell.surface.metrics import compute_metrics
    from hemcell.surface.output import write_comparison_figure

    check_overrides("compare", overrides, geometry=geometry, dim=dim, control=control,
                    metal=metal)
    coated = "coated_thin" if dim == 3 else "coated"
    cases = {c: resolve_case(k, geometry, overrides, control, dim=dim, metal=metal)
             for c, k in (("bare", "bare"), ("coated", coated))}
    spec = cases["coated"].geometry
    for c, rc in cases.items():  # both before either is meshed
        refuse_current_above_steady_limit(rc.parameters, spec, c == "coated" and spec.coated,
                                          dim)
    results = {
        "bare": solve_case(cases["bare"], progress, band_is_electrolyte=True, spec=spec,
                           linear_solver=linear_solver),
        "coated": solve_case(cases["coated"], progress, linear_solver=linear_solver),
    }
    metrics = {c: compute_metrics(r) for c, r in results.items()}
    out_dir = Path(out_dir)
    comm = MPI.COMM_WORLD
    if comm.rank == 0:
        out_dir.mkdir(parents=True, exist_ok=True)
    comm.Barrier()
    if plots_on:
        if progress:
            progress("writing comparison figure")
        write_comparison_figure(results, out_dir)
    summary = {
        "geometry": geometry,
        "dim": dim,
        "coated_case": coated,
        "bare": metrics["bare"],
        "coated": metrics["coated"],
        "focusing_ratio_coated_to_bare": metrics["coated"]["current_focusing_factor"]
        / metrics["bare"]["current_focusing_factor"],
        "min_concentration_coated_minus_bare_mol_per_m3":
            metrics["coated"]["min_surface_concentration_mol_per_m3"]
            - metrics["bare"]["min_surface_concentration_mol_per_m3"],
    }
    if "her_current_fraction" in metrics["bare"]:  # aqueous metals
        summary["her_fraction_ratio_coated_to_bare"] = (
            metrics["coated"]["her_current_fraction"] / metrics["bare"]["her_current_fraction"])
    if comm.rank == 0:
        write_json(out_dir / "comparison.json", summary)
        write_run_record(out_dir, {c: rc.record for c, rc in cases.items()})
    return summary


# ---------------------------------------------------------------------- transient
#: TransientSettings field → the ``surface_defaults`` name (and unit) it is read from.
_TRANSIENT_NAMES: dict[str, ParameterUse] = {
    "duration_s": ParameterUse("transient_duration", "s"),
    "time_step_s": ParameterUse("transient_time_step", "s"),
    "initial_time_step_s": ParameterUse("transient_initial_time_step", "s"),
    "remesh_quality_ratio": ParameterUse("remesh_quality_ratio", "dimensionless"),
    "sand_concentration_fraction": ParameterUse("sand_concentration_fraction", "dimensionless"),
    "frames": ParameterUse("transient_frames", "dimensionless"),
}


def transient_settings(rc: ResolvedCase, duration_s: float | None = None,
                       dt_s: float | None = None, frames: int | None = None,
                       moving_boundary: bool = True) -> Any:
    """:class:`~hemcell.surface.transient.TransientSettings` from ``surface_defaults``.

    ``duration_s`` / ``dt_s`` / ``frames`` (the CLI options) override
    ``transient_duration`` / ``transient_time_step`` / ``transient_frames``. The first
    step is ``transient_initial_time_step`` (at most the largest step).
    """
    from hemcell.surface.parameters import _pick
    from hemcell.surface.transient import TransientSettings

    kw: dict[str, Any] = {}
    for key, use in _TRANSIENT_NAMES.items():
        v = _pick(rc.defaults_si, (use.key,))
        if v is not None:
            kw[key] = int(v) if key == "frames" else float(v)
    if duration_s is not None:
        kw["duration_s"] = float(duration_s)
    if dt_s is not None:
        kw["time_step_s"] = float(dt_s)
    if frames is not None:
        kw["frames"] = int(frames)
    missing = [u.key for k, u in _TRANSIENT_NAMES.items() if k not in kw
               and k in ("duration_s", "time_step_s", "initial_time_step_s")]
    if missing:
        raise InputError("transient settings", "missing", ", ".join(missing),
                         hint="add them to surface_defaults or pass --duration-s/--dt-s")
    kw["initial_time_step_s"] = min(kw["initial_time_step_s"], kw["time_step_s"])
    return TransientSettings(moving_boundary=moving_boundary, **kw)


def transient_fill_time_s(rc: ResolvedCase) -> float:
    """Time a flat deposit of the case's applied current takes to bring the metal surface
    plus its coating from height 0 (the flat surface, the sinusoid's mean) to
    ``TOP_CLEARANCE_FRACTION`` of the electrolyte height, where a moving surface stops
    (:func:`hemcell.surface.analytic.flat_fill_time_s`, all of the current plating) [s].
    """
    from hemcell.surface.analytic import flat_fill_time_s
    from hemcell.surface.transient import TOP_CLEARANCE_FRACTION

    spec, p = rc.geometry, rc.parameters
    rise_m = TOP_CLEARANCE_FRACTION * spec.electrolyte_height_m - spec.coating_thickness_m
    return flat_fill_time_s(rise_m, p.applied_current_density_A_per_m2,
                            p.charge_per_mole_C_per_mol, p.li_molar_volume_m3_per_mol)


def check_transient_duration(rc: ResolvedCase, settings: Any, duration_given: bool) -> None:
    """Refuse (exit 2) a transient duration over ``FILL_TIME_FACTOR`` × the fill time
    (:func:`transient_fill_time_s`; the phase field's bound, one factor for both).

    A moving surface stops where the deposit reaches the top (the default sinusoid at
    1 mA/cm2: at 12 711 s, flat fill 16 700 s; ``--duration-s 1e9`` ran 13 min to get
    there and spaced its frames over 1e9 s). A fixed surface (``--fixed-surface``) never
    stops there: it stands for a deposit thin beside the gap, and ``--duration-s 1e9``
    would have taken 1e8 steps of ``transient_time_step``.
    """
    from hemcell.surface.analytic import STOPS_AT_THE_FILL, refuse_duration_past_fill
    from hemcell.surface.geometry import SET_NAMES
    from hemcell.surface.transient import TOP_CLEARANCE_FRACTION

    fill_s = transient_fill_time_s(rc)
    spec, i = rc.geometry, rc.parameters.applied_current_density_A_per_m2
    coating = (f" with the {spec.coating_thickness_m * 1e6:.3g} um coating"
               if spec.coating_thickness_m > 0 else "")
    height = SET_NAMES["electrolyte_height_m"]
    refuse_duration_past_fill(
        settings.duration_s, fill_s, "--duration-s" if duration_given else "transient_duration",
        f"of {i / 10:.4g} mA/cm2 reaches {TOP_CLEARANCE_FRACTION:g} of the "
        f"{spec.electrolyte_height_m * 1e6:.3g} um {height}{coating}",
        hint=f"--duration-s {fill_s:.3g} (or less) runs until the deposit "
             + ("reaches the top" if settings.moving_boundary else "would fill the gap")
             + f"; a taller cell: --set {height}=...",
        consequence=STOPS_AT_THE_FILL if settings.moving_boundary else
        "and a surface held fixed (--fixed-surface) stands for a deposit thin beside the "
        "gap; the steps of a longer run add nothing but time")


def _given(duration_s: float | None, dt_s: float | None) -> tuple[str, ...]:
    """The transient settings the command line gives (not read from the set)."""
    return tuple(k for k, v in (("duration_s", duration_s), ("time_step_s", dt_s))
                 if v is not None)


def solve_transient_case(rc: ResolvedCase, settings: Any,
                         progress: Callable[[str, float], None] | None = None,
                         band_is_electrolyte: bool = False, spec: GeometrySpec | None = None,
                         on_frame: Callable[[float, Any], None] | None = None) -> Any:
    """Mesh and integrate one resolved case in time; return the TransientResult."""
    from hemcell.surface.geometry import build_mesh
    from hemcell.surface.transient import run_transient

    spec = rc.geometry if spec is None else spec
    if progress:
        progress(f"{rc.case}: meshing {spec.kind} geometry", 0.0)
    sm = build_mesh(spec, band_is_electrolyte=band_is_electrolyte)
    return run_transient(sm, rc.parameters, rc.case, settings, band_is_electrolyte,
                         progress, on_frame)


def run_transient_case(
    case: str,
    geometry: str,
    overrides: Sequence[str],
    out_dir: Path,
    duration_s: float | None = None,
    dt_s: float | None = None,
    progress: Callable[[str, float], None] | None = None,
    write_outputs: bool = True,
    moving_boundary: bool = True,
    plots_on: bool = True,
    metal: str = "Li",
) -> dict[str, Any]:
    """``hemcell surface run --transient``: metrics.json, timeseries.csv, frames, VTX.

    ``plots_on=False`` skips the frame PNGs and the animated GIF (the frames are still
    taken, at the same times, for the VTX fields).

    ``moving_boundary=False`` (``--fixed-surface``) keeps the surface in place (the
    transport-only problem, e.g. for Sand's time against the fixed-boundary formula).
    """
    from mpi4py import MPI

    from hemcell.runinfo import write_run_record, write_summary
    from hemcell.surface.transient_output import (
        FieldWriter,
        transient_metrics,
        write_frames,
        write_timeseries,
    )

    check_overrides("run", overrides, case=case, geometry=geometry, transient=True,
                    transient_options=_given(duration_s, dt_s), metal=metal)
    rc = resolve_case(case, geometry, overrides, metal=metal)
    settings = transient_settings(rc, duration_s, dt_s,
                                  frames=None if write_outputs else 0,
                                  moving_boundary=moving_boundary)
    check_transient_duration(rc, settings, duration_s is not None)
    out_dir = Path(out_dir)
    comm = MPI.COMM_WORLD
    if comm.rank == 0:
        out_dir.mkdir(parents=True, exist_ok=True)
    comm.Barrier()
    writer = FieldWriter(out_dir) if write_outputs else None
    try:
        result = solve_transient_case(rc, settings, progress, on_frame=writer)
    finally:
        if writer is not None:
            writer.close()
    metrics = transient_metrics(result)
    record = dict(rc.record, transient=asdict(settings))
    if comm.rank == 0:
        write_timeseries(result, out_dir / "timeseries.csv")
        if write_outputs and plots_on:
            write_frames(result, out_dir, title=f"{case} ({geometry})")
        write_summary(out_dir, metrics, filename="metrics.json")
        write_run_record(out_dir, record)
    return metrics


def compare_transient_cases(
    geometry: str,
    overrides: Sequence[str],
    out_dir: Path,
    duration_s: float | None = None,
    dt_s: float | None = None,
    progress: Callable[[str, float], None] | None = None,
    moving_boundary: bool = True,
    plots_on: bool = True,
    metal: str = "Li",
) -> dict[str, Any]:
    """``hemcell surface compare --transient``: bare and coated on the same mesh over time.

    Writes ``comparison.json`` (both metric sets, the coated/bare ratio of amplitude
    growth rates), ``amplitude.png`` (amplitude and minimum surface concentration vs
    time, both cases; not with ``plots_on=False``) and ``timeseries_bare.csv`` /
    ``timeseries_coated.csv``.
    """
    from mpi4py import MPI

    from hemcell.runinfo import write_json, write_run_record
    from hemcell.surface.transient_output import (
        transient_metrics,
        write_amplitude_comparison,
        write_timeseries,
    )

    check_overrides("compare", overrides, geometry=geometry, transient=True,
                    transient_options=_given(duration_s, dt_s), metal=metal)
    cases = {c: resolve_case(c, geometry, overrides, metal=metal) for c in ("bare", "coated")}
    spec = cases["coated"].geometry
    settings = transient_settings(cases["coated"], duration_s, dt_s, frames=0,
                                  moving_boundary=moving_boundary)
    check_transient_duration(cases["coated"], settings, duration_s is not None)
    results = {
        "bare": solve_transient_case(cases["bare"], settings, progress,
                                     band_is_electrolyte=True, spec=spec),
        "coated": solve_transient_case(cases["coated"], settings, progress),
    }
    metrics = {c: transient_metrics(r) for c, r in results.items()}
    out_dir = Path(out_dir)
    comm = MPI.COMM_WORLD
    rb = metrics["bare"]["amplitude_growth_rate_per_s"]
    summary = {
        "geometry": geometry,
        "bare": metrics["bare"],
        "coated": metrics["coated"],
        "growth_rate_ratio_coated_to_bare":  # null for a flat surface (no relative rate)
            metrics["coated"]["amplitude_growth_rate_per_s"] / rb if rb else None,
        "final_amplitude_coated_minus_bare_m":
            metrics["coated"]["final_amplitude_m"] - metrics["bare"]["final_amplitude_m"],
    }
    if comm.rank == 0:
        out_dir.mkdir(parents=True, exist_ok=True)
        for c, r in results.items():
            write_timeseries(r, out_dir / f"timeseries_{c}.csv")
        if plots_on:
            write_amplitude_comparison(results, out_dir / "amplitude.png",
                                       title=f"bare vs coated ({geometry})")
        write_json(out_dir / "comparison.json", summary)
        write_run_record(out_dir, {c: dict(rc.record, transient=asdict(settings))
                                   for c, rc in cases.items()})
    return summary


# ---------------------------------------------------------------------- seeds
SEED_METRICS = ("current_focusing_factor", "min_surface_concentration_mol_per_m3",
                "max_von_mises_li_Pa", "tip_normal_stress_Pa")


def sample_statistics(values: Sequence[float]) -> dict[str, float]:
    """Mean, sample standard deviation (0 for one value), min and max over realisations."""
    import numpy as np

    v = np.asarray(values, dtype=float)
    return {"mean": float(v.mean()), "std": float(v.std(ddof=1)) if v.size > 1 else 0.0,
            "min": float(v.min()), "max": float(v.max())}


def seed_statistics(
    geometry: str,
    overrides: Sequence[str],
    out_dir: Path,
    n_seeds: int = 8,
    first_seed: int = 1,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """``hemcell surface seeds``: bare vs coated over realisations of the random surface.

    Realisation k sets ``roughness_seed = sei_seed = k`` (the random roughness and, for
    bare Li, the native-SEI field); bare and coated are solved on the same mesh as in
    :func:`compare_cases`. Every realisation is resolved (and a geometry it cannot mesh
    refused, naming the seed) before the first is solved. Writes ``seeds.json`` (per-seed
    metrics of both cases and, for each of :data:`SEED_METRICS` and the coated/bare
    focusing ratio, mean, standard deviation, min, max and the fraction of seeds where
    coated < bare) and ``seeds.csv``.
    """
    import csv

    import numpy as np
    from mpi4py import MPI

    from hemcell.runinfo import write_json, write_run_record
    from hemcell.surface.analytic import refuse_current_above_steady_limit
    from hemcell.surface.metrics import compute_metrics
    from hemcell.workflows.seed_runs import finished_seeds_hint, solve_seeds

    if n_seeds < 1:
        raise InputError("--n-seeds", n_seeds, ">= 1")
    check_overrides("seeds", overrides, geometry=geometry)
    realisations = {}
    for k in range(first_seed, first_seed + n_seeds):  # every seed checked before any solve
        extra = [*overrides, f"roughness_seed={k}", f"sei_seed={k}"]
        try:
            cases = {c: resolve_case(c, geometry, extra) for c in ("bare", "coated")}
            for c, rc in cases.items():  # the crest, so the gap, is the seed's
                refuse_current_above_steady_limit(rc.parameters, cases["coated"].geometry,
                                                  c == "coated", 2)
        except InputError as exc:
            where = f"refused at seed {k} (roughness_seed = sei_seed = {k}), before any solve"
            raise InputError(exc.field, exc.value, exc.allowed,
                             hint=f"{exc.hint}; {where}" if exc.hint else where) from None
        realisations[k] = cases

    def solve_seed(k: int) -> dict[str, Any]:
        cases = realisations[k]
        spec = cases["coated"].geometry
        if progress:
            progress(f"seed {k}: solving bare and coated")
        m = {
            "bare": compute_metrics(solve_case(cases["bare"], None,
                                               band_is_electrolyte=True, spec=spec)),
            "coated": compute_metrics(solve_case(cases["coated"], None)),
        }
        row: dict[str, Any] = {"seed": k}
        for c in ("bare", "coated"):
            for key in SEED_METRICS:
                row[f"{c}_{key}"] = m[c][key]
        row["focusing_ratio_coated_to_bare"] = (m["coated"]["current_focusing_factor"]
                                                / m["bare"]["current_focusing_factor"])
        return row

    per_seed, failure = solve_seeds(realisations, solve_seed,
                                    lambda k: f"seed {k} (roughness_seed = sei_seed = {k})")
    if failure is not None:  # the finished seeds are kept (written below)
        failure = SimulationError(failure.message,
                                  hint=finished_seeds_hint(len(per_seed), out_dir, failure.hint))
        if not per_seed:
            raise failure
    records = {f"seed_{r['seed']}": {c: rc.record for c, rc in realisations[r["seed"]].items()}
               for r in per_seed}
    stats: dict[str, Any] = {}
    for key in [*(f"{c}_{m_}" for c in ("bare", "coated") for m_ in SEED_METRICS),
                "focusing_ratio_coated_to_bare"]:
        stats[key] = sample_statistics([r[key] for r in per_seed])
    for key in SEED_METRICS:
        lower = [r[f"coated_{key}"] < r[f"bare_{key}"] for r in per_seed]
        stats[f"fraction_coated_below_bare_{key}"] = float(np.mean(lower))
    summary = {"geometry": geometry, "n_seeds": len(per_seed), "statistics": stats,
               "seeds": per_seed, "completed": failure is None}
    if failure is not None:
        summary.update(n_seeds_asked=n_seeds, error=failure.message)
    out_dir = Path(out_dir)
    if MPI.COMM_WORLD.rank == 0:
        out_dir.mkdir(parents=True, exist_ok=True)
        write_json(out_dir / "seeds.json", summary)
        with (out_dir / "seeds.csv").open("w", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=list(per_seed[0]))
            w.writeheader()
            w.writerows(per_seed)
        write_run_record(out_dir, records)
    if failure is not None:
        raise failure
    return summary
