r"""The Li‖LFP half-cell: PyBaMM's DFN with a Li metal counter electrode.

Model: ``pybamm.lithium_ion.DFN({"working electrode": "positive", "contact resistance":
"true"})`` (Doyle–Fuller–Newman P2D for the LFP electrode and separator; planar Li metal
counter electrode with inverse Butler–Volmer kinetics). Parameters: PyBaMM's Prada2013
LFP (Afshar2017 OCP, Kashkooli2017 exchange current, c_max, radius, diffusivity) updated
with the set's values; electrolyte transport as **constants** evaluated at 1 M
(Valøen & Reimers 2005 via Xu2019): the seed's electrolyte is unknown, so a documented
constant is preferred over Prada2013's EC:EMC polynomial (see ``docs/limetal.md``).

What the coating changes, at the Li electrode:

- kinetics: the Li exchange current :math:`i_0` from the measured resistance (64 vs 44 Ω)
  with Arrhenius temperature dependence (:mod:`hemcell.limetal.kinetics`), written as
  PyBaMM's ``Exchange-current density for lithium metal electrode`` with a square-root
  electrolyte-concentration dependence :math:`i_0 \propto (c_e/c_0)^{1/2}`;
- areas: the 1D model carries the cathode's current density :math:`I/A_c`, the Li
  electrode the mean :math:`I/A_{Li}`, so the model's exchange current is
  :math:`i_0 A_{Li}/A_c`. No focusing factor: the i0 from the measured resistance already
  holds the real surface's focusing (:mod:`hemcell.limetal.kinetics`); the focused current
  :math:`f I/A_{Li}` enters only the Li loss (:mod:`hemcell.limetal.cycling`);
- film and interphase layer: in series, as PyBaMM's contact resistance
  :math:`R = (h/\kappa_c + r_{dl}) / A_{Li}` [Ω], an Ohmic shift :math:`I R`.

Mass and C-rate: 1C = 170 mA/g (seed L110) and the LFP mass is the theoretical capacity
divided by 170 mAh/g, i.e. :math:`\rho_{LFP} = c_{max} F / (170\ \mathrm{mAh/g})`
(3.60 g/cm³ for Prada2013's c_max, the crystallographic density of LiFePO₄), and the
electrode thickness :math:`L = m_{LFP}/(\rho_{LFP}\,\varepsilon_{AM})`.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from hemcell.errors import InputError, SimulationError
from hemcell.laws import FARADAY_C_PER_MOL, arrhenius_factor
from hemcell.limetal.parameters import MAH_PER_G_IN_C_PER_KG, LiMetalParameters, field_uses
from hemcell.params.registry import registry
from hemcell.params.uses import ParameterUse

#: What the Li‖LFP DFN reads besides the Li electrode
#: (:func:`hemcell.limetal.parameters.li_electrode_uses`): the cell's sizes, protocol state
#: and calibrated LFP values (:class:`LiMetalParameters` fields), and the set's values
#: with a PyBaMM name that the DFN reads (the LFP electrode, electrolyte and separator;
#: the rest of Prada2013 is the set's ``pybamm_base``). The set's ``lfp_electrode_thickness``
#: is not read (the thickness follows from the loading), nor its
#: ``li_exchange_current_density`` (replaced by the cell's i0).
PARAMETERS: tuple[ParameterUse, ...] = (
    *field_uses("cathode_area_m2", "li_electrode_area_m2", "lfp_mass_loading_kg_per_m2",
                "lfp_specific_current_1c_A_per_kg", "lfp_charged_stoichiometry",
                "lfp_exchange_current_factor", "lfp_diffusivity_activation_energy_J_per_mol",
                "lower_cutoff_V", "upper_cutoff_V",
                "electrolyte_concentration_mol_per_m3", "electrolyte_diffusivity_m2_per_s",
                "electrolyte_conductivity_S_per_m", "cation_transference_number",
                "separator_thickness_m", "separator_porosity", "separator_bruggeman"),
    ParameterUse("lfp_particle_diffusivity", "m**2/s"),
    ParameterUse("lfp_max_concentration", "mol/m**3"),
    ParameterUse("lfp_particle_radius", "m"),
    ParameterUse("lfp_electrode_porosity", "dimensionless"),
    ParameterUse("lfp_active_material_volume_fraction", "dimensionless"),
    ParameterUse("lfp_electrode_conductivity", "S/m"),
    ParameterUse("lfp_bruggeman_coefficient", "dimensionless"),
    ParameterUse("thermodynamic_factor", "dimensionless"),
)

#: Names of the inputs of the built model (changed without rebuilding).
IN_CURRENT = "Current function [A]"
IN_X0 = "Initial concentration in positive electrode [mol.m-3]"
IN_RC = "Contact resistance [Ohm]"
IN_I0_LI = "Li exchange current density in the model [A.m-2]"
IN_J0_LFP = "LFP exchange current factor"
IN_DS = "LFP particle diffusivity at the reference temperature [m2.s-1]"
#: Fraction of the bulk electrolyte concentration below which the electrolyte at the Li
#: surface counts as depleted (the Li exchange current ∝ √c_e is then below 10 % of its
#: bulk value) [-]. Assumed: 1 %; at 253 K the 11.5 mg/cm2 cell's 1C charge ended at the
#: cut-off with 1e-4 mol/m3 of 1000 there.
DEPLETED_FRACTION = 0.01

#: Inputs of the voltage hold (:meth:`LFPHalfCell.hold_voltage`): the held voltage and the
#: current at which the hold ends.
IN_VOLTAGE = "Voltage function [V]"
IN_HOLD_CUTOFF = "Voltage hold cut-off current [A]"


#: Relative tolerance of the DFN's solver [-]. 1e-6: with 1e-5 the end of a slow
#: discharge, on the steep fall of the voltage near full lithiation, was placed up to
#: 2.5e-4 of the LFP's capacity late in some solves (0.01C, 0.03C; a cycle CE of 1.0002);
#: 1e-6 places it within 1e-7 from 0.005 to 2C, for ~10 % more CPU per 1C cycle and ~25 %
#: over the 300 cycles of the limetal_cycle_300 benchmark (docs/limetal.md, "Coulombic
#: efficiency", "Benchmarks").
DFN_RTOL = 1e-6
#: Absolute tolerance of the DFN's scaled states [-]: the recipes' atol (``solver:`` in
#: models/*.yaml), so that :class:`hemcell.idaklu.StateToleranceSolver` holds the
#: potentials (volts, scale 1) to POTENTIAL_SCALE_V x 1e-8 = 1 uV, as in every other model,
#: and the concentrations (scaled by c_max and c_e0) and A h to 1e-8. Was 1e-7 on every
#: state (potentials to 0.1 uV); docs/limetal.md "Solver".
DFN_ATOL = 1e-8
#: IDAKLU threads [-]: one. They only run the inputs of a multi-input solve (the rate test)
#: in parallel; on the 2-core machine, shared by the tests' two workers, two threads ran
#: the 6-rate sweep no faster (docs/limetal.md "Solver").
DFN_THREADS = 1


#: SUNDIALS' environment variable naming the file its logger writes error lines to,
#: read when a solver's SUNDIALS context is created (at a model's set-up, the first solve).
SUNDIALS_ERROR_FILE_VARIABLE = "SUNLOGGER_ERROR_FILENAME"


@contextmanager
def _sundials_errors_unprinted() -> Iterator[None]:
    """Send SUNDIALS' error lines to the null device for the solver contexts created inside.

    IDA writes every failure as a raw line to stderr ("[ERROR][rank 0][.../idas_ic.c:1411]
    [IDAICFailFlag] The linesearch algorithm failed ..."), and the same failure comes back
    to hemcell as PyBaMM's ``SolverError`` (its flag, e.g. ``IDA_CONV_FAIL``), which the
    commands report in words with the step. The lines go to the file named by
    :data:`SUNDIALS_ERROR_FILE_VARIABLE` (SUNDIALS 7 ``SUNLogger_CreateFromEnv``), read
    when the context is created; it is set to :data:`os.devnull` for that moment and
    restored after. Nothing else is held: what the process writes to stderr during a solve
    (progress lines, warnings) appears when written. A value set by the user is kept
    (``SUNLOGGER_ERROR_FILENAME=stderr hemcell limetal ...`` shows the lines).
    """
    if SUNDIALS_ERROR_FILE_VARIABLE in os.environ:
        yield
        return
    os.environ[SUNDIALS_ERROR_FILE_VARIABLE] = os.devnull
    try:
        yield
    finally:
        os.environ.pop(SUNDIALS_ERROR_FILE_VARIABLE, None)


#: Length of the solve that checks where a step starts [s]: numerical, the first output
#: after t = 0 (PyBaMM needs two times); the check is made at t = 0.
START_PROBE_S = 1e-3
#: Most halvings of a step's current at which its start is checked when it cannot be
#: solved at the step's own current [-]: a search depth, not a bound of the cell (30
#: halvings reach 1e-9 of the current; 2000C reached a verdict at the first, 1000C).
START_PROBE_HALVINGS = 30
#: Most geometric bisections between a current whose start is inside the cut-offs and
#: one whose start does not solve [-]: a search depth (12 narrow a factor of 2 to 0.02 %).
START_PROBE_BISECTIONS = 12


def _cutoff_at_start(failure: str) -> str | None:
    """The voltage cut-off ("Minimum voltage", "Maximum voltage") that PyBaMM's message
    ``failure`` says the cell starts beyond, or None."""
    if "non-positive at initial conditions" not in failure:
        return None
    for event in ("Minimum voltage", "Maximum voltage"):
        if event in failure:
            return event
    return None


def dfn_solver() -> Any:
    """The solver of the Li‖LFP DFN (and its voltage hold): hemcell's IDAKLU solver
    (:class:`hemcell.idaklu.StateToleranceSolver`, potentials at 1 µV) with
    :data:`DFN_RTOL`, :data:`DFN_ATOL`, :data:`DFN_THREADS` and the stall guard
    (:func:`hemcell.idaklu.with_stall_guard`)."""
    from hemcell.idaklu import StateToleranceSolver, with_stall_guard  # imports PyBaMM

    return StateToleranceSolver(rtol=DFN_RTOL, atol=DFN_ATOL,
                                options=with_stall_guard({"num_threads": DFN_THREADS}))


@dataclass
class LFPCellGeometry:
    """Derived sizes of the Li‖LFP coin cell."""

    c_max_mol_per_m3: float
    active_fraction: float
    density_kg_per_m3: float
    thickness_m: float
    mass_kg: float
    theoretical_capacity_Ah: float
    current_1c_A: float
    pore_volume_m3: float

    @property
    def lfp_sites_mol(self) -> float:
        """Li sites of the LFP electrode, theoretical capacity / F [mol]."""
        return self.theoretical_capacity_Ah * 3600.0 / FARADAY_C_PER_MOL


def lfp_geometry(p: LiMetalParameters, c_max_mol_per_m3: float, active_fraction: float,
                 porosity: float) -> LFPCellGeometry:
    r"""LFP density, electrode thickness, mass, capacity, 1C current and pore volume
    (``A_c L eps``) from the loading.

    :math:`\rho_{LFP} = c_{max} F / (\text{1C specific current} \times 1\,h)`,
    :math:`L = m_{LFP} / (\rho_{LFP}\,\varepsilon_{AM})` (module docstring).

    Raises
    ------
    InputError
        Naming ``lfp_mass_loading`` when :math:`L` exceeds the registry's upper bound of
        ``lfp_electrode_thickness`` (300 um): the loading is the value the user gives,
        the thickness follows from it.
    """
    spec_cap_C_per_kg = p.lfp_specific_current_1c_A_per_kg * 3600.0  # 1C for 1 h
    rho = c_max_mol_per_m3 * FARADAY_C_PER_MOL / spec_cap_C_per_kg
    thickness = p.lfp_mass_loading_kg_per_m2 / (rho * active_fraction)
    bound = registry()["lfp_electrode_thickness"]
    if bound.max is not None and not bound.contains(thickness):
        loading_max = bound.max * rho * active_fraction
        raise InputError(
            "lfp_mass_loading", f"{p.lfp_mass_loading_kg_per_m2 * 100.0:.4g} mg/cm**2",
            f"a loading whose LFP electrode is at most {bound.max * 1e6:.4g} um thick (the "
            f"bound of lfp_electrode_thickness): <= {loading_max * 100.0:.4g} mg/cm**2 at "
            f"this LFP density ({rho:.4g} kg/m**3) and active fraction "
            f"({active_fraction:.4g})",
            hint=f"it makes a {thickness * 1e6:.4g} um electrode "
                 "(L = m / (rho_LFP eps_AM), docs/limetal.md)")
    mass = p.lfp_mass_loading_kg_per_m2 * p.cathode_area_m2
    return LFPCellGeometry(c_max_mol_per_m3, active_fraction, rho, thickness, mass,
                           mass * spec_cap_C_per_kg / 3600.0,
                           mass * p.lfp_specific_current_1c_A_per_kg,
                           p.cathode_area_m2 * thickness * porosity)


def lfp_diffusivity_factor(p: LiMetalParameters, temperature_K: Any, exp: Any = None) -> Any:
    """``D_s(T)/D_s(T_ref)`` of the LFP particles, Arrhenius
    (:func:`hemcell.laws.arrhenius_factor`) with ``lfp_particle_diffusivity_activation_energy``
    from ``reference_temperature`` (the calibration's temperature); ``exp`` as there."""
    return arrhenius_factor(p.lfp_diffusivity_activation_energy_J_per_mol, temperature_K,
                            p.reference_temperature_K, exp=exp)


def sized_values(p: LiMetalParameters, pset: Any) -> tuple[Any, LFPCellGeometry]:
    """The set's PyBaMM values (Prada2013 base + the set) sized as the Li‖LFP cell: the
    cathode area, the LFP thickness and capacity from the loading (:func:`lfp_geometry`),
    the cell temperature (ambient, and initial for thermal models); and that geometry.

    Temperature: the cell is isothermal at ``T = p.temperature_K``. The set's constant
    electrolyte conductivity and diffusivity (Valøen & Reimers at 1 M, 298.15 K) are
    carried to T by the same fits (:attr:`LiMetalParameters.cell_electrolyte_conductivity_S_per_m`),
    the LFP particle diffusivity by Arrhenius (:func:`lfp_diffusivity_factor`); the LFP
    and Li exchange currents carry their own Arrhenius factors.
    """
    values = pset.to_pybamm_parameter_values()
    geo = lfp_geometry(p, float(values["Maximum concentration in positive electrode [mol.m-3]"]),
                       float(values["Positive electrode active material volume fraction"]),
                       float(values["Positive electrode porosity"]))
    values.update({
        "Electrode height [m]": p.cathode_area_m2,
        "Electrode width [m]": 1.0,
        "Positive electrode thickness [m]": geo.thickness_m,
        "Nominal cell capacity [A.h]": geo.theoretical_capacity_Ah,
        "Ambient temperature [K]": p.temperature_K,
        "Initial temperature [K]": p.temperature_K,
        "Electrolyte conductivity [S.m-1]": p.cell_electrolyte_conductivity_S_per_m,
        "Electrolyte diffusivity [m2.s-1]": p.cell_electrolyte_diffusivity_m2_per_s,
        "Positive particle diffusivity [m2.s-1]": float(pset.si["lfp_particle_diffusivity"])
        * lfp_diffusivity_factor(p, p.temperature_K),
    }, check_already_exists=False)
    return values, geo


def model_exchange_current_A_per_m2(p: LiMetalParameters) -> float:
    """Li exchange current as carried by the 1D model at the reference temperature.

    ``i0 A_Li / A_c`` with the cell's ``i0(T_ref)``
    (:attr:`LiMetalParameters.exchange_current_ref_A_per_m2`): cathode-area current
    density, Li-area kinetics, cell-averaged (no focusing factor: it is in the measured
    resistance, :mod:`hemcell.limetal.kinetics`). The model applies the Arrhenius factor
    at its temperature (:func:`build_half_cell`), so at the cell temperature it carries
    ``p.exchange_current_A_per_m2 A_Li / A_c``.
    """
    return p.exchange_current_ref_A_per_m2 * p.li_electrode_area_m2 / p.cathode_area_m2


def contact_resistance_ohm(p: LiMetalParameters, layer_resistance_ohm_m2: float = 0.0) -> float:
    """PyBaMM contact resistance [Ohm] for the film plus the dead-Li/SEI layer."""
    return (p.film_resistance_ohm_m2 + layer_resistance_ohm_m2) / p.li_electrode_area_m2


#: Input name of the lithiation in :meth:`LFPHalfCell.open_circuit_V`'s expression.
_OCP_LITHIATION = "LFP lithiation for the open-circuit potential"


@dataclass
class LFPHalfCell:
    """A built Li‖LFP DFN with the protocol quantities as inputs.

    Attributes
    ----------
    params
        The cell parameters.
    geometry
        Derived sizes.
    simulation
        The ``pybamm.Simulation`` (built once; inputs change current, initial state,
        contact resistance, Li exchange current and the calibrated LFP values).
    base_inputs
        Input values for the nominal parameters.
    """

    params: LiMetalParameters
    geometry: LFPCellGeometry
    simulation: Any
    base_inputs: dict[str, float] = field(default_factory=dict)
    _hold: Any = field(default=None, repr=False)
    _ocp: Any = field(default=None, repr=False)

    def inputs(self, **changes: float) -> dict[str, float]:
        """Nominal inputs with keyword changes (``current_A``, ``x0``, ``contact_ohm``,
        ``i0_li``, ``j0_lfp``, ``ds``)."""
        keys = {"current_A": IN_CURRENT, "x0": IN_X0, "contact_ohm": IN_RC, "i0_li": IN_I0_LI,
                "j0_lfp": IN_J0_LFP, "ds": IN_DS}
        out = dict(self.base_inputs)
        for k, v in changes.items():
            if k == "x0":
                out[IN_X0] = v * self.geometry.c_max_mol_per_m3
            else:
                out[keys[k]] = v
        return out

    def solve(self, inputs: dict[str, float] | list[dict[str, float]], t_end_s: float,
              step: str, t_interp: Any = None) -> Any:
        """Solve to ``t_end_s`` or the first voltage cut-off; return the solution(s).

        SUNDIALS' raw error lines are not printed (:func:`_sundials_errors_unprinted`): a
        failure is reported by the errors below.

        Raises
        ------
        InputError
            A current (one input set) at which the cell starts beyond a voltage cut-off:
            the C-rate is too high for the cell (PyBaMM: "Events ['Minimum voltage [V]']
            are non-positive at initial conditions", which ended the run with exit 1). When
            the start itself cannot be solved at that current, the start is checked at
            lower ones (:meth:`_start_beyond_cutoff`).
        SimulationError
            If the solver fails (with several input sets, the rate test checks them one
            by one).
        """
        import numpy as np
        import pybamm

        t_eval = [0.0, t_end_s]
        if t_interp is None:
            t_interp = np.linspace(0.0, t_end_s, 400)
        try:
            with _sundials_errors_unprinted():
                return self.simulation.solve(t_eval, inputs=inputs, t_interp=t_interp)
        except pybamm.SolverError as exc:
            text = str(exc)
            if not isinstance(inputs, dict):
                raise SimulationError(f"Li||LFP DFN solve failed: {text}", step=step) from exc
            cutoff, probe_c_rate = self._start_beyond_cutoff(inputs, text)
            if cutoff:
                raise self._beyond_cutoff(inputs, cutoff == "Minimum voltage", step,
                                          probe_c_rate) from exc
            c_rate = abs(inputs[IN_CURRENT]) / self.geometry.current_1c_A
            if probe_c_rate is None:  # the start solves: the solve failed after it
                raise SimulationError(f"Li||LFP DFN solve failed: {text}", step=step) from exc
            raise SimulationError(
                f"the Li||LFP cell's state at the start of the step could not be solved at "
                f"{c_rate:.4g}C (PyBaMM: {text}); at {probe_c_rate:.4g}C it starts inside "
                f"its cut-offs {self.params.lower_cutoff_V:g}-{self.params.upper_cutoff_V:g} "
                "V", step=step, time_s=0.0, hint="a lower C-rate") from exc

    def _start_at(self, inputs: dict[str, float]) -> str | None:
        """Where the cell starts at ``inputs``: the cut-off event ("Minimum voltage",
        "Maximum voltage") it starts beyond, ``""`` inside the cut-offs, ``None`` if its
        state at t = 0 cannot be solved (a solve of :data:`START_PROBE_S`)."""
        import pybamm

        try:
            with _sundials_errors_unprinted():
                self.simulation.solve([0.0, START_PROBE_S], inputs=inputs)
        except pybamm.SolverError as exc:
            return _cutoff_at_start(str(exc))
        return ""

    def _start_beyond_cutoff(self, inputs: dict[str, float], failure: str
                             ) -> tuple[str | None, float | None]:
        r"""Whether a step that failed with ``failure`` starts beyond a voltage cut-off.

        The cut-off check is PyBaMM's: its cut-off events evaluated at the consistent
        state at t = 0 ("Events [...] are non-positive at initial conditions"), the one
        check of this class (:meth:`_beyond_cutoff`). At a current far beyond the cell
        (``limetal cycle --c-rate 2000``: a charge from the fully discharged LFP), IDA
        cannot find that state and fails at t = 0 before the check. The check is then
        made at the current halved, up to :data:`START_PROBE_HALVINGS` times, until the
        start solves, then between the highest current that starts inside the cut-offs and
        the lowest that does not solve (:data:`START_PROBE_BISECTIONS` geometric
        bisections): the voltage at t = 0, the open-circuit voltage plus (charge) or less
        (discharge) the overpotentials and the drop :math:`IR`, moves monotonically with
        the current, so a start beyond a cut-off at a lower current is beyond it at the
        higher one too (``--c-rate 5000``: 2500C and 1250C do not solve, 625C starts
        inside, 884C above 4 V).

        Returns
        -------
        (cut-off event or None, C-rate of the verdict or None)
            ``(event, None)``: beyond at this current; ``(event, c)``: beyond already at
            the lower C-rate ``c``; ``(None, None)``: the start at this current solves (the
            failure came later); ``(None, c)``: it does not, and at ``c`` the cell starts
            inside its cut-offs (or nothing solved down to ``c``).
        """
        current = inputs[IN_CURRENT]
        verdict = _cutoff_at_start(failure)
        if verdict:
            return verdict, None
        verdict = self._start_at(inputs)
        if verdict is not None:  # beyond a cut-off (not said by the failure), or inside
            return verdict or None, None
        i1c = self.geometry.current_1c_A
        unsolved, inside = abs(current), None
        for k in range(1, START_PROBE_HALVINGS + 1):
            verdict = self._start_at({**inputs, IN_CURRENT: current / 2**k})
            if verdict:
                return verdict, abs(current) / 2**k / i1c
            if verdict == "":
                inside = abs(current) / 2**k
                break
            unsolved = abs(current) / 2**k
        if inside is None:
            return None, unsolved / i1c
        # the cut-off may lie between a start inside and one that does not solve
        for _ in range(START_PROBE_BISECTIONS):
            middle = math.sqrt(inside * unsolved)
            verdict = self._start_at({**inputs, IN_CURRENT: math.copysign(middle, current)})
            if verdict:
                return verdict, middle / i1c
            if verdict == "":
                inside = middle
            else:
                unsolved = middle
        return None, inside / i1c

    def _beyond_cutoff(self, inputs: dict[str, float], lower: bool, step: str,
                       probe_c_rate: float | None = None) -> InputError:
        """The error of a step whose current puts the cell beyond a cut-off at t = 0
        (``probe_c_rate``: the lower C-rate at which that was found, when the start at
        this one could not be solved)."""
        current = inputs[IN_CURRENT]
        c_rate = abs(current) / self.geometry.current_1c_A
        p = self.params
        cutoff = p.lower_cutoff_V if lower else p.upper_cutoff_V
        side = "below" if lower else "above"
        found = "" if probe_c_rate is None else (
            f" (at this C-rate the start could not even be solved; at {probe_c_rate:.4g}C "
            f"the cell already starts {side} {cutoff:g} V, and the drop grows with the "
            "current)")
        return InputError(
            "C-rate (--c-rates, --c-rate)",
            f"{c_rate:.4g}C ({'discharge' if current > 0 else 'charge'}, {step})",
            f"a C-rate at which the cell starts inside its cut-offs {p.lower_cutoff_V:g}-"
            f"{p.upper_cutoff_V:g} V: at this one the voltage at t = 0, the open-circuit "
            f"voltage {'less' if lower else 'plus'} the drop at that current, is already "
            f"{side} {cutoff:g} V{found}", hint="a lower C-rate")

    def open_circuit_V(self, lithiation: float) -> float:
        """The LFP's open-circuit potential vs Li [V] at ``lithiation`` x = c_s/c_s,max
        as the DFN evaluates it: the set's OCP with PyBaMM's entropic term at the cell
        temperature and its asymptotes (-> -inf as x -> 1, +inf as x -> 0). The expression
        is built and parameterised once per cell, x an input (a root search calls this
        hundreds of times)."""
        import pybamm

        if self._ocp is None:
            param = pybamm.LithiumIonParameters({"working electrode": "positive"})
            u = param.p.prim.U(pybamm.InputParameter(_OCP_LITHIATION),
                               pybamm.Scalar(self.params.temperature_K))
            self._ocp = self.simulation.parameter_values.process_symbol(u)
        return float(self._ocp.evaluate(inputs={_OCP_LITHIATION: lithiation}))

    def rested_discharged_lithiation(self) -> float:
        r"""The LFP's lithiation at rest at the lower cut-off: x with
        :math:`U(x) = V_{min}` (:meth:`open_circuit_V`).

        It is the fully discharged LFP (PyBaMM's 0 % state of charge of a half cell, the
        :math:`x_0` of ``get_min_max_stoichiometries``): a discharge that ends at
        :math:`V_{min}` under current ends with every particle surface at or below it
        (the overpotentials and Ohmic drops lower the voltage below :math:`U(x_{surf})`),
        so no discharge to the cut-off lithiates the LFP further. The open-circuit
        potential falls monotonically (PyBaMM's asymptote takes it to -inf at x = 1), so
        the root is unique.

        Raises
        ------
        InputError
            Naming ``cell_lower_cutoff_voltage`` when the open-circuit potential of the
            charged state (``lfp_charged_stoichiometry``) is already at or below it.
        """
        from scipy.optimize import brentq

        p = self.params
        x_charged = p.lfp_charged_stoichiometry
        if not self.open_circuit_V(x_charged) > p.lower_cutoff_V:
            raise InputError(
                "cell_lower_cutoff_voltage", f"{p.lower_cutoff_V:g} V",
                f"a voltage below the LFP's open-circuit potential in the charged state "
                f"({self.open_circuit_V(x_charged):.4g} V at lfp_charged_stoichiometry "
                f"{x_charged:g})", hint="the usual Li||LFP window is 2.5-4.0 V")
        return float(brentq(lambda x: self.open_circuit_V(x) - p.lower_cutoff_V,
                            x_charged, 1.0, xtol=1e-12, rtol=1e-12))

    def hold_voltage(self, after: Any, inputs: dict[str, float], voltage_V: float,
                     cutoff_current_A: float, t_end_s: float, step: str) -> Any:
        """Continue the solution ``after`` (a current-controlled step of this cell) at the
        constant voltage ``voltage_V`` until the current magnitude falls to
        ``cutoff_current_A`` (the CV step of a CC-CV charge); return the continued
        solution (its ``Discharge capacity [A.h]`` continues from ``after``'s).

        The held model is the same DFN in PyBaMM's ``"operating mode": "voltage"`` (built
        on first use), with the same values and inputs, started from ``after``'s last
        state; its voltage cut-offs are moved 1 V out of the way (the voltage is imposed)
        and it ends on the event ``|I| = cutoff_current_A``.

        Raises
        ------
        SimulationError
            If the solver fails or the hold ends before the cut-off current.
        """
        import numpy as np
        import pybamm

        if self._hold is None:
            values = self.simulation.parameter_values.copy()
            values.update({IN_VOLTAGE: "[input]",
                           "Upper voltage cut-off [V]": self.params.upper_cutoff_V + 1.0,
                           "Lower voltage cut-off [V]": self.params.lower_cutoff_V - 1.0},
                          check_already_exists=False)
            model = pybamm.lithium_ion.DFN({"working electrode": "positive",
                                            "contact resistance": "true",
                                            "operating mode": "voltage"})
            model.events.append(pybamm.Event(
                "Voltage hold cut-off current",
                pybamm.AbsoluteValue(model.variables["Current [A]"])
                - pybamm.InputParameter(IN_HOLD_CUTOFF)))
            sim = pybamm.Simulation(model, parameter_values=values, solver=dfn_solver(),
                                    var_pts=self.simulation.var_pts)
            sim.build()
            self._hold = sim
        start = after.last_state
        # step() continues a solution that ended on time; this one ended on its voltage
        # cut-off, which is where the hold takes over
        start.termination = "final time"
        try:
            with _sundials_errors_unprinted():
                sol = self._hold.solver.step(
                    start, self._hold.built_model, t_end_s,
                    inputs={**inputs, IN_VOLTAGE: voltage_V, IN_HOLD_CUTOFF: cutoff_current_A},
                    t_interp=np.linspace(0.0, t_end_s, 100))
        except pybamm.SolverError as exc:
            raise SimulationError(
                f"Li||LFP DFN voltage hold failed: {exc} (the hold at {voltage_V:g} V began "
                f"at t = {float(after.t[-1]):.4g} s of the step, at the end of the current-"
                f"controlled charge, and was to end at |I| = {cutoff_current_A:.4g} A)"
                + self._depletion(after), step=step) from exc
        if "Voltage hold cut-off current" not in str(sol.termination):
            raise SimulationError(f"{step} ended without reaching its cut-off current "
                                  f"({sol.termination})", step=step, time_s=float(sol.t[-1]))
        return sol

    def _depletion(self, after: Any) -> str:
        """Why a voltage hold started from ``after`` can fail, if its electrolyte at the Li
        surface is depleted (below :data:`DEPLETED_FRACTION` of the bulk): the charge
        ended at the cut-off because the Li surface ran out of salt (the current exceeded
        the limiting current), and the hold starts at the singularity of the Li exchange
        current ∝ √c_e (and of ln c_e in the electrolyte potential); "" otherwise."""
        c_bulk = self.params.electrolyte_concentration_mol_per_m3
        c_li = float(after["Negative electrolyte concentration [mol.m-3]"].entries[-1])
        if c_li >= DEPLETED_FRACTION * c_bulk:
            return ""
        return (f"; the electrolyte at the Li surface was depleted when the hold began "
                f"({c_li:.3g} mol/m3, bulk {c_bulk:g}): the charge current exceeded the "
                f"cell's limiting current at {self.params.temperature_K:g} K, and the hold "
                "starts at the zero of the Li exchange current (sqrt c_e)")


def build_half_cell(p: LiMetalParameters, pset: Any, var_pts: dict[str, int] | None = None,
                    ) -> LFPHalfCell:
    """Build the Li‖LFP DFN half-cell with inputs for the protocol and calibration.

    Parameters
    ----------
    p
        Cell parameters.
    pset
        The parameter set (its PyBaMM values: Prada2013 base + the set's values).
    var_pts
        Mesh points (PyBaMM names ``x_s``, ``x_p``, ``r_p``); coarse defaults.
    """
    import pybamm

    values, geo = sized_values(p, pset)
    lfp_j0 = values["Positive electrode exchange-current density [A.m-2]"]
    c_ref = p.electrolyte_concentration_mol_per_m3

    def li_j0(c_e: Any, c_Li: Any, T: Any) -> Any:
        """Li exchange current: i0_ref (c_e/c_ref)^0.5 times the Arrhenius factor at T."""
        i0 = pybamm.InputParameter(IN_I0_LI)
        return i0 * (c_e / c_ref) ** 0.5 * arrhenius_factor(
            p.activation_energy_J_per_mol, T, p.reference_temperature_K, exp=pybamm.exp)

    def lfp_j0_scaled(c_e: Any, c_s_surf: Any, c_s_max: Any, T: Any) -> Any:
        """Prada2013 (Kashkooli 2017) LFP exchange current times a calibrated factor."""
        return pybamm.InputParameter(IN_J0_LFP) * lfp_j0(c_e, c_s_surf, c_s_max, T)

    def lfp_diffusivity(sto: Any, T: Any) -> Any:
        """The LFP particle diffusivity at reference_temperature (an input) at T."""
        return pybamm.InputParameter(IN_DS) * lfp_diffusivity_factor(p, T, exp=pybamm.exp)

    values.update({
        "Exchange-current density for lithium metal electrode [A.m-2]": li_j0,
        "Positive electrode exchange-current density [A.m-2]": lfp_j0_scaled,
        "Lower voltage cut-off [V]": p.lower_cutoff_V,
        "Upper voltage cut-off [V]": p.upper_cutoff_V,
        IN_CURRENT: "[input]",
        IN_X0: "[input]",
        IN_RC: "[input]",
        "Positive particle diffusivity [m2.s-1]": lfp_diffusivity,
    }, check_already_exists=False)
    ds_nominal = float(pset.si["lfp_particle_diffusivity"])
    model = pybamm.lithium_ion.DFN({"working electrode": "positive",
                                    "contact resistance": "true"})
    pts = {"x_n": 10, "x_s": 10, "x_p": 15, "r_n": 15, "r_p": 15}
    pts.update(var_pts or {})
    sim = pybamm.Simulation(model, parameter_values=values, solver=dfn_solver(), var_pts=pts)
    base = {
        IN_CURRENT: geo.current_1c_A,
        IN_X0: p.lfp_charged_stoichiometry * geo.c_max_mol_per_m3,
        IN_RC: contact_resistance_ohm(p),
        IN_I0_LI: model_exchange_current_A_per_m2(p),
        IN_J0_LFP: p.lfp_exchange_current_factor,
        IN_DS: ds_nominal,
    }
    return LFPHalfCell(p, geo, sim, base)


def specific_capacity_mAh_per_g(cell: LFPHalfCell, charge_Ah: float) -> float:
    """Capacity per gram of LFP [mAh/g]."""
    return charge_Ah * 3600.0 / cell.geometry.mass_kg / MAH_PER_G_IN_C_PER_KG


@dataclass
class RateResult:
    """Discharge capacities and curves of a rate test."""

    c_rates: list[float]
    capacity_mAh_per_g: list[float]
    curves: list[dict[str, list[float]]]
    terminations: list[str]


def rate_test(cell: LFPHalfCell, c_rates: Sequence[float], **input_changes: float
              ) -> RateResult:
    """Discharge from the charged state at each C-rate to the lower cut-off.

    One built model, all C-rates solved in one multi-input call (on :data:`DFN_THREADS`).
    Each discharge starts from the rested charged state ``lfp_charged_stoichiometry``
    (charge at low rate and full relaxation before each discharge: assumed protocol).

    Raises
    ------
    InputError
        Non-positive C-rates, or one at which the cell starts below its lower cut-off
        (:meth:`LFPHalfCell.solve`).
    """
    import numpy as np

    rates = [float(c) for c in c_rates]
    if not rates or any(c <= 0 or not math.isfinite(c) for c in rates):
        raise InputError("--c-rates", c_rates, "positive C-rates, e.g. 0.1,0.5,1")
    i1c = cell.geometry.current_1c_A
    inputs = [cell.inputs(current_A=c * i1c, **input_changes) for c in rates]
    t_end = 1.3 * 3600.0 / min(rates)
    t_interp = np.unique(np.concatenate([np.linspace(0.0, 1.3 * 3600.0 / c, 300)
                                         for c in rates]))
    try:
        sols = cell.solve(inputs, t_end, step="rate discharge", t_interp=t_interp)
    except SimulationError:
        for single in inputs:  # one C-rate that starts beyond a cut-off: InputError
            cell.solve(single, 1e-3, step="rate discharge, initial voltage")
        raise
    if not isinstance(sols, list):
        sols = [sols]
    caps, curves, terms = [], [], []
    for c, sol in zip(rates, sols, strict=True):
        q_Ah = sol["Discharge capacity [A.h]"].entries
        v = sol["Voltage [V]"].entries
        if str(sol.termination).find("Minimum voltage") < 0:
            raise SimulationError(f"{c}C discharge did not reach the lower cut-off "
                                  f"({sol.termination})", step=f"{c}C discharge",
                                  time_s=float(sol.t[-1]))
        caps.append(specific_capacity_mAh_per_g(cell, float(q_Ah[-1])))
        qs = np.asarray(q_Ah) * 3600.0 / cell.geometry.mass_kg / MAH_PER_G_IN_C_PER_KG
        curves.append({"capacity_mAh_per_g": qs.tolist(), "voltage_V": np.asarray(v).tolist()})
        terms.append(str(sol.termination))
    return RateResult(rates, caps, curves, terms)
