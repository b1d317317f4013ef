"""Which elements of a material take part in which anode mechanism (model structure).

Kept apart from :mod:`hemcell.cell.model` so that parameter and capacity modules, which
the model classes use for their default parameter values, need not import the model.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from hemcell.cell.mechanisms import MECHANISMS
from hemcell.errors import InputError


@dataclass(frozen=True)
class Inventory:
    """Which elements take part in which mechanism (the model's structure).

    Attributes
    ----------
    conversion
        Convertible elements, e.g. ``("Co", "Ni", "Cu", "Zn")``.
    alloying
        Alloying host → number of Li–M stages, e.g. ``{"Zn": 3}``.
    space_charge
        Space-charge-active metals, e.g. ``("Co", "Ni")``.
    """

    conversion: tuple[str, ...] = ()
    alloying: Mapping[str, int] = field(default_factory=dict)
    space_charge: tuple[str, ...] = ()


def check_mechanisms(mechanisms: Iterable[str], field: str = "--mechanisms") -> tuple[str, ...]:
    """Validate a mechanism list; returns it in canonical order.

    ``field`` names where the list came from in the error message.

    Raises
    ------
    InputError
        For an unknown name or an empty list.
    """
    mechs = [m.strip().replace("-", "_") for m in mechanisms if m.strip()]
    for m in mechs:
        if m not in MECHANISMS:
            raise InputError(field, m, ", ".join(MECHANISMS))
    if not mechs:
        raise InputError(field, "", f"one or more of {', '.join(MECHANISMS)}")
    return tuple(m for m in MECHANISMS if m in mechs)
