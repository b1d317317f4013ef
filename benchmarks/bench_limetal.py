"""Li-metal cells: rate sweep, 300-cycle Li||LFP run and surface coupling, each
timed against plain PyBaMM in the same run.

- ``limetal_rate_sweep``: build the coated Li||LFP DFN and solve six C-rates in one
  multi-input call, vs PyBaMM's built-in half-cell DFN (Prada2013 LFP against Li metal)
  built and solved once per C-rate, the plain way.
- ``limetal_cycle_300``: 300 1C cycles with Li loss, interphase growth and electrolyte
  consumption (inputs change per solve, one built model) vs a plain PyBaMM
  ``Experiment`` of the same 300 CC cycles on the built-in half-cell (no degradation).
- ``limetal_surface_coupling``: the rate sweep with ``--focusing-from-surface`` and a cold
  cache (one FEniCSx surface solve per C-rate) vs the same sweep without coupling; and
  with a warm cache.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hemcell.cli.bench import Benchmark

RATES = (0.1, 0.5, 1.0, 2.0, 3.0, 4.0)


def _plain_half_cell_values():
    import pybamm

    from hemcell.limetal.parameters import load_anode_set

    values = pybamm.ParameterValues("Prada2013")
    # the Li metal counter electrode's entries from Xu2019 (what PyBaMM's half-cell needs)
    xu = pybamm.ParameterValues("Xu2019")
    for k in ("Exchange-current density for lithium metal electrode [A.m-2]",
              "Lithium metal partial molar volume [m3.mol-1]"):
        values.update({k: xu[k]}, check_already_exists=False)
    pset = load_anode_set("coated")
    values.update({"Lower voltage cut-off [V]": float(pset.si["cell_lower_cutoff_voltage"]),
                   "Upper voltage cut-off [V]": float(pset.si["cell_upper_cutoff_voltage"])})
    return values


def benchmarks() -> list[Benchmark]:
    """The three Li-metal benchmarks."""

    def hemcell_rate() -> None:
        from hemcell.limetal.halfcell import build_half_cell, rate_test
        from hemcell.limetal.parameters import cell_parameters, load_anode_set

        pset = load_anode_set("coated")
        rate_test(build_half_cell(cell_parameters(pset, "coated"), pset), RATES)

    def pybamm_rate() -> None:
        import pybamm

        values = _plain_half_cell_values()
        for c in RATES:
            model = pybamm.lithium_ion.DFN({"working electrode": "positive"})
            sim = pybamm.Simulation(model, parameter_values=values, C_rate=c,
                                    solver=pybamm.IDAKLUSolver())
            sim.solve([0, 1.3 * 3600 / c])

    def hemcell_cycles() -> None:
        from hemcell.limetal.cycling import run_cycling
        from hemcell.limetal.halfcell import build_half_cell
        from hemcell.limetal.parameters import cell_parameters, load_anode_set

        pset = load_anode_set("coated")
        run_cycling(build_half_cell(cell_parameters(pset, "coated"), pset), 300)

    def pybamm_cycles() -> None:
        import pybamm

        values = _plain_half_cell_values()
        exp = pybamm.Experiment([("Charge at 1C until 4.0 V",
                                  "Discharge at 1C until 2.5 V")] * 300)
        model = pybamm.lithium_ion.DFN({"working electrode": "positive"})
        pybamm.Simulation(model, parameter_values=values, experiment=exp,
                          solver=pybamm.IDAKLUSolver()).solve(initial_soc=0.0)

    cache = Path(tempfile.gettempdir()) / "hemcell-bench-focusing"

    def coupled(cold: bool) -> None:
        import os

        from hemcell.workflows import limetal as run

        if cold:
            shutil.rmtree(cache, ignore_errors=True)
        os.environ["HEMCELL_CACHE_DIR"] = str(cache)
        out = Path(tempfile.mkdtemp(prefix="hemcell-bench-"))
        try:
            run.rate(["bare"], RATES, out, focusing_from_surface=True)
        finally:
            shutil.rmtree(out, ignore_errors=True)

    def uncoupled() -> None:
        from hemcell.workflows import limetal as run

        out = Path(tempfile.mkdtemp(prefix="hemcell-bench-"))
        try:
            run.rate(["bare"], RATES, out)
        finally:
            shutil.rmtree(out, ignore_errors=True)

    return [
        Benchmark(name="limetal_rate_sweep",
                  description="coated Li||LFP: build + 6 C-rates (one multi-input solve)",
                  run=hemcell_rate, baseline=pybamm_rate,
                  baseline_name="PyBaMM DFN half-cell (Prada2013 LFP + Xu2019 Li), one "
                                "Simulation per C-rate",
                  target_ratio=1.0, repeats=3),
        Benchmark(name="limetal_cycle_300",
                  description="coated Li||LFP: 300 1C cycles with Li loss, interphase growth and "
                              "electrolyte consumption",
                  run=hemcell_cycles, baseline=pybamm_cycles,
                  baseline_name="PyBaMM Experiment, 300 CC cycles, DFN half-cell, no "
                                "degradation",
                  target_ratio=1.0, repeats=1),
        Benchmark(name="limetal_surface_coupling_cold",
                  description="bare rate sweep with --focusing-from-surface, cold cache "
                              "(6 FEniCSx surface solves)",
                  run=lambda: coupled(True), baseline=uncoupled,
                  baseline_name="the same rate sweep without coupling", repeats=1),
        Benchmark(name="limetal_surface_coupling_warm",
                  description="bare rate sweep with --focusing-from-surface, warm cache",
                  run=lambda: coupled(False), baseline=uncoupled,
                  baseline_name="the same rate sweep without coupling", target_ratio=1.2,
                  repeats=3),
    ]
