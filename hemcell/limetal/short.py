r"""Short circuit by a dendrite growing through the separator.

A metal cell shorts when a protrusion of the plated metal reaches the counter electrode
through the separator. hemcell describes the tip of the worst protrusion, the one at the
hot spot of the focused current :math:`f\,\bar i` (:mod:`hemcell.limetal.kinetics`,
:mod:`hemcell.workflows.coupling`), in three steps.

**1. When does the tip grow as a dendrite?** Below Sand's time the deposit is mossy and
grows from its roots; once the salt at the metal is depleted, growth is transport-limited
and proceeds at the tips (Bai et al., *Energy Environ. Sci.* 9 (2016) 3221; Chazalviel,
*Phys. Rev. A* 42 (1990) 7355: the tip then advances with the anion front). Under a
constant current :math:`i` the salt at the surface of a semi-infinite medium of porosity
:math:`\varepsilon` and Bruggeman exponent :math:`b` is used up at Sand's time (Sand,
*Philos. Mag.* 1 (1901) 45; the porous-medium form follows from
:math:`\varepsilon\,\partial_t c = D\varepsilon^{b}\,\partial_x^2 c`):

.. math::

    \tau_S = \frac{\pi\,\varepsilon D_{eff}\,(z c_0 F)^2}{4\,\big(i\,(1-t_+)\big)^2},
    \qquad D_{eff} = D\,\varepsilon^{b}.

In a thin cell the salt profile reaches steady state long before :math:`\tau_S`
(:math:`L^2/D_{eff}` is seconds for a 25 µm separator), and below the limiting current
of the diffusion path the surface is never depleted: Sand's time is then infinite. The tip
that can pierce the separator sits at the front of the deposit, facing the separator; the
salt reaches it through the separator and the counter electrode's dead-metal layer, whose
limiting current (binary electrolyte, steady linear profile, mean concentration
:math:`c_0`, as in :mod:`hemcell.limetal.symmetric`) is

.. math::

    i_{lim} = \frac{2 z c_0 F}{(1-t_+)\,R_D}, \qquad
    R_D = \frac{L_s}{D\varepsilon_s^{b_s}} + \frac{L_{dl}'}{D\varepsilon_{dl}^{b_{dl}}}.

The tip depletes :math:`t_d` into a plating half-cycle of duration :math:`t_h`:
:math:`t_d = \tau_S(f\bar i)` in the separator's pores if :math:`f\bar i > i_{lim}`,
:math:`t_d = \infty` otherwise (:func:`depletion_time_s`).

**2. How fast does it grow?** After :math:`t_d` the tip carries the local current and
advances by Faraday's law at the molar volume :math:`V_m` of the metal (Monroe & Newman,
*J. Electrochem. Soc.* 150 (2003) A1377, tip propagation under galvanostatic conditions):

.. math::

    v = \frac{f\,\bar i\,V_m}{zF}, \qquad \Delta h = v\,\max(0,\ t_h - t_d).

**3. What stays?** Stripping takes back what is still electronically connected; the part
of the tip deposit that stays is the cell's own loss fraction at the local overpotential,
:math:`\lambda` (:mod:`hemcell.limetal.losses`), so after each plating/stripping pair the
protrusion keeps :math:`\lambda\,\Delta h` and the next half-cycle grows on it.

**Short.** The cell shorts during the plating half-cycle in which the protrusion
:math:`h_{n-1} + v\,(t - t_d)` reaches the separator thickness :math:`L_s`:

.. math::

    t_{short} = t_d + \frac{L_s - h_{n-1}}{v}.

Which law, which inputs and which sources each cell uses: docs/limetal.md, "Short circuit".
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from hemcell.errors import InputError
from hemcell.laws import FARADAY_C_PER_MOL

#: ``failure_reason`` of a cell whose protrusion reached through the separator.
SHORT_CIRCUIT = "short circuit: dendrite through the separator"


def sand_time_s(current_density_A_per_m2: float, concentration_mol_per_m3: float,
                diffusivity_m2_per_s: float, cation_transference_number: float,
                charge_number: float = 1.0, porosity: float = 1.0,
                bruggeman: float = 0.0) -> float:
    r"""Sand's time at a constant current density [s].

    :math:`\tau_S = \pi\,\varepsilon D\varepsilon^{b}\,(z c_0 F)^2 / (4\,(i(1-t_+))^2)`
    (Sand 1901; porous medium of porosity ε and Bruggeman exponent b; ε = 1, b = 0: the
    free electrolyte).

    Raises
    ------
    InputError
        Non-positive current, concentration or diffusivity, t+ outside [0, 1), porosity
        outside (0, 1].
    """
    i, c0, d = current_density_A_per_m2, concentration_mol_per_m3, diffusivity_m2_per_s
    if not (i > 0 and c0 > 0 and d > 0 and charge_number > 0):
        raise InputError("Sand's time inputs", (i, c0, d, charge_number),
                         "current density, concentration, diffusivity, charge number > 0")
    if not 0 <= cation_transference_number < 1:
        raise InputError("cation_transference_number", cation_transference_number, "0 <= t+ < 1")
    if not 0 < porosity <= 1:
        raise InputError("separator_porosity", porosity, "0 < porosity <= 1")
    d_app = porosity * d * porosity ** bruggeman
    return (math.pi * d_app * (charge_number * c0 * FARADAY_C_PER_MOL) ** 2
            / (4.0 * (i * (1.0 - cation_transference_number)) ** 2))


def limiting_current_A_per_m2(concentration_mol_per_m3: float,
                              cation_transference_number: float,
                              diffusion_resistance_s_per_m: float,
                              charge_number: float = 1.0) -> float:
    r"""Limiting current of a diffusion path, :math:`2 z c_0 F / ((1-t_+) R_D)` [A/m**2].

    The current at which the steady salt difference across the path,
    :math:`\Delta c = (1-t_+)\,i\,R_D/(zF)`, reaches :math:`2c_0`.
    """
    return (2.0 * charge_number * concentration_mol_per_m3 * FARADAY_C_PER_MOL
            / ((1.0 - cation_transference_number) * diffusion_resistance_s_per_m))


def depletion_time_s(local_current_density_A_per_m2: float,
                     path_limiting_current_A_per_m2: float, sand_time_at_local_s: float
                     ) -> float:
    """Time into a plating half-cycle at which the salt at the tip is used up [s].

    Sand's time at the local current when it exceeds the limiting current of the path,
    else ``inf`` (the steady surface concentration stays positive).
    """
    if local_current_density_A_per_m2 > path_limiting_current_A_per_m2:
        return sand_time_at_local_s
    return math.inf


def tip_velocity_m_per_s(local_current_density_A_per_m2: float,
                         molar_volume_m3_per_mol: float, charge_number: float = 1.0) -> float:
    """Tip velocity ``v = i_loc V_m / (z F)`` of a transport-limited tip [m/s]."""
    return (local_current_density_A_per_m2 * molar_volume_m3_per_mol
            / (charge_number * FARADAY_C_PER_MOL))


@dataclass
class Protrusion:
    """The worst protrusion of one electrode over the plating half-cycles (module rules).

    Attributes
    ----------
    length_m
        Protrusion kept after the last stripping half-cycle.
    peak_m
        Largest length reached at the end of each plating half-cycle, one per half-cycle.
    """

    length_m: float = 0.0
    peak_m: list[float] = field(default_factory=list)

    def plate(self, velocity_m_per_s: float, half_cycle_s: float, depletion_s: float,
              retained_fraction: float, separator_thickness_m: float) -> float | None:
        """Grow through one plating half-cycle, then keep ``retained_fraction`` of it.

        Returns
        -------
        float or None
            Time into the half-cycle at which the tip reaches ``separator_thickness_m``
            (the short), or None.
        """
        if not (velocity_m_per_s >= 0 and half_cycle_s > 0 and separator_thickness_m > 0
                and 0 <= retained_fraction <= 1):
            raise InputError("protrusion growth", (velocity_m_per_s, half_cycle_s,
                                                   retained_fraction, separator_thickness_m),
                             "v >= 0, t_h > 0, L_s > 0, 0 <= retained fraction <= 1")
        growth = velocity_m_per_s * max(0.0, half_cycle_s - depletion_s)
        peak = self.length_m + growth
        if peak >= separator_thickness_m:
            self.peak_m.append(separator_thickness_m)
            return depletion_s + (separator_thickness_m - self.length_m) / velocity_m_per_s
        self.peak_m.append(peak)
        self.length_m += retained_fraction * growth
        return None
