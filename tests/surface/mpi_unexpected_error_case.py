"""``hemcell surface run`` with a bug injected into the run on some ranks (used by
test_mpi_unexpected_error_once.py under mpiexec).

``python -m tests.surface.mpi_unexpected_error_case RANKS WAIT_S OUT [--debug]``: the ranks
in RANKS (comma-separated) raise a ``KeyError`` where the run would start; the others wait
in a collective call (a barrier) that the failing ranks never join, as they would in a
solve. ``WAIT_S`` replaces ``hemcell.cli.surface.FAILURE_WAIT_S`` (``-``: kept).
"""

from __future__ import annotations

import sys


def main(argv: list[str]) -> int:
    from mpi4py import MPI

    import hemcell.cli.surface as surface_cli
    import hemcell.workflows.surface as ws
    from hemcell.cli.main import main as hemcell_main

    ranks, wait_s, out, *flags = argv
    failing = {int(r) for r in ranks.split(",")}
    if wait_s != "-":
        surface_cli.FAILURE_WAIT_S = float(wait_s)

    def run_case(*_args: object, **_kwargs: object) -> dict[str, float]:
        if MPI.COMM_WORLD.rank in failing:
            return {}["an injected bug"]  # type: ignore[return-value]
        MPI.COMM_WORLD.Barrier()
        return {"current_focusing_factor": 1.0}

    ws.run_case = run_case  # type: ignore[assignment]
    return hemcell_main([*flags, "surface", "run", "--case", "bare", "--no-plots",
                         "--out", out])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
