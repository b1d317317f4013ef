"""Irreversible first-lithiation loss: SEI / electrolyte decomposition.

A capacity-limited, one-directional reduction at low potential, kept apart from the
reversible space-charge storage (seed 000 L411–434 insists the two are distinct):

    j_irr = − j₀,irr (c_e/c_e,ref)^½ (1 − s)₊ [exp(−α F (Δφ − U_irr)/RT) − 1]₊
    ds/dt = − 3 j_irr / (R F c_irr),   c_irr = ρ Q_irr / F

with j₀,irr Arrhenius in the cell temperature; its heat is a j_irr (Δφ − U_irr).
s ∈ [0, 1] is the fraction of the irreversible capacity Q_irr consumed; nothing flows
back on delithiation, so the first-cycle Coulombic efficiency is below one and later
cycles are not affected once s → 1. The factor (1 − s)₊ keeps it so where the solver
overshoots s = 1: with (1 − s) an exhausted film re-oxidised, the current reversed and
amplified by the exponential at low potential (65× the applied current at the end of a
thick-cathode Na full cell's charge, whose next step then failed).
"""

from __future__ import annotations

import pybamm

from hemcell.cell.mechanisms.base import (
    R_GAS,
    BaseMechanism,
    F,
    arrhenius,
    param,
    positive_part_exp,
)
from hemcell.params.uses import ParameterUse

#: Registry names the irreversible-loss mechanism reads.
PARAMETERS: tuple[ParameterUse, ...] = (
    ParameterUse("irreversible_capacity", "C/kg"),
    ParameterUse("irreversible_onset_potential", "V"),
    ParameterUse("irreversible_exchange_current_density", "A/m**2"),
    ParameterUse("irreversible_exchange_current_activation_energy", "J/mol"),
    ParameterUse("irreversible_charge_transfer_coefficient", "dimensionless"),
)


class Irreversible(BaseMechanism):
    """Irreversible SEI-type loss during the first lithiation."""

    mechanism = "irreversible"

    def get_fundamental_variables(self) -> dict:
        """Consumed fraction s of the irreversible capacity."""
        self._s = self.ctx.state("Anode irreversible consumed fraction")
        return {"Anode irreversible consumed fraction": self._s}

    def get_coupled_variables(self, variables: dict) -> dict:
        """Reduction current and (irreversibly) stored charge."""
        dphi, c_e, T, a_s, eps_s, rho = self._common(variables)
        f_rt = F / (R_GAS * T)
        alpha = param("Anode irreversible charge transfer coefficient")
        j0 = param("Anode irreversible exchange-current density [A.m-2]") * arrhenius(
            "Anode irreversible exchange-current activation energy [J.mol-1]", T
        )
        U = param("Anode irreversible onset potential [V]")
        R = self.ctx.particle_radius
        c_ref = param("Initial concentration in electrolyte [mol.m-3]")
        c_irr = rho * param("Anode irreversible capacity [C.kg-1]") / F
        ce_factor = (pybamm.maximum(c_e, 1e-3) / c_ref) ** 0.5
        # (1 − s)₊: a solver overshoot past s = 1 reacts nothing, and never backwards
        j = -j0 * ce_factor * pybamm.maximum(1 - self._s, 0.0) * positive_part_exp(
            -alpha * f_rt * (dphi - U))
        self._rate = -3 * j / (R * F * c_irr)
        # heat a j (Δφ − U_irr): the onset potential is the reaction's equilibrium one
        return self._publish(a_s * j, F * eps_s * c_irr * self._s, a_s * j * (dphi - U))

    def set_rhs(self, variables: dict) -> None:
        """ds/dt."""
        self.rhs[self._s] = self._rate

    def set_initial_conditions(self, variables: dict) -> None:
        """Fresh electrode."""
        self.initial_conditions[self._s] = param("Anode irreversible initial consumed fraction")
