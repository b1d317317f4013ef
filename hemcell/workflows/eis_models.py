r"""Cell models for impedance spectra: Li‖Li in PyBaMM, Li‖LFP and the HEM anode with double layers.

**Li‖Li symmetric cell.** :mod:`hemcell.limetal.symmetric` evaluates the steady plateau
voltage of a Li‖Li cell term by term; its dynamic form, written here as a PyBaMM model
with the same parameters (:class:`hemcell.limetal.parameters.LiMetalParameters`), adds
the double layer and the film capacitance. Per unit Li area, with :math:`i = I/A`
(positive: Li stripped at the left electrode x = 0, plated at the right one x = L_s):

.. math::

    C_{dl}\,\dot\eta_k = i - j_k(\eta_k), \qquad
    j_k = 2\frac{i_0}{f}\sqrt{c_k/c_0}\,\sinh\frac{F\eta_k}{2RT}
    \quad (k = 1, 2;\ \text{Butler–Volmer, } \alpha_a=\alpha_c=\tfrac12)

    C_f\,\dot V_{f,k} = i - V_{f,k}\,\kappa_c/h \quad (\text{coating film } R\Vert C)

    \varepsilon\,\partial_t c = \partial_x(D_{eff}\,\partial_x c), \qquad
    -D_{eff}\,\partial_x c\big|_{0} = -D_{eff}\,\partial_x c\big|_{L_s} = (1-t_+)\,j_{1,2}/F

    V = -\Big[\eta_1 + \eta_2 + V_{f,1} + V_{f,2} + \frac{i L_s}{\kappa_{eff}}
            + 2(1-t_+)\frac{RT}{F}\ln\frac{c(0)}{c(L_s)}\Big]

(:math:`\eta_k` counted in the direction of the current at each electrode; separator
transport :math:`D_{eff} = D\varepsilon^{b}`, :math:`\kappa_{eff} = \kappa\varepsilon^{b}`;
binary electrolyte with thermodynamic factor 1, Newman & Thomas-Alyea, *Electrochemical
Systems*, ch. 11). The exchange current (from the measured resistance, cell-averaged:
no focusing factor, :mod:`hemcell.limetal.kinetics`) and its Arrhenius law are those of
the DC model, so at steady state and small current this model
gives exactly the slope of :func:`hemcell.limetal.symmetric.run_schedule`'s plateau
voltage (tested). PyBaMM's sign convention is kept: positive current lowers the voltage,
so :math:`Z = -\mathrm{d}V/\mathrm{d}I`.

**Li‖LFP.** The DFN of :func:`hemcell.limetal.halfcell.build_half_cell` with PyBaMM's
``"surface form": "differential"`` (double layer at the Li metal and on the LFP
particles), same parameter values.

**HEM anode half-cell.** :class:`hemcell.cell.model.HEMHalfCell` as built by
:func:`hemcell.workflows.anode.build_simulation`. Its Li counter electrode is a
quasi-static Butler–Volmer drop (no double layer); at the operating point its linearised
impedance is the real :math:`R_{Li} = \partial\eta_{Li}/\partial I`, and the missing
double layer is added in series: :math:`Z = Z_{model} - R_{Li} + R_{Li}/(1 + i\omega
R_{Li} C_{dl,Li} A)` (exact to first order, since the counter electrode only enters the
model through the boundary value of the electrolyte potential).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pybamm

from hemcell.errors import InputError
from hemcell.laws import (
    FARADAY_C_PER_MOL,
    GAS_CONSTANT_J_PER_MOL_K,
    butler_volmer_current_density,
)
from hemcell.limetal.parameters import LiMetalParameters, field_uses, li_electrode_uses
from hemcell.materials.lipf6_electrolyte import valoen_reimers_ratio
from hemcell.params.uses import ParameterUse

#: Input names shared by the models built here: the DC current, and a sine on top of it
#: (used by the time-domain cross-check and benchmark).
IN_CURRENT = "Current function [A]"
IN_SINE_AMPLITUDE = "Sine amplitude [A]"
IN_SINE_FREQUENCY = "Sine frequency [Hz]"
SINE_INPUTS = {IN_SINE_AMPLITUDE: 0.0, IN_SINE_FREQUENCY: 1.0}


def applied_current(t: Any) -> pybamm.Symbol:
    """Applied current [A]: the DC input plus an optional sine (inputs of the model)."""
    return pybamm.InputParameter(IN_CURRENT) + pybamm.InputParameter(IN_SINE_AMPLITUDE) * \
        pybamm.sin(2 * math.pi * pybamm.InputParameter(IN_SINE_FREQUENCY) * t)


@dataclass(frozen=True)
class SymmetricCellValues:
    """Everything the Li‖Li model needs at one temperature (SI).

    Attributes
    ----------
    params
        The Li-metal parameters (``temperature_K`` is the cell temperature).
    electrolyte_conductivity_S_per_m, electrolyte_diffusivity_m2_per_s
        Bulk electrolyte transport at that temperature.
    film_capacitance_F_per_m2
        Capacitance of the coating film (used only when it has a resistance).
    """

    params: LiMetalParameters
    electrolyte_conductivity_S_per_m: float
    electrolyte_diffusivity_m2_per_s: float
    film_capacitance_F_per_m2: float

    @property
    def temperature_K(self) -> float:
        """Cell temperature [K]."""
        return self.params.temperature_K

    @property
    def exchange_current_A_per_m2(self) -> float:
        """Cell-averaged Li exchange current ``i0(T)`` (the DC model's kinetics; the
        measured resistance it comes from already holds the current focusing)."""
        return self.params.exchange_current_A_per_m2

    @property
    def separator_conductance_S_per_m2(self) -> float:
        """``kappa eps^b / L_s``."""
        p = self.params
        return (self.electrolyte_conductivity_S_per_m * p.separator_porosity
                ** p.separator_bruggeman / p.separator_thickness_m)

    @property
    def effective_diffusivity_m2_per_s(self) -> float:
        """``D eps^b`` of the separator."""
        p = self.params
        return self.electrolyte_diffusivity_m2_per_s * p.separator_porosity ** p.separator_bruggeman


#: What the Li‖Li model reads besides the Li electrode (:func:`li_electrode_uses`): the
#: separator electrolyte and the double layer (:class:`SymmetricLiCell`). Not read: the
#: focusing factor (cell-averaged kinetics), the Li inventory, loss and dead-Li values of
#: the DC schedule.
SYMMETRIC_PARAMETERS: tuple[ParameterUse, ...] = field_uses(
    "electrolyte_concentration_mol_per_m3", "electrolyte_diffusivity_m2_per_s",
    "electrolyte_conductivity_S_per_m", "cation_transference_number", "separator_thickness_m",
    "separator_porosity", "separator_bruggeman", "li_electrode_area_m2",
    "li_double_layer_capacity_F_per_m2")


def model_parameter_uses(cell: str, anode: str) -> tuple[ParameterUse, ...]:
    """What the ``symmetric`` or ``li-lfp`` impedance model reads from the anode's set.

    ``li-lfp``: the DFN of :mod:`hemcell.limetal.halfcell` (its ``PARAMETERS``) at rest,
    where the cut-off voltages and the 1C current of its protocols are not read, plus the
    Li double layer of :func:`lfp_differential_simulation`.

    Raises
    ------
    InputError
        ``cell`` is not ``symmetric`` or ``li-lfp``.
    """
    from hemcell.limetal import halfcell

    if cell == "symmetric":
        model = SYMMETRIC_PARAMETERS
    elif cell == "li-lfp":
        protocol_only = {"cell_lower_cutoff_voltage", "cell_upper_cutoff_voltage",
                         "lfp_specific_current_1c"}
        model = (*(u for u in halfcell.PARAMETERS if u.key not in protocol_only),
                 *field_uses("li_double_layer_capacity_F_per_m2"))
    else:
        raise InputError("CELL", cell, "symmetric | li-lfp (the anode's inputs are its "
                         "recipe's)")
    return (*li_electrode_uses(anode), *model)


def symmetric_values(p: LiMetalParameters, temperature_K: float,
                     film_capacitance_F_per_m2: float) -> SymmetricCellValues:
    """The Li‖Li inputs at ``temperature_K``: Arrhenius i0 (in ``p``), Valøen–Reimers
    electrolyte transport scaled from the set's 298.15 K values."""
    k_ratio, d_ratio = valoen_reimers_ratio(temperature_K, p.electrolyte_concentration_mol_per_m3)
    return SymmetricCellValues(
        dataclasses.replace(p, temperature_K=temperature_K),
        p.electrolyte_conductivity_S_per_m * k_ratio,
        p.electrolyte_diffusivity_m2_per_s * d_ratio,
        film_capacitance_F_per_m2)


#: Output variables of the Li‖Li model, one per process; their sum is the cell voltage.
SYMMETRIC_PROCESSES = {
    "charge transfer + double layer": "Interface overpotentials [V]",
    "coating film": "Film potential drops [V]",
    "electrolyte (Ohmic)": "Electrolyte Ohmic drop [V]",
    "electrolyte (diffusion)": "Electrolyte diffusion potential [V]",
}


class SymmetricLiCell(pybamm.BaseModel):
    """Li‖Li symmetric cell with double layers, films and separator diffusion (module doc).

    Parameters
    ----------
    values
        :class:`SymmetricCellValues` at the cell temperature.
    """

    def __init__(self, values: SymmetricCellValues) -> None:
        super().__init__("Li||Li symmetric cell (impedance)")
        p = values.params
        T = values.temperature_K
        F, RT_F = FARADAY_C_PER_MOL, GAS_CONSTANT_J_PER_MOL_K * values.temperature_K / \
            FARADAY_C_PER_MOL
        area = p.li_electrode_area_m2
        c0 = p.electrolyte_concentration_mol_per_m3
        t_plus = p.cation_transference_number
        eps = p.separator_porosity
        D_eff = values.effective_diffusivity_m2_per_s
        i0 = values.exchange_current_A_per_m2
        C_dl = p.li_double_layer_capacity_F_per_m2
        r_film = p.film_resistance_ohm_m2

        I_app = applied_current(pybamm.t)
        i = I_app / area
        x = pybamm.SpatialVariable("x_s", domain="separator", coord_sys="cartesian")
        c = pybamm.Variable("Electrolyte concentration [mol.m-3]", domain="separator",
                            scale=c0)
        eta = [pybamm.Variable(f"{side} interface overpotential [V]")
               for side in ("Left", "Right")]
        c_wall = [pybamm.boundary_value(c, "left"), pybamm.boundary_value(c, "right")]
        # anodic Butler-Volmer current in the direction of each electrode's current
        j = [-butler_volmer_current_density(i0 * (cw / c0) ** 0.5, e, 0.5, 0.5, T, pybamm.exp)
             for e, cw in zip(eta, c_wall, strict=True)]
        for e, jk in zip(eta, j, strict=True):
            self.rhs[e] = (i - jk) / C_dl
            self.initial_conditions[e] = pybamm.Scalar(0)
        # salt released at the stripping electrode, removed at the plating one
        flux = [(1 - t_plus) * jk / F for jk in j]
        self.rhs[c] = pybamm.div(D_eff * pybamm.grad(c)) / eps
        self.boundary_conditions[c] = {
            "left": (-flux[0] / D_eff, "Neumann"),
            "right": (-flux[1] / D_eff, "Neumann"),
        }
        self.initial_conditions[c] = pybamm.Scalar(c0)
        film = pybamm.Scalar(0)
        if r_film > 0:
            for side in ("Left", "Right"):
                v_f = pybamm.Variable(f"{side} film potential drop [V]")
                self.rhs[v_f] = (i - v_f / r_film) / values.film_capacitance_F_per_m2
                self.initial_conditions[v_f] = pybamm.Scalar(0)
                film = film + v_f
        ohmic = i / values.separator_conductance_S_per_m2
        diffusion = 2 * (1 - t_plus) * RT_F * pybamm.log(c_wall[0] / c_wall[1])
        interfaces = eta[0] + eta[1]
        voltage = -(interfaces + film + ohmic + diffusion)
        self.variables = {
            "Time [s]": pybamm.t,
            "Current [A]": I_app,
            "Voltage [V]": voltage,
            "Electrolyte concentration [mol.m-3]": c,
            "Left interface overpotential [V]": eta[0],
            "Right interface overpotential [V]": eta[1],
            "Interface overpotentials [V]": -interfaces,
            "Film potential drops [V]": -film,
            "Electrolyte Ohmic drop [V]": -ohmic,
            "Electrolyte diffusion potential [V]": -diffusion,
            "x_s [m]": x,
        }
        self._geometry = {"separator": {x: {"min": pybamm.Scalar(0),
                                            "max": pybamm.Scalar(p.separator_thickness_m)}}}

    @property
    def default_geometry(self) -> dict:
        """The separator, 0 ≤ x ≤ L_s."""
        return self._geometry

    @property
    def default_submesh_types(self) -> dict:
        """Uniform (PyBaMM's finite volumes on its exponential submesh missed the
        finite-length diffusion impedance by up to 20 % near f = L^2/D, at any resolution)."""
        return {"separator": pybamm.Uniform1DSubMesh}

    @property
    def default_var_pts(self) -> dict:
        """Separator cells: 125 nm, the diffusion impedance to 1 % up to ~200 Hz."""
        return {"x_s": 200}

    @property
    def default_spatial_methods(self) -> dict:
        """Finite volumes."""
        return {"separator": pybamm.FiniteVolume()}

    @property
    def default_solver(self) -> pybamm.BaseSolver:
        """IDAKLU, tight tolerances."""
        return pybamm.IDAKLUSolver(rtol=1e-8, atol=1e-10)


def symmetric_simulation(values: SymmetricCellValues, var_pts: Mapping[str, int] | None = None
                         ) -> pybamm.Simulation:
    """A built-ready :class:`pybamm.Simulation` of :class:`SymmetricLiCell`."""
    model = SymmetricLiCell(values)
    pts = dict(model.default_var_pts)
    pts.update(var_pts or {})
    return pybamm.Simulation(model, var_pts=pts, parameter_values=pybamm.ParameterValues({}))


def symmetric_dc_resistance_ohm(values: SymmetricCellValues) -> dict[str, float]:
    """Zero-frequency resistance of each process of the Li‖Li cell [Ohm] (closed form).

    ``2RT/(F i0_eff A)``, ``2h/(kappa_c A)``, ``L_s/(kappa_eff A)`` and
    ``2 (1-t+)^2 RT L_s / (F^2 c0 D_eff A)``: the small-current slopes of the terms of
    :func:`hemcell.limetal.symmetric.run_schedule`.
    """
    p = values.params
    area = p.li_electrode_area_m2
    rt_f = GAS_CONSTANT_J_PER_MOL_K * values.temperature_K / FARADAY_C_PER_MOL
    t_plus = p.cation_transference_number
    return {
        "charge transfer + double layer": 2 * rt_f / (values.exchange_current_A_per_m2 * area),
        "coating film": 2 * p.film_resistance_ohm_m2 / area,
        "electrolyte (Ohmic)": 1 / (values.separator_conductance_S_per_m2 * area),
        "electrolyte (diffusion)": 2 * (1 - t_plus) ** 2 * rt_f * p.separator_thickness_m
        / (FARADAY_C_PER_MOL * p.electrolyte_concentration_mol_per_m3
           * values.effective_diffusivity_m2_per_s * area),
    }


def warburg_coefficient_ohm_s_half(values: SymmetricCellValues) -> float:
    r"""Semi-infinite Warburg coefficient of the separator diffusion [Ω s^-1/2].

    Linearising the diffusion potential and solving the antisymmetric diffusion problem
    gives :math:`Z_d A = \frac{4(1-t_+)^2RT}{F^2 c_0 D_{eff} k}\tanh(kL_s/2)`,
    :math:`k = \sqrt{i\omega\varepsilon/D_{eff}}`; for :math:`kL_s \gg 1` this is
    :math:`A_W(1-i)/\sqrt\omega` with
    :math:`A_W = \frac{4(1-t_+)^2RT}{\sqrt2\,F^2c_0\sqrt{\varepsilon D_{eff}}\,A}`
    (impedance.py's ``W`` element form).
    """
    p = values.params
    rt = GAS_CONSTANT_J_PER_MOL_K * values.temperature_K
    return (4 * (1 - p.cation_transference_number) ** 2 * rt
            / (math.sqrt(2) * FARADAY_C_PER_MOL ** 2 * p.electrolyte_concentration_mol_per_m3
               * math.sqrt(p.separator_porosity * values.effective_diffusivity_m2_per_s)
               * p.li_electrode_area_m2))


def diffusion_impedance_ohm(values: SymmetricCellValues, frequencies_Hz: np.ndarray
                            ) -> np.ndarray:
    """Finite-length diffusion impedance of the separator (docstring above) [Ohm]."""
    p = values.params
    w = 2 * np.pi * np.asarray(frequencies_Hz, dtype=float)
    d_eff = values.effective_diffusivity_m2_per_s
    k = np.sqrt(1j * w * p.separator_porosity / d_eff)
    rt = GAS_CONSTANT_J_PER_MOL_K * values.temperature_K
    pre = 4 * (1 - p.cation_transference_number) ** 2 * rt / (
        FARADAY_C_PER_MOL ** 2 * p.electrolyte_concentration_mol_per_m3 * d_eff
        * p.li_electrode_area_m2)
    return pre * np.tanh(k * p.separator_thickness_m / 2) / k


# ---------------------------------------------------------------------- Li||LFP
def lfp_differential_simulation(cell: Any) -> pybamm.Simulation:
    r"""The Li‖LFP DFN of ``cell`` (:class:`~hemcell.limetal.halfcell.LFPHalfCell`) with
    double layers (PyBaMM ``"surface form": "differential"``), same parameter values.

    The 1D model carries the current per cathode area :math:`A_c`; the DC model scales
    the Li exchange current by :math:`A_{Li}/A_c` for that, and the Li double layer
    (``li_double_layer_capacity`` of the set, per Li area) is scaled the same way, so
    the Li arc is :math:`R_{ct}\Vert C_{dl}A_{Li}` as in the Li‖Li model."""
    p = cell.params
    values = cell.simulation.parameter_values.copy()
    values.update({"Negative electrode double-layer capacity [F.m-2]":
                   p.li_double_layer_capacity_F_per_m2 * p.li_electrode_area_m2
                   / p.cathode_area_m2})
    model = pybamm.lithium_ion.DFN({"working electrode": "positive",
                                    "contact resistance": "true",
                                    "surface form": "differential"})
    return pybamm.Simulation(model, parameter_values=values,
                             var_pts=cell.simulation.var_pts,
                             solver=pybamm.IDAKLUSolver(rtol=1e-8, atol=1e-10))


def lfp_stoichiometry(charged_stoichiometry: float, soc: float) -> float:
    """LFP Li stoichiometry at a state of charge: ``1 - soc (1 - x_charged)``.

    SOC 1 is the set's charged state ``lfp_charged_stoichiometry``, SOC 0 the fully
    lithiated FePO4 → LiFePO4 end (x = 1), linear in between.
    """
    check_lfp_soc(soc)
    return 1.0 - soc * (1.0 - charged_stoichiometry)


def check_lfp_soc(soc: float, field: str = "--soc") -> None:
    """Refuse a Li‖LFP state of charge outside 0 <= soc <= 1 (0: LiFePO4)."""
    if not 0.0 <= soc <= 1.0:
        raise InputError(field, soc, "a state of charge 0 <= soc <= 1")


def check_state(lin_drift: float, scale: float, what: str) -> None:
    """Refuse an operating point that is far from steady (the linearisation needs one)."""
    if not math.isfinite(lin_drift) or lin_drift > scale:
        raise InputError("operating point", f"{what}: max |dy/dt| = {lin_drift:.3g}",
                         f"a rested state (max |dy/dt| <= {scale:g})",
                         hint="end the protocol with a rest step")


# ---------------------------------------------------------------------- cathode, full cell
#: Output names the impedance variant of the HEM full cell adds (:func:`add_cathode_double_layer`).
CATHODE_FARADAIC_CURRENT = "Cathode faradaic current [A]"
CATHODE_DOUBLE_LAYER_CURRENT = "Cathode double-layer current [A]"
CATHODE_DOUBLE_LAYER_POTENTIAL = "Cathode double-layer potential [V]"
CATHODE_MEAN_OVERPOTENTIAL = "X-averaged cathode reaction overpotential [V]"
CATHODE_MEAN_SURFACE_POTENTIAL = "X-averaged cathode surface potential difference [V]"


def cathode_half_cell_model(geometry: str) -> pybamm.BaseModel:
    """The cathode half cell of ``hemcell cell run`` (:mod:`hemcell.workflows.cathode_half_cell`:
    PyBaMM's DFN or SPM with ``"working electrode": "positive"``) with double layers on the
    cathode particles and at the metal counter electrode (``"surface form": "differential"``),
    as the Li‖LFP variant (:func:`lfp_differential_simulation`)."""
    from hemcell.workflows.cathode_half_cell import MODELS

    return getattr(pybamm.lithium_ion, MODELS[geometry])(
        {"working electrode": "positive", "surface form": "differential"})


def add_cathode_double_layer(model: Any, capacity_F_per_m2: float,
                             relaxation_time_s: float) -> None:
    r"""Give the cathode of a :class:`hemcell.cell.full_cell.HEMFullCell` a double layer,
    in place (the model's cathode reaction is quasi-static; its anode has one).

    The same element as the anode's (:mod:`hemcell.cell.model`): a capacitor behind a
    series RC time :math:`\tau`, on the particle surface :math:`a_p = 3\varepsilon_{s,p}/R_p`,

    .. math::

        a_p j_{dl} = a_p C_{dl} (\Delta\phi_p - u)/\tau, \qquad
        \dot u = (\Delta\phi_p - u)/\tau, \qquad \Delta\phi_p = \phi_{s,p} - \phi_{e,p},

    and :math:`a_p j_{dl}` joins the faradaic :math:`a_p j_p` wherever the model's charge
    and salt balances take the cathode's interfacial current (solid and electrolyte charge,
    electrolyte salt: as the anode's double layer does); the particle's flux stays
    faradaic. At rest :math:`u = \Delta\phi_p` and nothing else changes; for
    :math:`\tau \to 0` it is the ideal double layer :math:`a_p C_{dl}\,\partial_t\Delta\phi_p`.
    Adds the outputs :data:`CATHODE_FARADAIC_CURRENT` and
    :data:`CATHODE_DOUBLE_LAYER_CURRENT` (electrode totals [A], positive: cathodic,
    the sign of a discharge), :data:`CATHODE_MEAN_OVERPOTENTIAL` and
    :data:`CATHODE_MEAN_SURFACE_POTENTIAL` (the x-average of Δφ_p).
    """
    from hemcell.cell.mechanisms.base import param

    p, variables = model.param, model.variables
    equations = {k.name: (eqs, k) for eqs in (model.rhs, model.algebraic) for k in eqs}
    dphi = variables["Cathode solid potential [V]"] - variables["Cathode electrolyte potential [V]"]
    a_p = 3 * param("Positive electrode active material volume fraction") / p.p.prim.R_typ
    u = pybamm.Variable(CATHODE_DOUBLE_LAYER_POTENTIAL, domain="positive electrode")
    a_j_dl = a_p * capacity_F_per_m2 * (dphi - u) / relaxation_time_s
    model.rhs[u] = (dphi - u) / relaxation_time_s
    ic = [model.initial_conditions[equations[name][1]]
          for name in ("Cathode solid potential [V]", "Electrolyte potential [V]")]
    model.initial_conditions[u] = ic[0] - ic[1]

    def on_cathode(field: pybamm.Symbol) -> pybamm.Symbol:
        return pybamm.concatenation(pybamm.PrimaryBroadcast(0, "negative electrode"),
                                    pybamm.PrimaryBroadcast(0, "separator"), field)

    for name, term in (("Cathode solid potential [V]", p.L_x ** 2 * a_j_dl),
                       ("Electrolyte potential [V]", -p.L_x ** 2 * on_cathode(a_j_dl)),
                       ("Electrolyte concentration [mol.m-3]", on_cathode(
                           a_j_dl / (param("Positive electrode porosity") * p.F)))):
        eqs, key = equations[name]
        eqs[key] = eqs[key] + term
    a_j_f = variables["Positive electrode volumetric interfacial current density [A.m-3]"]
    variables[CATHODE_FARADAIC_CURRENT] = -pybamm.x_average(a_j_f) * p.p.L * p.A_cc
    variables[CATHODE_DOUBLE_LAYER_CURRENT] = -pybamm.x_average(a_j_dl) * p.p.L * p.A_cc
    variables[CATHODE_DOUBLE_LAYER_POTENTIAL] = u
    variables[CATHODE_MEAN_OVERPOTENTIAL] = pybamm.x_average(
        variables["Cathode reaction overpotential [V]"])
    variables[CATHODE_MEAN_SURFACE_POTENTIAL] = pybamm.x_average(dphi)


def charged_stoichiometry(pv: Any) -> float:
    """Cathode stoichiometry at which its open-circuit potential is the upper voltage
    cut-off of ``pv`` (the cathode's window: a cathode half cell's, a full cell's, which
    is the cathode's, :func:`hemcell.cell.full_cell.full_cell_cut_offs`), on a grid of
    10 001 stoichiometries (the OCP falls with it; linear interpolation between).

    Raises
    ------
    InputError
        The OCP does not reach the cut-off between stoichiometry 0 and 1.
    """
    theta = np.linspace(1e-4, 1 - 1e-4, 10_001)
    ocp = pv["Positive electrode OCP [V]"]
    u = np.ravel(pv.evaluate(ocp(pybamm.Vector(theta)))) if callable(ocp) else None
    upper = float(pv["Upper voltage cut-off [V]"])
    if u is None or not (u.min() <= upper <= u.max()):
        raise InputError("Upper voltage cut-off [V]", upper,
                         "a potential the cathode's OCP reaches between stoichiometry 0 and 1")
    order = np.argsort(u)
    return float(np.interp(upper, u[order], theta[order]))


#: Width of the cells at each face of the full cell's domains in its impedance model [m]
#: (:class:`FaceRefined1DSubMesh`; assumed: below the transfer length of the double
#: layers at their relaxation time τ, 13–14 nm in ``hem_full_cell_k_pba`` at τ = 1 ns, so
#: that the transfer layers are resolved at every frequency; 1 nm moves Re Z by < 1e-4).
FACE_CELL_WIDTH_M = 1e-8


class FaceRefined1DSubMesh(pybamm.SubMesh1D):
    r"""Uniform cells of the count asked for, the cell at each face split geometrically
    (ratio 2) down to ``face_cell_width_m``: widths :math:`h/2^k, h/2^k, h/2^{k-1}, \dots,
    h/2` from the face inward, summing to the uniform width :math:`h` (the other cells,
    and their centres, are those of the uniform mesh).

    Why: at a frequency above a porous electrode's double-layer frequencies the current
    passes between solid and electrolyte within the transfer length
    :math:`\lambda = \sqrt{\zeta/(r_e + r_s)}` of each face (ζ: the interface impedance
    per volume, :math:`r_e = 1/\kappa_{eff}`, :math:`r_s = 1/\sigma_{eff}`; tens of nm at
    1e7 Hz). Cells of µm carry it all in one phase over half a cell, and the finite
    volumes' arithmetic mean of κ ε^b at an electrode|separator face is wrong by half the
    adjacent cells: both errors are first order in the width of the cells at the faces
    (the full cell's high-frequency real part was 14 % above its continuum value at the
    recipe's 20/10/20 cells).

    Parameters
    ----------
    lims, npts
        As for :class:`pybamm.Uniform1DSubMesh` (``npts``: the uniform cells).
    face_cell_width_m
        Largest width of the cell at each face [m].
    """

    def __init__(self, lims: dict, npts: dict, face_cell_width_m: float = FACE_CELL_WIDTH_M
                 ) -> None:
        spatial_var, spatial_lims, tabs = self.read_lims(lims)
        a, b = float(spatial_lims["min"]), float(spatial_lims["max"])
        n = max(int(npts[spatial_var.name]), 2)  # one cell: two, each refined at its face
        h = (b - a) / n
        k = max(0, math.ceil(math.log2(h / face_cell_width_m)))
        face = h / 2.0 ** np.array([k, *range(k, 0, -1)])
        widths = np.concatenate([face, np.full(n - 2, h), face[::-1]])
        edges = a + np.concatenate([[0.0], np.cumsum(widths)])
        edges[-1] = b
        super().__init__(edges, coord_sys=spatial_var.coord_sys, tabs=tabs)


#: The full cell's through-cell domains on :class:`FaceRefined1DSubMesh` (its impedance
#: model and the charge that sets its ``--soc``).
FULL_CELL_SUBMESHES = {domain: pybamm.MeshGenerator(FaceRefined1DSubMesh)
                       for domain in ("negative electrode", "separator", "positive electrode")}
#: The anode half cell's through-cell domains (separator and anode; PyBaMM's half cell
#: names the working electrode "positive electrode") on :class:`FaceRefined1DSubMesh`
#: (its impedance model and the charge that sets its ``--soc``): ``hem_half_cell_p2d``,
#: rock-salt HEO, fresh, Re Z(1e7 Hz) 0.6714 Ω on the recipe's mesh, 0.6509 Ω refined,
#: against 0.6508 Ω of the transmission line of its parameter values
#: (``tests/eis/test_eis.py``).
HALF_CELL_SUBMESHES = {domain: FULL_CELL_SUBMESHES[domain]
                       for domain in ("separator", "positive electrode")}
