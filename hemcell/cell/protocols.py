"""Protocols: PyBaMM experiment strings with currents per gram of active material or C-rates.

``"Discharge at 0.1 A/g until 0.01 V; Rest for 10 minutes; Charge at 1C until 3 V"``
becomes a :class:`pybamm.Experiment` whose currents are in A for the cell: per-gram
currents are multiplied by the active mass, C-rates by the nominal capacity
(:func:`hemcell.cell.capacity.nominal_capacity_Ah`: ``n C`` passes it in 1/n hours). Both
are converted here, on one path, so PyBaMM never applies its own idea of the capacity.
Steps are separated by ``;`` (or new lines). Everything else is PyBaMM's own step grammar
(voltage holds "Hold at 0.01 V until 10 mA/g", rests, power, ...). In a half-cell
"Discharge" lithiates the anode (PyBaMM convention).

Steps that cannot make progress are refused before anything is solved: a current of 0
(use "Rest for ..."), a negative current (the direction is the word Discharge/Charge),
a zero or negative duration, a negative voltage (cut-off or hold: the metal would plate),
an output period that is not a positive time, and a first step whose voltage cut-off the
cell already meets.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

import pybamm

from hemcell.errors import InputError, shorten

_NUMBER = r"\d*\.?\d+(?:[eE][-+]?\d+)?"
#: A current per mass of active material: "0.1 A/g", or as journals write it, "0.1 A g-1",
#: "A g^-1", "A g⁻¹"; per kg or mg as well ("100 A/kg" = "100 mA/g", "0.1 mA/mg").
_PER_GRAM = re.compile(rf"(?P<sign>-\s*)?(?P<num>{_NUMBER})\s*(?P<unit>mA|A|uA|µA)"
                       r"(?:\s*/\s*(?P<mass>kg|mg|g)\b"
                       r"|\s+(?P<mass_>kg|mg|g)\s*(?:\^\s*-\s*1|-1|⁻¹)(?![\w/]))")
#: Grams in the mass unit a per-mass current is written per [g].
_GRAMS = {"g": 1.0, "kg": 1e3, "mg": 1e-3}
#: An absolute current (not per gram, not a C-rate), once the per-gram ones are removed.
_ABSOLUTE = re.compile(rf"(?<![\w.])(?P<num>{_NUMBER})\s*(?P<unit>mA|A|uA|µA)(?![\w/])")
#: An absolute current in microamperes (PyBaMM reads A and mA only).
_MICROAMPS = re.compile(rf"(?P<sign>-\s*)?(?P<num>{_NUMBER})\s*(?:uA|µA)(?![\w/])")
_C_RATE = re.compile(rf"(?<![\w.])(?P<sign>-\s*)?"
                     rf"(?:(?P<num>{_NUMBER})\s*C|C\s*/\s*(?P<den>{_NUMBER}))(?![\w/])")
_SCALE = {"A": 1.0, "mA": 1e-3, "uA": 1e-6, "µA": 1e-6}
#: A current per something other than a mass (mA/cm2, ...) left after the per-mass pass.
_OTHER_PER = re.compile(rf"{_NUMBER}\s*(?P<unit>(?:mA|A|uA|µA)\s*/\s*[^\s;]+)")
#: A temperature at the end of a step ("... at 0oC", "at 273.15K", "at 25 °C"; "at 25C"
#: only after the step's own "for"/"until", since "Discharge at 1C" is a C-rate).
_STEP_TEMPERATURE = re.compile(
    rf"\bat\s+-?\s*{_NUMBER}\s*(?:oC|°C|℃|degC|K)\s*$"
    rf"|\b(?:for|until)\b.*\bat\s+-?\s*{_NUMBER}\s*C\s*$")
#: Most repetitions of a protocol in one run [-] (assumed: every cycle's time series is
#: kept in memory and written; measured on hem_half_cell_sp at 1C, 1.5 MB of memory and
#: 0.6 MB of timeseries files per cycle, so 1000 cycles take ~1.5 GB; 10⁸ cycles were
#: killed by the kernel). Longer tests: ``hemcell cell cycle-life`` (cycle jumping).
MAX_CYCLES = 1000
#: Most output points (time steps written) of one run [-] (assumed: every point is kept
#: in memory and written; measured on hem_half_cell_sp, a 1C discharge at --period 0.1 s
#: and 0.05 s, 1.3 kB of memory and 0.4 kB of timeseries files per point, at 10.9 ms
#: 2.75·10⁵ points, 0.66 GB peak; so 10⁶ points take ~1.4 GB; a user trial reported
#: 4.6 GB at --period 0.001 s, 3.6·10⁶ points). docs/anode.md "Outputs".
MAX_OUTPUT_POINTS = 10**6
#: Seconds per unit of an output period; PyBaMM's own parser reads s, min and h only.
_PERIOD_UNITS = {"ms": 1e-3, "millisecond": 1e-3, "milliseconds": 1e-3, "msec": 1e-3}
_PERIOD_MS = re.compile(rf"^\s*(?P<num>{_NUMBER})\s*(?P<unit>[a-z]+)\s*$")
_PERIOD_ALLOWED = ("a positive time in ms, seconds, minutes or hours, such as '30 seconds', "
                   "'250 ms', '1 minute' or '0.5 hours'")
_CURRENTS = ("a current in A, mA, µA, per mass of active material (A/g, A g-1, mA/g, µA/g, "
             "A/kg, mA/mg), or a C-rate (1C, C/10)")
_EXAMPLES = ("a PyBaMM experiment step, e.g. 'Discharge at 0.1 A/g until 0.01 V', "
             "'Charge at 1C until 3 V', 'Rest for 10 minutes', 'Hold at 0.01 V for 1 hour'")


def _grams_per(m: re.Match[str]) -> float:
    """Grams in the mass unit of a :data:`_PER_GRAM` match [g]."""
    return _GRAMS[m.group("mass") or m.group("mass_")]


#: The instruction word a step starts with, in any case (PyBaMM reads "Discharge" but
#: refuses "discharge" with "Instruction must be 'discharge', 'charge', ...").
_INSTRUCTION = re.compile(r"^(discharge|charge|rest|hold)\b", re.IGNORECASE)


def split_steps(protocol: str) -> list[str]:
    """Split a protocol text into step strings, each instruction word capitalised
    ("discharge at 1C ..." is PyBaMM's "Discharge at 1C ...")."""
    steps = [_INSTRUCTION.sub(lambda m: m.group(1).capitalize(), s.strip())
             for s in re.split(r"[;\n]", protocol) if s.strip()]
    if not steps:
        raise InputError("--protocol", protocol, "PyBaMM experiment steps separated by ';'")
    return steps


def _refuse_sign(step: str, sign: str | None) -> None:
    if sign:
        raise InputError("--protocol step", step, "a current of positive magnitude: the "
                         "direction is the word 'Discharge' (lithiates the anode) or 'Charge'")


def to_amps(step: str, mass_g: float, nominal_capacity_Ah: float | None = None,
            duration_capacity_Ah: float | None = None) -> str:
    """Replace every per-gram current, current in µA and C-rate in one step by the current in A.

    Parameters
    ----------
    step
        One PyBaMM step string.
    mass_g
        Active mass [g] that per-gram currents ("0.1 A/g", "100 mA/g") refer to.
    nominal_capacity_Ah
        Capacity that C-rates ("1C", "C/10") refer to [A h]; ``None`` leaves C-rates to
        PyBaMM (only for cells that set PyBaMM's nominal capacity themselves).
    duration_capacity_Ah
        If given, a constant-current step with a termination ("until ...") but no duration
        gets a duration of twice the time to pass this capacity plus one hour, so slow
        steps are not cut at PyBaMM's default duration.

    Raises
    ------
    InputError
        A negative current (the sign is in the word Discharge/Charge).
    """
    found: list[float] = []

    def per_gram(m: re.Match[str]) -> str:
        _refuse_sign(step, m.group("sign"))
        amps = float(m.group("num")) * _SCALE[m.group("unit")] * mass_g / _grams_per(m)
        found.append(amps)
        return f"{amps:.10g} A"

    def c_rate(m: re.Match[str]) -> str:
        _refuse_sign(step, m.group("sign"))
        if not m.group("num") and not float(m.group("den")) > 0:
            raise InputError("--protocol step", step, "a C-rate C/n with n > 0, e.g. 'C/10'")
        rate = float(m.group("num")) if m.group("num") else 1.0 / float(m.group("den"))
        amps = rate * float(nominal_capacity_Ah)
        found.append(amps)
        return f"{amps:.10g} A"

    def micro(m: re.Match[str]) -> str:
        _refuse_sign(step, m.group("sign"))
        amps = float(m.group("num")) * _SCALE["µA"]
        found.append(amps)
        return f"{amps:.10g} A"

    out = _MICROAMPS.sub(micro, _PER_GRAM.sub(per_gram, step))
    if not found and (given := _ABSOLUTE.search(out)):  # a current in A or mA as written
        found.append(float(given.group("num")) * _SCALE[given.group("unit")])
    if nominal_capacity_Ah is not None:
        out = _C_RATE.sub(c_rate, out)
    low = out.lower()
    if (duration_capacity_Ah and found and found[0] != 0 and " until " in low
            and " for " not in low and re.match(r"\s*(dis)?charge", low)):
        hours = 2 * duration_capacity_Ah / abs(found[0]) + 1
        i = low.index(" until ")
        text = f"{hours:.6g}"  # PyBaMM reads no exponent in a duration ("1.86e+06 hours")
        out = f"{out[:i]} for {text if 'e' not in text else f'{hours:.0f}'} hours or{out[i:]}"
    return out


def absolute_currents(protocol: str) -> list[str]:
    """The absolute currents of a protocol as written (``'1.5 mA'``): they act on the
    model's electrode whatever its active mass, unlike per-gram currents and C-rates."""
    return [m.group(0) for step in split_steps(protocol)
            for m in _ABSOLUTE.finditer(_PER_GRAM.sub("", step))]


def scale_per_gram(protocol: str, factor: float) -> str:
    """The protocol with every per-gram current multiplied by ``factor`` (units kept).

    Used when the active mass shrinks (loss of active material) but the tester keeps
    the current it set for the initial mass: the remaining material then sees
    ``factor = m₀/m`` times the nominal specific current.
    """

    def repl(m: re.Match[str]) -> str:
        mass = m.group("mass") or m.group("mass_")
        return f"{float(m.group('num')) * factor:.10g} {m.group('unit')}/{mass}"

    return _PER_GRAM.sub(repl, protocol)


def check_cycles(cycles: int) -> None:
    """Refuse a number of protocol repetitions outside 1..:data:`MAX_CYCLES` (``--cycles``).

    Raises
    ------
    InputError
        Below 1, or more cycles than one run keeps in memory.
    """
    if not 1 <= cycles <= MAX_CYCLES:
        raise InputError("--cycles", cycles, f"an integer from 1 to {MAX_CYCLES}",
                         hint=None if cycles < 1 else "every cycle's time series is kept; "
                         "for capacity over thousands of cycles use `hemcell cell cycle-life` "
                         "(it jumps over cycles)")


def period_seconds(period: str) -> float:
    """The output period in seconds, refusing what is not a positive time (``--period``).

    Milliseconds (``ms``, ``millisecond(s)``) are converted here; seconds, minutes and
    hours are read by PyBaMM's parser.
    """
    from pybamm.experiment.step.base_step import _convert_time_to_seconds

    ms = _PERIOD_MS.match(period) if isinstance(period, str) else None
    try:
        if ms and ms.group("unit") in _PERIOD_UNITS:
            seconds = float(ms.group("num")) * _PERIOD_UNITS[ms.group("unit")]
        else:
            seconds = float(_convert_time_to_seconds(period))
    except Exception:  # PyBaMM raises ValueError/TypeError with its own text
        raise InputError("--period", period, _PERIOD_ALLOWED) from None
    if not seconds > 0:
        raise InputError("--period", period, "a positive time such as '30 seconds' "
                         "(0 would ask for no output points)")
    return seconds


def output_points(steps: Sequence[pybamm.step.BaseStep], cycles: int, period_s: float) -> int:
    """Upper bound on the output points of ``cycles`` repetitions of ``steps``.

    A step of duration t is written at ``round(t / period) + 1`` times (PyBaMM's
    ``BaseStep.default_time_vector``). The duration is the step's own ("for 1 hour"), or
    the bound :func:`to_amps` gives a constant-current step with a cut-off (twice the time
    to pass the cell's capacity at its current, plus an hour), or PyBaMM's default for
    other steps; a step that ends on its cut-off earlier writes fewer points.
    """
    per_cycle = sum(max(round(float(s.duration) / period_s) + 1, 2) for s in steps)
    return per_cycle * cycles


def check_output_points(period: str, period_s: float, steps: Sequence[pybamm.step.BaseStep],
                        cycles: int) -> None:
    """Refuse a period giving more than :data:`MAX_OUTPUT_POINTS` points (``--period``).

    Raises
    ------
    InputError
        Naming the period and the smallest one this protocol allows.
    """
    points = output_points(steps, cycles, period_s)
    if points <= MAX_OUTPUT_POINTS:
        return
    total_s = cycles * sum(float(s.duration) for s in steps)
    exact = total_s / (MAX_OUTPUT_POINTS - cycles * len(steps))
    unit = 10.0 ** (math.floor(math.log10(exact)) - 2)  # rounded up to 3 digits
    smallest = float(f"{math.ceil(exact / unit * (1 - 1e-12)) * unit:.3g}")
    while output_points(steps, cycles, smallest) > MAX_OUTPUT_POINTS:
        smallest = float(f"{smallest + unit:.3g}")
    raise InputError("--period", period,
                     f"a period of at least {smallest:g} s for this protocol (at most "
                     f"{MAX_OUTPUT_POINTS:.0e} output points per run; this one gives up to "
                     f"{points:.3g} over {total_s:.6g} s)",
                     hint="every output point is kept in memory (~1.3 kB) and written; the "
                          "bound counts each step's duration, or for a step ending on a "
                          "cut-off twice the time to pass the capacity plus an hour")


_INSTRUCTIONS = ("Discharge", "Charge", "Rest", "Hold")


def _instruction_hint(raw: str) -> str | None:
    """'did you mean ...' for a step whose first word is not one of PyBaMM's instructions."""
    from hemcell.errors import did_you_mean

    word = raw.split()[0] if raw.split() else ""
    if word.lower() in (w.lower() for w in _INSTRUCTIONS):
        return None
    close = did_you_mean(word.capitalize(), _INSTRUCTIONS, n=1, quote=True)
    return f"a step starts with {', '.join(_INSTRUCTIONS)}" + (f"; {close}" if close else "")


def _first_sentence(exc: BaseException) -> str:
    """The first line of PyBaMM's message, without its list of examples."""
    text = str(exc).split("For example")[0].strip()
    return (text.splitlines()[0].rstrip(".") if text else type(exc).__name__)[:160]


def voltage_cutoffs_V(step: pybamm.step.BaseStep) -> list[float]:
    """The voltages [V] of a step's "until ... V" terminations."""
    return [float(t.value) for t in step.termination
            if type(t).__name__ == "VoltageTermination"]


def step_voltages_V(step: pybamm.step.BaseStep) -> list[float]:
    """Every voltage [V] a step names: its cut-offs and, for a hold, the held voltage."""
    held = [float(step.value)] if type(step).__name__ == "Voltage" else []
    return voltage_cutoffs_V(step) + held


def _check_step(raw: str, step: pybamm.step.BaseStep) -> None:
    """Refuse a step that cannot make progress."""
    if step.duration is not None and not step.duration > 0:
        raise InputError("--protocol step", raw, "a duration > 0 ('for 10 minutes')")
    kind = type(step).__name__
    if kind in ("Current", "CRate", "Power") and step.value == 0:
        raise InputError("--protocol step", raw, "a non-zero current; for no current use "
                         "'Rest for ...'")
    if kind == "Voltage" and voltage_cutoffs_V(step):  # it holds V: "until ... V" never met
        raise InputError("--protocol step", raw, "a voltage hold that ends on a current "
                         "('Hold at 0.01 V until 10 mA/g') or a duration ('for 1 hour'), "
                         "not on a voltage",
                         hint="'Discharge at X V' / 'Hold at X V' hold the voltage at X; for "
                              "a current write A/g, mA/g or a C-rate")
    if any(v < 0 for v in step_voltages_V(step)):
        raise InputError("--protocol step", raw, "voltages >= 0 V: below the metal's "
                         "potential it would plate on the electrode, which the models do "
                         "not have")


def solver_failure_hint(step: str) -> str:
    """What to change when the solver fails in ``step`` (the step as the user wrote it).

    A constant-power discharge draws the current I = P/V: as the voltage falls towards a
    cut-off near 0 V the current grows without bound (and with it the overpotentials), so
    the solver fails before the cut-off; a smaller current is not the remedy there, a
    higher cut-off (or a constant current) is. Other steps: a solver failure is no limit
    of the cell (the 0.05 A/g charges that failed near 3 V were formulation faults,
    docs/anode.md "Numerics", "Completion"): the hint puts a cut-off slightly inside the
    window and other tolerances first, a smaller current only where the step's
    overpotentials are of volts.
    """
    try:
        parsed = pybamm.step.string(step)
    except Exception:  # per-gram currents and C-rates are PyBaMM-readable only in A
        parsed = None
    if parsed is not None and type(parsed).__name__ == "Power":
        cut = voltage_cutoffs_V(parsed)
        where = f" of {min(cut):g} V" if cut else ""
        if getattr(parsed, "direction", None) == "discharge":
            return (f"a constant-power discharge draws the current P/V, which grows without "
                    f"bound as the voltage falls towards the cut-off{where}: choose a "
                    "higher cut-off (where P/V is a current the cell carries) or a "
                    "smaller power, or discharge at constant current")
        return "try a smaller power or looser tolerances"
    return ("a solver failure is no limit of the cell: try a cut-off slightly inside the "
            "voltage window or other tolerances (the recipe's solver: rtol, atol), a smaller "
            "current only if this one drives overpotentials of volts, and report the run "
            "(docs/anode.md, Numerics)")


def check_first_step_can_start(parsed: pybamm.step.BaseStep, initial_voltage_V: float,
                               shown: str) -> None:
    """Refuse a first step whose voltage cut-off the cell already meets.

    ``parsed`` is the PyBaMM step; ``shown`` the step as the user wrote it (for the
    message).

    Discharge lowers the voltage (in a half-cell it lithiates the anode, in a full cell it
    delithiates the anode), so "Discharge ... until V" needs V below the initial voltage
    and "Charge ... until V" needs V above it.
    """
    direction = getattr(parsed, "direction", None)
    for v in voltage_cutoffs_V(parsed):
        if direction == "discharge" and v >= initial_voltage_V:
            raise InputError("--protocol step", shown,
                             f"a discharge cut-off below the cell's initial voltage "
                             f"{initial_voltage_V:.4g} V (the cell already meets {v:g} V)")
        if direction == "charge" and v <= initial_voltage_V:
            raise InputError("--protocol step", shown,
                             f"a charge cut-off above the cell's initial voltage "
                             f"{initial_voltage_V:.4g} V (the cell already meets {v:g} V)")


#: How far outside the cell's voltage cut-offs PyBaMM moves a model's own voltage events
#: inside an experiment, so that they do not end a step before its own cut-off [V]
#: (PyBaMM ``BaseStep.update_voltage_safety_events``: the event expression + 1).
EXPERIMENT_EVENT_MARGIN_V = 1.0


def check_voltages_reachable(parsed: Sequence[pybamm.step.BaseStep], shown: Sequence[str],
                             window_V: tuple[float, float]) -> None:
    """Refuse a cut-off or hold voltage the model's own voltage events never let a step
    reach.

    Inside an experiment the model's "Minimum/Maximum voltage [V]" events sit
    :data:`EXPERIMENT_EVENT_MARGIN_V` outside the cell's cut-offs ``window_V`` and end every
    step there: a charge "until 4.9 V" of a cell whose upper cut-off is 3 V stopped at 4 V
    with a warning. A voltage between the cut-off and the event is reached and kept.
    """
    lo, hi = window_V[0] - EXPERIMENT_EVENT_MARGIN_V, window_V[1] + EXPERIMENT_EVENT_MARGIN_V
    for raw, step in zip(shown, parsed, strict=True):
        for v in step_voltages_V(step):
            if not lo < v < hi:
                raise InputError(
                    "--protocol step", raw,
                    f"voltages between {max(lo, 0.0):g} and {hi:g} V: the model's own "
                    "voltage events "
                    f"sit {EXPERIMENT_EVENT_MARGIN_V:g} V outside the cell's cut-offs "
                    f"{window_V[0]:g} and {window_V[1]:g} V (PyBaMM moves them so inside an "
                    f"experiment) and end every step there, so {v:g} V is never reached",
                    hint="move the cell's cut-offs with --set (upper_voltage_cutoff, "
                    "lower_voltage_cutoff in a HEM anode set)")


def check_ohmic_drop(parsed: Sequence[pybamm.step.BaseStep], shown: Sequence[str],
                     window_V: tuple[float, float], resistance_ohm: float,
                     mass_g: float) -> None:
    """Refuse a constant-current or constant-power step whose ohmic drop alone spans the
    voltage window.

    A current I drops at least I R_s across the separator's electrolyte the moment it
    flows (``resistance_ohm``: :func:`hemcell.cell.electrolytes.separator_resistance_ohm`);
    the cell's voltage starts inside its window [V_low, V_high], so when I R_s > V_high −
    V_low the step's voltage is past its cut-off at its start, at any state of charge: no
    such step can run (the solver fails at t = 0 or the step ends before it starts). A
    power P draws I = P/V ≥ P/V_high inside the window. ``parsed`` are the PyBaMM steps
    in A or W, ``shown`` the steps as the user wrote them.
    """
    if not 0 < resistance_ohm < math.inf:  # no finite bound (no conducting electrolyte)
        return
    span_V = window_V[1] - window_V[0]
    max_A = span_V / resistance_ohm
    for raw, step in zip(shown, parsed, strict=True):
        kind = type(step).__name__
        if kind not in ("Current", "Power") or not isinstance(step.value, (int, float)):
            continue
        amps = abs(float(step.value)) / (window_V[1] if kind == "Power" else 1.0)
        if amps > max_A:
            allowed = (f"a current below {max_A:.3g} A ({max_A / mass_g:.3g} A/g of active "
                       "material)" if kind == "Current" else
                       f"a power below {max_A * window_V[1]:.3g} W")
            drawn = (f"{amps:.3g} A" if kind == "Current" else
                     f"{abs(float(step.value)):.3g} W draws at least {amps:.3g} A, which")
            raise InputError(
                "--protocol step", raw,
                f"{allowed}: {drawn} drops {amps * resistance_ohm:.3g} V across the "
                f"separator's electrolyte alone (R = {resistance_ohm:.3g} Ohm), more than "
                f"the {window_V[0]:g}-{window_V[1]:g} V window, so the step would be past "
                "its cut-off at its start",
                hint="R = L/(kappa eps^b A) at the initial electrolyte concentration and the "
                "ambient temperature; the electrodes' own drops add to it (docs/anode.md, "
                "'Running it')")


def check_repetitions_return(raw_steps: Sequence[str], parsed: Sequence[pybamm.step.BaseStep],
                             cycles: int) -> None:
    """Refuse ``--cycles`` > 1 for a protocol that never returns the cell.

    Repetition n + 1 of a protocol starts where repetition n ended. A protocol without a
    rest and without a step in the other direction (only discharges, or only charges,
    perhaps with voltage holds) that ends at a voltage (a step's own "until ... V", or a
    hold) leaves the cell at that voltage: the next repetition's first step starts at
    its cut-off or past it, so it cannot run (``cell run --cycles 3`` with "Discharge at
    1 A/g until 0.01 V" failed at step 2 after a full discharge), or runs for the few
    seconds the lower current of a later step gives back. PyBaMM refuses the same
    experiment at its second cycle ("Step ... is infeasible due to exceeded bounds at
    initial conditions"). Pulses that end on time only ('Discharge at 0.1 A/g for 1
    hour', a staircase discharge) and protocols with a rest (GITT: the cell relaxes
    between repetitions) may repeat.

    ``raw_steps`` are the steps as the user wrote them, ``parsed`` the PyBaMM steps before
    any cut-off of the window was added to them.
    """
    if cycles <= 1:
        return
    kinds = [type(step).__name__ for step in parsed]
    directions = {getattr(step, "direction", None) for step, kind in zip(parsed, kinds,
                                                                        strict=True)
                  if kind != "Voltage"}
    if "Rest" in kinds or len(directions) != 1 or not directions <= {"charge", "discharge"}:
        return
    ends_at_voltage = [kind == "Voltage" or bool(voltage_cutoffs_V(step))
                       for step, kind in zip(parsed, kinds, strict=True)]
    if not any(ends_at_voltage):
        return
    direction = directions.pop()
    other = "charge" if direction == "discharge" else "discharge"
    raise InputError(
        "--cycles", cycles,
        f"1 for the protocol {shorten('; '.join(raw_steps))!r}: it has only {direction} "
        "steps and no rest, so nothing returns the cell between repetitions and "
        "repetition 2 would start where repetition 1 ended, at its voltage cut-off",
        hint=f"add a {other} step that returns the cell ('...; {other.capitalize()} at "
             "<current> until <voltage> V'), or run it once (--cycles 1)")


def build_experiment(
    protocol: str,
    mass_g: float,
    cycles: int = 1,
    period: str | None = None,
    nominal_capacity_Ah: float | None = None,
    duration_capacity_Ah: float | None = None,
    initial_voltage_V: float | None = None,
    window_V: tuple[float, float] | None = None,
    ohmic_resistance_ohm: float | None = None,
) -> tuple[pybamm.Experiment, list[str]]:
    """A :class:`pybamm.Experiment` from a protocol text.

    Parameters
    ----------
    protocol
        Steps separated by ``;``; currents may be per gram of active material or C-rates.
    mass_g
        Active mass of the anode [g].
    cycles
        Repeat the whole protocol this many times.
    period
        Output period of every step (PyBaMM's ``period``), e.g. ``"30 seconds"``.
    nominal_capacity_Ah
        Capacity C-rates refer to [A h] (see :func:`to_amps`).
    duration_capacity_Ah
        Capacity used to give CC steps with a cut-off a long enough duration [A h].
    initial_voltage_V
        The cell's voltage before the first step; if given, a first step whose cut-off is
        already met is refused.
    window_V
        The cell's (lower, upper) voltage cut-offs. A current or power step without a
        termination of its own ends at the one it moves towards ("or until ... V"):
        inside an Experiment PyBaMM moves a model's own voltage events 1 V outwards, so
        such a step would otherwise run 1 V past the window (to -0.99 V vs Li in a
        half-cell).
    ohmic_resistance_ohm
        The cell's ohmic resistance at its start [Ω] (with ``window_V``): a constant
        current or power whose drop across it spans the window is refused
        (:func:`check_ohmic_drop`).

    Returns
    -------
    (experiment, steps)
        The experiment and the step strings in A (one repetition).

    Raises
    ------
    InputError
        If PyBaMM cannot parse a step, or a step cannot make progress; the message names
        the step (or ``--period``/``--cycles``). ``--cycles`` > 1 of a protocol that never
        returns the cell (:func:`check_repetitions_return`).
    """
    check_cycles(cycles)
    period_s = None if period is None else period_seconds(period)
    periods = {} if period_s is None else {"period": period_s}  # a step's own "(1 s period)"
    raw_steps: Sequence[str] = split_steps(protocol)
    steps = [to_amps(s, mass_g, nominal_capacity_Ah, duration_capacity_Ah) for s in raw_steps]
    parsed = []
    as_written = []  # the parsed steps before a window cut-off is added to them
    for raw, s in zip(raw_steps, steps, strict=True):
        try:
            step = pybamm.step.string(s, **periods)
        except Exception as exc:  # PyBaMM raises ValueError/TypeError with its own text
            other = _OTHER_PER.search(s)
            if other:
                raise InputError("--protocol step", raw, _CURRENTS,
                                 hint=f"a current in {other.group('unit')} is not read: give "
                                 "the cell's current (per-area currents times the electrode "
                                 "area) or the current per gram of active material") from None
            if _STEP_TEMPERATURE.search(raw):
                raise InputError("--protocol step", raw, "a step without a temperature",
                                 hint="the cell is isothermal at the set's ambient_temperature"
                                 ": give it once, --set ambient_temperature=0degC") from None
            raise InputError("--protocol step", raw, _EXAMPLES,
                             hint=_instruction_hint(raw) or f"PyBaMM: {_first_sentence(exc)}; "
                             f"currents: {_CURRENTS}") from None
        _check_step(raw, step)
        as_written.append(step)
        if window_V is not None and not step.termination and getattr(
                step, "direction", None) in ("discharge", "charge") and type(
                step).__name__ in ("Current", "CRate", "Power", "Resistance"):
            cut = window_V[0] if step.direction == "discharge" else window_V[1]
            steps[len(parsed)] = s = f"{s} or until {cut:.10g} V"
            step = pybamm.step.string(s, **periods)
        parsed.append(step)
    check_repetitions_return(raw_steps, as_written, cycles)
    if period is not None:
        check_output_points(period, period_s, parsed, cycles)
    if window_V is not None:
        check_voltages_reachable(parsed, raw_steps, window_V)
    if ohmic_resistance_ohm is not None and window_V is not None:
        check_ohmic_drop(parsed, raw_steps, window_V, ohmic_resistance_ohm, mass_g)
    if initial_voltage_V is not None:
        check_first_step_can_start(parsed[0], initial_voltage_V, shown=raw_steps[0])
    return pybamm.Experiment([tuple(parsed)] * cycles), steps
