"""The solver's residual (and Jacobian) compiled to C (hemcell.cell.compiled).

- compiled and virtual-machine functions give the same residual and Jacobian at states of
  a solution (the same operations in the same order: round-off at most), and the same
  solution;
- the libraries live in a directory per build target (CPU, compiler, versions);
- without a compiler the functions stay in CasADi's virtual machine, with one warning;
- each function is compiled where the re-solves expected (this run's and earlier runs' of
  the same function) repay its gcc time, and loaded whenever its library is cached.

The model is the single-particle anode with intercalation and conversion (a small
function: well under a second of gcc), solved for one minute of a 0.5 A/g discharge.
"""

from __future__ import annotations

import shutil
import warnings
from dataclasses import replace

import casadi
import numpy as np
import pytest

from hemcell.cell import compiled as compiled_module
from hemcell.cell.compiled import (
    BREAK_EVEN_SOLVES,
    CompilePlan,
    compile_cache_key,
    compile_function,
    compile_plan,
    keyed_cache_dir,
    library_path,
    pays_to_compile,
)

PARAMS = "heo_rocksalt_mgconicuzn"
PROTOCOL = "Discharge at 0.5 A/g for 60 seconds"
MECHANISMS = ["intercalation", "conversion"]


def _solved(compiled: bool, expected_solves: int | None = None):
    """(simulation, solution, built model) of the small SP anode: ``compiled`` asks for the
    residual compiled (recipe key), ``expected_solves`` as a fit or sweep says it."""
    from hemcell.workflows.anode import build_simulation, prepare_cell

    setup = prepare_cell("hem_half_cell_sp", PARAMS, PROTOCOL, mechanisms=MECHANISMS)
    rec = replace(setup.recipe, compiled=compiled)
    sim = build_simulation(rec, setup.parameter_values, setup.inventory, setup.experiment,
                           expected_solves=expected_solves)
    sol = sim.solve()
    (model,) = set(sim.steps_to_built_models.values())  # one step: one built model
    return sim, sol, model


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    """The same run in CasADi's virtual machine and compiled (into a fresh cache), the
    Jacobian compiled as well (at -O0, the single-particle Jacobian given a break-even of
    one solve) so that both functions are checked."""
    if shutil.which(compiled_module.AOT_COMPILER) is None:
        pytest.skip("no C compiler")
    mp = pytest.MonkeyPatch()
    cache = tmp_path_factory.mktemp("aot")
    mp.setenv(compiled_module.AOT_CACHE_ENV, str(cache))
    mp.setitem(compiled_module.OPTIMISATION, "jacobian", "-O0")
    mp.setitem(BREAK_EVEN_SOLVES["jacobian"], "sp", 1)
    try:
        runs = {"vm": _solved(False), "c": _solved(True, expected_solves=1), "cache": cache}
    finally:
        mp.undo()
    return runs


def _states(sol) -> list[tuple[float, np.ndarray, np.ndarray]]:
    """(t, y, inputs) at three states of the solution (start, middle, end)."""
    t, y = np.asarray(sol.t), sol.y
    p = np.concatenate([np.zeros(0), *(np.ravel(v) for v in sol.all_inputs[0].values())])
    return [(float(t[i]), np.asarray(y[:, i]).ravel(), p) for i in (0, len(t) // 2, -1)]


def test_compiled_residual_and_jacobian_are_the_virtual_machines(both):
    """The same residual F(t, y, p) and Jacobian ∂F/∂y at three states of the run: the
    compiled functions run the same scalar operations in the same order (agreement to
    10⁻¹² of the largest entry; bit for bit with gcc -O1/-O0, which contract nothing)."""
    _, sol, vm = both["vm"]
    _, _, c = both["c"]
    assert c.rhs_algebraic_eval.class_name() == c.jac_rhs_algebraic_eval.class_name() \
        == "External"
    assert vm.rhs_algebraic_eval.class_name() == "SXFunction"
    for t, y, p in _states(sol):
        F_vm, F_c = (m.rhs_algebraic_eval(t, y, p).full() for m in (vm, c))
        J_vm, J_c = (m.jac_rhs_algebraic_eval(t, y, p).sparse().toarray() for m in (vm, c))
        assert np.max(np.abs(F_c - F_vm)) <= 1e-12 * np.max(np.abs(F_vm))
        assert np.max(np.abs(J_c - J_vm)) <= 1e-12 * np.max(np.abs(J_vm))


def test_compiled_run_gives_the_same_solution(both):
    """The solve with compiled functions: the same steps and the same capacity and voltage
    (within solver noise, 10⁻⁶ relative, the bound a change of numerics may move them)."""
    _, a, _ = both["vm"]
    _, b, _ = both["c"]
    assert len(a.t) == len(b.t)
    for name in ("Anode specific capacity [mA.h.g-1]",
                 "Anode conversion specific capacity [mA.h.g-1]", "Voltage [V]"):
        x, z = a[name].entries, b[name].entries
        assert np.max(np.abs(x - z)) <= 1e-6 * np.max(np.abs(x)), name


def test_libraries_live_in_the_directory_of_this_build_target(both, monkeypatch):
    """The compiled libraries are written under <cache>/hemcell-<key of this CPU and
    compiler>; another target (CPU features, compiler, versions) has another key, so
    another directory; a value inherited from another target is replaced."""
    key = compiled_module.native_compile_cache_key()
    libraries = sorted(p.name for p in (both["cache"] / f"hemcell-{key}").glob("*.so"))
    assert any("hemcell_residual" in n for n in libraries)
    assert any("hemcell_jacobian" in n for n in libraries)
    args = dict(native_target="-march= cooperlake\n-mavx512f [enabled]",
                compiler_version="gcc (Debian 12.2.0-14) 12.2.0", pybamm_version="26.10.1",
                casadi_version="3.7.2", machine="x86_64")
    other = compile_cache_key(**{**args, "native_target": "-march= znver3\n-mavx512f [disabled]"})
    assert other != compile_cache_key(**args)
    monkeypatch.setenv(compiled_module.AOT_CACHE_ENV, str(both["cache"] / f"hemcell-{other}"))
    assert keyed_cache_dir(key) == both["cache"] / f"hemcell-{key}"
    # a folder that only starts with "hemcell-" is a base of its own: the benchmark's
    # private cache /tmp/hemcell-bench-aot-* had its libraries written to /tmp/hemcell-<key>,
    # shared by every run on the machine
    own = both["cache"] / "hemcell-bench-aot-x1y2"
    monkeypatch.setenv(compiled_module.AOT_CACHE_ENV, str(own))
    assert keyed_cache_dir(key) == own / f"hemcell-{key}"


def test_without_a_compiler_the_functions_stay_uncompiled_with_one_warning(monkeypatch):
    """No compiler on the path: the function comes back unchanged (CasADi's virtual
    machine), with one RuntimeWarning per process, not one per function."""
    monkeypatch.setattr(compiled_module, "AOT_COMPILER", "hemcell-no-such-compiler")
    monkeypatch.setattr(compiled_module, "_WARNED", set())
    x = casadi.SX.sym("x", 2)
    f = casadi.Function("f", [x], [casadi.exp(x) * x[0]])
    with pytest.warns(RuntimeWarning, match="no C compiler"):
        assert compile_function(f, "residual") is f
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert compile_function(f, "residual") is f
    assert compile_function(None, "residual") is None


def _small(rate: float) -> casadi.Function:
    """A small Jacobian, another function (library) per ``rate``: PyBaMM's in-process
    table of loaded libraries would hand back one built by another test."""
    x = casadi.SX.sym("x", 2)
    return casadi.Function("f", [x], [casadi.jacobian(casadi.exp(rate * x) * x[0], x)])


def test_each_function_compiles_when_cached_or_when_the_solves_repay_it():
    """The decision table (hemcell.cell.compiled.BREAK_EVEN_SOLVES, docs/anode.md
    "Numerics"): a library in the cache is always loaded; otherwise the residual is
    compiled for P2D from 22 re-solves on, SP from 20, the Jacobian for P2D from 450, SP
    and other geometries never; the recipe key compiles the residual whatever the count;
    a single run without it has no plan (no cache look-up: its results do not depend on
    what earlier runs left there)."""
    table = [  # role, geometry, solves, cached -> compiled
        ("residual", "p2d", 1, False, False), ("residual", "p2d", 21, False, False),
        ("residual", "p2d", 22, False, True), ("residual", "p2d", 1, True, True),
        ("residual", "sp", 19, False, False), ("residual", "sp", 20, False, True),
        ("jacobian", "p2d", 30, False, False), ("jacobian", "p2d", 449, False, False),
        ("jacobian", "p2d", 450, False, True), ("jacobian", "p2d", 1, True, True),
        ("jacobian", "p2d", 30, True, True), ("jacobian", "sp", 10**6, False, False),
        ("jacobian", "sp", 1, True, True), ("residual", "cathode", 10**6, False, False),
        ("residual", "cathode", 1, True, True),
    ]
    for role, geometry, solves, cached, expected in table:
        assert pays_to_compile(geometry, solves, role, cached) is expected, (role, geometry,
                                                                             solves, cached)
        assert CompilePlan(geometry, solves).compiles(role, cached) is expected
    assert compile_plan("p2d", None, residual_requested=False) is None
    recipe_key = compile_plan("p2d", None, residual_requested=True)
    assert recipe_key.compiles("residual", cached=False)
    assert not recipe_key.compiles("jacobian", cached=False)
    assert recipe_key.compiles("jacobian", cached=True)
    fit = compile_plan("p2d", 30, residual_requested=False)
    assert fit.compiles("residual", False) and not fit.compiles("jacobian", False)


def test_a_cached_library_is_loaded_whatever_the_count(compiler_cache):
    """A function whose library is in the cache is loaded (no compiler time) even for one
    solve; one that is not stays in the virtual machine until the plan pays for it. The
    library's file is where hemcell.cell.compiled.library_path says PyBaMM writes it."""
    f = _small(2.0)
    one_run = CompilePlan("p2d", 1)
    assert compile_function(f, "jacobian", one_run) is f
    built = compile_function(f, "jacobian")  # no plan: compiled
    assert built.class_name() == "External"
    (library,) = (compiler_cache / f"hemcell-{compiled_module.native_compile_cache_key()}"
                  ).glob("*.so")
    assert compile_function(f, "jacobian", one_run).class_name() == "External"
    level = compiled_module.OPTIMISATION["jacobian"].replace("-", "_")
    header = next(library.parent.glob("hemcell_powers_*.h")).stem[-8:]
    named = casadi.Function(f"hemcell_jacobian{level}_{header}", f.sx_in(),
                            f.call(f.sx_in()), f.name_in(), f.name_out())
    assert library_path(named, library.parent) == library


def test_repeated_runs_add_up_to_the_break_even(compiler_cache):
    """Runs that leave a function uncompiled record their expected solves: a P2D
    Jacobian (break-even 450) is compiled at the third run of 150 solves, and loaded
    from the cache by the fourth, whatever its count."""
    f = _small(3.0)
    fit = CompilePlan("p2d", 150)
    assert compile_function(f, "jacobian", fit) is f
    assert compile_function(f, "jacobian", fit) is f
    assert compile_function(f, "jacobian", fit).class_name() == "External"
    library_dir = compiler_cache / f"hemcell-{compiled_module.native_compile_cache_key()}"
    assert len(list(library_dir.glob("*.so"))) == 1
    assert compile_function(f, "jacobian", CompilePlan("p2d", 1)).class_name() == "External"


def test_without_a_compiler_a_run_gives_the_virtual_machines_results(both, monkeypatch,
                                                                     tmp_path):
    """No compiler, functions that would pay and are not cached: one warning, both
    functions stay in CasADi's virtual machine, the solution is the uncompiled one bit
    for bit."""
    monkeypatch.setattr(compiled_module, "AOT_COMPILER", "hemcell-no-such-compiler")
    monkeypatch.setattr(compiled_module, "_WARNED", set())
    monkeypatch.setenv(compiled_module.AOT_CACHE_ENV, str(tmp_path))
    with pytest.warns(RuntimeWarning, match="no C compiler") as record:
        _, sol, model = _solved(False, expected_solves=10**6)
    assert len([w for w in record if "no C compiler" in str(w.message)]) == 1
    assert "External" not in (model.rhs_algebraic_eval.class_name(),
                              model.jac_rhs_algebraic_eval.class_name())
    _, ref, _ = both["vm"]
    for name in ("Anode specific capacity [mA.h.g-1]", "Voltage [V]"):
        np.testing.assert_array_equal(sol[name].entries, ref[name].entries)


def test_recipe_key_compiled(tmp_path):
    """``compiled`` is a recipe key, false in the shipped recipes (one solve does not repay
    gcc; the fit and the sweep fast path compile for themselves), and nothing but a
    boolean is accepted (exit 2, naming the key)."""
    from hemcell.cell.recipes import load_recipe
    from hemcell.errors import InputError

    assert load_recipe("hem_half_cell_p2d").compiled is False
    assert load_recipe("hem_half_cell_sp").compiled is False
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: bad\ncell: half\ngeometry: sp\ncompiled: 'yes'\n")
    with pytest.raises(InputError, match="compiled"):
        load_recipe(bad)


def test_an_unwritable_cache_runs_uncompiled_with_a_warning(tmp_path, monkeypatch):
    """A cache folder that cannot be created (here: below a file) does not stop the run:
    the function comes back unchanged, with a warning naming the folder."""
    if shutil.which(compiled_module.AOT_COMPILER) is None:
        pytest.skip("no C compiler")
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv(compiled_module.AOT_CACHE_ENV, str(blocker / "cache"))
    monkeypatch.setattr(compiled_module, "_WARNED", set())
    x = casadi.SX.sym("x", 2)
    f = casadi.Function("f", [x], [casadi.exp(x) * x[0]])
    with pytest.warns(RuntimeWarning, match="cannot write the compiled-library cache"):
        assert compile_function(f, "residual") is f


def test_compiled_powers_max_and_min_match_the_virtual_machine(compiler_cache):
    """x^(−1/3) and x^(−4/3) in compiled code run through hemcell's inverse cube root
    (hemcell.cell.compiled.FAST_POWERS_C): within 4 ulp of CasADi's own pow for 10⁻³ ≤ x
    ≤ 2 (the front factors' and shell limits' range) and 10⁻¹⁴ relative for 2⁻⁶⁴ ≤ x ≤
    2⁶⁴ (glibc's pow there is itself up to 30 ulp off, its exponent being −1/3 rounded);
    zero, negative, subnormal, huge, infinite and NaN arguments and other exponents give
    exactly what pow gives, so a NaN residual stays NaN and the solver fails as before.
    The inline max and min give glibc's fmax and fmin bit for bit, the sign of a zero
    and NaN arguments included."""
    x = casadi.SX.sym("x")
    powers = casadi.Function("powers", [x], [casadi.vertcat(
        x ** (-1 / 3), x ** (-4 / 3), x ** (2 / 3), x ** 0.5, casadi.constpow(x, -1 / 3),
        casadi.fmax(x, 0.0), casadi.fmax(0.0, x), casadi.fmin(x, -0.0), casadi.fmin(-0.0, x),
        casadi.fmax(x, np.nan), casadi.fmin(np.nan, x))])
    c = compile_function(powers, "residual")
    assert c.class_name() == "External"

    def both(values):
        return (np.hstack([powers(v).full() for v in values]),
                np.hstack([c(v).full() for v in values]))

    special = [0.0, -0.0, -1.0, -8.0, np.nan, np.inf, -np.inf, 1e-310, 2.0**-65, 2.0**65, 1e300]
    exact, fast = both(special)
    np.testing.assert_array_equal(fast, exact)  # NaN where NaN, inf where inf, bit for bit
    np.testing.assert_array_equal(np.signbit(fast), np.signbit(exact))
    rng = np.random.default_rng(0)
    for low, high, rel in ((1e-3, 2.0, 4 * np.finfo(float).eps), (2.0**-64, 2.0**64, 1e-14)):
        values = np.exp(rng.uniform(np.log(low), np.log(high), 200))
        exact, fast = both(values)
        assert np.all(np.abs(fast - exact) <= rel * np.abs(exact))
        np.testing.assert_array_equal(fast[5:], exact[5:])
