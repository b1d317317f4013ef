r"""Li plating/stripping kinetics at the Li metal electrode.

Butler–Volmer kinetics (Newman & Thomas-Alyea, *Electrochemical Systems*, 3rd ed., eq. 8.6)
with equal transfer coefficients :math:`\alpha_a = \alpha_c = 1/2`:

.. math::

    i = 2 i_0 \sinh\!\left(\frac{F\eta}{2RT}\right)
    \quad\Longleftrightarrow\quad
    \eta = \frac{2RT}{F}\,\operatorname{arsinh}\!\left(\frac{i}{2 i_0}\right).

**Exchange current from the measured charge-transfer resistance.** Linearising at
:math:`\eta \to 0` gives the area-specific charge-transfer resistance
:math:`r_{ct} = RT/(F i_0)`. Seed 004 reports the interfacial resistance of symmetric
Li‖Li cells (two identical interfaces in series) in Ohm: 64 Ω bare, 44 Ω coated (L86).
With the electrode area :math:`A` one interface has :math:`r = R A / 2`; the coating's own
Ohmic share :math:`h/\kappa_c` (:mod:`hemcell.limetal.film`) is taken out, the rest is
charge transfer:

.. math::

    i_0(T_{ref}) = \frac{RT_{ref}}{F\,\left(R_{ct} A/2 - h/\kappa_c\right)}.

**Temperature.** Arrhenius with the seed's activation energies (27.82 vs 29.31 kJ/mol,
L76), :math:`i_0(T) = i_0(T_{ref}) \exp[-E_a/R\,(1/T - 1/T_{ref})]`, so
:math:`r_{ct}(T) \propto T \exp(E_a/RT)`.

**Current focusing.** When the surface model finds a focusing factor
:math:`f = \max i_n / \bar i_n`, the cell models use the local current density
:math:`f\bar i` for the deposition overpotential that drives losses, and for the
cell-averaged kinetics an effective exchange current :math:`i_0/f` (the current passes
through an effective area fraction :math:`1/f` at the focused density).
"""

from __future__ import annotations

import math

from hemcell.errors import InputError

FARADAY_C_PER_MOL = 96485.33212
GAS_CONSTANT_J_PER_MOL_K = 8.314462618


def thermal_voltage_V(temperature_K: float) -> float:
    """RT/F [V]."""
    return GAS_CONSTANT_J_PER_MOL_K * temperature_K / FARADAY_C_PER_MOL


def arrhenius_factor(activation_energy_J_per_mol: float, temperature_K: float,
                     reference_temperature_K: float) -> float:
    """``exp[-Ea/R (1/T - 1/T_ref)]``: rate at T relative to T_ref."""
    if temperature_K <= 0 or reference_temperature_K <= 0:
        raise InputError("temperature", temperature_K, "a temperature > 0 K")
    return math.exp(-activation_energy_J_per_mol / GAS_CONSTANT_J_PER_MOL_K
                    * (1.0 / temperature_K - 1.0 / reference_temperature_K))


def exchange_current_from_resistance(
    symmetric_cell_resistance_ohm: float,
    electrode_area_m2: float,
    temperature_K: float,
    film_resistance_ohm_m2: float = 0.0,
    interfaces: int = 2,
) -> float:
    """Exchange current density i0 [A/m**2] from a measured symmetric-cell resistance.

    Parameters
    ----------
    symmetric_cell_resistance_ohm
        Interfacial resistance R of the whole cell [Ohm] (seed 004: 64 bare, 44 coated).
    electrode_area_m2
        Electrode area A [m**2].
    temperature_K
        Temperature of the measurement [K].
    film_resistance_ohm_m2
        Ohmic film share per interface to take out (h/kappa_c) [Ohm m**2].
    interfaces
        Interfaces in series in the measured cell (2 for Li||Li).

    Returns
    -------
    float
        ``RT / (F (R A / interfaces - r_film))``.

    Raises
    ------
    InputError
        If the film resistance is not smaller than the measured interface resistance.
    """
    r_interface = symmetric_cell_resistance_ohm * electrode_area_m2 / interfaces
    r_ct = r_interface - film_resistance_ohm_m2
    if r_ct <= 0:
        raise InputError("coating film resistance h/kappa_c", film_resistance_ohm_m2,
                         f"less than the measured interface resistance {r_interface:.3g} "
                         "Ohm m**2", hint="raise coating_ionic_conductivity")
    return thermal_voltage_V(temperature_K) / r_ct


def butler_volmer_overpotential_V(current_density_A_per_m2: float,
                                  exchange_current_A_per_m2: float,
                                  temperature_K: float) -> float:
    """Symmetric Butler–Volmer overpotential ``(2RT/F) arsinh(i / 2 i0)`` [V]."""
    if exchange_current_A_per_m2 <= 0:
        raise InputError("exchange current density", exchange_current_A_per_m2, "> 0 A/m**2")
    return 2.0 * thermal_voltage_V(temperature_K) * math.asinh(
        current_density_A_per_m2 / (2.0 * exchange_current_A_per_m2))


def butler_volmer_current_A_per_m2(overpotential_V: float, exchange_current_A_per_m2: float,
                                   temperature_K: float) -> float:
    """Symmetric Butler–Volmer current density ``2 i0 sinh(F eta / 2RT)`` [A/m**2]."""
    return 2.0 * exchange_current_A_per_m2 * math.sinh(
        overpotential_V / (2.0 * thermal_voltage_V(temperature_K)))


def local_deposition_overpotential_V(mean_current_density_A_per_m2: float,
                                     exchange_current_A_per_m2: float,
                                     focusing_factor: float, temperature_K: float) -> float:
    """Deposition overpotential at the hot spots, where the current is ``f`` times the mean."""
    if focusing_factor < 1:
        raise InputError("current_focusing_factor", focusing_factor, "a factor >= 1")
    return butler_volmer_overpotential_V(abs(mean_current_density_A_per_m2) * focusing_factor,
                                         exchange_current_A_per_m2, temperature_K)
