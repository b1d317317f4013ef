r"""Li‖Cu cells: first plating with nucleation, then Coulombic efficiency over cycles.

- First plating on Cu (:mod:`hemcell.limetal.nucleation`, at the mean current density):
  Cu-side overpotential with the nucleation tip; the cell voltage adds the Li counter
  electrode's stripping overpotential (cell-averaged, without focusing,
  :func:`hemcell.limetal.kinetics.interface_overpotential_V`), the separator, the film and
  the steady concentration overpotential (the same terms as
  :mod:`hemcell.limetal.symmetric`).
- Cycling: each cycle plates :math:`q` on the Cu side and strips it back; the fraction
  :math:`\lambda = k_{loss}\eta_{loc}` is lost (:mod:`hemcell.limetal.losses`), so the
  Coulombic efficiency is :math:`1-\lambda`; after the first plating both electrodes are
  Li surfaces, and the overpotential grows with the dead-Li/SEI layers as in a
  symmetric cell, up to the same salt-depletion failure.
- Li inventory (:func:`hemcell.limetal.symmetric.run_schedule` with ``counter="cu"``):
  the loss law counts every plated charge, so the :math:`(1-\lambda)q` stripped from
  the Cu and plated back onto the foil loses :math:`\lambda(1-\lambda)q` there too. Per
  cycle the foil gives :math:`q`, gets :math:`(1-\lambda)^2 q` back as active Li, and
  the cell loses :math:`\lambda q` (on the Cu) + :math:`\lambda(1-\lambda)q` (on the
  foil) = :math:`\lambda(2-\lambda)q`, twice the Li‖Li electrode's :math:`\lambda q` to
  first order (the CE, :math:`1-\lambda`, sees only the Cu side: the foil is the
  reservoir). Foil + Cu deposit + lost = :math:`Q_f` at every step. The foil runs out by
  the Li‖Li rule (:func:`hemcell.limetal.symmetric.inventory_runout_s`): in the cycle
  whose plating onto Cu needs more Li than the foil still holds, at the moment it is
  stripped bare, :math:`t = t_{n-1} + (Q_f - (n-1)\lambda(2-\lambda)q)/i`.
- Aurbach: the same law at ``aurbach_current_density`` (a Li reservoir is cycled, so the
  CE is :math:`1-\lambda` of each cycle).

Which electrode carries the coating in the seed's Li‖Cu tests is ambiguous (seed 004
does not say). hemcell applies the anode set to both the nucleation substrate
(``nucleation_shape_factor``) and the Li kinetics of the cell.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hemcell.limetal.kinetics import interface_overpotential_V, local_deposition_overpotential_V
from hemcell.limetal.losses import LiInventory, loss_fraction
from hemcell.limetal.nucleation import NucleationResult, simulate_nucleation
from hemcell.limetal.parameters import LiMetalParameters, field_uses
from hemcell.limetal.symmetric import PARAMETERS as SYMMETRIC_PARAMETERS
from hemcell.limetal.symmetric import concentration_overpotential_V, run_symmetric
from hemcell.params.uses import ParameterUse

#: :func:`first_plating` besides the Li electrode: nucleation on Cu and the cell's series
#: terms (separator, concentration overpotential).
FIRST_PLATING_PARAMETERS: tuple[ParameterUse, ...] = field_uses(
    "li_surface_energy_J_per_m2", "li_molar_volume_m3_per_mol", "nucleation_shape_factor",
    "nucleation_rate_prefactor_per_m2_s", "cu_double_layer_capacity_F_per_m2",
    "electrolyte_concentration_mol_per_m3", "electrolyte_diffusivity_m2_per_s",
    "electrolyte_conductivity_S_per_m", "cation_transference_number", "separator_thickness_m",
    "separator_porosity", "separator_bruggeman")
#: :func:`run_licu` besides the Li electrode: the symmetric cell's terms and the Aurbach
#: test's current density.
PARAMETERS: tuple[ParameterUse, ...] = (*SYMMETRIC_PARAMETERS,
                                        *field_uses("aurbach_current_density_A_per_m2"))


def first_plating(p: LiMetalParameters, current_density_A_per_m2: float,
                  areal_capacity_C_per_m2: float, shape_factor: float | None = None
                  ) -> tuple[NucleationResult, float]:
    """Nucleation and growth on Cu; returns the result and the cell's series terms [V]
    (Li counter electrode + separator + film + concentration), added to the Cu side."""
    i = current_density_A_per_m2
    res = simulate_nucleation(
        i, p.exchange_current_A_per_m2, p.temperature_K, p.li_surface_energy_J_per_m2,
        p.li_molar_volume_m3_per_mol,
        p.nucleation_shape_factor if shape_factor is None else shape_factor,
        p.nucleation_rate_prefactor_per_m2_s, p.cu_double_layer_capacity_F_per_m2,
        areal_capacity_C_per_m2 / i)
    series = (interface_overpotential_V(i, p.exchange_current_A_per_m2, p.temperature_K)
              + i * (1.0 / p.separator_conductance_S_per_m2 + p.film_resistance_ohm_m2)
              + concentration_overpotential_V(p, i))
    return res, series


@dataclass
class LiCuCycling:
    """Per-cycle Coulombic efficiency and overpotential of a Li‖Cu cell; ``foil`` and ``cu``
    are the two electrodes' Li inventories at the end of the run."""

    coulombic_efficiency: list[float]
    overpotential_V: list[float]
    aurbach_coulombic_efficiency: float
    failure_cycle: int | None = None
    electrolyte_exhausted_h: float | None = None
    failure_reason: str | None = None
    time_to_failure_h: float | None = None
    foil: LiInventory | None = None
    cu: LiInventory | None = None
    failure_mode: str | None = None
    protrusion_um: list[float] | None = None
    separator_thickness_um: float | None = None


def run_licu(p: LiMetalParameters, current_density_A_per_m2: float,
             areal_capacity_C_per_m2: float, cycles: int) -> LiCuCycling:
    """Cycle a Li‖Cu cell ``cycles`` times (plate q on Cu, strip it back)."""
    i, q = current_density_A_per_m2, areal_capacity_C_per_m2
    lam = loss_fraction(local_deposition_overpotential_V(i, p.exchange_current_A_per_m2,
                                                         p.focusing_factor, p.temperature_K),
                        p.loss_coefficient_per_V)
    sym = run_symmetric(p, i, q, hours=cycles * 2 * q / i / 3600.0, counter="cu")
    lam_a = loss_fraction(local_deposition_overpotential_V(
        p.aurbach_current_density_A_per_m2, p.exchange_current_A_per_m2, p.focusing_factor,
        p.temperature_K), p.loss_coefficient_per_V)
    v = sym.overpotential_V[:cycles]
    return LiCuCycling([1.0 - lam] * len(v), v, 1.0 - lam_a, sym.failure_cycle,
                       sym.electrolyte_exhausted_h, sym.failure_reason, sym.time_to_failure_h,
                       sym.stripping_electrode, sym.counter_electrode, sym.failure_mode,
                       sym.protrusion_um, sym.separator_thickness_um)


def licu_summary(res: LiCuCycling) -> dict[str, Any]:
    """Summary keys of ``hemcell limetal licu``."""
    import numpy as np

    v = res.overpotential_V
    out: dict[str, Any] = {
        "cycles": len(res.coulombic_efficiency),
        "mean_coulombic_efficiency": float(np.mean(res.coulombic_efficiency)),
        "aurbach_coulombic_efficiency": res.aurbach_coulombic_efficiency,
        "overpotential_mV": [1e3 * x for x in v],
        "initial_overpotential_mV": 1e3 * v[0],
        "failure_cycle": res.failure_cycle,
        "failure_reason": res.failure_reason,
        "failure_mode": res.failure_mode,
        "time_to_failure_h": res.time_to_failure_h,
        "max_protrusion_um": max(res.protrusion_um or [0.0]),
        # diagnostic, as for the symmetric cell (both electrodes lose Li once plated)
        "electrolyte_exhausted_h": res.electrolyte_exhausted_h,
    }
    if len(v) >= 150:
        out["overpotential_after_150_cycles_mV"] = 1e3 * v[149]
    return out
