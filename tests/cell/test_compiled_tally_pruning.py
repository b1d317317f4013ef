"""The ``<library>.solves`` tallies (:func:`hemcell.cell.compiled.recorded_solves`) are
pruned: with their library once it is built (the tally is never read again), and, for
libraries never built (another parameter value is another library, so most tallies
never reach their break-even), beyond :data:`TALLY_MAX_AGE_S` since their last run or
beyond the newest :data:`TALLY_MAX_FILES`. Before, nothing removed them: a cache that
grew by one file per model and parameter set ever solved uncompiled."""

from __future__ import annotations

import os

import casadi

from hemcell.cell import compiled as compiled_module
from hemcell.cell.compiled import (
    TALLY_MAX_AGE_S,
    TALLY_MAX_FILES,
    CompilePlan,
    compile_function,
    prune_tallies,
    recorded_solves,
)

NOW_S = 2.0e9  # a fixed clock [s since the epoch]


def _tally(directory, stem, age_s, library=False):
    """A tally of library ``stem`` last appended ``age_s`` before :data:`NOW_S`."""
    path = directory / f"pybamm_{stem}.so.solves"
    path.write_text("30\n")
    os.utime(path, (NOW_S - age_s, NOW_S - age_s))
    if library:
        (directory / f"pybamm_{stem}.so").write_bytes(b"\x7fELF")
    return path


def test_bounds_are_stated():
    assert TALLY_MAX_AGE_S == 30 * 24 * 3600.0 and TALLY_MAX_FILES == 1000


def test_a_tally_goes_with_its_built_library_and_when_stale(tmp_path):
    built = _tally(tmp_path, "built", 60.0, library=True)
    fresh = _tally(tmp_path, "fresh", 60.0)
    young = _tally(tmp_path, "young", 0.99 * TALLY_MAX_AGE_S)
    stale = _tally(tmp_path, "stale", 1.01 * TALLY_MAX_AGE_S)
    other = tmp_path / "notes.solves.txt"
    other.write_text("not a tally\n")
    removed = prune_tallies(tmp_path, NOW_S, TALLY_MAX_AGE_S, TALLY_MAX_FILES)
    assert sorted(removed) == sorted([built, stale])
    assert fresh.exists() and young.exists() and other.exists()
    assert (tmp_path / "pybamm_built.so").exists()  # the library itself stays


def test_only_the_newest_tallies_are_kept(tmp_path):
    paths = [_tally(tmp_path, f"m{k}", 10.0 * k) for k in range(7)]  # m0 newest
    removed = prune_tallies(tmp_path, NOW_S, TALLY_MAX_AGE_S, 4)
    assert sorted(removed) == sorted(paths[4:])
    assert all(p.exists() for p in paths[:4])


def test_a_missing_directory_prunes_nothing(tmp_path):
    assert prune_tallies(tmp_path / "none", NOW_S, TALLY_MAX_AGE_S, TALLY_MAX_FILES) == []


def test_compile_function_prunes_once_per_process_and_drops_the_tally_it_repays(
        compiler_cache, monkeypatch):
    """A run prunes its build target's directory (once per process) and, when the solves
    it records repay the build, removes the tally of the library it builds."""
    monkeypatch.setattr(compiled_module, "_PRUNED", set())
    directory = compiler_cache / f"hemcell-{compiled_module.native_compile_cache_key()}"
    directory.mkdir()
    old = directory / "pybamm_old.so.solves"
    old.write_text("5\n")
    os.utime(old, (1.0, 1.0))  # 1970: stale
    x = casadi.SX.sym("x", 2)
    f = casadi.Function("f", [x], [casadi.jacobian(casadi.exp(4.25 * x) * x[0], x)])
    fit = CompilePlan("p2d", 300)  # Jacobian break-even 450: built at the second run
    assert compile_function(f, "jacobian", fit) is f
    assert not old.exists()
    (tally,) = directory.glob("*.solves")
    assert recorded_solves(tally.with_name(tally.name[:-len(".solves")]), 0) == 300
    assert compile_function(f, "jacobian", fit).class_name() == "External"
    assert list(directory.glob("*.solves")) == []
    assert len(list(directory.glob("*.so"))) == 1
