"""Absolute tolerance of the solver's potential states, in every model a recipe runs.

The rule (potentials at :data:`POTENTIAL_SCALE_V` × atol volts, every other state at
atol) and :class:`StateToleranceSolver` are owned by :mod:`hemcell.idaklu`, below the
physics packages, so that the Li-metal cells' DFN (:mod:`hemcell.limetal.halfcell`) runs
the same solver; the cell package's modules take them from here.
"""

from __future__ import annotations

from hemcell.idaklu import POTENTIAL_SCALE_V, StateToleranceSolver, state_atol

__all__ = ["POTENTIAL_SCALE_V", "StateToleranceSolver", "state_atol"]
