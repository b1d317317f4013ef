"""The ``surface run`` sweep fast path against the process path (one process per point).

The fast path solves the points in long-lived processes and reuses the mesh across
points of one geometry; the process path runs ``hemcell surface run`` per point. Same
parameter resolution, mesh, solver and metrics, so every metric agrees to rounding
(rel 1e-9: the direct solver's factorisation is the same; only the solve time differs).
The second point, solved on the mesh the first one built, is the one compared.
"""

from __future__ import annotations

import json
import math

import pytest

from hemcell.sweep import parse_spec, run_sweep
from hemcell.sweep.commands import ArgParser
from hemcell.workflows.surface_sweep import SurfaceRunFastPath
from tests.conftest import require_fem


@pytest.fixture(autouse=True, scope="module")
def _fem() -> None:
    require_fem()


# A coarse mesh (test input, as in tests/surface/test_cli_and_errors.py) and two coating
# moduli (the set's 6.39 GPa and a stiffer 20 GPa, as in examples/sweeps/surface_coating.yaml)
COARSE = {"surface_mesh_size": "0.25 um", "far_mesh_size": "2.5 um"}
MODULI = ["6.39 GPa", "20 GPa"]
TIMING = {"solve_time_s"}


def _spec(moduli: list[str]) -> dict:
    return {"command": "surface run",
            "options": {"--case": "coated", "--geometry": "sinusoid", "--no-plots": True},
            "set": COARSE,
            "parameters": {"coating_youngs_modulus": {"values": moduli}},
            "outputs": ["current_focusing_factor", "max_von_mises_coating_Pa"]}


def _summaries(out) -> dict[str, dict]:
    records = [json.loads(p.read_text()) for p in (out / "points").glob("*.json")]
    return {r["values"]["coating_youngs_modulus"]: r for r in records}


def _assert_same(fa: dict, fb: dict) -> None:
    """The same metrics, floats to rel 1e-9 (the solve times excepted)."""
    assert fa.keys() == fb.keys()
    for key in fa.keys() - TIMING:
        x, y = fa[key], fb[key]
        if isinstance(x, float):
            assert math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-300), (key, x, y)
        else:
            assert x == y, key


def test_fast_path_matches_process_path(tmp_path):
    """Two points in the sweep's process (the second on the mesh the first built) against
    the process path for the second: the same metrics, the same point id."""
    fast = run_sweep(parse_spec(_spec(MODULI)), tmp_path / "fast", workers=1,
                     progress=False, plots=False)
    assert fast.path == "fast" and fast.failed == 0 and fast.computed == 2
    assert not (tmp_path / "fast" / "runs").exists()  # point records only
    slow = run_sweep(parse_spec(_spec(MODULI[1:])), tmp_path / "process", fast_path=False,
                     workers=1, progress=False, plots=False)
    assert slow.path == "process" and slow.failed == 0
    a = _summaries(tmp_path / "fast")
    b = _summaries(tmp_path / "process")
    value = next(iter(b))
    assert a[value]["id"] == b[value]["id"]
    _assert_same(a[value]["summary"], b[value]["summary"])
    # the stiffer coating carries more stress: the points differ, so the comparison bites
    assert a[20]["summary"]["max_von_mises_coating_Pa"] > \
        a[6.39]["summary"]["max_von_mises_coating_Pa"]


def test_transient_and_mpi_take_the_process_path():
    """The fast path declines what it cannot do in a kept process, naming why."""
    fast = SurfaceRunFastPath(ArgParser("surface run"))
    transient = parse_spec({**_spec(MODULI), "options": {"--case": "coated", "--transient": True},
                            "parameters": {"applied_current_density": {
                                "values": [1, 2], "unit": "mA/cm**2"}}})
    assert "transient" in fast.unsupported(transient)
    assert "mpi_ranks" in fast.unsupported(parse_spec({**_spec(MODULI), "mpi_ranks": 2}))
    assert fast.unsupported(parse_spec(_spec(MODULI))) is None


def _bad_and_good():
    spec = parse_spec(_spec(MODULI[:1]))
    good = spec.points[0]
    bad = type(good)(good.index, good.values, (*good.args, "--linear-solver", "bogus"), "x")
    return spec, [bad, good]


def _check_bad_and_good(results) -> None:
    assert isinstance(results[0], BaseException) and "bogus" in str(results[0])
    assert type(results[0]).__name__ == "InputError"
    assert results[1]["current_focusing_factor"] > 1


def test_a_failing_point_is_recorded_alone():
    """An error at one point (here a bad option value) comes back as that point's error;
    the other points are solved."""
    spec, points = _bad_and_good()
    _check_bad_and_good(SurfaceRunFastPath(ArgParser("surface run")).solve(spec, points, 1))


@pytest.mark.slow
def test_worker_processes_give_the_same_metrics():
    """``--workers 2``: two spawned worker processes, one point each; the error comes
    back by name, the metrics are those of the in-process solve."""
    spec, points = _bad_and_good()
    fast = SurfaceRunFastPath(ArgParser("surface run"))
    pooled = fast.solve(spec, points, 2)
    _check_bad_and_good(pooled)
    here = fast.solve(spec, points[1:], 1)[0]
    _assert_same(pooled[1], here)


def test_points_in_one_process_free_their_solvers():
    """A point's transport problem (its PETSc solver with the kept preconditioner) is
    freed when the point is done, so a long sweep in one process does not accumulate
    factorisations or MPI communicators."""
    import gc

    from hemcell.surface.solver import TransportProblem

    spec = parse_spec(_spec(MODULI[:1]))
    SurfaceRunFastPath(ArgParser("surface run")).solve(spec, spec.points, 1)
    gc.collect()
    assert not [o for o in gc.get_objects() if isinstance(o, TransportProblem)]
