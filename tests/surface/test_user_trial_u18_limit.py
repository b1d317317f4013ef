"""User trial U18: a steady current at or above the limiting current is refused before
anything is solved.

``hemcell surface run --case bare --geometry flat --set applied_current_density=250mA/cm2``
ran the Newton solver through 12 load reductions and exited 1 ("did not converge ...
DIVERGED_LINE_SEARCH"), its hint naming a flat-surface limit for every geometry. No steady
state exists there: the lateral mean of the salt concentration above the crest falls
linearly to the crest, and reaches 0 at i_lim(H - y_crest) =
zF D c_b/((1 - t+)(H - y_crest)) (:func:`hemcell.surface.analytic.steady_limiting_current_bound`).
"""

from __future__ import annotations

import numpy as np
import pytest

from hemcell.errors import InputError
from hemcell.surface.analytic import (
    crest_height_m,
    refuse_current_above_steady_limit,
    steady_limiting_current_bound,
)
from tests.surface.conftest import coarse_spec, example_parameters, require_fenicsx


def _crest_line_mean(result, spec, y_m):
    """Lateral mean of the concentration on the line y = y_m (2001 points, trapezoid)."""
    from dolfinx import geometry

    c = result.transport.fields()["concentration_mol_per_m3"]
    msh = c.function_space.mesh
    x = np.linspace(0.0, spec.width_m, 2001)
    pts = np.column_stack([x, np.full_like(x, y_m), np.zeros_like(x)])
    tree = geometry.bb_tree(msh, msh.topology.dim)
    cells = geometry.compute_colliding_cells(
        msh, geometry.compute_collisions_points(tree, pts), pts)
    vals = np.array([c.eval(pts[k], cells.links(k)[:1])[0] for k in range(x.size)])
    return float(np.trapezoid(vals, x)) / spec.width_m, vals


@pytest.mark.parametrize(("kind", "case", "h"), [("nucleus", "bare", 0.0),
                                                 ("sinusoid", "bare", 0.0),
                                                 ("nucleus", "coated", 28e-9)])
def test_the_mean_concentration_at_the_crest_is_the_bounds_line(kind, case, h):
    """At half the bound the solved mean concentration on the line over the crest (and a
    resolved coating) is c_b/2, the derivation's salt balance, and the minimum at the
    surface is below it. Tolerance: the P1 field of the coarse test mesh (observed within
    4e-5 relative). Transient runs above the limit (Sand's time) are not refused:
    tests/surface/test_transient.py runs them."""
    require_fenicsx()
    from tests.surface.conftest import solve

    spec = coarse_spec(kind, coating_thickness_m=h)
    p = example_parameters(sei_heterogeneity_amplitude=0.0)
    bound, gap = steady_limiting_current_bound(p, spec, resolved_coating=h > 0)
    assert gap == pytest.approx(spec.electrolyte_height_m - crest_height_m(spec) - h)
    p = p.replace(applied_current_density_A_per_m2=0.5 * bound)
    result, metrics = solve(spec, p, case)
    mean, _ = _crest_line_mean(result, spec, spec.electrolyte_height_m - gap + 1e-12)
    assert mean == pytest.approx(0.5 * p.bulk_concentration_mol_per_m3, rel=1e-4)
    assert metrics["min_surface_concentration_mol_per_m3"] < mean


def test_the_flat_bound_is_the_flat_limiting_current():
    spec = coarse_spec("flat")
    p = example_parameters()
    bound, gap = steady_limiting_current_bound(p, spec, resolved_coating=False)
    assert gap == spec.electrolyte_height_m
    assert bound == pytest.approx(96485.33212 * 3.22e-10 * 1000 / (0.62 * 20e-6), rel=1e-9)


def test_potentiostatic_and_hydrogen_evolution_are_not_refused():
    """The current follows the potential; with hydrogen evolution water reduction can carry
    the current the cation cannot, so the cation's limit is no bound."""
    spec = coarse_spec("flat")
    high = 10 * steady_limiting_current_bound(example_parameters(), spec, False)[0]
    refuse_current_above_steady_limit(
        example_parameters(applied_current_density_A_per_m2=high, control="potentiostatic",
                           applied_potential_V=0.05),  # plating: > 0 V
        spec, False)
    refuse_current_above_steady_limit(
        example_parameters(applied_current_density_A_per_m2=high, hydrogen_evolution=True),
        spec, False)
    with pytest.raises(InputError):
        refuse_current_above_steady_limit(
            example_parameters(applied_current_density_A_per_m2=high), spec, False)


@pytest.mark.parametrize("command", [["run", "--case", "bare"], ["run", "--case", "coated"],
                                     ["compare"], ["run", "--case", "coated_thin",
                                                   "--dim", "3", "--geometry", "nucleus"]])
def test_the_command_refuses_before_meshing(tmp_path, capsys, monkeypatch, command):
    """Exit 2 naming applied_current_density, the limit, its formula and values, and
    --transient as what to run instead; nothing meshed, nothing written."""
    from hemcell.cli.main import main
    from hemcell.surface import geometry, geometry3d

    def no_mesh(*args, **kwargs):
        raise AssertionError("meshed before the current was checked")

    monkeypatch.setattr(geometry, "build_mesh", no_mesh)
    monkeypatch.setattr(geometry3d, "build_mesh_3d", no_mesh)
    geo = [] if "--geometry" in command else ["--geometry", "nucleus"]
    code = main(["surface", *command, *geo, "--set", "applied_current_density=250mA/cm2",
                 "--out", str(tmp_path / "o"), "--no-plots"])
    err = capsys.readouterr().err
    assert code == 2, err
    assert "applied_current_density: got '250 mA/cm**2 (2500 A/m**2)'" in err
    assert "zF D c_b/((1 - t+) g)" in err and "D = 3.22e-10 m**2/s" in err
    assert "--transient" in err and "Traceback" not in err
    assert not (tmp_path / "o").exists()


def test_the_solver_entry_refuses_too():
    """Sweeps and the thickness study solve through CoupledSolver, not the workflow."""
    require_fenicsx()
    from hemcell.surface.geometry import build_mesh
    from hemcell.surface.solver import CoupledSolver

    spec = coarse_spec("flat")
    p = example_parameters()
    p = p.replace(applied_current_density_A_per_m2=steady_limiting_current_bound(
        p, spec, False)[0])
    with pytest.raises(InputError, match="applied_current_density"):
        CoupledSolver(build_mesh(spec)).solve(p, "bare")

