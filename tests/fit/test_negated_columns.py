"""Spectra as impedance software exports them: a −Z'' column (positive on a capacitive
arc) headed ``-z_imag [ohm]`` was refused as an unknown quantity."""

from __future__ import annotations

import numpy as np
import pytest

from hemcell.errors import InputError
from hemcell.measurements import read_csv


def test_a_negated_column_is_read_negated(tmp_path):
    minus = tmp_path / "minus.csv"
    minus.write_text("frequency [kHz],z_real [ohm],-z_imag [ohm]\n"
                     "100,0.37,0.41\n1,12.5,20.1\n0.01,70.2,3.3\n", encoding="utf-8")
    plain = tmp_path / "plain.csv"
    plain.write_text("frequency [Hz],z_real [ohm],z_imag [ohm]\n"
                     "100000,0.37,-0.41\n1000,12.5,-20.1\n10,70.2,-3.3\n", encoding="utf-8")
    a = read_csv(minus, required=("frequency", "z_real", "z_imag"))
    b = read_csv(plain, required=("frequency", "z_real", "z_imag"))
    for q in ("frequency", "z_real", "z_imag"):
        np.testing.assert_array_equal(a[q], b[q])
    assert a.columns["z_imag"].header == "-z_imag [ohm]"


def test_a_quantity_given_twice_with_and_without_its_sign_is_refused(tmp_path):
    both = tmp_path / "both.csv"
    both.write_text("frequency [Hz],z_imag [ohm],-z_imag [ohm]\n1,-1,1\n2,-2,2\n",
                    encoding="utf-8")
    with pytest.raises(InputError, match="each quantity once"):
        read_csv(both, required=("frequency", "z_imag"))
