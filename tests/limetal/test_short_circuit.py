"""Short circuit by a dendrite through the separator (hemcell.limetal.short) and the
metal electrodes' melting points (one owner, hemcell.materials.elements).

Analytic: Sand's time (Sand 1901) and its porous-medium form; linear tip growth at
constant current (Faraday: 1 mAh/cm**2 of dense Li is 4.85 um); the short time of a tip
that keeps all it grows. Monotonic: the short comes earlier at a higher current and
later behind a thicker separator. The Li-metal commands refuse a molten Li electrode.
"""

from __future__ import annotations

import dataclasses
import math

import pytest

from hemcell.cli.main import main
from hemcell.errors import InputError
from hemcell.laws import FARADAY_C_PER_MOL
from hemcell.limetal.parameters import load_cell_parameters
from hemcell.limetal.short import (
    SHORT_CIRCUIT,
    Protrusion,
    depletion_time_s,
    limiting_current_A_per_m2,
    sand_time_s,
    tip_velocity_m_per_s,
)
from hemcell.limetal.symmetric import run_symmetric
from hemcell.materials.elements import melting_point

MA_PER_CM2 = 10.0  # A/m**2
MAH_PER_CM2 = 36000.0  # C/m**2
V_LI = 1.3e-5  # m**3/mol, bare_li li_molar_volume


def test_sand_time_matches_the_closed_form_and_scales_as_one_over_i_squared():
    """tau_S = pi D (c0 F)^2 / (4 (i t_a)^2): 1 M LiPF6 (D 3.22e-10 m**2/s, t+ 0.38) at
    1 mA/cm**2 gives 6.1e4 s (17 h; literature-li-metal.md section 5, to 2 digits)."""
    tau = sand_time_s(10.0, 1000.0, 3.22e-10, 0.38)
    assert tau == pytest.approx(math.pi * 3.22e-10 * (1000.0 * FARADAY_C_PER_MOL) ** 2
                                / (4 * (10.0 * 0.62) ** 2), rel=1e-12)
    assert tau == pytest.approx(6.1e4, rel=0.01)
    assert sand_time_s(20.0, 1000.0, 3.22e-10, 0.38) == pytest.approx(tau / 4, rel=1e-12)
    # porous medium: eps * D eps^b; z = 2 multiplies by 4
    assert sand_time_s(10.0, 1000.0, 3.22e-10, 0.38, porosity=0.45, bruggeman=1.5) == \
        pytest.approx(tau * 0.45 ** 2.5, rel=1e-12)
    assert sand_time_s(10.0, 1000.0, 3.22e-10, 0.38, charge_number=2) == \
        pytest.approx(4 * tau, rel=1e-12)
    with pytest.raises(InputError, match="cation_transference_number"):
        sand_time_s(10.0, 1000.0, 3.22e-10, 1.0)


def test_no_depletion_below_the_limiting_current_of_the_path():
    """Below i_lim = 2 c0 F / ((1 - t+) R_D) the surface never depletes (inf); above it,
    at Sand's time."""
    r_d = 25e-6 / (3.22e-10 * 0.45 ** 1.5)
    i_lim = limiting_current_A_per_m2(1000.0, 0.38, r_d)
    assert i_lim == pytest.approx(2 * 1000.0 * FARADAY_C_PER_MOL / (0.62 * r_d), rel=1e-12)
    assert depletion_time_s(0.99 * i_lim, i_lim, 5.0) == math.inf
    assert depletion_time_s(1.01 * i_lim, i_lim, 5.0) == 5.0


def test_tip_grows_linearly_at_constant_current():
    """v = f i V_m / (z F): one half-cycle of 1 mAh/cm**2 at f = 1 grows 4.85 um (dense Li,
    bare_li li_molar_volume note); twice the time, twice the length; f = 2 twice as fast."""
    v = tip_velocity_m_per_s(1 * MA_PER_CM2, V_LI)
    tip = Protrusion()
    assert tip.plate(v, 3600.0, 0.0, 1.0, 25e-6) is None
    assert tip.length_m == pytest.approx(MAH_PER_CM2 * V_LI / FARADAY_C_PER_MOL, rel=1e-12)
    assert tip.length_m == pytest.approx(4.85e-6, rel=2e-3)
    assert tip_velocity_m_per_s(2 * MA_PER_CM2, V_LI) == pytest.approx(2 * v, rel=1e-12)
    tip.plate(v, 3600.0, 0.0, 1.0, 25e-6)
    assert tip.length_m == pytest.approx(2 * 4.85e-6, rel=2e-3)
    # growth starts only after the depletion time; the kept part is the retained fraction
    half = Protrusion()
    half.plate(v, 3600.0, 1800.0, 0.1, 25e-6)
    assert half.peak_m == [pytest.approx(v * 1800.0, rel=1e-12)]
    assert half.length_m == pytest.approx(0.1 * v * 1800.0, rel=1e-12)


def test_short_time_of_a_tip_that_keeps_all_it_grows():
    """Retained fraction 1, depletion at t_d: the tip reaches L_s at t_d + (L_s - h)/v of
    the half-cycle in which it gets there."""
    v = tip_velocity_m_per_s(5 * MA_PER_CM2, V_LI)
    tip = Protrusion()
    t_h, t_d, l_s = 720.0, 100.0, 25e-6
    shorts = [tip.plate(v, t_h, t_d, 1.0, l_s) for _ in range(20)]
    n = next(k for k, s in enumerate(shorts) if s is not None)
    assert n == math.ceil(l_s / (v * (t_h - t_d))) - 1
    assert shorts[n] == pytest.approx(t_d + (l_s - n * v * (t_h - t_d)) / v, rel=1e-9)


@pytest.fixture(scope="module")
def focused_bare():
    """Bare Li with a hot spot of f = 4 (a strongly focused deposit), so that the path's
    limiting current is crossed before salt depletion."""
    _, p = load_cell_parameters("bare")
    return dataclasses.replace(p, focusing_factor=4.0)


def _short_h(p, current_mA_per_cm2):
    r = run_symmetric(p, current_mA_per_cm2 * MA_PER_CM2, 1 * MAH_PER_CM2, 2000.0)
    assert r.failure_reason == SHORT_CIRCUIT and r.failure_mode == "short"
    assert max(r.protrusion_um) == pytest.approx(1e6 * p.separator_thickness_m)
    return r.time_to_failure_h


def test_short_comes_earlier_at_higher_current_and_later_behind_a_thicker_separator(
        focused_bare):
    t1, t2 = _short_h(focused_bare, 1.0), _short_h(focused_bare, 2.0)
    assert t2 < t1
    thick = dataclasses.replace(focused_bare,
                                separator_thickness_m=2 * focused_bare.separator_thickness_m)
    assert _short_h(thick, 1.0) > t1


def test_sets_focusing_does_not_short_the_calibrated_bare_cell_or_the_coated_cell():
    """The bare set's f = 2.30 at 1 mA/cm**2: salt depletion (570 h, calibrated) comes
    before the tip reaches the separator; coated (f = 1.0006) grows no dendrite tip."""
    _, bare = load_cell_parameters("bare")
    r = run_symmetric(bare, 1 * MA_PER_CM2, 1 * MAH_PER_CM2, 700.0)
    assert r.failure_mode == "salt depletion"
    assert 0 < max(r.protrusion_um) < 1e6 * bare.separator_thickness_m
    _, coated = load_cell_parameters("coated")
    rc = run_symmetric(coated, 1 * MA_PER_CM2, 1 * MAH_PER_CM2, 200.0)
    assert rc.failure_mode is None and max(rc.protrusion_um) == 0.0


def test_zn_cell_reports_sands_time_and_the_focusing_a_short_needs():
    from hemcell.limetal import zinc
    from hemcell.params import load_parameter_set

    p = zinc.zinc_cell_parameters(load_parameter_set("zn_bare").si, "zn_bare")
    s = zinc.symmetric_cell(p).summary()
    tau = sand_time_s(p.current_density_A_per_m2, p.electrolyte_concentration_mol_per_m3,
                      p.electrolyte_diffusivity_m2_per_s, p.cation_transference_number, 2)
    assert s["sand_time_h"] == pytest.approx(tau / 3600.0, rel=1e-12)
    t_h = p.areal_capacity_C_per_m2 / p.current_density_A_per_m2
    assert s["short_focusing_threshold"] == pytest.approx(math.sqrt(tau / t_h), rel=1e-12)
    assert s["failure_mode"] == "inventory"


# ---------------------------------------------------------------------- melting points
def test_li_melting_point_has_one_owner_with_a_source():
    entry = melting_point("Li")
    assert entry["value"] == 453.5 and entry["unit"] == "K" and "453.5 K" in entry["source"]
    with pytest.raises(InputError, match="metal electrode"):
        melting_point("Zn")


def test_li_cell_models_refuse_a_molten_li_electrode():
    with pytest.raises(InputError, match="ambient_temperature") as err:
        load_cell_parameters("bare", ["ambient_temperature=453.5K"])
    assert "453.5 K" in str(err.value)
    _, p = load_cell_parameters("coated", ["ambient_temperature=453K"])
    assert p.temperature_K == 453.0


@pytest.mark.parametrize("command", [["symmetric", "--hours", "2"], ["licu", "--cycles", "1"]])
def test_limetal_commands_exit_2_naming_the_field(command, tmp_path, capsys):
    code = main(["limetal", *command, "--anode", "bare", "--no-plots", "--out",
                 str(tmp_path / "o"), "--set", "ambient_temperature=500K"])
    err = capsys.readouterr().err
    assert code == 2 and "ambient_temperature" in err and "453.5 K" in err
