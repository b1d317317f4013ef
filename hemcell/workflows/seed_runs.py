"""Runs over random seeds that keep the finished seeds when one fails.

``hemcell surface seeds`` and ``hemcell surface thickness`` solve one realisation of the
random fields after another. When a seed's solve fails after others finished, the
finished seeds are kept (the command writes them, marks its summary ``completed`` false
and then fails, exit 1, naming the seed and how many seeds were written).
:func:`solve_seeds` owns the loop and the error naming the seed;
:func:`finished_seeds_hint` owns the hint saying what was written. Each command keeps
its own rows, summary keys and files.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from hemcell.errors import SimulationError


def solve_seeds[SeedResult](
    seeds: Iterable[int],
    solve_seed: Callable[[int], SeedResult],
    name_seed: Callable[[int], str],
) -> tuple[list[SeedResult], SimulationError | None]:
    """Solve seed after seed, stopping at the first whose solve fails.

    Parameters
    ----------
    seeds
        The seeds k, in the order they are solved.
    solve_seed
        Solves seed k and returns its result; a seed counts only when this returns (a
        failure part-way through a seed keeps nothing of it).
    name_seed
        Names seed k in the error (``"seed k (sei_seed = k)"``); called after the failure,
        so it may also name the stage of the seed that failed.

    Returns
    -------
    tuple
        ``(finished, failure)``: the results of the seeds finished before the failure,
        in order, and ``None`` or the :class:`~hemcell.errors.SimulationError`
        ``"{name_seed(k)}: {message}"`` with the failed solve's hint.
    """
    finished: list[SeedResult] = []
    for k in seeds:
        try:
            result = solve_seed(k)
        except SimulationError as exc:  # the seeds finished before it are kept
            return finished, SimulationError(f"{name_seed(k)}: {exc.message}", hint=exc.hint)
        finished.append(result)
    return finished, None


def finished_seeds_hint(n_finished: int, out_dir: Path | str, hint: str | None) -> str:
    """Hint of a run over seeds that stopped at a failed seed: what was written, then the
    failed solve's own ``hint`` (if any), ``"; "``-joined.

    ``"the 3 finished seed(s) were written to OUT"``, or with none finished ``"no seed
    finished, nothing was written"``.
    """
    kept = (f"the {n_finished} finished seed(s) were written to {out_dir}" if n_finished
            else "no seed finished, nothing was written")
    return f"{kept}; {hint}" if hint else kept
