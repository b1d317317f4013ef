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

    Where ``si_unit`` is a temperature, ``C`` is the degree Celsius
    (:func:`temperature_unit`).

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
    target = parse_unit(si_unit, f"{field} (registry unit)")
    given = parse_unit(temperature_unit(unit, si_unit), field)
    same_dimension, factor = _conversion(given, target)
    if not same_dimension:
        dim = unit_registry().Quantity(1, target).dimensionality
        raise InputError(f"{field}.unit", unit, f"a unit with the dimension of {si_unit} ({dim})")
    if factor is not None:
        return value * factor
    # offset units (degC): full conversion
    return float(unit_registry().Quantity(value, given).to(target).magnitude)


#: How a Celsius temperature is written besides pint's ``degC``/``°C``/``celsius``: ``C``
#: (``25C``, as on a cell-test schedule), which pint reads as the coulomb. A charge cannot
#: be a temperature, so where a temperature is meant ``C`` is read as Celsius, in every
#: input (``--set``, parameter files, sweep values, ``eis --temperatures``, fit specs).
CELSIUS_SPELLINGS = ("C",)


@lru_cache(maxsize=256)
def _is_temperature(si_unit: str) -> bool:
    """Whether ``si_unit`` has the dimension of a temperature (K, not J/K)."""
    try:
        return str(unit_registry().Quantity(1, _unit(si_unit)).dimensionality) == "[temperature]"
    except Exception:  # not a unit: to_si names it
        return False


def temperature_unit(unit: str, si_unit: str) -> str:
    """``unit`` as read for a value of ``si_unit``'s dimension: ``degC`` for ``C``
    (:data:`CELSIUS_SPELLINGS`) where ``si_unit`` is a temperature, else ``unit``.

    ``C`` stays the coulomb everywhere else (``3.6 C`` of charge is 1 mA h).
    """
    if isinstance(unit, str) and unit.strip() in CELSIUS_SPELLINGS and _is_temperature(si_unit):
        return "degC"
    return unit


def parse_temperatures_K(text: str, field: str) -> list[float]:
    """Comma-separated temperatures → kelvin: ``25,35,45degC``, ``298.15K,308.15K``,
    ``25degC, 308.15 K``, ``25C``, ``25 °C``.

    Each item is a quantity as :func:`parse_quantity_text` reads it, converted by
    :func:`to_si` (so ``C`` is Celsius, as in ``--set ambient_temperature=25C``). A number
    without a unit takes the unit of the last item (``25,35degC``); the last item needs
    one. The one parser of temperature lists (``hemcell eis --temperatures``, a fit spec's
    ``model.temperature``).

    Raises
    ------
    InputError
        Naming ``field``: an empty item, no unit on the last item, a unit that is not a
        temperature, a temperature at or below 0 K, or one given twice.
    """
    allowed = ("comma-separated temperatures with a unit (degC, °C, C or K) above 0 K, "
               "e.g. 25,35,45,55degC or 298.15K,308.15K")
    items = [x.strip() for x in str(text).split(",")]
    if not items or "" in items:
        raise InputError(field, text, allowed)
    parsed = []
    for item in items:
        try:
            parsed.append(parse_quantity_text(item, field))
        except InputError:
            raise InputError(field, text, allowed) from None
    last_unit = parsed[-1][1]
    if last_unit == "dimensionless":
        raise InputError(field, text, allowed)
    kelvin = []
    for number, unit in parsed:
        try:
            kelvin.append(to_si(number, last_unit if unit == "dimensionless" else unit, "K",
                                field))
        except InputError:
            raise InputError(field, text, allowed) from None
    if any(not (math.isfinite(t) and t > 0) for t in kelvin):
        raise InputError(field, text, allowed)
    if len(set(kelvin)) < len(kelvin):
        raise InputError(field, text, "each temperature once")
    return kelvin


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
    letters), ``^`` → ``**``, ``mAh`` → ``mA*h`` and ``℃`` → ``degC``. Only the unit
    after the leading number is rewritten, so ``1e-3A/cm2`` keeps its exponent.
    """
    number = _LEADING_NUMBER.match(text)
    head, tail = (text[:number.end()], text[number.end():]) if number else ("", text)
    tail = re.sub(r"(?<=[a-zA-Z])(-?\d+)", r"**\1", tail.replace("mAh", "mA*h"))
    tail = tail.replace("\u2103", "degC")  # ℃, the one-character degree Celsius
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

    if "," in str(text):  # pint drops it: '1,2 mg' was 12 mg, '0,5mA/cm2' 5 mA/cm2
        listed = re.search(r"[^\d\s.,]\s*,", str(text))  # a unit before it: '28nm,70nm'
        raise InputError(field, text, "a number with a decimal point (a comma is read "
                         "neither as a decimal comma nor as a thousands separator)",
                         hint="one value is read here; this looks like a list (several "
                         "values are a sweep: hemcell sweep)" if listed else
                         f"for a decimal comma write '{str(text).replace(',', '.')}'")
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
    ``voltage_min`` and ``cycle`` have none (:func:`split_unit_suffix`).
    """
    return split_unit_suffix(name)[1]


def split_unit_suffix(name: str) -> tuple[str, str | None]:
    """A name without its unit suffix, and that unit (``None`` if it has none).

    ``discharge_capacity_mAh_per_g`` → (``discharge_capacity``, ``mAh/g``);
    ``mean_discharge_voltage_V`` → (``mean_discharge_voltage``, ``V``);
    ``current_focusing_factor`` → (itself, ``None``). The longest tail (up to five words)
    that pint reads as a unit wins; a single word longer than four letters is a word, not
    a unit, and statistics (``voltage_min``) are not units. A name that is only a unit
    keeps it as its name.
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
            return name, None
        return "_".join(tokens[:-take]), text
    return name, None
