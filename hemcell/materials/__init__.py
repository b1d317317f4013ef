"""Composition → mechanism inventory of high-entropy materials (docs/theory.md §2, eq. 2.8).

:func:`composition_inventory` parses a formula, infers oxidation states by charge
balance, computes the configurational entropy per sublattice and its class, assigns each
element its mechanisms (seed 000's element planes) and gives the theoretical capacity of
conversion and alloying for Li, Na or K. :func:`write_parameter_set` turns the result
into a starting anode parameter set. Command line: ``hemcell composition``.

Importing this package is light; ``periodictable`` (atomic masses) is loaded on first
use.
"""

from hemcell.materials.inventory import JSON_KEYS, composition_inventory
from hemcell.materials.paramset import write_parameter_set

__all__ = ["JSON_KEYS", "composition_inventory", "write_parameter_set"]
