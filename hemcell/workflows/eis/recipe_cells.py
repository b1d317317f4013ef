r"""Spectra of the recipe cells: the HEM anode half cell, a cathode half cell, a full cell.

:class:`CellSpectrumModel` builds a cell's impedance model once (the recipe's PyBaMM
model with double layers, the applied current an input; values a fit changes as
``pybamm.InputParameter``) and, per spectrum, finds its rested operating point
(:class:`OperatingPoint`: as made, after the ``--soc`` charge of :func:`soc_protocol` or
after a ``--protocol``, taken to another temperature by :data:`SETTLE_STEP`), linearises
the model about it and solves one LU per frequency. :func:`anode_spectrum`,
:func:`cathode_spectrum` and :func:`full_spectrum` build it for one spectrum. The
model's own charge-transfer resistances come from the same linearisation:
:func:`kinetic_resistance_ohm` (:math:`\mathrm{Re}(\hat\eta/\hat I_F)`, which is
:math:`RT/(n F i_0 S)` for Butler–Volmer at rest), per HEM-anode mechanism
:func:`mechanism_charge_transfer_resistance_ohm` (where the composition is frozen,
:data:`KINETIC_LIMIT_FREQUENCIES_HZ`), and the storage rule
:func:`storage_impedance_ratio` (:data:`STORAGE_DOMINANCE_RATIO`, derived for a storage
capacitor behind R_ct; docs/eis.md *The storage rule*).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from hemcell.errors import InputError, SimulationError
from hemcell.workflows.eis.inputs import (
    EIS_PARAMETERS,
    Spectrum,
    check_anode_recipe,
    check_anode_soc,
    check_cell_soc,
    check_recipe,
    eis_values,
    refuse_ambient_with_temperature,
)
from hemcell.workflows.eis.spectra import VOLTAGE, _half_cell_terms, half_cell_processes


def anode_spectrum(recipe: str, params: str, temperature_K: float | None,
                   frequencies_Hz: np.ndarray, soc: float | None, protocol: str | None,
                   overrides: Sequence[str] = (), extra: Mapping[str, float] | None = None,
                   ion: str | None = None) -> Spectrum:
    """HEM anode half-cell spectrum, fresh or after a protocol, per-mechanism current split.

    ``soc`` (fraction of the theoretical capacity) becomes the protocol "lithiate at
    0.1 A/g for soc x capacity, rest 30 min"; ``protocol`` is any PyBaMM step list.
    ``ion`` (Li, Na, K) brings the carrier's electrolyte, metal counter electrode and
    conversion branches, as ``hemcell cell run --ion`` (:mod:`hemcell.cell.carriers`).
    Built for this one spectrum (:class:`CellSpectrumModel`).
    """
    return CellSpectrumModel("anode", recipe, params, temperature_K, soc, overrides, extra,
                             ion, protocol=protocol).spectrum(frequencies_Hz)


def anode_cell_simulation(recipe: str, params: str, temperature_K: float | None,
                          soc: float | None, protocol: str | None,
                          overrides: Sequence[str] = (),
                          extra: Mapping[str, float] | None = None, ion: str | None = None,
                          input_names: Sequence[str] = ()
                          ) -> tuple[Any, dict[str, Any], Any, Any, str | None, list[str]]:
    """The built impedance model of :func:`anode_spectrum` (at its fresh state).

    ``input_names``: set entries and :data:`EIS_PARAMETERS` that enter the model as
    ``pybamm.InputParameter`` (:class:`CellSpectrumModel`), at their values of
    ``overrides``/``extra`` in ``inputs``.

    Returns
    -------
    tuple
        ``(simulation, inputs, setup, parameter_values, steps, warnings)``: the
        :class:`pybamm.Simulation` of the recipe's ``HEMHalfCell`` built with ``inputs``
        (the applied current an input, 0 A), the
        :class:`hemcell.workflows.anode.CellSetup` of the steps that reach the state
        (``soc``: lithiate at 0.1 A/g, rest 30 min; or ``protocol``; ``None``: fresh),
        the model's parameter values and the electrolyte's temperature warnings.

    Raises
    ------
    InputError
        Not a half-cell recipe, ``soc`` and ``protocol`` together, a bad ``soc``, a
        protocol that does not end with a rest, a bad ``--set`` entry.
    """
    import pybamm

    from hemcell.materials.lipf6_electrolyte import valoen_electrolyte_warnings
    from hemcell.workflows import eis_models as em
    from hemcell.workflows.anode import build_simulation, prepare_cell

    check_anode_recipe(recipe)
    ev = eis_values(extra)
    sets = _recipe_overrides(overrides, ev, temperature_K)
    steps = protocol
    if soc is not None:
        if protocol:
            raise InputError("--soc/--protocol", (soc, protocol), "one of them, not both")
        check_anode_soc(soc)
    setup = prepare_cell(recipe, params, steps or "Rest for 1 minute", overrides=sets, ion=ion,
                         command="eis anode")
    if protocol and not isinstance(setup.experiment.steps[-1], pybamm.step.Rest):
        # the spectrum is linearised about the state the protocol ends in: under current
        # that state is not stationary (max |F(y*)| ~ 10 after a discharge, 0.08 after
        # one minute of rest, 0.002 after an hour)
        raise InputError("--protocol", protocol, "PyBaMM steps that end with a rest "
                         "(the spectrum is taken about a rested state)",
                         hint=f"e.g. --protocol '{protocol}; Rest for 1 hour'")
    if soc is not None:
        hours = soc * setup.theoretical_capacity_mAh_per_g / 100.0  # at 0.1 A/g = 100 mA/g
        setup = prepare_cell(recipe, params, f"Discharge at 0.1 A/g for {hours:.6g} hours; "
                             "Rest for 30 minutes", overrides=sets, ion=ion)
        steps = setup.protocol
    values, si_in, _ = _input_parameters(input_names, setup.si, ev)
    pv = _cell_values(setup, si_in) if input_names else setup.parameter_values
    warnings = valoen_electrolyte_warnings(pv)  # the Li half-cell's Xu2019 electrolyte
    pv.update({"Current function [A]": em.applied_current}, check_already_exists=False)
    sim = build_simulation(setup.recipe, pv, setup.inventory,
                           submesh_types=em.HALF_CELL_SUBMESHES)
    inputs = {em.IN_CURRENT: 0.0, **em.SINE_INPUTS, **values}
    sim.build(inputs=inputs)
    return sim, inputs, setup, pv, steps, warnings


def _recipe_overrides(overrides: Sequence[str], ev: Mapping[str, float],
                      temperature_K: float | None) -> list[str]:
    """The ``--set`` entries an anode half cell or a full cell is prepared with: the
    user's, the EIS double-layer relaxation time (``ev``) and, at ``temperature_K``, the
    ambient temperature (``None``: the set's own)."""
    sets = [*overrides,
            f"anode_double_layer_relaxation_time={ev['anode_double_layer_relaxation_time']} s"]
    if temperature_K is not None:
        refuse_ambient_with_temperature(overrides)
        sets.append(f"ambient_temperature={temperature_K} K")
    return sets


def _cell_values(setup: Any, si: Mapping[str, Any]) -> Any:
    """The PyBaMM values of :func:`hemcell.workflows.anode.prepare_cell` (its parameter
    mapping and the capacity C-rates refer to) from SI values ``si`` that hold input
    parameters: a value the mapping needs as a number raises (TypeError: ``float()`` of a
    symbol), so no number is taken from ``setup``."""
    from hemcell.cell.capacity import rate_cell, theoretical_capacity
    from hemcell.cell.full_cell import full_cell_values
    from hemcell.cell.parameters import pybamm_values

    rec, inv = setup.recipe, setup.inventory
    if rec.cell == "full":
        pv = full_cell_values(si, inv, rec.cathode, rec.mechanisms, rec.n_p_ratio,
                              rec.thermal)
    else:
        pv = pybamm_values(dict(si), inv, mechanisms=rec.mechanisms,
                           reader=f"recipe {rec.name}")
    rate_cell(pv, rec.cell, sum(theoretical_capacity(si, inv, rec.mechanisms).values()))
    return pv


#: C-rate of the charge that sets ``--soc`` of a cathode half cell or full cell: C/10 of
#: the charge between the as-made state and the upper cut-off (assumed: as the anode's
#: 0.1 A/g, slow enough that the rest after it leaves little to relax; the state is the
#: charge passed, not the rate).
SOC_CHARGE_HOURS = 10.0
#: Rest after that charge [min] (assumed): the particles and the electrolyte relax
#: (the drift max |F(y*)| of the state is reported in summary.json).
SOC_REST_MINUTES = 60


def soc_protocol(pv: Any, soc: float) -> tuple[str, float]:
    r"""The charge that takes a cathode-set or full cell from its as-made (discharged)
    state to ``soc``, and the charge it passes [A h].

    ``soc`` is the fraction of the cathode's charge between its as-made stoichiometry
    :math:`\theta_0` and :math:`\theta_{ch}`, where its OCP is the upper cut-off
    (:func:`hemcell.workflows.eis_models.charged_stoichiometry`):
    :math:`Q = \mathrm{soc}\,(\theta_0 - \theta_{ch})\,c_{max} F \varepsilon_s L A`,
    passed at C/:data:`SOC_CHARGE_HOURS` of :math:`(\theta_0 - \theta_{ch}) c_{max} F
    \varepsilon_s L A`, then :data:`SOC_REST_MINUTES` of rest. In a full cell the same
    charge leaves the cathode (whatever the anode's first-lithiation losses).
    """
    from hemcell.cell.cathodes import nominal_capacity_Ah
    from hemcell.workflows import eis_models as em

    check_cell_soc(soc)
    theta0 = float(pv["Initial concentration in positive electrode [mol.m-3]"]
                   / pv["Maximum concentration in positive electrode [mol.m-3]"])
    window_Ah = (theta0 - em.charged_stoichiometry(pv)) * nominal_capacity_Ah(pv)
    if window_Ah <= 0:
        raise InputError("--soc", soc, "a cell whose as-made cathode is below its upper "
                         "cut-off (this one starts charged)")
    current_A = window_Ah / SOC_CHARGE_HOURS
    hours = soc * SOC_CHARGE_HOURS
    return (f"Charge at {current_A:.10g} A for {hours * 3600:.10g} seconds; "
            f"Rest for {SOC_REST_MINUTES} minutes", soc * window_Ah)


def _check_charge_passed(solution: Any, charge_Ah: float, soc: float) -> None:
    """Refuse an ``--soc`` whose charge ended at the upper cut-off before its time."""
    passed = -float(solution["Discharge capacity [A.h]"].entries[-1])
    if abs(passed - charge_Ah) > 1e-3 * charge_Ah:
        raise InputError("--soc", soc, "a state of charge the cell reaches before its "
                         f"upper cut-off (the charge stopped at {passed / charge_Ah * soc:.3g})",
                         hint="a smaller --soc")


#: The step that takes a state set at the state-of-charge temperature (the set's
#: ``ambient_temperature``, where ``--soc``/``--protocol`` run) to a spectrum's other
#: ``--temperatures``: a rest of 1 ms on the model at the new temperature, which makes the
#: potentials consistent with it (PyBaMM's consistent initialisation) and lets the
#: double layers' 1 ns relaxation settle, while the composition stays the state's
#: (assumed: 1e6 times the double layers' series RC time; the stored charges move by
#: <= 8e-8 in it, measured: docs/eis.md *Temperature of the state*).
SETTLE_STEP = "Rest for 0.001 seconds"

#: Frequencies [Hz] at which the charge-transfer resistance of an intercalation electrode
#: or a metal at rest is read (:func:`kinetic_resistance_ohm`). At rest (η = 0) the
#: linearised Butler–Volmer current is ĵ = j₀ nF/(RT) η̂ at every frequency (the term in
#: ĵ₀ carries sinh 0 = 0), so any frequency gives it; these are where the faradaic current
#: is well above round-off (at 1e4 Hz a cathode's double layer carries all but 1e-6 of it).
REST_RESISTANCE_FREQUENCIES_HZ = (0.1, 1.0)
#: Outputs of the cathode half cell read for the charge-transfer resistances: the
#: x-averaged cathode reaction overpotential and faradaic current, the metal's.
CATHODE_ETA = "X-averaged positive electrode reaction overpotential [V]"
CATHODE_FARADAIC = "X-averaged positive electrode volumetric interfacial current density [A.m-3]"
METAL_ETA = "Lithium metal interface reaction overpotential [V]"
METAL_FARADAIC = "Lithium metal plating current density [A.m-2]"


def cathode_half_cell_simulation(recipe: str, params: str, temperature_K: float | None,
                                 overrides: Sequence[str] = (),
                                 extra: Mapping[str, float] | None = None,
                                 ion: str | None = None, input_names: Sequence[str] = ()
                                 ) -> tuple[Any, dict[str, Any], Any, str, list[str]]:
    """The built impedance model of :func:`cathode_spectrum` at its as-made state.

    ``input_names``: set entries and :data:`EIS_PARAMETERS` that enter the model as
    ``pybamm.InputParameter`` (:class:`CellSpectrumModel`), at their values of
    ``overrides``/``extra`` in ``inputs``.

    Returns
    -------
    tuple
        ``(simulation, inputs, recipe, carrier, warnings)``: a :class:`pybamm.Simulation`
        built with ``inputs`` (the applied current
        :data:`~hemcell.workflows.eis_models.IN_CURRENT` an input, 0 A), its
        :class:`~hemcell.cell.recipes.Recipe`, the set's carrier ion and the temperature
        warnings. Its parameter values hold the set's cathode as ``cell run`` does.

    Raises
    ------
    InputError
        Not a cathode half-cell recipe or cathode set, another ion than the set's, an
        unread ``--set`` key, a molten counter electrode.
    """
    import pybamm

    from hemcell.workflows import eis_models as em
    from hemcell.workflows.cathode_half_cell import electrode_mesh

    pv, values, rec, carrier, warnings = cathode_half_cell_values(
        recipe, params, temperature_K, overrides, extra, ion, input_names)
    model = em.cathode_half_cell_model(rec.geometry)
    var_pts = {**model.default_var_pts, **electrode_mesh(model, rec, pv)}  # as cell run
    inputs = {em.IN_CURRENT: 0.0, **em.SINE_INPUTS, **values}
    sim = pybamm.Simulation(model, parameter_values=pv, var_pts=var_pts)
    sim.build(inputs=inputs)
    return sim, inputs, rec, carrier, warnings


def cathode_half_cell_values(recipe: str, params: str, temperature_K: float | None,
                             overrides: Sequence[str] = (),
                             extra: Mapping[str, float] | None = None,
                             ion: str | None = None, input_names: Sequence[str] = ()
                             ) -> tuple[Any, dict[str, float], Any, str, list[str]]:
    """The PyBaMM values of :func:`cathode_half_cell_simulation` at ``temperature_K``
    (``None``: the set's ambient temperature), with the EIS double layers and the applied
    current an input.

    Returns
    -------
    tuple
        ``(parameter_values, input_values, recipe, carrier, warnings)``.

    Raises
    ------
    InputError
        As :func:`cathode_half_cell_simulation`.
    """
    from hemcell.cell.cathodes import cathode_carrier, check_cathode_cell, half_cell_values
    from hemcell.cell.electrolytes import half_cell_temperature_warnings
    from hemcell.cell.recipes import load_recipe
    from hemcell.materials.lipf6_electrolyte import valoen_electrolyte_warnings
    from hemcell.workflows import eis_models as em
    from hemcell.workflows.cathode_half_cell import cathode_values

    check_recipe("cathode", recipe)
    rec = load_recipe(recipe)
    sets = list(overrides)
    if temperature_K is not None:
        refuse_ambient_with_temperature(overrides)
        sets.append(f"ambient_temperature={temperature_K} K")
    si, _ = cathode_values(params, sets, rec)
    carrier = cathode_carrier(si)
    check_cathode_cell(params, si, ion or carrier)
    ev = eis_values(extra)
    values, si_in, ev_in = _input_parameters(input_names, si, ev)
    pv = half_cell_values(params, si_in)
    T = float(pv["Ambient temperature [K]"])
    warnings = [*half_cell_temperature_warnings(carrier, T), *valoen_electrolyte_warnings(pv)]
    pv.update({"Positive electrode double-layer capacity [F.m-2]":
               ev_in["cathode_double_layer_capacity"],
               "Negative electrode double-layer capacity [F.m-2]":
               ev_in["counter_electrode_double_layer_capacity"],
               "Current function [A]": em.applied_current}, check_already_exists=False)
    return pv, values, rec, carrier, warnings


def _input_parameters(names: Sequence[str], si: Mapping[str, Any], ev: Mapping[str, float]
                      ) -> tuple[dict[str, float], dict[str, Any], dict[str, Any]]:
    """``names`` as ``pybamm.InputParameter``: their values (from ``si``, the set's SI
    values, or ``ev``, :data:`EIS_PARAMETERS`) and ``si``/``ev`` with the symbols."""
    import pybamm

    from hemcell.cell.carriers import carrier_substituted

    values, si_in, ev_in = {}, dict(si), dict(ev)
    if carrier_substituted(dict(si), names):
        raise ValueError("a value of the carrier-ion substitution cannot be an input")
    for name in names:
        where = ev_in if name in EIS_PARAMETERS else si_in
        if name not in where:
            raise ValueError(f"{name} is not a value of the cell's parameter set")
        values[name] = float(where[name])
        where[name] = pybamm.InputParameter(name)
    return values, si_in, ev_in


@dataclass
class OperatingPoint:
    """A built impedance model and the rested state it is linearised about.

    Attributes
    ----------
    simulation
        The :class:`pybamm.Simulation`, built with ``inputs`` (the applied current
        :data:`~hemcell.workflows.eis_models.IN_CURRENT` an input, 0 A).
    inputs
        Its input values at the state.
    state
        The state vector y*.
    protocol
        The steps run to reach it (``None``: the model's as-made state).
    recipe, carrier
        Recipe name and carrier ion.
    warnings
        The temperature warnings of the cell (those :func:`prepare_cell
        <hemcell.workflows.anode.prepare_cell>` has not written).
    setup
        A full cell's :class:`hemcell.workflows.anode.CellSetup` (``None``: cathode cell).
    """

    simulation: Any
    inputs: dict[str, Any]
    state: np.ndarray
    protocol: str | None
    recipe: str
    carrier: str
    warnings: list[str] = field(default_factory=list)
    setup: Any = None


class CellSpectrumModel:
    """The impedance model of a HEM anode half cell, a cathode half cell or a full cell,
    built once.

    What :func:`anode_spectrum`, :func:`cathode_spectrum` and :func:`full_spectrum`
    compute, split into what is built once (the discretised impedance model, the model of
    the ``soc`` charge or the ``protocol``, the CasADi form of the linearisation) and what
    is done per spectrum (the operating point, the linearisation about it, one LU per
    frequency). ``input_names`` (set
    entries and :data:`EIS_PARAMETERS`) enter both models as ``pybamm.InputParameter``:
    :meth:`spectrum` takes their values, so a fit evaluates the spectrum at new values
    without building anything (``hemcell fit``, :class:`hemcell.workflows.fit.
    ImpedanceProblem`). Without ``input_names`` it is the spectrum of the command.

    Parameters
    ----------
    cell
        ``anode``, ``cathode`` or ``full``.
    recipe, params, temperature_K, soc, overrides, extra, ion
        As :func:`anode_spectrum` / :func:`cathode_spectrum` / :func:`full_spectrum`;
        ``overrides``/``extra`` also give the values of ``input_names`` the model is
        built at.
    input_names
        Values that may change between spectra.
    protocol
        ``anode``: PyBaMM steps run first (as :func:`anode_spectrum`).

    Raises
    ------
    InputError
        As :func:`anode_spectrum` / :func:`cathode_spectrum` / :func:`full_spectrum`.
    TypeError, ValueError
        A value of ``input_names`` is needed as a number to build the model (it sets the
        mesh, the cell's sizing or the ``soc`` charge): such a value cannot be an input.
    """

    def __init__(self, cell: str, recipe: str, params: str, temperature_K: float | None,
                 soc: float | None, overrides: Sequence[str] = (),
                 extra: Mapping[str, float] | None = None, ion: str | None = None,
                 input_names: Sequence[str] = (), protocol: str | None = None) -> None:
        import pybamm

        from hemcell.cell.recipes import recipe_solver
        from hemcell.workflows import eis_models as em

        if cell not in ("anode", "cathode", "full"):
            raise InputError("CELL", cell, "anode | cathode | full")
        self.cell, self.soc, self.params = cell, soc, params
        self._recipe_source = recipe  # as given (a path too): _prepare reloads it
        self.input_names = tuple(input_names)
        if soc is not None and cell != "anode":
            check_cell_soc(soc)
        self.eis_values = eis_values(extra)
        self.protocol: str | None = None
        self._charge_Ah = 0.0
        self.setup: Any = None
        self._u_slice: slice | None = None
        #: the temperature the ``soc``/``protocol`` state is set at (None: no such state)
        self.state_temperature_K: float | None = None
        self._settle: Any = None
        if soc is not None or protocol:
            from hemcell.params import ambient_temperature_K

            self.state_temperature_K = ambient_temperature_K(params, list(overrides))
        other_T = temperature_K is not None and temperature_K != self.state_temperature_K
        if cell == "anode":
            sim, inputs, self.setup, pv, self.protocol, self.warnings = \
                anode_cell_simulation(recipe, params, temperature_K, soc, protocol,
                                      overrides, extra, ion, input_names)
            self.recipe = self.setup.recipe.name
            self.carrier = self.setup.si.get("_carrier_ion", "Li")
            self._charge_setup, charge_pv = self.setup, pv
            if self.protocol and other_T:
                self._charge_setup = self._prepare(params, self.protocol, overrides, None, ion)
                charge_pv = self._values(self._charge_setup)
                self._settle = _protocol_simulation(
                    self._prepare(params, SETTLE_STEP, overrides, temperature_K, ion),
                    em.HALF_CELL_SUBMESHES, pv)
            if self.protocol:
                self._charge = _protocol_simulation(self._charge_setup, em.HALF_CELL_SUBMESHES,
                                                    charge_pv)
        elif cell == "cathode":
            sim, inputs, rec, carrier, warnings = cathode_half_cell_simulation(
                recipe, params, temperature_K, overrides, extra, ion, input_names)
            self.recipe, self.carrier, self.warnings = rec.name, carrier, warnings
            if soc is not None:
                charge_pv = sim.parameter_values
                if other_T:
                    charge_pv = cathode_half_cell_values(recipe, params, None, overrides, extra,
                                                         ion, input_names)[0]
                    self._settle = pybamm.Simulation(
                        em.cathode_half_cell_model(rec.geometry),
                        parameter_values=sim.parameter_values, var_pts=sim.var_pts,
                        experiment=pybamm.Experiment([SETTLE_STEP]),
                        solver=recipe_solver(rec.solver))
                self.protocol, self._charge_Ah = soc_protocol(charge_pv, soc)
                self._charge = pybamm.Simulation(
                    em.cathode_half_cell_model(rec.geometry),
                    parameter_values=charge_pv, var_pts=sim.var_pts,
                    experiment=pybamm.Experiment([x.strip()
                                                  for x in self.protocol.split(";")]),
                    solver=recipe_solver(rec.solver))
        else:
            from hemcell.workflows.anode import cathode_carrier_ion

            sim, inputs, self.setup, pv = full_cell_simulation(
                recipe, params, temperature_K, soc, overrides, extra, ion, input_names)
            self.recipe = self.setup.recipe.name
            self.carrier, self.warnings = self.setup.si.get("_carrier_ion", "Li"), []
            model = sim.built_model
            u = next(v for v in model.y_slices if v.name == em.CATHODE_DOUBLE_LAYER_POTENTIAL)
            self._u_slice = model.y_slices[u][0]
            if soc is not None:
                self._charge_setup, charge_pv = self.setup, pv
                if other_T:
                    ion = ion or cathode_carrier_ion(recipe)
                    charge_pv = self._values(self._prepare(params, "Rest for 1 minute",
                                                           overrides, None, ion))
                    self._settle = _protocol_simulation(
                        self._prepare(params, SETTLE_STEP, overrides, temperature_K, ion),
                        em.FULL_CELL_SUBMESHES, pv)
                self.protocol, self._charge_Ah = soc_protocol(charge_pv, soc)
                if other_T:
                    self._charge_setup = self._prepare(params, self.protocol, overrides, None,
                                                       ion)
                    charge_pv = self._values(self._charge_setup)
                self._charge = _protocol_simulation(self._charge_setup, em.FULL_CELL_SUBMESHES,
                                                    charge_pv)
        self.simulation, self.inputs = sim, inputs
        self._lineariser: Any = None
        built = {p.name for p in sim.built_model.input_parameters}
        absent = [n for n in self.input_names if n not in built]
        if absent:  # its value would not move the spectrum of this model
            raise ValueError(f"{', '.join(absent)} is not an input of the built model")

    def _prepare(self, params: str, steps: str, overrides: Sequence[str],
                 temperature_K: float | None, ion: str | None) -> Any:
        """:func:`hemcell.workflows.anode.prepare_cell` of this anode half cell or full
        cell for ``steps`` at ``temperature_K`` (``None``: the set's own)."""
        from hemcell.workflows.anode import prepare_cell

        return prepare_cell(self._recipe_source, params, steps, ion=ion,
                            overrides=_recipe_overrides(overrides, self.eis_values,
                                                        temperature_K))

    def _values(self, setup: Any) -> Any:
        """The PyBaMM values of ``setup`` with :attr:`input_names` as input parameters."""
        if not self.input_names:
            return setup.parameter_values
        return _cell_values(setup, _input_parameters(self.input_names, setup.si,
                                                     self.eis_values)[1])

    def _settled(self, solution: Any, inputs: Mapping[str, Any], size: int) -> np.ndarray:
        """The state at the end of ``solution`` (set at :attr:`state_temperature_K`) after
        :data:`SETTLE_STEP` at rest at the spectrum's temperature."""
        import pybamm

        T = self.value("Ambient temperature [K]", self.inputs)
        try:
            sol = self._settle.solve(starting_solution=solution, inputs=dict(inputs))
        except pybamm.SolverError as exc:
            raise SimulationError(f"the state set at {self.state_temperature_K:.2f} K could "
                                  f"not be taken to {T:.2f} K: {exc}", step=SETTLE_STEP
                                  ) from None
        y = np.asarray(sol.last_state.y).reshape(-1)
        if y.size != size:
            raise SimulationError(f"settled state has {y.size} unknowns, the impedance model "
                                  f"{size}", step=SETTLE_STEP)
        return y

    def _inputs(self, values: Mapping[str, float] | None) -> dict[str, Any]:
        unknown = set(values or {}) - set(self.inputs)
        if unknown:
            raise InputError("values", sorted(unknown)[0], "an input of the built model: "
                             + ", ".join(sorted(set(self.inputs) - {"Current function [A]"})))
        return {**self.inputs, **(values or {})}

    def operating_point(self, values: Mapping[str, float] | None = None) -> OperatingPoint:
        """The rested state at ``values`` of the inputs: the as-made state, or the end of
        the ``soc`` charge and rest (run on the model of ``cell run``).

        Raises
        ------
        InputError
            The charge ended at the upper cut-off before it had passed its charge.
        SimulationError
            The charge failed.
        """
        import pybamm

        inputs = self._inputs(values)
        model = self.simulation.built_model
        y0 = model.concatenated_initial_conditions.evaluate(0, inputs=inputs).reshape(-1)
        named = {k: inputs[k] for k in self.input_names}
        if self.protocol and self.cell == "anode":
            y0, run = _state_after(self._charge_setup, self.protocol, y0.size,
                                   sim=self._charge, inputs=named)
            if self.soc is not None:
                _check_soc_reached(run, self.soc, self.setup.theoretical_capacity_mAh_per_g)
            if self._settle is not None:
                y0 = self._settled(run.solution, named, y0.size)
        elif self.protocol is not None and self.cell == "cathode":
            try:
                sol = self._charge.solve(inputs=inputs)
            except pybamm.SolverError as exc:
                raise SimulationError(f"the charge to --soc {self.soc:g} failed: {exc}",
                                      step=self.protocol) from None
            _check_charge_passed(sol.cycles[0].steps[0], self._charge_Ah, self.soc)
            y0 = (np.asarray(sol.last_state.y).reshape(-1) if self._settle is None
                  else self._settled(sol, inputs, y0.size))
        elif self.protocol is not None:
            u_slice = self._u_slice
            y_run, run = _state_after(self._charge_setup, self.protocol,
                                      y0.size - (u_slice.stop - u_slice.start),
                                      sim=self._charge, inputs=named)
            _check_charge_passed(run.solution.cycles[0].steps[0], self._charge_Ah, self.soc)
            if self._settle is not None:
                y_run = self._settled(run.solution, named, y_run.size)
            y0 = np.concatenate([y_run[:u_slice.start], y0[u_slice], y_run[u_slice.start:]])
            y0[u_slice] = (model.get_processed_variable("Cathode solid potential [V]").evaluate(
                0.0, y0, inputs=inputs) - model.get_processed_variable(
                "Cathode electrolyte potential [V]").evaluate(0.0, y0, inputs=inputs)
            ).reshape(-1)
        return OperatingPoint(self.simulation, inputs, y0, self.protocol, self.recipe,
                              self.carrier, list(self.warnings), self.setup)

    def _linearise(self, op: OperatingPoint, outputs: Sequence[str]) -> Any:
        """The model linearised about ``op`` (its CasADi form converted once)."""
        from hemcell.smallsignal import Lineariser
        from hemcell.workflows import eis_models as em

        if self._lineariser is None:
            self._lineariser = Lineariser(self.simulation.built_model, em.IN_CURRENT,
                                          outputs)
        return self._lineariser(op.state, op.inputs)

    def value(self, name: str, inputs: Mapping[str, Any]) -> float:
        """A PyBaMM value of the built model at input values ``inputs``."""
        import pybamm

        v = self.simulation.parameter_values[name]
        return float(v.evaluate(inputs=inputs)) if isinstance(v, pybamm.Symbol) else float(v)

    def spectrum(self, frequencies_Hz: np.ndarray, values: Mapping[str, float] | None = None
                 ) -> Spectrum:
        """The spectrum at ``values`` of the inputs (``None``: those it was built at)."""
        op = self.operating_point(values)
        ev = {**self.eis_values,
              **{k: v for k, v in op.inputs.items() if k in EIS_PARAMETERS}}
        f = np.asarray(frequencies_Hz)
        spectrum = {"anode": self._anode_spectrum, "cathode": self._cathode_spectrum,
                    "full": self._full_spectrum}[self.cell](op, f, ev)
        if self.state_temperature_K is not None:
            spectrum.info["state_temperature_K"] = self.state_temperature_K
        return spectrum

    def _anode_spectrum(self, op: OperatingPoint, f: np.ndarray, ev: Mapping[str, float]
                        ) -> Spectrum:
        setup, inputs, model = op.setup, op.inputs, self.simulation.built_model
        mechs = [*setup.recipe.mechanisms, "double_layer"]
        current_vars = {m: f"Anode {m.replace('_', '-')} current [A]" for m in mechs}
        li_eta = "Lithium counter electrode reaction overpotential [V]"
        outputs = [VOLTAGE, li_eta, ANODE_DPHI, *current_vars.values()]
        lin = self._linearise(op, outputs)
        H = lin.transfer(f)
        silent: list[str] = []
        r_mech = mechanism_charge_transfer_resistance_ohm(
            lin, {m: current_vars[m] for m in setup.recipe.mechanisms}, silent)
        w = 2 * np.pi * f
        r_li = float(np.real(H[li_eta][0]))
        area = self.value("Electrode height [m]", inputs) * self.value("Electrode width [m]",
                                                                      inputs)
        c_li_name = "Negative electrode double-layer capacity [F.m-2]"
        c_li = (self.value(c_li_name, inputs) if c_li_name in
                self.simulation.parameter_values.keys() else 0.0) * area
        z = -H[VOLTAGE]
        if c_li > 0 and r_li > 0:
            z = z - r_li + r_li / (1 + 1j * w * r_li * c_li)
        # the model counts mechanism currents opposite to the applied (lithiating) current
        shares = {m: -H[v] for m, v in current_vars.items()}
        # the model's own surface area a (the one every mechanism's current uses)
        a_s = model_value(model, ANODE_SURFACE_AREA, op.state, inputs)
        c_dl = self.value("Anode double-layer capacity [F.m-2]", inputs) * a_s * self.value(
            "Positive electrode thickness [m]", inputs) * area
        return Spectrum(f"{setup.parameter_set.name}",
                        self.value("Ambient temperature [K]", inputs), f, z, shares,
                        process_kind="current_fraction", drift=lin.drift,
                        info={"recipe": setup.recipe.name, "protocol": op.protocol,
                              "carrier_ion": op.carrier,
                              "li_counter_electrode_resistance_ohm": r_li,
                              "li_counter_electrode_capacitance_F": c_li,
                              "anode_double_layer_capacitance_F": c_dl,
                              "mechanism_charge_transfer_resistance_ohm": r_mech,
                              "mechanisms_without_ac_current": silent,
                              "mass_g": setup.mass_g},
                        warnings=op.warnings)

    def _cathode_spectrum(self, op: OperatingPoint, f: np.ndarray, ev: Mapping[str, float]
                          ) -> Spectrum:
        from hemcell.params import load_parameter_set

        carrier, inputs = op.carrier, op.inputs
        T = self.value("Ambient temperature [K]", inputs)
        terms = _half_cell_terms(half_cell_processes(carrier, "cathode"))
        outputs = list(dict.fromkeys([VOLTAGE, *(v for _, v in terms.values()), CATHODE_ETA,
                                      CATHODE_FARADAIC, METAL_ETA, METAL_FARADAIC]))
        lin = self._linearise(op, outputs)
        H = lin.transfer(f)
        z = -H[VOLTAGE]
        procs = {name: sign * -H[var] for name, (sign, var) in terms.items()}
        closure = np.abs(z - sum(procs.values())) / np.abs(z)
        procs = {k: v for k, v in procs.items() if np.any(np.abs(v) > 1e-12 * np.abs(z))}
        area = self.value("Electrode height [m]", inputs) * self.value("Electrode width [m]",
                                                                      inputs)
        L_p = self.value("Positive electrode thickness [m]", inputs)
        a_p = 3 * self.value("Positive electrode active material volume fraction",
                             inputs) / self.value("Positive particle radius [m]", inputs)
        h = lin.transfer(REST_RESISTANCE_FREQUENCIES_HZ)
        r_ct = {"cathode": kinetic_resistance_ohm(h[CATHODE_ETA],
                                                  h[CATHODE_FARADAIC] * L_p * area),
                f"{carrier} metal": kinetic_resistance_ohm(h[METAL_ETA],
                                                           h[METAL_FARADAIC] * area)}
        return Spectrum(load_parameter_set(self.params).name, T, f, z, procs,
                        drift=lin.drift,
                        info={"recipe": op.recipe, "protocol": op.protocol,
                              "carrier_ion": carrier, "electrode_area_m2": area,
                              "electrode_charge_transfer_resistance_ohm": r_ct,
                              "cathode_double_layer_capacitance_F":
                                  ev["cathode_double_layer_capacity"] * a_p * L_p * area,
                              "counter_electrode_capacitance_F":
                                  ev["counter_electrode_double_layer_capacity"] * area,
                              "process_split_unattributed_max": float(closure.max())},
                        warnings=op.warnings)

    def pore_resistance_ohm(self, inputs: Mapping[str, Any]) -> dict[str, float]:
        r"""Each electrode's ionic resistance of the electrolyte in its pores [Ohm],
        :math:`R_{ion} = L/(\kappa \varepsilon^{b} A)`: thickness L, the electrolyte's
        conductivity κ at the set's initial concentration and the cell's temperature
        (the rested state's mean concentration), porosity ε with the Bruggeman
        exponent b of the electrolyte, electrode area A (the values of the built model;
        the solid's resistance, in parallel, is left out). The guess of the
        transmission-line circuit (:func:`transmission_line_circuit`)."""
        import pybamm

        pv = self.simulation.parameter_values
        c0 = self.value("Initial concentration in electrolyte [mol.m-3]", inputs)
        T = self.value("Ambient temperature [K]", inputs)
        kappa = pv["Electrolyte conductivity [S.m-1]"]
        if callable(kappa):
            kappa = pv.process_symbol(kappa(pybamm.Scalar(c0), pybamm.Scalar(T)))
        kappa = (float(np.ravel(kappa.evaluate(inputs=dict(inputs)))[0])
                 if isinstance(kappa, pybamm.Symbol) else float(kappa))
        area = self.value("Electrode height [m]", inputs) * self.value("Electrode width [m]",
                                                                      inputs)
        return {name: self.value(f"{side} electrode thickness [m]", inputs) / (
            kappa * self.value(f"{side} electrode porosity", inputs) ** self.value(
                f"{side} electrode Bruggeman coefficient (electrolyte)", inputs) * area)
            for name, side in (("cathode", "Positive"), ("anode", "Negative"))}

    def _full_spectrum(self, op: OperatingPoint, f: np.ndarray, ev: Mapping[str, float]
                       ) -> Spectrum:
        from hemcell.workflows import eis_models as em

        setup, inputs, model = op.setup, op.inputs, self.simulation.built_model
        anode_currents = {f"anode {m.replace('_', ' ')}":
                          f"Anode {m.replace('_', '-')} current [A]"
                          for m in [*setup.recipe.mechanisms, "double_layer"]}
        cathode_currents = {"cathode charge transfer": em.CATHODE_FARADAIC_CURRENT,
                            "cathode double layer": em.CATHODE_DOUBLE_LAYER_CURRENT}
        outputs = [VOLTAGE, ANODE_DPHI, em.CATHODE_MEAN_OVERPOTENTIAL,
                   em.CATHODE_MEAN_SURFACE_POTENTIAL,
                   *anode_currents.values(), *cathode_currents.values()]
        lin = self._linearise(op, outputs)
        H = lin.transfer(f)
        silent: list[str] = []
        r_mech = mechanism_charge_transfer_resistance_ohm(
            lin, {m: f"Anode {m.replace('_', '-')} current [A]"
                  for m in setup.recipe.mechanisms}, silent)
        h = lin.transfer(REST_RESISTANCE_FREQUENCIES_HZ)
        r_anode = [r for r in r_mech.values() if r is not None and r > 0]
        # a discharge (+I) drives the cathode's overpotential negative: R = -eta / I_F
        r_ct = {"cathode": kinetic_resistance_ohm(-h[em.CATHODE_MEAN_OVERPOTENTIAL],
                                                  h[em.CATHODE_FARADAIC_CURRENT]),
                "anode": 1 / sum(1 / r for r in r_anode) if r_anode else None}
        # the full cell counts the anode's currents as delithiating (a discharge): +I
        shares = {k: H[v] for k, v in {**anode_currents, **cathode_currents}.items()}
        area = self.value("Electrode height [m]", inputs) * self.value("Electrode width [m]",
                                                                      inputs)
        a_s = model_value(model, ANODE_SURFACE_AREA, op.state, inputs)
        eps_p = self.value("Positive electrode active material volume fraction", inputs)
        L_p = self.value("Positive electrode thickness [m]", inputs)
        a_p = 3 * eps_p / self.value("Positive particle radius [m]", inputs)
        c_dl = {"cathode": ev["cathode_double_layer_capacity"] * a_p * L_p * area,
                "anode": self.value("Anode double-layer capacity [F.m-2]", inputs) * a_s
                * self.value("Negative electrode thickness [m]", inputs) * area}
        faradaic = {"cathode": (em.CATHODE_MEAN_SURFACE_POTENTIAL,
                                [em.CATHODE_FARADAIC_CURRENT]),
                    "anode": (ANODE_DPHI, [f"Anode {m.replace('_', '-')} current [A]"
                                           for m in setup.recipe.mechanisms])}
        storage = {k: storage_impedance_ratio(lin, r_ct[k], c_dl[k], *faradaic[k])
                   for k in ("cathode", "anode")}
        return Spectrum(setup.parameter_set.name, self.value("Ambient temperature [K]", inputs),
                        f, -H[VOLTAGE], shares,
                        process_kind="current_fraction", drift=lin.drift,
                        info={"recipe": setup.recipe.name, "cathode": str(setup.recipe.cathode),
                              "protocol": op.protocol, "carrier_ion": op.carrier,
                              "electrode_area_m2": area,
                              "electrode_charge_transfer_resistance_ohm": r_ct,
                              "electrode_storage_impedance_ratio": storage,
                              "mechanism_charge_transfer_resistance_ohm": r_mech,
                              "mechanisms_without_ac_current": silent,
                              "anode_double_layer_capacitance_F": c_dl["anode"],
                              "cathode_double_layer_capacitance_F": c_dl["cathode"],
                              "electrode_pore_resistance_ohm":
                                  self.pore_resistance_ohm(inputs),
                              "mass_g": setup.mass_g},
                        warnings=[])


def cathode_operating_point(recipe: str, params: str, temperature_K: float | None,
                            soc: float | None, overrides: Sequence[str] = (),
                            extra: Mapping[str, float] | None = None,
                            ion: str | None = None) -> OperatingPoint:
    """The cathode half cell of :func:`cathode_spectrum` at its as-made state or after the
    charge of :func:`soc_protocol` (run on the same model, PyBaMM's experiment).

    Raises
    ------
    InputError
        As :func:`cathode_half_cell_simulation`; ``soc`` outside (0, 1) or beyond the
        upper cut-off.
    SimulationError
        The charge failed.
    """
    return CellSpectrumModel("cathode", recipe, params, temperature_K, soc, overrides, extra,
                             ion).operating_point()


def cathode_spectrum(recipe: str, params: str, temperature_K: float | None,
                     frequencies_Hz: np.ndarray, soc: float | None,
                     overrides: Sequence[str] = (), extra: Mapping[str, float] | None = None,
                     ion: str | None = None) -> Spectrum:
    """Spectrum of a cathode set against its carrier's metal, as-made or at ``soc``.

    The cathode half cell of ``hemcell cell run`` (PyBaMM's DFN/SPM, ``"working
    electrode": "positive"``, the set's values, :func:`hemcell.cell.cathodes.half_cell_values`)
    with double layers on the cathode and at the metal
    (:func:`hemcell.workflows.eis_models.cathode_half_cell_model`). ``soc``: the charge of
    :func:`soc_protocol` run on the same model first. The process split is PyBaMM's voltage
    breakdown (as Li‖LFP); ``info`` holds each electrode's charge-transfer resistance
    (:func:`kinetic_resistance_ohm`). Built for this one spectrum
    (:class:`CellSpectrumModel`).
    """
    return CellSpectrumModel("cathode", recipe, params, temperature_K, soc, overrides, extra,
                             ion).spectrum(frequencies_Hz)


def full_cell_simulation(recipe: str, params: str, temperature_K: float | None,
                         soc: float | None, overrides: Sequence[str] = (),
                         extra: Mapping[str, float] | None = None, ion: str | None = None,
                         input_names: Sequence[str] = ()
                         ) -> tuple[Any, dict[str, Any], Any, Any]:
    """The built impedance model of :func:`full_spectrum` (at its as-made state).

    ``input_names``: set entries and :data:`EIS_PARAMETERS` that enter the model as
    ``pybamm.InputParameter`` (:class:`CellSpectrumModel`), at their values of
    ``overrides``/``extra`` in ``inputs``.

    Returns
    -------
    tuple
        ``(simulation, inputs, setup, parameter_values)``: the :class:`pybamm.Simulation`
        of the recipe's :class:`~hemcell.cell.full_cell.HEMFullCell` with the cathode
        double layer, built with ``inputs`` (the applied current an input, 0 A); the
        :class:`hemcell.workflows.anode.CellSetup` of the protocol of :func:`soc_protocol`
        that reaches ``soc`` (``Rest for 1 minute`` without ``soc``); the model's
        parameter values (with the inputs' symbols).

    Raises
    ------
    InputError
        Not a full-cell recipe, an ion the cathode does not carry, a bad ``soc`` or
        ``--set`` entry.
    """
    from hemcell.workflows import eis_models as em
    from hemcell.workflows.anode import build_simulation, cathode_carrier_ion, prepare_cell

    check_recipe("full", recipe)
    ev = eis_values(extra)
    sets = _recipe_overrides(overrides, ev, temperature_K)
    ion = ion or cathode_carrier_ion(recipe)
    if soc is not None:
        check_cell_soc(soc)
    setup = prepare_cell(recipe, params, "Rest for 1 minute", overrides=sets, ion=ion,
                         command="eis full")
    values, si_in, ev_in = _input_parameters(input_names, setup.si, ev)
    rec = setup.recipe
    pv = _cell_values(setup, si_in) if input_names else setup.parameter_values
    if soc is not None:
        steps = soc_protocol(pv, soc)[0]
        setup = prepare_cell(recipe, params, steps, overrides=sets, ion=ion)
        if not input_names:
            pv = setup.parameter_values
    pv.update({"Current function [A]": em.applied_current}, check_already_exists=False)
    sim = build_simulation(rec, pv, setup.inventory, submesh_types=em.FULL_CELL_SUBMESHES)
    em.add_cathode_double_layer(sim.model, ev_in["cathode_double_layer_capacity"],
                                ev_in["cathode_double_layer_relaxation_time"])
    inputs = {em.IN_CURRENT: 0.0, **em.SINE_INPUTS, **values}
    sim.build(inputs=inputs)
    return sim, inputs, setup, pv


def full_operating_point(recipe: str, params: str, temperature_K: float | None,
                         soc: float | None, overrides: Sequence[str] = (),
                         extra: Mapping[str, float] | None = None, ion: str | None = None
                         ) -> OperatingPoint:
    """The full cell of :func:`full_spectrum` at its as-made state, or after the charge of
    :func:`soc_protocol` run on the model of ``cell run`` (one model per step), with the
    added cathode double layer at rest there (u = Δφ_p: the state has one more block
    than that model, inserted where the impedance model holds it).

    Raises
    ------
    InputError
        As :func:`full_cell_simulation`; ``soc`` beyond the upper cut-off.
    """
    return CellSpectrumModel("full", recipe, params, temperature_K, soc, overrides, extra,
                             ion).operating_point()


def full_spectrum(recipe: str, params: str, temperature_K: float | None,
                  frequencies_Hz: np.ndarray, soc: float | None,
                  overrides: Sequence[str] = (), extra: Mapping[str, float] | None = None,
                  ion: str | None = None) -> Spectrum:
    """Spectrum of a HEM anode | cathode full cell, as-made (discharged) or at ``soc``.

    :class:`hemcell.cell.full_cell.HEMFullCell` as ``hemcell cell run`` builds it
    (``params``: the anode set; the cathode: the recipe's), its anode double layer at
    ``anode_double_layer_relaxation_time`` (as ``eis anode``), with a double layer added
    to the cathode (:func:`hemcell.workflows.eis_models.add_cathode_double_layer`).
    ``soc``: the charge of :func:`soc_protocol`, run on the model of ``cell run``; its end
    state, with the cathode double layer at rest (u = Δφ), is the operating point. The
    split is of the AC current: each anode mechanism and the anode double layer (shares
    of the anode's current), the cathode's faradaic and double-layer current. Built for
    this one spectrum (:class:`CellSpectrumModel`).
    """
    return CellSpectrumModel("full", recipe, params, temperature_K, soc, overrides, extra,
                             ion).spectrum(frequencies_Hz)


#: Storage impedance behind an electrode's charge transfer, at that electrode's own arc
#: frequency 1/(2π R_ct C_dl) and relative to R_ct, from which on the electrode has no
#: charge-transfer arc of its own (:func:`storage_impedance_ratio`,
#: :func:`full_cell_arcs`). Derived for a storage capacitor C_st behind R_ct (Randles):
#: Z = 1/(iωC_tot) + R_ct (C_st/C_tot)²/(1 + iωR_ct C_s), C_tot = C_st + C_dl,
#: C_s = C_st C_dl/C_tot, and the ratio is C_dl/C_st. At 1 (C_st = C_dl) the arc's
#: resistance is R_ct/4 and its −Im Z peak half the storage's there: the arc is no
#: longer the charge transfer's.
STORAGE_DOMINANCE_RATIO = 1.0


def storage_impedance_ratio(lin: Any, r_ct_ohm: float | None, c_dl_F: float,
                            potential: str, faradaic_currents: Sequence[str]
                            ) -> float | None:
    r"""|Z_F − R_ct|/R_ct of an electrode at its arc frequency ω = 1/(R_ct C_dl): how
    much the storage behind the charge transfer (solid diffusion, the OCP's capacitance)
    impedes the faradaic branch where the arc would be, relative to the charge transfer.

    Z_F = Δφ̂/Î_F is the electrode's (x-averaged) interface potential over its faradaic
    AC current (``faradaic_currents`` summed) of the linearisation ``lin``; its real part
    tends to R_ct where the storage is a large capacitor. ``None`` without an R_ct.
    See :data:`STORAGE_DOMINANCE_RATIO`.
    """
    if r_ct_ohm is None or not r_ct_ohm > 0:
        return None
    h = lin.transfer([1 / (2 * math.pi * r_ct_ohm * c_dl_F)])
    i_f = sum(h[name][0] for name in faradaic_currents)
    if i_f == 0:
        return None
    z_f = h[potential][0] / i_f
    z_f = z_f if z_f.real >= 0 else -z_f  # the sign of the electrode's current
    return float(abs(z_f - r_ct_ohm) / r_ct_ohm)


def kinetic_resistance_ohm(potential: np.ndarray, current: np.ndarray) -> float | None:
    r"""Charge-transfer resistance :math:`\mathrm{Re}(\hat\eta/\hat I_F)` [Ω] of an
    interface from its overpotential and faradaic current (both per ampere applied) at
    two frequencies (the HEM anode's mechanisms: :data:`KINETIC_LIMIT_FREQUENCIES_HZ`,
    where the composition is frozen; an electrode at rest:
    :data:`REST_RESISTANCE_FREQUENCIES_HZ`): the inverse of the interface's faradaic
    conductance :math:`\partial I_F/\partial\eta`, :math:`RT/(n F i_0 S)` for
    Butler–Volmer at rest.

    ``None`` where the interface carries no AC current (below
    :data:`CURRENT_SHARE_FLOOR`) or the two frequencies differ by more than 0.1 % (a
    relaxation slower than them).
    """
    if np.min(np.abs(current)) < CURRENT_SHARE_FLOOR:
        return None
    r = np.real(potential / current)
    return float(r[1]) if abs(r[0] - r[1]) <= 1e-3 * abs(r[1]) else None


#: Electrode-averaged potential difference of the HEM anode (the mechanisms' driving force).
ANODE_DPHI = "Anode mean surface potential difference [V]"
#: Active-material surface area per electrode volume a = 3 eps_act/R of the HEM anode
#: (:class:`hemcell.cell.model.HEMHalfCell`), which carries the double layer's capacitance.
ANODE_SURFACE_AREA = "Anode surface area to volume ratio [m-1]"


def model_value(built_model: Any, name: str, state: np.ndarray,
                inputs: Mapping[str, Any]) -> float:
    """Electrode average of a discretised model's variable at a state (its mean over the
    finite volumes; the variables read here are uniform in the electrode)."""
    symbol = built_model.get_processed_variable(name)
    return float(np.mean(symbol.evaluate(0.0, state, inputs=inputs)))
#: Frequencies [Hz] at which the composition of the anode is frozen (particle and
#: electrolyte concentrations, conversion and alloying extents move by a vanishing part of
#: their low-frequency amplitude) while the potentials follow: the kinetic limit of
#: :func:`mechanism_charge_transfer_resistance_ohm`, taken at both and checked to agree.
KINETIC_LIMIT_FREQUENCIES_HZ = (1e4, 1e5)
#: AC current [A per A applied] below which an interface counts as carrying none: the
#: round-off of the solve, not a physical share. A reaction closed at the state (inside
#: its hysteresis gap, an empty alloy) has an output of exactly 0 or of round-off, 1e-30
#: to 4e-16 of the applied current, its "resistance" of either sign and different at the
#: two frequencies (`hem_half_cell_sp`, fresh: conversion, alloying). An open mechanism's
#: share where the composition is frozen is 1/(omega R_k C_dl), which falls with its
#: resistance and the double layer: the NVPF full cell's intercalation at 15 degC (--soc
#: 0.3, 805 Ohm, C_dl 3 mF) carries 6.7e-7 at 1e5 Hz, and the former floor of 1e-6 called
#: it "no AC current" (at 25 degC, 471 Ohm, it carried 1.1e-6 and was kept). 1e-12 (about
#: 1e4 machine epsilons of the applied current) resolves any R_k below ~1/(omega C_dl
#: 1e-12), 5e8 Ohm there.
CURRENT_SHARE_FLOOR = 1e-12


def mechanism_charge_transfer_resistance_ohm(lin: Any, current_outputs: Mapping[str, str],
                                             without_current: list[str] | None = None
                                             ) -> dict[str, float | None]:
    r"""Charge-transfer resistance of each HEM-anode mechanism at the operating point [Ω].

    :math:`R_{ct,k} = -\hat{\Delta\phi}/\hat I_k` (both per ampere of applied
    lithiating AC current) where the composition is frozen
    (:data:`KINETIC_LIMIT_FREQUENCIES_HZ`): the inverse of the mechanism's faradaic
    conductance :math:`\partial I_k/\partial\Delta\phi`. For a Butler–Volmer
    mechanism at rest this is :math:`RT/(F\,i_{0,k}(T)\,S_k)` (:math:`S_k` its
    reacting surface) with the mechanism's own Arrhenius law, so a temperature series
    moves each mechanism's arc through its own activation energy. With a uniform state
    (P2D at rest) the local conductance is uniform and the electrode-averaged
    :math:`\Delta\phi` gives it exactly.

    Returns
    -------
    dict
        Mechanism → resistance [Ω], or ``None`` where the mechanism carries no AC current
        (a reaction resting inside its hysteresis gap, an empty alloy) or its response is
        not yet frozen at these frequencies (the two differ by more than 0.1 %). The
        former are appended to ``without_current`` (when given): the latter carry AC
        current.
    """
    h = lin.transfer(KINETIC_LIMIT_FREQUENCIES_HZ)
    dphi = h[ANODE_DPHI]
    out: dict[str, float | None] = {}
    for mech, var in current_outputs.items():
        # the model counts mechanism currents opposite to the applied (lithiating)
        # current, which lowers the anode potential: R_k = -dphi / (-I_k)
        out[mech] = kinetic_resistance_ohm(dphi, h[var])
        if without_current is not None and np.min(np.abs(h[var])) < CURRENT_SHARE_FLOOR:
            without_current.append(mech)
    return out


def _check_soc_reached(run: Any, soc: float, theoretical_mAh_per_g: float) -> None:
    """Refuse an ``--soc`` whose lithiation ended at the cut-off before its time.

    Raises
    ------
    InputError
        ``--soc`` above what the anode stores before its lower cut-off (``--ion Na
        --soc 0.3`` asked 252.5 mAh/g of the 841.7 theoretical, stopped at 0.01 V after
        188.0, and the spectrum was taken there without a word).
    """
    first = run.solution.cycles[0].steps[0]
    if "final time" in str(getattr(first, "termination", "")):
        return
    t = np.asarray(first.t)
    stored = abs(float(np.trapezoid(np.asarray(first["Current [A]"].entries), t))) \
        / 3.6 / run.mass_g
    raise InputError("--soc", soc, f"at most {stored / theoretical_mAh_per_g:.3g} for this "
                     f"cell: the lithiation at 0.1 A/g reaches its cut-off "
                     f"({first.termination}) after {stored:.1f} of the "
                     f"{soc * theoretical_mAh_per_g:.1f} mAh/g asked "
                     f"({theoretical_mAh_per_g:.1f} theoretical)",
                     hint="mechanisms that cannot run above the cut-off count in the "
                     "theoretical capacity; a lower --soc, or --protocol with the steps "
                     "you want")


def _protocol_simulation(setup: Any, submesh_types: Mapping[str, Any] | None = None,
                         parameter_values: Any = None) -> Any:
    """The simulation of the setup's protocol on the impedance model's mesh
    (``parameter_values``: the setup's, or the same with input parameters)."""
    from hemcell.workflows.anode import build_simulation

    # one PyBaMM model per step: a protocol-wide model (recipe experiment_model: unified)
    # carries its step control as one more unknown, which the impedance model has not
    recipe = replace(setup.recipe, experiment_model="legacy")
    pv = setup.parameter_values if parameter_values is None else parameter_values
    return build_simulation(recipe, pv, setup.inventory, setup.experiment,
                            submesh_types=submesh_types)


def _state_after(setup: Any, protocol: str, size: int,
                 submesh_types: Mapping[str, Any] | None = None, sim: Any = None,
                 inputs: Mapping[str, Any] | None = None) -> tuple[np.ndarray, Any]:
    """Final state vector of the protocol run on the same model and mesh (ends with a
    rest), and the run (:class:`hemcell.workflows.anode.CellRun`); ``sim``: a built
    :func:`_protocol_simulation` solved at ``inputs``."""
    from hemcell.workflows.anode import solve_cell

    if sim is None:
        sim = _protocol_simulation(setup, submesh_types)
    run = solve_cell(setup, sim, inputs)
    if run.error is not None:
        raise run.error
    y = np.asarray(run.solution.last_state.y).reshape(-1)
    if y.size != size:
        raise SimulationError(f"protocol state has {y.size} unknowns, the impedance model "
                              f"{size}", step=protocol)
    return y, run
