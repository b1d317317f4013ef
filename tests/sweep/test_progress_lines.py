"""Progress of a sweep whose stderr is not a terminal (a batch job's log, a pipe).

The rich bar redraws in place and, on a non-terminal, printed only its final state when
the sweep ended: a log showed nothing while points ran. Off a terminal the sweep now
writes one line per finished point: how many of how many, ok or failed (with the
error's first line), the point's values and id, failures so far and the time.
"""

from __future__ import annotations

import io

from hemcell.sweep import parse_spec
from hemcell.sweep.run import _Progress

SPEC = {
    "command": "params export",
    "arguments": ["azcnf_coated_li"],
    "results_file": "parameters_si.json",
    "parameters": {"coating_thickness": {"values": ["10 nm", "40 nm"]}},
}


def test_one_line_per_point_off_a_terminal():
    spec = parse_spec(SPEC)
    stream = io.StringIO()  # not a terminal
    with _Progress(2, 0, "sweep params export (process)", True, stream=stream) as bar:
        bar.advance(False, spec.points[0], spec)
        bar.advance(True, spec.points[1], spec, error="SimulationError: solver failed\nmore")
    lines = stream.getvalue().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("[1/2] ok") and "coating_thickness=10 nm" in lines[0]
    assert spec.points[0].id in lines[0] and "failed 0" in lines[0]
    assert lines[1].startswith("[2/2] failed") and "coating_thickness=40 nm" in lines[1]
    assert "SimulationError: solver failed" in lines[1] and "more" not in lines[1]
    assert "failed 1" in lines[1]


def test_reused_points_count_and_disabled_progress_is_silent():
    spec = parse_spec(SPEC)
    stream = io.StringIO()
    with _Progress(2, 1, "sweep", True, stream=stream) as bar:
        bar.advance(False, spec.points[1], spec)
    assert stream.getvalue().startswith("[2/2] ok")
    quiet = io.StringIO()
    with _Progress(2, 0, "sweep", False, stream=quiet) as bar:
        bar.advance(False, spec.points[0], spec)
    assert quiet.getvalue() == ""
