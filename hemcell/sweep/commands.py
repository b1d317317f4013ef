"""Which command a sweep runs: look it up, check its options, find its fast path.

A sweep runs a *command*: one of hemcell's CLI commands (``params export``,
``cell run``, ``surface run``, ``pybamm cc-discharge``, ...). The sweep layer sits below
the command line and never imports it. The command tree is found through the package's
entry point ``hemcell.commands`` (``pyproject.toml``: ``hemcell =
"hemcell.cli.main:full_command"``), as plugins are found. Commands are looked up in
that tree, so options and values
are checked by parsing a point's argument list exactly as the command itself will
(:meth:`Command.check_args`), without running anything.

A command may have a *fast path*: the workflow module named for it in
:data:`hemcell.workflows.FAST_PATHS` offers ``sweep_fast_path(command, parse_args) ->
FastPath | None``. The sweep uses it when it accepts the spec (see :class:`FastPath`),
and falls back to one process per point otherwise.
"""

from __future__ import annotations

import functools
import importlib
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from hemcell.errors import InputError, did_you_mean

if TYPE_CHECKING:
    from hemcell.sweep.spec import Point, SweepSpec

#: Commands of the command line that a sweep never runs.
NOT_SWEEPABLE = ("sweep", "demo", "validate", "bench")

class FastPath(Protocol):
    """A way to solve many points of one command at once (in one process).

    Implementations live in the command's workflow (``sweep_fast_path`` in the module
    :data:`hemcell.workflows.FAST_PATHS` names). Two methods are optional, for a fast
    path that shares built models among the points but builds more than one (``cell
    run``: one per temperature, mechanism set, ...): ``groups(spec, points) ->
    list[list[Point]]``, the points grouped by the model they share (the sweep hands
    them over group by group, so each model is built once; the ``--check`` estimate
    counts the groups as models), and ``note(spec) -> str``, the sweep's note (how many
    models for how many points, and why).
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
    click_command
        The click command, used to check argument lists.
    """

    name: str
    argv: tuple[str, ...]
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

    def parse_args(self, args: Sequence[str]) -> dict[str, Any]:
        """The command's keyword arguments for ``args``, parsed as the command would."""
        return ArgParser(self.name)(args)

    def fast_path(self) -> FastPath | None:
        """The fast path of the command's workflow, if it has one."""
        from hemcell.workflows import FAST_PATHS

        module = FAST_PATHS.get(self.name)
        if module is None:
            return None
        factory = importlib.import_module(module).sweep_fast_path
        return factory(self.name, ArgParser(self.name))


@dataclass(frozen=True)
class ArgParser:
    """Parses a command's argument list into its keyword arguments, in any process.

    Holds only the command's name (so it pickles to Dask workers); the command is looked
    up where it is called.
    """

    name: str

    def __call__(self, args: Sequence[str]) -> dict[str, Any]:
        cmd = _walk(_hemcell_root())[self.name]
        return dict(cmd.make_context(f"hemcell {self.name}", list(args)).params)


@functools.cache
def _command_tree() -> Callable[[], Any]:
    """The function the ``hemcell.commands`` entry point names (loaded once)."""
    from importlib.metadata import entry_points

    found = entry_points(group="hemcell.commands", name="hemcell")
    if not found:
        raise RuntimeError("the hemcell.commands entry point is missing: reinstall "
                           "hemcell (pip install -e .)")
    return next(iter(found)).load()


@functools.cache
def _hemcell_root() -> Any:
    """The click group of the ``hemcell`` CLI with every sub-app mounted (built once per
    process: typer builds it from the signatures of every command, ~0.8 s)."""
    return _command_tree()()


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
    return sorted(n for n in _walk(_hemcell_root()) if n not in NOT_SWEEPABLE)


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
    words = " ".join(str(name).split())
    commands = _walk(_hemcell_root())
    if words not in commands or words in NOT_SWEEPABLE:
        known = available_commands()
        close = did_you_mean(words, known, n=2)
        hint = f" ({close})" if close else ""
        raise InputError(field, name, f"one of {known}{hint}")
    cmd = commands[words]
    return Command(words, ("-m", "hemcell", *words.split()), cmd)


def python_executable() -> str:
    """The interpreter that runs point commands (the one running the sweep)."""
    return sys.executable
