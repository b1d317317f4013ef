r"""Interfacial kinetics of Li deposition: Butler–Volmer, Arrhenius, SEI heterogeneity.

Reaction and sign convention
----------------------------
At the lithium surface :math:`\mathrm{Li^+ + e^- \rightleftharpoons Li}`. The normal
current density :math:`i_n` is counted **positive for deposition** (plating): it is
the Li⁺ current from the electrolyte (or coating) into the metal. With the
electrolyte potential :math:`\phi` measured by a Li reference electrode
(Newman's convention), the Li/Li⁺ equilibrium potential of unstressed lithium is
zero at any concentration, and the overpotential is

.. math::
    \eta = \phi_{Li} - \phi - \Delta U_{mech}, \qquad
    \Delta U_{mech} = \frac{\sigma_{nn}\,\Omega}{F},

where :math:`\phi_{Li} = 0` is the metal potential (the reference),
:math:`\sigma_{nn} = \mathbf n\cdot\boldsymbol\sigma\mathbf n` the normal stress in
the lithium at the interface (**tension positive**) and :math:`\Omega` the molar volume
of Li. A compressive stress (:math:`\sigma_{nn} = -p`) raises the chemical potential
of Li in the metal by :math:`p\Omega` and lowers the equilibrium potential by
:math:`p\Omega/F`: deposition there needs a larger cathodic overpotential. This is the
metal-side term of the Monroe–Newman coupling (Monroe & Newman, J. Electrochem. Soc.
152 (2005) A396, DOI 10.1149/1.1850854); the stress of the liquid electrolyte and
surface tension are not included.

Butler–Volmer (deposition positive):

.. math::
    i_n = i_0 \left[\exp\!\left(-\frac{\alpha_c F\eta}{RT}\right)
        - \exp\!\left(\frac{\alpha_a F\eta}{RT}\right)\right],
    \qquad i_0 = i_{0}^{ref}\, a(T)\, g(x) \left(\frac{c}{c_b}\right)^{\gamma}.

The functions take an ``exp`` argument so that the same expression serves UFL forms
and NumPy post-processing ("one source of truth for the kinetics").
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from hemcell.laws import (
    FARADAY_C_PER_MOL,
    arrhenius_factor,
    charge_transfer_resistance_ohm_m2,
    coated_exchange_current,
    film_area_resistance_ohm_m2,
)
from hemcell.laws import hydrogen_evolution_current_density as laws_her
from hemcell.surface.parameters import Case, SurfaceParameters


def mean_exchange_current_density(p: SurfaceParameters, case: Case) -> float:
    r"""Mean exchange current density of a case at c_b and temperature T [A m⁻²].

    Bare lithium: :math:`i_0^{ref}` (``exchange_current_density_A_per_m2``) with the bare
    activation energy. Coated lithium (``coated``, ``coated_thin``): the coated-interface
    rule of :mod:`hemcell.laws` (:func:`hemcell.laws.coated_exchange_current`), the
    measured ratio of the symmetric-cell resistances (seed 004, L86: 64 Ω vs 44 Ω, one
    interface :math:`r = RA/2`) with the coating's own Ohmic share :math:`h/\kappa_c`
    taken out, because the model resolves the film's drop itself:

    .. math:: i_0^{coated} = i_0^{ref}\,\frac{R_{bare}A/2}{R_{coated}A/2 - h/\kappa_c},

    with the coated activation energy (seed 004, L76: 27.82 vs 29.31 kJ mol⁻¹). Both
    resistances apply at the reference temperature; :func:`hemcell.laws.arrhenius_factor`
    moves the value to ``temperature_K``.
    """
    if case == "bare":
        return p.exchange_current_density_A_per_m2 * arrhenius_factor(
            p.activation_energy_bare_J_per_mol, p.temperature_K, p.reference_temperature_K)
    i0_coated_ref = coated_exchange_current(
        p.exchange_current_density_A_per_m2, p.charge_transfer_resistance_bare_ohm,
        p.charge_transfer_resistance_coated_ohm, p.li_electrode_area_m2,
        film_area_resistance_ohm_m2(p.coating_thickness_m, p.coating_conductivity_S_per_m))
    return i0_coated_ref * arrhenius_factor(
        p.activation_energy_coated_J_per_mol, p.temperature_K, p.reference_temperature_K)


def bare_reference_exchange_current(p: SurfaceParameters, case: Case,
                                    exchange_current_A_per_m2: float) -> float:
    """The bare i₀ at the reference temperature that gives ``case`` the exchange current
    ``exchange_current_A_per_m2`` at ``p.temperature_K`` [A m⁻²].

    The inverse of :func:`mean_exchange_current_density`, which is linear in the bare
    reference value; used when a cell hands its own Li kinetics to a surface run.
    """
    per_unit = mean_exchange_current_density(p.replace(exchange_current_density_A_per_m2=1.0),
                                             case)
    return exchange_current_A_per_m2 / per_unit


def linear_charge_transfer_resistance_ohm_m2(p: SurfaceParameters,
                                             exchange_current_A_per_m2: float) -> float:
    r"""Linearised Butler–Volmer resistance :math:`RT/((\alpha_a+\alpha_c)F i_0)` [Ω m²].

    :func:`hemcell.laws.charge_transfer_resistance_ohm_m2` with the effective exchange
    current :math:`(\alpha_a+\alpha_c) i_0` (the law is written for
    :math:`\alpha_a+\alpha_c = 1`).
    """
    return charge_transfer_resistance_ohm_m2(
        (p.anodic_transfer_coefficient + p.cathodic_transfer_coefficient)
        * exchange_current_A_per_m2, p.temperature_K)


def gaussian_random_field(
    x_m: npt.ArrayLike,
    correlation_length_m: float,
    width_m: float,
    seed: int | tuple[int, ...],
    n_modes: int = 64,
) -> npt.NDArray[np.float64]:
    r"""Stationary unit-variance Gaussian random field G(x) on the periodic interval [0, W).

    A Fourier series with random coefficients and mode variances
    :math:`\propto \exp(-(k\ell)^2/4)`, :math:`k = 2\pi m/W` (squared-exponential
    correlation of length :math:`\ell`), normalised to unit variance. The field depends
    only on ``x`` and the seed, not on the mesh or the MPI partition.

    Parameters
    ----------
    x_m
        Lateral positions [m].
    correlation_length_m
        ℓ [m].
    width_m
        Period W [m].
    seed
        Random seed; a tuple ``(seed, stream)`` gives independent fields for equal seeds.
    n_modes
        Number of Fourier modes.
    """
    x = np.asarray(x_m, dtype=np.float64)
    rng = np.random.default_rng(seed)
    m = np.arange(1, n_modes + 1)
    k = 2 * np.pi * m / width_m
    var = np.exp(-((k * correlation_length_m) ** 2) / 4)
    var /= var.sum()
    a = rng.standard_normal(n_modes)
    b = rng.standard_normal(n_modes)
    amp = np.sqrt(var)
    return (np.cos(np.multiply.outer(x, k)) @ (amp * a)
            + np.sin(np.multiply.outer(x, k)) @ (amp * b))


def gaussian_random_field_2d(
    x_m: npt.ArrayLike,
    y_m: npt.ArrayLike,
    correlation_length_m: float,
    width_m: float,
    seed: int | tuple[int, ...],
    n_modes: int = 16,
) -> npt.NDArray[np.float64]:
    r"""Stationary, isotropic, unit-variance Gaussian field G(x, y) periodic on [0, W)².

    The surface version of :func:`gaussian_random_field`: a Fourier series over
    wavevectors :math:`\mathbf k = 2\pi(m, n)/W` (one of each ±**k** pair,
    |m|, |n| ≤ ``n_modes``) with random phases and variances
    :math:`\propto\exp(-(|\mathbf k|\ell)^2/4)`. Independent of the mesh and the MPI
    partition.
    """
    x = np.asarray(x_m, dtype=np.float64)
    y = np.asarray(y_m, dtype=np.float64)
    rng = np.random.default_rng(seed)
    kx = 2 * np.pi * np.arange(n_modes + 1) / width_m
    ky = 2 * np.pi * np.arange(-n_modes, n_modes + 1) / width_m
    kk = np.hypot.outer(kx, ky)
    var = np.exp(-((kk * correlation_length_m) ** 2) / 4)
    var[0, : n_modes + 1] = 0.0  # k = 0 and the mirror half of the m = 0 row
    var /= var.sum()
    coef = np.sqrt(var) * (rng.standard_normal(kk.shape) - 1j * rng.standard_normal(kk.shape))
    G = np.empty(x.shape)
    xf, yf, gf = x.ravel(), y.ravel(), G.ravel()
    for i in range(0, xf.size, 50_000):  # separable evaluation in chunks
        sl = slice(i, i + 50_000)
        ex = np.exp(1j * np.multiply.outer(xf[sl], kx))
        ey = np.exp(1j * np.multiply.outer(yf[sl], ky))
        gf[sl] = np.real(np.sum((ex @ coef) * ey, axis=1))
    return G


def _lognormal_mean_one(G: npt.NDArray[np.float64], amplitude: float) -> npt.NDArray[np.float64]:
    """exp(sG − s²/2): mean one for a unit-variance Gaussian G."""
    return np.exp(amplitude * G - 0.5 * amplitude**2)


def sei_heterogeneity_factor(
    x_m: npt.ArrayLike,
    amplitude: float,
    correlation_length_m: float,
    width_m: float,
    seed: int,
    n_modes: int = 64,
) -> npt.NDArray[np.float64]:
    r"""Mean-one log-normal factor g(x) of the native-SEI exchange current.

    :math:`\ln g = s\,G(x) - s^2/2` with :math:`G` the unit-variance Gaussian field of
    :func:`gaussian_random_field`; :math:`\mathbb E[g] = 1` so the mean kinetics equal
    the nominal ones.

    Parameters
    ----------
    x_m
        Lateral positions [m].
    amplitude
        s, standard deviation of ln i₀ [-]; 0 gives a uniform surface.
    correlation_length_m
        ℓ [m].
    width_m
        Period W [m].
    seed
        Random seed.
    n_modes
        Number of Fourier modes.
    """
    x = np.asarray(x_m, dtype=np.float64)
    if amplitude == 0:
        return np.ones_like(x)
    return _lognormal_mean_one(
        gaussian_random_field(x, correlation_length_m, width_m, seed, n_modes), amplitude)


def sei_heterogeneity_factor_2d(
    x_m: npt.ArrayLike,
    y_m: npt.ArrayLike,
    amplitude: float,
    correlation_length_m: float,
    width_m: float,
    seed: int,
    n_modes: int = 16,
) -> npt.NDArray[np.float64]:
    r"""Mean-one log-normal factor g(x, y) of the native-SEI exchange current (3D runs).

    The surface version of :func:`sei_heterogeneity_factor`: :math:`\ln g = sG - s^2/2`
    with :math:`G` the field of :func:`gaussian_random_field_2d`.
    """
    x = np.asarray(x_m, dtype=np.float64)
    if amplitude == 0:
        return np.ones_like(x)
    return _lognormal_mean_one(
        gaussian_random_field_2d(x, y_m, correlation_length_m, width_m, seed, n_modes),
        amplitude)


def mechanical_potential_shift_V(normal_stress_Pa: Any, molar_volume_m3_per_mol: float,
                                 charge_per_mole_C_per_mol: float = FARADAY_C_PER_MOL) -> Any:
    """ΔU_mech = σ_nn Ω / (zF) [V] (σ_nn tension positive; −pΩ/(zF) under pressure p).

    ``charge_per_mole_C_per_mol`` is zF of the plated metal (F for Li,
    :attr:`SurfaceParameters.charge_per_mole_C_per_mol`).
    """
    return normal_stress_Pa * molar_volume_m3_per_mol / charge_per_mole_C_per_mol


def capillary_potential_shift_V(curvature_per_m: Any, surface_energy_J_per_m2: float,
                                molar_volume_m3_per_mol: float,
                                charge_per_mole_C_per_mol: float = FARADAY_C_PER_MOL) -> Any:
    r"""Gibbs–Thomson shift of the M/M^z+ equilibrium potential, −γΩκ/(zF) [V] (zF:
    ``charge_per_mole_C_per_mol``, F for Li).

    A curved surface of energy γ raises the chemical potential of Li in the metal by
    :math:`\gamma\Omega\kappa` (κ > 0 where the metal is convex, e.g. at a crest), so the
    equilibrium potential drops by :math:`\gamma\Omega\kappa/F`: deposition is harder
    on tips and easier in notches. It acts like the Laplace pressure γκ in the
    mechanical term, :math:`\Delta U = (\sigma_{nn} - \gamma\kappa)\Omega/F`
    (the surface-tension term of Monroe & Newman, J. Electrochem. Soc. 151 (2004) A880;
    classical Gibbs–Thomson relation).
    """
    return -surface_energy_J_per_m2 * molar_volume_m3_per_mol * curvature_per_m \
        / charge_per_mole_C_per_mol


def hydrogen_evolution_current_density(p: SurfaceParameters, metal_minus_electrolyte_V: Any,
                                       exp: Any = np.exp) -> Any:
    r"""HER current on the metal surface, positive when H₂ is evolved [A m⁻²].

    The parallel, parasitic cathodic reaction of aqueous metals
    (:func:`hemcell.laws.hydrogen_evolution_current_density`): the model's potentials are
    measured against the metal M/M^z+ at its standard potential E⁰, so the electrode
    potential vs SHE is :math:`E = E^0 + (\phi_M - \phi)` and

    .. math:: i_{HER} = i_{0,H}\exp\!\left(-\frac{\alpha_H F}{RT}
              \left[(\phi_M-\phi) - (E_{HER} - E^0)\right]\right),

    with i₀,H moved from the reference temperature to T by
    :func:`hemcell.laws.arrhenius_factor` (``her_activation_energy``).

    No stress or capillary shift (H₂ does not involve the metal's chemical potential).
    ``metal_minus_electrolyte_V`` is φ_M − φ (= −φ at the surface; −ψ for a thin film);
    ``exp`` as in :func:`hemcell.laws.butler_volmer_current_density`.
    """
    i0_her = p.her_exchange_current_density_A_per_m2 * arrhenius_factor(
        p.her_activation_energy_J_per_mol, p.temperature_K, p.reference_temperature_K)
    return laws_her(i0_her,
                    p.metal_standard_potential_V + metal_minus_electrolyte_V, p.electrolyte_ph,
                    p.her_transfer_coefficient, p.temperature_K, exp)
