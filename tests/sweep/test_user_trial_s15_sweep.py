"""User trial s15: what a failed fast-path point points to, and PyBaMM's log line.

A `cell run` sweep over the specific current (0.5, 200, 5000 A/g; the fast path) wrote
``"log": "runs/<id>/log.txt"`` for its two failed points, a file the fast path never
writes (no process of their own); and both `cell run` and the sweep printed PyBaMM's
"<date> - [WARNING] simulation._check_infeasible_steps(707): Step ... Skipping step."
before hemcell's own error for the 200 A/g step.
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys

import pybamm
import yaml

from hemcell.cli.main import main
from hemcell.runinfo import PYBAMM_LOGGER, one_command
from hemcell.sweep.gather import failure_log

SPEC = {
    "command": "cell run",
    "arguments": ["hem_half_cell_sp"],
    "options": {"--params": "heo_rocksalt_mgconicuzn"},
    "parameters": {"specific_current": {
        "option": "--protocol", "template": "Discharge at {value} A/g until 0.01 V",
        "values": [0.5, 200], "unit": "A/g"}},
    "outputs": ["discharge_capacity_mAh_per_g[0]"],
}


def test_a_failed_fast_path_point_points_to_a_file_that_exists(tmp_path, capsys):
    spec = tmp_path / "spec.yaml"
    spec.write_text(yaml.safe_dump(SPEC))
    out = tmp_path / "out"
    assert main(["sweep", str(spec), "--out", str(out), "--no-plots"]) == 1
    assert json.loads((out / "sweep.json").read_text())["path"] == "fast"
    (failure,) = json.loads((out / "failures.json").read_text())
    assert failure["values"] == {"specific_current": 200}
    assert failure["log"] == f"points/{failure['id']}.json"
    record = json.loads((out / failure["log"]).read_text())
    assert record["status"] == "failed" and "first step could not start" in record["error"]
    assert "_check_infeasible_steps" not in capsys.readouterr().err


def test_a_process_point_keeps_its_log(tmp_path):
    (tmp_path / "runs" / "abc").mkdir(parents=True)
    (tmp_path / "runs" / "abc" / "log.txt").write_text("error: ...")
    assert failure_log(tmp_path, "abc") == "runs/abc/log.txt"
    assert failure_log(tmp_path, "def") == "points/def.json"


def test_pybamm_says_a_skipped_first_step_only_through_hemcell(tmp_path):
    """The command's stderr (PyBaMM's logger writes to the stderr of its import) holds
    hemcell's error and not PyBaMM's log line; outside a command the filter is gone."""
    r = subprocess.run(
        [sys.executable, "-m", "hemcell", "cell", "run", "hem_half_cell_sp", "--params",
         "heo_rocksalt_mgconicuzn", "--protocol", "Discharge at 200 A/g until 0.01 V",
         "--no-plots", "--out", str(tmp_path / "o")], capture_output=True, text=True,
        timeout=300)
    assert r.returncode == 1
    assert "error: the first step could not start" in r.stderr
    assert "_check_infeasible_steps" not in r.stderr and "Skipping step" not in r.stderr
    with one_command():
        assert logging.getLogger(PYBAMM_LOGGER).filters
    assert not pybamm.logger.filters  # library users keep PyBaMM's own log


def test_a_parameter_set_axis_naming_no_set_is_refused_before_running(tmp_path):
    """A `--params` axis with a set that does not exist, and no `set:`, ran and failed at
    each of its points; it is a spec error now (exit 2, nothing written)."""
    spec = tmp_path / "spec.yaml"
    spec.write_text(yaml.safe_dump({
        "command": "cell run", "arguments": ["hem_half_cell_sp"],
        "options": {"--protocol": "Discharge at 0.5 A/g until 0.01 V"},
        "parameters": {"composition": {"option": "--params",
                                       "values": ["heo_rocksalt_mgconicuzn", "banana_set"]}},
        "outputs": ["discharge_capacity_mAh_per_g[0]"]}))
    out = tmp_path / "out"
    r = subprocess.run([sys.executable, "-m", "hemcell", "sweep", str(spec), "--out", str(out)],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 2, r.stderr
    assert "parameter set: got 'banana_set'" in r.stderr
    assert not out.exists()
