"""One full cycle of the four-mechanism P2D HEM anode half-cell vs PyBaMM's DFN half-cell.

Both are built once (warm-up call) and then re-solved: the ratio measures the cost of
the extra mechanism states and their stiffness, not model building. Same mesh for both
(x_s = 10, x_p = 20, r_p = 10), IDAKLU with the same tolerances.

- hemcell: ``hem_half_cell_p2d`` with the rock-salt HEO set, 0.5 A/g to 0.01 V, rest,
  0.5 A/g to 3 V (about C/2 of its ~925 mAh/g first-lithiation capacity);
- baseline: ``pybamm.lithium_ion.DFN({"working electrode": "positive"})`` with Xu2019,
  C/2 to 3.5 V, rest, C/2 to 4.2 V.

Target (issue 3): ratio <= 1.5.

A second benchmark, ``anode_p2d_cycle_with_build``, times what a user waits for in
``hemcell cell run``: building, discretising and solving from scratch on every call
(loading the parameter set included), against the same for PyBaMM's DFN.
"""

from __future__ import annotations

from typing import Any

from hemcell.cli.bench import Benchmark

MESH = {"x_n": 10, "x_s": 10, "x_p": 20, "r_n": 10, "r_p": 10}


def _hem_sim():
    from hemcell.cell.capacity import active_mass_g
    from hemcell.cell.parameters import inventory_from_si, load_si, pybamm_values
    from hemcell.cell.protocols import build_experiment
    from hemcell.cell.recipes import load_recipe
    from hemcell.workflows.anode import build_simulation

    si, _ = load_si("heo_rocksalt_mgconicuzn")
    inv = inventory_from_si(si)
    pv = pybamm_values(si, inv)
    mass = active_mass_g(pv)
    exp, _ = build_experiment(
        "Discharge at 0.5 A/g until 0.01 V; Rest for 10 minutes; Charge at 0.5 A/g until 3 V",
        mass,
        capacity_mAh_per_g=925,
    )
    rec = load_recipe("hem_half_cell_p2d")
    return build_simulation(rec, pv, inv, exp)


def _dfn_sim():
    import pybamm

    model = pybamm.lithium_ion.DFN({"working electrode": "positive"})
    pv = pybamm.ParameterValues("Xu2019")
    exp = pybamm.Experiment(
        [("Discharge at C/2 until 3.5 V", "Rest for 10 minutes", "Charge at C/2 until 4.2 V")]
    )
    vp = dict(model.default_var_pts)
    vp.update({k: v for k, v in MESH.items() if k in vp})
    return pybamm.Simulation(
        model,
        parameter_values=pv,
        experiment=exp,
        var_pts=vp,
        solver=pybamm.IDAKLUSolver(rtol=1e-6, atol=1e-8),
    )


def benchmarks() -> list[Benchmark]:
    """The anode cycle benchmark."""
    cache: dict[str, Any] = {}

    def hem() -> None:
        if "hem" not in cache:
            cache["hem"] = _hem_sim()
        cache["hem"].solve()

    def dfn() -> None:
        if "dfn" not in cache:
            cache["dfn"] = _dfn_sim()
        cache["dfn"].solve()

    def hem_fresh() -> None:
        _hem_sim().solve()

    def dfn_fresh() -> None:
        _dfn_sim().solve()

    return [
        Benchmark(
            name="anode_p2d_cycle",
            description="one cycle of the 4-mechanism P2D HEO half-cell (re-solve) vs PyBaMM "
            "DFN half-cell Xu2019, same mesh",
            run=hem,
            baseline=dfn,
            baseline_name="pybamm DFN half-cell (Xu2019), one C/2 cycle",
            target_ratio=1.5,
            repeats=3,
        ),
        Benchmark(
            name="anode_p2d_cycle_with_build",
            description="build + discretise + solve one cycle of the 4-mechanism P2D HEO "
            "half-cell vs the same for PyBaMM's DFN half-cell (Xu2019)",
            run=hem_fresh,
            baseline=dfn_fresh,
            baseline_name="pybamm DFN half-cell (Xu2019): build + one C/2 cycle",
            target_ratio=1.5,
            repeats=3,
        ),
    ]
