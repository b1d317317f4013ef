"""The solver's forward sensitivities, compiled and interpreted, against central
differences (the referee) on the three-curve rate fit of the single-particle anode.

Compiled, PyBaMM's sensitivities once came out 21x off at one exchange current; the
alloying factor's compiler dependence was removed since (e82167b). Here the compiled
and the interpreted sensitivity models agree to 3e-5 of each column (measured; the
tolerance 1e-3 leaves room for their different floating-point order under the solver's
rtol 1e-6), at the truth and where the curves stop at the 0.01 V cut-off before the data
end. There both disagreed with the differences by up to 9x: past the cut-off the fit
holds the last voltage, the cut-off's, whose derivative is zero, while the solver's
∂V/∂θ at the cut-off was held with it (fixed in FitProblem.solve).
"""

from __future__ import annotations

import numpy as np
import pybamm
import pytest

from hemcell.resources import repo_root
from hemcell.workflows.fit import VOLTAGE, FitProblem, load_spec, use_keyed_compile_cache

SPEC = repo_root() / "examples" / "fits" / "rate_curves_3param.yaml"
#: Central-difference step [decade]: below it the solver's rtol 1e-6 drowns a small
#: column, above it the curvature of the large one shows (measured 1e-3 to 1e-2)
STEP = 1e-3
#: (conversion j0 [A/m**2], intercalation D [m**2/s], conversion product D [m**2/s])
POINTS = {"truth": (1e-3, 1e-16, 1e-17),
          # a slow product shell: every curve stops at 0.01 V long before its data end
          "cut-off reached early": (5.18e-3, 8.41e-16, 3.53e-20)}


@pytest.fixture(scope="module")
def problem():
    return FitProblem(load_spec(SPEC))


def _central(problem, x):
    cols = []
    for j in range(len(x)):
        e = np.zeros(len(x))
        e[j] = STEP
        cols.append((problem.residuals(x + e) - problem.residuals(x - e)) / (2 * STEP))
    return np.column_stack(cols)


def _compiled_problem():
    """The fit problem with its sensitivity models under IDAKLU's compile option (the
    fit itself runs them interpreted), set before they are built."""
    problem = FitProblem(load_spec(SPEC))
    use_keyed_compile_cache()
    for k in range(len(problem.datasets)):
        problem._simulation(k, True)
    for key, sim in list(problem._sims.items()):
        if key[1]:  # a sensitivity model
            solver = pybamm.IDAKLUSolver(rtol=sim.solver.rtol, atol=sim.solver.atol,
                                         output_variables=[VOLTAGE],
                                         options={**sim.solver.options, "compile": True})
            problem._sims[key] = pybamm.Simulation(
                sim.model, parameter_values=sim.parameter_values, var_pts=sim.var_pts,
                submesh_types=sim.submesh_types, solver=solver)
    return problem


@pytest.fixture(scope="module")
def compiled_problem():
    return _compiled_problem()


@pytest.mark.parametrize("point", list(POINTS))
def test_compiled_and_interpreted_sensitivities_agree_with_differences(
        problem, compiled_problem, point):
    x = np.log10(POINTS[point])
    interpreted = problem.jacobian_sens(x)
    compiled = compiled_problem.jacobian_sens(x)
    assert problem.failed == compiled_problem.failed == 0  # a failed solve gives zeros
    assert all(s.solver.options["compile"] for key, s in compiled_problem._sims.items()
               if key[1])
    reference = _central(problem, x)
    norm = np.linalg.norm(reference, axis=0)
    for jac in (interpreted, compiled):
        error = np.linalg.norm(jac - reference, axis=0)
        # every column within 1 % of the Jacobian's scale (its largest column), each
        # column of at least a tenth of that scale within 3 % of itself
        assert np.all(error <= 0.01 * norm.max()), (point, error / norm.max())
        large = norm >= 0.1 * norm.max()
        assert np.all(error[large] <= 0.03 * norm[large]), (point, error / norm)
    between = np.linalg.norm(compiled - interpreted, axis=0)
    assert np.all(between <= 1e-3 * np.linalg.norm(interpreted, axis=0)), between
