"""Configurational entropy per sublattice and the high/medium/low entropy class.

S_conf / R = −Σᵢ xᵢ ln xᵢ on each sublattice (xᵢ: site fraction of species i), summed
over sublattices without site-multiplicity weights (seed 003 eq. 3, L159-186; seed 002
eq. 2, L69). Classes (seed 003 L233-235, seed 002 L75): S ≥ 1.5R high, 1R ≤ S < 1.5R
medium, S < 1R low.

Sublattices are read off the formula (:mod:`hemcell.materials.formula`):

- ``anion``: all anion elements (O, S, Se, Te, N, halogens; P/As in phosphides);
- one cation sublattice per top-level parenthesised group (``(Mg0.2Co0.2…)O``,
  ``(LiFeZnNiCoMn)3O4`` — for a spinel the tetrahedral and octahedral sites are merged);
- the cations written outside any group share one more sublattice (``InGeSiP3``: In,
  Ge, Si on one site). To separate a Li or Na layer, write it outside a group:
  ``Na0.62(Mn0.67Ni0.23Cu0.05Mg0.07Ti0.01)O2``.

Vacancies are not modelled: fractions are normalised to the site's total occupancy.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from hemcell.materials.formula import Formula

#: Class thresholds in units of R (seed 003 L233-235; seed 002 L75).
HIGH_ENTROPY_MIN_PER_R = 1.5
MEDIUM_ENTROPY_MIN_PER_R = 1.0
_EPS = 1e-9


def mixing_entropy_per_R(occupancy: Mapping[str, float]) -> float:
    """Ideal configurational entropy of one sublattice, −Σ xᵢ ln xᵢ [R].

    Parameters
    ----------
    occupancy
        Species → amount on the site (any scale; normalised here).

    Examples
    --------
    >>> round(mixing_entropy_per_R({"Mg": 0.2, "Co": 0.2, "Ni": 0.2, "Cu": 0.2, "Zn": 0.2}), 4)
    1.6094
    """
    total = sum(occupancy.values())
    if total <= 0:
        return 0.0
    s = -sum((n / total) * math.log(n / total) for n in occupancy.values() if n > 0)
    return s + 0.0  # turn -0.0 into 0.0


def entropy_class(s_per_R: float) -> str:
    """``high`` (≥ 1.5 R), ``medium`` (1–1.5 R) or ``low`` (< 1 R), seed 003 L233-235."""
    if s_per_R >= HIGH_ENTROPY_MIN_PER_R - _EPS:
        return "high"
    if s_per_R >= MEDIUM_ENTROPY_MIN_PER_R - _EPS:
        return "medium"
    return "low"


def sublattices(formula: Formula, anions: Sequence[str]) -> dict[str, dict[str, float]]:
    """Species amounts per sublattice (rules in the module docstring).

    Returns
    -------
    dict
        Sublattice name (``cation``, or ``cation_1``, ``cation_2``… when there are
        several, and ``anion``) → {element: atoms per formula unit on that site}.
    """
    anion_set = set(anions)
    cation_sites: list[dict[str, float]] = []
    for group in formula.groups:
        site = {el: n for el, n in group.items() if el not in anion_set}
        if site:
            cation_sites.append(site)
    outside = {el: n for el, n in formula.outside.items() if el not in anion_set}
    if outside:
        cation_sites.append(outside)
    out: dict[str, dict[str, float]] = {}
    if len(cation_sites) == 1:
        out["cation"] = cation_sites[0]
    else:
        for i, site in enumerate(cation_sites, start=1):
            out[f"cation_{i}"] = site
    anion_site = {el: formula.amounts[el] for el in formula.amounts if el in anion_set}
    if anion_site:
        out["anion"] = anion_site
    return out


def config_entropy_per_R(sites: Mapping[str, Mapping[str, float]]) -> dict[str, float]:
    """−Σ xᵢ ln xᵢ for every sublattice [R]."""
    return {name: mixing_entropy_per_R(site) for name, site in sites.items()}
