"""``hemcell fit``: fit a model's parameters to measured curves, with confidence intervals.

A fit spec (YAML, ``docs/fitting.md``) names the model (a command and its fixed
arguments), the measured data (CSV or instrument files, :mod:`hemcell.measurements`),
the parameters to fit (initial value, bounds with units, log or linear scale, optional
Gaussian prior) and the objective (signal, weights, noise). One model adapter per
command turns fit coordinates into the model's values at the data points:
:class:`FitProblem` (``cell run``: voltage vs time or vs capacity),
:class:`LiMetalRateProblem` (``limetal rate``: Li‖LFP capacity per C-rate) and
:class:`LiCuNucleationProblem` (``limetal nucleation``); everything else (least squares,
starts, intervals, profiles, identifiability, outputs) is one code path.

Method
------
Weighted least squares on the residuals

    r_k = sqrt(w_d) (V_model(t_k; θ) − V_k) / σ,

plus one row (θ_j − μ_j)/s_j per Gaussian prior, minimised in the fit coordinates
x_j = log10 θ_j (``scale: log``) or x_j = θ_j (``linear``) with
:func:`scipy.optimize.least_squares` (trust-region reflective, bounds) from several
starts (the initial value and a Latin hypercube over the bounds). For ``cell run`` the
model is built ONCE: the fitted registry values enter the parameter mapping as
``pybamm.InputParameter`` (or, where the mapping needs the number, the PyBaMM values they
move do: the sweep fast path's rule, :mod:`hemcell.workflows.anode_sweep`), the applied
current too, and each data set is a re-solve of that model. The Jacobian comes from
the IDAKLU solver's forward sensitivities (chain rule through the parameter-set → PyBaMM
mapping) or from forward differences, whichever is cheaper for the model (``auto``:
differences, the sensitivities timed once the differences have cost the model's set-up;
both give the same derivatives to solver tolerance). A single-particle model runs
compiled (:data:`COMPILED_GEOMETRIES`). The other adapters use forward differences.

Uncertainty (Bates & Watts 1988, ch. 2; Raue et al., Bioinformatics 25 (2009) 1923)
    Cov(x̂) = s² (JᵀJ)⁻¹ with s² = 1 for a known σ, s² = Σr²/(n − p) when σ is
    estimated; the 95 % interval is x̂_j ± q √Cov_jj with q the normal (known σ) or
    Student-t (n − p d.o.f.) 97.5 % quantile, mapped back to θ (asymmetric for a log
    scale). It is checked against the profile likelihood: Δχ²(x_j) =
    min_{x_{−j}} Σr²/s² − Σr̂²/s², whose 95 % interval is Δχ² ≤ q². A pair with
    |ρ_ij| > 0.95, or a profile that stays below q² on both sides, is reported as not
    identifiable (a warning and a note in ``fit.json``).
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pybamm

from hemcell.cell.compiled import (
    AOT_CACHE_ENV,
    keyed_cache_dir,
    native_compile_cache_key,
)
from hemcell.errors import InputError, SimulationError, did_you_mean
from hemcell.measurements import (
    Measurement,
    check_current_sign,
    check_sign_by_voltage,
    check_voltage_window,
    held_charge,
    read_measurement,
)

#: Objective signals per command (the first is the default).
SIGNALS = {"cell run": ("voltage_vs_time", "voltage_vs_capacity"),
           "cell cycle-life": ("capacity_per_cycle",),
           "limetal rate": ("capacity_vs_rate",),
           "limetal cycle": ("capacity_per_cycle", "coulombic_efficiency_per_cycle",
                             "mean_coulombic_efficiency"),
           "limetal symmetric": ("time_to_failure",),
           "limetal licu": ("aurbach_coulombic_efficiency",),
           "limetal nucleation": ("nucleation_overpotential",),
           "eis symmetric": ("impedance",),
           "eis li-lfp": ("impedance",),
           "eis anode": ("impedance",),
           "eis cathode": ("impedance",),
           "eis full": ("impedance",)}
#: Commands whose models ``hemcell fit`` can drive.
COMMANDS = tuple(SIGNALS)
#: SI unit(s) of each signal (of its noise σ): a capacity per cycle is per mass or a
#: retention.
SIGNAL_UNITS = {"voltage_vs_time": ("V",), "voltage_vs_capacity": ("V",),
                "capacity_vs_rate": ("C/kg",), "nucleation_overpotential": ("V",),
                "capacity_per_cycle": ("C/kg", "dimensionless"),
                "coulombic_efficiency_per_cycle": ("dimensionless",),
                "mean_coulombic_efficiency": ("dimensionless",),
                "time_to_failure": ("s",), "aurbach_coulombic_efficiency": ("dimensionless",),
                "impedance": ("ohm",)}
JACOBIANS = ("auto", "sensitivities", "finite_differences")
#: Input that carries the applied current [A] (or its scale for a current trace).
CURRENT_INPUT = "Applied current [A]"
#: The model output compared with the measured voltage.
VOLTAGE = "Voltage [V]"
#: A solution's ``termination`` at a voltage cut-off (PyBaMM's event names): the voltage
#: held past it is the cut-off's.
VOLTAGE_EVENTS = ("event: Minimum voltage [V]", "event: Maximum voltage [V]")
#: |ρ| above which a pair of parameters is reported as not identifiable.
CORRELATION_LIMIT = 0.95
#: A profile point this far below the optimum's χ² means the optimum was not global
#: (small against the 95 % level q² ≈ 3.84).
PROFILE_DROP = 0.1
#: The Jacobian interval is confirmed when each end of the profile interval lies within
#: this fraction of the Jacobian half-width of it (fit coordinates).
PROFILE_AGREEMENT = 0.25
#: Forward-difference step: in decades for a log scale, as a fraction of the bounds for
#: a linear one. Smaller steps drown in the solver's tolerance (rtol 1e-6): at 1e-4 decades
#: the derivative is off by ~10 %, at 3e-3 by < 1 % (against the solver's sensitivities).
FD_STEP_DECADES = 3e-3
FD_STEP_LINEAR = 1e-3
#: Residual of every point when the solver fails at a trial point [in units of σ].
FAILED_RESIDUAL = 1e3
#: Recipe geometries whose model, built once, a fit runs with its functions compiled to C (PyBaMM's
#: IDAKLU ``compile`` option: gcc -O3 -march=native, cached on disk by the functions' hash in a
#: directory per build target, :func:`use_keyed_compile_cache`: a library built for one CPU is
#: never loaded on another). Measured (docs/fitting.md "Benchmark"): a re-solve of the
#: four-mechanism single-particle anode 3-5x faster for ~2 s of gcc the first time a model
#: structure is solved. Not the P2D anode: IDAKLU's option compiles all seven solver functions in
#: one gcc -O3 call (2.1 MB of C, the Jacobian-vector product and the initial-condition residual
#: and Jacobian too, 38 s); a P2D model built once compiles its own residual instead
#: (:data:`FIT_SOLVES_EXPECTED`, :mod:`hemcell.cell.compiled`, docs/anode.md "Numerics").
#: The sensitivity model is never compiled this way (it once gave sensitivities 21x off at
#: one exchange current; since e82167b compiled and interpreted agree to 3e-5 and both with
#: central differences, tests/fit/test_sensitivities_compiled.py: not switched on, as with
#: ~5 fitted values or fewer differences stay cheaper, docs/fitting.md "Jacobian").
#: Without a C compiler PyBaMM warns and runs uncompiled. IDAKLU's option takes no compiler
#: flags; a portable build re-solved the single-particle anode 7 % slower.
COMPILED_GEOMETRIES = ("sp",)
#: Solves of one built model a fit runs, at the least: the start point, one forward
#: difference per fitted value at every trust-region step, the statistics' Jacobian (the
#: three-value rate fit of docs/fitting.md "Benchmark" ran ~130 with its profiles). A P2D
#: fit compiles its model's residual when this repays gcc, and its Jacobian when its
#: library is already cached (a repeated fit of the same model;
#: :func:`hemcell.cell.compiled.pays_to_compile`).
FIT_SOLVES_EXPECTED = 30
#: Model evaluations remembered (:meth:`_Problem.signals`): the current point, its
#: forward-difference neighbours and a rejected trial or two.
SIGNALS_CACHE_SIZE = 8
_SPEC_KEYS = {"model", "data", "fit", "objective"}
_LI = {"command", "anode", "set"}
_MODEL_KEYS = {"cell run": {"command", "recipe", "params", "mechanisms", "set", "ion"},
               "cell cycle-life": {"command", "recipe", "params", "protocol", "set", "ion",
                                   "tol"},
               "limetal rate": _LI, "limetal nucleation": _LI, "limetal symmetric": _LI,
               "limetal licu": _LI, "limetal cycle": {*_LI, "c_rate", "stride"},
               "eis symmetric": {*_LI, "temperature"},
               "eis li-lfp": {*_LI, "temperature", "soc"},
               "eis anode": {"command", "recipe", "params", "temperature", "soc", "protocol",
                             "ion", "set"},
               "eis cathode": {"command", "recipe", "params", "temperature", "soc", "ion",
                               "set"},
               "eis full": {"command", "recipe", "params", "temperature", "soc", "ion", "set"}}
_MODEL_REQUIRED = {"cell run": ("recipe", "params"),
                   "cell cycle-life": ("recipe", "params", "protocol"),
                   "eis anode": ("recipe", "params"),
                   "eis cathode": ("recipe", "params"),
                   "eis full": ("recipe", "params")}
_DATA_KEYS = {"file", "protocol", "weight", "name", "active_mass", "temperature"}
#: Commands whose data sets may each give their own ambient ``temperature`` (each is
#: simulated at it: an activation energy is fitted from data at several temperatures).
TEMPERATURE_COMMANDS = ("cell run", "cell cycle-life")
#: Commands whose data may hold absolute currents or capacities (``mA``, ``mAh``): their
#: data sets say what active mass those act on (``active_mass``).
ACTIVE_MASS_COMMANDS = ("cell run", "cell cycle-life", "limetal cycle")
#: ``active_mass: recipe``: absolute currents and capacities act on the model's own electrode.
RECIPE_MASS = "recipe"
#: Largest relative difference between a current column and its data set's one-step
#: constant-current protocol (every row). A cycler holds a set current to ~0.1 % of its
#: range; 2 % leaves room for the digits an export keeps, and is far below the
#: factor-of-ten mistakes it is there to catch (a current per wrong mass or unit).
CURRENT_TOLERANCE = 0.02
#: A fitted value within this fraction of its fit range (in the fit coordinate: decades
#: for ``scale: log``) from a bound is reported as at the bound.
BOUND_FRACTION = 0.01
#: Reduced χ² (Σr²/(n − p) with the stated σ) above which the fit is reported as not
#: describing the data: the residuals are then more than twice the stated noise (rmse
#: > 2σ). Chance alone exceeds it with probability < 1e-3 (the χ²_ν/ν 99.9 % quantile is
#: below 4 for ν ≥ 3; for fewer degrees of freedom that quantile is the limit). A small
#: systematic model error (rmse up to 2σ) is tolerated; the U4 user trial's wrong active
#: mass gave rmse 0.83 V at σ = 5 mV (reduced χ² ≈ 2.8e4).
REDUCED_CHI2_LIMIT = 4.0
#: Width of the ramp that joins two held current levels at a step [s] (at most this
#: fraction of the gap between the rows): the model's current is a piecewise-linear
#: interpolant. Narrow against the fast transients a step's first rows record (a
#: double-layer relaxation: a 0.6 s ramp moved the voltage at the step's first row
#: by 28 mV); the solver stops at both ends (:data:`CURRENT_STEP_FRACTION`).
CURRENT_EDGE_RAMP_S = 1e-3
CURRENT_EDGE_RAMP_FRACTION = 1e-3
#: A held current's level change larger than this fraction of its largest |I| is a step:
#: the solver stops at both ends of its ramp (an adaptive step can pass over a narrow
#: ramp unseen after a long smooth stretch: 5 mV rms on a decimated two-rate file); the
#: smaller changes of a measured current's noise are left to its error control.
CURRENT_STEP_FRACTION = 0.01
_FIT_KEYS = {"parameters", "multistart", "seed", "profile"}
_PARAM_KEYS = {"initial", "bounds", "scale", "prior"}
_OBJECTIVE_KEYS = {"signal", "noise", "jacobian"}


# --------------------------------------------------------------------------- spec


@dataclass
class FitParameter:
    """One fitted parameter (registry name) and its fit coordinate.

    Attributes
    ----------
    name
        Registry name (``intercalation_diffusivity``).
    unit
        Unit the spec wrote its initial value in (results are reported in it).
    si_unit
        Registry (SI) unit.
    initial, lower, upper
        Initial value and bounds [SI].
    scale
        ``log`` (x = log10 θ) or ``linear`` (x = θ).
    prior
        ``(mean, sd)`` of a Gaussian prior on θ [SI], or ``None``.
    """

    name: str
    unit: str
    si_unit: str
    initial: float
    lower: float
    upper: float
    scale: str = "log"
    prior: tuple[float, float] | None = None

    def to_x(self, value: float | np.ndarray) -> Any:
        """Fit coordinate of a value [SI]."""
        return np.log10(value) if self.scale == "log" else value

    def from_x(self, x: float | np.ndarray) -> Any:
        """Value [SI] of a fit coordinate."""
        return 10.0 ** np.asarray(x) if self.scale == "log" else np.asarray(x)

    def in_unit(self, value_si: float) -> float:
        """A value [SI] in the spec's unit."""
        from hemcell.units import to_si

        return value_si / to_si(1.0, self.unit, self.si_unit, self.name)


@dataclass
class DataSpec:
    """One measured data set as the spec names it."""

    file: Path
    protocol: str | None = None
    weight: float = 1.0
    name: str = ""
    #: Active mass [kg] that the data's absolute currents and capacities act on,
    #: :data:`RECIPE_MASS` (the model's own electrode), or None (not given).
    active_mass: float | str | None = None
    #: Position in the spec's ``data`` list (for messages: ``data[k].active_mass``).
    index: int = 0
    #: Ambient temperature [K] the data set was measured at (``temperature``), or None:
    #: the parameter set's ``ambient_temperature``.
    temperature_K: float | None = None


@dataclass
class FitSpec:
    """A parsed, validated fit spec (``docs/fitting.md``)."""

    path: Path
    model: dict[str, Any]
    data: list[DataSpec]
    parameters: list[FitParameter]
    signal: str = "voltage_vs_time"
    sigma: float | None = None
    jacobian: str = "auto"
    multistart: int = 3
    seed: int = 0
    profile_points: int = 7
    raw: dict[str, Any] = field(default_factory=dict)
    #: SI unit of ``sigma`` (a capacity per cycle: ``C/kg`` or a retention's ``dimensionless``)
    sigma_unit: str = "V"


def _mapping(value: Any, field_name: str, keys: set[str], required: Sequence[str] = ()
             ) -> dict[str, Any]:
    if not isinstance(value, Mapping):
        raise InputError(field_name, value, f"a mapping with keys {sorted(keys)}")
    for key in value:
        if key not in keys:
            raise InputError(f"{field_name}.{key}", value[key], f"keys {sorted(keys)}",
                             hint=did_you_mean(str(key), sorted(keys)))
    for key in required:
        if key not in value:
            raise InputError(field_name, f"no '{key}'", f"a mapping with '{key}' "
                             f"(keys {sorted(keys)})")
    return dict(value)


def _quantity(text: Any, si_unit: str, field_name: str) -> tuple[float, str]:
    """(value [SI], unit as written) of ``'1e-15 m**2/s'``."""
    from hemcell.units import parse_quantity_text, to_si

    value, unit = parse_quantity_text(str(text), field_name)
    if unit == "dimensionless" and si_unit not in ("dimensionless", "1", ""):
        raise InputError(field_name, text, f"a number with a unit of dimension {si_unit}")
    return to_si(value, unit, si_unit, field_name), unit


def _active_mass(entry: Mapping[str, Any], k: int, command: str) -> float | str | None:
    """A data set's ``active_mass``: [kg], :data:`RECIPE_MASS`, or None when not given."""
    if "active_mass" not in entry:
        return None
    text, field_name = entry["active_mass"], f"data[{k}].active_mass"
    if command not in ACTIVE_MASS_COMMANDS:
        raise InputError(field_name, text, f"no active_mass for {command} (only for "
                         f"{', '.join(ACTIVE_MASS_COMMANDS)}: data with absolute currents or "
                         "capacities)")
    allowed = f"a positive mass with its unit, e.g. 1.2 mg, or '{RECIPE_MASS}'"
    if str(text).strip().lower() == RECIPE_MASS:
        return RECIPE_MASS
    try:
        mass = _quantity(text, "kg", field_name)[0]
    except InputError as exc:  # its words named neither 'recipe' nor a mass ('Recipe', '0')
        raise InputError(exc.field, exc.value, f"{allowed} ({exc.allowed})",
                         hint=exc.hint) from None
    if not mass > 0:
        raise InputError(field_name, text, allowed)
    return mass


def one_temperature_K(text: Any, field_name: str, several: str) -> float:
    """One temperature with its unit (``25 degC``, ``298.15 K``) [K], read by the one
    parser of temperatures, :func:`hemcell.units.parse_temperatures_K`.

    Parameters
    ----------
    several
        The hint for a list or several temperatures (where they belong instead).

    Raises
    ------
    InputError
        Naming ``field_name``: what ``parse_temperatures_K`` refuses (no unit: 25 could be
        degC or K; a unit that is not a temperature; T <= 0 K), anything but a number or
        text, or more than one temperature.
    """
    from hemcell.units import parse_temperatures_K

    one = "one temperature with its unit, e.g. 25 degC or 298.15 K"
    if not isinstance(text, str | int | float) or isinstance(text, bool):
        raise InputError(field_name, text, one,
                         hint=several if isinstance(text, list | tuple) else None)
    try:
        kelvin = parse_temperatures_K(str(text), field_name)
    except InputError:  # its wording is a list's (`--temperatures`): this field takes one
        bare = re.fullmatch(r"\s*[-+]?[\d.]+(e[-+]?\d+)?\s*", str(text), re.IGNORECASE)
        raise InputError(field_name, text, f"{one}, above 0 K",
                         hint="a bare number could be degC or K" if bare else None) from None
    if len(kelvin) != 1:
        raise InputError(field_name, text, one, hint=several)
    return kelvin[0]


def _data_temperature(entry: Mapping[str, Any], k: int, command: str) -> float | None:
    """A data set's ``temperature`` [K] (:func:`one_temperature_K`), or None when not given.

    Raises
    ------
    InputError
        Naming ``data[k].temperature``: a command that runs every data set at one
        temperature, or what :func:`one_temperature_K` refuses.
    """
    if "temperature" not in entry:
        return None
    text, field_name = entry["temperature"], f"data[{k}].temperature"
    if command not in TEMPERATURE_COMMANDS:
        where = ("one model.temperature for all spectra" if command.startswith("eis ")
                 else "the set's temperature")
        raise InputError(field_name, text, f"no temperature per data set for {command} (only "
                         f"for {', '.join(TEMPERATURE_COMMANDS)})",
                         hint=f"{command} runs every data set at {where}")
    return one_temperature_K(text, field_name, "one temperature per data set: a curve "
                             "measured at several temperatures is one data set each")


def on_active_mass(d: DataSpec, values: np.ndarray, per_mass: bool, what: str,
                   model_mass_g: float | None = None) -> tuple[np.ndarray, bool]:
    """Absolute currents or capacities of data set ``d`` per mass of its active material.

    ``values`` per mass already, or ``active_mass: recipe`` (they act on the model's own
    electrode): returned as they are. Otherwise divided by the data set's active mass.

    Parameters
    ----------
    what
        The column (``current [mA]``) or protocol, for the message.
    model_mass_g
        The model's active mass [g], named in the message.

    Raises
    ------
    InputError
        Absolute values and no ``active_mass``: naming the data set and the key.
    """
    if per_mass or d.active_mass == RECIPE_MASS:
        return values, per_mass
    if d.active_mass is None:
        model = f" ({1e3 * model_mass_g:.4g} mg)" if model_mass_g is not None else ""
        raise InputError(f"data[{d.index}].active_mass", f"missing (data set '{d.name}': "
                         f"{what} is absolute)",
                         "the mass of active material the absolute values act on, e.g. "
                         "`active_mass: 1.2 mg`, or `active_mass: recipe` for the model's "
                         f"own electrode{model}",
                         hint="an absolute current on an electrode of another mass drives "
                         "the model at the wrong current per gram")
    return np.asarray(values, float) / float(d.active_mass), True


def _eis_parameter_units() -> dict[str, str]:
    """SI unit of each value the impedance models read besides the sets
    (:data:`hemcell.workflows.eis.EIS_PARAMETERS`): fittable in an ``eis`` spec."""
    from hemcell.workflows.eis import EIS_PARAMETERS

    return {k: v["si_unit"] for k, v in EIS_PARAMETERS.items()}


def _sigma_quantity(text: Any, units: Sequence[str]) -> tuple[float, str]:
    """(σ [SI], its SI unit) in the first of the signal's ``units`` it converts to."""
    for k, unit in enumerate(units):
        try:
            return _quantity(text, unit, "objective.noise.sigma")[0], unit
        except InputError:
            if k == len(units) - 1:
                raise
    raise AssertionError("no units")  # pragma: no cover


def _parameter(name: str, raw: Any, where: str, extra: Mapping[str, str] | None = None
               ) -> FitParameter:
    """A fitted parameter: a registry name, or one of ``extra`` (name → SI unit: values a
    command reads besides the sets, not range-checked by the registry)."""
    from hemcell.params import registry
    from hemcell.params.parameter_set import suggest_parameter

    specs = registry()
    extra = dict(extra or {})
    if name not in specs and name not in extra:
        raise InputError(where, name, suggest_parameter(name, [*specs, *extra])
                         + (f" or one of {sorted(extra)}" if extra else ""),
                         hint="`hemcell params show SET` lists a set's names")
    entry = _mapping(raw, f"{where}.{name}", _PARAM_KEYS, ("initial", "bounds"))
    si_unit = specs[name].unit if name in specs else extra[name]
    initial, unit = _quantity(entry["initial"], si_unit, f"{where}.{name}.initial")
    bounds = entry["bounds"]
    if not isinstance(bounds, list) or len(bounds) != 2:
        raise InputError(f"{where}.{name}.bounds", bounds, "[lower, upper] with units, "
                         "e.g. ['1e-16 m**2/s', '1e-13 m**2/s']")
    lower = _quantity(bounds[0], si_unit, f"{where}.{name}.bounds[0]")[0]
    upper = _quantity(bounds[1], si_unit, f"{where}.{name}.bounds[1]")[0]
    for k, value in enumerate((lower, upper)):
        if name in specs and not specs[name].contains(value):
            raise InputError(f"{where}.{name}.bounds[{k}]", bounds[k],
                             f"a value in {specs[name].allowed_range()} (the registry's range "
                             f"of {name})")
    scale = entry.get("scale", "log")
    if scale not in ("log", "linear"):
        raise InputError(f"{where}.{name}.scale", scale, "log or linear")
    if not lower < upper:
        raise InputError(f"{where}.{name}.bounds", bounds, "[lower, upper] with lower < upper",
                         hint="swap them" if lower > upper else "equal bounds leave nothing "
                         f"to fit: hold the value in model.set ('{name}=...')")
    if not lower < initial < upper:
        raise InputError(f"{where}.{name}", f"initial {entry['initial']}, bounds {bounds}",
                         "lower < initial < upper")
    if scale == "log" and lower <= 0:
        raise InputError(f"{where}.{name}.bounds[0]", bounds[0], "a positive lower bound "
                         "with scale: log (or scale: linear)")
    prior = None
    if "prior" in entry:
        pr = _mapping(entry["prior"], f"{where}.{name}.prior", {"mean", "sd"}, ("mean", "sd"))
        mean = _quantity(pr["mean"], si_unit, f"{where}.{name}.prior.mean")[0]
        sd = _quantity(pr["sd"], si_unit, f"{where}.{name}.prior.sd")[0]
        if not sd > 0:
            raise InputError(f"{where}.{name}.prior.sd", pr["sd"], "a positive standard deviation")
        prior = (mean, sd)
    return FitParameter(name, unit, si_unit, initial, lower, upper, scale, prior)


def load_spec(path: str | Path) -> FitSpec:
    """Read and check a fit spec.

    Raises
    ------
    InputError
        Naming the key, the value and what is allowed (unknown keys, a command that
        cannot be fitted, a parameter not in the registry, bounds without units, ...).
    """
    from hemcell.params.yaml_io import safe_load_file

    p = Path(path)
    if not p.is_file():
        raise InputError("SPEC", str(p), "an existing fit spec (YAML)")
    doc = safe_load_file(p)
    if not isinstance(doc, Mapping):  # e.g. a data file given in the spec's place
        raise InputError(p.name, doc, f"a fit spec: a YAML mapping with keys {sorted(_SPEC_KEYS)}",
                         hint="hemcell fit takes a spec that names the data files "
                         "(data: [{file: measured.csv, protocol: ...}]); docs/fitting.md")
    raw = _mapping(doc, p.name, _SPEC_KEYS, ("model", "data", "fit"))
    command = raw["model"].get("command") if isinstance(raw["model"], Mapping) else None
    if command not in COMMANDS:
        raise InputError("model.command", command, f"one of {list(COMMANDS)}")
    model = _mapping(raw["model"], "model", _MODEL_KEYS[command],
                     _MODEL_REQUIRED.get(command, ("anode",)))
    mechs = model.get("mechanisms")
    if isinstance(mechs, str):
        model["mechanisms"] = [m.strip() for m in mechs.split(",") if m.strip()]
    sets = model.get("set") or []
    if not isinstance(sets, list) or not all(isinstance(s, str) for s in sets):
        raise InputError("model.set", sets, "a list of 'NAME=VALUE UNIT' overrides")
    model["set"] = sets
    data_raw = raw["data"]
    if not isinstance(data_raw, list) or not data_raw:
        raise InputError("data", data_raw, "a list of data sets, each {file: ..., protocol: ...}")
    data = []
    entries = [_mapping(item, f"data[{k}]", _DATA_KEYS, ("file",))
               for k, item in enumerate(data_raw)]
    files = [Path(str(d["file"])) for d in entries]
    files = [f if f.is_absolute() else p.parent / f for f in files]
    stems = [f.stem for f in files]
    for k, (d, file) in enumerate(zip(entries, files, strict=True)):
        weight = d.get("weight", 1.0)
        if not isinstance(weight, int | float) or not weight > 0:
            raise InputError(f"data[{k}].weight", weight, "a positive number")
        # files of one name (hemcell's own timeseries.csv of several runs) by their folder
        name = str(d.get("name") or (file.stem if stems.count(file.stem) == 1
                                     else f"{file.parent.name}/{file.stem}"))
        data.append(DataSpec(file, d.get("protocol"), float(weight), name,
                             _active_mass(d, k, command), k, _data_temperature(d, k, command)))
    fit = _mapping(raw["fit"], "fit", _FIT_KEYS, ("parameters",))
    params_raw = fit["parameters"]
    if not isinstance(params_raw, Mapping) or not params_raw:
        raise InputError("fit.parameters", params_raw, "a mapping NAME: {initial, bounds, scale}")
    extra = _eis_parameter_units() if command.startswith("eis ") else {}
    parameters = [_parameter(str(n), e, "fit.parameters", extra) for n, e in params_raw.items()]
    from hemcell.params.uses import override_items

    for key, value in override_items(sets, "model.set"):
        if key in params_raw:
            raise InputError("model.set", f"{key}={value}", "values held fixed, not one of "
                             "fit.parameters (fitted: its value comes from the fit)",
                             hint=f"remove {key} from model.set or from fit.parameters")
    _refuse_unread(command, model, [q.name for q in parameters], sets)
    _refuse_two_temperatures(data, [q.name for q in parameters], sets)
    multistart, seed = fit.get("multistart", 3), fit.get("seed", 0)
    if not isinstance(multistart, int) or multistart < 1:
        raise InputError("fit.multistart", multistart, "a whole number >= 1")
    if not isinstance(seed, int):
        raise InputError("fit.seed", seed, "a whole number")
    profile = fit.get("profile", {"points": 7})
    points = 0 if profile is False else (profile or {}).get("points", 7) \
        if isinstance(profile, Mapping) else -1
    if not isinstance(points, int) or (points != 0 and points < 3):
        raise InputError("fit.profile", profile, "false or {points: N} with N >= 3")
    obj = _mapping(raw.get("objective") or {}, "objective", _OBJECTIVE_KEYS)
    allowed = SIGNALS[command]
    signal = obj.get("signal", allowed[0])
    if signal not in allowed:
        raise InputError("objective.signal", signal, f"one of {list(allowed)} for {command}")
    noise = obj.get("noise", "estimate")
    sigma, sigma_unit = None, SIGNAL_UNITS[signal][0]
    if noise != "estimate":
        nz = _mapping(noise, "objective.noise", {"sigma"}, ("sigma",))
        sigma, sigma_unit = _sigma_quantity(nz["sigma"], SIGNAL_UNITS[signal])
        if not sigma > 0:
            raise InputError("objective.noise.sigma", nz["sigma"], "a positive value, e.g. 5 mV")
    jac = obj.get("jacobian", "auto")
    if jac not in JACOBIANS:
        raise InputError("objective.jacobian", jac, f"one of {list(JACOBIANS)}")
    for d in data:  # last: the spec's own keys are checked without its files
        if not d.file.is_file():
            raise InputError(f"data[{d.index}].file", data_raw[d.index]["file"],
                             "an existing CSV or instrument file"
                             + (f" (not a folder: {d.file})" if d.file.is_dir() else
                                f" (looked for {d.file})"))
    return FitSpec(p, model, data, parameters, signal, sigma, jac, multistart, seed, points,
                   dict(raw), sigma_unit)


def _refuse_two_temperatures(data: Sequence[DataSpec], fitted: Sequence[str],
                             sets: Sequence[str]) -> None:
    """Refuse ``ambient_temperature`` in ``model.set`` or ``fit.parameters`` when a data
    set gives its own ``temperature`` (which one was meant cannot be told)."""
    from hemcell.params.uses import override_keys

    given = [d for d in data if d.temperature_K is not None]
    if not given:
        return
    where = ("model.set" if "ambient_temperature" in override_keys(sets) else
             "fit.parameters" if "ambient_temperature" in fitted else None)
    if where is not None:
        raise InputError(where, "ambient_temperature", "no ambient_temperature with a data "
                         f"set's own temperature (data[{given[0].index}].temperature)",
                         hint="give each data set its temperature: one without runs at the "
                         "parameter set's ambient_temperature")


def _refuse_unread(command: str, model: Mapping[str, Any], fitted: Sequence[str],
                   sets: Sequence[str]) -> None:
    """Refuse (exit 2) a fitted or fixed value the command's model does not read
    (the command's own ``--set`` check: :func:`hemcell.workflows.eis.check_overrides`,
    :func:`hemcell.workflows.limetal.check_overrides`), naming ``fit.parameters`` or
    ``model.set``: fitting one would only give a singular Jacobian. The HEM half-cell's
    names are checked when its recipe is prepared (:func:`spec_words`)."""
    family, _, cell = command.partition(" ")
    anode = str(model.get("anode", "bare" if family == "eis" else "coated"))
    if family not in ("eis", "limetal") or anode not in ("bare", "coated", "both"):
        return  # cell commands: at the recipe's preparation; a bad anode: model.anode
    anodes = ("bare", "coated") if anode == "both" else (anode,)
    if family == "eis":
        from hemcell.workflows.eis import check_overrides as check
    else:  # the command's registered check (importing hemcell.workflows.limetal here
        # would close the cycle fit -> limetal -> limetal_fit -> fit)
        from hemcell.workflows import parameter_key_check

        command_check = parameter_key_check(command)
        if command_check is None:  # pragma: no cover - every limetal command has one
            return

        def check(_: str, anodes: Sequence[str], entries: Sequence[str]) -> None:
            # the table's rows give the areal capacity (limetal nucleation)
            command_check({"anode": anode, "set_": list(entries), "areal_capacity": 1.0})
    for entries in (list(sets), *([f"{name}=0"] for name in fitted)):
        with spec_words(fitted):
            check(cell, anodes, entries)


#: The fields the cell commands' own checks name (their arguments) → the fit spec's keys.
SPEC_KEYS_OF_ARGUMENTS = {"RECIPE": "model.recipe", "parameter set": "model.params",
                          "--params": "model.params", "--mechanisms": "model.mechanisms",
                          "--ion": "model.ion", "--protocol": "model.protocol",
                          "--recipe": "model.recipe"}


@contextmanager
def spec_words(fitted: Sequence[str], protocol: str = "model.protocol") -> Iterator[None]:
    """Re-raise a command's refusal in the fit spec's words (the user gave no command
    line): a ``--set`` value as ``fit.parameters`` for a fitted name, ``model.set`` for a
    fixed one; ``RECIPE``, ``--mechanisms``, ... as ``model.recipe``, ``model.mechanisms``
    (:data:`SPEC_KEYS_OF_ARGUMENTS`), ``--protocol`` as ``protocol`` (a data set's:
    ``data[k].protocol``). These named the command's arguments (``RECIPE: got
    'hem_full_cell_sp'``, ``--protocol step: got 'Dischrge at ...'``)."""
    try:
        yield
    except InputError as err:
        field = str(err.field)
        if field.startswith("--set"):
            name = str(err.value).split("=", 1)[0].strip()
            where = "fit.parameters" if name in fitted else "model.set"
            raise InputError(where, err.value, err.allowed, hint=err.hint) from None
        for argument, key in SPEC_KEYS_OF_ARGUMENTS.items():
            if field == argument or field.startswith(f"{argument} "):
                hint = err.hint
                if argument == "--protocol":  # a step's temperature: the data set's key
                    key = protocol
                    where = (protocol.replace(".protocol", ".temperature")
                             if protocol.startswith("data[") else "data[k].temperature")
                    hint = hint and hint.replace("--set ambient_temperature=0degC",
                                                 f"{where}: 0 degC")
                raise InputError(key + field[len(argument):], err.value, err.allowed,
                                 hint=hint) from None
        raise


# --------------------------------------------------------------------------- problem


@dataclass
class DataSet:
    """A measured curve prepared for the model.

    Attributes
    ----------
    spec
        As the fit spec names it.
    measurement
        The checked table.
    current_shape
        Applied current [A, or A/kg when ``per_mass``] at the data times.
    constant
        True when the current is one value (the model takes it as an input).
    model_times_s
        Model time of every point (from 0): the data time, or the time at which the
        applied current has passed the point's capacity.
    """

    spec: DataSpec
    measurement: Measurement
    current_shape: np.ndarray
    per_mass: bool
    constant: bool
    data_times_s: np.ndarray
    model_times_s: np.ndarray
    observed: np.ndarray
    x_axis: np.ndarray
    x_label: str
    y_label: str = "voltage"
    #: Times [s] at which the solver stops: the ends of the held current's steps
    #: (:func:`current_steps`)
    stops_s: np.ndarray = field(default_factory=lambda: np.zeros(0))


def _check_capacity_column(d: DataSpec, meas: Measurement, cap: np.ndarray,
                           passed: np.ndarray, mass_kg: float, from_first_row: bool = False
                           ) -> None:
    """Refuse a capacity column that differs from the charge the data set's current
    passed by its row by more than :data:`CURRENT_TOLERANCE` of the curve's total.

    ``cap``, ``passed``: the column's and the current's charge [A s] on the model's
    electrode of ``mass_kg`` at every row. The capacity is the current's integral: a
    mismatch is a unit or active-mass slip in one of the two columns, or (unless
    ``from_first_row``, the column then taken relative to its first row) a capacity
    counted on from an earlier step. A ``voltage_vs_capacity`` curve with a doubled
    capacity column was mapped by ``np.interp`` past its end and fitted to a bound.

    Raises
    ------
    InputError
        Naming the file, the column and the first row off, both values in mAh/g.
    """
    if passed[-1] <= 0:
        return
    off = np.abs(cap - passed) > CURRENT_TOLERANCE * passed[-1]
    if not off.any():
        return
    k = int(np.flatnonzero(off)[0])
    source = (f"the column '{meas.columns['current'].header}'" if "current" in meas
              else f"the protocol '{d.protocol}'")
    per_g = 1.0 / (mass_kg * MAH_PER_G)
    counted = "since the first row " if from_first_row else ""
    raise InputError(meas.where("capacity", k + 1), f"{cap[k] * per_g:.4g} mAh/g {counted}".strip(),
                     f"the charge {source} passed by that row, {passed[k] * per_g:.4g} mAh/g, "
                     f"within {CURRENT_TOLERANCE:.0%} of the curve's "
                     f"{passed[-1] * per_g:.4g} mAh/g",
                     hint=f"check the units of the current and capacity columns and "
                     f"data[{d.index}].active_mass" + ("" if from_first_row else
                     ", and that the capacity counts from the curve's first row (a "
                     "capacity carried over from an earlier step: subtract it)"))


def _protocol_current(setup: Any, protocol: str, field_name: str) -> float | None:
    """Signed current [A] of a one-step constant-current protocol (None: several steps)."""
    steps = setup.experiment.steps
    currents = [s for s in steps if isinstance(s, pybamm.step.Current)]
    if len(steps) == 1 and len(currents) == 1:
        return float(currents[0].value)
    if not currents:
        raise InputError(field_name, protocol, "constant-current steps "
                         "('Discharge at 0.1 A/g until 0.01 V')")
    return None


def held_current(times_s: np.ndarray, current: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Knots of the piecewise-constant current a cycler applied, from its recorded rows.

    A cycler holds its current within a step, and writes a row when a step starts (then
    at its recording period): a row's current is held from that row until the next row
    (zero-order hold, :func:`hemcell.measurements.held_charge`), so a step that starts at
    a recorded row starts there exactly, with or without a row at the end of the step
    before. Joining the rows by straight
    lines instead ramps the current across the whole gap before the step's first row
    when the file holds no row at the previous step's end (a decimated file). Where two
    rows differ, the level changes over a ramp (:data:`CURRENT_EDGE_RAMP_S`) that ends
    at the later row. The charge passed at row k is
    Σ_{j<k} I_j (t_{j+1} − t_j).

    Returns
    -------
    tuple
        ``(knot times [s], current at the knots)`` for a linear interpolant.
    """
    t = np.asarray(times_s, float)
    i = np.asarray(current, float)
    steps = np.flatnonzero(i[1:] != i[:-1])
    edge = t[steps + 1]
    ramp = np.minimum(CURRENT_EDGE_RAMP_S, CURRENT_EDGE_RAMP_FRACTION * (t[steps + 1] - t[steps]))
    knot_t = np.concatenate([[t[0]], np.column_stack([edge - ramp, edge]).ravel()])
    knot_i = np.concatenate([[i[0]], np.column_stack([i[steps], i[steps + 1]]).ravel()])
    if knot_t[-1] < t[-1]:
        knot_t, knot_i = np.append(knot_t, t[-1]), np.append(knot_i, i[-1])
    return knot_t, knot_i


def current_steps(times_s: np.ndarray, current: np.ndarray) -> np.ndarray:
    """Ends of the ramps of :func:`held_current` [s] where the level changes by more than
    :data:`CURRENT_STEP_FRACTION` of the largest |I| (the solver stops there)."""
    knot_t, knot_i = held_current(times_s, current)
    scale = float(np.max(np.abs(knot_i))) or 1.0
    big = np.flatnonzero(np.abs(np.diff(knot_i)) > CURRENT_STEP_FRACTION * scale)
    return np.unique(np.concatenate([knot_t[big], knot_t[big + 1]]))


class FitProgress:
    """Progress lines of a long fit on ``stream`` (stderr), on a terminal and off it.

    A fit's number of model solves is not known beforehand (least squares stops on its
    tolerances), so there is no bar: a line ``[fit 2 min 5 s] start 1 of 3: 14 model
    solves, lowest cost 12.5`` is written once :data:`hemcell.progress.LINE_INTERVAL_S`
    of wall time has passed since the last one (a quick fit writes none), counted at
    each model solve. ``phase`` names what runs (a start, the intervals, a profile);
    the cost is ½ Σ r² of the residual rows (σ-normalised, priors included).

    Parameters
    ----------
    stream
        Where to write (default ``sys.stderr`` at construction).
    clock
        Wall clock [s] (``time.perf_counter``).
    """

    def __init__(self, stream: Any = None, clock: Any = time.perf_counter) -> None:
        import sys

        from hemcell.progress import LineInterval

        self.stream = sys.stderr if stream is None else stream
        self.interval = LineInterval(clock)
        self.phase = "fit"
        self.solves = 0
        self.lowest_cost = math.inf

    def set_phase(self, phase: str) -> None:
        """Name what runs from now on (it heads the next line)."""
        self.phase = phase

    def cost(self, value: float) -> None:
        """Record the cost ½ Σ r² of one residual evaluation."""
        if math.isfinite(value):
            self.lowest_cost = min(self.lowest_cost, value)

    def solved(self) -> None:
        """Count one model solve; write a line if the interval has passed."""
        self.solves += 1
        now = self.interval.due()
        if now is not None:
            self.stream.write(self.line(now) + "\n")
            self.stream.flush()

    def line(self, now: float) -> str:
        """The progress line at wall time ``now``."""
        minutes, seconds = divmod(int(now - self.interval.start_s), 60)
        cost = "" if not math.isfinite(self.lowest_cost) else \
            f", lowest cost {self.lowest_cost:.4g}"
        return f"[fit {minutes} min {seconds} s] {self.phase}: {self.solves} model solves{cost}"


class _Problem:
    """What every model adapter shares: the fit coordinates, residuals with priors and
    weights, forward differences, the point count.

    Subclasses set ``spec``, ``params``, ``datasets``, ``x0``, ``lower``, ``upper`` and
    implement :meth:`model_signals` (the model's value at every data point).
    """

    spec: FitSpec
    params: list[FitParameter]
    datasets: list[Any]
    #: Unit of the compared signal (``V`` or ``mAh/g``) and its factor to SI.
    signal_unit = "V"
    signal_si_per_unit = 1.0
    #: Progress lines of a long fit (:class:`FitProgress`; ``None``: none).
    progress: FitProgress | None = None
    #: What :func:`fit_quality`'s warnings tell to check in data of this kind, and the
    #: usual causes of a misfit of it
    data_checks = "active mass, current, units"
    misfit_causes = "a wrong active mass or current, a missing mechanism"
    #: Data points a fit needs beyond one per fitted parameter (:func:`check_point_count`):
    #: 1 for measured curves and tables; 0 where the data are published targets that
    #: calibrate one value each exactly (the ``limetal fit-*`` calibrations).
    spare_points_least = 1

    def _init_common(self, spec: FitSpec) -> None:
        self.spec = spec
        self.params = spec.parameters
        self.evaluations = 0
        self.failed = 0
        self.notes: list[str] = []
        self.rebuild = False
        self.jacobian_method = "finite_differences"
        self.jacobian_timing_s: dict[str, float] = {}
        #: Jacobians taken by differences because a sensitivity solve failed
        self.sensitivity_fallbacks = 0
        self._signals_cache: dict[tuple, list[np.ndarray] | None] = {}
        self._last_jacobian: tuple[tuple, np.ndarray] | None = None
        self.x0 = np.array([p.to_x(p.initial) for p in self.params], dtype=float)
        self.lower = np.array([p.to_x(p.lower) for p in self.params], dtype=float)
        self.upper = np.array([p.to_x(p.upper) for p in self.params], dtype=float)

    def model_signals(self, x: np.ndarray) -> list[np.ndarray] | None:
        """Model values at every data set's points (None if a solve failed)."""
        raise NotImplementedError

    def simulated_temperature_K(self, d: DataSpec) -> float:
        """The ambient temperature [K] data set ``d`` is simulated at: its own
        ``temperature``, else the base set's ``ambient_temperature`` with ``model.set``."""
        if d.temperature_K is not None:
            return d.temperature_K
        from hemcell.params import ambient_temperature_K

        return ambient_temperature_K(self.base_set_name, list(self.spec.model["set"]))

    def overrides(self, x: np.ndarray) -> list[str]:
        """``--set`` overrides: the spec's fixed values and the fitted ones at ``x``."""
        return [*self.spec.model["set"],
                *(f"{p.name}={float(p.from_x(xi))!r} {p.si_unit}"
                  for p, xi in zip(self.params, x, strict=True))]

    def plot_dataset(self, top: Any, bottom: Any, ds: Any, model: np.ndarray) -> None:
        """Data and model of one data set (``top``) and the residuals (``bottom``)."""
        si = self.signal_si_per_unit
        scale, unit = (1e3, "mV") if self.signal_unit == "V" else (1 / si, self.signal_unit)
        top.plot(ds.x_axis, ds.observed / si, ".", ms=3, color="0.5", label="data")
        top.plot(ds.x_axis, model / si, "-" if len(ds.observed) > 3 else "o", color="C0",
                 label="model")
        t_K = ds.spec.temperature_K  # a data set at its own ambient temperature
        top.set_title(ds.spec.name + ("" if t_K is None else f" at {t_K - 273.15:.4g} degC"),
                      fontsize=9)
        top.set_ylabel(f"{ds.y_label} ({self.signal_unit})")
        top.legend(fontsize=8)
        bottom.plot(ds.x_axis, scale * (model - ds.observed), ".", ms=2, color="C3")
        bottom.axhline(0, color="0.3", lw=0.6)
        bottom.set_xlabel(ds.x_label)
        bottom.set_ylabel(f"model − data ({unit})")

    def signals(self, x: np.ndarray) -> list[np.ndarray] | None:
        """:meth:`model_signals`, remembered for the last few ``x`` (least squares
        evaluates the residuals, then the Jacobian, where it just evaluated; the fit's
        solvability check, the statistics and the rmse ask again at the same points)."""
        key = tuple(np.asarray(x, dtype=float))
        if key not in self._signals_cache:
            if len(self._signals_cache) >= SIGNALS_CACHE_SIZE:
                self._signals_cache.pop(next(iter(self._signals_cache)))
            self._signals_cache[key] = self.model_signals(x)
            if self.progress is not None:
                self.progress.solved()
        return self._signals_cache[key]

    def jacobian(self, x: np.ndarray, columns: Sequence[int] | None = None) -> np.ndarray:
        """Jacobian of :meth:`residuals` at ``x``, the ``columns`` asked for (all by
        default; a profile holds one coordinate fixed and needs the others only). The
        last one is kept: least squares computes it at every accepted point, so the
        statistics find it at the optimum."""
        cols = tuple(range(len(x))) if columns is None else tuple(columns)
        key = (tuple(np.asarray(x, dtype=float)), cols)
        if self._last_jacobian is None or self._last_jacobian[0] != key:
            self._last_jacobian = (key, self.compute_jacobian(x, cols))
        return self._last_jacobian[1].copy()

    def compute_jacobian(self, x: np.ndarray, columns: Sequence[int]) -> np.ndarray:
        """Jacobian of :meth:`residuals` (forward differences unless overridden)."""
        return self.jacobian_fd(x, columns)

    def _sigma(self) -> float:
        """σ the residuals are divided by [SI of the signal]: the given noise, or one
        signal unit when it is estimated (s² rescales the covariance then)."""
        return self.spec.sigma if self.spec.sigma is not None else self.signal_si_per_unit

    def residuals(self, x: np.ndarray) -> np.ndarray:
        """Weighted, σ-normalised residuals and prior rows at ``x``."""
        volts = self.signals(x)
        rows = []
        for k, ds in enumerate(self.datasets):
            w = math.sqrt(ds.spec.weight) / self._sigma()
            if volts is None:
                rows.append(np.full(len(ds.observed), FAILED_RESIDUAL))
            else:
                rows.append(w * (volts[k] - ds.observed))
        rows.append(self._prior_rows(x))
        r = np.concatenate(rows)
        if self.progress is not None:
            self.progress.cost(0.5 * float(r @ r))
        return r

    def _prior_rows(self, x: np.ndarray) -> np.ndarray:
        return np.array([(float(p.from_x(xi)) - p.prior[0]) / p.prior[1]
                         for p, xi in zip(self.params, x, strict=True) if p.prior is not None])

    def _prior_jacobian(self, x: np.ndarray) -> np.ndarray:
        rows = []
        for j, (p, xj) in enumerate(zip(self.params, x, strict=True)):
            if p.prior is None:
                continue
            row = np.zeros(len(x))
            dtheta = float(p.from_x(xj)) * math.log(10) if p.scale == "log" else 1.0
            row[j] = dtheta / p.prior[1]
            rows.append(row)
        return np.array(rows).reshape(-1, len(x))

    def fd_step(self) -> np.ndarray:
        """Forward-difference step in each fit coordinate."""
        return np.array([FD_STEP_DECADES if p.scale == "log" else FD_STEP_LINEAR * (hi - lo)
                         for p, lo, hi in zip(self.params, self.lower, self.upper, strict=True)])

    def jacobian_fd(self, x: np.ndarray, columns: Sequence[int] | None = None) -> np.ndarray:
        """Jacobian of :meth:`residuals` by forward differences (one solve per column
        and one at ``x``), the ``columns`` asked for (all by default)."""
        r0 = self.residuals(x)
        h = self.fd_step()
        cols = []
        for j in range(len(x)) if columns is None else columns:
            xj = x.copy()
            step = h[j] if x[j] + h[j] <= self.upper[j] else -h[j]
            xj[j] += step
            cols.append((self.residuals(xj) - r0) / step)
        return np.column_stack(cols)

    def replace_observed(self, k: int, observed: np.ndarray) -> None:
        """Replace data set ``k``'s measured voltages (a synthetic-noise study re-fits one
        problem to many noise draws without rebuilding anything)."""
        self.datasets[k].observed = np.asarray(observed, dtype=float)
        self._last_jacobian = None

    def n_points(self) -> int:
        """Number of measured points (residual rows without the priors)."""
        return sum(len(ds.observed) for ds in self.datasets)

    def n_rows(self, ds: Any) -> int:
        """Rows of the data file data set ``ds`` came from (one point each)."""
        return len(ds.observed)


def check_point_count(problem: _Problem) -> None:
    """Refuse data with fewer points than the fitted parameters + the adapter's
    :attr:`~_Problem.spare_points_least` (priors not counted).

    With p parameters, p points are matched exactly whatever the model: the residuals are
    zero and nothing judges the fit (a one-row ``cycle_life.csv`` fitted one fatigue
    coefficient "perfectly"); one point more is the least that tests the model. Published
    single targets (a nucleation overpotential, a retention at cycle 300) are meant to
    calibrate one value each exactly: there p points suffice.

    Raises
    ------
    InputError
        Naming ``data``: each file's rows, the points in all and the least number.
    """
    p, n = len(problem.params), problem.n_points()
    least = p + problem.spare_points_least
    if n >= least:
        return
    files = ", ".join(f"{ds.spec.file.name}: {problem.n_rows(ds)} row(s)"
                      for ds in problem.datasets)
    why = (f"the {p} fitted parameter(s) + 1 (with {p} points or fewer the parameters match "
           "the data exactly and nothing judges the fit)" if problem.spare_points_least
           else f"one per fitted parameter ({p}: each published target calibrates one)")
    raise InputError("data", f"{files} ({n} point(s) in all)", f"at least {least} points in "
                     f"all: {why}",
                     hint="add data rows (cycles, C-rates, frequencies) or fit fewer parameters")


def use_keyed_compile_cache() -> Path:
    """Point PyBaMM's compile cache (:data:`AOT_CACHE_ENV`) at ``<base>/hemcell-<key>``.

    ``<base>`` is the user's ``$PYBAMM_CASADI_AOT_CACHE`` (or PyBaMM's default); a value
    that already names a ``hemcell-*`` directory (set here, or in the process a worker's
    environment came from, possibly on another CPU) is replaced by this process's own
    key (:func:`native_compile_cache_key`) under the same base
    (:func:`hemcell.cell.compiled.keyed_cache_dir`).

    Returns
    -------
    Path
        The directory PyBaMM compiles into from now on in this process.
    """
    import os

    keyed = keyed_cache_dir(native_compile_cache_key())
    os.environ[AOT_CACHE_ENV] = str(keyed)
    return keyed


def check_temperatures(spec: FitSpec, base: Any) -> None:
    """Refuse a data set's temperature outside the model electrolyte's range, and an
    activation energy fitted from data at one temperature (``cell run``, ``cell
    cycle-life``; ``base``: the prepared cell at the parameter set's temperature).

    The range is the electrolyte's: the Valoen & Reimers LiPF6 fits of the Li half-cell
    (:data:`~hemcell.materials.lipf6_electrolyte.VALOEN_TEMPERATURE_RANGE_K`, with its
    source); an electrolyte without temperature dependence (the Na/K tables, a full
    cell's Prada2013 or Nyman2008 values) only near the 298.15 K it was tabulated at
    (:func:`hemcell.cell.electrolytes.electrolyte_table_warnings`,
    :func:`~hemcell.cell.electrolytes.constant_transport_warnings`). ``cell run`` only
    warns there; a fit would put the electrolyte's error into the fitted rate constants.

    Raises
    ------
    InputError
        Naming ``data[k].temperature`` (the range and its source) or
        ``fit.parameters.<name>`` (the one temperature).
    """
    from hemcell.cell.electrolytes import (
        TABLE_TEMPERATURE_K,
        TABLE_TEMPERATURE_TOLERANCE_K,
        constant_transport_warnings,
        electrolyte_table_warnings,
    )
    from hemcell.materials.lipf6_electrolyte import (
        VALOEN_TEMPERATURE_RANGE_K,
        VALOEN_TEMPERATURE_RANGE_SOURCE,
        valoen_electrolyte_state,
    )

    valoen = valoen_electrolyte_state(base.parameter_values) is not None
    ion = str(base.si.get("_carrier_ion", "Li"))
    for d in spec.data:
        if d.temperature_K is None:
            continue
        text, field_name = spec.raw["data"][d.index]["temperature"], \
            f"data[{d.index}].temperature"
        lo, hi = VALOEN_TEMPERATURE_RANGE_K
        if valoen and not lo - 1e-9 <= d.temperature_K <= hi + 1e-9:
            raise InputError(field_name, text, f"a temperature in {lo - 273.15:g} to "
                             f"{hi - 273.15:g} degC ({lo:g}-{hi:g} K), the range of the "
                             "model's electrolyte (Valoen & Reimers 2005 LiPF6 fits; "
                             f"assumed: {VALOEN_TEMPERATURE_RANGE_SOURCE['assumed']})",
                             hint="outside it `cell run` extrapolates the electrolyte "
                             "with a warning; a fit would put that into the fitted values")
        at_t = base.parameter_values.copy()
        at_t.update({"Ambient temperature [K]": d.temperature_K})
        table = [] if valoen else (electrolyte_table_warnings(ion, d.temperature_K)
                                   or constant_transport_warnings(at_t))
        if table:
            raise InputError(field_name, text, f"a temperature within "
                             f"{TABLE_TEMPERATURE_TOLERANCE_K:g} K of {TABLE_TEMPERATURE_K:g} K, "
                             "where the model's electrolyte values were tabulated (assumed "
                             "tolerance: a thermostat's setting): "
                             f"{table[0]}")
    ambient = float(base.si["ambient_temperature"])
    temperatures = {round(ambient if d.temperature_K is None else d.temperature_K, 9)
                    for d in spec.data}
    for p in spec.parameters:
        if p.name.endswith("_activation_energy") and len(temperatures) < 2:
            raise InputError(f"fit.parameters.{p.name}", f"data at one temperature "
                             f"({next(iter(temperatures)):g} K)",
                             "data sets at two or more temperatures (data[k].temperature, "
                             "e.g. 0 degC and 45 degC) to fit an activation energy",
                             hint="at one temperature an activation energy only scales "
                             "its rate constant (not identifiable), and at the set's "
                             "reference_temperature it changes nothing")


class FitProblem(_Problem):
    """Residuals and Jacobian of a fit spec on ONE built model (module doc).

    Parameters
    ----------
    spec
        From :func:`load_spec`.
    rebuild
        Build and discretise the model again at every evaluation (the naive loop the
        benchmark compares against; also used when a fitted value changes the model's
        structure).
    """

    def __init__(self, spec: FitSpec, rebuild: bool = False) -> None:
        from hemcell.workflows.anode import prepare_cell
        from hemcell.workflows.anode_sweep import differing_parameters

        self._init_common(spec)
        m = spec.model
        self.base_set_name = str(m["params"])
        self._prepare_kw = {"mechanisms": m.get("mechanisms"), "ion": m.get("ion")}
        self._cache: dict[tuple, Any] = {}
        self._prepare = prepare_cell
        with spec_words([p.name for p in self.params]):
            base = self.setup(self.x0)
        self.base = base
        self.datasets = [self._dataset(d) for d in spec.data]
        check_temperatures(spec, base)
        probes = [base]
        for j in range(len(self.params)):
            for bound in (self.lower[j], self.upper[j]):
                x = self.x0.copy()
                x[j] = bound
                probes.append(self.setup(x))
        #: the active mass [g] moves with a fitted value: per-mass currents follow it
        self.mass_varies = any(s.mass_g != base.mass_g for s in probes)
        self.mode, self._symbolic = self._choose_mode(probes, rebuild)
        self.rebuild = self.mode == "rebuild"
        self.inputs: tuple[str, ...] = (
            tuple(p.name for p in self.params) if self.mode == "symbolic"
            else differing_parameters(probes) if self.mode == "inputs" else ())
        self._sims: dict[tuple[Any, bool], pybamm.Simulation] = {}
        #: the symbolic values at each data set's own temperature (``symbolic`` mode)
        self._symbolic_at: dict[float, dict[str, Any]] = {}
        #: models whose compiled form failed where the interpreted one solves
        #: (:meth:`_solve_interpreted`)
        self._interpreted: set[tuple[Any, bool]] = set()
        self._retry_sims: dict[tuple[Any, bool], pybamm.Simulation] = {}
        #: ``auto``: forward differences until they have cost the model's set-up, then
        #: the sensitivities are tried once (:meth:`compute_jacobian`)
        self.try_sensitivities = spec.jacobian == "auto" and not self.rebuild
        self.jacobian_method = ("finite_differences" if self.rebuild or self.try_sensitivities
                                else spec.jacobian)
        #: wall time of building and setting up the plain models [s], of the forward-
        #: difference Jacobians so far [s], of each data set's last plain solve [s]
        self.setup_s = 0.0
        self.fd_jacobian_s = 0.0
        self._solve_s: dict[int, float] = {}

    def _base_at(self, temperature_K: float | None) -> Any:
        """The prepared cell at the initial values and an ambient temperature (None: the
        set's)."""
        return self.base if temperature_K is None else self.setup(self.x0,
                                                                  temperature_K=temperature_K)

    def _symbolic_values(self, temperature_K: float | None = None) -> dict[str, Any] | None:
        """PyBaMM values with every fitted registry value as a ``pybamm.InputParameter``.

        The half-cell parameter mapping is evaluated with symbols in place of the fitted
        numbers, so values computed from them (an Arrhenius diffusivity, an exchange-
        current function) carry the input too; at ``temperature_K`` (a data set's, None:
        the set's). ``None`` when the mapping needs the number itself (a comparison, a
        full cell).
        """
        from hemcell.cell.parameters import pybamm_values

        base = self._base_at(temperature_K)
        if base.recipe.cell != "half" or self._carrier_dependent():
            return None
        si = dict(base.si)
        si.update({p.name: pybamm.InputParameter(p.name) for p in self.params})
        try:
            pv = pybamm_values(si, base.inventory, mechanisms=base.recipe.mechanisms,
                               reader=f"recipe {base.recipe.name}")
        except (NotImplementedError, TypeError, ValueError, ArithmeticError, InputError):
            return None
        return {k: v for k, v in pv.items() if isinstance(v, pybamm.Symbol) or callable(v)}

    def _carrier_dependent(self) -> bool:
        """Whether a fitted value reaches the model through the carrier-ion substitution
        (:func:`hemcell.cell.carriers.apply_carrier_ion`: ``<key>_<a>`` becomes
        ``<key>``, the branches move by ``conversion_potential_shift_<a>``, the
        space-charge capacitance follows ``space_charge_site_density``): the base set's
        values are already substituted numbers, so the fitted name must go through
        :meth:`setup` (``inputs`` mode), not be put in as a symbol (a fitted
        ``conversion_exchange_current_density_na`` changed nothing: singular Jacobian)."""
        from hemcell.cell.carriers import carrier_substituted

        return carrier_substituted(self.base.si, [p.name for p in self.params])

    def _choose_mode(self, probes: Sequence[Any], rebuild: bool) -> tuple[str, dict[str, Any]]:
        """``symbolic`` (fitted values are inputs), ``inputs`` (the PyBaMM numbers they
        move are inputs) or ``rebuild`` (a fitted value changes the model's structure)."""
        from hemcell.workflows.anode_sweep import PARTICLE_RADII, Structure, mesh_parameters

        if rebuild:
            return "rebuild", {}
        mesh = mesh_parameters(self.base)
        symbolic = self._symbolic_values()
        if symbolic is not None:
            on_mesh = [k for k, v in symbolic.items() if isinstance(v, pybamm.Symbol)
                       and k in mesh and k not in PARTICLE_RADII]
            if not on_mesh:
                return "symbolic", symbolic
        structure = Structure.of(self.base, mesh)
        for probe in probes[1:]:
            diff = structure.difference(Structure.of(probe, mesh))
            if diff:
                self.notes.append(f"a fitted value changes the model's {diff}: the model "
                                  "is rebuilt at every evaluation")
                return "rebuild", {}
        return "inputs", {}

    # ---- parameters -> setups -> inputs

    def setup(self, x: np.ndarray, protocol: str = "Rest for 1 second",
              temperature_K: float | None = None) -> Any:
        """The prepared cell (``cell run`` without solving) at fit coordinates ``x`` and
        an ambient temperature [K] (a data set's; None: the parameter set's)."""
        key = (protocol, temperature_K, *np.round(np.asarray(x, dtype=float), 14))
        if key not in self._cache:
            if len(self._cache) > 64:
                self._cache.clear()
            m = self.spec.model
            ambient = ([] if temperature_K is None
                       else [f"ambient_temperature={temperature_K!r} K"])
            self._cache[key] = self._prepare(m["recipe"], m["params"], protocol,
                                             overrides=[*self.overrides(x), *ambient],
                                             **self._prepare_kw)
        return self._cache[key]

    def input_values(self, x: np.ndarray, k: int) -> dict[str, float]:
        """PyBaMM input values of data set ``k`` at ``x`` (fitted values and current)."""
        from hemcell.workflows.anode_sweep import _number

        ds = self.datasets[k]
        if self.mode == "symbolic":
            values = {p.name: float(p.from_x(xj)) for p, xj in zip(self.params, x, strict=True)}
        else:
            pv = self.setup(x, temperature_K=ds.spec.temperature_K).parameter_values
            values = {n: _number(pv[n]) for n in self.inputs}
        mass_g = self.setup(x).mass_g if self.mass_varies else self.base.mass_g
        scale = mass_g * 1e-3 if ds.per_mass else 1.0
        values[CURRENT_INPUT] = scale * (float(ds.current_shape[0]) if ds.constant else 1.0)
        return values

    def input_derivatives(self, x: np.ndarray, k: int) -> dict[str, np.ndarray]:
        """d(input)/dx of every input that moves with ``x`` (exact for fitted inputs,
        forward differences of the parameter mapping otherwise; no solve)."""
        out: dict[str, np.ndarray] = {}
        rest = range(len(x))
        if self.mode == "symbolic":
            for j, (p, xj) in enumerate(zip(self.params, x, strict=True)):
                d = np.zeros(len(x))
                d[j] = float(p.from_x(xj)) * math.log(10) if p.scale == "log" else 1.0
                out[p.name] = d
            rest = range(len(x)) if self.mass_varies else range(0)
        u0 = self.input_values(x, k)
        h = self.fd_step()
        for j in rest:
            xj = x.copy()
            xj[j] += h[j]
            for n, v in self.input_values(xj, k).items():
                if n not in out or n == CURRENT_INPUT:
                    if v != u0[n]:
                        out.setdefault(n, np.zeros(len(x)))[j] = (v - u0[n]) / h[j]
        return out

    def _dataset(self, d: DataSpec) -> DataSet:
        by_capacity = self.spec.signal == "voltage_vs_capacity"
        meas = read_measurement(d.file, required=("capacity", "voltage") if by_capacity
                                else ("time", "voltage"))
        si, name = self.base.si, d.file.name
        check_voltage_window(meas, float(si["lower_voltage_cutoff"]),
                             float(si["upper_voltage_cutoff"]))
        prot_current = None
        if d.protocol:
            with spec_words([p.name for p in self.params], f"data[{d.index}].protocol"):
                setup = self._prepare(self.spec.model["recipe"], self.spec.model["params"],
                                      d.protocol, overrides=self.overrides(self.x0),
                                      **self._prepare_kw)
            prot_current = _protocol_current(setup, d.protocol, f"{name}: protocol")
            signs = [np.sign(s.value) for s in setup.experiment.steps
                     if isinstance(s, pybamm.step.Current)]
            if "current" in meas and len(set(signs)) == 1:
                check_current_sign(meas, signs[0], d.protocol)
        from hemcell.cell.protocols import absolute_currents

        model_g = self.base.mass_g
        if prot_current is not None:
            prot_shape, prot_per_mass = np.full(len(meas), prot_current), False
            if absolute_currents(d.protocol or ""):
                prot_shape, prot_per_mass = on_active_mass(
                    d, prot_shape, False, f"the protocol '{d.protocol}'", model_g)
        if "current" in meas:
            check_sign_by_voltage(meas)
            col = meas.columns["current"]
            shape, per_mass = on_active_mass(d, col.values, col.per_mass,
                                             f"the column '{col.header}'", model_g)
            if prot_current is not None:
                self._check_current_level(d, meas, (shape, per_mass),
                                          (prot_shape, prot_per_mass))
        elif prot_current is not None:
            shape, per_mass = prot_shape, prot_per_mass
        else:
            raise InputError(f"{name}: columns", [c.header for c in meas.columns.values()],
                             "a 'current [...]' column, or a one-step constant-current "
                             "protocol",
                             hint="add `protocol: Discharge at 0.1 A/g until 0.01 V` to the "
                             "data set")
        constant = bool(np.all(shape == shape[0]))
        if "time" not in meas:  # a voltage-capacity curve at one constant current
            model_t, x_axis, x_label = self._constant_current_times(d, meas, shape, per_mass)
            t = model_t
        else:
            t = meas["time"] - meas["time"][0]
            if self.spec.signal == "voltage_vs_time":
                model_t, x_axis, x_label = t, t / 3600.0, "time (h)"
                if "capacity" in meas:
                    self._check_timed_capacity(d, meas, shape, per_mass, t)
            else:
                model_t, x_axis, x_label = self._capacity_times(d, meas, shape, per_mass, t)
        stops = np.zeros(0) if constant else current_steps(t, shape)
        return DataSet(d, meas, np.asarray(shape, float), per_mass, constant, t, model_t,
                       meas["voltage"], x_axis, x_label, stops_s=stops)

    def _check_current_level(self, d: DataSpec, meas: Measurement,
                             column: tuple[np.ndarray, bool], protocol: tuple[np.ndarray, bool]
                             ) -> None:
        """Refuse a current column that differs from its one-step constant-current
        protocol by more than :data:`CURRENT_TOLERANCE` in any row (both per gram).

        ``column``, ``protocol``: (current, per_mass) as :func:`on_active_mass` gives them.
        """
        from hemcell.measurements import unit_factor

        mass_kg = self.base.mass_g * 1e-3
        col_per_kg, prot_per_kg = (v if pm else v / mass_kg for v, pm in (column, protocol))
        deviation = np.abs(col_per_kg - prot_per_kg) / np.abs(prot_per_kg)
        bad = np.flatnonzero(deviation > CURRENT_TOLERANCE)
        if bad.size:
            k = int(bad[0])
            col = meas.columns["current"]
            raise InputError(meas.where("current", k + 1),
                             f"{col.values[k] / unit_factor(col):g} {col.unit} "
                             f"= {col_per_kg[k]:.4g} mA/g",
                             f"the current of the data set's protocol '{d.protocol}' "
                             f"({prot_per_kg[k]:.4g} mA/g) within {CURRENT_TOLERANCE:.0%}",
                             hint="the column and the protocol disagree: check the column's "
                             f"unit and data[{d.index}].active_mass (the model's electrode "
                             f"holds {self.base.mass_g * 1e3:.4g} mg)")

    def _constant_current_times(self, d: DataSpec, meas: Measurement, shape: np.ndarray,
                                per_mass: bool) -> tuple[np.ndarray, np.ndarray, str]:
        """Model times of a curve without time (voltage against capacity, as a paper's
        figure or a cycler's V-Q export gives it): at one constant current I the charge Q
        is passed at t = Q / |I|.

        Raises
        ------
        InputError
            A current that is not one constant value (a varying one needs the times).
        """
        if not np.all(shape == shape[0]):
            raise InputError(f"{d.file.name}: columns", [c.header for c in meas.columns.values()],
                             "a 'time [s]' column with a current that varies (without time, "
                             "the data set's one-step constant-current protocol)")
        cap, mass_kg = self._curve_charge(d, meas)
        i_abs = abs(float(shape[0])) * (mass_kg if per_mass else 1.0)  # A
        return cap / i_abs, cap / mass_kg / MAH_PER_G, "capacity (mAh/g)"

    def _capacity_times(self, d: DataSpec, meas: Measurement, shape: np.ndarray,
                        per_mass: bool, t: np.ndarray) -> tuple[np.ndarray, np.ndarray, str]:
        """Model times at which the applied current has passed each point's capacity.

        The charge passed is that of the held current the model is driven with
        (:func:`held_charge`).

        Raises
        ------
        InputError
            A capacity that differs from the charge passed by its row by more than
            :data:`CURRENT_TOLERANCE` of the curve's total charge (the capacity is the
            current's integral): a unit or active-mass slip in one of the two columns, or
            a capacity counted on from an earlier step. ``np.interp`` put every capacity
            beyond the curve's end at its last time.
        """
        cap, mass_kg = self._curve_charge(d, meas)
        passed = held_charge(t, np.abs(shape) * (mass_kg if per_mass else 1.0))
        _check_capacity_column(d, meas, cap, passed, mass_kg)
        return np.interp(cap, passed, t), cap / mass_kg / MAH_PER_G, "capacity (mAh/g)"

    def _check_timed_capacity(self, d: DataSpec, meas: Measurement, shape: np.ndarray,
                              per_mass: bool, t: np.ndarray) -> None:
        """Check the capacity column of a ``voltage_vs_time`` curve (which the fit does
        not compare) against the charge its current passed, from its first row.

        Checked where it is one running count: a current of one sign and a capacity that
        does not fall (a cycler's capacity that restarts at every step, or a discharge
        and a charge in one file, follow conventions that differ between cyclers), per
        gram or with ``active_mass``. Such a column is the data's own record of the
        charge: a unit slip in the current column (a current in A/kg that meant A/g ran
        the model at a thousandth of it and ended POOR at a bound) shows against it.
        """
        col = meas.columns["capacity"]
        if (not col.per_mass and d.active_mass is None) or (
                np.any(shape > 0) and np.any(shape < 0)):
            return
        mass_kg = self.base.mass_g * 1e-3
        values, cap_per_mass = on_active_mass(d, col.values, col.per_mass,
                                              f"the column '{col.header}'", self.base.mass_g)
        cap = np.abs(values) * (mass_kg if cap_per_mass else 1.0)
        cap = cap - cap[0]
        if np.any(np.diff(cap) < 0):
            return
        passed = held_charge(t, np.abs(shape) * (mass_kg if per_mass else 1.0))
        _check_capacity_column(d, meas, cap, passed, mass_kg, from_first_row=True)

    def _curve_charge(self, d: DataSpec, meas: Measurement) -> tuple[np.ndarray, float]:
        """(charge passed at each point of a voltage-capacity curve [A s] on the model's
        electrode, the model's active mass [kg]): the capacity column's magnitudes.

        Raises
        ------
        InputError
            A capacity that does not increase along the curve.
        """
        col = meas.columns["capacity"]
        mass_kg = self.base.mass_g * 1e-3
        values, cap_per_mass = on_active_mass(d, col.values, col.per_mass,
                                              f"the column '{col.header}'", self.base.mass_g)
        cap = np.abs(values) * (mass_kg if cap_per_mass else 1.0)
        back = np.flatnonzero(np.diff(cap) <= 0)
        if back.size:
            raise InputError(meas.where("capacity", int(back[0]) + 2), "not increasing",
                             "a capacity that increases along the curve")
        return cap, mass_kg

    # ---- model

    def _simulation(self, k: int, sensitivities: bool, x: np.ndarray | None = None
                    ) -> pybamm.Simulation:
        """The built model of data set ``k`` (shared by constant-current sets)."""
        from hemcell.workflows.anode import build_simulation
        from hemcell.workflows.anode_sweep import PARTICLE_RADII

        ds = self.datasets[k]
        temperature = ds.spec.temperature_K  # a model per temperature (None: the set's)
        key = ((-1, temperature) if ds.constant else k, sensitivities)
        if not self.rebuild and key in self._sims:
            return self._sims[key]
        t0 = time.perf_counter()
        base = (self._base_at(temperature) if x is None or not self.rebuild
                else self.setup(x, temperature_K=temperature))
        pv = base.parameter_values.copy()
        if self.mode == "symbolic":
            if temperature is not None and temperature not in self._symbolic_at:
                symbolic = self._symbolic_values(temperature)
                if symbolic is None:  # pragma: no cover - the mapping is the same at any T
                    raise SimulationError(f"the fitted values cannot enter the model at "
                                          f"{temperature:g} K as inputs")
                self._symbolic_at[temperature] = symbolic
            pv.update(self._symbolic if temperature is None else self._symbolic_at[temperature],
                      check_already_exists=False)
        elif self.mode == "inputs":
            pv.update({n: pybamm.InputParameter(n) for n in self.inputs})
        symbols = set(self._symbolic if self.mode == "symbolic" else self.inputs)
        submeshes = {PARTICLE_RADII[n]: pybamm.SymbolicUniform1DSubMesh
                     for n in PARTICLE_RADII if n in symbols}
        if ds.constant:
            pv.update({"Current function [A]": pybamm.InputParameter(CURRENT_INPUT)},
                      check_already_exists=False)
        else:
            times, shape = held_current(ds.data_times_s, ds.current_shape)

            def current(t: pybamm.Symbol) -> pybamm.Symbol:
                return (pybamm.Interpolant(times, shape, t, name=f"current of {ds.spec.name}")
                        * pybamm.InputParameter(CURRENT_INPUT))

            pv.update({"Current function [A]": current}, check_already_exists=False)
        # a P2D model built once is re-solved at every evaluation of the fit: its residual
        # and Jacobian run compiled to C where that pays or their library is cached
        # (hemcell.cell.compiled; the sensitivity model stays as built)
        expected = (FIT_SOLVES_EXPECTED if (not sensitivities and not self.rebuild
                                            and base.recipe.geometry not in COMPILED_GEOMETRIES)
                    else None)
        sim = build_simulation(base.recipe, pv, base.inventory, submesh_types=submeshes,
                               expected_solves=expected)
        # the same simulation and the recipe's solver settings (tolerances and IDAKLU
        # options, as `cell run` solves it), with a solver that keeps only the voltage
        # (~30 % faster) and, for a model built once, runs its functions compiled
        compiled = (not sensitivities and not self.rebuild and key not in self._interpreted
                    and base.recipe.geometry in COMPILED_GEOMETRIES)
        if compiled:
            use_keyed_compile_cache()
        # a compiled solve that fails is retried interpreted (:meth:`_solve_interpreted`),
        # which says SUNDIALS' errors if it fails too: the compiled attempt is silent
        silent = compiled or sim.solver.options.get("silence_sundials_errors", False)
        solver = type(sim.solver)(rtol=sim.solver.rtol, atol=sim.solver.atol,
                                  output_variables=[VOLTAGE],
                                  options={**sim.solver.options, "compile": compiled,
                                           "silence_sundials_errors": silent})
        sim = pybamm.Simulation(sim.model, parameter_values=sim.parameter_values,
                                var_pts=sim.var_pts, submesh_types=sim.submesh_types,
                                solver=solver)
        sim.hemcell_compiled = compiled  # type: ignore[attr-defined]
        if not self.rebuild:
            self._sims[key] = sim
            if not sensitivities:
                self.setup_s += time.perf_counter() - t0
        return sim

    def _solve_interpreted(self, k: int, **solve_kw: Any) -> tuple[pybamm.Simulation, Any]:
        """Solve data set ``k`` with its plain model interpreted, after its compiled model
        failed; if that solves, the data set runs interpreted from now on. A safeguard: the
        compiled single-particle anode failed at t = 0 at 0, 10 and 24 degC on a synthetic
        0.5 A/g curve while the interpreted one solved, until the alloying stages' front
        factor took both its powers at run time
        (:func:`hemcell.cell.mechanisms.base.one_sided_front_factor`); compiled and
        interpreted runs now agree to round-off.

        Raises
        ------
        pybamm.SolverError
            The interpreted model fails too (a point the model cannot solve: the compiled
            model is kept, the interpreted one remembered for the next such retry).
        """
        ds = self.datasets[k]
        key = ((-1, ds.spec.temperature_K) if ds.constant else k, False)
        compiled = self._sims.pop(key)
        self._interpreted.add(key)
        sim = self._retry_sims.get(key) or self._simulation(k, False)
        try:
            sol = sim.solve(**solve_kw)
        except pybamm.SolverError:
            self._interpreted.discard(key)
            self._sims[key], self._retry_sims[key] = compiled, sim
            raise
        self._sims[key] = sim
        note = ("the compiled model failed where the interpreted one solves: data set "
                f"'{ds.spec.name}' runs interpreted")
        if note not in self.notes:
            self.notes.append(note)
        return sim, sol

    def solve(self, x: np.ndarray, k: int, sensitivities: Sequence[str] = ()
              ) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """Model voltage [V] at data set ``k``'s points, and dV/d(input) if asked.

        Past a solver termination (a voltage cut-off reached before the data end) the
        last voltage is held. Raises :class:`pybamm.SolverError` on a failed solve.
        """
        ds = self.datasets[k]
        sim = self._simulation(k, bool(sensitivities), x)
        inputs = self.input_values(x, k)
        self.evaluations += 1
        t_out = np.unique(ds.model_times_s)
        set_up = sim.built_model is None
        t0 = time.perf_counter()
        end = float(t_out[-1])
        stops = ds.stops_s[(ds.stops_s > 0.0) & (ds.stops_s < end)]
        t_eval = np.array([0.0, *stops, end])
        try:
            sol = sim.solve(t_eval=t_eval, t_interp=t_out, inputs=inputs,
                            calculate_sensitivities=list(sensitivities) or False)
        except pybamm.SolverError:
            if not getattr(sim, "hemcell_compiled", False):
                raise
            sim, sol = self._solve_interpreted(k, t_eval=t_eval, t_interp=t_out, inputs=inputs)
        #: the solver's time of this solve, without building and setting up [s]
        self.last_solve_s = float(sol.solve_time.value)
        if not sensitivities:
            self._solve_s[k] = self.last_solve_s
            if set_up and not self.rebuild:
                self.setup_s += time.perf_counter() - t0
        v = sol[VOLTAGE]
        t_sol = sol.t
        voltage = np.interp(ds.model_times_s, t_sol, np.ravel(v.entries))
        # past a voltage cut-off the held voltage is the cut-off's, V(t_e(θ), θ) = V_cut:
        # its derivative is zero (∂V/∂θ + dV/dt dt_e/dθ, with dt_e/dθ = −(∂V/∂θ)/(dV/dt));
        # the solver's ∂V/∂θ at t_e, held, was up to 9x the central differences' column
        held = (ds.model_times_s > t_sol[-1]) if sol.termination in VOLTAGE_EVENTS else None
        sens = {}
        for name in sensitivities:
            sens[name] = np.interp(ds.model_times_s, t_sol, np.ravel(v.sensitivities[name]))
            if held is not None:
                sens[name][held] = 0.0
        return voltage, sens

    # ---- least squares

    def model_signals(self, x: np.ndarray) -> list[np.ndarray] | None:
        """Model voltage of every data set at ``x`` (None if a solve failed)."""
        out = []
        for k in range(len(self.datasets)):
            try:
                out.append(self.solve(x, k)[0])
            except (pybamm.SolverError, SimulationError, ValueError):
                self.failed += 1
                return None
        return out

    def sensitivity_names(self, k: int) -> list[str]:
        """Inputs of data set ``k``'s model that move with the fitted values."""
        moving = [*self.inputs, *([CURRENT_INPUT] if self.mass_varies
                                  and self.datasets[k].per_mass else [])]
        sim = self._simulation(k, True)
        if sim.built_model is None:
            sim.build()
        present = {p.name for p in sim.built_model.input_parameters}
        return [n for n in moving if n in present]

    def jacobian_sens(self, x: np.ndarray) -> np.ndarray:
        """Jacobian from the solver's sensitivities: dr/dx = Σ_n dr/du_n du_n/dx.

        ``u`` are the model's inputs (:meth:`input_derivatives` gives du/dx). A fitted
        value the model does not read gives a zero column.
        """
        blocks = []
        for k, ds in enumerate(self.datasets):
            du = self.input_derivatives(x, k)
            names = self.sensitivity_names(k)
            w = math.sqrt(ds.spec.weight) / self._sigma()
            jac = np.zeros((len(ds.observed), len(x)))
            try:
                _, sens = self.solve(x, k, names)
            except (pybamm.SolverError, SimulationError, ValueError):
                self.failed += 1
                blocks.append(jac)
                continue
            for n in names:
                if n in du:
                    jac += np.outer(sens[n], du[n])
            blocks.append(w * jac)
        blocks.append(self._prior_jacobian(x))
        return np.vstack(blocks)

    def compute_jacobian(self, x: np.ndarray, columns: Sequence[int]) -> np.ndarray:
        """Jacobian by the chosen method, the ``columns`` asked for.

        ``auto`` starts with forward differences and tries the sensitivities once the
        differences have cost as much as building and setting up the plain model did
        (:attr:`setup_s`): the sensitivity model costs about as much to set up, and
        that is lost if differences stay cheaper, so a fit never pays more than about
        twice what the better method would have cost it (the rent-or-buy rule). A fit
        with few Jacobians never tries them.
        """
        if self.try_sensitivities and self.fd_jacobian_s >= self.setup_s:
            self.try_sensitivities = False
            self.jacobian_method = self._cheaper_jacobian(x)
        if self.jacobian_method == "sensitivities":
            failed = self.failed
            jac = self.jacobian_sens(x)
            if self.failed == failed:
                return jac[:, list(columns)]
            # a failed sensitivity solve leaves its rows zero: a zero gradient would stop
            # the fit where it stands, "converged"; this Jacobian is taken by differences
            self.sensitivity_fallbacks += 1
        t0 = time.perf_counter()
        jac = self.jacobian_fd(x, columns)
        self.fd_jacobian_s += time.perf_counter() - t0
        return jac

    def _cheaper_jacobian(self, x: np.ndarray) -> str:
        """One sensitivity solve of the quickest data set against its last plain solve
        (the solver's times, without set-up); the cheaper estimate wins: p plain solves
        for forward differences, one sensitivity solve."""
        try:
            if not self._solve_s:
                self.solve(x, 0)
            k = min(self._solve_s, key=self._solve_s.__getitem__)
            plain = self._solve_s[k]
            self.solve(x, k, self.sensitivity_names(k))
            sens = self.last_solve_s
        except (pybamm.SolverError, SimulationError, ValueError):
            return "finite_differences"
        self.jacobian_timing_s = {"finite_differences": len(x) * plain, "sensitivities": sens}
        return min(self.jacobian_timing_s, key=self.jacobian_timing_s.__getitem__)


@dataclass
class TargetSet:
    """Measured (or published) values compared one to one with a model's outputs."""

    spec: DataSpec
    measurement: Measurement
    observed: np.ndarray
    x_axis: np.ndarray
    x_label: str
    y_label: str


#: Fitted registry values the built Li‖LFP cell takes as inputs, and the keyword of
#: :meth:`hemcell.limetal.halfcell.LFPHalfCell.inputs` that carries each; any other fitted
#: value rebuilds the cell at every evaluation.
LIMETAL_INPUTS = {"lfp_charged_stoichiometry": "x0", "lfp_particle_diffusivity": "ds"}
#: C/kg per mAh/g.
MAH_PER_G = 3.6e3


class LiMetalRateProblem(_Problem):
    """``limetal rate``: discharge capacity of the Li‖LFP half-cell at each C-rate.

    The data set is a table ``c_rate [1/h], capacity [mAh/g]`` (a published rate
    capability); each evaluation is :func:`hemcell.limetal.halfcell.rate_test` (all
    C-rates in one multi-input solve of one built cell).
    """

    signal_unit = "mAh/g"
    signal_si_per_unit = MAH_PER_G
    data_checks = "units, the capacity per gram of LFP"
    misfit_causes = "a wrong unit or basis, a process the model lacks"

    def __init__(self, spec: FitSpec, rebuild: bool = False) -> None:
        from hemcell.params.li_sets import li_anode_set_name

        self._init_common(spec)
        self.anode = str(spec.model["anode"])
        self.base_set_name = li_anode_set_name(self.anode, "model.anode")
        other = [p.name for p in self.params if p.name not in LIMETAL_INPUTS]
        self.rebuild = rebuild or bool(other)
        if other:
            self.notes.append(f"{', '.join(other)} not an input of the built Li||LFP cell "
                              f"(inputs: {sorted(LIMETAL_INPUTS)}): the cell is rebuilt at "
                              "every evaluation")
        if len(spec.data) != 1:
            raise InputError("data", [d.file.name for d in spec.data],
                             "one table 'c_rate [1/h], capacity [mAh/g]' for limetal rate")
        d = spec.data[0]
        meas = read_measurement(d.file, required=("c_rate", "capacity"))
        cap = meas.columns["capacity"]
        if not cap.per_mass:
            raise InputError(f"{d.file.name}: column '{cap.header}'", cap.unit,
                             "a capacity per mass of LFP, e.g. [mAh/g]")
        self.c_rates = [float(c) * 3600.0 for c in meas["c_rate"]]
        self.datasets = [TargetSet(d, meas, np.asarray(cap.values, float),
                                   np.asarray(self.c_rates), "C-rate (1/h)", "capacity")]
        self._cell = None if self.rebuild else self._build(self.overrides(self.x0))

    def _build(self, overrides: Sequence[str]) -> Any:
        from hemcell.limetal.halfcell import build_half_cell
        from hemcell.limetal.parameters import cell_parameters, load_anode_set

        pset = load_anode_set(self.anode, list(overrides))
        return build_half_cell(cell_parameters(pset, self.anode), pset)

    def model_signals(self, x: np.ndarray) -> list[np.ndarray] | None:
        """Discharge capacity [C/kg] at every C-rate (None if a solve failed)."""
        from hemcell.limetal.halfcell import rate_test

        self.evaluations += 1
        try:
            if self.rebuild:
                cell, changes = self._build(self.overrides(x)), {}
            else:
                cell = self._cell
                changes = {LIMETAL_INPUTS[p.name]: float(p.from_x(xj))
                           for p, xj in zip(self.params, x, strict=True)}
            result = rate_test(cell, self.c_rates, **changes)
        except (SimulationError, pybamm.SolverError):
            self.failed += 1
            return None
        except InputError as err:  # the command's words: its options, not the data's column
            if not str(err.field).startswith("C-rate"):
                raise
            table = self.datasets[0]
            header = table.measurement.columns["c_rate"].header
            raise InputError(f"{table.spec.file.name}: column '{header}'", err.value,
                             err.allowed, hint=f"{err.hint or ''}; check the column's unit: "
                             "a C-rate is per hour, [1/h] or [C]".lstrip("; ")) from None
        return [np.asarray(result.capacity_mAh_per_g, dtype=float) * MAH_PER_G]


class _TableProblem(_Problem):
    """A Li-metal command evaluated row by row on one table of targets.

    Subclasses name the table's columns (``required``, the compared one last) and
    implement :meth:`row_value` (the model's value of one row from the cell parameters at
    the trial point). Each evaluation loads the set with the fitted values as ``--set``
    overrides (nothing is built: these models are closed-form or small ODE integrations).
    """

    required: tuple[str, ...] = ()
    x_label = ""
    y_label = ""
    data_checks = "units"
    misfit_causes = "a wrong unit, a process the model lacks"
    #: published targets, one per calibrated value (``limetal fit-*``)
    spare_points_least = 0

    def __init__(self, spec: FitSpec, rebuild: bool = False) -> None:
        from hemcell.params.li_sets import li_anode_set_name

        self._init_common(spec)
        self.anode = str(spec.model["anode"])
        self.base_set_name = li_anode_set_name(self.anode, "model.anode")
        self.rebuild = True
        if len(spec.data) != 1:
            raise InputError("data", [d.file.name for d in spec.data],
                             f"one table of {', '.join(self.required)} for "
                             f"{spec.model['command']}")
        d = spec.data[0]
        meas = read_measurement(d.file, required=self.required)
        self.rows = [dict(zip(self.required, r, strict=True))
                     for r in zip(*(meas[q] for q in self.required), strict=True)]
        observed = np.asarray(meas[self.required[-1]], dtype=float)
        x_axis = (np.asarray(meas[self.required[0]]) if len(self.required) > 1
                  else np.arange(1, len(observed) + 1, dtype=float))
        self.datasets = [TargetSet(d, meas, observed, x_axis / self.x_axis_si_per_unit,
                                   self.x_label, self.y_label)]

    x_axis_si_per_unit = 1.0

    def row_value(self, p: Any, pset: Any, row: Mapping[str, float]) -> float:
        """Model value [SI] of one row."""
        raise NotImplementedError

    def model_signals(self, x: np.ndarray) -> list[np.ndarray] | None:
        """The model's value of every row (None if a run failed)."""
        from hemcell.limetal.parameters import cell_parameters, load_anode_set

        self.evaluations += 1
        pset = load_anode_set(self.anode, self.overrides(x))
        p = cell_parameters(pset, self.anode)
        try:
            values = [self.row_value(p, pset, row) for row in self.rows]
        except SimulationError:
            self.failed += 1
            return None
        return [np.asarray(values, dtype=float)]


class LiCuNucleationProblem(_TableProblem):
    """``limetal nucleation``: the nucleation overpotential (tip minus plateau) of the
    first Li plating on Cu (:func:`hemcell.limetal.licu.first_plating`), one row per
    plating: ``current_density [mA/cm**2], areal_capacity [mAh/cm**2], overpotential
    [mV]``."""

    required = ("current_density", "areal_capacity", "overpotential")
    x_label, y_label = "current density (mA/cm²)", "nucleation overpotential"
    x_axis_si_per_unit = 10.0

    def row_value(self, p: Any, pset: Any, row: Mapping[str, float]) -> float:
        """Nucleation overpotential [V]."""
        from hemcell.limetal.licu import first_plating

        i, q = float(row["current_density"]), float(row["areal_capacity"])
        return first_plating(p, i, q)[0].nucleation_overpotential_V


class LiCuAurbachProblem(_TableProblem):
    """``limetal licu``: the Aurbach Coulombic efficiency, ``1 − λ`` of the loss law at
    the set's ``aurbach_current_density`` (:mod:`hemcell.limetal.licu`), table
    ``coulombic_efficiency [%]`` (one row per measurement of it)."""

    required = ("coulombic_efficiency",)
    x_label, y_label = "measurement", "Aurbach Coulombic efficiency"
    signal_unit = "1"

    def row_value(self, p: Any, pset: Any, row: Mapping[str, float]) -> float:
        """Aurbach Coulombic efficiency [1]."""
        from hemcell.limetal.cycling import li_loss_per_cycle

        return 1.0 - li_loss_per_cycle(p, p.aurbach_current_density_A_per_m2)


class LiSymmetricProblem(_TableProblem):
    """``limetal symmetric``: time to failure of a Li‖Li cell cycled at constant current,
    table ``current_density [mA/cm**2], areal_capacity [mAh/cm**2], time_to_failure [h]``.

    :func:`hemcell.limetal.symmetric.run_symmetric` fails in the first cycle whose steady
    salt difference reaches 2 c₀: a step function of the parameters, which least squares
    cannot use. The compared time is its continuous form: the salt difference grows
    linearly in the cycle count (each cycle adds λq to each electrode's layer), so the
    fractional cycle n* at which it reaches 2 c₀ is interpolated between the last cycle
    that held and the one that failed, and the failure is counted at the middle of that
    cycle, t = (n* + ½) t_cycle (equal to the simulated time of the failed cycle's end
    within half a cycle). Failures other than salt depletion (the Li inventory) keep
    their cycle-resolved time.
    """

    required = ("current_density", "areal_capacity", "time_to_failure")
    x_label, y_label = "current density (mA/cm²)", "time to failure"
    x_axis_si_per_unit = 10.0
    signal_unit = "h"
    signal_si_per_unit = 3600.0
    #: The run lasts this many times the measured time (a failure later than that
    #: counts as a failed evaluation).
    HORIZON = 10.0

    def row_value(self, p: Any, pset: Any, row: Mapping[str, float]) -> float:
        """Time to failure [s] (continuous form, class doc)."""
        from hemcell.limetal.losses import layer_diffusion_resistance_s_per_m
        from hemcell.limetal.symmetric import (
            run_symmetric,
            salt_difference_mol_per_m3,
            separator_diffusion_resistance_s_per_m,
        )

        i, q = float(row["current_density"]), float(row["areal_capacity"])
        res = run_symmetric(p, i, q, hours=self.HORIZON * float(row["time_to_failure"]) / 3600)
        if res.failure_cycle is None:
            raise SimulationError(f"no failure within {self.HORIZON:g} times the measured "
                                  "time", step="limetal symmetric")
        if res.failure_reason != "salt depletion at the plating surface":
            return 3600.0 * float(res.time_to_failure_h)

        def depletion(n: int) -> float:
            """Salt difference over 2 c₀ with the layers of ``n`` cycles."""
            layer = layer_diffusion_resistance_s_per_m(
                n * res.loss_fraction * q, p.li_molar_volume_m3_per_mol, p.layer_porosity,
                p.layer_bruggeman, p.electrolyte_diffusivity_m2_per_s)
            dc = salt_difference_mol_per_m3(p, i, separator_diffusion_resistance_s_per_m(p)
                                            + 2 * layer)
            return dc / (2 * p.electrolyte_concentration_mol_per_m3)

        n_f = res.failure_cycle
        before, after = depletion(n_f - 1), depletion(n_f)
        n_star = n_f - 1 + (1.0 - before) / (after - before)
        return (n_star + 0.5) * res.cycle_time_s


#: Values :func:`hemcell.limetal.cycling.run_cycling` reads outside the built Li‖LFP DFN
#: (crosstalk, shuttle, Li loss law): fitting only these reuses the built cell.
CYCLE_BOOKKEEPING = ("lfp_deactivation_per_lost_li", "shuttle_charge_per_lost_li",
                     "li_loss_overpotential_coefficient")


def _cycle_table(ds: DataSpec, signal: str, allowed_units: Sequence[str],
                 direction: str = "discharge", command: str = "limetal cycle"
                 ) -> tuple[Measurement, np.ndarray, np.ndarray, str, bool, str]:
    """A per-cycle table (or a cycler time series reduced to one) for ``signal``.

    A capacity per cycle is the ``direction`` the command compares (``discharge``: the
    Li‖LFP cell's; ``charge``: the HEM half cell's delithiation, as ``cell cycle-life``
    reports it): a time series is reduced to it
    (:func:`hemcell.measurements.capacity_per_cycle`), a table gives it as
    ``<direction>_capacity`` (hemcell's ``cycle_life.csv`` and ``cycling_<anode>.csv``
    hold both) or ``capacity``; a table with only the other direction's is refused.

    Returns
    -------
    tuple
        ``(measurement, cycle numbers, observed values [SI], quantity, per_mass,
        what)``; quantity ``capacity`` (per mass or absolute), ``retention`` or
        ``coulombic_efficiency``; ``what`` names the compared column for messages.
    """
    from hemcell.measurements import capacity_per_cycle, check

    name = ds.file.name
    meas = read_measurement(ds.file, required=())
    if signal == "capacity_per_cycle":
        if "time" in meas:  # a cycler's time series
            cycles, observed, per_mass = capacity_per_cycle(meas, direction)
            return meas, cycles, observed, "capacity", per_mass, "the current column"
        other = {"discharge": "charge", "charge": "discharge"}[direction]
        column = next((q for q in ("retention", f"{direction}_capacity", "capacity")
                       if q in meas), "capacity")
        if column == "capacity" and "capacity" not in meas and f"{other}_capacity" in meas:
            raise InputError(f"{name}: column '{meas.columns[f'{other}_capacity'].header}'",
                             f"the {other} capacity",
                             f"the {direction} capacity per cycle that {command} compares: "
                             f"a column '{direction}_capacity [mAh/g]' or 'capacity [mAh/g]'"
                             " (or 'retention [%]')")
        quantity = "retention" if column == "retention" else "capacity"
    else:
        quantity = column = "coulombic_efficiency"
    check(meas, ("cycle", column))
    cycles = np.asarray(meas["cycle"], dtype=float)
    bad = np.flatnonzero((cycles < 1) | (cycles != np.round(cycles)))
    if bad.size:
        raise InputError(meas.where("cycle", int(bad[0]) + 1), f"{cycles[bad[0]]:g}",
                         "a whole cycle number >= 1")
    back = np.flatnonzero(np.diff(cycles) <= 0)
    if back.size:
        raise InputError(meas.where("cycle", int(back[0]) + 2), f"{cycles[back[0] + 1]:g}",
                         "strictly increasing cycle numbers")
    col = meas.columns[column]
    unit = "dimensionless" if quantity != "capacity" else "C/kg"
    if unit not in allowed_units:
        raise InputError(f"{name}: column '{col.header}'", col.unit,
                         f"a column in {' or '.join(allowed_units)} (the noise σ's unit)")
    return (meas, cycles, np.asarray(col.values, float), quantity, col.per_mass,
            f"the column '{col.header}'")


class _CycleProblem(_Problem):
    """What the capacity-per-cycle adapters share: per-cycle tables (or cycler time
    series reduced to them) and the model's per-cycle values at the data's cycles."""

    #: The capacity per cycle the command compares (:func:`_cycle_table`).
    direction = "discharge"
    #: The cycle a retention is the capacity relative to.
    retention_reference_cycle = 1

    def _cycle_datasets(self, spec: FitSpec) -> None:
        self.datasets = []
        self.kinds: list[tuple[str, bool]] = []
        allowed = (spec.sigma_unit,) if spec.sigma is not None else \
            SIGNAL_UNITS[spec.signal]
        for d in spec.data:
            meas, cycles, observed, quantity, per_mass, what = _cycle_table(
                d, spec.signal, allowed, self.direction, spec.model["command"])
            if quantity == "capacity":
                observed, per_mass = on_active_mass(d, observed, per_mass, what)
            self.kinds.append((quantity, per_mass))
            label = {"capacity": "capacity", "retention": "retention",
                     "coulombic_efficiency": "Coulombic efficiency"}[quantity]
            if spec.signal == "mean_coulombic_efficiency":
                label = "mean Coulombic efficiency since cycle 1"
            self.datasets.append(TargetSet(d, meas, observed, cycles, "cycle", label))
        units = {q for q, _ in self.kinds}
        if len({"capacity"} & units) and len(units) > 1:
            raise InputError("data", [d.file.name for d in spec.data],
                             "data sets of one kind: all capacities or all retentions")
        if "capacity" in units:
            self.signal_unit, self.signal_si_per_unit = "mAh/g", MAH_PER_G
        else:
            self.signal_unit, self.signal_si_per_unit = "1", 1.0
        self.n_cycles = int(max(float(np.max(ds.x_axis)) for ds in self.datasets))

    def per_cycle(self, capacity: np.ndarray, ce: np.ndarray) -> list[np.ndarray]:
        """The compared values of every data set from the model's capacity [C/kg] and
        cell CE of cycles 1..n (cycle k at index k − 1)."""
        out = []
        for ds, (quantity, _) in zip(self.datasets, self.kinds, strict=True):
            idx = ds.x_axis.astype(int) - 1
            if self.spec.signal == "capacity_per_cycle":
                ref = capacity[self.retention_reference_cycle - 1]
                out.append(capacity[idx] / ref if quantity == "retention"
                           else capacity[idx])
            elif self.spec.signal == "coulombic_efficiency_per_cycle":
                out.append(ce[idx])
            else:
                out.append((np.cumsum(ce) / np.arange(1, len(ce) + 1))[idx])
        return out


class LiMetalCycleProblem(_CycleProblem):
    """``limetal cycle``: the Li‖LFP cell's discharge capacity (or retention, or CE) per
    cycle, :func:`hemcell.limetal.cycling.run_cycling` up to the last cycle of the data.

    Model keys: ``anode``, ``c_rate`` (default: the set's ``lfp_cycling_c_rate``),
    ``stride`` (default 1: every cycle solved; a solved cycle stands for ``stride``
    cycles, as in the command) and ``set``. Fitting only :data:`CYCLE_BOOKKEEPING`
    values reuses the built cell (its DFN does not read them); any other fitted value
    rebuilds it at every evaluation. Cycles after a dry-out have zero capacity and CE.
    """

    #: a published retention or mean CE at one cycle calibrates one value (``limetal
    #: fit-fade``, ``fit-shuttle``)
    spare_points_least = 0

    def __init__(self, spec: FitSpec, rebuild: bool = False) -> None:
        from hemcell.params.li_sets import li_anode_set_name

        self._init_common(spec)
        self.anode = str(spec.model["anode"])
        self.base_set_name = li_anode_set_name(self.anode, "model.anode")
        stride = spec.model.get("stride", 1)
        if not isinstance(stride, int) or stride < 1:
            raise InputError("model.stride", stride, "a whole number >= 1")
        self.stride = stride
        other = [p.name for p in self.params if p.name not in CYCLE_BOOKKEEPING]
        self.rebuild = rebuild or bool(other)
        if other:
            self.notes.append(f"{', '.join(other)} enter the built Li||LFP cell: it is "
                              "rebuilt at every evaluation")
        self._cycle_datasets(spec)
        self.base_cell = self._build(self.overrides(self.x0))
        c_rate = spec.model.get("c_rate")
        pset = self._pset(self.overrides(self.x0))
        self.c_rate = (float(pset.si["lfp_cycling_c_rate"]) if c_rate is None
                       else _quantity(c_rate, "dimensionless", "model.c_rate")[0])
        if not self.c_rate > 0:
            raise InputError("model.c_rate", c_rate, "a C-rate > 0")
        from hemcell.limetal.halfcell import specific_capacity_mAh_per_g

        #: LFP mass [kg]: an absolute capacity with ``active_mass: recipe`` is compared per
        #: gram of the (base) cell's LFP
        self.mass_kg = 1.0 / (specific_capacity_mAh_per_g(self.base_cell, 1.0 / 3600.0)
                              * MAH_PER_G)
        for k, (quantity, per_mass) in enumerate(self.kinds):
            if quantity == "capacity" and not per_mass:
                self.datasets[k].observed = self.datasets[k].observed / self.mass_kg
                self.kinds[k] = (quantity, True)
        self.last_record: Any = None

    def _pset(self, overrides: Sequence[str]) -> Any:
        from hemcell.limetal.parameters import load_anode_set

        return load_anode_set(self.anode, list(overrides))

    def _build(self, overrides: Sequence[str]) -> Any:
        from hemcell.limetal.halfcell import build_half_cell
        from hemcell.limetal.parameters import cell_parameters

        pset = self._pset(overrides)
        return build_half_cell(cell_parameters(pset, self.anode), pset)

    def cell(self, x: np.ndarray) -> Any:
        """The Li‖LFP cell at ``x`` (the built one with new bookkeeping values, or a
        rebuilt one)."""
        from hemcell.limetal.parameters import cell_parameters

        if self.rebuild:
            return self._build(self.overrides(x))
        p = cell_parameters(self._pset(self.overrides(x)), self.anode)
        return replace(self.base_cell, params=p)

    def record(self, x: np.ndarray) -> Any:
        """:class:`hemcell.limetal.cycling.CycleRecord` of the run at ``x``."""
        from hemcell.limetal.cycling import run_cycling

        return run_cycling(self.cell(x), self.n_cycles, self.c_rate, self.stride)

    def model_signals(self, x: np.ndarray) -> list[np.ndarray] | None:
        """The compared per-cycle values of every data set (None if a solve failed)."""
        self.evaluations += 1
        try:
            rec = self.record(x)
        except (SimulationError, pybamm.SolverError):
            self.failed += 1
            return None
        self.last_record = rec
        n = self.n_cycles
        capacity = np.zeros(n)
        ce = np.zeros(n)
        done = np.repeat(np.asarray(rec.discharge_mAh_per_g) * MAH_PER_G,
                         rec.cycles_represented)[:n]
        capacity[:done.size] = done
        ce[:done.size] = np.repeat(rec.cell_ce, rec.cycles_represented)[:n]
        return self.per_cycle(capacity, ce)


class CellCycleLifeProblem(_CycleProblem):
    """``cell cycle-life``: the HEM anode's charge capacity per initial gram (or its
    retention) per cycle, :func:`hemcell.workflows.anode_cycle_life.run_cycle_life`
    (loss of active material by the set's law, cycle jumping) up to the last cycle of the
    data, linear in N between the evaluated cycles. Cycles are numbered as ``cell run``
    and a cycler number them (cycle 1: the formation cycle); a retention is Q_N / Q_2
    (:data:`~hemcell.workflows.anode_cycle_life.LAW_START_CYCLE`). Model keys:
    ``recipe``, ``params``, ``protocol`` (one cycle), optional ``set``, ``ion``, ``tol``
    (largest change of the active fraction per jump, default 0.02). The model is built
    once per temperature and re-solved with the fitted values as PyBaMM inputs
    (:class:`~hemcell.workflows.anode_cycle_life.CycleModels`; the values each fitted
    value moves at its bounds are inputs from the first run on)."""

    direction = "charge"

    def __init__(self, spec: FitSpec, rebuild: bool = False) -> None:
        from hemcell.workflows.anode_cycle_life import LAW_START_CYCLE, CycleModels

        self._init_common(spec)
        self.base_set_name = str(spec.model["params"])
        #: the built models every evaluation re-solves (one per temperature), and the
        #: points whose values are its inputs from the first run on: each fitted value
        #: at its bounds
        self.models = CycleModels(expected_solves=FIT_SOLVES_EXPECTED)
        self._probe_x = [np.where(np.arange(len(self.x0)) == j, bound, self.x0)
                         for j in range(len(self.x0)) for bound in (self.lower[j],
                                                                    self.upper[j])]
        self.retention_reference_cycle = LAW_START_CYCLE
        tol = spec.model.get("tol", 0.02)
        if not isinstance(tol, int | float) or not 0 < tol < 1:
            raise InputError("model.tol", tol, "a fraction 0 < tol < 1")
        self.tol = float(tol)
        if spec.signal != "capacity_per_cycle":  # pragma: no cover - load_spec refuses
            raise InputError("objective.signal", spec.signal, "capacity_per_cycle")
        self._cycle_datasets(spec)
        self.n_cycles = max(self.n_cycles, LAW_START_CYCLE)  # the run's shortest
        if any(not per_mass and q == "capacity" for q, per_mass in self.kinds):
            raise InputError("data", [d.file.name for d in spec.data],
                             "capacities per gram of active material (mAh/g), absolute ones "
                             "with the data set's active_mass (not 'recipe'), or retentions "
                             "for cell cycle-life")
        if any(d.temperature_K is not None for d in spec.data) or any(
                p.name.endswith("_activation_energy") for p in self.params):
            from hemcell.workflows.anode import prepare_cell

            m = spec.model  # the cell's electrolyte and temperature: the set's (the
            # fatigue and film values cycle life reads besides are no `cell run` keys)
            with spec_words([p.name for p in self.params]):
                base = prepare_cell(m["recipe"], m["params"], m["protocol"], ion=m.get("ion"))
            check_temperatures(spec, base)

    def model_signals(self, x: np.ndarray) -> list[np.ndarray] | None:
        """Charge capacity [C/kg per initial gram] (or retention) at the data's cycles:
        one cycle-life run per ambient temperature of the data sets."""
        from hemcell.workflows.anode_cycle_life import run_cycle_life

        m = self.spec.model
        temperatures = [d.temperature_K for d in self.spec.data]
        out: dict[int, np.ndarray] = {}
        for temperature in dict.fromkeys(temperatures):
            self.evaluations += 1
            ambient = ([] if temperature is None
                       else [f"ambient_temperature={temperature!r} K"])
            try:
                res = run_cycle_life(m["recipe"], m["params"], m["protocol"], self.n_cycles,
                                     overrides=[*self.overrides(x), *ambient],
                                     ion=m.get("ion"), tol=self.tol, models=self.models,
                                     probe_sets=[[*self.overrides(p), *ambient]
                                                 for p in self._probe_x])
            except (SimulationError, pybamm.SolverError):
                res = None
            if res is None or res.error is not None or not res.cycles:
                self.failed += 1
                return None
            n = np.arange(1, self.n_cycles + 1)
            capacity = np.interp(n, res.cycles, res.charge_capacity_mAh_per_g) * MAH_PER_G
            ce = np.interp(n, res.cycles, res.coulombic_efficiency)
            values = self.per_cycle(capacity, ce)
            out.update({k: values[k] for k, t in enumerate(temperatures) if t == temperature})
        return [out[k] for k in range(len(temperatures))]


#: ``eis`` cells whose impedance fit evaluates one model built with the fitted values as
#: input parameters (:class:`hemcell.workflows.eis.CellSpectrumModel`).
MODEL_ONCE_CELLS = ("anode", "cathode", "full")


class ImpedanceProblem(_Problem):
    """``eis symmetric|li-lfp|anode|cathode|full``: an impedance spectrum
    (:mod:`hemcell.workflows.eis`).

    Data: ``frequency [Hz], z_real [ohm], z_imag [ohm]`` (Im Z: negative on a capacitive
    arc), rows in any order, or an EC-Lab PEIS file. The residuals are the real and the
    imaginary parts at every frequency (2 per row), divided by σ [ohm]. Each evaluation
    computes the model's spectrum at the data's frequencies (the small-signal
    linearisation of ``hemcell eis``): ``eis anode|cathode|full`` on one model built with
    the fitted values as input parameters (:meth:`cell_model`; ``rebuild``: built per
    evaluation, as the Li-metal cells are).
    Model keys: ``anode`` (``symmetric``, ``li-lfp``) or ``recipe``/``params``
    (``anode``, ``cathode``: the cathode set, ``full``: the anode set), optional
    ``temperature`` (``25 degC``), ``soc`` (``li-lfp``, ``anode``, ``cathode``, ``full``:
    each as ``hemcell eis`` reads it), ``protocol`` (``anode``), ``ion`` (``anode``,
    ``cathode``, ``full``), ``set``. The cathode half cell and the full cell are
    :func:`hemcell.workflows.eis.cell_spectrum`'s. Values of
    :data:`hemcell.workflows.eis.EIS_PARAMETERS` (``film_capacitance``, ...) may be
    fitted besides registry names.
    """

    signal_unit = "ohm"
    data_checks = "units, the sign of z_imag"
    misfit_causes = ("z_imag of the wrong sign (it is Im Z, negative on a capacitive arc: a "
                     "−Z'' column is written '-z_imag [ohm]'), an impedance per area or of "
                     "another cell, a process the model lacks")

    def __init__(self, spec: FitSpec, rebuild: bool = False) -> None:
        from hemcell.params.li_sets import li_anode_set_name
        from hemcell.workflows.eis import RECIPE_CELLS

        self._init_common(spec)
        m = spec.model
        self.cell_kind = m["command"].split()[1]
        #: a recipe with a parameter set (the spectrum's case: the set's name)
        self.recipe_cell = self.cell_kind in RECIPE_CELLS
        #: ``eis anode|cathode|full``: one model built with the fitted values as inputs
        #: (:meth:`cell_model`); ``rebuild``: built at every evaluation as the command does
        self.rebuild = rebuild or self.cell_kind not in MODEL_ONCE_CELLS
        self._cell_model: Any = None
        if self.recipe_cell:
            self.base_set_name = str(m["params"])
        else:
            self.anode = str(m["anode"])
            self.base_set_name = li_anode_set_name(self.anode, "model.anode")
        t = m.get("temperature")
        self.temperature_K = None if t is None else one_temperature_K(
            t, "model.temperature", "one spectrum temperature per fit: spectra at several "
            "temperatures are fitted one spec each")
        soc = m.get("soc")
        if soc is not None:  # the range is the command's (li-lfp takes 0: LiFePO4)
            from hemcell.workflows.eis import check_anode_soc, check_cell_soc
            from hemcell.workflows.eis_models import check_lfp_soc

            if isinstance(soc, bool) or not isinstance(soc, int | float):
                raise InputError("model.soc", soc, "a state of charge (a number)")
            check = {"anode": check_anode_soc, "li-lfp": check_lfp_soc}.get(self.cell_kind,
                                                                            check_cell_soc)
            check(soc, "model.soc")
        self.soc = None if soc is None else float(soc)
        self.datasets = []
        self._rows: list[np.ndarray] = []
        #: the kind of the model's parameter set (``anode``, ``cathode``; None: a Li anode)
        self.case_kind: str | None = None
        case, model_K = self._model_case_and_temperature()
        for d in spec.data:
            meas = spectrum_rows(read_measurement(d.file, required=("frequency", "z_real",
                                                                     "z_imag")),
                                 d, case, model_K, self.temperature_K is not None,
                                 self.case_kind)
            f = np.asarray(meas["frequency"], float)
            observed = np.concatenate([meas["z_real"], meas["z_imag"]])
            self.datasets.append(TargetSet(d, meas, observed, np.concatenate([f, f]),
                                           "frequency (Hz)", "impedance"))
        self.frequencies_Hz = np.unique(np.concatenate([ds.measurement["frequency"]
                                                        for ds in self.datasets]))

    def _model_case_and_temperature(self) -> tuple[str, float]:
        """The label ``hemcell eis`` gives the model's spectrum (``bare``, ``coated``, the
        anode's parameter set) and its temperature [K] (``model.temperature``, else the
        set's ``ambient_temperature`` with ``model.set``)."""
        from hemcell.params import ambient_temperature_K, load_parameter_set

        m = self.spec.model
        if self.recipe_cell:
            pset = load_parameter_set(str(m["params"]))
            case, name = pset.name, str(m["params"])
            self.case_kind = str(getattr(pset, "kind", "anode"))
        else:
            from hemcell.params.li_sets import li_anode_set_name

            case, name = self.anode, li_anode_set_name(self.anode)
        kelvin = self.temperature_K
        return case, ambient_temperature_K(name, m["set"]) if kelvin is None else kelvin

    def spectrum(self, x: np.ndarray) -> np.ndarray:
        """Model impedance [ohm] at :attr:`frequencies_Hz` at ``x``."""
        from hemcell.workflows import eis

        extra, rest = eis.split_overrides(self.overrides(x))
        m, f, T = self.spec.model, self.frequencies_Hz, self.temperature_K
        if self.cell_kind == "symmetric":
            s = eis.symmetric_spectrum(self.anode, T, f, rest, extra)
        elif self.cell_kind == "li-lfp":
            s = eis.lfp_spectrum(self.anode, T, f, self.soc, rest)
        elif self.cell_model() is not None:  # anode, cathode, full: the model built once
            s = self.cell_model().spectrum(f, {p.name: float(p.from_x(xj))
                                               for p, xj in zip(self.params, x, strict=True)})
        elif self.cell_kind == "anode":
            s = eis.anode_spectrum(m["recipe"], m["params"], T, f, self.soc, m.get("protocol"),
                                   rest, extra, ion=m.get("ion"))
        else:
            s = eis.cell_spectrum(self.cell_kind, f, recipe=m["recipe"], params=m["params"],
                                  temperature_K=T, soc=self.soc, overrides=self.overrides(x),
                                  ion=m.get("ion"))
        return np.asarray(s.impedance_ohm)

    def cell_model(self) -> Any:
        """``eis anode|cathode|full``: the impedance model built once with the fitted values as
        input parameters (:class:`hemcell.workflows.eis.CellSpectrumModel`), or ``None``
        where the spectrum is rebuilt per evaluation (another cell; a fitted value the model
        needs as a number: the mesh, the cell's sizing or the ``soc`` charge)."""
        from hemcell.workflows import eis

        if self.rebuild:  # another cell, or a fitted value the model needs as a number
            return None
        if self._cell_model is None:
            m = self.spec.model
            overrides = self.overrides(self.x0)
            eis.check_overrides(self.cell_kind, ("bare",), overrides,
                                self.temperature_K is not None)
            extra, rest = eis.split_overrides(overrides)
            try:
                self._cell_model = eis.CellSpectrumModel(
                    self.cell_kind, m["recipe"], m["params"], self.temperature_K, self.soc,
                    rest, extra, m.get("ion"), input_names=[p.name for p in self.params],
                    protocol=m.get("protocol"))
            except InputError:
                raise
            except Exception as exc:  # the rebuilt path says what is wrong, if anything
                # a value the model needs as a number: a mesh (IndexError from PyBaMM's
                # mesh of a particle radius), the cell's sizing or the soc charge
                # (TypeError from float() of a symbol)
                self.rebuild = True
                self.notes.append("a fitted value enters the impedance model as a number "
                                  f"({type(exc).__name__}: {str(exc)[:80]}): the model is "
                                  "rebuilt at every evaluation")
                return None
        return self._cell_model

    def n_rows(self, ds: Any) -> int:
        """Frequencies of data set ``ds`` (two points each: Re Z and Im Z)."""
        return len(ds.observed) // 2

    def model_signals(self, x: np.ndarray) -> list[np.ndarray] | None:
        """(Re Z, Im Z) at every data set's rows (None if the model failed)."""
        self.evaluations += 1
        try:
            z = self.spectrum(x)
        except (SimulationError, pybamm.SolverError, ArithmeticError, np.linalg.LinAlgError):
            self.failed += 1
            return None
        out = []
        for ds in self.datasets:
            zk = z[np.searchsorted(self.frequencies_Hz, ds.measurement["frequency"])]
            out.append(np.concatenate([zk.real, zk.imag]))
        return out

    def plot_dataset(self, top: Any, bottom: Any, ds: Any, model: np.ndarray) -> None:
        """Nyquist plot (−Im Z against Re Z) and the residuals against frequency."""
        n = len(ds.observed) // 2
        f = ds.x_axis[:n]
        order = np.argsort(f)
        top.plot(ds.observed[:n], -ds.observed[n:], ".", ms=4, color="0.5", label="data")
        top.plot(model[:n][order], -model[n:][order], "-", color="C0", label="model")
        top.set_xlabel("Re Z (Ω)")
        top.set_ylabel("−Im Z (Ω)")
        top.set_aspect("equal", adjustable="datalim")
        bottom.semilogx(f, model[:n] - ds.observed[:n], ".", ms=3, color="C3", label="Re")
        bottom.semilogx(f, model[n:] - ds.observed[n:], ".", ms=3, color="C2", label="Im")
        bottom.axhline(0, color="0.3", lw=0.6)
        bottom.set_xlabel("frequency (Hz)")
        bottom.set_ylabel("model − data (Ω)")
        bottom.legend(fontsize=7)
        top.set_title(ds.spec.name, fontsize=9)
        top.legend(fontsize=8)


#: Largest difference between a spectrum's temperature in its file and the model's [K]:
#: ``hemcell eis`` writes ``temperature_K`` to 0.01 K.
SPECTRUM_TEMPERATURE_TOLERANCE_K = 0.005 + 1e-9


def spectrum_rows(meas: Measurement, d: DataSpec, case: str, temperature_K: float,
                  temperature_given: bool, case_kind: str | None = None) -> Measurement:
    """The rows of a spectrum file that hold the model's spectrum.

    ``hemcell eis`` writes one ``impedance.csv`` with a spectrum per case (``--anode
    both``: bare and coated) and temperature (``--temperatures``), told apart by its
    ``case`` and ``temperature_K`` columns. A file with several cases gives the rows of the
    model's (``model.anode``; the anode's parameter set), one with one case gives all; a
    file with a temperature column gives the rows at the model's temperature, and a
    spectrum at another temperature is refused (its model would be another's). A file of
    one Li anode's spectrum (``bare``, ``coated``) is refused for another model, and so is
    one of a shipped parameter set of another kind than the model's (a cathode set's ``eis
    cathode`` spectrum fitted as a full cell, whose set is the anode's).

    Parameters
    ----------
    case, temperature_K
        The model's label and temperature (:meth:`ImpedanceProblem._model_case_and_temperature`).
    temperature_given
        Whether ``model.temperature`` gave it (else the set's ``ambient_temperature``).
    case_kind
        The kind of the model's parameter set (``anode``, ``cathode``; None: a Li anode's).

    Raises
    ------
    InputError
        Naming ``data[k].file``: no rows of the model's case (or a Li anode's spectrum for
        another model), or none at its temperature (the hint gives the
        ``model.temperature`` of the file's spectra).
    """
    from hemcell.params import list_parameter_sets, load_parameter_set
    from hemcell.params.li_sets import LI_ANODES

    name, field_name = d.file.name, f"data[{d.index}].file"
    keep = np.ones(len(meas), bool)
    labels = meas.labels.get("case")
    label = labels[0] if labels is not None and len(set(labels)) == 1 else None
    if label in LI_ANODES and label != case:  # a Li anode's spectrum fitted as another cell's
        raise InputError(field_name, f"{name}: the spectrum of the {label} Li anode "
                         "(column 'case')", f"a spectrum of the model's case '{case}'",
                         hint=f"for the {label} anode's spectrum: model: {{anode: {label}}}")
    if label is not None and case_kind is not None and label in list_parameter_sets():
        kind = str(getattr(load_parameter_set(label), "kind", "anode"))
        if kind != case_kind:  # e.g. an `eis cathode` spectrum fitted as a full cell
            raise InputError(field_name, f"{name}: the spectrum of the {kind} set {label} "
                             "(column 'case')", f"a spectrum of the model's case '{case}' "
                             f"(its set's kind: {case_kind})",
                             hint=f"for that spectrum: model: {{params: {label}}} with the "
                             "command that wrote it (eis cathode for a cathode set; eis "
                             "anode or full for an anode set)")
    if labels is not None and len(set(labels)) > 1:
        keep = np.array([label == case for label in labels])
        if not keep.any():
            raise InputError(field_name, f"{name}: spectra of the cases "
                             f"{sorted(set(labels))} (column 'case')",
                             f"a file with a spectrum of the model's case '{case}'",
                             hint="the case is the cell model.anode names (the anode's "
                             "parameter set for eis anode)")
    if "temperature" in meas:
        file_K = np.asarray(meas["temperature"], float)
        at = keep & (np.abs(file_K - temperature_K) <= SPECTRUM_TEMPERATURE_TOLERANCE_K)
        if not at.any():
            found = sorted({round(float(t), 2) for t in file_K[keep]})
            source = "model.temperature" if temperature_given else \
                "the set's ambient_temperature (model.temperature not given)"
            raise InputError(field_name, f"{name}: spectra at {', '.join(f'{t:g}' for t in found)}"
                             f" K (column '{meas.columns['temperature'].header}')",
                             f"a spectrum at the model's {temperature_K:g} K ({source})",
                             hint=f"fit the spectrum at its temperature: model: {{temperature: "
                             f"{found[0]:g} K}}")
        keep = at
    if np.count_nonzero(keep) < 2:  # as a file of one row (measurements.read_csv)
        raise InputError(field_name, f"{name}: {np.count_nonzero(keep)} row(s) of the "
                         f"spectrum of '{case}' at {temperature_K:g} K",
                         "at least two frequencies (one gives Re Z and Im Z, which a "
                         "two-parameter arc matches exactly)")
    return meas if keep.all() else meas.rows(np.flatnonzero(keep))


_ADAPTERS: dict[str, type[_Problem]] = {
    "cell cycle-life": CellCycleLifeProblem,
    "limetal rate": LiMetalRateProblem,
    "limetal cycle": LiMetalCycleProblem,
    "limetal symmetric": LiSymmetricProblem,
    "limetal licu": LiCuAurbachProblem,
    "limetal nucleation": LiCuNucleationProblem,
    "eis symmetric": ImpedanceProblem,
    "eis li-lfp": ImpedanceProblem,
    "eis anode": ImpedanceProblem,
    "eis cathode": ImpedanceProblem,
    "eis full": ImpedanceProblem,
}


def make_problem(spec: FitSpec, rebuild: bool = False) -> _Problem:
    """The model adapter of the spec's command (its data files' temperature columns
    checked against the temperatures they are simulated at:
    :func:`check_temperature_columns`)."""
    problem = _ADAPTERS.get(spec.model["command"], FitProblem)(spec, rebuild=rebuild)
    if not isinstance(problem, ImpedanceProblem):  # spectrum_rows selects by temperature
        check_temperature_columns(problem)
    return problem


def check_temperature_columns(problem: _Problem) -> None:
    """Refuse a data file whose ``temperature`` column (a cycler's thermocouple, in K or
    degC) lies more than ``TABLE_TEMPERATURE_TOLERANCE_K`` (a thermostat's setting, 1 K,
    assumed in :mod:`hemcell.cell.electrolytes`) from the temperature its data set is
    simulated at (:meth:`_Problem.simulated_temperature_K`): the models are isothermal,
    and a curve measured at 45 degC fitted at the set's 25 degC puts the Arrhenius
    factor into the fitted rate constants (the column was read and ignored).

    Raises
    ------
    InputError
        Naming the file, the column and the first row outside, with the key that sets
        the simulated temperature (``data[k].temperature``, else ``model.set``).
    """
    from hemcell.cell.electrolytes import TABLE_TEMPERATURE_TOLERANCE_K
    from hemcell.measurements import written_value

    command = problem.spec.model["command"]
    for ds in problem.datasets:
        meas, d = ds.measurement, ds.spec
        if "temperature" not in meas:
            continue
        simulated = problem.simulated_temperature_K(d)
        column = np.asarray(meas["temperature"], float)
        off = np.flatnonzero(np.abs(column - simulated) > TABLE_TEMPERATURE_TOLERANCE_K)
        if not off.size:
            continue
        k, col = int(off[0]), meas.columns["temperature"]
        mean_K = float(np.mean(column))
        source = (f"data[{d.index}].temperature" if d.temperature_K is not None
                  else "the parameter set's ambient_temperature")
        key = (f"data[{d.index}].temperature: {mean_K:.2f} K" if command in
               TEMPERATURE_COMMANDS else f'model.set: ["ambient_temperature={mean_K:.2f} K"]')
        raise InputError(meas.where("temperature", k + 1),
                         f"{written_value(col, column[k]):g} {col.unit}",
                         f"the temperature the data set is simulated at, {simulated:g} K "
                         f"({source}), within {TABLE_TEMPERATURE_TOLERANCE_K:g} K in every "
                         "row (the model is isothermal)",
                         hint=f"simulate it at the file's temperature ({key}, the column's "
                         "mean); data at several temperatures are one data set each")


# --------------------------------------------------------------------------- fitting


@dataclass
class StartResult:
    """One least-squares run from one start."""

    x_start: np.ndarray
    x: np.ndarray
    cost: float
    status: int
    message: str
    nfev: int
    evaluations: int


def least_squares_from(problem: _Problem, x_start: np.ndarray,
                       fixed: Mapping[int, float] | None = None, max_nfev: int | None = None
                       ) -> StartResult:
    """Minimise Σr² from ``x_start`` (coordinates in ``fixed`` held at their values)."""
    from scipy.optimize import least_squares

    fixed = dict(fixed or {})
    free = [j for j in range(len(x_start)) if j not in fixed]
    ev0 = problem.evaluations

    def full(z: np.ndarray) -> np.ndarray:
        x = np.array(x_start, dtype=float)
        x[free] = z
        for j, v in fixed.items():
            x[j] = v
        return x

    if not free:
        x = full(np.array([]))
        r = problem.residuals(x)
        return StartResult(x_start, x, 0.5 * float(r @ r), 1, "all fixed", 1,
                           problem.evaluations - ev0)
    z0 = np.clip(np.asarray(x_start, float)[free], problem.lower[free], problem.upper[free])
    res = least_squares(lambda z: problem.residuals(full(z)), z0,
                        jac=lambda z: problem.jacobian(full(z), free),
                        bounds=(problem.lower[free], problem.upper[free]), method="trf",
                        x_scale="jac", max_nfev=max_nfev)
    return StartResult(np.asarray(x_start), full(res.x), float(res.cost), int(res.status),
                       str(res.message), int(res.nfev), problem.evaluations - ev0)


def start_points(problem: _Problem, n: int, seed: int) -> list[np.ndarray]:
    """The initial value, then ``n − 1`` Latin-hypercube points over the bounds."""
    from scipy.stats import qmc

    starts = [problem.x0.copy()]
    if n > 1:
        unit = qmc.LatinHypercube(d=len(problem.x0), seed=seed).random(n - 1)
        starts += list(qmc.scale(unit, problem.lower, problem.upper))
    return starts


_WORKER_PROBLEMS: dict[str, _Problem] = {}


def _worker_start(spec_path: str, x_start: np.ndarray) -> StartResult:
    """One start in a worker process (the problem is built once per process)."""
    if spec_path not in _WORKER_PROBLEMS:
        _WORKER_PROBLEMS[spec_path] = make_problem(load_spec(spec_path))
    return least_squares_from(_WORKER_PROBLEMS[spec_path], x_start)


def run_starts(problem: _Problem, starts: Sequence[np.ndarray], workers: int = 1,
               executor: str = "local") -> list[StartResult]:
    """Least squares from every start: here, or in ``workers`` processes / Dask workers."""
    if executor not in ("local", "dask"):
        raise InputError("--executor", executor, "local or dask")
    if workers <= 1 or len(starts) == 1:
        out = []
        for k, s in enumerate(starts):
            if problem.progress is not None:
                problem.progress.set_phase(f"start {k + 1} of {len(starts)}")
            out.append(least_squares_from(problem, s))
        return out
    path = str(problem.spec.path.resolve())
    if executor == "dask":
        from dask.distributed import Client, LocalCluster

        with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True) as cluster, \
                Client(cluster) as client:
            futures = [client.submit(_worker_start, path, s, pure=False) for s in starts]
            results = client.gather(futures)
    else:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        # spawn, not fork: the solver libraries have threads running in this process
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            results = list(pool.map(_worker_start, [path] * len(starts), starts))
    problem.evaluations += sum(r.evaluations for r in results)
    return list(results)


@dataclass
class FitResult:
    """Everything ``hemcell fit`` reports (written by :func:`write_outputs`)."""

    problem: _Problem
    best: StartResult
    starts: list[StartResult]
    residuals: np.ndarray
    jacobian: np.ndarray
    s2: float
    quantile: float
    covariance: np.ndarray
    correlation: np.ndarray
    ci_x: np.ndarray
    profiles: list[dict[str, Any]]
    notes: list[str]
    warnings: list[str]
    fit_time_s: float
    #: :func:`fit_quality` at the optimum (its warnings are in ``warnings`` too)
    quality: dict[str, Any] = field(default_factory=dict)

    @property
    def x(self) -> np.ndarray:
        """Best-fit coordinates."""
        return self.best.x


def statistics(problem: _Problem, x: np.ndarray) -> dict[str, Any]:
    """Residuals, Jacobian, s², quantile q, covariance, correlation and Jacobian CIs at x."""
    from scipy import stats

    r = problem.residuals(x)
    jac = problem.jacobian(x)
    n, p = problem.n_points(), len(x)
    r_data = r[:n]
    if problem.spec.sigma is None:
        dof = max(n - p, 1)
        s2 = float(r_data @ r_data) / dof
        q = float(stats.t.ppf(0.975, dof))
    else:
        s2, q = 1.0, float(stats.norm.ppf(0.975))
    _u, sv, vt = np.linalg.svd(jac, full_matrices=False)
    singular = sv[-1] <= 1e-10 * sv[0] if sv.size else True
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):  # sv = 0: singular
        inv_sv2 = np.where(sv > 1e-10 * sv[0], 1.0 / np.maximum(sv, 1e-300) ** 2, np.inf)
        cov = s2 * (vt.T * np.where(np.isinf(inv_sv2), 0.0, inv_sv2)) @ vt
        if singular:
            cov[:] = np.inf
    sd = np.sqrt(np.diag(cov)) if not singular else np.full(p, np.inf)
    with np.errstate(invalid="ignore", divide="ignore"):
        pinv = (vt.T / np.maximum(sv, 1e-300) ** 2) @ vt
        d = np.sqrt(np.diag(pinv))
        corr = pinv / np.outer(d, d)
    ci = np.column_stack([x - q * sd, x + q * sd])
    return {"r": r, "jac": jac, "s2": s2, "q": q, "cov": cov, "corr": corr, "ci": ci,
            "singular": bool(singular)}


def fit_quality(problem: _Problem, x: np.ndarray, r: np.ndarray) -> dict[str, Any]:
    """Is the optimum a fit? Values at their bounds and residuals far above the noise.

    A value within :data:`BOUND_FRACTION` of its fit range from a bound was stopped by
    the bound, not by the data: the bound, not the data, sets it, and its interval means
    nothing. With a stated σ, the reduced χ² = Σr²/(n − p) of the data rows (priors
    left out) should be ≈ 1; above max(:data:`REDUCED_CHI2_LIMIT`, the χ²_ν/ν 99.9 %
    quantile) the model does not describe the data. With n = p (one published value,
    one fitted constant) a model that can reach the data passes through them: a χ² above
    the χ²_n 99.9 % quantile says it cannot (a nucleation table at 1 A/cm² meant as
    1 mA/cm², where the model has no spike at any shape factor, ended "converged" at
    80 σ without a word). (With σ estimated from the residuals the χ² is n − p by
    construction: not judged.)

    Returns
    -------
    dict
        ``acceptable``, ``at_bounds`` (names), ``reduced_chi2`` and
        ``reduced_chi2_limit`` (None with σ estimated), ``warnings``.
    """
    from scipy import stats

    warnings, at_bounds = [], []
    for j, par in enumerate(problem.params):
        span = problem.upper[j] - problem.lower[j]
        for side, bound in (("lower", problem.lower[j]), ("upper", problem.upper[j])):
            if abs(x[j] - bound) <= BOUND_FRACTION * span:
                at_bounds.append(par.name)
                warnings.append(
                    f"{par.name} = {par.in_unit(float(par.from_x(x[j]))):.4g} {par.unit} is at "
                    f"its {side} bound ({par.in_unit(float(par.from_x(bound))):.4g} {par.unit}; "
                    f"within {BOUND_FRACTION:.0%} of the fit range): the bound, not the data, "
                    "sets it (its interval means nothing); widen the bounds or check the "
                    f"data ({problem.data_checks})")
    n, p = problem.n_points(), len(x)
    chi2_red = limit = None
    if problem.spec.sigma is not None and n > p:
        dof = n - p
        chi2_red = float(r[:n] @ r[:n]) / dof
        limit = max(REDUCED_CHI2_LIMIT, float(stats.chi2.ppf(0.999, dof)) / dof)
        if chi2_red > limit:
            warnings.append(
                f"the residuals are {math.sqrt(chi2_red):.3g} times the stated noise σ "
                f"(reduced chi-squared {chi2_red:.4g} > {limit:.3g}): the model does not "
                f"describe these data ({problem.misfit_causes}, a value stopped at a bound); "
                "the intervals assume σ and are too narrow")
    elif problem.spec.sigma is not None and n == p:  # no degree of freedom: r = 0 if reachable
        chi2 = float(r[:n] @ r[:n])
        if chi2 > float(stats.chi2.ppf(0.999, n)):
            warnings.append(
                f"with as many data points as fitted parameters ({n}) the model should pass "
                f"through the data, but its residuals are {math.sqrt(chi2 / n):.3g} times the "
                f"stated noise σ (chi-squared {chi2:.4g} > {stats.chi2.ppf(0.999, n):.3g}, "
                "the 99.9 % quantile of the noise alone): the model cannot reach these data "
                f"at any fitted value in the bounds ({problem.misfit_causes})")
    return {"acceptable": not warnings, "at_bounds": at_bounds, "reduced_chi2": chi2_red,
            "reduced_chi2_limit": limit, "warnings": warnings}


def profile(problem: _Problem, x_hat: np.ndarray, j: int, chi2_min: float, s2: float,
            half_width: float, points: int, q: float) -> dict[str, Any]:
    """Profile likelihood of coordinate ``j``: Δχ² on a grid, others re-optimised.

    The grid spans x̂_j ± 2 × the Jacobian half-width (the whole bounds when that is
    infinite), clipped to the bounds.
    """
    lo, hi = problem.lower[j], problem.upper[j]
    span = 2 * half_width if math.isfinite(half_width) else hi - lo
    left = np.linspace(max(lo, x_hat[j] - span), x_hat[j], points // 2 + 1)
    right = np.linspace(x_hat[j], min(hi, x_hat[j] + span), points // 2 + 1)
    grid = np.concatenate([left[:-1], right])
    chi2 = []
    for g in grid:
        if g == x_hat[j]:
            chi2.append(chi2_min)
            continue
        start = x_hat.copy()
        res = least_squares_from(problem, start, fixed={j: float(g)}, max_nfev=20)
        chi2.append(2 * res.cost / s2)
    delta = np.asarray(chi2) - chi2_min
    level = q * q
    ends = []
    for side in (slice(None, points // 2 + 1), slice(points // 2, None)):
        g, dl = grid[side], delta[side]
        if side.start is None:
            g, dl = g[::-1], dl[::-1]
        above = np.flatnonzero(dl >= level)
        if above.size:
            a = int(above[0])
            ends.append(float(np.interp(level, [dl[a - 1], dl[a]], [g[a - 1], g[a]])))
        else:
            ends.append(None)
    ends = [ends[0], ends[1]]
    return {"grid_x": grid, "delta_chi2": delta, "ci_x": ends, "level": level,
            "flat": bool(ends[0] is None and ends[1] is None),
            "lower_than_optimum": bool(np.min(delta) < -PROFILE_DROP)}


def fit(spec: FitSpec, workers: int = 1, executor: str = "local",
        rebuild: bool = False, profiles: bool = True, problem: _Problem | None = None,
        progress: FitProgress | None = None) -> FitResult:
    """Fit ``spec``: multistart least squares, intervals, profiles, identifiability.

    ``problem``: the spec's adapter already made (:func:`make_problem`), e.g. with
    observations replaced (:meth:`_Problem.replace_observed`); its starts run here.
    ``progress``: lines of a long fit (:class:`FitProgress`; starts run in worker
    processes are not counted).

    Raises
    ------
    InputError
        A bad spec or bad data (naming file, column and row).
    SimulationError
        The model cannot be solved at the initial values.
    """
    t0 = time.perf_counter()
    if problem is None:
        problem = make_problem(spec, rebuild=rebuild)
    else:
        workers = 1  # the workers would read the spec's files again
    problem.progress = progress
    if progress is not None:
        progress.set_phase("the model at the initial values")
    check_point_count(problem)
    if spec.sigma is None and problem.n_points() <= len(problem.params):
        raise InputError("objective.noise", "estimate", "a given sigma (noise: {sigma: ...}): "
                         f"{problem.n_points()} point(s) and {len(problem.params)} "
                         "parameter(s) leave no degree of freedom to estimate it")
    with spec_words([q.name for q in problem.params]):  # cell cycle-life checks here
        solvable = problem.signals(problem.x0) is not None
    if not solvable:
        raise SimulationError("the model cannot be solved at the initial parameter values",
                              hint="check the initial values and the data's protocol")
    starts = run_starts(problem, start_points(problem, spec.multistart, spec.seed), workers,
                        executor)
    best = min(starts, key=lambda s: s.cost)
    if progress is not None:
        progress.set_phase("intervals at the optimum")
    st = statistics(problem, best.x)
    notes, warnings = list(problem.notes), []
    names = [p.name for p in problem.params]
    p = len(names)
    for a in range(p):
        for b in range(a + 1, p):
            rho = st["corr"][a, b]
            if math.isfinite(rho) and abs(rho) > CORRELATION_LIMIT:
                msg = (f"{names[a]} and {names[b]} are not identifiable from these data: "
                       f"correlation {rho:+.3f} (|rho| > {CORRELATION_LIMIT})")
                warnings.append(msg)
    if st["singular"]:
        warnings.append("the Jacobian is singular at the optimum: some parameter "
                        "combination does not change the model output")
    prof = []
    chi2_min = 2 * best.cost / st["s2"]
    if profiles and spec.profile_points:
        for j in range(p):
            if progress is not None:
                progress.set_phase(f"profile {j + 1} of {p} ({names[j]})")
            hw = (st["ci"][j, 1] - st["ci"][j, 0]) / 2
            pr = profile(problem, best.x, j, chi2_min, st["s2"], hw, spec.profile_points,
                         st["q"])
            prof.append(pr)
            if pr["flat"]:
                warnings.append(f"{names[j]}: the profile likelihood is flat (stays below "
                                f"the 95 % level on both sides): not identifiable")
            shift = [abs(e - c) / hw for e, c in zip(pr["ci_x"], st["ci"][j], strict=True)
                     if e is not None and math.isfinite(hw) and hw > 0]
            pr["agrees_with_jacobian"] = bool(shift) and len(shift) == 2 and max(shift) <= \
                PROFILE_AGREEMENT
            if shift and max(shift) > PROFILE_AGREEMENT:
                notes.append(f"{names[j]}: the profile interval differs from the Jacobian "
                             f"interval by up to {100 * max(shift):.0f} % of its half-width "
                             "(the model is nonlinear there; ci95_profile is the better one)")
            if pr["lower_than_optimum"]:
                notes.append(f"{names[j]}: the profile found a lower cost than the best "
                             "start: the optimum may be local; try more starts")
    spread = [s for s in starts if s.cost > best.cost * (1 + 1e-3) + 1e-9]
    if spread:
        notes.append(f"{len(spread)} of {len(starts)} starts ended at a higher cost "
                     "(local minima)")
    quality = fit_quality(problem, best.x, st["r"])
    warnings.extend(quality["warnings"])
    notes.extend(warnings)
    return FitResult(problem, best, starts, st["r"], st["jac"], st["s2"], st["q"], st["cov"],
                     st["corr"], st["ci"], prof, notes, warnings, time.perf_counter() - t0,
                     quality)


# --------------------------------------------------------------------------- outputs


def _ci_values(par: FitParameter, ci_x: Sequence[float | None]) -> list[float | None]:
    """A fit-coordinate interval as values in the spec's unit (None if unbounded), cut
    at the parameter's bounds: the value is constrained to them, and a linear-scale
    Jacobian interval of a value the data barely move ran past both (a stoichiometry
    fitted at its bound 0.001 in [0.001, 0.4] got [-60.7, 60.71], written to the new
    set's ``range``)."""
    lo_x, hi_x = sorted((float(par.to_x(par.lower)), float(par.to_x(par.upper))))
    out: list[float | None] = []
    for v in ci_x:
        ok = v is not None and math.isfinite(v)
        out.append(par.in_unit(float(par.from_x(min(max(v, lo_x), hi_x)))) if ok else None)
    return out


def result_record(res: FitResult) -> dict[str, Any]:
    """The content of ``fit.json``."""
    problem = res.problem
    params = {}
    for j, par in enumerate(problem.params):
        entry: dict[str, Any] = {
            "value": par.in_unit(float(par.from_x(res.x[j]))),
            "unit": par.unit,
            "ci95": _ci_values(par, res.ci_x[j]),
            "scale": par.scale,
            "initial": par.in_unit(par.initial),
            "bounds": [par.in_unit(par.lower), par.in_unit(par.upper)],
        }
        if res.profiles:
            pr = res.profiles[j]
            entry["ci95_profile"] = _ci_values(par, pr["ci_x"])
            entry["profile_flat"] = pr["flat"]
            entry["profile_agrees"] = pr.get("agrees_with_jacobian", False)
        params[par.name] = entry
    volts = problem.signals(res.x) or []
    err = (np.concatenate([v - d.observed for v, d in zip(volts, problem.datasets, strict=True)])
           if volts else np.array([np.nan]))
    names = [p.name for p in problem.params]
    return {
        "parameters": params,
        "rmse": float(np.sqrt(np.mean(err ** 2))) / problem.signal_si_per_unit,
        "rmse_unit": problem.signal_unit,
        "correlation": {"names": names, "matrix": np.asarray(res.correlation).tolist()},
        "converged": bool(res.best.status > 0),
        "fit_quality": res.quality,
        "evaluations": int(problem.evaluations),
        "failed_evaluations": int(problem.failed),
        "jacobian": {"method": problem.jacobian_method,
                     "estimated_time_per_data_set_s": problem.jacobian_timing_s,
                     "by_differences_after_a_failed_sensitivity_solve":
                         int(problem.sensitivity_fallbacks)},
        "model_rebuilt_per_evaluation": problem.rebuild,
        "noise": {"sigma": (problem.spec.sigma if problem.spec.sigma is not None
                            else math.sqrt(res.s2) * problem._sigma())
                  / problem.signal_si_per_unit,
                  "unit": problem.signal_unit, "estimated": problem.spec.sigma is None},
        "signal": problem.spec.signal,
        "points": problem.n_points(),
        "data": [{"file": ds.spec.file.name, "sha256": ds.measurement.sha256,
                  "points": len(ds.observed), "weight": ds.spec.weight,
                  **({} if ds.spec.temperature_K is None
                     else {"temperature_K": ds.spec.temperature_K})}
                 for ds in problem.datasets],
        "multistart": [{"start": {n: problem.params[i].in_unit(float(problem.params[i].from_x(v)))
                                  for i, (n, v) in enumerate(zip(names, s.x_start, strict=True))},
                        "cost": s.cost, "status": s.status, "message": s.message}
                       for s in res.starts],
        "identifiable": not [w for w in res.warnings
                             if w not in res.quality.get("warnings", [])],
        "warnings": res.warnings,
        "notes": res.notes,
        "fit_time_s": res.fit_time_s,
    }


def _fmt(v: float) -> str:
    return f"{v:.6g}"


def use_with(spec: FitSpec, record: Mapping[str, Any], out: Path) -> list[str]:
    """Arguments that run the spec's command with its model (recipe, anode, ion,
    mechanisms) and the fitted values, to which the rate, temperature or protocol of a
    prediction is added.

    ``--params OUT/fitted_parameters.yaml`` where the command takes a parameter set
    (``cell run``, ``cell cycle-life``, ``eis anode|cathode|full``: the spec's
    ``model.params``), plus ``--set`` for a fitted value that is not a set entry
    (``hemcell eis``'s own); the ``limetal`` and ``eis symmetric|li-lfp`` commands read
    their anode's shipped set and take none, so every fixed (``model.set``) and fitted
    value is a ``--set``.
    """
    from hemcell.params import registry

    names = registry()
    m = spec.model
    args = [str(m["recipe"])] if m["command"].startswith("cell ") else \
        ["--recipe", str(m["recipe"])] if "recipe" in m else []
    for key in ("anode", "ion"):
        if m.get(key):
            args += [f"--{key}", str(m[key])]
    if m.get("mechanisms"):
        args += ["--mechanisms", ",".join(m["mechanisms"])]
    takes_set = "params" in m
    if takes_set:
        args += ["--params", str(out / "fitted_parameters.yaml")]
    else:
        for item in spec.model["set"]:
            args += ["--set", item]
    for name, e in record["parameters"].items():
        if not takes_set or name not in names:
            args += ["--set", f"{name}={_fmt(e['value'])} {e['unit']}"]
    return args


def fitted_set(res: FitResult, record: Mapping[str, Any], out: Path) -> dict[str, Any]:
    """``fitted_parameters.yaml``: a set that ``extends:`` the base set (not rewriting it).

    Each fitted value has the source ``calibrated: fitted: <file> sha256 <hash>`` and its
    95 % interval as ``range``; values the spec held fixed (``model.set``) are written
    as ``assumed`` with the spec named.
    """
    from hemcell.params import load_parameter_set

    spec = res.problem.spec
    base = load_parameter_set(res.problem.base_set_name)
    base_path = Path(res.problem.base_set_name)
    if base_path.suffix in (".yaml", ".yml") and base_path.exists():
        import shutil

        shutil.copyfile(base_path, out / base_path.name)  # extends: looks next to the file
    from hemcell.params import registry
    from hemcell.units import parse_quantity_text

    files = "; ".join(f"{d['file']} sha256 {d['sha256']}" for d in record["data"])
    entries: dict[str, Any] = {}
    notes = list(record["notes"]) or ["no identifiability warnings"]
    names = registry()
    for item in spec.model["set"]:
        key, _, text = item.partition("=")
        if key.strip() not in names:
            notes.append(f"held fixed by the spec (not a set value): {item}")
            continue
        value, unit = parse_quantity_text(text, f"model.set {key}")
        entries[key.strip()] = {"value": value, "unit": unit, "source": {
            "assumed": f"held fixed at this value by the fit spec {spec.path.name} (model.set)"}}
    for name, e in record["parameters"].items():
        if name not in names:  # a command's own value (hemcell eis --set NAME=...)
            notes.append(f"{name} = {_fmt(e['value'])} {e['unit']}, 95 % interval "
                         f"{e['ci95']}: not a set value; pass it as --set {name}=...")
            continue
        entry: dict[str, Any] = {"value": float(_fmt(e["value"])), "unit": e["unit"],
                                 "source": {"calibrated": f"fitted: {files}",
                                            "command": f"hemcell fit {spec.path.name}"}}
        lo, hi = e["ci95"]
        if lo is not None and hi is not None:
            entry["range"] = [float(_fmt(lo)), float(_fmt(hi))]
            entry["note"] = (f"95 % interval [{_fmt(lo)}, {_fmt(hi)}] {e['unit']} "
                             "(Jacobian at the optimum)")
        else:
            entry["note"] = "not identifiable from these data: no finite 95 % interval"
        entries[name] = entry
    return {
        "name": "fitted_parameters",
        "kind": base.kind,
        "extends": base.name,
        "description": f"{base.name} with {', '.join(record['parameters'])} fitted by "
                       f"`hemcell fit {spec.path.name}` to "
                       + ", ".join(d["file"] + (f" at {d['temperature_K']:g} K"
                                                if "temperature_K" in d else "")
                                   for d in record["data"]) + ".",
        "parameters": entries,
        "notes": notes,
    }


def plot_fit(res: FitResult, path: Path) -> None:
    """fit.png: data vs model per data set (top) and residuals (bottom)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from hemcell.figures import save_figure

    problem = res.problem
    volts = problem.signals(res.x) or [np.full_like(d.observed, np.nan)
                                                for d in problem.datasets]
    n = len(problem.datasets)
    fig, axes = plt.subplots(2, n, figsize=(4.2 * n, 5.6), squeeze=False,
                             gridspec_kw={"height_ratios": [3, 1]})
    for k, (ds, v) in enumerate(zip(problem.datasets, volts, strict=True)):
        problem.plot_dataset(axes[0, k], axes[1, k], ds, v)
    fig.tight_layout()
    save_figure(fig, path)


def plot_profiles(res: FitResult, path: Path) -> None:
    """profiles.png: Δχ² against each parameter, with the 95 % level and the Jacobian CI
    (``res.profiles`` computed)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from hemcell.figures import save_figure

    pars = res.problem.params
    fig, axes = plt.subplots(1, len(pars), figsize=(4 * len(pars), 3.4), squeeze=False)
    for j, (par, ax) in enumerate(zip(pars, axes[0], strict=True)):
        pr = res.profiles[j]
        vals = [par.in_unit(float(par.from_x(g))) for g in pr["grid_x"]]
        ax.plot(vals, pr["delta_chi2"], "o-", ms=3)
        ax.axhline(pr["level"], color="C3", lw=0.8, ls="--", label="95 %")
        for end in _ci_values(par, res.ci_x[j]):
            if end is not None:
                ax.axvline(end, color="0.4", lw=0.8, ls=":")
        ax.axvline(par.in_unit(float(par.from_x(res.x[j]))), color="C0", lw=0.8)
        if par.scale == "log" and max(vals) > 10 * min(vals):
            ax.set_xscale("log")
        ax.set_xlabel(f"{par.name} ({par.unit})", fontsize=8)
        ax.set_ylabel("Δχ²")
    save_figure(fig, path)


def write_outputs(res: FitResult, out_dir: str | Path,
                  command: Sequence[str] | str | None = None,
                  plots_on: bool = True) -> dict[str, Any]:
    """Write fit.json, fitted_parameters.yaml, fit.png, profiles.png (figures not with
    ``plots_on=False``; profiles.png only when the profiles were computed) and run.json."""
    import yaml

    from hemcell.runinfo import write_json, write_run_record

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    record = result_record(res)
    record["use_with"] = use_with(res.problem.spec, record, out)
    write_json(out / "fit.json", record)
    pset = fitted_set(res, record, out)
    text = ("# Written by `hemcell fit`; a new set that extends the base set (which is not "
            "changed).\n" + yaml.safe_dump(pset, sort_keys=False, allow_unicode=True))
    tmp = out / ".fitted_parameters.yaml.tmp"
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(out / "fitted_parameters.yaml")
    if plots_on:
        plot_fit(res, out / "fit.png")
        if res.profiles:
            plot_profiles(res, out / "profiles.png")
    spec = res.problem.spec
    write_run_record(out, {n: e for n, e in record["parameters"].items()}, command=command,
                     extra={"spec": spec.raw, "spec_file": str(spec.path),
                            "data": record["data"]})
    return record
