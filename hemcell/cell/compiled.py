"""The solver's residual and Jacobian compiled to C, cached on disk per build target.

IDAKLU evaluates the model's residual F(t, y, p) at every Newton iteration and its
Jacobian ∂F/∂y at every Jacobian set-up. :class:`hemcell.cell.model.HEMHalfCell` keeps
both on CasADi's scalar graph (SX), which CasADi runs in its virtual machine: one
dispatch per scalar operation. Here the same SX functions (each where its
:class:`CompilePlan` says: the re-solves expected repay its gcc time, or its library is
already cached) are generated to C
(``casadi.CodeGenerator``), compiled by :data:`AOT_COMPILER` into a shared library
(PyBaMM's :func:`pybamm.codegen.compilation.aot_compile`) and loaded back as
``casadi.external`` functions: the same operations in the same order, without the
dispatch, except the powers x^(−1/3) and x^(−4/3), which run through a cheaper inverse
cube root within 2-3 ulp of the exact powers (:data:`FAST_POWERS_C`; docs/anode.md
"Numerics", "Compiled residual").

A library depends on the CPU ``-march=native`` resolves to, the compiler and the C that
PyBaMM and CasADi generate, so libraries live in a directory per build target
(:func:`native_compile_cache_key`, :func:`keyed_cache_dir`); inside it a library's file
is named by the hash of its function (PyBaMM's on-disk cache), which includes the
parameter values baked into the model: a model structure and parameter set pays the
compiler once per machine (a change of any parameter value is another library), and a
library already there is loaded at no cost. Without a compiler a function not yet cached
stays in CasADi's virtual machine, with one warning per process.
"""

from __future__ import annotations

import functools
import warnings
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

#: Where PyBaMM's ahead-of-time compilation keeps its libraries (default
#: ``$TMPDIR/pybamm_casadi_aot``). Its file names hash only the CasADi functions, and gcc
#: builds them with ``-march=native``: a directory shared between CPUs (a cluster home,
#: Dask workers on other nodes) would hand one CPU a library built for another (illegal
#: instruction), hence a sub-directory per build target (:func:`keyed_cache_dir`).
AOT_CACHE_ENV = "PYBAMM_CASADI_AOT_CACHE"
#: The compiler PyBaMM's ``aot_compile`` calls (its default, not configurable through IDAKLU).
AOT_COMPILER = "gcc"
#: Optimisation level per function when it is compiled (:class:`CompilePlan` decides
#: whether). Measured on the four-mechanism P2D anode (312 unknowns, the benchmark cycle;
#: CPU of a re-solve, docs/anode.md "Numerics"): the residual (9 032 scalar operations,
#: 210 kB of C) at -O1 takes 1.8 s of gcc and evaluates 1.6-1.8x faster than the virtual
#: machine; -O2/-O3 take 3.3 s for no faster re-solve, -O0 gains 1.2x. The Jacobian
#: (30 749 operations, 780 kB of C), evaluated at the Jacobian set-ups only (≈ 230 per
#: cycle against 3 600 residuals), with :data:`FAST_POWERS_C` and :data:`FLAGS`: at -O1
#: 7.9-8.3 s of gcc CPU for −14 to −17 % of a re-solve (0.122-0.131 -> 0.100-0.114 s);
#: at -O0 1.9-2.1 s for −8 % (0.111-0.117 s); -O1 saves more from ≈ 600 re-solves on.
OPTIMISATION: dict[str, str] = {"residual": "-O1", "jacobian": "-O1"}
#: C that gcc reads ahead of the generated code of every compiled function (``-include``):
#: ``fmax``/``fmin`` inline (:data:`FLAGS`) and ``pow(x, y)`` for the shrinking-core
#: exponents y = −1/3 (the conversion front factor y(|y| + δ)^(−1/3) and the product-shell
#: limits' (1 − ξ)^(−1/3), ξ^(−1/3): 200 of the residual's 281 powers for the
#: four-mechanism P2D anode) and −4/3 (their derivatives, in the Jacobian) through an
#: inverse cube root r = x^(−1/3): a first guess from the bits of x (its exponent divided
#: by −3, relative error ≤ 3.5 %) and four Newton steps r ← r (4 − x r³)/3 (error e → 2e²,
#: to round-off), 7 ns against glibc's 16-17 ns for ``pow`` on this problem's CPU. The
#: results are within 2 ulp of x^(−1/3) (3 ulp of x^(−4/3)) for 2^(−64) ≤ x ≤ 2^64 (glibc's
#: pow(x, −0.333…) is up to 8 and 30 ulp off there, its exponent being −1/3 rounded; within
#: 1 and 5 ulp for 10⁻³ ≤ x ≤ 2). Any other x (zero, negative, subnormal, huge, inf, NaN)
#: and any other exponent go to glibc's ``pow`` unchanged, so a NaN or inf in a residual
#: stays one and IDA fails as it did. Not used for y = 2/3: alloying's one-sided factor
#: (y₊ + δ)^(2/3) − δ^(2/3) (:func:`hemcell.cell.mechanisms.base.one_sided_front_factor`)
#: is exactly 0 for an exhausted stage because both of its powers are glibc's of the same
#: argument at run time; a faster 2/3 power an ulp off, times the branch's capped e^40,
#: moved the residual by 2 % of its largest entry.
#: docs/anode.md "Numerics", "Compiled residual".
FAST_POWERS_C = r"""#include <math.h>
#include <stdint.h>
#include <string.h>
static inline double hemcell_inverse_cube_root(double x) {
  uint64_t bits; double r; const double x_third = x * (1.0 / 3.0);
  memcpy(&bits, &x, sizeof bits);
  bits = UINT64_C(0x553EF0FF289DD796) - bits / 3;
  memcpy(&r, &bits, sizeof r);
  r = r * (4.0 / 3.0 - x_third * r * r * r);
  r = r * (4.0 / 3.0 - x_third * r * r * r);
  r = r * (4.0 / 3.0 - x_third * r * r * r);
  r = r * (4.0 / 3.0 - x_third * r * r * r);
  return r;
}
static inline double hemcell_pow(double x, double y) {
  if (x >= 0x1p-64 && x <= 0x1p64) {
    if (y == -1.0 / 3.0) return hemcell_inverse_cube_root(x);
    if (y == -4.0 / 3.0) return hemcell_inverse_cube_root(x) / x;
  }
  return pow(x, y);
}
#define pow(x, y) hemcell_pow(x, y)
static inline double hemcell_fmax(double x, double y) { return (x >= y || y != y) ? x : y; }
static inline double hemcell_fmin(double x, double y) { return (x <= y || y != y) ? x : y; }
#define fmax(x, y) hemcell_fmax(x, y)
#define fmin(x, y) hemcell_fmin(x, y)
"""
#: gcc flags besides the level: the helpers CasADi generates for every max, min, |x| and x²
#: (``casadi_fmax`` ... : 580 max, 320 min and 320 |x| in the four-mechanism P2D residual)
#: are exported functions, which ``-fPIC`` calls through the PLT, each calling libm's
#: ``fmax``/``fmin`` in turn; ``-fno-semantic-interposition`` lets gcc call them directly,
#: ``-finline-small-functions`` (part of -O2) inlines them, and :data:`FAST_POWERS_C` gives
#: ``fmax``/``fmin`` inline with glibc's results (the non-NaN argument if one is NaN, the
#: first when they compare equal, so fmax(−0, +0) = −0; the test checks this against
#: CasADi's virtual machine). The residual evaluates 24 % faster (11.8 -> 9.1 μs on the
#: benchmark cycle's states, minimum of 25 timings of a CasADi ``map`` over 300 states),
#: bit for bit the same.
FLAGS = ("-fno-semantic-interposition", "-finline-small-functions", "-march=native", "-fPIC")
#: Re-solves of one model that repay compiling a function, per function and recipe
#: geometry (docs/anode.md "Numerics", CPU of the benchmark cycles, with
#: :data:`FAST_POWERS_C` and :data:`FLAGS`). Residual: P2D 1.75-2.3 s of gcc CPU (-O1)
#: against 0.10-0.13 s saved per re-solve (0.22-0.29 -> 0.12-0.15 s), i.e. 17-21 (22
#: kept: 1.8 s against 0.083 s before the inline helpers); single particle 0.4-0.5 s
#: against 0.027-0.039 s (two 0.1 A/g cycles, 0.066-0.091 -> 0.040-0.051 s), i.e. 13-19,
#: hence 20. Jacobian: P2D 7.9-8.3 s of gcc CPU (-O1) against 0.017-0.021 s saved per
#: re-solve (residual compiled; medians and minima of 11 interleaved runs), i.e. 380-490,
#: hence 450; single particle not measured alone, so never built (residual and Jacobian
#: together: 1.2 s of gcc against 0.016 s, 75). A function whose
#: library is already in the on-disk cache costs nothing and is always loaded
#: (:func:`pays_to_compile`).
BREAK_EVEN_SOLVES: dict[str, dict[str, int]] = {
    "residual": {"p2d": 22, "sp": 20},
    "jacobian": {"p2d": 450},
}


def pays_to_compile(geometry: str, expected_solves: int, role: str = "residual",
                    cached: bool = False) -> bool:
    """Whether a model's ``role`` function runs compiled for ``expected_solves`` re-solves.

    Parameters
    ----------
    geometry
        The recipe's geometry (``"p2d"`` or ``"sp"``); a geometry without a break-even
        (:data:`BREAK_EVEN_SOLVES`) is compiled only when its library is cached.
    expected_solves
        Solves of the same built model the caller is about to run.
    role
        ``"residual"`` or ``"jacobian"``.
    cached
        Whether the function's library is already in the on-disk cache (loading it costs
        no compiler time, so it is always used).

    Returns
    -------
    bool
        ``cached or expected_solves >= BREAK_EVEN_SOLVES[role][geometry]``.
    """
    break_even = BREAK_EVEN_SOLVES[role].get(geometry)
    return cached or (break_even is not None and expected_solves >= break_even)


@dataclass(frozen=True)
class CompilePlan:
    """Which of a model's solver functions run compiled to C (the model's
    ``compiled_functions``).

    Each function is decided at the solver's set-up, where it exists:
    :func:`pays_to_compile` with its cache state (a library in the on-disk cache is
    loaded at no cost), or compiled whatever the count if ``requested``.

    Parameters
    ----------
    geometry
        The recipe's geometry (``"p2d"``, ``"sp"``).
    expected_solves
        Solves of the built model its caller is about to run (1: a single ``cell run``).
    requested
        Functions compiled whatever ``expected_solves`` (the recipe key ``compiled: true``
        asks for the residual).
    """

    geometry: str
    expected_solves: int
    requested: frozenset[str] = frozenset()

    def compiles(self, role: str, cached: bool) -> bool:
        """Whether the ``role`` function runs compiled (``cached``: its library is on disk)."""
        return role in self.requested or pays_to_compile(self.geometry, self.expected_solves,
                                                         role, cached)


def compile_plan(geometry: str, expected_solves: int | None, residual_requested: bool
                 ) -> CompilePlan | None:
    """The :class:`CompilePlan` of a model its caller solves ``expected_solves`` times.

    ``None`` (every function in CasADi's virtual machine, no cache look-up) when the caller
    gives no count (a single ``cell run``: its results do not depend on what an earlier run
    left in the cache) and the recipe does not ask for the residual compiled.
    """
    if expected_solves is None and not residual_requested:
        return None
    return CompilePlan(geometry, 1 if expected_solves is None else expected_solves,
                       frozenset({"residual"}) if residual_requested else frozenset())


_WARNED: set[str] = set()
#: Library directories pruned by this process (:func:`prune_tallies`, once each).
_PRUNED: set[str] = set()
#: A ``.solves`` tally (:func:`recorded_solves`) of a library not built is removed this
#: long after its last run [s]. Assumed: 30 days. A tally adds up the runs of one model
#: and parameter set (repeated fits, sweep chunks of a campaign); one idle for a month
#: belongs to values not run again (any changed value is another library), and losing it
#: costs at most one gcc build later than otherwise.
TALLY_MAX_AGE_S = 30 * 24 * 3600.0
#: At most this many tallies are kept per library directory (the newest by last run)
#: [-]. Assumed: 1000, a few bytes each (one disk block, 4 kB: ≤ 4 MB, the size of ~33
#: libraries of ~120 kB); a sweep of new parameter values adds one per point left
#: uncompiled.
TALLY_MAX_FILES = 1000
#: Name suffix of a tally: ``<library file name>.solves``.
TALLY_SUFFIX = ".solves"


def compile_cache_key(native_target: str, compiler_version: str, pybamm_version: str,
                      casadi_version: str, machine: str) -> str:
    """Name of the compiled-library directory for one build target (16 hex digits).

    A library depends on the CPU features ``-march=native`` resolves to
    (``native_target``: ``gcc -march=native -Q --help=target``), the compiler, the C that
    PyBaMM's and CasADi's versions generate, and the machine architecture; any of them
    differing gives another directory.
    """
    import hashlib

    h = hashlib.sha256()
    for part in (native_target, compiler_version, pybamm_version, casadi_version, machine):
        h.update(part.strip().encode())
        h.update(b"\0")
    return h.hexdigest()[:16]


def _compiler_probe(*args: str) -> str:
    """Output of ``AOT_COMPILER *args`` ("" without a compiler: PyBaMM then runs
    uncompiled and no library is written)."""
    import subprocess

    try:
        out = subprocess.run([AOT_COMPILER, *args], capture_output=True, text=True,
                             timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return ""
    return out.stdout


@functools.cache
def native_compile_cache_key() -> str:
    """:func:`compile_cache_key` of this process's CPU, compiler and versions (once)."""
    import platform

    import casadi
    import pybamm

    return compile_cache_key(_compiler_probe("-march=native", "-Q", "--help=target"),
                             _compiler_probe("--version").split("\n", 1)[0],
                             pybamm.__version__, casadi.__version__, platform.machine())


def keyed_cache_dir(key: str) -> Path:
    """``<base>/hemcell-<key>``: the library directory of one build target.

    ``<base>`` is the user's ``$PYBAMM_CASADI_AOT_CACHE`` (or PyBaMM's default); a value
    that already names a library directory ``hemcell-<16 hex digits>`` (set by a fit in
    this process, or in the process a worker's environment came from, possibly on another
    CPU) is replaced by ``key`` under the same base. Any other name is a base of its own
    (a folder named ``hemcell-bench-aot-…`` was taken for a library directory and its
    parent, the shared temporary folder, used instead).
    """
    import os
    import re
    import tempfile

    current = os.environ.get(AOT_CACHE_ENV)
    base = Path(current) if current else Path(tempfile.gettempdir()) / "pybamm_casadi_aot"
    if re.fullmatch(r"hemcell-[0-9a-f]{16}", base.name):
        base = base.parent
    return base / f"hemcell-{key}"


def compiler_available() -> bool:
    """Whether :data:`AOT_COMPILER` runs here; warns once per process when it does not."""
    import shutil

    if shutil.which(AOT_COMPILER) is not None:
        return True
    if AOT_COMPILER not in _WARNED:
        _WARNED.add(AOT_COMPILER)
        warnings.warn(f"no C compiler ({AOT_COMPILER!r} not found): the model's residual runs "
                      "uncompiled in CasADi's virtual machine (slower re-solves, the same "
                      "results)", RuntimeWarning, stacklevel=3)
    return False


def compile_function(function: Any, role: str, plan: CompilePlan | None = None) -> Any:
    """``function`` compiled to C and loaded back (``casadi.external``), if it is to be.

    Parameters
    ----------
    function
        A CasADi function; one of CasADi's matrix graph (MX) is expanded to scalars (SX)
        first. Anything else (``None``, a Python evaluator) is returned unchanged, as is
        the function when the plan keeps it in the virtual machine, when it is to be
        built but there is no compiler (:func:`compiler_available`) or the build fails
        (PyBaMM logs a warning).
    role
        ``"residual"`` or ``"jacobian"``: the optimisation level (:data:`OPTIMISATION`).
    plan
        Whether to compile it (:meth:`CompilePlan.compiles`, told whether its library is
        already in the cache: a cached library is loaded, compiler or not); ``None``
        compiles it.

    Returns
    -------
    casadi.Function
        An external function of the same inputs and outputs, or ``function``.
    """
    import casadi
    from pybamm.codegen.compilation import aot_compile

    level = OPTIMISATION[role]
    if not isinstance(function, casadi.Function) or function.class_name() == "External":
        return function
    scalar = function
    if function.is_a("MXFunction"):
        try:
            scalar = function.expand()
        except RuntimeError:
            return function
    directory = keyed_cache_dir(native_compile_cache_key())
    try:
        directory.mkdir(parents=True, exist_ok=True)
        header = _fast_powers_header(directory)
    except OSError as err:  # unwritable cache: run uncompiled, as without a compiler
        if str(directory) not in _WARNED:
            _WARNED.add(str(directory))
            warnings.warn(f"cannot write the compiled-library cache {directory} ({err}): the "
                          "model runs uncompiled (set $PYBAMM_CASADI_AOT_CACHE to a writable "
                          "folder)", RuntimeWarning, stacklevel=2)
        return function
    if str(directory) not in _PRUNED:
        import time

        _PRUNED.add(str(directory))
        prune_tallies(directory, time.time(), TALLY_MAX_AGE_S, TALLY_MAX_FILES)
    # level and header in the name: in-process and on-disk caches key on name + graph only
    named = casadi.Function(f"hemcell_{role}{level.replace('-', '_')}_{header.stem[-8:]}",
                            scalar.sx_in(), scalar.call(scalar.sx_in()), scalar.name_in(),
                            scalar.name_out())
    library = library_path(named, directory)
    cached = library.exists()
    if plan is not None and not cached:  # earlier runs' solves of it count towards gcc
        plan = replace(plan, expected_solves=recorded_solves(library, plan.expected_solves))
    if plan is not None and not plan.compiles(role, cached):
        return function
    if not cached and not compiler_available():
        return function
    built = aot_compile(named, cache_dir=str(directory), compiler=AOT_COMPILER,
                        flags=(level, "-include", str(header), *FLAGS))
    if library.exists():  # its tally is never read again
        library.with_name(library.name + TALLY_SUFFIX).unlink(missing_ok=True)
    return built


def recorded_solves(library: Path, expected_solves: int) -> int:
    """Solves of a not yet compiled function on this machine, ``expected_solves`` included.

    Each run that leaves the function uncompiled appends its expected solves to
    ``<library>.solves`` (one line per run; appends of a line are atomic, so concurrent
    runs lose nothing), so that repeated fits or sweep chunks of one model compile it
    once their sum repays gcc: a P2D fit (30 solves expected) gets its Jacobian compiled
    at its 15th run, and from then on from the cache. An unreadable or unwritable tally
    counts this run alone. Tallies are pruned by :func:`prune_tallies`.
    """
    tally = library.with_name(library.name + TALLY_SUFFIX)
    try:
        with tally.open("a") as f:
            f.write(f"{expected_solves}\n")
        return sum(int(line) for line in tally.read_text().split() if line.isdigit())
    except OSError:
        return expected_solves


def prune_tallies(directory: Path, now_s: float, max_age_s: float, max_files: int
                  ) -> list[Path]:
    """Remove the ``.solves`` tallies of ``directory`` that are no longer of use.

    A tally (:func:`recorded_solves`) goes with its library: once ``<library>`` is built
    it is never read again. The tallies of libraries never built are bounded: one whose
    last run (modification time) is more than ``max_age_s`` before ``now_s`` is removed,
    and of the rest only the newest ``max_files`` are kept (:data:`TALLY_MAX_AGE_S`,
    :data:`TALLY_MAX_FILES`). The libraries themselves are not touched (PyBaMM's own
    sweep removes only its interrupted builds' leftovers). Files that vanish or cannot
    be removed (another process, permissions) are skipped.

    Parameters
    ----------
    directory
        A library directory (:func:`keyed_cache_dir`).
    now_s
        The current time [s since the epoch].
    max_age_s
        Largest age of a tally's last run [s].
    max_files
        Most tallies kept.

    Returns
    -------
    list of Path
        The tallies removed.
    """
    try:
        tallies = [p for p in directory.iterdir() if p.name.endswith(TALLY_SUFFIX)]
    except OSError:
        return []
    removed: list[Path] = []
    kept: list[tuple[float, Path]] = []
    for tally in tallies:
        try:
            mtime = tally.stat().st_mtime
        except OSError:
            continue
        library = tally.with_name(tally.name[: -len(TALLY_SUFFIX)])
        if library.exists() or now_s - mtime > max_age_s:
            removed.append(tally)
        else:
            kept.append((mtime, tally))
    kept.sort(key=lambda item: item[0], reverse=True)
    removed += [tally for _, tally in kept[max_files:]]
    gone = []
    for tally in removed:
        try:
            tally.unlink()
            gone.append(tally)
        except OSError:
            continue
    return gone


def library_path(function: Any, directory: Path) -> Path:
    """The file PyBaMM's ``aot_compile`` builds ``function`` into in ``directory``.

    PyBaMM's naming (``pybamm.codegen.compilation``): ``pybamm_<name>_<key><ext>``, ``key``
    the first 16 hex digits of the SHA-1 of the function's name and serialised graph (so
    it includes the parameter values folded into it). The test compares it with the file
    ``aot_compile`` writes.
    """
    import hashlib
    import sys

    h = hashlib.sha1(usedforsecurity=False)
    for part in (function.name(), function.serialize()):
        h.update(part.encode())
        h.update(b"\0")
    ext = {"darwin": ".dylib", "win32": ".dll"}.get(sys.platform, ".so")
    return directory / f"pybamm_{function.name()}_{h.hexdigest()[:16]}{ext}"


def _fast_powers_header(directory: Path) -> Path:
    """:data:`FAST_POWERS_C` as ``hemcell_powers_<hash>.h`` in ``directory`` (written once,
    atomically: concurrent builds read a whole file or write the same one). The hash
    covers :data:`FLAGS` as well: it names the libraries built with them."""
    import hashlib
    import os
    import uuid

    digest = hashlib.sha256("\0".join((FAST_POWERS_C, *FLAGS)).encode()).hexdigest()[:8]
    header = directory / f"hemcell_powers_{digest}.h"
    if not header.exists():
        partial = directory / f"{header.name}.{os.getpid()}.{uuid.uuid4().hex}.tmp"
        partial.write_text(FAST_POWERS_C)
        os.replace(partial, header)
    return header
