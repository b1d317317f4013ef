r"""Li lost to SEI and dead Li, and the interphase layer it leaves on the Li electrode.

**Loss per plated charge.** Each time a charge :math:`q` is plated, a fraction
:math:`\lambda` of it ends as Li⁺ in new SEI or as electronically isolated ("dead")
metallic Li, which dominates the inactive Li (Fang et al., *Nature* 572 (2019) 511). The
fraction scales with the specific surface area of the deposit: nuclei are smaller and
denser the larger the deposition overpotential (nucleus size :math:`\propto 1/\eta`,
areal density :math:`\propto \eta^3`; Pei et al., *Nano Lett.* 17 (2017) 1132), so the
surface created per plated volume, on which SEI forms and from which thin filaments are
cut off on stripping, grows :math:`\propto \eta`. hemcell takes the lowest-order law

.. math::

    \lambda = k_{loss}\,\eta_{loc}, \qquad
    \eta_{loc} = \frac{2RT}{F}\operatorname{arsinh}\frac{f\,\bar i}{2 i_0},

with the deposition overpotential at the focused (local) current density
(:mod:`hemcell.limetal.kinetics`). :math:`k_{loss}` is one constant shared by bare and
coated Li; they differ only through :math:`i_0` (charge-transfer resistance, activation
energy) and the focusing factor :math:`f`. The Li-electrode Coulombic efficiency is
:math:`1-\lambda`.

**Dead-Li/SEI layer.** The lost Li (as Li-metal-equivalent volume :math:`V_{Li}` per mole)
piles up as a porous, electrolyte-filled layer of porosity :math:`\varepsilon_{dl}`
between the Li and the separator; dead Li makes the ion path long and tortuous and limits
the cell by mass transport (Chen et al., *J. Mater. Chem. A* 5 (2017) 11671). With
:math:`q_{lost}` the cumulative lost charge per area, its thickness, Ohmic resistance and
salt-diffusion resistance are

.. math::

    L_{dl} = \frac{V_{Li}\,q_{lost}}{F\,(1-\varepsilon_{dl})},\qquad
    r_{dl} = \frac{L_{dl}}{\kappa\,\varepsilon_{dl}^{b_{dl}}},\qquad
    \frac{L_{dl}}{D\,\varepsilon_{dl}^{b_{dl}}},

with the Bruggeman exponent :math:`b_{dl}` of the layer (tortuosity factor
:math:`\varepsilon_{dl}^{1-b_{dl}}`) and the electrolyte's κ and D.
"""

from __future__ import annotations

from dataclasses import dataclass

from hemcell.errors import InputError
from hemcell.laws import FARADAY_C_PER_MOL


def loss_fraction(local_overpotential_V: float, coefficient_per_V: float) -> float:
    """Fraction ``lambda = k_loss * eta_loc`` of the plated charge lost (SEI + dead Li).

    Raises
    ------
    InputError
        If the law gives a fraction >= 1 (no Li would come back).
    """
    lam = coefficient_per_V * abs(local_overpotential_V)
    if lam >= 1.0:
        raise InputError("li_loss_overpotential_coefficient * eta_loc", lam,
                         "a loss fraction < 1 per plated charge")
    return lam


def layer_thickness_m(lost_charge_C_per_m2: float, molar_volume_m3_per_mol: float,
                      porosity: float) -> float:
    """Thickness of the dead-Li/SEI layer holding ``q_lost`` [m]."""
    return molar_volume_m3_per_mol * lost_charge_C_per_m2 / (FARADAY_C_PER_MOL * (1 - porosity))


def layer_resistance_ohm_m2(lost_charge_C_per_m2: float, molar_volume_m3_per_mol: float,
                            porosity: float, bruggeman: float,
                            electrolyte_conductivity_S_per_m: float) -> float:
    """Ohmic area resistance ``L_dl / (kappa eps_dl^b_dl)`` of the layer [Ohm m**2]."""
    return layer_thickness_m(lost_charge_C_per_m2, molar_volume_m3_per_mol, porosity) / (
        electrolyte_conductivity_S_per_m * porosity ** bruggeman)


def layer_diffusion_resistance_s_per_m(lost_charge_C_per_m2: float,
                                       molar_volume_m3_per_mol: float, porosity: float,
                                       bruggeman: float,
                                       electrolyte_diffusivity_m2_per_s: float) -> float:
    """Salt-diffusion resistance ``L_dl / (D eps_dl^b_dl)`` of the layer [s/m]."""
    return layer_thickness_m(lost_charge_C_per_m2, molar_volume_m3_per_mol, porosity) / (
        electrolyte_diffusivity_m2_per_s * porosity ** bruggeman)


@dataclass
class LiInventory:
    """Book-keeping of Li at one Li electrode over cycles (charges per area, C/m**2).

    Attributes
    ----------
    active_C_per_m2
        Electrochemically active Li left (foil plus plated).
    lost_C_per_m2
        Cumulative Li lost to SEI and dead Li.
    """

    active_C_per_m2: float
    lost_C_per_m2: float = 0.0

    def plate(self, charge_C_per_m2: float, fraction_lost: float) -> float:
        """Plate ``charge`` of which ``fraction_lost`` is lost; return the lost charge.

        Charge is conserved: the plated charge ends either active or lost.
        """
        if charge_C_per_m2 < 0 or not 0 <= fraction_lost < 1:
            raise InputError("plate", (charge_C_per_m2, fraction_lost),
                             "charge >= 0 and 0 <= fraction < 1")
        lost = fraction_lost * charge_C_per_m2
        self.active_C_per_m2 += charge_C_per_m2 - lost
        self.lost_C_per_m2 += lost
        return lost

    def strip(self, charge_C_per_m2: float) -> float:
        """Strip up to ``charge`` of active Li; return what could be stripped."""
        taken = min(charge_C_per_m2, self.active_C_per_m2)
        self.active_C_per_m2 -= taken
        return taken
