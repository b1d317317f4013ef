r"""Ohmic resistance of a thin ion-conducting film (the HEA coating) on the Li electrode.

A uniform film of thickness :math:`h` and Li⁺ conductivity :math:`\kappa_c` carries the
whole current :math:`i` normally through its thickness. Charge conservation in the film,
:math:`\nabla\cdot(\kappa_c \nabla\phi) = 0` with a uniform flux, gives a linear potential
profile, so the film adds the area-specific resistance and Ohmic drop

.. math::

    r_{film} = \frac{h}{\kappa_c}, \qquad \Delta\phi_{film} = i \, \frac{h}{\kappa_c}

(the thin-layer limit used by the surface model, ``hemcell.surface.coating``). In the
cell models the drop enters the terminal voltage in series with the Li kinetics.
"""

from __future__ import annotations

from hemcell.errors import InputError


def film_area_resistance_ohm_m2(thickness_m: float, conductivity_S_per_m: float) -> float:
    """Area-specific resistance ``h / kappa_c`` of the film [Ohm m**2].

    Parameters
    ----------
    thickness_m
        Film thickness h [m]; 0 for bare Li.
    conductivity_S_per_m
        Li⁺ conductivity of the film κ_c [S/m].

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
    """Ohmic potential drop ``i h / kappa_c`` across the film [V] (signed like ``i``)."""
    return current_density_A_per_m2 * film_area_resistance_ohm_m2(thickness_m,
                                                                   conductivity_S_per_m)
