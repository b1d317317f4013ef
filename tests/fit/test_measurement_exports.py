"""Cycler exports a user hands to `hemcell fit`: other delimiters, decimal commas,
UTF-16 text, binary files and text in a number column (read or refused with exit 2)."""

from __future__ import annotations

import numpy as np
import pytest

from hemcell.errors import InputError
from hemcell.measurements import read_csv

ROWS = [("0", "100", "2.1"), ("60", "100", "1.5"), ("120", "100", "1.25")]
HEADER = ("time [s]", "current [mA/g]", "voltage [V]")


def _table(delimiter: str, decimal: str = ".") -> str:
    lines = [delimiter.join(HEADER)]
    lines += [delimiter.join(v.replace(".", decimal) for v in row) for row in ROWS]
    return "# exported by a cycler\n" + "\n".join(lines) + "\n"


@pytest.mark.parametrize(("delimiter", "decimal"), [(";", "."), (";", ","), ("\t", "."),
                                                    ("\t", ",")])
def test_semicolon_and_tab_exports_read_like_the_comma_file(tmp_path, delimiter, decimal):
    path = tmp_path / "export.csv"
    path.write_text(_table(delimiter, decimal), encoding="utf-8")
    m = read_csv(path)
    assert np.allclose(m["time"], [0, 60, 120])
    assert np.allclose(m["voltage"], [2.1, 1.5, 1.25])
    assert np.allclose(m["current"], 100)  # 100 mA/g = 100 A/kg


def test_utf16_export_reads(tmp_path):
    path = tmp_path / "export.txt"
    path.write_text(_table("\t"), encoding="utf-16")  # with a byte-order mark
    assert np.allclose(read_csv(path)["voltage"], [2.1, 1.5, 1.25])


def test_binary_file_is_an_input_error(tmp_path):
    path = tmp_path / "cycler.csv"
    path.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01garbage \x9c\x80")
    with pytest.raises(InputError) as exc:
        read_csv(path)
    assert "cycler.csv" in exc.value.field and "text" in exc.value.allowed


def test_text_in_a_number_column_is_shown(tmp_path):
    path = tmp_path / "data.csv"
    path.write_text("time [s],voltage [V]\n0,2.1\n60,1.5 V\n120,1.2\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        read_csv(path)
    assert "voltage [V]" in exc.value.field and "row 2" in exc.value.field
    assert exc.value.value == "1.5 V"
