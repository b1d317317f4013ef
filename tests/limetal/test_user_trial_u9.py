"""User trial U9 of `hemcell limetal`: a C-rate that is not a finite number."""

from __future__ import annotations

import pytest

from hemcell.cli.main import main


@pytest.mark.parametrize("value", ["inf", "nan"])
def test_cycle_refuses_a_c_rate_that_is_not_finite_naming_the_option(tmp_path, capsys, value):
    """`--c-rate inf` ran into the loss law and exited 2 naming
    "li_loss_overpotential_coefficient * eta_loc", which the user never typed."""
    argv = ["limetal", "cycle", "--cycles", "2", "--c-rate", value, "--no-plots",
            "--out", str(tmp_path / "o")]
    assert main(argv) == 2
    captured = capsys.readouterr()
    err = captured.out + captured.err
    assert "--c-rate" in err and "finite C-rate > 0" in err


def test_run_cycling_refuses_an_infinite_c_rate():
    from hemcell.errors import InputError
    from hemcell.limetal.cycling import run_cycling

    with pytest.raises(InputError) as exc:
        run_cycling(None, 2, float("inf"))  # refused before the cell is read
    assert exc.value.field == "--c-rate" and "finite" in exc.value.allowed


def test_the_cv_cut_off_message_suggests_no_value_it_refuses():
    """`--c-rate 0.05 --cv-cutoff-c-rate 0.05` was refused with "e.g. 0.05 (C/20)"."""
    from hemcell.errors import InputError
    from hemcell.limetal.cycling import run_cycling

    with pytest.raises(InputError) as exc:
        run_cycling(None, 2, 0.05, cv_cutoff_c_rate=0.05)
    assert "0.05 (C/20)" not in exc.value.allowed
    with pytest.raises(InputError) as exc:
        run_cycling(None, 2, 1.0, cv_cutoff_c_rate=1.0)
    assert "e.g. 0.05 (C/20)" in exc.value.allowed
