"""A full cell writes each electrode's potential vs the carrier metal (Δφ = φ_s − φ_e) to
``timeseries.csv``/``.nc`` and the anode's lowest over the run to ``summary.json``; below
0 V (where a real cell plates the metal; the model has none) it warns.

The Na PBA recipe on a coarse mesh (a copy of ``models/hem_full_cell_na_pba.yaml``), the
user trial's protocol: each run solves in ~2 s."""

from __future__ import annotations

import csv
import json

import numpy as np
import pytest
import yaml

from hemcell.cli.main import main
from hemcell.resources import data_dir

SET = "heo_rocksalt_mgconicuzn"
PROTOCOL = "Charge at C/5 until 4.0 V; Discharge at C/5 until 2.0 V"
COARSE = {"x_n": 5, "x_s": 3, "x_p": 5, "r_n": 5, "r_p": 6}
COLUMNS = ("anode_potential_vs_metal_V", "anode_min_potential_vs_metal_V",
           "cathode_potential_vs_metal_V")


def _recipe(tmp_path, n_p_ratio: float) -> str:
    """A copy of the Na PBA recipe on the coarse mesh with ``n_p_ratio``."""
    data = yaml.safe_load((data_dir("models") / "hem_full_cell_na_pba.yaml").read_text())
    data.update(name=f"na_pba_np{n_p_ratio:g}", mesh=COARSE, n_p_ratio=n_p_ratio)
    path = tmp_path / f"na_pba_np{n_p_ratio:g}.yaml"
    path.write_text(yaml.safe_dump(data))
    return str(path)


def _run(tmp_path, capsys, n_p_ratio: float) -> tuple[dict, dict[str, np.ndarray], str]:
    out = tmp_path / "out"
    assert main(["cell", "run", _recipe(tmp_path, n_p_ratio), "--params", SET, "--ion", "Na",
                 "--protocol", PROTOCOL, "--out", str(out), "--no-plots"]) == 0
    err = capsys.readouterr().err
    with (out / "timeseries.csv").open() as fh:
        rows = list(csv.reader(fh))
    head = [h.split(" ")[0] for h in rows[0]]
    table = np.array(rows[1:], dtype=float)
    cols = {h: table[:, i] for i, h in enumerate(head)}
    return json.loads((out / "summary.json").read_text()), cols, err


@pytest.fixture(scope="module")
def model_run():
    """The shipped recipe's model, coarse, solved in-process: the solution's variables."""
    import dataclasses

    from hemcell.cell.recipes import load_recipe
    from hemcell.workflows.anode import run_cell, summarize

    recipe = dataclasses.replace(load_recipe("hem_full_cell_na_pba"), mesh=COARSE)
    run = run_cell(recipe, SET, PROTOCOL, ion="Na")
    assert run.error is None
    return run, summarize(run)[0]


def test_na_pba_anode_stays_above_the_metal_and_matches_the_solution(model_run):
    """Min anode potential > 0 V vs Na (the recipe's N/P 1.1 is sized on the capacity above
    0 V) and equal to the minimum of the solution's Δφ over the anode's mesh points and
    the output times; the cathode's average Δφ is the cell voltage plus the anode's plus
    the electrolyte's and solid phases' drops, so at rest-like C/5 within 0.1 V of it."""
    run, s = model_run
    sol = run.solution
    dphi_n = np.asarray(sol["Negative electrode surface potential difference [V]"].entries)
    assert s["anode_min_potential_vs_metal_V"] == pytest.approx(float(dphi_n.min()), abs=1e-12)
    assert s["anode_min_potential_vs_metal_V"] > 0
    assert "warnings" not in s or not any("plates" in w for w in s["warnings"])
    t = np.asarray(sol["Time [s]"].entries)
    assert s["anode_min_potential_time_s"] == pytest.approx(
        float(t[np.argmin(dphi_n.min(axis=0))]), rel=1e-12)
    # the average is the x-average of Δφ; the minimum is not above it
    avg = np.asarray(sol["Anode potential vs carrier metal [V]"].entries)
    low = np.asarray(sol["Anode minimum potential vs carrier metal [V]"].entries)
    assert np.all(low <= avg + 1e-12)
    # cell voltage = cathode's potential − anode's (vs the same metal) up to the ohmic and
    # electrolyte drops across the cell at C/5 (< 0.1 V here)
    v = np.asarray(sol["Voltage [V]"].entries)
    cath = np.asarray(sol["Cathode potential vs carrier metal [V]"].entries)
    assert np.max(np.abs((cath - avg) - v)) < 0.1


def test_timeseries_has_the_columns_and_a_small_n_p_ratio_warns(tmp_path, capsys):
    """N/P 0.5 (half the anode the capacity above 0 V needs): the anode goes below 0 V vs
    Na on the charge; the summary says where and warns (stderr and ``warnings``); the
    time series' minimum column gives the same number."""
    s, cols, err = _run(tmp_path, capsys, 0.5)
    for c in COLUMNS:
        assert c in cols
    v_min = s["anode_min_potential_vs_metal_V"]
    assert v_min < 0
    # timeseries.csv holds 8 significant digits
    assert v_min == pytest.approx(float(cols["anode_min_potential_vs_metal_V"].min()),
                                  rel=1e-7)
    i = int(np.argmin(cols["anode_min_potential_vs_metal_V"]))
    assert s["anode_min_potential_time_s"] == pytest.approx(float(cols["time_s"][i]), rel=1e-7)
    assert s["anode_min_potential_cycle"] == 1 and s["anode_min_potential_step"] == 1
    assert "plates Na metal" in err and f"{v_min:.4g} V vs Na" in err
    assert any("plates Na metal" in w for w in s["warnings"])
    assert np.all(cols["anode_min_potential_vs_metal_V"]
                  <= cols["anode_potential_vs_metal_V"] + 1e-9)


def test_half_cell_has_no_electrode_potential_columns(tmp_path, capsys):
    """A half cell (the working electrode vs the metal already is the voltage) gets none."""
    out = tmp_path / "half"
    assert main(["cell", "run", "hem_half_cell_sp", "--params", SET, "--protocol",
                 "Discharge at 2C for 3 minutes", "--out", str(out), "--no-plots"]) == 0
    s = json.loads((out / "summary.json").read_text())
    assert "anode_min_potential_vs_metal_V" not in s
    assert "anode_potential_vs_metal_V" not in (out / "timeseries.csv").read_text()


def test_summary_without_timeseries_has_the_minimum(model_run):
    """A sweep's fast path (``summarize(..., timeseries=False)``, no time column) gives the
    same minimum at the same time (it reads the time for it)."""
    from hemcell.workflows.anode import summarize

    run, s = model_run
    fast = summarize(run, timeseries=False)[0]
    assert fast["anode_min_potential_vs_metal_V"] == s["anode_min_potential_vs_metal_V"]
    assert fast["anode_min_potential_time_s"] == s["anode_min_potential_time_s"]
    assert fast["anode_min_potential_step"] == s["anode_min_potential_step"]


def test_the_cathode_above_its_window_is_said(model_run):
    """A cathode set's window is its half cell's, vs the metal (PBA: 4.2 V vs Na). The
    cell's cut-offs are checked as if the anode were at 0 V; the HEM anode sits near
    0.5 V, so charged to 4.0 V the cathode is at ~4.5 V vs Na: the summary gives the
    maximum (equal to the solution's x-averaged Δφ) and warns; it did not say before."""
    run, s = model_run
    sol = run.solution
    cath = np.asarray(sol["Cathode potential vs carrier metal [V]"].entries)
    assert s["cathode_max_potential_vs_metal_V"] == pytest.approx(float(cath.max()), abs=1e-12)
    assert s["cathode_max_potential_vs_metal_V"] > 4.2
    assert any("above the top of its window, 4.2 V" in w for w in s["warnings"])


def test_a_pybamm_base_cathode_s_cut_off_is_not_taken_for_a_window(tmp_path, capsys):
    """LFP (Prada2013): its 3.6 V is a graphite cell's cut-off, not a window vs Li: the
    maximum is reported (3.71 V vs Li at a 3.6 V charge, the HEM anode at 0.11 V), no
    warning."""
    out = tmp_path / "lfp"
    data = yaml.safe_load((data_dir("models") / "hem_full_cell_lfp.yaml").read_text())
    data.update(name="lfp_coarse", mesh=COARSE)
    path = tmp_path / "lfp_coarse.yaml"
    path.write_text(yaml.safe_dump(data))
    assert main(["cell", "run", str(path), "--params", SET, "--protocol",
                 "Charge at C/5 until 3.6 V", "--out", str(out), "--no-plots"]) == 0
    assert "above the top of its window" not in capsys.readouterr().err
    s = json.loads((out / "summary.json").read_text())
    assert s["cathode_max_potential_vs_metal_V"] > 3.6
