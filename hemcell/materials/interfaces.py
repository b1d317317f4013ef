"""Material data of interfacial (space-charge) storage: metal moments and monolayer densities.

The data are in ``hemcell/materials/data/interfacial_storage.yaml`` (every row sourced);
the storage model that uses them is :mod:`hemcell.cell.mechanisms.space_charge`.

- the spin moment m_k of a ferromagnetic 3d metal [μ_B per atom]: an electron stored at
  the metal side fills an empty minority-spin d state and lowers the moment by one μ_B
  (seed 000 L451, L456–459), so an interfacial atom takes at most m_k/μ_B of them;
- one monolayer of a phase with number density n holds Γ = n^{2/3} particles per area
  and is ℓ = n^{−1/3} thick: for the carrier sublattice of a conversion product AₙX,
  n_A = ν ρ N_A / M (antifluorite A₂X: Γ = 4/a², ℓ = a/2); for a metal, n_M = ρ N_A / M
  (CRC densities and CIAAW masses via :mod:`hemcell.materials.elements`).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from scipy import constants as _c

from hemcell.errors import InputError
from hemcell.materials.elements import (
    ELEMENTS_FILE,
    atomic_mass_g_per_mol,
    metal_density_g_per_cm3,
    molar_mass_g_per_mol,
)

#: Avogadro constant N_A [mol⁻¹] (CODATA via scipy).
AVOGADRO_PER_MOL: float = float(_c.N_A)

INTERFACIAL_STORAGE_FILE = ELEMENTS_FILE.with_name("interfacial_storage.yaml")


@lru_cache(maxsize=1)
def interfacial_storage_data() -> dict[str, Any]:
    """The parsed ``interfacial_storage.yaml`` (``sources``, ``metals``, ``products``)."""
    from hemcell.params.yaml_io import safe_load_file

    return safe_load_file(INTERFACIAL_STORAGE_FILE)


def moment_bohr_magnetons(element: str) -> float:
    """Spin moment m_k of a metal [μ_B per atom].

    Raises
    ------
    InputError
        For a metal without a sourced moment (it stores no spin-polarised charge).
    """
    metals = interfacial_storage_data()["metals"]
    el = element.capitalize()
    if el not in metals:
        raise InputError(f"space_charge_areal_capacitance_{el.lower()}", el, ", ".join(metals),
                         hint="space-charge storage needs the metal's spin moment "
                              "(hemcell/materials/data/interfacial_storage.yaml); "
                              "a metal without one stores no spin-polarised charge")
    return float(metals[el]["moment_bohr_magnetons"])


def has_product(anion: str, ion: str) -> bool:
    """Whether the density of the conversion product of ``anion`` with ``ion`` is sourced."""
    return ion in interfacial_storage_data()["products"].get(anion, {})


def product_site_density_per_m2(anion: str, ion: str) -> float:
    """Γ_A = n_A^{2/3}, n_A = ν ρ N_A / M: carrier sites per area of one AₙX monolayer [m⁻²].

    Parameters
    ----------
    anion
        Anion symbol of the conversion product (``O``, ``S``).
    ion
        Carrier ion (``Li``, ``Na``, ``K``).

    Raises
    ------
    InputError
        When the product's density is not in ``interfacial_storage.yaml``.
    """
    from hemcell.materials.formula import parse_formula

    products = interfacial_storage_data()["products"]
    if not has_product(anion, ion):
        raise InputError("anion/ion", f"{anion}/{ion}",
                         ", ".join(f"{a}/{i}" for a, p in products.items() for i in p),
                         hint="no sourced density of the conversion product")
    row = products[anion][ion]
    molar_mass_g = molar_mass_g_per_mol(dict(parse_formula(row["formula"]).amounts))
    n_per_m3 = (row["carriers_per_formula_unit"] * row["density_g_per_cm3"] * 1e6
                * AVOGADRO_PER_MOL / molar_mass_g)
    return n_per_m3 ** (2.0 / 3.0)


def metal_site_density_per_m2(element: str) -> float:
    """Γ_M = n_M^{2/3}, n_M = ρ N_A / M: atoms per area of one metal monolayer [m⁻²]."""
    el = element.capitalize()
    rho = metal_density_g_per_cm3(el)
    if rho is None:
        raise InputError("element", element, "a metal with a handbook density")
    return (rho * 1e6 * AVOGADRO_PER_MOL / atomic_mass_g_per_mol(el)) ** (2.0 / 3.0)
