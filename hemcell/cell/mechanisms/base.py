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

import math
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
    def particle_radius(self) -> pybamm.Symbol:
        """Particle radius R [m]: PyBaMM's "<Domain> particle radius [m]", the one value
        behind the intercalation host's diffusion length and the surface area a = 3ε/R
        that every mechanism's volumetric current uses."""
        return param(f"{self.Domain} particle radius [m]")

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


#: Width w of the smooth branch onset :func:`smooth_positive_part_exp`, in units of the
#: Butler–Volmer exponent αFη/RT (w = 0.05 is 2.6 mV of overpotential at α = 0.5, 298 K).
#: A numerical regularisation: at the onset (η = 0) the branch carries w ln 2 ≈ 0.035 of
#: its exchange current instead of 0, w e^(−1/w) ≈ 10⁻¹⁰ of it 1 RT/αF (51 mV) inside
#: the frozen gap. On the rock-salt HEO (SP, 0.5 A/g, kinetically limited alloying) it
#: moves the alloying capacity by +0.1 % and the cell capacity by < 0.01 %; w = 0.1 and
#: 0.2 save 4 % and 7 % more solver steps but move the alloying capacity by +1.2 % and
#: +7 % (docs/anode.md "Numerics").
BRANCH_ONSET_WIDTH = 0.05

#: Regularisation δ of the shrinking-core front factor :func:`front_factor`. The factor
#: departs from y^(2/3) by the relative amount 1 − (1 + δ/y)^(−1/3) ≈ δ/(3y): < 1 % for
#: y > 0.034, 0.2 % at y = 0.15; its slope at y = 0 is δ^(−1/3) = 10, so a reactant
#: that runs out decays over a fraction of order δ^(1/3) = 0.1 of the branch's time
#: scale instead of hitting zero with an infinite slope.
FRONT_REGULARISATION = 1e-3

#: Truncation ε of a branch-potential distribution (:func:`site_shift`): shifts stay
#: within ±s·ln((1 + ε)/ε) ≈ ±2.5 σ.
SPREAD_TRUNCATION = 0.01


def smooth_positive_part_exp(x: pybamm.Symbol) -> pybamm.Symbol:
    """exp(softplus_w(x)) − 1 = (1 + e^{x/w})^w − 1: a smooth one-directional branch.

    :func:`positive_part_exp` with its kink at the branch onset x = 0 rounded off over
    the width w = :data:`BRANCH_ONSET_WIDTH`: the positive part max(x, 0) of the exponent
    is replaced by its softplus w ln(1 + e^{x/w}) (≥ max(x, 0), within w ln 2 of it at
    x = 0 and within w e^{−|x|/w} elsewhere). The result is e^x − 1 for x ≫ w and
    ≈ w e^{x/w} for x ≪ −w. A two-phase stage with fast kinetics runs at x slightly
    above 0, on the kink of the sharp form, at every node it reaches in turn; each of
    those kinks cost the BDF integrator a restart at order 1. The exponent is capped at
    40 as in :func:`positive_part_exp`.
    """
    w = BRANCH_ONSET_WIDTH
    xc = pybamm.minimum(x, 40.0)
    # softplus written without overflow: max(x, 0) + w ln(1 + e^{−|x|/w})
    softplus = pybamm.maximum(xc, 0.0) + w * pybamm.log(
        1.0 + pybamm.exp(-pybamm.AbsoluteValue(xc) / w))
    return pybamm.exp(softplus) - 1.0


def front_factor(y: pybamm.Symbol) -> pybamm.Symbol:
    """Shrinking-core reaction-front factor f(y) = y (|y| + δ)^(−1/3) ≈ y^(2/3).

    y is the fraction of the reactant left (pristine host, re-formed oxide, free metal,
    unalloyed metal or alloy of one stage); the reaction front of a shrinking core has
    the area y^(2/3) of the particle's (Levenspiel, *Chemical Reaction Engineering*,
    3rd ed., 1999, ch. 25). f is odd and continuously differentiable, with slope
    δ^(−1/3) at y = 0 (δ = :data:`FRONT_REGULARISATION`): a reactant that runs out decays
    exponentially to zero instead of hitting it in finite time with an infinite slope
    (y^(2/3)), and a solver overshoot below zero is pulled back instead of sitting on a
    kink (the former regularisation (max(y, 0) + δ)^(2/3) − δ^(2/3) had one at y = 0,
    met at every node whenever a branch is open with nothing left to react).
    """
    return y * (pybamm.AbsoluteValue(y) + FRONT_REGULARISATION) ** (-1.0 / 3.0)


def one_sided_front_factor(y: pybamm.Symbol) -> pybamm.Symbol:
    """Shrinking-core front factor regularised one-sidedly: f₊(y) = (y₊ + δ)^(2/3) − δ^(2/3).

    The same law y^(2/3) as :func:`front_factor` (same δ = :data:`FRONT_REGULARISATION`),
    but zero for y ≤ 0 instead of odd. Branches with a smooth onset
    (:func:`smooth_positive_part_exp`, the alloying stages) need it: their onset is
    open by w e^(x/w) inside the hysteresis gap, and an odd factor would turn that tail
    into a current *against* the driving force wherever a stage overshoots y = 0 — a
    reaction running backwards inside the gap, with negative entropy production a j
    (Δφ − U_eq) < 0 (the lumped cell's second-law check,
    ``tests/cell/test_thermal.py``, caught −65 W). With the one-sided factor an
    exhausted reactant carries no current on either side of the gap.

    Both powers are taken at run time: δ^(2/3) as (min(y₊, 0) + δ)^(2/3), which is the
    power of δ itself (min(y₊, 0) = 0), so the difference is exactly 0 for an exhausted
    stage whatever the arithmetic. With the constant δ^(2/3) folded into the expression
    instead, PyBaMM's ``compile`` option (gcc -O3 -march=native) moved the
    single-particle anode's 0.5 A/g discharge end by 2 × 10⁻⁵ relative at 20 degC and
    failed it at t = 0 at 0 and 24 degC, where CasADi's virtual machine solves: a residue
    of one ulp of δ^(2/3) (≈ 2 × 10⁻¹⁸) times the branch's capped e^40 (2.4 × 10¹⁷) is a
    current of the order of the exchange current on a stage that has nothing to react.
    Why the two rounded apart there was not traced (CasADi writes the constant to 17
    digits, and glibc's power of δ equals it in a test program); the run-time form makes
    it not matter (``tests/cell/test_one_sided_front_factor.py``).
    """
    d = FRONT_REGULARISATION
    y_plus = pybamm.maximum(y, 0.0)
    return (y_plus + d) ** (2.0 / 3.0) - (pybamm.minimum(y_plus, 0.0) + d) ** (2.0 / 3.0)


def site_shift(spread_V: pybamm.Symbol, remaining: pybamm.Symbol) -> pybamm.Symbol:
    """Branch-potential shift u [V] of the next site to react in a pool of sites.

    Sites with a logistic distribution of branch potentials, standard deviation σ =
    ``spread_V`` (scale s = σ√3/π), react in order of their shift; ``remaining`` is the
    fraction of the pool still to react in the order of the branch (highest shift
    first), so u = s ln[(remaining + ε)/(1 − remaining + ε)], truncated at ±2.5 σ by
    ε = :data:`SPREAD_TRUNCATION`. In the rate-independent limit the pool gives a
    logistic dQ/dV peak of FWHM 2 s ln(3 + 2√2) ≈ 1.94 σ at its branch potential; σ = 0
    gives u = 0 (one flat plateau).
    """
    s = spread_V * (math.sqrt(3.0) / math.pi)
    eps = SPREAD_TRUNCATION
    y = pybamm.minimum(pybamm.maximum(remaining, 0.0), 1.0)
    return s * pybamm.log((y + eps) / (1.0 - y + eps))


def lithiated_fraction_at(spread_V: float, branch_V: float, potential_V: float) -> float:
    """Fraction of a pool of sites (:func:`site_shift`) that a lithiation branch has
    reacted at equilibrium at the electrode potential ``potential_V`` [V].

    A lithiation branch of potential U runs while Δφ < U + u(remaining), so it stops
    where u(remaining) = Δφ − U: the inverse of :func:`site_shift`,
    remaining = ((1 + ε) E − ε)/(1 + E), E = exp((Δφ − U)/s), clipped to [0, 1]
    (ε = :data:`SPREAD_TRUNCATION`, s = σ√3/π). σ = 0: all of the pool at Δφ ≤ U, none
    above it (one flat plateau).
    """
    x = potential_V - branch_V
    if spread_V <= 0:
        return 1.0 if x <= 0 else 0.0
    s = spread_V * (math.sqrt(3.0) / math.pi)
    eps = SPREAD_TRUNCATION
    z = x / s
    if z > 700:  # E overflows: the remaining fraction is 1 (clipped)
        return 0.0
    e = math.exp(z)
    remaining = ((1 + eps) * e - eps) / (1 + e)
    return 1.0 - min(max(remaining, 0.0), 1.0)


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
