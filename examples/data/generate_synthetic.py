"""Write the SYNTHETIC rate curves under examples/data/ (not measurements).

Each curve is ``hemcell cell run hem_half_cell_sp --params heo_rocksalt_mgconicuzn
--mechanisms intercalation,conversion,alloying,space_charge --protocol "Discharge at R A/g
until 0.01 V"`` (the shipped values are the truth), sampled at N equally spaced times
while the voltage is above 0.05 V, plus Gaussian noise of SIGMA (seeded). The fit tests
and examples/fits/*.yaml fit them back.

Run: ``.venv/bin/python examples/data/generate_synthetic.py`` (from the repository root).
"""

from __future__ import annotations

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


def main() -> None:
    """Write rate_<R>Ag.csv for every rate."""
    here = Path(__file__).parent
    for k, rate in enumerate(RATES_A_PER_G):
        times, volts = simulate(rate)
        write_curve(here / f"synthetic_rate_{rate:g}Ag.csv", rate, times, volts, SIGMA_V,
                    SEED + k)


if __name__ == "__main__":
    main()
