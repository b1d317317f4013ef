"""PETSc settings shared by the surface solvers: MUMPS controls and prefixed options.

One owner for what both the transport (:mod:`hemcell.surface.solver`) and the elasticity
(:mod:`hemcell.surface.mechanics`) set on their PETSc objects:

- the MUMPS controls (``mat_mumps_icntl_N``, ``mat_mumps_cntl_N``), set on the factor
  matrix of a direct solve (:func:`split_mumps_controls`, :func:`set_mumps_controls`);
- options a solver reads from the PETSc options database under its prefix, some of them
  only when its preconditioner is built (GAMG levels, fieldsplit blocks), so they stay
  there while the solver lives and are removed when the last object holding them is gone
  (:func:`hold_options`). DOLFINx's ``NonlinearProblem`` leaves its SNES/KSP options in
  the database under its prefix (its clean-up deletes the unprefixed names).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import weakref
from collections import Counter
from typing import Any

MUMPS_ORDERING_AMF = 2  # MUMPS ICNTL(7): approximate minimum fill ordering
MUMPS_ORDERING_METIS = 5  # MUMPS ICNTL(7): METIS nested dissection
MUMPS_NO_SCALING = 0  # MUMPS ICNTL(8): no row/column scaling before a factorisation

# glibc mallopt parameters (malloc.h) and the largest value mallopt takes (an int)
_M_TRIM_THRESHOLD = -1
_M_MMAP_MAX = -4
_INT_MAX = 2**31 - 1
_freed_memory_kept = False

# Number of live objects holding each prefixed option name (see hold_options)
_OPTION_HOLDERS: Counter[str] = Counter()


def split_mumps_controls(opts: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """Separate the MUMPS controls (``mat_mumps_icntl_N``, ``mat_mumps_cntl_N``) of a
    direct MUMPS solve from the other options.

    The factor matrix reads its controls from the options database only when it is
    factorised, so a problem that is never solved would leave them there, unused (PETSc
    warns at exit); :func:`set_mumps_controls` sets them on the factor matrix instead.
    Options of any other solver are returned unchanged, with None for the controls.
    """
    if not (opts.get("pc_type") in ("lu", "cholesky")
            and opts.get("pc_factor_mat_solver_type") == "mumps"):
        return opts, None
    controls = {k: v for k, v in opts.items()
                if k.startswith(("mat_mumps_icntl_", "mat_mumps_cntl_"))}
    return {k: v for k, v in opts.items() if k not in controls}, controls


def set_mumps_controls(ksp: Any, controls: dict[str, Any]) -> None:
    """Set MUMPS controls (``mat_mumps_icntl_N``/``_cntl_N``: value) on the factor matrix
    of ``ksp``'s LU/Cholesky preconditioner.

    The operators of ``ksp`` must be set and its preconditioner's type and solver type
    (MUMPS) chosen; the factor matrix is created here, the factorisation happens at the
    first solve.
    """
    pc = ksp.getPC()
    pc.setFactorSetUpSolverType()
    factor = pc.getFactorMatrix()
    for key, value in controls.items():
        kind, _, number = key.rpartition("_")
        if kind == "mat_mumps_icntl" and number.isdigit():
            factor.setMumpsIcntl(int(number), int(value))
        elif kind == "mat_mumps_cntl" and number.isdigit():
            factor.setMumpsCntl(int(number), float(value))
        else:
            raise ValueError(f"not a MUMPS control: {key}")


def hold_options(holder: Any, prefix: str, names: Any) -> None:
    """Keep the options ``prefix + name`` in the PETSc options database while ``holder``
    lives; remove each when the last live holder of it is gone.

    Several problems may share a prefix (a transient run builds a new transport problem
    after each remesh while the old one is still referenced): an option is removed only
    when no live holder has set it, never under a problem that may still read it.
    """
    full = [prefix + name for name in names]
    _OPTION_HOLDERS.update(full)
    release = weakref.finalize(holder, _release_options, full)
    release.atexit = False  # at exit the database goes with PETSc


def _release_options(full_names: list[str]) -> None:
    from petsc4py import PETSc

    db = PETSc.Options()
    for name in full_names:
        _OPTION_HOLDERS[name] -= 1
        if _OPTION_HOLDERS[name] <= 0:
            del _OPTION_HOLDERS[name]
            db.delValue(name)


def set_prefixed_options(obj: Any, prefix: str, options: dict[str, Any]) -> None:
    """Put ``options`` into the options database under ``prefix``, give ``obj`` (a KSP,
    SNES, ...) that prefix and apply them (``setFromOptions``).

    The options stay in the database while ``obj`` lives (:func:`hold_options`): parts of
    a preconditioner (the multigrid levels) read theirs when it is (re)built, after this
    call.
    """
    from petsc4py import PETSc

    db = PETSc.Options()
    obj.setOptionsPrefix(prefix)
    for k, v in options.items():
        db[prefix + k] = v
    obj.setFromOptions()
    hold_options(obj, prefix, options)


def keep_freed_memory() -> bool:
    """Let this process keep the memory it frees for its next allocations (glibc malloc).

    glibc serves an allocation above its mmap threshold (32 MB at most) with new pages
    from the kernel and returns them when it is freed. MUMPS frees and reallocates its
    factor array at every numeric factorisation (25M entries, 200 MB, for the 148k-DOF
    transport Jacobian), so every refactorisation of a kept solver touched 200 MB of new
    pages: ~57 000 page faults (the kernel zeroing and mapping each 4 kB page), 0.1–0.3 s
    of CPU per factorisation on a 2-core virtual machine, varying with the load. With
    mmap off (``M_MMAP_MAX`` = 0) and the top of the heap never trimmed
    (``M_TRIM_THRESHOLD`` at its largest), a freed block stays in the heap and the next
    factorisation reuses its resident pages (a few hundred faults).

    For processes that factorise again and again on the same meshes
    (:class:`~hemcell.surface.solver.CoupledSolver`); the process then keeps its peak
    memory until it ends. Process-wide and idempotent. Returns whether the setting is in
    effect (False where the C library is not glibc).
    """
    global _freed_memory_kept
    if not _freed_memory_kept:
        name = ctypes.util.find_library("c")
        libc = ctypes.CDLL(name) if name else None
        mallopt = getattr(libc, "mallopt", None)
        _freed_memory_kept = bool(
            mallopt is not None
            and mallopt(_M_MMAP_MAX, 0) == 1 and mallopt(_M_TRIM_THRESHOLD, _INT_MAX) == 1)
    return _freed_memory_kept


class KeptSolvers:
    """Linear solvers (a KSP and its operator Mat) kept for the next problem on the same
    meshes, so that a factorisation's symbolic step is done once.

    An LU or Cholesky factorisation is a symbolic step (MUMPS: the analysis, i.e. the
    fill-reducing ordering and the symbolic factorisation, from the sparsity pattern
    alone) and a numeric one. PETSc's ``PCSetUp`` repeats the symbolic step only when the
    preconditioner's operator is a new Mat or its nonzero pattern has changed (a Mat
    re-assembled into its own pattern is ``SAME_NONZERO_PATTERN``: numeric step only),
    and keeps the factors of an operator that has not changed at all. A problem that
    assembles its operator into the Mat of an earlier problem with the same sparsity
    pattern and solves with that problem's KSP therefore skips the analysis; if its
    operator is the earlier one, it skips the factorisation too.

    Entries are keyed by what fixes the sparsity pattern (the function space and the
    integration domains of the operator's form; see the problems that use it). Each
    entry is handed to one problem at a time (:meth:`take`): the problem that had it
    before can no longer solve (:meth:`holds` is false for it), so a kept solver is never
    used by two problems and a finished problem's results are never touched by a later
    one (its solution vectors and fields are its own).

    A kept linear solve, too (:meth:`remember_solution`, :meth:`solution_for`): the
    solution of a right-hand side that a later problem solves again with the same kept
    factors is that earlier solution, bit for bit (the elasticity's first solve, with the
    stack pressure alone, is the same at every point of a sweep over currents).
    """

    def __init__(self) -> None:
        # key -> [operator Mat, KSP, operator state (see `state`), weak ref to the holder]
        self._kept: dict[Any, list[Any]] = {}
        # key -> (right-hand side, solution) Vecs solved with the kept operator of key
        self._solutions: dict[Any, tuple[Any, Any]] = {}

    def take(self, key: Any, holder: Any) -> tuple[Any, Any, Any] | None:
        """The kept ``(operator, ksp, state)`` of ``key``, now held by ``holder``; None if
        nothing is kept under ``key``."""
        entry = self._kept.get(key)
        if entry is None:
            return None
        entry[3] = weakref.ref(holder)
        return entry[0], entry[1], entry[2]

    def keep(self, key: Any, holder: Any, operator: Any, ksp: Any, state: Any = None) -> None:
        """Keep ``holder``'s ``operator`` and ``ksp`` under ``key`` (``state``: a record of
        the values assembled into the operator, or None when they are not tracked)."""
        self._kept[key] = [operator, ksp, state, weakref.ref(holder)]
        self._solutions.pop(key, None)

    def set_state(self, key: Any, state: Any) -> None:
        """Record the values now assembled into the kept operator of ``key`` (its kept
        solution, of the operator before, is forgotten)."""
        self._kept[key][2] = state
        self._solutions.pop(key, None)

    def remember_solution(self, key: Any, rhs: Any, solution: Any) -> None:
        """Keep copies of ``rhs`` and its ``solution`` (PETSc Vecs) by the kept solver of
        ``key`` (one pair per key, replacing the last), for :meth:`solution_for`."""
        self._solutions[key] = (rhs.copy(), solution.copy())

    def solution_for(self, key: Any, rhs: Any) -> Any:
        """The kept solution of ``key`` if ``rhs`` equals its kept right-hand side bit for
        bit on every rank (PETSc ``VecEqual``: collective), else None. Valid while the
        kept operator's values are those it was solved with (:meth:`set_state` and
        :meth:`keep` forget it); for a direct solver, whose solution the right-hand side
        and the factors alone decide."""
        kept = self._solutions.get(key)  # (the same on every rank: same calls)
        if kept is None or not rhs.equal(kept[0]):
            return None
        return kept[1]

    def holds(self, key: Any, holder: Any) -> bool:
        """Whether ``holder`` is the problem the solver of ``key`` was last handed to."""
        entry = self._kept.get(key)
        return entry is not None and entry[3]() is holder

    def __len__(self) -> int:
        return len(self._kept)
