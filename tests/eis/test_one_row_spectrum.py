"""A spectrum needs at least two frequencies. One row gives two numbers (Re Z, Im Z):
a two-parameter arc fit then matches them exactly (n − p = 0 residual degrees of
freedom), reports an rmse of round-off and "acceptable" with nothing judged, and no
single frequency can tell one arc from another or from the series resistance."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from hemcell.errors import InputError
from hemcell.measurements import read_measurement

ROOT = Path(__file__).resolve().parents[2]
HEADER = "frequency [Hz],z_real [ohm],z_imag [ohm]\n"


def test_a_one_row_spectrum_is_refused_naming_the_file(tmp_path):
    data = tmp_path / "spectrum.csv"
    data.write_text(HEADER + "398.107,6.5662,-18.958\n")
    with pytest.raises(InputError) as err:
        read_measurement(data, required=("frequency", "z_real", "z_imag"))
    assert "spectrum.csv" in str(err.value) and "1 data row" in str(err.value)
    assert "at least 2" in err.value.allowed


def test_two_rows_and_a_one_row_table_are_read(tmp_path):
    data = tmp_path / "spectrum.csv"
    data.write_text(HEADER + "398.107,6.5662,-18.958\n39.8107,20.1,-30.2\n")
    assert len(read_measurement(data, required=("frequency", "z_real", "z_imag"))) == 2
    table = tmp_path / "rate.csv"
    table.write_text("c_rate [1/h],capacity [mAh/g]\n1,700\n")
    assert len(read_measurement(table, required=("c_rate", "capacity"))) == 1


def test_hemcell_fit_with_a_one_row_spectrum_exits_2(tmp_path, capsys):
    from hemcell.cli.main import main

    data = tmp_path / "one.csv"
    data.write_text(HEADER + "398.107,6.5662,-18.958\n")
    spec = yaml.safe_load((ROOT / "examples/fits/eis_li_li_2param.yaml").read_text())
    spec["data"] = [{"file": str(data)}]
    spec["fit"].update(multistart=1, profile=False)
    path = tmp_path / "eis.yaml"
    path.write_text(yaml.safe_dump(spec))
    assert main(["fit", str(path), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "one.csv" in err and "data row" in err and "bug" not in err
