"""Oxidation states from charge balance.

Anions take fixed states (O, S, Se, Te −2; N, P, As −3; halogens −1; P and As count as
anions only when no chalcogen or halogen is present, i.e. in phosphides and arsenides).
Cations are then assigned so that the formula is neutral:

1. every assignment of each cation to one of its listed states
   (``elements.yaml: oxidation_states``, preferred first) is tried; among those that
   balance, the one with the fewest steps away from the preferred states wins (the sum
   of the state's rank in each list); ties go to the smaller Σ xᵢ |qᵢ − qᵢ,pref|, then
   to giving the lower state to the more electronegative cation;
2. if no integer assignment balances with every anion in its usual state, anions that
   can bond to each other (S, Se, Te: −1 in X₂²⁻ dimers; P, As: −2 in P₂⁴⁻ dimers, −1 in
   chains and rings; ``elements.yaml: bonded_states``, the Zintl–Klemm 8 − N rule) are
   tried in those states: pyrite FeS₂ is Fe²⁺(S₂)²⁻, CoP₃ is Co³⁺ with P⁻¹ rings. Among
   the assignments that balance, the fewest steps from the cations' preferred states
   wins, then the fewest anion–anion bonds;
3. if still nothing balances (Fe3O4, Co3O4), the multivalent cations share the
   missing charge equally per atom, each kept within its listed range: a documented
   *average* (mixed-valence) state, e.g. Fe 8/3 in Fe3O4.

States given explicitly (``--oxidation Fe=3,Co=2``, anions too: ``S=-1`` for a
persulfide) are kept as given and the rest is balanced around them.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field

from hemcell.errors import InputError
from hemcell.materials.elements import element_data

_TOL = 1e-6
_MAX_COMBINATIONS = 200_000


@dataclass(frozen=True)
class OxidationResult:
    """Oxidation state of every element of a formula.

    Attributes
    ----------
    states
        Element → oxidation state (float; non-integer for a mixed-valence average).
    anions
        The elements treated as anions.
    rule
        Which rule produced the cation states: ``explicit``, ``preferred``,
        ``charge balance`` or ``average (mixed valence)``.
    notes
        Ambiguities and choices worth telling the user.
    """

    states: dict[str, float]
    anions: tuple[str, ...]
    rule: str
    notes: list[str] = field(default_factory=list)


def anion_elements(amounts: Mapping[str, float]) -> list[str]:
    """Elements that sit on the anion sublattice of this formula.

    O, S, Se, Te, N and the halogens always; P and As only when none of those is present
    (phosphides and arsenides, not phosphates or thiophosphates).
    """
    data = element_data()["anions"]
    strict = [el for el in amounts if el in data and not data[el].get("pnictide", False)]
    if strict:
        return strict
    return [el for el in amounts if el in data]


def parse_oxidation_option(text: str | None) -> dict[str, float]:
    """Parse ``Fe=3,Co=2`` (``--oxidation``) into {element: state}.

    Raises
    ------
    InputError
        On a malformed item.
    """
    if text is None or not text.strip():
        return {}
    out: dict[str, float] = {}
    for item in text.split(","):
        item = item.strip()
        if "=" not in item:
            raise InputError("--oxidation", item, "ELEMENT=STATE items separated by commas, "
                                                  "e.g. Fe=3,Co=2")
        el, _, raw = item.partition("=")
        el = el.strip()
        try:
            out[el] = float(raw)
        except ValueError:
            raise InputError("--oxidation", item, "a number after '=', e.g. Fe=3 or S=-1") from None
    return out


def _candidate_states(element: str) -> list[float]:
    data = element_data()["elements"]
    if element not in data:
        raise InputError("formula element", element,
                         f"an element with oxidation data ({', '.join(sorted(data))}) or an "
                         f"explicit state", hint=f"give it with --oxidation {element}=STATE")
    return [float(q) for q in data[element]["oxidation_states"]]


def _electronegativity(element: str) -> float:
    data = element_data()
    for table in ("anions", "elements"):
        if element in data[table] and "electronegativity" in data[table][element]:
            return float(data[table][element]["electronegativity"])
    return 0.0


def _balance_integer(cations: list[str], amounts: Mapping[str, float],
                     target: float) -> tuple[dict[str, float], int] | None:
    """Best integer assignment of listed states with Σ xᵢ qᵢ = target, and how many tied."""
    lists = [_candidate_states(el) for el in cations]
    n_comb = 1
    for states in lists:
        n_comb *= len(states)
    if n_comb > _MAX_COMBINATIONS:
        return None
    by_en = sorted(range(len(cations)), key=lambda i: -_electronegativity(cations[i]))
    balanced: list[tuple[tuple, tuple[float, ...]]] = []
    for combo in itertools.product(*(list(enumerate(s)) for s in lists)):
        total = sum(amounts[el] * q for el, (_, q) in zip(cations, combo, strict=True))
        if abs(total - target) > _TOL * max(1.0, abs(target)):
            continue
        rank = sum(r for r, _ in combo)
        shift = sum(amounts[el] * abs(q - lists[i][0])
                    for i, (el, (_, q)) in enumerate(zip(cations, combo, strict=True)))
        key = (rank, round(shift, 9), tuple(combo[i][1] for i in by_en))
        balanced.append((key, tuple(q for _, q in combo)))
    if not balanced:
        return None
    balanced.sort()
    best_key, best = balanced[0]
    ties = sum(1 for key, _ in balanced[1:] if key[:2] == best_key[:2])
    return dict(zip(cations, best, strict=True)), ties


def _balance_average(cations: list[str], amounts: Mapping[str, float],
                     target: float) -> dict[str, float] | None:
    """Shift multivalent cations equally per atom from their preferred states (clamped)."""
    lists = {el: _candidate_states(el) for el in cations}
    q = {el: s[0] for el, s in lists.items()}
    lo = {el: min(s) for el, s in lists.items()}
    hi = {el: max(s) for el, s in lists.items()}
    for _ in range(100):
        missing = target - sum(amounts[el] * q[el] for el in cations)
        if abs(missing) <= _TOL * max(1.0, abs(target)):
            return q
        free = [el for el in cations
                if (missing > 0 and q[el] < hi[el] - 1e-12)
                or (missing < 0 and q[el] > lo[el] + 1e-12)]
        if not free:
            return None
        step = missing / sum(amounts[el] for el in free)
        for el in free:
            q[el] = min(hi[el], max(lo[el], q[el] + step))
    return None


def infer_oxidation_states(amounts: Mapping[str, float],
                           explicit: Mapping[str, float] | None = None) -> OxidationResult:
    """Oxidation states that make the formula neutral (rules in the module docstring).

    Parameters
    ----------
    amounts
        Element → atoms per formula unit.
    explicit
        States given by the user; kept as given.

    Returns
    -------
    OxidationResult

    Raises
    ------
    InputError
        If an explicit state names an element not in the formula, or no assignment
        within the listed states balances the charge.

    Examples
    --------
    >>> infer_oxidation_states({"Fe": 3, "O": 4}).states["Fe"]  # doctest: +ELLIPSIS
    2.666...
    """
    explicit = dict(explicit or {})
    for el in explicit:
        if el not in amounts:
            raise InputError("--oxidation", el, f"an element of the formula ({', '.join(amounts)})")
    anion_data = element_data()["anions"]
    # an anion-type element given a positive state (S=6 in a sulfate) is a cation here
    anions = [el for el in anion_elements(amounts) if explicit.get(el, -1.0) < 0]
    states: dict[str, float] = {}
    for el in anions:
        states[el] = explicit.get(el, float(anion_data[el]["oxidation_state"]))
    for el, q in explicit.items():
        states[el] = q
    cations = [el for el in amounts if el not in anions and el not in explicit]
    fixed_charge = sum(amounts[el] * states[el] for el in states)
    target = -fixed_charge
    notes: list[str] = []
    if not anions:
        # an alloy or intermetallic: no anion, every element metallic
        for el in cations:
            states[el] = 0.0
        notes.append("no anion in the formula: elements taken as metallic (state 0)")
        return OxidationResult(_ordered(states, amounts), (), "metallic (no anion)", notes)
    if not cations:
        if abs(target) > _TOL * max(1.0, sum(abs(amounts[e] * states[e]) for e in states)):
            if not explicit:  # anions only: nothing can balance them
                formula = "".join(f"{el}{n:g}" if n != 1 else el for el, n in amounts.items())
                raise InputError(f"formula '{formula}'", f"anions only ({', '.join(anions)})",
                                 "a formula with at least one cation to balance the anions",
                                 hint="if an element is positive here, give the states with "
                                      "--oxidation, e.g. --oxidation O=2,F=-1 for OF2")
            raise InputError("--oxidation", ",".join(f"{e}={states[e]:g}" for e in states),
                             f"states that make the formula neutral (net charge {-target:+.4g})")
        return OxidationResult(_ordered(states, amounts), tuple(anions), "explicit", notes)
    preferred = {el: _candidate_states(el)[0] for el in cations}
    rule = "explicit" if explicit else "charge balance"
    found = _balance_integer(cations, amounts, target)
    if found is None:
        bonded = _balance_bonded(anions, cations, amounts, states, explicit)
        if bonded is not None:
            anion_states, found = bonded
            states.update(anion_states)
            rule = "anion-anion bonds (Zintl-Klemm)"
            notes.append("no assignment balances with isolated anions; anion-anion bonds: "
                         + ", ".join(f"{el}{_fmt(q)}" for el, q in anion_states.items()))
    if found is not None:
        chosen, ties = found
        if chosen == preferred and not explicit and rule == "charge balance":
            rule = "preferred"
        if ties:
            notes.append(f"{ties + 1} assignments balance equally well; chose "
                         + ", ".join(f"{el}{_fmt(q)}" for el, q in chosen.items())
                         + " (lower state on the more electronegative cation); "
                           "use --oxidation to choose another")
        states.update(chosen)
    else:
        avg = _balance_average(cations, amounts, target)
        if avg is None:
            listed = "; ".join(f"{el}: {_candidate_states(el)}" for el in cations)
            raise InputError(
                "oxidation states of " + "".join(f"{el}{n:g}" for el, n in amounts.items()),
                f"{'fixed' if explicit else 'anion'} charge {fixed_charge:+.4g}",
                f"cation states within the listed ranges that balance it ({listed})",
                hint="give states with --oxidation, e.g. --oxidation Fe=2,S=-1 for a persulfide")
        states.update(avg)
        rule = "average (mixed valence)"
        mixed = [el for el in cations if abs(avg[el] - round(avg[el])) > 1e-9]
        notes.append("no single-valence assignment balances; mixed-valence average for "
                     + ", ".join(f"{el} {avg[el]:.4g}" for el in mixed))
    return OxidationResult(_ordered(states, amounts), tuple(anions), rule, notes)


def _balance_bonded(anions: list[str], cations: list[str], amounts: Mapping[str, float],
                    states: Mapping[str, float], explicit: Mapping[str, float]
                    ) -> tuple[dict[str, float], tuple[dict[str, float], int]] | None:
    """Balance with anion–anion bonds (rule 2 of the module docstring).

    Returns the anion states and the cation assignment, or ``None``.
    """
    data = element_data()["anions"]
    bondable = [el for el in anions if el not in explicit and data[el].get("bonded_states")]
    if not bondable or not cations:
        return None
    options = [[float(data[el]["oxidation_state"])]
               + [float(q) for q in data[el]["bonded_states"]] for el in bondable]
    best: tuple[tuple[float, float], dict[str, float], tuple[dict[str, float], int]] | None = None
    for combo in itertools.product(*options):
        anion_states = dict(zip(bondable, combo, strict=True))
        bonds = sum(amounts[el] * (q - data[el]["oxidation_state"])
                    for el, q in anion_states.items())
        if bonds <= 0:
            continue
        charge = sum(amounts[el] * anion_states.get(el, states[el]) for el in states)
        found = _balance_integer(cations, amounts, -charge)
        if found is None:
            continue
        rank = sum(_candidate_states(el).index(q) for el, q in found[0].items())
        key = (float(rank), float(bonds))
        if best is None or key < best[0]:
            best = (key, anion_states, found)
    return None if best is None else (best[1], best[2])


def _ordered(states: Mapping[str, float], amounts: Mapping[str, float]) -> dict[str, float]:
    return {el: float(states[el]) for el in amounts}


def _fmt(q: float) -> str:
    return f"{q:+g}"
