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
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from hemcell.errors import InputError

#: Valøen & Reimers 2005, eq. 14: the diffusivity's Vogel–Tammann–Fulcher temperature
#: T0 = 229 K + 5 K L/mol · c (PyBaMM ``electrolyte_diffusivity_Valoen2005``, ``T_g``).
VALOEN_DIFFUSIVITY_T0_K = 229.0
VALOEN_DIFFUSIVITY_T0_K_PER_MOLAR = 5.0

#: Temperature at which the sets' constant electrolyte values were evaluated from the
#: Valøen & Reimers fits (``electrolyte_conductivity`` / ``electrolyte_diffusivity`` notes
#: of ``bare_li.yaml``: c_e = 1000 mol/m**3, T = 298.15 K).
VALOEN_EVALUATION_TEMPERATURE_K = 298.15


#: Cell temperatures [K] over which hemcell carries the sets' 298.15 K electrolyte values
#: with the Valøen & Reimers fits without a warning: -10 to 60 degC
#: (:data:`VALOEN_TEMPERATURE_RANGE_SOURCE`). Outside it runs go on with a warning
#: (:func:`electrolyte_temperature_warnings`); at the diffusivity fit's divergence they stop.
VALOEN_TEMPERATURE_RANGE_K = (263.15, 333.15)
VALOEN_TEMPERATURE_RANGE_SOURCE = {"assumed": (
    "-10 to 60 degC. The measured range of Valoen & Reimers (2005) is not in the abstract "
    "available to hemcell (literature-li-metal.md 1b). Below -10 degC the diffusivity fit "
    "falls steeply towards its VTF singularity (229 + 5c K = 234 K at 1 M; D(253 K) is "
    "D(298 K)/95); LiPF6 carbonate coin cells are not tested above 60 degC.")}


def valoen_divergence_temperature_K(concentration_mol_per_m3: float) -> float:
    """VTF temperature of the Valøen & Reimers diffusivity fit, 229 + 5c K (c in mol/L)."""
    return VALOEN_DIFFUSIVITY_T0_K + VALOEN_DIFFUSIVITY_T0_K_PER_MOLAR * (
        concentration_mol_per_m3 / 1000.0)


def check_above_divergence(temperature_K: float, concentration_mol_per_m3: float) -> None:
    """Refuse a temperature at or below the diffusivity fit's VTF singularity.

    Raises
    ------
    InputError
        ``temperature_K <= 229 + 5c K`` (the fit has no meaning there: below it, it gives
        a diffusivity rising without bound as T falls).
    """
    glass_K = valoen_divergence_temperature_K(concentration_mol_per_m3)
    if not temperature_K > glass_K:
        raise InputError("temperature", temperature_K,
                         f"a cell temperature above {glass_K:.2f} K",
                         hint="the electrolyte's Valoen & Reimers (2005) diffusivity fit, "
                         "log10 D = -4.43 - 54/(T - 229 - 5c) - 0.22c, diverges at "
                         f"T = 229 + 5c K ({glass_K:.2f} K at this concentration)")


def electrolyte_temperature_warnings(temperature_K: float, concentration_mol_per_m3: float
                                     ) -> list[str]:
    """The one temperature policy of the Valøen & Reimers electrolyte.

    Inside :data:`VALOEN_TEMPERATURE_RANGE_K`: no warning. Outside it but above the
    diffusivity fit's divergence: one warning naming the temperature, the range and that
    the electrolyte values are extrapolated (the run goes on). At or below the
    divergence: :class:`~hemcell.errors.InputError` (:func:`check_above_divergence`).

    Returns
    -------
    list of str
        Empty, or the warning (for stderr and the run's ``warnings`` list).
    """
    check_above_divergence(temperature_K, concentration_mol_per_m3)
    lo, hi = VALOEN_TEMPERATURE_RANGE_K
    if lo - 1e-9 <= temperature_K <= hi + 1e-9:
        return []
    k_ratio, d_ratio = valoen_reimers_ratio(temperature_K, concentration_mol_per_m3)
    return [f"cell temperature {temperature_K:.2f} K ({temperature_K - 273.15:.1f} degC) is "
            f"outside {lo:.2f}-{hi:.2f} K ({lo - 273.15:g} to {hi - 273.15:g} degC), the "
            "range assumed for the Valoen & Reimers (2005) electrolyte fits: the electrolyte "
            "conductivity and diffusivity are extrapolated (x"
            f"{k_ratio:.3g} and x{d_ratio:.3g} of their 298.15 K values)"]


def valoen_electrolyte_state(parameter_values: Any) -> tuple[float, float] | None:
    """``(T [K], c_e [mol/m**3])`` of a PyBaMM parameter set whose electrolyte is the
    Valøen & Reimers fit (PyBaMM's Xu2019 functions, e.g. the HEM anode half-cell), else
    ``None`` (another electrolyte: the temperature policy here does not apply)."""
    from pybamm.input.parameters.lithium_ion import Xu2019

    fits = (Xu2019.electrolyte_diffusivity_Valoen2005,
            Xu2019.electrolyte_conductivity_Valoen2005)
    names = ("Electrolyte diffusivity [m2.s-1]", "Electrolyte conductivity [S.m-1]")
    if not any(parameter_values.get(n) is f for n, f in zip(names, fits, strict=True)):
        return None
    return (float(parameter_values["Ambient temperature [K]"]),
            float(parameter_values["Initial concentration in electrolyte [mol.m-3]"]))


def valoen_electrolyte_warnings(parameter_values: Any) -> list[str]:
    """:func:`electrolyte_temperature_warnings` of a PyBaMM parameter set whose
    electrolyte is the Valøen & Reimers fit (:func:`valoen_electrolyte_state`; the HEM
    anode half-cell's Xu2019 electrolyte); ``[]`` for another electrolyte.

    Raises
    ------
    InputError
        A temperature at or below the diffusivity fit's divergence.
    """
    state = valoen_electrolyte_state(parameter_values)
    return [] if state is None else electrolyte_temperature_warnings(*state)


@lru_cache(maxsize=256)
def valoen_reimers_ratio(temperature_K: float, concentration_mol_per_m3: float
                         ) -> tuple[float, float]:
    r"""``(kappa(T)/kappa(298.15 K), D(T)/D(298.15 K))`` of Valøen & Reimers 2005.

    Eqs. 17 and 14 of Valøen & Reimers, *J. Electrochem. Soc.* 152 (2005) A882, as coded
    in PyBaMM's Xu2019 set (``electrolyte_conductivity_Valoen2005``,
    ``electrolyte_diffusivity_Valoen2005``): the functions the sets evaluated at
    298.15 K for their constant electrolyte values. The ratio carries those values to
    another temperature (the cell models are isothermal, so a number at the cell
    temperature). The diffusivity fit is of Vogel–Tammann–Fulcher form,
    :math:`\log_{10} D = -4.43 - 54/(T - 229 - 5c) - 0.22c` (c in mol/L): it falls steeply
    towards its singularity at 229 + 5c K (234 K at 1 M).

    Raises
    ------
    InputError
        A temperature at or below that singularity (the fit has no meaning there: below
        it, it gives a diffusivity rising without bound as T falls).
    """
    import pybamm
    from pybamm.input.parameters.lithium_ion import Xu2019

    check_above_divergence(temperature_K, concentration_mol_per_m3)

    def ev(fn: Any, T: float) -> float:
        return float(fn(pybamm.Scalar(concentration_mol_per_m3), pybamm.Scalar(T)).evaluate())

    t_ref = VALOEN_EVALUATION_TEMPERATURE_K
    return (ev(Xu2019.electrolyte_conductivity_Valoen2005, temperature_K)
            / ev(Xu2019.electrolyte_conductivity_Valoen2005, t_ref),
            ev(Xu2019.electrolyte_diffusivity_Valoen2005, temperature_K)
            / ev(Xu2019.electrolyte_diffusivity_Valoen2005, t_ref))


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
            raise InputError("electrolyte_volume", self.initial_volume_m3,
                             f">= the pore volume of separator and LFP electrode {wet:.3g} m**3")

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
