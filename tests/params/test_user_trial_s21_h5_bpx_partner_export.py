"""User trial s21 (H5): an anode set exported against an imported BPX partner.

docs/parameters.md: ``--format pybamm --cathode`` takes "LFP, NMC811, an imported partner
or a cathode set". With an imported partner (``params export bare_li --format
bpx-partial``, or a cathode set's, then ``params import``) ``hemcell params export
heo_rocksalt_mgconicuzn --format pybamm --cathode SETS/bare_li.yaml`` stopped with
"unexpected TypeError: _bpx_function.<locals>.table() got an unexpected keyword argument
'_'" (exit 1): PyBaMM's ``ParameterValues.to_json`` calls a function with its arguments
by name, and the tables took ``*_``. Now the file is written, PyBaMM loads it, and the
loaded tables are the BPX file's.
"""

import json

import numpy as np
import pytest

from hemcell.cli.main import main

pybamm = pytest.importorskip("pybamm")
pytest.importorskip("bpx")


@pytest.mark.parametrize("partner", ["bare_li", "cathode_he_nvpf"])
def test_export_against_an_imported_partner_loads_in_pybamm(tmp_path, partner):
    assert main(["params", "export", partner, "--format", "bpx-partial",
                 "--out", str(tmp_path / "bpx")]) == 0
    bpx_file = tmp_path / "bpx" / f"{partner}.bpx.json"
    assert main(["params", "import", str(bpx_file), "--out", str(tmp_path / "sets")]) == 0
    out = tmp_path / "full"
    assert main(["params", "export", "heo_rocksalt_mgconicuzn", "--format", "pybamm",
                 "--cathode", str(tmp_path / "sets" / f"{partner}.yaml"),
                 "--out", str(out)]) == 0
    values = pybamm.ParameterValues.from_json(str(out / "heo_rocksalt_mgconicuzn.pybamm.json"))
    pos = json.loads(bpx_file.read_text())["Parameterisation"]["Positive electrode"]
    table = pos["Diffusivity [m2.s-1]"]
    x, y = np.asarray(table["x"]), np.asarray(table["y"])
    sto = 0.5 * (x[1:] + x[:-1])[::5]  # midpoints: the linear interpolation of the table
    got = [float(values.process_symbol(pybamm.FunctionParameter(
        "Positive particle diffusivity [m2.s-1]",
        {"Positive particle stoichiometry": pybamm.Scalar(s),
         "Temperature [K]": pybamm.Scalar(298.15)})).evaluate().item()) for s in sto]
    np.testing.assert_allclose(got, np.interp(sto, x, y), rtol=1e-12)
    assert values["Positive electrode thickness [m]"] == pytest.approx(pos["Thickness [m]"])


def test_a_partner_file_that_does_not_exist_is_named(tmp_path, capsys):
    """A mistyped partner path was refused as if it were the wrong kind of file."""
    missing = tmp_path / "sets" / "bare_li.yaml"
    assert main(["params", "export", "heo_rocksalt_mgconicuzn", "--format", "pybamm",
                 "--cathode", str(missing), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert f"--cathode: got '{missing}'" in err
    assert f"there is no file {missing}" in err
    assert not (tmp_path / "o").exists()
