"""Which parameter sets describe the bare and coated anode of each plated metal.

The surface model (:mod:`hemcell.surface`, through :mod:`hemcell.workflows.surface`) and
the Zn‖Zn cell (:mod:`hemcell.limetal.zinc`) take the metal and its electrolyte from a
pair of sets: bare metal and metal under an HEM coating. Li: seed 004 (bare Li vs the
AZCNF high-entropy-alloy interphase, :data:`hemcell.params.li_sets.LI_ANODE_SETS`). Zn:
aqueous ZnSO₄ with hydrogen evolution (seed 001, ``zn_bare`` / ``zn_hem_coated``).
"""

from __future__ import annotations

from hemcell.errors import InputError
from hemcell.params.li_sets import LI_ANODE_SETS

#: Metal (``--metal``) → role (``bare``, ``coated``) → parameter set name.
METAL_SETS: dict[str, dict[str, str]] = {
    "Li": dict(LI_ANODE_SETS),
    "Zn": {"bare": "zn_bare", "coated": "zn_hem_coated"},
}
#: The metals whose sets give hydrogen evolution (aqueous electrolytes).
AQUEOUS_METALS: tuple[str, ...] = ("Zn",)
METALS: tuple[str, ...] = tuple(METAL_SETS)


def metal_sets(metal: str, field: str = "--metal") -> dict[str, str]:
    """The ``bare``/``coated`` set names of a metal.

    Raises
    ------
    InputError
        A metal other than those of :data:`METAL_SETS`.
    """
    if metal not in METAL_SETS:
        raise InputError(field, metal, " | ".join(METALS))
    return dict(METAL_SETS[metal])
