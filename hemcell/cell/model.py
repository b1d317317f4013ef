"""The multi-mechanism HEM anode in PyBaMM's expression tree.

:class:`HEMHalfCell` is a P2D (DFN-type) half-cell of a porous high-entropy-material
anode against a Li metal counter electrode, written in the style of PyBaMM's
``BasicDFNHalfCell`` (electrolyte across separator and electrode, solid-phase
conduction, Li-metal Butler–Volmer counter electrode) but with the anode's
interfacial current being the *sum* of independent mechanism modules
(:mod:`hemcell.cell.mechanisms`), plus an always-present double layer. With the option
``"x-average": "true"`` it becomes the single-particle (SP) reduction for fast sweeps.

The models take PyBaMM-style ``options`` (:mod:`hemcell.cell.options`), ship a runnable
``default_parameter_values`` and expose PyBaMM's standard variable names next to
hemcell's "Anode …" ones, so they serialise (``model.save_model``), reload
(``pybamm.load_model``) and plot (``sim.plot()``) as PyBaMM's own models do.

Charge balance (docs/theory.md eq. 2.1), with Δφ = φ_s − φ_e:

    ∇·i_s + Σ_k a j_k + a j_dl = 0,     i_s = −σ_eff ∇φ_s
    ∇·i_e = Σ_k a j_k + a j_dl,         i_e = κ_eff (2RT(1−t₊)/F ∇ln c_e − ∇φ_e)
    ε ∂c_e/∂t = −∇·N_e + (Σ_k a j_k + a j_dl)/F
    a j_dl = a C_dl (Δφ − u)/τ_dl,  du/dt = (Δφ − u)/τ_dl   (double layer with an
                                                             interfacial RC time τ_dl)

The double layer keeps the problem well posed when no mechanism has a reversible
equilibrium potential (e.g. conversion alone, whose two branches freeze the phase
composition between U_lith and U_delith).

PyBaMM's half-cell convention is kept: the working (HEM) electrode is the "positive"
domain and positive current ("Discharge") lithiates it. Names users see say *anode*.
"""

from __future__ import annotations

from typing import Any

import pybamm

from hemcell.cell.compiled import CompilePlan, compile_function
from hemcell.cell.electrolytes import depletion_event
from hemcell.cell.inventory import Inventory, check_mechanisms
from hemcell.cell.mechanisms.alloying import Alloying
from hemcell.cell.mechanisms.base import AnodeNames, ElectrodeContext, param
from hemcell.cell.mechanisms.conversion import Conversion
from hemcell.cell.mechanisms.gel_sei import GelSEI
from hemcell.cell.mechanisms.intercalation import Intercalation
from hemcell.cell.mechanisms.irreversible import Irreversible
from hemcell.cell.mechanisms.space_charge import SpaceCharge
from hemcell.cell.metal_face import metal_face_concentration_gradient
from hemcell.cell.options import HEMOptions
from hemcell.cell.thermal import cell_temperature, initial_cell_temperature
from hemcell.errors import InputError
from hemcell.idaklu import POTENTIAL_SCALE_V, StateToleranceSolver

__all__ = ["HEMHalfCell", "Inventory", "check_mechanisms"]


class HEMHalfCell(pybamm.lithium_ion.BaseModel):
    """Multi-mechanism HEM anode vs Li metal (P2D, or SP with ``"x-average": "true"``).

    Used as PyBaMM's own models are::

        model = HEMHalfCell({"mechanisms": ("intercalation", "conversion")})
        sim = pybamm.Simulation(model, experiment=pybamm.Experiment(["Discharge at C/5 "
                                "until 0.01 V"]))   # C-rates refer to the anode capacity
        sim.solve(); sim.plot()

    Parameters
    ----------
    options
        PyBaMM-style options (:class:`hemcell.cell.options.HEMOptions`): ``"mechanisms"``,
        ``"convertible elements"``, ``"alloying elements"``, ``"space-charge elements"``,
        ``"x-average"`` (single-particle reduction: uniform reaction, electrolyte at its
        initial concentration, ohmic electrolyte and solid drops kept), ``"thermal"``.
    name
        Model name.
    """

    #: Which cell the options describe (``"half"``: PyBaMM's working electrode "positive").
    cell = "half"

    def __init__(self, options: dict[str, Any] | None = None, name: str | None = None) -> None:
        opts = options if isinstance(options, HEMOptions) else HEMOptions(options, self.cell)
        x_average = opts["x-average"] == "true"
        name = name or ("HEM anode half-cell SP" if x_average else "HEM anode half-cell P2D")
        super().__init__(opts, name)
        pybamm.citations.register("Marquis2019")
        self.ctx = ElectrodeContext("positive", x_average)
        self.mechanism_models = self._make_mechanisms()
        if x_average:
            self._build_sp()
        else:
            self._build_p2d()

    @property
    def options(self) -> HEMOptions:
        """The model's options (PyBaMM's plus hemcell's, validated)."""
        return self._options

    @options.setter
    def options(self, extra_options: dict[str, Any] | None) -> None:
        if not isinstance(extra_options, HEMOptions):
            extra_options = HEMOptions(extra_options, self.cell)
        pybamm.lithium_ion.BaseModel.options.fset(self, extra_options)

    @property
    def mechanisms(self) -> tuple[str, ...]:
        """Active mechanisms (option ``"mechanisms"``)."""
        return tuple(self.options["mechanisms"])

    @property
    def inventory(self) -> Inventory:
        """Elements per mechanism (the element options)."""
        return self.options.inventory

    @property
    def x_average(self) -> bool:
        """Single-particle reduction (option ``"x-average"``)."""
        return self.options["x-average"] == "true"

    # ------------------------------------------------------------------ mechanisms
    def _make_mechanisms(self) -> dict[str, pybamm.BaseSubModel]:
        inv, ctx = self.inventory, self.ctx
        conv = inv.conversion if "conversion" in self.mechanisms else ()
        out: dict[str, pybamm.BaseSubModel] = {}
        for m in self.mechanisms:
            if m == "intercalation":
                out[m] = Intercalation(ctx, self.param)
            elif m == "conversion":
                out[m] = Conversion(ctx, inv.conversion)
            elif m == "alloying":
                out[m] = Alloying(ctx, inv.alloying, converted=conv)
            elif m == "space_charge":
                out[m] = SpaceCharge(ctx, inv.space_charge, converted=conv)
            elif m == "irreversible":
                out[m] = Irreversible(ctx)
            elif m == "gel_sei":
                out[m] = GelSEI(ctx, converted=conv)
        return out

    def _assemble_mechanisms(self, shared: dict) -> dict:
        """Run PyBaMM's submodel hooks in order and merge the results into the model."""
        variables = dict(shared)
        subs = list(self.mechanism_models.values())
        for sm in subs:
            variables.update(sm.get_fundamental_variables())
        for sm in subs:
            variables.update(sm.get_coupled_variables(variables))
        for sm in subs:
            sm.set_rhs(variables)
            sm.set_algebraic(variables)
            sm.set_boundary_conditions(variables)
            sm.set_initial_conditions(variables)
            sm.add_events_from(variables)
            self.rhs.update(sm.rhs)
            self.algebraic.update(sm.algebraic)
            self.boundary_conditions.update(sm.boundary_conditions)
            self.initial_conditions.update(sm.initial_conditions)
            self.events += sm.events
        return variables

    def _electrode_reactions(
        self,
        dphi: pybamm.Symbol,
        c_e: pybamm.Symbol,
        T: pybamm.Symbol,
        eps_act: pybamm.Symbol,
        u_dl: pybamm.Variable,
        U0: pybamm.Symbol,
    ) -> tuple[dict, pybamm.Symbol]:
        """Every storage mechanism and the double layer at one local Δφ = φ_s − φ_e.

        The mechanisms share Δφ, the electrolyte concentration, the temperature and the
        active-material surface area a = 3 ε_act / R; the double layer relaxes as
        du_dl/dt = (Δφ − u_dl)/τ_dl with current a C_dl (Δφ − u_dl)/τ_dl. The total
        volumetric current Σ_k a j_k + a j_dl enters the electrode's charge balance
        (docs/theory.md eq. 2.1).

        Returns
        -------
        tuple
            The variables (mechanism and double-layer currents and stored charges) and
            the total volumetric current density [A m⁻³].
        """
        n = AnodeNames
        a_s = 3 * eps_act / self.ctx.particle_radius
        shared = {
            n.delta_phi: dphi,
            n.c_e: c_e,
            n.T: T,
            n.a_s: a_s,
            n.eps_s: eps_act,
            n.rho: param("Anode active material density [kg.m-3]"),
        }
        variables = self._assemble_mechanisms(shared)
        C_dl = param("Anode double-layer capacity [F.m-2]")
        tau_dl = param("Anode double-layer relaxation time [s]")
        a_j_dl = a_s * C_dl * (dphi - u_dl) / tau_dl
        self.rhs[u_dl] = (dphi - u_dl) / tau_dl
        self.initial_conditions[u_dl] = U0
        variables[n.vol_current("double_layer")] = a_j_dl
        # RC dissipation of the double layer, a j_dl (Δφ − u_dl) ≥ 0
        variables[n.reaction_heat("double_layer")] = a_j_dl * (dphi - u_dl)
        variables[n.stored_charge("double_layer")] = -a_s * C_dl * (u_dl - U0)
        a_j_total = a_j_dl
        for m in self.mechanisms:
            a_j_total = a_j_total + variables[n.vol_current(m)]
        return variables, a_j_total

    def _discharge_capacity(self, I_app: pybamm.Symbol) -> pybamm.Variable:
        """Charge passed since the start, dQ/dt = I/3600 [A.h] (PyBaMM's convention)."""
        Q = pybamm.Variable("Discharge capacity [A.h]")
        self.rhs[Q] = I_app / 3600
        self.initial_conditions[Q] = pybamm.Scalar(0)
        return Q

    def _initial_potential(self) -> pybamm.Symbol:
        """Initial Δφ: intercalation OCP at its initial stoichiometry, else a parameter."""
        if "intercalation" in self.mechanisms:
            pp = self.param.p.prim
            return pp.U(
                param("Initial concentration in positive electrode [mol.m-3]") / pp.c_max,
                initial_cell_temperature(self.param, "isothermal"),
            )
        return param("Anode initial open-circuit potential [V]")

    # ------------------------------------------------------------------ P2D
    def _build_p2d(self) -> None:
        p = self.param
        T = cell_temperature(p, "isothermal")
        i_cell = p.current_density_with_time
        I_app = p.current_with_time
        Q = self._discharge_capacity(I_app)

        c_e_s = pybamm.Variable(
            "Separator electrolyte concentration [mol.m-3]", domain="separator", scale=p.c_e_init_av
        )
        c_e_w = pybamm.Variable(
            "Anode electrolyte concentration [mol.m-3]",
            domain="positive electrode",
            scale=p.c_e_init_av,
        )
        c_e = pybamm.concatenation(c_e_s, c_e_w)
        phi_e_s = pybamm.Variable("Separator electrolyte potential [V]", domain="separator",
                                  scale=POTENTIAL_SCALE_V)
        phi_e_w = pybamm.Variable("Anode electrolyte potential [V]", domain="positive electrode",
                                  scale=POTENTIAL_SCALE_V)
        phi_e = pybamm.concatenation(phi_e_s, phi_e_w)
        phi_s = pybamm.Variable("Anode solid potential [V]", domain="positive electrode",
                                scale=POTENTIAL_SCALE_V)
        u_dl = pybamm.Variable("Anode double-layer potential [V]", domain="positive electrode",
                               scale=POTENTIAL_SCALE_V)

        eps_s_sep = pybamm.PrimaryBroadcast(param("Separator porosity"), "separator")
        eps_w = pybamm.PrimaryBroadcast(param("Positive electrode porosity"), "positive electrode")
        eps = pybamm.concatenation(eps_s_sep, eps_w)
        tor = pybamm.concatenation(eps_s_sep**p.s.b_e, eps_w**p.p.b_e)
        eps_act = param("Positive electrode active material volume fraction")
        dphi = phi_s - phi_e_w
        U0 = self._initial_potential()
        # all mechanisms + the double layer (always on) at the local Δφ
        variables, a_j_w = self._electrode_reactions(dphi, c_e_w, T, eps_act, u_dl, U0)
        a_j = pybamm.concatenation(pybamm.PrimaryBroadcast(0, "separator"), a_j_w)

        # solid
        sigma_eff = (
            p.p.sigma(pybamm.PrimaryBroadcast(0.5, "positive electrode"), T) * eps_act**p.p.b_s
        )
        i_s = -sigma_eff * pybamm.grad(phi_s)
        self.boundary_conditions[phi_s] = {
            "left": (pybamm.Scalar(0), "Neumann"),
            "right": (i_cell / pybamm.boundary_value(-sigma_eff, "right"), "Neumann"),
        }
        self.algebraic[phi_s] = p.L_x**2 * (pybamm.div(i_s) + a_j_w)
        self.initial_conditions[phi_s] = U0

        # electrolyte current
        i_e = (p.kappa_e(c_e, T) * tor) * (
            p.chiRT_over_Fc(c_e, T) * pybamm.grad(c_e) - pybamm.grad(phi_e)
        )
        self.algebraic[phi_e] = p.L_x**2 * (pybamm.div(i_e) - a_j)

        # electrolyte concentration
        N_e = -tor * p.D_e(c_e, T) * pybamm.grad(c_e) + p.t_plus(c_e, T) * i_e / p.F
        self.rhs[c_e] = (1 / eps) * (-pybamm.div(N_e) + a_j / p.F)
        # the metal surface (x = 0) passes the cell current as Li+ only, N_e(0) = i/F, its
        # diffusive part (1 - t+) i/F exactly on the finite volumes (hemcell.cell.metal_face;
        # extrapolating 1/(tor D_e) instead, as PyBaMM's half cells do, lost 39 % of the
        # electrolyte's salt in a 2 A/g lithiation at 273.15 K, mep_ingesip3, 20 separator
        # cells)
        dce_dx_metal = metal_face_concentration_gradient(p.t_plus(c_e, T), tor * p.D_e(c_e, T),
                                                         i_cell, p.F)
        self.boundary_conditions[c_e] = {
            "left": (dce_dx_metal, "Neumann"),
            "right": (pybamm.Scalar(0), "Neumann"),
        }
        self.initial_conditions[c_e] = p.c_e_init
        # the electrolyte at the Li metal surface (x = 0), which the counter electrode's
        # kinetics read: extrapolated from the nodes, it runs out before the first node
        # does when a charge plates Li faster than the separator resupplies it (Sand's
        # time; a 2 A/g charge at 273 K), so the cut-off watches it too (else the
        # solver fails with j0_Li -> 0 while every node still holds electrolyte)
        c_e_Li = pybamm.boundary_value(c_e, "left")
        self.events.append(
            depletion_event(pybamm.minimum(pybamm.min(c_e), c_e_Li))
        )

        # Li metal counter electrode: Butler-Volmer with c_Li = 1/V_Li (as PyBaMM's DFN half-cell;
        # BasicDFNHalfCell passes the working electrode's c_max instead)
        RT_F = p.R * T / p.F
        j_Li = p.j0_Li_metal(c_e_Li, 1 / p.V_bar_Li, T)
        eta_Li = 2 * RT_F * pybamm.arcsinh(i_cell / (2 * j_Li))
        delta_phis_Li = p.n.L * i_cell / p.n.sigma(None, T)
        ref_potential = -delta_phis_Li - eta_Li
        self.boundary_conditions[phi_e] = {
            "left": (ref_potential, "Dirichlet"),
            "right": (pybamm.Scalar(0), "Neumann"),
        }
        self.initial_conditions[phi_e] = pybamm.Scalar(0)

        voltage = pybamm.boundary_value(phi_s, "right")
        L_w = p.p.L
        integrate = lambda f: pybamm.x_average(f) * L_w  # noqa: E731 - tiny local helper
        variables.update(
            {
                "Electrolyte concentration [mol.m-3]": c_e,
                "Electrolyte potential [V]": phi_e,
                "Anode solid potential [V]": phi_s,
                "Anode electrolyte potential [V]": phi_e_w,
                "Anode electrolyte concentration [mol.m-3]": c_e_w,
                "Anode double-layer potential [V]": u_dl,
                "Anode total volumetric current density [A.m-3]": a_j_w,
                "Lithium counter electrode exchange current density [A.m-2]": j_Li,
                "Lithium counter electrode reaction overpotential [V]": eta_Li,
                "Anode mean surface potential difference [V]": pybamm.x_average(dphi),
                # PyBaMM's names of the working electrode and electrolyte
                # (as lithium_ion.BasicDFNHalfCell), for QuickPlot and user scripts
                "Positive electrode potential [V]": phi_s,
                "Positive electrolyte potential [V]": phi_e_w,
                "Separator electrolyte potential [V]": phi_e_s,
                "Positive electrolyte concentration [mol.m-3]": c_e_w,
                "Separator electrolyte concentration [mol.m-3]": c_e_s,
                "Negative electrode exchange current density [A.m-2]": j_Li,
                "Negative electrode reaction overpotential [V]": eta_Li,
                "Negative electrode potential drop [V]": delta_phis_Li,
                "Total lithium in electrolyte [mol]": pybamm.Integral(
                    eps * c_e, pybamm.SpatialVariable("x", domain=c_e.domain)
                )
                * p.A_cc,
            }
        )
        self._finish(variables, Q, I_app, i_cell, voltage, integrate)

    # ------------------------------------------------------------------ SP
    def _build_sp(self) -> None:
        p, n = self.param, AnodeNames
        T = cell_temperature(p, "isothermal")
        i_cell = p.current_density_with_time
        I_app = p.current_with_time
        Q = self._discharge_capacity(I_app)

        dphi = pybamm.Variable(n.delta_phi, domain="current collector", scale=POTENTIAL_SCALE_V)
        u_dl = pybamm.Variable(
            "X-averaged anode double-layer potential [V]", domain="current collector",
            scale=POTENTIAL_SCALE_V,
        )
        c_e0 = p.c_e_init_av
        eps_act = param("Positive electrode active material volume fraction")
        U0 = self._initial_potential()
        c_e_x = pybamm.PrimaryBroadcast(c_e0, "current collector")
        variables, a_j_w = self._electrode_reactions(dphi, c_e_x, T, eps_act, u_dl, U0)
        L_w = p.p.L
        # uniform reaction: the electrode-integrated current equals the applied one
        self.algebraic[dphi] = a_j_w * L_w + i_cell
        self.initial_conditions[dphi] = U0

        # ohmic drops (electrolyte at its initial concentration, solid) and Li metal
        kappa = p.kappa_e(c_e0, T)
        kappa_sep = kappa * param("Separator porosity") ** p.s.b_e
        kappa_w = kappa * param("Positive electrode porosity") ** p.p.b_e
        sigma_eff = p.p.sigma(pybamm.Scalar(0.5), T) * eps_act**p.p.b_s
        RT_F = p.R * T / p.F
        j_Li = p.j0_Li_metal(c_e0, 1 / p.V_bar_Li, T)
        eta_Li = 2 * RT_F * pybamm.arcsinh(i_cell / (2 * j_Li))
        delta_phis_Li = p.n.L * i_cell / p.n.sigma(None, T)
        (phi_e_s, phi_e_w), phi_s, voltage = self._sp_potentials(
            dphi, -eta_Li - delta_phis_Li, i_cell, kappa_sep, kappa_w, sigma_eff
        )
        # the cell's voltage is one number, not a field on the (zero-dimensional) current
        # collector: PyBaMM's unified experiment model selects among the steps' cut-off
        # expressions, which must all have the shape of a scalar
        voltage = pybamm.yz_average(voltage)
        c_e_s = pybamm.PrimaryBroadcast(c_e0, "separator")
        c_e_w = pybamm.PrimaryBroadcast(c_e0, "positive electrode")
        variables.update(
            {
                "Anode mean surface potential difference [V]": dphi,
                "Anode total volumetric current density [A.m-3]": a_j_w,
                "Lithium counter electrode reaction overpotential [V]": eta_Li,
                # PyBaMM's names (as lithium_ion.BasicDFNHalfCell), for QuickPlot
                "Electrolyte concentration [mol.m-3]": pybamm.concatenation(c_e_s, c_e_w),
                "Separator electrolyte concentration [mol.m-3]": c_e_s,
                "Positive electrolyte concentration [mol.m-3]": c_e_w,
                "Electrolyte potential [V]": pybamm.concatenation(phi_e_s, phi_e_w),
                "Separator electrolyte potential [V]": phi_e_s,
                "Positive electrolyte potential [V]": phi_e_w,
                "Positive electrode potential [V]": phi_s,
                "Negative electrode exchange current density [A.m-2]": j_Li,
                "Negative electrode reaction overpotential [V]": eta_Li,
                "Negative electrode potential drop [V]": delta_phis_Li,
            }
        )
        integrate = lambda f: f * L_w  # noqa: E731
        self._finish(variables, Q, I_app, i_cell, voltage, integrate)

    def _sp_potentials(self, dphi, phi_e_ref, i_cell, kappa_sep, kappa_w, sigma_w):
        """Electrolyte and solid potentials of the single-particle reduction.

        With a uniform reaction a j = −i/L across the electrode (ξ from the separator,
        0 ≤ ξ ≤ L), the electrolyte carries i_e = i (1 − ξ/L) and the solid i_s = i ξ/L,
        so (Ohm's law in each phase, electrolyte at its initial concentration)

            φ_e = φ_ref − i x_sep/κ_sep                        (separator)
            φ_e = φ_e(L_sep) − (i/κ_w)(ξ − ξ²/2L)              (electrode)
            φ_s = V + (i/σ_w)(L² − ξ²)/2L

        and the mean Δφ over the electrode (the state of the reduction) fixes the
        voltage: V = Δφ + φ_ref − i (L_sep/κ_sep + L/3κ_w + L/3σ_w).

        Returns
        -------
        tuple
            (φ_e in the separator, φ_e in the electrode), φ_s in the electrode, and the
            voltage [V].
        """
        p = self.param
        L_sep, L_w = p.s.L, p.p.L
        x = pybamm.standard_spatial_vars
        x_sep = x.x_s - p.n.L
        xi = x.x_p - p.n.L - L_sep
        voltage = dphi + phi_e_ref - i_cell * (
            L_sep / kappa_sep + L_w / (3 * kappa_w) + L_w / (3 * sigma_w)
        )
        phi_e_sep = phi_e_ref - i_cell * x_sep / kappa_sep
        phi_e_w = phi_e_ref - i_cell * L_sep / kappa_sep - i_cell / kappa_w * (
            xi - xi**2 / (2 * L_w)
        )
        phi_s = voltage + i_cell / sigma_w * (L_w**2 - xi**2) / (2 * L_w)
        return (phi_e_sep, phi_e_w), phi_s, voltage

    # ------------------------------------------------------------------ outputs
    def _finish(self, variables: dict, Q, I_app, i_cell, voltage, integrate) -> None:
        p, n = self.param, AnodeNames
        A = p.A_cc
        eps_act, L_anode = self._anode_geometry()
        rho = param("Anode active material density [kg.m-3]")
        mass_g = rho * eps_act * L_anode * A * 1000  # active mass [g]
        num_cells = param("Number of cells connected in series to make a battery")
        total_charge = 0
        strain = 0
        for m in (*self.mechanisms, "double_layer"):
            qm = integrate(variables[n.stored_charge(m)]) * A / 3600  # [A.h]
            im = integrate(variables[n.vol_current(m)]) * A  # [A]
            key = m.replace("_", "-")
            variables[f"Anode {key} charge [A.h]"] = qm
            variables[f"Anode {key} specific capacity [mA.h.g-1]"] = qm * 1000 / mass_g
            variables[f"Anode {key} current [A]"] = im
            total_charge = total_charge + qm
            if n.strain(m) in variables:
                s_m = variables[n.strain(m)]
                strain = strain + (s_m if self.x_average else pybamm.x_average(s_m))
        strain_particle = pybamm.Scalar(0) + strain
        spin_key = "Anode space-charge spin-weighted density [C.m-3]"
        if spin_key in variables:
            q_spin = integrate(variables[spin_key]) * A / 3600 * 1000 / mass_g  # [mA.h.g-1]
        else:
            q_spin = pybamm.Scalar(0)
        # seed 000 eqn (5): dM = 3.6 Q_s P mu_B / e, Q in mAh/g -> emu/g; magnetisation
        # falls while the interfaces charge (seed 000 L471-472), hence the minus sign.
        mu_B_emu, e_C = 9.2740100783e-21, 1.602176634e-19
        variables["Anode space-charge spin-weighted capacity [mA.h.g-1]"] = q_spin
        variables["Anode magnetisation change [emu.g-1]"] = -3.6 * q_spin * mu_B_emu / e_C
        variables.update(
            {
                "Time [s]": pybamm.t,
                "Time [h]": pybamm.t / 3600,
                "Discharge capacity [A.h]": Q,
                "Current [A]": I_app,
                "Current variable [A]": I_app,
                "Current density [A.m-2]": I_app / A,
                "Voltage [V]": voltage,
                "Voltage expression [V]": voltage,
                "Battery voltage [V]": voltage * num_cells,
                "Terminal voltage [V]": voltage,
                "Anode active mass [g]": mass_g,
                "Anode specific current [A.g-1]": I_app / mass_g,
                "Anode specific capacity [mA.h.g-1]": Q * 1000 / mass_g,
                "Anode total stored charge [A.h]": total_charge,
                # charge passed into the anode (positive = lithiation), = Σ stored charges
                "Anode charge passed [A.h]": Q,
                "Anode particle volumetric strain": strain_particle,
                "Anode electrode volumetric strain": eps_act * strain_particle,
            }
        )
        self._standard_particle_variables(variables)
        self.variables = {**self.variables, **variables}
        self.events += [
            pybamm.Event("Minimum voltage [V]", voltage - p.voltage_low_cut),
            pybamm.Event("Maximum voltage [V]", p.voltage_high_cut - voltage),
        ]

    def _standard_particle_variables(self, variables: dict) -> None:
        """PyBaMM's particle names for the anode's intercalation particles, if any.

        In the single-particle reduction the x-averaged particle is broadcast across the
        electrode, as PyBaMM's SPM does, so that plots of both geometries look alike.
        """
        key = "Anode intercalation particle concentration [mol.m-3]"
        if key not in variables:
            return
        d = self.ctx.domain
        c_s = variables[key]
        c_surf = pybamm.surf(c_s)
        U = variables["Anode intercalation open-circuit potential [V]"]
        if self.x_average:
            c_s_x = pybamm.SecondaryBroadcast(c_s, f"{d} electrode")
            c_surf_x = pybamm.PrimaryBroadcast(c_surf, f"{d} electrode")
            c_surf_av, U_x = c_surf, pybamm.PrimaryBroadcast(U, f"{d} electrode")
        else:
            c_s_x, c_surf_x, U_x = c_s, c_surf, U
            c_surf_av = pybamm.x_average(c_surf)
        variables.update(
            {
                f"{d.capitalize()} particle concentration [mol.m-3]": c_s_x,
                f"{d.capitalize()} particle surface concentration [mol.m-3]": c_surf_x,
                f"X-averaged {d} particle surface concentration [mol.m-3]": c_surf_av,
                f"{d.capitalize()} electrode open-circuit potential [V]": U_x,
            }
        )

    def _anode_geometry(self) -> tuple[pybamm.Symbol, pybamm.Symbol]:
        """(active material volume fraction, thickness) of the anode."""
        return (param("Positive electrode active material volume fraction"), self.param.p.L)

    @property
    def default_parameter_values(self) -> pybamm.ParameterValues:
        """The rock-salt HEO set (:data:`~hemcell.cell.options.DEFAULT_PARAMETER_SET`).

        Complete and runnable: PyBaMM's base set of the parameter file (separator,
        electrolyte, Li-metal counter electrode) plus the anode's values, with
        "Nominal cell capacity [A.h]" the anode's theoretical first-lithiation capacity of
        the model's mechanisms (:func:`hemcell.cell.capacity.nominal_capacity_Ah`), so
        that C-rates refer to the anode, and "Current function [A]" the 1C current of
        that capacity (PyBaMM's sets ship their 1C current).
        """
        from hemcell.cell.options import DEFAULT_PARAMETER_SET
        from hemcell.cell.parameters import load_si

        return self.parameter_values_for(load_si(DEFAULT_PARAMETER_SET)[0])

    def parameter_values_for(self, si: dict[str, Any]) -> pybamm.ParameterValues:
        """Complete PyBaMM values of an anode set (``load_si(...)[0]``) for this model,
        rated as :attr:`default_parameter_values` describes."""
        from hemcell.cell.capacity import rate_cell, theoretical_capacity

        self._check_set_elements(si)
        pv = self._parameter_values_from(si)
        rate_cell(pv, self.cell, sum(theoretical_capacity(si, self.inventory,
                                                          self.mechanisms).values()))
        return pv

    def _check_set_elements(self, si: dict[str, Any]) -> None:
        """Refuse a set that holds no capacity for an element the model's mechanisms
        carry (the element's capacity would divide the extent by zero inside PyBaMM).

        Raises
        ------
        InputError
            Naming the elements and the options that build the model for the set.
        """
        from hemcell.cell.options import model_options
        from hemcell.cell.parameters import inventory_from_si

        own, inv, mechs = inventory_from_si(si), self.inventory, self.mechanisms
        lacking = {
            "conversion": [e for e in inv.conversion if e not in own.conversion],
            "alloying": [e for e in inv.alloying if e not in own.alloying],
            "space_charge": [e for e in inv.space_charge if e not in own.space_charge],
        }
        lacking = {m: els for m, els in lacking.items() if els and m in mechs}
        if not lacking:
            return
        have = {"conversion": own.conversion, "alloying": own.alloying,
                "space_charge": own.space_charge}
        options = model_options([m for m in mechs if m not in have or have[m]], own,
                                x_average=self.x_average)
        raise InputError(
            "parameter set", "; ".join(f"no {m} capacity for {', '.join(els)}"
                                       for m, els in lacking.items()),
            "a set with capacity for every element of the model's mechanisms",
            hint=f"the model's elements are not the set's: build it for the set, "
            f"{type(self).__name__}({options}) "
            "(hemcell.cell.options.model_options(mechanisms, "
            "hemcell.cell.parameters.inventory_from_si(si)))")

    def _parameter_values_from(self, si: dict[str, Any]) -> pybamm.ParameterValues:
        """PyBaMM values of a hemcell anode set for this model (half-cell)."""
        from hemcell.cell.parameters import pybamm_values

        return pybamm_values(si, self.inventory)

    @property
    def default_quick_plot_variables(self) -> list[str]:
        """PyBaMM's half-cell defaults that this model has (no particle without
        intercalation), then the anode's charge per mechanism."""
        names = [v for v in super().default_quick_plot_variables if v in self.variables]
        return [*names, "Anode total stored charge [A.h]"]

    @property
    def default_solver(self) -> pybamm.BaseSolver:
        """IDAKLU with the recipes' tolerances, rtol 1e-6 and atol 1e-8
        (:class:`hemcell.idaklu.StateToleranceSolver`; charge balance checked to
        1e-3)."""
        return StateToleranceSolver(rtol=1e-6, atol=1e-8)

    #: Which of the solver's residual and Jacobian run compiled to C
    #: (:class:`hemcell.cell.compiled.CompilePlan`, decided per function at the solver's
    #: set-up: the re-solves its caller expects repay the function's gcc time, or its
    #: library is already in the on-disk cache; ``None``: both in CasADi's virtual
    #: machine). Compiled by :func:`hemcell.cell.compiled.compile_function` (gcc
    #: -march=native, cached on disk per build target, uncompiled with one warning
    #: without a compiler): the same values to round-off (the same operations in the same
    #: order, the powers x^(−1/3) within 2-3 ulp: :data:`hemcell.cell.compiled.
    #: FAST_POWERS_C`); a re-solve of the four-mechanism P2D anode about 1.8x faster with
    #: the residual compiled (bench cycle 0.22-0.29 -> 0.12-0.15 s CPU, about 2 s of gcc
    #: the first time a model structure and parameter set is solved on a machine), 14 %
    #: more with the Jacobian (about 8 s more of gcc) (docs/anode.md "Numerics"). Set before
    #: the first solve (``build_simulation``; a recipe asks for the residual with
    #: ``compiled: true``).
    compiled_functions: CompilePlan | None = None

    @property
    def rhs_algebraic_eval(self) -> Any:
        """The residual F(t, y, p) the solver evaluates, on CasADi's scalar graph.

        PyBaMM's solver set-up stores the residual here as a function of CasADi's matrix
        graph (MX: one virtual-machine instruction per vector operation, each running its
        own loop over the nodes); the model keeps it expanded to scalar operations (SX,
        :func:`scalar_function`), as its Jacobian (:meth:`build_casadi_jacobian`). The same
        operations on the same numbers: the residual equals PyBaMM's to round-off
        (reordered sums: ≤ 6 × 10⁻¹³ of its largest entry on the benchmark cycle; ``tests/cell/
        test_conversion_numerics.py``), and for the four-mechanism P2D anode one
        evaluation costs 30 instead of 36 μs (docs/anode.md "Numerics"). PyBaMM has a
        model hook for the Jacobian but none for the residual, hence the property.
        """
        return self.__dict__.get("_rhs_algebraic_eval")

    @rhs_algebraic_eval.setter
    def rhs_algebraic_eval(self, function: Any) -> None:
        function = scalar_function(function)
        if self.compiled_functions is not None:
            function = compile_function(function, "residual", self.compiled_functions)
        self.__dict__["_rhs_algebraic_eval"] = function

    @property
    def jac_rhs_algebraic_eval(self) -> Any:
        """The Jacobian ∂F/∂y the solver evaluates at each Jacobian set-up.

        Built on CasADi's scalar graph (:meth:`build_casadi_jacobian`); with
        compiled to C where :attr:`compiled_functions` says.
        """
        return self.__dict__.get("_jac_rhs_algebraic_eval")

    @jac_rhs_algebraic_eval.setter
    def jac_rhs_algebraic_eval(self, function: Any) -> None:
        if self.compiled_functions is not None:
            function = compile_function(function, "jacobian", self.compiled_functions)
        self.__dict__["_jac_rhs_algebraic_eval"] = function

    def build_casadi_jacobian(self, expression: Any, y: Any) -> Any:
        """The Jacobian ∂F/∂y of the model's residual, built and evaluated on scalars.

        PyBaMM differentiates the residual on CasADi's matrix graph (MX: one instruction
        per vector operation and per sparsity projection, :meth:`pybamm.BaseModel.
        build_casadi_jacobian`). Here the residual is expanded to CasADi's scalar graph
        (SX) first and differentiated there (:func:`scalar_jacobian`): the same
        derivative up to round-off, 4× cheaper to evaluate for the four-mechanism anode
        (420 → 105 μs at 311 states; the mechanisms are hundreds of short element-wise
        vector operations). The solver evaluates it at every Jacobian set-up. A residual
        CasADi cannot expand (an MX node without a scalar form) gets PyBaMM's Jacobian.

        PyBaMM's solver set-up asks for three: of the whole residual (IDAKLU's steps),
        of the algebraic rows (IDAKLU's consistent-initialisation Newton, a few
        evaluations per protocol step) and of the differential rows, which IDAKLU never
        evaluates (only PyBaMM's ScipySolver does, for ODE models). Only the whole
        residual's is built on scalars (:meth:`differentiates_on_scalars`); the other two
        get PyBaMM's derivative on the matrix graph, cheaper to build and to hand to the
        solver. The algebraic rows' on scalars cost as much as the whole residual's (the
        charge balances sum every mechanism's current): for the four-mechanism P2D anode
        0.034 s to differentiate and 0.064 s to serialise to IDAKLU (4.8 MB of text), and
        235 μs per evaluation against 313 μs on the matrix graph (docs/anode.md "Build
        time of a run"); the differential rows' 0.089 instead of 0.023 s.
        """
        import casadi

        if not (isinstance(expression, casadi.MX) and y.is_valid_input()
                and self.differentiates_on_scalars(expression)):
            return super().build_casadi_jacobian(expression, y)
        jacobian = scalar_jacobian(expression, y)
        return super().build_casadi_jacobian(expression, y) if jacobian is None else jacobian

    def differentiates_on_scalars(self, expression: Any) -> bool:
        """Whether :meth:`build_casadi_jacobian` differentiates ``expression`` on the
        scalar graph: only the whole residual, told by its number of rows (an ODE's
        differential rows are its whole residual)."""
        return expression.shape[0] == self.len_rhs + self.len_alg


def scalar_jacobian(expression: Any, y: Any) -> Any:
    """∂F/∂y of an MX residual ``expression`` expanded to CasADi's scalar graph and
    differentiated there, as an MX call in the expression's symbols; ``None`` for an
    expression CasADi cannot expand (an MX node without a scalar form).

    The residual is evaluated on scalar symbols directly (what ``Function.expand`` does,
    without building and re-evaluating the scalar function: 3–10 ms less for the P2D
    anode's, the same derivative bit for bit)."""
    import casadi

    # y is the solver's vertcat of its differential and algebraic state symbols
    names = [s.name() for s in y.primitives()]
    symbols = casadi.symvar(expression)
    present = {t.name() for t in symbols}
    symbols += [s for s in y.primitives() if s.name() not in present]
    args = [casadi.SX.sym(s.name(), s.sparsity()) for s in symbols]
    try:
        residual = casadi.Function("residual", symbols, [expression])(*args)
    except RuntimeError:
        return None
    by_name = {s.name(): a for s, a in zip(symbols, args, strict=True)}
    y_scalar = casadi.vertcat(*[by_name[n] for n in names])
    jac = casadi.jacobian(residual, y_scalar)
    return casadi.Function("jacobian_scalar", args, [jac])(*symbols)


def scalar_function(function: Any) -> Any:
    """A CasADi function of the matrix graph (MX) expanded to scalar operations (SX).

    Anything else (``None``, an SX function, a Python evaluator) and an MX function
    CasADi cannot expand (a node without a scalar form) are returned unchanged.
    """
    import casadi

    if not (isinstance(function, casadi.Function) and function.is_a("MXFunction")):
        return function
    try:
        return function.expand()
    except RuntimeError:
        return function
