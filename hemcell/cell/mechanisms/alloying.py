"""Alloying: M + x Li⁺ + x e⁻ ⇌ LiₓM, one term per Li–M phase (multi-stage).

Only metal that exists can alloy: metal present initially (fraction f₀) plus metal
made by conversion of the element's oxide (ξ from :mod:`.conversion`), so the alloying
capacity grows as conversion proceeds (docs/theory.md eq. 2.4). Each stage m of host element e
(e.g. Zn → LiZn₄ → LiZn₂ → LiZn) is a two-phase reaction with its own lithiation and
delithiation potentials (plateaus with hysteresis; the MSMR idea of one term per
phase, Baker & Verbrugge, J. Electrochem. Soc. 165 (2018) A3952, with two-branch
kinetics as for conversion). State: θ_{e,m}(x, t), the fraction of all e atoms that
have gone through stage m (0 ≤ θ_{e,m} ≤ X_m·a_e), with a_e = f₀ + (1 − f₀)ξ_e the
metallic fraction:

    j_m = − j₀ (c_e/c_e,ref)^½ f(X_m a_e − θ_m) [exp(−α F (Δφ − U_lith,m − u_m)/RT) − 1]₊
          + j₀ (c_e/c_e,ref)^½ f(θ_m) [exp((1−α) F (Δφ − U_delith,m − u_m)/RT) − 1]₊
    dθ_m/dt = − 3 j_m / (R F c_e,alloy)

with c_e,alloy = ρ Q_alloy,e / F [mol e⁻ per m³ particle] and j₀ Arrhenius in the cell
temperature (:func:`hemcell.cell.mechanisms.base.arrhenius`). f(y) ≈ y^{2/3} is the
shrinking-core front factor, regularised one-sidedly (:func:`.base.one_sided_front_factor`:
zero for an exhausted stage), and [exp(x) − 1]₊ the one-directional branch with its onset
rounded off over w = 0.05 in x (:func:`.base.smooth_positive_part_exp`; docs/anode.md
"Numerics"). The odd factor of conversion (:func:`.base.front_factor`) would let the
onset's tail inside the gap drive a stage backwards wherever it overshoots zero.

Heterogeneity (optional, ``alloying_stage_potential_spread`` σ; absent: σ = 0): the
sites of one stage have a logistic distribution of potentials shared by both branches
(as the conversion branch potentials, docs/anode.md "Curve shapes"); the next site to
react has the shift u_m = s ln[(1 − y_m + ε)/(y_m + ε)], s = σ√3/π, ε = 0.01, with
y_m = θ_m/(X_m a_e) the alloyed fraction of the stage (:func:`.base.site_shift`).
σ = 0 gives one flat plateau per stage and branch.

The alloyed fraction Σ_m θ_m is published for the conversion module (alloyed metal
cannot reconvert). Heat: a j_m (Δφ − U_eq,m) with U_eq,m = (U_lith,m + U_delith,m)/2 + u_m,
as for conversion (docs/theory.md eq. 2.9).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pybamm

from hemcell.cell.mechanisms.base import (
    R_GAS,
    BaseMechanism,
    ElectrodeContext,
    F,
    arrhenius,
    one_sided_front_factor,
    param,
    site_shift,
    smooth_positive_part_exp,
)
from hemcell.params.uses import ParameterUse

#: Registry names the alloying mechanism reads; ``{el}`` runs over the alloying hosts.
PARAMETERS: tuple[ParameterUse, ...] = (
    ParameterUse("alloying_exchange_current_density", "A/m**2"),
    ParameterUse("alloying_exchange_current_activation_energy", "J/mol"),
    ParameterUse("alloying_charge_transfer_coefficient", "dimensionless"),
    ParameterUse("alloying_capacity_{el}", "C/kg", "alloying"),
    ParameterUse("alloying_stage_fractions_{el}", "dimensionless", "alloying"),
    ParameterUse("alloying_lithiation_potentials_{el}", "V", "alloying"),
    ParameterUse("alloying_delithiation_potentials_{el}", "V", "alloying"),
    ParameterUse("alloying_volume_expansion_{el}", "dimensionless", "alloying"),
    ParameterUse("initial_metallic_fraction_{el}", "dimensionless", "alloying"),
    ParameterUse("alloying_stage_potential_spread", "V",
                 absent="no heterogeneity: one sharp potential pair per stage"),
)

#: Regularisation of the alloyed fraction y = θ/(X a + ε) of a stage before any metal
#: exists (the fraction is then irrelevant: both front factors are zero).
POOL_REGULARISATION = 1e-3


class Alloying(BaseMechanism):
    """Multi-stage Li alloying of the metals in the HEM anode.

    Parameters
    ----------
    ctx
        Where the anode sits.
    hosts
        Alloying host element → number of stages, e.g. ``{"Zn": 3}``.
    converted
        Elements whose metal comes from conversion (their ξ is read); other hosts
        only use their initial metallic fraction.
    """

    mechanism = "alloying"

    def __init__(
        self, ctx: ElectrodeContext, hosts: Mapping[str, int], converted: Sequence[str] = ()
    ) -> None:
        super().__init__(ctx)
        self.hosts = dict(hosts)
        self.converted = set(converted)
        self._theta: dict[tuple[str, int], pybamm.Variable] = {}

    @staticmethod
    def capacity(el: str) -> pybamm.Parameter:
        """Alloying capacity of host ``el`` when all of it is metal [C kg⁻¹]."""
        return param(f"Anode {el} alloying capacity [C.kg-1]")

    def get_fundamental_variables(self) -> dict:
        """θ_{e,m} for every host and stage; the alloyed fraction of every host."""
        out = {}
        for el, n_stages in self.hosts.items():
            total = 0
            for m in range(1, n_stages + 1):
                th = self.ctx.state(f"Anode {el} alloying stage {m} fraction")
                self._theta[(el, m)] = th
                out[f"Anode {el} alloying stage {m} fraction"] = th
                total = total + th
            out[self.n.alloyed_fraction(el)] = total
        return out

    def metallic_fraction(self, el: str, variables: dict) -> pybamm.Symbol:
        """a_e = f₀ + (1 − f₀) ξ_e: fraction of element ``el`` present as metal."""
        f0 = param(f"Anode {el} initial metallic fraction")
        xi = variables.get(self.n.conversion_extent(el), pybamm.Scalar(0))
        if el not in self.converted:
            xi = pybamm.Scalar(0)
        return f0 + (1 - f0) * xi

    def get_coupled_variables(self, variables: dict) -> dict:
        """Stage currents, stored charge and strain."""
        dphi, c_e, T, a_s, eps_s, rho = self._common(variables)
        f_rt = F / (R_GAS * T)
        alpha = param("Anode alloying charge transfer coefficient")
        j0 = param("Anode alloying exchange-current density [A.m-2]") * arrhenius(
            "Anode alloying exchange-current activation energy [J.mol-1]", T
        )
        R = self.ctx.particle_radius
        c_ref = param("Initial concentration in electrolyte [mol.m-3]")
        ce_factor = (pybamm.maximum(c_e, 1e-3) / c_ref) ** 0.5
        spread = param("Anode alloying stage-potential spread [V]")
        j_tot, q_tot, strain, heat, hyst = 0, 0, 0, 0, 0
        out: dict = {}
        self._rates: dict[tuple[str, int], pybamm.Symbol] = {}
        for el, n_stages in self.hosts.items():
            a_e = self.metallic_fraction(el, variables)
            c_alloy = rho * self.capacity(el) / F
            j_el = 0
            for m in range(1, n_stages + 1):
                th = self._theta[(el, m)]
                X_m = param(f"Anode {el} alloying stage {m} capacity fraction")
                # stage potentials of the next sites to react (heterogeneity, docstring)
                alloyed = th / (X_m * a_e + POOL_REGULARISATION)
                u = site_shift(spread, 1 - alloyed)
                U_l = param(f"Anode {el} alloying stage {m} lithiation potential [V]") + u
                U_d = param(f"Anode {el} alloying stage {m} delithiation potential [V]") + u
                j_l = -j0 * ce_factor * one_sided_front_factor(
                    X_m * a_e - th) * smooth_positive_part_exp(-alpha * f_rt * (dphi - U_l))
                j_d = j0 * ce_factor * one_sided_front_factor(th) * smooth_positive_part_exp(
                    (1 - alpha) * f_rt * (dphi - U_d)
                )
                j_m = j_l + j_d
                self._rates[(el, m)] = -3 * j_m / (R * F * c_alloy)
                # heat a j_m (Δφ − U_eq,m), U_eq,m the mid-gap potential of the stage;
                # its branch-gap part a j_m (U_branch − U_eq,m) is the hysteresis heat
                U_eq = (U_l + U_d) / 2
                heat = heat + a_s * j_m * (dphi - U_eq)
                hyst = hyst + a_s * (j_l * (U_l - U_eq) + j_d * (U_d - U_eq))
                j_el = j_el + j_m
            theta_el = sum(self._theta[(el, m)] for m in range(1, n_stages + 1))
            q_el = F * eps_s * c_alloy * theta_el
            j_tot = j_tot + a_s * j_el
            q_tot = q_tot + q_el
            strain = strain + param(f"Anode {el} alloying volume expansion") * theta_el
            out[f"Anode {el} alloying volumetric current density [A.m-3]"] = a_s * j_el
            out[f"Anode {el} metallic fraction"] = a_e
        out.update(self._publish(j_tot, q_tot, heat))
        out[self.n.hysteresis_heat(self.mechanism)] = hyst
        out[self.n.strain(self.mechanism)] = strain
        return out

    def set_rhs(self, variables: dict) -> None:
        """dθ/dt from the stage currents."""
        for key, th in self._theta.items():
            self.rhs[th] = self._rates[key]

    def set_initial_conditions(self, variables: dict) -> None:
        """No alloy at the start."""
        for th in self._theta.values():
            self.initial_conditions[th] = pybamm.Scalar(0)
