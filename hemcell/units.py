"""Units: one pint registry for hemcell, SI inside the code.

Parameter files and ``--set`` overrides carry units as text (``28 nm``, ``1.2e-10 m**2/s``,
``27.82 kJ/mol``). They are parsed here, checked against the dimension the parameter
registry declares, and converted to plain SI floats for the solvers.
"""

from __future__ import annotations

import math
import re
import tokenize
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from hemcell.errors import InputError

if TYPE_CHECKING:
    import pint


@lru_cache(maxsize=1)
def unit_registry() -> pint.UnitRegistry:
    """The shared pint registry (created on first use, so ``import hemcell`` stays light).

    Besides pint's defaults it knows ``emu`` as a magnetic moment (1 emu = 1e-3 A m²),
    as used in magnetometry (emu g⁻¹).
    """
    import pint

    try:  # parsed definitions cached on disk: creation drops from ~1 s to ~0.1 s
        ureg = pint.UnitRegistry(autoconvert_offset_to_baseunit=True, cache_folder=":auto:")
    except OSError:  # read-only home: no cache
        ureg = pint.UnitRegistry(autoconvert_offset_to_baseunit=True)
    ureg.define("emu = 1e-3 * ampere * meter ** 2")
    return ureg


@lru_cache(maxsize=1024)
def _unit(text: str) -> pint.Unit:
    return unit_registry().Unit(text)


def parse_unit(text: str, field: str) -> pint.Unit:
    """Parse a unit expression such as ``m**2/s`` or ``mA/cm**2``.

    Parameters
    ----------
    text
        The unit as written.
    field
        Where it was written, for the error message.

    Raises
    ------
    InputError
        If pint does not know the unit.
    """
    import pint

    if not isinstance(text, str) or not text.strip():
        raise InputError(field, text, "a unit such as 'nm', 'm**2/s', 'GPa' or 'dimensionless'")
    try:
        return _unit(text)
    except (pint.errors.UndefinedUnitError, pint.errors.DefinitionSyntaxError, ValueError,
            TypeError, AttributeError, AssertionError, SyntaxError,
            tokenize.TokenError) as exc:
        raise InputError(field, text, f"a unit pint understands ({exc})") from None


def to_si(value: float, unit: str, si_unit: str, field: str) -> float:
    """Convert ``value`` in ``unit`` to ``si_unit``, checking the dimension.

    Parameters
    ----------
    value
        The number as written.
    unit
        Its unit as written.
    si_unit
        The SI unit hemcell uses inside the code for this quantity.
    field
        Where the value was written, for error messages.

    Returns
    -------
    float
        The value in ``si_unit``.

    Raises
    ------
    InputError
        If the dimensions differ (``GPa`` for a diffusivity).
    """
    given = parse_unit(unit, field)
    target = parse_unit(si_unit, f"{field} (registry unit)")
    same_dimension, factor = _conversion(given, target)
    if not same_dimension:
        dim = unit_registry().Quantity(1, target).dimensionality
        raise InputError(f"{field}.unit", unit, f"a unit with the dimension of {si_unit} ({dim})",
                         hint=_celsius_hint(value, given, dim))
    if factor is not None:
        return value * factor
    # offset units (degC): full conversion
    return float(unit_registry().Quantity(value, given).to(target).magnitude)


def _celsius_hint(value: float, given: pint.Unit, dimension: Any) -> str | None:
    """For a temperature written in ``C`` (pint's coulomb): how Celsius is written."""
    if str(dimension) != "[temperature]" or given != _unit("C"):
        return None
    kelvin = unit_registry().Quantity(value, "degC").to("K").magnitude
    return (f"C is the coulomb (a charge); a Celsius temperature is written degC: "
            f"{value:g} degC (= {kelvin:.6g} K)")


#: Significant digits kept when an SI value is reported in another unit: the parsing
#: and the conversion back each round in the last binary digit (25 um read as
#: 2.4999999999999998e-05 m, times 1e6 is 24.999999999999996), far below 12 digits.
REPORT_SIGNIFICANT_DIGITS = 12


def from_si(value_si: float, scale: float) -> float:
    """An SI value in a report unit, ``value_si * scale`` to
    :data:`REPORT_SIGNIFICANT_DIGITS` significant digits (25 um reads 25.0).

    Parameters
    ----------
    value_si
        The value in SI (``2.5e-05`` m).
    scale
        Report unit per SI unit (``1e6`` for um from m).
    """
    return float(f"{value_si * scale:.{REPORT_SIGNIFICANT_DIGITS}g}")


@lru_cache(maxsize=512)
def _conversion(given: pint.Unit, target: pint.Unit) -> tuple[bool, float | None]:
    """(same dimension?, factor from ``given`` to ``target``; ``None`` for offset units)."""
    ureg = unit_registry()
    one = ureg.Quantity(1.0, given)
    if one.dimensionality != ureg.Quantity(1, target).dimensionality:
        return False, None
    if ureg.Quantity(0.0, given).to(target).magnitude != 0.0:
        return True, None
    return True, float(one.to(target).magnitude)


#: The number at the start of a quantity text (its exponent is not a unit power).
_LEADING_NUMBER = re.compile(r"\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?")


def unit_shorthand(text: str) -> str:
    """Expand the typing shorthand of a quantity's unit into pint syntax.

    ``cm2`` → ``cm**2``, ``m-1`` → ``m**-1`` (a power written right after a unit's
    letters), ``^`` → ``**`` and ``mAh`` → ``mA*h``. Only the unit after the leading
    number is rewritten, so ``1e-3A/cm2`` keeps its exponent.
    """
    number = _LEADING_NUMBER.match(text)
    head, tail = (text[:number.end()], text[number.end():]) if number else ("", text)
    tail = re.sub(r"(?<=[a-zA-Z])(-?\d+)", r"**\1", tail.replace("mAh", "mA*h"))
    return head + tail.replace("^", "**")


def parse_quantity_text(text: str, field: str) -> tuple[float, str]:
    """Split ``'28nm'``, ``'28 nm'`` or ``'1.2e-10 m**2/s'`` into (number, unit).

    A bare number gets the unit ``dimensionless``; the unit may be typed in the
    shorthand of :func:`unit_shorthand` (``10mA/cm2``).

    Raises
    ------
    InputError
        If the text is not a number followed by a unit.
    """
    import pint

    ureg = unit_registry()
    try:
        q = ureg.Quantity(unit_shorthand(text).strip())
    except (pint.errors.UndefinedUnitError, pint.errors.DefinitionSyntaxError, ValueError,
            TypeError, AttributeError, AssertionError, SyntaxError,
            tokenize.TokenError) as exc:
        raise InputError(field, text, f"a number with a unit, e.g. '28nm' or '1e-10 m**2/s' ({exc})"
                         ) from None
    if not isinstance(q, ureg.Quantity):  # a plain number
        q = ureg.Quantity(float(q), "dimensionless")
    magnitude: Any = q.magnitude
    try:
        magnitude = float(magnitude)
    except (TypeError, ValueError):
        raise InputError(field, text, "a single number with a unit") from None
    if not math.isfinite(magnitude):
        raise InputError(field, text, "a finite number")
    unit = format(q.units, "~C") or "dimensionless"
    return magnitude, unit


#: Name endings that look like units but are statistics (``voltage_min``, ``stress_max``).
_NOT_UNITS = frozenset({"min", "max", "avg", "mean", "std"})


def unit_from_name_suffix(name: str) -> str | None:
    """The pint unit a name ends with, or ``None`` (dimensionless).

    hemcell's names carry their unit: ``voltage_V`` → ``V``, ``capacity_mAh_per_g`` →
    ``mAh/g``, ``mean_current_density_A_per_m2`` → ``A/m**2``,
    ``concentration_mol_per_m3`` → ``mol/m**3``; ``particle_volumetric_strain``,
    ``voltage_min`` and ``cycle`` have none. The longest tail (up to five words) that pint
    reads as a unit wins; a single word longer than four letters is a word, not a unit.
    """
    tokens = name.split("_")
    for take in range(min(len(tokens) - 1, 5), 0, -1):
        tail = tokens[-take:]
        if tail[0] == "per" or tail[-1] == "per":
            continue
        if any(t in _NOT_UNITS for t in tail):
            continue
        text = "".join("/" if t == "per" else re.sub(r"^([A-Za-z]+)(\d+)$", r"\1**\2", t)
                       for t in tail)
        try:
            _unit(text)
        except Exception:  # pint raises several error types for text that is not a unit
            continue
        if take == 1 and len(tail[0]) > 4:
            return None
        return text
    return None
