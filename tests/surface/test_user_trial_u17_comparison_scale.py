"""User trial u17: ``comparison.png`` of ``hemcell surface compare`` draws bare and coated
on one colour scale per field.

``hemcell surface compare --geometry nucleus`` coloured the bare |i| map from 5 to 23
A m⁻² and the coated one from 9 to 13.5 (von Mises: 0-2.3 vs 0-1.5 MPa): the same colour
meant a different current in the two panels, and the coated map's "hot" flanks looked
as hot as the bare ones.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

import hemcell.figures
from hemcell.surface import output


def _field(scale: float, offset: float) -> tuple:
    xy = np.array([[0, 0], [1e-6, 0], [0, 1e-6], [1e-6, 1e-6], [0, 0], [1e-6, 1e-6]], float)
    tri = np.arange(6).reshape(-1, 3)
    return xy, tri, offset + scale * np.array([0.0, 1.0])  # one value per triangle (flat)


def _nodal(scale: float, offset: float) -> tuple:
    xy, tri, _ = _field(scale, offset)
    return xy, tri, offset + scale * np.linspace(0.0, 1.0, 6)


def _data(i_scale: float, vm_scale: float, c_offset: float) -> dict:
    x = np.linspace(0.0, 1e-6, 5)
    samples = SimpleNamespace(x_m=x, current_density_A_per_m2=np.ones(5),
                              concentration_mol_per_m3=np.ones(5), normal_stress_Pa=np.ones(5))
    return {"c": _nodal(5.0, c_offset), "i": _field(i_scale, 5.0), "vm": _field(vm_scale, 0.0),
            "samples": samples, "zoom_electrolyte": (0.0, 1.0), "zoom_solid": (0.0, 1.0)}


def test_bare_and_coated_maps_share_one_colour_scale_per_field(monkeypatch, tmp_path):
    fake = {"bare": _data(18.0, 2.3e6, 995.0), "coated": _data(4.5, 1.5e6, 994.0)}
    results = {case: SimpleNamespace(case=case, transport=SimpleNamespace(
        msh=SimpleNamespace(topology=SimpleNamespace(dim=2)))) for case in fake}
    monkeypatch.setattr(output, "map_data", lambda r: fake[r.case])
    saved = {}
    monkeypatch.setattr(hemcell.figures, "save_figure",
                        lambda fig, path, **kw: saved.setdefault("fig", fig))
    output.write_comparison_figure(results, tmp_path)
    fig = saved["fig"]
    maps = [ax for ax in fig.axes if ax.collections and ax.get_xlabel() == "x [µm]"]
    rows = {}
    for ax in maps:
        rows.setdefault(round(ax.get_position().y0, 3), []).append(ax.collections[0].get_clim())
    assert len(rows) == 3
    for clims in rows.values():
        assert len(clims) == 2 and clims[0] == clims[1]
    expected = sorted([(994.0, 1000.0), (5.0, 23.0), (0.0, 2.3)])  # von Mises in MPa
    assert sorted(tuple(map(float, c[0])) for c in rows.values()) == expected
    # U18: the stress maps are drawn in MPa, as σ_nn beside them (in Pa the colour bar
    # read "1e6" over 0.5 ... 2.0)
    labels = [ax.get_ylabel() for ax in fig.axes if ax.get_label() == "<colorbar>"]
    assert labels.count("von Mises [MPa]") == 2 and "von Mises [Pa]" not in labels
