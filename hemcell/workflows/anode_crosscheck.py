"""Cross-check: the intercalation-only limit against PyBaMM's own DFN half-cell.

With only intercalation switched on (and no double layer), :class:`HEMHalfCell` solves
the same equations as PyBaMM's DFN half-cell ("working electrode": "positive"); run
both on the same :class:`pybamm.ParameterValues` (PyBaMM's Xu2019 NMC532 vs Li set
by default), the same mesh and the same protocol, and compare the voltage.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pybamm

from hemcell.cell.model import HEMHalfCell
from hemcell.cell.recipes import FAR_START_IC_LINESEARCH_BACKTRACKS

#: IDA's consistent-initial-condition search for PyBaMM's DFN at rtol 1e-8: with the
#: default 5 line-search backtracks it stopped with "[IDA ERROR] IDAICFailFlag: The
#: linesearch algorithm failed" on stderr and the solve went on from PyBaMM's own
#: consistent state (the same curve to 1e-9 of the capacity with 100 backtracks, with
#: the search off, or without it). 100 backtracks
#: (:data:`hemcell.cell.recipes.FAR_START_IC_LINESEARCH_BACKTRACKS`) let it finish; a real
#: solver failure still raises ``pybamm.SolverError``.
REFERENCE_IC_OPTIONS = {"max_linesearch_backtracks_ic": FAR_START_IC_LINESEARCH_BACKTRACKS}


def xu2019_for_hem(base: str = "Xu2019") -> pybamm.ParameterValues:
    """PyBaMM's set plus the few hemcell anode names the intercalation-only model reads."""
    pv = pybamm.ParameterValues(base)
    pv.update(
        {
            "Anode active material density [kg.m-3]": 4750.0,  # only scales mAh/g outputs
            "Anode initial open-circuit potential [V]": 4.0,
            "Anode double-layer capacity [F.m-2]": 0.0,
            "Anode double-layer relaxation time [s]": 0.01,
            "Anode intercalation volume expansion": 0.0,
        },
        check_already_exists=False,
    )
    return pv


def compare_with_pybamm_dfn(
    c_rate: float = 1.0,
    var_pts: dict[str, int] | None = None,
    base: str = "Xu2019",
    reference: str = "DFN",
) -> dict[str, Any]:
    """Discharge both models at ``c_rate`` and compare voltages.

    Parameters
    ----------
    c_rate
        Discharge C-rate (PyBaMM's nominal capacity of ``base``).
    var_pts
        Mesh points (same for both models).
    base
        PyBaMM half-cell parameter set.
    reference
        ``"DFN"`` (``pybamm.lithium_ion.DFN`` with a positive working electrode) or
        ``"BasicDFNHalfCell"``.

    Returns
    -------
    dict
        ``max_abs_voltage_difference_mV``, ``rms_voltage_difference_mV``, the capacities
        and the curves.
    """
    pv = xu2019_for_hem(base)
    if reference == "DFN":
        ref_model = pybamm.lithium_ion.DFN({"working electrode": "positive"})
    else:
        ref_model = pybamm.lithium_ion.BasicDFNHalfCell()
    hem = HEMHalfCell({"mechanisms": ("intercalation",)})
    exp = pybamm.Experiment([f"Discharge at {c_rate}C until 3.5 V"])
    pts = var_pts or {"x_n": 10, "x_s": 10, "x_p": 20, "r_n": 10, "r_p": 10}
    out = {}
    for key, model in (("hemcell", hem), ("pybamm", ref_model)):
        vp = dict(model.default_var_pts)
        vp.update({k: v for k, v in pts.items() if k in vp})
        sim = pybamm.Simulation(
            model,
            parameter_values=pv.copy(),
            experiment=exp,
            var_pts=vp,
            solver=pybamm.IDAKLUSolver(rtol=1e-8, atol=1e-10, options=REFERENCE_IC_OPTIONS
                                       if key == "pybamm" else None),
        )
        sol = sim.solve()
        out[key] = (
            sol["Time [s]"].entries,
            sol["Voltage [V]"].entries,
            sol["Discharge capacity [A.h]"].entries,
        )
    t_h, v_h, q_h = out["hemcell"]
    t_p, v_p, q_p = out["pybamm"]
    t_end = min(t_h[-1], t_p[-1])
    grid = np.linspace(0, t_end, 400)
    dv = (np.interp(grid, t_h, v_h) - np.interp(grid, t_p, v_p)) * 1000
    return {
        "reference_model": reference,
        "parameter_set": base,
        "c_rate": c_rate,
        "max_abs_voltage_difference_mV": float(np.max(np.abs(dv))),
        "rms_voltage_difference_mV": float(np.sqrt(np.mean(dv**2))),
        "capacity_hemcell_Ah": float(q_h[-1]),
        "capacity_pybamm_Ah": float(q_p[-1]),
        "capacity_relative_difference": float(abs(q_h[-1] - q_p[-1]) / q_p[-1]),
        "time_s": grid,
        "voltage_difference_mV": dv,
    }


def sp_vs_p2d(
    params: str = "heo_rocksalt_mgconicuzn", rate_A_per_g: float = 0.02
) -> dict[str, Any]:
    """First lithiation of the SP reduction vs the P2D model (all mechanisms).

    Returns the median and 95th-percentile voltage difference over 5-90 % of the
    capacity, and the relative capacity difference.
    """
    from hemcell.workflows.anode import run_cell, summarize

    prot = f"Discharge at {rate_A_per_g} A/g until 0.01 V"
    curves = {}
    for rec in ("hem_half_cell_sp", "hem_half_cell_p2d"):
        summary, steps, _ = summarize(run_cell(rec, params, prot))
        d = steps[0].data
        curves[rec] = (
            d["capacity_mAh_per_g"],
            d["voltage_V"],
            summary["discharge_capacity_mAh_per_g"][0],
        )
    q_sp, v_sp, c_sp = curves["hem_half_cell_sp"]
    q_p2, v_p2, c_p2 = curves["hem_half_cell_p2d"]
    grid = np.linspace(0.05, 0.9, 300) * min(q_sp[-1], q_p2[-1])
    dv = np.abs(np.interp(grid, q_sp, v_sp) - np.interp(grid, q_p2, v_p2)) * 1000
    return {
        "rate_A_per_g": rate_A_per_g,
        "median_abs_voltage_difference_mV": float(np.median(dv)),
        "p95_abs_voltage_difference_mV": float(np.percentile(dv, 95)),
        "capacity_relative_difference": float(abs(c_sp - c_p2) / c_p2),
    }


def run_crosschecks(out_dir: str | Any, c_rate: float = 1.0) -> dict[str, Any]:
    """Run the cross-checks and write ``summary.json`` (and ``run.json``) in ``out_dir``."""
    from pathlib import Path

    from hemcell.runinfo import write_run_record, write_summary

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    dfn = compare_with_pybamm_dfn(c_rate, reference="DFN")
    basic = compare_with_pybamm_dfn(c_rate, reference="BasicDFNHalfCell")
    sp = sp_vs_p2d()
    summary = {
        "c_rate": c_rate,
        "dfn_max_abs_voltage_difference_mV": dfn["max_abs_voltage_difference_mV"],
        "dfn_rms_voltage_difference_mV": dfn["rms_voltage_difference_mV"],
        "dfn_capacity_relative_difference": dfn["capacity_relative_difference"],
        "basic_dfn_half_cell_max_abs_voltage_difference_mV": basic["max_abs_voltage_difference_mV"],
        "basic_dfn_half_cell_capacity_relative_difference": basic["capacity_relative_difference"],
        "sp_vs_p2d_median_abs_voltage_difference_mV": sp["median_abs_voltage_difference_mV"],
        "sp_vs_p2d_p95_abs_voltage_difference_mV": sp["p95_abs_voltage_difference_mV"],
        "sp_vs_p2d_capacity_relative_difference": sp["capacity_relative_difference"],
    }
    write_summary(out, summary)
    write_run_record(
        out,
        {"parameter_sets": ["Xu2019", "heo_rocksalt_mgconicuzn"]},
        extra={"crosscheck": "intercalation-only vs PyBaMM DFN; SP vs P2D"},
    )
    np.savetxt(
        out / "dfn_voltage_difference.csv",
        np.column_stack(
            [dfn["time_s"], dfn["voltage_difference_mV"], basic["voltage_difference_mV"]]
        ),
        delimiter=",",
        header="time_s,dfn_difference_mV,basic_dfn_half_cell_difference_mV",
        comments="",
    )
    return summary
