"""Which command a sweep runs: look it up, check its options, find its fast path.

A sweep runs a *command*: one of hemcell's CLI commands (``params export``,
``cell run``, ``surface run``, ...) or a command built into the sweep package
(``pybamm cc-discharge``). Commands are looked up in the click tree that typer builds,
so options and values are checked by parsing a point's argument list exactly as the
command itself will (:meth:`Command.check_args`), without running anything.

A command's module may offer a *fast path*: a module-level function
``sweep_fast_path(command: str) -> FastPath | None``. The sweep uses it when it
accepts the spec (see :class:`FastPath`), and falls back to one process per point
otherwise.
"""

from __future__ import annotations

import difflib
import importlib
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from hemcell.errors import InputError

if TYPE_CHECKING:
    from hemcell.sweep.spec import Point, SweepSpec

#: Commands provided by the sweep package itself: name → module (``python -m`` runs it).
BUILTIN_COMMANDS: dict[str, str] = {
    "pybamm cc-discharge": "hemcell.sweep.cc_discharge",
}


class FastPath(Protocol):
    """A way to solve many points of one command at once (in one process).

    Implementations live next to the command (``sweep_fast_path`` in its module).
    """

    def unsupported(self, spec: SweepSpec) -> str | None:
        """Why this spec cannot take the fast path, or ``None`` if it can."""

    def solve(self, spec: SweepSpec, points: Sequence[Point], threads: int
              ) -> list[dict[str, Any] | BaseException]:
        """Summaries (as the command would write them) or the error, one per point."""


@dataclass(frozen=True)
class Command:
    """A resolved command.

    Attributes
    ----------
    name
        The words after ``hemcell`` (``"params export"``) or a builtin name.
    argv
        What follows the Python executable to run it (``-m hemcell params export``).
    module
        The module that defines the command's function (where a fast path is looked for).
    click_command
        The click command, used to check argument lists.
    """

    name: str
    argv: tuple[str, ...]
    module: str
    click_command: Any

    def option_names(self) -> list[str]:
        """Every option string the command accepts (``--out``, ``--set``, ...)."""
        names: list[str] = []
        for p in self.click_command.params:
            names.extend(o for o in (*p.opts, *p.secondary_opts) if o.startswith("-"))
        return names

    def takes(self, option: str) -> bool:
        """Whether the command accepts ``option``."""
        return option in self.option_names()

    def check_args(self, args: Sequence[str], field: str) -> None:
        """Parse ``args`` as the command would (types, ranges, choices, required options).

        Raises
        ------
        InputError
            With click's message as what is allowed.
        """
        try:
            self.click_command.make_context(f"hemcell {self.name}", list(args))
        except Exception as exc:  # click's UsageError family (typer vendors its own click)
            fmt = getattr(exc, "format_message", None)
            message = fmt() if fmt is not None else str(exc)
            raise InputError(field, " ".join(args), f"arguments `hemcell {self.name}` accepts "
                                                    f"({message})") from None

    def fast_path(self) -> FastPath | None:
        """The command module's fast path, if it offers one."""
        factory = getattr(importlib.import_module(self.module), "sweep_fast_path", None)
        return None if factory is None else factory(self.name)


def _hemcell_root() -> Any:
    """The click group of the ``hemcell`` CLI with every sub-app mounted."""
    from hemcell.cli import full_command

    return full_command()


def _walk(group: Any, prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, cmd in getattr(group, "commands", {}).items():
        full = f"{prefix}{name}"
        if hasattr(cmd, "commands"):
            out.update(_walk(cmd, f"{full} "))
        else:
            out[full] = cmd
    return out


def available_commands() -> list[str]:
    """Names of the commands a sweep can run (hemcell's CLI and the builtins)."""
    names = [n for n in _walk(_hemcell_root()) if n not in ("sweep", "demo", "validate", "bench")]
    return sorted(names) + sorted(BUILTIN_COMMANDS)


def resolve_command(name: str, field: str = "command") -> Command:
    """Look up a command by name.

    Parameters
    ----------
    name
        ``"params export"``, ``"surface run"``, ``"pybamm cc-discharge"``, ...
    field
        Where the name was written, for the error message.

    Raises
    ------
    InputError
        If no such command exists (listing the ones that do).
    """
    import typer

    words = " ".join(str(name).split())
    if words in BUILTIN_COMMANDS:
        module = BUILTIN_COMMANDS[words]
        click_command = typer.main.get_command(importlib.import_module(module).app)
        return Command(words, ("-m", module), module, click_command)
    commands = _walk(_hemcell_root())
    if words not in commands or words == "sweep":
        known = available_commands()
        close = difflib.get_close_matches(words, known, n=2)
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        raise InputError(field, name, f"one of {known}{hint}")
    cmd = commands[words]
    module = getattr(cmd.callback, "__module__", "hemcell.cli")
    return Command(words, ("-m", "hemcell", *words.split()), module, cmd)


def python_executable() -> str:
    """The interpreter that runs point commands (the one running the sweep)."""
    return sys.executable
