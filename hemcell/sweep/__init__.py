"""Parameter sweeps: declarative specs, local and Dask execution, resume, labelled results.

Public API: :func:`load_spec`, :func:`parse_spec`, :func:`run_sweep`, :func:`gather`,
:class:`SweepSpec`, :class:`SweepReport`, :class:`FastPath`. The command line is
``hemcell sweep SPEC --out DIR`` (:mod:`hemcell.cli.sweep`); the spec format is in
``docs/sweeps.md``.
"""

from __future__ import annotations

from hemcell.sweep.commands import FastPath
from hemcell.sweep.gather import gather
from hemcell.sweep.run import SweepReport, run_sweep
from hemcell.sweep.spec import SpecError, SweepSpec, load_spec, parse_spec

__all__ = ["FastPath", "SpecError", "SweepReport", "SweepSpec", "gather", "load_spec",
           "parse_spec", "run_sweep"]
