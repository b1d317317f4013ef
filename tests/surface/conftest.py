"""Shared fixtures for the surface-model tests.

The FEniCSx tests skip when DOLFINx/gmsh are missing, except on CI (``CI=true``),
where a missing dependency fails the run instead of silently skipping it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

# skip locally / fail on CI when DOLFINx or gmsh cannot be imported (one rule for all tests)
from tests.conftest import require_fem as require_fenicsx

ROOT = Path(__file__).resolve().parents[2]


def run_mpi_case(module: str, ranks: int, out: Path) -> dict:
    """Run ``python -m <module> <out>`` under ``mpiexec -n <ranks>``; return the JSON it wrote.

    Skips locally (fails on CI) when mpiexec is not next to the interpreter.
    """
    mpiexec = Path(sys.executable).parent / "mpiexec"
    if not mpiexec.exists():
        if os.environ.get("CI") == "true":
            pytest.fail("mpiexec not found next to the Python interpreter")
        pytest.skip("mpiexec not available")
    cmd = [str(mpiexec), "-n", str(ranks), sys.executable, "-m", module, str(out)]
    env = dict(os.environ, OMP_NUM_THREADS="1")
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(out.read_text())


@pytest.fixture
def fenicsx() -> None:
    """Fixture form of ``require_fenicsx``."""
    require_fenicsx()


def example_parameters(**changes):
    """A complete SurfaceParameters for tests (literature-like values, see docstring).

    Electrolyte: Valøen & Reimers 2005 at 1 M, 298 K (κ 1.19 S/m, D 3.22e-10 m²/s,
    t₊ 0.38 as in PyBaMM Xu2019); i₀ of the Xu2019 Li set (7.06 mA/cm²); seed-004
    R_ct and activation energies (electrode area 1.911 cm², assumed as in bare_li); Li E
    8.2 GPa (Herbert 2018), ν 0.36; coating E from the seed's AFM modulus. Test values
    only: the runs use the parameter sets.
    """
    from hemcell.surface.parameters import SurfaceParameters

    base = dict(
        temperature_K=298.15,
        bulk_concentration_mol_per_m3=1000.0,
        electrolyte_diffusivity_m2_per_s=3.22e-10,
        electrolyte_conductivity_S_per_m=1.19,
        cation_transference_number=0.38,
        thermodynamic_factor=1.0,
        exchange_current_density_A_per_m2=70.6,
        reference_temperature_K=298.15,
        anodic_transfer_coefficient=0.5,
        cathodic_transfer_coefficient=0.5,
        exchange_current_concentration_exponent=0.5,
        activation_energy_bare_J_per_mol=29.31e3,
        activation_energy_coated_J_per_mol=27.82e3,
        charge_transfer_resistance_bare_ohm=64.0,
        charge_transfer_resistance_coated_ohm=44.0,
        li_electrode_area_m2=1.911e-4,
        sei_heterogeneity_amplitude=0.5,
        sei_correlation_length_m=1e-6,
        sei_seed=1,
        coating_conductivity_S_per_m=1e-3,
        coating_thickness_m=28e-9,
        li_youngs_modulus_Pa=8.2e9,
        li_poisson_ratio=0.36,
        coating_youngs_modulus_Pa=6.39e9,
        coating_poisson_ratio=0.3,
        li_molar_volume_m3_per_mol=1.3e-5,
        stack_pressure_Pa=0.0,
        growth_layer_thickness_m=0.5e-6,
        growth_strain_fraction=0.0,
        growth_time_s=60.0,
        applied_current_density_A_per_m2=10.0,
    )
    base.update(changes)
    return SurfaceParameters(**base)


def coarse_spec(kind: str = "flat", coating_thickness_m: float = 0.0, **changes):
    """A small mesh for fast tests (W = 10 µm, H = 20 µm)."""
    from hemcell.surface.geometry import GeometrySpec

    base = dict(kind=kind, coating_thickness_m=coating_thickness_m,
                surface_mesh_size_m=0.2e-6, far_mesh_size_m=2e-6, grading_distance_m=5e-6)
    base.update(changes)
    return GeometrySpec(**base)


def solve(spec, p, case, band_is_electrolyte=False):
    """Mesh and solve; return (result, metrics)."""
    from hemcell.surface.geometry import build_mesh
    from hemcell.surface.metrics import compute_metrics
    from hemcell.surface.solver import solve_coupled

    sm = build_mesh(spec, band_is_electrolyte=band_is_electrolyte)
    result = solve_coupled(sm, p, case)
    return result, compute_metrics(result)


def assert_same_coupled_solution(a, b) -> None:
    """Two coupled results (``solve_coupled``) agree to 1e-8: the transport unknowns and
    the surface current and normal stress."""
    import numpy as np

    np.testing.assert_allclose(a.transport.u.x.array, b.transport.u.x.array,
                               rtol=1e-8, atol=1e-9)
    for key in ("current_density_A_per_m2", "normal_stress_Pa"):
        x, y = getattr(a.samples, key), getattr(b.samples, key)
        np.testing.assert_allclose(x, y, rtol=1e-8, atol=1e-8 * np.max(np.abs(y)),
                                   err_msg=key)
