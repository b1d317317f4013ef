"""CLI commands, outputs and error reporting."""

from __future__ import annotations

import json

import numpy as np
import pytest

from hemcell.errors import InputError, SimulationError
from hemcell.surface.metrics import METRIC_KEYS
from tests.surface.conftest import coarse_spec, example_parameters, require_fenicsx, solve

COARSE = ["--set", "surface_mesh_size=0.25um", "--set", "far_mesh_size=2.5um"]


def test_import_hemcell_surface_is_light():
    import subprocess
    import sys

    code = ("import sys, hemcell, hemcell.surface, hemcell.cli.surface; "
            "bad = [m for m in ('dolfinx', 'gmsh', 'petsc4py', 'ufl') if m in sys.modules]; "
            "print(bad); sys.exit(1 if bad else 0)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_surface_run_writes_metrics_fields_and_maps(tmp_path):
    require_fenicsx()
    from typer.testing import CliRunner

    from hemcell.cli.surface import app

    out = tmp_path / "run"
    res = CliRunner().invoke(app, ["run", "--case", "coated", "--geometry", "nucleus",
                                   *COARSE, "--out", str(out)])
    assert res.exit_code == 0, res.output
    metrics = json.loads((out / "metrics.json").read_text())
    for key in METRIC_KEYS:
        assert key in metrics and np.isfinite(metrics[key]), key
    assert metrics["coating_potential_drop_V"] > 0
    run = json.loads((out / "run.json").read_text())
    assert run["parameters"]["case"] == "coated"
    assert run["parameters"]["surface_parameters"]["coating_thickness_m"] == pytest.approx(28e-9)
    for png in ("concentration.png", "current_density.png", "von_mises.png"):
        assert (out / png).stat().st_size > 10_000
    assert (out / "fields" / "transport.bp").exists()
    assert (out / "fields" / "von_mises.bp").exists()


def test_surface_compare_writes_comparison(tmp_path):
    require_fenicsx()
    from typer.testing import CliRunner

    from hemcell.cli.surface import app

    out = tmp_path / "cmp"
    res = CliRunner().invoke(app, ["compare", "--geometry", "nucleus", *COARSE,
                                   "--out", str(out)])
    assert res.exit_code == 0, res.output
    cmp = json.loads((out / "comparison.json").read_text())
    assert cmp["bare"]["current_focusing_factor"] > cmp["coated"]["current_focusing_factor"]
    assert cmp["bare"]["dofs"] < cmp["coated"]["dofs"]  # same mesh; coated adds coating dofs
    assert (out / "comparison.png").stat().st_size > 50_000


def test_bad_case_and_override_are_input_errors():
    from hemcell.workflows.surface import resolve_case

    with pytest.raises(InputError):
        resolve_case("shiny", "flat")
    with pytest.raises(InputError):
        resolve_case("bare", "cone")
    with pytest.raises(InputError):
        resolve_case("bare", "flat", ["not_a_parameter=3"])
    with pytest.raises(InputError):
        example_parameters(cation_transference_number=1.5)


def test_current_above_limiting_current_is_refused():
    """Galvanostatic current above i_lim has no steady solution: refused (InputError)
    before solving (tests/surface/test_user_trial_u18_limit.py)."""
    require_fenicsx()
    p = example_parameters(sei_heterogeneity_amplitude=0.0)
    i_lim = p.limiting_current_density_A_per_m2(20e-6)
    with pytest.raises(InputError, match="applied_current_density"):
        solve(coarse_spec("flat", electrolyte_height_m=20e-6),
              p.replace(applied_current_density_A_per_m2=1.2 * i_lim), "bare")


def test_current_below_the_bound_but_above_a_rough_surfaces_limit_is_a_simulation_error():
    """The bound over the crest is an upper bound for a rough surface: just below it the
    nucleus's troughs run out of salt (the solve at 0.9 of it converges, at 0.97 not), a
    clear SimulationError whose hint gives the bound."""
    require_fenicsx()
    from hemcell.surface.analytic import steady_limiting_current_bound

    p = example_parameters(sei_heterogeneity_amplitude=0.0)
    spec = coarse_spec("nucleus")
    bound = steady_limiting_current_bound(p, spec, False)[0]
    with pytest.raises(SimulationError, match="SNES reason") as info:
        solve(spec, p.replace(applied_current_density_A_per_m2=0.995 * bound), "bare")
    assert f"{bound:.4g} A/m2" in (info.value.hint or "")


def test_runaway_growth_feedback_is_reported_as_coupling_failure():
    """A growth-strain feedback far too strong for the staggered loop: a SimulationError
    that names the coupling, the stress reached and what to change."""
    require_fenicsx()
    p = example_parameters(stack_pressure_Pa=1e6, growth_strain_fraction=0.2,
                           coupling_iterations=8)
    with pytest.raises(SimulationError, match="coupling") as info:
        solve(coarse_spec("sinusoid"), p, "bare")
    assert "growth_strain_fraction" in (info.value.hint or "")
