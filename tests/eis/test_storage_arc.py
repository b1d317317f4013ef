"""A full cell's circuit R_ct where the storage behind an electrode's charge transfer takes
its arc.

User trial (session 19), on the Na/K full cells as they were sized then (the anode on its
theoretical capacity; since then on what it stores above 0 V vs Na/K, whose anode at
``--soc 0.3`` has a storage ratio of 0.017-0.018 as Li's 0.024: the tests below keep the
former anode thickness, tests/eis/former_anode.py): Na and K full cells after ``--soc``
gave no circuit R_ct, and
``hem_full_cell_na_o3 --soc 0.3`` passed the "storage check" with 2294 Ohm against the
model's 334.5 + 273.4 Ohm. Cause: not a Li-only name or a half-cell path. The HEM anode
of the Na/K full cells stores only its intercalation (38.19 mAh/g) and the first
lithiation's loss above 0 V: its conversion branches lie 0.06-0.36 V (Na) and 0.34-0.64 V
(K) below the metal (``conversion_potential_shift_na``/``_k``). The ``--soc 0.3`` charge
fills the intercalation to 0.9994, where dU/dθ = −S − (RT/F)/(θ(1−θ)) is 40 times its
mid-range value, and solid diffusion behind the anode's charge transfer impedes the
faradaic current 1.8-1.9 times as much as R_ct at the anode's own arc frequency: there is
no charge-transfer arc to fit. The check only compared the fitted arc's time constant with
the electrodes' R_ct C_dl (within 5.83x: passed; NVPF, K-PBA: the fit's arc happened to
lie further out). It now asks the model directly (``eis.storage_impedance_ratio``,
``eis.STORAGE_DOMINANCE_RATIO``).
"""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("pybamm")

from hemcell.workflows import eis
from tests.eis.former_anode import former_anode_recipe

F = np.logspace(-2, 6, 41)


class _Randles:
    """The linearisation of one interface: R_ct in series with a storage capacitor
    C_st, in parallel with C_dl, driven by a current of 1 A."""

    def __init__(self, r, c_dl, c_st):
        self.r, self.c_dl, self.c_st = r, c_dl, c_st

    def transfer(self, f):
        w = 2 * np.pi * np.asarray(f)
        z_f = self.r + 1 / (1j * w * self.c_st)
        y = 1 / z_f + 1j * w * self.c_dl
        return {"phi": 1 / y, "i_f": (1 / z_f) / y}


@pytest.mark.parametrize("c_st", [1e-4, 3e-3, 1e-2, 1.0])
def test_the_ratio_is_c_dl_over_c_st_for_a_storage_capacitor(c_st):
    """For R_ct + C_st behind C_dl the ratio is C_dl/C_st exactly (the derivation of
    STORAGE_DOMINANCE_RATIO), whatever R_ct."""
    r, c_dl = 300.0, 3e-3
    x = eis.storage_impedance_ratio(_Randles(r, c_dl, c_st), r, c_dl, "phi", ["i_f"])
    assert x == pytest.approx(c_dl / c_st, rel=1e-9)
    assert eis.storage_impedance_ratio(_Randles(r, c_dl, c_st), None, c_dl, "phi",
                                       ["i_f"]) is None


@pytest.mark.parametrize("recipe,ion", [("hem_full_cell_na_o3", "Na"),
                                        ("hem_full_cell_na_nvpf", "Na"),
                                        ("hem_full_cell_k_pba", "K")])
def test_na_and_k_full_cells_after_soc_have_no_charge_transfer_arc(recipe, ion, tmp_path):
    """--soc 0.3 with the anode the recipes had until the sizing above 0 V (its
    intercalation filled to 0.9994): the anode's storage impedance at its arc frequency is
    1.8-1.9x its R_ct (the cathode's < 3e-3), so no circuit R_ct, and the reason says it;
    the model's R_ct of each electrode is still given. ``na_o3`` gave 2294 Ohm before."""
    s = eis.full_spectrum(former_anode_recipe(recipe, ion, tmp_path),
                          "heo_rocksalt_mgconicuzn", None, F, 0.3)
    ratio = s.info["electrode_storage_impedance_ratio"]
    assert ratio["anode"] > 1.5 and ratio["cathode"] < 3e-3
    fit = eis.fit_circuit(s, "full")
    assert eis.charge_transfer_resistance(fit, "full") is None
    arcs = fit["arcs"]
    assert not arcs["charge_transfer"] and "anode storage" in arcs["short_reason"]
    r = s.info["electrode_charge_transfer_resistance_ohm"]
    assert r["cathode"] > 100 and r["anode"] > 100


def test_a_li_full_cell_keeps_its_circuit_r_ct():
    """The Li full cell at --soc 0.3 stores in conversion: both ratios are below 0.03 and
    the merged arc gives the electrodes' sum (docs/eis.md: -8 %)."""
    s = eis.full_spectrum("hem_full_cell_lfp", "heo_rocksalt_mgconicuzn", None, F, 0.3)
    assert max(s.info["electrode_storage_impedance_ratio"].values()) < 0.03
    fit = eis.fit_circuit(s, "full")
    r = s.info["electrode_charge_transfer_resistance_ohm"]
    assert eis.charge_transfer_resistance(fit, "full") == pytest.approx(
        r["cathode"] + r["anode"], rel=0.15)
