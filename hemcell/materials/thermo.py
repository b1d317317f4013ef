"""Thermodynamics of conversion reactions: Gibbs energies of formation and emfs.

The one owner of the conversion emf in hemcell. Data with sources:
``hemcell/materials/data/formation_energies.yaml`` (NASA Glenn / Gurvich / NIST-JANAF rows;
one tertiary row, Li₂S; NBS 1982 enthalpies of the selenides; OQMD DFT formation energies
of the tellurides and of Li₃P, Na₃P).

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
reaction; eq. (3) is the standard emf–Gibbs relation). The element X itself converts as
X + n A → A_nX with E_A = −ΔfG(A_nX)/(nF).

Where no entropy of the products was found, eq. (4) is evaluated on a coarser basis, the
same for both products (:func:`shift_basis`):

    enthalpy:  ΔfG(Li_nX) − ΔfG(A_nX) ≈ ΔfH(Li_nX) − ΔfH(A_nX)                       (5)

(the formation entropies of the two products taken equal), and, without an experimental
set, the DFT formation energy per formula unit (0 K, no vibrational terms):

    dft:       ΔfG(A_nX) ≈ ΔfE(A_nX) = N_atoms · Δ_fε · F,   Δ_fε in eV per atom          (6)

(F converts eV per particle to J mol⁻¹; the common convention of computed average
voltages, Aydinol et al., Phys. Rev. B 56 (1997) 1354).
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

#: Bases of a formation Gibbs energy, best first: eq. (1), eq. (5), eq. (6).
BASES = ("gibbs", "enthalpy", "dft")


@lru_cache(maxsize=1)
def formation_data() -> dict[str, Any]:
    """The parsed ``formation_energies.yaml`` (sources, elements, compounds, anions)."""
    from hemcell.params.yaml_io import safe_load_text

    return safe_load_text(FORMATION_FILE.read_text(encoding="utf-8"), str(FORMATION_FILE))


def _composition(formula: str) -> dict[str, float]:
    from hemcell.materials.formula import parse_formula

    return dict(parse_formula(formula).amounts)


def _bases(formula: str) -> tuple[str, ...]:
    data = formation_data()
    row = data["compounds"].get(formula)
    out = []
    if row is not None:
        if "S_J_per_mol_K" in row:
            out.append("gibbs")
        out.append("enthalpy")
    if formula in data.get("dft_formation_energies", {}):
        out.append("dft")
    return tuple(out)


def gibbs_formation_kJ_per_mol(formula: str,
                               temperature_K: float = STANDARD_TEMPERATURE_K) -> float:
    """ΔfG of ``formula`` [kJ mol⁻¹] by eq. (1); 0 for an element in its standard state.

    Raises
    ------
    InputError
        When the compound (or one of its elements) has no sourced enthalpy and entropy.
    """
    data = formation_data()
    if temperature_K <= 0:
        raise InputError("temperature", temperature_K, "a temperature above 0 K")
    if formula in data["elements"]:
        return 0.0
    row = data["compounds"].get(formula)
    if row is None or "S_J_per_mol_K" not in row:
        with_s = [f for f, r in data["compounds"].items() if "S_J_per_mol_K" in r]
        raise InputError(
            "compound", formula, ", ".join(with_s),
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


def formation_energy_kJ_per_mol(formula: str, basis: str,
                                temperature_K: float = STANDARD_TEMPERATURE_K) -> float:
    """ΔfG of ``formula`` [kJ mol⁻¹] on ``basis``: eq. (1) ("gibbs"), ΔfH° ("enthalpy",
    eq. (5); meaningful only in differences between products of one anion) or the DFT
    formation energy N_atoms·Δ_fε·F ("dft", eq. (6)).

    Raises
    ------
    InputError
        An unknown basis, or a compound without a sourced row of that kind.
    """
    if basis not in BASES:
        raise InputError("basis", basis, ", ".join(BASES))
    if basis == "gibbs":
        return gibbs_formation_kJ_per_mol(formula, temperature_K)
    data = formation_data()
    table = data["compounds"] if basis == "enthalpy" else data.get("dft_formation_energies", {})
    row = table.get(formula)
    if row is None:
        raise InputError("compound", formula, ", ".join(table),
                         hint=f"no sourced {basis} row "
                         "(hemcell/materials/data/formation_energies.yaml)")
    if basis == "enthalpy":
        return float(row["dfH_kJ_per_mol"])
    atoms = sum(_composition(formula).values())
    return float(row["dfE_eV_per_atom"]) * atoms * FARADAY_C_PER_MOL * 1e-3


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
    """n of the anion X^(n−) (O, S, Se, Te: 2; F: 1; P: 3)."""
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


def shift_basis(anion: str, ion: str, reference: str = "Li") -> str:
    """The best basis (:data:`BASES`) on which both products A_nX of ``anion`` are sourced.

    Raises
    ------
    InputError
        When the two products have no kind of row in common (phosphides with K: no K₃P).
    """
    products = [conversion_product(anion, a) for a in (reference, ion)]
    have = [_bases(p) for p in products]
    for basis in BASES:
        if all(basis in h for h in have):
            return basis
    sourced = [conversion_product(anion, a) for a in CARRIER_IONS
               if _bases(conversion_product(anion, a))]
    missing = [p for p, h in zip(products, have, strict=True) if not h]
    hint = ("see not_found in hemcell/materials/data/formation_energies.yaml and "
            "docs/anode.md, section Carrier ions")
    if missing:
        raise InputError("conversion product", missing[0],
                         ", ".join(sourced) or "none of this anion is sourced", hint=hint)
    raise InputError("conversion products", " and ".join(products),
                     "two products sourced on one basis (" + ", ".join(BASES) + ")", hint=hint)


def conversion_potential_shift_V(anion: str, ion: str, reference: str = "Li",
                                 temperature_K: float = STANDARD_TEMPERATURE_K,
                                 basis: str | None = None) -> float:
    """ΔE of every conversion branch of an X-compound from ``reference`` to ``ion`` [V],
    eq. (4) on ``basis`` (default :func:`shift_basis`: eq. (1), else (5), else (6)).

    Raises
    ------
    InputError
        When the two products have no sourced data on a common basis (``not_found`` in
        the data file), or on the requested one.
    """
    n = anion_charge(anion)
    basis = basis or shift_basis(anion, ion, reference)
    g = {a: formation_energy_kJ_per_mol(conversion_product(anion, a), basis, temperature_K)
         for a in (reference, ion)}
    return (g[reference] - g[ion]) * 1e3 / (n * FARADAY_C_PER_MOL)


def element_conversion_emf_V(anion: str, ion: str,
                             temperature_K: float = STANDARD_TEMPERATURE_K,
                             basis: str = "gibbs") -> float:
    """emf of X + n A → A_nX vs A/A⁺ [V], E = −ΔfG(A_nX)/(nF), eq. (3) with Δ_rG = ΔfG.

    ``basis`` "gibbs" or "dft" (an enthalpy alone gives no absolute emf).

    Raises
    ------
    InputError
        On the "enthalpy" basis, or without a sourced row of the product.
    """
    if basis == "enthalpy":
        raise InputError("basis", basis, "gibbs, dft",
                         hint="ΔfH alone does not give an emf (eq. (5) holds for differences)")
    n = anion_charge(anion)
    return emf_V(formation_energy_kJ_per_mol(conversion_product(anion, ion), basis,
                                             temperature_K), n)
