"""User trial U18: a staggered coupling that diverges says why the kinetics are stiff.

``hemcell surface run --case coated --geometry flat --set coating_thickness=4um`` ended in
"staggered transport-mechanics coupling (coated) did not converge in 20 iterations" with
the hint "lower coupling_relaxation or growth_strain_fraction" alone: nothing said that
the coated-interface rule had made the exchange current 2114 A/m² (30 x the 28 nm value)
because the film's h/κ_c = 40 Ω cm² had been taken out of the measured 42 Ω cm².
"""

from __future__ import annotations

import pytest

from tests.surface.conftest import example_parameters, require_fenicsx


def test_the_note_names_the_exchange_current_and_the_coated_rule():
    require_fenicsx()
    from hemcell.surface.kinetics import mean_exchange_current_density
    from hemcell.surface.solver import _stiff_kinetics_note

    p = example_parameters(coating_thickness_m=4e-6)
    i0 = mean_exchange_current_density(p, "coated")
    # r_coated = 44 Ohm x 1.911 cm2 / 2 = 42.04 Ohm cm2, film 4 um / 1e-3 S/m = 40 Ohm cm2
    assert i0 == pytest.approx(70.6 * 64 / (44 - 2 * 40 / 1.911), rel=1e-9)
    note = _stiff_kinetics_note(p, "coated")
    assert f"{i0:.4g} A/m2" in note
    assert "h/kappa_c = 40 Ohm cm2" in note and "measured coated interface 42 Ohm cm2" in note
    assert "coating_thickness" in note
    bare = _stiff_kinetics_note(p, "bare")
    assert "70.6 A/m2" in bare and "coated" not in bare


@pytest.mark.parametrize("text", ["0,28", "28nm,70"])
def test_thicknesses_say_nm_without_unit_and_that_bare_is_included(tmp_path, capsys, text):
    """`--thicknesses 0,28` (asking for bare Li) was refused as 'positive numbers', and
    `28nm,70` as 'comma-separated numbers', neither saying the unit is nm and left off,
    nor that bare Li is always solved."""
    from hemcell.cli.main import main

    code = main(["surface", "thickness", "--thicknesses", text, "--out",
                 str(tmp_path / "o"), "--no-plots"])
    err = capsys.readouterr().err
    assert code == 2
    assert "nm, without the unit; bare Li, 0 nm, is always solved" in err


def test_a_flat_surface_has_no_relative_growth(tmp_path, capsys):
    """`surface run --case bare --geometry flat --transient` reported
    amplitude_growth_factor 6.0e13 and d ln A/dt 0.055 1/s: the flat profile's initial
    amplitude is round-off (1.8e-24 m). Both are null now; dA/dt stays. The command's
    line said `sand_time_s = 0.5926523751777237` (all digits) and no stop reason."""
    require_fenicsx()
    import json

    from hemcell.cli.main import main

    out = tmp_path / "flat"
    code = main(["surface", "run", "--case", "bare", "--geometry", "flat", "--transient",
                 "--duration-s", "5", "--set", "surface_mesh_size=0.25um", "--set",
                 "far_mesh_size=2.5um", "--no-plots", "--out", str(out)])
    text = capsys.readouterr().out
    assert code == 0
    m = json.loads((out / "metrics.json").read_text())
    assert m["initial_amplitude_m"] < 1e-20
    assert m["amplitude_growth_factor"] is None and m["amplitude_growth_rate_per_s"] is None
    assert m["amplitude_growth_rate_m_per_s"] > 0 and m["final_amplitude_m"] > 1e-10
    assert "duration reached at t = 5 s, Sand's time not reached" in text
    assert "(from a flat surface)" in text


def test_potentiostatic_refuses_an_applied_current(tmp_path, capsys):
    """`surface run --control potentiostatic --set applied_current_density=10mA/cm2` ran:
    the current only seeded Newton's start (the result is the same to round-off), so the
    value changed nothing; the phase field already refused it."""
    from hemcell.cli.main import main

    code = main(["surface", "run", "--case", "bare", "--geometry", "flat", "--control",
                 "potentiostatic", "--set", "applied_current_density=10mA/cm2",
                 "--out", str(tmp_path / "o"), "--no-plots"])
    err = capsys.readouterr().err
    assert code == 2 and "applied_current_density" in err and "change nothing" in err
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize(("command", "model", "key", "where"), [
    ("run", {"case": "bare", "geometry": "flat"}, "coating_thickness",
     "--case coated or --case coated_thin"),
    ("run", {"case": "bare", "geometry": "flat"}, "nucleus_radius", "--geometry nucleus"),
    ("run", {"case": "bare", "geometry": "flat"}, "li_surface_energy", "--transient"),
    ("run", {"case": "bare", "geometry": "flat"}, "electrolyte_ph", "--metal Zn"),
    ("run", {"case": "bare", "geometry": "flat", "control": "potentiostatic"},
     "applied_current_density", "--control galvanostatic"),
    ("thickness", {"geometry": "flat"}, "nucleus_radius", "--geometry nucleus"),
])
def test_an_unread_set_name_says_which_option_reads_it(command, model, key, where):
    """`surface run --case bare --set coating_thickness=28nm` was refused with 'did you
    mean li_domain_thickness, growth_layer_thickness?': the coated cases read it."""
    from hemcell.errors import InputError
    from hemcell.workflows.surface import check_overrides

    with pytest.raises(InputError) as err:
        check_overrides(command, [f"{key}=1"], **model)
    assert err.value.hint.endswith(f"it is read with {where}")


def test_a_misspelt_name_gets_no_option_hint():
    from hemcell.errors import InputError
    from hemcell.workflows.surface import check_overrides

    with pytest.raises(InputError) as err:
        check_overrides("run", ["applied_curent_density=1"], case="bare", geometry="flat")
    assert "it is read with" not in err.value.hint
    assert "applied_current_density" in err.value.allowed


def test_one_seed_is_not_reported_with_a_spread(tmp_path, capsys):
    """`surface seeds --n-seeds 1` printed 'ratio 0.5729 +/- 0 over 1 seeds'."""
    require_fenicsx()
    from hemcell.cli.main import main

    code = main(["surface", "seeds", "--geometry", "flat", "--n-seeds", "1", "--set",
                 "surface_mesh_size=0.25um", "--set", "far_mesh_size=2.5um",
                 "--out", str(tmp_path / "o")])
    out = capsys.readouterr().out
    assert code == 0 and "(one seed: no spread)" in out and "+/- 0" not in out


@pytest.mark.parametrize(("sets", "field", "value", "allowed"), [
    (["electrolyte_height=1um"], "electrolyte_height", "1 um", "above 1.111 um, the crest 1 um"),
    (["nucleus_radius=6um"], "nucleus_radius", "6 um", "below 4.5 um: R + r_f < W/2"),
    (["coating_thickness=1um"], "coating_thickness", "1 um", "below nucleus_fillet_radius 0.5 um"),
])
def test_geometry_errors_name_the_set_parameter_in_um(sets, field, value, allowed):
    """`--set electrolyte_height=1um` was refused as 'geometry: electrolyte_height_m: got
    1e-06' (the dataclass field, metres)."""
    from hemcell.errors import InputError
    from hemcell.workflows.surface import resolve_case

    case, geometry = ("coated", "nucleus") if field == "coating_thickness" else \
        ("bare", "nucleus" if field == "nucleus_radius" else "sinusoid")
    with pytest.raises(InputError) as err:
        resolve_case(case, geometry, [f"{s}" for s in sets])
    assert err.value.field == field and err.value.value == value
    assert err.value.allowed.startswith(allowed), err.value.allowed
