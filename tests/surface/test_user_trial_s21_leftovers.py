"""Session 21 (surface): leftovers of the last user trials.

- `surface run --transient --duration-s 1e9` ran until the deposit reached the top of
  the electrolyte (the default sinusoid at 1 mA/cm2: t = 12 711 s, 2 787 steps, 383
  remeshes, 13.5 min on the loaded machine) with its progress and frames spaced over
  1e9 s; with `--fixed-surface` it would have taken 1e8 steps. A duration over 10 x the
  flat fill time (the phase field's bound) is now refused.
- A potential between 0 and the stack pressure's shift pO/(zF) (0.135 mV for Li at
  1 MPa) stripped: physics (the pressed metal's equilibrium is lower), now refused as
  the stripping potentials are.
- Remesh lines said "quality ratio 0.621" when a short surface segment triggered it.
- A 3D spec's errors named the 2D mesh sizes and were rewritten afterwards; the names
  are now passed into the check.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from tests.surface.conftest import require_fenicsx

F = 96485.33212
#: Li in the default sets: molar volume [m3/mol]; the default stack pressure [Pa].
LI_MOLAR_VOLUME, STACK_PRESSURE = 1.3e-5, 1e6
COARSE = ["surface_mesh_size=0.5um", "far_mesh_size=2.5um"]


# ------------------------------------------------------------------ 1. duration bound
def test_the_transient_fill_time_is_faradays_law():
    """(0.9 H - h) zF/(i V_m): 0.9 x 25 um of Li at 1 mA/cm2 is 22.5e-6 x 96485.33 /
    (10 x 1.3e-5) = 16 700 s; the coated case's 28 nm coating takes its thickness off."""
    from hemcell.workflows.surface import resolve_case, transient_fill_time_s

    bare = resolve_case("bare", "sinusoid")
    assert transient_fill_time_s(bare) == pytest.approx(22.5e-6 * F / (10 * LI_MOLAR_VOLUME),
                                                        rel=1e-9)
    coated = resolve_case("coated", "flat")
    assert transient_fill_time_s(coated) == pytest.approx(
        (22.5e-6 - 28e-9) * F / (10 * LI_MOLAR_VOLUME), rel=1e-9)


@pytest.mark.parametrize(("extra", "field", "tail"), [
    (["--duration-s", "1e9"], "--duration-s: got '1e+09 s'", "where the run stops"),
    (["--duration-s", "1e9", "--fixed-surface"], "--duration-s: got '1e+09 s'",
     "a surface held fixed (--fixed-surface)"),
    (["--set", "transient_duration=2e5s"], "transient_duration: got '2e+05 s'",
     "where the run stops"),
])
def test_a_duration_far_past_the_fill_exits_2_naming_the_fill_time(tmp_path, capsys, extra,
                                                                   field, tail):
    from hemcell.cli.main import main

    code = main(["surface", "run", "--case", "bare", "--transient", *extra, "--no-plots",
                 "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert code == 2
    assert f"{field}; allowed: at most 10 x 1.67e+04 s" in err
    assert "reaches 0.9 of the 25 um electrolyte_height by t = 1.67e+04 s" in err
    assert tail in err
    assert "hint: --duration-s 1.67e+04 (or less)" in err
    assert not (tmp_path / "o").exists()


def test_compare_takes_the_coated_cells_fill_time(tmp_path, capsys):
    from hemcell.cli.main import main

    code = main(["surface", "compare", "--transient", "--duration-s", "2e5", "--no-plots",
                 "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert code == 2
    assert "allowed: at most 10 x 1.668e+04 s" in err
    assert "with the 0.028 um coating" in err


def test_the_bound_is_ten_fill_times_and_shared_with_the_phase_field():
    from hemcell.errors import InputError
    from hemcell.surface.analytic import FILL_TIME_FACTOR
    from hemcell.workflows.surface import (
        check_transient_duration,
        resolve_case,
        transient_fill_time_s,
        transient_settings,
    )

    assert FILL_TIME_FACTOR == 10.0
    rc = resolve_case("bare", "sinusoid")
    fill = transient_fill_time_s(rc)
    check_transient_duration(rc, transient_settings(rc, FILL_TIME_FACTOR * fill), True)
    with pytest.raises(InputError, match="--duration-s"):
        check_transient_duration(rc, transient_settings(rc, 1.001 * FILL_TIME_FACTOR * fill),
                                 True)


# ------------------------------------------------------------------ 2. stress shift
def _mean_current(case: str, potential_V: float) -> float:
    from hemcell.surface.metrics import compute_metrics
    from hemcell.workflows.surface import resolve_case, solve_case

    rc = resolve_case(case, "flat", [f"applied_potential={potential_V * 1e3:.9g}mV",
                                     *(f"{s}" for s in COARSE)],
                      "potentiostatic", stack_pressure=False)
    return compute_metrics(solve_case(rc))["mean_current_density_A_per_m2"]


@pytest.mark.parametrize("case", ["bare", "coated"])
def test_the_current_changes_sign_at_the_stress_shift(case):
    """The pressed metal's equilibrium is pO/(zF) = 1 MPa x 13 cm3/mol / F = 0.1347 mV
    below the unstressed reference's: the flat cell's net current strips below it and
    plates above it, and its zero (linear between shift -+ 1 %) is the shift to 1e-3
    (measured on the default mesh: -0.0830 A/m2 at 0.1 mV, -8.5e-5 at 0.1347 mV, +0.156
    at 0.2 mV; the coated cell -0.215 / +0.215 A/m2 at half / 1.5 times the shift)."""
    require_fenicsx()
    shift = STACK_PRESSURE * LI_MOLAR_VOLUME / F
    below, above = _mean_current(case, 0.5 * shift), _mean_current(case, 1.5 * shift)
    assert below < 0 < above
    lo, hi = 0.99 * shift, 1.01 * shift
    i_lo, i_hi = _mean_current(case, lo), _mean_current(case, hi)
    zero = lo - i_lo * (hi - lo) / (i_hi - i_lo)
    assert zero == pytest.approx(shift, rel=1e-3)


@pytest.mark.parametrize("command", [["surface", "run", "--case", "bare"],
                                     ["surface", "compare"]])
def test_a_potential_below_the_stress_shift_exits_2_naming_it(tmp_path, capsys, command):
    """`--set applied_potential=0.1mV` stripped (-0.083 A/m2 on flat bare Li)."""
    from hemcell.cli.main import main

    code = main([*command, "--geometry", "flat", "--control", "potentiostatic", "--set",
                 "applied_potential=0.1mV", "--no-plots", "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert code == 2
    assert "applied_potential: got '0.1 mV'; allowed: > 0.1347 mV: the stack_pressure 1 MPa" \
        in err
    assert "strips the metal" in err
    assert "hint: --set applied_potential=0.27mV (or more), or a lower stack_pressure" in err
    assert not (tmp_path / "o").exists()


def test_a_potential_just_above_the_shift_and_the_phase_field_are_not_refused():
    """0.14 mV plates; the phase field presses nothing (it reads no stack_pressure), so
    0.1 mV plates there and is not refused."""
    from hemcell.workflows.phasefield import resolve_phasefield
    from hemcell.workflows.surface import resolve_case

    resolve_case("bare", "flat", ["applied_potential=0.14mV"], "potentiostatic")
    p, _ = resolve_phasefield("bare", "Li", ["applied_potential=0.1mV"], 1.0,
                              control="potentiostatic")
    assert p.applied_potential_V == pytest.approx(1e-4)


# ------------------------------------------------------------------ 3. remesh trigger
def _fake_run(quality: float) -> SimpleNamespace:
    return SimpleNamespace(s=SimpleNamespace(remesh_quality_ratio=0.5),
                           mover=SimpleNamespace(quality_ratio=lambda: quality),
                           sm=SimpleNamespace(spec=SimpleNamespace(surface_mesh_size_m=80e-9)))


def test_the_remesh_line_names_what_triggered_it():
    """The default sinusoid remeshed at t = 585 s with the line "remeshing (quality ratio
    0.621)": above the 0.5 that triggers a remesh; a surface segment below 0.5 x the 80 nm
    surface mesh size had triggered it."""
    require_fenicsx()
    from hemcell.surface.transient import TransientRun

    trigger = TransientRun._remesh_trigger
    even = {"x": np.linspace(0, 1e-6, 13), "y": np.zeros(13)}  # 83 nm segments
    short = {"x": np.array([0, 80e-9, 110e-9, 190e-9]), "y": np.zeros(4)}  # one of 30 nm
    assert trigger(_fake_run(0.621), even) is None
    assert trigger(_fake_run(0.621), short) == (
        "shortest surface segment 0.03 um < remesh_quality_ratio 0.5 x surface_mesh_size "
        "0.08 um")
    assert trigger(_fake_run(0.497), even) == "quality ratio 0.497 < remesh_quality_ratio 0.5"
    assert trigger(_fake_run(0.497), short).startswith(
        "quality ratio 0.497 < remesh_quality_ratio 0.5; shortest surface segment 0.03 um")


# ------------------------------------------------------------------ 4. 3D names
def test_the_3d_check_names_what_it_is_given():
    """check_spec_3d takes the 3D mesh sizes and their names: the geometry's own check
    (three elements across the gap) names surface_mesh_size_3d itself."""
    from hemcell.errors import InputError
    from hemcell.surface.geometry import GeometrySpec
    from hemcell.surface.geometry3d import check_spec_3d

    spec = GeometrySpec(kind="nucleus", electrolyte_height_m=25e-6)
    names = {"surface_mesh_size_m": "surface_mesh_size_3d", "far_mesh_size_m": "far_mesh_size_3d"}
    with pytest.raises(InputError) as exc:
        check_spec_3d(spec, {"surface_mesh_size_m": 20e-6}, names)
    assert exc.value.field == "electrolyte_height"
    assert "elements of surface_mesh_size_3d 20 um" in exc.value.allowed
    assert exc.value.hint == "raise electrolyte_height, or lower surface_mesh_size_3d"
    ok = check_spec_3d(spec, {"surface_mesh_size_m": 0.5e-6}, names)
    assert ok.surface_mesh_size_m == 0.5e-6 and ok.kind == "nucleus"
    with pytest.raises(InputError) as exc:  # 2D: its own name
        GeometrySpec(kind="nucleus", electrolyte_height_m=25e-6, surface_mesh_size_m=20e-6)
    assert exc.value.hint == "raise electrolyte_height, or lower surface_mesh_size"
