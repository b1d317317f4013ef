"""Which parameter set describes which lithium-metal anode (the one owner of the map).

Seed 004 compares bare lithium with lithium under the AZCNF high-entropy-alloy
interphase. Both the Li-metal cell models (:mod:`hemcell.limetal`) and the surface model
(:mod:`hemcell.surface`, through :mod:`hemcell.workflows.surface`) read the same two
sets, so the anode → set-name map lives here, below both packages.
"""

from __future__ import annotations

from hemcell.errors import InputError

#: Anode name (``--anode``) → parameter set name (``parameters/<name>.yaml``).
LI_ANODE_SETS: dict[str, str] = {"bare": "bare_li", "coated": "azcnf_coated_li"}

#: The anode names, in the order bare, coated.
LI_ANODES: tuple[str, ...] = tuple(LI_ANODE_SETS)


def li_anode_set_name(anode: str, field: str = "--anode") -> str:
    """The parameter set name of an anode (``bare`` → ``bare_li``).

    Raises
    ------
    InputError
        An anode other than ``bare`` or ``coated``.
    """
    if anode not in LI_ANODE_SETS:
        raise InputError(field, anode, " | ".join(LI_ANODES))
    return LI_ANODE_SETS[anode]
