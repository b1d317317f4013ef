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
