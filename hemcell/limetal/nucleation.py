r"""Galvanostatic Li nucleation and growth on Cu (first plating of a Li‖Cu cell).

Classical heterogeneous nucleation (Volmer–Weber; Budevski, Staikov & Lorenz,
*Electrochemical Phase Formation and Growth*, 1996, ch. 3) of hemispherical-cap Li nuclei
on the substrate, with the overpotential :math:`\eta > 0` (cathodic) as driving force:

.. math::

    r^* = \frac{2\gamma V_{Li}}{F\eta}, \qquad
    \frac{\Delta G^*}{k_BT} = \frac{B}{\eta^2},\quad
    B = \frac{16\pi\gamma^3\Omega^2\,\varphi(\theta)}{3 e^2 k_B T}, \qquad
    J = J_0\exp\!\left(-\frac{B}{\eta^2}\right),

with :math:`\Omega = V_{Li}/N_A` the volume per atom and
:math:`\varphi(\theta) = (2+\cos\theta)(1-\cos\theta)^2/4` the shape factor of a cap
of contact angle :math:`\theta`: a lithiophilic substrate (the AZCNF film's Al and Zn,
seed 004 L61) wets, :math:`\varphi \ll 1`, and lowers the barrier. The nuclei grow with
the Butler–Volmer deposition rate, :math:`\dot r = V_{Li}\,i_{BV}(\eta)/F` (the same
velocity for all nuclei; the Gibbs–Thomson term is neglected once :math:`r \gg r^*`).
Moments of the size distribution, :math:`N = M_0`, :math:`M_1 = \sum r`,
:math:`M_2 = \sum r^2` per substrate area, close the system:

.. math::

    \dot N = J(1-\Theta),\quad \dot M_1 = J(1-\Theta) r^* + N\dot r,\quad
    \dot M_2 = J(1-\Theta) r^{*2} + 2M_1\dot r,

    C_{dl}\,\dot\eta = i_{app} - i_{BV}(\eta)\,S - \frac{2\pi F r^{*3}}{3V_{Li}}J(1-\Theta),

with the Li/electrolyte area per substrate area :math:`S = 2\pi M_2(1-\Theta) + \Theta`
and the Avrami coverage :math:`\Theta = 1-\exp(-\pi M_2)`: nuclei form only on the
uncovered substrate (Avrami–Kolmogorov), so nucleation stops once the Li covers the Cu.
Before nuclei exist the applied current charges the double layer, :math:`\eta` rises
until nucleation sets in, overshoots (the "tip") and relaxes to the growth plateau.

Current density. Where forming critical nuclei carries the current at the tip (coated
Cu: 98 % of it at 1 mA/cm²), the tip is the root of
:math:`\tfrac{2\pi F r^{*3}}{3V_{Li}} J_0 e^{-B/\eta^2} = i_{app}` and rises only as
:math:`d\eta_{tip}/d\ln i = \eta/(2B/\eta^2 - 3)` (3.8 mV per e-fold, coated; bare,
where growth carries half, ~13 mV), while the plateau is the growth kinetics,
:math:`(2RT/F)\,\mathrm{arsinh}(i/2i_0)` (32 / 39 mV per e-fold at 1 mA/cm² with the
seed's i₀). So tip minus plateau *falls* with current unless the deposit's i₀ is above
~7 mA/cm² (coated; ~2 bare) (``docs/limetal.md``, nucleation on Cu: the measured trend
rises).

Temperature enters through the barrier (:math:`B \propto 1/T`: the tip rises roughly
as :math:`T^{-1/2}` as T falls) and the growth kinetics (Butler–Volmer with
:math:`F/RT` and the caller's Arrhenius :math:`i_0(T)`); :math:`\gamma`, :math:`J_0`,
:math:`C_{dl}` and :math:`\varphi` are taken as temperature-independent (no sourced
dependence). With the Li interface's activation energy the plateau rises faster than the
tip in the cold, so tip minus plateau falls as T falls, against the measured trend
(``docs/limetal.md``, nucleation on Cu).

Reported: the nucleation overpotential as the tip minus the plateau (the definition of
Yan et al., *Nat. Energy* 1 (2016) 16010, as commonly used; not checked here), the tip,
and the plateau of the Cu-side overpotential; the Li‖Cu cell adds the Li counter
electrode, separator and film terms (:mod:`hemcell.limetal.symmetric`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from hemcell.errors import InputError, SimulationError
from hemcell.laws import FARADAY_C_PER_MOL, butler_volmer_current_A_per_m2

AVOGADRO_PER_MOL = 6.02214076e23
ELEMENTARY_CHARGE_C = 1.602176634e-19
BOLTZMANN_J_PER_K = 1.380649e-23


def nucleation_barrier_V2(surface_energy_J_per_m2: float, molar_volume_m3_per_mol: float,
                          shape_factor: float, temperature_K: float) -> float:
    """B [V**2] in ``dG*/kT = B / eta**2`` for a spherical cap."""
    omega = molar_volume_m3_per_mol / AVOGADRO_PER_MOL
    return (16 * math.pi * surface_energy_J_per_m2 ** 3 * omega ** 2 * shape_factor
            / (3 * ELEMENTARY_CHARGE_C ** 2 * BOLTZMANN_J_PER_K * temperature_K))


def shape_factor_from_contact_angle(theta_rad: float) -> float:
    """phi(theta) = (2 + cos theta)(1 - cos theta)^2 / 4."""
    c = math.cos(theta_rad)
    return (2 + c) * (1 - c) ** 2 / 4


def contact_angle_from_shape_factor(phi: float) -> float:
    """Inverse of :func:`shape_factor_from_contact_angle` on [0, pi] [rad]."""
    if not 0 < phi <= 1:
        raise InputError("nucleation_shape_factor", phi, "a value in (0, 1]")
    lo, hi = 0.0, math.pi  # phi rises monotonically from 0 (theta = 0) to 1 (theta = pi)
    for _ in range(80):
        mid = 0.5 * (lo + hi)
        if shape_factor_from_contact_angle(mid) < phi:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


@dataclass
class NucleationResult:
    """Time series of the Cu-side overpotential and the nuclei."""

    t_s: list[float]
    overpotential_V: list[float]
    nuclei_per_m2: list[float]
    coverage: list[float]
    tip_V: float
    plateau_V: float

    @property
    def nucleation_overpotential_V(self) -> float:
        """Tip minus plateau."""
        return self.tip_V - self.plateau_V


def simulate_nucleation(current_density_A_per_m2: float, exchange_current_A_per_m2: float,
                        temperature_K: float, surface_energy_J_per_m2: float,
                        molar_volume_m3_per_mol: float, shape_factor: float,
                        rate_prefactor_per_m2_s: float, double_layer_F_per_m2: float,
                        duration_s: float) -> NucleationResult:
    """Integrate the nucleation-growth ODEs at constant current for ``duration_s``.

    Raises
    ------
    InputError
        Non-positive current or duration.
    SimulationError
        If the stiff integrator fails.
    """
    import numpy as np
    from scipy.integrate import solve_ivp

    i_app = current_density_A_per_m2
    if not (i_app > 0 and duration_s > 0):
        raise InputError("nucleation", (i_app, duration_s), "current density and time > 0")
    B = nucleation_barrier_V2(surface_energy_J_per_m2, molar_volume_m3_per_mol, shape_factor,
                              temperature_K)
    V, i0, J0, C = molar_volume_m3_per_mol, exchange_current_A_per_m2, \
        rate_prefactor_per_m2_s, double_layer_F_per_m2
    F = FARADAY_C_PER_MOL
    eta_floor = 1e-4

    def rhs(_t: float, y: np.ndarray) -> list[float]:
        eta, n, m1, m2 = y
        e = max(eta, eta_floor)
        theta = 1 - math.exp(-math.pi * m2)
        J = J0 * math.exp(-B / e ** 2) * (1 - theta)  # on the uncovered substrate only
        r_star = 2 * surface_energy_J_per_m2 * V / (F * e)
        i_bv = butler_volmer_current_A_per_m2(e, i0, temperature_K)
        area = 2 * math.pi * m2 * (1 - theta) + theta
        v = V * i_bv / F
        i_nuc = 2 * math.pi * F * r_star ** 3 / (3 * V) * J
        return [(i_app - i_bv * area - i_nuc) / C, J, J * r_star + n * v,
                J * r_star ** 2 + 2 * m1 * v]

    t_eval = np.unique(np.concatenate([[0.0], np.geomspace(1e-4, duration_s, 600)]))
    sol = solve_ivp(rhs, (0.0, duration_s), [0.0, 0.0, 0.0, 0.0], method="LSODA",
                    t_eval=t_eval, rtol=1e-8, atol=[1e-9, 1.0, 1e-9, 1e-16], max_step=1.0)
    if not sol.success:
        raise SimulationError(f"nucleation ODE failed: {sol.message}", step="Cu plating")
    eta = sol.y[0]
    tail = eta[sol.t >= 0.5 * duration_s]
    return NucleationResult(sol.t.tolist(), eta.tolist(), sol.y[1].tolist(),
                            (1 - np.exp(-math.pi * sol.y[3])).tolist(),
                            float(eta.max()), float(np.mean(tail)))


def fit_shape_factor(target_V: float, run: object, lo: float = 1e-4, hi: float = 1.0
                     ) -> float:
    """Shape factor whose nucleation overpotential (tip - plateau) equals ``target_V``.

    ``run(phi) -> NucleationResult``. The overpotential rises with phi; bisection in
    log(phi).

    Raises
    ------
    SimulationError
        If the target is outside what phi in [lo, hi] gives.
    """
    def f(phi: float) -> float:
        return run(phi).nucleation_overpotential_V - target_V  # type: ignore[operator]

    f_lo, f_hi = f(lo), f(hi)
    if not f_lo < 0 < f_hi:
        raise SimulationError(f"nucleation overpotential {target_V * 1e3:.1f} mV not "
                              f"reachable with shape factor in [{lo}, {hi}] "
                              f"({(f_lo + target_V) * 1e3:.1f}..{(f_hi + target_V) * 1e3:.1f} mV)")
    a, b = math.log(lo), math.log(hi)
    for _ in range(40):
        m = 0.5 * (a + b)
        if f(math.exp(m)) < 0:
            a = m
        else:
            b = m
    return math.exp(0.5 * (a + b))
