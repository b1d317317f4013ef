"""User trial u17: the "wrote ..." line of `hemcell cell run|cv|cycle-life` names every
file the command writes.

``cell run`` said "wrote out/summary.json, timeseries.csv, voltage_profile.png, ..." and
left out run.json and timeseries.nc (the netCDF copy docs/anode.md describes); ``cell cv``
and ``cell cycle-life`` left out run.json.
"""

from __future__ import annotations

import pytest

from hemcell.cli.main import main

SET = ["hem_half_cell_sp", "--params", "heo_rocksalt_mgconicuzn"]
COMMANDS = {
    "run": ["cell", "run", *SET, "--protocol", "Discharge at 2C until 0.5 V"],
    "cv": ["cell", "cv", *SET, "--scan-rates", "2", "--cycles", "1", "--window", "0.5,3.0"],
    "cycle-life": ["cell", "cycle-life", *SET, "--cycles", "2", "--protocol",
                   "Discharge at 2 A/g until 0.5 V; Charge at 2 A/g until 3 V"],
    # a cathode half cell also draws the capacity by redox couple (couple_contributions.png)
    "run-cathode": ["cell", "run", "cathode_half_cell_sp", "--params",
                    "cathode_hepba_femnnicuco", "--protocol", "Charge at 1C until 4 V"],
}


def _listed(text: str) -> set[str]:
    line = next(ln for ln in text.splitlines() if ln.startswith("wrote "))
    first, *rest = line.removeprefix("wrote ").split(", ")
    return {first.rsplit("/", 1)[-1], *rest}


@pytest.mark.parametrize("name", list(COMMANDS))
@pytest.mark.parametrize("plots", [True, False])
def test_the_wrote_line_names_every_file_written(tmp_path, capsys, name, plots):
    out = tmp_path / "o"
    argv = [*COMMANDS[name], "--out", str(out), *([] if plots else ["--no-plots"])]
    assert main(argv) == 0
    written = {p.name for p in out.iterdir()}
    assert _listed(capsys.readouterr().out) == written
