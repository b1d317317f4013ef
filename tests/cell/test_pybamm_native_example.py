"""examples/pybamm_user_script.py, a PyBaMM user's script, runs as written."""

from __future__ import annotations

import importlib.util

import pytest

from hemcell.resources import repo_root

pytest.importorskip("pybamm")


def test_pybamm_user_script(tmp_path):
    root = repo_root()
    if root is None:
        pytest.skip("examples/ ships with the source checkout only")
    spec = importlib.util.spec_from_file_location(
        "pybamm_user_script", root / "examples" / "pybamm_user_script.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    results = script.main(tmp_path)
    for name in ("quickplot.png", "voltage.png", "model.json"):
        assert (tmp_path / name).stat().st_size > 0
    assert results["reloaded class"] == "HEMHalfCell"
    # the reloaded model is the same discretised model: bit-identical voltages
    assert results["reload voltage difference [V]"] == 0.0
    # 30 min at C/5 of the mechanisms' theoretical capacity passes 10 % of it
    from hemcell.cell.capacity import theoretical_capacity
    from hemcell.cell.inventory import Inventory
    from hemcell.cell.options import DEFAULT_PARAMETER_SET, default_inventory
    from hemcell.cell.parameters import load_si

    si, _ = load_si(DEFAULT_PARAMETER_SET)
    inv: Inventory = default_inventory()
    theo = sum(theoretical_capacity(si, inv, ["intercalation", "conversion"]).values())
    assert results["capacity [mA.h.g-1]"] == pytest.approx(0.1 * theo, rel=1e-6)
