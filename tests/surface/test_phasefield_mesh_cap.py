"""Phase-field mesh cap (user trial): a 10 nm interface on the default 20 um cell is a
1366 x 1366 mesh (5.6e6 DOFs, 3.7e6 triangles), ~9 min per step on this machine and days
for a run. It is refused before anything runs (exit 2, naming phasefield_interface_width,
the mesh and the DOF cap with the measured cost); the default mesh is unchanged."""

from __future__ import annotations

import pytest

from hemcell.cli.main import main
from hemcell.errors import InputError
from hemcell.surface.phasefield import MAX_DOFS
from hemcell.workflows.phasefield import resolve_phasefield


def test_the_default_mesh_is_unchanged_and_below_the_cap():
    p, _ = resolve_phasefield("bare")
    assert p.mesh_divisions == (55, 55)
    assert p.dofs == 9408  # docs/phasefield.md example: 9 408 DOFs
    assert p.dofs < MAX_DOFS


def test_a_10_nm_interface_is_refused_with_the_mesh_it_would_need(tmp_path, capsys):
    code = main(["surface", "phasefield", "--case", "bare", "--out", str(tmp_path / "pf"),
                 "--set", "phasefield_interface_width=10nm"])
    err = capsys.readouterr().err
    assert code == 2
    assert "phasefield_interface_width" in err and "1366 x 1366" in err
    assert "5.61e+06 DOFs" in err and "at most 1e+06 DOFs" in err
    assert not (tmp_path / "pf").exists()


def test_the_width_named_in_the_hint_fits():
    """The smallest width the hint names is accepted; 5 % narrower is refused."""
    p, _ = resolve_phasefield("bare")
    w = p._smallest_width_m()
    assert p.replace(interface_width_m=w).dofs <= MAX_DOFS
    with pytest.raises(InputError) as err:
        p.replace(interface_width_m=0.95 * w)
    assert err.value.field == "phasefield_interface_width"
