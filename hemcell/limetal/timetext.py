"""Durations in hours as a reader wants them: no exponent, digits the value carries."""

from __future__ import annotations

import math

#: Significant digits of a printed duration (the models' lives are not known better).
SIGNIFICANT_DIGITS = 4
#: Hours in a year of 365.25 days.
HOURS_PER_YEAR = 365.25 * 24


def plain_number(value: float, digits: int = SIGNIFICANT_DIGITS) -> str:
    """``value`` to ``digits`` significant digits, without an exponent or trailing zeros
    after the decimal point (``17110``, ``0.25``, ``0.0001235``)."""
    if not math.isfinite(value) or value == 0:
        return f"{value:g}"
    decimals = digits - 1 - math.floor(math.log10(abs(value)))
    rounded = round(value, decimals)
    text = f"{rounded:.{max(decimals, 0)}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def hours_text(hours: float) -> str:
    """``hours`` with :data:`SIGNIFICANT_DIGITS` significant digits and never an exponent,
    plus the years from one year (8766 h) on.

    ``17110 h (1.95 years)`` where ``f"{h:.4g} h"`` printed ``1.711e+04 h``.

    Examples
    --------
    >>> hours_text(17113.6)
    '17110 h (1.95 years)'
    >>> hours_text(1712.04)
    '1712 h'
    >>> hours_text(0.25)
    '0.25 h'
    """
    years = hours / HOURS_PER_YEAR if math.isfinite(hours) else 0.0
    if years < 1:
        return f"{plain_number(hours)} h"
    y = plain_number(years, 3)
    return f"{plain_number(hours)} h ({y} year{'' if y == '1' else 's'})"
