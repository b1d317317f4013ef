"""A transient run writes the frames it is asked for: with steps longer than the frame
spacing (`surface run --transient --duration-s 60 --dt-s 10`, 11 frames 6 s apart) a step
that would pass two frame times is cut to end at the first (it wrote 10 of 11, 9 before
the last frame time was kept); with steps shorter than the spacing nothing changes."""

from __future__ import annotations

import numpy as np
import pytest

from tests.surface.conftest import coarse_spec, example_parameters, require_fenicsx


def _run(frames: int, duration_s: float, dt_s: float):
    from hemcell.surface.geometry import build_mesh
    from hemcell.surface.transient import TransientSettings, run_transient

    p = example_parameters(applied_current_density_A_per_m2=10.0)
    spec = coarse_spec("sinusoid", electrolyte_height_m=20e-6, surface_mesh_size_m=0.4e-6)
    settings = TransientSettings(duration_s=duration_s, time_step_s=dt_s,
                                 initial_time_step_s=0.01, moving_boundary=False,
                                 frames=frames)
    return run_transient(build_mesh(spec), p, "bare", settings)


@pytest.mark.parametrize("frames", [11, 7, 2])
def test_every_frame_time_has_its_frame_within_one_step(frames):
    require_fenicsx()
    r = _run(frames, 60.0, 10.0)
    wanted = np.linspace(0.0, 60.0, frames)
    got = np.array([f.time_s for f in r.frames])
    assert got.size == frames, got
    steps = np.array([row["time_s"] for row in r.rows])
    for k, (t_want, t_got) in enumerate(zip(wanted, got, strict=True)):
        assert t_got >= t_want - 1e-9 * 60.0
        nxt = wanted[k + 1] if k + 1 < frames else np.inf
        assert t_got < nxt - 1e-9 * 60.0  # before the next frame time: a step of its own
        assert t_got == steps[np.searchsorted(steps, t_want - 1e-9 * 60.0)]  # first at/after
    assert got[-1] == pytest.approx(60.0)


def test_steps_shorter_than_the_frame_spacing_are_not_cut():
    """10 s steps, frames 60 s apart (the defaults' ratio): the same steps (bit for bit) and
    results (to round-off) with 11 frames as with none."""
    require_fenicsx()
    with_frames, without = _run(11, 120.0, 10.0), _run(0, 120.0, 10.0)
    assert len(with_frames.rows) == len(without.rows)
    # The step schedule is the claim: the same step times bit for bit.
    assert [r["time_s"] for r in with_frames.rows] == [r["time_s"] for r in without.rows]
    # The fields agree to round-off, not bit for bit: two identical solves in one process
    # may differ in the last digit (the linear algebra's reductions depend on memory
    # alignment; 997.456240146048 vs ...0481 was seen on one CPU), so 1e-12 relative.
    for a, b in zip(with_frames.rows, without.rows, strict=True):
        assert a.keys() == b.keys()
        for key in a:
            np.testing.assert_allclose(a[key], b[key], rtol=1e-12, atol=0.0, err_msg=key)
