"""Model recipes (``models/*.yaml``): which cell, which geometry, which mechanisms.

A recipe is a small YAML file::

    name: hem_half_cell_p2d
    description: ...
    cell: half                 # required: half (vs Li metal) | full (vs a cathode)
                               # | cathode_half | hard_carbon_full (hard carbon vs a cathode set)
    geometry: p2d              # required: p2d | sp (single-particle reduction)
    mechanisms: [intercalation, conversion, alloying, space_charge, irreversible]
                               # required for half and full cells (the HEM anode's)
    cathode: LFP               # required for full cells: LFP | NMC811 | a cathode set
    n_p_ratio: 1.1             # required for full cells: anode/cathode capacity
    thermal: isothermal        # optional: isothermal | lumped (full cells)
    mesh: {x_s: 10, x_p: 20, r_p: 10}
    separator_grading: 2.3     # optional (P2D half cells): separator cells finer at the metal
    solver: {rtol: 1.0e-6, atol: 1.0e-8}
    experiment_model: unified  # optional: legacy | unified
    compiled: true             # optional: the solver's residual compiled to C

:data:`RECIPE_KEYS` is the schema: for every key, what is allowed, which cells must give
it, and for an optional key the value taken when it is left out with the reason
(docs/anode.md "Recipes"). A required key left out is refused (exit 2) naming the file,
the key and what is allowed: a copied recipe without ``geometry:`` ran as a P2D, and a
full cell without ``n_p_ratio:`` got 1.1 from the code, with no source.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from dataclasses import KW_ONLY, dataclass, field, replace
from pathlib import Path
from typing import Any

from hemcell.cell.mechanisms import MECHANISMS
from hemcell.cell.model import check_mechanisms
from hemcell.cell.options import THERMAL_OPTIONS
from hemcell.errors import InputError, did_you_mean
from hemcell.idaklu import StateToleranceSolver, with_stall_guard

#: How a protocol's steps become PyBaMM models (``pybamm.Simulation``'s
#: ``experiment_model_mode``): ``legacy`` builds one model per distinct step, ``unified``
#: one model for the whole protocol, with the step's control law switched by an input.
EXPERIMENT_MODELS = ("legacy", "unified")


#: Fewest cells of a mesh domain (PyBaMM's finite-volume boundary extrapolation uses two
#: node spacings inside the domain; ``mesh: {r_p: 0}`` ended in an IndexError).
MIN_CELLS = 3


#: Largest ``separator_grading`` (the stretch α of PyBaMM's ``Exponential1DSubMesh``): at
#: α = 10 the separator's cell at the electrode is e^(α (N - 1)/N) ≈ 10⁴ times the one at the
#: metal (N = 20 cells), far past any grading a depletion layer needs (the shipped 2.3 is
#: PyBaMM's default for a one-sided grading; docs/anode.md "Electrode mesh").
MAX_SEPARATOR_GRADING = 10.0


#: The cells a recipe describes (``cell:``).
CELLS = ("half", "full", "cathode_half", "hard_carbon_full")
#: Cells with a HEM anode, whose recipe names its mechanisms.
ANODE_CELLS = ("half", "full")
#: Cells with a cathode, whose recipe names it and the N/P ratio that sizes the negative
#: electrode against it.
CATHODE_CELLS = ("full", "hard_carbon_full")


@dataclass(frozen=True)
class RecipeKey:
    """One key of a recipe: what is allowed, who must give it, or what it is without.

    Attributes
    ----------
    allowed
        What the value may be, for messages and docs/anode.md "Recipes".
    required_for
        The cells (:data:`CELLS`) whose recipe must give the key (exit 2 without it).
    default
        The value taken when the key is left out (keys not required for the cell).
    reason
        Why that value: its source or what it means.
    """

    allowed: str
    required_for: tuple[str, ...] = ()
    default: Any = None
    reason: str = ""


#: The recipe schema (docs/anode.md "Recipes" lists it; a test keeps the two the same).
RECIPE_KEYS: dict[str, RecipeKey] = {
    "name": RecipeKey("a name", reason="the file's name without .yaml"),
    "description": RecipeKey("text", default="", reason="a description is for the reader "
                             "only"),
    "cell": RecipeKey("half (HEM anode vs Li metal), full (HEM anode vs a cathode), "
                      "cathode_half (a cathode set vs its carrier's metal: "
                      "hemcell.workflows.cathode_half_cell) or hard_carbon_full (hard carbon "
                      "vs a cathode set)", required_for=CELLS),
    "geometry": RecipeKey("p2d (electrolyte across separator and electrode) or sp "
                          "(single-particle reduction; not for full cells)",
                          required_for=CELLS),
    "mechanisms": RecipeKey("a list of the HEM anode's mechanisms, one or more of "
                            f"{list(MECHANISMS)} (none for cathode_half and hard_carbon_full)",
                            required_for=ANODE_CELLS, default=()),
    "cathode": RecipeKey("LFP (Prada2013), NMC811 (Chen2020) or a cathode parameter set "
                         "(parameters/registry/cathode.yaml; full cells: hard_carbon_full "
                         "takes a set only)", required_for=CATHODE_CELLS),
    "n_p_ratio": RecipeKey("a positive number: the negative electrode's capacity over the "
                           "cathode's (only with a cathode)", required_for=CATHODE_CELLS),
    "thermal": RecipeKey("isothermal, or lumped for a full cell", default="isothermal",
                         reason="the cell stays at the set's ambient_temperature (a cell in "
                         "a climate chamber); lumped adds a full cell's heat balance"),
    "mesh": RecipeKey("a mapping of the model's mesh domains to numbers of cells >= "
                      f"{MIN_CELLS}, e.g. {{x_s: 10, x_p: 20, r_p: 10}}", default={},
                      reason="a domain left out keeps the PyBaMM model's default_var_pts"),
    "separator_grading": RecipeKey(
        f"a number 0 ... {MAX_SEPARATOR_GRADING:g}, P2D half cells only: the stretch α of the "
        "separator's cells towards the Li metal (pybamm.Exponential1DSubMesh, side left; 0 = "
        "uniform)", default=0.0,
        reason="uniform cells (PyBaMM's default submesh); the shipped P2D anode half cells "
        "grade theirs (docs/anode.md \"Electrode mesh\")"),
    "solver": RecipeKey("a mapping: rtol, atol and IDAKLU options (pybamm.IDAKLUSolver)",
                        default={"rtol": 1e-6, "atol": 1e-8},
                        reason="rtol and atol left out are the shipped recipes' (docs/anode.md"
                        " \"Numerics\": the rtol study); other options IDAKLU's defaults"),
    "experiment_model": RecipeKey("legacy (one PyBaMM model per protocol step) or unified "
                                  "(one for the protocol)", default="legacy",
                                  reason="PyBaMM's own default (pybamm.Simulation "
                                  "experiment_model_mode); the same solution either way"),
    "compiled": RecipeKey("true or false", default=False,
                          reason="compiling the residual costs about 2 s of gcc, which one "
                          "run does not recover; the fit and the sweep fast path compile when "
                          "it pays (docs/anode.md \"Numerics\")"),
}

_KEYS = set(RECIPE_KEYS)


def refuse_recipe_keys(keys: Any, recipe: str) -> None:
    """Refuse ``--set`` names that are recipe keys (:data:`RECIPE_KEYS`), not parameters.

    ``--set n_p_ratio=2`` on a full cell was answered "did you mean pouch_np_ratio": the
    N/P ratio, the mesh or the solver belong to the recipe file, which a copy changes.

    Raises
    ------
    InputError
        Naming ``--set``, the first such key and what the recipe key is.
    """
    for key in keys:
        if key in RECIPE_KEYS:
            raise InputError("--set", key, f"a parameter; {key} is a key of the recipe "
                             f"{recipe} ({RECIPE_KEYS[key].allowed})",
                             hint=f"copy the recipe (models/{recipe}.yaml), change its {key}: "
                             "and pass the copy's path as the recipe")


def _default(key: str) -> Any:
    """The value an optional key takes when a recipe leaves it out."""
    return RECIPE_KEYS[key].default


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


def graded_submesh_types(default_submesh_types: dict[str, Any], recipe: Recipe) -> dict[str, Any]:
    """The model's submesh types with the recipe's separator grading.

    With ``separator_grading: α > 0`` the separator's N cells are PyBaMM's
    ``Exponential1DSubMesh`` towards the Li metal (side ``left``, x = 0): edges
    x_k = L_s (e^(α k/N) − 1)/(e^α − 1), k = 0 … N, so the first cell is
    (e^(α/N) − 1)/(e^α − 1) of L_s (α = 2.3, N = 20: 0.0136 L_s instead of 0.05 L_s).
    That is where a charge or discharge piles up or drains the electrolyte fastest (the
    metal's Li⁺ flux enters or leaves the electrolyte there).
    """
    out = dict(default_submesh_types)
    if recipe.separator_grading:
        import pybamm

        out["separator"] = pybamm.MeshGenerator(
            pybamm.Exponential1DSubMesh,
            {"side": "left", "stretch": recipe.separator_grading})
    return out


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
    """A validated model recipe (the keys of :data:`RECIPE_KEYS`).

    ``n_p_ratio`` and ``cathode`` are ``None`` for a cell without a cathode, whose recipe
    may not give them.
    """

    name: str
    _: KW_ONLY
    cell: str
    geometry: str
    description: str = _default("description")
    mechanisms: tuple[str, ...] = _default("mechanisms")
    mesh: dict[str, int] = field(default_factory=dict)
    #: Stretch α of the separator's cells towards the Li metal (0: uniform).
    separator_grading: float = _default("separator_grading")
    solver: dict[str, float | int | str] = field(
        default_factory=lambda: dict(_default("solver")))
    cathode: str | None = None
    n_p_ratio: float | None = None
    thermal: str = _default("thermal")
    experiment_model: str = _default("experiment_model")
    #: The solver's residual compiled to C (``HEMHalfCell.compiled_functions``).
    compiled: bool = _default("compiled")

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




def idaklu_options(solver: Mapping[str, Any]) -> dict[str, Any]:
    """The IDAKLU options of a recipe's ``solver:`` settings (all but rtol and atol), with
    IDAKLU's stall guard (:func:`hemcell.idaklu.with_stall_guard`) unless the recipe sets
    it."""
    return with_stall_guard({k: v for k, v in solver.items() if k not in ("rtol", "atol")})


#: IDAKLU's ``max_linesearch_backtracks_ic`` of a recipe run with one model for the
#: protocol (``experiment_model: unified``) unless its ``solver:`` sets it [-]: 1, full
#: Newton steps in the consistent initialisation at each step start (PyBaMM's default 5).
#: In unified mode that Newton starts from the last step's state, off only in the control
#: row; for the HEM anode the full step raises the residual's max norm (0.54 -> 18: the
#: exponential kinetics at the new current) before the next one converges (4e-7, then
#: round-off), so the line search cut every step to 1/16 and took 21 and 33 iterations at
#: the benchmark cycle's rest and charge instead of 4 and 3 (one model per step takes 4
#: and 3 either way), 8-11 % of the recipe's re-solve. Same solution to 0.02 mV
#: (docs/anode.md "Numerics", scripts/unified_mode_cost.py). A Newton that fails still
#: falls back to IDA's own initialisation.
UNIFIED_IC_LINESEARCH_BACKTRACKS = 1
#: IDAKLU's ``max_linesearch_backtracks_ic`` where IDA's consistent-initial-condition
#: Newton starts far from the step's state [-]: 100 (PyBaMM's default 5). It ran out of
#: the 5 with "The linesearch algorithm failed" for PyBaMM's DFN at rtol 1e-8 (the anode
#: cross-check's reference, :data:`hemcell.workflows.anode_crosscheck.REFERENCE_IC_OPTIONS`)
#: and for a fast step from rest in the cathode cells (O3 at 5C, NVPF at 10C: every
#: overpotential 0 at the start, the kinetics exponential;
#: :data:`hemcell.workflows.cathode_half_cell.START_IC_OPTIONS`), where the state exists.
#: A search that converged within 5 is unchanged; a real failure still raises.
FAR_START_IC_LINESEARCH_BACKTRACKS = 100


def recipe_solver(solver: Mapping[str, Any], *, experiment_model: str = "legacy") -> Any:
    """The IDAKLU solver of a recipe's ``solver:`` settings: its rtol, its atol on every
    state and ``POTENTIAL_SCALE_V`` × atol volts on each potential state, in every model
    (:class:`hemcell.idaklu.StateToleranceSolver`), the rest as IDAKLU options with
    the stall guard (:func:`idaklu_options`).

    ``experiment_model``: how the caller's simulation runs the protocol (the recipe key,
    PyBaMM's ``experiment_model_mode``; ``legacy`` is PyBaMM's default): ``unified`` adds
    :data:`UNIFIED_IC_LINESEARCH_BACKTRACKS` unless the recipe sets that option.
    """
    options = idaklu_options(solver)
    if experiment_model == "unified":
        options.setdefault("max_linesearch_backtracks_ic", UNIFIED_IC_LINESEARCH_BACKTRACKS)
    return StateToleranceSolver(rtol=solver["rtol"], atol=solver["atol"], options=options)


@functools.cache
def idaklu_option_names() -> frozenset[str]:
    """The options ``pybamm.IDAKLUSolver`` takes (its defaults' keys)."""
    import pybamm

    return frozenset(pybamm.IDAKLUSolver().options)


def _solver_settings(path: Path, solver: Any) -> dict[str, float | int | str]:
    """The recipe's ``solver:`` mapping: rtol, atol and IDAKLU options; rtol and atol
    left out take :data:`RECIPE_KEYS`' defaults.

    Integers stay integers (IDAKLU's counts, e.g. ``max_nonlinear_iterations``, are C++
    ints); every other number becomes a float; the named options
    (:data:`_NAMED_SOLVER_OPTIONS`) keep one of their allowed names.
    """
    out: dict[str, float | int | str] = dict(_default("solver"))
    if not solver:
        return out
    if not isinstance(solver, dict):
        raise InputError(f"{path}: solver", solver, RECIPE_KEYS["solver"].allowed)
    for key, value in solver.items():
        if key not in ("rtol", "atol") and key not in idaklu_option_names():
            known = ["rtol", "atol", *sorted(idaklu_option_names())]
            raise InputError(f"{path}: solver.{key}", key, "rtol, atol or an IDAKLU option "
                             "(pybamm.IDAKLUSolver's options)",
                             hint=did_you_mean(str(key), known))
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
    for key in ("rtol", "atol"):  # IDA refuses negative tolerances only once it steps
        if not (math.isfinite(out[key]) and out[key] >= 0):
            raise InputError(f"{path}: solver.{key}", out[key], "a finite number >= 0")
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


def _separator_grading(path: Path, data: dict[str, Any]) -> float:
    """The recipe's ``separator_grading``, checked: a number 0 … MAX_SEPARATOR_GRADING,
    given only by a P2D half cell (the separator between the anode and the Li metal)."""
    value = data.get("separator_grading", _default("separator_grading"))
    field_ = f"{path}: separator_grading"
    if "separator_grading" in data and (data.get("cell") != "half"
                                        or data.get("geometry") != "p2d"):
        raise InputError(field_, value, "only in a P2D half cell's recipe (cell: half, "
                         "geometry: p2d): it grades the separator towards the Li metal",
                         hint="leave it out of this recipe")
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise InputError(field_, value, RECIPE_KEYS["separator_grading"].allowed)
    try:  # YAML reads 2e0 (no decimal point) as a string
        stretch = float(value)
    except ValueError:
        raise InputError(field_, value, RECIPE_KEYS["separator_grading"].allowed) from None
    if not 0.0 <= stretch <= MAX_SEPARATOR_GRADING:
        raise InputError(field_, value, RECIPE_KEYS["separator_grading"].allowed)
    return stretch


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
        raise InputError(f"{p}: keys", sorted(unknown), f"only {sorted(_KEYS)}",
                         hint=did_you_mean(sorted(unknown)[0], sorted(_KEYS)))
    if "cell" not in data:
        _missing(p, "cell", "every recipe")
    cell = data["cell"]
    if cell not in CELLS:
        raise InputError(f"{p}: cell", cell, RECIPE_KEYS["cell"].allowed)
    geometry = data.get("geometry")
    if "geometry" in data and geometry not in ("p2d", "sp"):
        raise InputError(f"{p}: geometry", geometry, "p2d or sp")
    not_read = sorted(k for k in ("cathode", "n_p_ratio") if k in data
                      and cell not in CATHODE_CELLS)
    if not_read:
        # a full cell's recipe with another cell ran as a half cell, its cathode and N/P
        # ratio unread
        raise InputError(f"{p}: {', '.join(not_read)}", f"with cell: {cell}",
                         "cathode and n_p_ratio only with cell: full or hard_carbon_full",
                         hint="write `cell: full` for a HEM anode vs that cathode, or leave "
                              "them out for a half cell")
    n_p = data.get("n_p_ratio")
    if "n_p_ratio" in data and (not isinstance(n_p, int | float) or isinstance(n_p, bool)
                                or not n_p > 0):
        raise InputError(f"{p}: n_p_ratio", n_p, "a positive number")
    thermal = data.get("thermal", _default("thermal"))
    if thermal not in THERMAL_OPTIONS or (thermal != "isothermal" and cell != "full"):
        raise InputError(f"{p}: thermal", thermal, RECIPE_KEYS["thermal"].allowed)
    experiment_model = data.get("experiment_model", _default("experiment_model"))
    if experiment_model not in EXPERIMENT_MODELS:
        raise InputError(f"{p}: experiment_model", experiment_model,
                         f"one of {list(EXPERIMENT_MODELS)}")
    compiled = data.get("compiled", _default("compiled"))
    if not isinstance(compiled, bool):
        raise InputError(f"{p}: compiled", compiled, "true or false")
    if cell not in ANODE_CELLS and data.get("mechanisms"):
        raise InputError(f"{p}: mechanisms", data["mechanisms"], "none for a cell without a "
                         "HEM anode (the mechanisms are the HEM anode's)")
    for key, spec in RECIPE_KEYS.items():
        if cell in spec.required_for and key not in data:
            _missing(p, key, f"the recipe of a {cell} cell")
    mechs: tuple[str, ...] = _default("mechanisms")
    if cell in ANODE_CELLS:
        if not isinstance(data["mechanisms"], list):
            raise InputError(f"{p}: mechanisms", data["mechanisms"],
                             RECIPE_KEYS["mechanisms"].allowed)
        mechs = check_mechanisms(data["mechanisms"], field=f"{p}: mechanisms")
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
    if cell == "hard_carbon_full" and (not is_cathode_set_name(cathode) or geometry != "p2d"):
        raise InputError(f"{p}: cathode/geometry", (cathode, geometry), "a hard-carbon full "
                         "cell is P2D with a cathode parameter set "
                         "(parameters/registry/cathode.yaml)")
    return Recipe(
        name=str(data.get("name", p.stem)),
        description=str(data.get("description", _default("description"))),
        cell=cell,
        geometry=geometry,
        mechanisms=mechs,
        mesh=_recipe_mesh(p, data.get("mesh")),
        separator_grading=_separator_grading(p, data),
        solver=_solver_settings(p, data.get("solver")),
        cathode=cathode,
        n_p_ratio=None if n_p is None else float(n_p),
        thermal=thermal,
        experiment_model=experiment_model,
        compiled=compiled,
    )


def _missing(path: Path, key: str, who: str) -> None:
    """Refuse a recipe without a key :data:`RECIPE_KEYS` requires of ``who``.

    Raises
    ------
    InputError
        Always: naming the file, the key and what it may be.
    """
    raise InputError(f"{path}: {key}", None, RECIPE_KEYS[key].allowed,
                     hint=f"the key {key}: is missing; {who} states it (docs/anode.md "
                          "\"Recipes\"; the shipped recipes: `hemcell cell recipes`)")
