"""Compiled forms kept in the process: a form is compiled (or loaded) once per signature.

``dolfinx.fem.form`` hands every UFL form to the JIT (``dolfinx.jit.ffcx_jit``): FFCx
computes the form's signature, finds the compiled module in the disk cache
(``~/.cache/fenics``) and imports it again. On several ranks this is collective and
serial: rank 0 loads first, the others wait for its broadcast, then load in turn, and an
allreduce closes it (``mpi_jit_decorator``). A coupled solve builds six forms and
expressions, so a 2-rank solve paid about twice the 1-rank JIT time at every call.

:func:`form` keeps the compiled UFCx form and its module per form signature (the
signature of the renumbered form: the same equations with the same elements, constants
and coefficients in the same order, whatever the meshes and functions they are bound
to) and binds the new form's coefficients, constants and integration domains to it, as
``dolfinx.fem.form`` does. Repeated solves (a benchmark worker, a surface sweep in a
process, the staggered coupling of every new problem, transient remeshes) compile nothing.
Only the compiled code is kept, never a mesh or a function.

:func:`per_mesh` keeps what the set-up of a problem derives from the meshes alone
(function spaces, their collapsed sub-spaces, located boundary dofs) with the
:class:`~hemcell.surface.geometry.SurfaceMesh` they belong to, so that the next problem
on the same meshes does not build them again (building a space's dofmap and locating
dofs communicate between the ranks).
"""

from __future__ import annotations

import functools
import weakref
from collections.abc import Callable
from typing import Any

import numpy as np
import ufl

# form signature -> (UFCx form, CFFI module, C code) of the compiled form
_COMPILED: dict[str, tuple[Any, Any, Any]] = {}
# expression signature -> (UFCx expression, CFFI module, C code)
_COMPILED_EXPRESSIONS: dict[str, tuple[Any, Any, Any]] = {}
_COUNTS = {"compilations": 0, "reuses": 0}
# id(SurfaceMesh) -> {key: value} of per_mesh; an entry goes when its SurfaceMesh does
_PER_MESH: dict[int, dict[Any, Any]] = {}


def compilation_counts() -> dict[str, int]:
    """How many forms and expressions :func:`form` and :func:`expression` have compiled
    (or loaded from the disk cache) through the collective JIT, and how many they have
    reused."""
    return dict(_COUNTS)


def form(ufl_form: Any) -> Any:
    """``dolfinx.fem.form(ufl_form)`` (float64), compiled once per form signature.

    Collective: every rank of the mesh's communicator calls it with the same form. A
    compiled form is reused only when every rank holds it (one allreduce), so the ranks
    always take the same path.
    """
    from dolfinx import default_scalar_type, jit
    from dolfinx.fem.forms import Form, form_cpp_class

    msh = ufl_form.ufl_domain().ufl_cargo()
    ufcx_form, module, code = _compiled(
        _COMPILED, ufl_form.signature(), msh.comm,
        lambda: jit.ffcx_jit(msh.comm, ufl_form, {"scalar_type": default_scalar_type}, None))
    # bind the form's data to the compiled form, as dolfinx.fem.form does
    coefficients = ufl_form.coefficients()
    cpp_form = form_cpp_class(default_scalar_type)(
        [module.ffi.cast("uintptr_t", module.ffi.addressof(ufcx_form))],
        [arg.ufl_function_space()._cpp_object for arg in ufl_form.arguments()],
        [coefficients[ufcx_form.original_coefficient_positions[i]]._cpp_object
         for i in range(ufcx_form.num_coefficients)],
        [c._cpp_object for c in ufl_form.constants()],
        _integration_domains(ufl_form, ufcx_form), [], msh)
    return Form(cpp_form, ufcx_form, code, module)


def expression(ufl_expr: Any, points: Any) -> Any:
    """``dolfinx.fem.Expression(ufl_expr, points)`` (float64, no arguments), compiled once
    per expression signature, as :func:`form`.

    Collective like :func:`form`. The compiled UFCx expression is bound to the
    expression's coefficients and constants as ``dolfinx.fem.Expression`` does.
    """
    import ffcx.naming
    from dolfinx import default_scalar_type, jit

    (domain,) = ufl.domain.extract_domains(ufl_expr)
    comm = domain.ufl_cargo().comm
    if ufl.algorithms.extract_arguments(ufl_expr):
        raise ValueError("an expression with an argument: use dolfinx.fem.Expression")
    # the points as dolfinx.fem.Expression passes them to the JIT (same signature)
    X = np.reshape(points, (points.shape[0] if points.ndim == 2 else 1, -1))
    compiled = _compiled(
        _COMPILED_EXPRESSIONS, ffcx.naming.compute_signature([(ufl_expr, X)], ""), comm,
        lambda: jit.ffcx_jit(comm, (ufl_expr, X), {"scalar_type": default_scalar_type}, None))
    return _kept_expression_class()(ufl_expr, *compiled)


def _compiled(cache: dict[str, tuple[Any, Any, Any]], key: str, comm: Any,
              compile_: Callable[[], tuple[Any, Any, Any]]) -> tuple[Any, Any, Any]:
    """The kept ``(UFCx object, CFFI module, C code)`` of ``key``, or ``compile_()``'s
    (the collective JIT) kept for next time. Collective: the kept one is used only when
    every rank holds it (one allreduce), so the ranks always take the same path."""
    compiled = cache.get(key)
    held = compiled is not None
    if comm.size > 1:
        from mpi4py import MPI

        held = bool(comm.allreduce(held, op=MPI.LAND))
    if held:
        assert compiled is not None
        _COUNTS["reuses"] += 1
        return compiled
    compiled = cache[key] = tuple(compile_())  # type: ignore[assignment]
    _COUNTS["compilations"] += 1
    return compiled  # type: ignore[return-value]


@functools.cache
def _kept_expression_class() -> type:
    """The class of :func:`expression`'s results (defined on first use: DOLFINx is
    imported lazily)."""
    from dolfinx import cpp, fem

    class KeptExpression(fem.Expression):  # type: ignore[misc]
        """A ``dolfinx.fem.Expression`` bound to a compiled UFCx expression kept in the
        process (the body of ``Expression.__init__`` after its JIT call)."""

        def __init__(self, ufl_expr: Any, ufcx_expression: Any, module: Any,
                     code: Any) -> None:
            self._ufcx_expression, self._code = ufcx_expression, code
            self._ufl_expression = ufl_expr
            self._argument_space = None
            coefficients = ufl.algorithms.extract_coefficients(ufl_expr)
            ffi = module.ffi
            self._cpp_object = cpp.fem.create_expression_float64(
                ffi.cast("uintptr_t", ffi.addressof(ufcx_expression)),
                [coefficients[ufcx_expression.original_coefficient_positions[i]]._cpp_object
                 for i in range(ufcx_expression.num_coefficients)],
                [c._cpp_object for c in ufl.algorithms.analysis.extract_constants(ufl_expr)],
                [], None)

    return KeptExpression


def _integration_domains(ufl_form: Any, ufcx_form: Any) -> dict[Any, list[Any]]:
    """The entities of each integral of the compiled form, from the form's subdomain data
    (what ``dolfinx.fem.form`` computes for the C++ form)."""
    from dolfinx.fem import IntegralType
    from dolfinx.fem.forms import get_integration_domains

    (data,) = ufl_form.subdomain_data().values()
    offsets = ufcx_form.form_integral_offsets
    out = {}
    for i in range(len(IntegralType)):  # the UFCx integral types, in their order
        kind = IntegralType(i)
        if kind.name in data:
            ids = [ufcx_form.form_integral_ids[j] for j in range(offsets[i], offsets[i + 1])]
            out[kind] = get_integration_domains(kind, data[kind.name][0], ids)
    return out


def per_mesh(sm: Any, key: Any, build: Callable[[], Any]) -> Any:
    """``build()``, once per SurfaceMesh ``sm`` and ``key``: set-up data that depends on the
    meshes of ``sm`` (their topology) and nothing else, e.g. a function space.

    Kept while ``sm`` lives (the values may hold its meshes, never ``sm`` itself), so a
    problem built again on the same meshes shares them. Collective when ``build`` is:
    every rank asks for the same keys in the same order, so all ranks build or all reuse.
    Not for anything that depends on the coordinates (they move in transient runs).
    """
    kept = _PER_MESH.get(id(sm))
    if kept is None:
        kept = _PER_MESH[id(sm)] = {}
        weakref.finalize(sm, _PER_MESH.pop, id(sm), None)
    if key not in kept:
        kept[key] = build()
    return kept[key]
