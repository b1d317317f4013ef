"""A ``--set`` of the very parameter a Li-metal fit determines is refused as such, at once."""

from __future__ import annotations

import pytest

from hemcell.cli.main import main
from hemcell.errors import InputError
from hemcell.workflows import limetal_fit


@pytest.fixture
def no_fitting(monkeypatch):
    """Any fit that would start fails the test: the refusal must come first."""
    def fit(*args, **kwargs):
        raise AssertionError("a fit ran before the --set was checked")

    monkeypatch.setattr(limetal_fit, "spec_fit", fit)


@pytest.mark.parametrize(("call", "key", "value"), [
    (limetal_fit.fit_losses, "li_loss_overpotential_coefficient", "1 1/V"),
    (limetal_fit.fit_losses, "interphase_layer_bruggeman_coefficient", "2"),
    (limetal_fit.fit_nucleation, "nucleation_shape_factor", "0.5"),
    (limetal_fit.fit_fade, "lfp_deactivation_per_lost_li", "0.1"),
    (limetal_fit.fit_shuttle, "shuttle_charge_per_lost_li", "0.1"),
])
def test_setting_the_fitted_parameter_is_refused(no_fitting, call, key, value):
    with pytest.raises(InputError) as info:
        call(overrides=[f"{key}={value}"], write=False)
    message = info.value.message + " " + str(info.value.hint)
    assert key in message and "given twice" not in message
    assert "the fit determines" in message


@pytest.mark.parametrize(("fit", "key"), [("fit-fade", "lfp_deactivation_per_lost_li"),
                                          ("fit-shuttle", "shuttle_charge_per_lost_li")])
def test_cli_names_the_fitted_parameter(capsys, fit, key):
    assert main(["limetal", fit, "--dry-run", "--set", f"{key}=0.1"]) == 2
    captured = capsys.readouterr()
    err = captured.out + captured.err
    assert key in err and "the fit determines" in err and "would change nothing" not in err


def test_spec_fit_refuses_a_set_of_its_own_fitted_parameter():
    with pytest.raises(InputError) as info:
        limetal_fit.spec_fit(limetal_fit.LOSSES_AURBACH_SPEC,
                             ["li_loss_overpotential_coefficient=1 1/V"])
    assert "the fit determines" in info.value.message + str(info.value.hint)
