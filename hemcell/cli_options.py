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
