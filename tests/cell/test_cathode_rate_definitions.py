"""Definitions of the rate cases (docs/cathodes.md, "Rate-case definitions and electrode design").

Each ``validation/cathode_rate_*`` case turns the table's rate into a current per gram of
active material, discharges over the table's window after a slow charge, and runs the set
made from the table's composition. These checks tie the case commands to the rows of
seed 002 (``review_he_sib_cathodes.yaml``) so that neither side can drift:

- C-rates: 1C is the row's initial capacity per hour (assumed and stated in the cases),
  so 50C of NVPF (118.5 mA h g⁻¹) is 5.925 A g⁻¹ and 2C of the O3 oxide (90.4) 0.1808 A g⁻¹;
  the charge runs at C/10 of the same basis. The PBA row gives its rate in A g⁻¹ (0.1),
  charged at 0.01 A g⁻¹ (seed 003 L516–L527).
- cut-offs: the row's window, which is also the set's window;
- composition: the set's molar mass and Na content are those of the row's formula as
  printed, vacancies and crystal water included (the PBA: 0.21 [Fe(CN)₆] vacancies,
  1.16 H₂O);
- "A/g": a per-gram current acts on the set's active mass ρ ε_s L A.

No solve; < 1 s.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from hemcell.materials.cathode import cathode_inventory, review_rows
from hemcell.params.parameter_set import load_parameter_set
from hemcell.validation.cases import load_case

pybamm = pytest.importorskip("pybamm")

VALIDATION = Path(__file__).resolve().parents[2] / "validation"

#: case → (set, table, row id, discharge rate in C of the row's capacity or None for A/g,
#: the table's A/g rate when it gives one, the charge current in A/g when it is not C/10)
CASES = {
    "cathode_rate_nvpf": ("cathode_he_nvpf", "polyanion", "T3_r01", 50.0, None, None),
    "cathode_rate_o3": ("cathode_he_o3_fecontisnli", "layered", "T1_r11", 2.0, None, None),
    "cathode_rate_pba": ("cathode_hepba_femnnicuco", "pba", "T2_r02", None, 0.1, 0.01),
}

_STEP = re.compile(r"(?P<kind>Charge|Discharge) at (?P<amps>[0-9.eE+-]+) A/g "
                   r"until (?P<volts>[0-9.]+) V")


def _row(table: str, row_id: str) -> dict:
    return next(r for r in review_rows()[table] if r["id"] == row_id)


def _steps(case_name: str) -> dict[str, tuple[float, float]]:
    case = load_case(VALIDATION / case_name / "case.yaml")
    protocol = case.command[case.command.index("--protocol") + 1]
    steps = {m["kind"]: (float(m["amps"]), float(m["volts"]))
             for m in _STEP.finditer(protocol)}
    assert set(steps) == {"Charge", "Discharge"}, protocol
    return steps


@pytest.mark.parametrize("case_name", sorted(CASES))
def test_rate_case_currents_follow_the_stated_c_rate_basis(case_name):
    """Discharge current = rate × the row's capacity (or the row's A/g); charge = C/10."""
    _, table, row_id, c_rate, a_per_g, charge_a_per_g = CASES[case_name]
    row = _row(table, row_id)
    steps = _steps(case_name)
    one_c_A_per_g = row["reported_mAh_per_g"] / 1000.0  # 1C = the row's capacity per hour
    if c_rate is not None:
        assert steps["Discharge"][0] == pytest.approx(c_rate * one_c_A_per_g, rel=1e-12)
        assert steps["Charge"][0] == pytest.approx(one_c_A_per_g / 10, rel=1e-12)
    else:
        assert steps["Discharge"][0] == pytest.approx(a_per_g, rel=1e-12)
        assert steps["Charge"][0] == pytest.approx(charge_a_per_g, rel=1e-12)


@pytest.mark.parametrize("case_name", sorted(CASES))
def test_rate_case_cut_offs_are_the_rows_window_and_the_sets(case_name):
    set_name, table, row_id, *_ = CASES[case_name]
    lo, hi = _row(table, row_id)["window_V"]
    steps = _steps(case_name)
    assert (steps["Discharge"][1], steps["Charge"][1]) == (lo, hi)
    p = load_parameter_set(set_name).parameters
    assert (p["cathode_lower_cutoff_potential"].si_value,
            p["cathode_upper_cutoff_potential"].si_value) == (lo, hi)


@pytest.mark.parametrize("case_name", sorted(CASES))
def test_rate_set_is_the_rows_composition_with_vacancies_and_water(case_name):
    """Molar mass and Na content of the set = the inventory of the row's formula."""
    set_name, table, row_id, *_ = CASES[case_name]
    row = _row(table, row_id)
    inv = cathode_inventory(row.get("formula", row["printed"]), ion="Na", strict=False)
    p = load_parameter_set(set_name).parameters
    assert p["cathode_molar_mass"].si_value * 1000 == pytest.approx(
        inv["molar_mass_g_per_mol"], rel=1e-6)
    assert p["cathode_initial_carrier_content"].si_value == pytest.approx(
        inv["amounts"]["Na"], rel=1e-9)


def test_pba_formula_carries_the_vacancies_and_water_of_the_row():
    """0.79 [Fe(CN)₆] + 0.21 □ and 1.16 H₂O: M = 274.09 g mol⁻¹, 18 % of it water and Na."""
    row = _row("pba", "T2_r02")
    assert "[Fe(CN)6]0.79□0.21·1.16H2O" in row["printed"]
    dry = cathode_inventory("Na1.19(Fe0.2Mn0.2Ni0.2Cu0.2Co0.2)[Fe(CN)6]0.79□0.21",
                            ion="Na", strict=False)["molar_mass_g_per_mol"]
    wet = cathode_inventory(row["printed"], ion="Na", strict=False)["molar_mass_g_per_mol"]
    water_g_per_mol = wet - dry
    assert water_g_per_mol == pytest.approx(1.16 * 18.015, rel=1e-3)
    m = load_parameter_set("cathode_hepba_femnnicuco").parameters["cathode_molar_mass"]
    assert m.si_value * 1000 == pytest.approx(wet, rel=1e-6)


def test_per_gram_current_acts_on_the_sets_active_mass():
    """'0.1 A/g' becomes 0.1 A × (ρ ε_s L A in g) in the experiment the half cell runs."""
    from hemcell.cell.cathodes import cathode_mass_g, cathode_set_si, half_cell_values
    from hemcell.cell.protocols import build_experiment

    si = cathode_set_si("cathode_hepba_femnnicuco")
    pv = half_cell_values("cathode_hepba_femnnicuco", si)
    mass_g = cathode_mass_g(si, pv)
    expected_g = (si["cathode_active_material_density"]
                  * si["cathode_active_material_volume_fraction"]
                  * si["cathode_thickness"] * pv["Electrode height [m]"]
                  * pv["Electrode width [m]"] * 1000)
    assert mass_g == pytest.approx(expected_g, rel=1e-12)
    _, steps = build_experiment("Discharge at 0.1 A/g until 2.0 V", mass_g)
    amps = float(re.match(r"Discharge at ([0-9.eE+-]+) A", steps[0]).group(1))
    assert amps == pytest.approx(0.1 * mass_g, rel=1e-9)
