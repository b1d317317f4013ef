"""The k₁/k₂ (Dunn) capacitive fraction: its fit quality per voltage, and fractions
outside [0, 1] flagged with their reason instead of printed as a share (``cell cv --ion
Na`` printed 1.001-1.002)."""

from __future__ import annotations

import numpy as np
import pytest

from hemcell.workflows.anode_cv import (
    capacitive_fraction_warnings,
    capacitive_fractions,
    k1k2_fit,
    k1k2_quality,
)

RATES = np.array([0.1, 0.2, 0.5, 1.0, 2.0])  # mV/s
GRID = np.linspace(0.1, 2.9, 50)  # V


def _report(i):
    k1, k2 = k1k2_fit(RATES, i)
    quality = {"anodic": k1k2_quality(RATES, i, k1, k2)}
    fractions = capacitive_fractions(RATES, GRID, i, k1)
    return fractions, quality, capacitive_fraction_warnings(RATES, fractions, GRID, quality)


def test_a_current_of_the_k1k2_form_fits_exactly_without_warning():
    k1 = 0.02 * np.exp(-((GRID - 1.0) ** 2))
    k2 = 0.05 * np.exp(-((GRID - 2.0) ** 2))
    i = np.outer(RATES, k1) + np.outer(np.sqrt(RATES), k2)
    fractions, quality, warnings = _report(i)
    assert quality["anodic"]["r2"] == pytest.approx(np.ones(GRID.size))
    assert not quality["anodic"]["opposing"].any()
    assert all(0 < f < 1 for f in fractions) and warnings == []


def test_a_fraction_above_one_is_flagged_with_its_reason():
    """i = c v − ε v^½: the fitted k₂ = −ε opposes the current, |k₁ v| > |i| and the
    fraction exceeds 1 (by ε/(c v^½) − ...): flagged at every rate, not clamped."""
    c, eps = 0.02, 2e-5
    i = np.outer(RATES, np.full(GRID.size, c)) - np.outer(np.sqrt(RATES), np.full(GRID.size, eps))
    fractions, quality, warnings = _report(i)
    assert all(f > 1 for f in fractions)
    assert quality["anodic"]["opposing"].all()
    assert len(warnings) == RATES.size
    assert "outside [0, 1]" in warnings[0] and "opposite sign" in warnings[0]
    assert f"{fractions[0]:.4f} at 0.1 mV/s" in warnings[0]
    assert f"{GRID.size} anodic of {GRID.size}" in warnings[0]


def test_a_current_not_of_the_k1k2_form_has_r2_below_one():
    """i ∝ v² is neither capacitive nor diffusive: R² < 1 at every voltage (with two
    rates the fit is exact and R² is not defined: None)."""
    i = np.outer(RATES ** 2, np.ones(GRID.size))
    k1, k2 = k1k2_fit(RATES, i)
    r2 = k1k2_quality(RATES, i, k1, k2)["r2"]
    assert all(x < 0.999 for x in r2)
    k1, k2 = k1k2_fit(RATES[:2], i[:2])
    assert k1k2_quality(RATES[:2], i[:2], k1, k2)["r2"] == [None] * GRID.size
