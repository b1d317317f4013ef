"""Temperature and typed inputs of surface runs.

A surface run is isothermal at ``ambient_temperature`` (or the temperature a caller
hands over). On a flat, uniform surface at a current far below both the exchange and
the limiting current, the potential of the electrolyte at the Li surface is the linear
kinetic overpotential η = i R_ct with R_ct = RT/(F i0(T)) (α_a + α_c = 1), and
i0(T) = i0(T_ref) exp[−E_a/R (1/T − 1/T_ref)]; so between two temperatures

    η(T₂)/η(T₁) = (T₂/T₁) exp[E_a/R (1/T₂ − 1/T₁)].
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from hemcell.errors import InputError
from hemcell.laws import GAS_CONSTANT_J_PER_MOL_K, arrhenius_factor
from hemcell.surface import kinetics
from tests.surface.conftest import coarse_spec, example_parameters, require_fenicsx, solve


def _surface_potential_V(result) -> float:
    from hemcell.surface.geometry import Facet
    from hemcell.surface.mechanics import _gather_sorted

    tr = result.transport
    x, _, phi = tr.surface_nodal(1, Facet.LI_SURFACE)
    return float(np.mean(_gather_sorted(tr.msh.comm, x, phi)[1]))


def test_flat_kinetic_overpotential_scales_like_rct_of_t():
    """Flat bare Li at 0.1 A/m²: η(263.15 K)/η(298.15 K) = T₂/T₁ · exp[E_a/R (1/T₂ − 1/T₁)].

    Tolerance 1e-4: the arsinh non-linearity ((i/2i₀)²/6 ≈ 2e-6), the salt depletion
    (i/i_lim ≈ 4e-5, entering i₀ to the power γ) and the Newton tolerance are all below.
    """
    require_fenicsx()
    t1, t2, ea = 298.15, 263.15, 29.31e3
    eta = {}
    for t in (t1, t2):
        p = example_parameters(sei_heterogeneity_amplitude=0.0, temperature_K=t,
                               applied_current_density_A_per_m2=0.1)
        result, m = solve(coarse_spec("flat"), p, "bare")
        np.testing.assert_allclose(m["mean_current_density_A_per_m2"], 0.1, rtol=1e-9)
        eta[t] = _surface_potential_V(result)
    expected = t2 / t1 * math.exp(ea / GAS_CONSTANT_J_PER_MOL_K * (1 / t2 - 1 / t1))
    assert eta[t2] / eta[t1] == pytest.approx(expected, rel=1e-4)
    assert expected > 4  # 35 K colder: a much slower interface


def test_ambient_temperature_override_reaches_the_surface_kinetics():
    from hemcell.workflows.surface import resolve_case

    base = resolve_case("coated", "sinusoid").parameters
    cold = resolve_case("coated", "sinusoid", ["ambient_temperature=263.15 K"]).parameters
    assert cold.temperature_K == 263.15
    ratio = (kinetics.mean_exchange_current_density(cold, "coated")
             / kinetics.mean_exchange_current_density(base, "coated"))
    assert ratio == pytest.approx(arrhenius_factor(27.82e3, 263.15, 298.15), rel=1e-12)


@pytest.mark.parametrize("case", ["bare", "coated"])
def test_typed_values_set_current_temperature_and_exchange_current(case):
    """A caller's floats (no --set strings) set the run's current, temperature and i0."""
    from hemcell.workflows.surface import resolve_case

    rc = resolve_case(case, "sinusoid", current_density_A_per_m2=4.0, temperature_K=280.0,
                      exchange_current_A_per_m2=3.5)
    p = rc.parameters
    assert (p.applied_current_density_A_per_m2, p.temperature_K) == (4.0, 280.0)
    assert kinetics.mean_exchange_current_density(p, case) == pytest.approx(3.5, rel=1e-12)
    assert rc.record["typed_inputs"] == {"current_density_A_per_m2": 4.0,
                                         "temperature_K": 280.0,
                                         "exchange_current_A_per_m2": 3.5}
    with pytest.raises(InputError, match="exchange_current"):
        resolve_case(case, "sinusoid", exchange_current_A_per_m2=0.0)
    with pytest.raises(InputError, match="temperature"):
        resolve_case(case, "sinusoid", temperature_K=-1.0)
