"""The surface part of ``hemcell demo``: bare vs HEA-coated Li on a nucleus and a wavy surface."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def run_demo(out_dir: Path) -> dict[str, Any]:
    """Run ``hemcell surface compare`` on the nucleus and the sinusoid geometries.

    Parameters
    ----------
    out_dir
        Folder for the two comparisons (``nucleus/``, ``sinusoid/``).

    Returns
    -------
    dict
        Per geometry: focusing factors, minimum surface concentrations, coating drop and
        the comparison figure; or a note when DOLFINx/gmsh are not installed.
    """
    try:
        import dolfinx_solver  # noqa: F401

        import dolfinx  # noqa: F401
        import gmsh  # noqa: F401
    except ImportError as exc:
        return {"skipped": f"DOLFINx/gmsh not installed ({exc}); pip install 'hemcell[fem]'"}

    from hemcell.workflows.surface import compare_cases

    out: dict[str, Any] = {}
    for geometry in ("nucleus", "sinusoid"):
        folder = Path(out_dir) / geometry
        summary = compare_cases(geometry, [], folder)
        out[geometry] = {
            "focusing_factor_bare": summary["bare"]["current_focusing_factor"],
            "focusing_factor_coated": summary["coated"]["current_focusing_factor"],
            "min_surface_concentration_bare_mol_per_m3":
                summary["bare"]["min_surface_concentration_mol_per_m3"],
            "min_surface_concentration_coated_mol_per_m3":
                summary["coated"]["min_surface_concentration_mol_per_m3"],
            "coating_potential_drop_V": summary["coated"]["coating_potential_drop_V"],
            "figure": str(folder / "comparison.png"),
        }
    return out
