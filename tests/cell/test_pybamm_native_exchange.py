"""Parameter exchange: PyBaMM JSON a HEM model runs with, BPX files bpx validates,
BPX import with units and sources."""

from __future__ import annotations

import json

import numpy as np
import pytest
import yaml

pybamm = pytest.importorskip("pybamm")
bpx = pytest.importorskip("bpx")

from hemcell.cli.main import main  # noqa: E402


def _cli(args: list[str]) -> int:
    try:
        return main(args)
    except SystemExit as exc:
        return int(exc.code or 0)


def test_pybamm_json_runs_a_hem_model(tmp_path):
    """The exported JSON loads with ParameterValues.from_json and gives the same solve
    as the model's own default values (the same set)."""
    from hemcell.cell.model import HEMHalfCell

    assert _cli(["params", "export", "heo_rocksalt_mgconicuzn", "--format", "pybamm",
                 "--out", str(tmp_path)]) == 0
    loaded = pybamm.ParameterValues.from_json(str(tmp_path / "heo_rocksalt_mgconicuzn.pybamm.json"))
    assert loaded["Current function [A]"] > 0
    model = HEMHalfCell({"x-average": "true"})
    voltages = []
    for values in (loaded, model.default_parameter_values):
        sim = pybamm.Simulation(model, parameter_values=values,
                                experiment=pybamm.Experiment(["Discharge at C/5 for 5 minutes"]))
        voltages.append(sim.solve()["Voltage [V]"].entries)
    np.testing.assert_allclose(voltages[0], voltages[1], rtol=1e-12)
    # a time-based solve uses "Current function [A]" (1C of the anode)
    sim = pybamm.Simulation(model, parameter_values=loaded)
    sol = sim.solve([0, 60])
    assert sol["Current [A]"].entries[-1] == pytest.approx(loaded["Nominal cell capacity [A.h]"])


@pytest.mark.parametrize("name", ["bare_li", "azcnf_coated_li"])
def test_bpx_export_of_li_lfp_cells_validates(name, tmp_path):
    from hemcell.limetal.halfcell import lfp_geometry
    from hemcell.limetal.parameters import load_cell_parameters

    assert _cli(["params", "export", name, "--format", "bpx-partial", "--out", str(tmp_path)]) == 0
    path = tmp_path / f"{name}.bpx.json"
    parsed = bpx.parse_bpx_file(str(path))
    assert parsed.header.model == "Partial"
    pset, p = load_cell_parameters("coated" if "coated" in name else "bare")
    geo = lfp_geometry(p, pset.si["lfp_max_concentration"],
                       pset.si["lfp_active_material_volume_fraction"],
                       pset.si["lfp_electrode_porosity"])
    raw = json.loads(path.read_text())["Parameterisation"]
    assert raw["Cell"]["Nominal cell capacity [A.h]"] == pytest.approx(geo.theoretical_capacity_Ah)
    pos = raw["Positive electrode"]
    assert pos["Thickness [m]"] == pytest.approx(geo.thickness_m)
    assert pos["Minimum stoichiometry"] == pytest.approx(pset.si["lfp_charged_stoichiometry"])
    assert pos["Surface area per unit volume [m-1]"] == pytest.approx(
        3 * pset.si["lfp_active_material_volume_fraction"] / pset.si["lfp_particle_radius"])
    assert raw["Electrolyte"]["Cation transference number"] == pytest.approx(
        pset.si["cation_transference_number"])
    ocp = pos["OCP [V]"]["y"]
    assert ocp[0] > ocp[-1]  # a cathode's OCP falls as it lithiates
    assert raw["User-defined"]["Lithium metal exchange-current density [A.m-2]"] == pytest.approx(
        p.exchange_current_ref_A_per_m2)


def test_bpx_refused_for_an_anode_set(tmp_path):
    assert _cli(["params", "export", "heo_rocksalt_mgconicuzn", "--format", "bpx-partial",
                 "--out", str(tmp_path)]) == 2


@pytest.mark.parametrize("fmt", ["bpx", "bpx-partial", "xlsx"])
def test_a_refused_export_leaves_no_output_folder(fmt, tmp_path):
    """A format the set cannot be written in exits 2 before anything is created."""
    out = tmp_path / "new" / "export"
    assert _cli(["params", "export", "heo_rocksalt_mgconicuzn", "--format", fmt,
                 "--out", str(out)]) == 2
    assert not (tmp_path / "new").exists()


@pytest.mark.parametrize("name", ["bare_li", "heo_rocksalt_mgconicuzn"])
def test_full_bpx_refused_naming_what_loads_instead(name, tmp_path, capsys):
    """BPX has no lithium-metal (or multi-mechanism) electrode: --format bpx writes
    nothing and exits 2 naming the PyBaMM JSON; that file loads in PyBaMM and a half-cell
    DFN runs with it, while the BPX Partial of the cathode side does not load there."""
    assert _cli(["params", "export", name, "--format", "bpx", "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "--format" in err and "pybamm" in err and f"{name}.pybamm.json" in err
    assert not list(tmp_path.glob("*.bpx.json"))
    if name != "bare_li":
        return
    assert "lithium-metal" in err and "bpx-partial" in err
    assert _cli(["params", "export", name, "--format", "pybamm", "--out", str(tmp_path)]) == 0
    pv = pybamm.ParameterValues.from_json(str(tmp_path / f"{name}.pybamm.json"))
    sim = pybamm.Simulation(pybamm.lithium_ion.DFN({"working electrode": "positive"}),
                            parameter_values=pv,
                            experiment=pybamm.Experiment(["Discharge at C/5 for 5 minutes"]))
    q = sim.solve()["Discharge capacity [A.h]"].entries
    assert q[-1] == pytest.approx(0.2 * pv["Nominal cell capacity [A.h]"] * 5 / 60, rel=1e-6)
    assert _cli(["params", "export", name, "--format", "bpx-partial", "--out",
                 str(tmp_path / "partial")]) == 0
    with pytest.raises(Exception):  # noqa: B017 - PyBaMM needs a negative electrode
        pybamm.ParameterValues.create_from_bpx(str(tmp_path / "partial" / f"{name}.bpx.json"))


def test_bpx_import_keeps_units_and_sources(tmp_path):
    assert _cli(["params", "export", "bare_li", "--format", "bpx-partial", "--out",
                 str(tmp_path)]) == 0
    out = tmp_path / "imported"
    assert _cli(["params", "import", str(tmp_path / "bare_li.bpx.json"), "--out", str(out)]) == 0
    data = yaml.safe_load((out / "bare_li.yaml").read_text())
    raw = json.loads((tmp_path / "bare_li.bpx.json").read_text())
    entry = data["parameters"]["cathode: Thickness [m]"]
    assert entry["value"] == raw["Parameterisation"]["Positive electrode"]["Thickness [m]"]
    assert entry["unit"] == "m"
    assert "bare_li.bpx.json" in entry["source"]["ref"]
    assert "zheng2024" in entry["source"]["note"]
    assert data["parameters"]["electrolyte: Cation transference number"]["unit"] == "dimensionless"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"Header": {"BPX": "1.0.0", "Model": "DFN"}}))
    assert _cli(["params", "import", str(bad), "--out", str(tmp_path / "bad")]) == 2


def test_imported_bpx_is_a_full_cell_partner(tmp_path):
    """A HEM full cell runs against the cathode, electrolyte and separator of an
    imported BPX file (exported from bare_li here); its values are the file's."""
    from hemcell.cell.full_cell import HEMFullCell

    assert _cli(["params", "export", "bare_li", "--format", "bpx-partial", "--out",
                 str(tmp_path)]) == 0
    assert _cli(["params", "import", str(tmp_path / "bare_li.bpx.json"), "--out",
                 str(tmp_path / "imported")]) == 0
    raw = json.loads((tmp_path / "bare_li.bpx.json").read_text())["Parameterisation"]
    model = HEMFullCell({"cathode": str(tmp_path / "imported" / "bare_li.yaml")})
    pv = model.default_parameter_values
    pos = raw["Positive electrode"]
    assert pv["Positive electrode thickness [m]"] == pos["Thickness [m]"]
    assert pv["Positive electrode porosity"] ** pv[
        "Positive electrode Bruggeman coefficient (electrolyte)"] == pytest.approx(
        pos["Transport efficiency"], rel=1e-12)
    assert pv["Initial concentration in positive electrode [mol.m-3]"] == pytest.approx(
        pos["Maximum stoichiometry"] * pos["Maximum concentration [mol.m-3]"])
    sim = pybamm.Simulation(model, parameter_values=pv,
                            var_pts={"x_n": 5, "x_s": 5, "x_p": 5, "r_n": 5, "r_p": 5},
                            experiment=pybamm.Experiment(["Charge at C/5 for 10 minutes",
                                                          "Discharge at C/5 for 5 minutes"]))
    sol = sim.solve()
    assert len(sol.cycles) == 2
    q = sol["Discharge capacity [A.h]"].entries
    # 10 min charge then 5 min discharge at C/5 of the BPX nominal capacity
    assert q[-1] == pytest.approx(-0.2 * pv["Nominal cell capacity [A.h]"] * 5 / 60, rel=1e-6)
    from hemcell.errors import InputError

    with pytest.raises(InputError, match="kind bpx"):
        _ = HEMFullCell({"cathode": str(tmp_path / "nothing.yaml")}).default_parameter_values
