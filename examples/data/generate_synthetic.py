"""Write the SYNTHETIC data under examples/data/ (not measurements).

Rate curves: each curve is ``hemcell cell run hem_half_cell_sp --params heo_rocksalt_mgconicuzn
--mechanisms intercalation,conversion,alloying,space_charge --protocol "Discharge at R A/g
until 0.01 V"`` (the shipped values are the truth), sampled at N equally spaced times
while the voltage is above 0.05 V, plus Gaussian noise of SIGMA (seeded). The fit tests
and examples/fits/*.yaml fit them back.

Impedance: ``synthetic_eis_li_li_bare.csv`` is the bare Li||Li spectrum of ``hemcell eis
symmetric --anode bare`` (the shipped ``bare_li`` values are the truth) at 5 frequencies per
decade from 100 kHz down to 10 mHz (an instrument's order), plus Gaussian noise of
EIS_SIGMA_OHM on the real and the imaginary part (seeded).

Run: ``.venv/bin/python examples/data/generate_synthetic.py [rate|eis]`` (from the
repository root; both without an argument).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from hemcell.workflows.anode import run_cell

RECIPE = "hem_half_cell_sp"
PARAMS = "heo_rocksalt_mgconicuzn"
MECHANISMS = ["intercalation", "conversion", "alloying", "space_charge"]
RATES_A_PER_G = (0.05, 0.1, 0.2)
POINTS = 120
SIGMA_V = 0.005
V_MIN = 0.05
SEED = 20261206
EIS_ANODE = "bare"
EIS_FREQUENCIES_HZ = np.logspace(5, -2, 36)
EIS_SIGMA_OHM = 0.2
EIS_SEED = 20261207


def simulate(rate_A_per_g: float, points: int = POINTS) -> tuple[np.ndarray, np.ndarray]:
    """Noise-free (time [s], voltage [V]) of one rate curve, above V_MIN."""
    run = run_cell(RECIPE, PARAMS, f"Discharge at {rate_A_per_g} A/g until 0.01 V",
                   mechanisms=MECHANISMS)
    t, v = run.solution.t, run.solution["Voltage [V]"].entries
    t_end = t[np.flatnonzero(v >= V_MIN)[-1]]
    times = np.linspace(0.0, t_end, points)
    return times, np.interp(times, t, v)


def write_curve(path: Path, rate_A_per_g: float, times: np.ndarray, volts: np.ndarray,
                sigma_V: float, seed: int) -> None:
    """One CSV: time [s], current [mA/g], voltage [V], capacity [mAh/g]."""
    noisy = volts + np.random.default_rng(seed).normal(0.0, sigma_V, volts.size)
    current = np.full(times.size, 1e3 * rate_A_per_g)
    capacity = current * times / 3600.0
    header = (f"# SYNTHETIC data (not a measurement): hemcell cell run {RECIPE} --params "
              f"{PARAMS} --mechanisms {','.join(MECHANISMS)} --protocol 'Discharge at "
              f"{rate_A_per_g} A/g until 0.01 V', noise sigma {sigma_V * 1e3:g} mV, seed {seed};"
              f" written by examples/data/generate_synthetic.py\n"
              "time [s],current [mA/g],voltage [V],capacity [mAh/g]\n")
    rows = "".join(f"{t:.3f},{i:.6g},{v:.6f},{q:.5f}\n"
                   for t, i, v, q in zip(times, current, noisy, capacity, strict=True))
    path.write_text(header + rows, encoding="utf-8")


def write_spectrum(path: Path, frequencies_Hz: np.ndarray, impedance_ohm: np.ndarray,
                   sigma_ohm: float, seed: int, what: str) -> None:
    """One CSV: frequency [Hz], z_real [ohm], z_imag [ohm] (Im Z), noise on both parts."""
    rng = np.random.default_rng(seed)
    z = impedance_ohm + rng.normal(0.0, sigma_ohm, impedance_ohm.size) \
        + 1j * rng.normal(0.0, sigma_ohm, impedance_ohm.size)
    header = (f"# SYNTHETIC data (not a measurement): {what}, noise sigma {sigma_ohm:g} ohm on "
              f"Re Z and Im Z, seed {seed}; written by examples/data/generate_synthetic.py\n"
              "frequency [Hz],z_real [ohm],z_imag [ohm]\n")
    rows = "".join(f"{f:.6g},{zk.real:.5f},{zk.imag:.5f}\n"
                   for f, zk in zip(frequencies_Hz, z, strict=True))
    path.write_text(header + rows, encoding="utf-8")


def main(which: str = "") -> None:
    """Write synthetic_rate_<R>Ag.csv for every rate and the Li||Li spectrum."""
    from hemcell.workflows.eis import symmetric_spectrum

    here = Path(__file__).parent
    if which in ("", "rate"):
        for k, rate in enumerate(RATES_A_PER_G):
            times, volts = simulate(rate)
            write_curve(here / f"synthetic_rate_{rate:g}Ag.csv", rate, times, volts, SIGMA_V,
                        SEED + k)
    if which in ("", "eis"):
        z = symmetric_spectrum(EIS_ANODE, None, EIS_FREQUENCIES_HZ).impedance_ohm
        write_spectrum(here / f"synthetic_eis_li_li_{EIS_ANODE}.csv", EIS_FREQUENCIES_HZ, z,
                       EIS_SIGMA_OHM, EIS_SEED,
                       f"hemcell eis symmetric --anode {EIS_ANODE} (parameters/bare_li.yaml)")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "")
