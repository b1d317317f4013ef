"""Parameter sets with units and sources (see ``docs/parameters.md``).

Public API: :func:`load_parameter_set`, :func:`ambient_temperature_K`, :func:`list_parameter_sets`,
:class:`ParameterSet`, :class:`Parameter`, :func:`registry`, and
:class:`ParameterUse` (how a submodel declares the names it reads,
:mod:`hemcell.params.uses`).
"""

from hemcell.params.parameter_set import (
    Parameter,
    ParameterSet,
    ambient_temperature_K,
    list_parameter_sets,
    load_parameter_set,
    parse_parameter_set,
)
from hemcell.params.registry import ParameterSpec, registry
from hemcell.params.uses import ParameterUse

__all__ = [
    "Parameter",
    "ParameterSet",
    "ParameterSpec",
    "ParameterUse",
    "ambient_temperature_K",
    "list_parameter_sets",
    "load_parameter_set",
    "parse_parameter_set",
    "registry",
]
