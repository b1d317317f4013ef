"""Command-line option types every hemcell simulation command shares.

``--out DIR`` (where the run writes its files) and ``--set KEY=VALUE`` (a parameter
override with units, validated like a parameter file) look the same in every command
group; they are declared once here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

OutOption = Annotated[Path, typer.Option("--out", help="Output folder (created if missing).")]
SetOption = Annotated[list[str] | None, typer.Option(
    "--set", help="Override a parameter with units, e.g. --set coating_thickness=28nm "
                  "(repeatable; checked like a parameter file).")]


def number_list(text: str, option: str, example: str, count: int | None = None,
                positive: bool = True) -> list[float]:
    """Parse a comma-separated list of numbers (``--window 0.01,3.0``).

    Parameters
    ----------
    count
        Exact number of values wanted (None: one or more).
    positive
        Require every value > 0.

    Raises
    ------
    InputError
        Naming ``option``, the text and an example of what is allowed.
    """
    from hemcell.errors import InputError

    try:
        values = [float(x) for x in text.replace(" ", "").split(",") if x]
    except ValueError:
        raise InputError(option, text, f"comma-separated numbers, e.g. {example}") from None
    if not values or (count is not None and len(values) != count):
        raise InputError(option, text, f"{count or 'one or more'} comma-separated numbers, "
                         f"e.g. {example}")
    if positive and any(not v > 0 for v in values):
        raise InputError(option, text, f"positive numbers, e.g. {example}")
    return values


def positive_floats(text: str, option: str, example: str) -> list[float]:
    """Parse a comma-separated list of positive numbers (``--c-rates 0.1,1,4``).

    Raises
    ------
    InputError
        Naming ``option``, the text and an example of what is allowed.
    """
    return number_list(text, option, example)
