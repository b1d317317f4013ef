r"""Li‖LFP cycling with Li loss and interphase growth at the Li electrode.

Each cycle (protocol assumed; the seed gives only "1C", L110, and states no voltage
window or CC/CV protocol, L402):

1. CC charge at the C-rate from the rested discharged state to the upper cut-off
   (LFP delithiates, Li plates on the Li electrode); with ``cv_cutoff_c_rate`` (the
   CC-CV protocol, an option) then a hold at the upper cut-off until the current has
   fallen to that C-rate (:meth:`hemcell.limetal.halfcell.LFPHalfCell.hold_voltage`);
   then rest to uniform concentrations;
2. CC discharge at the C-rate to the lower cut-off, rest.

The cell starts as assembled, its LFP fully discharged: at rest at the lower cut-off,
the lithiation :math:`x_0` with :math:`U(x_0) = V_{min}`
(:meth:`hemcell.limetal.halfcell.LFPHalfCell.rested_discharged_lithiation`; 0.99928 at
2.5 V), the most lithiated state a discharge to the cut-off can reach (a start from the
end of a 0.1C discharge, x = 0.99363, gave cycle 1 a CE above 1 below 0.1C, where the
discharges lithiate further).
Per cycle, at the Li electrode (:mod:`hemcell.limetal.losses`), the plated charge
:math:`q = Q_{ch}/A_{Li}` loses the fraction :math:`\lambda = k_{loss}\eta_{loc}`, with
:math:`\eta_{loc}` the Butler–Volmer overpotential at the focused current density
:math:`f I/A_{Li}`. The lost charge accumulates in the dead-Li/SEI layer whose Ohmic resistance
:math:`r_{dl}` (in series with the coating film) enters the next solve as PyBaMM's contact
resistance (the layer's salt-diffusion resistance, which limits Li‖Li cells, is far from
limiting at the cathode-limited currents of these cells and is left out here). The Li
foil holds far more Li than is cycled, so lost Li is replaced from it: the cell does not
fade through Li inventory.

**Electrolyte.** The lost Li also takes electrolyte out of circulation (SEI growth and
the layer's pores, :mod:`hemcell.limetal.electrolyte`). Once the coin cell's free
reservoir is used up the LFP electrode dries; its wetted fraction :math:`s` (evaluated
at the start of each cycle), times the active fraction :math:`a`, carries the whole
current: with :math:`s` standing for that product, the DFN is solved at :math:`I/s`
(the 1D model's current density is that of the wetted cathode area), with the Li
exchange current and the contact resistance rescaled so that the Li electrode still
sees :math:`I/A_{Li}` and the drop :math:`I R`, and its capacities are multiplied by
:math:`s`. The dry part keeps its state of charge; the wetted part continues from the
common stoichiometry. When less than ``MIN_WETTED_FRACTION`` of the LFP works the run
stops and the cell is reported dead (``dry_out_cycle``, with ``stop_reason`` saying
whether the electrode dried or was deactivated).

**State-of-charge drift.** The CC-only protocol ends every charge at the upper cut-off
and every discharge at the lower one, wherever the polarization puts them; nothing
returns the LFP to the same state each cycle. Where charge and discharge differ (the
LFP's lithiation :math:`x` at the start of charge moves by :math:`\sum (Q_{ch}-Q_{dis})/Q_{th}`;
reported per cycle as ``lfp_lithiation_at_charge_start``), the cycles move into another
window of the LFP's capacity. At the validated 298.15 K conditions this is a fraction of
a per cent; in a cold cell (253 K at 1C) the drift carries the window into the
less-polarized middle of the LFP and the capacity *grows* from cycle to cycle (retention
> 1), with a cell CE far below 1. No mechanism of the model makes capacity grow, so a
retention above 1 is this drift, and :func:`cycling_warnings` says so. The CC-CV
protocol (``cv_cutoff_c_rate``, usually C/20) ends every charge at nearly the same
state, so the discharges start from the same state of charge.

Coulombic efficiencies reported:

- the cell's :math:`Q_{dis}/(Q_{ch}+Q_{par})` per cycle from the simulation, with the
  crosstalk species' shuttle charge :math:`Q_{par}`
  (:func:`hemcell.limetal.crosstalk.shuttle_charge_Ah`; the charge capacity reported
  includes it). The LFP's Li is conserved: a cycle's :math:`Q_{ch} - Q_{dis}` (without
  :math:`Q_{par}`) is the fall of its lithiation times its capacity, so with the start
  at :math:`x_0` no cycle returns more than it charged (CE ≤ 1; the cumulative CE
  ≤ 1 too). Cycle 1 (``first_cycle_coulombic_efficiency``) starts from :math:`x_0`,
  every later cycle from where the discharge before it ended, so cycle 1 also counts
  the Li that a discharge at the C-rate cannot put back into the pristine LFP
  (0.934 at 1C, 0.9994 at 0.01C; the first-cycle loss of a real cell). Means:
  ``mean_coulombic_efficiency`` over cycles 1 to N (the one calibrated and validated on
  the seed's 300-cycle averages), ``mean_coulombic_efficiency_from_cycle_2`` over
  cycles 2 to N (the cycled state; ``None`` for one cycle);
- ``mean_li_coulombic_efficiency``: the Li electrode's :math:`1-\lambda` (what a Li‖Cu
  or Aurbach test would see). With excess Li the two differ: lost Li is replaced from the
  foil, so the cell's CE does not show the Li loss (Xiao et al., *Nat. Energy* 5 (2020) 561).

Speed: one built model, every solve changes only inputs. ``stride`` > 1 solves cycle 1
(it starts from the pristine LFP and differs from the rest) and then every ``stride``-th cycle,
applying ``stride`` cycles of loss per solve (the losses change slowly), for quick runs
and fits; means over cycles weight each solved cycle by the cycles it stands for
(``cycles_represented``); ``stride=1`` is the reference.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from hemcell.errors import InputError, SimulationError
from hemcell.laws import FARADAY_C_PER_MOL
from hemcell.limetal.crosstalk import lfp_active_fraction, shuttle_charge_Ah
from hemcell.limetal.electrolyte import ElectrolyteBudget, layer_uptake_m3_per_mol
from hemcell.limetal.halfcell import (
    IN_I0_LI,
    LFPHalfCell,
    contact_resistance_ohm,
    specific_capacity_mAh_per_g,
)
from hemcell.limetal.kinetics import local_deposition_overpotential_V
from hemcell.limetal.losses import LiInventory, layer_thickness_m, loss_fraction
from hemcell.limetal.parameters import LiMetalParameters, field_uses
from hemcell.params.uses import ParameterUse

#: What cycling reads besides the Li‖LFP DFN (:data:`hemcell.limetal.halfcell.PARAMETERS`):
#: the Li loss law (at the focused current density), the dead-Li/SEI layer, the Li foil,
#: the electrolyte budget and the crosstalk.
PARAMETERS: tuple[ParameterUse, ...] = field_uses(
    "focusing_factor", "li_electrode_area_m2", "loss_coefficient_per_V", "li_foil_thickness_m",
    "li_molar_volume_m3_per_mol", "layer_porosity", "layer_bruggeman",
    "electrolyte_conductivity_S_per_m",
    "electrolyte_volume_m3", "electrolyte_consumption_m3_per_mol", "separator_thickness_m",
    "separator_porosity", "lfp_deactivation_per_lost_li", "shuttle_charge_per_lost_li")


@dataclass
class CycleRecord:
    """Per-cycle results (lists indexed by solved cycle)."""

    cycle: list[int] = field(default_factory=list)
    cycles_represented: list[int] = field(default_factory=list)
    charge_mAh_per_g: list[float] = field(default_factory=list)
    shuttle_charge_mAh_per_g: list[float] = field(default_factory=list)
    discharge_mAh_per_g: list[float] = field(default_factory=list)
    cell_ce: list[float] = field(default_factory=list)
    li_ce: list[float] = field(default_factory=list)
    layer_resistance_ohm_cm2: list[float] = field(default_factory=list)
    layer_thickness_um: list[float] = field(default_factory=list)
    cathode_wetted_fraction: list[float] = field(default_factory=list)
    lfp_active_fraction: list[float] = field(default_factory=list)
    free_electrolyte_uL: list[float] = field(default_factory=list)
    lithiation_at_charge_start: list[float] = field(default_factory=list)
    #: C-rate at which the CV hold of a CC-CV charge ends; None: CC charge.
    cv_cutoff_c_rate: float | None = None
    dry_out_cycle: int | None = None
    stop_reason: str | None = None
    #: The solver failure that ended the run after the cycles recorded (``None``: none).
    failure: SimulationError | None = None

    @property
    def cycle_last(self) -> list[int]:
        """The last cycle each solved row stands for (``cycle`` is the first): with
        ``stride`` > 1 a row's losses, layer and electrolyte are those after it."""
        return [n + k - 1 for n, k in zip(self.cycle, self.cycles_represented, strict=True)]

    def as_columns(self) -> dict[str, list[float]]:
        """Columns for a CSV: ``cycle`` (the solved cycle) to ``cycle_last`` are the
        ``cycles_represented`` cycles a row stands for."""
        return {"cycle": self.cycle, "cycle_last": self.cycle_last,
                "cycles_represented": self.cycles_represented,
                "charge_capacity_mAh_per_g": self.charge_mAh_per_g,
                "shuttle_charge_mAh_per_g": self.shuttle_charge_mAh_per_g,
                "discharge_capacity_mAh_per_g": self.discharge_mAh_per_g,
                "cell_coulombic_efficiency": self.cell_ce,
                "li_coulombic_efficiency": self.li_ce,
                "interphase_layer_resistance_ohm_cm2": self.layer_resistance_ohm_cm2,
                "interphase_layer_thickness_um": self.layer_thickness_um,
                "cathode_wetted_fraction": self.cathode_wetted_fraction,
                "lfp_active_fraction": self.lfp_active_fraction,
                "free_electrolyte_after_cycle_uL": self.free_electrolyte_uL,
                "lfp_lithiation_at_charge_start": self.lithiation_at_charge_start}


def li_loss_per_cycle(p: LiMetalParameters, li_current_density_A_per_m2: float) -> float:
    """Loss fraction lambda at the Li electrode for a plating current density."""
    eta = local_deposition_overpotential_V(li_current_density_A_per_m2,
                                           p.exchange_current_A_per_m2, p.focusing_factor,
                                           p.temperature_K)
    return loss_fraction(eta, p.loss_coefficient_per_V)


#: Longest CV hold, in units of 1/(cut-off C-rate) hours (20 h at C/20): the current has
#: fallen to the cut-off long before (a hold that has not is reported as a failed step).
CV_HOLD_TIME_FACTOR = 1.0


#: Wetted LFP fraction below which the cell counts as dried out: it then delivers < 10 %
#: of its capacity (far past the usual 80 % end of life), and the wetted part would run
#: at more than 10 times the C-rate, where the solves carry no useful information.
MIN_WETTED_FRACTION = 0.1


def electrolyte_budget(cell: LFPHalfCell) -> ElectrolyteBudget:
    """The cell's electrolyte bookkeeping (separator pores over the Li electrode area)."""
    p = cell.params
    return ElectrolyteBudget(
        initial_volume_m3=p.electrolyte_volume_m3,
        separator_pore_volume_m3=(p.li_electrode_area_m2 * p.separator_thickness_m
                                  * p.separator_porosity),
        cathode_pore_volume_m3=cell.geometry.pore_volume_m3,
        consumption_m3_per_mol=p.electrolyte_consumption_m3_per_mol,
        layer_uptake_m3_per_mol=layer_uptake_m3_per_mol(p.li_molar_volume_m3_per_mol,
                                                        p.layer_porosity))


def check_stride(cycles: int, stride: int) -> None:
    """Refuse a ``--stride`` below 1 or above ``--cycles``.

    A stride larger than the run solves the same cycles as ``stride = cycles`` (cycle 1,
    then one solve for cycles 2 to N): such a value cannot be what was meant (``--cycles
    3 --stride 10`` ran without a word), so it is refused rather than clamped.

    Raises
    ------
    InputError
        ``stride`` outside 1 to ``cycles`` (``cycles`` >= 1 is checked before).
    """
    if not 1 <= stride <= cycles:
        raise InputError("--stride", stride,
                         f"an integer from 1 to the number of cycles ({cycles})",
                         hint="the number of cycles is --cycles (limetal cycle) or 300 "
                              "(fit-fade, fit-shuttle); --stride n solves cycle 1, then "
                              "every n-th cycle with n cycles of loss per solve, the last "
                              "solve standing for the cycles left")


def run_cycling(cell: LFPHalfCell, cycles: int, c_rate: float = 1.0, stride: int = 1,
                progress: Any = None, cv_cutoff_c_rate: float | None = None) -> CycleRecord:
    """Cycle the Li‖LFP cell; return per-cycle capacities, efficiencies and growth.

    ``cv_cutoff_c_rate``: ``None`` charges CC only; a C-rate (e.g. 0.05, C/20) adds a
    hold at the upper cut-off until the current has fallen to it (CC-CV).

    Raises
    ------
    InputError
        Bad cycle count, C-rate, stride (:func:`check_stride`) or CV cut-off (a C-rate
        between 0 and the charging C-rate); a step of the first cycle that starts beyond
        a voltage cut-off (:meth:`hemcell.limetal.halfcell.LFPHalfCell.solve`). In a later
        cycle that ends the run as a failure does, the finished cycles kept
        (``stop_reason`` "cut-off at the start of a step: ...").
    SimulationError
        A solve fails or a step ends on time instead of a cut-off before the first cycle
        is finished. A failure in a later cycle ends the run instead: the finished cycles
        are returned with the error in ``failure`` and ``stop_reason`` naming the step.
    """
    if cycles < 1:
        raise InputError("--cycles", cycles, "an integer >= 1")
    if not 0 < c_rate < float("inf"):
        raise InputError("--c-rate", c_rate, "a finite C-rate > 0")
    check_stride(cycles, stride)
    if cv_cutoff_c_rate is not None and not 0 < cv_cutoff_c_rate < c_rate:
        usual = ", e.g. 0.05 (C/20)" if c_rate > 0.05 else ""  # not a value refused here
        raise InputError("--cv-cutoff-c-rate", cv_cutoff_c_rate,
                         f"a C-rate between 0 and the charging C-rate {c_rate:g}{usual}")
    p = cell.params
    geo = cell.geometry
    current = c_rate * geo.current_1c_A
    i_li = current / p.li_electrode_area_m2
    try:
        lam = li_loss_per_cycle(p, i_li)
    except InputError as exc:  # the loss law's limit, reached by the current
        raise InputError(
            "--c-rate", c_rate,
            f"a C-rate whose plating current keeps the Li loss fraction "
            f"lambda = k_loss eta_loc below 1 (the loss law's limit: no Li would come back); "
            f"at this one lambda = {exc.value:.4g}",
            hint="a lower C-rate (or a smaller li_loss_overpotential_coefficient)") from exc
    foil = p.li_foil_thickness_m / p.li_molar_volume_m3_per_mol * FARADAY_C_PER_MOL
    inventory = LiInventory(active_C_per_m2=foil)
    t_step = 1.6 * 3600.0 / c_rate
    # the cell as assembled: LFP fully discharged, at rest at the lower cut-off
    x = cell.rested_discharged_lithiation()
    budget = electrolyte_budget(cell)
    i0_model = cell.base_inputs[IN_I0_LI]
    rec = CycleRecord(cv_cutoff_c_rate=cv_cutoff_c_rate)
    n = 1
    while n <= cycles:
        lost_mol = inventory.lost_C_per_m2 * p.li_electrode_area_m2 / FARADAY_C_PER_MOL
        s_wet = budget.cathode_wetted_fraction(lost_mol)
        active = lfp_active_fraction(lost_mol, geo.lfp_sites_mol, p.lfp_deactivation_per_lost_li)
        s = s_wet * active
        if s < MIN_WETTED_FRACTION:
            rec.dry_out_cycle = n
            rec.stop_reason = " and ".join(
                why for why, frac in (("electrolyte dry-out", s_wet),
                                      ("LFP deactivated by crosstalk", active)) if frac < 1)
            break
        try:  # a failure after the first cycle keeps the finished cycles
            # the wetted part carries I: model current I/s, Li i0 and R rescaled (see above)
            x_charge_start = x
            wet = {"x0": x, "i0_li": i0_model / s}
            r_dl = p.layer_resistance_ohm_m2(inventory.lost_C_per_m2)
            rc = contact_resistance_ohm(p, r_dl) * s
            sol = cell.solve(cell.inputs(current_A=-current / s, contact_ohm=rc, **wet), t_step,
                             step=f"cycle {n} charge")
            _check(sol, "Maximum voltage", f"cycle {n} charge")
            if cv_cutoff_c_rate is not None:  # the wetted part: current and cut-off over s
                sol = cell.hold_voltage(
                    sol, cell.inputs(current_A=-current / s, contact_ohm=rc, **wet),
                    p.upper_cutoff_V, cv_cutoff_c_rate * geo.current_1c_A / s,
                    CV_HOLD_TIME_FACTOR * 3600.0 / cv_cutoff_c_rate, f"cycle {n} CV hold")
            q_model = -float(sol["Discharge capacity [A.h]"].entries[-1])
            x -= q_model / geo.theoretical_capacity_Ah
            wet["x0"] = x
            q_ch = s * q_model
            plated = q_ch * 3600.0 / p.li_electrode_area_m2
            k = 1 if n == 1 else min(stride, cycles - n + 1)  # cycle 1 starts from the pristine LFP
            for _ in range(k):
                inventory.plate(plated, lam)
                inventory.strip(plated)
            r_dl = p.layer_resistance_ohm_m2(inventory.lost_C_per_m2)
            rc = contact_resistance_ohm(p, r_dl) * s
            sol = cell.solve(cell.inputs(current_A=current / s, contact_ohm=rc, **wet), t_step,
                             step=f"cycle {n} discharge")
            _check(sol, "Minimum voltage", f"cycle {n} discharge")
            q_model = float(sol["Discharge capacity [A.h]"].entries[-1])
            x += q_model / geo.theoretical_capacity_Ah
            q_dis = s * q_model
            q_par = shuttle_charge_Ah(q_ch, lam, p.shuttle_charge_per_lost_li)
            rec.cycle.append(n)
            rec.cycles_represented.append(k)
            rec.charge_mAh_per_g.append(specific_capacity_mAh_per_g(cell, q_ch + q_par))
            rec.shuttle_charge_mAh_per_g.append(specific_capacity_mAh_per_g(cell, q_par))
            rec.discharge_mAh_per_g.append(specific_capacity_mAh_per_g(cell, q_dis))
            rec.cell_ce.append(q_dis / (q_ch + q_par))
            rec.li_ce.append(1.0 - lam)
            rec.layer_resistance_ohm_cm2.append(r_dl * 1e4)
            rec.layer_thickness_um.append(1e6 * layer_thickness_m(
                inventory.lost_C_per_m2, p.li_molar_volume_m3_per_mol, p.layer_porosity))
            rec.cathode_wetted_fraction.append(s_wet)
            rec.lfp_active_fraction.append(active)
            rec.lithiation_at_charge_start.append(x_charge_start)
            rec.free_electrolyte_uL.append(1e9 * budget.free_volume_m3(
                inventory.lost_C_per_m2 * p.li_electrode_area_m2 / FARADAY_C_PER_MOL))
        except (SimulationError, InputError) as exc:
            if not rec.cycle:
                raise
            if isinstance(exc, InputError):  # the cycled cell starts a step past a cut-off
                rec.failure = SimulationError(f"the cell cannot start this step any more: "
                                              f"{exc}")
                rec.stop_reason = f"cut-off at the start of a step: {exc}"
                break
            rec.failure = exc
            rec.stop_reason = f"solver failure: {exc}"
            break
        if progress is not None:
            progress(n)
        n += k
    return rec


def _check(sol: Any, event: str, step: str) -> None:
    if event not in str(sol.termination):
        raise SimulationError(f"{step} ended without reaching its cut-off ({sol.termination})",
                              step=step, time_s=float(sol.t[-1]))


def cycling_summary(rec: CycleRecord) -> dict[str, Any]:
    """Summary keys of ``hemcell limetal cycle``."""
    import numpy as np

    first = rec.discharge_mAh_per_g[0]
    last = 0.0 if rec.dry_out_cycle is not None else rec.discharge_mAh_per_g[-1]
    return {
        "cycles": rec.cycle_last[-1],
        "dry_out_cycle": rec.dry_out_cycle,
        "stop_reason": rec.stop_reason,
        "final_cathode_wetted_fraction": (0.0 if rec.dry_out_cycle is not None
                                          else rec.cathode_wetted_fraction[-1]),
        "final_lfp_active_fraction": rec.lfp_active_fraction[-1],
        "final_free_electrolyte_uL": rec.free_electrolyte_uL[-1],
        "initial_discharge_capacity_mAh_per_g": first,
        "final_discharge_capacity_mAh_per_g": last,
        "capacity_retention": last / first,
        "first_cycle_coulombic_efficiency": rec.cell_ce[0],
        "mean_coulombic_efficiency": float(np.average(rec.cell_ce,
                                                      weights=rec.cycles_represented)),
        "mean_coulombic_efficiency_from_cycle_2": (
            float(np.average(rec.cell_ce[1:], weights=rec.cycles_represented[1:]))
            if len(rec.cell_ce) > 1 else None),
        "mean_li_coulombic_efficiency": float(np.average(rec.li_ce,
                                                         weights=rec.cycles_represented)),
        "final_interphase_layer_resistance_ohm_cm2": rec.layer_resistance_ohm_cm2[-1],
        "final_interphase_layer_thickness_um": rec.layer_thickness_um[-1],
        "charge_protocol": "cc" if rec.cv_cutoff_c_rate is None else "cccv",
        "cv_cutoff_c_rate": rec.cv_cutoff_c_rate,
        "lfp_lithiation_at_first_charge": rec.lithiation_at_charge_start[0],
        "lfp_lithiation_at_last_charge": rec.lithiation_at_charge_start[-1],
    }


#: Relative rise of the discharge capacity after the second solved cycle below which it is
#: not called drift (:func:`cycling_warnings`), assumed: 0.1 %, below what the warning's
#: three significant digits show. After the pristine start the window settles by less
#: (1C, 253.15 K, CC-CV to C/5: 55.6314, 55.6315, then 55.570 mAh/g), drift raises the
#: capacity by tens of per cent per cycle (CC: 2.4, 5.5, 8.6 mAh/g).
DRIFT_MIN_RELATIVE_RISE = 1e-3


def _row_cycles(rec: CycleRecord, row: int) -> str:
    """The cycles a solved row of ``rec`` stands for: "cycle 2", or "cycles 2-11" with
    ``--stride``."""
    first, last = rec.cycle[row], rec.cycle_last[row]
    return f"cycle {first}" if first == last else f"cycles {first}-{last}"


def cycling_warnings(summary: dict[str, Any], rec: CycleRecord, label: str = "") -> list[str]:
    """Warnings of a cycling run (:func:`cycling_summary` of ``rec``): a capacity
    retention above 1 with the capacity still rising after the second solved cycle is
    state-of-charge drift (see the module docstring), not a property of the cell.

    Cycle 1 starts from the fully discharged LFP, every later cycle from where the previous
    discharge stopped; a rise from cycle 1 to cycle 2 alone is that difference of
    starting states, not a trend, and is not warned about. Drift is a trend: the final
    discharge capacity above that of the second solved cycle by more than
    :data:`DRIFT_MIN_RELATIVE_RISE` (three solved cycles at least).

    Returns
    -------
    list of str
        Empty, or one warning naming the retention, the rise after the second solved
        cycle (the cycles its row and the last row stand for, :attr:`CycleRecord.
        cycle_last`), the mean cell CE and the drift of the LFP's lithiation at the start of
        charge.
    """
    retention = summary["capacity_retention"]
    q = rec.discharge_mAh_per_g
    if not retention > 1.0 or len(q) < 3 or not q[-1] > q[1] * (1.0 + DRIFT_MIN_RELATIVE_RISE):
        return []
    x0, x1 = summary["lfp_lithiation_at_first_charge"], summary["lfp_lithiation_at_last_charge"]
    who = f"{label}: " if label else ""
    protocol = ("the CC-only protocol ends each charge and discharge at the voltage "
                "cut-offs" if summary["charge_protocol"] == "cc" else
                "the CC-CV charges do not end at the same state")
    strided = (f" (with --stride {max(rec.cycles_represented)} one solve stands for the "
               "cycles of its row)" if max(rec.cycles_represented) > 1 else "")
    return [f"{who}capacity retention {retention:.3g} > 1 is state-of-charge drift, not a "
            f"capacity gain: the discharge capacity still rose after the second solved "
            f"cycle, from {q[1]:.3g} mAh/g in {_row_cycles(rec, 1)} to {q[-1]:.3g} mAh/g in "
            f"{_row_cycles(rec, -1)}{strided}; "
            f"{protocol}, charge and discharge differ (mean cell CE "
            f"{summary['mean_coulombic_efficiency']:.3g}) and the LFP's lithiation at the "
            f"start of charge moved from {x0:.3f} to {x1:.3f}: later discharges start from "
            "a higher state of charge. Retention compares cycles only when each starts from "
            "the same state (cell CE close to 1: a lower C-rate or a higher temperature)"]
