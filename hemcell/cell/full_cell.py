"""Full cell: the multi-mechanism HEM anode against an intercalation cathode (P2D).

The HEM anode sits in PyBaMM's "negative" domain with the same mechanism modules as
the half-cell (:mod:`hemcell.cell.mechanisms`); the cathode is a DFN intercalation
electrode with PyBaMM's published parameters:

- LFP: ``Prada2013`` (Prada et al., J. Electrochem. Soc. 160 (2013) A616);
- NMC811: ``Chen2020`` (Chen et al., J. Electrochem. Soc. 167 (2020) 080534);
- a cathode parameter set (``parameters/cathode_*.yaml``, e.g. the high-entropy Na-ion
  cathodes ``cathode_he_nvpf``, ``cathode_he_o3_fecontisnli``,
  ``cathode_hepba_femnnicuco``): its positive electrode from
  :mod:`hemcell.cell.cathodes`, in the electrolyte of its carrier ion
  (:mod:`hemcell.cell.electrolytes`) on the separator of that ion's PyBaMM cell.

Equations as in :mod:`hemcell.cell.model` on both electrodes plus the separator, with
PyBaMM's full-cell conventions: φ_s = 0 at the anode current collector, positive current
discharges the cell (delithiates the anode, lithiates the cathode). The anode is made
``n_p_ratio`` times the cathode's capacity (the first-lithiation capacity the active anode
mechanisms store at equilibrium above 0 V vs the carrier metal,
:func:`hemcell.cell.capacity.reachable_capacity`, over the cathode capacity from c_max),
starting pristine; the cathode starts lithiated (discharged cell), so the first step is a
charge.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pybamm

from hemcell.cell.analysis import (
    ANODE_MIN_POTENTIAL,
    ANODE_POTENTIAL,
    CATHODE_DENSITY,
    CATHODE_POTENTIAL,
)
from hemcell.cell.cathodes import is_cathode_set
from hemcell.cell.electrolytes import depletion_event
from hemcell.cell.inventory import Inventory
from hemcell.cell.mechanisms.base import ElectrodeContext, param
from hemcell.cell.model import HEMHalfCell
from hemcell.cell.options import CATHODES, HEMOptions
from hemcell.cell.thermal import (
    anode_thermal_values,
    cell_temperature,
    heat_sources,
    initial_cell_temperature,
    lumped_balance,
    require_thermal_values,
)
from hemcell.errors import InputError
from hemcell.idaklu import POTENTIAL_SCALE_V
from hemcell.laws import FARADAY_C_PER_MOL

__all__ = [
    "CATHODES", "HEMFullCell", "anode_sizing", "check_full_cell",
    "electrode_potential_variables", "full_cell_values",
]


class HEMFullCell(HEMHalfCell):
    """HEM anode (negative) vs an intercalation cathode (positive), P2D.

    Parameters
    ----------
    options
        PyBaMM-style options (:class:`hemcell.cell.options.HEMOptions`): the anode's
        ``"mechanisms"`` and elements as :class:`~hemcell.cell.model.HEMHalfCell`, and
        ``"cathode"`` (``"LFP"`` or ``"NMC811"``), which selects the default parameter
        values (the equations are the same for both).
    name
        Model name.
    """

    cell = "full"

    def __init__(self, options: dict[str, Any] | None = None, name: str | None = None) -> None:
        opts = options if isinstance(options, HEMOptions) else HEMOptions(options, self.cell)
        pybamm.lithium_ion.BaseModel.__init__(self, opts, name or "HEM anode full cell P2D")
        pybamm.citations.register("Marquis2019")
        self.ctx = ElectrodeContext("negative", False)
        self.mechanism_models = self._make_mechanisms()
        self._build_full()

    def _initial_potential(self) -> pybamm.Symbol:
        if "intercalation" in self.mechanisms:
            pp = self.param.n.prim
            c0 = param("Initial concentration in negative electrode [mol.m-3]")
            return pp.U(c0 / pp.c_max,
                        initial_cell_temperature(self.param, self.options["thermal"]))
        return param("Anode initial open-circuit potential [V]")

    def _build_full(self) -> None:
        p = self.param
        T = cell_temperature(p, self.options["thermal"])
        i_cell = p.current_density_with_time
        I_app = p.current_with_time
        Q = self._discharge_capacity(I_app)
        scale = p.c_e_init_av
        c_e_n = pybamm.Variable(
            "Anode electrolyte concentration [mol.m-3]", domain="negative electrode", scale=scale
        )
        c_e_s = pybamm.Variable(
            "Separator electrolyte concentration [mol.m-3]", domain="separator", scale=scale
        )
        c_e_p = pybamm.Variable(
            "Cathode electrolyte concentration [mol.m-3]", domain="positive electrode", scale=scale
        )
        c_e = pybamm.concatenation(c_e_n, c_e_s, c_e_p)
        U0 = self._initial_potential()
        # the potentials enter the solver as (φ − reference) / POTENTIAL_SCALE_V, as in the
        # half cell (hemcell.cell.model): IDA's floor on them is atol × 100 V, 1 µV at the
        # recipes' atol, not 10 nV on the anode's potentials near their zero (docs/cathodes.md
        # "Solver scale of the potentials")
        phi_e_n = pybamm.Variable(
            "Anode electrolyte potential [V]", domain="negative electrode", reference=-U0,
            scale=POTENTIAL_SCALE_V,
        )
        phi_e_s = pybamm.Variable(
            "Separator electrolyte potential [V]", domain="separator", reference=-U0,
            scale=POTENTIAL_SCALE_V,
        )
        phi_e_p = pybamm.Variable(
            "Cathode electrolyte potential [V]", domain="positive electrode", reference=-U0,
            scale=POTENTIAL_SCALE_V,
        )
        phi_e = pybamm.concatenation(phi_e_n, phi_e_s, phi_e_p)
        phi_s_n = pybamm.Variable("Anode solid potential [V]", domain="negative electrode",
                                  scale=POTENTIAL_SCALE_V)
        phi_s_p = pybamm.Variable("Cathode solid potential [V]", domain="positive electrode",
                                  scale=POTENTIAL_SCALE_V)
        u_dl = pybamm.Variable("Anode double-layer potential [V]", domain="negative electrode",
                               scale=POTENTIAL_SCALE_V)
        c_s_p = pybamm.Variable(
            "Cathode particle concentration [mol.m-3]",
            domain="positive particle",
            auxiliary_domains={"secondary": "positive electrode"},
            scale=p.p.prim.c_max,
        )

        eps_n = pybamm.PrimaryBroadcast(param("Negative electrode porosity"), "negative electrode")
        eps_s = pybamm.PrimaryBroadcast(param("Separator porosity"), "separator")
        eps_p = pybamm.PrimaryBroadcast(param("Positive electrode porosity"), "positive electrode")
        eps = pybamm.concatenation(eps_n, eps_s, eps_p)
        tor = pybamm.concatenation(eps_n**p.n.b_e, eps_s**p.s.b_e, eps_p**p.p.b_e)
        eps_act_n = param("Negative electrode active material volume fraction")
        eps_act_p = param("Positive electrode active material volume fraction")
        dphi_n = phi_s_n - phi_e_n
        variables, a_j_n = self._electrode_reactions(dphi_n, c_e_n, T, eps_act_n, u_dl, U0)

        # cathode: DFN intercalation (PyBaMM's parameters of the cathode set)
        pp = p.p.prim
        c_surf_p = pybamm.surf(c_s_p)
        sto_p = c_surf_p / pp.c_max
        U_p = pp.U(sto_p, T)
        j0_p = pp.j0(c_e_p, c_surf_p, T)
        eta_p = phi_s_p - phi_e_p - U_p
        j_p = 2 * j0_p * pybamm.sinh(pp.ne / 2 * p.F / (p.R * T) * eta_p)
        a_j_p = 3 * eps_act_p / pp.R_typ * j_p
        self.rhs[c_s_p] = -pybamm.div(-pp.D(c_s_p, T) * pybamm.grad(c_s_p))
        self.boundary_conditions[c_s_p] = {
            "left": (pybamm.Scalar(0), "Neumann"),
            "right": (-j_p / p.F / pybamm.surf(pp.D(c_s_p, T)), "Neumann"),
        }
        c_p0 = param("Initial concentration in positive electrode [mol.m-3]")
        self.initial_conditions[c_s_p] = c_p0
        a_j = pybamm.concatenation(a_j_n, pybamm.PrimaryBroadcast(0, "separator"), a_j_p)

        # solid phases
        sig_n = (
            p.n.sigma(pybamm.PrimaryBroadcast(0.5, "negative electrode"), T) * eps_act_n**p.n.b_s
        )
        sig_p = p.p.sigma(sto_p, T) * eps_act_p**p.p.b_s
        i_s_n = -sig_n * pybamm.grad(phi_s_n)
        i_s_p = -sig_p * pybamm.grad(phi_s_p)
        self.algebraic[phi_s_n] = p.L_x**2 * (pybamm.div(i_s_n) + a_j_n)
        self.algebraic[phi_s_p] = p.L_x**2 * (pybamm.div(i_s_p) + a_j_p)
        self.boundary_conditions[phi_s_n] = {
            "left": (pybamm.Scalar(0), "Dirichlet"),
            "right": (pybamm.Scalar(0), "Neumann"),
        }
        self.boundary_conditions[phi_s_p] = {
            "left": (pybamm.Scalar(0), "Neumann"),
            "right": (i_cell / pybamm.boundary_value(-sig_p, "right"), "Neumann"),
        }
        U_p0 = pp.U(c_p0 / pp.c_max, T)
        self.initial_conditions[phi_s_n] = pybamm.Scalar(0)
        self.initial_conditions[phi_s_p] = U_p0 - U0

        # electrolyte
        i_e = (p.kappa_e(c_e, T) * tor) * (
            p.chiRT_over_Fc(c_e, T) * pybamm.grad(c_e) - pybamm.grad(phi_e)
        )
        self.algebraic[phi_e] = p.L_x**2 * (pybamm.div(i_e) - a_j)
        self.boundary_conditions[phi_e] = {
            "left": (pybamm.Scalar(0), "Neumann"),
            "right": (pybamm.Scalar(0), "Neumann"),
        }
        self.initial_conditions[phi_e] = -U0
        N_e = -tor * p.D_e(c_e, T) * pybamm.grad(c_e) + p.t_plus(c_e, T) * i_e / p.F
        self.rhs[c_e] = (1 / eps) * (-pybamm.div(N_e) + a_j / p.F)
        self.boundary_conditions[c_e] = {
            "left": (pybamm.Scalar(0), "Neumann"),
            "right": (pybamm.Scalar(0), "Neumann"),
        }
        self.initial_conditions[c_e] = p.c_e_init
        self.events.append(
            depletion_event(pybamm.min(c_e))
        )

        voltage = pybamm.boundary_value(phi_s_p, "right")
        L_n = p.n.L
        variables.update(heat_sources(
            p, variables, self.mechanisms,
            cathode=(a_j_p, eta_p, a_j_p * T * pp.dUdT(sto_p)),
            solid=((i_s_n, phi_s_n), (i_s_p, phi_s_p)),
            electrolyte=(i_e, phi_e),
        ))
        if isinstance(T, pybamm.Variable):  # lumped
            self.rhs[T], thermal = lumped_balance(p, T, variables["Total heating [W]"])
            self.initial_conditions[T] = p.T_init
            variables.update(thermal)
        variables.update(
            {
                "Electrolyte concentration [mol.m-3]": c_e,
                "Electrolyte potential [V]": phi_e,
                "Anode solid potential [V]": phi_s_n,
                "Cathode solid potential [V]": phi_s_p,
                "Cathode particle concentration [mol.m-3]": c_s_p,
                "Cathode surface stoichiometry": sto_p,
                "Cathode average stoichiometry": pybamm.x_average(pybamm.r_average(c_s_p))
                / pp.c_max,
                "Cathode open-circuit potential [V]": U_p,
                "Cathode reaction overpotential [V]": eta_p,
                "Positive electrode volumetric interfacial current density [A.m-3]": a_j_p,
                "Positive electrode reaction overpotential [V]": eta_p,
                "Anode mean surface potential difference [V]": pybamm.x_average(dphi_n),
                # each electrode's Δφ = φ_s − φ_e: its potential vs a metal electrode of
                # the carrier ion in the electrolyte at the same x (φ_e is measured by
                # one, as in PyBaMM, whose plating model takes η = −Δφ); the anode's
                # minimum over its mesh points, where plating would start first
                **electrode_potential_variables(dphi_n, phi_s_p - phi_e_p),
                "Anode total volumetric current density [A.m-3]": a_j_n,
                "Anode electrolyte potential [V]": phi_e_n,
                "Cathode electrolyte potential [V]": phi_e_p,
                "Anode electrolyte concentration [mol.m-3]": c_e_n,
                "Cathode electrolyte concentration [mol.m-3]": c_e_p,
                # PyBaMM's names (anode = negative, cathode = positive), for QuickPlot
                "Negative electrode potential [V]": phi_s_n,
                "Positive electrode potential [V]": phi_s_p,
                "Negative electrolyte potential [V]": phi_e_n,
                "Separator electrolyte potential [V]": phi_e_s,
                "Positive electrolyte potential [V]": phi_e_p,
                "Negative electrolyte concentration [mol.m-3]": c_e_n,
                "Separator electrolyte concentration [mol.m-3]": c_e_s,
                "Positive electrolyte concentration [mol.m-3]": c_e_p,
                "Positive particle concentration [mol.m-3]": c_s_p,
                "Positive particle surface concentration [mol.m-3]": c_surf_p,
                "X-averaged positive particle surface concentration [mol.m-3]": pybamm.x_average(
                    c_surf_p
                ),
                "Positive electrode open-circuit potential [V]": U_p,
                "Total lithium in electrolyte [mol]": pybamm.Integral(
                    eps * c_e, pybamm.SpatialVariable("x", domain=c_e.domain)
                )
                * p.A_cc,
                "Total lithium in positive electrode [mol]": pybamm.x_average(
                    eps_act_p * pybamm.r_average(c_s_p)
                )
                * p.p.L
                * p.A_cc,
            }
        )
        # In the full cell, positive current delithiates the anode: the anode's lithiation
        # capacity is -Q. _finish measures "Anode specific capacity" from its argument.
        self._finish_full(variables, Q, I_app, voltage, L_n)

    def _finish_full(self, variables: dict, Q, I_app, voltage, L_n) -> None:
        integrate = lambda f: pybamm.x_average(f) * L_n  # noqa: E731
        # reuse the half-cell bookkeeping with the anode's thickness and the sign flipped
        self._anode_L = L_n
        self._finish(variables, -Q, -I_app, None, voltage, integrate)
        variables = self.variables
        variables["Discharge capacity [A.h]"] = Q
        variables["Current [A]"] = I_app
        variables["Current variable [A]"] = I_app
        variables["Cell specific capacity per anode mass [mA.h.g-1]"] = (
            Q * 1000 / variables["Anode active mass [g]"]
        )
        self.variables = variables

    def _anode_geometry(self) -> tuple[pybamm.Symbol, pybamm.Symbol]:
        return (param("Negative electrode active material volume fraction"), self.param.n.L)

    def _parameter_values_from(self, si: dict[str, Any]) -> pybamm.ParameterValues:
        """The option's cathode set with the anode of ``si``, sized by the N/P ratio of
        the shipped recipe of that cathode (``models/hem_full_cell_<cathode>.yaml``; a
        cathode parameter set: the recipe naming it, the anode for its carrier ion)."""
        from hemcell.params.yaml_io import safe_load_file
        from hemcell.resources import data_dir

        cathode = self.options["cathode"]
        # an imported partner takes the N/P ratio of the LFP recipe, a cathode set that of
        # the first shipped recipe naming it
        name = f"hem_full_cell_{cathode.lower() if cathode in CATHODES else 'lfp'}"
        if is_cathode_set(cathode):
            name = next((p.stem for p in sorted(data_dir("models").glob("hem_full_cell_*.yaml"))
                         if safe_load_file(p).get("cathode") == cathode), name)
        recipe = safe_load_file(data_dir("models") / f"{name}.yaml")
        if is_cathode_set(cathode):  # the anode's branches for the cathode's carrier
            from hemcell.cell.carriers import apply_carrier_ion
            from hemcell.cell.cathodes import cathode_carrier, cathode_set_si

            si = apply_carrier_ion(si, si.get("_carrier_ion")
                                   or cathode_carrier(cathode_set_si(cathode)))
            check_full_cell(cathode, si["_carrier_ion"])
        return full_cell_values(si, self.inventory, cathode, self.mechanisms,
                                float(recipe["n_p_ratio"]), self.options["thermal"])

    @property
    def default_quick_plot_variables(self) -> list[str]:
        """PyBaMM's full-cell defaults that this model has, then the anode's charge."""
        names = pybamm.lithium_ion.BaseModel.default_quick_plot_variables.fget(self)
        return [*[v for v in names if v in self.variables], "Anode total stored charge [A.h]"]


def electrode_potential_variables(dphi_n: pybamm.Symbol, dphi_p: pybamm.Symbol
                                  ) -> dict[str, pybamm.Symbol]:
    """A full cell's electrode potentials vs the carrier metal, from each electrode's
    Δφ = φ_s − φ_e [V].

    φ_e is the potential a metal electrode of the carrier ion (Li, Na, K) would show in
    the electrolyte at that point (the electrodes' open-circuit potentials are vs that
    metal and η = Δφ − U), so Δφ is the electrode's potential vs the metal in the same
    electrolyte at the local concentration; Δφ < 0 on the anode is where the metal would
    plate (PyBaMM's lithium-plating submodel drives plating with η = −Δφ). Returns the
    x-average of each electrode (:data:`ANODE_POTENTIAL`, :data:`CATHODE_POTENTIAL`), the
    anode's minimum over its mesh points (:data:`ANODE_MIN_POTENTIAL`; on charge the
    separator side) and PyBaMM's names of the same (for QuickPlot).
    """
    return {
        ANODE_POTENTIAL: pybamm.x_average(dphi_n),
        ANODE_MIN_POTENTIAL: pybamm.min(dphi_n),
        CATHODE_POTENTIAL: pybamm.x_average(dphi_p),
        "Negative electrode surface potential difference [V]": dphi_n,
        "Positive electrode surface potential difference [V]": dphi_p,
        "X-averaged negative electrode surface potential difference [V]":
            pybamm.x_average(dphi_n),
        "X-averaged positive electrode surface potential difference [V]":
            pybamm.x_average(dphi_p),
    }


def check_full_cell(cathode: str, ion: str, protocol: str | None = None) -> None:
    """Refuse a full cell whose cathode does not carry ``ion``, or (cathode sets) a
    protocol voltage above the set's window (:func:`hemcell.cell.cathodes.check_cathode_cell`).

    Raises
    ------
    InputError
        PyBaMM's cathodes and imported BPX partners with another ion than Li; a cathode
        set of another carrier; a voltage outside the set's window.
    """
    if is_cathode_set(cathode):
        from hemcell.cell.cathodes import cathode_set_si, check_cathode_cell

        check_cathode_cell(cathode, cathode_set_si(cathode), ion, protocol, full_cell=True)
        return
    if ion != "Li":
        raise InputError("--ion", ion, "Li for a full cell with LFP, NMC811 or an imported "
                         "BPX partner (Li hosts)",
                         hint=f"a {ion} full cell takes a cathode set, e.g. the recipe "
                         f"{_CATHODE_SET_RECIPE.get(ion, 'hem_full_cell_na_nvpf')}")
    from hemcell.cell.cathodes import protocol_voltages

    upper = None
    for v in protocol_voltages(protocol or ""):
        upper = upper if upper is not None else _upper_cut_off(cathode)
        if v > upper[0]:
            raise InputError("--protocol", f"{v:g} V", f"voltages up to {upper[0]:g} V, the "
                             f"upper voltage cut-off of the {cathode} cathode ({upper[1]})",
                             hint="the cell's voltage is the cathode's potential minus the "
                             "anode's (>= 0 V vs Li+/Li), so above it the cathode has left "
                             "the window of its source")


#: A shipped full-cell recipe of each carrier ion other than Li (a cathode set's).
_CATHODE_SET_RECIPE = {"Na": "hem_full_cell_na_nvpf", "K": "hem_full_cell_k_pba"}


def _upper_cut_off(cathode: str) -> tuple[float, str]:
    """The upper voltage cut-off [V] of a PyBaMM cathode or imported BPX partner, and
    where it comes from (the partner's own, else Xu2019's, as :func:`full_cell_values`)."""
    partner = cathode_partner(cathode)
    if partner is None:
        base = CATHODES[cathode][0]
        return float(pybamm.ParameterValues(base)["Upper voltage cut-off [V]"]), \
            f"PyBaMM's {base}"
    if "Upper voltage cut-off [V]" in partner:
        return float(partner["Upper voltage cut-off [V]"]), "the imported partner's"
    return float(pybamm.ParameterValues("Xu2019")["Upper voltage cut-off [V]"]), \
        "PyBaMM's Xu2019: the imported partner gives none"


def cathode_partner(cathode: str) -> dict[str, Any] | None:
    """PyBaMM values of an imported BPX partner (``hemcell params import`` YAML), or
    ``None`` for one of PyBaMM's cathodes (:data:`CATHODES`).

    Raises
    ------
    InputError
        Neither a cathode name nor a parameter-set YAML of kind ``bpx``.
    """
    if cathode in CATHODES:
        return None
    from pathlib import Path

    from hemcell.params.export import partner_from_parameter_set, pybamm_partner_values
    from hemcell.params.yaml_io import safe_load_file

    path = Path(str(cathode))
    data = safe_load_file(path) if path.suffix in (".yaml", ".yml") and path.is_file() else None
    if not isinstance(data, dict) or data.get("kind") != "bpx":
        # a path that names no file is told so (it read as a wrong kind of file)
        missing = (f"there is no file {path}" if path.suffix in (".yaml", ".yml")
                   and not path.is_file() else None)
        raise InputError("--cathode", cathode, f"{', '.join(CATHODES)} or a YAML file "
                         "written by `hemcell params import` (kind bpx)", hint=missing)
    return pybamm_partner_values(partner_from_parameter_set(data))


def full_cell_values(
    si: Mapping[str, Any],
    inventory: Inventory,
    cathode: str,
    mechanisms: Iterable[str],
    n_p_ratio: float,
    thermal: str = "isothermal",
) -> pybamm.ParameterValues:
    """Parameter values: the cathode's PyBaMM set with the HEM anode as negative electrode.

    The anode thickness is chosen so that the first-lithiation capacity its active
    mechanisms store at equilibrium above 0 V vs the carrier metal (:func:`anode_sizing`)
    is ``n_p_ratio`` times the cathode capacity: a charge that fills the cathode's
    capacity into the anode leaves it above the metal's plating potential. For Li that
    is its theoretical capacity; a Na or K anode's conversion branches lie below 0 V
    vs Na/K and do not count (docs/anode.md, full cells). The anode's
    density and specific heat replace the base set's negative electrode ones when the
    anode set gives them; ``thermal="lumped"`` requires them and the base set's thermal
    values (:func:`hemcell.cell.thermal.require_thermal_values`).

    Raises
    ------
    InputError
        ``thermal="lumped"`` with a set that misses thermal values (naming all).
    """
    from hemcell.cell.parameters import check_particle_fits, pybamm_values

    if is_cathode_set(cathode):
        base, pv = _cathode_set_values(cathode, si)
        sto0 = (pv["Initial concentration in positive electrode [mol.m-3]"]
                / pv["Maximum concentration in positive electrode [mol.m-3]"])
    elif (partner := cathode_partner(cathode)) is None:
        base, sto0 = CATHODES[cathode]
        pv = pybamm.ParameterValues(base)
        pv.update({CATHODE_DENSITY: pybamm_cathode_density(cathode, pv)},
                  check_already_exists=False)
    else:
        base = "Xu2019 with the imported partner"  # (Xu2019: the half-cells' base)
        pv = pybamm.ParameterValues("Xu2019")
        pv.update(partner, check_already_exists=False)
        sto0 = (partner["Initial concentration in positive electrode [mol.m-3]"]
                / partner["Maximum concentration in positive electrode [mol.m-3]"])
    cut_offs = full_cell_cut_offs(pv)
    mechanisms = tuple(mechanisms)
    half = pybamm_values(si, inventory, base="Xu2019", cell="full", mechanisms=mechanisms)
    anode = {}
    for k, v in half.items():
        if k.startswith("Anode ") or k.startswith("Positive") or "positive electrode" in k:
            anode[k] = v
    out = {}
    for k, v in anode.items():
        if k.startswith("Anode "):
            out[k] = v
        elif k.startswith("Positive electrode"):
            out["Negative electrode" + k[len("Positive electrode") :]] = v
        elif k.startswith("Positive particle"):
            out["Negative particle" + k[len("Positive particle") :]] = v
        elif "positive electrode" in k:
            out[k.replace("positive electrode", "negative electrode")] = v
    if "intercalation" not in mechanisms:  # the base set's (NMC) entry is not the anode's
        out["Negative electrode OCP entropic change [V.K-1]"] = 0.0
    if thermal == "lumped":
        require_thermal_values(si, pv, base)
    out.update(anode_thermal_values(si))  # the anode's (and a --set cooling), not the base set's
    for k in ("Ambient temperature [K]", "Initial temperature [K]", "Reference temperature [K]"):
        out[k] = half[k]  # the set's (isothermal) cell temperature and its rate constants' T_ref
    pv.update(out, check_already_exists=False)
    # cathode capacity per area and the anode thickness for the N/P ratio
    q_cath = (
        pv["Maximum concentration in positive electrode [mol.m-3]"]
        * FARADAY_C_PER_MOL
        * pv["Positive electrode active material volume fraction"]
        * pv["Positive electrode thickness [m]"]
    )  # C/m2
    sizing = anode_sizing(si, inventory, mechanisms, n_p_ratio)
    sized_on = sizing["sized_on_capacity_total_mAh_per_g"] * 3600  # C/kg
    if not sized_on > 0:  # no anode mass holds n_p_ratio x the cathode's capacity
        held = ", ".join(f"{m} {q:.3g}" for m, q in sizing["sized_on_capacity_mAh_per_g"].items())
        theo = ", ".join(f"{m} {q:.3g}" for m, q in
                         sizing["theoretical_capacity_mAh_per_g"].items())
        raise InputError(
            "--mechanisms", ",".join(mechanisms),
            f"mechanisms that store {si.get('_carrier_ion', 'Li')} in this anode above 0 V "
            f"vs {si.get('_carrier_ion', 'Li')}: they store {held} mAh/g there "
            f"(theoretical {theo}), so the anode the N/P ratio {n_p_ratio:g} sizes against "
            "the cathode would be infinitely thick",
            hint="add intercalation or conversion (`hemcell cell run ... --mechanisms "
            "intercalation,conversion`); `summary.json` theoretical_capacity_mAh_per_g of a "
            "half-cell run gives each mechanism's")
    m_area = n_p_ratio * q_cath / sized_on  # kg/m2 of anode active material
    L_n = m_area / (
        si["anode_active_material_density"]
        * pv["Negative electrode active material volume fraction"]
    )
    check_particle_fits(si["anode_particle_radius"], L_n,
                        f"the anode thickness the N/P ratio {n_p_ratio:g} sets against the "
                        "cathode's loading")
    pv.update(
        {
            "Negative electrode thickness [m]": L_n,
            "Initial concentration in positive electrode [mol.m-3]": sto0
            * pv["Maximum concentration in positive electrode [mol.m-3]"],
            "Lower voltage cut-off [V]": cut_offs[0],
            "Upper voltage cut-off [V]": cut_offs[1],
        },
        check_already_exists=False,
    )
    return pv


#: The potential vs the carrier metal [V] above which a full cell's anode is sized: the
#: metal's plating potential (below it a real cell plates Na/K/Li instead).
SIZING_POTENTIAL_V = 0.0


def anode_sizing(si: Mapping[str, Any], inventory: Inventory, mechanisms: Iterable[str],
                 n_p_ratio: float) -> dict[str, Any]:
    """The anode capacities a full cell is sized on, for ``summary.json`` and ``run.json``.

    ``sized_on_capacity_mAh_per_g``: per mechanism, the first-lithiation capacity stored
    at equilibrium above :data:`SIZING_POTENTIAL_V` vs the carrier metal
    (:func:`hemcell.cell.capacity.reachable_capacity`); the anode's mass is ``n_p_ratio``
    times the cathode's capacity over its total. ``theoretical_capacity_mAh_per_g``:
    :func:`hemcell.cell.capacity.theoretical_capacity`, the same for every mechanism
    above 0 V (Li), larger where a branch lies below it (Na, K conversion).
    """
    from hemcell.cell.capacity import reachable_capacity, theoretical_capacity

    mechanisms = list(mechanisms)
    theo = theoretical_capacity(si, inventory, mechanisms)
    held = reachable_capacity(si, inventory, mechanisms, SIZING_POTENTIAL_V)
    return {
        "n_p_ratio": n_p_ratio,
        "sizing_potential_V": SIZING_POTENTIAL_V,
        "sized_on_capacity_mAh_per_g": held,
        "sized_on_capacity_total_mAh_per_g": float(sum(held.values())),
        "theoretical_capacity_mAh_per_g": theo,
        "theoretical_capacity_total_mAh_per_g": float(sum(theo.values())),
    }


#: The formula unit of each of PyBaMM's cathodes, one Li site each (LFP: Prada2013's
#: LiFePO4; NMC811: Chen2020's LiNi0.8Mn0.1Co0.1O2), for their active-material density.
CATHODE_FORMULAS = {"LFP": "LiFePO4", "NMC811": "LiNi0.8Mn0.1Co0.1O2"}


def pybamm_cathode_density(cathode: str, pv: pybamm.ParameterValues) -> float:
    """Active-material density [kg m⁻³] of one of PyBaMM's cathodes, ρ = c_max M: the mass
    of the formula units whose Li sites the values hold (:data:`CATHODE_FORMULAS`, M from
    the elements' atomic masses), as a cathode set's c_max = ρ x_max / M read backwards
    (their values give no density of the active material: Chen2020's "Positive electrode
    density" is the coating's, for heat).

    Per gram of cathode is then F Δθ / (3.6 M) whatever c_max. Prada2013's c_max gives
    3.60 g cm⁻³ for LFP, the crystallographic density of olivine LiFePO4 (Z M / N_A V
    with Padhi et al., J. Electrochem. Soc. 144 (1997) 1188's cell); Chen2020's c_max, a
    fitted 63 104 mol m⁻³, gives 6.14 g cm⁻³ for NMC811, above the layered oxide's own
    density: the mass of the sites the model holds, not of a coating one could weigh
    (docs/cathodes.md, "Per gram of each electrode").
    """
    from hemcell.materials.elements import molar_mass_g_per_mol
    from hemcell.materials.formula import parse_formula

    molar_mass_kg = molar_mass_g_per_mol(parse_formula(CATHODE_FORMULAS[cathode]).amounts) / 1000
    return float(pv["Maximum concentration in positive electrode [mol.m-3]"]) * molar_mass_kg


def full_cell_cut_offs(pv: pybamm.ParameterValues) -> tuple[float, float]:
    """The full cell's voltage events (lower, upper) [V] from the cathode's window.

    Upper: the upper end of the cathode's window, "Upper voltage cut-off [V]" of its
    values (a cathode set's ``cathode_upper_cutoff_potential``; Prada2013's 3.6 V for LFP,
    Chen2020's 4.2 V for NMC811; an imported partner's, else Xu2019's 4.2 V). The cell's
    voltage is the cathode's potential minus the anode's, which stays ≥ 0 V vs the metal
    without plating, so a cell above it has its cathode above the window. Lower: 0 V, cell
    reversal (the anode's potential above the cathode's), a bound of the definition: a
    cell with a pristine anode starts at 0.7–1.7 V, and a cell voltage below the cathode's
    lower window end need not take the cathode there (the protocol is checked against
    the window's top only, :func:`check_full_cell`; the run reports the cathode's lowest
    potential and warns below the window).
    """
    return 0.0, float(pv["Upper voltage cut-off [V]"])


def _cathode_set_values(cathode: str, si: Mapping[str, Any]
                        ) -> tuple[str, pybamm.ParameterValues]:
    """Base values of a cathode-set full cell: the PyBaMM cell of the carrier's
    electrolyte (``carrier_ions.yaml``: separator, electrode area, electrolyte) with the
    ion's electrolyte and the set's positive electrode (:mod:`hemcell.cell.cathodes`)."""
    from hemcell.cell.cathodes import cathode_carrier, cathode_set_si, positive_electrode_values
    from hemcell.cell.electrolytes import carrier_ion_data, electrolyte_values

    cs = cathode_set_si(cathode)
    ion = cathode_carrier(cs)
    base = carrier_ion_data()["ions"][ion]["electrolyte"]["pybamm_set"]
    pv = pybamm.ParameterValues(base)
    if ion != "Li":
        pv.update(electrolyte_values(ion), check_already_exists=False)
    pv.update(positive_electrode_values(
        cs, pv["Initial concentration in electrolyte [mol.m-3]"], cathode),
        check_already_exists=False)
    pv.update({CATHODE_DENSITY: cs["cathode_active_material_density"]},
              check_already_exists=False)
    return base, pv
