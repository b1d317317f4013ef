"""Storage mechanisms of the high-entropy-material anode, one module each.

=================  ==========================================================
``intercalation``  Fickian particle diffusion, sloping OCP, Butler–Volmer
``conversion``     extent ξ, shrinking core, two-branch (rate-independent) hysteresis
``alloying``       multi-stage Li–M phases on metal that exists
``space_charge``   interfacial capacitance on conversion-made metal/LiₙX interfaces
``irreversible``   first-lithiation SEI / electrolyte loss
``gel_sei``        reversible polymeric/gel-like film on the converted metal (low potential)
=================  ==========================================================
"""

from __future__ import annotations

MECHANISMS: tuple[str, ...] = (
    "intercalation",
    "conversion",
    "alloying",
    "space_charge",
    "irreversible",
    "gel_sei",
)

__all__ = ["MECHANISMS"]
