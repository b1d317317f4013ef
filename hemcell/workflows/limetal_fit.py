"""Fits that write ``calibrated`` values into the parameter files.

Each fit runs its fit spec (``examples/fits/limetal_fit_*.yaml``, :func:`spec_fit`)
through :func:`hemcell.workflows.fit.fit`, the one fitting code path of ``hemcell fit``
(which itself never rewrites a shipped file: it writes a new set); only these maintainer
commands write the result into the shipped sets (``--dry-run`` does not).

- :func:`fit_rate`: the coated Li‖LFP rate capability on a subset of C-rates
  (default 0.1, 1, 4 C; seed 004 L117) fits the LFP charged-state stoichiometry and the
  LFP particle diffusivity (two values, three targets: a least-squares fit with a
  residual; the published Kashkooli exchange current is kept). These are cathode
  properties, shared by both cells, so they are written to ``azcnf_coated_li.yaml`` *and*
  ``bare_li.yaml``; the bare cell is then a prediction.
- :func:`fit_losses`: the Li loss coefficient ``k_loss`` from the coated cell's Aurbach
  Coulombic efficiency (98.7 %, L82), shared by both sets, and the Bruggeman exponent of
  the bare Li's mossy dead-Li/SEI layer from the bare Li‖Li time to polarization
  (570 h, L84), written to the bare set only (the coated set's compact layer keeps an
  assumed value).
- :func:`fit_fade`: the crosstalk coefficient (LFP sites deactivated per Li lost) from
  the coated Li‖LFP retention after 300 cycles (88 %, L110); shared, so the bare Li‖LFP
  fade (68.1 %) and the high-loading cell (81.57 %) are predictions.
- :func:`fit_shuttle`: the crosstalk species' shuttle charge per lost Li from the bare
  Li‖LFP cell's mean CE (≈ 99.3 %, L117); shared, so the coated CE (> 99.7 %) is the
  prediction.
- :func:`fit_nucleation`: the nucleation shape factor of each substrate from its
  nucleation overpotential (80.3 / 237.8 mV, L76), one value per set.

Each written entry records what it was fitted to and the command that fits it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from hemcell.errors import InputError, SimulationError
from hemcell.params.li_sets import li_anode_set_name
from hemcell.params.uses import ParameterUse

#: The targets and cycling rate :func:`fit_fade` reads (besides the coated cell's cycling
#: model); it fits ``lfp_deactivation_per_lost_li``, so a ``--set`` of that is not read.
FADE_PARAMETERS = (ParameterUse("lfp_capacity_retention_300_cycles", "dimensionless"),
                   ParameterUse("lfp_cycling_c_rate", "dimensionless"))
#: The targets and cycling rate :func:`fit_shuttle` reads (besides the bare cell's cycling
#: model); it fits ``shuttle_charge_per_lost_li``.
SHUTTLE_PARAMETERS = (ParameterUse("lfp_average_coulombic_efficiency", "dimensionless"),
                      ParameterUse("lfp_cycling_c_rate", "dimensionless"))


def _format_entry(name: str, value: float, unit: str, fitted_to: str, command: str,
                  note: str | None) -> str:
    lines = [f"  {name}:", f"    value: {value:.6g}", f"    unit: {unit}", "    source:",
             "      calibrated: >-", *_wrap(fitted_to, 8), f"      command: {command}"]
    if note:
        lines += ["    note: >-", *_wrap(note, 6)]
    return "\n".join(lines) + "\n"


def _wrap(text: str, indent: int, width: int = 92) -> list[str]:
    words, out, line = text.split(), [], ""
    for w in words:
        if line and len(line) + 1 + len(w) > width - indent:
            out.append(" " * indent + line)
            line = w
        else:
            line = f"{line} {w}".strip()
    if line:
        out.append(" " * indent + line)
    return out


def replace_entry(path: Path, name: str, block: str) -> None:
    """Replace the entry ``name`` of a parameter file by ``block`` (or add it before
    ``notes:``), leaving every other line untouched; then re-validate the file.

    Raises
    ------
    InputError
        If the rewritten file no longer validates (the original is restored).
    """
    from hemcell.params import load_parameter_set

    text = path.read_text()
    pattern = re.compile(rf"^  {re.escape(name)}:\n(?:(?:    .*|\s*)\n)*?(?=^  \S|^\S)",
                         re.MULTILINE)
    m = pattern.search(text)
    if m:
        new = text[:m.start()] + block + text[m.end():]
    else:
        i = text.index("\nnotes:\n")
        new = text[:i + 1] + block + text[i + 1:]
    path.write_text(new)
    try:
        load_parameter_set(path)
    except Exception:
        path.write_text(text)
        raise


def write_calibrated(values: dict[str, tuple[float, str]], fitted_to: str, command: str,
                     anodes: Sequence[str] = ("coated", "bare"),
                     notes: dict[str, str] | None = None) -> list[Path]:
    """Write ``name -> (value, unit)`` as calibrated entries into the anodes' set files."""
    from hemcell.params.parameter_set import resolve_parameter_path

    written = []
    for anode in anodes:
        path = resolve_parameter_path(li_anode_set_name(anode))
        for name, (value, unit) in values.items():
            replace_entry(path, name, _format_entry(name, value, unit, fitted_to, command,
                                                    (notes or {}).get(name)))
        written.append(path)
    return written


def fit_rate(c_rates: Sequence[float] = (0.1, 1.0, 4.0), overrides: Sequence[str] = (),
             write: bool = True) -> dict[str, Any]:
    """Fit the coated cell's rate capability on ``c_rates``; optionally write the values.

    The spec ``limetal_fit_rate`` (:func:`spec_fit`) with its table replaced by the set's
    paper capacities at ``c_rates``.

    Returns
    -------
    dict
        Fitted values, model vs paper at the fitted rates, and the files written.
    """
    import numpy as np

    from hemcell.limetal.parameters import load_anode_set
    from hemcell.workflows.fit import MAH_PER_G

    pset = load_anode_set("coated", overrides)
    paper_rates = [float(c) for c in pset.si["lfp_rate_c_rates"]]
    paper_caps = [float(q) / 3600.0 for q in pset.si["lfp_rate_capacity"]]  # C/kg -> mAh/g
    targets = []
    for c in c_rates:
        if c not in paper_rates:
            raise InputError("--c-rates", c, f"C-rates with a paper value: {paper_rates}")
        targets.append(paper_caps[paper_rates.index(c)])

    def at_rates(problem: Any) -> None:
        problem.c_rates = [float(c) for c in c_rates]
        problem.datasets[0].x_axis = np.asarray(problem.c_rates)
        problem.replace_observed(0, np.asarray(targets) * MAH_PER_G)
        if len(targets) <= len(problem.params):
            # an exact fit leaves no residual to estimate the noise from; a σ is needed
            # only for intervals, which this command does not report (1 mAh/g)
            problem.spec.sigma = MAH_PER_G

    values, res = spec_fit(RATE_SPEC, overrides, adjust=at_rates)
    fit = {"x0": values["lfp_charged_stoichiometry"], "ds": values["lfp_particle_diffusivity"]}
    model = [t + r * res.problem._sigma() / MAH_PER_G
             for t, r in zip(targets, res.residuals[:len(targets)], strict=True)]
    out: dict[str, Any] = {
        "fitted": fit, "c_rates": list(c_rates), "paper_mAh_per_g": targets,
        "model_mAh_per_g": model,
        "rms_error_mAh_per_g": float(np.sqrt(np.mean(np.square(
            np.asarray(model) - np.asarray(targets))))),
    }
    if write:
        rates_txt = ", ".join(f"{c:g}" for c in c_rates)
        fitted_to = (f"AZCNF-Li||LFP discharge capacities at {rates_txt} C (seed 004 L117), "
                     "least squares over the LFP charged-state stoichiometry and particle "
                     f"diffusivity together (fit spec examples/fits/{RATE_SPEC}.yaml); shared "
                     "by the bare and coated sets (cathode property).")
        cmd = "hemcell limetal fit-rate --c-rates " + ",".join(f"{c:g}" for c in c_rates)
        out["written"] = [str(x) for x in write_calibrated(
            {"lfp_charged_stoichiometry": (fit["x0"], "dimensionless"),
             "lfp_particle_diffusivity": (fit["ds"], "m**2/s")},
            fitted_to, cmd,
            notes={"lfp_particle_diffusivity": "Prada2013 gives 5.9e-18 m**2/s; the fitted "
                   "value absorbs the LFP phase-change kinetics the model does not have."})]
    return out


#: The fit specs (examples/fits/) of the calibrations; :func:`spec_fit` runs them.
RATE_SPEC = "limetal_fit_rate"
NUCLEATION_SPEC = "limetal_fit_nucleation_{anode}"
LOSSES_AURBACH_SPEC = "limetal_fit_losses_aurbach"
LOSSES_SYMMETRIC_SPEC = "limetal_fit_losses_symmetric"
FADE_SPEC = "limetal_fit_fade"
SHUTTLE_SPEC = "limetal_fit_shuttle"


def refuse_fitted(overrides: Sequence[str] | None, fitted: Sequence[str], command: str) -> None:
    """Refuse (exit 2) a ``--set`` of a parameter the fit determines.

    The fit sets each of ``fitted`` itself (to its trial values, then to the fitted one):
    a value given for it could only be overwritten, so it is refused by name rather than
    as a key given twice.
    """
    from hemcell.params.uses import override_items

    for key, value in override_items(overrides):
        if key in fitted:
            raise InputError("--set", f"{key}={value}",
                             f"a parameter other than {', '.join(fitted)} (what the fit "
                             "determines)",
                             hint=f"{key} is the parameter the fit determines and cannot be "
                             f"set; `{command}` finds its value (with --dry-run it is not "
                             "written); to see the model at another value, --set it on the "
                             "model's own command")


def spec_fit(name: str, overrides: Sequence[str] = (), targets: Sequence[float] | None = None,
             adjust: Callable[[Any], None] | None = None, **model: Any
             ) -> tuple[dict[str, float], Any]:
    """Fit the spec ``examples/fits/<name>.yaml`` with :func:`hemcell.workflows.fit.fit`
    (the one fitting code path).

    Parameters
    ----------
    overrides
        ``--set`` values held fixed (added to the spec's ``model.set``).
    targets
        The data set's values [SI] replaced by these (the set's targets, which
        ``--set`` may change; by default they equal the data file's).
    adjust
        Called with the spec's adapter before fitting (to change what it compares).
    model
        Model keys replaced (``stride``).

    Returns
    -------
    tuple
        ``({fitted name: value [SI]}, FitResult)``.
    """
    import numpy as np

    from hemcell.resources import repo_root
    from hemcell.workflows.fit import fit, load_spec, make_problem

    spec = load_spec(repo_root() / "examples" / "fits" / f"{name}.yaml")
    refuse_fitted(overrides, [p.name for p in spec.parameters], f"hemcell fit {spec.path.name}")
    spec.model["set"] = [*spec.model["set"], *overrides]
    spec.model.update(model)
    problem = make_problem(spec)
    if targets is not None:
        problem.replace_observed(0, np.asarray(targets, dtype=float))
    if adjust is not None:
        adjust(problem)
    res = fit(spec, profiles=False, problem=problem)
    values = {p.name: float(p.from_x(x)) for p, x in zip(res.problem.params, res.x, strict=True)}
    return values, res


def _model_value(res: Any) -> float:
    """The model's value [SI] at the optimum of a one-target fit (from its residual)."""
    problem = res.problem
    return float(problem.datasets[0].observed[0] + res.residuals[0] * problem._sigma())


def fit_losses(overrides: Sequence[str] = (), write: bool = True) -> dict[str, Any]:
    """Fit the loss constant (both sets) and the bare layer's Bruggeman exponent.

    Two fit specs, in order (:func:`spec_fit`):

    - ``limetal_fit_losses_aurbach``: ``k_loss`` from the coated Aurbach Coulombic
      efficiency (98.7 %, seed 004 L82), shared by both sets;
    - ``limetal_fit_losses_symmetric``: the Bruggeman exponent ``b_dl`` of the bare Li's
      mossy dead-Li/SEI layer from its Li||Li cell's time to "significant polarization"
      (570 h at 1 mA/cm**2, 1 mAh/cm**2, L84), with that ``k_loss``: the cell fails when
      the salt at the plating surface is depleted (:mod:`hemcell.limetal.symmetric`),
      counted at the middle of the failing cycle (the continuous form of
      :class:`hemcell.workflows.fit.LiSymmetricProblem`). Written to the bare set only:
      the coated Li deposits compactly (smooth, no pulverization after 100 cycles, seed
      004 L95-97), and its set keeps the assumed Bruggeman value 1.5 of a packed bed.

    Every other Li-electrode result (bare Aurbach CE, Li||Cu CE and overpotentials, coated
    Li||Li lifetimes, Li||LFP retention and CE of both cells) is then a prediction.
    """
    from hemcell.limetal.losses import layer_thickness_m
    from hemcell.limetal.parameters import cell_parameters, load_anode_set
    from hemcell.limetal.symmetric import run_symmetric

    refuse_fitted(overrides, ("li_loss_overpotential_coefficient",
                              "interphase_layer_bruggeman_coefficient"),
                  "hemcell limetal fit-losses")
    coated = load_anode_set("coated", overrides)
    k_fit, _ = spec_fit(LOSSES_AURBACH_SPEC, overrides,
                        [float(coated.si["aurbach_coulombic_efficiency"])])
    k_loss = k_fit["li_loss_overpotential_coefficient"]
    k_set = f"li_loss_overpotential_coefficient={k_loss!r} 1/V"
    bare = load_anode_set("bare", [*overrides, k_set])
    t_fail = float(bare.si["symmetric_cell_lifetime_1mA"])
    b_fit, res = spec_fit(LOSSES_SYMMETRIC_SPEC, [*overrides, k_set], [t_fail])
    b_dl = b_fit["interphase_layer_bruggeman_coefficient"]
    p = cell_parameters(load_anode_set(
        "bare", [*overrides, k_set, f"interphase_layer_bruggeman_coefficient={b_dl!r}"]), "bare")
    row = res.problem.rows[0]
    q = float(row["areal_capacity"])
    run = run_symmetric(p, float(row["current_density"]), q, hours=2 * t_fail / 3600.0)
    lost = (run.failure_cycle or 0) * run.loss_fraction * q
    l_dl = layer_thickness_m(lost, p.li_molar_volume_m3_per_mol, p.layer_porosity)
    out: dict[str, Any] = {"li_loss_overpotential_coefficient_per_V": k_loss,
                           "interphase_layer_bruggeman_coefficient": b_dl,
                           "tortuosity_factor": p.layer_porosity ** (1 - b_dl),
                           "bare_symmetric_loss_fraction": run.loss_fraction,
                           "bare_time_to_failure_h": run.time_to_failure_h,
                           "bare_layer_thickness_at_failure_um": 1e6 * l_dl}
    if write:
        cmd = "hemcell limetal fit-losses"
        out["written"] = [str(x) for x in write_calibrated(
            {"li_loss_overpotential_coefficient": (k_loss, "1/V")},
            "AZCNF-Li Aurbach Coulombic efficiency 98.7 % (seed 004 L82): CE = 1 - k_loss "
            "eta_loc at aurbach_current_density with the coated Li kinetics (fit spec "
            f"examples/fits/{LOSSES_AURBACH_SPEC}.yaml); shared by both sets.", cmd)]
        out["written"] += [str(x) for x in write_calibrated(
            {"interphase_layer_bruggeman_coefficient": (b_dl, "dimensionless")},
            "Bare Li||Li time to significant polarization, 570 h at 1 mA/cm**2 and 1 mAh/cm**2 "
            "(seed 004 L84): salt depletion through separator and dead-Li/SEI layers in that "
            "cycle, with k_loss as fitted (fit spec "
            f"examples/fits/{LOSSES_SYMMETRIC_SPEC}.yaml). The mossy layer of bare Li (seed "
            "004 L95); the coated set keeps its compact layer's assumed value.", cmd,
            anodes=("bare",),
            notes={"interphase_layer_bruggeman_coefficient":
                   f"Tortuosity factor eps^(1-b) = {p.layer_porosity ** (1 - b_dl):.3g} at "
                   f"eps = {p.layer_porosity:g}; layer {1e6 * l_dl:.0f} um at failure."})]
    return out


def fit_nucleation(anodes: Sequence[str] = ("coated", "bare"), overrides: Sequence[str] = (),
                   write: bool = True) -> dict[str, Any]:
    """Fit each substrate's nucleation shape factor to its nucleation overpotential.

    One value per set (bare Cu vs AZCNF-coated, seed 004 L76), by the specs
    ``limetal_fit_nucleation_<anode>`` (:func:`spec_fit`) with the set's target: these
    are calibrated, so the nucleation overpotentials are not predictions; the plateau
    overpotentials, nuclei densities and timing are.
    """
    from hemcell.limetal.nucleation import contact_angle_from_shape_factor
    from hemcell.limetal.parameters import load_anode_set

    refuse_fitted(overrides, ("nucleation_shape_factor",), "hemcell limetal fit-nucleation")
    out: dict[str, Any] = {}
    for anode in anodes:
        pset = load_anode_set(anode, overrides)
        target = float(pset.si["li_cu_nucleation_overpotential"])
        values, _ = spec_fit(NUCLEATION_SPEC.format(anode=anode), overrides, [target])
        phi = values["nucleation_shape_factor"]
        theta = contact_angle_from_shape_factor(phi)
        out[anode] = {"nucleation_shape_factor": phi, "contact_angle_deg": math.degrees(theta),
                      "target_mV": target * 1e3}
        if write:
            cu = "AZCNF-coated" if anode == "coated" else "bare"
            write_calibrated(
                {"nucleation_shape_factor": (phi, "dimensionless")},
                f"Nucleation overpotential (tip minus plateau) of the first Li plating on "
                f"{cu} Cu, {target * 1e3:.1f} mV at 1 mA/cm**2 (seed 004 L76), with the "
                "classical nucleation model of hemcell.limetal.nucleation (fit spec "
                f"examples/fits/{NUCLEATION_SPEC.format(anode=anode)}.yaml).",
                "hemcell limetal fit-nucleation", anodes=(anode,),
                notes={"nucleation_shape_factor": f"Equivalent contact angle "
                       f"{math.degrees(theta):.1f} deg of a spherical-cap nucleus."})
    return out


def fit_fade(overrides: Sequence[str] = (), write: bool = True, stride: int = 1,
             progress: Callable[[str], None] | None = None) -> dict[str, Any]:
    """Fit the crosstalk coefficient to the coated Li||LFP retention.

    One constant, ``lfp_deactivation_per_lost_li`` (:mod:`hemcell.limetal.crosstalk`), is
    fitted by the spec ``limetal_fit_fade`` (:func:`spec_fit`: least squares on the
    simulated retention) so that the AZCNF-Li||LFP cell keeps the set's 88 % after 300
    cycles at 1C (seed 004 L110). It is shared by both sets; the bare cell's retention and
    capacity (68.1 %, 100 mAh/g) and the high-loading cell's retention (81.57 %) are then
    predictions.
    """
    from hemcell.limetal.cycling import cycling_summary, run_cycling
    from hemcell.limetal.halfcell import build_half_cell
    from hemcell.limetal.parameters import cell_parameters, load_anode_set

    refuse_fitted(overrides, ("lfp_deactivation_per_lost_li",), "hemcell limetal fit-fade")
    target = float(load_anode_set("coated", overrides).si["lfp_capacity_retention_300_cycles"])
    fitted, res = spec_fit(FADE_SPEC, overrides, [target], stride=stride)
    b_fit = fitted["lfp_deactivation_per_lost_li"]
    r_fit = _model_value(res)
    if progress is not None:
        progress(f"beta = {b_fit:.5g}: retention {r_fit:.4f} ({res.problem.evaluations} runs)")
    if abs(r_fit - target) > 5e-3:
        raise SimulationError(f"fit-fade did not converge: retention {r_fit:.4f} vs {target}",
                              step="fit-fade")
    # the Li lost without crosstalk, against the LFP sites (for the note)
    ps = load_anode_set("coated", [*overrides, "lfp_deactivation_per_lost_li=0"])
    cell = build_half_cell(cell_parameters(ps, "coated"), ps)
    s0 = cycling_summary(run_cycling(cell, res.problem.n_cycles, res.problem.c_rate, stride))
    r0 = s0["capacity_retention"]
    p = cell.params
    lost_mol = (s0["final_interphase_layer_thickness_um"] * 1e-6 * (1 - p.layer_porosity)
                * p.li_electrode_area_m2 / p.li_molar_volume_m3_per_mol)
    sites_mol = cell.geometry.lfp_sites_mol
    out: dict[str, Any] = {
        "lfp_deactivation_per_lost_li": b_fit,
        "retention": r_fit, "target_retention": target,
        "retention_without_crosstalk": r0,
        "lost_li_at_300_cycles_umol": lost_mol * 1e6,
        "lfp_sites_umol": sites_mol * 1e6,
        "stride": stride}
    if write:
        out["written"] = [str(x) for x in write_calibrated(
            {"lfp_deactivation_per_lost_li": (b_fit, "dimensionless")},
            f"AZCNF-Li||LFP capacity retention 88 % after 300 cycles at 1C (seed 004 L110), "
            f"least squares on the simulated retention (stride {stride}; fit spec "
            f"examples/fits/{FADE_SPEC}.yaml); shared by both sets, so the bare and "
            "high-loading Li||LFP retentions and capacities are predictions.",
            "hemcell limetal fit-fade",
            notes={"lfp_deactivation_per_lost_li":
                   f"The coated cell loses {lost_mol * 1e6:.3g} umol of Li in 300 cycles, "
                   f"{lost_mol / sites_mol:.3g} times its {sites_mol * 1e6:.3g} umol of LFP "
                   f"sites; without crosstalk it would keep {r0:.3f}."})]
    return out


#: "slightly above 99.3 %" (seed 004 L117) read as the centre of [99.3, 99.5] %, the band
#: the validation case limetal_cycle_bare_ce accepts (the data file of the fit spec holds
#: the 99.4 %).
BARE_CELL_CE_ABOVE_BOUND = 0.001


def fit_shuttle(overrides: Sequence[str] = (), write: bool = True, stride: int = 1,
                ) -> dict[str, Any]:
    """Fit the shuttle charge per lost Li to the bare Li||LFP cell's mean CE.

    One constant, ``shuttle_charge_per_lost_li`` (:mod:`hemcell.limetal.crosstalk`), is
    fitted by the spec ``limetal_fit_shuttle`` (:func:`spec_fit`) so that the bare cell's
    mean CE over 300 cycles at 1C is 99.4 % ("slightly above 99.3 %", seed 004 L117, read
    as the centre of [99.3, 99.5] %). The shuttle does not change the solves (it is
    book-kept after each charge), so the fit reuses one built cell. Shared by both sets:
    the coated cell's CE (> 99.7 %, L110) is the prediction.
    """
    from hemcell.limetal.cycling import cycling_summary, run_cycling
    from hemcell.limetal.halfcell import build_half_cell
    from hemcell.limetal.parameters import cell_parameters, load_anode_set

    refuse_fitted(overrides, ("shuttle_charge_per_lost_li",), "hemcell limetal fit-shuttle")
    bare = load_anode_set("bare", [*overrides, "shuttle_charge_per_lost_li=0"])
    target = float(bare.si["lfp_average_coulombic_efficiency"]) + BARE_CELL_CE_ABOVE_BOUND
    c_rate = float(bare.si["lfp_cycling_c_rate"])
    rec = run_cycling(build_half_cell(cell_parameters(bare, "bare"), bare), 300, c_rate, stride)
    if rec.dry_out_cycle is not None:
        raise SimulationError(f"fit-shuttle: the bare cell stopped at cycle {rec.dry_out_cycle}"
                              f" ({rec.stop_reason}); no 300-cycle mean CE to fit",
                              step="fit-shuttle")
    ce0 = cycling_summary(rec)["mean_coulombic_efficiency"]
    if ce0 <= target:
        raise SimulationError(f"fit-shuttle: without a shuttle the bare mean CE is already "
                              f"{ce0:.5f} <= {target}", step="fit-shuttle")
    fitted, _ = spec_fit(SHUTTLE_SPEC, overrides, [target], stride=stride)
    sigma = fitted["shuttle_charge_per_lost_li"]
    lam = [1 - c for c in rec.li_ce]
    w = rec.cycles_represented  # a solved cycle stands for `stride` cycles
    out: dict[str, Any] = {"shuttle_charge_per_lost_li": sigma, "target_mean_ce": target,
                           "mean_ce_without_shuttle": ce0,
                           "mean_li_loss_fraction": sum(x * k for x, k in zip(lam, w, strict=True))
                           / sum(w), "stride": stride}
    if write:
        out["written"] = [str(x) for x in write_calibrated(
            {"shuttle_charge_per_lost_li": (sigma, "dimensionless")},
            "Bare Li||LFP mean Coulombic efficiency over 300 cycles at 1C, 'slightly above "
            "99.3%' (seed 004 L117) read as 99.4 %, least squares on the simulated mean CE "
            f"(stride {stride}; fit spec examples/fits/{SHUTTLE_SPEC}.yaml); shared by both "
            "sets, so the coated cell's CE (> 99.7 %, L110) is the prediction.",
            "hemcell limetal fit-shuttle",
            notes={"shuttle_charge_per_lost_li":
                   f"Without the shuttle the bare mean CE is {ce0:.5f}; the bare Li loss "
                   f"averages {100 * out['mean_li_loss_fraction']:.2f} % of the plated "
                   "charge."})]
    return out
