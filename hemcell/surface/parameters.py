"""Typed, frozen SI parameters of the surface model and their construction from a set.

The physics modules take a :class:`SurfaceParameters` (plain SI floats, names with
units) and never read YAML. :func:`surface_parameters_from_sets` builds one from the
``.si`` dictionary of a loaded parameter set (registry names, see
``parameters/registry/surface.yaml`` and ``li_metal.yaml``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from hemcell.errors import InputError, require_finite_and_positive
from hemcell.laws import FARADAY_C_PER_MOL, hydrogen_equilibrium_potential_V, thermal_voltage_V
from hemcell.params.uses import ParameterUse
from hemcell.surface.geometry import SET_NAMES as GEOMETRY_SET_NAMES
from hemcell.surface.geometry import GeometryKind, GeometrySpec

Case = Literal["bare", "coated", "coated_thin"]
CASES: tuple[str, ...] = ("bare", "coated", "coated_thin")
Control = Literal["galvanostatic", "potentiostatic"]

@dataclass(frozen=True)
class SurfaceParameters:
    """All physical and numerical inputs of one surface simulation, in SI units.

    Electrolyte (binary salt, concentrated-solution theory, constant properties
    evaluated at the bulk concentration):

    Attributes
    ----------
    temperature_K
        Temperature T.
    bulk_concentration_mol_per_m3
        Salt concentration c_b at the far (counter) boundary.
    electrolyte_diffusivity_m2_per_s
        Salt diffusivity D.
    electrolyte_conductivity_S_per_m
        Ionic conductivity κ.
    cation_transference_number
        t₊ (with respect to the solvent velocity).
    thermodynamic_factor
        1 + d ln f±/d ln c.
    exchange_current_density_A_per_m2
        Bare-Li exchange current density i₀ at c_b and the reference temperature.
    reference_temperature_K
        Temperature at which i₀ and the charge-transfer resistances are given.
    anodic_transfer_coefficient, cathodic_transfer_coefficient
        α_a, α_c of the Li ⇌ Li⁺ + e⁻ reaction.
    exchange_current_concentration_exponent
        γ in i₀ ∝ (c/c_b)^γ.
    activation_energy_bare_J_per_mol, activation_energy_coated_J_per_mol
        Arrhenius activation energies of the interfacial kinetics.
    charge_transfer_resistance_bare_ohm, charge_transfer_resistance_coated_ohm
        Measured interfacial resistances R of symmetric Li‖Li cells (two interfaces);
        the coated i₀ follows by the coated-interface rule
        (:func:`hemcell.surface.kinetics.mean_exchange_current_density`).
    li_electrode_area_m2
        Electrode area A of those cells: one interface has r = R A/2.
    sei_heterogeneity_amplitude
        Standard deviation of ln(i₀) along the bare surface (native SEI).
    sei_correlation_length_m
        Correlation length of the SEI heterogeneity.
    sei_seed
        Seed of the SEI random field.
    coating_conductivity_S_per_m
        Li⁺ conductivity κ_c of the single-ion-conducting coating.
    coating_thickness_m
        Coating thickness h.
    li_youngs_modulus_Pa, li_poisson_ratio
        Isotropic elasticity of lithium.
    coating_youngs_modulus_Pa, coating_poisson_ratio
        Isotropic elasticity of the coating.
    li_molar_volume_m3_per_mol
        Ω, molar volume of Li metal (stress–kinetics coupling, growth).
    stack_pressure_Pa
        Pressure p applied to the surface through the liquid electrolyte.
    growth_layer_thickness_m
        Thickness ℓ_g of the near-surface Li layer that takes the growth strain.
    growth_strain_fraction
        β: fraction of the locally deposited thickness taken up as growth strain.
    growth_time_s
        Deposition time t_dep over which the growth strain accumulates.
    applied_current_density_A_per_m2
        Galvanostatic deposition current density (positive = plating).
    applied_potential_V
        Potentiostatic electrolyte potential at the far boundary vs the Li metal.
    coating_closure_thickness_m
        h₀ of the coverage law θ(h) = 1 − exp[−(h/h₀)^{2/3}] of the thin-layer coating
        (:mod:`hemcell.surface.coverage`); 0 = complete film.
    coating_coverage_correlation_length_m
        Correlation length of the field that places the pinholes.
    coating_coverage_seed
        Seed of the pinhole field.
    control
        ``galvanostatic`` or ``potentiostatic``.
    coupling_relaxation
        Under-relaxation ω of the stress update in the staggered loop.
    coupling_iterations
        Maximum staggered transport–mechanics iterations.
    coupling_tolerance
        Relative change of the surface current that ends the staggered loop.
    surface_energy_J_per_m2
        γ, surface energy of the Li surface: Gibbs–Thomson shift −γΩκ/F of the Li/Li⁺
        equilibrium potential in the transient (moving-boundary) runs; 0 switches
        capillarity off.
    mechanics_update_interval
        Transient runs: re-solve the elasticity of Li and coating on the moved mesh every
        this many steps (0: no mechanics, σ_nn held at −p).
    cation_charge_number
        z of the plated cation M^z+ and of the symmetric z:z salt (1: Li⁺ in LiPF₆, the
        Li sets, which do not give it; 2: Zn²⁺ in ZnSO₄). Enters the Faraday factor zF
        of the cation flux, the interface velocity ΩI/(zF) and the stress and capillary
        shifts of the equilibrium potential; the transfer coefficients read from a set are
        symmetry factors β, multiplied by z (α_a = α_c = zβ) when the parameters are built.
    hydrogen_evolution
        Whether hydrogen evolution runs as a parallel cathodic Tafel reaction on the metal
        surface (the case set gives ``her_exchange_current_density``: aqueous metals).
    her_exchange_current_density_A_per_m2, her_transfer_coefficient
        i₀,H and α_H of HER on the (bare or coated) metal, at the electrolyte pH and the
        reference temperature.
    her_activation_energy_J_per_mol
        Activation energy of i₀,H (Arrhenius to ``temperature_K``).
    electrolyte_ph
        pH of the aqueous electrolyte (E_HER = −(RT ln10/F) pH vs SHE).
    metal_standard_potential_V
        E⁰ of M^z+/M vs SHE: the potentials of the model are measured against the metal,
        so HER sees the equilibrium potential E_HER − E⁰ on that scale.
    """

    temperature_K: float
    bulk_concentration_mol_per_m3: float
    electrolyte_diffusivity_m2_per_s: float
    electrolyte_conductivity_S_per_m: float
    cation_transference_number: float
    thermodynamic_factor: float
    exchange_current_density_A_per_m2: float
    reference_temperature_K: float
    anodic_transfer_coefficient: float
    cathodic_transfer_coefficient: float
    exchange_current_concentration_exponent: float
    activation_energy_bare_J_per_mol: float
    activation_energy_coated_J_per_mol: float
    charge_transfer_resistance_bare_ohm: float
    charge_transfer_resistance_coated_ohm: float
    li_electrode_area_m2: float
    sei_heterogeneity_amplitude: float
    sei_correlation_length_m: float
    sei_seed: int
    coating_conductivity_S_per_m: float
    coating_thickness_m: float
    li_youngs_modulus_Pa: float
    li_poisson_ratio: float
    coating_youngs_modulus_Pa: float
    coating_poisson_ratio: float
    li_molar_volume_m3_per_mol: float
    stack_pressure_Pa: float
    growth_layer_thickness_m: float
    growth_strain_fraction: float
    growth_time_s: float
    applied_current_density_A_per_m2: float
    applied_potential_V: float = 0.0
    coating_closure_thickness_m: float = 0.0
    coating_coverage_correlation_length_m: float = 1e-6
    coating_coverage_seed: int = 2
    control: Control = "galvanostatic"
    coupling_relaxation: float = 1.0
    coupling_iterations: int = 20
    coupling_tolerance: float = 1e-6
    surface_energy_J_per_m2: float = 0.0
    mechanics_update_interval: int = 0
    cation_charge_number: float = 1.0
    hydrogen_evolution: bool = False
    her_exchange_current_density_A_per_m2: float = 0.0
    her_activation_energy_J_per_mol: float = 0.0
    her_transfer_coefficient: float = 0.5
    electrolyte_ph: float = 7.0
    metal_standard_potential_V: float = 0.0

    def __post_init__(self) -> None:
        """Reject non-finite values and values outside physical bounds."""
        positive = (
            "temperature_K", "bulk_concentration_mol_per_m3", "electrolyte_diffusivity_m2_per_s",
            "electrolyte_conductivity_S_per_m", "thermodynamic_factor",
            "exchange_current_density_A_per_m2", "reference_temperature_K",
            "anodic_transfer_coefficient", "cathodic_transfer_coefficient",
            "charge_transfer_resistance_bare_ohm", "charge_transfer_resistance_coated_ohm",
            "li_electrode_area_m2", "sei_correlation_length_m", "coating_conductivity_S_per_m",
            "li_youngs_modulus_Pa", "coating_youngs_modulus_Pa", "li_molar_volume_m3_per_mol",
            "growth_layer_thickness_m", "coating_coverage_correlation_length_m",
        )
        require_finite_and_positive(self, "surface parameter", positive)
        if not 0 < self.cation_transference_number < 1:
            raise InputError("surface parameter cation_transference_number",
                             self.cation_transference_number, "(0, 1)")
        for name in ("li_poisson_ratio", "coating_poisson_ratio"):
            if not -1 < getattr(self, name) < 0.5:
                raise InputError(f"surface parameter {name}", getattr(self, name), "(-1, 0.5)")
        if self.coating_closure_thickness_m < 0:
            raise InputError("surface parameter coating_closure_thickness_m",
                             self.coating_closure_thickness_m, ">= 0 (0 = complete film)")
        if self.surface_energy_J_per_m2 < 0:
            raise InputError("surface parameter surface_energy_J_per_m2",
                             self.surface_energy_J_per_m2, ">= 0")
        if self.mechanics_update_interval < 0:
            raise InputError("surface parameter mechanics_update_interval",
                             self.mechanics_update_interval, ">= 0 (steps; 0 = off)")
        if self.cation_charge_number <= 0:
            raise InputError("surface parameter cation_charge_number",
                             self.cation_charge_number, "> 0 (1 for Li+, 2 for Zn2+)")
        if self.hydrogen_evolution and not (self.her_exchange_current_density_A_per_m2 >= 0
                                            and self.her_transfer_coefficient > 0):
            raise InputError("surface parameters her_exchange_current_density, "
                             "her_transfer_coefficient",
                             (self.her_exchange_current_density_A_per_m2,
                              self.her_transfer_coefficient), ">= 0 and > 0")
        if self.control not in ("galvanostatic", "potentiostatic"):
            raise InputError("control", self.control, "galvanostatic, potentiostatic")
        if self.control == "potentiostatic" and not self.applied_potential_V > 0:
            # a stripping run's focusing factor, max/mean of negative currents, read 0.52
            # at -50 mV (|i| varied 2.3x): the metrics are plating metrics
            raise InputError("applied_potential", f"{self.applied_potential_V * 1e3:g} mV",
                             "> 0 V: positive values plate the metal; the surface and "
                             "phase-field models and their metrics (focusing factor, "
                             "dendrite index) are for plating, not stripping",
                             hint="e.g. --set applied_potential=50mV")

    def replace(self, **changes: Any) -> SurfaceParameters:
        """Copy with some fields changed (validated again)."""
        return dataclasses.replace(self, **changes)

    @property
    def charge_per_mole_C_per_mol(self) -> float:
        """zF [C mol⁻¹]: charge moved per mole of plated metal (F for Li)."""
        return self.cation_charge_number * FARADAY_C_PER_MOL

    @property
    def her_equilibrium_potential_V(self) -> float:
        """E_HER − E⁰(M^z+/M) [V]: the H⁺/H₂ equilibrium potential on the metal-reference
        scale of the model (:func:`hemcell.laws.hydrogen_equilibrium_potential_V`; the metal
        at its standard potential, activity one)."""
        return (hydrogen_equilibrium_potential_V(self.electrolyte_ph, self.temperature_K)
                - self.metal_standard_potential_V)

    @property
    def thermal_voltage_V(self) -> float:
        """RT/F [V] (:func:`hemcell.laws.thermal_voltage_V`)."""
        return thermal_voltage_V(self.temperature_K)

    def limiting_current_density_A_per_m2(self, length_m: float) -> float:
        """Limiting current of a flat electrode with diffusion-layer thickness ``length_m``.

        For steady 1D transport with constant properties the salt balance gives
        :math:`c(0) = c_b\\,[1 - i (1-t_+) L/(zF D c_b)]`, so the surface concentration
        vanishes at :math:`i_{lim} = zF D c_b / ((1-t_+) L)` (derived from the model's
        own equations; see :func:`hemcell.surface.analytic.limiting_current_density_A_per_m2`).
        """
        return (
            self.charge_per_mole_C_per_mol * self.electrolyte_diffusivity_m2_per_s
            * self.bulk_concentration_mol_per_m3
            / ((1 - self.cation_transference_number) * length_m)
        )


# Dataclass field -> (which set, the registry name and unit it is read from).
# "bare"/"coated": the bare_li / azcnf_coated_li material set; "case": the set of the
# simulated case (the shared electrolyte and bulk-Li entries are identical in both);
# "defaults": surface_defaults.
_FIELD_SOURCES: dict[str, tuple[str, ParameterUse]] = {
    "temperature_K": ("case", ParameterUse("ambient_temperature", "K")),
    "bulk_concentration_mol_per_m3": (
        "case", ParameterUse("initial_electrolyte_concentration", "mol/m**3")),
    "electrolyte_diffusivity_m2_per_s": (
        "case", ParameterUse("electrolyte_diffusivity", "m**2/s")),
    "electrolyte_conductivity_S_per_m": ("case", ParameterUse("electrolyte_conductivity", "S/m")),
    "cation_transference_number": (
        "case", ParameterUse("cation_transference_number", "dimensionless")),
    "thermodynamic_factor": ("case", ParameterUse("thermodynamic_factor", "dimensionless")),
    "exchange_current_density_A_per_m2": (
        "bare", ParameterUse("li_exchange_current_density", "A/m**2")),
    "reference_temperature_K": ("case", ParameterUse("reference_temperature", "K")),
    "anodic_transfer_coefficient": (
        "case", ParameterUse("li_transfer_coefficient", "dimensionless")),
    "cathodic_transfer_coefficient": (
        "case", ParameterUse("li_transfer_coefficient", "dimensionless")),
    "exchange_current_concentration_exponent": (
        "defaults", ParameterUse("exchange_current_concentration_exponent", "dimensionless")),
    "activation_energy_bare_J_per_mol": (
        "bare", ParameterUse("li_migration_activation_energy", "J/mol")),
    "activation_energy_coated_J_per_mol": (
        "coated", ParameterUse("li_migration_activation_energy", "J/mol")),
    "charge_transfer_resistance_bare_ohm": (
        "bare", ParameterUse("symmetric_cell_charge_transfer_resistance", "ohm")),
    "charge_transfer_resistance_coated_ohm": (
        "coated", ParameterUse("symmetric_cell_charge_transfer_resistance", "ohm")),
    "li_electrode_area_m2": ("case", ParameterUse("li_electrode_area", "m**2")),
    "sei_heterogeneity_amplitude": (
        "defaults", ParameterUse("sei_heterogeneity_amplitude", "dimensionless")),
    "sei_correlation_length_m": ("defaults", ParameterUse("sei_correlation_length", "m")),
    "sei_seed": ("defaults", ParameterUse("sei_seed", "dimensionless")),
    "coating_conductivity_S_per_m": ("coated", ParameterUse("coating_ionic_conductivity", "S/m")),
    "coating_thickness_m": ("coated", ParameterUse("coating_thickness", "m")),
    "li_youngs_modulus_Pa": ("case", ParameterUse("li_youngs_modulus", "Pa")),
    "li_poisson_ratio": ("case", ParameterUse("li_poisson_ratio", "dimensionless")),
    "coating_youngs_modulus_Pa": ("defaults", ParameterUse("coating_youngs_modulus", "Pa")),
    "coating_poisson_ratio": ("defaults", ParameterUse("coating_poisson_ratio", "dimensionless")),
    "li_molar_volume_m3_per_mol": ("case", ParameterUse("li_molar_volume", "m**3/mol")),
    "stack_pressure_Pa": ("defaults", ParameterUse("stack_pressure", "Pa")),
    "growth_layer_thickness_m": ("defaults", ParameterUse("growth_layer_thickness", "m")),
    "growth_strain_fraction": (
        "defaults", ParameterUse("growth_strain_fraction", "dimensionless")),
    "growth_time_s": ("defaults", ParameterUse("growth_time", "s")),
    "applied_current_density_A_per_m2": (
        "defaults", ParameterUse("applied_current_density", "A/m**2")),
    "applied_potential_V": ("defaults", ParameterUse("applied_potential", "V")),
    "coupling_relaxation": ("defaults", ParameterUse("coupling_relaxation", "dimensionless")),
    "coating_closure_thickness_m": ("coated", ParameterUse("coating_closure_thickness", "m")),
    "coating_coverage_correlation_length_m": (
        "defaults", ParameterUse("coating_coverage_correlation_length", "m")),
    "coating_coverage_seed": ("defaults", ParameterUse("coating_coverage_seed", "dimensionless")),
    "surface_energy_J_per_m2": ("case", ParameterUse("li_surface_energy", "J/m**2")),
    "mechanics_update_interval": (
        "defaults", ParameterUse("transient_mechanics_interval", "dimensionless")),
    "cation_charge_number": ("case", ParameterUse(
        "cation_charge_number", "dimensionless",
        absent="a monovalent cation, z = 1 (the Li sets do not give it)")),
    "her_exchange_current_density_A_per_m2": (
        "case", ParameterUse("her_exchange_current_density", "A/m**2")),
    "her_activation_energy_J_per_mol": (
        "case", ParameterUse("her_activation_energy", "J/mol")),
    "her_transfer_coefficient": ("case", ParameterUse("her_transfer_coefficient", "dimensionless")),
    "electrolyte_ph": ("case", ParameterUse("electrolyte_ph", "dimensionless")),
    "metal_standard_potential_V": ("case", ParameterUse("metal_standard_potential", "V")),
}
_OPTIONAL_FIELDS = {"applied_potential_V", "coupling_relaxation", "coating_closure_thickness_m",
                    "coating_coverage_correlation_length_m", "coating_coverage_seed",
                    "surface_energy_J_per_m2", "mechanics_update_interval",
                    "cation_charge_number", "her_exchange_current_density_A_per_m2",
                    "her_activation_energy_J_per_mol", "her_transfer_coefficient",
                    "electrolyte_ph", "metal_standard_potential_V"}
#: Read only with hydrogen evolution (all four required then).
_HER_FIELDS = ("her_exchange_current_density_A_per_m2", "her_activation_energy_J_per_mol",
               "her_transfer_coefficient", "electrolyte_ph", "metal_standard_potential_V")


#: GeometrySpec field → the ``surface_defaults`` name (and unit) it is read from.
_GEOMETRY_NAMES: dict[str, ParameterUse] = {
    **{f: ParameterUse(name, "dimensionless" if f == "coating_layers" else "m")
       for f, name in GEOMETRY_SET_NAMES.items()},
    "roughness_seed": ParameterUse("roughness_seed", "dimensionless"),
}
#: The 3D cell's mesh sizes (they replace ``surface_mesh_size`` / ``far_mesh_size``).
MESH_3D_NAMES: dict[str, ParameterUse] = {
    "surface_mesh_size_m": ParameterUse("surface_mesh_size_3d", "m"),
    "far_mesh_size_m": ParameterUse("far_mesh_size_3d", "m"),
}


def field_uses(*fields: str) -> tuple[ParameterUse, ...]:
    """The declarations of :class:`SurfaceParameters` (or :class:`GeometrySpec`) fields."""
    return tuple(_FIELD_SOURCES[f][1] if f in _FIELD_SOURCES else _GEOMETRY_NAMES[f]
                 for f in fields)


# ---------------------------------------------------------------- which values a model reads
#: Every case: electrolyte, the bare reference i0 and its transfer coefficients, the
#: loading, and the chemo-mechanical shift (molar volume; stack pressure as sigma_nn).
COMMON_PARAMETERS = field_uses(
    "temperature_K", "bulk_concentration_mol_per_m3", "electrolyte_diffusivity_m2_per_s",
    "electrolyte_conductivity_S_per_m", "cation_transference_number", "thermodynamic_factor",
    "exchange_current_density_A_per_m2", "reference_temperature_K",
    "anodic_transfer_coefficient", "li_molar_volume_m3_per_mol", "stack_pressure_Pa",
    "cation_charge_number")
#: Aqueous metals: hydrogen evolution on the metal surface.
HER_PARAMETERS = field_uses(*_HER_FIELDS)
#: Bare Li: its activation energy, the concentration dependence of i0, the native-SEI field.
BARE_PARAMETERS = field_uses(
    "activation_energy_bare_J_per_mol", "exchange_current_concentration_exponent",
    "sei_heterogeneity_amplitude", "sei_correlation_length_m", "sei_seed")
#: Coated Li: the coated-interface rule (both measured resistances, the electrode area,
#: the coated activation energy) and the film.
COATED_PARAMETERS = field_uses(
    "activation_energy_coated_J_per_mol", "charge_transfer_resistance_bare_ohm",
    "charge_transfer_resistance_coated_ohm", "li_electrode_area_m2",
    "coating_conductivity_S_per_m", "coating_thickness_m")
#: Thin-layer coating: the coated Li, the bare Li in its pinholes and the coverage field.
COATED_THIN_PARAMETERS = (*COATED_PARAMETERS, *BARE_PARAMETERS, *field_uses(
    "coating_closure_thickness_m", "coating_coverage_correlation_length_m",
    "coating_coverage_seed"))
CASE_PARAMETERS: dict[str, tuple[ParameterUse, ...]] = {
    "bare": BARE_PARAMETERS, "coated": COATED_PARAMETERS, "coated_thin": COATED_THIN_PARAMETERS}
#: Elasticity of the Li (every mechanics solve) and of a resolved coating band.
LI_ELASTICITY_PARAMETERS = field_uses("li_youngs_modulus_Pa", "li_poisson_ratio")
COATING_ELASTICITY_PARAMETERS = field_uses("coating_youngs_modulus_Pa", "coating_poisson_ratio")
#: Steady 2D runs: the growth strain and the staggered transport-mechanics loop.
STEADY_MECHANICS_PARAMETERS = (*LI_ELASTICITY_PARAMETERS, *field_uses(
    "growth_layer_thickness_m", "growth_strain_fraction", "growth_time_s",
    "coupling_relaxation"))
#: Transient runs: capillarity and the mechanics interval.
TRANSIENT_PARAMETERS = field_uses("surface_energy_J_per_m2", "mechanics_update_interval")
POTENTIOSTATIC_PARAMETERS = field_uses("applied_potential_V")
#: Galvanostatic control: the applied current (under potentiostatic control the current is
#: the answer, and `--set applied_current_density` is refused: it changed nothing).
GALVANOSTATIC_PARAMETERS = field_uses("applied_current_density_A_per_m2")
#: Geometry: every kind, and what each kind adds.
GEOMETRY_PARAMETERS = field_uses("width_m", "electrolyte_height_m", "li_thickness_m",
                                 "grading_distance_m")
MESH_2D_PARAMETERS = field_uses("surface_mesh_size_m", "far_mesh_size_m", "li_far_mesh_size_m",
                                "li_far_mesh_depth_m")
KIND_PARAMETERS: dict[str, tuple[ParameterUse, ...]] = {
    "flat": (),
    "sinusoid": field_uses("amplitude_m"),
    "nucleus": field_uses("nucleus_radius_m", "fillet_radius_m"),
    "random": field_uses("amplitude_m", "roughness_correlation_length_m", "roughness_seed"),
}
COATING_BAND_PARAMETERS = field_uses("coating_layers")


def surface_parameter_uses(case: str, geometry: str, dim: int = 2, transient: bool = False,
                           control: str = "galvanostatic", mechanics: bool = True,
                           coating_band: bool | None = None,
                           hydrogen_evolution: bool = False) -> tuple[ParameterUse, ...]:
    """What one surface solve reads (its kinetics, electrolyte, mechanics and geometry).

    Parameters
    ----------
    case
        ``bare``, ``coated`` or ``coated_thin``.
    geometry
        ``flat``, ``sinusoid``, ``nucleus`` or ``random``.
    dim
        2 or 3 (3D: steady, no mechanics, its own mesh sizes).
    transient
        A moving-boundary (transient) run.
    control
        ``galvanostatic`` or ``potentiostatic``.
    mechanics
        Transient runs: the elasticity is solved (``transient_mechanics_interval`` > 0).
    coating_band
        The mesh has the resolved coating band (default: ``case == "coated"`` in 2D; the
        bare case of ``compare`` is meshed with it as electrolyte).
    hydrogen_evolution
        HER runs in parallel on the metal surface (aqueous metals, the Zn sets).
    """
    band = (case == "coated" and dim == 2) if coating_band is None else coating_band
    uses = [*COMMON_PARAMETERS, *CASE_PARAMETERS[case], *GEOMETRY_PARAMETERS,
            *KIND_PARAMETERS[geometry]]
    uses += MESH_2D_PARAMETERS if dim == 2 else tuple(MESH_3D_NAMES.values())
    if band:
        uses += COATING_BAND_PARAMETERS
    if transient:
        uses += TRANSIENT_PARAMETERS
    if dim == 2 and (mechanics or not transient):
        uses += STEADY_MECHANICS_PARAMETERS if not transient else LI_ELASTICITY_PARAMETERS
        if case == "coated":
            uses += COATING_ELASTICITY_PARAMETERS
    uses += POTENTIOSTATIC_PARAMETERS if control == "potentiostatic" \
        else GALVANOSTATIC_PARAMETERS
    if hydrogen_evolution:
        uses += HER_PARAMETERS
    return tuple(uses)


def _pick(si: Mapping[str, Any], names: tuple[str, ...]) -> Any:
    for n in names:
        if n in si:
            v = si[n]
            return v[0] if isinstance(v, list | tuple) else v
    return None


def surface_parameters_from_sets(
    defaults: Mapping[str, Any],
    bare: Mapping[str, Any],
    coated: Mapping[str, Any],
    case: Case,
    control: Control = "galvanostatic",
) -> SurfaceParameters:
    """Build :class:`SurfaceParameters` from registry-named SI dictionaries.

    Parameters
    ----------
    defaults
        ``.si`` of ``surface_defaults`` (geometry, SEI field, mechanics closure, loading).
    bare, coated
        ``.si`` of the bare and coated material sets (``bare_li``, ``azcnf_coated_li``).
        The coated exchange current is derived from the bare one and the two sets'
        charge-transfer resistances by the coated-interface rule (see
        :func:`hemcell.surface.kinetics.mean_exchange_current_density`).
    case
        The simulated case; its material set provides the shared entries.
    control
        Electrochemical control mode.

    Raises
    ------
    InputError
        Naming every registry entry that is missing.
    """
    sets = {"defaults": defaults, "bare": bare, "coated": coated,
            "case": bare if case == "bare" else coated}
    values: dict[str, Any] = {}
    missing: list[str] = []
    for fname, (where, use) in _FIELD_SOURCES.items():
        name = use.key
        v = _pick(sets[where], (name,))
        if v is None:
            if fname not in _OPTIONAL_FIELDS:
                missing.append(f"{name} (in the {where} set)")
            continue
        values[fname] = float(v)
    her = "her_exchange_current_density_A_per_m2" in values
    if her:
        missing += [f"{_FIELD_SOURCES[f][1].key} (in the case set, for hydrogen evolution)"
                    for f in _HER_FIELDS if f not in values]
    if missing:
        raise InputError(
            "surface parameters", "missing", "all of: " + "; ".join(missing),
            hint="add them to the parameter set or pass --set NAME=VALUE",
        )
    for name in ("sei_seed", "coating_coverage_seed", "mechanics_update_interval"):
        if name in values:
            values[name] = int(values[name])
    # Set values are symmetry factors β of the z-electron couple: α = zβ (Li: z = 1).
    z = values.get("cation_charge_number", 1.0)
    for name in ("anodic_transfer_coefficient", "cathodic_transfer_coefficient"):
        values[name] *= z
    return SurfaceParameters(control=control, hydrogen_evolution=her, **values)


def geometry_from_si(
    si: Mapping[str, Any], kind: GeometryKind, coating_thickness_m: float
) -> GeometrySpec:
    """Build the :class:`GeometrySpec` from registry-named SI values.

    Lengths absent from ``si`` keep the :class:`GeometrySpec` defaults.
    """
    kwargs: dict[str, Any] = {}
    for field, use in _GEOMETRY_NAMES.items():
        v = _pick(si, (use.key,))
        if v is not None:
            kwargs[field] = (int(v) if field in ("coating_layers", "roughness_seed")
                             else float(v))
    return GeometrySpec(kind=kind, coating_thickness_m=coating_thickness_m, **kwargs)
