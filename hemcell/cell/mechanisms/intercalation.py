"""Intercalation: Fickian diffusion in spherical particles, sloping OCP, Butler–Volmer.

Equations (Doyle, Fuller & Newman, J. Electrochem. Soc. 140 (1993) 1526; as in
PyBaMM's ``BasicDFN``):

    ∂c/∂t = (1/r²) ∂/∂r (r² D ∂c/∂r),   −D ∂c/∂r|_{r=R} = j_int / F,   ∂c/∂r|_{r=0} = 0
    j_int = 2 j₀(c_e, c_s,surf, T) sinh( F (Δφ − U(θ, T)) / (2RT) ),   θ = c_s,surf/c_max

with j₀ and D Arrhenius in T (activation energies of the set) and the ideal-solution
term of U at the cell temperature (:mod:`hemcell.cell.parameters` writes the functions).
One electron per inserted ion (Li⁺, Na⁺, K⁺; PyBaMM's ``ne`` is 1).

The current is evaluated in its mass-action form. With j₀ = j̃₀ · 2 (θ(1 − θ))^½
(:func:`hemcell.cell.parameters.intercalation_j0`; j̃₀ = j₀ at θ = ½) and
η₀ = Δφ − U + (RT/F) ln((1 − θ)/θ), the overpotential against U without its ideal-solution
(configurational) term,

    j_int = 2 j̃₀ [ θ e^{F η₀/(2RT)} − (1 − θ) e^{−F η₀/(2RT)} ]

(Bazant, Acc. Chem. Res. 46 (2013) 1144, eq. 27 with ideal-solution activities: the
delithiation rate ∝ θ, the lithiation rate ∝ the vacancy fraction 1 − θ). For any U and
0 < θ < 1 this is the sinh form above, term by term, since θ e^{Fη₀/(2RT)} =
(θ(1 − θ))^½ e^{Fη/(2RT)}. It differs where the sinh form is singular: at θ → 0 and 1 its
j₀ ∝ (θ(1 − θ))^½ has an unbounded slope and PyBaMM's j₀ is exactly 0 for θ ≥ 1, so a
particle a solver step left 10⁻⁷ past c_max never empties again (a Na full cell's anode
charged below 0 V vs Na gave discharge capacities 54.8 / 48.1 / 55.5 mAh g⁻¹ at rtol 10⁻⁶ /
10⁻⁸ / 10⁻¹⁰), and at rtol 10⁻⁴ IDA's Newton lost the full particles of the benchmark
cycle (docs/anode.md, "Numerics"). With the ideal-solution U of the sets the logarithms
cancel and η₀ is smooth in θ; the mass-action terms carry the current through θ = 0 and 1
with finite slopes, and PyBaMM's asymptotes in U (``U_asymptotes``, which stay in η₀:
−1.0 V at θ = 1, +1.0 V at 0) pull an overshoot back. The current reads U at θ held within
``ASYMPTOTE_HOLD`` = 10⁻⁴ of [0, 1] (the OCP and overpotential the model reports do not):
past that the asymptotes grow without bound (−2.0 V at θ = 1.0001, −254 V at 1.0009), and
e^{Fη₀/2RT} overflowed to an infinite current once a step left θ 9 × 10⁻⁴ past c_max (the
spinel's 0.5 A/g cycle at rtol 10⁻⁴ failed so at 383.6 s; docs/anode.md "Numerics",
"Solves that crawl"). Inside the hold the current is the same to the last bit.
Heat: irreversible a j (Δφ − U), reversible a j T ∂U/∂T (PyBaMM's entropic change of
the particle, Bernardi et al., J. Electrochem. Soc. 132 (1985) 5).

The particle uses PyBaMM's own parameter names of the domain that holds the anode
("Positive particle diffusivity [m2.s-1]", "Positive electrode OCP [V]", ...), so the
intercalation-only limit can be checked against PyBaMM's DFN half-cell with the same
``ParameterValues``.
"""

from __future__ import annotations

import pybamm

from hemcell.cell.mechanisms.base import R_GAS, BaseMechanism, ElectrodeContext, F
from hemcell.params.uses import ParameterUse

#: Registry names the intercalation mechanism reads (through PyBaMM's particle names).
PARAMETERS: tuple[ParameterUse, ...] = (
    ParameterUse("intercalation_capacity", "C/kg"),
    ParameterUse("intercalation_initial_stoichiometry", "dimensionless"),
    ParameterUse("intercalation_ocp_midpoint", "V"),
    ParameterUse("intercalation_ocp_slope", "V"),
    ParameterUse("intercalation_diffusivity", "m**2/s"),
    ParameterUse("intercalation_diffusivity_activation_energy", "J/mol"),
    ParameterUse("intercalation_exchange_current_density", "A/m**2"),
    ParameterUse("intercalation_exchange_current_activation_energy", "J/mol"),
    ParameterUse("intercalation_volume_expansion", "dimensionless"),
)


#: How far past θ = 0 and 1 the current's U follows θ before it holds [-] (module
#: docstring). Numerical (assumed): beyond the overshoot past c_max the recipes' runs
#: reach at rtol 10⁻⁶ and tighter (1.4 × 10⁻⁵, the Na full cell of docs/anode.md "Limits
#: and open points"), so that those runs are unchanged; PyBaMM's asymptote there is
#: −2.0 V, e^{F · 2 V/2RT} ≈ e^{39}: finite.
ASYMPTOTE_HOLD = 1e-4


class Intercalation(BaseMechanism):
    """Intercalation of Li into the host lattice of the HEM particles.

    No stoichiometry events are set: PyBaMM's OCP asymptotes (``U_asymptotes``) keep
    the surface stoichiometry inside (0, 1), so a deep discharge to 0.01 V (where the
    other mechanisms still run) is not cut short.

    Parameters
    ----------
    ctx
        Where the anode sits.
    param
        The model's :class:`pybamm.LithiumIonParameters`.
    """

    mechanism = "intercalation"

    def __init__(self, ctx: ElectrodeContext, param: pybamm.LithiumIonParameters) -> None:
        super().__init__(ctx)
        self.pp = param.domain_params[ctx.domain].prim

    def get_fundamental_variables(self) -> dict:
        """Particle concentration c_s(r, x) [mol m⁻³]."""
        ctx = self.ctx
        secondary = "current collector" if ctx.x_average else ctx.electrode_domain
        c_s = pybamm.Variable(
            "Anode intercalation particle concentration [mol.m-3]",
            domain=ctx.particle_domain,
            auxiliary_domains={"secondary": secondary},
            scale=self.pp.c_max,
        )
        self._c_s = c_s
        return {"Anode intercalation particle concentration [mol.m-3]": c_s}

    def get_coupled_variables(self, variables: dict) -> dict:
        """Butler–Volmer current and stored charge."""
        dphi, c_e, T, a_s, eps_s, _ = self._common(variables)
        pp, c_s = self.pp, self._c_s
        c_surf = pybamm.surf(c_s)
        sto_surf = c_surf / pp.c_max
        U = pp.U(sto_surf, T)
        eta = dphi - U
        # the current's η reads U at θ held within ASYMPTOTE_HOLD of [0, 1] (module
        # docstring): PyBaMM's asymptote at θ = 1.0009 (-254 V) made e^{Fη₀/2RT} overflow
        sto_held = pybamm.maximum(pybamm.minimum(sto_surf, 1 + ASYMPTOTE_HOLD),
                                  -ASYMPTOTE_HOLD)
        j = self._mass_action_current(c_e, sto_surf, dphi - pp.U(sto_held, T), T)
        self._j = j
        c_avg = pybamm.r_average(c_s)
        dc = c_avg - self._c_init()
        q = F * eps_s * dc
        # irreversible heat a j η (η against the OCP) and reversible heat a j T ∂U/∂T
        out = self._publish(a_s * j, q, a_s * j * eta)
        out[self.n.reversible_heat(self.mechanism)] = a_s * j * T * pp.dUdT(sto_surf)
        # Particle volume change: linear in the inserted Li (Vegard-type), full-range
        # expansion given as a parameter.
        out[self.n.strain(self.mechanism)] = (
            pybamm.Parameter("Anode intercalation volume expansion") * dc / pp.c_max
        )
        out.update(
            {
                "Anode intercalation surface stoichiometry": sto_surf,
                "Anode intercalation open-circuit potential [V]": U,
                "Anode intercalation overpotential [V]": eta,
                "Anode intercalation interfacial current density [A.m-2]": j,
                "Anode intercalation average stoichiometry": c_avg / pp.c_max,
            }
        )
        return out

    def _mass_action_current(self, c_e: pybamm.Symbol, sto: pybamm.Symbol,
                             eta: pybamm.Symbol, T: pybamm.Symbol) -> pybamm.Symbol:
        """j_int = 2 j̃₀ [θ e^{Fη₀/(2RT)} − (1 − θ) e^{−Fη₀/(2RT)}] [A m⁻²] (module docstring).

        η₀ = η + (RT/F) ln((1 − θ)/θ), the logarithm at the θ PyBaMM's ``U`` reads (clipped
        to [tol, 1 − tol], ``pybamm.settings.tolerances["U__c_s"]``), so it cancels U's
        ideal-solution term exactly, clip included.
        """
        pp = self.pp
        j0_half = pp.j0(c_e, 0.5 * pp.c_max, T)  # j̃₀: 2 (θ(1 − θ))^½ = 1 at θ = ½
        tol = pybamm.settings.tolerances["U__c_s"]
        sto_u = pybamm.maximum(pybamm.minimum(sto, 1 - tol), tol)
        half_f = F / (2 * R_GAS * T)
        eta_0 = eta + pybamm.log((1 - sto_u) / sto_u) / (2 * half_f)
        return 2 * j0_half * (sto * pybamm.exp(half_f * eta_0)
                              - (1 - sto) * pybamm.exp(-half_f * eta_0))

    def _c_init(self) -> pybamm.Symbol:
        """Initial particle concentration as a scalar (x-uniform electrodes)."""
        return pybamm.Parameter(f"Initial concentration in {self.ctx.domain} electrode [mol.m-3]")

    def set_rhs(self, variables: dict) -> None:
        """Fick's law in the sphere."""
        T = variables[self.n.T]
        c_s = self._c_s
        N = -self.pp.D(c_s, T) * pybamm.grad(c_s)
        self.rhs[c_s] = -pybamm.div(N)

    def set_boundary_conditions(self, variables: dict) -> None:
        """Symmetry at the centre, reaction flux at the surface."""
        T = variables[self.n.T]
        c_s = self._c_s
        self.boundary_conditions[c_s] = {
            "left": (pybamm.Scalar(0), "Neumann"),
            "right": (-self._j / F / pybamm.surf(self.pp.D(c_s, T)), "Neumann"),
        }

    def set_initial_conditions(self, variables: dict) -> None:
        """Uniform initial concentration."""
        self.initial_conditions[self._c_s] = self._c_init()
