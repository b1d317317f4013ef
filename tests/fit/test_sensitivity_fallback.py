"""A failed sensitivity solve does not stop a fit at its initial value: that Jacobian is
taken by differences, counted in ``fit.json`` (docs/fitting.md, "Jacobian")."""

from __future__ import annotations

import math

import pybamm

from hemcell.workflows import fit as fit_module
from tests.fit.test_fit import J0, write_spec


def test_a_failed_sensitivity_solve_falls_back_to_differences(tmp_path, monkeypatch):
    """Every sensitivity solve fails (provoked); the fit still moves from 3e-3 to the
    synthetic curve's 1e-3 A/m2 (within 0.05 decade, as the recovery test) and says how
    many Jacobians it took by differences. Before, the zero rows gave a zero gradient and
    the fit "converged" at 3e-3."""
    plain = fit_module.FitProblem.solve

    def solve(self, x, k, sensitivities=()):
        if sensitivities:
            raise pybamm.SolverError("IDA_ERR_FAIL (provoked)")
        return plain(self, x, k, sensitivities)

    monkeypatch.setattr(fit_module.FitProblem, "solve", solve)
    spec = fit_module.load_spec(write_spec(
        tmp_path, {"conversion_exchange_current_density": J0},
        objective={"noise": {"sigma": "5 mV"}, "jacobian": "sensitivities"}))
    record = fit_module.result_record(fit_module.fit(spec, profiles=False))
    value = record["parameters"]["conversion_exchange_current_density"]["value"]
    assert abs(math.log10(value) - math.log10(1e-3)) < 0.05
    assert record["jacobian"]["method"] == "sensitivities"
    assert record["jacobian"]["by_differences_after_a_failed_sensitivity_solve"] >= 1
