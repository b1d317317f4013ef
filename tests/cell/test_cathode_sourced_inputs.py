"""Sourced kinetic inputs of the cathode sets (docs/cathodes.md, "Literature for the sets' inputs").

Checks: the values taken from the literature load with their units, SI values and a
reference that names a page; each equals what the selection rule gives from the
reported numbers (geometric mean of a range); and the half cell's rate capacity
responds to the solid diffusivity as Fickian transport must: more capacity at a fixed
current when D_s grows, the same capacity once R²/D_s is far below the step's duration.
"""

from __future__ import annotations

import math

import pytest

from hemcell.params.parameter_set import load_parameter_set

pybamm = pytest.importorskip("pybamm")


def _reference(pset, name):
    src = pset.parameters[name].source
    assert set(src) >= {"ref"}, src
    ref = pset.references[src["ref"]]
    assert ref.get("url") or ref.get("doi")
    assert isinstance(ref["year"], int)
    return ref


def test_nvpf_diffusivity_is_the_geometric_mean_of_the_doped_nvpf_range():
    """D_s = √(1e-9 · 1e-10) cm² s⁻¹ (Ni-doped NVPF, GITT/CV) = 3.16e-14 m² s⁻¹, in m² s⁻¹."""
    pset = load_parameter_set("cathode_he_nvpf")
    p = pset.parameters["cathode_solid_diffusivity"]
    assert p.unit == "m**2/s"
    expected_m2_per_s = math.sqrt(1e-9 * 1e-10) * 1e-4
    assert p.si_value == pytest.approx(expected_m2_per_s, rel=2e-3)  # printed to 3 digits
    ref = _reference(pset, "cathode_solid_diffusivity")
    assert "2505.02201" in ref["url"]


def test_o3_particle_radius_is_half_the_geometric_mean_diameter():
    """R = √(1 µm · 3 µm) / 2 = 0.866 µm (HE O3 oxide, SEM 1–3 µm), printed 0.87 µm."""
    pset = load_parameter_set("cathode_he_o3_fecontisnli")
    p = pset.parameters["cathode_particle_radius"]
    assert p.unit == "um"
    assert p.si_value == pytest.approx(math.sqrt(1e-6 * 3e-6) / 2, rel=6e-3)
    ref = _reference(pset, "cathode_particle_radius")
    assert ref["doi"] == "10.1039/d6ra02449a"


def test_unsourced_pba_kinetics_stay_assumed_and_say_what_was_searched():
    """No citable PBA value was found: D_s, i₀ and R of the HE-PBA stay `assumed`."""
    pset = load_parameter_set("cathode_hepba_femnnicuco")
    for name in ("cathode_solid_diffusivity", "cathode_exchange_current_density",
                 "cathode_particle_radius"):
        assert "assumed" in pset.parameters[name].source
    assert "PMC11469271" in pset.parameters["cathode_solid_diffusivity"].source["assumed"]



@pytest.fixture(scope="module")
def pba_discharge_vs_diffusivity():
    """HE-PBA (R = 0.59 µm) in the single-particle half cell (no electrolyte gradients:
    D_s alone sets the transport) charged at C/5, discharged at C/2 (7200 s), for
    R²/D_s = 35 000, 3 500, 350 and 35 s."""
    from hemcell.workflows.cathode_half_cell import run_cell, summarize

    out = {}
    for d in (1e-17, 1e-16, 1e-15, 1e-14):
        run = run_cell("cathode_half_cell_sp", "cathode_hepba_femnnicuco",
                       "Charge at C/5 until 4.2 V; Discharge at C/2 until 2.0 V",
                       overrides=[f"cathode_solid_diffusivity={d} m**2/s"])
        summary = summarize(run)
        assert summary["completed"], summary.get("error")
        out[d] = summary["discharge_capacity_by_step_mAh_per_g"][0]
    return out


def test_rate_capacity_rises_with_the_solid_diffusivity(pba_discharge_vs_diffusivity):
    """Fixed current: capacity grows strictly with D_s while R²/D_s is comparable to or
    longer than the 2 h step, and levels off once R²/D_s ≪ 2 h (35 s and 350 s agree to
    2 %: the rest is the couples' and the kinetics', which D_s does not touch)."""
    q = pba_discharge_vs_diffusivity
    assert q[1e-17] < q[1e-16] < q[1e-15]
    assert q[1e-14] >= q[1e-15] * (1 - 1e-3)
    assert q[1e-14] == pytest.approx(q[1e-15], rel=0.02)
    assert q[1e-17] < 0.5 * q[1e-14]
