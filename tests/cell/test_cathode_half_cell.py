"""Cathode sets vs their carrier's metal: PyBaMM half cells (hemcell.workflows.cathode_half_cell).

Checks: a low-rate charge of the HE-PBA half cell extracts the composition inventory's
first-charge window capacity; the carrier balance closes; the NVPF cell, whose DFN solve
failed once the particle surface reached the OCP wall, charges at C/10 and discharges at
1C to the cut-off; volume strain and thickness change are the set's δ_V at the window's
charged state and zero at the discharged one; refusals.
"""

from __future__ import annotations

import pytest

pybamm = pytest.importorskip("pybamm")

from hemcell.errors import InputError  # noqa: E402
from hemcell.workflows.cathode_half_cell import run_cell, summarize  # noqa: E402

PBA = "cathode_hepba_femnnicuco"
NVPF = "cathode_he_nvpf"


@pytest.fixture(scope="module")
def coarse_recipe(tmp_path_factory):
    """The p2d recipe on a coarse mesh (the test budget)."""
    path = tmp_path_factory.mktemp("recipe") / "cathode_half_cell_coarse.yaml"
    path.write_text("name: cathode_half_cell_coarse\ncell: cathode_half\ngeometry: p2d\n"
                    "mesh: {x_s: 5, x_p: 8, r_p: 8}\nsolver: {rtol: 1.0e-6, atol: 1.0e-8}\n")
    return str(path)


@pytest.fixture(scope="module")
def pba_run(coarse_recipe):
    run = run_cell(coarse_recipe, PBA, "Charge at C/20 until 4.2 V; Discharge at C/20 until 2.0 V")
    return run, summarize(run)


def test_pba_low_rate_charge_is_the_inventory_window_capacity(pba_run):
    """C/20 charge to 4.2 V = Σ_k e_k (f_k(4.2 V) − f_k⁰) F / 3.6 M (the composition
    inventory's first charge) to 2 % (the rest: overpotential on the sloping couples)."""
    from hemcell.materials.cathode import cathode_inventory

    _run, summary = pba_run
    assert summary["completed"], summary.get("error")
    formula = "Na1.19(Fe0.2Mn0.2Ni0.2Cu0.2Co0.2)[Fe(CN)6]0.79□0.21·1.16H2O"
    inv = cathode_inventory(formula, ion="Na", window=(2.0, 4.2))
    expected = inv["capacity_mAh_per_g"]["window_first_charge"]
    assert summary["charge_capacity_by_step_mAh_per_g"][0] == pytest.approx(expected, rel=0.02)


def test_pba_carrier_balance_and_window(pba_run):
    """Na entering the cathode = ∫I dt / F to 1e-6 of the throughput; voltage inside
    the set's window (to the events' overshoot, 1 mV)."""
    import numpy as np

    run, summary = pba_run
    assert summary["charge_balance_relative_error"] < 1e-6
    v = np.asarray(run.solution["Voltage [V]"].entries)
    assert v.min() > 2.0 - 1e-3 and v.max() < 4.2 + 1e-3
    assert summary["carrier_ion"] == "Na"
    assert summary["half_cell"]["counter_electrode"] == "Na metal"


def test_volume_strain_spans_the_sets_change(pba_run):
    """ΔV/V = δ_V at the window's charged θ, 0 at its discharged θ; ΔL = L ε_s ΔV/V."""
    from hemcell.cell.cathodes import volume_strain, window_stoichiometries

    run, summary = pba_run
    th_ch, th_dis = window_stoichiometries(run.si)
    dv = run.si["cathode_volume_change"]
    assert volume_strain(run.si, th_ch) == pytest.approx(dv, rel=1e-12)
    assert volume_strain(run.si, th_dis) == pytest.approx(0.0, abs=1e-15)
    pv = run.parameter_values
    strain = summary["cathode_volume_strain_end_of_step"][0]
    thick = summary["cathode_thickness_change_um_end_of_step"][0]
    assert thick == pytest.approx(pv["Positive electrode thickness [m]"] * 1e6 * strain
                                  * pv["Positive electrode active material volume fraction"])
    assert 0.9 * dv < strain <= dv * (1 + 1e-9)  # charged to 4.2 V at C/20


def test_nvpf_cycles_and_names_the_electrolyte_limit(coarse_recipe, capsys):
    """NVPF (every site full, reachable end at θ = 1) charges at C/10 and cycles at C/3;
    at 1C the cathode's pores run out of electrolyte: below the conductivity table's
    150 mol m⁻³ the dilute-limit continuation carries the step to depletion, where it
    ends (`Zero electrolyte concentration cut-off`) and the protocol stops with that
    reason, not with a solver failure (IDAKLU failed here once the particle surface
    reached an OCP wall drawn beyond θ = 1). The warning names this run's recipe as the
    mesh to refine; the anode recipe's measured mesh errors are not quoted for it."""
    from hemcell.errors import SimulationError

    run = run_cell(coarse_recipe, NVPF, "Charge at C/10 until 4.3 V; Discharge at C/3 until "
                   "2.0 V; Charge at C/3 until 4.3 V; Discharge at 1C until 2.0 V; "
                   "Charge at C/10 until 4.3 V")
    summary = summarize(run)
    ends = summary["step_terminations"]
    assert [("[experiment]" in e) for e in ends] == [True, True, True, False]
    assert "Zero electrolyte concentration cut-off" in ends[3]
    assert summary["electrolyte_min_concentration_mol_per_m3"] < 150 and any(
        "below the lowest concentration" in w for w in summary["warnings"])
    assert isinstance(run.error, SimulationError)
    assert "Zero electrolyte" in str(run.error) and run.error.step.startswith("Discharge at 1C")
    err = capsys.readouterr().err
    assert "a copy of the recipe cathode_half_cell_coarse at finer x_p" in err
    assert "hem_half_cell_p2d" not in err
    from hemcell.cell.cathodes import cathode_mass_g, initial_stoichiometry, nominal_capacity_Ah

    ch, dis = summary["charge_capacity_by_step_mAh_per_g"], \
        summary["discharge_capacity_by_step_mAh_per_g"]
    # the first discharge returns the charge plus at most the room the cell started with
    # below its filled end, (1 − θ₀) of the capacity at c_max
    q_max = 1e3 * nominal_capacity_Ah(run.parameter_values) / cathode_mass_g(
        run.si, run.parameter_values)
    room = (1.0 - initial_stoichiometry(run.si)) * q_max
    assert 0 < dis[0] <= ch[0] + room and 0 < dis[1] < dis[0]
    assert summary["charge_balance_relative_error"] < 1e-6


@pytest.mark.parametrize(
    ("params", "kwargs", "field"),
    [
        (PBA, {"ion": "K"}, "--ion"),
        (PBA, {"mechanisms": ["intercalation"]}, "--mechanisms"),
        ("heo_rocksalt_mgconicuzn", {}, "--params"),
        (PBA, {"overrides": ["anode_thickness=1e-5"]}, "--set"),
    ],
)
def test_refusals(coarse_recipe, params, kwargs, field):
    with pytest.raises(InputError) as exc:
        run_cell(coarse_recipe, params, "Charge at C/10 until 4.2 V", **kwargs)
    assert exc.value.field == field


def test_protocol_voltage_outside_window_is_refused(coarse_recipe):
    with pytest.raises(InputError) as exc:
        run_cell(coarse_recipe, PBA, "Charge at C/10 until 4.5 V")
    assert exc.value.field == "--protocol"


@pytest.mark.parametrize(("recipe", "volume_read"), [("cathode_half_cell_p2d", True),
                                                     ("hem_full_cell_na_pba", False)])
def test_params_check_for_cathode_recipes(recipe, volume_read):
    """``params check SET --for RECIPE`` with a cathode set: nothing missing; the volume
    change and the metal counter electrode's activation energy are read by the half cell
    only."""
    from hemcell.workflows.cathode_half_cell import parameter_usage

    u = parameter_usage(PBA, recipe)
    assert u["missing"] == []
    for key in ("cathode_volume_change", "li_migration_activation_energy"):
        assert (key in u["reads"]) is volume_read
        assert (key in u["unused"]) is not volume_read


def test_params_check_refuses_an_anode_set_for_a_cathode_half_cell():
    from hemcell.workflows.cathode_half_cell import parameter_usage

    with pytest.raises(InputError) as exc:
        parameter_usage("heo_rocksalt_mgconicuzn", "cathode_half_cell_p2d")
    assert exc.value.field == "SET"


def test_params_check_anode_set_for_a_na_full_cell_reads_its_na_branches():
    """The anode set of a Na full cell is read with the Na branches (the cathode's ion)."""
    from hemcell.workflows.cathode_half_cell import parameter_usage

    u = parameter_usage("heo_rocksalt_mgconicuzn", "hem_full_cell_na_nvpf")
    assert u["missing"] == []
    assert "conversion_potential_shift_na" in u["reads"]
    assert "conversion_potential_shift_na" not in u["unused"]


def test_sweep_spec_check_of_cathode_half_cell_set_keys():
    """The sweep's ``--set`` check of ``cell run`` takes the cathode half cell's names."""
    from hemcell.workflows import PARAMETER_KEY_CHECKS
    from hemcell.workflows.cathode_half_cell import check_set_keys

    assert PARAMETER_KEY_CHECKS["cell run"].endswith("cathode_half_cell:check_set_keys")

    kwargs = {"recipe": "cathode_half_cell_sp", "params": PBA,
              "set_": ["cathode_solid_diffusivity=1e-15 m**2/s"]}
    check_set_keys(kwargs)
    with pytest.raises(InputError) as exc:
        check_set_keys({**kwargs, "set_": ["intercalation_diffusivity=1e-15 m**2/s"]})
    assert exc.value.field == "--set"


def test_cell_run_command_runs_a_cathode_half_cell(tmp_path):
    """``hemcell cell run cathode_half_cell_sp --params SET``: exit 0, the half cell's
    summary; an anode recipe option (--mechanisms) is refused with exit 2."""
    import json

    from typer.testing import CliRunner

    from hemcell.cli.cell import app

    args = ["run", "cathode_half_cell_sp", "--params", PBA, "--protocol",
            "Charge at 1C for 5 minutes; Discharge at 1C for 5 minutes", "--no-plots"]
    res = CliRunner().invoke(app, [*args, "--out", str(tmp_path / "a")])
    assert res.exit_code == 0, res.output
    summary = json.loads((tmp_path / "a" / "summary.json").read_text())
    assert summary["cell"] == "cathode_half" and summary["model"] == "SPM"
    # 5 minutes at 1C each way: 1/12 of the capacity at c_max per step
    q_cmax = summary["nominal_capacity_Ah"] * 1000 / summary["active_mass_g"]
    assert summary["charge_capacity_mAh_per_g"][0] == pytest.approx(q_cmax / 12, rel=1e-3)
    res = CliRunner().invoke(app, [*args, "--mechanisms", "intercalation",
                                   "--out", str(tmp_path / "b")])
    assert isinstance(res.exception, InputError) and res.exception.exit_code == 2


def test_cell_starts_at_its_couple_ocp():
    """A set with every carrier site full (NVPF) starts on its table inside the wall
    (two table steps below θ = 1), where PyBaMM's OCP (with its asymptotes) equals the
    couple table to 1 µV (at θ = 1 the asymptote would put it 1 V lower)."""
    import numpy as np

    from hemcell.cell.cathodes import cathode_set_si, half_cell_values, initial_stoichiometry
    from hemcell.materials.cathode import couple_ocp_table

    si = cathode_set_si(NVPF)
    pv = half_cell_values(NVPF)
    theta0 = initial_stoichiometry(si)
    u = pybamm.LithiumIonParameters({"working electrode": "positive"}).p.prim.U
    t_ref = pybamm.Scalar(298.15)
    theta, volts = couple_ocp_table(si)
    expected = float(np.interp(theta0, theta, volts))
    assert float(np.ravel(pv.evaluate(u(pybamm.Scalar(theta0), t_ref)))[0]) == \
        pytest.approx(expected, abs=1e-6)
    # the wall lies inside θ < 1: below the window's lower end there
    at_one = float(np.ravel(pv.evaluate(u(pybamm.Scalar(1.0), t_ref)))[0])
    assert at_one < si["cathode_lower_cutoff_potential"]


def test_cell_temperature_moves_the_cathodes_rate_constants(coarse_recipe):
    """The set's ambient_temperature is the half cell's (isothermal) temperature; i0 and
    D_s follow Arrhenius from its reference_temperature with the set's activation
    energies, exactly; and a colder cell delivers less at 1C."""
    import math

    from hemcell.laws import GAS_CONSTANT_J_PER_MOL_K

    cold = run_cell(coarse_recipe, PBA, "Charge at 1C until 4.2 V; Discharge at 1C until 2.0 V",
                    overrides=["ambient_temperature=263.15 K"])
    warm = run_cell(coarse_recipe, PBA, "Charge at 1C until 4.2 V; Discharge at 1C until 2.0 V")
    si = warm.si
    assert cold.parameter_values["Ambient temperature [K]"] == pytest.approx(263.15)
    assert warm.parameter_values["Ambient temperature [K]"] == pytest.approx(
        si["ambient_temperature"])

    def at(run, name, *args):
        value = run.parameter_values[name](*[pybamm.Scalar(a) for a in args])
        return float(value.evaluate())

    t_ref = si["reference_temperature"]
    for name, args, ea in (
            ("Positive particle diffusivity [m2.s-1]", (0.5,),
             si["cathode_diffusivity_activation_energy"]),
            ("Positive electrode exchange-current density [A.m-2]", (1000.0, 5000.0, 10000.0),
             si["cathode_exchange_current_activation_energy"])):
        ratio = at(cold, name, *args, 263.15) / at(warm, name, *args, t_ref)
        assert ratio == pytest.approx(
            math.exp(-ea / GAS_CONSTANT_J_PER_MOL_K * (1 / 263.15 - 1 / t_ref)), rel=1e-12)
    q_cold = summarize(cold)["discharge_capacity_mAh_per_g"][0]
    q_warm = summarize(warm)["discharge_capacity_mAh_per_g"][0]
    assert q_cold < q_warm
