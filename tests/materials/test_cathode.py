"""Cathode inventory (``hemcell composition --role cathode``): formula grammar for cathodes,
charge balance over the couples, Faraday capacities checked by hand and against published
numbers, refusals with exit 2, and the review validation's data."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from hemcell.cli.main import main
from hemcell.errors import InputError
from hemcell.laws import FARADAY_C_PER_MOL
from hemcell.materials.cathode import (
    JSON_KEYS,
    REVIEW_TABLES,
    REVIEW_TOLERANCE_RELATIVE,
    cathode_inventory,
    couples_data,
    review_predictions,
    review_rows,
)
from hemcell.materials.elements import atomic_mass_g_per_mol
from hemcell.materials.formula import parse_formula
from hemcell.validation.cases import load_case

F = FARADAY_C_PER_MOL  # C/mol (hemcell.laws: scipy.constants, CODATA)
REPO = Path(__file__).resolve().parents[2]


def mAh_per_g(electrons: float, molar_mass: float) -> float:
    return electrons * F / 3.6 / molar_mass


def molar_mass(**atoms: float) -> float:
    return sum(n * atomic_mass_g_per_mol(el) for el, n in atoms.items())


# ----------------------------------------------------------------- formula grammar
def test_fractions_vacancies_and_crystal_water_parse():
    f = parse_formula("Na2/3Li1/6Fe1/6Co1/6Ni1/6Mn1/3O2")
    assert f.amounts["Na"] == pytest.approx(2 / 3) and f.amounts["Mn"] == pytest.approx(1 / 3)
    pba = parse_formula("Na1.19(Fe0.2Mn0.2Ni0.2Cu0.2Co0.2)[Fe(CN)6]0.79□0.21·1.16H2O")
    assert pba.vacancies == {"after_2": pytest.approx(0.21)}
    assert pba.hydrate == {"H": pytest.approx(2.32), "O": pytest.approx(1.16)}
    assert pba.amounts["O"] == pytest.approx(1.16)  # water counts in the molar mass
    assert pba.amounts["C"] == pytest.approx(6 * 0.79)
    layered = parse_formula("Na0.7(Ni0.3Mn0.6Vac0.1)O2")
    assert layered.vacancies == {"group_0": pytest.approx(0.1)} and not layered.notes


@pytest.mark.parametrize(("text", "what"), [
    ("Na2/0MnO2", "non-zero denominator"),
    ("□0.2NaMnO2", "after the site"),
    ("NaMnO2·", "crystal water after"),
])
def test_bad_cathode_formulas(text, what):
    with pytest.raises(InputError, match=what):
        parse_formula(text)


# ----------------------------------------------------------------- charge balance, capacity
def test_nvpf_two_vanadium_electrons_give_128_mAh_per_g():
    """Na3V2(PO4)2F3: V3+ -> V4+ on both V, 2 Na out of 3 (Yan et al. 2019: 128 mAh/g)."""
    inv = cathode_inventory("Na3V2(PO4)2F3", ion="Na", window="2.0,4.3")
    m = molar_mass(Na=3, V=2, P=2, O=8, F=3)
    assert inv["structure"] == "fluorophosphate"
    assert inv["oxidation_states"]["V"] == pytest.approx(3.0)
    assert inv["capacity_mAh_per_g"]["window"] == pytest.approx(mAh_per_g(2, m), rel=1e-9)
    assert inv["capacity_mAh_per_g"]["window"] == pytest.approx(128, abs=0.5)
    assert inv["capacity_mAh_per_g"]["carrier_limit"] == pytest.approx(mAh_per_g(3, m))
    # between the two plateaus (3.7 V and 4.15 V) only the lower one is active
    half = cathode_inventory("Na3V2(PO4)2F3", window="2.0,3.9")
    assert half["capacity_mAh_per_g"]["window"] == pytest.approx(mAh_per_g(1, m), rel=1e-9)
    assert half["active_couples"] == ["V3+/V3.5+"]


def test_nani05mn05o2_against_the_published_2_2_to_3_8_V_capacity():
    """O3-NaNi0.5Mn0.5O2 delivers 105-125 mAh/g in 2.2-3.8 V (Inorg. Chem. 51 (2012) 6211).

    By hand: pristine Ni2+ Mn4+ (Mn3+/4+ lies lowest, it is oxidised first); the Mn4+
    beside Ni stays 4+ (couples.yaml rules.pristine_kept), a pillar. Charge to 3.8 V
    empties Ni2+/Ni3+ (0.5 e). Discharge to 2.2 V returns 0.5·(1 − 0.2/1.8) = 0.444 e
    from Ni (range 2.0-3.8 V), below the 1 − 0.5 = 0.5 Na that would fit back.
    """
    inv = cathode_inventory("NaNi0.5Mn0.5O2", window=(2.2, 3.8))
    m = molar_mass(Na=1, Ni=0.5, Mn=0.5, O=2)
    assert inv["oxidation_states"] == {"Na": 1.0, "Mn": 4.0, "Ni": 2.0}
    assert inv["roles"]["Mn"] == ["inactive"]
    q = inv["capacity_mAh_per_g"]["window"]
    assert q == pytest.approx(mAh_per_g(0.5 * (1 - 0.2 / 1.8), m), rel=1e-9)
    assert 105 <= q <= 125
    assert inv["window"]["discharge_limited_by"] == "redox"


def test_p2_ni_mn_oxide_theoretical_capacity():
    """P2-Na2/3Ni1/3Mn2/3O2: Ni2+, Mn4+, theoretical 172 mAh/g (Risthaus et al. 2018)."""
    inv = cathode_inventory("Na2/3Ni1/3Mn2/3O2")
    assert inv["oxidation_states"]["Ni"] == pytest.approx(2.0)
    assert inv["oxidation_states"]["Mn"] == pytest.approx(4.0)
    assert inv["capacity_mAh_per_g"]["carrier_limit"] == pytest.approx(172, abs=1)
    assert inv["capacity_mAh_per_g"]["window"] is None


def test_pba_both_iron_sites_and_crystal_water():
    """Na2Mn[Fe(CN)6]: Mn2+/Mn3+ and low-spin Fe2+/Fe3+, 2 e -> 171 mAh/g anhydrous;
    crystal water only adds mass."""
    dry = cathode_inventory("Na2Mn[Fe(CN)6]", window="2.0,4.2")
    m = molar_mass(Na=2, Mn=1, Fe=1, C=6, N=6)
    assert dry["structure"] == "pba"
    assert dry["oxidation_states"] == {"Na": 1.0, "Mn": 2.0, "Fe(C)": 2.0}
    assert dry["capacity_mAh_per_g"]["window"] == pytest.approx(mAh_per_g(2, m), rel=1e-9)
    assert dry["capacity_mAh_per_g"]["window"] == pytest.approx(171, abs=1)
    wet = cathode_inventory("Na2Mn[Fe(CN)6]·2H2O", window="2.0,4.2")
    ratio = wet["capacity_mAh_per_g"]["window"] / dry["capacity_mAh_per_g"]["window"]
    assert ratio == pytest.approx(m / (m + molar_mass(H=4, O=2)), rel=1e-9)


def test_crystal_water_is_neutral_in_every_class():
    """Water adds mass, not charge: the same states with and without ·nH2O."""
    for formula in ("NaNi0.5Mn0.5O2", "Na3V2(PO4)3", "Na2Mn[Fe(CN)6]"):
        dry = cathode_inventory(formula)
        wet = cathode_inventory(f"{formula}·0.5H2O")
        assert wet["oxidation_states"] == pytest.approx(dry["oxidation_states"])
        assert wet["molar_mass_g_per_mol"] == pytest.approx(
            dry["molar_mass_g_per_mol"] + molar_mass(H=1, O=0.5))


def test_he_pba_entropy_matches_the_reported_1_61_R():
    """Ma's HE-PBA, five equal M on the N site: ΔS_config = 1.61 R (seed 002 L251)."""
    inv = cathode_inventory("Na1.19(Fe0.2Mn0.2Ni0.2Cu0.2Co0.2)[Fe(CN)6]0.79□0.21·1.16H2O")
    s = inv["config_entropy_per_R"]
    assert s["tm"] == pytest.approx(math.log(5), abs=1e-4)
    assert s["tm"] == pytest.approx(1.61, abs=0.005)
    assert s["complex"] == pytest.approx(-(0.79 * math.log(0.79) + 0.21 * math.log(0.21)))
    assert inv["entropy_class"] == "high"
    assert inv["roles"]["Ni"] == ["inactive"] and inv["roles"]["Fe(C)"] == ["redox"]


def test_window_capacity_never_exceeds_its_limits():
    """First charge ≤ carrier and redox limits; first discharge ≤ what the sites hold."""
    for table in REVIEW_TABLES:
        for row in review_predictions(table)["rows"].values():
            if row["status"] == "not predicted":
                continue
            inv = cathode_inventory(row["formula"], window=tuple(row["window_V"]), strict=False)
            q = inv["capacity_mAh_per_g"]
            assert q["window_first_charge"] <= q["carrier_limit"] + 1e-9
            assert q["window_first_charge"] <= q["redox_limit"] + 1e-9
            room = inv["carrier_sites"]["max"] * q["carrier_limit"] / inv["amounts"]["Na"]
            assert q["window"] <= room - (q["carrier_limit"] - q["window_first_charge"]) + 1e-9


def test_every_couple_and_pillar_has_a_source():
    for name, cls in couples_data()["classes"].items():
        assert cls["carrier_sites"]["source"], name
        for c in cls["couples"]:
            assert c["E_low_V"] < c["E_high_V"] and c["to"] > c["from"] and c["source"], c
        for el, p in cls["pillars"].items():
            assert p["source"], (name, el)


# ----------------------------------------------------------------- refusals
@pytest.mark.parametrize(("args", "expected"), [
    (["NaNi0.5Mn0.5O2", "--role", "cathode", "--ion", "K"],
     "this cathode carries Na+ and an electrolyte of K+ lacks it"),
    (["NaNi0.5Mn0.5O2", "--role", "cathode", "--window", "0,1.2"], "within 1.4-4.5 V"),
    (["NaNi0.5Mn0.5O2", "--role", "cathode", "--window", "4,2"], "LO < HI"),
    (["LiNi0.5Mn0.5O2", "--role", "cathode", "--ion", "Li", "--window", "2,4"],
     "couple potentials are sourced vs Na+/Na and shifted only where a shift is sourced"),
    (["NaTiO2", "--role", "cathode"], "net charge +1"),
    (["Na1.41Mn0.32Fe0.11Co0.28Ni0.32Cu0.32[Fe(CN)6]·2.89H2O", "--role", "cathode"],
     "net charge +0.11"),
    (["NaPbO2", "--role", "cathode"], "couple or a pillar entry for layered"),
    (["Ni0.5Mn0.5O2", "--role", "cathode"], "written carrier first"),
    (["NaNi0.5Mn0.5O2", "--role", "cathode", "--inactive", "Mn"], "nothing with --role cathode"),
    (["MgO", "--window", "2,4"], "only with --role cathode"),
])
def test_bad_cathode_input_exits_2_with_the_reason(args, expected, capsys):
    assert main(["composition", *args]) == 2
    assert expected in capsys.readouterr().err


def test_over_full_site_is_refused_strict_and_flagged_for_the_review():
    formula = "Na0.8Li0.17Mg0.12Ni0.05Mn0.66Ti0.10O2"  # metal site 1.10 (a bracketed
    # site this full is already refused by the parser)
    with pytest.raises(InputError, match=r"redox-metal site sums to 1\.1"):
        cathode_inventory(formula)
    inv = cathode_inventory(formula, strict=False)
    assert any("inconsistent stoichiometry" in f for f in inv["flags"])


# ----------------------------------------------------------------- command line
def test_json_prints_exactly_the_cathode_keys(capsys):
    assert main(["composition", "Na3V2(PO4)3", "--role", "cathode", "--window", "2.5,3.8",
                 "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert tuple(out) == JSON_KEYS
    assert set(out["capacity_mAh_per_g"]) >= {"carrier_limit", "redox_limit", "window"}
    # NASICON V3+/V4+ at 3.4 V, 2 Na of 3 (117.6 mAh/g, litcath 1e)
    assert out["capacity_mAh_per_g"]["window"] == pytest.approx(117.6, abs=0.3)


def test_review_command_writes_every_row(tmp_path, capsys):
    assert main(["composition", "--review", "pba", "--out", str(tmp_path)]) == 0
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert set(summary["rows"]) == {r["id"] for r in review_rows()["pba"]}
    r5 = summary["rows"]["T2_r05"]
    assert r5["status"] == "not predicted" and "1.4-4.5 V" in r5["reason"]
    assert (tmp_path / "cathode_capacity_vs_review.png").is_file()


# ----------------------------------------------------------------- review data and cases
def test_review_tables_hold_the_30_rows_and_their_flags():
    rows = review_rows()
    assert [len(rows[t]) for t in REVIEW_TABLES] == [13, 8, 9]
    flagged = {r["id"] for t in REVIEW_TABLES for r in rows[t] if r.get("flag")}
    assert flagged == {"T1_r04", "T1_r07", "T1_r11", "T2_r04", "T2_r05", "T3_r08"}


@pytest.mark.parametrize("table", REVIEW_TABLES)
def test_case_targets_are_the_table_values(table):
    case = load_case(REPO / "validation" / f"cathode_{table}_initial_capacity" / "case.yaml")
    reported = {r["id"]: r["reported_mAh_per_g"] for r in review_rows()[table]}
    assert case.kind == "held-out"
    for comp in case.compare:
        rid = comp.key.split("/")[1]
        assert comp.target == reported[rid]
        assert comp.tolerance_kind == "relative"
        assert comp.tolerance == REVIEW_TOLERANCE_RELATIVE
    compared = {c.key.split("/")[1] for c in case.compare}
    not_compared = set(reported) - compared
    for rid in not_compared:  # only rows the command cannot predict, and they say so
        assert review_predictions(table)["rows"][rid]["status"] == "not predicted"
        assert rid in case.description
