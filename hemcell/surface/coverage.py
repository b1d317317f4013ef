r"""Incomplete coverage of a thin sputtered coating: pinholes of bare lithium.

Why a coverage model
--------------------
Seed 004 (L78) chose the 2-min (≈ 28 nm) AZCNF film because SEM showed it "uniform
and fully covered" (Fig. S9), while the 1-min (≈ 14 nm) and 5-min (≈ 70 nm) films did
worse in EIS and optical plating tests. A complete film of any thickness only adds
the series resistance :math:`h/\kappa_c`, so thickness alone cannot make the thinner
film worse; what a thinner sputtered film lacks is coverage.

Coverage vs thickness (Kolmogorov–Johnson–Mehl–Avrami impingement)
-------------------------------------------------------------------
Sputtered metal films grow as islands (Volmer–Weber) that impinge and coalesce. With
:math:`N` islands per unit area, each a hemispherical cap holding the deposited
volume :math:`h/N` (so its radius is :math:`r = (3h/(2\pi N))^{1/3}`), the extended
(overlapping) covered fraction is :math:`X = N\pi r^2`, and for randomly placed
islands the true covered fraction is (Avrami's impingement correction)

.. math::
    \theta(h) = 1 - e^{-X} = 1 - \exp\!\left[-\left(\frac{h}{h_0}\right)^{2/3}\right],
    \qquad h_0 = \frac{2}{3\sqrt{\pi N}} ,

with :math:`h_0` the *closure thickness* (registry ``coating_closure_thickness``;
:math:`h_0 = 0` is a complete film at any thickness).

Where the film is missing
-------------------------
The uncovered set is where a unit Gaussian random field :math:`G_{cov}(x)`
(:func:`hemcell.surface.kinetics.gaussian_random_field`, correlation length
``coating_coverage_correlation_length``, a random stream independent of the native-SEI
field) lies below its own :math:`(1-\theta)`-
quantile, so every realisation has exactly the uncovered length fraction
:math:`1-\theta` (to the 1/4096 sampling of the quantile):

.. math::
    \chi(x) = \begin{cases} 1 & G_{cov}(x) \ge q_{1-\theta} \quad\text{(covered)}\\
    0 & \text{otherwise (pinhole)} .\end{cases}

Islands at the :math:`N^{-1/2}` spacing (nm) would average out on the µm scale of
the surface model; the correlation length states the (assumed) scale of the gaps that
matter, e.g. valleys of the rough foil shadowed from the sputter flux.

Thin-layer interface with pinholes
----------------------------------
The thin-layer condition of :mod:`hemcell.surface.coating` holds pointwise with

.. math::
    i_n = G_f(x)\,(\phi - \psi), \qquad
    G_f = \frac{\chi\,\kappa_c + (1-\chi)\,\kappa}{h},

(a pinhole is a pore of depth :math:`h` filled with electrolyte of conductivity
:math:`\kappa`), and Butler–Volmer with

.. math::
    i_0(x, c) = \chi\, i_{0,coated}
        + (1-\chi)\, i_{0,bare}\, g_{SEI}(x) \left(\frac{c}{c_b}\right)^{\gamma}:

coated patches have the coating's uniform kinetics (fixed Li⁺ site concentration, no
electrolyte-concentration dependence), pinholes the bare lithium's native-SEI kinetics
(the bare case's random field, same seed) with its concentration dependence and
activation energy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

import numpy as np
import numpy.typing as npt

from hemcell.surface import kinetics

if TYPE_CHECKING:
    from hemcell.surface.parameters import SurfaceParameters

#: Samples per period used to find the quantile that sets the uncovered fraction.
QUANTILE_SAMPLES = 4096
#: Points per side of the grid on which a 3D run's pinhole threshold is taken.
QUANTILE_GRID_2D = 128
#: Stream of the pinhole field: independent of the native-SEI field even for equal seeds.
PINHOLE_STREAM = 1


def kjma_coverage(thickness_m: float, closure_thickness_m: float) -> float:
    r"""Covered area fraction θ(h) = 1 − exp[−(h/h₀)^{2/3}] of an island-grown film [-].

    Parameters
    ----------
    thickness_m
        Nominal (deposited-volume) film thickness h [m].
    closure_thickness_m
        h₀ = 2/(3√(πN)) [m]; 0 means a complete film (θ = 1).
    """
    if closure_thickness_m <= 0:
        return 1.0
    if thickness_m <= 0:
        return 0.0
    return float(-np.expm1(-((thickness_m / closure_thickness_m) ** (2.0 / 3.0))))


def closure_thickness_for(coverage: float, thickness_m: float) -> float:
    """The h₀ at which a film of thickness ``thickness_m`` covers the fraction ``coverage``.

    Inverse of :func:`kjma_coverage`: h₀ = h / (−ln(1 − θ))^{3/2}.
    """
    if not 0 < coverage < 1:
        raise ValueError(f"coverage must lie in (0, 1), got {coverage}")
    return float(thickness_m / (-np.log1p(-coverage)) ** 1.5)


def island_density_per_m2(closure_thickness_m: float) -> float:
    """Island density N = 4/(9π h₀²) implied by a closure thickness [m⁻²]."""
    return float(4.0 / (9.0 * np.pi * closure_thickness_m**2))


def coverage_indicator(
    x_m: npt.ArrayLike,
    coverage: float,
    correlation_length_m: float,
    width_m: float,
    seed: int,
    y_m: npt.ArrayLike | None = None,
) -> npt.NDArray[np.float64]:
    """χ(x) or χ(x, y): 1 where the film covers the lithium, 0 in pinholes.

    Parameters
    ----------
    x_m
        Lateral positions [m].
    coverage
        θ, covered length (2D runs) or area (3D runs, ``y_m`` given) fraction in [0, 1].
    correlation_length_m
        Correlation length of the pinhole field [m].
    width_m
        Period of the surface [m].
    seed
        Random seed of the pinhole field.
    y_m
        Second lateral coordinate of a 3D run's surface [m]; the field is then a field of
        both coordinates (:func:`hemcell.surface.kinetics.gaussian_random_field_2d`),
        thresholded at its quantile on a QUANTILE_GRID_2D² grid over the period.
    """
    x = np.asarray(x_m, dtype=np.float64)
    if coverage >= 1:
        return np.ones_like(x)
    if coverage <= 0:
        return np.zeros_like(x)
    key = (seed, PINHOLE_STREAM)
    if y_m is None:
        grid = np.arange(QUANTILE_SAMPLES) * (width_m / QUANTILE_SAMPLES)
        sample = kinetics.gaussian_random_field(grid, correlation_length_m, width_m, key)
        field = kinetics.gaussian_random_field(x, correlation_length_m, width_m, key)
    else:
        g = np.arange(QUANTILE_GRID_2D) * (width_m / QUANTILE_GRID_2D)
        gx, gy = np.meshgrid(g, g)
        sample = kinetics.gaussian_random_field_2d(gx.ravel(), gy.ravel(),
                                                   correlation_length_m, width_m, key)
        field = kinetics.gaussian_random_field_2d(x, y_m, correlation_length_m, width_m, key)
    return (field >= np.quantile(sample, 1.0 - coverage)).astype(np.float64)


class ThinLayerFields(NamedTuple):
    """Pointwise coefficients of the thin-layer interface with pinholes."""

    coverage: npt.NDArray[np.float64]
    """χ, 1 covered / 0 pinhole [-]."""
    exchange_current_density_A_per_m2: npt.NDArray[np.float64]
    """i₀ at c = c_b [A m⁻²] (pinholes: × (c/c_b)^γ in the kinetics)."""
    film_conductance_S_per_m2: npt.NDArray[np.float64]
    """G_f = (χκ_c + (1 − χ)κ)/h [S m⁻²]."""


def thin_layer_fields(x_m: npt.ArrayLike, p: SurfaceParameters, width_m: float,
                      y_m: npt.ArrayLike | None = None) -> ThinLayerFields:
    """Coverage, exchange current and film conductance along the surface.

    Parameters
    ----------
    x_m
        Lateral positions [m].
    p
        Parameters (thickness, closure thickness, pinhole field, kinetics).
    width_m
        Period of the surface [m] (the random fields are periodic).
    y_m
        Second lateral coordinate of a 3D run [m]: pinholes and native-SEI field are then
        fields of (x, y).
    """
    x = np.asarray(x_m, dtype=np.float64)
    theta = kjma_coverage(p.coating_thickness_m, p.coating_closure_thickness_m)
    chi = coverage_indicator(x, theta, p.coating_coverage_correlation_length_m, width_m,
                             p.coating_coverage_seed, y_m)
    i0_coated = kinetics.mean_exchange_current_density(p, "coated_thin")
    if y_m is None:
        g = kinetics.sei_heterogeneity_factor(x, p.sei_heterogeneity_amplitude,
                                              p.sei_correlation_length_m, width_m, p.sei_seed)
    else:
        g = kinetics.sei_heterogeneity_factor_2d(x, y_m, p.sei_heterogeneity_amplitude,
                                                 p.sei_correlation_length_m, width_m, p.sei_seed)
    i0_bare = kinetics.mean_exchange_current_density(p, "bare") * g
    i0 = chi * i0_coated + (1.0 - chi) * i0_bare
    g_f = (chi * p.coating_conductivity_S_per_m
           + (1.0 - chi) * p.electrolyte_conductivity_S_per_m) / p.coating_thickness_m
    return ThinLayerFields(chi, i0, g_f)
