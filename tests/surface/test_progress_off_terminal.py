"""Progress of runs over simulated time when stderr is not a terminal (user trial:
``surface run --transient`` and ``surface phasefield`` in a batch log showed only the
bar's final state). Off a terminal :class:`hemcell.progress.TimeProgress` writes a line
per tenth of the end time (or per minute of wall time), every message without a time at
once, and the last step's line at the end."""

from __future__ import annotations

import io
import re

from hemcell.progress import LINE_INTERVAL_S, TimeProgress, eta_s, writes_lines


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _lines(stream: io.StringIO) -> list[str]:
    return stream.getvalue().splitlines()


def test_a_captured_stream_gets_lines_not_a_bar():
    assert writes_lines(io.StringIO())


def test_one_line_per_tenth_of_the_end_time_with_eta():
    stream, clock = io.StringIO(), Clock()
    progress = TimeProgress(10.0, stream, clock=clock)
    for k in range(1, 101):  # 100 steps of 0.1 s, 1 s of wall time each
        clock.now = float(k)
        progress.update(f"step {k}", 0.1 * k)
    progress.stop()
    lines = _lines(stream)
    assert len(lines) == 10
    first = re.match(r"\[ 10%\] t = 1 s of 10 s \(10 s, ETA 90 s\): step 10$", lines[0])
    assert first, lines[0]
    assert lines[-1].startswith("[100%] t = 10 s of 10 s (100 s)") and "ETA" not in lines[-1]


def test_untimed_messages_at_once_and_the_last_step_at_stop():
    stream, clock = io.StringIO(), Clock()
    progress = TimeProgress(10.0, stream, clock=clock)
    progress.update("step 1", 0.5)
    progress.update("bare: remeshing", float("nan"))
    progress.update("step 2", 0.7)
    assert _lines(stream) == ["[0 s] bare: remeshing"]
    progress.stop()
    assert _lines(stream)[-1].endswith(": step 2") and "t = 0.7 s of 10 s" in _lines(stream)[-1]


def test_a_slow_run_writes_a_line_per_interval_and_the_second_case_starts_again():
    stream, clock = io.StringIO(), Clock()
    progress = TimeProgress(10.0, stream, clock=clock)
    clock.now = LINE_INTERVAL_S
    progress.update("slow step", 0.01)  # 0.1 % of the run, but a minute has passed
    assert len(_lines(stream)) == 1
    for t in (2.0, 10.0, 1.0):  # the coated case of a compare starts at t = 0 again
        progress.update(f"t = {t}", t)
    assert [line.split("]")[0] for line in _lines(stream)] == ["[  0%", "[ 20%", "[100%",
                                                                "[ 10%"]


def test_eta_is_the_rate_so_far():
    assert eta_s(30.0, 3, 6) == 30.0
    assert eta_s(30.0, 0, 6) is None and eta_s(30.0, 6, 6) is None


def test_phasefield_cli_off_a_terminal_writes_progress_lines(tmp_path):
    """A tiny phase-field run under CliRunner (stderr captured, not a terminal)."""
    from tests.surface.conftest import require_fenicsx

    require_fenicsx()
    from typer.testing import CliRunner

    from hemcell.cli.surface import app

    res = CliRunner().invoke(app, [
        "phasefield", "--case", "bare", "--duration-s", "0.05", "--no-plots",
        "--set", "phasefield_domain_width=4um", "--set", "phasefield_domain_height=6um",
        "--out", str(tmp_path / "pf")])
    assert res.exit_code == 0, res.output
    progress = [line for line in res.output.splitlines() if "s of 0.05 s" in line]
    assert progress and progress[-1].startswith("[100%] t = 0.05 s of 0.05 s")
    assert "dendrite index" in progress[-1]
