r"""Laws used by more than one physics package: one owner each.

The cell models (:mod:`hemcell.cell`, :mod:`hemcell.limetal`) and the surface model
(:mod:`hemcell.surface`) all describe the same lithium (or sodium, potassium) interface,
so they must share one constant, one temperature law and one kinetic law. Each is
defined here once; the physics packages import them and never re-derive them.

Constants
    :data:`FARADAY_C_PER_MOL` and :data:`GAS_CONSTANT_J_PER_MOL_K` from
    :mod:`scipy.constants` (CODATA 2018, exact in the 2019 SI).

Arrhenius temperature dependence
    .. math::

        k(T) = k(T_{ref})\,
        \exp\!\left[-\frac{E_a}{R}\left(\frac1T - \frac1{T_{ref}}\right)\right]

Butler–Volmer kinetics (Newman & Thomas-Alyea, *Electrochemical Systems*, 3rd ed., eq. 8.6)
    .. math:: i = i_0\left[\exp\!\left(\frac{\alpha_a F\eta}{RT}\right)
              - \exp\!\left(-\frac{\alpha_c F\eta}{RT}\right)\right],

    with the symmetric form :math:`i = 2 i_0 \sinh(F\eta/2RT)` for
    :math:`\alpha_a = \alpha_c = 1/2` and its inverse
    :math:`\eta = (2RT/F)\operatorname{arsinh}(i/2i_0)`. Sign: positive ``i`` is anodic
    (stripping); :func:`butler_volmer_current_density` takes a deposition-positive
    convention explicitly where the surface model needs it.

Exchange current ↔ charge-transfer resistance
    Linearising Butler–Volmer at :math:`\eta\to0` gives the area-specific
    charge-transfer resistance :math:`r_{ct} = RT/[F i_0(\alpha_a+\alpha_c)]`, i.e.
    :math:`RT/(F i_0)` for :math:`\alpha_a+\alpha_c = 1`.

Film drop
    A uniform ion-conducting film of thickness :math:`h` and conductivity
    :math:`\kappa_c` carrying a normal current :math:`i` has a linear potential profile
    (:math:`\nabla\cdot\kappa_c\nabla\phi = 0`), so it adds :math:`r_{film} = h/\kappa_c`
    and the Ohmic drop :math:`\Delta\phi = i\,h/\kappa_c`.

Coated-interface rule
    A symmetric Li‖Li cell measures two identical interfaces in series, each
    :math:`r = R A/2`. Under a coating, the film's own Ohmic share is taken out and the
    rest is charge transfer, so for one interface

    .. math:: i_0 = \frac{RT_{ref}}{F\left(R A/2 - h/\kappa_c\right)} .

    Where a model starts from another reference exchange current :math:`i_0^{bare}`
    (the surface model's bare Li from Xu et al. 2019), the coated value follows the same
    measured ratio: :math:`i_0^{coated} = i_0^{bare}\,r_{bare}/(r_{coated}-h/\kappa_c)`
    (:func:`coated_exchange_current`), which equals the first rule when
    :math:`i_0^{bare}` itself comes from :math:`R_{bare}`.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from scipy import constants as _c

from hemcell.errors import InputError

#: Faraday constant F [C mol⁻¹] (CODATA via :mod:`scipy.constants`).
FARADAY_C_PER_MOL: float = float(_c.physical_constants["Faraday constant"][0])
#: Molar gas constant R [J mol⁻¹ K⁻¹] (CODATA via :mod:`scipy.constants`).
GAS_CONSTANT_J_PER_MOL_K: float = float(_c.R)

__all__ = [
    "FARADAY_C_PER_MOL",
    "GAS_CONSTANT_J_PER_MOL_K",
    "arrhenius_factor",
    "butler_volmer_current_A_per_m2",
    "butler_volmer_current_density",
    "butler_volmer_overpotential_V",
    "charge_transfer_resistance_ohm_m2",
    "coated_exchange_current",
    "exchange_current_from_resistance",
    "film_area_resistance_ohm_m2",
    "film_ohmic_drop_V",
    "thermal_voltage_V",
]


def thermal_voltage_V(temperature_K: float) -> float:
    """RT/F [V]."""
    return GAS_CONSTANT_J_PER_MOL_K * temperature_K / FARADAY_C_PER_MOL


def arrhenius_factor(activation_energy_J_per_mol: float, temperature_K: Any,
                     reference_temperature_K: float, exp: Any = None) -> Any:
    """``exp[-Ea/R (1/T - 1/T_ref)]``: a rate at T relative to T_ref [-].

    Parameters
    ----------
    activation_energy_J_per_mol
        E_a [J mol⁻¹].
    temperature_K
        T [K]: a number, or a symbol of the math namespace given by ``exp``.
    reference_temperature_K
        T_ref [K].
    exp
        Exponential of a symbolic namespace (``pybamm.exp``, ``ufl.exp``); ``None`` for
        numbers, which are checked to be positive.

    Raises
    ------
    InputError
        A non-positive (numeric) temperature.
    """
    if exp is None:
        if temperature_K <= 0 or reference_temperature_K <= 0:
            raise InputError("temperature", temperature_K, "a temperature > 0 K")
        exp = math.exp
    return exp(-activation_energy_J_per_mol / GAS_CONSTANT_J_PER_MOL_K
               * (1.0 / temperature_K - 1.0 / reference_temperature_K))


def butler_volmer_current_density(i0: Any, eta_V: Any, alpha_a: float, alpha_c: float,
                                  temperature_K: Any, exp: Any = np.exp) -> Any:
    """Butler–Volmer current density, positive for deposition (cathodic) [A m⁻²].

    ``i = i0 [exp(-α_c F η / RT) - exp(α_a F η / RT)]`` with η = φ_metal − φ_e − U;
    ``exp`` is the exponential of the math namespace (``math.exp``, ``numpy.exp``,
    ``ufl.exp``, ``pybamm.exp``); numbers and arrays by default.
    """
    f = FARADAY_C_PER_MOL / (GAS_CONSTANT_J_PER_MOL_K * temperature_K)
    return i0 * (exp(-alpha_c * f * eta_V) - exp(alpha_a * f * eta_V))


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


def charge_transfer_resistance_ohm_m2(exchange_current_A_per_m2: float,
                                      temperature_K: float) -> float:
    """Area-specific charge-transfer resistance ``RT/(F i0)`` [Ohm m**2] (α_a + α_c = 1)."""
    if exchange_current_A_per_m2 <= 0:
        raise InputError("exchange current density", exchange_current_A_per_m2, "> 0 A/m**2")
    return thermal_voltage_V(temperature_K) / exchange_current_A_per_m2


def film_area_resistance_ohm_m2(thickness_m: float, conductivity_S_per_m: float) -> float:
    """Area-specific resistance ``h / kappa_c`` of a film [Ohm m**2] (0 for no film).

    Raises
    ------
    InputError
        Negative thickness or non-positive conductivity.
    """
    if thickness_m < 0:
        raise InputError("coating_thickness", thickness_m, "a thickness >= 0 m")
    if thickness_m == 0:
        return 0.0
    if conductivity_S_per_m <= 0:
        raise InputError("coating_ionic_conductivity", conductivity_S_per_m, "a value > 0 S/m")
    return thickness_m / conductivity_S_per_m


def film_ohmic_drop_V(current_density_A_per_m2: float, thickness_m: float,
                      conductivity_S_per_m: float) -> float:
    """Ohmic potential drop ``i h / kappa_c`` across a film [V] (signed like ``i``)."""
    return current_density_A_per_m2 * film_area_resistance_ohm_m2(thickness_m,
                                                                   conductivity_S_per_m)


#: What a user changes when a coating's film resistance h/κ_c exceeds the interface
#: resistance measured on the coated cell (the rule leaves no charge-transfer share).
_FILM_HINT = ("the film's h/kappa_c takes the whole measured resistance: lower "
              "coating_thickness or raise coating_ionic_conductivity")


def exchange_current_from_resistance(
    symmetric_cell_resistance_ohm: float,
    electrode_area_m2: float,
    temperature_K: float,
    film_resistance_ohm_m2: float = 0.0,
    interfaces: int = 2,
) -> float:
    """Exchange current density i0 [A/m**2] from a measured symmetric-cell resistance.

    ``RT / (F (R A / interfaces - r_film))`` (the coated-interface rule of the module
    docstring).

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

    Raises
    ------
    InputError
        If the film resistance is not smaller than the measured interface resistance.
    """
    r_interface = symmetric_cell_resistance_ohm * electrode_area_m2 / interfaces
    r_ct = r_interface - film_resistance_ohm_m2
    if r_ct <= 0:
        raise InputError("coating film resistance h/kappa_c",
                         f"{film_resistance_ohm_m2:.3g} Ohm m**2",
                         f"less than the measured interface resistance {r_interface:.3g} "
                         "Ohm m**2", hint=_FILM_HINT)
    return thermal_voltage_V(temperature_K) / r_ct


def coated_exchange_current(bare_exchange_current_A_per_m2: float,
                            bare_resistance_ohm: float, coated_resistance_ohm: float,
                            electrode_area_m2: float,
                            film_resistance_ohm_m2: float = 0.0,
                            interfaces: int = 2) -> float:
    """Coated-Li exchange current from a bare reference and the measured resistances.

    ``i0_coated = i0_bare · r_bare / (r_coated − h/κ_c)`` with ``r = R A / interfaces``
    (the coated-interface rule of the module docstring).
    """
    r_bare = bare_resistance_ohm * electrode_area_m2 / interfaces
    r_coated = coated_resistance_ohm * electrode_area_m2 / interfaces - film_resistance_ohm_m2
    if r_coated <= 0:
        raise InputError("coating film resistance h/kappa_c",
                         f"{film_resistance_ohm_m2:.3g} Ohm m**2",
                         "less than the measured coated interface resistance "
                         f"{r_coated + film_resistance_ohm_m2:.3g} Ohm m**2", hint=_FILM_HINT)
    return bare_exchange_current_A_per_m2 * r_bare / r_coated


def hydrogen_equilibrium_potential_V(ph: float, temperature_K: float) -> float:
    r"""Equilibrium potential of H⁺/H₂ vs SHE at :math:`p_{H_2}` = 1 bar [V].

    Nernst for :math:`2\mathrm{H^+} + 2e^- \rightleftharpoons \mathrm{H_2}`:
    :math:`E_{HER} = -(RT\ln 10/F)\,\mathrm{pH}` (−0.0592 pH V at 298.15 K; the same in
    the water-reduction form :math:`2\mathrm{H_2O} + 2e^- = \mathrm{H_2} + 2\mathrm{OH^-}`).
    """
    if not 0 <= ph <= 14:
        raise InputError("electrolyte_ph", ph, "a pH in [0, 14]")
    return -thermal_voltage_V(temperature_K) * math.log(10.0) * ph


def hydrogen_evolution_current_density(i0_her: Any, electrode_potential_vs_she_V: Any,
                                       ph: float, alpha_her: float, temperature_K: float,
                                       exp: Any = np.exp) -> Any:
    r"""Cathodic Tafel current of hydrogen evolution, positive when H₂ is evolved [A m⁻²].

    .. math:: i_{HER} = i_{0,H}\exp\!\left(-\frac{\alpha_H F}{RT}(E - E_{HER})\right),

    with :math:`E` the electrode potential vs SHE (metal minus electrolyte, referred to
    SHE) and :math:`E_{HER}` from :func:`hydrogen_equilibrium_potential_V`. The anodic
    branch (H₂ oxidation) is left out: no dissolved H₂ is tracked. Tafel slope
    :math:`b = RT\ln10/(\alpha_H F)`. ``exp`` as in :func:`butler_volmer_current_density`.
    """
    f = FARADAY_C_PER_MOL / (GAS_CONSTANT_J_PER_MOL_K * temperature_K)
    eta_h = electrode_potential_vs_she_V - hydrogen_equilibrium_potential_V(ph, temperature_K)
    return i0_her * exp(-alpha_her * f * eta_h)
