"""The intercalation current in its mass-action form is the Butler-Volmer sinh form inside
(0, 1) and stays finite and restoring past the particle's ends
(:mod:`hemcell.cell.mechanisms.intercalation`; Bazant, Acc. Chem. Res. 46 (2013) 1144)."""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np
import pybamm
import pytest

from hemcell.cell.mechanisms import base
from hemcell.cell.mechanisms.intercalation import Intercalation
from hemcell.cell.parameters import intercalation_j0, intercalation_ocp

C_MAX = 3.0e4  # mol/m3, any
J0_REF = 2.5  # A/m2 at c_e = c_e,ref, any
C_E = 800.0  # mol/m3
T = 318.15  # K, away from the reference so the Arrhenius factor and the T in U both act
#: The mechanism's constants (PyBaMM's) as numbers.
F = float(base.F.evaluate())
R_GAS = float(base.R_GAS.evaluate())


def _mechanism():
    j0 = intercalation_j0(J0_REF, 1000.0, 30e3, 298.15)
    mech = Intercalation.__new__(Intercalation)
    mech.pp = SimpleNamespace(c_max=pybamm.Scalar(C_MAX),
                              j0=lambda c_e, c_s, T: j0(c_e, c_s, C_MAX, T))
    return mech, j0


def _current(mech, sto: float, eta: float) -> float:
    return float(mech._mass_action_current(pybamm.Scalar(C_E), pybamm.Scalar(sto),
                                           pybamm.Scalar(eta), pybamm.Scalar(T)).evaluate())


@pytest.mark.parametrize("sto", [1e-6, 0.01, 0.3, 0.5, 0.9, 0.9998, 1 - 1e-8])
@pytest.mark.parametrize("eta", [-0.3, -0.02, 0.0, 0.005, 0.25])
def test_inside_the_particle_it_is_the_sinh_form(sto, eta):
    """2 j0(theta) sinh(F eta / 2RT) with j0 = j0~ 2 (theta (1 - theta))^1/2, for any eta
    (any U: the identity does not need the ideal-solution OCP), to round-off: 1 − θ
    carries eps/(1 − θ) relative rounding (5.5e-9 at θ = 1 − 1e-8), which the two forms
    round differently."""
    mech, j0 = _mechanism()
    sinh_form = 2 * float(j0(C_E, sto * C_MAX, C_MAX, T).evaluate()) * math.sinh(
        F * eta / (2 * R_GAS * T))
    rel = 1e-12 + 4 * np.finfo(float).eps / min(sto, 1 - sto)
    assert _current(mech, sto, eta) == pytest.approx(sinh_form, rel=rel, abs=1e-14)


def test_with_the_ideal_solution_ocp_it_is_smooth_through_a_full_particle():
    """At fixed electrode potential, with the sets' OCP (ideal-solution term), the current
    is a smooth function of theta through theta = 1: delithiating (> 0) and finite past
    c_max, where the sinh form's j0 is 0 (PyBaMM clips c_s to c_max) and the particle could
    not empty again; its slope stays bounded where (theta (1 - theta))^1/2 has none."""
    mech, _ = _mechanism()
    ocp = intercalation_ocp(0.4, 0.2, 298.15)
    dphi = 0.05  # V

    def current(sto: float) -> float:
        # U as PyBaMM forms it at T: U_ref(θc) + (T − T_ref) ∂U/∂T(θc), θc clipped to [tol, 1 − tol]
        tol = pybamm.settings.tolerances["U__c_s"]
        sc = min(max(sto, tol), 1 - tol)
        u = float(ocp(pybamm.Scalar(sc)).evaluate()) + (T - 298.15) * R_GAS / F * math.log(
            (1 - sc) / sc)
        return _current(mech, sto, dphi - u)

    stos = np.array([0.999, 0.9999, 1 - 1e-6, 1 - 1e-9, 1.0, 1 + 1e-9, 1 + 1e-7, 1 + 1e-5])
    j = np.array([current(s) for s in stos])
    assert np.all(np.isfinite(j))
    assert j[-1] > 0 and j[-2] > 0  # past c_max: the particle delithiates
    slopes = np.diff(j) / np.diff(stos)
    assert np.all(np.isfinite(slopes))
    assert np.ptp(slopes[2:]) < 1e-3 * np.max(np.abs(slopes[2:]))  # ~linear through θ = 1
