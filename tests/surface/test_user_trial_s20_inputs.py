"""User trial S20 (surface): inputs a new user typed.

`hemcell surface thickness --thicknesses 28,28` was refused with
"got [2.8000000000000003e-08, 2.8000000000000003e-08]; allowed: distinct thicknesses":
metres with round-off for an option typed in nm.
"""

from __future__ import annotations

import pytest

from tests.surface.conftest import require_fenicsx


def test_a_thickness_given_twice_is_named_in_nm_as_typed(tmp_path, capsys):
    from hemcell.cli.main import main

    code = main(["surface", "thickness", "--thicknesses", "28,14,28", "--out",
                 str(tmp_path / "o"), "--no-plots"])
    err = capsys.readouterr().err
    assert code == 2
    assert "--thicknesses: got '28,14,28'" in err
    assert "distinct thicknesses (28 nm given more than once)" in err
    assert "e-08" not in err
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize("command", [
    ["surface", "run", "--case", "bare", "--geometry", "sinusoid"],
    ["surface", "compare", "--geometry", "sinusoid"],
    ["surface", "phasefield", "--case", "bare", "--duration-s", "1"]])
@pytest.mark.parametrize("potential", ["-50mV", "0V"])
def test_a_stripping_potential_exits_2_naming_applied_potential(tmp_path, capsys, command,
                                                                 potential):
    """`surface run --case bare --control potentiostatic --set applied_potential=-50mV`
    stripped the metal (mean current -136 A/m2) and printed current_focusing_factor =
    0.5157, max/mean of negative currents (|i| varied 312/136 = 2.3x); `compare` then read
    bare 0.52 against coated 0.99; 0 V stripped too (-0.32 A/m2, the stress shift)."""
    from hemcell.cli.main import main

    code = main([*command, "--control", "potentiostatic", "--set",
                 f"applied_potential={potential}", "--no-plots", "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert code == 2
    assert "applied_potential: got '" in err and "allowed: > 0 V" in err
    assert "not stripping" in err
    assert not (tmp_path / "o").exists()


def test_the_surface_parameters_refuse_it_for_every_caller():
    from hemcell.errors import InputError
    from tests.surface.conftest import example_parameters

    p = example_parameters()
    with pytest.raises(InputError, match="applied_potential"):
        p.replace(control="potentiostatic", applied_potential_V=-0.05)
    assert p.replace(control="potentiostatic", applied_potential_V=0.05).applied_potential_V \
        == 0.05


@pytest.mark.parametrize("command", [["surface", "run", "--case", "bare"],
                                     ["surface", "compare"]])
def test_a_3d_mesh_too_coarse_for_the_gap_names_the_3d_size(tmp_path, capsys, command):
    """`surface run --dim 3 --set surface_mesh_size_3d=20um` was refused naming
    `surface_mesh_size 20 um` with the hint "lower surface_mesh_size", a name a 3D run
    refuses as unread."""
    require_fenicsx()
    from hemcell.cli.main import main

    code = main([*command, "--dim", "3", "--geometry", "nucleus", "--set",
                 "surface_mesh_size_3d=20um", "--no-plots", "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert code == 2
    assert "electrolyte_height: got '25 um'; allowed: at least 62 um" in err
    assert "elements of surface_mesh_size_3d 20 um" in err
    assert "hint: raise electrolyte_height, or lower surface_mesh_size_3d" in err
    assert "surface_mesh_size " not in err


def test_the_2d_message_keeps_the_2d_name(tmp_path, capsys):
    require_fenicsx()
    from hemcell.cli.main import main

    code = main(["surface", "run", "--case", "coated", "--geometry", "sinusoid", "--set",
                 "surface_mesh_size=10um", "--no-plots", "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert code == 2 and "lower surface_mesh_size\n" in err


def test_a_duration_far_past_the_cell_filling_exits_2_with_the_fill_time(tmp_path, capsys):
    """`surface phasefield --case bare --duration-s 1e9 --set applied_current_density=
    1mA/cm2` ran with "[0%] ... ETA 82831935 s"; it would stop when the deposit filled the
    cell (a flat one by 9649 s), keeping only the first and last of its frames, which are
    spaced over the duration. A rough deposit gets there sooner: the default cell at 200
    mA/cm2 stopped at 23.2 s of --duration-s 60 (flat bound 48.2 s)."""
    require_fenicsx()
    from hemcell.cli.main import main

    code = main(["surface", "phasefield", "--case", "bare", "--duration-s", "1e9", "--set",
                 "applied_current_density=1mA/cm2", "--no-plots", "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert code == 2
    assert "--duration-s: got '1e+09 s'; allowed: at most 10 x 9649 s" in err
    assert "hint: --duration-s 9.65e+03 (or less)" in err
    assert not (tmp_path / "o").exists()


def test_the_fill_time_is_faradays_law():
    """(f H - s0) zF/(i V_m): 0.8 x 20 um - 3 um of Li (1.3e-5 m3/mol) at 1 mA/cm2 is
    13e-6 x 96485.33 / (10 x 1.3e-5) = 9648.5 s; potentiostatic has none."""
    require_fenicsx()
    from hemcell.workflows.phasefield import flat_fill_time_s, resolve_phasefield

    p, _ = resolve_phasefield("bare", "Li", ["applied_current_density=1mA/cm2"])
    f, H, s0 = p.max_height_fraction, p.domain_height_m, p.initial_metal_height_m
    expected = (f * H - s0) * 96485.33212 / (10.0 * p.metal_molar_volume_m3_per_mol)
    assert flat_fill_time_s(p) == pytest.approx(expected, rel=1e-9)
    assert flat_fill_time_s(p.replace(control="potentiostatic")) is None


def test_an_interface_too_wide_is_named_with_its_unit(tmp_path, capsys):
    """`--set phasefield_interface_width=5um` said "got 4.9999999999999996e-06" (no unit)."""
    require_fenicsx()
    from hemcell.cli.main import main

    code = main(["surface", "phasefield", "--case", "bare", "--duration-s", "1", "--set",
                 "phasefield_interface_width=5um", "--no-plots", "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert code == 2 and "phasefield_interface_width: got '5e-06 m'; allowed: <=" in err


@pytest.mark.parametrize("command", ["seeds", "thickness"])
def test_a_negative_first_seed_is_named_as_the_option(tmp_path, capsys, command):
    """`surface seeds --first-seed -1` was refused as "--set roughness_seed.value: got '-1
    dimensionless (= -1 dimensionless)'", an option the user had not given."""
    from hemcell.cli.main import main

    code = main(["surface", command, "--n-seeds", "2", "--first-seed", "-1", "--out",
                 str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert code == 2
    assert "--first-seed: got -1; allowed: >= 0" in err and "--set" not in err
    assert not (tmp_path / "o").exists()


def test_a_list_in_one_set_value_is_not_given_a_decimal_comma_hint(tmp_path, capsys):
    """`--set coating_thickness=28nm,70nm` was told "for a decimal comma write
    '28nm.70nm'"; a unit before the comma marks a list (hemcell.units, the one parser)."""
    from hemcell.cli.main import main

    code = main(["surface", "run", "--case", "coated", "--geometry", "flat", "--set",
                 "coating_thickness=28nm,70nm", "--no-plots", "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert code == 2 and "--set coating_thickness: got '28nm,70nm'" in err
    assert "this looks like a list" in err and "28nm.70nm" not in err


def test_zn_thin_layer_means_the_metal_current_not_the_film_current(tmp_path):
    """`surface run --metal Zn --case coated_thin --geometry flat` printed
    current_focusing_factor = 0.9997 (max/mean < 1): the mean was the film current,
    which also carries hydrogen evolution (10 A/m2, the applied current), the maximum the
    metal's (9.9965). Now the mean is the metal's: on the flat cell it and the HER mean
    add up to the applied current, and it lies between the nodal minimum and maximum."""
    require_fenicsx()
    import json

    from hemcell.cli.main import main

    out = tmp_path / "zn"
    assert main(["surface", "run", "--metal", "Zn", "--case", "coated_thin", "--geometry",
                 "flat", "--no-plots", "--out", str(out)]) == 0
    m = json.loads((out / "metrics.json").read_text())
    mean, her = m["mean_current_density_A_per_m2"], m["mean_her_current_density_A_per_m2"]
    assert mean + her == pytest.approx(10.0, rel=1e-6)  # 1 mA/cm2 on a flat surface
    assert m["min_current_density_A_per_m2"] <= mean * (1 + 1e-9)
    assert m["current_focusing_factor"] >= 1.0 - 1e-9
    assert m["her_current_fraction"] == pytest.approx(her / 10.0, rel=1e-6)


def test_a_step_failure_set_by_the_frame_spacing_says_so():
    """`surface phasefield --case bare --duration-s 1e-6` (11 frames: 1e-7 s steps) failed
    with "phase-field step below 1e-08 s at t = 0 s" and a hint about the current alone
    (200 against 294.8 mA/cm2, not the cause: 1e-5 s ran at the same current)."""
    require_fenicsx()
    from hemcell.surface.phasefield import _step_failure_hint
    from tests.surface.phasefield_case import pf_parameters

    short = _step_failure_hint(pf_parameters(duration_s=1e-6, frames=11,
                                             initial_time_step_s=0.01))
    assert "frame spacing --duration-s / (phasefield_frames - 1) = 1e-07 s" in short
    assert "; else the applied current is" in short
    normal = _step_failure_hint(pf_parameters(duration_s=10.0, frames=11,
                                              initial_time_step_s=0.01))
    assert "frame spacing" not in normal and normal.startswith("the applied current is")
