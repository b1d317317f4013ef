"""User trial U18: the phase field's refusals speak the user's units and names.

- ``--coating-model region`` with a current above the limit was refused with the
  electrolyte gap's limit and formula (the set's interface form was checked before the
  option was applied); the layer's limit is the one that applies.
- ``--set applied_current_density=400mA/cm2`` echoed ``got 4000.0`` and the limit
  ``< 2.95e+03 A/m**2``; now both in mA/cm**2 and A/m**2 with the values of the formula.
- the layer's field limit named ``coating_conductivity`` (the --set name is
  ``coating_ionic_conductivity``) with ``got 0.001``; a region coating too thin echoed
  ``got 2.8000000000000003e-08``.
"""

from __future__ import annotations

import pytest

from hemcell.errors import InputError
from hemcell.workflows.phasefield import resolve_phasefield


def test_region_option_is_checked_as_a_region():
    with pytest.raises(InputError) as err:
        resolve_phasefield("coated", "Li", ["coating_thickness=3um",
                                            "coating_ionic_conductivity=1S/m",
                                            "applied_current_density=400mA/cm^2"],
                           duration_s=1.0, coating_model="region")
    assert err.value.field == "applied_current_density"
    assert "h_c/D_c + gap/D" in err.value.allowed and "h_c = 3 um" in err.value.allowed


def test_a_region_run_below_the_layer_limit_resolves_as_a_region():
    p, record = resolve_phasefield("coated", "Li", ["coating_thickness=3um",
                                                    "coating_ionic_conductivity=1S/m"],
                                   duration_s=1.0, coating_model="region")
    assert p.coating_region and record["coating_model"] == "region"


def test_the_limit_is_echoed_in_the_users_units_with_its_values():
    with pytest.raises(InputError) as err:
        resolve_phasefield("bare", "Li", ["applied_current_density=400mA/cm^2"],
                           duration_s=1.0)
    assert err.value.value == "400 mA/cm**2 (4000 A/m**2)"
    allowed = err.value.allowed
    assert allowed.startswith("below the limiting current 294.8 mA/cm**2 (2948 A/m**2)")
    for text in ("z = 1", "c_b = 1000 mol/m**3", "t+ = 0.38", "D = 3.22e-10 m**2/s",
                 "gap = 17 um", "T = 298.15 K"):
        assert text in allowed


def test_a_thin_region_coating_is_echoed_in_nm():
    with pytest.raises(InputError) as err:
        resolve_phasefield("coated", "Li", [], duration_s=1.0, coating_model="region")
    assert err.value.field == "coating_thickness"
    assert err.value.value == "28 nm" and err.value.allowed.startswith(">= 2197 nm")


def test_a_collapsed_step_says_what_to_change():
    """`--control potentiostatic --set applied_potential=2V` ended in 'phase-field step
    below 1e-08 s at t = 0.000125 s (last SNES reason DIVERGED_MAX_IT)' with no hint."""
    from hemcell.surface.phasefield import _step_failure_hint
    from tests.surface.phasefield_case import pf_parameters

    p = pf_parameters(control="potentiostatic", applied_potential_V=2.0)
    hint = _step_failure_hint(p)
    assert "applied_potential = 2000 mV" in hint and "77.8 RT/F" in hint
    assert f"{p.limiting_current_A_per_m2:.4g} A/m**2" in hint
    assert "a lower current" in _step_failure_hint(pf_parameters())
