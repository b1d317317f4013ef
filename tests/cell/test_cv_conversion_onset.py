"""``cell cv`` says, as ``cell run`` does, when conversion cannot start above the sweep's
lower end (the rock salt vs Na: its first-lithiation branches open below 0 V vs Na). The
CV showed no conversion peak and said nothing (session 18 user trial)."""

from __future__ import annotations

from hemcell.workflows.anode_cv import run_cv


def test_a_na_cv_of_the_rock_salt_says_conversion_cannot_start(capsys):
    run_cv("hem_half_cell_sp", "heo_rocksalt_mgconicuzn", [100.0], (0.01, 3.0), 1,
           ion="Na", points_per_segment=50)
    err = capsys.readouterr().err
    assert "conversion of Co, Ni, Cu, Zn cannot start above the 0.01 V cut-off" in err
    assert "the run stores no conversion capacity" in err


def test_the_sweeps_lower_end_is_the_cut_off(capsys):
    """With Li the branches open above 0.01 V: no warning; a sweep that turns at 1.2 V names
    the elements whose branches open below it."""
    run_cv("hem_half_cell_sp", "heo_rocksalt_mgconicuzn", [100.0], (0.01, 3.0), 1,
           points_per_segment=50)
    assert "cannot start" not in capsys.readouterr().err
    run_cv("hem_half_cell_sp", "heo_rocksalt_mgconicuzn", [100.0], (1.2, 3.0), 1,
           points_per_segment=50)
    assert "cannot start above the 1.2 V cut-off" in capsys.readouterr().err
