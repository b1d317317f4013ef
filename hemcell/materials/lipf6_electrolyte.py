r"""The LiPF6 carbonate electrolyte's temperature law: Valøen & Reimers (2005), one owner.

The parameter sets carry the electrolyte's conductivity κ and salt diffusivity D_e as
constants evaluated at 1 M and 298.15 K from the fits of Valøen & Reimers,
*J. Electrochem. Soc.* 152 (2005) A882 (eqs. 17 and 14, as coded in PyBaMM's Xu2019
set). Every model that runs such a cell at another temperature carries them there with
the same fits (:func:`valoen_reimers_ratio`), under one temperature policy
(:func:`electrolyte_temperature_warnings`): inside
:data:`VALOEN_TEMPERATURE_RANGE_K` silent, outside it a warning, at or below the
diffusivity fit's Vogel–Tammann–Fulcher singularity (229 + 5c K) an
:class:`~hemcell.errors.InputError`. Users: the Li-metal cells (:mod:`hemcell.limetal`),
the HEM anode half-cell with PyBaMM's Xu2019 electrolyte
(:func:`valoen_electrolyte_warnings`), the surface model and the EIS models.
"""

from __future__ import annotations

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
