"""CG + GAMG elasticity (rigid-body near-nullspace) agrees with the MUMPS Cholesky solve.

Coarse coated nucleus (surface mesh 0.2 µm, ~4k P2 displacement DOFs) under stack
pressure and a non-uniform growth strain. CG stops at ‖b − Au‖ ≤ 10⁻¹² ‖b‖, so the
displacement error is at most κ(A)·10⁻¹² relative; κ of these coarse P2 operators is
far below 10³, hence the 10⁻⁹ tolerance on displacements, stresses and the surface
normal stress σ_nn (which enters the transport through the potential shift σ_nn Ω/F).
"""

from __future__ import annotations

import numpy as np
import pytest

from tests.surface.conftest import require_fenicsx, run_mpi_case

RTOL = 1e-9


@pytest.fixture(scope="module")
def solved():
    require_fenicsx()
    from tests.surface.mpi_mechanics_case import loaded_mechanics

    direct, sm, p = loaded_mechanics("direct")
    gamg, _, _ = loaded_mechanics("gamg", sm, p)
    return direct, gamg


def _max_rel(a, b):
    return float(np.max(np.abs(a - b)) / np.max(np.abs(a)))


def test_gamg_displacement_and_stress_match_direct(solved):
    direct, gamg = solved
    assert direct.linear_solver == "direct" and gamg.linear_solver == "gamg"
    assert gamg._ksp.getIterationNumber() > 0  # an iterative solve happened
    assert _max_rel(direct.u.x.array, gamg.u.x.array) < RTOL
    assert _max_rel(direct.stress.x.array, gamg.stress.x.array) < RTOL
    assert _max_rel(direct.von_mises.x.array, gamg.von_mises.x.array) < RTOL
    xd, sd = direct.surface_normal_stress()
    xg, sg = gamg.surface_normal_stress()
    np.testing.assert_array_equal(xd, xg)
    assert _max_rel(sd, sg) < RTOL


def test_gamg_resolve_with_a_new_load_matches_direct(solved):
    """A re-solve (warm start from the last displacement) after the growth current changes."""
    direct, gamg = solved
    x_m = np.linspace(-5e-6, 5e-6, 101)
    current = 12.0 + 4.0 * np.cos(x_m / 1e-6)
    for mech in (direct, gamg):
        mech.set_growth_current(x_m, current)
        mech.solve()
    assert _max_rel(direct.u.x.array, gamg.u.x.array) < RTOL
    assert _max_rel(direct.surface_normal_stress()[1], gamg.surface_normal_stress()[1]) < RTOL


def test_growth_support_is_the_nearest_surface_point(solved):
    """Growth-strain support: the Li dofs with exp(−d/ℓ_g) > 1e-8, d the distance to the
    nearest of the 4001 surface points, that point's x and the weight."""
    from scipy.spatial import cKDTree

    direct, _ = solved
    layer = direct.p.growth_layer_thickness_m
    curve = direct.sm.spec.surface_points(4001)
    # each Li dof's vertex: the dof coordinates to round-off (push-forward vs vertex)
    xyz = direct.sm.mechanics.geometry.x[direct._li_growth_nodes][:, :2]
    np.testing.assert_allclose(
        xyz, direct.G1.tabulate_dof_coordinates()[direct._li_growth_dofs][:, :2],
        rtol=0, atol=1e-15 * direct.sm.spec.width_m)
    depth, j = cKDTree(curve).query(xyz)
    weight = np.exp(-depth / layer)
    keep = weight > 1e-8
    assert 0 < keep.sum() < len(keep)  # the cut-off matters on this mesh
    np.testing.assert_array_equal(direct._growth_dofs, direct._li_growth_dofs[keep])
    np.testing.assert_array_equal(direct._growth_x, curve[j[keep], 0])
    np.testing.assert_array_equal(direct._growth_weight, weight[keep])


def test_unknown_mechanics_solver_is_an_input_error(solved):
    from hemcell.errors import InputError
    from hemcell.surface.mechanics import MechanicsProblem

    direct, _ = solved
    with pytest.raises(InputError, match="linear_solver"):
        MechanicsProblem(direct.sm, direct.p, linear_solver="cholesky")


@pytest.mark.mpi
def test_gamg_on_two_ranks_matches_serial_direct(tmp_path):
    require_fenicsx()
    serial = run_mpi_case("tests.surface.mpi_mechanics_case", 1, tmp_path / "serial.json")
    parallel = run_mpi_case("tests.surface.mpi_mechanics_case", 2, tmp_path / "parallel.json")
    ref = serial["direct"]
    for name, res in (("serial gamg", serial["gamg"]), ("2-rank direct", parallel["direct"]),
                      ("2-rank gamg", parallel["gamg"])):
        np.testing.assert_allclose(res["x_m"], ref["x_m"], rtol=1e-12, err_msg=name)
        snn, snn_ref = np.asarray(res["sigma_nn_Pa"]), np.asarray(ref["sigma_nn_Pa"])
        assert _max_rel(snn_ref, snn) < RTOL, name
        for key in ("max_von_mises_li_Pa", "max_von_mises_coating_Pa"):
            np.testing.assert_allclose(res[key], ref[key], rtol=RTOL, err_msg=f"{name} {key}")
