r"""Scalar results of a surface simulation (the keys of ``metrics.json``).

Definitions (Γ_Li is the Li surface where lithium deposits, :math:`|Γ|` its length):

- ``current_focusing_factor`` = :math:`\max_{Γ_{Li}} i_n / \bar i_n`, with
  :math:`\bar i_n = \int_{Γ_{Li}} i_n\,ds / |Γ_{Li}|`;
- ``mean_current_density_A_per_m2`` = :math:`\bar i_n` (per true surface area; for a
  rough surface it is below the applied current per projected area);
- ``min_surface_concentration_mol_per_m3``: minimum of c on the electrolyte side of the
  surface (the coating/electrolyte interface when coated);
- ``coating_potential_drop_V``: mean potential on the coating/electrolyte side minus
  mean potential at the Li/coating side (0 for bare);
- ``max_von_mises_li_Pa``, ``max_von_mises_coating_Pa``: maxima over the regions;
- ``tip_normal_stress_Pa``: σ_nn (tension positive) in the Li at the crest of the surface;
- ``dofs``: transport + mechanics degrees of freedom; ``mpi_ranks``; ``solve_time_s``.

Extra diagnostics: ``current_modulation`` = (max − min)/(max + min) of i_n (the
amplitude ε of a sinusoidal modulation), ``mean_equilibrium_shift_V`` = mean of
σ_nnΩ/F over the surface (−pΩ/F under a uniform pressure p),
``far_boundary_potential_V`` = mean electrolyte potential at the counter boundary
relative to the Li metal (the surface's total polarisation), coupling and Newton
iteration counts.

Aqueous metals (hydrogen evolution on, the Zn sets): ``her_current_fraction`` =
:math:`\int i_{HER}\,ds / \int (i_n + i_{HER})\,ds`, the share of the surface current
that evolves H₂ instead of plating metal (the Coulombic loss of the plating step:
CE = 1 − fraction), and ``mean_her_current_density_A_per_m2``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from hemcell.surface import kinetics
from hemcell.surface.geometry import Cell, Facet
from hemcell.surface.solver import CoupledResult

METRIC_KEYS: tuple[str, ...] = (
    "current_focusing_factor",
    "mean_current_density_A_per_m2",
    "min_surface_concentration_mol_per_m3",
    "coating_potential_drop_V",
    "max_von_mises_li_Pa",
    "max_von_mises_coating_Pa",
    "tip_normal_stress_Pa",
    "dofs",
    "mpi_ranks",
    "solve_time_s",
)


def compute_metrics(result: CoupledResult) -> dict[str, Any]:
    """Compute the ``metrics.json`` entries of a solved problem (collective on MPI).

    Works for the 2D and the 3D problem (``dim`` key). In 3D the surface is an area
    (``surface_area_m2`` instead of ``surface_length_m``), the mechanics metrics are
    ``null`` (``mechanics`` says why) and the tip is the crest's (x, y).

    Parameters
    ----------
    result
        Output of :func:`hemcell.surface.solver.solve_coupled` or
        :func:`hemcell.surface.solver3d.solve_steady_3d`.

    Returns
    -------
    dict
        Keys :data:`METRIC_KEYS` plus a few diagnostic extras.
    """
    import ufl

    tr, mech, s = result.transport, result.mechanics, result.samples
    sm = tr.sm
    ds = tr.ds
    dim = tr.msh.topology.dim
    area = tr.integral(1.0, ds(Facet.LI_SURFACE))
    # the metal's (Butler-Volmer) current, as the nodal samples: the thin layer's film
    # current i_n also carries hydrogen evolution (Zn coated_thin: the mean was the
    # applied 10 A/m2 against a metal maximum of 9.9965, a focusing factor 0.99965 < 1)
    mean_i = tr.integral(tr.i_bv, tr.ds_li) / area
    i_nodes = s.current_density_A_per_m2
    focusing = float(np.max(i_nodes)) / mean_i

    comm = tr.msh.comm
    from hemcell.surface.mechanics import _gather_sorted

    if tr.case == "coated":
        xs, ys, cs = tr.surface_nodal(0, Facet.COATING_SURFACE)
        _, c_surface = _gather_sorted(comm, xs, cs)
        # Coating/electrolyte facets are interior facets of the transport mesh: use
        # arc-length (trapezoidal) means of the nodal potentials on both interfaces.
        outer = _curve_mean(comm, xs, ys, tr.surface_nodal(1, Facet.COATING_SURFACE)[2])
        xi, yi, phi_i = tr.surface_nodal(1, Facet.LI_SURFACE)
        inner = _curve_mean(comm, xi, yi, phi_i)
        drop = outer - inner
    else:
        c_surface = s.concentration_mol_per_m3
        if tr.case == "coated_thin":
            parts = ufl.split(tr.u)
            drop = tr.integral((parts[1] - parts[2]) * tr.phi_scale, tr.ds_li) / area
        else:
            drop = 0.0

    shift = kinetics.mechanical_potential_shift_V(tr.stress_field,
                                                  tr.p.li_molar_volume_m3_per_mol,
                                                  tr.p.charge_per_mole_C_per_mol)
    dofs = tr.W.dofmap.index_map.size_global * tr.W.dofmap.index_map_bs
    mechanics: dict[str, Any]
    if mech is None:
        from hemcell.surface.solver3d import MECHANICS_NOTE

        mechanics = {"max_von_mises_li_Pa": None, "max_von_mises_coating_Pa": None,
                     "tip_normal_stress_Pa": None, "mechanics": MECHANICS_NOTE}
    else:
        dofs += mech.V.dofmap.index_map.size_global * mech.V.dofmap.index_map_bs
        mechanics = {
            "max_von_mises_li_Pa": mech.max_von_mises(Cell.LI),
            "max_von_mises_coating_Pa": mech.max_von_mises(Cell.COATING)
            if sm.has_coating else 0.0,
            "tip_normal_stress_Pa": float(np.interp(sm.spec.tip_x_m(), s.x_m,
                                                    s.normal_stress_Pa)),
        }
    her: dict[str, float] = {}
    if tr.i_her is not None:
        i_her = tr.integral(tr.i_her, tr.ds_li)
        her = {"her_current_fraction": i_her / (i_her + mean_i * area),
               "mean_her_current_density_A_per_m2": i_her / area}
    return {
        "current_focusing_factor": focusing,
        "mean_current_density_A_per_m2": mean_i,
        "min_surface_concentration_mol_per_m3": float(np.min(c_surface)),
        "coating_potential_drop_V": float(drop),
        "max_von_mises_li_Pa": mechanics.pop("max_von_mises_li_Pa"),
        "max_von_mises_coating_Pa": mechanics.pop("max_von_mises_coating_Pa"),
        "tip_normal_stress_Pa": mechanics.pop("tip_normal_stress_Pa"),
        "dofs": int(dofs),
        "mpi_ranks": int(comm.size),
        "solve_time_s": float(result.solve_time_s),
        "dim": int(dim),
        **mechanics,
        "current_modulation": float(
            (np.max(i_nodes) - np.min(i_nodes)) / (np.max(i_nodes) + np.min(i_nodes))),
        "mean_equilibrium_shift_V": tr.integral(shift, ds(Facet.LI_SURFACE)) / area,
        "far_boundary_potential_V": _far_potential(tr),
        "coupling_iterations": int(result.coupling_iterations),
        "newton_iterations_total": int(sum(result.newton_iterations)),
        ("surface_area_m2" if dim == 3 else "surface_length_m"): float(area),
        "min_current_density_A_per_m2": float(np.min(i_nodes)),
        "max_current_density_A_per_m2": float(np.max(i_nodes)),
        "linear_solver": tr.linear_solver,
        **her,
    }


def _curve_mean(comm: Any, x: Any, y: Any, values: Any) -> float:
    """Arc-length mean of nodal values on a curve y(x), gathered over ranks."""
    from hemcell.surface.mechanics import _gather_sorted

    xs, ys, vs = _gather_sorted(comm, x, y, values)
    seg = np.hypot(np.diff(xs), np.diff(ys))
    return float(np.sum(0.5 * (vs[1:] + vs[:-1]) * seg) / np.sum(seg))


def _far_potential(tr: Any) -> float:
    """Mean electrolyte potential on the far boundary [V] (vs the Li metal)."""
    import ufl

    phi = ufl.split(tr.u)[1] * tr.phi_scale
    return tr.integral(phi, tr.ds(Facet.TOP)) / tr.integral(1.0, tr.ds(Facet.TOP))
