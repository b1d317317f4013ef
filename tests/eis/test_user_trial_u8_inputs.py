"""User trial U8: `hemcell eis` inputs that changed nothing or crashed.

- `--set coating_thickness=70nm` on bare Li, `--set lfp_particle_radius=...` on Li‖Li,
  `--set film_capacitance=...` on the HEM anode: accepted, the spectrum unchanged;
- `--anode` with CELL anode, `--recipe`/`--params` with symmetric/li-lfp: ignored;
- `--set ambient_temperature=...` with `--temperatures` on Li‖Li: ignored;
- `--frequencies 100,100,10` (two distinct): lin-KK crashed with LinAlgError (exit 1).
"""

from __future__ import annotations

import numpy as np
import pytest

from hemcell.errors import InputError

FREQUENCIES_HZ = np.logspace(-2, 5, 8)


@pytest.mark.parametrize(("cell", "anode", "key"), [
    ("symmetric", "bare", "coating_thickness=70 nm"),
    ("symmetric", "bare", "film_capacitance=2 uF/cm**2"),
    ("symmetric", "coated", "lfp_particle_radius=1 um"),
    ("symmetric", "coated", "current_focusing_factor=2"),
    ("symmetric", "coated", "anode_double_layer_relaxation_time=1 us"),
    ("li-lfp", "bare", "film_capacitance=2 uF/cm**2"),
    ("li-lfp", "coated", "cell_upper_cutoff_voltage=4 V"),
])
def test_cell_spectrum_refuses_a_set_key_its_model_does_not_read(cell, anode, key):
    from hemcell.workflows.eis import cell_spectrum

    with pytest.raises(InputError) as err:
        cell_spectrum(cell, FREQUENCIES_HZ, anode=anode, overrides=[key])
    assert err.value.field == "--set" and err.value.value == key.split("=")[0]
    assert f"hemcell eis {cell}" in err.value.allowed


def test_every_declared_li_li_input_moves_the_spectrum():
    """The reads-declaration of the Li‖Li model is exact: each declared value, changed,
    changes the spectrum (at 318.15 K, where the activation energy acts)."""
    from hemcell.limetal.parameters import load_anode_set
    from hemcell.params.uses import expand
    from hemcell.workflows.eis import cell_spectrum
    from hemcell.workflows.eis_models import model_parameter_uses

    si = load_anode_set("coated", []).si
    uses = expand(model_parameter_uses("symmetric", "coated"))
    T = 318.15
    base = cell_spectrum("symmetric", FREQUENCIES_HZ, anode="coated",
                         temperature_K=T).impedance_ohm
    for key, use in uses.items():
        if key == "ambient_temperature":  # --temperatures sets it (refused together)
            continue
        v = si[key]
        new = 0.9 * v if use.unit == "dimensionless" and 0 < v < 1 else 1.2 * v
        z = cell_spectrum("symmetric", FREQUENCIES_HZ, anode="coated", temperature_K=T,
                          overrides=[f"{key}={new!r} {use.unit}"]).impedance_ohm
        assert np.max(np.abs(z / base - 1)) > 1e-4, key


def test_a_key_read_by_one_case_of_both_is_accepted_and_moves_that_case_only():
    from hemcell.workflows.eis import EISRequest, run_eis

    f = tuple(np.logspace(-1, 5, 7))
    base = run_eis(EISRequest("symmetric", ("bare", "coated"), f))
    thick = run_eis(EISRequest("symmetric", ("bare", "coated"), f,
                               overrides=("coating_thickness=70 nm",)))
    z0 = {s.label: s.impedance_ohm for s in base.spectra}
    z1 = {s.label: s.impedance_ohm for s in thick.spectra}
    np.testing.assert_array_equal(z1["bare"], z0["bare"])
    assert np.max(np.abs(z1["coated"] / z0["coated"] - 1)) > 1e-3


def test_ambient_temperature_with_temperatures_is_refused_for_every_cell():
    from hemcell.workflows.eis import EISRequest, run_eis

    for cell in ("symmetric", "li-lfp", "anode"):
        with pytest.raises(InputError) as err:
            run_eis(EISRequest(cell, ("bare",), tuple(FREQUENCIES_HZ), (298.15, 308.15),
                               overrides=("ambient_temperature=300 K",)))
        assert err.value.field == "--set ambient_temperature", cell


@pytest.mark.parametrize("frequencies", ["100,100,10", "1,10,100,1000,1e4", "100"])
def test_too_few_distinct_frequencies_exit_2_naming_the_minimum(tmp_path, capsys,
                                                                frequencies):
    from hemcell.cli.main import main
    from hemcell.workflows.eis import MIN_FREQUENCIES

    assert main(["eis", "symmetric", "--anode", "bare", "--no-plots", "--frequencies",
                 frequencies, "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "--frequencies" in err and f"at least {MIN_FREQUENCIES}" in err


@pytest.mark.parametrize(("cell", "option"), [
    ("anode", ["--anode", "bare"]), ("symmetric", ["--recipe", "hem_half_cell_sp"]),
    ("li-lfp", ["--params", "bare_li"])])
def test_an_option_the_cell_does_not_read_exits_2(tmp_path, capsys, cell, option):
    from hemcell.cli.main import main

    assert main(["eis", cell, *option, "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert option[0] in err and "only with CELL" in err
    assert not (tmp_path / "o").exists()


def test_an_eclab_peis_export_with_its_micro_sign_columns_is_read(tmp_path):
    """EC-Lab writes its .mpt text in the Windows code page, with the columns
    ``Cs/µF``/``Cp/µF`` of every PEIS export (µ = byte 0xB5); galvani's default ASCII
    decoding refused such a file ("'ascii' codec can't decode byte 0xb5")."""
    from hemcell.measurements import read_instrument

    cols = ["freq/Hz", "Re(Z)/Ohm", "-Im(Z)/Ohm", "|Z|/Ohm", "Phase(Z)/deg", "time/s",
            "<Ewe>/V", "<I>/mA", "Cs/µF", "Cp/µF", "cycle number"]
    rows = [(1e3, 1.5, 0.2), (1e2, 5.0, 8.0), (1.0, 60.0, 20.0)]
    lines = ["EC-Lab ASCII FILE", "Nb header lines : 4", "Potentio Electrochemical "
             "Impedance Spectroscopy", "\t".join(cols)]
    lines += ["\t".join(f"{v:.7E}" for v in (f, zr, mzi, 0.0, 0.0, k + 1.0, 0.0, 0.0, 1.0,
                                              1.0)) + "\t1"
              for k, (f, zr, mzi) in enumerate(rows)]
    path = tmp_path / "peis.mpt"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    meas = read_instrument(path, ("frequency", "z_real", "z_imag"))
    np.testing.assert_allclose(meas.columns["frequency"].values, [1e3, 1e2, 1.0])
    np.testing.assert_allclose(meas.columns["z_imag"].values, [-0.2, -8.0, -20.0])


def test_an_anode_protocol_that_does_not_end_with_a_rest_is_refused():
    """`hemcell eis anode --protocol 'Discharge at 0.1 A/g until 0.5 V'` was linearised
    about the state under current (max |F(y*)| = 9.9 in summary.json, against 0.002
    after an hour of rest): docs/eis.md asks for a final rest; now it is checked."""
    from hemcell.workflows.eis import cell_spectrum

    with pytest.raises(InputError) as err:
        cell_spectrum("anode", FREQUENCIES_HZ, recipe="hem_half_cell_sp",
                      protocol="Discharge at 0.1 A/g until 0.5 V")
    assert err.value.field == "--protocol" and "Rest for 1 hour" in err.value.hint


@pytest.mark.parametrize(("text", "kelvin"), [
    ("25,35,45degC", [298.15, 308.15, 318.15]), ("250K,260K", [250.0, 260.0]),
    ("25degC,308.15K", [298.15, 308.15]), ("25degC, 35 degC", [298.15, 308.15])])
def test_temperatures_take_a_unit_per_item_or_one_at_the_end(text, kelvin):
    """`--temperatures 250K,260K` (a unit on each, as one writes them) was refused."""
    from hemcell.units import parse_temperatures_K

    assert parse_temperatures_K(text, "--temperatures") == pytest.approx(kelvin)


@pytest.mark.parametrize("text", ["25", "25,35", "25degC,25degC", "-300degC",
                                  "25degC,"])
def test_temperatures_without_a_unit_twice_or_below_0_K_are_refused(text):
    from hemcell.units import parse_temperatures_K

    with pytest.raises(InputError) as err:
        parse_temperatures_K(text, "--temperatures")
    assert err.value.field == "--temperatures"


def test_impedance_nc_is_selectable_by_frequency(tmp_path):
    """impedance.nc had frequency_Hz as an auxiliary coordinate of a dimension
    `frequency`: `ds.sel(frequency_Hz=...)` failed."""
    import xarray as xr

    from hemcell.workflows import eis

    f = tuple(np.logspace(-1, 4, 6))
    result = eis.run_eis(eis.EISRequest("symmetric", ("bare",), f))
    eis.write_outputs(result, tmp_path, plots_on=False)
    with xr.open_dataset(tmp_path / "impedance.nc") as ds:
        z = ds.z_real_ohm.sel(case="bare").sel(frequency_Hz=1.0, method="nearest")
        assert float(z.frequency_Hz) == pytest.approx(1.0)
        k = int(np.argmin(np.abs(np.asarray(f) - 1.0)))
        assert float(z.squeeze()) == pytest.approx(result.spectra[0].impedance_ohm[k].real)


@pytest.mark.parametrize(("args", "field"), [
    (["--anode", "coated", "--set", "film_capacitance=-1uF/cm^2"], "--set film_capacitance"),
    (["--anode", "coated", "--set", "film_capacitance=0uF/cm^2"], "--set film_capacitance"),
    (["--set", "=5nm"], "--set"),
    (["--temperatures", ""], "--temperatures"),
])
def test_a_negative_eis_value_an_empty_key_or_empty_temperatures_exit_2(tmp_path, capsys,
                                                                       args, field):
    """A negative film capacitance gave a spectrum (lin-KK residual 0.13); `--set =5nm`
    was refused as the parameter ''; `--temperatures ""` ran at the set's temperature."""
    from hemcell.cli.main import main

    assert main(["eis", "symmetric", *args, "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert f"error: {field}:" in err
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize(("cell", "option"), [("symmetric", "--anode"), ("anode", "--recipe"),
                                              ("anode", "--params")])
def test_an_empty_option_text_is_a_value_not_the_default(tmp_path, capsys, cell, option):
    """`--anode ""` ran both anodes and `--recipe ""` the default recipe."""
    from hemcell.cli.main import main

    assert main(["eis", cell, option, "", "--out", str(tmp_path / "o")]) == 2
    assert "got ''" in capsys.readouterr().err


def test_a_mistyped_frequency_density_is_refused_before_any_solve():
    """``1e-2:1e6:100000/decade`` asks for 800 001 solves (it ran for minutes): refused
    with the count it asks for; the cap itself is accepted."""
    from hemcell.errors import InputError
    from hemcell.workflows.eis import MAX_FREQUENCIES, parse_frequencies

    with pytest.raises(InputError, match="800001"):
        parse_frequencies("1e-2:1e6:100000/decade")
    assert parse_frequencies("1e-2:1e8:200/decade").size == MAX_FREQUENCIES
    with pytest.raises(InputError, match="at most"):
        parse_frequencies(",".join(str(1.0 + k) for k in range(MAX_FREQUENCIES + 1)))
