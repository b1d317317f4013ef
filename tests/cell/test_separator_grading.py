"""The separator's cells graded towards the Li metal (recipe key ``separator_grading``,
PyBaMM's ``Exponential1DSubMesh``; docs/anode.md "Electrode mesh").

- A bad value, or the key in a recipe without a metal-facing separator (SP, full cell), is
  refused with exit 2 naming the file, the key, the value and what is allowed.
- The mesh is PyBaMM's exponential one: edges L_s (e^(α k/N) − 1)/(e^α − 1).
- On it the metal surface still passes the current as Li⁺ exactly (the electrolyte's salt
  is kept), and the recipe's 20 graded separator cells give the 2 A/g, 273.15 K cycle of
  mep_ingesip3 within 10⁻³ of 160 uniform cells (the mesh rule's capacity tolerance;
  measured 5.0 × 10⁻⁴ lithiation, 8.5 × 10⁻⁴ delithiation; 20 uniform cells: 3.8 × 10⁻³,
  6.4 × 10⁻³).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import yaml

from hemcell.cell.recipes import MAX_SEPARATOR_GRADING, load_recipe, models_dir
from hemcell.cli.main import main
from hemcell.workflows.anode import build_simulation, prepare_cell, solve_cell, summarize

CYCLE = ("Discharge at 2 A/g until 0.01 V; Rest for 10 minutes; "
         "Charge at 2 A/g until 3 V")
RUN = ["--params", "heo_rocksalt_mgconicuzn", "--protocol", "Discharge at 2C until 0.5 V",
       "--no-plots"]


def _copy(tmp_path: Path, name: str, **keys) -> Path:
    data = yaml.safe_load((models_dir() / f"{name}.yaml").read_text())
    data.update(keys)
    path = tmp_path / "my_recipe.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


@pytest.mark.parametrize(("name", "value", "allowed"), [
    ("hem_half_cell_p2d", -1.0, f"a number 0 ... {MAX_SEPARATOR_GRADING:g}"),
    ("hem_half_cell_p2d", 11, f"a number 0 ... {MAX_SEPARATOR_GRADING:g}"),
    ("hem_half_cell_p2d", "steep", f"a number 0 ... {MAX_SEPARATOR_GRADING:g}"),
    ("hem_half_cell_p2d", True, f"a number 0 ... {MAX_SEPARATOR_GRADING:g}"),
    ("hem_half_cell_sp", 2.3, "only in a P2D half cell's recipe"),
    ("hem_full_cell_lfp", 2.3, "only in a P2D half cell's recipe"),
])
def test_a_bad_separator_grading_is_refused_naming_it(tmp_path, capsys, name, value, allowed):
    path = _copy(tmp_path, name, separator_grading=value)
    code = main(["cell", "run", str(path), *RUN, "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert code == 2, err
    assert f"{path}: separator_grading: got {value!r}" in err, err
    assert allowed in err, err
    assert "Traceback" not in err


def test_the_separator_mesh_is_pybamm_s_exponential_one_towards_the_metal():
    setup = prepare_cell("hem_half_cell_p2d", "mep_ingesip3", "Rest for 1 minute")
    alpha = setup.recipe.separator_grading
    assert alpha == 2.3
    sim = build_simulation(setup.recipe, setup.parameter_values, setup.inventory,
                           setup.experiment)
    sim.build()
    edges = sim.mesh["separator"].edges  # x from the metal surface at edges[0]
    xi = (edges - edges[0]) / (edges[-1] - edges[0])
    n = len(edges) - 1
    k = np.arange(n + 1)
    np.testing.assert_allclose(xi, np.expm1(alpha * k / n) / np.expm1(alpha), atol=1e-12)
    assert xi[1] == pytest.approx(0.01358, rel=1e-3)  # 0.05 with uniform cells


def _cycle(mesh: dict[str, int], grading: float):
    setup = prepare_cell("hem_half_cell_p2d", "mep_ingesip3", CYCLE,
                         overrides=["ambient_temperature=273.15 K"])
    rec = replace(setup.recipe, mesh={**setup.recipe.mesh, **mesh}, separator_grading=grading)
    setup = replace(setup, recipe=rec)
    run = solve_cell(setup, build_simulation(rec, setup.parameter_values, setup.inventory,
                                             setup.experiment))
    assert run.error is None, run.error
    summary, _, _ = summarize(run, timeseries=False)
    return run, summary


def test_the_recipe_s_graded_separator_gives_the_fine_mesh_s_capacities():
    recipe = load_recipe("hem_half_cell_p2d")
    run, coarse = _cycle({}, recipe.separator_grading)
    n_e = run.solution["Total lithium in electrolyte [mol]"].entries
    assert np.abs(n_e / n_e[0] - 1).max() < 1e-8  # the salt, on the graded mesh too
    assert "Voltage > 3" in str(run.solution.cycles[0].steps[-1].termination)
    _, fine = _cycle({"x_s": 160}, 0.0)
    for key in ("discharge_capacity_mAh_per_g", "charge_capacity_mAh_per_g"):
        assert coarse[key][0] == pytest.approx(fine[key][0], rel=1e-3), key
