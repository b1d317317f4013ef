"""The surface model's Li electrolyte follows the run's temperature (Valøen & Reimers), as
the Li-metal cells' does; the aqueous Zn electrolyte keeps its values (no sourced law).

Until this build a surface run at 253.15 K kept the 298.15 K electrolyte: bare sinusoid
at 1 mA/cm2, minimum surface concentration 994.89 mol/m3 (298.15 K: 994.90); now 516.
"""

from __future__ import annotations

import pytest

from hemcell.workflows.surface import resolve_case


def _valoen_ratios(c_mol_per_L: float, T: float, T_ref: float = 298.15) -> tuple[float, float]:
    """kappa(T)/kappa(T_ref), D(T)/D(T_ref) from eqs. 17 and 14 of Valøen & Reimers 2005."""
    def kappa(t: float) -> float:
        return c_mol_per_L * ((-10.5 + 0.0740 * t - 6.96e-5 * t**2)
                              + c_mol_per_L * (0.668 - 0.0178 * t + 2.80e-5 * t**2)
                              + c_mol_per_L**2 * (0.494 - 8.86e-4 * t)) ** 2

    def diff(t: float) -> float:
        return 10 ** (-4.43 - 54.0 / (t - 229.0 - 5.0 * c_mol_per_L) - 0.22 * c_mol_per_L)

    return kappa(T) / kappa(T_ref), diff(T) / diff(T_ref)


@pytest.mark.parametrize("case", ["bare", "coated"])
def test_li_electrolyte_at_the_run_temperature(case):
    ref = resolve_case(case, "flat").parameters
    cold = resolve_case(case, "flat", temperature_K=253.15).parameters
    k_ratio, d_ratio = _valoen_ratios(ref.bulk_concentration_mol_per_m3 / 1000.0, 253.15)
    assert cold.electrolyte_conductivity_S_per_m == pytest.approx(
        ref.electrolyte_conductivity_S_per_m * k_ratio, rel=1e-12)
    assert cold.electrolyte_diffusivity_m2_per_s == pytest.approx(
        ref.electrolyte_diffusivity_m2_per_s * d_ratio, rel=1e-12)
    assert ref.electrolyte_conductivity_S_per_m == 1.19  # the set's value at 298.15 K
    set_cold = resolve_case(case, "flat", ["ambient_temperature=253.15 K"]).parameters
    assert set_cold.electrolyte_diffusivity_m2_per_s == cold.electrolyte_diffusivity_m2_per_s


def test_zn_electrolyte_keeps_its_values():
    ref = resolve_case("bare", "flat", metal="Zn").parameters
    warm = resolve_case("bare", "flat", temperature_K=318.15, metal="Zn").parameters
    assert warm.electrolyte_conductivity_S_per_m == ref.electrolyte_conductivity_S_per_m
    assert warm.electrolyte_diffusivity_m2_per_s == ref.electrolyte_diffusivity_m2_per_s
