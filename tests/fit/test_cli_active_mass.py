"""``hemcell fit --active-mass``: the data sets' ``active_mass`` from the command line.

Before, the mass that absolute currents and capacities (``mA``, ``mAh``) act on could only
be given per data set in the spec (``active_mass``); a user with one electrode and several
curves wrote it once per data set. The option sets it for every data set that gives none,
a data set's own key wins, and a bad value exits 2 naming ``--active-mass``.
"""

from __future__ import annotations

import numpy as np
import pytest
import yaml

from hemcell.cli.fit import with_active_mass
from hemcell.resources import repo_root
from hemcell.workflows.fit import RECIPE_MASS, FitProblem, load_spec

MODEL = {"command": "cell run", "recipe": "hem_half_cell_sp",
         "params": "heo_rocksalt_mgconicuzn",
         "mechanisms": ["intercalation", "conversion", "alloying", "space_charge"]}
J0 = {"initial": "3e-3 A/m**2", "bounds": ["1e-5 A/m**2", "1e-1 A/m**2"], "scale": "log"}
PROTOCOL = "Discharge at 0.1 A/g until 0.01 V"


def _spec(tmp_path, data):
    spec = {"model": MODEL, "data": data,
            "fit": {"parameters": {"conversion_exchange_current_density": J0},
                    "multistart": 1, "profile": False},
            "objective": {"signal": "voltage_vs_time", "noise": {"sigma": "5 mV"}}}
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False))
    return path


def test_option_sets_the_mass_of_every_data_set_without_one(tmp_path, absolute_csv):
    """1.2 mg from the option: the model runs at the data's 0.12 mA / 1.2 mg = 100 mA/g
    (A/kg) on both data sets; a data set with its own ``active_mass: recipe`` keeps it."""
    spec = load_spec(_spec(tmp_path, [
        {"file": str(absolute_csv), "protocol": PROTOCOL, "name": "a"},
        {"file": str(absolute_csv), "protocol": PROTOCOL, "name": "b"},
        {"file": str(absolute_csv), "name": "own", "active_mass": "recipe"}]))
    spec = with_active_mass(spec, "1.2 mg")
    assert [d.active_mass for d in spec.data] == [pytest.approx(1.2e-6, rel=1e-12)] * 2 + [
        RECIPE_MASS]
    assert [e["active_mass"] for e in spec.raw["data"]] == ["1.2 mg", "1.2 mg", "recipe"]
    problem = FitProblem(spec)
    for ds in problem.datasets[:2]:
        assert ds.per_mass and np.allclose(ds.current_shape, 100.0)
    own = problem.datasets[2]
    assert not own.per_mass and np.allclose(own.current_shape, 0.12e-3)  # A, as given
    assert with_active_mass(spec, None) is spec


@pytest.mark.parametrize(("value", "allowed"), [
    ("1.2", "mass"), ("-1 mg", "positive"), ("3 mA", "kg"),
])
def test_bad_value_exits_2_naming_the_option(tmp_path, capsys, absolute_csv, value, allowed):
    from hemcell.cli.main import main

    spec = _spec(tmp_path, [{"file": str(absolute_csv), "protocol": PROTOCOL}])
    code = main(["fit", str(spec), "--out", str(tmp_path / "out"), "--no-plots",
                 "--active-mass", value])
    err = capsys.readouterr().err
    assert code == 2
    assert "--active-mass" in err and allowed in err and "data[0]" not in err
    assert not (tmp_path / "out" / "fit.json").exists()


def test_option_refused_for_a_command_without_absolute_data(tmp_path, capsys):
    """The shipped Aurbach-CE spec (`limetal licu`): its data hold no currents or
    capacities, so a mass has nothing to act on (the spec key's rule)."""
    from hemcell.cli.main import main

    spec = repo_root() / "examples" / "fits" / "limetal_fit_losses_aurbach.yaml"
    code = main(["fit", str(spec), "--out", str(tmp_path / "out"), "--no-plots",
                 "--active-mass", "1.2 mg"])
    err = capsys.readouterr().err
    assert code == 2 and "--active-mass" in err and "cell run" in err
