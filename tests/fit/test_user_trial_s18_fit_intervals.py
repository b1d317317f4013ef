"""User trial S18: a fitted value's 95 % interval stays inside its bounds.

A `limetal rate` fit to capacities ten times too large stopped at both bounds; its
linear-scale Jacobian interval for `lfp_charged_stoichiometry` (bounds [0.001, 0.4]) was
printed and written to the new set's `range` as [-60.7, 60.71] (a negative
stoichiometry), while the log-scale diffusivity's was "[not bounded]".
"""

from __future__ import annotations

import math

import pytest

from hemcell.workflows.fit import FitParameter, _ci_values


def test_a_linear_interval_is_cut_at_the_bounds():
    par = FitParameter("lfp_charged_stoichiometry", "dimensionless", "dimensionless", 0.08,
                       0.001, 0.4, scale="linear")
    assert _ci_values(par, [-60.7036, 60.7056]) == pytest.approx([0.001, 0.4], rel=1e-12)
    assert _ci_values(par, [0.05, 0.1]) == pytest.approx([0.05, 0.1], rel=1e-12)  # inside
    assert _ci_values(par, [None, math.inf]) == [None, None]  # singular: not bounded


def test_a_log_interval_is_cut_at_the_bounds():
    par = FitParameter("lfp_particle_diffusivity", "m**2/s", "m**2/s", 7e-19, 1e-21, 1e-16)
    lo, hi = _ci_values(par, [-40.0, 400.0])  # decades: 1e-40 and 1e400 (overflow)
    assert lo == pytest.approx(1e-21, rel=1e-9) and hi == pytest.approx(1e-16, rel=1e-9)
