r"""Crosstalk: products of the Li electrode's losses deactivate part of the LFP electrode.

Every mole of Li lost at the Li electrode (SEI and dead Li, :mod:`hemcell.limetal.losses`)
comes with electrolyte reduction on freshly plated Li. Part of the reduction products is
soluble (quantitative NMR of the SEI on Li metal finds soluble organic species among its
products: "Leveraging cation identity to engineer solid electrolyte interphases for
rechargeable lithium metal anodes", *Cell Rep. Phys. Sci.* 1 (2020) 100239, abstract),
diffuses across the separator and is oxidised or deposits at the cathode, where the
resulting film isolates LFP particles from the electrolyte or the carbon network. hemcell
takes the lowest-order law: the LFP capacity deactivated is proportional to the Li lost
at the Li electrode,

.. math::

    a = 1 - \beta\,\frac{n_{lost}}{n_{LFP}}, \qquad
    n_{LFP} = \frac{Q_{LFP}}{F},

with :math:`a` the fraction of the LFP electrode still active, :math:`n_{lost}` the moles
of Li lost so far, :math:`n_{LFP}` the moles of Li sites of the LFP electrode (its
theoretical capacity :math:`Q_{LFP}` over :math:`F`) and :math:`\beta` the moles of LFP
sites deactivated per mole of Li lost (``lfp_deactivation_per_lost_li``). :math:`\beta`
is the one fitted constant of the Li‖LFP fade: it is fitted on the coated cell's retention
and shared by both cells, so the bare cell's fade follows from its larger loss
:math:`\lambda = k_{loss}\eta_{loc}` (lower :math:`i_0`, current focusing), not from a
second fade rate.

Why a Li-side cause and not a cathode-only one: the two cells differ only at the Li
electrode, and their fade (12 % vs 31.9 % after 300 cycles, seed 004 L110/L117) and their
Coulombic inefficiency (< 0.3 % vs ~0.7 %, the parasitic charge of the shuttle) differ by
similar factors (2.7 and ~2.3). The dead-Li layer's resistance cannot do it at these
currents (the bare cell's layer reaches ~7 Ω cm² after 300 cycles; the DFN loses LFP
capacity only past ~0.5 V of extra polarisation, abruptly), and electrolyte consumption
at the SEI stoichiometry leaves the coin cell's reservoir unexhausted for hundreds of
cycles (:mod:`hemcell.limetal.electrolyte`).

**Shuttle charge.** The species that reach the cathode are oxidised there during charge;
the oxidised products diffuse back and are reduced at the Li. The charge this shuttle
carries is counted by the cycler but stored nowhere. hemcell takes it proportional to the
Li lost in the same cycle,

.. math::

    Q_{par} = \sigma\,\lambda\,Q_{ch}, \qquad
    \mathrm{CE}_{cell} = \frac{Q_{dis}}{Q_{ch} + Q_{par}},

with :math:`\sigma` (``shuttle_charge_per_lost_li``) the parasitic charge per unit of Li
charge lost. :math:`\sigma` is fitted on the bare cell's mean CE and shared, so the coated
cell's CE is the prediction (the mirror of :math:`\beta`, fitted on coated, predicting
bare). The shuttle is a parallel reaction at the cathode: it lengthens the charge step
but does not change the LFP's state, so it is book-kept after each charge solve.

In the cell model (:mod:`hemcell.limetal.cycling`) the active fraction multiplies the
wetted fraction: the part of the LFP electrode that is both wetted and active carries the
whole current.
"""

from __future__ import annotations

from hemcell.errors import InputError


def lfp_active_fraction(lost_li_mol: float, lfp_sites_mol: float,
                        deactivation_per_lost_li: float) -> float:
    """Active fraction ``a = 1 - beta n_lost / n_LFP`` of the LFP electrode, floored at 0.

    Parameters
    ----------
    lost_li_mol
        Li lost at the Li electrode so far [mol].
    lfp_sites_mol
        Li sites of the LFP electrode, theoretical capacity / F [mol].
    deactivation_per_lost_li
        beta, LFP sites deactivated per Li lost [mol/mol].

    Raises
    ------
    InputError
        Negative amounts or coefficient, or an electrode without sites.
    """
    if deactivation_per_lost_li < 0:
        raise InputError("lfp_deactivation_per_lost_li", deactivation_per_lost_li,
                         ">= 0 (0: no crosstalk)")
    if not lfp_sites_mol > 0 or lost_li_mol < 0:
        raise InputError("crosstalk amounts", (lost_li_mol, lfp_sites_mol),
                         "lost Li >= 0 mol and LFP sites > 0 mol")
    return max(0.0, 1.0 - deactivation_per_lost_li * lost_li_mol / lfp_sites_mol)


def shuttle_charge_Ah(charge_Ah: float, loss_fraction: float,
                      shuttle_charge_per_lost_li: float) -> float:
    """Parasitic shuttle charge ``Q_par = sigma lambda Q_ch`` of one charge step [A h].

    Raises
    ------
    InputError
        A negative charge, loss fraction or coefficient.
    """
    if shuttle_charge_per_lost_li < 0:
        raise InputError("shuttle_charge_per_lost_li", shuttle_charge_per_lost_li,
                         ">= 0 (0: no shuttle)")
    if charge_Ah < 0 or loss_fraction < 0:
        raise InputError("shuttle charge inputs", (charge_Ah, loss_fraction),
                         "charge >= 0 A h and loss fraction >= 0")
    return shuttle_charge_per_lost_li * loss_fraction * charge_Ah
