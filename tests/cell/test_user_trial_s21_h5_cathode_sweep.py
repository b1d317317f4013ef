"""User trial s21 (H5): a sweep of a cathode half cell was refused before it ran.

docs/cathodes.md: "``hemcell sweep`` runs ``cell run`` with a cathode half-cell recipe on
the process path". A spec with ``arguments: [cathode_half_cell_sp]`` and a temperature
axis was refused (exit 2): "every point: recipe: got 'cathode_half_cell_sp'; allowed: a
recipe with a HEM anode", with the hint that the recipe "runs in ``hemcell cell run`` and
its sweeps only": the spec check prepares its probe points with the fast path's
``point_setup``, which prepared an anode cell only. The points are now prepared as the
cathode workflow prepares them (bad input still refused before anything runs) and run on
the process path.
"""

import json

import pytest

from hemcell.cli.main import main

SPEC = """\
description: HE-PBA half cell, first charge vs temperature
command: cell run
arguments: [cathode_half_cell_sp]
options: {{--params: cathode_hepba_femnnicuco, --protocol: "{protocol}", --no-plots: true}}
parameters:
  ambient_temperature:
    values: [10]
    unit: degC
combine: grid
outputs: ["charge_capacity_mAh_per_g[0]", "mean_charge_voltage_V[0]"]
"""


def _spec(tmp_path, protocol):
    path = tmp_path / "spec.yaml"
    path.write_text(SPEC.format(protocol=protocol))
    return path


def test_a_cathode_sweep_passes_the_check_and_runs(tmp_path, capsys):
    """One point (a process of its own, ~6 s): the sweep's value is the one ``cell run``
    gives with the same arguments in this process."""
    protocol = "Charge at 2C until 4.2 V"
    out = tmp_path / "sweep"
    assert main(["sweep", str(_spec(tmp_path, protocol)), "--out", str(out),
                 "--workers", "1"]) == 0
    said = capsys.readouterr()
    assert ("a cathode half-cell or hard-carbon recipe (the process path runs it)"
            in said.out + said.err)
    xr = pytest.importorskip("xarray")
    with xr.open_dataset(out / "results.nc") as ds:
        swept = float(ds["charge_capacity_mAh_per_g_0"].values[0])
        assert int(ds.attrs["failed"]) == 0
    points = sorted((out / "runs").glob("*/summary.json"))
    assert len(points) == 1
    assert json.loads(points[0].read_text())["recipe"] == "cathode_half_cell_sp"
    assert not list((out / "runs").glob("*/*.png"))  # --no-plots: true reached the run
    direct = tmp_path / "direct"
    assert main(["cell", "run", "cathode_half_cell_sp", "--params", "cathode_hepba_femnnicuco",
                 "--protocol", protocol, "--set", "ambient_temperature=10degC", "--no-plots",
                 "--out", str(direct)]) == 0
    expected = json.loads((direct / "summary.json").read_text())["charge_capacity_mAh_per_g"][0]
    assert swept == pytest.approx(expected, rel=1e-12)


def test_a_cathode_sweep_with_bad_input_is_refused_before_it_runs(tmp_path, capsys):
    out = tmp_path / "sweep"
    assert main(["sweep", str(_spec(tmp_path, "Charge at 2C until 4.5 V")), "--out",
                 str(out)]) == 2
    err = capsys.readouterr().err
    assert "voltages inside the window 2–4.2 V of the cathode set" in err
    assert "a recipe with a HEM anode" not in err
    assert not (out / "points").exists()
    assert not list((out / "runs").glob("*/*.png"))  # --no-plots: true reached the runs
