"""Zn in aqueous ZnSO4 on the sharp-interface surface model: z = 2 in the transport and
the Faraday volume, hydrogen evolution as a parallel Tafel reaction at a flat interface,
and the Li parameters unchanged by the generalisation."""

from __future__ import annotations

import math

import numpy as np
import pytest

from hemcell.laws import FARADAY_C_PER_MOL, GAS_CONSTANT_J_PER_MOL_K
from hemcell.workflows import surface as ws
from tests.surface.conftest import coarse_spec, require_fenicsx, solve

UNIFORM = ["sei_heterogeneity_amplitude=0"]


def test_li_parameters_are_unchanged_and_zn_parameters_carry_z_and_her():
    li = ws.resolve_case("bare", "flat").parameters
    assert li.cation_charge_number == 1.0 and not li.hydrogen_evolution
    assert li.anodic_transfer_coefficient == li.cathodic_transfer_coefficient == 0.5
    assert li.charge_per_mole_C_per_mol == FARADAY_C_PER_MOL
    zn = ws.resolve_case("bare", "flat", metal="Zn").parameters
    assert zn.cation_charge_number == 2.0 and zn.hydrogen_evolution
    # symmetry factor 0.5 of the set -> alpha = z beta = 1 for the two-electron couple
    assert zn.anodic_transfer_coefficient == zn.cathodic_transfer_coefficient == 1.0
    # E_HER - E0 on the Zn scale at pH 4: -0.0592 x 4 + 0.762 V
    assert zn.her_equilibrium_potential_V == pytest.approx(0.762 - 4 * 0.05916, abs=2e-4)
    # the Li read list gains only the charge number (absent in the Li sets: z = 1)
    li_keys = ws.case_parameter_uses("bare", "flat")
    zn_keys = ws.case_parameter_uses("bare", "flat", metal="Zn")
    assert set(zn_keys) - set(li_keys) == {"her_exchange_current_density",
                                           "her_activation_energy",
                                           "her_transfer_coefficient", "electrolyte_ph",
                                           "metal_standard_potential"}
    assert li_keys["cation_charge_number"].absent


@pytest.fixture(scope="module")
def zn_flat():
    require_fenicsx()
    rc = ws.resolve_case("bare", "flat", UNIFORM, metal="Zn")
    spec = coarse_spec("flat")
    result, metrics = solve(spec, rc.parameters, "bare")
    return rc.parameters, spec, result, metrics


def test_flat_zn_her_is_the_tafel_law_and_charge_is_conserved(zn_flat):
    """Flat, uniform bare Zn: i_Zn + i_HER = i_app, and i_HER equals
    i0_H exp(-alpha_H F (E - E_HER)/RT) at the solved surface potential, with
    E = E0 - phi and E_HER = -(RT ln10/F) pH written out here."""
    from hemcell.surface.geometry import Facet

    p, _spec, result, m = zn_flat
    i_app = p.applied_current_density_A_per_m2
    i_her = m["mean_her_current_density_A_per_m2"]
    assert m["mean_current_density_A_per_m2"] + i_her == pytest.approx(i_app, rel=1e-9)
    assert m["her_current_fraction"] == pytest.approx(i_her / i_app, rel=1e-9)
    _, _, phi = result.transport.surface_nodal(1, Facet.LI_SURFACE)
    f = FARADAY_C_PER_MOL / (GAS_CONSTANT_J_PER_MOL_K * p.temperature_K)
    e_her = -math.log(10) / f * p.electrolyte_ph
    tafel = p.her_exchange_current_density_A_per_m2 * np.exp(
        -p.her_transfer_coefficient * f * (p.metal_standard_potential_V - phi - e_her))
    assert np.ptp(phi) < 1e-9  # flat and uniform
    assert float(np.mean(tafel)) == pytest.approx(i_her, rel=1e-6)
    assert 1e-4 < m["her_current_fraction"] < 0.05  # a parasitic share, not the main path


def test_flat_zn_depletion_uses_zF(zn_flat):
    """Steady 1D salt balance with the cation carrying only the Zn current:
    -D c' = (i_Zn - t+ i_app)/(zF), so c_s = c_b - L (i_Zn - t+ i_app)/(2 F D)."""
    p, spec, _result, m = zn_flat
    i_app = p.applied_current_density_A_per_m2
    i_zn = m["mean_current_density_A_per_m2"]
    t = p.cation_transference_number
    depletion = spec.electrolyte_height_m * (i_zn - t * i_app) / (
        2 * FARADAY_C_PER_MOL * p.electrolyte_diffusivity_m2_per_s)
    got = p.bulk_concentration_mol_per_m3 - m["min_surface_concentration_mol_per_m3"]
    assert got == pytest.approx(depletion, rel=1e-4)


def test_flat_zn_thin_layer_depletion_takes_the_zn_current_alone():
    """The same salt balance under the thin-layer coating (``coated_thin``), with hydrogen
    evolution raised to a few percent of the current (i0_H 1e-9 A/cm², assumed here to make
    it visible): the film carries i_Zn + i_HER, the electrolyte's cation only i_Zn, so
    c_s = c_b - L (i_Zn - t+ i_app)/(2 F D). Until 2026-12-07 the thin layer's Zn²⁺ sink was
    the film current (i_Zn + i_HER), which this misses by i_HER L/(2 F D)."""
    require_fenicsx()
    rc = ws.resolve_case("coated_thin", "flat",
                         [*UNIFORM, "her_exchange_current_density=1e-9 A/cm**2"], metal="Zn")
    p, spec = rc.parameters, coarse_spec("flat")
    _result, m = solve(spec, p, "coated_thin")
    i_app = p.applied_current_density_A_per_m2
    i_zn, i_her = m["mean_current_density_A_per_m2"], m["mean_her_current_density_A_per_m2"]
    assert i_zn + i_her == pytest.approx(i_app, rel=1e-9)
    assert 0.01 < i_her / i_app < 0.2
    t = p.cation_transference_number
    height, two_f_d = spec.electrolyte_height_m, 2 * FARADAY_C_PER_MOL * (
        p.electrolyte_diffusivity_m2_per_s)
    got = p.bulk_concentration_mol_per_m3 - m["min_surface_concentration_mol_per_m3"]
    assert got == pytest.approx(height * (i_zn - t * i_app) / two_f_d, rel=1e-4)
    assert abs(got - height * (i_app - t * i_app) / two_f_d) > 10 * 1e-4 * got


def test_zn_interface_moves_by_the_two_electron_faraday_volume():
    """Flat Zn plated for 10 s: the metal grows by Omega Q_Zn/(2F), Q_Zn the Zn charge
    (the HER share deposits nothing)."""
    require_fenicsx()
    from hemcell.surface.geometry import build_mesh
    from hemcell.surface.transient import TransientSettings, run_transient

    p = ws.resolve_case("bare", "flat", UNIFORM, metal="Zn").parameters
    spec = coarse_spec("flat")
    settings = TransientSettings(duration_s=10.0, time_step_s=2.0, initial_time_step_s=0.1)
    r = run_transient(build_mesh(spec), p, "bare", settings)
    grown = r.column("li_area_m2_per_m")[-1] - r.column("li_area_m2_per_m")[0]
    q_zn = r.rows[-1]["charge_passed_C_per_m"]
    i_app = p.applied_current_density_A_per_m2
    assert q_zn < i_app * spec.width_m * 10.0  # HER took its share
    assert q_zn == pytest.approx(i_app * spec.width_m * 10.0, rel=0.02)
    assert grown == pytest.approx(p.li_molar_volume_m3_per_mol * q_zn
                                  / (2 * FARADAY_C_PER_MOL), rel=1e-6)
    # the HER share is reported each step, and it is what the Zn charge misses
    from hemcell.surface.transient_output import transient_metrics

    f_her = r.column("her_current_fraction")
    assert np.all((f_her > 1e-4) & (f_her < 0.05))
    assert q_zn == pytest.approx(i_app * spec.width_m * 10.0 * (1 - f_her[-1]), rel=2e-3)
    metrics = transient_metrics(r)
    assert metrics["final_her_current_fraction"] == f_her[-1]
    # the Faraday-volume check of a Zn run is named for the metal, not for Li
    assert metrics["metal_volume_conservation_error"] < 1e-6
    assert not any(key.startswith("li_volume") for key in metrics)


def test_a_coating_thicker_than_the_nucleus_fillet_is_refused():
    """The coating's outer surface in the concave fillet has radius r_f - h: h >= r_f is
    refused (exit 2) instead of handing gmsh a degenerate offset."""
    from hemcell.errors import InputError
    from hemcell.surface.geometry import GeometrySpec

    with pytest.raises(InputError, match="fillet"):
        GeometrySpec(kind="nucleus", coating_thickness_m=0.5e-6, fillet_radius_m=0.5e-6)
    GeometrySpec(kind="nucleus", coating_thickness_m=0.5e-6, fillet_radius_m=1e-6)
