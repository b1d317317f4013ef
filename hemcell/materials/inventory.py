"""Composition → mechanism inventory (docs/theory.md eq. 2.8).

From a formula and a carrier ion: molar mass, configurational entropy per sublattice and
its class, the role of every element, and the theoretical (Faraday) capacity of each
mechanism,

    Q = n F / (3.6 M)  [mAh g⁻¹],

with n the electrons stored per formula unit: for conversion Σ xᵢ qᵢ over converting
cations (Mᵢ^qᵢ⁺ → Mᵢ⁰, qᵢ from charge balance), for alloying Σ xᵢ yᵢ over alloying
elements (yᵢ carrier ions per atom in the final alloy phase: LiZn, Li3Sb, Li15Si4 …).
Space charge has no Faraday limit and is not in the total.

Worked example (docs/theory.md eq. 2.8): (Mg0.2Co0.2Ni0.2Cu0.2Zn0.2)O has M = 70.17 g mol⁻¹;
Co, Ni, Cu, Zn convert with 2 e⁻ each (n = 1.6) → 611 mAh g⁻¹; Zn → LiZn adds
n = 0.2 → 76 mAh g⁻¹; S = ln 5 R = 1.609 R on the cation site → high entropy.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from hemcell.materials.elements import (
    carrier_ion,
    element_data,
    faraday_capacity_mAh_per_g,
    molar_mass_g_per_mol,
)
from hemcell.materials.entropy import config_entropy_per_R, entropy_class, sublattices
from hemcell.materials.formula import parse_formula
from hemcell.materials.oxidation import infer_oxidation_states, parse_oxidation_option
from hemcell.materials.roles import alloy_phase, element_roles, space_charge_order

#: The keys ``hemcell composition --json`` prints.
JSON_KEYS = ("molar_mass_g_per_mol", "config_entropy_per_R", "entropy_class", "roles",
             "capacity_mAh_per_g")


def anion_bond_electrons(amounts: Mapping[str, float], states: Mapping[str, float],
                         anions: Sequence[str]) -> float:
    """Electrons per formula unit that break anion–anion bonds on full conversion.

    Σ_a x_a (q_a − q_a,final) over anions above their final state (S⁻¹ → S²⁻ in Li₂S,
    P⁻¹ → P³⁻ in Li₃P): FeS₂ + 4 Li → Fe + 2 Li₂S takes 2 e⁻ for Fe²⁺ and 2 e⁻ for the
    S₂²⁻ bond.
    """
    data = element_data()["anions"]
    return sum(amounts[a] * (states[a] - float(data[a]["oxidation_state"]))
               for a in anions if states[a] > float(data[a]["oxidation_state"]))


def conversion_electrons(amounts: Mapping[str, float], states: Mapping[str, float],
                         roles: Mapping[str, list[str]],
                         anions: Sequence[str] = ()) -> dict[str, float]:
    """Electrons per formula unit of each converting cation's conversion reaction.

    The cation's reduction to metal, xᵢ qᵢ, plus its share of the anion–anion bond
    electrons (:func:`anion_bond_electrons`), shared in proportion to the cation charge
    (the anions bound to inactive cations stay unreduced). For a compound whose cations
    all convert the total is Σ_a x_a |q_a,final|, the electrons that turn every anion into
    its lithium compound.
    """
    out = {el: amounts[el] * max(states[el], 0.0)
           for el in amounts if "conversion" in roles.get(el, ())}
    bonds = anion_bond_electrons(amounts, states, anions)
    cation_charge = sum(amounts[el] * max(states[el], 0.0) for el in amounts
                        if el not in anions)
    if bonds > 0 and cation_charge > 0:
        for el in out:
            out[el] += bonds * out[el] / cation_charge
    return out


def alloying_ions(amounts: Mapping[str, float], roles: Mapping[str, list[str]],
                  ion: str) -> dict[str, float]:
    """Carrier ions per formula unit taken up by alloying, xᵢ yᵢ (final phase of each element)."""
    out = {}
    for el in amounts:
        if "alloying" in roles.get(el, ()):
            phase = alloy_phase(el, ion)
            assert phase is not None  # element_roles keeps alloying only with a phase
            out[el] = amounts[el] * float(phase["ions_per_atom"])
    return out


def _parse_inactive(inactive: str | Iterable[str] | None) -> list[str]:
    if inactive is None:
        return []
    if isinstance(inactive, str):
        return [s.strip() for s in inactive.split(",") if s.strip()]
    return list(inactive)


def composition_inventory(
    formula: str,
    ion: str = "Li",
    oxidation: str | Mapping[str, float] | None = None,
    inactive: str | Iterable[str] | None = None,
) -> dict[str, Any]:
    """Mechanism inventory of a high-entropy material for one carrier ion.

    Parameters
    ----------
    formula
        E.g. ``(Mg0.2Co0.2Ni0.2Cu0.2Zn0.2)O``, ``(LiFeZnNiCoMn)3O4``, ``InGeSiP3``.
    ion
        Carrier ion: ``Li``, ``Na`` or ``K``.
    oxidation
        Oxidation states to impose, as ``"Fe=3,Co=2"`` or a mapping; the rest is balanced.
    inactive
        Elements structural in this material (``"Zn,Mn"``), seed 000 L624-628.

    Returns
    -------
    dict
        ``molar_mass_g_per_mol``, ``config_entropy_per_R`` (per sublattice),
        ``entropy_class``, ``roles``, ``capacity_mAh_per_g`` (``conversion``,
        ``alloying``, ``total``) — the issue's keys (:data:`JSON_KEYS`) — and details:
        ``formula``, ``ion``, ``amounts``, ``oxidation_states``, ``oxidation_rule``,
        ``sublattices``, ``config_entropy_total_per_R``, ``electrons_per_formula_unit``,
        ``capacity_by_element_mAh_per_g``, ``alloy_phases``, ``space_charge_order``,
        ``notes``, ``sources``.

    Raises
    ------
    InputError
        Bad formula, unknown ion, or oxidation states that cannot balance.

    Examples
    --------
    >>> inv = composition_inventory("(Mg0.2Co0.2Ni0.2Cu0.2Zn0.2)O")  # doctest: +SKIP
    >>> round(inv["capacity_mAh_per_g"]["conversion"])  # doctest: +SKIP
    611
    """
    ion_data = carrier_ion(ion)
    ion = ion_data["symbol"]
    parsed = parse_formula(formula)
    amounts = parsed.amounts
    explicit = parse_oxidation_option(oxidation) if isinstance(oxidation, str | None) \
        else dict(oxidation)
    ox = infer_oxidation_states(amounts, explicit)
    roles, role_notes = element_roles(list(amounts), ox.anions, ion, _parse_inactive(inactive))
    molar_mass = molar_mass_g_per_mol(amounts)

    sites = sublattices(parsed, ox.anions)
    s_sites = config_entropy_per_R(sites)
    s_total = sum(s_sites.values())

    n_conv = conversion_electrons(amounts, ox.states, roles, ox.anions)
    n_alloy = alloying_ions(amounts, roles, ion)
    q = {
        "conversion": faraday_capacity_mAh_per_g(sum(n_conv.values()), molar_mass),
        "alloying": faraday_capacity_mAh_per_g(sum(n_alloy.values()), molar_mass),
    }
    q["total"] = q["conversion"] + q["alloying"]

    notes = list(parsed.notes) + list(ox.notes) + role_notes
    notes.append("capacities are theoretical Faraday limits per gram of the pristine "
                 "material; space charge (no Faraday limit) and intercalation are not included")
    phases = {el: alloy_phase(el, ion) for el in n_alloy}
    data = element_data()
    sources = {
        "atomic masses": data["sources"]["periodictable"],
        "oxidation states": "charge balance (hemcell.materials.oxidation) over the states "
                            "listed in hemcell/materials/data/elements.yaml "
                            "(pymatgen periodic_table.json; subset and order assumed)",
        "roles": {el: (data["elements"].get(el, {}).get("roles_source", "anion")
                       if el not in ox.anions else "anion (seed 000 L12-13, L582-584)")
                  for el in amounts},
        "alloy phases": {el: p["source"] for el, p in phases.items() if p},
        "entropy thresholds": "seed 003 L233-235; seed 002 L75",
        "ionic radius": ion_data["source"],
    }
    return {
        "formula": formula,
        "ion": ion,
        "ionic_radius_nm": ion_data["ionic_radius_nm"],
        "amounts": dict(amounts),
        "molar_mass_g_per_mol": molar_mass,
        "oxidation_states": dict(ox.states),
        "oxidation_rule": ox.rule,
        "sublattices": sites,
        "config_entropy_per_R": s_sites,
        "config_entropy_total_per_R": s_total,
        "entropy_class": entropy_class(s_total),
        "roles": roles,
        "electrons_per_formula_unit": {"conversion": n_conv, "alloying": n_alloy,
                                       "anion_bonds": anion_bond_electrons(
                                           amounts, ox.states, ox.anions)},
        "capacity_mAh_per_g": q,
        "capacity_by_element_mAh_per_g": {
            "conversion": {el: faraday_capacity_mAh_per_g(n, molar_mass)
                           for el, n in n_conv.items()},
            "alloying": {el: faraday_capacity_mAh_per_g(n, molar_mass)
                         for el, n in n_alloy.items()},
        },
        "alloy_phases": {el: p["phase"] for el, p in phases.items() if p},
        "space_charge_order": space_charge_order(roles),
        "notes": notes,
        "sources": sources,
    }


def json_summary(inventory: Mapping[str, Any], digits: int = 4,
                 keys: Sequence[str] = JSON_KEYS) -> dict[str, Any]:
    """The ``--json`` keys only (``keys``), with floats rounded for printing."""

    def rnd(v: Any) -> Any:
        if isinstance(v, float):
            return round(v, digits)
        if isinstance(v, dict):
            return {k: rnd(x) for k, x in v.items()}
        return v

    return {k: rnd(inventory[k]) for k in keys}
