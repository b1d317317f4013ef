"""Phase field with the coating as a resolved region: bare limit, Faraday volume, the
layer's Ohmic drop (1D, analytic), the trend with conductivity and stiffness, the region
rule and the distance construction."""

from __future__ import annotations

import math

import numpy as np
import pytest

from tests.surface.conftest import require_fenicsx, run_mpi_case
from tests.surface.phasefield_case import pf_parameters

#: Sinusoid-perturbed cell of the growth-rate test (test_phasefield.py): Wagner number
#: ~0.3, so the perturbation grows in a few seconds on a coarse mesh.
W, A, S0 = 8e-6, 0.4e-6, 2e-6
TREND = dict(domain_width_m=W, domain_height_m=6e-6, initial_metal_height_m=S0,
             interface_width_m=0.2e-6, electrolyte_conductivity_S_per_m=0.01,
             exchange_current_density_A_per_m2=700.0, electrolyte_diffusivity_m2_per_s=1e-7,
             applied_current_density_A_per_m2=100.0, curvature_mobility_m2_per_s=1e-14,
             sei_heterogeneity_amplitude=0.0, duration_s=2.0, frames=3,
             max_time_step_s=0.2)
#: A 2 µm layer (the region rule asks >= 2 x 4.39 x 0.2 µm = 1.76 µm) with the
#: electrolyte's own transport and no stiffness: the bare cell in region form.
NEUTRAL = dict(coating_model="region", coating_thickness_m=2e-6,
               coating_conductivity_S_per_m=0.01, coating_diffusivity_m2_per_s=1e-7,
               coating_youngs_modulus_Pa=0.0)


def _surface(x):
    return S0 - A * np.cos(2 * math.pi / W * x)


def _run(case, **changes):
    from hemcell.surface.phasefield import run_phasefield

    return run_phasefield(pf_parameters(**{**TREND, **changes}), case, initial_surface=_surface)


@pytest.fixture(scope="module")
def neutral():
    require_fenicsx()
    return _run("coated", **NEUTRAL)


def test_neutral_region_layer_gives_the_bare_result(neutral):
    """κ_c = κ_e, D_c = D, E_c = 0: the layer's factors are 1 and its load 0, so the run
    is the bare one with the same (uniform) kinetics, to the Newton tolerance."""
    bare = _run("bare")
    assert neutral.steps == bare.steps
    for key in ("dendrite_index", "max_height_m", "mean_height_m", "roughness_rms_m",
                "far_potential_V", "metal_area_m2_per_m", "min_concentration_mol_per_m3"):
        assert neutral.rows[-1][key] == pytest.approx(bare.rows[-1][key], rel=1e-8, abs=1e-14)
    assert neutral.rows[-1]["dendrite_index"] > neutral.rows[0]["dendrite_index"]  # grows
    assert neutral.rows[-1]["coating_tension_N_per_m"] == 0.0
    assert neutral.rows[-1]["coating_pressure_max_Pa"] == 0.0


def test_less_conductive_or_stiffer_layer_lowers_the_dendrite_index(neutral):
    """Same perturbed surface and current: a layer 20x less conductive (series film
    resistance h_c/κ_c evens out the current; field i/κ_c = 2e5 V/m, below the limit
    RT/(αzFℓ) = 2.6e5 V/m) or a stiff one (6.39 GPa, the AZCNF value: the load
    (M_c/h_c)(s − s̄) on the high columns) grows a smoother deposit than the neutral
    layer; every run deposits the Faraday volume."""
    resistive = _run("coated", **{**NEUTRAL, "coating_conductivity_S_per_m": 5e-4,
                                  "coating_diffusivity_m2_per_s": 5e-9})
    stiff = _run("coated", **{**NEUTRAL, "coating_youngs_modulus_Pa": 6.39e9})
    di0 = neutral.rows[0]["dendrite_index"]
    di_neutral = neutral.rows[-1]["dendrite_index"]
    assert resistive.rows[-1]["dendrite_index"] < di_neutral
    assert resistive.rows[-1]["roughness_rms_m"] < neutral.rows[-1]["roughness_rms_m"]
    assert stiff.rows[-1]["dendrite_index"] < di_neutral
    assert stiff.rows[-1]["dendrite_index"] < di0  # the load flattens the start surface
    assert stiff.rows[-1]["coating_pressure_max_Pa"] > 0
    for r in (neutral, resistive, stiff):
        last, first = r.rows[-1], r.rows[0]
        grown = last["metal_area_m2_per_m"] - first["metal_area_m2_per_m"]
        faraday = last["metal_area_from_charge_m2_per_m"] - first["metal_area_m2_per_m"]
        assert grown == pytest.approx(faraday, rel=1e-8)


def test_ohmic_drop_across_the_layer_is_i_h_over_kappa():
    """Flat 1D deposit at 200 mA/cm², a 4 µm layer with κ_c = 0.1 S/m (D_c = D: same
    salt profile). In the layer the field is i/κ_c, above it i/κ_e (1 %: P1 gradients
    of a linear profile, ψ_min); the far potential rises over the bare one by
    i h_c (1/κ_c − 1/κ_e) = 73 mV, within 3 % (the layer follows the deposit one step
    late, v Δt ≈ 0.02 µm; the finite metal below shortens the distance filter's reach,
    e^(−2s/r) ≈ 1 %; the diffuse reaction zone, O(ℓ/h_c))."""
    require_fenicsx()
    from hemcell.surface.phasefield import run_phasefield

    h_c, kappa_c = 4e-6, 0.1
    flat = dict(roughness_amplitude_m=0.0, sei_heterogeneity_amplitude=0.0,
                domain_width_m=1e-6, domain_height_m=10e-6, duration_s=0.5, frames=2)
    p = pf_parameters(coating_model="region", coating_thickness_m=h_c,
                      coating_conductivity_S_per_m=kappa_c,
                      coating_diffusivity_m2_per_s=3.22e-10, coating_youngs_modulus_Pa=0.0,
                      **flat)
    region = run_phasefield(p, "coated")
    bare = run_phasefield(pf_parameters(**flat), "bare")
    i, kappa_e = p.applied_current_density_A_per_m2, p.electrolyte_conductivity_S_per_m
    _, _, phi_hat = region.model.gather()
    _, y = region.model.grid()
    phi = phi_hat[:, 0] * p.thermal_voltage_V
    s = region.rows[-1]["mean_height_m"]
    field = np.gradient(phi, y)
    in_layer = (y > s + 1.5e-6) & (y < s + h_c - 1.5e-6)
    above = y > s + h_c + 2.5e-6  # beyond the edge tail χ ~ e^(−d/ℓ) (κ_e/κ_c = 12)
    np.testing.assert_allclose(field[in_layer], i / kappa_c, rtol=0.01)
    np.testing.assert_allclose(field[above], i / kappa_e, rtol=0.01)
    extra = region.rows[-1]["far_potential_V"] - bare.rows[-1]["far_potential_V"]
    assert extra == pytest.approx(i * h_c * (1 / kappa_c - 1 / kappa_e), rel=0.03)
    assert region.rows[-1]["coating_tension_N_per_m"] == 0.0  # no interface-form terms
    assert p.film_overpotential_shift_V == 0.0


def test_region_rule_refuses_a_coating_thinner_than_two_interface_widths():
    from hemcell.errors import InputError

    region = dict(coating_model="region", coating_conductivity_S_per_m=0.3)
    p = pf_parameters(coating_thickness_m=2.2e-6, **region)
    assert p.min_region_thickness_m == pytest.approx(2 * 2 * math.log(9) * 0.25e-6)
    with pytest.raises(InputError) as err:
        pf_parameters(coating_thickness_m=28e-9, **region)
    assert err.value.exit_code == 2
    assert err.value.field == "coating_thickness" and err.value.value == "28 nm"
    with pytest.raises(InputError, match="coating_model"):
        pf_parameters(coating_model="band")
    # the interface form takes any thickness (the default)
    assert pf_parameters(coating_thickness_m=28e-9).coating_model == "interface"


def test_region_rule_refuses_a_layer_field_that_nucleates_metal_in_the_layer():
    """i/κ_c ≥ RT/(αzFℓ) (2.06e5 V/m at ℓ = 0.25 µm, α = ½, z = 1): refused, exit 2."""
    from hemcell.errors import InputError

    ok = pf_parameters(coating_model="region", coating_thickness_m=4e-6,
                       coating_conductivity_S_per_m=0.3)  # 6.7e3 V/m
    assert ok.max_layer_field_V_per_m == pytest.approx(
        ok.thermal_voltage_V / (0.5 * 0.25e-6))
    with pytest.raises(InputError) as err:  # the AZCNF 1e-3 S/m at 200 mA/cm2: 2e6 V/m
        ok.replace(coating_conductivity_S_per_m=1e-3)
    assert err.value.exit_code == 2 and err.value.field == "coating_ionic_conductivity"
    assert err.value.value == "0.001 S/m"  # the --set name and its unit
    # the interface form and potentiostatic control are not limited by it
    ok.replace(coating_conductivity_S_per_m=1e-3, coating_model="interface")


def test_region_rule_refuses_a_current_above_the_layer_limiting_current():
    """i ≥ zF c_b/((1 − t₊)(h_c/D_c + g/D)), g the electrolyte gap above the layer: the
    salt at the metal runs out; refused, exit 2. 2.5 µm, κ_c = 0.1 S/m, D_c = Dκ_c/κ_e =
    2.71e-11 m²/s, g = 10 − 2 − 2.5 µm: 1.42e3 A/m² < 2000 A/m²."""
    from hemcell.errors import InputError
    from hemcell.laws import FARADAY_C_PER_MOL

    base = dict(coating_model="region", coating_thickness_m=2.5e-6)
    p = pf_parameters(coating_conductivity_S_per_m=0.3, **base)
    d_c = 3.22e-10 * 0.3 / 1.19
    assert p.coating_salt_diffusivity_m2_per_s == pytest.approx(d_c)
    assert p.limiting_current_A_per_m2 == pytest.approx(
        FARADAY_C_PER_MOL * 1000.0 / ((1 - 0.38) * (2.5e-6 / d_c + 5.5e-6 / 3.22e-10)))
    with pytest.raises(InputError) as err:
        pf_parameters(coating_conductivity_S_per_m=0.1, **base)
    assert err.value.exit_code == 2 and "applied_current_density" in str(err.value)
    limit = pf_parameters(coating_conductivity_S_per_m=0.1, control="potentiostatic",
                          **base).limiting_current_A_per_m2
    assert f"below the limiting current {limit / 10:.4g} mA/cm**2 ({limit:.4g} A/m**2)" \
        in str(err.value)  # 141.8 mA/cm**2, in the unit a user types and in SI
    assert err.value.value == "200 mA/cm**2 (2000 A/m**2)"


def test_distance_from_the_filtered_profile_is_exact_for_a_flat_front():
    """u − r²u'' = ξ for the logistic profile (1D, direct convolution with the kernel
    e^{−|x|/r}/2r): d = r ln C − r ln 2u returns the distance from ξ = ½ beyond the profile."""
    from hemcell.surface.phasefield import distance_above_metal_m

    ell, r = 0.25e-6, 1e-6
    m = np.linspace(-40e-6, 40e-6, 160001)
    xi = 0.5 * (1 - np.tanh(m / (2 * ell)))
    n = np.array([2e-6, 3e-6, 5e-6, 8e-6])
    u = np.array([np.trapezoid(np.exp(-np.abs(ni - m) / r) / (2 * r) * xi, m) for ni in n])
    np.testing.assert_allclose(distance_above_metal_m(u, r, ell), n, rtol=1e-3)


def test_layer_pressure_is_the_winkler_load_and_zero_without_modulus():
    from hemcell.surface.phasefield import layer_pressure_Pa, mechanical_step_limit_s

    x = np.linspace(0.0, 8e-6, 9)
    s = 3e-6 + 0.1e-6 * np.cos(2 * math.pi * x / 8e-6)
    p = pf_parameters(coating_model="region", coating_thickness_m=2.2e-6,
                      coating_conductivity_S_per_m=0.3)
    nu = 0.3
    m_c = 6.39e9 * (1 - nu) / ((1 + nu) * (1 - 2 * nu))
    np.testing.assert_allclose(layer_pressure_Pa(p, x, s), m_c / 2.2e-6 * (s - 3e-6),
                               atol=1e-6 * m_c / 2.2e-6 * 0.1e-6)
    assert np.all(layer_pressure_Pa(p.replace(coating_youngs_modulus_Pa=0.0), x, s) == 0)
    assert np.all(layer_pressure_Pa(p.replace(coating_model="interface"), x, s) == 0)
    assert math.isfinite(mechanical_step_limit_s(p, 2000.0))
    assert mechanical_step_limit_s(p.replace(coating_youngs_modulus_Pa=0.0), 2000.0) == math.inf


SMALL = ["--set", "phasefield_domain_width=3um", "--set", "phasefield_domain_height=8um",
         "--set", "phasefield_frames=2", "--duration-s", "0.1", "--no-plots"]


def test_cli_region_coating_and_potentiostatic_control(tmp_path):
    """--coating-model region with a 2.5 µm, 0.3 S/m layer; --control potentiostatic at
    the surface sets' applied_potential (50 mV): both run and say so in metrics.json."""
    require_fenicsx()
    import json

    from typer.testing import CliRunner

    from hemcell.cli.surface import app

    out = tmp_path / "region"
    res = CliRunner().invoke(app, [
        "phasefield", "--case", "coated", "--coating-model", "region",
        "--set", "coating_thickness=2.5um", "--set", "coating_ionic_conductivity=0.3S/m",
        *SMALL, "--out", str(out)])
    assert res.exit_code == 0, res.output
    m = json.loads((out / "metrics.json").read_text())
    assert m["coating_model"] == "region" and m["control"] == "galvanostatic"
    assert m["metal_volume_conservation_error"] < 1e-8
    assert m["coating_tension_N_per_m"] == 0.0
    assert json.loads((out / "run.json").read_text())["parameters"]["coating_model"] == "region"
    out = tmp_path / "potentiostatic"
    res = CliRunner().invoke(app, ["phasefield", "--case", "bare", "--control",
                                   "potentiostatic", *SMALL, "--out", str(out)])
    assert res.exit_code == 0, res.output
    m = json.loads((out / "metrics.json").read_text())
    assert m["control"] == "potentiostatic" and m["applied_current_density_A_per_m2"] is None
    assert m["far_potential_V"] == pytest.approx(0.05)
    assert m["mean_height_m"] > 0  # plates


@pytest.mark.parametrize(("args", "field"), [
    (["--case", "coated", "--coating-model", "region"], "coating_thickness"),  # 28 nm
    (["--case", "coated", "--coating-model", "band"], "--coating-model"),
    (["--case", "bare", "--coating-model", "region"], "--coating-model"),
    (["--case", "coated", "--coating-model", "region", "--set", "coating_thickness=2.5um"],
     "coating_ionic_conductivity"),  # 1e-3 S/m at 200 mA/cm2: the layer's field limit
    (["--case", "coated", "--coating-model", "region", "--set", "coating_thickness=2.5um",
      "--set", "coating_ionic_conductivity=0.1S/m"], "applied_current_density"),
    (["--case", "bare", "--control", "current"], "--control"),
    (["--case", "bare", "--control", "potentiostatic", "--set",
      "applied_current_density=10mA/cm^2"], "--set"),
])
def test_cli_region_and_control_errors_exit_2(tmp_path, args, field):
    from typer.testing import CliRunner

    from hemcell.cli.surface import app
    from hemcell.errors import InputError

    res = CliRunner().invoke(app, ["phasefield", *args, "--out", str(tmp_path / "x")])
    assert isinstance(res.exception, InputError) and res.exception.exit_code == 2
    assert field in str(res.exception)
    assert not (tmp_path / "x").exists()


#: The stiff, resistive region run of the MPI check (distance filter, layer pressure).
MPI_CASE = {**NEUTRAL, "coating_conductivity_S_per_m": 5e-4,
            "coating_diffusivity_m2_per_s": 5e-9, "coating_youngs_modulus_Pa": 6.39e9,
            "duration_s": 0.4}


def main(out_path: str) -> None:
    """Run :data:`MPI_CASE`; rank 0 writes its metrics as JSON (``python -m`` entry)."""
    import json

    import dolfinx_solver  # noqa: F401

    from mpi4py import MPI

    from hemcell.surface.phasefield_output import phasefield_metrics

    metrics = phasefield_metrics(_run("coated", **MPI_CASE))
    if MPI.COMM_WORLD.rank == 0:
        with open(out_path, "w", encoding="utf-8") as fh:
            json.dump(metrics, fh)


@pytest.mark.mpi
def test_region_form_serial_and_two_ranks_agree(tmp_path):
    require_fenicsx()
    import json

    main(str(tmp_path / "serial.json"))
    serial = json.loads((tmp_path / "serial.json").read_text())
    parallel = run_mpi_case("tests.surface.test_phasefield_region", 2,
                            tmp_path / "parallel.json")
    assert parallel["mpi_ranks"] == 2 and parallel["steps"] == serial["steps"]
    for key in ("dendrite_index", "max_height_m", "mean_height_m", "roughness_rms_m",
                "far_potential_V", "coating_pressure_max_Pa"):
        np.testing.assert_allclose(parallel[key], serial[key], rtol=1e-7, err_msg=key)


if __name__ == "__main__":
    import sys

    main(sys.argv[1])


@pytest.mark.parametrize("case", [dict(), dict(coating_thickness_m=28e-9)])
def test_every_galvanostatic_run_refuses_a_current_above_the_limiting_current(case):
    """Bare and interface-coated too: zF c_b D/((1 − t₊) g), g = 10 − 2 µm of electrolyte
    (6.26e3 A/m² here). Above it the salt at the metal ran out and the run went on with a
    negative concentration (600 mA/cm² in the default Li cell: -11 mol/m³, exit 0; at
    253 K, where D is 1/95 of the 298 K value, already at the default 200 mA/cm²)."""
    from hemcell.errors import InputError
    from hemcell.laws import FARADAY_C_PER_MOL

    p = pf_parameters(**case)
    i_lim = FARADAY_C_PER_MOL * 1000.0 * 3.22e-10 / ((1 - 0.38) * 8e-6)
    assert p.limiting_current_A_per_m2 == pytest.approx(i_lim, rel=1e-12)
    with pytest.raises(InputError) as err:
        pf_parameters(applied_current_density_A_per_m2=1.01 * i_lim, **case)
    assert err.value.exit_code == 2 and f"({i_lim:.4g} A/m**2)" in str(err.value)
    pf_parameters(applied_current_density_A_per_m2=1.01 * i_lim, control="potentiostatic",
                  **case)  # potentiostatic: the current is the model's answer
