"""Calibration write-back and the surface coupling (cache, given factor, live run)."""

from __future__ import annotations

import dataclasses
import shutil

import pytest

from hemcell.errors import InputError
from hemcell.limetal.parameters import cell_parameters, load_anode_set
from hemcell.params import load_parameter_set
from hemcell.params.parameter_set import resolve_parameter_path
from hemcell.workflows.coupling import focusing_from_surface, with_focusing
from hemcell.workflows.limetal_fit import _format_entry, replace_entry
from tests.conftest import require_fem


def test_replace_entry_changes_only_that_entry(tmp_path):
    src = resolve_parameter_path("bare_li")
    dst = tmp_path / "bare_li.yaml"
    shutil.copy(src, dst)
    before = load_parameter_set(dst)
    replace_entry(dst, "lfp_charged_stoichiometry",
                  _format_entry("lfp_charged_stoichiometry", 0.123, "dimensionless",
                                "a test target", "hemcell limetal fit-rate", None))
    after = load_parameter_set(dst)
    assert after.si["lfp_charged_stoichiometry"] == pytest.approx(0.123)
    src_kind = after["lfp_charged_stoichiometry"].source
    assert src_kind["command"] == "hemcell limetal fit-rate"
    assert {k: v for k, v in after.si.items() if k != "lfp_charged_stoichiometry"} == \
        {k: v for k, v in before.si.items() if k != "lfp_charged_stoichiometry"}
    # an entry that would break the file is refused and the file restored
    with pytest.raises(Exception):  # noqa: B017
        replace_entry(dst, "lfp_charged_stoichiometry",
                      _format_entry("lfp_charged_stoichiometry", 2.0, "dimensionless",
                                    "out of bounds", "x", None))
    assert load_parameter_set(dst).si["lfp_charged_stoichiometry"] == pytest.approx(0.123)


def test_given_focusing_factor_reaches_the_cell_parameters():
    p = cell_parameters(load_anode_set("bare"), "bare")
    assert with_focusing(p, 3.0).focusing_factor == 3.0
    assert cell_parameters(load_anode_set("bare"), "bare", focusing_factor=1.5
                           ).focusing_factor == 1.5


@pytest.mark.fem
def test_focusing_from_surface_runs_and_caches(tmp_path, monkeypatch):
    require_fem()
    monkeypatch.setenv("HEMCELL_CACHE_DIR", str(tmp_path))
    p = cell_parameters(load_anode_set("coated"), "coated")
    first = focusing_from_surface(p, 10.0)
    assert first.cached is False and first.current_focusing_factor >= 1.0
    assert first.focusing_factor == first.current_focusing_factor  # metric "max"
    assert 1.0 <= first.current_weighted_focusing_factor <= first.current_focusing_factor
    # the request carries the cell's kinetics and temperature, as floats
    assert first.request.exchange_current_A_per_m2 == p.exchange_current_A_per_m2
    assert first.request.temperature_K == p.temperature_K
    again = focusing_from_surface(p, 10.0)
    assert again.cached is True
    assert again.current_focusing_factor == first.current_focusing_factor
    other = focusing_from_surface(p, 20.0)
    assert other.parameters_hash != first.parameters_hash
    # faster kinetics (the sets' Xu2019 i0, ~10x): a different surface run and a coated
    # focusing further from 1 (smaller Wagner number, the film's smoothing matters less)
    fast = dataclasses.replace(p, exchange_current_ref_A_per_m2=103.0)
    quick = focusing_from_surface(fast, 10.0)
    assert quick.parameters_hash != first.parameters_hash
    assert quick.request.exchange_current_A_per_m2 == pytest.approx(103.0)
    assert 1.0 <= first.current_focusing_factor < quick.current_focusing_factor
    w = focusing_from_surface(p, 10.0, metric="current-weighted")
    assert w.cached and w.focusing_factor == first.current_weighted_focusing_factor
    with pytest.raises(InputError):
        focusing_from_surface(p, -1.0)
    with pytest.raises(InputError):
        focusing_from_surface(p, 10.0, metric="mean")


def test_current_weighted_focusing_closed_forms():
    import numpy as np

    from hemcell.workflows.coupling import current_weighted_focusing

    x = np.linspace(0.0, 1.0, 2001)
    assert current_weighted_focusing(x, 0 * x, 3.0 + 0 * x) == pytest.approx(1.0, rel=1e-12)
    # i = 1 + a cos(2 pi x): f_w = (1 + a^2/2) / 1
    a = 0.6
    i = 1 + a * np.cos(2 * np.pi * x)
    assert current_weighted_focusing(x, 0 * x, i) == pytest.approx(1 + a * a / 2, rel=1e-5)
    assert current_weighted_focusing(x, 0 * x, i) < i.max() / i.mean()
