"""Cross-check: hemcell's hard carbon ‖ cathode-set cell against PyBaMM's Na-ion DFN.

Chayambuka's cell (hard carbon | NVPF, 1 M NaPF₆ EC:PC; PyBaMM ``Chayambuka2022``) is
built twice and discharged at the same current from the same charged state:

- **hemcell**: the values of the hard-carbon full cell (:mod:`hemcell.cell.hard_carbon`)
  with the cathode set ``cathode_he_nvpf`` (its electrode, porosity, active fraction,
  particle radius, conductivity and Bruggeman exponent are Chayambuka's NVPF), in PyBaMM's
  ``lithium_ion.DFN``; the NVPF entries a couple set cannot give (the measured OCP table,
  D_p(c), k_p(c), c_max) and Chayambuka's balancing and initial state are taken from
  PyBaMM's set (:func:`hemcell.cell.hard_carbon.chayambuka2022_cell_values`);
- **PyBaMM**: ``pybamm.sodium_ion.BasicDFN`` with ``pybamm.ParameterValues("Chayambuka2022")``
  as shipped.

One known difference: the cathode set's Bruggeman exponent (1.5) also scales the solid
conductivity, σ_eff = σ ε_s^1.5 (the set has one exponent), where Chayambuka's electrode
exponent is 0; at C/2 the extra ohmic drop across 68 µm of NVPF is
i L / (2 σ_eff) ≈ 6 A m⁻² · 68 µm / (2 · 20 S m⁻¹) ≈ 0.01 mV.

**D_p as shipped.** The stored reading of PyBaMM's ``NVPF_diffusivity_Chayambuka2022``
(literature-cathodes.md section 3, PyBaMM commit 7c9f5bd) found it converting θ to c
with the electrolyte's initial concentration (1000 mol m⁻³) instead of the positive
c_max. PyBaMM 26.10 as installed uses the positive c_max; both cells here use that
function as shipped (the comparison is with PyBaMM, not a repair of it), and the summary
records D_p(θ = 0.9) of the shipped function next to the table's value at 0.9 c_max, so a
regression of that defect shows in the numbers.

**The set's own model** (:func:`couple_model_comparison`, reported, not a check): the
same cell with ``cathode_he_nvpf`` as it is (couple OCP, constant D_s, i₀ at half
filling, its c_max) from Chayambuka's Na content, against PyBaMM's curve.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pybamm

#: The cathode set whose electrode values are Chayambuka's NVPF.
CATHODE_SET = "cathode_he_nvpf"
#: Mesh of the comparison (the hard-carbon recipes' mesh; the same for both models).
VAR_PTS = {"x_n": 20, "x_s": 10, "x_p": 20, "r_n": 10, "r_p": 10}
#: Solver tolerances (the hard-carbon recipes'; at rtol 1e-8 the DFN's first step failed,
#: IDA_CONV_FAIL at t = 0.6 ms, with the set's solid Bruggeman exponent).
TOLERANCES = {"rtol": 1.0e-6, "atol": 1.0e-8}


def nvpf_diffusivity_check(pv: pybamm.ParameterValues, sto: float = 0.9) -> dict[str, float]:
    """D_p(θ) of PyBaMM's shipped NVPF function and the D_p.csv table at c = θ c_max."""
    from hemcell.cell.hard_carbon import chayambuka2022_tables

    d = pv.evaluate(pv["Positive particle diffusivity [m2.s-1]"](
        pybamm.Scalar(sto), pybamm.Scalar(298.15)))
    c_max = float(pv["Maximum concentration in positive electrode [mol.m-3]"])
    x, y = chayambuka2022_tables().D_p_data[1]
    return {"nvpf_diffusivity_stoichiometry": sto,
            "nvpf_diffusivity_shipped_m2_per_s": float(np.ravel(d)[0]),
            "nvpf_diffusivity_table_at_c_max_m2_per_s": float(np.interp(sto * c_max, x[0], y))}


def _discharge(model: pybamm.BaseModel, pv: pybamm.ParameterValues, c_rate: float,
               var_pts: dict[str, int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    vp = dict(model.default_var_pts)
    vp.update({k: v for k, v in var_pts.items() if k in vp})
    pv = pv.copy()
    pv.update({"Current function [A]": c_rate * pv["Nominal cell capacity [A.h]"]})
    sim = pybamm.Simulation(model, parameter_values=pv, var_pts=vp,
                            solver=pybamm.IDAKLUSolver(**TOLERANCES))
    sol = sim.solve([0, 1.2 * 3600 / c_rate])
    return (sol["Time [s]"].entries, sol["Voltage [V]"].entries,
            sol["Discharge capacity [A.h]"].entries)


def compare_with_chayambuka2022(c_rate: float = 0.5, var_pts: dict[str, int] | None = None,
                                couple_model: bool = True) -> dict[str, Any]:
    """Discharge both cells (module docstring) at ``c_rate`` of Chayambuka's nominal
    3 mAh from his charged state to his 2.0 V cut-off and compare the voltages.

    Returns
    -------
    dict
        ``max_abs_voltage_difference_mV`` and ``rms_voltage_difference_mV`` over the
        common time, the capacities to the cut-off, their relative difference, the D_p
        check (:func:`nvpf_diffusivity_check`) and the curves (``time_s``,
        ``voltage_hemcell_V``, ``voltage_difference_mV``); with ``couple_model`` also the
        set's own cathode model in the same cell against PyBaMM's
        (:func:`couple_model_comparison`).
    """
    from hemcell.cell.cathodes import cathode_set_si
    from hemcell.cell.hard_carbon import chayambuka2022, chayambuka2022_cell_values

    pts = var_pts or VAR_PTS
    ref = chayambuka2022()
    t_h, v_h, q_h = _discharge(pybamm.lithium_ion.DFN(),
                               chayambuka2022_cell_values(CATHODE_SET,
                                                          cathode_set_si(CATHODE_SET)),
                               c_rate, pts)
    t_p, v_p, q_p = _discharge(pybamm.sodium_ion.BasicDFN(), ref, c_rate, pts)
    grid = np.linspace(0.0, min(t_h[-1], t_p[-1]), 400)
    v_grid = np.interp(grid, t_h, v_h)
    dv = (v_grid - np.interp(grid, t_p, v_p)) * 1000
    return {
        "hemcell_model": "pybamm.lithium_ion.DFN with hemcell.cell.hard_carbon values "
                         f"({CATHODE_SET} + Chayambuka2022 NVPF functions)",
        "reference_model": "pybamm.sodium_ion.BasicDFN, ParameterValues('Chayambuka2022')",
        "pybamm_version": pybamm.__version__,
        "c_rate": c_rate,
        "var_pts": dict(pts),
        "max_abs_voltage_difference_mV": float(np.max(np.abs(dv))),
        "rms_voltage_difference_mV": float(np.sqrt(np.mean(dv**2))),
        "capacity_hemcell_mAh": float(q_h[-1]) * 1000,
        "capacity_pybamm_mAh": float(q_p[-1]) * 1000,
        "capacity_relative_difference": float(abs(q_h[-1] - q_p[-1]) / q_p[-1]),
        "end_voltage_hemcell_V": float(v_h[-1]),
        "end_voltage_pybamm_V": float(v_p[-1]),
        **nvpf_diffusivity_check(ref),
        **(couple_model_comparison((t_p, v_p, q_p), c_rate, pts) if couple_model else {}),
        "time_s": grid,
        "voltage_hemcell_V": v_grid,
        "voltage_difference_mV": dv,
    }


def couple_model_comparison(reference: tuple[np.ndarray, np.ndarray, np.ndarray],
                            c_rate: float, var_pts: dict[str, int]) -> dict[str, Any]:
    """The set's own cathode model (couple OCP, constant D_s and i₀) in Chayambuka's cell
    (:func:`hemcell.cell.hard_carbon.couple_model_in_chayambuka2022_cell`) against PyBaMM's
    curve ``reference`` (time, voltage, capacity): what the couple description of NVPF
    misses of the measured one. Not a numerical check; the voltage difference is
    reported as median and 90th percentile (a plateau step shifted in time gives a
    difference of the step's height, 0.4 V, over a few points)."""
    from hemcell.cell.cathodes import cathode_set_si
    from hemcell.cell.hard_carbon import couple_model_in_chayambuka2022_cell

    t_c, v_c, q_c = _discharge(pybamm.lithium_ion.DFN(), couple_model_in_chayambuka2022_cell(
        CATHODE_SET, cathode_set_si(CATHODE_SET)), c_rate, var_pts)
    t_p, v_p, q_p = reference
    grid = np.linspace(0.0, min(t_c[-1], t_p[-1]), 400)
    dv = np.abs(np.interp(grid, t_c, v_c) - np.interp(grid, t_p, v_p)) * 1000
    return {
        "couple_model_median_abs_voltage_difference_mV": float(np.median(dv)),
        "couple_model_p90_abs_voltage_difference_mV": float(np.percentile(dv, 90)),
        "couple_model_capacity_mAh": float(q_c[-1]) * 1000,
        "couple_model_capacity_relative_difference": float((q_c[-1] - q_p[-1]) / q_p[-1]),
    }


def run_crosscheck(out_dir: str | Path, c_rate: float = 0.5,
                   command: list[str] | None = None, plots_on: bool = True) -> dict[str, Any]:
    """Run :func:`compare_with_chayambuka2022` and write ``summary.json``, ``run.json``,
    ``voltage.csv`` and (``plots_on``) ``crosscheck_chayambuka2022.png`` in ``out_dir``."""
    from hemcell.runinfo import write_run_record, write_summary

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    res = compare_with_chayambuka2022(c_rate)
    curves = {k: res.pop(k) for k in ("time_s", "voltage_hemcell_V", "voltage_difference_mV")}
    np.savetxt(out / "voltage.csv", np.column_stack(list(curves.values())), delimiter=",",
               header=",".join(curves), comments="", fmt="%.8g")
    if plots_on:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        from hemcell.figures import save_figure

        fig, (ax, bx) = plt.subplots(2, 1, figsize=(6, 5), sharex=True)
        t_h = curves["time_s"] / 3600
        ax.plot(t_h, curves["voltage_hemcell_V"], label="hemcell (hard carbon ‖ NVPF)")
        ax.set_ylabel("Voltage (V)")
        ax.legend(fontsize=8)
        bx.plot(t_h, curves["voltage_difference_mV"])
        bx.set_ylabel("hemcell − BasicDFN (mV)")
        bx.set_xlabel("Time (h)")
        ax.set_title(f"Chayambuka2022 at C/{1 / c_rate:g}")
        save_figure(fig, out / "crosscheck_chayambuka2022.png")
        plt.close(fig)
    write_summary(out, res)
    write_run_record(out, {}, command=command, extra={"c_rate": c_rate})
    return res
