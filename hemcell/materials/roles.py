"""Which mechanisms each element takes part in (seed 000's element planes).

Seed 000 sorts the cations of HEM anodes into planes (L582-600): plane A converts
(Si, Fe, Co, Ni, Cu, Zn, In, Sn, Mn, Ge, Ru, Bi, Sb, V, Cr; L584-588), plane B alloys
after conversion (Sn, Bi, Sb, Zn, In, Ge, Si; L593-596), plane C stores space charge
after conversion (Fe, Co, Ni; L597-600, strength Fe > Co > Ni, L700-704); Li and Mg are
inactive stabilisers (L611-613). The table with the source of every entry is
``hemcell/materials/data/elements.yaml``.

Three rules make the roles depend on the compound and the carrier ion:

- no anion, no conversion: anions are required for conversion (L12-13, L582-584), and
  space charge forms only on conversion products (L597-600), so an alloy keeps only its
  alloying role;
- alloying counts only where a final alloy phase with that ion is sourced
  (``alloy_phases``); e.g. Zn alloys with Li (LiZn) but no Na-Zn phase is sourced;
- the same element can be active or inactive depending on the material (L624-628,
  e.g. Zn and Mn are structural in (LiFeZnNiCoMn)3O4, L630-632): ``inactive=`` forces
  elements inactive.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from hemcell.errors import InputError
from hemcell.materials.elements import element_data

ROLE_NAMES = ("conversion", "alloying", "space_charge", "inactive")


def element_entry(element: str) -> dict[str, Any]:
    """The ``elements.yaml`` entry of a cation element (empty dict if unknown)."""
    return dict(element_data()["elements"].get(element, {}))


def alloy_phase(element: str, ion: str) -> dict[str, Any] | None:
    """Final alloy phase of ``element`` with carrier ``ion`` (phase, ions_per_atom, source)."""
    phases = element_data()["alloy_phases"].get(element) or {}
    entry = phases.get(ion)
    return None if entry is None else dict(entry)


def element_roles(
    elements: Sequence[str],
    anions: Sequence[str],
    ion: str,
    inactive: Iterable[str] = (),
) -> tuple[dict[str, list[str]], list[str]]:
    """Roles of every element of a compound for a carrier ion.

    Parameters
    ----------
    elements
        The elements of the formula.
    anions
        Those on the anion sublattice (role ``anion``).
    ion
        Carrier ion (Li, Na, K).
    inactive
        Elements forced inactive in this material (seed 000 L624-628).

    Returns
    -------
    roles, notes
        Element → list of roles (``conversion``, ``alloying``, ``space_charge``,
        ``inactive``; ``anion`` for anions), and notes on every rule that removed a role.
    """
    forced = set(inactive)
    for el in forced:
        if el not in elements:
            raise InputError("--inactive", el, f"an element of the formula ({', '.join(elements)})")
    has_anion = bool(anions)
    roles: dict[str, list[str]] = {}
    notes: list[str] = []
    for el in elements:
        if el in anions:
            roles[el] = ["anion"]
            continue
        entry = element_entry(el)
        base = list(entry.get("roles", ["inactive"]))
        if not entry:
            notes.append(f"{el}: no element data; treated as inactive (assumed)")
        elif str(entry.get("roles_source", "")).startswith("assumed"):
            notes.append(f"{el}: {'+'.join(base)} is {entry['roles_source']}")
        if el in forced:
            if base != ["inactive"]:
                notes.append(f"{el}: forced inactive in this material (--inactive; seed 000 "
                             "L624-628: roles depend on the material)")
            roles[el] = ["inactive"]
            continue
        kept = []
        for role in base:
            if role in ("conversion", "space_charge") and not has_anion:
                notes.append(f"{el}: no {role} without an anion (seed 000 L12-13, L597-600)")
                continue
            if role == "alloying" and alloy_phase(el, ion) is None:
                notes.append(f"{el}: no sourced {ion} alloy phase; not counted as alloying "
                             f"with {ion}")
                continue
            kept.append(role)
        roles[el] = kept or ["inactive"]
    return roles, notes


def space_charge_order(roles: Mapping[str, Sequence[str]]) -> list[str]:
    """Space-charge elements from strongest to weakest by their spin moment per atom
    (:mod:`hemcell.materials.interfaces`; Fe > Co > Ni, the order seed 000 L700-704 sees)."""
    from hemcell.materials.interfaces import interfacial_storage_data, moment_bohr_magnetons

    sc = [el for el, r in roles.items() if "space_charge" in r]
    metals = interfacial_storage_data()["metals"]
    return sorted(sc, key=lambda el: -moment_bohr_magnetons(el) if el in metals else 0.0)
