"""Small phase-field runs shared by the tests (and run under mpiexec by test_phasefield_mpi).

``pf_parameters`` gives literature-like test values (the electrolyte, Li and seed-004
numbers of :func:`tests.surface.conftest.example_parameters`; the interface width of the
Hong & Viswanathan 2018 input file); the runs use the parameter sets.
"""

from __future__ import annotations

import json
import sys


def pf_parameters(**changes):
    """A complete, small PhaseFieldParameters (8 um x 10 um bare Li cell, 1 s)."""
    from hemcell.surface.phasefield import PhaseFieldParameters

    base = dict(
        temperature_K=298.15, charge_number=1.0, bulk_concentration_mol_per_m3=1000.0,
        electrolyte_diffusivity_m2_per_s=3.22e-10, electrolyte_conductivity_S_per_m=1.19,
        cation_transference_number=0.38, metal_molar_volume_m3_per_mol=1.3e-5,
        exchange_current_density_A_per_m2=70.6, transfer_coefficient=0.5,
        surface_energy_J_per_m2=0.5, interface_width_m=0.25e-6,
        curvature_mobility_m2_per_s=1e-13, anisotropy_strength=0.0, anisotropy_mode=4,
        anisotropy_angle_rad=0.0, sei_heterogeneity_amplitude=0.5,
        sei_correlation_length_m=1e-6, sei_seed=4, coating_thickness_m=0.0,
        coating_conductivity_S_per_m=1e-3, coating_youngs_modulus_Pa=6.39e9,
        coating_poisson_ratio=0.3, applied_current_density_A_per_m2=2000.0,
        domain_width_m=8e-6, domain_height_m=10e-6, initial_metal_height_m=2e-6,
        roughness_amplitude_m=0.2e-6, roughness_correlation_length_m=1e-6, roughness_seed=1,
        cells_per_interface_width=3.0, electrolyte_fraction_floor=1e-4, duration_s=1.0,
        initial_time_step_s=0.01, max_time_step_s=0.5, max_order_parameter_change=0.1,
        frames=3, max_height_fraction=0.8)
    base.update(changes)
    return PhaseFieldParameters(**base)


def main(out_path: str) -> None:
    """Bare and anisotropic coated runs; rank 0 writes their metrics as JSON."""
    import dolfinx_solver  # noqa: F401

    from mpi4py import MPI

    from hemcell.surface.phasefield import run_phasefield
    from hemcell.surface.phasefield_output import phasefield_metrics

    results = {}
    for case, changes in (("bare", {}),
                          ("coated", dict(coating_thickness_m=28e-9,
                                          anisotropy_strength=0.04, anisotropy_mode=6))):
        r = run_phasefield(pf_parameters(duration_s=0.25, **changes), case)
        results[case] = phasefield_metrics(r)
    if MPI.COMM_WORLD.rank == 0:
        with open(out_path, "w", encoding="utf-8") as fh:
            json.dump(results, fh)


if __name__ == "__main__":
    main(sys.argv[1])
