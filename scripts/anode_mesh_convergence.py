"""Mesh convergence study of the P2D anode half-cell and of the DFN baseline.

Applies the selection rule of docs/anode.md ("Numerics", "Electrode mesh"): every mesh
(x_s separator points, x_p electrode points, r_p particle shells) is compared with the
reference mesh (20, 40, 20) on one cycle at each condition (parameter set and carrier
ion, current, ambient temperature); a mesh meets the rule when at every condition where
the reference completes it completes too, its lithiation and delithiation capacities are
within ``CAPACITY_RTOL`` relative, each mechanism's within ``MECHANISM_TOL`` of the
reference's lithiation capacity, and its mean discharge and charge voltages within
``VOLTAGE_TOL_V``::

    python scripts/anode_mesh_convergence.py run --model hem --stage ofat --out DIR
    python scripts/anode_mesh_convergence.py run --model hem --stage grid --out DIR
    python scripts/anode_mesh_convergence.py run --model hem --mesh 10,8,10 --out DIR
    python scripts/anode_mesh_convergence.py report --out DIR

``run`` appends one JSON line per (model, condition, mesh) to ``DIR/runs.jsonl`` and
skips those already there (so a study can be resumed or extended); ``--stage ofat`` runs
the one-dimension-at-a-time meshes at every condition, ``--stage grid`` every mesh of the
grid at the benchmark condition only (states and solver steps of the benchmark cycle),
``--stage select`` steps (i) and (ii) of the rule on the one-dimension results (each
candidate mesh at every condition, in order of states, until one meets the rule);
``--mesh`` one mesh at every condition. ``report`` prints the tables pasted into
docs/anode.md and which meshes meet the rule.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a file: import the checkout's hemcell
    sys.path.insert(0, str(ROOT))

#: Reference mesh (x_s, x_p, r_p[, separator_grading]): x_s = 160 uniform, eight times
#: the recipe's separator cells (the first study's (20, 40, 20) left out the conditions
#: where the electrolyte ran out; ``--reference`` sets another).
REFERENCE: tuple = (160, 40, 20)
#: The grid of the study (docs/anode.md "Electrode mesh").
X_S = (5, 10, 20, 40, 80, 160)
X_P = (4, 5, 6, 8, 10, 20, 40)
R_P = (5, 10, 20)
#: Tolerances of the rule: relative capacity (a tenth of the ~1 % cell-to-cell spread of
#: measured capacities, assumed), a mechanism's capacity as a fraction of the cycle's
#: lithiation capacity, mean voltages [V] (a tenth of ~10 mV, assumed).
CAPACITY_RTOL = 1e-3
MECHANISM_TOL = 1e-3
VOLTAGE_TOL_V = 1e-3
#: Ambient temperatures [K] of the conditions.
TEMPERATURES_K = (273.15, 298.15, 318.15)
#: hemcell conditions: (parameter set, carrier ion) and currents [A/g].
HEM_SETS = (("heo_rocksalt_mgconicuzn", "Li"), ("heo_spinel_lifeznnicomn", "Li"),
            ("mep_ingesip3", "Li"), ("fes_space_charge", "Na"))
HEM_RATES = ("0.05 A/g", "0.5 A/g", "2 A/g")
#: DFN conditions: C-rates of PyBaMM's Xu2019 half-cell.
DFN_RATES = ("C/20", "C/2", "2C")
#: The benchmark cycle's condition (benchmarks/bench_anode.py).
HEM_BENCH = ("heo_rocksalt_mgconicuzn", "Li", "0.5 A/g", 298.15)
DFN_BENCH = ("Xu2019", "Li", "C/2", 298.15)


def _protocol(model: str, rate: str) -> str:
    if model == "hem":
        return (f"Discharge at {rate} until 0.01 V; Rest for 10 minutes; "
                f"Charge at {rate} until 3 V")
    return f"Discharge at {rate} until 3.5 V; Rest for 10 minutes; Charge at {rate} until 4.2 V"


def conditions(model: str) -> list[tuple[str, str, str, float]]:
    """Every (set, ion, rate, temperature [K]) of the rule for ``model``."""
    if model == "hem":
        return [(s, ion, r, t) for (s, ion), r, t in
                itertools.product(HEM_SETS, HEM_RATES, TEMPERATURES_K)]
    return [("Xu2019", "Li", r, t) for r, t in itertools.product(DFN_RATES, TEMPERATURES_K)]


def ofat_meshes() -> list[tuple[int, int, int]]:
    """The reference and each dimension varied alone from it."""
    s0, p0, r0 = REFERENCE
    meshes = [(s0, p, r0) for p in X_P] + [(s0, p0, r) for r in R_P] + [(s, p0, r0) for s in X_S]
    return sorted(set(meshes), key=meshes.index)


def _hem_run(cond: tuple[str, str, str, float], mesh: tuple) -> dict[str, Any]:
    """One cycle of ``hem_half_cell_p2d`` at ``cond`` on ``mesh`` ((x_s, x_p, r_p) or
    (x_s, x_p, r_p, separator_grading)): capacities, mean voltages, how it ended, states
    and solver statistics. A cycle ended by the electrolyte running out has ``completed``
    false and its ``termination`` names the event; the capacities are those delivered."""
    from dataclasses import replace

    from hemcell.workflows.anode import build_simulation, prepare_cell, solve_cell, summarize

    params, ion, rate, temp = cond
    setup = prepare_cell("hem_half_cell_p2d", params, _protocol("hem", rate),
                         overrides=[f"ambient_temperature={temp} K"], ion=ion)
    grading = float(mesh[3]) if len(mesh) > 3 else 0.0
    rec = replace(setup.recipe, mesh=dict(zip(("x_s", "x_p", "r_p"), mesh[:3], strict=True)),
                  separator_grading=grading)
    setup = replace(setup, recipe=rec)
    sim = build_simulation(rec, setup.parameter_values, setup.inventory, setup.experiment)
    run = solve_cell(setup, sim)
    summary, _, _ = summarize(run, timeseries=False)
    sol = run.solution
    steps = [st for st in sol.cycles[0].steps if type(st).__name__ != "EmptySolution"]
    out = {
        "completed": run.error is None,
        "termination": f"step {len(steps)}: {steps[-1].termination}" if steps else None,
        "lithiation_mAh_per_g": summary["discharge_capacity_mAh_per_g"][0],
        "delithiation_mAh_per_g": (summary["charge_capacity_mAh_per_g"] or [None])[0],
        "mechanisms_lithiation": summary["capacity_by_mechanism_mAh_per_g"][0],
        "mechanisms_delithiation": summary["capacity_by_mechanism_delithiation_mAh_per_g"][0],
        "mean_discharge_V": summary["mean_discharge_voltage_V"][0],
        "mean_charge_V": summary["mean_charge_voltage_V"][0],
        "states": int(sol.y.shape[0]) if hasattr(sol.y, "shape") else None,
    }
    if run.error is not None:
        out["error"] = str(run.error)
    return {**out, **_stats(sol)}


def _stats(sol: Any) -> dict[str, Any]:
    st = getattr(sol, "solver_statistics", None)
    if st is None:
        return {}
    return {"steps": int(st.number_of_steps),
            "newton_iterations": int(st.number_of_nonlinear_solver_iterations),
            "jacobian_setups": int(st.number_of_linear_solver_setups)}


def _dfn_run(cond: tuple[str, str, str, float], mesh: tuple[int, int, int]) -> dict[str, Any]:
    """One cycle of PyBaMM's DFN half-cell (Xu2019) at ``cond`` on ``mesh``, as the
    benchmark builds it (benchmarks/bench_anode.py ``_dfn_sim``)."""
    import numpy as np
    import pybamm

    _, _, rate, temp = cond
    model = pybamm.lithium_ion.DFN({"working electrode": "positive"})
    pv = pybamm.ParameterValues("Xu2019")
    pv.update({"Ambient temperature [K]": temp, "Initial temperature [K]": temp})
    exp = pybamm.Experiment([tuple(_protocol("dfn", rate).split("; "))])
    vp = dict(model.default_var_pts)
    vp.update(dict(zip(("x_s", "x_p", "r_p"), mesh, strict=True)))
    sim = pybamm.Simulation(model, parameter_values=pv, experiment=exp, var_pts=vp,
                            solver=pybamm.IDAKLUSolver(rtol=1e-6, atol=1e-8))
    sol = sim.solve()
    steps = [s for s in sol.cycles[0].steps if type(s).__name__ != "EmptySolution"]
    out: dict[str, Any] = {"completed": len(steps) == 3}
    caps, volts = [], []
    for st in (steps[0], steps[-1]) if len(steps) == 3 else ():
        q = st["Discharge capacity [A.h]"].entries
        v = st["Voltage [V]"].entries
        dq = np.abs(np.diff(q))
        caps.append(float(abs(q[-1] - q[0])) * 1000.0)  # mAh (the cell's; relative use only)
        volts.append(float(np.sum(0.5 * (v[1:] + v[:-1]) * dq) / np.sum(dq)))
    if caps:
        out.update({"lithiation_mAh_per_g": caps[0], "delithiation_mAh_per_g": caps[1],
                    "mechanisms_lithiation": {}, "mechanisms_delithiation": {},
                    "mean_discharge_V": volts[0], "mean_charge_V": volts[1]})
    out["states"] = int(sol.y.shape[0])
    return {**out, **_stats(sol)}


def _one(job: tuple[str, tuple, tuple]) -> dict[str, Any]:
    model, cond, mesh = job
    t0 = time.process_time()
    try:
        res = (_hem_run if model == "hem" else _dfn_run)(cond, mesh)
    except Exception as exc:  # a failed run is a result of the study (criterion (a))
        res = {"completed": False, "error": f"{type(exc).__name__}: {exc}"[:500]}
    return {"model": model, "condition": list(cond), "mesh": list(mesh), **res,
            "cpu_s": round(time.process_time() - t0, 3)}


def _key(model: str, cond: Any, mesh: Any) -> str:
    return json.dumps([model, list(cond), list(mesh)])


def load(out: Path) -> dict[str, dict[str, Any]]:
    """The runs recorded in ``out/runs.jsonl``, keyed by (model, condition, mesh)."""
    path = out / "runs.jsonl"
    runs: dict[str, dict[str, Any]] = {}
    if path.exists():
        for line in path.read_text().splitlines():
            r = json.loads(line)
            runs[_key(r["model"], r["condition"], r["mesh"])] = r
    return runs


def run_jobs(model: str, meshes: list[tuple[int, int, int]], conds: list, out: Path,
             jobs: int) -> None:
    """Run every (condition, mesh) not yet in ``out/runs.jsonl`` and append it there."""
    from multiprocessing import get_context

    out.mkdir(parents=True, exist_ok=True)
    done = load(out)
    todo = [(model, tuple(c), tuple(m)) for c in conds for m in meshes
            if _key(model, c, m) not in done]
    print(f"{len(todo)} runs to do", flush=True)
    with (out / "runs.jsonl").open("a") as fh, get_context("spawn").Pool(jobs) as pool:
        for i, res in enumerate(pool.imap_unordered(_one, todo), 1):
            fh.write(json.dumps(res) + "\n")
            fh.flush()
            print(f"[{i}/{len(todo)}] {res['condition']} {res['mesh']} "
                  f"{'ok' if res['completed'] else 'FAILED'} {res['cpu_s']} s", flush=True)


#: The model event of a step ended by the electrolyte running out
#: (hemcell.cell.electrolytes.DEPLETION_EVENT): a reference run that ends so is kept in
#: the comparison, and a mesh must end its cycle the same way (same step, same event).
DEPLETION = "Zero electrolyte concentration cut-off"


def _kept(ref: dict[str, Any]) -> bool:
    """Whether the reference run at a condition counts: it completed the cycle or the
    electrolyte running out ended it (its capacities up to there are the result)."""
    return bool(ref.get("completed")) or DEPLETION in str(ref.get("termination"))


def _ends_alike(run: dict[str, Any], ref: dict[str, Any]) -> bool:
    """Criterion (a): the run completes where the reference does, and ends at the same
    step by the same event where the electrolyte ran out in the reference."""
    if ref.get("completed"):
        return bool(run.get("completed"))
    return run.get("termination") is not None and run["termination"] == ref["termination"]


def deviations(run: dict[str, Any], ref: dict[str, Any]) -> dict[str, Any]:
    """The rule's quantities of ``run`` against ``ref`` (same condition)."""
    q_ref = ref["lithiation_mAh_per_g"]
    d: dict[str, Any] = {"completed": _ends_alike(run, ref)}
    if not d["completed"]:
        return d
    d["capacity"] = max(abs(run[k] / ref[k] - 1.0) for k in
                        ("lithiation_mAh_per_g", "delithiation_mAh_per_g") if ref.get(k))
    mech, own = 0.0, 0.0
    for side in ("mechanisms_lithiation", "mechanisms_delithiation"):
        for m, v in (ref.get(side) or {}).items():
            diff = abs((run.get(side) or {}).get(m, 0.0) - v)
            mech = max(mech, diff / q_ref)
            if abs(v) > 1e-3 * q_ref:  # own-capacity error, reported for mechanisms that hold some
                own = max(own, diff / abs(v))
    d["mechanism"], d["mechanism_own"] = mech, own
    d["voltage_V"] = max([abs(run[k] - ref[k]) for k in ("mean_discharge_V", "mean_charge_V")
                          if ref.get(k) is not None and run.get(k) is not None] or [0.0])
    d["meets"] = (d["capacity"] <= CAPACITY_RTOL and d["mechanism"] <= MECHANISM_TOL
                  and d["voltage_V"] <= VOLTAGE_TOL_V)
    return d


def assess(runs: dict[str, dict[str, Any]], model: str, mesh: tuple[int, int, int],
           conds: list) -> dict[str, Any] | None:
    """Worst deviations of ``mesh`` over ``conds`` and whether it meets the rule there;
    ``None`` if a run (of the mesh or the reference) is missing."""
    worst: dict[str, Any] = {"capacity": 0.0, "mechanism": 0.0, "mechanism_own": 0.0,
                             "voltage_V": 0.0, "meets": True, "failed": [], "worst_at": {},
                             "compared": 0, "outside": []}
    for c in conds:
        ref, run = runs.get(_key(model, c, REFERENCE)), runs.get(_key(model, c, mesh))
        if ref is None or run is None:
            return None
        if not _kept(ref):
            continue
        worst["compared"] += 1
        d = deviations(run, ref)
        if not d["completed"]:
            worst["meets"] = False
            worst["failed"].append(c)
            continue
        if not d["meets"]:
            worst["outside"].append(c)
        for k in ("capacity", "mechanism", "mechanism_own", "voltage_V"):
            if d[k] > worst[k]:
                worst[k], worst["worst_at"][k] = d[k], c
        worst["meets"] = worst["meets"] and d["meets"]
    return worst


def report(out: Path) -> None:
    """Print the study's tables (markdown) and the meshes that meet the rule."""
    runs = load(out)
    for model in ("hem", "dfn"):
        conds = conditions(model)
        refs = [runs.get(_key(model, c, REFERENCE)) for c in conds]
        if not any(refs):
            continue
        print(f"\n## {model}: reference runs not completed: "
              f"{[c for c, r in zip(conds, refs, strict=True) if r and not r['completed']]}")
        print("\n| x_s, x_p, r_p | states | steps (bench) | capacity | mechanism / Q | "
              "mechanism / own | mean V [mV] | meets | worst capacity at |")
        print("|---|---|---|---|---|---|---|---|---|")
        bench = HEM_BENCH if model == "hem" else DFN_BENCH
        meshes = sorted({tuple(r["mesh"]) for r in runs.values() if r["model"] == model},
                        key=lambda m: (m[1], m[2], m[0]))
        for m in meshes:
            b = runs.get(_key(model, bench, m), {})
            a = assess(runs, model, m, conds)
            if a is None:
                dev = deviations(b, runs[_key(model, bench, REFERENCE)]) if b else {}
                cells = (f"({_fmt(dev.get('capacity'))}) | ({_fmt(dev.get('mechanism'))}) | "
                         f"({_fmt(dev.get('mechanism_own'))}) | "
                         f"({_fmt(1e3 * dev['voltage_V'] if 'voltage_V' in dev else None)}) "
                         "| bench only | |")
            else:
                cells = (f"{_fmt(a['capacity'])} | {_fmt(a['mechanism'])} | "
                         f"{_fmt(a['mechanism_own'])} | {_fmt(1e3 * a['voltage_V'])} | "
                         f"{'yes' if a['meets'] else 'no'}: {len(a['outside'])} outside, "
                         f"{len(a['failed'])} not completed, of {a['compared']} | "
                         f"{_cond(a['worst_at'].get('capacity'))} |")
            print(f"| {', '.join(map(str, m))} | {b.get('states', '')} | {b.get('steps', '')} | "
                  + cells)


def ofat_choice(runs: dict[str, dict[str, Any]], model: str) -> tuple[int, int, int] | None:
    """Step (i) of the rule: each dimension's coarsest value meeting the rule at every
    condition when varied alone from the reference (``None`` if runs are missing)."""
    conds = conditions(model)
    s0, p0, r0 = REFERENCE
    choice = []
    for values, mesh_of in ((X_S, lambda v: (v, p0, r0)), (X_P, lambda v: (s0, v, r0)),
                            (R_P, lambda v: (s0, p0, v))):
        ok = []
        for v in values:
            a = assess(runs, model, mesh_of(v), conds)
            if a is None:
                return None
            ok.append(a["meets"])
        # the coarsest value from which every finer one meets the rule too
        k = len(values) - 1
        while k > 0 and ok[k - 1]:
            k -= 1
        choice.append(values[k])
    return tuple(choice)  # type: ignore[return-value]


def select(model: str, out: Path, jobs: int) -> tuple[int, int, int] | None:
    """Step (ii) of the rule: the grid meshes at or above the step-(i) values in order of
    their states (at the benchmark condition, fewest first), each run at every condition
    until one meets the rule; that mesh (``None`` if none does)."""
    bench = HEM_BENCH if model == "hem" else DFN_BENCH
    runs = load(out)
    floor = ofat_choice(runs, model)
    if floor is None:
        raise SystemExit("run --stage ofat first")
    cands = [(s, p_, r_) for s in X_S for p_ in X_P for r_ in R_P
             if s >= floor[0] and p_ >= floor[1] and r_ >= floor[2]]
    run_jobs(model, cands, [bench], out, jobs)  # their states
    runs = load(out)
    cands.sort(key=lambda m: (runs[_key(model, bench, m)].get("states") or 10**9, m))
    print(f"step (i): {floor}; candidates in order of states: {cands}", flush=True)
    for m in cands:
        run_jobs(model, [m], conditions(model), out, jobs)
        a = assess(load(out), model, m, conditions(model))
        print(f"{m}: {'meets the rule' if a and a['meets'] else 'fails'} {a}", flush=True)
        if a and a["meets"]:
            return m
    return None


def _fmt(x: float | None) -> str:
    if x is None:
        return ""
    return "0" if x == 0 else f"{x:.1e}"


def _cond(c: Any) -> str:
    if not c:
        return ""
    return f"{c[0].split('_')[0]}/{c[1]} {c[2]} {c[3]:g} K"


def _mesh_arg(text: str) -> tuple:
    """``x_s,x_p,r_p`` or ``x_s,x_p,r_p,separator_grading`` as a mesh tuple."""
    parts = text.split(",")
    return (*(int(v) for v in parts[:3]), *(float(v) for v in parts[3:]))


def main(argv: list[str] | None = None) -> int:
    """Command line (module docstring)."""
    global REFERENCE
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run")
    r.add_argument("--model", choices=("hem", "dfn"), required=True)
    r.add_argument("--stage", choices=("ofat", "grid", "select"))
    r.add_argument("--mesh", action="append", default=[],
                   help="x_s,x_p,r_p[,separator_grading] (repeatable): these meshes at every "
                   "condition")
    r.add_argument("--out", type=Path, required=True)
    r.add_argument("--jobs", type=int, default=1)
    p = sub.add_parser("report")
    p.add_argument("--out", type=Path, required=True)
    for a in (r, p):
        a.add_argument("--reference", help="x_s,x_p,r_p[,separator_grading] of the reference "
                       f"(default {','.join(map(str, REFERENCE))})")
    args = ap.parse_args(argv)
    if args.reference:
        REFERENCE = _mesh_arg(args.reference)
    if args.cmd == "report":
        report(args.out)
        return 0
    conds = conditions(args.model)
    if args.stage == "ofat":
        run_jobs(args.model, ofat_meshes(), conds, args.out, args.jobs)
    elif args.stage == "grid":
        bench = HEM_BENCH if args.model == "hem" else DFN_BENCH
        grid = [(s, p_, r_) for s in X_S for p_ in X_P for r_ in R_P]
        run_jobs(args.model, grid, [bench], args.out, args.jobs)
    elif args.stage == "select":
        print(f"chosen: {select(args.model, args.out, args.jobs)}")
    meshes = [_mesh_arg(m) for m in args.mesh]
    if meshes:
        run_jobs(args.model, [REFERENCE, *meshes], conds, args.out, args.jobs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
