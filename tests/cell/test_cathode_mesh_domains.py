"""The mesh of a cathode-set cell names the domains its equations are on
(hemcell.workflows.cathode_half_cell.solved_mesh_names, electrode_mesh).

PyBaMM's half cell keeps a negative-electrode x domain (no equation on it) and every
model's ``default_var_pts`` holds domains it never solves on (``r_n``, ``R_p``, ``y``);
the summary's ``mesh`` listed them all (17 entries for a P2D half cell), and a recipe
``mesh:`` entry of such a domain changed nothing without a word.
"""

from __future__ import annotations

import pytest

pybamm = pytest.importorskip("pybamm")

from hemcell.cell.recipes import load_recipe  # noqa: E402
from hemcell.errors import InputError  # noqa: E402
from hemcell.workflows.cathode_half_cell import (  # noqa: E402
    electrode_mesh,
    run_cell,
    solved_mesh_names,
    summarize,
)

NVPF = "cathode_he_nvpf"


@pytest.mark.parametrize(("model", "names"), [
    (lambda: pybamm.lithium_ion.DFN({"working electrode": "positive"}), ["x_s", "x_p", "r_p"]),
    (lambda: pybamm.lithium_ion.SPM({"working electrode": "positive"}), ["r_p"]),
    (lambda: pybamm.lithium_ion.DFN(), ["x_n", "x_s", "x_p", "r_n", "r_p"]),
])
def test_solved_domains_of_pybamm_cells(model, names):
    """Half-cell DFN: separator, cathode, its particles; SPM: the particle alone; the
    full-cell DFN (hard-carbon cells): both electrodes, separator, both particles."""
    assert solved_mesh_names(model()) == names


def _recipe(tmp_path, mesh: str, geometry: str = "p2d") -> str:
    path = tmp_path / "cathode_mesh.yaml"
    path.write_text(f"name: cathode_mesh\ncell: cathode_half\ngeometry: {geometry}\n"
                    f"mesh: {mesh}\nsolver: {{rtol: 1.0e-6, atol: 1.0e-8}}\n")
    return str(path)


@pytest.mark.parametrize(("mesh", "geometry", "name"), [
    ("{x_n: 5, x_s: 5, x_p: 8, r_p: 8}", "p2d", "x_n"),
    ("{x_p: 8, r_p: 8}", "sp", "x_p"),
])
def test_recipe_mesh_of_an_unsolved_domain_is_refused(tmp_path, mesh, geometry, name):
    """A half cell has no negative electrode, an SPM no electrode x: refused naming the
    entry and the model's domains (it was ignored)."""
    with pytest.raises(InputError) as exc:
        run_cell(_recipe(tmp_path, mesh, geometry), NVPF, "Charge at C/5 until 4.3 V")
    assert exc.value.value == name
    assert "x_n" not in str(exc.value.allowed)


def test_summary_mesh_is_the_solved_one(tmp_path):
    """The summary lists the recipe's solved domains with their points and nothing else;
    the thin-electrode rule still applies (electrode_mesh)."""
    run = run_cell(_recipe(tmp_path, "{x_s: 5, x_p: 8, r_p: 8}"), NVPF,
                   "Charge at C/5 until 4.3 V")
    assert run.error is None, run.error
    assert summarize(run)["mesh"] == {"x_s": 5, "x_p": 8, "r_p": 8}
    model = pybamm.lithium_ion.SPM({"working electrode": "positive"})
    assert electrode_mesh(model, load_recipe("cathode_half_cell_sp"),
                          run.parameter_values) == {"r_p": 20}
