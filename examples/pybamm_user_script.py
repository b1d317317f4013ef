"""A PyBaMM user's script with hemcell's HEM anode: build, solve, plot, save, reload.

Nothing here is hemcell-specific beyond the import: the model takes PyBaMM-style
options, ships its default parameter values (the rock-salt high-entropy oxide, C-rates
referring to the anode's capacity), runs an Experiment, plots with QuickPlot's defaults
and goes through PyBaMM's own serialisation.

Run::

    python examples/pybamm_user_script.py [OUTPUT_FOLDER]
"""

from __future__ import annotations

import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import pybamm

from hemcell.cell.model import HEMHalfCell


def main(out: Path) -> dict[str, float]:
    """Run the script, writing ``voltage.png``, ``quickplot.png`` and ``model.json``."""
    out.mkdir(parents=True, exist_ok=True)

    # 1. build: the single-particle half-cell with two of the five mechanisms
    model = HEMHalfCell({"mechanisms": ("intercalation", "conversion"), "x-average": "true"})
    parameter_values = model.default_parameter_values

    # 2. solve with an Experiment (C/5 of the anode's theoretical capacity)
    experiment = pybamm.Experiment(
        ["Discharge at C/5 for 30 minutes", "Rest for 5 minutes", "Charge at C/5 for 15 minutes"]
    )
    sim = pybamm.Simulation(model, parameter_values=parameter_values, experiment=experiment)
    solution = sim.solve()

    # 3. plot: PyBaMM's default QuickPlot and one variable of hemcell's own
    plot = sim.plot(show_plot=False)
    plot.fig.savefig(out / "quickplot.png", dpi=80)
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    ax.plot(solution["Anode specific capacity [mA.h.g-1]"].entries,
            solution["Voltage [V]"].entries)
    ax.set_xlabel("Capacity (mAh/g)")
    ax.set_ylabel("Voltage vs Li (V)")
    fig.savefig(out / "voltage.png", dpi=80)
    plt.close("all")

    # 4. save the discretised model and reload it with PyBaMM's own load_model
    time_sim = pybamm.Simulation(model, parameter_values=parameter_values)
    time_sim.build()
    time_sim.save_model(str(out / "model"), mesh=True, variables=True)
    reloaded = pybamm.load_model(str(out / "model.json"))
    t_eval = [0, 600]
    before = pybamm.IDAKLUSolver().solve(time_sim.built_model, t_eval)["Voltage [V]"].entries
    after = pybamm.IDAKLUSolver().solve(reloaded, t_eval)["Voltage [V]"].entries
    return {
        "final voltage [V]": float(solution["Voltage [V]"].entries[-1]),
        "capacity [mA.h.g-1]": float(
            solution["Anode specific capacity [mA.h.g-1]"].entries.max()),
        "reload voltage difference [V]": float(abs(after - before).max()),
        "reloaded class": type(reloaded).__name__,
    }


if __name__ == "__main__":
    results = main(Path(sys.argv[1] if len(sys.argv) > 1 else "pybamm-user-script"))
    for key, value in results.items():
        print(f"{key}: {value}")
