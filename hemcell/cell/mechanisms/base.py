"""Shared machinery of the anode storage mechanisms.

Every mechanism is a :class:`pybamm.BaseSubModel` with PyBaMM's hooks
(``get_fundamental_variables`` → ``get_coupled_variables`` → ``set_rhs`` /
``set_algebraic`` / ``set_initial_conditions`` / ``add_events_from``). The
mechanisms never talk to each other directly: they read and publish entries of the
shared ``variables`` dict, whose keys are built in one place (:class:`AnodeNames`).

All mechanisms see the same local potential difference Δφ = φ_s − φ_e and publish a
volumetric current density a·j_k [A m⁻³] (negative while the anode is lithiated) and a
stored charge density q_k [C m⁻³ of electrode] (positive when lithiated), so that

    Σ_k a·j_k + a·j_dl = −∇·i_s = ∇·i_e          (docs/theory.md eq. 2.1)

and charge conservation reads  ∫ I dt = A·∫ Σ_k q_k dx  at every time. Each mechanism
also publishes its irreversible heat a·j_k (Δφ − U_eq,k) [W m⁻³], with U_eq,k the
potential at which its stored charge is in equilibrium (docs/theory.md eq. 2.9), for the
lumped thermal model of the full cell (:mod:`hemcell.cell.thermal`).
"""

from __future__ import annotations

from dataclasses import dataclass

import pybamm

from hemcell.laws import arrhenius_factor

#: Faraday constant [C mol⁻¹] (PyBaMM's symbol so that units stay consistent).
F = pybamm.constants.F
#: Molar gas constant [J mol⁻¹ K⁻¹].
R_GAS = pybamm.constants.R


@dataclass(frozen=True)
class ElectrodeContext:
    """Where the high-entropy-material (HEM) anode sits in the PyBaMM geometry.

    Attributes
    ----------
    domain
        PyBaMM domain that holds the anode: ``"positive"`` in a half-cell against Li
        metal (PyBaMM's convention: the working electrode is the positive one), and
        ``"negative"`` in a full cell.
    x_average
        ``True`` for the single-particle reduction (every state is x-averaged).
    """

    domain: str = "positive"
    x_average: bool = False

    @property
    def Domain(self) -> str:
        """Capitalised domain, as in PyBaMM parameter names (``"Positive"``)."""
        return self.domain.capitalize()

    @property
    def electrode_domain(self) -> str:
        """Domain of electrode-level fields (x-dependent, or current collector if averaged)."""
        return "current collector" if self.x_average else f"{self.domain} electrode"

    @property
    def particle_domain(self) -> str:
        """Domain of the particle radial coordinate."""
        return f"{self.domain} particle"

    def state(self, name: str, scale: float | pybamm.Symbol = 1.0) -> pybamm.Variable:
        """Create an electrode-level state variable (x-dependent or x-averaged)."""
        return pybamm.Variable(name, domain=self.electrode_domain, scale=scale)


class AnodeNames:
    """Names of the shared variables. Users read these names; they say *anode*.

    Every mechanism ``m`` publishes ``vol_current(m)`` and ``stored_charge(m)``.
    """

    delta_phi = "Anode surface potential difference [V]"
    c_e = "Anode electrolyte concentration [mol.m-3]"
    T = "Anode temperature [K]"
    a_s = "Anode surface area to volume ratio [m-1]"
    eps_s = "Anode active material volume fraction"
    rho = "Anode active material density [kg.m-3]"
    total_current = "Anode total volumetric current density [A.m-3]"

    @staticmethod
    def vol_current(mech: str) -> str:
        """Volumetric current density of mechanism ``mech`` [A m⁻³] (<0 lithiating)."""
        return f"Anode {mech.replace('_', '-')} volumetric current density [A.m-3]"

    @staticmethod
    def stored_charge(mech: str) -> str:
        """Charge stored by ``mech`` per electrode volume [C m⁻³] (>0 lithiated)."""
        return f"Anode {mech.replace('_', '-')} stored charge density [C.m-3]"

    @staticmethod
    def reaction_heat(mech: str) -> str:
        """Irreversible heat of ``mech``, Σ a j (Δφ − U_eq) [W m⁻³] (docs/theory.md eq. 2.9)."""
        return f"Anode {mech.replace('_', '-')} irreversible heating [W.m-3]"

    @staticmethod
    def hysteresis_heat(mech: str) -> str:
        """Part of :meth:`reaction_heat` from the branch gap, Σ a j (U_branch − U_eq) [W m⁻³]."""
        return f"Anode {mech.replace('_', '-')} hysteresis heating [W.m-3]"

    @staticmethod
    def reversible_heat(mech: str) -> str:
        """Reversible (entropic) heat of ``mech``, a j T ∂U/∂T [W m⁻³]."""
        return f"Anode {mech.replace('_', '-')} reversible heating [W.m-3]"

    @staticmethod
    def strain(mech: str) -> str:
        """Particle volumetric strain contributed by ``mech`` (dimensionless)."""
        return f"Anode {mech.replace('_', '-')} particle volumetric strain"

    @staticmethod
    def conversion_extent(element: str) -> str:
        """Conversion extent ξ of the ``element`` oxide (0 pristine, 1 fully metal)."""
        return f"Anode {element} conversion extent"

    @staticmethod
    def alloyed_fraction(element: str) -> str:
        """Fraction of all ``element`` atoms that are alloyed with Li (0..1)."""
        return f"Anode {element} alloyed fraction"

    @staticmethod
    def space_charge(element: str) -> str:
        """Space charge stored at ``element``/LiₙX interfaces [C m⁻³]."""
        return f"Anode {element} space-charge density [C.m-3]"


def param(name: str) -> pybamm.Parameter:
    """Shorthand for :class:`pybamm.Parameter`."""
    return pybamm.Parameter(name)


def arrhenius(activation_energy: str, T: pybamm.Symbol) -> pybamm.Symbol:
    """exp[−E_a/R (1/T − 1/T_ref)] of the parameter named ``activation_energy``.

    T_ref is PyBaMM's "Reference temperature [K]" (the temperature the set's rate
    constants apply at): a rate constant k_ref becomes k_ref·arrhenius(...) at the cell
    temperature T (:func:`hemcell.laws.arrhenius_factor`).
    """
    return arrhenius_factor(param(activation_energy), T, param("Reference temperature [K]"),
                            exp=pybamm.exp)


def positive_part_exp(x: pybamm.Symbol) -> pybamm.Symbol:
    """max(exp(x) − 1, 0): one-directional Butler–Volmer branch.

    Used for reactions that only run forwards beyond their own equilibrium potential
    (two-branch hysteresis): the lithiation branch with x = −αFη/RT, the
    delithiation branch with x = +αFη/RT. The exponent is capped at 40 (η ≈ 2 V) to
    keep Newton iterations finite.
    """
    return pybamm.maximum(pybamm.exp(pybamm.minimum(x, 40.0)) - 1.0, 0.0)


def front_factor(
    x: pybamm.Symbol, exponent: float = 2.0 / 3.0, delta: float = 1e-3
) -> pybamm.Symbol:
    """Regularised reaction-front area factor x^p for x ∈ [0, 1].

    ``(max(x,0)+δ)^p − δ^p`` equals x^p up to O(δ^p) and has a finite slope at x = 0,
    so a shrinking-core factor (1−ξ)^(2/3) does not make the Jacobian singular.
    """
    return (pybamm.maximum(x, 0.0) + delta) ** exponent - delta**exponent


def shell_limited(j_kin: pybamm.Symbol, j_lim: pybamm.Symbol) -> pybamm.Symbol:
    """Reaction current with a product-shell transport limit in series.

    j = j_kin / (1 + |j_kin| / j_lim), the series combination of the interfacial
    reaction and diffusion through the product layer of a shrinking-core particle
    (Levenspiel, *Chemical Reaction Engineering*, 3rd ed., 1999, ch. 25, in the
    current-limited form).
    """
    return j_kin / (1.0 + pybamm.AbsoluteValue(j_kin) / j_lim)


class BaseMechanism(pybamm.BaseSubModel):
    """Base class of one storage mechanism of the HEM anode.

    Parameters
    ----------
    ctx
        Where the anode sits (domain, x-averaged or not).
    name
        Mechanism name (``intercalation``, ``conversion``, ...).
    """

    mechanism: str = "base"

    def __init__(self, ctx: ElectrodeContext, name: str | None = None) -> None:
        super().__init__(None, domain=None, name=name or self.mechanism)
        self.ctx = ctx
        self.n = AnodeNames

    # -- helpers -----------------------------------------------------------------
    def _common(self, variables: dict) -> tuple:
        """(Δφ, c_e, T, a_s, ε_s, ρ) from the shared variables."""
        n = self.n
        return (
            variables[n.delta_phi],
            variables[n.c_e],
            variables[n.T],
            variables[n.a_s],
            variables[n.eps_s],
            variables[n.rho],
        )

    def _publish(self, j_vol: pybamm.Symbol, q: pybamm.Symbol, heat: pybamm.Symbol) -> dict:
        """Variables every mechanism publishes (current, stored charge, irreversible heat
        a j (Δφ − U_eq) [W m⁻³], x-averages)."""
        n, m = self.n, self.mechanism
        out = {n.vol_current(m): j_vol, n.stored_charge(m): q, n.reaction_heat(m): heat}
        if not self.ctx.x_average:
            out[f"X-averaged {n.vol_current(m)[0].lower()}{n.vol_current(m)[1:]}"] = (
                pybamm.x_average(j_vol)
            )
        return out
