"""Cyclic voltammetry: b-value and k1/k2 analyses, physical limits, the cv command."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest

from hemcell.workflows.anode_cv import (
    capacitive_fractions,
    k1k2_fit,
    power_law_fit,
    run_cv,
    summarize_cv,
    triangle_drive,
)

PARAMS = "heo_rocksalt_mgconicuzn"


def test_power_law_fit_recovers_a_synthetic_power_law():
    v = np.array([0.1, 0.2, 0.5, 1.0, 2.0])
    fit = power_law_fit(v, -0.37 * v**0.73)
    assert fit["b"] == pytest.approx(0.73, abs=1e-12)
    assert fit["a"] == pytest.approx(0.37, rel=1e-12)
    assert fit["r2"] == pytest.approx(1.0)


def test_k1k2_split_recovers_a_synthetic_current_exactly():
    v = np.array([0.1, 0.2, 0.5, 1.0, 2.0])
    grid = np.linspace(0.0, 1.0, 101)
    k1 = 0.3 + 0.1 * np.sin(6 * grid)
    k2 = 0.05 + 0.2 * grid**2
    i = np.outer(v, k1) + np.outer(np.sqrt(v), k2)
    f1, f2 = k1k2_fit(v, i)
    np.testing.assert_allclose(f1, k1, rtol=1e-10, atol=1e-13)
    np.testing.assert_allclose(f2, k2, rtol=1e-10, atol=1e-13)
    frac = capacitive_fractions(v, grid, i, f1)
    exact = [np.trapezoid(vn * k1, grid) / np.trapezoid(i[n], grid) for n, vn in enumerate(v)]
    np.testing.assert_allclose(frac, exact, rtol=1e-10)


def test_triangle_drive_segments():
    t, V, seg = triangle_drive(2.0, (0.01, 1.0), 1e-3, 2, points_per_segment=50)
    assert V[0] == 2.0 and V.min() == pytest.approx(0.01) and V[-1] == pytest.approx(1.0)
    assert t[-1] == pytest.approx((2.0 - 0.01 + 3 * 0.99) / 1e-3)
    assert set(seg) == {0, 1, 2, 3}
    assert np.all(np.diff(V[seg == 2]) < 0) and np.all(np.diff(V[seg == 3]) > 0)


def test_space_charge_alone_gives_b_one_via_cli(tmp_path):
    """Seed 000 L466-467: b = 1 for the space charge in 0.01-1 V. Metallic Co/Ni from the
    start (initial metallic fraction 1) so that space charge is the only mechanism."""
    from typer.testing import CliRunner

    from hemcell.cli.cell import app

    args = [
        "cv", "hem_half_cell_sp", "--params", PARAMS, "--scan-rates", "0.2,0.5,1,2",
        "--window", "0.01,1.0", "--mechanisms", "space_charge", "--out", str(tmp_path),
        "--set", "initial_metallic_fraction_co=1", "--set", "initial_metallic_fraction_ni=1",
        "--set", "anode_initial_open_circuit_potential=1.0 V",
    ]  # fmt: skip
    r = CliRunner().invoke(app, args)
    assert r.exit_code == 0, r.output
    s = json.loads((tmp_path / "summary.json").read_text())
    assert s["b_value"]["cathodic"] == pytest.approx(1.0, abs=0.05)
    assert s["b_value"]["anodic"] == pytest.approx(1.0, abs=0.05)
    assert all(x == pytest.approx(1.0) for x in s["true_capacitive_fraction"])
    assert all(x > 0.9 for x in s["capacitive_fraction"])
    for f in ("cv.png", "b_value.png", "cv.csv", "run.json"):
        assert (tmp_path / f).is_file()


def test_diffusion_limited_intercalation_gives_b_half():
    """Intercalation alone, made diffusion-limited: D = 3e-19 m2/s in 250 nm particles gives
    a diffusion length sqrt(D t) of 10-40 nm << R over the sweeps (semi-infinite
    diffusion), fast kinetics (j0 = 10 A/m2) and a nearly Nernstian OCP (slope 0.05 V);
    100 radial cells resolve the diffusion layer. Randles-Sevcik: i_p ~ v^(1/2)."""
    from hemcell.cell.recipes import load_recipe

    rec = dataclasses.replace(load_recipe("hem_half_cell_sp"), mesh={"r_p": 100})
    res = run_cv(
        rec,
        PARAMS,
        [0.2, 0.5, 2.0],
        (1.2, 1.8),
        2,
        ["intercalation"],
        [
            "intercalation_diffusivity=3e-19 m**2/s",
            "intercalation_exchange_current_density=10 A/m**2",
            "intercalation_ocp_slope=0.05 V",
        ],
    )
    s = summarize_cv(res)
    assert s["b_value"]["cathodic"] == pytest.approx(0.5, abs=0.05)
    assert s["b_value"]["anodic"] == pytest.approx(0.5, abs=0.05)
    assert all(x < 0.05 for x in s["true_capacitive_fraction"])
    # at a fixed potential the reversible diffusion current also scales as v^(1/2)
    s_at = summarize_cv(res, at_voltage=1.45)
    assert s_at["b_value_method"] == "voltage"
    assert s_at["b_value"]["cathodic"] == pytest.approx(0.5, abs=0.1)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"window": (1.0, 0.5)}, "--window"),
        ({"scan_rates_mV_per_s": [0.1, -1.0]}, "--scan-rates"),
        ({"cycles": 0}, "--cycles"),
        ({"recipe": "hem_full_cell_lfp"}, "RECIPE"),
        ({"ion": "Mg"}, "--ion"),
    ],
)
def test_cv_bad_input_is_an_input_error(kwargs, field):
    from hemcell.errors import InputError

    args = {
        "recipe": "hem_half_cell_sp",
        "params": PARAMS,
        "scan_rates_mV_per_s": [1.0],
        "window": (0.01, 1.0),
        "cycles": 1,
    }
    args.update(kwargs)
    with pytest.raises(InputError) as exc:
        run_cv(**args)
    assert field in str(exc.value)


@pytest.mark.slow
def test_dunn_split_overstates_capacitive_share_of_the_full_heo():
    """On the four-mechanism HEO the k1 v + k2 v^1/2 split reads the kinetically limited
    conversion peaks as partly capacitive: its capacitive fraction exceeds the model's true
    space-charge + double-layer share at every rate (a finding about the method)."""
    res = run_cv("hem_half_cell_sp", PARAMS, [0.1, 0.5, 2.0], (0.01, 3.0), 2)
    s = summarize_cv(res)
    assert s["completed"]
    for dunn, true in zip(s["capacitive_fraction"], s["true_capacitive_fraction"], strict=True):
        assert 0.02 < true < 0.3
        assert dunn > true + 0.1
    shares = s["true_share_by_mechanism"][0]
    assert sum(v for v in shares.values() if v is not None) == pytest.approx(1.0)
    assert max(shares, key=lambda m: shares[m] or 0) == "conversion"
