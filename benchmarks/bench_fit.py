"""``hemcell fit`` against the naive fitting loop a user would write.

``fit_rate_curves``: the 3-parameter fit of ``examples/fits/rate_curves_3param.yaml``
(conversion exchange current, intercalation diffusivity, conversion-product diffusivity
of the four-mechanism single-particle HEM anode, three synthetic rate curves of 120
points). ``hemcell fit`` builds one model with the fitted values and the current as
PyBaMM inputs and re-solves it, compiled (IDAKLU ``compile``; the warm-up run compiles,
or loads the disk cache), keeping only the voltage (Jacobian: forward differences; the
sensitivities are tried only once differences have cost the model's set-up); the
baseline is :func:`scipy.optimize.least_squares` with its own finite differences (same
log coordinates, bounds, scaling and a step above the solver tolerance) on a residual
that calls ``run_cell`` for each curve, i.e. prepares, builds and discretises the model
at every evaluation. Both start from the same point, run one start and no profiles (the
fast side still computes its intervals). Aim: ratio ≤ 0.1 (≥ 10× faster). Measured on
a 2-core machine shared with other jobs: 0.062 when added (9.7 s against 156 s); 0.118
after model builds got cheaper (6.2 s against 52.5 s, load 3); now 0.034-0.056
(1.50 s against 44.4 s at load 2.1-2.8, 2.09 s against 37.5 s at load 1.3-2.1; a fresh
process with an empty compile cache: 2.9 s for the fit). Breakdown and history:
docs/fitting.md "Benchmark".
"""

from __future__ import annotations

import numpy as np

from hemcell.cli.bench import Benchmark
from hemcell.resources import repo_root

SPEC = repo_root() / "examples" / "fits" / "rate_curves_3param.yaml"


def _spec():
    from hemcell.workflows.fit import load_spec

    spec = load_spec(SPEC)
    spec.multistart, spec.profile_points = 1, 0
    return spec


def fast_fit() -> np.ndarray:
    """``hemcell fit`` (one start, no profiles): best-fit log10 values."""
    from hemcell.workflows.fit import fit

    return fit(_spec(), profiles=False).x


def naive_fit() -> np.ndarray:
    """least_squares + finite differences, run_cell (model rebuilt) per curve per call."""
    from scipy.optimize import least_squares

    from hemcell.measurements import read_measurement
    from hemcell.workflows.anode import run_cell
    from hemcell.workflows.fit import FD_STEP_DECADES

    spec = _spec()
    model, pars = spec.model, spec.parameters
    curves = [(d.protocol, read_measurement(d.file)) for d in spec.data]

    def residuals(x: np.ndarray) -> np.ndarray:
        overrides = [f"{p.name}={float(10.0 ** xi)!r} {p.si_unit}" for p, xi in zip(pars, x,
                                                                            strict=True)]
        out = []
        for protocol, m in curves:
            run = run_cell(model["recipe"], model["params"], protocol,
                           mechanisms=model["mechanisms"], overrides=overrides)
            v = np.interp(m["time"] - m["time"][0], run.solution.t,
                          run.solution["Voltage [V]"].entries)
            out.append((v - m["voltage"]) / spec.sigma)
        return np.concatenate(out)

    x0 = np.log10([p.initial for p in pars])
    bounds = (np.log10([p.lower for p in pars]), np.log10([p.upper for p in pars]))
    res = least_squares(residuals, x0, bounds=bounds, method="trf", x_scale="jac",
                        diff_step=FD_STEP_DECADES / np.maximum(1.0, np.abs(x0)))
    return res.x


def benchmarks() -> list[Benchmark]:
    """The fit against the naive loop on the same data and start."""
    return [Benchmark(
        name="fit_rate_curves",
        description="3-parameter fit of the 4-mechanism SP HEM anode to three rate curves: "
                    "hemcell fit (one built model, inputs) vs scipy least_squares + finite "
                    "differences rebuilding the model per evaluation (aim ≤ 0.1)",
        run=fast_fit, baseline=naive_fit,
        baseline_name="naive loop: least_squares, run_cell per curve per evaluation",
        target_ratio=0.1, repeats=1, warm_up_baseline=False,
    )]
