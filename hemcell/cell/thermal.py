"""Heat sources and the lumped energy balance of the HEM full cell.

With PyBaMM's option ``"thermal": "lumped"`` the cell has one temperature T(t), PyBaMM's
lumped model (Timms et al., SIAM J. Appl. Math. 81 (2021) 765; PyBaMM's
``thermal.Lumped``), and every Arrhenius rate constant, OCP and electrolyte property
of both electrodes sees it (docs/theory.md eq. 2.9):

    ρc_p,eff V dT/dt = Q − h A (T − T_amb),   T(0) = T_init
    Q = A_cc ∫ (q_rxn + q_rev + q_ohm) dx                                        [W]
    q_rxn = Σ_k a j_k (Δφ − U_eq,k)   every reaction (anode mechanisms, double layer,
                                      cathode), ≥ 0
    q_rev = a j T ∂U/∂T               intercalation hosts (PyBaMM's entropic change)
    q_ohm = −i_s·∇φ_s − i_e·∇φ_e      solid phases and electrolyte

ρc_p,eff is PyBaMM's thickness-weighted mean over the current collectors, electrodes and
separator (``ThermalParameters.rho_c_p_eff``), V the cell volume, A the cooling surface
and h the heat transfer coefficient of the base set; the anode's density and specific
heat come from the anode set (:data:`PARAMETERS`). Isothermal models (the default)
publish the same heat sources at T = T_amb (PyBaMM's isothermal convention) without a
temperature state.

Integrating q_ohm by parts with ∇·i_s = −Σ a j and ∇·i_e = Σ a j gives the energy
balance the heat sources obey: Q = −A_cc ∫ Σ_k a j_k U_eq,k dx − I V + reversible heat,
i.e. the electrical loss I (U_ocv − V) of a cell whose open-circuit voltage is U_ocv
(Bernardi, Pawlikowski & Newman, J. Electrochem. Soc. 132 (1985) 5).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pybamm

from hemcell.cell.mechanisms.base import AnodeNames
from hemcell.errors import InputError
from hemcell.params.uses import ParameterUse, missing_parameters

__all__ = [
    "BASE_SET_VALUES",
    "ELECTROLYTE_STABILITY_LIMIT_K",
    "PARAMETERS",
    "anode_thermal_values",
    "cell_temperature",
    "heat_sources",
    "lumped_balance",
    "require_thermal_values",
    "temperature_check",
]

#: What a set without the cooling values means: the base set's (PyBaMM Chen2020: h = 10
#: W m-2 K-1 on the 21700 can's 0.00531 m2, one cell in still air).
_BASE_SET_COOLING = "the cathode base set's value (PyBaMM Chen2020: one cell in still air)"

#: Registry names the lumped model reads from the anode set (PyBaMM's "Negative
#: electrode density [kg.m-3]" and "... specific heat capacity [J.kg-1.K-1]") and, when
#: given (``--set`` for a cooled cell), the cooling h and A in place of the base set's.
PARAMETERS: tuple[ParameterUse, ...] = (
    ParameterUse("anode_electrode_density", "kg/m**3"),
    ParameterUse("anode_electrode_specific_heat_capacity", "J/kg/K"),
    ParameterUse("cell_heat_transfer_coefficient", "W/m**2/K", absent=_BASE_SET_COOLING),
    ParameterUse("cell_cooling_surface_area", "m**2", absent=_BASE_SET_COOLING),
)

#: PyBaMM's name of each registry name in :data:`PARAMETERS`.
PYBAMM_NAMES: dict[str, str] = {
    "anode_electrode_density": "Negative electrode density [kg.m-3]",
    "anode_electrode_specific_heat_capacity":
        "Negative electrode specific heat capacity [J.kg-1.K-1]",
    "cell_heat_transfer_coefficient": "Total heat transfer coefficient [W.m-2.K-1]",
    "cell_cooling_surface_area": "Cell cooling surface area [m2]",
}

#: PyBaMM values the lumped model reads from the cathode's base set.
BASE_SET_VALUES: tuple[str, ...] = (
    "Total heat transfer coefficient [W.m-2.K-1]",
    "Cell cooling surface area [m2]",
    "Cell volume [m3]",
    "Negative current collector thickness [m]",
    "Negative current collector density [kg.m-3]",
    "Negative current collector specific heat capacity [J.kg-1.K-1]",
    "Separator density [kg.m-3]",
    "Separator specific heat capacity [J.kg-1.K-1]",
    "Positive electrode density [kg.m-3]",
    "Positive electrode specific heat capacity [J.kg-1.K-1]",
    "Positive current collector thickness [m]",
    "Positive current collector density [kg.m-3]",
    "Positive current collector specific heat capacity [J.kg-1.K-1]",
)

#: The lumped temperature state (PyBaMM's name).
T_NAME = "Volume-averaged cell temperature [K]"

#: Highest temperature [K] at which the cells' electrolyte (LiPF6 in carbonates: Chen2020's
#: LiPF6 EC:EMC, Xu2019's LiPF6 EC:DMC) was shown stable, 85 degC
#: (:data:`ELECTROLYTE_STABILITY_LIMIT_SOURCE`). A lumped run above it is flagged.
ELECTROLYTE_STABILITY_LIMIT_K = 358.15
ELECTROLYTE_STABILITY_LIMIT_SOURCE = (
    "H. Yang, G. V. Zhuang, P. N. Ross Jr., 'Thermal stability of LiPF6 salt and Li-ion "
    "battery electrolytes containing LiPF6', J. Power Sources 161 (2006) 573 (LBNL "
    "report, abstract): 1 molal LiPF6 in EC, DMC and EMC stored 300-420 h at 358 K formed "
    "no significant decomposition products; the neat salt is stable up to 380 K (dry, "
    "inert) and dissociates into LiF and PF5 above it")


def temperature_check(T_K: Any, h_W_per_m2K: float, A_m2: float) -> tuple[dict[str, Any],
                                                                          list[str]]:
    """Summary keys and warnings of a lumped run's temperature.

    Parameters
    ----------
    T_K
        The cell temperature over the run [K].
    h_W_per_m2K, A_m2
        The set's heat transfer coefficient and cooling area (named in the warning).

    Returns
    -------
    tuple
        ``{"max_cell_temperature_K", "above_electrolyte_stability_limit"}`` and a warning
        when the maximum exceeds :data:`ELECTROLYTE_STABILITY_LIMIT_K` (empty otherwise).
    """
    import numpy as np

    T_max = float(np.max(T_K))
    above = T_max > ELECTROLYTE_STABILITY_LIMIT_K
    keys = {"max_cell_temperature_K": T_max, "above_electrolyte_stability_limit": above}
    if not above:
        return keys, []
    lim = ELECTROLYTE_STABILITY_LIMIT_K
    return keys, [
        f"cell temperature reaches {T_max:.1f} K ({T_max - 273.15:.0f} degC), above "
        f"{lim:.2f} K ({lim - 273.15:.0f} degC), the highest temperature at which the LiPF6 "
        "carbonate electrolyte was shown stable (Yang, Zhuang & Ross, J. Power Sources 161 "
        "(2006) 573; the neat salt decomposes above 380 K): a cell in thermal abuse, not an "
        f"operating point. The cell cools through h A = {h_W_per_m2K:g} W/m2/K x "
        f"{A_m2:g} m2 = {h_W_per_m2K * A_m2:.3g} W/K (Chen2020's is one cell in still air; "
        "a cooled cell: --set cell_heat_transfer_coefficient=...W/m^2/K; docs/anode.md, "
        "thermal section)"]


def anode_thermal_values(si: Mapping[str, Any]) -> dict[str, float]:
    """PyBaMM's thermal values the anode set (or ``--set``) gives, by PyBaMM name (SI).

    The anode's density and specific heat replace the base set's negative electrode ones
    when the set gives both; the cooling h and A replace the base set's each when given.
    """
    anode = [u.key for u in PARAMETERS if not u.absent]
    given = [u.key for u in PARAMETERS if u.key in si and (u.absent or
                                                            all(k in si for k in anode))]
    return {PYBAMM_NAMES[k]: si[k] for k in given}


def require_thermal_values(si: Mapping[str, Any], pv: Mapping[str, Any] | pybamm.ParameterValues,
                           base: str) -> None:
    """Refuse (exit 2) a lumped full cell whose sets miss thermal values, naming all.

    Parameters
    ----------
    si
        The anode set's SI values (registry names, :data:`PARAMETERS`).
    pv
        The cathode's PyBaMM values (:data:`BASE_SET_VALUES`).
    base
        The cathode's base set, for the message (``"Prada2013"``).
    """
    anode = missing_parameters(si, [u.key for u in PARAMETERS if not u.absent])
    cathode = [k for k in BASE_SET_VALUES if k not in pv.keys()]
    if anode or cathode:
        names = [*(f"{k} (anode set)" for k in anode),
                 *(f"{k!r} (PyBaMM {base})" for k in cathode)]
        raise InputError(
            "options['thermal']", "lumped",
            f"'isothermal', or sets with thermal values; missing: {', '.join(names)}",
            hint="the NMC811 cathode (PyBaMM Chen2020) has them; add the anode's to its "
            "parameter file (docs/anode.md, thermal section)")


def cell_temperature(param: pybamm.LithiumIonParameters, option: str) -> pybamm.Symbol:
    """The temperature every function of T sees: the ambient temperature T_amb(t)
    (isothermal, as PyBaMM's ``thermal.isothermal``, so a PyBaMM user's "Ambient
    temperature [K]" is the cell's) or the lumped state."""
    if option == "isothermal":
        return param.T_amb_av(pybamm.t)
    return pybamm.Variable(T_NAME, scale=param.T_ref, print_name="T_av")


def initial_cell_temperature(param: pybamm.LithiumIonParameters, option: str) -> pybamm.Symbol:
    """:func:`cell_temperature` at t = 0: T_amb(0) (isothermal) or T_init (lumped)."""
    if option == "isothermal":
        return param.T_amb_av(pybamm.Scalar(0))
    return param.T_init


def ohmic_heating(i: pybamm.Symbol, phi: pybamm.Symbol) -> pybamm.Symbol:
    """Joule heat −i·∇φ [W m⁻³] of a current density i driven by a potential φ."""
    return -pybamm.inner(i, pybamm.grad(phi))


def _integral(q: pybamm.Symbol) -> pybamm.Symbol:
    """∫ q dx over the domain of q [W m⁻²]."""
    return pybamm.Integral(q, pybamm.SpatialVariable("x", domain=q.domain))


def heat_sources(
    param: pybamm.LithiumIonParameters,
    anode: Mapping[str, pybamm.Symbol],
    mechanisms: Iterable[str],
    cathode: tuple[pybamm.Symbol, pybamm.Symbol, pybamm.Symbol],
    solid: Iterable[tuple[pybamm.Symbol, pybamm.Symbol]],
    electrolyte: tuple[pybamm.Symbol, pybamm.Symbol],
) -> dict[str, pybamm.Symbol]:
    """The cell's heat sources [W] (PyBaMM's names) and the anode's per mechanism.

    Parameters
    ----------
    param
        The model's parameters (A_cc).
    anode
        The anode's variables: every mechanism's (and the double layer's)
        :meth:`~hemcell.cell.mechanisms.base.AnodeNames.reaction_heat`, and the
        hysteresis and reversible heats where a mechanism has them.
    mechanisms
        The anode's mechanisms.
    cathode
        (a j, η = Δφ − U, a j T ∂U/∂T) of the cathode [A m⁻³, V, W m⁻³].
    solid
        (i_s, φ_s) of each electrode.
    electrolyte
        (i_e, φ_e) across the cell.

    Returns
    -------
    dict
        "Ohmic heating [W]", "Irreversible electrochemical heating [W]" (against each
        reaction's branch potential), "Hysteresis electrochemical heating [W]" (the
        branch gap), "Reversible heating [W]", "Total heating [W]", and "Anode <m>
        heating [W]" per mechanism (irreversible, hysteresis included).
    """
    n, A = AnodeNames, param.A_cc
    a_j_p, eta_p, q_rev_p = cathode
    out: dict[str, pybamm.Symbol] = {}
    q_rxn = _integral(a_j_p * eta_p)
    q_hys = pybamm.Scalar(0)
    q_rev = _integral(q_rev_p)
    for m in (*mechanisms, "double_layer"):
        q_m = _integral(anode[n.reaction_heat(m)])
        out[f"Anode {m.replace('_', '-')} heating [W]"] = A * q_m
        q_rxn = q_rxn + q_m
        if n.hysteresis_heat(m) in anode:
            q_hys = q_hys + _integral(anode[n.hysteresis_heat(m)])
        if n.reversible_heat(m) in anode:
            q_rev = q_rev + _integral(anode[n.reversible_heat(m)])
    q_ohm = _integral(ohmic_heating(*electrolyte))
    for i_s, phi_s in solid:
        q_ohm = q_ohm + _integral(ohmic_heating(i_s, phi_s))
    out.update({
        "Ohmic heating [W]": A * q_ohm,
        "Irreversible electrochemical heating [W]": A * (q_rxn - q_hys),
        "Hysteresis electrochemical heating [W]": A * q_hys,
        "Reversible heating [W]": A * q_rev,
        "Total heating [W]": A * (q_ohm + q_rxn + q_rev),
    })
    return out


def lumped_balance(
    param: pybamm.LithiumIonParameters, T: pybamm.Variable, Q_W: pybamm.Symbol
) -> tuple[pybamm.Symbol, dict[str, pybamm.Symbol]]:
    """dT/dt of the lumped cell and its variables (PyBaMM's names).

    dT/dt = (Q − h A (T − T_amb)) / (ρc_p,eff V), as PyBaMM's ``thermal.Lumped`` with
    0D current collectors (the Joule heat of the collectors, which carry no potential
    drop in this model's voltage, is left out so that Q is the cell's electrical loss).

    Returns
    -------
    tuple
        The right-hand side [K s⁻¹] and the thermal variables.
    """
    y, z = pybamm.standard_spatial_vars.y, pybamm.standard_spatial_vars.z
    T_amb = param.T_amb(y, z, pybamm.t)
    V = param.V_cell
    rho_c_p = param.therm.rho_c_p_eff(T)
    Q_cool = -param.h_total * param.A_cooling * (T - T_amb)
    variables = {
        T_NAME: T,
        "Volume-averaged cell temperature [C]": T - 273.15,
        "Ambient temperature [K]": T_amb,
        "Volume-averaged ambient temperature [K]": T_amb,
        "Cell temperature [K]": pybamm.concatenation(
            *(pybamm.PrimaryBroadcast(T, d)
              for d in ("negative electrode", "separator", "positive electrode"))),
        "Surface total cooling [W]": Q_cool,
        "Surface total cooling [W.m-3]": Q_cool / V,
        "Volume-averaged total heating [W.m-3]": Q_W / V,
        "Volume-averaged effective heat capacity [J.K-1.m-3]": rho_c_p,
        "Cell thermal volume [m3]": V,
        "Cell heat capacity [J.K-1]": rho_c_p * V,
    }
    return (Q_W + Q_cool) / (rho_c_p * V), variables
