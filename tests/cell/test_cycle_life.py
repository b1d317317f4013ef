"""Cycle-resolved strain-driven loss of active material (hemcell.workflows.anode_cycle_life)."""

from __future__ import annotations

import json

import pytest

from hemcell.cell.active_material_loss import integrate_cycles
from hemcell.cell.protocols import scale_per_gram
from hemcell.errors import InputError
from hemcell.workflows.anode_cycle_life import run_cycle_life, write_cycle_life_outputs


def _analytic_phi(n: int, beta: float, s0: float) -> float:
    """dφ/dN = −β (s0 φ)² → φ = 1 / (1 + β s0² (N − 1))."""
    return 1.0 / (1.0 + beta * s0**2 * (n - 1))


def test_cycle_jumps_reproduce_the_analytic_loss_law():
    """Constant strain: Euler is exact, φ = 1 − β s^m (N − 1). Strain ∝ φ: the result
    converges to the analytic solution with first order in the jump tolerance."""
    beta, s = 0.05, 0.06
    steps = integrate_cycles(lambda phi: {"strain_amplitude": s}, 3000, beta, 2.0, tol=0.03)
    n, phi, _ = steps[-1]
    assert n == 3000
    assert phi == pytest.approx(1 - beta * s**2 * 2999, rel=1e-12)
    assert len(steps) <= 1 + 1 + int(beta * s**2 * 2999 / 0.03) + 1  # ~1/tol evaluations

    errors = []
    for tol in (0.02, 0.01, 0.005):
        steps = integrate_cycles(lambda phi: {"strain_amplitude": s * phi}, 3000, 1.0, 2.0, tol)
        errors.append(abs(steps[-1][1] - _analytic_phi(3000, 1.0, s)))
    assert errors[2] < errors[1] < errors[0] < 0.02
    assert errors[0] / errors[1] == pytest.approx(2.0, rel=0.3)  # first order
    assert errors[1] / errors[2] == pytest.approx(2.0, rel=0.3)


def test_no_strain_no_loss_and_bad_input():
    steps = integrate_cycles(lambda phi: {"strain_amplitude": 0.0}, 500, 1.0, 2.0)
    assert [(n, phi) for n, phi, _ in steps] == [(1, 1.0), (500, 1.0)]
    with pytest.raises(InputError):
        integrate_cycles(lambda phi: {"strain_amplitude": 0.0}, 0, 1.0, 2.0)
    with pytest.raises(InputError):
        integrate_cycles(lambda phi: {"strain_amplitude": 0.0}, 10, 1.0, 2.0, tol=1.5)


def test_per_gram_currents_refer_to_the_initial_mass():
    p = "Discharge at 0.1 A/g until 0.01 V; Rest for 1 hour; Charge at 100 mA/g until 3 V"
    assert scale_per_gram(p, 2.0) == (
        "Discharge at 0.2 A/g until 0.01 V; Rest for 1 hour; Charge at 200 mA/g until 3 V"
    )


def test_short_cycle_life_run_of_the_heo(tmp_path):
    """70 cycles at 0.1 A/g (the held-out seed-003 case, two full-model evaluations): the
    active fraction follows eq. (1) from the first evaluation's strain amplitude, and the
    capacity per initial gram falls with it."""
    res = run_cycle_life(
        "hem_half_cell_sp",
        "heo_rocksalt_mgconicuzn",
        "Discharge at 0.1 A/g until 0.01 V; Charge at 0.1 A/g until 3 V",
        70,
    )
    assert res.error is None and res.cycles == [1, 70]
    beta, m = res.lam_coefficient, res.lam_exponent
    assert res.active_fraction[1] == pytest.approx(1 - beta * res.strain_amplitude[0] ** m * 69)
    q = res.charge_capacity_mAh_per_g
    assert q[1] < q[0]
    assert q[1] / q[0] == pytest.approx(res.active_fraction[1], abs=0.01)
    assert 0.03 < res.strain_amplitude[0] < 0.09  # conversion + alloy swelling, seed 000 L917
    s = write_cycle_life_outputs(res, tmp_path, report_cycles=[70])
    on_disk = json.loads((tmp_path / "summary.json").read_text())
    assert on_disk["retention_at_cycle"]["70"] == pytest.approx(s["retention_at_cycle"]["70"])
    assert (tmp_path / "cycle_life.png").stat().st_size > 0
    assert (tmp_path / "cycle_life.csv").read_text().startswith("cycle,active_fraction")
