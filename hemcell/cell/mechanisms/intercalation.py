"""Intercalation: Fickian diffusion in spherical particles, sloping OCP, Butler–Volmer.

Equations (Doyle, Fuller & Newman, J. Electrochem. Soc. 140 (1993) 1526; as in
PyBaMM's ``BasicDFN``):

    ∂c/∂t = (1/r²) ∂/∂r (r² D ∂c/∂r),   −D ∂c/∂r|_{r=R} = j_int / F,   ∂c/∂r|_{r=0} = 0
    j_int = 2 j₀(c_e, c_s,surf, T) sinh( n_e F (Δφ − U(c_s,surf/c_max, T)) / (2RT) )

with j₀ and D Arrhenius in T (activation energies of the set) and the ideal-solution
term of U at the cell temperature (:mod:`hemcell.cell.parameters` writes the functions).
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
        j0 = pp.j0(c_e, c_surf, T)
        j = 2 * j0 * pybamm.sinh(pp.ne / 2 * F / (R_GAS * T) * eta)
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
