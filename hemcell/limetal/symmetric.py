r"""Li‖Li symmetric cells: galvanostatic plating/stripping, polarization growth, failure.

Each half-cycle plates :math:`q` (areal capacity) on one electrode and strips it from the
other at current density :math:`i` for :math:`t_h = q/i`; every electrode plates once per
cycle and loses :math:`\lambda q` to its dead-Li/SEI layer (:mod:`hemcell.limetal.losses`).
The plateau voltage of cycle :math:`n` is the sum of series terms (per area):

.. math::

    |V_n| = 2\eta_{ct}
          + i\left(\frac{L_s}{\kappa\varepsilon_s^{b_s}} + \frac{2h}{\kappa_c}
                   + \frac{2L_{dl}(n)}{\kappa\varepsilon_{dl}^{b_{dl}}}\right)
          + 2(1-t_+)\frac{RT}{F}\ln\frac{c_0+\Delta c/2}{c_0-\Delta c/2},

    \Delta c = \frac{(1-t_+)\,i}{F}\left(\frac{L_s}{D\varepsilon_s^{b_s}}
               + \frac{2L_{dl}(n)}{D\varepsilon_{dl}^{b_{dl}}}\right),

- :math:`\eta_{ct} = (2RT/F)\operatorname{arsinh}(i/2i_0)`: Butler–Volmer at each
  electrode at the mean current density, with the i0 of the measured resistance (current
  focusing is already in that measurement; only the Li loss :math:`\lambda` sees the
  focused current, :mod:`hemcell.limetal.kinetics`);
- Ohmic drops of the separator (Bruggeman), the coating films
  (:mod:`hemcell.laws`) and the two dead-Li/SEI layers;
- the steady salt gradient across separator and layers in series (binary electrolyte,
  anion flux zero at steady state, thermodynamic factor 1; Newman & Thomas-Alyea,
  *Electrochemical Systems*, ch. 11), with its diffusion potential and Nernst terms.
  Steady state is reached in :math:`L^2/D_{eff}`, shorter than a half-cycle while the
  layer is thin; near failure this is an approximation.

**Failure** needs no extra parameter: as the layers thicken, :math:`\Delta c` reaches
:math:`2c_0`, the salt at the plating surface is depleted (the limiting current of the
separator + layers falls to :math:`i`) and the voltage diverges; that cycle is the
failure ("significant polarization", seed 004 L84; dead-Li mass-transport failure, Chen
et al., *J. Mater. Chem. A* 5 (2017) 11671).

**Li inventory.** Each electrode is a :class:`~hemcell.limetal.losses.LiInventory`.
The electrode A that strips first starts with the foil's charge :math:`Q_f` per area
(``li_foil_thickness``); in each cycle it strips :math:`q` onto the counter electrode B,
which loses :math:`\lambda q` of it (the loss law counts every plated charge), and then
plates back what B returns, :math:`r`, losing :math:`\lambda r`:

.. math::

    Q_A(n) = Q_A(n-1) - q + (1-\lambda)\,r, \qquad
    r = \begin{cases} q & \text{Li‖Li (B is a Li foil)}\\
                      (1-\lambda)\,q & \text{Li‖Cu (B holds only its deposit)}\end{cases}

so A loses :math:`\lambda q` per cycle in a Li‖Li cell and
:math:`\lambda q + \lambda(1-\lambda)q = \lambda(2-\lambda)q` in a Li‖Cu cell (the Li lost on
the Cu came out of the foil too). The electrode that strips first in cycle :math:`n` runs
out of Li when its :math:`Q_A(n-1) < q`. It does so after stripping what it has, linearly
in the stripped charge, at

.. math::

    t_{fail} = t_{n-1} + \frac{Q_A(n-1)}{i}

(:math:`t_{n-1}` the end of cycle :math:`n-1`); ``failure_reason`` says which criterion
ended the run. The two dead-Li/SEI layers hold what each electrode lost (Li‖Li: λq
each per cycle; Li‖Cu: λq on the Cu, λ(1−λ)q on the foil); the layer terms above are
linear in it, :math:`2L_{dl}` standing for the sum of the two layers.

**Stepped rate test** (:func:`rate_test_schedule`, :func:`run_schedule`): the same
cell run through a list of (current density, areal capacity) cycles, e.g. 10 cycles at
each of 0.2 … 5 mA/cm**2 (seed 004 Fig. 3c; the step protocol is assumed). Each cycle
adds :math:`\lambda(i)q` at its own current; failure is checked at that cycle's current.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from hemcell.errors import InputError
from hemcell.laws import FARADAY_C_PER_MOL, thermal_voltage_V
from hemcell.limetal.electrolyte import ElectrolyteBudget, layer_uptake_m3_per_mol
from hemcell.limetal.kinetics import interface_overpotential_V, local_deposition_overpotential_V
from hemcell.limetal.losses import LiInventory, layer_diffusion_resistance_s_per_m, loss_fraction
from hemcell.limetal.parameters import LiMetalParameters, field_uses
from hemcell.limetal.short import (
    SHORT_CIRCUIT,
    Protrusion,
    depletion_time_s,
    limiting_current_A_per_m2,
    sand_time_s,
    tip_velocity_m_per_s,
)
from hemcell.params.uses import ParameterUse
from hemcell.units import from_si

#: What the Li‖Li cell reads besides its Li electrodes
#: (:func:`hemcell.limetal.parameters.li_electrode_uses`): separator transport, the Li loss
#: law, the dead-Li/SEI layers, the Li foil and (diagnostic) the electrolyte budget.
PARAMETERS: tuple[ParameterUse, ...] = field_uses(
    "electrolyte_concentration_mol_per_m3", "electrolyte_diffusivity_m2_per_s",
    "electrolyte_conductivity_S_per_m", "cation_transference_number", "separator_thickness_m",
    "separator_porosity", "separator_bruggeman", "li_electrode_area_m2", "focusing_factor",
    "loss_coefficient_per_V",
    "li_foil_thickness_m", "li_molar_volume_m3_per_mol", "layer_porosity", "layer_bruggeman",
    "electrolyte_volume_m3", "electrolyte_consumption_m3_per_mol")


@dataclass
class SymmetricResult:
    """Per-cycle overpotentials and the failure time of a Li‖Li cell."""

    current_density_A_per_m2: float
    areal_capacity_C_per_m2: float
    cycle_time_s: float
    overpotential_V: list[float]
    loss_fraction: float
    failure_cycle: int | None
    initial_terms_V: dict[str, float]
    cycle_current_density_A_per_m2: list[float]
    cycle_end_time_s: list[float]
    electrolyte_exhausted_h: float | None = None
    failure_reason: str | None = None
    stripping_electrode: LiInventory | None = None
    counter_electrode: LiInventory | None = None
    protrusion_um: list[float] | None = None
    separator_thickness_um: float | None = None

    @property
    def failure_mode(self) -> str | None:
        """``short``, ``salt depletion``, ``inventory`` or None (no failure)."""
        return {None: None, SHORT_CIRCUIT: "short", INVENTORY_EXHAUSTED: "inventory",
                SALT_DEPLETION: "salt depletion"}[self.failure_reason]

    @property
    def time_to_failure_h(self) -> float | None:
        """Elapsed time at failure [h], or None: the end of the failed cycle (salt
        depletion), the moment the stripping foil runs out of Li (Li inventory)."""
        if self.failure_cycle is None:
            return None
        return self.cycle_end_time_s[self.failure_cycle - 1] / 3600.0

    @property
    def failure_current_density_A_per_m2(self) -> float | None:
        """Current density of the failed cycle, or None."""
        if self.failure_cycle is None:
            return None
        return self.cycle_current_density_A_per_m2[self.failure_cycle - 1]


def separator_diffusion_resistance_s_per_m(p: LiMetalParameters) -> float:
    """L_s / (D eps_s^b_s) [s/m]."""
    return p.separator_thickness_m / (p.cell_electrolyte_diffusivity_m2_per_s
                                      * p.separator_porosity ** p.separator_bruggeman)


def salt_difference_mol_per_m3(p: LiMetalParameters, current_density_A_per_m2: float,
                               diffusion_resistance_s_per_m: float) -> float:
    """Steady salt concentration difference Delta c = (1 - t+) i / F * sum L/D_eff."""
    return ((1.0 - p.cation_transference_number) * current_density_A_per_m2
            / FARADAY_C_PER_MOL * diffusion_resistance_s_per_m)


def concentration_overpotential_V(p: LiMetalParameters, current_density_A_per_m2: float,
                                  layer_diffusion_resistance: float = 0.0) -> float:
    """Steady concentration overpotential across separator (+ layers) [V]; inf when the
    salt at the plating surface is depleted (limiting current reached)."""
    dc = salt_difference_mol_per_m3(
        p, current_density_A_per_m2,
        separator_diffusion_resistance_s_per_m(p) + layer_diffusion_resistance)
    c0 = p.electrolyte_concentration_mol_per_m3
    if dc >= 2 * c0:
        return math.inf
    return 2.0 * (1.0 - p.cation_transference_number) * thermal_voltage_V(p.temperature_K) * \
        math.log((c0 + dc / 2) / (c0 - dc / 2))


#: ``failure_reason`` of a cell whose stripping foil ran out of Li.
INVENTORY_EXHAUSTED = "Li inventory exhausted"
#: ``failure_reason`` of a cell whose steady salt difference reached 2 c0.
SALT_DEPLETION = "salt depletion at the plating surface"


def inventory_runout_s(active_li_C_per_m2: float, current_density_A_per_m2: float,
                       areal_capacity_C_per_m2: float) -> float | None:
    """When, into a cycle, the electrode that strips first runs out of Li [s], or None.

    An electrode holding Q_a of active Li at the start of a cycle that strips q at i runs
    out when Q_a < q, after stripping what it has (linear in the stripped charge):
    t = Q_a / i; with Q_a ≥ q it lasts the cycle (None). The one rule of the Li‖Li and
    Li‖Cu cells' Li inventory (module docstring, "Li inventory").
    """
    if active_li_C_per_m2 >= areal_capacity_C_per_m2:
        return None
    return max(active_li_C_per_m2, 0.0) / current_density_A_per_m2


#: Counter electrodes of :func:`run_schedule`: a Li foil (Li‖Li) or bare Cu (Li‖Cu).
COUNTER_ELECTRODES = ("li", "cu")


class RepeatedCycle(Sequence[tuple[float, float]]):
    """``n`` identical cycles ``(i, q)`` as a schedule without a list of ``n`` entries.

    ``--hours 1e9`` at 1 mA/cm² and 1 mAh/cm² is 5e8 cycles: the list of 5e8 tuples and
    the passes over it ran out of memory before the first cycle (no output after
    minutes), where the cell fails within ~10⁴ cycles.
    """

    def __init__(self, cycle: tuple[float, float], n: int) -> None:
        self.cycle, self.n = cycle, n

    def __len__(self) -> int:
        return self.n

    def __getitem__(self, k: Any) -> Any:
        if isinstance(k, slice):
            return [self.cycle] * len(range(*k.indices(self.n)))
        if not -self.n <= k < self.n:
            raise IndexError(k)
        return self.cycle

    def __iter__(self) -> Iterator[tuple[float, float]]:
        return itertools.repeat(self.cycle, self.n)


def _distinct_cycles(schedule: Sequence[tuple[float, float]]) -> set[tuple[float, float]]:
    """The distinct ``(i, q)`` of a schedule (one for a :class:`RepeatedCycle`)."""
    return {schedule.cycle} if isinstance(schedule, RepeatedCycle) else set(schedule)


def run_symmetric(p: LiMetalParameters, current_density_A_per_m2: float,
                  areal_capacity_C_per_m2: float, hours: float, counter: str = "li"
                  ) -> SymmetricResult:
    """Cycle a Li‖Li cell (``counter="cu"``: a Li‖Cu cell, :func:`run_schedule`) for
    ``hours`` or until failure.

    Raises
    ------
    InputError
        Non-positive current, capacity or duration, or a current above the limiting
        current of the fresh cell.
    """
    i, q = current_density_A_per_m2, areal_capacity_C_per_m2
    if not (i > 0 and q > 0 and hours > 0):
        raise InputError("symmetric cell", (i, q, hours),
                         "current density, areal capacity and hours > 0")
    n_cycles = max(1, int(hours * 3600.0 // (2.0 * q / i)))
    return run_schedule(p, RepeatedCycle((i, q), n_cycles), counter)


def rate_test_schedule(step_current_densities_A_per_m2: Sequence[float],
                       cycles_per_step: int, areal_capacity_C_per_m2: float
                       ) -> list[tuple[float, float]]:
    """Stepped rate test: ``cycles_per_step`` cycles of ``q`` at each current in turn."""
    steps = list(step_current_densities_A_per_m2)
    if not steps or any(not i > 0 for i in steps) or cycles_per_step < 1 or \
            not areal_capacity_C_per_m2 > 0:
        raise InputError("--rate-steps/--cycles-per-step/--areal-capacity",
                         (steps, cycles_per_step, areal_capacity_C_per_m2),
                         "positive current densities, >= 1 cycle per step, capacity > 0")
    return [(i, areal_capacity_C_per_m2) for i in steps for _ in range(cycles_per_step)]


def run_schedule(p: LiMetalParameters, schedule: Sequence[tuple[float, float]],
                 counter: str = "li", field: str = "--current-density") -> SymmetricResult:
    """Cycle a Li‖Li cell through ``(current density, areal capacity)`` per cycle.

    Each cycle strips ``q`` at ``i`` from the foil A onto the counter electrode B and back
    (module docstring, "Li inventory"): with ``counter="li"`` B is a second Li foil and
    returns ``q`` (each electrode loses ``lambda(i) q``, the loss fraction at that cycle's
    current); with ``counter="cu"`` B is bare Cu and returns only its active deposit
    ``(1 - lambda) q``, which A plates back with its own loss. The cell fails in the first
    cycle whose steady salt difference reaches ``2 c0``, or when A runs out of Li.

    Raises
    ------
    InputError
        An empty schedule, a non-positive entry, an unknown counter electrode, or a
        current above the limiting current of the fresh cell (naming ``field``, the
        option that gave the currents: ``--rate-steps`` for the stepped test).
    """
    if counter not in COUNTER_ELECTRODES:
        raise InputError("counter electrode", counter, " | ".join(COUNTER_ELECTRODES))
    distinct = _distinct_cycles(schedule)
    if not schedule or any(not (i > 0 and q > 0) for i, q in distinct):
        raise InputError("symmetric cell schedule", schedule,
                         "cycles with current density > 0 and areal capacity > 0")
    i0 = p.exchange_current_A_per_m2
    r_sep = 1.0 / p.separator_conductance_S_per_m2
    for i in sorted({i for i, _ in distinct}):
        if not math.isfinite(concentration_overpotential_V(p, i)):
            i_lim = limiting_current_A_per_m2(p.electrolyte_concentration_mol_per_m3,
                                              p.cation_transference_number,
                                              separator_diffusion_resistance_s_per_m(p))
            raise InputError(field, f"{i / 10:.4g} mA/cm**2 (= {i:.4g} A/m**2)",
                             f"below the limiting current {i_lim:.4g} A/m**2 "
                             f"({i_lim / 10:.4g} mA/cm**2) of the separator")
    eta_ct: dict[float, float] = {}
    lam: dict[float, float] = {}
    for i in {i for i, _ in distinct}:
        eta_ct[i] = interface_overpotential_V(i, i0, p.temperature_K)
        lam[i] = loss_fraction(local_deposition_overpotential_V(i, i0, p.focusing_factor,
                                                                p.temperature_K),
                               p.loss_coefficient_per_V)
    budget = electrolyte_budget(p)
    foil = p.li_foil_thickness_m / p.li_molar_volume_m3_per_mol * FARADAY_C_PER_MOL
    exhausted_h = None
    v: list[float] = []
    t_end: list[float] = []
    failure = None
    reason = None
    a = LiInventory(active_C_per_m2=foil)
    b = LiInventory(active_C_per_m2=foil if counter == "li" else 0.0)
    tip_a, tip_b = Protrusion(), Protrusion()
    protrusion_um: list[float] = []
    t = 0.0
    for n, (i, q) in enumerate(schedule, start=1):
        runout_s = inventory_runout_s(a.active_C_per_m2, i, q)
        if runout_s is not None:
            failure, reason = n, INVENTORY_EXHAUSTED
            t_end.append(t + runout_s)
            break
        a.strip(q)
        short_s = _grow_protrusion(p, tip_b, a, i, q, lam[i])  # B plates, A strips
        if short_s is None:
            b.plate(q, lam[i])
            returned = b.strip(q)  # Cu returns only its active deposit
            short_s = _grow_protrusion(p, tip_a, b, i, returned, lam[i])
            if short_s is not None:
                short_s += q / i
            else:
                a.plate(returned, lam[i])
        protrusion_um.append(1e6 * max(tip_a.peak_m[-1:] + tip_b.peak_m[-1:]))
        if short_s is not None:
            failure, reason = n, SHORT_CIRCUIT
            t_end.append(t + short_s)
            break
        t += 2.0 * q / i
        lost = a.lost_C_per_m2 + b.lost_C_per_m2  # both layers (linear in what they hold)
        if exhausted_h is None and budget.free_volume_m3(
                lost * p.li_electrode_area_m2 / FARADAY_C_PER_MOL) < 0:
            exhausted_h = t / 3600.0
        r_dl = p.layer_resistance_ohm_m2(lost)
        d_dl = layer_diffusion_resistance_s_per_m(
            lost, p.li_molar_volume_m3_per_mol, p.layer_porosity, p.layer_bruggeman,
            p.cell_electrolyte_diffusivity_m2_per_s)
        eta_c = concentration_overpotential_V(p, i, d_dl)
        if not math.isfinite(eta_c):
            failure, reason = n, SALT_DEPLETION
            t_end.append(t)
            break
        v.append(2 * eta_ct[i] + i * (r_sep + 2 * p.film_resistance_ohm_m2)
                 + i * r_dl + eta_c)
        t_end.append(t)
    i1, q1 = schedule[0]
    if not v:  # failed in the first cycle: report the fresh-cell value
        v.append(2 * eta_ct[i1] + i1 * (r_sep + 2 * p.film_resistance_ohm_m2)
                 + concentration_overpotential_V(p, i1))
    terms = {"charge_transfer_V": 2 * eta_ct[i1], "separator_V": i1 * r_sep,
             "coating_film_V": 2 * i1 * p.film_resistance_ohm_m2,
             "concentration_V": concentration_overpotential_V(p, i1)}
    return SymmetricResult(i1, q1, 2.0 * q1 / i1, v, lam[i1], failure, terms,
                           [i for i, _ in schedule[:len(t_end)]], t_end, exhausted_h, reason,
                           a, b, protrusion_um, from_si(p.separator_thickness_m, 1e6))


def _grow_protrusion(p: LiMetalParameters, tip: Protrusion, counter: LiInventory,
                     current_density_A_per_m2: float, plated_C_per_m2: float,
                     loss_fraction_at_tip: float) -> float | None:
    """One plating half-cycle of ``plated`` at ``i`` for the electrode carrying ``tip``:
    the short time into the half-cycle, or None (:mod:`hemcell.limetal.short`).

    The salt reaches the tip through the separator and the ``counter`` electrode's
    dead-Li/SEI layer; the tip carries the focused current ``f i``.
    """
    i_tip = p.focusing_factor * current_density_A_per_m2
    d = p.cell_electrolyte_diffusivity_m2_per_s
    path = separator_diffusion_resistance_s_per_m(p) + layer_diffusion_resistance_s_per_m(
        counter.lost_C_per_m2, p.li_molar_volume_m3_per_mol, p.layer_porosity,
        p.layer_bruggeman, d)
    c0, tp = p.electrolyte_concentration_mol_per_m3, p.cation_transference_number
    t_d = depletion_time_s(i_tip, limiting_current_A_per_m2(c0, tp, path),
                           sand_time_s(i_tip, c0, d, tp, 1.0, p.separator_porosity,
                                       p.separator_bruggeman))
    return tip.plate(tip_velocity_m_per_s(i_tip, p.li_molar_volume_m3_per_mol),
                     plated_C_per_m2 / current_density_A_per_m2, t_d, loss_fraction_at_tip,
                     p.separator_thickness_m)


def electrolyte_budget(p: LiMetalParameters) -> ElectrolyteBudget:
    """Electrolyte bookkeeping of the Li‖Li coin cell (no cathode; both electrodes lose Li).

    Used as a **diagnostic**, not as a failure criterion: with the stoichiometric upper
    bound of the consumption (``electrolyte_consumption_per_lost_li``, one EC per lost Li,
    while most lost Li is dead metal) it says when the same cell build would at the earliest
    have used up its free electrolyte (``electrolyte_exhausted_h``).
    """
    return ElectrolyteBudget(
        initial_volume_m3=p.electrolyte_volume_m3,
        separator_pore_volume_m3=(p.li_electrode_area_m2 * p.separator_thickness_m
                                  * p.separator_porosity),
        cathode_pore_volume_m3=0.0,
        consumption_m3_per_mol=p.electrolyte_consumption_m3_per_mol,
        layer_uptake_m3_per_mol=layer_uptake_m3_per_mol(p.li_molar_volume_m3_per_mol,
                                                        p.layer_porosity))


def symmetric_summary(res: SymmetricResult) -> dict[str, Any]:
    """Summary keys of ``hemcell limetal symmetric``."""
    v = res.overpotential_V
    return {
        "current_density_mA_per_cm2": res.current_density_A_per_m2 / 10.0,
        "areal_capacity_mAh_per_cm2": res.areal_capacity_C_per_m2 / 36000.0,
        "cycles": len(v),
        "overpotential_mV": [1e3 * x for x in v],
        "initial_overpotential_mV": 1e3 * v[0],
        "final_overpotential_mV": 1e3 * v[-1],
        "li_loss_fraction_per_cycle": res.loss_fraction,
        "time_to_failure_h": res.time_to_failure_h,
        "failure_reason": res.failure_reason,
        "failure_mode": res.failure_mode,
        "max_protrusion_um": max(res.protrusion_um or [0.0]),
        "separator_thickness_um": res.separator_thickness_um,
        "failure_current_density_mA_per_cm2": (
            None if res.failure_current_density_A_per_m2 is None
            else res.failure_current_density_A_per_m2 / 10.0),
        "time_without_failure_h": (res.time_to_failure_h if res.time_to_failure_h is not None
                                   else res.cycle_end_time_s[len(v) - 1] / 3600.0),
        "electrolyte_exhausted_h": res.electrolyte_exhausted_h,
        "initial_overpotential_terms_mV": {k.removesuffix("_V"): 1e3 * x
                                           for k, x in res.initial_terms_V.items()},
    }
