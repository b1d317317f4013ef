"""Shared fixtures of the anode-model tests."""

from __future__ import annotations

import pytest

pytest.importorskip("pybamm")

PARAMS = "heo_rocksalt_mgconicuzn"


@pytest.fixture(scope="session")
def params_name() -> str:
    """The parameter set the tests develop against."""
    return PARAMS
