"""`hemcell eis full --recipe hem_full_cell_na_nvpf --soc 0.3 --temperatures 15,25,35degC`
reported the anode "none (no AC current)" at 15 degC and intercalation 0 % of its arc,
while 25 and 35 degC had it at 471 and 284 Ohm.

Not physics: at 15 degC the intercalation's resistance is 805 Ohm and it carries AC
current at every frequency. Where the composition is frozen (1e4-1e5 Hz, where R_k is
read) its share of the anode's AC current is 1/(omega R_k C_dl) (C_dl 3 mF), 6.7e-7 at
1e5 Hz: below the fixed floor of 1e-6 that was meant as the solve's round-off. The floor
is now the round-off (:data:`hemcell.workflows.eis.CURRENT_SHARE_FLOOR`, 1e-12 of the
applied current; closed reactions give 0 to 4e-16).

The cases run on the anode the recipe had then (:mod:`tests.eis.former_anode`: sized on
its theoretical capacity; the shipped recipe's, sized above 0 V vs Na, is 4.48 times
heavier and its intercalation R_k at 15 degC is 8.1 Ohm).
"""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("pybamm")

from hemcell.smallsignal import linearise
from hemcell.workflows import eis
from hemcell.workflows import eis_models as em
from tests.eis.former_anode import former_anode_recipe


def test_cold_nvpf_full_cell_anode_carries_ac_current_through_intercalation(tmp_path):
    """At 15 degC, --soc 0.3: the intercalation's R_k is reported, it is the
    frequency-independent -Re(dphi/I_k) of the frozen composition (1e2 and 1e3 Hz, where
    its share is 1e-4 to 1e-3, to 1e-6), the anode's resistance is the mechanisms' in
    parallel, and the share at 1e5 Hz is below the former floor (the case it dropped).
    The closed reactions (conversion, space charge: both branches shut at rest) carry
    exactly no AC current and stay null."""
    op = eis.full_operating_point(former_anode_recipe("hem_full_cell_na_nvpf", "Na", tmp_path),
                                  "heo_rocksalt_mgconicuzn", 288.15, 0.3)
    mechs = op.setup.recipe.mechanisms
    currents = {m: f"Anode {m.replace('_', '-')} current [A]" for m in mechs}
    lin = linearise(op.simulation.built_model, op.state, op.inputs, em.IN_CURRENT,
                    [eis.ANODE_DPHI, *currents.values()])
    r_k = eis.mechanism_charge_transfer_resistance_ohm(lin, currents)

    h = lin.transfer([1e2, 1e3, 1e5])
    r_int = np.real(h[eis.ANODE_DPHI] / h[currents["intercalation"]])
    assert r_k["intercalation"] == pytest.approx(r_int[0], rel=1e-6)
    assert r_k["intercalation"] == pytest.approx(r_int[1], rel=1e-6)
    assert 500 < r_k["intercalation"] < 2000  # 805 Ohm measured
    assert abs(h[currents["intercalation"]][2]) < 1e-6  # the former floor dropped it
    for closed in ("conversion", "space_charge"):
        assert np.all(h[currents[closed]] == 0) and r_k[closed] is None


def test_full_spectrum_at_15_degc_names_the_anode_resistance(tmp_path):
    """The spectrum's electrode resistances at 15 degC: the anode's is its mechanisms'
    in parallel (not null), and the summary line prints it. The irreversible reaction
    carries AC current (R ~ 1.7e5 Ohm) but its -dphi/I differs by 0.14 % between 10 and
    100 kHz (not frozen): its R_k is null, and the line no longer counts it among the
    mechanisms without AC current (conversion, whose current is exactly 0)."""
    s = eis.full_spectrum(former_anode_recipe("hem_full_cell_na_nvpf", "Na", tmp_path),
                          "heo_rocksalt_mgconicuzn", 288.15,
                          np.array([1e-1, 1e1, 1e3, 1e5]), 0.3)
    r_k = [r for r in s.info["mechanism_charge_transfer_resistance_ohm"].values()
           if r is not None]
    anode = s.info["electrode_charge_transfer_resistance_ohm"]["anode"]
    assert r_k and anode == pytest.approx(1 / sum(1 / r for r in r_k), rel=1e-12)
    summary = {"cell": "full", "charge_transfer_resistance_ohm": {"heo": None},
               "charge_transfer_resistance_by_temperature_ohm": {"heo": {"288.15": None}},
               "mechanism_charge_transfer_resistance_ohm": {
                   "heo": {"288.15": s.info["mechanism_charge_transfer_resistance_ohm"]}},
               "electrode_charge_transfer_resistance_ohm": {
                   "heo": {"288.15": s.info["electrode_charge_transfer_resistance_ohm"]}},
               "mechanism_without_ac_current": {
                   "heo": {"288.15": s.info["mechanisms_without_ac_current"]}}}
    assert s.info["mechanism_charge_transfer_resistance_ohm"]["irreversible"] is None
    assert set(s.info["mechanisms_without_ac_current"]) == {"conversion", "space_charge"}
    (line,) = eis.result_lines(summary)
    assert "anode none" not in line and f"anode {anode:.4g} Ohm" in line
    assert "intercalation 100 %" in line
    assert "; no AC current: conversion; AC current, R not resolved: irreversible" in line


def test_round_off_currents_give_no_resistance_and_small_real_ones_do():
    """:func:`hemcell.workflows.eis.kinetic_resistance_ohm` at the two frequencies: an
    exact zero and round-off (4e-16, a "resistance" that differs between the two
    frequencies) give None; a consistent current of 1e-9 of the applied one gives its
    resistance."""
    dphi = np.array([5.4e-3, 5.4e-4])
    assert eis.kinetic_resistance_ohm(dphi, np.zeros(2)) is None
    assert eis.kinetic_resistance_ohm(dphi, np.array([3.9e-16, 1.3e-16])) is None
    assert eis.kinetic_resistance_ohm(dphi, np.array([1e-18, 1e-19])) is None
    assert eis.kinetic_resistance_ohm(dphi, dphi / 5.4e6) == pytest.approx(5.4e6)
