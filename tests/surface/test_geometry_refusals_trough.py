"""A resolved coating thicker than the surface's smallest trough radius folds over itself:
refused before meshing (a sinusoid with a 4 µm coating aborted in DOLFINx with an MPI
'Invalid rank' error, exit 6; 4.5 µm hung in gmsh)."""

from __future__ import annotations

import math

import pytest

from hemcell.errors import InputError
from hemcell.surface.geometry import GeometrySpec


def test_the_sinusoid_trough_radius_is_w2_over_4pi2a():
    spec = GeometrySpec(kind="sinusoid", width_m=10e-6, amplitude_m=1e-6,
                        electrolyte_height_m=25e-6)
    assert spec.smallest_trough_radius_m() == pytest.approx(
        (10e-6) ** 2 / (4 * math.pi**2 * 1e-6), rel=1e-5)
    assert GeometrySpec(kind="flat").smallest_trough_radius_m() == math.inf


@pytest.mark.parametrize("kind", ["sinusoid", "random"])
def test_a_coating_as_thick_as_the_trough_radius_is_refused(kind):
    base = dict(kind=kind, width_m=10e-6, amplitude_m=1e-6, electrolyte_height_m=25e-6)
    radius = GeometrySpec(**base).smallest_trough_radius_m()
    GeometrySpec(**base, coating_thickness_m=0.9 * radius)  # meshable
    with pytest.raises(InputError) as exc:
        GeometrySpec(**base, coating_thickness_m=1.01 * radius)
    assert exc.value.field == "coating_thickness"
    assert "trough" in exc.value.allowed and "perturbation_amplitude" in exc.value.hint
