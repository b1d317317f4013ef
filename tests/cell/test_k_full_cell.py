"""K cells with the potassium Prussian-blue analogue of seed 000 (L809-811).

The cathode K1.47Fe0.5Mn0.5[Fe(CN)6]1.26·H2O (set ``cathode_k_pba_femn``) against a HEM
anode (``--ion K``) and against K metal. Coarse meshes keep every solve to a few seconds;
the checks are the composition inventory by hand, charge conservation, the N/P logic
(the smaller electrode limits the charge), the K⁺/K scale shift of the couples, the
temperature dependence, a sweep, and the refusals."""

from __future__ import annotations

import numpy as np
import pytest

from hemcell.cell.recipes import Recipe
from hemcell.errors import InputError
from hemcell.laws import FARADAY_C_PER_MOL
from tests.cell.conftest import assert_full_cell_conserves_carrier

KPBA = "cathode_k_pba_femn"
FORMULA = "K1.47Fe0.5Mn0.5[Fe(CN)6]1.26·H2O"
ANODE = "heo_rocksalt_mgconicuzn"
COARSE = {"x_n": 5, "x_s": 3, "x_p": 5, "r_n": 5, "r_p": 6}
#: Faraday capacity of one electron per gram-mole [mAh g⁻¹ · g mol⁻¹], F / 3.6.
ONE_E_MAH_G_MOL = FARADAY_C_PER_MOL / 3.6


def _full(n_p_ratio: float = 1.1, mechanisms=("intercalation", "conversion")) -> Recipe:
    return Recipe(f"test_k_{n_p_ratio}", cell="full", geometry="p2d", mechanisms=mechanisms,
                  mesh=COARSE, solver={"rtol": 1e-7, "atol": 1e-9}, cathode=KPBA,
                  n_p_ratio=n_p_ratio)


def _run_full(protocol: str, **kw):
    from hemcell.workflows.anode import run_cell

    run = run_cell(_full(**kw), ANODE, protocol, ion="K")
    assert run.error is None
    return run


# ----------------------------------------------------------------- composition
def test_composition_of_the_seed_k_pba_by_hand():
    """Read per [Fe(CN)6] (÷ 1.26): K 7/6, N site Fe 0.3968 + Mn 0.3968 + 0.2063 vacancies,
    0.7937 H2O. Charge balance: 7/6 + 2·0.7937 + 2 − 6 = −1.246 must be oxidised, lowest
    couples first: N-site Fe fully (0.3968), C-site Fe 0.8492 of 1. First charge to 4.2 V
    vs K⁺/K: the rest of Fe(C) and all Mn, 0.1508 + 0.3968 = 0.5476 e; first discharge to
    1.5 V fills the two carrier sites: 2 − (7/6 − 0.5476) = 1.3810 e. Q = n F/(3.6 M)."""
    from hemcell.materials.cathode import cathode_inventory

    inv = cathode_inventory(FORMULA, ion="K", window=(1.5, 4.2))
    m = inv["molar_mass_g_per_mol"]
    assert m == pytest.approx(
        sum(n * w for n, w in ((7 / 6, 39.0983), (0.5 / 1.26 + 1, 55.845), (0.5 / 1.26, 54.938044),
                               (6, 12.011 + 14.007), (2 / 1.26, 1.008), (1 / 1.26, 15.999))),
        rel=1e-4)
    by = {c["couple"]: c for c in inv["couples"]}
    assert set(by) == {"Fe2+/Fe3+", "Fe(C)2+/Fe(C)3+", "Mn2+/Mn3+"}
    assert by["Fe2+/Fe3+"]["pristine_oxidised_fraction"] == pytest.approx(1.0)
    assert by["Fe(C)2+/Fe(C)3+"]["pristine_oxidised_fraction"] == pytest.approx(
        (6 - 2 - 7 / 6 - 2 * 1 / 1.26 - 0.5 / 1.26) / 1, rel=1e-9)
    assert by["Mn2+/Mn3+"]["pristine_oxidised_fraction"] == 0.0
    q = inv["capacity_mAh_per_g"]
    charge_e = (1 - by["Fe(C)2+/Fe(C)3+"]["pristine_oxidised_fraction"]) + 0.5 / 1.26
    assert q["window_first_charge"] == pytest.approx(charge_e * ONE_E_MAH_G_MOL / m, rel=1e-9)
    assert q["window"] == pytest.approx((2 - (7 / 6 - charge_e)) * ONE_E_MAH_G_MOL / m,
                                        rel=1e-9)
    assert q["carrier_limit"] == pytest.approx(7 / 6 * ONE_E_MAH_G_MOL / m, rel=1e-9)
    assert inv["window"]["discharge_limited_by"] == "carrier sites"
    assert sorted(inv["active_couples"]) == sorted(by)
    assert inv["config_entropy_per_R"]["tm"] > 1.0  # Fe, Mn and M-site vacancies
    assert any("M-site vacancies" in n for n in inv["notes"])


def test_composition_command_with_k_and_a_window(capsys):
    import json

    from hemcell.cli.main import main

    assert main(["composition", FORMULA, "--role", "cathode", "--ion", "K",
                 "--window", "1.5,4.2", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["capacity_mAh_per_g"]["window"] == pytest.approx(117.19, abs=0.01)
    assert out["roles"]["Fe(C)"] == ["redox"]


def test_k_couples_are_the_na_couples_shifted_by_the_sourced_0p3_V():
    """Same MnFe(CN)6 framework with Na⁺ and K⁺ (Tang 2020: 3.5 V vs Na⁺/Na, 3.8 V vs
    K⁺/K): every K couple range is the Na one + 0.3 V, so a window shifted by 0.3 V moves
    the same electrons and the capacities scale with the molar masses only."""
    from hemcell.materials.cathode import cathode_inventory

    na = cathode_inventory("Na2Mn[Fe(CN)6]", ion="Na", window=(1.7, 3.9))
    k = cathode_inventory("K2Mn[Fe(CN)6]", ion="K", window=(2.0, 4.2))
    for c_na, c_k in zip(na["couples"], k["couples"], strict=True):
        assert c_k["couple"] == c_na["couple"]
        np.testing.assert_allclose(c_k["range_V"], np.add(c_na["range_V"], 0.3), atol=1e-12)
    ratio = na["molar_mass_g_per_mol"] / k["molar_mass_g_per_mol"]
    for key in ("window", "window_first_charge", "carrier_limit"):
        assert k["capacity_mAh_per_g"][key] == pytest.approx(
            na["capacity_mAh_per_g"][key] * ratio, rel=1e-9)


@pytest.mark.parametrize(("args", "expected"), [
    ([FORMULA, "--ion", "Na"], "this cathode carries K+ and an electrolyte of Na+ lacks it"),
    ([FORMULA, "--ion", "K", "--window", "1.4,4.2"], "within 1.5-4.2 V vs K+/K"),
    (["KNi0.5Mn0.5O2", "--ion", "K", "--window", "2,4"], "layered cathodes with --ion K"),
])
def test_bad_k_composition_input_exits_2(args, expected, capsys):
    from hemcell.cli.main import main

    assert main(["composition", *args[:1], "--role", "cathode", *args[1:]]) == 2
    assert expected in capsys.readouterr().err


def test_set_holds_the_inventory_of_the_seed_formula():
    from hemcell.cell.cathodes import cathode_carrier, cathode_set_si
    from hemcell.materials.cathode import cathode_inventory

    si = cathode_set_si(KPBA)
    inv = cathode_inventory(FORMULA, ion="K")
    assert cathode_carrier(si) == "K"
    assert si["cathode_molar_mass"] == pytest.approx(inv["molar_mass_g_per_mol"] / 1000, rel=1e-6)
    assert si["cathode_initial_carrier_content"] == pytest.approx(inv["amounts"]["K"], rel=1e-6)
    assert si["cathode_couple_electrons"] == pytest.approx(
        [c["electrons_per_formula_unit"] for c in inv["couples"]], rel=1e-5)
    assert si["cathode_couple_potential_low"] == [c["range_V"][0] for c in inv["couples"]]
    assert si["cathode_couple_potential_high"] == [c["range_V"][1] for c in inv["couples"]]
    x_red = inv["amounts"]["K"] + sum(c["electrons_per_formula_unit"]
                                      * c["pristine_oxidised_fraction"] for c in inv["couples"])
    assert si["cathode_carrier_content_all_reduced"] == pytest.approx(x_red, rel=1e-6)


# ----------------------------------------------------------------- full cell
def test_k_is_conserved_in_the_full_cell_and_voltage_stays_in_the_window():
    """Charge to 4.2 V and discharge to 1.5 V: K leaving the cathode = K stored in the
    anode = ∫I dt, to 1e-4 of the charge passed."""
    run = _run_full("Charge at C/10 until 4.2 V; Discharge at C/10 until 1.5 V")
    sol, pv = run.solution, run.parameter_values
    q_cath = sol["Total lithium in positive electrode [mol]"].entries * FARADAY_C_PER_MOL / 3600
    assert_full_cell_conserves_carrier(sol, q_cath, 1.5, 4.2)
    assert pv["Upper voltage cut-off [V]"] == 4.2


def test_the_smaller_electrode_limits_the_first_charge():
    """Intercalation anode sized to n/p × the cathode's c_max capacity Q_nom. Anode-limited
    (n/p = 0.1, 0.2 below the cathode's reachable 0.5476/2 = 0.274): the charge is n/p·Q_nom
    (to 2 %, the anode's table ends), proportional to n/p. Cathode-limited (n/p = 2): the
    charge is the cathode's first charge 0.5476 K of 2 sites, whatever n/p (to 1.5 %: one
    OCP-table step of wall beyond the reachable end)."""
    from hemcell.materials.cathode import cathode_inventory

    inv = cathode_inventory(FORMULA, ion="K", window=(1.5, 4.2))
    cathode_share = inv["window"]["charge_e"] / 2.0
    share = {}
    for n_p in (0.1, 0.2, 2.0):
        run = _run_full("Charge at C/20 until 4.2 V", n_p_ratio=n_p,
                        mechanisms=("intercalation",))
        q = -run.solution["Discharge capacity [A.h]"].entries[-1]
        share[n_p] = q / float(run.parameter_values["Nominal cell capacity [A.h]"])
    assert share[0.1] == pytest.approx(0.1, rel=0.02)
    assert share[0.2] == pytest.approx(0.2, rel=0.02)
    assert share[2.0] == pytest.approx(cathode_share, rel=0.015)


# ----------------------------------------------------------------- half cell vs K metal
def _half(temperature: str):
    from hemcell.workflows.cathode_half_cell import run_cell, summarize

    rec = Recipe("test_k_half", cell="cathode_half", geometry="p2d",
                 mesh={"x_s": 3, "x_p": 5, "r_p": 6}, solver={"rtol": 1e-6, "atol": 1e-8})
    run = run_cell(rec, KPBA, "Charge at C/20 until 4.2 V; Discharge at 0.5C until 1.5 V",
                   overrides=[f"ambient_temperature={temperature}"])
    assert run.error is None
    return summarize(run)


def test_half_cell_vs_k_metal_gives_the_composition_window_and_warms_up():
    """Against K metal at C/20 the first charge is the composition's 46.5 mAh/g to 5 %
    (kinetics and the one-step wall); the C/2 discharge and its mean voltage rise with the
    temperature (Arrhenius D_s and i0 of the set, RT/F), 263 < 298 < 318 K; the carrier
    balance holds to 1e-6."""
    runs = {t: _half(t) for t in ("263.15K", "298.15K", "318.15K")}
    ref = runs["298.15K"]
    assert ref["carrier_ion"] == "K"
    assert ref["charge_capacity_by_step_mAh_per_g"][0] == pytest.approx(46.47, rel=0.05)
    q = [runs[t]["discharge_capacity_by_step_mAh_per_g"][0] for t in runs]
    v = [runs[t]["mean_discharge_voltage_V"][0] for t in runs]
    assert q[0] < q[1] < q[2]
    assert v[0] < v[1] < v[2]
    assert all(abs(r["charge_balance_relative_error"]) < 1e-6 for r in runs.values())


# ----------------------------------------------------------------- refusals, sweep
def test_k_cathode_in_a_na_cell_and_na_cathode_in_a_k_cell_are_refused():
    from hemcell.cell.cathodes import cathode_set_si
    from hemcell.cell.hard_carbon import full_cell_values
    from hemcell.workflows.anode import run_cell

    with pytest.raises(InputError, match="K for the cathode set cathode_k_pba_femn"):
        run_cell(_full(), ANODE, "Charge at C/10 until 4.2 V", ion="Na")
    na = Recipe("test_na_in_k", cell="full", geometry="p2d", mechanisms=("intercalation",),
                mesh=COARSE, cathode="cathode_hepba_femnnicuco", n_p_ratio=1.1)
    with pytest.raises(InputError, match="Na for the cathode set cathode_hepba_femnnicuco"):
        run_cell(na, ANODE, "Charge at C/10 until 4.2 V", ion="K")
    with pytest.raises(InputError, match="a cathode set of carrier Na"):
        full_cell_values(KPBA, cathode_set_si(KPBA), 1.1)
    with pytest.raises(InputError, match=r"up to the top 4\.2 V of the window 1\.5–4\.2 V"):
        run_cell(_full(), ANODE, "Charge at C/10 until 4.3 V", ion="K")


def test_sweep_over_a_k_full_cell(tmp_path):
    """``hemcell sweep`` of ``cell run`` with a K full-cell recipe and ``--ion K``: two
    C-rates, both points finish, the charge falls with the rate."""
    import xarray as xr
    import yaml

    from hemcell.sweep import parse_spec, run_sweep

    recipe = tmp_path / "k_full_coarse.yaml"
    recipe.write_text(yaml.safe_dump({
        "name": "k_full_coarse", "cell": "full", "cathode": KPBA, "n_p_ratio": 1.1,
        "geometry": "p2d", "mechanisms": ["intercalation", "conversion"], "mesh": COARSE,
        "solver": {"rtol": 1e-7, "atol": 1e-9}}))
    spec = parse_spec({
        "command": "cell run",
        "arguments": [str(recipe)],
        "options": {"--params": ANODE, "--ion": "K", "--no-plots": True},
        "parameters": {"protocol": {"option": "--protocol",
                                    "template": "Charge at {value}C until 4.2 V",
                                    "values": [0.1, 1.0]}},
        "outputs": ["charge_capacity_mAh_per_g[0]"],
    })
    report = run_sweep(spec, tmp_path / "out", workers=2, progress=False, plots=False)
    assert (report.total, report.failed) == (2, 0)
    with xr.open_dataset(report.results) as ds:
        q = ds["charge_capacity_mAh_per_g_0"].values
        assert (ds["status"] == 1).all()
    assert q[0] > q[1] > 0
