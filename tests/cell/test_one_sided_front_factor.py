"""The one-sided shrinking-core front factor f₊(y) = (y₊ + δ)^(2/3) − δ^(2/3) of the
alloying stages (:func:`hemcell.cell.mechanisms.base.one_sided_front_factor`): the law to
round-off, exactly zero for an exhausted stage, and a model whose results do not depend
on how it is compiled (both powers taken at run time)."""

from __future__ import annotations

import casadi
import mpmath
import numpy as np
import pybamm
import pytest

from hemcell.cell.mechanisms.base import FRONT_REGULARISATION, one_sided_front_factor


def _factor_function() -> casadi.Function:
    """f₊ on CasADi's scalar graph, as the solver evaluates it."""
    y = casadi.MX.sym("y")
    expr = one_sided_front_factor(pybamm.StateVector(slice(0, 1)))
    return casadi.Function("f", [y], [expr.to_casadi(casadi.MX.sym("t"), y)]).expand()


def test_the_factor_is_the_law_to_round_off():
    """f₊ against (y + δ)^(2/3) − δ^(2/3) in 50-digit arithmetic (mpmath) over 14 decades
    of y: within 2 × 10⁻¹⁵ relative or 10⁻¹⁷ absolute (a few ulp of δ^(2/3) = 0.01, what
    the difference of two powers near δ can keep)."""
    f = _factor_function()
    mpmath.mp.dps = 50
    d = mpmath.mpf(FRONT_REGULARISATION)
    for y in np.logspace(-14, 0, 57):
        exact = (mpmath.mpf(float(y)) + d) ** (mpmath.mpf(2) / 3) - d ** (mpmath.mpf(2) / 3)
        got = float(f(float(y)))
        assert got == pytest.approx(float(exact), rel=2e-15, abs=1e-17), y


def test_an_exhausted_stage_has_exactly_zero_factor():
    """y ≤ 0 (an exhausted stage, a solver overshoot below zero) gives 0.0 exactly, also for
    the signed zero and the smallest subnormal: no current times the capped e^40."""
    f = _factor_function()
    for y in (0.0, -0.0, -5e-324, -1e-300, -1e-17, -0.3, -1.0):
        assert float(f(y)) == 0.0
    assert float(f(5e-324)) >= 0.0


def test_compiled_and_interpreted_single_particle_anode_agree(tmp_path, monkeypatch):
    """PyBaMM's ``compile`` option (gcc -O3 of every solver function) and CasADi's virtual
    machine solve the single-particle anode's 0.5 A/g discharge to 0.5 V at 0 degC to the
    same end: with δ^(2/3) a folded constant the compiled run failed at t = 0 there (and at
    24 degC) and ended 2 × 10⁻⁵ away from the interpreted one at 20 degC, the solver's
    rtol being 10⁻⁶. Needs a C compiler (as PyBaMM's option does)."""
    import shutil

    if shutil.which("gcc") is None and shutil.which("cc") is None:
        pytest.skip("no C compiler: PyBaMM's compile option falls back to the interpreter")
    from hemcell.workflows.anode import build_simulation, prepare_cell

    monkeypatch.setenv("PYBAMM_CASADI_AOT_CACHE", str(tmp_path))
    setup = prepare_cell("hem_half_cell_sp", "heo_rocksalt_mgconicuzn",
                         "Discharge at 0.5 A/g until 0.5 V",
                         overrides=["ambient_temperature=0degC"])
    base = build_simulation(setup.recipe, setup.parameter_values, setup.inventory,
                            setup.experiment)
    ends = {}
    for compiled in (False, True):
        solver = pybamm.IDAKLUSolver(rtol=base.solver.rtol, atol=base.solver.atol,
                                     output_variables=["Voltage [V]"],
                                     options={**base.solver.options, "compile": compiled})
        sim = pybamm.Simulation(base.model, parameter_values=base.parameter_values,
                                var_pts=base.var_pts, submesh_types=base.submesh_types,
                                solver=solver, experiment=setup.experiment)
        ends[compiled] = float(sim.solve().t[-1])
    assert ends[False] > 300.0  # the discharge runs (383 s at 0 degC)
    assert ends[True] == pytest.approx(ends[False], rel=1e-8)
