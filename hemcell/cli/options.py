"""Command-line option types every hemcell simulation command shares.

``--out DIR`` (where the run writes its files), ``--overwrite`` (write into a folder
that already holds files) and ``--set KEY=VALUE`` (a parameter override with units,
validated like a parameter file) look the same in every command group; they are
declared once here, with ``--no-plots`` (skip every figure and animation a command would
draw: the waits for PNG maps and GIFs go, the numbers and data files stay the same).

``--out`` is checked while the command line is parsed, before anything is solved: it
must not be empty, a file, or under a file; the folder (or the nearest folder above it
that exists) must be writable; and a folder that already holds files is refused unless
``--overwrite`` is given (a sweep's ``--resume`` also reuses its folder). Writability is
probed by creating and removing a file in that folder (permission bits are not enough:
root passes them on ``/proc`` and read-only mounts); nothing is left behind.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any

import typer

#: Flags that allow ``--out`` to name a folder that already holds files.
REUSE_FLAGS = ("overwrite", "resume")


def _out_path(value: Any) -> Path:
    """``--out`` text → path; refuses an empty text (it would mean the current folder)."""
    if isinstance(value, Path):
        return value
    from hemcell.errors import InputError

    if not str(value).strip():
        raise InputError("--out", value, "a folder name (use --out . for the current folder)")
    return Path(value)


def check_out_folder(out: Path, reuse: bool) -> Path:
    """Refuse an output folder the run could not write to, or one it would mix files into.

    Parameters
    ----------
    out
        The ``--out`` folder (it may not exist yet; nothing is created here).
    reuse
        Whether a folder that already holds files is acceptable (``--overwrite``,
        a sweep's ``--resume``).

    Raises
    ------
    InputError
        ``--out`` is a file or under one, its nearest existing folder is not writable,
        or it holds files and ``reuse`` is false.
    """
    from hemcell.errors import InputError

    if out.exists() and not out.is_dir():
        raise InputError("--out", str(out), "a folder (this is a file)")
    existing = _nearest_existing(out)
    if existing.exists() and not existing.is_dir():
        raise InputError("--out", str(out), f"a folder (its parent {existing} is a file)")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise InputError("--out", str(out), f"a folder you can write to ({existing} is not "
                                            "writable)")
    _probe_write("--out", out, existing)
    if not reuse and out.is_dir() and any(out.iterdir()):
        raise InputError("--out", str(out), "a new or empty folder",
                         hint="pass --overwrite to write into it (files of the same name "
                              "are replaced, others kept), or choose another --out")
    return out


def _probe_write(option: str, target: Path, folder: Path) -> None:
    """Create and remove a file in ``folder``: permission bits do not tell root (who
    passes ``os.access`` everywhere) that ``/proc`` or a read-only mount refuses files.

    Raises
    ------
    InputError
        Naming ``option`` and ``target`` when the file cannot be created.
    """
    import tempfile

    from hemcell.errors import InputError

    try:
        fd, name = tempfile.mkstemp(prefix=".hemcell-probe-", dir=folder)
    except OSError as exc:
        raise InputError(option, str(target), f"a place you can write to (could not create "
                                              f"a file in {folder}: {exc.strerror})") from None
    os.close(fd)
    os.unlink(name)


def _nearest_existing(path: Path) -> Path:
    """``path`` or the closest folder above it that exists."""
    existing = path
    while not existing.exists() and existing.parent != existing:
        existing = existing.parent
    return existing


def check_out_file(path: Path, option: str, overwrite: bool) -> Path:
    """Refuse an output file (``--write-params FILE``) the command could not write, or
    one that would replace a file the user has, before any work.

    Parameters
    ----------
    path
        The file to write (its folders may not exist yet; nothing is created here).
    option
        The option that names it, for messages.
    overwrite
        Whether an existing file may be replaced (``--overwrite``).

    Raises
    ------
    InputError
        ``path`` is a folder or under a file, no file can be created in its nearest
        existing folder, or it exists and ``overwrite`` is false.
    """
    from hemcell.errors import InputError

    if path.is_dir():
        raise InputError(option, str(path), "a file name (this is a folder)")
    folder = _nearest_existing(path.parent)
    if not folder.is_dir():
        raise InputError(option, str(path), f"a file in a folder ({folder} is a file)")
    _probe_write(option, path, folder)
    if path.exists() and not overwrite:
        raise InputError(option, str(path), "a file that does not exist yet",
                         hint="pass --overwrite to replace it, or choose another name")
    return path


def _check_out(ctx: Any, param: Any, value: Any) -> Any:
    """Click callback of ``--out``: runs at parse time, after the eager reuse flags."""
    if value is None:
        return value
    reuse = any(bool(ctx.params.get(flag)) for flag in REUSE_FLAGS)
    return check_out_folder(Path(value), reuse)


OutOption = Annotated[Path, typer.Option(
    "--out", parser=_out_path, callback=_check_out,
    help="Output folder (created if missing; one that holds files needs --overwrite).")]
OverwriteOption = Annotated[bool, typer.Option(
    "--overwrite", is_eager=True,
    help="Write into an --out folder that already holds files (same names are replaced).")]
NoPlotsOption = Annotated[bool, typer.Option(
    "--no-plots",
    help="Write no figures or animations (PNG/GIF/MP4); data files and summaries are "
         "the same as with them.")]
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

    items = text.replace(" ", "").split(",")
    if "" in items:  # '0.2,,1' or a trailing comma: an item left out
        raise InputError(option, text, f"comma-separated numbers without empty items, "
                         f"e.g. {example}")
    try:
        values = [float(x) for x in items]
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
