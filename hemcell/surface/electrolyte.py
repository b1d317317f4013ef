r"""Binary-salt electrolyte in concentrated-solution theory (steady state).

Strong form
-----------
Unknowns: salt concentration :math:`c` [mol m⁻³] and electrolyte potential
:math:`\phi` [V] measured by a Li reference electrode. With constant transport
properties (κ, D, t₊, thermodynamic factor :math:`\chi = 1 + d\ln f_\pm/d\ln c`),
Newman's flux laws for a symmetric z:z salt (ν₊ = ν₋ = 1, z = z₊ = −z₋; LiPF₆ z = 1,
ZnSO₄ z = 2), with the solvent velocity neglected and φ measured by an M/M^z+ reference
electrode (s₊ = −1, n = z), are (J. Newman and K. E. Thomas-Alyea, *Electrochemical
Systems*, concentrated binary electrolytes, eqs. 12.x with
:math:`\nabla\mu_e = 2RT\chi\nabla\ln c`; docs/theory.md eq. 3.1 for z = 1):

.. math::
    \mathbf i = -\kappa\nabla\phi + \frac{2\kappa RT}{zF}(1-t_+)\,\chi\,\nabla\ln c,
    \qquad
    \mathbf N_+ = -D\nabla c + \frac{t_+}{zF}\mathbf i,

and the steady balances of charge and of cations are

.. math::
    \nabla\cdot\mathbf i = 0, \qquad \nabla\cdot\mathbf N_+ = 0
    \quad\text{in } \Omega_e .

Boundary conditions (n the outward normal of the electrolyte):

- far boundary Γ_top: :math:`c = c_b`; galvanostatic :math:`\mathbf i\cdot\mathbf n = -i_{app}`
  or potentiostatic :math:`\phi = \phi_{app}`;
- Li surface Γ_Li (bare): :math:`\mathbf i\cdot\mathbf n = i_n`,
  :math:`\mathbf N_+\cdot\mathbf n = i_n/(zF)` (all current carried into the metal by the cation;
  this makes the anion flux vanish there), with :math:`i_n` from Butler–Volmer;
- sides: zero flux (symmetry of the periodic cell).

Weak form
---------
Find :math:`(c, \phi)` such that for all :math:`(q, v)`

.. math::
    \int_{\Omega_e} \mathbf i\cdot\nabla v\,dx - \int_{\Gamma_{Li}} i_n v\,ds
      + \int_{\Gamma_{top}} i_{app} v\,ds = 0,

.. math::
    \int_{\Omega_e} (D\nabla c - \tfrac{t_+}{zF}\mathbf i)\cdot\nabla q\,dx
      + \int_{\Gamma_{Li}} \frac{i_n}{zF} q\,ds = 0 .

The functions below return these terms; :mod:`hemcell.surface.solver` assembles them
with the coating and kinetics terms.
"""

from __future__ import annotations

from typing import Any

import ufl

from hemcell.laws import thermal_voltage_V
from hemcell.surface.parameters import SurfaceParameters


def current_density(c: Any, phi: Any, p: SurfaceParameters) -> Any:
    """Electrolyte current density **i** [A m⁻²] (concentrated solution, Li reference).

    Parameters
    ----------
    c
        Salt concentration [mol m⁻³] (UFL expression).
    phi
        Electrolyte potential [V] (UFL expression).
    p
        Parameters (κ, t₊, χ, T).
    """
    kappa = p.electrolyte_conductivity_S_per_m
    diffusion_conductivity = (
        2 * kappa * thermal_voltage_V(p.temperature_K)
        * (1 - p.cation_transference_number) * p.thermodynamic_factor
        / p.cation_charge_number
    )
    return -kappa * ufl.grad(phi) + diffusion_conductivity * ufl.grad(c) / c


def cation_flux(c: Any, phi: Any, p: SurfaceParameters) -> Any:
    """Cation molar flux **N₊** = −D∇c + t₊ **i**/(zF) [mol m⁻² s⁻¹]."""
    return (
        -p.electrolyte_diffusivity_m2_per_s * ufl.grad(c)
        + p.cation_transference_number * current_density(c, phi, p) / p.charge_per_mole_C_per_mol
    )


def charge_balance_volume(c: Any, phi: Any, v: Any, p: SurfaceParameters, dx: Any) -> Any:
    """Volume term ∫ **i**·∇v dx of the charge balance ∇·**i** = 0."""
    return ufl.inner(current_density(c, phi, p), ufl.grad(v)) * dx


def cation_balance_volume(c: Any, phi: Any, q: Any, p: SurfaceParameters, dx: Any) -> Any:
    """Volume term −∫ **N₊**·∇q dx of the cation balance ∇·**N₊** = 0."""
    return -ufl.inner(cation_flux(c, phi, p), ufl.grad(q)) * dx
