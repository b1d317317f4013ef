"""``hemcell params export CATHODE_SET --format pybamm|bpx-partial``
(hemcell.workflows.exchange.cathode_set_values, cathode_bpx): a cathode set exports as
the half cell ``cell run cathode_half_cell_*`` runs (the set against its carrier's metal).

Checks: the PyBaMM JSON, loaded by a plain PyBaMM script in another process (no hemcell
import) into ``lithium_ion.DFN({"working electrode": "positive"})`` on the recipe's mesh
and solver, gives hemcell's half-cell charge and discharge capacities to 1e-5 (both
solve the same equations with the same values at rtol 1e-6; what is left is the
solvers' event location, measured ≤ 2e-7); the BPX file validates, holds the set's own
OCP table, window, k of i₀ and activation energies, and reads back through ``params
import``; refusals (``--format bpx``, ``--cathode`` with a cathode set, a set missing a
value).
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

pybamm = pytest.importorskip("pybamm")

from hemcell.cli.main import main  # noqa: E402
from hemcell.errors import InputError  # noqa: E402
from hemcell.params import load_parameter_set  # noqa: E402

NVPF = "cathode_he_nvpf"

#: The sets and the half-cell protocols they are run with (each to its own window).
PLAIN_CASES = {
    NVPF: "Charge at C/5 until 4.3 V; Discharge at C/5 until 2.0 V",
    "cathode_hepba_femnnicuco": "Charge at C/5 until 4.2 V; Discharge at C/5 until 2.0 V",
    "cathode_he_o3_fecontisnli": "Charge at C/5 until 4.1 V; Discharge at C/5 until 2.0 V",
}

#: One plain PyBaMM process for all the sets (argv: pairs of JSON file and protocol);
#: prints one JSON line: the capacity of each step of each file, and whether hemcell was
#: imported.
PLAIN_PYBAMM = """
import json, sys
import pybamm
results = []
for path, protocol in zip(sys.argv[1::2], sys.argv[2::2]):
    values = pybamm.ParameterValues.from_json(path)
    model = pybamm.lithium_ion.DFN({"working electrode": "positive"})
    sim = pybamm.Simulation(model, parameter_values=values,
                            experiment=pybamm.Experiment([s.strip()
                                                          for s in protocol.split(";")]),
                            solver=pybamm.IDAKLUSolver(rtol=1e-6, atol=1e-8),
                            var_pts={**model.default_var_pts, "x_s": 10, "x_p": 20,
                                     "r_p": 10})
    sol = sim.solve()
    results.append([1000 * abs(float(s["Discharge capacity [A.h]"].entries[-1]
                                     - s["Discharge capacity [A.h]"].entries[0]))
                    for c in sol.cycles for s in c.steps])
print(json.dumps({"mAh": results, "hemcell_imported": "hemcell" in sys.modules}))
"""


@pytest.fixture(scope="module")
def plain_capacities(tmp_path_factory):
    """{set name: [charge, discharge] mAh} of each exported set run by one plain PyBaMM
    process (one interpreter start for the three sets), and whether it imported hemcell."""
    out = tmp_path_factory.mktemp("plain")
    args = []
    for name, protocol in PLAIN_CASES.items():
        assert main(["params", "export", name, "--format", "pybamm", "--out",
                     str(out / name)]) == 0
        args += [str(out / name / f"{name}.pybamm.json"), protocol]
    done = subprocess.run([sys.executable, "-c", PLAIN_PYBAMM, *args],
                          capture_output=True, text=True, check=True)
    plain = json.loads(done.stdout.strip().splitlines()[-1])
    return dict(zip(PLAIN_CASES, plain["mAh"], strict=True)), plain["hemcell_imported"]


@pytest.mark.parametrize(("name", "protocol"), list(PLAIN_CASES.items()))
def test_pybamm_json_in_a_plain_pybamm_script(plain_capacities, name, protocol):
    from hemcell.workflows.cathode_half_cell import run_cell, summarize

    capacities, hemcell_imported = plain_capacities
    assert not hemcell_imported
    plain_mAh = capacities[name]
    summary = summarize(run_cell("cathode_half_cell_p2d", name, protocol))
    assert summary["completed"], summary.get("error")
    assert plain_mAh[0] == pytest.approx(summary["charge_capacity_mAh"][0], rel=1e-5)
    assert plain_mAh[1] == pytest.approx(summary["discharge_capacity_mAh"][0], rel=1e-5)
    assert plain_mAh[1] > 0.5 * plain_mAh[0]


def test_bpx_partial_holds_the_sets_model(tmp_path):
    """The file validates (bpx); its OCP table is the set's with walls; its stoichiometry
    limits are where that table reaches the window; F k √(c_e0 c_s (c_max − c_s)) at
    half filling is the set's i₀; both activation energies are the set's; ``params
    import`` reads it back with the set's thickness and c_max."""
    import bpx
    import numpy as np

    from hemcell.cell.cathodes import ocp_table_with_walls
    from hemcell.laws import FARADAY_C_PER_MOL
    from hemcell.params.export import bpx_to_parameter_set

    assert main(["params", "export", NVPF, "--format", "bpx-partial", "--out",
                 str(tmp_path)]) == 0
    path = tmp_path / f"{NVPF}.bpx.json"
    bpx.parse_bpx_file(str(path))
    data = json.loads(path.read_text())
    pos = data["Parameterisation"]["Positive electrode"]
    si = load_parameter_set(NVPF).si
    theta, volts = ocp_table_with_walls(si)
    assert pos["OCP [V]"] == {"x": pytest.approx(theta, abs=0), "y": pytest.approx(volts, abs=0)}
    u = lambda th: float(np.interp(th, theta, volts))  # noqa: E731
    assert u(pos["Minimum stoichiometry"]) == pytest.approx(si["cathode_upper_cutoff_potential"])
    assert u(pos["Maximum stoichiometry"]) == pytest.approx(si["cathode_lower_cutoff_potential"])
    c_max = pos["Maximum concentration [mol.m-3]"]
    assert c_max == pytest.approx(si["cathode_active_material_density"]
                                  * si["cathode_carrier_sites_max"] / si["cathode_molar_mass"])
    c_e0 = data["State"]["Initial conditions"]["Initial electrolyte concentration [mol.m-3]"]
    j0_half = FARADAY_C_PER_MOL * pos["Reaction rate constant [mol.m-2.s-1]"] * (
        c_e0 * (c_max / 2) ** 2) ** 0.5
    assert j0_half == pytest.approx(si["cathode_exchange_current_density"], rel=1e-9)
    assert pos["Reaction rate constant activation energy [J.mol-1]"] == \
        si["cathode_exchange_current_activation_energy"]
    assert pos["Diffusivity activation energy [J.mol-1]"] == \
        si["cathode_diffusivity_activation_energy"]
    assert "names no ion" in data["Header"]["Description"]
    user = data["Parameterisation"]["User-defined"]
    assert user["Positive electrode molar mass [kg.mol-1]"] == si["cathode_molar_mass"]
    back = bpx_to_parameter_set(path)["parameters"]
    assert back["cathode: Thickness [m]"]["value"] == si["cathode_thickness"]
    assert back["cathode: Maximum concentration [mol.m-3]"]["value"] == c_max


def test_refusals(tmp_path, capsys):
    """--format bpx (no metal electrode in BPX) names bpx-partial; --cathode with a
    cathode set names the anode-set export it belongs to; a set missing a value the half
    cell reads names it. Nothing is written."""
    import yaml

    from hemcell.workflows.exchange import export_parameters

    out = tmp_path / "o"
    assert main(["params", "export", NVPF, "--format", "bpx", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "bpx-partial" in err and "no metal electrode" in err
    assert main(["params", "export", NVPF, "--format", "pybamm", "--cathode", "LFP",
                 "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: --cathode: got 'LFP'")
    assert f"--cathode {NVPF}" in err
    assert not out.exists()
    data = yaml.safe_load(load_parameter_set(NVPF).path.read_text())
    del data["parameters"]["cathode_molar_mass"]
    data["name"] = "nvpf_no_molar_mass"
    broken = tmp_path / "nvpf_no_molar_mass.yaml"
    broken.write_text(yaml.safe_dump(data))
    with pytest.raises(InputError) as exc:
        export_parameters(load_parameter_set(str(broken)), "pybamm", out)
    assert "cathode_molar_mass" in str(exc.value.value)
    assert not out.exists()


def test_a_half_cell_cell_run_refuses_is_not_exported(tmp_path, capsys):
    """At 400 K the Na counter electrode melts (370.9 K): ``cell run`` refuses that half
    cell and so does the export (it wrote the file); at 320 K both warn that the NaPF6
    tables hold no temperature dependence."""
    out = tmp_path / "o"
    assert main(["params", "export", NVPF, "--format", "pybamm", "--set",
                 "ambient_temperature=400K", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ambient_temperature: got '400 K'") and "370.9 K" in err
    assert not out.exists()
    assert main(["params", "export", NVPF, "--format", "pybamm", "--set",
                 "ambient_temperature=320K", "--out", str(out)]) == 0
    assert "no temperature dependence" in capsys.readouterr().err
