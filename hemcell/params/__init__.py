"""Parameter sets with units and sources (see ``docs/parameters.md``).

Public API: :func:`load_parameter_set`, :func:`list_parameter_sets`,
:class:`ParameterSet`, :class:`Parameter`, :func:`registry`.
"""

from hemcell.params.parameter_set import (
    Parameter,
    ParameterSet,
    list_parameter_sets,
    load_parameter_set,
    parse_parameter_set,
)
from hemcell.params.registry import ParameterSpec, registry

__all__ = [
    "Parameter",
    "ParameterSet",
    "ParameterSpec",
    "list_parameter_sets",
    "load_parameter_set",
    "parse_parameter_set",
    "registry",
]
