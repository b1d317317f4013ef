"""Registry bounds of the coating's lengths (user trial: ``coating_thickness: 1 m`` was
accepted). The coating is a thin film: 10 um at most (the thickest film of the source
study is 1.6 um, seed_004 L59; the thin-layer laws need h well below the 25 um
separator); its structure lengths are bounded by the same film."""

from __future__ import annotations

import pytest

from hemcell.cli.main import main
from hemcell.params.registry import registry

COATING_LENGTHS = ("coating_thickness", "coating_thickness_options",
                   "coating_nanodot_radius", "coating_closure_thickness")


@pytest.mark.parametrize("name", COATING_LENGTHS)
def test_coating_lengths_have_a_thin_film_upper_bound(name):
    spec = registry()[name]
    assert spec.max == pytest.approx(1e-5)
    assert spec.contains(2.5e-6) and spec.contains(1e-5)  # the phase-field region example
    assert not spec.contains(1.0) and not spec.contains(1e-3)
    assert "10 um" in spec.description


def test_one_metre_coating_is_refused_naming_the_bound(capsys, tmp_path):
    code = main(["limetal", "rate", "--set", "coating_thickness=1m", "--out",
                 str(tmp_path / "r")])
    err = capsys.readouterr().err
    assert code == 2
    assert "coating_thickness" in err and "1e-05] m" in err and "thin film" in err


def test_surface_thickness_list_obeys_the_same_bound(capsys, tmp_path):
    """``surface thickness --thicknesses`` sets coating_thickness past the parameter
    files: 1e9 nm (1 m) is refused there too, naming the option and the range."""
    code = main(["surface", "thickness", "--thicknesses", "14,1e9", "--out",
                 str(tmp_path / "t")])
    err = capsys.readouterr().err
    assert code == 2
    assert "--thicknesses" in err and "1e+09 nm is outside" in err and "1e-05] m" in err
    assert not (tmp_path / "t").exists()
