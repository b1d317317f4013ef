r"""Electrolyte consumed by the Li electrode's losses, and the dry-out of the LFP electrode.

A coin cell holds a fixed electrolyte volume :math:`V_{e,0}` (tens of µL). It fills the
pores of the separator and of the LFP electrode; the rest is a free reservoir (spacer,
gasket and spring gaps). Every mole of Li lost at the Li electrode
(:mod:`hemcell.limetal.losses`) takes electrolyte out of circulation in two ways:

- **SEI growth consumes electrolyte** (solvent reduction and salt decomposition on the
  freshly plated Li): a volume :math:`v_e` per mole of Li lost. :math:`v_e` lumps the
  SEI stoichiometry and the share of the lost Li that ends in SEI rather than as dead
  metal; the sets carry the stoichiometric upper bound, one EC molecule per lost Li
  (66.66 cm**3/mol, as if all lost Li formed lithium ethylene dicarbonate).
- **The porous dead-Li/SEI layer soaks up electrolyte**: its pores
  (:math:`\varepsilon_{dl}` of a layer that holds :math:`V_{Li}` per mole of Li as
  solid, :mod:`hemcell.limetal.losses`) take :math:`V_{Li}\varepsilon_{dl}/(1-\varepsilon_{dl})`
  per mole, from the parameters already used for the layer.

With :math:`n_{lost}` the moles of Li lost in the cell, the free volume is

.. math::

    V_{free} = V_{e,0} - V_{sep} - V_{cat}
               - \left(v_e + \frac{\varepsilon_{dl}}{1-\varepsilon_{dl}}V_{Li}\right) n_{lost}.

**Dry-out.** Once the reservoir is empty, the cell draws the electrolyte out of the pores
in the order capillarity allows: the largest pores drain first. hemcell assumes the LFP
electrode (carbon/binder network, pores of the order of its particles) drains before the
separator (Celgard-type, pores of a few tens of nm), so the wetted fraction of the LFP
electrode is

.. math::

    s = \min\!\left(1,\ \max\!\left(0,\ 1 + \frac{V_{free}}{V_{cat}}\right)\right),

and only that fraction of the LFP takes part (a dry region has no ionic path). The onset
(reservoir used up) does not depend on this order; what dries first does. Weintz et al.,
*Adv. Energy Sustainability Res.* (2025), DOI 10.1002/aesr.202500233 (abstract), find
the faster fade of Li-metal cells with less electrolyte to be a resistance rise at the
Li anode (capacity comes back with fresh Li, only partly with fresh electrolyte) and
propose that the pores of the porous Li dry first, raising the local current density;
hemcell's LFP-first order is the simpler assumption, not their mechanism. Electrolyte
depletion as the end-of-life mechanism of lean Li-metal cells: Chen et al., *Joule* 3
(2019) 1094 ("Critical parameters for evaluating coin cells and pouch cells of
rechargeable Li-metal batteries"; abstract: cycle life of Li-metal coin cells depends
on the electrolyte amount); loss of active material by dry-out as a loss of electrolyte
percolation: "End-of-life prediction of a lithium-ion battery cell based on mechanistic
aging models of the graphite electrode" (LFP/graphite, activity–saturation relation;
abstract only).

In the cell model (:mod:`hemcell.limetal.cycling`) the wetted part carries the whole
current: the 1D DFN is solved at :math:`I/s` on the wetted cathode area and its
capacities are multiplied by :math:`s`.

The electrolyte's conductivity and diffusivity at the cell temperature (Valøen & Reimers)
and their temperature policy: :mod:`hemcell.materials.lipf6_electrolyte`.
"""

from __future__ import annotations

from dataclasses import dataclass

from hemcell.errors import InputError


def layer_uptake_m3_per_mol(li_molar_volume_m3_per_mol: float, layer_porosity: float) -> float:
    """Electrolyte held in the pores of the dead-Li/SEI layer per mole of Li lost [m**3/mol].

    ``V_Li eps_dl / (1 - eps_dl)``: the layer holds ``V_Li`` of solid per mole at porosity
    ``eps_dl`` (same layer as :func:`hemcell.limetal.losses.layer_thickness_m`).
    """
    if not 0 <= layer_porosity < 1:
        raise InputError("interphase_layer_porosity", layer_porosity, "0 <= porosity < 1")
    return li_molar_volume_m3_per_mol * layer_porosity / (1.0 - layer_porosity)


@dataclass(frozen=True)
class ElectrolyteBudget:
    """Electrolyte volume bookkeeping of one cell (volumes in m**3, amounts in mol).

    Attributes
    ----------
    initial_volume_m3
        Electrolyte filled into the cell, V_e0.
    separator_pore_volume_m3
        Pore volume of the separator between the electrodes, V_sep.
    cathode_pore_volume_m3
        Pore volume of the LFP electrode, V_cat (0 for Li||Li).
    consumption_m3_per_mol
        Electrolyte consumed by SEI growth per mole of Li lost, v_e.
    layer_uptake_m3_per_mol
        Electrolyte held by the dead-Li/SEI layer per mole of Li lost.
    """

    initial_volume_m3: float
    separator_pore_volume_m3: float
    cathode_pore_volume_m3: float
    consumption_m3_per_mol: float
    layer_uptake_m3_per_mol: float

    def __post_init__(self) -> None:
        if self.consumption_m3_per_mol < 0 or self.layer_uptake_m3_per_mol < 0:
            raise InputError("electrolyte_consumption_per_lost_li",
                             self.consumption_m3_per_mol, ">= 0 m**3/mol")
        if self.cathode_pore_volume_m3 < 0:
            raise InputError("LFP electrode pore volume", self.cathode_pore_volume_m3,
                             ">= 0 (0: a cell without a porous cathode, e.g. Li||Li)")
        wet = self.separator_pore_volume_m3 + self.cathode_pore_volume_m3
        if self.initial_volume_m3 < wet:
            raise InputError("electrolyte_volume", f"{self.initial_volume_m3 * 1e9:.4g} uL",
                             f">= the pore volume of separator and LFP electrode, "
                             f"{wet * 1e9:.4g} uL (the cell would not be wetted)")

    @property
    def sink_m3_per_mol(self) -> float:
        """Electrolyte taken out of circulation per mole of Li lost [m**3/mol]."""
        return self.consumption_m3_per_mol + self.layer_uptake_m3_per_mol

    def free_volume_m3(self, lost_li_mol: float) -> float:
        """Free electrolyte beyond the filled pores (negative: pores are draining)."""
        return (self.initial_volume_m3 - self.separator_pore_volume_m3
                - self.cathode_pore_volume_m3 - self.sink_m3_per_mol * lost_li_mol)

    def cathode_wetted_fraction(self, lost_li_mol: float) -> float:
        """Wetted fraction s of the LFP electrode (1 while the reservoir lasts)."""
        free = self.free_volume_m3(lost_li_mol)
        if self.cathode_pore_volume_m3 == 0:
            return 1.0 if free >= 0 else 0.0
        s = 1.0 + free / self.cathode_pore_volume_m3
        return min(1.0, max(0.0, s))

    def lost_li_at_dry_out_mol(self) -> float:
        """Moles of Li lost when the reservoir is empty (the LFP starts to dry)."""
        if self.sink_m3_per_mol == 0:
            return float("inf")
        return (self.initial_volume_m3 - self.separator_pore_volume_m3
                - self.cathode_pore_volume_m3) / self.sink_m3_per_mol
