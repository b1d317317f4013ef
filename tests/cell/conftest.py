"""Shared fixtures of the anode-model tests."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("pybamm")

PARAMS = "heo_rocksalt_mgconicuzn"


@pytest.fixture
def compiler_cache(tmp_path, monkeypatch):
    """An empty library cache for compiled functions (``tmp_path``, through
    ``hemcell.cell.compiled.AOT_CACHE_ENV``); the test is skipped without a C compiler."""
    import shutil

    from hemcell.cell import compiled

    if shutil.which(compiled.AOT_COMPILER) is None:
        pytest.skip("no C compiler")
    monkeypatch.setenv(compiled.AOT_CACHE_ENV, str(tmp_path))
    return tmp_path


@pytest.fixture(scope="session")
def params_name() -> str:
    """The parameter set the tests develop against."""
    return PARAMS


def assert_full_cell_conserves_carrier(sol, q_cathode_Ah, v_low: float, v_high: float) -> None:
    """Carrier leaving the cathode = carrier stored in the anode = ∫I dt (to 1e-4 of the
    charge passed), and the voltage stays below ``v_high`` and ends at ``v_low``."""
    q_cell = sol["Discharge capacity [A.h]"].entries  # ∫I dt, negative while charging
    q_anode = sol["Anode total stored charge [A.h]"].entries
    passed = np.max(np.abs(q_cell))
    assert passed > 0
    np.testing.assert_allclose(q_cathode_Ah - q_cathode_Ah[0], q_cell, atol=1e-4 * passed,
                               rtol=0)
    np.testing.assert_allclose(q_anode - q_anode[0], -q_cell, atol=1e-4 * passed, rtol=0)
    v = sol["Voltage [V]"].entries
    assert v.max() <= v_high + 1e-3
    assert v[-1] == pytest.approx(v_low, abs=1e-3)
