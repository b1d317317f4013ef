"""Second user trial of ``hemcell fit``: a spec's parameter name with a typo, a spec's
``set:`` list naming a value twice or a fitted parameter, and ``profile: false``."""

from __future__ import annotations

import pytest
import yaml

from hemcell.errors import InputError
from hemcell.resources import repo_root
from hemcell.workflows.fit import load_spec

FITS = repo_root() / "examples" / "fits"
DATA = repo_root() / "examples" / "data" / "synthetic_eis_li_li_bare.csv"


def _spec(tmp_path, **change):
    """The shipped Li||Li impedance spec (a fit of closed-form spectra: fast)."""
    spec = yaml.safe_load((FITS / "eis_li_li_2param.yaml").read_text())
    spec["data"] = [{"file": str(DATA)}]
    spec["fit"]["multistart"] = 1
    spec["fit"]["profile"] = False
    for key, value in change.items():
        section, name = key.split("__")
        spec[section][name] = value
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False))
    return path, spec


def test_a_misspelt_fitted_parameter_gets_did_you_mean(tmp_path):
    path, spec = _spec(tmp_path)
    params = spec["fit"]["parameters"]
    params["li_double_layer_capacitance"] = params.pop("li_double_layer_capacity")
    path.write_text(yaml.safe_dump(spec, sort_keys=False))
    with pytest.raises(InputError) as exc:
        load_spec(path)
    assert exc.value.field == "fit.parameters"
    assert "did you mean li_double_layer_capacity" in str(exc.value)


@pytest.mark.parametrize(("sets", "names"), [
    (["li_exchange_current_density=10A/m^2", "li_exchange_current_density=12A/m^2"],
     ["li_exchange_current_density", "10A/m^2", "12A/m^2"]),
    (["li_double_layer_capacity=0.3F/m^2"], ["li_double_layer_capacity", "fit.parameters"]),
])
def test_a_spec_set_list_names_each_value_once_and_not_a_fitted_one(tmp_path, sets, names):
    """The fitted value replaced a `set:` entry of the same name without a word, and of
    two `set:` entries the last one was kept."""
    path, _ = _spec(tmp_path, model__set=sets)
    with pytest.raises(InputError) as exc:
        load_spec(path)
    assert exc.value.field == "model.set"
    assert all(n in str(exc.value) for n in names)


def test_no_profiles_png_without_profiles(tmp_path):
    """`profile: false` wrote an empty profiles.png ('profile not computed' panels)."""
    from hemcell.workflows.fit import fit, write_outputs

    path, _ = _spec(tmp_path)
    write_outputs(fit(load_spec(path)), tmp_path / "out")
    assert (tmp_path / "out" / "fit.png").exists()
    assert not (tmp_path / "out" / "profiles.png").exists()
