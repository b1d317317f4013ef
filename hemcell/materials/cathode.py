"""Composition → cathode inventory of intercalation cathodes (layered oxides, PBAs, polyanions).

From a formula, a carrier ion and (optionally) a voltage window: the structure class,
oxidation states by charge balance, the redox couples and inactive pillars of the class
(``hemcell/materials/data/couples.yaml``, every entry with a source), the configurational
entropy per sublattice and its class, and three Faraday capacities,

    Q = n F / (3.6 M)  [mAh g⁻¹],

with M the molar mass of the formula unit as written (crystal water included) and n:

- ``carrier_limit``: every carrier ion of the formula out, n = x_A;
- ``redox_limit``: what the couples above the pristine state can give on a full charge,
  n = Σ_k e_k (1 − f_k⁰);
- ``window``: the first discharge after a charge to the window's upper potential, both
  inside the window (below).

**Couples.** Couple k of element i (state q → q′) holds e_k = x_i (q′ − q) electrons per
formula unit, spread evenly over its potential range [E_k,lo, E_k,hi]: its oxidised
fraction at electrode potential E is

    f_k(E) = clamp((E − E_k,lo) / (E_k,hi − E_k,lo), 0, 1).

**Pristine state (charge balance).** Carrier +1, pillars, P⁵⁺, O²⁻, F⁻ and CN⁻ are
fixed; every redox element starts in the lowest state of its couples, and the charge
still missing is taken from the couples in order of rising mid-potential (the
lowest-lying electrons leave first), giving the pristine fractions f_k⁰ and the
oxidation states. A formula that stays positive with every couple at its bottom, or
needs more than all couples hold, cannot balance.

**Couples that keep their pristine state** (``rules.pristine_kept`` of a class): where
every element of a rule's ``beside`` list shares the redox-metal site, the rule's couple
is not reduced below its pristine oxidised fraction f⁰ (layered oxides: Mn⁴⁺ beside Ni²⁺
stays 4+, bulk XANES). Its reducible part is the part above the pristine state,

    e′ = e (1 − f⁰)  over  [E_lo + f⁰ (E_hi − E_lo), E_hi],  f′⁰ = 0,

which leaves the charge (and ``redox_limit``) unchanged and stops the discharge at the
pristine state; a couple with f⁰ = 1 becomes a pillar in its upper state.

**Window.** Charging from the pristine state to E_hi removes
Q_ch = Σ_k e_k max(0, f_k(E_hi) − f_k⁰), at most x_A − x_min carrier ions (the host
keeps x_min, ``carrier_sites``); discharging to E_lo then inserts
Q_dis = Σ_k e_k max(0, f_k¹ − f_k(E_lo)), at most x_max − (x_A − Q_ch) ions. When a
carrier limit binds, the potential where it binds is found by bisection (Q is monotone
in E). The window capacity is Q_dis.

**Entropy.** S/R = −Σ xᵢ ln xᵢ per sublattice
(:func:`hemcell.materials.entropy.mixing_entropy_per_R`):

- ``carrier``: carrier ions and empty carrier sites (reported, not classed: it changes
  with the state of charge);
- ``tm``: every cation on the redox-metal site, vacancies written in the formula included;
- ``anion``: O and F on one site (layered oxides only);
- ``complex``: [Fe(CN)₆] and its vacancies (PBAs).

The class uses tm + anion + complex, with the review's thresholds (≥ 1.5 R high,
1–1.5 R medium; seed 002 L75).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from hemcell.errors import InputError
from hemcell.materials.elements import faraday_capacity_mAh_per_g, molar_mass_g_per_mol
from hemcell.materials.entropy import entropy_class, mixing_entropy_per_R
from hemcell.materials.formula import VACANCY, Formula, parse_formula

COUPLES_FILE = Path(__file__).with_name("data") / "couples.yaml"
REVIEW_FILE = Path(__file__).with_name("data") / "review_he_sib_cathodes.yaml"
STRUCTURE_CLASSES = ("layered", "pba", "nasicon", "fluorophosphate", "pyrophosphate")
CARRIERS = ("Li", "Na", "K")
#: Review tables (seed 002 Tables 1-3) by the name used on the command line.
REVIEW_TABLES = ("layered", "pba", "polyanion")

#: Relative tolerance of the review validation (predicted vs reported initial capacity),
#: fixed before the comparison was run: couple ranges known to about ±0.2-0.3 V over
#: 2-2.5 V windows (±10-15 %), plus first-cycle losses and the spread of currents at
#: which "initial capacity" is reported (±5-10 %).
REVIEW_TOLERANCE_RELATIVE = 0.20
#: Charge left over by the printed stoichiometry that is accepted with a note [e per
#: formula unit]: five or six subscripts rounded to 0.01 leave up to ~0.05 (assumed).
BALANCE_TOLERANCE_E = 0.05
#: Deviation of a site sum from its nominal value accepted with a note (assumed: the
#: printed subscripts' rounding); beyond it the formula is inconsistent.
SITE_NOTE_TOLERANCE = 0.005
#: Relative deviation of a site sum beyond which it is flagged rather than noted (assumed:
#: two-decimal subscripts of a 1-per-formula site cannot be off by more than 1 %).
SITE_FLAG_TOLERANCE = 0.01
#: Deviation beyond which a site is over-full or inconsistent and refused (strict) or
#: flagged (validation), relative to the nominal occupancy (assumed).
SITE_REFUSE_TOLERANCE = 0.05
_CLASS_ANIONS = {"O": -2.0, "F": -1.0}


@lru_cache(maxsize=1)
def couples_data() -> dict[str, Any]:
    """The parsed ``couples.yaml`` (sources, electrolytes, classes)."""
    from hemcell.params.yaml_io import safe_load_text

    return safe_load_text(COUPLES_FILE.read_text(encoding="utf-8"), str(COUPLES_FILE))


@dataclass(frozen=True)
class Couple:
    """One redox couple of one element in one formula.

    Attributes
    ----------
    element, site
        The element and its site (``M`` or ``complex`` in PBAs, ``M`` otherwise).
    q_from, q_to
        Oxidation states at the bottom and top of the couple.
    electrons
        e_k = x (q_to − q_from), electrons per formula unit.
    e_low_V, e_high_V
        Potential range over which the electrons are spread, vs the carrier's metal (the
        Na⁺/Na range of ``couples.yaml`` plus the class's sourced shift,
        :func:`scale_shift_V`).
    source
        Where the couple and its range come from (``couples.yaml``).
    """

    element: str
    site: str
    q_from: float
    q_to: float
    electrons: float
    e_low_V: float
    e_high_V: float
    source: str

    @property
    def name(self) -> str:
        """``Ni2+/Ni3+`` (with ``(C)`` for the low-spin PBA iron)."""
        tag = "(C)" if self.site == "complex" else ""
        return f"{self.element}{tag}{_charge(self.q_from)}/{self.element}{tag}{_charge(self.q_to)}"

    @property
    def mid_V(self) -> float:
        """Mid-potential (E_lo + E_hi)/2, the order in which couples give up electrons."""
        return 0.5 * (self.e_low_V + self.e_high_V)

    def oxidised_fraction(self, potential_V: float) -> float:
        """f_k(E) = clamp((E − E_lo)/(E_hi − E_lo), 0, 1)."""
        if potential_V <= self.e_low_V:
            return 0.0
        if potential_V >= self.e_high_V:
            return 1.0
        return (potential_V - self.e_low_V) / (self.e_high_V - self.e_low_V)


def _charge(q: float) -> str:
    return f"{q:g}+"


# ------------------------------------------------------------------ structure and sites
def detect_structure(parsed: Formula) -> str:
    """Structure class from the formula's framework elements.

    C and N in equal amounts: ``pba``; P with F: ``fluorophosphate``; P with O/P = 4:
    ``nasicon``; P with O/P < 4 (P₂O₇ units): ``pyrophosphate``; otherwise O (and F):
    ``layered``.
    """
    a = _framework_amounts(parsed)
    if "C" in a and "N" in a and abs(a["C"] - a["N"]) < 1e-9:
        return "pba"
    if "P" in a:
        if "F" in a:
            return "fluorophosphate"
        ratio = a.get("O", 0.0) / a["P"]
        return "nasicon" if abs(ratio - 4.0) < 1e-9 else "pyrophosphate"
    if "O" in a:
        return "layered"
    raise InputError("formula", parsed.text, "an intercalation cathode: a layered oxide "
                     "(…O2), a Prussian-blue analogue (…[Fe(CN)6]) or a phosphate (…(PO4)…)",
                     hint="anodes and other compounds: hemcell composition without --role cathode")


def _framework_amounts(parsed: Formula) -> dict[str, float]:
    """Atoms per formula unit without the crystal water."""
    return {el: n - parsed.hydrate.get(el, 0.0) for el, n in parsed.amounts.items()
            if n - parsed.hydrate.get(el, 0.0) > 1e-12}


def _nominal_metal_sites(structure: str, amounts: Mapping[str, float]) -> float:
    """Redox-metal sites per formula unit: 1 per AxMO₂ or PBA, 2 per NASICON (PO₄)₃,
    1 per P in NVPF, 3 per (PO₄)₂P₂O₇ and 1 per P₂O₇."""
    if structure in ("layered", "pba"):
        return 1.0
    p = amounts["P"]
    if structure == "nasicon":
        return 2.0 * p / 3.0
    if structure == "fluorophosphate":
        return p
    ratio = amounts.get("O", 0.0) / p
    return 0.75 * p if abs(ratio - 3.75) < 1e-9 else 0.5 * p


def formula_carrier(formula: str) -> str:
    """The carrier ion a cathode formula is written with: its first element if that is
    one of :data:`CARRIERS` (``LiNi0.8Mn0.1Co0.1O2`` → Li), else Na (the review's cathodes).

    Raises
    ------
    InputError
        A formula that does not parse.
    """
    first = next(iter(parse_formula(formula).amounts), None)
    return first if first in CARRIERS else "Na"


def _carrier(parsed: Formula, ion: str) -> tuple[str, float]:
    """The carrier element (first symbol of the formula) and its amount; checks ``ion``."""
    first = next(iter(parsed.amounts))
    if first not in CARRIERS:
        raise InputError("formula", parsed.text, "a cathode written carrier first, e.g. "
                         "Na0.7(...)O2, Na1.2Mn[Fe(CN)6], Na3V2(PO4)3")
    if first != ion:
        raise InputError("--ion", ion, f"{first}: this cathode carries {first}+ and an "
                         f"electrolyte of {ion}+ lacks it",
                         hint=f"use --ion {first}")
    amount = parsed.outside.get(first, parsed.amounts[first])
    return first, amount


# ---------------------------------------------------------------- inventory
def _class_tables(structure: str) -> tuple[list[dict[str, Any]], dict[str, Any], dict[str, Any]]:
    entry = couples_data()["classes"][structure]
    return list(entry["couples"]), dict(entry["pillars"]), dict(entry["carrier_sites"])


def _sites(parsed: Formula, structure: str, carrier: str) -> tuple[dict[str, float],
                                                                   dict[str, float]]:
    """Cations on the redox-metal site (element → amount) and, for PBAs, the complex Fe."""
    a = parsed.amounts
    complex_fe: dict[str, float] = {}
    framework = {"O", "F", "P", "C", "N", "H"}
    hydrate = parsed.hydrate
    metal = {}
    if structure == "pba":
        for g in parsed.groups:
            if "C" in g and "N" in g:
                complex_fe = {el: n for el, n in g.items() if el not in ("C", "N")}
        if set(complex_fe) != {"Fe"} or abs(complex_fe["Fe"] * 6 - a["C"]) > 1e-9:
            raise InputError("formula", parsed.text, "a PBA written with one hexacyanoferrate "
                             "group, e.g. Na1.2Mn[Fe(CN)6]0.8□0.2·2H2O")
    for el, n in a.items():
        if el in framework:
            continue
        n_metal = n - complex_fe.get(el, 0.0) - hydrate.get(el, 0.0)
        if el == carrier:  # the carrier site is what is written outside groups
            n_metal = n - parsed.outside.get(el, 0.0)
        if n_metal > 1e-12:
            metal[el] = n_metal
    return metal, complex_fe


def scale_shift_V(ion: str, structure: str | None) -> float | None:
    """Shift of a class's couple ranges from the Na⁺/Na scale of ``couples.yaml`` to the
    ion's metal, E_M = E_Na + shift (``scale_shifts``: sourced per class and carrier);
    0 for Na, ``None`` where no shift is sourced."""
    data = couples_data()
    if ion == data["potential_scale"]:
        return 0.0
    entry = data.get("scale_shifts", {}).get(ion, {}).get(structure)
    return None if entry is None else float(entry["shift_V"])


def _couples_for(structure: str, metal: Mapping[str, float], complex_fe: Mapping[str, float],
                 text: str, shift_V: float = 0.0) -> tuple[list[Couple], dict[str, dict[str, Any]]]:
    """Couples (ranges shifted by ``shift_V`` to the carrier's scale) and pillars."""
    rows, pillars, _ = _class_tables(structure)
    if shift_V:
        rows = [{**r, "E_low_V": round(float(r["E_low_V"]) + shift_V, 9),
                 "E_high_V": round(float(r["E_high_V"]) + shift_V, 9),
                 "source": f"{r['source']}; shifted by {shift_V:+g} V from the Na+/Na scale "
                           f"(couples.yaml scale_shifts)"} for r in rows]
    couples: list[Couple] = []
    used_pillars: dict[str, dict[str, Any]] = {}
    for el, x in metal.items():
        mine = [r for r in rows if r["element"] == el and r.get("site", "M") == "M"]
        if mine:
            couples += [Couple(el, "M", float(r["from"]), float(r["to"]),
                               x * (float(r["to"]) - float(r["from"])), float(r["E_low_V"]),
                               float(r["E_high_V"]), _source_text(r)) for r in mine]
        elif el in pillars:
            used_pillars[el] = pillars[el]
        else:
            known = sorted({r["element"] for r in rows} | set(pillars))
            raise InputError(f"formula {text!r}: element", el,
                             f"an element with a couple or a pillar entry for {structure} "
                             f"cathodes ({', '.join(known)})",
                             hint="add it with its source to hemcell/materials/data/couples.yaml")
    for el, x in complex_fe.items():
        couples += [Couple(el, "complex", float(r["from"]), float(r["to"]),
                           x * (float(r["to"]) - float(r["from"])), float(r["E_low_V"]),
                           float(r["E_high_V"]), _source_text(r))
                    for r in rows if r["element"] == el and r.get("site") == "complex"]
    couples.sort(key=lambda c: (c.mid_V, c.q_from))
    return couples, used_pillars


def _per_hexacyanoferrate(parsed: Formula, metal: Mapping[str, float]
                          ) -> tuple[Formula, str] | None:
    """A PBA printed with more than one [Fe(CN)₆] per M site, read per [Fe(CN)₆].

    A PBA framework has one M (N-coordinated) site per [Fe(CN)₆] site. A formula with
    y > 1 [Fe(CN)₆] and an M-site sum m ≤ y describes the same framework with
    M-site vacancies: divided by y it holds one [Fe(CN)₆], m/y M and 1 − m/y vacancies
    (capacities per gram are unchanged; the carrier sites x_max count per [Fe(CN)₆]).
    Returns the rescaled formula and a note, or ``None`` (no [Fe(CN)₆] over-fill, written
    [Fe(CN)₆] vacancies, or an M site fuller than the [Fe(CN)₆] one).
    """
    y = _complex_amount(parsed)
    m = sum(metal.values()) + sum(v for k, v in parsed.vacancies.items()
                                  if k.startswith("group_"))
    if (y <= 1 + SITE_NOTE_TOLERANCE or m > y * (1 + SITE_NOTE_TOLERANCE)
            or any(not k.startswith("group_") for k in parsed.vacancies)):
        return None

    def scaled(d: Mapping[str, float]) -> dict[str, float]:
        return {k: v / y for k, v in d.items()}

    vacancies = {**scaled(parsed.vacancies), "group_M": max(0.0, 1.0 - m / y)}
    carrier = next(iter(parsed.amounts))
    water = parsed.hydrate.get("O", 0.0) / y
    metals = "".join(f"{el}{n / y:.4g}" for el, n in metal.items())
    text = (f"{carrier}{parsed.outside.get(carrier, 0.0) / y:.4g}({metals}{VACANCY}"
            f"{vacancies['group_M']:.4g})[Fe(CN)6]" + (f"·{water:.4g}H2O" if water else ""))
    note = (f"[Fe(CN)6]{y:.4g} per M site {m:.4g}: read per [Fe(CN)6] (one M site per "
            f"[Fe(CN)6] site in a PBA framework) as {text}, {vacancies['group_M']:.4g} "
            "M-site vacancies; capacities per gram are unchanged")
    rescaled = Formula(text=text, amounts=scaled(parsed.amounts),
                       groups=tuple(scaled(g) for g in parsed.groups),
                       outside=scaled(parsed.outside), notes=parsed.notes,
                       vacancies=vacancies, hydrate=scaled(parsed.hydrate))
    return rescaled, note


def _source_text(row: Mapping[str, Any]) -> str:
    return str(row["source"]) + (f"; width: {row['width']}" if "width" in row else "")


def _balance(parsed: Formula, structure: str, carrier: str, carrier_amount: float,
             couples: list[Couple], pillars: Mapping[str, Mapping[str, Any]],
             metal: Mapping[str, float]) -> tuple[list[float], float]:
    """Pristine oxidised fraction of every couple and the charge left over.

    Returns
    -------
    fractions, leftover
        f_k⁰ per couple (in the order of ``couples``) and the net charge per formula unit
        that no couple can absorb: > 0 if the formula is positive with every couple at
        its bottom, < 0 if it needs more oxidation than the couples hold.
    """
    a = parsed.amounts
    fixed = carrier_amount * 1.0
    fixed += sum(metal[el] * float(p["state"]) for el, p in pillars.items())
    if structure == "pba":
        fixed -= a["C"]  # CN⁻
    else:
        fixed += sum(a.get(an, 0.0) * q for an, q in _CLASS_ANIONS.items())
        fixed += 5.0 * a.get("P", 0.0)
        fixed += 2.0 * parsed.hydrate.get("O", 0.0)  # crystal water is neutral: undo its O²⁻
    charge = fixed
    for (el, site), q in _bottom_states(couples).items():
        charge += (_complex_amount(parsed) if site == "complex" else metal[el]) * q
    missing = -charge
    fractions = []
    for c in couples:
        take = min(max(missing, 0.0), c.electrons)
        fractions.append(take / c.electrons if c.electrons > 0 else 0.0)
        missing -= take
    leftover = charge if charge > 0 else -missing
    return fractions, leftover


def _keep_pristine(structure: str, couples: list[Couple], fractions: list[float],
                   pillars: dict[str, dict[str, Any]], metal: Mapping[str, float]
                   ) -> tuple[list[Couple], list[float], list[str]]:
    """Couples that keep their pristine state (module docstring, ``rules.pristine_kept``).

    Returns the couples and pristine fractions with each ruled couple cut to its part
    above f⁰ (a pillar in its upper state when nothing is left; ``pillars`` is updated),
    and a note per rule applied.
    """
    rules = couples_data()["classes"][structure].get("rules", {}).get("pristine_kept", [])
    out_c, out_f, notes = [], [], []
    for c, f0 in zip(couples, fractions, strict=True):
        rule = next((r for r in rules if r["element"] == c.element and c.site == "M"
                     and float(r["from"]) == c.q_from and float(r["to"]) == c.q_to
                     and all(metal.get(el, 0.0) > 0 for el in r["beside"])), None)
        if rule is None or f0 <= 0.0:
            out_c.append(c)
            out_f.append(f0)
            continue
        kept = c.electrons * f0
        notes.append(f"{c.name} beside {', '.join(rule['beside'])}: {kept:.4g} e of "
                     f"{c.element}{_charge(c.q_to)} per formula unit stay in the pristine "
                     "state (couples.yaml rules.pristine_kept)")
        if f0 < 1.0 - 1e-12:
            out_c.append(Couple(c.element, c.site, c.q_from + f0 * (c.q_to - c.q_from),
                                c.q_to, c.electrons * (1.0 - f0),
                                c.e_low_V + f0 * (c.e_high_V - c.e_low_V), c.e_high_V,
                                f"{c.source}; kept above its pristine state: {rule['source']}"))
            out_f.append(0.0)
        elif any(o.element == c.element and o is not c for o in couples):
            out_c.append(Couple(c.element, c.site, c.q_to, c.q_to, 0.0, c.e_high_V,
                                c.e_high_V, f"{c.source}; kept: {rule['source']}"))
            out_f.append(1.0)
        else:
            pillars[c.element] = {"state": c.q_to, "source": f"pristine {c.name} kept: "
                                                               f"{rule['source']}"}
    return out_c, out_f, notes


def _bottom_states(couples: list[Couple]) -> dict[tuple[str, str], float]:
    """Lowest state of every (element, site) among its couples."""
    bottoms: dict[tuple[str, str], float] = {}
    for c in couples:
        key = (c.element, c.site)
        bottoms[key] = min(bottoms.get(key, c.q_from), c.q_from)
    return bottoms


def _complex_amount(parsed: Formula) -> float:
    return parsed.amounts["C"] / 6.0


def _site_checks(parsed: Formula, structure: str, metal: Mapping[str, float],
                 carrier_amount: float, carrier_max: float) -> list[tuple[str, float]]:
    """Site sums that differ from their nominal occupancy: (message, relative deviation)."""
    out = []
    nominal = _nominal_metal_sites(structure, _framework_amounts(parsed))
    written_vac = sum(v for k, v in parsed.vacancies.items() if k.startswith("group_"))
    total = sum(metal.values()) + written_vac
    if abs(total - nominal) > SITE_NOTE_TOLERANCE * nominal:
        out.append((f"redox-metal site sums to {total:.4g} per formula unit "
                    f"(nominal {nominal:g})", abs(total - nominal) / nominal))
    if structure == "pba":
        y = _complex_amount(parsed)
        # [Fe(CN)6] vacancies are written after the group; those inside a group are M-site
        vac = sum(v for k, v in parsed.vacancies.items() if not k.startswith("group_"))
        if y + vac > 1 + SITE_NOTE_TOLERANCE or (vac and abs(y + vac - 1) > SITE_NOTE_TOLERANCE):
            out.append((f"[Fe(CN)6] site holds {y:.4g} + {vac:.4g} vacancies (nominal 1)",
                        abs(y + vac - 1)))
    if structure == "layered":
        anion = parsed.amounts.get("O", 0.0) - parsed.hydrate.get("O", 0.0) \
            + parsed.amounts.get("F", 0.0)
        if abs(anion - 2.0) > SITE_NOTE_TOLERANCE * 2:
            out.append((f"anion site (O+F) sums to {anion:.4g} per MO2 formula (nominal 2)",
                        abs(anion - 2.0) / 2.0))
    if carrier_amount > carrier_max * (1 + SITE_NOTE_TOLERANCE):
        out.append((f"{carrier_amount:.4g} carrier ions on {carrier_max:g} carrier sites",
                    carrier_amount / carrier_max - 1))
    return out


def _capacity_between(couples: list[Couple], start: list[float], potential_V: float,
                      charging: bool) -> float:
    """Electrons per formula unit moved going from fractions ``start`` to potential E."""
    if charging:
        return sum(c.electrons * max(0.0, c.oxidised_fraction(potential_V) - f0)
                   for c, f0 in zip(couples, start, strict=True))
    return sum(c.electrons * max(0.0, f0 - c.oxidised_fraction(potential_V))
               for c, f0 in zip(couples, start, strict=True))


def _limited_potential(couples: list[Couple], start: list[float], target_V: float,
                       limit: float, charging: bool) -> float:
    """Potential where the transferred charge first reaches ``limit`` (bisection), or the target."""
    if _capacity_between(couples, start, target_V, charging) <= limit:
        return target_V
    lo, hi = (min(c.e_low_V for c in couples), target_V) if charging else \
        (target_V, max(c.e_high_V for c in couples))
    for _ in range(80):
        mid = 0.5 * (lo + hi)
        q = _capacity_between(couples, start, mid, charging)
        if (q > limit) == charging:
            hi = mid
        else:
            lo = mid
    return hi if charging else lo


def window_capacity(couples: list[Couple], pristine: list[float], carrier_amount: float,
                    carrier_min: float, carrier_max: float,
                    window_V: tuple[float, float]) -> dict[str, Any]:
    """First charge to E_hi and first discharge to E_lo inside a window (module docstring).

    Returns
    -------
    dict
        ``charge_e`` and ``discharge_e`` (electrons per formula unit), which limit bound
        each (``redox``, ``carrier``), the end potentials and the electrons per couple
        on discharge.
    """
    lo_V, hi_V = window_V
    can_leave = max(0.0, carrier_amount - carrier_min)
    end_ch = _limited_potential(couples, pristine, hi_V, can_leave, charging=True)
    q_ch = min(_capacity_between(couples, pristine, end_ch, True), can_leave)
    charged = [max(f0, c.oxidised_fraction(end_ch)) for c, f0 in zip(couples, pristine,
                                                                       strict=True)]
    room = max(0.0, carrier_max - (carrier_amount - q_ch))
    end_dis = _limited_potential(couples, charged, lo_V, room, charging=False)
    q_dis = min(_capacity_between(couples, charged, end_dis, False), room)
    per_couple = {c.name: c.electrons * max(0.0, f1 - c.oxidised_fraction(end_dis))
                  for c, f1 in zip(couples, charged, strict=True)}
    return {"charge_e": q_ch, "discharge_e": q_dis,
            "charge_limited_by": "carrier" if end_ch < hi_V else "redox",
            "discharge_limited_by": "carrier sites" if end_dis > lo_V else "redox",
            "charge_end_V": end_ch, "discharge_end_V": end_dis,
            "discharge_e_by_couple": per_couple}


def check_window(window: str | tuple[float, float] | None, ion: str,
                 structure: str | None = None) -> tuple[float, float] | None:
    """Parse and check ``--window LO,HI`` against the carrier's electrolyte range.

    Raises
    ------
    InputError
        Malformed, inverted, or outside the sourced range of the ion's electrolyte; or
        an ion and structure class whose couple potentials are not sourced
        (:func:`scale_shift_V`).
    """
    if window is None:
        return None
    if isinstance(window, str):
        parts = [p.strip() for p in window.split(",")]
        try:
            lo, hi = (float(p) for p in parts)
        except ValueError:
            raise InputError("--window", window, "two potentials LO,HI in V, e.g. 2.0,4.2") \
                from None
    else:
        lo, hi = (float(v) for v in window)
    if not lo < hi:
        raise InputError("--window", f"{lo:g},{hi:g}", "LO < HI, e.g. 2.0,4.2")
    data = couples_data()
    if scale_shift_V(ion, structure) is None:
        scale = data["potential_scale"]
        shifted = sorted(f"{k} ({', '.join(v)})"
                         for k, v in data.get("scale_shifts", {}).items())
        what = f"{structure} cathodes with --ion {ion}" if structure else f"--ion {ion}"
        raise InputError("--window", f"{lo:g},{hi:g} with {what}",
                         f"a window with --ion {scale}"
                         + (f" or {', '.join(shifted)}" if shifted else "")
                         + f": couple potentials are sourced vs {scale}+/{scale} and "
                         "shifted only where a shift is sourced (couples.yaml scale_shifts)")
    ely = data["electrolytes"][ion]
    if lo < ely["lowest_V"] or hi > ely["highest_V"]:
        raise InputError("--window", f"{lo:g},{hi:g} V",
                         f"potentials within {ely['lowest_V']:g}-{ely['highest_V']:g} V vs "
                         f"{ion}+/{ion}, the sourced range of the {ion}+ electrolyte "
                         f"({ely['electrolyte']})")
    return lo, hi


def cathode_inventory(formula: str, ion: str = "Na",
                      window: str | tuple[float, float] | None = None,
                      strict: bool = True) -> dict[str, Any]:
    """Cathode inventory of an intercalation cathode (rules in the module docstring).

    Parameters
    ----------
    formula
        Carrier first, e.g. ``Na2/3Li1/6Fe1/6Co1/6Ni1/6Mn1/3O2``,
        ``Na1.19(Fe0.2Mn0.2Ni0.2Cu0.2Co0.2)[Fe(CN)6]0.79□0.21·1.16H2O``,
        ``Na3V2(PO4)2F3``.
    ion
        Carrier ion of the electrolyte (``Li``, ``Na``, ``K``); must be the formula's.
    window
        ``(LO, HI)`` or ``"LO,HI"`` in V vs the ion's metal; ``None``: no window capacity.
    strict
        Refuse formulas that cannot balance or whose sites are inconsistent (``True``,
        the command line), or compute them as written and list the problems under
        ``flags`` (``False``, the review validation).

    Returns
    -------
    dict
        ``molar_mass_g_per_mol``, ``config_entropy_per_R``, ``entropy_class``,
        ``roles``, ``capacity_mAh_per_g`` (``carrier_limit``, ``redox_limit``,
        ``window``) — the keys of ``--json`` — and details (``structure``,
        ``oxidation_states``, ``couples``, ``pillars``, ``window``, ``flags``, ``notes``,
        ``sources``).

    Raises
    ------
    InputError
        Bad formula, wrong carrier, a window outside the electrolyte's range, an element
        without couple or pillar data, or (strict) a formula that cannot balance or has
        an over-full or inconsistent site.
    """
    ion_key = ion.strip().capitalize() if isinstance(ion, str) else ion
    if ion_key not in CARRIERS:
        raise InputError("--ion", ion, f"one of {', '.join(CARRIERS)}")
    parsed = parse_formula(formula)
    structure = detect_structure(parsed)
    carrier, x_carrier = _carrier(parsed, ion_key)
    win = check_window(window, ion_key, structure)
    _, _, sites = _class_tables(structure)
    x_min, x_max = float(sites["min"]), float(sites["max"])
    metal, complex_fe = _sites(parsed, structure, carrier)
    notes: list[str] = []
    if structure == "pba":
        per_complex = _per_hexacyanoferrate(parsed, metal)
        if per_complex is not None:
            parsed, note = per_complex
            notes.append(note)
            carrier, x_carrier = _carrier(parsed, ion_key)
            metal, complex_fe = _sites(parsed, structure, carrier)
    shift = scale_shift_V(ion_key, structure)
    if shift is None:
        notes.append(f"couple ranges are vs {couples_data()['potential_scale']}+/"
                     f"{couples_data()['potential_scale']}: no shift to {ion_key}+/{ion_key} "
                     f"is sourced for {structure} cathodes (couples.yaml scale_shifts)")
    couples, pillars = _couples_for(structure, metal, complex_fe, formula, shift or 0.0)
    fractions, leftover = _balance(parsed, structure, carrier, x_carrier, couples, pillars,
                                   metal)
    couples, fractions, kept_notes = _keep_pristine(structure, couples, fractions, pillars,
                                                    metal)
    flags: list[str] = []
    notes = [*parsed.notes, *notes, *kept_notes]
    if abs(leftover) > BALANCE_TOLERANCE_E:
        why = ("is positive even with every redox metal in its lowest state" if leftover > 0
               else "needs more oxidation than the couples of this class hold")
        msg = f"cannot balance: the formula {why} (net {leftover:+.3g} e per formula unit)"
        if strict:
            raise InputError(f"formula {formula!r}", f"net charge {leftover:+.3g}",
                             "a composition that balances with the couples and pillars of "
                             f"{structure} cathodes (couples.yaml)", hint=msg)
        flags.append(msg)
    elif abs(leftover) > 1e-9:
        notes.append(f"charge balance off by {leftover:+.3g} e per formula unit, within the "
                     f"{BALANCE_TOLERANCE_E:g} e accepted for printed rounding")
    for msg, dev in _site_checks(parsed, structure, metal, x_carrier, x_max):
        if dev > SITE_REFUSE_TOLERANCE:
            if strict:
                raise InputError(f"formula {formula!r}", msg, "sites filled to their nominal "
                                 f"occupancy within {SITE_REFUSE_TOLERANCE:.0%}",
                                 hint="check the stoichiometry")
            flags.append(f"inconsistent stoichiometry: {msg}")
        elif dev > SITE_FLAG_TOLERANCE:
            flags.append(f"inconsistent stoichiometry (small): {msg}")
        else:
            notes.append(f"{msg}: within the printed rounding")

    states: dict[str, float] = {carrier: 1.0}
    for el in metal:
        if el in pillars:
            states[el] = float(pillars[el]["state"])
    for (el, site), q in _bottom_states(couples).items():
        states[f"{el}(C)" if site == "complex" else el] = q
    for c, f in zip(couples, fractions, strict=True):
        states[f"{c.element}(C)" if c.site == "complex" else c.element] += (c.q_to - c.q_from) * f
    molar_mass = molar_mass_g_per_mol(parsed.amounts)

    def mAh(n: float) -> float:
        return faraday_capacity_mAh_per_g(n, molar_mass)

    redox_e = sum(c.electrons * (1 - f) for c, f in zip(couples, fractions, strict=True))
    q = {"carrier_limit": mAh(x_carrier), "redox_limit": mAh(redox_e), "window": None}
    win_result = None
    if win is not None:
        win_result = window_capacity(couples, fractions, x_carrier, x_min, x_max, win)
        q["window"] = mAh(win_result["discharge_e"])
        q["window_first_charge"] = mAh(win_result["charge_e"])
        win_result = {**win_result, "window_V": list(win)}

    s_sites = _entropy(parsed, structure, carrier, x_carrier, x_max, metal)
    s_class = sum(v for k, v in s_sites.items() if k != "carrier")
    roles = {carrier: ["carrier"]}
    for el in metal:
        roles[el] = ["inactive"] if el in pillars else ["redox"]
    for el in complex_fe:
        roles[f"{el}(C)"] = ["redox"]
    data = couples_data()
    return {
        "formula": formula,
        "ion": ion_key,
        "structure": structure,
        "amounts": dict(parsed.amounts),
        "crystal_water_per_formula_unit": parsed.hydrate.get("O", 0.0),
        "molar_mass_g_per_mol": molar_mass,
        "oxidation_states": states,
        "config_entropy_per_R": s_sites,
        "config_entropy_total_per_R": s_class,
        "entropy_class": entropy_class(s_class),
        "roles": roles,
        "couples": [{"couple": c.name, "site": c.site, "electrons_per_formula_unit": c.electrons,
                     "range_V": [c.e_low_V, c.e_high_V], "pristine_oxidised_fraction": f,
                     "source": c.source} for c, f in zip(couples, fractions, strict=True)],
        "active_couples": [] if win_result is None else
        [name for name, e in win_result["discharge_e_by_couple"].items() if e > 1e-9],
        "pillars": {el: {"state": float(p["state"]), "source": p["source"]}
                    for el, p in pillars.items()},
        "carrier_sites": {"min": x_min, "max": x_max, "source": sites["source"]},
        "capacity_mAh_per_g": q,
        "window": win_result,
        "flags": flags,
        "notes": [*notes, "capacities per gram of the formula as written (crystal water "
                          "included); oxygen redox is not counted"],
        "sources": {"couples": "hemcell/materials/data/couples.yaml",
                    "electrolyte range": data["electrolytes"].get(ion_key, {}).get("source"),
                    "entropy thresholds": "seed 002 L75; seed 003 L233-235"},
    }


def _entropy(parsed: Formula, structure: str, carrier: str, x_carrier: float, x_max: float,
             metal: Mapping[str, float]) -> dict[str, float]:
    """−Σ x ln x per sublattice (module docstring)."""
    out = {"carrier": mixing_entropy_per_R({carrier: x_carrier,
                                            VACANCY: max(0.0, x_max - x_carrier)})}
    tm = dict(metal)
    vac = sum(v for k, v in parsed.vacancies.items() if k.startswith("group_"))
    if vac:
        tm[VACANCY] = vac
    out["tm"] = mixing_entropy_per_R(tm)
    if structure == "layered":
        out["anion"] = mixing_entropy_per_R({an: parsed.amounts.get(an, 0.0)
                                             - parsed.hydrate.get(an, 0.0)
                                             for an in _CLASS_ANIONS})
    if structure == "pba":
        y = _complex_amount(parsed)
        out["complex"] = mixing_entropy_per_R({"Fe(CN)6": y, VACANCY: max(0.0, 1.0 - y)})
    return out


JSON_KEYS = ("molar_mass_g_per_mol", "config_entropy_per_R", "entropy_class", "roles",
             "capacity_mAh_per_g")


# ------------------------------------------------------------------ review validation
@lru_cache(maxsize=1)
def review_rows() -> dict[str, list[dict[str, Any]]]:
    """Rows of seed 002 Tables 1-3 (``review_he_sib_cathodes.yaml``) by table name."""
    from hemcell.params.yaml_io import safe_load_text

    raw = safe_load_text(REVIEW_FILE.read_text(encoding="utf-8"), str(REVIEW_FILE))
    return raw["tables"]


def review_predictions(table: str) -> dict[str, Any]:
    """Predicted first-discharge capacity of every row of one review table.

    Rows are computed as written (``strict=False``): inconsistent stoichiometry and
    charge balance go to ``flags``; a window the Na electrolyte range refuses gives no
    prediction and says why. The extraction's own doubts are in ``review_flag``.
    """
    tables = review_rows()
    if table not in tables:
        raise InputError("--review", table, f"one of {', '.join(REVIEW_TABLES)}")
    rows = {}
    for row in tables[table]:
        formula = row.get("formula", row["printed"])
        entry: dict[str, Any] = {"printed": row["printed"], "formula": formula,
                                 "line": row["line"], "ref": row["ref"],
                                 "window_V": row["window_V"],
                                 "reported_mAh_per_g": row["reported_mAh_per_g"],
                                 "review_flag": row.get("flag"), "reading": row.get("reading")}
        try:
            inv = cathode_inventory(formula, ion="Na", window=tuple(row["window_V"]),
                                    strict=False)
        except InputError as err:
            entry.update(status="not predicted", reason=str(err))
        else:
            pred = inv["capacity_mAh_per_g"]["window"]
            entry.update(status="flagged" if inv["flags"] or row.get("flag") else "predicted",
                         predicted_mAh_per_g=pred,
                         ratio_predicted_to_reported=pred / row["reported_mAh_per_g"],
                         structure=inv["structure"], flags=inv["flags"],
                         active_couples=inv["active_couples"],
                         carrier_limit_mAh_per_g=inv["capacity_mAh_per_g"]["carrier_limit"],
                         redox_limit_mAh_per_g=inv["capacity_mAh_per_g"]["redox_limit"],
                         entropy_class=inv["entropy_class"],
                         config_entropy_per_R=inv["config_entropy_per_R"],
                         discharge_limited_by=inv["window"]["discharge_limited_by"],
                         charge_limited_by=inv["window"]["charge_limited_by"])
        rows[row["id"]] = entry
    return {"table": table, "source": "seed 002 Tables 1-3 via "
            "hemcell/materials/data/review_he_sib_cathodes.yaml", "rows": rows}


def plot_review_comparison(path: str | Path, predictions: Mapping[str, Mapping[str, Any]]
                           | None = None, tolerance: float | None = None) -> Path:
    """Predicted vs reported initial capacity for every review row, by class.

    Parameters
    ----------
    path
        Figure file (saved through :func:`hemcell.figures.save_figure`).
    predictions
        ``{table: review_predictions(table)}``; computed when omitted.
    tolerance
        Relative tolerance drawn as a band around the diagonal (``None``: no band).
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from hemcell.figures import save_figure

    predictions = predictions or {t: review_predictions(t) for t in REVIEW_TABLES}
    fig, ax = plt.subplots(figsize=(5.6, 5.2))
    markers = {"layered": ("o", "tab:blue"), "pba": ("s", "tab:orange"),
               "polyanion": ("^", "tab:green")}
    top, low = 10.0, float("inf")
    for table, result in predictions.items():
        marker, color = markers[table]
        for rid, r in result["rows"].items():
            if r.get("predicted_mAh_per_g") is None:
                continue
            x, y = r["reported_mAh_per_g"], r["predicted_mAh_per_g"]
            top, low = max(top, x, y), min(low, x, y)
            flagged = r["status"] == "flagged"
            ax.plot(x, y, marker, color=color, mfc="none" if flagged else color, ms=7)
            ax.annotate(rid.replace("_r", "."), (x, y), fontsize=6, xytext=(3, 2),
                        textcoords="offset points")
        ax.plot([], [], marker, color=color, label=table)
    top *= 1.1
    bottom = 0.5 * low if low < float("inf") else 0.0  # every point inside the axes
    ax.plot([bottom, top], [bottom, top], "k-", lw=0.8)
    if tolerance:
        ax.fill_between([bottom, top], [bottom * (1 - tolerance), top * (1 - tolerance)],
                        [bottom * (1 + tolerance), top * (1 + tolerance)],
                        color="0.85", zorder=0, label=f"±{tolerance:.0%}")
    ax.plot([], [], "o", color="0.4", mfc="none", label="flagged row (open)")
    ax.set_xlim(bottom, top)
    ax.set_ylim(bottom, top)
    ax.set_xlabel("reported initial capacity (mAh/g), seed 002 Tables 1-3")
    ax.set_ylabel("predicted first discharge in the window (mAh/g)")
    ax.legend(loc="upper left", fontsize=8)
    return save_figure(fig, path)


# ------------------------------------------------------------------ OCP of a parameter set
def couple_ocp_table(si: Mapping[str, Any], points: int = 201) -> tuple[list[float],
                                                                        list[float]]:
    """Open-circuit potential U(θ) of a cathode set built from its couples.

    The carrier content at electrode potential E is

        x(E) = x_red − Σ_k e_k f_k(E),

    with x_red = ``cathode_carrier_content_all_reduced`` (every couple at its bottom
    state) and f_k the evenly spread oxidised fraction of couple k (module docstring).
    x(E) is inverted by bisection on a uniform grid of θ = x / x_max between the
    accessible ends max(x_min, x_red − Σ e_k) and min(x_max, x_red). Between two couples
    x(E) is flat, so U(θ) steps there; a plateau couple gives a flat stretch of U.

    Parameters
    ----------
    si
        The set's values in SI (``ParameterSet.si``): ``cathode_couple_electrons``,
        ``cathode_couple_potential_low``, ``cathode_couple_potential_high``,
        ``cathode_carrier_content_all_reduced``, ``cathode_carrier_sites_min``,
        ``cathode_carrier_sites_max``.
    points
        Number of θ points.

    Returns
    -------
    theta, potential_V
        θ increasing (carrier-site filling, PyBaMM's stoichiometry c/c_max) and U [V].
    """
    couples = [Couple("", "M", 0.0, 1.0, float(e), float(lo), float(hi), "")
               for e, lo, hi in zip(si["cathode_couple_electrons"],
                                    si["cathode_couple_potential_low"],
                                    si["cathode_couple_potential_high"], strict=True)]
    x_red = float(si["cathode_carrier_content_all_reduced"])
    x_max = float(si["cathode_carrier_sites_max"])
    lo_x = max(float(si["cathode_carrier_sites_min"]), x_red - sum(c.electrons for c in couples))
    hi_x = min(x_max, x_red)
    e_lo = min(c.e_low_V for c in couples)
    e_hi = max(c.e_high_V for c in couples)

    def content(potential: float) -> float:
        return x_red - sum(c.electrons * c.oxidised_fraction(potential) for c in couples)

    theta, volts = [], []
    for i in range(points):
        x = lo_x + (hi_x - lo_x) * i / (points - 1)
        a, b = e_lo, e_hi  # content(a) >= x >= content(b)
        for _ in range(60):
            mid = 0.5 * (a + b)
            if content(mid) > x:
                a = mid
            else:
                b = mid
        theta.append(x / x_max)
        volts.append(0.5 * (a + b))
    return theta, volts
