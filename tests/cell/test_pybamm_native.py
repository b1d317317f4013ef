"""The properties PyBaMM checks of its own models, checked of hemcell's anode models.

Written against PyBaMM's public API only: well-posedness, parameter processing,
discretisation, a solve with an :class:`pybamm.Experiment`, the standard output checks
that apply (voltage within the cut-offs, concentrations within [0, c_max], charge
conservation), serialisation and reload through ``pybamm.load_model``, and the plots
``sim.plot()`` makes by default. Cases: the single-particle and P2D half-cells, and the
full cells of both shipped cathodes (the ``hem_full_cell_*`` recipes: LFP and NMC811).
Meshes are small and protocols short so that the whole file runs in the default suite.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

pybamm = pytest.importorskip("pybamm")

from hemcell.cell.full_cell import HEMFullCell  # noqa: E402
from hemcell.cell.model import HEMHalfCell  # noqa: E402
from hemcell.errors import InputError  # noqa: E402

VAR_PTS = {"x_n": 5, "x_s": 5, "x_p": 6, "r_n": 5, "r_p": 5}
HALF_STEPS = ["Discharge at C/5 for 10 minutes", "Rest for 2 minutes",
              "Charge at C/5 for 5 minutes"]
FULL_STEPS = ["Charge at C/5 for 10 minutes", "Rest for 2 minutes",
              "Discharge at C/5 for 5 minutes"]
CASES = {
    "half_sp": (HEMHalfCell, {"x-average": "true"}, HALF_STEPS),
    "half_p2d": (HEMHalfCell, {}, HALF_STEPS),
    "full_lfp": (HEMFullCell, {"cathode": "LFP"}, FULL_STEPS),
    "full_nmc811": (HEMFullCell, {"cathode": "NMC811"}, FULL_STEPS),
}
#: Relative tolerance of the conservation checks: the solver's rtol (1e-6) summed over
#: a few hundred steps, well below the 1e-3 the runs' own charge balance is held to.
CONSERVATION_RTOL = 1e-4


def _model(case: str):
    cls, options, _ = CASES[case]
    return cls(options)


@pytest.fixture(scope="module", params=list(CASES))
def solved(request):
    """(case, model, parameter values, experiment solution) of each case."""
    case = request.param
    model = _model(case)
    pv = model.default_parameter_values
    sim = pybamm.Simulation(model, parameter_values=pv, var_pts=VAR_PTS,
                            experiment=pybamm.Experiment(CASES[case][2]))
    sol = sim.solve()
    return case, model, pv, sol


@pytest.mark.parametrize("case", list(CASES))
def test_well_posed_processed_and_discretised(case):
    """check_well_posedness before and after parameters and discretisation; no
    parameter left after processing."""
    model = _model(case)
    model.check_well_posedness()
    pv = model.default_parameter_values
    geometry = model.default_geometry
    processed = pv.process_model(model, inplace=False)
    pv.process_geometry(geometry)
    for eq in [*processed.rhs.values(), *processed.algebraic.values(),
               *processed.initial_conditions.values()]:
        assert not any(isinstance(s, pybamm.Parameter) for s in eq.pre_order())
    mesh = pybamm.Mesh(geometry, model.default_submesh_types, VAR_PTS)
    disc = pybamm.Discretisation(mesh, model.default_spatial_methods)
    disc.process_model(processed)
    processed.check_well_posedness(post_discretisation=True)
    assert processed.concatenated_rhs.size + processed.concatenated_algebraic.size > 0


def test_experiment_runs_every_step(solved):
    case, _, _, sol = solved
    assert len(sol.cycles) == len(CASES[case][2])
    assert all(type(c).__name__ != "EmptySolution" for c in sol.cycles)


def test_voltage_within_cutoffs(solved):
    _, _, pv, sol = solved
    v = sol["Voltage [V]"].entries
    # events stop a step at its cut-off to the solver's tolerance (rtol 1e-6 of ~1 V)
    assert v.min() >= pv["Lower voltage cut-off [V]"] - 1e-5
    assert v.max() <= pv["Upper voltage cut-off [V]"] + 1e-5


def test_concentrations_within_bounds(solved):
    case, model, pv, sol = solved
    c_e = sol["Electrolyte concentration [mol.m-3]"].entries
    assert c_e.min() > 0
    domains = ["Positive"] if case.startswith("half") else ["Negative", "Positive"]
    for d in domains:
        name = f"{d} particle concentration [mol.m-3]"
        if name not in model.variables:
            continue
        c = sol[name].entries
        c_max = pv[f"Maximum concentration in {d.lower()} electrode [mol.m-3]"]
        assert c.min() >= 0
        assert c.max() <= c_max


def test_charge_conservation(solved):
    """Discharge capacity = ∫I dt; the anode's stored charges add up to the charge
    passed; in full cells the cathode gains what the cell discharges and the
    electrolyte's lithium is unchanged."""
    case, model, _, sol = solved
    t = sol["Time [s]"].entries
    current = sol["Current [A]"].entries
    q_int = np.concatenate([[0.0], np.cumsum(np.diff(t) * 0.5 * (current[1:] + current[:-1]))])
    q_ah = sol["Discharge capacity [A.h]"].entries
    scale = np.abs(q_int).max() / 3600
    np.testing.assert_allclose(q_ah, q_int / 3600, atol=CONSERVATION_RTOL * scale)
    sign = 1 if case.startswith("half") else -1
    np.testing.assert_allclose(sol["Anode total stored charge [A.h]"].entries, sign * q_ah,
                               atol=CONSERVATION_RTOL * scale)
    if "Total lithium in electrolyte [mol]" in model.variables:
        n_e = sol["Total lithium in electrolyte [mol]"].entries
        np.testing.assert_allclose(n_e, n_e[0], rtol=CONSERVATION_RTOL)
    if case.startswith("full"):
        n_p = sol["Total lithium in positive electrode [mol]"].entries
        np.testing.assert_allclose((n_p - n_p[0]) * pybamm.constants.F.value / 3600, q_ah,
                                   atol=CONSERVATION_RTOL * scale)


def test_default_plots(solved, tmp_path):
    """sim.plot()'s default variables exist and QuickPlot draws them (Agg)."""
    import matplotlib

    matplotlib.use("Agg")
    _, model, _, sol = solved
    names = model.default_quick_plot_variables
    assert "Voltage [V]" in names and "Electrolyte concentration [mol.m-3]" in names
    plot = pybamm.QuickPlot(sol)
    plot.plot(sol.t[-1])
    plot.fig.savefig(tmp_path / "quickplot.png")
    assert (tmp_path / "quickplot.png").stat().st_size > 0


#: The NMC811 full cell's round trip is in ``make test-slow`` only (12.8 s of the default
#: run): the default run still round-trips every part of it, the full-cell class and the
#: isothermal submodel (``full_lfp``) and the NMC811 cathode's functions (its lumped
#: cell, ``test_thermal.py::test_serialise_and_reload_lumped``).
SERIALISE_CASES = [pytest.param(case, marks=pytest.mark.slow) if case == "full_nmc811"
                   else case for case in CASES]


#: The round trips' mesh: three points a domain. Whether a reloaded model gives the same
#: solution bit for bit does not depend on the mesh; building and writing the JSON grow
#: with it: the three round trips took 18.2 s with ``VAR_PTS``, 15.6 s with this (-n 0,
#: load ~3).
SERIALISE_VAR_PTS = {"x_n": 3, "x_s": 3, "x_p": 3, "r_n": 3, "r_p": 3}


@pytest.mark.parametrize("case", SERIALISE_CASES)
def test_serialise_and_reload(case, tmp_path):
    """save_model → pybamm.load_model gives the same class, options and solution (on a
    coarse mesh, ``SERIALISE_VAR_PTS``)."""
    model = _model(case)
    sim = pybamm.Simulation(model, parameter_values=model.default_parameter_values,
                            var_pts=SERIALISE_VAR_PTS)
    sim.build()
    sim.save_model(str(tmp_path / "model"), mesh=True, variables=True)
    saved = json.loads((tmp_path / "model.json").read_text())
    assert saved["options"]["mechanisms"] == list(model.options["mechanisms"])
    loaded = pybamm.load_model(str(tmp_path / "model.json"))
    assert type(loaded) is type(model)
    assert dict(loaded.options) == dict(model.options)
    t_eval = [0, 300]
    ref = pybamm.IDAKLUSolver(rtol=1e-6, atol=1e-8).solve(sim.built_model, t_eval)
    new = pybamm.IDAKLUSolver(rtol=1e-6, atol=1e-8).solve(loaded, t_eval)
    np.testing.assert_array_equal(new["Voltage [V]"].entries, ref["Voltage [V]"].entries)
    assert new["Electrolyte concentration [mol.m-3]"].entries.shape == (
        ref["Electrolyte concentration [mol.m-3]"].entries.shape)


def test_default_parameter_values_rate_refers_to_the_anode():
    """1C of the half-cell defaults is the anode's theoretical capacity (not Xu2019's)."""
    from hemcell.cell.capacity import active_mass_g, theoretical_capacity
    from hemcell.cell.options import DEFAULT_PARAMETER_SET
    from hemcell.cell.parameters import load_si

    model = HEMHalfCell()
    pv = model.default_parameter_values
    si, _ = load_si(DEFAULT_PARAMETER_SET)
    theo = sum(theoretical_capacity(si, model.inventory, model.mechanisms).values())
    expected = theo * active_mass_g(pv, "half") / 1000
    assert pv["Nominal cell capacity [A.h]"] == pytest.approx(expected, rel=1e-12)
    assert pv["Current function [A]"] == pytest.approx(expected, rel=1e-12)


def test_options_defaults_and_validation():
    model = HEMHalfCell({"mechanisms": ("intercalation", "conversion")})
    assert model.options["mechanisms"] == ("intercalation", "conversion")
    assert model.options["x-average"] == "false"
    assert model.options["thermal"] == "isothermal"
    assert model.inventory.conversion  # the default set's convertible elements
    bad = [
        {"mechanisms": ("plating",)},
        {"x-average": "yes"},
        {"convertible elements": ("cobalt",)},
        {"mechanisms": ("alloying",), "alloying elements": {}},
        {"alloying elements": {"Zn": 0}},
        {"SEI": "reaction limited"},
        {"thermal": "lumped"},
        {"cathode": "LFP"},
    ]
    for options in bad:
        with pytest.raises(InputError) as err:
            HEMHalfCell(options)
        assert "options[" in str(err.value)
    with pytest.raises(pybamm.OptionError):
        HEMHalfCell({"not an option": "x"})
    with pytest.raises(InputError):
        HEMFullCell({"x-average": "true"})
    with pytest.raises(InputError):
        HEMFullCell({"cathode": "LCO"})
