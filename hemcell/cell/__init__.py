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
- :mod:`hemcell.cell.cycling` — capacity over many cycles (strain-driven loss of active
  material, cycle-resolved);
- :mod:`hemcell.cell.protocols`, :mod:`hemcell.cell.recipes`,
  :mod:`hemcell.cell.simulate`, :mod:`hemcell.cell.analysis`, :mod:`hemcell.cell.plots`;
- :mod:`hemcell.cell.cli` — ``hemcell cell run``, ``cv``, ``cycle-life``;
  :mod:`hemcell.cell.demo`.
"""

from __future__ import annotations

__all__ = ["MECHANISMS"]

MECHANISMS: tuple[str, ...] = (
    "intercalation",
    "conversion",
    "alloying",
    "space_charge",
    "irreversible",
)
