"""User trial s15: a steady current below the bound that still has no steady state.

``hemcell surface seeds --set applied_current_density=214mA/cm^2`` is refused before
solving (the bound zF D c_b/((1 - t+)(H - y_crest)) = 213.6 mA/cm2), but 205 mA/cm2 failed
after 12 load reductions with only "did not converge": the bound is a necessary
condition, and current focusing at the rough surface lowers its own limit below it. The
failure now says how far the load got and how low the salt fell there (seed 1: up to
197.3 mA/cm2, where the lowest concentration was 0.5 % of the bulk).
"""

from __future__ import annotations

import re

import pytest

from hemcell.errors import SimulationError
from hemcell.surface.analytic import steady_limiting_current_bound
from tests.surface.conftest import coarse_spec, example_parameters, require_fenicsx


def test_a_focused_surface_fails_below_the_bound_and_says_the_salt_ran_out():
    """A hemispherical nucleus (focusing ~2) at 0.95 of the bound: the solve reaches a
    fraction of the load whose lowest concentration is below DEPLETED_FRACTION of the
    bulk, and names that current."""
    require_fenicsx()
    from hemcell.surface.solver import DEPLETED_FRACTION
    from tests.surface.conftest import solve

    spec = coarse_spec("nucleus")
    p = example_parameters(sei_heterogeneity_amplitude=0.0)
    bound, _ = steady_limiting_current_bound(p, spec, resolved_coating=False)
    p = p.replace(applied_current_density_A_per_m2=0.95 * bound)
    with pytest.raises(SimulationError) as err:
        solve(spec, p, "bare")
    text = str(err.value)
    load = float(re.search(r"converged up to ([0-9.]+) of the load", text).group(1))
    lowest = float(re.search(r"lowest concentration was ([0-9.]+)%", text).group(1))
    assert 0 < load < 1 and lowest / 100 < DEPLETED_FRACTION
    assert "the salt at the surface runs out" in text
    assert f"({bound / 10:.4g} mA/cm**2)" in text


@pytest.mark.parametrize(("height_m", "refused"), [(1e-9, True), (0.2e-6, True),
                                                   (0.3e-6, False)])
def test_an_electrolyte_thinner_than_three_surface_elements_is_refused(height_m, refused):
    """``--set electrolyte_height=1nm`` ran (flat bare Li, focusing 1.70 against 2.306 at
    25 um): one element of the 0.08 um surface mesh spanned the electrolyte. The gap above
    the crest must hold GAP_ELEMENT_LAYERS elements."""
    from hemcell.errors import InputError
    from hemcell.surface.geometry import GAP_ELEMENT_LAYERS, GeometrySpec

    assert GAP_ELEMENT_LAYERS == 3
    make = dict(kind="flat", electrolyte_height_m=height_m, surface_mesh_size_m=0.08e-6,
                far_mesh_size_m=1e-6, grading_distance_m=5e-6)
    if not refused:
        GeometrySpec(**make)
        return
    with pytest.raises(InputError) as err:
        GeometrySpec(**make)
    assert err.value.field == "electrolyte_height"
    assert err.value.allowed.startswith("at least 0.24 um")
