"""Shared data of the fit tests."""

from __future__ import annotations

import numpy as np
import pytest

from hemcell.resources import repo_root

#: The shipped synthetic 0.1 A/g curve (per gram: A/g, mAh/g)
RATE_CURVE = repo_root() / "examples" / "data" / "synthetic_rate_0.1Ag.csv"
#: The user's electrode of the absolute curve [g] (the model's holds 15.28 mg)
ELECTRODE_MASS_G = 1.2e-3


@pytest.fixture(scope="session")
def absolute_csv(tmp_path_factory):
    """The 0.1 A/g synthetic curve of a 1.2 mg electrode, current in mA, capacity in mAh."""
    rows = np.loadtxt(RATE_CURVE, delimiter=",", comments="#", skiprows=2)
    path = tmp_path_factory.mktemp("mass") / "electrode_1p2mg.csv"
    m = ELECTRODE_MASS_G
    body = "".join(f"{t:.3f},{i * m:.9g},{v:.6f},{q * m:.9g}\n" for t, i, v, q in rows)
    path.write_text("# SYNTHETIC: synthetic_rate_0.1Ag.csv for a 1.2 mg electrode\n"
                    "time [s],current [mA],voltage [V],capacity [mAh]\n" + body)
    return path
