"""PyBaMM side of hemcell: the multi-mechanism high-entropy-material (HEM) anode.

Modules (imported lazily; ``import hemcell.cell`` does not import PyBaMM):

- :mod:`hemcell.cell.mechanisms` — intercalation, conversion, alloying, space charge,
  irreversible loss, one module each (PyBaMM submodel hooks);
- :mod:`hemcell.cell.model` — :class:`~hemcell.cell.model.HEMHalfCell` (P2D, or the
  single-particle reduction);
- :mod:`hemcell.cell.parameters` — parameter set → ``pybamm.ParameterValues``;
- :mod:`hemcell.cell.carriers` — Li⁺/Na⁺/K⁺: kinetic scaling, conversion branches vs
  the ion's metal, alloy capacities; :mod:`hemcell.cell.electrolytes` — the ion's
  electrolyte and metal counter electrode;
- :mod:`hemcell.cell.capacity` — active mass, theoretical capacity, the capacity C-rates
  refer to;
- :mod:`hemcell.cell.protocols`, :mod:`hemcell.cell.recipes`, :mod:`hemcell.cell.analysis`,
  :mod:`hemcell.cell.plots`.

Runs (parameters → model → solve → outputs) are workflows: :mod:`hemcell.workflows.anode`,
``anode_cv``, ``anode_cycle_life``, ``anode_crosscheck``, ``anode_sweep``.
"""

from __future__ import annotations

__all__ = ["MECHANISMS"]

MECHANISMS: tuple[str, ...] = (
    "intercalation",
    "conversion",
    "alloying",
    "space_charge",
    "irreversible",
    "gel_sei",
)
