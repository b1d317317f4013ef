"""Which states hold IDA's steps in the benchmark cycle (docs/anode.md "Numerics",
"Which states hold the steps").

The single-particle recipe (``hem_half_cell_sp``, 29 unknowns) with the P2D recipe's IDA
settings (``solver:`` and ``experiment_model:`` of ``hem_half_cell_p2d``) solves the
benchmark protocol of benchmarks/bench_anode.py (0.5 A/g to 0.01 V, rest 10 min, 0.5 A/g
to 3 V). IDAKLU outputs every internal step, so the accepted solution ``y_n`` at each step
``t_n`` is known. IDA accepts a step of order q when the weighted RMS norm of its local
error estimate is <= 1 (Hindmarsh et al., ACM TOMS 31 (2005) 363, eqs. (2.7)-(2.9);
IDA user guide, section 2.1):

    ||E||_WRMS = sqrt( (1/N) sum_i (w_i E_i)^2 ),    w_i = 1 / (rtol |y_i| + atol_i),

with ``E_i`` proportional to ``y_n,i - y_pred,i``, the corrector minus the order-q
predictor (the polynomial through the q + 1 previous accepted points, extrapolated to
t_n). The order IDA used at each step is not reported, so the estimate is taken at
q = 1, 2 and 3; the share of state i in step n is ``(w_i E_i)^2 / sum_j (w_j E_j)^2``
(shares sum to 1 per step; summed over steps they attribute the steps to states). States
are the solver's (each model variable divided by its ``scale``), as IDA weighs them.

Modes:

- ``attribute`` (default): the attribution table by state family and by phase of the
  cycle, and the largest single state per step;
- ``atol``: re-solve with a vector ``atol`` (one family or more loosened/tightened,
  ``--family NAME=VALUE``) and compare steps, CPU time and the capacities by mechanism
  with the recipe's scalar atol (the docs' criterion: within 1e-5 relative).

``--recipe hem_half_cell_p2d`` runs either mode on the P2D recipe itself.

Usage::

    .venv/bin/python scripts/anode_step_attribution.py [--recipe NAME] [--json OUT]
    .venv/bin/python scripts/anode_step_attribution.py --mode atol \
        --family "space charge=1e-6" [--family ...]
"""

from __future__ import annotations

import argparse
import json
import re
import time
from dataclasses import replace
from typing import Any

import numpy as np

SP_RECIPE = "hem_half_cell_sp"
P2D_RECIPE = "hem_half_cell_p2d"
PARAMS = "heo_rocksalt_mgconicuzn"
#: The benchmark protocol (benchmarks/bench_anode.py ``PROTOCOL``).
PROTOCOL = (
    "Discharge at 0.5 A/g until 0.01 V; Rest for 10 minutes; Charge at 0.5 A/g until 3 V"
)
#: A mechanism capacity [mAh/g] below which a relative change is not formed (a capacity
#: that is 0 in the equations comes out as 0 or as round-off, e.g. -2.6e-13).
ZERO_CAPACITY_MAH_PER_G = 1e-6
#: Phases of the cycle by experiment step and cell voltage [V] (lower, upper): the
#: windows of docs/anode.md "Where the steps go" (step start, conversion onsets,
#: plateaus, alloying stages; dealloying, reconversion).
PHASES: tuple[tuple[str, int, float, float], ...] = (
    ("discharge > 1.2 V (step start)", 0, 1.2, 99.0),
    ("discharge 0.64-1.2 V (conversion onsets)", 0, 0.64, 1.2),
    ("discharge 0.34-0.64 V (plateaus)", 0, 0.34, 0.64),
    ("discharge < 0.34 V (alloying)", 0, -99.0, 0.34),
    ("rest", 1, -99.0, 99.0),
    ("charge < 0.46 V (step start, dealloying 1)", 2, -99.0, 0.46),
    ("charge 0.46-0.98 V (dealloying 2-3)", 2, 0.46, 0.98),
    ("charge 0.98-1.62 V", 2, 0.98, 1.62),
    ("charge > 1.62 V (reconversion)", 2, 1.62, 99.0),
)


def family(name: str) -> str:
    """The state family of a model variable (element and stage dropped)."""
    n = re.sub(r"^(X-averaged )?Anode ", "", name)
    n = re.sub(r"\b(Co|Ni|Cu|Zn|Fe|Mn|Mg|Sn|Ge|Si|P|Sb|Bi|In)\b ", "", n)
    n = re.sub(r"stage \d ", "", n)
    return re.sub(r"\s*\[.*\]$", "", n).strip()


def build(atol_by_family: dict[str, float] | None = None, recipe: str = SP_RECIPE):
    """The SP benchmark simulation with the P2D recipe's IDA settings; ``atol_by_family``
    replaces the scalar atol for the named families (a vector atol, one value per state).
    ``recipe``: the P2D recipe itself for its own attribution (822 unknowns)."""
    import pybamm

    from hemcell.cell.recipes import load_recipe
    from hemcell.workflows.anode import build_simulation, prepare_cell

    p2d = load_recipe(P2D_RECIPE)
    setup = prepare_cell(recipe, PARAMS, PROTOCOL)
    rec = replace(setup.recipe, solver=dict(p2d.solver), experiment_model=p2d.experiment_model)
    setup = replace(setup, recipe=rec)
    sim = build_simulation(rec, setup.parameter_values, setup.inventory, setup.experiment)
    if atol_by_family:
        probe = build_simulation(rec, setup.parameter_values, setup.inventory,
                                 setup.experiment)
        probe.build_for_experiment()
        names = state_names(probe)
        atol = np.full(len(names), float(rec.solver["atol"]))
        unknown = set(atol_by_family) - {family(n) for n in names}
        if unknown:
            raise SystemExit(f"unknown families {sorted(unknown)}; "
                             f"known: {sorted({family(n) for n in names})}")
        for i, n in enumerate(names):
            atol[i] = atol_by_family.get(family(n), atol[i])
        options = {k: v for k, v in rec.solver.items() if k not in ("rtol", "atol")}
        sim._solver = pybamm.IDAKLUSolver(rtol=rec.solver["rtol"], atol=atol, options=options)
    return setup, sim


def state_names(sim) -> list[str]:
    """Variable name of each solver state (index order); a state that a concatenation
    (PyBaMM lists e.g. "Electrolyte concentration" as well as its parts) shares with a
    part gets the part's name."""
    items = sorted(sim._disc.y_slices.items(),
                   key=lambda kv: sum(s.stop - s.start for s in kv[1]))
    size = max(s.stop for _, sl in items for s in sl)
    names: list[str | None] = [None] * size
    for var, slices in items:
        for s in slices:
            for i in range(s.start, s.stop):
                names[i] = names[i] or var.name
    if None in names:
        raise RuntimeError(f"state {names.index(None)} has no variable")
    return names  # type: ignore[return-value]


def predictor_error(t: np.ndarray, y: np.ndarray, q: int) -> np.ndarray:
    """``y_n - y_pred`` for n >= q + 1: the accepted value minus the order-q
    extrapolation (Lagrange polynomial through the q + 1 previous points); (N, n) array,
    the first q + 1 columns NaN."""
    err = np.full_like(y, np.nan)
    for n in range(q + 1, len(t)):
        tt = t[n - q - 1:n]
        pred = np.zeros(y.shape[0])
        for j in range(q + 1):
            lj = np.prod([(t[n] - tt[m]) / (tt[j] - tt[m]) for m in range(q + 1) if m != j])
            pred += lj * y[:, n - q - 1 + j]
        err[:, n] = y[:, n] - pred
    return err


def attribute(sim, sol, rtol: float, atol: float) -> dict[str, Any]:
    """Shares of the weighted local-error estimate by family, element state and phase."""
    names = state_names(sim)
    fams = [family(n) for n in names]
    out: dict[str, Any] = {"states": len(names), "by_q": {}}
    steps = [s for s in sol.cycles[0].steps if type(s).__name__ != "EmptySolution"]
    for q in (1, 2, 3):
        fam_share: dict[str, float] = {}
        state_share: dict[str, float] = {}
        phase_fam: dict[str, dict[str, float]] = {p[0]: {} for p in PHASES}
        phase_steps: dict[str, int] = {p[0]: 0 for p in PHASES}
        argmax_count: dict[str, int] = {}
        comp_share: dict[str, float] = {}
        atol_held: dict[str, int] = {}
        for k, st in enumerate(steps):
            t = np.concatenate(st.all_ts)
            y = np.concatenate([np.asarray(a) for a in st.all_ys], axis=1)
            v = st["Voltage [V]"].entries
            e = predictor_error(t, y, q)
            w = 1.0 / (rtol * np.abs(y) + atol)
            we2 = (w * e) ** 2
            for n in range(q + 1, len(t)):
                tot = we2[:, n].sum()
                if not np.isfinite(tot) or tot == 0:
                    continue
                share = we2[:, n] / tot
                phase = next(p[0] for p in PHASES if p[1] == k and p[2] <= v[n] < p[3])
                phase_steps[phase] += 1
                for i, s in enumerate(share):
                    fam_share[fams[i]] = fam_share.get(fams[i], 0.0) + s
                    state_share[names[i]] = state_share.get(names[i], 0.0) + s
                    phase_fam[phase][fams[i]] = phase_fam[phase].get(fams[i], 0.0) + s
                i_top = int(np.argmax(share))
                top = names[i_top]
                argmax_count[top] = argmax_count.get(top, 0) + 1
                if rtol * abs(y[i_top, n]) < atol:
                    atol_held[top] = atol_held.get(top, 0) + 1
                for i in np.argsort(share)[-3:]:
                    c = f"{names[i]} #{i - names.index(names[i])}"
                    comp_share[c] = comp_share.get(c, 0.0) + share[i]
        out["by_q"][q] = {"family": fam_share, "state": state_share, "phase": phase_fam,
                          "phase_steps": phase_steps, "argmax": argmax_count,
                          "component": comp_share, "atol_held": atol_held}
    return out


def solve(setup, sim) -> dict[str, Any]:
    """Solve, and the numbers the comparison needs."""
    from hemcell.workflows.anode import solve_cell, summarize

    c0 = time.process_time()
    run = solve_cell(setup, sim)
    cpu = time.process_time() - c0
    summary, _, _ = summarize(run, timeseries=False)
    st = run.solution.solver_statistics
    return {
        "run": run, "cpu_s": cpu,
        "steps": int(st.number_of_steps),
        "error_test_failures": int(st.number_of_error_test_failures),
        "newton_iterations": int(st.number_of_nonlinear_solver_iterations),
        "lithiation": summary["capacity_by_mechanism_mAh_per_g"][0],
        "delithiation": summary["capacity_by_mechanism_delithiation_mAh_per_g"][0],
    }


def _print_attribution(a: dict[str, Any]) -> None:
    for q, r in a["by_q"].items():
        total = sum(r["phase_steps"].values())
        print(f"\n## q = {q}: share of the weighted error estimate, summed over {total} steps")
        print("| family | steps (share sum) | % |")
        print("|---|---|---|")
        for f, s in sorted(r["family"].items(), key=lambda kv: -kv[1]):
            print(f"| {f} | {s:.0f} | {100 * s / total:.1f} |")
        print("\n| state | share sum | largest at (steps) | of which atol-held |")
        print("|---|---|---|---|")
        for f, s in sorted(r["state"].items(), key=lambda kv: -kv[1])[:12]:
            print(f"| {f} | {s:.0f} | {r['argmax'].get(f, 0)} | {r['atol_held'].get(f, 0)} |")
        print("\n| component (node #) | share sum (where among a step's 3 largest) |")
        print("|---|---|")
        for f, s in sorted(r["component"].items(), key=lambda kv: -kv[1])[:10]:
            print(f"| {f} | {s:.0f} |")
        print("\n| phase | steps | first families (share %) |")
        print("|---|---|---|")
        for p, fam in r["phase"].items():
            n = r["phase_steps"][p]
            top = sorted(fam.items(), key=lambda kv: -kv[1])[:3]
            print(f"| {p} | {n} | " + ", ".join(f"{f} {100 * s / max(n, 1):.0f}" for f, s in top)
                  + " |")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mode", choices=("attribute", "atol"), default="attribute")
    ap.add_argument("--family", action="append", default=[],
                    help="NAME=ATOL: the vector atol's value for a state family (atol mode)")
    ap.add_argument("--recipe", default=SP_RECIPE, choices=(SP_RECIPE, P2D_RECIPE))
    ap.add_argument("--json", help="write the numbers to this file")
    args = ap.parse_args(argv)

    setup, sim = build(recipe=args.recipe)
    base = solve(setup, sim)
    print(f"recipe atol: {base['steps']} steps, {base['error_test_failures']} error-test "
          f"failures, {base['newton_iterations']} Newton its., CPU {base['cpu_s']:.3f} s")
    record: dict[str, Any] = {k: v for k, v in base.items() if k != "run"}
    if args.mode == "attribute":
        rec = setup.recipe.solver
        a = attribute(sim, base["run"].solution, rec["rtol"], rec["atol"])
        _print_attribution(a)
        record["attribution"] = a
    else:
        fam = {k.strip(): float(v) for k, v in (f.split("=", 1) for f in args.family)}
        setup2, sim2 = build(fam, recipe=args.recipe)
        alt = solve(setup2, sim2)
        worst = worst_abs = 0.0
        for key in ("lithiation", "delithiation"):
            for m, q0 in base[key].items():
                if abs(q0) > ZERO_CAPACITY_MAH_PER_G:
                    worst = max(worst, abs(alt[key][m] - q0) / abs(q0))
                else:
                    worst_abs = max(worst_abs, abs(alt[key][m] - q0))
        print(f"atol {fam}: {alt['steps']} steps, {alt['error_test_failures']} error-test "
              f"failures, {alt['newton_iterations']} Newton its., CPU {alt['cpu_s']:.3f} s; "
              f"capacities by mechanism: largest relative change {worst:.2e} (of those "
              f"within {ZERO_CAPACITY_MAH_PER_G} mAh/g of 0: absolute {worst_abs:.1e} mAh/g)")
        record["variant"] = {"atol": fam, **{k: v for k, v in alt.items() if k != "run"},
                             "largest_relative_capacity_change": worst}
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(record, fh, indent=1, default=float)


if __name__ == "__main__":
    main()
