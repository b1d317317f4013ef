"""Protocols: PyBaMM experiment strings with currents per gram of active material.

``"Discharge at 0.1 A/g until 0.01 V; Rest for 10 minutes; Charge at 100 mA/g until
3 V"`` becomes a :class:`pybamm.Experiment` whose currents are in A for the cell's
active mass. Steps are separated by ``;`` (or new lines). Everything else is PyBaMM's
own step grammar (C-rates, voltage holds "Hold at 0.01 V until 10 mA/g", rests, power,
...). In a half-cell "Discharge" lithiates the anode (PyBaMM convention).
"""

from __future__ import annotations

import re

import pybamm

from hemcell.errors import InputError

_PER_GRAM = re.compile(r"(?P<num>[-+]?\d*\.?\d+(?:[eE][-+]?\d+)?)\s*(?P<unit>mA|A|uA|µA)\s*/\s*g\b")
_SCALE = {"A": 1.0, "mA": 1e-3, "uA": 1e-6, "µA": 1e-6}


def split_steps(protocol: str) -> list[str]:
    """Split a protocol text into step strings."""
    steps = [s.strip() for s in re.split(r"[;\n]", protocol) if s.strip()]
    if not steps:
        raise InputError("--protocol", protocol, "PyBaMM experiment steps separated by ';'")
    return steps


def per_gram_to_amps(step: str, mass_g: float, capacity_mAh_per_g: float | None = None) -> str:
    """Replace every ``x A/g`` (or mA/g) in one step by the current in A.

    If ``capacity_mAh_per_g`` is given and a constant-current step has a termination
    ("until ...") but no duration, a duration of twice the time to pass that capacity
    (plus one hour) is added, so slow steps are not cut at PyBaMM's 24 h default.
    """
    found: list[float] = []

    def repl(m: re.Match[str]) -> str:
        a_per_g = float(m.group("num")) * _SCALE[m.group("unit")]
        found.append(a_per_g)
        return f"{a_per_g * mass_g:.10g} A"

    out = _PER_GRAM.sub(repl, step)
    low = out.lower()
    if (
        capacity_mAh_per_g
        and found
        and found[0] != 0
        and " until " in low
        and " for " not in low
        and re.match(r"\s*(dis)?charge", low)
    ):
        hours = 2 * capacity_mAh_per_g / (1000 * abs(found[0])) + 1
        i = low.index(" until ")
        out = f"{out[:i]} for {hours:.6g} hours or{out[i:]}"
    return out


def scale_per_gram(protocol: str, factor: float) -> str:
    """The protocol with every per-gram current multiplied by ``factor`` (units kept).

    Used when the active mass shrinks (loss of active material) but the tester keeps
    the current it set for the initial mass: the remaining material then sees
    ``factor = m₀/m`` times the nominal specific current.
    """

    def repl(m: re.Match[str]) -> str:
        return f"{float(m.group('num')) * factor:.10g} {m.group('unit')}/g"

    return _PER_GRAM.sub(repl, protocol)


def build_experiment(
    protocol: str,
    mass_g: float,
    cycles: int = 1,
    period: str | None = None,
    capacity_mAh_per_g: float | None = None,
) -> tuple[pybamm.Experiment, list[str]]:
    """A :class:`pybamm.Experiment` from a protocol text.

    Parameters
    ----------
    protocol
        Steps separated by ``;``; currents may be given per gram of active material.
    mass_g
        Active mass of the anode [g].
    cycles
        Repeat the whole protocol this many times.
    period
        Output period of every step (PyBaMM's ``period``), e.g. ``"30 seconds"``.
    capacity_mAh_per_g
        Theoretical capacity, used to give per-gram CC steps a long enough duration.

    Returns
    -------
    (experiment, steps)
        The experiment and the step strings in A (one repetition).

    Raises
    ------
    InputError
        If PyBaMM cannot parse a step; the message names the step.
    """
    if cycles < 1:
        raise InputError("--cycles", cycles, "an integer >= 1")
    steps = [per_gram_to_amps(s, mass_g, capacity_mAh_per_g) for s in split_steps(protocol)]
    parsed = []
    for raw, s in zip(split_steps(protocol), steps, strict=True):
        try:
            parsed.append(pybamm.step.string(s, period=period) if period else pybamm.step.string(s))
        except Exception as exc:  # PyBaMM raises ValueError/TypeError with its own text
            raise InputError(
                "--protocol step",
                raw,
                "a PyBaMM experiment step, e.g. 'Discharge at 0.1 A/g until 0.01 V', "
                "'Rest for 10 minutes', 'Charge at 100 mA/g until 3 V', "
                "'Hold at 0.01 V for 1 hour'",
                hint=str(exc),
            ) from None
    return pybamm.Experiment([tuple(parsed)] * cycles), steps
