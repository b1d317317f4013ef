"""User trial s15: `hemcell surface seeds` keeps the seeds that finished.

A solver failure at seed k lost every seed before it (nothing was written) and the
error did not say which seed failed (only "surface transport solve (bare, ...) did not
converge"). Now the finished seeds are written, ``completed`` false, with the error, and
the error names the seed.
"""

from __future__ import annotations

import json

import pytest

from hemcell.errors import SimulationError
from tests.surface.conftest import require_fenicsx

COARSE = ["surface_mesh_size=0.4um", "far_mesh_size=4um", "surface_width=10um",
          "electrolyte_height=20um"]


def test_a_failed_seed_keeps_the_finished_ones(tmp_path, monkeypatch):
    require_fenicsx()
    from hemcell.workflows import surface

    real = surface.solve_case
    calls = []

    def fail_at_the_second_seed(case, *args, **kwargs):
        calls.append(case)
        if len(calls) > 2:  # seed 1: bare, coated; seed 2: bare fails
            raise SimulationError("surface transport solve (bare, galvanostatic) did not "
                                  "converge", step="transport", hint="a smaller load")
        return real(case, *args, **kwargs)

    monkeypatch.setattr(surface, "solve_case", fail_at_the_second_seed)
    with pytest.raises(SimulationError) as err:
        surface.seed_statistics("random", COARSE, tmp_path, n_seeds=3, first_seed=1)
    assert str(err.value).startswith("seed 2 (roughness_seed = sei_seed = 2): surface "
                                     "transport solve")
    assert "the 1 finished seed(s) were written" in err.value.hint
    assert "a smaller load" in err.value.hint
    summary = json.loads((tmp_path / "seeds.json").read_text())
    assert summary["completed"] is False and summary["n_seeds"] == 1
    assert summary["n_seeds_asked"] == 3 and [r["seed"] for r in summary["seeds"]] == [1]
    assert summary["statistics"]["focusing_ratio_coated_to_bare"]["std"] == 0.0
    assert (tmp_path / "seeds.csv").read_text().count("\n") == 2
    run = json.loads((tmp_path / "run.json").read_text())
    assert list(run["parameters"]) == ["seed_1"]  # the finished seed's records only


def test_a_failure_at_the_first_seed_writes_nothing(tmp_path, monkeypatch):
    require_fenicsx()
    from hemcell.workflows import surface

    def fail(*args, **kwargs):
        raise SimulationError("did not converge", step="transport")

    monkeypatch.setattr(surface, "solve_case", fail)
    with pytest.raises(SimulationError, match=r"^seed 1 \(") as err:
        surface.seed_statistics("random", COARSE, tmp_path / "o", n_seeds=2)
    assert err.value.hint == "no seed finished, nothing was written"
    assert not (tmp_path / "o").exists()


def test_a_failed_seed_of_the_thickness_study_keeps_the_finished_ones(tmp_path, monkeypatch):
    """`surface thickness`: the same rule (seed 1 finished; seed 2 fails at 28 nm)."""
    require_fenicsx()
    from hemcell.surface.solver import CoupledSolver
    from hemcell.workflows.surface_thickness import thickness_study, write_thickness_study

    real = CoupledSolver.solve
    calls = []

    def fail_in_the_second_seed(self, p, case, *args, **kwargs):
        calls.append(case)
        if len(calls) == 5:  # seed 1: bare, 14, 28 nm; seed 2: bare, then 14 nm fails
            raise SimulationError("did not converge", step="transport", hint="a smaller load")
        return real(self, p, case, *args, **kwargs)

    monkeypatch.setattr(CoupledSolver, "solve", fail_in_the_second_seed)
    overrides = ["surface_mesh_size=0.4um", "far_mesh_size=4um", "surface_width=10um"]
    summary, rows, record = thickness_study([14e-9, 28e-9], "flat", overrides, seeds=[1, 2, 3])
    assert summary["completed"] is False and summary["seeds"] == [1]
    assert summary["seeds_asked"] == [1, 2, 3] and {r["seed"] for r in rows} == {1}
    assert summary["error"].startswith("seed 2 (sei_seed = coating_coverage_seed = 2), "
                                       "coated, h = 14 nm: did not converge")
    with pytest.raises(SimulationError) as err:
        write_thickness_study(summary, rows, record, tmp_path, plots_on=False)
    assert "the 1 finished seed(s) were written" in err.value.hint
    assert json.loads((tmp_path / "thickness.json").read_text())["completed"] is False
    assert len((tmp_path / "thickness.csv").read_text().splitlines()) == 1 + 3


def test_a_failure_at_the_first_seed_of_the_thickness_study_is_raised(monkeypatch):
    """`surface thickness`: a failure at the first seed is raised before anything is
    written, the seed and the case named, with the hint `surface seeds` gives then (no
    seed finished) and the failed solve's own."""
    require_fenicsx()
    from hemcell.surface.solver import CoupledSolver
    from hemcell.workflows.surface_thickness import thickness_study

    def fail(self, p, case, *args, **kwargs):
        raise SimulationError("did not converge", step="transport", hint="a smaller load")

    monkeypatch.setattr(CoupledSolver, "solve", fail)
    overrides = ["surface_mesh_size=0.4um", "far_mesh_size=4um", "surface_width=10um"]
    with pytest.raises(SimulationError) as err:
        thickness_study([14e-9], "flat", overrides, seeds=[1, 2])
    assert str(err.value) == ("seed 1 (sei_seed = coating_coverage_seed = 1), bare lithium: "
                              "did not converge (at step transport)")
    assert err.value.hint == "no seed finished, nothing was written; a smaller load"
