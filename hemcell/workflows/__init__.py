"""Workflows: one module per job, between the command line and the physics packages.

A workflow resolves parameters, builds models from the physics packages (``cell``,
``surface``, ``limetal``), solves, and writes summaries, run records and figures.
Workflows may combine physics packages (``coupling`` hands the surface model's current
focusing to the Li-metal cell models); physics packages never import workflows.

:data:`FAST_PATHS` names, for each command that has one, the module whose
``sweep_fast_path(command)`` solves many sweep points in one process.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

#: command name → workflow module offering ``sweep_fast_path(command)``
FAST_PATHS: dict[str, str] = {
    "cell run": "hemcell.workflows.anode_sweep",
    "pybamm cc-discharge": "hemcell.workflows.cc_discharge",
    "surface run": "hemcell.workflows.surface_sweep",
}

#: command name → ``module:function`` refusing the ``--set`` keys of a parsed argument list
#: that the command's model does not read (sweep specs check every ``set:`` and swept
#: registry name with it before anything runs)
PARAMETER_KEY_CHECKS: dict[str, str] = {
    "cell run": "hemcell.workflows.cathode_half_cell:check_set_keys",
    "cell cv": "hemcell.workflows.anode:check_cv_set_keys",
    "cell cycle-life": "hemcell.workflows.anode:check_cycle_life_set_keys",
    "eis": "hemcell.workflows.eis:check_set_keys",
    "limetal rate": "hemcell.workflows.limetal:check_rate_set_keys",
    "limetal cycle": "hemcell.workflows.limetal:check_cycle_set_keys",
    "limetal symmetric": "hemcell.workflows.limetal:check_symmetric_set_keys",
    "limetal nucleation": "hemcell.workflows.limetal:check_nucleation_set_keys",
    "limetal licu": "hemcell.workflows.limetal:check_licu_set_keys",
    "limetal fit-fade": "hemcell.workflows.limetal:check_fit_fade_set_keys",
    "limetal fit-shuttle": "hemcell.workflows.limetal:check_fit_shuttle_set_keys",
    "limetal zn-symmetric": "hemcell.workflows.zinc:check_set_keys",
    "params export": "hemcell.params.export:check_export_args",
    "pybamm cc-discharge": "hemcell.workflows.cc_discharge:check_set_keys",
    "surface run": "hemcell.workflows.surface:check_run_set_keys",
    "surface compare": "hemcell.workflows.surface:check_compare_set_keys",
    "surface seeds": "hemcell.workflows.surface:check_seeds_set_keys",
    "surface thickness": "hemcell.workflows.surface:check_thickness_set_keys",
    "surface phasefield": "hemcell.workflows.phasefield:check_phasefield_set_keys",
}



def parameter_key_check(command: str) -> Callable[[Mapping[str, Any]], None] | None:
    """The ``--set`` check of :data:`PARAMETER_KEY_CHECKS` for ``command`` (its module
    imported on use), or ``None`` for a command without one."""
    import importlib

    target = PARAMETER_KEY_CHECKS.get(command)
    if target is None:
        return None
    module, name = target.split(":")
    return getattr(importlib.import_module(module), name)


__all__ = ["FAST_PATHS", "PARAMETER_KEY_CHECKS", "parameter_key_check"]
