"""Model recipes (``models/*.yaml``): which cell, which geometry, which mechanisms.

A recipe is a small YAML file::

    name: hem_half_cell_p2d
    description: ...
    cell: half                 # half (vs Li metal) | full (vs a cathode) | cathode_half
                               # | hard_carbon_full (hard carbon vs a cathode set)
    cathode: LFP               # full cells: LFP (Prada2013) | NMC811 (Chen2020) | a cathode set
    n_p_ratio: 1.1             # full cells: anode/cathode theoretical capacity
    thermal: isothermal        # isothermal | lumped (full cells: hemcell.cell.thermal)
    geometry: p2d              # p2d | sp (single-particle reduction)
    mechanisms: [intercalation, conversion, alloying, space_charge, irreversible]
    mesh: {x_s: 10, x_p: 20, r_p: 10}
    solver: {rtol: 1.0e-6, atol: 1.0e-8}
    experiment_model: unified  # legacy (default): one PyBaMM model per protocol step
    compiled: true             # the solver's residual compiled to C (default false)
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from hemcell.cell.mechanisms import MECHANISMS
from hemcell.cell.model import check_mechanisms
from hemcell.cell.options import THERMAL_OPTIONS
from hemcell.errors import InputError, did_you_mean

_KEYS = {
    "name",
    "description",
    "cell",
    "geometry",
    "mechanisms",
    "mesh",
    "solver",
    "cathode",
    "n_p_ratio",
    "thermal",
    "experiment_model",
    "compiled",
}

#: How a protocol's steps become PyBaMM models (``pybamm.Simulation``'s
#: ``experiment_model_mode``): ``legacy`` builds one model per distinct step, ``unified``
#: one model for the whole protocol, with the step's control law switched by an input.
EXPERIMENT_MODELS = ("legacy", "unified")


#: Fewest cells of a mesh domain (PyBaMM's finite-volume boundary extrapolation uses two
#: node spacings inside the domain; ``mesh: {r_p: 0}`` ended in an IndexError).
MIN_CELLS = 3


def _mesh_count(field: str, value: Any) -> int:
    """A recipe's (or ``--mesh``'s) number of cells of one domain, checked."""
    if isinstance(value, bool) or not isinstance(value, int) or value < MIN_CELLS:
        raise InputError(field, value, f"a whole number of cells >= {MIN_CELLS}")
    return value


def mesh_points(default_var_pts: dict[str, int], recipe: Recipe) -> dict[str, int]:
    """The model's mesh points (``default_var_pts``) with the recipe's ``mesh:`` entries.

    Raises
    ------
    InputError
        A ``mesh:`` (or ``cell cv --mesh``) name the model has no domain of (a typo,
        ``rp``, was ignored) or a count below :data:`MIN_CELLS`.
    """
    var_pts = dict(default_var_pts)
    for key, value in recipe.mesh.items():
        field = f"recipe {recipe.name}: mesh (or --mesh)"
        if key not in var_pts:
            raise InputError(field, key, f"one of the model's domains {sorted(var_pts)}",
                             hint=did_you_mean(key, list(var_pts)))
        var_pts[key] = _mesh_count(f"{field}: {key}", value)
    return var_pts


def models_dir() -> Path:
    """The folder holding the shipped recipes."""
    try:
        from hemcell.resources import data_dir

        d = Path(data_dir("models"))
        if d.is_dir():
            return d
    except Exception:
        pass
    return Path(__file__).resolve().parents[2] / "models"


@dataclass(frozen=True)
class Recipe:
    """A validated model recipe."""

    name: str
    description: str = ""
    cell: str = "half"
    geometry: str = "p2d"
    mechanisms: tuple[str, ...] = MECHANISMS
    mesh: dict[str, int] = field(default_factory=dict)
    solver: dict[str, float | int | str] = field(default_factory=dict)
    cathode: str | None = None
    n_p_ratio: float = 1.1
    thermal: str = "isothermal"
    experiment_model: str = "legacy"
    #: The solver's residual compiled to C (``HEMHalfCell.compiled_functions``).
    compiled: bool = False

    def with_mechanisms(self, mechanisms: list[str] | None) -> Recipe:
        """A copy with another mechanism list (the ``--mechanisms`` option)."""
        if not mechanisms:
            return self
        return replace(self, mechanisms=check_mechanisms(mechanisms))


def is_cathode_set_name(name: Any) -> bool:
    """Whether ``name`` names a cathode parameter set (:mod:`hemcell.cell.cathodes`)."""
    from hemcell.cell.cathodes import is_cathode_set

    return name is not None and is_cathode_set(str(name))


#: IDAKLU options whose values are names, not numbers (``linear_solver: SUNLinSol_Dense``
#: with ``jacobian: dense``: docs/anode.md "Numerics").
_NAMED_SOLVER_OPTIONS = {
    "linear_solver": ("SUNLinSol_KLU", "SUNLinSol_Dense"),
    "jacobian": ("sparse", "dense"),
}


def _solver_settings(path: Path, solver: Any) -> dict[str, float | int | str]:
    """The recipe's ``solver:`` mapping: rtol, atol and IDAKLU options.

    Integers stay integers (IDAKLU's counts, e.g. ``max_nonlinear_iterations``, are C++
    ints); every other number becomes a float; the named options
    (:data:`_NAMED_SOLVER_OPTIONS`) keep one of their allowed names.
    """
    if not solver:
        return {}
    if not isinstance(solver, dict):
        raise InputError(f"{path}: solver", solver, "a mapping of solver settings to numbers")
    out: dict[str, float | int | str] = {}
    for key, value in solver.items():
        if key in _NAMED_SOLVER_OPTIONS:
            if value not in _NAMED_SOLVER_OPTIONS[key]:
                raise InputError(f"{path}: solver.{key}", value,
                                 " or ".join(_NAMED_SOLVER_OPTIONS[key]))
            out[str(key)] = str(value)
            continue
        if isinstance(value, int) and not isinstance(value, bool):
            out[str(key)] = value
            continue
        try:  # YAML reads 1e-6 (no decimal point) as a string
            if isinstance(value, bool):
                raise TypeError(value)
            out[str(key)] = float(value)
        except (TypeError, ValueError):
            raise InputError(f"{path}: solver.{key}", value, "a number",
                             hint="rtol, atol or an IDAKLU option (pybamm.IDAKLUSolver)"
                             ) from None
    return out


def _recipe_mesh(path: Path, mesh: Any) -> dict[str, int]:
    """The recipe's ``mesh:`` mapping of domain names to numbers of cells, checked (the
    names against the model in :func:`mesh_points`)."""
    if not mesh:
        return {}
    if not isinstance(mesh, dict):
        raise InputError(f"{path}: mesh", mesh, "a mapping of mesh domains to numbers of "
                         "cells, e.g. {x_s: 10, x_p: 20, r_p: 10}")
    return {str(k): _mesh_count(f"{path}: mesh.{k}", v) for k, v in mesh.items()}


def list_recipes() -> list[str]:
    """Names of the shipped recipes."""
    return sorted(p.stem for p in models_dir().glob("*.yaml"))


def load_recipe(name_or_path: str) -> Recipe:
    """Load a recipe by name (``models/<name>.yaml``) or path.

    Raises
    ------
    InputError
        Unknown recipe, unknown keys or bad values.
    """
    from hemcell.params.yaml_io import safe_load_file

    p = Path(name_or_path)
    if not p.suffix:
        p = models_dir() / f"{name_or_path}.yaml"
    if not p.is_file():
        known = list_recipes()
        raise InputError("RECIPE", name_or_path, f"a file or one of {known}",
                         hint=did_you_mean(str(name_or_path), known))
    data: dict[str, Any] = safe_load_file(p) or {}
    if not isinstance(data, dict):
        raise InputError(str(p), type(data).__name__, "a recipe: a YAML mapping")
    unknown = set(data) - _KEYS
    if unknown:
        raise InputError(f"{p}: keys", sorted(unknown), f"only {sorted(_KEYS)}")
    cell = data.get("cell", "half")
    if cell not in ("half", "full", "cathode_half", "hard_carbon_full"):
        raise InputError(f"{p}: cell", cell, "half, full, cathode_half (a cathode set "
                         "vs its carrier's metal: hemcell.workflows.cathode_half_cell) or "
                         "hard_carbon_full (hard carbon vs a cathode set)")
    geometry = data.get("geometry", "p2d")
    if geometry not in ("p2d", "sp"):
        raise InputError(f"{p}: geometry", geometry, "p2d or sp")
    full_only = sorted(k for k in ("cathode", "n_p_ratio") if k in data)
    if full_only and cell not in ("full", "hard_carbon_full"):
        # a full cell's recipe without its `cell: full` ran as a half cell, its cathode
        # and N/P ratio unread
        raise InputError(f"{p}: {', '.join(full_only)}", f"with cell: {cell}"
                         + ("" if "cell" in data else " (the default)"),
                         "cathode and n_p_ratio only with cell: full or hard_carbon_full",
                         hint="add `cell: full` for a HEM anode vs that cathode, or leave "
                              "them out for a half cell")
    cathode = data.get("cathode")
    if cell == "full":
        from hemcell.cell.cathodes import is_cathode_set
        from hemcell.cell.full_cell import CATHODES

        if (cathode not in CATHODES and not is_cathode_set(str(cathode))) or geometry != "p2d":
            raise InputError(
                f"{p}: cathode/geometry",
                (cathode, geometry),
                f"a full cell is P2D with a cathode in {sorted(CATHODES)} or a cathode "
                "parameter set (parameters/registry/cathode.yaml)",
            )
    n_p = data.get("n_p_ratio", 1.1)
    if not isinstance(n_p, int | float) or isinstance(n_p, bool) or not n_p > 0:
        raise InputError(f"{p}: n_p_ratio", n_p, "a positive number")
    thermal = data.get("thermal", "isothermal")
    if thermal not in THERMAL_OPTIONS or (thermal != "isothermal" and cell != "full"):
        raise InputError(f"{p}: thermal", thermal, "isothermal, or lumped for a full cell")
    experiment_model = data.get("experiment_model", "legacy")
    if experiment_model not in EXPERIMENT_MODELS:
        raise InputError(f"{p}: experiment_model", experiment_model,
                         f"one of {list(EXPERIMENT_MODELS)}")
    compiled = data.get("compiled", False)
    if not isinstance(compiled, bool):
        raise InputError(f"{p}: compiled", compiled, "true or false")
    no_anode = cell in ("cathode_half", "hard_carbon_full")  # no HEM anode mechanisms
    if cell == "hard_carbon_full" and (not is_cathode_set_name(cathode) or geometry != "p2d"):
        raise InputError(f"{p}: cathode/geometry", (cathode, geometry), "a hard-carbon full "
                         "cell is P2D with a cathode parameter set "
                         "(parameters/registry/cathode.yaml)")
    if no_anode and data.get("mechanisms"):
        raise InputError(f"{p}: mechanisms", data["mechanisms"], "none for a cathode half "
                         "cell (the mechanisms are the HEM anode's)")
    mechs = () if no_anode else check_mechanisms(
        data.get("mechanisms", list(MECHANISMS)))
    return Recipe(
        name=str(data.get("name", p.stem)),
        description=str(data.get("description", "")),
        cell=cell,
        geometry=geometry,
        mechanisms=mechs,
        mesh=_recipe_mesh(p, data.get("mesh")),
        solver=_solver_settings(p, data.get("solver")),
        cathode=cathode,
        n_p_ratio=float(n_p),
        thermal=thermal,
        experiment_model=experiment_model,
        compiled=compiled,
    )
