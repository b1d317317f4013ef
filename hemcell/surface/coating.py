r"""The coating as a single-ion (Li⁺) conductor: resolved and thin-layer forms.

Resolved coating
----------------
In the coating :math:`\Omega_c` only Li⁺ moves, at a fixed carrier concentration,
so the current is Ohmic and carried entirely by cations:

.. math::
    \mathbf i_c = -\kappa_c\nabla\phi, \qquad \mathbf N_+ = \mathbf i_c/F,
    \qquad \nabla\cdot\mathbf i_c = 0 \quad\text{in }\Omega_c .

At the coating/electrolyte interface the Li⁺ electrochemical potential is continuous
(fast ion transfer), i.e. :math:`\phi` is continuous with the Li-reference
convention, and the normal current and cation flux are continuous. With the anion
confined to the electrolyte, continuity of **i** and **N₊** implies that the anion
flux vanishes at the interface. Both continuity conditions are natural in the weak
form when the cation balance is integrated over :math:`\Omega_e\cup\Omega_c`:

.. math::
    \int_{\Omega_c} \mathbf i_c\cdot\nabla v\,dx
    \quad\text{and}\quad
    -\int_{\Omega_c} \frac{\mathbf i_c}{F}\cdot\nabla q\,dx ,

with the concentration unknown held at :math:`c_b` (inactive) inside the coating.
Butler–Volmer acts at the Li/coating interface with a uniform exchange current
(the coating's Li⁺ site concentration is fixed, so there is no electrolyte
concentration dependence).

Thin-layer interface condition
------------------------------
For :math:`h \ll` the other lengths, the potential across the coating is linear in
the normal coordinate and the coating acts as a series resistance
:math:`R_f = h/\kappa_c` [Ω m²]. With :math:`\psi` the potential at the Li/coating
interface and :math:`\phi` that of the electrolyte at the (collapsed) surface:

.. math::
    i_n = \frac{\kappa_c}{h}(\phi - \psi), \qquad
    i_n = i_{BV}(\eta = -\psi - \Delta U_{mech}) .

:math:`\psi` is a surface unknown (a P1 field whose degrees of freedom off the Li
surface are fixed to zero). The Ohmic drop across a flat coating is
:math:`\Delta\phi_c = i\,h/\kappa_c`.

A sputtered film thinner than its closure thickness leaves pinholes where the
electrolyte touches bare lithium; :mod:`hemcell.surface.coverage` makes :math:`\kappa_c/h`
and the kinetics pointwise fields for that case.

The condition neglects the curvature of the layer. On a curved surface with radius
:math:`R` the current lines converge (convex) or diverge (concave) across the
coating, and the Li-side current density differs from the electrolyte-side one by a
factor :math:`1 \pm h/R`; the resolved coating captures this, the thin-layer
condition does not. The two therefore agree to :math:`O(h/R)` (tested in
``tests/surface/test_sinusoid.py``).
"""

from __future__ import annotations

from typing import Any

import ufl

from hemcell.laws import film_ohmic_drop_V
from hemcell.surface.parameters import SurfaceParameters


def coating_current_density(phi: Any, p: SurfaceParameters) -> Any:
    """Ohmic Li⁺ current in the coating, **i_c** = −κ_c∇φ [A m⁻²]."""
    return -p.coating_conductivity_S_per_m * ufl.grad(phi)


def charge_balance_volume(phi: Any, v: Any, p: SurfaceParameters, dx: Any) -> Any:
    """∫ **i_c**·∇v dx over the coating."""
    return ufl.inner(coating_current_density(phi, p), ufl.grad(v)) * dx


def cation_balance_volume(phi: Any, q: Any, p: SurfaceParameters, dx: Any) -> Any:
    """−∫ (**i_c**/(zF))·∇q dx over the coating (cation flux = current/(zF))."""
    return -ufl.inner(coating_current_density(phi, p) / p.charge_per_mole_C_per_mol,
                      ufl.grad(q)) * dx


def film_current_density(phi: Any, psi: Any, conductance_S_per_m2: Any) -> Any:
    """Thin-layer current through the coating, G_f(φ − ψ) [A m⁻²], deposition positive.

    ``conductance_S_per_m2`` is G_f = κ_c/h for a complete film and the pointwise G_f of
    :func:`hemcell.surface.coverage.thin_layer_fields` for a film with pinholes.
    """
    return conductance_S_per_m2 * (phi - psi)


def ohmic_drop_V(current_density_A_per_m2: float, p: SurfaceParameters) -> float:
    """Hand result for a flat coating: Δφ_c = i h / κ_c [V] (the law of :mod:`hemcell.laws`)."""
    return film_ohmic_drop_V(current_density_A_per_m2, p.coating_thickness_m,
                             p.coating_conductivity_S_per_m)
