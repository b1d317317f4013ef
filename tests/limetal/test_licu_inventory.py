"""Li inventory of the Li‖Cu cell: foil + Cu deposit + lost = initial foil.

The loss law counts every plated charge (λ of it ends in SEI or dead Li,
:mod:`hemcell.limetal.losses`). In a Li‖Cu cycle the foil strips q onto the Cu (λq lost
there), the Cu returns its active (1-λ)q and the foil plates that back, losing λ(1-λ)q:
λ(2-λ)q per cycle in all, all of it out of the foil. The Li‖Cu cell counted λq per cycle
from the foil, as for one Li‖Li electrode, so a thin foil lasted about twice as long as
the model's own equations allow (a 20 um coated foil at 2 mA/cm2 and 1 mAh/cm2: cycle 77
instead of cycle 40).
"""

from __future__ import annotations

import dataclasses

import pytest

from hemcell.laws import FARADAY_C_PER_MOL
from hemcell.limetal.licu import run_licu
from hemcell.limetal.parameters import cell_parameters, load_anode_set
from hemcell.limetal.symmetric import run_symmetric

MA_CM2 = 10.0  # A/m2
MAH_CM2 = 36000.0  # C/m2


@pytest.fixture(scope="module")
def coated():
    return cell_parameters(load_anode_set("coated"), "coated")


def _foil_C_per_m2(p) -> float:
    return p.li_foil_thickness_m / p.li_molar_volume_m3_per_mol * FARADAY_C_PER_MOL


@pytest.mark.parametrize("cycles", [1, 7, 60])
def test_licu_conserves_li_foil_plus_cu_plus_lost(coated, cycles):
    i, q = 2 * MA_CM2, 1 * MAH_CM2
    r = run_licu(coated, i, q, cycles)
    assert r.failure_cycle is None
    lam = 1 - r.coulombic_efficiency[0]
    foil, cu = r.foil, r.cu
    q_f = _foil_C_per_m2(coated)
    total = foil.active_C_per_m2 + cu.active_C_per_m2 + foil.lost_C_per_m2 + cu.lost_C_per_m2
    assert total == pytest.approx(q_f, rel=1e-13)
    assert cu.active_C_per_m2 == pytest.approx(0.0, abs=1e-9 * q)  # the Cu is stripped bare
    assert cu.lost_C_per_m2 == pytest.approx(cycles * lam * q, rel=1e-12)
    assert foil.lost_C_per_m2 == pytest.approx(cycles * lam * (1 - lam) * q, rel=1e-12)
    assert q_f - foil.active_C_per_m2 == pytest.approx(cycles * lam * (2 - lam) * q,
                                                       rel=1e-9)


def test_li_li_electrodes_each_lose_lambda_q(coated):
    """The Li‖Li cell is unchanged: each electrode plates q and loses λq per cycle, and
    the two foils plus the lost Li hold 2 Q_f."""
    i, q, cycles = 1 * MA_CM2, 1 * MAH_CM2, 9
    r = run_symmetric(coated, i, q, hours=cycles * 2 * q / i / 3600.0)
    a, b = r.stripping_electrode, r.counter_electrode
    q_f = _foil_C_per_m2(coated)
    assert a.lost_C_per_m2 == b.lost_C_per_m2 == pytest.approx(
        cycles * r.loss_fraction * q, rel=1e-12)
    assert a.active_C_per_m2 == pytest.approx(q_f - cycles * r.loss_fraction * q, rel=1e-12)
    total = a.active_C_per_m2 + b.active_C_per_m2 + a.lost_C_per_m2 + b.lost_C_per_m2
    assert total == pytest.approx(2 * q_f, rel=1e-13)


def test_thin_foil_licu_runs_out_twice_as_fast_as_a_li_li_electrode(coated):
    """20 um coated foil, 2 mA/cm2 and 1 mAh/cm2: the Li‖Cu foil runs out in cycle 40 (it
    ran out in cycle 77 with λq per cycle); the Li‖Li cell at the same current and
    capacity keeps the λq rule (cycle 77)."""
    p = dataclasses.replace(coated, li_foil_thickness_m=20e-6)
    i, q = 2 * MA_CM2, 1 * MAH_CM2
    licu = run_licu(p, i, q, 280)
    sym = run_symmetric(p, i, q, hours=280 * 2 * q / i / 3600.0)
    assert (licu.failure_cycle, licu.failure_reason) == (40, "Li inventory exhausted")
    assert (sym.failure_cycle, sym.failure_reason) == (77, "Li inventory exhausted")
