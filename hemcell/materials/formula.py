"""Parse chemical formulas of high-entropy materials.

Grammar (whitespace is ignored)::

    formula  := item+ hydrate?
    item     := (element | vacancy | group) number?
    group    := "(" body ")" | "[" body "]" | "{" body "}"
    body     := item+ | element ("," element)+        # commas: one mixed site
    element  := an element symbol, e.g. Mg, Co, O
    vacancy  := "□" | "Vac"                           # an empty site, e.g. [Fe(CN)6]0.81□0.19
    hydrate  := ("·" | "•" | "⋅") number? item+        # crystal water, e.g. ·1.12H2O
    number   := 12 | 0.2 | .5 | 2/3                   # a missing number means 1

Rules beyond plain chemistry:

- **Equal shares.** A group whose members carry no subscript and are all cation-type
  elements is one mixed site with equal shares that add up to one:
  ``(LiFeZnNiCoMn)3O4`` means Li0.5Fe0.5Zn0.5Ni0.5Co0.5Mn0.5O4 (each 3/6), the
  high-entropy convention. Comma lists ``(Co,Cr,Fe,Mn,Ni)3O4`` mean the same. Groups
  with subscripts (``(Mg0.2Co0.2Ni0.2Cu0.2Zn0.2)O``) or with anion-type members
  (``Ca(OH)2``, ``Fe2(SO4)3``) multiply out as usual.
- **Sites.** Every top-level group is remembered: :func:`hemcell.materials.entropy.sublattices`
  treats it as one cation sublattice.
- **Site occupancy.** A top-level group written with fractional subscripts
  (``(Mg0.2Co0.2Ni0.2Cu0.2Zn0.2)O``) gives the site fractions of one site (times the
  group's multiplier): they may add up to at most one. More than one is refused (an
  over-full site); less than one is accepted with a note (vacancies; the configurational
  entropy is then taken over the occupied part of the site).

- **Vacancies.** ``□`` (or ``Vac``) with a subscript is an empty site: it adds no atoms
  but counts towards the occupancy of the site it is written on (inside a group) and is
  recorded in :attr:`Formula.vacancies` (top level: after the item it follows, as in the
  Prussian-blue ``[Fe(CN)6]0.81□0.19``).
- **Crystal water.** Everything after ``·`` (or ``•``, ``⋅``) is water of crystallisation:
  its atoms count in :attr:`Formula.amounts` (the molar mass of the hydrated material)
  and are listed apart in :attr:`Formula.hydrate`; they take no part in groups or sites.

Errors are :class:`hemcell.errors.InputError` naming the position (1-based) of the
problem.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hemcell.errors import InputError

#: Elements that never form an equal-share mixed site without commas: with them a
#: subscript-free group is a molecular unit such as (OH), (CN) or (SCN).
_MOLECULAR_GROUP_ELEMENTS = frozenset({"H", "C", "N", "O", "S", "Se", "Te", "F", "Cl", "Br", "I"})
_OPEN = {"(": ")", "[": "]", "{": "}"}
#: Vacancy symbol used internally (also written ``Vac``).
VACANCY = "□"
_HYDRATE_SEPARATORS = ("·", "•", "⋅")
_CLOSE = set(_OPEN.values())
_EXAMPLES = "formulas such as (Mg0.2Co0.2Ni0.2Cu0.2Zn0.2)O, (LiFeZnNiCoMn)3O4 or InGeSiP3"
_MAX_LENGTH = 300


@dataclass(frozen=True)
class Formula:
    """A parsed formula.

    Attributes
    ----------
    text
        The formula as given.
    amounts
        Element symbol → atoms per formula unit, in order of first appearance.
    groups
        For every top-level parenthesised group: element → atoms per formula unit
        contributed by that group (the group multiplier included).
    outside
        Element → atoms per formula unit written outside any group.
    notes
        What the parser decided that the user should know (partly occupied sites).
    vacancies
        Vacancies per formula unit: ``group_<i>`` (inside top-level group i, 0-based) or
        ``after_<i>`` (a top-level ``□`` written after top-level item i).
    hydrate
        Element → atoms per formula unit of the crystal water (already in ``amounts``).
    """

    text: str
    amounts: dict[str, float]
    groups: tuple[dict[str, float], ...] = field(default_factory=tuple)
    outside: dict[str, float] = field(default_factory=dict)
    notes: tuple[str, ...] = field(default_factory=tuple)
    vacancies: dict[str, float] = field(default_factory=dict)
    hydrate: dict[str, float] = field(default_factory=dict)

    @property
    def elements(self) -> list[str]:
        """Element symbols in order of first appearance."""
        return list(self.amounts)


@dataclass
class _Node:
    """An element (``symbol``) or a group (``children``) with its written subscript."""

    position: int
    symbol: str | None = None
    children: list[_Node] = field(default_factory=list)
    subscript: float | None = None
    commas: bool = False


def _known_symbols() -> frozenset[str]:
    import periodictable

    return frozenset(el.symbol for el in periodictable.elements if el.number > 0)


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.symbols = _known_symbols()

    # ---------------------------------------------------------------- errors
    def fail(self, position: int, got: str, allowed: str) -> InputError:
        return InputError(f"formula {self.text!r} at position {position + 1}", got, allowed,
                          hint=f"write {_EXAMPLES}")

    def _here(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else "end of formula"

    # ---------------------------------------------------------------- scanning
    def skip_spaces(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos].isspace():
            self.pos += 1

    def number(self) -> float | None:
        self.skip_spaces()
        start = self.pos
        while self.pos < len(self.text) and (self.text[self.pos].isdigit()
                                             or self.text[self.pos] == "."):
            self.pos += 1
        raw = self.text[start:self.pos]
        if not raw:
            return None
        if raw.count(".") > 1 or raw == ".":
            raise self.fail(start, raw, "a number such as 3, 0.2, .5 or 2/3")
        value = float(raw)
        if self.pos < len(self.text) and self.text[self.pos] == "/":
            self.pos += 1
            den_start = self.pos
            while self.pos < len(self.text) and self.text[self.pos].isdigit():
                self.pos += 1
            den = self.text[den_start:self.pos]
            if not den or int(den) == 0:
                raise self.fail(den_start, den or self._here(),
                                "a fraction with a whole, non-zero denominator such as 2/3")
            value /= int(den)
        if value <= 0:
            raise self.fail(start, raw, "a subscript greater than zero")
        return value

    def element(self) -> _Node:
        start = self.pos
        sym = self.text[self.pos]
        if self.pos + 1 < len(self.text) and self.text[self.pos + 1].islower():
            two = sym + self.text[self.pos + 1]
            if two in self.symbols:
                self.pos += 2
                return _Node(start, symbol=two)
            if sym not in self.symbols:
                raise self.fail(start, two, "an element symbol (capital letter, then at most "
                                            "one small letter)")
        if sym not in self.symbols:
            raise self.fail(start, sym, "an element symbol")
        self.pos += 1
        return _Node(start, symbol=sym)

    def item(self) -> _Node:
        self.skip_spaces()
        ch = self._here()
        if ch in _OPEN:
            node = self.group()
        elif ch == VACANCY or self.text.startswith("Vac", self.pos):
            node = _Node(self.pos, symbol=VACANCY)
            self.pos += 1 if ch == VACANCY else 3
        elif ch.isalpha() and ch.isupper():
            node = self.element()
        else:
            allowed = "an element symbol or '('"
            if ch.isalpha():
                allowed = "an element symbol starting with a capital letter"
            raise self.fail(self.pos, ch, allowed)
        node.subscript = self.number()
        return node

    def group(self) -> _Node:
        start = self.pos
        closer = _OPEN[self.text[self.pos]]
        self.pos += 1
        node = _Node(start)
        while True:
            self.skip_spaces()
            ch = self._here()
            if ch == closer:
                self.pos += 1
                break
            if self.pos >= len(self.text):
                raise self.fail(self.pos, "end of formula",
                                f"{closer!r} to close the {self.text[start]!r} at position "
                                f"{start + 1}")
            if ch in _CLOSE:
                raise self.fail(self.pos, ch, f"{closer!r} to close the {self.text[start]!r} at "
                                              f"position {start + 1}")
            if ch == ",":
                if not node.children:
                    raise self.fail(self.pos, ",", "an element before ','")
                node.commas = True
                self.pos += 1
                continue
            node.children.append(self.item())
        if not node.children:
            raise self.fail(start, self.text[start:self.pos], "a group with at least one element")
        return node

    def formula(self) -> list[_Node]:
        nodes: list[_Node] = []
        self.skip_spaces()
        if self.pos >= len(self.text):
            raise self.fail(0, self.text, "a non-empty formula")
        while True:
            self.skip_spaces()
            if self.pos >= len(self.text):
                return nodes
            ch = self._here()
            if ch in _HYDRATE_SEPARATORS:
                if not nodes:
                    raise self.fail(self.pos, ch, "a formula before the crystal water")
                return nodes
            if ch in _CLOSE:
                raise self.fail(self.pos, ch, "no closing bracket without an opening one")
            if ch == ",":
                raise self.fail(self.pos, ch, "commas only inside a group, as in (Co,Ni)O")
            nodes.append(self.item())

    def hydrate(self) -> list[_Node]:
        """The crystal-water part after ``·`` as one group node (empty if absent)."""
        if self.pos >= len(self.text):
            return []
        start = self.pos
        self.pos += 1
        coefficient = self.number()
        water = _Node(start, subscript=coefficient)
        while True:
            self.skip_spaces()
            if self.pos >= len(self.text):
                break
            ch = self._here()
            if ch in _CLOSE or ch == "," or ch in _HYDRATE_SEPARATORS:
                raise self.fail(self.pos, ch, "element symbols of the crystal water, as in "
                                              "·1.12H2O")
            water.children.append(self.item())
        if not water.children:
            raise self.fail(start, self.text[start:], "crystal water after '·', as in ·1.12H2O")
        if any(c.symbol == VACANCY for c in water.children):
            raise self.fail(start, self.text[start:], "no vacancy in the crystal water")
        return [water]


def _is_equal_share(node: _Node) -> bool:
    """A group of subscript-free elements forming one mixed site (see module docstring)."""
    if any(c.symbol is None or c.subscript is not None or c.symbol == VACANCY
           for c in node.children):
        return False
    if len(node.children) < 2:
        return False
    if node.commas:
        return True
    return not any(c.symbol in _MOLECULAR_GROUP_ELEMENTS for c in node.children)


def _flatten(node: _Node, factor: float, out: dict[str, float], text: str) -> None:
    """Atoms per formula unit of ``node`` into ``out`` (vacancies under :data:`VACANCY`)."""
    mult = factor * (node.subscript if node.subscript is not None else 1.0)
    if node.symbol is not None:
        out[node.symbol] = out.get(node.symbol, 0.0) + mult
        return
    if _is_equal_share(node):
        names = [c.symbol for c in node.children]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise InputError(f"formula {text!r} at position {node.position + 1}", dupes[0],
                             "each element once in an equal-share group")
        share = mult / len(names)
        for n in names:
            assert n is not None
            out[n] = out.get(n, 0.0) + share
        return
    if node.commas:
        raise InputError(f"formula {text!r} at position {node.position + 1}",
                         text[node.position:], "a comma list of elements without subscripts, "
                                                "as in (Co,Cr,Fe,Mn,Ni)3O4")
    for child in node.children:
        _flatten(child, mult, out, text)


_OCCUPANCY_TOL = 1e-6


def _site_occupancy(node: _Node, text: str) -> str | None:
    """Check a top-level group written with fractional subscripts as one site.

    Returns a note for a partly occupied site; raises for an over-full one.
    """
    kids = node.children
    if node.symbol is not None or not kids or any(c.symbol is None for c in kids):
        return None
    if any(c.symbol in _MOLECULAR_GROUP_ELEMENTS for c in kids):
        return None  # a molecular unit or a group with anions: not one cation site
    subs = [1.0 if c.subscript is None else c.subscript for c in kids]
    if all(float(x).is_integer() for x in subs):
        return None
    total = sum(subs)
    where = f"formula {text!r}: site at position {node.position + 1}"
    if total > 1 + _OCCUPANCY_TOL:
        raise InputError(where, f"occupancies adding up to {total:.6g}",
                         "site fractions that add up to at most 1 (write integer subscripts "
                         "for a group of whole atoms)")
    if total < 1 - _OCCUPANCY_TOL:
        return (f"site at position {node.position + 1} is {total:.4g} occupied: "
                f"{1 - total:.4g} vacancies per site; entropy is taken over the occupied part")
    return None


def parse_formula(text: str) -> Formula:
    """Parse a formula into atoms per formula unit and its top-level groups.

    Parameters
    ----------
    text
        The formula, e.g. ``(Mg0.2Co0.2Ni0.2Cu0.2Zn0.2)O``, ``(LiFeZnNiCoMn)3O4``,
        ``InGeSiP3``, ``Cu0.88Sn0.02Sb0.02Bi0.02Mn0.02S0.9Se0.1``.

    Returns
    -------
    Formula

    Raises
    ------
    InputError
        With the 1-based position of the problem, what was found and what is allowed.

    Examples
    --------
    >>> parse_formula("(LiFeZnNiCoMn)3O4").amounts["Fe"]
    0.5
    """
    if not isinstance(text, str):
        raise InputError("formula", text, "a formula string")
    if len(text) > _MAX_LENGTH:
        raise InputError("formula", f"{text[:20]}... ({len(text)} characters)",
                         f"at most {_MAX_LENGTH} characters")
    parser = _Parser(text)
    nodes = parser.formula()
    water_nodes = parser.hydrate()
    amounts: dict[str, float] = {}
    outside: dict[str, float] = {}
    groups: list[dict[str, float]] = []
    notes: list[str] = []
    vacancies: dict[str, float] = {}
    for i, node in enumerate(nodes):
        part: dict[str, float] = {}
        _flatten(node, 1.0, part, text)
        empty = part.pop(VACANCY, 0.0)
        note = _site_occupancy(node, text)
        if note:
            notes.append(note)
        if node.symbol == VACANCY:
            if i == 0:
                raise InputError(f"formula {text!r} at position 1", VACANCY,
                                 "a vacancy written after the site it belongs to")
            vacancies[f"after_{i - 1}"] = empty
            continue
        if node.symbol is None:
            if empty:
                vacancies[f"group_{len(groups)}"] = empty
            groups.append(part)
        else:
            for el, n in part.items():
                outside[el] = outside.get(el, 0.0) + n
        for el, n in part.items():
            amounts[el] = amounts.get(el, 0.0) + n
    hydrate: dict[str, float] = {}
    for node in water_nodes:
        _flatten(node, 1.0, hydrate, text)
    for el, n in hydrate.items():
        amounts[el] = amounts.get(el, 0.0) + n
    return Formula(text=text, amounts=amounts, groups=tuple(groups), outside=outside,
                   notes=tuple(notes), vacancies=vacancies, hydrate=hydrate)
