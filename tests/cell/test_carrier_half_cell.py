"""Na⁺/K⁺ half-cells: own electrolyte, own metal counter electrode, conversion branches
referenced to Na/Na⁺ and K/K⁺ by the Gibbs energies of the conversion products, alloy
capacities from the ion's alloy phases (hemcell.cell.carriers, hemcell.cell.electrolytes)."""

from __future__ import annotations

import numpy as np
import pybamm
import pytest

from hemcell.cell.carriers import apply_carrier_ion
from hemcell.cell.electrolytes import electrolyte_values, metal_molar_volume_m3_per_mol
from hemcell.cell.parameters import inventory_from_si, load_si, pybamm_values
from hemcell.errors import InputError
from hemcell.materials.thermo import conversion_potential_shift_V, gibbs_formation_kJ_per_mol
from hemcell.workflows.anode import run_cell, summarize

F = 96485.33212


def test_conversion_shift_is_the_gibbs_energy_difference():
    """ΔE = [ΔfG(Li2O) − ΔfG(A2O)]/(2F) with the tabulated formation data; the oxide sets
    state exactly these values and every conversion branch moves by them."""
    shift, g = conversion_potential_shift_V, gibbs_formation_kJ_per_mol
    assert shift("O", "Na") == pytest.approx((g("Li2O") - g("Na2O")) * 1e3 / (2 * F))
    assert shift("O", "K") == pytest.approx((g("Li2O") - g("K2O")) * 1e3 / (2 * F))
    assert conversion_potential_shift_V("O", "Li") == 0.0
    li, _ = load_si("heo_rocksalt_mgconicuzn")
    for ion in ("Na", "K"):
        derived = conversion_potential_shift_V("O", ion)
        assert li[f"conversion_potential_shift_{ion.lower()}"] == pytest.approx(derived, abs=1e-4)
        si, _ = load_si("heo_rocksalt_mgconicuzn", ion=ion)
        for el in ("co", "ni", "cu", "zn"):
            for stem in ("conversion_lithiation_potential_", "conversion_delithiation_potential_"):
                assert si[stem + el] - li[stem + el] == pytest.approx(derived, abs=1e-4)
    with pytest.raises(InputError):
        conversion_potential_shift_V("P", "K")  # no sourced K3P formation data


def test_conversion_branch_moves_by_the_derived_shift_in_a_simulation():
    """Fe conversion of the spinel, same kinetics (the set's Na values are Li's), Li vs Na
    at 0.02 A/g: the voltage at half the Fe capacity moves by the thermodynamic shift
    (−0.961 V) within 5 mV (the rest is the Na electrolyte and Na-metal overpotential).
    One sharp branch potential (no spread inherited from the rock salt), so that the Na
    plateau, 0.96 V lower, lies wholly above the 0.01 V cut-off."""
    sets = [
        "conversion_first_lithiation_overpotential=0 V",
        "conversion_branch_potential_spread=0 V",
        "conversion_capacity_co=0 mAh/g",
        "conversion_capacity_ni=0 mAh/g",
    ]
    v_half = {}
    for ion in ("Li", "Na"):
        run = run_cell(
            "hem_half_cell_sp",
            "heo_spinel_lifeznnicomn",
            "Discharge at 0.02 A/g until 0.01 V",
            mechanisms=["conversion"],
            overrides=sets,
            ion=ion,
        )
        q = run.solution["Anode conversion specific capacity [mA.h.g-1]"].entries
        v = run.solution["Voltage [V]"].entries
        q_fe = run.si["conversion_capacity_fe"] / 3600  # mAh/g
        assert q.max() > 0.9 * q_fe
        v_half[ion] = float(np.interp(0.5 * q_fe, q, v))
    derived = conversion_potential_shift_V("O", "Na")
    assert v_half["Na"] - v_half["Li"] == pytest.approx(derived, abs=5e-3)


def test_na_and_k_use_their_electrolyte_and_metal_counter_electrode():
    li, _ = load_si("fes_space_charge", ion="Li")
    na, _ = load_si("fes_space_charge", ion="Na")
    pv_li = pybamm_values(li, inventory_from_si(li))
    pv_na = pybamm_values(na, inventory_from_si(na))
    assert pv_li["Cation transference number"] == pytest.approx(0.38)  # Xu2019 LiPF6
    assert pv_na["Cation transference number"] == pytest.approx(0.45)  # Chayambuka2022 NaPF6
    # periodictable's Li molar volume reproduces Xu2019's 1.3e-5 m3/mol (cross-check of M/ρ)
    assert metal_molar_volume_m3_per_mol("Li") == pytest.approx(1.3e-5, rel=5e-3)
    assert pv_na["Lithium metal partial molar volume [m3.mol-1]"] == pytest.approx(
        metal_molar_volume_m3_per_mol("Na")
    )
    # j0 = k F c_M^0.7 c_e^0.3: same k, so j0(Na)/j0(Li) = (V_Li/V_Na)^0.7 at equal c_e
    j0 = {}
    for ion, pv in (("Li", pv_li), ("Na", pv_na)):
        fn = pv["Exchange-current density for lithium metal electrode [A.m-2]"]
        c_m = 1 / pv["Lithium metal partial molar volume [m3.mol-1]"]
        val = fn(pybamm.Scalar(1000.0), pybamm.Scalar(c_m), pybamm.Scalar(298.15))
        j0[ion] = float(val.evaluate())
    ratio = (1.3e-5 / metal_molar_volume_m3_per_mol("Na")) ** 0.7
    assert float(j0["Na"] / j0["Li"]) == pytest.approx(ratio, rel=1e-3)
    assert electrolyte_values("K")["Cation transference number"] == pytest.approx(0.45)
    # a set written for Na (reference ion Na) gets the Na half-cell without --ion
    na_ref, _ = load_si("fes_space_charge", ["reference_ion_radius=0.102 nm"])
    pv = pybamm_values(na_ref, inventory_from_si(na_ref))
    assert pv["Cation transference number"] == pytest.approx(0.45)


@pytest.mark.parametrize(
    ("ion", "recipe"), [("Na", "hem_half_cell_p2d"), ("K", "hem_half_cell_sp")]
)
def test_na_k_runs_conserve_charge(ion, recipe):
    """A sodiation/desodiation cycle (P2D: electrolyte transport in the Na electrolyte,
    whose salt diffusivity is ~10x below LiPF6's) and a K cycle conserve charge."""
    run = run_cell(
        recipe,
        "fes_space_charge",
        "Discharge at 0.1 A/g until 0.01 V; Charge at 0.1 A/g until 2.5 V",
        ion=ion,
    )
    s, _, _ = summarize(run)
    assert run.error is None
    assert s["carrier_ion"] == ion and ion in s["half_cell"]["counter_electrode"]
    assert s["charge_balance_relative_error"] <= 1e-3


def test_na_p2d_anode_names_the_electrolyte_limit_at_a_high_rate():
    """At 2 A/g the Na electrolyte (NaPF₆, D_e = 2.5e-11 m² s⁻¹) empties the anode's
    pores within seconds: below its conductivity table (150 mol m⁻³) the dilute-limit
    continuation carries the step to depletion, where it ends, and the run reports that
    step and time, keeping it, and how far below the table it went."""
    from hemcell.errors import SimulationError

    run = run_cell("hem_half_cell_p2d", "heo_rocksalt_mgconicuzn",
                   "Discharge at 2 A/g until 0.01 V; Charge at 2 A/g until 3 V", ion="Na")
    assert isinstance(run.error, SimulationError)
    assert "Zero electrolyte concentration cut-off" in str(run.error)
    assert run.error.step.startswith("Discharge at 2 A/g")
    steps = [st for c in run.solution.cycles for st in c.steps]
    assert run.error.time_s == pytest.approx(float(steps[0].t[-1]))
    c_e = steps[0]["Electrolyte concentration [mol.m-3]"].entries
    assert c_e.min() == pytest.approx(0.002, abs=1e-4)
    s, _, _ = summarize(run)
    assert s["electrolyte_lowest_measured_concentration_mol_per_m3"] == 150.0
    assert s["electrolyte_min_concentration_mol_per_m3"] == pytest.approx(c_e.min())
    assert any("below the lowest concentration" in w for w in s["warnings"])


def test_alloy_capacity_follows_the_ions_alloy_phase():
    """Zn has no Na or K alloy phase (elements.yaml): no alloying; In alloys with 2 Na per
    atom (Webb et al. 2014) instead of 13/3 Li."""
    na, _ = load_si("heo_rocksalt_mgconicuzn", ion="Na")
    assert na["alloying_capacity_zn"] == 0 and not inventory_from_si(na).alloying
    li, _ = load_si("mep_ingesip3")
    na, _ = load_si("mep_ingesip3", ion="Na")
    assert na["alloying_capacity_in"] == pytest.approx(li["alloying_capacity_in"] * 2 / (13 / 3))
    assert inventory_from_si(na).alloying == {"In": len(li["alloying_stage_fractions_in"])}


def test_bad_ion_and_missing_shift_and_na_full_cell_are_input_errors():
    with pytest.raises(InputError):
        load_si("heo_rocksalt_mgconicuzn", ion="Cs")
    si = {"reference_ion_radius": 0.076e-9, "conversion_capacity_fe": 1e6}
    with pytest.raises(InputError) as exc:
        apply_carrier_ion(si, "Na")
    assert "conversion_potential_shift_na" in exc.value.hint
    with pytest.raises(InputError):
        run_cell(
            "hem_full_cell_lfp", "heo_rocksalt_mgconicuzn", "Charge at C/10 until 3.6 V", ion="Na"
        )


def test_k_electrolyte_is_the_stated_na_stand_in_with_its_measured_range():
    """No K⁺ transport is sourced (carrier_ions.yaml: Dhir 2023/2024 stored without their
    data), so K runs in Chayambuka's NaPF₆/EC:PC, labelled ``assumed`` in run.json, with
    the same measured range (150 mol m⁻³ its lowest point) and continuation below it."""
    from hemcell.cell.electrolytes import describe, lowest_tabulated_concentration

    k, na = electrolyte_values("K"), electrolyte_values("Na")
    for name in ("Electrolyte conductivity [S.m-1]", "Electrolyte diffusivity [m2.s-1]"):
        for c_e in (200.0, 1000.0, 1800.0):
            args = (pybamm.Scalar(c_e), pybamm.Scalar(298.15))
            assert np.asarray(k[name](*args).evaluate()).item() == pytest.approx(
                np.asarray(na[name](*args).evaluate()).item(), rel=1e-12)
    assert k["Thermodynamic factor"] == na["Thermodynamic factor"] == 1
    label = describe("K")
    assert label["electrolyte_source"].startswith("assumed")
    assert "NaPF6" in label["electrolyte"]
    pv = pybamm.ParameterValues("Chayambuka2022")
    pv.update(k, check_already_exists=False)
    assert lowest_tabulated_concentration(pv) == pytest.approx(150.0)
