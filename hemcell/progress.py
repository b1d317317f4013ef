"""Progress of long runs on stderr, on a terminal and off it.

On a terminal a `rich <https://rich.readthedocs.io>`_ bar is redrawn in place. Off a
terminal (a batch job's log, a pipe, ``nohup``) a redrawn bar shows only its final
state, so progress is written as whole lines instead (:func:`writes_lines`):

- a sweep (:mod:`hemcell.sweep.run`): one line per finished point;
- a run over simulated time (:class:`TimeProgress`: ``surface run --transient``,
  ``surface compare --transient``, ``surface phasefield``): one line each time another
  tenth of the end time is reached, or after :data:`LINE_INTERVAL_S` of wall time
  without a line, and every message that carries no time (a stop, a remesh, a failed
  step) at once.

Both estimate the time left the same way (:func:`eta_s`).
"""

from __future__ import annotations

import math
import sys
import time
from collections.abc import Callable
from typing import Any, TextIO

#: Off a terminal, the longest wall time between two progress lines of a run over
#: simulated time [s]: a slow run still shows it is alive in its log.
LINE_INTERVAL_S = 60.0
#: Off a terminal, the fraction of the end time between two progress lines [-].
LINE_FRACTION = 0.1


def writes_lines(stream: TextIO) -> bool:
    """Whether progress on ``stream`` is written as lines (not a terminal) rather than
    as a bar redrawn in place."""
    isatty = getattr(stream, "isatty", None)
    return not (callable(isatty) and isatty())


def eta_s(elapsed_s: float, done: float, total: float) -> float | None:
    """Time left [s] at the rate so far, ``elapsed · (total − done)/done``; ``None``
    before anything is done or once all is."""
    if not 0 < done < total:
        return None
    return elapsed_s / done * (total - done)


def cycle_line(elapsed_s: float, n: int, total: int, what: str = "") -> str:
    """The progress line of a run over cycles, ``[61 s] cycle 40 of 1000 done, ETA 1464 s``
    (``what``, e.g. the anode, before ``cycle``)."""
    eta = eta_s(elapsed_s, n, total)
    return (f"[{elapsed_s:.0f} s] {what + ': ' if what else ''}cycle {n} of {total} done"
            + ("" if eta is None else f", ETA {eta:.0f} s"))


class LineInterval:
    """Wall-time pacing of progress lines: :meth:`due` says when
    :data:`LINE_INTERVAL_S` has passed since the last line (or the start), for runs whose
    lines come at their own events (a fit's solves, a protocol's cycles).

    Parameters
    ----------
    clock
        Wall clock [s] (``time.perf_counter``).
    """

    def __init__(self, clock: Callable[[], float] = time.perf_counter) -> None:
        self.clock = clock
        self.start_s = self._last_line_s = clock()

    def due(self) -> float | None:
        """The wall time now if a line is due (and counted as written), else ``None``."""
        now = self.clock()
        if now - self._last_line_s < LINE_INTERVAL_S:
            return None
        self._last_line_s = now
        return now


class TimeProgress:
    """Progress of a run over simulated time ``[0, duration_s]`` on ``stream`` (stderr).

    ``update(message, t)`` after every step; ``t`` NaN for a message without a time; a
    ``t`` below the last one starts the tenths, the elapsed time and the ETA again
    (``compare``, ``--case both``: the second case).
    On a terminal: a rich bar (description, bar, %, elapsed). Off a terminal: lines
    ``[ 40%] t = 4 s of 10 s (12 s, ETA 18 s): message`` (see the module docstring), and
    the last message at :meth:`stop` if it was not written.

    Parameters
    ----------
    duration_s
        End time [s]; ``None`` or 0: unknown (lines at the wall-time interval only).
    stream
        Where to write (default ``sys.stderr`` at construction).
    clock
        Wall clock [s] (``time.perf_counter``).
    """

    def __init__(self, duration_s: float | None, stream: TextIO | None = None,
                 clock: Callable[[], float] = time.perf_counter) -> None:
        self.stream = sys.stderr if stream is None else stream
        self.duration_s = duration_s or None
        self.lines = writes_lines(self.stream)
        self.clock = clock
        self.start_s = clock()
        self._last_line_s = self.start_s
        self._next_fraction = LINE_FRACTION
        self._pending: tuple[str, float] | None = None
        self._last_t: float | None = None
        self._bar: Any = None
        self._task: Any = None
        if not self.lines:
            from rich.console import Console
            from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

            self._bar = Progress(TextColumn("{task.description}"), BarColumn(),
                                 TextColumn("{task.percentage:>3.0f}%"), TimeElapsedColumn(),
                                 console=Console(file=self.stream), transient=False)
            self._bar.start()
            self._task = self._bar.add_task("starting", total=self.duration_s or 1.0)

    def update(self, message: str, t: float) -> None:
        """Report ``message`` at simulated time ``t`` [s] (NaN: a message without time)."""
        timed = not math.isnan(t)
        if self._bar is not None:
            if timed and self.duration_s:
                self._bar.update(self._task, completed=min(t, self.duration_s),
                                 description=message)
            else:
                self._bar.log(message)
            return
        now = self.clock()
        if not timed:
            self._write(message, None, now)
            return
        if self._last_t is not None and t < self._last_t:  # the next case starts at 0
            self._next_fraction = LINE_FRACTION
            self.start_s = now  # its elapsed time and ETA are its own
        self._last_t = t
        fraction = t / self.duration_s if self.duration_s else None
        tol = 1e-9  # t/duration lands on a tenth up to round-off (0.005/0.05 < 0.1)
        if (fraction is not None and fraction >= self._next_fraction - tol) \
                or now - self._last_line_s >= LINE_INTERVAL_S:
            self._write(message, t, now)
            if fraction is not None:
                while self._next_fraction <= fraction + tol:
                    self._next_fraction += LINE_FRACTION
        else:
            self._pending = (message, t)

    def stop(self) -> None:
        """End the bar, or write the last timed message if its line was not written."""
        if self._bar is not None:
            self._bar.stop()
        elif self._pending is not None:
            self._write(*self._pending, self.clock())

    def line(self, message: str, t: float | None, now: float) -> str:
        """The line written off a terminal for ``message`` at ``t`` (``None``: none)."""
        elapsed = now - self.start_s
        if t is None:
            return f"[{elapsed:.0f} s] {message}"
        if not self.duration_s:
            return f"[t = {t:.4g} s] ({elapsed:.0f} s): {message}"
        fraction = min(t / self.duration_s, 1.0)
        eta = eta_s(elapsed, fraction, 1.0)
        when = f"{elapsed:.0f} s" + ("" if eta is None else f", ETA {eta:.0f} s")
        return (f"[{100 * fraction:3.0f}%] t = {t:.4g} s of {self.duration_s:.4g} s "
                f"({when}): {message}")

    def _write(self, message: str, t: float | None, now: float) -> None:
        self.stream.write(self.line(message, t, now) + "\n")
        self.stream.flush()
        self._last_line_s = now
        self._pending = None
