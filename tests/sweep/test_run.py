"""Running sweeps: resume after SIGKILL, determinism, Dask, failures, fast path vs processes.

The process-path tests sweep ``hemcell params export`` (a real, cheap command: it
resolves a parameter set with ``--set`` overrides and writes ``parameters_si.json``),
so the values read back prove that each point's arguments reached its command.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import xarray as xr

from hemcell.cli.main import main
from hemcell.sweep import parse_spec, run_sweep

EXPORT_SPEC = {
    "command": "params export",
    "arguments": ["azcnf_coated_li"],
    "results_file": "parameters_si.json",
    "parameters": {
        "coating_thickness": {"values": ["10 nm", "40 nm"]},
        "li_exchange_current_density": {"values": [0.5, 2.0], "unit": "mA/cm**2"},
    },
    "seed": {"parameter": "sei_seed", "value": 3, "per_point": True},
    "outputs": ["coating_thickness", "li_exchange_current_density", "sei_seed"],
}


def _write_spec(folder: Path, raw: dict, name: str = "spec.yaml") -> Path:
    import yaml

    path = folder / name
    path.write_text(yaml.safe_dump(raw))
    return path


def _load(path: Path) -> xr.Dataset:
    with xr.open_dataset(path) as ds:
        return ds.load()


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> tuple[Path, xr.Dataset]:
    """The export sweep run once, uninterrupted, on the local executor."""
    folder = tmp_path_factory.mktemp("reference")
    spec = parse_spec(EXPORT_SPEC)
    report = run_sweep(spec, folder / "out", workers=2, progress=False)
    assert (report.total, report.computed, report.failed, report.path) == (4, 4, 0, "process")
    return folder / "out", _load(report.results)


def test_results_are_labelled_with_units_and_values_reach_the_command(reference):
    out, ds = reference
    assert ds.sizes == {"coating_thickness": 2, "li_exchange_current_density": 2}
    assert ds["coating_thickness"].attrs["units"] == "nm"
    # CF/UDUNITS units, with the pint spelling kept beside them
    assert ds["li_exchange_current_density"].attrs["units"] == "mA cm-2"
    assert ds["li_exchange_current_density"].attrs["hemcell_units"] == "mA/cm**2"
    assert ds["coating_thickness_result"].attrs["units"] == "m"
    np.testing.assert_allclose(ds["coating_thickness_result"].sel(li_exchange_current_density=2.0),
                               [1e-8, 4e-8], rtol=1e-12)
    np.testing.assert_allclose(  # 1 mA/cm² = 10 A/m²
        ds["li_exchange_current_density_result"].sel(coating_thickness=40.0), [5.0, 20.0])
    assert (ds["status"] == 1).all()
    assert (out / "results.png").stat().st_size > 1000
    assert json.loads((out / "failures.json").read_text()) == []


def test_results_pass_the_cf_compliance_checker(reference, tmp_path):
    """docs/sweeps.md: the IOOS compliance checker (6.1, ``cf:1.10``) passes
    ``results.nc`` with no error or warning."""
    from compliance_checker.runner import CheckSuite, ComplianceChecker

    out, _ = reference
    CheckSuite.load_all_available_checkers()
    passed, errors = ComplianceChecker.run_checker(
        str(out / "results.nc"), ["cf:1.10"], 0, "normal", str(tmp_path / "cf.txt"), "text")
    assert passed and not errors, (tmp_path / "cf.txt").read_text()


def test_seeds_reach_each_point_deterministically(reference):
    _, ds = reference
    spec = parse_spec(EXPORT_SPEC)
    expected = {p.id: int(p.args[-1].split("=")[1]) for p in spec.points}
    got = {str(i): int(s) for i, s in zip(ds["point_id"].values.ravel(),
                                          ds["sei_seed"].values.ravel(), strict=True)}
    assert got == expected
    assert len(set(got.values())) == 4


# Runs the CLI and SIGKILLs its own process right after the second point file is written:
# the kill lands at the same place however busy the machine is (polling for files from
# the test and killing then raced the two remaining points on a loaded machine).
KILL_AFTER_TWO_POINTS = """
import os, signal, sys

from hemcell.sweep import store

_write = store.PointStore.write
_written = []


def write(self, *args, **kwargs):
    record = _write(self, *args, **kwargs)
    _written.append(record["id"])
    if len(_written) == 2:
        os.kill(os.getpid(), signal.SIGKILL)
    return record


store.PointStore.write = write
from hemcell.cli.main import main

sys.exit(main(sys.argv[1:]))
"""


def test_sigkill_then_resume_recomputes_nothing_and_matches(reference, tmp_path):
    _, ref = reference
    spec_path = _write_spec(tmp_path, EXPORT_SPEC)
    out = tmp_path / "out"
    killer = tmp_path / "kill_after_two_points.py"
    killer.write_text(KILL_AFTER_TWO_POINTS)
    proc = subprocess.run([sys.executable, str(killer), "sweep", str(spec_path),
                           "--out", str(out), "--workers", "2"],
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=600)
    assert proc.returncode == -signal.SIGKILL
    deadline = time.monotonic() + 120  # killed point processes may take a moment to go
    while True:
        orphans = [p for p in Path("/proc").iterdir() if p.name.isdigit() and
                   _cmdline(p).count(str(out)) and int(p.name) != os.getpid()]
        if not orphans or sys.platform != "linux" or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    if sys.platform == "linux":
        assert orphans == [], "point processes outlived the killed sweep"
    finished = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in (out / "points").glob("*.json")}
    assert len(finished) == 2
    ran = {p.stem: (out / "runs" / p.stem / "parameters_si.json").stat().st_mtime_ns
           for p in finished}

    assert main(["sweep", str(spec_path), "--out", str(out)]) == 2  # refuses without --resume
    assert main(["sweep", str(spec_path), "--out", str(out), "--resume", "--workers", "2"]) == 0

    for p, (mtime, content) in finished.items():
        assert (p.stat().st_mtime_ns, p.read_bytes()) == (mtime, content)
    for pid, mtime in ran.items():  # the command did not run again for finished points
        assert (out / "runs" / pid / "parameters_si.json").stat().st_mtime_ns == mtime
    assert len(list((out / "points").glob("*.json"))) == 4
    _assert_same(_load(out / "results.nc"), ref)


def _assert_same(a: xr.Dataset, b: xr.Dataset) -> None:
    """Identical data, coordinates and attributes, apart from the spec file's path."""
    a, b = a.copy(), b.copy()
    a.attrs.pop("spec"), b.attrs.pop("spec")
    xr.testing.assert_identical(a, b)


def _cmdline(proc_dir: Path) -> str:
    try:
        return (proc_dir / "cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def test_dask_local_cluster_with_two_workers_gives_the_same_results(reference, tmp_path):
    from dask.distributed import LocalCluster

    _, ref = reference
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                      dashboard_address=None) as cluster:
        report = run_sweep(parse_spec(EXPORT_SPEC), tmp_path / "out", executor="dask",
                           scheduler=cluster.scheduler_address, progress=False)
    assert (report.computed, report.failed) == (4, 0)
    _assert_same(_load(report.results), ref)


# A CSV of points: C-rate, LFP radius, initial stoichiometry. Starting nearly discharged
# (stoichiometry 0.999, open-circuit 2.51 V) the voltage is below the 2.8 V cut-off set
# by the spec at t = 0: PyBaMM refuses that point, the others must finish.
POINTS_CSV = """c_rate,lfp_particle_radius [nm],initial_stoichiometry
0.5,30,0.01
3,300,0.01
3,30,0.999
1,100,0.02
"""


@pytest.fixture(scope="module")
def cc_spec(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("cc")
    (folder / "points.csv").write_text(POINTS_CSV)
    return _write_spec(folder, {
        "command": "pybamm cc-discharge", "options": {"--model": "SPM"},
        "set": {"cell_lower_cutoff_voltage": "2.8 V", "cell_upper_cutoff_voltage": "4.0 V"},
        "points": {"csv": "points.csv",
                   "columns": {"initial_stoichiometry": {"option": "--initial-stoichiometry"}}},
        "outputs": ["discharge_capacity_Ah", "average_voltage_V"]})


@pytest.fixture(scope="module")
def fast_run(cc_spec, tmp_path_factory) -> tuple[Path, xr.Dataset]:
    out = tmp_path_factory.mktemp("fast") / "out"
    assert main(["sweep", str(cc_spec), "--out", str(out), "--workers", "2"]) == 1  # a failure
    assert json.loads((out / "sweep.json").read_text())["path"] == "fast"
    return out, _load(out / "results.nc")


def test_failing_point_is_recorded_and_the_others_finish(fast_run):
    out, ds = fast_run
    failures = json.loads((out / "failures.json").read_text())
    assert [f["values"]["initial_stoichiometry"] for f in failures] == [0.999]
    assert "Minimum voltage" in failures[0]["error"]
    assert ds["status"].values.tolist() == [1, 1, 0, 1]
    cap = ds["discharge_capacity_Ah"].values
    assert np.isnan(cap[2]) and np.isfinite(cap[[0, 1, 3]]).all()
    assert cap[1] < cap[0]  # 3C on big particles holds less than 0.5C on small ones


def test_fast_path_matches_a_model_rebuilt_per_point(cc_spec, fast_run):
    """The radius rescaling and the inputs against a simulation built for each point."""
    from hemcell.sweep import load_spec
    from hemcell.workflows.cc_discharge import Setup, discharge

    _, fast = fast_run
    spec = load_spec(cc_spec)
    for i in (1, 3):
        v = spec.points[i].values
        radius = f"lfp_particle_radius={v['lfp_particle_radius']} nm"
        setup = Setup(model="SPM", initial_stoichiometry=v["initial_stoichiometry"],
                      overrides=(*(f"{k}={t}" for k, t in spec.set), radius))
        rebuilt = discharge(setup, v["c_rate"])
        assert fast["discharge_capacity_Ah"].values[i] == pytest.approx(
            rebuilt["discharge_capacity_Ah"], rel=1e-6)
        assert fast["average_voltage_V"].values[i] == pytest.approx(
            rebuilt["average_voltage_V"], rel=1e-6)


@pytest.mark.slow
def test_fast_path_matches_one_process_per_point(cc_spec, fast_run, tmp_path):
    _, fast = fast_run
    out = tmp_path / "out"
    assert main(["sweep", str(cc_spec), "--out", str(out), "--workers", "2",
                 "--no-fast-path"]) == 1
    assert json.loads((out / "sweep.json").read_text())["path"] == "process"
    slow = _load(out / "results.nc")
    assert slow["status"].values.tolist() == [1, 1, 0, 1]
    for name in ("discharge_capacity_Ah", "average_voltage_V"):
        np.testing.assert_allclose(fast[name].values, slow[name].values, rtol=1e-6)
    failures = json.loads((out / "failures.json").read_text())
    assert "Minimum voltage" in failures[0]["error"]
    assert (out / "runs" / failures[0]["id"] / "log.txt").is_file()


def test_an_output_the_command_does_not_write_stops_the_sweep(tmp_path):
    from hemcell.errors import InputError

    spec = parse_spec({"command": "pybamm cc-discharge", "options": {"--model": "SPM"},
                       "parameters": {"c_rate": {"option": "--c-rate", "values": [1, 2]}},
                       "outputs": ["discharge_capacity_mAh_per_gram"]})
    with pytest.raises(InputError, match="discharge_capacity_mAh_per_cm2"):
        run_sweep(spec, tmp_path / "out", workers=1, progress=False)


def test_fast_path_chunks_run_as_dask_tasks(cc_spec, fast_run, tmp_path):
    from dask.distributed import LocalCluster

    from hemcell.sweep import load_spec

    _, fast = fast_run
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                      dashboard_address=None) as cluster:
        report = run_sweep(load_spec(cc_spec), tmp_path / "out", executor="dask",
                           scheduler=cluster.scheduler_address, progress=False)
    assert (report.path, report.computed, report.failed) == ("fast", 4, 1)
    _assert_same(_load(report.results), fast)
