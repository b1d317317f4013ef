"""A resumed sweep reuses only point files it can trust; outputs are written atomically.

The sweep is ``hemcell params export`` over three coating thicknesses (a real, cheap
command): the value read back must be the thickness passed, in metres.
"""

from __future__ import annotations

import json
import os
import socket
import stat

import numpy as np
import pytest
import xarray as xr

from hemcell.cli.main import main
from hemcell.errors import InputError
from hemcell.sweep import parse_spec, run_sweep
from hemcell.sweep.store import PointStore, record_problem

SPEC = {
    "command": "params export",
    "arguments": ["azcnf_coated_li"],
    "results_file": "parameters_si.json",
    "parameters": {"coating_thickness": {"values": ["10 nm", "20 nm", "40 nm", "80 nm",
                                                    "160 nm", "320 nm"]}},
    "outputs": ["coating_thickness"],
}
THICKNESS_M = [10e-9, 20e-9, 40e-9, 80e-9, 160e-9, 320e-9]


def _load(path):
    with xr.open_dataset(path) as ds:
        return ds.load()


@pytest.fixture(scope="module")
def finished(tmp_path_factory):
    out = tmp_path_factory.mktemp("resume") / "out"
    report = run_sweep(parse_spec(SPEC), out, workers=2, progress=False)
    assert (report.computed, report.failed) == (6, 0)
    return out


def _damage(path, how):
    """Break a point file the ways a killed run, a full disk or a hand edit would."""
    rec = json.loads(path.read_text())
    if how == "summary null":
        rec["summary"] = None
    elif how == "output missing":
        rec["summary"].pop("coating_thickness")
    elif how == "output text":
        rec["summary"]["coating_thickness"] = "ten nanometres"
    elif how == "other point":
        rec["args"][-1] = "coating_thickness=11 nm"
    elif how == "binary garbage":
        path.write_bytes(bytes(range(256)) * 8)
        return
    path.write_text(json.dumps(rec))


def test_resume_recomputes_every_point_file_it_cannot_trust(finished, tmp_path):
    import shutil

    out = tmp_path / "out"
    shutil.copytree(finished, out)
    spec = parse_spec(SPEC)
    store = PointStore(out)
    damages = ["summary null", "output missing", "output text", "other point",
               "binary garbage"]
    for point, how in zip(spec.points, damages, strict=False):
        _damage(store.path(point.id), how)
    # leftovers of a run killed while writing its results
    (out / ".results.nc.tmp").write_bytes(b"")
    (out / ".results.x1y2.png").write_bytes(b"")
    report = run_sweep(spec, out, workers=2, resume=True, progress=False)
    assert (report.reused, report.computed, report.failed) == (1, 5, 0)
    assert len(report.recomputed) == 5
    assert any("unreadable" in line for line in report.recomputed)
    assert any("output coating_thickness is 'ten nanometres'" in line
               for line in report.recomputed)
    ds = _load(out / "results.nc")
    np.testing.assert_allclose(ds["coating_thickness_result"].values, THICKNESS_M, rtol=1e-12)
    assert (ds["status"] == 1).all()
    assert not list(out.glob(".results*")), "temporary files were left behind"
    for point in spec.points:
        assert record_problem(store.load(point.id), point, spec.outputs) is None


def test_resume_via_the_command_line_notes_what_it_recomputed(finished, tmp_path, capsys):
    import shutil

    out = tmp_path / "out"
    shutil.copytree(finished, out)
    spec_path = tmp_path / "spec.yaml"
    spec_path.write_text(json.dumps(SPEC))  # JSON is YAML
    point = parse_spec(SPEC).points[2]
    _damage(PointStore(out).path(point.id), "summary null")
    assert main(["sweep", str(spec_path), "--out", str(out), "--resume"]) == 0
    text = capsys.readouterr().out
    assert f"note: point {point.id}: its summary is None, not a mapping; recomputed" in text
    assert "5 reused, 0 failed" in text


def test_a_command_without_a_numeric_output_is_a_failed_point(tmp_path):
    """A summary whose requested output is text, a list or a mapping is not a finished
    point; null (NaN in the summary files) is the command's "not defined here", a
    finished point with NaN in results.nc (tests/sweep/test_user_trial_u15_sweep.py)."""
    from hemcell.sweep.store import output_problem

    assert output_problem({"a": "x"}, ["a"]) == "output a is 'x', not a number or null"
    assert output_problem({"a": {"b": 1}}, ["a"]) == "output a is {'b': 1}, not a number or null"
    assert output_problem({"a": None}, ["a"]) is None
    assert output_problem({"a": [1.0, 2.0]}, ["a[1]"]) is None
    assert output_problem({"a": True}, ["a"]) is None
    assert output_problem([], ["a"]).startswith("its summary is [], not a mapping")


def test_results_files_are_shared_readable(finished):
    for name in ("results.nc", "results.png", "failures.json", "sweep.json", "run.json"):
        assert stat.S_IMODE((finished / name).stat().st_mode) == 0o644, name
    some_point = next((finished / "points").glob("*.json"))
    assert stat.S_IMODE(some_point.stat().st_mode) == 0o644


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.parametrize(
    "address",
    [f"tcp://127.0.0.1:{_free_port()}", "no port here"],
    ids=["free-port", "no-port"],  # stable ids: parallel workers collect the same tests
)
def test_an_unreachable_scheduler_is_refused_before_anything_is_written(tmp_path, address):
    out = tmp_path / "out"
    with pytest.raises(InputError, match="--scheduler") as info:
        run_sweep(parse_spec(SPEC), out, executor="dask", scheduler=address, progress=False)
    assert "nothing was written" in (info.value.hint or "")
    assert not out.exists() or not any(out.iterdir())


def test_an_unreachable_scheduler_exits_2_and_a_rerun_is_not_blocked(tmp_path, capsys):
    spec_path = tmp_path / "spec.yaml"
    one_point = {**SPEC, "parameters": {"coating_thickness": {"values": ["10 nm"]}}}
    spec_path.write_text(json.dumps(one_point))
    out = tmp_path / "out"
    address = f"tcp://127.0.0.1:{_free_port()}"
    assert main(["sweep", str(spec_path), "--out", str(out), "--executor", "dask",
                 "--scheduler", address]) == 2
    err = capsys.readouterr().err
    assert "error: --scheduler" in err and "bug" not in err
    assert main(["sweep", str(spec_path), "--out", str(out), "--workers", "1"]) == 0


def test_save_figure_leaves_nothing_when_saving_fails(tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from hemcell.figures import save_figure

    fig, _ = plt.subplots()

    def broken(*args, **kwargs):
        raise OSError("disk full")

    fig.savefig = broken
    with pytest.raises(OSError, match="disk full"):
        save_figure(fig, tmp_path / "results.png")
    assert os.listdir(tmp_path) == []


def test_a_point_past_its_time_limit_is_killed_and_named():
    import subprocess
    import sys

    from hemcell.sweep.run import _wait

    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _, _, error = _wait(proc, timeout_s=0.2)
    assert error == "timed out after 0.2 s (timeout_s in the spec)"
    assert proc.returncode is not None  # killed, not left running
