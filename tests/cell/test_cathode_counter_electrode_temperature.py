"""The metal counter electrode of a cathode half cell follows temperature as the HEM anode
half cell's does: one law (hemcell.cell.electrolytes.arrhenius_exchange_current) with
the set's ``li_migration_activation_energy``.

Before, the cathode half cells (and ``eis cathode``) kept the Na/K/Li metal's exchange
current at its 298.15 K value at every temperature: over 15/25/35 degC the PBA half
cell's Na metal R_ct rose with T (2.111, 2.184, 2.257 Ohm, = RT/F / j0) and its fitted
activation energy was -0.0002 kJ/mol, while the same Na metal against the HEM anode
(``cell run --ion Na``) followed 29.31 kJ/mol.
"""

from __future__ import annotations

import math

import pybamm
import pytest

from hemcell.cell.cathodes import cathode_set_si, half_cell_values
from hemcell.cell.electrolytes import J0_METAL
from hemcell.errors import InputError
from hemcell.laws import GAS_CONSTANT_J_PER_MOL_K

C_E = 1000.0  # mol/m3, the NaPF6 electrolyte's initial concentration
COLD_K = 263.15


def _metal_j0(pv: pybamm.ParameterValues, temperature_K: float) -> float:
    c_m = 1.0 / pv["Lithium metal partial molar volume [m3.mol-1]"]
    sym = pv[J0_METAL](pybamm.Scalar(C_E), pybamm.Scalar(c_m), pybamm.Scalar(temperature_K))
    return float(pv.evaluate(sym))


def _at(name: str, temperature_K: float) -> pybamm.ParameterValues:
    si = dict(cathode_set_si(name))
    si["ambient_temperature"] = temperature_K
    return half_cell_values(name, si)


@pytest.mark.parametrize("name", ["cathode_hepba_femnnicuco", "cathode_k_pba_femn"])
def test_the_metal_exchange_current_follows_arrhenius(name):
    """j0(263.15 K) / j0(298.15 K) = exp[-E_a/R (1/T - 1/T_ref)] with the set's
    29.31 kJ/mol (seed 004 L76) to 1e-12; it was 1."""
    si = cathode_set_si(name)
    ea = float(si["li_migration_activation_energy"])
    assert ea == pytest.approx(29310.0)
    t_ref = float(si["reference_temperature"])
    ratio = _metal_j0(_at(name, COLD_K), COLD_K) / _metal_j0(_at(name, t_ref), t_ref)
    expected = math.exp(-ea / GAS_CONSTANT_J_PER_MOL_K * (1 / COLD_K - 1 / t_ref))
    assert ratio == pytest.approx(expected, rel=1e-12)
    assert expected < 0.25  # the change is not small: 0.208 at 263.15 K


def test_the_same_na_metal_in_both_half_cells():
    """Na metal vs a cathode set and vs the HEM anode (``--ion Na``) at 263.15 K: the same
    exchange current (one law, the same value and source) to 1e-12."""
    from hemcell.workflows.anode import prepare_cell

    setup = prepare_cell("hem_half_cell_sp", "heo_rocksalt_mgconicuzn",
                         "Discharge at 0.1 A/g until 0.01 V",
                         overrides=[f"ambient_temperature={COLD_K} K"], ion="Na")
    hem = _metal_j0(setup.parameter_values, COLD_K)
    cathode = _metal_j0(_at("cathode_hepba_femnnicuco", COLD_K), COLD_K)
    assert cathode == pytest.approx(hem, rel=1e-12)


def test_a_cathode_set_without_the_value_is_refused():
    """A user's cathode set lacking it: InputError naming the value (not a KeyError)."""
    si = dict(cathode_set_si("cathode_he_nvpf"))
    del si["li_migration_activation_energy"]
    with pytest.raises(InputError, match="li_migration_activation_energy"):
        half_cell_values("cathode_he_nvpf", si)


def test_set_reaches_the_half_cell_and_is_refused_on_hard_carbon():
    """``--set li_migration_activation_energy`` is read by a cathode half cell (its metal)
    and refused on a hard-carbon full cell, which has no metal electrode."""
    from hemcell.workflows.cathode_half_cell import cathode_values

    si, _ = cathode_values("cathode_he_nvpf", ["li_migration_activation_energy=40 kJ/mol"],
                           "cathode_half_cell_p2d")
    assert si["li_migration_activation_energy"] == pytest.approx(40000.0)
    with pytest.raises(InputError, match="li_migration_activation_energy"):
        cathode_values("cathode_he_nvpf", ["li_migration_activation_energy=40 kJ/mol"],
                       "hc_full_cell_na_nvpf")


def test_eis_cathode_na_metal_resistance_follows_arrhenius():
    """``eis cathode`` (PBA vs Na, as made) at 288.15 and 308.15 K: the model's Na metal
    R_ct ratio is T_hot/T_cold times the exchange currents' Arrhenius ratio to 1e-3 (it
    was T_hot/T_cold alone: R_ct rose 7 % with temperature)."""
    import numpy as np

    from hemcell.workflows.eis import cathode_spectrum

    r = {}
    for t in (288.15, 308.15):
        spec = cathode_spectrum("cathode_half_cell_p2d", "cathode_hepba_femnnicuco", t,
                                np.array([1.0, 10.0]), None)
        r[t] = spec.info["electrode_charge_transfer_resistance_ohm"]["Na metal"]
    ea = 29310.0
    arrhenius = math.exp(-ea / GAS_CONSTANT_J_PER_MOL_K * (1 / 308.15 - 1 / 288.15))
    assert r[308.15] / r[288.15] == pytest.approx(308.15 / 288.15 / arrhenius, rel=1e-3)
