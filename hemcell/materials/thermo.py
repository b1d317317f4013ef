"""Thermodynamics of conversion reactions: Gibbs energies of formation and emfs.

The one owner of the conversion emf in hemcell. Data with sources:
``hemcell/materials/data/formation_energies.yaml`` (NASA Glenn / Gurvich / NIST-JANAF rows;
one tertiary row, Li₂S).

Gibbs energy of formation at temperature T from the standard enthalpy and entropies
(constant ΔfH and ΔfS, i.e. ΔCp = 0 away from 298.15 K):

    ΔfG(T) = ΔfH° − T·ΔfS°,   ΔfS° = S°(compound) − Σᵢ νᵢ S°(elementᵢ)              (1)

A conversion electrode M_aX_b with carrier A⁺ (X of charge −n) reacts as

    M_aX_b + b·n A⁺ + b·n e⁻ → a M + b A_nX                                          (2)

with the emf vs A/A⁺ (Nernst, all phases pure)

    E_A = −Δ_rG / (zF),   Δ_rG = b·ΔfG(A_nX) − ΔfG(M_aX_b),   z = b·n               (3)

so the ion enters only through ΔfG(A_nX)/n, and changing the carrier from Li to A moves
every conversion branch of an X-compound by

    ΔE_A = [ΔfG(Li_nX) − ΔfG(A_nX)] / (nF)                                           (4)

whatever M, a and b are (Poizot et al., Nature 407 (2000) 496 for the conversion
reaction; eq. (3) is the standard emf–Gibbs relation).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from hemcell.errors import InputError
from hemcell.laws import FARADAY_C_PER_MOL

FORMATION_FILE = Path(__file__).with_name("data") / "formation_energies.yaml"

#: Standard temperature of the tabulated values [K].
STANDARD_TEMPERATURE_K = 298.15

#: Carrier ions whose metals and conversion products are tabulated.
CARRIER_IONS = ("Li", "Na", "K")


@lru_cache(maxsize=1)
def formation_data() -> dict[str, Any]:
    """The parsed ``formation_energies.yaml`` (sources, elements, compounds, anions)."""
    from hemcell.params.yaml_io import safe_load_text

    return safe_load_text(FORMATION_FILE.read_text(encoding="utf-8"), str(FORMATION_FILE))


def _composition(formula: str) -> dict[str, float]:
    from hemcell.materials.formula import parse_formula

    return dict(parse_formula(formula).amounts)


def gibbs_formation_kJ_per_mol(formula: str,
                               temperature_K: float = STANDARD_TEMPERATURE_K) -> float:
    """ΔfG of ``formula`` [kJ mol⁻¹] by eq. (1); 0 for an element in its standard state.

    Raises
    ------
    InputError
        When the compound (or one of its elements) has no sourced row.
    """
    data = formation_data()
    if temperature_K <= 0:
        raise InputError("temperature", temperature_K, "a temperature above 0 K")
    if formula in data["elements"]:
        return 0.0
    row = data["compounds"].get(formula)
    if row is None:
        raise InputError(
            "compound", formula, ", ".join(data["compounds"]),
            hint="no sourced formation enthalpy and entropy "
            "(hemcell/materials/data/formation_energies.yaml)",
        )
    s_elements = 0.0
    for el, nu in _composition(formula).items():
        if el not in data["elements"]:
            raise InputError("element", el, ", ".join(data["elements"]),
                             hint=f"no standard entropy of {el} for ΔfS of {formula}")
        s_elements += nu * float(data["elements"][el]["S_J_per_mol_K"])
    dfS_kJ_per_mol_K = (float(row["S_J_per_mol_K"]) - s_elements) * 1e-3
    return float(row["dfH_kJ_per_mol"]) - temperature_K * dfS_kJ_per_mol_K


def emf_V(reaction_gibbs_kJ_per_mol: float, electrons: float) -> float:
    """E = −Δ_rG / (zF) [V], eq. (3)."""
    if electrons <= 0:
        raise InputError("electrons", electrons, "a positive number of electrons")
    return -reaction_gibbs_kJ_per_mol * 1e3 / (electrons * FARADAY_C_PER_MOL)


def _ion(ion: str) -> str:
    name = ion.strip().rstrip("+").capitalize()
    if name not in CARRIER_IONS:
        raise InputError("ion", ion, ", ".join(CARRIER_IONS))
    return name


def anion_charge(anion: str) -> int:
    """n of the anion X^(n−) (O, S, Se: 2; F: 1; P: 3)."""
    anions = formation_data()["anions"]
    if anion not in anions:
        raise InputError("anion", anion, ", ".join(anions))
    return int(anions[anion]["charge"])


def conversion_product(anion: str, ion: str) -> str:
    """Formula of the alkali conversion product A_nX (``Na2S``, ``KF``, ``Li3P``)."""
    n = anion_charge(anion)
    return f"{_ion(ion)}{n if n > 1 else ''}{anion}"


def conversion_emf_V(compound: str, ion: str,
                     temperature_K: float = STANDARD_TEMPERATURE_K) -> float:
    """emf of the full conversion of a binary ``compound`` M_aX_b vs A/A⁺ [V], eqs (2)–(3).

    Raises
    ------
    InputError
        A compound that is not one metal and one tabulated anion, or without sourced data.
    """
    comp = _composition(compound)
    anions = [el for el in comp if el in formation_data()["anions"]]
    if len(anions) != 1 or len(comp) != 2:
        raise InputError("compound", compound, "a binary compound M_aX_b with X in "
                         + ", ".join(formation_data()["anions"]))
    x = anions[0]
    n, b = anion_charge(x), comp[x]
    product = conversion_product(x, ion)
    dG_r = (b * gibbs_formation_kJ_per_mol(product, temperature_K)
            - gibbs_formation_kJ_per_mol(compound, temperature_K))
    return emf_V(dG_r, b * n)


def conversion_potential_shift_V(anion: str, ion: str, reference: str = "Li",
                                 temperature_K: float = STANDARD_TEMPERATURE_K) -> float:
    """ΔE of every conversion branch of an X-compound from ``reference`` to ``ion`` [V], eq. (4).

    Raises
    ------
    InputError
        When either conversion product has no sourced formation data (phosphides and
        selenides: ``not_found`` in the data file).
    """
    n = anion_charge(anion)
    g = {a: gibbs_formation_kJ_per_mol(conversion_product(anion, a), temperature_K)
         for a in (reference, ion)}
    return (g[reference] - g[ion]) * 1e3 / (n * FARADAY_C_PER_MOL)
