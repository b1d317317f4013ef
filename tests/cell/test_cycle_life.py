"""Cycle-resolved loss of active material (hemcell.workflows.anode_cycle_life): the
strain-driven law (hemcell.cell.active_material_loss) and fatigue cracks (hemcell.cell.fatigue)."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from scipy.integrate import quad, solve_ivp

from hemcell.cell import fatigue
from hemcell.cell.active_material_loss import (
    StrainLAMLaw,
    damage_law,
    integrate_damage,
)
from hemcell.cell.protocols import scale_per_gram
from hemcell.errors import InputError
from hemcell.workflows.anode_cycle_life import run_cycle_life, write_cycle_life_outputs

#: A fatigue law with the HEO set's sourced constants (E, ν from the single-crystal
#: constants, Y, n, a₀ from PyBaMM's Ai2020 set, R = 250 nm) and a round C.
LAW = fatigue.FatigueCrackLaw(coefficient_m=2e-11, exponent=2.2, geometry_factor=1.12,
                              initial_crack_length_m=20e-9, youngs_modulus_Pa=137.9e9,
                              poisson_ratio=0.347, particle_radius_m=250e-9)


def _crack_length(law: fatigue.FatigueCrackLaw, phi: float) -> float:
    """a from φ by inverting eqs. (5)–(6)."""
    kept0 = 1 - fatigue.cap_volume_fraction(law.initial_crack_length_m / law.particle_radius_m)
    return law.particle_radius_m * fatigue.cap_depth(1 - phi * kept0)


def _analytic_phi(n: int, beta: float, s0: float) -> float:
    """dφ/dN = −β (s0 φ)² → φ = 1 / (1 + β s0² (N − 1))."""
    return 1.0 / (1.0 + beta * s0**2 * (n - 1))


def test_cycle_jumps_reproduce_the_analytic_loss_law():
    """Constant strain: Euler is exact, φ = 1 − β s^m (N − 1). Strain ∝ φ: the result
    converges to the analytic solution with first order in the jump tolerance."""
    beta, s = 0.05, 0.06
    steps = integrate_damage(lambda phi: {"strain_amplitude": s}, 3000, StrainLAMLaw(beta, 2.0),
                             tol=0.03)
    n, phi, _ = steps[-1]
    assert n == 3000
    assert phi == pytest.approx(1 - beta * s**2 * 2999, rel=1e-12)
    assert len(steps) <= 1 + 1 + int(beta * s**2 * 2999 / 0.03) + 1  # ~1/tol evaluations

    errors = []
    for tol in (0.02, 0.01, 0.005):
        steps = integrate_damage(lambda phi: {"strain_amplitude": s * phi}, 3000,
                                 StrainLAMLaw(1.0, 2.0), tol)
        errors.append(abs(steps[-1][1] - _analytic_phi(3000, 1.0, s)))
    assert errors[2] < errors[1] < errors[0] < 0.02
    assert errors[0] / errors[1] == pytest.approx(2.0, rel=0.3)  # first order
    assert errors[1] / errors[2] == pytest.approx(2.0, rel=0.3)


def test_no_strain_no_loss_and_bad_input():
    steps = integrate_damage(lambda phi: {"strain_amplitude": 0.0}, 500, StrainLAMLaw(1.0, 2.0))
    assert [(n, phi) for n, phi, _ in steps] == [(1, 1.0), (500, 1.0)]
    steps = integrate_damage(lambda phi: {"strain_amplitude": 0.0}, 500, LAW)
    assert [(n, phi) for n, phi, _ in steps] == [(1, 1.0), (500, 1.0)]
    with pytest.raises(InputError):
        integrate_damage(lambda phi: {"strain_amplitude": 0.0}, 0, StrainLAMLaw(1.0, 2.0))
    with pytest.raises(InputError):
        integrate_damage(lambda phi: {"strain_amplitude": 0.0}, 10, StrainLAMLaw(1.0, 2.0),
                         tol=1.5)


def test_per_gram_currents_refer_to_the_initial_mass():
    p = "Discharge at 0.1 A/g until 0.01 V; Rest for 1 hour; Charge at 100 mA/g until 3 V"
    assert scale_per_gram(p, 2.0) == (
        "Discharge at 0.2 A/g until 0.01 V; Rest for 1 hour; Charge at 200 mA/g until 3 V"
    )


def test_short_cycle_life_run_of_the_heo(tmp_path):
    """70 cycles at 0.1 A/g (the held-out seed-003 case, two full-model evaluations): the
    active fraction follows eq. (1) from the first evaluation's strain amplitude, and the
    capacity per initial gram falls with it. Cycles are numbered as `cell run` numbers
    them: cycle 1 is the formation cycle, the loss law starts at cycle 2."""
    res = run_cycle_life(
        "hem_half_cell_sp",
        "heo_rocksalt_mgconicuzn",
        "Discharge at 0.1 A/g until 0.01 V; Charge at 0.1 A/g until 3 V",
        70,
    )
    assert res.error is None and res.cycles == [1, 2, 70]
    law = damage_law(res.si)
    assert res.lam_law == "fatigue" and res.lam_parameters == law.parameters()
    a70 = law.advance(law.start(), res.strain_amplitude[1], 68)
    assert res.active_fraction[:2] == [1.0, 1.0]
    assert res.active_fraction[2] == pytest.approx(law.active_fraction(a70), rel=1e-12)
    q = res.charge_capacity_mAh_per_g
    assert q[2] < q[1]
    assert q[2] / q[1] == pytest.approx(res.active_fraction[2], abs=0.01)
    assert 0.03 < res.strain_amplitude[1] < 0.09  # conversion + alloy swelling, seed 000 L917
    s = write_cycle_life_outputs(res, tmp_path, report_cycles=[70])
    on_disk = json.loads((tmp_path / "summary.json").read_text())
    assert on_disk["retention_at_cycle"]["70"] == pytest.approx(s["retention_at_cycle"]["70"])
    assert s["retention_at_cycle"]["70"] == pytest.approx(q[2] / q[1], rel=1e-12)
    assert on_disk["retention_reference_cycle"] == 2
    assert on_disk["lam_law"] == "fatigue"
    assert on_disk["lam_state_crack_depth_m"] == pytest.approx([20e-9, 20e-9, a70], rel=1e-12)
    assert (tmp_path / "cycle_life.png").stat().st_size > 0
    assert (tmp_path / "cycle_life.csv").read_text().startswith("cycle,active_fraction")


# ------------------------------------------------------------------------ fatigue cracks
def test_paris_law_by_hand():
    """Eqs. (2)–(4) at one point: Δσ = E Δε_v/(3(1 − ν)), ΔK = Y Δσ √(π a),
    da/dN = C (ΔK / 1 MPa m^½)^n."""
    dsigma = fatigue.stress_amplitude_Pa(0.0463, 137.9e9, 0.347)
    assert dsigma == pytest.approx(137.9e9 * 0.0463 / (3 * 0.653), rel=1e-12)  # 3.26 GPa
    dk = fatigue.stress_intensity_range_Pa_sqrt_m(dsigma, 20e-9, 1.12)
    assert dk == pytest.approx(1.12 * 3.2594e9 * math.sqrt(math.pi * 20e-9), rel=1e-4)
    assert fatigue.crack_growth_per_cycle_m(dk, 2e-11, 2.2) == pytest.approx(
        2e-11 * (dk / 1e6) ** 2.2, rel=1e-12)


def test_cap_volume_fraction_is_the_sphere_cap():
    """g(x) of eq. (5) equals the volume beyond a plane at depth xR, ∫ π (R² − z²) dz over
    the cap / (4πR³/3), and cap_depth inverts it."""
    for x in (0.0, 0.08, 0.5, 1.0, 1.7, 2.0):
        cap, _ = quad(lambda z: math.pi * (1 - z * z), 1 - x, 1)
        assert fatigue.cap_volume_fraction(x) == pytest.approx(cap / (4 * math.pi / 3),
                                                               abs=1e-14)
        assert fatigue.cap_depth(fatigue.cap_volume_fraction(x)) == pytest.approx(x, abs=1e-9)
    assert fatigue.cap_volume_fraction(1.0) == 0.5


def test_constant_strain_crack_follows_the_closed_form():
    """Constant Δε_v: at every evaluated cycle the crack depth (from φ) equals eq. (7),
    a^(1−n/2) = a₀^(1−n/2) − (n/2 − 1) k (N − 1), and an ODE solver integrating eq. (4)
    cycle by cycle gives the same depth; φ starts at 1 and falls by ≤ tol per jump."""
    s = 0.0463
    steps = integrate_damage(lambda phi: {"strain_amplitude": s}, 4000, LAW, tol=0.05)
    k = LAW.coefficient_m * (1.12 * fatigue.stress_amplitude_Pa(s, 137.9e9, 0.347)
                             * math.sqrt(math.pi) / 1e6) ** 2.2
    p = 0.1
    assert steps[0][:2] == (1, 1.0) and len(steps) > 3

    def rhs(_n, a):
        dk = fatigue.stress_intensity_range_Pa_sqrt_m(
            fatigue.stress_amplitude_Pa(s, 137.9e9, 0.347), a[0], 1.12)
        return [fatigue.crack_growth_per_cycle_m(dk, 2e-11, 2.2)]

    n_eval = [n for n, phi, _ in steps if phi > 0]
    ode = solve_ivp(rhs, (1, n_eval[-1]), [20e-9], t_eval=n_eval, rtol=1e-10, atol=1e-20)
    for (n, phi, _), a_ode in zip(steps, ode.y[0], strict=False):
        a_closed = (20e-9 ** -p - p * k * (n - 1)) ** (-1 / p)
        assert _crack_length(LAW, phi) == pytest.approx(a_closed, rel=1e-6)
        assert a_closed == pytest.approx(a_ode, rel=1e-6)
    drops = -np.diff([phi for _, phi, _ in steps])
    assert np.all(drops > 0) and np.all(drops[:-1] < 0.05 + 0.01)


def test_fatigue_law_converges_in_the_jump_tolerance():
    """Strain falling with the crack as Δε_v = s₀ √(a₀/a) holds ΔK constant, so
    a = a₀ + da/dN|₀ (N − 1) exactly; holding each jump's strain at its start is first
    order in the tolerance (error ratios ≈ 2 on halving it). The feedback is strong here
    (Δε_v halves while φ falls by 2 %), so the error per tolerance is larger than for the
    full model, whose strain amplitude follows φ."""
    s0, a0, n_last = 0.0463, 20e-9, 15_000
    dadn0 = fatigue.crack_growth_per_cycle_m(fatigue.stress_intensity_range_Pa_sqrt_m(
        fatigue.stress_amplitude_Pa(s0, 137.9e9, 0.347), a0, 1.12), 2e-11, 2.2)
    exact = LAW.active_fraction(a0 + dadn0 * (n_last - 1))
    assert 0.3 < exact < 0.9

    def evaluate(phi):
        return {"strain_amplitude": s0 * math.sqrt(a0 / _crack_length(LAW, phi))}

    errors = [abs(integrate_damage(evaluate, n_last, LAW, tol)[-1][1] - exact)
              for tol in (0.01, 0.005, 0.0025)]
    assert errors[2] < errors[1] < errors[0] < 0.04
    assert errors[0] / errors[1] == pytest.approx(2.0, rel=0.3)
    assert errors[1] / errors[2] == pytest.approx(2.0, rel=0.3)


def test_fatigue_fade_accelerates_and_runs_away():
    """Paris' law with n > 2 and the cap rule: the loss over the second half of the cycles
    exceeds the first half's; the crack runs through the particle (φ = 0) in finite N."""
    steps = integrate_damage(lambda phi: {"strain_amplitude": 0.0463}, 200_000, LAW, 0.05)
    assert steps[-1][1] == 0.0 and steps[-1][0] < 200_000
    n_f = steps[-1][0]
    phi = dict((n, f) for n, f, _ in integrate_damage(
        lambda p: {"strain_amplitude": 0.0463}, n_f // 2, LAW, 0.001))
    half = integrate_damage(lambda p: {"strain_amplitude": 0.0463}, n_f // 4, LAW, 0.001)
    assert 1 - phi[n_f // 2] > 2 * (1 - half[-1][1])


def test_set_selects_one_lam_law():
    """The strain law stays selectable by its keys (eq. 1, unchanged); the HEO set uses the
    fatigue law; keys of both, or an incomplete law, are refused naming them."""
    strain = {"lam_strain_coefficient": 0.032, "lam_strain_exponent": 2.0}
    assert damage_law(strain) == StrainLAMLaw(0.032, 2.0)
    crack = {"fatigue_paris_coefficient": 2e-11, "fatigue_paris_exponent": 2.2,
             "fatigue_crack_geometry_factor": 1.12, "fatigue_initial_crack_length": 20e-9,
             "anode_youngs_modulus": 137.9e9, "anode_poisson_ratio": 0.347,
             "anode_particle_radius": 250e-9}
    assert damage_law(crack) == LAW
    with pytest.raises(InputError, match="lam_strain_coefficient"):
        damage_law({**crack, "lam_strain_coefficient": 0.0})
    with pytest.raises(InputError) as exc:
        damage_law({k: v for k, v in crack.items() if k != "anode_poisson_ratio"})
    assert "anode_poisson_ratio" in str(exc.value.allowed)
    with pytest.raises(InputError) as exc:
        damage_law({"lam_strain_coefficient": 0.03})
    assert "lam_strain_exponent" in str(exc.value.allowed)
    with pytest.raises(InputError):
        damage_law({**crack, "fatigue_initial_crack_length": 600e-9})


def test_paris_exponent_two_grows_exponentially():
    """n = 2: da/dN = k a, a = a_i exp(k ΔN) (eq. 7); cycles_between inverts advance."""
    law = fatigue.FatigueCrackLaw(2e-11, 2.0, 1.12, 20e-9, 137.9e9, 0.347, 250e-9)
    k = 2e-11 * (1.12 * fatigue.stress_amplitude_Pa(0.0463, 137.9e9, 0.347)
                 * math.sqrt(math.pi) / 1e6) ** 2
    assert law.advance(20e-9, 0.0463, 500) == pytest.approx(20e-9 * math.exp(500 * k),
                                                            rel=1e-12)
    a = law.advance(20e-9, 0.0463, 1234)
    assert law.cycles_between(20e-9, a, 0.0463) == pytest.approx(1234, rel=1e-10)
    assert law.advance(20e-9, 0.0463, 1e12) == 500e-9  # through the particle: 2R
    assert LAW.cycles_between(20e-9, LAW.advance(20e-9, 0.0463, 777), 0.0463) == \
        pytest.approx(777, rel=1e-10)


def test_a_users_active_fraction_is_the_start_of_the_cycle_life_loop():
    """--set anode_active_material_volume_fraction on cycle-life: the loop scales the
    user's value (it used to add a second entry of the same key)."""
    protocol = "Discharge at 0.5 A/g until 0.01 V; Charge at 0.5 A/g until 3 V"
    res = run_cycle_life("hem_half_cell_sp", "heo_rocksalt_mgconicuzn", protocol, 2,
                         overrides=["anode_active_material_volume_fraction=0.4"])
    assert res.error is None
    assert res.initial_active_fraction == pytest.approx(0.4)


# ------------------------------------------------------------------ cycle numbers, models
HEO = "heo_rocksalt_mgconicuzn"
ONE_CYCLE = "Discharge at 1 A/g until 0.01 V; Charge at 1 A/g until 3 V"


def test_cycle_numbers_are_those_of_cell_run(tmp_path):
    """`cell cycle-life` and `cell run` number cycles alike (cycle 1: the formation
    cycle) and report the same capacities and CE for the same cycle number. Before,
    cycle-life's cycle 1 was `cell run`'s cycle 2 (400.7 vs 420.7 mAh/g charge capacity
    at 1 A/g): an off-by-one for anyone comparing the files or fitting a cycler's record.
    Tolerance 1e-5 relative: ten times the recipe's rtol (1e-6); cycle-life re-solves a
    model shared by its evaluations, with φ and the step currents as PyBaMM inputs."""
    from hemcell.cli.main import main
    from hemcell.measurements import read_csv

    assert main(["cell", "run", "hem_half_cell_sp", "--params", HEO, "--protocol", ONE_CYCLE,
                 "--cycles", "2", "--out", str(tmp_path / "run"), "--no-plots"]) == 0
    assert main(["cell", "cycle-life", "hem_half_cell_sp", "--params", HEO, "--protocol",
                 ONE_CYCLE, "--cycles", "2", "--out", str(tmp_path / "life"),
                 "--no-plots"]) == 0
    run = json.loads((tmp_path / "run" / "summary.json").read_text())
    life = read_csv(tmp_path / "life" / "cycle_life.csv", required=())
    assert list(life["cycle"]) == [1, 2]
    mAh_per_g = 3.6e3  # C/kg
    for key, column in (("charge_capacity_mAh_per_g", "charge_capacity"),
                        ("discharge_capacity_mAh_per_g", "discharge_capacity")):
        assert life[column] / mAh_per_g == pytest.approx(run[key], rel=1e-5)
    assert life["coulombic_efficiency"] == pytest.approx(run["coulombic_efficiency"], rel=1e-5)
    assert run["charge_capacity_mAh_per_g"][1] > 1.04 * run["charge_capacity_mAh_per_g"][0]


def test_cycles_before_the_loss_law_starts_exit_2(tmp_path, capsys):
    """--cycles 1 is the formation cycle alone: refused, naming the numbering."""
    from hemcell.cli.main import main

    assert main(["cell", "cycle-life", "hem_half_cell_sp", "--params", HEO, "--protocol",
                 ONE_CYCLE, "--cycles", "1", "--out", str(tmp_path), "--no-plots"]) == 2
    err = capsys.readouterr().err
    assert "--cycles" in err and "formation cycle" in err and ">= 2" in err


def test_evaluations_share_one_built_model(monkeypatch):
    """A cycle-life run builds its model once and re-solves it at every evaluation (φ
    and the currents are inputs): 3 evaluations, 1 model built and solved (and one
    built, not discretised, to read its mesh parameters); before, one build each."""
    import hemcell.workflows.anode as anode
    import hemcell.workflows.anode_sweep as sweep
    from hemcell.workflows.anode_cycle_life import CycleModels

    builds = []
    build = anode.build_simulation

    def counted(*args, **kwargs):
        builds.append(1)
        return build(*args, **kwargs)

    monkeypatch.setattr(anode, "build_simulation", counted)
    monkeypatch.setattr(sweep, "_BUILT", {})  # no model of an earlier test
    monkeypatch.setattr(sweep, "_MESH_PARAMETERS", {})
    res = run_cycle_life("hem_half_cell_sp", HEO, ONE_CYCLE, 300, tol=0.05,
                         overrides=["fatigue_paris_coefficient=1e-10 m"], models=CycleModels())
    assert res.error is None and res.cycles == [1, 2, 292, 300]
    assert len(builds) == 2


def test_a_failed_evaluation_names_its_step_and_time_once(monkeypatch):
    """A solver failure inside an evaluation: the run's error says the step and time once
    and keeps the failure's hint (it said "(at step ..., t = ... s)" twice, no hint)."""
    from hemcell.errors import SimulationError
    from hemcell.workflows import anode_cycle_life as acl

    def failing(*args, **kwargs):
        raise SimulationError("solver failed", step="Charge at 1 A/g until 3 V",
                              time_s=5151.57, hint="try a lower current")

    monkeypatch.setattr(acl, "integrate_cell_cycles", failing)
    res = acl.run_cycle_life("hem_half_cell_sp", "heo_rocksalt_mgconicuzn",
                             "Discharge at 1 A/g until 0.01 V; Charge at 1 A/g until 3 V", 10)
    text = str(res.error)
    assert text.startswith("cycle-life evaluation after cycle 0 failed: solver failed")
    assert text.count("(at step Charge at 1 A/g until 3 V, t = 5151.57 s)") == 1
    assert (res.error.step, res.error.time_s) == ("Charge at 1 A/g until 3 V", 5151.57)
    assert res.error.hint == "try a lower current"


@pytest.mark.parametrize("recipe", ["hem_full_cell_lfp", "hem_full_cell_na_pba"])
def test_a_full_cell_is_refused(recipe, tmp_path, capsys):
    """A full cell sizes its anode to the N/P ratio from its volume fraction, so the loss
    law's lower volume fraction came back as a thicker anode of the same mass and capacity
    (LFP at C/5: ε_s 0.2 instead of 0.4 gave 3.896 g and 1564.83 against 1564.87 mAh) and
    the reported capacity was the active fraction times the fresh cell's: exit 2 naming
    the recipe (it ran)."""
    from hemcell.cli.main import main

    code = main(["cell", "cycle-life", recipe, "--params", "heo_rocksalt_mgconicuzn",
                 "--cycles", "5", "--protocol",
                 "Charge at C/5 until 3.6 V; Discharge at C/5 until 2.0 V",
                 "--out", str(tmp_path / "out"), "--no-plots"])
    err = capsys.readouterr().err
    assert code == 2
    assert f"got '{recipe}'" in err and "half-cell recipe" in err
