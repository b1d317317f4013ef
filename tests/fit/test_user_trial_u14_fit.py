"""User trial U14 of `hemcell fit`: a spectrum fit's model.temperature."""

from __future__ import annotations

import pytest

from hemcell.errors import InputError
from hemcell.resources import repo_root
from hemcell.workflows.fit import load_spec, make_problem

DATA = repo_root() / "examples" / "data" / "synthetic_eis_li_li_bare.csv"


def _spec(tmp_path, temperature: str):
    text = (f"model:\n  command: eis symmetric\n  anode: bare\n"
            f"  temperature: {temperature}\n"
            f"data:\n  - file: {DATA}\n"
            f"fit:\n  parameters:\n"
            f"    symmetric_cell_charge_transfer_resistance:\n"
            f"      {{initial: 40 ohm, bounds: [5 ohm, 500 ohm]}}\n"
            f"objective:\n  signal: impedance\n")
    path = tmp_path / "spec.yaml"
    path.write_text(text)
    return load_spec(path)


@pytest.mark.parametrize("temperature", ["45", "'25,35degC'", "-300 degC"])
def test_a_bad_model_temperature_names_the_spec_key(tmp_path, temperature):
    """`model: {temperature: 45}` exited 2 naming `--temperatures`, an option of
    `hemcell eis` the user never gave; `25,35degC` fitted at 25 degC without a word."""
    with pytest.raises(InputError) as exc:
        make_problem(_spec(tmp_path, temperature))
    assert exc.value.field == "model.temperature"


@pytest.mark.parametrize(("temperature", "kelvin"), [("45 degC", 318.15), ("318.15K", 318.15)])
def test_a_model_temperature_with_a_unit_is_read(tmp_path, temperature, kelvin):
    assert make_problem(_spec(tmp_path, temperature)).temperature_K == pytest.approx(kelvin)


class _Clock:
    """A wall clock that advances ``step_s`` at every reading."""

    def __init__(self, step_s: float) -> None:
        self.t, self.step_s = 0.0, step_s

    def __call__(self) -> float:
        self.t += self.step_s
        return self.t


def test_a_long_fit_writes_progress_lines(tmp_path):
    """A `cell cycle-life` fit (one evaluation ~12 s: several full-model cycles) ran
    for minutes without a line, on a terminal or off it; now one line per
    LINE_INTERVAL_S of wall time names the phase, the model solves and the cost."""
    import io

    from hemcell.progress import LINE_INTERVAL_S
    from hemcell.workflows.fit import FitProgress, fit

    spec = load_spec(repo_root() / "examples" / "fits" / "eis_li_li_2param.yaml")
    stream = io.StringIO()
    result = fit(spec, profiles=True,
                 progress=FitProgress(stream, clock=_Clock(LINE_INTERVAL_S / 2)))
    lines = stream.getvalue().splitlines()
    assert len(lines) >= result.problem.evaluations // 3
    assert lines[0].startswith("[fit 1 min 0 s] ")
    assert any(" start 1 of 2: " in x for x in lines)
    assert any(" start 2 of 2: " in x for x in lines)
    assert any(" profile 2 of 2 (li_double_layer_capacity): " in x for x in lines)
    assert all(" model solves" in x for x in lines)
    assert "lowest cost" in lines[-1]


def test_a_quick_fit_writes_no_progress_line():
    import io

    from hemcell.workflows.fit import FitProgress

    stream = io.StringIO()
    progress = FitProgress(stream, clock=_Clock(0.01))
    for _ in range(100):
        progress.solved()
    assert stream.getvalue() == "" and progress.solves == 100


def test_a_voltage_beyond_the_window_says_how_to_move_the_cut_off(tmp_path):
    """A measured discharge whose last point (0.00948 V, 3 mV noise at the 0.01 V
    cut-off) lies outside the model's window was refused with no way forward; the hint
    names the spec's model.set with the value that admits it (then the fit runs)."""
    from hemcell.measurements import check_voltage_window, read_csv

    path = tmp_path / "d.csv"
    path.write_text("time [s],voltage [V]\n0,2.1\n10,0.5\n20,0.00948\n")
    m = read_csv(path)
    with pytest.raises(InputError) as exc:
        check_voltage_window(m, 0.01, 3.0)
    assert "row 3" in exc.value.field
    assert 'model: {set: ["lower_voltage_cutoff=0.00948 V"]}' in exc.value.hint
    check_voltage_window(m, 0.00948, 3.0)
    path.write_text("time [s],voltage [V]\n0,3.05\n10,2.9\n")
    with pytest.raises(InputError) as exc:
        check_voltage_window(read_csv(path), 0.01, 3.0)
    assert '"upper_voltage_cutoff=3.05 V"' in exc.value.hint


def test_a_per_ion_value_is_fitted_for_that_ion(tmp_path):
    """`model: {ion: Na}` fitting `conversion_exchange_current_density_na` ended
    "converged" at its initial value with a singular Jacobian: the value went into the
    model as a symbol under its own name while the model reads the Na value copied
    into `conversion_exchange_current_density` (hemcell.cell.carriers). Synthetic data
    at the set's 1e-3 A/m**2 is fitted back."""
    import numpy as np

    from hemcell.workflows.anode import run_cell
    from hemcell.workflows.fit import fit

    run = run_cell("hem_half_cell_sp", "fes_space_charge", "Discharge at 0.2 A/g until 0.05 V",
                   ion="Na")
    sol = run.solution
    t = np.asarray(sol["Time [s]"].entries)
    v = np.asarray(sol["Voltage [V]"].entries)
    keep = np.unique(np.linspace(0, t.size - 1, 25).astype(int))
    data = tmp_path / "na.csv"
    data.write_text("time [s],current [mA/g],voltage [V]\n" + "".join(
        f"{t[k]:.6f},200,{v[k]:.6f}\n" for k in keep))
    spec = tmp_path / "spec.yaml"
    spec.write_text("model:\n  command: cell run\n  recipe: hem_half_cell_sp\n"
                    "  params: fes_space_charge\n  ion: Na\n"
                    f"data:\n  - file: {data}\n"
                    "fit:\n  parameters:\n    conversion_exchange_current_density_na:\n"
                    "      {initial: 3e-3 A/m**2, bounds: [1e-6 A/m**2, 1e-1 A/m**2]}\n"
                    "  multistart: 1\n  profile: false\n"
                    "objective:\n  signal: voltage_vs_time\n  noise: {sigma: 1 mV}\n")
    result = fit(load_spec(spec))
    assert result.problem.mode == "inputs"
    value = result.problem.params[0].from_x(result.x[0])
    assert value == pytest.approx(1e-3, rel=0.02)
