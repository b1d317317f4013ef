r"""Hand results the surface model is verified against.

Each function is a closed-form limit of the model's equations (constant properties,
steady state), derived in its docstring. :func:`refuse_current_above_steady_limit` is
the input check that rests on one of them (no steady state above the limiting current).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from hemcell.errors import InputError
from hemcell.laws import film_ohmic_drop_V
from hemcell.surface.kinetics import linear_charge_transfer_resistance_ohm_m2
from hemcell.surface.parameters import SurfaceParameters

if TYPE_CHECKING:  # pragma: no cover
    from hemcell.surface.geometry import GeometrySpec


def limiting_current_density_A_per_m2(p: SurfaceParameters, length_m: float) -> float:
    r"""Flat-electrode limiting current :math:`i_{lim} = zF D c_b/((1-t_+)L)` [A m⁻²].

    From :math:`D\,dc/dy = (1-t_+)\,i/(zF)` at the surface and :math:`c(L) = c_b`:
    :math:`c(0) = c_b(1 - i/i_{lim})`.
    """
    return p.limiting_current_density_A_per_m2(length_m)


def crest_height_m(spec: GeometrySpec, dim: int = 2) -> float:
    """Height of the highest point of the Li surface above y = 0 [m] (0 when flat)."""
    if dim == 3:
        from hemcell.surface.geometry3d import height_m

        x = np.linspace(0.0, spec.width_m, 401)
        X, Y = np.meshgrid(x, x)
        return max(0.0, float(np.max(height_m(spec, X.ravel(), Y.ravel()))))
    return max(0.0, float(np.max(spec.profile(np.linspace(0.0, spec.width_m, 4001))[1])))


def steady_limiting_current_bound(p: SurfaceParameters, spec: GeometrySpec,
                                  resolved_coating: bool, dim: int = 2,
                                  ) -> tuple[float, float]:
    r"""Upper bound of the steady limiting current of any surface, and its gap [A m⁻², m].

    Above the crest of the Li surface (and of a resolved coating, which carries Li⁺
    alone) the electrolyte fills the whole width of the cell. Integrating
    :math:`\nabla\cdot\mathbf N_+ = 0` over the electrolyte above a horizontal line
    there, with zero flux through the sides and the whole applied current carried into
    the metal by the cation, gives for the lateral mean of the concentration
    :math:`D\,d\bar c/dy = (1-t_+)\,i/(zF)`, so that with :math:`c(H) = c_b`

    .. math:: \bar c(y_c) = c_b\left[1 - \frac{i}{i_{lim}(H - y_c)}\right],\qquad
              i_{lim}(g) = \frac{zF D c_b}{(1-t_+)\,g},

    :math:`y_c` the crest (plus the coating thickness :math:`h` when resolved). The
    minimum of :math:`c` on that line is at most its mean, so no steady state with
    :math:`c > 0` exists for :math:`i \ge i_{lim}(H - y_c)`: a necessary condition,
    exact for a flat surface with uniform current
    (:func:`limiting_current_density_A_per_m2`); current focusing and the troughs below
    the crest lower the true limit of a rough surface.

    Parameters
    ----------
    p
        Parameters (the cation carries all the current: no parallel reaction).
    spec
        Geometry; ``electrolyte_height_m`` is :math:`H`.
    resolved_coating
        True when the coating band is a coating (``coated``), False when it is
        electrolyte or absent.
    dim
        2 or 3.
    """
    h = spec.coating_thickness_m if resolved_coating else 0.0
    gap = spec.electrolyte_height_m - crest_height_m(spec, dim) - h
    return p.limiting_current_density_A_per_m2(gap), gap


def current_density_text(current_A_per_m2: float) -> str:
    """A current density as a user types it and as the model uses it:
    ``250 mA/cm**2 (2500 A/m**2)``."""
    return f"{current_A_per_m2 / 10:.4g} mA/cm**2 ({current_A_per_m2:.4g} A/m**2)"


def refuse_current_above_steady_limit(p: SurfaceParameters, spec: GeometrySpec,
                                      resolved_coating: bool, dim: int = 2) -> None:
    """Refuse a steady galvanostatic current at or above
    :func:`steady_limiting_current_bound` before anything is solved.

    Nothing is refused under potentiostatic control (the current follows) or with a
    parallel hydrogen evolution (aqueous metals: water reduction can carry the current
    the cation cannot).

    Raises
    ------
    InputError
        ``applied_current_density``, with the limit, its formula and its values, and
        what to run instead (``--transient``: the run stops at Sand's time).
    """
    if p.control != "galvanostatic" or p.hydrogen_evolution:
        return
    i = p.applied_current_density_A_per_m2
    limit, gap = steady_limiting_current_bound(p, spec, resolved_coating, dim)
    if i < limit:
        return
    where = ("electrolyte height H" if gap == spec.electrolyte_height_m
             else "H minus the crest" + (" and the coating" if resolved_coating else ""))
    raise InputError(
        "applied_current_density", current_density_text(i),
        f"below the steady limiting current {current_density_text(limit)} "
        f"= zF D c_b/((1 - t+) g) with z = {p.cation_charge_number:g}, "
        f"D = {p.electrolyte_diffusivity_m2_per_s:.4g} m**2/s, "
        f"c_b = {p.bulk_concentration_mol_per_m3:.4g} mol/m**3, "
        f"t+ = {p.cation_transference_number:.4g}, gap g = {gap * 1e6:.4g} um ({where}) "
        f"at T = {p.temperature_K:.5g} K",
        hint="no steady state exists above it (the salt at the surface runs out); run "
             f"the same case{' in 2D' if dim == 3 else ''} with --transient, which stops "
             "at Sand's time (flat, "
             f"semi-infinite: {sand_time_s(p, i):.3g} s at this current), or lower "
             "applied_current_density or electrolyte_height")


def surface_concentration_mol_per_m3(p: SurfaceParameters, current_A_per_m2: float,
                                     length_m: float) -> float:
    """Flat-electrode surface concentration c_b (1 − i/i_lim) [mol m⁻³]."""
    return p.bulk_concentration_mol_per_m3 * (
        1 - current_A_per_m2 / limiting_current_density_A_per_m2(p, length_m))


def coating_ohmic_drop_V(p: SurfaceParameters, current_A_per_m2: float) -> float:
    """Potential drop i h/κ_c across a flat single-ion-conducting coating [V]
    (:func:`hemcell.laws.film_ohmic_drop_V`)."""
    return film_ohmic_drop_V(current_A_per_m2, p.coating_thickness_m,
                             p.coating_conductivity_S_per_m)


def pressure_equilibrium_shift_V(p: SurfaceParameters, pressure_Pa: float) -> float:
    """Shift of the metal's equilibrium potential under uniform pressure, −pΩ/(zF) [V]."""
    return -pressure_Pa * p.li_molar_volume_m3_per_mol / p.charge_per_mole_C_per_mol


def refuse_potential_below_stress_shift(p: SurfaceParameters) -> None:
    r"""Refuse (exit 2) a potentiostatic ``applied_potential`` at or below the stack
    pressure's shift of the metal's equilibrium, :math:`p\Omega/(zF)`.

    The surface model measures φ against unstressed metal, and the metal at its surface
    is pressed by the stack pressure (σ_nn = −p, the traction condition on a bare
    surface), so its equilibrium potential is lower by :math:`p\Omega/(zF)`
    (:func:`pressure_equilibrium_shift_V`; 0.135 mV for Li at 1 MPa): the overpotential is
    η = −φ + pΩ/(zF), and at zero current φ = V. The net current plates only where the
    applied potential exceeds the shift: the default flat bare Li gave −0.32 A/m² at 0 V
    and still stripped at 0.1 mV. That is physics, not a sign error (a pressed electrode
    against an unpressed reference dissolves), and the model's metrics are for plating,
    so a potential at or below the shift is refused as a stripping one is
    (:class:`~hemcell.surface.parameters.SurfaceParameters` refuses ≤ 0). The growth
    strain adds no shift at zero current; capillarity acts in transient runs only, which
    are galvanostatic.
    """
    if p.control != "potentiostatic":
        return
    shift_V = -pressure_equilibrium_shift_V(p, p.stack_pressure_Pa)
    if p.applied_potential_V > shift_V:
        return
    raise InputError(
        "applied_potential", f"{p.applied_potential_V * 1e3:.4g} mV",
        f"> {shift_V * 1e3:.4g} mV: the stack_pressure {p.stack_pressure_Pa / 1e6:.4g} MPa "
        "presses the metal and lowers its equilibrium potential by p Omega/(zF) = "
        f"{shift_V * 1e3:.4g} mV (molar volume {p.li_molar_volume_m3_per_mol * 1e6:.4g} "
        f"cm3/mol, z = {p.cation_charge_number:g}); at or below that the net current "
        "strips the metal, and the surface model's metrics are for plating",
        hint=f"--set applied_potential={2 * shift_V * 1e3:.2g}mV (or more), or a lower "
             "stack_pressure")


def diffusion_resistance_ratio(p: SurfaceParameters) -> float:
    r"""β: concentration-polarisation resistance relative to the Ohmic one.

    With :math:`\kappa_D = 2\kappa RT(1-t_+)\chi/F` the diffusion-potential coefficient in
    :math:`\mathbf i = -\kappa\nabla\phi + \kappa_D\nabla\ln c`, a steady current
    :math:`i` needs the salt gradient :math:`(1-t_+)i/(FD)` and so adds a potential
    gradient :math:`\beta i/\kappa` to the Ohmic :math:`i/\kappa`, with

    .. math:: \beta = \frac{\kappa_D (1-t_+)}{F D c_b}
                    = \frac{2\kappa RT (1-t_+)^2\chi}{F^2 D c_b}.
    """
    zF = p.charge_per_mole_C_per_mol
    kappa_D = (2 * p.electrolyte_conductivity_S_per_m * p.thermal_voltage_V
               * (1 - p.cation_transference_number) * p.thermodynamic_factor
               / p.cation_charge_number)
    return kappa_D * (1 - p.cation_transference_number) / (
        zF * p.electrolyte_diffusivity_m2_per_s * p.bulk_concentration_mol_per_m3)


def sinusoid_current_amplitude(p: SurfaceParameters, amplitude_m: float, wavelength_m: float,
                               exchange_current_A_per_m2: float) -> float:
    r"""Relative amplitude ε of the current on a slightly wavy electrode (linear theory).

    Surface :math:`y = -A\cos kx` (:math:`k = 2\pi/\lambda`, :math:`kA \ll 1`), far
    boundary at :math:`kH \gg 1`, linear kinetics :math:`i_n = -\eta/R_{ct}` with
    :math:`R_{ct} = RT/((\alpha_a+\alpha_c) F i_0)`, current well below the limiting
    current. Potential and concentration perturbations are both harmonic,
    :math:`\propto e^{-ky}\cos kx`; the salt balance at the surface ties the
    concentration perturbation to the current perturbation, which makes the
    electrolyte act with the effective conductivity :math:`\kappa/(1+\beta)`
    (:func:`diffusion_resistance_ratio`). To first order in :math:`kA`

    .. math::
        i_n = \bar i\,[1 - \varepsilon\cos kx], \qquad
        \varepsilon = \frac{kA}{1 + k\kappa R_{ct}/(1+\beta)}
                    = \frac{kA}{1 + 2\pi\,\mathrm{Wa}},
        \qquad \mathrm{Wa} = \frac{\kappa R_{ct}}{(1+\beta)\lambda},

    the classical Wagner-number result for the secondary current distribution
    (C. Wagner, J. Electrochem. Soc. 98 (1951) 116; J. Newman and K. E. Thomas-Alyea,
    *Electrochemical Systems*; citations from memory, sections not checked here), with
    the concentration-polarisation correction derived above.
    """
    k = 2 * math.pi / wavelength_m
    r_ct = linear_charge_transfer_resistance_ohm_m2(p, exchange_current_A_per_m2)
    beta = diffusion_resistance_ratio(p)
    return k * amplitude_m / (1 + k * p.electrolyte_conductivity_S_per_m * r_ct / (1 + beta))


def flat_growth_von_mises_Pa(p: SurfaceParameters, current_A_per_m2: float,
                             pressure_Pa: float) -> float:
    r"""Maximum von Mises stress in a flat Li layer under pressure and growth strain [Pa].

    For a flat surface with uniform current the fields depend on depth only. With the
    sides held (:math:`\varepsilon_{xx} = 0`), plane strain (:math:`\varepsilon_{zz} = 0`),
    the surface traction :math:`\sigma_{yy} = -p` and the eigenstrain
    :math:`\varepsilon_g(d) = \varepsilon_0 e^{-d/\ell_g}`:

    .. math::
        \sigma_{yy} = -p, \qquad
        \sigma_{xx} = \sigma_{zz} = -p + \frac{2\mu}{\lambda + 2\mu}
            \left[p - (3\lambda + 2\mu)\varepsilon_g\right],

    so :math:`\sigma_{vM} = \frac{2\mu}{\lambda+2\mu}|p - (3\lambda+2\mu)\varepsilon_g|`,
    largest at the surface (:math:`\varepsilon_0 = \beta\Omega i t_{dep}/(F\ell_g)`) or
    deep down (:math:`\varepsilon_g \to 0`). The normal stress stays :math:`-p`: the
    growth strain does not change :math:`\sigma_{nn}` on a flat surface.
    """
    from hemcell.surface.mechanics import growth_strain_from_current, lame_parameters

    lam, mu = lame_parameters(p.li_youngs_modulus_Pa, p.li_poisson_ratio)
    eps0 = float(growth_strain_from_current(current_A_per_m2, p))
    factor = 2 * mu / (lam + 2 * mu)
    return factor * max(abs(pressure_Pa - (3 * lam + 2 * mu) * eps0), abs(pressure_Pa))


def sand_time_s(p: SurfaceParameters, current_A_per_m2: float) -> float:
    r"""Sand's time of a flat electrode in a semi-infinite electrolyte [s].

    The salt balance of the model, :math:`\partial_t c = -\nabla\cdot\mathbf N_+` with
    :math:`\mathbf N_+ = -D\nabla c + t_+\mathbf i/F` and :math:`\nabla\cdot\mathbf i = 0`,
    is pure diffusion :math:`\partial_t c = D\nabla^2 c` (constant D and t₊), with the
    surface flux :math:`D\,\partial c/\partial y = (1-t_+)i/F` (all current carried into
    the metal by Li⁺). For a constant flux G into a half-space,
    :math:`c(0,t) = c_b - 2G\sqrt{t/(\pi D)}`, which vanishes at

    .. math:: t_S = \frac{\pi D (c_b F)^2}{4\,(i(1-t_+))^2}

    (H. J. S. Sand, Phil. Mag. 1 (1901) 45; the dilute binary form, exact here for any
    thermodynamic factor).
    """
    g = (1 - p.cation_transference_number) * current_A_per_m2 / p.charge_per_mole_C_per_mol
    return (math.pi * p.electrolyte_diffusivity_m2_per_s * p.bulk_concentration_mol_per_m3**2
            / (4 * g**2))


#: A galvanostatic run's duration may be at most this many times the time a flat deposit
#: of the applied current takes to reach the height where the run stops
#: (:func:`flat_fill_time_s`; the phase field's ``phasefield_max_height_fraction`` of the
#: cell, the moving surface's ``TOP_CLEARANCE_FRACTION`` of the electrolyte). A rough
#: deposit gets there sooner, hydrogen evolution later: the factor leaves room for up to
#: 90 % of the current going to H2. Beyond it the run stops at the fill long before the
#: duration and its frames, spaced over the duration, are lost: ``--duration-s 1e9`` at
#: 1 mA/cm2 printed an ETA of 8e7 s (phase field) and kept only the initial frame and the
#: last (assumed bound; one for both models).
FILL_TIME_FACTOR = 10.0


def flat_fill_time_s(rise_m: float, current_A_per_m2: float,
                     charge_per_mole_C_per_mol: float, molar_volume_m3_per_mol: float) -> float:
    r"""Time a flat deposit takes to rise by ``rise_m`` at a plating current [s].

    Faraday's law with all of the current plating: the surface moves at
    :math:`v = i\,V_m/(zF)`, so :math:`t = \Delta h\,zF/(i V_m)` (1 mA/cm² of Li,
    13.0 cm³/mol, rises 1.35 nm/s: 22.5 µm in 1.67e4 s).
    """
    return rise_m * charge_per_mole_C_per_mol / (current_A_per_m2 * molar_volume_m3_per_mol)


#: What a duration past the fill loses (:func:`refuse_duration_past_fill`).
STOPS_AT_THE_FILL = ("where the run stops; the frames are spaced over the duration, so "
                     "nearly all would be lost")


def refuse_duration_past_fill(duration_s: float, fill_s: float, field: str, reached: str,
                              hint: str, consequence: str = STOPS_AT_THE_FILL) -> None:
    """Refuse (exit 2) a duration over :data:`FILL_TIME_FACTOR` × ``fill_s``.

    ``reached`` says what a flat deposit reaches by ``fill_s``, ``consequence`` what that
    does to the run, ``hint`` how to run until then.
    """
    if duration_s <= FILL_TIME_FACTOR * fill_s:
        return
    raise InputError(
        field, f"{duration_s:.4g} s",
        f"at most {FILL_TIME_FACTOR:g} x {fill_s:.4g} s: a flat deposit {reached} by "
        f"t = {fill_s:.4g} s (Faraday's law; a rough one sooner), {consequence}",
        hint=hint)


def semi_infinite_surface_concentration(p: SurfaceParameters, current_A_per_m2: float,
                                        time_s: float) -> float:
    """c(0, t) = c_b − 2G√(t/(πD)), G = (1−t₊)i/F [mol m⁻³] (see :func:`sand_time_s`)."""
    g = (1 - p.cation_transference_number) * current_A_per_m2 / p.charge_per_mole_C_per_mol
    return p.bulk_concentration_mol_per_m3 - 2 * g * math.sqrt(
        time_s / (math.pi * p.electrolyte_diffusivity_m2_per_s))
