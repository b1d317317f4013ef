r"""Phase-field electrodeposition of a metal (Li, Zn): dendrite morphology, bare vs coated.

The non-conserved order parameter :math:`\xi` (1 = metal, 0 = electrolyte) evolves by the
Allen–Cahn equation with a nonlinear Butler–Volmer reaction term, coupled to the salt
concentration :math:`c` and the electrolyte potential :math:`\phi` — the structure of
Chen et al., *J. Power Sources* 300 (2015) 376 and Hong & Viswanathan, *ACS Energy
Lett.* 3 (2018) 1737 (their MOOSE input file, kernels ``AllenCahn`` + ``ACInterface`` +
``Kinetics``; see ``literature-phasefield-zn-eis.md`` §A1):

.. math::
    \frac{\partial\xi}{\partial t} = -L_\sigma\Big[W g'(\xi)
        - \nabla\cdot\big(\kappa\,a(\theta)^2\nabla\xi + \kappa\,a a'(\theta)\,
          \nabla^\perp\xi\big)\Big]
        - L_\eta(x)\, h'(\xi)\Big[e^{(1-\alpha) z f\eta} - \tilde c\,e^{-\alpha z f\eta}\Big]
    \quad (1)

    \psi\,\frac{\partial c}{\partial t} = \nabla\cdot(\psi D\nabla c)
        - (1-t_+)\,c_s\,\frac{\partial\xi}{\partial t} \quad (2)

    \nabla\cdot(\psi\,\kappa_e\nabla\phi) = z F c_s\,\frac{\partial\xi}{\partial t} \quad (3)

with :math:`g = \xi^2(1-\xi)^2`, :math:`h = \xi^3(6\xi^2-15\xi+10)` (MOOSE
``SwitchingFunctionMaterial`` HIGH, so :math:`h' = 30\xi^2(1-\xi)^2`), :math:`f = F/RT`,
:math:`\tilde c = c/c_b`, :math:`c_s = 1/\Omega` the metal's molar density,
:math:`\psi = 1-\xi + \psi_{min}` the electrolyte fraction (transport and conduction only
in the electrolyte; linear in :math:`\xi` so that the sinks of (2), (3), which are
:math:`\propto\xi(1-\xi)` across the interface, stay bounded by :math:`\psi`), and the
overpotential :math:`\eta = -\phi + \Delta\eta_{film}`: the metal is the potential
reference (:math:`\phi_{metal} = 0`), :math:`\phi` is the electrolyte potential against
a metal reference electrode in equilibrium with :math:`c_b` (Chen's concentration factor
:math:`\tilde c` in the cathodic branch gives the Nernst shift at other :math:`c`), and
:math:`\Delta\eta_{film} = i_{app}h_c/\kappa_c` is the Ohmic drop of a coating film
(0 bare). Equation (3) says the ionic current is consumed where metal forms; (2) that a
fraction :math:`1-t_+` of the deposited cations comes out of the salt (the rest is
carried by migration) — together the sharp-interface conditions of
:mod:`hemcell.surface.electrolyte` (:math:`D\partial_n c = (1-t_+)i_n/(zF)`,
:math:`i\cdot n = i_n`) in the thin-interface limit, since
:math:`\int\partial_t\xi\,dn = v_n = i_n\Omega/(zF)`. Convection of the electrolyte
displaced by the deposit is neglected, as in the sharp-interface model.

Parameters of (1), from physical ones:

- interfacial energy :math:`\gamma` and interface width :math:`\ell` (the equilibrium
  profile is :math:`\xi = [1+\exp(n/\ell)]^{-1} = \tfrac12[1-\tanh(n/2\ell)]`):
  :math:`W = 3\gamma/\ell`, :math:`\kappa = 6\gamma\ell` (so that
  :math:`\gamma = \sqrt{2\kappa W}/6` and :math:`\ell = \sqrt{\kappa/2W}`);
- interfacial mobility :math:`L_\sigma = M_K/\kappa` from the curvature mobility
  :math:`M_K` (the sharp-interface limit of the Allen–Cahn part is motion by curvature,
  :math:`v_n = L_\sigma\kappa K`, independent of the energy scale);
- reaction constant :math:`L_\eta = i_0/(zFc_s\cdot 5\ell)`: for the equilibrium
  profile :math:`\int h'(\xi)\,dn = 5\ell`, so the interface moves with
  :math:`v_n = (\Omega/zF)\,i_0[\ldots]`, the Butler–Volmer current of the sharp model
  with the same :math:`i_0` (:func:`reaction_constant_per_s`);
- anisotropy :math:`a(\theta) = 1+\delta\cos m(\theta-\theta_0)`, :math:`\theta` the
  direction of :math:`\nabla\xi` (Kobayashi form; the term :math:`a a'\nabla^\perp\xi`,
  :math:`\nabla^\perp\xi = (-\partial_y\xi, \partial_x\xi)`, is the variation of
  :math:`\tfrac12\kappa a^2|\nabla\xi|^2` with :math:`\theta`); :math:`\cos m\theta`,
  :math:`\sin m\theta` are evaluated as polynomials in the components of
  :math:`\nabla\xi/|\nabla\xi|` (no ``atan2``, smooth for Newton).

Bare metal: :math:`L_\eta(x) = L_\eta\,g(x)`, the mean-one log-normal native-SEI field of
:func:`hemcell.surface.kinetics.sei_heterogeneity_factor` (the same field as the
sharp-interface model). Coated metal: uniform kinetics with the coated exchange current
(:func:`hemcell.laws.coated_exchange_current`, the film's own drop
:math:`h_c/\kappa_c` taken out and applied as :math:`\Delta\eta_{film}`), and the elastic
suppression of the coating: a film of thickness :math:`h_c` and plane-strain modulus
:math:`\bar E_c = E_c/(1-\nu_c^2)` that conforms to the deposit is stretched by
:math:`\varepsilon_m = L_{int}/W - 1` (interface length over projected length) and
carries the membrane tension :math:`T = \bar E_c h_c\varepsilon_m`, which adds to the
interfacial energy, :math:`\gamma_{eff} = \gamma + T` (Laplace/Gibbs–Thomson: a tension
:math:`T` on a curved surface is a normal stress :math:`TK`, the Monroe–Newman metal-side
term of :mod:`hemcell.surface.kinetics`). :math:`T` is updated after every step
(explicit). A nm film is far thinner than any resolvable interface width, so by default
(``coating_model`` ``interface``) it is an interface property (the thin-layer coating
of :mod:`hemcell.surface.coating`), not a meshed band.

Coating as a region (``coating_model`` ``region``; region rule
:math:`h_c \ge 2\times 2\ln 9\,\ell`, else :class:`~hemcell.errors.InputError`):
a layer of thickness :math:`h_c` above the deposit with its own ionic conductivity
:math:`\kappa_c` and salt diffusivity :math:`D_c` (given, else :math:`D\kappa_c/\kappa_e`,
one effective-medium factor for both), and the elastic energy of its modulus. The layer
rides on the deposit through a distance field computed from ξ: the screened Poisson
problem :math:`u - r^2\nabla^2 u = \xi^n` (:math:`r = h_c/4`, zero flux) gives
:math:`d = r\ln C - r\ln 2u` (exact above a flat front, :func:`distance_above_metal_m`),
and the layer indicator is :math:`\chi = \tfrac12[1-\tanh((d-h_c)/2\ell)]` (1 in the
layer, 0 above it; inside the metal ψ ≈ ψ_min masks it). A distance field was chosen
over a second, advected order parameter because the layer then keeps its thickness by
construction (no second interface to keep sharp, no extra unknowns in the Newton
system). χ is updated after every accepted step (one step behind the front, less than
ℓ/2 under the Δξ target). Equations (2), (3) take series-mixed coefficients

.. math::
    \frac{1}{\kappa(\chi)} = \frac{1-\chi}{\kappa_e} + \frac{\chi}{\kappa_c},\qquad
    \frac{1}{D(\chi)} = \frac{1-\chi}{D} + \frac{\chi}{D_c} \quad (4)

(exact :math:`\int dy/\kappa` across a flat layer: the layer's drop is
:math:`i h_c/\kappa_c`), so :math:`\Delta\eta_{film} = 0` (the drop is resolved) and the
membrane tension is not used. Elastic energy: the layer of confined modulus
:math:`M_c = E_c(1-\nu_c)/((1+\nu_c)(1-2\nu_c))`, held by the cell stack above it,
is compressed where the deposit height s(x) (the ξ = ½ crossing of the column; for a
translated profile :math:`\int\xi\,dy` up to a constant) stands above its mean
:math:`\bar s`:

.. math::
    E_{el} = \int \tfrac12\,\frac{M_c}{h_c}\,(s-\bar s)^2\,dx,\qquad
    \frac{\delta E_{el}}{\delta\xi(x,y)} = p(x) = \frac{M_c}{h_c}\,(s(x)-\bar s) \quad (5)

(a Winkler foundation, :func:`layer_pressure_Pa`). Depositing a mole of metal against
:math:`p` costs :math:`\Omega p`, so in (1) :math:`\eta \to \eta + \Omega p/(zF)`
(the Monroe–Newman metal-side shift :math:`-\sigma_{nn}\Omega/(zF)` with
:math:`\sigma_{nn} = -p`, :func:`hemcell.surface.kinetics.mechanical_potential_shift_V`):
plating slows on the high columns and speeds up in the valleys; :math:`\int p\,dx = 0`,
and :math:`E_c = 0` gives :math:`p = 0`. p is evaluated from the accepted state
(explicit); the step is capped by :func:`mechanical_step_limit_s`. Field limit: the
layer carries :math:`E = i/\kappa_c`; for :math:`\alpha zfE\ell \ge 1` the profile's
tail ahead of the front nucleates metal inside the layer
(:attr:`PhaseFieldParameters.max_layer_field_V_per_m`), so such galvanostatic runs are
refused, as are currents above the limiting current of the layer in series with the
electrolyte gap g above it, :math:`zFc_b/((1-t_+)(h_c/D_c + g/D))` (the salt at the metal
runs out; every galvanostatic run, h_c = 0 without a resolved layer).

Discretisation: P1 for :math:`(\xi, \tilde c, \hat\phi = \phi F/RT)` in one mixed space,
lengths in µm (:data:`LENGTH_UNIT_M`), backward Euler, one Newton solve (PETSc SNES,
MUMPS LU) per step. Weak forms (test functions :math:`w, q, v`; residuals scaled to
O(1); :math:`\Gamma_{top}` the far boundary):

.. math::
    \int\Big[\frac{\xi-\xi^n}{\Delta t}w + \hat M\big(\mathbf j(\xi)\cdot\nabla w
        + \frac{g'(\xi)}{2\hat\ell^2}w\big) + L_\eta h'(\xi) B\,w\Big] = 0

    \int\Big[\psi\frac{\tilde c-\tilde c^n}{\hat D\Delta t}q + \psi\nabla\tilde c\cdot\nabla q
        + \frac{(1-t_+)c_s}{c_b}\frac{\xi-\xi^n}{\hat D\Delta t}q\Big] = 0

    \int\Big[\psi\nabla\hat\phi\cdot\nabla v + \Lambda\frac{\xi-\xi^n}{\Delta t}v\Big]
        - \int_{\Gamma_{top}} J v = 0

(region form: :math:`\psi\nabla\tilde c\cdot\nabla q \to \psi (D(\chi)/D)\nabla\tilde
c\cdot\nabla q`, :math:`\psi\nabla\hat\phi\cdot\nabla v \to
\psi(\kappa(\chi)/\kappa_e)\nabla\hat\phi\cdot\nabla v` and
:math:`B = B(\eta + \Omega p/zF)`, as in (4), (5))

with :math:`\hat M = M_K\gamma_{eff}/(\gamma L_0^2)`, :math:`\hat D = D/L_0^2`,
:math:`\Lambda = zFc_sL_0^2F/(\kappa_eRT)`, :math:`J = i_{app}L_0F/(\kappa_eRT)`
(galvanostatic) or :math:`\hat\phi = \phi_{app}F/RT` on :math:`\Gamma_{top}`
(potentiostatic). With :math:`v = 1` the charge row gives
:math:`\int(\xi-\xi^n) = i_{app}W\Delta t\,\Omega/(zF)`: every step deposits exactly the
Faraday volume. Far boundary: :math:`\tilde c = 1`. Metal side (bottom) and lateral
sides: zero flux (symmetry planes).

Mesh rule: a uniform triangle mesh with :math:`N` (``cells_per_interface_width``) cells
across the 10–90 % width of the profile, :math:`2\ln 9\,\ell \approx 4.39\,\ell`, i.e.
:math:`\Delta x = 4.39\,\ell/N`; :math:`N\ge 3` (:data:`MIN_CELLS_PER_INTERFACE_WIDTH`).

Time step: adaptive. After a step the largest change of :math:`\xi` is compared with
``max_order_parameter_change`` (a step with more than twice that is redone with a
smaller step); the next step is scaled by :math:`0.9\,\Delta\xi_{target}/\Delta\xi`
(between ×0.3 and ×1.5), capped by ``max_time_step_s`` and the next frame time. A
failed Newton solve halves the step.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from hemcell.errors import InputError, SimulationError, require_finite_and_positive
from hemcell.laws import FARADAY_C_PER_MOL, thermal_voltage_V
from hemcell.params.uses import ParameterUse
from hemcell.surface.analytic import current_density_text

PhaseFieldCase = Literal["bare", "coated"]
PHASEFIELD_CASES: tuple[str, ...] = ("bare", "coated")
Control = Literal["galvanostatic", "potentiostatic"]
#: How a coating enters: as an interface property (thin film) or as a resolved layer.
COATING_MODELS: tuple[str, ...] = ("interface", "region")
#: Length unit of the mesh coordinates [m] (the mesh is built in µm).
LENGTH_UNIT_M = 1e-6
#: 10–90 % width of the tanh profile in units of ℓ: 2 ln 9.
PROFILE_WIDTH_PER_ELL = 2.0 * math.log(9.0)
#: Mesh rule: at least this many cells across the 10–90 % interface width.
MIN_CELLS_PER_INTERFACE_WIDTH = 3.0
#: Largest mesh a run is started on per MPI rank, in degrees of freedom (three P1 fields
#: ξ, c̃, φ̃ on the uniform mesh) [-]; a run on N ranks (``mpiexec -n N``, the mesh split
#: over ``MPI.COMM_WORLD``) takes N times as many (:func:`mesh_dof_cap`). Assumed, from the
#: measured cost: one step on 101 568 DOFs took 9.9 s on one rank of the 2-core machine
#: (``benchmarks/bench_phasefield.py``, MUMPS LU, whose cost grows at least linearly), so
#: 1e6 DOFs take ≳ 100 s per step and hours for a run of ~80 steps; a 10 nm interface on
#: the default 20 µm cell would be 5.6e6 DOFs (3.7e6 cells). Per rank because each
#: process holds its share of the mesh, the Jacobian and the (distributed) MUMPS factors,
#: so memory and work per process stay those of one rank at this cap; the time per step
#: falls at best as 1/N (7.6 s on 2 ranks for the 9.9 s above, speed-up 1.3), and ranks
#: beyond the cores raise the cap without speeding anything up.
MAX_DOFS_PER_RANK = 1_000_000
#: Measured time of one step per DOF on one rank [s] (9.9 s / 101 568 DOFs, above).
STEP_TIME_PER_DOF_S = 9.9 / 101_568


def mpi_world_ranks() -> int:
    """Ranks of ``MPI.COMM_WORLD``, the communicator a run's mesh is split over."""
    from mpi4py import MPI

    return int(MPI.COMM_WORLD.size)


def mesh_dof_cap(ranks: int) -> int:
    """Largest mesh [DOFs] a run on ``ranks`` MPI ranks starts on:
    ``ranks`` × :data:`MAX_DOFS_PER_RANK`."""
    return MAX_DOFS_PER_RANK * ranks


#: ∫ h'(ξ) dn over the equilibrium profile, in units of ℓ (h' = 30 ξ²(1-ξ)²).
SWITCHING_INTEGRAL_PER_ELL = 5.0
#: Quadrature degree of the cell integrals (P1 fields; exact for the linear terms).
QUADRATURE_DEGREE = 4
#: Region rule: a resolved coating is at least this many 10–90 % interface widths thick
#: (its interior, where the layer's own coefficients hold, is then wider than its two
#: diffuse edges together).
MIN_REGION_THICKNESS_PER_PROFILE_WIDTH = 2.0
#: Screening length r of the distance filter in units of the coating thickness
#: (u(h_c) ≈ ½e⁻⁴: well above round-off; r ≥ 2.2ℓ under the region rule).
DISTANCE_FILTER_PER_THICKNESS = 0.25


@dataclass(frozen=True)
class PhaseFieldParameters:
    """Inputs of one phase-field run, SI floats (names with units).

    Attributes
    ----------
    temperature_K
        T.
    charge_number
        z of the plated cation (Li⁺ 1, Zn²⁺ 2) and of the z:z salt.
    bulk_concentration_mol_per_m3
        c_b at the far boundary.
    electrolyte_diffusivity_m2_per_s, electrolyte_conductivity_S_per_m
        D and κ_e of the electrolyte.
    cation_transference_number
        t₊.
    metal_molar_volume_m3_per_mol
        Ω (c_s = 1/Ω).
    exchange_current_density_A_per_m2
        Mean i₀ of the case at T (bare: the reference value with Arrhenius; coated: the
        coated-interface rule).
    transfer_coefficient
        Symmetry factor α of the z-electron step: exponents (1 − α)zfη (anodic) and
        −αzfη (cathodic), as in Chen 2015.
    surface_energy_J_per_m2
        γ of the metal/electrolyte interface.
    interface_width_m
        ℓ of the profile ξ = [1 + exp(n/ℓ)]⁻¹.
    curvature_mobility_m2_per_s
        M_K = L_σ κ.
    anisotropy_strength, anisotropy_mode, anisotropy_angle_rad
        δ, m, θ₀ of a(θ) = 1 + δ cos m(θ − θ₀).
    sei_heterogeneity_amplitude, sei_correlation_length_m, sei_seed
        Native-SEI field of the bare metal (ignored when coated).
    coating_thickness_m, coating_conductivity_S_per_m, coating_youngs_modulus_Pa,
    coating_poisson_ratio
        The coating (thickness 0: bare).
    applied_current_density_A_per_m2
        Galvanostatic plating current density (positive = plating).
    applied_potential_V
        Potentiostatic electrolyte potential at the far boundary vs the metal.
    domain_width_m, domain_height_m
        W (lateral, sides are symmetry planes) and H (metal bottom to far boundary).
    initial_metal_height_m
        Mean height of the initial metal surface above the bottom.
    roughness_amplitude_m, roughness_correlation_length_m, roughness_seed
        Initial surface s(x) = s₀ + A G(x), G the unit Gaussian field of
        :func:`hemcell.surface.kinetics.gaussian_random_field`.
    cells_per_interface_width
        N of the mesh rule (module docstring).
    electrolyte_fraction_floor
        ψ_min (regularises the transport operators inside the metal).
    duration_s, initial_time_step_s, max_time_step_s, max_order_parameter_change
        Time stepping (module docstring).
    frames
        Number of stored snapshots (≥ 2: start and end included).
    max_height_fraction
        Stop when the deposit reaches this fraction of the domain height.
    control
        ``galvanostatic`` or ``potentiostatic``.
    """

    temperature_K: float
    charge_number: float
    bulk_concentration_mol_per_m3: float
    electrolyte_diffusivity_m2_per_s: float
    electrolyte_conductivity_S_per_m: float
    cation_transference_number: float
    metal_molar_volume_m3_per_mol: float
    exchange_current_density_A_per_m2: float
    transfer_coefficient: float
    surface_energy_J_per_m2: float
    interface_width_m: float
    curvature_mobility_m2_per_s: float
    anisotropy_strength: float
    anisotropy_mode: int
    anisotropy_angle_rad: float
    sei_heterogeneity_amplitude: float
    sei_correlation_length_m: float
    sei_seed: int
    coating_thickness_m: float
    coating_conductivity_S_per_m: float
    coating_youngs_modulus_Pa: float
    coating_poisson_ratio: float
    applied_current_density_A_per_m2: float
    domain_width_m: float
    domain_height_m: float
    initial_metal_height_m: float
    roughness_amplitude_m: float
    roughness_correlation_length_m: float
    roughness_seed: int
    cells_per_interface_width: float
    electrolyte_fraction_floor: float
    duration_s: float
    initial_time_step_s: float
    max_time_step_s: float
    max_order_parameter_change: float
    frames: int
    max_height_fraction: float
    applied_potential_V: float = 0.0
    control: Control = "galvanostatic"
    coating_model: str = "interface"
    coating_diffusivity_m2_per_s: float | None = None

    def __post_init__(self) -> None:
        """Reject non-finite values and values outside their physical range."""
        positive = (
            "temperature_K", "charge_number", "bulk_concentration_mol_per_m3",
            "electrolyte_diffusivity_m2_per_s", "electrolyte_conductivity_S_per_m",
            "metal_molar_volume_m3_per_mol", "exchange_current_density_A_per_m2",
            "surface_energy_J_per_m2", "interface_width_m", "curvature_mobility_m2_per_s",
            "sei_correlation_length_m", "coating_conductivity_S_per_m",
            "domain_width_m", "domain_height_m",
            "initial_metal_height_m", "roughness_correlation_length_m",
            "electrolyte_fraction_floor", "duration_s", "initial_time_step_s",
            "max_time_step_s", "max_order_parameter_change")
        require_finite_and_positive(self, "phase-field parameter", positive)
        for name in ("cation_transference_number", "transfer_coefficient"):
            if not 0 < getattr(self, name) < 1:
                raise InputError(f"phase-field parameter {name}", getattr(self, name), "(0, 1)")
        if not -1 < self.coating_poisson_ratio < 0.5:
            raise InputError("phase-field parameter coating_poisson_ratio",
                             self.coating_poisson_ratio, "(-1, 0.5)")
        for name in ("anisotropy_strength", "coating_thickness_m", "roughness_amplitude_m",
                     "sei_heterogeneity_amplitude", "coating_youngs_modulus_Pa"):
            if getattr(self, name) < 0:
                raise InputError(f"phase-field parameter {name}", getattr(self, name), ">= 0")
        if self.anisotropy_mode < 1:
            raise InputError("phase-field parameter anisotropy_mode", self.anisotropy_mode,
                             "an integer >= 1 (4: cubic, 6: hexagonal)")
        if self.cells_per_interface_width < MIN_CELLS_PER_INTERFACE_WIDTH:
            raise InputError("phasefield_cells_per_interface_width",
                             self.cells_per_interface_width,
                             f">= {MIN_CELLS_PER_INTERFACE_WIDTH:g} (cells across the "
                             "10-90 % width 4.39 l of the interface)")
        if not 0 < self.initial_metal_height_m < self.domain_height_m:
            raise InputError("phasefield_initial_metal_height", self.initial_metal_height_m,
                             f"(0, domain height {self.domain_height_m:g} m)")
        if not self.initial_metal_height_m / self.domain_height_m < self.max_height_fraction < 1:
            raise InputError("phasefield_max_height_fraction", self.max_height_fraction,
                             "between the initial metal height / domain height and 1")
        # the tanh profile's 10-90 % width 2 ln 9 l must fit in the metal below the
        # interface and in the electrolyte above the highest deposit the run allows
        profile_m = PROFILE_WIDTH_PER_ELL * self.interface_width_m
        room_m = min(self.initial_metal_height_m,
                     (1.0 - self.max_height_fraction) * self.domain_height_m)
        if profile_m > room_m:
            raise InputError(
                "phasefield_interface_width", f"{self.interface_width_m:.3g} m",
                f"<= {room_m / PROFILE_WIDTH_PER_ELL:.3g} m: the interface's 10-90 % width "
                f"2 ln 9 l = {profile_m:.3g} m must fit in the metal below it (initial "
                f"metal height {self.initial_metal_height_m:.3g} m) and in the electrolyte "
                f"above the highest deposit ((1 - max height fraction) x domain height = "
                f"{(1.0 - self.max_height_fraction) * self.domain_height_m:.3g} m)",
                hint="a narrower interface, more metal, or a taller cell "
                     "(phasefield_domain_height)")
        if self.dofs > MAX_DOFS_PER_RANK:  # the communicator counts only above one rank's
            self.check_mesh_size(mpi_world_ranks())
        if self.frames < 2:
            raise InputError("phasefield_frames", self.frames, ">= 2 (start and end)")
        if self.control not in ("galvanostatic", "potentiostatic"):
            raise InputError("control", self.control, "galvanostatic, potentiostatic")
        if self.control == "galvanostatic" and not self.applied_current_density_A_per_m2 > 0:
            raise InputError("applied_current_density", self.applied_current_density_A_per_m2,
                             "> 0 (plating)")
        if self.coating_model not in COATING_MODELS:
            raise InputError("coating_model", self.coating_model, ", ".join(COATING_MODELS))
        d_c = self.coating_diffusivity_m2_per_s
        if d_c is not None and not (math.isfinite(d_c) and d_c > 0):
            raise InputError("phase-field parameter coating_diffusivity_m2_per_s", d_c, "> 0")
        if self.coating_region and self.coating_thickness_m < self.min_region_thickness_m:
            raise InputError(
                "coating_thickness", f"{self.coating_thickness_m * 1e9:.4g} nm",
                f">= {self.min_region_thickness_m * 1e9:.4g} nm for coating_model region "
                f"({MIN_REGION_THICKNESS_PER_PROFILE_WIDTH:g} x the 10-90 % interface width "
                f"4.39 l, l = {self.interface_width_m * 1e9:.4g} nm)",
                hint="a thinner coating is an interface property: coating_model interface "
                     "(--coating-model interface)")
        if (self.coating_region and self.control == "galvanostatic"
                and self.layer_field_V_per_m >= self.max_layer_field_V_per_m):
            raise InputError(
                "coating_ionic_conductivity", f"{self.coating_conductivity_S_per_m:.4g} S/m",
                f"> {self.applied_current_density_A_per_m2 / self.max_layer_field_V_per_m:.3g}"
                " S/m at "
                f"{current_density_text(self.applied_current_density_A_per_m2)} for coating_model "
                f"region: the layer's field i/kappa_c = {self.layer_field_V_per_m:.3g} V/m must "
                f"stay below RT/(alpha z F l) = {self.max_layer_field_V_per_m:.3g} V/m, else "
                "the diffuse front's tail nucleates metal inside the layer",
                hint="raise coating_ionic_conductivity, lower the current, or use "
                     "coating_model interface")
        if (self.control == "galvanostatic"
                and self.applied_current_density_A_per_m2 >= self.limiting_current_A_per_m2):
            h_c = self.coating_thickness_m if self.coating_region else 0.0
            gap_m = self.domain_height_m - self.initial_metal_height_m - h_c
            values = (f"z = {self.charge_number:g}, c_b = {self.bulk_concentration_mol_per_m3:.4g}"
                      f" mol/m**3, t+ = {self.cation_transference_number:.4g}, "
                      f"D = {self.electrolyte_diffusivity_m2_per_s:.4g} m**2/s, gap = "
                      f"{gap_m * 1e6:.4g} um at T = {self.temperature_K:.5g} K")
            where = (f"zF c_b/((1 - t+)(h_c/D_c + gap/D)) of the layer (coating_model region: "
                     f"D_c = {self.coating_salt_diffusivity_m2_per_s:.4g} m**2/s, h_c = "
                     f"{self.coating_thickness_m * 1e6:.4g} um) and the electrolyte above it"
                     if self.coating_region else
                     "zF c_b D/((1 - t+) gap) of the electrolyte gap above the metal")
            raise InputError(
                "applied_current_density",
                current_density_text(self.applied_current_density_A_per_m2),
                f"below the limiting current {current_density_text(self.limiting_current_A_per_m2)}"
                f" = {where}, with {values} (above it the salt at the metal runs out and the "
                "concentration turns negative)",
                hint=("a thinner or more conductive layer (D_c = D kappa_c/kappa_e), or a "
                      "lower current") if self.coating_region else "a lower current")

    def check_mesh_size(self, ranks: int) -> None:
        """Refuse a mesh above :func:`mesh_dof_cap` of ``ranks`` MPI ranks.

        Raises
        ------
        InputError
            Naming ``phasefield_interface_width``, the mesh (squares, triangles, DOFs,
            cell size and domain), the cap on ``ranks`` ranks and per rank, the estimated
            time per step (the one-rank measurement divided by ``ranks``: a lower bound)
            and, as hint, the narrowest width that fits.
        """
        cap = mesh_dof_cap(ranks)
        if self.dofs <= cap:
            return
        nx, ny = self.mesh_divisions
        on, per_rank = "one rank", ""
        if ranks > 1:
            on = f"{ranks} MPI ranks ({MAX_DOFS_PER_RANK:.3g} per rank)"
            per_rank = f", {self.dofs / ranks:.3g} per rank"
        step_s = STEP_TIME_PER_DOF_S * self.dofs / ranks
        raise InputError(
            "phasefield_interface_width", self.interface_width_m,
            f"a mesh of at most {cap:.3g} DOFs on {on}: "
            f"this one has {nx} x {ny} squares ({2 * nx * ny:.3g} triangles, "
            f"{self.dofs:.3g} DOFs{per_rank}; cell size "
            f"{self.mesh_size_m:.3g} m = 4.39 l / phasefield_cells_per_interface_width "
            f"{self.cells_per_interface_width:g} over phasefield_domain_width x height "
            f"{self.domain_width_m:.3g} x {self.domain_height_m:.3g} m), about "
            f"{step_s:.3g} s per step (measured 9.9 s per step at 101 568 DOFs on one "
            f"rank{'' if ranks == 1 else f', divided by {ranks}: at least that'}), "
            "hours to days for a run",
            hint=f"a wider interface (>= {self._smallest_width_m(ranks):.3g} m with this "
                 "cell, cells per width and ranks), a smaller cell (phasefield_domain_width, "
                 "phasefield_domain_height) or fewer cells per interface width (>= 3)")

    def replace(self, **changes: Any) -> PhaseFieldParameters:
        """Copy with some fields changed (validated again)."""
        return replace(self, **changes)

    # ------------------------------------------------------------ derived quantities
    @property
    def thermal_voltage_V(self) -> float:
        """RT/F [V]."""
        return thermal_voltage_V(self.temperature_K)

    @property
    def metal_site_density_mol_per_m3(self) -> float:
        """c_s = 1/Ω."""
        return 1.0 / self.metal_molar_volume_m3_per_mol

    @property
    def mesh_size_m(self) -> float:
        """Δx = 2 ln 9 ℓ / N (the mesh rule)."""
        return PROFILE_WIDTH_PER_ELL * self.interface_width_m / self.cells_per_interface_width

    @property
    def mesh_divisions(self) -> tuple[int, int]:
        """Squares (two triangles each) across the width and the height of the cell."""
        h = self.mesh_size_m / LENGTH_UNIT_M  # in the mesh's length unit, as built
        return (max(2, math.ceil(self.domain_width_m / LENGTH_UNIT_M / h)),
                max(2, math.ceil(self.domain_height_m / LENGTH_UNIT_M / h)))

    @property
    def dofs(self) -> int:
        """Degrees of freedom of the three P1 fields on the mesh, 3 (nx + 1)(ny + 1)."""
        nx, ny = self.mesh_divisions
        return 3 * (nx + 1) * (ny + 1)

    def _smallest_width_m(self, ranks: int) -> float:
        """The narrowest interface width whose mesh fits :func:`mesh_dof_cap` of ``ranks``
        ranks (nodes ≈ W H / Δx², Δx = 4.39 ℓ / N)."""
        nodes = mesh_dof_cap(ranks) / 3.0
        h_min = math.sqrt(self.domain_width_m * self.domain_height_m / nodes)
        return h_min * self.cells_per_interface_width / PROFILE_WIDTH_PER_ELL * 1.02

    @property
    def coated(self) -> bool:
        """Whether a coating film is present (thickness > 0)."""
        return self.coating_thickness_m > 0

    @property
    def coating_region(self) -> bool:
        """Whether the coating is a resolved layer (coated and ``coating_model`` region)."""
        return self.coated and self.coating_model == "region"

    @property
    def min_region_thickness_m(self) -> float:
        """Thinnest coating the region form accepts: 2 × 2 ln 9 ℓ [m] (the region rule)."""
        return MIN_REGION_THICKNESS_PER_PROFILE_WIDTH * PROFILE_WIDTH_PER_ELL \
            * self.interface_width_m

    @property
    def layer_field_V_per_m(self) -> float:
        """i_app/κ_c: the electric field in a resolved layer (galvanostatic) [V/m]."""
        return self.applied_current_density_A_per_m2 / self.coating_conductivity_S_per_m

    @property
    def limiting_current_A_per_m2(self) -> float:
        """zF c_b/((1 − t₊)[h_c/D_c + g/D]): the largest steady current through a resolved
        layer (``coating_model`` region; else h_c = 0) in series with the electrolyte gap
        g = H − s₀ − h_c above it (the salt flux (1 − t₊)i/(zF) with c falling from c_b to
        0; at the start: g only shrinks) [A/m²]."""
        h_c = self.coating_thickness_m if self.coating_region else 0.0
        gap_m = max(self.domain_height_m - self.initial_metal_height_m - h_c, 0.0)
        layer_s_per_m = h_c / self.coating_salt_diffusivity_m2_per_s if h_c > 0 else 0.0
        resistance_s_per_m = layer_s_per_m + gap_m / self.electrolyte_diffusivity_m2_per_s
        return (self.charge_number * FARADAY_C_PER_MOL * self.bulk_concentration_mol_per_m3
                / ((1.0 - self.cation_transference_number) * resistance_s_per_m))

    @property
    def max_layer_field_V_per_m(self) -> float:
        r"""RT/(αzFℓ): the largest field a resolved layer may carry [V/m].

        Ahead of the front the profile's tail is :math:`\xi\sim e^{-d/\ell}`; the reaction
        term :math:`h'(\xi)e^{\alpha zf\phi}\sim\xi^2 e^{\alpha zfEd}` against the
        double-well restoring term :math:`\propto\xi` grows with the distance d when
        :math:`\alpha zfE\ell > 1`, and metal nucleates inside the layer.
        """
        return self.thermal_voltage_V / (self.transfer_coefficient * self.charge_number
                                         * self.interface_width_m)

    @property
    def coating_salt_diffusivity_m2_per_s(self) -> float:
        """D_c of the layer: given, else D κ_c/κ_e (one effective-medium factor for both)."""
        if self.coating_diffusivity_m2_per_s is not None:
            return self.coating_diffusivity_m2_per_s
        return (self.electrolyte_diffusivity_m2_per_s * self.coating_conductivity_S_per_m
                / self.electrolyte_conductivity_S_per_m)

    @property
    def coating_confined_modulus_Pa(self) -> float:
        """M_c = E_c(1−ν_c)/((1+ν_c)(1−2ν_c)): uniaxial strain, no lateral strain [Pa]."""
        nu = self.coating_poisson_ratio
        return self.coating_youngs_modulus_Pa * (1 - nu) / ((1 + nu) * (1 - 2 * nu))

    @property
    def film_overpotential_shift_V(self) -> float:
        """Δη_film = i_app h_c/κ_c [V] (0 bare, in potentiostatic runs and in the region
        form, which resolves the layer's drop)."""
        if not self.coated or self.control != "galvanostatic" or self.coating_region:
            return 0.0
        return (self.applied_current_density_A_per_m2 * self.coating_thickness_m
                / self.coating_conductivity_S_per_m)


# ---------------------------------------------------------------- which values it reads
#: PhaseFieldParameters field -> the phase-field set's registry name and unit.
_PHASEFIELD_NAMES: dict[str, ParameterUse] = {
    "interface_width_m": ParameterUse("phasefield_interface_width", "m"),
    "curvature_mobility_m2_per_s": ParameterUse("phasefield_curvature_mobility", "m**2/s"),
    "anisotropy_strength": ParameterUse("phasefield_anisotropy_strength", "dimensionless"),
    "anisotropy_mode": ParameterUse("phasefield_anisotropy_mode", "dimensionless"),
    "anisotropy_angle_rad": ParameterUse("phasefield_anisotropy_angle", "radian"),
    "applied_current_density_A_per_m2": ParameterUse("applied_current_density", "A/m**2"),
    "domain_width_m": ParameterUse("phasefield_domain_width", "m"),
    "domain_height_m": ParameterUse("phasefield_domain_height", "m"),
    "initial_metal_height_m": ParameterUse("phasefield_initial_metal_height", "m"),
    "roughness_amplitude_m": ParameterUse("phasefield_roughness_amplitude", "m"),
    "roughness_correlation_length_m": ParameterUse(
        "phasefield_roughness_correlation_length", "m"),
    "roughness_seed": ParameterUse("phasefield_roughness_seed", "dimensionless"),
    "cells_per_interface_width": ParameterUse(
        "phasefield_cells_per_interface_width", "dimensionless"),
    "electrolyte_fraction_floor": ParameterUse(
        "phasefield_electrolyte_fraction_floor", "dimensionless"),
    "duration_s": ParameterUse("phasefield_duration", "s"),
    "initial_time_step_s": ParameterUse("phasefield_initial_time_step", "s"),
    "max_time_step_s": ParameterUse("phasefield_max_time_step", "s"),
    "max_order_parameter_change": ParameterUse(
        "phasefield_max_order_parameter_change", "dimensionless"),
    "frames": ParameterUse("phasefield_frames", "dimensionless"),
    "max_height_fraction": ParameterUse("phasefield_max_height_fraction", "dimensionless"),
}
_INTEGER_FIELDS = ("anisotropy_mode", "roughness_seed", "frames")
#: The phase-field set: numerics, domain, loading (galvanostatic runs).
PHASEFIELD_SET_PARAMETERS: tuple[ParameterUse, ...] = tuple(_PHASEFIELD_NAMES.values())
#: Surface-model fields (:class:`hemcell.surface.parameters.SurfaceParameters`) every case
#: reads: electrolyte, metal and its reference kinetics. Not the interfacial energy γ: the
#: Allen–Cahn part is written with the curvature mobility M_K (L_σ = M_K/κ, with κ and W
#: both ∝ γ), so γ cancels; only the coated case's tension factor 1 + T/γ reads it.
SURFACE_FIELDS_COMMON: tuple[str, ...] = (
    "temperature_K", "bulk_concentration_mol_per_m3", "electrolyte_diffusivity_m2_per_s",
    "electrolyte_conductivity_S_per_m", "cation_transference_number",
    "li_molar_volume_m3_per_mol", "exchange_current_density_A_per_m2",
    "reference_temperature_K", "cathodic_transfer_coefficient", "cation_charge_number")
#: Bare metal: its activation energy and the native-SEI field.
SURFACE_FIELDS_BARE: tuple[str, ...] = (
    "activation_energy_bare_J_per_mol", "sei_heterogeneity_amplitude",
    "sei_correlation_length_m", "sei_seed")
#: Coated metal: the coated-interface rule, the film and its elasticity, and the
#: interfacial energy its tension is measured against.
SURFACE_FIELDS_COATED: tuple[str, ...] = (
    "activation_energy_coated_J_per_mol", "charge_transfer_resistance_bare_ohm",
    "charge_transfer_resistance_coated_ohm", "li_electrode_area_m2",
    "coating_conductivity_S_per_m", "coating_thickness_m", "coating_youngs_modulus_Pa",
    "coating_poisson_ratio", "surface_energy_J_per_m2")


#: The coated case's choice of coating form (0 interface, 1 region).
COATING_REGION_USE = ParameterUse("phasefield_coating_region", "dimensionless")


def phasefield_parameter_uses(case: str, control: str = "galvanostatic"
                              ) -> tuple[ParameterUse, ...]:
    """Registry declarations of what one phase-field case reads (sets and ``--set``)."""
    from hemcell.surface.parameters import field_uses

    fields = SURFACE_FIELDS_COMMON + (SURFACE_FIELDS_BARE if case == "bare"
                                      else SURFACE_FIELDS_COATED)
    uses = [*field_uses(*fields), *PHASEFIELD_SET_PARAMETERS]
    if case != "bare":
        uses.append(COATING_REGION_USE)
    if control == "potentiostatic":
        uses = [u for u in uses if u.key != "applied_current_density"]
        uses += field_uses("applied_potential_V")
    return tuple(uses)


def _step_failure_hint(p: PhaseFieldParameters) -> str:
    """What to change when the time step collapses: the driving force of the control
    against the cell's limiting current (``applied_potential=2V`` failed at t = 0.1 ms with
    the SNES reason alone)."""
    control = _control_failure_hint(p)
    spacing_s = p.duration_s / max(p.frames - 1, 1)  # the steps land on the frame times
    if spacing_s < p.initial_time_step_s:
        # --duration-s 1e-6 (11 frames: 1e-7 s steps) failed with the current hint alone;
        # 1e-5 s (1e-6 s steps) ran
        return (f"the steps are capped by the frame spacing --duration-s / "
                f"(phasefield_frames - 1) = {spacing_s:.3g} s, below the initial step "
                f"phasefield_initial_time_step {p.initial_time_step_s:.3g} s, and very short "
                "steps do not converge (the default Li cell: 1e-7 s failed, 5e-7 s ran): a "
                f"longer --duration-s or fewer phasefield_frames; else {control}")
    return control


def _control_failure_hint(p: PhaseFieldParameters) -> str:
    """The control's part of :func:`_step_failure_hint`."""
    limit = current_density_text(p.limiting_current_A_per_m2)
    if p.control == "potentiostatic":
        return (f"applied_potential = {p.applied_potential_V * 1e3:.4g} mV drives the metal "
                f"{p.applied_potential_V / p.thermal_voltage_V:.3g} RT/F from equilibrium; "
                f"a current that reaches the cell's limiting current {limit} empties the salt "
                "at the metal: lower applied_potential, or run "
                "galvanostatic below the limit")
    return (f"the applied current is {current_density_text(p.applied_current_density_A_per_m2)}"
            f" against the limiting current {limit}: a lower current, or a smaller "
            "phasefield_max_time_step")


def phasefield_parameters(surface: Any, phasefield_si: dict[str, Any], case: str,
                          coating_model: str | None = None) -> PhaseFieldParameters:
    """Build :class:`PhaseFieldParameters` of ``case`` from the surface model's parameters.

    Parameters
    ----------
    surface
        :class:`hemcell.surface.parameters.SurfaceParameters` of the case (metal,
        electrolyte, kinetics, coating; the exchange current at T by
        :func:`hemcell.surface.kinetics.mean_exchange_current_density`).
    phasefield_si
        SI values of the phase-field set (registry names).
    case
        ``bare`` or ``coated``.
    coating_model
        ``interface`` or ``region`` (``--coating-model``) in place of the set's
        ``phasefield_coating_region`` for the coated case; the parameters are checked with
        it (a current above the layer's limit is refused as the layer's, not the gap's).

    Raises
    ------
    InputError
        Naming every phase-field entry that is missing.
    """
    from hemcell.surface.kinetics import mean_exchange_current_density

    if case not in PHASEFIELD_CASES:
        raise InputError("--case", case, ", ".join(PHASEFIELD_CASES))
    values: dict[str, Any] = {}
    missing = []
    for fname, use in _PHASEFIELD_NAMES.items():
        v = phasefield_si.get(use.key)
        if v is None:
            missing.append(use.key)
            continue
        v = v[0] if isinstance(v, list | tuple) else v
        values[fname] = round(v) if fname in _INTEGER_FIELDS else float(v)
    if missing:
        raise InputError("phase-field parameter set", f"{len(missing)} missing value(s)",
                         "all of: " + ", ".join(missing),
                         hint="add them to the set or pass --set NAME=VALUE")
    sp = surface
    coated = case == "coated"
    if coated and coating_model is None:
        flag = phasefield_si.get(COATING_REGION_USE.key)
        if flag is None:
            raise InputError("phase-field parameter set", "1 missing value(s)",
                             f"all of: {COATING_REGION_USE.key}",
                             hint="add it to the set or pass --set NAME=VALUE")
        flag = flag[0] if isinstance(flag, list | tuple) else flag
        if flag not in (0, 1):
            raise InputError(COATING_REGION_USE.key, flag, "0 (interface) or 1 (region)")
        coating_model = COATING_MODELS[int(flag)]
    elif not coated:
        coating_model = "interface"
    gamma = sp.surface_energy_J_per_m2
    return PhaseFieldParameters(
        temperature_K=sp.temperature_K, charge_number=sp.cation_charge_number,
        bulk_concentration_mol_per_m3=sp.bulk_concentration_mol_per_m3,
        electrolyte_diffusivity_m2_per_s=sp.electrolyte_diffusivity_m2_per_s,
        electrolyte_conductivity_S_per_m=sp.electrolyte_conductivity_S_per_m,
        cation_transference_number=sp.cation_transference_number,
        metal_molar_volume_m3_per_mol=sp.li_molar_volume_m3_per_mol,
        exchange_current_density_A_per_m2=mean_exchange_current_density(sp, case),
        # the surface model's α_c = zβ; Chen's form takes the symmetry factor β
        transfer_coefficient=sp.cathodic_transfer_coefficient / sp.cation_charge_number,
        surface_energy_J_per_m2=gamma,
        sei_heterogeneity_amplitude=sp.sei_heterogeneity_amplitude,
        sei_correlation_length_m=sp.sei_correlation_length_m, sei_seed=sp.sei_seed,
        coating_thickness_m=sp.coating_thickness_m if coated else 0.0,
        coating_conductivity_S_per_m=sp.coating_conductivity_S_per_m,
        coating_youngs_modulus_Pa=sp.coating_youngs_modulus_Pa,
        coating_poisson_ratio=sp.coating_poisson_ratio,
        applied_potential_V=sp.applied_potential_V, control=sp.control,
        coating_model=coating_model, **values)


def double_well_W_J_per_m3(p: PhaseFieldParameters, gamma_J_per_m2: float | None = None) -> float:
    """Barrier height W = 3γ/ℓ of g = W ξ²(1−ξ)² [J m⁻³]."""
    g = p.surface_energy_J_per_m2 if gamma_J_per_m2 is None else gamma_J_per_m2
    return 3.0 * g / p.interface_width_m


def gradient_coefficient_J_per_m(p: PhaseFieldParameters,
                                 gamma_J_per_m2: float | None = None) -> float:
    """Gradient-energy coefficient κ = 6γℓ [J m⁻¹]."""
    g = p.surface_energy_J_per_m2 if gamma_J_per_m2 is None else gamma_J_per_m2
    return 6.0 * g * p.interface_width_m


def interfacial_mobility_m3_per_J_s(p: PhaseFieldParameters) -> float:
    """L_σ = M_K/κ [m³ J⁻¹ s⁻¹] (with the bare interfacial energy)."""
    return p.curvature_mobility_m2_per_s / gradient_coefficient_J_per_m(p)


def reaction_constant_per_s(p: PhaseFieldParameters) -> float:
    """L_η = i₀/(zF c_s ∫h'dn) = i₀Ω/(zF·5ℓ) [s⁻¹] (module docstring)."""
    return (p.exchange_current_density_A_per_m2 * p.metal_molar_volume_m3_per_mol
            / (p.charge_number * FARADAY_C_PER_MOL * SWITCHING_INTEGRAL_PER_ELL
               * p.interface_width_m))


def equilibrium_profile(n_m: npt.ArrayLike, interface_width_m: float) -> npt.NDArray[np.float64]:
    """ξ(n) = ½[1 − tanh(n/2ℓ)] across a flat interface (n: distance into the electrolyte)."""
    n = np.asarray(n_m, dtype=np.float64)
    return 0.5 * (1.0 - np.tanh(n / (2.0 * interface_width_m)))


def membrane_tension_N_per_m(p: PhaseFieldParameters, dendrite_index: float) -> float:
    """T = E_c/(1−ν_c²) h_c max(0, L_int/W − 1) [N m⁻¹] of a conformal coating (0 bare
    and in the region form, whose elastic energy is :func:`layer_pressure_Pa`)."""
    if not p.coated or p.coating_region:
        return 0.0
    stretch = max(0.0, dendrite_index - 1.0)
    return (p.coating_youngs_modulus_Pa / (1.0 - p.coating_poisson_ratio**2)
            * p.coating_thickness_m * stretch)


def distance_filter_length_m(p: PhaseFieldParameters) -> float:
    """Screening length r = h_c/4 of the distance filter [m]
    (:data:`DISTANCE_FILTER_PER_THICKNESS`)."""
    return DISTANCE_FILTER_PER_THICKNESS * p.coating_thickness_m


def distance_above_metal_m(u: npt.ArrayLike, r_m: float, interface_width_m: float
                           ) -> npt.NDArray[np.float64]:
    r"""Distance d above the metal surface from the filtered order parameter u [m].

    u solves :math:`u - r^2\nabla^2u = \xi`. Across a flat equilibrium profile
    :math:`\xi = [1+e^{n/\ell}]^{-1}` (infinite domain) it is, beyond the profile,
    :math:`u = \tfrac12 C e^{-n/r}` with :math:`C = (\pi\ell/r)/\sin(\pi\ell/r)`
    (the exponential kernel's moment of the logistic profile), so
    :math:`d = r\ln C - r\ln 2u` is exact there; on a curved deposit it is Varadhan's
    distance estimate :math:`d \approx -r\ln u` (one backward-Euler heat step of time
    :math:`r^2` is this screened Poisson problem: the heat method of Crane, Weischedel &
    Wardetzky, "Geodesics in heat", ACM Trans. Graph. 2013, arXiv:1204.6216).
    """
    a = math.pi * interface_width_m / r_m
    c = a / math.sin(a)
    u_pos = np.maximum(np.asarray(u, dtype=np.float64), 1e-300)
    return r_m * (math.log(c) - np.log(2.0 * u_pos))


def layer_indicator(d_m: npt.ArrayLike, p: PhaseFieldParameters) -> npt.NDArray[np.float64]:
    """χ = ½[1 − tanh((d − h_c)/2ℓ)]: 1 in the layer (and the metal), 0 above it."""
    d = np.asarray(d_m, dtype=np.float64)
    return equilibrium_profile(d - p.coating_thickness_m, p.interface_width_m)


def layer_pressure_Pa(p: PhaseFieldParameters, x_m: npt.NDArray[np.float64],
                      heights_m: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    r"""Pressure of the compressed layer on the deposit, p(x) = (M_c/h_c)(s(x) − s̄) [Pa].

    The elastic energy of a layer of thickness :math:`h_c` and confined modulus
    :math:`M_c` (:attr:`PhaseFieldParameters.coating_confined_modulus_Pa`) held by the
    cell stack above it, compressed where the deposit stands above its mean height
    :math:`\bar s` (uniaxial strain :math:`(s-\bar s)/h_c`):
    :math:`E_{el} = \int\tfrac12 (M_c/h_c)(s-\bar s)^2\,dx`, whose variation with the
    local height is p(x) (a Winkler foundation of stiffness :math:`M_c/h_c`). The mean
    (trapezoid rule on the grid) is zero: a flat deposit carries no load. 0 for
    :math:`E_c = 0` and outside the region form.
    """
    if not p.coating_region or p.coating_youngs_modulus_Pa == 0:
        return np.zeros_like(heights_m)
    width = float(x_m[-1] - x_m[0])
    mean = float(np.trapezoid(heights_m, x_m)) / width
    return p.coating_confined_modulus_Pa / p.coating_thickness_m * (heights_m - mean)


def mechanical_step_limit_s(p: PhaseFieldParameters, plating_current_A_per_m2: float
                            ) -> float:
    r"""Largest step of the explicit layer pressure, :math:`1/k` [s] (inf without one).

    A column standing δ above the mean carries :math:`\Delta\eta = (\Omega/zF)(M_c/h_c)\delta`
    and, with :math:`|\partial i/\partial\eta| \le zf(|i| + 2i_0)` for Butler–Volmer,
    relaxes at most at :math:`k = (\Omega/zF)^2 (M_c/h_c)\,zf\,(|i| + 2i_0)`; forward
    Euler in the pressure is stable below :math:`2/k`.
    """
    if not p.coating_region or p.coating_youngs_modulus_Pa == 0:
        return math.inf
    zF = p.charge_number * FARADAY_C_PER_MOL
    k = ((p.metal_molar_volume_m3_per_mol / zF) ** 2
         * p.coating_confined_modulus_Pa / p.coating_thickness_m
         * p.charge_number / p.thermal_voltage_V
         * (abs(plating_current_A_per_m2) + 2.0 * p.exchange_current_density_A_per_m2))
    return 1.0 / k


def angular_harmonics(nx: Any, ny: Any, m: int, sqrt: Any = np.sqrt,
                      eps: float = 1e-12) -> tuple[Any, Any]:
    """cos mθ and sin mθ of the direction θ of (nx, ny), as polynomials (no ``atan2``).

    Re and Im of (nx + i ny)^m / r^m by the binomial theorem, r = √(nx² + ny² + ε) (ε
    keeps the expression smooth where ∇ξ = 0). ``sqrt``: ``numpy.sqrt`` or ``ufl.sqrt``.
    """
    r = sqrt(nx * nx + ny * ny + eps)
    re, im = 0 * nx, 0 * nx
    for k in range(m + 1):
        term = math.comb(m, k) * nx ** (m - k) * ny ** k
        if k % 2 == 0:
            re = re + (-1) ** (k // 2) * term
        else:
            im = im + (-1) ** ((k - 1) // 2) * term
    return re / r**m, im / r**m


def _anisotropic_flux(grad_xi: Any, p: PhaseFieldParameters) -> Any:
    """j = a²∇ξ + a a' ∇^⊥ξ of the energy ½κa(θ)²|∇ξ|² (divided by κ)."""
    import ufl

    if p.anisotropy_strength == 0:
        return grad_xi
    m = int(p.anisotropy_mode)
    nx, ny = grad_xi[0], grad_xi[1]
    cos_m, sin_m = angular_harmonics(nx, ny, m, ufl.sqrt)
    c0, s0 = math.cos(m * p.anisotropy_angle_rad), math.sin(m * p.anisotropy_angle_rad)
    d = p.anisotropy_strength
    a = 1 + d * (cos_m * c0 + sin_m * s0)
    da = -d * m * (sin_m * c0 - cos_m * s0)
    perp = ufl.as_vector((-ny, nx))
    return a * a * grad_xi + a * da * perp


def initial_surface_height_m(p: PhaseFieldParameters,
                             x_m: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """s(x) = s₀ + A G(x): the initial metal surface (A = 0: flat)."""
    from hemcell.surface.kinetics import gaussian_random_field

    x = np.asarray(x_m, dtype=np.float64)
    if p.roughness_amplitude_m == 0:
        return np.full_like(x, p.initial_metal_height_m)
    return p.initial_metal_height_m + p.roughness_amplitude_m * gaussian_random_field(
        x, p.roughness_correlation_length_m, p.domain_width_m, p.roughness_seed)


def _snes_options() -> dict[str, Any]:
    """The surface model's Newton + MUMPS options, with fewer iterations per step (a
    failing step is retried with a smaller one) and a relative tolerance of 1e-9."""
    from hemcell.surface.solver import default_snes_options

    return {**default_snes_options(), "snes_rtol": 1e-9, "snes_atol": 1e-11,
            "snes_stol": 0.0, "snes_max_it": 25}


@dataclass
class Snapshot:
    """Fields on the structured grid (rank 0) at one time: x, y in m, arrays [ny+1, nx+1]."""

    time_s: float
    order_parameter: npt.NDArray[np.float64]
    concentration_mol_per_m3: npt.NDArray[np.float64]
    potential_V: npt.NDArray[np.float64]


@dataclass
class PhaseFieldResult:
    """Outcome of a run: time series rows, snapshots, the grid and the final state."""

    rows: list[dict[str, float]]
    snapshots: list[Snapshot]
    x_m: npt.NDArray[np.float64]
    y_m: npt.NDArray[np.float64]
    parameters: PhaseFieldParameters
    case: str
    steps: int
    rejected_steps: int
    stop_reason: str
    dofs: int
    mpi_ranks: int
    solve_time_s: float
    model: Any = field(default=None, repr=False)


class PhaseFieldModel:
    """The coupled (ξ, c̃, φ̂) problem on a uniform rectangle mesh (lengths in µm).

    Parameters
    ----------
    p
        Parameters (``coating_thickness_m > 0``: the coated case).
    comm
        MPI communicator (default ``COMM_WORLD``).
    initial_surface
        s(x) [m] → initial surface height [m] (default :func:`initial_surface_height_m`).
    """

    def __init__(self, p: PhaseFieldParameters, comm: Any = None,
                 initial_surface: Callable[[npt.NDArray[np.float64]],
                                           npt.NDArray[np.float64]] | None = None) -> None:
        import dolfinx_solver  # noqa: F401

        import basix.ufl
        import ufl
        from dolfinx import fem, mesh
        from dolfinx.fem.petsc import NonlinearProblem
        from mpi4py import MPI

        from hemcell.surface import forms
        from hemcell.surface.kinetics import sei_heterogeneity_factor
        from hemcell.surface.petsc import hold_options

        self.p = p
        comm = MPI.COMM_WORLD if comm is None else comm
        L0 = LENGTH_UNIT_M
        Wh, Hh = p.domain_width_m / L0, p.domain_height_m / L0
        self.nx, self.ny = p.mesh_divisions
        self.msh = mesh.create_rectangle(comm, [np.array([0.0, 0.0]), np.array([Wh, Hh])],
                                         [self.nx, self.ny], mesh.CellType.triangle,
                                         diagonal=mesh.DiagonalType.right_left)
        msh = self.msh
        P1 = basix.ufl.element("Lagrange", msh.basix_cell(), 1)
        self.W = fem.functionspace(msh, basix.ufl.mixed_element([P1, P1, P1]))
        self.u = fem.Function(self.W, name="state")
        self.u_n = fem.Function(self.W, name="state_previous")
        xi, c, ph = ufl.split(self.u)
        xi_n, c_n, _ = ufl.split(self.u_n)
        w, q, v = ufl.TestFunctions(self.W)
        self.V1 = fem.functionspace(msh, ("Lagrange", 1))

        # --- constants ---------------------------------------------------------------
        f_z = p.charge_number
        ell = p.interface_width_m / L0
        c_s = p.metal_site_density_mol_per_m3
        self.dt = fem.Constant(msh, float(p.initial_time_step_s))
        self.mobility_hat = fem.Constant(msh, p.curvature_mobility_m2_per_s / L0**2)
        D_hat = p.electrolyte_diffusivity_m2_per_s / L0**2
        lam = (f_z * FARADAY_C_PER_MOL * c_s * L0**2
               / (p.electrolyte_conductivity_S_per_m * p.thermal_voltage_V))
        self.current_hat = fem.Constant(msh, p.applied_current_density_A_per_m2 * L0
                                        / (p.electrolyte_conductivity_S_per_m
                                           * p.thermal_voltage_V))
        eta_film_hat = p.film_overpotential_shift_V / p.thermal_voltage_V
        self.L_eta = fem.Function(self.V1, name="reaction_constant_per_s")
        L_eta = reaction_constant_per_s(p)
        if p.coated or p.sei_heterogeneity_amplitude == 0:
            self.L_eta.x.array[:] = L_eta
        else:
            self.L_eta.interpolate(lambda x: L_eta * sei_heterogeneity_factor(
                x[0] * L0, p.sei_heterogeneity_amplitude, p.sei_correlation_length_m,
                p.domain_width_m, p.sei_seed))

        # --- resolved coating layer: indicator χ, transport factors, layer pressure ----
        self.layer = fem.Function(self.V1, name="coating_layer")
        self.eta_mech_hat = fem.Function(self.V1, name="mechanical_overpotential")
        kappa_rel: Any = 1.0
        diff_rel: Any = 1.0
        if p.coating_region:
            chi = self.layer
            # series (resistivity) mixing: exact ∫dy/κ across a flat layer
            kappa_rel = 1.0 / (1.0 - chi + chi * p.electrolyte_conductivity_S_per_m
                               / p.coating_conductivity_S_per_m)
            diff_rel = 1.0 / (1.0 - chi + chi * p.electrolyte_diffusivity_m2_per_s
                              / p.coating_salt_diffusivity_m2_per_s)

        # --- residual (module docstring) ----------------------------------------------
        alpha = p.transfer_coefficient
        psi = ufl.max_value(1.0 - xi, 0.0) + p.electrolyte_fraction_floor
        g_prime = 2.0 * xi * (1.0 - xi) * (1.0 - 2.0 * xi)
        h_prime = 30.0 * xi**2 * (1.0 - xi) ** 2
        eta_hat = -ph + eta_film_hat + self.eta_mech_hat
        c_pos = ufl.max_value(c, 0.0)
        bv = ufl.exp((1 - alpha) * f_z * eta_hat) - c_pos * ufl.exp(-alpha * f_z * eta_hat)
        rate = (xi - xi_n) / self.dt
        j = _anisotropic_flux(ufl.grad(xi), p)
        # Fixed quadrature: the estimated degree of the exponentials and polynomials in ξ
        # would be ~10 and slow the assembly several times over for no accuracy gain.
        dx = ufl.Measure("dx", domain=msh, metadata={"quadrature_degree": QUADRATURE_DEGREE})
        F_xi = (rate * w + self.mobility_hat * (ufl.inner(j, ufl.grad(w))
                                                + g_prime / (2 * ell**2) * w)
                + self.L_eta * h_prime * bv * w) * dx
        sink = (1 - p.cation_transference_number) * c_s / p.bulk_concentration_mol_per_m3
        F_c = (psi * (c - c_n) / (D_hat * self.dt) * q
               + psi * diff_rel * ufl.inner(ufl.grad(c), ufl.grad(q))
               + sink * rate / D_hat * q) * dx
        F_phi = (psi * kappa_rel * ufl.inner(ufl.grad(ph), ufl.grad(v)) + lam * rate * v) * dx
        fdim = msh.topology.dim - 1
        top = mesh.locate_entities_boundary(msh, fdim, lambda x: np.isclose(x[1], Hh))
        tags = mesh.meshtags(msh, fdim, np.sort(top).astype(np.int32),
                             np.ones(len(top), dtype=np.int32))
        ds = ufl.Measure("ds", domain=msh, subdomain_data=tags)
        if p.control == "galvanostatic":
            F_phi -= self.current_hat * v * ds(1)
        self.residual = F_xi + F_c + F_phi

        # --- boundary conditions -------------------------------------------------------
        bcs = []
        Vc, _ = self.W.sub(1).collapse()
        one = fem.Function(Vc)
        one.x.array[:] = 1.0
        bcs.append(fem.dirichletbc(one, fem.locate_dofs_topological(
            (self.W.sub(1), Vc), fdim, top), self.W.sub(1)))
        if p.control == "potentiostatic":
            Vp, _ = self.W.sub(2).collapse()
            phi_top = fem.Function(Vp)
            phi_top.x.array[:] = p.applied_potential_V / p.thermal_voltage_V
            bcs.append(fem.dirichletbc(phi_top, fem.locate_dofs_topological(
                (self.W.sub(2), Vp), fdim, top), self.W.sub(2)))
        self.bcs = bcs

        # --- initial state: equilibrium profile about s(x), c = c_b, φ from BV ----------
        surface = initial_surface or (lambda x_m: initial_surface_height_m(p, x_m))
        from hemcell.surface.solver import collapse

        subs = [collapse(self.W.sub(i)) for i in range(3)]
        self._sub_spaces = [sub[0] for sub in subs]
        self._sub_dofs = [sub[1] for sub in subs]
        xi0 = fem.Function(self._sub_spaces[0])
        xi0.interpolate(lambda x: equilibrium_profile(
            (x[1] - surface(x[0] * L0) / L0) * L0, p.interface_width_m))
        self.u.x.array[self._sub_dofs[0]] = xi0.x.array
        self.u.x.array[self._sub_dofs[1]] = 1.0
        if p.control == "galvanostatic":
            from hemcell.laws import butler_volmer_overpotential_V

            eta0 = butler_volmer_overpotential_V(p.applied_current_density_A_per_m2,
                                                 p.exchange_current_density_A_per_m2,
                                                 p.temperature_K)
            self.u.x.array[self._sub_dofs[2]] = (eta0 + p.film_overpotential_shift_V) \
                / p.thermal_voltage_V
        else:
            self.u.x.array[self._sub_dofs[2]] = p.applied_potential_V / p.thermal_voltage_V
        self.u.x.scatter_forward()
        self.u_n.x.array[:] = self.u.x.array
        options = _snes_options()
        self.problem = NonlinearProblem(forms.form(self.residual), self.u,
                                        J=forms.form(ufl.derivative(self.residual, self.u)),
                                        bcs=bcs, petsc_options_prefix="hemcell_phasefield_",
                                        petsc_options=options)
        hold_options(self.problem, "hemcell_phasefield_", options)  # they leave with it
        self.xi_form = forms.form(xi * dx)
        self.dofs = self.W.dofmap.index_map.size_global * self.W.dofmap.index_map_bs
        self._grid_index: tuple[Any, Any] | None = None
        self._distance: Any = None
        if p.coating_region:
            self._setup_distance_filter(dx)
            self.update_coating_layer()

    # ---------------------------------------------------------------- coating layer
    def _setup_distance_filter(self, dx: Any) -> None:
        """The screened Poisson problem (u, v) + r²(∇u, ∇v) = (ξⁿ, v), zero flux."""
        import ufl
        from dolfinx import fem
        from dolfinx.fem.petsc import LinearProblem

        from hemcell.surface.petsc import hold_options

        r = distance_filter_length_m(self.p) / LENGTH_UNIT_M
        self._xi_source = fem.Function(self.V1)
        self._filtered = fem.Function(self.V1)
        u, v = ufl.TrialFunction(self.V1), ufl.TestFunction(self.V1)
        # vertex quadrature (lumped mass): on this mesh the 5-point difference operator,
        # whose decay per cell matches e^{-h/r} to 0.2 % at h/r = 0.36
        dv = ufl.Measure("dx", domain=self.msh,
                         metadata={"quadrature_rule": "vertex", "quadrature_degree": 1})
        a = u * v * dv + r * r * ufl.inner(ufl.grad(u), ufl.grad(v)) * dx
        options = {"ksp_type": "preonly", "pc_type": "lu", "pc_factor_mat_solver_type": "mumps"}
        self._distance = LinearProblem(
            a, self._xi_source * v * dv, u=self._filtered,
            petsc_options_prefix="hemcell_phasefield_distance_", petsc_options=options)
        hold_options(self._distance, "hemcell_phasefield_distance_", options)
        self._x_dofs_m = self.V1.tabulate_dof_coordinates()[:, 0] * LENGTH_UNIT_M

    def update_coating_layer(self) -> None:
        """χ ← the layer of thickness h_c above the accepted deposit ξⁿ (region form).

        d from the filtered ξ (:func:`distance_above_metal_m`), χ by
        :func:`layer_indicator`; the coefficients of the next step use it (one step lag,
        less than ℓ/2 of interface motion under the Δξ target).
        """
        if self._distance is None:
            return
        self._xi_source.interpolate(self.u_n.sub(0))
        self._xi_source.x.scatter_forward()
        self._distance.solve()
        self._filtered.x.scatter_forward()
        d = distance_above_metal_m(self._filtered.x.array, distance_filter_length_m(self.p),
                                   self.p.interface_width_m)
        self.layer.x.array[:] = layer_indicator(d, self.p)
        self.layer.x.scatter_forward()

    def set_layer_pressure(self, x_m: npt.NDArray[np.float64],
                           pressure_Pa: npt.NDArray[np.float64]) -> None:
        """η ← η + pΩ/(zF) with p(x) on the grid columns ``x_m`` (Monroe–Newman shift,
        :func:`hemcell.surface.kinetics.mechanical_potential_shift_V` of σ_nn = −p)."""
        from hemcell.surface.kinetics import mechanical_potential_shift_V

        if self._distance is None:
            return
        shift_V = -mechanical_potential_shift_V(
            -np.interp(self._x_dofs_m, x_m, pressure_Pa), self.p.metal_molar_volume_m3_per_mol,
            self.p.charge_number * FARADAY_C_PER_MOL)
        self.eta_mech_hat.x.array[:] = shift_V / self.p.thermal_voltage_V
        self.eta_mech_hat.x.scatter_forward()

    def set_order_parameter(self, xi_of_xy: Callable[[Any, Any], Any]) -> None:
        """Replace ξ of the present and previous state by ``xi_of_xy(x_m, y_m)``."""
        from dolfinx import fem

        f = fem.Function(self._sub_spaces[0])
        f.interpolate(lambda x: xi_of_xy(x[0] * LENGTH_UNIT_M, x[1] * LENGTH_UNIT_M))
        for u in (self.u, self.u_n):
            u.x.array[self._sub_dofs[0]] = f.x.array
            u.x.scatter_forward()

    # ---------------------------------------------------------------- solve one step
    def solve_step(self, dt_s: float) -> tuple[bool, int, str]:
        """One backward-Euler step from ``u_n``; return (converged, iterations, reason)."""
        from hemcell.surface.solver import SNES_REASONS

        self.dt.value = dt_s
        self.u.x.array[:] = self.u_n.x.array
        try:
            self.problem.solve()
        except RuntimeError as exc:  # pragma: no cover - PETSc error inside the solve
            return False, 0, str(exc)
        snes = self.problem.solver
        reason = snes.getConvergedReason()
        ok = reason > 0 and bool(np.all(np.isfinite(self.u.x.array)))
        return ok, snes.getIterationNumber(), SNES_REASONS.get(reason, str(reason))

    def max_order_parameter_change(self) -> float:
        """max |ξ − ξⁿ| over the mesh (all ranks)."""
        from mpi4py import MPI

        d = self.u.x.array[self._sub_dofs[0]] - self.u_n.x.array[self._sub_dofs[0]]
        local = float(np.max(np.abs(d))) if d.size else 0.0
        return self.msh.comm.allreduce(local, op=MPI.MAX)

    def accept(self) -> None:
        """ξⁿ, c̃ⁿ ← the solved state."""
        self.u_n.x.array[:] = self.u.x.array

    def set_surface_energy_factor(self, factor: float) -> None:
        """M̂ ← M_K γ_eff/(γ L₀²) with γ_eff/γ = ``factor`` (coating tension)."""
        self.mobility_hat.value = self.p.curvature_mobility_m2_per_s * factor / LENGTH_UNIT_M**2

    def metal_area_m2_per_m(self) -> float:
        """∫ξ dA [m² per m of depth]."""
        from dolfinx import fem

        local = fem.assemble_scalar(self.xi_form)
        return self.msh.comm.allreduce(local) * LENGTH_UNIT_M**2

    # ---------------------------------------------------------------- gather on a grid
    def grid(self) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        """The vertex coordinates x (nx+1), y (ny+1) [m] of the structured mesh."""
        x = np.linspace(0.0, self.p.domain_width_m, self.nx + 1)
        y = np.linspace(0.0, self.p.domain_height_m, self.ny + 1)
        return x, y

    def gather(self) -> list[npt.NDArray[np.float64]] | None:
        """(ξ, c̃, φ̂) on the [ny+1, nx+1] vertex grid, on rank 0 (None elsewhere)."""
        V = self.V1
        imap = V.dofmap.index_map
        n_owned = imap.size_local
        comm = self.msh.comm
        if self._grid_index is None:
            X = V.tabulate_dof_coordinates()[:n_owned]
            hx = self.p.domain_width_m / LENGTH_UNIT_M / self.nx
            hy = self.p.domain_height_m / LENGTH_UNIT_M / self.ny
            ij = np.column_stack([np.rint(X[:, 1] / hy), np.rint(X[:, 0] / hx)]).astype(np.int64)
            all_ij = comm.gather(ij, root=0)
            self._grid_index = (np.concatenate(all_ij) if comm.rank == 0 else None, n_owned)
        from dolfinx import fem

        out = []
        f = fem.Function(V)
        for i in range(3):
            f.interpolate(self.u.sub(i))
            allv = comm.gather(f.x.array[:n_owned].copy(), root=0)
            if comm.rank == 0:
                g = np.full((self.ny + 1, self.nx + 1), np.nan)
                ij = self._grid_index[0]
                g[ij[:, 0], ij[:, 1]] = np.concatenate(allv)
                out.append(g)
        return out if comm.rank == 0 else None


# -------------------------------------------------------------------- morphology
def interface_length_m(xi: npt.NDArray[np.float64], x_m: npt.NDArray[np.float64],
                       y_m: npt.NDArray[np.float64]) -> float:
    """Length of the ξ = ½ contour (marching squares, :mod:`contourpy`) [m]."""
    import contourpy

    gen = contourpy.contour_generator(x_m, y_m, xi)
    total = 0.0
    for line in gen.lines(0.5):
        d = np.diff(np.asarray(line), axis=0)
        total += float(np.sum(np.hypot(d[:, 0], d[:, 1])))
    return total


def deposit_height_m(xi: npt.NDArray[np.float64], y_m: npt.NDArray[np.float64]
                     ) -> npt.NDArray[np.float64]:
    """Per column: the highest y where ξ crosses ½ (linear interpolation) [m]."""
    ny = xi.shape[0]
    above = xi >= 0.5
    heights = np.empty(xi.shape[1])
    for i in range(xi.shape[1]):
        idx = np.flatnonzero(above[:, i])
        if idx.size == 0:
            heights[i] = 0.0
            continue
        j = idx[-1]
        if j == ny - 1:
            heights[i] = y_m[-1]
            continue
        a, b = xi[j, i], xi[j + 1, i]
        t = (a - 0.5) / (a - b) if a != b else 0.0
        heights[i] = y_m[j] + t * (y_m[j + 1] - y_m[j])
    return heights


def count_branches(xi: npt.NDArray[np.float64], y_m: npt.NDArray[np.float64],
                   heights_m: npt.NDArray[np.float64], min_protrusion_m: float) -> int:
    """Metal arms cut by the line halfway between the mean and the highest deposit.

    0 when the deposit's highest point is less than ``min_protrusion_m`` above its mean.
    """
    top, mean = float(heights_m.max()), float(heights_m.mean())
    if top - mean < min_protrusion_m:
        return 0
    y_cut = mean + 0.5 * (top - mean)
    j = int(np.searchsorted(y_m, y_cut)) - 1
    t = (y_cut - y_m[j]) / (y_m[j + 1] - y_m[j])
    row = (1 - t) * xi[j] + t * xi[j + 1]
    metal = row >= 0.5
    return int(np.sum(metal[1:] & ~metal[:-1]) + (1 if metal[0] else 0))


def morphology(xi: npt.NDArray[np.float64], x_m: npt.NDArray[np.float64],
               y_m: npt.NDArray[np.float64], initial_height_m: float,
               interface_width_m: float) -> dict[str, float | int | None]:
    """Dendrite index, tip/mean deposit height, branches and heights of one ξ grid.

    ``dendrite_index`` = interface length / projected length W;
    ``tip_to_mean_height_ratio`` = (max height − s₀)/(mean height − s₀), the highest
    deposit over the mean deposit thickness (None before a deposit of one interface
    width ℓ has formed); ``branches``: :func:`count_branches` with a protrusion of at
    least 2ℓ.
    """
    width = float(x_m[-1] - x_m[0])
    heights = deposit_height_m(xi, y_m)
    grown_mean = float(heights.mean()) - initial_height_m
    grown_max = float(heights.max()) - initial_height_m
    ratio = grown_max / grown_mean if grown_mean > interface_width_m else None
    return {
        "dendrite_index": interface_length_m(xi, x_m, y_m) / width,
        "tip_to_mean_height_ratio": ratio,
        "branches": count_branches(xi, y_m, heights, 2.0 * interface_width_m),
        "max_height_m": float(heights.max()),
        "mean_height_m": float(heights.mean()),
        "roughness_rms_m": float(heights.std()),
    }


TIMESERIES_COLUMNS: tuple[str, ...] = (
    "time_s", "step", "time_step_s", "newton_iterations", "dendrite_index",
    "tip_to_mean_height_ratio", "branches", "max_height_m", "mean_height_m",
    "roughness_rms_m", "metal_area_m2_per_m", "metal_area_from_charge_m2_per_m",
    "min_concentration_mol_per_m3", "far_potential_V", "coating_tension_N_per_m",
    "coating_pressure_max_Pa",
)


def run_phasefield(p: PhaseFieldParameters, case: str, comm: Any = None,
                   progress: Callable[[str, float], None] | None = None,
                   initial_surface: Callable[[npt.NDArray[np.float64]],
                                             npt.NDArray[np.float64]] | None = None,
                   on_snapshot: Callable[[PhaseFieldModel, float], None] | None = None,
                   ) -> PhaseFieldResult:
    """Integrate from t = 0 to ``p.duration_s`` (or an earlier stop); see module docstring.

    ``progress(message, t)`` is called after every step (rank 0 prints);
    ``on_snapshot(model, t)`` at the snapshot times, on every rank (field writers).

    Raises
    ------
    InputError
        Unknown case, or a coated case without a coating thickness.
    SimulationError
        The step fell below 1e-6 × the initial step without a converged Newton solve.
    """
    if case not in PHASEFIELD_CASES:
        raise InputError("--case", case, ", ".join(PHASEFIELD_CASES))
    if (case == "coated") != p.coated:
        raise InputError("coating_thickness", p.coating_thickness_m,
                         "> 0 for the coated case, 0 for bare")
    t_start = time.perf_counter()
    model = PhaseFieldModel(p, comm, initial_surface)
    msh_comm = model.msh.comm
    x_m, y_m = model.grid()
    frame_times = list(np.linspace(0.0, p.duration_s, p.frames))
    rows: list[dict[str, float]] = []
    snapshots: list[Snapshot] = []
    area0 = model.metal_area_m2_per_m()
    s0 = float(np.mean(initial_surface(x_m) if initial_surface is not None
                       else initial_surface_height_m(p, x_m)))
    state = {"t": 0.0, "tension": 0.0, "index": 1.0, "pressure": 0.0}
    charge_per_area = [0.0]

    def record(step: int, dt: float, its: int, snapshot: bool) -> dict[str, Any] | None:
        fields = model.gather()
        info: dict[str, Any] | None = None
        if msh_comm.rank == 0:
            xi, c, ph = fields  # type: ignore[misc]
            info = morphology(xi, x_m, y_m, s0, p.interface_width_m)
            info["min_concentration_mol_per_m3"] = float(np.min(c[xi < 0.5])) \
                * p.bulk_concentration_mol_per_m3  # in the electrolyte (ξ < ½)
            info["far_potential_V"] = float(np.mean(ph[-1])) * p.thermal_voltage_V
            if p.coating_region:
                info["_heights"] = deposit_height_m(xi, y_m)
            if snapshot:
                snapshots.append(Snapshot(state["t"], xi, c * p.bulk_concentration_mol_per_m3,
                                          ph * p.thermal_voltage_V))
        info = msh_comm.bcast(info, root=0)
        heights = info.pop("_heights", None)
        if heights is not None:  # region form: the layer's load on the deposit (explicit)
            pressure = layer_pressure_Pa(p, x_m, heights)
            model.set_layer_pressure(x_m, pressure)
            state["pressure"] = float(np.max(np.abs(pressure)))
        if snapshot and on_snapshot is not None:
            on_snapshot(model, state["t"])
        row = {"time_s": float(state["t"]), "step": step, "time_step_s": float(dt),
               "newton_iterations": its, **info,
               "metal_area_m2_per_m": model.metal_area_m2_per_m(),
               "metal_area_from_charge_m2_per_m": area0 + charge_per_area[0]
               * p.metal_molar_volume_m3_per_mol * p.domain_width_m
               / (p.charge_number * FARADAY_C_PER_MOL),
               "coating_tension_N_per_m": state["tension"],
               "coating_pressure_max_Pa": state["pressure"]}
        rows.append(row)
        return row

    row = record(0, 0.0, 0, True)
    frame_times.pop(0)
    dt_free = min(p.initial_time_step_s, p.max_time_step_s,  # the adaptive step
                  mechanical_step_limit_s(p, p.applied_current_density_A_per_m2
                                          if p.control == "galvanostatic" else 0.0))
    dt_min = 1e-6 * p.initial_time_step_s
    steps = rejected = 0
    stop_reason = "duration reached"
    while state["t"] < p.duration_s * (1 - 1e-12):
        # the step lands on the end and the frame times without changing the adaptive step
        dt = min(dt_free, p.duration_s - state["t"])
        if frame_times:
            dt = min(dt, frame_times[0] - state["t"])
        ok, its, reason = model.solve_step(dt)
        change = model.max_order_parameter_change() if ok else math.inf
        if not ok or change > 2.0 * p.max_order_parameter_change:
            rejected += 1
            dt_free = dt * (0.5 if not ok
                            else max(0.2, 0.9 * p.max_order_parameter_change / change))
            if progress is not None:
                progress(f"step rejected ({reason if not ok else f'dxi {change:.2g}'}); "
                         f"dt -> {dt_free:.3g} s", state["t"])
            if dt_free < dt_min:
                raise SimulationError(
                    f"phase-field step below {dt_min:.3g} s at t = {state['t']:.4g} s "
                    f"(last SNES reason {reason})", hint=_step_failure_hint(p))
            continue
        model.accept()
        model.update_coating_layer()
        steps += 1
        state["t"] += dt
        if p.control == "galvanostatic":
            charge_per_area[0] += p.applied_current_density_A_per_m2 * dt
        snap = bool(frame_times) and abs(state["t"] - frame_times[0]) <= 1e-9 * p.duration_s
        if snap:
            frame_times.pop(0)
        row = record(steps, dt, its, snap)
        if p.coated:  # coating stretch -> tension -> effective interfacial energy
            state["tension"] = membrane_tension_N_per_m(p, row["dendrite_index"])
            model.set_surface_energy_factor(
                1.0 + state["tension"] / p.surface_energy_J_per_m2)
        if progress is not None:
            progress(f"t = {state['t']:.4g} s, dt = {dt:.3g} s, dendrite index "
                     f"{row['dendrite_index']:.4f}", state["t"])
        if row["max_height_m"] >= p.max_height_fraction * p.domain_height_m:
            stop_reason = (f"deposit reached {p.max_height_fraction:g} of the domain "
                           "height")
            if not snap:
                rows.pop()
                row = record(steps, dt, its, True)
            break
        grow = 1.5 if change == 0 else min(1.5, max(0.3, 0.9 * p.max_order_parameter_change
                                                   / change))
        if dt < dt_free and grow >= 1:  # a short landing step: keep the adaptive one
            continue
        plating = (p.applied_current_density_A_per_m2 if p.control == "galvanostatic" else
                   (row["metal_area_m2_per_m"] - rows[-2]["metal_area_m2_per_m"])
                   * p.charge_number
                   * FARADAY_C_PER_MOL / (p.metal_molar_volume_m3_per_mol * p.domain_width_m
                                          * dt))
        dt_free = min(dt * grow, p.max_time_step_s, mechanical_step_limit_s(p, plating))
    return PhaseFieldResult(rows=rows, snapshots=snapshots, x_m=x_m, y_m=y_m, parameters=p,
                            case=case, steps=steps, rejected_steps=rejected,
                            stop_reason=stop_reason, dofs=model.dofs,
                            mpi_ranks=msh_comm.size,
                            solve_time_s=time.perf_counter() - t_start, model=model)
